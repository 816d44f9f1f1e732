"""Fused trees check their leaves' shapes once; when they do not broadcast, the
error names the first operation that fails, with its operands' shapes, as
NumPy's evaluation of the same expression does.  And sums of float64 and
float32 go through the runtime's pairwise sum: bit-equal to NumPy's for every
length, stride and sign of stride."""
import itertools

import numpy as np
import pytest

import ember

EXPRS = ["a * b + c", "np.exp(a) - b * c", "(a + b) * (b + c)", "np.where(a > 0, b, c)",
         "np.where(a > 0, b, 1.0) + c", "a + (b * 2.0 + c).sum()", "np.clip(a, b, c)", "a * a + b",
         "(a - b) / (a + c)", "np.maximum(a, b) + np.minimum(b, c) * a", "((a + 1.0) * (b - 1.0)).sum() + c",
         "np.sqrt(a * a + b * b) - c * (a + b + c)"]
SHAPES = [(3,), (4,), (1,), (2, 3), (2, 1), (0,), (5, 1, 3)]


def compile_expr(src):
    ns = {"np": np}
    exec(f"def f(a, b, c):\n    return {src}\n", ns)
    return ns["f"], ember.jit(ns["f"])


def outcome(f, *args):
    try:
        with np.errstate(all="ignore"):
            return "ok", f(*args)
    except Exception as e:   # the type and text are compared
        return type(e).__name__, str(e)


@pytest.mark.parametrize("src", EXPRS)
def test_broadcast_errors_name_the_failing_operation(src):
    py, jf = compile_expr(src)
    for sa, sb, sc in itertools.product(SHAPES, repeat=3):
        args = (np.linspace(-1.0, 1.0, int(np.prod(sa))).reshape(sa), np.full(sb, 2.0), np.full(sc, 3.0))
        want, got = outcome(py, *args), outcome(jf, *args)
        assert want[0] == got[0], (src, sa, sb, sc, want, got)
        if want[0] == "ok":
            np.testing.assert_allclose(got[1], want[1], rtol=1e-14, atol=0)
        else:
            assert got[1] == want[1], (src, sa, sb, sc)


@ember.jit
def total(a):
    return a.sum()


@ember.jit
def fused_total(a, b):
    return (a * b + 1.0).sum()


# NumPy before 2.3 sums more than 8192 items (strided, or computed) in buffers of
# 8192 (Ember sums as NumPy 2.3+ does: README, "Noticed")
NP_BUFFERED = tuple(int(p) for p in np.__version__.split(".")[:2]) < (2, 3)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pairwise_sums_bit_equal(dtype):
    rng = np.random.default_rng(7)
    for n in list(range(0, 40)) + [127, 128, 129, 255, 256, 1000, 1023, 1024, 1025, 4097, 10001]:
        base = (rng.standard_normal(3 * n + 3) * 10.0 ** rng.integers(-3, 4, 3 * n + 3)).astype(dtype)
        for view in (base[:n], base[::3][:n], base[::-2][:n], base[n:0:-1][:n]):
            if NP_BUFFERED and n > 8192:
                continue
            got, want = total(view), np.sum(view)
            assert np.asarray(got, dtype).tobytes() == np.asarray(want).tobytes(), (n, view.strides)
            b = np.ones_like(view)
            got = fused_total(view, b)
            want = np.sum(view * b + dtype(1.0))
            assert np.asarray(got, dtype).tobytes() == np.asarray(want).tobytes(), (n, view.strides)


def test_pairwise_signed_zero_and_nonfinite():
    for vals in ([-0.0], [-0.0, -0.0], [-0.0] * 9, [np.inf, -np.inf], [np.nan, 1.0], [1e308, 1e308] * 70):
        for dtype in (np.float64, np.float32):
            with np.errstate(all="ignore"):
                a = np.array(vals, dtype)
                want = np.sum(a)
            got = total(a)
            assert np.asarray(got, dtype).tobytes() == np.asarray(want).tobytes(), vals


@ember.jit
def bsum(a, b):
    return a + b


@ember.jit
def bwhere(c, a, b):
    return np.where(c, a, b)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.int32, np.int64, np.float32, np.float64,
                                   np.complex64, np.complex128])
def test_broadcast_copies_of_every_item_size(dtype):
    """Operands that are not C-contiguous of the result's shape are broadcast into a
    copy by the runtime's ember_rt_bcast_copy: every item size, views with negative
    and zero strides, 0-d and empty operands."""
    rng = np.random.default_rng(3)
    base = (rng.integers(0, 5, (6, 8, 5)) * (1 if dtype is not np.bool_ else 0) + 1).astype(dtype)
    views = [base[:, 0, :1], base[::-2, 2, ::2], base[0, :, 1:2], base[1, 1, :], base[2], base[::3, ::-4, 0:1],
             base[0, 0, 0:0], np.broadcast_to(base[0, 0, :1], (3, 5)), np.asarray(base[0, 0, 0])]
    for x in views:
        for y in views:
            try:
                want = x + y
            except ValueError:
                continue
            got = np.asarray(bsum(x, y))
            assert got.shape == want.shape and (got.dtype == want.dtype or not want.ndim)
            assert np.array_equal(got, want), (x.shape, x.strides, y.shape, y.strides)
            cond = (np.arange(want.size).reshape(want.shape) % 3 == 0)
            assert np.array_equal(bwhere(cond, x, y), np.where(cond, x, y))
