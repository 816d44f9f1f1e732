/* frontend/decode.c: CPython 3.10-3.13 code bytes to stable instructions.
 *
 * Every version quirk ends here.  One pass over the code units:
 *   - EXTENDED_ARG prefixes widen the next oparg; inline CACHE units
 *     (3.11+) are skipped using the table's ncache column;
 *   - jump targets become instruction indices: 3.10 counts in code units
 *     from the next instruction (relative) or from 0 (absolute); 3.11+
 *     relative jumps count from the end of the instruction's caches, and
 *     backward kinds subtract;
 *   - superinstructions split (LOAD_FAST_LOAD_FAST, STORE_FAST_STORE_FAST,
 *     STORE_FAST_LOAD_FAST, DUP_TOP_TWO), RETURN_CONST becomes LOAD_CONST +
 *     RETURN, keyword-name tuples (KW_NAMES, CALL_FUNCTION_KW and CALL_KW's
 *     LOAD_CONST) fold into the call, the NULL/self slot of calls is recorded
 *     as a layout (FN_BELOW up to 3.12, FN_ABOVE in 3.13, FN_NONE for 3.10's
 *     CALL_FUNCTION), FOR_ITER's exit skips 3.12/3.13's END_FOR (and 3.13's
 *     POP_TOP) so that the exit edge always has the iterator popped;
 *   - 3.12+ inlined comprehensions (PEP 709): LOAD_FAST_AND_CLEAR saves the
 *     variable with an unchecked load (the restoring STORE_FAST puts it
 *     back), and the cleanup handlers of the exception table that restore
 *     the variables when the body raises are not decoded;
 *   - list displays: BUILD_LIST, LIST_APPEND and LIST_EXTEND (a constant
 *     tuple for three or more constants, `[*t, x]`) and LIST_TO_TUPLE (an
 *     intrinsic from 3.12) become FD_BUILD_LIST, FD_LIST_APPEND,
 *     FD_LIST_EXTEND, FD_LIST_TO_TUPLE;
 *   - RAISE_VARARGS, LOAD_ASSERTION_ERROR and the f-string opcodes (3.10-3.12's
 *     FORMAT_VALUE flags; 3.13's CONVERT_VALUE, FORMAT_SIMPLE and
 *     FORMAT_WITH_SPEC) become FD_RAISE, FD_LOAD_ASSERT, FD_FORMAT, FD_CONVERT;
 *   - closures (frontend/nested.c): LOAD_DEREF and STORE_DEREF are fast
 *     locals (3.10: after co_varnames, an argument's cell the argument),
 *     MAKE_CELL, COPY_FREE_VARS and GEN_START nothing, LOAD_CLOSURE None;
 *     MAKE_FUNCTION folds its code constant (and 3.10's name) and becomes
 *     3.13's MAKE_FUNCTION + SET_FUNCTION_ATTRIBUTEs; a generator's
 *     YIELD_VALUE is FD_YIELD, RETURN_GENERATOR pushes None, and its 3.12+
 *     StopIteration handler (the only exception table a generator may have)
 *     is never entered;
 *   - COMPARE_OP's oparg (shifted by 4 in 3.12, by 5 in 3.13), BINARY_OP's
 *     NB_* kind and 3.10's BINARY_xxx and INPLACE_xxx all become IR opcodes.
 * A second pass resolves jump targets.  Unsupported opcodes are compile
 * errors at their source line; every index is bounds-checked.
 */
#include <string.h>

#include "fe.h"

typedef struct {
  IrCtx *ctx;
  const FeCode *co;
  const FeOpInfo *tab;
  FeInsn *ins;
  uint32_t n, cap;
  int32_t *unit2ins;     /* code unit -> first instruction emitted at or after it; -1 inside an instruction */
  int32_t kwnames;       /* 3.11/3.12 KW_NAMES pending for the next CALL, -1 if none */
  int32_t line;          /* line of the instruction being decoded */
} Dec;

_Noreturn static void bad(Dec *d, const char *what)
{
  ir_error(d->ctx, EM_ERR_BADCODE, d->line, what);
}

static FeInsn *emit(Dec *d, FeDop op, int32_t a, int32_t b)
{
  if (d->n == d->cap) {
    uint32_t cap = d->cap ? 2 * d->cap : 64;
    d->ins = ir_realloc(d->ctx, d->ins, d->cap * sizeof *d->ins, cap * sizeof *d->ins);
    d->cap = cap;
  }
  FeInsn *in = &d->ins[d->n++];
  memset(in, 0, sizeof *in);
  in->op = (uint8_t)op;
  in->a = a;
  in->b = b;
  in->target = -1;
  in->line = d->line;
  return in;
}

static int32_t local(Dec *d, uint32_t i)
{
  if (i >= d->co->nlocals) bad(d, "local index out of range");
  return (int32_t)i;
}

static int32_t name(Dec *d, uint32_t i)
{
  if (i >= d->co->nnames) bad(d, "name index out of range");
  return (int32_t)i;
}

static int32_t konst(Dec *d, uint32_t i)
{
  if (i >= d->co->nconsts) bad(d, "constant index out of range");
  return (int32_t)i;
}

/* Check that const 'i' is a tuple of strings (keyword names). */
static int32_t kwtuple(Dec *d, uint32_t i)
{
  const FeConst *c = &d->co->consts[konst(d, i)];
  if (c->kind != FE_CONST_TUPLE) bad(d, "keyword names are not a tuple");
  for (uint32_t k = 0; k < c->n; k++)
    if (c->elems[k].kind != FE_CONST_STR) bad(d, "keyword name is not a string");
  return (int32_t)i;
}

/* NB_* oparg of BINARY_OP (3.11+) to an IR opcode; in-place kinds are +13. */
static uint16_t nbop(Dec *d, uint32_t arg)
{
  static const uint16_t nb[13] = {
    IR_ADD, IR_BAND, IR_FLOORDIV, IR_LSHIFT, IR_MATMUL, IR_MUL, IR_MOD,
    IR_BOR, IR_POW, IR_RSHIFT, IR_SUB, IR_TRUEDIV, IR_BXOR};
  if (arg >= 26) bad(d, "BINARY_OP kind out of range");
  return nb[arg % 13];
}

static uint16_t cmpop(Dec *d, uint32_t arg)
{
  static const uint16_t cmp[6] = {IR_LT, IR_LE, IR_EQ, IR_NE, IR_GT, IR_GE};
  int v = d->co->pyversion;
  uint32_t k = v >= 313 ? arg >> 5 : v == 312 ? arg >> 4 : arg;
  if (k >= 6) bad(d, "COMPARE_OP kind out of range");
  return cmp[k];
}

/* A call with 'argc' arguments whose keyword names are const 'kw' (or -1). */
static void call(Dec *d, uint32_t argc, int32_t kw, uint8_t layout)
{
  if (kw >= 0 && d->co->consts[kw].n > argc) bad(d, "more keyword names than arguments");
  FeInsn *in = emit(d, FD_CALL, (int32_t)argc, kw);
  in->c = layout;
}

/* Fold the LOAD_CONST of keyword names just before a CALL_KW/CALL_FUNCTION_KW. */
static int32_t foldkw(Dec *d)
{
  if (!d->n || d->ins[d->n - 1].op != FD_LOAD_CONST) bad(d, "keyword call without names");
  int32_t k = kwtuple(d, (uint32_t)d->ins[d->n - 1].a);
  d->n--;
  return k;
}

/* The construct an exception table stands for, at the line of its first range. */
_Noreturn static void exctable_error(Dec *d, const char *construct)
{
  const FeCode *co = d->co;
  int32_t line = co->firstlineno;
  uint32_t start = 0, shift = 0, i = 0;
  for (; i < co->exctablelen; i++) {   /* varint: 6 bits a byte, bit 6 = more */
    if (shift < 30) start |= (uint32_t)(co->exctable[i] & 63) << shift;
    shift += 6;
    if (!(co->exctable[i] & 64)) break;
  }
  if (i < co->exctablelen && start < co->codelen / 2) {
    line = co->lines[start];
    /* the `try:` line is the NOP just before the protected range */
    const FeOpInfo *prev = start ? &d->tab[co->code[2 * (start - 1)]] : NULL;
    if (prev && prev->name && !strcmp(prev->name, "NOP")) line = co->lines[start - 1];
  }
  ir_error(d->ctx, EM_ERR_CONSTRUCT, line > 0 ? line : co->firstlineno, construct);
}

/* Report opcode 'oi' of an unsupported construct. */
_Noreturn static void unsupported(Dec *d, const FeOpInfo *oi, uint32_t op)
{
  if (oi->stable == FS_ERROR) {
    bool exc = d->co->pyversion >= 311 && d->co->exctablelen &&
               (!strcmp(oi->construct, "try statements"));
    if (exc) exctable_error(d, oi->construct);
    ir_error(d->ctx, EM_ERR_CONSTRUCT, d->line, oi->construct);
  }
  if (oi->name) ir_error(d->ctx, EM_ERR_OPCODE, d->line, oi->name);
  ir_errorf(d->ctx, EM_ERR_OPCODE, d->line, "bytecode opcode %u is not supported", op);
}

static void intrinsic(Dec *d, uint32_t arg)
{
  switch (arg) {
  case 5: emit(d, FD_UNARY, 0, 0)->sub = IR_POS; return;
  case 3:   /* 3.12+: a generator's StopIteration handler, never entered (nested.c) */
    if (d->co->flags & FE_CO_GENERATOR) return;
    ir_error(d->ctx, EM_ERR_CONSTRUCT, d->line, "yield expressions");
  case 4: ir_error(d->ctx, EM_ERR_CONSTRUCT, d->line, "yield expressions");
  case 6: emit(d, FD_LIST_TO_TUPLE, 0, 0); return;   /* 3.12+: INTRINSIC_LIST_TO_TUPLE */
  case 2: ir_error(d->ctx, EM_ERR_CONSTRUCT, d->line, "imports");
  default: ir_errorf(d->ctx, EM_ERR_OPCODE, d->line, "bytecode CALL_INTRINSIC_1 %u is not supported", arg);
  }
}

/* The NULL-slot mode of LOAD_GLOBAL/LOAD_ATTR whose low oparg bit is set. */
static int32_t nullmode(Dec *d, uint32_t bit)
{
  if (!bit) return FN_NONE;
  return d->co->pyversion >= 313 ? FN_ABOVE : FN_BELOW;
}

static uint8_t calllayout(Dec *d)
{
  return d->co->pyversion >= 313 ? FN_ABOVE : FN_BELOW;
}

/* The local a LOAD_DEREF or STORE_DEREF operand 'i' names: 3.11+ index the
 * fast locals; 3.10 the cells then the frees after co_varnames (jit/capture.c),
 * where the cell of an argument is the argument. */
static int32_t deref(Dec *d, uint32_t i)
{
  const FeCode *co = d->co;
  if (co->pyversion >= 311) return local(d, i);
  if ((uint64_t)co->ncells + co->nfrees > co->nlocals || i >= co->ncells + co->nfrees) bad(d, "cell index out of range");
  uint32_t nv = co->nlocals - co->ncells - co->nfrees, v = nv + i;
  for (uint32_t a = 0; i < co->ncells && a < fe_nparams(co) && a < nv; a++)
    if (!strcmp(co->localnames[a], co->localnames[v])) return (int32_t)a;
  return (int32_t)v;
}

/* A compiled closure reads the values of its free variables as it reads
 * globals, frozen at compile time, as Numba does (FeCode.freeglobals): its
 * first instructions store them into their locals (fe_decode), which
 * LOAD_DEREF and nested functions then read.  Is the STORE_DEREF operand 'i'
 * one of them (a nonlocal assignment, which could not reach the cell)? */
static bool isfreeglobal(Dec *d, uint32_t i)
{
  const FeCode *co = d->co;
  return co->freeglobals && deref(d, i) >= (int32_t)(co->nlocals - co->nfrees);
}

/* MAKE_FUNCTION: the code constant (and 3.10's qualified name) it pops fold
 * into FD_MAKE_FUNCTION; 3.10-3.12's flags become 3.13's attribute setters,
 * the closure (on top) first. */
static void makefunc(Dec *d, uint32_t flags)
{
  if (d->co->pyversion == 310 && d->n && d->ins[d->n - 1].op == FD_LOAD_CONST) d->n--;
  if (!d->n || d->ins[d->n - 1].op != FD_LOAD_CONST || d->co->consts[d->ins[d->n - 1].a].kind != FE_CONST_CODE)
    bad(d, "MAKE_FUNCTION without a code object");
  emit(d, FD_MAKE_FUNCTION, d->ins[--d->n].a, 0);
  for (uint32_t f = 8; f && d->co->pyversion < 313; f >>= 1)
    if (flags & f) emit(d, FD_FUNC_ATTR, (int32_t)f, 0);
}

/* 3.13 builds a closure's tuple of cells with LOAD_FAST (LOAD_CLOSURE before):
 * the cells bind by name (nested.c), so those loads, which may run before the
 * variable is assigned, push None as LOAD_CLOSURE does. */
static void closure313(Dec *d)
{
  if (d->n < 2 || d->ins[d->n - 1].op != FD_MAKE_FUNCTION || d->ins[d->n - 2].op != FD_BUILD_TUPLE) return;
  int32_t k = d->ins[d->n - 2].a;
  for (int32_t i = (int32_t)d->n - 2 - k; i < (int32_t)d->n - 2; i++)
    if (i >= 0 && d->ins[i].op == FD_LOAD_FAST) d->ins[i] = (FeInsn){FD_PUSH_SYM, 0, 0, FE_SYM_NONE, 0, -1, d->ins[i].line};
}

/* Whether the instruction before BUILD_CONST_KEY_MAP 'n' loads a tuple of 'n' strings. */
static bool strkeys(Dec *d, uint32_t n)
{
  if (!d->n || d->ins[d->n - 1].op != FD_LOAD_CONST) return false;
  const FeConst *c = &d->co->consts[d->ins[d->n - 1].a];
  if (c->kind != FE_CONST_TUPLE || c->n != n) return false;
  for (uint32_t k = 0; k < n; k++)
    if (c->elems[k].kind != FE_CONST_STR) return false;
  return true;
}

/* Closures, nested functions and generator bodies (frontend/nested.c): true if 'oi' is one. */
static bool nested(Dec *d, const FeOpInfo *oi, uint32_t arg)
{
  const char *nm = oi->name;
  bool gen = d->co->flags & FE_CO_GENERATOR;
  if (!strcmp(nm, "MAKE_CELL") || !strcmp(nm, "COPY_FREE_VARS") || !strcmp(nm, "GEN_START")) return true;
  if (!strcmp(nm, "LOAD_CLOSURE") || (gen && !strcmp(nm, "RETURN_GENERATOR"))) emit(d, FD_PUSH_SYM, FE_SYM_NONE, 0);
  else if (!strcmp(nm, "LOAD_DEREF")) emit(d, FD_LOAD_FAST, deref(d, arg), 0);
  else if (!strcmp(nm, "STORE_DEREF") && isfreeglobal(d, arg))
    ir_error(d->ctx, EM_ERR_CONSTRUCT, d->line, "nonlocal assignments to a variable of the enclosing function");
  else if (!strcmp(nm, "STORE_DEREF")) emit(d, FD_STORE_FAST, deref(d, arg), 0);
  else if (!strcmp(nm, "MAKE_FUNCTION")) makefunc(d, arg);
  else if (!strcmp(nm, "SET_FUNCTION_ATTRIBUTE")) {
    if (arg == 8) closure313(d);
    emit(d, FD_FUNC_ATTR, (int32_t)arg, 0);
  }
  else if (!strcmp(nm, "BUILD_CONST_KEY_MAP") && strkeys(d, arg)) {   /* a nested function's keyword defaults */
    int32_t keys = d->ins[--d->n].a;
    emit(d, FD_BUILD_TUPLE, (int32_t)arg, 0);
    emit(d, FD_CONST_MAP, keys, 0);
  }
  else if (gen && !strcmp(nm, "YIELD_VALUE")) emit(d, FD_YIELD, 0, 0);
  else if (gen && !strcmp(nm, "RERAISE")) emit(d, FD_RAISE, 0, 0);   /* the StopIteration handler */
  else return false;
  return true;
}

/* Dict displays and del x[k] (frontend/dicts.c): true if 'oi' is one. */
static bool dicts(Dec *d, const FeOpInfo *oi, uint32_t arg)
{
  const char *nm = oi->name;
  if (arg > 1 << 16) return false;
  if (!strcmp(nm, "BUILD_MAP")) emit(d, FD_BUILD_MAP, (int32_t)arg, 0);
  else if (!strcmp(nm, "DELETE_SUBSCR")) emit(d, FD_DEL_SUBSCR, 0, 0);
  else if (!strcmp(nm, "MAP_ADD") && arg >= 1) emit(d, FD_MAP_ADD, (int32_t)arg, 0);
  else if (!strcmp(nm, "BUILD_CONST_KEY_MAP") && d->n && d->ins[d->n - 1].op == FD_LOAD_CONST) {
    int32_t keys = d->ins[--d->n].a;   /* values, keys -> (values), keys -> dict */
    emit(d, FD_BUILD_TUPLE, (int32_t)arg, 0);
    emit(d, FD_LOAD_CONST, keys, 0);
    emit(d, FD_DICT_ZIP, 0, 0);
  }
  else return false;
  return true;
}

/* Emit the stable instructions of one version instruction. */
static void insn(Dec *d, const FeOpInfo *oi, uint32_t op, uint32_t arg, int32_t target)
{
  int v = d->co->pyversion;
  FeInsn *in;
  switch (oi->stable) {
  case FS_NOP: return;
  case FS_LOAD_FAST: emit(d, FD_LOAD_FAST, local(d, arg), 0); return;
  case FS_LOAD_FAST_AND_CLEAR:   /* 3.12+ comprehension: save the variable (undef if unbound), unchecked */
    emit(d, FD_LOAD_FAST, local(d, arg), 1);
    return;
  case FS_LOAD_FAST_LOAD_FAST:
    emit(d, FD_LOAD_FAST, local(d, arg >> 4), 0);
    emit(d, FD_LOAD_FAST, local(d, arg & 15), 0);
    return;
  case FS_STORE_FAST: emit(d, FD_STORE_FAST, local(d, arg), 0); return;
  case FS_STORE_FAST_STORE_FAST:
    emit(d, FD_STORE_FAST, local(d, arg >> 4), 0);
    emit(d, FD_STORE_FAST, local(d, arg & 15), 0);
    return;
  case FS_STORE_FAST_LOAD_FAST:
    emit(d, FD_STORE_FAST, local(d, arg >> 4), 0);
    emit(d, FD_LOAD_FAST, local(d, arg & 15), 0);
    return;
  case FS_LOAD_CONST: emit(d, FD_LOAD_CONST, konst(d, arg), 0); return;
  case FS_RETURN_CONST:
    emit(d, FD_LOAD_CONST, konst(d, arg), 0);
    emit(d, FD_RETURN, 0, 0);
    return;
  case FS_LOAD_GLOBAL:
    if (v == 310) emit(d, FD_LOAD_GLOBAL, name(d, arg), FN_NONE);
    else emit(d, FD_LOAD_GLOBAL, name(d, arg >> 1), nullmode(d, arg & 1));
    return;
  case FS_LOAD_NAME: emit(d, FD_LOAD_GLOBAL, name(d, arg), FN_NONE); return;
  case FS_LOAD_ATTR:
    if (v <= 311) emit(d, FD_LOAD_ATTR, name(d, arg), FN_NONE);
    else emit(d, FD_LOAD_ATTR, name(d, arg >> 1), nullmode(d, arg & 1));
    return;
  case FS_LOAD_METHOD: emit(d, FD_LOAD_ATTR, name(d, arg), FN_BELOW); return;
  case FS_PUSH_NULL: emit(d, FD_PUSH_NULL, 0, 0); return;
  case FS_BINARY: emit(d, FD_BINARY, !strncmp(oi->name, "INPLACE_", 8), 0)->sub = oi->sub; return;
  case FS_BINARY_OP: emit(d, FD_BINARY, arg >= 13, 0)->sub = nbop(d, arg); return;  /* a: in place */
  case FS_COMPARE_OP: emit(d, FD_COMPARE, 0, 0)->sub = cmpop(d, arg); return;
  case FS_IS_OP: emit(d, FD_IS, arg != 0, 0); return;
  case FS_UNARY_NEGATIVE: emit(d, FD_UNARY, 0, 0)->sub = IR_NEG; return;
  case FS_UNARY_POSITIVE: emit(d, FD_UNARY, 0, 0)->sub = IR_POS; return;
  case FS_UNARY_INVERT: emit(d, FD_UNARY, 0, 0)->sub = IR_INVERT; return;
  case FS_UNARY_NOT: emit(d, FD_UNARY, 0, 0)->sub = IR_NOT; return;
  case FS_TO_BOOL: emit(d, FD_TO_BOOL, 0, 0); return;
  case FS_CALL_INTRINSIC_1: intrinsic(d, arg); return;
  case FS_POP_TOP: emit(d, FD_POP, 0, 0); return;
  case FS_DUP_TOP: emit(d, FD_COPY, 1, 0); return;
  case FS_DUP_TOP_TWO: emit(d, FD_COPY, 2, 0); emit(d, FD_COPY, 2, 0); return;
  case FS_ROT_TWO: emit(d, FD_SWAP, 2, 0); return;
  case FS_ROT_THREE: emit(d, FD_ROT, 3, 0); return;
  case FS_ROT_FOUR: emit(d, FD_ROT, 4, 0); return;
  case FS_ROT_N:
    if (arg < 1 || arg > 1 << 16) bad(d, "ROT_N count out of range");
    emit(d, FD_ROT, (int32_t)arg, 0);
    return;
  case FS_COPY:
    if (arg < 1 || arg > 1 << 16) bad(d, "COPY count out of range");
    emit(d, FD_COPY, (int32_t)arg, 0);
    return;
  case FS_SWAP:
    if (arg < 2 || arg > 1 << 16) bad(d, "SWAP count out of range");
    emit(d, FD_SWAP, (int32_t)arg, 0);
    return;
  case FS_BUILD_TUPLE:
  case FS_UNPACK_SEQUENCE:
    if (arg > 1 << 16) bad(d, "tuple too long");
    emit(d, oi->stable == FS_BUILD_TUPLE ? FD_BUILD_TUPLE : FD_UNPACK, (int32_t)arg, 0);
    return;
  case FS_GET_ITER: emit(d, FD_GET_ITER, 0, 0); return;
  case FS_FOR_ITER:
    emit(d, FD_FOR_ITER, 0, 0)->target = target;
    emit(d, FD_ITER_NEXT, 0, 0);
    return;
  case FS_END_FOR: emit(d, FD_END_FOR, v == 312 ? 2 : 1, 0); return;
  case FS_JUMP: emit(d, FD_JUMP, 0, 0)->target = target; return;
  case FS_POP_JUMP_IF_FALSE: emit(d, FD_CJUMP, FC_IF_FALSE, 0)->target = target; return;
  case FS_POP_JUMP_IF_TRUE: emit(d, FD_CJUMP, FC_IF_TRUE, 0)->target = target; return;
  case FS_POP_JUMP_IF_NONE: emit(d, FD_CJUMP, FC_IF_NONE, 0)->target = target; return;
  case FS_POP_JUMP_IF_NOT_NONE: emit(d, FD_CJUMP, FC_IF_NOT_NONE, 0)->target = target; return;
  case FS_JUMP_IF_FALSE_OR_POP: emit(d, FD_CJUMP, FC_FALSE_OR_POP, 0)->target = target; return;
  case FS_JUMP_IF_TRUE_OR_POP: emit(d, FD_CJUMP, FC_TRUE_OR_POP, 0)->target = target; return;
  case FS_RETURN_VALUE: emit(d, FD_RETURN, 0, 0); return;
  case FS_CALL_FUNCTION: call(d, arg, -1, FN_NONE); return;
  case FS_CALL_FUNCTION_KW: call(d, arg, foldkw(d), FN_NONE); return;
  case FS_CALL_METHOD: call(d, arg, -1, FN_BELOW); return;
  case FS_CALL:
    call(d, arg, d->kwnames, calllayout(d));
    d->kwnames = -1;
    return;
  case FS_CALL_KW: call(d, arg, foldkw(d), calllayout(d)); return;
  case FS_KW_NAMES: d->kwnames = kwtuple(d, arg); return;
  case FS_BINARY_SUBSCR: emit(d, FD_SUBSCR, 0, 0); return;
  case FS_STORE_SUBSCR: emit(d, FD_STORE_SUBSCR, 0, 0); return;
  case FS_STORE_ATTR: emit(d, FD_STORE_ATTR, name(d, arg), 0); return;
  case FS_BINARY_SLICE: emit(d, FD_SLICE, 0, 0); return;      /* 3.12+: a[i:j] without a slice object */
  case FS_STORE_SLICE: emit(d, FD_STORE_SLICE, 0, 0); return;
  case FS_BUILD_SLICE:
    if (arg != 2 && arg != 3) bad(d, "BUILD_SLICE count is not 2 or 3");
    emit(d, FD_BUILD_SLICE, (int32_t)arg, 0);
    return;
  case FS_RAISE_VARARGS:
    if (arg > 2) bad(d, "RAISE_VARARGS count out of range");
    emit(d, FD_RAISE, (int32_t)arg, 0);
    return;
  case FS_LOAD_ASSERTION_ERROR: emit(d, FD_LOAD_ASSERT, 0, 0); return;
  case FS_FORMAT_VALUE: emit(d, FD_FORMAT, (int32_t)(arg & 3), (arg & 4) != 0); return;   /* 3.10-3.12: flags */
  case FS_FORMAT_SIMPLE: emit(d, FD_FORMAT, 0, 0); return;                            /* 3.13 */
  case FS_FORMAT_WITH_SPEC: emit(d, FD_FORMAT, 0, 1); return;
  case FS_CONVERT_VALUE:
    if (arg < 1 || arg > 3) bad(d, "CONVERT_VALUE kind out of range");
    emit(d, FD_CONVERT, (int32_t)arg, 0);
    return;
  case FS_BUILD_STRING:
    if (arg > 1 << 16) bad(d, "string too long");
    emit(d, FD_BUILD_STRING, (int32_t)arg, 0);
    return;
  case FS_BUILD_LIST:
    if (arg > 1 << 16) bad(d, "list too long");
    emit(d, FD_BUILD_LIST, (int32_t)arg, 0);
    return;
  case FS_LIST_APPEND:
  case FS_LIST_EXTEND:
    if (arg < 1 || arg > 1 << 16) bad(d, "LIST_APPEND or LIST_EXTEND depth out of range");
    emit(d, oi->stable == FS_LIST_APPEND ? FD_LIST_APPEND : FD_LIST_EXTEND, (int32_t)arg, 0);
    return;
  case FS_LIST_TO_TUPLE: emit(d, FD_LIST_TO_TUPLE, 0, 0); return;   /* 3.10, 3.11 */
  case FS_CONTAINS_OP: emit(d, FD_CONTAINS, arg != 0, 0); return;
  case FS_ERROR:
    if (oi->name && nested(d, oi, arg)) return;
    if (oi->name && dicts(d, oi, arg)) return;
    unsupported(d, oi, op);
  default:
    unsupported(d, oi, op);
  }
  (void)in;
}

/* Whether every handler of the exception table is a generator's StopIteration
 * handler (3.12+: CALL_INTRINSIC_1 3), which the inlined body never enters. */
static bool gen_table(Dec *d)
{
  const FeCode *co = d->co;
  uint32_t f[4], k = 0, x = 0;
  if (!(co->flags & FE_CO_GENERATOR)) return false;
  for (uint32_t i = 0; i < co->exctablelen; i++) {   /* start, size, target, depth: varints of 6 bits */
    x = x << 6 | (co->exctable[i] & 63);
    if (co->exctable[i] & 64) continue;
    f[k++] = x;
    x = 0;
    if (k < 4) continue;
    k = 0;
    if (f[2] >= co->codelen / 2) return false;
    const FeOpInfo *oi = &d->tab[co->code[2 * f[2]]];
    if (!oi->name || strcmp(oi->name, "CALL_INTRINSIC_1") || co->code[2 * f[2] + 1] != 3) return false;
  }
  return k == 0;
}

/* Is the code at unit 't' an inlined comprehension's cleanup handler (3.12+,
 * PEP 709: SWAP, POP_TOP, SWAP, STORE_FAST..., RERAISE)?  Mark its units in
 * 'skip': it restores the comprehension's variables when the body raises,
 * which compiled code reports without running it. */
static bool comp_handler(Dec *d, uint32_t t, uint8_t *skip)
{
  static const char *const want[] = {"SWAP", "POP_TOP", "SWAP", "STORE_FAST"};
  const FeCode *co = d->co;
  uint32_t units = co->codelen / 2, k = 0;
  for (uint32_t u = t; u < units; u++, k++) {
    const FeOpInfo *oi = &d->tab[co->code[2 * u]];
    if (!oi->name || oi->ncache) return false;
    if (k >= 4 && !strcmp(oi->name, "RERAISE")) {
      for (uint32_t i = t; i <= u; i++) skip[i] = 1;
      return true;
    }
    if (strcmp(oi->name, want[k < 4 ? k : 3])) return false;
  }
  return false;
}

/* Whether every handler of the exception table is a comprehension's cleanup
 * (comp_handler), marking their units in 'skip'. */
static bool comp_table(Dec *d, uint8_t *skip)
{
  const FeCode *co = d->co;
  uint32_t f[4], k = 0, x = 0;
  if (co->pyversion < 312 || (co->flags & FE_CO_GENERATOR)) return false;
  for (uint32_t i = 0; i < co->exctablelen; i++) {   /* start, size, target, depth: varints of 6 bits */
    x = x << 6 | (co->exctable[i] & 63);
    if (co->exctable[i] & 64) continue;
    f[k++] = x;
    x = 0;
    if (k < 4) continue;
    k = 0;
    if (f[2] >= co->codelen / 2 || !comp_handler(d, f[2], skip)) return false;
  }
  return k == 0;
}

/* Source line of code unit 'u': the nearest known line at or before it. */
static int32_t unitline(Dec *d, uint32_t u)
{
  for (uint32_t i = u + 1; i-- > 0;)
    if (d->co->lines[i] > 0) return d->co->lines[i];
  return d->co->firstlineno;
}

/* Unit index of the jump target of instruction 'op' at unit 'u' ending at 'next'. */
static int64_t jumptarget(const FeOpInfo *oi, uint32_t next, uint32_t arg)
{
  switch (oi->jump) {
  case FJ_REL: return (int64_t)next + arg;
  case FJ_BACK: return (int64_t)next - arg;
  case FJ_ABS: return arg;
  default: return -1;
  }
}

/* Pass 2: unit targets to instruction indices; FOR_ITER exits past END_FOR. */
static void resolve(Dec *d, uint32_t units)
{
  for (uint32_t i = 0; i < d->n; i++) {
    FeInsn *in = &d->ins[i];
    if (in->target < 0) continue;
    d->line = in->line;
    if ((uint32_t)in->target >= units || d->unit2ins[in->target] < 0) bad(d, "jump into an instruction");
    int32_t t = d->unit2ins[in->target];
    if (t >= (int32_t)d->n) bad(d, "jump past the end");
    if (in->op == FD_FOR_ITER && d->co->pyversion >= 312) {
      if (d->ins[t].op != FD_END_FOR) bad(d, "FOR_ITER does not exit to END_FOR");
      t++;
      if (d->co->pyversion >= 313 && t < (int32_t)d->n && d->ins[t].op == FD_POP) t++;
      if (t >= (int32_t)d->n) bad(d, "jump past the end");
    }
    in->target = t;
  }
}

uint32_t fe_decode(IrCtx *ctx, const FeCode *co, FeInsn **out)
{
  Dec d = {ctx, co, fe_optable(co->pyversion), NULL, 0, 0, NULL, -1, co->firstlineno};
  if (!d.tab) ir_error(ctx, EM_ERR_BADCODE, co->firstlineno, "unsupported Python version");
  if (!co->code || !co->lines || co->codelen < 2 || co->codelen % 2)
    ir_error(ctx, EM_ERR_BADCODE, co->firstlineno, "bad code length");
  uint32_t units = co->codelen / 2;
  d.unit2ins = ir_alloc(ctx, (units + 1) * sizeof *d.unit2ins);
  for (uint32_t u = 0; u <= units; u++) d.unit2ins[u] = -1;
  uint8_t *skip = ir_alloc(ctx, units);   /* comprehension cleanup handlers: not decoded */
  bool comp = co->exctablelen && comp_table(&d, skip);
  if (co->freeglobals && co->nnames >= co->nfrees && co->nlocals >= co->nfrees)
    for (uint32_t j = 0; j < co->nfrees; j++) {   /* a closure's values into its free variables' locals */
      emit(&d, FD_LOAD_GLOBAL, (int32_t)(co->nnames - co->nfrees + j), FN_NONE);
      emit(&d, FD_STORE_FAST, (int32_t)(co->nlocals - co->nfrees + j), 0);
    }
  uint32_t u = 0;
  while (u < units) {
    if (skip[u]) { u++; continue; }
    uint32_t start = u, arg = 0;
    const FeOpInfo *oi;
    for (;;) {  /* EXTENDED_ARG prefixes */
      uint32_t op = co->code[2 * u];
      oi = &d.tab[op];
      arg = arg << 8 | co->code[2 * u + 1];
      if (oi->stable != FS_EXTENDED_ARG) break;
      if (++u >= units || arg > 0xffffff) { d.line = unitline(&d, start); bad(&d, "dangling EXTENDED_ARG"); }
    }
    uint32_t op = co->code[2 * u];
    uint32_t next = u + 1 + oi->ncache;
    d.line = unitline(&d, u);
    if (next > units) bad(&d, "instruction caches past the end");
    d.unit2ins[start] = (int32_t)d.n;
    int64_t t = jumptarget(oi, next, arg);
    if (oi->jump != FJ_NONE && (t < 0 || t >= units)) bad(&d, "jump target out of range");
    if (!oi->name) unsupported(&d, oi, op);
    insn(&d, oi, op, arg, (int32_t)t);
    u = next;
  }
  if (co->exctablelen && !comp && !gen_table(&d)) exctable_error(&d, "try statements");
  if (!d.n) ir_error(ctx, EM_ERR_BADCODE, co->firstlineno, "no instructions");
  resolve(&d, units);
  *out = d.ins;
  return d.n;
}
