/* ir/verify.c: the IR verifier.
 *
 * Invariants checked, in this order:
 *   1. every live block ends in exactly one terminator, and only there;
 *   2. every instruction's `blk` is the block listing it, and its operand
 *      count matches ops.def (variadic ops excepted);
 *   3. every operand and branch argument is a live value: a parameter of a
 *      live block or an instruction in one, not a nop;
 *   4. successors are live blocks, and each passes as many arguments as
 *      the target has parameters;
 *   5. definitions dominate uses (within a block: come earlier; branch
 *      arguments count as uses at the end of the branching block);
 *   6. once typed (no `any` anywhere), CBR conditions are bool and branch
 *      arguments have the type of the parameter they feed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

typedef struct {
  IrFunc *fn;
  int32_t *pos;     /* value -> position in its block (-1 param, -2 not live) */
  IrBlk *idom;      /* immediate dominators over reachable blocks */
  uint32_t *order;  /* block -> rpo index, UINT32_MAX if unreachable */
  char *err;
  size_t errsize;
} Ver;

static int fail(Ver *v, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v->err, v->errsize, fmt, ap);
  va_end(ap);
  return -1;
}

/* Does block 'a' dominate block 'b'? (both reachable) */
static bool dominates(Ver *v, IrBlk a, IrBlk b)
{
  for (;;) {
    if (a == b) return true;
    if (b == 0 || v->idom[b] == b) return false;
    b = v->idom[b];
  }
}

/* Cooper, Harvey and Kennedy's iterative dominators over reverse postorder. */
static void fill_dom(Ver *v, IrBlk *rpo, uint32_t n)
{
  IrFunc *fn = v->fn;
  for (uint32_t i = 0; i < fn->nblocks; i++) v->idom[i] = UINT32_MAX, v->order[i] = UINT32_MAX;
  for (uint32_t i = 0; i < n; i++) v->order[rpo[i]] = i;
  ir_fill_preds(fn);
  v->idom[0] = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t i = 1; i < n; i++) {
      IrBlk b = rpo[i], nd = UINT32_MAX;
      IrBlock *bk = &fn->blocks[b];
      for (uint32_t k = 0; k < bk->npreds; k++) {
        IrBlk p = bk->preds[k];
        if (v->idom[p] == UINT32_MAX) continue;
        if (nd == UINT32_MAX) { nd = p; continue; }
        IrBlk x = p, y = nd;
        while (x != y) {
          while (v->order[x] > v->order[y]) x = v->idom[x];
          while (v->order[y] > v->order[x]) y = v->idom[y];
        }
        nd = x;
      }
      if (nd != UINT32_MAX && v->idom[b] != nd) { v->idom[b] = nd; changed = true; }
    }
  }
}

/* Check that value 'r', used in block 'b' at position 'at', is live and dominates the use. */
static int use(Ver *v, IrRef r, IrBlk b, int32_t at, IrRef user)
{
  IrFunc *fn = v->fn;
  if (r == 0 || r >= fn->nvals || v->pos[r] == -2)
    return fail(v, "value %u uses a value that is not defined (%u)", user, r);
  IrBlk db = fn->vals[r].blk;
  if (v->order[b] == UINT32_MAX || v->order[db] == UINT32_MAX) return 0;  /* unreachable code */
  if (db == b ? v->pos[r] >= at : !dominates(v, db, b))
    return fail(v, "value %u is used by %u where its definition does not dominate", r, user);
  return 0;
}

static int check_block(Ver *v, IrBlk b, bool typed)
{
  IrFunc *fn = v->fn;
  IrBlock *bk = &fn->blocks[b];
  if (!bk->ninsts || !ir_block_term(fn, b)) return fail(v, "block @%u has no terminator", b);
  for (uint32_t i = 0; i < bk->ninsts; i++) {
    IrRef r = bk->insts[i];
    IrVal *x = &fn->vals[r];
    bool term = ir_opinfo[x->op].flags & IRF_TERM;
    if (term != (i + 1 == bk->ninsts)) return fail(v, "block @%u: terminator in the middle", b);
    if (x->blk != b) return fail(v, "value %u listed in @%u but defined in @%u", r, b, x->blk);
    if (ir_opinfo[x->op].nargs >= 0 && (int)x->nargs != ir_opinfo[x->op].nargs)
      return fail(v, "value %u: %s takes %d operands, has %u", r, ir_opinfo[x->op].text,
                  ir_opinfo[x->op].nargs, x->nargs);
    for (uint32_t k = 0; k < x->nargs; k++)
      if (use(v, x->args[k], b, (int32_t)i, r)) return -1;
    if (typed && x->op == IR_CBR && fn->vals[x->args[0]].type != IRT_BOOL)
      return fail(v, "value %u: cbr condition is not bool", r);
    for (uint32_t s = 0; s < x->nsucc; s++) {
      IrSucc *sc = &x->succ[s];
      if (sc->blk >= fn->nblocks || fn->blocks[sc->blk].dead)
        return fail(v, "block @%u branches to a missing block", b);
      IrBlock *to = &fn->blocks[sc->blk];
      if (sc->nargs != to->nparams)
        return fail(v, "block @%u passes %u arguments to @%u, which has %u parameters", b,
                    sc->nargs, sc->blk, to->nparams);
      for (uint32_t k = 0; k < sc->nargs; k++) {
        if (use(v, sc->args[k], b, (int32_t)i, r)) return -1;
        if (typed && fn->vals[sc->args[k]].type != fn->vals[to->params[k]].type)
          return fail(v, "block @%u passes argument %u of the wrong type to @%u", b, k, sc->blk);
      }
    }
  }
  return 0;
}

int ir_func_verify(IrFunc *fn, char *err, size_t errsize)
{
  Ver v = {fn, calloc(fn->nvals + 1, sizeof(int32_t)), calloc(fn->nblocks + 1, sizeof(IrBlk)),
           calloc(fn->nblocks + 1, sizeof(uint32_t)), err, errsize};
  IrBlk *rpo = calloc(fn->nblocks + 1, sizeof(IrBlk));
  int rc = -1;
  if (!v.pos || !v.idom || !v.order || !rpo) { fail(&v, "out of memory"); goto out; }
  if (!fn->nblocks || fn->blocks[0].dead) { fail(&v, "no entry block"); goto out; }
  bool typed = fn->ret != IRT_ANY;
  for (IrRef r = 0; r < fn->nvals; r++) v.pos[r] = -2;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->nparams; i++) v.pos[bk->params[i]] = -1;
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      if (fn->vals[bk->insts[i]].op == IR_NOP && i + 1 < bk->ninsts) continue;
      v.pos[bk->insts[i]] = (int32_t)i;
      if (fn->vals[bk->insts[i]].type == IRT_ANY) typed = false;
    }
  }
  fill_dom(&v, rpo, ir_fill_rpo(fn, rpo));
  rc = 0;
  IR_FOREACH_BLOCK(fn, b) if ((rc = check_block(&v, b, typed))) break;
out:
  free(v.pos); free(v.idom); free(v.order); free(rpo);
  return rc;
}
