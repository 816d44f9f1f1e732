"""NumPy forms users write that once failed inside ember.jit (jit/ember/_lib_gaps.py,
passes/infer_array.c): a.real and a.imag as views, ... compiled and compared with
NumPy itself (values, dtypes, shapes, the argument arrays afterwards, the exception
type) on generated inputs of several dtypes and layouts."""
import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, check, layouts, sample

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
SHAPES = [(0,), (5,), (3, 4), (2, 3, 2)]


# -- a.real, a.imag, np.real, np.imag --------------------------------------------------------------

@ember.jit
def parts(z):
    return z.real, z.imag, np.real(z), np.imag(z)


@ember.jit
def write_parts(z, v):
    z.real[0] = v
    z.imag[1:] = 0
    r = np.real(z)
    r[-1] += 1
    return z


@ember.jit
def write_real(x, v):
    x.real[::2] = v
    np.real(x)[0] -= v
    return x.real


@ember.jit
def write_parts_nd(z, v):
    z.T.real[...] = v
    return z.imag.sum()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_parts_read(dtype, shape):
    for a in layouts(sample(dtype, shape, seed=len(shape))):
        check(parts, a)
        got, want = parts(a), parts.py_func(a)
        for g, w in zip(got, want):
            assert g.flags.writeable == w.flags.writeable or not a.size   # (an empty result is a fresh array)
            if np.iscomplexobj(a) and a.size:   # views of 'a' with NumPy's strides
                assert g.strides == w.strides and np.shares_memory(g, a)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128, np.float32, np.float64])
def test_parts_write_through(dtype):
    for shape in [(4,), (7,)]:
        for a in layouts(sample(dtype, shape, seed=3)):
            if a.flags.writeable:
                check(write_parts if np.iscomplexobj(a) else write_real, a, 2.5)
    for shape in [(3, 4), (2, 3, 2)]:
        for a in layouts(sample(dtype, shape, seed=4)):
            if a.flags.writeable and np.iscomplexobj(a):
                check(write_parts_nd, a, -1.5)


def test_parts_scalars():
    @ember.jit
    def f(x, c, n):
        return np.real(c), np.imag(c), np.real(x), np.imag(x), c.real, c.imag, np.imag(n)
    for x, c, n in [(1.5, 2 - 3j, 4), (-0.0, complex(0.0, -0.0), -7)]:
        check(f, x, c, n)


def test_imag_of_real_is_read_only():
    @ember.jit
    def f(x):
        x.imag[0] = 1.0
    with pytest.raises(ember.TypingError):
        f(np.arange(3.0))


# -- a list as an index: a[[0, 2]], a[[0, 2]] = v, a list variable -----------------------------------

@ember.jit
def take_display(a):
    return a[[0, -1, 0]], a[[True] + [False] * (len(a) - 1)] if a.ndim == 1 else a[[1]]


@ember.jit
def take_list(a, idx):
    return a[idx]


@ember.jit
def put_display(a, v):
    a[[0, -1]] = v
    a[[1, 1]] += v
    return a


@ember.jit
def put_list(a, idx, v):
    lst = []
    for i in idx:
        lst.append(i)
    a[lst] = v
    return a


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex128, np.bool_])
@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 2)])
def test_list_index(dtype, shape):
    rng = np.random.default_rng(shape[0] * 7 + len(shape))
    for a in layouts(sample(dtype, shape, seed=5)):
        check(take_display, a)
        n = a.shape[0]
        for k in (1, 3, 6):
            idx = [int(i) for i in rng.integers(-n, n, k)]
            check(take_list, a, idx)
            check(take_list, a, idx + [n])   # IndexError, as NumPy's
            v = sample(dtype, (), seed=k)[()]
            if a.flags.writeable:
                check(put_list, a, idx, v)
        if a.ndim == 1:
            check(take_list, a, [bool(b) for b in rng.integers(0, 2, n)])
        if a.flags.writeable and n > 1:
            check(put_display, a, sample(dtype, (), seed=2)[()])


# -- a list display among ints and slices: a[[0, 2], 1], a[:, [1, 3]], stores ------------------------

@ember.jit
def tuple_get2(a, i):
    return a[[0, -1, 1], i], a[:, [1, 0, 1]], a[i, [0, -1]], a[[1], :]


@ember.jit
def tuple_get3(a, i):
    return (a[:, [1, 0], i], a[i, :, [0, -1]], a[[1, 0], :, i], a[:, i, [0, 1]], a[None, [0, 1], i],
            a[i, [1, 0]], a[:, :, [1]])


@ember.jit
def tuple_put2(a, i, v, w):
    a[:, [1, 0]] = w
    a[[0, -1], i] += v
    return a


@ember.jit
def tuple_put3(a, i, v, w):
    a[i, :, [1, 0]] = v      # the list's axis first in the value (NumPy's)
    a[:, [0, 1], i] = w
    a[:, [1], :] *= 2
    return a


@pytest.mark.parametrize("dtype", [np.int16, np.int64, np.float32, np.float64, np.complex128])
def test_tuple_list_index(dtype):
    rng = np.random.default_rng(9)
    for a in layouts(sample(dtype, (3, 4), seed=6)):
        for i in (0, 2, -1, 7):
            check(tuple_get2, a, i)
            if a.flags.writeable:
                v = sample(dtype, (), seed=abs(i))[()]
                check(tuple_put2, a, i, v, v)
                check(tuple_put2, a, i, v, sample(dtype, (3, 1), seed=abs(i)))
    for a in layouts(sample(dtype, (2, 3, 4), seed=7)):
        for i in (0, 1, -2, 3):
            check(tuple_get3, a, i)
            if a.flags.writeable:
                v = sample(dtype, (2, 3), seed=abs(i))
                check(tuple_put3, a, i, v, sample(dtype, (2, 2), seed=abs(i) + 1))
                check(tuple_put3, a, i, v[:, :1], sample(dtype, (), seed=2)[()])
                check(tuple_put3, a, i, v, rng.standard_normal(5))   # a broadcast error, as NumPy's


# -- np.unique(a, return_index=, return_inverse=, return_counts=) ------------------------------------

@ember.jit
def unique_forms(a):
    return (np.unique(a, return_index=True), np.unique(a, return_inverse=True), np.unique(a, return_counts=True),
            np.unique(a, return_index=True, return_inverse=True))


@ember.jit
def unique_forms2(a):
    return (np.unique(a, return_index=True, return_counts=True), np.unique(a, return_inverse=True, return_counts=True),
            np.unique(a, return_index=True, return_inverse=True, return_counts=True),
            np.unique(a, return_index=False, return_counts=False))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint32, np.int64, np.float32, np.float64, np.complex128])
def test_unique_flags(dtype):
    rng = np.random.default_rng(13)
    for shape in [(0,), (1,), (9,), (4, 5), (2, 3, 4)]:
        x = rng.integers(-3, 4, shape).astype(dtype)   # repeats
        if np.dtype(dtype).kind in "fc":
            x[rng.random(shape) < 0.2] = np.nan
            # (no -0.0 among 0.0: which one NumPy keeps with return_inverse alone is its quicksort's choice)
        for a in layouts(x):
            check(unique_forms, a)
            check(unique_forms2, a)


def test_unique_flags_errors():
    @ember.jit
    def positional(a):
        return np.unique(a, True)

    @ember.jit
    def variable(a, f):
        return np.unique(a, return_counts=f)
    with pytest.raises(ember.TypingError, match="keywords"):
        positional(np.arange(3))
    with pytest.raises(ember.TypingError, match="constant True or False"):
        variable(np.arange(3), True)


# -- out= of the elementwise functions, np.clip's keywords, a.clip ---------------------------------

@ember.jit
def clip_out(a, lo, hi):
    r = np.clip(a, lo, hi, out=a)
    return r, a


@ember.jit
def clip_forms(a, lo, hi):
    return np.clip(a, a_min=lo, a_max=hi), np.clip(a, lo, a_max=hi), a.clip(lo, hi)


@ember.jit
def ufuncs_out(a, b, o):
    np.exp(a, out=o)
    np.minimum(a, b, out=o[::-1])
    s = np.sqrt(np.abs(a), out=b)
    a.clip(0, 1, out=a)
    return s, o


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float32, np.float64])
def test_clip_out(dtype):
    rng = np.random.default_rng(17)
    for shape in [(0,), (7,), (3, 4)]:
        for a in layouts((rng.standard_normal(shape) * 5).astype(dtype)):
            lo, hi = dtype(-2), dtype(3)
            check(clip_forms, a, lo, hi)
            check(clip_forms, a, rng.integers(-3, 0, shape).astype(dtype), hi)
            if a.flags.writeable:
                check(clip_out, a, lo, hi)
                check(clip_out, a, lo, np.full(shape[-1:], 2, dtype))
                got, same_a = clip_out(a, lo, hi)
                assert got is same_a is a or not a.size   # the out array itself, as NumPy's (an empty result is fresh)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ufuncs_out(dtype):
    rng = np.random.default_rng(19)
    for shape in [(5,), (2, 3)]:
        a = (rng.standard_normal(shape) * 2).astype(dtype)
        b = rng.standard_normal(shape).astype(dtype)
        for o in layouts(np.zeros(shape, np.float64)):
            if o.flags.writeable:
                check(ufuncs_out, a, b, o)
        check(ufuncs_out, a, b, np.zeros(shape[-1:], np.float64))   # out of the wrong shape: NumPy's error


def test_out_casting():
    @ember.jit
    def to_int(a, o):
        return np.sqrt(a, out=o)
    with pytest.raises(TypeError):
        to_int.py_func(np.arange(3.0), np.zeros(3, np.int64))
    with pytest.raises(TypeError):
        to_int(np.arange(3.0), np.zeros(3, np.int64))


# -- np.diff(prepend=, append=), np.cumsum/np.cumprod(dtype=), np.trapezoid / np.trapz --------------

@ember.jit
def diff_ends(a, p, q):
    return (np.diff(a, prepend=p), np.diff(a, append=q), np.diff(a, 2, prepend=p, append=q),
            np.diff(a, axis=0, prepend=p))


@ember.jit
def cum_dtype(a):
    return (np.cumsum(a, dtype=np.float64), np.cumprod(a, dtype=np.int64), a.cumsum(dtype=np.float32),
            np.cumsum(a, axis=0, dtype=np.complex128))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int32, np.uint16, np.float32, np.float64])
def test_diff_ends_cum_dtype(dtype):
    rng = np.random.default_rng(23)
    for shape in [(1,), (6,), (3, 4)]:
        for a in layouts((rng.standard_normal(shape) * 4).astype(dtype)):
            check(cum_dtype, a)
            for p, q in [(0, 1.5), (dtype(2), dtype(3)), (np.ones(shape, dtype), rng.standard_normal(shape))]:
                check(diff_ends, a, p, q)


@ember.jit
def trap(y, x, dx):
    return np.trapezoid(y), np.trapezoid(y, x), np.trapezoid(y, dx=dx), np.trapezoid(y, axis=-1)


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64])
def test_trapezoid(dtype):
    rng = np.random.default_rng(29)
    for shape in [(2,), (9,), (3, 7)]:
        for y in layouts((rng.standard_normal(shape) * 3).astype(dtype)):
            check(trap, y, np.cumsum(rng.random(shape[-1:])), 0.25)
            check(trap, y, np.cumsum(rng.random(shape), axis=-1), 2)


@pytest.mark.skipif(not hasattr(np, "trapz"), reason="this NumPy has no np.trapz (removed in 2.4)")
def test_trapz():
    @ember.jit
    def f(y, x):
        return np.trapz(y, x)
    rng = np.random.default_rng(31)
    check(f, rng.standard_normal(8), np.cumsum(rng.random(8)))


# -- a.real = v, a.imag = v, a.imag += v (NumPy's a.real[...] = v) ----------------------------------

@ember.jit
def set_parts(z, v, w):
    z.real = v
    z.imag += w
    return z


@ember.jit
def set_real_of_real(x, v):
    x.real = v
    return x


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_set_parts(dtype):
    rng = np.random.default_rng(37)
    for shape in [(5,), (3, 4)]:
        for z in layouts(sample(dtype, shape, seed=8)):
            if z.flags.writeable:
                check(set_parts, z, 1.5, 2.0)
                check(set_parts, z, rng.standard_normal(shape[-1:]), rng.standard_normal(shape))
    check(set_real_of_real, np.arange(4.0), 2.5)


def test_other_attribute_assignment_refused():
    @ember.jit
    def f(x):
        x.shape = (2, 2)
    with pytest.raises(ember.UnsupportedError, match="attribute assignments"):
        f(np.arange(4.0))
