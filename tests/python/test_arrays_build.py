"""NumPy functions that build arrays from others (jit/ember/_lib_shape.py):
concatenate, stack, vstack, hstack, column_stack, outer, diff, cumprod,
trace, diag, diagonal, bincount, searchsorted, interp, each compiled and
compared with NumPy itself (values, dtypes with NumPy's promotion, shapes,
the exception type) on generated inputs of several dtypes and layouts."""
import itertools

import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, check, layouts, sample

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")   # NumPy warns of overflow and NaN
RNG = np.random.default_rng(12)
REAL = [d for d in DTYPES if np.dtype(d).kind != "c"]


def jit(src, args="a, b"):
    ns = {"np": np}
    exec(f"def f({args}):\n    return {src}\n", ns)
    return ember.jit(ns["f"])


CAT = jit("np.concatenate((a, b))")
CAT1 = jit("np.concatenate((a, b, a), axis=1)")
CATN = jit("np.concatenate((a, b), axis=None)")
STACK = jit("np.stack((a, b))")
STACK_LAST = jit("np.stack((a, b, a), axis=-1)")


def test_concatenate_promotes():
    pairs = list(itertools.product(DTYPES + [np.float16], [np.bool_, np.uint8, np.float16, np.float32]))
    pairs += [(np.int64, np.uint64), (np.int8, np.uint8), (np.int32, np.float32), (np.complex64, np.float64),
              (np.int16, np.float16), (np.uint16, np.int32)]
    for x, y in pairs:
        check(CAT, sample(x, (3,), seed=1), sample(y, (2,), seed=2))


def test_concatenate_layouts():
    a = sample(np.float64, (2, 3), seed=3)
    b = sample(np.int32, (4, 3), seed=4)
    for p, q in itertools.product(layouts(a), layouts(b)):
        check(CAT, p, q)
        check(CATN, p, q)
    c = sample(np.float32, (2, 5), seed=5)
    for p, q in itertools.product(layouts(a), layouts(c)):
        check(CAT1, p, q)
    check(CAT, np.zeros((0, 3)), a)
    check(CAT, np.zeros(0, np.int8), np.zeros(0, np.uint8))
    check(jit("np.concatenate((a, b), axis=2)"), np.ones((2, 2, 2)), np.ones((2, 2, 3), np.int16))
    check(jit("np.concatenate((a, b, a, b, a, b, a), 0)"), np.arange(2), np.arange(3.))


def test_concatenate_errors():
    check(CAT, np.ones((2, 3)), np.ones((2, 4)))          # ValueError: the other axis differs
    check(CAT, np.ones((2, 3)), np.ones(3))               # ValueError: ndim
    check(CAT, np.ones(()), np.ones(()))                 # ValueError: 0-d
    with pytest.raises(IndexError):                      # NumPy's AxisError is an IndexError
        jit("np.concatenate((a, b), axis=2)")(np.ones((2, 3)), np.ones((2, 3)))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint64, np.float32, np.complex128])
def test_stack_family(dtype):
    a = sample(dtype, (2, 3), seed=6)
    b = sample(np.int16, (2, 3), seed=7)
    for p in layouts(a):
        check(STACK, p, b)
        check(STACK_LAST, p, b)
        check(jit("np.vstack((a, b))"), p, b)
        check(jit("np.hstack((a, b))"), p, b)
        check(jit("np.column_stack((a, b))"), p, b)
    v, w = sample(dtype, (3,), seed=8), sample(np.float64, (3,), seed=9)
    check(STACK, v, w)
    check(jit("np.stack((a, b), axis=1)"), v, w)
    check(jit("np.vstack((a, b))"), v, w)
    check(jit("np.vstack((a, b))"), v, a[:, :3] if a.shape[1] >= 3 else a)
    check(jit("np.hstack((a, b))"), v, w[:2])
    check(jit("np.column_stack((a, b))"), v, w)
    check(jit("np.column_stack((a, b))"), v[:2], a)
    check(STACK, np.full((), 1.5, np.float32), np.ones((), np.int8))   # 0-d arrays


def test_stack_errors():
    check(STACK, np.ones((2, 3)), np.ones((3, 2)))
    check(STACK, np.ones(3), np.ones(4))
    with pytest.raises(IndexError):
        jit("np.stack((a, b), axis=3)")(np.ones((2, 3)), np.ones((2, 3)))
    check(jit("np.vstack((a, b))"), np.ones(3), np.ones(4))


def test_outer():
    f = jit("np.outer(a, b)")
    for x, y in [(np.float64, np.int32), (np.bool_, np.bool_), (np.int8, np.int8), (np.complex64, np.float32)]:
        for p in layouts(sample(x, (2, 3), seed=10)):
            check(f, p, sample(y, (4,), seed=11))
    check(f, np.zeros(0), np.arange(3))


@pytest.mark.parametrize("dtype", REAL + [np.complex128])
def test_diff(dtype):
    f, f2, f0 = jit("np.diff(a)", "a"), jit("np.diff(a, n=2, axis=0)", "a"), jit("np.diff(a, axis=0)", "a")
    x = sample(dtype, (4, 5), seed=12)
    for p in layouts(x):
        check(f, p)
        check(f2, p)
        check(f0, p)
    check(f, x[0])
    check(f, x[0, :1])
    check(f, x[0, :0])
    check(jit("np.diff(a, n=0)", "a"), x)
    check(jit("np.diff(a, n=-1)", "a"), x)       # ValueError


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex64])
def test_cumprod(dtype):
    x = sample(dtype, (3, 4), seed=13)
    if np.dtype(dtype).kind in "fc":
        x = (x / 100 + 1).astype(dtype)
    f, fa, fm = jit("np.cumprod(a)", "a"), jit("np.cumprod(a, axis=b)"), jit("a.cumprod()", "a")
    for p in layouts(x):
        check(f, p)
        check(fm, p)
        for k in (0, 1, -1):
            check(fa, p, k)
        with pytest.raises(IndexError):
            fa(p, 2)
    check(f, x[:0])


def test_trace_diag():
    tr, dg, dgk = jit("np.trace(a)", "a"), jit("np.diag(a)", "a"), jit("np.diag(a, k=b)")
    trk = jit("np.trace(a, offset=b)")
    for dtype in (np.bool_, np.int8, np.uint32, np.float32, np.float64, np.complex128):
        for shape in ((4, 4), (3, 5), (5, 2), (0, 3)):
            x = sample(dtype, shape, seed=14)
            for p in layouts(x):
                check(dg, p)
                for k in (-6, -2, -1, 1, 3):
                    check(dgk, p, k)
                if np.dtype(dtype).kind == "c":
                    continue     # ember._lib's complex sum of 4 or more items is not NumPy's pairwise one yet
                check(tr, p)
                for k in (-6, -2, -1, 1, 3):
                    check(trk, p, k)
        v = sample(dtype, (3,), seed=15)
        for p in layouts(v):
            check(dg, p)
            check(dgk, p, -2)
            check(dgk, p, 1)
    x = sample(np.float64, (40, 40), seed=16)
    check(tr, x)                            # pairwise, as NumPy's sum of the diagonal
    check(jit("a.diagonal(b)"), x, 3)


def test_bincount():
    f, fm, fw = jit("np.bincount(a)", "a"), jit("np.bincount(a, minlength=b)"), jit("np.bincount(a, b)")
    for dtype in (np.int8, np.uint8, np.int32, np.int64, np.uint64):
        x = RNG.integers(0, 20, 50).astype(dtype)
        for p in layouts(x):
            check(f, p)
            check(fm, p, 30)
            check(fm, p, 3)
            check(fw, p, RNG.standard_normal(50))
            check(fw, p, RNG.integers(0, 5, 50).astype(np.float32))
    check(f, np.zeros(0, np.int64))
    check(fm, np.zeros(0, np.int64), 4)
    check(f, np.array([3, -1, 2]))                   # ValueError
    check(fm, np.array([3, 1]), -1)                  # ValueError
    check(fw, np.array([3, 1]), np.ones(3))          # ValueError


def test_searchsorted():
    f, fm = jit("np.searchsorted(a, b)"), jit("a.searchsorted(b)")
    for dtype in (np.int8, np.int64, np.uint32, np.float32, np.float64):
        a = np.sort(sample(dtype, (20,), seed=17))
        v = sample(dtype, (7, 3), seed=18)
        for p in layouts(v):
            check(f, a, p)
            check(fm, a, p)
        for x in a[:5]:
            check(f, a, x)
    a = np.array([1.0, 2.0, 2.0, 2.0, 5.0, np.nan, np.nan])
    check(f, a, np.array([-np.inf, 2.0, 3.0, np.inf, np.nan]))
    check(f, a[:0], np.arange(3.))
    check(f, a[::-2][::-1], np.arange(6.))          # a strided view


def test_interp():
    f = jit("np.interp(a, b, c)", "a, b, c")
    flr = jit("np.interp(a, b, c, left=-1.0, right=7)", "a, b, c")
    xp = np.sort(RNG.standard_normal(12))
    fp = RNG.standard_normal(12)
    xs = np.concatenate([RNG.standard_normal(30) * 2, xp, [np.nan, np.inf, -np.inf, xp[0], xp[-1]]])
    for p in layouts(xs):
        check(f, p, xp, fp)
        check(flr, p, xp, fp)
    for x in xs[:6]:
        check(f, float(x), xp, fp)
    check(f, xs, np.array([0.0, 1.0, 1.0, 2.0]), np.array([0.0, 1.0, 3.0, np.inf]))   # repeated xp, inf in fp
    check(f, xs, np.array([0.5]), np.array([4.0]))
    check(f, xs.astype(np.float32), xp.astype(np.int64), fp.astype(np.float32))
    check(f, xs, xp, fp + 1j * fp[::-1])           # complex fp
    check(f, RNG.integers(-3, 3, 9), xp, fp)
    check(f, xs, xp[:0], fp[:0])                   # ValueError: no sample points
    check(f, xs, xp, fp[:5])                       # ValueError: lengths differ


# -- Sorting: NumPy's own sorts (jit/array.c), so every kind's order of ties is NumPy's --

SORT, SORT0, SORTN = jit("np.sort(a)", "a"), jit("np.sort(a, axis=0)", "a"), jit("np.sort(a, axis=None)", "a")
ARGSORT, ARGSORT0 = jit("np.argsort(a)", "a"), jit("np.argsort(a, axis=0)", "a")


@ember.jit
def sort_method(a):
    a.sort()
    return a


def check_argsort(f, a, axis):
    got = f(a)
    assert got.dtype == np.intp and got.shape == a.shape
    assert np.array_equal(got, np.argsort(a, axis=axis))
    assert check(SORT0 if axis == 0 else SORT, a) is not None or a.size == 0


@pytest.mark.parametrize("dtype", REAL + [np.float16])
def test_sort(dtype):
    x = sample(dtype, (6, 37), seed=19)
    x[1] = x[0][::-1]                                    # repeated values
    for p in layouts(x):
        check(SORT, p)
        check(SORT0, p)
        check(SORTN, p)
        check(jit("np.unique(a)", "a"), p)
        check_argsort(ARGSORT, p, -1)
        check_argsort(ARGSORT0, p, 0)
        if p.flags.writeable:
            check(sort_method, p)
    for n in (0, 1, 2, 17, 300):
        v = sample(dtype, (n,), seed=n)
        check(SORT, v)
        check(jit("np.unique(a)", "a"), v)
        check_argsort(ARGSORT, v, -1)


def test_sort_nan_and_ties():
    x = np.array([3.0, np.nan, 1.0, np.inf, 2.0, 1.0, np.nan, -np.inf, 0.5] * 7)
    check(SORT, x)
    check(jit("np.unique(a)", "a"), x)
    check_argsort(ARGSORT, x, -1)
    got = jit("np.argsort(a, axis=None)", "a")(x.reshape(7, 9))
    assert np.array_equal(got, np.argsort(x.reshape(7, 9), axis=None))
    check(jit("np.sort(a, axis=1)", "a"), x.reshape(3, 3, 7))
    check(jit("np.sort(a, 1)", "a"), RNG.integers(0, 3, (4, 50, 3)).astype(np.int16))
    with pytest.raises(IndexError):
        jit("np.sort(a, axis=2)", "a")(x.reshape(7, 9))


@pytest.mark.parametrize("kind", ["quicksort", "heapsort", "stable", "mergesort"])
def test_sort_kinds_are_numpys(kind):
    """Each kind reaches NumPy: argsort's order of ties is that kind's, also along
    axis 0 and of views; sorting in place sorts the caller's array."""
    x = RNG.integers(0, 4, (40, 33)).astype(np.float64)
    x[3, ::5] = np.nan
    x[5, ::3] = -0.0
    f = ember.jit(eval(f"lambda a: (np.argsort(a, kind={kind!r}), np.argsort(a, axis=0, kind={kind!r}),"
                       f" np.sort(a, kind={kind!r}), np.argsort(a, axis=None, kind={kind!r}))", {"np": np}))
    for a in (x, x[::-2, 1::3], np.asfortranarray(x)):
        want = (np.argsort(a, kind=kind), np.argsort(a, axis=0, kind=kind), np.sort(a, kind=kind),
                np.argsort(a, axis=None, kind=kind))
        for g, w in zip(f(a), want):
            assert g.dtype == w.dtype and np.array_equal(g, w, equal_nan=True)
            if g.dtype.kind == "f":
                assert np.array_equal(np.signbit(g), np.signbit(w))


def test_sort_complex_and_large():
    """Complex arrays sort as NumPy's (lexicographic, NaNs last); a million items
    with NumPy's result (its SIMD sort)."""
    z = RNG.integers(0, 3, 200) + 1j * RNG.integers(0, 3, 200)
    z[7] = complex(np.nan, 1)
    for f in (SORT, ARGSORT, sort_method):
        got, want = f(z.copy()), (np.sort(z) if f is not ARGSORT else np.argsort(z))
        assert np.array_equal(got, want, equal_nan=True)
    big = RNG.standard_normal(10**6)
    assert np.array_equal(SORT(big), np.sort(big))
    assert np.array_equal(ARGSORT(big), np.argsort(big))


PARTITIONS = ["np.partition(a, 5)", "np.partition(a, (2, 7, -1))", "np.partition(a, 3, axis=0)",
              "np.partition(a, 17, axis=None)", "np.argpartition(a, 4)", "np.argpartition(a, (1, 2), axis=0)",
              "a.argpartition(-3)", "np.argpartition(a, 0, axis=None)"]


@pytest.mark.parametrize("src", PARTITIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8, np.int16])
def test_partition_is_numpys(src, dtype):
    """np.partition and np.argpartition are NumPy's introselect itself: the same arrays,
    ties, NaNs and layouts included; a.partition sorts in place; kth out of range is
    NumPy's ValueError."""
    x = RNG.integers(0, 20, (6, 30)).astype(dtype)
    if x.dtype.kind == "f":
        x[2, 3] = np.nan
    f = jit(src, "a")
    for a in (x, x[::-1, ::2], np.asfortranarray(x)):
        got, want = f(a), eval(src, {"np": np, "a": a})
        assert got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True)


def test_partition_in_place_and_errors():
    @ember.jit
    def part(a, k):
        a.partition(k)
        return a
    x = RNG.standard_normal((5, 40))
    for k in (0, 7, -1):
        assert np.array_equal(part(x.copy(), k), np.partition(x, k))
    with pytest.raises(ValueError, match=r"kth\(=40\) out of bounds \(40\)"):
        part(x.copy(), 40)
    with pytest.raises(ValueError):
        jit("np.partition(a, -41)", "a")(x)
