"""Overflow checks the LLVM lowering makes cheaper, with CPython's answers kept:
ints only observed modulo 2**64 (`a & 1023`, `% 2**32`) need no check at all;
a product or sum with a constant is checked by a range test of its operand;
small branches become selects whose arms' checks fire only for the arm taken."""
import inspect

import numpy as np
import pytest

import ember
from helpers import check, check_all

I64_MAX = 2**63 - 1
I64_MIN = -(2**63)


def fallbacks(f):
    return f.stats["fallbacks"]


# -- Modular ints: exact from the low 64 bits, no fallback ---------------------------

@ember.jit
def fib_low(m):
    a, b = 0, 1
    for i in range(m):
        a, b = b, a + b
    return a & 1023


@ember.jit
def lcg(x, n):
    for i in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) % 4294967296
    return x


@ember.jit
def mix(h, n):
    for i in range(n):
        h = (h * 31) ^ (h << 7) ^ -i
    return h & 0xFFFFFFFF


@ember.jit
def shl_low(x, n):
    return (x << n) & 255


@ember.jit
def neg_low(x):
    return (-x - x * x) % 8


@ember.jit
def fib_exact(m):
    a, b = 0, 1
    for i in range(m):
        a, b = b, a + b
    return a


@ember.jit
def fib_low_compared(m):
    a, b = 0, 1
    for i in range(m):
        a, b = b, a + b
        if a < 0:        # needs the whole value: stays checked
            return -1
    return a & 1023


def test_modular_fib_no_fallback():
    check_all(fib_low, [(0,), (1,), (80,), (92,), (93,), (200,), (1000,)])
    assert fallbacks(fib_low) == 0


def test_modular_lcg_and_mix():
    check_all(lcg, [(1, 10), (I64_MAX, 3), (I64_MIN, 3), (-5, 100)])
    check_all(mix, [(1, 10), (I64_MAX, 50), (-(2**40), 50)])
    assert fallbacks(lcg) == 0 and fallbacks(mix) == 0


def test_modular_shift_and_neg():
    check_all(shl_low, [(1, 0), (3, 7), (3, 63), (3, 64), (3, 200), (-1, 70), (I64_MAX, 9), (I64_MIN, 1)])
    check_all(neg_low, [(0,), (3,), (I64_MIN,), (I64_MAX,), (2**40,)])
    assert fallbacks(shl_low) == 0 and fallbacks(neg_low) == 0
    with pytest.raises(ValueError):
        shl_low(1, -1)


def test_whole_value_still_checked():
    check_all(fib_exact, [(10,), (92,), (93,), (300,)])   # fib(93) overflows from m = 92 on
    assert fallbacks(fib_exact) == 3
    check_all(fib_low_compared, [(10,), (92,), (93,), (300,)])
    assert fallbacks(fib_low_compared) == 3


# -- A constant operand: the check is a range test --------------------------------------

@ember.jit
def mul3(x):
    return x * 3


@ember.jit
def mul_neg3(x):
    return -3 * x


@ember.jit
def mul_min(x):
    return x * -9223372036854775808


@ember.jit
def mul_m1(x):
    return x * -1


@ember.jit
def three_x_plus_1(x):
    return 3 * x + 1


@ember.jit
def add_consts(x):
    return x + 1, x - 1, x + 9223372036854775807, x - 9223372036854775807


EDGES = [0, 1, -1, 3, -3, I64_MAX, I64_MIN, I64_MAX // 3, I64_MAX // 3 + 1, I64_MIN // 3,
         I64_MIN // 3 - 1, -(I64_MIN // 3), (I64_MAX - 1) // 3, (I64_MAX - 1) // 3 + 1, 2**62, -(2**62)]


@pytest.mark.parametrize("f", [mul3, mul_neg3, mul_min, mul_m1, three_x_plus_1, add_consts])
def test_const_operand_edges(f):
    check_all(f, [(x,) for x in EDGES])


# -- If-conversion: speculated arms raise only when taken --------------------------------

@ember.jit
def collatz_step(x):
    if x % 2 == 0:
        x = x // 2
    else:
        x = 3 * x + 1
    return x


@ember.jit
def pick(c, x, y):
    if c > 0:
        x = x * 5 - y
    else:
        y = y + x
    return x, y


@ember.jit
def bump(c, x):
    if c:
        x += 9223372036854775807
    return x


@ember.jit
def fabs_branch(x):
    if x < 0.0:
        x = -x
    return x


@ember.jit
def arms_floordiv(c, x):
    if c:
        r = x // 3 + x % 4
    else:
        r = (x >> 2) - (x << 1)
    return r


@ember.jit
def collatz_steps(n):
    total = 0
    for i in range(1, n):
        x = i
        while x != 1:
            if x % 2 == 0:
                x //= 2
            else:
                x = 3 * x + 1
            total += 1
    return total


def test_collatz_arms():
    xs = [1, 2, 3, 27, 2**62, 2**63 - 2, I64_MAX, (I64_MAX - 1) // 3, (I64_MAX - 1) // 3 + 2, I64_MIN, -7]
    check_all(collatz_step, [(x,) for x in xs])
    before = fallbacks(collatz_step)
    assert collatz_step(2**63 - 2) == 2**62 - 1 and fallbacks(collatz_step) == before   # even: no overflow
    check_all(collatz_steps, [(1,), (2,), (100,), (3000,)])


def test_select_arms():
    cs = [-1, 0, 1]
    vals = [0, 1, -1, 7, I64_MAX, I64_MIN, I64_MAX // 5 + 1, 2**61]
    check_all(pick, [(c, x, y) for c in cs for x in vals for y in vals[:4]])
    check_all(bump, [(c, x) for c in (0, 1, True, False) for x in (0, 1, -1, I64_MAX, I64_MIN)])
    check_all(fabs_branch, [(x,) for x in (0.0, -0.0, 1.5, -1.5, float("nan"), float("-inf"))])
    check_all(arms_floordiv, [(c, x) for c in (0, 1) for x in (0, 7, -7, I64_MAX, I64_MIN, 2**62)])


# -- In a function with an effect the overflow raises, naming the arm's line ------------

@ember.jit
def step_store(x, out):
    out[0] = 1.0
    if x % 2 == 0:
        x = x // 2
    else:
        x = 3 * x + 1
    return x


def test_effectful_overflow_line():
    out = np.zeros(1)
    assert step_store(2**62 + 2, out) == 2**61 + 1
    with pytest.raises(OverflowError) as e:
        step_store(2**62 + 1, out)
    src, first = inspect.getsourcelines(step_store.py_func)
    line = first + next(i for i, t in enumerate(src) if "3 * x + 1" in t)
    tb = e.value.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    assert (tb.tb_frame.f_code.co_name, tb.tb_lineno) == ("step_store", line)
