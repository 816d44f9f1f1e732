/* targets/native/runtime.c: C helpers called from JIT-compiled code.
 *
 * Each reproduces one CPython algorithm for the cases the inline code
 * leaves to it.  These return 0 or an IrRtErr kind and write their result
 * through the last argument:
 *   ember_rt_fpow        Objects/floatobject.c float_pow (all special cases)
 *   ember_rt_cpow        Objects/complexobject.c complex_pow (c_powi for small
 *                        integer exponents, _Py_c_pow otherwise)
 *   ember_rt_roundn      float.__round__(x, n): correctly rounded, ties to even,
 *                        on the exact decimal value of x (CPython uses dtoa mode 3;
 *                        here glibc's exact "%.780e" gives every digit of x and
 *                        the rounding is done on that digit string)
 *   ember_rt_roundn_int  int.__round__(x, n) for n < 0 (divmod_near, ties to even)
 * These return the value (errors as NaN or inf, for math_1's checks):
 *   ember_rt_gamma, ember_rt_lgamma   Modules/mathmodule.c m_tgamma, m_lgamma
 *   ember_rt_hypot, ember_rt_hypot310 Modules/mathmodule.c vector_norm (n = 2)
 * Bit-for-bit agreement needs the same operations in the same order, and no
 * contraction into fma (the default x86-64 target has none; CPython's build
 * has none either).  No state; safe from any thread.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ir/ir.h"
#include "../targets.h"
#include "native.h"

/* -- float ** float ------------------------------------------------------------- */

static int is_odd_integer(double w) { return fmod(fabs(w), 2.0) == 1.0; }

int32_t ember_rt_fpow(double v, double w, double *out)
{
  int negate = 0;
  if (w == 0.0) { *out = 1.0; return 0; }
  if (isnan(v)) { *out = v; return 0; }
  if (isnan(w)) { *out = v == 1.0 ? 1.0 : w; return 0; }
  if (isinf(w)) {
    double av = fabs(v);
    *out = av == 1.0 ? 1.0 : ((w > 0.0) == (av > 1.0)) ? fabs(w) : 0.0;
    return 0;
  }
  if (isinf(v)) {
    int odd = is_odd_integer(w);
    *out = w > 0.0 ? (odd ? v : fabs(v)) : (odd ? copysign(0.0, v) : 0.0);
    return 0;
  }
  if (v == 0.0) {
    if (w < 0.0) return RT_ZERODIV_POW;
    *out = is_odd_integer(w) ? v : 0.0;
    return 0;
  }
  if (v < 0.0) {
    if (w != floor(w)) return RT_POW_COMPLEX;
    v = -v;
    negate = is_odd_integer(w);
  }
  if (v == 1.0) { *out = negate ? -1.0 : 1.0; return 0; }
  double r = pow(v, w);
  if (isinf(r)) return RT_POW_RANGE;
  *out = negate ? -r : r;
  return 0;
}

/* -- complex ** complex ----------------------------------------------------------- */

typedef struct { double re, im; int edom; } Cx;

static Cx c_prod(Cx a, Cx b)
{
  return (Cx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re, a.edom | b.edom};
}

/* _Py_c_quot */
static Cx c_quot(Cx a, Cx b)
{
  Cx r = {0, 0, a.edom | b.edom};
  double abr = fabs(b.re), abi = fabs(b.im);
  if (abr >= abi) {
    if (abr == 0.0) { r.edom = 1; return r; }
    double ratio = b.im / b.re, denom = b.re + b.im * ratio;
    r.re = (a.re + a.im * ratio) / denom;
    r.im = (a.im - a.re * ratio) / denom;
  } else if (abi >= abr) {
    double ratio = b.re / b.im, denom = b.re * ratio + b.im;
    r.re = (a.re * ratio + a.im) / denom;
    r.im = (a.im * ratio - a.re) / denom;
  } else {
    r.re = r.im = NAN;
  }
  return r;
}

/* _Py_c_pow */
static Cx c_pow(Cx a, Cx b)
{
  Cx r = {0, 0, 0};
  if (b.re == 0.0 && b.im == 0.0) { r.re = 1.0; return r; }
  if (a.re == 0.0 && a.im == 0.0) {
    if (b.im != 0.0 || b.re < 0.0) r.edom = 1;
    return r;
  }
  double vabs = hypot(a.re, a.im), len = pow(vabs, b.re);
  double at = atan2(a.im, a.re), phase = at * b.re;
  if (b.im != 0.0) {
    len /= exp(at * b.im);
    phase += b.im * log(vabs);
  }
  r.re = len * cos(phase);
  r.im = len * sin(phase);
  return r;
}

/* c_powu and c_powi */
static Cx c_powi(Cx x, long n)
{
  unsigned long u = n < 0 ? (unsigned long)-n : (unsigned long)n, mask = 1;
  Cx r = {1.0, 0.0, 0}, p = x;
  while (mask > 0 && u >= mask) {
    if (u & mask) r = c_prod(r, p);
    mask <<= 1;
    p = c_prod(p, p);
  }
  if (n > 0) return r;
  return c_quot((Cx){1.0, 0.0, 0}, r);
}

int32_t ember_rt_cpow(double ar, double ai, double br, double bi, double *out)
{
  Cx a = {ar, ai, 0}, b = {br, bi, 0}, p;
  if (bi == 0.0 && br == floor(br) && fabs(br) <= 100.0) p = c_powi(a, (long)br);
  else p = c_pow(a, b);
  if (p.edom) return RT_ZERODIV_CPOW;
  if (isinf(p.re) || isinf(p.im)) return RT_CPOW_RANGE;   /* _Py_ADJUST_ERANGE2 */
  out[0] = p.re;
  out[1] = p.im;
  return 0;
}

/* -- round(x, n) ------------------------------------------------------------------- */

enum { NDIG = 780 };   /* more than the 767 significant digits a double can have */

int32_t ember_rt_roundn(double x, int64_t n, double *out)
{
  if (!isfinite(x) || n > 323) { *out = x; return 0; }
  if (n < -308) { *out = 0.0 * x; return 0; }
  char buf[NDIG + 32], res[NDIG + 48];
  snprintf(buf, sizeof buf, "%.*e", NDIG, fabs(x));   /* glibc: exact digits */
  char dig[NDIG + 2];
  int nd = 0;
  dig[nd++] = buf[0];
  for (const char *p = buf + 2; *p && *p != 'e'; p++) dig[nd++] = *p;
  int e = atoi(strchr(buf, 'e') + 1);
  int64_t m = (int64_t)e + n + 1;               /* digits kept: place value >= 10**-n */
  if (m >= nd) { *out = x; return 0; }
  int up = 0, k = 0;
  if (m >= 0) {
    char first = dig[m];
    int rest = 0;
    for (int i = (int)m + 1; i < nd; i++) rest |= dig[i] != '0';
    int odd = m > 0 && ((dig[m - 1] - '0') & 1);
    up = first > '5' || (first == '5' && (rest || odd));
  }
  if (signbit(x)) res[k++] = '-';
  res[k++] = '0';                               /* room for a carry */
  int start = k;
  for (int64_t i = 0; i < m; i++) res[k++] = dig[i];
  for (int i = k - 1; up && i >= start - 1; i--) {
    if (res[i] == '9') res[i] = '0';
    else { res[i]++; up = 0; }
  }
  snprintf(res + k, sizeof res - k, "e%lld", (long long)-n);
  double r = strtod(res, NULL);
  if (isinf(r)) return RT_ROUND_OVERFLOW;
  *out = r;
  return 0;
}

int32_t ember_rt_roundn_int(int64_t x, int64_t n, int64_t *out)
{
  if (n >= 0) { *out = x; return 0; }
  if (n < -19) { *out = 0; return 0; }          /* 10**20 > 2 * |x| */
  __int128 p = 1;
  for (int64_t i = 0; i < -n; i++) p *= 10;
  __int128 q = x / p, r = x % p, ar = r < 0 ? -r : r;
  if (2 * ar > p || (2 * ar == p && (q & 1))) q += x < 0 ? -1 : 1;
  __int128 res = q * p;
  if (res > INT64_MAX || res < INT64_MIN) return RT_INT_OVERFLOW;
  *out = (int64_t)res;
  return 0;
}

/* -- math.gamma and math.lgamma ----------------------------------------------------
 * CPython does not call libm for these: Modules/mathmodule.c has its own
 * m_tgamma and m_lgamma, a Lanczos approximation (N = 13, g =
 * 6.024680040776729583740234375, the parameter set Boost uses) evaluated as
 * a rational function, with the reflection formula for negative x and
 * exact factorials for small integers.  These functions follow the same
 * steps in the same floating-point order, so results agree bit for bit.
 * Errors come back in the value, for the lowering's math_1 checks: NaN from
 * a non-NaN x is a domain error (CPython's EDOM: poles, -inf), an infinity
 * from a finite x a range error (ERANGE). */

enum { NLANCZOS = 13, NFACT = 23 };
static const double lanczos_g = 6.024680040776729583740234375;
static const double lanczos_gmh = 5.524680040776729583740234375;   /* g - 0.5, exact */
/* Numerator of the Lanczos sum as a rational function (published coefficients). */
static const double lanczos_num[NLANCZOS] = {
  23531376880.410759688572007674451636754734846804940,
  42919803642.649098768957899047001988850926355848959,
  35711959237.355668049440185451547166705960488635843,
  17921034426.037209699919755754458931112671403265390,
  6039542586.3520280050642916443072979210699388420708,
  1439720407.3117216736632230727949123939715485786772,
  248874557.86205415651146038641322942321632125127801,
  31426415.585400194380614231628318205362874684987640,
  2876370.6289353724412254090516208496135991145378768,
  186056.26539522349504029498971604569928220784236328,
  8071.6720023658162106380029022722506138218516325024,
  210.82427775157934587250973392071336271166969580291,
  2.5066282746310002701649081771338373386264310793408,
};
/* Its denominator: the coefficients of x (x+1) ... (x+11). */
static const double lanczos_den[NLANCZOS] = {
  0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0,
  13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0,
};
static const double pi_ = 3.141592653589793238462643383279502884197;
static const double logpi = 1.144729885849400174143427351353058711647;

/* (n-1)! for n = 1..23, exact in a double. */
static double factorial_of(int n)
{
  double f = 1.0;
  for (int k = 2; k < n; k++) f *= k;   /* every partial product is exact below 23! */
  return f;
}

/* The Lanczos sum at 'x' > 0: Horner in x below 5, in 1/x from there (no overflow). */
static double lanczos(double x)
{
  double num = 0.0, den = 0.0;
  if (x < 5.0) {
    for (int i = NLANCZOS - 1; i >= 0; i--) {
      num = num * x + lanczos_num[i];
      den = den * x + lanczos_den[i];
    }
  } else {
    for (int i = 0; i < NLANCZOS; i++) {
      num = num / x + lanczos_num[i];
      den = den / x + lanczos_den[i];
    }
  }
  return num / den;
}

/* sin(pi * x) for finite x, exact at the integers and half-integers. */
static double sinpi(double x)
{
  double y = fmod(fabs(x), 2.0), r;
  switch ((int)round(2.0 * y)) {
  case 0: r = sin(pi_ * y); break;
  case 1: r = cos(pi_ * (y - 0.5)); break;
  case 2: r = sin(pi_ * (1.0 - y)); break;   /* not -sin(pi*(y-1)): +0.0 at y == 1 */
  case 3: r = -cos(pi_ * (y - 1.5)); break;
  default: r = sin(pi_ * (y - 2.0)); break;
  }
  return copysign(1.0, x) * r;
}

/* pow(y, e) as CPython's gamma takes it: in two halves from 140 on (no overflow in between). */
static double gamma_scale(double r, double y, double ax, int divide)
{
  if (ax < 140.0) return divide ? r / pow(y, ax - 0.5) : r * pow(y, ax - 0.5);
  double h = pow(y, ax / 2.0 - 0.25);
  return divide ? r / h / h : r * h * h;
}

double ember_rt_gamma(double x)
{
  if (!isfinite(x)) return isnan(x) || x > 0.0 ? x : NAN;   /* gamma(-inf): domain */
  if (x == 0.0) return NAN;                                   /* a pole: domain */
  if (x == floor(x)) {
    if (x < 0.0) return NAN;
    if (x <= NFACT) return factorial_of((int)x);
  }
  double ax = fabs(x);
  if (ax < 1e-20) return 1.0 / x;                             /* inf (range) for the tiniest */
  if (ax > 200.0) return x < 0.0 ? 0.0 / sinpi(x) : INFINITY;
  double y = ax + lanczos_gmh, z;
  if (ax > lanczos_gmh) z = (y - ax) - lanczos_gmh;           /* the rounding error of y */
  else z = (y - lanczos_gmh) - ax;
  z = z * lanczos_g / y;
  double r;
  if (x < 0.0) {
    r = -pi_ / sinpi(ax) / ax * exp(y) / lanczos(ax);
    r -= z * r;
    return gamma_scale(r, y, ax, 1);
  }
  r = lanczos(ax) / exp(y);
  r += z * r;
  return gamma_scale(r, y, ax, 0);
}

double ember_rt_lgamma(double x)
{
  if (!isfinite(x)) return isnan(x) ? x : INFINITY;
  if (x == floor(x) && x <= 2.0) return x <= 0.0 ? NAN : 0.0;   /* poles: domain */
  double ax = fabs(x);
  if (ax < 1e-20) return -log(ax);
  double r = log(lanczos(ax)) - lanczos_g;
  r += (ax - 0.5) * (log(ax + lanczos_g - 0.5) - 1);
  if (x < 0.0) r = logpi - log(fabs(sinpi(ax))) - log(ax) - r;   /* reflection */
  return r;
}

/* -- math.hypot ----------------------------------------------------------------------
 * CPython's vector_norm for two coordinates: power-of-two scaling, exact
 * squares, compensated sums and one differential correction of the square
 * root.  3.10 and 3.11 split with Veltkamp (three running fractions); 3.12
 * and later square with fma and keep two; the results differ in rare last
 * bits, so both are here and the lowering picks by TgOptions.pyversion. */

/* Sorted magnitudes and the special cases every version shares; 1 if '*out' is the answer. */
static int hypot_special(double *a, double *b, double *out)
{
  double x = fabs(*a), y = fabs(*b), m = x > y ? x : y;
  if (isinf(x) || isinf(y)) { *out = INFINITY; return 1; }
  if (isnan(x) || isnan(y)) { *out = NAN; return 1; }
  if (m == 0.0) { *out = m; return 1; }
  *a = x;
  *b = y;
  return 0;
}

static double hypot312(double x, double y, double m)
{
  int e;
  frexp(m, &e);
  if (e < -1023) return DBL_MIN * hypot312(x / DBL_MIN, y / DBL_MIN, m / DBL_MIN);  /* subnormals */
  double scale = ldexp(1.0, -e), csum = 1.0, f1 = 0.0, f2 = 0.0, v[2] = {x, y};
  for (int i = 0; i < 2; i++) {
    double t = v[i] * scale, p = t * t, pl = fma(t, t, -p);   /* t*t == p + pl exactly */
    double s = csum + p, sl = (csum - s) + p;                   /* csum + p == s + sl exactly */
    csum = s;
    f1 += pl;
    f2 += sl;
  }
  double h = sqrt(csum - 1.0 + (f1 + f2));
  double p = -h * h, pl = fma(-h, h, -p), s = csum + p, sl = (csum - s) + p;
  csum = s;
  f1 += pl;
  f2 += sl;
  double d = csum - 1.0 + (f1 + f2);
  h += d / (2.0 * h);
  return h / scale;
}

/* Veltkamp's split of 't' into 'hi' (26 bits) and 'lo'. */
static void split(double t, double *hi, double *lo)
{
  double c = t * 134217729.0;   /* 2**27 + 1 */
  *hi = c - (c - t);
  *lo = t - *hi;
}

/* csum += v with the rounding error added to '*frac'. */
static void acc(double *csum, double *frac, double v)
{
  double old = *csum;
  *csum += v;
  *frac += (old - *csum) + v;
}

static double hypot310(double x, double y, double m)
{
  int e;
  frexp(m, &e);
  if (e < -1023) {   /* 2**-e would overflow: divide by the larger instead */
    double csum = 1.0, f = 0.0, a = x / m, b = y / m;
    acc(&csum, &f, a * a);
    acc(&csum, &f, b * b);
    return m * sqrt(csum - 1.0 + f);
  }
  double scale = ldexp(1.0, -e), csum = 1.0, f1 = 0.0, f2 = 0.0, f3 = 0.0, v[2] = {x, y}, hi, lo;
  for (int i = 0; i < 2; i++) {
    split(v[i] * scale, &hi, &lo);
    acc(&csum, &f1, hi * hi);
    acc(&csum, &f2, 2.0 * hi * lo);
    f3 += lo * lo;
  }
  double h = sqrt(csum - 1.0 + (f1 + f2 + f3));
  split(h, &hi, &lo);
  acc(&csum, &f1, -hi * hi);
  acc(&csum, &f2, -2.0 * hi * lo);
  f3 += -lo * lo;   /* below half an ulp of csum */
  double d = csum - 1.0 + (f1 + f2 + f3);
  return (h + d / (2.0 * h)) / scale;
}

double ember_rt_hypot(double x, double y)
{
  double r;
  if (hypot_special(&x, &y, &r)) return r;
  return hypot312(x, y, x > y ? x : y);
}

double ember_rt_hypot310(double x, double y)
{
  double r;
  if (hypot_special(&x, &y, &r)) return r;
  return hypot310(x, y, x > y ? x : y);
}

/* -- NumPy's sort ---------------------------------------------------------------------- */

EmSortHook ember_sort_hook;

/* <prim>.np_sort (jit/ember/_lib_shape.py): the host sorts with NumPy (jit/array.c). */
int64_t ember_rt_np_sort(int64_t addr, int64_t rows, int64_t n, int64_t type, int64_t kind, int64_t out,
                         int64_t kth, int64_t nkth)
{
  return ember_sort_hook ? ember_sort_hook(addr, rows, n, type, kind, out, kth, nkth) : -1;
}

/* <prim>.pairwise_f64 and _f32 (jit/ember/_lib.py _pairwise): NumPy's
 * pairwise_sum.  Under 8 items one by one from 0; up to 128 in eight running
 * sums (each from 0 + its first item) added as ((0+1)+(2+3))+((4+5)+(6+7)),
 * then the rest one by one; more in two halves split at a multiple of 8, each
 * half's sum added to 0 first.  The additions and their order are those of
 * the compiled Python this replaces, so the sums are bit-equal to NumPy's;
 * one C function instead of one more LLVM function in every sum's module. */
#define PAIRWISE(name, T)                                                                          static T name##_rec(const char *p, int64_t n, int64_t st)                                        {                                                                                                  if (n < 8) {                                                                                       T r = 0;                                                                                         for (int64_t i = 0; i < n; i++) r += *(const T *)(p + i * st);                                   return r;                                                                                      }                                                                                                if (n <= 128) {                                                                                    T r[8];                                                                                          for (int k = 0; k < 8; k++) r[k] = (T)0 + *(const T *)(p + k * st);                              int64_t i = 8, m = n - n % 8;                                                                    for (; i < m; i += 8)                                                                              for (int k = 0; k < 8; k++) r[k] += *(const T *)(p + (i + k) * st);                            T s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));                         for (; i < n; i++) s += *(const T *)(p + i * st);                                                return s;                                                                                      }                                                                                                int64_t n2 = n / 2;                                                                              n2 -= n2 % 8;                                                                                    return ((T)0 + name##_rec(p, n2, st)) + ((T)0 + name##_rec(p + n2 * st, n - n2, st));           }                                                                                                double ember_rt_##name(int64_t addr, int64_t n, int64_t stride)                                  {                                                                                                  return (double)name##_rec((const char *)(intptr_t)addr, n, stride);                           }
PAIRWISE(pairwise_f64, double)
PAIRWISE(pairwise_f32, float)
#undef PAIRWISE

/* <prim>.bcast_copy (jit/ember/_lib.py _bcopy): a broadcast copy into a new
 * C-ordered array, the innermost axis as a typed loop of the item's size. */
#define BCOPY_ROW(T)                                 \
  for (int64_t i = 0; i < len; i++) {                \
    T v;                                             \
    memcpy(&v, s + i * step, sizeof v);              \
    memcpy(d + i * (int64_t)sizeof v, &v, sizeof v); \
  }                                                  \
  break;
double ember_rt_bcast_copy(int64_t dst, int64_t src, int64_t ndim, int64_t itemsize, int64_t desc)
{
  const int64_t *dims = (const int64_t *)(intptr_t)desc, *st = dims + ndim;
  int64_t idx[32] = {0}, len = ndim > 0 ? dims[ndim - 1] : 1, step = ndim > 0 ? st[ndim - 1] : 0;
  char *d = (char *)(intptr_t)dst;
  const char *s = (const char *)(intptr_t)src;
  if (ndim > 32 || len <= 0) return 0.0;
  for (int64_t k = 0; k < ndim - 1; k++)
    if (dims[k] <= 0) return 0.0;
  for (;;) {
    switch (itemsize) {
    case 1: BCOPY_ROW(uint8_t)
    case 2: BCOPY_ROW(uint16_t)
    case 4: BCOPY_ROW(uint32_t)
    case 8: BCOPY_ROW(uint64_t)
    default:
      for (int64_t i = 0; i < len; i++) memcpy(d + i * itemsize, s + i * step, (size_t)itemsize);
    }
    d += len * itemsize;
    int64_t k = ndim - 2;   /* the next row: an odometer over the outer axes */
    for (; k >= 0; k--) {
      s += st[k];
      if (++idx[k] < dims[k]) break;
      s -= idx[k] * st[k];
      idx[k] = 0;
    }
    if (k < 0) return 0.0;
  }
}
#undef BCOPY_ROW

/* -- Stable forms made by passes/stabilize.c -------------------------------------------
 *
 * Each equals its naive formula wherever that one is exact, and stays within
 * a few ulps where the naive one overflows or cancels (Maechler, "Accurately
 * computing log(1 - exp(-|a|))", 2012).  A domain error is reported as NaN
 * from non-NaN operands and a range error as inf from finite operands, which
 * the lowering turns into CPython's ValueError / OverflowError (math_1).
 */

/* 1/(1+exp(-x)): exp of a non-positive number only. */
static double ember_rt_sigmoid(double x)
{
  if (x >= 0.0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}

/* log(1+exp(x)) = max(x, 0) + log1p(exp(-|x|)). */
static double ember_rt_softplus(double x)
{
  if (isnan(x)) return x;
  if (x <= -37.0) return exp(x);          /* log1p(e) == e to double precision */
  if (x <= 18.0) return log1p(exp(x));
  if (x <= 33.3) return x + exp(-x);
  return x;
}

/* log(1-exp(x)) for x <= 0; x > 0 is a domain error as log of a negative
 * number, x past exp's overflow a range error (the naive form raises there). */
static double ember_rt_log1mexp(double x)
{
  if (isnan(x)) return x;
  if (x > 709.782712893384 && isfinite(x)) return HUGE_VAL;
  if (x >= 0.0) return NAN;
  return x > -0.693147180559945309 ? log(-expm1(x)) : log1p(-exp(x));
}

/* log(exp(x)+exp(y)) = m + log1p(exp(-|x-y|)), m = max(x, y). */
static double ember_rt_logaddexp(double x, double y)
{
  if (isnan(x) || isnan(y)) return x + y;
  if (x == -HUGE_VAL && y == -HUGE_VAL) return NAN;   /* log(0): domain */
  if (x == y) return x + 0.693147180559945309;      /* also both +inf */
  double m = x > y ? x : y, d = fabs(x - y);
  return m + log1p(exp(-d));
}

/* sqrt(x*x+y*y) without overflow or underflow; NaN like the naive form. */
static double ember_rt_norm2(double x, double y)
{
  if (isnan(x) || isnan(y)) return x + y;
  return ember_rt_hypot(x, y);
}

/* -- print() ----------------------------------------------------------------------------- */

void (*ember_print_hook)(const char *what, const int64_t *vals);

/* print (targets/llvm/lower.c lower_print): the host writes it (jit/print.c). */
void ember_rt_print(const char *what, const int64_t *vals)
{
  if (ember_print_hook) ember_print_hook(what, vals);
}

/* -- Symbols ------------------------------------------------------------------------- */

const RtSym rt_symbols[] = {
  {"ember_rt_fpow", (void *)ember_rt_fpow},
  {"ember_rt_print", (void *)ember_rt_print},
  {"ember_rt_cpow", (void *)ember_rt_cpow},
  {"ember_rt_roundn", (void *)ember_rt_roundn},
  {"ember_rt_roundn_int", (void *)ember_rt_roundn_int},
  {"ember_rt_gamma", (void *)ember_rt_gamma},
  {"ember_rt_lgamma", (void *)ember_rt_lgamma},
  {"ember_rt_hypot", (void *)ember_rt_hypot},
  {"ember_rt_hypot310", (void *)ember_rt_hypot310},
  {"ember_rt_alloc", (void *)ember_rt_alloc},   /* rt_array.c */
  {"ember_rt_list_new", (void *)ember_rt_list_new},   /* rt_list.c */
  {"ember_rt_list_grow", (void *)ember_rt_list_grow},
  {"ember_rt_dict_new", (void *)ember_rt_dict_new},   /* rt_dict.c */
  {"ember_rt_dict_find", (void *)ember_rt_dict_find},
  {"ember_rt_dict_get", (void *)ember_rt_dict_get},
  {"ember_rt_dict_slot", (void *)ember_rt_dict_slot},
  {"ember_rt_dict_del", (void *)ember_rt_dict_del},
  {"ember_rt_dict_pack", (void *)ember_rt_dict_pack},
  {"ember_rt_dict_clear", (void *)ember_rt_dict_clear},
  {"ember_rt_dict_copy", (void *)ember_rt_dict_copy},
  {"ember_rt_sigmoid", (void *)ember_rt_sigmoid},
  {"ember_rt_softplus", (void *)ember_rt_softplus},
  {"ember_rt_log1mexp", (void *)ember_rt_log1mexp},
  {"ember_rt_logaddexp", (void *)ember_rt_logaddexp},
  {"ember_rt_norm2", (void *)ember_rt_norm2},
  {"ember_rt_random_seed", (void *)ember_rt_random_seed},   /* rt_random.c */
  {"ember_rt_random_double", (void *)ember_rt_random_double},
  {"ember_rt_random_gauss", (void *)ember_rt_random_gauss},
  {"ember_rt_random_interval", (void *)ember_rt_random_interval},
  {"ember_rt_random_fill", (void *)ember_rt_random_fill},
  {"ember_rt_np_sort", (void *)ember_rt_np_sort},
  {"ember_rt_pairwise_f64", (void *)ember_rt_pairwise_f64},
  {"ember_rt_pairwise_f32", (void *)ember_rt_pairwise_f32},
  {"ember_rt_blas", (void *)ember_rt_blas},   /* rt_blas.c */
  {"ember_rt_bcast_copy", (void *)ember_rt_bcast_copy},
#define S(f) {#f, (void *)f},
  S(sqrt) S(exp) S(log) S(log1p) S(expm1) S(log2) S(log10) S(sin) S(cos) S(tan)
  S(asin) S(acos) S(atan) S(sinh) S(cosh) S(tanh) S(asinh) S(acosh) S(atanh)
  S(erf) S(erfc) S(tgamma) S(lgamma) S(fabs) S(hypot) S(atan2) S(copysign) S(fmod)
  S(floor) S(ceil) S(trunc) S(pow) S(round) S(roundeven)
#undef S
  {NULL, NULL},
};
