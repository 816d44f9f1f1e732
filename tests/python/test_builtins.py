"""Builtins of issue 2: abs, min, max, int, float, bool, complex, round (half
to even, with digits), divmod, pow."""
import pytest
import math

import ember
from helpers import COMPLEXES, FLOATS, INTS, check, check_all, check_or_reject, pairs


@ember.jit
def abs_(x):
    return abs(x)


@ember.jit
def min2(a, b):
    return min(a, b)


@ember.jit
def max2(a, b):
    return max(a, b)


@ember.jit
def min3(a, b, c):
    return min(a, b, c)


@ember.jit
def max3(a, b, c):
    return max(a, b, c)


@ember.jit
def int_(x):
    return int(x)


@ember.jit
def float_(x):
    return float(x)


@ember.jit
def bool_(x):
    return bool(x)


@ember.jit
def complex1(x):
    return complex(x)


@ember.jit
def complex2(x, y):
    return complex(x, y)


@ember.jit
def round1(x):
    return round(x)


@ember.jit
def round2(x, n):
    return round(x, n)


@ember.jit
def divmod_(a, b):
    return divmod(a, b)


@ember.jit
def pow2(a, b):
    return pow(a, b)


@ember.jit
def parts(z):
    return z.real, z.imag, z.conjugate()


def test_abs_int(): check_all(abs_, INTS + [2**63 - 1, -(2**63) + 1])
def test_abs_float(): check_all(abs_, FLOATS)
def test_abs_bool(): check_all(abs_, [True, False])
def test_abs_complex(): check_all(abs_, COMPLEXES + [complex(3, 4), complex(math.inf, math.nan), complex(1e308, 1e308)])
def test_min_int(): check_all(min2, pairs([0, 1, -1, 2**63 - 1, -(2**63)]))
def test_max_int(): check_all(max2, pairs([0, 1, -1, 2**63 - 1, -(2**63)]))
def test_min_float(): check_all(min2, pairs([0.0, -0.0, 1.5, -1.5, math.inf, -math.inf, math.nan]))
def test_max_float(): check_all(max2, pairs([0.0, -0.0, 1.5, -1.5, math.inf, -math.inf, math.nan]))
def test_min3(): check_all(min3, [(1, 2, 3), (3, 2, 1), (2, 1, 1), (1.0, math.nan, 0.0), (math.nan, 1.0, 0.0)])
def test_max3(): check_all(max3, [(1, 2, 3), (3, 2, 1), (2, 3, 3), (1.0, math.nan, 2.0), (-0.0, 0.0, -0.0)])


@pytest.mark.xfail(strict=True, reason="documented deviation (README): where an int and a float "
                   "meet (two returns, a merge, min/max) the value becomes a float, as in Numba")
def test_min_mixed_types():
    """min(1, 2.0) is the int 1 and min(3, 2.0) the float 2.0: either Ember gets
    both right or it refuses cleanly; a converted result is wrong."""
    check_or_reject(min2, 1, 2.0)
    check_or_reject(min2, 3, 2.0)
    check_or_reject(max2, 1, 2.0)


def test_int_from_float(): check_all(int_, [0.0, -0.0, 2.5, -2.5, 0.999, -0.999, 1e18, -9.2e18, 2.0**63 - 1024, -(2.0**63)])
def test_int_from_float_big(): check_all(int_, [2.0**63, -(2.0**63) - 4096, 1e19, 1e300, -1e300])
def test_int_from_nan(): check(int_, math.nan)
def test_int_from_inf(): check_all(int_, [math.inf, -math.inf])
def test_int_from_int_bool(): check_all(int_, [0, -5, 2**63 - 1, True, False])
def test_float_(): check_all(float_, [0, -5, 2**53 + 1, 2**63 - 1, -(2**63), True, False, 1.5, -0.0, math.nan])
def test_bool_(): check_all(bool_, [0, 1, -1, 0.0, -0.0, math.nan, True, False, 0j, 1j])
def test_complex1(): check_all(complex1, [0, 1, -1.5, -0.0, True, math.inf, 1 + 2j])
def test_complex2(): check_all(complex2, [(1, 2), (1.5, -0.0), (-0.0, 0), (math.nan, math.inf), (True, False)])


def test_complex_parts():
    """z.real, z.imag, z.conjugate() are not in issue 2's list: refusing is fine."""
    for z in COMPLEXES:
        check_or_reject(parts, z)


# -- round ------------------------------------------------------------------------------
def test_round_half_even(): assert check(round1, 2.5) == 2
def test_round_values(): check_all(round1, [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.675, -0.0, 1e15 + 0.5, 4503599627370497.0])
def test_round_int_result(): assert type(check(round1, 3.7)) is int
def test_round_int_arg(): check_all(round1, [0, -7, 2**63 - 1, True])
def test_round_big(): check_all(round1, [1e19, -1e19, 1e300, 9.3e18])
def test_round_nan_inf(): check_all(round1, [math.nan, math.inf, -math.inf])
def test_round_digits_example(): assert check(round2, 0.125, 2) == 0.12
def test_round_digits(): check_all(round2, pairs([0.125, 0.375, 2.675, -2.675, 1.005, 123.456, -0.0, 1e300, 5e-324, math.inf, math.nan],
                                                   [0, 1, 2, 3, -1, -2, 10, 400, -400]))
def test_round_digits_int(): check_all(round2, pairs([0, 15, 25, -25, 35, 123456, -(2**63), 2**63 - 1], [0, 1, -1, -2, -19, -20, 5]))
def test_round_digits_float_type(): assert type(check(round2, 2.5, 0)) is float


# -- divmod, pow -----------------------------------------------------------------------
def test_divmod_int(): check_all(divmod_, pairs([7, -7, 0, 2**63 - 1, -(2**63)], [3, -3, 1, -1, 0]))
def test_divmod_float(): check_all(divmod_, pairs([7.5, -7.5, 0.0, -0.0, math.inf, math.nan], [2.0, -2.0, 0.0, math.inf]))
def test_divmod_mixed(): check_all(divmod_, [(7, 2.0), (-7.0, 2), (True, 2)])
def test_pow_builtin(): check_all(pow2, [(2, -2), (2, 10), (-2, 3), (2.0, 0.5), (-8.0, 1 / 3), (0, -1), (0.0, -1.0), (3, 41)])
def test_pow_builtin_example(): assert check(pow2, 2, -2) == 0.25
