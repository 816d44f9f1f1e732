"""Library loops rewritten to vectorize or to run without a branch per item
(jit/ember/_lib*.py): count_nonzero, nonzero/argwhere, x[mask], argmax/argmin,
floor/ceil/trunc/rint/round/fix (IEEE intrinsics ember._prim.ffloor...), the
vector norm (BLAS's ?dot as NumPy's norm), and jit helpers inlined into loops.
Each is compared with NumPy (or CPython) on generated inputs: dtypes, shapes,
layouts, empty and one-item arrays, NaN, infinities and signed zeros."""
import math
import sys
import warnings

import numpy as np
import pytest

import ember

RNG = np.random.default_rng(20261127)
SHAPES = [(0,), (1,), (5,), (31,), (32,), (33,), (100,), (3, 4), (0, 3), (5, 0), (7, 9), (2, 3, 4), (3, 70)]


def layouts(a):
    yield a
    if a.ndim >= 1 and a.shape[-1] > 1:
        yield a[..., ::-1]
        yield a[..., ::2]
    if a.ndim == 2:
        yield np.asfortranarray(a)
        yield a.T


def same_array(r, e):
    return isinstance(r, np.ndarray) and r.dtype == e.dtype and r.shape == e.shape and np.array_equal(r, e, equal_nan=True)


nonzero_f = ember.jit(lambda a: np.nonzero(a))
argwhere_f = ember.jit(lambda a: np.argwhere(a))
count_f = ember.jit(lambda a: np.count_nonzero(a))
mask_f = ember.jit(lambda a, m: a[m])


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_nonzero_argwhere_count(shape, p):
    for a in layouts(RNG.random(shape) < p):
        r, e = nonzero_f(a), np.nonzero(a)
        assert len(r) == len(e) and all(same_array(x, y) for x, y in zip(r, e))
        assert same_array(argwhere_f(a), np.argwhere(a))
        assert count_f(a) == np.count_nonzero(a)
    for dt in (np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex128):
        a = (RNG.integers(0, 3, shape) * (RNG.random(shape) < p)).astype(dt)
        if a.dtype.kind == "f" and a.size:
            a.flat[0] = np.nan if p > 0.5 else -0.0     # NaN is true, -0.0 false
        r, e = nonzero_f(a), np.nonzero(a)
        assert all(same_array(x, y) for x, y in zip(r, e))
        assert count_f(a) == np.count_nonzero(a)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
def test_mask_getitem(shape, p):
    for dt in (np.float64, np.int8, np.bool_, np.complex64):
        x = (RNG.random(shape) * 100).astype(dt)
        m = RNG.random(shape) < p
        for xv, mv in zip(layouts(x), layouts(m)):
            assert same_array(mask_f(xv, mv), xv[mv])


argmax_f = ember.jit(lambda a: (np.argmax(a), np.argmin(a), a.argmax(), a.argmin()))
argmax_ax = ember.jit(lambda a: (np.argmax(a, axis=1), np.argmin(a, axis=0)))


@pytest.mark.parametrize("n", [1, 2, 31, 32, 33, 40, 257, 1000])
@pytest.mark.parametrize("dt", [np.float64, np.float32, np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float16, np.bool_])
@pytest.mark.parametrize("kind", ["random", "ties", "nan", "zeros", "signed_zeros", "inf", "sorted", "reversed"])
def test_argmax_argmin(n, dt, kind):
    a = (RNG.random(n) * 10).astype(dt)
    if kind == "ties":
        a = (RNG.random(n) * 3).astype(dt)
    elif kind == "nan" and a.dtype.kind == "f":
        a[RNG.integers(0, n, 3)] = np.nan
    elif kind == "zeros":
        a[:] = 0
    elif kind == "signed_zeros" and a.dtype.kind == "f":
        a[:] = -0.0
        a[RNG.integers(0, n, 2)] = 0.0
    elif kind == "inf" and a.dtype.kind == "f":
        a[RNG.integers(0, n)] = np.inf
        a[RNG.integers(0, n)] = -np.inf
    elif kind == "sorted":
        a = np.sort(a)
    elif kind == "reversed":
        a = np.sort(a)[::-1]
    want = (np.argmax(a), np.argmin(a), a.argmax(), a.argmin())
    assert argmax_f(a) == want
    if n % 2 == 0:
        m = a.reshape(2, -1)
        r = argmax_ax(m)
        assert same_array(r[0], np.argmax(m, axis=1)) and same_array(r[1], np.argmin(m, axis=0))
        r = argmax_ax(m[:, ::-1])
        assert same_array(r[0], np.argmax(m[:, ::-1], axis=1))


SPECIAL = np.array([0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, -0.4, 0.49999999999999994, np.nan, np.inf, -np.inf, 1e300,
                    -1e300, 4503599627370495.5, 4503599627370497.0, 2.0 ** 63, -2.0 ** 63, 1e-310, -1e-310, 2.675, 0.125,
                    0.375, 1e16 + 2, -7.5])
integral_f = ember.jit(lambda x: (np.floor(x), np.ceil(x), np.trunc(x), np.rint(x), np.fix(x), np.around(x)))
round_f = ember.jit(lambda x, d: np.round(x, d))
integral_scalar = ember.jit(lambda x: (np.floor(x), np.ceil(x), np.trunc(x), np.rint(x)))


def bits_equal(r, e):
    return r.dtype == e.dtype and r.shape == e.shape and np.array_equal(np.signbit(r), np.signbit(e)) \
        and np.array_equal(r, e, equal_nan=True)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_floor_ceil_trunc_rint_round(dt):
    with np.errstate(over="ignore"):
        xs = [SPECIAL.astype(dt), (RNG.standard_normal(500) * 10.0 ** RNG.integers(-3, 8, 500)).astype(dt)]
        xs.append(xs[1][::-3])
        for x in xs:
            for r, e in zip(integral_f(x), (np.floor(x), np.ceil(x), np.trunc(x), np.rint(x), np.fix(x), np.around(x))):
                assert bits_equal(r, e)
            for d in (-3, -1, 0, 1, 2, 5, 12):
                assert bits_equal(round_f(x, d), np.round(x, d))
            for v in x[:25]:
                for r, e in zip(integral_scalar(dt(v)), (np.floor(dt(v)), np.ceil(dt(v)), np.trunc(dt(v)), np.rint(dt(v)))):
                    assert float(r) == float(e) or (math.isnan(r) and math.isnan(e))
                    assert math.copysign(1.0, r) == math.copysign(1.0, e)


def test_round_ints_stay():
    x = RNG.integers(-1000, 1000, 50)
    for d in (-2, -1, 0, 2):
        assert same_array(round_f(x, d), np.round(x, d))
    assert same_array(integral_f(x)[0], np.floor(x))


norm_f = ember.jit(lambda x: np.linalg.norm(x))


@pytest.mark.parametrize("n", [0, 1, 7, 999, 1000, 4097])
@pytest.mark.parametrize("dt", [np.float64, np.float32, np.int64, np.int8, np.complex128])
def test_vector_norm(n, dt):
    x = (RNG.standard_normal(n) * 100).astype(dt) if dt is not np.complex128 else \
        (RNG.standard_normal(n) + 1j * RNG.standard_normal(n))
    for v in (x, x[::2], x[::-1]):
        r, e = norm_f(v), np.linalg.norm(v)
        assert np.asarray(r).dtype == np.asarray(e).dtype
        assert r == pytest.approx(e, rel=1e-12 if np.asarray(e).dtype == np.float64 else 1e-6, abs=0)


@ember.jit
def _square_plus_one(x):
    return x * x + 1.0


@ember.jit
def _apply(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = _square_plus_one(a[i])
    return out


@ember.jit
def _count_down(n):
    return 0 if n == 0 else 1 + _count_down(n - 1)


def test_helper_in_loop_and_recursion_limit():
    a = RNG.random(1001)
    assert np.array_equal(_apply(a), a * a + 1.0)
    assert _count_down(50) == 50
    with pytest.raises(RecursionError):
        _count_down(sys.getrecursionlimit() + 100)


# -- Callees compiled before: their optimized IR is linked in for the inliner --

def _make_helpers():
    @ember.jit
    def h(x):
        return x * x + 1.0

    @ember.jit
    def checked(x):
        return math.log(x)       # ValueError for x <= 0, as CPython's

    @ember.jit
    def total(a):
        s = 0.0
        for i in range(a.shape[0]):
            s += h(a[i])
        return s

    @ember.jit
    def logs(a):
        out = np.empty_like(a)
        for i in range(a.shape[0]):
            out[i] = checked(a[i])
        return out

    return h, checked, total, logs


def test_callee_compiled_before_is_inlined_and_still_right():
    h, checked, total, logs = _make_helpers()
    a = RNG.random(999) + 0.5
    assert h(2.0) == 5.0                 # compiled alone, from Python, first
    assert checked(3.0) == math.log(3.0)
    ref = 0.0
    for v in a:
        ref += v * v + 1.0
    assert total(a) == ref               # the same additions in the same order
    assert np.array_equal(logs(a), np.array([math.log(v) for v in a]))
    b = a.copy()
    b[500] = -1.0
    with pytest.raises(ValueError, match="math domain error"):
        logs(b)
    assert h(3.0) == 10.0 and total(a[:0]) == 0.0


def test_callee_in_loop_recursion_limit_kept():
    @ember.jit
    def down(n):
        return 0 if n <= 0 else 1 + down(n - 1)

    @ember.jit
    def many(k):
        s = 0
        for i in range(k):
            s += down(i)
        return s

    assert down(10) == 10
    assert many(50) == sum(range(50))
    with pytest.raises(RecursionError):
        many(sys.getrecursionlimit() + 200)


def test_complex64_constants_are_floats(monkeypatch):
    """A complex64 constant is two floats in the LLVM IR (it was two doubles: a call
    passing one, such as the zero of a complex64 axis sum, did not verify)."""
    monkeypatch.setenv("EMBER_LLVM_VERIFY", "1")
    f = ember.jit(lambda a: (a.sum(axis=0), a.sum(axis=1), a.prod(axis=0)))
    a = (RNG.random((4, 9)) + 1j * RNG.random((4, 9))).astype(np.complex64)
    for r, e in zip(f(a), (a.sum(axis=0), a.sum(axis=1), a.prod(axis=0))):
        assert r.dtype == e.dtype and np.allclose(r, e, rtol=1e-6)


# -- X[m] and X[m] = v with a 1-D bool m over the first axis of a larger array --

rows_get = ember.jit(lambda x, m: x[m])


@ember.jit
def rows_set(x, m, v):
    x[m] = v
    return x


@pytest.mark.parametrize("shape", [(5, 3), (1, 4), (0, 3), (6, 2, 3), (7, 1)])
@pytest.mark.parametrize("p", [0.0, 0.4, 1.0])
@pytest.mark.parametrize("dt", [np.float64, np.int32, np.bool_])
def test_row_mask(shape, p, dt):
    x = (RNG.random(shape) * 10).astype(dt)
    m = RNG.random(shape[0]) < p
    n = int(m.sum())
    for xv in (x, x[::-1], np.asfortranarray(x)):
        assert same_array(rows_get(xv, m), xv[m])
        for v in (dt(3), (RNG.random(shape[1:]) * 5).astype(dt), (RNG.random((n,) + shape[1:]) * 5).astype(dt),
                  (RNG.random((1,) + shape[1:]) * 5).astype(dt)):
            want = xv.copy()
            want[m] = v
            assert same_array(rows_set(xv.copy(), m, v), want)


def test_mask_extent_errors():
    for x, m in ((np.ones((3, 2)), np.ones(4, bool)), (np.ones((3, 2)), np.ones(2, bool)), (np.ones(3), np.ones(4, bool)),
                 (np.ones((2, 3)), np.ones((2, 2), bool))):
        with pytest.raises(IndexError) as want:
            x[m]
        with pytest.raises(IndexError) as got:
            rows_get(x, m)
        assert str(got.value) == str(want.value)
    with pytest.raises(ValueError):
        rows_set(np.ones((4, 2)), np.ones(4, bool), np.ones((3, 2)))


nan_f = ember.jit(lambda a: (np.nanmax(a), np.nanmin(a)))


@pytest.mark.parametrize("n", [1, 5, 33, 100, 1000])
@pytest.mark.parametrize("kind", ["random", "nan", "all_nan", "zeros", "signed_zeros", "inf", "ninf_and_nan"])
@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_nanmax_nanmin(n, kind, dt):
    a = (RNG.random(n) - 0.5).astype(dt)
    if kind == "nan":
        a[RNG.integers(0, n, max(1, n // 3))] = np.nan
    elif kind == "all_nan":
        a[:] = np.nan
    elif kind == "zeros":
        a[:] = 0.0
    elif kind == "signed_zeros":
        a[:] = -0.0
        a[n // 2] = 0.0
    elif kind == "inf":
        a[0], a[-1] = np.inf, -np.inf
    elif kind == "ninf_and_nan":
        a[:] = -np.inf
        a[n // 2] = np.nan
    with warnings.catch_warnings():       # NumPy warns of an all-NaN slice
        warnings.simplefilter("ignore")
        want = (np.nanmax(a), np.nanmin(a))
        got = nan_f(a)
    for g, w in zip(got, want):
        assert (g == w or (g != g and w != w)) and np.signbit(g) == np.signbit(w)


def test_inlined_helper_loops_vectorize_and_leave_no_call():
    """The optimized IR itself: a helper compiled before (its own first call from Python)
    is inlined into a caller's loop (no call of its symbol remains), and a loop storing a
    helper's result vectorizes (its call-depth test left the loop)."""
    h, _, total, _ = _make_helpers()
    a = RNG.random(64)
    h(1.0)
    total(a)
    ir = total.inspect_llvm()
    assert "<4 x double>" in _apply.inspect_llvm() or "<2 x double>" in _apply.inspect_llvm()
    assert not [line for line in ir.splitlines() if "call" in line and "@em_h_" in line], ir
