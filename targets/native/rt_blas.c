/* targets/native/rt_blas.c: BLAS and LAPACK of the host's NumPy for compiled code.
 *
 * NumPy's wheels carry OpenBLAS with 64-bit integers (ILP64: cblas_dgemm64_,
 * dgesv_64_, prefixed scipy_ in NumPy 2).  The host (jit/blas.c) finds the
 * library NumPy loaded and binds the functions of names[] through tg_blas_bind
 * once, before the first compiled call; a name it could not find stays NULL.
 * Compiled code (jit/ember/_lib_blas.py) calls ember_rt_blas(op, type, p)
 * through the intrinsic <prim>.blas: 'op' one of the ops below (ORDER BLASOP,
 * _lib_blas.py's _GEMM ...), 'type' the item type (ir/ir.h IRT_F32 .. IRT_C128),
 * 'p' the address of the op's int64 parameters (addresses and sizes, listed at
 * each op; sizes of U and VT as LAPACK's gesdd takes them).  The result is -1 where the function is missing (the caller runs
 * its own loops instead), -2 when out of memory, else 0 for BLAS and LAPACK's
 * info for LAPACK.  Matrices of BLAS are row-major, those of LAPACK
 * column-major (the caller copies them in and out as NumPy's umath_linalg
 * does), leading dimensions max(1, rows) there.  Workspaces are asked for
 * (lwork = -1) and allocated here, as NumPy does, so the blocked algorithms
 * run and the results are NumPy's.  No GIL is needed.
 */
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"
#include "targets/targets.h"

typedef int64_t Bint;   /* ILP64 */

enum { GEMM = 1, GEMV, DOT, GESV, GETRF, POTRF, EVD, GEQRF, ORGQR, GESDD, GELSD, NOPS };   /* ORDER BLASOP */
enum { ROWMAJOR = 101, NOTRANS = 111 };   /* cblas.h's CBLAS_ORDER, CBLAS_TRANSPOSE */

/* Per op, the names of the float32, float64, complex64 and complex128 functions. */
static const char *const names[NOPS][4] = {
  [GEMM] = {"cblas_sgemm64_", "cblas_dgemm64_", "cblas_cgemm64_", "cblas_zgemm64_"},
  [GEMV] = {"cblas_sgemv64_", "cblas_dgemv64_", "cblas_cgemv64_", "cblas_zgemv64_"},
  [DOT] = {"cblas_sdot64_", "cblas_ddot64_", "cblas_cdotu_sub64_", "cblas_zdotu_sub64_"},
  [GESV] = {"sgesv_64_", "dgesv_64_", "cgesv_64_", "zgesv_64_"},
  [GETRF] = {"sgetrf_64_", "dgetrf_64_", "cgetrf_64_", "zgetrf_64_"},
  [POTRF] = {"spotrf_64_", "dpotrf_64_", "cpotrf_64_", "zpotrf_64_"},
  [EVD] = {"ssyevd_64_", "dsyevd_64_", "cheevd_64_", "zheevd_64_"},
  [GEQRF] = {"sgeqrf_64_", "dgeqrf_64_", "cgeqrf_64_", "zgeqrf_64_"},
  [ORGQR] = {"sorgqr_64_", "dorgqr_64_", "cungqr_64_", "zungqr_64_"},
  [GESDD] = {"sgesdd_64_", "dgesdd_64_", "cgesdd_64_", "zgesdd_64_"},
  [GELSD] = {"sgelsd_64_", "dgelsd_64_", "cgelsd_64_", "zgelsd_64_"},
};
static void *fns[NOPS][4];

void tg_blas_bind(void *(*find)(const char *name))
{
  for (int op = 1; op < NOPS; op++)
    for (int t = 0; t < 4; t++) fns[op][t] = find ? find(names[op][t]) : NULL;
}

/* -- BLAS (row-major, alpha 1, beta 0) ---------------------------------------------- */

typedef void Sgemm(int, int, int, Bint, Bint, Bint, float, const void *, Bint, const void *, Bint, float, void *, Bint);
typedef void Dgemm(int, int, int, Bint, Bint, Bint, double, const void *, Bint, const void *, Bint, double, void *, Bint);
typedef void Zgemm(int, int, int, Bint, Bint, Bint, const void *, const void *, Bint, const void *, Bint, const void *,
                   void *, Bint);
typedef void Sgemv(int, int, Bint, Bint, float, const void *, Bint, const void *, Bint, float, void *, Bint);
typedef void Dgemv(int, int, Bint, Bint, double, const void *, Bint, const void *, Bint, double, void *, Bint);
typedef void Zgemv(int, int, Bint, Bint, const void *, const void *, Bint, const void *, Bint, const void *, void *, Bint);
typedef float Sdot(Bint, const void *, Bint, const void *, Bint);
typedef double Ddot(Bint, const void *, Bint, const void *, Bint);
typedef void Zdot(Bint, const void *, Bint, const void *, Bint, void *);

static const double ONE[2] = {1, 0}, ZERO[2] = {0, 0};   /* complex alpha and beta (float pairs below) */
static const float ONEF[2] = {1, 0}, ZEROF[2] = {0, 0};

#define P(i) ((void *)(intptr_t)p[i])

/* p: transa, transb (0 or 1), m, n, k, A, lda, B, ldb, C, ldc: C = op(A) op(B). */
static void gemm(void *f, int t, const int64_t *p)
{
  int ta = NOTRANS + (int)p[0], tb = NOTRANS + (int)p[1];
  if (t == 0) ((Sgemm *)f)(ROWMAJOR, ta, tb, p[2], p[3], p[4], 1.0f, P(5), p[6], P(7), p[8], 0.0f, P(9), p[10]);
  else if (t == 1) ((Dgemm *)f)(ROWMAJOR, ta, tb, p[2], p[3], p[4], 1.0, P(5), p[6], P(7), p[8], 0.0, P(9), p[10]);
  else
    ((Zgemm *)f)(ROWMAJOR, ta, tb, p[2], p[3], p[4], t == 2 ? (const void *)ONEF : ONE, P(5), p[6], P(7), p[8],
                 t == 2 ? (const void *)ZEROF : ZERO, P(9), p[10]);
}

/* p: trans, m, n, A, lda, x, incx, y, incy: y = op(A) x, A m by n. */
static void gemv(void *f, int t, const int64_t *p)
{
  int ta = NOTRANS + (int)p[0];
  if (t == 0) ((Sgemv *)f)(ROWMAJOR, ta, p[1], p[2], 1.0f, P(3), p[4], P(5), p[6], 0.0f, P(7), p[8]);
  else if (t == 1) ((Dgemv *)f)(ROWMAJOR, ta, p[1], p[2], 1.0, P(3), p[4], P(5), p[6], 0.0, P(7), p[8]);
  else
    ((Zgemv *)f)(ROWMAJOR, ta, p[1], p[2], t == 2 ? (const void *)ONEF : ONE, P(3), p[4], P(5), p[6],
                 t == 2 ? (const void *)ZEROF : ZERO, P(7), p[8]);
}

/* p: n, x, incx, y, incy, out: *out = sum x[i] y[i] (unconjugated). */
static void dot(void *f, int t, const int64_t *p)
{
  if (t == 0) *(float *)P(5) = ((Sdot *)f)(p[0], P(1), p[2], P(3), p[4]);
  else if (t == 1) *(double *)P(5) = ((Ddot *)f)(p[0], P(1), p[2], P(3), p[4]);
  else ((Zdot *)f)(p[0], P(1), p[2], P(3), p[4], P(5));
}

/* -- LAPACK (column-major, Fortran calls: arguments by address, lengths of strings last) -- */

typedef void Gesv(const Bint *, const Bint *, void *, const Bint *, Bint *, void *, const Bint *, Bint *);
typedef void Getrf(const Bint *, const Bint *, void *, const Bint *, Bint *, Bint *);
typedef void Potrf(const char *, const Bint *, void *, const Bint *, Bint *, size_t);
typedef void Syevd(const char *, const char *, const Bint *, void *, const Bint *, void *, void *, const Bint *, Bint *,
                   const Bint *, Bint *, size_t, size_t);
typedef void Heevd(const char *, const char *, const Bint *, void *, const Bint *, void *, void *, const Bint *, void *,
                   const Bint *, Bint *, const Bint *, Bint *, size_t, size_t);
typedef void Geqrf(const Bint *, const Bint *, void *, const Bint *, void *, void *, const Bint *, Bint *);
typedef void Orgqr(const Bint *, const Bint *, const Bint *, void *, const Bint *, void *, void *, const Bint *, Bint *);
typedef void Dgesdd(const char *, const Bint *, const Bint *, void *, const Bint *, void *, void *, const Bint *, void *,
                    const Bint *, void *, const Bint *, Bint *, Bint *, size_t);
typedef void Dgelsd(const Bint *, const Bint *, const Bint *, void *, const Bint *, void *, const Bint *, void *,
                    const double *, Bint *, void *, const Bint *, Bint *, Bint *);
typedef void Zgelsd(const Bint *, const Bint *, const Bint *, void *, const Bint *, void *, const Bint *, void *,
                    const double *, Bint *, void *, const Bint *, void *, Bint *, Bint *);
typedef void Zgesdd(const char *, const Bint *, const Bint *, void *, const Bint *, void *, void *, const Bint *, void *,
                    const Bint *, void *, const Bint *, void *, Bint *, Bint *, size_t);

/* A workspace query's answer: the real part of work[0] as a count, at least 1. */
static Bint wcount(int t, const void *w)
{
  double v = t == 0 || t == 2 ? *(const float *)w : *(const double *)w;
  return v >= 1 ? (Bint)v : 1;
}

static size_t isize(int t) { return (size_t)4 << t; }   /* item bytes: 4, 8, 8, 16 */

/* p: vectors, upper, n, A, W: eigenvalues ascending into W (real), eigenvectors into A. */
static int64_t evd(void *f, int t, const int64_t *p)
{
  const char *jobz = p[0] ? "V" : "N", *uplo = p[1] ? "U" : "L";
  Bint n = p[2], lda = n > 1 ? n : 1, info = 0, q = -1, lw, lrw = 0, liw, iw0;
  double w0[2] = {0, 0}, rw0 = 0;
  if (t < 2) ((Syevd *)f)(jobz, uplo, &n, P(3), &lda, P(4), w0, &q, &iw0, &q, &info, 1, 1);
  else ((Heevd *)f)(jobz, uplo, &n, P(3), &lda, P(4), w0, &q, &rw0, &q, &iw0, &q, &info, 1, 1);
  if (info) return info;
  lw = wcount(t, w0), liw = iw0 > 0 ? iw0 : 1;
  if (t >= 2) lrw = wcount(t - 2, &rw0);
  void *work = malloc((size_t)lw * isize(t)), *rwork = malloc((size_t)(lrw ? lrw : 1) * isize(t - 2 * (t >= 2)));
  Bint *iwork = malloc((size_t)liw * sizeof *iwork);
  if (work && rwork && iwork) {
    if (t < 2) ((Syevd *)f)(jobz, uplo, &n, P(3), &lda, P(4), work, &lw, iwork, &liw, &info, 1, 1);
    else ((Heevd *)f)(jobz, uplo, &n, P(3), &lda, P(4), work, &lw, rwork, &lrw, iwork, &liw, &info, 1, 1);
  } else info = -2;
  free(work), free(rwork), free(iwork);
  return info;
}

/* p: m, n, A, tau (geqrf) or m, n, k, A, tau (orgqr): one query, then the call. */
static int64_t qr(void *f, int op, int t, const int64_t *p)
{
  Bint m = p[0], n = p[1], k = op == ORGQR ? p[2] : 0, lda = m > 1 ? m : 1, info = 0, q = -1, lw;
  void *a = op == ORGQR ? P(3) : P(2), *tau = op == ORGQR ? P(4) : P(3);
  double w0[2] = {0, 0};
  if (op == GEQRF) ((Geqrf *)f)(&m, &n, a, &lda, tau, w0, &q, &info);
  else ((Orgqr *)f)(&m, &n, &k, a, &lda, tau, w0, &q, &info);
  if (info) return info;
  lw = wcount(t, w0);
  lw = lw > n ? lw : (n > 1 ? n : 1);
  void *work = malloc((size_t)lw * isize(t));
  if (!work) return -2;
  if (op == GEQRF) ((Geqrf *)f)(&m, &n, a, &lda, tau, work, &lw, &info);
  else ((Orgqr *)f)(&m, &n, &k, a, &lda, tau, work, &lw, &info);
  free(work);
  return info;
}

/* One gesdd or cgesdd/zgesdd call of the arguments of sdd() with workspace 'work' of 'lw'. */
static void sdd_call(void *f, int t, const char *jobz, Bint *d, const int64_t *p, void *work, Bint lw, void *rwork,
                     Bint *iwork, Bint *info)
{
  if (t < 2) ((Dgesdd *)f)(jobz, &d[0], &d[1], P(3), &d[2], P(4), P(5), &d[3], P(6), &d[4], work, &lw, iwork, info, 1);
  else ((Zgesdd *)f)(jobz, &d[0], &d[1], P(3), &d[2], P(4), P(5), &d[3], P(6), &d[4], work, &lw, rwork, iwork, info, 1);
}

/* p: jobz (0 'N', 1 'S', 2 'A'), m, n, A, S, U, VT: singular values descending into S
 * (real), with U (m by m or min(m, n) columns) and VT (n or min(m, n) rows). */
static int64_t sdd(void *f, int t, const int64_t *p)
{
  Bint m = p[1], n = p[2], mn = m < n ? m : n, mx = m < n ? n : m, info = 0;
  Bint d[5] = {m, n, m > 1 ? m : 1, m > 1 ? m : 1, p[0] == 2 ? (n > 1 ? n : 1) : (mn > 1 ? mn : 1)};   /* m n lda ldu ldvt */
  const char *jobz = p[0] == 0 ? "N" : p[0] == 1 ? "S" : "A";
  Bint lrw = p[0] ? 5 * mn * mn + 5 * mn : 7 * mn, alt = 2 * mx * mn + 2 * mn * mn + mn;   /* zgesdd's rwork, old and new */
  lrw = (lrw > alt ? lrw : alt) + 1;
  void *rwork = malloc((size_t)lrw * 8);
  Bint *iwork = malloc((size_t)(8 * mn + 1) * sizeof *iwork);
  double w0[2] = {0, 0};
  void *work = NULL;
  if (rwork && iwork) {
    sdd_call(f, t, jobz, d, p, w0, -1, rwork, iwork, &info);
    Bint lw = wcount(t, w0);
    if (!info && (work = malloc((size_t)lw * isize(t)))) sdd_call(f, t, jobz, d, p, work, lw, rwork, iwork, &info);
    else if (!info) info = -2;
  } else info = -2;
  free(work), free(rwork), free(iwork);
  return info == -4 ? mn + 1 : info;   /* -4: a NaN in A (LAPACK 3.10 on): NumPy's "did not converge" too */
}

/* One dgelsd or zgelsd call of the arguments of lsd() ('d': m n nrhs lda ldb); 'r' the rcond. */
static void lsd_call(void *f, int t, Bint *d, const int64_t *p, const double *r, Bint *rank, void *work, Bint lw,
                     void *rwork, Bint *iwork, Bint *info)
{
  if (t < 2) ((Dgelsd *)f)(&d[0], &d[1], &d[2], P(3), &d[3], P(4), &d[4], P(5), r, rank, work, &lw, iwork, info);
  else ((Zgelsd *)f)(&d[0], &d[1], &d[2], P(3), &d[3], P(4), &d[4], P(5), r, rank, work, &lw, rwork, iwork, info);
}

/* p: m, n, nrhs, A, B (max(m, n) rows of the leading dimension), S, R: the least-squares
 * solution of column-major A X = B into B's first n rows (double precision only, as
 * NumPy's lstsq), singular values into S, R[0] the rcond, the rank into R[1]. */
static int64_t lsd(void *f, int t, const int64_t *p)
{
  Bint m = p[0], n = p[1], mx = m > n ? m : n, info = 0, rank = 0, iw0 = 0;
  Bint d[5] = {m, n, p[2], m > 1 ? m : 1, mx > 1 ? mx : 1};
  double *r = (double *)(intptr_t)p[6], w0[2] = {0, 0}, rw0 = 0;
  if (t == 0 || t == 2) return -1;   /* a float rcond: not needed */
  lsd_call(f, t, d, p, r, &rank, w0, -1, &rw0, &iw0, &info);
  if (info) return info;
  Bint lw = wcount(t, w0), lrw = wcount(t - 2 * (t >= 2), &rw0), liw = iw0 > 0 ? iw0 : 1;
  void *work = malloc((size_t)lw * isize(t)), *rwork = malloc((size_t)lrw * isize(t - 2 * (t >= 2)));
  Bint *iwork = malloc((size_t)liw * sizeof *iwork);
  if (work && rwork && iwork) lsd_call(f, t, d, p, r, &rank, work, lw, rwork, iwork, &info);
  else info = -2;
  free(work), free(rwork), free(iwork);
  r[1] = (double)rank;
  return info;
}

/* p: gesv n, nrhs, A, ipiv, B; getrf n, A, ipiv; potrf upper, n, A. */
static int64_t lapack(void *f, int op, int t, const int64_t *p)
{
  Bint info = 0, n = op == POTRF ? p[1] : p[0], lda = n > 1 ? n : 1;
  switch (op) {
  case GESV: ((Gesv *)f)(&n, &p[1], P(2), &lda, P(3), P(4), &lda, &info); return info;
  case GETRF: ((Getrf *)f)(&n, &n, P(1), &lda, P(2), &info); return info;
  case POTRF: ((Potrf *)f)(p[0] ? "U" : "L", &n, P(2), &lda, &info, 1); return info;
  case EVD: return evd(f, t, p);
  case GESDD: return sdd(f, t, p);
  case GELSD: return lsd(f, t, p);
  default: return qr(f, op, t, p);
  }
}

#undef P

/* <prim>.blas (jit/ember/_lib_blas.py): see the header; -1 where 'op' of 'type' is missing. */
int64_t ember_rt_blas(int64_t op, int64_t type, int64_t p)
{
  int t = (int)type - IRT_F32;
  if (op < 1 || op >= NOPS || t < 0 || t > 3 || !fns[op][t]) return -1;
  const int64_t *a = (const int64_t *)(intptr_t)p;
  void *f = fns[op][t];
  switch (op) {
  case GEMM: gemm(f, t, a); return 0;
  case GEMV: gemv(f, t, a); return 0;
  case DOT: dot(f, t, a); return 0;
  default: return lapack(f, (int)op, t, a);
  }
}
