/* passes/fold.c: constant folding with Python's exact semantics.
 *
 * Walks the live blocks in reverse postorder, so an operand is folded
 * before its uses (block parameters are cleanup's business), and repeats
 * until nothing changes.  A value whose operands are constants becomes a
 * CONST in place (same value index, same type); forwarding rules replace a
 * value by one of its operands (extract of a tuple, select on a constant).
 * Never folded: anything that would raise or leave its type at run time
 * (1 // 0, int overflow, f64 -> int of NaN, 0.0 ** -1, math domain errors):
 * it stays for the lowering, which reports it exactly.
 * Branches: CBR on a constant becomes BR to the taken successor.
 *
 * Expects: typed IR (values of type `any` are left alone).  Leaves: the same
 * IR with fewer operations; unreachable blocks stay for cleanup.
 */
#include <math.h>
#include <string.h>

#include "passes.h"

typedef IrAuxVal K;

static bool isk(IrFunc *fn, IrRef r)
{
  IrVal *x = ir_val(fn, r);
  return x->op == IR_CONST && x->type != IRT_ANY;
}

static K kv(IrFunc *fn, IrRef r) { return ir_val(fn, r)->aux.v; }

/* -- Python integer semantics (i64; false = leave it for run time) -------- */

static bool i_floordiv(int64_t a, int64_t b, int64_t *r)
{
  if (b == 0 || (a == INT64_MIN && b == -1)) return false;
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) q--;  /* round to -inf */
  *r = q;
  return true;
}

static bool i_mod(int64_t a, int64_t b, int64_t *r)
{
  if (b == 0) return false;
  if (b == -1) { *r = 0; return true; }
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;  /* sign of the divisor */
  *r = m;
  return true;
}

static bool i_pow(int64_t a, int64_t b, int64_t *r)
{
  if (b < 0) return false;
  int64_t res = 1, base = a;
  while (b) {
    if ((b & 1) && __builtin_mul_overflow(res, base, &res)) return false;
    b >>= 1;
    if (b && __builtin_mul_overflow(base, base, &base)) return false;  /* needed later: overflows */
  }
  *r = res;
  return true;
}

static bool i_lshift(int64_t a, int64_t b, int64_t *r)
{
  if (b < 0) return false;
  if (a == 0) { *r = 0; return true; }
  if (b >= 63) return false;
  int64_t s = (int64_t)((uint64_t)a << b);
  if ((s >> b) != a) return false;
  *r = s;
  return true;
}

static bool i_rshift(int64_t a, int64_t b, int64_t *r)
{
  if (b < 0) return false;
  *r = b >= 64 ? (a < 0 ? -1 : 0) : (a >> b);
  return true;
}

/* int / int: CPython's correctly rounded quotient, exact via doubles up to 2**53. */
static bool i_truediv(int64_t a, int64_t b, double *r)
{
  const int64_t lim = (int64_t)1 << 53;
  if (b == 0 || a > lim || a < -lim || b > lim || b < -lim) return false;
  *r = (double)a / (double)b;
  return true;
}

/* -- Python float semantics (CPython floatobject.c) ------------------------ */

/* float_divmod: fmod, sign fix-up, signed zeros. */
static void f_divmod(double vx, double wx, double *floordiv, double *mod)
{
  double div, m = fmod(vx, wx);
  div = (vx - m) / wx;
  if (m) {
    if ((wx < 0) != (m < 0)) { m += wx; div -= 1.0; }
  } else {
    m = copysign(0.0, wx);
  }
  if (div) {
    *floordiv = floor(div);
    if (div - *floordiv > 0.5) *floordiv += 1.0;
  } else {
    *floordiv = copysign(0.0, vx / wx);
  }
  *mod = m;
}

/* float_rem: the remainder alone (differs from divmod's only in not computing div). */
static double f_mod(double vx, double wx)
{
  double m = fmod(vx, wx);
  if (m) {
    if ((wx < 0) != (m < 0)) m += wx;
  } else {
    m = copysign(0.0, wx);
  }
  return m;
}

static bool is_odd_integer(double x) { return fmod(fabs(x), 2.0) == 1.0; }

/* float_pow; false where CPython raises or the result would be complex. */
static bool f_pow(double iv, double iw, double *r)
{
  if (iw == 0) { *r = 1.0; return true; }
  if (isnan(iv)) { *r = iv; return true; }
  if (isnan(iw)) { *r = iv == 1.0 ? 1.0 : iw; return true; }
  if (isinf(iw)) {
    iv = fabs(iv);
    if (iv == 1.0) *r = 1.0;
    else if ((iw > 0.0) == (iv > 1.0)) *r = fabs(iw);
    else *r = 0.0;
    return true;
  }
  if (isinf(iv)) {
    bool odd = is_odd_integer(iw);
    if (iw > 0.0) *r = odd ? iv : fabs(iv);
    else *r = odd ? copysign(0.0, iv) : 0.0;
    return true;
  }
  if (iv == 0.0) {
    if (iw < 0.0) return false;  /* ZeroDivisionError */
    *r = is_odd_integer(iw) ? iv : 0.0;
    return true;
  }
  bool neg = false;
  if (iv < 0.0) {
    if (iw != floor(iw)) return false;  /* complex result */
    iv = -iv;
    neg = is_odd_integer(iw);
  }
  if (iv == 1.0) { *r = neg ? -1.0 : 1.0; return true; }
  double x = pow(iv, iw);
  if (isinf(x)) return false;  /* OverflowError */
  *r = neg ? -x : x;
  return true;
}

/* f64 -> int as int(x): truncate; NaN, inf and values past i64 stay for run time. */
static bool f_toint(double d, int64_t *r)
{
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
  *r = (int64_t)d;
  return true;
}

/* round(x) of a float: half to even. */
static double f_round(double x)
{
  double r = round(x);
  if (fabs(x - r) == 0.5) r = 2.0 * round(x / 2.0);
  return r;
}

/* -- Folding one value ----------------------------------------------------- */

/* Numeric value of constant 'r' as a double pair (for conversions). */
static void asc(IrFunc *fn, IrRef r, double *re, double *im)
{
  IrVal *x = ir_val(fn, r);
  *im = 0.0;
  if (x->type == IRT_F64) *re = x->aux.v.f;
  else if (x->type == IRT_C128) *re = x->aux.v.c[0], *im = x->aux.v.c[1];
  else *re = (double)x->aux.v.i;
}

static bool fold_int(IrOp op, int64_t a, int64_t b, K *r)
{
  switch (op) {
  case IR_ADD: return !__builtin_add_overflow(a, b, &r->i);
  case IR_SUB: return !__builtin_sub_overflow(a, b, &r->i);
  case IR_MUL: return !__builtin_mul_overflow(a, b, &r->i);
  case IR_FLOORDIV: return i_floordiv(a, b, &r->i);
  case IR_MOD: return i_mod(a, b, &r->i);
  case IR_POW: return i_pow(a, b, &r->i);
  case IR_TRUEDIV: return i_truediv(a, b, &r->f);
  case IR_LSHIFT: return i_lshift(a, b, &r->i);
  case IR_RSHIFT: return i_rshift(a, b, &r->i);
  case IR_BAND: r->i = a & b; return true;
  case IR_BOR: r->i = a | b; return true;
  case IR_BXOR: r->i = a ^ b; return true;
  case IR_EQ: r->i = a == b; return true;
  case IR_NE: r->i = a != b; return true;
  case IR_LT: r->i = a < b; return true;
  case IR_LE: r->i = a <= b; return true;
  case IR_GT: r->i = a > b; return true;
  case IR_GE: r->i = a >= b; return true;
  default: return false;
  }
}

static bool fold_f64(IrOp op, double a, double b, K *r)
{
  double q;
  switch (op) {
  case IR_ADD: r->f = a + b; return true;
  case IR_SUB: r->f = a - b; return true;
  case IR_MUL: r->f = a * b; return true;
  case IR_TRUEDIV: if (b == 0.0) return false; r->f = a / b; return true;
  case IR_FLOORDIV: if (b == 0.0) return false; f_divmod(a, b, &r->f, &q); return true;
  case IR_MOD: if (b == 0.0) return false; r->f = f_mod(a, b); return true;
  case IR_POW: return f_pow(a, b, &r->f);
  case IR_EQ: r->i = a == b; return true;
  case IR_NE: r->i = a != b; return true;
  case IR_LT: r->i = a < b; return true;
  case IR_LE: r->i = a <= b; return true;
  case IR_GT: r->i = a > b; return true;
  case IR_GE: r->i = a >= b; return true;
  default: return false;
  }
}

static bool fold_c128(IrOp op, const double *a, const double *b, K *r)
{
  switch (op) {
  case IR_ADD: r->c[0] = a[0] + b[0]; r->c[1] = a[1] + b[1]; return true;
  case IR_SUB: r->c[0] = a[0] - b[0]; r->c[1] = a[1] - b[1]; return true;
  case IR_MUL:  /* _Py_c_prod, without C99 Annex G's infinity recovery */
    r->c[0] = a[0] * b[0] - a[1] * b[1];
    r->c[1] = a[0] * b[1] + a[1] * b[0];
    return true;
  case IR_EQ: r->i = a[0] == b[0] && a[1] == b[1]; return true;
  case IR_NE: r->i = !(a[0] == b[0] && a[1] == b[1]); return true;
  default: return false;  /* division and power stay for run time */
  }
}

/* Python int 'i' against float 'f', exactly: -1, 0, 1, or 2 when unordered (NaN). */
static int cmp_int_float(int64_t i, double f)
{
  if (isnan(f)) return 2;
  if (f >= 9223372036854775808.0) return -1;
  if (f < -9223372036854775808.0) return 1;
  double tf = trunc(f);
  int64_t t = (int64_t)tf;
  if (i != t) return i < t ? -1 : 1;
  return f > tf ? -1 : f < tf ? 1 : 0;
}

/* Comparison 'op' of an int and a float constant (either order), as CPython. */
static bool fold_mixed(IrOp op, IrType ta, K a, K b, K *r)
{
  int c = ta == IRT_INT ? cmp_int_float(a.i, b.f) : cmp_int_float(b.i, a.f);
  if (ta != IRT_INT && c != 2) c = -c;   /* f OP i */
  switch (op) {
  case IR_EQ: r->i = c == 0; return true;
  case IR_NE: r->i = c != 0; return true;
  case IR_LT: r->i = c == -1; return true;
  case IR_LE: r->i = c == -1 || c == 0; return true;
  case IR_GT: r->i = c == 1; return true;
  case IR_GE: r->i = c == 1 || c == 0; return true;
  default: return false;
  }
}

/* Fold binary 'op' on constants 'a' and 'b' (operands of one type, or int and f64 compared). */
static bool fold_bin(IrFunc *fn, IrOp op, IrRef a, IrRef b, K *r)
{
  IrType t = ir_val(fn, a)->type, tb = ir_val(fn, b)->type;
  if ((t == IRT_INT && tb == IRT_F64) || (t == IRT_F64 && tb == IRT_INT))
    return fold_mixed(op, t, kv(fn, a), kv(fn, b), r);
  if (t != tb) return false;
  if (t == IRT_INT || t == IRT_BOOL) return fold_int(op, kv(fn, a).i, kv(fn, b).i, r);
  if (t == IRT_F64) return fold_f64(op, kv(fn, a).f, kv(fn, b).f, r);
  if (t == IRT_C128) return fold_c128(op, kv(fn, a).c, kv(fn, b).c, r);
  return false;
}

/* CVT of constant 'a' to type 'to'. */
static bool fold_cvt(IrFunc *fn, IrRef a, IrType to, K *r)
{
  IrType from = ir_val(fn, a)->type;
  double re, im;
  asc(fn, a, &re, &im);
  switch (to) {
  case IRT_INT:
    if (from == IRT_F64) return f_toint(re, &r->i);
    if (from != IRT_INT && from != IRT_BOOL) return false;
    r->i = kv(fn, a).i;
    return true;
  case IRT_F64:
    if (from == IRT_C128) return false;
    r->f = re;
    return true;
  case IRT_C128: r->c[0] = re; r->c[1] = im; return true;
  default: return false;
  }
}

static bool fold_un(IrFunc *fn, IrOp op, IrType rt, IrRef a, K *r)
{
  IrType t = ir_val(fn, a)->type;
  K x = kv(fn, a);
  double re, im;
  asc(fn, a, &re, &im);
  switch (op) {
  case IR_NEG:
    if (t == IRT_INT) { if (x.i == INT64_MIN) return false; r->i = -x.i; return true; }
    if (t == IRT_F64) { r->f = -x.f; return true; }
    if (t == IRT_C128) { r->c[0] = -x.c[0]; r->c[1] = -x.c[1]; return true; }
    return false;
  case IR_POS: if (t != rt) return false; *r = x; return true;
  case IR_INVERT: if (t != IRT_INT) return false; r->i = ~x.i; return true;
  case IR_NOT: if (t != IRT_BOOL) return false; r->i = !x.i; return true;
  case IR_TRUTH:
    if (t == IRT_NONE) { r->i = 0; return true; }
    if (!ir_type_is_num(fn->ctx, t)) return false;
    r->i = t == IRT_F64 || t == IRT_C128 ? (re != 0.0 || im != 0.0) : x.i != 0;
    return true;
  case IR_CVT: return fold_cvt(fn, a, rt, r);
  default: return false;
  }
}

/* Intrinsics that are exact and raise nothing for the given constants. */
static bool fold_intrin(IrFunc *fn, IrVal *x, K *r)
{
  K a = kv(fn, x->args[0]), b = x->nargs > 1 ? kv(fn, x->args[1]) : (K){0};
  IrType t = ir_val(fn, x->args[0])->type;
  switch (x->aux.v.i) {
  case IN_SQRT: if (a.f < 0.0) return false; r->f = sqrt(a.f); return true;
  case IN_FABS: r->f = fabs(a.f); return true;
  case IN_COPYSIGN: r->f = copysign(a.f, b.f); return true;
  case IN_FFLOOR: r->f = floor(a.f); return true;
  case IN_FCEIL: r->f = ceil(a.f); return true;
  case IN_FTRUNC: r->f = trunc(a.f); return true;
  case IN_FRINT: r->f = nearbyint(a.f); return true;   /* the default mode: half to even */
  case IN_FLOOR: return f_toint(floor(a.f), &r->i);
  case IN_CEIL: return f_toint(ceil(a.f), &r->i);
  case IN_TRUNC: return f_toint(trunc(a.f), &r->i);
  case IN_ISNAN: r->i = isnan(a.f) != 0; return true;
  case IN_ISINF: r->i = isinf(a.f) != 0; return true;
  case IN_ISFINITE: r->i = isfinite(a.f) != 0; return true;
  case IN_ABS:
    if (t == IRT_INT) { if (a.i == INT64_MIN) return false; r->i = a.i < 0 ? -a.i : a.i; return true; }
    if (t == IRT_F64) { r->f = fabs(a.f); return true; }
    return false;
  case IN_ROUND:
    if (t == IRT_INT) { r->i = a.i; return true; }
    return t == IRT_F64 && f_toint(f_round(a.f), &r->i) && isfinite(a.f);
  case IN_MIN: case IN_MAX: {  /* min(a, b) is a unless b < a */
    bool take_b;
    if (t == IRT_F64) take_b = x->aux.v.i == IN_MIN ? b.f < a.f : b.f > a.f;
    else take_b = x->aux.v.i == IN_MIN ? b.i < a.i : b.i > a.i;
    *r = take_b ? b : a;
    return true;
  }
  case IN_REAL: r->f = a.c[0]; return true;
  case IN_IMAG: r->f = a.c[1]; return true;
  case IN_CONJ: r->c[0] = a.c[0]; r->c[1] = -a.c[1]; return true;
  case IN_COMPLEX: r->c[0] = a.f; r->c[1] = b.f; return true;
  default: return false;
  }
}

/* Make 'v' the constant 'k' of its own type. */
static void setk(IrFunc *fn, IrRef v, K k)
{
  IrVal *x = ir_val(fn, v);
  x->op = IR_CONST;
  x->nargs = 0;
  x->args = NULL;
  memset(&x->aux, 0, sizeof x->aux);
  x->aux.v = k;
}

/* Replace 'v' by 'r' everywhere and take it out. */
static void forward(IrFunc *fn, IrRef v, IrRef r)
{
  ir_replace_uses(fn, v, r);
  ir_remove(fn, v);
}

/* CBR on a constant: jump to the taken successor. */
static bool fold_cbr(IrFunc *fn, IrRef v)
{
  IrVal *x = ir_val(fn, v);
  if (!isk(fn, x->args[0]) || ir_val(fn, x->args[0])->type != IRT_BOOL) return false;
  x->succ[0] = x->succ[kv(fn, x->args[0]).i ? 0 : 1];
  x->nsucc = 1;
  x->nargs = 0;
  x->op = IR_BR;
  return true;
}

/* Fold 'v' if it can be; returns 1 folded in place, 2 removed, 0 unchanged. */
static int fold1(IrFunc *fn, IrRef v)
{
  IrVal *x = ir_val(fn, v);
  if (x->type == IRT_ANY) return 0;
  if (x->op == IR_CBR) return fold_cbr(fn, v);
  if (x->op == IR_EXTRACT && ir_val(fn, x->args[0])->op == IR_TUPLE) {  /* (a, b)[1] ==> b */
    forward(fn, v, ir_val(fn, x->args[0])->args[x->aux.v.i]);
    return 2;
  }
  if (x->op == IR_SELECT && isk(fn, x->args[0])) {  /* select(true, a, b) ==> a */
    forward(fn, v, x->args[kv(fn, x->args[0]).i ? 1 : 2]);
    return 2;
  }
  if (!(ir_opinfo[x->op].flags & IRF_FOLD) || x->op == IR_CONST || !x->nargs) return 0;
  for (uint32_t i = 0; i < x->nargs; i++)
    if (!isk(fn, x->args[i])) return 0;
  K r = {0};
  bool ok;
  if (x->op == IR_INTRIN) ok = fold_intrin(fn, x, &r);
  else if (x->nargs == 2) ok = fold_bin(fn, (IrOp)x->op, x->args[0], x->args[1], &r);
  else ok = x->nargs == 1 && fold_un(fn, (IrOp)x->op, x->type, x->args[0], &r);
  if (!ok) return 0;
  setk(fn, v, r);
  return 1;
}

void pass_fold(IrFunc *fn)
{
  pass_rewrite_rpo(fn, fold1);
}
