"""Slices and views, iteration, enumerate and zip, slice assignment, and
arrays returned from compiled code (alone, in tuples, as views of arguments)."""
import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, check, layouts, same, sample


@ember.jit
def slices1(a, i, j):
    return a[i:j], a[i:], a[:j], a[::2], a[::-1], a[j:i:-1], a[1:-1], a[-3:], a[::-3], a[i:j:2]


@ember.jit
def slices2(a, i, j):
    return a[i], a[:, j], a[i, :], a[1:, ::2], a[::-1, ::-1], a[i:, j], a.T, a[i][1:]


@ember.jit
def step(a, s):
    return a[::s]


@ember.jit
def sum_view(a):
    b = a[1:-1:2]
    s = 0.0
    for i in range(b.shape[0]):
        s += b[i]
    return s


@ember.jit
def write_view(a, v):
    b = a[::2]
    for i in range(b.shape[0]):
        b[i] = v
    return b


@ember.jit
def assign_slices(a, b, v):
    a[1:3] = v
    a[-2:] = b[:2]
    return a


@ember.jit
def assign_2d(a, row, v):
    a[0, :] = row
    a[1:, 1] = v
    a[:] = a[::-1]
    return a


@ember.jit
def aug_slice(a, b):
    a[1:] += b[:-1]
    a[0] *= 2
    return a


@ember.jit
def iterate(a):
    s = 0.0
    for x in a:
        s += x
    return s


@ember.jit
def iterate_rows(a):
    s = 0.0
    n = 0
    for row in a:
        for x in row:
            s += x * n
        n += 1
    return s


@ember.jit
def enum_zip(a, b):
    s = 0.0
    for i, x in enumerate(a):
        s += i * x
    for x, y in zip(a, b):
        s -= x * y
    for i, (x, y) in enumerate(zip(a, b[1:])):
        s += i + x - y
    return s


@ember.jit
def reshape(a, n):
    return a.reshape(n, -1), a.reshape((2, n, -1)), a.reshape(-1)


@ember.jit
def tuple_args(t):
    a, b = t
    return a[0] + b[1], (b, a)


def test_slices_1d():
    for a in layouts(np.arange(10.0)):
        for i, j in ((2, 7), (-3, -1), (0, 100), (-100, 3), (5, 2), (9, 0)):
            check(slices1, a, i, j)
    check(slices1, np.zeros(0), 0, 0)


def test_slices_2d():
    for a in layouts(np.arange(20.0).reshape(4, 5)):
        for i, j in ((1, 2), (-1, -2), (0, 0)):
            check(slices2, a, i, j)


def test_slice_steps_and_zero_step():
    a = np.arange(12)
    for s in (1, 2, 3, 5, 100, -1, -2, -7, -100):
        check(step, a, s)
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        step(a, 0)


@pytest.mark.parametrize("dtype", DTYPES[1:], ids=lambda d: np.dtype(d).name)
def test_views_read_and_write(dtype):
    for a in layouts(sample(dtype, (9,)))[:4]:
        if np.dtype(dtype).kind != "c":
            check(sum_view, a.astype(np.float64))
        check(write_view, a, sample(dtype, (1,), 3)[0])


def test_slice_assignment():
    for a in layouts(np.arange(6.0))[:4]:
        check(assign_slices, a, np.array([7.0, 8.0, 9.0]), 1.5)
    check(assign_slices, np.arange(6), np.array([7, 8, 9]), 3)
    for a in layouts(np.arange(12.0).reshape(3, 4))[:4]:
        check(assign_2d, a, np.array([1.0, 2.0, 3.0, 4.0]), -1.0)
    check(aug_slice, np.arange(5.0), np.ones(5))           # a whole-array expression (issue 4)
    with pytest.raises(ValueError):
        assign_slices(np.arange(6.0), np.zeros(0), 0.0)
    check(assign_slices, np.arange(6.0), np.ones(1), 0.0)   # a size-1 source broadcasts


def test_iteration_enumerate_zip():
    for a in layouts(np.arange(7.0)):
        check(iterate, a)
        check(enum_zip, a, np.arange(7.0) * 2)
    for a in layouts(np.arange(12.0).reshape(3, 4)):
        check(iterate_rows, a)
    check(enum_zip, np.zeros(0), np.zeros(0))
    check(enum_zip, np.arange(3.0), np.arange(5.0))


def test_reshape():
    a = np.arange(12.0)
    check(reshape, a, 3)
    check(reshape, a, 2)
    with pytest.raises(ValueError):
        reshape(a, 5)


def test_tuples_of_arrays():
    a, b = np.arange(3.0), np.arange(4, dtype=np.int32)
    r = tuple_args((a, b))
    assert same(r, tuple_args.py_func((a, b)))
    assert r[1][0] is b                      # an argument returned is the argument itself


def test_returning_an_argument_returns_it():
    @ember.jit
    def ident(a, b):
        a[0] = 1.0
        return a, (b, a[:])

    x, y = np.zeros(3), np.arange(4)
    r = ident(x, y)
    assert r[0] is x and r[1][0] is y and np.shares_memory(r[1][1], x)   # (a[:] is x too: the same descriptor)


def test_returned_views_keep_their_argument_alive():
    @ember.jit
    def tail(a):
        return a[1:]
    v = tail(np.arange(5.0) * 2)     # the argument's only reference is the view's base
    import gc
    gc.collect()
    assert same(v, np.arange(1, 5) * 2.0)
    a = np.arange(5.0)
    w = tail(a)
    w[0] = 42.0
    assert a[1] == 42.0 and np.shares_memory(a, w)


def test_returned_arrays_own_their_memory():
    @ember.jit
    def make(n):
        a = np.empty((n, 2))
        for i in range(n):
            a[i, 0] = i
            a[i, 1] = -i
        return a, a[:, 1], a.T

    a, col, t = make(4)
    assert a.flags.owndata is False and a.base is not None and col.base is not None
    assert same(a, np.array([[0.0, 0.0], [1.0, -1.0], [2.0, -2.0], [3.0, -3.0]]))
    assert np.shares_memory(a, col) and np.shares_memory(a, t)
    del a, t
    col[0] = 5.0                      # the buffer lives as long as any view of it
    assert col.tolist() == [5.0, -1.0, -2.0, -3.0]


try:
    from hypothesis import given, settings, strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError:  # pragma: no cover
    given = None


@ember.jit
def pick(a, i, b, e, s):
    return a[i, b:e:s], a[b:e:s, i], a[b:e:s][::-1], a[i][b:e:s]


@ember.jit
def store(a, i, b, e, s, v):
    a[b:e:s, i] = v
    a[i, b:e:s] = v
    return a


if given is not None:
    _ints = st.integers(-12, 12)
    _bound = st.one_of(st.none(), _ints)
    _step = st.one_of(st.none(), st.integers(-4, 4).filter(lambda k: k != 0))

    @settings(max_examples=150)
    @given(hnp.arrays(st.sampled_from([np.int16, np.float64, np.complex64]), st.tuples(st.integers(1, 7), st.integers(1, 7))),
           st.integers(0, 6), _bound, _bound, _step, st.sampled_from(["C", "F", "strided", "reversed"]))
    def test_hypothesis_indexing(a, i, b, e, s, layout):
        if layout == "F":
            a = np.asfortranarray(a)
        elif layout == "strided":
            big = np.zeros((a.shape[0] * 2, a.shape[1] * 3), a.dtype)
            big[::2, ::3] = a
            a = big[::2, ::3]
        elif layout == "reversed":
            a = a[::-1, ::-1].copy()[::-1, ::-1]
        i = i % min(a.shape) - (i % 2) * min(a.shape)   # in range, sometimes negative
        check(pick, a, i, b, e, s)
        check(store, a, i, b, e, s, a.dtype.type(3))
