"""User-style kernels, round 5: compiled and interpreted side by side.

New kernels beside test_user_kernels.py ... 4: dynamic programming on int
arrays, image processing on uint8/float32 grids, sparse and graph algorithms,
numerical methods checked against NumPy, sorting and searching by hand,
complex arithmetic and an FFT by hand, seeded Monte Carlo; plus the items
round 4 left open (a conditional expression as an exception's message,
np.squeeze, np.array([]), np.bincount of an empty array with weights,
np.float32 and Python float returns, reshape's size error text).

check() (test_user_kernels3.py) runs the compiled kernel and f.py_func on
copies of the same inputs: same result type and value (NaN == NaN, -0.0 !=
0.0, arrays by dtype, shape and values), same argument arrays after, same
exception type and text.  A tolerance only where a comment says why.
PYTEST_DONT_REWRITE: the kernels' assert statements must reach Ember as
CPython compiles them.
"""
import math

import numpy as np
import pytest

import ember
from test_user_kernels3 import check, views, special, rng, xfail

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::DeprecationWarning")


# == open items of round 4 ======================================================

@ember.jit
def cond_message(n, lo):
    if n < lo:
        raise ValueError("far below" if n < lo - 5 else "below")
    return n


@ember.jit
def cond_message_tail(n, i, j):
    # more than CPython 3.12+ copies into each arm: the call joins after the branch on every version
    if n < 0:
        raise IndexError("a" if n < -5 else "b", i, j, n)
    return n


@ember.jit
def cond_message_var(a):
    msg = "empty" if a.shape[0] == 0 else "negative"
    if a.shape[0] == 0 or a.min() < 0:
        raise ValueError(msg)
    return a.sum()


@ember.jit
def cond_message_fields(n, k):
    if n < 0:
        raise ValueError(f"n = {n} below {k}" if n < k else "small" if n > -2 else f"{n}")
    assert n != 3, ("three" if k else "3")
    return n


@ember.jit
def cond_message_two(n, m):
    if n < 0:
        raise KeyError("a" if n < -5 else "b", "c" if m else "d") from None
    return n


@ember.jit
def cond_message_returned(n):
    return "pos" if n > 0 else "neg"


def test_conditional_expression_as_exception_message():
    # CPython 3.11 joins the two arms before the call (3.10, 3.12 and 3.13 copy a small call and
    # raise into each arm); the frontend raised an UnsupportedError for the join
    for n in [-9, -2, 0, 4]:
        check(cond_message, n, 0)
        check(cond_message_tail, n, 7, 8)
        check(cond_message_two, n, n % 2)
    for n in [-9, -3, -1, 2, 3]:
        for k in [0, 1, -4]:
            check(cond_message_fields, n, k)
    for a in [np.zeros(0), np.array([1.0, -2.0]), np.array([3, 4])]:
        check(cond_message_var, a)
    with pytest.raises(ember.CompileError, match="on one path and str|join of branches"):
        cond_message_returned(1)     # a str joined and returned stays refused (README; 3.11: at the join)


@ember.jit
def reshape_forms(a, n, m):
    return a.reshape(n, m), a.reshape((m, n)), np.reshape(a, (n, m)), np.reshape(a, n * m), a.reshape(-1)


@ember.jit
def reshape3(a, n, m, k):
    return a.reshape(n, m, k)


@ember.jit
def reshape_const_unknown(a, n):
    return a.reshape(n, -1), a.reshape(-1, n), np.reshape(a, (-1, 2, n))


def test_reshape_runtime_negative_extent_and_errors():
    # a negative extent passed at run time is NumPy's unknown one (any negative, at most one); it was
    # ValueError('the sizes differ'); NumPy's texts name the size and the shape ('newaxis' for it)
    a = np.arange(12.0)
    for n, m in [(3, 4), (-1, 4), (3, -1), (-5, 6), (2, -7), (-1, -1), (5, 2), (0, -1), (12, 1), (4, 4)]:
        check(reshape_forms, a, n, m)
        check(reshape_forms, a.astype(np.int8), n, m)
    for n, m in [(0, -1), (-1, 3), (0, 0), (2, 0)]:
        check(reshape_forms, np.zeros(0, np.float32), n, m)
    for shape in [(-1, 2, 2), (-1, 4, 1), (1, -1, 4), (2, 2, -1), (-1, -1, 3), (-2, 3, 2), (0, -1, 0)]:
        check(reshape3, np.arange(6.0), *shape)
    for n in [1, 2, 3, 5, 0]:
        check(reshape_const_unknown, a, n)
        check(reshape_const_unknown, np.arange(6), n)
