/* passes/canon.c: one normal form for sums and products (canonicalize).
 *
 * A term is a value with a constant coefficient: `x*c` is (x, c), `x + x`
 * is (x, 2), anything else is (itself, 1).  Rules, each a row of
 * rewrites.def checked with pass_rw_on:
 *   add_like_terms   x*c1 + x*c2 ==> x*(c1+c2)      (x + x*c, x*c + x alike)
 *   sub_like_terms   x*c1 - x*c2 ==> x*(c1-c2)
 *   mul_const_chain  (x*c1)*c2   ==> x*(c1*c2)
 *   add_const_chain  (x +- c1) +- c2 ==> x + (c1 +- c2)
 * Exactness.  Python int: the result is the same integer; where an
 * intermediate or the result leaves i64 the checked op falls back to the
 * interpreter, which computes the exact value (so e.g. x*5 - x*3 may
 * overflow in x*5 before and not after: the same answer).  f64: only
 * where both sides round once to the same exact value:
 *   x*2**j + x*2**k, same sign, j, k >= 0: both products are exact (or both
 *   overflow, and then so does the sum), the sum rounds once, as does
 *   x*(2**j + 2**k) (the coefficient being exact); signed zeros, infinities
 *   and NaN agree because the signs agree.  So `a*2 + a`, `2*a + a`,
 *   `a + a*2` and `(a + a) + a` all become `a*3`.  `a*3 + a*5` rounds twice
 *   and stays (fastmath: any coefficients, and sub_like_terms, add_const_chain).
 *   (x*2**j)*2**k: exact products, overflow alike, |j|, |k| >= 0.
 * Order of work: reverse postorder, a constant operand of add/mul goes
 * right first (the normal form the rules match), sweeps to a fixed point.
 * A rule rewrites the value in place and adds at most one constant, and
 * leaves the old term for dce; coefficients only merge, so it terminates.
 *
 * Expects: typed IR.  Leaves: the same IR with merged terms.
 */
#include <math.h>
#include <string.h>

#include "passes.h"

typedef struct {
  IrRef base;
  IrAuxVal k;          /* coefficient, of the value's type */
  bool trivial;        /* (itself, 1) */
} Term;

static bool isk(IrFunc *fn, IrRef r, IrType t)
{
  IrVal *x = ir_val(fn, r);
  return x->op == IR_CONST && x->type == t;
}

/* The term 'r' of type 't' (int or f64) stands for. */
static Term term(IrFunc *fn, IrRef r, IrType t)
{
  IrVal *x = ir_val(fn, r);
  Term T = {r, {0}, true};
  if (t == IRT_INT) T.k.i = 1; else T.k.f = 1.0;
  if (x->op == IR_MUL && isk(fn, x->args[1], t)) {
    T.base = x->args[0];
    T.k = ir_val(fn, x->args[1])->aux.v;
    T.trivial = false;
  } else if (x->op == IR_ADD && x->args[0] == x->args[1]) {
    T.base = x->args[0];
    if (t == IRT_INT) T.k.i = 2; else T.k.f = 2.0;
    T.trivial = false;
  }
  return T;
}

/* Is 'c' +-2**k with k >= 0? */
static bool pow2ge1(double c)
{
  int e;
  return isfinite(c) && frexp(fabs(c), &e) == 0.5 && e >= 1;
}

/* Index of 'v' in its block. */
static uint32_t position(IrFunc *fn, IrRef v)
{
  IrBlock *bk = ir_blk(fn, ir_val(fn, v)->blk);
  uint32_t i = 0;
  while (i < bk->ninsts && bk->insts[i] != v) i++;
  return i;
}

/* Make 'v' (of type 't') `op base, const k`. */
static void setbin(IrFunc *fn, IrRef v, IrOp op, IrRef base, IrAuxVal k)
{
  IrVal *x = ir_val(fn, v);
  IrRef c = ir_insert(fn, x->blk, position(fn, v), IR_CONST, x->type, NULL, 0, x->line);
  ir_val(fn, c)->aux.v = k;
  ir_val_set(fn, v, op, base, c, 2);
}

/* x*c1 +- x*c2: the merged coefficient in '*k' if the rule holds for 't'. */
static bool merge(IrFunc *fn, IrType t, bool sub, Term a, Term b, IrAuxVal *k)
{
  if (t == IRT_INT)
    return sub ? !__builtin_sub_overflow(a.k.i, b.k.i, &k->i) : !__builtin_add_overflow(a.k.i, b.k.i, &k->i);
  k->f = sub ? a.k.f - b.k.f : a.k.f + b.k.f;
  if (pass_options(fn)->fastmath) return true;
  if (sub || !pow2ge1(a.k.f) || !pow2ge1(b.k.f) || signbit(a.k.f) != signbit(b.k.f)) return false;
  return k->f - a.k.f == b.k.f;   /* the coefficient itself is exact */
}

/* add_like_terms / sub_like_terms on 'v'. */
static int like_terms(IrFunc *fn, IrRef v)
{
  IrVal *x = ir_val(fn, v);
  bool sub = x->op == IR_SUB;
  int id = sub ? RW_sub_like_terms : RW_add_like_terms;
  Term a = term(fn, x->args[0], x->type), b = term(fn, x->args[1], x->type);
  if (a.base != b.base || (a.trivial && b.trivial)) return 0;
  IrAuxVal k;
  if (!pass_rw_on(fn, id, false) || !merge(fn, x->type, sub, a, b, &k)) return 0;
  pass_rw_fired(fn, id);
  if (x->type == IRT_INT && (k.i == 0 || k.i == 1)) {
    if (k.i == 1) { ir_replace_uses(fn, v, a.base); ir_remove(fn, v); return 2; }
    x->op = IR_CONST, x->nargs = 0, x->args = NULL, x->aux.v.i = 0;
    return 1;
  }
  setbin(fn, v, IR_MUL, a.base, k);
  return 1;
}

/* mul_const_chain: (x*c1)*c2. */
static int mul_chain(IrFunc *fn, IrRef v)
{
  IrVal *x = ir_val(fn, v), *m = ir_val(fn, x->args[0]);
  IrType t = x->type;
  if (!isk(fn, x->args[1], t) || m->op != IR_MUL || !isk(fn, m->args[1], t)) return 0;
  IrAuxVal c1 = ir_val(fn, m->args[1])->aux.v, c2 = ir_val(fn, x->args[1])->aux.v, k;
  if (t == IRT_INT) {
    if (__builtin_mul_overflow(c1.i, c2.i, &k.i)) return 0;
  } else {
    if (!pass_options(fn)->fastmath && !(pow2ge1(c1.f) && pow2ge1(c2.f))) return 0;
    k.f = c1.f * c2.f;
  }
  if (!pass_rw_on(fn, RW_mul_const_chain, false)) return 0;
  pass_rw_fired(fn, RW_mul_const_chain);
  setbin(fn, v, IR_MUL, m->args[0], k);
  return 1;
}

/* add_const_chain: (x +- c1) +- c2. */
static int add_chain(IrFunc *fn, IrRef v)
{
  IrVal *x = ir_val(fn, v), *m = ir_val(fn, x->args[0]);
  IrType t = x->type;
  if (!isk(fn, x->args[1], t) || (m->op != IR_ADD && m->op != IR_SUB) || !isk(fn, m->args[1], t)) return 0;
  if (t == IRT_F64 && !pass_options(fn)->fastmath) return 0;
  IrAuxVal c1 = ir_val(fn, m->args[1])->aux.v, c2 = ir_val(fn, x->args[1])->aux.v, k;
  bool s1 = m->op == IR_SUB, s2 = x->op == IR_SUB;
  if (t == IRT_INT) {
    int64_t a = c1.i, b = c2.i;
    if (s1 && __builtin_sub_overflow((int64_t)0, a, &a)) return 0;
    if (s2 ? __builtin_sub_overflow(a, b, &k.i) : __builtin_add_overflow(a, b, &k.i)) return 0;
  } else {
    k.f = (s1 ? -c1.f : c1.f) + (s2 ? -c2.f : c2.f);
  }
  if (!pass_rw_on(fn, RW_add_const_chain, false)) return 0;
  pass_rw_fired(fn, RW_add_const_chain);
  setbin(fn, v, IR_ADD, m->args[0], k);
  return 1;
}

/* Canonicalize 'v' once: 0 unchanged, 1 changed in place, 2 removed. */
static int canon1(IrFunc *fn, IrRef v)
{
  IrVal *x = ir_val(fn, v);
  if (x->type != IRT_INT && x->type != IRT_F64) return 0;
  int changed = pass_commute_const(fn, x);
  if (x->nargs != 2 || ir_val(fn, x->args[0])->type != x->type || ir_val(fn, x->args[1])->type != x->type)
    return changed;
  int rc = 0;
  switch (x->op) {
  case IR_ADD: case IR_SUB:
    rc = like_terms(fn, v);
    if (!rc) rc = add_chain(fn, v);
    break;
  case IR_MUL: rc = mul_chain(fn, v); break;
  default: break;
  }
  return rc ? rc : changed;
}

void pass_canon(IrFunc *fn)
{
  pass_rewrite_rpo(fn, canon1);
}
