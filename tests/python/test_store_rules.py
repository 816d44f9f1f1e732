"""Stores of scalars into arrays follow NumPy 2's setitem (issue 3).

A value an integer array cannot hold is an error, never a silently wrapped
or garbage element: a Python int out of the dtype's range raises NumPy's
OverflowError "Python integer 300 out of bounds for uint8"; a float goes
through int() first (NaN ValueError, inf OverflowError, "Python int too
large to convert to C long"); a NumPy int into a signed dtype is checked
like a Python int of its value, into an unsigned one it wraps; a NumPy
float into an unsigned dtype is NumPy's C cast, which wraps, and where
NumPy warns "invalid value encountered in cast" (and stores garbage)
Ember raises the FloatingPointError NumPy raises under
np.errstate(invalid="raise").  The reference is NumPy itself, run under
that errstate, on generated values of every integer, float and bool type.
"""
import math
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import same

INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
TARGETS = INTS + [np.bool_, np.float32, np.float64]


def _values(seed):
    """Edge values of every integer range and float specials, then random ones."""
    v = [0, 1, -1, 0.0, -0.0, -0.5, 0.5, 255.9, -1.0, math.nan, -math.nan, math.inf, -math.inf,
         1e30, -1e30, 2.0**63, -2.0**63, 2.0**64, 1e19, 2.0**31 + 5, -2.0**31 - 5, 5e9 + 7]
    for bits in (8, 16, 32, 64):
        for x in (2**(bits - 1), 2**bits):
            v += [x - 1, x, -x, -x - 1]
    rng = np.random.default_rng(seed)
    v += [int(x) for x in rng.integers(-2**63, 2**63 - 1, 8)]
    v += [float(x) for x in rng.normal(0, 1e6, 6)] + [float(x) for x in rng.normal(0, 1e12, 6)]
    return v


def _sources(v):
    """'v' as each scalar type that can hold it exactly (floats: rounded)."""
    out = []
    if isinstance(v, int):
        if -2**63 <= v < 2**63:
            out.append(v)
        for t in INTS:
            info = np.iinfo(t)
            if info.min <= v <= info.max:
                out.append(t(v))
        out.append(np.bool_(v != 0))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out += [v, np.float64(v), np.float32(v)]
    return out


def _run(f, *args):
    try:
        return f(*args), None
    except Exception as e:  # noqa: BLE001 - an exception is a result here
        return None, e


def _reference(f, *args):
    with np.errstate(invalid="raise"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return _run(f, *args)


def _known_text_difference(t, v, err):
    """A Python float in [2**63, 2**64) into uint32: NumPy names the integer
    ("Python integer 10000000000000000000 out of bounds for uint32"), which
    EmErr's int64 payload cannot hold; Ember says "Python int too large to
    convert to C long" (the same OverflowError)."""
    return t is np.uint32 and type(v) is float and 2.0**63 <= v < 2.0**64 and isinstance(err, OverflowError)


def _through_a_call(f, t, v):
    """An np.float64 passed on to a compiled callee (a.fill(v) is a call of
    the library's fill) arrives there as a Python float: into an unsigned
    dtype, a value NumPy's cast wraps (np.float64(-1.0) -> 255) raises
    NumPy's error for the Python float (OverflowError) instead."""
    return f is fill and np.dtype(t).kind == "u" and type(v) is np.float64


def _agree(cf, f, t, args, v):
    ca = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    pa = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    got, gerr = _run(cf, *ca)
    want, werr = _reference(f, *pa)
    what = f"{f.__name__} {np.dtype(t)} <- {type(v).__name__} {v!r}"
    if werr is not None or gerr is not None:
        assert type(gerr) is type(werr), f"{what}: compiled {gerr!r}, NumPy {werr!r}"
        if not _known_text_difference(t, v, werr):
            assert str(gerr) == str(werr), f"{what}: compiled {gerr!r}, NumPy {werr!r}"
        return
    assert same(got, want), f"{what}: compiled {got!r}, NumPy {want!r}"


def store(out, v):
    out[0] = v
    return out


def store_slice(out, v):
    out[1:] = v
    return out


def store_column(out, v):
    out[:, 1] = v
    return out


def fill(out, v):
    out.fill(v)
    return out


def add_into(out, v):
    out[0] += v
    return out


@pytest.mark.parametrize("t", TARGETS, ids=lambda t: np.dtype(t).name)
def test_store_of_every_scalar_type(t):
    f = ember.jit(store)
    for v in _values(seed=np.dtype(t).num):
        for x in _sources(v):
            _agree(f, store, t, (np.zeros(3, t), x), x)


@pytest.mark.parametrize("f", [store_slice, fill, add_into], ids=lambda f: f.__name__)
@pytest.mark.parametrize("t", [np.uint8, np.int16, np.int32, np.uint64, np.int64], ids=lambda t: np.dtype(t).name)
def test_whole_and_inplace_stores(f, t):
    cf = ember.jit(f)
    for x in [7, 300, -1, 40000, 3 * 10**9, 2**40, 0.5, 300.0, math.nan, math.inf, 1e30,
              np.int64(300), np.int64(-5), np.int64(3 * 10**9), np.float64(-1.0), np.float64(3e9), np.float32(300)]:
        if _through_a_call(f, t, x) and (x < 0 or x > np.iinfo(t).max):
            with pytest.raises(OverflowError):
                cf(np.zeros(4, t), x)
            continue
        _agree(cf, f, t, (np.zeros(4, t), x), x)


def test_store_into_a_column_of_a_2d_array():
    cf = ember.jit(store_column)
    for t in (np.uint8, np.int8, np.int64):
        for x in (5, 200, -200, 1e30, math.nan, np.int64(1000)):
            _agree(cf, store_column, t, (np.zeros((3, 2), t), x), x)


def test_full_with_a_python_scalar():
    def full(n, v):
        return np.full(n, v, np.uint8)

    cf = ember.jit(full)
    for x in (0, 200, 255, 256, 300, -1):
        _agree(cf, full, np.uint8, (3, x), x)


def copy_into(out, a):
    for i in range(a.shape[0]):
        out[i] = a[i]
    return out


@pytest.mark.parametrize("t", INTS, ids=lambda t: np.dtype(t).name)
def test_loop_copying_elements(t):
    """out[i] = a[i] from arrays of every type: checked per element, the
    first element out of range raises (the ones before it are stored)."""
    cf = ember.jit(copy_into)
    rng = np.random.default_rng(np.dtype(t).num)
    for s in INTS + [np.float32, np.float64, np.bool_]:
        if np.dtype(s).kind == "f":
            pools = [rng.normal(0, 100, 6), rng.normal(0, 1e10, 6), np.array([1.5, -0.5, 2.0, np.nan]),
                     np.array([3.0, np.inf]), np.array([1.0, -1.0, 255.0, 256.0])]
        elif s is np.bool_:
            pools = [rng.integers(0, 2, 6)]
        else:
            info = np.iinfo(s)
            pools = [rng.integers(info.min, info.max, 6, dtype=s, endpoint=True), np.array([0, 1, info.max], s)]
        for p in pools:
            a = p.astype(s)
            _agree(cf, copy_into, t, (np.zeros(a.shape[0], t), a), a)


def test_constant_in_range_and_values_of_the_dtype():
    """Stores that need no check store exactly what NumPy does."""
    def kernel(a, b, c):
        for i in range(a.shape[0]):
            a[i] = 7
            b[i] = a[i] + b[i]
            c[i] = i
        return a, b, c

    cf = ember.jit(kernel)
    n = 5
    for t in INTS:
        args = (np.zeros(n, t), np.arange(n, dtype=t), np.zeros(n, np.int16))
        _agree(cf, kernel, t, args, None)
