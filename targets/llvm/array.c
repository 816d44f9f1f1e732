/* targets/llvm/array.c: the array primitives.
 *
 * An array value is the leaves meminfo (ptr), data (ptr), shape[ndim]
 * (i64), strides[ndim] (i64): see targets/targets.h.  passes/lower.c has
 * already turned subscripts into these primitives:
 *   ashape, astride   a leaf; adata the data pointer as an i64;
 *   bounds            the index wrapped once (j < 0: j + n), then one
 *                     unsigned compare against the size; the cold path
 *                     stores index, axis and size into *err for NumPy's
 *                     message ("index 10 is out of bounds for axis 0 with
 *                     size 10") and raises RT_INDEX;
 *   aload, astore     data + byte offset, at the element's alignment; bool
 *                     is a byte (0/1), complex two parts, float16 is
 *                     converted from and to float32;
 *   aview             the base's meminfo, data + offset, new shapes/strides;
 *   aalloc            checked sizes, ember_rt_alloc (err->rt), C or F strides;
 *   aconst            a frozen global: its constant address, shapes and C strides;
 *   guard             a check with a constant error kind;
 *   cvt               between array types (layout or read-only joins): the
 *                     same leaves.
 */
#include <stddef.h>

#include "llvm.h"

#define B (L->B)

static const IrTypeInfo *info(Low *L, IrType t) { return ir_type_info(L->ctx, t); }

/* LLVM type of one part of an element of 'dt' in memory (bool: i8; complex: a part). */
static LLVMTypeRef mem_type(Low *L, IrType dt)
{
  const IrTypeInfo *ti = info(L, dt);
  switch (ti->kind) {
  case IRK_BOOL: return LLVMInt8TypeInContext(L->C);
  case IRK_FLOAT:
    return ti->bits == 16 ? LLVMHalfTypeInContext(L->C) : ti->bits == 32 ? LLVMFloatTypeInContext(L->C) : L->f64;
  case IRK_COMPLEX: return ti->bits == 64 ? LLVMFloatTypeInContext(L->C) : L->f64;
  default: return LLVMIntTypeInContext(L->C, ti->bits);
  }
}

static LLVMValueRef gep8(Low *L, LLVMValueRef p, LLVMValueRef off)
{
  return LLVMBuildInBoundsGEP2(B, LLVMInt8TypeInContext(L->C), p, &off, 1, "");
}

/* Pointer to field at byte offset 'off' of *err. */
static LLVMValueRef errfield(Low *L, size_t off)
{
  return gep8(L, LLVMGetParam(L->F, 1), llvm_i64(L, (int64_t)off));
}

static void lower_bounds(Low *L, IrVal *v, LLVMValueRef *out)
{
  LLVMValueRef j = llvm_get(L, v->args[0]).v[0], n = llvm_get(L, v->args[1]).v[0];
  LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, j, llvm_i64(L, 0), "");
  LLVMValueRef jj = LLVMBuildSelect(B, neg, LLVMBuildAdd(B, j, n, ""), j, "idx");
  llvm_check_begin(L, LLVMBuildICmp(B, LLVMIntUGE, jj, n, ""));
  LLVMBuildStore(B, j, errfield(L, offsetof(EmErr, index)));
  LLVMBuildStore(B, n, errfield(L, offsetof(EmErr, size)));
  LLVMBuildStore(B, llvm_i32(L, (int32_t)v->aux.v.i), errfield(L, offsetof(EmErr, axis)));
  llvm_check_end(L, llvm_i32(L, RT_INDEX));
  out[0] = jj;
}

/* guard: the error of aux.i when args[0]; args[1..] (i64) go to EmErr.pay. */
static void lower_guard(Low *L, IrVal *v)
{
  LLVMValueRef bad = llvm_get(L, v->args[0]).v[0];
  uint32_t n = v->nargs - 1;
  if (!n) { llvm_checkk(L, bad, (IrRtErr)v->aux.v.i); return; }
  if (n > EM_NPAY) llvm_fail(L, "guard with %u payload values (at most %d)", n, EM_NPAY);
  llvm_check_begin(L, bad);
  for (uint32_t k = 0; k < n; k++)
    LLVMBuildStore(B, llvm_get(L, v->args[1 + k]).v[0], errfield(L, offsetof(EmErr, pay) + 8 * k));
  LLVMBuildStore(B, llvm_i32(L, (int32_t)n), errfield(L, offsetof(EmErr, npay)));
  llvm_check_end(L, llvm_i32(L, (int32_t)v->aux.v.i));
}

static void lower_aload(Low *L, IrVal *v, LLVMValueRef *out)
{
  Leaves a = llvm_get(L, v->args[0]);
  LLVMValueRef p = gep8(L, a.v[1], llvm_get(L, v->args[1]).v[0]);
  IrType dt = info(L, ir_val(L->fn, v->args[0])->type)->elem[0];
  LLVMTypeRef mt = mem_type(L, dt);
  unsigned size = ir_type_size(L->ctx, dt);
  const IrTypeInfo *ti = info(L, dt);
  if (ti->kind == IRK_COMPLEX) {
    LLVMValueRef re = LLVMBuildLoad2(B, mt, p, ""), im = LLVMBuildLoad2(B, mt, gep8(L, p, llvm_i64(L, size / 2)), "");
    LLVMSetAlignment(re, size / 2);
    LLVMSetAlignment(im, size / 2);
    out[0] = re;
    out[1] = im;
    return;
  }
  LLVMValueRef x = LLVMBuildLoad2(B, mt, p, "");
  LLVMSetAlignment(x, size);
  if (dt == IRT_F16) x = LLVMBuildFPExt(B, x, LLVMFloatTypeInContext(L->C), "");   /* float16 is read as float32 */
  out[0] = ti->kind == IRK_BOOL ? LLVMBuildICmp(B, LLVMIntNE, x, LLVMConstInt(mt, 0, 0), "") : x;
}

static void lower_astore(Low *L, IrVal *v)
{
  Leaves a = llvm_get(L, v->args[0]), w = llvm_get(L, v->args[2]);
  LLVMValueRef p = gep8(L, a.v[1], llvm_get(L, v->args[1]).v[0]);
  IrType dt = info(L, ir_val(L->fn, v->args[0])->type)->elem[0];
  LLVMTypeRef mt = mem_type(L, dt);
  unsigned size = ir_type_size(L->ctx, dt);
  if (info(L, dt)->kind == IRK_COMPLEX) {
    LLVMSetAlignment(LLVMBuildStore(B, w.v[0], p), size / 2);
    LLVMSetAlignment(LLVMBuildStore(B, w.v[1], gep8(L, p, llvm_i64(L, size / 2))), size / 2);
    return;
  }
  LLVMValueRef x = w.v[0];
  if (info(L, dt)->kind == IRK_BOOL) x = LLVMBuildZExt(B, x, mt, "");
  if (dt == IRT_F16) x = LLVMBuildFPTrunc(B, x, mt, "");
  LLVMSetAlignment(LLVMBuildStore(B, x, p), size);
}

static void lower_aview(Low *L, IrVal *v, LLVMValueRef *out)
{
  Leaves a = llvm_get(L, v->args[0]);
  int nd = info(L, v->type)->ndim;
  if ((int)v->nargs != 2 + 2 * nd) { llvm_fail(L, "aview with %u operands for %d dimensions", v->nargs, nd); return; }
  out[0] = a.v[0];
  out[1] = gep8(L, a.v[1], llvm_get(L, v->args[1]).v[0]);
  for (int k = 0; k < 2 * nd; k++) out[2 + k] = llvm_get(L, v->args[2 + k]).v[0];
}

/* Strides of a new array of 'dt' with shapes 'sh' in layout 'lay' into 'st'. */
static void contiguous_strides(Low *L, IrType dt, char lay, int nd, LLVMValueRef *sh, LLVMValueRef *st)
{
  LLVMValueRef s = llvm_i64(L, ir_type_size(L->ctx, dt));
  for (int i = 0; i < nd; i++) {
    int k = lay == 'F' ? i : nd - 1 - i;
    st[k] = s;
    s = LLVMBuildNUWMul(B, s, sh[k], "");
  }
}

static void lower_aalloc(Low *L, IrVal *v, LLVMValueRef *out)
{
  const IrTypeInfo *ti = info(L, v->type);
  int nd = ti->ndim;
  LLVMValueRef total = llvm_i64(L, ir_type_size(L->ctx, ti->elem[0])), over = LLVMConstInt(L->i1, 0, 0);
  LLVMValueRef neg = LLVMConstInt(L->i1, 0, 0);
  for (int k = 0; k < nd; k++) {
    LLVMValueRef d = llvm_get(L, v->args[k]).v[0];
    out[2 + k] = d;
    neg = LLVMBuildOr(B, neg, LLVMBuildICmp(B, LLVMIntSLT, d, llvm_i64(L, 0), ""), "");
    LLVMValueRef args[2] = {total, d};
    LLVMValueRef r = llvm_intrinsic(L, "llvm.smul.with.overflow", L->i64, args, 2);
    over = LLVMBuildOr(B, over, LLVMBuildExtractValue(B, r, 1, ""), "");
    total = LLVMBuildExtractValue(B, r, 0, "");
  }
  llvm_checkk(L, neg, RT_NEG_DIM);
  llvm_checkk(L, over, RT_ARRAY_BIG);
  LLVMTypeRef ps[2] = {L->ptr, L->i64};
  LLVMValueRef a[2] = {LLVMGetParam(L->F, 1), total};
  LLVMValueRef buf = llvm_callext(L, "ember_rt_alloc", L->ptr, ps, a, 2, false);
  LLVMValueRef alloc = LLVMGetNamedFunction(L->M, "ember_rt_alloc");   /* a fresh block; err is not kept */
  LLVMAddAttributeAtIndex(alloc, LLVMAttributeReturnIndex,
                          LLVMCreateEnumAttribute(L->C, LLVMGetEnumAttributeKindForName("noalias", 7), 0));
  LLVMAddAttributeAtIndex(alloc, 1, LLVMCreateEnumAttribute(L->C, LLVMGetEnumAttributeKindForName("nocapture", 9), 0));
  llvm_checkk(L, LLVMBuildIsNull(B, buf, ""), RT_NOMEM);
  for (int k = 0; k < nd; k++) {   /* allocated: each extent is in [0, 2**62), as shape_leaf says of any array */
    LLVMValueRef ok = LLVMBuildICmp(B, LLVMIntULT, out[2 + k], llvm_i64(L, INT64_C(1) << 62), "");
    llvm_intrinsic(L, "llvm.assume", NULL, &ok, 1);
  }
  out[0] = buf;
  out[1] = gep8(L, buf, llvm_i64(L, EM_BUF_HEADER));
  if (v->aux.v.i == 1) LLVMBuildMemSet(B, out[1], LLVMConstInt(LLVMInt8TypeInContext(L->C), 0, 0), total, 64);   /* np.zeros */
  contiguous_strides(L, ti->elem[0], ti->layout, nd, out + 2, out + 2 + nd);
}

/* aconst: a frozen array borrowed from the host (meminfo NULL) at the
 * constant address aux.i, C-contiguous with the constant shapes args[..]. */
static void lower_aconst(Low *L, IrVal *v, LLVMValueRef *out)
{
  const IrTypeInfo *ti = info(L, v->type);
  int nd = ti->ndim;
  if ((int)v->nargs != nd) { llvm_fail(L, "aconst with %u shapes for %d dimensions", v->nargs, nd); return; }
  out[0] = LLVMConstNull(L->ptr);
  out[1] = LLVMConstIntToPtr(llvm_i64(L, v->aux.v.i), L->ptr);
  for (int k = 0; k < nd; k++) out[2 + k] = llvm_get(L, v->args[k]).v[0];
  contiguous_strides(L, ti->elem[0], 'C', nd, out + 2, out + 2 + nd);
}

/* Axis aux.i of array args[0]; LLVM is told it is in [0, 2**62), so that
 * `n - 1` and `i + 1` on shapes cannot overflow and loop bounds derived from
 * shapes relate to the shapes (bounds checks against them then fold). */
static LLVMValueRef shape_leaf(Low *L, IrVal *v)
{
  Leaves a = llvm_get(L, v->args[0]);
  int nd = info(L, ir_val(L->fn, v->args[0])->type)->ndim;
  if (v->aux.v.i < 0 || v->aux.v.i >= nd) { llvm_fail(L, "ashape of axis %lld", (long long)v->aux.v.i); return llvm_i64(L, 0); }
  LLVMValueRef s = a.v[2 + v->aux.v.i];
  LLVMValueRef ok = LLVMBuildICmp(B, LLVMIntULT, s, llvm_i64(L, INT64_C(1) << 62), "");
  llvm_intrinsic(L, "llvm.assume", NULL, &ok, 1);
  return s;
}

bool llvm_uses_arrays(IrFunc *fn)
{
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++)
      if (fn->vals[bk->insts[i]].op == IR_ALOAD || fn->vals[bk->insts[i]].op == IR_ASTORE) return true;
  }
  return false;
}

void llvm_array(Low *L, IrVal *v, LLVMValueRef *out)
{
  switch ((IrOp)v->op) {
  case IR_ASHAPE: out[0] = shape_leaf(L, v); break;
  case IR_ASTRIDE: {
    int nd = info(L, ir_val(L->fn, v->args[0])->type)->ndim;
    out[0] = llvm_get(L, v->args[0]).v[2 + nd + v->aux.v.i];
    break;
  }
  case IR_ADATA: out[0] = LLVMBuildPtrToInt(B, llvm_get(L, v->args[0]).v[1], L->i64, ""); break;
  case IR_BOUNDS: lower_bounds(L, v, out); break;
  case IR_ALOAD: lower_aload(L, v, out); break;
  case IR_ASTORE: lower_astore(L, v); break;
  case IR_AVIEW: lower_aview(L, v, out); break;
  case IR_AALLOC: lower_aalloc(L, v, out); break;
  case IR_ACONST: lower_aconst(L, v, out); break;
  case IR_GUARD: lower_guard(L, v); break;
  case IR_CVT: {   /* array to array: the same leaves */
    Leaves a = llvm_get(L, v->args[0]);
    for (uint32_t i = 0; i < a.n; i++) out[i] = a.v[i];
    break;
  }
  default: llvm_fail(L, "%s is not an array primitive", ir_opinfo[v->op].text);
  }
}

#undef B
