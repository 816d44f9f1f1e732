"""Int constants and globals past 64 bits (CPython folds `2**70` into one
constant): the function still compiles; the path that loads the constant runs
again in the interpreter (a fallback), so the answer is CPython's exact big
int, and the other paths stay native."""
import ember
from helpers import check, check_all

G_BIG = 2**80
G_NEG = -(10**30)


@ember.jit
def add_big(x):
    return x + 10**40


@ember.jit
def mul_global(x):
    return x * G_BIG


@ember.jit
def neg_global(x):
    return G_NEG < x


@ember.jit
def one_path(x):
    if x > 0:
        return x * 2**70
    return x - 1


@ember.jit
def in_loop(n):
    s = 0
    for i in range(n):
        if i == 5:
            s += 2**64
        s += i
    return s


@ember.jit
def tuple_const(x):
    a, b = (x, 2**65)
    return a


@ember.jit
def assigned_in_branch(x):
    if x > 10:
        y = 123456789012345678901234567890
    else:
        y = x
    return y * 2


def fallbacks(f):
    return f.stats["fallbacks"]


def test_constant(): check_all(add_big, [0, 1, -5, 2**62])
def test_global(): check_all(mul_global, [0, 3, -7])
def test_global_compare(): check_all(neg_global, [0, -(10**18)])
def test_tuple_constant(): check_all(tuple_const, [1, -3])
def test_in_loop(): check_all(in_loop, [0, 5, 6, 20])
def test_assigned_in_branch(): check_all(assigned_in_branch, [0, 10, 11, -4])


def test_other_path_stays_native():
    check(one_path, -3)
    before = fallbacks(one_path)
    assert check(one_path, -10) == -11
    assert fallbacks(one_path) == before
    assert check(one_path, 3) == 3 * 2**70
    assert fallbacks(one_path) == before + 1
