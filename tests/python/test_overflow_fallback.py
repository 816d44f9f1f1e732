"""Values that leave their compiled type: checked int arithmetic overflows, a
negative float to a fractional power, int(1e30).  A function with no effect
outside its locals is run again in the interpreter, so the caller gets
CPython's exact answer (a big int, a complex), and `stats` counts the fallback."""
import math

import ember
from helpers import check, check_all, pairs

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)


@ember.jit
def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


@ember.jit
def rfactorial(n):
    if n <= 1:
        return 1
    return n * rfactorial(n - 1)


@ember.jit
def mul(x, y):
    return x * y


@ember.jit
def add(x, y):
    return x + y


@ember.jit
def sub(x, y):
    return x - y


@ember.jit
def neg(x):
    return -x


@ember.jit
def power(x, y):
    return x ** y


@ember.jit
def two_to_100():
    return 2 ** 100


@ember.jit
def sum_squares(n):
    s = 0
    for i in range(n):
        s += i * i * i * i
    return s


@ember.jit
def abs_(x):
    return abs(x)


@ember.jit
def int_(x):
    return int(x)


@ember.jit
def to_complex_power(x):
    return x ** 0.5


@ember.jit
def overflow_then_compare(x):
    y = x * x
    return y > 10**18


def fallbacks(f):
    """The fallback counter of 'f.stats' (the key names 'fallback')."""
    keys = [k for k in f.stats if "fallback" in k]
    assert keys, f"stats has no fallback counter: {sorted(f.stats)}"
    v = f.stats[keys[0]]
    return v if isinstance(v, int) else sum(v.values()) if isinstance(v, dict) else len(v)


def test_factorial_25(): assert check(factorial, 25) == 15511210043330985984000000
def test_factorial_values(): check_all(factorial, [0, 1, 20, 21, 25, 30])
def test_recursive_factorial_25(): assert check(rfactorial, 25) == math.factorial(25)
def test_two_to_100(): assert check(two_to_100) == 2**100
def test_pow_overflow(): check_all(power, [(2, 100), (3, 40), (-3, 41), (10, 19), (2, 63), (-2, 63), (-2, 64)])
def test_mul_overflow(): check_all(mul, [(2**32, 2**32), (I64_MAX, 2), (I64_MIN, -1), (-1, I64_MIN), (3037000500, 3037000500), (-3037000500, 3037000500)])
def test_mul_no_overflow_edge(): check_all(mul, [(3037000499, 3037000499), (I64_MIN, 1), (2**62, -2)])
def test_add_overflow(): check_all(add, [(I64_MAX, 1), (I64_MIN, -1), (I64_MAX, I64_MAX), (I64_MAX, 0), (I64_MIN, I64_MAX)])
def test_sub_overflow(): check_all(sub, [(I64_MIN, 1), (I64_MAX, -1), (0, I64_MIN), (-1, I64_MIN)])
def test_neg_min(): check(neg, I64_MIN)
def test_abs_min(): check(abs_, I64_MIN)
def test_loop_accumulator_overflow(): check_all(sum_squares, [10, 1000, 60000, 100000])
def test_int_of_big_float(): check_all(int_, [1e19, -1e19, 1e30, 2.0**63, -(2.0**63) - 2048])
def test_negative_float_fractional_power(): check_all(to_complex_power, [-4.0, -0.0, 4.0, -math.inf])
def test_overflowed_value_used_later(): check_all(overflow_then_compare, [10**9, 10**10, 2**32, -(2**40)])


def test_big_int_arguments():
    """Arguments beyond 64 bits: CPython's answer all the same."""
    check_all(add, pairs([2**64, -(2**70), 10**30], [1, -1, 2**64]))
    check_all(mul, [(2**100, 3), (3, -(2**100))])


def test_fallback_counted():
    @ember.jit
    def m(x, y):
        return x * y
    assert m(3, 4) == 12
    before = fallbacks(m)
    assert m(2**40, 2**40) == 2**80
    assert fallbacks(m) == before + 1
    assert m(2**20, 2**20) == 2**40   # the compiled code still serves what fits
    assert fallbacks(m) == before + 1
