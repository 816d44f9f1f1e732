"""Comparisons that CPython makes exactly: an int against a float is never
rounded (2**53 + 1 > 2.0**53; NaN is only !=), int == complex compares the
real part exactly, and tuples compare elementwise and lexicographically
(tuplerichcompare).  Differential: compiled against f.py_func."""
import math

import pytest

import ember
from helpers import check, check_all, pairs

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, strategies as st  # noqa: E402


def _cmp(op):
    ns = {}
    exec(f"def f(a, b):\n    return a {op} b\n", ns)
    return ember.jit(ns["f"])


OPS = ["==", "!=", "<", "<=", ">", ">="]
FUNCS = {op: _cmp(op) for op in OPS}

BIG = [2**53, 2**53 + 1, 2**53 - 1, -(2**53) - 1, 2**62 + 1, 2**63 - 1, -(2**63), -(2**63) + 1,
       9007199254740993, 2**60 + 3, -(2**60) - 3, 0, 1, -1]
FL = [2.0**53, -(2.0**53), 2.0**63, -(2.0**63), 2.0**62, 9007199254740992.0, 1e19, -1e19,
      0.5, -0.5, 2.5, -2.5, 0.0, -0.0, math.inf, -math.inf, math.nan, 4611686018427387904.5]


def test_int_float_grid():
    for f in FUNCS.values():
        check_all(f, pairs(BIG, FL) + pairs(FL, BIG))


def test_python_examples():
    assert FUNCS[">"](2**53 + 1, 2.0**53) is True
    assert FUNCS["=="](9007199254740993, 9007199254740992.0) is False
    assert FUNCS["!="](9007199254740993, 9007199254740992.0) is True
    assert FUNCS["!="](5, math.nan) is True and FUNCS["=="](5, math.nan) is False


ints = st.one_of(st.integers(-(2**63), 2**63 - 1),
                 st.integers(-(2**54), 2**54),
                 st.sampled_from(BIG))
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-(2**63), 2**63).map(float),
                   st.integers(-(2**63), 2**63 - 1).map(lambda i: float(i) + 0.5),
                   st.sampled_from(FL))


@given(ints, floats, st.sampled_from(OPS), st.booleans())
def test_int_float_random(i, x, op, swap):
    args = (x, i) if swap else (i, x)
    check(FUNCS[op], *args)


@ember.jit
def chained(i, x, j):
    return i < x <= j


@ember.jit
def const_big(x):
    return x == 9007199254740993, x < 9007199254740993, 2**62 + 1 > x


@ember.jit
def const_float(i):
    return i < 2.5, i == 3.0, i >= -0.5, i != 1e300, i > math.inf


def test_chained(): check_all(chained, [(2**53 + 1, 2.0**53 + 2, 2**53 + 3), (2**53, 2.0**53, 2**53), (1, math.nan, 2)])
def test_const_big(): check_all(const_big, [9007199254740992.0, 9007199254740994.0, 2.0**62, math.nan])
def test_const_float(): check_all(const_float, [0, 2, 3, -1, 2**63 - 1, -(2**63)])


def test_bool_float(): check_all(FUNCS["<"], pairs([True, False], [0.5, math.nan, 1.0]))


# -- int == complex: the real part compared exactly ------------------------------------
def test_int_complex():
    zs = [complex(2.0**53, 0.0), complex(2.0**53, 1.0), complex(math.nan, 0.0), 3 + 0j, 3 - 0j, 3 + 1j]
    for op in ["==", "!="]:
        check_all(FUNCS[op], pairs([2**53 + 1, 2**53, 3, -3], zs) + pairs(zs, [2**53 + 1, 2**53, 3]))


# -- tuples ---------------------------------------------------------------------------
def _tcmp(op, n, m):
    a = ", ".join(f"a{i}" for i in range(n))
    b = ", ".join(f"b{i}" for i in range(m))
    ta = f"({a},)" if n == 1 else f"({a})"
    tb = f"({b},)" if m == 1 else f"({b})"
    params = ", ".join([f"a{i}" for i in range(n)] + [f"b{i}" for i in range(m)])
    ns = {}
    exec(f"def f({params}):\n    return {ta} {op} {tb}\n", ns)
    return ember.jit(ns["f"])


TUPLE_F = {(op, n, m): _tcmp(op, n, m) for op in OPS for n in range(0, 4) for m in range(0, 4)}
VALS = [0, 1, -1, 2, 0.0, -0.0, 1.0, 0.5, math.inf, 2**53 + 1, 2.0**53, True, False]


@given(st.sampled_from(OPS), st.integers(0, 3), st.integers(0, 3), st.data())
def test_tuple_random(op, n, m, data):
    vals = [data.draw(st.sampled_from(VALS)) for _ in range(n + m)]
    check(TUPLE_F[(op, n, m)], *vals)


def test_tuple_lexicographic():
    lt = TUPLE_F[("<", 2, 2)]
    check_all(lt, [(1, 2, 1, 3), (1, 3, 1, 2), (1, 2, 1, 2), (0, 9, 1, 0), (1.0, 2, 1, 2.5),
                   (float("nan"), 1, float("nan"), 2), (1, float("nan"), 1, 2)])
    check_all(TUPLE_F[("<=", 1, 2)], [(1, 1, 0), (1, 0, 5), (2, 1, 9)])
    check_all(TUPLE_F[(">", 3, 2)], [(1, 2, 3, 1, 2), (1, 2, 3, 1, 3)])


def test_tuple_eq_lengths():
    check_all(TUPLE_F[("==", 2, 3)], [(1, 2, 1, 2, 3)])
    check_all(TUPLE_F[("!=", 2, 3)], [(1, 2, 1, 2, 3)])
    check_all(TUPLE_F[("==", 0, 0)], [()])


def test_tuple_nan_items():
    # distinct NaN objects: CPython's identity shortcut does not apply
    check_all(TUPLE_F[("==", 1, 1)], [(float("nan"), float("nan"))])
    check_all(TUPLE_F[("!=", 1, 1)], [(float("nan"), float("nan"))])


@ember.jit
def same_item(x):
    t = (x, 1)
    return t == t, (x,) == (x,), (x, 2) < (x, 3), t != t


def test_tuple_identity():
    """PyObject_RichCompareBool tests identity first: (x,) == (x,) even for NaN."""
    check_all(same_item, [1.0, math.nan, 0.0])


@ember.jit
def nested(a, b, c):
    return ((a, b), c) == ((b, a), c), ((a, b), c) < ((b, a), c), (a, (b, c)) >= (a, (c, b))


def test_nested(): check_all(nested, [(1, 2, 3), (2, 1, 0), (1, 1, 1), (1.5, 2, 2**53 + 1)])


@ember.jit
def tuple_none(a):
    return (None, a) == (None, a), (None, a) < (None, a + 1), (a,) == a, (1, 2) != None


def test_tuple_none(): check_all(tuple_none, [0, 5])


def test_tuple_complex_order_rejected():
    @ember.jit
    def f(a, b):
        return (a, 1j) < (b, 2j)
    with pytest.raises(ember.CompileError):
        f(1, 2)
