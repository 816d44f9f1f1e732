/* passes/rewrite.c: the table of named rewrites and the switches on them.
 *
 * Every rewrite of canon.c, simplify.c and stabilize.c names a row of
 * rewrites.def; before it fires it asks pass_rw_on (excluded by the user?
 * fastmath-only?) and after it fires it counts itself with pass_rw_fired,
 * which jit/ reports as f.stats["rewrites"].  No state outside the
 * PassOptions of the running pipeline.
 */
#include <string.h>

#include "passes.h"

_Static_assert(RW__COUNT <= PASS_MAXRW, "raise PASS_MAXRW");

const RwInfo pass_rewrites[RW__COUNT] = {
#define RW(name, phase, doc) {#name, phase, doc},
#include "rewrites.def"
#undef RW
};

int pass_rewrite_find(const char *name)
{
  for (int i = 0; i < RW__COUNT; i++)
    if (!strcmp(pass_rewrites[i].name, name)) return i;
  return -1;
}

bool pass_rw_on(IrFunc *fn, int id, bool fast)
{
  const PassOptions *o = pass_options(fn);
  return !o->rw_off[id] && (!fast || o->fastmath);
}

void pass_rw_fired(IrFunc *fn, int id)
{
  if (fn->passopt) ((PassOptions *)fn->passopt)->rw_fired[id]++;
}
