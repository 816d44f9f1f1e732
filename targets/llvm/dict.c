/* targets/llvm/dict.c: the dict primitives.
 *
 * A dict value (or a view of one) is one leaf, a pointer to its EmDict
 * (targets/targets.h); the work is done by targets/native/rt_dict.c.  A key
 * travels as 8 bytes of bits: ints sign- or zero-extended, floats as a
 * double; a value sits in the entry's value memory laid out as a list item
 * (bool one byte, complex two parts).
 *   dnew        ember_rt_dict_new, then each pair as dset;
 *   dlen        the 'used' field;
 *   dfind       ember_rt_dict_find (-1 if absent);
 *   dget        ember_rt_dict_get, KeyError (the key in the payload) if absent, then the load;
 *   dset        ember_rt_dict_slot (MemoryError, or TypeError for a NaN key), then the store;
 *   ddel        ember_rt_dict_del, KeyError if absent;
 *   dkey/dval   the entry's key or value (entry numbers from dfind, or 0..len-1 after dpack);
 *   dpack       ember_rt_dict_pack; dclear ember_rt_dict_clear; dcopy ember_rt_dict_copy;
 *   dview       the dict itself (its type says which view);
 *   `dset` aux 1 (setdefault) stores only a new key; `ddel` aux 1 (pop with a default) ignores a missing one.
 */
#include <stddef.h>

#include "llvm.h"

#define B (L->B)

static const IrTypeInfo *info(Low *L, IrType t) { return ir_type_info(L->ctx, t); }

static LLVMTypeRef i8(Low *L) { return LLVMInt8TypeInContext(L->C); }

/* LLVM type of one part of a value of 'dt' in memory (bool: i8; complex: a part). */
static LLVMTypeRef mem_type(Low *L, IrType dt)
{
  const IrTypeInfo *ti = info(L, dt);
  switch (ti->kind) {
  case IRK_BOOL: return i8(L);
  case IRK_FLOAT: return ti->bits == 32 ? LLVMFloatTypeInContext(L->C) : L->f64;
  case IRK_COMPLEX: return ti->bits == 64 ? LLVMFloatTypeInContext(L->C) : L->f64;
  default: return LLVMIntTypeInContext(L->C, ti->bits);
  }
}

static LLVMValueRef gep8(Low *L, LLVMValueRef p, LLVMValueRef off)
{
  return LLVMBuildInBoundsGEP2(B, i8(L), p, &off, 1, "");
}

static LLVMValueRef field(Low *L, LLVMValueRef d, size_t off, LLVMTypeRef t)
{
  return LLVMBuildLoad2(B, t, gep8(L, d, llvm_i64(L, (int64_t)off)), "");
}

/* EM_DK_* of key type 'kt'. */
static int64_t key_kind(Low *L, IrType kt)
{
  switch (info(L, kt)->kind) {
  case IRK_FLOAT: return EM_DK_FLOAT;
  case IRK_UINT: return EM_DK_UINT;
  case IRK_BOOL: return EM_DK_BOOL;
  default: return EM_DK_INT;
  }
}

/* The 8 bytes of key 'x' of type 'kt' as an i64. */
static LLVMValueRef key_bits(Low *L, LLVMValueRef x, IrType kt)
{
  const IrTypeInfo *ti = info(L, kt);
  switch (ti->kind) {
  case IRK_FLOAT:
    if (ti->bits != 64) x = LLVMBuildFPExt(B, x, L->f64, "");
    return LLVMBuildBitCast(B, x, L->i64, "");
  case IRK_BOOL: case IRK_UINT: return ti->bits == 64 ? x : LLVMBuildZExt(B, x, L->i64, "");
  default: return ti->bits == 64 ? x : LLVMBuildSExt(B, x, L->i64, "");
  }
}

static LLVMValueRef key_from_bits(Low *L, LLVMValueRef b, IrType kt)
{
  const IrTypeInfo *ti = info(L, kt);
  switch (ti->kind) {
  case IRK_FLOAT: {
    LLVMValueRef f = LLVMBuildBitCast(B, b, L->f64, "");
    return ti->bits == 64 ? f : LLVMBuildFPTrunc(B, f, mem_type(L, kt), "");
  }
  case IRK_BOOL: return LLVMBuildICmp(B, LLVMIntNE, b, llvm_i64(L, 0), "");
  default: return ti->bits == 64 ? b : LLVMBuildTrunc(B, b, mem_type(L, kt), "");
  }
}

/* Address of the value of entry 'e' (i64) of dict 'd' with values of 'vt'. */
static LLVMValueRef val_ptr(Low *L, LLVMValueRef d, LLVMValueRef e, IrType vt)
{
  LLVMValueRef vals = field(L, d, offsetof(EmDict, vals), L->ptr);
  return gep8(L, vals, LLVMBuildMul(B, e, llvm_i64(L, ir_type_size(L->ctx, vt)), ""));
}

static void load_val(Low *L, LLVMValueRef p, IrType vt, LLVMValueRef *out)
{
  LLVMTypeRef mt = mem_type(L, vt);
  if (info(L, vt)->kind == IRK_COMPLEX) {
    out[0] = LLVMBuildLoad2(B, mt, p, "");
    out[1] = LLVMBuildLoad2(B, mt, gep8(L, p, llvm_i64(L, ir_type_size(L->ctx, vt) / 2)), "");
    return;
  }
  LLVMValueRef x = LLVMBuildLoad2(B, mt, p, "");
  out[0] = info(L, vt)->kind == IRK_BOOL ? LLVMBuildICmp(B, LLVMIntNE, x, LLVMConstInt(mt, 0, 0), "") : x;
}

static void store_val(Low *L, LLVMValueRef p, IrType vt, IrRef w)
{
  Leaves x = llvm_get(L, w);
  LLVMTypeRef mt = mem_type(L, vt);
  if (info(L, vt)->kind == IRK_COMPLEX) {
    LLVMBuildStore(B, x.v[0], p);
    LLVMBuildStore(B, x.v[1], gep8(L, p, llvm_i64(L, ir_type_size(L->ctx, vt) / 2)));
    return;
  }
  LLVMBuildStore(B, info(L, vt)->kind == IRK_BOOL ? LLVMBuildZExt(B, x.v[0], mt, "") : x.v[0], p);
}

static LLVMValueRef err_arg(Low *L) { return LLVMGetParam(L->F, 1); }

/* d[k] = w: the entry of key 'k' (added if new), then the store. */
static void set(Low *L, LLVMValueRef d, IrType dt, IrRef k, IrRef w)
{
  IrType kt = info(L, dt)->elem[0], vt = info(L, dt)->elem[1];
  LLVMTypeRef ps[3] = {L->ptr, L->ptr, L->i64};
  LLVMValueRef a[3] = {err_arg(L), d, key_bits(L, llvm_get(L, k).v[0], kt)};
  LLVMValueRef e = llvm_callext(L, "ember_rt_dict_slot", L->i64, ps, a, 3, false);
  if (key_kind(L, kt) == EM_DK_FLOAT) llvm_checkk(L, LLVMBuildICmp(B, LLVMIntEQ, e, llvm_i64(L, -2), ""), RT_DICT_NAN);
  llvm_checkk(L, LLVMBuildICmp(B, LLVMIntEQ, e, llvm_i64(L, -1), ""), RT_DICT_NOMEM);
  store_val(L, val_ptr(L, d, e, vt), vt, w);
}

static void lower_dnew(Low *L, IrVal *v, LLVMValueRef *out)
{
  IrType kt = info(L, v->type)->elem[0], vt = info(L, v->type)->elem[1];
  LLVMTypeRef ps[4] = {L->ptr, L->i64, L->i64, L->i64};
  LLVMValueRef a[4] = {err_arg(L), llvm_i64(L, key_kind(L, kt)), llvm_i64(L, ir_type_size(L->ctx, vt)),
                       llvm_i64(L, v->nargs / 2)};
  LLVMValueRef d = llvm_callext(L, "ember_rt_dict_new", L->ptr, ps, a, 4, false);
  llvm_checkk(L, LLVMBuildIsNull(B, d, ""), RT_DICT_NOMEM);
  for (uint32_t i = 0; i + 1 < v->nargs; i += 2) set(L, d, v->type, v->args[i], v->args[i + 1]);
  out[0] = d;
}

/* A call of ember_rt_dict_<name>(d, key) or (err, d, key) returning 'ret'. */
static LLVMValueRef call_key(Low *L, const char *name, bool err, LLVMTypeRef ret, LLVMValueRef d, LLVMValueRef key)
{
  LLVMTypeRef ps[3] = {L->ptr, L->ptr, L->i64};
  LLVMValueRef a[3] = {err_arg(L), d, key};
  return llvm_callext(L, name, ret, ps + !err, a + !err, err ? 3 : 2, false);
}

void llvm_dict(Low *L, IrVal *v, LLVMValueRef *out)
{
  if (v->op == IR_DNEW) { lower_dnew(L, v, out); return; }
  LLVMValueRef d = llvm_get(L, v->args[0]).v[0];
  IrType dt = ir_val(L->fn, v->args[0])->type;
  IrType kt = info(L, dt)->elem[0], vt = info(L, dt)->elem[1];
  LLVMValueRef key = v->nargs > 1 && v->op != IR_DKEY && v->op != IR_DVAL ? key_bits(L, llvm_get(L, v->args[1]).v[0], kt) : NULL;
  switch ((IrOp)v->op) {
  case IR_DLEN: out[0] = field(L, d, offsetof(EmDict, used), L->i64); break;
  case IR_DFIND: out[0] = call_key(L, "ember_rt_dict_find", false, L->i64, d, key); break;
  case IR_DGET: {
    LLVMValueRef e = call_key(L, "ember_rt_dict_get", true, L->i64, d, key);
    llvm_checkk(L, LLVMBuildICmp(B, LLVMIntSLT, e, llvm_i64(L, 0), ""), RT_DICT_KEY);
    load_val(L, val_ptr(L, d, e, vt), vt, out);
    break;
  }
  case IR_DSET: {
    if (v->aux.v.i != 1) { set(L, d, dt, v->args[1], v->args[2]); break; }
    LLVMValueRef e = call_key(L, "ember_rt_dict_find", false, L->i64, d, key);   /* setdefault: only a new key */
    LLVMBasicBlockRef add = llvm_newbb(L, "dadd"), done = llvm_newbb(L, "dadded");
    LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, e, llvm_i64(L, 0), ""), add, done);
    LLVMPositionBuilderAtEnd(B, add);
    set(L, d, dt, v->args[1], v->args[2]);
    LLVMBuildBr(B, done);
    LLVMPositionBuilderAtEnd(B, done);
    break;
  }
  case IR_DVIEW: out[0] = d; break;
  case IR_DCOPY: {
    LLVMTypeRef ps[2] = {L->ptr, L->ptr};
    LLVMValueRef a[2] = {err_arg(L), d};
    out[0] = llvm_callext(L, "ember_rt_dict_copy", L->ptr, ps, a, 2, false);
    llvm_checkk(L, LLVMBuildIsNull(B, out[0], ""), RT_DICT_NOMEM);
    break;
  }
  case IR_DDEL: {
    if (v->aux.v.i == 1) { call_key(L, "ember_rt_dict_del", true, L->i32, d, key); break; }   /* pop with a default */
    LLVMValueRef rc = call_key(L, "ember_rt_dict_del", true, L->i32, d, key);
    llvm_checkk(L, LLVMBuildICmp(B, LLVMIntNE, rc, llvm_i32(L, 0), ""), RT_DICT_KEY);
    break;
  }
  case IR_DKEY: {
    LLVMValueRef keys = field(L, d, offsetof(EmDict, keys), L->ptr);
    LLVMValueRef off = LLVMBuildMul(B, llvm_get(L, v->args[1]).v[0], llvm_i64(L, 8), "");
    out[0] = key_from_bits(L, LLVMBuildLoad2(B, L->i64, gep8(L, keys, off), ""), kt);
    break;
  }
  case IR_DVAL: load_val(L, val_ptr(L, d, llvm_get(L, v->args[1]).v[0], vt), vt, out); break;
  case IR_DPACK: case IR_DCLEAR: {
    LLVMTypeRef ps[1] = {L->ptr};
    llvm_callext(L, v->op == IR_DPACK ? "ember_rt_dict_pack" : "ember_rt_dict_clear", LLVMVoidTypeInContext(L->C), ps, &d, 1, false);
    break;
  }
  default: llvm_fail(L, "%s is not a dict primitive", ir_opinfo[v->op].text);
  }
}

#undef B
