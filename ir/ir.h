/* ir/ir.h: Ember's stable IR, the one public header of ir/.
 *
 * SSA in basic blocks with block parameters instead of phis.  A function owns
 * flat arrays of values (IrVal) and blocks (IrBlock); values and blocks are
 * named by 32-bit indices.  Value 0 and block 0 exist: value 0 is the "no
 * value" sentinel, block 0 is the entry block, whose parameters are the
 * function's parameters.  Every instruction defines exactly one value (of
 * type `void` for terminators and effects without result).
 *
 * Everything of one compilation lives in one arena (IrArena) owned by the
 * compile context (IrCtx) and is freed by ir_ctx_free.  Compile errors
 * longjmp to the context's jmp_buf (ir_error), which only ir_ctx_run sets.
 *
 * Text form (printer and parser agree; see tests/ir/):
 *   func @gcd(int, int) -> int {
 *   @0(%1:int, %2:int):
 *     br @1(%1, %2)
 *   @1(%3:int, %4:int):
 *     %5:bool = truth %4            ; !3
 *     cbr %5, @2, @3
 *   ...
 *   }
 * `; !N` after an instruction gives its source line.  Values print as %N
 * with their index; the parser renumbers densely in order of appearance.
 */
#ifndef EMBER_IR_H
#define EMBER_IR_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint32_t IrRef;   /* value index into fn->vals; 0 = none */
typedef uint32_t IrBlk;   /* block index into fn->blocks */
typedef uint16_t IrType;  /* type index into ctx->types */

/* -- Opcodes ------------------------------------------------------------- */

typedef enum {
#define IROP(name, text, nargs, flags, doc) IR_##name,
#include "ops.def"
#undef IROP
  IR__COUNT
} IrOp;

enum { IRF_PURE = 1, IRF_COMM = 2, IRF_TERM = 4, IRF_EFFECT = 8,
       IRF_FOLD = 16, IRF_KONLY = 32, IRF_VOID = 64 };

typedef struct {
  const char *text;
  int nargs;
  unsigned flags;
  const char *doc;
} IrOpInfo;
extern const IrOpInfo ir_opinfo[IR__COUNT];
unsigned ir_op_flags(IrOp op);                   /* IRF_* bits of 'op' */

typedef enum {
#define INTRIN(name, pyname, nargs, sig, libm) IN_##name,
#include "intrin.def"
#undef INTRIN
  IN__COUNT
} IrIntrin;

typedef struct {
  const char *pyname;
  int nargs;
  char sig;
  const char *libm;
} IrIntrinInfo;
extern const IrIntrinInfo ir_intrininfo[IN__COUNT];

typedef enum {
#define RTERR(name, exc, fallback, msg) RT_##name,
#include "rterrors.def"
#undef RTERR
  RT__COUNT
} IrRtErr;

typedef struct {
  const char *exception;
  int fallback;
  const char *message;
} IrRtErrInfo;
extern const IrRtErrInfo ir_rterrinfo[RT__COUNT];

typedef enum {
#define EMERR(name, cls, fmt) EM_ERR_##name,
#include "errors.def"
#undef EMERR
  EM_ERR__COUNT
} IrErrCode;

typedef struct {
  char cls;            /* 'U' unsupported, 'T' typing, 'I' internal */
  const char *format;  /* printf format with one %s */
} IrErrInfo;
extern const IrErrInfo ir_errinfo[EM_ERR__COUNT];

/* -- Types ----------------------------------------------------------------
 * Fixed indices for the scalar types; tuples, iterators and references are
 * interned per context with ir_type_tuple / ir_type_iter.  `int` is
 * Python's int, held as a checked i64; i8..u64 are NumPy's wrapping ints.
 */
enum {
  IRT_VOID = 0, IRT_ANY, IRT_BOOL, IRT_INT,
  IRT_I8, IRT_I16, IRT_I32, IRT_I64, IRT_U8, IRT_U16, IRT_U32, IRT_U64,
  IRT_F32, IRT_F64, IRT_C64, IRT_C128, IRT_NONE,
  IRT_RANGE,    /* range(start, stop, step) of ints */
  IRT_MODULE,   /* compile-time: module reference */
  IRT_FUNC,     /* compile-time: a compiled-function or builtin reference */
  IRT_F16,      /* float16: only as an array's element type in memory; its values are f32 */
  IRT_ELLIPSIS, /* compile-time: `...` in an index (infer_array.c expands it into slices) */
  IRT__FIXED    /* first interned type */
};

typedef enum {
  IRK_VOID, IRK_ANY, IRK_BOOL, IRK_PYINT, IRK_INT, IRK_UINT, IRK_FLOAT,
  IRK_COMPLEX, IRK_NONE, IRK_RANGE, IRK_MODULE, IRK_FUNC, IRK_TUPLE, IRK_ITER,
  IRK_ARRAY,    /* NumPy array: elem[0] dtype, ndim, layout, readonly */
  IRK_SLICE,    /* slice(start, stop, step): elem[0..2] int or none (compile-time shape) */
  IRK_DTYPE,    /* compile-time: a dtype or scalar type object (np.float32, float); elem[0] */
  IRK_LIST,     /* a mutable list (frontend/lists.c): elem[0] the item type (void: not known yet) */
  IRK_ELLIPSIS, /* `...` (compile-time) */
  IRK_STR,      /* a str literal (compile-time, no slots): text; its CONST has the text in aux.v.s too */
  IRK_DICT      /* a mutable dict (passes/infer_dict.c): elem[0] key, elem[1] value; ndim 0, or a view: 1 keys 2 values 3 items */
} IrKind;

typedef struct {
  IrKind kind;
  uint8_t bits;          /* width of ints and floats, 2x for complex */
  uint16_t nelem;        /* tuple arity */
  const IrType *elem;    /* tuple elements; iter: elem[0] is the item type, elem[1] the iterable */
  uint8_t ndim;          /* array: number of dimensions (0..IR_MAXDIM) */
  char layout;           /* array: 'C' contiguous, 'F' Fortran-contiguous, 'A' any strides */
  bool readonly;         /* array: writes are a TypingError */
  const char *text;      /* str: the literal's text */
} IrTypeInfo;

#define IR_MAXDIM 32
#define IR_MAXPAY 16           /* payload values a guard may carry to its error (EmErr.pay) */

/* -- Values, blocks, functions -------------------------------------------
 * Binary arithmetic (ADD..BXOR, contiguous: ORDER IROP) from `x op= y` has
 * aux.v.i bit 1: on arrays it writes into x, as NumPy's in-place operators do.
 * IR_AUX_NUMPY (printed "numpy"): an f64 or c128 division, //, % or ** of
 * NumPy values (passes/npsem.c): a zero divisor gives inf or nan, no error;
 * on a cvt, np.float64(x) or np.complex128(x): the value is NumPy's. */
#define IR_AUX_NUMPY 2

typedef union {
  int64_t i;
  double f;
  double c[2];           /* complex constant: re, im */
  const char *s;         /* names: globals, attributes, symbols */
} IrAuxVal;

typedef struct {
  IrAuxVal v;
  const char *s;         /* second string (funcref name, ...) */
  const char **kw;       /* call: keyword names of the last nkw operands */
  uint32_t nkw;
} IrAux;

typedef struct {
  IrBlk blk;
  uint32_t nargs;
  IrRef *args;
} IrSucc;

typedef struct {
  uint16_t op;           /* IrOp */
  IrType type;
  IrBlk blk;             /* block the value is defined in */
  int32_t line;          /* source line, 0 if unknown */
  uint32_t nargs;
  IrRef *args;
  IrAux aux;
  uint8_t nsucc;         /* terminators only */
  IrSucc *succ;
} IrVal;

typedef struct {
  uint32_t nparams, ninsts, cap;
  IrRef *params;         /* values with op IR_PARAM */
  IrRef *insts;          /* in order; the last one is the terminator */
  uint32_t npreds;       /* filled by ir_fill_preds */
  IrBlk *preds;
  bool dead;             /* removed; skipped by every walk */
  int32_t line;          /* first source line, for messages */
} IrBlock;

typedef struct IrCtx IrCtx;

typedef struct IrFunc {
  IrCtx *ctx;
  const char *name;      /* Python qualified name */
  const char *file;      /* source file name */
  int32_t firstline;
  uint32_t nparams;      /* == blocks[0].nparams */
  IrType ret;            /* return type (IRT_ANY until infer) */
  uint32_t nvals, valcap;
  IrVal *vals;
  uint32_t nblocks, blkcap;
  IrBlock *blocks;
  bool pure;             /* set by passes: no effect outside its locals */
  void *passopt;         /* the PassOptions of the running pipeline (passes/ owns it) */
} IrFunc;

/* -- Compile context ------------------------------------------------------ */

typedef struct IrArena IrArena;

/* A parameter default of a compiled function: a constant of 'type'
 * (int, bool, f64, c128 or none) with its value in 'v'; a str default is
 * type IRT_VOID with its text in v.s (infer makes it a str literal). */
typedef struct {
  IrType type;
  IrAuxVal v;
} IrDefault;

#define IR_BIND_STAR (-1000)   /* IrHost.bind: map[i] = IR_BIND_STAR - k, *args from argument k */

/* Host callbacks: how passes learn about other compiled functions without
 * knowing Python.  jit/ implements them; tests may leave them NULL. */
typedef struct {
  void *host;
  /* Type a call of function 'id' with 'nargs' argument types; on success
   * fill '*ret' and '*symbol' (the native inner symbol) and return 0;
   * return 1 if that function is being compiled for these types right now
   * (recursion: the caller infers from its other paths); -1 on error with
   * a message in 'err' (size 'errsize'). */
  int (*call_sig)(void *host, int64_t id, const IrType *args, uint32_t nargs,
                  IrCtx *ctx, IrType *ret, const char **symbol, bool *pure,
                  char *err, size_t errsize);
  /* Bind a call of function 'id' with 'npos' positional arguments followed
   * by keyword arguments named 'kw' ('nkw') to its parameters: set '*nparams'
   * (at most 'maxparams') and for each parameter i either map[i] = index of
   * the call argument (0-based, positional then keyword) or map[i] = -1 and
   * defaults[i] = its default value, or (a *args parameter) map[i] =
   * IR_BIND_STAR - k: the tuple of the positional arguments from k on.  Return 0, or -1 with a Python-style
   * message in 'err' ("g() missing 1 required positional argument: 'b'"). */
  int (*bind)(void *host, int64_t id, uint32_t npos, const char *const *kw, uint32_t nkw,
              int32_t *map, IrDefault *defaults, uint32_t maxparams, uint32_t *nparams,
              char *err, size_t errsize);
  /* The library function that implements 'name' ("numpy.sum", "ndarray.sum":
   * a NumPy function or an array method, written in Python with ember.jit):
   * 0 with its id in '*id' (for call_sig and bind), or -1 if there is none. */
  int (*resolve)(void *host, const char *name, int64_t *id);
} IrHost;

struct IrCtx {
  IrArena *arena;
  uint32_t ntypes, typecap;
  IrTypeInfo *types;
  IrHost host;
  jmp_buf *jmp;          /* set by ir_ctx_run */
  IrErrCode err;         /* the compile error after a longjmp */
  int32_t errline;
  char errmsg[512];
  uint64_t maxalloc;     /* 0 = no cap; tests cap it to drive OOM paths */
  uint64_t nalloc;       /* bytes handed out */
  uint64_t callstrong;   /* during host.call_sig of a user function: bit i, argument i is an np.float64 */
};

/* -- ctx.c ---------------------------------------------------------------- */
IrCtx *ir_ctx_new(void);
void ir_ctx_free(IrCtx *ctx);
void *ir_alloc(IrCtx *ctx, size_t size);                   /* zeroed; aborts the compile on OOM */
void *ir_realloc(IrCtx *ctx, void *p, size_t old, size_t size);
char *ir_strdup(IrCtx *ctx, const char *s);
char *ir_strndup(IrCtx *ctx, const char *s, size_t n);
/* Run 'fn(ctx, arg)' with compile errors caught; returns the error code (EM_ERR_OK on success). */
IrErrCode ir_ctx_run(IrCtx *ctx, void (*fn)(IrCtx *, void *), void *arg);
/* Abort the compile with 'code' at 'line'; 'what' fills the %s of the format. */
_Noreturn void ir_error(IrCtx *ctx, IrErrCode code, int32_t line, const char *what);
_Noreturn void ir_errorf(IrCtx *ctx, IrErrCode code, int32_t line, const char *fmt, ...);
_Noreturn void ember_die(const char *msg);

/* -- type.c --------------------------------------------------------------- */
void ir_type_init(IrCtx *ctx);                   /* the fixed types; called by ir_ctx_new */
const IrTypeInfo *ir_type_info(IrCtx *ctx, IrType t);
IrType ir_type_tuple(IrCtx *ctx, const IrType *elem, uint16_t n);
IrType ir_type_iter(IrCtx *ctx, IrType item, IrType iterable);
/* Array of element type 'dtype' (a number type), 'ndim' dimensions, layout
 * 'C', 'F' or 'A', read-only or not: "array<f64, 2, C>", "array<f32, 1, A, ro>". */
IrType ir_type_array(IrCtx *ctx, IrType dtype, int ndim, char layout, bool readonly);
IrType ir_type_slice(IrCtx *ctx, IrType start, IrType stop, IrType step);  /* "slice<int, none, none>" */
IrType ir_type_dtype(IrCtx *ctx, IrType scalar);                          /* "dtype<f32>" */
IrType ir_type_list(IrCtx *ctx, IrType item);                             /* "list<f64>" */
IrType ir_type_str(IrCtx *ctx, const char *text);                        /* str"f": a str literal */
IrType ir_type_dict(IrCtx *ctx, IrType key, IrType value, int view);      /* "dict<int, f64>"; view 1-3: keys values items */
uint32_t ir_type_size(IrCtx *ctx, IrType t);     /* bytes of a number type in an array (bool 1) */
/* Write the text name of 't' ("int", "f64", "(int, f64)") into 'buf'. */
const char *ir_type_name(IrCtx *ctx, IrType t, char *buf, size_t size);
/* Parse a type name at '*s', advancing it; returns IRT_VOID on failure. */
IrType ir_type_parse(IrCtx *ctx, const char **s);
bool ir_type_is_num(IrCtx *ctx, IrType t);       /* bool, ints, floats, complex */
/* Number of 64-bit slots 't' takes in the native argument/return ABI. */
uint32_t ir_type_slots(IrCtx *ctx, IrType t);

/* -- func.c: building ---------------------------------------------------- */
IrFunc *ir_func_new(IrCtx *ctx, const char *name, const char *file, int32_t firstline);
IrBlk ir_block_new(IrFunc *fn);
IrRef ir_block_param(IrFunc *fn, IrBlk b, IrType t);             /* append a parameter */
void ir_block_param_remove(IrFunc *fn, IrBlk b, uint32_t i);     /* drop parameter i and the matching branch arguments */
/* Append an instruction to block 'b'; returns its value.  'args' is copied. */
IrRef ir_emit(IrFunc *fn, IrBlk b, IrOp op, IrType t, const IrRef *args, uint32_t nargs, int32_t line);
/* Insert before position 'pos' of block 'b' instead of appending. */
IrRef ir_insert(IrFunc *fn, IrBlk b, uint32_t pos, IrOp op, IrType t, const IrRef *args, uint32_t nargs, int32_t line);
IrRef ir_const_int(IrFunc *fn, IrBlk b, IrType t, int64_t v, int32_t line);
IrRef ir_const_float(IrFunc *fn, IrBlk b, IrType t, double v, int32_t line);
IrRef ir_const_complex(IrFunc *fn, IrBlk b, double re, double im, int32_t line);
IrRef ir_const_none(IrFunc *fn, IrBlk b, int32_t line);
/* Terminators. */
void ir_br(IrFunc *fn, IrBlk b, IrBlk to, const IrRef *args, uint32_t nargs, int32_t line);
void ir_cbr(IrFunc *fn, IrBlk b, IrRef cond, IrBlk t, const IrRef *targs, uint32_t ntargs,
            IrBlk f, const IrRef *fargs, uint32_t nfargs, int32_t line);
void ir_ret(IrFunc *fn, IrBlk b, IrRef v, int32_t line);
void ir_raise(IrFunc *fn, IrBlk b, IrRtErr kind, int32_t line);
/* raise 'kind' with operands 'args' (USER: the values of the exception aux.s names). */
IrRef ir_raise_args(IrFunc *fn, IrBlk b, IrRtErr kind, const IrRef *args, uint32_t nargs, int32_t line);
/* Add 'arg' to the arguments that successor 'i' of terminator 'term' passes. */
void ir_succ_addarg(IrFunc *fn, IrRef term, uint32_t i, IrRef arg);
IrRef ir_block_term(IrFunc *fn, IrBlk b);        /* last instruction if it is a terminator, else 0 */
/* Make 'v' the operation `op args[0..n)` in place (n <= 2), its aux cleared. */
void ir_val_set(IrFunc *fn, IrRef v, IrOp op, IrRef a, IrRef b, uint32_t n);
/* Replace every use of 'from' by 'to' (operands and branch arguments). */
void ir_replace_uses(IrFunc *fn, IrRef from, IrRef to);
/* Turn 'v' into a nop and take it out of its block. */
void ir_remove(IrFunc *fn, IrRef v);
void ir_fill_preds(IrFunc *fn);
/* 'v' is pure by its opcode and is not an in-place `x op= y` (which may write an array). */
bool ir_is_pure(IrFunc *fn, IrRef v);
/* Reverse postorder of live blocks from the entry; returns the count, 'out' sized nblocks. */
uint32_t ir_fill_rpo(IrFunc *fn, IrBlk *out);
static inline IrVal *ir_val(IrFunc *fn, IrRef r) { return &fn->vals[r]; }
static inline IrBlock *ir_blk(IrFunc *fn, IrBlk b) { return &fn->blocks[b]; }

/* -- print.c / parse.c ---------------------------------------------------- */
void ir_func_print(IrFunc *fn, FILE *out);
char *ir_func_print_str(IrFunc *fn);             /* malloc'd; caller frees */
const char *ir_rterr_name(int kind);             /* "INT_OVERFLOW" */
const char *ir_intrin_name(int id);              /* "SQRT" */
/* Values print densely renumbered in print order; blocks keep their index. */
/* Parse every function in 'text'; returns the count and fills 'fns' (arena).
 * On error returns -1 with "file:line:col: message" in ctx->errmsg. */
int ir_parse(IrCtx *ctx, const char *text, const char *file, IrFunc ***fns);

/* -- verify.c ------------------------------------------------------------- */
/* Check the invariants listed at the top of verify.c; returns 0 or writes
 * a message to 'err' and returns -1. */
int ir_func_verify(IrFunc *fn, char *err, size_t errsize);

/* Walk the live blocks and their instructions. */
#define IR_FOREACH_BLOCK(fn, b) \
  for (IrBlk b = 0; b < (fn)->nblocks; b++) if (!(fn)->blocks[b].dead)

#endif
