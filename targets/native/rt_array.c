/* targets/native/rt_array.c: array memory for JIT-compiled code.
 *
 * ember_rt_alloc gives compiled code a 64-byte aligned block: an EmBuf
 * header (targets/targets.h) and 'nbytes' of data after it, linked into
 * the call's runtime context err->rt.  The caller of the entry (jit/) owns
 * that context and, after the call, hands the buffers of the arrays it
 * returns to NumPy and frees the rest with free().  Without a context
 * (err->rt NULL) nothing can own the memory, so the allocation fails
 * (MemoryError) rather than leak.  No global state.
 *
 * Blocks of 4 MiB and more ask the kernel for transparent huge pages, as
 * NumPy does for its own data: a fresh 80 MB result then costs 40 page
 * faults instead of 20,000 (a 10-million-element loop ran 4x slower
 * without).
 *
 * ember_rt_release frees a block, but keeps the last few freed blocks of
 * 1 MiB and more (KEEP of them, KEEP_BYTES in all) and gives one to the
 * next allocation it fits (at most twice the size asked): a function
 * called in a loop that returns a fresh 80 MB array then writes into the
 * pages of the result before, already mapped, instead of faulting in new
 * ones (`a*b + c*2.0 + a` of 10^7 float64: 17.7 -> 10 ms, what writing
 * into an existing array costs).  The kept blocks are the only state,
 * under a mutex: compiled code may run without the GIL.
 */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../targets.h"
#include "native.h"

enum { KEEP = 4 };
#define KEEP_MIN ((size_t)1 << 20)
#define KEEP_BYTES ((size_t)512 << 20)

static pthread_mutex_t keep_mu = PTHREAD_MUTEX_INITIALIZER;
static EmBuf *kept[KEEP];          /* oldest first */
static uint32_t nkept;
static size_t kept_bytes;

/* The block size of 'b' (header included), kept in its header. */
static size_t block_size(const EmBuf *b)
{
  return (size_t)b->pad[0];
}

/* A kept block of 'size' bytes up to twice that, taken out (the smallest,
 * the most recently freed of those: its pages are the likeliest in cache);
 * or NULL. */
static EmBuf *take_kept(size_t size)
{
  EmBuf *b = NULL;
  pthread_mutex_lock(&keep_mu);
  uint32_t best = KEEP;
  for (uint32_t i = nkept; i-- > 0;) {
    size_t s = block_size(kept[i]);
    if (s >= size && s / 2 <= size && (best == KEEP || s < block_size(kept[best]))) best = i;
  }
  if (best < KEEP) {
    b = kept[best];
    kept_bytes -= block_size(b);
    for (uint32_t i = best; i + 1 < nkept; i++) kept[i] = kept[i + 1];
    nkept--;
  }
  pthread_mutex_unlock(&keep_mu);
  return b;
}

void ember_rt_release(EmBuf *b)
{
  if (!b) return;
  size_t size = block_size(b);
  if (size < KEEP_MIN || size > KEEP_BYTES) { free(b); return; }
  EmBuf *drop[KEEP];
  uint32_t ndrop = 0;
  pthread_mutex_lock(&keep_mu);
  while (nkept && (nkept == KEEP || kept_bytes + size > KEEP_BYTES)) {   /* the oldest go */
    drop[ndrop++] = kept[0];
    kept_bytes -= block_size(kept[0]);
    for (uint32_t i = 0; i + 1 < nkept; i++) kept[i] = kept[i + 1];
    nkept--;
  }
  kept[nkept++] = b;
  kept_bytes += size;
  pthread_mutex_unlock(&keep_mu);
  for (uint32_t i = 0; i < ndrop; i++) free(drop[i]);
}

EmBuf *ember_rt_alloc(EmErr *err, int64_t nbytes)
{
  if (!err->rt || nbytes < 0 || (uint64_t)nbytes > (uint64_t)1 << 46) return NULL;
  size_t size = ((size_t)nbytes + EM_BUF_HEADER + 63) & ~(size_t)63;
  EmBuf *b = size >= KEEP_MIN ? take_kept(size) : NULL;
  if (b) goto found;
  if (!(b = aligned_alloc(64, size))) return NULL;
  b->pad[0] = (int64_t)size;
#ifdef MADV_HUGEPAGE
  if (size >= ((size_t)4 << 20)) {
    uintptr_t lo = ((uintptr_t)b + 4095) & ~(uintptr_t)4095, hi = ((uintptr_t)b + size) & ~(uintptr_t)4095;
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
  }
#endif
found:
  b->next = err->rt->bufs;
  b->nbytes = nbytes;
  err->rt->bufs = b;
  return b;
}
