"""ember.vectorize (Numba's @vectorize): a scalar function made a real NumPy ufunc.

Each result is compared with the same Python function run by CPython on the
same NumPy scalars (the loop's dtypes, elementwise over NumPy's broadcast of
the inputs), with np.frompyfunc / np.vectorize, or with NumPy's own ufuncs and
expressions; errors with the exception CPython raises for the same element.
"""
import functools
import gc
import itertools
import math
import sys
import tracemalloc
import warnings

import numpy as np
import pytest

import ember

RNG = np.random.default_rng(11)


def rel_py(a, b):
    """relative difference of a and b"""
    return abs(a - b) / (abs(a) + abs(b) + 1e-300)


REL = ember.vectorize(["float64(float64, float64)", "float32(float32, float32)"])(rel_py)


def reference(pyfunc, out_dtype, *arrays):
    """pyfunc in CPython on the NumPy scalars of the broadcast 'arrays', into an array of 'out_dtype'."""
    b = np.broadcast_arrays(*[np.asarray(a) for a in arrays])
    out = np.empty(b[0].shape, out_dtype)
    for idx in np.ndindex(out.shape):
        out[idx] = pyfunc(*(x[idx] for x in b))
    return out


def same(got, want):
    assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape, (got, want)
    assert np.array_equal(got, want, equal_nan=got.dtype.kind in "fc"), (got, want)


def gen(dtype, shape):
    """Generated values of 'dtype' (small ints, floats of both signs, some zeros)."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return RNG.integers(0, 2, shape).astype(dt)
    if dt.kind in "iu":
        lo = 0 if dt.kind == "u" else -50
        return RNG.integers(lo, 50, shape).astype(dt)
    x = np.asarray(RNG.standard_normal(shape) * 10)
    x[RNG.random(shape) < 0.1] = 0.0
    if dt.kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dt)


# -- The ufunc and its attributes ------------------------------------------------------


def test_is_a_ufunc_with_numpy_attributes():
    assert isinstance(REL, np.ufunc)
    assert (REL.nin, REL.nout, REL.nargs, REL.ntypes) == (2, 1, 3, 2)
    assert REL.types == ["dd->d", "ff->f"]
    assert REL.__name__ == "rel_py"
    assert "relative difference of a and b" in REL.__doc__
    assert REL.identity is None


def test_one_string_signature_and_identity():
    @ember.vectorize("int64(int64, int64)", identity=0)
    def add(a, b):
        return a + b

    assert add.types == ["ll->l"] and add.identity == 0
    x, y = gen(np.int64, 50), gen(np.int64, 50)
    same(add(x, y), x + y)


@pytest.mark.parametrize("sig,dt", [("float64(float64, float64)", np.float64), ("float32(float32, float32)", np.float32),
                                    ("f8(f8, f8)", np.float64), ("int32(int32, int32)", np.int32),
                                    ("int64(i8, i8)", np.int64), ("uint8(uint8, uint8)", np.uint8),
                                    ("int16(int16, int16)", np.int16), ("uint64(u8, u8)", np.uint64),
                                    ("complex128(complex128, complex128)", np.complex128)])
def test_each_signature_dtype(sig, dt):
    def f(a, b):
        return a * b - a + 3

    uf = ember.vectorize([sig])(f)
    x, y = gen(dt, 64), gen(dt, 64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(uf(x, y), reference(f, dt, x, y))


def test_rel_matches_numpy_expression_and_frompyfunc():
    a, b = RNG.standard_normal(1000), RNG.standard_normal(1000)
    same(REL(a, b), np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-300))
    same(REL(a, b), np.frompyfunc(rel_py, 2, 1)(a, b).astype(np.float64))
    same(REL(a, b), np.vectorize(rel_py, otypes=[np.float64])(a, b))
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    same(REL(a32, b32), reference(rel_py, np.float32, a32, b32))


def test_mixed_dtypes_cast_to_first_loop_that_fits():
    # NumPy's type resolution: the first loop every input casts to safely
    loops = [np.dtype(t[0]) for t in REL.types]
    for da, db in [(np.int32, np.float64), (np.int16, np.float32), (np.float32, np.float64), (np.int8, np.uint8),
                   (np.bool_, np.float32), (np.int64, np.float32)]:
        x, y = gen(da, 20), gen(db, 20)
        want = next(lt for lt in loops if np.can_cast(da, lt) and np.can_cast(db, lt))
        got = REL(x, y)
        same(got, reference(rel_py, want, x.astype(want), y.astype(want)))


def test_dtype_and_casting_keywords():
    x, y = gen(np.float64, 30), gen(np.float64, 30)
    got = REL(x, y, dtype=np.float32)
    same(got, reference(rel_py, np.float32, x.astype(np.float32), y.astype(np.float32)))
    with pytest.raises(TypeError):
        REL(x, y, dtype=np.float32, casting="safe")
    with pytest.raises(TypeError):
        np.add(x, y, dtype=np.float32, casting="safe")   # NumPy refuses the same


def test_no_loop_for_complex_inputs_raises_as_numpy():
    with pytest.raises(TypeError) as ours:
        REL(np.ones(3, np.complex128), np.ones(3))
    assert "rel_py" in str(ours.value)


# -- Shapes, strides, out= -------------------------------------------------------------------


def shapes_cases():
    a2 = gen(np.float64, (6, 8))
    yield gen(np.float64, ()), gen(np.float64, ())                        # 0-d
    yield np.float64(2.5), gen(np.float64, 7)                             # a NumPy scalar
    yield 1.5, gen(np.float64, 7)                                         # a Python float
    yield gen(np.float64, 40), gen(np.float64, 40)                        # 1-d
    yield a2, gen(np.float64, (6, 8))                                     # 2-d
    yield a2, gen(np.float64, 8)                                          # broadcast row
    yield a2, gen(np.float64, (6, 1))                                     # broadcast column
    yield a2[::2, ::3], a2[1::2, 1::3]                                    # strided
    yield a2[::-1], a2[:, ::-1]                                           # negative strides
    yield np.asfortranarray(a2), a2                                       # Fortran order
    yield gen(np.float64, (0,)), gen(np.float64, (0,))                    # empty
    yield gen(np.float64, (3, 0)), gen(np.float64, (1, 0))                # empty 2-d
    yield gen(np.float64, 20000), gen(np.float64, 20000)                  # several of NumPy's chunks
    yield gen(np.float32, (5, 4)).T, gen(np.float32, 5)[:, None].T       # float32 loop, transposed


SHAPES = list(shapes_cases())


@pytest.mark.parametrize("case", range(len(SHAPES)))
def test_shapes_and_strides(case):
    x, y = SHAPES[case]
    got = REL(x, y)
    dt = np.float32 if np.asarray(x).dtype == np.float32 else np.float64
    want = reference(rel_py, dt, x, y)
    if want.ndim == 0:
        assert type(got) is np.dtype(dt).type and got == want[()]
    else:
        same(got, want)


def test_out_argument():
    x, y = gen(np.float64, (4, 5)), gen(np.float64, 5)
    out = np.full((4, 5), -1.0)
    r = REL(x, y, out=out)
    assert r is out
    same(out, reference(rel_py, np.float64, x, y))
    view = np.zeros((4, 10))[:, ::2]                 # a strided out
    REL(x, y, out=view)
    same(view, reference(rel_py, np.float64, x, y))
    want = reference(rel_py, np.float64, x, y)
    REL(x, y, out=x)                                 # in place
    same(x, want)
    o32 = np.zeros(5, np.float32)                    # a float32 out of the float64 loop: same_kind cast
    REL(x[0], y, out=o32)
    same(o32, reference(rel_py, np.float64, x[0], y).astype(np.float32))


def test_out_of_wrong_dtype_raises_as_numpy():
    x = gen(np.float64, 5)
    out = np.zeros(5, np.int32)
    with pytest.raises(TypeError) as ours:
        REL(x, x, out=out)
    with pytest.raises(TypeError) as numpys:
        np.add(x, x, out=out)
    assert type(ours.value) is type(numpys.value)


def test_where_argument():
    x, y = gen(np.float64, 9), gen(np.float64, 9)
    mask = RNG.random(9) < 0.5
    out = np.full(9, 7.0)
    REL(x, y, out=out, where=mask)
    want = np.where(mask, reference(rel_py, np.float64, x, y), 7.0)
    same(out, want)


# -- reduce, accumulate, outer, at -----------------------------------------------------------


@ember.vectorize(["int64(int64, int64)", "float64(float64, float64)"], identity=0)
def vadd(a, b):
    return a + b


@ember.vectorize(["int64(int64, int64)", "float64(float64, float64)"], identity=1)
def vmul(a, b):
    return a * b


@ember.vectorize(["float64(float64, float64)"])
def vmax(a, b):
    return a if a >= b else b


@ember.vectorize(["float64(float64, float64)"], identity="reorderable")
def vmin(a, b):
    return a if a <= b else b


def test_reduce_with_identity():
    # float sums in order (np.add's own loop sums pairwise, ours item by item)
    m = gen(np.float64, (5, 40))
    same(vadd.reduce(m, axis=0), functools.reduce(lambda p, q: p + q, m, np.zeros(40)))
    same(vadd.reduce(m, axis=1), functools.reduce(lambda p, q: p + q, m.T, np.zeros(5)))
    same(vmul.reduce(m[:, :6], axis=1), functools.reduce(lambda p, q: p * q, m[:, :6].T, np.ones(5)))
    im = gen(np.int64, (5, 40))
    same(vadd.reduce(im, axis=0), np.add.reduce(im, axis=0))
    same(vmul.reduce(im[:, :5], axis=1), np.multiply.reduce(im[:, :5], axis=1))
    assert vadd.reduce(im, axis=None) == np.add.reduce(im, axis=None)
    assert vadd.reduce(np.zeros(0, np.int64)) == 0
    assert vmul.reduce(np.zeros(0)) == 1.0
    same(vadd.reduce(np.zeros((3, 0)), axis=1), np.zeros(3))
    same(vadd.reduce(np.arange(6.).reshape(2, 3), axis=1, keepdims=True), np.array([[3.], [12.]]))
    same(vadd.reduce(np.arange(4.), initial=10.0).reshape(1), np.array([16.0]))


def test_reduce_without_identity():
    m = gen(np.float64, (4, 6))
    same(vmax.reduce(m, axis=1), np.maximum.reduce(m, axis=1))
    with pytest.raises(ValueError) as ours:
        vmax.reduce(np.zeros(0))
    with pytest.raises(ValueError) as numpys:
        np.maximum.reduce(np.zeros(0))
    assert type(ours.value) is type(numpys.value)
    with pytest.raises(ValueError):   # not reorderable: one axis only, as NumPy says for such ufuncs
        vmax.reduce(m, axis=(0, 1))
    same(vmin.reduce(m, axis=(0, 1)).reshape(1), np.minimum.reduce(m, axis=(0, 1)).reshape(1))
    with pytest.raises(ValueError):   # reorderable, but no identity for an empty reduction
        vmin.reduce(np.zeros(0))


def test_accumulate_outer_at():
    v = gen(np.float64, 12)
    same(vadd.accumulate(v), np.add.accumulate(v))
    same(vmax.accumulate(v), np.maximum.accumulate(v))
    iv = gen(np.int64, (3, 4))
    same(vmul.accumulate(iv, axis=1), np.multiply.accumulate(iv, axis=1))
    a, b = gen(np.float64, 5), gen(np.float64, (2, 3))
    same(REL.outer(a, b), reference(rel_py, np.float64, a[:, None, None], b[None]))
    same(vadd.outer(iv[0], iv[1]), np.add.outer(iv[0], iv[1]))
    acc, mine = np.zeros(6), np.zeros(6)
    idx = RNG.integers(0, 6, 30)
    vals = gen(np.float64, 30)
    np.add.at(acc, idx, vals)
    vadd.at(mine, idx, vals)
    same(mine, acc)
    iv = gen(np.int64, 12)
    same(vadd.reduceat(iv, [0, 4, 9]), np.add.reduceat(iv, [0, 4, 9]))


# -- Errors inside the loop --------------------------------------------------------------------


def cpython_error(f, *args):
    try:
        f(*args)
    except Exception as e:   # noqa: BLE001 - the reference exception
        return type(e), str(e)
    raise AssertionError("CPython raised nothing")


@ember.vectorize(["int64(float64)"])
def to_int(x):
    return int(x)


@ember.vectorize(["float64(float64, float64)"])
def fdiv(x, y):
    return float(x) / float(y)


@ember.vectorize(["float64(float64)"])
def vlog(x):
    return math.log(x)


@pytest.mark.parametrize("n", [5, 3000, 50000])
def test_errors_raise_cpython_exception(n):
    x = gen(np.float64, n)
    x[n * 2 // 3] = np.nan
    kind, msg = cpython_error(int, float("nan"))
    with pytest.raises(kind) as e:
        to_int(x)
    assert str(e.value) == msg
    y = np.abs(gen(np.float64, n)) + 1.0
    y[n // 2] = 0.0
    kind, msg = cpython_error(lambda: 1.0 / 0.0)
    with pytest.raises(kind) as e:
        fdiv(x, y)
    assert str(e.value) == msg
    z = np.abs(x) + 1.0
    z[-1] = -2.0
    kind, msg = cpython_error(math.log, -2.0)
    with pytest.raises(kind) as e:
        vlog(z)
    assert str(e.value) == msg
    x[n * 2 // 3] = 2.5
    same(to_int(x), reference(int, np.int64, x))   # still usable afterwards


def test_errors_raise_from_every_ufunc_method():
    x = np.array([1.0, 2.0, 0.0, 4.0] * 3000)
    kind, msg = cpython_error(lambda: 1.0 / 0.0)
    for call in (lambda: fdiv.reduce(x[::-1]), lambda: fdiv.accumulate(x), lambda: fdiv.outer(x[:5], x[:5]),
                 lambda: fdiv.at(x.copy(), [0, 2], 0.0), lambda: fdiv(x.astype(np.float32), np.zeros(1, np.int8)),
                 lambda: fdiv(1.0, 0.0)):
        with pytest.raises(kind) as e:
            call()
        assert str(e.value) == msg


def test_int_past_64_bits_inside_reruns_in_cpython():
    @ember.vectorize(["int64(int64)"])
    def f(x):
        return (int(x) * 2 ** 62) // 2 ** 61 - x

    x = gen(np.int64, 100)

    def py(v):
        return (int(v) * 2 ** 62) // 2 ** 61 - v

    same(f(x), reference(py, np.int64, x))

    @ember.vectorize(["int64(int64, int64)"])
    def g(acc, v):
        return (int(acc) * 2 ** 62) // 2 ** 62 + v % 7

    big = gen(np.int64, 20000)   # a reduction of more than NumPy's buffer, rerun chunk by chunk
    assert g.reduce(big) == functools.reduce(lambda p, q: (int(p) * 2 ** 62) // 2 ** 62 + q % 7, big.tolist())
    same(g.accumulate(big[:50]), np.array(list(itertools.accumulate(
        big[:50].tolist(), lambda p, q: (int(p) * 2 ** 62) // 2 ** 62 + q % 7)), np.int64))


# -- The lazy form (DUFunc) -------------------------------------------------------------------


def test_lazy_compiles_per_input_dtypes():
    @ember.vectorize
    def f(x, y):
        return x * y + 1

    assert f.ufunc is None and f.nin == 2 and f.__name__ == "f"
    a = gen(np.int64, 10)
    same(f(a, a), reference(f.__wrapped__, np.int64, a, a))
    assert f.ufunc.types == ["ll->l"] and isinstance(f.ufunc, np.ufunc)
    b = gen(np.float32, 10)
    same(f(b, b), reference(f.__wrapped__, np.float32, b, b))
    assert f.ufunc.types == ["ll->l", "ff->f"]
    f(a[::2], a[1::2])
    assert f.types == ["ll->l", "ff->f"]   # no new loop; ufunc attributes read through
    c = gen(np.float64, 10)
    same(f(a, c), reference(f.__wrapped__, np.float64, a, c))
    assert f.ufunc.types[-1] == "ld->d"
    same(f.outer(a[:3], a[:4]), reference(f.__wrapped__, np.int64, a[:3, None], a[None, :4]))


def test_lazy_takes_other_byte_orders_and_float16():
    @ember.vectorize
    def f(x):
        return x * 3 - 1

    a = gen(np.int32, 8).astype(">i4")
    same(f(a), reference(f.__wrapped__, np.int32, a.astype(np.int32)))
    assert f.types == ["i->i"]
    h = gen(np.float16, 8)   # Ember reads float16 elements as float32 (README): the loop is e->f
    same(f(h), reference(f.__wrapped__, np.float32, h.astype(np.float32)))
    assert f.types == ["i->i", "e->f"]
    with pytest.raises(TypeError, match="object"):
        f(np.array([1, "a"], dtype=object))


def test_jit_dispatcher_as_the_function():
    @ember.jit
    def g(x, y):
        return x - 2 * y

    uf = ember.vectorize(["float64(float64, float64)"])(g)
    x, y = gen(np.float64, 10), gen(np.float64, 10)
    same(uf(x, y), reference(g.py_func, np.float64, x, y))
    lazy = ember.vectorize(g)
    same(lazy(x, y), reference(g.py_func, np.float64, x, y))


def test_lazy_add_signature():
    @ember.vectorize
    def f(x, y):
        return x / y

    f.add("float32(int32, int32)")
    assert f.types == ["ii->f"]
    a, b = gen(np.int32, 10), gen(np.int32, 10) + 100
    same(f(a, b), reference(f.__wrapped__, np.float64, a, b).astype(np.float32))
    assert f.types == ["ii->f"]
    with pytest.raises(TypeError, match="takes 2"):
        f.add("float64(float64)")


def test_lazy_reduce_and_identity():
    @ember.vectorize(identity=0)
    def add(x, y):
        return x + y

    m = gen(np.float64, (3, 4))
    same(add.reduce(m, axis=1), np.add.reduce(m, axis=1))
    assert add.ufunc.types == ["dd->d"] and add.identity == 0
    same(add.accumulate(m[0]), np.add.accumulate(m[0]))
    assert add.reduce(np.zeros(0)) == 0.0


def test_lazy_result_must_be_one_number():
    @ember.vectorize
    def pair(x):
        return x, x

    with pytest.raises(TypeError, match="one number"):
        pair(np.ones(3))


# -- Options and signatures ----------------------------------------------------------------------


def test_options():
    def f(x):
        return x + 1.0

    for opts in ({"target": "cpu"}, {"target": "parallel"}, {"nopython": True}, {"cache": False},
                 {"fastmath": True}, {"nopython": True, "target": "cpu", "identity": None}):
        uf = ember.vectorize(["float64(float64)"], **opts)(f)
        same(uf(np.arange(3.0)), np.arange(3.0) + 1.0)
    with pytest.raises(ValueError, match="cuda"):
        ember.vectorize(["float64(float64)"], target="cuda")
    with pytest.raises(TypeError, match="unexpected option"):
        ember.vectorize(["float64(float64)"], nogil=1)
    with pytest.raises(ValueError, match="identity"):
        ember.vectorize(["float64(float64)"], identity=2)


def test_repeated_inputs_keep_the_first_signature():
    uf = ember.vectorize(["float64(int64)", "int32(int64)", "float32(float32)", "float64(float32)",
                          "float64(int64)"])(lambda x: x * 2)
    assert uf.types == ["l->d", "f->f"]


def test_bad_signatures():
    def f(x, y):
        return x + y

    with pytest.raises(TypeError, match="takes 2"):
        ember.vectorize(["float64(float64, float64, float64)"])(f)
    with pytest.raises(TypeError, match="scalar"):
        ember.vectorize(["float64(float64[:], float64)"])(f)
    with pytest.raises(TypeError, match="result type"):
        ember.vectorize(["(float64, float64)"])(f)
    with pytest.raises(TypeError, match="unknown type"):
        ember.vectorize(["float64(float65, float64)"])(f)


# -- Lifetime and leaks -----------------------------------------------------------------------------


def test_ufunc_outlives_function_and_decorator():
    def make():
        def g(x):
            return x * 2.0 + 1.0
        return ember.vectorize(["float64(float64)"])(g)

    uf = make()
    gc.collect()
    same(uf(np.arange(4.0)), np.arange(4.0) * 2.0 + 1.0)


def test_no_leak_over_many_calls():
    a, b = gen(np.float64, 64), gen(np.float64, 64)
    out = np.empty(64)
    for _ in range(1000):
        REL(a, b)
        REL(a, b, out=out)
    refs = sys.getrefcount(a), sys.getrefcount(b), sys.getrefcount(out)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(100000):
        REL(a, b, out=out)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert (sys.getrefcount(a), sys.getrefcount(b), sys.getrefcount(out)) == refs
    assert grown < 64 * 1024, grown
