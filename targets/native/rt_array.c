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
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../targets.h"
#include "native.h"

EmBuf *ember_rt_alloc(EmErr *err, int64_t nbytes)
{
  if (!err->rt || nbytes < 0 || (uint64_t)nbytes > (uint64_t)1 << 46) return NULL;
  size_t size = ((size_t)nbytes + EM_BUF_HEADER + 63) & ~(size_t)63;
  EmBuf *b = aligned_alloc(64, size);
  if (!b) return NULL;
#ifdef MADV_HUGEPAGE
  if (size >= ((size_t)4 << 20)) {
    uintptr_t lo = ((uintptr_t)b + 4095) & ~(uintptr_t)4095, hi = ((uintptr_t)b + size) & ~(uintptr_t)4095;
    if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
  }
#endif
  b->next = err->rt->bufs;
  b->nbytes = nbytes;
  err->rt->bufs = b;
  return b;
}
