"""Accumulators that start as Python scalars and meet NumPy scalars (NEP 50).

In CPython with NumPy 2, `s = 0.0; for x in a32: s += x` makes s an
np.float32 at the first add (the Python float is weak: it is cast to
float32 first), so the sum is rounded to float32 at every step; likewise
`s = 0; s += a_int32[i]` is an np.int32 that wraps.  Ember gives such a
variable the NumPy type; the Python float it starts as is converted where
it flows in, which is what NumPy computes with at the first operation.
Where that is not the same (a start float32 cannot hold, arithmetic with
Python numbers before the first float32 operation), the compile fails with
a TypingError instead of computing another number.  Reference: the same
function run by CPython, on generated arrays.
"""
import math
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import same

INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def _run(f, *args):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # NumPy's overflow warnings: Ember wraps silently
            return f(*args), None
    except Exception as e:  # noqa: BLE001 - an exception is a result here
        return None, e


def agree(f, *args):
    cf = ember.jit(f)
    ca = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    got, gerr = _run(cf, *ca)
    want, werr = _run(f, *args)
    if isinstance(gerr, ember.CompileError):
        raise AssertionError(f"{f.__name__} does not compile: {gerr}")
    if werr is not None or gerr is not None:
        assert type(gerr) is type(werr) and str(gerr) == str(werr), f"{f.__name__}: compiled {gerr!r}, Python {werr!r}"
        return
    assert same(got, want), f"{f.__name__}{args!r}: compiled {got!r}, Python {want!r}"
    for x, y in zip(ca, args):
        if isinstance(x, np.ndarray):
            assert same(x, y), f"{f.__name__}: arrays differ: {x!r} {y!r}"


def floats32(n, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return (rng.normal(0, scale, n) * np.exp(rng.normal(0, 2, n))).astype(np.float32)


# -- float accumulators started as Python floats -------------------------------------

def sum_from_zero(a):
    s = 0.0
    for x in a:
        s += x
    return s


def prod_from_one(a):
    p = 1.0
    for i in range(a.shape[0]):
        p *= a[i]
    return p


def alternating(a):
    s = -0.0
    for i in range(a.shape[0]):
        if i % 2:
            s -= a[i]
        else:
            s = s + a[i] * a[i]
    return s


def horner(coeffs, x):
    r = 0.0
    for c in coeffs:
        r = r * x + c
    return r


def prefix_into(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s


def mean_after(a):
    s = 0.0
    for x in a:
        s += x
    return s / a.shape[0], s > 0


def start_half(a):
    s = 0.5
    for x in a:
        s = s + x
    return s


@pytest.mark.parametrize("n", [1, 2, 7, 33, 200])
def test_float32_accumulators(n):
    for seed in range(3):
        a = floats32(n, seed * 100 + n)
        agree(sum_from_zero, a)
        agree(prod_from_one, (1 + a / 8).astype(np.float32))
        agree(alternating, a)
        agree(horner, a, 0.5)
        agree(horner, a, -1.25)
        agree(prefix_into, a, np.empty(n, np.float32))
        agree(prefix_into, a, np.empty(n, np.float64))
        agree(mean_after, a)
        agree(start_half, a)


def test_float32_accumulators_special_values():
    for vals in ([np.inf, 1.0], [np.nan, 2.0], [3e38, 3e38, -1.0], [-0.0, -0.0], [1e-45, 1e-45]):
        a = np.array(vals, np.float32)
        agree(sum_from_zero, a)
        agree(prod_from_one, a)
        agree(alternating, a)
        agree(horner, a, 2.0)


def test_zero_iterations_give_the_start_value_as_float32():
    """Documented difference: CPython returns the Python float itself; Ember
    the np.float32 of it, the same number (only float32-exact starts compile).
    Likewise mean_after of no items: CPython's 0.0 / 0 raises
    ZeroDivisionError, Ember's np.float32(0.0) / 0 is nan."""
    e = np.array([], np.float32)
    for f in (sum_from_zero, prod_from_one, alternating, start_half):
        got, want = ember.jit(f)(e), f(e)
        assert type(got) is np.float32 and type(want) is float
        assert float(got) == want and math.copysign(1, got) == math.copysign(1, want)


def test_float64_accumulator_stays_float64():
    def strong(a, s0):
        s = s0
        for x in a:
            s += x
        return s

    for n in (1, 9):
        a = floats32(n, n)
        agree(strong, a, np.float64(0.1))     # np.float64 is strong: float64 sums
        agree(sum_from_zero, a.astype(np.float64))


def start_tenth(a):
    s = 0.1
    for x in a:
        s += x
    return s


def start_argument(a, s):
    for x in a:
        s += x
    return s


def scaled_after(a):
    p = 1.0
    for x in a:
        p *= x
    return p * 0.1


def python_step(a):
    s = 1.0
    for x in a:
        s = s + 1 + x
    return s


@pytest.mark.parametrize("f", [start_tenth, scaled_after, python_step], ids=lambda f: f.__name__)
def test_what_float32_cannot_follow_is_a_typing_error(f):
    """CPython computes with the Python float (float64) before the first
    float32 operation: a start float32 cannot hold, or arithmetic with
    Python numbers on the variable.  One type per variable cannot follow
    it, so the compile fails rather than compute another number."""
    with pytest.raises(ember.TypingError, match="np.float32"):
        ember.jit(f)(floats32(3, 1))


def test_python_float_argument_start_is_a_typing_error():
    with pytest.raises(ember.TypingError, match="np.float32"):
        ember.jit(start_argument)(floats32(3, 1), 0.25)


# -- int accumulators started as Python ints -------------------------------------------

def isum(a):
    s = 0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def isum_from(a, s0):
    s = s0
    for x in a:
        s = s + x
    return s


@pytest.mark.parametrize("t", INTS, ids=lambda t: np.dtype(t).name)
def test_int_accumulators_wrap_as_numpy(t):
    info = np.iinfo(t)
    rng = np.random.default_rng(np.dtype(t).num)
    for n in (1, 5, 40):
        a = rng.integers(info.min, info.max, n, dtype=t, endpoint=True)
        agree(isum, a)
        agree(isum_from, a, 7)


@pytest.mark.parametrize("t", [np.int8, np.uint8, np.int32, np.uint32], ids=lambda t: np.dtype(t).name)
def test_int_start_out_of_range_raises(t):
    a = np.ones(3, t)
    for s0 in (-1, 300, 3 * 10**9, -2**40):
        if np.iinfo(t).min <= s0 <= np.iinfo(t).max:
            continue
        agree(isum_from, a, s0)
