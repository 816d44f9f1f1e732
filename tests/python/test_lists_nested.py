"""Lists of tuples, of NumPy arrays and of lists (passes/infer_list.c,
targets/llvm/list.c: such an item is its 64-bit slots; jit/list.c boxes and
copies them): building, the methods, indexing with CPython's IndexError
texts, slices, iteration and unpacking, comprehensions, `+`, `in`, sort and
sorted of tuples (lexicographic, stable), results returned as Python lists
(arrays owning their memory or viewing the arguments), list arguments
(typed by their first item; ragged or mixed items are a TypingError naming
the argument), and memory over many calls.

Every result is compared against the interpreter on generated inputs."""
import os
import random

import numpy as np
import pytest

import ember
from helpers import _run

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402


def same(a, b):
    """Equal values of equal types; lists and tuples itemwise, arrays by dtype, shape and items.
    An np.float64 is a Python float in Ember's lists and results (README)."""
    a, b = (float(x) if type(x) is np.float64 else x for x in (a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    return a == b


def fresh(x):
    """A deep copy of an argument (lists, tuples and arrays), so both runs see the same input."""
    if isinstance(x, list):
        return [fresh(y) for y in x]
    if isinstance(x, np.ndarray):
        return x.copy()
    return x


def outcome(f, args):
    """('returns', value) or ('raises', class, text) of 'f' on fresh copies of 'args'."""
    got, err = _run(f, fresh(list(args)), {})
    return ("returns", got) if err is None else ("raises", type(err), str(err))


def check(f, *args):
    """Compiled and interpreted 'f': the same result, or the same exception (class and text); the result."""
    got, want = outcome(f, args), outcome(f.py_func, args)
    assert got[0] == want[0] and (same(got[1], want[1]) if got[0] == "returns" else got == want), \
        f"{f.__name__}{args!r}: compiled {got!r}, Python {want!r}"
    return got[1] if got[0] == "returns" else None


# -- Lists of tuples -------------------------------------------------------------

@ember.jit
def close_pairs(d, r):
    pairs = []
    n = d.shape[0]
    for i in range(n):
        for j in range(i):
            if d[i, j] < r:
                pairs.append((i, j, d[i, j]))
    s = 0.0
    for i, j, w in pairs:
        s += w * i - j
    pairs.sort()
    return pairs, s


@ember.jit
def tuple_ops(n, k):
    l = [(i % 3, -i) for i in range(n)]
    m = sorted(l)
    l.insert(k, (7, 7))
    q = l[1:4] + m[::-1]
    p = l.pop(k)
    return m, p, l, q, (1, -1) in l, (9, 9) not in l, len(q), l[-1]


@ember.jit
def tuple_index(l, i):
    return l[i]


@ember.jit
def tuple_store(l, i, a, b):
    l[i] = (a, b)
    return l


@ember.jit
def tuple_sort(keys, vals):
    l = []
    for i in range(len(keys)):
        l.append((keys[i], vals[i], i))
    l.sort()
    return l, sorted(l[::2]), min(l), max(l)


@ember.jit
def tuple_arg(l):
    s = 0.0
    for a, b in l:
        s += a * b
    l.append((0, 0.5))
    return s, l, l[-2], len(l)


@ember.jit
def zip_sort(a, b):
    l = [(x, y) for x, y in zip(a, b)]
    l.sort()
    return l


@pytest.mark.parametrize("dt", [np.int64, np.uint8, np.int32])
def test_sort_tuples_of_array_items(dt):
    rng = np.random.default_rng(7)
    a, b = rng.integers(0, 4, size=30).astype(dt), rng.random(30).astype(np.float32)
    got, want = zip_sort(a, b), zip_sort.py_func(a, b)   # NumPy scalars compared as NumPy compares them
    assert [(type(x), type(y)) for x, y in got] == [(type(x), type(y)) for x, y in want] and got == want


@given(st.integers(2, 12), st.floats(0.0, 1.0), st.integers(0, 2**31))
@settings(max_examples=25, deadline=None)
def test_tuples_against_python(n, r, seed):
    d = np.random.default_rng(seed).random((n, n))
    check(close_pairs, d, r)
    for k in (-20, -1, 0, 1, n, 20):
        check(tuple_ops, n, k)


@given(st.lists(st.integers(-3, 3), min_size=1, max_size=20), st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_tuple_sort_is_lexicographic_and_stable(keys, seed):
    rng = random.Random(seed)
    vals = [rng.choice([0.5, -1.0, 2.0]) for _ in keys]
    check(tuple_sort, keys, vals)


def test_tuple_indexing_and_arguments():
    l = [(1, 2.5), (3, 4.0), (-1, 0.25)]
    for i in range(-5, 5):
        check(tuple_index, l, i)
        check(tuple_store, l, i, 9, -0.5)
    check(tuple_arg, l)
    check(tuple_arg, [(2, 1.5)])
    got = tuple_arg([(2.0, 1.5)])   # one item type: the appended (0, 0.5) is (0.0, 0.5), as a list of float's 0 is 0.0
    assert same(got[1], [(2.0, 1.5), (0.0, 0.5)])


# -- Lists of arrays ---------------------------------------------------------------

@ember.jit
def count_blocks(idx, m, k):
    blocks = [np.zeros(k) for _ in range(m)]
    for t in range(idx.shape[0]):
        blocks[idx[t] % m][t % k] += 1.0
    total = sum(b.sum() for b in blocks)
    return blocks, total


@ember.jit
def array_ops(m, i):
    l = [np.arange(j + 1) * 2 for j in range(m)]
    last = l.pop()
    l.insert(i, np.full(3, -1))
    l[i] = l[i] + 1
    both = l + [last]
    return l, both[1:], len(both), last


@ember.jit
def rows_of(a):
    return [a[i] for i in range(a.shape[0])]


@ember.jit
def arrays_arg(l, x):
    out = []
    for a in l:
        a[0] = x
        out.append(a[1:] * 2)
    return out, l[-1], sum(a.sum() for a in l)


@ember.jit
def same_array_twice(n):
    a = np.ones(n)
    l = [a, a]
    l[0][0] = 5.0
    return l


@given(st.integers(1, 6), st.integers(1, 5), st.integers(0, 2**31))
@settings(max_examples=25, deadline=None)
def test_arrays_against_numpy(m, k, seed):
    idx = np.random.default_rng(seed).integers(0, 100, size=3 * m * k)
    check(count_blocks, idx, m, k)
    for i in range(-m - 1, m + 1):
        check(array_ops, m, i)


def test_array_items_share_and_own_memory():
    a = np.arange(12.0).reshape(4, 3)
    check(rows_of, a)
    got = rows_of(a)
    assert all(np.shares_memory(r, a) for r in got)   # views of the argument, as NumPy's a[i]
    l = [np.arange(4.0), np.arange(3.0)]
    got, want = arrays_arg(fresh(l), 7.0), arrays_arg.py_func(fresh(l), 7.0)
    assert same(got, want)
    got = check(same_array_twice, 3)
    assert np.shares_memory(got[0], got[1])   # one array twice, as CPython's list holds it twice
    many = check(count_blocks, np.arange(200), 40, 3)   # more arrays than jit/array.c's first table holds
    assert len(many[0]) == 40 and not any(np.shares_memory(x, y) for x, y in zip(many[0], many[0][1:]))


# -- Lists of lists --------------------------------------------------------------

@ember.jit
def grid_of(n, v):
    grid = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            grid[i][j] = v * (i + 1) - j
    return grid


@ember.jit
def ragged(n):
    g = []
    for i in range(n):
        row = []
        for j in range(i + 1):
            row.append(i * 0.5 + j)
        g.append(row)
    for row in g:
        row.append(-1.0)
    s = 0.0
    for row in g:
        for x in row:
            s += x
    return g, s, g[-1][-1], g[1:], len(g)


@ember.jit
def displays(x):
    g = [[1, 2], [3, 4]]
    g.append([x, x])
    g[0].append(9)
    g.insert(0, [x])
    return g, g[1][2], g.pop()


@ember.jit
def deep(n):
    g = [[[i, j] for j in range(2)] for i in range(n)]
    g[0][1][0] = 99
    return g


@ember.jit
def nested_displays(a):
    xs = [[a], [a, 2]]
    s = 0
    for x in xs:
        s += len(x)
    for y in [[1.5, 2.5], [a * 1.0]]:
        s += y[-1]
    return xs[0][0] + xs[1][-1], s, xs[1], np.array([[1, 2], [a, 4]]).sum(), len([[1], [2]])


@ember.jit
def lists_arg(l, i, j):
    l[i].append(j)
    return l, l[i][j]


@ember.jit
def bfs(adj, start):
    """Distances from 'start' in a graph given as adjacency lists (some empty)."""
    dist = [-1] * len(adj)
    dist[start] = 0
    queue = [start]
    for u in queue:
        for v in adj[u]:
            if dist[v] < 0:
                dist[v] = dist[u] + 1
                queue.append(v)
    adj[start].append(start)
    return dist, adj


@given(st.lists(st.lists(st.integers(0, 7), max_size=4), min_size=8, max_size=8), st.integers(0, 7))
@settings(max_examples=40, deadline=None)
def test_adjacency_lists(adj, start):
    if all(not row for row in adj):
        adj[0].append(1)   # a list of only empty lists has no item type
    check(bfs, adj, start)


@ember.jit
def aliased(n):
    row = [0] * n
    g = [row] * 3
    g[0][0] = 5
    return g, row


def test_a_list_held_twice_is_one_list():
    got = check(aliased, 2)
    g, row = got
    assert g[0] is g[1] is g[2] is row   # as CPython's: one list, held four times


@given(st.integers(0, 7), st.integers(-5, 5))
@settings(max_examples=25, deadline=None)
def test_lists_of_lists_against_python(n, v):
    check(grid_of, n, v)
    check(ragged, n)
    check(displays, v)
    check(deep, n + 1)
    check(nested_displays, v)
    l = [[1, 2, 3], [4], [5, 6]]
    for i in range(-4, 4):
        check(lists_arg, l, i, v)


# -- Comparisons of lists ----------------------------------------------------------------

@ember.jit
def compare_lists(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b


@ember.jit
def find_rows(x):
    g = [[1, 2], [x], [x, 1]]
    g.sort()
    return g, [1, 2] in g, [x] not in g, g.index([x]), g.count([x, 1]), [x] == [x], [1] == 1, [x, 1] < [x, 2]


@given(st.lists(st.integers(-2, 2), max_size=4), st.lists(st.integers(-2, 2), max_size=4), st.integers(-3, 3))
@settings(max_examples=60, deadline=None)
def test_list_comparisons(a, b, x):
    if a and b:
        check(compare_lists, a, b)
        check(compare_lists, [[v] * 2 for v in a], [[v] * 2 for v in b])
        check(compare_lists, [(v, 0.5) for v in a], [(v, 0.5) for v in b])
    check(find_rows, x)


# -- np.array of a list of lists, tuples or arrays -----------------------------------

@ember.jit
def as_array(l):
    return np.array(l)


@ember.jit
def grid_array(n, m):
    g = [[i * m + j for j in range(m)] for i in range(n)]
    return np.asarray(g), np.array([np.arange(m) * i for i in range(n)]), np.array([(i, 0.5) for i in range(n)])


@given(st.integers(1, 5), st.integers(1, 4))
@settings(max_examples=20, deadline=None)
def test_np_array_of_rows(n, m):
    check(grid_array, n, m)
    check(as_array, [[i * m + j for j in range(m)] for i in range(n)])
    check(as_array, [[[i, j] for j in range(m)] for i in range(n)])
    check(as_array, [np.full((m, 2), i, dtype=np.int16) for i in range(n)])
    check(as_array, [[1.5] * m] * n + [[2.5] * (m + 1)])   # ragged rows: NumPy's ValueError
    check(as_array, [np.zeros((2, m)), np.zeros((2, m + 1))])


# -- Refusals and errors ------------------------------------------------------------

@pytest.mark.parametrize("arg", [
    [(1, 2), (1, 2, 3)],                 # ragged tuples
    [(1, 2), (1.5, 2)],                  # tuples of other item types
    [np.zeros(2), np.zeros((2, 2))],     # arrays of other dimensions
    [[1], [2.5]],                        # lists of other item types
    [(1, 2), 3],                         # mixed items
    [np.float32(1), np.float32(2)],      # NumPy scalars (not lists of numbers either)
    [(), ()],                            # empty tuples
    [[], []],                            # only empty lists: no item type
])
def test_ragged_or_mixed_arguments_are_refused(arg):
    with pytest.raises(ember.TypingError, match="argument 'l'"):
        tuple_index(arg, 0)


def test_items_of_other_kinds_are_refused():
    @ember.jit
    def mixed(n):
        l = [(1, 2)]
        l.append(n)
        return l

    with pytest.raises(ember.TypingError):
        mixed(3)

    @ember.jit
    def two_list_types(a):
        s = 0.0
        for y in [[1.5, 2.5], [a]]:   # one is a list of float, the other of int: one list type per value
            s += y[-1]
        return s

    with pytest.raises(ember.TypingError, match="a list of int where a list of float is needed"):
        two_list_types(1)


# -- Memory ----------------------------------------------------------------------------

def _rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_calls_keep_memory_flat():
    d = np.random.default_rng(1).random((6, 6))
    a = np.arange(6.0).reshape(3, 2)
    cases = ((close_pairs, (d, 0.5)), (count_blocks, (np.arange(30), 4, 3)), (rows_of, (a,)),
             (arrays_arg, ([np.arange(3.0), np.arange(2.0)], 1.0)), (ragged, (5,)),
             (lists_arg, ([[1, 2], [3]], 0, 1)), (tuple_arg, ([(1, 2.0), (3, 4.0)],)),
             (bfs, ([[1, 2], [], [0, 1]], 0)))
    for f, args in cases:
        for _ in range(2000):
            f(*args)
        r0 = _rss_mib()
        for _ in range(100000):
            f(*args)
        grew = _rss_mib() - r0
        assert grew < 10, f"{f.__name__}: resident memory grew {grew:.1f} MiB over 100000 calls"
