/* The out= keyword of NumPy's elementwise functions (np.clip(a, lo, hi, out=a),
 * np.exp(x, out=y), a.clip(lo, hi, out=a)).
 *
 * A call f(..., out=o) whose callee is an attribute (np.f, a.f) or a NumPy
 * builtin becomes r = f(...) without out=, then ember.out.<f>(o, r): infer
 * (passes/infer_array.c) accepts it only for the elementwise functions and
 * calls jit/ember/_lib_gaps.py's ufunc_out, which checks NumPy's same_kind
 * cast, stores r into o (broadcast to o's shape, as NumPy's) and returns o.
 * The result is computed whole before the store, so an o that overlaps the
 * operands gets what NumPy gives.
 */
#include <stdio.h>
#include <string.h>

#include "fe.h"

/* The name f of callee 'c' (np.f, a.f, numpy.f), or NULL (a function of
 * another module, which may take a parameter named out). */
static const char *callee_name(IrFunc *fn, const IrVal *c)
{
  if (c->op == IR_ATTR) {
    const IrVal *o = &fn->vals[c->args[0]];
    return o->op != IR_MODREF || !strcmp(o->aux.v.s, "numpy") ? c->aux.v.s : NULL;
  }
  if (c->op != IR_BUILTIN || !c->aux.v.s || strncmp(c->aux.v.s, "numpy.", 6)) return NULL;
  const char *dot = strrchr(c->aux.v.s, '.');
  return dot + 1;
}

/* Call 'c' at position 'pos' of block 'b', if it has out=. */
static void split_out(IrFunc *fn, IrBlk b, uint32_t pos)
{
  IrRef c = fn->blocks[b].insts[pos];
  IrVal *u = &fn->vals[c];
  if (u->op != IR_CALL || !u->aux.nkw) return;
  uint32_t nkw = u->aux.nkw, npos = u->nargs - 1 - nkw, q = nkw;
  for (uint32_t k = 0; k < nkw; k++)
    if (!strcmp(u->aux.kw[k], "out")) q = k;
  const char *f = callee_name(fn, &fn->vals[u->args[0]]);
  if (q == nkw || !f || u->nargs > 64) return;
  IrRef o = u->args[1 + npos + q], args[64];
  const char **kw = ir_alloc(fn->ctx, nkw * sizeof *kw);
  uint32_t n = 0, m = 0;
  for (uint32_t i = 0; i < u->nargs; i++)
    if (i != 1 + npos + q) args[n++] = u->args[i];
  for (uint32_t k = 0; k < nkw; k++)
    if (k != q) kw[m++] = u->aux.kw[k];
  int32_t line = u->line;
  IrRef r = ir_insert(fn, b, pos, IR_CALL, IRT_ANY, args, n, line);   /* f(...) without out= */
  fn->vals[r].aux.kw = m ? kw : NULL;
  fn->vals[r].aux.nkw = m;
  IrRef h = ir_insert(fn, b, pos + 1, IR_BUILTIN, IRT_ANY, NULL, 0, line);
  char name[96];
  snprintf(name, sizeof name, "ember.out.%s", f);
  fn->vals[h].aux.v.s = ir_strdup(fn->ctx, name);
  u = &fn->vals[c];
  IrRef *na = ir_alloc(fn->ctx, 3 * sizeof *na);
  na[0] = h, na[1] = o, na[2] = r;
  u->args = na;
  u->nargs = 3;
  u->aux.kw = NULL;
  u->aux.nkw = 0;
}

void fe_out_keyword(IrFunc *fn)
{
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t k = 0; k < bk->ninsts; k++) split_out(fn, b, k);
  }
}
