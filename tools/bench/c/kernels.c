/* tools/bench/c/kernels.c: the scalar benchmark kernels of bench_scalar.py in C,
 * line for line the same algorithms, compiled at bench time with
 * gcc -O3 -march=native -shared -fPIC and called through ctypes. */
#include <math.h>
#include <stdint.h>

/* fib_loop: 'm' Fibonacci steps from a seed that depends on the repetition. */
int64_t fib_loop(int64_t reps, int64_t m)
{
  int64_t s = 0;
  for (int64_t r = 0; r < reps; r++) {
    int64_t a = r & 7, b = 1;
    for (int64_t i = 0; i < m; i++) {
      int64_t t = a + b;
      a = b;
      b = t;
    }
    s += a & 1023;
  }
  return s;
}

/* collatz_sum: total Collatz steps of 1..n-1. */
int64_t collatz_sum(int64_t n)
{
  int64_t total = 0;
  for (int64_t i = 1; i < n; i++) {
    int64_t x = i;
    while (x != 1) {
      if (x % 2 == 0)
        x /= 2;
      else
        x = 3 * x + 1;
      total += 1;
    }
  }
  return total;
}

/* mandel: iterations summed over a w x h grid of points. */
int64_t mandel(int64_t w, int64_t h, int64_t maxit)
{
  int64_t count = 0;
  for (int64_t j = 0; j < h; j++) {
    double ci = -1.5 + 3.0 * (double)j / (double)h;
    for (int64_t i = 0; i < w; i++) {
      double cr = -2.0 + 3.0 * (double)i / (double)w;
      double zr = 0.0, zi = 0.0;
      int64_t k = 0;
      while (k < maxit && zr * zr + zi * zi <= 4.0) {
        double nzr = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = nzr;
        k += 1;
      }
      count += k;
    }
  }
  return count;
}

/* trapz: trapezoid rule for exp(-x*x) on [a, b] with n intervals. */
double trapz(double a, double b, int64_t n)
{
  double h = (b - a) / (double)n;
  double s = 0.5 * (exp(-a * a) + exp(-b * b));
  for (int64_t i = 1; i < n; i++) {
    double x = a + (double)i * h;
    s += exp(-x * x);
  }
  return s * h;
}
