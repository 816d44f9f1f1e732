/* passes/passes.h: IR-to-IR passes and the pipeline; the one public header of passes/.
 *
 * Every pass has one entry point `void pass_<verb>(IrFunc *fn)`; options it
 * needs live in the PassOptions reached through pass_options(fn).  The
 * pipeline (pipeline.c) lists the phases in order and is the only place
 * that decides what runs when:
 *
 *   frontend -> infer -> lower -> canonicalize (fold, cse, bounds, canon, dce) -> simplify
 *     -> stabilize -> cleanup
 *
 * and later issues add grad, fuse and inplace between stabilize and cleanup.
 * After each phase an optional hook sees the IR
 * (inspect_ir, EMBER_DUMP) and debug builds run the verifier.
 */
#ifndef EMBER_PASSES_H
#define EMBER_PASSES_H

#include "../ir/ir.h"

/* Named rewrites (rewrites.def): RW_<name>, in table order.  ORDER RW */
typedef enum {
#define RW(name, phase, doc) RW_##name,
#include "rewrites.def"
#undef RW
  RW__COUNT
} PassRw;
#define PASS_MAXRW 96

typedef struct {
  const char *name, *phase, *doc;
} RwInfo;

typedef struct PassOptions {
  bool fastmath;
  bool npmath;                                   /* NumPy float semantics: math never raises (targets too) */
  bool verify;                                   /* run ir_func_verify after every phase */
  bool noboundscheck;                            /* lower: negative indices wrap, nothing is checked */
  /* Called after every phase (and once with "frontend" before the first). */
  void (*after)(void *ud, const char *phase, IrFunc *fn);
  void *ud;
  double seconds[16];                            /* time spent in each phase, in pipeline order */
  uint8_t rw_off[PASS_MAXRW];                    /* 1: rewrite RW_<i> is excluded */
  uint32_t rw_fired[PASS_MAXRW];                 /* how often each rewrite fired */
} PassOptions;

typedef struct {
  const char *name;
  void (*run)(IrFunc *fn);
  const char *doc;
} PassInfo;

/* -- pipeline.c ----------------------------------------------------------- */
extern const PassInfo pass_phases[];             /* NULL-terminated, in order */
/* Run the whole pipeline on 'fn' with 'opt' (may be NULL). */
void passes_run(IrFunc *fn, PassOptions *opt);
/* Run the passes named in 'list' ("fold dce", "infer canonicalize") in order; -1 on an unknown name. */
int passes_run_named(IrFunc *fn, const char *list, PassOptions *opt);
PassOptions *pass_options(IrFunc *fn);
/* Apply 'one' to every instruction in reverse postorder until nothing changes;
 * 'one' returns 0 (no change), 1 (changed in place) or 2 (removed 'v'). */
void pass_rewrite_rpo(IrFunc *fn, int (*one)(IrFunc *fn, IrRef v));
/* The normal form of canonicalize and simplify: a constant operand of a
 * commutative op goes right; true if 'x' changed. */
bool pass_commute_const(IrFunc *fn, IrVal *x);

/* -- rewrite.c: the table of named rewrites ------------------------------ */
extern const RwInfo pass_rewrites[RW__COUNT];
int pass_rewrite_find(const char *name);         /* RW_<name>, or -1 */
/* May rewrite 'id' run on 'fn' (not excluded; 'fast': only under fastmath)? */
bool pass_rw_on(IrFunc *fn, int id, bool fast);
void pass_rw_fired(IrFunc *fn, int id);          /* count one firing */

/* -- the passes, one file each -------------------------------------------- */
void pass_infer(IrFunc *fn);      /* infer.c (+ infer_array.c): types, builtin resolution, calls, purity */
void pass_lower(IrFunc *fn);      /* lower.c: array subscripts and iteration to the array primitives */
void pass_npsem(IrFunc *fn);      /* npsem.c (end of lower): which float divisions are NumPy's (IR_AUX_NUMPY) */
void pass_fold(IrFunc *fn);       /* fold.c: constant folding and branch folding */
void pass_cse(IrFunc *fn);        /* cse.c: common subexpressions of pure ops */
void pass_dce(IrFunc *fn);        /* dce.c: unused pure values */
void pass_bounds(IrFunc *fn);     /* bounds.c: bounds checks of loop indices proved inside the array */
void pass_simplify(IrFunc *fn);   /* simplify.c: algebraic identities that keep IEEE results */
void pass_cleanup(IrFunc *fn);    /* cleanup.c: unreachable blocks, jump threading, block merging, unused block params */
void pass_canon(IrFunc *fn);      /* canon.c: normal form of sums and products */
void pass_stabilize(IrFunc *fn);  /* stabilize.c: numerically stable forms */
void pass_fuse(IrFunc *fn);
/* infer_array.c: NumPy's name of element type 't' ("float64", "bool_"), as the ew names spell it. */
const char *pass_np_dtname(IrType t);       /* fuse.c: trees of whole-array operations to one library loop each */
/* fuse.c: typed value 'v' becomes a call of library function 'name' (IrHost.resolve:
 * jit/ember/_lib.py) with operands 'args' ('n'); its type must stay.  Without a
 * library (ember-opt) the call is named 'name'. */
void pass_call_library(IrFunc *fn, IrRef v, const char *name, const IrRef *args, uint32_t n);
void pass_canonicalize(IrFunc *fn); /* fold + canon + cse + dce */

#endif
