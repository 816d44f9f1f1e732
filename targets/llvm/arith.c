/* targets/llvm/arith.c: numbers with Python's semantics.
 *
 * Python int is a checked i64: + - * and unary - use llvm.s*.with.overflow,
 * or, with a constant operand, a range test of the other operand that keeps
 * the check off the result's path (mul_const, add_const); an int only
 * observed modulo 2**64 (L->wrap, see fill_modular in lower.c) wraps
 * unchecked.  Floor division and modulo round to -inf (sign of the
 * divisor), ** is square-and-multiply with a check at each product, <<
 * checks that the shift loses no bits.  Floats follow CPython's
 * floatobject.c: true division and // and % by zero raise; // and % are
 * float_divmod (fmod, sign fix-up, floor, signed zeros); ** takes an inline
 * fast path for a finite positive base and finite exponent and calls
 * ember_rt_fpow for everything else.
 * Complex numbers are pairs of doubles: products as _Py_c_prod, quotients as
 * _Py_c_quot (Smith's method with selects), powers through ember_rt_cpow.
 * A comparison of a Python int with a float is exact (never through a
 * rounded double), like CPython's float_richcompare.
 * No fast-math flags are set unless TgOptions.fastmath, and never nnan/ninf
 * (the checks test NaN and inf).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llvm.h"

#define B (L->B)

/* -- Small helpers --------------------------------------------------------- */

static IrKind kind(Low *L, IrType t) { return ir_type_info(L->ctx, t)->kind; }

/* Apply the fast-math flags TgOptions allows to a float instruction 'x'. */
static LLVMValueRef fm(Low *L, LLVMValueRef x)
{
  if (L->opt && L->opt->fastmath && LLVMIsAInstruction(x) && LLVMCanValueUseFastMathFlags(x))
    LLVMSetFastMathFlags(x, LLVMFastMathAllowReassoc | LLVMFastMathNoSignedZeros |
                            LLVMFastMathAllowReciprocal | LLVMFastMathAllowContract |
                            LLVMFastMathApproxFunc);
  return x;
}

static LLVMValueRef f_add(Low *L, LLVMValueRef a, LLVMValueRef b) { return fm(L, LLVMBuildFAdd(B, a, b, "")); }
static LLVMValueRef f_sub(Low *L, LLVMValueRef a, LLVMValueRef b) { return fm(L, LLVMBuildFSub(B, a, b, "")); }
static LLVMValueRef f_mul(Low *L, LLVMValueRef a, LLVMValueRef b) { return fm(L, LLVMBuildFMul(B, a, b, "")); }
static LLVMValueRef f_div(Low *L, LLVMValueRef a, LLVMValueRef b) { return fm(L, LLVMBuildFDiv(B, a, b, "")); }
static LLVMValueRef fcmp(Low *L, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFCmp(B, p, a, b, ""); }
static LLVMValueRef icmp(Low *L, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildICmp(B, p, a, b, ""); }
static bool is_false(LLVMValueRef x) { return LLVMIsAConstantInt(x) && !LLVMConstIntGetZExtValue(x); }
static LLVMValueRef and1(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  return is_false(a) ? a : is_false(b) ? b : LLVMBuildAnd(B, a, b, "");   /* a check known false stays a constant */
}
static LLVMValueRef or1(Low *L, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildOr(B, a, b, ""); }
static LLVMValueRef sel(Low *L, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildSelect(B, c, a, b, ""); }

LLVMValueRef llvm_fabs(Low *L, LLVMValueRef x)
{
  return llvm_intrinsic(L, "llvm.fabs", LLVMTypeOf(x), &x, 1);
}

LLVMValueRef llvm_isnan(Low *L, LLVMValueRef x) { return fcmp(L, LLVMRealUNO, x, x); }
LLVMValueRef llvm_isinf(Low *L, LLVMValueRef x) { return fcmp(L, LLVMRealOEQ, llvm_fabs(L, x), llvm_f64(L, INFINITY)); }
LLVMValueRef llvm_isfinite(Low *L, LLVMValueRef x) { return fcmp(L, LLVMRealOLT, llvm_fabs(L, x), llvm_f64(L, INFINITY)); }

static LLVMValueRef copysign0(Low *L, LLVMValueRef sign)
{
  LLVMValueRef a[2] = {llvm_f64(L, 0.0), sign};
  return llvm_intrinsic(L, "llvm.copysign", L->f64, a, 2);
}

static LLVMValueRef floor_(Low *L, LLVMValueRef x) { return llvm_intrinsic(L, "llvm.floor", L->f64, &x, 1); }

/* a OP b on i64 with overflow check ("llvm.sadd.with.overflow"...). */
static LLVMValueRef ovf(Low *L, const char *name, LLVMValueRef a, LLVMValueRef b, LLVMValueRef *flag)
{
  LLVMValueRef args[2] = {a, b};
  LLVMValueRef r = llvm_intrinsic(L, name, L->i64, args, 2);
  *flag = LLVMBuildExtractValue(B, r, 1, "");
  return LLVMBuildExtractValue(B, r, 0, "");
}

/* Overflow if 'p'(x - lo, bound), a test that x = 0 passes.  In an
 * if-converted arm the exact test runs on llvm_spec_input(x), so it fails
 * only if the arm is taken, and the guard is 'guard' (on x itself) if not
 * NULL, else the exact test on x. */
static void check_range(Low *L, LLVMIntPredicate p, LLVMValueRef x, int64_t lo, int64_t bound, LLVMValueRef guard)
{
  LLVMValueRef t = icmp(L, p, lo ? LLVMBuildSub(B, x, llvm_i64(L, lo), "") : x, llvm_i64(L, bound));
  if (!L->spec) { llvm_check_ovf(L, t); return; }
  LLVMValueRef s = llvm_spec_input(L, x);
  llvm_check_ovf_taken(L, icmp(L, p, lo ? LLVMBuildSub(B, s, llvm_i64(L, lo), "") : s, llvm_i64(L, bound)),
                       guard ? guard : t);
}

/* x * c for a constant c: the product wraps and the check is a range test of
 * x, so a multiplication like Collatz's 3 * x + 1 stays one lea.  Its guard
 * in an arm is one compare, x >u hi, which also sends every x < 0 to the
 * exact test. */
static LLVMValueRef mul_const(Low *L, LLVMValueRef x, int64_t c)
{
  LLVMValueRef r = LLVMBuildMul(B, x, llvm_i64(L, c), "");
  if (c == 0 || c == 1) return r;
  int64_t lo = c > 0 ? INT64_MIN / c : c == -1 ? -INT64_MAX : INT64_MAX / c;
  int64_t hi = c > 0 ? INT64_MAX / c : c == -1 ? INT64_MAX : INT64_MIN / c;
  LLVMValueRef guard = L->spec ? icmp(L, LLVMIntUGT, x, llvm_i64(L, hi)) : NULL;
  check_range(L, LLVMIntUGT, x, lo, (int64_t)((uint64_t)hi - (uint64_t)lo), guard);
  L->prod = LLVMIsAConstant(r) ? NULL : r;   /* in [lo * c, hi * c] once the check passes (or is pending) */
  L->prodlo = c > 0 ? lo * c : hi * c;
  L->prodhi = c > 0 ? hi * c : lo * c;
  return r;
}

/* x + c for a constant c: the check compares x with a bound, off the path of
 * the sum (which a following lea may then absorb). */
static LLVMValueRef add_const(Low *L, LLVMValueRef x, int64_t c)
{
  LLVMValueRef r = LLVMBuildAdd(B, x, llvm_i64(L, c), "");
  if (x == L->prod && (c > 0 ? L->prodhi <= INT64_MAX - c : L->prodlo >= INT64_MIN - c))
    return r;   /* 3 * x + 1: the product's check covers the sum */
  if (c > 0) check_range(L, LLVMIntSGT, x, 0, INT64_MAX - c, NULL);
  if (c < 0) check_range(L, LLVMIntSLT, x, 0, INT64_MIN - c, NULL);
  return r;
}

/* a OP b, checked.  Outside an arm x + c keeps the intrinsic (inc; jo is as
 * short as a compare and branch) unless the product check covers it. */
static LLVMValueRef checked(Low *L, const char *name, LLVMValueRef a, LLVMValueRef b)
{
  bool ca = LLVMIsAConstantInt(a), cb = LLVMIsAConstantInt(b);
  if (!strcmp(name, "llvm.smul.with.overflow") && (ca || cb))
    return cb ? mul_const(L, a, LLVMConstIntGetSExtValue(b)) : mul_const(L, b, LLVMConstIntGetSExtValue(a));
  if (!strcmp(name, "llvm.sadd.with.overflow") && (ca || cb) && (L->spec || L->prod == (ca ? b : a)))
    return cb ? add_const(L, a, LLVMConstIntGetSExtValue(b)) : add_const(L, b, LLVMConstIntGetSExtValue(a));
  if (!strcmp(name, "llvm.ssub.with.overflow") && cb && LLVMConstIntGetSExtValue(b) != INT64_MIN && L->spec)
    return add_const(L, a, -LLVMConstIntGetSExtValue(b));
  LLVMValueRef o, r = ovf(L, name, a, b, &o);
  llvm_check_ovf(L, o);
  return r;
}

/* -- Python int ------------------------------------------------------------ */

static LLVMValueRef wrap_op(Low *L, IrOp op, LLVMValueRef a, LLVMValueRef b);

static LLVMValueRef int_floordiv(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  llvm_checkk(L, icmp(L, LLVMIntEQ, b, llvm_i64(L, 0)), RT_ZERODIV_INT);
  llvm_check_ovf(L, and1(L, icmp(L, LLVMIntEQ, a, llvm_i64(L, INT64_MIN)), icmp(L, LLVMIntEQ, b, llvm_i64(L, -1))));
  LLVMValueRef q = LLVMBuildSDiv(B, a, b, ""), r = LLVMBuildSRem(B, a, b, "");
  LLVMValueRef adj = and1(L, icmp(L, LLVMIntNE, r, llvm_i64(L, 0)),
                          icmp(L, LLVMIntSLT, LLVMBuildXor(B, r, b, ""), llvm_i64(L, 0)));
  return LLVMBuildSub(B, q, LLVMBuildZExt(B, adj, L->i64, ""), "");
}

static LLVMValueRef int_mod(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  llvm_checkk(L, icmp(L, LLVMIntEQ, b, llvm_i64(L, 0)), RT_ZERODIV_MOD_INT);
  LLVMValueRef bs = sel(L, icmp(L, LLVMIntEQ, b, llvm_i64(L, -1)), llvm_i64(L, 1), b);  /* INT64_MIN % -1 */
  LLVMValueRef r = LLVMBuildSRem(B, a, bs, "");
  LLVMValueRef adj = and1(L, icmp(L, LLVMIntNE, r, llvm_i64(L, 0)),
                          icmp(L, LLVMIntSLT, LLVMBuildXor(B, r, b, ""), llvm_i64(L, 0)));
  return sel(L, adj, LLVMBuildAdd(B, r, b, ""), r);
}

/* int / int: exact when both magnitudes are at most 2**53, else fall back. */
static LLVMValueRef int_truediv(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  llvm_checkk(L, icmp(L, LLVMIntEQ, b, llvm_i64(L, 0)), RT_ZERODIV_TRUE_INT);
  LLVMValueRef off = llvm_i64(L, (int64_t)1 << 53), lim = llvm_i64(L, (int64_t)1 << 54);
  LLVMValueRef big = or1(L, icmp(L, LLVMIntUGT, LLVMBuildAdd(B, a, off, ""), lim),
                         icmp(L, LLVMIntUGT, LLVMBuildAdd(B, b, off, ""), lim));
  llvm_checkk(L, big, RT_INT_OVERFLOW);
  return f_div(L, LLVMBuildSIToFP(B, a, L->f64, ""), LLVMBuildSIToFP(B, b, L->f64, ""));
}

/* a ** b by square-and-multiply; every product checked. */
static LLVMValueRef int_pow(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  llvm_checkk(L, icmp(L, LLVMIntSLT, b, llvm_i64(L, 0)), RT_POW_NEG_INT);
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
  LLVMBasicBlockRef loop = llvm_newbb(L, "ipow"), body = llvm_newbb(L, "ipow.body"), done = llvm_newbb(L, "ipow.done");
  LLVMBuildBr(B, loop);
  LLVMPositionBuilderAtEnd(B, loop);
  LLVMValueRef r = LLVMBuildPhi(B, L->i64, "r"), base = LLVMBuildPhi(B, L->i64, "base"), e = LLVMBuildPhi(B, L->i64, "e");
  LLVMValueRef init[3] = {llvm_i64(L, 1), a, b};
  LLVMAddIncoming(r, &init[0], &pre, 1);
  LLVMAddIncoming(base, &init[1], &pre, 1);
  LLVMAddIncoming(e, &init[2], &pre, 1);
  LLVMBuildCondBr(B, icmp(L, LLVMIntNE, e, llvm_i64(L, 0)), body, done);
  LLVMPositionBuilderAtEnd(B, body);
  LLVMValueRef odd = LLVMBuildTrunc(B, e, L->i1, "");
  LLVMValueRef o1, o2;
  LLVMValueRef m = ovf(L, "llvm.smul.with.overflow", r, base, &o1);
  LLVMValueRef e2 = LLVMBuildLShr(B, e, llvm_i64(L, 1), "");
  LLVMValueRef sq = ovf(L, "llvm.smul.with.overflow", base, base, &o2);
  llvm_checkk(L, or1(L, and1(L, odd, o1), and1(L, icmp(L, LLVMIntNE, e2, llvm_i64(L, 0)), o2)), RT_INT_OVERFLOW);
  LLVMValueRef r2 = sel(L, odd, m, r);
  LLVMBasicBlockRef latch = LLVMGetInsertBlock(B);
  LLVMAddIncoming(r, &r2, &latch, 1);
  LLVMAddIncoming(base, &sq, &latch, 1);
  LLVMAddIncoming(e, &e2, &latch, 1);
  LLVMBuildBr(B, loop);
  LLVMPositionBuilderAtEnd(B, done);
  return r;
}

static LLVMValueRef int_lshift(Low *L, LLVMValueRef a, LLVMValueRef c)
{
  llvm_checkk(L, icmp(L, LLVMIntSLT, c, llvm_i64(L, 0)), RT_NEG_SHIFT);
  LLVMValueRef wide = icmp(L, LLVMIntUGT, c, llvm_i64(L, 63));
  LLVMValueRef cc = sel(L, wide, llvm_i64(L, 63), c);
  LLVMValueRef r = LLVMBuildShl(B, a, cc, "");
  LLVMValueRef lost = or1(L, wide, icmp(L, LLVMIntNE, LLVMBuildAShr(B, r, cc, ""), a));
  llvm_check_ovf(L, and1(L, icmp(L, LLVMIntNE, a, llvm_i64(L, 0)), lost));
  return r;
}

static LLVMValueRef int_rshift(Low *L, LLVMValueRef a, LLVMValueRef c)
{
  llvm_checkk(L, icmp(L, LLVMIntSLT, c, llvm_i64(L, 0)), RT_NEG_SHIFT);
  LLVMValueRef cc = sel(L, icmp(L, LLVMIntUGT, c, llvm_i64(L, 63)), llvm_i64(L, 63), c);
  return LLVMBuildAShr(B, a, cc, "");
}

/* a << c when only the low 64 bits of the result are observed (L->wrap). */
static LLVMValueRef int_lshift_wrap(Low *L, LLVMValueRef a, LLVMValueRef c)
{
  llvm_checkk(L, icmp(L, LLVMIntSLT, c, llvm_i64(L, 0)), RT_NEG_SHIFT);
  LLVMValueRef wide = icmp(L, LLVMIntUGT, c, llvm_i64(L, 63));
  LLVMValueRef r = LLVMBuildShl(B, a, sel(L, wide, llvm_i64(L, 0), c), "");
  return sel(L, wide, llvm_i64(L, 0), r);
}

/* Binary or unary op on Python ints (or bool operands of & | ^). */
static LLVMValueRef int_op(Low *L, IrOp op, LLVMValueRef a, LLVMValueRef b)
{
  if (L->wrap && (op == IR_ADD || op == IR_SUB || op == IR_MUL || op == IR_NEG))
    return wrap_op(L, op, a, b);   /* observed modulo 2**64: see fill_modular */
  if (L->wrap && op == IR_LSHIFT) return int_lshift_wrap(L, a, b);
  switch (op) {
  case IR_ADD: return checked(L, "llvm.sadd.with.overflow", a, b);
  case IR_SUB: return checked(L, "llvm.ssub.with.overflow", a, b);
  case IR_MUL: return checked(L, "llvm.smul.with.overflow", a, b);
  case IR_NEG: return checked(L, "llvm.ssub.with.overflow", llvm_i64(L, 0), a);
  case IR_FLOORDIV: return int_floordiv(L, a, b);
  case IR_MOD: return int_mod(L, a, b);
  case IR_TRUEDIV: return int_truediv(L, a, b);
  case IR_POW: return int_pow(L, a, b);
  case IR_LSHIFT: return int_lshift(L, a, b);
  case IR_RSHIFT: return int_rshift(L, a, b);
  case IR_BAND: return LLVMBuildAnd(B, a, b, "");
  case IR_BOR: return LLVMBuildOr(B, a, b, "");
  case IR_BXOR: return LLVMBuildXor(B, a, b, "");
  case IR_INVERT: return LLVMBuildXor(B, a, LLVMConstAllOnes(LLVMTypeOf(a)), "");
  case IR_POS: return a;
  default: llvm_fail(L, "int %s is not supported", ir_opinfo[op].text); return LLVMGetUndef(LLVMTypeOf(a));
  }
}

/* NumPy-style fixed-width ints wrap. */
static LLVMValueRef wrap_op(Low *L, IrOp op, LLVMValueRef a, LLVMValueRef b)
{
  switch (op) {
  case IR_ADD: return LLVMBuildAdd(B, a, b, "");
  case IR_SUB: return LLVMBuildSub(B, a, b, "");
  case IR_MUL: return LLVMBuildMul(B, a, b, "");
  case IR_NEG: return LLVMBuildNeg(B, a, "");
  case IR_BAND: return LLVMBuildAnd(B, a, b, "");
  case IR_BOR: return LLVMBuildOr(B, a, b, "");
  case IR_BXOR: return LLVMBuildXor(B, a, b, "");
  case IR_INVERT: return LLVMBuildXor(B, a, LLVMConstAllOnes(LLVMTypeOf(a)), "");
  case IR_POS: return a;
  default: llvm_fail(L, "fixed-width int %s is not supported yet", ir_opinfo[op].text); return LLVMGetUndef(LLVMTypeOf(a));
  }
}

/* -- CPython float ----------------------------------------------------------- */

/* CPython float_divmod's remainder: fmod, then the sign of the divisor. */
static LLVMValueRef float_mod(Low *L, LLVMValueRef a, LLVMValueRef b, LLVMValueRef *mod, LLVMValueRef *fix)
{
  LLVMValueRef m = LLVMBuildFRem(B, a, b, "");
  LLVMValueRef nz = fcmp(L, LLVMRealUNE, m, llvm_f64(L, 0.0));
  LLVMValueRef diff = LLVMBuildXor(B, fcmp(L, LLVMRealOLT, b, llvm_f64(L, 0.0)), fcmp(L, LLVMRealOLT, m, llvm_f64(L, 0.0)), "");
  *fix = and1(L, nz, diff);
  *mod = m;
  return sel(L, nz, sel(L, *fix, LLVMBuildFAdd(B, m, b, ""), m), copysign0(L, b));
}

static LLVMValueRef float_floordiv_checked(Low *L, LLVMValueRef a, LLVMValueRef b);

static LLVMValueRef float_floordiv(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  if (llvm_npmath(L)) {   /* NumPy's npy_floor_divide: a zero divisor gives a / b (inf or nan) */
    LLVMValueRef q = float_floordiv_checked(L, a, b);
    return sel(L, fcmp(L, LLVMRealOEQ, b, llvm_f64(L, 0.0)), LLVMBuildFDiv(B, a, b, ""), q);
  }
  llvm_checkk(L, fcmp(L, LLVMRealOEQ, b, llvm_f64(L, 0.0)), RT_ZERODIV_FLOOR);
  return float_floordiv_checked(L, a, b);
}

/* a // b for b != 0 (CPython float_floor_div). */
static LLVMValueRef float_floordiv_checked(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  LLVMValueRef m, fix;
  float_mod(L, a, b, &m, &fix);
  LLVMValueRef div = LLVMBuildFDiv(B, LLVMBuildFSub(B, a, m, ""), b, "");
  div = sel(L, fix, LLVMBuildFSub(B, div, llvm_f64(L, 1.0), ""), div);
  LLVMValueRef fl = floor_(L, div);
  LLVMValueRef up = fcmp(L, LLVMRealOGT, LLVMBuildFSub(B, div, fl, ""), llvm_f64(L, 0.5));
  fl = sel(L, up, LLVMBuildFAdd(B, fl, llvm_f64(L, 1.0), ""), fl);
  LLVMValueRef z = copysign0(L, LLVMBuildFDiv(B, a, b, ""));
  return sel(L, fcmp(L, LLVMRealUNE, div, llvm_f64(L, 0.0)), fl, z);
}

/* v ** w: inline for 0 < v < inf and finite w, else ember_rt_fpow (CPython float_pow). */
static LLVMValueRef float_pow(Low *L, LLVMValueRef v, LLVMValueRef w)
{
  LLVMValueRef fast = and1(L, and1(L, fcmp(L, LLVMRealOGT, v, llvm_f64(L, 0.0)), fcmp(L, LLVMRealOLT, v, llvm_f64(L, INFINITY))),
                          llvm_isfinite(L, w));
  LLVMBasicBlockRef fb = llvm_newbb(L, "fpow.fast"), sb = llvm_newbb(L, "fpow.slow"), join = llvm_newbb(L, "fpow.join");
  LLVMValueRef out = llvm_alloca(L, L->f64, "fpow.out");
  LLVMBuildCondBr(B, fast, fb, sb);
  LLVMPositionBuilderAtEnd(B, fb);
  LLVMValueRef args[2] = {v, w};
  LLVMValueRef r = llvm_intrinsic(L, "llvm.pow", L->f64, args, 2);
  if (!llvm_npmath(L)) llvm_checkk(L, fcmp(L, LLVMRealOEQ, r, llvm_f64(L, INFINITY)), RT_POW_RANGE);
  LLVMBasicBlockRef fe = LLVMGetInsertBlock(B);
  LLVMBuildBr(B, join);
  LLVMPositionBuilderAtEnd(B, sb);
  LLVMTypeRef ps[3] = {L->f64, L->f64, L->ptr};
  LLVMValueRef a3[3] = {v, w, out};
  LLVMValueRef st = llvm_callext(L, LLVM_RT_FPOW, L->i32, ps, a3, 3, false);
  LLVMValueRef rs;
  if (llvm_npmath(L)) {   /* NumPy: C's pow where CPython raises (0.0 ** -1 is inf, overflow inf) */
    LLVMValueRef c = llvm_intrinsic(L, "llvm.pow", L->f64, args, 2);
    rs = sel(L, icmp(L, LLVMIntNE, st, llvm_i32(L, 0)), c, LLVMBuildLoad2(B, L->f64, out, ""));
  } else {
    llvm_check(L, icmp(L, LLVMIntNE, st, llvm_i32(L, 0)), st);
    rs = LLVMBuildLoad2(B, L->f64, out, "");
  }
  LLVMBasicBlockRef se = LLVMGetInsertBlock(B);
  LLVMBuildBr(B, join);
  LLVMPositionBuilderAtEnd(B, join);
  LLVMValueRef phi = LLVMBuildPhi(B, L->f64, "pow");
  LLVMAddIncoming(phi, &r, &fe, 1);
  LLVMAddIncoming(phi, &rs, &se, 1);
  return phi;
}

static LLVMValueRef float_op(Low *L, IrOp op, LLVMValueRef a, LLVMValueRef b)
{
  LLVMValueRef m, fix;
  switch (op) {
  case IR_ADD: return f_add(L, a, b);
  case IR_SUB: return f_sub(L, a, b);
  case IR_MUL: return f_mul(L, a, b);
  case IR_NEG: return LLVMBuildFNeg(B, a, "");
  case IR_POS: return a;
  case IR_TRUEDIV:   /* npmath: IEEE, a zero divisor gives inf or nan as in NumPy */
    if (!llvm_npmath(L)) llvm_checkk(L, fcmp(L, LLVMRealOEQ, b, LLVMConstReal(LLVMTypeOf(b), 0.0)), RT_ZERODIV_TRUE);
    return f_div(L, a, b);
  case IR_FLOORDIV: return float_floordiv(L, a, b);
  case IR_MOD:        /* npmath: a zero divisor gives nan, as NumPy's remainder */
    if (!llvm_npmath(L)) llvm_checkk(L, fcmp(L, LLVMRealOEQ, b, llvm_f64(L, 0.0)), RT_ZERODIV_MOD);
    return float_mod(L, a, b, &m, &fix);
  case IR_POW: return float_pow(L, a, b);
  default: llvm_fail(L, "float %s is not supported", ir_opinfo[op].text); return LLVMGetUndef(LLVMTypeOf(a));
  }
}

/* -- Complex ----------------------------------------------------------------- */

/* _Py_c_quot: Smith's method, selects instead of branches; zero divisor raises. */
static void cplx_div(Low *L, LLVMValueRef ar, LLVMValueRef ai, LLVMValueRef br, LLVMValueRef bi, LLVMValueRef *out)
{
  LLVMValueRef z = llvm_f64(L, 0.0);
  llvm_checkk(L, and1(L, fcmp(L, LLVMRealOEQ, br, z), fcmp(L, LLVMRealOEQ, bi, z)), RT_ZERODIV_CPLX);
  LLVMValueRef abr = llvm_fabs(L, br), abi = llvm_fabs(L, bi);
  LLVMValueRef c1 = fcmp(L, LLVMRealOGE, abr, abi), c2 = fcmp(L, LLVMRealOGE, abi, abr);
  LLVMValueRef r1 = f_div(L, bi, br), d1 = f_add(L, br, f_mul(L, bi, r1));
  LLVMValueRef re1 = f_div(L, f_add(L, ar, f_mul(L, ai, r1)), d1), im1 = f_div(L, f_sub(L, ai, f_mul(L, ar, r1)), d1);
  LLVMValueRef r2 = f_div(L, br, bi), d2 = f_add(L, f_mul(L, br, r2), bi);
  LLVMValueRef re2 = f_div(L, f_add(L, f_mul(L, ar, r2), ai), d2), im2 = f_div(L, f_sub(L, f_mul(L, ai, r2), ar), d2);
  LLVMValueRef nan = llvm_f64(L, NAN);
  out[0] = sel(L, c1, re1, sel(L, c2, re2, nan));
  out[1] = sel(L, c1, im1, sel(L, c2, im2, nan));
}

static void cplx_pow(Low *L, LLVMValueRef *a, LLVMValueRef *b, LLVMValueRef *out)
{
  LLVMValueRef buf = llvm_alloca(L, LLVMArrayType(L->f64, 2), "cpow.out");
  LLVMTypeRef ps[5] = {L->f64, L->f64, L->f64, L->f64, L->ptr};
  LLVMValueRef args[5] = {a[0], a[1], b[0], b[1], buf};
  LLVMValueRef st = llvm_callext(L, LLVM_RT_CPOW, L->i32, ps, args, 5, false);
  llvm_check(L, icmp(L, LLVMIntNE, st, llvm_i32(L, 0)), st);
  LLVMValueRef idx[1] = {llvm_i64(L, 1)};
  out[0] = LLVMBuildLoad2(B, L->f64, buf, "");
  out[1] = LLVMBuildLoad2(B, L->f64, LLVMBuildInBoundsGEP2(B, L->f64, buf, idx, 1, ""), "");
}

static void cplx_op(Low *L, IrOp op, LLVMValueRef *a, LLVMValueRef *b, LLVMValueRef *out)
{
  switch (op) {
  case IR_ADD: out[0] = f_add(L, a[0], b[0]); out[1] = f_add(L, a[1], b[1]); break;
  case IR_SUB: out[0] = f_sub(L, a[0], b[0]); out[1] = f_sub(L, a[1], b[1]); break;
  case IR_MUL:
    out[0] = f_sub(L, f_mul(L, a[0], b[0]), f_mul(L, a[1], b[1]));
    out[1] = f_add(L, f_mul(L, a[0], b[1]), f_mul(L, a[1], b[0]));
    break;
  case IR_TRUEDIV:   /* NumPy's values (npmath, IR_AUX_NUMPY): NumPy's algorithm, which differs in the last bit */
    if (llvm_npmath(L)) llvm_np_cdiv(L, a, b, out);
    else cplx_div(L, a[0], a[1], b[0], b[1], out);
    break;
  case IR_POW: cplx_pow(L, a, b, out); break;
  case IR_NEG: out[0] = LLVMBuildFNeg(B, a[0], ""); out[1] = LLVMBuildFNeg(B, a[1], ""); break;
  case IR_POS: out[0] = a[0]; out[1] = a[1]; break;
  default: llvm_fail(L, "complex %s is not supported", ir_opinfo[op].text);
  }
}

/* -- Comparisons, truth, conversions ------------------------------------------ */

static LLVMValueRef compare(Low *L, IrOp op, IrType t, LLVMValueRef *a, LLVMValueRef *b)
{
  static const LLVMIntPredicate sp[] = {LLVMIntEQ, LLVMIntNE, LLVMIntSLT, LLVMIntSLE, LLVMIntSGT, LLVMIntSGE};
  static const LLVMIntPredicate up[] = {LLVMIntEQ, LLVMIntNE, LLVMIntULT, LLVMIntULE, LLVMIntUGT, LLVMIntUGE};
  static const LLVMRealPredicate fp[] = {LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT, LLVMRealOLE, LLVMRealOGT, LLVMRealOGE};
  int i = op - IR_EQ;   /* ORDER IROP: eq ne lt le gt ge */
  switch (kind(L, t)) {
  case IRK_PYINT: case IRK_INT: return icmp(L, sp[i], a[0], b[0]);
  case IRK_BOOL: case IRK_UINT: return icmp(L, up[i], a[0], b[0]);
  case IRK_FLOAT: return fcmp(L, fp[i], a[0], b[0]);
  case IRK_COMPLEX:
    if (op == IR_EQ) return and1(L, fcmp(L, LLVMRealOEQ, a[0], b[0]), fcmp(L, LLVMRealOEQ, a[1], b[1]));
    if (op == IR_NE) return or1(L, fcmp(L, LLVMRealUNE, a[0], b[0]), fcmp(L, LLVMRealUNE, a[1], b[1]));
    break;
  case IRK_NONE: if (op == IR_EQ || op == IR_NE) return LLVMConstInt(L->i1, op == IR_EQ, 0); break;
  default: break;
  }
  llvm_fail(L, "comparison %s of this type is not supported", ir_opinfo[op].text);
  return LLVMGetUndef(L->i1);
}

/* Python int 'i' OP float 'f', exactly (CPython's float_richcompare): NaN is
 * unordered; a float outside [-2**63, 2**63) is beyond every i64, so its sign
 * decides; inside, 'i' against trunc(f) decides unless they are equal, and
 * then the fraction does.  No rounding of 'i' ever happens. */
static LLVMValueRef cmp_int_float(Low *L, IrOp op, LLVMValueRef i, LLVMValueRef f)
{
  LLVMValueRef z = llvm_f64(L, 0.0), lim = llvm_f64(L, 9223372036854775808.0);
  LLVMValueRef inr = and1(L, fcmp(L, LLVMRealOGE, f, llvm_f64(L, -9223372036854775808.0)), fcmp(L, LLVMRealOLT, f, lim));
  LLVMValueRef fc = sel(L, inr, f, z);   /* keeps fptosi defined */
  LLVMValueRef tf = llvm_intrinsic(L, "llvm.trunc", L->f64, &fc, 1);
  LLVMValueRef t = LLVMBuildFPToSI(B, tf, L->i64, "");
  LLVMValueRef same = icmp(L, LLVMIntEQ, i, t);
  switch (op) {
  case IR_EQ: return and1(L, inr, and1(L, same, fcmp(L, LLVMRealOEQ, fc, tf)));
  case IR_NE: return LLVMBuildNot(B, and1(L, inr, and1(L, same, fcmp(L, LLVMRealOEQ, fc, tf))), "");
  case IR_LT: return sel(L, inr, or1(L, icmp(L, LLVMIntSLT, i, t), and1(L, same, fcmp(L, LLVMRealOGT, fc, tf))),
                         fcmp(L, LLVMRealOGT, f, z));
  case IR_LE: return sel(L, inr, or1(L, icmp(L, LLVMIntSLT, i, t), and1(L, same, fcmp(L, LLVMRealOGE, fc, tf))),
                         fcmp(L, LLVMRealOGT, f, z));
  case IR_GT: return sel(L, inr, or1(L, icmp(L, LLVMIntSGT, i, t), and1(L, same, fcmp(L, LLVMRealOLT, fc, tf))),
                         fcmp(L, LLVMRealOLT, f, z));
  case IR_GE: return sel(L, inr, or1(L, icmp(L, LLVMIntSGT, i, t), and1(L, same, fcmp(L, LLVMRealOLE, fc, tf))),
                         fcmp(L, LLVMRealOLT, f, z));
  default: llvm_fail(L, "bad mixed comparison"); return LLVMGetUndef(L->i1);
  }
}

/* f OP i as i OP' f. */
static IrOp mirror(IrOp op)
{
  switch (op) {
  case IR_LT: return IR_GT;
  case IR_LE: return IR_GE;
  case IR_GT: return IR_LT;
  case IR_GE: return IR_LE;
  default: return op;
  }
}

/* Comparison 'op' of 'a' (type 'at') and 'b' ('bt'): one type, or int against f64. */
static LLVMValueRef compare2(Low *L, IrOp op, IrType at, IrType bt, LLVMValueRef *a, LLVMValueRef *b)
{
  if (at == bt) return compare(L, op, at, a, b);
  IrKind ka = kind(L, at), kb = kind(L, bt);
  if (ka == IRK_PYINT && kb == IRK_FLOAT) return cmp_int_float(L, op, a[0], b[0]);
  if (ka == IRK_FLOAT && kb == IRK_PYINT) return cmp_int_float(L, mirror(op), b[0], a[0]);
  llvm_fail(L, "comparison %s of mixed types is not supported", ir_opinfo[op].text);
  return LLVMGetUndef(L->i1);
}

_Static_assert(IR_NE == IR_EQ + 1 && IR_LT == IR_EQ + 2 && IR_LE == IR_EQ + 3 &&
               IR_GT == IR_EQ + 4 && IR_GE == IR_EQ + 5, "ORDER IROP: comparisons");

LLVMValueRef llvm_truth(Low *L, IrType t, LLVMValueRef *a)
{
  switch (kind(L, t)) {
  case IRK_BOOL: return a[0];
  case IRK_PYINT: case IRK_INT: case IRK_UINT: return icmp(L, LLVMIntNE, a[0], LLVMConstNull(LLVMTypeOf(a[0])));
  case IRK_FLOAT: return fcmp(L, LLVMRealUNE, a[0], LLVMConstNull(LLVMTypeOf(a[0])));
  case IRK_COMPLEX:
    return or1(L, fcmp(L, LLVMRealUNE, a[0], LLVMConstNull(LLVMTypeOf(a[0]))),
               fcmp(L, LLVMRealUNE, a[1], LLVMConstNull(LLVMTypeOf(a[1]))));
  case IRK_NONE: return LLVMConstInt(L->i1, 0, 0);
  default: llvm_fail(L, "truth of this type is not supported"); return LLVMGetUndef(L->i1);
  }
}

/* f64 -> Python int as int(x): NaN and inf raise, outside i64 falls back with 'bigkind'. */
LLVMValueRef llvm_f64_to_int(Low *L, LLVMValueRef x, IrRtErr bigkind)
{
  LLVMValueRef r;
#if defined(__x86_64__)
  /* the host's cvttsd2si answers INT64_MIN for NaN, inf and anything past
   * int64: the hot path is the conversion and one integer compare (Numba's
   * loop has the conversion alone); cold: -2**63 itself fits */
  LLVMValueRef v = LLVMBuildInsertElement(B, LLVMGetPoison(LLVMVectorType(L->f64, 2)), x, llvm_i64(L, 0), "");
  r = llvm_intrinsic(L, "llvm.x86.sse2.cvttsd2si64", NULL, &v, 1);
  L->f2i = true;
  llvm_check_begin(L, icmp(L, LLVMIntEQ, r, llvm_i64(L, INT64_MIN)));
#else
  /* hot: one compare, |x| < 2**63 (false for NaN); cold: -2**63 itself fits */
  LLVMValueRef ok = fcmp(L, LLVMRealOLT, llvm_fabs(L, x), llvm_f64(L, 9223372036854775808.0));
  llvm_check_begin(L, LLVMBuildNot(B, ok, ""));
#endif
  llvm_check_end_if(L, fcmp(L, LLVMRealUNE, x, llvm_f64(L, -9223372036854775808.0)),
                    sel(L, llvm_isnan(L, x), llvm_i32(L, RT_FLOAT_NAN_INT),
                        sel(L, llvm_isinf(L, x), llvm_i32(L, RT_FLOAT_INF_INT), llvm_i32(L, bigkind))));
#if !defined(__x86_64__)
  r = LLVMBuildFPToSI(B, x, L->i64, "");
#endif
  return r;
}

/* -- Sinking the float -> int checks ---------------------------------------
 * After optimization the x86 form of int(x) above reads
 *     B:    r = cvttsd2si x;  br (r == INT64_MIN), FAIL, OK    (cold)
 *     FAIL: br (x == -2**63), OK, ERR
 *     OK:   c = icmp P r, n;  br c, T, E
 * When c is known false for r == INT64_MIN (0 <= b < 100 is 'r ult 100'),
 * the check matters only on the way to E, so B tests c first:
 *     B:    r = cvttsd2si x;  br c, T, OK
 *     OK:   br (r == INT64_MIN), FAIL, E                        (cold)
 *     FAIL: br (x == -2**63), E, ERR
 * and the loop over in-range items runs Numba's instructions, one compare
 * fewer per item (about 8% of a histogram's time).  Symmetric when c is
 * known true for INT64_MIN.  FAIL may already go elsewhere than OK (jump
 * threading sent it on to T or E), and be shared by the unrolled copies;
 * then only its phis change.  Anything else is left alone. */

/* Is 'v' known to be at least 0: a constant, or a value under an
 * llvm.assume(v ult C) with C <= 2**63 (array shapes have one)? */
static bool nonneg(LLVMValueRef v)
{
  if (LLVMIsAConstantInt(v)) return LLVMConstIntGetSExtValue(v) >= 0;
  for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u)) {
    LLVMValueRef w = LLVMGetUser(u);
    if (!LLVMIsAICmpInst(w) || LLVMGetICmpPredicate(w) != LLVMIntULT || LLVMGetOperand(w, 0) != v ||
        !LLVMIsAConstantInt(LLVMGetOperand(w, 1)) || (uint64_t)LLVMConstIntGetZExtValue(LLVMGetOperand(w, 1)) >
        (uint64_t)INT64_MIN)
      continue;
    for (LLVMUseRef a = LLVMGetFirstUse(w); a; a = LLVMGetNextUse(a)) {
      LLVMValueRef c = LLVMGetUser(a), f = LLVMIsACallInst(c) ? LLVMGetCalledValue(c) : NULL;
      size_t len;
      const char *name = f ? LLVMGetValueName2(f, &len) : "";
      if (!strcmp(name, "llvm.assume")) return true;
    }
  }
  return false;
}

/* 'P r, n' for r = INT64_MIN: 1 true, 0 false, -1 not known. */
static int icmp_min(LLVMIntPredicate p, LLVMValueRef n)
{
  if (LLVMIsAConstantInt(n)) {
    int64_t k = LLVMConstIntGetSExtValue(n);
    uint64_t m = (uint64_t)INT64_MIN, u = (uint64_t)k;
    switch (p) {
    case LLVMIntEQ: return k == INT64_MIN;
    case LLVMIntNE: return k != INT64_MIN;
    case LLVMIntSLT: return k != INT64_MIN;
    case LLVMIntSLE: return 1;
    case LLVMIntSGT: return 0;
    case LLVMIntSGE: return k == INT64_MIN;
    case LLVMIntULT: return m < u;
    case LLVMIntULE: return m <= u;
    case LLVMIntUGT: return m > u;
    case LLVMIntUGE: return m >= u;
    }
    return -1;
  }
  if (p == LLVMIntSLE) return 1;
  if (p == LLVMIntSGT) return 0;
  if (!nonneg(n)) return -1;   /* 0 <= n < 2**63: INT64_MIN is below it, signed, and above it, unsigned */
  switch (p) {
  case LLVMIntEQ: case LLVMIntSGE: case LLVMIntULT: case LLVMIntULE: return 0;
  case LLVMIntNE: case LLVMIntSLT: case LLVMIntUGT: case LLVMIntUGE: return 1;
  default: return -1;
  }
}

/* The uses of block 'b' (as a branch target) are 't1', and 't2' if not NULL? */
static bool preds_are(LLVMBasicBlockRef b, LLVMValueRef t1, LLVMValueRef t2)
{
  int n = 0;
  for (LLVMUseRef u = LLVMGetFirstUse(LLVMBasicBlockAsValue(b)); u; u = LLVMGetNextUse(u), n++) {
    LLVMValueRef w = LLVMGetUser(u);
    if (w != t1 && (!t2 || w != t2)) return false;
  }
  return n == (t2 ? 2 : 1);
}

/* Phis of 's' coming from 'from' come from 'to' instead (rebuilt: the C API cannot set an incoming block). */
static void repoint_phis(LLVMBuilderRef bld, LLVMBasicBlockRef s, LLVMBasicBlockRef from, LLVMBasicBlockRef to)
{
  LLVMValueRef p = LLVMGetFirstInstruction(s);
  while (p && LLVMIsAPHINode(p)) {
    LLVMValueRef next = LLVMGetNextInstruction(p);
    LLVMPositionBuilderBefore(bld, p);
    LLVMValueRef q = LLVMBuildPhi(bld, LLVMTypeOf(p), "");
    for (unsigned i = 0, n = LLVMCountIncoming(p); i < n; i++) {
      LLVMValueRef v = LLVMGetIncomingValue(p, i);
      LLVMBasicBlockRef b = LLVMGetIncomingBlock(p, i);
      if (b == from) b = to;
      LLVMAddIncoming(q, &v, &b, 1);
    }
    LLVMReplaceAllUsesWith(p, q);
    LLVMInstructionEraseFromParent(p);
    p = next;
  }
}

/* Phis of 's' get, for new predecessor 'extra', the value they have from 'like'. */
static void copy_phis(LLVMBasicBlockRef s, LLVMBasicBlockRef like, LLVMBasicBlockRef extra)
{
  for (LLVMValueRef p = LLVMGetFirstInstruction(s); p && LLVMIsAPHINode(p); p = LLVMGetNextInstruction(p))
    for (unsigned i = 0, n = LLVMCountIncoming(p); i < n; i++)
      if (LLVMGetIncomingBlock(p, i) == like) {
        LLVMValueRef v = LLVMGetIncomingValue(p, i);
        LLVMAddIncoming(p, &v, &extra, 1);
        break;
      }
}

static bool one_use(LLVMValueRef v) { return LLVMGetFirstUse(v) && !LLVMGetNextUse(LLVMGetFirstUse(v)); }

static bool cond_br(LLVMValueRef t) { return t && LLVMIsABranchInst(t) && LLVMIsConditional(t); }

/* The check whose conversion is 'r', sunk if it has the shape above. */
static void sink_one(LLVMBuilderRef bld, LLVMValueRef r)
{
  LLVMValueRef is_min = NULL, t = NULL;
  for (LLVMUseRef u = LLVMGetFirstUse(r); u && !t; u = LLVMGetNextUse(u)) {
    LLVMValueRef w = LLVMGetUser(u);
    if (LLVMIsAICmpInst(w) && LLVMGetICmpPredicate(w) == LLVMIntEQ && LLVMGetOperand(w, 0) == r &&
        LLVMIsAConstantInt(LLVMGetOperand(w, 1)) && LLVMConstIntGetSExtValue(LLVMGetOperand(w, 1)) == INT64_MIN &&
        one_use(w))
      is_min = w, t = LLVMGetUser(LLVMGetFirstUse(w));
  }
  if (!cond_br(t) || LLVMGetCondition(t) != is_min || LLVMGetInstructionParent(t) != LLVMGetInstructionParent(r))
    return;
  LLVMBasicBlockRef fail = LLVMGetSuccessor(t, 0), ok = LLVMGetSuccessor(t, 1);
  LLVMValueRef ft = LLVMGetBasicBlockTerminator(fail);
  if (fail == ok || !cond_br(ft)) return;
  int fk = LLVMGetSuccessor(ft, 0) == ok ? 0 : LLVMGetSuccessor(ft, 1) == ok ? 1 : -1;   /* FAIL's way on to OK */
  if (fk >= 0 && LLVMGetSuccessor(ft, 1 - fk) == ok) return;
  if (!preds_are(ok, t, fk >= 0 ? ft : NULL)) return;
  /* OK: 'c = icmp P r, n' and a branch on it, nothing else */
  LLVMValueRef c = LLVMGetFirstInstruction(ok), ot = LLVMGetBasicBlockTerminator(ok);
  if (!c || !LLVMIsAICmpInst(c) || LLVMGetNextInstruction(c) != ot || LLVMGetOperand(c, 0) != r ||
      !one_use(c) || !cond_br(ot) || LLVMGetCondition(ot) != c)
    return;
  int atmin = icmp_min(LLVMGetICmpPredicate(c), LLVMGetOperand(c, 1));
  if (atmin < 0) return;
  unsigned dk = atmin ? 0 : 1;   /* the successor INT64_MIN takes */
  LLVMBasicBlockRef d = LLVMGetSuccessor(ot, dk), s = LLVMGetSuccessor(ot, 1 - dk);
  if (d == s || d == ok || s == ok || d == fail || s == fail) return;
  /* B: test c, to S or on to OK; OK: the check, to FAIL or D; FAIL: on to D */
  LLVMInstructionRemoveFromParent(c);
  LLVMPositionBuilderBefore(bld, t);
  LLVMInsertIntoBuilder(bld, c);
  LLVMValueRef nb = dk ? LLVMBuildCondBr(bld, c, s, ok) : LLVMBuildCondBr(bld, c, ok, s);
  unsigned prof = LLVMGetMDKindID("prof", 4);
  LLVMValueRef w = LLVMGetMetadata(t, prof), wo = LLVMGetMetadata(ot, prof);
  if (!wo) {   /* the range kept (the bin) is the common case: laid out as the fall-through */
    LLVMContextRef C = LLVMGetModuleContext(LLVMGetGlobalParent(LLVMGetBasicBlockParent(ok)));
    LLVMTypeRef i32 = LLVMInt32TypeInContext(C);
    LLVMMetadataRef md[3] = {LLVMMDStringInContext2(C, "branch_weights", 14),
                             LLVMValueAsMetadata(LLVMConstInt(i32, dk ? 8 : 1, 0)),
                             LLVMValueAsMetadata(LLVMConstInt(i32, dk ? 1 : 8, 0))};
    wo = LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, md, 3));
  }
  LLVMSetMetadata(nb, prof, wo);
  LLVMInstructionEraseFromParent(t);
  LLVMInstructionEraseFromParent(ot);
  LLVMPositionBuilderAtEnd(bld, ok);
  LLVMValueRef cb = LLVMBuildCondBr(bld, is_min, fail, d);
  if (w) LLVMSetMetadata(cb, prof, w);
  repoint_phis(bld, s, ok, LLVMGetInstructionParent(nb));
  repoint_phis(bld, fail, LLVMGetInstructionParent(nb), ok);   /* FAIL's lcssa phis, if it is shared */
  if (fk >= 0) {
    LLVMSetSuccessor(ft, (unsigned)fk, d);
    copy_phis(d, ok, fail);
  }
}

void llvm_sink_f2i_checks(LLVMModuleRef M)
{
  LLVMValueRef cvt = LLVMGetNamedFunction(M, "llvm.x86.sse2.cvttsd2si64");
  if (!cvt) return;
  LLVMBuilderRef bld = LLVMCreateBuilderInContext(LLVMGetModuleContext(M));
  size_t n = 0, cap = 0;
  LLVMValueRef *calls = NULL;
  for (LLVMUseRef u = LLVMGetFirstUse(cvt); u; u = LLVMGetNextUse(u)) {   /* collected first: sinking edits uses */
    LLVMValueRef w = LLVMGetUser(u);
    if (!LLVMIsACallInst(w) || LLVMGetCalledValue(w) != cvt) continue;
    if (n == cap) {
      LLVMValueRef *g = realloc(calls, (cap = cap ? 2 * cap : 16) * sizeof *g);
      if (!g) break;
      calls = g;
    }
    calls[n++] = w;
  }
  for (size_t i = 0; i < n; i++) sink_one(bld, calls[i]);
  free(calls);
  LLVMDisposeBuilder(bld);
}

/* Convert scalar 'x' of kind 'fk' (type 'ft') to type 'tt'. */
static LLVMValueRef conv1(Low *L, LLVMValueRef x, IrType ft, IrType tt)
{
  const IrTypeInfo *f = ir_type_info(L->ctx, ft), *t = ir_type_info(L->ctx, tt);
  LLVMTypeRef lt = t->kind == IRK_BOOL ? L->i1 : t->kind == IRK_FLOAT ? (t->bits == 32 ? LLVMFloatTypeInContext(L->C) : L->f64)
                 : LLVMIntTypeInContext(L->C, t->bits);
  bool fint = f->kind == IRK_PYINT || f->kind == IRK_INT || f->kind == IRK_UINT;
  bool tint = t->kind == IRK_PYINT || t->kind == IRK_INT || t->kind == IRK_UINT;
  if (t->kind == IRK_BOOL) return llvm_truth(L, ft, &x);
  if (f->kind == IRK_BOOL && tint) return LLVMBuildZExt(B, x, lt, "");
  if (f->kind == IRK_BOOL && t->kind == IRK_FLOAT) return LLVMBuildUIToFP(B, x, lt, "");
  if (fint && t->kind == IRK_FLOAT)
    return f->kind == IRK_UINT ? LLVMBuildUIToFP(B, x, lt, "") : LLVMBuildSIToFP(B, x, lt, "");
  if (f->kind == IRK_UINT && f->bits == 64 && t->kind == IRK_PYINT) {
    check_range(L, LLVMIntSLT, x, 0, 0, NULL);   /* int(np.uint64(2**63)): past int64, overflow */
    return x;
  }
  if (fint && tint) return LLVMBuildIntCast2(B, x, lt, f->kind != IRK_UINT, "");
  if (f->kind == IRK_FLOAT && t->kind == IRK_FLOAT) return LLVMBuildFPCast(B, x, lt, "");
  if (f->kind == IRK_FLOAT && t->kind == IRK_PYINT) {
    if (f->bits != 64) x = LLVMBuildFPExt(B, x, L->f64, "");
    return llvm_f64_to_int(L, x, RT_FLOAT_BIG_INT);
  }
  if (f->kind == IRK_FLOAT && tint) return LLVMBuildFPToSI(B, x, lt, "");   /* NumPy casts */
  llvm_fail(L, "conversion between these types is not supported");
  return LLVMGetUndef(lt);
}

static void lower_cvt(Low *L, IrVal *v, LLVMValueRef *out)
{
  IrType ft = ir_val(L->fn, v->args[0])->type, tt = v->type;
  Leaves a = llvm_get(L, v->args[0]);
  if (ft == tt) { for (uint32_t i = 0; i < a.n; i++) out[i] = a.v[i]; return; }
  const IrTypeInfo *t = ir_type_info(L->ctx, tt), *f = ir_type_info(L->ctx, ft);
  if (t->kind == IRK_COMPLEX) {
    if (f->kind == IRK_COMPLEX) { out[0] = conv1(L, a.v[0], IRT_F64, IRT_F64); out[1] = conv1(L, a.v[1], IRT_F64, IRT_F64); return; }
    out[0] = conv1(L, a.v[0], ft, IRT_F64);
    out[1] = llvm_f64(L, 0.0);
    return;
  }
  if (f->kind == IRK_COMPLEX && t->kind == IRK_BOOL) { out[0] = llvm_truth(L, ft, a.v); return; }
  if (a.n != 1) { llvm_fail(L, "conversion of a non-scalar is not supported"); return; }
  out[0] = conv1(L, a.v[0], ft, tt);
}

/* -- Dispatch ----------------------------------------------------------------- */

static void arith(Low *L, IrVal *v, LLVMValueRef *out);

void llvm_arith(Low *L, IrVal *v, LLVMValueRef *out)
{
  bool save = L->npop;
  L->npop = v->op >= IR_ADD && v->op <= IR_BXOR && (v->aux.v.i & IR_AUX_NUMPY);
  arith(L, v, out);
  L->npop = save;
}

static void arith(Low *L, IrVal *v, LLVMValueRef *out)
{
  IrOp op = (IrOp)v->op;
  if (llvm_np_handles(L, v)) { llvm_np_arith(L, v, out); return; }   /* NumPy scalars: numpy.c */
  if (op == IR_CVT) { lower_cvt(L, v, out); return; }
  IrType at = ir_val(L->fn, v->args[0])->type;
  Leaves a = llvm_get(L, v->args[0]);
  Leaves b = v->nargs > 1 ? llvm_get(L, v->args[1]) : (Leaves){0, NULL};
  if (op >= IR_EQ && op <= IR_GE) {
    out[0] = compare2(L, op, at, ir_val(L->fn, v->args[1])->type, a.v, b.v);
    return;
  }
  if (op == IR_TRUTH) { out[0] = llvm_truth(L, at, a.v); return; }
  if (op == IR_NOT) { out[0] = LLVMBuildXor(B, llvm_truth(L, at, a.v), LLVMConstInt(L->i1, 1, 0), ""); return; }
  IrKind rk = kind(L, v->type), ak = kind(L, at);
  if (ak == IRK_BOOL && rk != IRK_BOOL) {   /* +True, ~True: the bool is an int first */
    LLVMValueRef x = conv1(L, a.v[0], IRT_BOOL, v->type);
    out[0] = rk == IRK_PYINT ? int_op(L, op, x, NULL) : x;
    return;
  }
  switch (ak) {
  case IRK_PYINT: out[0] = int_op(L, op, a.v[0], b.v ? b.v[0] : NULL); break;
  case IRK_BOOL: case IRK_INT: case IRK_UINT: out[0] = wrap_op(L, op, a.v[0], b.v ? b.v[0] : NULL); break;
  case IRK_FLOAT: out[0] = float_op(L, op, a.v[0], b.v ? b.v[0] : NULL); break;
  case IRK_COMPLEX: cplx_op(L, op, a.v, b.v, out); break;
  default: llvm_fail(L, "%s on this type is not supported", ir_opinfo[op].text);
  }
}

#undef B
