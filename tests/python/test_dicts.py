"""Dicts in compiled code (passes/infer_dict.c, targets/native/rt_dict.c,
jit/dict.c): {} and {k: v} displays, d[k] with CPython's KeyError(key),
stores, del, `in`, len, truth, get/pop/setdefault with defaults, clear,
copy, iteration over the dict and its keys/values/items in insertion order
(after deletes and re-inserts too), dicts returned to Python, dict
arguments (copied in, not reflected back), memory, and the errors for what
is not supported.

Every result is compared against the interpreter on generated inputs.  One
key type and one value type per dict is Ember's rule, so the inputs keep one
Python type per dict."""
import math
import os
import random

import numpy as np
import pytest

import ember

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402


def same(a, b):
    """Equal values; dicts with their items in the same order, NaN equal to NaN."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and (math.isnan(a) or math.isnan(b)):
        return math.isnan(a) and math.isnan(b)
    return a == b and type(a) is type(b)


def run(f, *args):
    try:
        return f(*args), None
    except Exception as e:  # noqa: BLE001 - an exception is a result here
        return None, e


def check(f, *args):
    """Compiled and interpreted 'f' on copies of 'args': same result or same exception (type and text)."""
    cp = lambda: [dict(a) if isinstance(a, dict) else a for a in args]   # noqa: E731
    got, gerr = run(f, *cp())
    want, werr = run(f.py_func, *cp())
    if werr is not None or gerr is not None:
        assert type(gerr) is type(werr) and str(gerr) == str(werr), \
            f"{f.__name__}{args!r}: compiled {gerr!r}, Python {werr!r}"
        return
    assert same(got, want), f"{f.__name__}{args!r}: compiled {got!r}, Python {want!r}"


# -- Counting, the Numba idiom ---------------------------------------------------

@ember.jit
def count_mod(a, m):
    d = {}
    for i in range(a.shape[0]):
        k = a[i] % m
        d[k] = d.get(k, 0) + 1
    return d


@ember.jit
def count_list(xs):
    d = {}
    for x in xs:
        d[x] = d.get(x, 0) + 1
    return d


@ember.jit
def count_summary(xs):
    d = {}
    for x in xs:
        d[x] = d.get(x, 0) + 1
    s = 0
    for v in d.values():
        s += v
    best, most = -1, -1
    for k, v in d.items():
        if v > most:
            best, most = k, v
    return len(d), s, best, most, 3 in d, 3 not in d, bool(d)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-20, 20), min_size=0, max_size=60), st.integers(1, 12))
def test_counting(xs, m):
    a = np.array(xs, dtype=np.int64)
    check(count_mod, a, m)
    if xs:
        check(count_list, xs)
        check(count_summary, xs)


def test_counting_numpy_keys_are_numpy():
    a = np.arange(50, dtype=np.int64) * 7
    got = count_mod(a, 10)
    want = count_mod.py_func(a, 10)
    assert got == want and list(got) == list(want)
    assert all(type(k) is np.int64 for k in got)


# -- Displays, lookups, KeyError ----------------------------------------------------

@ember.jit
def display_lookup(k):
    d = {1: 2.5, 3: 4.0, -1: 0.5}
    return d[k]


@ember.jit
def display_float_keys(k):
    d = {1.0: 10, 2.5: 20}
    d[3] = 30
    return d[k], k in d, len(d)


@ember.jit
def display_bool_keys(b):
    d = {True: 1, False: 2}
    return d[b]


@ember.jit
def lookup_arg(d, k):
    return d[k]


@pytest.mark.parametrize("k", [1, 3, -1, 0, 2, -2, 7])
def test_display_and_keyerror(k):
    check(display_lookup, k)


@pytest.mark.parametrize("k", [1.0, 1, 2.5, 3.0, 3, 4.0, -0.0, 0.5])
def test_float_keys_by_value(k):
    check(display_float_keys, k)


def test_bool_keys():
    check(display_bool_keys, True)
    check(display_bool_keys, False)


def test_keyerror_texts():
    for d, k in [({1: 2}, 5), ({1: 2}, -1), ({1.5: 2}, 2.5), ({1.5: 2}, -0.25), ({True: 1}, False),
                 ({2 ** 40: 1}, -2 ** 40)]:
        check(lookup_arg, d, k)


@ember.jit
def hash_collisions(n):
    d = {}
    for i in range(n):
        d[(i % 4) * (2 ** 61 - 1) - i // 4] = i   # CPython's int hash is mod 2**61 - 1: these collide
        d[-i] = -i
        d[-1 - i] = i                     # hash(-1) == -2 == hash(-2)
    s = 0
    for k in d:
        s += d[k] * (1 + (k % 7))
    return len(d), s, d


def test_hash_collisions():
    for n in [0, 1, 2, 5, 40]:
        check(hash_collisions, n)


# -- Methods and defaults -----------------------------------------------------------

@ember.jit
def methods(ks, probe):
    d = {}
    for i in range(len(ks)):
        d[ks[i]] = i * 1.5
    a = d.get(probe, -1.0)
    b = d.pop(probe, -2.0)
    c = d.setdefault(probe, 9.0)
    e = d.setdefault(probe, 11.0)
    f = d.get(probe, 0.0)
    n = len(d)
    g = d.pop(probe)
    return a, b, c, e, f, n, g, len(d), d


@ember.jit
def pop_missing(d, k):
    return d.pop(k)


@ember.jit
def clear_copy(d, k):
    c = d.copy()
    c[k] = 100
    n = len(d)
    d.clear()
    d[k] = 1
    return n, len(c), len(d), c, d


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-8, 8), min_size=0, max_size=20), st.integers(-9, 9))
def test_methods(ks, probe):
    check(methods, ks or [0], probe)


def test_pop_missing_and_clear_copy():
    check(pop_missing, {1: 2.0}, 3)
    check(pop_missing, {1: 2.0}, 1)
    check(clear_copy, {1: 2, 3: 4}, 3)
    check(clear_copy, {1: 2, 3: 4}, 5)


# -- Order after deletes and re-inserts ---------------------------------------------

@ember.jit
def program(ops, keys, vals):
    d = {0: 0}
    del d[0]
    trace = 0
    for i in range(len(ops)):
        op, k, v = ops[i], keys[i], vals[i]
        if op == 0:
            d[k] = v
        elif op == 1:
            if k in d:
                del d[k]
        elif op == 2:
            trace = trace * 3 + d.pop(k, -1)
        elif op == 3:
            trace += d.setdefault(k, v)
        elif op == 4:
            s = 0
            for kk, vv in d.items():
                s = s * 7 + kk * vv
            trace += s % 1000003
        else:
            trace += d.get(k, 5) + len(d)
        trace %= 1000000007
    ks = []
    for k in d.keys():
        ks.append(k)
    return trace, ks, d


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-6, 6), st.integers(-50, 50)), max_size=80))
def test_order_after_deletes(steps):
    ops = [s[0] for s in steps] or [5]
    keys = [s[1] for s in steps] or [0]
    vals = [s[2] for s in steps] or [0]
    check(program, ops, keys, vals)


@ember.jit
def grow_shrink(n):
    d = {}
    for i in range(n):
        d[i] = i
    for i in range(0, n, 2):
        del d[i]
    for i in range(n, 2 * n):
        d[i - n] = -i
    return d


def test_grow_shrink():
    for n in [0, 1, 3, 8, 100, 1000]:
        check(grow_shrink, n)


# -- Arguments, results, types ----------------------------------------------------

@ember.jit
def arg_changed(d):
    d[12345] = 1.0
    return len(d)


def test_arguments_are_copied_in():
    d = {1: 2.0, 3: 4.0}
    assert arg_changed(d) == 3
    assert d == {1: 2.0, 3: 4.0}


@ember.jit
def values_sum(d):
    s = 0.0
    for v in d.values():
        s += v
    return s


def test_argument_types_join():
    check(values_sum, {1: 2, 3: 4.5})
    check(values_sum, {True: 1, 2: True})
    check(values_sum, {1.5: 1, 2: 2})
    with pytest.raises(ember.TypingError, match="d"):
        values_sum({})


@ember.jit
def complex_values(z):
    d = {1: z, 2: z * 2}
    d[3] = d[1] + d[2]
    return d


def test_complex_values():
    check(complex_values, 1 + 2j)


@ember.jit
def nan_key(x):
    d = {}
    d[x] = 1
    return len(d)


def test_nan_keys_are_refused():
    assert nan_key(1.5) == 1
    with pytest.raises(TypeError, match="NaN keys"):
        nan_key(float("nan"))
    with pytest.raises(ember.TypingError):
        values_sum({float("nan"): 1.0})


@ember.jit
def float32_keys(a):
    d = {}
    for i in range(a.shape[0]):
        d[a[i]] = d.get(a[i], 0) + 1
    return d


def test_numpy_float32_keys():
    a = np.array([0.5, 1.5, 0.5, -0.0, 0.0, 3.25], dtype=np.float32)
    check(float32_keys, a)


# -- Not supported -------------------------------------------------------------------

@ember.jit
def get_no_default(d, k):
    return d.get(k)


@ember.jit
def str_keys(n):
    d = {"a": n}
    return d


@ember.jit
def float_key_in_int_dict(x):
    d = {1: 2}
    return d[x]


@ember.jit
def del_list(x):
    t = [1, 2, 3]
    del t[x]
    return len(t)


def test_unsupported_errors():
    with pytest.raises(ember.TypingError, match="default"):
        get_no_default({1: 2}, 1)
    with pytest.raises((ember.UnsupportedError, ember.TypingError)):
        str_keys(1)
    with pytest.raises(ember.TypingError, match="key"):
        float_key_in_int_dict(1.5)
    with pytest.raises(ember.UnsupportedError, match="del"):
        del_list(0)


# -- Memory ----------------------------------------------------------------------------

def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_no_leak():
    d = {i: float(i) for i in range(20)}
    a = np.arange(30, dtype=np.int64)
    for _ in range(2000):
        count_mod(a, 7)
        methods([1, 2, 3], 2)
        arg_changed(d)
    before = rss_kib()
    for _ in range(100000):
        count_mod(a, 7)
        arg_changed(d)
    grown = rss_kib() - before
    assert grown < 8 * 1024, f"resident memory grew by {grown} KiB over 100000 calls"


def test_random_programs_seeded():
    rng = random.Random(1234)
    for _ in range(40):
        n = rng.randrange(1, 60)
        ops = [rng.randrange(6) for _ in range(n)]
        keys = [rng.randrange(-10, 10) for _ in range(n)]
        vals = [rng.randrange(-99, 99) for _ in range(n)]
        check(program, ops, keys, vals)


# -- Builtins over views, update ------------------------------------------------------

@ember.jit
def view_builtins(ks, vs):
    d = {}
    for i in range(len(ks)):
        d[ks[i]] = vs[i]
    return (sum(d.values()), sum(d.keys()), min(d.values()), max(d), sorted(d.keys()), sorted(d.values()),
            list(d), list(d.values()), any(d.values()), all(d.keys()), sum(d))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-9, 9), st.integers(-50, 50)), min_size=1, max_size=30))
def test_view_builtins(kv):
    check(view_builtins, [p[0] for p in kv], [p[1] for p in kv])


@ember.jit
def update(a, b):
    a.update(b)
    a[99] = 0.5
    return a


def test_update():
    check(update, {1: 2.0, 3: 4.0}, {3: 5.0, 7: 8.0})
    check(update, {1: 2.0}, {1: 1.5, -4: -0.0})
    got = update({1: 2.0}, {1: 1})   # one value type: the int is stored as the dict's float
    assert got == {1: 1.0, 99: 0.5} and type(got[1]) is float
    with pytest.raises(ember.TypingError, match="cannot hold"):
        update({1: 2}, {1: 2})       # a[99] = 0.5 into a dict of int values from outside


# -- Comprehensions ----------------------------------------------------------------------

@ember.jit
def comprehension(n):
    d = {i % 7: i * 0.5 for i in range(n)}
    e = {k: v * 2 for k, v in d.items() if k != 3}
    return d, e, len(e)


def test_dict_comprehension():
    for n in [0, 1, 5, 20]:
        check(comprehension, n)


# -- Changing a dict while iterating -------------------------------------------------

@ember.jit
def change_while_iterating(n, when, grow):
    d = {}
    for i in range(n):
        d[i] = i
    s = 0
    for k in d:
        s += k
        if k == when:
            if grow:
                d[n + k] = 1
            else:
                del d[k]
    return s


def test_changing_size_while_iterating():
    for n in [1, 3, 6]:
        for when in [-1, 0, n // 2, n - 1]:
            for grow in [False, True]:
                check(change_while_iterating, n, when, grow)


# -- Dicts passed between ember.jit functions --------------------------------------------

def _inner(d, k):
    d[k + 100] = 7
    return d[k]


def _make(n):
    d = {}
    for i in range(n):
        d[i] = i * 2
    return d


inner_j, make_j = ember.jit(_inner), ember.jit(_make)


@ember.jit
def outer(n):
    d = {}
    for i in range(n):
        d[i] = i * 2
    x = inner_j(d, 1)   # the same dict: the callee's store is seen here, as in CPython
    e = make_j(n)
    return x, len(d), d, e


def outer_py(n):
    d = {}
    for i in range(n):
        d[i] = i * 2
    x = _inner(d, 1)
    e = _make(n)
    return x, len(d), d, e


def test_between_functions():
    for n in [2, 5]:
        assert same(outer(n), outer_py(n))
    with pytest.raises(KeyError):
        outer(1)
    assert empty_result() == {}


@ember.jit
def empty_result():
    d = {}
    return d
