"""Loops: while, for over range with 1-3 arguments (negative and zero steps,
empty ranges, extreme bounds), break, continue, loop else, nested loops."""
import math

import ember
from helpers import check, check_all


@ember.jit
def gcd(a, b):
    while b:
        a, b = b, a % b
    return abs(a)


@ember.jit
def sum_range1(n):
    s = 0
    for i in range(n):
        s += i
    return s


@ember.jit
def sum_range2(a, b):
    s = 0
    for i in range(a, b):
        s += i * i
    return s


@ember.jit
def sum_range3(a, b, c):
    s = 0
    n = 0
    for i in range(a, b, c):
        s += i
        n += 1
    return s, n


@ember.jit
def last_index(a, b, c):
    i = -999
    for i in range(a, b, c):
        pass
    return i


@ember.jit
def float_accumulate(n, x):
    s = 0.0
    for i in range(n):
        s += x / (i + 1)
    return s


@ember.jit
def collatz(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def test_gcd(): check_all(gcd, [(48, 18), (18, 48), (0, 5), (5, 0), (0, 0), (-48, 18), (48, -18), (2**62, 2**40)])
def test_gcd_float(): check_all(gcd, [(4.5, 1.5), (-7.5, 2.0)])
def test_range1(): check_all(sum_range1, [0, 1, 10, 1000, -5, 10**6])
def test_range2(): check_all(sum_range2, [(0, 10), (5, 5), (10, 0), (-10, 10), (-5, -10)])
def test_range3(): check_all(sum_range3, [(0, 10, 3), (10, 0, -3), (10, 0, -1), (0, 10, -1), (-3, 3, 2), (5, 5, -1), (0, 1, 10**9)])
def test_range_step_zero(): check(sum_range3, 0, 10, 0)
def test_range_extreme_bounds(): check_all(sum_range3, [(2**63 - 3, 2**63 - 1, 1), (-(2**63), -(2**63) + 3, 1), (2**63 - 1, 2**63 - 10, -4), (0, 2**63 - 1, 2**62)])
def test_range_huge_step(): check_all(last_index, [(0, 10, 2**63 - 1), (0, -10, -(2**63)), (-(2**63), 2**63 - 1, 2**63 - 1)])
def test_last_index(): check_all(last_index, [(0, 10, 1), (0, 10, 3), (10, 0, -3), (0, 0, 1), (3, -3, -2)])
def test_float_accumulate(): check_all(float_accumulate, [(0, 1.0), (100, 1.0), (100, -0.1), (5, math.inf), (5, math.nan)])
def test_collatz(): check_all(collatz, [1, 2, 3, 7, 27, 97, 871, 10**6 + 1])


@ember.jit
def find_first_multiple(n, k):
    for i in range(1, n):
        if i % k == 0:
            break
    else:
        return -1
    return i


@ember.jit
def while_else(n):
    i = 0
    while i < n:
        if i * i > 50:
            break
        i += 1
    else:
        i = -i
    return i


@ember.jit
def skip_odd(n):
    s = 0
    for i in range(n):
        if i % 2:
            continue
        s += i
    return s


@ember.jit
def while_continue(n):
    s = 0
    i = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        s += i
    return s


@ember.jit
def nested(n, m):
    s = 0
    for i in range(n):
        for j in range(i, m):
            if j > 3 * i:
                break
            s += i * j
        else:
            s -= 1
    return s


@ember.jit
def return_in_loop(n):
    for i in range(n):
        j = 0
        while True:
            j += 1
            if j * i > 20:
                return i, j
            if j > 5:
                break
    return -1, -1


@ember.jit
def count_down(n):
    out = 0
    for i in range(n, -1, -1):
        out = out * 3 + i
    return out


def test_for_else(): check_all(find_first_multiple, [(10, 3), (10, 11), (1, 2), (0, 1), (100, 97)])
def test_while_else(): check_all(while_else, [0, 3, 7, 8, 100])
def test_continue(): check_all(skip_odd, [0, 1, 10, 11])
def test_while_continue(): check_all(while_continue, [0, 1, 10, 100])
def test_nested(): check_all(nested, [(0, 0), (3, 5), (10, 10), (5, 100)])
def test_return_in_loop(): check_all(return_in_loop, [0, 1, 3, 5, 30])
def test_negative_step(): check_all(count_down, [0, 1, 5, 30, -3])
