"""ember._lib_blas: matrix products and LAPACK through NumPy's own OpenBLAS.

The intrinsic _prim.blas(op, type, p) calls targets/native/rt_blas.c, which
holds the functions jit/blas.c found in the library NumPy loaded; 'p' is the
address of an int64 array of the op's parameters (listed there).  Each helper
here returns whether BLAS did the work (False, or a negative code, where the
types, strides or sizes do not suit it or the function is missing: NumPy
built against another BLAS, EMBER_NO_BLAS=1, the interpreter); the caller
then runs its own loops (ember._lib, ember._lib_linalg).

The products choose BLAS routines as NumPy's matmul does (numpy/_core/src/
umath/matmul.c.src), so that contiguous results are NumPy's to the bit: a
row times a column by dot, a matrix times a vector (either side) by gemv,
matrix by matrix by gemm, each operand passed row-major or transposed with
its leading dimension, or copied C-contiguous first for other strides (as
NumPy 2.3 on; NumPy before ran its noblas loop there, within a few ulps);
a matrix gemv cannot take (or a vector of negative stride), an empty
product, a column times a row and float16 or mixed dtypes take the
caller's loops, which sum in NumPy's noblas order.  Below SMALL
multiply-adds the loops are faster than a call (measured) and are kept.

LAPACK's routines take column-major matrices: the callers (ember._lib_linalg)
pass a C-contiguous working copy of the transpose (_work(a.T, z)), as NumPy's
umath_linalg linearizes its operands, and read results back transposed.
Each returns LAPACK's info (0, or > 0 for a singular or not positive
definite matrix), or -1 where the routine is missing.
"""
import numpy as np

from . import _prim
from . import jit

_GEMM, _GEMV, _DOT, _GESV, _GETRF, _POTRF, _EVD, _GEQRF, _ORGQR, _GESDD, _GELSD = range(1, 12)   # ORDER BLASOP
SMALL = 1000


@jit
def _type(a, b):
    """The item type BLAS computes 'a' and 'b' in (ir/ir.h IRT_F32 .. IRT_C128, the same for both), or 0."""
    t = _prim.typecode(a)
    if t < 12 or t > 15 or _prim.typecode(b) != t:
        return 0
    return t


@jit
def _ld(x):
    """(trans, ld) of 2-D 'x' as BLAS reads it: row-major (0, row stride) or the transpose
    of a row-major matrix (1, column stride), in items; (-1, 0) for other strides
    (NumPy's is_blasable2d)."""
    s0 = x.strides[0] // x.itemsize
    s1 = x.strides[1] // x.itemsize
    if s1 == 1 and s0 >= x.shape[1]:
        return 0, s0
    if s0 == 1 and s1 >= x.shape[0]:
        return 1, s1
    return -1, 0


@jit
def _gemm(a, b, out):
    """out = a @ b by gemm (a m by k, b k by n, out C-contiguous m by n)."""
    ta, lda = _ld(a)
    tb, ldb = _ld(b)
    if ta < 0 or tb < 0:
        return False
    p = np.empty(11, np.int64)
    p[0] = ta
    p[1] = tb
    p[2] = a.shape[0]
    p[3] = b.shape[1]
    p[4] = a.shape[1]
    p[5] = _prim.data(a)
    p[6] = lda
    p[7] = _prim.data(b)
    p[8] = ldb
    p[9] = _prim.data(out)
    p[10] = out.shape[1]
    return _prim.blas(_GEMM, _prim.typecode(a), _prim.data(p)) == 0


@jit
def _gemv(x, v, y):
    """y = x v by gemv (x 2-D r by c, v 1-D of c items, y 1-D of r, contiguous)."""
    t, ld = _ld(x)
    inc = v.strides[0] // v.itemsize
    if t < 0 or inc < 1:
        return False             # NumPy's noblas loop
    p = np.empty(9, np.int64)
    p[0] = t
    p[1] = x.shape[t]        # the rows and columns of the row-major matrix in memory
    p[2] = x.shape[1 - t]
    p[3] = _prim.data(x)
    p[4] = ld
    p[5] = _prim.data(v)
    p[6] = inc
    p[7] = _prim.data(y)
    p[8] = y.strides[0] // y.itemsize
    return _prim.blas(_GEMV, _prim.typecode(x), _prim.data(p)) == 0


@jit
def dot1(a, b, out, copy):
    """out[0] = the unconjugated dot product of 1-D 'a' and 'b' (same length) by ?dot,
    as NumPy's <TYPE>_dot: added to a zero; for strides other than positive ones
    np.dot ('copy') copies first, matmul runs its loop."""
    ia = a.strides[0] // a.itemsize
    ib = b.strides[0] // b.itemsize
    if _type(a, b) == 0 or a.shape[0] == 0:
        return False
    if (ia < 1 or ib < 1) and not copy:
        return False
    if ia < 1:
        return dot1(a.copy(), b, out, copy)
    if ib < 1:
        return dot1(a, b.copy(), out, copy)
    p = np.empty(6, np.int64)
    p[0] = a.shape[0]
    p[1] = _prim.data(a)
    p[2] = ia
    p[3] = _prim.data(b)
    p[4] = ib
    p[5] = _prim.data(out)
    if _prim.blas(_DOT, _prim.typecode(a), _prim.data(p)) != 0:
        return False
    out[0] = out[0] + out.dtype.type(0)   # NumPy's sum starts at 0: -0.0 becomes 0.0
    return True


@jit
def mm(a, b, out, copy):
    """out = a @ b for 2-D 'a' (m by k) and 'b' (k by n), shapes checked, 'out' a new
    C-contiguous m by n array of their dtype, by the BLAS routine NumPy's matmul picks;
    False where the caller's loop computes it (see the header)."""
    m, k, n = a.shape[0], a.shape[1], b.shape[1]
    if _type(a, b) == 0 or m * k * n < SMALL or m == 0 or k == 0 or n == 0:
        return False
    if m == 1 and n == 1:
        return dot1(a[0], b[:, 0], out[0], copy)
    if k == 1:
        return False             # a column times a row: NumPy's noblas loop
    if m > 1 and n > 1 or copy:   # gemm, or np.dot: NumPy 2.3 on copies, as np.dot always did
        if _ld(a)[0] < 0:
            return mm(a.copy(), b, out, copy)
        if _ld(b)[0] < 0:
            return mm(a, b.copy(), out, copy)
    if m == 1:
        return _gemv(b.T, a[0], out[0])
    if n == 1:
        return _gemv(a, b[:, 0], out[:, 0])
    return _gemm(a, b, out)


@jit
def mv(a, v, out, copy):
    """out = a @ v, 'a' 2-D (m by k), 'v' 1-D of k, 'out' new 1-D of m (shapes checked)."""
    m, k = a.shape[0], a.shape[1]
    if _type(a, v) == 0 or m * k < SMALL or k < 2:
        return False
    if m == 1:
        return dot1(a[0], v, out, copy)
    if copy and _ld(a)[0] < 0:
        return mv(a.copy(), v, out, copy)
    return _gemv(a, v, out)


@jit
def vm(v, b, out, copy):
    """out = v @ b, 'v' 1-D of k, 'b' 2-D (k by n), 'out' new 1-D of n (shapes checked):
    mv of b's transpose, the same products; np.dot ('copy') copies a 'b' gemv cannot
    take C-contiguous first, as NumPy's cblas_matrixproduct."""
    if copy and _type(v, b) != 0 and _ld(b)[0] < 0:
        return mv(b.copy().T, v, out, copy)
    return mv(b.T, v, out, copy)


# -- LAPACK ---------------------------------------------------------------------

@jit
def _lapack(op, w, n0, n1, n2, n3, n4, n5=0, n6=0):
    """_prim.blas(op) of the item type of 'w' on the parameters n0 .. n6."""
    p = np.empty(7, np.int64)
    p[0] = n0
    p[1] = n1
    p[2] = n2
    p[3] = n3
    p[4] = n4
    p[5] = n5
    p[6] = n6
    t = _prim.typecode(w)
    if t < 12 or t > 15:
        return -1
    return _prim.blas(op, t, _prim.data(p))


@jit
def getrf(w, piv):
    """LU of the square column-major matrix 'w' in place (getrf); piv[k] the row swapped
    with row k at step k, from 0."""
    n = w.shape[0]
    info = _lapack(_GETRF, w, n, _prim.data(w), _prim.data(piv), 0, 0)
    if info >= 0:
        for k in range(n):
            piv[k] -= 1
    return info


@jit
def gesv(w, x):
    """Solve w X = B (gesv), 'w' n by n and 'x' (B in, X out) column-major: x's rows are
    the right-hand sides; 'w' is overwritten by its LU."""
    n = w.shape[0]
    piv = np.empty(max(n, 1), np.int64)
    return _lapack(_GESV, w, n, x.shape[0], _prim.data(w), _prim.data(piv), _prim.data(x))


@jit
def potrf(w, upper):
    """Cholesky factor (potrf) of column-major Hermitian 'w' in place from its lower
    (upper: upper) triangle; the other triangle is left as it was."""
    return _lapack(_POTRF, w, 1 if upper else 0, w.shape[0], _prim.data(w), 0, 0)


@jit
def evd(w, vals, vectors, upper):
    """Eigenvalues ascending into 'vals' (real) of column-major Hermitian 'w' from its
    lower (upper) triangle, by syevd or heevd; with 'vectors' the eigenvectors replace
    w's columns."""
    return _lapack(_EVD, w, 1 if vectors else 0, 1 if upper else 0, w.shape[0], _prim.data(w), _prim.data(vals))


@jit
def geqrf(w, m, tau):
    """QR of the column-major m by n matrix 'w' (n rows of m items) in place (geqrf)."""
    return _lapack(_GEQRF, w, m, w.shape[0], _prim.data(w), _prim.data(tau), 0)


@jit
def orgqr(w, m, k, tau):
    """The first n columns of Q from k reflectors of geqrf in column-major 'w' (n rows of
    m items; orgqr or ungqr)."""
    return _lapack(_ORGQR, w, m, w.shape[0], k, _prim.data(w), _prim.data(tau))


@jit
def gesdd(w, m, s, u, vt, jobz):
    """Singular values, descending, into 's' (real) of the column-major m by n matrix 'w'
    (n rows of m items; destroyed) by gesdd; jobz 1 ('S') or 2 ('A') also U into
    column-major 'u' and V^H into column-major 'vt' (n rows)."""
    return _lapack(_GESDD, w, jobz, m, w.shape[0], _prim.data(w), _prim.data(s), _prim.data(u), _prim.data(vt))


@jit
def gelsd(w, m, x, s, r):
    """Least squares (gelsd, float64 or complex128) of the column-major m by n matrix 'w'
    (n rows of m items; destroyed) against the column-major right-hand sides 'x' (rows of
    max(m, n) items; each one's first n become its solution): singular values into 's',
    r[0] the rcond, the rank into r[1]."""
    return _lapack(_GELSD, w, m, w.shape[0], x.shape[0], _prim.data(w), _prim.data(x), _prim.data(s), _prim.data(r))
