"""The NumPy calls of the coverage sweep (task HX) that Ember got wrong or refused:
np.logical_not / np.invert / ~ of a comparison inside a fused expression, np.cov
of complex data, a.clip with one bound, and the functions of jit/ember/_lib_more2.py,
each compiled and compared with NumPy itself (values, dtypes, shapes, the
exception type) over dtypes, shapes (empty, one element, 2-D) and layouts."""
import numpy as np
import pytest

import ember
from arrhelpers import check, layouts

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
DTYPES = [np.float64, np.float32, np.int64, np.complex128, np.bool_]
SHAPES = [(0,), (1,), (6,), (3, 4)]


def vals(dtype, shape, seed=0):
    """Small values of 'dtype' (ties, zeros and negatives among them)."""
    rng = np.random.default_rng(seed)
    v = np.round(rng.normal(size=shape) * 3, 1)
    if np.dtype(dtype).kind == "c":
        v = v + 1j * np.round(rng.normal(size=shape), 1)
    return v.astype(dtype)


def arrays(dtypes=DTYPES, shapes=SHAPES):
    for d in dtypes:
        for s in shapes:
            for a in layouts(vals(d, s, seed=len(s))):
                yield a


# -- fixes -------------------------------------------------------------------------------------

@ember.jit
def nots(a):
    return np.logical_not(a > 0), np.invert(a < 1), ~(a >= 0) | (a == 2), np.logical_not(np.isnan(a * 1.0))


def test_not_of_comparison():
    for a in arrays([np.float64, np.float32, np.int64, np.bool_]):
        check(nots, a)


@ember.jit
def cov_all(z):
    return np.cov(z), np.cov(z, bias=True), np.corrcoef(z.real)


def test_cov_complex():
    for s in [(5,), (2, 6), (3, 4)]:
        for z in layouts(vals(np.complex128, s, seed=3)):
            got = cov_all(z)
            want = cov_all.py_func(z)
            for g, w in zip(got, want):
                g, w = np.asarray(g), np.asarray(w)
                assert g.dtype == w.dtype and g.shape == w.shape
                np.testing.assert_allclose(g, w, rtol=1e-13, atol=1e-13)


@ember.jit
def clip_one(a, lo, hi):
    return a.clip(min=lo), a.clip(max=hi), a.clip(lo, hi)


def test_clip_one_bound():
    for a in arrays([np.float64, np.float32, np.int64]):
        check(clip_one, a, 0, 2)
        check(clip_one, a, -1.5, 0.5)


# -- shapes and views --------------------------------------------------------------------------

@ember.jit
def shapes1(a):
    return (np.reshape(a, (-1,)), np.reshape(a, -1), np.reshape(a, (1, -1)), np.transpose(a), a.transpose(),
            np.atleast_1d(a), np.atleast_2d(a), np.expand_dims(a, 0), np.expand_dims(a, -1),
            np.size(a), np.size(a, 0), np.shape(a), np.ndim(a))


@ember.jit
def reshape_bad(a):
    return np.reshape(a, (4, -1))


@ember.jit
def views2(a, k):
    return np.swapaxes(a, 0, 1), np.swapaxes(a, 1, 1), a.swapaxes(-1, 0), np.moveaxis(a, 0, -1), np.rot90(a, k)


def test_shapes():
    for a in arrays():
        check(shapes1, a)
        if a.size % 4:
            check(reshape_bad, a)
        if a.ndim == 2:
            for k in range(-2, 6):
                check(views2, a, k)


@ember.jit
def pads(a):
    return np.pad(a, 1), np.pad(a, (2, 0)), np.pad(a, (1, 2), constant_values=7), np.pad(a, ((0, 1),))


@ember.jit
def pad_mode(a):
    return np.pad(a, 2, "constant"), np.pad(a, (0, 1), mode="constant", constant_values=3)


@ember.jit
def grids(x, y):
    return np.meshgrid(x, y, indexing="ij"), np.meshgrid(x, y, indexing="xy"), np.meshgrid(x, y)


def test_str_arguments():
    for a in arrays([np.float64, np.int64], [(0,), (1,), (6,)]):
        check(pad_mode, a)
        for b in arrays([np.float32], [(0,), (3,)]):
            check(grids, a, b)
    with pytest.raises(ember.UnsupportedError):
        ember.jit(lambda a: np.pad(a, 1, mode="edge"))(np.ones(3))
    with pytest.raises(ember.TypingError):
        ember.jit(lambda a: np.meshgrid(a, a, indexing="ji"))(np.ones(3))


@ember.jit
def pad2(a):
    return np.pad(a, ((1, 0), (0, 2))), np.pad(a, ((1, 0), (0, 2)), constant_values=-1.5)


@ember.jit
def pad_bad(a):
    return np.pad(a, -1)


def test_pad():
    for a in arrays():
        check(pads, a)
        check(pad_bad, a)
        if a.ndim == 2 and a.dtype != np.bool_:
            check(pad2, a)


@ember.jit
def splits(a, n):
    return np.array_split(a, n)


@ember.jit
def splits_at(a):
    return np.split(a, [1, 3]), np.array_split(a, [-2, 10]), np.split(a, [2], axis=-1)


@ember.jit
def split_eq(a, n):
    return np.split(a, n)


@ember.jit
def split_axis1(a, n):
    return np.array_split(a, n, axis=1)


def same_list(got, want):
    assert type(got) is list and len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape and np.array_equal(g, w, equal_nan=w.dtype.kind in "fc")


def run_both(f, *args):
    try:
        want = f.py_func(*args)
    except Exception as e:   # noqa: BLE001
        with pytest.raises(type(e)):
            f(*args)
        return None, None
    return f(*args), want


def test_split():
    for a in arrays():
        for n in [1, 2, 3, 4]:
            got, want = run_both(splits, a, n)
            if want is not None:
                same_list(got, want)
            got, want = run_both(split_eq, a, n)
            if want is not None:
                same_list(got, want)
            if a.ndim == 2:
                same_list(*run_both(split_axis1, a, n))
        got, want = run_both(splits_at, a)
        for g, w in zip(got, want):
            same_list(g, w)
    for n in [0, -1]:
        run_both(splits, np.arange(4.0), n)


@ember.jit
def appends(a, b):
    return np.append(a, b), np.append(a, 2.5), np.append(a, a, axis=0)


def test_append():
    for a in arrays():
        check(appends, a, vals(np.float64, (3,)))
        check(appends, a, vals(np.int64, (2, 2)))


# -- np.gradient ------------------------------------------------------------------------------

@ember.jit
def grad(f):
    return np.gradient(f)


@ember.jit
def grad_dx(f, dx):
    return np.gradient(f, dx), np.gradient(f, dx, axis=0), np.gradient(f, axis=-1)


def test_gradient():
    for a in arrays([np.float64, np.float32, np.int64, np.complex128], [(0,), (1,), (2,), (6,), (3, 4), (1, 3)]):
        check(grad, a)
        check(grad_dx, a, 0.5)
        check(grad_dx, a, 2)


# -- elementwise -------------------------------------------------------------------------------

@ember.jit
def elementwise(a):
    return (np.float_power(a, 2), np.divmod(a, 3), np.isreal(a), np.iscomplex(a), np.iscomplexobj(a),
            np.angle(a), np.angle(a, deg=True))


@ember.jit
def sincs(a):
    return np.sinc(a), np.reciprocal(a)


def test_elementwise():
    for a in arrays([np.float64, np.float32, np.int64]):
        check(elementwise, a)
    for a in arrays([np.float64]):   # sin of NumPy's loop and of libm may differ in the last bit
        for g, w in zip(sincs(a), sincs.py_func(a)):
            assert g.dtype == w.dtype and g.shape == w.shape
            np.testing.assert_allclose(g, w, rtol=1e-14, atol=1e-15)
    z = vals(np.complex128, (5,))
    check(ember.jit(lambda z: (np.isreal(z), np.iscomplex(z), np.iscomplexobj(z), np.angle(z))), z)


@ember.jit
def nan2num(a):
    return np.nan_to_num(a), np.nan_to_num(a, nan=-1.0, posinf=9.0, neginf=-9.0)


def test_nan_to_num():
    for d in [np.float64, np.float32, np.complex128, np.int64]:
        for s in SHAPES:
            v = vals(d, s)
            if v.dtype.kind in "fc" and v.size >= 4:
                v.flat[:4] = [np.nan, np.inf, -np.inf, 1.0]
            if v.dtype.kind == "c" and v.size >= 5:
                v.flat[4] = complex(np.inf, np.nan)
            for a in layouts(v):
                check(nan2num, a)


# -- constructors ------------------------------------------------------------------------------

@ember.jit
def spaces(a, b, n):
    return np.logspace(a, b, n), np.logspace(a, b, n, endpoint=False, base=2.0), np.geomspace(a, b, n)


@ember.jit
def tris(n, m, k):
    return np.tri(n), np.tri(n, m, k), np.tri(n, m, k, dtype=np.int64), np.triu_indices(n, k, m), \
        np.tril_indices(n, k, m), np.triu_indices(n), np.tril_indices(n, -1)


def test_constructors():
    for a, b in [(1.0, 3.0), (-1, 2), (2.0, 0.5), (-8.0, -1.0), (0.0, 1.0), (3, 3)]:
        for n in [0, 1, 2, 7]:
            check(spaces, a, b, n)
    for n in [0, 1, 4]:
        for m in [0, 2, 5]:
            for k in [-2, 0, 1, 7]:
                check(tris, n, m, k)


# -- products, differences, polynomials, sets --------------------------------------------------

@ember.jit
def prods(a, b):
    return np.vdot(a, b), np.inner(a, b)


@ember.jit
def inner2(a, b):
    return np.inner(a, b)


def test_products():
    for d in [np.float64, np.complex128, np.int64]:
        for n in [0, 1, 5]:
            a, b = vals(d, (n,), 1), vals(d, (n,), 2)
            got, want = prods(a, b), prods.py_func(a, b)
            for g, w in zip(got, want):
                assert type(g) is type(w) or np.asarray(g).dtype == np.asarray(w).dtype
                np.testing.assert_allclose(g, w, rtol=1e-13)
        a, b = vals(d, (2, 3), 1), vals(d, (4, 3), 2)
        np.testing.assert_allclose(inner2(a, b), inner2.py_func(a, b), rtol=1e-13)
        assert inner2(a, b).dtype == inner2.py_func(a, b).dtype


@ember.jit
def misc(a):
    return np.ediff1d(a), np.ediff1d(a, to_end=np.array([7, 8]), to_begin=-1), a.item(0), np.ravel(a)[-1:].item()


@ember.jit
def item_bad(a):
    return a.item()


def test_misc():
    for a in arrays([np.float64, np.float32, np.int64, np.complex128], [(1,), (6,), (3, 4)]):
        check(misc, a)
    for a in arrays([np.float64, np.float32, np.int64, np.complex128, np.bool_], [(1,), (6,), (1, 1)]):
        check(item_bad, a)
    for a in arrays([np.float64], [(0,)]):
        check(item_bad, a)


@ember.jit
def polys(p, q):
    return np.polyder(p), np.polyint(p), np.polyadd(p, q), np.polyadd(q, p), np.polymul(p, q)


@ember.jit
def sets(a, b):
    return np.union1d(a, b), np.intersect1d(a, b), np.setdiff1d(a, b), np.extract(a > 0, a)


@ember.jit
def selects(a):
    return np.select([a > 1, a < -1], [a, -a]), np.select([a > 0], [a * 2], default=-1)


def test_poly_sets_select():
    for d in [np.float64, np.int64]:
        for n, m in [(1, 1), (3, 2), (2, 4), (5, 5)]:
            check(polys, vals(d, (n,), n), vals(d, (m,), m + 7))
    check(polys, np.array([0.0, 0.0, 1.0, 2.0]), np.array([0.0, 3.0]))
    check(polys, np.zeros(3), np.array([0.0, 3.0]))
    for d in [np.float64, np.int64]:
        for n in [0, 1, 8]:
            a = np.round(vals(d, (n,), 4) / 2)
            b = np.round(vals(d, (4,), 5) / 2).astype(d)
            check(sets, a.astype(d), b)
            check(sets, a.astype(d), a.astype(d)[::-1])
    for a in arrays([np.float64, np.int64]):
        check(selects, a)


# -- np.trapezoid along any axis, np.histogram of given edges, np.polyfit, ascontiguousarray ----

if hasattr(np, "trapezoid"):
    @ember.jit
    def trapz_axes(y, x):
        return (np.trapezoid(y, axis=0), np.trapezoid(y, dx=0.5, axis=-1), np.trapezoid(y, x, axis=0),
                np.trapezoid(y, axis=y.ndim - 1))
else:     # NumPy before 2.0
    @ember.jit
    def trapz_axes(y, x):
        return np.trapz(y, axis=0), np.trapz(y, dx=0.5, axis=-1), np.trapz(y, x, axis=0), np.trapz(y, axis=y.ndim - 1)


def test_trapezoid_axis():
    for d in [np.float64, np.float32, np.int64]:
        for s in [(1, 3), (4, 3), (5, 2, 3), (4, 1, 2)]:
            for y in layouts(vals(d, s, seed=5)):
                x = np.cumsum(np.abs(vals(np.float64, (s[0],), seed=6))) if s[0] else np.zeros(0)
                got, want = trapz_axes(y, x), trapz_axes.py_func(y, x)
                for g, w in zip(got, want):
                    assert g.dtype == w.dtype and g.shape == w.shape
                    np.testing.assert_allclose(g, w, rtol=1e-6 if d == np.float32 else 1e-14)


@ember.jit
def hist_edges(a, e):
    return np.histogram(a, bins=e), np.histogram(a, e)


def test_histogram_edges():
    for a in arrays([np.float64, np.float32, np.int64], [(0,), (1,), (9,), (3, 4)]):
        for e in [np.array([-3.0, 0.0, 3.0]), np.array([-1, 0, 0, 2]), np.array([1.0]), np.array([2.0, 1.0]),
                  np.array([-np.inf, 0.5, np.inf])]:
            check(hist_edges, a, e)
    v = vals(np.float64, (8,))
    v[2] = np.nan
    check(hist_edges, v, np.array([-3.0, 0.0, 3.0]))


@ember.jit
def polyfits(x, y, deg):
    return np.polyfit(x, y, deg)


def test_polyfit():
    for n in [1, 3, 8]:
        x = np.linspace(-1.0, 2.0, n)
        for y in [np.round(vals(np.float64, (n,), n), 1), vals(np.int64, (n,), n), vals(np.float64, (n, 2), n)]:
            for deg in [0, 1, 2]:
                try:
                    want = polyfits.py_func(x, y, deg)
                except Exception as e:   # noqa: BLE001
                    with pytest.raises(type(e)):
                        polyfits(x, y, deg)
                    continue
                got = polyfits(x, y, deg)
                assert got.dtype == want.dtype and got.shape == want.shape
                np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


@ember.jit
def contig(a):
    return np.ascontiguousarray(a), a.astype(np.float64, copy=False), a.astype(np.int32, copy=True)


def test_contiguous():
    for a in arrays([np.float64, np.int64, np.float32]):
        got = check(contig, a)
        assert got[0].flags.c_contiguous


@ember.jit
def pinvs(a):
    return np.linalg.pinv(a), np.linalg.pinv(a, 1e-3)


def test_pinv():
    for d in [np.float64, np.float32, np.complex128, np.int64]:
        for s in [(3, 3), (4, 2), (2, 5), (1, 1), (0, 3)]:
            a = vals(d, s, seed=s[0] + s[1])
            if s == (3, 3):
                a[2] = a[0] * 2          # rank 2: a singular value below the cutoff
            for x in layouts(a):
                if x.size == 0 and d == np.int64:
                    continue       # NumPy's empty result keeps int64, Ember's is float64 (README)
                got, want = pinvs(x), pinvs.py_func(x)
                for g, w in zip(got, want):
                    assert g.dtype == w.dtype and g.shape == w.shape
                    np.testing.assert_allclose(g, w, rtol=1e-4 if d == np.float32 else 1e-10,
                                               atol=1e-4 if d == np.float32 else 1e-10)


@ember.jit
def crosses(a, b):
    return np.cross(a, b), np.cross(b, a)


def test_cross_stacks():
    for d in [np.float64, np.float32, np.int64, np.complex128]:
        for sa, sb in [((4, 3), (4, 3)), ((4, 3), (3,)), ((3,), (2, 3)), ((2, 1, 3), (4, 3)), ((0, 3), (3,)),
                       ((3, 3), (2, 3)), ((4, 4), (4, 3))]:
            for a in layouts(vals(d, sa, seed=1)):
                check(crosses, a, vals(d, sb, seed=2))


@ember.jit
def tolists(a):
    return a.tolist()


def test_tolist():
    for a in arrays(DTYPES, [(0,), (1,), (6,), (3, 4), (0, 2)]):
        got, want = tolists(a), a.tolist()
        assert got == want
        flat_g = [x for r in got for x in (r if isinstance(r, list) else [r])]
        flat_w = [x for r in want for x in (r if isinstance(r, list) else [r])]
        assert [type(x) for x in flat_g] == [type(x) for x in flat_w]


@ember.jit
def deletes(a, i):
    return np.delete(a, i), np.delete(a, i, axis=0), np.delete(a, [0, -1]), np.delete(a, np.array([1]), 0)


@ember.jit
def inserts(a, i):
    return np.insert(a, i, 5), np.insert(a, i, np.array([1.5, -2.5]))


def test_delete_insert():
    for a in arrays([np.float64, np.int64, np.bool_, np.complex128], [(2,), (6,), (3, 4)]):
        for i in [0, 1, -1, -2, 2, 5, 9, -9]:
            check(deletes, a, i)
            check(inserts, a, i)


@ember.jit
def nonfinite(z):
    return np.isnan(z), np.isinf(z), np.isfinite(z), np.isnan(z * 2) | np.isinf(z), np.isfinite(z[0])


def test_nonfinite_complex():
    nan, inf = float("nan"), float("inf")
    parts = [0.0, -1.5, nan, inf, -inf]
    v = np.array([complex(r, i) for r in parts for i in parts])
    for d in [np.complex128, np.complex64]:
        for a in layouts(v.astype(d)):
            check(nonfinite, a)
        check(nonfinite, v.astype(d).reshape(5, 5))
