/* targets/llvm/list.c: the list primitives.
 *
 * A list value is one leaf, a pointer to its EmList (targets/targets.h):
 * length, capacity and the item memory, items laid out as in an array of
 * the item type (bool one byte, complex two parts); a tuple, array or list
 * item is its leaves in 64-bit slots, as arguments and results pass them
 * (an array item is its view: meminfo, data, shape, strides).  The EmList and its
 * items come from ember_rt_alloc through targets/native/rt_list.c, so they
 * live until the call returns, like arrays; growing leaves the old item
 * block to the call's runtime context.
 *   lnew      ember_rt_list_new(err, n, size), then the n stores;
 *   llen      the length field;
 *   lget/lset `checked`: a negative index is wrapped once and one unsigned
 *             compare against the length raises IndexError with CPython's
 *             texts; unchecked (for-loops): the index is in range;
 *   lappend   ember_rt_list_grow on the cold path when full, store, length+1;
 *   lresize   grow if needed, then the new length;
 *   getiter   of a list: a cursor {index, list} in an alloca; iterhas tests
 *             the index against the length now (items appended in the loop
 *             are iterated, as in CPython), iternext loads and advances.
 */
#include <stddef.h>

#include "llvm.h"

#define B (L->B)

static const IrTypeInfo *info(Low *L, IrType t) { return ir_type_info(L->ctx, t); }

/* LLVM type of one part of an item of 'dt' in memory (bool: i8; complex: a part). */
static LLVMTypeRef mem_type(Low *L, IrType dt)
{
  const IrTypeInfo *ti = info(L, dt);
  switch (ti->kind) {
  case IRK_BOOL: return LLVMInt8TypeInContext(L->C);
  case IRK_FLOAT: return ti->bits == 32 ? LLVMFloatTypeInContext(L->C) : L->f64;
  case IRK_COMPLEX: return ti->bits == 64 ? LLVMFloatTypeInContext(L->C) : L->f64;
  default: return LLVMIntTypeInContext(L->C, ti->bits);
  }
}

static LLVMValueRef gep8(Low *L, LLVMValueRef p, LLVMValueRef off)
{
  return LLVMBuildInBoundsGEP2(B, LLVMInt8TypeInContext(L->C), p, &off, 1, "");
}

static LLVMValueRef field(Low *L, LLVMValueRef l, size_t off, LLVMTypeRef t)
{
  return LLVMBuildLoad2(B, t, gep8(L, l, llvm_i64(L, (int64_t)off)), "");
}

static IrType item_of(Low *L, IrRef list) { return info(L, ir_val(L->fn, list)->type)->elem[0]; }

/* Is an item of 'dt' kept in slots (a tuple, array or list) rather than as an array element? */
static bool in_slots(Low *L, IrType dt)
{
  IrKind k = info(L, dt)->kind;
  return k == IRK_TUPLE || k == IRK_ARRAY || k == IRK_LIST;
}

static unsigned item_size(Low *L, IrType dt)
{
  return in_slots(L, dt) ? 8 * ir_type_slots(L->ctx, dt) : ir_type_size(L->ctx, dt);
}

/* Address of item 'i' (i64) of list 'l' with items of 'dt'. */
static LLVMValueRef item_ptr(Low *L, LLVMValueRef l, LLVMValueRef i, IrType dt)
{
  LLVMValueRef data = field(L, l, offsetof(EmList, data), L->ptr);
  return gep8(L, data, LLVMBuildMul(B, i, llvm_i64(L, item_size(L, dt)), ""));
}

static void load_item(Low *L, LLVMValueRef p, IrType dt, LLVMValueRef *out)
{
  if (in_slots(L, dt)) { llvm_slots_load(L, p, dt, out); return; }
  LLVMTypeRef mt = mem_type(L, dt);
  unsigned size = ir_type_size(L->ctx, dt);
  if (info(L, dt)->kind == IRK_COMPLEX) {
    out[0] = LLVMBuildLoad2(B, mt, p, "");
    out[1] = LLVMBuildLoad2(B, mt, gep8(L, p, llvm_i64(L, size / 2)), "");
    return;
  }
  LLVMValueRef x = LLVMBuildLoad2(B, mt, p, "");
  out[0] = info(L, dt)->kind == IRK_BOOL ? LLVMBuildICmp(B, LLVMIntNE, x, LLVMConstInt(mt, 0, 0), "") : x;
}

static void store_item(Low *L, LLVMValueRef p, IrType dt, IrRef w)
{
  if (in_slots(L, dt)) { llvm_slots_store(L, p, w); return; }
  Leaves x = llvm_get(L, w);
  LLVMTypeRef mt = mem_type(L, dt);
  unsigned size = ir_type_size(L->ctx, dt);
  if (info(L, dt)->kind == IRK_COMPLEX) {
    LLVMBuildStore(B, x.v[0], p);
    LLVMBuildStore(B, x.v[1], gep8(L, p, llvm_i64(L, size / 2)));
    return;
  }
  LLVMBuildStore(B, info(L, dt)->kind == IRK_BOOL ? LLVMBuildZExt(B, x.v[0], mt, "") : x.v[0], p);
}

/* Make room for 'n' items in list 'l' (ember_rt_list_grow on the cold path). */
static void reserve(Low *L, LLVMValueRef l, LLVMValueRef n, IrType dt)
{
  LLVMValueRef cap = field(L, l, offsetof(EmList, cap), L->i64);
  LLVMBasicBlockRef grow = llvm_newbb(L, "grow"), done = llvm_newbb(L, "grown");
  LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSGT, n, cap, ""), grow, done);
  LLVMPositionBuilderAtEnd(B, grow);
  LLVMTypeRef ps[4] = {L->ptr, L->ptr, L->i64, L->i64};
  LLVMValueRef a[4] = {LLVMGetParam(L->F, 1), l, n, llvm_i64(L, item_size(L, dt))};
  LLVMValueRef rc = llvm_callext(L, "ember_rt_list_grow", L->i32, ps, a, 4, false);
  llvm_checkk(L, LLVMBuildICmp(B, LLVMIntNE, rc, llvm_i32(L, 0), ""), RT_LIST_NOMEM);
  LLVMBuildBr(B, done);
  LLVMPositionBuilderAtEnd(B, done);
}

static void lower_lnew(Low *L, IrVal *v, LLVMValueRef *out)
{
  IrType dt = info(L, v->type)->elem[0];
  LLVMTypeRef ps[3] = {L->ptr, L->i64, L->i64};
  LLVMValueRef a[3] = {LLVMGetParam(L->F, 1), llvm_i64(L, v->nargs), llvm_i64(L, item_size(L, dt))};
  LLVMValueRef l = llvm_callext(L, "ember_rt_list_new", L->ptr, ps, a, 3, false);
  llvm_checkk(L, LLVMBuildIsNull(B, l, ""), RT_LIST_NOMEM);
  for (uint32_t i = 0; i < v->nargs; i++) store_item(L, item_ptr(L, l, llvm_i64(L, i), dt), dt, v->args[i]);
  out[0] = l;
}

/* The index of lget/lset 'v' (args[1]), wrapped and checked against the length when aux.i. */
static LLVMValueRef index_of(Low *L, IrVal *v, LLVMValueRef l, IrRtErr kind)
{
  LLVMValueRef j = llvm_get(L, v->args[1]).v[0];
  if (v->aux.v.i != 1) return j;
  LLVMValueRef n = field(L, l, offsetof(EmList, len), L->i64);
  LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, j, llvm_i64(L, 0), "");
  j = LLVMBuildSelect(B, neg, LLVMBuildAdd(B, j, n, ""), j, "idx");
  llvm_checkk(L, LLVMBuildICmp(B, LLVMIntUGE, j, n, ""), kind);
  return j;
}

static LLVMTypeRef cursor_type(Low *L)
{
  LLVMTypeRef f[2] = {L->i64, L->ptr};
  return LLVMStructTypeInContext(L->C, f, 2, 0);
}

static LLVMValueRef cursor_field(Low *L, LLVMValueRef it, unsigned k)
{
  return LLVMBuildStructGEP2(B, cursor_type(L), it, k, "");
}

bool llvm_list_iter(Low *L, IrVal *v, LLVMValueRef *out)
{
  IrType t = ir_val(L->fn, v->args[0])->type;
  const IrTypeInfo *ti = info(L, t);
  if (v->op == IR_GETITER) {
    if (ti->kind != IRK_LIST) return false;
    LLVMValueRef it = llvm_alloca(L, cursor_type(L), "liter");
    LLVMBuildStore(B, llvm_i64(L, 0), cursor_field(L, it, 0));
    LLVMBuildStore(B, llvm_get(L, v->args[0]).v[0], cursor_field(L, it, 1));
    out[0] = it;
    return true;
  }
  if (ti->kind != IRK_ITER || info(L, ti->elem[1])->kind != IRK_LIST) return false;
  LLVMValueRef it = llvm_get(L, v->args[0]).v[0];
  LLVMValueRef i = LLVMBuildLoad2(B, L->i64, cursor_field(L, it, 0), "");
  LLVMValueRef l = LLVMBuildLoad2(B, L->ptr, cursor_field(L, it, 1), "");
  if (v->op == IR_ITERHAS) {
    out[0] = LLVMBuildICmp(B, LLVMIntSLT, i, field(L, l, offsetof(EmList, len), L->i64), "");
    return true;
  }
  load_item(L, item_ptr(L, l, i, ti->elem[0]), ti->elem[0], out);
  LLVMBuildStore(B, LLVMBuildAdd(B, i, llvm_i64(L, 1), ""), cursor_field(L, it, 0));
  return true;
}

void llvm_list(Low *L, IrVal *v, LLVMValueRef *out)
{
  LLVMValueRef l = v->op == IR_LNEW ? NULL : llvm_get(L, v->args[0]).v[0];
  IrType dt = v->op == IR_LNEW ? IRT_VOID : item_of(L, v->args[0]);
  switch ((IrOp)v->op) {
  case IR_LNEW: lower_lnew(L, v, out); break;
  case IR_LLEN: out[0] = field(L, l, offsetof(EmList, len), L->i64); break;
  case IR_LGET: load_item(L, item_ptr(L, l, index_of(L, v, l, RT_LIST_INDEX), dt), dt, out); break;
  case IR_LSET: store_item(L, item_ptr(L, l, index_of(L, v, l, RT_LIST_ASSIGN), dt), dt, v->args[2]); break;
  case IR_LAPPEND: {
    LLVMValueRef n = field(L, l, offsetof(EmList, len), L->i64);
    LLVMValueRef n1 = LLVMBuildAdd(B, n, llvm_i64(L, 1), "");
    reserve(L, l, n1, dt);
    store_item(L, item_ptr(L, l, n, dt), dt, v->args[1]);
    LLVMBuildStore(B, n1, gep8(L, l, llvm_i64(L, offsetof(EmList, len))));
    break;
  }
  case IR_LRESIZE: {
    LLVMValueRef n = llvm_get(L, v->args[1]).v[0];
    reserve(L, l, n, dt);
    LLVMBuildStore(B, n, gep8(L, l, llvm_i64(L, offsetof(EmList, len))));
    break;
  }
  default: llvm_fail(L, "%s is not a list primitive", ir_opinfo[v->op].text);
  }
}

#undef B
