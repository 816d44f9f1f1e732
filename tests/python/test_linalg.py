"""numpy.linalg in compiled code (jit/ember/_lib_linalg.py) against NumPy
(LAPACK) and exact arithmetic: det, slogdet, solve, inv, matrix_power,
cholesky, qr, eigh, eigvalsh, norm; every dtype NumPy's linalg takes (ints
become float64), 0x0 and 1x1 matrices, layouts, and NumPy's errors.

Inputs are generated from seeded generators: well-conditioned matrices
(random + n*I), so results agree with LAPACK's to a tolerance scaled by the
condition number; integer matrices' determinants against fractions."""
import fractions
import itertools

import numpy as np
import numpy.linalg as la
import pytest

import ember

try:
    from hypothesis import given, settings, strategies as st
except ImportError:  # pragma: no cover
    given = None


@ember.jit
def det(a):
    return np.linalg.det(a)


@ember.jit
def slogdet(a):
    return np.linalg.slogdet(a)


@ember.jit
def solve(a, b):
    return np.linalg.solve(a, b)


@ember.jit
def inv(a):
    return np.linalg.inv(a)


@ember.jit
def matrix_power(a, n):
    return np.linalg.matrix_power(a, n)


@ember.jit
def cholesky(a):
    return np.linalg.cholesky(a)


@ember.jit
def qr(a):
    return np.linalg.qr(a)


@ember.jit
def eigh(a):
    return np.linalg.eigh(a)


@ember.jit
def eigvalsh(a):
    return np.linalg.eigvalsh(a)


@ember.jit
def norm(x):
    return np.linalg.norm(x)


@ember.jit
def norm_ord(x, o):
    return np.linalg.norm(x, o)


@ember.jit
def norm_kw(x, o):
    return np.linalg.norm(x, ord=o)


@ember.jit
def norm_fro(x):
    return np.linalg.norm(x, "fro")


@ember.jit
def norm_nuc(x):
    return np.linalg.norm(x, "nuc")


@ember.jit
def norm_axis(x, o, k):
    return np.linalg.norm(x, o, k)


@ember.jit
def norm_axes(x, o):
    return np.linalg.norm(x, o, (1, 0))


@ember.jit
def norm_keep(x, o):
    return np.linalg.norm(x, o, keepdims=True), np.linalg.norm(x, o, 0, keepdims=True), np.linalg.norm(x, keepdims=False)


@ember.jit
def via_module(a):
    return la.det(a), la.inv(a)


from numpy.linalg import det as np_det, norm as np_norm  # noqa: E402


@ember.jit
def via_names(a):
    return np_det(a), np_norm(a, "fro"), np_norm(a, ord=1)


FLOATS = [np.float64, np.float32, np.complex128, np.complex64]
INTS = [np.int64, np.int32, np.int8, np.bool_]
RTOL = {np.float64: 1e-10, np.complex128: 1e-10, np.float32: 2e-4, np.complex64: 2e-4}


def rtol(dt):
    return RTOL.get(np.dtype(dt).type, 1e-10)


def matrix(n, dt, seed, m=None, regular=False):
    """An n x m matrix of dtype 'dt'; 'regular': square and well-conditioned
    (random + n*I, bool: unit lower triangular)."""
    rng = np.random.default_rng(seed)
    m = n if m is None else m
    a = rng.standard_normal((n, m))
    if np.dtype(dt).kind == "c":
        a = a + 1j * rng.standard_normal((n, m))
    if np.dtype(dt).kind in "iub":
        a = rng.integers(-4, 5, (n, m))
        if np.dtype(dt).kind == "b":
            a = a > 0
    if n == m and np.dtype(dt).kind not in "iub":
        a = a + n * np.eye(n)
    if regular and np.dtype(dt).kind == "b":
        a = np.tril(a) | np.eye(n, dtype=bool)
    elif regular and np.dtype(dt).kind in "iu":
        a = a + (4 * n + 5) * np.eye(n, dtype=a.dtype)   # diagonally dominant
    return a.astype(dt)


def spd(n, dt, seed):
    """A Hermitian positive definite matrix."""
    a = matrix(n, dt, seed)
    return (a @ a.conj().T + n * np.eye(n)).astype(dt)


def close(got, want, tol, scale=None):
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    s = np.max(np.abs(want)) if scale is None and want.size else (scale or 1.0)
    with np.errstate(invalid="ignore"):
        ok = (got == want) | (np.abs(got - want) <= tol * max(s, 1e-300) + 1e-300)
    assert np.all(ok), (got, want)


def result_dtype(dt):
    return np.result_type(np.dtype(dt), np.float64) if np.dtype(dt).kind in "iub" else np.dtype(dt)


# -- det and slogdet ----------------------------------------------------------------

@pytest.mark.parametrize("dt", FLOATS + INTS)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 20])
def test_det(dt, n):
    a = matrix(n, dt, n)
    got, want = det(a), la.det(a)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    close(got, want, 50 * rtol(dt) * max(n, 1), abs(want) if want != 0 else 1.0)
    s, l = slogdet(a)
    ws, wl = la.slogdet(a)
    assert np.asarray(s).dtype == np.asarray(ws).dtype and np.asarray(l).dtype == np.asarray(wl).dtype
    close(s, ws, 10 * rtol(dt), 1.0)
    close(l, wl, 10 * rtol(dt) * max(n, 1), max(abs(wl), 1.0))


def exact_det(a):
    n = a.shape[0]
    m = [[fractions.Fraction(int(a[i, j])) for j in range(n)] for i in range(n)]
    d = fractions.Fraction(1)
    for k in range(n):
        p = next((i for i in range(k, n) if m[i][k] != 0), None)
        if p is None:
            return fractions.Fraction(0)
        if p != k:
            m[k], m[p] = m[p], m[k]
            d = -d
        d *= m[k][k]
        for i in range(k + 1, n):
            f = m[i][k] / m[k][k]
            for j in range(k, n):
                m[i][j] -= f * m[k][j]
    return d


@pytest.mark.parametrize("seed", range(30))
def test_det_integer_exact(seed):
    rng = np.random.default_rng(seed)
    n = 1 + seed % 5
    a = rng.integers(-6, 7, (n, n))
    if seed % 7 == 0 and n > 1:
        a[n - 1] = a[0] * 2          # singular
    exact = exact_det(a)
    got = det(a)
    scale = max(float(np.prod(np.abs(a).max(axis=1) + 1)), 1.0)
    assert abs(got - float(exact)) <= 1e-12 * scale, (a, got, exact)
    assert abs(got - la.det(a)) <= 1e-12 * scale


def test_det_singular():
    for dt in FLOATS:
        a = np.zeros((3, 3), dt)
        assert det(a) == 0
        s, l = slogdet(a)
        assert s == 0 and l == -np.inf
        assert np.asarray(s).dtype == la.slogdet(a)[0].dtype
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    assert det(a) == la.det(a) == 0.0


def test_det_layouts():
    a = matrix(6, np.float64, 3)
    for v in (a.T, np.asfortranarray(a), a[::2, ::2], matrix(12, np.float64, 4)[::2, 1::2]):
        close(det(v), la.det(v), 1e-10, abs(la.det(v)))
    ro = a.copy()
    ro.setflags(write=False)
    close(det(ro), la.det(ro), 1e-10, abs(la.det(ro)))


def test_via_module_global():
    a = matrix(4, np.float64, 5)
    d, i = via_module(a)
    close(d, la.det(a), 1e-12, abs(la.det(a)))
    close(i, la.inv(a), 1e-10)
    d, f, o = via_names(a)
    close(d, la.det(a), 1e-12, abs(la.det(a)))
    close(f, la.norm(a), 1e-12)
    close(o, la.norm(a, 1), 1e-12)


# -- solve, inv, matrix_power --------------------------------------------------

@pytest.mark.parametrize("dt", FLOATS + INTS)
@pytest.mark.parametrize("n", [0, 1, 2, 5, 17])
def test_solve_inv(dt, n):
    a = matrix(n, dt, 10 + n, regular=True)
    b1 = matrix(n, dt, 20 + n, 1)[:, 0].copy()
    b2 = matrix(n, dt, 30 + n, 3)
    tol = 20 * rtol(dt) * np.linalg.cond(a.astype(np.complex128)) if n else 0
    for b in (b1, b2):
        got, want = solve(a, b), la.solve(a, b)
        assert got.dtype == want.dtype and got.shape == want.shape
        close(got, want, tol)
    got, want = inv(a), la.inv(a)
    assert got.dtype == want.dtype and got.shape == want.shape
    close(got, want, tol)


def test_solve_mixed_dtypes():
    a = matrix(4, np.float32, 1)
    for b in (matrix(4, np.float64, 2, 1)[:, 0].copy(), np.arange(4), matrix(4, np.complex64, 3, 2),
              matrix(4, np.complex128, 3, 2)):
        got, want = solve(a, b), la.solve(a, b)
        assert got.dtype == want.dtype
        close(got, want, 1e-4)


def test_solve_pivots_like_lapack():
    # a zero leading entry needs the row swap; LAPACK's pivot order gives the same result bits here
    a = np.array([[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]])
    b = np.array([1.0, 2.0, 3.0])
    close(solve(a, b), la.solve(a, b), 1e-14)
    close(inv(a), la.inv(a), 1e-14)


def test_singular_errors():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    for f, args in ((solve, (a, np.ones(2))), (inv, (a,)), (solve, (np.zeros((3, 3)), np.ones((3, 2))))):
        with pytest.raises(la.LinAlgError) as e:
            f(*args)
        with pytest.raises(la.LinAlgError) as w:
            getattr(la, f.py_func.__name__)(*args)
        assert str(e.value) == str(w.value) == "Singular matrix"


@pytest.mark.parametrize("f", [det, slogdet, inv, cholesky, eigvalsh, eigh])
def test_not_square(f):
    for a in (np.ones((2, 3)), np.ones(3)):
        with pytest.raises(la.LinAlgError) as e:
            f(a)
        with pytest.raises(la.LinAlgError) as w:
            getattr(la, f.py_func.__name__)(a)
        assert str(e.value) == str(w.value)


@ember.jit
def user_raise(a):
    if np.linalg.det(a) == 0:
        raise np.linalg.LinAlgError(f"singular {a.shape}")
    if la.det(a) == 0:
        raise la.LinAlgError
    return 1


from numpy.linalg import LinAlgError  # noqa: E402


@ember.jit
def user_raise_global(x):
    if x < 0:
        raise LinAlgError("negative", x)
    return x


def test_user_raises_linalgerror():
    with pytest.raises(la.LinAlgError) as e:
        user_raise(np.zeros((2, 2)))
    assert str(e.value) == "singular (2, 2)"
    assert user_raise(np.eye(2)) == 1
    with pytest.raises(la.LinAlgError) as e:
        user_raise_global(-2)
    assert e.value.args == ("negative", -2) and isinstance(e.value, ValueError)
    assert user_raise_global(3) == 3


def test_solve_mismatch():
    a = np.eye(3)
    for b in (np.ones(2), np.ones((2, 2))):
        with pytest.raises(ValueError) as e:
            solve(a, b)
        with pytest.raises(ValueError) as w:
            la.solve(a, b)
        assert str(e.value) == str(w.value)
    with pytest.raises(la.LinAlgError):
        solve(np.ones((2, 3)), np.ones(2))


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.int64, np.int32])
def test_matrix_power(dt):
    a = (matrix(4, dt, 7) / (4 if np.dtype(dt).kind != "i" else 1)).astype(dt)
    for p in range(0, 9):
        got, want = matrix_power(a, p), la.matrix_power(a, p)
        assert got.dtype == want.dtype
        if np.dtype(dt).kind == "i":
            assert np.array_equal(got, want)
        else:
            close(got, want, 10 * rtol(dt) * (p + 1))
    if np.dtype(dt).kind != "i":
        for p in range(-5, 0):
            close(matrix_power(a, p), la.matrix_power(a, p), 100 * rtol(dt) * -p)


def test_layouts_and_readonly():
    a = matrix(12, np.float64, 9)
    s = spd(12, np.float64, 9)
    views = lambda m: (np.asfortranarray(m), m.T, m[::2, ::2], m[::-1, ::-1], np.require(m, requirements="C"))
    for v, sv in zip(views(a), views(s)):    # the views of 's' stay symmetric positive definite
        ro = v.copy()
        ro.setflags(write=False)
        for m in (v, ro):
            n = m.shape[0]
            b = matrix(n, np.float64, 10, 2)[:, ::-1]
            close(det(m), la.det(m), 1e-10, abs(la.det(m)))
            close(inv(m), la.inv(m), 1e-10)
            close(solve(m, b), la.solve(m, b), 1e-10)
            close(solve(m, b[:, 1]), la.solve(m, b[:, 1]), 1e-10)
            q, r = qr(m)
            close(q @ r, m, 1e-12, np.max(np.abs(m)))
        close(cholesky(sv), la.cholesky(sv), 1e-10)
        close(eigvalsh(sv), la.eigvalsh(sv), 1e-12, np.max(la.eigvalsh(sv)))
        close(norm_ord(v, 1), la.norm(v, 1), 1e-12, la.norm(v, 1))


def test_matrix_power_negative_int():
    with pytest.raises(NotImplementedError):
        matrix_power(np.eye(2, dtype=np.int64), -1)
    with pytest.raises(la.LinAlgError):
        matrix_power(np.zeros((2, 2)), -1)
    with pytest.raises(TypeError) as e:
        matrix_power(np.eye(2), 2.0)
    with pytest.raises(TypeError) as w:
        la.matrix_power(np.eye(2), 2.0)
    assert str(e.value) == str(w.value)


@ember.jit
def stacked(a, s, b1, b2, b3):
    return (np.linalg.det(a), np.linalg.slogdet(a), np.linalg.inv(a), np.linalg.solve(a, b1),
            np.linalg.solve(a, b2), np.linalg.solve(a, b3), np.linalg.cholesky(s), np.linalg.eigvalsh(s),
            np.linalg.eigh(s)[0])


@pytest.mark.parametrize("dt", [np.float64, np.complex128, np.float32, np.int64])
@pytest.mark.parametrize("k", [0, 1, 3])
def test_stacks(dt, k):
    n = 4
    a = np.stack([matrix(n, dt, 70 + i, regular=True) for i in range(k)]) if k else np.zeros((0, n, n), dt)
    s = np.stack([spd(n, dt, 80 + i) if np.dtype(dt).kind != "i" else np.eye(n, dtype=dt) * (i + 2)
                  for i in range(k)]) if k else np.zeros((0, n, n), dt)
    b1 = matrix(n, dt, 90, 1)[:, 0].copy()
    b2 = matrix(n, dt, 91, 2)
    b3 = np.stack([matrix(n, dt, 92 + i, 2) for i in range(k)]) if k else np.zeros((0, n, 2), dt)
    got = stacked(a, s, b1, b2, b3)
    want = (la.det(a), la.slogdet(a), la.inv(a), la.solve(a, b1), la.solve(a, b2), la.solve(a, b3),
            la.cholesky(s), la.eigvalsh(s), la.eigh(s)[0])
    for g, w in zip(got, want):
        for gg, ww in zip(g if isinstance(g, tuple) else (g,), w if isinstance(w, tuple) else (w,)):
            assert gg.shape == ww.shape and gg.dtype == ww.dtype
            close(gg, ww, 100 * rtol(dt), max(np.max(np.abs(ww), initial=0), 1.0))
    with pytest.raises(la.LinAlgError):
        det(np.ones((2, 3, 2)))
    with pytest.raises(NotImplementedError):
        det(np.ones((1, 1, 2, 2)))


@ember.jit
def cond(a, p):
    return np.linalg.cond(a, p)


@ember.jit
def cond0(a):
    return np.linalg.cond(a)


@ember.jit
def matrix_rank(a):
    return np.linalg.matrix_rank(a)


@ember.jit
def matrix_rank_tol(a, t):
    return np.linalg.matrix_rank(a, t)


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.int64])
def test_cond(dt):
    for a in (matrix(5, dt, 1, regular=True), matrix(4, dt, 2, 6), matrix(6, dt, 3, 2)):
        want = la.cond(a)
        got = cond0(a)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        close(got, want, 100 * rtol(dt) * want, 1.0)
        for p in (2, -2) + ((1, -1, np.inf, -np.inf) if a.shape[0] == a.shape[1] else ()):
            close(cond(a, p), la.cond(a, p), 100 * rtol(dt) * la.cond(a), max(la.cond(a, p), 1.0))
    sing = np.array([[1.0, 2.0], [2.0, 4.0]], dt)
    with np.errstate(all="ignore"):
        for p in (1, np.inf):
            assert cond(sing, p) == la.cond(sing, p) == np.inf
    assert cond0(sing) > 1e15 and la.cond(sing) > 1e15
    with pytest.raises(la.LinAlgError):
        cond0(np.zeros((0, 0), dt))


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.int64])
def test_matrix_rank(dt):
    rng = np.random.default_rng(5)
    for m, n, r in ((5, 5, 5), (6, 4, 2), (4, 7, 3), (3, 3, 0), (1, 1, 1), (0, 3, 0)):
        a = (rng.standard_normal((m, r)) @ rng.standard_normal((r, n))).astype(dt) if r else np.zeros((m, n), dt)
        if np.dtype(dt).kind == "i":
            a = (rng.integers(-3, 4, (m, r)) @ rng.integers(-3, 4, (r, n))).astype(dt) if r else np.zeros((m, n), dt)
        try:
            want = la.matrix_rank(a)
        except ValueError as e:        # NumPy before 2.3: the maximum of no singular values
            with pytest.raises(ValueError) as g:
                matrix_rank(a)
            assert str(g.value) == str(e)
        else:
            assert matrix_rank(a) == want, (m, n, r)
        assert matrix_rank_tol(a, 1e-3) == la.matrix_rank(a, 1e-3)
    for v in (np.zeros(3, dt), np.array([0, 1], dt)):
        assert matrix_rank(v) == la.matrix_rank(v)


# -- Cholesky --------------------------------------------------------------------

@pytest.mark.parametrize("dt", FLOATS + [np.int64])
@pytest.mark.parametrize("n", [0, 1, 2, 6, 15])
def test_cholesky(dt, n):
    a = spd(n, dt, n) if np.dtype(dt).kind != "i" else (np.eye(n, dtype=dt) * 4 + 1)
    got, want = cholesky(a), la.cholesky(a)
    assert got.dtype == want.dtype
    close(got, want, 20 * rtol(dt))
    assert np.all(np.triu(got, 1) == 0)


def test_cholesky_lower_triangle_only():
    a = spd(5, np.float64, 2)
    b = a.copy()
    b[np.triu_indices(5, 1)] = 99.0       # the upper triangle is never read
    close(cholesky(b), la.cholesky(a), 1e-12)


def test_cholesky_not_positive_definite():
    for a in (np.array([[1.0, 2.0], [2.0, 1.0]]), -np.eye(3), np.zeros((2, 2)), np.diag([1.0, 0.0, 1.0])):
        with pytest.raises(la.LinAlgError) as e:
            cholesky(a)
        with pytest.raises(la.LinAlgError) as w:
            la.cholesky(a)
        assert str(e.value) == str(w.value) == "Matrix is not positive definite"
    a = np.array([[np.nan]])     # NumPy (LAPACK) lets a NaN through
    assert np.isnan(cholesky(a)[0, 0]) and np.isnan(la.cholesky(a)[0, 0])


# -- QR ----------------------------------------------------------------------------

@pytest.mark.parametrize("dt", FLOATS + [np.int64])
@pytest.mark.parametrize("shape", [(0, 0), (1, 1), (3, 3), (8, 5), (5, 8), (1, 4), (4, 1), (12, 12)])
def test_qr(dt, shape):
    m, n = shape
    a = matrix(m, dt, m * 7 + n, n)
    q, r = qr(a)
    wq, wr = la.qr(a)
    assert q.dtype == wq.dtype and r.dtype == wr.dtype
    assert q.shape == wq.shape and r.shape == wr.shape
    tol = 50 * rtol(dt) * max(m, n, 1)
    close(q @ r, a.astype(wq.dtype), tol, max(np.max(np.abs(a), initial=0), 1.0))
    close(q.conj().T @ q, np.eye(q.shape[1]), tol, 1.0)
    assert np.all(np.tril(r, -1) == 0)
    # geqrf's reflectors: the same signs as LAPACK's, so the factors agree too
    close(q, wq, tol, 1.0)
    close(r, wr, tol, max(np.max(np.abs(wr), initial=0), 1.0))


@ember.jit
def qr_modes(a):
    qc, rc = np.linalg.qr(a, "complete")
    return qc, rc, np.linalg.qr(a, mode="r"), np.linalg.qr(a, mode="reduced")[1]


@pytest.mark.parametrize("dt", [np.float64, np.complex128, np.float32])
@pytest.mark.parametrize("shape", [(0, 0), (1, 1), (6, 3), (3, 6), (5, 5), (0, 3), (3, 0)])
def test_qr_modes(dt, shape):
    a = matrix(shape[0], dt, 3, shape[1])
    got = qr_modes(a)
    wq, wr = la.qr(a, "complete")
    want = (wq, wr, la.qr(a, "r"), la.qr(a, "reduced")[1])
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype
        close(g, w, 100 * rtol(dt), max(np.max(np.abs(w), initial=0), 1.0))
    with pytest.raises(ember.TypingError):
        ember.jit(lambda x: np.linalg.qr(x, "raw"))(a)


# -- eigh, eigvalsh ---------------------------------------------------------------------

def sym(n, dt, seed):
    a = matrix(n, dt, seed) - n * np.eye(n, dtype=dt) if n else np.zeros((0, 0), dt)
    return (a + a.conj().T).astype(dt)


@pytest.mark.parametrize("dt", FLOATS + [np.int64])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 16])
def test_eigvalsh(dt, n):
    a = sym(n, dt, 40 + n)
    got, want = eigvalsh(a), la.eigvalsh(a)
    assert got.dtype == want.dtype
    close(got, want, 20 * rtol(dt) * max(n, 1), max(np.max(np.abs(want), initial=0), 1.0))


@pytest.mark.parametrize("dt", FLOATS + [np.int64])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 16])
def test_eigh(dt, n):
    a = sym(n, dt, 50 + n)
    w, v = eigh(a)
    ww, wv = la.eigh(a)
    assert w.dtype == ww.dtype and v.dtype == wv.dtype
    scale = max(np.max(np.abs(ww), initial=0), 1.0)
    tol = 20 * rtol(dt) * max(n, 1)
    close(w, ww, tol, scale)
    close(v.conj().T @ v, np.eye(n), tol, 1.0)
    close(a.astype(v.dtype) @ v, v * w, tol, scale)
    # eigenvalues of these are apart: each vector is LAPACK's up to its sign
    gap = np.min(np.diff(ww)) if n > 1 else 1.0
    if gap > 1e-3 * scale:
        close(np.abs(v), np.abs(wv), tol * scale / gap, 1.0)


def test_eigh_lower_triangle_only():
    a = sym(6, np.float64, 3)
    b = a.copy()
    b[np.triu_indices(6, 1)] = 1e3
    close(eigvalsh(b), la.eigvalsh(a), 1e-12, np.max(np.abs(la.eigvalsh(a))))
    ca = sym(6, np.complex128, 4)
    cb = ca.copy()
    cb[np.triu_indices(6, 1)] = 7 + 7j
    close(eigvalsh(cb), la.eigvalsh(ca), 1e-12, np.max(np.abs(la.eigvalsh(ca))))


@ember.jit
def eigh_uplo(a):
    return np.linalg.eigvalsh(a, "U"), np.linalg.eigh(a, UPLO="U")[0], np.linalg.eigvalsh(a, UPLO="L")


@pytest.mark.parametrize("dt", [np.float64, np.complex128])
def test_eigh_uplo(dt):
    a = sym(5, dt, 8)
    b = a.copy()
    b[np.tril_indices(5, -1)] = 5.0        # only the upper triangle is read
    got = eigh_uplo(b)
    want = (la.eigvalsh(b, "U"), la.eigh(b, UPLO="U")[0], la.eigvalsh(b, UPLO="L"))
    for g, w in zip(got, want):
        close(g, w, 1e-12, np.max(np.abs(w)))
    with pytest.raises(ember.CompileError):
        ember.jit(lambda x: np.linalg.eigvalsh(x, "X"))(a)


def test_eigh_degenerate():
    a = np.diag([2.0, 1.0, 2.0, 1.0])
    w, v = eigh(a)
    assert list(w) == [1.0, 1.0, 2.0, 2.0]
    close(a @ v, v * w, 1e-15, 1.0)


# -- norm --------------------------------------------------------------------------------

VORDS = [None, 2, 1, np.inf, -np.inf, 0, 3, 0.5, -1, -2, 2.5]
MORDS = [None, 1, -1, np.inf, -np.inf, 2, -2]


@pytest.mark.parametrize("dt", FLOATS + INTS)
@pytest.mark.parametrize("n", [0, 1, 5, 33])
def test_vector_norms(dt, n):
    x = matrix(n, dt, 60 + n, 1)[:, 0].copy() if n else np.zeros(0, dt)
    if n > 3 and np.dtype(dt).kind != "b":
        x[2] = 0
    for o in VORDS:
        try:
            with np.errstate(divide="ignore"):
                want = la.norm(x, o)
        except ValueError as e:          # an empty x's inf-norms (NumPy before 2.3: both)
            with pytest.raises(ValueError) as g:
                norm_ord(x, o)
            assert str(g.value) == str(e)
            continue
        got = norm_ord(x, o) if o is not None else norm(x)
        assert np.asarray(got).dtype == np.asarray(want).dtype, o
        close(got, want, 10 * rtol(dt), max(abs(want), 1e-300) if np.isfinite(want) else 1.0)
    close(norm_kw(x, 1), la.norm(x, ord=1), 10 * rtol(dt), max(la.norm(x, 1), 1.0))


@pytest.mark.parametrize("dt", FLOATS + INTS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (4, 7), (9, 2)])
def test_matrix_norms(dt, shape):
    a = matrix(shape[0], dt, sum(shape), shape[1])
    for o in MORDS:
        want = la.norm(a, o)
        got = norm_ord(a, o) if o is not None else norm(a)
        assert np.asarray(got).dtype == np.asarray(want).dtype, o
        close(got, want, 50 * rtol(dt), max(want, 1.0))
    close(norm_fro(a), la.norm(a, "fro"), 10 * rtol(dt), la.norm(a, "fro"))
    close(norm_nuc(a), la.norm(a, "nuc"), 50 * rtol(dt), la.norm(a, "nuc"))
    assert np.asarray(norm_nuc(a)).dtype == np.asarray(la.norm(a, "nuc")).dtype
    close(norm_axes(a, 1), la.norm(a, 1, (1, 0)), 10 * rtol(dt), la.norm(a, 1, (1, 0)))


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.int64])
def test_norm_axis(dt):
    a = matrix(5, dt, 77, 4)
    for o, k in itertools.product([None, 1, 2, np.inf, 0, 3], [0, 1, -1, -2]):
        want = la.norm(a, o, k)
        got = norm_axis(a, o, k)
        assert got.dtype == want.dtype
        close(got, want, 10 * rtol(dt), np.max(want))
    x = a[0].copy()
    close(norm_axis(x, 2, 0), la.norm(x, 2, 0), 10 * rtol(dt), la.norm(x))


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex64])
def test_norm_keepdims(dt):
    for x in (matrix(3, dt, 5, 4), matrix(6, dt, 5, 1)[:, 0].copy()):
        for o in (None, 1, np.inf):
            got = norm_keep(x, o)
            want = (la.norm(x, o, keepdims=True), la.norm(x, o, 0, keepdims=True), la.norm(x, keepdims=False))
            for g, w in zip(got, want):
                assert np.asarray(g).shape == np.asarray(w).shape and np.asarray(g).dtype == np.asarray(w).dtype
                close(g, w, 10 * rtol(dt))


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128, np.int32])
def test_norm_nd(dt):
    for shape in ((2, 3, 4), (3, 1, 2, 2), (0, 2, 2)):
        x = np.arange(np.prod(shape)).reshape(shape).astype(dt) - 5
        got, want = norm(x), la.norm(x)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        close(got, want, 10 * rtol(dt), max(want, 1.0))
    with pytest.raises(NotImplementedError):
        norm_ord(np.ones((2, 2, 2)), 1)


def test_norm_errors():
    a = np.ones((2, 2))
    for o in (3, 0.5):
        with pytest.raises(ValueError) as e:
            norm_ord(a, o)
        with pytest.raises(ValueError) as w:
            la.norm(a, o)
        assert str(e.value) == str(w.value)
    with pytest.raises(ValueError):
        norm_axis(a, None, 2)
    with pytest.raises(ValueError) as e:
        norm_nuc(np.ones(3))
    assert str(e.value) == "Invalid norm order 'nuc' for vectors"


def test_norm_nan_inf():
    for x in (np.array([1.0, np.nan, 3.0]), np.array([np.inf, -2.0]), np.array([-np.inf, np.nan])):
        for o in VORDS:
            want = la.norm(x, o)
            got = norm_ord(x, o)
            assert (np.isnan(got) and np.isnan(want)) or got == want or abs(got - want) <= 1e-12 * abs(want), (x, o)


# -- generated ---------------------------------------------------------------------------

if given is not None:
    @settings(max_examples=40)
    @given(st.integers(1, 9), st.integers(0, 2 ** 32 - 1), st.sampled_from(["f8", "c16", "f4", "i8"]))
    def test_generated(n, seed, dt):
        a = matrix(n, dt, seed, regular=True)
        b = matrix(n, dt, seed + 1, 2)
        close(det(a), la.det(a), 100 * rtol(dt) * n, max(abs(la.det(a)), 1e-300))
        close(solve(a, b), la.solve(a, b), 100 * rtol(dt) * np.linalg.cond(a.astype(complex)))
        close(inv(a), la.inv(a), 100 * rtol(dt) * np.linalg.cond(a.astype(complex)))
        s = spd(n, dt, seed) if np.dtype(dt).kind != "i" else spd(n, np.float64, seed)
        close(cholesky(s), la.cholesky(s), 100 * rtol(dt))
        close(eigvalsh(s), la.eigvalsh(s), 100 * rtol(dt) * n, np.max(la.eigvalsh(s)))
