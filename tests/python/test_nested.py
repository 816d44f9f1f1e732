"""Nested functions, lambdas, closures and generator expressions (frontend/nested.c):
called in place they are inlined, generator expressions consumed by sum, min, max,
any and all become loops; compared against CPython on generated inputs.  A nested
function used as a value (returned, passed, stored) is an UnsupportedError naming
file:line."""
import math
import os
import sys

import numpy as np
import pytest

import ember
from helpers import check, same, source_line

HERE = os.path.abspath(__file__)
FILE = os.path.basename(HERE)
RNG = np.random.default_rng(20261127)


def arrays(n=6, lo=-3.0, hi=3.0):
    """Generated float arrays: empty, one item, random, with repeats and zeros."""
    out = [np.zeros(0), np.array([1.5]), np.array([0.0, -0.0, 2.0, 2.0, -1.0])]
    for k in range(n):
        out.append(np.round(RNG.uniform(lo, hi, size=1 + k * 3), 2))
    return out


# From 3.12 CPython's sum adds exact Python floats with Neumaier's compensation and
# np.float64 items without; Ember's sum of a generator compensates every float64
# item (an f64 counts as a Python float, as for tuples in jit/ember/_lib.py), so
# sums of array items may differ in the last bits there.
NP_SUM_APPROX = sys.version_info >= (3, 12)


def agree(f, *args, approx=False):
    """f compiled agrees with CPython on 'args': values (NumPy scalars as Python
    numbers) equal (within rounding where 'approx'), or the same exception class
    and message."""
    try:
        want, werr = f.py_func(*args), None
    except Exception as e:   # noqa: BLE001
        want, werr = None, e
    try:
        got, gerr = f(*args), None
    except Exception as e:   # noqa: BLE001
        got, gerr = None, e
    if werr is not None or gerr is not None:
        assert type(gerr) is type(werr) and str(gerr) == str(werr), (f.__name__, args, werr, gerr)
        return got
    assert _close(got, want, approx), (f.__name__, args, got, want)
    return got


def _close(a, b, approx=False):
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(_close(x, y, approx) for x, y in zip(a, b))
    if isinstance(b, (bool, np.bool_)):
        return type(a) in (bool, np.bool_) and bool(a) == bool(b)
    a, b = complex(a), complex(b)
    if math.isnan(a.real) or math.isnan(b.real):
        return math.isnan(a.real) and math.isnan(b.real)
    if approx:
        return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
    return a == b


def error(f, *args):
    with pytest.raises(ember.UnsupportedError) as ei:
        f(*args)
    return str(ei.value)


# -- Closures and lambdas called in place ----------------------------------------

@ember.jit
def closure_scalar(a, c):
    def inner(y):
        return y * c + 1.0
    s = 0.0
    for i in range(a.shape[0]):
        s += inner(a[i])
    return s


@ember.jit
def lambda_loop(a, c):
    f = lambda t: t * t + c   # noqa: E731
    s = 0.0
    for i in range(a.shape[0]):
        s += f(a[i])
    return s


@ember.jit
def closure_array(a, w):
    def get(i):
        return a[i] * w
    s = 0.0
    for i in range(len(a)):
        s = s + get(i) - get(len(a) - 1 - i) / 2.0
    return s


@ember.jit
def immediate_lambda(x, y):
    return (lambda u, v: u * 10 + v)(x, y) + (lambda: x)()


def test_closures_scalars_arrays():
    for a in arrays():
        for c in (0.0, -1.5, 2.25):
            agree(closure_scalar, a, c)
            agree(lambda_loop, a, c)
            agree(closure_array, a, c)
    for x in (-3, 0, 7):
        for y in (2, -5):
            assert check(immediate_lambda, x, y) == x * 10 + y + x


@ember.jit
def defaults(x, c):
    k = c * 2
    def f(y, m=3, d=k):   # defaults are evaluated where the function is made
        return y * m + d
    return f(x), f(x, 5), f(x, d=1.5), f(m=-1, y=x), f(x, 2, 0.25)


@ember.jit
def keyword_only(x):
    def f(a, *, b):
        return a - b
    return f(x, b=2) + f(b=x, a=1)


def test_defaults_and_keywords():
    for x in (0.5, -2.0, 3):
        for c in (1, -0.5):
            assert check(defaults, x, c) == defaults.py_func(x, c)
    for x in (0, 5, -3):
        check(keyword_only, x)


@ember.jit
def late_cell(x):
    c = 1
    f = lambda y: y + c   # noqa: E731
    c = x                 # the cell is read when f runs, as CPython does
    r = f(10)
    c = r * 2
    return r, f(0)


@ember.jit
def loop_variable(n):
    s = 0
    for i in range(n):
        f = lambda y: y * i   # noqa: E731
        s += f(3)
    return s


@ember.jit
def cell_assigned_later(x):
    g = lambda: y * 2     # noqa: E731   y is assigned after the lambda is made
    y = x + 1
    return g() + (lambda v: v)(x if x > 0 else -x) + (lambda: y)()


@ember.jit
def counters(a, t):
    count = 0
    total = 0.0
    def add(v):
        nonlocal count, total
        if v > t:
            count += 1
            total = total + v
            return True
        return False
    hits = 0
    for x in a:
        hits += add(x)
    def first():
        nonlocal late
        late = count * 2
        return late
    late = -1
    return count, total, hits, first(), late


def test_nonlocal_writes():
    for a in arrays():
        for t in (-1.0, 0.5):
            agree(counters, a, t)


def test_cells_read_at_the_call():
    for x in (-2, 0, 5):
        check(cell_assigned_later, x)
    for x in (-4, 0, 9):
        check(late_cell, x)
    for n in (0, 1, 6):
        check(loop_variable, n)


@ember.jit
def nested_calls(a, c):
    def sq(y):
        return y * y
    def term(y):
        return sq(y) + c * sq(y - 1.0)     # a sibling through the closure
    def outer(y):
        def innermost(z):
            return term(z) - y             # a closure of a closure
        return innermost(y / 2.0)
    s = 0.0
    for i in range(a.shape[0]):
        s += outer(a[i])
    return s


@ember.jit
def branchy(x):
    def sign(v):
        if v > 0:
            return 1
        elif v < 0:
            return -1
        return 0
    def clip(v, lo=-2, hi=2):
        while v > hi:
            v -= 1
        return lo if v < lo else v
    return sign(x) * 100 + clip(x) + sign(clip(x - 3))


@ember.jit
def conditional_argument(a, t):
    f = lambda v: v * 2.0 + 1.0   # noqa: E731
    s = 0.0
    for x in a:
        s += f(x if x > t else -x)
    return s


@ember.jit
def callbacks(a, h):
    def deriv(f, x, step=h):
        return (f(x + step) - f(x - step)) / (2 * step)
    def total(g, xs):
        return sum(g(x) for x in xs)
    c = 3.0
    cube = lambda t: t * t * t     # noqa: E731
    return deriv(cube, 1.5), deriv(lambda t: c * t, 2.0, 0.5), total(cube, a), total(lambda t: t + c, a)


def test_nested_calls_and_control_flow():
    for a in arrays():
        agree(callbacks, a, 1e-3, approx=NP_SUM_APPROX)
    for a in arrays():
        for c in (0.5, -1.0):
            agree(nested_calls, a, c)
            agree(conditional_argument, a, c)
    for x in range(-6, 7):
        check(branchy, x)


@ember.jit
def raises_inside(x):
    def checked(v):
        if v < 0:
            raise ValueError("negative input")
        return math.sqrt(v)
    return checked(x) + checked(x + 1.0)


def test_exception_in_nested_function():
    for x in (4.0, 0.0, -0.5, -3.0):
        agree(raises_inside, x)


# -- Generator expressions -------------------------------------------------------

@ember.jit
def gen_sum(a, c):
    return sum(x * x for x in a if x > c)


@ember.jit
def gen_sum_py(a, c):
    return sum(float(x) * 0.1 for x in a if x > c) + sum(math.sqrt(abs(x)) for x in a)


@ember.jit
def gen_sum_start(a):
    return sum((x - 1.0 for x in a), 10.0), sum((2 * i for i in range(len(a))), start=-3)


@ember.jit
def gen_sum_int(n, m):
    return sum(i * j for i in range(n) for j in range(m) if (i + j) % 3 != 0)


@ember.jit
def gen_nested_arrays(a, b):
    return sum(x * y for x in a for y in b if x != y)


@ember.jit
def gen_enumerate(a):
    return sum(i * x for i, x in enumerate(a)), max(x - y for x, y in zip(a, a[::-1]))


@ember.jit
def gen_minmax(a):
    return max(abs(v) for v in a), min(v for v in a), max(-v for v in a if v != 0.0)


@ember.jit
def gen_any_all(a, t):
    return any(v > t for v in a), all(v > t for v in a), any(v for v in a), all(v for v in a)


@ember.jit
def gen_short_circuit(t):
    return any(10 // v > 2 for v in t), all(10 // v < 9 for v in t)


@ember.jit
def gen_in_loop(a, n):
    total = 0.0
    for k in range(n):
        total += sum(x * k for x in a) - min(x + k for x in a)
    return total


def test_genexpr_sum():
    for a in arrays(8):
        for c in (-10.0, 0.0, 1.0):
            r = agree(gen_sum, a, c, approx=NP_SUM_APPROX)
            assert r == sum(float(x) * float(x) for x in a if x > c)    # Python floats: exact on every version
            agree(gen_sum_py, a, c)
        agree(gen_sum_start, a, approx=NP_SUM_APPROX)
        for b in arrays(3):
            agree(gen_nested_arrays, a, b, approx=NP_SUM_APPROX)
    for n in range(5):
        for m in (0, 1, 4):
            assert check(gen_sum_int, n, m) == gen_sum_int.py_func(n, m)


def test_genexpr_sum_compensated():
    # 3.12+ sums Python floats with Neumaier's compensation, as _lib's _sum_step does
    a = np.array([1e16, 1.0, -1e16, 1.0, 1e-3] * 3)
    assert gen_sum(a, -math.inf) == sum(float(x) * float(x) for x in a)
    b = np.array([0.1] * 10 + [1e20, -1e20])
    assert gen_sum(b, -math.inf) == sum(x * x for x in b.tolist())


def test_genexpr_min_max_any_all():
    for a in arrays(8) + [np.array([2.0, np.nan, 1.0]), np.array([np.nan, 3.0])]:
        agree(gen_minmax, a)
        agree(gen_enumerate, a, approx=NP_SUM_APPROX)
        for t in (-1.0, 0.0, 2.5):
            agree(gen_any_all, a, t)
        for n in (0, 3):
            agree(gen_in_loop, a, n, approx=NP_SUM_APPROX)
    for t in [(1, 2, 0), (0, 1), (20, 5, 0), (1, 1, 1), (5, 2, 11, 0)]:
        agree(gen_short_circuit, t)


@ember.jit
def gen_empty(n):
    return max(i for i in range(n))


@ember.jit
def gen_empty_min(a):
    return min(x for x in a if x > 100.0)


def test_genexpr_empty():
    assert check(gen_empty, 4) == 3
    with pytest.raises(ValueError) as e:
        gen_empty(0)
    with pytest.raises(ValueError) as p:
        gen_empty.py_func(0)
    assert str(e.value) == str(p.value)
    for a in arrays():
        agree(gen_empty_min, a)
    assert gen_sum(np.zeros(0), 0.0) == 0     # 0.0 here: a sum of floats is a float (README)


@ember.jit
def gen_closure_default(a, w):
    def weighted(x, k=2.0):
        return x * w * k
    return sum(weighted(x) for x in a), max((weighted(x, 1.0) for x in a))


def test_genexpr_calls_closures():
    for a in arrays():
        for w in (0.5, -2.0):
            agree(gen_closure_default, a, w, approx=NP_SUM_APPROX)


@ember.jit
def gen_of_gen(a, b):
    return sum(sum(x * y for y in b if y != x) for x in a), max(min(x - y for y in b) for x in a)


@ember.jit
def gen_in_condition(a, t):
    n = 0
    for k in range(3):
        if any(v > t + k for v in a) and not all(v > t - k for v in a):
            n += 1
    return n


@ember.jit
def generator_function(n, a):
    def squares(m):
        for i in range(m):
            if i % 2:
                yield i * i
        yield -1
    def items(x):
        for v in x:
            yield v * 2.0
    return sum(squares(n)), max(squares(n)), min(items(a)) if len(a) else 0.0


@ember.jit
def positional_only(x):
    def f(a, /, b=1, *, c):
        return a * 100 + b * 10 + c
    def g(a, *, d=x + 1, e=2):
        return a * 10 + d - e
    return f(x, c=2), f(x, 5, c=0), f(x, b=6, c=1), f(x, c=7, b=8), g(1), g(2, e=5), g(3, d=0, e=1)


@ember.jit
def gen_raises(a):
    return sum(1.0 / x for x in a)


def test_more_generators():
    for a in arrays(5):
        for b in arrays(3)[1:]:
            agree(gen_of_gen, a, b, approx=NP_SUM_APPROX)
        for t in (-1.0, 0.5):
            agree(gen_in_condition, a, t)
        with np.errstate(divide="ignore", invalid="ignore"):
            agree(gen_raises, a, approx=NP_SUM_APPROX)
    for n in (0, 1, 5):
        for a in (np.zeros(0), np.array([3.0, -1.5])):
            agree(generator_function, n, a)
    for x in (0, 3, -2):
        check(positional_only, x)
    with pytest.raises(ZeroDivisionError):
        gen_raises((1.0, 0.0))    # Python floats: CPython's ZeroDivisionError


# -- What is refused -------------------------------------------------------------

@ember.jit
def returns_closure(x):
    def f(y):
        return x + y
    return f    # marker: returned


@ember.jit
def passes_lambda(x):
    return closure_scalar(lambda y: y, x)    # marker: passed


@ember.jit
def recursive(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)    # marker: recursion
    return fact(n)


@ember.jit
def writes_nonlocal(n):
    def bump():
        nonlocal c
        c += 1    # marker: nonlocal
    def outer():
        bump()
    c = 0
    outer()
    return c


@ember.jit
def stores_generator(a):
    g = (x for x in a)    # marker: stored generator
    return sum(g)


@ember.jit
def stores_dict(x):
    d = {"a": x, "b": 2}    # marker: dict
    return x


@ember.jit
def iterates_generator(a):
    s = 0.0
    for v in (x * 2 for x in a):    # marker: iterated generator
        s += v
    return s


@ember.jit
def reassigned(x):
    f = lambda y: y + 1   # noqa: E731   # marker: reassigned
    if x > 0:
        f = lambda y: y - 1   # noqa: E731
    return f(x)


def test_unsupported():
    for f, args, marker, words in [
        (returns_closure, (1,), "marker: returned", "used as a value"),
        (passes_lambda, (1.0,), "marker: passed", "used as a value"),
        (recursive, (4,), "marker: recursion", "recursive nested functions"),
        (writes_nonlocal, (3,), "marker: nonlocal", "nonlocal"),
        (stores_generator, (np.ones(3),), "marker: stored generator", "generator"),
        (reassigned, (2,), "marker: reassigned", "assigned anything else"),
        (stores_dict, (1,), "marker: dict", "dict displays"),
        (iterates_generator, (np.ones(2),), "marker: iterated generator", "sum, min, max, any and all"),
    ]:
        msg = error(f, *args)
        assert f"{FILE}:{source_line(HERE, marker)}" in msg, (marker, msg)
        assert words in msg, (marker, msg)
        assert f.py_func.__name__ in msg, msg


def test_pyversion_message():
    want = "iterable argument is empty" if sys.version_info >= (3, 12) else "arg is an empty sequence"
    with pytest.raises(ValueError, match=want):
        gen_empty_min(np.ones(2))
    assert same(gen_empty(2), 1)


# -- The on-disk cache: a global read only by nested code is part of the key -------

CACHED = """
import ember
K = 3
@ember.jit(cache=True)
def h(x):
    f = lambda t: t * K
    return f(x) + sum(K for i in range(2))
"""


def test_cache_key_covers_nested_globals(tmp_path):
    from test_cache import run, write    # the cache tests' child-process runner
    write(tmp_path, "m.py", CACHED)
    cache = tmp_path / "cache"
    a = run(tmp_path, cache, calls=[["h", [2]]])
    assert a["out"] == [12]
    write(tmp_path, "m.py", CACHED.replace("K = 3", "K = 5"))
    b = run(tmp_path, cache, calls=[["h", [2]]])
    assert b["out"] == [20] and b["stats"]["h"]["compilations"] == 1
