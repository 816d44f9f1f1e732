/* targets/llvm/llvm.h: private header of the LLVM lowering (targets/llvm/).
 *
 * The lowering walks one typed IrFunc and builds one LLVM module holding
 *   i32 <sym>(ptr noalias ret, ptr noalias err, leaves...)   the inner function
 *   i32 <sym>_entry(ptr args, ptr ret, ptr err)              the C entry
 * Every IR value is a short array of LLVM "leaves" (see leaf_types in
 * lower.c): bool i1, int i64, f64 double, c128 two doubles, range three
 * i64 (start, stop, step), iterator one ptr to an alloca'd cursor, tuples
 * flattened, none nothing.  Block parameters become one phi per leaf.
 *
 * Runtime errors branch to one shared error block per function whose phis
 * carry the kind (i32 IrRtErr) and source line; it stores both into *err
 * and returns 1.  A failed callee returns 1 through a second block that
 * leaves *err as the callee filled it.
 *
 * Files: lower.c (walk, blocks, calls, iteration, the entry wrapper),
 * arith.c (numbers: Python int, CPython float and complex semantics),
 * intrin.c (math module and builtins), array.c (the array primitives:
 * an array is the leaves meminfo, data, shape[ndim], strides[ndim]),
 * numpy.c (NumPy scalar arithmetic).
 */
#ifndef EMBER_TARGETS_LLVM_H
#define EMBER_TARGETS_LLVM_H

#include <llvm-c/Core.h>

#include "../targets.h"

/* Names of the C runtime helpers (targets/native/runtime.c) the code calls. */
#define LLVM_RT_FPOW     "ember_rt_fpow"       /* i32 (double, double, ptr out) */
#define LLVM_RT_CPOW     "ember_rt_cpow"       /* i32 (double x4, ptr out[2]) */
#define LLVM_RT_ROUNDN   "ember_rt_roundn"     /* i32 (double, i64, ptr out) */
#define LLVM_RT_ROUNDNI  "ember_rt_roundn_int" /* i32 (i64, i64, ptr out) */
#define LLVM_RT_GAMMA    "ember_rt_gamma"      /* double (double): NaN domain, inf range */
#define LLVM_RT_LGAMMA   "ember_rt_lgamma"     /* double (double) */
#define LLVM_RT_HYPOT    "ember_rt_hypot"      /* double (double, double): 3.12+ */
#define LLVM_RT_HYPOT310 "ember_rt_hypot310"   /* double (double, double): 3.10, 3.11 */

typedef struct {
  uint32_t n;               /* leaf count */
  LLVMValueRef *v;
} Leaves;

/* Overflow checks deferred while an arm is lowered (lower_ifconv): 'bad'
 * (i1) true if one failed in the arm taken, 'guard' true if one may have
 * failed in either arm (cheaper: no arm condition), 'line' (i32) the first
 * failure's line.  All NULL if none. */
typedef struct {
  LLVMValueRef bad, guard, line;
} Pend;

/* Lowering state of one function. */
typedef struct Low {
  IrFunc *fn;
  IrCtx *ctx;
  const TgOptions *opt;
  LLVMContextRef C;
  LLVMModuleRef M;
  LLVMBuilderRef B;
  LLVMValueRef F;           /* the inner function */
  LLVMBasicBlockRef entry;  /* allocas live here */
  LLVMBasicBlockRef *bb;    /* per IR block */
  LLVMValueRef **phis;      /* per IR block: phis of all its parameter leaves */
  Leaves *val;              /* per IR value */
  LLVMBasicBlockRef errbb, propbb;
  LLVMBasicBlockRef okbb;   /* continuation of the check begun by llvm_check_begin */
  LLVMValueRef errkind, errline;     /* phis of errbb */
  LLVMTypeRef i1, i32, i64, f64, ptr;
  unsigned prof_kind;       /* metadata kind id of "prof" */
  LLVMValueRef cold_w;      /* branch-weights node: taken rarely */
  int32_t line;             /* line of the instruction being lowered */
  uint8_t *modular;         /* per IR value: an int only observed modulo 2**64 (lower.c) */
  bool wrap;                /* the instruction being lowered is such an int: no overflow check */
  bool npop;                /* the arithmetic being lowered is on NumPy floats (IR_AUX_NUMPY): no zero check */
  uint8_t *arm;             /* per IR block: run unconditionally by its predecessor's branch */
  IrBlk *ifjoin;            /* per IR block: join + 1 of its if-converted branch, or 0 */
  bool spec;                /* lowering an arm: overflow checks are deferred */
  LLVMValueRef armcond;     /* i1: the arm being lowered is the one taken */
  Pend pend;                /* the arm's deferred overflow checks */
  LLVMValueRef prod;        /* last checked product by a constant (arith.c) ... */
  int64_t prodlo, prodhi;   /* ... and its range when its check passes */
  bool f2i;                 /* the block being lowered converts a float with cvttsd2si (arith.c) */
  char *err;                /* first lowering failure; NULL if none */
  size_t errsize;
  bool failed;
} Low;

/* -- lower.c -------------------------------------------------------------- */
/* Build the functions of 'fn' named 'sym' into module 'M'; returns 0 or -1 with 'err'. */
int llvm_emit_func(IrFunc *fn, const char *sym, LLVMModuleRef M, const TgOptions *opt,
                   char *err, size_t errsize);
void llvm_fail(Low *L, const char *fmt, ...);
/* Leaves of value 'r' (already lowered). */
Leaves llvm_get(Low *L, IrRef r);
/* Branch to the error block with 'kind' (i32 value) when 'bad' (i1) is true. */
void llvm_check(Low *L, LLVMValueRef bad, LLVMValueRef kind);
void llvm_checkk(Low *L, LLVMValueRef bad, IrRtErr kind);
/* An int overflow check (RT_INT_OVERFLOW); deferred while an if-converted arm
 * is lowered (lower_ifconv), and then raised only if that arm is taken. */
void llvm_check_ovf(Low *L, LLVMValueRef bad);
/* The same for a 'bad' already false where the arm is not taken (computed on
 * llvm_spec_input), with 'guard' the test on the arm's own values. */
void llvm_check_ovf_taken(Low *L, LLVMValueRef bad, LLVMValueRef guard);
/* 'x' in a taken arm, else 0: a check that 0 passes then needs no arm condition. */
LLVMValueRef llvm_spec_input(Low *L, LLVMValueRef x);
/* A check whose kind is computed on the cold path: llvm_check_begin leaves the
 * builder in a block entered when 'bad'; llvm_check_end(kind) jumps from there
 * to the error block and moves the builder to the ok path. */
void llvm_check_begin(Low *L, LLVMValueRef bad);
void llvm_check_end(Low *L, LLVMValueRef kind);
/* Or from there to the error block only if 'bad' (the test of check_begin was a filter). */
void llvm_check_end_if(Low *L, LLVMValueRef bad, LLVMValueRef kind);
/* Store the leaves of 'r' into the 64-bit slots at 'base' (the native ABI), or load a 't' from them. */
void llvm_slots_store(Low *L, LLVMValueRef base, IrRef r);
void llvm_slots_load(Low *L, LLVMValueRef base, IrType t, LLVMValueRef *out);
/* Call intrinsic 'name' overloaded on 'ty' (may be NULL for non-overloaded). */
LLVMValueRef llvm_intrinsic(Low *L, const char *name, LLVMTypeRef ty, LLVMValueRef *args,
                            unsigned nargs);
/* Call external function 'name' of type 'ret(params...)'; 'pure' marks it memory(none). */
LLVMValueRef llvm_callext(Low *L, const char *name, LLVMTypeRef ret, LLVMTypeRef *params,
                          LLVMValueRef *args, unsigned nargs, bool pure);
LLVMValueRef llvm_alloca(Low *L, LLVMTypeRef ty, const char *name);
LLVMBasicBlockRef llvm_newbb(Low *L, const char *name);
LLVMValueRef llvm_f64(Low *L, double x);
LLVMValueRef llvm_i64(Low *L, int64_t x);
LLVMValueRef llvm_i32(Low *L, int32_t x);

/* -- arith.c -------------------------------------------------------------- */
/* Lower arithmetic, comparison, conversion op 'v' into 'out' (leaves sized by the result). */
void llvm_arith(Low *L, IrVal *v, LLVMValueRef *out);
/* f64 -> Python int, checked like int(x) (NaN, inf, out of range). */
LLVMValueRef llvm_f64_to_int(Low *L, LLVMValueRef x, IrRtErr bigkind);
/* After optimization: move each such check past a range test of its result
 * that already fails for INT64_MIN (the histogram's 0 <= b < n). */
void llvm_sink_f2i_checks(LLVMModuleRef M);
LLVMValueRef llvm_truth(Low *L, IrType t, LLVMValueRef *a);
LLVMValueRef llvm_fabs(Low *L, LLVMValueRef x);
LLVMValueRef llvm_isnan(Low *L, LLVMValueRef x);
LLVMValueRef llvm_isinf(Low *L, LLVMValueRef x);
LLVMValueRef llvm_isfinite(Low *L, LLVMValueRef x);

/* -- intrin.c ------------------------------------------------------------- */
void llvm_intrin(Low *L, IrVal *v, LLVMValueRef *out);

/* -- array.c: ashape astride bounds aload astore aview aalloc guard, cvt of arrays */
void llvm_array(Low *L, IrVal *v, LLVMValueRef *out);
/* NumPy float semantics (TgOptions.npmath): math functions and float division never raise;
 * also for the division being lowered when it has IR_AUX_NUMPY (L->npop). */
static inline bool llvm_npmath(const Low *L) { return (L->opt && L->opt->npmath) || L->npop; }
bool llvm_uses_arrays(IrFunc *fn);
void llvm_np_cdiv(Low *L, LLVMValueRef *a, LLVMValueRef *b, LLVMValueRef *out);   /* numpy.c: NumPy's complex / */               /* loads or stores array elements (the vectorizing pipeline) */

/* -- list.c: lnew llen lget lset lappend lresize ---------------------------- */
void llvm_list(Low *L, IrVal *v, LLVMValueRef *out);
/* getiter of a list, iterhas and iternext of its iterator (CPython's: the
 * length is read at each step); false if 'v' is not about a list. */
bool llvm_list_iter(Low *L, IrVal *v, LLVMValueRef *out);
/* -- dict.c: dnew dlen dfind dget dset ddel dkey dval dpack dclear ---------- */
void llvm_dict(Low *L, IrVal *v, LLVMValueRef *out);

/* -- numpy.c: arithmetic on NumPy scalars (i8..u64, f32, c64) ---------------- */
bool llvm_np_handles(Low *L, IrVal *v);          /* is 'v' NumPy arithmetic or a complex64 conversion? */
void llvm_np_arith(Low *L, IrVal *v, LLVMValueRef *out);

#endif
