/* passes/infer_array.c: typing of arrays, NumPy scalars and the numpy module.
 *
 * infer.c calls these hooks (passes/infer.h) where an operand is an array,
 * a NumPy scalar (i8..u64, f32, c64), a dtype, or the numpy module; they
 * follow infer's two stages (analysis computes types; rw rewrites).
 *
 * NumPy scalars, NEP 50: two NumPy types promote by NumPy's table (int8 with
 * uint8 is int16, int64 with uint64 is float64, float32 with int32 is
 * float64, complex64 with float64 is complex128); a Python scalar is "weak":
 * it takes the NumPy operand's type when its kind (bool < int < float <
 * complex) is not higher, else the default type of its kind (float64,
 * complex128; complex64 with float32).  Python int is always weak; since
 * Python float and np.float64 are one type here (f64, likewise c128), an f64
 * or c128 operand is weak only when it is a constant (`a[i] * 2.0` stays
 * float32; a float64 variable with a float32 one gives float64, which
 * NumPy does only for np.float64).  Arithmetic on NumPy ints wraps; int / int
 * is float64 division (Python's ZeroDivisionError on a zero divisor, like
 * f64 everywhere: NumPy would give inf with a warning).
 *
 * Arrays: `a[...]` is GETITEM and `a[...] = v` SETITEM, typed here and
 * expanded by passes/lower.c.  An index is an int (any integer type,
 * converted to int), a slice (SLICE of int or none), None (np.newaxis: a
 * new axis of extent 1), or a tuple of them; fewer indices than
 * dimensions leave the others whole.  The result is the
 * element (all dimensions indexed by ints) or a view, whose layout stays C
 * (or F) where NumPy's would stay contiguous, else A.  Attributes: shape,
 * ndim, size, dtype, itemsize, nbytes, T; len(a); `for x in a`, enumerate
 * and zip.  Methods and numpy functions other than the few primitives here
 * (np.empty, a.reshape, the dtype constructors) are library functions:
 * IrHost.resolve names an ember.jit function (jit/ember/_lib.py), and the
 * call becomes an ordinary compiled call with the array as first argument.
 * Whole-array expressions (a + b, -a, a < b, np.exp(a), np.where(c, a, b))
 * are calls of the library's loops "ew.<op>.<T>.<RT>" (ew_op, ew_func):
 * NumPy's broadcasting and result dtypes, one temporary per operation
 * (fusion is a later pass).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "infer.h"

#define RW infer_rw(I)
#define TY(r) infer_T(I, (r))
#define CTX (infer_fn(I)->ctx)
#define TERR(line, ...) ir_errorf(CTX, EM_ERR_TYPES, (line), __VA_ARGS__)

static const IrTypeInfo *info(In *I, IrType t) { return ir_type_info(CTX, t); }
static IrKind kindof(In *I, IrType t) { return info(I, t)->kind; }
/* The type of the values of an array of 'dt' (float16 is read as float32). */
static IrType elemval(IrType dt) { return dt == IRT_F16 ? IRT_F32 : dt; }
static IrVal *val(In *I, IrRef r) { return ir_val(infer_fn(I), r); }

/* -- NumPy scalar types and NEP 50 ------------------------------------------ */

bool infer_array_is_np(In *I, IrType t)
{
  if (!t) return false;
  const IrTypeInfo *ti = info(I, t);
  return ti->kind == IRK_INT || ti->kind == IRK_UINT || (ti->kind == IRK_FLOAT && ti->bits == 32) ||
         (ti->kind == IRK_COMPLEX && ti->bits == 64);
}

/* infer_cat with -1 for what is not a number. */
static int cat(In *I, IrType t)
{
  int c = infer_cat(I, t);
  return c == 4 ? -1 : c;
}

static IrType sint(int bits) { return bits <= 8 ? IRT_I8 : bits <= 16 ? IRT_I16 : bits <= 32 ? IRT_I32 : IRT_I64; }

/* NumPy's promotion of two types that are both "strong" (Python int is
 * never passed here; f64 and c128 stand for np.float64 and np.complex128). */
static IrType promote(In *I, IrType a, IrType b)
{
  if (a == b) return a;
  const IrTypeInfo *ia = info(I, a), *ib = info(I, b);
  int ca = cat(I, a), cb = cat(I, b);
  if (ca == 0) return b;
  if (cb == 0) return a;
  if (ca == 1 && cb == 1) {
    bool sa = ia->kind == IRK_INT, sb = ib->kind == IRK_INT;
    if (sa == sb) return ia->bits >= ib->bits ? a : b;
    int sbits = sa ? ia->bits : ib->bits, ubits = sa ? ib->bits : ia->bits;
    if (sbits > ubits) return sint(sbits);
    return ubits < 64 ? sint(2 * ubits) : IRT_F64;
  }
  if (ca == cb) return ia->bits >= ib->bits ? a : b;   /* float32 and float64: float64 */
  if (ca < cb) { IrType t = a; a = b; b = t; const IrTypeInfo *x = ia; ia = ib; ib = x; int c = ca; ca = cb; cb = c; }
  /* now ca > cb >= 1: a is float or complex */
  bool small = ib->bits <= 16 && cb == 1;          /* ints that fit a float32 exactly */
  if (ca == 2) return ia->bits == 64 || (cb == 1 && !small) ? IRT_F64 : IRT_F32;
  if (ia->bits == 128) return IRT_C128;
  if (cb == 1) return small ? IRT_C64 : IRT_C128;
  return ib->bits == 64 ? IRT_C128 : IRT_C64;      /* complex64 with float32 / float64 */
}

/* Is value 'r' of type 't' a weak Python scalar?  Python int always; a
 * float or complex when it is a constant or an argument that was a Python
 * float or complex (jit/ marks np.float64 and np.complex128 arguments with
 * aux 1 on their parameter). */
static bool weak(In *I, IrRef r, IrType t)
{
  if (t == IRT_INT) return true;
  if (t != IRT_F64 && t != IRT_C128 && t != IRT_BOOL) return false;
  IrVal *x = r ? val(I, r) : NULL;
  return x && (x->op == IR_CONST || (x->op == IR_PARAM && x->blk == 0 && !x->aux.v.i) || infer_weak(I, r));
}

/* NEP 50: the type of an operation on 'a' (value ra, may be 0) and 'b'. */
static IrType nep50(In *I, IrRef ra, IrType a, IrRef rb, IrType b)
{
  bool wa = weak(I, ra, a), wb = weak(I, rb, b);
  if (wa && wb) return promote(I, a == IRT_INT ? IRT_I64 : a, b == IRT_INT ? IRT_I64 : b);
  if (wb) { IrRef r = ra; ra = rb; rb = r; IrType t = a; a = b; b = t; wa = true; wb = false; }
  if (!wa) return promote(I, a, b);
  int ca = cat(I, a), cb = cat(I, b);              /* a weak, b strong */
  if (ca <= cb) return b;
  if (ca == 3 && b == IRT_F32) return IRT_C64;
  return promote(I, ca == 1 ? IRT_I64 : ca == 2 ? IRT_F64 : IRT_C128, b);
}

IrType infer_array_join(In *I, IrType a, IrType b)
{
  const IrTypeInfo *ia = info(I, a), *ib = info(I, b);
  if (ia->kind == IRK_ARRAY && ib->kind == IRK_ARRAY && ia->elem[0] == ib->elem[0] && ia->ndim == ib->ndim)
    return ir_type_array(CTX, ia->elem[0], ia->ndim, ia->layout == ib->layout ? ia->layout : 'A',
                         ia->readonly || ib->readonly);
  if (!infer_array_is_np(I, a) && !infer_array_is_np(I, b)) return IRT_VOID;
  if (cat(I, a) < 0 || cat(I, b) < 0) return IRT_VOID;
  return nep50(I, 0, a, 0, b);
}

/* -- Whole-array expressions ------------------------------------------------ */

/* An operator with an array operand (a + b, -a, a < b) or a NumPy function
 * of arrays (np.exp(a), np.where(c, a, b)) becomes a call of the library's
 * loop "ew.<op>.<T>.<RT>" / "ew.numpy.<f>.<T>" (jit/ember/_lib.py writes it):
 * T is the NEP 50 type of the operands' elements (an array's dtype is
 * strong, a Python scalar weak), RT the result's dtype. */

static IrType library(In *I, IrRef v, const char *qn, int32_t line);
_Noreturn static void badbin(In *I, IrRef v, IrType a, IrType b);

/* The element type of an array type, else 't'. */
static IrType elem_of(In *I, IrType t)
{
  return kindof(I, t) == IRK_ARRAY ? elemval(info(I, t)->elem[0]) : t;
}

/* NumPy's name of dtype 't' ("float64"). */
static const char *dtname(IrType t);

/* NEP 50 over operands 'a' (array dtypes strong). */
static IrType ew_type(In *I, const IrRef *a, int n, int32_t line)
{
  IrType t = 0;
  IrRef rt = 0;
  for (int k = 0; k < n; k++) {
    IrType e = elem_of(I, TY(a[k]));
    IrRef r = kindof(I, TY(a[k])) == IRK_ARRAY ? 0 : a[k];
    if (cat(I, e) < 0) TERR(line, "a NumPy operation on a %s", infer_pyname(I, e));
    if (!t) { t = e; rt = r; continue; }
    t = nep50(I, rt, t, r, e);
    rt = 0;
  }
  return t == IRT_INT ? IRT_I64 : t;
}

static const char *ew_opname(IrOp op)
{
  switch (op) {
  case IR_ADD: return "add"; case IR_SUB: return "sub"; case IR_MUL: return "mul";
  case IR_TRUEDIV: return "truediv"; case IR_FLOORDIV: return "floordiv"; case IR_MOD: return "mod";
  case IR_POW: return "pow"; case IR_LT: return "lt"; case IR_LE: return "le"; case IR_GT: return "gt";
  case IR_GE: return "ge"; case IR_EQ: return "eq"; case IR_NE: return "ne"; case IR_BAND: return "band";
  case IR_BOR: return "bor"; case IR_BXOR: return "bxor"; case IR_LSHIFT: return "lshift";
  case IR_RSHIFT: return "rshift"; case IR_NEG: return "neg"; case IR_POS: return "pos";
  case IR_INVERT: return "invert";
  default: return NULL;
  }
}

/* Does NumPy's same_kind rule refuse storing 'rt' into 'ot' (kinds b < u < i < f < c)? */
static bool not_same_kind(In *I, IrType rt, IrType ot)
{
  return cat(I, rt) > cat(I, ot) || (kindof(I, rt) == IRK_INT && kindof(I, ot) == IRK_UINT);
}

/* `a op= b` with an array a: the loop "ew.into.<op>.<T>.<RT>.<OT>" writes the
 * result into a (dtype OT) and returns it, as NumPy does; NumPy's same_kind
 * casting rule decides whether the result may be stored there. */
static IrType ew_into(In *I, IrRef v, const char *name, IrType t, IrType rt, int32_t line)
{
  const IrTypeInfo *ta = info(I, TY(val(I, v)->args[1]));
  IrType ot = ta->elem[0];
  if (ta->readonly) TERR(line, "cannot write to a read-only array (%s=)", name);
  IrRef b = val(I, v)->args[2];
  if (kindof(I, TY(b)) == IRK_ARRAY && info(I, TY(b))->ndim > ta->ndim)   /* NumPy: ValueError at run time */
    TERR(line, "non-broadcastable output operand: %d-d result written into a %d-d array",
         info(I, TY(b))->ndim, ta->ndim);
  if (not_same_kind(I, rt, ot))
    TERR(line, "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
         name, dtname(rt), dtname(ot));
  char qn[96];
  snprintf(qn, sizeof qn, "ew.into.%s.%s.%s.%s", name, dtname(t), dtname(rt), dtname(ot));
  if (!ta->ndim) return library(I, v, ir_strdup(CTX, qn), line);
  if (!RW) return TY(val(I, v)->args[1]);
  IrType at = TY(val(I, v)->args[1]);
  IrRef args[2] = {val(I, v)->args[1], val(I, v)->args[2]};
  infer_mk_op(I, v, IR_EW, at, args, 2);
  val(I, v)->aux.v.s = ir_strdup(CTX, qn + 3);   /* "into.<op>.<T>.<RT>.<OT>": fused with b's tree */
  return at;
}

/* The number of dimensions of the broadcast of operands 'a' ('n'). */
static int ew_ndim(In *I, const IrRef *a, int n)
{
  int nd = 0;
  for (int k = 0; k < n; k++)
    if (kindof(I, TY(a[k])) == IRK_ARRAY && info(I, TY(a[k]))->ndim > nd) nd = info(I, TY(a[k]))->ndim;
  return nd;
}

/* Value 'v' becomes the whole-array value `ew "<name>"(operands)` of dtype
 * 'rt' (fuse makes the loop); a result of no dimensions (0-d operands)
 * stays a call of the library's loop, which returns a NumPy scalar. */
/* Does float16 hold number 'd' exactly (NaN and infinities too)? */
static bool half_exact(double d)
{
  if (d != d || d == 0 || isinf(d)) return true;
  if (fabs(d) > 65504.0) return false;
  int e;
  frexp(d, &e);   /* 2^(e-1) <= |d| < 2^e: 11 significant bits, none below 2^-24 */
  return fmod(d, ldexp(1.0, (e - 1 < -14 ? -14 : e - 1) - 10)) == 0;
}

/* Is the float32 result of operands 'a' float16 in NumPy, and is it computed
 * so here: float16 arrays (read as float32) with bool, int8 or uint8 ones and
 * constants that float16 holds (NumPy casts a Python scalar to float16 first;
 * another, a Python float argument, keeps the float32 result). */
static bool half_result(In *I, const IrRef *a, int n)
{
  bool half = false;
  for (int k = 0; k < n; k++) {
    IrType t = TY(a[k]);
    if (kindof(I, t) != IRK_ARRAY) {
      const IrVal *c = val(I, a[k]);
      if (c->op != IR_CONST || (t != IRT_INT && t != IRT_F64 && t != IRT_BOOL)) return false;
      if (!half_exact(t == IRT_F64 ? c->aux.v.f : (double)c->aux.v.i)) return false;
      continue;
    }
    IrType e = info(I, t)->elem[0];
    half |= e == IRT_F16;
    if (e != IRT_F16 && e != IRT_BOOL && e != IRT_I8 && e != IRT_U8) return false;
  }
  return half;
}

static IrType ew_value(In *I, IrRef v, const char *name, const IrRef *a, int n, IrType rt, int32_t line)
{
  int nd = ew_ndim(I, a, n);
  char qn[96];
  snprintf(qn, sizeof qn, "ew.%s", name);
  if (!nd) return library(I, v, ir_strdup(CTX, qn), line);
  if (rt == IRT_F32 && half_result(I, a, n)) rt = IRT_F16;   /* computed in float32, stored rounded, as NumPy's loops */
  IrType t = ir_type_array(CTX, rt, nd, 'C', false);
  if (!RW) return t;
  IrRef args[3];
  memcpy(args, a, n * sizeof *a);
  infer_mk_op(I, v, IR_EW, t, args, (uint32_t)n);
  val(I, v)->aux.v.s = ir_strdup(CTX, name);
  return t;
}

/* The type a comparison of NumPy ints with a Python int is made in: NumPy 2
 * compares the values, so a Python int the dtype cannot hold (uint8 > -1,
 * int32 < 2**40) is not wrapped into it: int64 for ints narrower than 64 bits. */
static IrType cmp_wide(In *I, IrType t, const IrRef *a, int n)
{
  IrKind k = kindof(I, t);
  if ((k != IRK_INT && k != IRK_UINT) || info(I, t)->bits >= 64) return t;
  for (int i = 0; i < n; i++)
    if (TY(a[i]) == IRT_INT) return IRT_I64;
  return t;
}

/* The range of NumPy integer type 't' as int64 (uint64's top half is no
 * Python int of Ember's). */
static void int_range(In *I, IrType t, int64_t *lo, int64_t *hi)
{
  int bits = info(I, t)->bits;
  bool u = kindof(I, t) == IRK_UINT;
  *lo = u ? 0 : bits >= 64 ? INT64_MIN : -(INT64_C(1) << (bits - 1));
  *hi = u ? (bits >= 64 ? INT64_MAX : (INT64_C(1) << bits) - 1) : bits >= 64 ? INT64_MAX : (INT64_C(1) << (bits - 1)) - 1;
}

static IrRef kint(In *I, int64_t i, int32_t line) { return infer_konst(I, IRT_INT, (IrAuxVal){.i = i}, line); }
static IrRef ki64(In *I, int64_t i, int32_t line) { return infer_konst(I, IRT_I64, (IrAuxVal){.i = i}, line); }
static IrRef kf64(In *I, double f, int32_t line) { return infer_konst(I, IRT_F64, (IrAuxVal){.f = f}, line); }

static IrRef op2(In *I, IrOp op, IrType t, IrRef a, IrRef b, int32_t line)
{
  IrRef p[2] = {a, b};
  return infer_before(I, op, t, p, 2, line);
}

/* A guard raising 'kind' when 'bad', with payload 'pay' (i64 values). */
static void guard(In *I, IrRtErr kind, IrRef bad, const IrRef *pay, int npay, int32_t line)
{
  IrRef p[1 + IR_MAXPAY] = {bad};
  for (int i = 0; i < npay; i++) p[1 + i] = pay[i];
  IrRef g = infer_before(I, IR_GUARD, IRT_VOID, p, 1 + npay, line);
  val(I, g)->aux.v.i = kind;
}

/* OverflowError "Python integer 300 out of bounds for uint8" unless Python
 * int 'n' (type int) fits NumPy integer type 't'; no guard for a constant
 * that fits. */
static void np_bounds(In *I, IrRef n, IrType t, int32_t line)
{
  int64_t lo, hi;
  int_range(I, t, &lo, &hi);
  IrVal *c = val(I, n);
  if (c->op == IR_CONST && c->aux.v.i >= lo && c->aux.v.i <= hi) return;
  if (lo == INT64_MIN && hi == INT64_MAX) return;
  IrRef bad = op2(I, IR_BOR, IRT_BOOL, op2(I, IR_LT, IRT_BOOL, n, kint(I, lo, line), line),
                  op2(I, IR_GT, IRT_BOOL, n, kint(I, hi, line), line), line);
  IrRef pay[3] = {infer_conv(I, n, IRT_I64, line), ki64(I, info(I, t)->bits, line),
                  ki64(I, kindof(I, t) == IRK_INT, line)};
  guard(I, RT_NP_INT_BOUNDS, bad, pay, 3, line);
}

/* A Python int 'r' that becomes a NumPy int of type 't' (a variable joined
 * from both, as `s = 0; s += a[i]` with int32 items) must fit it: NumPy's
 * OverflowError at the first operation, not a wrapped number. */
void infer_array_fits(In *I, IrRef r, IrType t, int32_t line)
{
  IrKind k = kindof(I, t);
  if (RW && TY(r) == IRT_INT && (k == IRK_INT || k == IRK_UINT)) np_bounds(I, r, t, line);
}

/* NEP 50: a Python int operand of arithmetic on NumPy ints of type 't' must fit
 * in 't' (NumPy raises OverflowError "Python integer 300 out of bounds for
 * uint8"; wrapping it would be a silently wrong number): a guard per such operand. */
static void int_bounds(In *I, IrType t, const IrRef *a, int n, int32_t line)
{
  IrKind k = kindof(I, t);
  if (!RW || (k != IRK_INT && k != IRK_UINT)) return;
  for (int i = 0; i < n; i++)
    if (TY(a[i]) == IRT_INT) np_bounds(I, a[i], t, line);
}

/* The type NumPy computes binary 'op' in, from the NEP 50 type 't' of
 * operands of types 'ta' and 'tb' (arrays and NumPy scalars alike): int / int
 * is float64, bool // bool and bool ** bool int8; shifts need ints, bitwise
 * operators no floats, // and % no complex (TypeError at compile time). */
static IrType np_bintype(In *I, IrRef v, IrOp op, IrType t, IrType ta, IrType tb)
{
  int c = cat(I, t);
  switch (op) {
  case IR_TRUEDIV: return c <= 1 ? IRT_F64 : t;
  case IR_FLOORDIV: case IR_MOD:
    if (c == 3) badbin(I, v, ta, tb);
    return c == 0 ? IRT_I8 : t;
  case IR_LSHIFT: case IR_RSHIFT:
    if (c != 1) badbin(I, v, ta, tb);
    return t;
  case IR_BAND: case IR_BOR: case IR_BXOR:
    if (c > 1) badbin(I, v, ta, tb);
    return t;
  case IR_POW: return c == 0 ? IRT_I8 : t;
  default: return t;
  }
}

/* uint64 array against Python int 'a[k]', op 'name' (NumPy 2 compares the values,
 * so a negative int is below every uint64): `ew (a op uint64(k)) | (k < 0)`
 * where a negative k makes 'op' hold, `& !(k < 0)` where it does not. */
static IrType ew_cmp_u64(In *I, IrRef v, IrOp op, const char *name, const IrRef *a, int k, int32_t line)
{
  int nd = ew_ndim(I, a, 2);
  IrType t = ir_type_array(CTX, IRT_BOOL, nd, 'C', false);
  if (!RW) return t;
  IrRef neg = op2(I, IR_LT, IRT_BOOL, a[k], kint(I, 0, line), line);
  bool holds = op == IR_NE || (k == 0 ? op == IR_LT || op == IR_LE : op == IR_GT || op == IR_GE);
  if (!holds) neg = infer_before(I, IR_NOT, IRT_BOOL, &neg, 1, line);
  IrRef p[2] = {a[0], a[1]};
  p[k] = infer_conv(I, a[k], IRT_U64, line);
  IrRef c = infer_before(I, IR_EW, t, p, 2, line);
  char qn[32];
  snprintf(qn, sizeof qn, "%s.uint64.bool_", name);
  val(I, c)->aux.v.s = ir_strdup(CTX, qn);
  IrRef q[2] = {c, neg};
  return ew_value(I, v, holds ? "bor.bool_.bool_" : "band.bool_.bool_", q, 2, IRT_BOOL, line);
}

/* An operator with an array operand: its operands become the arguments of a call. */
static IrType ew_op(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrOp op = x->op;
  int32_t line = x->line;
  bool unary = op == IR_NEG || op == IR_POS || op == IR_INVERT;
  bool inplace = !unary && x->aux.v.i == 1 && (x->aux.s ? kindof(I, TY(x->args[1])) : kindof(I, TY(x->args[0]))) == IRK_ARRAY;
  if (!x->aux.s) {   /* once: [an array operand, the operands] (the first stands for the callee) */
    uint32_t n = unary ? 1 : 2;
    IrRef *a = ir_alloc(CTX, (n + 1) * sizeof *a);
    memcpy(a + 1, x->args, n * sizeof *a);
    a[0] = kindof(I, TY(a[1])) == IRK_ARRAY ? a[1] : a[2];
    x->args = a;
    x->nargs = n + 1;
    x->aux.s = "ew";
    x->aux.nkw = 0;
  }
  int n = (int)x->nargs - 1;
  IrType ta = TY(x->args[1]), tb = n > 1 ? TY(x->args[2]) : ta;
  IrType t = ew_type(I, x->args + 1, n, line), rt = t;
  int c = cat(I, t);
  const char *name = ew_opname(op);
  if (!name) TERR(line, "unsupported operation on arrays");
  if (!unary) t = rt = np_bintype(I, v, op, t, ta, tb);
  switch (op) {
  case IR_TRUEDIV:
    if (c == 3) name = "ctruediv";   /* a zero divisor raises ZeroDivisionError (NumPy: inf, nan) */
    break;
  case IR_POW:
    if (c == 3) name = "cpow";
    break;
  case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_EQ: case IR_NE:
    rt = IRT_BOOL;
    t = cmp_wide(I, t, x->args + 1, n);
    if (t == IRT_U64 && (ta == IRT_INT) != (tb == IRT_INT) && ew_ndim(I, x->args + 1, 2))
      return ew_cmp_u64(I, v, op, name, x->args + 1, ta == IRT_INT ? 0 : 1, line);
    break;
  case IR_ADD: case IR_MUL:
    if (c == 0) name = op == IR_ADD ? "bor" : "band";   /* logical or / and */
    break;
  case IR_SUB:
    if (c == 0) TERR(line, "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.");
    break;
  case IR_NEG:
    if (c == 0) TERR(line, "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.");
    break;
  case IR_INVERT:
    if (c > 1) TERR(line, "ufunc 'invert' not supported for the input types");
    break;
  default: break;
  }
  if (!(op >= IR_EQ && op <= IR_GE)) int_bounds(I, t, x->args + 1, n, line);
  char qn[96];
  if (inplace) return ew_into(I, v, name, t, rt, line);
  snprintf(qn, sizeof qn, "%s.%s.%s", name, dtname(t), dtname(rt));
  return ew_value(I, v, qn, x->args + 1, n, rt, line);
}

/* np.clip of an int array 't' with a Python int bound beyond the dtype on its
 * side (np.clip(u8, -5, 300)): NumPy drops that bound (numpy/_core/_methods.py
 * _clip), so it becomes the dtype's limit instead of raising OverflowError. */
static void clip_int_bounds(In *I, IrRef v, IrType t, int32_t line)
{
  IrKind k = kindof(I, t);
  if (!RW || (k != IRK_INT && k != IRK_UINT)) return;
  int64_t lim[2];
  int_range(I, t, &lim[0], &lim[1]);
  for (int i = 0; i < 2; i++) {
    IrRef b = val(I, v)->args[2 + i], l = kint(I, lim[i], line);
    if (TY(b) != IRT_INT) continue;
    IrRef out = op2(I, i ? IR_GT : IR_LT, IRT_BOOL, b, l, line), p[3] = {out, l, b};
    val(I, v)->args[2 + i] = infer_before(I, IR_SELECT, IRT_INT, p, 3, line);
  }
}

/* The NumPy functions that work elementwise on arrays (the library's loop). */
static const char *const ew_funcs[] = {
  "abs", "absolute", "exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "sin", "cos", "tan",
  "arcsin", "arccos", "arctan", "tanh", "sinh", "cosh", "floor", "ceil", "trunc", "square", "isnan",
  "isinf", "isfinite", "minimum", "maximum", "arctan2", "hypot", "where", "clip",
  "sign", "fabs", "rint", "degrees", "radians", "rad2deg", "deg2rad",
  "fmax", "fmin", "fmod", "copysign", "heaviside", "logaddexp", "logaddexp2",
  "exp2", "cbrt", "arcsinh", "arccosh", "arctanh", "signbit", "conj", "conjugate",
};

/* The float type of NumPy's math functions of 't': float32 for float32,
 * int16 and uint16 (NumPy's 'f' loop), float64 for the rest (NumPy's
 * float16 for bool, int8, uint8 is float64 here). */
static IrType np_float_of(IrType t)
{
  return t == IRT_F32 || t == IRT_I16 || t == IRT_U16 ? IRT_F32 : IRT_F64;
}

/* The dtype of numpy.<f> of elements of dtype 't' (what jit/ember/_lib.py's
 * np_<f> returns): isnan, isinf, isfinite bool; abs, floor, ceil, trunc,
 * minimum, maximum, fmax, fmin, fmod, where, clip 't' (signbit bool too;
 * abs of complex the real dtype); square, conj 't' (bool: int8); the rest
 * np_float_of(t). */
static IrType ew_functype(const char *f, IrType t)
{
  if ((t == IRT_C64 || t == IRT_C128) && !strncmp(f, "abs", 3)) return t == IRT_C64 ? IRT_F32 : IRT_F64;
  static const char *const same[] = {"abs", "absolute", "floor", "ceil", "trunc", "minimum", "maximum", "where", "clip", "square",
                                     "sign", "fmax", "fmin", "fmod", "conj", "conjugate"};
  if (!strcmp(f, "isnan") || !strcmp(f, "isinf") || !strcmp(f, "isfinite") || !strcmp(f, "signbit")) return IRT_BOOL;
  for (size_t i = 0; i < sizeof same / sizeof *same; i++)
    if (!strcmp(f, same[i]))   /* NumPy's int8 loop for bools (no bool loop) */
      return (!strcmp(f, "square") || !strncmp(f, "conj", 4) || !strcmp(f, "fmod")) && t == IRT_BOOL ? IRT_I8 : t;
  return np_float_of(t);
}

static bool ew_binary(const char *f)
{
  static const char *const two[] = {"minimum", "maximum", "arctan2", "hypot", "fmax", "fmin", "fmod", "copysign",
                                    "heaviside", "logaddexp", "logaddexp2"};
  for (size_t i = 0; i < sizeof two / sizeof *two; i++)
    if (!strcmp(f, two[i])) return true;
  return false;
}

/* np.clip(a, a_min=lo, a_max=hi) (NumPy 2.1's min=, max= too): the operands
 * put in place, positional. */
static void clip_keywords(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  uint32_t nkw = x->aux.nkw, npos = x->nargs - 1 - nkw;
  if (x->nargs != 4) return;
  IrRef a[4];
  unsigned seen = 0;
  memcpy(a, x->args, sizeof a);
  for (uint32_t k = 0; k < nkw; k++) {
    const char *kw = x->aux.kw[k];
    int slot = !strcmp(kw, "a_min") || !strcmp(kw, "min") ? 2 : !strcmp(kw, "a_max") || !strcmp(kw, "max") ? 3 : 0;
    if (slot <= (int)npos || (seen & 1u << slot)) return;   /* another keyword, or a bound given twice: the error below */
    seen |= 1u << slot;
    a[slot] = x->args[1 + npos + k];
  }
  memcpy(x->args, a, sizeof a);
  x->aux.nkw = 0;
  x->aux.kw = NULL;
}

/* Does elementwise numpy.<f> take complex values here? */
static bool ew_complex(const char *f)
{
  return !strcmp(f, "where") || !strcmp(f, "square") || !strncmp(f, "conj", 4) || !strncmp(f, "abs", 3) ||
         !strncmp(f, "is", 2);   /* isnan isinf isfinite: of both parts */
}

/* numpy.<f>(...) with an array argument, f elementwise: the library's loop, or -1 (not one). */
static IrType ew_func(In *I, IrRef v, const char *f, int32_t line)
{
  IrVal *x = val(I, v);
  bool any = false, known = false, cplx = false;
  for (uint32_t i = 1; i < x->nargs; i++) any |= kindof(I, TY(x->args[i])) == IRK_ARRAY;
  for (uint32_t i = 1; i < x->nargs; i++) cplx |= cat(I, TY(x->args[i])) == 3;
  for (size_t i = 0; i < sizeof ew_funcs / sizeof *ew_funcs; i++) known |= !strcmp(ew_funcs[i], f);
  if (!any && known && cplx && !ew_complex(f)) TERR(line, "numpy.%s of complex numbers", f);   /* not the library's real code's error */
  if (!any || !known) return (IrType)-1;
  if (x->aux.nkw && !strcmp(f, "clip")) clip_keywords(I, v);
  if (x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "numpy.%s of arrays with keyword arguments", f);
  int n = (int)x->nargs - 1, want = !strcmp(f, "where") || !strcmp(f, "clip") ? 3
                                  : ew_binary(f) ? 2 : 1;
  if (n == 1 && !strcmp(f, "where")) return (IrType)-1;   /* np.where(c): the library's nonzero (_lib_more.py) */
  if (n != want) ir_errorf(CTX, EM_ERR_ARGS, line, "numpy.%s takes %d arguments here (%d given)", f, want, n);
  IrType t = !strcmp(f, "where") ? ew_type(I, x->args + 2, 2, line) : ew_type(I, x->args + 1, n, line);
  if (cat(I, t) == 3 && !ew_complex(f)) TERR(line, "numpy.%s of complex arrays", f);
  if (!strcmp(f, "clip")) clip_int_bounds(I, v, t, line);
  char qn[96];
  snprintf(qn, sizeof qn, "numpy.%s.%s", f, dtname(t));
  return ew_value(I, v, qn, x->args + 1, n, ew_functype(f, t), line);
}

/* -- Arithmetic on NumPy scalars -------------------------------------------- */

_Noreturn static void badbin(In *I, IrRef v, IrType a, IrType b)
{
  TERR(val(I, v)->line, "unsupported operand types for %s: '%s' and '%s'", ir_opinfo[val(I, v)->op].text,
       infer_pyname(I, a), infer_pyname(I, b));
}

IrType infer_array_binop(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrOp op = x->op;
  int32_t line = x->line;
  IrRef a[2] = {x->args[0], x->args[1]};
  IrType ta = TY(a[0]), tb = TY(a[1]);
  if (kindof(I, ta) == IRK_ARRAY || kindof(I, tb) == IRK_ARRAY) return ew_op(I, v);
  if (cat(I, ta) < 0 || cat(I, tb) < 0) badbin(I, v, ta, tb);
  IrType t = nep50(I, a[0], ta, a[1], tb);
  int c = cat(I, t);
  t = np_bintype(I, v, op, t, ta, tb);
  if (c == 0 && op == IR_SUB)   /* two np.bool_ (infer.c tells an array's bool element from a Python bool) */
    TERR(line, "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.");
  int_bounds(I, t, a, 2, line);
  a[0] = infer_conv(I, a[0], t, line);
  a[1] = infer_conv(I, a[1], t, line);
  if (c == 0 && (op == IR_ADD || op == IR_MUL)) return infer_mk_op(I, v, op == IR_ADD ? IR_BOR : IR_BAND, t, a, 2);
  return infer_mk_op(I, v, op, t, a, 2);
}

IrType infer_array_unop(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrRef a = x->args[0];
  IrType t = TY(a);
  if (kindof(I, t) == IRK_ARRAY) return ew_op(I, v);
  if (x->op == IR_INVERT && cat(I, t) > 1)
    TERR(x->line, "bad operand type for unary ~: '%s'", infer_pyname(I, t));
  return infer_mk_op(I, v, x->op, t, &a, 1);
}

/* Complex ordering as NumPy's (lexicographic; a NaN imaginary part makes a
 * real-part decision false): CLT(x, y) = (xr < yr && xi, yi not NaN) || (xr == yr && xi < yi). */
static IrType complex_order(In *I, IrRef v, IrOp op, IrRef *a, int32_t line)
{
  if (!RW) return IRT_BOOL;
  if (op == IR_GT || op == IR_GE) { IrRef t = a[0]; a[0] = a[1]; a[1] = t; op = op == IR_GT ? IR_LT : IR_LE; }
  IrRef p[4];
  for (int k = 0; k < 2; k++) {
    IrRef z = infer_conv(I, a[k], IRT_C128, line);
    p[2 * k] = infer_before(I, IR_INTRIN, IRT_F64, &z, 1, line);
    val(I, p[2 * k])->aux.v.i = IN_REAL;
    p[2 * k + 1] = infer_before(I, IR_INTRIN, IRT_F64, &z, 1, line);
    val(I, p[2 * k + 1])->aux.v.i = IN_IMAG;
  }
  IrRef nan0 = infer_before(I, IR_INTRIN, IRT_BOOL, &p[1], 1, line), nan1 = infer_before(I, IR_INTRIN, IRT_BOOL, &p[3], 1, line);
  val(I, nan0)->aux.v.i = IN_ISNAN;
  val(I, nan1)->aux.v.i = IN_ISNAN;
  IrRef q[2] = {nan0, nan1}, anynan = infer_before(I, IR_BOR, IRT_BOOL, q, 2, line);
  IrRef nonan = infer_before(I, IR_NOT, IRT_BOOL, &anynan, 1, line);
  IrRef r[2] = {p[0], p[2]}, rl = infer_before(I, op, IRT_BOOL, r, 2, line);
  IrRef s1[2] = {rl, nonan}, first = infer_before(I, IR_BAND, IRT_BOOL, s1, 2, line);
  IrRef req = infer_before(I, IR_EQ, IRT_BOOL, r, 2, line);
  IrRef i2[2] = {p[1], p[3]}, il = infer_before(I, op, IRT_BOOL, i2, 2, line);
  IrRef s2[2] = {req, il}, second = infer_before(I, IR_BAND, IRT_BOOL, s2, 2, line);
  IrRef f[2] = {first, second};
  return infer_mk_op(I, v, IR_BOR, IRT_BOOL, f, 2);
}

/* np.uint64 'a[1 - k]' against Python int 'a[k]': NumPy 2 compares the values,
 * so a negative int is below every uint64 (its wrapped bits are not). */
static IrType cmp_u64(In *I, IrRef v, IrOp op, IrRef *a, int k, int32_t line)
{
  if (!RW) return IRT_BOOL;
  IrRef neg = op2(I, IR_LT, IRT_BOOL, a[k], kint(I, 0, line), line);
  bool holds = op == IR_NE || (k == 0 ? op == IR_LT || op == IR_LE : op == IR_GT || op == IR_GE);   /* when 'neg' */
  a[k] = infer_conv(I, a[k], IRT_U64, line);
  IrRef c = op2(I, op, IRT_BOOL, a[0], a[1], line);
  if (!holds) neg = infer_before(I, IR_NOT, IRT_BOOL, &neg, 1, line);
  IrRef p[2] = {c, neg};
  return infer_mk_op(I, v, holds ? IR_BOR : IR_BAND, IRT_BOOL, p, 2);
}

IrType infer_array_compare(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrOp op = x->op;
  int32_t line = x->line;
  IrRef a[2] = {x->args[0], x->args[1]};
  IrType ta = TY(a[0]), tb = TY(a[1]);
  if (kindof(I, ta) == IRK_ARRAY || kindof(I, tb) == IRK_ARRAY) return ew_op(I, v);
  if (cat(I, ta) < 0 || cat(I, tb) < 0) {
    if (op == IR_EQ || op == IR_NE) return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = op == IR_NE});
    badbin(I, v, ta, tb);
  }
  IrType t = cmp_wide(I, nep50(I, a[0], ta, a[1], tb), a, 2);
  if (cat(I, t) == 3 && op != IR_EQ && op != IR_NE) return complex_order(I, v, op, a, line);
  if (t == IRT_U64 && (ta == IRT_INT) != (tb == IRT_INT)) return cmp_u64(I, v, op, a, ta == IRT_INT ? 0 : 1, line);
  a[0] = infer_conv(I, a[0], t, line);
  a[1] = infer_conv(I, a[1], t, line);
  return infer_mk_op(I, v, op, IRT_BOOL, a, 2);
}

/* -- dtypes ------------------------------------------------------------------- */

static const struct { const char *name; IrType t; } dtypes[] = {
  {"bool_", IRT_BOOL}, {"bool", IRT_BOOL}, {"int8", IRT_I8}, {"int16", IRT_I16}, {"int32", IRT_I32},
  {"int64", IRT_I64}, {"intp", IRT_I64}, {"int_", IRT_I64}, {"uint8", IRT_U8}, {"uint16", IRT_U16},
  {"uint32", IRT_U32}, {"uint64", IRT_U64}, {"uintp", IRT_U64}, {"float32", IRT_F32}, {"single", IRT_F32},
  {"float64", IRT_F64}, {"double", IRT_F64}, {"float_", IRT_F64}, {"complex64", IRT_C64},
  {"csingle", IRT_C64}, {"complex128", IRT_C128}, {"cdouble", IRT_C128}, {"complex_", IRT_C128},
  {"byte", IRT_I8}, {"ubyte", IRT_U8}, {"short", IRT_I16}, {"ushort", IRT_U16}, {"intc", IRT_I32},
  {"uintc", IRT_U32}, {"longlong", IRT_I64}, {"ulonglong", IRT_U64}, {"float16", IRT_F16}, {"half", IRT_F16},
};

static const char *dtname(IrType t)
{
  for (size_t i = 0; i < sizeof dtypes / sizeof *dtypes; i++)
    if (dtypes[i].t == t) return dtypes[i].name;
  return "float64";
}

const char *pass_np_dtname(IrType t) { return dtname(t); }

/* The scalar type numpy.<name> stands for, or IRT_VOID. */
static IrType np_dtype(const char *name)
{
  for (size_t i = 0; i < sizeof dtypes / sizeof *dtypes; i++)
    if (!strcmp(dtypes[i].name, name)) return dtypes[i].t;
  return IRT_VOID;
}

IrType infer_array_typeobj(In *I, const char *name)
{
  static const struct { const char *name; IrType t; } py[] = {
    {"float", IRT_F64}, {"int", IRT_I64}, {"bool", IRT_BOOL}, {"complex", IRT_C128},
  };
  for (size_t i = 0; i < sizeof py / sizeof *py; i++)
    if (!strcmp(py[i].name, name)) return ir_type_dtype(CTX, py[i].t);
  if (!strncmp(name, "numpy.", 6) && np_dtype(name + 6)) return ir_type_dtype(CTX, np_dtype(name + 6));
  return IRT_FUNC;
}

/* The element type a dtype argument 'r' names (none: float64); IRT_VOID if it is none of them. */
static IrType dtype_arg(In *I, IrRef r)
{
  IrType t = TY(r);
  if (kindof(I, t) == IRK_NONE) return IRT_F64;
  if (kindof(I, t) == IRK_DTYPE) return info(I, t)->elem[0];
  return IRT_VOID;
}

/* -- The numpy module ---------------------------------------------------------- */

/* ember._prim.<name>: the compiler's helpers for jit/ember/_lib.py (their
 * Python versions in jit/ember/_prim.py give the same answers). */
static IrType prim_attr(In *I, IrRef v, const char *name)
{
  static const char *const names[] = {"sum_zero", "mean_zero", "dtype_of", "flat", "c_contiguous",
                                      "contiguous", "inexact", "float_dtype", "is_array", "check_bcast", "check_bcast_tree", "check_core", "data",
                                      "fmaximum", "fminimum", "exp2", "cbrt", "fma", "ffloor", "fceil", "ftrunc", "frint", "floating", "line", "is_tuple", "np_sort", "blas", "typecode", "pairwise_f64", "pairwise_f32", "bcast_copy",
                                      "random_seed", "random_double", "random_gauss", "random_interval", "random_fill",
                                      "list_zero", "list_resize", "list_like",   /* infer_list.c */
                                      NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i])) {
      if (RW) {
        IrVal *y = val(I, v);
        char qn[64];
        snprintf(qn, sizeof qn, "ember._prim.%s", name);
        y->op = IR_BUILTIN;
        y->nargs = 0;
        memset(&y->aux, 0, sizeof y->aux);
        y->aux.v.s = ir_strdup(CTX, qn);
      }
      return IRT_FUNC;
    }
  ir_errorf(CTX, EM_ERR_ATTR, val(I, v)->line, "ember._prim.%s", name);
}

static const struct { const char *name; double value; } npconst[] = {
  {"pi", 3.141592653589793}, {"e", 2.718281828459045}, {"inf", INFINITY}, {"nan", NAN},
  {"euler_gamma", 0.5772156649015329}, {"newaxis", 0},
};

IrType infer_array_modattr(In *I, IrRef v, const char *mod)
{
  IrVal *x = val(I, v);
  const char *name = x->aux.v.s;
  if (!strcmp(mod, "ember._prim")) return prim_attr(I, v, name);
  if (!strcmp(mod, "numpy") && (!strcmp(name, "linalg") || !strcmp(name, "random"))) {   /* np.linalg, np.random: the modules */
    if (RW) {
      x->op = IR_MODREF;
      x->nargs = 0;
      x->args = NULL;
      memset(&x->aux, 0, sizeof x->aux);
      x->aux.v.s = name[0] == 'l' ? "numpy.linalg" : "numpy.random";
    }
    return IRT_MODULE;
  }
  for (size_t i = 0; i < sizeof npconst / sizeof *npconst && !strcmp(mod, "numpy"); i++)
    if (!strcmp(name, npconst[i].name)) {
      if (!strcmp(name, "newaxis")) return infer_mk_const(I, v, IRT_NONE, (IrAuxVal){0});   /* it is None */
      return infer_mk_const(I, v, IRT_F64, (IrAuxVal){.f = npconst[i].value});
    }
  char qn[96];
  snprintf(qn, sizeof qn, "%s.%s", mod, name);
  IrType t = infer_array_typeobj(I, qn);
  if (RW) {   /* a builtin reference: calls find it by name (callee_name) */
    IrVal *y = val(I, v);
    y->op = IR_BUILTIN;
    y->nargs = 0;
    y->args = NULL;
    memset(&y->aux, 0, sizeof y->aux);
    y->aux.v.s = ir_strdup(CTX, qn);
  }
  return t;
}

/* -- Attributes of arrays ---------------------------------------------------- */

/* shape[k] of array 'a' (rw: a new ashape; analysis: 0). */
static IrRef shape_of(In *I, IrRef a, int k, int32_t line)
{
  if (!RW) return 0;
  IrRef r = infer_before(I, IR_ASHAPE, IRT_INT, &a, 1, line);
  val(I, r)->aux.v.i = k;
  return r;
}

static IrRef stride_of(In *I, IrRef a, int k, int32_t line)
{
  if (!RW) return 0;
  IrRef r = infer_before(I, IR_ASTRIDE, IRT_I64, &a, 1, line);
  val(I, r)->aux.v.i = k;
  return r;
}

static IrRef mul_int(In *I, IrRef a, IrRef b, int32_t line)
{
  IrRef p[2] = {a, b};
  return infer_before(I, IR_MUL, IRT_INT, p, 2, line);
}

/* a.T: the view with shapes and strides reversed. */
static IrType transpose(In *I, IrRef v, IrRef a, const IrTypeInfo *ti, int32_t line)
{
  char lay = ti->layout == 'C' ? 'F' : ti->layout == 'F' ? 'C' : 'A';
  if (ti->ndim <= 1) return infer_mk_fwd(I, v, a);
  IrType t = ir_type_array(CTX, ti->elem[0], ti->ndim, lay, ti->readonly);
  if (!RW) return t;
  int n = ti->ndim;
  IrRef p[2 + 2 * IR_MAXDIM];
  p[0] = a;
  p[1] = infer_konst(I, IRT_I64, (IrAuxVal){.i = 0}, line);
  for (int k = 0; k < n; k++) {
    p[2 + k] = shape_of(I, a, n - 1 - k, line);
    p[2 + n + k] = stride_of(I, a, n - 1 - k, line);
  }
  return infer_mk_op(I, v, IR_AVIEW, t, p, 2 + 2 * n);
}

/* Value 'v' becomes the int constant 'i' already in analysis, so that
 * `if a.ndim == 1:` or `if a.itemsize == 2:` decides a branch. */
static IrType known_int(In *I, IrRef v, int64_t i)
{
  IrVal *y = val(I, v);
  y->op = IR_CONST;
  y->nargs = 0;
  y->type = IRT_INT;
  memset(&y->aux, 0, sizeof y->aux);
  y->aux.v.i = i;
  return IRT_INT;
}

/* x.real or x.imag ('imag') of NumPy scalar 'a' of type 't': a complex64's part
 * as float32 (exact through complex128); a real's value, or the zero of its type. */
static IrType np_part(In *I, IrRef v, IrRef a, IrType t, bool imag)
{
  int32_t line = val(I, v)->line;
  if (cat(I, t) < 3) {
    if (!imag) return infer_mk_fwd(I, v, a);
    return infer_mk_const(I, v, t, (IrAuxVal){0});
  }
  if (!RW) return IRT_F32;
  IrRef z = infer_conv(I, a, IRT_C128, line);
  IrRef p = infer_before(I, IR_INTRIN, IRT_F64, &z, 1, line);
  val(I, p)->aux.v.i = imag ? IN_IMAG : IN_REAL;
  return infer_mk_op(I, v, IR_CVT, IRT_F32, &p, 1);
}

/* a.real or a.imag ('imag') of array 'a': of a complex array the view of its
 * parts as the float dtype (the same shapes and strides, byte offset 0 or half
 * the itemsize), so that writes through it change 'a'; of a real array, 'a'
 * itself or a new read-only array of zeros (as NumPy's). */
static IrType array_part(In *I, IrRef v, IrRef a, const IrTypeInfo *ti, bool imag, int32_t line)
{
  IrType dt = ti->elem[0];
  int nd = ti->ndim;
  IrRef p[2 + 2 * IR_MAXDIM];
  if (cat(I, dt) < 3) {
    if (!imag) return infer_mk_fwd(I, v, a);
    for (int k = 0; k < nd; k++) p[k] = shape_of(I, a, k, line);
    IrType r = infer_mk_op(I, v, IR_AALLOC, ir_type_array(CTX, dt, nd, 'C', true), p, (uint32_t)nd);
    if (RW) val(I, v)->aux.v.i = 1;
    return r;
  }
  IrType t = ir_type_array(CTX, dt == IRT_C64 ? IRT_F32 : IRT_F64, nd, nd ? 'A' : 'C', ti->readonly);
  if (!RW) return t;
  p[0] = a;
  p[1] = infer_konst(I, IRT_I64, (IrAuxVal){.i = imag ? ir_type_size(CTX, dt) / 2 : 0}, line);
  for (int k = 0; k < nd; k++) {
    p[2 + k] = shape_of(I, a, k, line);
    p[2 + nd + k] = stride_of(I, a, k, line);
  }
  return infer_mk_op(I, v, IR_AVIEW, t, p, 2 + 2 * (uint32_t)nd);
}

/* Attribute 'name' of array or NumPy scalar type 't' that is none of the
 * data attributes: a method, which the call resolves (the library's
 * "ndarray.<name>" or "generic.<name>"); NumPy's AttributeError text for
 * a name that is no method (`a.foo` was "returning a function"). */
static IrType method_attr(In *I, IrType t, const char *name, int32_t line)
{
  const IrHost *h = &CTX->host;
  char qn[96];
  int64_t id;
  bool arr = kindof(I, t) == IRK_ARRAY;
  snprintf(qn, sizeof qn, "%s.%s", arr ? "ndarray" : "generic", name);
  if (h->resolve && !(arr && !strcmp(name, "reshape")) && h->resolve(h->host, qn, &id))
    TERR(line, "'%s%s' object has no attribute '%s'", arr ? "" : "numpy.", arr ? infer_pyname(I, t) : dtname(t), name);
  return IRT_FUNC;
}

IrType infer_array_attr(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrRef a = x->args[0];
  const char *name = x->aux.v.s;
  int32_t line = x->line;
  IrType t = TY(a);
  const IrTypeInfo *ti = info(I, t);
  if (ti->kind == IRK_DTYPE || infer_array_is_np(I, t)) {
    IrType s = ti->kind == IRK_DTYPE ? ti->elem[0] : t;
    if (!strcmp(name, "itemsize")) return known_int(I, v, ir_type_size(CTX, s));
    if (ti->kind != IRK_DTYPE && (!strcmp(name, "real") || !strcmp(name, "imag"))) return np_part(I, v, a, t, name[0] == 'i');
    if (ti->kind != IRK_DTYPE && !strcmp(name, "dtype")) return infer_mk_const(I, v, ir_type_dtype(CTX, s), (IrAuxVal){0});
    if (ti->kind != IRK_DTYPE) return method_attr(I, t, name, line);
    if (!strcmp(name, "type")) return infer_mk_fwd(I, v, a);   /* a.dtype.type: called, it casts */
    if (!strcmp(name, "kind") || !strcmp(name, "name")) return infer_dtype_str(I, v);   /* infer_breadth.c */
    ir_errorf(CTX, EM_ERR_ATTR, line, "dtype.%s", name);
  }
  IrType dt = ti->elem[0];
  int nd = ti->ndim;
  if (!strcmp(name, "ndim")) return known_int(I, v, nd);
  if (!strcmp(name, "itemsize")) return known_int(I, v, ir_type_size(CTX, dt));
  if (!strcmp(name, "dtype")) return infer_mk_const(I, v, ir_type_dtype(CTX, dt), (IrAuxVal){0});
  if (!strcmp(name, "T")) return transpose(I, v, a, ti, line);
  if (!strcmp(name, "real") || !strcmp(name, "imag")) return array_part(I, v, a, ti, name[0] == 'i', line);
  if (!strcmp(name, "strides")) {
    IrType e[IR_MAXDIM];
    IrRef p[IR_MAXDIM];
    for (int k = 0; k < nd; k++) {
      e[k] = IRT_INT;
      p[k] = RW ? infer_before(I, IR_CVT, IRT_INT, (IrRef[]){stride_of(I, a, k, line)}, 1, line) : 0;
    }
    return infer_mk_op(I, v, IR_TUPLE, ir_type_tuple(CTX, e, (uint16_t)nd), p, nd);
  }
  if (!strcmp(name, "shape")) {
    IrType e[IR_MAXDIM];
    IrRef p[IR_MAXDIM];
    for (int k = 0; k < nd; k++) e[k] = IRT_INT, p[k] = shape_of(I, a, k, line);
    return infer_mk_op(I, v, IR_TUPLE, ir_type_tuple(CTX, e, (uint16_t)nd), p, nd);
  }
  if (!strcmp(name, "size") || !strcmp(name, "nbytes")) {
    if (!RW) return IRT_INT;
    IrRef s = infer_konst(I, IRT_INT, (IrAuxVal){.i = name[0] == 'n' ? ir_type_size(CTX, dt) : 1}, line);
    for (int k = 0; k < nd; k++) s = mul_int(I, s, shape_of(I, a, k, line), line);
    return infer_mk_fwd(I, v, s);
  }
  return method_attr(I, t, name, line);
}

/* -- Subscripts ----------------------------------------------------------- */

/* Index parts of 'idx' (type 'it'): their types in 'parts' (at most
 * IR_MAXDIM); returns the count.  A tuple lists its elements. */
static int index_parts(In *I, IrType it, IrType *parts, int32_t line)
{
  const IrTypeInfo *ti = info(I, it);
  if (ti->kind != IRK_TUPLE) { parts[0] = it; return 1; }
  if (ti->nelem > IR_MAXDIM) TERR(line, "too many indices");
  for (int k = 0; k < ti->nelem; k++) parts[k] = ti->elem[k];
  return ti->nelem;
}

static bool is_intlike(In *I, IrType t)
{
  IrKind k = kindof(I, t);
  return k == IRK_PYINT || k == IRK_INT || k == IRK_UINT;
}

/* Is slice type 's' the whole axis (`:`)? */
static bool full_slice(In *I, IrType s)
{
  const IrTypeInfo *si = info(I, s);
  return si->kind == IRK_SLICE && kindof(I, si->elem[0]) == IRK_NONE && kindof(I, si->elem[1]) == IRK_NONE &&
         kindof(I, si->elem[2]) == IRK_NONE;
}

/* Does slice value 'r' (type 's') have step 1 (none or the constant 1)? */
static bool unit_step(In *I, IrRef r, IrType s)
{
  const IrTypeInfo *si = info(I, s);
  if (kindof(I, si->elem[2]) == IRK_NONE) return true;
  IrVal *x = r ? val(I, r) : NULL;
  if (!x || x->op != IR_SLICE) return false;
  IrVal *st = val(I, x->args[2]);
  return st->op == IR_CONST && st->aux.v.i == 1 && is_intlike(I, st->type);
}

/* The slice value of index part 'k' of index 'idx', or 0 when not visible. */
static IrRef part_val(In *I, IrRef idx, int k, bool tuple)
{
  if (!tuple) return idx;
  IrVal *x = val(I, idx);
  return x->op == IR_TUPLE && (uint32_t)k < x->nargs ? x->args[k] : 0;
}

/* Layout of a view of an array of layout 'lay' (ndim 'nd') whose axes are
 * indexed by the 'm' parts 'ax' (values 'axv', 0 where not visible), the
 * axes after them whole: C stays C when the indexed axes are ints up to one
 * unit-step slice and whole axes after it; F likewise from the other end.
 * New axes (None) have extent 1 and do not change it. */
static char view_layout(In *I, char lay, int nd, const IrType *ax, const IrRef *axv, int m)
{
  bool isint[IR_MAXDIM], full[IR_MAXDIM], unit[IR_MAXDIM];
  for (int k = 0; k < nd; k++) {
    bool given = k < m;
    isint[k] = given && is_intlike(I, ax[k]);
    full[k] = !given || full_slice(I, ax[k]);
    unit[k] = !given || (!isint[k] && unit_step(I, axv[k], ax[k]));
  }
  if (lay == 'C') {
    int f = 0;
    while (f < nd && isint[f]) f++;
    if (f == nd) return 'C';                     /* only new axes left: one element */
    bool ok = unit[f];
    for (int k = f + 1; k < nd && ok; k++) ok = full[k];
    return ok ? 'C' : 'A';
  }
  if (lay == 'F') {
    int l = nd - 1;
    while (l >= 0 && isint[l]) l--;
    if (l < 0) return 'F';
    bool ok = unit[l];
    for (int k = 0; k < l && ok; k++) ok = full[k];
    return ok ? 'F' : 'A';
  }
  return 'A';
}

/* The type of array 'at' indexed by 'idx' (type 'it'): the element or a
 * view.  A None part (np.newaxis) adds an axis of extent 1 and takes none
 * of the array's; the other parts take one axis each, in order.  'view'
 * (the index had `...`): a 0-d view where ints take every axis, as NumPy. */
static IrType index_type(In *I, IrType at, IrRef idx, IrType it, bool view, int32_t line)
{
  const IrTypeInfo *ai = info(I, at);
  IrType parts[IR_MAXDIM], ax[IR_MAXDIM];
  IrRef axv[IR_MAXDIM];
  bool tuple = kindof(I, it) == IRK_TUPLE;
  int n = index_parts(I, it, parts, line), nd = ai->ndim, nint = 0, nnew = 0, m = 0;
  for (int k = 0; k < n; k++) {
    IrKind pk = kindof(I, parts[k]);
    if (pk == IRK_NONE) { nnew++; continue; }
    if (is_intlike(I, parts[k])) nint++;
    else if (pk == IRK_BOOL) TERR(line, "boolean indices are not supported");
    else if (pk == IRK_ARRAY) ir_error(CTX, EM_ERR_CONSTRUCT, line, "array indices (fancy indexing)");
    else if (pk != IRK_SLICE)
      TERR(line, "only integers, slices (`:`), and numpy.newaxis (`None`) are valid indices, not '%s'",
           infer_pyname(I, parts[k]));
    ax[m] = parts[k];
    axv[m++] = part_val(I, idx, k, tuple);
  }
  if (m > nd) TERR(line, "too many indices for array: array is %d-dimensional, but %d were indexed", nd, m);
  if (nint == nd && !nnew && !view) return elemval(ai->elem[0]);
  if (nd - nint + nnew > IR_MAXDIM) TERR(line, "arrays have at most %d dimensions", IR_MAXDIM);
  char lay = view_layout(I, ai->layout, nd, ax, axv, m);
  return ir_type_array(CTX, ai->elem[0], nd - nint + nnew, lay, ai->readonly);
}

/* The index type with every integer part as int (Python int). */
static IrType index_norm(In *I, IrType it)
{
  const IrTypeInfo *ti = info(I, it);
  if (is_intlike(I, it)) return IRT_INT;
  if (ti->kind != IRK_TUPLE) return it;
  IrType e[IR_MAXDIM];
  for (int k = 0; k < ti->nelem && k < IR_MAXDIM; k++) e[k] = is_intlike(I, ti->elem[k]) ? IRT_INT : ti->elem[k];
  return ir_type_tuple(CTX, e, ti->nelem);
}

/* t[k] of a tuple with a constant index (negative counts from the end), t[i:j:k] too. */
static IrType tuple_index(In *I, IrRef v, IrRef t, IrRef idx, int32_t line)
{
  const IrTypeInfo *ti = info(I, TY(t));
  IrVal *ix = val(I, idx);
  int64_t n = ti->nelem;
  if (ix->op == IR_CONST && is_intlike(I, ix->type)) {
    int64_t k = ix->aux.v.i < 0 ? ix->aux.v.i + n : ix->aux.v.i;
    if (k < 0 || k >= n) TERR(line, "tuple index out of range");
    if (!RW) return ti->elem[k];
    IrVal *x = val(I, v);
    x->op = IR_EXTRACT;
    x->nargs = 1;
    x->aux.v.i = k;
    return ti->elem[k];
  }
  if (ix->op == IR_SLICE) {
    int64_t p[3] = {0, n, 1};
    bool given[3];
    for (int i = 0; i < 3; i++) {
      IrVal *c = val(I, ix->args[i]);
      given[i] = kindof(I, c->type) != IRK_NONE;
      if (given[i] && (c->op != IR_CONST || !is_intlike(I, c->type)))
        ir_error(CTX, EM_ERR_CONSTRUCT, line, "tuple slices with bounds that are not constants");
      if (given[i]) p[i] = c->aux.v.i;
    }
    if (p[2] == 0) TERR(line, "slice step cannot be zero");
    if (p[2] < 0) { p[0] = given[0] ? p[0] : n - 1; p[1] = given[1] ? p[1] : -n - 1; }
    for (int i = 0; i < 2; i++) {      /* PySlice_AdjustIndices */
      if (!given[i]) continue;
      if (p[i] < 0) p[i] = p[i] + n < 0 ? (p[2] < 0 ? -1 : 0) : p[i] + n;
      else if (p[i] >= n) p[i] = p[2] < 0 ? n - 1 : n;
    }
    IrType e[256];
    IrRef r[256];
    uint16_t m = 0;
    for (int64_t k = p[0]; (p[2] > 0 ? k < p[1] : k > p[1]) && m < 256; k += p[2]) {
      e[m] = ti->elem[k];
      if (RW) {
        r[m] = infer_before(I, IR_EXTRACT, e[m], &t, 1, line);
        val(I, r[m])->aux.v.i = k;
      }
      m++;
    }
    return infer_mk_op(I, v, IR_TUPLE, ir_type_tuple(CTX, e, m), r, m);
  }
  return infer_tuple_item(I, v, t, idx, line);
}

/* -- Fancy indexing ---------------------------------------------------------
 * x[m] and x[m] = w where the index is one array (not in a tuple): a bool
 * array of x's shape selects (a 1-D copy in C order), an integer array picks
 * items along axis 0.  Both are calls of the library
 * (jit/ember/_lib_shape.py): "ndarray.__getitem__.mask" / ".take" and
 * "ndarray.__setitem__.mask" / ".take", with operands [x, x, m(, w)] (the
 * first stands for the callee), marked by aux.s == fancy_tag.  x[m] op= w is
 * the getitem (a copy), the operation and the setitem, so a repeated index
 * takes the last write, as NumPy's. */

static const char fancy_tag[] = "fancy";
static IrType library(In *I, IrRef v, const char *qn, int32_t line);

/* Is the index of type 'it' one array, or a list (NumPy's np.array of it)? */
static bool is_fancy(In *I, IrType it) { return kindof(I, it) == IRK_ARRAY || kindof(I, it) == IRK_LIST; }

/* The library function that indexes array 'at' by array 'it' (a store when
 * 'store'); the errors NumPy raises for the types alone, at compile time. */
static const char *fancy_fn(In *I, IrType at, IrType it, bool store, int32_t line)
{
  const IrTypeInfo *ai = info(I, at), *ii = info(I, it);
  IrType e = ii->elem[0];
  bool list = ii->kind == IRK_LIST;   /* a list of numbers: the library takes np.array of it (".list") */
  int ind = list ? 1 : ii->ndim;
  if (list && (cat(I, e) < 0 || cat(I, e) > 1))
    TERR(line, "only lists of ints or bools are valid indices, not '%s'", infer_pyname(I, it));
  if (e == IRT_BOOL) {
    if (ind > ai->ndim)
      TERR(line, "too many indices for array: array is %d-dimensional, but %d were indexed", ai->ndim, ind);
    if (ind < ai->ndim && (ind != 1 || list))
      ir_error(CTX, EM_ERR_CONSTRUCT, line, "boolean indices of fewer dimensions than the array (but one over the first axis)");
    if (ind < ai->ndim) return store ? "ndarray.__setitem__.maskrows" : "ndarray.__getitem__.maskrows";   /* X[y == 1] */
    return store ? (list ? "ndarray.__setitem__.mask.list" : "ndarray.__setitem__.mask")
                 : (list ? "ndarray.__getitem__.mask.list" : "ndarray.__getitem__.mask");
  }
  if (!is_intlike(I, e)) TERR(line, "arrays used as indices must be of integer (or boolean) type");
  if (ai->ndim == 0) TERR(line, "too many indices for array: array is 0-dimensional, but 1 were indexed");
  return store ? (list ? "ndarray.__setitem__.take.list" : "ndarray.__setitem__.take")
               : (list ? "ndarray.__getitem__.take.list" : "ndarray.__getitem__.take");
}

/* Rearrange GETITEM/SETITEM 'v' once into a call's operands [x, x, m(, w)]. */
static void fancy_args(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  if (x->aux.s == fancy_tag) return;
  IrRef *a = ir_alloc(CTX, (x->nargs + 1) * sizeof *a);
  a[0] = x->args[0];
  memcpy(a + 1, x->args, x->nargs * sizeof *a);
  x->args = a;
  x->nargs++;
  x->aux.s = fancy_tag;
  x->aux.nkw = 0;
}

/* x[m], or x[m] = w when 'store', with array index m: a library call. */
static IrType fancy(In *I, IrRef v, bool store)
{
  fancy_args(I, v);
  IrVal *x = val(I, v);
  int32_t line = x->line;
  IrType at = TY(x->args[1]), it = TY(x->args[2]);
  if (store && info(I, at)->readonly) TERR(line, "assignment destination is read-only");
  if (store) infer_set_impure(I);
  if (kindof(I, it) == IRK_LIST && !info(I, it)->elem[0]) return IRT_VOID;   /* its items are not known yet */
  return library(I, v, fancy_fn(I, at, it, store, line), line);
}

/* `...` in the index 'idx' (type 'it') of an array of type 'at' (a[..., k],
 * a[...] = 0): NumPy reads it as as many whole slices (`:`) as the axes the
 * other parts leave; *idx and *it become that index (a tuple).  The types
 * alone decide it, so every pass of infer sees the same index. */
static bool expand_ellipsis(In *I, IrType at, IrRef *idx, IrType *it, int32_t line)
{
  const IrTypeInfo *ti = info(I, *it);
  bool tuple = ti->kind == IRK_TUPLE;
  int n = tuple ? ti->nelem : 1, e = -1, used = 0;
  for (int k = 0; k < n; k++) {
    IrKind pk = kindof(I, tuple ? ti->elem[k] : *it);
    if (pk == IRK_ELLIPSIS) {
      if (e >= 0) TERR(line, "an index can only have a single ellipsis ('...')");
      e = k;
    } else if (pk != IRK_NONE) used++;
  }
  if (e < 0) return false;
  int nd = info(I, at)->ndim, fill = nd - used, m = n - 1 + (fill > 0 ? fill : 0);
  if (fill < 0) TERR(line, "too many indices for array: array is %d-dimensional, but %d were indexed", nd, used);
  if (m > IR_MAXDIM) TERR(line, "too many indices");
  IrType full = ir_type_slice(CTX, IRT_NONE, IRT_NONE, IRT_NONE), et[IR_MAXDIM];
  IrRef ev[IR_MAXDIM], none = 0, whole = 0;
  int j = 0;
  for (int k = 0; k < n; k++) {
    if (k != e) {
      et[j] = tuple ? ti->elem[k] : *it;
      if (RW) {
        IrVal *x = val(I, *idx);
        if (x->op == IR_TUPLE) ev[j] = x->args[k];
        else {
          ev[j] = infer_before(I, IR_EXTRACT, et[j], idx, 1, line);
          val(I, ev[j])->aux.v.i = k;
        }
      }
      j++;
      continue;
    }
    if (RW && fill > 0 && !whole) {
      none = infer_konst(I, IRT_NONE, (IrAuxVal){0}, line);
      IrRef p[3] = {none, none, none};
      whole = infer_before(I, IR_SLICE, full, p, 3, line);
    }
    for (int f = 0; f < fill; f++, j++) {
      et[j] = full;
      ev[j] = whole;
    }
  }
  *it = ir_type_tuple(CTX, et, (uint16_t)m);
  if (RW) *idx = infer_before(I, IR_TUPLE, *it, ev, (uint32_t)m, line);
  return true;
}

static IrType getitem(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  if (x->aux.s == fancy_tag) return fancy(I, v, false);
  IrRef a = x->args[0], idx = x->args[1];
  int32_t line = x->line;
  IrType at = TY(a), it = TY(idx);
  if (!at || !it) return IRT_VOID;
  if (kindof(I, at) == IRK_TUPLE) return tuple_index(I, v, a, idx, line);
  if (kindof(I, at) != IRK_ARRAY) TERR(line, "'%s' object is not subscriptable", infer_pyname(I, at));
  bool view = expand_ellipsis(I, at, &idx, &it, line);
  if (is_fancy(I, it)) return fancy(I, v, false);
  IrType t = index_type(I, at, idx, it, view, line);
  if (RW) val(I, v)->args[1] = infer_conv(I, idx, index_norm(I, it), line);
  return t;
}

/* The dtype a value of type 'vt' is stored as into an array of 'dt' (NumPy casts). */
static void check_store(In *I, IrType vt, IrType dt, int32_t line)
{
  int cv = cat(I, vt), cd = cat(I, dt);
  if (cv < 0) TERR(line, "cannot store a %s into an array of %s", infer_pyname(I, vt), infer_pyname(I, dt));
  if (cv == 3 && cd < 3) TERR(line, "cannot store a complex number into a real array");
}

/* -- Stores of scalars into integer arrays -------------------------------- */

/* NumPy 2's setitem of one scalar into an array of integer type 'dt' (what
 * `a[i] = v`, `a[:] = v` and a.fill(v) do), measured on x86-64:
 *   Python int     must fit dt: OverflowError "Python integer 300 out of
 *                  bounds for uint8" (NEP 50);
 *   float          int(v) first: NaN ValueError, inf OverflowError, outside
 *                  the C long (uint64: the unsigned one) OverflowError
 *                  "Python int too large to convert to C long", then as a
 *                  Python int; except a NumPy float into an unsigned dt, a C
 *                  cast through an int32 (uint8, uint16) or int64: it wraps,
 *                  and where NumPy warns "invalid value encountered in cast"
 *                  (NaN, inf, outside those) Ember raises FloatingPointError
 *                  with that text (NumPy's own error under
 *                  np.errstate(invalid="raise")) instead of storing garbage;
 *   NumPy int      into a signed dt as a Python int of its value; into an
 *                  unsigned one it wraps.
 * Ember's f64 is NumPy's float64 unless it is weak (a constant or a Python
 * float argument). */

/* 'x' (f64, within [-2**63, 2**64)) truncated to an int64 of the same low
 * 64 bits as NumPy's cast to uint64. */
static IrRef trunc_u64(In *I, IrRef x, int32_t line)
{
  IrRef big = op2(I, IR_GE, IRT_BOOL, x, kf64(I, 0x1p63, line), line);
  IrRef lo = infer_conv(I, x, IRT_I64, line);
  IrRef hi = infer_conv(I, op2(I, IR_SUB, IRT_F64, x, kf64(I, 0x1p64, line), line), IRT_I64, line);
  IrRef p[3] = {big, hi, lo};
  return infer_before(I, IR_SELECT, IRT_I64, p, 3, line);
}

/* int(x) of float 'x' (f64) for a store into 'dt', checked as NumPy does;
 * returns its int64 bits. */
static IrRef float_as_int(In *I, IrRef x, IrType dt, int32_t line)
{
  bool u64 = dt == IRT_U64;
  guard(I, RT_FLOAT_NAN_INT, op2(I, IR_NE, IRT_BOOL, x, x, line), NULL, 0, line);
  IrRef inf = op2(I, IR_BOR, IRT_BOOL, op2(I, IR_EQ, IRT_BOOL, x, kf64(I, INFINITY, line), line),
                  op2(I, IR_EQ, IRT_BOOL, x, kf64(I, -INFINITY, line), line), line);
  guard(I, RT_FLOAT_INF_INT, inf, NULL, 0, line);
  IrRef big = op2(I, IR_BOR, IRT_BOOL, op2(I, IR_LT, IRT_BOOL, x, kf64(I, -0x1p63, line), line),
                  op2(I, IR_GE, IRT_BOOL, x, kf64(I, u64 ? 0x1p64 : 0x1p63, line), line), line);
  guard(I, RT_NP_C_LONG, big, NULL, 0, line);
  if (!u64) {
    IrRef n = infer_conv(I, x, IRT_I64, line);
    np_bounds(I, infer_conv(I, n, IRT_INT, line), dt, line);
    return n;
  }
  IrRef pay[3] = {infer_conv(I, x, IRT_I64, line), ki64(I, 64, line), ki64(I, 0, line)};
  guard(I, RT_NP_INT_BOUNDS, op2(I, IR_LE, IRT_BOOL, x, kf64(I, -1.0, line), line), pay, 3, line);
  return trunc_u64(I, x, line);
}

/* NumPy float 'x' (f64) cast to unsigned 'dt' as NumPy's C cast; its int64 bits. */
static IrRef float_cast_uint(In *I, IrRef x, IrType dt, int32_t line)
{
  int bits = info(I, dt)->bits;
  double lo = bits <= 16 ? -0x1p31 - 1.0 : -0x1p63, hi = bits <= 16 ? 0x1p31 : bits <= 32 ? 0x1p63 : 0x1p64;
  IrRef ok = op2(I, IR_BAND, IRT_BOOL, op2(I, bits <= 16 ? IR_GT : IR_GE, IRT_BOOL, x, kf64(I, lo, line), line),
                 op2(I, IR_LT, IRT_BOOL, x, kf64(I, hi, line), line), line);
  guard(I, RT_NP_CAST_INVALID, infer_before(I, IR_NOT, IRT_BOOL, &ok, 1, line), NULL, 0, line);
  return bits == 64 ? trunc_u64(I, x, line) : infer_conv(I, x, IRT_I64, line);
}

/* Does every value of integer type 's' fit integer type 'dt'? */
static bool int_within(In *I, IrType s, IrType dt)
{
  int64_t slo, shi, dlo, dhi;
  int_range(I, s, &slo, &shi);
  int_range(I, dt, &dlo, &dhi);
  return slo >= dlo && shi <= dhi && s != IRT_U64;
}

/* Scalar 'w' converted for a store into an array of integer type 'dt', with
 * NumPy's checks (above); 'w' itself where no check is needed. */
static IrRef store_int(In *I, IrRef w, IrType dt, int32_t line)
{
  IrType wt = TY(w);
  IrKind k = kindof(I, wt);
  bool udt = kindof(I, dt) == IRK_UINT;
  if (k == IRK_FLOAT) {
    bool np = udt && !weak(I, w, wt);
    IrRef x = infer_conv(I, w, IRT_F64, line);
    return infer_conv(I, np ? float_cast_uint(I, x, dt, line) : float_as_int(I, x, dt, line), dt, line);
  }
  if (wt == IRT_INT) np_bounds(I, w, dt, line);
  if ((k != IRK_INT && k != IRK_UINT) || udt || int_within(I, wt, dt)) return infer_conv(I, w, dt, line);
  IrRef n = infer_conv(I, w, IRT_I64, line);
  if (wt == IRT_U64) guard(I, RT_NP_C_LONG, op2(I, IR_LT, IRT_BOOL, n, ki64(I, 0, line), line), NULL, 0, line);
  np_bounds(I, infer_conv(I, n, IRT_INT, line), dt, line);
  return infer_conv(I, w, dt, line);
}

/* Scalar 'w' converted for a store into an array of 'dt' (NumPy casts). */
static IrRef store_conv(In *I, IrRef w, IrType dt, int32_t line)
{
  IrKind dk = kindof(I, dt);
  if (TY(w) == dt || (dk != IRK_INT && dk != IRK_UINT)) return infer_conv(I, w, dt, line);
  return store_int(I, w, dt, line);
}

static IrType setitem(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  if (x->aux.s == fancy_tag) return fancy(I, v, true);
  IrRef a = x->args[0], idx = x->args[1], w = x->args[2];
  int32_t line = x->line;
  IrType at = TY(a), it = TY(idx), wt = TY(w);
  if (!at || !it || !wt) return IRT_VOID;
  if (kindof(I, at) != IRK_ARRAY) TERR(line, "'%s' object does not support item assignment", infer_pyname(I, at));
  bool view = expand_ellipsis(I, at, &idx, &it, line);
  if (is_fancy(I, it)) return fancy(I, v, true);
  const IrTypeInfo *ai = info(I, at);
  if (ai->readonly) TERR(line, "assignment destination is read-only");
  infer_set_impure(I);
  IrType t = index_type(I, at, idx, it, view, line);
  IrType dt = elemval(ai->elem[0]);
  if (view && kindof(I, t) == IRK_ARRAY && info(I, t)->ndim == 0) {   /* a[..., i, j] = w: one item */
    t = dt;
    if (kindof(I, wt) == IRK_ARRAY) {   /* w's one item (a 0-d array) */
      if (info(I, wt)->ndim) ir_error(CTX, EM_ERR_CONSTRUCT, line, "storing an array of dimensions into one item");
      wt = elemval(info(I, wt)->elem[0]);
      if (RW) {
        IrRef p[2] = {w, infer_before(I, IR_TUPLE, ir_type_tuple(CTX, NULL, 0), NULL, 0, line)};
        w = infer_before(I, IR_GETITEM, wt, p, 2, line);
      }
    }
  }
  if (kindof(I, wt) == IRK_ARRAY) {   /* a[...] = b: copied elementwise (lower) */
    const IrTypeInfo *wi = info(I, wt);
    if (kindof(I, t) != IRK_ARRAY || wi->ndim > info(I, t)->ndim)
      TERR(line, "could not broadcast an array of %d dimensions into %d", wi->ndim,
           kindof(I, t) == IRK_ARRAY ? info(I, t)->ndim : 0);
    check_store(I, elemval(wi->elem[0]), dt, line);
  } else {
    check_store(I, wt, dt, line);
    if (RW) val(I, v)->args[2] = store_conv(I, w, dt, line);
  }
  if (RW) val(I, v)->args[1] = infer_conv(I, idx, index_norm(I, it), line);
  return IRT_VOID;
}

static IrType slice_(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrRef p[3] = {x->args[0], x->args[1], x->args[2]};
  IrType e[3];
  for (int i = 0; i < 3; i++) {
    e[i] = TY(p[i]);
    if (!e[i]) return IRT_VOID;
    if (kindof(I, e[i]) == IRK_NONE) continue;
    if (!is_intlike(I, e[i]) && e[i] != IRT_BOOL)
      TERR(x->line, "slice indices must be integers or None, not '%s'", infer_pyname(I, e[i]));
    e[i] = IRT_INT;
    if (RW) p[i] = infer_conv(I, p[i], IRT_INT, x->line);
  }
  if (RW) memcpy(val(I, v)->args, p, sizeof p);
  return ir_type_slice(CTX, e[0], e[1], e[2]);
}

/* -- Matrix products -------------------------------------------------------- */

#define GUFUNC_MATMUL "(n?,k),(k,m?)->(n?,m?)"

/* Operands of types 'ta' and 'tb' for numpy.matmul: 1-D to 3-D arrays (one stack);
 * a scalar is NumPy's ValueError, two Python scalars Python's TypeError. */
static void matmul_check(In *I, IrType ta, IrType tb, int32_t line)
{
  IrType t[2] = {ta, tb};
  if (kindof(I, ta) != IRK_ARRAY && kindof(I, tb) != IRK_ARRAY && !infer_array_is_np(I, ta) && !infer_array_is_np(I, tb))
    TERR(line, "unsupported operand type(s) for @: '%s' and '%s'", infer_pyname(I, ta), infer_pyname(I, tb));
  for (int k = 0; k < 2; k++) {
    int nd = kindof(I, t[k]) == IRK_ARRAY ? info(I, t[k])->ndim : 0;
    if (kindof(I, t[k]) != IRK_ARRAY && cat(I, t[k]) < 0)
      TERR(line, "unsupported operand type(s) for @: '%s' and '%s'", infer_pyname(I, ta), infer_pyname(I, tb));
    if (!nd)
      TERR(line, "matmul: Input operand %d does not have enough dimensions (has 0, gufunc core with signature "
           GUFUNC_MATMUL " requires 1)", k);
    if (nd > 3) ir_error(CTX, EM_ERR_CONSTRUCT, line, "matmul of arrays of more than 3 dimensions");
  }
}

/* The library function of matmul of arrays of types 'ta' and 'tb': bool
 * with bool has its own (NumPy's or of ands; Ember's bools add as ints). */
static const char *matmul_fn(In *I, IrType ta, IrType tb)
{
  return info(I, ta)->elem[0] == IRT_BOOL && info(I, tb)->elem[0] == IRT_BOOL ? "numpy.matmul.bool" : "numpy.matmul";
}

/* `a @ b`: a call of the library's numpy.matmul; `a @= b` (aux.i 1) of
 * ndarray.__imatmul__, which writes the product into a (NumPy's same_kind
 * casting rule decides whether it may, here at compile time). */
static IrType matmul(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  int32_t line = x->line;
  if (!x->aux.s) {   /* once: [a (stands for the callee), a, b] */
    IrRef *a = ir_alloc(CTX, 3 * sizeof *a);
    a[0] = a[1] = x->args[0];
    a[2] = x->args[1];
    x->args = a;
    x->nargs = 3;
    x->aux.s = "matmul";
    x->aux.nkw = 0;
  }
  IrType ta = TY(x->args[1]), tb = TY(x->args[2]);
  if (!ta || !tb) return IRT_VOID;
  matmul_check(I, ta, tb, line);
  if (x->aux.v.i != 1) return library(I, v, matmul_fn(I, ta, tb), line);
  if (info(I, tb)->ndim != 2)
    TERR(line, "inplace matrix multiplication requires the first operand to have at least one and the second at least two dimensions.");
  IrType ot = info(I, ta)->elem[0], rt = promote(I, elemval(ot), elemval(info(I, tb)->elem[0]));
  if (info(I, ta)->readonly) TERR(line, "output array is read-only");
  if (not_same_kind(I, rt, ot))
    TERR(line, "Cannot cast ufunc 'matmul' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
         dtname(rt), dtname(ot));
  return library(I, v, "ndarray.__imatmul__", line);
}

/* The array primitives carry their types (IR written by tests or made by rewrites). */
static IrType primitive(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  for (uint32_t i = 0; i < x->nargs; i++)
    if (!TY(x->args[i])) return IRT_VOID;
  if (x->op == IR_ASTORE) infer_set_impure(I);
  if (x->op == IR_ASHAPE || x->op == IR_BOUNDS) return IRT_INT;
  if (x->op == IR_ASTRIDE || x->op == IR_ADATA) return IRT_I64;
  if (x->type == IRT_ANY || x->type == IRT_VOID) {
    if (x->op == IR_ASTORE || x->op == IR_GUARD) return IRT_VOID;
    TERR(x->line, "%s without a result type", ir_opinfo[x->op].text);
  }
  return x->type;
}

IrType infer_array_op(In *I, IrRef v)
{
  switch (val(I, v)->op) {
  case IR_SLICE: return slice_(I, v);
  case IR_GETITEM: return getitem(I, v);
  case IR_SETITEM: return setitem(I, v);
  case IR_MATMUL: return matmul(I, v);
  default: return primitive(I, v);
  }
}

/* -- Iteration ------------------------------------------------------------------ */

/* The item type of iterating over a value of type 't' (arrays: their first axis). */
static IrType item_of(In *I, IrType t, int32_t line)
{
  const IrTypeInfo *ti = info(I, t);
  if (ti->kind == IRK_RANGE) return IRT_INT;
  if (ti->kind == IRK_ITER || ti->kind == IRK_LIST) return ti->elem[0];
  if (ti->kind != IRK_ARRAY) TERR(line, "'%s' object is not iterable", infer_pyname(I, t));
  if (ti->ndim == 0) TERR(line, "iteration over a 0-d array");
  if (ti->ndim == 1) return elemval(ti->elem[0]);
  return ir_type_array(CTX, ti->elem[0], ti->ndim - 1, ti->layout == 'C' ? 'C' : 'A', ti->readonly);
}

IrType infer_array_iter(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrType t = TY(x->args[0]);
  return ir_type_iter(CTX, item_of(I, t, x->line), t);
}

/* zip(a, b, ...) or enumerate(a[, start]): an iterator over a tuple of iterators (lower expands it). */
static IrType zip_(In *I, IrRef v, IrRef *a, uint32_t n, bool enumerate, int32_t line)
{
  IrType items[16], subs[16];
  IrRef its[16];
  if (n > (enumerate ? 2u : 15u) || n < 1)
    ir_errorf(CTX, EM_ERR_ARGS, line, enumerate ? "enumerate() takes an iterable and a start" : "zip() of 1 to 15 iterables");
  if (enumerate && n == 2 && !is_intlike(I, TY(a[1])))
    TERR(line, "'%s' object cannot be interpreted as an integer", infer_pyname(I, TY(a[1])));
  uint32_t m = 0;
  if (enumerate) {
    items[m] = IRT_INT;
    subs[m] = ir_type_iter(CTX, IRT_INT, IRT_RANGE);
    if (RW) {
      IrRef r[3] = {n == 2 ? infer_conv(I, a[1], IRT_INT, line) : infer_konst(I, IRT_INT, (IrAuxVal){.i = 0}, line),
                    infer_konst(I, IRT_INT, (IrAuxVal){.i = INT64_MAX}, line),
                    infer_konst(I, IRT_INT, (IrAuxVal){.i = 1}, line)};
      if (n == 2) {   /* start + 2**62, a checked add: a start near int64's end reruns in CPython, no count stops short */
        IrRef e[2] = {r[0], infer_konst(I, IRT_INT, (IrAuxVal){.i = INT64_C(1) << 62}, line)};
        r[1] = infer_before(I, IR_ADD, IRT_INT, e, 2, line);
      }
      IrRef rg = infer_before(I, IR_RANGE, IRT_RANGE, r, 3, line);
      its[m] = infer_before(I, IR_GETITER, subs[m], &rg, 1, line);
    }
    m++;
  }
  for (uint32_t i = 0; i < (enumerate ? 1 : n); i++, m++) {
    IrType t = TY(a[i]);
    if (kindof(I, t) == IRK_TUPLE) ir_error(CTX, EM_ERR_CONSTRUCT, line, "zip or enumerate over tuples");
    items[m] = item_of(I, t, line);
    subs[m] = kindof(I, t) == IRK_ITER ? t : ir_type_iter(CTX, items[m], t);
    if (RW) its[m] = kindof(I, t) == IRK_ITER ? a[i] : infer_before(I, IR_GETITER, subs[m], &a[i], 1, line);
  }
  IrType t = ir_type_iter(CTX, ir_type_tuple(CTX, items, (uint16_t)m), ir_type_tuple(CTX, subs, (uint16_t)m));
  return infer_mk_op(I, v, IR_TUPLE, t, its, m);
}

/* -- Calls ------------------------------------------------------------------------ */

/* Integer dimensions of shape argument 'r' (an int or a tuple of ints) into
 * 'dims' (rw: int values); returns their count. */
static int shape_arg(In *I, IrRef r, IrRef *dims, int32_t line)
{
  IrType t = TY(r);
  const IrTypeInfo *ti = info(I, t);
  if (is_intlike(I, t)) {
    if (RW) dims[0] = infer_conv(I, r, IRT_INT, line);
    return 1;
  }
  if (ti->kind != IRK_TUPLE) TERR(line, "a shape must be an int or a tuple of ints, not '%s'", infer_pyname(I, t));
  if (ti->nelem > IR_MAXDIM) TERR(line, "arrays have at most %d dimensions", IR_MAXDIM);
  for (int k = 0; k < ti->nelem; k++) {
    IrType e = info(I, TY(r))->elem[k];
    if (!is_intlike(I, e)) TERR(line, "a shape must be a tuple of ints, not of '%s'", infer_pyname(I, e));
    if (RW) {
      IrVal *tv = val(I, r);
      IrRef x = tv->op == IR_TUPLE ? tv->args[k] : infer_before(I, IR_EXTRACT, e, &r, 1, line);
      if (tv->op != IR_TUPLE) val(I, x)->aux.v.i = k;
      dims[k] = infer_conv(I, x, IRT_INT, line);
    }
  }
  return ti->nelem;
}

/* Positional or keyword argument 'name' (position 'pos') of call 'v', or 0. */
static IrRef arg(In *I, IrRef v, uint32_t pos, const char *name)
{
  IrVal *x = val(I, v);
  uint32_t nkw = x->aux.nkw, npos = x->nargs - 1 - nkw;
  if (pos < npos) return x->args[1 + pos];
  for (uint32_t k = 0; k < nkw; k++)
    if (!strcmp(x->aux.kw[k], name)) return x->args[1 + npos + k];
  return 0;
}

/* np.empty(shape, dtype=float, order='C'): a new array. */
/* np.empty / np.zeros (shape, dtype=None): an allocation, zero-filled for
 * zeros ("aalloc ... zeroed"), whose extents the caller's code then knows
 * (a library call's result would hide them from LLVM's bounds-check removal). */
static IrType np_empty(In *I, IrRef v, int32_t line, bool zeroed)
{
  IrVal *x = val(I, v);
  const char *f = zeroed ? "zeros" : "empty";
  IrRef sh = arg(I, v, 0, "shape"), dt = arg(I, v, 1, "dtype");
  if (!sh || x->nargs - 1 > 2) ir_errorf(CTX, EM_ERR_ARGS, line, zeroed ? "numpy.zeros(shape, dtype=None) takes 1 or 2 arguments" : "numpy.empty(shape, dtype=None) takes 1 or 2 arguments");
  IrType e = dt ? dtype_arg(I, dt) : IRT_F64;
  if (!e) ir_errorf(CTX, EM_ERR_TYPES, line, "numpy.%s: dtype must be a NumPy scalar type, int, float, bool or complex", f);
  IrRef dims[IR_MAXDIM];
  int nd = shape_arg(I, sh, dims, line);
  IrType t = ir_type_array(CTX, e, nd, 'C', false);
  IrType r = infer_mk_op(I, v, IR_AALLOC, t, dims, nd);
  if (RW) val(I, v)->aux.v.i = zeroed;
  return r;
}

/* a.reshape(shape...) of a C-contiguous array: a view with C strides; one
 * constant -1 dimension is computed; the sizes must agree (guard). */
static IrType reshape(In *I, IrRef v, IrRef a, int32_t line)
{
  IrVal *x = val(I, v);
  const IrTypeInfo *ai = info(I, TY(a));
  if (ai->layout != 'C') ir_error(CTX, EM_ERR_CONSTRUCT, line, "reshape of arrays that are not C-contiguous");
  if (x->aux.nkw) ir_error(CTX, EM_ERR_CONSTRUCT, line, "reshape with keyword arguments");
  uint32_t n = x->nargs - 2;    /* callee, self, shape... */
  IrRef dims[IR_MAXDIM];
  int nd = 0;
  if (n == 1) nd = shape_arg(I, x->args[2], dims, line);
  else {
    if (n > IR_MAXDIM) TERR(line, "too many dimensions");
    for (uint32_t k = 0; k < n; k++) {
      if (!is_intlike(I, TY(x->args[2 + k]))) TERR(line, "reshape takes ints or one tuple of ints");
      nd += shape_arg(I, x->args[2 + k], dims + k, line);
    }
  }
  IrType t = ir_type_array(CTX, ai->elem[0], nd, 'C', ai->readonly);
  if (!RW) return t;
  /* NumPy's _fix_unknown_dimension: a negative extent (at most one) is what the others leave */
  IrRef one = infer_konst(I, IRT_INT, (IrAuxVal){.i = 1}, line), old = one, known = one;
  IrRef zero = infer_konst(I, IRT_INT, (IrAuxVal){.i = 0}, line), nneg = zero, neg[IR_MAXDIM];
  for (int k = 0; k < ai->ndim; k++) old = mul_int(I, old, shape_of(I, a, k, line), line);
  for (int k = 0; k < nd; k++) {
    IrRef c[2] = {dims[k], zero};
    neg[k] = infer_before(I, IR_LT, IRT_BOOL, c, 2, line);
    IrRef s1[3] = {neg[k], one, dims[k]}, s0[3] = {neg[k], one, zero};
    known = mul_int(I, known, infer_before(I, IR_SELECT, IRT_INT, s1, 3, line), line);
    IrRef n2[2] = {nneg, infer_before(I, IR_SELECT, IRT_INT, s0, 3, line)};
    nneg = infer_before(I, IR_ADD, IRT_INT, n2, 2, line);
  }
  IrRef cz[2] = {known, zero}, isz = infer_before(I, IR_EQ, IRT_BOOL, cz, 2, line);
  IrRef s3[3] = {isz, one, known}, q[2] = {old, infer_before(I, IR_SELECT, IRT_INT, s3, 3, line)};
  IrRef rest = infer_before(I, IR_FLOORDIV, IRT_INT, q, 2, line), pay[3 + IR_MAXDIM], size = one;
  pay[1] = infer_conv(I, old, IRT_I64, line);
  pay[2] = infer_conv(I, nneg, IRT_I64, line);
  for (int k = 0; k < nd; k++) {
    if (nd <= IR_MAXPAY - 2) pay[3 + k] = infer_conv(I, dims[k], IRT_I64, line);
    IrRef s4[3] = {neg[k], rest, dims[k]};
    dims[k] = infer_before(I, IR_SELECT, IRT_INT, s4, 3, line);
    size = mul_int(I, size, dims[k], line);
  }
  IrRef c1[2] = {size, old}, c2[2] = {nneg, zero}, c3[2] = {nneg, one};
  IrRef b1[2] = {infer_before(I, IR_NE, IRT_BOOL, c1, 2, line), infer_before(I, IR_GT, IRT_BOOL, c2, 2, line)};
  IrRef b2[2] = {b1[1], isz}, b3[2] = {infer_before(I, IR_BAND, IRT_BOOL, b2, 2, line), infer_before(I, IR_GT, IRT_BOOL, c3, 2, line)};
  IrRef b4[2] = {b1[0], infer_before(I, IR_BOR, IRT_BOOL, b3, 2, line)};
  pay[0] = infer_before(I, IR_BOR, IRT_BOOL, b4, 2, line);   /* payload: size, unknowns, the extents asked */
  IrRef g = infer_before(I, IR_GUARD, IRT_VOID, pay, nd <= IR_MAXPAY - 2 ? 3 + (uint32_t)nd : 1, line);
  val(I, g)->aux.v.i = RT_RESHAPE;
  IrRef p[2 + 2 * IR_MAXDIM];
  p[0] = a;
  p[1] = infer_konst(I, IRT_I64, (IrAuxVal){.i = 0}, line);
  IrRef st = infer_konst(I, IRT_I64, (IrAuxVal){.i = ir_type_size(CTX, ai->elem[0])}, line);
  for (int k = nd - 1; k >= 0; k--) {
    p[2 + k] = dims[k];
    p[2 + nd + k] = st;
    if (k) {
      IrRef d64 = infer_before(I, IR_CVT, IRT_I64, &dims[k], 1, line), m[2] = {st, d64};
      st = infer_before(I, IR_MUL, IRT_I64, m, 2, line);
    }
  }
  return infer_mk_op(I, v, IR_AVIEW, t, p, 2 + 2 * nd);
}

/* The function that implements library call 'v' of 'qn': keepdims= sets the
 * rank of a reduction's result, so its value must be a constant; True calls
 * "<qn>:keepdims" (jit/ember/_lib.py: qn's result with the reduced axes kept),
 * False qn itself.  The argument stays (both take it); the call keeps the
 * name qn, so that fuse and stabilize see keepdims among its arguments. */
static const char *keepdims(In *I, IrRef v, const char *qn, int32_t line)
{
  IrVal *x = val(I, v);
  uint32_t nkw = x->aux.nkw, npos = x->nargs - 1 - nkw;
  for (uint32_t k = 0; k < nkw; k++) {
    if (strcmp(x->aux.kw[k], "keepdims")) continue;
    IrVal *c = val(I, x->args[1 + npos + k]);
    if (c->op != IR_CONST || cat(I, c->type) < 0 || cat(I, c->type) > 1)
      TERR(line, "%s: keepdims must be the constant True or False (it decides the rank of the result)", qn);
    if (!c->aux.v.i) return qn;
    char fn[128];
    snprintf(fn, sizeof fn, "%s:keepdims", qn);
    return ir_strdup(CTX, fn);
  }
  return qn;
}

/* np.unique's return_index, return_inverse and return_counts (the constants
 * True or False: they decide the result's type) name the variant of qn that
 * returns what they ask for, "numpy.unique:ivc" with those True ("numpy.unique"
 * with none); the arguments stay. */
static const char *unique_flags(In *I, IrRef v, const char *qn, int32_t line)
{
  static const char *const kws[] = {"return_index", "return_inverse", "return_counts"};
  if (strcmp(qn, "numpy.unique")) return qn;
  IrVal *x = val(I, v);
  uint32_t nkw = x->aux.nkw, npos = x->nargs - 1 - nkw;
  char fn[32] = "numpy.unique:", *e = fn + strlen(fn);
  if (npos > 1) TERR(line, "%s: give return_index, return_inverse and return_counts as keywords", qn);
  for (int f = 0; f < 3; f++)
    for (uint32_t k = 0; k < nkw; k++) {
      if (strcmp(x->aux.kw[k], kws[f])) continue;
      IrVal *c = val(I, x->args[1 + npos + k]);
      if (c->op != IR_CONST || cat(I, c->type) < 0 || cat(I, c->type) > 1)
        TERR(line, "%s: %s must be the constant True or False (it decides the result's type)", qn, kws[f]);
      if (c->aux.v.i) *e++ = "ivc"[f];
    }
  *e = 0;
  return e[-1] == ':' ? qn : ir_strdup(CTX, fn);
}

/* Call a library function ("numpy.sum", "ndarray.sum") through IrHost.resolve. */
static IrType library(In *I, IrRef v, const char *qn, int32_t line)
{
  IrHost *h = &CTX->host;
  int64_t id;
  const char *fn = unique_flags(I, v, keepdims(I, v, qn, line), line);
  if (!h->resolve || h->resolve(h->host, fn, &id)) ir_error(CTX, EM_ERR_CALL, line, fn);
  IrType t = infer_callfn(I, v, id, fn);
  if (RW && val(I, v)->op == IR_CALLFN) val(I, v)->aux.s = ir_strdup(CTX, qn);   /* fuse knows the reductions by name */
  return t;
}

/* A NumPy scalar type called: np.float32(x) converts as NumPy casts. */
/* np.uint8(x) of a Python int or float 'a': NumPy checks it as a Python number
 * (np.uint8(300), np.uint8(-1.5) and np.int64(1e20) raise OverflowError,
 * np.int8(nan) ValueError), where a NumPy scalar is cast (np.uint8(np.int64(300)) is 44). */
static IrType construct_int(In *I, IrRef v, IrType t, IrRef a, int32_t line)
{
  if (!RW) return t;
  IrRef w = a;
  if (TY(a) == IRT_F64) w = float_as_int(I, a, t, line);   /* int(a), in range */
  else np_bounds(I, w, t, line);
  return infer_mk_op(I, v, IR_CVT, t, &w, 1);
}

static IrType construct(In *I, IrRef v, IrType t, int32_t line)
{
  IrVal *x = val(I, v);
  if (t == IRT_F16) ir_error(CTX, EM_ERR_CONSTRUCT, line, "float16 scalars (float16 arrays are read as float32)");
  if (x->nargs == 1) return infer_mk_const(I, v, t, (IrAuxVal){0});
  if (x->nargs != 2 || x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "a NumPy scalar type takes one argument");
  IrRef a = x->args[1];
  IrType at = TY(a);
  if (cat(I, at) < 0) TERR(line, "cannot convert '%s' to a NumPy scalar", infer_pyname(I, at));
  if (cat(I, at) == 3 && cat(I, t) < 3) TERR(line, "cannot convert a complex number to a real NumPy scalar");
  if (t == IRT_F64 || t == IRT_C128) {   /* np.float64(x) is NumPy's: x / 0.0 is inf (passes/npsem.c), x strong */
    infer_mk_op(I, v, IR_CVT, t, &a, 1);
    if (RW) val(I, v)->aux.v.i = IR_AUX_NUMPY;
    return t;
  }
  if (at == t) return infer_mk_fwd(I, v, a);
  if (cat(I, t) == 1 && at != IRT_BOOL && weak(I, a, at)) return construct_int(I, v, t, a, line);
  return infer_mk_op(I, v, t == IRT_BOOL ? IR_TRUTH : IR_CVT, t, &a, 1);
}

/* Python builtins on NumPy scalars and arrays. */
static IrType pybuiltin(In *I, IrRef v, const char *name, int32_t line)
{
  IrVal *x = val(I, v);
  uint32_t n = x->nargs - 1;
  IrRef a0 = n ? x->args[1] : 0;
  IrType t0 = a0 ? TY(a0) : IRT_VOID;
  if (!strcmp(name, "len")) {
    if (n != 1) ir_errorf(CTX, EM_ERR_ARGS, line, "len() takes exactly one argument (%u given)", n);
    if (kindof(I, t0) == IRK_TUPLE) return known_int(I, v, info(I, t0)->nelem);   /* `if len(axis) > 1:` decides */
    if (kindof(I, t0) != IRK_ARRAY) TERR(line, "object of type '%s' has no len()", infer_pyname(I, t0));
    if (info(I, t0)->ndim == 0) TERR(line, "len() of unsized object");
    if (!RW) return IRT_INT;
    return infer_mk_fwd(I, v, shape_of(I, a0, 0, line));
  }
  if (!strcmp(name, "enumerate") || !strcmp(name, "zip")) {
    bool start = name[0] == 'e' && x->aux.nkw == 1 && n == 2 && !strcmp(x->aux.kw[0], "start");   /* enumerate(a, start=1) */
    if (x->aux.nkw && !start) ir_errorf(CTX, EM_ERR_ARGS, line, "%s() with keyword arguments is not supported", name);
    return zip_(I, v, x->args + 1, n, name[0] == 'e', line);
  }
  static const struct { const char *name; IrType t; } conv[] = {
    {"float", IRT_F64}, {"int", IRT_INT}, {"bool", IRT_BOOL}, {"complex", IRT_C128},
  };
  for (size_t i = 0; i < sizeof conv / sizeof *conv; i++) {
    if (strcmp(name, conv[i].name)) continue;
    if (n != 1 || !infer_array_is_np(I, t0)) break;
    if (cat(I, t0) == 3 && conv[i].t != IRT_C128 && conv[i].t != IRT_BOOL)
      TERR(line, "%s() argument must be a real number, not 'complex'", name);
    if (conv[i].t == IRT_INT && cat(I, t0) == 2) {   /* int(np.float32): truncated, checked */
      IrRef f = RW ? infer_before(I, IR_CVT, IRT_F64, &a0, 1, line) : 0;
      return infer_mk_op(I, v, IR_CVT, IRT_INT, &f, 1);
    }
    return infer_mk_op(I, v, conv[i].t == IRT_BOOL ? IR_TRUTH : IR_CVT, conv[i].t, &a0, 1);
  }
  if (!strcmp(name, "abs") && kindof(I, t0) == IRK_ARRAY) {
    IrType et = ew_func(I, v, "abs", line);
    if (et != (IrType)-1) return et;
  }
  static const char *const lib[] = {"abs", "min", "max", "sum", "any", "all", "divmod", "complex"};
  for (size_t i = 0; i < sizeof lib / sizeof *lib; i++) {   /* jit/ember/_lib.py: CPython's algorithm */
    if (strcmp(name, lib[i])) continue;
    bool one = n == 1 && strcmp(name, "abs") && strcmp(name, "sum");   /* min(a), any(a): items of a 1-D array */
    if ((one || !strcmp(name, "sum")) && kindof(I, t0) != IRK_ARRAY && kindof(I, t0) != IRK_TUPLE)
      TERR(line, "'%s' object is not iterable", infer_pyname(I, t0));
    if (one && kindof(I, t0) == IRK_ARRAY && info(I, t0)->ndim != 1)
      TERR(line, "%s() of a %d-D array (the truth of its rows is ambiguous)", name, info(I, t0)->ndim);
    if (!strcmp(name, "sum") && kindof(I, t0) == IRK_ARRAY && info(I, t0)->ndim == 0)
      TERR(line, "iteration over a 0-d array");
    char qn[32];
    snprintf(qn, sizeof qn, "builtins.%s", name);
    return library(I, v, qn, line);
  }
  ir_errorf(CTX, EM_ERR_CALL, line, "%s() of NumPy values", name);
}

bool infer_array_takes(In *I, IrRef v, const char *name)
{
  IrVal *x = val(I, v);
  if (!name) {                                /* a method: of an array or NumPy scalar */
    IrType t = TY(val(I, x->args[0])->args[0]);
    return kindof(I, t) == IRK_ARRAY || infer_array_is_np(I, t);
  }
  if (!strncmp(name, "numpy.", 6) || !strncmp(name, "ember.", 6) || !strcmp(name, "len") ||
      !strcmp(name, "enumerate") || !strcmp(name, "zip"))
    return true;
  if (!strncmp(name, "math.", 5) || !strcmp(name, "range")) return false;
  for (uint32_t i = 1; i < x->nargs; i++) {
    IrType t = TY(x->args[i]);
    if (kindof(I, t) == IRK_ARRAY || infer_array_is_np(I, t)) return true;
  }
  return false;
}

/* The view of array 'a' with 'pad' leading axes of extent 1 added, then
 * axis 'src' of that moved to 'dst' (np.moveaxis). */
static IrType move_axis(In *I, IrRef v, IrRef a, int pad, int src, int dst, int32_t line)
{
  const IrTypeInfo *ai = info(I, TY(a));
  int n = ai->ndim + pad, order[IR_MAXDIM];
  if (n > IR_MAXDIM) TERR(line, "too many dimensions");
  if (!pad && src == dst) return infer_mk_fwd(I, v, a);
  for (int d = 0, s = 0; d < n; d++) {   /* order[d]: the padded axis output axis d takes */
    if (s == src) s++;
    order[d] = d == dst ? src : s++;
  }
  IrType t = ir_type_array(CTX, ai->elem[0], n, 'A', ai->readonly);
  if (!RW) return t;
  IrRef p[2 + 2 * IR_MAXDIM];
  p[0] = a;
  p[1] = infer_konst(I, IRT_I64, (IrAuxVal){.i = 0}, line);
  for (int d = 0; d < n; d++) {
    int s = order[d] - pad;
    p[2 + d] = s < 0 ? infer_konst(I, IRT_INT, (IrAuxVal){.i = 1}, line) : shape_of(I, a, s, line);
    p[2 + n + d] = s < 0 ? infer_konst(I, IRT_I64, (IrAuxVal){.i = 0}, line) : stride_of(I, a, s, line);
  }
  return infer_mk_op(I, v, IR_AVIEW, t, p, 2 + 2 * (uint32_t)n);
}

/* ember._prim.fancy_axis(y, t, j, mode[, v]) (frontend/lists.c, tuple_fancy:
 * x[t] with a list at part j of tuple t, that part now `:`): the axis of the
 * basic view v = x[t] the list indexes is the number of slices and new axes
 * before part j; mode 0: y (v) with that axis first; 1: y (v[list] of that)
 * with axis 0 moved back, unless NumPy puts it first (an int and the list
 * apart: a slice or new axis between them); 2: the stored value y moved as
 * mode 0 moves v (broadcast: leading axes of extent 1 where it has fewer). */
static IrType prim_fancy_axis(In *I, IrRef v, int32_t line)
{
  IrVal *x = val(I, v);
  IrRef a = x->args[1];
  IrType at = TY(a), tt = TY(x->args[2]);
  if (!at || !tt) return IRT_VOID;
  int j = (int)val(I, x->args[3])->aux.v.i, mode = (int)val(I, x->args[4])->aux.v.i;
  IrType parts[IR_MAXDIM];
  int n = index_parts(I, tt, parts, line), axis = 0, lo = j, hi = j;
  bool front = false;
  for (int k = 0; k < n; k++) {
    IrKind pk = kindof(I, parts[k]);
    if (k < j && (pk == IRK_SLICE || pk == IRK_NONE)) axis++;
    if (k != j && is_intlike(I, parts[k])) lo = k < lo ? k : lo, hi = k > hi ? k : hi;
  }
  for (int k = lo + 1; k < hi; k++)
    front |= k != j && (kindof(I, parts[k]) == IRK_SLICE || kindof(I, parts[k]) == IRK_NONE);
  if (kindof(I, at) != IRK_ARRAY || (mode && front)) return infer_mk_fwd(I, v, a);
  int nd = info(I, at)->ndim;
  if (mode == 0) {
    if (axis >= nd) TERR(line, "too many indices for array: array is %d-dimensional, but %d were indexed", nd, axis + 1);
    return move_axis(I, v, a, 0, axis, 0, line);
  }
  if (mode == 1) return move_axis(I, v, a, 0, 0, axis, line);
  int rn = info(I, TY(x->args[5]))->ndim;   /* the value: axes as the view's, right-aligned */
  if (nd > rn || axis < rn - nd) return infer_mk_fwd(I, v, a);
  return move_axis(I, v, a, rn - nd, axis, 0, line);
}

/* ember._prim.flat(a): a C or F array's elements in memory order, a 1-D view. */
static IrType prim_flat(In *I, IrRef v, IrRef a, int32_t line)
{
  const IrTypeInfo *ai = info(I, TY(a));
  if (ai->kind != IRK_ARRAY || ai->layout == 'A') TERR(line, "ember._prim.flat of an array that is not contiguous");
  IrType t = ir_type_array(CTX, ai->elem[0], 1, 'C', ai->readonly);
  if (!RW) return t;
  IrRef n = infer_konst(I, IRT_INT, (IrAuxVal){.i = 1}, line);
  for (int k = 0; k < ai->ndim; k++) n = mul_int(I, n, shape_of(I, a, k, line), line);
  IrRef p[4] = {a, infer_konst(I, IRT_I64, (IrAuxVal){.i = 0}, line), n,
                infer_konst(I, IRT_I64, (IrAuxVal){.i = ir_type_size(CTX, ai->elem[0])}, line)};
  return infer_mk_op(I, v, IR_AVIEW, t, p, 4);
}

/* ember._prim.line(a, off, n, step): the 1-D view of n items of a's memory,
 * the first at byte offset 'off' from a's first item, 'step' bytes apart
 * (unchecked: jit/ember/_lib.py keeps it inside a). */
static IrType prim_line(In *I, IrRef v, int32_t line)
{
  IrVal *x = val(I, v);
  if (x->nargs != 5 || x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "ember._prim.line takes four arguments");
  const IrTypeInfo *ai = info(I, TY(x->args[1]));
  if (ai->kind != IRK_ARRAY) TERR(line, "ember._prim.line of a %s", infer_pyname(I, TY(x->args[1])));
  for (int k = 2; k < 5; k++)
    if (!is_intlike(I, TY(x->args[k]))) TERR(line, "ember._prim.line takes ints");
  IrType t = ir_type_array(CTX, ai->elem[0], 1, 'A', ai->readonly);
  if (!RW) return t;
  IrRef p[4] = {x->args[1], infer_conv(I, x->args[2], IRT_I64, line), infer_conv(I, x->args[3], IRT_INT, line),
                infer_conv(I, x->args[4], IRT_I64, line)};
  return infer_mk_op(I, v, IR_AVIEW, t, p, 4);
}

/* ember._prim.check_bcast(bad): ValueError (operands could not be broadcast) when bad. */
/* ember._prim.check_bcast(bad, shape, shape, ...): ValueError when 'bad'; the
 * shapes (tuples of ints) are the guard's payload, each as its ndim then its
 * extents, for NumPy's "operands could not be broadcast together with shapes".
 * check_bcast_tree(bad, tokens, shape, ...) the same, of kind RT_BCAST_TREE. */
static IrType prim_bcast(In *I, IrRef v, int32_t line, int kind)
{
  IrVal *x = val(I, v);
  IrRef bad = x->args[1];
  if (TY(bad) != IRT_BOOL || x->aux.nkw) TERR(line, "ember._prim.check_bcast of a %s", infer_pyname(I, TY(bad)));
  IrRef pay[IR_MAXPAY + 1];
  uint32_t n = 0;
  pay[n++] = bad;
  for (uint32_t k = 2; k < val(I, v)->nargs; k++) {
    IrRef s = val(I, v)->args[k];
    const IrTypeInfo *ti = info(I, TY(s));
    if (ti->kind != IRK_TUPLE) TERR(line, "ember._prim.check_bcast of a %s shape", infer_pyname(I, TY(s)));
    if (n + 1 + ti->nelem > IR_MAXPAY + 1) { n = 1; break; }   /* too many to carry: the short message */
    if (!RW) continue;
    pay[n++] = infer_konst(I, IRT_I64, (IrAuxVal){.i = ti->nelem}, line);
    for (uint16_t j = 0; j < ti->nelem; j++) {
      IrRef e = infer_before(I, IR_EXTRACT, ti->elem[j], &s, 1, line);
      val(I, e)->aux.v.i = j;
      pay[n++] = infer_conv(I, e, IRT_I64, line);
    }
  }
  if (!RW) return IRT_NONE;
  IrRef g = infer_before(I, IR_GUARD, IRT_VOID, pay, n, line);
  val(I, g)->aux.v.i = kind;
  return infer_mk_const(I, v, IRT_NONE, (IrAuxVal){0});
}

/* ember._prim.check_core(out, dim, size, want): NumPy's ValueError of
 * matmul when size != want, with the four ints as the guard's payload. */
static IrType prim_core(In *I, IrRef v, int32_t line)
{
  IrVal *x = val(I, v);
  if (x->nargs != 5 || x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "ember._prim.check_core takes four arguments");
  IrRef p[5];
  for (int k = 0; k < 4; k++) {
    IrRef a = x->args[1 + k];
    if (!is_intlike(I, TY(a))) TERR(line, "ember._prim.check_core of a %s", infer_pyname(I, TY(a)));
    p[1 + k] = RW ? infer_conv(I, a, IRT_I64, line) : 0;
  }
  if (!RW) return IRT_NONE;
  IrRef c[2] = {p[3], p[4]};
  p[0] = infer_before(I, IR_NE, IRT_BOOL, c, 2, line);
  IrRef g = infer_before(I, IR_GUARD, IRT_VOID, p, 5, line);
  val(I, g)->aux.v.i = RT_MATMUL_CORE;
  return infer_mk_const(I, v, IRT_NONE, (IrAuxVal){0});
}

/* ember._prim.sum_zero(a): 0 of the type NumPy sums a's dtype in (int64 for
 * bool and signed ints, uint64 for unsigned, else the dtype); mean_zero: the
 * type of a mean (float64 for bool and ints). */
static IrType prim_call(In *I, IrRef v, const char *f, int32_t line)
{
  IrVal *x = val(I, v);
  if (x->nargs != 2) ir_errorf(CTX, EM_ERR_ARGS, line, "ember._prim.%s takes one argument", f);
  IrRef a = x->args[1];
  IrType t = TY(a);
  if (!strcmp(f, "flat")) return prim_flat(I, v, a, line);
  if (!strcmp(f, "c_contiguous") || !strcmp(f, "contiguous")) {   /* known from the type: decides branches */
    char lay = kindof(I, t) == IRK_ARRAY ? info(I, t)->layout : 'C';
    return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = lay == 'C' || (strcmp(f, "contiguous") == 0 && lay == 'F')});
  }
  if (!strcmp(f, "is_array")) return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = kindof(I, t) == IRK_ARRAY});
  if (!strcmp(f, "is_tuple")) return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = kindof(I, t) == IRK_TUPLE});

  if (!strcmp(f, "typecode") && kindof(I, t) == IRK_ARRAY)   /* the item type's IrType (np_sort's), float16 too */
    return infer_mk_const(I, v, IRT_INT, (IrAuxVal){.i = info(I, t)->elem[0]});
  if (!strcmp(f, "data") && kindof(I, t) == IRK_ARRAY)   /* the address of the data (overlap tests) */
    return infer_mk_op(I, v, IR_ADATA, IRT_I64, &a, 1);
  if (kindof(I, t) == IRK_ARRAY) t = elemval(info(I, t)->elem[0]);
  if (kindof(I, t) == IRK_DTYPE) t = elemval(info(I, t)->elem[0]);
  int c = cat(I, t);
  if (c < 0) TERR(line, "ember._prim.%s of a %s", f, infer_pyname(I, t));
  IrType r = t;
  if (!strcmp(f, "float_dtype"))   /* the dtype of a NumPy math function's result (ew_functype) */
    return infer_mk_const(I, v, ir_type_dtype(CTX, np_float_of(t)), (IrAuxVal){0});
  if (!strcmp(f, "inexact")) return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = c >= 2});   /* float or complex */
  if (!strcmp(f, "floating")) return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = c == 2});  /* a real float */
  if (!strcmp(f, "dtype_of"))   /* np.array(x).dtype: int64 for a Python int */
    return infer_mk_const(I, v, ir_type_dtype(CTX, t == IRT_INT ? IRT_I64 : t), (IrAuxVal){0});
  if (!strcmp(f, "sum_zero")) r = c == 0 || kindof(I, t) == IRK_INT ? IRT_I64 : kindof(I, t) == IRK_UINT ? IRT_U64 : t;
  else r = c <= 1 ? IRT_F64 : t;
  return infer_mk_const(I, v, r, (IrAuxVal){0});
}

IrType infer_array_construct(In *I, IrRef v, IrType dtype)
{
  return construct(I, v, info(I, dtype)->elem[0], val(I, v)->line);
}

/* The ufuncs that are Python's operators: np.add(a, b) is a + b. */
static const struct { const char *name; IrOp op; int nargs; bool boolean; } ufunc_ops[] = {
  {"add", IR_ADD, 2, false}, {"subtract", IR_SUB, 2, false}, {"multiply", IR_MUL, 2, false},
  {"divide", IR_TRUEDIV, 2, false}, {"true_divide", IR_TRUEDIV, 2, false}, {"floor_divide", IR_FLOORDIV, 2, false},
  {"power", IR_POW, 2, false}, {"remainder", IR_MOD, 2, false}, {"mod", IR_MOD, 2, false},
  {"negative", IR_NEG, 1, false}, {"positive", IR_POS, 1, false}, {"invert", IR_INVERT, 1, false},
  {"bitwise_and", IR_BAND, 2, false}, {"bitwise_or", IR_BOR, 2, false}, {"bitwise_xor", IR_BXOR, 2, false},
  {"left_shift", IR_LSHIFT, 2, false}, {"right_shift", IR_RSHIFT, 2, false},
  {"less", IR_LT, 2, false}, {"less_equal", IR_LE, 2, false}, {"greater", IR_GT, 2, false},
  {"greater_equal", IR_GE, 2, false}, {"equal", IR_EQ, 2, false}, {"not_equal", IR_NE, 2, false},
  {"logical_and", IR_BAND, 2, true}, {"logical_or", IR_BOR, 2, true}, {"logical_xor", IR_BXOR, 2, true},
  {"logical_not", IR_INVERT, 1, true},
};

/* numpy.<f>(operands) for a ufunc that is an operator: 'v' becomes that
 * operator (the logical ones of bool operands only), typed as one; or -1. */
static IrType ufunc_op(In *I, IrRef v, const char *f)
{
  IrVal *x = val(I, v);
  for (size_t i = 0; i < sizeof ufunc_ops / sizeof *ufunc_ops; i++) {
    if (strcmp(f, ufunc_ops[i].name) || x->aux.nkw || (int)x->nargs - 1 != ufunc_ops[i].nargs) continue;
    for (uint32_t k = 1; ufunc_ops[i].boolean && k < x->nargs; k++)
      if (elem_of(I, TY(x->args[k])) != IRT_BOOL) return (IrType)-1;
    IrOp op = ufunc_ops[i].op;
    x->op = op;
    x->args++;
    x->nargs--;
    memset(&x->aux, 0, sizeof x->aux);
    if (op >= IR_EQ && op <= IR_GE) return infer_array_compare(I, v);
    if (op == IR_NEG || op == IR_POS || op == IR_INVERT) return infer_array_unop(I, v);
    return infer_array_binop(I, v);
  }
  return (IrType)-1;
}

IrType infer_array_call(In *I, IrRef v, const char *name)
{
  int32_t line = val(I, v)->line;
  if (!strncmp(name, "numpy.", 6)) {
    IrType t = ufunc_op(I, v, name + 6);
    if (t != (IrType)-1) return t;
  }
  if (!strcmp(name, "ember._prim.check_core")) return prim_core(I, v, line);
  if (!strcmp(name, "ember._prim.check_bcast")) return prim_bcast(I, v, line, RT_ARRAY_SHAPE);
  if (!strcmp(name, "ember._prim.check_bcast_tree")) return prim_bcast(I, v, line, RT_BCAST_TREE);
  if (!strcmp(name, "ember._prim.fmaximum") || !strcmp(name, "ember._prim.fminimum")) {
    IrVal *x = val(I, v);   /* two reals as float64: IEEE maximum / minimum (NaN wins, -0.0 < 0.0) */
    if (x->nargs != 3 || x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "%s takes two arguments", name);
    IrRef a[2];
    for (int k = 0; k < 2; k++) {
      int c = cat(I, TY(x->args[1 + k]));
      if (c < 0 || c > 2) TERR(line, "%s of a %s", name, infer_pyname(I, TY(x->args[1 + k])));
      a[k] = infer_conv(I, val(I, v)->args[1 + k], IRT_F64, line);
    }
    return infer_mk_intrin(I, v, name[14] == 'a' ? IN_FMAXIMUM : IN_FMINIMUM, IRT_F64, a, 2);
  }
  if (!strcmp(name, "ember._prim.fma")) {
    IrVal *x = val(I, v);   /* x * y + z rounded once: in float32 when all three are, else float64 */
    if (x->nargs != 4 || x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "%s takes three arguments", name);
    bool f32 = true;
    for (int k = 0; k < 3; k++) {
      int c = cat(I, TY(x->args[1 + k]));
      if (c < 0 || c > 2) TERR(line, "%s of a %s", name, infer_pyname(I, TY(x->args[1 + k])));
      f32 &= TY(x->args[1 + k]) == IRT_F32;
    }
    IrRef a[3];
    for (int k = 0; k < 3; k++) a[k] = infer_conv(I, val(I, v)->args[1 + k], f32 ? IRT_F32 : IRT_F64, line);
    return infer_mk_intrin(I, v, IN_FMA, f32 ? IRT_F32 : IRT_F64, a, 3);
  }
  static const struct { const char *name; IrIntrin id; } real1[] = {
    {"ember._prim.exp2", IN_EXP2}, {"ember._prim.cbrt", IN_CBRT}, {"ember._prim.ffloor", IN_FFLOOR},
    {"ember._prim.fceil", IN_FCEIL}, {"ember._prim.ftrunc", IN_FTRUNC}, {"ember._prim.frint", IN_FRINT}};
  for (size_t k = 0; k < sizeof real1 / sizeof real1[0]; k++) {
    if (strcmp(name, real1[k].name)) continue;
    IrVal *x = val(I, v);   /* a function of a real as float64, never raising */
    if (x->nargs != 2 || x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "%s takes one argument", name);
    int c = cat(I, TY(x->args[1]));
    if (c < 0 || c > 2) TERR(line, "%s of a %s", name, infer_pyname(I, TY(x->args[1])));
    IrRef a = infer_conv(I, x->args[1], IRT_F64, line);
    return infer_mk_intrin(I, v, real1[k].id, IRT_F64, &a, 1);
  }
  if (!strcmp(name, "ember._prim.line")) return prim_line(I, v, line);
  if (!strncmp(name, "ember._prim.random_", 19) || !strcmp(name, "ember._prim.np_sort") ||
      !strcmp(name, "ember._prim.blas") || !strncmp(name, "ember._prim.pairwise_", 21) ||
      !strcmp(name, "ember._prim.bcast_copy")) {   /* intrinsics (ir/intrin.def) */
    char qn[48];
    snprintf(qn, sizeof qn, "<prim>.%s", name + 12);
    return infer_builtin(I, v, ir_strdup(CTX, qn));
  }
  if (!strcmp(name, "ember._prim.fancy_axis")) return prim_fancy_axis(I, v, line);
  if (!strncmp(name, "ember.out.", 10)) {   /* f(..., out=o) (frontend/outkw.c): o[...] = f(...), then o */
    bool ew = false;
    for (size_t i = 0; i < sizeof ew_funcs / sizeof *ew_funcs; i++) ew |= !strcmp(ew_funcs[i], name + 10);
    if (!ew) ir_errorf(CTX, EM_ERR_ARGS, line, "%s with out= (only NumPy's elementwise functions take it)", name + 10);
    return library(I, v, "ember.ufunc_out", line);
  }
  if (!strncmp(name, "ember._prim.", 12)) return prim_call(I, v, name + 12, line);
  if (!strncmp(name, "ember.sum_", 10)) return library(I, v, name, line);   /* sum of a generator expression */
  if (strncmp(name, "numpy.", 6)) return pybuiltin(I, v, name, line);
  if (!strncmp(name, "numpy.random.", 13) && val(I, v)->nargs == 1) {   /* one draw: the intrinsic, no library call */
    const char *r = name + 13;
    if (!strcmp(r, "random") || !strcmp(r, "random_sample") || !strcmp(r, "ranf") || !strcmp(r, "sample") ||
        !strcmp(r, "rand"))
      return infer_builtin(I, v, "<prim>.random_double");
    if (!strcmp(r, "randn") || !strcmp(r, "standard_normal")) return infer_builtin(I, v, "<prim>.random_gauss");
  }
  const char *f = name + 6;
  IrType dt = np_dtype(f);
  if (dt) return construct(I, v, dt, line);
  if (!strcmp(f, "empty") || !strcmp(f, "zeros")) return np_empty(I, v, line, f[0] == 'z');
  if (!strcmp(f, "matmul")) {
    IrVal *x = val(I, v);
    if (x->nargs != 3 || x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "numpy.matmul takes two arguments here");
    matmul_check(I, TY(x->args[1]), TY(x->args[2]), line);
    return library(I, v, matmul_fn(I, TY(x->args[1]), TY(x->args[2])), line);
  }
  IrType et = ew_func(I, v, f, line);
  if (et != (IrType)-1) return et;
  return library(I, v, name, line);
}

IrType infer_array_method(In *I, IrRef v, IrRef callee)
{
  IrVal *x = val(I, v), *c = val(I, callee);
  IrRef obj = c->args[0];
  const char *name = c->aux.v.s;
  int32_t line = x->line;
  if (!x->aux.s) {   /* once: the object becomes the first argument */
    IrRef *a = ir_alloc(CTX, (x->nargs + 1) * sizeof *a);
    a[0] = x->args[0];
    a[1] = obj;
    memcpy(a + 2, x->args + 1, (x->nargs - 1) * sizeof *a);
    x->args = a;
    x->nargs++;
    x->aux.s = "self";
  }
  IrType t = TY(obj);
  if (kindof(I, t) == IRK_ARRAY && !strcmp(name, "reshape")) return reshape(I, v, obj, line);
  char qn[96];
  snprintf(qn, sizeof qn, "%s.%s", kindof(I, t) == IRK_ARRAY ? "ndarray" : "generic", name);
  return library(I, v, qn, line);
}

#undef RW
#undef TY
#undef CTX
#undef TERR
