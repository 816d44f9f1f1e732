/* passes/cse.c: common subexpressions of pure operations (global value numbering
 * over the dominator tree, hash-based).
 *
 * Order of work: dominators (Cooper, Harvey and Kennedy over reverse
 * postorder); then the blocks in reverse postorder, so a definition is seen
 * before every use it dominates.  Each candidate's operands are first
 * renamed to their representatives, then it is looked up in a hash table
 * keyed by (op, type, operands, aux); an equal value whose block dominates
 * this one replaces it.  Commutative operations match with their operands
 * in either order (the IR keeps its own order).  Constants are equal when
 * their bits are (0.0 and -0.0 differ).  Finally branch arguments are
 * renamed.
 * Candidates: pure or foldable operations that are not terminators, calls
 * or iterator operations.  Ops that may raise (truediv, intrin) qualify: the
 * dominating copy raised first.
 *
 * Expects: any IR.  Leaves: the same IR with duplicates removed.
 */
#include <string.h>

#include "passes.h"

typedef struct {
  IrFunc *fn;
  IrBlk *idom;
  uint32_t *order;   /* block -> rpo index; UINT32_MAX if unreachable */
  IrRef *rep;        /* value -> its representative, or 0 */
  IrRef *table;
  uint32_t mask;
} Cse;

/* Immediate dominators of the blocks in 'rpo' ('n' of them). */
static void fill_dom(Cse *C, const IrBlk *rpo, uint32_t n)
{
  IrFunc *fn = C->fn;
  for (uint32_t i = 0; i < fn->nblocks; i++) C->idom[i] = UINT32_MAX, C->order[i] = UINT32_MAX;
  for (uint32_t i = 0; i < n; i++) C->order[rpo[i]] = i;
  ir_fill_preds(fn);
  C->idom[rpo[0]] = rpo[0];
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t i = 1; i < n; i++) {
      IrBlock *bk = &fn->blocks[rpo[i]];
      IrBlk nd = UINT32_MAX;
      for (uint32_t k = 0; k < bk->npreds; k++) {
        IrBlk p = bk->preds[k];
        if (C->idom[p] == UINT32_MAX) continue;
        if (nd == UINT32_MAX) { nd = p; continue; }
        IrBlk x = p, y = nd;  /* intersect */
        while (x != y) {
          while (C->order[x] > C->order[y]) x = C->idom[x];
          while (C->order[y] > C->order[x]) y = C->idom[y];
        }
        nd = x;
      }
      if (nd != UINT32_MAX && C->idom[rpo[i]] != nd) C->idom[rpo[i]] = nd, changed = true;
    }
  }
}

static bool dominates(Cse *C, IrBlk a, IrBlk b)
{
  for (;;) {
    if (a == b) return true;
    if (C->idom[b] == b || C->idom[b] == UINT32_MAX) return false;
    b = C->idom[b];
  }
}

static bool candidate(const IrVal *x)
{
  unsigned f = ir_opinfo[x->op].flags;
  if ((f & (IRF_TERM | IRF_EFFECT)) || !(f & (IRF_PURE | IRF_FOLD))) return false;
  if (x->op == IR_NOP || x->op == IR_PARAM) return false;
  if (x->op == IR_EW) return false;   /* two equal arrays are still two arrays: one may be written */
  if (x->op == IR_INTRIN && ir_intrininfo[x->aux.v.i].sig == 'R') return false;   /* each draw is a new number */
  if (x->op == IR_INTRIN && ir_intrininfo[x->aux.v.i].sig == 'M') return false;   /* the memory may have changed */
  if (x->op >= IR_ADD && x->op <= IR_BXOR && (x->aux.v.i & 1)) return false;  /* x op= y may write x */
  return x->type != IRT_ANY;
}

/* Operands of 'x' in matching order: sorted for commutative binary ops. */
static void operands(const IrVal *x, IrRef *a, IrRef *b)
{
  *a = x->nargs > 0 ? x->args[0] : 0;
  *b = x->nargs > 1 ? x->args[1] : 0;
  if (x->nargs == 2 && (ir_opinfo[x->op].flags & IRF_COMM) && *a > *b) {
    IrRef t = *a; *a = *b; *b = t;
  }
}

/* Bytes of the aux payload that matter for 'x'. */
static size_t auxsize(IrFunc *fn, const IrVal *x)
{
  if (x->op != IR_CONST) return sizeof(int64_t);
  IrKind k = ir_type_info(fn->ctx, x->type)->kind;
  return k == IRK_COMPLEX ? 2 * sizeof(double) : k == IRK_NONE ? 0 : sizeof(int64_t);
}

static bool named(const IrVal *x)
{
  return x->op == IR_ATTR || x->op == IR_BUILTIN || x->op == IR_MODREF || x->op == IR_GLOBAL;
}

static uint64_t hash(IrFunc *fn, const IrVal *x)
{
  IrRef a, b;
  operands(x, &a, &b);
  uint64_t h = x->op * 0x9e3779b97f4a7c15ull ^ x->type;
  h = (h ^ a) * 0x100000001b3ull;
  h = (h ^ b) * 0x100000001b3ull;
  for (uint32_t i = 2; i < x->nargs; i++) h = (h ^ x->args[i]) * 0x100000001b3ull;
  if (named(x)) {
    for (const char *s = x->aux.v.s; s && *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
  } else {
    unsigned char buf[16] = {0};
    memcpy(buf, &x->aux.v, auxsize(fn, x));
    for (int i = 0; i < 16; i++) h = (h ^ buf[i]) * 0x100000001b3ull;
  }
  return h ^ (h >> 29);
}

static bool equal(IrFunc *fn, const IrVal *x, const IrVal *y)
{
  if (x->op != y->op || x->type != y->type || x->nargs != y->nargs) return false;
  IrRef xa, xb, ya, yb;
  operands(x, &xa, &xb);
  operands(y, &ya, &yb);
  if (xa != ya || xb != yb) return false;
  for (uint32_t i = 2; i < x->nargs; i++)
    if (x->args[i] != y->args[i]) return false;
  if (named(x)) return x->aux.v.s == y->aux.v.s || (x->aux.v.s && y->aux.v.s && !strcmp(x->aux.v.s, y->aux.v.s));
  return !memcmp(&x->aux.v, &y->aux.v, auxsize(fn, x));
}

static IrRef rename1(Cse *C, IrRef r) { return C->rep[r] ? C->rep[r] : r; }

/* Look 'v' up; returns a dominating equal value, or inserts 'v' and returns 0. */
static IrRef lookup(Cse *C, IrRef v)
{
  IrFunc *fn = C->fn;
  IrVal *x = ir_val(fn, v);
  for (uint32_t i = (uint32_t)hash(fn, x) & C->mask;; i = (i + 1) & C->mask) {
    IrRef e = C->table[i];
    if (!e) { C->table[i] = v; return 0; }
    IrVal *y = ir_val(fn, e);
    if (y->op != IR_NOP && equal(fn, x, y) && dominates(C, y->blk, x->blk)) return e;
  }
}

static void rename_all(Cse *C)
{
  IrFunc *fn = C->fn;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *x = ir_val(fn, bk->insts[i]);
      for (uint32_t k = 0; k < x->nargs; k++) x->args[k] = rename1(C, x->args[k]);
      for (uint32_t s = 0; s < x->nsucc; s++)
        for (uint32_t k = 0; k < x->succ[s].nargs; k++) x->succ[s].args[k] = rename1(C, x->succ[s].args[k]);
    }
  }
}

void pass_cse(IrFunc *fn)
{
  if (!fn->nblocks) return;
  IrCtx *ctx = fn->ctx;
  uint32_t size = 16;
  while (size < 2 * fn->nvals) size *= 2;
  Cse C = {fn, ir_alloc(ctx, fn->nblocks * sizeof(IrBlk)), ir_alloc(ctx, fn->nblocks * sizeof(uint32_t)),
           ir_alloc(ctx, fn->nvals * sizeof(IrRef)), ir_alloc(ctx, size * sizeof(IrRef)), size - 1};
  IrBlk *rpo = ir_alloc(ctx, fn->nblocks * sizeof *rpo);
  uint32_t n = ir_fill_rpo(fn, rpo);
  fill_dom(&C, rpo, n);
  for (uint32_t k = 0; k < n; k++) {
    IrBlock *bk = &fn->blocks[rpo[k]];
    for (uint32_t i = 0; i < bk->ninsts;) {
      IrRef v = bk->insts[i];
      IrVal *x = ir_val(fn, v);
      for (uint32_t a = 0; a < x->nargs; a++) x->args[a] = rename1(&C, x->args[a]);
      IrRef e = candidate(x) ? lookup(&C, v) : 0;
      if (!e) { i++; continue; }
      C.rep[v] = e;
      ir_remove(fn, v);
    }
  }
  rename_all(&C);
}
