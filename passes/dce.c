/* passes/dce.c: dead code elimination, block parameters included.
 *
 * Mark and sweep.  Roots: terminators (their condition and returned value),
 * and every instruction that is neither pure nor an iterator test (ops that
 * may raise, like truediv, stay even when unused: removing them would hide
 * a ZeroDivisionError).  A live instruction makes its operands live; a live
 * block parameter makes the matching argument of every branch to its block
 * live.  Branch arguments alone keep nothing alive, so a loop-carried value
 * that nothing reads dies with its parameter.
 * Sweep: dead instructions (nops included) leave their blocks, dead
 * parameters of blocks other than the entry are dropped together with the
 * arguments that fed them.
 *
 * Expects: any IR (typed or not).  Leaves: no unused pure value, no
 * compile-time-only value without a use, no unused block parameter.
 */
#include "passes.h"

typedef struct {
  IrFunc *fn;
  uint8_t *live;
  IrRef *stack;
  uint32_t sp;
} Dce;

static void mark(Dce *D, IrRef r)
{
  if (!r || D->live[r]) return;
  D->live[r] = 1;
  D->stack[D->sp++] = r;
}

/* Removable when unused: pure, a side-effect-free test, a math function that
 * never raises; under fastmath also one whose only effect is a math domain
 * or range error (stabilize.c leaves the calls it consumed to this). */
static bool removable(IrFunc *fn, const IrVal *x)
{
  if (x->op == IR_INTRIN) {
    switch (x->aux.v.i) {
    case IN_SIGMOID: case IN_SOFTPLUS: case IN_NORM2: case IN_FABS: case IN_ERF: case IN_ERFC:
    case IN_COPYSIGN: case IN_ATAN2: case IN_HYPOT: case IN_FMAXIMUM: case IN_FMINIMUM: case IN_EXP2: case IN_CBRT:
    case IN_FMA:
    case IN_FFLOOR: case IN_FCEIL: case IN_FTRUNC: case IN_FRINT:
      return true;                                   /* never raise */
    default: return ir_intrininfo[x->aux.v.i].sig == 'F' && (pass_options(fn)->fastmath || pass_options(fn)->npmath);
    }
  }
  return ir_is_pure(fn, (IrRef)(x - fn->vals)) || x->op == IR_ITERHAS;
}

/* Parameter 'p' of block 'b' is live: so are the arguments that feed it. */
static void mark_param(Dce *D, IrBlk b, IrRef p)
{
  IrFunc *fn = D->fn;
  IrBlock *bk = &fn->blocks[b];
  uint32_t i = 0;
  while (i < bk->nparams && bk->params[i] != p) i++;
  for (uint32_t k = 0; k < bk->npreds; k++) {
    IrVal *t = ir_val(fn, ir_block_term(fn, bk->preds[k]));
    for (uint32_t s = 0; s < t->nsucc; s++)
      if (t->succ[s].blk == b && i < t->succ[s].nargs) mark(D, t->succ[s].args[i]);
  }
}

static void sweep(Dce *D)
{
  IrFunc *fn = D->fn;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts;) {
      IrRef v = bk->insts[i];
      if (!D->live[v]) ir_remove(fn, v);
      else i++;
    }
    for (uint32_t i = bk->nparams; b != 0 && i-- > 0;)
      if (!D->live[bk->params[i]]) ir_block_param_remove(fn, b, i);
  }
}

void pass_dce(IrFunc *fn)
{
  Dce D = {fn, ir_alloc(fn->ctx, fn->nvals), ir_alloc(fn->ctx, fn->nvals * sizeof(IrRef)), 0};
  ir_fill_preds(fn);
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    if (b == 0)
      for (uint32_t i = 0; i < bk->nparams; i++) mark(&D, bk->params[i]);
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *x = ir_val(fn, bk->insts[i]);
      if (x->op != IR_NOP && !removable(fn, x)) mark(&D, bk->insts[i]);
    }
  }
  while (D.sp) {
    IrRef r = D.stack[--D.sp];
    IrVal *x = ir_val(fn, r);
    if (x->op == IR_PARAM) {
      if (x->blk != 0) mark_param(&D, x->blk, r);
      continue;
    }
    for (uint32_t i = 0; i < x->nargs; i++) mark(&D, x->args[i]);
  }
  sweep(&D);
}
