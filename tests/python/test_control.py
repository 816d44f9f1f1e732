"""Control flow: if/elif/else, conditional expressions, and/or/not with Python's
value semantics, truthiness of every number type, returns anywhere, None
results and defaults, the walrus operator, and module globals (frozen at
compile time: the current semantics)."""
import pytest
import math

import ember
from helpers import FLOATS, INTS, check, check_all


@ember.jit
def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


@ember.jit
def classify(x):
    if x < -100:
        r = 0
    elif x < 0:
        r = 1
    elif x == 0:
        r = 2
    elif x < 100:
        r = 3
    else:
        r = 4
    return r


@ember.jit
def ternary(x, y):
    return x if x > y else y


@ember.jit
def nested_ternary(x):
    return -1 if x < 0 else (0 if x == 0 else 1)


@ember.jit
def truthy(x):
    if x:
        return 1
    return 0


@ember.jit
def not_(x):
    return not x


@ember.jit
def and_(a, b):
    return a and b


@ember.jit
def or_(a, b):
    return a or b


@ember.jit
def and_or(a, b, c):
    return a and b or c


@ember.jit
def bool_ops_in_if(a, b):
    if a > 0 and b > 0 or not a:
        return 1
    return 2


@ember.jit
def short_circuit(a, b):
    return b != 0 and a // b > 1   # no ZeroDivisionError when b == 0


def test_sign(): check_all(sign, INTS + FLOATS)
def test_classify(): check_all(classify, [-1000, -101, -100, -1, 0, 1, 99, 100, 10**6, -0.0, math.nan, math.inf])
def test_ternary(): check_all(ternary, [(1, 2), (2, 1), (1.5, -1.5), (math.nan, 1.0), (-0.0, 0.0)])
def test_nested_ternary(): check_all(nested_ternary, [-5, 0, 5, -0.0, math.nan])
def test_truthy_int(): check_all(truthy, [0, 1, -1, 2**63 - 1])
def test_truthy_float(): check_all(truthy, [0.0, -0.0, 1e-320, math.nan, math.inf])
def test_truthy_bool(): check_all(truthy, [True, False])
def test_truthy_complex(): check_all(truthy, [0j, 1j, complex(-0.0, 0.0), complex(0.0, 1e-300), complex(math.nan, 0)])
def test_truthy_none(): check(truthy, None)
def test_not(): check_all(not_, [0, 1, -3, 0.0, -0.0, math.nan, True, False, 0j, 2j])
def test_and_int(): check_all(and_, [(0, 5), (3, 5), (-1, 0), (0, 0)])
def test_and_float(): check_all(and_, [(0.0, 5.5), (-0.0, 1.0), (3.5, -0.0), (math.nan, 2.0)])
def test_or_int(): check_all(or_, [(0, 5), (3, 5), (0, 0), (-1, 0)])
def test_or_float(): check_all(or_, [(0.0, 5.5), (-0.0, -0.0), (3.5, 0.0), (math.nan, 2.0)])
def test_or_bool(): check_all(or_, [(True, False), (False, False), (False, True)])
def test_and_or(): check_all(and_or, [(0, 1, 2), (1, 0, 2), (1, 3, 2), (0, 0, 0)])
def test_bool_ops_in_if(): check_all(bool_ops_in_if, [(1, 1), (1, -1), (0, 5), (-1, 1), (0.0, -1.0)])
def test_short_circuit(): check_all(short_circuit, [(5, 0), (5, 2), (1, 2), (-7, 3), (5.0, 0.0)])


# -- returns anywhere, None -------------------------------------------------------------
@ember.jit
def early(x):
    if x < 0:
        return -x
    y = x * 2
    if y > 100:
        return 100
    return y


@ember.jit
def returns_none(x):
    x = x + 1


@ember.jit
def maybe_limit(x, lim=None):
    if lim is None:
        lim = 10
    if x > lim:
        return lim
    return x


def test_early(): check_all(early, [-5, 0, 10, 51, 1000, -2.5])


@pytest.mark.xfail(strict=True, reason="documented deviation (README): where an int and a float "
                   "meet (two returns, a merge, min/max) the value becomes a float, as in Numba")
def test_early_mixed_return_type(): check(early, 60.5)
def test_returns_none(): assert check(returns_none, 3) is None
def test_none_default(): check_all(maybe_limit, [(5,), (50,), (50, 100), (50, None), (5.5, 2.5)])
def test_none_default_keyword(): check(maybe_limit, 50, lim=20)


# -- walrus ---------------------------------------------------------------------------------
@ember.jit
def walrus(x):
    if (y := x * 2) > 10:
        return y
    return -y


@ember.jit
def walrus_loop(n):
    total = 0
    while (n := n - 1) >= 0:
        total += n
    return total


def test_walrus(): check_all(walrus, [0, 5, 6, -3, 5.5])
def test_walrus_loop(): check_all(walrus_loop, [0, 1, 10, -5])


# -- module globals: frozen at compile time ------------------------------------------
SCALE = 3
OFFSET = 0.5
FLAG = True


@ember.jit
def scaled(x):
    return x * SCALE + OFFSET if FLAG else x


def test_globals_frozen(restore_global):
    """Current semantics: a global's value is read when the function is compiled
    for a signature; changing it later does not change that signature's result."""
    assert check(scaled, 2) == 6.5
    restore_global(globals(), "SCALE", 100)
    assert scaled(2) == 6.5          # frozen at the first compilation
    assert scaled.py_func(2) == 200.5


@ember.jit
def uses_math_consts(x):
    return x * math.pi + math.e, -math.inf < x, math.nan


def test_module_attribute_constants(): check_all(uses_math_consts, [0.0, 1.0, -2.5, 3])


# -- values that cross blocks inside a larger expression ------------------------------
@ember.jit
def call_of_or(a, b):
    return float(a or b)


@ember.jit
def call_of_ifexp(a, b):
    return abs(a if a > b else b) + min(a and b, 3)


@ember.jit
def pow_of_and(a):
    return a ** float(not (0 + (a and a)))


@ember.jit
def const_chain_and():
    return ((0 < 0 < 0) and (0 != 0)) and (0 != 0)


def test_call_of_or(): check_all(call_of_or, [(0, 5), (3, 5), (0.0, -0.0), (False, True)])
def test_call_of_ifexp(): check_all(call_of_ifexp, [(1, 2), (-5, -7), (0, 0), (2.5, -1.5)])
def test_pow_of_and(): check_all(pow_of_and, [0, 1, -1, 2])
def test_const_chain_and(): check(const_chain_and)


@ember.jit
def retest_local(a, b):
    if a:
        x = a
    else:
        x = b
    if x:
        return x + 1
    return 0


def test_retest_local(): check_all(retest_local, [(1, 2), (0, 2), (0, 0), (3, 0), (-1.5, 2.0), (0.0, 0.5)])
