/* jit/jit.h: private header of jit/, the CPython layer of Ember.
 *
 * jit/ is the only folder (with tools/) that includes Python.h.  It owns:
 *   module.c      the _ember module: exceptions, the dispatcher table, init;
 *   dispatcher.c  the Dispatcher type: vectorcall, argument binding, the
 *                 per-dispatcher cache of compiled entries, Python API;
 *   typeof.c      argument typing and unboxing, result boxing, type codes;
 *   capture.c     a code object copied into an FeCode, and the FeResolver;
 *   compile.c     the compile lock, one compilation (frontend, passes,
 *                 targets through the _llvm capsule), IrHost.call_sig;
 *   cache.c       content keys, the on-disk cache of object code, the
 *                 process table of code by key, EMBER_RECORD;
 *   rterror.c     native error records (EmErr) to Python exceptions;
 *   llvm_module.c the _llvm module (links targets/ and LLVM), loaded on the
 *                 first compilation so that `import ember` stays cheap.
 *
 * Type codes.  An argument or result type is a short byte string: 'b' bool,
 * 'i' Python int held in an i64, 'f' float, 'c' complex, 'n' None, and a
 * tuple is '(' elements ')'.  The type key of a call is the concatenation
 * of its argument codes; it is built in C while unboxing, and the cache
 * compares keys with memcmp (no Python objects on the hot path).
 */
#ifndef EMBER_JIT_H
#define EMBER_JIT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "../ir/ir.h"
#include "../frontend/frontend.h"
#include "../passes/passes.h"
#include "../targets/targets.h"

#define PYVER (PY_MAJOR_VERSION * 100 + PY_MINOR_VERSION)

enum { TC_BOOL = 'b', TC_INT = 'i', TC_F64 = 'f', TC_C128 = 'c', TC_NONE = 'n',
       TC_TUP = '(', TC_END = ')',
       TC_ARRAY = 'A', TC_NPSCALAR = 'N', TC_DTYPE = 'D',   /* array.c: 'A' dtype ndim layout; 'N' dtype; 'D' dtype */
       TC_LIST = 'L',                                         /* list.c: 'L' item code */
       TC_DICT = 'M',                                         /* dict.c: 'M' key code, value code */
       TC_STR = 'S' };                                        /* typeof.c: 'S' length bytes: a str literal */

#define EM_KEYMAX 64      /* bytes of a type key or a result code */
#define EM_STRMAX 40      /* bytes of a str argument (a literal in the key) */
#define EM_SLOTMAX 256    /* 64-bit slots of the arguments or the result */
#define EM_MAXPARAMS 64   /* parameters a compiled function may have */
#define EM_PHASEMAX 24

/* The API the _llvm module exports through the capsule "ember._llvm._api". */
typedef struct {
  int version;
  int (*compile)(IrFunc *fn, const char *sym, const TgOptions *opt, TgCode *out,
                 char *err, size_t errsize);
  const char *(*host_description)(void);
  double (*startup_seconds)(void);
  int (*link)(const char *sym, EmEntry *entry, char *err, size_t errsize);
  int (*load_object)(const char *sym, const void *obj, size_t size, EmEntry *entry, char *err, size_t errsize);
  const char *(*llvm_version)(void);
  TgHash *(*hash_new)(void);
  void (*hash_update)(TgHash *h, const void *data, size_t size);
  void (*hash_final)(TgHash *h, uint8_t out[32]);
  const void *self;          /* an address inside _llvm (its build id goes into cache keys) */
  int (*compile_batch)(IrFunc *const *fns, const char *const *syms, const TgOptions *opts, uint32_t n,
                       TgCode *outs, char *err, size_t errsize);
  void (*buf_release)(EmBuf *b);
  void (**print_hook)(const char *what, const int64_t *vals);   /* targets' ember_print_hook: jit_print */
  EmSortHook *sort_hook;                                        /* targets' ember_sort_hook: jit_np_sort */
  void (*blas_bind)(void *(*find)(const char *name));           /* tg_blas_bind: jit_blas_find (blas.c) */
} EmLlvmApi;
/* Disp.npmath: CPython's errors; error_model="numpy"; a fused loop of ember._lib
 * (its rewrites count in its caller's stats, inspect_ir shows it); a fused
 * reduction's driver (counted, not shown).  ember/__init__.py _npmath_code. */
enum { EM_NPMATH_PYTHON, EM_NPMATH_USER, EM_NPMATH_FUSED, EM_NPMATH_DRIVER };

#define EM_LLVM_API_VERSION 7

#define EM_HASHLEN 32        /* bytes of a cache key (BLAKE3) */

/* One compiled signature of a dispatcher; never freed before its dispatcher
 * (native code that calls it may live longer: dispatchers referenced by
 * other compiled code stay alive in the dispatcher table). */
typedef struct Ent {
  EmEntry entry;
  uint8_t keylen, retlen, decllen;
  uint8_t key[EM_KEYMAX];    /* argument types */
  uint8_t ret[EM_KEYMAX];    /* result type the native code returns */
  uint8_t decl[EM_KEYMAX];   /* declared result type (eager signature) or empty */
  bool pure;
  bool loaded;               /* from the on-disk cache or shared with another dispatcher */
  uint8_t ckey[EM_HASHLEN];  /* content key (cache.c): the symbol and the cache file derive from it */
  char *sym;                 /* inner native symbol (malloc) */
  PyObject *irs;             /* dict: phase -> IR text */
  PyObject *times;           /* dict: stage -> seconds */
  PyObject *rewrites;        /* dict: rewrite name -> times it fired (passes/rewrites.def) */
  PyObject *llvm, *asm_;     /* str or NULL: filled by inspect_llvm/inspect_asm */
} Ent;

typedef struct Disp {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject *func;            /* the Python function */
  PyObject *code;            /* its code object at decoration */
  PyObject *qualname;        /* str */
  PyObject *varnames;        /* tuple: co_varnames */
  PyObject *dict;            /* __dict__: __name__, __doc__, __wrapped__, ... */
  PyObject *weakrefs;
  uint32_t argcount, posonly, kwonly, nparams;
  uint32_t coflags, ncells;
  bool fastmath;
  uint8_t npmath;            /* NumPy's float semantics (math never raises) and why: EM_NPMATH_* */
  bool cache;                /* read and write the on-disk cache (cache.c) */
  bool noboundscheck;        /* boundscheck=False: indices only wrap */
  uint8_t rw_off[PASS_MAXRW];  /* rewrites={"exclude": [...]}: 1 = off */
  int64_t id;                /* index in the dispatcher table, -1 until referenced */
  uint64_t serial;           /* process-unique number, for symbols */
  uint32_t nent, entcap;
  Ent **ent;
  Ent *last;                 /* most recent hit */
  uint64_t ncompiled, nfallback, nloaded;
} Disp;

/* -- module.c ------------------------------------------------------------- */
extern PyObject *em_CompileError, *em_UnsupportedError, *em_TypingError;
extern PyTypeObject Disp_Type;
/* Index of 'd' in the process-wide dispatcher table (registers it, kept alive). */
int64_t jit_disp_id(Disp *d);
Disp *jit_disp_byid(int64_t id);                /* borrowed, NULL if none */
double jit_now(void);                           /* monotonic seconds */
extern int jit_reclimit;                        /* EmErr.limit: sys.getrecursionlimit() at the last compile, capped */
void jit_reclimit_update(void);

/* -- dispatcher.c --------------------------------------------------------- */
Ent *jit_disp_lookup(Disp *d, const uint8_t *key, uint32_t keylen);
void jit_disp_install(Disp *d, Ent *e);
/* Raise 'exc' as "cannot compile <qualname> (<file>:<line>): <msg>". */
void jit_compile_error(Disp *d, PyObject *exc, int line, const char *msg);
const char *jit_disp_file(Disp *d);             /* co_filename as UTF-8 */
/* IrHost.bind: keyword and default binding of a call from compiled code. */
int jit_host_bind(void *host, int64_t id, uint32_t npos, const char *const *kw, uint32_t nkw, int32_t *map,
                  IrDefault *defaults, uint32_t maxparams, uint32_t *nparams, char *err, size_t errsize);

/* -- typeof.c ------------------------------------------------------------- */
typedef struct {
  uint8_t key[EM_KEYMAX];
  uint32_t keylen, nslots;
  uint64_t slots[EM_SLOTMAX];
  int bad;               /* index of the first argument that could not be typed, or -1 */
  int bigint;            /* an int did not fit in 64 bits */
  int toolong;           /* argument 'bad' made the key or the slots too long */
  EmBuf *bufs;           /* copies of list arguments (list.c): the call's runtime context frees them */
} ArgPack;
/* Type and unbox 'n' arguments into 'p'; 0 on success, -1 with p->bad or
 * p->bigint set (no Python exception). */
int jit_typeof_args(PyObject *const *args, uint32_t n, ArgPack *p);
/* The same, inline for the common all-scalar calls. */
static inline int jit_typeof_fast(PyObject *const *args, uint32_t n, ArgPack *p)
{
  if (n > 16) return jit_typeof_args(args, n, p);
  uint32_t k = 0;
  p->bufs = NULL;
  for (uint32_t i = 0; i < n; i++) {
    PyObject *o = args[i];
    PyTypeObject *t = Py_TYPE(o);
    if (t == &PyLong_Type) {
#if PYVER >= 312
      if (PyUnstable_Long_IsCompact((PyLongObject *)o)) {
        p->slots[k] = (uint64_t)(int64_t)PyUnstable_Long_CompactValue((PyLongObject *)o);
        p->key[k++] = TC_INT;
        continue;
      }
#endif
      int ovf;
      long long v = PyLong_AsLongLongAndOverflow(o, &ovf);
      if (ovf) return jit_typeof_args(args, n, p);
      p->slots[k] = (uint64_t)v;
      p->key[k++] = TC_INT;
    } else if (t == &PyFloat_Type) {
      double v = PyFloat_AS_DOUBLE(o);
      memcpy(&p->slots[k], &v, 8);
      p->key[k++] = TC_F64;
    } else if (t == &PyBool_Type) {
      p->slots[k] = o == Py_True;
      p->key[k++] = TC_BOOL;
    } else {
      return jit_typeof_args(args, n, p);
    }
  }
  p->keylen = p->nslots = k;
  return 0;
}

/* Box the result of code 'code' from 'slots'; 'want' (may be NULL) converts to a declared type. */
PyObject *jit_box(const uint8_t *code, uint32_t len, const uint64_t *slots,
                  const uint8_t *want, uint32_t wantlen);
/* Length of the one type code at 'c' (a tuple counts to its ')'). */
uint32_t jit_code_len(const uint8_t *c, uint32_t n);
uint32_t jit_code_slots(const uint8_t *c, uint32_t n);
/* Append a readable name ("int64", "(float64, none)") of codes to 'buf'. */
void jit_code_name(const uint8_t *c, uint32_t n, char *buf, size_t size, bool list);
/* Signature text "float64(int64, int64)". */
PyObject *jit_sig_str(const Ent *e);
/* IR type of code 'c' in 'ctx' (tuples interned there); IRT_VOID if malformed. */
IrType jit_code_irtype(IrCtx *ctx, const uint8_t *c, uint32_t n);
/* Code of IR type 't' appended at 'out[*len]'; -1 if it has none. */
int jit_irtype_code(IrCtx *ctx, IrType t, uint8_t *out, uint32_t *len);

/* -- capture.c ------------------------------------------------------------ */
typedef struct Pool Pool;
Pool *pool_new(void);
void pool_free(Pool *p);
void *pool_alloc(Pool *p, size_t n);            /* zeroed; NULL on OOM */
char *pool_strdup(Pool *p, const char *s);
/* The texts of the str literals among the 'nparams' arguments of key 'c' into '*out' (pool 'p',
 * typeof.c): one entry a parameter, NULL where it is no str; NULL if none is.  -1 on OOM. */
int jit_code_strargs(Pool *p, const uint8_t *c, uint32_t n, uint32_t nparams, const char *const **out);
/* The function of ILP64 BLAS/LAPACK 'name' in the OpenBLAS NumPy loaded (blas.c); NULL if
 * there is none, or EMBER_NO_BLAS is set (compiled code then runs its own loops). */
void *jit_blas_find(const char *name);
/* Bind targets' BLAS table (api->blas_bind) the first time it is called with NumPy imported. */
void jit_blas_bind(const EmLlvmApi *api);
/* Copy code object 'code' of 'd' into an FeCode in 'p'; NULL with a Python exception. */
FeCode *jit_capture(Disp *d, Pool *p);
PyObject *jit_closure_value(Disp *d, PyObject *name);   /* a closure cell's value, borrowed, or NULL (capture.c) */
typedef struct { Disp *d; Pool *pool; IrCtx *ctx; } ResolveHost;   /* ctx: types of frozen arrays */
/* FeResolver.global over the function's globals and builtins; 'host' is a ResolveHost. */
int jit_resolve_global(void *host, const char *name, FeGlobal *out);
PyObject *jit_frozen_arrays(void);               /* the frozen copies of global arrays (a list, borrowed) or NULL */

/* -- compile.c ------------------------------------------------------------ */
int jit_compile_init(void);                     /* the compile lock; -1 with exception */
void jit_buf_release(EmBuf *b);                 /* free (or keep for reuse) a buffer compiled code allocated */
/* Compile 'd' for argument codes 'key'; 'decl' is a declared result type or
 * NULL.  Returns the installed entry or NULL with a Python exception. */
Ent *jit_compile(Disp *d, const uint8_t *key, uint32_t keylen,
                 const uint8_t *decl, uint32_t decllen);
/* UnsupportedError for generators, *args, closures, too many parameters; 0 if none. */
int jit_check_flags(Disp *d);
/* Recompile 'e' keeping the LLVM IR and assembly text; 0 or -1 with exception. */
int jit_inspect_native(Disp *d, Ent *e);
/* Phase names of the pipeline, "frontend" first: a new list. */
PyObject *jit_phase_names(void);
const char *jit_host_description(void);         /* NULL if LLVM not loaded */

/* -- cache.c -------------------------------------------------------------- */
typedef struct {               /* a compiled function that cached code calls */
  uint8_t key[EM_HASHLEN];
  uint8_t args[EM_KEYMAX];
  uint32_t nargs;
  const char *qualname, *sym;
} CacheCallee;

typedef struct {               /* one entry of the on-disk cache */
  uint8_t key[EM_HASHLEN];
  uint8_t args[EM_KEYMAX], ret[EM_KEYMAX];
  uint32_t nargs, nret;
  bool pure;
  const char *qualname, *module, *sym, *sig;
  uint32_t ncallees;
  CacheCallee *callees;
  const void *obj;             /* the object file */
  size_t objsize;
} CacheEntry;

typedef struct {               /* code of one content key present in this process */
  uint8_t key[EM_HASHLEN];
  char *sym;
  EmEntry entry;
  uint8_t ret[EM_KEYMAX];
  uint32_t nret;
  bool pure;
} Live;

extern PyObject *em_CacheWarning;
/* Content key of 'd' for argument codes 'args'; -1 with exception. */
int jit_cache_key(const EmLlvmApi *api, Disp *d, const uint8_t *args, uint32_t nargs, uint8_t key[EM_HASHLEN]);
/* The native symbol of 'key': "em_<qualname>_<32 hex digits>". */
void jit_cache_symbol(Disp *d, const uint8_t key[EM_HASHLEN], char *out, size_t size);
const Live *jit_live_find(const uint8_t key[EM_HASHLEN]);
void jit_live_add(const Ent *e);               /* after the code of 'e' is linked */
/* A new entry of 'd' for 'args' sharing the code of 'l' (not installed); NULL with exception. */
Ent *jit_live_ent(const Live *l, const uint8_t *args, uint32_t nargs);
/* Load the code of 'd' for 'args' (content key 'key') and of every callee
 * it names from the disk cache, link it and install the entries; the entry
 * of 'd', or NULL: with an exception only when a warning was made an error. */
Ent *jit_cache_load(const EmLlvmApi *api, Disp *d, const uint8_t *args, uint32_t nargs,
                    const uint8_t key[EM_HASHLEN]);
/* Write 'ce' atomically, then evict least recently used entries past the
 * size bound; best effort (one warning when the directory is unusable).
 * -1 with exception only when a warning was made an error. */
int jit_cache_store(const EmLlvmApi *api, const CacheEntry *ce);
bool jit_cache_can_store(void);                /* false once a write failed */
/* EMBER_RECORD=path: append "module<TAB>qualname<TAB>(argument types)" of 'e'. */
void jit_cache_record(Disp *d, const Ent *e);
PyObject *jit_cache_dir_obj(PyObject *m, PyObject *noargs);   /* _ember.cache_dir() */
/* -- print.c: print() in compiled code (the hook of ember_rt_print) ---------- */
void jit_print(const char *what, const int64_t *vals);
/* The quoted str at 'p' (rterror.c's notation, after its quote) formatting 'vals' (a tuple); new reference. */
PyObject *jit_quoted(const char *p, PyObject *vals);
/* -- array.c -------------------------------------------------------------- */
/* Type and unbox a NumPy array, scalar or dtype 'o' into 'p': 0 done, 1 not
 * one of those (numpy not loaded, or another type), -1 refused (see
 * jit_array_why), -3 the key or slots would be too long. */
int jit_array_typeof(PyObject *o, ArgPack *p);
/* NumPy sorts the 'rows' rows of n items of type 'type' (an IrType) at 'addr' in
 * place, or writes the intp indices that sort them to 'out' (nonzero); 'kind'
 * is NPY_SORTKIND; with nkth > 0 it partitions them instead at the nkth
 * indices at 'kth' (int64, in range).  The hook of ember_rt_np_sort: 0, or -1. */
int64_t jit_np_sort(int64_t addr, int64_t rows, int64_t n, int64_t type, int64_t kind, int64_t out, int64_t kth,
                    int64_t nkth);
const char *jit_array_why(void);                /* why the last array or scalar was refused; "" if none */
void jit_array_set_why(const char *s);          /* say why another argument (a list) was refused */
uint32_t jit_array_code_len(const uint8_t *c, uint32_t n);   /* of an 'A', 'N' or 'D' code; 0 if cut */
uint32_t jit_array_code_slots(const uint8_t *c);
/* A view of array code 'c' at slots 's' with no owner (print: used while the call runs); new reference. */
PyObject *jit_array_peek(const uint8_t *c, const uint64_t *s);
void jit_array_code_name(const uint8_t *c, char *buf, size_t size);   /* appended */
IrType jit_array_code_irtype(IrCtx *ctx, const uint8_t *c);
int jit_array_irtype_code(IrCtx *ctx, IrType t, uint8_t *out, uint32_t *len);
/* Box code 'c' ('A', 'N' or 'D') from the slots at 's' ('*si' advanced); new reference or NULL. */
PyObject *jit_array_box(const uint8_t *c, const uint64_t *s, uint32_t *si);
/* Box a call's result like jit_box, handing the buffers of returned arrays
 * to NumPy (views of arguments 'args' keep them alive) and freeing the
 * rest of 'rt'. */
PyObject *jit_box_call(const uint8_t *code, uint32_t len, const uint64_t *slots, const uint8_t *want,
                       uint32_t wantlen, EmRt *rt, PyObject *const *args, uint32_t nargs);
void jit_rt_free(EmRt *rt);                     /* free every buffer of a failed call */
/* While jit_box_call boxes a result: the object already boxed for 'key' (a new
 * reference) or NULL; keep 'o' as the one for 'key' (-1 out of memory). */
PyObject *jit_box_seen(const void *key);
int jit_box_keep(const void *key, PyObject *o);
/* list.c: 'L' codes; a list result copied into a Python list (slot at s[*si]). */
uint32_t jit_list_code_len(const uint8_t *c, uint32_t n);   /* 0 if cut */
uint32_t jit_list_item_size(const uint8_t *c, uint32_t n);   /* bytes of an item of code c (n bytes) in list memory, or 0 */
int jit_list_typeof(PyObject *o, ArgPack *p);   /* a list argument: typeof1's answers; the copy goes to p->bufs */
int jit_typeof_item(PyObject *o, ArgPack *p);   /* typeof.c: an item of a list argument (no str), typeof1's answers */
PyObject *jit_list_box(const uint8_t *c, uint32_t n, const uint64_t *s, uint32_t *si);
/* dict.c: 'M' codes; a dict result copied into a Python dict; dict arguments copied in. */
uint32_t jit_dict_code_len(const uint8_t *c, uint32_t n);   /* 0 if cut */
int jit_dict_typeof(PyObject *o, ArgPack *p);
PyObject *jit_dict_box(const uint8_t *c, uint32_t n, const uint64_t *s, uint32_t *si);
void jit_index_error(const EmErr *err);         /* raise NumPy's IndexError for RT_INDEX */
/* IrHost.resolve: the ember.jit function of ember._lib that implements 'name'. */
int jit_array_resolve(void *host, const char *name, int64_t *id);

/* -- vectorize.c ----------------------------------------------------------- */
PyObject *jit_make_ufunc(PyObject *self, PyObject *args);   /* _ember.make_ufunc: ember.vectorize's ufunc */

/* -- rterror.c ------------------------------------------------------------ */
/* Raise the Python exception for native error 'err' of entry 'e'; NULL. */
PyObject *jit_raise_rt(Disp *d, Ent *e, const EmErr *err);
/* numpy.linalg.LinAlgError (borrowed), the one class raise takes besides the builtins; NULL if absent. */
PyObject *jit_linalg_error(void);

#endif
