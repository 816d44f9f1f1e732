"""NumPy's fmax, fmin, fmod, copysign, heaviside, logaddexp, logaddexp2, exp2,
cbrt, arcsinh, arccosh, arctanh and signbit in compiled code, on arrays (the
fused loops), broadcast shapes, inside larger expressions and reductions, and on
scalars, against NumPy itself: float64 to the bit (NaN positions, the sign of
zeros), float32 within one unit in the last place (Ember computes float32 math
in double and rounds, NumPy calls the float routines), ints with NumPy's dtype."""
import warnings

import numpy as np
import pytest

import ember

SPECIAL = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-310, -1e-310, 709.0, 710.0, 1024.0, 1023.9,
           -1075.0, 0.5, -0.5, 27.0, -8.0, 1e300, -1e300, 3.0, -3.0, 2.0]
UNARY = ["exp2", "cbrt", "arcsinh", "arccosh", "arctanh", "signbit"]
BINARY = ["fmax", "fmin", "fmod", "copysign", "heaviside", "logaddexp", "logaddexp2"]
FLOAT_ONLY = {"copysign", "heaviside", "logaddexp", "logaddexp2"}


def values(dtype, rng):
    if np.dtype(dtype).kind == "f":
        v = np.concatenate([SPECIAL, rng.standard_normal(40) * 10, rng.standard_normal(10) * 1000])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # 1e300 -> float32 inf
            return v.astype(dtype)
    info = np.iinfo(dtype)
    v = np.concatenate([[0, 1, -1, 2, -2, 7, -7, 3, -3, info.max, info.min], rng.integers(-100, 100, 30)])
    return v.astype(dtype)


def same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(np.isnan(got), np.isnan(want)) if want.dtype.kind == "f" else True
    if want.dtype == np.float32:
        fin = np.isfinite(want)
        assert np.array_equal(got[~fin], want[~fin], equal_nan=True)
        assert np.all(np.abs(got[fin].astype(np.float64) - want[fin]) <= np.spacing(np.abs(want[fin])))
        return
    assert np.array_equal(got, want, equal_nan=True)
    if want.dtype.kind == "f":
        keep = ~np.isnan(want)
        assert np.array_equal(np.signbit(got[keep]), np.signbit(want[keep]))


def compiled(src):
    return ember.jit(eval(src, {"np": np}))


@pytest.mark.parametrize("f", UNARY)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8])
def test_unary(f, dtype):
    if dtype is np.uint8 and f != "signbit":
        pytest.skip("NumPy gives float16 for uint8 here, Ember float64 (README)")
    rng = np.random.default_rng(len(f))
    a = values(dtype, rng) if dtype is not np.uint8 else rng.integers(0, 255, 50).astype(np.uint8)
    g, s = compiled(f"lambda a: np.{f}(a)"), compiled(f"lambda x: np.{f}(x)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(g(a), getattr(np, f)(a))
        same(g(a.reshape(-1)[::-2]), getattr(np, f)(a.reshape(-1)[::-2]))
        for x in a[:15]:
            same(s(x), getattr(np, f)(x))


@pytest.mark.parametrize("f", BINARY)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_binary(f, dtype):
    if f in FLOAT_ONLY and np.dtype(dtype).kind != "f":
        pytest.skip("a float function")
    rng = np.random.default_rng(len(f) + 7)
    a = values(dtype, rng)
    b = rng.permutation(a)
    A, B = np.meshgrid(a[:23], a[:23])
    g = compiled(f"lambda a, b: np.{f}(a, b)")
    s = compiled(f"lambda x, y: np.{f}(x, y)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x, y in ((a, b), (A, B), (a[:23][:, None], a[:23][None, :]), (a, a[3])):
            same(g(x, y), getattr(np, f)(x, y))
        for x, y in zip(a[:23], b[:23]):
            if f in ("fmax", "fmin") and x == y:
                continue     # NumPy's scalar loop keeps the first of -0.0 and 0.0, its array loop the second
            same(s(x, y), getattr(np, f)(x, y))


def test_in_expressions_and_reductions():
    """In fused trees and reductions, mixed with the other functions."""
    rng = np.random.default_rng(11)
    a, b = rng.standard_normal(3001) * 30, rng.standard_normal(3001) * 30

    def f(a, b):
        return (np.logaddexp(a, b).sum(), np.fmax(a, b * 2) - np.fmin(a, 0.5),
                np.cbrt(a * a) + np.exp2(b / 10), np.fmod(a, 7.0), np.copysign(np.arcsinh(a), b),
                np.heaviside(a, 0.5).mean(), np.signbit(a - b).sum())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got, want = ember.jit(f)(a, b), f(a, b)
    for g, w in zip(got, want):
        if np.ndim(w) == 0:
            assert g == w or abs(g - w) <= 1e-12 * abs(w), (g, w)
        else:
            same(g, w)


def test_int_fmod_signs_and_zero():
    """C's truncating remainder for ints (sign of the dividend) and NumPy's 0 for a zero divisor."""
    a = np.array([7, -7, 7, -7, 0, 5, -5, np.iinfo(np.int64).min, 3], np.int64)
    b = np.array([3, 3, -3, -3, 4, 0, 0, -1, 1], np.int64)
    g = compiled("lambda a, b: np.fmod(a, b)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(g(a, b), np.fmod(a, b))
