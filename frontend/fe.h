/* frontend/fe.h: private header of frontend/ (decoder, SSA builder, normal form).
 *
 * Flow: opcodes.c (per-version tables) -> decode.c (raw bytes to FeInsn, the
 * version-independent instruction list) -> build.c (blocks, stack simulation)
 * with ssa.c (Braun et al. variables and block parameters) -> normal.c (the
 * frontend's normal form: the same IR for the same source on every version).
 */
#ifndef EMBER_FE_H
#define EMBER_FE_H

#include "frontend.h"

/* The parameters of 'co' that the entry block receives: positional,
 * keyword-only, then *args (a tuple) if it has one (nested.c builds it). */
static inline uint32_t fe_nparams(const FeCode *co)
{
  return co->argcount + co->kwonlyargcount + !!(co->flags & FE_CO_VARARGS);
}

/* -- opcodes.c: version tables ------------------------------------------- */

/* Stable operations a version opcode maps to (tools/gen_opcodes.py STABLE). */
#define FE_STABLE_LIST(_) \
  _(INVALID) _(NOP) _(EXTENDED_ARG) _(LOAD_FAST) _(LOAD_FAST_LOAD_FAST) _(STORE_FAST) \
  _(STORE_FAST_STORE_FAST) _(STORE_FAST_LOAD_FAST) _(LOAD_CONST) _(RETURN_CONST) \
  _(LOAD_GLOBAL) _(LOAD_NAME) _(LOAD_ATTR) _(LOAD_METHOD) _(PUSH_NULL) _(BINARY) \
  _(BINARY_OP) _(COMPARE_OP) _(IS_OP) _(UNARY_NEGATIVE) _(UNARY_POSITIVE) _(UNARY_INVERT) \
  _(UNARY_NOT) _(TO_BOOL) _(CALL_INTRINSIC_1) _(POP_TOP) _(DUP_TOP) _(DUP_TOP_TWO) \
  _(ROT_TWO) _(ROT_THREE) _(ROT_FOUR) _(ROT_N) _(COPY) _(SWAP) _(BUILD_TUPLE) \
  _(UNPACK_SEQUENCE) _(GET_ITER) _(FOR_ITER) _(END_FOR) _(JUMP) _(POP_JUMP_IF_FALSE) \
  _(POP_JUMP_IF_TRUE) _(POP_JUMP_IF_NONE) _(POP_JUMP_IF_NOT_NONE) _(JUMP_IF_FALSE_OR_POP) \
  _(JUMP_IF_TRUE_OR_POP) _(RETURN_VALUE) _(CALL_FUNCTION) _(CALL_FUNCTION_KW) \
  _(CALL_METHOD) _(CALL) _(CALL_KW) _(KW_NAMES) _(BINARY_SUBSCR) _(STORE_SUBSCR) _(STORE_ATTR) \
  _(BUILD_SLICE) _(BINARY_SLICE) _(STORE_SLICE) _(RAISE_VARARGS) _(LOAD_ASSERTION_ERROR) \
  _(FORMAT_VALUE) _(FORMAT_SIMPLE) _(FORMAT_WITH_SPEC) _(CONVERT_VALUE) _(BUILD_STRING) \
  _(BUILD_LIST) _(LIST_APPEND) _(LIST_EXTEND) _(LIST_TO_TUPLE) _(CONTAINS_OP) _(LOAD_FAST_AND_CLEAR) \
  _(ERROR) _(UNSUPPORTED)

typedef enum {
#define FS_ENUM(n) FS_##n,
  FE_STABLE_LIST(FS_ENUM)
#undef FS_ENUM
  FS__COUNT
} FeStable;

typedef enum { FJ_NONE, FJ_REL, FJ_BACK, FJ_ABS } FeJumpKind;

typedef struct {
  const char *name;       /* NULL: no such opcode in this version */
  uint8_t ncache;         /* inline CACHE code units after the instruction */
  uint8_t jump;           /* FeJumpKind */
  uint8_t stable;         /* FeStable */
  uint16_t sub;           /* IrOp for FS_BINARY */
  const char *construct;  /* FS_ERROR: what is not supported */
} FeOpInfo;

/* The 256-entry table of 'pyversion' (310..313), or NULL. */
const FeOpInfo *fe_optable(int pyversion);

/* -- decode.c: version opcodes to stable instructions ---------------------- */

typedef enum {
  FD_LOAD_FAST, FD_STORE_FAST, FD_LOAD_CONST, FD_LOAD_GLOBAL, FD_LOAD_ATTR, FD_PUSH_NULL,
  FD_BINARY, FD_COMPARE, FD_IS, FD_UNARY, FD_TO_BOOL, FD_POP, FD_COPY, FD_SWAP, FD_ROT,
  FD_BUILD_TUPLE, FD_UNPACK, FD_GET_ITER, FD_FOR_ITER, FD_ITER_NEXT, FD_END_FOR,
  FD_JUMP, FD_CJUMP, FD_RETURN, FD_CALL,
  FD_SUBSCR, FD_STORE_SUBSCR, FD_BUILD_SLICE, FD_SLICE, FD_STORE_SLICE,  /* a[k]; a[k] = v; slice(); a[i:j] (= v) */
  FD_STORE_ATTR,     /* x.<name a> = v: only a.real and a.imag (as a.real[...] = v) */
  FD_RAISE,          /* raise with a (0..2) operands: [exception [, cause]] */
  FD_LOAD_ASSERT,    /* push AssertionError */
  FD_FORMAT,         /* f-string field: a = conversion (0, 1 !s, 2 !r, 3 !a), b = 1 if a spec is on top */
  FD_CONVERT,        /* 3.13's CONVERT_VALUE: a = conversion */
  FD_BUILD_STRING,   /* concatenate the top a strings */
  FD_BUILD_LIST,     /* a list display of the top a values */
  FD_LIST_APPEND,    /* pop a value, append it to the list a slots below the top */
  FD_LIST_EXTEND,    /* pop an iterable, extend the list a slots below the top with it */
  FD_LIST_TO_TUPLE,  /* the list on top as a tuple */
  FD_CONTAINS,       /* x in seq (a = 1: not in) */
  FD_MAKE_FUNCTION,  /* push the function of code constant a (nested.c) */
  FD_FUNC_ATTR,      /* (value, func -- func): set attribute a (3.13's SET_FUNCTION_ATTRIBUTE flags) */
  FD_YIELD,          /* a generator yields the top value (pushes what it is sent: None) */
  FD_PUSH_SYM,       /* push symbol a (FeSym); b = 1 on FD_LOAD_FAST: no unbound check */
  FD_CONST_MAP,      /* the tuple of values on top as a dict display of keys (constant a) */
  FD_BUILD_MAP,      /* a dict display of the top 2a values: key, value, ... (frontend/dicts.c) */
  FD_DICT_ZIP,       /* (values-tuple, keys-tuple -- dict): BUILD_CONST_KEY_MAP of non-str keys */
  FD_DEL_SUBSCR,     /* (container, key --): del container[key] */
  FD_MAP_ADD         /* pop a value and a key, store them into the dict a slots below the top (a dict comprehension) */
} FeDop;

/* FD_CJUMP kinds (FeInsn.a). */
enum { FC_IF_FALSE, FC_IF_TRUE, FC_IF_NONE, FC_IF_NOT_NONE, FC_FALSE_OR_POP, FC_TRUE_OR_POP };
/* Where a call's NULL/self slot sits (FD_CALL .c; FD_LOAD_GLOBAL/ATTR .b pushes it). */
enum { FN_NONE, FN_BELOW, FN_ABOVE };

typedef struct {
  uint8_t op;        /* FeDop */
  uint8_t c;         /* FD_CALL: FN_* layout of the callee slots */
  uint16_t sub;      /* IrOp: FD_BINARY, FD_COMPARE, FD_UNARY */
  int32_t a, b;      /* operands: local, const, name, count, kind (FD_BINARY: 1 if in place); b: NULL mode, kwnames const */
  int32_t target;    /* jump target (instruction index), else -1 */
  int32_t line;      /* source line */
} FeInsn;

/* Decode 'code' into '*out' (arena); returns the instruction count.  Reports
 * unsupported opcodes and malformed bytes with ir_error. */
uint32_t fe_decode(IrCtx *ctx, const FeCode *code, FeInsn **out);

/* -- ssa.c: Braun et al. variables ----------------------------------------- */

typedef struct {
  IrBlk blk;          /* predecessor block */
  uint32_t si;        /* successor index in its terminator */
} FeEdge;

typedef struct {
  IrRef ref;          /* the IR_PARAM value */
  IrBlk blk;
  uint32_t var;
  IrRef *ops;         /* incoming value per predecessor edge (after sealing) */
  bool removed;
} FeParam;

typedef struct {
  uint32_t npreds, nfilled;
  FeEdge *preds;
  bool sealed, filled;
} FeSsaBlk;

typedef struct {
  IrFunc *fn;
  FeSsaBlk *blks;     /* per IR block */
  uint32_t nblks;     /* entries of blks */
  uint64_t *keys;     /* (block << 32 | var) + 1, 0 = empty */
  IrRef *defs;
  uint32_t cap, n;
  FeParam *params;
  uint32_t nparams, paramcap;
  IrRef undef;        /* const undef: no definition on some path */
} FeSsa;

void fe_ssa_init(FeSsa *s, IrFunc *fn, uint32_t nblocks);
void fe_ssa_write(FeSsa *s, uint32_t var, IrBlk b, IrRef v);
IrRef fe_ssa_read(FeSsa *s, uint32_t var, IrBlk b);
void fe_ssa_seal(FeSsa *s, IrBlk b);
/* Add IR block 'b', made while filling, with the one predecessor 'pred' and
 * sealed; its reads look through 'pred' even where no edge joins them. */
void fe_ssa_addblock(FeSsa *s, IrBlk b, IrBlk pred);
/* A new parameter of sealed block 'b' for variable 'var' (none of build.c's) whose incoming
 * values are 'ops', one per predecessor edge. */
IrRef fe_ssa_param(FeSsa *s, IrBlk b, uint32_t var, IrRef *ops);
/* The FeParam of block parameter 'v' once its incoming values are known, else NULL. */
FeParam *fe_ssa_param_of(FeSsa *s, IrRef v);
/* Remove trivial parameters, attach branch arguments and rewrite uses;
 * returns the map from old value to its replacement (identity if none). */
IrRef *fe_ssa_finish(FeSsa *s);

/* -- raise.c: raise and assert statements -------------------------------- */
/* Exception classes, exception objects and strings (constants and f-strings)
 * live only inside the frontend, as marker TUPLE values (fe_is_marker) that
 * a raise turns into `raise RAISE, "<what>", <values>`; any other use of
 * them is a compile error (fe_check_markers). */
typedef enum { FE_MK_NONE, FE_MK_CLASS, FE_MK_EXC, FE_MK_STR, FE_MK_CONV, FE_MK_CHOICE } FeMarker;
FeMarker fe_is_marker(IrFunc *fn, IrRef r);
/* The marker of builtin exception class 'name' (a string of the arena). */
IrRef fe_exc_class(IrFunc *fn, IrBlk b, const char *name, int32_t line);
/* The marker of constant string 's'. */
IrRef fe_str_const(IrFunc *fn, IrBlk b, const char *s, int32_t line);
/* class(args...): the exception-object marker; 'nkw' keyword arguments are refused. */
IrRef fe_exc_call(IrFunc *fn, IrBlk b, IrRef cls, const IrRef *args, uint32_t n, uint32_t nkw, int32_t line);
/* f-string pieces: format 'v' (conversion 'conv', spec 's' or 0), convert, concatenate. */
IrRef fe_str_format(IrFunc *fn, IrBlk b, IrRef v, int conv, IrRef spec, int32_t line);
IrRef fe_str_convert(IrFunc *fn, IrBlk b, IrRef v, int conv, int32_t line);
IrRef fe_str_concat(IrFunc *fn, IrBlk b, const IrRef *parts, uint32_t n, int32_t line);
/* 'v' itself, or where it is a parameter every path into which brings a marker: that marker
 * (ValueError loaded before a branch), or a choice of str markers ("a" if c else "b" joined
 * after the branch, as CPython 3.11 compiles it), which an exception call may take. */
IrRef fe_join_marker(FeSsa *s, IrBlk b, IrRef v, int32_t line);
/* End block 'b' with the raise of 'exc' (a class or exception marker);
 * 'cause' is 0, or the `from` operand (only None is supported). */
void fe_raise(FeSsa *s, IrBlk b, IrRef exc, IrRef cause, int32_t line);
/* print(args..., sep=, end=, flush=): the `print` instruction (frontend/print.c); the call's None. */
IrRef fe_print(IrFunc *fn, IrBlk b, const IrRef *args, uint32_t n, const char *const *kw, uint32_t nkw, int32_t line);
/* After fe_ssa_finish: an error where a marker is used by anything but a
 * marker (a str value returned, an exception object stored and passed). */
void fe_check_markers(IrFunc *fn);

/* -- strlit.c: str literals ------------------------------------------------ */
/* After fe_ssa_finish: fold ==, !=, in, len, int, float and truth tests of
 * str literals into constants (before fe_check_markers refuses the rest). */
void fe_str_fold(IrFunc *fn);

/* -- lists.c: list displays ---------------------------------------------- */
/* A list display is a TUPLE tagged as a list while the builder runs; it may
 * only be read (indexed, iterated, unpacked, passed to NumPy or a builtin),
 * which fe_check_lists checks, and is then an ordinary tuple. */
bool fe_is_list(IrFunc *fn, IrRef r);
/* [args...]: the list of the 'n' values 'args'. */
IrRef fe_list_new(IrFunc *fn, IrBlk b, const IrRef *args, uint32_t n, int32_t line);
/* list.append(x) of a display (`[*t, x]`). */
IrRef fe_list_append(IrFunc *fn, IrBlk b, IrRef list, IrRef x, int32_t line);
/* list.extend(it) of a display: 'it' must be a tuple (or list) the frontend built. */
IrRef fe_list_extend(IrFunc *fn, IrBlk b, IrRef list, IrRef it, int32_t line);
/* tuple(list): the same items as a plain tuple. */
IrRef fe_list_tuple(IrFunc *fn, IrBlk b, IrRef list, int32_t line);
/* `x in seq` ('invert': not in) of a tuple or list display 'seq': x == item or ... */
IrRef fe_contains(IrFunc *fn, IrBlk b, IrRef x, IrRef seq, bool invert, int32_t line);
/* After fe_ssa_finish: an error where a list is used in a way that needs a
 * real list (a store, a method, a return, a call of an ember.jit function);
 * then every list is a plain TUPLE. */
void fe_check_lists(IrFunc *fn);

/* outkw.c: f(..., out=o) of an attribute or NumPy builtin is ember.out.<f>(o, f(...)). */
void fe_out_keyword(IrFunc *fn);

/* -- strargs.c: str constants where NumPy takes them ---------------------- */
/* Rewrite the str constants among the 'n' operands 'ops' of a call (callee
 * first, the last '*nkw' of them keywords named 'kw') that a NumPy function
 * or method takes as a dtype, sort kind, search side or order; returns the
 * new operand count ('*nkw' and 'kw' updated; a dropped order='C' is gone). */
uint32_t fe_str_args(IrFunc *fn, IrBlk b, IrRef *ops, uint32_t n, const char **kw, uint32_t *nkw, int32_t line);

/* -- nested.c: nested functions, closures, generator expressions -------- */
/* A nested function (MAKE_FUNCTION) is a marker value while the builder
 * runs: a local it is stored in (once) holds it, and a call of it inlines
 * its body, built as a function of its own, at the call site; free
 * variables are the enclosing function's locals, read at the call.  A
 * generator (expression) called is a marker too, which sum, min, max, any
 * and all consume as a loop: its yields become the fold (fe_nest_rewrite).
 * Any other use of a marker is a compile error (fe_nest_check). */
typedef struct FeNest FeNest;

/* Symbols the decoder and the consumers push (FD_PUSH_SYM). */
typedef enum {
  FE_SYM_NONE, FE_SYM_TRUE, FE_SYM_FALSE, FE_SYM_FZERO, FE_SYM_SUM_STEP, FE_SYM_SUM_END,
  FE_SYM_VALUEERROR, FE_SYM_MIN_EMPTY, FE_SYM_MAX_EMPTY
} FeSym;

/* The nesting state of a top-level build of 'co'. */
FeNest *fe_nest_new(IrCtx *ctx, const FeCode *co, const FeResolver *res);
/* Count the stores of each local and, for a consumed generator, rewrite its
 * yields and return into the fold; returns the new instruction count. */
uint32_t fe_nest_rewrite(FeNest *nest, FeInsn **ins, uint32_t n);
/* The locals the entry block assigns beyond the arguments: into bit set 'set'. */
void fe_nest_entry_defs(const FeNest *nest, uint64_t *set);
/* Write them in entry block 'e' (new parameters: free variables, sum's start). */
void fe_nest_entry(FeNest *nest, FeSsa *ssa, IrBlk e, int32_t line);
/* The value of symbol 'sym' in block 'b'. */
IrRef fe_nest_sym(IrFunc *fn, IrBlk b, FeSym sym, int pyversion, int32_t line);
/* MAKE_FUNCTION of code constant 'c': the marker. */
IrRef fe_nest_make(FeNest *nest, IrFunc *fn, IrBlk b, const FeConst *c, int32_t line);
/* A dict display of the keys 'keys' and the TUPLE 'vals' (keyword-only defaults): the marker. */
/* dicts.c: a dict display of the pairs key, value at 'kv' (2n refs). */
IrRef fe_dict_new(IrFunc *fn, IrBlk b, const IrRef *kv, uint32_t n, int32_t line);
IrRef fe_dict_zip(IrFunc *fn, IrBlk b, IrRef vals, IrRef keys, int32_t line);
void fe_del_subscr(IrFunc *fn, IrBlk b, IrRef container, IrRef key, int32_t line);
void fe_map_add(IrFunc *fn, IrBlk b, IrRef dict, IrRef key, IrRef value, int32_t line);
IrRef fe_nest_dict(FeNest *nest, IrFunc *fn, IrBlk b, IrRef vals, const FeConst *keys, int32_t line);
/* Set attribute 'flag' (1 defaults, 2 keyword defaults, 4 annotations, 8 closure) of 'func' to 'v'. */
void fe_nest_attr(FeNest *nest, FeSsa *ssa, IrBlk b, IrRef func, uint32_t flag, IrRef v, int32_t line);
/* Store 'v' into local 'var': true if it is a function (not an SSA value then). */
bool fe_nest_store(FeNest *nest, uint32_t var, IrRef v, int32_t line);
/* The marker local 'var' holds, or 0. */
IrRef fe_nest_load(FeNest *nest, uint32_t var);
/* A call ops[0](ops[1..n-1]) whose last 'nkw' operands are keywords 'kw':
 * inlined (a nested function, a consumed generator) from block '*b', which
 * becomes the block after it; returns the result, or 0 if it is no such call. */
IrRef fe_nest_call(FeNest *nest, FeSsa *ssa, IrBlk *b, const IrRef *ops, uint32_t n, const char **kw,
                   uint32_t nkw, int32_t line);
/* After fe_ssa_finish: an error where a marker is used (passed, returned, stored). */
void fe_nest_check(FeNest *nest, IrFunc *fn);

/* -- build.c ---------------------------------------------------------------- */
/* Build 'co' as the body of a nested function or consumed generator ('nest'). */
IrFunc *fe_build_nested(IrCtx *ctx, const FeCode *co, const FeResolver *res, FeNest *nest);

/* -- normal.c: the frontend's normal form --------------------------------- */
/* Simplify the CFG (thread empty and known-truth branches, duplicate returns,
 * merge straight-line blocks, drop dead pure values) and rebuild 'fn' with
 * blocks in reverse postorder and constants first; returns the new function. */
IrFunc *fe_normalize(IrFunc *fn);
bool fe_is_boolop(IrOp op);

#endif
