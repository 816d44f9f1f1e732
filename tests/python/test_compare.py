"""Comparisons: the six operators on int, float, bool, mixed int/float (which
CPython compares exactly, not through a rounded float), complex equality,
chained comparisons and `is None`."""
import math

import ember
from helpers import COMPLEXES, FLOATS, INTS, SMALL_INTS, check, check_all, pairs


@ember.jit
def eq(a, b):
    return a == b


@ember.jit
def ne(a, b):
    return a != b


@ember.jit
def lt(a, b):
    return a < b


@ember.jit
def le(a, b):
    return a <= b


@ember.jit
def gt(a, b):
    return a > b


@ember.jit
def ge(a, b):
    return a >= b


ALL = [eq, ne, lt, le, gt, ge]
# int/float pairs where converting the int to a double would give the wrong answer.
EXACT = [(2**53 + 1, 2.0**53), (2.0**53, 2**53 + 1), (2**63 - 1, 2.0**63), (2.0**63, 2**63 - 1),
         (-(2**63), -(2.0**63)), (9007199254740993, 9007199254740992.0), (1, 1.0), (0, -0.0),
         (3, math.nan), (math.nan, 3), (5, math.inf), (-(2**63), -math.inf), (2**62 + 1, 2.0**62)]


def test_int():
    for f in ALL:
        check_all(f, pairs(INTS))


def test_float():
    for f in ALL:
        check_all(f, pairs(FLOATS))


def test_bool():
    for f in ALL:
        check_all(f, pairs([True, False]) + pairs([True, False], [0, 1, 2, 0.5]))


def test_mixed_small():
    for f in ALL:
        check_all(f, pairs(SMALL_INTS, [0.0, -0.0, 1.0, -1.5, 2.5, math.inf, math.nan]))


def test_mixed_exact():
    for f in ALL:
        check_all(f, EXACT)


def test_nan_never_equal(): check_all(eq, [(math.nan, math.nan), (math.nan, 0.0)])
def test_nan_ne(): check(ne, math.nan, math.nan)
def test_signed_zero_equal(): check(eq, 0.0, -0.0)
def test_complex_eq(): check_all(eq, pairs(COMPLEXES))
def test_complex_ne(): check_all(ne, pairs(COMPLEXES))
def test_complex_eq_mixed(): check_all(eq, [(1 + 0j, 1), (1 + 0j, 1.0), (2.0, 2 + 1j), (1j, 0)])
def test_returns_bool(): assert type(check(lt, 1, 2)) is bool


@ember.jit
def chain3(a, b, c):
    return a < b < c


@ember.jit
def chain_mixed(a, b, c, d):
    return a <= b > c != d


@ember.jit
def chain_eq(a, b, c):
    return a == b == c


@ember.jit
def chain_in_if(x):
    if 0 <= x < 10:
        return 1
    elif -10 < x < 0 <= x + 20:
        return 2
    return 3


def test_chain3(): check_all(chain3, [(1, 2, 3), (1, 3, 2), (3, 2, 1), (1, 1, 2), (1.0, 2, 2.5), (math.nan, 1.0, 2.0)])
def test_chain_mixed(): check_all(chain_mixed, [(1, 2, 1, 0), (1, 2, 1, 1), (3, 2, 1, 0), (0.5, 1, -1, 2)])
def test_chain_eq(): check_all(chain_eq, [(1, 1, 1), (1, 1, 2), (0.0, -0.0, 0), (True, 1, 1.0)])
def test_chain_in_if(): check_all(chain_in_if, [-30, -11, -10, -5, -1, 0, 5, 9, 10, 11, 2.5, -2.5, math.nan])


@ember.jit
def is_none(x=None):
    return x is None


@ember.jit
def is_not_none(x=None):
    return x is not None


def test_is_none(): check_all(is_none, [(), (None,), (0,), (0.0,), (False,)])
def test_is_not_none(): check_all(is_not_none, [(), (None,), (1,), (1.5,)])
