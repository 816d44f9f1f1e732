/* passes/lower.c: array subscripts and iteration become the array primitives.
 *
 * After infer, subscripts are still whole operations: `getitem a, idx`,
 * `setitem a, idx, v`, `getiter a`, and zip/enumerate iterators (a tuple
 * of iterators typed iter<(items), (iterators)>).  This pass expands them
 * into what the LLVM lowering knows: ashape, astride, bounds, aload,
 * astore, aview, guard and i64 arithmetic on byte offsets.
 *
 * Order of work: blocks in reverse postorder (a getiter is expanded before
 * the iternexts it dominates), each instruction in order; new instructions
 * go before the one expanded, which then becomes the result (or a nop).
 * Element access of `a[i, j]`: each int index is checked against its axis
 * (`bounds`: negative wraps once, outside raises IndexError with NumPy's
 * message; with boundscheck off only the wrap), and the byte offset is
 * sum(i_k * stride_k) in i64.  Strides of C and F arrays are computed from
 * the shapes (so LLVM sees the unit stride and vectorizes); A arrays load
 * theirs.  Slices follow PySlice_AdjustIndices: start and stop clamped,
 * the length computed, step 0 a ValueError; a constant step picks one
 * branch at compile time.  A None index (np.newaxis) adds an axis of
 * extent 1 and stride 0.  `for x in a` iterates range(len(a)) and loads
 * a[i] unchecked; zip/enumerate iterate their parts in step.  `for x in l`
 * of a list stays an iterator (targets/llvm/list.c reads the length at each
 * step, as CPython's list iterator does, so items appended are iterated); a dict
 * (or a view) is packed first (DPACK), then its entries are DKEY/DVAL.
 * `a[...] = v` where the target is a view stores into every element of it
 * (v a scalar, or an array of the view's shape, checked): a loop nest.
 *
 * Expects: infer's typed IR.  Leaves: no getitem/setitem/slice on arrays,
 * no getiter/iterhas/iternext on arrays or zip iterators; typed, verified.
 */
#include <string.h>

#include "passes.h"

typedef struct {
  IrFunc *fn;
  IrCtx *ctx;
  IrBlk blk;             /* insertion point: before position 'pos' of 'blk' */
  uint32_t pos;
  int32_t line;
  IrRef *arr_of;         /* iterator value -> the array it iterates (0 if none) */
  uint8_t *zip;          /* iterator value -> 1 for a zip/enumerate tuple */
  uint32_t nold;         /* values that existed before the pass */
  bool check;            /* bounds checks on */
} Lo;

static const IrTypeInfo *info(Lo *L, IrType t) { return ir_type_info(L->ctx, t); }
static IrKind kindof(Lo *L, IrType t) { return info(L, t)->kind; }
static IrType tyof(Lo *L, IrRef r) { return ir_val(L->fn, r)->type; }

/* -- Emitting ---------------------------------------------------------------- */

static IrRef ins(Lo *L, IrOp op, IrType t, const IrRef *a, uint32_t n)
{
  return ir_insert(L->fn, L->blk, L->pos++, op, t, a, n, L->line);
}

static IrRef ins1(Lo *L, IrOp op, IrType t, IrRef a) { return ins(L, op, t, &a, 1); }

static IrRef ins2(Lo *L, IrOp op, IrType t, IrRef a, IrRef b)
{
  IrRef p[2] = {a, b};
  return ins(L, op, t, p, 2);
}

static IrRef konst(Lo *L, IrType t, int64_t v)
{
  IrRef r = ins(L, IR_CONST, t, NULL, 0);
  ir_val(L->fn, r)->aux.v.i = v;
  return r;
}

static IrRef withaux(Lo *L, IrRef r, int64_t k)
{
  ir_val(L->fn, r)->aux.v.i = k;
  return r;
}

static IrRef to64(Lo *L, IrRef r) { return tyof(L, r) == IRT_I64 ? r : ins1(L, IR_CVT, IRT_I64, r); }
static IrRef toint(Lo *L, IrRef r) { return tyof(L, r) == IRT_INT ? r : ins1(L, IR_CVT, IRT_INT, r); }
/* a + b in i64; adding the constant 0 (an offset's start) is a no-op. */
static IrRef add64(Lo *L, IrRef a, IrRef b)
{
  IrVal *x = ir_val(L->fn, a);
  if (x->op == IR_CONST && x->aux.v.i == 0) return b;
  return ins2(L, IR_ADD, IRT_I64, a, b);
}
static IrRef sub64(Lo *L, IrRef a, IrRef b) { return ins2(L, IR_SUB, IRT_I64, a, b); }
static IrRef mul64(Lo *L, IrRef a, IrRef b) { return ins2(L, IR_MUL, IRT_I64, a, b); }
static IrRef lt64(Lo *L, IrRef a, IrRef b) { return ins2(L, IR_LT, IRT_BOOL, a, b); }

static IrRef sel(Lo *L, IrRef c, IrRef a, IrRef b)
{
  IrRef p[3] = {c, a, b};
  return ins(L, IR_SELECT, tyof(L, a), p, 3);
}

static IrRef max64(Lo *L, IrRef a, IrRef b) { return sel(L, lt64(L, a, b), b, a); }
static IrRef min64(Lo *L, IrRef a, IrRef b) { return sel(L, lt64(L, b, a), b, a); }

static void guard(Lo *L, IrRef bad, IrRtErr kind)
{
  withaux(L, ins1(L, IR_GUARD, IRT_VOID, bad), kind);
}

/* -- Shapes, strides, indices -------------------------------------------------- */

static IrRef shape(Lo *L, IrRef a, int k) { return withaux(L, ins1(L, IR_ASHAPE, IRT_INT, a), k); }

/* Stride of axis 'k' of 'a' (i64): computed from the shapes for C and F layouts. */
static IrRef stride(Lo *L, IrRef a, int k)
{
  const IrTypeInfo *ai = info(L, tyof(L, a));
  if (ai->layout == 'A') return withaux(L, ins1(L, IR_ASTRIDE, IRT_I64, a), k);
  IrRef s = konst(L, IRT_I64, ir_type_size(L->ctx, ai->elem[0]));
  if (ai->layout == 'C')
    for (int m = ai->ndim - 1; m > k; m--) s = mul64(L, s, to64(L, shape(L, a, m)));
  else
    for (int m = 0; m < k; m++) s = mul64(L, s, to64(L, shape(L, a, m)));
  return s;
}

static bool const_int(Lo *L, IrRef r, int64_t *v);

/* Is int 'j' known to be >= 0: a constant, or the item of a range with a
 * constant start >= 0 and step > 0 (`for i in range(n)`)? */
static bool nonneg(Lo *L, IrRef j)
{
  IrFunc *fn = L->fn;
  IrVal *x = ir_val(fn, j);
  int64_t k;
  if (x->op == IR_CONST) return const_int(L, j, &k) && k >= 0;
  if (x->op != IR_ITERNEXT || ir_val(fn, x->args[0])->op != IR_GETITER) return false;
  IrVal *r = ir_val(fn, ir_val(fn, x->args[0])->args[0]);
  int64_t start, step;
  return r->op == IR_RANGE && const_int(L, r->args[0], &start) && start >= 0
      && const_int(L, r->args[2], &step) && step > 0;
}

/* Int index 'j' of axis 'k' (size 'n') made non-negative: checked, or only wrapped. */
static IrRef norm_index(Lo *L, IrRef j, IrRef n, int k)
{
  if (L->check) return withaux(L, ins2(L, IR_BOUNDS, IRT_INT, j, n), k);
  if (nonneg(L, j)) return to64(L, j);   /* nothing to wrap: loops vectorize without a select */
  IrRef j64 = to64(L, j);
  return sel(L, lt64(L, j64, konst(L, IRT_I64, 0)), add64(L, j64, to64(L, n)), j64);
}

/* The parts of index 'idx': its tuple elements, or itself; count returned. */
static uint32_t parts_of(Lo *L, IrRef idx, IrRef *out)
{
  IrVal *x = ir_val(L->fn, idx);
  const IrTypeInfo *ti = info(L, x->type);
  if (ti->kind != IRK_TUPLE) { out[0] = idx; return 1; }
  for (uint32_t k = 0; k < ti->nelem; k++)
    out[k] = x->op == IR_TUPLE ? x->args[k] : withaux(L, ins1(L, IR_EXTRACT, ti->elem[k], idx), k);
  return ti->nelem;
}

/* Is the value of 'r' a constant of an integer type, with value in '*v'? */
static bool const_int(Lo *L, IrRef r, int64_t *v)
{
  IrVal *x = ir_val(L->fn, r);
  IrKind k = kindof(L, x->type);
  if (x->op != IR_CONST || (k != IRK_PYINT && k != IRK_INT && k != IRK_UINT && k != IRK_BOOL)) return false;
  *v = x->aux.v.i;
  return true;
}

/* Clamp 'p' (i64, given) as PySlice_AdjustIndices does for a step of sign 'neg'. */
static IrRef clamp(Lo *L, IrRef p, IrRef n, bool neg)
{
  IrRef zero = konst(L, IRT_I64, 0), lo = neg ? konst(L, IRT_I64, -1) : zero;
  IrRef hi = neg ? sub64(L, n, konst(L, IRT_I64, 1)) : n;
  return sel(L, lt64(L, p, zero), max64(L, add64(L, p, n), lo), min64(L, p, hi));
}

/* start and length of slice 'sl' over an axis of 'n' items, for a step of sign 'neg'. */
static void slice_side(Lo *L, IrVal *sl, IrRef n, IrRef step, bool neg, IrRef *start, IrRef *len)
{
  IrRef one = konst(L, IRT_I64, 1), zero = konst(L, IRT_I64, 0);
  bool has0 = kindof(L, tyof(L, sl->args[0])) != IRK_NONE, has1 = kindof(L, tyof(L, sl->args[1])) != IRK_NONE;
  IrRef b = has0 ? clamp(L, to64(L, sl->args[0]), n, neg) : neg ? sub64(L, n, one) : zero;
  IrRef e = has1 ? clamp(L, to64(L, sl->args[1]), n, neg) : neg ? konst(L, IRT_I64, -1) : n;
  IrRef d = neg ? sub64(L, b, e) : sub64(L, e, b);                    /* items span, if positive */
  IrRef s = neg ? sub64(L, zero, step) : step;
  IrRef q = ins2(L, IR_FLOORDIV, IRT_I64, sub64(L, d, one), s);
  *start = b;
  *len = sel(L, lt64(L, zero, d), add64(L, q, one), zero);
}

/* Slice 'sr' of an axis of 'n' (int) items: start (i64), length (int), step (i64). */
static void slice_indices(Lo *L, IrRef sr, IrRef n, IrRef *start, IrRef *len, IrRef *step)
{
  IrVal *sl = ir_val(L->fn, sr);
  if (sl->op != IR_SLICE) ir_error(L->ctx, EM_ERR_CONSTRUCT, L->line, "slices that are not built where they are used");
  IrRef args[3] = {sl->args[0], sl->args[1], sl->args[2]};
  IrVal s = *sl;
  s.args = args;
  IrRef n64 = to64(L, n);
  int64_t k = 1;
  bool known = kindof(L, tyof(L, args[2])) == IRK_NONE || const_int(L, args[2], &k);
  if (known && k == 0) ir_error(L->ctx, EM_ERR_TYPES, L->line, "slice step cannot be zero");
  *step = kindof(L, tyof(L, args[2])) == IRK_NONE ? konst(L, IRT_I64, 1) : to64(L, args[2]);
  IrRef l64;
  if (known) {
    slice_side(L, &s, n64, *step, k < 0, start, &l64);
  } else {
    guard(L, ins2(L, IR_EQ, IRT_BOOL, *step, konst(L, IRT_I64, 0)), RT_SLICE_STEP);
    IrRef sp, lp, sn, ln;
    slice_side(L, &s, n64, *step, false, &sp, &lp);
    slice_side(L, &s, n64, *step, true, &sn, &ln);
    IrRef neg = lt64(L, *step, konst(L, IRT_I64, 0));
    *start = sel(L, neg, sn, sp);
    l64 = sel(L, neg, ln, lp);
  }
  *len = toint(L, l64);
}

/* Byte offset and view of array 'a' indexed by 'idx': for an element (all
 * axes ints) returns the offset; else fills the view's shapes and strides
 * ('nd' of them).  A none part (np.newaxis) is a new axis of extent 1 and
 * stride 0; each other part takes the array's next axis.  'proven': the int
 * indices are known to be in bounds. */
static IrRef locate(Lo *L, IrRef a, IrRef idx, bool proven, IrRef *shapes, IrRef *strides, int *nd)
{
  const IrTypeInfo *ai = info(L, tyof(L, a));
  IrRef parts[IR_MAXDIM];
  uint32_t np = idx ? parts_of(L, idx, parts) : 0;
  IrRef off = konst(L, IRT_I64, 0);
  *nd = 0;
  int k = 0;   /* the axis of 'a' the next part takes */
  for (uint32_t p = 0; p < np; p++) {
    IrKind pk = kindof(L, tyof(L, parts[p]));
    if (pk == IRK_NONE) {
      shapes[*nd] = konst(L, IRT_INT, 1);
      strides[(*nd)++] = konst(L, IRT_I64, 0);
      continue;
    }
    IrRef n = shape(L, a, k), st = stride(L, a, k);
    if (pk == IRK_PYINT) {
      IrRef j = proven ? parts[p] : norm_index(L, parts[p], n, k);
      off = add64(L, off, mul64(L, to64(L, j), st));
    } else {
      IrRef b, len, step;
      slice_indices(L, parts[p], n, &b, &len, &step);
      off = add64(L, off, mul64(L, b, st));
      shapes[*nd] = len;
      strides[(*nd)++] = mul64(L, st, step);
    }
    k++;
  }
  for (; k < ai->ndim; k++) {   /* the axes not indexed: whole */
    shapes[*nd] = shape(L, a, k);
    strides[(*nd)++] = stride(L, a, k);
  }
  return off;
}

/* 'a' at byte offset 'off' with shapes and strides: the element or the view of type 't'. */
static IrRef at(Lo *L, IrRef a, IrType t, IrRef off, const IrRef *shapes, const IrRef *strides, int nd)
{
  if (kindof(L, t) != IRK_ARRAY) return ins2(L, IR_ALOAD, t, a, off);
  IrRef p[2 + 2 * IR_MAXDIM];
  p[0] = a;
  p[1] = off;
  memcpy(p + 2, shapes, nd * sizeof *p);
  memcpy(p + 2 + nd, strides, nd * sizeof *p);
  return ins(L, IR_AVIEW, t, p, 2 + 2 * (uint32_t)nd);
}

/* -- Blocks ------------------------------------------------------------------- */

/* Move the instructions of the current block from 'pos' on into a new block
 * (which gets the terminator and so the successors); returns it. */
static IrBlk split(Lo *L)
{
  IrFunc *fn = L->fn;
  IrBlk nb = ir_block_new(fn);
  IrBlock *from = &fn->blocks[L->blk], *to = &fn->blocks[nb];
  uint32_t n = from->ninsts - L->pos;
  to->insts = ir_alloc(L->ctx, (n ? n : 1) * sizeof *to->insts);
  to->cap = n ? n : 1;
  memcpy(to->insts, from->insts + L->pos, n * sizeof *to->insts);
  to->ninsts = n;
  to->line = L->line;
  from->ninsts = L->pos;
  for (uint32_t i = 0; i < n; i++) fn->vals[to->insts[i]].blk = nb;
  return nb;
}

/* The shapes of source 'w' and view 'dst' of a store must agree; a source
 * of fewer dimensions broadcasts along the first, an axis of extent 1 along
 * itself.  The guard carries both shapes (w's ndim and extents, then
 * dst's) for NumPy's message, where they fit in EmErr.pay. */
static void check_store(Lo *L, IrRef dst, IrRef w)
{
  int nd = info(L, tyof(L, dst))->ndim, nw = info(L, tyof(L, w))->ndim;
  IrRef bad = konst(L, IRT_BOOL, 0), p[1 + 2 * (1 + IR_MAXDIM)];
  uint32_t n = 1;
  for (int k = 0; k < nw; k++) {
    IrRef ne = ins2(L, IR_NE, IRT_BOOL, shape(L, w, k), shape(L, dst, nd - nw + k));
    IrRef one = ins2(L, IR_NE, IRT_BOOL, shape(L, w, k), konst(L, IRT_INT, 1));
    bad = ins2(L, IR_BOR, IRT_BOOL, bad, ins2(L, IR_BAND, IRT_BOOL, ne, one));
  }
  if (2 + nw + nd <= IR_MAXPAY) {
    p[n++] = konst(L, IRT_I64, nw);
    for (int k = 0; k < nw; k++) p[n++] = to64(L, shape(L, w, k));
    p[n++] = konst(L, IRT_I64, nd);
    for (int k = 0; k < nd; k++) p[n++] = to64(L, shape(L, dst, k));
  }
  p[0] = bad;
  withaux(L, ins(L, IR_GUARD, IRT_VOID, p, n), RT_STORE_SHAPE);
}

/* Store 'w' (scalar, or array of the same shape) into every element of view
 * 'dst' (type array): a loop nest over its axes, innermost last. */
static void store_all(Lo *L, IrRef dst, IrRef w)
{
  IrFunc *fn = L->fn;
  const IrTypeInfo *di = info(L, tyof(L, dst));
  IrType dt = di->elem[0] == IRT_F16 ? IRT_F32 : di->elem[0];   /* float16 values are float32 */
  int nd = di->ndim;
  bool arr = kindof(L, tyof(L, w)) == IRK_ARRAY;
  if (arr) check_store(L, dst, w);
  IrBlk after = split(L);
  IrRef idx[IR_MAXDIM];
  IrBlk exits[IR_MAXDIM], cur = L->blk;
  for (int k = 0; k < nd; k++) {   /* header k: i_k < n_k ? body : exit to header k-1's latch */
    IrBlk head = ir_block_new(fn), body = ir_block_new(fn);
    L->blk = cur;
    L->pos = fn->blocks[cur].ninsts;
    IrRef n = shape(L, dst, k), z = konst(L, IRT_INT, 0);
    ir_br(fn, cur, head, &z, 1, L->line);
    idx[k] = ir_block_param(fn, head, IRT_INT);
    L->blk = head;
    L->pos = 0;
    IrRef c = ins2(L, IR_LT, IRT_BOOL, idx[k], n);
    exits[k] = ir_block_new(fn);
    ir_cbr(fn, head, c, body, NULL, 0, exits[k], NULL, 0, L->line);
    cur = body;
  }
  L->blk = cur;
  L->pos = 0;
  IrRef off = konst(L, IRT_I64, 0);
  for (int k = 0; k < nd; k++) off = add64(L, off, mul64(L, to64(L, idx[k]), stride(L, dst, k)));
  IrRef x = w;
  if (arr) {
    const IrTypeInfo *wi = info(L, tyof(L, w));
    IrRef woff = konst(L, IRT_I64, 0);
    for (int k = 0; k < wi->ndim; k++) {   /* index 0 along a broadcast (size 1) axis */
      IrRef i = idx[nd - wi->ndim + k], one = ins2(L, IR_EQ, IRT_BOOL, shape(L, w, k), konst(L, IRT_INT, 1));
      i = sel(L, one, konst(L, IRT_INT, 0), i);
      woff = add64(L, woff, mul64(L, to64(L, i), stride(L, w, k)));
    }
    IrType wt = wi->elem[0] == IRT_F16 ? IRT_F32 : wi->elem[0];
    x = ins2(L, IR_ALOAD, wt, w, woff);
    if (wt != dt) x = ins1(L, dt == IRT_BOOL ? IR_TRUTH : IR_CVT, dt, x);
  }
  IrRef p[3] = {dst, off, x};
  ins(L, IR_ASTORE, IRT_VOID, p, 3);
  for (int k = nd - 1; k >= 0; k--) {   /* latch of loop k in the innermost block so far */
    IrRef one = konst(L, IRT_INT, 1), nx = ins2(L, IR_ADD, IRT_INT, idx[k], one);
    IrBlk head = fn->vals[idx[k]].blk;
    ir_br(fn, L->blk, head, &nx, 1, L->line);
    L->blk = exits[k];
    L->pos = 0;
  }
  ir_br(fn, L->blk, after, NULL, 0, L->line);
  L->blk = after;
  L->pos = 0;
}

/* -- Expansions --------------------------------------------------------------------- */

static void getitem(Lo *L, IrRef v)
{
  IrVal *x = ir_val(L->fn, v);
  IrRef a = x->args[0], idx = x->args[1];
  IrType t = x->type;
  if (kindof(L, tyof(L, a)) != IRK_ARRAY) { L->pos++; return; }
  IrRef shapes[IR_MAXDIM], strides[IR_MAXDIM];
  int nd;
  IrRef off = locate(L, a, idx, false, shapes, strides, &nd);
  IrRef r = at(L, a, t, off, shapes, strides, nd);
  ir_replace_uses(L->fn, v, r);
  ir_remove(L->fn, v);
}

/* The byte range [lo, hi) the elements of 'a' occupy (i64 addresses). */
static IrRef extent(Lo *L, IrRef a, IrRef *hi)
{
  const IrTypeInfo *ai = info(L, tyof(L, a));
  IrRef lo = ins1(L, IR_ADATA, IRT_I64, a), zero = konst(L, IRT_I64, 0), one = konst(L, IRT_I64, 1);
  *hi = add64(L, lo, konst(L, IRT_I64, ir_type_size(L->ctx, ai->elem[0])));
  for (int k = 0; k < ai->ndim; k++) {
    IrRef span = mul64(L, sub64(L, to64(L, shape(L, a, k)), one), stride(L, a, k));
    lo = add64(L, lo, min64(L, span, zero));
    *hi = add64(L, *hi, max64(L, span, zero));
  }
  return lo;
}

/* Source array 'w' of a store into 'dst', copied first where their memory
 * overlaps (`a[1:] = a[:-1]`), as NumPy does; returns it as an A array. */
static IrRef unalias(Lo *L, IrRef dst, IrRef w)
{
  IrFunc *fn = L->fn;
  const IrTypeInfo *wi = info(L, tyof(L, w));
  IrType at = ir_type_array(L->ctx, wi->elem[0], wi->ndim, 'A', wi->readonly);
  IrRef dhi, whi, dlo = extent(L, dst, &dhi), wlo = extent(L, w, &whi);
  IrRef ov = ins2(L, IR_BAND, IRT_BOOL, lt64(L, wlo, dhi), lt64(L, dlo, whi));
  IrRef wa = ins1(L, IR_CVT, at, w);
  IrBlk after = split(L), copy = ir_block_new(fn), join = ir_block_new(fn);
  ir_cbr(fn, L->blk, ov, copy, NULL, 0, join, &wa, 1, L->line);
  IrRef p = ir_block_param(fn, join, at);
  ir_br(fn, join, after, NULL, 0, L->line);
  L->blk = copy;
  L->pos = 0;
  IrRef dims[IR_MAXDIM];
  for (int k = 0; k < wi->ndim; k++) dims[k] = shape(L, w, k);
  IrRef tmp = ins(L, IR_AALLOC, ir_type_array(L->ctx, wi->elem[0], wi->ndim, 'C', false), dims, wi->ndim);
  store_all(L, tmp, w);
  IrRef ta = ins1(L, IR_CVT, at, tmp);
  ir_br(fn, L->blk, join, &ta, 1, L->line);
  L->blk = join;
  L->pos = 0;
  return p;
}

/* `view[...] = w` of a whole-array expression w (an ew value of at most the
 * view's dimensions) becomes `ew "into.set.<RT>.<RT>.<OT>"(view, w)`: fuse
 * makes one loop that computes w's tree straight into the view (copying first
 * any operand that shares its memory), with no temporary array. */
static bool store_tree(Lo *L, IrRef view, IrRef w)
{
  IrVal *x = ir_val(L->fn, w);
  if (x->op != IR_EW || !strncmp(x->aux.v.s, "into.", 5)) return false;
  const IrTypeInfo *vi = info(L, tyof(L, view)), *wi = info(L, x->type);
  if (wi->kind != IRK_ARRAY || wi->ndim > vi->ndim) return false;
  char name[96];
  const char *rt = pass_np_dtname(wi->elem[0]);
  snprintf(name, sizeof name, "into.set.%s.%s.%s", rt, rt, pass_np_dtname(vi->elem[0]));
  IrRef a[2] = {view, w};
  IrRef e = ins(L, IR_EW, tyof(L, view), a, 2);
  ir_val(L->fn, e)->aux.v.s = ir_strdup(L->ctx, name);
  return true;
}

static void setitem(Lo *L, IrRef v)
{
  IrVal *x = ir_val(L->fn, v);
  IrRef a = x->args[0], idx = x->args[1], w = x->args[2];
  IrRef shapes[IR_MAXDIM], strides[IR_MAXDIM];
  int nd;
  IrRef off = locate(L, a, idx, false, shapes, strides, &nd);
  const IrTypeInfo *ai = info(L, tyof(L, a));
  if (!nd) {
    IrRef p[3] = {a, off, w};
    ins(L, IR_ASTORE, IRT_VOID, p, 3);
    ir_remove(L->fn, v);
    return;
  }
  IrType vt = ir_type_array(L->ctx, ai->elem[0], nd, 'A', false);
  IrRef view = at(L, a, vt, off, shapes, strides, nd);
  ir_remove(L->fn, v);
  IrBlk rest = split(L);   /* the instructions after the store: expanded next, from 'rest' */
  ir_br(L->fn, L->blk, rest, NULL, 0, L->line);
  if (store_tree(L, view, w)) {
    L->blk = rest;
    L->pos = 0;
    return;
  }
  if (kindof(L, tyof(L, w)) == IRK_ARRAY) w = unalias(L, view, w);
  store_all(L, view, w);
  L->blk = rest;
  L->pos = 0;
}

/* getiter of an array: an iterator over range(len(a)); remembered for iternext. */
static void getiter(Lo *L, IrRef v)
{
  IrVal *x = ir_val(L->fn, v);
  IrRef a = x->args[0];
  IrType t = tyof(L, a);
  if (kindof(L, t) == IRK_ITER && L->zip[a]) {   /* iter(zip(...)) is the zip itself */
    ir_replace_uses(L->fn, v, a);
    ir_remove(L->fn, v);
    return;
  }
  IrKind k = kindof(L, t);
  if (k != IRK_ARRAY && k != IRK_DICT) { L->pos++; return; }   /* a list's iterator is targets/llvm/list.c's */
  IrRef z = konst(L, IRT_INT, 0);
  if (k == IRK_DICT) ins1(L, IR_DPACK, IRT_VOID, a);   /* a dict: entries 0..len-1 in order, no gaps */
  IrRef n = k == IRK_DICT ? ins1(L, IR_DLEN, IRT_INT, a) : shape(L, a, 0);   /* a dict: its length now */
  IrRef p[3] = {z, n, konst(L, IRT_INT, 1)};
  IrRef rg = ins(L, IR_RANGE, IRT_RANGE, p, 3);
  L->pos++;   /* past the getiter */
  x = ir_val(L->fn, v);
  x->args[0] = rg;
  x->type = ir_type_iter(L->ctx, IRT_INT, IRT_RANGE);
  L->arr_of[v] = a;
}

/* Has iterator 'it' another item (expanding zip iterators)? */
static IrRef has(Lo *L, IrRef it)
{
  if (it < L->nold && L->zip[it]) {
    IrVal *z = ir_val(L->fn, it);
    IrRef acc = 0;
    for (uint32_t k = 0; k < z->nargs; k++) {
      IrRef h = has(L, z->args[k]);
      acc = acc ? ins2(L, IR_BAND, IRT_BOOL, acc, h) : h;
    }
    return acc;
  }
  IrRef a = it < L->nold ? L->arr_of[it] : 0;
  if (a && kindof(L, tyof(L, a)) == IRK_DICT) {   /* CPython's dict iterator checks the size at each step */
    IrRef n0 = ir_val(L->fn, ir_val(L->fn, it)->args[0])->args[1];
    guard(L, ins2(L, IR_NE, IRT_BOOL, ins1(L, IR_DLEN, IRT_INT, a), n0), RT_DICT_CHANGED);
  }
  return ins1(L, IR_ITERHAS, IRT_BOOL, it);
}

/* The next item of iterator 'it' of item type 't'. */
static IrRef next(Lo *L, IrRef it, IrType t)
{
  if (it < L->nold && L->zip[it]) {
    IrVal *z = ir_val(L->fn, it);
    const IrTypeInfo *ti = info(L, t);
    IrRef e[16];
    for (uint32_t k = 0; k < z->nargs && k < 16; k++) e[k] = next(L, ir_val(L->fn, it)->args[k], ti->elem[k]);
    return ins(L, IR_TUPLE, t, e, z->nargs);
  }
  IrRef a = it < L->nold ? L->arr_of[it] : 0;
  if (!a) return ins1(L, IR_ITERNEXT, t, it);
  IrRef i = ins1(L, IR_ITERNEXT, IRT_INT, it);
  if (kindof(L, tyof(L, a)) == IRK_DICT) {   /* a dict or its keys, values, items (infer_dict.c) */
    int view = info(L, tyof(L, a))->ndim;
    if (view == 2) return ins2(L, IR_DVAL, t, a, i);
    if (view != 3) return ins2(L, IR_DKEY, t, a, i);
    IrRef kv[2] = {ins2(L, IR_DKEY, info(L, t)->elem[0], a, i), ins2(L, IR_DVAL, info(L, t)->elem[1], a, i)};
    return ins(L, IR_TUPLE, t, kv, 2);
  }
  IrRef tup = ins(L, IR_TUPLE, ir_type_tuple(L->ctx, &(IrType){IRT_INT}, 1), &i, 1);
  IrRef shapes[IR_MAXDIM], strides[IR_MAXDIM];
  int nd;
  IrRef off = locate(L, a, tup, true, shapes, strides, &nd);   /* 0 <= i < len(a) */
  return at(L, a, t, off, shapes, strides, nd);
}

static void iterop(Lo *L, IrRef v)
{
  IrVal *x = ir_val(L->fn, v);
  IrRef it = x->args[0];
  bool dict = it < L->nold && L->arr_of[it] && kindof(L, tyof(L, L->arr_of[it])) == IRK_DICT;   /* has() checks its size */
  if (it >= L->nold || (!L->zip[it] && !(L->arr_of[it] && (x->op == IR_ITERNEXT || dict)))) { L->pos++; return; }
  IrRef r = x->op == IR_ITERHAS ? has(L, it) : next(L, it, x->type);
  ir_replace_uses(L->fn, v, r);
  ir_remove(L->fn, v);
}

/* Expand instruction 'v' at the insertion point. */
static void expand(Lo *L, IrRef v)
{
  IrVal *x = ir_val(L->fn, v);
  L->line = x->line;
  switch (x->op) {
  case IR_GETITEM: getitem(L, v); break;
  case IR_SETITEM: setitem(L, v); break;
  case IR_GETITER: getiter(L, v); break;
  case IR_ITERHAS: case IR_ITERNEXT: iterop(L, v); break;
  case IR_TUPLE:
    if (kindof(L, x->type) == IRK_ITER) L->zip[v] = 1;
    L->pos++;
    break;
  default: L->pos++; break;
  }
}

void pass_lower(IrFunc *fn)
{
  IrCtx *ctx = fn->ctx;
  Lo L = {fn, ctx};
  L.nold = fn->nvals;
  L.arr_of = ir_alloc(ctx, fn->nvals * sizeof *L.arr_of);
  L.zip = ir_alloc(ctx, fn->nvals);
  L.check = !pass_options(fn)->noboundscheck;
  IrBlk *rpo = ir_alloc(ctx, (fn->nblocks ? fn->nblocks : 1) * sizeof *rpo);
  uint32_t n = ir_fill_rpo(fn, rpo);
  for (uint32_t k = 0; k < n; k++)   /* an expansion may move on to a new block (L.blk) */
    for (L.blk = rpo[k], L.pos = 0; L.pos < fn->blocks[L.blk].ninsts;) {
      IrRef v = fn->blocks[L.blk].insts[L.pos];
      if (v < L.nold) expand(&L, v);
      else L.pos++;
    }
  for (IrRef v = 1; v < L.nold; v++)   /* the zip tuples are unused now */
    if (L.zip[v] && fn->vals[v].op == IR_TUPLE) ir_remove(fn, v);
  pass_npsem(fn);
}
