"""`...` in array indices (a[..., k], a[k, ...], a[...] = v, a[..., None]),
compiled against NumPy on arrays of 1 to 4 dimensions in C, Fortran and
strided layouts: the same views (shape, values, writes through them) and
NumPy's errors (two ellipses, too many indices) at compile time."""
import numpy as np
import pytest

import ember

INDEXES = ["a[...]", "a[..., 0]", "a[..., -1]", "a[0, ...]", "a[-1, ...]", "a[..., 1:]", "a[::2, ...]",
           "a[..., None]", "a[None, ...]", "a[0, ..., 1]", "a[..., ::-1]", "a[1:, ..., 0]"]


def arrays(nd, rng):
    shape = (3, 4, 5, 2)[:nd]
    x = rng.standard_normal(shape)
    return [x, np.asfortranarray(x), x[::-1] if nd else x]


@pytest.mark.parametrize("src", INDEXES)
@pytest.mark.parametrize("nd", [1, 2, 3, 4])
def test_read(src, nd):
    rng = np.random.default_rng(nd)
    ns = {}
    exec(f"def f(a):\n    return {src}\n", ns)
    f = ns["f"]
    for a in arrays(nd, rng):
        try:
            want = f(a)
        except IndexError:
            with pytest.raises((ember.TypingError, IndexError)):
                ember.jit(f)(a)
            continue
        got = ember.jit(f)(a)
        assert np.shape(got) == np.shape(want) and np.array_equal(got, want)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_write(nd):
    rng = np.random.default_rng(10 + nd)

    def f(a, v):
        a[...] = v
        a[..., 0] = 2 * v
        a[0, ...] += 1.0
        b = a[..., -1]
        b[...] = -v
        return a
    for a in arrays(nd, rng):
        got, want = ember.jit(f)(a.copy(), 0.5), f(a.copy(), 0.5)
        assert np.array_equal(got, want)


def test_errors():
    a = np.zeros((2, 3))
    with pytest.raises(ember.TypingError, match="single ellipsis"):
        ember.jit(lambda a: a[..., ...])(a)
    with pytest.raises(ember.TypingError, match="too many indices"):
        ember.jit(lambda a: a[..., 0, 0, 0])(a)
