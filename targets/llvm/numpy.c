/* targets/llvm/numpy.c: arithmetic on NumPy scalars with NumPy's semantics.
 *
 * llvm_arith hands over every arithmetic op whose operands are NumPy types
 * (i8..u64, f32, c64) and conversions to or from c64.  NumPy never raises
 * here (it warns): integers wrap; integer // and % by zero give 0 (and the
 * INT_MIN // -1 overflow wraps); shifts by the width or more (or by a
 * negative count) give 0, or -1 for >> of a negative; float32 // and %
 * follow npy_floor_divide and npy_remainder (a zero divisor gives inf or
 * nan); complex64 / is Smith's method without a zero check.  The one error
 * is an integer to a negative integer power (NumPy's ValueError).
 */
#include <math.h>

#include "llvm.h"

#define B (L->B)

static const IrTypeInfo *info(Low *L, IrType t) { return ir_type_info(L->ctx, t); }

bool llvm_np_handles(Low *L, IrVal *v)
{
  if (!v->nargs) return false;
  const IrTypeInfo *a = info(L, ir_val(L->fn, v->args[0])->type), *t = info(L, v->type);
  if (v->op == IR_CVT) return (a->kind == IRK_COMPLEX && a->bits == 64) || (t->kind == IRK_COMPLEX && t->bits == 64);
  if (v->op >= IR_EQ && v->op <= IR_GE) return false;   /* compare handles every width */
  if (v->op == IR_TRUTH || v->op == IR_NOT) return false;
  return a->kind == IRK_INT || a->kind == IRK_UINT || (a->kind == IRK_FLOAT && a->bits == 32) ||
         (a->kind == IRK_COMPLEX && a->bits == 64);
}

static LLVMValueRef zero(LLVMValueRef x) { return LLVMConstNull(LLVMTypeOf(x)); }
static LLVMValueRef cst(LLVMValueRef x, int64_t k) { return LLVMConstInt(LLVMTypeOf(x), (uint64_t)k, 1); }
static LLVMValueRef fcst(LLVMValueRef x, double d) { return LLVMConstReal(LLVMTypeOf(x), d); }

/* -- Integers ------------------------------------------------------------------- */

/* a // b and a % b for signed or unsigned ints, NumPy's way. */
static LLVMValueRef int_divmod(Low *L, bool sgn, bool mod, LLVMValueRef a, LLVMValueRef b)
{
  LLVMValueRef bz = LLVMBuildICmp(B, LLVMIntEQ, b, zero(b), "");
  LLVMValueRef bs = LLVMBuildSelect(B, bz, cst(b, 1), b, "");          /* no trap on / 0 */
  if (!sgn) {
    LLVMValueRef r = mod ? LLVMBuildURem(B, a, bs, "") : LLVMBuildUDiv(B, a, bs, "");
    return LLVMBuildSelect(B, bz, zero(a), r, "");
  }
  LLVMValueRef m1 = LLVMBuildICmp(B, LLVMIntEQ, bs, cst(b, -1), "");
  bs = LLVMBuildSelect(B, m1, cst(b, 1), bs, "");                    /* INT_MIN / -1 traps too */
  LLVMValueRef q = LLVMBuildSDiv(B, a, bs, ""), r = LLVMBuildSRem(B, a, bs, "");
  LLVMValueRef fix = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntNE, r, zero(r), ""),
                                  LLVMBuildICmp(B, LLVMIntSLT, LLVMBuildXor(B, r, bs, ""), zero(r), ""), "");
  LLVMValueRef res;
  if (mod) {
    res = LLVMBuildSelect(B, fix, LLVMBuildAdd(B, r, bs, ""), r, "");
    res = LLVMBuildSelect(B, m1, zero(a), res, "");
  } else {
    res = LLVMBuildSub(B, q, LLVMBuildZExt(B, fix, LLVMTypeOf(q), ""), "");
    res = LLVMBuildSelect(B, m1, LLVMBuildNeg(B, a, ""), res, "");
  }
  return LLVMBuildSelect(B, bz, zero(a), res, "");
}

static LLVMValueRef int_shift(Low *L, bool sgn, bool left, LLVMValueRef a, LLVMValueRef b)
{
  unsigned w = LLVMGetIntTypeWidth(LLVMTypeOf(a));
  LLVMValueRef in = LLVMBuildICmp(B, LLVMIntULT, b, cst(b, w), "");   /* negative counts are huge */
  LLVMValueRef bb = LLVMBuildSelect(B, in, b, zero(b), "");
  if (left) return LLVMBuildSelect(B, in, LLVMBuildShl(B, a, bb, ""), zero(a), "");
  if (!sgn) return LLVMBuildSelect(B, in, LLVMBuildLShr(B, a, bb, ""), zero(a), "");
  LLVMValueRef fill = LLVMBuildAShr(B, a, cst(a, w - 1), "");
  return LLVMBuildSelect(B, in, LLVMBuildAShr(B, a, bb, ""), fill, "");
}

/* a ** b by squaring, wrapping; a negative b raises (signed types). */
static LLVMValueRef int_pow(Low *L, bool sgn, LLVMValueRef a, LLVMValueRef b)
{
  LLVMTypeRef t = LLVMTypeOf(a);
  if (sgn) llvm_checkk(L, LLVMBuildICmp(B, LLVMIntSLT, b, zero(b), ""), RT_NP_POW_NEG);
  LLVMBasicBlockRef pre = LLVMGetInsertBlock(B), loop = llvm_newbb(L, "npow"), body = llvm_newbb(L, "npow.body"),
                    done = llvm_newbb(L, "npow.done");
  LLVMBuildBr(B, loop);
  LLVMPositionBuilderAtEnd(B, loop);
  LLVMValueRef r = LLVMBuildPhi(B, t, ""), base = LLVMBuildPhi(B, t, ""), e = LLVMBuildPhi(B, t, "");
  LLVMValueRef init[3] = {cst(a, 1), a, b};
  LLVMAddIncoming(r, &init[0], &pre, 1);
  LLVMAddIncoming(base, &init[1], &pre, 1);
  LLVMAddIncoming(e, &init[2], &pre, 1);
  LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, e, zero(e), ""), body, done);
  LLVMPositionBuilderAtEnd(B, body);
  LLVMValueRef odd = LLVMBuildTrunc(B, e, L->i1, "");
  LLVMValueRef r2 = LLVMBuildSelect(B, odd, LLVMBuildMul(B, r, base, ""), r, "");
  LLVMValueRef b2 = LLVMBuildMul(B, base, base, ""), e2 = LLVMBuildLShr(B, e, cst(e, 1), "");
  LLVMAddIncoming(r, &r2, &body, 1);
  LLVMAddIncoming(base, &b2, &body, 1);
  LLVMAddIncoming(e, &e2, &body, 1);
  LLVMBuildBr(B, loop);
  LLVMPositionBuilderAtEnd(B, done);
  return r;
}

static LLVMValueRef int_op(Low *L, IrOp op, bool sgn, LLVMValueRef a, LLVMValueRef b)
{
  switch (op) {
  case IR_ADD: return LLVMBuildAdd(B, a, b, "");
  case IR_SUB: return LLVMBuildSub(B, a, b, "");
  case IR_MUL: return LLVMBuildMul(B, a, b, "");
  case IR_NEG: return LLVMBuildNeg(B, a, "");
  case IR_POS: return a;
  case IR_INVERT: return LLVMBuildNot(B, a, "");
  case IR_BAND: return LLVMBuildAnd(B, a, b, "");
  case IR_BOR: return LLVMBuildOr(B, a, b, "");
  case IR_BXOR: return LLVMBuildXor(B, a, b, "");
  case IR_FLOORDIV: return int_divmod(L, sgn, false, a, b);
  case IR_MOD: return int_divmod(L, sgn, true, a, b);
  case IR_LSHIFT: return int_shift(L, sgn, true, a, b);
  case IR_RSHIFT: return int_shift(L, sgn, false, a, b);
  case IR_POW: return int_pow(L, sgn, a, b);
  default: llvm_fail(L, "NumPy integer %s is not supported", ir_opinfo[op].text); return LLVMGetUndef(LLVMTypeOf(a));
  }
}

/* -- float32 ------------------------------------------------------------------- */

static LLVMValueRef fcall(Low *L, const char *name, LLVMValueRef a, LLVMValueRef b)
{
  LLVMValueRef args[2] = {a, b};
  return llvm_intrinsic(L, name, LLVMTypeOf(a), args, b ? 2 : 1);
}

/* npy_divmod: the remainder (sign of the divisor) and the floor quotient. */
static LLVMValueRef f_divmod(Low *L, bool want_mod, LLVMValueRef a, LLVMValueRef b)
{
  LLVMValueRef mod = LLVMBuildFRem(B, a, b, "");
  LLVMValueRef bz = LLVMBuildFCmp(B, LLVMRealOEQ, b, fcst(b, 0.0), "");
  LLVMValueRef nz = LLVMBuildFCmp(B, LLVMRealUNE, mod, fcst(mod, 0.0), "");
  LLVMValueRef diff = LLVMBuildXor(B, LLVMBuildFCmp(B, LLVMRealOLT, b, fcst(b, 0.0), ""),
                                   LLVMBuildFCmp(B, LLVMRealOLT, mod, fcst(mod, 0.0), ""), "");
  LLVMValueRef fix = LLVMBuildAnd(B, nz, diff, "");
  LLVMValueRef m2 = LLVMBuildSelect(B, fix, LLVMBuildFAdd(B, mod, b, ""), mod, "");
  m2 = LLVMBuildSelect(B, nz, m2, fcall(L, "llvm.copysign", fcst(mod, 0.0), b), "");
  if (want_mod) return LLVMBuildSelect(B, bz, mod, m2, "");            /* fmod(a, 0) is nan */
  LLVMValueRef div = LLVMBuildFDiv(B, LLVMBuildFSub(B, a, mod, ""), b, "");
  div = LLVMBuildSelect(B, fix, LLVMBuildFSub(B, div, fcst(div, 1.0), ""), div, "");
  LLVMValueRef fl = fcall(L, "llvm.floor", div, NULL);
  LLVMValueRef up = LLVMBuildFCmp(B, LLVMRealOGT, LLVMBuildFSub(B, div, fl, ""), fcst(div, 0.5), "");
  fl = LLVMBuildSelect(B, up, LLVMBuildFAdd(B, fl, fcst(fl, 1.0), ""), fl, "");
  LLVMValueRef q = LLVMBuildFDiv(B, a, b, "");
  LLVMValueRef dz = LLVMBuildFCmp(B, LLVMRealUNE, div, fcst(div, 0.0), "");
  LLVMValueRef res = LLVMBuildSelect(B, dz, fl, fcall(L, "llvm.copysign", fcst(q, 0.0), q), "");
  return LLVMBuildSelect(B, bz, q, res, "");
}

static LLVMValueRef float_op(Low *L, IrOp op, LLVMValueRef a, LLVMValueRef b)
{
  switch (op) {
  case IR_ADD: return LLVMBuildFAdd(B, a, b, "");
  case IR_SUB: return LLVMBuildFSub(B, a, b, "");
  case IR_MUL: return LLVMBuildFMul(B, a, b, "");
  case IR_TRUEDIV: return LLVMBuildFDiv(B, a, b, "");
  case IR_NEG: return LLVMBuildFNeg(B, a, "");
  case IR_POS: return a;
  case IR_FLOORDIV: return f_divmod(L, false, a, b);
  case IR_MOD: return f_divmod(L, true, a, b);
  case IR_POW: return fcall(L, "llvm.pow", a, b);
  default: llvm_fail(L, "float32 %s is not supported", ir_opinfo[op].text); return LLVMGetUndef(LLVMTypeOf(a));
  }
}

/* NumPy's complex divide loop (complex64 or complex128 parts): Smith's method
 * times the reciprocal; a zero divisor gives each part over 0.0. */
void llvm_np_cdiv(Low *L, LLVMValueRef *a, LLVMValueRef *b, LLVMValueRef *out)
{   /* NumPy's complex divide loop: Smith's method times the reciprocal */
    LLVMValueRef abr = fcall(L, "llvm.fabs", b[0], NULL), abi = fcall(L, "llvm.fabs", b[1], NULL);
    LLVMValueRef big = LLVMBuildFCmp(B, LLVMRealOGE, abr, abi, ""), one = fcst(b[0], 1.0);
    LLVMValueRef r1 = LLVMBuildFDiv(B, b[1], b[0], "");
    LLVMValueRef s1 = LLVMBuildFDiv(B, one, LLVMBuildFAdd(B, b[0], LLVMBuildFMul(B, b[1], r1, ""), ""), "");
    LLVMValueRef r2 = LLVMBuildFDiv(B, b[0], b[1], "");
    LLVMValueRef s2 = LLVMBuildFDiv(B, one, LLVMBuildFAdd(B, b[1], LLVMBuildFMul(B, b[0], r2, ""), ""), "");
    LLVMValueRef re1 = LLVMBuildFMul(B, LLVMBuildFAdd(B, a[0], LLVMBuildFMul(B, a[1], r1, ""), ""), s1, "");
    LLVMValueRef im1 = LLVMBuildFMul(B, LLVMBuildFSub(B, a[1], LLVMBuildFMul(B, a[0], r1, ""), ""), s1, "");
    LLVMValueRef re2 = LLVMBuildFMul(B, LLVMBuildFAdd(B, LLVMBuildFMul(B, a[0], r2, ""), a[1], ""), s2, "");
    LLVMValueRef im2 = LLVMBuildFMul(B, LLVMBuildFSub(B, LLVMBuildFMul(B, a[1], r2, ""), a[0], ""), s2, "");
    LLVMValueRef bz = LLVMBuildAnd(B, LLVMBuildFCmp(B, LLVMRealOEQ, abr, fcst(abr, 0.0), ""),
                                   LLVMBuildFCmp(B, LLVMRealOEQ, abi, fcst(abi, 0.0), ""), "");
    LLVMValueRef zr = LLVMBuildFDiv(B, a[0], abr, ""), zi = LLVMBuildFDiv(B, a[1], abr, "");  /* x / 0: inf or nan */
    out[0] = LLVMBuildSelect(B, bz, zr, LLVMBuildSelect(B, big, re1, re2, ""), "");
    out[1] = LLVMBuildSelect(B, bz, zi, LLVMBuildSelect(B, big, im1, im2, ""), "");
}

/* -- complex64 ------------------------------------------------------------------ */

static void cplx_op(Low *L, IrOp op, LLVMValueRef *a, LLVMValueRef *b, LLVMValueRef *out)
{
  switch (op) {
  case IR_ADD: out[0] = LLVMBuildFAdd(B, a[0], b[0], ""); out[1] = LLVMBuildFAdd(B, a[1], b[1], ""); return;
  case IR_SUB: out[0] = LLVMBuildFSub(B, a[0], b[0], ""); out[1] = LLVMBuildFSub(B, a[1], b[1], ""); return;
  case IR_MUL:
    out[0] = LLVMBuildFSub(B, LLVMBuildFMul(B, a[0], b[0], ""), LLVMBuildFMul(B, a[1], b[1], ""), "");
    out[1] = LLVMBuildFAdd(B, LLVMBuildFMul(B, a[0], b[1], ""), LLVMBuildFMul(B, a[1], b[0], ""), "");
    return;
  case IR_NEG: out[0] = LLVMBuildFNeg(B, a[0], ""); out[1] = LLVMBuildFNeg(B, a[1], ""); return;
  case IR_POS: out[0] = a[0]; out[1] = a[1]; return;
  case IR_TRUEDIV: llvm_np_cdiv(L, a, b, out); return;
  case IR_POW: {   /* in complex128 through CPython's complex pow, then rounded */
    LLVMValueRef buf = llvm_alloca(L, LLVMArrayType(L->f64, 2), "cpow.out");
    LLVMTypeRef ps[5] = {L->f64, L->f64, L->f64, L->f64, L->ptr};
    LLVMValueRef args[5] = {LLVMBuildFPExt(B, a[0], L->f64, ""), LLVMBuildFPExt(B, a[1], L->f64, ""),
                            LLVMBuildFPExt(B, b[0], L->f64, ""), LLVMBuildFPExt(B, b[1], L->f64, ""), buf};
    LLVMValueRef st = llvm_callext(L, LLVM_RT_CPOW, L->i32, ps, args, 5, false);
    llvm_check(L, LLVMBuildICmp(B, LLVMIntNE, st, llvm_i32(L, 0), ""), st);
    LLVMValueRef idx[1] = {llvm_i64(L, 1)};
    out[0] = LLVMBuildFPTrunc(B, LLVMBuildLoad2(B, L->f64, buf, ""), LLVMTypeOf(a[0]), "");
    out[1] = LLVMBuildFPTrunc(B, LLVMBuildLoad2(B, L->f64, LLVMBuildInBoundsGEP2(B, L->f64, buf, idx, 1, ""), ""),
                              LLVMTypeOf(a[0]), "");
    return;
  }
  default: llvm_fail(L, "complex64 %s is not supported", ir_opinfo[op].text);
  }
}

/* Conversions to or from complex64. */
static void cvt(Low *L, IrVal *v, LLVMValueRef *out)
{
  IrType ft = ir_val(L->fn, v->args[0])->type;
  const IrTypeInfo *f = info(L, ft), *t = info(L, v->type);
  Leaves a = llvm_get(L, v->args[0]);
  LLVMTypeRef pt = t->kind == IRK_COMPLEX ? (t->bits == 64 ? LLVMFloatTypeInContext(L->C) : L->f64) : NULL;
  if (t->kind == IRK_BOOL) {
    out[0] = LLVMBuildOr(B, LLVMBuildFCmp(B, LLVMRealUNE, a.v[0], fcst(a.v[0], 0.0), ""),
                         LLVMBuildFCmp(B, LLVMRealUNE, a.v[1], fcst(a.v[1], 0.0), ""), "");
    return;
  }
  if (!pt) { llvm_fail(L, "complex64 to a real type"); return; }
  if (f->kind == IRK_COMPLEX) {
    out[0] = LLVMBuildFPCast(B, a.v[0], pt, "");
    out[1] = LLVMBuildFPCast(B, a.v[1], pt, "");
    return;
  }
  LLVMValueRef x = a.v[0];
  switch (f->kind) {
  case IRK_BOOL: out[0] = LLVMBuildUIToFP(B, x, pt, ""); break;
  case IRK_UINT: out[0] = LLVMBuildUIToFP(B, x, pt, ""); break;
  case IRK_PYINT: case IRK_INT: out[0] = LLVMBuildSIToFP(B, x, pt, ""); break;
  case IRK_FLOAT: out[0] = LLVMBuildFPCast(B, x, pt, ""); break;
  default: llvm_fail(L, "conversion to complex64 of this type"); return;
  }
  out[1] = LLVMConstReal(pt, 0.0);
}

void llvm_np_arith(Low *L, IrVal *v, LLVMValueRef *out)
{
  if (v->op == IR_CVT) { cvt(L, v, out); return; }
  const IrTypeInfo *t = info(L, ir_val(L->fn, v->args[0])->type);
  Leaves a = llvm_get(L, v->args[0]);
  Leaves b = v->nargs > 1 ? llvm_get(L, v->args[1]) : (Leaves){0, NULL};
  IrOp op = (IrOp)v->op;
  if (t->kind == IRK_COMPLEX) { cplx_op(L, op, a.v, b.v, out); return; }
  if (t->kind == IRK_FLOAT) { out[0] = float_op(L, op, a.v[0], b.v ? b.v[0] : NULL); return; }
  out[0] = int_op(L, op, t->kind == IRK_INT, a.v[0], b.v ? b.v[0] : NULL);
}

#undef B
