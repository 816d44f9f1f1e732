/* passes/infer.c: type inference, builtin resolution, call binding and purity.
 *
 * Two stages over the same per-op handlers (`visit` and the ones it calls):
 *   1. Analysis: a sparse conditional fixed point.  Blocks are visited in
 *      reverse postorder, repeatedly, until no type, truth or reachability
 *      changes.  Only reachable blocks are visited; a CBR whose condition's
 *      truth is known from types (`x is None` with x of type none, `not ()`,
 *      a constant) makes one successor reachable.  A block parameter's type
 *      is the join of its arguments' types over reachable edges: numbers on
 *      the tower bool < int < f64 < c128, tuples elementwise; anything else
 *      (None with a number) is a TypingError; NumPy scalars join by NEP 50,
 *      and a Python float (PY_WEAK: constants, Python float arguments and
 *      arithmetic on them; Python complex constants and arguments) with
 *      np.float32 or np.complex64 is NEP 50's np.float32 or np.complex64
 *      (join_py), as `s = 0.0; s += a32[i]` is in NumPy 2; a return joins
 *      likewise.
 *      Types only grow (a Python float below np.float32 below np.float64),
 *      so the iteration ends.  A call of a compiled function asks the host
 *      (call_sig); a recursive call (call_sig returns 1) has the function's
 *      own return type so far, and the analysis repeats until that type is
 *      stable.
 *   2. Rewrite (I->rw): every reachable instruction is rewritten to the typed
 *      contract of COMMON.md: CVT on mixed operands and branch arguments,
 *      TRUTH before NOT and CBR, IS folded to constants, math attributes and
 *      builtins resolved to typed ops and INTRIN, CALL of a compiled function
 *      bound to CALLFN.  New instructions go before the current one (I->blk,
 *      I->pos).  Unreachable blocks die; a CBR on a known condition becomes BR.
 *      Comparisons: operands of one type, except int against f64, which stays
 *      mixed (exact in the lowering and fold, as CPython compares); int ==
 *      complex becomes real == int and imag == 0.0; tuples become elementwise
 *      comparisons combined by band/not/select (CPython's tuplerichcompare).
 * Handlers compute the result type from their operands' types (T) and never
 * change the IR unless I->rw is set.
 *
 * Expects: the frontend's IR (values `any` except constants; block 0's
 * parameters carry the argument types; `const undef` (type any) marks an
 * unassigned variable).  Leaves: every value of a live block typed; the
 * compile-time values (modref, builtin, funcref, attr of a number's method)
 * typed module or func and unused, for dce; fn->ret and fn->pure set.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "passes.h"
#include "infer.h"

#define MAXPARAMS 256

/* One call site's binding and last host answer. */
typedef struct {
  bool bound;
  uint32_t nparams;
  int32_t map[MAXPARAMS];       /* argument index, or -1 for defs[i] */
  IrDefault defs[MAXPARAMS];
  uint32_t n;                   /* argument types of the last call_sig query */
  IrType args[MAXPARAMS];
  uint64_t strong;              /* and its np.float64 arguments (IrCtx.callstrong) */
  int rc;
  IrType ret;
  const char *sym;
  bool pure;
} Call;

struct In {
  IrFunc *fn;
  IrCtx *ctx;
  uint32_t nty;                 /* values that existed before the rewrite */
  IrType *ty;                   /* lattice type per value; IRT_VOID = not known yet */
  int8_t *kc;                   /* known truth per value: -1 unknown, 0, 1 */
  uint8_t *py;                  /* per value: PY_WEAK, PY_UNION (Python floats under NEP 50) */
  uint8_t *reach;               /* per block */
  IrBlk *rpo;
  uint32_t nrpo;
  Call **calls;                 /* per CALL value of a compiled function */
  InList *lists;                /* infer_list.c: classes of list values */
  InDict *dicts;                /* infer_dict.c: classes of dict values */
  bool changed, rw, recursive, impure, removed;
  int8_t kcv;                   /* truth of the value being visited */
  IrType ret, selfret;
  uint8_t retpy;                /* PY_* flags of the return value */
  IrBlk blk;                    /* rw: block and position of the current instruction */
  uint32_t pos;
  char name[96];                /* callee_name's buffer */
};

#define RW (I->rw)

enum {
  PY_WEAK = 1,    /* an f64 that is a Python float (weak), not an np.float64 */
  PY_UNION = 2,   /* an f32 or c64 block parameter joined from a Python float or complex (check_union) */
  PY_NONZERO = 4, /* such a parameter that a Python float other than 0.0 flows into */
};

static const IrType tower[4] = {IRT_BOOL, IRT_INT, IRT_F64, IRT_C128};

/* Position of 't' on the numeric tower, or -1. */
static int rank(IrType t)
{
  switch (t) {
  case IRT_BOOL: return 0;
  case IRT_INT: return 1;
  case IRT_F64: return 2;
  case IRT_C128: return 3;
  default: return -1;
  }
}

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

static IrKind kind(In *I, IrType t) { return ir_type_info(I->ctx, t)->kind; }

/* Lattice type of 'r' (new values carry their final type). */
static IrType T(In *I, IrRef r) { return r < I->nty ? I->ty[r] : I->fn->vals[r].type; }

/* The Python name of type 't', for messages. */
static const char *pyname(In *I, IrType t)
{
  switch (kind(I, t)) {
  case IRK_BOOL: return "bool";
  case IRK_PYINT: return "int";
  case IRK_FLOAT: return "float";
  case IRK_COMPLEX: return "complex";
  case IRK_NONE: return "NoneType";
  case IRK_TUPLE: return "tuple";
  case IRK_RANGE: return "range";
  case IRK_ITER: return "range_iterator";
  case IRK_MODULE: return "module";
  case IRK_FUNC: return "function";
  case IRK_ARRAY: return "numpy.ndarray";
  case IRK_LIST: return "list";
  case IRK_DICT: return "dict";
  case IRK_STR: return "str (a literal: one text per variable)";
  default: return "object";
  }
}

static const char *opsym(IrOp op)
{
  switch (op) {
  case IR_ADD: case IR_POS: return "+";
  case IR_SUB: case IR_NEG: return "-";
  case IR_MUL: return "*";
  case IR_TRUEDIV: return "/";
  case IR_FLOORDIV: return "//";
  case IR_MOD: return "%";
  case IR_POW: return "** or pow()";
  case IR_MATMUL: return "@";
  case IR_LSHIFT: return "<<";
  case IR_RSHIFT: return ">>";
  case IR_BAND: return "&";
  case IR_BOR: return "|";
  case IR_BXOR: return "^";
  case IR_INVERT: return "~";
  case IR_EQ: return "==";
  case IR_NE: return "!=";
  case IR_LT: return "<";
  case IR_LE: return "<=";
  case IR_GT: return ">";
  case IR_GE: return ">=";
  default: return ir_opinfo[op].text;
  }
}

#define TERR(line, ...) ir_errorf(I->ctx, EM_ERR_TYPES, (line), __VA_ARGS__)

/* -- Lattice -------------------------------------------------------------- */

/* Join of 'a' and 'b' where 'what' ("a variable") meets at 'line'. */
static IrType join(In *I, IrType a, IrType b, int32_t line, const char *what)
{
  if (!a || a == b) return b;
  if (!b) return a;
  int ra = rank(a), rb = rank(b);
  if (ra >= 0 && rb >= 0) return tower[imax(ra, rb)];
  IrType j = infer_array_join(I, a, b);           /* NumPy scalars: NEP 50 */
  if (j) return j;
  const IrTypeInfo *ia = ir_type_info(I->ctx, a), *ib = ir_type_info(I->ctx, b);
  if (ia->kind == IRK_DICT && ib->kind == IRK_DICT && ia->ndim == ib->ndim)   /* infer_dict.c keeps them equal */
    return ir_type_dict(I->ctx, join(I, ia->elem[0], ib->elem[0], line, "a key of a dict"),
                        join(I, ia->elem[1], ib->elem[1], line, "a value of a dict"), ia->ndim);
  if (ia->kind == IRK_LIST && ib->kind == IRK_LIST)   /* infer_list.c keeps them equal */
    return ir_type_list(I->ctx, join(I, ia->elem[0], ib->elem[0], line, "an item of a list"));
  if (ia->kind == IRK_TUPLE && ib->kind == IRK_TUPLE && ia->nelem == ib->nelem) {
    uint16_t n = ia->nelem;
    const IrType *ea = ia->elem, *eb = ib->elem;  /* element arrays never move */
    IrType *e = ir_alloc(I->ctx, (n ? n : 1) * sizeof *e);
    for (uint16_t k = 0; k < n; k++) e[k] = join(I, ea[k], eb[k], line, what);
    return ir_type_tuple(I->ctx, e, n);
  }
  TERR(line, "%s is %s on one path and %s on another (Ember needs one type per variable)",
       what, pyname(I, a), pyname(I, b));
}

/* Known truth of 'r' from its type or the analysis, or -1. */
static int8_t truthk(In *I, IrRef r)
{
  IrType t = T(I, r);
  if (!t) return -1;
  switch (kind(I, t)) {
  case IRK_NONE: return 0;
  case IRK_TUPLE: return ir_type_info(I->ctx, t)->nelem > 0;
  case IRK_FUNC: case IRK_MODULE: return 1;
  default: return r < I->nty ? I->kc[r] : -1;
  }
}

static bool is_undef(In *I, IrRef r)
{
  IrVal *x = ir_val(I->fn, r);
  return x->op == IR_CONST && x->type == IRT_ANY;
}

/* Is 'r' a Python float or complex (weak under NEP 50) rather than an
 * np.float64 or np.complex128?  Constants and Python float arguments are; a
 * block parameter or Python float arithmetic is when all that flows into it is. */
static bool weakf(In *I, IrRef r)
{
  if (T(I, r) != IRT_F64 && T(I, r) != IRT_C128) return false;
  IrVal *x = ir_val(I->fn, r);
  if (x->op == IR_CONST) return true;
  if (x->op == IR_ATTR && ir_val(I->fn, x->args[0])->op == IR_MODREF) return true;   /* math.nan, np.pi: constants in rw */
  if (x->op == IR_PARAM && x->blk == 0) return !x->aux.v.i;
  IrVal *t = x->nargs ? ir_val(I->fn, x->args[0]) : NULL;
  if (t && t->op == IR_TUPLE && (x->op == IR_EXTRACT || x->op == IR_GETITEM)) {   /* t[0], u, v = t: the item's */
    IrVal *k = x->op == IR_GETITEM && x->nargs == 2 ? ir_val(I->fn, x->args[1]) : NULL;
    int64_t i = x->op == IR_EXTRACT ? x->aux.v.i : k && k->op == IR_CONST && k->type == IRT_INT ? k->aux.v.i : -INT64_MAX;
    if (i < 0) i += t->nargs;
    if (i >= 0 && i < t->nargs) return weakf(I, t->args[i]);
  }
  return r < I->nty && (I->py[r] & PY_WEAK);
}

/* Set or clear flag 'f' of value 'v' (the analysis goes on while one changes). */
static void set_py(In *I, IrRef v, uint8_t f, bool on)
{
  uint8_t old = I->py[v], now = on ? old | f : old & ~f;
  if (now != old) I->py[v] = now, I->changed = true;
}

/* -- Rewriting helpers ------------------------------------------------------ */

/* Insert 'op' before the current instruction; returns the new value. */
static IrRef before(In *I, IrOp op, IrType t, const IrRef *args, uint32_t n, int32_t line)
{
  IrRef r = ir_insert(I->fn, I->blk, I->pos, op, t, args, n, line);
  I->pos++;
  return r;
}

static IrRef konst(In *I, IrType t, IrAuxVal v, int32_t line)
{
  IrRef r = before(I, IR_CONST, t, NULL, 0, line);
  ir_val(I->fn, r)->aux.v = v;
  return r;
}

/* Turn 'v' into 'op' on 'args' (copied), clearing its aux. */
static void morph(In *I, IrRef v, IrOp op, const IrRef *args, uint32_t n)
{
  IrRef *a = n ? ir_alloc(I->ctx, n * sizeof *a) : NULL;
  if (n) memcpy(a, args, n * sizeof *a);
  IrVal *x = ir_val(I->fn, v);
  x->op = op;
  x->nargs = n;
  x->args = a;
  memset(&x->aux, 0, sizeof x->aux);
}

/* Value 'r' converted to type 'to' (rw only; 'r' itself otherwise). */
static IrRef conv(In *I, IrRef r, IrType to, int32_t line)
{
  IrType from = T(I, r);
  if (!RW || from == to || !from) return r;
  if (to == IRT_BOOL) return before(I, IR_TRUTH, IRT_BOOL, &r, 1, line);
  const IrTypeInfo *ti = ir_type_info(I->ctx, to);
  if (ti->kind == IRK_LIST)   /* a list is not copied into another type: it is one object */
    TERR(line, "a list of %s where a list of %s is needed (Ember's lists have one item type)",
         pyname(I, ir_type_info(I->ctx, from)->elem[0]), pyname(I, ti->elem[0]));
  if (ti->kind == IRK_TUPLE) {  /* elementwise: extract, convert, rebuild */
    uint16_t n = ti->nelem;
    const IrType *te = ti->elem, *fe = ir_type_info(I->ctx, from)->elem;
    IrRef *e = ir_alloc(I->ctx, (n ? n : 1) * sizeof *e);
    for (uint16_t k = 0; k < n; k++) {
      IrRef x = before(I, IR_EXTRACT, fe[k], &r, 1, line);
      ir_val(I->fn, x)->aux.v.i = k;
      e[k] = conv(I, x, te[k], line);
    }
    return before(I, IR_TUPLE, to, e, n, line);
  }
  IrVal *x = ir_val(I->fn, r);
  if (x->op == IR_CONST && rank(from) >= 0 && rank(to) > rank(from)) {
    IrAuxVal a = x->aux.v, b = {0};
    double d = from == IRT_F64 ? a.f : (double)a.i;
    if (to == IRT_INT) b.i = a.i;
    else if (to == IRT_F64) b.f = d;
    else b.c[0] = d, b.c[1] = 0.0;
    return konst(I, to, b, line);
  }
  return before(I, IR_CVT, to, &r, 1, line);
}

/* Results of a handler: 'v' becomes a constant, an op, an intrinsic or its operand 'r'. */
static IrType mk_const(In *I, IrRef v, IrType t, IrAuxVal val)
{
  if (!RW && v < I->nty) set_py(I, v, PY_WEAK, t == IRT_F64);   /* a constant, as weakf sees it after rw */
  if (RW) {
    morph(I, v, IR_CONST, NULL, 0);
    ir_val(I->fn, v)->aux.v = val;
  }
  if (t == IRT_BOOL) I->kcv = val.i != 0;
  return t;
}

static IrType mk_bool(In *I, IrRef v, bool b) { return mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = b}); }

static IrType mk_op(In *I, IrRef v, IrOp op, IrType t, const IrRef *args, uint32_t n)
{
  if (RW) morph(I, v, op, args, n);
  return t;
}

static IrType mk_intrin(In *I, IrRef v, IrIntrin id, IrType t, const IrRef *args, uint32_t n)
{
  if (RW) {
    morph(I, v, IR_INTRIN, args, n);
    ir_val(I->fn, v)->aux.v.i = id;
  }
  return t;
}

static IrType mk_fwd(In *I, IrRef v, IrRef r)
{
  if (!RW && v < I->nty) set_py(I, v, PY_WEAK, weakf(I, r));   /* what the uses will see */
  if (RW) {
    ir_replace_uses(I->fn, v, r);
    ir_remove(I->fn, v);
    I->removed = true;
  }
  I->kcv = truthk(I, r);
  return T(I, r);
}

/* 'v' becomes 'a' converted to 'to' (itself, CVT, or TRUTH for bool). */
static IrType mk_cvt(In *I, IrRef v, IrRef a, IrType to)
{
  if (T(I, a) == to) return mk_fwd(I, v, a);
  return mk_op(I, v, to == IRT_BOOL ? IR_TRUTH : IR_CVT, to, &a, 1);
}

/* Are all operands of 'v' (from index 'from') typed? */
static bool ready(In *I, IrRef v, uint32_t from)
{
  IrVal *x = ir_val(I->fn, v);
  for (uint32_t i = from; i < x->nargs; i++)
    if (!T(I, x->args[i])) return false;
  return true;
}

/* -- Arithmetic and comparisons ------------------------------------------- */

static bool const_int(In *I, IrRef r, int64_t *out)
{
  IrVal *x = ir_val(I->fn, r);
  if (x->op != IR_CONST || (x->type != IRT_INT && x->type != IRT_BOOL)) return false;
  *out = x->aux.v.i;
  return true;
}

_Noreturn static void badbin(In *I, IrOp op, IrType a, IrType b, int32_t line)
{
  TERR(line, "unsupported operand type(s) for %s: '%s' and '%s'", opsym(op), pyname(I, a),
       pyname(I, b));
}

/* Type binary 'op' on 'a' (args[0]) and 'b' (args[1]); rw converts them in place. */
static IrType binop_type(In *I, IrOp op, IrRef *args, int32_t line)
{
  IrType ta = T(I, args[0]), tb = T(I, args[1]);
  int ra = rank(ta), rb = rank(tb), r = imax(imax(ra, rb), 1);
  if (ra < 0 || rb < 0) badbin(I, op, ta, tb, line);
  IrType opt = tower[r], res = opt;
  int64_t e;
  switch (op) {
  case IR_FLOORDIV: case IR_MOD:
    if (r == 3) badbin(I, op, ta, tb, line);
    break;
  case IR_TRUEDIV:
    res = r == 3 ? IRT_C128 : IRT_F64;  /* int / int keeps int operands (exact division in lowering) */
    break;
  case IR_POW:
    if (r == 1 && const_int(I, args[1], &e) && e < 0) opt = res = IRT_F64;  /* 2 ** -2 == 0.25 */
    break;
  case IR_LSHIFT: case IR_RSHIFT:
    if (r > 1) badbin(I, op, ta, tb, line);
    break;
  case IR_BAND: case IR_BOR: case IR_BXOR:
    if (r > 1) badbin(I, op, ta, tb, line);
    if (ra == 0 && rb == 0) opt = res = IRT_BOOL;
    break;
  default: break;
  }
  args[0] = conv(I, args[0], opt, line);
  args[1] = conv(I, args[1], opt, line);
  return res;
}

/* Is 'r' an np.bool_ that the types alone do not tell from a Python bool (both are
 * bool)?  Yes where it comes straight from a bool array: a[i], `for x in a`, and
 * the array's part of zip or enumerate.  Operators on such a value follow NumPy
 * (~ is logical not, + is or, with a Python int it is int64); so is an np.bool_
 * argument (its PARAM's aux is 1: jit/compile.c).  An np.bool_ that came through
 * a merge or a comparison of NumPy scalars counts as a Python bool (README). */
static const char *callee_name(In *I, IrRef callee);

static bool npbool(In *I, IrRef r)
{
  if (T(I, r) != IRT_BOOL) return false;
  IrVal *x = ir_val(I->fn, r);
  if (x->op == IR_PARAM) return x->aux.v.i == 1;
  if (x->op == IR_GETITEM) return kind(I, T(I, x->args[0])) == IRK_ARRAY;
  const char *c = x->op == IR_CALL && x->nargs == 2 ? callee_name(I, x->args[0]) : NULL;
  if (c && (!strcmp(c, "numpy.bool_") || !strcmp(c, "numpy.bool")))
    return npbool(I, x->args[1]);   /* np.bool_(a[i]): what the rewrite forwards it to (a[i]) */
  int64_t k = -1;
  if (x->op == IR_EXTRACT) {
    k = x->aux.v.i;
    x = ir_val(I->fn, x->args[0]);
  }
  if (x->op != IR_ITERNEXT) return false;
  const IrTypeInfo *it = ir_type_info(I->ctx, T(I, x->args[0]));
  if (it->kind != IRK_ITER) return false;
  IrType src = it->elem[1];
  if (k >= 0) {   /* zip, enumerate: an iterator over a tuple of iterators */
    const IrTypeInfo *st = ir_type_info(I->ctx, src);
    if (st->kind != IRK_TUPLE || k >= st->nelem || kind(I, st->elem[k]) != IRK_ITER) return false;
    src = ir_type_info(I->ctx, st->elem[k])->elem[1];
  }
  return kind(I, src) == IRK_ARRAY;
}

static IrType binop(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a[2] = {x->args[0], x->args[1]};
  IrOp op = x->op;
  if (!ready(I, v, 0)) return IRT_VOID;
  if (kind(I, T(I, a[0])) == IRK_LIST || kind(I, T(I, a[1])) == IRK_LIST) return infer_list_op(I, v);
  if (infer_array_is_np(I, T(I, a[0])) || infer_array_is_np(I, T(I, a[1])) || kind(I, T(I, a[0])) == IRK_ARRAY ||
      kind(I, T(I, a[1])) == IRK_ARRAY || npbool(I, a[0]) || npbool(I, a[1]))
    return infer_array_binop(I, v);
  IrType t = binop_type(I, op, a, x->line);
  if (RW) memcpy(ir_val(I->fn, v)->args, a, sizeof a);
  else if (v < I->nty) set_py(I, v, PY_WEAK, t == IRT_F64 && (T(I, a[0]) != IRT_F64 || weakf(I, a[0])) &&
                                                (T(I, a[1]) != IRT_F64 || weakf(I, a[1])));
  return t;
}

static IrType unop(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a = x->args[0];
  IrType ta = T(I, a);
  int r = rank(ta);
  if (!ta) return IRT_VOID;
  if (infer_array_is_np(I, ta) || kind(I, ta) == IRK_ARRAY) return infer_array_unop(I, v);
  if (npbool(I, a) && x->op == IR_INVERT) return mk_op(I, v, IR_NOT, IRT_BOOL, &a, 1);   /* NumPy: logical not */
  if (npbool(I, a))
    TERR(x->line, x->op == IR_NEG ? "The numpy boolean negative, the `-` operator, is not supported, use the `~` "
                                    "operator or the logical_not function instead."
                                  : "ufunc 'positive' did not contain a loop with signature matching types bool");
  if (r < 0 || (x->op == IR_INVERT && r > 1))
    TERR(x->line, "bad operand type for unary %s: '%s'", opsym(x->op), pyname(I, ta));
  IrType t = x->op == IR_INVERT ? IRT_INT : tower[imax(r, 1)];
  if (!RW && v < I->nty) set_py(I, v, PY_WEAK, t == IRT_F64 && weakf(I, a));
  if (RW) {
    int32_t line = x->line;
    a = conv(I, a, t, line);
    ir_val(I->fn, v)->args[0] = a;
  }
  return t;
}

/* TRUTH of 'a' as value 'v': known for none, tuples and functions. */
static IrType truth_of(In *I, IrRef v, IrRef a, int32_t line)
{
  IrType ta = T(I, a);
  if (!ta) return IRT_VOID;
  int8_t k = truthk(I, a);
  IrKind kd = kind(I, ta);
  if (kd == IRK_NONE || kd == IRK_TUPLE || kd == IRK_FUNC || kd == IRK_MODULE)
    return mk_bool(I, v, k);
  if (kd == IRK_LIST) return infer_list_truth(I, v, a);
  if (kd == IRK_DICT) return infer_dict_truth(I, v, a);
  if (infer_array_is_np(I, ta)) return mk_op(I, v, IR_TRUTH, IRT_BOOL, &a, 1);
  if (rank(ta) < 0) TERR(line, "the truth value of a %s is not supported", pyname(I, ta));
  I->kcv = k;
  return mk_op(I, v, IR_TRUTH, IRT_BOOL, &a, 1);
}

static IrType vnot(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a = x->args[0];
  IrType ta = T(I, a);
  int32_t line = x->line;
  if (!ta) return IRT_VOID;
  int8_t k = truthk(I, a);
  IrKind kd = kind(I, ta);
  if (kd == IRK_NONE || kd == IRK_TUPLE || kd == IRK_FUNC || kd == IRK_MODULE)
    return mk_bool(I, v, !k);
  if (infer_array_is_np(I, ta)) {
    a = conv(I, a, IRT_BOOL, line);
    return mk_op(I, v, IR_NOT, IRT_BOOL, &a, 1);
  }
  if (rank(ta) < 0) TERR(line, "the truth value of a %s is not supported", pyname(I, ta));
  I->kcv = k < 0 ? -1 : !k;
  a = conv(I, a, IRT_BOOL, line);
  return mk_op(I, v, IR_NOT, IRT_BOOL, &a, 1);
}

/* A comparison's result: known truth k (0, 1), or k < 0 and, in rw, the bool value r. */
typedef struct { int8_t k; IrRef r; } Cmp;

static Cmp cmp_known(bool b) { return (Cmp){b, 0}; }

/* The bool value of 'c' (rw only). */
static IrRef cmp_val(In *I, Cmp c, int32_t line)
{
  return c.k >= 0 ? konst(I, IRT_BOOL, (IrAuxVal){.i = c.k}, line) : c.r;
}

/* a and b on comparison results, known parts folded. */
static Cmp cmp_and(In *I, Cmp a, Cmp b, int32_t line)
{
  if (a.k == 0 || b.k == 0) return cmp_known(false);
  if (a.k == 1) return b;
  if (b.k == 1) return a;
  if (!RW) return (Cmp){-1, 0};
  IrRef p[2] = {a.r, b.r};
  return (Cmp){-1, before(I, IR_BAND, IRT_BOOL, p, 2, line)};
}

static Cmp cmp_not(In *I, Cmp a, int32_t line)
{
  if (a.k >= 0) return cmp_known(!a.k);
  if (!RW) return a;
  return (Cmp){-1, before(I, IR_NOT, IRT_BOOL, &a.r, 1, line)};
}

/* c ? a : b on comparison results. */
static Cmp cmp_select(In *I, Cmp c, Cmp a, Cmp b, int32_t line)
{
  if (c.k >= 0) return c.k ? a : b;
  if (a.k >= 0 && a.k == b.k) return a;
  if (!RW) return (Cmp){-1, 0};
  IrRef p[3] = {c.r, cmp_val(I, a, line), cmp_val(I, b, line)};
  return (Cmp){-1, before(I, IR_SELECT, IRT_BOOL, p, 3, line)};
}

_Noreturn static void badcmp(In *I, IrOp op, IrType ta, IrType tb, int32_t line)
{
  if (op == IR_EQ || op == IR_NE)
    TERR(line, "comparing %s with %s is not supported", pyname(I, ta), pyname(I, tb));
  TERR(line, "'%s' not supported between instances of '%s' and '%s'", opsym(op), pyname(I, ta),
       pyname(I, tb));
}

/* Is 'r' an int constant a double holds exactly (|v| <= 2**53)? */
static bool small_int_const(In *I, IrRef r)
{
  int64_t k;
  return T(I, r) == IRT_INT && const_int(I, r, &k) && k >= -(INT64_C(1) << 53) && k <= (INT64_C(1) << 53);
}

/* Operand types of scalar comparison 'op' on args[0] (type 'ta') and args[1]
 * ('tb'): one common type, except int against f64, which stays mixed (the
 * lowering compares exactly, as CPython does: 2**53 + 1 > 2.0**53) unless the
 * int is a constant a double holds.  rw converts them in place. */
static void cmp_operands(In *I, IrOp op, IrRef *args, IrType ta, IrType tb, int32_t line)
{
  int ra = rank(ta), rb = rank(tb), r = imax(ra, rb);
  if (ra < 0 || rb < 0 || (r == 3 && op != IR_EQ && op != IR_NE)) badcmp(I, op, ta, tb, line);
  if ((ra == 1 && rb == 2 && !small_int_const(I, args[0])) ||
      (ra == 2 && rb == 1 && !small_int_const(I, args[1])))
    return;
  IrType t = r == 0 ? IRT_BOOL : tower[r];
  args[0] = conv(I, args[0], t, line);
  args[1] = conv(I, args[1], t, line);
}

/* int == complex: the real part compared exactly with the int, and no imaginary part. */
static Cmp cmp_int_complex(In *I, IrOp op, IrRef i, IrRef z, int32_t line)
{
  if (!RW) return (Cmp){-1, 0};
  IrRef re = before(I, IR_INTRIN, IRT_F64, &z, 1, line), im = before(I, IR_INTRIN, IRT_F64, &z, 1, line);
  ir_val(I->fn, re)->aux.v.i = IN_REAL;
  ir_val(I->fn, im)->aux.v.i = IN_IMAG;
  IrRef p[2] = {i, re}, q[2] = {im, konst(I, IRT_F64, (IrAuxVal){.f = 0.0}, line)};
  cmp_operands(I, IR_EQ, p, T(I, i), IRT_F64, line);
  Cmp e = {-1, before(I, IR_EQ, IRT_BOOL, p, 2, line)};
  e = cmp_and(I, e, (Cmp){-1, before(I, IR_EQ, IRT_BOOL, q, 2, line)}, line);
  return op == IR_EQ ? e : cmp_not(I, e, line);
}

static Cmp cmp_any(In *I, IrOp op, IrRef a, IrType ta, IrRef b, IrType tb, int32_t line);

/* Element 'k' of tuple 'r': the operand of a tuple instruction, else (rw) an
 * extract; 0 in analysis, where only the types matter. */
static IrRef elem(In *I, IrRef r, uint16_t k, int32_t line)
{
  IrVal *t = ir_val(I->fn, r);
  if (t->op == IR_TUPLE && k < t->nargs) return t->args[k];
  if (!RW) return 0;
  IrRef x = before(I, IR_EXTRACT, ir_type_info(I->ctx, T(I, r))->elem[k], &r, 1, line);
  ir_val(I->fn, x)->aux.v.i = k;
  return x;
}

/* Tuples as CPython's tuplerichcompare: the first index whose items are not
 * equal decides (== and != by it alone, orderings by that pair), else the
 * lengths.  Items compare without effects, so every pair is computed and the
 * decision is a chain of selects from the last index back. */
static Cmp cmp_tuple(In *I, IrOp op, IrRef a, IrRef b, IrType ta, IrType tb, int32_t line)
{
  const IrTypeInfo *ia = ir_type_info(I->ctx, ta), *ib = ir_type_info(I->ctx, tb);
  uint16_t na = ia->nelem, nb = ib->nelem, n = na < nb ? na : nb;
  bool eq = op == IR_EQ || op == IR_NE;
  if (eq && na != nb) return cmp_known(op == IR_NE);
  Cmp acc = cmp_known(op == IR_EQ || op == IR_NE ? true : op == IR_LT ? na < nb : op == IR_LE ? na <= nb
                      : op == IR_GT ? na > nb : na >= nb);
  Cmp *eqs = ir_alloc(I->ctx, (n ? n : 1) * sizeof *eqs);
  IrRef *ea = ir_alloc(I->ctx, (n ? n : 1) * sizeof *ea), *eb = ir_alloc(I->ctx, (n ? n : 1) * sizeof *eb);
  for (uint16_t k = 0; k < n; k++) {
    ea[k] = elem(I, a, k, line);
    eb[k] = elem(I, b, k, line);
    bool same = a == b || (ea[k] && ea[k] == eb[k]);  /* `is` first, as PyObject_RichCompareBool */
    eqs[k] = same ? cmp_known(true) : cmp_any(I, IR_EQ, ea[k], ia->elem[k], eb[k], ib->elem[k], line);
  }
  if (eq) {
    for (uint16_t k = 0; k < n; k++) acc = cmp_and(I, acc, eqs[k], line);
    return op == IR_EQ ? acc : cmp_not(I, acc, line);
  }
  for (uint16_t k = n; k-- > 0;) {
    if (eqs[k].k == 1) continue;  /* never decides */
    Cmp o = cmp_any(I, op, ea[k], ia->elem[k], eb[k], ib->elem[k], line);
    acc = cmp_select(I, eqs[k], acc, o, line);
  }
  return acc;
}

/* 'a' op 'b' of types 'ta' and 'tb', built before the current instruction
 * (rw); in analysis only the types are checked. */
static Cmp cmp_any(In *I, IrOp op, IrRef a, IrType ta, IrRef b, IrType tb, int32_t line)
{
  bool eq = op == IR_EQ || op == IR_NE;
  IrKind ka = kind(I, ta), kb = kind(I, tb);
  if (ka == IRK_TUPLE && kb == IRK_TUPLE) return cmp_tuple(I, op, a, b, ta, tb, line);
  if (eq && (ka == IRK_NONE || kb == IRK_NONE || ka == IRK_TUPLE || kb == IRK_TUPLE))
    return cmp_known((ka == kb) == (op == IR_EQ));  /* None == None; a tuple never equals a number */
  int ra = rank(ta), rb = rank(tb);
  if (eq && ((ra == 1 && rb == 3) || (ra == 3 && rb == 1)))
    return ra == 1 ? cmp_int_complex(I, op, a, b, line) : cmp_int_complex(I, op, b, a, line);
  IrRef p[2] = {a, b};
  if (infer_array_is_np(I, ta) || infer_array_is_np(I, tb)) {   /* items of tuples from arrays: NumPy's compare */
    if (!RW) return (Cmp){-1, 0};
    IrRef r = before(I, op, IRT_BOOL, p, 2, line);
    I->pos--;   /* its operands' conversions go before it */
    infer_array_compare(I, r);
    I->pos++;
    return (Cmp){-1, r};
  }
  cmp_operands(I, op, p, ta, tb, line);
  if (!RW) return (Cmp){-1, 0};
  return (Cmp){-1, before(I, op, IRT_BOOL, p, 2, line)};
}

static IrType compare(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a[2] = {x->args[0], x->args[1]};
  IrOp op = x->op;
  int32_t line = x->line;
  IrType ta = T(I, a[0]), tb = T(I, a[1]);
  if (!ta || !tb) return IRT_VOID;
  if ((op == IR_EQ || op == IR_NE) && kind(I, ta) == IRK_DTYPE && kind(I, tb) == IRK_DTYPE)   /* a.dtype == np.float32 */
    return mk_bool(I, v, (ir_type_info(I->ctx, ta)->elem[0] == ir_type_info(I->ctx, tb)->elem[0]) == (op == IR_EQ));
  if ((op == IR_EQ || op == IR_NE) && (kind(I, ta) == IRK_STR || kind(I, tb) == IRK_STR))   /* infer_breadth.c */
    return infer_str_compare(I, v);
  if (infer_array_is_np(I, ta) || infer_array_is_np(I, tb) || kind(I, ta) == IRK_ARRAY || kind(I, tb) == IRK_ARRAY)
    return infer_array_compare(I, v);
  if (kind(I, ta) == IRK_LIST || kind(I, tb) == IRK_LIST) return infer_list_op(I, v);   /* l == m, l < m */
  int ra = rank(ta), rb = rank(tb);
  bool eq = op == IR_EQ || op == IR_NE;
  int64_t ka, kb;
  if (ta == IRT_INT && tb == IRT_INT && const_int(I, a[0], &ka) && const_int(I, a[1], &kb))   /* `a.ndim == 1`: a known branch */
    return mk_bool(I, v, op == IR_EQ ? ka == kb : op == IR_NE ? ka != kb : op == IR_LT ? ka < kb
                         : op == IR_LE ? ka <= kb : op == IR_GT ? ka > kb : ka >= kb);
  if (ra >= 0 && rb >= 0 && !(eq && imax(ra, rb) == 3 && imin(ra, rb) == 1)) {  /* one scalar op, in place */
    cmp_operands(I, op, a, ta, tb, line);
    if (RW) memcpy(ir_val(I->fn, v)->args, a, sizeof a);
    return IRT_BOOL;
  }
  Cmp c = cmp_any(I, op, a[0], ta, a[1], tb, line);
  if (c.k >= 0) return mk_bool(I, v, c.k);
  if (!RW) return IRT_BOOL;
  return mk_fwd(I, v, c.r);
}

/* `a is b`: decided by types (None is None; a number is never None). */
static IrType is(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a[2] = {x->args[0], x->args[1]};
  bool neg = x->op == IR_ISNOT;
  int32_t line = x->line;
  IrType ta = T(I, a[0]), tb = T(I, a[1]);
  if (!ta || !tb) return IRT_VOID;
  bool na = kind(I, ta) == IRK_NONE, nb = kind(I, tb) == IRK_NONE;
  if (na || nb) return mk_bool(I, v, (na && nb) != neg);
  bool ba = ta == IRT_BOOL, bb = tb == IRT_BOOL;
  if (ba && bb) return mk_op(I, v, neg ? IR_NE : IR_EQ, IRT_BOOL, a, 2);  /* True and False are singletons */
  if ((ba || bb) && rank(ta) >= 0 && rank(tb) >= 0) return mk_bool(I, v, neg);
  TERR(line, "'%s' between %s and %s cannot be decided at compile time", neg ? "is not" : "is",
       pyname(I, ta), pyname(I, tb));
}

/* -- Data ---------------------------------------------------------------- */

static IrType tuple(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  uint32_t n = x->nargs;
  if (!ready(I, v, 0)) return IRT_VOID;
  if (n > 65535) ir_error(I->ctx, EM_ERR_TOOBIG, x->line, "a tuple");
  IrType *e = ir_alloc(I->ctx, (n ? n : 1) * sizeof *e);
  for (uint32_t i = 0; i < n; i++) {
    e[i] = T(I, x->args[i]);
    IrKind k = kind(I, e[i]);
    if (k == IRK_FUNC || k == IRK_MODULE)
      ir_error(I->ctx, EM_ERR_CONSTRUCT, x->line, "tuples of functions or modules");
  }
  return ir_type_tuple(I->ctx, e, (uint16_t)n);
}

static IrType extract(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrType t = T(I, x->args[0]);
  if (!t) return IRT_VOID;
  const IrTypeInfo *ti = ir_type_info(I->ctx, t);
  if (ti->kind != IRK_TUPLE) TERR(x->line, "cannot unpack non-iterable %s object", pyname(I, t));
  if (x->aux.v.i < 0 || x->aux.v.i >= ti->nelem)
    TERR(x->line, "not enough values to unpack (expected %lld, got %u)",
         (long long)x->aux.v.i + 1, ti->nelem);
  return ti->elem[x->aux.v.i];
}

static IrType select_(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a[3] = {x->args[0], x->args[1], x->args[2]};
  int32_t line = x->line;
  if (!ready(I, v, 0)) return IRT_VOID;
  IrType t = join(I, T(I, a[1]), T(I, a[2]), line, "a conditional expression");
  a[0] = conv(I, a[0], IRT_BOOL, line);
  a[1] = conv(I, a[1], t, line);
  a[2] = conv(I, a[2], t, line);
  if (RW) memcpy(ir_val(I->fn, v)->args, a, sizeof a);
  return t;
}

/* -- Intrinsics ------------------------------------------------------------ */

static int find_intrin(const char *pyname, int nargs)
{
  for (int i = 0; i < IN__COUNT; i++)
    if (!strcmp(ir_intrininfo[i].pyname, pyname) && (nargs < 0 || ir_intrininfo[i].nargs == nargs))
      return i;
  return -1;
}

/* Convert a real argument of 'what' to f64 (math functions take floats). */
static IrRef to_f64(In *I, IrRef a, const char *what, int32_t line)
{
  IrType t = T(I, a);
  int r = rank(t);
  if (infer_array_is_np(I, t) && kind(I, t) != IRK_COMPLEX) r = 2;   /* NumPy ints and float32, as float() */
  if (r < 0 || r > 2) TERR(line, "%s() argument must be a real number, not '%s'", what, pyname(I, t));
  return conv(I, a, IRT_F64, line);
}

/* Type intrinsic 'id' on 'args' ('n' of them, typed); rw converts them in place. */
static IrType intrin_type(In *I, int id, IrRef *a, uint32_t n, int32_t line)
{
  const IrIntrinInfo *in = &ir_intrininfo[id];
  if ((int)n != in->nargs)
    ir_errorf(I->ctx, EM_ERR_ARGS, line, "%s() takes %d argument%s (%u given)", in->pyname, in->nargs,
              in->nargs == 1 ? "" : "s", n);
  if (in->sig == 'R') {   /* np.random's generator: ints in; an effect on its state */
    for (uint32_t i = 0; i < n; i++) a[i] = conv(I, a[i], IRT_INT, line);
    I->impure = true;
    return n ? IRT_INT : IRT_F64;
  }
  if (in->sig == 'M') {   /* a runtime call reading memory: ints in, f64 out */
    for (uint32_t i = 0; i < n; i++) a[i] = conv(I, a[i], IRT_INT, line);
    return IRT_F64;
  }
  if (in->sig != 'X') {
    for (uint32_t i = 0; i < n; i++) a[i] = to_f64(I, a[i], in->pyname, line);
    return in->sig == 'I' ? IRT_INT : in->sig == 'B' ? IRT_BOOL : IRT_F64;
  }
  IrType t0 = T(I, a[0]), t1 = n > 1 ? T(I, a[1]) : IRT_VOID;
  int r0 = rank(t0), r1 = n > 1 ? rank(t1) : 0;
  if (r0 < 0 || r1 < 0) TERR(line, "bad operand type for %s(): '%s'", in->pyname, pyname(I, r0 < 0 ? t0 : t1));
  IrType t = tower[imax(r0, 1)];
  switch (id) {
  case IN_ABS: a[0] = conv(I, a[0], t, line); return t == IRT_C128 ? IRT_F64 : t;
  case IN_ROUND:
    if (r0 == 3) TERR(line, "type complex doesn't define __round__ method");
    a[0] = conv(I, a[0], t, line);
    return IRT_INT;
  case IN_ROUNDN:
    if (r0 == 3) TERR(line, "type complex doesn't define __round__ method");
    if (r1 > 1) TERR(line, "'%s' object cannot be interpreted as an integer", pyname(I, t1));
    a[0] = conv(I, a[0], t, line);
    a[1] = conv(I, a[1], IRT_INT, line);
    return t;
  case IN_MIN: case IN_MAX:
    t = r0 == 0 && r1 == 0 ? IRT_BOOL : tower[imax(imax(r0, r1), 1)];
    if (t == IRT_C128) TERR(line, "'<' not supported between instances of 'complex' and 'complex'");
    a[0] = conv(I, a[0], t, line);
    a[1] = conv(I, a[1], t, line);
    return t;
  case IN_REAL: case IN_IMAG: case IN_CONJ:
    a[0] = conv(I, a[0], IRT_C128, line);
    return id == IN_CONJ ? IRT_C128 : IRT_F64;
  case IN_COMPLEX:
    a[0] = to_f64(I, a[0], "complex", line);
    a[1] = to_f64(I, a[1], "complex", line);
    return IRT_C128;
  default: ember_die("intrinsic without a typing rule");
  }
}

static IrType intrin(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  uint32_t n = x->nargs;
  if (!ready(I, v, 0)) return IRT_VOID;
  IrRef *a = ir_alloc(I->ctx, (n ? n : 1) * sizeof *a);
  memcpy(a, x->args, n * sizeof *a);
  IrType t = intrin_type(I, (int)x->aux.v.i, a, n, x->line);
  if (RW) memcpy(ir_val(I->fn, v)->args, a, n * sizeof *a);
  return t;
}

/* -- Attributes ------------------------------------------------------------ */

static const struct { const char *name; double value; } mathconst[] = {
  {"pi", 3.141592653589793}, {"e", 2.718281828459045}, {"tau", 6.283185307179586},
  {"inf", INFINITY}, {"nan", NAN},
};

/* Is math.<f> 'qn' a function of jit/ember/_lib_more.py (factorial, comb, ...)?  Its id in 'id'. */
static bool math_lib(In *I, const char *qn, int64_t *id)
{
  IrHost *h = &I->ctx->host;
  int64_t k;
  return h->resolve && !h->resolve(h->host, qn, id ? id : &k);
}

static IrType math_attr(In *I, IrRef v, const char *name, int32_t line)
{
  for (size_t i = 0; i < sizeof mathconst / sizeof *mathconst; i++)
    if (!strcmp(name, mathconst[i].name)) return mk_const(I, v, IRT_F64, (IrAuxVal){.f = mathconst[i].value});
  snprintf(I->name, sizeof I->name, "math.%s", name);
  if (find_intrin(I->name, -1) < 0 && !math_lib(I, I->name, NULL)) ir_error(I->ctx, EM_ERR_ATTR, line, I->name);
  if (RW) {
    morph(I, v, IR_BUILTIN, NULL, 0);
    ir_val(I->fn, v)->aux.v.s = ir_strdup(I->ctx, I->name);
  }
  return IRT_FUNC;
}

/* The name of the module 'a' refers to: a module reference, or numpy.linalg
 * or numpy.random reached as np.linalg, np.random (infer_array_modattr makes
 * it one); else NULL. */
static const char *modname(In *I, IrRef a)
{
  IrVal *x = ir_val(I->fn, a);
  if (x->op == IR_MODREF) return x->aux.v.s;
  if (x->op != IR_ATTR || (strcmp(x->aux.v.s, "linalg") && strcmp(x->aux.v.s, "random"))) return NULL;
  IrVal *m = ir_val(I->fn, x->args[0]);
  if (m->op != IR_MODREF || strcmp(m->aux.v.s, "numpy")) return NULL;
  return x->aux.v.s[0] == 'l' ? "numpy.linalg" : "numpy.random";
}

static IrType attr(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a = x->args[0];
  const char *name = x->aux.v.s;
  int32_t line = x->line;
  IrType t = T(I, a);
  if (!t) return IRT_VOID;
  if (kind(I, t) == IRK_MODULE) {
    const char *mod = modname(I, a);
    if (!mod) ir_error(I->ctx, EM_ERR_CONSTRUCT, line, "modules chosen at run time");
    if (!strcmp(mod, "math")) return math_attr(I, v, name, line);
    if (!strcmp(mod, "numpy") || !strcmp(mod, "numpy.linalg") || !strcmp(mod, "numpy.random") ||
        !strcmp(mod, "ember._prim"))
      return infer_array_modattr(I, v, mod);
    snprintf(I->name, sizeof I->name, "%s.%s", mod, name);
    ir_error(I->ctx, EM_ERR_ATTR, line, I->name);
  }
  if (kind(I, t) == IRK_ARRAY || kind(I, t) == IRK_DTYPE || infer_array_is_np(I, t)) return infer_array_attr(I, v);
  if (kind(I, t) == IRK_LIST || kind(I, t) == IRK_DICT) return IRT_FUNC;   /* a method: infer_list_call or infer_dict_call */
  int r = rank(t);
  if (r == 3 && !RW && v < I->nty && (!strcmp(name, "real") || !strcmp(name, "imag")))
    set_py(I, v, PY_WEAK, weakf(I, a));   /* a part of a Python complex is a Python float */
  if (r >= 0 && !strcmp(name, "real")) {
    if (r == 3) return mk_intrin(I, v, IN_REAL, IRT_F64, &a, 1);
    return mk_cvt(I, v, a, tower[imax(r, 1)]);
  }
  if (r >= 0 && !strcmp(name, "imag")) {
    if (r == 3) return mk_intrin(I, v, IN_IMAG, IRT_F64, &a, 1);
    if (r == 2) return mk_const(I, v, IRT_F64, (IrAuxVal){.f = 0.0});
    return mk_const(I, v, IRT_INT, (IrAuxVal){.i = 0});
  }
  if (r >= 0 && !strcmp(name, "conjugate")) return IRT_FUNC;  /* bound method: the call resolves it */
  if (r == 2 && !strcmp(name, "is_integer")) return IRT_FUNC;  /* float.is_integer: _lib_breadth.py */
  snprintf(I->name, sizeof I->name, "%s.%s", pyname(I, t), name);
  ir_error(I->ctx, EM_ERR_ATTR, line, I->name);
}

/* -- Builtin calls ----------------------------------------------------------
 * Each handler gets the call 'v', its arguments 'a' (a copy, 'n' of them,
 * typed) and makes 'v' the typed operation in rw. */

typedef IrType (*Builtin)(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line);

static void nargs(In *I, const char *f, uint32_t n, uint32_t lo, uint32_t hi, int32_t line)
{
  if (n >= lo && n <= hi) return;
  if (lo == hi)
    ir_errorf(I->ctx, EM_ERR_ARGS, line, "%s() takes exactly %u argument%s (%u given)", f, lo,
              lo == 1 ? "" : "s", n);
  ir_errorf(I->ctx, EM_ERR_ARGS, line, "%s() takes from %u to %u arguments (%u given)", f, lo, hi, n);
}

static IrType b_abs(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "abs", n, 1, 1, line);
  if (npbool(I, a[0])) return mk_fwd(I, v, a[0]);   /* abs(np.True_) is np.True_ */
  IrType t = intrin_type(I, IN_ABS, a, 1, line);
  return mk_intrin(I, v, IN_ABS, t, a, 1);
}

static IrType b_int(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "int", n, 0, 1, line);
  if (!n) return mk_const(I, v, IRT_INT, (IrAuxVal){.i = 0});
  IrType t = T(I, a[0]);
  int r = rank(t);
  if (r < 0 || r > 2)
    TERR(line, "int() argument must be a string, a bytes-like object or a real number, not '%s'", pyname(I, t));
  return mk_cvt(I, v, a[0], IRT_INT);  /* f64 -> int truncates, checked by the lowering */
}

static IrType b_float(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "float", n, 0, 1, line);
  if (!n) return mk_const(I, v, IRT_F64, (IrAuxVal){.f = 0.0});
  IrType t = T(I, a[0]);
  int r = rank(t);
  if (r < 0 || r > 2)
    TERR(line, "float() argument must be a string or a real number, not '%s'", pyname(I, t));
  if (t == IRT_F64 && !weakf(I, a[0])) return mk_op(I, v, IR_CVT, IRT_F64, a, 1);   /* float(a[i]): a Python float */
  return mk_cvt(I, v, a[0], IRT_F64);
}

static IrType b_bool(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "bool", n, 0, 1, line);
  if (!n) return mk_bool(I, v, false);
  if (T(I, a[0]) == IRT_BOOL) return mk_fwd(I, v, a[0]);
  return truth_of(I, v, a[0], line);
}

static IrType b_complex(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "complex", n, 0, 2, line);
  if (!n) return mk_const(I, v, IRT_C128, (IrAuxVal){.c = {0.0, 0.0}});
  if (n == 1) {
    IrType t = T(I, a[0]);
    if (rank(t) < 0)
      TERR(line, "complex() first argument must be a string or a number, not '%s'", pyname(I, t));
    return mk_cvt(I, v, a[0], IRT_C128);
  }
  IrType t = intrin_type(I, IN_COMPLEX, a, 2, line);
  return mk_intrin(I, v, IN_COMPLEX, t, a, 2);
}

static IrType b_round(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "round", n, 1, 2, line);
  if (n == 2 && kind(I, T(I, a[1])) == IRK_NONE) n = 1;  /* round(x, None) == round(x) */
  IrType t = T(I, a[0]);
  if (n == 1 && rank(t) >= 0 && rank(t) <= 1) return mk_cvt(I, v, a[0], IRT_INT);  /* round(int) is int */
  IrIntrin id = n == 1 ? IN_ROUND : IN_ROUNDN;
  IrType r = intrin_type(I, id, a, n, line);
  return mk_intrin(I, v, id, r, a, n);
}

/* min/max of n >= 2 values: a chain of pairwise MIN/MAX, left to right like Python. */
static IrType minmax(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line, IrIntrin id)
{
  const char *f = id == IN_MIN ? "min" : "max";
  if (n < 2) ir_errorf(I->ctx, EM_ERR_CONSTRUCT, line, "%s() of an iterable is not supported", f);
  IrType t = IRT_VOID;
  for (uint32_t i = 0; i < n; i++) {
    IrType ti = T(I, a[i]);
    if (rank(ti) < 0 || rank(ti) == 3)
      TERR(line, "'%s' not supported between instances of '%s' and '%s'", id == IN_MIN ? "<" : ">",
           pyname(I, ti), pyname(I, t ? t : ti));
    t = join(I, t, ti, line, f);
  }
  IrRef acc = conv(I, a[0], t, line);
  for (uint32_t i = 1; i + 1 < n && RW; i++) {
    IrRef p[2] = {acc, conv(I, a[i], t, line)};
    acc = before(I, IR_INTRIN, t, p, 2, line);
    ir_val(I->fn, acc)->aux.v.i = id;
  }
  IrRef p[2] = {acc, conv(I, a[n - 1], t, line)};
  return mk_intrin(I, v, id, t, p, 2);
}

#define MAXTUPLE 32   /* items of a tuple that min, max, sum, any, all unroll (jit/ember/_lib.py _MAXT) */

/* f(t) of one tuple 't' (min, max, sum, any, all): jit/ember/_lib.py unrolls
 * CPython's loop over its items ('numbers': Python numbers only, for sum). */
static IrType of_tuple(In *I, IrRef v, const char *f, IrRef t, bool numbers, int32_t line)
{
  IrType tt = T(I, t);
  const IrTypeInfo *ti = ir_type_info(I->ctx, tt);
  if (ti->kind != IRK_TUPLE) TERR(line, "'%s' object is not iterable", pyname(I, tt));
  if (ti->nelem > MAXTUPLE) ir_errorf(I->ctx, EM_ERR_CONSTRUCT, line, "%s() of a tuple of more than 32 items", f);
  if (ti->nelem == 0 && (f[1] == 'i' || f[1] == 'a'))   /* min, max */
    ir_errorf(I->ctx, EM_ERR_CONSTRUCT, line, "%s() of an empty tuple (CPython: ValueError)", f);
  for (uint16_t k = 0; k < ti->nelem; k++) {
    IrType e = ti->elem[k];
    if (numbers ? rank(e) < 0 : rank(e) < 0 && !infer_array_is_np(I, e))
      TERR(line, "%s() of a tuple with a %s item%s", f, pyname(I, e),
           numbers && infer_array_is_np(I, e) ? " (NumPy scalars in a tuple sum are not supported)" : "");
  }
  return infer_array_call(I, v, f);
}

static IrType b_min(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  if (n == 1) return of_tuple(I, v, "min", a[0], false, line);
  return minmax(I, v, a, n, line, IN_MIN);
}

static IrType b_max(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  if (n == 1) return of_tuple(I, v, "max", a[0], false, line);
  return minmax(I, v, a, n, line, IN_MAX);
}

static IrType b_sum(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "sum", n, 1, 2, line);
  if (n == 2 && rank(T(I, a[1])) < 0) TERR(line, "sum() with a start of type '%s'", pyname(I, T(I, a[1])));
  return of_tuple(I, v, "sum", a[0], true, line);
}

static IrType b_any(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "any", n, 1, 1, line);
  return of_tuple(I, v, "any", a[0], false, line);
}

static IrType b_all(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "all", n, 1, 1, line);
  return of_tuple(I, v, "all", a[0], false, line);
}

static IrType b_divmod(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "divmod", n, 2, 2, line);
  IrType ta = T(I, a[0]), tb = T(I, a[1]);
  if (rank(ta) < 0 || rank(tb) < 0 || rank(ta) == 3 || rank(tb) == 3)
    TERR(line, "unsupported operand type(s) for divmod(): '%s' and '%s'", pyname(I, ta), pyname(I, tb));
  IrType t = binop_type(I, IR_FLOORDIV, a, line);
  IrType e[2] = {t, t};
  IrType tt = ir_type_tuple(I->ctx, e, 2);
  if (!RW) return tt;
  IrRef p[2] = {before(I, IR_FLOORDIV, t, a, 2, line), before(I, IR_MOD, t, a, 2, line)};
  return mk_op(I, v, IR_TUPLE, tt, p, 2);
}

static IrType b_pow(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  int64_t lib;
  if (n == 3 && math_lib(I, "builtins.pow", &lib)) return infer_callfn(I, v, lib, "builtins.pow");   /* _lib.py */
  nargs(I, "pow", n, 2, 2, line);
  IrType t = binop_type(I, IR_POW, a, line);
  return mk_op(I, v, IR_POW, t, a, 2);
}

static IrType b_range(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "range", n, 1, 3, line);
  for (uint32_t i = 0; i < n; i++) {
    IrType t = T(I, a[i]);
    bool npint = kind(I, t) == IRK_INT || kind(I, t) == IRK_UINT;   /* range(a[i]): a NumPy int's __index__ */
    if ((rank(t) < 0 || rank(t) > 1) && !npint)
      TERR(line, "'%s' object cannot be interpreted as an integer", pyname(I, t));
  }
  if (!RW) return IRT_RANGE;
  IrRef p[3];
  p[0] = n == 1 ? konst(I, IRT_INT, (IrAuxVal){.i = 0}, line) : conv(I, a[0], IRT_INT, line);
  p[1] = conv(I, a[n == 1 ? 0 : 1], IRT_INT, line);
  p[2] = n == 3 ? conv(I, a[2], IRT_INT, line) : konst(I, IRT_INT, (IrAuxVal){.i = 1}, line);
  return mk_op(I, v, IR_RANGE, IRT_RANGE, p, 3);
}

/* reversed(range(start, stop, step)): range(start + (n - 1) * step, start - step, -step), n its
 * length (0 where empty: then the new range is empty too); a step 0 stays 0 (range's ValueError). */
static IrType b_reversed(In *I, IrRef v, IrRef *a, uint32_t n, int32_t line)
{
  nargs(I, "reversed", n, 1, 1, line);
  if (T(I, a[0]) != IRT_RANGE) TERR(line, "reversed() of a %s (only of a range here)", pyname(I, T(I, a[0])));
  if (!RW) return IRT_RANGE;
  const IrVal *r = ir_val(I->fn, a[0]);
  if (r->op != IR_RANGE) ir_error(I->ctx, EM_ERR_CONSTRUCT, line, "reversed() of a range chosen at run time");
  IrRef start = r->args[0], stop = r->args[1], step = r->args[2];
  IrRef zero = konst(I, IRT_INT, (IrAuxVal){.i = 0}, line), one = konst(I, IRT_INT, (IrAuxVal){.i = 1}, line);
#define OP2(op, t, x, y) before(I, op, t, (IrRef[]){x, y}, 2, line)
#define SEL(c, x, y) before(I, IR_SELECT, IRT_INT, (IrRef[]){c, x, y}, 3, line)
  IrRef sgn = SEL(OP2(IR_GT, IRT_BOOL, step, zero), one, konst(I, IRT_INT, (IrAuxVal){.i = -1}, line));
  IrRef span = OP2(IR_SUB, IRT_INT, OP2(IR_ADD, IRT_INT, OP2(IR_SUB, IRT_INT, stop, start), step), sgn);
  IrRef q = OP2(IR_FLOORDIV, IRT_INT, span, SEL(OP2(IR_EQ, IRT_BOOL, step, zero), one, step));
  IrRef len = SEL(OP2(IR_LT, IRT_BOOL, q, zero), zero, q);
  IrRef p[3] = {OP2(IR_ADD, IRT_INT, start, OP2(IR_MUL, IRT_INT, OP2(IR_SUB, IRT_INT, len, one), step)),
                OP2(IR_SUB, IRT_INT, start, step), before(I, IR_NEG, IRT_INT, &step, 1, line)};
#undef OP2
#undef SEL
  return mk_op(I, v, IR_RANGE, IRT_RANGE, p, 3);
}

/* math.<f>: an intrinsic; floor/ceil/trunc of an int is the int itself; log(x, base). */
static IrType b_math(In *I, IrRef v, const char *name, IrRef *a, uint32_t n, int32_t line)
{
  if (!strcmp(name, "math.log") && n == 2) {
    a[0] = to_f64(I, a[0], name, line);
    a[1] = to_f64(I, a[1], name, line);
    if (!RW) return IRT_F64;
    IrRef p[2] = {before(I, IR_INTRIN, IRT_F64, &a[0], 1, line), before(I, IR_INTRIN, IRT_F64, &a[1], 1, line)};
    ir_val(I->fn, p[0])->aux.v.i = IN_LOG;
    ir_val(I->fn, p[1])->aux.v.i = IN_LOG;
    return mk_op(I, v, IR_TRUEDIV, IRT_F64, p, 2);  /* CPython: loghelper(x) / loghelper(base) */
  }
  int id = find_intrin(name, (int)n);
  int64_t fid;
  if (id < 0 && math_lib(I, name, &fid)) return infer_callfn(I, v, fid, name);   /* math.hypot(x, y, z) too */
  if (id < 0) {
    id = find_intrin(name, -1);
    if (id < 0) ir_error(I->ctx, EM_ERR_CALL, line, name);
    nargs(I, name, n, (uint32_t)ir_intrininfo[id].nargs, (uint32_t)ir_intrininfo[id].nargs, line);
  }
  if (ir_intrininfo[id].sig == 'I' && rank(T(I, a[0])) >= 0 && rank(T(I, a[0])) <= 1)
    return mk_cvt(I, v, a[0], IRT_INT);  /* math.floor(5) is 5, exact */
  IrType t = intrin_type(I, id, a, n, line);
  return mk_intrin(I, v, (IrIntrin)id, t, a, n);
}

static const struct { const char *name; Builtin fn; } builtins[] = {
  {"abs", b_abs}, {"int", b_int}, {"float", b_float}, {"bool", b_bool}, {"complex", b_complex},
  {"round", b_round}, {"min", b_min}, {"max", b_max}, {"divmod", b_divmod}, {"pow", b_pow},
  {"range", b_range}, {"sum", b_sum}, {"any", b_any}, {"all", b_all}, {"reversed", b_reversed},
};

/* Is the float (or complex) that builtin 'name' gives a Python one (weak under
 * NEP 50)?  math's functions, float() and complex() always give one; abs, min, max, round, pow
 * unless an argument is an np.float64 (abs(a[i]) is NumPy's). */
static bool weak_result(In *I, const char *name, const IrRef *a, uint32_t n)
{
  if (!strncmp(name, "math.", 5) || !strcmp(name, "float") || !strcmp(name, "complex")) return true;
  for (uint32_t i = 0; i < n; i++)
    if (T(I, a[i]) == IRT_F64 && !weakf(I, a[i])) return false;
  return true;
}

static IrType builtin(In *I, IrRef v, const char *name)
{
  IrVal *x = ir_val(I->fn, v);
  int32_t line = x->line;
  uint32_t n = x->nargs - 1;
  int64_t lib;
  if (x->aux.nkw && !strncmp(name, "math.", 5) && find_intrin(name, -1) < 0 && math_lib(I, name, &lib))
    return infer_callfn(I, v, lib, name);   /* math.isclose(a, b, rel_tol=...): the library's keywords */
  if (x->aux.nkw) ir_errorf(I->ctx, EM_ERR_CALL, line, "keyword arguments to %s() are not supported", name);
  IrRef *a = ir_alloc(I->ctx, (n ? n : 1) * sizeof *a);
  memcpy(a, x->args + 1, n * sizeof *a);
  size_t i = 0;
  while (i < sizeof builtins / sizeof *builtins && strcmp(name, builtins[i].name)) i++;
  bool math = !strncmp(name, "math.", 5) || !strncmp(name, "<prim>.random_", 14) || !strcmp(name, "<prim>.np_sort") ||
              !strcmp(name, "<prim>.blas") || !strncmp(name, "<prim>.pairwise_", 16) ||
              !strcmp(name, "<prim>.bcast_copy");
  if (!math && i == sizeof builtins / sizeof *builtins) ir_error(I->ctx, EM_ERR_CALL, line, name);
  IrType t = math ? b_math(I, v, name, a, n, line) : builtins[i].fn(I, v, a, n, line);
  if (!RW && v < I->nty && (t == IRT_F64 || (t == IRT_C128 && !strcmp(name, "complex"))))
    set_py(I, v, PY_WEAK, weak_result(I, name, a, n));
  return t;
}

/* z.conjugate(): complex conjugate; a real number's conjugate is itself; x.is_integer() of a float. */
static IrType method(In *I, IrRef v, IrRef callee)
{
  IrVal *x = ir_val(I->fn, v), *c = ir_val(I->fn, callee);
  IrRef obj = c->args[0];
  int32_t line = x->line;
  if (!strcmp(c->aux.v.s, "is_integer")) return infer_array_method(I, v, callee);   /* the library's generic.is_integer */
  if (x->nargs != 1) ir_errorf(I->ctx, EM_ERR_ARGS, line, "conjugate() takes no arguments (%u given)", x->nargs - 1);
  IrType t = T(I, obj);
  if (t == IRT_C128) return mk_intrin(I, v, IN_CONJ, IRT_C128, &obj, 1);
  return mk_cvt(I, v, obj, tower[imax(rank(t), 1)]);
}

/* -- Calls of compiled functions ------------------------------------------- */

/* Bind the arguments of call 'v' to the parameters of function 'id' (once). */
static void bind(In *I, Call *cs, IrRef v, int64_t id, const char *fname)
{
  IrVal *x = ir_val(I->fn, v);
  uint32_t nkw = x->aux.nkw, npos = x->nargs - 1 - nkw;
  char err[256] = "";
  if (I->ctx->host.bind) {
    if (I->ctx->host.bind(I->ctx->host.host, id, npos, x->aux.kw, nkw, cs->map, cs->defs, MAXPARAMS,
                          &cs->nparams, err, sizeof err))
      ir_errorf(I->ctx, EM_ERR_ARGS, x->line, "%s", err);
  } else {
    if (nkw) ir_errorf(I->ctx, EM_ERR_CALL, x->line, "keyword arguments in a call of %s (no binder)", fname);
    if (npos > MAXPARAMS) ir_error(I->ctx, EM_ERR_TOOBIG, x->line, "a call");
    cs->nparams = npos;
    for (uint32_t i = 0; i < npos; i++) cs->map[i] = (int32_t)i;
  }
  cs->bound = true;
}

/* The *args tuple of call 'v' for bind's map entry 'm' (IR_BIND_STAR - k: the
 * positional arguments from k on): its type in '*t'; rw: a TUPLE before the call. */
static IrRef star_args(In *I, IrRef v, int32_t m, IrType *t, int32_t line)
{
  const IrVal *x = ir_val(I->fn, v);
  uint32_t k = (uint32_t)(IR_BIND_STAR - m), npos = x->nargs - 1 - x->aux.nkw, n = npos > k ? npos - k : 0;
  IrType el[MAXPARAMS];
  IrRef r[MAXPARAMS];
  if (n > MAXPARAMS) ir_error(I->ctx, EM_ERR_TOOBIG, line, "a call");
  for (uint32_t i = 0; i < n; i++) r[i] = x->args[1 + k + i], el[i] = T(I, r[i]);
  *t = ir_type_tuple(I->ctx, el, (uint16_t)n);
  return RW ? before(I, IR_TUPLE, *t, r, n, line) : 0;
}

/* Call 'v' of compiled function 'id' ('fname'): its operands after the callee are the arguments. */
/* Call 'v' of function 'id'; 'user': an ember.jit function of the program,
 * whose np.float64 arguments it gets as np.float64 (not the library's). */
static IrType callfn_id(In *I, IrRef v, int64_t id, const char *fname, bool user)
{
  IrVal *x = ir_val(I->fn, v);
  int32_t line = x->line;
  if (!I->calls[v]) I->calls[v] = ir_alloc(I->ctx, sizeof(Call));
  Call *cs = I->calls[v];
  if (!cs->bound) bind(I, cs, v, id, fname);
  IrType args[MAXPARAMS];
  uint64_t strong = 0;
  for (uint32_t i = 0; i < cs->nparams; i++) {
    if (cs->map[i] <= IR_BIND_STAR) { star_args(I, v, cs->map[i], &args[i], line); continue; }   /* *args */
    if (cs->map[i] < 0 && cs->defs[i].type == IRT_VOID) cs->defs[i].type = ir_type_str(I->ctx, cs->defs[i].v.s);   /* a str default */
    args[i] = cs->map[i] >= 0 ? T(I, x->args[1 + cs->map[i]]) : cs->defs[i].type;
    if (user && i < 64 && cs->map[i] >= 0 && args[i] == IRT_F64 && !weakf(I, x->args[1 + cs->map[i]]))
      strong |= UINT64_C(1) << i;
  }
  if (!I->ctx->host.call_sig) ir_errorf(I->ctx, EM_ERR_CALL, line, "%s (no host to compile it)", fname);
  if (!cs->sym || cs->n != cs->nparams || cs->strong != strong || memcmp(cs->args, args, cs->nparams * sizeof *args)) {
    char err[256] = "";
    cs->n = cs->nparams;
    memcpy(cs->args, args, cs->nparams * sizeof *args);
    cs->strong = strong;
    cs->ret = IRT_VOID;
    cs->pure = true;
    cs->sym = NULL;
    I->ctx->callstrong = strong;
    cs->rc = I->ctx->host.call_sig(I->ctx->host.host, id, args, cs->nparams, I->ctx, &cs->ret,
                                   &cs->sym, &cs->pure, err, sizeof err);
    I->ctx->callstrong = 0;
    if (cs->rc < 0) ir_errorf(I->ctx, EM_ERR_ARGS, line, "%s", err);
    if (!cs->sym) cs->sym = fname;
  }
  IrType ret = cs->ret;
  if (cs->rc == 1) {  /* recursion: our own return type so far */
    I->recursive = true;
    ret = I->selfret;
  }
  if (!cs->pure && cs->rc != 1) I->impure = true;
  if (!RW || !ret) return ret;
  IrRef *p = ir_alloc(I->ctx, (cs->nparams ? cs->nparams : 1) * sizeof *p);
  for (uint32_t i = 0; i < cs->nparams; i++) {
    IrVal *cx = ir_val(I->fn, v);
    IrType st;
    p[i] = cs->map[i] >= 0 ? cx->args[1 + cs->map[i]] : cs->map[i] <= IR_BIND_STAR ? star_args(I, v, cs->map[i], &st, line)
                                                        : konst(I, cs->defs[i].type, cs->defs[i].v, line);
  }
  morph(I, v, IR_CALLFN, p, cs->nparams);
  ir_val(I->fn, v)->aux.v.s = cs->sym;
  return ret;
}

static IrType callfn(In *I, IrRef v, IrRef callee)
{
  IrVal *c = ir_val(I->fn, callee);
  return callfn_id(I, v, c->aux.v.i, c->aux.s ? c->aux.s : "function", true);
}

/* The qualified name of a builtin callee ("abs", "math.sqrt"), or NULL. */
static const char *callee_name(In *I, IrRef callee)
{
  IrVal *c = ir_val(I->fn, callee);
  if (c->op == IR_BUILTIN) return c->aux.v.s;
  if (c->op == IR_ATTR && modname(I, c->args[0])) {
    snprintf(I->name, sizeof I->name, "%s.%s", modname(I, c->args[0]), c->aux.v.s);
    return I->name;
  }
  return NULL;
}

static IrType call(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef callee = x->args[0];
  IrType tc = T(I, callee);
  if (!tc || !ready(I, v, 1)) return IRT_VOID;
  IrVal *c = ir_val(I->fn, callee);
  const char *name = callee_name(I, callee);
  if (name && !strcmp(name, "isinstance")) return infer_isinstance(I, v);   /* infer_breadth.c */
  if (infer_dict_takes(I, v, name)) return infer_dict_call(I, v, name ? ir_strdup(I->ctx, name) : NULL);
  if (infer_list_takes(I, v, name)) return infer_list_call(I, v, name ? ir_strdup(I->ctx, name) : NULL);
  if (c->op == IR_FUNCREF) return callfn(I, v, callee);
  if (name && infer_array_takes(I, v, name)) {
    IrType t = infer_array_call(I, v, ir_strdup(I->ctx, name));
    if (!RW && v < I->nty && (!strcmp(name, "float") || !strcmp(name, "complex")))
      set_py(I, v, PY_WEAK, t == IRT_F64 || t == IRT_C128);   /* float(np.int64(5)) is a Python float (NEP 50 weak) */
    return t;
  }
  if (name) return builtin(I, v, ir_strdup(I->ctx, name));
  if (c->op == IR_ATTR && tc == IRT_FUNC && infer_array_takes(I, v, NULL)) return infer_array_method(I, v, callee);
  if (c->op == IR_ATTR && tc == IRT_FUNC) return method(I, v, callee);
  if (kind(I, tc) == IRK_DTYPE) return infer_array_construct(I, v, tc);   /* a.dtype.type(x) */
  if (tc == IRT_FUNC) ir_error(I->ctx, EM_ERR_CONSTRUCT, x->line, "calls of functions chosen at run time");
  TERR(x->line, "'%s' object is not callable", pyname(I, tc));
}

/* -- Iteration -------------------------------------------------------------- */

static IrType range_(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a[3] = {x->args[0], x->args[1], x->args[2]};
  int32_t line = x->line;
  if (!ready(I, v, 0)) return IRT_VOID;
  for (int i = 0; i < 3; i++) {
    IrType t = T(I, a[i]);
    bool npint = kind(I, t) == IRK_INT || kind(I, t) == IRK_UINT;   /* range(a[i]): a NumPy int's __index__ */
    if ((rank(t) < 0 || rank(t) > 1) && !npint)
      TERR(line, "'%s' object cannot be interpreted as an integer", pyname(I, t));
    a[i] = conv(I, a[i], IRT_INT, line);
  }
  if (RW) memcpy(ir_val(I->fn, v)->args, a, sizeof a);
  return IRT_RANGE;
}

/* -- Sequences indexed at run time ----------------------------------------------
 * A tuple (a list display is one, frontend/lists.c) indexed by a run-time int
 * or iterated: its items must join to one type (numbers on the tower, or all
 * of one type); the item is a chain of selects on the index.  `for x in t`
 * iterates over range(len(t)): the getiter keeps the tuple in aux.v.i until
 * its iternext (which the frontend puts in the loop it dominates) is
 * rewritten into the index's item. */

/* The join of the items of tuple type 't' ("an item" meeting at 'line');
 * int for an empty tuple if 'iterated' (the loop's body never runs). */
static IrType items_join(In *I, IrType t, int32_t line, bool iterated)
{
  const IrTypeInfo *ti = ir_type_info(I->ctx, t);
  IrType e = IRT_VOID;
  if (!ti->nelem && iterated) return IRT_INT;
  if (!ti->nelem) TERR(line, "tuple index out of range");
  for (uint16_t k = 0; k < ti->nelem; k++) e = join(I, e, ti->elem[k], line, "an item of a sequence indexed at run time");
  return e;
}

/* rw: item 'k' (an int in range) of tuple 't' as type 'e', a chain of selects. */
static IrRef item_at(In *I, IrRef t, IrRef k, IrType e, int32_t line)
{
  const IrTypeInfo *ti = ir_type_info(I->ctx, T(I, t));
  IrRef r = 0;
  for (int j = ti->nelem; j-- > 0;) {
    IrRef x = before(I, IR_EXTRACT, ti->elem[j], &t, 1, line);
    ir_val(I->fn, x)->aux.v.i = j;
    x = conv(I, x, e, line);
    if (!r) { r = x; continue; }
    IrRef c[2] = {k, konst(I, IRT_INT, (IrAuxVal){.i = j}, line)};
    IrRef s[3] = {before(I, IR_EQ, IRT_BOOL, c, 2, line), x, r};
    r = before(I, IR_SELECT, e, s, 3, line);
  }
  return r;
}

IrType infer_tuple_item(In *I, IrRef v, IrRef t, IrRef idx, int32_t line)
{
  IrType it = T(I, idx), e = items_join(I, T(I, t), line, false);
  IrKind ik = kind(I, it);
  if (ik != IRK_BOOL && ik != IRK_PYINT && ik != IRK_INT && ik != IRK_UINT)
    TERR(line, "tuple indices must be integers or slices, not %s", pyname(I, it));
  if (!RW) return e;
  IrRef a[2] = {conv(I, idx, IRT_INT, line),
                konst(I, IRT_INT, (IrAuxVal){.i = ir_type_info(I->ctx, T(I, t))->nelem}, line)};
  IrRef k = before(I, IR_BOUNDS, IRT_INT, a, 2, line);   /* NumPy's IndexError for axis 0 */
  return mk_fwd(I, v, item_at(I, t, k, e, line));
}

/* getiter of tuple 't': an iterator over its indices (rw), of items of their join. */
static IrType tuple_iter(In *I, IrRef v, IrRef t, int32_t line)
{
  IrType e = items_join(I, T(I, t), line, true);
  if (!RW) return ir_type_iter(I->ctx, e, T(I, t));
  IrRef a[3] = {konst(I, IRT_INT, (IrAuxVal){.i = 0}, line),
                konst(I, IRT_INT, (IrAuxVal){.i = ir_type_info(I->ctx, T(I, t))->nelem}, line),
                konst(I, IRT_INT, (IrAuxVal){.i = 1}, line)};
  IrRef rg = before(I, IR_RANGE, IRT_RANGE, a, 3, line);
  mk_op(I, v, IR_GETITER, ir_type_iter(I->ctx, IRT_INT, IRT_RANGE), &rg, 1);
  ir_val(I->fn, v)->aux.v.i = t;
  return ir_type_iter(I->ctx, IRT_INT, IRT_RANGE);
}

/* rw: iternext 'v' of a tuple's getiter 'it': the item at the next index. */
static IrType tuple_next(In *I, IrRef v, IrRef it, int32_t line)
{
  IrRef t = (IrRef)ir_val(I->fn, it)->aux.v.i;
  IrType e = items_join(I, T(I, t), line, true);
  IrRef k = before(I, IR_ITERNEXT, IRT_INT, &it, 1, line);
  ir_val(I->fn, it)->aux.v.i = 0;
  if (!ir_type_info(I->ctx, T(I, t))->nelem) return mk_fwd(I, v, k);   /* never runs */
  return mk_fwd(I, v, item_at(I, t, k, e, line));
}

static IrType iter(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrType t = T(I, x->args[0]);
  if (!t) return IRT_VOID;
  const IrTypeInfo *ti = ir_type_info(I->ctx, t);
  if (x->op == IR_GETITER && ti->kind == IRK_ARRAY) return infer_array_iter(I, v);
  if (x->op == IR_GETITER && ti->kind == IRK_TUPLE) return tuple_iter(I, v, x->args[0], x->line);
  if (RW && x->op == IR_ITERNEXT && ir_val(I->fn, x->args[0])->op == IR_GETITER && ir_val(I->fn, x->args[0])->aux.v.i)
    return tuple_next(I, v, x->args[0], x->line);
  switch (x->op) {
  case IR_GETITER:
    if (ti->kind == IRK_RANGE) return ir_type_iter(I->ctx, IRT_INT, t);
    if (ti->kind == IRK_ITER) return t;
    TERR(x->line, "'%s' object is not iterable", pyname(I, t));
  case IR_ITERHAS: case IR_ITERNEXT:
    if (ti->kind != IRK_ITER) TERR(x->line, "'%s' object is not an iterator", pyname(I, t));
    return x->op == IR_ITERHAS ? IRT_BOOL : ti->elem[0];
  default: ember_die("iter");
  }
}

/* -- Terminators ------------------------------------------------------------ */

/* A stand-in of type 't' for a variable not assigned on this path (the
 * frontend's checks raise UNBOUND before any read of it). */
static IrRef unassigned(In *I, IrType t, int32_t line)
{
  const IrTypeInfo *ti = ir_type_info(I->ctx, t);
  if (ti->kind == IRK_TUPLE) {
    uint16_t n = ti->nelem;
    const IrType *te = ti->elem;
    IrRef *e = ir_alloc(I->ctx, (n ? n : 1) * sizeof *e);
    for (uint16_t k = 0; k < n; k++) e[k] = unassigned(I, te[k], line);
    return before(I, IR_TUPLE, t, e, n, line);
  }
  if (rank(t) < 0 && ti->kind != IRK_NONE)
    ir_errorf(I->ctx, EM_ERR_UNBOUND, line, "a local variable of type %s may be used before it is assigned", pyname(I, t));
  return konst(I, t, (IrAuxVal){.i = 0}, line);
}

/* NEP 50's type of Python float or complex type 'w' with np.float32 or
 * np.complex64 type 's' (np.float32 or np.complex64), or 0 for other types. */
static IrType small_union(IrType w, IrType s)
{
  if ((w != IRT_F64 && w != IRT_C128) || (s != IRT_F32 && s != IRT_C64)) return 0;
  return w == IRT_C128 || s == IRT_C64 ? IRT_C64 : IRT_F32;
}

/* The join of variable 'tp' (flags '*py') with value 'a' where 'what' meets
 * at 'line': join, except that a Python float or complex meeting an
 * np.float32 or np.complex64 is NEP 50's np.float32 or np.complex64 (the
 * first operation on both casts the Python number; check_union), marked
 * PY_UNION: `s = 0j; s += z64[i]` accumulates in complex64 as NumPy does. */
static IrType join_py(In *I, IrType tp, uint8_t *py, IrRef a, int32_t line, const char *what)
{
  IrType ta = T(I, a), t, u = 0;
  bool wa = weakf(I, a) || ta == IRT_INT || ta == IRT_BOOL;   /* a Python scalar */
  if (!tp) {
    t = ta;
    *py = wa ? PY_WEAK : 0;
  } else if (((*py & PY_WEAK) && (u = small_union(tp, ta))) || (wa && (u = small_union(ta, tp)))) {
    t = u;
    *py |= PY_UNION;
  } else {
    t = join(I, tp, ta, line, what);
    if (!wa) *py &= ~PY_WEAK;
  }
  return t;
}

static bool f32_exact(double d) { return (double)(float)d == d || isnan(d); }

/* Python float (or complex) 'a' flows into an np.float32 (np.complex64)
 * variable (join_param) and is converted there, to what NumPy computes with
 * at its first operation; but where that never comes (a loop that runs no
 * time) CPython still has the Python number, so only a constant that float32
 * holds exactly may start such a variable (s = 0.0, p = 1.0, s = 0j; the
 * result of no iteration is then np.float32(0.0) for 0.0, the same number). */
static void check_union(In *I, IrRef a, int32_t line)
{
  IrVal *x = ir_val(I->fn, a);
  if ((x->op == IR_NEG || x->op == IR_POS) && ir_val(I->fn, x->args[0])->op == IR_CONST) x = ir_val(I->fn, x->args[0]);
  if (x->op == IR_CONST && x->type == IRT_C128) {
    if (f32_exact(x->aux.v.c[0]) && f32_exact(x->aux.v.c[1])) return;
    TERR(line, "a variable starts as the Python complex (%.17g%+.17gj) and becomes np.complex64 in a loop (NEP 50), "
         "which does not hold it exactly: Ember gives a variable one type; start it as np.complex64(...)",
         x->aux.v.c[0], x->aux.v.c[1]);
  }
  if (x->op == IR_CONST && f32_exact(x->aux.v.f)) return;
  if (x->op == IR_CONST)
    TERR(line, "a variable starts as the Python float %.17g and becomes np.float32 in a loop (NEP 50), which holds "
         "it only as %.9g: Ember gives a variable one type; start it as np.float32(%.17g) or float32-exact", x->aux.v.f,
         (double)(float)x->aux.v.f, x->aux.v.f);
  TERR(line, "a variable is a Python float or complex on one path and np.float32 or np.complex64 on another (NEP 50: "
       "a Python float with np.float32 is np.float32); Ember gives a variable one type: start it as np.float32(...), "
       "np.complex64(...) or a constant");
}

/* Is 'r' a Python scalar (NEP 50 weak)? */
static bool pyscalar(In *I, IrRef r) { return weakf(I, r) || T(I, r) == IRT_INT || T(I, r) == IRT_BOOL; }

/* Is 'r' a PY_UNION parameter (np.float32 or np.complex64 that was a Python number)? */
static bool is_union(In *I, IrRef r)
{
  return r < I->nty && (I->py[r] & PY_UNION) && (I->ty[r] == IRT_F32 || I->ty[r] == IRT_C64);
}

/* Is 'c' a constant zero (0.0, 0j)? */
static bool zero_const(const IrVal *c)
{
  if (c->op != IR_CONST) return false;
  return c->type == IRT_C128 ? c->aux.v.c[0] == 0.0 && c->aux.v.c[1] == 0.0 : c->aux.v.f == 0.0;
}

/* Mark the PY_UNION parameters that a Python float other than 0.0 flows into (PY_NONZERO). */
static void mark_nonzero(In *I)
{
  IrFunc *fn = I->fn;
  for (uint32_t k = 0; k < I->nrpo; k++) {
    IrBlock *bk = &fn->blocks[I->rpo[k]];
    if (!I->reach[I->rpo[k]] || !bk->ninsts) continue;
    IrVal *t = ir_val(fn, bk->insts[bk->ninsts - 1]);
    for (uint32_t s = 0; s < t->nsucc; s++)
      for (uint32_t i = 0; i < t->succ[s].nargs; i++) {
        IrRef p = fn->blocks[t->succ[s].blk].params[i], a = t->succ[s].args[i];
        IrVal *c = ir_val(fn, a);
        if (is_union(I, p) && small_union(T(I, a), I->ty[p]) && !zero_const(c)) I->py[p] |= PY_NONZERO;
      }
  }
}

/* Arithmetic of a PY_UNION parameter with a Python scalar computes in float32
 * where CPython, before the loop's first float32 operation, computes in
 * float64 (p = 1.0 then p * 0.1): a TypingError, except 0.0 * x and 0.0 / x
 * (zero either way, or NaN; not for |x| beyond float32's range, which
 * float32 makes inf, and 0.0 / 0, NaN in float32 where CPython raises). */
static void check_union_uses(In *I)
{
  IrFunc *fn = I->fn;
  mark_nonzero(I);
  for (uint32_t k = 0; k < I->nrpo; k++) {
    IrBlock *bk = &fn->blocks[I->rpo[k]];
    if (!I->reach[I->rpo[k]]) continue;
    for (uint32_t j = 0; j < bk->ninsts; j++) {
      IrVal *x = ir_val(fn, bk->insts[j]);
      if (x->op < IR_ADD || x->op > IR_BXOR || x->nargs != 2) continue;
      for (int i = 0; i < 2; i++) {
        IrRef u = x->args[i], o = x->args[1 - i];
        bool zero_ok = (x->op == IR_MUL || (x->op == IR_TRUEDIV && i == 0)) && !(I->py[u] & PY_NONZERO);
        if (!is_union(I, u) || !pyscalar(I, o) || zero_ok) continue;
        TERR(x->line, "a variable that starts as a Python float and becomes np.float32 in a loop (NEP 50) is "
             "combined with a Python number: CPython computes that in float64 until the variable is np.float32, "
             "Ember in float32 throughout; start the variable as np.float32(...)");
      }
    }
  }
}

/* Make successor 's' of a branch at 'line' reachable and join its arguments
 * into the target's parameters; rw converts the arguments to them. */
static void flow(In *I, IrRef term, uint32_t s, int32_t line)
{
  IrSucc *sc = &ir_val(I->fn, term)->succ[s];
  IrBlk to = sc->blk;
  if (!I->reach[to]) I->reach[to] = 1, I->changed = true;
  for (uint32_t i = 0; i < sc->nargs; i++) {
    IrRef p = I->fn->blocks[to].params[i], a = sc->args[i];
    if (RW) {
      if (!T(I, a)) {  /* an unassigned variable (const undef): any value of the type will do */
        a = unassigned(I, I->ty[p], line);
      } else {
        if (small_union(T(I, a), I->ty[p])) check_union(I, a, line);
        infer_array_fits(I, a, I->ty[p], line);
        a = conv(I, a, I->ty[p], line);
      }
      ir_val(I->fn, term)->succ[s].args[i] = a;
      continue;
    }
    uint8_t py = I->py[p];
    if (kind(I, T(I, a)) == IRK_LIST) infer_list_flow(I, p, a);
    if (kind(I, T(I, a)) == IRK_DICT) infer_dict_flow(I, p, a);
    IrType t = join_py(I, I->ty[p], &I->py[p], a, line, "a variable");
    if (t != I->ty[p] || py != I->py[p]) I->ty[p] = t, I->changed = true;
  }
}

static IrType cbr(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef c = x->args[0];
  int32_t line = x->line;
  if (!T(I, c)) return IRT_VOID;
  int8_t k = truthk(I, c);
  if (k < 0) {
    if (RW) {
      c = conv(I, c, IRT_BOOL, line);
      ir_val(I->fn, v)->args[0] = c;
    }
    flow(I, v, 0, line);
    flow(I, v, 1, line);
    return IRT_VOID;
  }
  if (RW) {  /* known condition: a jump to the taken successor */
    x = ir_val(I->fn, v);
    x->succ[0] = x->succ[k ? 0 : 1];
    x->nsucc = 1;
    x->nargs = 0;
    x->op = IR_BR;
    flow(I, v, 0, line);
    return IRT_VOID;
  }
  flow(I, v, k ? 0 : 1, line);
  return IRT_VOID;
}

/* Whether a raise can carry a value of type 't' to its exception (a number, None, a tuple of them). */
static bool payable(In *I, IrType t)
{
  const IrTypeInfo *ti = ir_type_info(I->ctx, t);
  switch (ti->kind) {
  case IRK_BOOL: case IRK_PYINT: case IRK_INT: case IRK_UINT: case IRK_FLOAT: case IRK_COMPLEX: case IRK_NONE:
    return true;
  case IRK_TUPLE:
    for (int i = 0; i < ti->nelem; i++)
      if (!payable(I, ti->elem[i])) return false;
    return true;
  default: return false;
  }
}

/* raise USER (frontend/raise.c): its values travel in EmErr.pay. */
static IrType raise_(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  uint32_t slots = 0;
  if (!ready(I, v, 0)) return IRT_VOID;
  for (uint32_t i = 0; i < x->nargs; i++) {
    IrType t = T(I, x->args[i]);
    if (!payable(I, t)) TERR(x->line, "an exception cannot hold or format a value of type %s here", pyname(I, t));
    slots += ir_type_slots(I->ctx, t);
  }
  if (slots > IR_MAXPAY)
    ir_errorf(I->ctx, EM_ERR_TOOBIG, x->line, "an exception with %u values (at most %d) is too large to compile",
              slots, IR_MAXPAY);
  return IRT_VOID;
}

/* print (frontend/print.c): numbers, None, tuples of them and arrays; an
 * effect, so a failed check never reruns the function in the interpreter. */
static IrType print_(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  if (!ready(I, v, 0)) return IRT_VOID;
  for (uint32_t i = 0; i < x->nargs; i++) {
    IrType t = T(I, x->args[i]);
    if (!payable(I, t) && kind(I, t) != IRK_ARRAY) TERR(x->line, "print() of a %s is not supported", pyname(I, t));
  }
  I->impure = true;
  return IRT_VOID;
}

static IrType ret(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  IrRef a = x->args[0];
  int32_t line = x->line;
  if (!T(I, a)) return IRT_VOID;
  if (RW) {
    if (small_union(T(I, a), I->fn->ret)) check_union(I, a, line);
    infer_array_fits(I, a, I->fn->ret, line);
    a = conv(I, a, I->fn->ret, line);
    ir_val(I->fn, v)->args[0] = a;
    return IRT_VOID;
  }
  IrKind k = kind(I, T(I, a));
  if (k == IRK_FUNC || k == IRK_MODULE || k == IRK_ITER)
    TERR(line, "returning a %s is not supported", pyname(I, T(I, a)));
  I->ret = join_py(I, I->ret, &I->retpy, a, line, "the return value");
  return IRT_VOID;
}

/* -- Dispatch ---------------------------------------------------------------- */

/* The type of instruction 'v' from its operands' types; rw rewrites it. */
static IrType visit(In *I, IrRef v)
{
  IrVal *x = ir_val(I->fn, v);
  I->kcv = -1;
  switch ((IrOp)x->op) {
  case IR_NOP: case IR_PARAM: case IR_UNREACH: return IRT_VOID;
  case IR_RAISE: return raise_(I, v);
  case IR_PRINT: return print_(I, v);
  case IR_CONST:
    if (x->type == IRT_ANY) {  /* undef: its branch arguments become constants */
      if (RW) ir_remove(I->fn, v), I->removed = true;
      return IRT_VOID;
    }
    if (rank(x->type) >= 0) I->kcv = x->type == IRT_F64 ? x->aux.v.f != 0.0
                                     : x->type == IRT_C128 ? (x->aux.v.c[0] != 0.0 || x->aux.v.c[1] != 0.0)
                                     : x->aux.v.i != 0;
    return x->type;
  case IR_GLOBAL: ir_error(I->ctx, EM_ERR_GLOBAL, x->line, x->aux.v.s);
  case IR_FUNCREF: return IRT_FUNC;
  case IR_ACONST: return x->type;   /* a frozen global: typed by the frontend */
  case IR_BUILTIN: return infer_array_typeobj(I, x->aux.v.s);   /* dtype<T> for int, float, bool, complex */
  case IR_MODREF: return IRT_MODULE;
  case IR_ATTR: return attr(I, v);
  case IR_ADD: case IR_SUB: case IR_MUL: case IR_TRUEDIV: case IR_FLOORDIV: case IR_MOD: case IR_POW:
  case IR_LSHIFT: case IR_RSHIFT: case IR_BAND: case IR_BOR: case IR_BXOR:
    return binop(I, v);
  case IR_NEG: case IR_POS: case IR_INVERT: return unop(I, v);
  case IR_NOT: return vnot(I, v);
  case IR_TRUTH:
    if (T(I, x->args[0]) == IRT_BOOL) { I->kcv = truthk(I, x->args[0]); return IRT_BOOL; }
    return truth_of(I, v, x->args[0], x->line);
  case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE: return compare(I, v);
  case IR_IS: case IR_ISNOT: return is(I, v);
  case IR_CVT: case IR_CALLFN: case IR_EW:
    if (x->type == IRT_ANY) TERR(x->line, "%s without a result type", ir_opinfo[x->op].text);
    if (x->op == IR_CALLFN) I->impure = true;  /* already bound: its purity is unknown */
    return ready(I, v, 0) ? x->type : IRT_VOID;
  case IR_TUPLE: return tuple(I, v);
  case IR_EXTRACT: return extract(I, v);
  case IR_SELECT: return select_(I, v);
  case IR_CALL: return call(I, v);
  case IR_INTRIN: return intrin(I, v);
  case IR_RANGE: return range_(I, v);
  case IR_LNEW: case IR_LLEN: case IR_LGET: case IR_LSET: case IR_LAPPEND: case IR_LRESIZE:
    return infer_list_op(I, v);
  case IR_DNEW: case IR_DLEN: case IR_DFIND: case IR_DGET: case IR_DSET: case IR_DDEL: case IR_DKEY: case IR_DVAL:
  case IR_DPACK: case IR_DCLEAR: case IR_DVIEW: case IR_DCOPY:
    return infer_dict_op(I, v);
  case IR_GETITEM: case IR_SETITEM:
    if (T(I, x->args[0]) && kind(I, T(I, x->args[0])) == IRK_DICT) return infer_dict_op(I, v);
    if (T(I, x->args[0]) && kind(I, T(I, x->args[0])) == IRK_LIST) return infer_list_op(I, v);
    return infer_array_op(I, v);
  case IR_SLICE: case IR_ASHAPE: case IR_ASTRIDE: case IR_ADATA: case IR_BOUNDS:
  case IR_ALOAD: case IR_ASTORE: case IR_AVIEW: case IR_AALLOC: case IR_GUARD: case IR_MATMUL:
    return infer_array_op(I, v);
  case IR_GETITER:
    if (T(I, x->args[0]) && kind(I, T(I, x->args[0])) == IRK_DICT) return infer_dict_op(I, v);
    if (T(I, x->args[0]) && kind(I, T(I, x->args[0])) == IRK_LIST) return infer_list_op(I, v);
    return iter(I, v);
  case IR_ITERHAS: case IR_ITERNEXT: return iter(I, v);
  case IR_BR: flow(I, v, 0, x->line); return IRT_VOID;
  case IR_CBR: return cbr(I, v);
  case IR_RET: return ret(I, v);
  case IR__COUNT: break;
  }
  ember_die("infer: unknown op");
}

/* -- Driver ------------------------------------------------------------------- */

static void analyze_block(In *I, IrBlk b)
{
  IrBlock *bk = &I->fn->blocks[b];
  for (uint32_t i = 0; i < bk->ninsts; i++) {
    IrRef v = bk->insts[i];
    IrType t = visit(I, v);
    if (t != I->ty[v] || I->kcv != I->kc[v]) {
      I->ty[v] = t;
      I->kc[v] = I->kcv;
      I->changed = true;
    }
  }
}

/* One fixed point of the analysis with I->selfret for recursive calls. */
static void analyze(In *I)
{
  IrFunc *fn = I->fn;
  memset(I->ty, 0, I->nty * sizeof *I->ty);
  memset(I->kc, -1, I->nty);
  memset(I->reach, 0, fn->nblocks);
  for (uint32_t i = 0; i < fn->blocks[0].nparams; i++) {
    IrRef p = fn->blocks[0].params[i];
    IrType t = fn->vals[p].type;
    if (t == IRT_ANY || t == IRT_VOID) TERR(fn->firstline, "the type of argument %u is not set", i + 1);
    I->ty[p] = t;
  }
  I->impure = false;
  I->reach[0] = 1;
  for (int round = 0;; round++) {
    I->changed = false;
    I->ret = IRT_VOID;   /* from this round's values (a Python float of an early round may be np.float32 now) */
    I->retpy = 0;
    for (uint32_t i = 0; i < I->nrpo; i++)
      if (I->reach[I->rpo[i]]) analyze_block(I, I->rpo[i]);
    if (!I->changed) break;
    if (round > 10000) ember_die("infer: no fixed point");
  }
}

/* Every value of a reachable block must have a type now. */
static void check_typed(In *I)
{
  IrFunc *fn = I->fn;
  for (uint32_t k = 0; k < I->nrpo; k++) {
    IrBlk b = I->rpo[k];
    IrBlock *bk = &fn->blocks[b];
    if (!I->reach[b]) continue;
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrRef v = bk->insts[i];
      IrVal *x = &fn->vals[v];
      if ((x->op == IR_RET || x->op == IR_CBR) && is_undef(I, x->args[0]))
        ir_errorf(I->ctx, EM_ERR_UNBOUND, x->line, "a local variable may be used before it is assigned");
      if (I->ty[v] || (ir_opinfo[x->op].flags & (IRF_TERM | IRF_VOID)) || x->op == IR_NOP || is_undef(I, v)) continue;
      if (I->recursive)
        TERR(x->line, "cannot infer the return type of %s: every path to a return goes through a recursive call",
             fn->name);
      for (uint32_t a = 0; a < x->nargs; a++) {
        IrRef r = x->args[a];
        if (!I->ty[r] && (is_undef(I, r) || fn->vals[r].op == IR_PARAM))
          ir_errorf(I->ctx, EM_ERR_UNBOUND, x->line, "a local variable may be used before it is assigned");
      }
      ir_errorf(I->ctx, EM_ERR_TYPES, x->line, "internal: %s left without a type", ir_opinfo[x->op].text);
    }
  }
}

/* Rewrite the reachable blocks to the typed contract; drop the others. */
static void rewrite(In *I)
{
  IrFunc *fn = I->fn;
  fn->ret = I->ret ? I->ret : IRT_NONE;
  I->rw = true;
  for (IrBlk b = 0; b < fn->nblocks; b++)
    if (!I->reach[b]) fn->blocks[b].dead = true;
  for (uint32_t k = 0; k < I->nrpo; k++) {
    IrBlock *bk = &fn->blocks[I->rpo[k]];
    for (uint32_t i = 0; i < bk->nparams && I->reach[I->rpo[k]]; i++) {
      IrRef p = bk->params[i];
      if (!I->ty[p]) I->ty[p] = IRT_NONE;  /* only unassigned values flow here */
      fn->vals[p].type = I->ty[p];
    }
  }
  for (uint32_t k = 0; k < I->nrpo; k++) {
    IrBlk b = I->rpo[k];
    if (!I->reach[b]) continue;
    I->blk = b;
    for (I->pos = 0; I->pos < fn->blocks[b].ninsts;) {
      IrRef v = fn->blocks[b].insts[I->pos];
      I->removed = false;
      IrType t = visit(I, v);
      if (I->removed) continue;
      IrVal *x = &fn->vals[v];
      x->type = (ir_opinfo[x->op].flags & IRF_TERM) || x->op == IR_NOP ? IRT_VOID : t;
      I->pos++;
    }
  }
  fn->pure = !I->impure;
}

void pass_infer(IrFunc *fn)
{
  IrCtx *ctx = fn->ctx;
  In *I = ir_alloc(ctx, sizeof *I);
  I->fn = fn;
  I->ctx = ctx;
  I->nty = fn->nvals;
  I->ty = ir_alloc(ctx, fn->nvals * sizeof *I->ty);
  I->kc = ir_alloc(ctx, fn->nvals);
  I->py = ir_alloc(ctx, fn->nvals);
  memset(I->py, 0, fn->nvals);
  I->reach = ir_alloc(ctx, fn->nblocks);
  I->calls = ir_alloc(ctx, fn->nvals * sizeof *I->calls);
  I->rpo = ir_alloc(ctx, fn->nblocks * sizeof *I->rpo);
  I->nrpo = ir_fill_rpo(fn, I->rpo);
  I->selfret = IRT_VOID;
  for (int round = 0;; round++) {  /* recursion: until our own return type is stable */
    analyze(I);
    if (!I->recursive || I->ret == I->selfret) break;
    I->selfret = join(I, I->selfret, I->ret, fn->firstline, "the return value");
    if (round > 100) ember_die("infer: return type does not settle");
  }
  if (infer_list_settle(I) | infer_dict_settle(I)) analyze(I);   /* lists and dicts whose types are never known: float */   /* lists whose items are never known: of float */
  check_typed(I);
  check_union_uses(I);
  rewrite(I);
}

/* -- For infer_array.c (infer.h) ----------------------------------------------- */

IrType infer_T(In *I, IrRef r) { return T(I, r); }
InList **infer_lists(In *I) { return &I->lists; }
InDict **infer_dicts(In *I) { return &I->dicts; }
void infer_set_changed(In *I) { I->changed = true; }
IrType infer_join(In *I, IrType a, IrType b, int32_t line, const char *what) { return join(I, a, b, line, what); }
IrFunc *infer_fn(In *I) { return I->fn; }
bool infer_rw(In *I) { return I->rw; }
void infer_set_impure(In *I) { I->impure = true; }
const char *infer_pyname(In *I, IrType t) { return pyname(I, t); }
IrRef infer_before(In *I, IrOp op, IrType t, const IrRef *args, uint32_t n, int32_t line) { return before(I, op, t, args, n, line); }
IrRef infer_konst(In *I, IrType t, IrAuxVal v, int32_t line) { return konst(I, t, v, line); }
IrRef infer_conv(In *I, IrRef r, IrType to, int32_t line) { return conv(I, r, to, line); }
IrType infer_mk_op(In *I, IrRef v, IrOp op, IrType t, const IrRef *args, uint32_t n) { return mk_op(I, v, op, t, args, n); }
IrType infer_mk_const(In *I, IrRef v, IrType t, IrAuxVal val) { return mk_const(I, v, t, val); }
IrType infer_mk_fwd(In *I, IrRef v, IrRef r) { return mk_fwd(I, v, r); }
IrType infer_mk_intrin(In *I, IrRef v, IrIntrin id, IrType t, const IrRef *args, uint32_t n) { return mk_intrin(I, v, id, t, args, n); }
IrType infer_callfn(In *I, IrRef v, int64_t id, const char *name) { return callfn_id(I, v, id, name, false); }
IrType infer_builtin(In *I, IrRef v, const char *name) { return builtin(I, v, name); }
int infer_rank(IrType t) { return rank(t); }

int infer_cat(In *I, IrType t)
{
  switch (t ? ir_type_info(I->ctx, t)->kind : IRK_VOID) {
  case IRK_BOOL: return 0;
  case IRK_PYINT: case IRK_INT: case IRK_UINT: return 1;
  case IRK_FLOAT: return 2;
  case IRK_COMPLEX: return 3;
  default: return 4;
  }
}
bool infer_weak(In *I, IrRef r) { return weakf(I, r); }

#undef RW
#undef TERR
