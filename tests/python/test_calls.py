"""Calls between compiled functions: positional, keyword, defaults (None
included), recursion, mutual recursion, deep recursion (RecursionError, never
a crash), errors raised inside a callee."""
import pytest

import ember
from helpers import check, check_all


@ember.jit
def axpy(a, x, y=1.0):
    return a * x + y


@ember.jit
def clamp(x, lo=0, hi=None):
    if hi is not None and x > hi:
        return hi
    if x < lo:
        return lo
    return x


@ember.jit
def kwonly(x, *, scale=2, shift=0):
    return x * scale + shift


@ember.jit
def calls_axpy(x):
    return axpy(2.0, x) + axpy(x, 3.0, 0.5) + axpy(y=-1.0, a=1.0, x=x)


@ember.jit
def calls_clamp(x):
    return clamp(x) + clamp(x, -5) + clamp(x, hi=7) + clamp(x, lo=-1, hi=1) + clamp(hi=3, x=x)


@ember.jit
def calls_kwonly(x):
    return kwonly(x) + kwonly(x, scale=3) + kwonly(x, shift=1, scale=-1)


@ember.jit
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@ember.jit
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)


@ember.jit
def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


@ember.jit
def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


@ember.jit
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


@ember.jit
def divide(a, b):
    return a // b


@ember.jit
def calls_divide(a, b):
    x = a + 1
    return divide(x, b) + 1


@ember.jit
def chain3(x):
    return calls_axpy(x) * 2 + calls_clamp(int(x))


def test_axpy(): check_all(axpy, [(2.0, 3.0), (2.0, 3.0, 4.0), (1, 2, 3), (1, 2)])
def test_axpy_keywords(): check(axpy, a=2.0, x=1.5, y=-1.0)
def test_calls_with_defaults(): check_all(calls_axpy, [0.0, 1.5, -2.0])
def test_calls_none_default(): check_all(calls_clamp, [-10, -3, 0, 2, 5, 10])
def test_calls_kwonly(): check_all(calls_kwonly, [0, 3, -3, 2.5])
def test_kwonly_from_python(): check(kwonly, 3, shift=4)
def test_fib(): check_all(fib, [0, 1, 2, 10, 20, -3])
def test_factorial_small(): check_all(factorial, [0, 1, 5, 20])
def test_chain_of_calls(): check_all(chain3, [0.0, 2.5, -7.0])
def test_error_in_callee(): check_all(calls_divide, [(5, 2), (5, 0), (-7, 3)])
def test_recursion_moderate(): check(depth, 500)


def test_mutual_recursion():
    try:
        is_even(4)
    except ember.CompileError as e:   # a clean refusal of a feature issue 2 lists: reported, not hidden
        pytest.xfail(f"mutual recursion does not compile yet: {e}")
    check_all(is_even, [0, 1, 10, 11, 501])
    check_all(is_odd, [0, 1, 10, 11])


def test_deep_recursion_raises():
    """CPython raises RecursionError; compiled code must too (not crash the process)."""
    check(depth, 10**6)


def test_deep_recursion_then_works():
    try:
        depth(10**6)
    except RecursionError:
        pass
    assert depth(10) == 10
