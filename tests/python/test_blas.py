"""matmul, dot and np.linalg through NumPy's own OpenBLAS (jit/blas.c,
targets/native/rt_blas.c, jit/ember/_lib_blas.py): results equal NumPy's to
the bit where NumPy calls the same routine (products above the loops' size,
in layouts BLAS takes; LAPACK's solve, inv, det, slogdet, cholesky, qr, eigh,
eigvalsh, svd, lstsq, and norm 2, cond and matrix_rank from gesdd's values), within a few ulps elsewhere; errors as NumPy's; EMBER_NO_BLAS=1
runs the compiled loops instead, with the same answers within rounding."""
import os
import subprocess
import sys

import numpy as np
import pytest

import ember

NEW = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 3)   # matmul copies what BLAS cannot take
FLOATS = [np.float64, np.float32, np.complex128, np.complex64]
TOL = {np.float64: 1e-12, np.complex128: 1e-12, np.float32: 1e-5, np.complex64: 1e-5}


def rand(shape, dt, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if np.dtype(dt).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dt)


def same(r, e):
    """Equal to the bit, dtype included (tuples item by item)."""
    if isinstance(e, tuple):
        return len(r) == len(e) and all(same(x, y) for x, y in zip(r, e))
    r, e = np.asarray(r), np.asarray(e)
    return r.dtype == e.dtype and r.shape == e.shape and np.array_equal(r, e, equal_nan=True)


def close(r, e, dt):
    r, e = np.asarray(r), np.asarray(e)
    scale = max(1.0, float(np.abs(e).max())) if e.size else 1.0
    return r.dtype == e.dtype and r.shape == e.shape and np.allclose(r, e, rtol=TOL[dt], atol=TOL[dt] * scale)


@ember.jit
def matmul(a, b):
    return a @ b


@ember.jit
def npmatmul(a, b):
    return np.matmul(a, b)


@ember.jit
def dot(a, b):
    return np.dot(a, b)


@ember.jit
def mdot(a, b):
    return a.dot(b)


def layouts(a):
    """'a' C-contiguous, Fortran-ordered, as a transposed view, and every other row and column of a bigger one."""
    big = np.zeros((2 * a.shape[0] + 1, 2 * a.shape[1] + 1), a.dtype)
    big[1::2, 1::2] = a
    return {"C": a, "F": np.asfortranarray(a), "T": a.T.copy().T, "strided": big[1::2, 1::2],
            "reversed": a[::-1].copy()[::-1]}


# -- Products ---------------------------------------------------------------------

@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mkn", [(40, 50, 30), (1, 60, 70), (60, 70, 1), (1, 2000, 1), (64, 64, 64)])
def test_matmul_2d_exact(dt, mkn):
    m, k, n = mkn
    a, b = rand((m, k), dt, 1), rand((k, n), dt, 2)
    for la, x in layouts(a).items():
        for lb, y in layouts(b).items():
            exact = NEW or min(m, n) == 1 or {la, lb} <= {"C", "F", "T"}   # older NumPy: its loop, not a copy
            r, e = matmul(x, y), x @ y
            assert same(r, e) if exact else close(r, e, dt), (la, lb)
    assert same(npmatmul(a, b), np.matmul(a, b))


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mk", [(50, 40), (1, 3000), (3000, 1), (200, 300)])
def test_matrix_vector_exact(dt, mk):
    m, k = mk
    a, v, w = rand((m, k), dt, 3), rand(k, dt, 4), rand(m, dt, 5)
    dot_exact = same if min(m, k) > 1 else lambda r, e: close(r, e, dt)   # np.dot by a 1-item operand: axpy
    for la, x in layouts(a).items():
        assert same(matmul(x, v), x @ v), la
        assert same(matmul(w, x), w @ x), la
        assert dot_exact(dot(x, v), np.dot(x, v)), la
        assert dot_exact(mdot(w, x), w.dot(x)), la
    assert same(matmul(a[:, ::3], v[::3]), a[:, ::3] @ v[::3])      # a strided vector: incx 3


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("n", [2000, 4096, 30000])
def test_dot_1d_exact(dt, n):
    x, y = rand(n, dt, 6), rand(n, dt, 7)
    assert same(dot(x, y), np.dot(x, y))
    assert same(matmul(x, y), x @ y)
    assert same(dot(x[::2], y[1::2]), np.dot(x[::2], y[1::2]))
    assert close(dot(x[::-1], y), np.dot(x[::-1], y), dt)  # NumPy 2.3 on: the copy's ddot
    if NEW:
        assert same(dot(x[::-1], y), np.dot(x[::-1], y))


def test_dot_signed_zero():
    x = np.zeros(5000)
    y = -np.ones(5000)
    assert same(dot(x, y), np.dot(x, y))                      # 0.0, not -0.0


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mkn", [(2, 3, 4), (5, 5, 5), (9, 9, 9), (3, 1, 4), (0, 5, 3), (4, 0, 3), (4, 5, 0), (1, 1, 1)])
def test_small_and_empty(dt, mkn):
    m, k, n = mkn
    a, b = rand((m, k), dt, 8), rand((k, n), dt, 9)
    assert close(matmul(a, b), a @ b, dt)
    assert close(dot(a, b), np.dot(a, b), dt)
    if n:
        assert close(matmul(a, b[:, 0]), a @ b[:, 0], dt)


@pytest.mark.parametrize("dt", FLOATS + [np.int64])
@pytest.mark.parametrize("shapes", [((4, 30, 40), (4, 40, 20)), ((4, 30, 40), (1, 40, 20)), ((1, 30, 40), (4, 40, 20)),
                                    ((30, 40), (4, 40, 20)), ((4, 30, 40), (40, 20)), ((60,), (4, 60, 20)),
                                    ((4, 30, 40), (40,)), ((2, 0, 3), (2, 3, 4)), ((0, 3, 4), (4, 5))])
def test_matmul_stacks(dt, shapes):
    a, b = rand(shapes[0], dt, 14) * 3, rand(shapes[1], dt, 15) * 3
    a, b = a.astype(dt), b.astype(dt)
    assert same(matmul(a, b), a @ b)
    assert same(npmatmul(a, b), np.matmul(a, b))


@pytest.mark.parametrize("shapes", [((2, 3, 4), (3, 4, 5)), ((2, 3, 4), (2, 5, 5)), ((4,), (2, 5, 6)), ((2, 3, 4), (5,))])
def test_matmul_stack_errors(shapes):
    raises_as_numpy(matmul, np.matmul, np.ones(shapes[0]), np.ones(shapes[1]))


def test_mixed_and_integer_dtypes():
    a, b = rand((40, 50), np.float32, 10), rand((50, 30), np.float64, 11)
    assert close(matmul(a, b), a @ b, np.float64)
    ia = np.arange(40 * 50).reshape(40, 50) % 7 - 3
    ib = np.arange(50 * 30).reshape(50, 30) % 5 - 2
    assert same(matmul(ia, ib), ia @ ib)
    assert close(matmul(ia.astype(np.float64), b), ia.astype(np.float64) @ b, np.float64)


@pytest.mark.parametrize("shapes", [((3,), (4, 5)), ((2, 3), (4,)), ((2, 3), (4, 5)), ((3,), (4,))])
def test_dot_errors(shapes):
    raises_as_numpy(dot, np.dot, np.ones(shapes[0]), np.ones(shapes[1]))


def test_matmul_errors_unchanged():
    a, b = rand((40, 50), np.float64, 12), rand((40, 30), np.float64, 13)
    with pytest.raises(ValueError) as e:
        a @ b
    with pytest.raises(ValueError) as r:
        matmul(a, b)
    assert str(r.value) == str(e.value)


# -- LAPACK -------------------------------------------------------------------------

@ember.jit
def solve(a, b):
    return np.linalg.solve(a, b)


@ember.jit
def inv(a):
    return np.linalg.inv(a)


@ember.jit
def det(a):
    return np.linalg.det(a)


@ember.jit
def slogdet(a):
    return np.linalg.slogdet(a)


@ember.jit
def cholesky(a):
    return np.linalg.cholesky(a)


@ember.jit
def eigh(a):
    return np.linalg.eigh(a)


@ember.jit
def eigvalsh(a):
    return np.linalg.eigvalsh(a)


@ember.jit
def qr(a):
    return np.linalg.qr(a)


@ember.jit
def qr_modes(a):
    return np.linalg.qr(a, "complete"), np.linalg.qr(a, mode="r")


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (0, 3), (3, 0), (1, 1), (40, 25), (25, 40)])
def test_qr_exact(dt, shape):
    a = rand(shape, dt, 40)
    for la, x in layouts(a).items():
        assert same(tuple(qr(x)), tuple(np.linalg.qr(x))), la
    (qc, rc), r = qr_modes(a)
    assert same((qc, rc, r), tuple(np.linalg.qr(a, "complete")) + (np.linalg.qr(a, "r"),))


@ember.jit
def svd(a):
    return np.linalg.svd(a)


@ember.jit
def svd_reduced(a):
    return np.linalg.svd(a, full_matrices=False)


@ember.jit
def svd_values(a):
    return np.linalg.svd(a, compute_uv=False)


@ember.jit
def svdvals(a):
    return np.linalg.svdvals(a)


@ember.jit
def by_svd(a):
    return np.linalg.norm(a, 2), np.linalg.norm(a, -2), np.linalg.cond(a), np.linalg.matrix_rank(a)


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (0, 3), (3, 0), (1, 1), (40, 25), (25, 40)])
def test_svd_exact(dt, shape):
    a = rand(shape, dt, 50)
    for la, x in layouts(a).items():
        assert same(tuple(svd(x)), tuple(np.linalg.svd(x))), la
        assert same(tuple(svd_reduced(x)), tuple(np.linalg.svd(x, full_matrices=False))), la
        if hasattr(np.linalg, "svdvals"):
            assert same(svdvals(x), np.linalg.svdvals(x)), la
        if a.size:
            e = (np.linalg.norm(x, 2), np.linalg.norm(x, -2), np.linalg.cond(x), np.linalg.matrix_rank(x))
            assert same(by_svd(x), e), la


@ember.jit
def lstsq(a, b):
    return np.linalg.lstsq(a, b)


@ember.jit
def lstsq_rcond(a, b, r):
    return np.linalg.lstsq(a, b, rcond=r)


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("mnk", [(5, 3, 2), (3, 5, 2), (4, 4, 1), (6, 3, 0), (0, 3, 2), (3, 0, 2), (1, 1, 1), (40, 25, 3)])
def test_lstsq_exact(dt, mnk):
    m, n, k = mnk
    a, b, v = rand((m, n), dt, 60), rand((m, k), dt, 61), rand(m, dt, 62)
    for la, x in layouts(a).items():
        assert same(lstsq(x, b), np.linalg.lstsq(x, b)), la
        assert same(lstsq(x, v), np.linalg.lstsq(x, v)), la


def test_lstsq_rank_and_errors():
    a, b = np.ones((4, 3)), np.arange(4.0)
    assert same(lstsq(a, b), np.linalg.lstsq(a, b))              # rank 1: no residuals
    assert same(lstsq_rcond(a, b, 0.5), np.linalg.lstsq(a, b, rcond=0.5))
    ia, ib = np.arange(12).reshape(4, 3) % 5, np.arange(4)
    assert same(lstsq(ia, ib), np.linalg.lstsq(ia, ib))
    raises_as_numpy(lstsq, np.linalg.lstsq, np.ones((4, 3)), np.ones(5))
    raises_as_numpy(lstsq, np.linalg.lstsq, np.ones(4), np.ones(4))


@ember.jit
def cond(a, p):
    return np.linalg.cond(a, p)


@pytest.mark.parametrize("dt", FLOATS)
def test_cond_by_inv_exact(dt):
    a = rand((6, 6), dt, 70)
    for p in (1, -1, np.inf, -np.inf):
        r, e = cond(a, p), np.linalg.cond(a, p)
        assert np.asarray(r).dtype == np.asarray(e).dtype or not NEW, p   # NumPy 2.2: complex for complex x
        if dt in (np.float64, np.float32) or p == 1:   # complex norms (_mnorm) may differ in the last bit
            assert r == e, p
        else:
            assert abs(r - e) <= TOL[dt] * abs(e), p
    assert cond(np.ones((3, 3)), 1) == np.linalg.cond(np.ones((3, 3)), 1)    # singular: inf


def test_svd_errors():
    with pytest.raises(NotImplementedError):
        svd_values(np.eye(3))
    raises_as_numpy(svd, np.linalg.svd, np.ones(3))
    bad = np.eye(3)
    bad[1, 1] = np.nan
    raises_as_numpy(svd, np.linalg.svd, bad)


def spd(n, dt, seed):
    a = rand((n, n), dt, seed)
    return (a @ a.conj().T + n * np.eye(n)).astype(dt)


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("n", [0, 1, 2, 7, 30])
def test_lapack_exact(dt, n):
    a, b, bb = rand((n, n), dt, 20 + n), rand(n, dt, 21), rand((n, 3), dt, 22)
    s = spd(n, dt, 23 + n)
    for la, x in layouts(a).items():
        assert same(det(x), np.linalg.det(x)), la
        assert same(tuple(slogdet(x)), tuple(np.linalg.slogdet(x))), la
        assert same(inv(x), np.linalg.inv(x)), la
        assert same(solve(x, b), np.linalg.solve(x, b)), la
        assert same(solve(x, bb), np.linalg.solve(x, bb)), la
    for ls, x in layouts(s).items():
        assert same(cholesky(x), np.linalg.cholesky(x)), ls
        assert same(tuple(eigh(x)), tuple(np.linalg.eigh(x))), ls
        assert same(eigvalsh(x), np.linalg.eigvalsh(x)), ls


def test_lapack_integer_input():
    a = (np.arange(25).reshape(5, 5) % 7 - 3) + 10 * np.eye(5, dtype=np.int64)
    assert same(det(a), np.linalg.det(a))
    assert same(inv(a), np.linalg.inv(a))
    assert same(solve(a, np.arange(5)), np.linalg.solve(a, np.arange(5)))


def raises_as_numpy(f, g, *args):
    with pytest.raises(Exception) as e:
        g(*args)
    with pytest.raises(Exception) as r:
        f(*args)
    assert type(r.value) is type(e.value) and str(r.value) == str(e.value)


def test_lapack_errors():
    sing = np.array([[1.0, 2.0], [2.0, 4.0]])
    raises_as_numpy(inv, np.linalg.inv, sing)
    raises_as_numpy(solve, np.linalg.solve, sing, np.ones(2))
    assert same(det(sing), np.linalg.det(sing))
    assert same(tuple(slogdet(sing)), tuple(np.linalg.slogdet(sing)))
    raises_as_numpy(cholesky, np.linalg.cholesky, -np.eye(3))
    raises_as_numpy(cholesky, np.linalg.cholesky, np.array([[1.0, 2.0], [2.0, 1.0]]))
    raises_as_numpy(inv, np.linalg.inv, np.ones((2, 3)))
    raises_as_numpy(eigh, np.linalg.eigh, np.ones((3, 2)))


def test_stacks_exact():
    a = rand((4, 6, 6), np.float64, 30)
    s = np.stack([spd(6, np.float64, 31 + i) for i in range(4)])
    assert same(det(a), np.linalg.det(a))
    assert same(inv(a), np.linalg.inv(a))
    assert same(cholesky(s), np.linalg.cholesky(s))
    assert same(tuple(eigh(s)), tuple(np.linalg.eigh(s)))


# -- Without BLAS -------------------------------------------------------------------

_NO_BLAS = r"""
import numpy as np, ember
@ember.jit
def f(a, b, v, s):
    return a @ b, a @ v, v @ a, np.dot(v, v), np.linalg.solve(a, v), np.linalg.inv(a), np.linalg.det(a), \
        np.linalg.cholesky(s), np.linalg.eigvalsh(s), np.abs(np.linalg.qr(a)[1])
rng = np.random.default_rng(0)
a = rng.standard_normal((40, 40)); b = rng.standard_normal((40, 40)); v = rng.standard_normal(40)
s = a @ a.T + 40 * np.eye(40)
e = (a @ b, a @ v, v @ a, np.dot(v, v), np.linalg.solve(a, v), np.linalg.inv(a), np.linalg.det(a),
     np.linalg.cholesky(s), np.linalg.eigvalsh(s), np.abs(np.linalg.qr(a)[1]))
r = f(a, b, v, s)
print(all(np.allclose(x, y, rtol=1e-9, atol=1e-9) for x, y in zip(r, e)))
"""


def test_without_blas():
    env = dict(os.environ, EMBER_NO_BLAS="1")
    out = subprocess.run([sys.executable, "-c", _NO_BLAS], env=env, capture_output=True, text=True, timeout=600)
    assert out.stdout.strip() == "True", out.stderr
