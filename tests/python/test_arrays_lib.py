"""Array methods and NumPy functions (jit/ember/_lib.py, written with
ember.jit) against NumPy: every dtype and layout, edge cases (NaN, empty),
and random arrays from hypothesis."""
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, check, layouts, same, sample

try:
    from hypothesis import given, strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError:  # pragma: no cover
    given = None


@ember.jit
def reductions(a):
    return a.sum(), np.sum(a), a.prod(), a.max(), np.min(a), a.argmax(), np.argmin(a), a.mean()


@ember.jit
def cumsum(a):
    return a.cumsum()


@ember.jit
def copies(a):
    b = a.copy()
    c = a.astype(np.float64)
    return b, c, np.copy(a)


@ember.jit
def fill(a, v):
    a.fill(v)
    return a


@ember.jit
def dot(a, b):
    return np.dot(a, b), a.dot(b)


@ember.jit
def empty_max(a):
    return a.max()


def _quiet(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return check(f, *args)


NOCOMPLEX = [t for t in DTYPES if np.dtype(t).kind != "c"]


@pytest.mark.parametrize("dtype", NOCOMPLEX, ids=lambda d: np.dtype(d).name)
def test_reductions_every_dtype_and_layout(dtype):
    for shape in ((1,), (7,), (300,), (3, 50), (2, 3, 4)):
        for a in layouts(sample(dtype, shape, seed=len(shape))):
            if np.dtype(dtype).kind == "f":
                a = np.where(np.isnan(a), 0, a).astype(dtype)   # NaN: its own test
            _quiet(reductions, a)
            _quiet(cumsum, a)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_copy_astype_fill(dtype):
    for a in layouts(sample(dtype, (3, 4))):
        if np.dtype(dtype).kind == "c":
            continue
        _quiet(copies, a)
    for a in layouts(sample(dtype, (5,)))[:4]:
        _quiet(fill, a, sample(dtype, (1,), 9)[0])


@ember.jit
def to_narrow(a):
    return a.astype(np.int8), a.astype(np.uint8), a.astype(np.int32), a.astype(np.uint16)


def test_astype_is_numpys_unsafe_cast():
    # astype wraps ints (it does not check as a[i] = v does); floats in every target's
    # range truncate (out of range the C cast is undefined: NumPy warns)
    for a in (np.array([300, -1, 2**40, -(2**40) - 7, 127, 128]), np.array([2**64 - 1, 5, 2**63], np.uint64),
              np.array([1.9, 0.5, 100.25, 3.0]), np.array(300), np.array([[300, -1], [7, 1000]])[:, ::-1],
              np.asfortranarray(np.array([[70000, -70000], [65535, 65536]], np.int32))):
        for b in layouts(a) if a.ndim else (a,):
            got, want = to_narrow(b), to_narrow.__wrapped__(b)
            for g, w in zip(got, want):
                assert g.dtype == w.dtype and np.array_equal(g, w), (b, g, w)


def test_nan_propagates_in_max_min_argmax():
    for a in (np.array([1.0, np.nan, 3.0]), np.array([np.nan, 2.0]), np.array([5.0, 4.0, np.nan]),
              np.array([1.0, 2.0]).astype(np.float32)):
        check(reductions, a)


def test_empty_reductions():
    with pytest.raises(ValueError):
        empty_max(np.zeros(0))
    @ember.jit
    def sums(a):
        return a.sum(), a.prod(), a.cumsum()
    check(sums, np.zeros(0))
    check(sums, np.zeros((0, 3), np.int32))


def test_dot():
    check(dot, np.arange(5), np.arange(5) * 3)
    check(dot, np.arange(6).reshape(2, 3), np.arange(3))
    check(dot, np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4))
    a, b = sample(np.float64, (50,)), sample(np.float64, (50,), 2)
    a, b = np.nan_to_num(a, posinf=1, neginf=1), np.nan_to_num(b, posinf=1, neginf=1)
    got = dot(a, b)
    assert np.isclose(got[0], np.dot(a, b), rtol=1e-12) and same(got[0], got[1])   # BLAS sums in another order
    m = np.arange(12.0).reshape(3, 4)
    assert same(dot(m, m.T)[0], np.dot(m, m.T))
    with pytest.raises(ValueError):
        dot(np.arange(3), np.arange(4))


def test_numpy_scalars_in_builtins():
    @ember.jit
    def f(a):
        return abs(a[0]), min(a[0], a[1]), max(a[1], a[2])
    for t in (np.int8, np.int32, np.uint16, np.float32):
        check(f, np.array([-3, 5, 2], t) if np.dtype(t).kind != "u" else np.array([3, 5, 2], t))


if given is not None:
    @given(hnp.arrays(st.sampled_from([np.int8, np.int32, np.uint64, np.float32, np.float64]),
                      hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=40),
                      elements={"allow_nan": False} if False else None))
    def test_hypothesis_reductions(a):
        if a.dtype.kind == "f":
            a = np.nan_to_num(a)
        a = a + 0.0 if a.dtype.kind == "f" else a   # no -0.0: NumPy's SIMD min/max break ties of
        with warnings.catch_warnings():           # -0.0 and 0.0 by lane, not by position
            warnings.simplefilter("ignore")
            check(reductions, a)
            check(reductions, a[..., ::-1])
            check(cumsum, a)
