/* targets/native/runtime.c: C helpers called from JIT-compiled code.
 *
 * Each reproduces one CPython algorithm for the cases the inline code
 * leaves to it, returns 0 or an IrRtErr kind, and writes its result
 * through the last argument:
 *   ember_rt_fpow        Objects/floatobject.c float_pow (all special cases)
 *   ember_rt_cpow        Objects/complexobject.c complex_pow (c_powi for small
 *                        integer exponents, _Py_c_pow otherwise)
 *   ember_rt_roundn      float.__round__(x, n): correctly rounded, ties to even,
 *                        on the exact decimal value of x (CPython uses dtoa mode 3;
 *                        here glibc's exact "%.780e" gives every digit of x and
 *                        the rounding is done on that digit string)
 *   ember_rt_roundn_int  int.__round__(x, n) for n < 0 (divmod_near, ties to even)
 * No state; safe from any thread.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ir/ir.h"
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
  if (isinf(r)) return RT_MATH_RANGE;
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
  if (p.edom) return RT_ZERODIV_POW;
  if (isinf(p.re) || isinf(p.im)) return RT_MATH_RANGE;
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

/* -- Symbols ------------------------------------------------------------------------- */

const RtSym rt_symbols[] = {
  {"ember_rt_fpow", (void *)ember_rt_fpow},
  {"ember_rt_cpow", (void *)ember_rt_cpow},
  {"ember_rt_roundn", (void *)ember_rt_roundn},
  {"ember_rt_roundn_int", (void *)ember_rt_roundn_int},
#define S(f) {#f, (void *)f},
  S(sqrt) S(exp) S(log) S(log1p) S(expm1) S(log2) S(log10) S(sin) S(cos) S(tan)
  S(asin) S(acos) S(atan) S(sinh) S(cosh) S(tanh) S(asinh) S(acosh) S(atanh)
  S(erf) S(erfc) S(tgamma) S(lgamma) S(fabs) S(hypot) S(atan2) S(copysign) S(fmod)
  S(floor) S(ceil) S(trunc) S(pow) S(round) S(roundeven)
#undef S
  {NULL, NULL},
};
