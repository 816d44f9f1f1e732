"""Arithmetic on array elements and NumPy scalars: NEP 50 promotion and
NumPy's integer and float32 semantics, every dtype pair, against NumPy.

Where both operands are of a type Python shares with NumPy (bool, float64,
complex128), Ember follows Python (True + True is 2, complex division is
CPython's); those pairs are left out, as documented in jit/ember/__init__.py."""
import itertools
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, same, sample

SHARED = {np.bool_, np.float64, np.complex128}
OPS = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
       "band": "&", "bor": "|", "bxor": "^", "lshift": "<<", "rshift": ">>", "lt": "<", "le": "<=",
       "eq": "==", "ne": "!=", "gt": ">", "ge": ">="}


def _compile(op):
    ns = {}
    exec(f"def f(a, b, i):\n    return a[i] {op} b[i]\n", ns)
    return ember.jit(ns["f"])


FUNCS = {name: _compile(op) for name, op in OPS.items()}


def _operands(name, ta, tb):
    a, b = sample(ta, (6,), 1), sample(tb, (6,), 2)
    if name in ("truediv", "floordiv", "mod"):
        b = np.where(b == 0, np.ones(1, tb), b).astype(tb)
    if name in ("pow", "lshift", "rshift"):
        a, b = (np.arange(6) % 3).astype(ta), (np.arange(6) % 4).astype(tb)
    return a, b


def _close(got, want):
    """Equal, or (complex128 division: CPython's algorithm against NumPy's) within 4 ulp."""
    if same(got, want):
        return True
    return type(got) is complex and np.isclose(got, want, rtol=4e-16, atol=0)


def _run(f, *args):
    try:
        return f(*args), None
    except Exception as e:  # noqa: BLE001
        return None, e


@pytest.mark.parametrize("name", list(OPS))
def test_every_dtype_pair(name):
    f = FUNCS[name]
    bad = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ta, tb in itertools.product(DTYPES, DTYPES):
            if ta in SHARED and tb in SHARED:
                continue
            a, b = _operands(name, ta, tb)
            for i in range(6):
                want, werr = _run(f.py_func, a, b, i)
                got, gerr = _run(f, a, b, i)
                if werr or gerr:
                    ok = type(werr) is type(gerr) or (isinstance(gerr, ember.TypingError) and isinstance(werr, TypeError))
                    if not ok:
                        bad.append((np.dtype(ta).name, np.dtype(tb).name, repr(gerr), repr(werr)))
                    break
                if not _close(got, want):
                    bad.append((np.dtype(ta).name, np.dtype(tb).name, i, repr(got), repr(want)))
                    break
    assert not bad, bad[:10]


@pytest.mark.parametrize("dtype", DTYPES[1:], ids=lambda d: np.dtype(d).name)
def test_python_scalars_are_weak(dtype):
    @ember.jit
    def weak(a):
        return a[0] + 1, a[1] * 2, a[2] - 3.0, a[0] * 0.5, a[1] + 1j, a[2] + True

    a = sample(dtype, (3,), 7)
    if np.dtype(dtype).kind in "iu":
        a = np.array([5, 7, 9], dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = weak.py_func(a)
    got = weak(a)
    for g, w in zip(got, want):
        assert same(g, w) or (type(g) is complex and np.isclose(g, w)), (dtype, got, want)


def test_accumulators_take_the_element_type():
    @ember.jit
    def acc(a):
        s = 0
        for x in a:
            s += x
        return s

    for t in (np.int8, np.uint8, np.int32, np.uint32, np.float32, np.complex64):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = np.arange(100).astype(t)
            assert same(acc(a), acc.py_func(a)), t


def test_integer_semantics():
    @ember.jit
    def ops(a, b):
        return a[0] // b[0], a[0] % b[0], a[0] << b[0], a[0] >> b[0], a[0] ** b[1], -a[0], ~a[0]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for t in (np.int8, np.int64, np.uint8, np.uint64):
            info = np.iinfo(t)
            for x in (info.min, info.max, 0, 1, 7):
                for y in (0, 1, 3, 70):
                    a, b = np.array([x], t), np.array([y, 2], t)
                    assert same(ops(a, b), ops.py_func(a, b)), (t, x, y)
        a, b = np.array([-7, 2], np.int32), np.array([-1, -2], np.int32)
        with pytest.raises(ValueError, match="negative integer powers"):
            ops(a, b)
        with pytest.raises(ValueError):
            ops.py_func(a, b)


def test_float32_division_by_zero_follows_numpy():
    @ember.jit
    def div(a, b):
        return a[0] / b[0], a[0] // b[0], a[0] % b[0]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x in (1.0, -1.0, 0.0, np.nan):
            a, b = np.array([x], np.float32), np.array([0.0], np.float32)
            assert same(div(a, b), div.py_func(a, b))


def test_numpy_scalar_arguments_and_constructors():
    @ember.jit
    def conv(x, y):
        return np.float32(x) + y, np.int8(y), np.uint16(x), float(np.float32(y)), int(np.int16(x))

    for x, y in ((np.float32(1.5), np.int64(7)), (np.int8(-3), np.float32(2.25)), (3, 4.5)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert same(conv(x, y), conv.py_func(x, y)), (x, y)
