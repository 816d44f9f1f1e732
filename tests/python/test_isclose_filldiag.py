"""math.isclose (with its keyword tolerances) and np.fill_diagonal in compiled
code, against CPython and NumPy on generated values and shapes."""
import math

import numpy as np
import pytest

import ember

VALUES = [0.0, -0.0, 1.0, 1.0000000001, 1.001, 1.4, 2, 3, math.inf, -math.inf, math.nan, 1e300, 1e-300, 0.3, -7]


def isclose4(a, b):
    return (math.isclose(a, b), math.isclose(a, b, rel_tol=1e-3), math.isclose(a, b, abs_tol=0.5),
            math.isclose(a, b, rel_tol=0.1, abs_tol=0.01))


def test_isclose_against_cpython():
    f = ember.jit(isclose4)
    rng = np.random.default_rng(5)
    pairs = [(a, b) for a in VALUES for b in VALUES]
    pairs += [(x, x * (1 + d)) for x, d in zip(rng.standard_normal(200) * 10, rng.standard_normal(200) * 1e-3)]
    for a, b in pairs:
        assert f(a, b) == isclose4(a, b), (a, b)


def test_isclose_errors():
    with pytest.raises(ValueError, match="tolerances must be non-negative"):
        ember.jit(lambda a: math.isclose(a, 1.0, rel_tol=-1.0))(1.0)
    with pytest.raises(ValueError):
        ember.jit(lambda a: math.isclose(a, 1.0, abs_tol=-1e-9))(1.0)


def fill(a, v, w):
    np.fill_diagonal(a, v, w)
    return a


@pytest.mark.parametrize("shape", [(4, 4), (6, 3), (3, 6), (3, 3, 3), (2, 2, 2, 2), (1, 1), (7, 2), (0, 0)])
@pytest.mark.parametrize("wrap", [False, True])
def test_fill_diagonal(shape, wrap):
    f = ember.jit(fill)
    for dtype in (np.float64, np.int32):
        for v in (5.0, np.array([1.0, 2.0, 3.0]), 3, np.arange(4).reshape(2, 2)):
            x = np.zeros(shape, dtype)
            got, want = f(x.copy(), v, wrap), fill(x.copy(), v, wrap)
            assert got.dtype == want.dtype and np.array_equal(got, want)
    x = np.zeros((7, 7))[::2, 1::2]      # a strided 2-D view is written through
    got, want = f(x.copy(), 9.0, wrap), fill(x.copy(), 9.0, wrap)
    assert np.array_equal(got, want)


def test_fill_diagonal_errors():
    f = ember.jit(fill)
    with pytest.raises(ValueError, match="at least 2-d"):
        f(np.zeros(3), 1.0, False)
    with pytest.raises(ValueError, match="equal length"):
        f(np.zeros((2, 3, 2)), 1.0, False)
