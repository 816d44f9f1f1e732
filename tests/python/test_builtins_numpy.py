"""Python builtins on NumPy values, tuples and arrays (issue 3), against CPython.

Each test compiles a small kernel and runs the same function in the
interpreter on the same generated inputs (seeded NumPy generators and
hypothesis; every numeric dtype where it means something; NaN, inf and -0.0
mixed in) and demands the same result, type included (arrhelpers.same:
np.float64, np.complex128 and np.bool_ count as float, complex and bool).

Where Ember's documented difference applies (an int and a float meeting is a
float: min((1, 2.5)) is 1.0, sum of an empty float array 0.0), the value must
be equal and the type the float one.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ember
from arrhelpers import same

REALS = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
         np.float32, np.float64]
INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
SPECIAL = [math.nan, math.inf, -math.inf, -0.0, 0.0]


def run(f, *args):
    """Compiled 'f' against f.py_func: the same result or the same exception type."""
    try:
        want, werr = f.py_func(*args), None
    except Exception as e:  # noqa: BLE001 - an exception is a result here
        want, werr = None, e
    if werr is not None:
        with pytest.raises(type(werr)):
            f(*args)
        return None
    got = f(*args)
    assert same(got, want), f"{f.__name__}{args!r}: compiled {got!r}, Python {want!r}"
    return got


def run_joined(f, *args):
    """As run, where CPython may give an int and Ember the float of the same value."""
    want = f.py_func(*args)
    got = f(*args)
    if type(want) is int and isinstance(got, float):
        assert got == want, f"{f.__name__}{args!r}: compiled {got!r}, Python {want!r}"
    else:
        assert same(got, want), f"{f.__name__}{args!r}: compiled {got!r}, Python {want!r}"


def values(dtype, n, seed):
    """n values of 'dtype' over its range, with NaN, inf and -0.0 among floats."""
    g = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return g.integers(0, 2, n).astype(dt)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return g.integers(info.min, info.max, n, dtype=dt, endpoint=True)
    v = g.standard_normal(n) * 10.0 ** g.integers(-3, 4, n)
    for k in range(min(n, len(SPECIAL))):
        if g.random() < 0.5:
            v[g.integers(0, n)] = SPECIAL[k]
    return v.astype(dt)


def complexes(dtype, n, seed):
    re, im = values(np.float64, n, seed), values(np.float64, n, seed + 1)
    return (re + 1j * im).astype(dtype) if n else np.zeros(0, dtype)


# -- abs, .real, .imag, complex() of elements ------------------------------------

@ember.jit
def abs_all(z):
    out = np.empty(z.shape[0], np.float64)
    for i in range(z.shape[0]):
        out[i] = abs(z[i])
    return out


@ember.jit
def abs_first(z):
    return abs(z[0])


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("seed", range(4))
def test_abs_of_complex_elements(dtype, seed):
    z = complexes(dtype, 9, seed)
    z[0] = complex(3, 4)
    run(abs_all, z)
    for i in range(z.shape[0]):
        run(abs_first, z[i:])


@pytest.mark.parametrize("dtype", REALS[1:])
def test_abs_of_real_elements(dtype):
    for seed in range(3):
        a = values(dtype, 6, seed)
        for i in range(a.shape[0]):
            run(abs_first, a[i:])


@ember.jit
def parts(z):
    return z[0].real, z[0].imag


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128] + REALS[1:])
def test_real_imag_of_elements(dtype):
    a = complexes(dtype, 6, 3) if np.dtype(dtype).kind == "c" else values(dtype, 6, 3)
    for i in range(a.shape[0]):
        run(parts, a[i:])


@ember.jit
def make_complex(re, im):
    out = np.empty(re.shape[0], np.complex128)
    for i in range(re.shape[0]):
        out[i] = complex(re[i], im[i])
    return out, complex(re[0], im[0])


@pytest.mark.parametrize("dre", [np.float32, np.float64, np.int8, np.int64, np.uint32, np.complex64])
@pytest.mark.parametrize("dim", [np.float32, np.float64, np.int16, np.uint64])
def test_complex_of_elements(dre, dim):
    n = 7
    re = complexes(dre, n, 5) if np.dtype(dre).kind == "c" else values(dre, n, 5)
    im = complexes(dim, n, 6) if np.dtype(dim).kind == "c" else values(dim, n, 6)
    run(make_complex, re, im)


# -- divmod ---------------------------------------------------------------------

@ember.jit
def divmods(a, b):
    q = np.empty_like(a)
    r = np.empty_like(a)
    for i in range(a.shape[0]):
        q[i], r[i] = divmod(a[i], b[i])
    return q, r, divmod(a[0], b[0]), divmod(a[0], 7)


@pytest.mark.parametrize("dtype", INTS + [np.float32])
@pytest.mark.parametrize("seed", range(3))
def test_divmod_of_elements(dtype, seed):
    a, b = values(dtype, 9, seed), values(dtype, 9, seed + 10)
    if np.dtype(dtype).kind == "f":
        a, b = a[np.isfinite(a)], b[np.isfinite(b)]
        a, b = a[:min(a.size, b.size)], b[:min(a.size, b.size)]
    b[b == 0] = 3                    # a zero divisor: NumPy warns and gives 0 or nan; Ember raises
    if a.size:
        run(divmods, a, b)


# -- min, max of several values and of tuples -----------------------------------

@ember.jit
def min_shape(A):
    return min(A.shape), max(A.shape)


@ember.jit
def minmax3(a, b, c):
    return min(a, b, c), max(a, b, c), min((a, b, c)), max((c, b, a))


@ember.jit
def minmax_np(x, i):
    return min(x[i], x[i + 1], x[i + 2]), max(x[i], x[i + 1], x[i + 2], x[0]), min((x[i], x[i + 1]))


@pytest.mark.parametrize("shape", [(1,), (2, 3), (4, 1, 2), (3, 3), (0, 5)])
def test_min_of_shape(shape):
    run(min_shape, np.zeros(shape))


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True),
       st.floats(allow_nan=True, allow_infinity=True))
def test_min_max_of_floats(a, b, c):
    run(minmax3, a, b, c)


@settings(max_examples=60, deadline=None)
@given(st.integers(-2**62, 2**62), st.integers(-2**62, 2**62), st.integers(-2**62, 2**62))
def test_min_max_of_ints(a, b, c):
    run(minmax3, a, b, c)


@ember.jit
def min_mixed(a, b):
    t = (a, b, 2, a + 0.5)
    return min(t), max(t), min(a, b, 2, a + 0.5)


@settings(max_examples=40, deadline=None)
@given(st.integers(-10, 10), st.floats(-10, 10))
def test_min_max_of_mixed_tuple(a, b):
    mn, mx, mn2 = min_mixed(a, b)
    wmn, wmx, wmn2 = min_mixed.py_func(a, b)
    for g, w in ((mn, wmn), (mx, wmx), (mn2, wmn2)):
        assert type(g) is float and g == w     # int and float meet: a float (README)


@pytest.mark.parametrize("dtype", REALS + [np.complex64])
def test_min_max_of_numpy_values(dtype):
    for seed in range(3):
        x = complexes(dtype, 6, seed) if np.dtype(dtype).kind == "c" else values(dtype, 6, seed)
        for i in range(x.shape[0] - 2):
            run(minmax_np, x, i)


# -- sum of tuples ------------------------------------------------------------------

@ember.jit
def sum_tuple3(a, b, c):
    return sum((a, b, c)), sum((a, b, c), 10), sum((c, a, b), 0.5), sum(())


@settings(max_examples=80, deadline=None)
@given(st.floats(-1e300, 1e300), st.floats(-1e300, 1e300), st.floats(-1e300, 1e300))
def test_sum_of_float_tuple(a, b, c):
    run(sum_tuple3, a, b, c)          # 3.12+: Neumaier's compensation, as CPython


@pytest.mark.parametrize("t", [(1e16, 1.0, -1e16), (0.1, 0.2, 0.3), (-0.0, -0.0, -0.0), (math.inf, 1.0, -1.0),
                               (math.nan, 1.0, 2.0), (1e308, 1e308, -1e308)])
def test_sum_of_float_tuple_edges(t):
    run(sum_tuple3, *t)


@settings(max_examples=40, deadline=None)
@given(st.integers(-2**60, 2**60), st.integers(-2**60, 2**60), st.booleans())
def test_sum_of_int_tuple(a, b, c):
    run(sum_tuple3, a, b, c)


@ember.jit
def sum_mixed(i, x, b):
    return sum((i, x, b, i)), sum((x, i, 1j))


@settings(max_examples=40, deadline=None)
@given(st.integers(-100, 100), st.floats(-1e10, 1e10), st.booleans())
def test_sum_of_mixed_tuple(i, x, b):
    run(sum_mixed, i, x, b)


@ember.jit
def any_all_tuple(a, b, c):
    return any((a, b, c)), all((a, b, c)), any(()), all(())


@pytest.mark.parametrize("t", [(0, 0.0, False), (1, 0.0, False), (2, -0.5, True), (0, math.nan, False)])
def test_any_all_of_tuple(t):
    run(any_all_tuple, *t)


# -- sum, min, max, any, all of arrays ------------------------------------------

@ember.jit
def builtin_sum(a):
    return sum(a)


@ember.jit
def builtin_sum_start(a, s):
    return sum(a, s)


@ember.jit
def builtin_minmax(a):
    return min(a), max(a)


@ember.jit
def builtin_any_all(a):
    return any(a), all(a)


def _sum_in_cpython(a, start=0):
    s = start
    for x in a:
        s = s + x
    return s


@pytest.mark.parametrize("dtype", REALS + [np.complex64, np.complex128])
@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_sum_of_1d_array(dtype, n):
    for seed in range(2):
        a = complexes(dtype, n, seed) if np.dtype(dtype).kind == "c" else values(dtype, n, seed)
        with np.errstate(all="ignore"):
            run(builtin_sum, a)
            run(builtin_sum, a[::-2])
            run(builtin_sum_start, a, 3)
            if np.dtype(dtype).kind != "b":
                run(builtin_sum_start, a, 0.25)


def test_sum_of_1d_array_is_a_left_fold():
    a = np.array([1e16, 1.0, -1e16, 1.0] * 5, np.float32)
    assert same(builtin_sum(a), _sum_in_cpython(a))
    assert builtin_sum(a) != np.sum(a) or _sum_in_cpython(a) == np.sum(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8, np.uint64, np.bool_])
def test_sum_of_empty_array(dtype):
    a = np.zeros(0, dtype)
    got = builtin_sum(a)
    assert got == 0 and builtin_sum.py_func(a) == 0     # CPython's int 0; Ember: 0 of the items' type


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8, np.int64, np.uint16, np.bool_])
@pytest.mark.parametrize("shape", [(1, 3), (4, 2), (3, 0), (2, 3, 2)])
def test_sum_of_2d_array(dtype, shape):
    a = values(dtype, int(np.prod(shape)), 7).reshape(shape)
    with np.errstate(all="ignore"):
        run(builtin_sum, a)
        run(builtin_sum_start, a, 1)


@pytest.mark.parametrize("dtype", REALS + [np.complex64])
@pytest.mark.parametrize("n", [0, 1, 2, 9])
def test_min_max_of_1d_array(dtype, n):
    for seed in range(3):
        a = complexes(dtype, n, seed) if np.dtype(dtype).kind == "c" else values(dtype, n, seed)
        run(builtin_minmax, a)
        run(builtin_minmax, a[::-1])


@pytest.mark.parametrize("a", [[math.nan, 1.0, 2.0], [1.0, math.nan, 0.5], [-0.0, 0.0], [0.0, -0.0],
                               [math.inf, math.nan, -math.inf], [2.0, 2.0, math.nan]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_min_max_nan_and_zero_order(a, dtype):
    x = np.array(a, dtype)
    got = run(builtin_minmax, x)
    assert got is not None


@pytest.mark.parametrize("dtype", REALS + [np.complex64, np.complex128])
@pytest.mark.parametrize("n", [0, 1, 3, 8])
def test_any_all_of_1d_array(dtype, n):
    for seed in range(3):
        a = complexes(dtype, n, seed) if np.dtype(dtype).kind == "c" else values(dtype, n, seed)
        if n > 1:
            a[seed % n] = 0
        run(builtin_any_all, a)


def test_errors_at_compile_time():
    with pytest.raises(ember.TypingError):
        ember.jit(lambda a: len(a))(np.array(1.0))          # len() of unsized object
    with pytest.raises(ember.TypingError):
        ember.jit(lambda a: min(a))(np.zeros((2, 2)))       # the truth of rows is ambiguous
    with pytest.raises(ember.UnsupportedError):
        ember.jit(lambda: min(()))()                        # CPython: ValueError at run time


# -- np.bool_ elements ---------------------------------------------------------

@ember.jit
def bool_ops(m, i):
    x, y = m[i], m[i + 1]
    return ~x, x + y, x * y, x & y, x | y, x ^ y, x + 1, 2 * y, x / (y | True), x // True, abs(x), x + True


@ember.jit
def bool_loop(m):
    s = 0
    out = np.empty(m.shape[0], np.bool_)
    for k, x in enumerate(m):
        s += x
        out[k] = ~x
    return s, out


@pytest.mark.parametrize("seed", range(4))
def test_bool_elements_are_numpy_bools(seed):
    m = values(np.bool_, 6, seed)
    for i in range(m.shape[0] - 1):
        run(bool_ops, m, i)
    run(bool_loop, m)
