/* targets/llvm/intrin.c: the math module and numeric builtins.
 *
 * libm functions are called by name (resolved in the JIT from the process)
 * and marked memory(none) so LLVM may hoist and merge them; errno is never
 * read.  The checks reproduce CPython's Modules/mathmodule.c:
 *   math_1(x, f, can_overflow): NaN result from a non-NaN x -> domain error;
 *     inf result from a finite x -> range error if can_overflow, else domain.
 *   math_1a (erf, erfc): no checks.  gamma, lgamma: CPython's own Lanczos
 *     code (ember_rt_gamma, ember_rt_lgamma; never libm's tgamma/lgamma),
 *     which report a pole or -inf as NaN (domain) and overflow as inf
 *     (range), so math_1's checks apply.
 *   fmod: NaN from non-NaN operands -> domain.  atan2, copysign: none.
 *   pow: math_pow (see pow_).
 *   hypot: CPython's vector_norm (ember_rt_hypot; ember_rt_hypot310 for
 *     3.10 and 3.11, whose rounding differs), no checks.
 * floor/ceil/trunc and round() return Python ints, checked like int(x).
 * Under TgOptions.npmath (ember._lib's fused NumPy loops) no check is made:
 * the C function's nan or inf is NumPy's answer.
 */
#include <math.h>

#include "llvm.h"

#define B (L->B)

static LLVMValueRef libm1(Low *L, const char *name, LLVMValueRef x)
{
  LLVMTypeRef ps[1] = {L->f64};
  return llvm_callext(L, name, L->f64, ps, &x, 1, true);
}

static LLVMValueRef libm2(Low *L, const char *name, LLVMValueRef x, LLVMValueRef y)
{
  LLVMTypeRef ps[2] = {L->f64, L->f64};
  LLVMValueRef a[2] = {x, y};
  return llvm_callext(L, name, L->f64, ps, a, 2, true);
}

static LLVMValueRef fcmp(Low *L, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFCmp(B, p, a, b, ""); }
static LLVMValueRef and1(Low *L, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildAnd(B, a, b, ""); }
static LLVMValueRef not1(Low *L, LLVMValueRef a) { return LLVMBuildNot(B, a, ""); }

/* CPython math_1: call 'name' on 'x' and check the result.  Both errors need
 * a NaN or infinite result, so the hot path tests only that (one compare;
 * trapz's exp loop ran 1.2x C with the whole test inline) and the cold path
 * the rest. */
static LLVMValueRef math1(Low *L, const char *name, LLVMValueRef x, bool can_overflow)
{
  LLVMValueRef r = libm1(L, name, x);
  if (llvm_npmath(L)) return r;   /* NumPy: nan or inf, no exception */
  llvm_check_begin(L, fcmp(L, LLVMRealUEQ, llvm_fabs(L, r), llvm_f64(L, INFINITY)));
  LLVMValueRef nan = and1(L, llvm_isnan(L, r), not1(L, llvm_isnan(L, x)));
  LLVMValueRef inf = and1(L, llvm_isinf(L, r), llvm_isfinite(L, x));
  LLVMValueRef kind = can_overflow ? LLVMBuildSelect(B, inf, llvm_i32(L, RT_MATH_RANGE), llvm_i32(L, RT_MATH_DOMAIN), "")
                                   : llvm_i32(L, RT_MATH_DOMAIN);
  llvm_check_end_if(L, LLVMBuildOr(B, nan, inf, ""), kind);
  return r;
}

/* A two-operand runtime form with math_1's checks: NaN from non-NaN operands
 * -> domain error (stabilize.c's logaddexp of two -inf). */
static LLVMValueRef math2(Low *L, const char *name, LLVMValueRef x, LLVMValueRef y)
{
  LLVMValueRef r = libm2(L, name, x, y);
  if (llvm_npmath(L)) return r;
  LLVMValueRef ok_in = and1(L, not1(L, llvm_isnan(L, x)), not1(L, llvm_isnan(L, y)));
  llvm_checkk(L, and1(L, llvm_isnan(L, r), ok_in), RT_MATH_DOMAIN);
  return r;
}

static LLVMValueRef sqrt_(Low *L, LLVMValueRef x)
{
  if (!llvm_npmath(L)) llvm_checkk(L, fcmp(L, LLVMRealOLT, x, llvm_f64(L, 0.0)), RT_MATH_DOMAIN);
  return llvm_intrinsic(L, "llvm.sqrt", L->f64, &x, 1);
}

/* CPython math_pow: C's pow, whose special values (C99 Annex F) are the ones
 * CPython spells out; for finite operands a NaN result is a domain error, an
 * infinite one a domain error for 0 ** negative and a range error otherwise. */
static LLVMValueRef pow_(Low *L, LLVMValueRef x, LLVMValueRef y)
{
  LLVMValueRef r = libm2(L, "pow", x, y);
  if (llvm_npmath(L)) return r;
  llvm_check_begin(L, fcmp(L, LLVMRealUEQ, llvm_fabs(L, r), llvm_f64(L, INFINITY)));
  LLVMValueRef fin = and1(L, llvm_isfinite(L, x), llvm_isfinite(L, y));
  LLVMValueRef dom = LLVMBuildOr(B, llvm_isnan(L, r), fcmp(L, LLVMRealOEQ, x, llvm_f64(L, 0.0)), "");
  if (L->opt && L->opt->pyversion && L->opt->pyversion < 311)   /* 3.10: 0.0 ** -inf is a domain error too */
    fin = LLVMBuildOr(B, fin, and1(L, fcmp(L, LLVMRealOEQ, x, llvm_f64(L, 0.0)), fcmp(L, LLVMRealOEQ, y, llvm_f64(L, -INFINITY))), "");
  llvm_check_end_if(L, fin, LLVMBuildSelect(B, dom, llvm_i32(L, RT_MATH_DOMAIN), llvm_i32(L, RT_MATH_RANGE), ""));
  return r;
}

static LLVMValueRef fmod_(Low *L, LLVMValueRef x, LLVMValueRef y)
{
  LLVMValueRef r = LLVMBuildFRem(B, x, y, "");
  if (llvm_npmath(L)) return r;
  LLVMValueRef ok_in = and1(L, not1(L, llvm_isnan(L, x)), not1(L, llvm_isnan(L, y)));
  llvm_checkk(L, and1(L, llvm_isnan(L, r), ok_in), RT_MATH_DOMAIN);
  return r;
}

/* abs(): int checked, float fabs, complex libm hypot (_Py_c_abs: OverflowError
 * "absolute value too large" if finite parts overflow). */
static LLVMValueRef abs_(Low *L, IrType t, Leaves a)
{
  IrKind k = ir_type_info(L->ctx, t)->kind;
  if (k == IRK_PYINT) {
    llvm_check_ovf(L, LLVMBuildICmp(B, LLVMIntEQ, a.v[0], llvm_i64(L, INT64_MIN), ""));
    LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, a.v[0], llvm_i64(L, 0), "");
    return LLVMBuildSelect(B, neg, LLVMBuildNeg(B, a.v[0], ""), a.v[0], "");
  }
  if (k == IRK_FLOAT) return llvm_fabs(L, a.v[0]);
  if (k == IRK_COMPLEX) {
    LLVMValueRef r = libm2(L, "hypot", a.v[0], a.v[1]);
    llvm_checkk(L, and1(L, llvm_isinf(L, r), and1(L, llvm_isfinite(L, a.v[0]), llvm_isfinite(L, a.v[1]))), RT_CABS_RANGE);
    return r;
  }
  if (k == IRK_BOOL) return LLVMBuildZExt(B, a.v[0], L->i64, "");
  llvm_fail(L, "abs of this type is not supported");
  return LLVMGetUndef(L->i64);
}

/* min(a, b) returns a unless b < a; max(a, b) returns a unless b > a. */
static void minmax(Low *L, bool max, IrType t, Leaves a, Leaves b, LLVMValueRef *out)
{
  IrKind k = ir_type_info(L->ctx, t)->kind;
  LLVMValueRef c;
  if (k == IRK_FLOAT) c = fcmp(L, max ? LLVMRealOGT : LLVMRealOLT, b.v[0], a.v[0]);
  else if (k == IRK_PYINT || k == IRK_INT) c = LLVMBuildICmp(B, max ? LLVMIntSGT : LLVMIntSLT, b.v[0], a.v[0], "");
  else if (k == IRK_BOOL || k == IRK_UINT) c = LLVMBuildICmp(B, max ? LLVMIntUGT : LLVMIntULT, b.v[0], a.v[0], "");
  else { llvm_fail(L, "min/max of this type is not supported"); return; }
  out[0] = LLVMBuildSelect(B, c, b.v[0], a.v[0], "");
}

/* round(x, n) through the runtime (correctly rounded, as CPython's dtoa). */
static LLVMValueRef roundn(Low *L, IrType t, LLVMValueRef x, LLVMValueRef n)
{
  bool isint = ir_type_info(L->ctx, t)->kind == IRK_PYINT;
  LLVMTypeRef ty = isint ? L->i64 : L->f64;
  LLVMValueRef out = llvm_alloca(L, ty, "roundn.out");
  LLVMTypeRef ps[3] = {ty, L->i64, L->ptr};
  LLVMValueRef a[3] = {x, n, out};
  LLVMValueRef st = llvm_callext(L, isint ? LLVM_RT_ROUNDNI : LLVM_RT_ROUNDN, L->i32, ps, a, 3, false);
  llvm_check(L, LLVMBuildICmp(B, LLVMIntNE, st, llvm_i32(L, 0), ""), st);
  return LLVMBuildLoad2(B, ty, out, "");
}

/* Intrinsics of signature 'F' (floats to f64). */
static LLVMValueRef float_intrin(Low *L, IrIntrin id, LLVMValueRef x, LLVMValueRef y)
{
  const char *name = ir_intrininfo[id].libm;
  switch (id) {
  case IN_SQRT: return sqrt_(L, x);
  case IN_FABS: return llvm_fabs(L, x);
  case IN_EXP: case IN_EXPM1: case IN_SINH: case IN_COSH: return math1(L, name, x, true);
  case IN_LOG: case IN_LOG1P: case IN_LOG2: case IN_LOG10: case IN_SIN: case IN_COS: case IN_TAN:
  case IN_ASIN: case IN_ACOS: case IN_ATAN: case IN_TANH: case IN_ASINH: case IN_ACOSH: case IN_ATANH:
    return math1(L, name, x, false);
  case IN_ERF: case IN_ERFC: case IN_EXP2: case IN_CBRT: return libm1(L, name, x);
  case IN_GAMMA: return math1(L, LLVM_RT_GAMMA, x, true);
  case IN_LGAMMA: return math1(L, LLVM_RT_LGAMMA, x, true);
  case IN_HYPOT:
    return libm2(L, L->opt && L->opt->pyversion && L->opt->pyversion < 312 ? LLVM_RT_HYPOT310 : LLVM_RT_HYPOT, x, y);
  case IN_ATAN2: return libm2(L, name, x, y);
  case IN_COPYSIGN: {
    LLVMValueRef a[2] = {x, y};
    return llvm_intrinsic(L, "llvm.copysign", L->f64, a, 2);
  }
  case IN_FMOD: return fmod_(L, x, y);
  case IN_POW: return pow_(L, x, y);
  case IN_SIGMOID: case IN_SOFTPLUS: return libm1(L, name, x);   /* stabilize.c: never raise */
  case IN_LOG1MEXP: return math1(L, name, x, true);
  case IN_LOGADDEXP: return math2(L, name, x, y);
  case IN_NORM2: return libm2(L, name, x, y);
  case IN_FFLOOR: return llvm_intrinsic(L, "llvm.floor", L->f64, &x, 1);
  case IN_FCEIL: return llvm_intrinsic(L, "llvm.ceil", L->f64, &x, 1);
  case IN_FTRUNC: return llvm_intrinsic(L, "llvm.trunc", L->f64, &x, 1);
  case IN_FRINT: return llvm_intrinsic(L, "llvm.roundeven", L->f64, &x, 1);
  case IN_FMAXIMUM: case IN_FMINIMUM: {
    LLVMValueRef a[2] = {x, y};
    return llvm_intrinsic(L, id == IN_FMAXIMUM ? "llvm.maximum" : "llvm.minimum", L->f64, a, 2);
  }
  default: llvm_fail(L, "intrinsic %s is not supported", ir_intrininfo[id].pyname); return LLVMGetUndef(L->f64);
  }
}

/* np.random's generator (targets/native/rt_random.c), NumPy's sort (jit/array.c) and the
 * pairwise sum (sig 'M', f64 result): i64 arguments, a call never memory(none). */
static LLVMValueRef effect_call(Low *L, IrIntrin id, IrVal *v)
{
  LLVMTypeRef ps[8];
  LLVMValueRef a[8];
  for (uint32_t i = 0; i < v->nargs && i < 8; i++) {
    ps[i] = L->i64;
    a[i] = llvm_get(L, v->args[i]).v[0];
  }
  LLVMTypeRef rt = v->nargs && ir_intrininfo[id].sig == 'R' ? L->i64 : L->f64;
  return llvm_callext(L, ir_intrininfo[id].libm, rt, ps, a, v->nargs < 8 ? v->nargs : 8, false);
}

void llvm_intrin(Low *L, IrVal *v, LLVMValueRef *out)
{
  IrIntrin id = (IrIntrin)v->aux.v.i;
  if ((unsigned)id < IN__COUNT && (ir_intrininfo[id].sig == 'R' || ir_intrininfo[id].sig == 'M')) { out[0] = effect_call(L, id, v); return; }
  if ((unsigned)id >= IN__COUNT || v->nargs < 1) { llvm_fail(L, "bad intrinsic"); return; }
  IrType t0 = ir_val(L->fn, v->args[0])->type;
  Leaves a = llvm_get(L, v->args[0]);
  Leaves b = v->nargs > 1 ? llvm_get(L, v->args[1]) : (Leaves){0, NULL};
  IrKind k0 = ir_type_info(L->ctx, t0)->kind;
  char sig = ir_intrininfo[id].sig;
  if ((sig == 'F' || sig == 'I' || sig == 'B') && (k0 != IRK_FLOAT || (b.v && a.n != 1))) {
    llvm_fail(L, "%s expects f64 operands after infer", ir_intrininfo[id].pyname);
    return;
  }
  LLVMValueRef x = a.v ? a.v[0] : NULL, y = b.v ? b.v[0] : NULL;
  switch (id) {
  case IN_FLOOR: out[0] = llvm_f64_to_int(L, llvm_intrinsic(L, "llvm.floor", L->f64, &x, 1), RT_FLOAT_BIG_INT); return;
  case IN_CEIL: out[0] = llvm_f64_to_int(L, llvm_intrinsic(L, "llvm.ceil", L->f64, &x, 1), RT_FLOAT_BIG_INT); return;
  case IN_TRUNC: out[0] = llvm_f64_to_int(L, llvm_intrinsic(L, "llvm.trunc", L->f64, &x, 1), RT_FLOAT_BIG_INT); return;
  case IN_ISNAN: out[0] = llvm_isnan(L, x); return;
  case IN_ISINF: out[0] = llvm_isinf(L, x); return;
  case IN_ISFINITE: out[0] = llvm_isfinite(L, x); return;
  case IN_ABS: out[0] = abs_(L, t0, a); return;
  case IN_ROUND:
    if (k0 == IRK_FLOAT) out[0] = llvm_f64_to_int(L, llvm_intrinsic(L, "llvm.roundeven", L->f64, &x, 1), RT_ROUND_OVERFLOW);
    else if (k0 == IRK_PYINT) out[0] = x;
    else llvm_fail(L, "round of this type is not supported");
    return;
  case IN_ROUNDN:
    if (k0 == IRK_FLOAT || k0 == IRK_PYINT) out[0] = roundn(L, t0, x, y);
    else llvm_fail(L, "round of this type is not supported");
    return;
  case IN_MIN: case IN_MAX: minmax(L, id == IN_MAX, t0, a, b, out); return;
  case IN_REAL: out[0] = k0 == IRK_COMPLEX ? a.v[0] : x; return;
  case IN_IMAG: out[0] = k0 == IRK_COMPLEX ? a.v[1] : llvm_f64(L, 0.0); return;
  case IN_CONJ: out[0] = a.v[0]; out[1] = LLVMBuildFNeg(B, a.v[1], ""); return;
  case IN_COMPLEX: out[0] = x; out[1] = y; return;
  case IN_FMA: {   /* f64 or f32, as its operands */
    LLVMValueRef f[3] = {x, y, llvm_get(L, v->args[2]).v[0]};
    out[0] = llvm_intrinsic(L, "llvm.fma", LLVMTypeOf(x), f, 3);
    return;
  }
  default: out[0] = float_intrin(L, id, x, y); return;
  }
}

#undef B
