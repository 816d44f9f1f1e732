/* targets/native/rt_dict.c: dict memory and lookups for JIT-compiled code.
 *
 * CPython's compact dict (targets/targets.h EmDict): the entries (hash,
 * key bits, value) sit in insertion order, and an open-addressing index
 * table of a power-of-two size maps a hash to an entry number, probed as
 * CPython probes (perturb shifted 5 bits each step).  Deleting a key marks
 * its entry (hash -1) and its slot (-2); a resize or ember_rt_dict_pack
 * moves the live entries together, keeping their order.  Hashes are
 * CPython's for the number (an int mod 2^61-1, -1 becoming -2; a float by
 * value, so 1.0 hashes as 1), which only matters for speed: equality is by
 * value (-0.0 == 0.0).  A NaN key cannot be stored (CPython tells NaN
 * objects apart by identity, which compiled code does not have); looking
 * one up finds nothing.  Every block comes from ember_rt_alloc and stays
 * with the call's runtime context.  No global state.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../targets.h"
#include "native.h"

#define PMOD ((uint64_t)1 << 61) - 1   /* CPython's _PyHASH_MODULUS */

static int64_t hash_uint(uint64_t u) { return (int64_t)(u % (PMOD)); }

static int64_t hash_int(int64_t v)
{
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  int64_t h = hash_uint(u);
  if (v < 0) h = -h;
  return h == -1 ? -2 : h;
}

/* CPython's _Py_HashDouble of a number (not NaN). */
static int64_t hash_float(double v)
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

static double as_double(int64_t bits)
{
  double f;
  memcpy(&f, &bits, 8);
  return f;
}

static int64_t hash_of(const EmDict *d, int64_t key)
{
  if (d->kkind == EM_DK_FLOAT) return hash_float(as_double(key));
  return d->kkind == EM_DK_UINT ? hash_uint((uint64_t)key) : hash_int(key);
}

static bool same(const EmDict *d, int64_t a, int64_t b)
{
  return d->kkind == EM_DK_FLOAT ? as_double(a) == as_double(b) : a == b;
}

static bool is_nan(const EmDict *d, int64_t key) { return d->kkind == EM_DK_FLOAT && isnan(as_double(key)); }

static void *block(EmErr *err, int64_t nbytes)
{
  EmBuf *b = ember_rt_alloc(err, nbytes);
  return b ? (char *)b + EM_BUF_HEADER : NULL;
}

/* The index slot of key 'key' (hash 'h'): its entry's, or the first free one (-1 or -2). */
static int64_t probe(const EmDict *d, int64_t key, int64_t h, bool *found)
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
static int64_t slots_for(int64_t cap)
{
  int64_t s = 8;
  while (s < cap + cap / 2 + 1) s *= 2;
  return s;
}

/* Rebuild the index table of 'd' (slots 'mask'+1 already set) from its live entries, closing gaps. */
static void reindex(EmDict *d)
{
  int64_t k = 0;
  for (int64_t e = 0; e < d->n; e++) {
    if (d->hash[e] == -1) continue;
    if (k != e) {
      d->hash[k] = d->hash[e];
      d->keys[k] = d->keys[e];
      memcpy(d->vals + k * d->vsize, d->vals + e * d->vsize, (size_t)d->vsize);
    }
    k++;
  }
  d->n = d->used = k;
  memset(d->index, 0xff, (size_t)(d->mask + 1) * sizeof *d->index);
  for (int64_t e = 0; e < d->n; e++) {
    bool found;
    d->index[probe(d, d->keys[e], d->hash[e], &found)] = e;
  }
}

/* Move 'd' into blocks for 'cap' entries; 1 when out of memory. */
static int32_t resize(EmErr *err, EmDict *d, int64_t cap)
{
  if (cap < 0 || cap > (INT64_C(1) << 40)) return 1;
  int64_t slots = slots_for(cap);
  char *m = block(err, slots * 8 + cap * (16 + d->vsize));
  if (!m) return 1;
  int64_t *index = (int64_t *)m, *hash = index + slots, *keys = hash + cap;
  char *vals = (char *)(keys + cap);
  if (d->n) {
    memcpy(hash, d->hash, (size_t)d->n * 8);
    memcpy(keys, d->keys, (size_t)d->n * 8);
    memcpy(vals, d->vals, (size_t)(d->n * d->vsize));
  }
  d->index = index, d->hash = hash, d->keys = keys, d->vals = vals;
  d->cap = cap;
  d->mask = slots - 1;
  reindex(d);
  return 0;
}

EmDict *ember_rt_dict_new(EmErr *err, int64_t kkind, int64_t vsize, int64_t n)
{
  EmDict *d = block(err, sizeof *d);
  if (!d) return NULL;
  memset(d, 0, sizeof *d);
  d->kkind = (int32_t)kkind;
  d->vsize = (int32_t)vsize;
  return resize(err, d, n < 5 ? 5 : n) ? NULL : d;
}

int64_t ember_rt_dict_find(const EmDict *d, int64_t key)
{
  if (!d->used || is_nan(d, key)) return -1;
  bool found;
  int64_t s = probe(d, key, hash_of(d, key), &found);
  return found ? d->index[s] : -1;
}

/* RT_DICT_KEY's payload: the key and how to show it (jit/rterror.c). */
static void key_error(EmErr *err, const EmDict *d, int64_t key)
{
  err->pay[0] = key;
  err->pay[1] = d->kkind;
  err->npay = 2;
}

int64_t ember_rt_dict_get(EmErr *err, const EmDict *d, int64_t key)
{
  int64_t e = ember_rt_dict_find(d, key);
  if (e < 0) key_error(err, d, key);
  return e;
}

int64_t ember_rt_dict_slot(EmErr *err, EmDict *d, int64_t key)
{
  if (is_nan(d, key)) return -2;
  int64_t h = hash_of(d, key);
  bool found;
  int64_t s = probe(d, key, h, &found);
  if (found) return d->index[s];
  if (d->n == d->cap) {
    if (resize(err, d, d->used < 4 ? 8 : 2 * d->used + 1)) return -1;
    s = probe(d, key, h, &found);
  }
  int64_t e = d->n++;
  d->hash[e] = h;
  d->keys[e] = key;
  memset(d->vals + e * d->vsize, 0, (size_t)d->vsize);
  d->index[s] = e;
  d->used++;
  return e;
}

int32_t ember_rt_dict_del(EmErr *err, EmDict *d, int64_t key)
{
  if (!d->used || is_nan(d, key)) { key_error(err, d, key); return 1; }
  bool found;
  int64_t s = probe(d, key, hash_of(d, key), &found);
  if (!found) { key_error(err, d, key); return 1; }
  d->hash[d->index[s]] = -1;
  d->index[s] = -2;
  d->used--;
  if (!d->used) d->n = 0, memset(d->index, 0xff, (size_t)(d->mask + 1) * sizeof *d->index);
  return 0;
}

void ember_rt_dict_pack(EmDict *d)
{
  if (d->n != d->used) reindex(d);
}

void ember_rt_dict_clear(EmDict *d)
{
  d->n = d->used = 0;
  memset(d->index, 0xff, (size_t)(d->mask + 1) * sizeof *d->index);
}

EmDict *ember_rt_dict_copy(EmErr *err, const EmDict *src)
{
  EmDict *d = ember_rt_dict_new(err, src->kkind, src->vsize, src->used);
  for (int64_t e = 0; d && e < src->n; e++) {
    if (src->hash[e] == -1) continue;
    int64_t k = ember_rt_dict_slot(err, d, src->keys[e]);
    if (k < 0) return NULL;
    memcpy(d->vals + k * d->vsize, src->vals + e * src->vsize, (size_t)src->vsize);
  }
  return d;
}
