"""NumPy functions of jit/ember/_lib_more.py (rounding, nan-reductions, order
statistics, comparisons, index arithmetic, reordering and building arrays,
histograms) and the math functions of integers and sequences, against NumPy
and CPython on generated inputs: values, dtypes, shapes and exceptions."""
import math
import random
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import check, layouts, same, sample


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def floats(shape, seed, nan=0.1, dtype=np.float64):
    """Random floats of 'shape' with some NaN, infinities and signed zeros mixed in."""
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 10, shape)
    flat = a.reshape(-1)
    k = flat.size
    for v, p in ((np.nan, nan), (np.inf, 0.02), (-np.inf, 0.02), (0.0, 0.05), (-0.0, 0.05)):
        flat[rng.random(k) < p] = v
    return a.astype(dtype)


def ints(shape, seed, lo=-50, hi=50, dtype=np.int64):
    return np.random.default_rng(seed).integers(lo, hi, shape).astype(dtype)


# -- Rounding -----------------------------------------------------------------------

@ember.jit
def round_d(a, d):
    return np.round(a, d)


@ember.jit
def around0(a):
    return np.around(a), a.round(2)


@ember.jit
def fix(a):
    return np.fix(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_floats(dtype):
    rng = np.random.default_rng(1)
    a = (rng.normal(0, 1000, 300) * rng.choice([1, 1e-3, 1e3], 300)).astype(dtype)
    a[:6] = [np.nan, np.inf, -np.inf, -0.0, 0.5, 2.5]
    a[6:12] = [2.675, 1.005, -1.5, 0.125, 1234.5, -0.0049]
    for d in range(-4, 12):
        check(round_d, a, d)
    check(around0, a)
    for x in a[:40]:
        check(round_d, float(x), 2)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_round_ints(dtype):
    a = ints(50, 2, 0, 200, dtype)
    for d in (-3, -2, -1, 0, 1):
        check(round_d, a, d)
    check(round_d, 1234, -2)


def test_fix():
    check(fix, floats(200, 3))
    check(fix, floats((4, 5), 4, dtype=np.float32))
    check(fix, ints(9, 5))


# -- NaN-ignoring reductions ---------------------------------------------------------

@ember.jit
def nan_whole(a):
    return (np.nansum(a), np.nanprod(a), np.nanmean(a), np.nanvar(a), np.nanstd(a),
            np.nanvar(a, ddof=1), np.nanstd(a, ddof=1))


@ember.jit
def nan_axis(a, k):
    return (np.nansum(a, axis=k), np.nanprod(a, axis=k), np.nanmean(a, axis=k), np.nanvar(a, axis=k),
            np.nanstd(a, axis=k, ddof=1), np.nanmax(a, axis=k), np.nanmin(a, axis=k))


@ember.jit
def nan_keep(a):
    return np.nansum(a, axis=1, keepdims=True), np.nanmean(a, axis=0, keepdims=True), np.nanmax(a, keepdims=True)


@ember.jit
def nan_extrema(a):
    return np.nanmax(a), np.nanmin(a)


@ember.jit
def nan_arg(a):
    return np.nanargmax(a), np.nanargmin(a)


@ember.jit
def nan_arg_axis(a, k):
    return np.nanargmax(a, axis=k), np.nanargmin(a, axis=k)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_reductions(dtype):
    for seed in range(6):
        for a in layouts(floats((7, 9), seed, nan=0.2, dtype=dtype)):
            check(nan_whole, a)
            z = a + dtype(0)     # no -0.0 where a minimum or maximum may tie: NumPy's SIMD loops decide the sign
            check(nan_axis, z, 0)
            check(nan_axis, z, 1)
            check(nan_axis, z, -1)
            check(nan_keep, z)
            check(nan_extrema, z)
        f = floats(1000, seed, nan=0.3, dtype=dtype)
        check(nan_whole, f)
        check(nan_extrema, f)
    check(nan_whole, np.array([np.nan, np.nan], dtype))      # all NaN: 0, 1, nan, nan
    check(nan_whole, np.zeros(0, dtype))
    check(nan_axis, np.full((3, 2), np.nan, dtype), 0)


def test_nan_reductions_ints():
    a = ints((5, 6), 7)
    check(nan_whole, a)
    check(nan_axis, a, 1)
    check(nan_arg, a)


def test_nan_arg():
    for seed in range(8):
        a = floats((6, 5), seed, nan=0.3)
        a[0, 0] = np.nan
        check(nan_arg, a.reshape(-1))
        check(nan_arg_axis, a, 0)
        check(nan_arg, np.array([np.nan, -np.inf, np.nan]))
    check(nan_arg, np.array([np.nan, np.nan]))                # ValueError
    check(nan_arg_axis, np.array([[np.nan, 1.0], [np.nan, 2.0]]), 0)
    check(nan_arg, np.zeros(0))
    check(nan_extrema, np.zeros(0))


# -- Order statistics -----------------------------------------------------------------

@ember.jit
def median(a):
    return np.median(a)


@ember.jit
def median_axis(a, k):
    return np.median(a, axis=k)


@ember.jit
def quantile(a, q):
    return np.quantile(a, q)


@ember.jit
def percentile(a, q):
    return np.percentile(a, q)


@ember.jit
def quantile_axis(a, q, k):
    return np.quantile(a, q, axis=k)


@ember.jit
def percentile_list(a):
    return np.percentile(a, [5, 50, 95.5]), np.percentile(a, (0, 100))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_median_quantile(dtype):
    for seed in range(6):
        for n in (1, 2, 5, 6, 31):
            a = floats(n, seed, nan=0.0 if seed % 2 else 0.1).astype(dtype) if dtype in (np.float64, np.float32) \
                else ints(n, seed, dtype=dtype)
            a = a + a.dtype.type(0)   # no -0.0: which of equal zeros NumPy's introselect puts in the middle is its own
            check(median, a)
            for q in (0.0, 0.1, 0.25, 0.5, 0.7, 1.0):
                check(quantile, a, q)
                check(percentile, a, q * 100)
            check(quantile, a, np.linspace(0, 1, 7))
            check(percentile_list, a)
        m = ints((5, 4), seed, dtype=dtype) if dtype in (np.int64, np.int32) else floats((5, 4), seed).astype(dtype)
        m = m + m.dtype.type(0)
        for k in (0, 1, -1):
            check(median_axis, m, k)
            check(quantile_axis, m, 0.3, k)
            check(quantile_axis, m, np.array([0.2, 0.9]), k)


def test_quantile_errors():
    a = floats(10, 1)
    check(quantile, a, 1.5)
    check(quantile, a, -0.1)
    check(percentile, a, 101.0)
    check(quantile, np.zeros(0), 0.5)
    check(median, np.zeros(0))
    check(quantile, np.arange(5), 1)      # an int q takes an item: int64
    check(quantile, np.arange(5), 0)


# -- Comparing arrays ------------------------------------------------------------------

@ember.jit
def isclose(a, b):
    return np.isclose(a, b)


@ember.jit
def isclose_kw(a, b, rtol, atol):
    return np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


@ember.jit
def allclose(a, b):
    return np.allclose(a, b), np.allclose(a, b, equal_nan=True)


@ember.jit
def array_equal(a, b):
    return np.array_equal(a, b), np.array_equal(a, b, equal_nan=True)


def test_isclose():
    for seed in range(5):
        a = floats((4, 6), seed)
        rng = np.random.default_rng(seed)
        b = a * (1 + rng.choice([0, 1e-9, 1e-6, 1e-4], a.shape)) + rng.choice([0, 1e-9, 1e-7], a.shape)
        for x, y in ((a, b), (a, b[0]), (a[:, :1], b), (a.astype(np.float32), b.astype(np.float32))):
            check(isclose, x, y)
            check(isclose_kw, x, y, 1e-3, 0.0)
            check(allclose, x, y)
        check(isclose, a, 1.0)
        check(isclose, ints(6, seed), ints(6, seed + 1))
        for x, y in zip(a.reshape(-1)[:10], b.reshape(-1)[:10]):
            check(isclose, float(x), float(y))
    check(isclose, np.zeros(3), np.zeros(4))    # ValueError: shapes do not broadcast


def test_array_equal():
    a = floats((3, 4), 9)
    check(array_equal, a, a.copy())
    check(array_equal, a, a[:2])
    check(array_equal, a, a.reshape(-1))
    check(array_equal, ints(5, 1), ints(5, 1).astype(np.float64))
    b = a.copy()
    b[1, 1] = 3.5
    check(array_equal, a, b)


# -- Index arithmetic -------------------------------------------------------------------

@ember.jit
def unravel(i, shape):
    return np.unravel_index(i, shape)


@ember.jit
def ravel_multi(idx, shape):
    return np.ravel_multi_index(idx, shape)


@ember.jit
def nonzeros(a):
    return np.nonzero(a), a.nonzero(), np.argwhere(a), np.flatnonzero(a)


@ember.jit
def ptp(a):
    return np.ptp(a), np.ptp(a, axis=0)


def test_unravel_ravel():
    for shape in ((7,), (3, 4), (2, 3, 5), (2, 1, 3, 2)):
        n = int(np.prod(shape))
        for i in (0, 1, n // 2, n - 1, n, -1):
            check(unravel, i, shape)
        check(unravel, np.arange(n).reshape(-1, 1) if len(shape) > 1 else np.arange(n), shape)
        check(unravel, np.array([0, n]), shape)
        idx = tuple(int(s) - 1 for s in shape)
        check(ravel_multi, idx, shape)
        check(ravel_multi, tuple(np.arange(2) % s for s in shape), shape)
        check(ravel_multi, tuple(s for s in shape), shape)     # ValueError
    check(unravel, 5, 6)
    check(ravel_multi, (3,), 4)


def test_nonzero_ptp():
    for seed in range(4):
        for shape in ((9,), (4, 5), (2, 3, 4)):
            a = ints(shape, seed, -2, 3)
            check(nonzeros, a)
            check(nonzeros, a > 0)
            check(ptp, a)
            check(ptp, floats(shape, seed, nan=0.0))
    check(nonzeros, np.zeros((0, 3)))


# -- Reordering and building -------------------------------------------------------------

@ember.jit
def flips(a):
    return np.flip(a), np.flip(a, 0), np.flip(a, axis=-1), np.flipud(a), np.fliplr(a)


@ember.jit
def rolls(a, s):
    return np.roll(a, s), np.roll(a, s, axis=0), np.roll(a, s, axis=1)


@ember.jit
def tri(a, k):
    return np.tril(a), np.triu(a), np.tril(a, k), np.triu(a, k)


@ember.jit
def repeats(a, r):
    return np.repeat(a, r), np.repeat(a, r, axis=0), np.repeat(a, r, axis=1), a.repeat(r)


@ember.jit
def repeat_counts(a, r):
    return np.repeat(a, r)


@ember.jit
def tiles(a):
    return np.tile(a, 3), np.tile(a, (2, 3)), np.tile(a, (2, 1))


@ember.jit
def cross(a, b):
    return np.cross(a, b)


@ember.jit
def meshgrid(x, y):
    return np.meshgrid(x, y)


def test_flip_roll_tri():
    for seed in range(3):
        for a in layouts(ints((4, 5), seed)):
            check(flips, a)
            for s in (0, 1, -2, 7, -13):
                check(rolls, a, s)
            for k in (-2, -1, 0, 1, 3):
                check(tri, a, k)
    check(rolls, np.zeros((0, 3)), 1)


def test_repeat_tile_cross_meshgrid():
    for seed in range(3):
        a = floats((3, 4), seed)
        for r in (0, 1, 3):
            check(repeats, a, r)
        check(repeat_counts, ints(5, seed), np.array([0, 1, 2, 3, 1]))
        check(repeat_counts, ints(5, seed), np.array([0, 1, -2, 3, 1]))   # ValueError
        check(tiles, a)
        check(tiles, ints(4, seed))
        check(cross, floats(3, seed, nan=0), floats(3, seed + 1, nan=0))
        check(cross, ints(3, seed), floats(3, seed + 1, nan=0).astype(np.float32))
        check(meshgrid, floats(4, seed), ints(3, seed))
    check(cross, np.ones(4), np.ones(4))    # ValueError


# -- Counting, polynomials, averages ----------------------------------------------------

@ember.jit
def histogram(a, bins):
    return np.histogram(a, bins)


@ember.jit
def histogram_range(a, bins, lo, hi):
    return np.histogram(a, bins, (lo, hi))


@ember.jit
def digitize(x, bins, right):
    return np.digitize(x, bins, right=right)


@ember.jit
def polyval(p, x):
    return np.polyval(p, x)


@ember.jit
def average(a, w):
    return np.average(a), np.average(a, weights=w), np.average(a, axis=0, weights=w)


@ember.jit
def average_1d(a, w):
    return np.average(a, axis=1, weights=w)


def test_histogram_digitize():
    for seed in range(5):
        x = floats(500, seed, nan=0.0)
        x = x[np.isfinite(x)]
        for bins in (1, 3, 10, 17):
            check(histogram, x, bins)
            check(histogram_range, x, bins, -5.0, 5.0)
            check(histogram_range, x, bins, 0.0, 0.0)
        check(histogram, ints(100, seed), 6)
        b = np.sort(floats(6, seed, nan=0.0))
        for right in (False, True):
            check(digitize, floats(40, seed + 1, nan=0.05), b, right)
            check(digitize, floats(40, seed + 1, nan=0.0), b[::-1].copy(), right)
    for seed in range(5):
        x = floats(300, seed, nan=0.0).astype(np.float32)
        x = x[np.isfinite(x)]
        for bins in (1, 4, 13):
            check(histogram, x, bins)
            check(histogram_range, x, bins, -3.0, 7.5)
    check(histogram, np.zeros(0), 4)
    check(histogram, np.array([1.0, np.nan]), 4)          # ValueError: range not finite
    check(histogram_range, np.ones(3), 4, 2.0, 1.0)        # ValueError
    check(digitize, np.ones(3), np.array([1.0, 3.0, 2.0]), False)   # ValueError


def test_polyval_average():
    for seed in range(4):
        p = floats(5, seed, nan=0.0)
        check(polyval, p, floats(20, seed + 1, nan=0.0))
        check(polyval, p, 1.5)
        check(polyval, ints(4, seed), 3)
        a = floats((4, 3), seed, nan=0.0)
        w = np.abs(floats((4, 3), seed + 1, nan=0.0)) + 0.5
        check(average, a, w)
        check(average_1d, a, np.array([1.0, 2.0, 0.5]))
    check(average, np.ones((2, 2)), np.zeros((2, 2)))     # ZeroDivisionError


# -- The math module -----------------------------------------------------------------------

@ember.jit
def m_fact(n):
    return math.factorial(n)


@ember.jit
def m_comb_perm(n, k):
    return math.comb(n, k), math.perm(n, k)


@ember.jit
def m_gcd_lcm(a, b, c):
    return math.gcd(a, b), math.gcd(a, b, c), math.lcm(a, b), math.lcm(a, b, c), math.gcd(a), math.gcd()


@ember.jit
def m_isqrt(n):
    return math.isqrt(n)


@ember.jit
def m_prod(t):
    return math.prod(t)


@ember.jit
def m_fsum(t):
    return math.fsum(t)


def test_math_ints():
    from helpers import check as pcheck
    for n in list(range(0, 25)) + [-1, -5]:
        pcheck(m_fact, n)
        pcheck(m_isqrt, n)
    rng = random.Random(5)
    for _ in range(60):
        n = rng.randrange(-3, 80)
        k = rng.randrange(-3, 80)
        pcheck(m_comb_perm, n, k)
    for n in (0, 1, 2, 3, 4, 15, 16, 17, 10**12, 10**18, 2**62, 2**63 - 1, (2**31 + 11) ** 2, (2**31 + 11) ** 2 - 1):
        pcheck(m_isqrt, n)
    for _ in range(60):
        a, b, c = (rng.randrange(-10**6, 10**6) for _ in range(3))
        pcheck(m_gcd_lcm, a, b, c)
    pcheck(m_gcd_lcm, 0, 0, 0)
    pcheck(m_gcd_lcm, 2**40, 2**41 * 3, 2**39 * 5)     # lcm past int64: CPython's big int


def test_math_prod_fsum():
    from helpers import check as pcheck
    pcheck(m_prod, (1, 2, 3, 4))
    pcheck(m_prod, (1.5, 2, -3))
    pcheck(m_prod, ())
    check(m_prod, np.arange(1, 8))
    check(m_prod, np.linspace(0.5, 2.0, 9))
    pcheck(m_fsum, (0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1))
    pcheck(m_fsum, (1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50))
    pcheck(m_fsum, (1, 2.5, 3))
    pcheck(m_fsum, (math.inf, 1.0))
    pcheck(m_fsum, (math.inf, -math.inf))
    pcheck(m_fsum, (math.nan, 1.0))
    pcheck(m_fsum, (1.7e308, 1.7e308))                  # OverflowError
    rng = np.random.default_rng(3)
    for seed in range(20):
        x = rng.normal(0, 1, 200) * 10.0 ** rng.integers(-20, 20, 200)
        check(m_fsum, x)
        assert m_fsum(x) == math.fsum(x)
    check(m_fsum, np.zeros(0))


# -- dtype comparisons --------------------------------------------------------------------

@ember.jit
def dtype_cmp(a, b):
    return (a.dtype == np.float32, a.dtype == np.float64, a.dtype != np.int64, a.dtype == b.dtype,
            a.dtype != b.dtype, a.dtype.itemsize)


@ember.jit
def dtype_branch(a):
    if a.dtype == np.float32:
        return a.sum() * np.float32(2)
    return a.sum() + 1


def test_dtype_compare():
    for x in (np.float32, np.float64, np.int64, np.int32, np.bool_, np.complex128):
        for y in (np.float32, np.float64, np.int64):
            check(dtype_cmp, np.ones(3, x), np.ones(2, y))
        check(dtype_branch, np.ones(4, x))


# -- print() ---------------------------------------------------------------------------------

@ember.jit
def printer(x, n, a):
    print(x, n, "hello", True, None, -0.0, 1e300, 3 + 4j)
    print("x =", x, sep="", end="!\n")
    print(f"n={n} x={x:.3f} {x!r}", (n, x), sep=" | ")
    print(a)
    print()
    for i in range(3):
        print(i, i * x, end=" ")
    print(a[1:] * 2.0, np.float32(x), a[0], a.sum(), a.reshape(2, 3), a > 2, flush=True)
    print(np.int8(n), np.uint64(abs(n)), n > 3, sep=None, end=None)
    return n + 1


def test_print(capsys):
    for x, n, a in ((2.5, 7, np.arange(6.0)), (-0.1, -3, np.linspace(-1, 1, 6)), (float("nan"), 0, np.zeros(6))):
        got = printer(x, n, a)
        out = capsys.readouterr().out
        want = printer.py_func(x, n, a)
        assert got == want
        assert out == capsys.readouterr().out


@ember.jit
def print_order(n):
    s = 0
    for i in range(n):
        s += i
        print("step", i, s)
    return s


def test_print_order(capsys):
    print("before")
    print_order(4)
    print("after")
    out = capsys.readouterr().out
    print("before")
    print_order.py_func(4)
    print("after")
    assert out == capsys.readouterr().out


@ember.jit
def m_hypot(a, b, c):
    return math.hypot(a, b, c), math.hypot(a), math.hypot(), math.hypot(a, b, c, a, b)


@ember.jit
def m_dist(p, q):
    return math.dist(p, q)


@ember.jit
def m_dist3(a, b, c, x, y, z):
    return math.dist((a, b, c), (x, y, z))


def test_math_hypot_dist():
    """CPython's vector_norm, this version's (3.12 changed the rounding of rare cases)."""
    from helpers import check as pcheck
    rng = random.Random(7)
    for _ in range(3000):
        e = rng.choice([0, 0, -200, 200, -1070, -1030, 300])
        a, b, c = (rng.uniform(-1, 1) * 10.0 ** (e + rng.randint(-3, 3)) for _ in range(3))
        pcheck(m_hypot, a, b, c)
        pcheck(m_dist3, a, b, c, c, -a, b)
    for a, b, c in ((math.inf, math.nan, 1.0), (math.nan, 1.0, 2.0), (0.0, -0.0, 0.0), (3, 4, 12), (1e308, 1e308, 1e308)):
        pcheck(m_hypot, a, b, c)
    x = floats(7, 1, nan=0.0)
    x = x[np.isfinite(x)]
    y = floats(x.size, 2, nan=0.0)
    y[~np.isfinite(y)] = 1.0
    check(m_dist, x, y)
    check(m_dist, x, y[:2])          # ValueError


@ember.jit
def median_keep(a):
    return np.median(a, axis=1, keepdims=True), np.median(a, keepdims=True)


def test_median_keepdims():
    check(median_keep, floats((3, 4), 1))


# -- Convolution and covariance (float sums in index order: NumPy may use BLAS) ----------------

@ember.jit
def convolve(a, v):
    return np.convolve(a, v)


@ember.jit
def correlate(a, v):
    return np.correlate(a, v)


@ember.jit
def conv_modes(a, v):
    return (np.convolve(a, v, "same"), np.convolve(a, v, mode="valid"), np.convolve(a, v, "full"),
            np.correlate(a, v, "full"), np.correlate(a, v, mode="same"))


@ember.jit
def covs(m, y):
    return np.cov(m), np.cov(m, bias=True), np.cov(m, ddof=0), np.cov(m, y), np.corrcoef(m), np.corrcoef(m, y)


@ember.jit
def covs_cols(m):
    return np.cov(m, rowvar=False), np.corrcoef(m, rowvar=False)


def close(got, want):
    if isinstance(want, tuple):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            close(g, w)
        return
    w = np.asarray(want)
    g = np.asarray(got)
    assert g.shape == w.shape and g.dtype == w.dtype, (got, want)
    if w.dtype.kind in "fc":
        assert np.allclose(g, w, rtol=1e-12, atol=1e-14, equal_nan=True), (got, want)
    else:
        assert np.array_equal(g, w), (got, want)


def test_convolve_correlate():
    for seed in range(4):
        for n, k in ((7, 3), (3, 7), (5, 5), (1, 4), (6, 1)):
            close(convolve(ints(n, seed), ints(k, seed + 1)), np.convolve(ints(n, seed), ints(k, seed + 1)))
            x, y = floats(n, seed, nan=0.0), floats(k, seed + 1, nan=0.0)
            x[~np.isfinite(x)] = 1.0
            y[~np.isfinite(y)] = 2.0
            close(convolve(x, y), np.convolve(x, y))
            close(correlate(x, y), np.correlate(x, y))
            close(correlate(ints(n, seed), y), np.correlate(ints(n, seed), y))
    check(convolve, np.zeros(0), np.ones(3))     # ValueError
    for n, k in ((7, 3), (3, 7), (5, 5), (6, 1), (4, 2)):
        close(conv_modes(ints(n, 1), ints(k, 2)), conv_modes.py_func(ints(n, 1), ints(k, 2)))
        close(conv_modes(np.linspace(0, 1, n), np.linspace(2, 3, k)), conv_modes.py_func(np.linspace(0, 1, n), np.linspace(2, 3, k)))


def test_cov_corrcoef():
    rng = np.random.default_rng(4)
    for seed in range(4):
        m = rng.normal(size=(3, 8))
        y = rng.normal(size=(2, 8))
        close(covs(m, y), covs.py_func(m, y))
        close(covs(m[0], y[0]), covs.py_func(m[0], y[0]))
        close(covs(ints((2, 5), seed), ints((2, 5), seed + 1)), covs.py_func(ints((2, 5), seed), ints((2, 5), seed + 1)))
        close(covs_cols(m.T.copy()), covs_cols.py_func(m.T.copy()))


@ember.jit
def nan_tuple_axes(a):
    return np.nansum(a, axis=(0, 2)), np.nanmean(a, axis=(1, 2)), np.nanvar(a, axis=(0, 1)), np.nanprod(a, axis=(0, 2))


def test_nan_reductions_3d():
    for seed in range(3):
        for dtype in (np.float64, np.float32):
            for a in layouts(floats((4, 5, 3), seed, nan=0.2, dtype=dtype)):
                check(nan_tuple_axes, a)
                for k in (0, 1, 2):
                    check(nan_axis, a + dtype(0), k)    # no -0.0: NumPy's 3-D loop order decides a zero's sign


@ember.jit
def weak_module_consts(a):
    z = a.dtype.type(0)
    return z + math.nan, z + math.inf, np.float32(1) * math.pi, z - np.inf, z + np.e


def test_module_constants_are_weak():
    """math.nan, math.inf, math.pi, np.inf, np.e are Python floats: NEP 50 keeps float32 (was garbage: typed f64, computed f32)."""
    check(weak_module_consts, np.ones(3, np.float32))
    check(weak_module_consts, np.ones(3, np.float64))


@ember.jit
def nan_order(a, q):
    return np.nanmedian(a), np.nanquantile(a, q), np.nanpercentile(a, q * 100)


@ember.jit
def nan_order_axis(a, q, k):
    return np.nanmedian(a, axis=k), np.nanquantile(a, q, axis=k), np.nanpercentile(a, q * 100, axis=k)


def test_nanmedian_nanquantile():
    for seed in range(5):
        for dtype in (np.float64, np.float32):
            for shape in ((9,), (40,), (700,)):     # NumPy takes another path from 600 items on
                a = floats(shape, seed, nan=0.3, dtype=dtype) + dtype(0)
                for q in (0.0, 0.3, 0.75, 1.0):
                    check(nan_order, a, q)
            m = floats((5, 6), seed, nan=0.3, dtype=dtype) + dtype(0)
            for k in (0, 1):
                check(nan_order_axis, m, 0.4, k)
    check(nan_order, np.full(3, np.nan), 0.5)          # all NaN: NaN
    check(nan_order_axis, np.full((3, 2), np.nan), 0.5, 0)
    check(nan_order, ints(7, 1), 0.5)


def test_lib_more_loads_on_first_use():
    """ember._lib does not import _lib_more (its generated code took 30 ms of every
    first call using arrays); the first name only _lib_more has brings it in."""
    import subprocess
    import sys
    code = ("import sys, numpy as np, ember, ember._lib\n"
            "before = 'ember._lib_more' in sys.modules\n"
            "f = ember.jit(lambda a: np.nanmax(a))\n"
            "r = f(np.array([1.0, np.nan, 3.0]))\n"
            "print(before, 'ember._lib_more' in sys.modules, r)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "3.0"]
