"""Reductions along an axis (issue 4): sum, prod, mean, max, min, argmax, argmin
and cumsum with axis=k, as methods and numpy functions, by keyword and by
position, compiled and against NumPy itself: generated values of every numeric
dtype, shapes of 1 to 4 dimensions (empty ones and axes of length 1 among
them), and layouts C, Fortran, strided, axes in another memory order and
negative strides.  Integer and order results must be equal; float sums and
means agree within a few ulps of the sum of |x| along the axis (Ember follows
NumPy's summation order, so they are equal in practice), float products within
a few ulps of themselves (complex ones a few per factor).  1-D arrays give NumPy's scalar."""
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, same


@ember.jit
def sums_kw(a, k):
    return a.sum(axis=k), np.prod(a, axis=k), a.mean(axis=k), np.cumsum(a, axis=k)


@ember.jit
def sums_pos(a, k):
    return np.sum(a, k), a.prod(k), np.mean(a, k), a.cumsum(k)


@ember.jit
def orders_kw(a, k):
    return np.max(a, axis=k), a.min(axis=k), a.argmax(axis=k), np.argmin(a, axis=k)


@ember.jit
def orders_pos(a, k):
    return a.max(k), np.min(a, k), np.argmax(a, k), a.argmin(k)


SUMS = ("sum", "prod", "mean", "cumsum")
ORDERS = ("max", "min", "argmax", "argmin")
ALL = [np.float16] + DTYPES


def values(dtype, shape, seed=0):
    """Random values of 'dtype': ints over their whole range, floats of magnitudes 1e-3 to 1e3."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(dt)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return rng.integers(info.min, info.max, shape, dtype=dt, endpoint=True)
    mag = 10.0 ** rng.integers(-3, 2 if dt.itemsize == 2 else 4, shape)
    x = rng.standard_normal(shape) * mag
    if dt.kind == "c":
        x = x + 1j * rng.standard_normal(shape) * mag
    return x.astype(dt)


def views(a):
    """'a' as C, Fortran, strided, axes in another memory order and negatively strided arrays."""
    yield np.ascontiguousarray(a)
    if a.ndim >= 2:
        yield np.asfortranarray(a)
    big = np.zeros(tuple(2 * n + 1 for n in a.shape), a.dtype)
    v = big[tuple(slice(1, None, 2) for _ in a.shape)]
    v[...] = a
    yield v
    r = np.ascontiguousarray(a[tuple(slice(None, None, -1) for _ in a.shape)])
    yield r[tuple(slice(None, None, -1) for _ in a.shape)]
    if a.ndim >= 2:
        yield np.moveaxis(np.ascontiguousarray(np.moveaxis(a, 0, -1)), -1, 0)
        big = np.zeros(a.shape[:-1] + (3 * a.shape[-1],), a.dtype)
        v = big[..., ::-3]
        v[...] = a
        yield v


def _py(x):
    """np.float64, np.complex128 and np.bool_ scalars as Python's (Ember returns those)."""
    return x.item() if type(x) in (np.float64, np.complex128, np.bool_) else x


def _scale(op, a, k):
    """What the rounding error of NumPy's 'op' along axis k is measured against."""
    m = np.abs(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
    if op == "sum":
        return np.sum(m, axis=k)
    if op == "mean":
        return np.mean(m, axis=k) if a.shape[k] else np.zeros(np.delete(a.shape, k))
    return np.cumsum(m, axis=k)


def agree(op, got, want, a, k):
    """Compiled 'got' is NumPy's 'want' for a.<op>(axis=k): type, dtype, shape; the value
    exactly, or within a few ulps where NumPy's float arithmetic is rounded."""
    where = f"{op}(axis={k}) of {a.dtype} {a.shape} strides {a.strides}"
    if type(want) is np.float16:      # Ember has no float16 scalars: a float32, not rounded (README)
        assert type(got) is np.float32, f"{where}: compiled {got!r}, NumPy {want!r}"
        got = np.float16(got)
    if not isinstance(want, np.ndarray):
        assert type(_py(got)) is type(_py(want)), f"{where}: compiled {got!r}, NumPy {want!r}"
    else:
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, \
            f"{where}: compiled {got!r}, NumPy {want!r}"
    g, w = np.asarray(got), np.asarray(want)
    if w.dtype.kind not in "fc" or op in ORDERS:     # ties of -0.0 and 0.0: NumPy's SIMD loops pick either
        assert np.array_equal(g, w, equal_nan=w.dtype.kind in "fc"), f"{where}: compiled {got!r}, NumPy {want!r}"
        return
    eps = np.finfo(w.dtype).eps
    tol = 8 * eps * (np.abs(w) if op == "prod" else _scale(op, a, k))
    if op == "prod" and w.dtype.kind == "c":     # each complex product rounds its own way
        tol *= max(a.shape[k], 1)
    fin = np.isfinite(w)
    assert np.array_equal(np.isfinite(g), fin), f"{where}: compiled {got!r}, NumPy {want!r}"
    assert np.array_equal(g[~fin], w[~fin], equal_nan=True), f"{where}: compiled {got!r}, NumPy {want!r}"
    assert np.all(np.abs(g[fin] - w[fin]) <= tol[fin]), f"{where}: compiled {got!r}, NumPy {want!r}"


def check_axis(f, ops, a, k):
    """f(a, k) compiled and in the interpreter: the same results, or the same exception type."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = f.py_func(a, k)
        except Exception as e:  # noqa: BLE001   (compiled code raises IndexError for AxisError)
            with pytest.raises(IndexError if isinstance(e, IndexError) else type(e)):
                f(a, k)
            return
        got = f(a, k)
    for op, g, w in zip(ops, got, want):
        agree(op, g, w, a, k)


def check_all(a, dtype):
    for v in views(a):
        for k in range(-v.ndim, v.ndim):
            check_axis(sums_kw if k % 2 else sums_pos, SUMS, v, k)
            if np.dtype(dtype) != np.complex128:     # Python's complex has no order
                check_axis(orders_kw if k % 2 else orders_pos, ORDERS, v, k)


@pytest.mark.parametrize("dtype", ALL, ids=lambda d: np.dtype(d).name)
def test_every_dtype_2d(dtype):
    for seed, shape in enumerate(((4, 9), (9, 4), (1, 7), (7, 1), (3, 0), (0, 5), (6, 150))):
        check_all(values(dtype, shape, seed), dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.uint8, np.bool_],
                         ids=lambda d: np.dtype(d).name)
def test_dimensions_1_to_4(dtype):
    shapes = ((7,), (0,), (1,), (300,), (2, 3, 4), (1, 5, 1), (3, 0, 2), (4, 20, 9),
              (2, 3, 4, 5), (2, 1, 3, 9), (3, 4, 0, 2))
    for seed, shape in enumerate(shapes):
        check_all(values(dtype, shape, seed), dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64],
                         ids=lambda d: np.dtype(d).name)
def test_long_lines(dtype):
    """Pairwise blocks of 8, halves above 128 items, buffers of 8192 (int means)."""
    for shape in ((3, 1000), (1000, 3), (2, 9000), (2, 17000)):
        a = values(dtype, shape, sum(shape))
        for v in (np.ascontiguousarray(a), np.asfortranarray(a), a[:, ::-1]):
            for k in (0, 1):
                check_axis(sums_kw, SUMS, v, k)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16], ids=lambda d: np.dtype(d).name)
def test_nan_and_inf(dtype):
    """max and min propagate NaN, argmax and argmin give the first NaN; sums of inf and -inf."""
    rng = np.random.default_rng(7)
    for shape in ((5, 8), (3, 4, 6)):
        a = values(dtype, shape, 1)
        flat = a.reshape(-1)
        for i, x in zip(rng.integers(0, a.size, 6), (np.nan, np.inf, -np.inf, np.nan, -0.0, np.nan)):
            flat[i] = x
        for v in views(a):
            for k in range(v.ndim):
                check_axis(orders_kw, ORDERS, v, k)
                check_axis(sums_kw, SUMS, v, k)


def test_ties_give_the_first_index():
    rng = np.random.default_rng(3)
    for dtype in (np.int8, np.uint16, np.float64):
        a = rng.integers(0, 3, (6, 7, 5)).astype(dtype)
        for v in views(a):
            for k in range(3):
                check_axis(orders_pos, ORDERS, v, k)


def test_axis_out_of_range():
    """NumPy raises AxisError, a subclass of IndexError and ValueError; compiled code
    raises IndexError ("index 2 is out of bounds for axis 0 with size 2")."""
    a = np.arange(6.0).reshape(2, 3)
    for k in (2, -3, 5):
        with pytest.raises(IndexError):
            sums_kw.py_func(a, k)
        with pytest.raises(IndexError, match=f"index {k} is out of bounds"):
            sums_kw(a, k)
        with pytest.raises(IndexError):
            orders_pos(a, k)
    with pytest.raises(IndexError):
        sums_pos(np.arange(3), 1)
    with pytest.raises(IndexError):
        orders_kw(np.arange(3), -2)


def test_empty_lines():
    """max and argmax of empty lines raise ValueError, even with no lines; sums give the
    identity, means NaN."""
    for shape, k in (((0, 3), 0), ((3, 0), 1), ((0, 0), 0), ((2, 0, 3), 1), ((0,), 0)):
        a = np.zeros(shape)
        with pytest.raises(ValueError):
            orders_kw(a, k)
        check_axis(orders_pos, ORDERS, a, k)
        check_axis(sums_kw, SUMS, a, k)
    for shape, k in (((0, 3), 1), ((3, 0), 0), ((2, 0, 3), 0)):
        check_axis(orders_kw, ORDERS, np.zeros(shape), k)


def test_zero_dimensional():
    """0-d arrays: sum, prod, max and min take axis 0 and -1 (a scalar), argmax and cumsum
    count them as 1-D, mean takes no axis."""
    @ember.jit
    def f(a, k):
        return a.sum(k), a.prod(k), a.max(k), a.min(k), a.argmax(k), a.argmin(k), a.cumsum(k)

    @ember.jit
    def m(a, k):
        return a.mean(k)

    for a in (np.array(2.5), np.array(-3, np.int16)):
        for k in (0, -1):
            got, want = f(a, k), f.py_func(a, k)
            assert same(got, want), (got, want)
            with pytest.raises(IndexError):
                m.py_func(a, k)
            with pytest.raises(IndexError):
                m(a, k)
        with pytest.raises(IndexError):
            f(a, 1)


def test_axis_types_and_constants():
    """An axis of a NumPy integer type, a constant axis, and the 1-D scalar of each dtype."""
    @ember.jit
    def const(a):
        return a.sum(1), np.mean(a, axis=0), a.max(-1), np.argmin(a, 0), a.cumsum(axis=-2)

    a = values(np.float64, (5, 6), 4)
    got, want = const(a), const.py_func(a)
    for op, g, w in zip(("sum", "mean", "max", "argmin", "cumsum"), got, want):
        agree(op, g, w, a, {"sum": 1, "mean": 0, "max": -1, "argmin": 0, "cumsum": -2}[op])
    for k in (np.int64(1), np.int8(-2), np.uint8(0)):
        check_axis(sums_kw, SUMS, a, k)
        check_axis(orders_pos, ORDERS, a, k)
    for dtype in ALL:
        check_all(values(dtype, (9,), 2), dtype)
