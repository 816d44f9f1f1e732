/* passes/bounds.c: bounds checks that cannot fail.
 *
 * `bounds j, n` (lower.c) wraps a negative index once and raises IndexError
 * outside [0, n).  In `for i in range(1, a.shape[0] - 1): ... a[i + 1]` the
 * index is provably inside: the loop variable of a range with step 1 lies in
 * [start, stop) where its iterator said it has an item, and stop is
 * a.shape[0] - 1.  Such a check becomes its index.  LLVM removes many of
 * these itself, but not all (a stencil's `i + 1`, whose loop counts down
 * its remaining items), and a check left in a vectorized loop costs an
 * exit test per element.
 *
 * The proof, by value:
 *   lo(x): a lower bound, a constant: a constant; shape extents >= 0; the
 *          loop variable >= lo(start); x + c >= lo(x) + c.
 *   hi(x): an upper bound relative to one extent: x <= ashape(A, k) + d.
 *          The extent itself (d = 0); the loop variable <= hi(stop) - 1;
 *          x + c <= hi(x) + c.
 * and `bounds j, ashape(A, k)` is dropped when lo(j) >= 0 and
 * hi(j) = ashape(A, k) + d with d <= -1, for the same array value A and axis
 * k (the extents of one array value never change).  Constants are Python
 * ints, so lo + c and d + c are computed with overflow checks; a sum that
 * overflows proves nothing.
 *
 * A loop variable is an `iternext it` whose block's one predecessor ends in
 * `cbr (iterhas it), <that block>, ...` (the shape the frontend gives a for
 * loop), with no iternext of it between the test and the branch nor before
 * it in its own block, over `getiter (range start, stop, 1)`.
 *
 * Expects: lowered IR (after lower).  Leaves: fewer bounds instructions.
 */
#include "passes.h"

#define DEPTH 8   /* nesting followed through loop variables and sums */

/* 'r' itself, or the element a tuple was built from when 'r' extracts it (n, m = a.shape). */
static IrRef look_through(IrFunc *fn, IrRef r)
{
  for (int k = 0; k < DEPTH; k++) {
    IrVal *v = ir_val(fn, r), *t = v->op == IR_EXTRACT ? ir_val(fn, v->args[0]) : NULL;
    if (!t || t->op != IR_TUPLE || v->aux.v.i < 0 || (uint64_t)v->aux.v.i >= t->nargs) break;
    r = t->args[v->aux.v.i];
  }
  return r;
}

static bool const_int(IrFunc *fn, IrRef r, int64_t *out)
{
  IrVal *v = ir_val(fn, r);
  if (v->op != IR_CONST || ir_type_info(fn->ctx, v->type)->kind != IRK_PYINT) return false;
  *out = v->aux.v.i;
  return true;
}

/* 'r' is x + c or x - c with a constant c (then *x, *c); c = 0 and x = r otherwise. */
static void split_offset(IrFunc *fn, IrRef r, IrRef *x, int64_t *c)
{
  r = look_through(fn, r);
  IrVal *v = ir_val(fn, r);
  int64_t k;
  *x = r;
  *c = 0;
  if (v->op == IR_ADD && const_int(fn, v->args[1], &k)) *x = v->args[0], *c = k;
  else if (v->op == IR_ADD && const_int(fn, v->args[0], &k)) *x = v->args[1], *c = k;
  else if (v->op == IR_SUB && const_int(fn, v->args[1], &k) && k != INT64_MIN) *x = v->args[0], *c = -k;
  *x = look_through(fn, *x);
}

/* The range of the loop variable 'r' (an iternext guarded as above), or 0. */
static IrRef loop_range(IrFunc *fn, IrRef r)
{
  IrVal *v = ir_val(fn, r);
  if (v->op != IR_ITERNEXT) return 0;
  IrRef it = v->args[0];
  IrVal *gi = ir_val(fn, it);
  if (gi->op != IR_GETITER || ir_val(fn, gi->args[0])->op != IR_RANGE) return 0;
  IrRef rg = gi->args[0];
  int64_t step;
  if (!const_int(fn, ir_val(fn, rg)->args[2], &step) || step != 1) return 0;
  IrBlock *bk = ir_blk(fn, v->blk);
  for (uint32_t i = 0; i < bk->ninsts && bk->insts[i] != r; i++) {
    IrVal *w = ir_val(fn, bk->insts[i]);
    if (w->op == IR_ITERNEXT && w->args[0] == it) return 0;
  }
  if (bk->npreds != 1) return 0;
  IrRef t = ir_block_term(fn, bk->preds[0]);
  IrVal *tv = t ? ir_val(fn, t) : NULL;
  if (!tv || tv->op != IR_CBR || tv->succ[0].blk != v->blk || tv->succ[1].blk == v->blk) return 0;
  IrVal *c = ir_val(fn, tv->args[0]);
  if (c->op != IR_ITERHAS || c->args[0] != it || c->blk != bk->preds[0]) return 0;
  IrBlock *pb = ir_blk(fn, bk->preds[0]);
  bool after = false;   /* nothing advances the iterator between its test and the branch */
  for (uint32_t i = 0; i < pb->ninsts; i++) {
    IrVal *w = ir_val(fn, pb->insts[i]);
    if (after && w->op == IR_ITERNEXT && w->args[0] == it) return 0;
    after |= pb->insts[i] == tv->args[0];
  }
  return rg;
}

static bool lower_bound(IrFunc *fn, IrRef r, int depth, int64_t *lo)
{
  if (depth > DEPTH) return false;
  IrRef x;
  int64_t c, b;
  split_offset(fn, r, &x, &c);
  IrVal *v = ir_val(fn, x);
  IrRef rg;
  if (const_int(fn, x, &b)) {}
  else if (v->op == IR_ASHAPE) b = 0;
  else if ((rg = loop_range(fn, x))) { if (!lower_bound(fn, ir_val(fn, rg)->args[0], depth + 1, &b)) return false; }
  else return false;
  return !__builtin_add_overflow(b, c, lo);
}

/* x <= ashape(*arr, *axis) + *d? */
static bool upper_bound(IrFunc *fn, IrRef r, int depth, IrRef *arr, int64_t *axis, int64_t *d)
{
  if (depth > DEPTH) return false;
  IrRef x;
  int64_t c, e;
  split_offset(fn, r, &x, &c);
  IrVal *v = ir_val(fn, x);
  IrRef rg;
  if (v->op == IR_ASHAPE) *arr = v->args[0], *axis = v->aux.v.i, e = 0;
  else if ((rg = loop_range(fn, x))) {
    if (!upper_bound(fn, ir_val(fn, rg)->args[1], depth + 1, arr, axis, &e) || __builtin_sub_overflow(e, 1, &e))
      return false;
  }
  else return false;
  return !__builtin_add_overflow(e, c, d);
}

void pass_bounds(IrFunc *fn)
{
  ir_fill_preds(fn);
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrRef r = bk->insts[i];
      IrVal *v = ir_val(fn, r);
      if (v->op != IR_BOUNDS) continue;
      IrVal *n = ir_val(fn, look_through(fn, v->args[1]));
      int64_t lo, d, axis;
      IrRef arr;
      if (n->op != IR_ASHAPE || !lower_bound(fn, v->args[0], 0, &lo) || lo < 0 ||
          !upper_bound(fn, v->args[0], 0, &arr, &axis, &d) || d > -1 || arr != n->args[0] || axis != n->aux.v.i)
        continue;
      ir_replace_uses(fn, r, v->args[0]);
      ir_remove(fn, r);   /* the next instruction moves into slot i */
      i--;
    }
  }
}
