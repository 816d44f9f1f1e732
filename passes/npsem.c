/* passes/npsem.c: which float64 and complex128 divisions are NumPy's.
 *
 * Ember's f64 and c128 are both Python's float and complex and NumPy's
 * float64 and complex128 (one type each: np.float64 is a float).  The two
 * differ where Python raises: x / 0.0, x // 0.0, x % 0.0 and 0.0 ** -1 raise
 * ZeroDivisionError on Python floats and give inf or nan (with a warning)
 * on NumPy's.  Which one a value is follows NumPy's scalar rules, so this
 * pass tracks it as the program does: a value is NumPy's when it is
 *   - an element of an array (aload),
 *   - an np.float64 or np.complex128 argument (jit/ marks the parameter),
 *   - a NumPy int or float32 converted to f64 or c128 (np.int64 / np.int64,
 *     np.float32 + 1.0j: NumPy's promotions), or anything converted by
 *     np.float64(x) or np.complex128(x) (a cvt with IR_AUX_NUMPY), or
 *   - the result of arithmetic, abs, min or max with a NumPy operand
 *     (NEP 50: a Python float meeting np.float64 gives np.float64) or a
 *     select of one, or
 *   - a block parameter all of whose inputs are NumPy's.  Where only some
 *     are, which one the program has depends on the path taken: `s = 0.0;
 *     for x in a: s += x` is np.float64 after the first iteration but the
 *     Python float 0.0 when `a` is empty.  Such a parameter gets a bool
 *     companion parameter saying which, and an f64 /, // or % whose
 *     operands are NumPy's only that way raises ZeroDivisionError (a guard
 *     before it) only when the flags say Python's (** stays Python's
 *     there); a complex / there is both quotients, picked by the flags
 *     (cdiv_dynamic: they round differently).
 * math functions, float() and calls give Python floats, but for the library's
 * functions of arrays (infer names them in aux.s: a.sum(), np.dot, np.median;
 * np.random's draws are Python floats).  Each TRUEDIV,
 * FLOORDIV, MOD and POW of f64 or c128 with a NumPy operand gets aux bit
 * IR_AUX_NUMPY; targets/llvm then gives NumPy's inf or nan instead of the
 * exception.  Runs at the end of lower (elements are aloads by then); the
 * division results of Python's and NumPy's floats agree for a nonzero
 * divisor.
 */
#include <assert.h>
#include <string.h>

#include "passes.h"

static bool wide(IrType t) { return t == IRT_F64 || t == IRT_C128; }

/* A NumPy type that promotes to f64/c128 (ints, uints, float32, complex64). */
static bool numpy_scalar(IrCtx *ctx, IrType t)
{
  const IrTypeInfo *i = ir_type_info(ctx, t);
  return i->kind == IRK_INT || i->kind == IRK_UINT || ((i->kind == IRK_FLOAT || i->kind == IRK_COMPLEX) && !wide(t));
}

/* Is operand 'r' NumPy's: marked, or of a NumPy type? */
static bool numpyish(IrFunc *fn, const uint8_t *np, IrRef r)
{
  return np[r] || numpy_scalar(fn->ctx, ir_val(fn, r)->type);
}

/* Is value 'v' NumPy's, given the marks 'np' of the values before it? */
static bool is_numpy(IrFunc *fn, const uint8_t *np, IrRef v)
{
  IrVal *x = ir_val(fn, v);
  if (!wide(x->type)) return false;
  switch ((IrOp)x->op) {
  case IR_ALOAD: return true;
  case IR_PARAM: return x->blk == 0 ? x->aux.v.i == 1 : np[v];   /* a block's: decided by its inputs */
  case IR_CVT:   /* np.float64(x) is NumPy's, float(x) (f64 to f64, infer's b_float) Python's */
    if (x->aux.v.i & IR_AUX_NUMPY) return true;
    return ir_val(fn, x->args[0])->type != x->type && numpyish(fn, np, x->args[0]);
  case IR_CALLFN:   /* a library function of arrays (a.sum(), np.dot): NumPy's np.float64, not np.random's floats */
    return x->aux.s && (!strncmp(x->aux.s, "ndarray.", 8) ||
                        (!strncmp(x->aux.s, "numpy.", 6) && strncmp(x->aux.s, "numpy.random.", 13)));
  case IR_INTRIN:
    if (x->aux.v.i != IN_ABS && x->aux.v.i != IN_MIN && x->aux.v.i != IN_MAX) return false;
    /* fall through */
  case IR_ADD: case IR_SUB: case IR_MUL: case IR_TRUEDIV: case IR_FLOORDIV: case IR_MOD: case IR_POW:
  case IR_NEG: case IR_POS: case IR_SELECT:
    for (uint32_t i = x->op == IR_SELECT; i < x->nargs; i++)   /* not a select's condition */
      if (numpyish(fn, np, x->args[i])) return true;
    return false;
  default: return false;
  }
}

typedef struct {
  IrFunc *fn;
  IrRef nold;       /* values before this pass; flags come after */
  uint8_t *np;      /* NumPy's on every path */
  uint8_t *may;     /* NumPy's on some path */
  IrRef *flag;      /* per block parameter NumPy's on some paths only: its bool companion */
} Np;

/* Marks of every value: the least fixpoint of "a block parameter is NumPy's
 * when an input is" into 'may' (any = true), the greatest of "when all
 * inputs are" into 'np' (any = false). */
static void marks(Np *N, uint8_t *m, bool any, const IrBlk *rpo, uint32_t n)
{
  IrFunc *fn = N->fn;
  uint8_t *in = ir_alloc(fn->ctx, N->nold);
  memset(m, 0, N->nold);
  for (uint32_t a = 0; n && a < ir_blk(fn, rpo[0])->nparams; a++) {   /* the arguments */
    IrRef p = ir_blk(fn, rpo[0])->params[a];
    m[p] = is_numpy(fn, m, p);
  }
  for (uint32_t k = 1; k < n; k++) {
    IrBlock *bk = ir_blk(fn, rpo[k]);
    for (uint32_t a = 0; a < bk->nparams; a++) m[bk->params[a]] = !any && wide(ir_val(fn, bk->params[a])->type);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t k = 0; k < n; k++) {
      IrBlock *bk = ir_blk(fn, rpo[k]);
      for (uint32_t i = 0; i < bk->ninsts; i++) {
        IrRef v = bk->insts[i];
        uint8_t x = is_numpy(fn, m, v);
        changed |= x != m[v];
        m[v] = x;
      }
    }
    for (uint32_t k = 1; k < n; k++) {
      IrBlock *bk = ir_blk(fn, rpo[k]);
      for (uint32_t a = 0; a < bk->nparams; a++) in[bk->params[a]] = !any;
    }
    for (uint32_t k = 0; k < n; k++) {
      IrRef t = ir_block_term(fn, rpo[k]);
      IrVal *x = t ? ir_val(fn, t) : NULL;
      for (uint32_t s = 0; x && s < x->nsucc; s++) {
        IrBlock *to = ir_blk(fn, x->succ[s].blk);
        for (uint32_t a = 0; a < x->succ[s].nargs && a < to->nparams; a++) {
          bool is = numpyish(fn, m, x->succ[s].args[a]);
          if (any ? is : !is) in[to->params[a]] = any;
        }
      }
    }
    for (uint32_t k = 1; k < n; k++) {
      IrBlock *bk = ir_blk(fn, rpo[k]);
      for (uint32_t a = 0; a < bk->nparams; a++) {
        IrRef p = bk->params[a];
        uint8_t x = in[p] && wide(ir_val(fn, p)->type);
        changed |= x != m[p];
        m[p] = x;
      }
    }
  }
}

/* NumPy's on some paths only: its semantics are decided at run time. */
static bool dynamic(Np *N, IrRef r)
{
  return r < N->nold && N->may[r] && !numpyish(N->fn, N->np, r);
}

static IrRef before(Np *N, IrBlk b, IrRef at, IrOp op, IrType t, const IrRef *args, uint32_t nargs, int64_t k)
{
  IrBlock *bk = ir_blk(N->fn, b);
  uint32_t pos = 0;
  while (pos < bk->ninsts && bk->insts[pos] != at) pos++;
  IrRef r = ir_insert(N->fn, b, pos, op, t, args, nargs, ir_val(N->fn, at)->line);
  if (op == IR_CONST || op == IR_GUARD) ir_val(N->fn, r)->aux.v.i = k;
  return r;
}

/* The run-time flag "operand r is NumPy's", made in block b before 'at'. */
static IrRef flag_of(Np *N, IrRef r, IrBlk b, IrRef at)
{
  if (!dynamic(N, r)) return before(N, b, at, IR_CONST, IRT_BOOL, NULL, 0, numpyish(N->fn, N->np, r));
  if (N->flag[r]) return N->flag[r];
  IrRef f = 0;
  IrVal *x = ir_val(N->fn, r);
  uint32_t nargs = x->nargs;
  for (uint32_t i = x->op == IR_SELECT; i < nargs; i++) {
    IrRef o = ir_val(N->fn, r)->args[i];
    if (!dynamic(N, o)) continue;
    IrRef g = flag_of(N, o, b, at);
    IrRef two[2] = {f, g};
    f = f ? before(N, b, at, IR_BOR, IRT_BOOL, two, 2, 0) : g;
  }
  return f ? f : before(N, b, at, IR_CONST, IRT_BOOL, NULL, 0, 0);
}

/* Give every block parameter that is NumPy's on some paths only a bool
 * parameter saying which, passed along every edge into its block. */
static void make_flags(Np *N)
{
  IrFunc *fn = N->fn;
  N->flag = ir_alloc(fn->ctx, N->nold * sizeof *N->flag);
  memset(N->flag, 0, N->nold * sizeof *N->flag);
  uint32_t nb = fn->nblocks;
  uint32_t *nold = ir_alloc(fn->ctx, (nb ? nb : 1) * sizeof *nold);
  for (IrBlk b = 0; b < nb; b++) {   /* first every companion: an edge may pass another block's */
    nold[b] = ir_blk(fn, b)->nparams;
    for (uint32_t a = 0; b && a < nold[b]; a++) {
      IrRef p = ir_blk(fn, b)->params[a];
      if (dynamic(N, p)) N->flag[p] = ir_block_param(fn, b, IRT_BOOL);
    }
  }
  for (IrBlk pb = 0; pb < nb; pb++) {
    IrRef t = ir_block_term(fn, pb);
    for (uint32_t s = 0; t && s < ir_val(fn, t)->nsucc; s++) {
      IrBlk b = ir_val(fn, t)->succ[s].blk;
      for (uint32_t a = 0; a < nold[b]; a++) {   /* in the order the companions were added */
        IrRef p = ir_blk(fn, b)->params[a];
        if (!N->flag[p]) continue;
        IrRef arg = ir_val(fn, t)->succ[s].args[a];
        ir_succ_addarg(fn, t, s, flag_of(N, arg, pb, t));
      }
    }
  }
}

/* Complex 'v' = a / b whose operands are NumPy's on some paths only: NumPy's
 * quotient (a product with 1 / denom) and Python's (a division by denom) round
 * differently, so both are made and the flag picks one; a zero divisor raises
 * only where the operands are Python's (Python's quotient then divides by 1). */
static void cdiv_dynamic(Np *N, IrRef v)
{
  IrFunc *fn = N->fn;
  IrBlk b = ir_val(fn, v)->blk;
  IrRef a = ir_val(fn, v)->args[0], d = ir_val(fn, v)->args[1];
  IrRef f = flag_of(N, v, b, v);
  IrRef zero = before(N, b, v, IR_CONST, IRT_C128, NULL, 0, 0), one = before(N, b, v, IR_CONST, IRT_C128, NULL, 0, 0);
  ir_val(fn, zero)->aux.v.c[0] = ir_val(fn, zero)->aux.v.c[1] = 0.0;
  ir_val(fn, one)->aux.v.c[0] = 1.0;
  ir_val(fn, one)->aux.v.c[1] = 0.0;
  IrRef z = before(N, b, v, IR_EQ, IRT_BOOL, (IrRef[]){d, zero}, 2, 0);
  IrRef py = before(N, b, v, IR_NOT, IRT_BOOL, &f, 1, 0);
  IrRef c = before(N, b, v, IR_BAND, IRT_BOOL, (IrRef[]){z, py}, 2, 0);
  before(N, b, v, IR_GUARD, IRT_VOID, &c, 1, RT_ZERODIV_CPLX);
  IrRef safe = before(N, b, v, IR_SELECT, IRT_C128, (IrRef[]){z, one, d}, 3, 0);
  IrRef q = before(N, b, v, IR_TRUEDIV, IRT_C128, (IrRef[]){a, safe}, 2, 0);   /* Python's */
  IrRef sel = before(N, b, v, IR_SELECT, IRT_C128, (IrRef[]){f, q, q}, 3, 0);
  IrBlock *bk = ir_blk(fn, b);   /* the select was put just before v: v goes first */
  uint32_t i = 0;
  while (bk->insts[i] != sel) i++;
  assert(bk->insts[i + 1] == v);
  bk->insts[i] = v;
  bk->insts[i + 1] = sel;
  ir_replace_uses(fn, v, sel);
  ir_val(fn, sel)->args[1] = v;
  ir_val(fn, v)->aux.v.i |= IR_AUX_NUMPY;
}

void pass_npsem(IrFunc *fn)
{
  Np N = {fn, fn->nvals};
  N.np = ir_alloc(fn->ctx, N.nold ? N.nold : 1);
  N.may = ir_alloc(fn->ctx, N.nold ? N.nold : 1);
  IrBlk *rpo = ir_alloc(fn->ctx, (fn->nblocks ? fn->nblocks : 1) * sizeof *rpo);
  uint32_t n = ir_fill_rpo(fn, rpo);
  marks(&N, N.np, false, rpo, n);
  marks(&N, N.may, true, rpo, n);
  bool dyn = false;
  for (IrRef v = 1; v < N.nold; v++) dyn |= dynamic(&N, v);
  if (dyn) make_flags(&N);
  for (IrRef v = 1; v < N.nold; v++) {
    IrVal *x = ir_val(fn, v);
    if ((x->op != IR_TRUEDIV && x->op != IR_FLOORDIV && x->op != IR_MOD && x->op != IR_POW) || !wide(x->type)) continue;
    bool stat = false, some = false;
    for (uint32_t i = 0; i < x->nargs; i++) {
      stat |= numpyish(fn, N.np, x->args[i]);
      some |= dynamic(&N, x->args[i]);
    }
    if (stat) { x->aux.v.i |= IR_AUX_NUMPY; continue; }
    if (some && x->type == IRT_C128 && x->op == IR_TRUEDIV) { cdiv_dynamic(&N, v); continue; }
    if (!some || x->type != IRT_F64 || x->op == IR_POW) continue;   /* ** and complex's //, %: Python's */
    /* NumPy's on some paths: the zero divisor raises only where the operands are Python's */
    IrBlk b = x->blk;
    IrRef f = flag_of(&N, v, b, v);   /* v is NumPy's on some paths only, as its operands */
    IrRef zero = before(&N, b, v, IR_CONST, IRT_F64, NULL, 0, 0);
    ir_val(fn, zero)->aux.v.f = 0.0;
    IrRef eqa[2] = {ir_val(fn, v)->args[1], zero};
    IrRef z = before(&N, b, v, IR_EQ, IRT_BOOL, eqa, 2, 0);
    IrRef py = before(&N, b, v, IR_NOT, IRT_BOOL, &f, 1, 0);
    IrRef both[2] = {z, py};
    IrRef c = before(&N, b, v, IR_BAND, IRT_BOOL, both, 2, 0);
    IrOp op = (IrOp)ir_val(fn, v)->op;
    before(&N, b, v, IR_GUARD, IRT_VOID, &c, 1,
           op == IR_TRUEDIV ? RT_ZERODIV_TRUE : op == IR_FLOORDIV ? RT_ZERODIV_FLOOR : RT_ZERODIV_MOD);
    ir_val(fn, v)->aux.v.i |= IR_AUX_NUMPY;
  }
}
