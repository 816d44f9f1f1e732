/* targets/native/rt_random.c: np.random's generator for JIT-compiled code.
 *
 * NumPy's legacy RandomState, bit for bit: MT19937 (numpy/random/src/
 * mt19937/mt19937.[ch]: init_genrand seeding of a 32-bit seed, init_by_array,
 * the tempered output), doubles of 53 bits from two outputs (a >> 5, b >> 6,
 * as mt19937_next_double), 64-bit outputs as the first output shifted up
 * and or-ed with the second (mt19937_next64), legacy_gauss (the polar
 * Box-Muller method; of each pair one value is returned and the other kept
 * for the next call, and seeding drops it) and random_interval (the masked
 * rejection that RandomState's randint, shuffle and permutation use: draw
 * 32 bits, or 64 for a bound above 2**32 - 1, and-ed with the smallest mask
 * of all ones covering the bound, until the value is within it; a bound of 0
 * draws nothing).  The distributions themselves are Python, compiled by
 * Ember (jit/ember/_lib_random.py), on the five entry points at the end
 * (seed, double, gauss, interval, and fill: n doubles or gausses into an
 * array with the state found once).
 *
 * State: one generator per thread, as Numba's, private to compiled code
 * (NumPy's global RandomState is neither read nor changed).  A thread's
 * generator is seeded from the OS's entropy (624 words through
 * init_by_array) on its first use, unless np.random.seed ran first in
 * compiled code on that thread.  Nothing is locked: only its own thread
 * touches a state.  After a fork the child's generator is seeded from
 * entropy again at its next use, as Numba's (a pthread_atfork handler,
 * registered at the first use): processes made by multiprocessing draw
 * different numbers, not copies of the parent's stream.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* getrandom */
#endif
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>

#include "../targets.h"
#include "native.h"

enum { N = TG_RANDOM_N, M = 397 };
#define MATRIX_A 0x9908b0dfu
#define UPPER 0x80000000u
#define LOWER 0x7fffffffu

/* -- MT19937 ---------------------------------------------------------------- */

void tg_random_seed(TgRandom *r, uint32_t seed)
{
  for (int i = 0; i < N; i++) {
    r->key[i] = seed;
    seed = 1812433253u * (seed ^ (seed >> 30)) + (uint32_t)i + 1;
  }
  r->pos = N;
  r->has_gauss = false;
  r->gauss = 0.0;
  r->seeded = true;
}

void tg_random_seed_array(TgRandom *r, const uint32_t *key, int n)
{
  uint32_t *mt = r->key;
  tg_random_seed(r, 19650218u);
  int i = 1, j = 0;
  for (int k = N > n ? N : n; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
    if (++i >= N) { mt[0] = mt[N - 1]; i = 1; }
    if (++j >= n) j = 0;
  }
  for (int k = N - 1; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
    if (++i >= N) { mt[0] = mt[N - 1]; i = 1; }
  }
  mt[0] = 0x80000000u;   /* never an all-zero state */
}

/* The next N words of the state. */
static void twist(TgRandom *r)
{
  uint32_t *k = r->key, y;
  int i = 0;
  for (; i < N - M; i++) {
    y = (k[i] & UPPER) | (k[i + 1] & LOWER);
    k[i] = k[i + M] ^ (y >> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; i < N - 1; i++) {
    y = (k[i] & UPPER) | (k[i + 1] & LOWER);
    k[i] = k[i + M - N] ^ (y >> 1) ^ (-(y & 1) & MATRIX_A);
  }
  y = (k[N - 1] & UPPER) | (k[0] & LOWER);
  k[N - 1] = k[M - 1] ^ (y >> 1) ^ (-(y & 1) & MATRIX_A);
  r->pos = 0;
}

uint32_t tg_random_next32(TgRandom *r)
{
  if (r->pos >= N) twist(r);
  uint32_t y = r->key[r->pos++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

uint64_t tg_random_next64(TgRandom *r)
{
  uint64_t hi = tg_random_next32(r);
  return hi << 32 | tg_random_next32(r);
}

double tg_random_double(TgRandom *r)
{
  int32_t a = (int32_t)(tg_random_next32(r) >> 5), b = (int32_t)(tg_random_next32(r) >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

/* -- NumPy's legacy draws ------------------------------------------------------- */

double tg_random_gauss(TgRandom *r)
{
  if (r->has_gauss) {
    r->has_gauss = false;
    double g = r->gauss;
    r->gauss = 0.0;
    return g;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * tg_random_double(r) - 1.0;
    x2 = 2.0 * tg_random_double(r) - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = sqrt(-2.0 * log(r2) / r2);
  r->gauss = f * x1;
  r->has_gauss = true;
  return f * x2;
}

uint64_t tg_random_interval(TgRandom *r, uint64_t max)
{
  if (max == 0) return 0;
  uint64_t mask = max, v;
  for (int s = 1; s < 64; s *= 2) mask |= mask >> s;   /* the smallest all-ones mask >= max */
  if (max <= 0xffffffffu) {
    while ((v = tg_random_next32(r) & mask) > max) {}
  } else {
    while ((v = tg_random_next64(r) & mask) > max) {}
  }
  return v;
}

/* -- This thread's generator: the entry points of compiled code ------------------ */

static _Thread_local TgRandom mine;

/* Seed 'r' from the OS's entropy (the time and an address if there is none). */
static void seed_entropy(TgRandom *r)
{
  uint32_t key[N];
  size_t got = 0;
  while (got < sizeof key) {
    ssize_t k = getrandom((char *)key + got, sizeof key - got, 0);
    if (k <= 0) break;
    got += (size_t)k;
  }
  if (got < sizeof key) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    key[0] ^= (uint32_t)ts.tv_nsec;
    key[1] ^= (uint32_t)ts.tv_sec;
    key[2] ^= (uint32_t)(uintptr_t)r;
  }
  tg_random_seed_array(r, key, N);
}

/* In a forked child only the forking thread lives on: its state is reseeded. */
static void forked(void) { mine.seeded = false; }

static void watch_fork(void) { pthread_atfork(NULL, NULL, forked); }

static pthread_once_t watching = PTHREAD_ONCE_INIT;

static TgRandom *state(void)
{
  if (!mine.seeded) {
    pthread_once(&watching, watch_fork);
    seed_entropy(&mine);
  }
  return &mine;
}

/* Seed this thread's generator with 'seed' (jit/ember/_lib_random.py checked
 * 0 <= seed < 2**32), or from entropy for -1 (np.random.seed()); 0. */
int64_t ember_rt_random_seed(int64_t seed)
{
  pthread_once(&watching, watch_fork);
  if (seed < 0) seed_entropy(&mine);
  else tg_random_seed(&mine, (uint32_t)seed);
  mine.has_gauss = false;
  mine.gauss = 0.0;
  return 0;
}

double ember_rt_random_double(void) { return tg_random_double(state()); }

double ember_rt_random_gauss(void) { return tg_random_gauss(state()); }

int64_t ember_rt_random_interval(int64_t max) { return (int64_t)tg_random_interval(state(), (uint64_t)max); }

/* Fill the 'n' doubles at 'addr' (a new C-contiguous float64 array of
 * compiled code) with doubles (kind 0) or legacy_gauss values, in order: the
 * state is found once, not per item; 0. */
int64_t ember_rt_random_fill(int64_t kind, int64_t addr, int64_t n)
{
  TgRandom *r = state();
  double *out = (double *)(uintptr_t)addr;
  for (int64_t i = 0; i < n; i++) out[i] = kind ? tg_random_gauss(r) : tg_random_double(r);
  return 0;
}

#undef MATRIX_A
#undef UPPER
#undef LOWER
