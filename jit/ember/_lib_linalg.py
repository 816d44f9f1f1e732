"""ember._lib_linalg: numpy.linalg for matrices (2-D arrays, one stack of them)
and norm of vectors and matrices, written with ember.jit like ember._lib (whose
resolve() imports this module on the first "numpy.linalg.<f>" a compile asks
for; infer reaches np.linalg.<f> and a global bound to the numpy.linalg module
or one of its functions as that name).  In order: helpers, LU (det, slogdet),
solving (solve, inv, matrix_power), cholesky, qr, symmetric eigenproblems,
norms, cond and matrix_rank, stacks.

Dtypes as NumPy's linalg: float32, float64, complex64 and complex128 stay,
bool and integer arrays are converted to float64; every function works on a
C-contiguous copy of that dtype (the working array 'w').

det, slogdet, solve, inv, cholesky, qr, eigh and eigvalsh call NumPy's own
LAPACK (ember._lib_blas: getrf, gesv, potrf, geqrf and orgqr, syevd/heevd)
as NumPy does: on
a column-major copy (the C-contiguous copy of the transpose, _work(a.T,
_dz(a))) in float64 or complex128 (NumPy's _commonType), the results cast to
the dtype above; their results are NumPy's to the bit.  Where that LAPACK is
missing (another NumPy build, EMBER_NO_BLAS=1) the code below runs instead.

The algorithms are LAPACK's unblocked ones, so that pivots, signs and
rounding follow NumPy's closely:
  _getrf  LU with partial pivoting (getf2): the first row of largest |a[i, k]|
          (|re| + |im| for complex, as izamax) is swapped in, the column is
          scaled by the pivot's reciprocal, and the trailing rows are updated
          by one axpy each over a contiguous row, which LLVM vectorizes;
  det, slogdet  from the LU's diagonal as NumPy's umath_linalg: a sign (a
          unit complex number for complex) and the sum of log|u_ii|, det =
          sign * exp(logdet); an exactly zero pivot gives (0, -inf);
  solve, inv    getrs on the LU: row swaps, then unit lower and upper
          triangular solves over contiguous rows of the right-hand side; inv
          solves for the identity as NumPy's inv does (gesv);
  cholesky      of the lower triangle, as U = L^H by rows, right-looking,
          whose trailing update is an axpy per row;
  qr            Householder (geqr2 with larfg's reflectors, so R's diagonal
          has LAPACK's signs), Q formed as org2r does; modes 'reduced',
          'complete' and 'r';
  eigh, eigvalsh  cyclic Jacobi rotations of the symmetric (Hermitian)
          matrix built from the lower triangle (UPLO 'U': the upper one;
          frontend/strargs.c passes it as a bool), eigenvalues ascending,
          eigenvectors as columns; float32 and complex64 are computed in
          float64 and complex128;
  norm          NumPy's formulas for vectors (None, 2, 1, inf, -inf, 0, p)
          and matrices (None/'fro', 1, -1, inf, -inf; 2 and -2 from singular
          values by one-sided Jacobi, 'nuc' their sum);
  cond, matrix_rank  from those singular values, or norms of a and inv(a).

Errors are NumPy's numpy.linalg.LinAlgError with its text ("Singular
matrix", "Matrix is not positive definite", "Last 2 dimensions of the array
must be square"), which compiled code raises like a builtin exception
(jit/capture.c, jit/rterror.c).  One stack of matrices (3-D) goes matrix by
matrix for det, slogdet, solve, inv, cholesky, eigh and eigvalsh (see
"Stacks"); more dimensions, and stacks elsewhere, raise NotImplementedError.
"""
import math

import numpy as np
from numpy.linalg import LinAlgError

from . import _prim
from . import jit
from ._lib import _dot11, _impl, _keep
from ._lib_blas import evd as _evd, gelsd as _gelsd, geqrf as _geqrf, gesdd as _lapack_gesdd, gesv as _gesv, getrf as _lapack_getrf, \
    orgqr as _orgqr, potrf as _potrf

_INF = math.inf
# NumPy 2.3 on: norm's maxima take initial=0 (an empty vector's inf-norm is 0, not a ValueError)
_MAX_INITIAL = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 3)


# -- Helpers --------------------------------------------------------------------

@jit
def _fzero(a):
    """0 of the dtype linalg computes 'a' in: float32/64 and complex stay, the rest is float64."""
    if _prim.inexact(a):
        return a.dtype.type(0)
    return np.float64(0)


@jit
def _dz(a):
    """0 of the dtype NumPy's linalg computes 'a' in (_commonType): float64 or complex128."""
    return _fzero(a) * np.float64(0)


@jit
def _cast(v, z):
    """Number 'v' as the dtype of 'z' (NumPy's astype of a result)."""
    o = np.empty(1, _prim.dtype_of(z))
    o[0] = v
    return o[0]


@jit
def _rzero(a):
    """0 of the real dtype of _fzero(a) (the dtype of norms and log|det|)."""
    return abs(_fzero(a))


@jit
def _check_2d(a):
    """NumPy's LinAlgError for fewer than two dimensions; more are not supported here."""
    if a.ndim < 2:
        raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be at least two-dimensional")
    if a.ndim > 2:
        raise NotImplementedError("numpy.linalg of stacks of stacks of matrices (ndim > 3) is not supported by Ember")


@jit
def _mat(a):
    """'a' if it is 2-D; else (after _check_2d has raised) an empty matrix, so that
    the caller's code for matrices compiles for any ndim."""
    if a.ndim == 2:
        return a
    return np.zeros((0, 0), a.dtype)


@jit
def _check_square(a):
    """NumPy's LinAlgError unless 'a' is a square matrix."""
    _check_2d(a)
    m = _mat(a)
    if m.shape[0] != m.shape[1]:
        raise LinAlgError("Last 2 dimensions of the array must be square")


@jit
def _work(a, z):
    """A C-contiguous copy of 2-D 'a' with the dtype of 'z'."""
    w = np.empty((a.shape[0], a.shape[1]), _prim.dtype_of(z))
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            w[i, j] = a[i, j]
    return w


@jit
def _work1(b, z):
    """A copy of 1-D 'b' with the dtype of 'z'."""
    w = np.empty(b.shape[0], _prim.dtype_of(z))
    for i in range(b.shape[0]):
        w[i] = b[i]
    return w


@jit
def _abs1(x):
    """|x| for reals, |re| + |im| for complex (BLAS's i?amax measure)."""
    if _prim.floating(x):
        return abs(x)
    return abs(x.real) + abs(x.imag)


@jit
def _conj(x):
    """The complex conjugate of complex 'x'; other numbers as they are."""
    if _prim.floating(x) or not _prim.inexact(x):
        return x
    return x.real - x.imag * 1j


# -- LU -------------------------------------------------------------------------

@jit
def _swap_rows(w, k, p):
    for j in range(w.shape[1]):
        t = w[k, j]
        w[k, j] = w[p, j]
        w[p, j] = t


@jit
def _axpy_row(w, i, k, l, j0):
    """w[i, j0:] -= l * w[k, j0:]: a loop over two row views from 0, whose bounds
    checks leave the loop, so that LLVM vectorizes it."""
    x = w[i, j0:]
    y = w[k, j0:]
    for j in range(x.shape[0]):
        x[j] -= l * y[j]


@jit
def _getrf(w, piv):
    """LU of square C-contiguous 'w' in place (L below the diagonal, unit; U on and
    above), row k swapped with row piv[k] at step k; 0, or k + 1 for the first
    exactly zero pivot u_kk (the factorization goes on past it, as getf2's)."""
    n = w.shape[0]
    info = 0
    sfmin = 2.2250738585072014e-308   # float64's smallest normal: below it, divide (getf2)
    for k in range(n):
        p = k
        m = _abs1(w[k, k])
        for i in range(k + 1, n):
            v = _abs1(w[i, k])
            if v > m:
                m = v
                p = i
        piv[k] = p
        if w[p, k] != 0:
            if p != k:
                _swap_rows(w, k, p)
            d = w[k, k]
            if abs(d) >= sfmin:
                r = 1 / d
                for i in range(k + 1, n):
                    w[i, k] *= r
            else:
                for i in range(k + 1, n):
                    w[i, k] /= d
        elif info == 0:
            info = k + 1
        for i in range(k + 1, n):
            _axpy_row(w, i, k, w[i, k], k + 1)
    return info


@jit
def _lu(a):
    """(w, piv, info): _getrf of a working copy of square 'a'."""
    _check_square(a)
    a = _mat(a)
    w = _work(a, _fzero(a))
    piv = np.empty(w.shape[0], np.int64)
    info = _getrf(w, piv)
    return w, piv, info


@jit
def _slogdet_lu(w, piv, info):
    """(sign, log|det|) from an LU, as NumPy's umath_linalg computes them."""
    n = w.shape[0]
    one = _fzero(w) + 1
    logdet = _rzero(w)
    if info > 0:
        return one * 0, logdet - _INF
    sign = one
    for k in range(n):
        if piv[k] != k:
            sign = -sign
    for k in range(n):
        d = w[k, k]
        ad = abs(d)
        if _prim.floating(d):
            if d < 0:
                sign = -sign
        else:
            sign = sign * complex(d.real / ad, d.imag / ad)   # each part divided, as NumPy's
        logdet += np.log(ad)
    return sign, logdet


@jit
def _lu_lapack(a):
    """(w, piv, info) as _lu's in float64 or complex128, by LAPACK's getrf of a's
    column-major copy (w holds the transpose: the same diagonal) where it is there."""
    _check_square(a)
    a = _mat(a)
    w = _work(a.T, _dz(a))
    piv = np.empty(w.shape[0], np.int64)
    info = _lapack_getrf(w, piv)
    if info < 0:
        w = _work(a, _dz(a))
        info = _getrf(w, piv)
    return w, piv, info


@jit
def _slogdet(a):
    w, piv, info = _lu_lapack(a)
    sign, logdet = _slogdet_lu(w, piv, info)
    return _cast(sign, _fzero(a)), _cast(logdet, _rzero(a))


@jit
def _det(a):
    w, piv, info = _lu_lapack(a)
    sign, logdet = _slogdet_lu(w, piv, info)
    return _cast(sign * np.exp(logdet), _fzero(a))


# -- Solving --------------------------------------------------------------------

@jit
def _getrs(w, piv, x):
    """Solve (LU from _getrf) x_new = x in place, x 2-D with rows as right-hand sides' items."""
    n = w.shape[0]
    for k in range(n):
        if piv[k] != k:
            _swap_rows(x, k, piv[k])
    if x.shape[1] == 1:
        _getrs1(w, x[:, 0])
        return
    for i in range(n):            # L y = P b, L unit lower
        for j in range(i):
            l = w[i, j]
            if l != 0:
                _axpy_row(x, i, j, l, 0)
    for i in range(n - 1, -1, -1):   # U x = y
        for j in range(n - 1, i, -1):
            u = w[i, j]
            if u != 0:
                _axpy_row(x, i, j, u, 0)
        d = w[i, i]
        for c in range(x.shape[1]):
            x[i, c] /= d


@jit
def _getrs1(w, x):
    """_getrs of one right-hand side 'x' (1-D, rows swapped): each x[i] takes its
    products in trsm's order, without a call per item."""
    n = w.shape[0]
    for i in range(n):
        s = x[i]
        for j in range(i):
            s -= w[i, j] * x[j]
        x[i] = s
    for i in range(n - 1, -1, -1):
        s = x[i]
        for j in range(n - 1, i, -1):
            s -= w[i, j] * x[j]
        x[i] = s / w[i, i]


@jit
def _mismatch(a, b):
    """NumPy's ValueError for b's rows not matching a."""
    if b.ndim == 1:
        raise ValueError(f"solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                         f"(m,m),(m)->(m) (size {b.shape[0]} is different from {a.shape[0]})")
    raise ValueError(f"solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                     f"(m,m),(m,n)->(m,n) (size {b.shape[0]} is different from {a.shape[0]})")


@jit
def _solve(a, b):
    _check_square(a)
    a = _mat(a)
    z = _fzero(a) + _fzero(b)
    n = a.shape[0]
    if b.ndim == 1:
        if b.shape[0] != n:
            _mismatch(a, b)
        x = np.empty((n, 1), _prim.dtype_of(z))
        for i in range(n):
            x[i, 0] = b[i]
    else:
        if b.ndim != 2:
            raise NotImplementedError("numpy.linalg.solve of stacks (b.ndim > 2) is not supported by Ember")
        if b.shape[0] != n:
            _mismatch(a, b)
        x = _work(b, z)
    xt = _work(x.T, z * np.float64(0))         # LAPACK's gesv in float64 or complex128, as NumPy's
    info = _gesv(_work(a.T, z * np.float64(0)), xt)
    if info == 0:
        x = _work(xt.T, z)
    else:
        w = _work(a, z)
        piv = np.empty(n, np.int64)
        if info > 0 or _getrf(w, piv) > 0:
            raise LinAlgError("Singular matrix")
        _getrs(w, piv, x)
    if b.ndim == 1:
        return x.reshape(n)
    return x


@jit
def _eye(n, z):
    """The n by n identity of the dtype of 'z'."""
    x = np.zeros((n, n), _prim.dtype_of(z))
    for i in range(n):
        x[i, i] = 1
    return x


@jit
def _inv(a):
    x, info = _inv_info(a, _fzero(a))
    if info > 0:
        raise LinAlgError("Singular matrix")
    return x


@jit
def _inv_info(a, z):
    """(inverse of square 'a' in the dtype of 'z', info): LAPACK's gesv of the identity in
    float64 or complex128, as NumPy's inv, else _getrf and _getrs; info > 0 singular."""
    _check_square(a)
    m = _mat(a)
    x = _eye(m.shape[0], _dz(m))
    info = _gesv(_work(m.T, _dz(m)), x)     # LAPACK: x becomes the inverse's transpose
    if info >= 0:
        return _work(x.T, z), info
    w, piv, info = _lu(a)
    x = _eye(w.shape[0], _fzero(w))
    if info == 0:
        _getrs(w, piv, x)
    return _work(x, z), info


@_impl("numpy.linalg.matrix_power")
def matrix_power(a, n):
    """NumPy's binary powering; n < 0 powers inv(a) (float arrays only: an integer
    matrix's negative power would change the result's dtype at run time)."""
    if _prim.inexact(n):
        raise TypeError("exponent must be an integer")
    _check_square(a)
    a = _mat(a)
    if n < 0:
        if not _prim.inexact(a):
            raise NotImplementedError("matrix_power of an integer matrix to a negative power is not supported "
                                      "by Ember (convert it to float first)")
        return _power(_inv(a), -n)
    return _power(a, n)


@jit
def _power(a, n):
    """a ** n for n >= 0 by NumPy's steps: n <= 3 directly, else by the bits of n."""
    if n == 0:
        r = np.zeros((a.shape[0], a.shape[0]), a.dtype)
        for i in range(a.shape[0]):
            r[i, i] = 1
        return r
    if n == 1:
        return a.copy()
    if n == 2:
        return a @ a
    if n == 3:
        return (a @ a) @ a
    z = a.copy()                  # a ** (2 ** i)
    result = z
    first = True
    while n > 0:
        if n % 2 == 1:
            if first:
                result = z
                first = False
            else:
                result = result @ z
        n = n // 2
        if n > 0:
            z = z @ z
    return result


# -- Cholesky -------------------------------------------------------------------

@jit
def _cholesky(a, upper=False):
    """Lower L with a = L L^H from a's lower triangle (upper=True: L^H).  Computed
    as U = L^H by rows, right-looking (potf2 with uplo 'U' in outer-product form):
    row k of U scaled by 1/u_kk, then the trailing rows updated by axpys."""
    _check_square(a)
    a = _mat(a)
    n = a.shape[0]
    z = _fzero(a)
    w = _work(a.T, _dz(a))            # LAPACK's potrf, as NumPy's
    info = _potrf(w, upper)
    if info > 0:
        raise LinAlgError("Matrix is not positive definite")
    if info == 0:
        return _triangle_t(w, upper, z)
    w = np.zeros((n, n), _prim.dtype_of(z))
    for i in range(n):
        for j in range(i + 1):
            w[j, i] = _conj(z + a[i, j])
    for k in range(n):
        d = w[k, k].real
        if d <= 0:                   # NaN goes on, as NumPy's (a NaN factor)
            raise LinAlgError("Matrix is not positive definite")
        r = np.sqrt(d)
        w[k, k] = r
        rr = 1 / r
        for j in range(k + 1, n):
            w[k, j] *= rr
        for i in range(k + 1, n):
            f = _conj(w[k, i])
            if f != 0:
                _axpy_row(w, i, k, f, i)
    if upper:
        return w
    return _conj_t(w)


@jit
def _triangle_t(w, upper, z):
    """The lower (upper: upper) triangle of w's transpose, zeros elsewhere, of the dtype of 'z'."""
    n = w.shape[0]
    out = np.zeros((n, n), _prim.dtype_of(z))
    for i in range(n):
        lo = i if upper else 0
        hi = n if upper else i + 1
        for j in range(lo, hi):
            out[i, j] = w[j, i]
    return out


@jit
def _conj_t(L):
    n = L.shape[0]
    U = np.empty((L.shape[1], n), L.dtype)
    for i in range(L.shape[1]):
        for j in range(n):
            U[i, j] = _conj(L[j, i])
    return U


# -- QR -------------------------------------------------------------------------

@jit
def _larfg(w, j):
    """larfg on column j of 'w' below row j-1: the reflector H = I - tau v v^H with
    v = (1, w[j+1:, j]) and H^H (alpha, x) = (beta, 0); beta goes to w[j, j]; tau."""
    m = w.shape[0]
    alpha = w[j, j]
    ss = _rzero(w)
    for i in range(j + 1, m):
        x = w[i, j]
        if _prim.floating(x):
            ss += x * x
        else:
            ss += x.real * x.real + x.imag * x.imag
    xnorm = math.sqrt(ss)
    z = _fzero(w)
    if _prim.floating(alpha):
        if xnorm == 0:
            return z
        beta = -math.copysign(math.hypot(alpha, xnorm), alpha)
        tau = z + (beta - alpha) / beta
        scale = 1 / (alpha - beta)
    else:
        ar = alpha.real
        ai = alpha.imag
        if xnorm == 0 and ai == 0:
            return z
        beta = -math.copysign(math.sqrt(ar * ar + ai * ai + xnorm * xnorm), ar)
        tau = z + complex((beta - ar) / beta, -ai / beta)
        scale = 1 / (alpha - beta)
    for i in range(j + 1, m):
        w[i, j] *= scale
    w[j, j] = beta
    return tau


@jit
def _larf_left(w, j, t, c0, u):
    """Apply H = I - t v v^H (v = (1, w[j+1:, j])) from the left to w[j:, c0:], with
    'u' (at least w.shape[1] - c0 items) as work space."""
    m = w.shape[0]
    nc = w.shape[1] - c0
    keep = w[j, j]
    w[j, j] = 1
    for c in range(nc):
        u[c] = 0
    for r in range(j, m):
        vr = _conj(w[r, j])
        if vr != 0:
            for c in range(nc):
                u[c] += vr * w[r, c0 + c]
    for r in range(j, m):
        f = t * w[r, j]
        if f != 0:
            for c in range(nc):
                w[r, c0 + c] -= f * u[c]
    w[j, j] = keep


@_impl("numpy.linalg.qr")
def qr(a, mode=None):
    """NumPy's qr as geqrf and orgqr make it.  'mode' as frontend/strargs.c passes it,
    told apart by its type: None 'reduced' ((Q, R): Q m x k with orthonormal columns,
    R k x n upper triangular, k = min(m, n)), a complex 'complete' (Q m x m, R m x n),
    a float 'r' (R alone, k x n)."""
    _check_2d(a)
    a = _mat(a)
    m = a.shape[0]
    n = a.shape[1]
    k = min(m, n)
    mc = k
    only_r = False
    if mode is not None:
        if _prim.inexact(mode) and not _prim.floating(mode):
            mc = m
        only_r = _prim.floating(mode)
    q, r, info = _qr_lapack(a, mc, only_r)
    if info == 0:
        if mode is not None:
            if _prim.floating(mode):
                return r
        return q, r
    w = _work(a, _fzero(a))
    tau = np.empty(k, w.dtype)
    u = np.empty(max(m, n), w.dtype)
    for j in range(k):
        tau[j] = _larfg(w, j)
        if j < n - 1:
            _larf_left(w, j, _conj(tau[j]), j + 1, u)
    r = np.zeros((mc, n), w.dtype)
    for i in range(k):
        for j in range(i, n):
            r[i, j] = w[i, j]
    if mode is not None:
        if _prim.floating(mode):
            return r
    return _org2r(w, tau, mc, u), r


@jit
def _qr_lapack(a, mc, only_r):
    """(Q with mc columns, R with mc rows, 0) of 2-D 'a' by LAPACK's geqrf and orgqr (ungqr)
    in float64 or complex128, as NumPy's qr (Q empty with 'only_r'); info -1 without them."""
    m, n, k = a.shape[0], a.shape[1], min(a.shape[0], a.shape[1])
    w = _work(a.T, _dz(a))                # column-major: n rows of m
    tau = np.empty(k, w.dtype)
    r = np.zeros((mc, n), _prim.dtype_of(_fzero(a)))
    q = np.zeros((0 if only_r else mc, m), w.dtype)   # column-major Q
    info = _geqrf(w, m, tau)
    if info != 0:
        return _work(q.T, _fzero(a)), r, info
    for i in range(min(mc, m)):
        for j in range(i, n):
            r[i, j] = w[j, i]
    if only_r:
        return _work(q.T, _fzero(a)), r, 0
    for j in range(min(mc, n)):
        for i in range(m):
            q[j, i] = w[j, i]
    info = _orgqr(q, m, k, tau)
    return _work(q.T, _fzero(a)), r, info


@jit
def _org2r(w, tau, mc, u):
    """org2r: the first 'mc' columns of H(0) ... H(k-1), the reflectors below w's diagonal."""
    m = w.shape[0]
    k = tau.shape[0]
    q = np.zeros((m, mc), w.dtype)
    for i in range(m):
        for j in range(k):
            q[i, j] = w[i, j]
    for j in range(k, mc):
        q[j, j] = 1
    for i in range(k - 1, -1, -1):
        if i < mc - 1:
            _larf_left(q, i, tau[i], i + 1, u)
        t = tau[i]
        for r_ in range(i + 1, m):
            q[r_, i] *= -t
        q[i, i] = 1 - t
        for r_ in range(i):
            q[r_, i] = 0
    return q


# -- Symmetric eigenproblems ------------------------------------------------------

@jit
def _rotate(A, V, p, q):
    """One Jacobi rotation zeroing A[p, q] of Hermitian float64 or complex128 'A' (a
    complex a_pq = |a_pq| e^(i phi) is made real first: row q times e^(i phi),
    column q times e^(-i phi)); V's rows p and q (V holds the eigenvectors as rows)
    turn with it."""
    n = A.shape[0]
    apq = A[p, q]
    g = abs(apq)
    if _prim.floating(apq):
        g = apq                   # real: the signed a_pq
    else:
        e = apq / g
        ec = _conj(e)
        for k in range(n):
            A[q, k] *= e
        for k in range(n):
            A[k, q] *= ec
        for k in range(n):
            V[q, k] *= ec
    theta = (A[q, q].real - A[p, p].real) / (2 * g)
    t = 1 / (abs(theta) + math.hypot(1.0, theta))
    if theta < 0:
        t = -t
    c = 1 / math.hypot(1.0, t)
    s = t * c
    for k in range(n):            # rows p and q: J^T A
        x = A[p, k]
        y = A[q, k]
        A[p, k] = c * x - s * y
        A[q, k] = s * x + c * y
    for k in range(n):            # columns p and q: (J^T A) J
        x = A[k, p]
        y = A[k, q]
        A[k, p] = c * x - s * y
        A[k, q] = s * x + c * y
    A[p, q] = 0
    A[q, p] = 0
    for k in range(n):
        x = V[p, k]
        y = V[q, k]
        V[p, k] = c * x - s * y
        V[q, k] = s * x + c * y


@jit
def _jacobi(A, V):
    """Diagonalize Hermitian 'A' in place by cyclic Jacobi sweeps; a rotation is made
    while |a_pq| > eps sqrt(|a_pp a_qq|) (Demmel and Veselic's test, which keeps
    small eigenvalues accurate); V (identity at first) collects the rotations."""
    n = A.shape[0]
    eps = 2.220446049250313e-16
    for sweep in range(100):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                apq = A[p, q]
                if apq != 0 and abs(apq) > eps * math.sqrt(abs(A[p, p].real * A[q, q].real)):
                    _rotate(A, V, p, q)
                    rotated = True
        if not rotated:
            return


@jit
def _herm_lower(a):
    """The Hermitian float64 (complex128) matrix of the lower triangle of 'a' (the
    imaginary parts of its diagonal are left out, as LAPACK's heevd does)."""
    n = a.shape[0]
    z = _fzero(a) * np.float64(0)
    A = np.empty((n, n), _prim.dtype_of(z))
    for i in range(n):
        for j in range(i):
            A[i, j] = a[i, j]
            A[j, i] = _conj(z + a[i, j])
        A[i, i] = (z + a[i, i]).real
    return A


@jit
def _eye_like(A):
    V = np.zeros((A.shape[0], A.shape[0]), A.dtype)
    for i in range(A.shape[0]):
        V[i, i] = 1
    return V


@jit
def _eigvals_sorted(a):
    """The eigenvalues (float64, ascending) of the Hermitian matrix of a's lower triangle."""
    n = a.shape[0]
    A = _herm_lower(a)
    _jacobi(A, _eye_like(A))
    d = np.empty(n, np.float64)
    for i in range(n):
        d[i] = A[i, i].real
    return np.sort(d)


@jit
def _eigvalsh(a, UPLO=False):
    """Eigenvalues, ascending, of the symmetric (Hermitian) matrix of a's lower triangle
    (UPLO: frontend/strargs.c makes 'L' False, 'U' True: the upper one)."""
    _check_square(a)
    a = _mat(a)
    vals = np.empty(a.shape[0], _prim.dtype_of(abs(_dz(a))))
    info = _evd(_work(a.T, _dz(a)), vals, False, UPLO)   # LAPACK's syevd or heevd, as NumPy's
    if info > 0:
        raise LinAlgError("Eigenvalues did not converge")
    if info == 0:
        return _work1(vals, _rzero(a))
    if UPLO:
        d = _eigvals_sorted(_conj_t(a))     # the lower triangle of a^H is the conjugate of a's upper
    else:
        d = _eigvals_sorted(a)
    out = np.empty(d.shape[0], _prim.dtype_of(_rzero(a)))
    for i in range(d.shape[0]):
        out[i] = d[i]
    return out


@jit
def _eigh(a, UPLO=False):
    """(eigenvalues ascending, eigenvectors as columns) of the symmetric (Hermitian)
    matrix of a's lower (UPLO True: upper) triangle; each vector's phase is Jacobi's,
    not LAPACK's."""
    _check_square(a)
    a = _mat(a)
    n = a.shape[0]
    w = _work(a.T, _dz(a))
    vals = np.empty(n, _prim.dtype_of(abs(_dz(a))))
    info = _evd(w, vals, True, UPLO)    # LAPACK's syevd or heevd, as NumPy's
    if info > 0:
        raise LinAlgError("Eigenvalues did not converge")
    if info == 0:
        return _work1(vals, _rzero(a)), _work(w.T, _fzero(a))
    if UPLO:
        A = _herm_lower(_conj_t(a))
    else:
        A = _herm_lower(a)
    V = _eye_like(A)
    _jacobi(A, V)
    d = np.empty(n, np.float64)
    for i in range(n):
        d[i] = A[i, i].real
    idx = np.argsort(d)
    z = _fzero(a)
    vals = np.empty(n, _prim.dtype_of(_rzero(a)))
    vecs = np.empty((n, n), _prim.dtype_of(z))
    for j in range(n):
        vals[j] = d[idx[j]]
        for i in range(n):
            vecs[i, j] = V[idx[j], i]
    return vals, vecs


# -- Norms ----------------------------------------------------------------------

@jit
def _sumsq(x):
    """sqrt of the sum of |x_i|^2 over 1-D 'x' as NumPy's norm: x.dot(x), real and
    imaginary parts apart (BLAS's ?dot where NumPy's dot calls it), other dtypes as
    float64 first.  A loop adding v * v in order was 10x slower than NumPy's ddot."""
    if not _prim.inexact(x):
        return _sumsq(x.astype(np.float64))
    if _prim.floating(_fzero(x)):
        return np.sqrt(_dot11(x, x, True))
    return np.sqrt(_dot11(x.real, x.real, True) + _dot11(x.imag, x.imag, True))


@jit
def _ssq(x):
    """(sum of squares of the real parts, of the imaginary parts) of all of 'x'."""
    sr = _rzero(x)
    si = _rzero(x)
    if x.ndim == 1:
        for i in range(x.shape[0]):
            v = x[i]
            if _prim.floating(_fzero(x)):
                sr += v * v
            else:
                sr += v.real * v.real
                si += v.imag * v.imag
        return sr, si
    for i in range(x.shape[0]):
        a, b = _ssq(x[i])
        sr += a
        si += b
    return sr, si


@jit
def _no_identity(big):
    """NumPy's ValueError for the maximum (big) or minimum of nothing."""
    if big:
        raise ValueError("zero-size array to reduction operation maximum which has no identity")
    raise ValueError("zero-size array to reduction operation minimum which has no identity")


@jit
def _vnorm(x, ord):
    """NumPy's vector norm of 1-D 'x' of order 'ord' (None, a number, inf, -inf)."""
    r = _rzero(x)
    n = x.shape[0]
    if ord is None:
        return _sumsq(x)
    if ord == _INF or ord == -_INF:
        if n == 0:
            if ord > 0 and _MAX_INITIAL:
                return r                # max(initial=0)
            _no_identity(ord > 0)
        m = abs(x[0]) + r
        for i in range(1, n):
            v = r + abs(x[i])
            if m == m and (v != v or (v > m if ord > 0 else v < m)):
                m = v
        return m
    if ord == 0:
        c = r
        for i in range(n):
            if x[i] != 0:
                c += 1
        return c
    if ord == 1:
        s = r
        for i in range(n):
            s += r + abs(x[i])
        return s
    if ord == 2:
        return _sumsq(x)
    s = r
    for i in range(n):
        v = r + abs(x[i])
        if v == 0 and ord < 0:
            s += _INF               # NumPy's 0.0 ** -p
        else:
            s += v ** (r + ord)
    if s == 0 and ord < 0:
        return r + _INF             # NumPy's 0.0 ** -p (an empty x: s may be a Python float)
    return s ** (r + 1 / (r + ord))


@jit
def _frob(x):
    """The Frobenius norm of 2-D 'x' (sqrt of the sum of squares in C order)."""
    sr = _rzero(x)
    si = _rzero(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            v = x[i, j]
            if _prim.floating(_fzero(x)):
                sr += v * v
            else:
                sr += v.real * v.real
                si += v.imag * v.imag
    return np.sqrt(sr + si)


@jit
def _abs_sums(x, axis):
    """sum(abs(x), axis) of 2-D 'x' as a real array (axis 0: per column, rows added in order)."""
    r = _rzero(x)
    if axis == 0:
        out = np.zeros(x.shape[1], _prim.dtype_of(r))
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                out[j] += r + abs(x[i, j])
        return out
    out = np.zeros(x.shape[0], _prim.dtype_of(r))
    for i in range(x.shape[0]):
        s = r
        for j in range(x.shape[1]):
            s += r + abs(x[i, j])
        out[i] = s
    return out


@jit
def _extreme(v, big):
    """max (big) or min of 1-D 'v', NaN if any is, NumPy's ValueError if empty."""
    if v.shape[0] == 0:
        if big and _MAX_INITIAL:
            return v.dtype.type(0)       # max(initial=0)
        _no_identity(big)
    m = v[0]
    for i in range(1, v.shape[0]):
        x = v[i]
        if m == m and (x != x or (x > m if big else x < m)):
            m = x
    return m


@jit
def _gesdd(a, jobz):
    """(U, s, V^H, info) of 2-D 'a' by LAPACK's gesdd in float64 or complex128, as NumPy's
    svd: jobz 0 the values alone (U and V^H empty), 1 reduced, 2 full; U and V^H
    column-major (their transposes); info -1 without LAPACK."""
    m, n = a.shape[0], a.shape[1]
    k = min(m, n)
    w = _work(a.T, _dz(a))
    s = np.empty(k, _prim.dtype_of(abs(_dz(a))))
    uc = m if jobz == 2 else k * jobz
    vr = n if jobz == 2 else k * jobz
    u = np.zeros((uc, m), w.dtype)
    vt = np.zeros((n if jobz > 0 else 0, vr), w.dtype)
    if k == 0:                            # NumPy: identities, no call
        for i in range(min(uc, m)):
            u[i, i] = 1
        for i in range(min(vr, n)):
            vt[i, i] = 1
        return u, s, vt, 0
    return u, s, vt, _lapack_gesdd(w, m, s, u, vt, jobz)


@_impl("numpy.linalg.svd")
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """(U, S, Vh) of a matrix by NumPy's own LAPACK (gesdd), as NumPy's svd."""
    _check_2d(a)
    a = _mat(a)
    if not compute_uv or hermitian:
        raise NotImplementedError("numpy.linalg.svd with compute_uv=False or hermitian=True is not supported by Ember "
                                  "(numpy.linalg.svdvals is)")
    u, s, vt, info = _gesdd(a, 2 if full_matrices else 1)
    if info > 0:
        raise LinAlgError("SVD did not converge")
    if info < 0:
        raise NotImplementedError("numpy.linalg.svd needs the LAPACK of NumPy's OpenBLAS, which was not found")
    return _work(u.T, _fzero(a)), _work1(s, _rzero(a)), _work(vt.T, _fzero(a))


@_impl("numpy.linalg.lstsq")
def lstsq(a, b, rcond=None):
    """(x, residuals, rank, singular values) by LAPACK's gelsd in float64 or complex128,
    as NumPy's lstsq (rcond None: eps * max(m, n); residuals only for rank n and m > n)."""
    if a.ndim != 2:
        raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be two-dimensional")
    if b.ndim > 2:
        raise LinAlgError(f"{b.ndim}-dimensional array given. Array must be two-dimensional")
    a = _mat(a)
    m, n = a.shape[0], a.shape[1]
    if b.shape[0] != m:
        raise LinAlgError("Incompatible dimensions")
    z = _dz(a) + _dz(b)
    nrhs = 1 if b.ndim == 1 else b.shape[b.ndim - 1]
    x = np.zeros((max(nrhs, 1), max(m, n, 1)), _prim.dtype_of(z))   # column-major B, then X
    if b.ndim == 1:
        for i in range(m):
            x[0, i] = b[i]
    else:
        for j in range(nrhs):
            for i in range(m):
                x[j, i] = b[i, j]
    s = np.empty(min(m, n), np.float64)
    r = np.empty(2, np.float64)
    r[0] = 2.220446049250313e-16 * max(m, n) if rcond is None else rcond
    info = _gelsd(_work(a.T, z), m, x, s, r)
    if info > 0:
        raise LinAlgError("SVD did not converge in Linear Least Squares")
    if info < 0:
        raise NotImplementedError("numpy.linalg.lstsq needs the LAPACK of NumPy's OpenBLAS, which was not found")
    rank = int(r[1])
    res = np.empty(nrhs if rank == n and m > n else 0, _prim.dtype_of(abs(_fzero(a) + _fzero(b))))
    for j in range(res.shape[0]):
        t = np.float64(0)
        for i in range(n, m):
            v = x[j, i]
            if _prim.floating(v):
                t += v * v
            else:
                t += v.real * v.real + v.imag * v.imag
        res[j] = t
    return _lstsq_x(x, n, m, b, _fzero(a) + _fzero(b)), res, np.int32(rank), _work1(s, abs(_fzero(a) + _fzero(b)))


@jit
def _lstsq_x(x, n, m, b, z):
    """The solution: the first n items of each column-major row of 'x' (zeros where m is 0),
    1-D for a 1-D 'b', of the dtype of 'z'."""
    if b.ndim == 1:
        out1 = np.zeros(n, _prim.dtype_of(z))
        if m > 0:
            for i in range(n):
                out1[i] = x[0, i]
        return out1
    out = np.zeros((n, b.shape[b.ndim - 1]), _prim.dtype_of(z))
    if m > 0:
        for j in range(out.shape[1]):
            for i in range(n):
                out[i, j] = x[j, i]
    return out


@_impl("numpy.linalg.svdvals")
def svdvals(x):
    """The singular values, descending, of a matrix (NumPy's svd(x, compute_uv=False))."""
    _check_2d(x)
    s = np.sort(_svdvals(_mat(x)))        # LAPACK's are descending already, Jacobi's in no order
    return _work1(s[::-1], _rzero(x))


@jit
def _svdvals(x):
    """The singular values of 2-D 'x' (float64, in no order) by one-sided Jacobi
    (Hestenes): the min(m, n) columns or rows of x, as rows of a float64 or complex128
    copy, are rotated pairwise until orthogonal; their norms are the values, accurate
    to eps * |x| (an SVD, unlike the square roots of x^H x's eigenvalues)."""
    u, s, vt, info = _gesdd(x, 0)         # LAPACK's, as NumPy's (descending)
    if info > 0:
        raise LinAlgError("SVD did not converge")
    if info == 0:
        return s
    m = x.shape[0]
    n = x.shape[1]
    z = _fzero(x) * np.float64(0)
    if m >= n:
        w = np.empty((n, m), _prim.dtype_of(z))
        for i in range(m):
            for j in range(n):
                w[j, i] = x[i, j]
    else:
        w = np.empty((m, n), _prim.dtype_of(z))
        for i in range(m):
            for j in range(n):
                w[i, j] = x[i, j]
    k = w.shape[0]
    eps = 2.220446049250313e-16
    for sweep in range(100):
        rotated = False
        for p in range(k - 1):
            for q in range(p + 1, k):
                alpha = 0.0
                beta = 0.0
                gamma = z
                for i in range(w.shape[1]):
                    a = w[p, i]
                    b = w[q, i]
                    aa = abs(a)
                    ab = abs(b)
                    alpha += aa * aa        # not ** 2: a Python float's overflow raises
                    beta += ab * ab
                    gamma += _conj(a) * b
                g = abs(gamma)
                if g == 0 or g <= eps * math.sqrt(alpha * beta):
                    continue
                rotated = True
                zeta = (beta - alpha) / (2 * g)
                t = 1 / (abs(zeta) + math.hypot(1.0, zeta))
                if zeta < 0:
                    t = -t
                c = 1 / math.hypot(1.0, t)
                s = t * c
                ph = _conj(gamma) / g       # the phase that makes a_p^H a_q real
                for i in range(w.shape[1]):
                    a = w[p, i]
                    b = w[q, i] * ph
                    w[p, i] = c * a - s * b
                    w[q, i] = s * a + c * b
        if not rotated:
            break
    sv = np.empty(k, np.float64)
    for p in range(k):
        acc = 0.0
        for i in range(w.shape[1]):
            aa = abs(w[p, i])
            acc += aa * aa
        sv[p] = math.sqrt(acc)
    return sv


@jit
def _mnorm(x, ord):
    """NumPy's matrix norm of 2-D 'x' of order 'ord' (None/'fro', 1, -1, inf, -inf, 2, -2)."""
    r = _rzero(x)
    if ord is None:
        return _frob(x)
    if ord == 1 or ord == -1:
        return _extreme(_abs_sums(x, 0), ord > 0)
    if ord == _INF or ord == -_INF:
        return _extreme(_abs_sums(x, 1), ord > 0)
    if ord == 2 or ord == -2:         # the largest or smallest singular value
        sv = _svdvals(x)
        out = np.empty(1, _prim.dtype_of(r))    # float32 stays float32
        out[0] = _extreme(sv, ord > 0)
        return out[0]
    raise ValueError("Invalid norm order for matrices.")


@jit
def _nuc(x):
    """The nuclear norm of 2-D 'x' (the sum of its singular values), NumPy's dtype."""
    sv = _svdvals(x)
    t = 0.0
    for i in range(sv.shape[0]):
        t += sv[i]
    out = np.empty(1, _prim.dtype_of(_rzero(x)))
    out[0] = t
    return out[0]


@jit
def _axis_norms(x, ord, k):
    """The vector norms of 2-D 'x' along axis k (0 or 1)."""
    r = _rzero(x)
    if k == 0:
        out = np.empty(x.shape[1], _prim.dtype_of(r))
        for j in range(x.shape[1]):
            out[j] = _vnorm(x[:, j], ord)
        return out
    out = np.empty(x.shape[0], _prim.dtype_of(r))
    for i in range(x.shape[0]):
        out[i] = _vnorm(x[i], ord)
    return out


@jit
def _axis_of(axis, nd):
    if axis < -nd or axis >= nd:
        raise ValueError(f"axis {axis} is out of bounds for array of dimension {nd}")
    return axis + nd if axis < 0 else axis


@_impl("numpy.linalg.norm")
def norm(x, ord=None, axis=None, keepdims=False):
    """NumPy's norm of 1-D and 2-D arrays; axis None, an int or a pair of ints
    (keepdims=True, a constant keyword, is norm_keepdims)."""
    if keepdims:
        raise NotImplementedError("numpy.linalg.norm: Ember takes keepdims=True as a keyword argument only")
    if x.ndim > 2 and ord is None and axis is None:
        sr, si = _ssq(x)
        return np.sqrt(sr + si)
    if x.ndim == 0 or x.ndim > 2:
        raise NotImplementedError("numpy.linalg.norm of arrays of 0 or more than 2 dimensions is not supported by Ember "
                                  "(but for ord=None, axis=None)")
    if ord is not None:
        if _prim.inexact(ord) and not _prim.floating(ord):   # 'nuc' (frontend/strargs.c)
            return _norm_nuc(x, axis)
    if axis is None:
        if x.ndim == 1:
            return _vnorm(x, ord)
        return _mnorm(x, ord)
    if _prim.is_tuple(axis):
        if len(axis) == 1:
            return _norm_axis(x, ord, axis[0])
        if x.ndim != 2:
            raise ValueError("Improper number of dimensions to norm.")
        r0 = _axis_of(axis[0], 2)
        r1 = _axis_of(axis[1], 2)
        if r0 == r1:
            raise ValueError("Duplicate axes given.")
        if r0 == 0:
            return _mnorm(x, ord)
        return _mnorm(x.T, ord)
    return _norm_axis(x, ord, axis)


@jit
def _norm_nuc(x, axis):
    if x.ndim == 1 or not (axis is None or _prim.is_tuple(axis)):
        raise ValueError("Invalid norm order 'nuc' for vectors")
    if axis is None:
        return _nuc(x)
    if len(axis) != 2:
        raise ValueError("Invalid norm order 'nuc' for vectors")
    r0 = _axis_of(axis[0], 2)
    r1 = _axis_of(axis[1], 2)
    if r0 == r1:
        raise ValueError("Duplicate axes given.")
    return _nuc(x)


@jit
def _norm_axis(x, ord, axis):
    if x.ndim == 1:
        _axis_of(axis, 1)
        return _vnorm(x, ord)
    return _axis_norms(x, ord, _axis_of(axis, 2))


@_impl("numpy.linalg.norm:keepdims")
def norm_keepdims(x, ord=None, axis=None, keepdims=True):
    """norm with keepdims=True (infer's name for the constant True): the reduced axes
    kept, of extent 1."""
    return _keep(x, axis, norm(x, ord, axis))


# -- cond, matrix_rank -------------------------------------------------------------
# From the singular values (_svdvals) as NumPy's, which takes them from gesdd.

@_impl("numpy.linalg.cond")
def cond(x, p=None):
    """NumPy's condition number of 2-D 'x': s_max / s_min (p None or 2; -2 the
    inverse), else norm(x, p) * norm(inv(x), p) (inf for a singular matrix); NaN
    becomes inf unless x has a NaN."""
    _check_2d(x)
    x = _mat(x)
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    out = np.empty(1, _prim.dtype_of(_rzero(x)))
    if p is None:
        out[0] = _cond_sv(x, False)
    elif p == 2 or p == -2:
        out[0] = _cond_sv(x, p < 0)
    else:
        xi, info = _inv_info(x, _dz(x))      # NumPy's inv in double precision
        if info > 0:
            out[0] = _INF
        else:
            out[0] = _mnorm(x, p) * _mnorm(xi, p)
    r = out[0]
    if r != r and not _has_nan(x):
        return r + _INF
    return r


@jit
def _cond_sv(x, small):
    """s_max / s_min of 2-D 'x' (small: s_min / s_max); NumPy's division by 0 gives inf."""
    sv = _svdvals(x)
    hi = _cast(_extreme(sv, True), _rzero(x))   # divided in x's real dtype, as NumPy's
    lo = _cast(_extreme(sv, False), _rzero(x))
    if small:
        return lo / hi if hi != 0 else lo * _INF     # 0 / 0: NaN, made inf by cond
    return hi / lo if lo != 0 else hi * _INF


@jit
def _has_nan(x):
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if x[i, j] != x[i, j]:
                return True
    return False


@_impl("numpy.linalg.matrix_rank")
def matrix_rank(A, tol=None):
    """The number of singular values of 2-D 'A' above tol (None: s_max * max(m, n) *
    eps of A's dtype); of a 1-D or 0-D A, 1 unless all of it is 0."""
    if _prim.is_array(A):
        if A.ndim < 2:
            return _any_nonzero(A)
        sv = _svdvals(_mat(A))
        if tol is None:
            eps = 2.220446049250313e-16
            if A.dtype == np.float32 or A.dtype == np.complex64:
                eps = 1.1920928955078125e-07
            t = _extreme(sv, True) * max(A.shape[0], A.shape[1]) * eps
        else:
            t = tol + 0.0
        k = 0
        for i in range(sv.shape[0]):
            if sv[i] > t:
                k += 1
        return k
    return 0 if A == 0 else 1


@jit
def _any_nonzero(A):
    if A.ndim == 0:
        return 0 if A[()] == 0 else 1
    for i in range(A.shape[0]):
        if A[i] != 0:
            return 1
    return 0


# -- Stacks of matrices ------------------------------------------------------------
# det, slogdet, solve, inv, cholesky, eigh and eigvalsh of a 3-D array: the 2-D
# function of each matrix a[i] (NumPy's gufuncs loop over the stack the same way).

@jit
def _check_stack(a):
    """NumPy's LinAlgError unless the matrices of 3-D 'a' are square."""
    if a.shape[1] != a.shape[2]:
        raise LinAlgError("Last 2 dimensions of the array must be square")


@_impl("numpy.linalg.det")
def det(a):
    if a.ndim != 3:
        return _det(a)
    _check_stack(a)
    out = np.empty(a.shape[0], _prim.dtype_of(_fzero(a)))
    for i in range(a.shape[0]):
        out[i] = _det(a[i])
    return out


@_impl("numpy.linalg.slogdet")
def slogdet(a):
    if a.ndim != 3:
        return _slogdet(a)
    _check_stack(a)
    sign = np.empty(a.shape[0], _prim.dtype_of(_fzero(a)))
    logdet = np.empty(a.shape[0], _prim.dtype_of(_rzero(a)))
    for i in range(a.shape[0]):
        s, l = _slogdet(a[i])
        sign[i] = s
        logdet[i] = l
    return sign, logdet


@_impl("numpy.linalg.inv")
def inv(a):
    if a.ndim != 3:
        return _inv(a)
    _check_stack(a)
    n = a.shape[1]
    out = np.empty((a.shape[0], n, n), _prim.dtype_of(_fzero(a)))
    for i in range(a.shape[0]):
        out[i] = _inv(a[i])
    return out


@_impl("numpy.linalg.solve")
def solve(a, b):
    """solve; a stack of a's with b one vector or matrix for all, or a stack of b's (3-D)."""
    if a.ndim != 3:
        return _solve(a, b)
    _check_stack(a)
    z = _fzero(a) + _fzero(b)
    if b.ndim == 1:
        out1 = np.empty((a.shape[0], a.shape[1]), _prim.dtype_of(z))
        for i in range(a.shape[0]):
            out1[i] = _solve(a[i], b)
        return out1
    if b.ndim == 2:
        out2 = np.empty((a.shape[0], a.shape[1], b.shape[1]), _prim.dtype_of(z))
        for i in range(a.shape[0]):
            out2[i] = _solve(a[i], b)
        return out2
    if b.ndim != 3:
        raise NotImplementedError("numpy.linalg.solve of these stacks is not supported by Ember")
    if b.shape[0] != a.shape[0] and b.shape[0] != 1 and a.shape[0] != 1:
        raise ValueError(f"solve: stacks of {a.shape[0]} and {b.shape[0]} do not broadcast")
    m = max(a.shape[0], b.shape[0])
    out3 = np.empty((m, a.shape[1], b.shape[2]), _prim.dtype_of(z))
    for i in range(m):
        out3[i] = _solve(a[i if a.shape[0] > 1 else 0], b[i if b.shape[0] > 1 else 0])
    return out3


@_impl("numpy.linalg.cholesky")
def cholesky(a, upper=False):
    if a.ndim != 3:
        return _cholesky(a, upper)
    _check_stack(a)
    n = a.shape[1]
    out = np.empty((a.shape[0], n, n), _prim.dtype_of(_fzero(a)))
    for i in range(a.shape[0]):
        out[i] = _cholesky(a[i], upper)
    return out


@_impl("numpy.linalg.eigvalsh")
def eigvalsh(a, UPLO=False):
    if a.ndim != 3:
        return _eigvalsh(a, UPLO)
    _check_stack(a)
    out = np.empty((a.shape[0], a.shape[1]), _prim.dtype_of(_rzero(a)))
    for i in range(a.shape[0]):
        out[i] = _eigvalsh(a[i], UPLO)
    return out


@_impl("numpy.linalg.eigh")
def eigh(a, UPLO=False):
    if a.ndim != 3:
        return _eigh(a, UPLO)
    _check_stack(a)
    n = a.shape[1]
    vals = np.empty((a.shape[0], n), _prim.dtype_of(_rzero(a)))
    vecs = np.empty((a.shape[0], n, n), _prim.dtype_of(_fzero(a)))
    for i in range(a.shape[0]):
        w, v = _eigh(a[i], UPLO)
        vals[i] = w
        vecs[i] = v
    return vals, vecs
