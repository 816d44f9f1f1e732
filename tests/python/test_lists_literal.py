"""List displays in compiled code (issue 3): a list display whose items are
known is compiled as the tuple of its items (frontend/lists.c), so it works
where the list is only read: indexed (by a constant or a run-time int),
iterated, unpacked, passed to len/sum/min/max or to NumPy; a use that needs a
real list (append, a store, returning it, passing it to an ember.jit function,
assigning different lists in branches) makes it a real list (test_lists.py);
a list display as an index is an UnsupportedError naming the line.  Also str constants where NumPy takes them
(dtype names, sort kinds, searchsorted sides, order='C'; frontend/strargs.c).
Every result is compared against the interpreter with NumPy."""
import random

import numpy as np
import pytest

import ember
from arrhelpers import check


def _floats(rng, n):
    edge = [0.0, -0.0, 1.5, -2.25, 1e300, float("inf"), float("nan")]
    return [rng.choice(edge) if rng.random() < 0.3 else rng.uniform(-1e3, 1e3) for _ in range(n)]


def _ints(rng, n):
    return [rng.choice([0, 1, -1, 2**62, -2**62]) if rng.random() < 0.3 else rng.randint(-10**6, 10**6)
            for _ in range(n)]


# -- Reading list displays ---------------------------------------------------------

@ember.jit
def weighted(x):
    s = 0.0
    for w in [0.5, 0.25, 0.25]:
        s += w * x
    return s


@ember.jit
def loop_items(a, b, c):
    s = 0.0
    for w in [a, b, c, 2.5]:
        s = s * 0.5 + w
    return s


@ember.jit
def loop_ints(a, b):
    s = 0
    for k in [a, b, 3]:
        s = s * 3 + k
    return s


@ember.jit
def loop_tuple(a, b):
    s = 0
    for k in (a, b, 7):
        s = s * 5 - k
    return s


@ember.jit
def loop_tuple_arg(t):
    s = 0.0
    for x in t:
        s = s * 0.5 + x
    return s


@ember.jit
def index_const(a, b):
    v = [a, b, a + b]
    return v[0] * v[-1] - v[1]


@ember.jit
def index_runtime(i, a, b):
    v = [a, b, 2.5, -1.0]
    return v[i]


@ember.jit
def index_loop(n, a):
    w = [1, 2, 3]
    s = 0
    for i in range(n):
        s += w[i % 3] * a
    return s


@ember.jit
def unpack(a, b):
    x, y, z = [a, b, a * b]
    return x - y + z


@ember.jit
def builtins_of(a, b, c):
    v = [a, b, c]
    return len(v), sum(v), min(v), max(v), len([[a, b], [c, a]])


@ember.jit
def starred(a):
    return sum([*(1, 2), a]) + len((*(3, 4), a))


@ember.jit
def list_in_tuple(a, b):
    return np.array(([a, b], [b, a]))


def test_loops_over_displays():
    rng = random.Random(1)
    for x in _floats(rng, 30):
        check(weighted, x)
    fl = _floats(rng, 90)
    for k in range(0, 90, 3):
        check(loop_items, *fl[k:k + 3])
    ints = _ints(rng, 60)
    for k in range(0, 60, 2):
        check(loop_ints, *ints[k:k + 2])
        check(loop_tuple, *ints[k:k + 2])


def test_loop_over_tuple_argument():
    rng = random.Random(2)
    for n in range(0, 6):
        check(loop_tuple_arg, tuple(_floats(rng, n)))
    check(loop_tuple_arg, (1, 2.5, True))      # items join to float


def test_indexing():
    rng = random.Random(3)
    for a, b in zip(_floats(rng, 20), _floats(rng, 20)):
        check(index_const, a, b)
        for i in range(-5, 5):          # -5 and 4: IndexError, as CPython's
            check(index_runtime, i, a, b)
    for n in (0, 1, 5, 17):
        check(index_loop, n, rng.randint(-1000, 1000))


def test_unpack_and_builtins():
    rng = random.Random(4)
    for a, b, c in zip(_ints(rng, 20), _ints(rng, 20), _ints(rng, 20)):
        check(unpack, a, b)
        check(builtins_of, a, b, c)
        check(starred, a)
    for a, b, c in zip(_floats(rng, 10), _floats(rng, 10), _floats(rng, 10)):
        check(builtins_of, a, b, c)


def test_list_inside_tuple():
    rng = random.Random(5)
    for a, b in zip(_floats(rng, 10), _ints(rng, 10)):
        check(list_in_tuple, a, b)


def test_printed_ir_is_a_tuple():
    index_const(1, 2)
    ir = index_const.inspect_ir(after="frontend")
    assert "= tuple %" in ir and "list" not in ir


# -- Uses that need a real list (tests/python/test_lists.py has the rest) ------------------

@ember.jit
def appends(a):
    v = [a]
    v.append(1)
    return v[0] + len(v)


@ember.jit
def stores(a):
    v = [a, 1]
    v[0] = 2
    return v[0] + v[1]


@ember.jit
def returns(a):
    return [a, 1]


@ember.jit
def callee(t):
    return t[0]


@ember.jit
def passes_to_jit(a):
    return callee([a, 1])


@ember.jit
def fancy(a):
    return a[[0, 1]]  # NumPy's a[np.array([0, 1])]


@ember.jit
def branches(a):
    v = [a] if a else [1]
    return v[0]


def test_real_lists():
    for a in (0, 1, 5):
        check(appends, a)
        check(stores, a)
        check(passes_to_jit, a)
        check(branches, a)
        assert returns(a) == [a, 1] and type(returns(a)[0]) is int
    ir = returns.inspect_ir(after="frontend")
    assert "= lnew" in ir and "= tuple" not in ir, ir


def test_list_index():
    a = np.arange(3.0)
    assert np.array_equal(fancy(a), fancy.py_func(a))


# -- str constants where NumPy takes them -----------------------------------------------

@ember.jit
def dtype_kw(n):
    return (np.zeros(n, dtype="float32"), np.ones(n, dtype="int8"), np.zeros(n, dtype="complex128"),
            np.full(n, 3, dtype="u2"), np.zeros((n, 2), dtype="?"), np.arange(n, dtype="f8"))


@ember.jit
def dtype_pos(n):
    return np.zeros(n, "i4"), np.ones((2, n), "<f4"), np.full(n, 1.5, "float"), np.eye(n, n, 0, "int")


@ember.jit
def astypes(a):
    return a.astype("float32"), a.astype("i8"), a.astype("bool"), a.astype("c8"), a.astype("uint8")


@ember.jit
def order_c(n):
    return np.zeros((n, 2), order="C"), np.empty(n, "f8", "C").shape


@ember.jit
def sorts(a):
    return (np.sort(a, kind="stable"), np.sort(a, kind="mergesort"), np.argsort(a, kind="stable"),
            np.argsort(a, kind="mergesort"))


@ember.jit
def sort_quick(a):
    return np.sort(a, kind="quicksort"), np.sort(a, 0, "heapsort")


@ember.jit
def method_sort(a):
    a.sort(kind="stable")
    return a.argsort(kind="stable")


@ember.jit
def searches(a, v):
    return (np.searchsorted(a, v, side="left"), np.searchsorted(a, v, side="right"),
            np.searchsorted(a, v, "right"), a.searchsorted(v, side="right"), a.searchsorted(v))


@ember.jit
def bad_dtype(n):
    return np.zeros(n, dtype="float65")


@ember.jit
def bad_side(a):
    return np.searchsorted(a, 1.0, side="middle")


@ember.jit
def order_f(n):
    return np.zeros(n, order="F")


def test_dtype_strings():
    for n in (0, 1, 4):
        check(dtype_kw, n)
        check(dtype_pos, n)
        check(order_c, n)
    rng = np.random.default_rng(6)
    for a in (rng.standard_normal(7) * 100, rng.integers(-300, 300, 9), np.array([True, False])):
        check(astypes, a)


def test_sort_kinds_and_sides():
    rng = np.random.default_rng(7)
    for n in (0, 1, 5, 40):
        a = np.round(rng.standard_normal(n) * 3)     # repeated values: the stable order shows
        check(sorts, a)
        check(method_sort, a)
        got = sort_quick(a)     # the same values (-0.0 and 0.0 may change places: not stable)
        assert np.array_equal(got[0], np.sort(a, kind="quicksort")) and got[0].dtype == a.dtype
        assert np.array_equal(got[1], np.sort(a, kind="heapsort"))
        s = np.sort(a)
        for v in (-1.0, 0.0, 1.0, float("nan"), rng.standard_normal(3).round()):
            check(searches, s, v)


def test_bad_strings():
    with pytest.raises(ember.TypingError, match="data type 'float65' not understood"):
        bad_dtype(3)
    with pytest.raises(ember.TypingError, match="search side must be 'left' or 'right'"):
        bad_side(np.arange(3.0))
    with pytest.raises(ember.UnsupportedError, match="order='F'"):
        order_f(3)


# -- `in` on displays ---------------------------------------------------------------------

@ember.jit
def contains(x, a, b):
    return (x in [1, 2, 3], x not in (a, b), x in (), x not in [a], x in [a, 2.5, b])


@ember.jit
def contains_branch(x):
    if x in (0, 5, 7):
        return 1
    return 2


@ember.jit
def contains_array(x, a):
    return x in a  # refused: in


def test_contains():
    rng = random.Random(8)
    vals = [0, 1, 2, 3, 5, 7, -1, 2.5, 3.0, float("nan"), True, False]
    # each argument its own object: CPython's `in` tests identity first, so one NaN
    # object passed twice is found, which unboxed compiled values cannot tell
    fresh = [(lambda v: v * 1.0 if isinstance(v, float) else v)] * 3
    for _ in range(60):
        check(contains, *[f(rng.choice(vals)) for f in fresh])
    for x in vals:
        check(contains_branch, x)
    with pytest.raises(ember.UnsupportedError, match="`in` operators"):
        contains_array(1.0, np.arange(3.0))
