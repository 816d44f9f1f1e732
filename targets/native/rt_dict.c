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
#include "dict_core.h"

static void *block(EmErr *err, int64_t nbytes)
{
  EmBuf *b = ember_rt_alloc(err, nbytes);
  return b ? (char *)b + EM_BUF_HEADER : NULL;
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
  char *m = block(err, dict_bytes(cap, d->vsize));
  if (!m) return 1;
  EmDict old = *d;
  dict_layout(d, m, cap);
  if (old.n) {
    memcpy(d->hash, old.hash, (size_t)old.n * 8);
    memcpy(d->keys, old.keys, (size_t)old.n * 8);
    memcpy(d->vals, old.vals, (size_t)(old.n * d->vsize));
  }
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
  if (d->n == d->cap && ember_rt_dict_find(d, key) < 0 && !is_nan(d, key) &&
      resize(err, d, d->used < 4 ? 8 : 2 * d->used + 1))
    return -1;
  return dict_put(d, key);
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
