/* targets/native/hash.c: content hashes for the on-disk cache keys.
 *
 * BLAKE3 as LLVM ships it (llvm-c/blake3.h), so jit/ hashes through the
 * _llvm capsule without a hash of its own.  A TgHash is malloc'd: the
 * hasher state is about 2 KB.
 */
#include <llvm-c/blake3.h>
#include <stdlib.h>

#include "../targets.h"

struct TgHash { llvm_blake3_hasher h; };

TgHash *tg_hash_new(void)
{
  TgHash *h = malloc(sizeof *h);
  if (h) llvm_blake3_hasher_init(&h->h);
  return h;
}

void tg_hash_update(TgHash *h, const void *data, size_t size)
{
  llvm_blake3_hasher_update(&h->h, data, size);
}

void tg_hash_final(TgHash *h, uint8_t out[32])
{
  llvm_blake3_hasher_finalize(&h->h, out, 32);
  free(h);
}
