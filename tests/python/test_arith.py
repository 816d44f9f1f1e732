"""Arithmetic, bitwise and unary operators on int, float, bool and complex,
compiled and interpreted: same value, same type, same exception."""
import math

import pytest

import ember
from helpers import (COMPLEXES, FLOATS, INTS, NONZERO_FLOATS, SMALL_INTS, check,
                     check_all, pairs)


@ember.jit
def add(a, b):
    return a + b


@ember.jit
def sub(a, b):
    return a - b


@ember.jit
def mul(a, b):
    return a * b


@ember.jit
def truediv(a, b):
    return a / b


@ember.jit
def floordiv(a, b):
    return a // b


@ember.jit
def mod(a, b):
    return a % b


@ember.jit
def power(a, b):
    return a ** b


@ember.jit
def neg(a):
    return -a


@ember.jit
def pos(a):
    return +a


@ember.jit
def inv(a):
    return ~a


@ember.jit
def lshift(a, b):
    return a << b


@ember.jit
def rshift(a, b):
    return a >> b


@ember.jit
def band(a, b):
    return a & b


@ember.jit
def bor(a, b):
    return a | b


@ember.jit
def bxor(a, b):
    return a ^ b


DIVISORS = [(7, 3), (-7, 3), (7, -3), (-7, -3), (0, 3), (0, -3), (6, 3), (-6, 3), (6, -3),
            (1, 7), (-1, 7), (1, -7), (-1, -7), (7, 0), (0, 0), (-7, 0), (10**12 + 1, -97),
            (-(2**62), 3), (2**62, -7), (2**63 - 1, 2), (-(2**63), 2), (-(2**63) + 1, -1)]
FDIVISORS = [(7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-7.5, -2.0), (0.0, 1.0), (-0.0, 1.0),
             (0.0, -1.0), (-0.0, -1.0), (1.0, 0.0), (-1.0, -0.0), (0.0, 0.0), (math.nan, 0.0),
             (math.inf, 2.0), (-math.inf, 2.0), (2.0, math.inf), (-2.0, math.inf),
             (2.0, -math.inf), (-2.0, -math.inf), (math.inf, math.inf), (math.nan, 1.0),
             (1.0, math.nan), (1e308, 1e-308), (5e-324, 1e300), (-5e-324, 1e300), (1e-300, -3.0),
             (6.0, 3.0), (-6.0, 3.0), (6.0, -3.0), (0.1, 0.01), (-1e-20, 1.0)]


# -- add, sub, mul ----------------------------------------------------------------
def test_add_int(): check_all(add, pairs(INTS))
def test_add_float(): check_all(add, pairs(FLOATS))
def test_add_mixed(): check_all(add, pairs(SMALL_INTS, FLOATS) + pairs(FLOATS, SMALL_INTS))
def test_add_bool(): check_all(add, pairs([True, False]) + pairs([True, False], [3, -1.5]))
def test_add_signed_zeros(): check_all(add, [(-0.0, -0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, 0)])
def test_add_inf_nan(): check_all(add, [(math.inf, -math.inf), (math.nan, 1.0), (math.inf, math.inf)])
def test_sub_int(): check_all(sub, pairs(INTS))
def test_sub_float(): check_all(sub, pairs(FLOATS))
def test_sub_mixed(): check_all(sub, pairs(SMALL_INTS, FLOATS) + pairs([True, False], [2, 2.5]))
def test_mul_int(): check_all(mul, pairs(SMALL_INTS + [2**31, -(2**31), 3037000499, -3037000499]))
def test_mul_float(): check_all(mul, pairs(FLOATS))
def test_mul_mixed(): check_all(mul, pairs(SMALL_INTS, FLOATS) + [(True, 5), (False, -2.5), (True, True)])
def test_mul_zero_sign(): check_all(mul, [(0.0, -1.0), (-0.0, -0.0), (-1, 0.0), (0, -1.5), (math.inf, 0.0)])


# -- division -----------------------------------------------------------------------
def test_truediv_int(): check_all(truediv, DIVISORS)
def test_truediv_int_exact(): check_all(truediv, [(1, 3), (-7, 2), (2**53, 3), (2**53 - 1, 3), (10**15 + 1, 7)])
def test_truediv_int_big(): check_all(truediv, [(2**53 + 1, 3), (2**62 + 1, 3), (2**63 - 1, 2**62 + 1), (3, 2**63 - 1), (-(2**63), -1)])
def test_truediv_float(): check_all(truediv, FDIVISORS)
def test_truediv_mixed(): check_all(truediv, [(1, 2.0), (1.0, 2), (-3, 0.0), (0.0, 0), (True, 2), (5, True)])
def test_truediv_int_zero(): check(truediv, 1, 0)
def test_truediv_float_zero(): check(truediv, 1.0, 0.0)
def test_truediv_float_negzero(): check(truediv, -0.0, -0.0)
def test_floordiv_int(): check_all(floordiv, DIVISORS)
def test_floordiv_float(): check_all(floordiv, FDIVISORS)
def test_floordiv_mixed(): check_all(floordiv, [(7, 2.0), (-7.0, 2), (7, -0.5), (True, 2), (-7, True)])
def test_floordiv_min_int(): check(floordiv, -(2**63), -1)
def test_floordiv_int_zero(): check(floordiv, 5, 0)
def test_floordiv_float_zero(): check(floordiv, 5.0, 0.0)
def test_mod_int(): check_all(mod, DIVISORS)
def test_mod_float(): check_all(mod, FDIVISORS)
def test_mod_mixed(): check_all(mod, [(7, 2.0), (-7.0, 2), (7, -0.5), (-1, 1e300), (True, 2)])
def test_mod_min_int(): check(mod, -(2**63), -1)
def test_mod_int_zero(): check(mod, 5, 0)
def test_mod_float_zero(): check(mod, 5.0, 0.0)
def test_floordiv_mod_identity(): check_all(floordiv, pairs([-5, -1, 0, 1, 5], [-3, -1, 1, 3]))


# -- power ----------------------------------------------------------------------------
def test_pow_neg_exponent(): assert check(power, 2, -2) == 0.25
def test_pow_int(): check_all(power, pairs([0, 1, -1, 2, -2, 3, -3, 10], [0, 1, 2, 3, 5, 10, 20]))
def test_pow_int_negative_exponent(): check_all(power, pairs([1, -1, 2, -2, 3, 10], [-1, -2, -3, -10]))
def test_pow_zero_negative_int(): check(power, 0, -1)
def test_pow_int_overflow(): check_all(power, [(2, 63), (2, 64), (-2, 63), (3, 40), (10, 19), (7, 23)])
def test_pow_float(): check_all(power, pairs([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 10.0, math.inf, -math.inf, math.nan],
                                             [0.0, -0.0, 1.0, -1.0, 2.0, 3.0, -3.0, 0.5, -0.5, math.inf, -math.inf, math.nan]))
def test_pow_float_zero_negative(): check_all(power, [(0.0, -1.0), (-0.0, -1.0), (0.0, -0.5), (-0.0, -3.0), (0.0, -math.inf)])
def test_pow_float_negative_fractional(): check_all(power, [(-8.0, 1 / 3), (-2.0, 0.5), (-1.0, 1.5), (-0.5, -0.5)])
def test_pow_float_overflow(): check_all(power, [(1e200, 2.0), (10.0, 400.0), (-10.0, 401.0), (2.0, 1024.0)])
def test_pow_float_underflow(): check_all(power, [(10.0, -400.0), (2.0, -1080.0), (1e-200, 2.0)])
def test_pow_mixed(): check_all(power, [(2, 0.5), (2.0, 3), (-2.0, 3), (-2.0, -3), (4, -0.5), (-8, 0.5), (True, 2)])


# -- unary ------------------------------------------------------------------------------
def test_neg_int(): check_all(neg, INTS)
def test_neg_float(): check_all(neg, FLOATS)
def test_neg_bool(): check_all(neg, [True, False])
def test_neg_zero_sign(): check_all(neg, [0.0, -0.0, 0])
def test_pos(): check_all(pos, INTS + FLOATS + [True, False])
@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # ~bool, deprecated in 3.12
def test_invert(): check_all(inv, INTS + [True, False, 2**63 - 1, -(2**63)])


# -- shifts and bitwise --------------------------------------------------------------
def test_lshift(): check_all(lshift, pairs([0, 1, -1, 3, -3, 255], [0, 1, 7, 31, 32, 61]))
def test_lshift_overflow(): check_all(lshift, [(1, 63), (1, 64), (1, 100), (-1, 63), (3, 62), (2**62, 1), (0, 1000)])
def test_lshift_negative_count(): check(lshift, 1, -1)
def test_rshift(): check_all(rshift, pairs([0, 1, -1, 5, -5, 2**63 - 1, -(2**63)], [0, 1, 3, 62, 63, 64, 65, 100, 1000]))
def test_rshift_negative_count(): check(rshift, 8, -2)
def test_band(): check_all(band, pairs(INTS[:12]) + pairs([True, False]))
def test_bor(): check_all(bor, pairs(INTS[:12]) + pairs([True, False]))
def test_bxor(): check_all(bxor, pairs(INTS[:12]) + pairs([True, False]))
def test_bitwise_bool_int(): check_all(band, [(True, 3), (6, True), (False, -1)])


# -- complex ------------------------------------------------------------------------------
def test_complex_add(): check_all(add, pairs(COMPLEXES))
def test_complex_sub(): check_all(sub, pairs(COMPLEXES))
def test_complex_mul(): check_all(mul, pairs(COMPLEXES))
def test_complex_div(): check_all(truediv, pairs(COMPLEXES, [1 + 2j, -1j, 0.5 + 0j, complex(1e-300, 1e300), 3e200 - 4e200j]))
def test_complex_div_zero(): check_all(truediv, [(1 + 1j, 0j), (0j, 0j), (1j, complex(-0.0, 0.0))])
def test_complex_mixed(): check_all(add, [(1 + 2j, 3), (2.5, 1j), (True, 1j)])
def test_complex_mixed_mul(): check_all(mul, [(1 + 2j, 3), (2.5, 1j), (-1, 1j)])
def test_complex_neg(): check_all(neg, COMPLEXES)
def test_complex_pow(): check_all(power, pairs([1 + 1j, -2 + 0.5j, 0.5j, 2 + 0j], [2 + 0j, 0.5 + 0.5j, -1 + 0j, 3 + 0j]))
def test_complex_pow_int(): check_all(power, pairs([1 + 1j, -2 + 0.5j, 1.0000001 + 0j], [2, 3, 10, -2, 0]))
def test_complex_pow_zero(): check_all(power, [(0j, 0j), (0j, 1 + 0j), (0j, -1 + 0j), (0j, 1j)])


# -- augmented assignment ------------------------------------------------------------
@ember.jit
def augmented(a, b):
    x = a
    x += b
    x *= 3
    x -= a
    x //= 2
    x %= 1000003
    x **= 2
    x <<= 2
    x >>= 1
    x &= 0xFFFFFF
    x |= 1
    x ^= b
    return x


@ember.jit
def augmented_float(a, b):
    x = a
    x += b
    x *= 1.5
    x /= 3
    x -= b
    x //= 0.25
    x %= 7.0
    x **= 2
    return x


def test_augmented_int(): check_all(augmented, pairs([0, 1, -1, 17, -17, 1000], [1, -1, 3, 12345]))
def test_augmented_float(): check_all(augmented_float, pairs([0.0, -0.0, 1.5, -17.25, 1e10, math.inf], [1.0, -3.5, 0.1]))
def test_augmented_zero_div(): check(augmented_float, 3.0, -3.0)
