"""Typing breadth: small forms Numba users write, each compiled against the plain
Python function on generated inputs.

str arguments and constants are compile-time literals (frontend/strlit.c): the
text is part of the signature (one compile per distinct str), and ==, !=, in,
len, int, float and truth tests of them fold at compile time; any other use of a
str is an UnsupportedError naming the construct."""
import sys
import warnings

import numpy as np
import pytest

import ember
from helpers import check, same

RNG = np.random.default_rng(20261127)


def arrays():
    """Generated float arrays: one item, random of a few sizes, with repeats."""
    out = [np.array([1.5]), np.array([0.0, -0.0, 2.0, 2.0, -1.0])]
    for k in range(4):
        out.append(np.round(RNG.uniform(-3.0, 3.0, size=1 + k * 5), 2))
    return out


MODES = ["sum", "max", "min", "mean", "", "héllo", "x y'z\\"]

# -- str arguments and constants as literals -------------------------------------


@ember.jit
def reduce_mode(x, mode):
    s = 0.0
    if mode == "sum":
        for i in range(x.shape[0]):
            s += x[i]
    elif mode in ("max", "min"):
        s = x[0]
        for i in range(x.shape[0]):
            s = max(s, x[i]) if mode == "max" else min(s, x[i])
    elif mode != "mean" and mode:
        s = -1.0
    elif not mode:
        s = -2.0
    else:
        s = x.mean()
    return float(s)


def test_str_flag_dispatch():
    for a in arrays():
        for m in MODES:
            check(reduce_mode, a, m)


@ember.jit
def str_facts(mode, k):
    n = len(mode)
    inside = mode not in ("a", "bb", "ccc")
    label = "pos"
    same_label = label == mode
    return n + k, inside, same_label, bool(mode), mode == 1, mode != None  # noqa: E711


def test_str_len_in_truth():
    for m in MODES + ["a", "bb", "pos", "ccc"]:
        for k in (0, 3, -7):
            check(str_facts, m, k)


def test_str_signature_per_value():
    @ember.jit
    def pick(x, how):
        return x * 2 if how == "double" else x

    for v in (1, 2.5):
        for how in ("double", "same", "double"):
            check(pick, v, how)
    sigs = pick.signatures
    assert len(sigs) == 4, sigs
    assert "int64(int64, Literal['double'])" in sigs, sigs
    assert any("Literal['same']" in s for s in sigs), sigs


@ember.jit
def mode_in_loop(x, mode):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        if mode == "abs":
            out[i] = abs(x[i])
        elif mode == "neg":
            out[i] = -x[i]
        else:
            out[i] = x[i]
    return out


def test_str_flag_in_loop():
    for a in arrays():
        for m in ("abs", "neg", "id"):
            got, want = mode_in_loop(a, m), mode_in_loop.py_func(a, m)
            assert got.dtype == want.dtype and np.array_equal(got, want)


def test_str_other_uses_refused():
    def index(s):
        return s[0]

    def method(s):
        return s.upper() == "A"

    def concat(s):
        return len(s + "x")

    for f, what in ((index, "getitem"), (method, "attr upper"), (concat, "add")):
        with pytest.raises(ember.UnsupportedError, match=what):
            ember.jit(f)("abc")


def test_str_long_or_nested_refused():
    f = ember.jit(lambda s: len(s))
    with pytest.raises(ember.TypingError, match="at most 40 bytes"):
        f("x" * 100)
    g = ember.jit(lambda t: t[0])
    with pytest.raises(ember.TypingError):
        g(("a", 1))


# -- prange: a serial range ----------------------------------------------------

from ember import prange  # noqa: E402


@ember.jit(parallel=True)
def prange_sum(x, step):
    s = 0.0
    for i in prange(x.shape[0]):
        s += x[i] * i
    for i in ember.prange(1, x.shape[0], step):
        s -= x[i]
    return float(s)


def test_prange():
    assert ember.prange is range
    for a in arrays():
        for step in (1, 2, 3):
            check(prange_sum, a, step)


# -- np.where(cond) of one argument: np.nonzero -----------------------------------


def same_arrays(got, want):
    assert type(got) is type(want) and len(got) == len(want), (got, want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape and np.array_equal(g, w), (g, w)


def test_where_one_argument():
    @ember.jit
    def idx(a):
        return np.where(a > 0.5)

    @ember.jit
    def idx_of(c):
        return np.where(c)

    for shape in ((0,), (7,), (3, 4), (2, 3, 2)):
        a = RNG.uniform(-1.0, 2.0, size=shape)
        same_arrays(idx(a), idx.py_func(a))
        same_arrays(idx_of(a > 0), idx_of.py_func(a > 0))
        k = RNG.integers(-2, 3, size=shape)
        same_arrays(idx_of(k), idx_of.py_func(k))


# -- float.is_integer; int() and float() of str literals -------------------------

FLOATS = [0.0, -0.0, 1.0, -3.0, 0.5, 2.5, 1e300, -1e-300, 2.0**53, 2.0**53 + 2, float("inf"), float("-inf"),
          float("nan")]


@ember.jit
def count_integers(x, y):
    return x.is_integer(), (x * y).is_integer(), (x + 0.5).is_integer()


def test_is_integer():
    for x in FLOATS:
        for y in (1.0, 0.5, 3.0):
            check(count_integers, x, y)
    for dt in (np.float32, np.float64, np.int32):
        a = (RNG.integers(-4, 5, size=12) / 2).astype(dt)
        check(lambda v: v.is_integer(), a[3])
        for v in a:
            check(count_integers, v, dt(1))


@ember.jit
def parse_literals(x, text):
    return x + int("12") + int(" -3_0 ") + float("1.5") + float("-1_0.25e1") + float("-inf") * 0.0 + int(text)


def test_int_float_of_str_literals():
    for x in (0, 2, -7):
        for text in ("0", " 42 ", "-1_000", "+7"):
            check(parse_literals, x, text)
    with pytest.raises(ember.UnsupportedError, match="call"):
        ember.jit(lambda: int("12x"))()


# -- dtype= of sum, prod and mean -------------------------------------------------


def same_np(got, want):
    """Equal values of the same dtype (an np.float64 result comes back as a Python float)."""
    g, w = np.asarray(got), np.asarray(want)
    assert g.dtype == w.dtype and g.shape == w.shape, (got, want)
    assert np.array_equal(g, w, equal_nan=True), (got, want)
    assert isinstance(got, np.ndarray) == isinstance(want, np.ndarray), (got, want)


def reductions_with_dtype():
    return [
        lambda a: np.sum(a, dtype=np.float32), lambda a: a.sum(dtype=np.float64), lambda a: np.sum(a, dtype=np.int8),
        lambda a: a.sum(dtype="u2"), lambda a: np.sum(a, dtype=float), lambda a: a.sum(axis=0, dtype=np.int16),
        lambda a: np.sum(a, axis=-1, dtype=np.float32, keepdims=True),
        lambda a: np.prod(a, dtype=np.int8), lambda a: a.prod(dtype=np.float32), lambda a: np.prod(a, 0, dtype=np.int64),
        lambda a: a.mean(dtype=np.float32), lambda a: np.mean(a, dtype=np.int64), lambda a: a.mean(axis=0, dtype="f4"),
        lambda a: np.mean(a, axis=-1, dtype=np.float64),
    ]


def test_reductions_dtype():
    # past 8192 items NumPy before 2.3 sums cast items along an axis in buffers (README's known difference)
    inputs = [RNG.uniform(-3.0, 3.0, 10), RNG.integers(-100, 100, (3, 4)), RNG.uniform(0.0, 1.0, 8000),
              RNG.integers(0, 200, 50).astype(np.uint8), RNG.uniform(-2.0, 2.0, (5, 3)).astype(np.float32),
              np.zeros((0, 3)), (RNG.uniform(-1.0, 1.0, (4, 6)) > 0)]
    for f in reductions_with_dtype():
        g = ember.jit(f)
        for a in inputs:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)   # NumPy's "Mean of empty slice"
                same_np(g(a), f(a))
    big = RNG.uniform(0.0, 1.0, 20000)   # the whole-array sum of cast items: in NumPy's buffers of 8192
    for f in (lambda a: np.sum(a, dtype=np.float32), lambda a: a.mean(dtype=np.float32)):
        same_np(ember.jit(f)(big), f(big))


# -- isinstance and dtype literals, decided at compile time -----------------------


def kinds(x):
    return (isinstance(x, float), isinstance(x, int), isinstance(x, bool), isinstance(x, complex),
            isinstance(x, np.ndarray), isinstance(x, (int, float)), isinstance(x, (np.float32, (complex, np.int64))),
            isinstance(x, np.float64), isinstance(x, np.int32))


def by_kind(x):
    if isinstance(x, np.ndarray):
        return float(x.sum())
    elif isinstance(x, (int, float)):
        return float(x * 2.0)
    return -1.0


SCALARS = [1.5, -2, True, 1j, np.float32(2.5), np.int64(3), np.float64(-0.5), np.int32(7), np.complex64(1j),
           np.uint8(200)]


def test_isinstance():
    for v in SCALARS + [np.arange(3.0), np.arange(4, dtype=np.int32).reshape(2, 2)]:
        check(ember.jit(kinds), v)
        got, want = ember.jit(by_kind)(v), by_kind(v)
        assert got == want and type(got) is type(want), (v, got, want)


def dtype_flags(x):
    k = x.dtype.kind
    if k == "f":
        return 1, x.dtype.name == "float32"
    elif x.dtype.kind in ("i", "u"):
        return 2 if x.dtype.name != "int64" else 3, k != "u"
    elif k == 1:
        return 9, False
    return 4 + x.dtype.itemsize, x.dtype.name in ("bool", "complex64")


def test_dtype_kind_name():
    for dt in (np.float64, np.float32, np.float16, np.int64, np.int8, np.uint8, np.uint64, np.complex64,
               np.complex128, np.bool_):
        a = np.zeros(3, dtype=dt)
        check(ember.jit(dtype_flags), a)
        if dt not in (np.float64, np.complex128, np.bool_, np.float16):   # Python's float, complex, bool here; no f16 scalars
            check(ember.jit(dtype_flags), a[0])


def test_str_argument_against_dtype():
    @ember.jit
    def has_kind(x, kind):
        return x.dtype.kind == kind

    for dt in (np.float64, np.int32):
        for kind in ("f", "i", "b"):
            check(has_kind, np.ones(2, dtype=dt), kind)


# -- str literals passed on and returned -----------------------------------------


@ember.jit
def scaled(x, how):
    if how == "double":
        return x * 2
    return x + 1


@ember.jit
def passes_str(x, how):
    return scaled(x, how) + scaled(x, "double")


@ember.jit
def returns_str(x, mode):
    return mode, x + 1, "done", x.dtype.name if isinstance(x, np.ndarray) else "scalar"


# CPython 3.11 compiles `return a if c else b` to one RETURN_VALUE after a join of
# the two values; the frontend refuses a str literal flowing into a join before
# infer folds the isinstance test (3.10 and 3.12+ return from each branch)
@pytest.mark.xfail(sys.version_info[:2] == (3, 11), strict=True,
                   reason="3.11: a str literal in a join of branches is refused (frontend/raise.c)")
def test_str_passed_and_returned():
    for x in (3, -2.5):
        for how in ("double", "other"):
            check(passes_str, x, how)
    assert any("Literal['double']" in s for s in scaled.signatures)
    for x in (1, 2.0, np.arange(3, dtype=np.int16)):
        got, want = returns_str(x, "m"), returns_str.py_func(x, "m")
        assert got[0] == want[0] and got[2:] == want[2:] and type(got[0]) is str, (got, want)
    sigs = returns_str.signatures
    assert "(Literal['m'], int64, Literal['done'], Literal['scalar'])(int64, Literal['m'])" in sigs, sigs


def test_str_join_refused():
    def sign(x):
        return "pos" if x > 0 else "neg"

    with pytest.raises((ember.TypingError, ember.UnsupportedError), match="str"):   # 3.11: the frontend's join
        ember.jit(sign)(1)


# -- *args ----------------------------------------------------------------------


def nested_star(x, y):
    def total(*args):
        s = 0.0
        for a in args:
            s += a
        return s, len(args)

    def first(a, *rest, scale=2):
        return a * scale + sum(rest)

    return total(x, y, 1.5), total(), first(x), first(x, y, 3, scale=3), (lambda *t: t)(x, y)


def test_nested_star_args():
    for x in (1.0, -2.5, 3):
        for y in (2, 0.5, True):
            check(ember.jit(nested_star), x, y)


@ember.jit
def star_total(*args):
    s = 0.0
    for a in args:
        s += a
    return s, len(args)


@ember.jit
def star_first(a, *rest, scale=2):
    return a * scale + sum(rest)


@ember.jit
def calls_star(x, y):
    return star_total(x, y, 1.5), star_total(), star_first(x), star_first(x, y, 3, scale=3), star_first(a=x)


def test_jit_star_args():
    for args in [(), (1,), (1, 2.5, True), (np.float32(1.5), 2)]:
        check(star_total, *args)
    for args, kw in [((1,), {}), ((1, 2, 3), {"scale": 4}), ((), {"a": 2.5}), ((1.5, 2), {})]:
        check(star_first, *args, **kw)
    for x in (1.0, -2):
        for y in (2, 0.5):
            check(calls_star, x, y)
    for bad in [((), {}), ((1,), {"rest": 2}), ((1,), {"a": 2})]:
        with pytest.raises(TypeError) as e:
            star_first(*bad[0], **bad[1])
        with pytest.raises(TypeError) as w:
            star_first.py_func(*bad[0], **bad[1])
        assert str(e.value) == str(w.value)
    assert "(int64, float64, bool)" in " ".join(star_total.signatures)


def test_kwargs_refused():
    def f(**kw):
        return 1

    with pytest.raises(ember.UnsupportedError, match="kwargs"):
        ember.jit(f)()


@ember.jit
def str_default(x, mode="sum"):
    return x + 1 if mode == "sum" else x - 1


@ember.jit
def calls_str_default(x):
    return str_default(x), str_default(x, "other"), str_default(x, mode="sum")


def test_str_default():
    for x in (1, -2.5):
        check(str_default, x)
        check(str_default, x, mode="no")
        check(calls_str_default, x)


def test_str_literal_signatures():
    sigs = ["int64(int64, Literal['sum'])", "float64(float64, Literal['x y\\'z\\\\'])", "int64(int64, Literal['héllo'])"]

    @ember.jit(sigs)
    def f(x, mode):
        return x + len(mode)

    assert f.signatures == sigs   # printed as given: the signature text round-trips
    assert f(1, "sum") == 4 and f(1.0, "x y'z\\") == 7.0 and f(2, "héllo") == 7
    assert f.stats["compilations"] == 3
    with pytest.raises(TypeError, match="at most 40 bytes"):
        ember.jit("int64(Literal['" + "x" * 41 + "'])")(lambda s: len(s))
