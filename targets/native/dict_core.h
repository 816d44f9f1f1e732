/* targets/native/dict_core.h: the parts of CPython's compact dict that
 * targets/native/rt_dict.c (compiled code's dicts) and jit/dict.c (dict
 * arguments, built without the runtime) share: hashing, equality, probing
 * and the memory layout of an EmDict's tables.  Plain C, static functions.
 */
#ifndef EMBER_DICT_CORE_H
#define EMBER_DICT_CORE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../targets.h"

#define PMOD ((uint64_t)1 << 61) - 1   /* CPython's _PyHASH_MODULUS */

static inline int64_t hash_uint(uint64_t u) { return (int64_t)(u % (PMOD)); }

static inline int64_t hash_int(int64_t v)
{
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  int64_t h = hash_uint(u);
  if (v < 0) h = -h;
  return h == -1 ? -2 : h;
}

/* CPython's _Py_HashDouble of a number (not NaN). */
static inline int64_t hash_float(double v)
{
  if (isinf(v)) return v > 0 ? 314159 : -314159;
  int e;
  double m = frexp(v, &e);
  int sign = 1;
  if (m < 0) sign = -1, m = -m;
  uint64_t x = 0, P = PMOD;
  while (m) {
    x = ((x << 28) & P) | x >> (61 - 28);
    m *= 268435456.0;
    e -= 28;
    uint64_t y = (uint64_t)m;
    m -= (double)y;
    x += y;
    if (x >= P) x -= P;
  }
  e = e >= 0 ? e % 61 : 60 - ((-1 - e) % 61);
  x = ((x << e) & P) | x >> (61 - e);
  int64_t h = (int64_t)x * sign;
  return h == -1 ? -2 : h;
}

static inline double as_double(int64_t bits)
{
  double f;
  memcpy(&f, &bits, 8);
  return f;
}

static inline int64_t hash_of(const EmDict *d, int64_t key)
{
  if (d->kkind == EM_DK_FLOAT) return hash_float(as_double(key));
  return d->kkind == EM_DK_UINT ? hash_uint((uint64_t)key) : hash_int(key);
}

static inline bool same(const EmDict *d, int64_t a, int64_t b)
{
  return d->kkind == EM_DK_FLOAT ? as_double(a) == as_double(b) : a == b;
}

static inline bool is_nan(const EmDict *d, int64_t key) { return d->kkind == EM_DK_FLOAT && isnan(as_double(key)); }

/* The index slot of key 'key' (hash 'h'): its entry's, or the first free one (-1 or -2). */
static inline int64_t probe(const EmDict *d, int64_t key, int64_t h, bool *found)
{
  uint64_t perturb = (uint64_t)h, i = (uint64_t)h & (uint64_t)d->mask;
  int64_t spare = -1;
  for (;;) {
    int64_t e = d->index[i];
    if (e == -1) { *found = false; return spare >= 0 ? spare : (int64_t)i; }
    if (e == -2) { if (spare < 0) spare = (int64_t)i; }
    else if (d->hash[e] == h && same(d, d->keys[e], key)) { *found = true; return (int64_t)i; }
    perturb >>= 5;
    i = (i * 5 + perturb + 1) & (uint64_t)d->mask;
  }
}

/* Index slots for 'cap' entries: a power of two at least 3/2 of them. */
static inline int64_t slots_for(int64_t cap)
{
  int64_t s = 8;
  while (s < cap + cap / 2 + 1) s *= 2;
  return s;
}

/* Bytes of the tables of a dict of 'cap' entries of values of 'vsize' bytes. */
static inline int64_t dict_bytes(int64_t cap, int64_t vsize)
{
  return slots_for(cap) * 8 + cap * (16 + vsize);
}

/* Point the tables of 'd' into 'm' (dict_bytes(cap, d->vsize) bytes); the index is not cleared. */
static inline void dict_layout(EmDict *d, char *m, int64_t cap)
{
  int64_t slots = slots_for(cap);
  d->index = (int64_t *)m;
  d->hash = d->index + slots;
  d->keys = d->hash + cap;
  d->vals = (char *)(d->keys + cap);
  d->cap = cap;
  d->mask = slots - 1;
}

/* The entry of 'key' in 'd', added last if new (the caller made room: n < cap); -2 for a NaN key. */
static inline int64_t dict_put(EmDict *d, int64_t key)
{
  if (is_nan(d, key)) return -2;
  int64_t h = hash_of(d, key);
  bool found;
  int64_t s = probe(d, key, h, &found);
  if (found) return d->index[s];
  int64_t e = d->n++;
  d->hash[e] = h;
  d->keys[e] = key;
  memset(d->vals + e * d->vsize, 0, (size_t)d->vsize);
  d->index[s] = e;
  d->used++;
  return e;
}

#endif
