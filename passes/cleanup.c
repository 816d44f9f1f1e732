/* passes/cleanup.c: control-flow cleanup.
 *
 * Repeats, until nothing changes:
 *   1. unreachable blocks (not reached from the entry) die;
 *   2. trivial block parameters go: a parameter whose every incoming
 *      argument is one value v (or the parameter itself, around a loop) is
 *      replaced by v (Braun et al.'s trivial phi);
 *   3. jumps are threaded through empty blocks: a predecessor of a block
 *      that only jumps on (`@e(%p): br @t(%p, %x)`) jumps straight to the
 *      target with the arguments mapped, unless the empty block's
 *      parameters are used beyond its own jump;
 *   4. a block that ends in `br` to a block with no other predecessor
 *      absorbs it (its parameters become the jump's arguments).
 * Nops are swept out of blocks at the end.
 *
 * Expects: any IR whose live blocks all end in a terminator.  Leaves: the
 * same function on fewer blocks; predecessor lists are stale.
 */
#include <string.h>

#include "passes.h"

static bool remove_unreachable(IrFunc *fn)
{
  IrBlk *rpo = ir_alloc(fn->ctx, fn->nblocks * sizeof *rpo);
  uint8_t *seen = ir_alloc(fn->ctx, fn->nblocks);
  uint32_t n = ir_fill_rpo(fn, rpo);
  for (uint32_t i = 0; i < n; i++) seen[rpo[i]] = 1;
  bool changed = false;
  IR_FOREACH_BLOCK(fn, b)
    if (!seen[b]) fn->blocks[b].dead = true, changed = true;
  return changed;
}

/* The one value other than 'p' that every branch into 'b' passes for parameter 'i', or 0. */
static IrRef trivial_value(IrFunc *fn, IrBlk b, uint32_t i, IrRef p)
{
  IrBlock *bk = &fn->blocks[b];
  IrRef v = 0;
  for (uint32_t k = 0; k < bk->npreds; k++) {
    IrVal *t = ir_val(fn, ir_block_term(fn, bk->preds[k]));
    for (uint32_t s = 0; s < t->nsucc; s++) {
      if (t->succ[s].blk != b) continue;
      IrRef a = t->succ[s].args[i];
      if (a == p || a == v) continue;
      if (v) return 0;
      v = a;
    }
  }
  return v;
}

static bool drop_trivial_params(IrFunc *fn)
{
  bool changed = false;
  ir_fill_preds(fn);
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; b != 0 && i < bk->nparams;) {
      IrRef p = bk->params[i], v = trivial_value(fn, b, i, p);
      if (!v) { i++; continue; }
      ir_replace_uses(fn, p, v);
      ir_block_param_remove(fn, b, i);
      changed = true;
    }
  }
  return changed;
}

/* Is a parameter of block 'e' used anywhere but in e's own terminator? */
static bool params_escape(IrFunc *fn, IrBlk e)
{
  IrBlock *eb = &fn->blocks[e];
  if (!eb->nparams) return false;
  IrRef own = ir_block_term(fn, e);
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *x = ir_val(fn, bk->insts[i]);
      if (bk->insts[i] == own) continue;
      for (uint32_t p = 0; p < eb->nparams; p++) {
        for (uint32_t k = 0; k < x->nargs; k++)
          if (x->args[k] == eb->params[p]) return true;
        for (uint32_t s = 0; s < x->nsucc; s++)
          for (uint32_t k = 0; k < x->succ[s].nargs; k++)
            if (x->succ[s].args[k] == eb->params[p]) return true;
      }
    }
  }
  return false;
}

/* Redirect successor 'sc' (into empty block 'e' that jumps by 'j') to j's target. */
static void thread1(IrFunc *fn, IrSucc *sc, IrBlk e, const IrSucc *j)
{
  IrBlock *eb = &fn->blocks[e];
  IrRef *args = ir_alloc(fn->ctx, (j->nargs ? j->nargs : 1) * sizeof *args);
  for (uint32_t k = 0; k < j->nargs; k++) {
    args[k] = j->args[k];
    for (uint32_t p = 0; p < eb->nparams; p++)
      if (eb->params[p] == j->args[k]) args[k] = sc->args[p];
  }
  sc->blk = j->blk;
  sc->nargs = j->nargs;
  sc->args = args;
}

static bool thread_jumps(IrFunc *fn)
{
  bool changed = false;
  IR_FOREACH_BLOCK(fn, e) {
    IrBlock *eb = &fn->blocks[e];
    if (e == 0 || eb->ninsts != 1) continue;
    IrVal *j = ir_val(fn, eb->insts[0]);
    if (j->op != IR_BR || j->succ[0].blk == e || params_escape(fn, e)) continue;
    IrBlock *tb = &fn->blocks[j->succ[0].blk];
    if (tb->ninsts == 1 && ir_val(fn, tb->insts[0])->op == IR_BR) continue;  /* a chain: thread its end first */
    IR_FOREACH_BLOCK(fn, p) {
      IrRef t = ir_block_term(fn, p);
      if (p == e || !t) continue;
      IrVal *tv = ir_val(fn, t);
      for (uint32_t s = 0; s < tv->nsucc; s++)
        if (tv->succ[s].blk == e) thread1(fn, &tv->succ[s], e, &ir_val(fn, eb->insts[0])->succ[0]), changed = true;
    }
  }
  return changed;
}

/* Append the instructions of 'c' (whose only predecessor is 'b', by a br) to 'b'. */
static void merge(IrFunc *fn, IrBlk b, IrBlk c)
{
  IrRef br = ir_block_term(fn, b);
  IrSucc sc = ir_val(fn, br)->succ[0];
  IrBlock *cb = &fn->blocks[c];
  for (uint32_t i = 0; i < cb->nparams; i++) ir_replace_uses(fn, cb->params[i], sc.args[i]);
  ir_remove(fn, br);
  IrBlock *bb = &fn->blocks[b];
  uint32_t n = bb->ninsts + cb->ninsts;
  IrRef *insts = ir_alloc(fn->ctx, (n ? n : 1) * sizeof *insts);
  memcpy(insts, bb->insts, bb->ninsts * sizeof *insts);
  memcpy(insts + bb->ninsts, cb->insts, cb->ninsts * sizeof *insts);
  for (uint32_t i = 0; i < cb->ninsts; i++) fn->vals[cb->insts[i]].blk = b;
  bb->insts = insts;
  bb->ninsts = bb->cap = n;
  cb->ninsts = cb->nparams = 0;
  cb->dead = true;
}

static bool merge_blocks(IrFunc *fn)
{
  bool changed = false;
  ir_fill_preds(fn);
  IR_FOREACH_BLOCK(fn, b) {
    for (;;) {
      IrRef t = ir_block_term(fn, b);
      if (!t || ir_val(fn, t)->op != IR_BR) break;
      IrBlk c = ir_val(fn, t)->succ[0].blk;
      if (c == b || c == 0 || fn->blocks[c].npreds != 1) break;
      merge(fn, b, c);  /* c's successors keep their predecessor counts */
      changed = true;
    }
  }
  return changed;
}

static void sweep_nops(IrFunc *fn)
{
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    uint32_t n = 0;
    for (uint32_t i = 0; i < bk->ninsts; i++)
      if (fn->vals[bk->insts[i]].op != IR_NOP || i + 1 == bk->ninsts) bk->insts[n++] = bk->insts[i];
    bk->ninsts = n;
  }
}

void pass_cleanup(IrFunc *fn)
{
  if (!fn->nblocks) return;
  for (bool changed = true; changed;) {
    changed = remove_unreachable(fn);
    changed |= drop_trivial_params(fn);
    changed |= thread_jumps(fn);
    changed |= remove_unreachable(fn);
    changed |= merge_blocks(fn);
  }
  sweep_nops(fn);
}
