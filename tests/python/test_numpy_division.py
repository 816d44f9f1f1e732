"""Division of NumPy floats (passes/npsem.c): array elements, np.float64 arguments and
what is computed from them divide as NumPy does (inf or nan for a zero divisor), Python
floats as CPython does (ZeroDivisionError), and a variable that is one or the other
depending on the path (s = 0.0 before a loop adding elements) follows the path taken.
Reference: the same function run by CPython with NumPy."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ember


def outcome(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            r = f(*args)
        except ZeroDivisionError as e:
            return ("ZeroDivisionError", str(e))
    return ("ok", r)


def same(got, want):
    if got[0] != want[0]:
        return False
    if got[0] != "ok":
        return True       # the message follows the operand types, checked in test_rterrors
    return same_value(got[1], want[1])


def same_value(g, w):
    if isinstance(w, tuple):
        return isinstance(g, tuple) and len(g) == len(w) and all(map(same_value, g, w))
    g, w = np.asarray(g), np.asarray(w)
    return g.shape == w.shape and np.array_equal(g, w, equal_nan=True)


def check(f, *args):
    got, want = outcome(ember.jit(f), *args), outcome(f, *args)
    assert same(got, want), (f.__name__, args, got, want)


def el_div(a, b):
    return a[0] / b[0], a[1] // b[1], a[2] % b[2]


def py_over_el(a, b):
    return 1.0 / b[0] + 2.0 // b[1] + 3.0 % b[2]


def el_pow(a, b):
    return b[0] ** -1.0


def sqrt_over_zero(a, b):
    return math.sqrt(abs(a[0])) / 0.0         # Python floats: ZeroDivisionError


def sqrt_over_el(a, b):
    return math.sqrt(abs(a[0])) / b[0]        # np.float64 divisor: NumPy's


@pytest.mark.parametrize("f", [el_div, py_over_el, el_pow, sqrt_over_zero, sqrt_over_el])
@pytest.mark.parametrize("b", [[0.0, 0.0, 0.0], [-0.0, -0.0, -0.0], [2.0, -3.0, 0.5], [np.inf, np.nan, -np.inf]])
def test_elements(f, b):
    for a in ([1.0, -1.0, 0.0], [0.0, np.nan, np.inf], [-2.5, 7.0, -7.0]):
        check(f, np.array(a), np.array(b))


def int_div(a, b):
    return a[0] / b[0], a[1] / b[1]


def test_int64_elements_divide_as_numpy():
    check(int_div, np.array([7, 0]), np.array([0, 0]))
    check(int_div, np.array([7, -9]), np.array([2, 4]))


def complex_div(a, b):
    return a[0] / b[0]


def test_complex128_elements_divide_as_numpy():
    for a in (1 + 1j, -2 + 0j, 0j, complex(0, -3)):
        check(complex_div, np.array([a]), np.array([0j]))
        check(complex_div, np.array([a]), np.array([1 - 2j]))


def arg_div(x, y):
    return x / y


def test_arguments():
    check(arg_div, np.float64(1.0), 0.0)        # np.float64: inf
    check(arg_div, 1.0, np.float64(0.0))
    check(arg_div, 1.0, 0.0)                    # Python floats: ZeroDivisionError
    check(arg_div, 0.0, 0.0)


def mean_then_divide(a, d):
    s = 0.0
    for x in a:
        s += x
    return s / d


def mean_of(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    s /= a.shape[0]        # 0.0 / 0 (Python's) for an empty a
    return s


def halving(a, d):
    x = a[0]
    while x > 1.0:
        x = x * 0.5
    return x / d


def pearson(x, y):
    n = x.shape[0]
    mx = 0.0
    my = 0.0
    for i in range(n):
        mx += x[i]
        my += y[i]
    mx /= n
    my /= n
    sxy = sxx = syy = 0.0
    for i in range(n):
        dx = x[i] - mx
        dy = y[i] - my
        sxy += dx * dy
        sxx += dx * dx
        syy += dy * dy
    return sxy / math.sqrt(sxx * syy)


def test_accumulators_follow_the_path_taken():
    for a in ([], [1.0], [1.0, -1.0], [2.0, 3.0]):
        check(mean_then_divide, np.array(a), 0.0)
        check(mean_then_divide, np.array(a), 4.0)
        check(mean_of, np.array(a))
    check(halving, np.array([10.0]), 0.0)
    check(halving, np.array([0.5]), 0.0)
    check(pearson, np.ones(4), np.arange(4.0))    # sxx = 0: nan, as NumPy's scalars give
    check(pearson, np.arange(5.0), np.arange(5.0) ** 2)
    check(pearson, np.zeros(0), np.zeros(0))     # mx /= 0 on a Python float: ZeroDivisionError


def ratios(a, b):
    out = np.empty(a.shape[0])
    t = 0.0
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i] + a[i] % b[i]
        t += a[i] // b[i]
    return out, t / b.shape[0]


@settings(max_examples=120, deadline=None)
@given(hnp.arrays(np.float64, st.integers(0, 6), elements=st.sampled_from([0.0, -0.0, 1.0, -2.5, 3.0, np.inf, np.nan])),
       st.data())
def test_generated(a, data):
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=st.sampled_from([0.0, -0.0, 2.0, -1.5, np.inf])))
    check(ratios, a, b)
    check(mean_then_divide, a, float(data.draw(st.sampled_from([0.0, 2.0]))))
