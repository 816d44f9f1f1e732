/* passes/fuse.c: whole-array expressions become loops (fuse).
 *
 * infer leaves every whole-array operation as an `ew "<op>"(operands)`
 * value (a + b, np.exp(a), np.where(c, a, b); ir/ops.def).  This pass groups
 * them into trees and turns each tree into ONE call of a library loop that
 * jit/ember/_lib.py writes for it, so an intermediate array used once is
 * never stored:
 *
 *   %3 = ew "mul.float64.float64"(%0, %1)
 *   %4 = ew "add.float64.float64"(%3, %2)       ->  %4 = callfn "<sym>"(%0, %1, %2)
 *
 * with the loop "ew.fuse.add.float64.float64(mul.float64.float64($0,$1),$2)|A1,A1,A1".
 *
 * `a op= b` of an array a (`ew "into.<op>..."(a, b)`) is always a root: the
 * loop writes into a, the leaf $0, after checking that no other leaf shares
 * a's memory (an overlapping one is copied first, as NumPy does).
 *
 * Grouping: an `ew` is folded into the tree of its users when every use is
 * an `ew` of that one tree, in the same block, with no instruction that has
 * an effect (a store, a call, an in-place operator) between it and the
 * tree's root: an array the tree reads is then the same when the loop reads
 * it as where the user wrote the operation.  A value used twice in a tree
 * (p in t*log(p) + (1-t)*log(1-p)) is named in the tree and computed once
 * per element; the loop's rewrites see the whole expression.  Everything else is a leaf: a parameter of the loop,
 * or, for an int, float or bool constant, a literal in the loop's name, so
 * that the loop's own compile folds and rewrites it (`x * 2.0`, `1 + exp(x)`).
 * A tree whose only use is a whole-array sum or mean of floats
 * ("numpy.sum", "ndarray.mean", ... with no axis) is folded into that
 * reduction: "ew.fred.sum.<tree>|<leaves>" computes the sum without the
 * array, in NumPy's pairwise order.
 *
 * Name grammar (jit/ember/_lib.py parses it):
 *   tree   = op "(" tree { "," tree } ")" | "$" index | "#f" hexfloat | "#i" int | "#b" 0|1
 *          | "&" k "=" tree | "&" k        (a part used twice: named, then referred to)
 *   leaves = kind { "," kind },  kind = "S" (scalar) | "A" ndim (array)
 * then "|i:" k when the loop may write into leaf k (see In place), and, when
 * the function has them, "|o:" and its options that change the loop:
 * "fastmath" and the names of the rewrites it excludes.
 *
 * Expects: typed IR (after stabilize); may hold `ew` values.  Leaves: no
 * `ew` value; the folded ones are unused and dce removes them.
 */
#include <stdio.h>
#include <string.h>

#include "passes.h"

#define MAXLEAF 32

typedef struct {
  IrFunc *fn;
  uint32_t *uses;       /* per value: number of uses (operands and block arguments) */
  IrRef *root;          /* per ew: the root of the tree it is computed in (itself for a root) */
  uint32_t *pos;        /* per instruction: its index in its block */
  uint32_t **effects;   /* per block: effects[b][i] = instructions with an effect before index i */
  char *buf;            /* the name being written */
  size_t len, cap;
  IrRef leaf[MAXLEAF];
  uint32_t nleaf;
  IrRef shared[MAXLEAF];   /* the values used more than once in the tree being written */
  uint32_t nshared;
  uint64_t **liveout;      /* per block: bitset of the values live at its end (inplace) */
  uint32_t words;
} Fu;

static IrVal *V(Fu *F, IrRef r) { return ir_val(F->fn, r); }

/* Is 'x' `a op= b` of an array a (it writes a)? */
static bool is_into(const IrVal *x)
{
  return x->op == IR_EW && !strncmp(x->aux.v.s, "into.", 5);
}

static bool has_effect(const IrVal *x)
{
  unsigned f = ir_opinfo[x->op].flags;
  return (f & IRF_EFFECT) || (x->op >= IR_ADD && x->op <= IR_BXOR && (x->aux.v.i & 1)) || is_into(x);
}

/* Count uses, positions and effects. */
static void scan(Fu *F)
{
  IrFunc *fn = F->fn;
  F->uses = ir_alloc(fn->ctx, fn->nvals * sizeof *F->uses);
  F->root = ir_alloc(fn->ctx, fn->nvals * sizeof *F->root);
  F->pos = ir_alloc(fn->ctx, fn->nvals * sizeof *F->pos);
  F->effects = ir_alloc(fn->ctx, (fn->nblocks ? fn->nblocks : 1) * sizeof *F->effects);
  for (uint32_t b = 0; b < fn->nblocks; b++) {
    IrBlock *bk = &fn->blocks[b];
    if (bk->dead) continue;
    F->effects[b] = ir_alloc(fn->ctx, (bk->ninsts + 1) * sizeof **F->effects);
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *x = V(F, bk->insts[i]);
      F->pos[bk->insts[i]] = i;
      F->effects[b][i + 1] = F->effects[b][i] + has_effect(x);
      for (uint32_t k = 0; k < x->nargs; k++) F->uses[x->args[k]]++;
      for (uint32_t s = 0; s < x->nsucc; s++)
        for (uint32_t k = 0; k < x->succ[s].nargs; k++) F->uses[x->succ[s].args[k]]++;
    }
  }
}

/* May value 'a' (defined before 'user') be computed at 'user' instead? */
static bool movable(Fu *F, IrRef a, IrRef user)
{
  IrVal *x = V(F, a), *u = V(F, user);
  if (x->blk != u->blk) return false;
  uint32_t *e = F->effects[u->blk];
  return e[F->pos[user]] == e[F->pos[a] + 1];
}

/* Decide the root of every ew: itself, or the root of its users when they
 * are all ew values of one tree (a value used twice in one tree is written
 * twice in its name; the loop's own compile computes it once). */
static void group(Fu *F)
{
  IrFunc *fn = F->fn;
  uint32_t *ewuses = ir_alloc(fn->ctx, fn->nvals * sizeof *ewuses);
  IrRef *cand = ir_alloc(fn->ctx, fn->nvals * sizeof *cand);
  for (uint32_t b = 0; b < fn->nblocks; b++) {
    IrBlock *bk = &fn->blocks[b];
    if (bk->dead) continue;
    for (uint32_t i = bk->ninsts; i-- > 0;) {   /* users before the values they use */
      IrRef r = bk->insts[i];
      IrVal *x = V(F, r);
      if (x->op != IR_EW) continue;
      IrRef c = cand[r];
      bool half = ir_type_info(fn->ctx, x->type)->elem[0] == IRT_F16;   /* NumPy rounds it: an array of its own */
      F->root[r] = c && c != UINT32_MAX && ewuses[r] == F->uses[r] && !is_into(x) && !half && movable(F, r, c) ? c : r;
      for (uint32_t k = is_into(x); k < x->nargs; k++) {   /* the array written by a op= b is a leaf */
        IrRef a = x->args[k];
        if (V(F, a)->op != IR_EW || V(F, a)->blk != x->blk) continue;
        ewuses[a]++;
        cand[a] = !cand[a] || cand[a] == F->root[r] ? F->root[r] : UINT32_MAX;
      }
    }
  }
}

/* -- The name ---------------------------------------------------------------- */

static void put(Fu *F, const char *s)
{
  size_t n = strlen(s);
  if (F->len + n + 1 > F->cap) {
    size_t cap = (F->len + n + 1) * 2;
    F->buf = ir_realloc(F->fn->ctx, F->buf, F->cap, cap);
    F->cap = cap;
  }
  memcpy(F->buf + F->len, s, n + 1);
  F->len += n;
}

/* A literal for constant 'x' ("#f0x1p+1"), or false when it is not one. */
static bool literal(Fu *F, const IrVal *x)
{
  if (x->op != IR_CONST) return false;
  char s[64];
  switch (x->type) {
  case IRT_F64: snprintf(s, sizeof s, "#f%a", x->aux.v.f); break;
  case IRT_INT: snprintf(s, sizeof s, "#i%lld", (long long)x->aux.v.i); break;
  case IRT_BOOL: snprintf(s, sizeof s, "#b%d", x->aux.v.i != 0); break;
  default: return false;
  }
  put(F, s);
  return true;
}

/* Write the tree of 'r' (an ew of root 'root') and collect its leaves. */
static void tree(Fu *F, IrRef r, IrRef root)
{
  IrVal *x = V(F, r);
  put(F, x->aux.v.s);
  put(F, "(");
  for (uint32_t k = 0; k < x->nargs; k++) {
    IrRef a = x->args[k];
    if (k) put(F, ",");
    if (V(F, a)->op == IR_EW && a != root && F->root[a] == root) {
      char s[16];
      uint32_t j = 0;
      if (F->uses[a] > 1) {   /* named once ("&0=..."), then referred to ("&0") */
        while (j < F->nshared && F->shared[j] != a) j++;
        snprintf(s, sizeof s, j < F->nshared ? "&%u" : "&%u=", j);
        put(F, s);
        if (j < F->nshared) continue;
        if (F->nshared == MAXLEAF) ir_errorf(F->fn->ctx, EM_ERR_TYPES, x->line, "an array expression of more than %d shared parts", MAXLEAF);
        F->shared[F->nshared++] = a;
      }
      tree(F, a, root);
      continue;
    }
    if (literal(F, V(F, a))) continue;
    uint32_t j = 0;
    while (j < F->nleaf && F->leaf[j] != a) j++;
    if (j == F->nleaf) {
      if (F->nleaf == MAXLEAF) ir_errorf(F->fn->ctx, EM_ERR_TYPES, x->line, "an array expression of more than %d operands", MAXLEAF);
      F->leaf[F->nleaf++] = a;
    }
    char s[16];
    snprintf(s, sizeof s, "$%u", j);
    put(F, s);
  }
  put(F, ")");
}

/* Append the leaves' kinds ("|A1,S"). */
static void kinds(Fu *F)
{
  for (uint32_t j = 0; j < F->nleaf; j++) {
    const IrTypeInfo *ti = ir_type_info(F->fn->ctx, V(F, F->leaf[j])->type);
    char s[8];
    if (ti->kind == IRK_ARRAY) snprintf(s, sizeof s, "%cA%d", j ? ',' : '|', ti->ndim);
    else snprintf(s, sizeof s, "%cS", j ? ',' : '|');
    put(F, s);
  }
}

/* Append the caller's options that change the loop ("|o:fastmath,log1p"):
 * fastmath and the rewrites it excludes, which then apply in the loop too. */
static void options(Fu *F)
{
  PassOptions *o = pass_options(F->fn);
  bool any = o->fastmath;
  for (int i = 0; i < RW__COUNT; i++) any |= o->rw_off[i] != 0;
  if (!any) return;
  put(F, "|o:");
  bool first = true;
  if (o->fastmath) put(F, "fastmath"), first = false;
  for (int i = 0; i < RW__COUNT; i++) {
    if (!o->rw_off[i]) continue;
    if (!first) put(F, ",");
    put(F, pass_rewrites[i].name);
    first = false;
  }
}

/* -- In place ----------------------------------------------------------------
 * A tree may write its result into one of its array leaves L instead of a new
 * array ("|i:k" in the name; the loop checks at run time that L has the
 * result's shape) when L's old value is dead and nothing else can see its
 * memory: L is fresh (made by a fused loop or a creation function of the
 * library, or a block parameter all of whose incoming values are), every use
 * of L (and of the values flowing into it) is an elementwise operation, a
 * call with a scalar result or a block argument, and L is not live after the
 * tree.  `s = s * 0.5 + a` in a loop then reuses one array instead of
 * allocating one per iteration.  An argument of the function is never fresh:
 * it is written only where the user's code writes it. */

static const char *const fresh_calls[] = {
  "numpy.ones", "numpy.full", "numpy.empty_like", "numpy.zeros_like", "numpy.ones_like",
  "numpy.full_like", "numpy.copy", "ndarray.copy", "numpy.arange", "numpy.linspace", "numpy.eye",
};

/* Is every use of 'r' one that keeps no reference to its memory? */
static bool no_alias_uses(Fu *F, IrRef r)
{
  IrFunc *fn = F->fn;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *x = V(F, bk->insts[i]);
      bool uses = false;
      for (uint32_t k = 0; k < x->nargs; k++) uses |= x->args[k] == r;
      if (!uses) continue;
      if (x->op == IR_EW || x->op == IR_RET) continue;   /* a new array; the end of the function */
      if (x->op == IR_CALLFN && ir_type_info(fn->ctx, x->type)->kind != IRK_ARRAY
          && ir_type_info(fn->ctx, x->type)->kind != IRK_TUPLE) continue;
      if (x->op == IR_ASHAPE || x->op == IR_ASTRIDE) continue;
      return false;
    }
  }
  return true;
}

/* Is 'r' an array no other value can see ('depth' bounds the walk over block parameters)? */
static bool fresh(Fu *F, IrRef r, IrRef self, int depth)
{
  IrVal *x = V(F, r);
  if (r == self) return true;
  if (depth > 8 || !no_alias_uses(F, r)) return false;
  if (x->op == IR_AALLOC) return true;
  if (x->op == IR_CALLFN && x->aux.s) {
    if (!strncmp(x->aux.s, "ew.fuse.", 8)) return true;
    for (size_t i = 0; i < sizeof fresh_calls / sizeof *fresh_calls; i++)
      if (!strcmp(x->aux.s, fresh_calls[i])) return true;
    return false;
  }
  if (x->op != IR_PARAM || x->blk == 0) return false;   /* the entry block's parameters are the arguments */
  IrBlock *bk = &F->fn->blocks[x->blk];
  uint32_t p = 0;
  while (p < bk->nparams && bk->params[p] != r) p++;
  for (uint32_t k = 0; k < bk->npreds; k++) {
    IrVal *t = V(F, ir_block_term(F->fn, bk->preds[k]));
    for (uint32_t s = 0; s < t->nsucc; s++)
      if (t->succ[s].blk == x->blk && (p >= t->succ[s].nargs || !fresh(F, t->succ[s].args[p], self, depth + 1)))
        return false;
  }
  return true;
}

static bool bit(uint64_t *set, IrRef r) { return set[r / 64] >> (r % 64) & 1; }

/* Fill F->liveout: values live at the end of each block (block parameters
 * are defined at the block's start; a branch uses its arguments). */
static void liveness(Fu *F)
{
  IrFunc *fn = F->fn;
  uint32_t w = F->words = (fn->nvals + 63) / 64;
  uint64_t **in = ir_alloc(fn->ctx, fn->nblocks * sizeof *in);
  F->liveout = ir_alloc(fn->ctx, fn->nblocks * sizeof *F->liveout);
  for (uint32_t b = 0; b < fn->nblocks; b++) {
    in[b] = ir_alloc(fn->ctx, w * sizeof **in);
    F->liveout[b] = ir_alloc(fn->ctx, w * sizeof **in);
  }
  uint64_t *cur = ir_alloc(fn->ctx, w * sizeof *cur);
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t b = fn->nblocks; b-- > 0;) {
      IrBlock *bk = &fn->blocks[b];
      if (bk->dead) continue;
      memset(cur, 0, w * sizeof *cur);
      IrVal *t = V(F, ir_block_term(fn, b));
      for (uint32_t s = 0; s < t->nsucc; s++) {
        IrBlock *sb = &fn->blocks[t->succ[s].blk];
        for (uint32_t k = 0; k < w; k++) cur[k] |= in[t->succ[s].blk][k];
        for (uint32_t k = 0; k < sb->nparams; k++) cur[sb->params[k] / 64] &= ~(1ull << (sb->params[k] % 64));
        for (uint32_t k = 0; k < t->succ[s].nargs; k++) cur[t->succ[s].args[k] / 64] |= 1ull << (t->succ[s].args[k] % 64);
      }
      if (memcmp(cur, F->liveout[b], w * sizeof *cur)) { memcpy(F->liveout[b], cur, w * sizeof *cur); changed = true; }
      for (uint32_t i = bk->ninsts; i-- > 0;) {
        IrVal *x = V(F, bk->insts[i]);
        cur[bk->insts[i] / 64] &= ~(1ull << (bk->insts[i] % 64));
        for (uint32_t k = 0; k < x->nargs; k++) cur[x->args[k] / 64] |= 1ull << (x->args[k] % 64);
      }
      for (uint32_t k = 0; k < bk->nparams; k++) cur[bk->params[k] / 64] &= ~(1ull << (bk->params[k] % 64));
      if (memcmp(cur, in[b], w * sizeof *cur)) { memcpy(in[b], cur, w * sizeof *cur); changed = true; }
    }
  }
}

/* Is 'l' unused after instruction 'r' (in r's block and beyond)? */
static bool dead_after(Fu *F, IrRef l, IrRef r)
{
  IrBlk b = V(F, r)->blk;
  if (bit(F->liveout[b], l)) return false;
  IrBlock *bk = &F->fn->blocks[b];
  for (uint32_t i = F->pos[r] + 1; i < bk->ninsts; i++) {
    IrVal *x = V(F, bk->insts[i]);
    for (uint32_t k = 0; k < x->nargs; k++)
      if (x->args[k] == l) return false;
    for (uint32_t s = 0; s < x->nsucc; s++)
      for (uint32_t k = 0; k < x->succ[s].nargs; k++)
        if (x->succ[s].args[k] == l) return false;
  }
  return true;
}

/* The leaf root 'r' may write into, or -1. */
static int inplace_leaf(Fu *F, IrRef r)
{
  const IrTypeInfo *rt = ir_type_info(F->fn->ctx, V(F, r)->type);
  for (uint32_t j = 0; j < F->nleaf; j++) {
    IrRef l = F->leaf[j];
    const IrTypeInfo *lt = ir_type_info(F->fn->ctx, V(F, l)->type);
    if (lt->kind != IRK_ARRAY || lt->elem[0] != rt->elem[0] || lt->ndim != rt->ndim || lt->layout != 'C' || lt->readonly)
      continue;
    if (dead_after(F, l, r) && fresh(F, l, r, 0)) return (int)j;
  }
  return -1;
}

/* -- Making the call ------------------------------------------------------------ */

void pass_call_library(IrFunc *fn, IrRef v, const char *name, const IrRef *args, uint32_t n)
{
  IrCtx *ctx = fn->ctx;
  IrHost *h = &ctx->host;
  IrVal *x = ir_val(fn, v);
  int64_t id;
  IrType ts[MAXLEAF], ret = x->type;
  const char *sym = NULL;
  bool pure = true;
  char err[256] = "";
  if (n > MAXLEAF) ir_errorf(ctx, EM_ERR_TYPES, x->line, "a library call of more than %d operands", MAXLEAF);
  for (uint32_t j = 0; j < n; j++) ts[j] = ir_val(fn, args[j])->type;
  if (!h->resolve) {
    /* no library (ember-opt, the .eir tests): the call names the function */
  } else if (!h->call_sig || h->resolve(h->host, name, &id)) {
    ir_errorf(ctx, EM_ERR_CALL, x->line, "the library function %s", name);
  } else if (h->call_sig(h->host, id, ts, n, ctx, &ret, &sym, &pure, err, sizeof err)) {
    ir_errorf(ctx, EM_ERR_ARGS, x->line, "%s", err);
  }
  if (ret != x->type) {
    char b1[64], b2[64];
    ir_errorf(ctx, EM_ERR_TYPES, x->line, "the library function %s returns %s, not %s", name,
              ir_type_name(ctx, ret, b1, sizeof b1), ir_type_name(ctx, x->type, b2, sizeof b2));
  }
  IrRef *a = ir_alloc(ctx, (n ? n : 1) * sizeof *a);
  memcpy(a, args, n * sizeof *a);
  x = ir_val(fn, v);
  x->op = IR_CALLFN;
  x->args = a;
  x->nargs = n;
  memset(&x->aux, 0, sizeof x->aux);
  x->aux.v.s = sym ? sym : ir_strdup(ctx, name);
  x->aux.s = ir_strdup(ctx, name);
}

/* Value 'v' becomes a call of the library loop 'name' on the leaves. */
static void call(Fu *F, IrRef v, const char *name)
{
  pass_call_library(F->fn, v, name, F->leaf, F->nleaf);
}

/* The reduction "sum" or "mean" that call 'c' of the library is, with no axis, or NULL. */
static const char *reduction(Fu *F, IrRef c)
{
  static const char *const names[][2] = {
    {"numpy.sum", "sum"}, {"ndarray.sum", "sum"}, {"numpy.mean", "mean"}, {"ndarray.mean", "mean"},
  };
  IrVal *x = V(F, c);
  if (x->op != IR_CALLFN || !x->aux.s || x->nargs < 1) return NULL;
  for (uint32_t k = 1; k < x->nargs; k++) {   /* axis=None, keepdims=False, ... */
    IrVal *a = V(F, x->args[k]);
    if (a->op != IR_CONST || !(a->type == IRT_NONE || (a->type == IRT_BOOL && !a->aux.v.i))) return NULL;
  }
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(x->aux.s, names[i][0])) return names[i][1];
  return NULL;
}

/* The one user of 'r', when it is an instruction of 'r's block. */
static IrRef user_of(Fu *F, IrRef r)
{
  if (F->uses[r] != 1) return 0;
  IrBlock *bk = &F->fn->blocks[V(F, r)->blk];
  for (uint32_t i = F->pos[r] + 1; i < bk->ninsts; i++) {
    IrVal *x = V(F, bk->insts[i]);
    for (uint32_t k = 0; k < x->nargs; k++)
      if (x->args[k] == r) return bk->insts[i];
  }
  return 0;
}

/* Make the loop of root 'r' (an ew folded into no other). */
static void fuse_root(Fu *F, IrRef r)
{
  F->len = 0;
  F->nleaf = 0;
  F->nshared = 0;
  IrRef red = user_of(F, r);
  const char *rk = red ? reduction(F, red) : NULL;
  const IrTypeInfo *ti = ir_type_info(F->fn->ctx, V(F, r)->type);
  bool flt = ir_type_info(F->fn->ctx, ti->elem[0])->kind == IRK_FLOAT && ti->elem[0] != IRT_F16;
  if (rk && flt && V(F, red)->args[0] == r && F->uses[r] == 1 && movable(F, r, red)) {
    put(F, "ew.fred.");
    put(F, rk);
    put(F, ".");
  } else {
    put(F, "ew.fuse.");
    red = 0;
  }
  tree(F, r, r);
  kinds(F);
  if (!red && ti->elem[0] == IRT_F16) put(F, "|h");   /* computed in float32, a float16 result (infer_array.c) */
  int into = red || is_into(V(F, r)) ? -1 : inplace_leaf(F, r);
  if (into >= 0) {
    char sx[16];
    snprintf(sx, sizeof sx, "|i:%d", into);
    put(F, sx);
  }
  options(F);
  call(F, red ? red : r, F->buf);
}

void pass_fuse(IrFunc *fn)
{
  Fu F = {.fn = fn};
  scan(&F);
  group(&F);
  ir_fill_preds(fn);
  liveness(&F);
  for (uint32_t b = 0; b < fn->nblocks; b++) {
    IrBlock *bk = &fn->blocks[b];
    if (bk->dead) continue;
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrRef r = bk->insts[i];
      if (V(&F, r)->op == IR_EW && F.root[r] == r) fuse_root(&F, r);
    }
  }
}
