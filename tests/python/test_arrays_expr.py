"""Whole-array expressions (issue 4, first step): operators with an array
operand and NumPy's elementwise functions of arrays, compiled as loops of
jit/ember/_lib.py, against NumPy itself (py_func run by the interpreter):
dtypes (NEP 50 result types), layouts, broadcasting, scalars on either
side, and random shapes and values from hypothesis.

Arithmetic matches NumPy exactly.  The transcendental functions use libm
(or libmvec) where NumPy uses its own SIMD loops: they are compared within a
few ulp."""
import math
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import check, layouts, same, sample

try:
    from hypothesis import given, settings, strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError:  # pragma: no cover
    given = None

warnings.filterwarnings("ignore", category=RuntimeWarning)


@ember.jit
def add(a, b):
    return a + b


@ember.jit
def sub(a, b):
    return a - b


@ember.jit
def mul(a, b):
    return a * b


@ember.jit
def tdiv(a, b):
    return a / b


@ember.jit
def fdiv(a, b):
    return a // b


@ember.jit
def mod(a, b):
    return a % b


@ember.jit
def pow_(a, b):
    return a ** b


@ember.jit
def compares(a, b):
    return a < b, a <= b, a > b, a >= b, a == b, a != b


@ember.jit
def neg(a):
    return -a


@ember.jit
def bitops(a, b):
    return a & b, a | b, a ^ b


ARITH = [add, sub, mul, tdiv, fdiv, mod]
NUM = [np.int32, np.int64, np.float32, np.float64]


def ck(f, *args):
    with np.errstate(all="ignore"):
        return check(f, *args)


@pytest.mark.parametrize("f", ARITH, ids=lambda f: f.__name__)
@pytest.mark.parametrize("da", NUM + [np.bool_])
@pytest.mark.parametrize("db", NUM)
def test_arith_dtypes(f, da, db):
    a = sample(da, (7,), 1)
    b = sample(db, (7,), 2)
    if np.dtype(db).kind in "iu":
        b[1] = 0
    ck(f, a, b)
    ck(f, b, a)


def cclose(f, *args):
    """Complex * and /: NumPy's loops (SIMD, Smith's division) and Ember's (CPython's formulas,
    compiled with LLVM) may differ in the last bit."""
    got, want = f(*args), f.py_func(*args)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=4e-16, atol=0)


@pytest.mark.parametrize("f", [add, sub, mul, tdiv], ids=lambda f: f.__name__)
def test_complex(f):
    a = sample(np.complex128, (5,), 1)
    b = sample(np.complex128, (5,), 2)
    c = ck if f in (add, sub) else cclose
    c(f, a, b)
    c(f, a, 2.5)
    c(f, 3, a)
    d = sample(np.float32, (5,), 3)
    d[d == 0] = 1.5          # a complex division by zero raises ZeroDivisionError (NumPy: inf, nan)
    c(f, a, d)


@pytest.mark.parametrize("f", ARITH + [pow_], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dt", NUM)
@pytest.mark.parametrize("s", [0, 3, -2, 2.5, -0.0, 0.0])
def test_scalar_sides(f, dt, s):
    a = sample(dt, (2, 3), 4)
    if f is pow_:
        if np.dtype(dt).kind in "iu":
            a = np.arange(6, dtype=dt).reshape(2, 3)
            if isinstance(s, int) and s < 0:
                return
        ck(f, a, s)
        return
    ck(f, a, s)
    ck(f, s, a)


def test_float_division_by_zero():
    a = np.array([1.0, -1.0, 0.0, np.nan, np.inf, -0.0])
    for b in (0.0, -0.0):
        ck(tdiv, a, b)
        ck(fdiv, a, b)
        ck(mod, a, b)
    ck(tdiv, a, np.zeros(6))
    ck(fdiv, a, -np.zeros(6))
    i = np.array([5, -5, 0, 7], dtype=np.int64)
    ck(fdiv, i, np.zeros(4, np.int64))
    ck(mod, i, 0)
    ck(tdiv, i, 0)


def test_int_wraps():
    a = np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min, 5], dtype=np.int64)
    ck(add, a, 1)
    ck(mul, a, a)
    ck(neg, a)
    b = np.array([2**31 - 1, -2**31], dtype=np.int32)
    ck(add, b, b)


@pytest.mark.parametrize("da", [np.int64, np.float32, np.float64, np.bool_])
@pytest.mark.parametrize("db", [np.int64, np.float32, np.float64])
def test_compare(da, db):
    ck(compares, sample(da, (6,), 1), sample(db, (6,), 2))
    ck(compares, sample(da, (6,), 1), 0.5)
    ck(compares, 0, sample(db, (6,), 2))


def test_bool_and_bits():
    a, b = sample(np.bool_, (9,), 1), sample(np.bool_, (9,), 2)
    ck(add, a, b)
    ck(mul, a, b)
    ck(bitops, a, b)
    ck(bitops, sample(np.int64, (9,), 1), sample(np.int64, (9,), 2))
    with pytest.raises((TypeError, ember.TypingError)):
        sub(a, b)


@pytest.mark.parametrize("dt", NUM + [np.complex128])
def test_layouts(dt):
    x = sample(dt, (3, 4), 5)
    y = sample(dt, (3, 4), 6)
    for a in layouts(x):
        for b in layouts(y):
            ck(add, a, b)
            ck(mul, a, 2)
        ck(neg, a)
    r = sample(dt, (9,), 7)
    ck(sub, r[::-1], r[::2][:9] if r[::2].shape[0] >= 9 else r)
    ck(sub, r[::-2], r[1::2])
    ck(add, np.zeros((0,), dt), np.zeros((0,), dt))
    ck(add, np.zeros((0, 3), dt), 1)
    z = np.arange(24).reshape(2, 3, 4).astype(dt)
    ck(add, z, z.transpose(2, 1, 0).copy().transpose(2, 1, 0))
    ck(add, z[:, ::2, ::-1], z[:, 1:, :][:, ::2, :])


BCAST = [((3,), (1,)), ((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 1), (1, 3)), ((1, 3), (2, 1)),
         ((2, 3, 4), (4,)), ((2, 3, 4), (3, 1)), ((2, 1, 4), (1, 3, 1)), ((), (3,)), ((2, 0), (1,)),
         ((4, 1, 2, 3), (5, 1, 1))]


@pytest.mark.parametrize("sa,sb", BCAST)
def test_broadcast(sa, sb):
    a = sample(np.float64, sa, 1)
    b = sample(np.int32, sb, 2)
    ck(add, a, b)
    ck(sub, b, a)
    ck(compares, a, b)


@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (2,)), ((2, 3), (3, 2))])
def test_broadcast_mismatch(sa, sb):
    a, b = np.ones(sa), np.ones(sb)
    with pytest.raises(ValueError, match="broadcast"):
        add(a, b)
    with pytest.raises(ValueError, match="broadcast"):
        add.py_func(a, b)


def test_nep50():
    f32 = np.arange(4, dtype=np.float32)
    assert add(f32, 1.5).dtype == np.float32
    assert add(f32, np.float64(1.5)).dtype == (f32 + np.float64(1.5)).dtype
    assert tdiv(np.arange(4), 2).dtype == np.float64
    assert add(np.arange(4, dtype=np.int32), 3).dtype == np.int32
    assert add(np.arange(4, dtype=np.int32), 3.0).dtype == np.float64
    assert compares(f32, 1)[0].dtype == np.bool_


# -- functions ------------------------------------------------------------------

UFUNCS1 = ["exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "sin", "cos", "tan", "tanh",
           "arcsin", "arccos", "arctan", "sinh", "cosh", "floor", "ceil", "trunc", "abs", "absolute",
           "square", "isnan", "isinf", "isfinite"]
EXACT = {"floor", "ceil", "trunc", "abs", "absolute", "square", "isnan", "isinf", "isfinite", "sqrt"}


def _unary(name):
    fn = getattr(np, name)
    src = f"def u(a):\n    return np.{name}(a)\n"
    ns = {"np": np}
    exec(src, ns)
    return ember.jit(ns["u"]), fn


@pytest.mark.parametrize("name", UFUNCS1)
@pytest.mark.parametrize("dt", [np.float64, np.float32, np.int64])
def test_unary_functions(name, dt):
    f, fn = _unary(name)
    x = sample(dt, (3, 5), 3)
    if np.dtype(dt).kind == "f":
        x = x / 50
    for a in layouts(x)[:3]:
        got = f(a)
        with np.errstate(all="ignore"):
            want = fn(a)
        assert got.dtype == want.dtype and got.shape == want.shape
        if name in EXACT or np.dtype(dt).kind in "iu" and name in ("floor", "ceil", "trunc"):
            assert same(got, want), (got, want)
        else:
            tol = 4 * np.finfo(want.dtype).eps
            np.testing.assert_allclose(got, want, rtol=tol, atol=0, equal_nan=True)


def test_builtin_abs():
    @ember.jit
    def f(a):
        return abs(a)
    ck(f, sample(np.float64, (4, 2), 1))
    ck(f, sample(np.int32, (5,), 1))


@ember.jit
def minmax(a, b):
    return np.minimum(a, b), np.maximum(a, b)


@ember.jit
def where(c, a, b):
    return np.where(c, a, b)


@ember.jit
def clip(a, lo, hi):
    return np.clip(a, lo, hi)


def test_minimum_maximum_nan():
    a = np.array([1.0, np.nan, 3.0, -0.0, 0.0, np.nan])
    b = np.array([np.nan, 2.0, 1.0, 0.0, -0.0, np.nan])
    ck(minmax, a, b)
    ck(minmax, a, 2.0)
    ck(minmax, 1, a)
    ck(minmax, sample(np.int32, (2, 3), 1), sample(np.int64, (3,), 2))
    ck(minmax, sample(np.float32, (4,), 1), 0.5)


def test_where_clip():
    a = sample(np.float64, (3, 4), 1)
    ck(where, a > 0, a, 0.0)
    ck(where, a > 0, 1, -1)
    ck(where, sample(np.bool_, (4,), 2), a, sample(np.float32, (3, 1), 3))
    ck(clip, a, -1.0, 1.0)
    ck(clip, sample(np.int64, (7,), 1), -5, 5)
    ck(clip, a, np.zeros(4), 2.0)


def test_slice_assignment():
    @ember.jit
    def f(out, a, b):
        out[:] = a * b + 1.0
        return out
    ck(f, np.zeros(5), np.arange(5.0), 2.0)
    ck(f, np.zeros((2, 3)), np.arange(6.0).reshape(2, 3), np.arange(3.0))


# -- whole examples -------------------------------------------------------------

@ember.jit
def logsumexp(x):
    m = x.max()
    return m + np.log(np.sum(np.exp(x - m)))


@ember.jit
def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


@ember.jit
def loss(x, t):
    p = 1 / (1 + np.exp(-x))
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean()


def test_logsumexp_softmax_loss():
    rng = np.random.default_rng(0)
    for n in (1, 7, 1000):
        x = rng.standard_normal(n) * 10
        np.testing.assert_allclose(logsumexp(x), logsumexp.py_func(x), rtol=1e-14)
        np.testing.assert_allclose(softmax(x), softmax.py_func(x), rtol=1e-13)
        t = (rng.random(n) > 0.5).astype(np.float64)
        # the rewrites compute log(p) and log(1 - p) as softplus: closer to the
        # exact value than NumPy's naive evaluation, which cancels for |x| ~ 10
        exact = math.fsum(t * np.logaddexp(0, -x) + (1 - t) * np.logaddexp(0, x)) / n
        np.testing.assert_allclose(loss(x, t), exact, rtol=1e-13)
        np.testing.assert_allclose(loss(x, t), loss.py_func(x, t), rtol=1e-6)
    x32 = rng.standard_normal(100).astype(np.float32)
    assert softmax(x32).dtype == np.float32
    assert logsumexp(np.array([1000.0, 1000.0])) == logsumexp.py_func(np.array([1000.0, 1000.0]))


@ember.jit
def expr3(a, b, c):
    return a * b + c * 2.0 + a


def test_expr3():
    a, b, c = (sample(np.float64, (4, 5), k) for k in range(3))
    ck(expr3, a, b, c)
    ck(expr3, a, b[0], 1.5)


if given is not None:
    shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)

    @settings(deadline=None, max_examples=60)
    @given(st.data())
    def test_hypothesis_broadcast(data):
        sa, sb = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4)).input_shapes
        dt = data.draw(st.sampled_from([np.float64, np.int64, np.float32]))
        a = data.draw(hnp.arrays(dt, sa))
        b = data.draw(hnp.arrays(np.float64, sb))
        ck(add, a, b)
        ck(mul, b, a)
        ck(tdiv, a, b)
        ck(compares, a, b)

    @settings(deadline=None, max_examples=40)
    @given(hnp.arrays(np.float64, shapes), st.floats(allow_nan=True))
    def test_hypothesis_scalar(a, s):
        ck(sub, a, s)
        ck(sub, s, a)
        ck(fdiv, a, s)
        ck(mod, a, s)
        ck(minmax, a, s)


@ember.jit
def iadd(a, b):
    a += b
    return a


def test_augmented_assignment_in_place():
    a = np.arange(4.0)
    r = iadd(a, 1.0)
    assert a[0] == 1.0 and r is a


@ember.jit
def iops(a, b):
    a += b
    a *= 2
    a -= b
    return a


@ember.jit
def ishift(a):
    a[1:] += a[:-1]          # overlapping operands read the old values, as in NumPy


@ember.jit
def iint(a, x):
    a += x


def _inplace_same(f, *args):
    """f writes its first argument as NumPy does: compare the arguments after the call."""
    mine = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    theirs = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    f(*mine)
    f.py_func(*theirs)
    for m, t in zip(mine, theirs):
        if isinstance(m, np.ndarray):
            assert m.dtype == t.dtype and np.array_equal(m, t, equal_nan=m.dtype.kind in "fc"), (f, args, m, t)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_augmented_assignment_layouts(dtype):
    base = np.arange(24).reshape(4, 6).astype(dtype)
    for a in (base, base.T, base[::2, ::-1], np.asfortranarray(base), base[:0]):
        _inplace_same(iops, a, a.dtype.type(3))
        _inplace_same(iops, a, np.ones(a.shape[-1:], dtype))   # broadcast along the last axis
        _inplace_same(iops, a, a.copy())
    _inplace_same(ishift, np.arange(7).astype(dtype))


def test_augmented_assignment_casting():
    _inplace_same(iint, np.arange(4), 2)                 # int64 += int: stays int64
    _inplace_same(iint, np.arange(4.0), 2)               # float64 += int
    _inplace_same(iint, np.arange(4, dtype=np.int32), np.int64(5))  # same_kind: int64 into int32
    with pytest.raises(ember.TypingError, match="same_kind"):
        iint(np.arange(4), 1.5)                          # NumPy: UFuncTypeError (a TypeError)
    with pytest.raises(TypeError):
        iint.py_func(np.arange(4), 1.5)
    with pytest.raises(ValueError):
        iint(np.arange(3.0), np.arange(4.0))             # cannot broadcast into the left operand
    with pytest.raises(ValueError):
        iint.py_func(np.arange(3.0), np.ones((2, 3)))
    with pytest.raises(ember.TypingError, match="non-broadcastable"):
        iint(np.arange(3.0), np.ones((2, 3)))            # known from the types: refused at compile time


def test_augmented_assignment_value():
    assert same(iadd(np.arange(4.0), 1.0), np.arange(4.0) + 1.0)
