/* targets/native/rt_list.c: list memory for JIT-compiled code.
 *
 * A list (targets/targets.h EmList) and its items are blocks of
 * ember_rt_alloc (rt_array.c), owned by the call's runtime context like
 * arrays: jit/ copies a returned list into a Python list and frees every
 * block after the call.  Growing doubles the capacity (at least 4 items)
 * into a new block; the old one stays with the context until the call
 * ends, so a list that grows to n items holds at most about 2n items of
 * memory.  No global state.
 */
#include <stdint.h>
#include <string.h>

#include "../targets.h"
#include "native.h"

/* A new block for 'cap' items of 'size' bytes, or NULL. */
static void *items(EmErr *err, int64_t cap, int64_t size)
{
  if (cap < 0 || size <= 0 || cap > (INT64_C(1) << 46) / size) return NULL;
  EmBuf *b = ember_rt_alloc(err, cap * size);
  return b ? (char *)b + EM_BUF_HEADER : NULL;
}

EmList *ember_rt_list_new(EmErr *err, int64_t n, int64_t size)
{
  EmBuf *b = ember_rt_alloc(err, sizeof(EmList));
  if (!b) return NULL;
  EmList *l = (EmList *)((char *)b + EM_BUF_HEADER);
  l->cap = n < 4 ? 4 : n;
  l->len = n;
  l->data = items(err, l->cap, size);
  return l->data ? l : NULL;
}

int32_t ember_rt_list_grow(EmErr *err, EmList *l, int64_t n, int64_t size)
{
  if (n <= l->cap) return 0;
  int64_t cap = l->cap < 4 ? 4 : l->cap;
  while (cap < n) cap = cap > INT64_MAX / 2 ? n : 2 * cap;
  char *d = items(err, cap, size);
  if (!d) return 1;
  if (l->len) memcpy(d, l->data, (size_t)(l->len * size));
  l->data = d;
  l->cap = cap;
  return 0;
}
