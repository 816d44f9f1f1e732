/* tools/bench/c/arrays.c: the array kernels of bench_arrays.py in C, line for
 * line (gcc -O3 -march=native, no -ffast-math: the same IEEE rules as Ember
 * and Numba).  Called through ctypes on the NumPy arrays' memory. */
#include <math.h>
#include <stdint.h>

double sum1d(const double *a, int64_t n)
{
  double s = 0.0;
  for (int64_t i = 0; i < n; i++) s += a[i];
  return s;
}

double dot1d(const double *a, const double *b, int64_t n)
{
  double s = 0.0;
  for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

void fused4(const double *a, const double *b, const double *c, const double *d, double *out, int64_t n)
{
  for (int64_t i = 0; i < n; i++) out[i] = a[i] * b[i] + c[i] * d[i];
}

void stencil1d(const double *a, double *out, int64_t n)
{
  for (int64_t i = 1; i < n - 1; i++) out[i] = (a[i - 1] + a[i] + a[i + 1]) * (1.0 / 3.0);
}

void stencil2d(const double *a, double *out, int64_t n, int64_t m)
{
  for (int64_t i = 1; i < n - 1; i++)
    for (int64_t j = 1; j < m - 1; j++)
      out[i * m + j] = 0.25 * (a[(i - 1) * m + j] + a[(i + 1) * m + j] + a[i * m + j - 1] + a[i * m + j + 1]);
}

void pairwise(const double *x, double *dist, int64_t n, int64_t d)
{
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = 0; j < n; j++) {
      double s = 0.0;
      for (int64_t k = 0; k < d; k++) {
        double t = x[i * d + k] - x[j * d + k];
        s += t * t;
      }
      dist[i * n + j] = sqrt(s);
    }
}
