"""Bounds checks that passes/bounds.c proves cannot fail are dropped; the
ones that can fail must still raise NumPy's IndexError at the same item,
with the arrays written up to it.  Each kernel runs compiled and in the
interpreter on arrays of several lengths (0 to 9, and longer), and the
outcomes (result or exception type and text, and the arrays afterwards)
must be equal.
"""
import numpy as np
import pytest

import ember
from arrhelpers import outcome

SRC = '''
def stencil(a, out):
    for i in range(1, a.shape[0] - 1):
        out[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0
    return out

def stencil_len(a, out):
    n = len(a)
    for i in range(1, n - 1):
        out[i] = a[i + 1] - a[i - 1]
    return out

def over_right(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] + a[i + 1]       # a[n] at the last item
    return out

def over_left(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i - 1]              # a[-1] first: wraps, as Python does
    return out

def wrap_far(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i - 3]              # -3 wraps while n >= 3
    return out

def tri(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(i):
            s += a[j] * a[j + 1]
    return s

def tri_over(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(i + 1):
            s += a[j + 1]              # a[n] when i = n - 1
    return s

def grid(g, out):
    n, m = g.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = g[i - 1, j] + g[i + 1, j] + g[i, j - 1] + g[i, j + 1] - 4.0 * g[i, j]
    return out

def grid_swapped(g, out):
    n, m = g.shape
    for i in range(1, m - 1):          # the other axis's extent
        for j in range(1, n - 1):
            out[i, j] = g[i + 1, j] - g[i, j - 1]
    return out

def other_array(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += b[i]                      # b may be shorter
    return s

def step2(a):
    s = 0.0
    for i in range(0, a.shape[0], 2):
        s += a[i] + a[i + 1]           # a[n] for odd n
    return s

def backwards(a, out):
    for i in range(a.shape[0] - 1, 0, -1):
        out[i] = a[i] - a[i - 1]
    return out

def start_offset(a, k):
    s = 0.0
    for i in range(k, a.shape[0]):
        s += a[i - 2]                  # negative wraps while k < 2
    return s
'''

NS = {}
exec(compile(SRC, "bounds_kernels", "exec"), NS)
PY = {k: v for k, v in NS.items() if callable(v)}
JIT = {k: ember.jit(v) for k, v in PY.items()}


def check(name, *args):
    got, want = outcome(JIT[name], args), outcome(PY[name], args)
    assert got[0] == want[0], (name, got, want)
    if got[0] == "raise":
        assert got[1] is want[1] and got[2] == want[2], (name, got[1:3], want[1:3])
    elif isinstance(want[1], np.ndarray):
        np.testing.assert_array_equal(got[1], want[1])
    else:   # a Python float comes back for NumPy's float64 (Ember's documented rule)
        assert isinstance(got[1], float) and isinstance(want[1], float) and got[1] == want[1], (name, got[1], want[1])
    for x, y in zip(got[-1], want[-1]):
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y)


LENGTHS = [0, 1, 2, 3, 4, 5, 8, 9, 33]


@pytest.mark.parametrize("n", LENGTHS)
def test_one_dimension(n):
    a = np.random.default_rng(n).random(n)
    for name in ("stencil", "stencil_len", "over_right", "over_left", "wrap_far", "backwards"):
        check(name, a, np.zeros(n))
    for name in ("tri", "tri_over", "step2"):
        check(name, a)
    for m in (0, n // 2, n, n + 1):
        check("other_array", a, np.arange(m, dtype=np.float64))
    for k in (0, 1, 2, 3):
        check("start_offset", a, k)


@pytest.mark.parametrize("shape", [(0, 0), (1, 1), (2, 3), (3, 3), (4, 6), (7, 5)])
def test_two_dimensions(shape):
    g = np.random.default_rng(sum(shape)).random(shape)
    check("grid", g, np.zeros(shape))
    check("grid", np.asfortranarray(g), np.zeros(shape))
    check("grid_swapped", g, np.zeros(shape[::-1] if shape[0] != shape[1] else shape))
    check("grid_swapped", g, np.zeros((max(shape), max(shape))))


def test_views():
    a = np.random.default_rng(3).random(20)
    check("stencil", a[::3], np.zeros(7))
    check("stencil", a[::-1], np.zeros(20))
    check("over_right", a[2:9], np.zeros(7))
    check("tri_over", a[::2])


def test_checks_left_where_they_can_fail():
    """The proof drops only what cannot fail: the error of the last item stays."""
    a = np.arange(5.0)
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 5"):
        JIT["over_right"](a, np.zeros(5))
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 5"):
        JIT["tri_over"](a)
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        JIT["other_array"](a, np.zeros(3))
