/* targets/targets.h: typed IR to machine code; the one public header of targets/.
 *
 * The native ABI every compiled function has (targets/llvm/ emits it):
 *   inner  i32 <sym>(ptr ret, ptr err, <leaves of the arguments>)
 *   entry  i32 <sym>_entry(const u64 *args, u64 *ret, EmErr *err)
 * A "leaf" is a scalar of the flattened argument list: tuples are flattened
 * in order, none takes nothing, complex takes two.  In memory (args, ret)
 * each leaf is one 64-bit slot: bool 0/1, int as i64, f64 as its bits,
 * complex as two f64 slots (re, im).  ir_type_slots counts them.
 * Both return 0, or 1 with *err filled (EmErr.kind is an IrRtErr,
 * EmErr.line the source line and EmErr.where the raising function: a
 * constant "qualname\0file" string inside its object code, so a callee's
 * error names the callee).  A caller passes a callee's failure on with
 * *err as the callee left it.  err->depth counts nested compiled calls;
 * a call that would pass err->limit reports RT_RECURSION instead of
 * overflowing the native stack.
 *
 * LLVM starts on the first tg_compile, never before.  One LLJIT and one
 * TargetMachine (host CPU, all its features) serve the whole process;
 * tg_compile is serialized by the caller (jit/ holds a lock).
 */
#ifndef EMBER_TARGETS_H
#define EMBER_TARGETS_H

#include "../ir/ir.h"

typedef struct EmRt EmRt;

#define EM_NPAY IR_MAXPAY  /* values a guard may carry to its error (EmErr.pay) */

typedef struct EmErr {
  int32_t kind;      /* IrRtErr */
  int32_t line;
  int32_t depth;
  int32_t limit;
  const char *where; /* "qualname\0file" of the function that raised; NULL if unknown */
  const char *what;  /* RT_UNBOUND: the local's name (a constant of the object code), else NULL */
  EmRt *rt;          /* the runtime context of this call (arrays it allocates); may be NULL */
  int64_t index;     /* RT_INDEX: the index as written, its axis and the axis' size */
  int64_t size;
  int32_t axis;
  int32_t npay;      /* a guard's payload: npay values (ir/rterrors.def says what they are) */
  int64_t pay[EM_NPAY];
} EmErr;

/* Arrays.  An array value is the leaves meminfo (ptr), data (ptr),
 * shape[ndim] (i64), strides[ndim] (i64, bytes): 2 + 2*ndim slots.
 * meminfo is NULL for an array borrowed from the caller (a Python
 * argument), else the EmBuf that owns the data.  Compiled code allocates
 * through ember_rt_alloc (targets/native/rt_array.c): a 64-byte aligned
 * block, its data EM_BUF_HEADER bytes after the EmBuf, linked into the
 * call's EmRt.  The caller of the entry (jit/) owns the EmRt: after the
 * call it hands the buffers of returned arrays to NumPy and frees the
 * others (with free()). */
typedef struct EmBuf {
  struct EmBuf *next;
  int64_t nbytes;
  int64_t pad[6];           /* pad[0]: the block's size, header included (rt_array.c) */
} EmBuf;
#define EM_BUF_HEADER 64
_Static_assert(sizeof(EmBuf) == EM_BUF_HEADER, "EmBuf is the array header");
struct EmRt {
  EmBuf *bufs;       /* every buffer allocated during the call, newest first */
};
EmBuf *ember_rt_alloc(EmErr *err, int64_t nbytes);   /* NULL when out of memory */

/* Lists.  A list value is a pointer to its EmList: 'len' items of the item
 * type at 'data' (laid out as in an array of that type), room for 'cap'.
 * Both blocks come from ember_rt_alloc (targets/native/rt_list.c), so they
 * belong to the call's EmRt like arrays; jit/ copies a returned list. */
typedef struct EmList {
  int64_t len, cap;
  char *data;
} EmList;
EmList *ember_rt_list_new(EmErr *err, int64_t n, int64_t itemsize);   /* len n; NULL when out of memory */
int32_t ember_rt_list_grow(EmErr *err, EmList *l, int64_t n, int64_t itemsize);   /* room for n items; 1 when out of memory */
/* Dicts (targets/native/rt_dict.c).  A dict value is a pointer to its
 * EmDict: CPython's compact layout, entries in insertion order (a deleted
 * one keeps its place, hash -1, until a resize or ember_rt_dict_pack closes
 * the gaps) and an index table of entry numbers.  A key is 8 bytes of bits
 * (int64, uint64 or double: kkind), hashed as CPython hashes the number; a
 * value is 'vsize' bytes laid out as a list item.  Every block comes from
 * ember_rt_alloc, so it belongs to the call's EmRt. */
enum { EM_DK_INT, EM_DK_UINT, EM_DK_FLOAT, EM_DK_BOOL };
typedef struct EmDict {
  int64_t used, n, cap;   /* live items, entries taken (live or deleted), entry room */
  int64_t mask;           /* index slots - 1 (a power of two, less one) */
  int64_t *index;         /* -1 empty, -2 a deleted entry's slot, else an entry number */
  int64_t *hash;          /* per entry: its key's hash, -1 once deleted */
  int64_t *keys;          /* per entry: the key's bits */
  char *vals;             /* per entry: the value */
  int32_t kkind, vsize;
} EmDict;
EmDict *ember_rt_dict_new(EmErr *err, int64_t kkind, int64_t vsize, int64_t n);   /* room for n; NULL when out of memory */
int64_t ember_rt_dict_find(const EmDict *d, int64_t key);           /* entry number, -1 if absent */
int64_t ember_rt_dict_get(EmErr *err, const EmDict *d, int64_t key);  /* -1 absent: err->pay holds the key (RT_DICT_KEY) */
int64_t ember_rt_dict_slot(EmErr *err, EmDict *d, int64_t key);     /* entry of key, added last if new; -1 no memory, -2 a NaN key */
int32_t ember_rt_dict_del(EmErr *err, EmDict *d, int64_t key);      /* 1 if absent (err->pay as ember_rt_dict_get) */
void ember_rt_dict_pack(EmDict *d);
void ember_rt_dict_clear(EmDict *d);
EmDict *ember_rt_dict_copy(EmErr *err, const EmDict *d);            /* NULL when out of memory */
void ember_rt_release(EmBuf *b);                       /* free a block of ember_rt_alloc (or keep it for reuse) */

/* print() in compiled code (targets/llvm/lower.c): ember_rt_print calls the
 * host's hook (jit/print.c) with "<value codes>:<text>" and the values' slots. */
extern void (*ember_print_hook)(const char *what, const int64_t *vals);
void ember_rt_print(const char *what, const int64_t *vals);

/* NumPy's sort and partition of rows in memory (the intrinsic <prim>.np_sort,
 * ir/intrin.def): ember_rt_np_sort calls the host's hook (jit/array.c
 * jit_np_sort); 0, or -1 when it could not (no host, out of memory). */
typedef int64_t (*EmSortHook)(int64_t addr, int64_t rows, int64_t n, int64_t type, int64_t kind, int64_t out,
                              int64_t kth, int64_t nkth);
extern EmSortHook ember_sort_hook;
int64_t ember_rt_np_sort(int64_t addr, int64_t rows, int64_t n, int64_t type, int64_t kind, int64_t out,
                         int64_t kth, int64_t nkth);

/* NumPy's pairwise sum of the n items at 'addr', 'stride' bytes apart (the
 * intrinsics <prim>.pairwise_f64 / _f32): the float64 or float32 sum. */
double ember_rt_pairwise_f64(int64_t addr, int64_t n, int64_t stride);
double ember_rt_pairwise_f32(int64_t addr, int64_t n, int64_t stride);
/* The C-ordered array at 'dst' (ndim extents at 'desc') gets the items of 'src'
 * read with the byte strides that follow them (<prim>.bcast_copy); 0.0. */
double ember_rt_bcast_copy(int64_t dst, int64_t src, int64_t ndim, int64_t itemsize, int64_t desc);

typedef int32_t (*EmEntry)(const uint64_t *args, uint64_t *ret, EmErr *err);

typedef struct {
  int opt_level;          /* 0..3; default 3 */
  bool fastmath;
  bool npmath;            /* NumPy's semantics for floats: math functions and float division never raise */
  bool keep_llvm;         /* keep the optimized LLVM IR text in TgCode.llvm_ir */
  bool keep_asm;          /* keep the assembly text in TgCode.asm_text */
  bool defer_link;        /* only add the object code (entry NULL); tg_link links it */
  bool keep_object;       /* keep the object file in TgCode.obj (the on-disk cache stores it) */
  int pyversion;          /* 310..313: CPython algorithms that changed (math.hypot); 0 = newest */
} TgOptions;

typedef struct {
  EmEntry entry;
  char *llvm_ir;          /* malloc'd or NULL */
  char *asm_text;         /* malloc'd or NULL */
  char *obj;              /* malloc'd object file (keep_object) or NULL */
  size_t objsize;
  double t_lower, t_opt, t_codegen;  /* seconds */
  unsigned nparts;        /* the parts its module was optimized and emitted in (tg_compile_batch) */
} TgCode;

/* -- targets/native ------------------------------------------------------- */
/* Lower 'fn' (typed, after the pipeline) under symbol 'sym', optimize,
 * JIT it and fill 'out'.  Returns 0, or -1 with a message in 'err'. */
int tg_compile(IrFunc *fn, const char *sym, const TgOptions *opt, TgCode *out,
               char *err, size_t errsize);
/* Lower fns[0..n) (symbols syms[i], options opts[i]; none keeps text or
 * object) into one module: one optimization and one code generation for
 * a function and the callees compiled with it, which saves LLVM's fixed
 * cost of a module (about 1.5 ms each); outs[i] gets the entry of fns[i].
 * The pipeline is that of the last function (the outermost), with the
 * array passes when any function uses arrays.  After inlining, a big module
 * runs the rest of the pipeline and code generation in parts, on threads
 * (outs[n - 1].nparts; EMBER_CODEGEN_THREADS=N, default the CPUs online).
 * 0, or -1 with a message (nothing added). */
int tg_compile_batch(IrFunc *const *fns, const char *const *syms, const TgOptions *opts, uint32_t n,
                     TgCode *outs, char *err, size_t errsize);
#define TG_DEFER_LINK 1
/* Link the object of 'sym' added with defer_link and return its entry in
 * '*entry'; 0, or -1 with a message (then every object still waiting to be
 * linked is removed).  Mutually recursive functions are added deferred and
 * linked once the last of them is compiled. */
int tg_link(const char *sym, EmEntry *entry, char *err, size_t errsize);
/* Add object file 'obj' ('size' bytes, kept by an earlier tg_compile with
 * keep_object, perhaps in another process) that defines 'sym' and
 * '<sym>_entry', and look the entry up into '*entry': ORC links it against
 * the runtime symbols of this process; nothing is lowered or optimized.
 * With 'entry' NULL the object is only added, like defer_link, and tg_link
 * links it (objects that call each other).  0, or -1 with a message. */
int tg_load_object(const char *sym, const void *obj, size_t size, EmEntry *entry, char *err, size_t errsize);
/* Host description for cache keys and messages: "x86_64-pc-linux-gnu znver3 +avx2,...". */
const char *tg_host_description(void);
/* Seconds LLVM took to start (0 until the first compile). */
double tg_startup_seconds(void);
/* "19.1.7": the LLVM library's version, for cache keys. */
const char *tg_llvm_version(void);

/* -- targets/native/rt_blas.c: BLAS and LAPACK of the host's NumPy -------- */
/* Bind each function by its ILP64 name ("cblas_dgemm64_", "dgesv_64_") through
 * 'find' (NULL where missing; find NULL: none).  The host calls it once. */
void tg_blas_bind(void *(*find)(const char *name));
int64_t ember_rt_blas(int64_t op, int64_t type, int64_t p);   /* <prim>.blas: -1 missing, else 0 or LAPACK's info */

/* -- targets/native/rt_random.c: NumPy's legacy RandomState (MT19937) ----- */
enum { TG_RANDOM_N = 624 };
typedef struct TgRandom {
  uint32_t key[TG_RANDOM_N];
  int pos;                 /* the next word of key; TG_RANDOM_N: twist first */
  bool has_gauss, seeded;
  double gauss;            /* legacy_gauss's kept value, while has_gauss */
} TgRandom;
void tg_random_seed(TgRandom *r, uint32_t seed);                      /* init_genrand; drops a kept gauss */
void tg_random_seed_array(TgRandom *r, const uint32_t *key, int n);  /* init_by_array */
uint32_t tg_random_next32(TgRandom *r);
uint64_t tg_random_next64(TgRandom *r);                  /* first output in the high half */
double tg_random_double(TgRandom *r);                    /* [0, 1), 53 bits */
double tg_random_gauss(TgRandom *r);                     /* legacy_gauss */
uint64_t tg_random_interval(TgRandom *r, uint64_t max);  /* [0, max], masked rejection */

/* -- targets/native/hash.c: content hashes for cache keys (LLVM's BLAKE3) -- */
typedef struct TgHash TgHash;
TgHash *tg_hash_new(void);                                 /* NULL on OOM */
void tg_hash_update(TgHash *h, const void *data, size_t size);
void tg_hash_final(TgHash *h, uint8_t out[32]);            /* and frees 'h' */

#endif
