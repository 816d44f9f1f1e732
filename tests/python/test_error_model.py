"""error_model="numpy" (Numba's option): float division and math functions give
NumPy's inf or nan where CPython raises; math.pow as CPython's.  References:
NumPy's own functions on float64 (under np.errstate(all="ignore")) and CPython."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember

SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, 1.5, -1.5, 1e308, -1e308, 1e-308,
           700.0, -700.0, 710.0, 1e10, math.inf, -math.inf, math.nan]


def outcome(f, *args):
    """('ok', value) or (exception type name, message)."""
    try:
        return "ok", f(*args)
    except Exception as e:   # noqa: BLE001 - compared with what CPython raises
        return type(e).__name__, str(e)


def same_float(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def same_outcome(got, want):
    if got[0] != want[0]:
        return False
    if got[0] != "ok":
        return got[1] == want[1]
    return same_float(got[1], want[1])


# -- math.pow: CPython's math_pow ------------------------------------------------

def mpow(x, y):
    return math.pow(x, y)


def test_math_pow_special_values_as_cpython():
    f = ember.jit(mpow)
    for x, y in itertools.product(SPECIAL, repeat=2):
        assert same_outcome(outcome(f, x, y), outcome(mpow, x, y)), (x, y)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_math_pow_generated(x, y):
    assert same_outcome(outcome(ember.jit(mpow), x, y), outcome(mpow, x, y))


def test_math_pow_of_ints_is_a_float():
    r = ember.jit(mpow)(2, 10)
    assert type(r) is float and r == 1024.0


# -- error_model="numpy" ----------------------------------------------------------

NP_CASES = [
    (lambda x: math.exp(x), np.exp),
    (lambda x: math.expm1(x), np.expm1),
    (lambda x: math.log(x), np.log),
    (lambda x: math.log2(x), np.log2),
    (lambda x: math.log10(x), np.log10),
    (lambda x: math.log1p(x), np.log1p),
    (lambda x: math.sqrt(x), np.sqrt),
    (lambda x: math.sin(x), np.sin),
    (lambda x: math.cos(x), np.cos),
    (lambda x: math.tan(x), np.tan),
    (lambda x: math.asin(x), np.arcsin),
    (lambda x: math.acos(x), np.arccos),
    (lambda x: math.acosh(x), np.arccosh),
    (lambda x: math.atanh(x), np.arctanh),
    (lambda x: math.sinh(x), np.sinh),
    (lambda x: math.cosh(x), np.cosh),
    (lambda x: x / 0.0, lambda x: np.float64(x) / 0.0),
    (lambda x: x / -0.0, lambda x: np.float64(x) / -0.0),
    (lambda x: x % 0.0, lambda x: np.float64(x) % 0.0),
    (lambda x: x // 0.0, lambda x: np.float64(x) // 0.0),
    (lambda x: x // -0.0, lambda x: np.float64(x) // -0.0),
    (lambda x: x ** -1.0, lambda x: np.float64(x) ** -1.0),
    (lambda x: x ** 2.5, lambda x: np.float64(x) ** 2.5),
    (lambda x: math.pow(x, -1.0), lambda x: np.power(np.float64(x), -1.0)),
    (lambda x: math.fmod(x, 0.0), lambda x: np.fmod(np.float64(x), 0.0)),
]


@pytest.mark.parametrize("k", range(len(NP_CASES)))
def test_numpy_error_model_gives_numpys_values(k):
    f, ref = NP_CASES[k]
    g = ember.jit(error_model="numpy")(f)
    for x in SPECIAL:
        with np.errstate(all="ignore"):
            want = float(ref(x))
        got = g(x)
        assert type(got) is float
        assert same_float(got, want) or (math.isnan(want) and math.isnan(got)), (k, x, got, want)


@pytest.mark.parametrize("k", range(len(NP_CASES)))
def test_python_error_model_is_cpythons(k):
    f, _ = NP_CASES[k]
    g = ember.jit(f)
    for x in SPECIAL:
        want = outcome(f, x)
        got = outcome(g, x)
        if want[0] == "ok" and isinstance(want[1], complex):   # (-2.0) ** 2.5
            assert got[0] == "ok" and complex(got[1]) == pytest.approx(want[1], rel=1e-15)
            continue
        assert same_outcome(got, want), (k, x, got, want)


def kernel(x, y):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = math.exp(x[i]) / (1.0 + math.exp(-y[i])) + x[i] / y[i] + math.log(abs(y[i]))
    return out


@pytest.mark.parametrize("n", [0, 1, 7, 33, 1000])
def test_numpy_error_model_loop_matches_where_nothing_raises(n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * 5
    y = rng.standard_normal(n) + 0.1
    want = kernel(x, y)
    np.testing.assert_array_equal(ember.jit(kernel)(x, y), want)     # libm, as CPython's math
    # vectorized: libmvec's exp and log are within 4 ulp of libm's (NumPy's own SIMD loops differ too)
    # (a bound on each term's magnitude: the sum may cancel)
    got = ember.jit(error_model="numpy")(kernel)(x, y)
    scale = np.exp(x) + np.abs(x / y) + np.abs(np.log(np.abs(y)))
    assert np.all(np.abs(got - want) <= 8e-15 * scale)


def test_numpy_error_model_loop_where_python_raises():
    x = np.array([1.0, 800.0, -1.0])
    y = np.array([1.0, 0.0, 2.0])
    with pytest.raises(OverflowError):
        ember.jit(kernel)(x, y)
    with np.errstate(all="ignore"):
        want = np.exp(x) / (1.0 + np.exp(-y)) + x / y + np.log(np.abs(y))
    got = ember.jit(error_model="numpy")(kernel)(x, y)
    np.testing.assert_allclose(got, want, rtol=4e-15)


def test_numpy_error_model_keeps_python_ints():
    g = ember.jit(error_model="numpy")(lambda a, b: a // b)
    with pytest.raises(ZeroDivisionError):
        g(1, 0)
    assert g(7, 2) == 3


def test_error_model_is_checked():
    with pytest.raises(ValueError, match="error_model"):
        ember.jit(error_model="c")
    with pytest.raises(TypeError):
        ember.jit(errormodel="numpy")
