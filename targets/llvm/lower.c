/* targets/llvm/lower.c: typed IR to LLVM IR, one function at a time.
 *
 * Order: declare the inner function from the entry block's parameter types;
 * find the ints only observed modulo 2**64 (fill_modular: their arithmetic
 * needs no overflow check) and the small branches to turn into selects
 * (plan_ifconv: their arm blocks are lowered with the branch, L->arm);
 * create one LLVM block per other live IR block and, at its top, one phi per
 * parameter leaf; walk the blocks in reverse postorder (so every operand is
 * lowered before its use) and lower each instruction; a branch adds its
 * arguments to the target's phis from the LLVM block it ends (checks split
 * IR blocks, so that is the builder's current block).  Last, the entry
 * block (allocas only) jumps to IR block 0, and the C entry wrapper loads
 * the argument slots and calls the inner function.
 *
 * Expects the IR `infer` leaves (ir.h / COMMON contract): every value has a
 * concrete type; compile-time values (modref, builtin, funcref, global,
 * attr, module and func types) are ignored.  Unsupported shapes make the
 * lowering fail with a message, never abort.
 */
#include <llvm-c/DebugInfo.h>   /* LLVMTemporaryMDNode: a loop id naming itself */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "llvm.h"

/* -- Small helpers --------------------------------------------------------- */

void llvm_fail(Low *L, const char *fmt, ...)
{
  if (L->failed) return;
  L->failed = true;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(L->err, L->errsize, fmt, ap);
  va_end(ap);
}

LLVMValueRef llvm_f64(Low *L, double x) { return LLVMConstReal(L->f64, x); }
LLVMValueRef llvm_i64(Low *L, int64_t x) { return LLVMConstInt(L->i64, (uint64_t)x, 1); }
LLVMValueRef llvm_i32(Low *L, int32_t x) { return LLVMConstInt(L->i32, (uint64_t)(int64_t)x, 1); }

LLVMBasicBlockRef llvm_newbb(Low *L, const char *name)
{
  return LLVMAppendBasicBlockInContext(L->C, L->F, name);
}

/* An alloca in the entry block (so SROA/mem2reg can promote it). */
LLVMValueRef llvm_alloca(Low *L, LLVMTypeRef ty, const char *name)
{
  LLVMBuilderRef b = LLVMCreateBuilderInContext(L->C);
  LLVMPositionBuilderAtEnd(b, L->entry);
  LLVMValueRef a = LLVMBuildAlloca(b, ty, name);
  LLVMDisposeBuilder(b);
  return a;
}

static void add_fnattr(Low *L, LLVMValueRef f, const char *name, uint64_t val)
{
  unsigned k = LLVMGetEnumAttributeKindForName(name, strlen(name));
  LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(L->C, k, val));
}

static void add_paramattr(Low *L, LLVMValueRef f, unsigned idx, const char *name)
{
  unsigned k = LLVMGetEnumAttributeKindForName(name, strlen(name));
  LLVMAddAttributeAtIndex(f, idx, LLVMCreateEnumAttribute(L->C, k, 0));
}

LLVMValueRef llvm_intrinsic(Low *L, const char *name, LLVMTypeRef ty, LLVMValueRef *args,
                            unsigned nargs)
{
  unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
  LLVMTypeRef tys[1] = {ty};
  unsigned nt = ty ? 1 : 0;
  LLVMValueRef f = LLVMGetIntrinsicDeclaration(L->M, id, tys, nt);
  LLVMTypeRef ft = LLVMIntrinsicGetType(L->C, id, tys, nt);
  return LLVMBuildCall2(L->B, ft, f, args, nargs, "");
}

LLVMValueRef llvm_callext(Low *L, const char *name, LLVMTypeRef ret, LLVMTypeRef *params,
                          LLVMValueRef *args, unsigned nargs, bool pure)
{
  LLVMTypeRef ft = LLVMFunctionType(ret, params, nargs, 0);
  LLVMValueRef f = LLVMGetNamedFunction(L->M, name);
  if (!f) {
    f = LLVMAddFunction(L->M, name, ft);
    add_fnattr(L, f, "nounwind", 0);
    add_fnattr(L, f, "willreturn", 0);
    if (pure) add_fnattr(L, f, "memory", 0);   /* memory(none): errno is never read */
  }
  return LLVMBuildCall2(L->B, ft, f, args, nargs, "");
}

/* -- Types and leaves ------------------------------------------------------ */

/* Append the LLVM leaf types of 't' to 'out' at '*n'. */
static void leaf_types(Low *L, IrType t, LLVMTypeRef *out, uint32_t *n)
{
  const IrTypeInfo *ti = ir_type_info(L->ctx, t);
  switch (ti->kind) {
  case IRK_BOOL: out[(*n)++] = L->i1; break;
  case IRK_PYINT: out[(*n)++] = L->i64; break;
  case IRK_INT: case IRK_UINT: out[(*n)++] = LLVMIntTypeInContext(L->C, ti->bits); break;
  case IRK_FLOAT: out[(*n)++] = ti->bits == 32 ? LLVMFloatTypeInContext(L->C) : L->f64; break;
  case IRK_COMPLEX: {
    LLVMTypeRef e = ti->bits == 64 ? LLVMFloatTypeInContext(L->C) : L->f64;
    out[(*n)++] = e; out[(*n)++] = e; break;
  }
  case IRK_RANGE: out[(*n)++] = L->i64; out[(*n)++] = L->i64; out[(*n)++] = L->i64; break;
  case IRK_ITER: case IRK_LIST: case IRK_DICT: out[(*n)++] = L->ptr; break;
  case IRK_ARRAY:   /* meminfo, data, shape[ndim], strides[ndim] */
    out[(*n)++] = L->ptr; out[(*n)++] = L->ptr;
    for (int i = 0; i < 2 * ti->ndim; i++) out[(*n)++] = L->i64;
    break;
  case IRK_TUPLE:
    for (int i = 0; i < ti->nelem; i++) leaf_types(L, ti->elem[i], out, n);
    break;
  default: break;   /* void, none, module, func: nothing */
  }
}

static uint32_t nleaves(Low *L, IrType t)
{
  const IrTypeInfo *ti = ir_type_info(L->ctx, t);
  switch (ti->kind) {
  case IRK_BOOL: case IRK_PYINT: case IRK_INT: case IRK_UINT: case IRK_FLOAT: case IRK_ITER: case IRK_LIST: case IRK_DICT:
    return 1;
  case IRK_COMPLEX: return 2;
  case IRK_RANGE: return 3;
  case IRK_ARRAY: return 2 + 2 * (uint32_t)ti->ndim;
  case IRK_TUPLE: {
    uint32_t n = 0;
    for (int i = 0; i < ti->nelem; i++) n += nleaves(L, ti->elem[i]);
    return n;
  }
  default: return 0;
  }
}

/* Leaf types of 't' in a fresh arena array; count in '*n'. */
static LLVMTypeRef *types_of(Low *L, IrType t, uint32_t *n)
{
  uint32_t k = nleaves(L, t);
  LLVMTypeRef *ts = ir_alloc(L->ctx, (k ? k : 1) * sizeof *ts);
  *n = 0;
  leaf_types(L, t, ts, n);
  return ts;
}

Leaves llvm_get(Low *L, IrRef r)
{
  Leaves lv = L->val[r];
  if (!lv.v && nleaves(L, ir_val(L->fn, r)->type)) {
    llvm_fail(L, "value %%%u used before it is lowered", r);
    uint32_t n;
    LLVMTypeRef *ts = types_of(L, ir_val(L->fn, r)->type, &n);
    lv.n = n;
    lv.v = ir_alloc(L->ctx, n * sizeof *lv.v);
    for (uint32_t i = 0; i < n; i++) lv.v[i] = LLVMGetUndef(ts[i]);
  }
  return lv;
}

/* -- Errors ---------------------------------------------------------------- */

_Static_assert(offsetof(EmErr, kind) == 0, "the error block stores the kind at *err");

/* A private constant of the module holding the 'n' bytes at 's' and a \0. */
static LLVMValueRef const_bytes(Low *L, const char *s, size_t n, const char *name)
{
  LLVMValueRef init = LLVMConstStringInContext(L->C, s, (unsigned)n, 0);
  LLVMValueRef g = LLVMAddGlobal(L->M, LLVMTypeOf(init), name);
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
  return g;
}

/* Address of the EmErr field at byte offset 'off' of the err parameter. */
static LLVMValueRef errfield_at(Low *L, size_t off)
{
  LLVMValueRef idx[1] = {llvm_i64(L, (int64_t)off)};
  return LLVMBuildInBoundsGEP2(L->B, LLVMInt8TypeInContext(L->C), LLVMGetParam(L->F, 1), idx, 1, "");
}

/* "qualname\0file\0" of the function being lowered, for EmErr.where. */
static LLVMValueRef where_string(Low *L)
{
  const char *name = L->fn->name ? L->fn->name : "?", *file = L->fn->file ? L->fn->file : "?";
  size_t nn = strlen(name), nf = strlen(file);
  char *s = ir_alloc(L->ctx, nn + nf + 2);
  memcpy(s, name, nn + 1);
  memcpy(s + nn + 1, file, nf + 1);
  return const_bytes(L, s, nn + nf + 1, "ember.where");
}

/* The shared error block: store kind, line and where into *err, return 1. */
static void make_errbb(Low *L)
{
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
  L->errbb = llvm_newbb(L, "error");
  LLVMPositionBuilderAtEnd(L->B, L->errbb);
  L->errkind = LLVMBuildPhi(L->B, L->i32, "kind");
  L->errline = LLVMBuildPhi(L->B, L->i32, "line");
  LLVMValueRef e = LLVMGetParam(L->F, 1);
  LLVMBuildStore(L->B, L->errkind, e);
  LLVMValueRef idx[1] = {llvm_i64(L, offsetof(EmErr, line))};
  LLVMBuildStore(L->B, L->errline, LLVMBuildInBoundsGEP2(L->B, LLVMInt8TypeInContext(L->C), e, idx, 1, ""));
  LLVMValueRef widx[1] = {llvm_i64(L, offsetof(EmErr, where))};
  LLVMBuildStore(L->B, where_string(L), LLVMBuildInBoundsGEP2(L->B, LLVMInt8TypeInContext(L->C), e, widx, 1, ""));
  LLVMBuildRet(L->B, llvm_i32(L, 1));
  LLVMPositionBuilderAtEnd(L->B, cur);
}

/* Mark conditional branch 'br' as rarely taking its first successor. */
static void set_cold(Low *L, LLVMValueRef br)
{
  LLVMSetMetadata(br, L->prof_kind, L->cold_w);
}

/* Branch to the error block with 'kind' and 'line' (i32 values) when 'bad'. */
static LLVMValueRef check_at(Low *L, LLVMValueRef bad, LLVMValueRef kind, LLVMValueRef line)
{
  if (LLVMIsAConstantInt(bad) && !LLVMConstIntGetZExtValue(bad)) return NULL;
  if (!L->errbb) make_errbb(L);
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
  LLVMBasicBlockRef ok = llvm_newbb(L, "ok");
  LLVMValueRef br = LLVMBuildCondBr(L->B, bad, L->errbb, ok);
  set_cold(L, br);
  LLVMAddIncoming(L->errkind, &kind, &cur, 1);
  LLVMAddIncoming(L->errline, &line, &cur, 1);
  LLVMPositionBuilderAtEnd(L->B, ok);
  return br;
}

/* In a speculated arm (see lower_ifconv) a check fires only where the arm
 * would have run: raise the overflows deferred so far, then condition 'bad'. */
static LLVMValueRef spec_cond(Low *L, LLVMValueRef bad)
{
  if (L->pend.bad) {
    check_at(L, L->pend.bad, llvm_i32(L, RT_INT_OVERFLOW), L->pend.line);
    L->pend = (Pend){NULL, NULL, NULL};
  }
  return LLVMBuildAnd(L->B, bad, L->armcond, "");
}

void llvm_check(Low *L, LLVMValueRef bad, LLVMValueRef kind)
{
  if (LLVMIsAConstantInt(bad) && !LLVMConstIntGetZExtValue(bad)) return;
  if (L->spec) bad = spec_cond(L, bad);
  check_at(L, bad, kind, llvm_i32(L, L->line));
}

void llvm_checkk(Low *L, LLVMValueRef bad, IrRtErr kind)
{
  llvm_check(L, bad, llvm_i32(L, kind));
}

LLVMValueRef llvm_spec_input(Low *L, LLVMValueRef x)
{
  return L->spec ? LLVMBuildSelect(L->B, L->armcond, x, LLVMConstNull(LLVMTypeOf(x)), "") : x;
}

void llvm_check_ovf(Low *L, LLVMValueRef bad)
{
  bool never = LLVMIsAConstantInt(bad) && !LLVMConstIntGetZExtValue(bad);
  llvm_check_ovf_taken(L, L->spec && !never ? LLVMBuildAnd(L->B, bad, L->armcond, "") : bad, bad);
}

void llvm_check_ovf_taken(Low *L, LLVMValueRef bad, LLVMValueRef guard)
{
  if (!L->spec) { llvm_checkk(L, bad, RT_INT_OVERFLOW); return; }
  if (LLVMIsAConstantInt(bad) && !LLVMConstIntGetZExtValue(bad)) return;
  LLVMValueRef line = llvm_i32(L, L->line);
  Pend *p = &L->pend;
  if (!p->bad) { *p = (Pend){bad, guard, line}; return; }
  if (p->line != line) p->line = LLVMBuildSelect(L->B, p->bad, p->line, line, "");   /* the first overflow's line */
  p->bad = LLVMBuildOr(L->B, p->bad, bad, "");
  p->guard = LLVMBuildOr(L->B, p->guard, guard, "");
}

void llvm_check_begin(Low *L, LLVMValueRef bad)
{
  if (L->spec) bad = spec_cond(L, bad);
  if (!L->errbb) make_errbb(L);
  LLVMBasicBlockRef cold = llvm_newbb(L, "fail");
  L->okbb = llvm_newbb(L, "ok");
  set_cold(L, LLVMBuildCondBr(L->B, bad, cold, L->okbb));
  LLVMPositionBuilderAtEnd(L->B, cold);
}

void llvm_check_end_if(Low *L, LLVMValueRef bad, LLVMValueRef kind)
{
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
  LLVMValueRef line = llvm_i32(L, L->line);
  LLVMAddIncoming(L->errkind, &kind, &cur, 1);
  LLVMAddIncoming(L->errline, &line, &cur, 1);
  LLVMBuildCondBr(L->B, bad, L->errbb, L->okbb);
  LLVMPositionBuilderAtEnd(L->B, L->okbb);
}

void llvm_check_end(Low *L, LLVMValueRef kind)
{
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
  LLVMValueRef line = llvm_i32(L, L->line);
  LLVMAddIncoming(L->errkind, &kind, &cur, 1);
  LLVMAddIncoming(L->errline, &line, &cur, 1);
  LLVMBuildBr(L->B, L->errbb);
  LLVMPositionBuilderAtEnd(L->B, L->okbb);
}

/* -- Functions ------------------------------------------------------------- */

/* The inner function type for parameter types 'params' and return leaves nothing (i32 rc). */
static LLVMTypeRef inner_type(Low *L, const IrRef *params, uint32_t nparams, bool fromargs)
{
  uint32_t cap = 2;
  for (uint32_t i = 0; i < nparams; i++) cap += nleaves(L, ir_val(L->fn, params[i])->type);
  LLVMTypeRef *ts = ir_alloc(L->ctx, cap * sizeof *ts);
  uint32_t n = 2;
  ts[0] = L->ptr; ts[1] = L->ptr;
  for (uint32_t i = 0; i < nparams; i++) leaf_types(L, ir_val(L->fn, params[i])->type, ts, &n);
  (void)fromargs;
  return LLVMFunctionType(L->i32, ts, n, 0);
}

static void mark_inner(Low *L, LLVMValueRef f)
{
  add_fnattr(L, f, "nounwind", 0);
  add_paramattr(L, f, 1, "noalias");
  add_paramattr(L, f, 1, "nocapture");
  add_paramattr(L, f, 2, "noalias");
  add_paramattr(L, f, 2, "nocapture");
  /* The EmErr is the caller's own, whole and writable: LICM may then keep its
   * call depth in a register across a loop of inlined calls, whose depth test
   * then leaves the loop (which can vectorize). */
  add_paramattr(L, f, 2, "writable");
  unsigned k = LLVMGetEnumAttributeKindForName("dereferenceable", 15);
  LLVMAddAttributeAtIndex(f, 2, LLVMCreateEnumAttribute(L->C, k, sizeof(EmErr)));
}

/* Declaration of the inner function 'sym' called with the operands of 'v'. */
static LLVMValueRef callee_decl(Low *L, const char *sym, IrVal *v, LLVMTypeRef *ft)
{
  *ft = inner_type(L, v->args, v->nargs, true);
  LLVMValueRef f = LLVMGetNamedFunction(L->M, sym);
  if (f) {
    if (LLVMGlobalGetValueType(f) != *ft) llvm_fail(L, "call of %s with mismatched argument types", sym);
    return f;
  }
  f = LLVMAddFunction(L->M, sym, *ft);
  mark_inner(L, f);
  return f;
}

/* -- Blocks and branches --------------------------------------------------- */

static void make_phis(Low *L, IrBlk b)
{
  IrBlock *bk = ir_blk(L->fn, b);
  uint32_t n = 0;
  for (uint32_t i = 0; i < bk->nparams; i++) n += nleaves(L, ir_val(L->fn, bk->params[i])->type);
  L->phis[b] = ir_alloc(L->ctx, (n ? n : 1) * sizeof(LLVMValueRef));
  LLVMPositionBuilderAtEnd(L->B, L->bb[b]);
  uint32_t k = 0;
  for (uint32_t i = 0; i < bk->nparams; i++) {
    IrRef p = bk->params[i];
    uint32_t m;
    LLVMTypeRef *ts = types_of(L, ir_val(L->fn, p)->type, &m);
    L->val[p] = (Leaves){m, &L->phis[b][k]};
    for (uint32_t j = 0; j < m; j++) L->phis[b][k++] = LLVMBuildPhi(L->B, ts[j], "");
  }
}

/* Add the leaves of 'args' as incoming values of the phis of 'to' from the current block. */
static void pass_args(Low *L, IrBlk to, const IrRef *args, uint32_t nargs)
{
  IrBlock *bk = ir_blk(L->fn, to);
  if (nargs != bk->nparams) { llvm_fail(L, "branch to @%u passes %u of %u arguments", to, nargs, bk->nparams); return; }
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
  uint32_t k = 0;
  for (uint32_t i = 0; i < nargs; i++) {
    Leaves a = llvm_get(L, args[i]);
    for (uint32_t j = 0; j < a.n; j++) LLVMAddIncoming(L->phis[to][k++], &a.v[j], &cur, 1);
  }
}

/* Jump along successor 's', passing its arguments. */
static void br_succ(Low *L, IrSucc *s)
{
  pass_args(L, s->blk, s->args, s->nargs);
  LLVMBuildBr(L->B, L->bb[s->blk]);
}

static void lower_ifconv(Low *L, IrVal *v);

static void lower_cbr(Low *L, IrVal *v)
{
  LLVMValueRef c = llvm_get(L, v->args[0]).v[0];
  LLVMBasicBlockRef t = L->bb[v->succ[0].blk], f = L->bb[v->succ[1].blk];
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
  if (v->succ[0].blk == v->succ[1].blk && ir_blk(L->fn, v->succ[0].blk)->nparams) {
    t = llvm_newbb(L, "edge");   /* two edges into one block need distinct phi predecessors */
    LLVMPositionBuilderAtEnd(L->B, t);
    br_succ(L, &v->succ[0]);
  } else {
    pass_args(L, v->succ[0].blk, v->succ[0].args, v->succ[0].nargs);
  }
  LLVMPositionBuilderAtEnd(L->B, cur);
  pass_args(L, v->succ[1].blk, v->succ[1].args, v->succ[1].nargs);
  LLVMBuildCondBr(L->B, c, t, f);
}

/* Store the leaves of 'r' into the 64-bit slots at 'base'. */
static void store_slots(Low *L, LLVMValueRef base, IrRef r)
{
  Leaves a = llvm_get(L, r);
  for (uint32_t i = 0; i < a.n; i++) {
    LLVMValueRef x = a.v[i];
    LLVMTypeRef t = LLVMTypeOf(x);
    if (t == L->i1 || (LLVMGetTypeKind(t) == LLVMIntegerTypeKind && t != L->i64))
      x = LLVMBuildZExt(L->B, x, L->i64, "");
    LLVMValueRef idx[1] = {llvm_i64(L, i)};
    LLVMBuildStore(L->B, x, LLVMBuildInBoundsGEP2(L->B, L->i64, base, idx, 1, ""));
  }
}

/* Load leaves of types 'ts' from the slots at 'base' into 'out'. */
static void load_slots(Low *L, LLVMValueRef base, LLVMTypeRef *ts, uint32_t n, LLVMValueRef *out)
{
  for (uint32_t i = 0; i < n; i++) {
    LLVMValueRef idx[1] = {llvm_i64(L, i)};
    LLVMValueRef p = LLVMBuildInBoundsGEP2(L->B, L->i64, base, idx, 1, "");
    if (ts[i] == L->i1)
      out[i] = LLVMBuildICmp(L->B, LLVMIntNE, LLVMBuildLoad2(L->B, L->i64, p, ""), llvm_i64(L, 0), "");
    else if (LLVMGetTypeKind(ts[i]) == LLVMIntegerTypeKind && ts[i] != L->i64)
      out[i] = LLVMBuildTrunc(L->B, LLVMBuildLoad2(L->B, L->i64, p, ""), ts[i], "");
    else
      out[i] = LLVMBuildLoad2(L->B, ts[i], p, "");
  }
}

void llvm_slots_store(Low *L, LLVMValueRef base, IrRef r) { store_slots(L, base, r); }

void llvm_slots_load(Low *L, LLVMValueRef base, IrType t, LLVMValueRef *out)
{
  uint32_t n;
  LLVMTypeRef *ts = types_of(L, t, &n);
  load_slots(L, base, ts, n, out);
}

/* -- Calls ------------------------------------------------------------------ */

/* callfn: depth check, call the inner symbol, propagate a failure, load the result. */
static void lower_callfn(Low *L, IrVal *v, LLVMValueRef *out)
{
  LLVMTypeRef ft;
  LLVMValueRef f = callee_decl(L, v->aux.v.s, v, &ft);
  LLVMValueRef err = LLVMGetParam(L->F, 1);
  LLVMValueRef idx8[1] = {llvm_i64(L, offsetof(EmErr, depth))}, idx12[1] = {llvm_i64(L, offsetof(EmErr, limit))};
  LLVMTypeRef i8 = LLVMInt8TypeInContext(L->C);
  LLVMValueRef pdepth = LLVMBuildInBoundsGEP2(L->B, i8, err, idx8, 1, "");
  LLVMValueRef plimit = LLVMBuildInBoundsGEP2(L->B, i8, err, idx12, 1, "");
  LLVMValueRef d = LLVMBuildLoad2(L->B, L->i32, pdepth, "depth");
  LLVMValueRef d1 = LLVMBuildAdd(L->B, d, llvm_i32(L, 1), "");
  LLVMValueRef lim = LLVMBuildLoad2(L->B, L->i32, plimit, "limit");
  llvm_checkk(L, LLVMBuildICmp(L->B, LLVMIntSGT, d1, lim, ""), RT_RECURSION);
  LLVMBuildStore(L->B, d1, pdepth);
  uint32_t nret;
  LLVMTypeRef *rts = types_of(L, v->type, &nret);
  uint32_t nslots = ir_type_slots(L->ctx, v->type);
  LLVMValueRef retp = llvm_alloca(L, LLVMArrayType(L->i64, nslots ? nslots : 1), "ret");
  uint32_t cap = 2;
  for (uint32_t i = 0; i < v->nargs; i++) cap += llvm_get(L, v->args[i]).n;
  LLVMValueRef *args = ir_alloc(L->ctx, cap * sizeof *args);
  uint32_t n = 0;
  args[n++] = retp; args[n++] = err;
  for (uint32_t i = 0; i < v->nargs; i++) {
    Leaves a = llvm_get(L, v->args[i]);
    for (uint32_t j = 0; j < a.n; j++) args[n++] = a.v[j];
  }
  LLVMValueRef rc = LLVMBuildCall2(L->B, ft, f, args, n, "rc");
  LLVMBuildStore(L->B, d, pdepth);
  if (!L->propbb) {
    LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
    L->propbb = llvm_newbb(L, "propagate");
    LLVMPositionBuilderAtEnd(L->B, L->propbb);
    LLVMBuildRet(L->B, llvm_i32(L, 1));
    LLVMPositionBuilderAtEnd(L->B, cur);
  }
  LLVMBasicBlockRef ok = llvm_newbb(L, "ok");
  set_cold(L, LLVMBuildCondBr(L->B, LLVMBuildICmp(L->B, LLVMIntNE, rc, llvm_i32(L, 0), ""), L->propbb, ok));
  LLVMPositionBuilderAtEnd(L->B, ok);
  load_slots(L, retp, rts, nret, out);
}

/* -- Ranges and iterators ------------------------------------------------- */
/* An iterator is a pointer to an alloca'd cursor {i64 next, i64 step, i64 left}:
 * 'left' counts the items still to come, so advancing never overflows. */

static LLVMTypeRef cursor_type(Low *L)
{
  LLVMTypeRef e[3] = {L->i64, L->i64, L->i64};
  return LLVMStructTypeInContext(L->C, e, 3, 0);
}

static LLVMValueRef cursor_field(Low *L, LLVMValueRef it, unsigned i)
{
  return LLVMBuildStructGEP2(L->B, cursor_type(L), it, i, "");
}

/* Number of items of range(start, stop, step), computed in unsigned arithmetic. */
static LLVMValueRef range_len(Low *L, LLVMValueRef start, LLVMValueRef stop, LLVMValueRef step)
{
  LLVMBuilderRef B = L->B;
  LLVMValueRef pos = LLVMBuildICmp(B, LLVMIntSGT, step, llvm_i64(L, 0), "");
  LLVMValueRef lo = LLVMBuildSelect(B, pos, start, stop, "");
  LLVMValueRef hi = LLVMBuildSelect(B, pos, stop, start, "");
  LLVMValueRef ustep = LLVMBuildSelect(B, pos, step, LLVMBuildNeg(B, step, ""), "");
  LLVMValueRef nonempty = LLVMBuildICmp(B, LLVMIntSLT, lo, hi, "");
  LLVMValueRef diff = LLVMBuildSub(B, hi, lo, "");
  LLVMValueRef q = LLVMBuildUDiv(B, LLVMBuildSub(B, diff, llvm_i64(L, 1), ""), ustep, "");
  LLVMValueRef n = LLVMBuildAdd(B, q, llvm_i64(L, 1), "");
  return LLVMBuildSelect(B, nonempty, n, llvm_i64(L, 0), "len");
}

static void lower_range(Low *L, IrVal *v, LLVMValueRef *out)
{
  for (int i = 0; i < 3; i++) out[i] = llvm_get(L, v->args[i]).v[0];
  llvm_checkk(L, LLVMBuildICmp(L->B, LLVMIntEQ, out[2], llvm_i64(L, 0), ""), RT_RANGE_STEP);
}

static void lower_getiter(Low *L, IrVal *v, LLVMValueRef *out)
{
  Leaves r = llvm_get(L, v->args[0]);
  if (r.n != 3) { llvm_fail(L, "getiter of a non-range"); return; }
  LLVMValueRef it = llvm_alloca(L, cursor_type(L), "iter");
  LLVMBuildStore(L->B, r.v[0], cursor_field(L, it, 0));
  LLVMBuildStore(L->B, r.v[2], cursor_field(L, it, 1));
  LLVMBuildStore(L->B, range_len(L, r.v[0], r.v[1], r.v[2]), cursor_field(L, it, 2));
  out[0] = it;
}

static void lower_iterhas(Low *L, IrVal *v, LLVMValueRef *out)
{
  LLVMValueRef it = llvm_get(L, v->args[0]).v[0];
  LLVMValueRef left = LLVMBuildLoad2(L->B, L->i64, cursor_field(L, it, 2), "left");
  out[0] = LLVMBuildICmp(L->B, LLVMIntNE, left, llvm_i64(L, 0), "");
}

static void lower_iternext(Low *L, IrVal *v, LLVMValueRef *out)
{
  LLVMValueRef it = llvm_get(L, v->args[0]).v[0];
  LLVMValueRef pn = cursor_field(L, it, 0), ps = cursor_field(L, it, 1), pl = cursor_field(L, it, 2);
  LLVMValueRef cur = LLVMBuildLoad2(L->B, L->i64, pn, "item");
  LLVMValueRef step = LLVMBuildLoad2(L->B, L->i64, ps, "");
  LLVMValueRef left = LLVMBuildLoad2(L->B, L->i64, pl, "");
  LLVMBuildStore(L->B, LLVMBuildAdd(L->B, cur, step, ""), pn);   /* may wrap past the last item: never read */
  LLVMBuildStore(L->B, LLVMBuildSub(L->B, left, llvm_i64(L, 1), ""), pl);
  out[0] = cur;
}

/* -- Instructions ----------------------------------------------------------- */

static void lower_const(Low *L, IrVal *v, LLVMValueRef *out)
{
  const IrTypeInfo *ti = ir_type_info(L->ctx, v->type);
  switch (ti->kind) {
  case IRK_BOOL: out[0] = LLVMConstInt(L->i1, v->aux.v.i != 0, 0); break;
  case IRK_PYINT: out[0] = llvm_i64(L, v->aux.v.i); break;
  case IRK_INT: case IRK_UINT: out[0] = LLVMConstInt(LLVMIntTypeInContext(L->C, ti->bits), (uint64_t)v->aux.v.i, 1); break;
  case IRK_FLOAT: out[0] = LLVMConstReal(ti->bits == 32 ? LLVMFloatTypeInContext(L->C) : L->f64, v->aux.v.f); break;
  case IRK_COMPLEX: {   /* complex64: two floats, as its leaves (leaf_types); the value is one already */
    LLVMTypeRef e = ti->bits == 64 ? LLVMFloatTypeInContext(L->C) : L->f64;
    out[0] = LLVMConstReal(e, v->aux.v.c[0]);
    out[1] = LLVMConstReal(e, v->aux.v.c[1]);
    break;
  }
  case IRK_NONE: case IRK_MODULE: case IRK_FUNC: case IRK_DTYPE: case IRK_STR: break;
  default: llvm_fail(L, "constant of unsupported type");
  }
}

static void lower_extract(Low *L, IrVal *v, LLVMValueRef *out, uint32_t n)
{
  Leaves t = llvm_get(L, v->args[0]);
  const IrTypeInfo *ti = ir_type_info(L->ctx, ir_val(L->fn, v->args[0])->type);
  if (ti->kind != IRK_TUPLE || v->aux.v.i < 0 || v->aux.v.i >= ti->nelem) { llvm_fail(L, "bad extract"); return; }
  uint32_t off = 0;
  for (int64_t i = 0; i < v->aux.v.i; i++) off += nleaves(L, ti->elem[i]);
  for (uint32_t i = 0; i < n; i++) out[i] = t.v[off + i];
}

static void lower_tuple(Low *L, IrVal *v, LLVMValueRef *out)
{
  uint32_t k = 0;
  for (uint32_t i = 0; i < v->nargs; i++) {
    Leaves a = llvm_get(L, v->args[i]);
    for (uint32_t j = 0; j < a.n; j++) out[k++] = a.v[j];
  }
}

static void lower_select(Low *L, IrVal *v, LLVMValueRef *out, uint32_t n)
{
  LLVMValueRef c = llvm_get(L, v->args[0]).v[0];
  Leaves a = llvm_get(L, v->args[1]), b = llvm_get(L, v->args[2]);
  for (uint32_t i = 0; i < n; i++) out[i] = LLVMBuildSelect(L->B, c, a.v[i], b.v[i], "");
}

static void lower_ret(Low *L, IrVal *v)
{
  if (v->nargs) store_slots(L, LLVMGetParam(L->F, 0), v->args[0]);
  LLVMBuildRet(L->B, llvm_i32(L, 0));
}

/* -- raise ------------------------------------------------------------------ */

/* Append the type code of payload type 't' (jit/jit.h TC_*: b i f c n, 'N'
 * and NumPy's type character for sized scalars, tuples in parentheses) to
 * 'out' at '*n'; false for a type a raise cannot carry (infer refuses it). */
static bool paycode(Low *L, IrType t, char *out, size_t *n, size_t cap)
{
  const IrTypeInfo *ti = ir_type_info(L->ctx, t);
  const char *c = NULL;
  char sized[3] = "N?";
  if (*n + 3 >= cap) return false;
  switch (ti->kind) {
  case IRK_BOOL: c = "b"; break;
  case IRK_PYINT: c = "i"; break;
  case IRK_NONE: c = "n"; break;
  case IRK_FLOAT: c = ti->bits == 64 ? "f" : "Nf"; break;
  case IRK_COMPLEX: c = ti->bits == 128 ? "c" : "NF"; break;
  case IRK_INT: case IRK_UINT: {   /* NumPy's characters: ORDER DCHAR (jit/array.c) */
    int k = ti->bits == 8 ? 0 : ti->bits == 16 ? 1 : ti->bits == 32 ? 2 : 3;
    sized[1] = (ti->kind == IRK_INT ? "bhiq" : "BHIQ")[k];
    c = sized;
    break;
  }
  case IRK_TUPLE:
    out[(*n)++] = '(';
    for (int i = 0; i < ti->nelem; i++)
      if (!paycode(L, ti->elem[i], out, n, cap)) return false;
    if (*n + 1 >= cap) return false;
    out[(*n)++] = ')';
    out[*n] = 0;
    return true;
  default: return false;
  }
  *n += (size_t)sprintf(out + *n, "%s", c);
  return true;
}

/* raise USER: EmErr.what = "<codes of the values>:<aux.s>", the values' leaves in EmErr.pay. */
static void user_payload(Low *L, IrVal *v)
{
  size_t cap = 2 * EM_NPAY + 2 * 64 + 4, n = 0, tl = strlen(v->aux.s ? v->aux.s : "");
  char *codes = ir_alloc(L->ctx, cap + tl + 2);
  uint32_t slot = 0;
  for (uint32_t i = 0; i < v->nargs; i++) {
    IrType t = ir_val(L->fn, v->args[i])->type;
    uint32_t k = nleaves(L, t);
    if (!paycode(L, t, codes, &n, cap) || slot + k > EM_NPAY) {
      char tn[128];
      llvm_fail(L, "raise: cannot carry a value of type %s", ir_type_name(L->ctx, t, tn, sizeof tn));
      return;
    }
    store_slots(L, errfield_at(L, offsetof(EmErr, pay) + 8 * slot), v->args[i]);
    slot += k;
  }
  LLVMBuildStore(L->B, llvm_i32(L, (int32_t)slot), errfield_at(L, offsetof(EmErr, npay)));
  codes[n++] = ':';
  memcpy(codes + n, v->aux.s ? v->aux.s : "", tl + 1);
  LLVMBuildStore(L->B, const_bytes(L, codes, n + tl, "ember.what"), errfield_at(L, offsetof(EmErr, what)));
}

/* raise: EmErr.what (the unbound local's name, or a USER exception and its values), then the error. */
static void lower_raise(Low *L, IrVal *v)
{
  if (v->aux.v.i == RT_USER) user_payload(L, v);
  else if (v->aux.s)
    LLVMBuildStore(L->B, const_bytes(L, v->aux.s, strlen(v->aux.s), "ember.what"), errfield_at(L, offsetof(EmErr, what)));
  llvm_checkk(L, LLVMConstInt(L->i1, 1, 0), (IrRtErr)v->aux.v.i);
  LLVMBuildUnreachable(L->B);   /* the 'ok' block of an always-failing check */
}

/* print's code of value type 't': paycode's, and arrays as jit/array.c's
 * 'A' NumPy-type-character ndim layout; false for a type print cannot carry. */
static bool printcode(Low *L, IrType t, char *out, size_t *n, size_t cap)
{
  const IrTypeInfo *ti = ir_type_info(L->ctx, t);
  if (ti->kind != IRK_ARRAY) return paycode(L, t, out, n, cap);
  char dc[4] = "";
  if (!paycode(L, ti->elem[0] == IRT_F16 ? IRT_F32 : ti->elem[0], dc, &(size_t){0}, sizeof dc) || *n + 5 >= cap) return false;
  char c = ti->elem[0] == IRT_F16 ? 'e' : dc[0] == 'N' ? dc[1] : dc[0] == 'f' ? 'd' : dc[0] == 'c' ? 'D' : '?';
  *n += (size_t)sprintf(out + *n, "A%c%c%c", c, '0' + ti->ndim, ti->layout);
  return true;
}

/* print (frontend/print.c): the values' leaves in a buffer, then
 * ember_rt_print("<codes>:<aux.s>", buffer) (targets/native/runtime.c). */
static void lower_print(Low *L, IrVal *v)
{
  size_t cap = 8 * v->nargs + 8, n = 0, tl = strlen(v->aux.s ? v->aux.s : "");
  char *codes = ir_alloc(L->ctx, cap + tl + 2);
  uint32_t slots = 0;
  for (uint32_t i = 0; i < v->nargs; i++) {
    IrType t = ir_val(L->fn, v->args[i])->type;
    if (!printcode(L, t, codes, &n, cap)) {
      char tn[128];
      llvm_fail(L, "print: cannot carry a value of type %s", ir_type_name(L->ctx, t, tn, sizeof tn));
      return;
    }
    slots += nleaves(L, t);
  }
  LLVMValueRef buf = llvm_alloca(L, LLVMArrayType(L->i64, slots ? slots : 1), "print");
  for (uint32_t i = 0, k = 0; i < v->nargs; i++) {
    LLVMValueRef idx[1] = {llvm_i64(L, k)};
    store_slots(L, LLVMBuildInBoundsGEP2(L->B, L->i64, buf, idx, 1, ""), v->args[i]);
    k += nleaves(L, ir_val(L->fn, v->args[i])->type);
  }
  codes[n++] = ':';
  memcpy(codes + n, v->aux.s ? v->aux.s : "", tl + 1);
  LLVMTypeRef ptr = LLVMPointerTypeInContext(L->C, 0);
  LLVMTypeRef ps[2] = {ptr, ptr};
  LLVMValueRef as[2] = {const_bytes(L, codes, n + tl, "ember.print"), buf};
  llvm_callext(L, "ember_rt_print", LLVMVoidTypeInContext(L->C), ps, as, 2, false);
}

/* Lower instruction 'r' at the builder's position. */
static void lower_inst(Low *L, IrRef r)
{
  IrVal *v = ir_val(L->fn, r);
  L->line = v->line;
  L->wrap = L->modular && L->modular[r];
  uint32_t n = nleaves(L, v->type);
  LLVMValueRef *out = ir_alloc(L->ctx, (n ? n : 1) * sizeof *out);
  L->val[r] = (Leaves){n, out};
  switch ((IrOp)v->op) {
  case IR_NOP: case IR_PARAM: case IR_GLOBAL: case IR_FUNCREF: case IR_BUILTIN: case IR_MODREF:
  case IR_ATTR: break;
  case IR_CONST: lower_const(L, v, out); break;
  case IR_ADD: case IR_SUB: case IR_MUL: case IR_TRUEDIV: case IR_FLOORDIV: case IR_MOD:
  case IR_POW: case IR_LSHIFT: case IR_RSHIFT: case IR_BAND: case IR_BOR: case IR_BXOR:
  case IR_NEG: case IR_POS: case IR_INVERT: case IR_NOT: case IR_TRUTH:
  case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE: case IR_CVT:
    if (ir_type_info(L->ctx, v->type)->kind == IRK_ARRAY) llvm_array(L, v, out);
    else llvm_arith(L, v, out);
    break;
  case IR_ASHAPE: case IR_ASTRIDE: case IR_ADATA: case IR_BOUNDS: case IR_ALOAD: case IR_ASTORE: case IR_AVIEW:
  case IR_AALLOC: case IR_GUARD: case IR_ACONST:
    llvm_array(L, v, out); break;
  case IR_LNEW: case IR_LLEN: case IR_LGET: case IR_LSET: case IR_LAPPEND: case IR_LRESIZE:
    llvm_list(L, v, out); break;
  case IR_DNEW: case IR_DLEN: case IR_DFIND: case IR_DGET: case IR_DSET: case IR_DDEL: case IR_DKEY: case IR_DVAL:
  case IR_DPACK: case IR_DCLEAR: case IR_DVIEW: case IR_DCOPY:
    llvm_dict(L, v, out); break;
  case IR_TUPLE: lower_tuple(L, v, out); break;
  case IR_EXTRACT: lower_extract(L, v, out, n); break;
  case IR_SELECT: lower_select(L, v, out, n); break;
  case IR_INTRIN: llvm_intrin(L, v, out); break;
  case IR_CALLFN: lower_callfn(L, v, out); break;
  case IR_RANGE: lower_range(L, v, out); break;
  case IR_GETITER: case IR_ITERHAS: case IR_ITERNEXT:
    if (llvm_list_iter(L, v, out)) break;   /* a list's iterator */
    if (v->op == IR_GETITER) lower_getiter(L, v, out);
    else if (v->op == IR_ITERHAS) lower_iterhas(L, v, out);
    else lower_iternext(L, v, out);
    break;
  case IR_BR: br_succ(L, &v->succ[0]); break;
  case IR_CBR: if (L->ifjoin[v->blk]) lower_ifconv(L, v); else lower_cbr(L, v); break;
  case IR_RET: lower_ret(L, v); break;
  case IR_RAISE: lower_raise(L, v); break;
  case IR_PRINT: lower_print(L, v); break;
  case IR_UNREACH: LLVMBuildUnreachable(L->B); break;
  default: llvm_fail(L, "%s is not supported by the LLVM lowering", ir_opinfo[v->op].text);
  }
  if (L->failed) {   /* keep the module well formed enough to dispose */
    uint32_t m;
    LLVMTypeRef *ts = types_of(L, v->type, &m);
    for (uint32_t i = 0; i < m; i++) if (!out[i]) out[i] = LLVMGetUndef(ts[i]);
  }
}

/* -- Cleanup of iterator phis ---------------------------------------------- */

/* Replace pointer phis whose incoming values are all one value (or the phi
 * itself) by that value, so SROA sees the cursor alloca directly. */
static void fold_ptr_phis(Low *L)
{
  bool changed = true;
  while (changed) {
    changed = false;
    for (uint32_t b = 0; b < L->fn->nblocks; b++) {
      if (!L->phis[b]) continue;
      IrBlock *bk = ir_blk(L->fn, b);
      uint32_t k = 0;
      for (uint32_t i = 0; i < bk->nparams; i++) {
        Leaves p = L->val[bk->params[i]];
        for (uint32_t j = 0; j < p.n; j++, k++) {
          LLVMValueRef phi = L->phis[b][k];
          if (!phi || LLVMTypeOf(phi) != L->ptr || !LLVMIsAPHINode(phi)) continue;
          LLVMValueRef same = NULL;
          bool ok = true;
          for (unsigned q = 0; q < LLVMCountIncoming(phi); q++) {
            LLVMValueRef in = LLVMGetIncomingValue(phi, q);
            if (in == phi || in == same) continue;
            if (same) { ok = false; break; }
            same = in;
          }
          if (!ok || !same) continue;
          LLVMReplaceAllUsesWith(phi, same);
          LLVMInstructionEraseFromParent(phi);
          L->phis[b][k] = same;
          changed = true;
        }
      }
    }
  }
}

/* -- Ints observed modulo 2**64 --------------------------------------------- */
/* A Python int result needs no overflow check when every use of it observes
 * only its low 64 bits, for then the wrapped i64 gives CPython's exact
 * answer (fib's `a, b = b, a + b` read only as `a & 1023`).  Uses that keep
 * to the low bits: + - * unary - ~ & | ^ << (left operand) whose result is
 * itself modular, a select's chosen values, block arguments of a modular
 * parameter; and uses exact from the low bits whatever follows: & with a
 * constant >= 0, % by a constant power of two.  Greatest fixpoint: every int
 * starts modular; a use needing the whole value clears its operand, and a
 * cleared value clears what it passes on (its operands, or the arguments
 * branches pass to it as a parameter). */

enum { USE_EXACT, USE_LOW, USE_THROUGH };   /* needs all bits / low bits suffice / modular iff the user is */

static bool is_pyint(Low *L, IrRef r)
{
  return ir_type_info(L->ctx, ir_val(L->fn, r)->type)->kind == IRK_PYINT;
}

/* Constant int value of 'r' in '*c'? */
static bool const_int(Low *L, IrRef r, int64_t *c)
{
  IrVal *v = ir_val(L->fn, r);
  if (v->op != IR_CONST || !is_pyint(L, r)) return false;
  *c = v->aux.v.i;
  return true;
}

/* How user 'u' uses its operand 'i' (an int). */
static int use_kind(Low *L, IrRef u, uint32_t i)
{
  IrVal *v = ir_val(L->fn, u);
  int64_t c;
  switch ((IrOp)v->op) {
  case IR_ADD: case IR_SUB: case IR_MUL: case IR_NEG: case IR_POS: case IR_INVERT:
  case IR_BOR: case IR_BXOR:
    return is_pyint(L, u) ? USE_THROUGH : USE_EXACT;
  case IR_BAND:
    if (!is_pyint(L, u)) return USE_EXACT;
    return const_int(L, v->args[1 - i], &c) && c >= 0 ? USE_LOW : USE_THROUGH;
  case IR_LSHIFT: return i == 0 && is_pyint(L, u) ? USE_THROUGH : USE_EXACT;
  case IR_MOD: return i == 0 && const_int(L, v->args[1], &c) && c > 0 && !(c & (c - 1)) ? USE_LOW : USE_EXACT;
  case IR_SELECT: return i > 0 ? USE_THROUGH : USE_EXACT;
  default: return USE_EXACT;
  }
}

typedef struct { IrRef term; uint32_t succ; } Edge;

/* Clear 'r' (it needs all its bits) and queue it. */
static void clear_mod(Low *L, IrRef r, IrRef *stack, uint32_t *sp)
{
  if (!L->modular[r]) return;
  L->modular[r] = 0;
  stack[(*sp)++] = r;
}

/* Clear what cleared value 'w' passes on. */
static void clear_through(Low *L, IrRef w, IrRef *stack, uint32_t *sp, Edge **in, uint32_t *nin)
{
  IrVal *v = ir_val(L->fn, w);
  if (v->op != IR_PARAM) {
    for (uint32_t i = 0; i < v->nargs; i++)
      if (use_kind(L, w, i) == USE_THROUGH) clear_mod(L, v->args[i], stack, sp);
    return;
  }
  IrBlock *bk = ir_blk(L->fn, v->blk);
  uint32_t j = 0;
  while (j < bk->nparams && bk->params[j] != w) j++;
  for (uint32_t e = 0; e < nin[v->blk]; e++) {
    IrSucc *s = &ir_val(L->fn, in[v->blk][e].term)->succ[in[v->blk][e].succ];
    if (j < s->nargs) clear_mod(L, s->args[j], stack, sp);
  }
}

/* Fill L->modular for the blocks 'rpo' ('n' of them). */
static void fill_modular(Low *L, const IrBlk *rpo, uint32_t n)
{
  IrFunc *fn = L->fn;
  L->modular = ir_alloc(L->ctx, fn->nvals);
  IrRef *stack = ir_alloc(L->ctx, fn->nvals * sizeof *stack);
  uint32_t sp = 0, *nin = ir_alloc(L->ctx, fn->nblocks * sizeof *nin);
  Edge **in = ir_alloc(L->ctx, fn->nblocks * sizeof *in);
  for (IrRef r = 1; r < fn->nvals; r++) L->modular[r] = is_pyint(L, r);
  for (uint32_t k = 0; k < n; k++) {   /* incoming edges, for parameters */
    IrRef t = ir_block_term(fn, rpo[k]);
    for (uint32_t i = 0; t && i < ir_val(fn, t)->nsucc; i++) nin[ir_val(fn, t)->succ[i].blk]++;
  }
  for (IrBlk b = 0; b < fn->nblocks; b++) { in[b] = ir_alloc(L->ctx, (nin[b] ? nin[b] : 1) * sizeof(Edge)); nin[b] = 0; }
  for (uint32_t k = 0; k < n; k++) {
    IrRef t = ir_block_term(fn, rpo[k]);
    for (uint32_t i = 0; t && i < ir_val(fn, t)->nsucc; i++) {
      IrBlk s = ir_val(fn, t)->succ[i].blk;
      in[s][nin[s]++] = (Edge){t, i};
    }
  }
  for (uint32_t k = 0; k < n; k++) {   /* uses that need the whole value */
    IrBlock *bk = ir_blk(fn, rpo[k]);
    for (uint32_t j = 0; j < bk->ninsts; j++) {
      IrVal *v = ir_val(fn, bk->insts[j]);
      for (uint32_t i = 0; i < v->nargs; i++)
        if (use_kind(L, bk->insts[j], i) == USE_EXACT) clear_mod(L, v->args[i], stack, &sp);
    }
  }
  while (sp) clear_through(L, stack[--sp], stack, &sp, in, nin);
}

/* -- If-conversion -------------------------------------------------------- */
/* A branch whose arms are a few cheap instructions that cannot fail (or can
 * only overflow an int) becomes straight code and selects: both arms run in
 * the branching block, each arm's overflow checks are deferred (L->pend)
 * and raised after the selects only for the arm the condition picks, behind
 * a cold guard that needs no arm condition (check_sides).  This turns
 * Collatz's unpredictable parity branch into a cmov; LLVM's own
 * if-conversion would not, as the checks' branches stay in the arms.  Arms
 * are absorbed blocks (L->arm): one predecessor, ending in a jump to the join. */

#define ARM_MAX 4   /* cost of one arm (instructions that are not free) */

static IrKind kind_of(Low *L, IrRef r) { return ir_type_info(L->ctx, ir_val(L->fn, r)->type)->kind; }

/* Is 'r' a Python int or a float64 or a bool (kinds the arms may compute on)? */
static bool plain(Low *L, IrRef r)
{
  const IrTypeInfo *ti = ir_type_info(L->ctx, ir_val(L->fn, r)->type);
  return ti->kind == IRK_PYINT || ti->kind == IRK_BOOL || (ti->kind == IRK_FLOAT && ti->bits == 64);
}

/* Cost of running instruction 'r' unconditionally, or -1 if it may fail
 * (other than int overflow), has an effect, or is not cheap. */
static int spec_cost(Low *L, IrRef r)
{
  IrVal *v = ir_val(L->fn, r);
  int64_t c;
  for (uint32_t i = 0; i < v->nargs; i++) if (!plain(L, v->args[i])) return -1;
  if (v->op != IR_CONST && !plain(L, r)) return -1;
  switch ((IrOp)v->op) {
  case IR_CONST: case IR_POS: return 0;
  case IR_ADD: case IR_SUB: case IR_MUL: case IR_NEG: case IR_BAND: case IR_BOR: case IR_BXOR:
  case IR_INVERT: case IR_NOT: case IR_TRUTH: case IR_SELECT:
    return 1;
  case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE:
    return ir_val(L->fn, v->args[0])->type == ir_val(L->fn, v->args[1])->type ? 1 : -1;
  case IR_FLOORDIV: case IR_MOD:   /* by a constant > 0: no zero division; 2**k is a shift */
    if (kind_of(L, r) != IRK_PYINT || !const_int(L, v->args[1], &c) || c <= 0) return -1;
    return c & (c - 1) ? 3 : 1;
  case IR_LSHIFT: case IR_RSHIFT:
    return kind_of(L, r) == IRK_PYINT && const_int(L, v->args[1], &c) && c >= 0 && c < 64 ? 1 : -1;
  case IR_CVT: {   /* bool -> int, int or bool -> float */
    IrKind f = kind_of(L, v->args[0]), t = kind_of(L, r);
    return (f == IRK_BOOL && t != IRK_BOOL) || (f == IRK_PYINT && t == IRK_FLOAT) ? 1 : -1;
  }
  default: return -1;
  }
}

/* Can block 'a', entered from 'p' only, run unconditionally in 'p'?  Its join in '*j'. */
static bool is_arm(Low *L, IrBlk a, IrBlk p, const uint32_t *npred, const uint32_t *order, IrBlk *j)
{
  IrBlock *bk = ir_blk(L->fn, a);
  if (npred[a] != 1 || order[a] <= order[p] || !bk->ninsts) return false;
  IrVal *t = ir_val(L->fn, bk->insts[bk->ninsts - 1]);
  if (t->op != IR_BR || t->succ[0].blk == a || t->succ[0].blk == p) return false;
  int cost = 0;
  for (uint32_t i = 0; i + 1 < bk->ninsts; i++) {
    int k = spec_cost(L, bk->insts[i]);
    if (k < 0 || (cost += k) > ARM_MAX) return false;
  }
  *j = t->succ[0].blk;
  return true;
}

/* Mark the branches to if-convert (L->ifjoin, join + 1) and their arms (L->arm). */
static void plan_ifconv(Low *L, const IrBlk *rpo, uint32_t n)
{
  IrFunc *fn = L->fn;
  uint32_t *npred = ir_alloc(L->ctx, fn->nblocks * sizeof *npred), *order = ir_alloc(L->ctx, fn->nblocks * sizeof *order);
  L->arm = ir_alloc(L->ctx, fn->nblocks);
  L->ifjoin = ir_alloc(L->ctx, fn->nblocks * sizeof *L->ifjoin);
  for (uint32_t k = 0; k < n; k++) {
    order[rpo[k]] = k;
    IrRef t = ir_block_term(fn, rpo[k]);
    for (uint32_t i = 0; t && i < ir_val(fn, t)->nsucc; i++) npred[ir_val(fn, t)->succ[i].blk]++;
  }
  for (uint32_t k = 0; k < n; k++) {
    IrRef t = ir_block_term(fn, rpo[k]);
    if (!t || ir_val(fn, t)->op != IR_CBR || L->arm[rpo[k]]) continue;
    IrSucc *s = ir_val(fn, t)->succ;
    IrBlk j0 = s[0].blk, j1 = s[1].blk;
    bool a0 = is_arm(L, s[0].blk, rpo[k], npred, order, &j0);
    bool a1 = s[1].blk != s[0].blk && is_arm(L, s[1].blk, rpo[k], npred, order, &j1);
    if (j0 != j1 || (!a0 && !a1 && s[0].blk != s[1].blk)) continue;
    L->ifjoin[rpo[k]] = j0 + 1;
    if (a0) L->arm[s[0].blk] = 1;
    if (a1) L->arm[s[1].blk] = 1;
  }
}

/* Append the leaves of 'args' to 'out' at '*n'. */
static void flat_args(Low *L, const IrRef *args, uint32_t nargs, LLVMValueRef *out, uint32_t *n)
{
  for (uint32_t i = 0; i < nargs; i++) {
    Leaves a = llvm_get(L, args[i]);
    for (uint32_t j = 0; j < a.n; j++) out[(*n)++] = a.v[j];
  }
}

/* Lower one side 's' of if-converted branch 'v' (arm or direct edge): its
 * join arguments into 'out'; its deferred overflow checks into '*p'. */
static void lower_side(Low *L, IrSucc *s, LLVMValueRef cond, LLVMValueRef *out, Pend *p)
{
  uint32_t n = 0;
  *p = (Pend){NULL, NULL, NULL};
  if (!L->arm[s->blk]) { flat_args(L, s->args, s->nargs, out, &n); return; }
  IrBlock *bk = ir_blk(L->fn, s->blk);
  for (uint32_t i = 0; i < bk->nparams && i < s->nargs; i++) L->val[bk->params[i]] = llvm_get(L, s->args[i]);
  L->spec = true; L->armcond = cond; L->pend = *p;
  for (uint32_t i = 0; i + 1 < bk->ninsts; i++) lower_inst(L, bk->insts[i]);
  L->spec = false;
  *p = L->pend;
  IrSucc *t = &ir_val(L->fn, bk->insts[bk->ninsts - 1])->succ[0];
  flat_args(L, t->args, t->nargs, out, &n);
}

static LLVMValueRef or_of(Low *L, LLVMValueRef a, LLVMValueRef b)
{
  return !a ? b : !b ? a : LLVMBuildOr(L->B, a, b, "");
}

static LLVMValueRef sel_or(Low *L, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
  return a == b ? a : LLVMBuildSelect(L->B, c, a, b, "");
}

/* The deferred checks of both sides: a cold branch on the guard (tests like
 * Collatz's `x` in [-(2**63) // 3, (2**63 - 1) // 3], whichever arm is
 * taken) and behind it the exact test of the arm taken.  Checking the
 * exact test inline cost Collatz a third more time (52 vs 39 ms). */
static void check_sides(Low *L, LLVMValueRef c, Pend *p)
{
  LLVMValueRef guard = or_of(L, p[0].guard, p[1].guard), bad = or_of(L, p[0].bad, p[1].bad);
  if (!guard) return;
  LLVMValueRef line = !p[0].bad ? p[1].line : !p[1].bad ? p[0].line : sel_or(L, c, p[0].line, p[1].line);
  LLVMBasicBlockRef slow = llvm_newbb(L, "slow"), ok = llvm_newbb(L, "ok");
  set_cold(L, LLVMBuildCondBr(L->B, guard, slow, ok));
  LLVMPositionBuilderAtEnd(L->B, slow);
  check_at(L, bad, llvm_i32(L, RT_INT_OVERFLOW), line);
  LLVMBuildBr(L->B, ok);
  LLVMPositionBuilderAtEnd(L->B, ok);
}

/* Branch 'v' planned by plan_ifconv: both arms here, selects, the checks, jump. */
static void lower_ifconv(Low *L, IrVal *v)
{
  IrBlk j = L->ifjoin[v->blk] - 1;
  IrBlock *jb = ir_blk(L->fn, j);
  uint32_t n = 0;
  for (uint32_t i = 0; i < jb->nparams; i++) n += nleaves(L, ir_val(L->fn, jb->params[i])->type);
  LLVMValueRef c = llvm_get(L, v->args[0]).v[0], nc = LLVMBuildNot(L->B, c, "");
  LLVMValueRef *x = ir_alloc(L->ctx, (2 * n + 1) * sizeof *x), *y = x + n;
  Pend p[2];
  lower_side(L, &v->succ[0], c, x, &p[0]);
  lower_side(L, &v->succ[1], nc, y, &p[1]);
  L->line = v->line;
  for (uint32_t i = 0; i < n; i++) x[i] = sel_or(L, c, x[i], y[i]);
  check_sides(L, c, p);
  LLVMBasicBlockRef cur = LLVMGetInsertBlock(L->B);
  for (uint32_t i = 0; i < n; i++) LLVMAddIncoming(L->phis[j][i], &x[i], &cur, 1);
  LLVMBuildBr(L->B, L->bb[j]);
}

/* -- Driver ------------------------------------------------------------------ */

static void init_low(Low *L, IrFunc *fn, LLVMModuleRef M, const TgOptions *opt, char *err, size_t errsize)
{
  memset(L, 0, sizeof *L);
  L->fn = fn; L->ctx = fn->ctx; L->opt = opt; L->M = M;
  L->C = LLVMGetModuleContext(M);
  L->B = LLVMCreateBuilderInContext(L->C);
  L->i1 = LLVMInt1TypeInContext(L->C);
  L->i32 = LLVMInt32TypeInContext(L->C);
  L->i64 = LLVMInt64TypeInContext(L->C);
  L->f64 = LLVMDoubleTypeInContext(L->C);
  L->ptr = LLVMPointerTypeInContext(L->C, 0);
  L->err = err; L->errsize = errsize;
  L->prof_kind = LLVMGetMDKindIDInContext(L->C, "prof", 4);
  LLVMMetadataRef md[3] = {
    LLVMMDStringInContext2(L->C, "branch_weights", 14),
    LLVMValueAsMetadata(llvm_i32(L, 1)),
    LLVMValueAsMetadata(llvm_i32(L, 1 << 20)),
  };
  L->cold_w = LLVMMetadataAsValue(L->C, LLVMMDNodeInContext2(L->C, md, 3));
  L->val = ir_alloc(L->ctx, fn->nvals * sizeof *L->val);
  L->bb = ir_alloc(L->ctx, fn->nblocks * sizeof *L->bb);
  L->phis = ir_alloc(L->ctx, fn->nblocks * sizeof *L->phis);
}

/* Innermost loops that convert floats to ints (int(x), a histogram's bin)
 * cannot vectorize (the conversion's check leaves the loop) and LLVM does
 * not unroll a loop with a second exit by itself: their back edges ask for
 * 4 copies (llvm.loop.unroll.count), so that the conversions' latencies
 * overlap, as in Numba's loop (8 copies, no check).  A loop is the RPO range
 * from a header to its last back edge (Python's loops are structured). */
static void mark_unroll(Low *L, const IrBlk *rpo, uint32_t n, const uint8_t *f2i, LLVMBasicBlockRef *last)
{
  IrFunc *fn = L->fn;
  uint32_t *pos = ir_alloc(L->ctx, fn->nblocks * sizeof *pos), *end = ir_alloc(L->ctx, n * sizeof *end);
  uint8_t *head = ir_alloc(L->ctx, n);
  for (uint32_t k = 0; k < n; k++) { pos[rpo[k]] = k; end[k] = 0; head[k] = 0; }
  bool any = false;
  for (uint32_t k = 0; k < n; k++) {   /* end[h]: position of the last back edge into the header at h */
    IrRef t = L->arm[rpo[k]] ? 0 : ir_block_term(fn, rpo[k]);
    for (uint32_t i = 0; t && i < ir_val(fn, t)->nsucc; i++) {
      uint32_t h = pos[ir_val(fn, t)->succ[i].blk];
      if (h <= k && k >= end[h]) end[h] = k, head[h] = 1, any = true;
    }
  }
  if (!any) return;
  unsigned kind = LLVMGetMDKindIDInContext(L->C, "llvm.loop", 9);
  for (uint32_t h = 0; h < n; h++) {
    if (!head[h]) continue;
    bool inner = true, conv = false;
    for (uint32_t k = h; k <= end[h]; k++) {
      if (k > h && head[k]) inner = false;
      conv |= f2i[rpo[k]];
    }
    if (!inner || !conv) continue;
    LLVMMetadataRef cnt[2] = {LLVMMDStringInContext2(L->C, "llvm.loop.unroll.count", 22),
                              LLVMValueAsMetadata(llvm_i32(L, 4))};
    LLVMMetadataRef tmp = LLVMTemporaryMDNode(L->C, NULL, 0);
    LLVMMetadataRef ops[2] = {tmp, LLVMMDNodeInContext2(L->C, cnt, 2)};
    LLVMMetadataRef id = LLVMMDNodeInContext2(L->C, ops, 2);
    LLVMMetadataReplaceAllUsesWith(tmp, id);   /* a loop id names itself */
    LLVMValueRef md = LLVMMetadataAsValue(L->C, id);
    for (uint32_t k = h; k <= end[h]; k++) {
      if (L->arm[rpo[k]] || !last[rpo[k]]) continue;
      LLVMValueRef br = LLVMGetBasicBlockTerminator(last[rpo[k]]);
      for (unsigned i = 0; br && i < LLVMGetNumSuccessors(br); i++)
        if (LLVMGetSuccessor(br, i) == L->bb[rpo[h]]) { LLVMSetMetadata(br, kind, md); break; }
    }
  }
}

/* The inner function: signature, blocks, phis, body. */
static void emit_inner(Low *L, const char *sym)
{
  IrFunc *fn = L->fn;
  IrBlock *b0 = ir_blk(fn, 0);
  LLVMTypeRef ft = inner_type(L, b0->params, b0->nparams, false);
  L->F = LLVMGetNamedFunction(L->M, sym);
  if (!L->F) L->F = LLVMAddFunction(L->M, sym, ft);
  LLVMSetVisibility(L->F, LLVMProtectedVisibility);   /* local calls bind directly, no PLT */
  mark_inner(L, L->F);
  L->entry = llvm_newbb(L, "entry");
  IrBlk *rpo = ir_alloc(L->ctx, fn->nblocks * sizeof *rpo);
  uint32_t nrpo = ir_fill_rpo(fn, rpo);
  fill_modular(L, rpo, nrpo);
  plan_ifconv(L, rpo, nrpo);
  for (uint32_t i = 0; i < nrpo; i++) if (!L->arm[rpo[i]]) L->bb[rpo[i]] = llvm_newbb(L, "");
  for (uint32_t i = 0; i < nrpo; i++) if (!L->arm[rpo[i]]) make_phis(L, rpo[i]);
  /* Entry: parameters flow into block 0's phis. */
  LLVMPositionBuilderAtEnd(L->B, L->entry);
  for (uint32_t k = 0, n = 0; k < b0->nparams; k++) {
    Leaves p = L->val[b0->params[k]];
    for (uint32_t j = 0; j < p.n; j++) {
      LLVMValueRef a = LLVMGetParam(L->F, 2 + n++);
      LLVMAddIncoming(p.v[j], &a, &L->entry, 1);
    }
  }
  uint8_t *f2i = ir_alloc(L->ctx, fn->nblocks);
  LLVMBasicBlockRef *last = ir_alloc(L->ctx, fn->nblocks * sizeof *last);
  for (uint32_t i = 0; i < nrpo && !L->failed; i++) {
    if (L->arm[rpo[i]]) continue;   /* lowered with its branch */
    IrBlock *bk = ir_blk(fn, rpo[i]);
    LLVMPositionBuilderAtEnd(L->B, L->bb[rpo[i]]);
    L->f2i = false;
    for (uint32_t j = 0; j < bk->ninsts; j++) lower_inst(L, bk->insts[j]);
    if (!ir_block_term(fn, rpo[i])) LLVMBuildUnreachable(L->B);
    f2i[rpo[i]] = L->f2i;
    last[rpo[i]] = LLVMGetInsertBlock(L->B);
  }
  LLVMPositionBuilderAtEnd(L->B, L->entry);
  LLVMBuildBr(L->B, L->bb[0]);
  if (!L->failed) fold_ptr_phis(L);
  if (!L->failed) mark_unroll(L, rpo, nrpo, f2i, last);
}

/* The C entry: unpack the argument slots, call the inner function. */
static void emit_entry(Low *L, const char *sym)
{
  char name[512];
  snprintf(name, sizeof name, "%s_entry", sym);
  LLVMTypeRef ps[3] = {L->ptr, L->ptr, L->ptr};
  LLVMValueRef e = LLVMAddFunction(L->M, name, LLVMFunctionType(L->i32, ps, 3, 0));
  add_fnattr(L, e, "nounwind", 0);
  LLVMBuilderRef B = L->B;
  LLVMPositionBuilderAtEnd(B, LLVMAppendBasicBlockInContext(L->C, e, "entry"));
  IrBlock *b0 = ir_blk(L->fn, 0);
  uint32_t cap = 2;
  for (uint32_t i = 0; i < b0->nparams; i++) cap += nleaves(L, ir_val(L->fn, b0->params[i])->type);
  LLVMTypeRef *ts = ir_alloc(L->ctx, cap * sizeof *ts);
  LLVMValueRef *args = ir_alloc(L->ctx, cap * sizeof *args);
  uint32_t n = 0;
  for (uint32_t i = 0; i < b0->nparams; i++) leaf_types(L, ir_val(L->fn, b0->params[i])->type, ts, &n);
  args[0] = LLVMGetParam(e, 1);
  args[1] = LLVMGetParam(e, 2);
  load_slots(L, LLVMGetParam(e, 0), ts, n, args + 2);
  LLVMValueRef rc = LLVMBuildCall2(B, LLVMGlobalGetValueType(L->F), L->F, args, n + 2, "");
  unsigned k = LLVMGetEnumAttributeKindForName("noinline", 8);   /* the inliner copies callees into loops, not here */
  LLVMAddCallSiteAttribute(rc, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(L->C, k, 0));
  LLVMBuildRet(B, rc);
}

int llvm_emit_func(IrFunc *fn, const char *sym, LLVMModuleRef M, const TgOptions *opt,
                   char *err, size_t errsize)
{
  Low L;
  init_low(&L, fn, M, opt, err, errsize);
  emit_inner(&L, sym);
  if (!L.failed) emit_entry(&L, sym);
  LLVMDisposeBuilder(L.B);
  return L.failed ? -1 : 0;
}
