"""None / np.newaxis in subscripts and the `@` operator (issue 4), against
NumPy itself (py_func run by the interpreter on copies of the arguments).

A new axis has extent 1 and stride 0, takes none of the array's axes, and
the result is a view (writes reach the base); `a[:, None] - b[None, :]`
broadcasts.  `a @ b` and np.matmul(a, b) of 1-D and 2-D arrays follow
NumPy's matmul: result shapes and dtypes (NEP 50 promotion, bool is an or
of ands, small integers wrap), the ValueError of mismatched core
dimensions in NumPy's words, `a @= b` writing into a.  Float products are
compared exactly on small integer values (exact in any summation order)
and within rounding on random ones (NumPy's BLAS sums in its own order).
"""
import numpy as np
import pytest

import ember
from arrhelpers import check, layouts, same, sample

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")    # NumPy's on nan and inf operands

# -- Subscripts with None ---------------------------------------------------------


@ember.jit
def new1(a):
    return (a[None], a[:, None], a[None, :], a[np.newaxis], a[:, np.newaxis], a[None, None],
            a[None, 1:, None], a[1, None], a[-1, np.newaxis], a[None, ::-1], a[1:, None, None])


@ember.jit
def new2(a, i):
    return (a[None], a[:, None], a[:, :, None], a[None, :, None], a[i, None], a[i, :, None],
            a[None, i, None], a[:, i, None], a[None, 1:, None], a[None, ::-1, 1:], a[i, None, ::-1],
            a[np.newaxis, :, np.newaxis, :, np.newaxis], a[i, -1, None])


@ember.jit
def new3(a, i, j):
    return (a[None], a[:, None], a[i, None], a[i, j, None], a[None, i, :, j], a[:, None, :, None, :],
            a[1:, None, ::-1], a[None, :, j], a[i, None, j, None], a[None, 1:, None])


def views_same(got, want):
    """Same values, dtypes and shapes; the same strides (NumPy's: 0 on a new axis)."""
    assert same(got, want)
    for g, w in zip(got, want):
        if isinstance(w, np.ndarray):
            assert g.strides == w.strides, (g.shape, g.strides, w.strides)


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex64, np.bool_, np.uint8])
def test_newaxis_1d(dtype):
    for a in layouts(sample(dtype, (5,), seed=1)):
        views_same(new1(a), new1.py_func(a))


@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.complex128])
def test_newaxis_2d(dtype):
    for a in layouts(sample(dtype, (3, 4), seed=2)):
        for i in (0, 2, -1, -3):
            views_same(new2(a, i), new2.py_func(a, i))


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_newaxis_3d(dtype):
    for a in layouts(sample(dtype, (2, 3, 4), seed=3)):
        for i, j in ((0, 0), (1, 2), (-1, -2)):
            views_same(new3(a, i, j), new3.py_func(a, i, j))


@ember.jit
def only_new(a):
    return a[None]


def test_newaxis_of_0d():
    a = np.array(2.5)
    got = only_new(a)
    assert same(got, a[None]) and got.strides == a[None].strides


@ember.jit
def new_index_error(a, i):
    return a[None, i]


def test_newaxis_index_error():
    a = np.arange(4.0)
    for i in (4, -5):
        with pytest.raises(IndexError) as want:
            new_index_error.py_func(a, i)
        with pytest.raises(IndexError) as got:
            new_index_error(a, i)
        assert str(got.value) == str(want.value)


@ember.jit
def too_many(a):
    return a[None, 0, 0, None]


@ember.jit
def float_index(a):
    return a[None, 1.5]


def test_newaxis_typing():
    a = np.arange(6.0).reshape(2, 3)
    assert same(too_many(a), too_many.py_func(a))      # None takes no axis: two ints for two axes
    b = np.arange(6.0)
    with pytest.raises(ember.TypingError, match="too many indices for array: array is 1-dimensional, but 2 were indexed"):
        too_many(b)
    with pytest.raises(ember.TypingError, match="valid indices"):
        float_index(a)


# -- Broadcasting through new axes ------------------------------------------------------


@ember.jit
def outer_diff(a, b):
    return a[:, None] - b[None, :]


@ember.jit
def outer_mul(a, b):
    return a[:, np.newaxis] * b


@ember.jit
def pairwise(x):
    d = x[:, None, :] - x[None, :, :]
    return d * d


@ember.jit
def outer_loop(a, b):
    d = a[:, None] - b[None, :]
    s = 0.0
    for i in range(d.shape[0]):
        for j in range(d.shape[1]):
            s += abs(d[i, j])
    return s


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.float32, np.complex128, np.uint8])
def test_outer(dtype):
    for n, m in ((3, 4), (1, 5), (5, 1), (0, 3), (4, 0)):
        for a in layouts(sample(dtype, (n,), seed=n)):
            b = sample(dtype, (m,), seed=10 + m)
            check(outer_diff, a, b)
            if np.dtype(dtype).kind != "c":
                check(outer_mul, a, b)
            else:   # complex products of arrays may differ from NumPy's in the last bit (the loops' code, not new axes)
                assert np.allclose(outer_mul(a, b), outer_mul.py_func(a, b), rtol=1e-15, atol=0)


def test_pairwise_and_loop():
    rng = np.random.default_rng(5)
    for shape in ((4, 3), (1, 2), (6, 1)):
        for x in layouts(rng.standard_normal(shape)):
            check(pairwise, x)
    for n, m in ((3, 4), (7, 2)):
        a, b = rng.standard_normal(n), rng.standard_normal(m)
        assert outer_loop(a, b) == pytest.approx(outer_loop.py_func(a, b), rel=1e-14)


# -- Writes through views with new axes ---------------------------------------------------


@ember.jit
def write_col(a, i, v):
    c = a[:, None]
    c[i, 0] = v
    return c


@ember.jit
def write_row(a, i, v):
    a[None][0, i] = v


@ember.jit
def fill_new(a, v):
    a[None, :] = v


@ember.jit
def copy_into(a, b):
    a[1:, None] = b[:-1, None]


@ember.jit
def add_into(a, v):
    c = a[:, None, :]
    c[1, 0, 1] += v
    return c


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.complex64])
def test_writes(dtype):
    for a in layouts(sample(dtype, (6,), seed=7))[:4]:
        for i in (0, 3, -1):
            check(write_col, a, i, 3)
            check(write_row, a, i, 5)
        check(fill_new, a, 2)
        check(copy_into, a, sample(dtype, (6,), seed=8))
    for a in layouts(sample(dtype, (3, 4), seed=9))[:4]:
        check(add_into, a, 4)


def test_write_reaches_base():
    a = np.zeros(5)
    c = write_col(a, 2, 7.0)
    assert a[2] == 7.0 and c[2, 0] == 7.0
    c[4, 0] = 1.5                        # the returned view shares the argument's memory
    assert a[4] == 1.5


@ember.jit
def store_slice(a, b):
    a[1:3] = b


@ember.jit
def store_new(a, b):
    a[:, None] = b


@pytest.mark.parametrize("f,sa,sb", [(store_slice, (5,), (3,)), (store_slice, (2, 3), (2, 2)),
                                     (store_slice, (4, 2, 3), (3, 1, 3)), (store_new, (3,), (2, 1)),
                                     (store_new, (3, 2), (3, 1, 3))])
def test_store_shape_message(f, sa, sb):
    a, b = np.zeros(sa), np.ones(sb)
    want = numpy_error(f, a.copy(), b)
    with pytest.raises(ValueError) as e:
        f(a, b)
    assert str(e.value) == want            # "could not broadcast input array from shape (3,) into shape (2,)"
    assert same(a, np.zeros(sa))


def test_readonly_write():
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.raises(ember.TypingError):
        fill_new(a, 1.0)


# -- The @ operator and np.matmul -----------------------------------------------------------


@ember.jit
def mm(a, b):
    return a @ b


@ember.jit
def npmm(a, b):
    return np.matmul(a, b)


@ember.jit
def mm_chain(a, b, c):
    return (a @ b) @ c


def small_ints(dtype, shape, seed):
    """Values that make every product and sum exact (any summation order gives the same)."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(dt)
    v = rng.integers(-4 if dt.kind != "u" else 0, 5, shape)
    if dt.kind == "c":
        v = v + 1j * rng.integers(-4, 5, shape)
    return v.astype(dt)


SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((1, 1), (1, 1)),
          ((0,), (0,)), ((0, 3), (3, 2)), ((2, 0), (0, 3)), ((4,), (4, 0)), ((5, 2), (2, 1))]
DTYPES_MM = [np.bool_, np.int8, np.int32, np.int64, np.uint8, np.uint64, np.float32, np.float64,
             np.complex64, np.complex128]


@pytest.mark.parametrize("dtype", DTYPES_MM)
def test_matmul_exact(dtype):
    for k, (sa, sb) in enumerate(SHAPES):
        a, b = small_ints(dtype, sa, k), small_ints(dtype, sb, 50 + k)
        for x in layouts(a)[:4]:
            got = check(mm, x, b)
            assert same(got, mm.py_func(x, b))
        check(npmm, a, b)


@pytest.mark.parametrize("pair", [(np.int8, np.uint8), (np.int32, np.float32), (np.int8, np.float32),
                                  (np.bool_, np.int16), (np.float32, np.complex64), (np.float64, np.complex64),
                                  (np.uint64, np.int64), (np.int16, np.complex128)])
def test_matmul_promotion(pair):
    for k, (sa, sb) in enumerate(SHAPES[:5]):
        a, b = small_ints(pair[0], sa, k), small_ints(pair[1], sb, 9 + k)
        check(mm, a, b)
        check(mm, b.T if b.ndim == 2 else b, a.T if a.ndim == 2 else a)


def test_matmul_int_wraps():
    a = np.full((2, 3), 100, np.int8)
    b = np.full((3, 2), 3, np.int8)
    assert same(mm(a, b), a @ b)          # 900 wraps to int8, as NumPy's loop does


def test_matmul_random_floats():
    rng = np.random.default_rng(11)
    for _ in range(20):
        n, k, m = (int(x) for x in rng.integers(1, 9, 3))
        for dt, tol in ((np.float64, 1e-12), (np.float32, 1e-4), (np.complex128, 1e-12)):
            a = rng.standard_normal((n, k)).astype(dt)
            b = rng.standard_normal((k, m)).astype(dt)
            if dt == np.complex128:
                a = a + 1j * rng.standard_normal((n, k))
                b = b + 1j * rng.standard_normal((k, m))
            for x, y in ((a, b), (a[0], b), (a, b[:, 0]), (a[0], b[:, 0])):
                got, want = mm(x, y), x @ y
                assert np.asarray(got).dtype == np.asarray(want).dtype
                assert np.allclose(got, want, rtol=tol, atol=tol)
    a, b, c = rng.standard_normal((3, 4)), rng.standard_normal((4, 5)), rng.standard_normal(5)
    assert np.allclose(mm_chain(a, b, c), (a @ b) @ c, rtol=1e-12)


def test_matmul_nan_inf():
    a = np.array([[np.inf, 1.0], [np.nan, 0.0]])
    b = np.array([[1.0, 0.0], [2.0, -1.0]])
    assert same(mm(a, b), a @ b)


def numpy_error(f, *args):
    with pytest.raises(ValueError) as e:
        f.py_func(*args)
    return str(e.value)


@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (4,)), ((3,), (4, 2)), ((2, 3), (4, 2)), ((0,), (1,))])
def test_matmul_mismatch(sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    want = numpy_error(mm, a, b)
    with pytest.raises(ValueError) as e:
        mm(a, b)
    assert str(e.value) == want
    with pytest.raises(ValueError) as e:
        npmm(a.astype(np.int32), b.astype(np.int32))
    assert str(e.value) == want


@ember.jit
def mm_scalar_left(x, b):
    return x @ b


def test_matmul_scalars():
    a = np.ones(3)
    for f, args in ((mm, (a, 2.0)), (mm, (2, a)), (npmm, (a, 1)), (mm, (np.array(1.0), a))):
        want = numpy_error(f, *args)
        with pytest.raises(ember.TypingError) as e:
            f(*args)
        assert want in str(e.value)
    with pytest.raises(TypeError) as e:
        mm.py_func(2, 3)
    with pytest.raises(ember.TypingError) as g:
        mm(2, 3)
    assert str(e.value) in str(g.value)


def test_matmul_4d_unsupported():   # one stack (3-D) is supported: test_blas.py
    with pytest.raises(ember.UnsupportedError, match="matmul of arrays of more than 3 dimensions"):
        mm(np.ones((2, 2, 2, 2)), np.ones((2, 2)))


# -- a @= b ---------------------------------------------------------------------------------


@ember.jit
def imm(a, b):
    c = a
    a @= b
    return c


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex128, np.bool_])
def test_imatmul(dtype):
    for k, (sa, sb) in enumerate((((2, 3), (3, 3)), ((3,), (3, 3)), ((0, 2), (2, 2)), ((4, 1), (1, 1)))):
        for a in layouts(small_ints(dtype, sa, k))[:4]:
            got = check(imm, a, small_ints(dtype, sb, 20 + k))
            assert got is not None


def test_imatmul_writes_argument():
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(9.0).reshape(3, 3)
    want = a @ b
    r = imm(a, b)
    assert same(a, want) and r.shape == want.shape


def test_imatmul_errors():
    a, b = np.ones((2, 3)), np.ones((3, 2))
    want = numpy_error(imm, a.copy(), b)
    with pytest.raises(ValueError) as e:
        imm(a, b)
    assert str(e.value) == want
    assert same(a, np.ones((2, 3)))       # nothing written
    want = numpy_error(imm, np.ones((2, 3)), np.ones(3))
    with pytest.raises(ember.TypingError) as e:
        imm(np.ones((2, 3)), np.ones(3))
    assert want in str(e.value)
    with pytest.raises(Exception) as w:
        imm.py_func(np.ones((2, 2), np.int64), np.ones((2, 2)))
    with pytest.raises(ember.TypingError) as e:
        imm(np.ones((2, 2), np.int64), np.ones((2, 2)))
    assert str(w.value) in str(e.value)
