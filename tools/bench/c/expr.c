/* tools/bench/c/expr.c: the whole-array expressions of bench_expr.py as one
 * hand-written loop each, the bound a fusing compiler can reach.
 *
 * Built at bench time with gcc -O3 -march=native -ffast-math (compiled to an
 * object first and linked without -ffast-math, so gcc does not link
 * crtfastmath.o, which would set flush-to-zero for the whole process), and
 * called through ctypes on the NumPy arrays' memory.  -ffast-math lets gcc
 * vectorize the max and sum reductions and call glibc's libmvec for exp
 * (_ZGVdN4v_exp with AVX2, _ZGVeN8v_exp with AVX-512); bench_expr.py checks
 * the built library with objdump and says which it found. */
#include <math.h>
#include <stdint.h>

/* out = a*b + c*2.0 + a: three loads and one store per element. */
void fused(const double *a, const double *b, const double *c, double *out, int64_t n)
{
  for (int64_t i = 0; i < n; i++) out[i] = a[i] * b[i] + c[i] * 2.0 + a[i];
}

/* Largest element of x[0..n), n > 0. */
static double maxof(const double *x, int64_t n)
{
  double m = x[0];
  for (int64_t i = 1; i < n; i++) m = x[i] > m ? x[i] : m;
  return m;
}

/* m + log(sum(exp(x - m))) with m = max(x). */
double logsumexp(const double *x, int64_t n)
{
  double m = maxof(x, n), s = 0.0;
  for (int64_t i = 0; i < n; i++) s += exp(x[i] - m);
  return m + log(s);
}

/* out = exp(x - max(x)) / sum of the same: one pass that stores and sums, one that scales. */
void softmax(const double *x, double *out, int64_t n)
{
  double m = maxof(x, n), s = 0.0;
  for (int64_t i = 0; i < n; i++) {
    double e = exp(x[i] - m);
    out[i] = e;
    s += e;
  }
  double r = 1.0 / s;
  for (int64_t i = 0; i < n; i++) out[i] *= r;
}
