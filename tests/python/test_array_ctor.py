"""np.array and np.asarray in compiled code (issue 3): of numbers, NumPy
scalars, arrays and (nested) tuples and list displays of them, with NumPy's
shape, its dtype (each number's own dtype promoted: int64 for a Python int,
float64 for a float, np.array([np.float32(1), 2.0]) is float64), the dtype=
keyword (a dtype or its name), NumPy's ValueError for ragged nesting; and
np.array(arr) copying where np.asarray(arr) does not.  Compared against the
interpreter with NumPy on generated values."""
import random

import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, check, sample

SCALARS = [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.uint32, np.int64, np.uint64,
           np.float32, np.float64, np.complex64, np.complex128]


def _number(rng):
    """A Python bool, int, float or complex, or a NumPy scalar, with edge values."""
    k = rng.randrange(5)
    if k == 0:
        return rng.random() < 0.5
    if k == 1:
        return rng.choice([0, 1, -1, 127, 255, -2**31, 2**40]) if rng.random() < 0.3 else rng.randint(-999, 999)
    if k == 2:
        return rng.choice([0.0, -0.0, 1.5, float("inf"), float("nan")]) if rng.random() < 0.3 else rng.uniform(-1e6, 1e6)
    if k == 3:
        return complex(rng.uniform(-9, 9), rng.uniform(-9, 9))
    t = rng.choice(SCALARS)
    v = rng.randint(0, 100) if t is not np.bool_ else rng.random() < 0.5
    return t(v)


@ember.jit
def flat3(a, b, c):
    return np.array([a, b, c])


@ember.jit
def flat3_tuple(a, b, c):
    return np.array((a, b, c)), np.asarray((a, b, c))


@ember.jit
def nested(a, b, c, d):
    return np.array([[a, b], [c, d]]), np.array(((a, b, c), (d, c, b)))


@ember.jit
def deep(a, b):
    return np.array([[[a, b], [b, a]], [[a, a], [b, b]]])


@ember.jit
def consts():
    return (np.array([1.0, 2.0, 3.0]), np.array([[1, 2], [3, 4]]), np.array([True, False]),
            np.array([1, 2.5]), np.array([1 + 2j, 3]), np.array(()), np.array(((), ())), np.array(7),
            np.array([np.float32(1), 2.0]), np.array([np.int8(1), 1]))


@ember.jit
def of_tuple(t):
    return np.array(t)


@ember.jit
def with_dtype(a, b):
    return (np.array([a, b], dtype=np.float32), np.array([a, b], dtype="int16"), np.array([a, b], "f8"),
            np.asarray((a, b), dtype=np.complex64))


@ember.jit
def of_arrays(x, y):
    return np.array([x, y]), np.array((x, y, x)), np.asarray([x, x])


@ember.jit
def mixed_rows(x, a, b):
    return np.array([x, (a, b)])


@ember.jit
def copies(x):
    y = np.array(x)
    z = np.asarray(x)
    y[0] = 100
    z[1] = 200           # writes into x, as NumPy's asarray returns x itself
    return y, z


@ember.jit
def with_dtype_array(x):
    return np.array(x, dtype=np.float32), np.asarray(x, "f8"), np.array(x, np.complex128)


@ember.jit
def ragged(a, b, c):
    return np.array([[a, b], [c]])


@ember.jit
def ragged_deep(a, b):
    return np.array([[a, b], a])


@ember.jit
def ragged_arrays(x, y):
    return np.array([x, y])


@ember.jit
def shapes_from_lists(n, m):
    return np.zeros([n, m]), np.ones([n], "int32"), np.empty([m, n, 2]).shape, np.full([2, n], 1.5)


def test_flat_numbers():
    rng = random.Random(10)
    for _ in range(60):
        a, b, c = _number(rng), _number(rng), _number(rng)
        check(flat3, a, b, c)
        check(flat3_tuple, a, b, c)


def test_nested_numbers():
    rng = random.Random(11)
    for _ in range(15):
        check(nested, *[_number(rng) for _ in range(4)])
        check(deep, _number(rng), _number(rng))


def test_constants_and_tuples():
    check(consts)
    rng = random.Random(12)
    for n in range(5):
        check(of_tuple, tuple(_number(rng) for _ in range(n)))
    check(of_tuple, ((1, 2.5), (3, 4)))
    check(of_tuple, ((True, 2), (np.int8(3), 4)))


def test_dtype_keyword():
    rng = random.Random(13)
    for _ in range(40):
        a, b = rng.randint(-1000, 1000), rng.choice([True, 3, 7.0, -2.0, np.int8(5), np.float32(1.5)])
        check(with_dtype, a, b)


@pytest.mark.parametrize("dtype", DTYPES)
def test_arrays_as_items(dtype):
    for shape in [(0,), (3,), (2, 3)]:
        x, y = sample(dtype, shape, 1), sample(dtype, shape, 2)
        check(of_arrays, x, y)
        check(copies, x) if shape != (0,) and x.ndim == 1 and x.shape[0] > 1 else None
        check(with_dtype_array, x) if np.dtype(dtype).kind != "c" else None
    check(of_arrays, sample(dtype, (3,), 3), sample(np.float32, (3,), 4))    # promoted
    check(mixed_rows, sample(dtype, (2,), 5), 1, 2.5)


def test_ragged():
    check(ragged, 1, 2, 3)
    check(ragged_deep, 1.0, 2.0)
    check(ragged_arrays, np.arange(3.0), np.arange(4.0))
    check(ragged_arrays, np.arange(3.0), np.arange(3.0))


def test_list_shapes():
    for n, m in [(0, 0), (1, 3), (4, 2)]:
        check(shapes_from_lists, n, m)
