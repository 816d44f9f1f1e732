"""np.conj / np.conjugate (elementwise, fused, each dtype kept), a.conj(),
np.take of the flattened array, np.isin, np.kron and np.vander, each against
NumPy on generated inputs."""
import numpy as np
import pytest

import ember
from helpers import check

DTYPES = [np.bool_, np.int8, np.int32, np.int64, np.uint16, np.float32, np.float64, np.complex64, np.complex128]


def sample(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * 4
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    if dtype is np.bool_:
        return x > 0
    return x.astype(dtype)


def same(got, want, exact=True):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got, want)
    if exact:
        assert got.tobytes() == want.tobytes(), (got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=4e-16, atol=0)


@ember.jit
def conj3(a):
    return np.conj(a), np.conjugate(a * 2), a.conj() + a.conjugate()


@pytest.mark.parametrize("dtype", DTYPES)
def test_conj(dtype):
    if dtype is np.bool_:
        a = sample(dtype, (3, 4), 1)
        for g, w in zip(conj3(a)[:2], (np.conj(a), np.conjugate(a * 2))):
            same(g, w)
        return
    for shape in [(0,), (5,), (3, 4)]:
        a = sample(dtype, shape, 2)
        for g, w in zip(conj3(a), (np.conj(a), np.conjugate(a * 2), a.conj() + a.conjugate())):
            same(g, w)
    b = sample(dtype, (6, 5), 3)[::2, ::-2]
    for g, w in zip(conj3(b), (np.conj(b), np.conjugate(b * 2), b.conj() + b.conjugate())):
        same(g, w)


@ember.jit
def take(a, i):
    return np.take(a, i)


@ember.jit
def take_m(a, i):
    return a.take(i)


@pytest.mark.parametrize("dtype", [np.int16, np.float64, np.complex128])
def test_take(dtype):
    a = sample(dtype, (4, 5), 4)
    rng = np.random.default_rng(5)
    v = a[:, ::2]
    for idx in (rng.integers(-12, 12, 7), rng.integers(-12, 12, (2, 3)), np.int64(-3), 7, np.array([], np.int64)):
        same(take(a, idx), np.take(a, idx))
        same(take_m(v, idx), v.take(idx))
    check(take, np.take, a, np.array([20]))      # IndexError, NumPy's text
    check(take, np.take, a, -21)


@ember.jit
def isin(e, t):
    return np.isin(e, t), np.isin(e, t, invert=True)


def test_isin():
    rng = np.random.default_rng(6)
    for e, t in ((rng.integers(0, 10, 20), rng.integers(0, 10, 5)), (rng.integers(0, 10, (3, 4)), np.arange(3)),
                 (np.array([1.0, np.nan, 2.0, -0.0]), np.array([np.nan, 2.0, 0.0])),
                 (rng.integers(0, 5, 6).astype(np.float32), rng.integers(0, 5, 4)), (np.arange(4), np.array([], np.int64))):
        g = isin(e, t)
        same(g[0], np.isin(e, t))
        same(g[1], np.isin(e, t, invert=True))


@ember.jit
def kron(a, b):
    return np.kron(a, b)


@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (3, 2)), ((2, 2), (3,)), ((3,), (2, 2)), ((0,), (3,))])
@pytest.mark.parametrize("da,db", [(np.float64, np.float64), (np.int32, np.float32), (np.int64, np.int8),
                                   (np.bool_, np.bool_), (np.complex128, np.float64)])
def test_kron(sa, sb, da, db):
    a, b = sample(da, sa, 7), sample(db, sb, 8)
    same(kron(a, b), np.kron(a, b))


@ember.jit
def vander(x, n, inc):
    return np.vander(x, n, increasing=inc)


@ember.jit
def vander1(x):
    return np.vander(x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.uint8, np.bool_, np.complex128])
def test_vander(dtype):
    x = sample(dtype, (5,), 9)
    exact = dtype is not np.complex128   # NumPy multiplies complex numbers with FMA (SIMD loops): last bits
    for n in (0, 1, 3, 6):
        for inc in (False, True):
            same(vander(x, n, inc), np.vander(x, n, increasing=inc), exact)
    same(vander1(x), np.vander(x), exact)
