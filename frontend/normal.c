/* frontend/normal.c: the frontend's normal form.
 *
 * CPython versions lay out the same source differently (3.10 threads the
 * jumps of `a and b or c` and inverts loops one way, 3.12+ copy and re-test
 * values; 3.11+ leave JUMP_BACKWARD blocks, NOPs, duplicated returns...).
 * The builder's raw IR therefore differs between versions; this file
 * rewrites it into one normal form, so that the same function gives the same
 * printed IR on every version.  Rounds, until nothing changes:
 *   1. `cbr not c` and `cbr isnot a, b` (single use) flip their successors;
 *   2. a cbr whose two edges are equal becomes a br;
 *   3. an edge into a block that only branches (`br @T(args)`) goes to @T;
 *   4. an edge into a block that only tests a parameter (`truth %p; cbr`),
 *      leaving a predecessor that tested the same value, goes straight to
 *      the known side (Python's value-preserving and/or chains);
 *   5. a block whose single predecessor ends in `br` to it is merged into
 *      that predecessor;
 *   6. unused pure values are dropped;
 *   7. (see taildup) small return blocks are copied into each edge;
 *   8. a cbr on a bool constant becomes a br (the assignment checks of
 *      locals that turned out always assigned);
 *   9. `truth` of a comparison, `is` or `not` (found after merges) is
 *      replaced by its operand.
 * Rules 3 and 4 never let an edge bypass a block whose parameters or
 * values are used in the blocks it dominates (rule 4 then goes to a copy
 * of a small return block instead, reading the values the edge brings).
 * Then the function is rebuilt: blocks in reverse postorder (successors of a
 * cbr visited true side first), block parameters ordered by the variable
 * they stand for (locals by index, then stack slots), constants and global
 * references hoisted to the entry block, one per distinct value, in order of
 * first use.  The result prints identically whenever two CFGs are the same
 * up to block and value numbering.
 * Expects: fe_ssa_finish's IR (PARAM aux.v.i = 1 + variable).  Leaves: the
 * IR frontend.h describes, aux of parameters cleared.
 */
#include <stdlib.h>
#include <string.h>

#include "fe.h"

#define MAXROUNDS 64

bool fe_is_boolop(IrOp op)
{
  switch (op) {
  case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE:
  case IR_IS: case IR_ISNOT: case IR_NOT: case IR_TRUTH: return true;
  default: return false;
  }
}

typedef struct {
  IrFunc *fn;
  uint32_t *nuse;     /* uses per value (operands and branch arguments) */
  IrRef *map;         /* param -> replacement after merges */
  uint32_t *nin;      /* incoming edges per block (edges phase) */
  uint8_t *esc;       /* value used outside the block defining it */
  uint32_t cap;       /* size of nuse, map, nin, esc */
} Nf;

static bool hoistable(const IrVal *v)
{
  return v->op == IR_CONST || v->op == IR_MODREF || v->op == IR_BUILTIN || v->op == IR_FUNCREF ||
         v->op == IR_GLOBAL;
}

static IrVal *V(Nf *n, IrRef r) { return &n->fn->vals[r]; }
static IrBlock *BK(Nf *n, IrBlk b) { return &n->fn->blocks[b]; }

/* Mark blocks unreachable from the entry dead. */
static void reach(Nf *n)
{
  IrFunc *fn = n->fn;
  IrBlk *order = ir_alloc(fn->ctx, (fn->nblocks + 1) * sizeof *order);
  uint32_t cnt = ir_fill_rpo(fn, order);
  uint8_t *live = ir_alloc(fn->ctx, fn->nblocks + 1);
  for (uint32_t i = 0; i < cnt; i++) live[order[i]] = 1;
  for (IrBlk b = 0; b < fn->nblocks; b++)
    if (!live[b]) fn->blocks[b].dead = true;
}

/* Grow the per-value arrays to the function's value count. */
static void ensure(Nf *n)
{
  IrFunc *fn = n->fn;
  if (fn->nvals <= n->cap) return;
  uint32_t cap = 2 * fn->nvals;
  n->nuse = ir_realloc(fn->ctx, n->nuse, (n->cap + 1) * sizeof *n->nuse, (cap + 1) * sizeof *n->nuse);
  n->map = ir_realloc(fn->ctx, n->map, (n->cap + 1) * sizeof *n->map, (cap + 1) * sizeof *n->map);
  n->nin = ir_realloc(fn->ctx, n->nin, (n->cap + 1) * sizeof *n->nin, (cap + 1) * sizeof *n->nin);
  n->esc = ir_realloc(fn->ctx, n->esc, n->cap + 1, cap + 1);
  n->cap = cap;
}

/* Count a use of 'r' in block 'b'. */
static void use(Nf *n, IrRef r, IrBlk b)
{
  n->nuse[r]++;
  if (V(n, r)->blk != b) n->esc[r] = 1;
}

/* Fill nuse and esc. */
static void count_uses(Nf *n)
{
  IrFunc *fn = n->fn;
  ensure(n);
  memset(n->nuse, 0, fn->nvals * sizeof *n->nuse);
  memset(n->esc, 0, fn->nvals);
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = BK(n, b);
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *v = V(n, bk->insts[i]);
      for (uint32_t a = 0; a < v->nargs; a++) use(n, v->args[a], b);
      for (uint32_t s = 0; s < v->nsucc; s++)
        for (uint32_t a = 0; a < v->succ[s].nargs; a++) use(n, v->succ[s].args[a], b);
    }
  }
}

/* Whether a parameter or instruction of block 'b' is used in another block:
 * then an edge may not bypass 'b' into the blocks it dominates. */
static bool escapes(Nf *n, IrBlk b)
{
  IrBlock *bk = BK(n, b);
  for (uint32_t i = 0; i < bk->nparams; i++)
    if (n->esc[bk->params[i]]) return true;
  for (uint32_t i = 0; i < bk->ninsts; i++)
    if (n->esc[bk->insts[i]]) return true;
  return false;
}

/* Index of 'p' among the parameters of 'b', or -1. */
static int32_t paramidx(Nf *n, IrBlk b, IrRef p)
{
  IrBlock *bk = BK(n, b);
  for (uint32_t i = 0; i < bk->nparams; i++)
    if (bk->params[i] == p) return (int32_t)i;
  return -1;
}

/* Arguments of 'via' (a branch out of block 'mid') with mid's parameters
 * replaced by 'in' (the arguments entering mid); NULL if one is 'forbid'. */
static IrRef *substargs(Nf *n, IrBlk mid, const IrSucc *via, const IrRef *in, IrRef forbid)
{
  IrRef *a = ir_alloc(n->fn->ctx, (via->nargs + 1) * sizeof *a);
  for (uint32_t i = 0; i < via->nargs; i++) {
    IrRef v = via->args[i];
    if (v == forbid) return NULL;
    int32_t pi = V(n, v)->op == IR_PARAM && V(n, v)->blk == mid ? paramidx(n, mid, v) : -1;
    a[i] = pi >= 0 ? in[pi] : v;
  }
  return a;
}

#define MAXDUP 8   /* instructions of a return block copied into each edge */

/* Whether 'b' is a small block ending in `ret` (copied into its edges). */
static bool is_smallret(Nf *n, IrBlk b)
{
  IrBlock *bk = BK(n, b);
  return b != 0 && bk->ninsts && bk->ninsts <= MAXDUP && V(n, bk->insts[bk->ninsts - 1])->op == IR_RET;
}

/* A new block copying the small return block 's' with the values 'old[i]'
 * replaced by 'neu[i]' for i < 'nmap' (both arrays have room for s's
 * instructions after them); returns it. */
static IrBlk copyret(Nf *n, IrBlk s, IrRef *old, IrRef *neu, uint32_t nmap)
{
  IrFunc *fn = n->fn;
  IrBlk d = ir_block_new(fn);
  uint32_t ninst = BK(n, s)->ninsts;
  for (uint32_t i = 0; i < ninst; i++) {
    IrRef r = BK(n, s)->insts[i];
    uint32_t na = V(n, r)->nargs;
    IrRef *a = ir_alloc(fn->ctx, (na + 1) * sizeof *a);
    for (uint32_t k = 0; k < na; k++) {
      a[k] = V(n, r)->args[k];
      for (uint32_t m = 0; m < nmap; m++)
        if (old[m] == a[k]) { a[k] = neu[m]; break; }
    }
    IrRef c = ir_emit(fn, d, (IrOp)V(n, r)->op, V(n, r)->type, a, na, V(n, r)->line);
    fn->vals[c].aux = fn->vals[r].aux;
    old[nmap] = r;
    neu[nmap++] = c;
  }
  ensure(n);
  for (uint32_t i = 0; i < ninst; i++) {  /* the copy's operands are used in a new block */
    IrVal *v = V(n, BK(n, d)->insts[i]);
    for (uint32_t k = 0; k < v->nargs; k++) n->esc[v->args[k]] |= V(n, v->args[k])->blk != d;
  }
  return d;
}

/* Room for the maps of copyret: 'extra' entries and the instructions of 's'. */
static IrRef *maproom(Nf *n, IrBlk s, uint32_t extra)
{
  return ir_alloc(n->fn->ctx, (extra + BK(n, s)->ninsts + 1) * sizeof(IrRef));
}

/* Rule 3: an edge into a block that only branches goes to its target. */
static bool thread_empty(Nf *n, IrSucc *s)
{
  IrBlk e = s->blk;
  IrBlock *eb = BK(n, e);
  if (e == 0 || eb->ninsts != 1) return false;
  IrVal *t = V(n, eb->insts[0]);
  if (t->op != IR_BR || t->succ[0].blk == e || escapes(n, e)) return false;
  IrRef *a = substargs(n, e, &t->succ[0], s->args, 0);
  *s = (IrSucc){t->succ[0].blk, t->succ[0].nargs, a};
  return true;
}

/* Rule 4's edge 's' into 'l', whose values are used in blocks it dominates:
 * when 'via' (the edge l takes) enters a small return block, 's' goes to a
 * copy of it that reads the values 's' brings ('na': via's arguments then). */
static bool thread_copy(Nf *n, IrSucc *s, IrBlk l, const IrSucc *via, const IrRef *na, IrRef forbid)
{
  IrBlk t = via->blk;
  if (!is_smallret(n, t) || t == l) return false;
  IrBlock *tb = BK(n, t), *lb = BK(n, l);
  for (uint32_t i = 0; i < tb->ninsts; i++)
    for (uint32_t k = 0; k < V(n, tb->insts[i])->nargs; k++)
      if (forbid && V(n, tb->insts[i])->args[k] == forbid) return false;
  if (s->nargs < lb->nparams || via->nargs < tb->nparams) return false;
  uint32_t np = tb->nparams + lb->nparams, m = 0;
  IrRef *old = maproom(n, t, np), *neu = maproom(n, t, np);
  for (uint32_t i = 0; i < tb->nparams; i++, m++) { old[m] = tb->params[i]; neu[m] = na[i]; }
  for (uint32_t i = 0; i < lb->nparams; i++, m++) { old[m] = lb->params[i]; neu[m] = s->args[i]; }
  IrBlk d = copyret(n, t, old, neu, np);
  *s = (IrSucc){d, 0, NULL};
  return true;
}

/* Rule 4: an edge leaving a test of 'cond' (known 'truth' on this edge) into
 * a block that re-tests the value it receives.  Where the tested block's
 * values are used in blocks it dominates, the edge may only bypass it into
 * a copy of a small return block (thread_copy). */
static bool thread_known(Nf *n, IrSucc *s, IrRef cond, bool truth)
{
  IrBlk l = s->blk;
  IrBlock *lb = BK(n, l);
  if (l == 0 || lb->ninsts < 1 || lb->ninsts > 2) return false;
  IrVal *t = V(n, lb->insts[lb->ninsts - 1]);
  if (t->op != IR_CBR) return false;
  IrRef test = t->args[0], p = test, forbid = 0;
  if (lb->ninsts == 2) {
    if (lb->insts[0] != test || V(n, test)->op != IR_TRUTH) return false;
    p = V(n, test)->args[0];
    forbid = test;
  }
  int32_t pi = paramidx(n, l, p);
  if (pi < 0 || (uint32_t)pi >= s->nargs) return false;
  IrRef a = s->args[pi];
  bool same = a == cond || (V(n, cond)->op == IR_TRUTH && V(n, cond)->args[0] == a);
  if (!same) return false;
  const IrSucc *via = &t->succ[truth ? 0 : 1];
  if (via->blk == l) return false;
  IrRef *na = substargs(n, l, via, s->args, forbid);
  if (!na) return false;
  if (escapes(n, l)) return thread_copy(n, s, l, via, na, forbid);
  *s = (IrSucc){via->blk, via->nargs, na};
  return true;
}

static bool same_succ(const IrSucc *a, const IrSucc *b)
{
  if (a->blk != b->blk || a->nargs != b->nargs) return false;
  for (uint32_t i = 0; i < a->nargs; i++)
    if (a->args[i] != b->args[i]) return false;
  return true;
}

/* Rules 1, 2 and 8 on the terminator 't'. */
static bool canon_cbr(Nf *n, IrVal *t)
{
  if (t->op != IR_CBR) return false;
  IrVal *k = V(n, t->args[0]);
  if (k->op == IR_CONST && k->type == IRT_BOOL) {
    if (!k->aux.v.i) t->succ[0] = t->succ[1];
    t->op = IR_BR;
    t->nargs = 0;
    t->nsucc = 1;
    return true;
  }
  if (same_succ(&t->succ[0], &t->succ[1])) {
    t->op = IR_BR;
    t->nargs = 0;
    t->nsucc = 1;
    return true;
  }
  IrRef c = t->args[0];
  IrVal *cv = V(n, c);
  if (n->nuse[c] != 1 || (cv->op != IR_NOT && cv->op != IR_ISNOT)) return false;
  if (cv->op == IR_NOT) t->args[0] = cv->args[0];
  else cv->op = IR_IS;
  IrSucc tmp = t->succ[0];
  t->succ[0] = t->succ[1];
  t->succ[1] = tmp;
  n->nuse[c] = cv->op == IR_NOT ? 0 : 1;
  return true;
}

/* Rule 7: an edge into a small block ending in `ret`, which other edges
 * enter too, gets its own copy (3.10 copies such blocks, 3.11+ do not). */
static bool taildup(Nf *n, IrRef tr, uint32_t si)
{
  IrBlk s = V(n, tr)->succ[si].blk;
  if (n->nin[s] < 2 || !is_smallret(n, s) || s == V(n, tr)->blk) return false;
  uint32_t np = BK(n, s)->nparams;
  if (V(n, tr)->succ[si].nargs < np) return false;
  IrRef *old = maproom(n, s, np), *neu = maproom(n, s, np);
  for (uint32_t i = 0; i < np; i++) {
    old[i] = BK(n, s)->params[i];
    neu[i] = V(n, tr)->succ[si].args[i];
  }
  IrBlk d = copyret(n, s, old, neu, np);
  V(n, tr)->succ[si] = (IrSucc){d, 0, NULL};
  n->nin[s]--;
  n->nin[d] = 1;
  return true;
}

static void count_edges(Nf *n)
{
  IrFunc *fn = n->fn;
  memset(n->nin, 0, (n->cap + 1) * sizeof *n->nin);
  IR_FOREACH_BLOCK(fn, b) {
    IrRef tr = ir_block_term(fn, b);
    if (tr) for (uint32_t s = 0; s < V(n, tr)->nsucc; s++) n->nin[V(n, tr)->succ[s].blk]++;
  }
}

/* Rules 1-4 and 7 over every live block. */
static bool edges(Nf *n)
{
  bool changed = false;
  IrFunc *fn = n->fn;
  ensure(n);
  count_edges(n);
  uint32_t nb = fn->nblocks;
  for (IrBlk b = 0; b < nb; b++) {
    if (fn->blocks[b].dead) continue;
    IrRef tr = ir_block_term(fn, b);
    if (!tr) continue;
    changed |= canon_cbr(n, V(n, tr));
    for (uint32_t s = 0; s < V(n, tr)->nsucc; s++) {
      IrBlk was = V(n, tr)->succ[s].blk;
      bool c = thread_empty(n, &V(n, tr)->succ[s]);
      if (V(n, tr)->op == IR_CBR)
        c |= thread_known(n, &V(n, tr)->succ[s], V(n, tr)->args[0], s == 0);
      if (c) { n->nin[was]--; n->nin[V(n, tr)->succ[s].blk]++; }
      c |= taildup(n, tr, s);
      changed |= c;
    }
  }
  return changed;
}

static IrRef mapped(Nf *n, IrRef r)
{
  while (n->map[r] != r) r = n->map[r];
  return r;
}

/* Rule 5: merge 's' into its only predecessor 'b', which ends in `br @s`. */
static void merge(Nf *n, IrBlk b, IrBlk s)
{
  IrBlock *bb = BK(n, b), *sb = BK(n, s);
  IrVal *br = V(n, bb->insts[bb->ninsts - 1]);
  for (uint32_t i = 0; i < sb->nparams && i < br->succ[0].nargs; i++)
    n->map[sb->params[i]] = mapped(n, br->succ[0].args[i]);
  br->op = IR_NOP;
  bb->ninsts--;
  for (uint32_t i = 0; i < sb->ninsts; i++) {
    if (bb->ninsts == bb->cap) {
      uint32_t cap = bb->cap ? 2 * bb->cap : 8;
      bb->insts = ir_realloc(n->fn->ctx, bb->insts, bb->cap * sizeof(IrRef), cap * sizeof(IrRef));
      bb->cap = cap;
    }
    bb->insts[bb->ninsts++] = sb->insts[i];
    V(n, sb->insts[i])->blk = b;
  }
  sb->ninsts = 0;
  sb->dead = true;
}

/* Drop parameter 'i' of block 'b' and the matching argument of every edge into it. */
static void dropparam(Nf *n, IrBlk b, uint32_t i)
{
  IrFunc *fn = n->fn;
  IrBlock *bk = BK(n, b);
  for (uint32_t p = 0; p < bk->npreds; p++) {
    if (p && bk->preds[p] == bk->preds[p - 1]) continue;  /* both edges of one cbr */
    IrVal *t = V(n, ir_block_term(fn, bk->preds[p]));
    for (uint32_t s = 0; s < t->nsucc; s++) {
      IrSucc *sc = &t->succ[s];
      if (sc->blk != b || i >= sc->nargs) continue;
      memmove(sc->args + i, sc->args + i + 1, (sc->nargs - i - 1) * sizeof(IrRef));
      sc->nargs--;
    }
  }
  memmove(bk->params + i, bk->params + i + 1, (bk->nparams - i - 1) * sizeof(IrRef));
  bk->nparams--;
}

/* Parameters of 'b' that receive one value on every edge (or themselves) are that value. */
static bool trivial_params(Nf *n, IrBlk b)
{
  IrFunc *fn = n->fn;
  IrBlock *bk = BK(n, b);
  bool changed = false;
  if (b == 0) return false;
  for (uint32_t i = bk->nparams; i-- > 0;) {
    IrRef p = bk->params[i], same = 0;
    bool many = false;
    for (uint32_t k = 0; k < bk->npreds && !many; k++) {
      /* the same predecessor may appear twice (both cbr edges): visit it once */
      if (k && bk->preds[k] == bk->preds[k - 1]) continue;
      IrVal *t = V(n, ir_block_term(fn, bk->preds[k]));
      for (uint32_t s = 0; s < t->nsucc && !many; s++) {
        if (t->succ[s].blk != b) continue;
        if (i >= t->succ[s].nargs) return changed;
        IrRef a = mapped(n, t->succ[s].args[i]);
        if (a == p || a == same) continue;
        if (same) many = true;
        same = a;
      }
    }
    if (many || !same) continue;
    n->map[p] = same;
    dropparam(n, b, i);
    changed = true;
  }
  return changed;
}

static bool merges(Nf *n)
{
  IrFunc *fn = n->fn;
  bool changed = false;
  reach(n);
  ir_fill_preds(fn);
  ensure(n);
  for (IrRef r = 0; r < fn->nvals; r++) n->map[r] = r;
  IR_FOREACH_BLOCK(fn, b) changed |= trivial_params(n, b);
  IR_FOREACH_BLOCK(fn, b) {
    for (;;) {
      IrRef tr = ir_block_term(fn, b);
      if (!tr || V(n, tr)->op != IR_BR) break;
      IrBlk s = V(n, tr)->succ[0].blk;
      if (s == b || s == 0 || fn->blocks[s].dead || fn->blocks[s].npreds != 1) break;
      if (fn->blocks[s].nparams != V(n, tr)->succ[0].nargs) break;
      merge(n, b, s);
      changed = true;
    }
  }
  if (!changed) return false;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = BK(n, b);
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *v = V(n, bk->insts[i]);
      for (uint32_t a = 0; a < v->nargs; a++) v->args[a] = mapped(n, v->args[a]);
      for (uint32_t s = 0; s < v->nsucc; s++)
        for (uint32_t a = 0; a < v->succ[s].nargs; a++) v->succ[s].args[a] = mapped(n, v->succ[s].args[a]);
    }
  }
  return true;
}

/* Rule 6: drop unused pure values, to a fixpoint. */
static bool dce(Nf *n)
{
  bool changed = false, again = true;
  while (again) {
    again = false;
    count_uses(n);
    IR_FOREACH_BLOCK(n->fn, b) {
      IrBlock *bk = BK(n, b);
      uint32_t keep = 0;
      for (uint32_t i = 0; i < bk->ninsts; i++) {
        IrRef r = bk->insts[i];
        IrVal *v = V(n, r);
        if (!n->nuse[r] && ir_is_pure(n->fn, r)) {
          v->op = IR_NOP;
          again = changed = true;
          continue;
        }
        bk->insts[keep++] = r;
      }
      bk->ninsts = keep;
    }
  }
  return changed;
}

/* Rule 9: `truth` of a value that is a bool already (a comparison, `is`,
 * `not`: as a merge left it) is that value. */
static bool truths(Nf *n)
{
  bool changed = false;
  IR_FOREACH_BLOCK(n->fn, b) {
    IrBlock *bk = BK(n, b);
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *v = V(n, bk->insts[i]);
      for (uint32_t a = 0; a < v->nargs; a++) {
        IrVal *t = V(n, v->args[a]);
        if (t->op != IR_TRUTH || !fe_is_boolop((IrOp)V(n, t->args[0])->op)) continue;
        v->args[a] = t->args[0];
        changed = true;
      }
    }
  }
  return changed;
}

static void simplify(Nf *n)
{
  for (int round = 0; round < MAXROUNDS; round++) {
    bool changed = false;
    reach(n);
    count_uses(n);
    changed |= edges(n);
    changed |= merges(n);
    changed |= truths(n);
    changed |= dce(n);
    if (!changed) break;
  }
  reach(n);
}

/* -- Rebuild ---------------------------------------------------------------- */

typedef struct {
  Nf *n;
  IrFunc *nf;
  IrBlk *newblk;      /* old block -> new block + 1 (0 = not emitted) */
  IrRef *newval;      /* old value -> new value (0 = not yet) */
  uint32_t **perm;    /* per old block: new parameter j = old parameter perm[j] */
  IrRef *hoisted;     /* distinct hoisted values (old refs), by first use */
  uint32_t nhoisted;
} Rb;

static bool streq(const char *a, const char *b)
{
  return a == b || (a && b && !strcmp(a, b));
}

/* Whether hoistable values 'a' and 'b' are the same value. */
static bool samekonst(const IrVal *a, const IrVal *b)
{
  if (a->op != b->op || a->type != b->type) return false;
  switch (a->op) {
  case IR_CONST:
    if (a->type == IRT_ANY) return streq(a->aux.v.s, b->aux.v.s);
    return !memcmp(&a->aux.v, &b->aux.v, sizeof a->aux.v);
  case IR_FUNCREF: return a->aux.v.i == b->aux.v.i && streq(a->aux.s, b->aux.s);
  default: return streq(a->aux.v.s, b->aux.v.s);
  }
}

/* Hoist operand 'r' (used at 'line'): emit its first copy in the new entry. */
static void hoist(Rb *rb, IrRef r, int32_t line)
{
  IrFunc *fn = rb->n->fn;
  const IrVal *v = &fn->vals[r];
  if (rb->newval[r] || !hoistable(v)) return;
  for (uint32_t i = 0; i < rb->nhoisted; i++)
    if (samekonst(&fn->vals[rb->hoisted[i]], v)) { rb->newval[r] = rb->newval[rb->hoisted[i]]; return; }
  IrRef nv = ir_emit(rb->nf, 0, (IrOp)v->op, v->type, NULL, 0, line);
  rb->nf->vals[nv].aux = v->aux;
  if (v->op == IR_CONST && v->type == IRT_NONE) rb->nf->vals[nv].aux.s = NULL;  /* drop the null marker tag */
  rb->newval[r] = nv;
  rb->hoisted[rb->nhoisted++] = r;
}

static void hoist_all(Rb *rb, const IrBlk *order, uint32_t cnt)
{
  IrFunc *fn = rb->n->fn;
  for (uint32_t k = 0; k < cnt; k++) {
    IrBlock *bk = &fn->blocks[order[k]];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *v = &fn->vals[bk->insts[i]];
      if (hoistable(v)) continue;
      for (uint32_t a = 0; a < v->nargs; a++) hoist(rb, v->args[a], v->line);
      for (uint32_t s = 0; s < v->nsucc; s++)
        for (uint32_t a = 0; a < v->succ[s].nargs; a++) hoist(rb, v->succ[s].args[a], v->line);
    }
  }
}

static int64_t paramkey(IrFunc *fn, IrRef p) { return fn->vals[p].aux.v.i; }

/* New block for old block 'b', with its parameters in variable order. */
static void newblock(Rb *rb, IrBlk b)
{
  IrFunc *fn = rb->n->fn;
  IrBlock *bk = &fn->blocks[b];
  IrBlk nb = b == 0 ? 0 : ir_block_new(rb->nf);
  rb->newblk[b] = nb + 1;
  uint32_t *perm = ir_alloc(fn->ctx, (bk->nparams + 1) * sizeof *perm);
  for (uint32_t i = 0; i < bk->nparams; i++) {  /* insertion sort by variable; entry keeps order */
    uint32_t j = i;
    while (b != 0 && j > 0 && paramkey(fn, bk->params[perm[j - 1]]) > paramkey(fn, bk->params[i])) {
      perm[j] = perm[j - 1];
      j--;
    }
    perm[j] = i;
  }
  rb->perm[b] = perm;
  for (uint32_t j = 0; j < bk->nparams; j++)
    rb->newval[bk->params[perm[j]]] = ir_block_param(rb->nf, nb, IRT_ANY);
}

static IrRef get(Rb *rb, IrRef r, int32_t line)
{
  if (!rb->newval[r]) ir_error(rb->nf->ctx, EM_ERR_BADCODE, line, "value used before its definition");
  return rb->newval[r];
}

/* Copy successor 's' with the target's parameter permutation applied. */
static IrSucc newsucc(Rb *rb, const IrSucc *s, int32_t line)
{
  const uint32_t *perm = rb->perm[s->blk];
  IrRef *a = ir_alloc(rb->nf->ctx, (s->nargs + 1) * sizeof *a);
  for (uint32_t j = 0; j < s->nargs; j++) a[j] = get(rb, s->args[perm[j]], line);
  return (IrSucc){rb->newblk[s->blk] - 1, s->nargs, a};
}

static void copyinst(Rb *rb, IrBlk nb, IrRef r)
{
  const IrVal *v = &rb->n->fn->vals[r];
  if (hoistable(v)) return;
  IrRef *a = ir_alloc(rb->nf->ctx, (v->nargs + 1) * sizeof *a);
  for (uint32_t i = 0; i < v->nargs; i++) a[i] = get(rb, v->args[i], v->line);
  IrRef nv = ir_emit(rb->nf, nb, (IrOp)v->op, v->type, a, v->nargs, v->line);
  IrVal *w = &rb->nf->vals[nv];
  w->aux = v->aux;
  if (v->nsucc) {
    w->nsucc = v->nsucc;
    w->succ = ir_alloc(rb->nf->ctx, v->nsucc * sizeof *w->succ);
    for (uint32_t s = 0; s < v->nsucc; s++) w->succ[s] = newsucc(rb, &v->succ[s], v->line);
  }
  rb->newval[r] = nv;
}

/* Reverse postorder from the entry, visiting a cbr's true side last so that
 * it comes first in the order; returns the count. */
static uint32_t rpo(IrFunc *fn, IrBlk *out)
{
  IrCtx *ctx = fn->ctx;
  uint8_t *seen = ir_alloc(ctx, fn->nblocks + 1);
  IrBlk *stack = ir_alloc(ctx, (fn->nblocks + 1) * sizeof *stack);
  uint32_t *next = ir_alloc(ctx, (fn->nblocks + 1) * sizeof *next);
  uint32_t sp = 0, k = fn->nblocks;
  stack[sp++] = 0;
  seen[0] = 1;
  while (sp) {
    IrBlk b = stack[sp - 1];
    IrRef t = ir_block_term(fn, b);
    uint32_t ns = t ? fn->vals[t].nsucc : 0;
    if (next[b] < ns) {
      IrBlk s = fn->vals[t].succ[ns - 1 - next[b]++].blk;
      if (!seen[s] && !fn->blocks[s].dead) { seen[s] = 1; stack[sp++] = s; }
      continue;
    }
    out[--k] = b;
    sp--;
  }
  uint32_t cnt = fn->nblocks - k;
  memmove(out, out + k, cnt * sizeof *out);
  return cnt;
}

static IrFunc *rebuild(Nf *n)
{
  IrFunc *fn = n->fn;
  IrCtx *ctx = fn->ctx;
  IrBlk *order = ir_alloc(ctx, (fn->nblocks + 1) * sizeof *order);
  uint32_t cnt = rpo(fn, order);
  Rb rb = {n, ir_func_new(ctx, fn->name, fn->file, fn->firstline)};
  rb.newblk = ir_alloc(ctx, (fn->nblocks + 1) * sizeof *rb.newblk);
  rb.newval = ir_alloc(ctx, (fn->nvals + 1) * sizeof *rb.newval);
  rb.perm = ir_alloc(ctx, (fn->nblocks + 1) * sizeof *rb.perm);
  rb.hoisted = ir_alloc(ctx, (fn->nvals + 1) * sizeof *rb.hoisted);
  ir_block_new(rb.nf);
  for (uint32_t k = 0; k < cnt; k++) newblock(&rb, order[k]);
  hoist_all(&rb, order, cnt);
  for (uint32_t k = 0; k < cnt; k++) {
    IrBlock *bk = &fn->blocks[order[k]];
    for (uint32_t i = 0; i < bk->ninsts; i++) copyinst(&rb, rb.newblk[order[k]] - 1, bk->insts[i]);
  }
  for (IrBlk b = 0; b < rb.nf->nblocks; b++) {
    IrBlock *bk = &rb.nf->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++)
      if (bk->ninsts && rb.nf->vals[bk->insts[i]].line > 0) { bk->line = rb.nf->vals[bk->insts[i]].line; break; }
  }
  return rb.nf;
}

/* Move every constant and global reference to the entry block, so that
 * blocks holding only a branch look empty to the rules. */
static void hoist_early(Nf *n)
{
  IrFunc *fn = n->fn;
  IrRef *moved = ir_alloc(fn->ctx, (fn->nvals + 1) * sizeof *moved);
  uint32_t nm = 0;
  IR_FOREACH_BLOCK(fn, b) {
    if (b == 0) continue;
    IrBlock *bk = BK(n, b);
    uint32_t keep = 0;
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *v = V(n, bk->insts[i]);
      if (hoistable(v)) { moved[nm++] = bk->insts[i]; v->blk = 0; }
      else bk->insts[keep++] = bk->insts[i];
    }
    bk->ninsts = keep;
  }
  IrBlock *eb = BK(n, 0);
  IrRef *insts = ir_alloc(fn->ctx, (nm + eb->ninsts + 1) * sizeof *insts);
  memcpy(insts, moved, nm * sizeof *insts);
  memcpy(insts + nm, eb->insts, eb->ninsts * sizeof *insts);
  eb->insts = insts;
  eb->ninsts = eb->cap = nm + eb->ninsts;
}

IrFunc *fe_normalize(IrFunc *fn)
{
  Nf n = {fn};
  hoist_early(&n);
  n.nuse = ir_alloc(fn->ctx, (fn->nvals + 1) * sizeof *n.nuse);
  n.map = ir_alloc(fn->ctx, (fn->nvals + 1) * sizeof *n.map);
  simplify(&n);
  return rebuild(&n);
}
