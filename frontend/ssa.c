/* frontend/ssa.c: SSA construction after Braun et al., "Simple and Efficient
 * Construction of SSA Form" (CC 2013), with block parameters for phis.
 *
 * Variables are fast locals (0..nlocals-1) and value-stack slots (nlocals+i)
 * that cross block boundaries.  build.c writes a variable's current value
 * per block (fe_ssa_write) and reads it (fe_ssa_read); a read with no local
 * definition looks through the predecessors, creating a block parameter
 * where paths meet (or where the block is not sealed yet: its predecessors
 * are not all filled).  Sealing a block fills the incoming values of its
 * incomplete parameters.  The incoming values live in FeParam.ops until
 * fe_ssa_finish, which removes trivial parameters (every incoming value the
 * same, or the parameter itself) to a fixpoint as the paper's
 * tryRemoveTrivialPhi does, then attaches the survivors' values to the
 * predecessors' branches and rewrites every use.  A variable with no
 * definition on some path reads as s->undef (`const undef`).
 * Parameter values carry 1 + their FeParam index in aux.v.i while building
 * and 1 + their variable after fe_ssa_finish (the normal form orders block
 * parameters by it, then clears it).
 */
#include <string.h>

#include "fe.h"

void fe_ssa_init(FeSsa *s, IrFunc *fn, uint32_t nblocks)
{
  memset(s, 0, sizeof *s);
  s->fn = fn;
  s->blks = ir_alloc(fn->ctx, (nblocks + 1) * sizeof *s->blks);
  s->nblks = nblocks + 1;
  s->cap = 1024;
  s->keys = ir_alloc(fn->ctx, s->cap * sizeof *s->keys);
  s->defs = ir_alloc(fn->ctx, s->cap * sizeof *s->defs);
}

static uint32_t slot(const FeSsa *s, uint64_t key)
{
  uint64_t h = key * 0x9e3779b97f4a7c15ull;
  uint32_t i = (uint32_t)(h >> 40) & (s->cap - 1);
  while (s->keys[i] && s->keys[i] != key) i = (i + 1) & (s->cap - 1);
  return i;
}

static void grow(FeSsa *s)
{
  uint64_t *ok = s->keys;
  IrRef *od = s->defs;
  uint32_t oc = s->cap;
  s->cap *= 2;
  s->keys = ir_alloc(s->fn->ctx, s->cap * sizeof *s->keys);
  s->defs = ir_alloc(s->fn->ctx, s->cap * sizeof *s->defs);
  for (uint32_t i = 0; i < oc; i++)
    if (ok[i]) {
      uint32_t j = slot(s, ok[i]);
      s->keys[j] = ok[i];
      s->defs[j] = od[i];
    }
}

void fe_ssa_write(FeSsa *s, uint32_t var, IrBlk b, IrRef v)
{
  if (2 * (s->n + 1) > s->cap) grow(s);
  uint64_t key = ((uint64_t)b << 32 | var) + 1;
  uint32_t i = slot(s, key);
  if (!s->keys[i]) { s->keys[i] = key; s->n++; }
  s->defs[i] = v;
}

static IrRef lookup(const FeSsa *s, uint32_t var, IrBlk b)
{
  uint32_t i = slot(s, ((uint64_t)b << 32 | var) + 1);
  return s->keys[i] ? s->defs[i] : 0;
}

/* A new parameter of 'b' standing for 'var'; returns its FeParam index. */
static uint32_t newparam(FeSsa *s, IrBlk b, uint32_t var)
{
  if (s->nparams == s->paramcap) {
    uint32_t cap = s->paramcap ? 2 * s->paramcap : 64;
    s->params = ir_realloc(s->fn->ctx, s->params, s->paramcap * sizeof *s->params,
                           cap * sizeof *s->params);
    s->paramcap = cap;
  }
  IrRef p = ir_block_param(s->fn, b, IRT_ANY);
  uint32_t pi = s->nparams++;
  s->params[pi] = (FeParam){p, b, var, NULL, false};
  s->fn->vals[p].aux.v.i = pi + 1;
  return pi;
}

/* Fill the incoming values of parameter 'pi' from its block's predecessors. */
static void addops(FeSsa *s, uint32_t pi)
{
  IrBlk b = s->params[pi].blk;
  const FeSsaBlk *k = &s->blks[b];
  IrRef *ops = ir_alloc(s->fn->ctx, (k->npreds + 1) * sizeof *ops);
  s->params[pi].ops = ops;
  for (uint32_t e = 0; e < k->npreds; e++)
    ops[e] = fe_ssa_read(s, s->params[pi].var, k->preds[e].blk);
}

IrRef fe_ssa_read(FeSsa *s, uint32_t var, IrBlk b)
{
  IrRef v = lookup(s, var, b);
  if (v) return v;
  IrBlk top = b;  /* walk single-predecessor chains without recursion */
  for (;;) {
    if ((v = lookup(s, var, top))) break;
    if (!s->blks[top].sealed || s->blks[top].npreds != 1) break;
    top = s->blks[top].preds[0].blk;
  }
  if (!v) {
    const FeSsaBlk *k = &s->blks[top];
    if (!k->sealed) {
      uint32_t pi = newparam(s, top, var);
      v = s->params[pi].ref;
    }
    else if (!k->npreds) v = s->undef;
    else {
      uint32_t pi = newparam(s, top, var);
      v = s->params[pi].ref;
      fe_ssa_write(s, var, top, v);  /* breaks cycles through loops */
      addops(s, pi);
    }
    fe_ssa_write(s, var, top, v);
  }
  for (IrBlk c = b; c != top; c = s->blks[c].preds[0].blk) fe_ssa_write(s, var, c, v);
  return v;
}

void fe_ssa_seal(FeSsa *s, IrBlk b)
{
  if (s->blks[b].sealed) return;
  for (uint32_t i = 0; i < s->fn->blocks[b].nparams; i++) {  /* grows while we go */
    IrRef p = s->fn->blocks[b].params[i];
    uint32_t pi = (uint32_t)s->fn->vals[p].aux.v.i;
    if (pi && !s->params[pi - 1].ops) addops(s, pi - 1);
  }
  s->blks[b].sealed = true;
}

void fe_ssa_addblock(FeSsa *s, IrBlk b, IrBlk pred)
{
  if (b >= s->nblks) {
    uint32_t n = 2 * b + 2;
    s->blks = ir_realloc(s->fn->ctx, s->blks, s->nblks * sizeof *s->blks, n * sizeof *s->blks);
    s->nblks = n;
  }
  FeSsaBlk *k = &s->blks[b];
  k->preds = ir_alloc(s->fn->ctx, sizeof *k->preds);
  k->preds[0] = (FeEdge){pred, 0};
  k->npreds = k->nfilled = 1;
  k->sealed = k->filled = true;
}

IrRef fe_ssa_param(FeSsa *s, IrBlk b, uint32_t var, IrRef *ops)
{
  uint32_t pi = newparam(s, b, var);
  s->params[pi].ops = ops;
  return s->params[pi].ref;
}

FeParam *fe_ssa_param_of(FeSsa *s, IrRef v)
{
  const IrVal *x = &s->fn->vals[v];
  if (!v || x->op != IR_PARAM || x->aux.v.i <= 0 || (uint64_t)x->aux.v.i > s->nparams) return NULL;
  FeParam *p = &s->params[x->aux.v.i - 1];
  return p->ref == v && p->ops ? p : NULL;
}

static IrRef resolve(IrRef *repl, IrRef v)
{
  IrRef r = v;
  while (repl[r] != r) r = repl[r];
  while (repl[v] != r) { IrRef n = repl[v]; repl[v] = r; v = n; }
  return r;
}

/* Mark trivial parameters replaced, to a fixpoint; returns true on change. */
static bool trivial(FeSsa *s, IrRef *repl)
{
  bool changed = false;
  for (uint32_t pi = 0; pi < s->nparams; pi++) {
    FeParam *p = &s->params[pi];
    if (p->removed) continue;
    IrRef same = 0;
    bool many = false;
    for (uint32_t e = 0; e < s->blks[p->blk].npreds && !many; e++) {
      IrRef o = resolve(repl, p->ops[e]);
      if (o == p->ref || o == same) continue;
      if (same) many = true;
      same = o;
    }
    if (many) continue;
    repl[p->ref] = same ? same : s->undef;
    p->removed = changed = true;
  }
  return changed;
}

/* Attach the surviving parameters' incoming values to the branches into 'b'. */
static void attach(FeSsa *s, IrRef *repl, IrBlk b)
{
  IrFunc *fn = s->fn;
  IrBlock *bk = &fn->blocks[b];
  uint32_t keep = 0;
  for (uint32_t i = 0; i < bk->nparams; i++) {
    IrRef p = bk->params[i];
    uint32_t pi = (uint32_t)fn->vals[p].aux.v.i;
    if (!pi) { bk->params[keep++] = p; continue; }
    const FeParam *fp = &s->params[pi - 1];
    if (fp->removed) continue;
    bk->params[keep++] = p;
    for (uint32_t e = 0; e < s->blks[b].npreds; e++) {
      const FeEdge *ed = &s->blks[b].preds[e];
      ir_succ_addarg(fn, ir_block_term(fn, ed->blk), ed->si, resolve(repl, fp->ops[e]));
    }
  }
  bk->nparams = keep;
  if (b == 0) fn->nparams = keep;
}

IrRef *fe_ssa_finish(FeSsa *s)
{
  IrFunc *fn = s->fn;
  for (IrBlk b = 0; b < fn->nblocks; b++)
    if (!fn->blocks[b].dead && !s->blks[b].sealed) fe_ssa_seal(s, b);
  IrRef *repl = ir_alloc(fn->ctx, (fn->nvals + 1) * sizeof *repl);
  for (IrRef r = 0; r < fn->nvals; r++) repl[r] = r;
  while (trivial(s, repl)) {}
  for (IrBlk b = 0; b < fn->nblocks; b++)
    if (!fn->blocks[b].dead) attach(s, repl, b);
  for (IrRef r = 1; r < fn->nvals; r++) {
    IrVal *v = &fn->vals[r];
    for (uint32_t i = 0; i < v->nargs; i++) v->args[i] = resolve(repl, v->args[i]);
    for (uint32_t s = 0; s < v->nsucc; s++)   /* nested.c's branches out of an inlined body */
      for (uint32_t i = 0; i < v->succ[s].nargs; i++) v->succ[s].args[i] = resolve(repl, v->succ[s].args[i]);
  }
  for (IrRef r = 0; r < fn->nvals; r++) resolve(repl, r);
  for (uint32_t pi = 0; pi < s->nparams; pi++)  /* from here on: aux.v.i = 1 + variable */
    fn->vals[s->params[pi].ref].aux.v.i = s->params[pi].var + 1;
  return repl;
}
