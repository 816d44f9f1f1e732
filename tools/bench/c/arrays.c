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

void exp1d(const double *a, double *out, int64_t n)
{
  for (int64_t i = 0; i < n; i++) out[i] = exp(a[i]);
}

void erf1d(const double *a, double *out, int64_t n)
{
  for (int64_t i = 0; i < n; i++) out[i] = erf(a[i]);
}

void blacksch(const double *S, const double *K, const double *T, double r, double v, double *out, int64_t n)
{
  for (int64_t i = 0; i < n; i++) {
    double sq = v * sqrt(T[i]);
    double d1 = (log(S[i] / K[i]) + (r + 0.5 * v * v) * T[i]) / sq;
    double d2 = d1 - sq;
    double n1 = 0.5 * (1.0 + erf(d1 * 0.7071067811865476));
    double n2 = 0.5 * (1.0 + erf(d2 * 0.7071067811865476));
    out[i] = S[i] * n1 - K[i] * exp(-r * T[i]) * n2;
  }
}

void nbody(const double *pos, const double *m, double *acc, int64_t n)
{
  for (int64_t i = 0; i < n; i++) {
    double ax = 0.0, ay = 0.0, az = 0.0;
    for (int64_t j = 0; j < n; j++) {
      double dx = pos[3 * j] - pos[3 * i], dy = pos[3 * j + 1] - pos[3 * i + 1], dz = pos[3 * j + 2] - pos[3 * i + 2];
      double r2 = dx * dx + dy * dy + dz * dz + 0.01;
      double s = m[j] / (r2 * sqrt(r2));
      ax += dx * s;
      ay += dy * s;
      az += dz * s;
    }
    acc[3 * i] = ax;
    acc[3 * i + 1] = ay;
    acc[3 * i + 2] = az;
  }
}

void mandel(const double *xs, const double *ys, int64_t *out, int64_t ny, int64_t nx)
{
  for (int64_t i = 0; i < ny; i++)
    for (int64_t j = 0; j < nx; j++) {
      double cr = xs[j], ci = ys[i], zr = 0.0, zi = 0.0;
      int64_t k = 0;
      while (k < 100 && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        k++;
      }
      out[i * nx + j] = k;
    }
}

void histogram(const double *x, int64_t n, double lo, double hi, int64_t *counts)
{
  for (int64_t b = 0; b < 100; b++) counts[b] = 0;
  double scale = 100 / (hi - lo);
  for (int64_t i = 0; i < n; i++) {
    int64_t b = (int64_t)((x[i] - lo) * scale);
    if (b >= 0 && b < 100) counts[b]++;
  }
}
