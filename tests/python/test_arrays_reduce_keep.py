"""Reductions with keepdims, tuple axes, and axis= for var, std, any, all and
count_nonzero (issue 4), compiled and against NumPy itself: generated values
of bool, int8..int64, uint8, float32, float64 and complex128, shapes of 0 to 4
dimensions (empty ones and extents of 1 among them), layouts C, Fortran,
strided and negative strides, every axis and tuples of axes (negative entries
included), keepdims both ways, as methods and numpy functions.  Results must
be equal to the bit (Ember sums in NumPy's order), with NumPy's dtypes and
shapes, scalars where NumPy gives scalars.  Errors: an axis out of range
(IndexError, whose subclass AxisError NumPy raises), a duplicate axis
(ValueError), max of an empty axis (ValueError), a keepdims that is not a
constant (TypingError at compile time)."""
import itertools
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import same

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.float32, np.float64, np.complex128]
REAL = DTYPES[:-1]          # Ember's max, min, argmax and argmin take no complex arrays yet
SHAPES = [(), (5,), (0,), (3, 4), (1, 6), (4, 0), (2, 3, 4), (3, 1, 5), (2, 0, 3), (2, 3, 2, 3), (1, 4, 1, 5),
          (40, 70)]

# name -> (source of the call, dtypes NumPy allows, whether a tuple axis is allowed)
OPS = {
    "sum": ("{a}.sum(axis=k{kd})", DTYPES, True),
    "np.sum": ("np.sum({a}, axis=k{kd})", DTYPES, True),
    "mean": ("{a}.mean(axis=k{kd})", DTYPES, True),
    "np.mean": ("np.mean({a}, k{kd})", DTYPES, True),
    "prod": ("np.prod({a}, axis=k{kd})", DTYPES, True),
    "max": ("{a}.max(axis=k{kd})", REAL, True),
    "np.min": ("np.min({a}, axis=k{kd})", REAL, True),
    "argmax": ("{a}.argmax(axis=k{kd})", REAL, False),
    "np.argmin": ("np.argmin({a}, axis=k{kd})", REAL, False),
    "any": ("np.any({a}, axis=k{kd})", DTYPES, True),
    "all": ("{a}.all(axis=k{kd})", DTYPES, True),
    "count_nonzero": ("np.count_nonzero({a}, axis=k{kd})", DTYPES, True),
    "var": ("{a}.var(axis=k{kd})", DTYPES, True),
    "np.var": ("np.var({a}, axis=k, ddof=1{kd})", DTYPES, True),
    "std": ("np.std({a}, axis=k{kd})", DTYPES, True),
}


def make(src, keepdims):
    """An ember.jit function f(a, k) of the reduction 'src' with keepdims (None: not given)."""
    kd = "" if keepdims is None else f", keepdims={keepdims}"
    ns = {"np": np}
    exec(f"def f(a, k):\n    return {src.format(a='a', kd=kd)}\n", ns)
    return ember.jit(ns["f"])


FUNCS = {(name, kd): make(OPS[name][0], kd) for name in OPS for kd in (None, False, True)}


def values(dtype, shape, rng):
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return np.asarray(rng.integers(0, 2, shape)).astype(dt)
    if dt.kind in "iu":
        return np.asarray(rng.integers(-3 if dt.kind == "i" else 0, 4, shape)).astype(dt)    # zeros and ties for argmax
    x = rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 4, shape)
    if dt.kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    x = np.asarray(x).astype(dt)
    if x.size > 2:
        x.flat[rng.integers(0, x.size)] = -0.0 if rng.random() < 0.5 else 0.0
    return x


def layout(x, kind, rng):
    if kind == "C" or x.ndim == 0:
        return x
    if kind == "F":
        return np.asfortranarray(x)
    if kind == "neg":
        return x[tuple(slice(None, None, -1) for _ in x.shape)]
    big = np.zeros(tuple(2 * n for n in x.shape), x.dtype)   # strided: every other item
    v = big[tuple(slice(None, None, 2) for _ in x.shape)]
    v[...] = x
    return v


def axes_of(nd, tuples):
    """None, every int axis (negative too) and, with 'tuples', tuples of axes."""
    out = [None] + list(range(-nd, nd)) if nd else [None]
    if tuples:
        for r in range(0, nd + 1):
            for c in itertools.combinations(range(nd), r):
                out.append(tuple(k - nd if (k + r) % 2 else k for k in c))     # some negative
    return out


def expect(f, a, k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return f.py_func(a, k), None
        except Exception as e:
            return None, e


def cases():
    """(name, keepdims, dtype, shape, layout, seed): each op sees every shape, keepdims,
    dtypes and layouts in turn (compiles, ~50 ms each, are the cost)."""
    rng = np.random.default_rng(4)
    out = []
    for name in OPS:
        for i, shape in enumerate(SHAPES):
            dts = OPS[name][1]
            j = (i + len(name)) % 3          # keepdims not given, False, True in turn
            kd = (None, False, True)[j]
            dt = dts[(i * 3 + j + len(name)) % len(dts)]
            lay = ("C", "F", "strided", "neg")[(i + j) % 4]
            out.append((name, kd, dt, shape, lay, int(rng.integers(1 << 30))))
    return out


@pytest.mark.parametrize("name,kd,dt,shape,lay,seed", cases())
def test_reduce(name, kd, dt, shape, lay, seed):
    rng = np.random.default_rng(seed)
    a = layout(np.asarray(values(dt, shape, rng)), lay, rng)
    f = FUNCS[name, kd]
    for k in axes_of(len(shape), OPS[name][2]):
        want, err = expect(f, a, k)
        if err is not None:
            exc = IndexError if isinstance(err, np.exceptions.AxisError) else type(err)
            with pytest.raises(exc):
                f(a, k)
            continue
        got = f(a, k)
        if a.dtype.kind == "c" and name not in ("any", "all", "count_nonzero"):
            # complex sums are pairwise over complex items, NumPy's over their float halves
            assert np.shape(got) == np.shape(want) and np.asarray(got).dtype == np.asarray(want).dtype
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
            continue
        assert same(got, want), (name, kd, a.dtype, a.shape, a.strides, k, got, want)


@pytest.mark.parametrize("k", [(0, 0), (1, -1), (0, 1, 1)])
def test_duplicate_axis(k):
    a = np.ones((2, 3))
    with pytest.raises(ValueError):
        np.sum(a, axis=k)
    for f in (FUNCS["sum", None], FUNCS["max", True], FUNCS["any", False], FUNCS["var", None]):
        with pytest.raises(ValueError, match="^duplicate value in 'axis'"):   # NumPy's text
            f(a, k)


def test_axis_out_of_range():
    a = np.ones((2, 3))
    for name in ("sum", "mean", "max", "all", "var", "count_nonzero"):
        for k in (2, -3, (0, 2), (-3,)):
            with pytest.raises(IndexError):
                FUNCS[name, True](a, k)


def test_empty_max():
    a = np.ones((2, 0, 3))
    for k in ((0, 1), (1,), 1, (1, 2)):
        with pytest.raises(ValueError):
            FUNCS["max", None](a, k)
        with pytest.raises(ValueError):
            FUNCS["np.min", True](a, k)
    assert same(FUNCS["max", None](a, (0, 2)), a.max(axis=(0, 2)))


def test_keepdims_constant_variable():
    @ember.jit
    def f(x):
        kd = True
        no = False
        return x.max(axis=1, keepdims=kd), np.sum(x, axis=-1, keepdims=no)

    x = np.arange(12.0).reshape(3, 4)
    assert same(f(x), f.py_func(x))


def test_keepdims_not_constant():
    @ember.jit
    def f(x, kd):
        return x.sum(axis=0, keepdims=kd)

    with pytest.raises(ember.TypingError, match="keepdims"):
        f(np.ones((2, 2)), True)


def test_softmax_and_std():
    @ember.jit
    def softmax(x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)

    @ember.jit
    def norm(x):
        return (x - x.mean(axis=0, keepdims=True)) / x.std(axis=0, keepdims=True)

    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 7))
    np.testing.assert_allclose(softmax(x), softmax.py_func(x), rtol=1e-14)
    assert same(norm(x), norm.py_func(x))


@ember.jit
def _var_std_whole(a, d):
    return a.var(ddof=d), np.std(a, ddof=d), a.std()


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_])
def test_var_std_whole_array_fast_path(dtype):
    """var/std over every element of a C-contiguous array (mean, then the squared
    deviations as one fused reduction) equal NumPy's to the bit at the sizes where
    NumPy's pairwise sum changes shape (8, 128, 1024-item blocks), for any ddof,
    and Fortran and strided arrays (the general path) too."""
    rng = np.random.default_rng(7)
    # NumPy before 2.3 sums more than 8192 items in parts of 8192 (Ember: NumPy 2.3's
    # single pairwise sum), so those sizes differ there in the last bit
    most = 10**9 if tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 3) else 8192
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # ddof >= n: NumPy warns, and gives inf or nan
        for n in (0, 1, 2, 7, 8, 9, 127, 128, 129, 1023, 1024, 1025, 2700, 3001, 20000):
            for shape in [s for s in ((n,), (n, 3)) if np.prod(s) <= most]:
                x = rng.standard_normal(shape) * 40 + 3
                x = x > 0 if dtype is np.bool_ else x.astype(dtype)
                for arr in (x, np.asfortranarray(x), x[::2]):
                    for d in (0, 1, 5):
                        got = _var_std_whole(arr, d)
                        want = (np.var(arr, ddof=d), np.std(arr, ddof=d), np.std(arr))
                        for g, w in zip(got, want):
                            assert g == w or (np.isnan(g) and np.isnan(w)), (shape, d, g, w)
