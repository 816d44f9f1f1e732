"""Indexing with one array (jit/ember/_lib_shape.py): x[mask] and x[idx], the
stores x[mask] = v and x[idx] = v, and x[idx] += v, compiled and compared with
NumPy itself (values, dtypes, shapes, the argument arrays afterwards, the
exception type) on generated inputs of every dtype and layout."""
import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, check, layouts, sample

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")   # NumPy warns of overflow and NaN
RNG = np.random.default_rng(11)


@ember.jit
def get(x, i):
    return x[i]


@ember.jit
def put(x, i, v):
    x[i] = v
    return x


@ember.jit
def iadd(x, i, v):
    x[i] += v
    return x


def writable(arrays):
    return [a for a in arrays if a.flags.writeable]


@pytest.mark.parametrize("dtype", DTYPES)
def test_mask_get_dtypes(dtype):
    x = sample(dtype, (3, 5), seed=1)
    for a in layouts(x):
        for m in (RNG.random(a.shape) < 0.5, np.zeros(a.shape, bool), np.ones(a.shape, bool)):
            check(get, a, m)


@pytest.mark.parametrize("shape", [(0,), (7,), (2, 3, 4), (1, 0)])
def test_mask_get_shapes(shape):
    x = sample(np.float64, shape, seed=2)
    for a in layouts(x):
        for m in layouts(RNG.random(shape) < 0.5):    # the mask's layout varies too
            check(get, a, m)


def test_mask_zero_d():
    for m in (np.array(True), np.array(False)):
        check(get, np.array(2.5), m)
        check(put, np.array(2.5), m, 7.0)
        check(put, np.array(2.5), m, np.ones(1))


def test_mask_get_expression():
    @ember.jit
    def f(x, lo):
        return x[(x > lo) & (x < 2 * lo)].sum() + x[x != x].size

    for a in layouts(RNG.standard_normal((4, 6))):
        check(f, a, 0.5)


def test_mask_get_errors():
    check(get, np.arange(5), np.ones(4, bool))          # IndexError: the mask's extent differs
    check(get, np.arange(6).reshape(2, 3), np.ones((2, 2), bool))
    with pytest.raises(ember.TypingError, match="too many indices"):
        get(np.arange(5), np.ones((5, 1), bool))


@pytest.mark.parametrize("dtype", DTYPES)
def test_mask_put_dtypes(dtype):
    x = sample(dtype, (4, 3), seed=3)
    v = sample(dtype, (12,), seed=4)
    for a in writable(layouts(x)):
        m = RNG.random(a.shape) < 0.5
        check(put, a, m, v[0])                           # a scalar of the dtype
        check(put, a, m, v[:int(m.sum())])                # one value per true item
        check(put, a, m, v[:1])                          # one value broadcasts
        check(put, a, m, v[:12][::-1][:int(m.sum())])     # a reversed view


def test_mask_put_mixed():
    x = np.arange(10, dtype=np.int32)
    check(put, x, x > 3, 2.7)                            # a float into int32: truncated as NumPy casts
    check(put, x, x > 3, np.linspace(-3, 3, 6))          # float64 values into int32
    check(put, np.linspace(0, 1, 10), x > 3, x[:6])      # int32 into float64
    check(put, x.astype(np.float32), x % 2 == 0, np.float64(1e300))   # inf in float32
    check(put, np.zeros((3, 4)), np.ones((3, 4), bool), np.arange(12.))


def test_mask_put_errors():
    x = np.arange(6.)
    check(put, x, x > 2, np.ones(2))                     # ValueError: 3 true items, 2 values
    check(put, x, x > 2, np.ones(0))
    check(put, x, np.ones(5, bool), 1.0)                 # IndexError: the mask's extent differs
    ro = np.arange(3.)
    ro.flags.writeable = False
    with pytest.raises(ember.TypingError, match="read-only"):
        put(ro, ro > 1, 0.0)


def test_mask_put_overlap():
    @ember.jit
    def f(x):
        x[x > 1] = x[:8]       # the values share x's memory: read before any store, as NumPy
        return x

    check(f, np.arange(10.))


def test_mask_iadd():
    for a in writable(layouts(RNG.standard_normal((3, 4)))):
        check(iadd, a, a > 0, 1.5)
        check(iadd, a, a < 0, np.arange(int((a < 0).sum()), dtype=np.float32))


@pytest.mark.parametrize("dtype", DTYPES)
def test_take_get_dtypes(dtype):
    x = sample(dtype, (9,), seed=5)
    idx = RNG.integers(-9, 9, 12)
    for a in layouts(x):
        check(get, a, idx)
    check(get, x, idx.astype(np.int8))
    check(get, x, np.abs(idx).astype(np.uint16))


def test_take_get_shapes():
    x = np.arange(24.).reshape(4, 6)
    for a in layouts(x):
        check(get, a, np.array([3, -1, 0, 0]))           # rows
        check(get, a, np.zeros(0, np.int64))             # no rows: shape (0, 6)
        check(get, a, np.array([[1, 2], [-4, 3]]))       # a 2-D index: shape (2, 2, 6)
        check(get, a, np.array(2))                       # a 0-d index: a row, as an int
    check(get, np.arange(5), np.array(-2))
    for idx in layouts(np.array([[0, 4], [2, -5]])):
        check(get, np.arange(5.), idx)


def test_take_get_errors():
    x = np.arange(5.)
    check(get, x, np.array([0, 5]))                      # IndexError "index 5 is out of bounds ..."
    check(get, x, np.array([-6]))
    check(get, np.arange(6.).reshape(3, 2), np.array([3]))
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 5"):
        get(x, np.array([1, 5]))
    with pytest.raises(ember.TypingError, match="integer .or boolean. type"):
        get(x, np.array([1.0]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_take_put_dtypes(dtype):
    x = sample(dtype, (8,), seed=6)
    v = sample(dtype, (5,), seed=7)
    idx = RNG.integers(-8, 8, 5)
    for a in writable(layouts(x)):
        check(put, a, idx, v[0])
        check(put, a, idx, v)
        check(put, a, idx, v[:1])
        check(put, a, idx[::-1].astype(np.int16), v[::-1])


def test_take_put_rows_and_broadcast():
    x = np.zeros((4, 3))
    for a in writable(layouts(x)):
        check(put, a, np.array([2, 0]), 7.0)
        check(put, a, np.array([2, 0]), np.array([1.0, 2.0, 3.0]))          # each row
        check(put, a, np.array([2, 0]), np.arange(6.).reshape(2, 3))
        check(put, a, np.array([2, 0]), np.arange(2.).reshape(2, 1))
        check(put, a, np.array([[1], [3]]), np.arange(3, dtype=np.int8))
    check(put, np.arange(5), np.array([1, 3]), np.array([2.9, -1.5]))       # float into int
    check(put, np.arange(5.), np.array([1, 3]), np.arange(3.))              # ValueError: shapes
    check(put, np.zeros((4, 3)), np.array([2, 0]), np.arange(4.))
    check(put, np.arange(5.), np.array([1, 7]), 0.0)                        # IndexError


def test_take_put_repeated_and_overlap():
    check(put, np.arange(6.), np.array([1, 1, 4, 1]), np.array([10., 20., 30., 40.]))   # the last write
    check(iadd, np.arange(6), np.array([0, 0, 5, -1]), 10)     # no accumulation, as NumPy
    check(iadd, np.arange(6.), np.array([2, 2]), np.array([1., 5.]))

    @ember.jit
    def f(x):
        x[np.arange(x.shape[0])] = x[::-1]
        return x

    check(f, np.arange(7.))
