"""Tuples: build, unpack (swap, nested), return, mixed element types, tuples
passed between compiled functions, tuple equality."""
import math

import ember
from helpers import check, check_all, check_or_reject


@ember.jit
def swap(a, b):
    a, b = b, a
    return a, b


@ember.jit
def rotate3(a, b, c):
    a, b, c = b, c, a
    return a, b, c


@ember.jit
def mixed(a, b):
    return a, b, a + b, a < b, complex(a, b), None


@ember.jit
def nested_build(a):
    t = (a, (a + 1, (a * 2.0, a > 0)))
    return t


@ember.jit
def nested_unpack(a):
    t = (a, (a + 1, a + 2))
    x, (y, z) = t
    return x + y * z


@ember.jit
def fib_pair(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@ember.jit
def minmax(a, b, c):
    lo = min(a, b, c)
    hi = max(a, b, c)
    return lo, hi


@ember.jit
def uses_minmax(a, b, c):
    lo, hi = minmax(a, b, c)
    return hi - lo


@ember.jit
def single():
    return (1,)


@ember.jit
def empty():
    return ()


@ember.jit
def const_tuple():
    t = (1, 2.5, True)
    a, b, c = t
    return a + b + c


@ember.jit
def divmod_tuple(a, b):
    q, r = divmod(a, b)
    return q * b + r == a, q, r


@ember.jit
def tuple_eq(a, b):
    return (a, b) == (b, a)


@ember.jit
def first(t):
    x, y = t
    return x - y


def test_swap(): check_all(swap, [(1, 2), (1.5, -0.0), (True, 3), (1j, 2)])
def test_rotate3(): check_all(rotate3, [(1, 2, 3), (1.0, 2, False)])
def test_mixed_types(): check_all(mixed, [(1, 2), (1.5, -2.5), (math.nan, 0.0)])
def test_nested_build(): check_all(nested_build, [0, 5, -5, 2.5])
def test_nested_unpack(): check_all(nested_unpack, [0, 5, -5, 2.5])
def test_fib_pair(): check_all(fib_pair, [0, 1, 2, 10, 50, 92, 93, 100])
def test_return_from_callee(): check_all(uses_minmax, [(1, 2, 3), (3, -1, 2), (1.5, math.nan, 0.0)])
def test_single(): check(single)
def test_empty(): check(empty)
def test_const_tuple(): check(const_tuple)
def test_divmod_tuple(): check_all(divmod_tuple, [(7, 3), (-7, 3), (7, -3), (7.5, -2.0), (-0.0, 1.0), (5, 0)])


def test_tuple_eq():
    """Tuple comparison is not in issue 2's list: refusing is fine.  Two distinct
    NaN objects: CPython compares tuple items by identity first, so one NaN
    object would equal itself there, which compiled code cannot see."""
    for args in [(1, 1), (1, 2), (float("nan"), float("nan")), (0.0, -0.0), (1.5, 1)]:
        check_or_reject(tuple_eq, *args)


def test_tuple_argument():
    """Tuple arguments are not in the issue's list: a clean CompileError is
    accepted, a wrong answer is not."""
    check_or_reject(first, (5, 3))
    check_or_reject(first, (2.5, 1))
