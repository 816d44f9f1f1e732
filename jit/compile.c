/* jit/compile.c: one compilation, the compile lock and IrHost.call_sig.
 *
 * Order of work for a cache miss (jit_compile):
 *   1. take the process-wide compile lock (reentrant per thread; waiting
 *      releases the GIL), look the key up again (another thread may have
 *      compiled it meanwhile);
 *   2. job_run: capture the code object, then inside ir_ctx_run: fe_build,
 *      argument types on the entry block parameters, passes_run (its
 *      after-hook keeps the IR text of every phase for inspect_ir);
 *      infer reaches other dispatchers through call_sig, which runs
 *      job_run for them recursively (a callee being compiled right now
 *      for the same types answers 1: recursion);
 *   3. the outermost compile lowers every job of the session through
 *      the _llvm capsule (loaded on the first compile) in the order
 *      their passes finished, callees first, and installs the entries.
 * Everything of a job is freed when the session ends; entries and their
 * symbols live as long as their dispatcher.
 *
 * Every job gets its content key (cache.c) before its frontend runs, and
 * its symbol from it.  Code of a key this process already has is shared,
 * not compiled again; a dispatcher with cache on (and every callee asked
 * for by one) first tries the disk cache, and its new code is stored
 * there after linking, with the callees its code calls.
 */
#include "jit.h"

#include <string.h>
#include <time.h>

typedef struct Job {
  Disp *d;                     /* strong */
  uint8_t key[EM_KEYMAX], ret[EM_KEYMAX], decl[EM_KEYMAX];
  uint32_t keylen, retlen, decllen;
  IrCtx *ctx;
  Pool *pool;
  FeCode *code;
  IrFunc *fn;
  ResolveHost rh;
  FeResolver res;
  PassOptions popt;
  char sym[160];
  PyObject *irs;               /* dict phase -> IR text */
  double t_capture, t_frontend;
  bool inspect;                /* keep LLVM IR and assembly, install nothing */
  bool pure;
  Ent *ent;                    /* after code generation */
  bool shared;                 /* the code of its key was in this process already */
  uint8_t ckey[EM_HASHLEN];    /* content key */
  CacheCallee *callees;        /* functions whose code call_sig gave it (malloc) */
  uint32_t ncallees, calleecap;
  char *obj;                   /* object file kept for the disk cache (malloc) */
  size_t objsize;
  PyObject *callee_exc;        /* class of a callee's compile error (borrowed: the ember classes) */
  PyObject *fused;             /* list of the IR texts of the fused loops it calls (after their stabilize) */
  struct Job *next;            /* active stack or pending list */
} Job;

static PyThread_type_lock lock;
static unsigned long lock_owner;
static int lock_depth;
static Job *active;            /* jobs whose passes run now, innermost first */
static Job *pending, **pending_tail = &pending;  /* passes done, awaiting code */
static const EmLlvmApi *llvm_api;
static uint64_t nsym;
static bool session_cache;     /* the outermost compile is of a dispatcher with cache on */
static bool startup_told;      /* LLVM's start-up time went into one entry's times */

int jit_compile_init(void)
{
  lock = PyThread_allocate_lock();
  if (!lock) { PyErr_NoMemory(); return -1; }
  return 0;
}

/* -- Lock ------------------------------------------------------------------ */

static void lock_acquire(void)
{
  unsigned long me = PyThread_get_thread_ident();
  if (lock_depth && lock_owner == me) { lock_depth++; return; }
  if (!PyThread_acquire_lock(lock, NOWAIT_LOCK)) {
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(lock, WAIT_LOCK);
    Py_END_ALLOW_THREADS
  }
  lock_owner = me;
  lock_depth = 1;
}

static void lock_release(void)
{
  if (--lock_depth) return;
  lock_owner = 0;
  PyThread_release_lock(lock);
}

/* -- Jobs ---------------------------------------------------------------------- */

static void job_free(Job *j)
{
  if (j->ctx) ir_ctx_free(j->ctx);
  pool_free(j->pool);
  for (uint32_t i = 0; i < j->ncallees; i++) free((char *)j->callees[i].sym);
  free(j->callees);
  free(j->obj);
  Py_XDECREF(j->irs);
  Py_XDECREF(j->fused);
  Py_XDECREF(j->d);
  free(j);
}

static void pending_drop(void)
{
  for (Job *j = pending, *n; j; j = n) { n = j->next; job_free(j); }
  pending = NULL;
  pending_tail = &pending;
}

/* Job of 'list' (linked by next) of content key 'ckey', or NULL. */
static Job *job_find(Job *list, const uint8_t ckey[EM_HASHLEN])
{
  for (Job *j = list; j; j = j->next)
    if (!j->inspect && memcmp(j->ckey, ckey, EM_HASHLEN) == 0) return j;
  return NULL;
}

/* The symbol of the content key; an inspect job's own copy gets a suffix. */
static void make_symbol(Job *j)
{
  jit_cache_symbol(j->d, j->ckey, j->sym, sizeof j->sym);
  size_t n = strlen(j->sym);
  if (j->inspect) snprintf(j->sym + n, sizeof j->sym - n, "_i%llu", (unsigned long long)nsym++);
}

/* Remember that 'j' was given the code of 'sym' (key 'ckey') for a call of 'g'. */
static void add_callee(Job *j, Disp *g, const uint8_t *key, uint32_t keylen, const uint8_t ckey[EM_HASHLEN],
                       const char *sym)
{
  for (uint32_t i = 0; i < j->ncallees; i++)
    if (!memcmp(j->callees[i].key, ckey, EM_HASHLEN)) return;
  if (j->ncallees == j->calleecap) {
    uint32_t cap = j->calleecap ? 2 * j->calleecap : 4;
    CacheCallee *n = realloc(j->callees, cap * sizeof *n);
    if (!n) return;            /* the entry then names too few callees: its load fails, never misleads */
    j->callees = n;
    j->calleecap = cap;
  }
  CacheCallee *c = &j->callees[j->ncallees];
  memcpy(c->key, ckey, EM_HASHLEN);
  memcpy(c->args, key, c->nargs = keylen);
  c->qualname = PyUnicode_AsUTF8(g->qualname);   /* the dispatcher outlives the job */
  if (!c->qualname) { PyErr_Clear(); c->qualname = "?"; }
  if ((c->sym = strdup(sym))) j->ncallees++;
}

/* passes after-hook: keep the printed IR of 'phase' where it may be asked
 * for.  Printing every phase of every function took about a tenth of a
 * compile (chain10: 3 of 40 ms), so only inspect jobs keep them all:
 * inspect_ir of a function compiled without compiles it again as one
 * (jit_inspect_native).  A fused loop keeps the two texts its callers'
 * inspect_ir shows (add_fused): it is not compiled again for them. */
static void after_hook(void *ud, const char *phase, IrFunc *fn)
{
  Job *j = ud;
  const char *dump = getenv("EMBER_DUMP");   /* EMBER_DUMP=infer,lower: print the IR after those phases */
  bool show = dump && (strstr(dump, phase) || !strcmp(dump, "all"));
  bool fused = j->d->npmath >= EM_NPMATH_FUSED && (!strcmp(phase, "lower") || !strcmp(phase, "stabilize"));
  if (!j->inspect && !show && !fused) return;
  char *text = ir_func_print_str(fn);
  if (!text) return;
  if (show) fprintf(stderr, "> after %s\n%s", phase, text);
  PyObject *s = PyUnicode_FromString(text);
  free(text);
  if (!s || PyDict_SetItemString(j->irs, phase, s)) PyErr_Clear();
  Py_XDECREF(s);
}

/* Inside ir_ctx_run: bytecode to IR, argument types, the pass pipeline. */
static void build(IrCtx *ctx, void *arg)
{
  Job *j = arg;
  double t = jit_now();
  IrFunc *fn = fe_build(ctx, j->code, &j->res);
  j->t_frontend = jit_now() - t;
  IrBlock *b0 = ir_blk(fn, 0);
  uint32_t i = 0, k = 0;
  for (; i < b0->nparams && k < j->keylen; i++) {
    uint32_t l = jit_code_len(j->key + k, j->keylen - k);
    IrType t = jit_code_irtype(ctx, j->key + k, l);
    if (!l || t == IRT_VOID) ember_die("jit: bad type key");
    ir_val(fn, b0->params[i])->type = t;
    ir_val(fn, b0->params[i])->aux.v.i = j->key[k] == TC_NPSCALAR;   /* np.float64: not weak (NEP 50) */
    k += l;
  }
  if (i != b0->nparams || k != j->keylen)
    ir_errorf(ctx, EM_ERR_ARGS, j->code->firstlineno, "the frontend made %u parameters for %u arguments",
              b0->nparams, j->d->nparams);
  passes_run(fn, &j->popt);
  j->fn = fn;
  if (j->fused && PyList_GET_SIZE(j->fused)) {   /* inspect_ir shows them after this function's IR */
    PyObject *sep = PyUnicode_FromString("\n");
    PyObject *text = sep ? PyUnicode_Join(sep, j->fused) : NULL;
    if (!text || PyDict_SetItemString(j->irs, "fused", text)) PyErr_Clear();
    Py_XDECREF(sep);
    Py_XDECREF(text);
  }
}

/* Scalar result conversions an eager signature may ask for. */
static bool widens(uint8_t from, uint8_t to)
{
  if (from == to) return true;
  if (from == TC_BOOL) return to == TC_INT || to == TC_F64 || to == TC_C128;
  if (from == TC_INT) return to == TC_F64 || to == TC_C128;
  return from == TC_F64 && to == TC_C128;
}

/* Is the declared 'decl' the result 'ret' itself: the same code, or a Python
 * int, float, bool or complex declared ("i8(i4[:])", Numba's) where the result
 * is the NumPy scalar of that type (np.int64: a sum of int32 items), which is
 * then returned as it is. */
static bool decl_same(const uint8_t *ret, uint32_t retlen, const uint8_t *decl, uint32_t decllen)
{
  if (decllen == retlen && memcmp(decl, ret, retlen) == 0) return true;
  if (retlen != 2 || ret[0] != TC_NPSCALAR || decllen != 1) return false;
  return (ret[1] == 'q' && decl[0] == TC_INT) || (ret[1] == 'd' && decl[0] == TC_F64) ||
         (ret[1] == '?' && decl[0] == TC_BOOL) || (ret[1] == 'D' && decl[0] == TC_C128);
}

/* Check declared result type 'decl' against the inferred 'ret' of 'd'; -1 with exception. */
static int decl_check(Disp *d, const uint8_t *ret, uint32_t retlen, const uint8_t *decl, uint32_t decllen, int line)
{
  if (decl_same(ret, retlen, decl, decllen)) return 0;
  bool ok = decllen == retlen;
  for (uint32_t i = 0; ok && i < retlen; i++) ok = widens(ret[i], decl[i]);
  if (ok) return 0;
  char a[256] = "", b[256] = "", msg[600];
  jit_code_name(ret, retlen, a, sizeof a, false);
  jit_code_name(decl, decllen, b, sizeof b, false);
  snprintf(msg, sizeof msg, "the result is %s, which cannot be returned as the declared %s", a, b);
  jit_compile_error(d, em_TypingError, line, msg);
  return -1;
}

static int check_decl(Job *j)
{
  return decl_check(j->d, j->ret, j->retlen, j->decl, j->decllen, j->code ? j->code->firstlineno : 0);
}

/* Reject code objects the frontend should never see; -1 with exception. */
int jit_check_flags(Disp *d)
{
  const char *what = NULL;
  if (d->coflags & (FE_CO_GENERATOR | FE_CO_COROUTINE | FE_CO_ITERABLE_COROUTINE | FE_CO_ASYNC_GENERATOR))
    what = "generators and coroutines are not supported";
  else if (d->coflags & FE_CO_VARKEYWORDS)
    what = "**kwargs parameters are not supported";
  else if (d->nparams > EM_MAXPARAMS)
    what = "functions with more than 64 parameters are not supported";
  if (!what) return 0;
  jit_compile_error(d, em_UnsupportedError, 0, what);
  return -1;
}

static int call_sig(void *host, int64_t id, const IrType *args, uint32_t nargs, IrCtx *ctx,
                    IrType *ret, const char **symbol, bool *pure, char *err, size_t errsize);

/* The error of a failed ir_ctx_run as a Python exception. */
static void ctx_error(Job *j)
{
  if (PyErr_Occurred()) return;
  IrCtx *ctx = j->ctx;
  char cls = ctx->err < EM_ERR__COUNT ? ir_errinfo[ctx->err].cls : 'I';
  PyObject *exc = cls == 'U' ? em_UnsupportedError : cls == 'T' ? em_TypingError : em_CompileError;
  if (j->callee_exc) exc = j->callee_exc;   /* the callee's construct is the cause */
  jit_compile_error(j->d, exc, ctx->errline, ctx->errmsg);
}

static const EmLlvmApi *load_llvm(void);

/* Capture, frontend and passes for 'd' and 'key' (content key 'ckey', or
 * NULL to compute it); the job or NULL with exception. */
static Job *job_run(Disp *d, const uint8_t *key, uint32_t keylen, const uint8_t *decl,
                    uint32_t decllen, bool inspect, const uint8_t *ckey)
{
  if (jit_check_flags(d)) return NULL;
  const EmLlvmApi *api = load_llvm();
  if (!api) return NULL;
  Job *j = calloc(1, sizeof *j);
  if (!j) return (Job *)PyErr_NoMemory();
  Py_INCREF(d);
  j->d = d;
  memcpy(j->key, key, keylen);
  j->keylen = keylen;
  if (decl) memcpy(j->decl, decl, decllen), j->decllen = decllen;
  j->inspect = inspect;
  if (ckey) memcpy(j->ckey, ckey, EM_HASHLEN);
  else if (jit_cache_key(api, d, key, keylen, j->ckey)) goto fail;
  double t = jit_now();
  j->pool = pool_new();
  j->irs = PyDict_New();
  if (!j->pool || !j->irs) { PyErr_NoMemory(); goto fail; }
  if (!(j->code = jit_capture(d, j->pool))) goto fail;
  if (jit_code_strargs(j->pool, key, keylen, d->nparams, &j->code->strargs)) { PyErr_NoMemory(); goto fail; }
  j->t_capture = jit_now() - t;
  if (!(j->ctx = ir_ctx_new())) { PyErr_NoMemory(); goto fail; }
  j->rh = (ResolveHost){d, j->pool, j->ctx};
  j->res = (FeResolver){&j->rh, jit_resolve_global};
  j->ctx->host = (IrHost){j, call_sig, jit_host_bind, jit_array_resolve};
  j->popt.fastmath = d->fastmath;
  j->popt.npmath = d->npmath != EM_NPMATH_PYTHON;
  memcpy(j->popt.rw_off, d->rw_off, sizeof j->popt.rw_off);
  j->popt.noboundscheck = d->noboundscheck;
#ifndef NDEBUG
  j->popt.verify = true;
#endif
  j->popt.after = after_hook;
  j->popt.ud = j;
  make_symbol(j);
  j->next = active;
  active = j;
  IrErrCode e = ir_ctx_run(j->ctx, build, j);
  active = j->next;
  j->next = NULL;
  if (e != EM_ERR_OK || !j->fn) { ctx_error(j); goto fail; }
  if (PyErr_Occurred()) goto fail;
  if (jit_irtype_code(j->ctx, j->fn->ret, j->ret, &j->retlen)) {
    char buf[128];
    jit_compile_error(d, em_TypingError, 0,
                      ir_type_name(j->ctx, j->fn->ret, buf, sizeof buf) ? buf : "the result type");
    goto fail;
  }
  if (j->decllen && check_decl(j)) goto fail;
  j->pure = j->fn->pure;
  return j;
fail:
  job_free(j);
  return NULL;
}

/* -- Code generation --------------------------------------------------------- */

static const EmLlvmApi *load_llvm(void)
{
  if (llvm_api) return jit_blas_bind(llvm_api), llvm_api;   /* bound once NumPy is imported */
  PyObject *m = PyImport_ImportModule("ember._llvm");   /* PyCapsule_Import does not import submodules */
  if (!m) return NULL;
  Py_DECREF(m);
  const EmLlvmApi *api = PyCapsule_Import("ember._llvm._api", 0);
  if (!api) return NULL;
  if (api->version != EM_LLVM_API_VERSION) {
    PyErr_SetString(PyExc_ImportError, "ember._llvm does not match ember._ember (reinstall ember)");
    return NULL;
  }
  *api->print_hook = jit_print;   /* print() in compiled code */
  *api->sort_hook = jit_np_sort;  /* np.sort and np.argsort */
  jit_blas_bind(api);             /* matmul, dot, np.linalg: NumPy's BLAS */
  return llvm_api = api;
}

void jit_buf_release(EmBuf *b)
{
  if (llvm_api) llvm_api->buf_release(b);   /* only compiled code makes buffers: loaded */
  else free(b);
}

const char *jit_host_description(void)
{
  return llvm_api ? llvm_api->host_description() : NULL;
}

static int setf(PyObject *dict, const char *k, double v)
{
  PyObject *f = PyFloat_FromDouble(v);
  int r = f ? PyDict_SetItemString(dict, k, f) : -1;
  Py_XDECREF(f);
  return r;
}

/* Stage times of 'j' as a dict, "total" being their sum. */
static PyObject *job_times(Job *j, const TgCode *c, double startup)
{
  PyObject *t = PyDict_New();
  if (!t) return NULL;
  double total = j->t_capture + j->t_frontend + c->t_lower + c->t_opt + c->t_codegen + startup;
  int r = setf(t, "capture", j->t_capture) | setf(t, "frontend", j->t_frontend);
  for (int i = 0; pass_phases[i].name && i < 16; i++) {
    r |= setf(t, pass_phases[i].name, j->popt.seconds[i]);
    total += j->popt.seconds[i];
  }
  r |= setf(t, "lower", c->t_lower) | setf(t, "opt", c->t_opt) | setf(t, "codegen", c->t_codegen);
  if (startup > 0) r |= setf(t, "llvm_startup", startup);
  r |= setf(t, "total", total);
  if (r) Py_CLEAR(t);
  return t;
}

static PyObject *text_or_null(char *s)
{
  if (!s) return NULL;
  PyObject *r = PyUnicode_FromString(s);
  if (!r) PyErr_Clear();
  free(s);
  return r;
}

/* The rewrites that fired in 'j' as a dict name -> count (NULL on error, cleared). */
static PyObject *job_rewrites(Job *j)
{
  PyObject *r = PyDict_New();
  for (int i = 0; r && i < RW__COUNT; i++) {
    if (!j->popt.rw_fired[i]) continue;
    PyObject *n = PyLong_FromUnsignedLong(j->popt.rw_fired[i]);
    if (!n || PyDict_SetItemString(r, pass_rewrites[i].name, n)) Py_CLEAR(r);
    Py_XDECREF(n);
  }
  if (!r) PyErr_Clear();
  return r;
}

/* The entry of a compiled job; NULL with exception. */
static Ent *job_entry(Job *j, TgCode *c, double startup)
{
  Ent *e = calloc(1, sizeof *e);
  if (!e || !(e->sym = strdup(j->sym))) { free(e); PyErr_NoMemory(); return NULL; }
  e->entry = c->entry;
  memcpy(e->key, j->key, e->keylen = (uint8_t)j->keylen);
  memcpy(e->ret, j->ret, e->retlen = (uint8_t)j->retlen);
  memcpy(e->decl, j->decl, e->decllen = (uint8_t)j->decllen);
  if (e->decllen && decl_same(e->ret, e->retlen, e->decl, e->decllen)) e->decllen = 0;
  e->pure = j->pure;
  e->irs = j->irs;
  j->irs = NULL;
  e->times = job_times(j, c, startup);
  e->rewrites = job_rewrites(j);
  e->llvm = text_or_null(c->llvm_ir);
  e->asm_ = text_or_null(c->asm_text);
  if (!e->times) PyErr_Clear();
  return e;
}

/* Lower one job; its entry or NULL with exception.  With 'defer' the object
 * code is only added (entry NULL) and link_pending looks the entries up. */
/* The code generation options of job 'j' that do not depend on the session. */
static TgOptions job_options(const Job *j)
{
  return (TgOptions){.opt_level = 3, .fastmath = j->d->fastmath, .npmath = j->d->npmath != EM_NPMATH_PYTHON,
                     .pyversion = PYVER};
}

static Ent *job_codegen(Job *j, const EmLlvmApi *api, bool defer)
{
  TgOptions o = job_options(j);
  o.keep_llvm = o.keep_asm = j->inspect;
  o.defer_link = defer;
  o.keep_object = !j->inspect && (session_cache || j->d->cache) && jit_cache_can_store();
  TgCode c;
  memset(&c, 0, sizeof c);
  char err[512] = "";
  int r;
  Py_BEGIN_ALLOW_THREADS
  r = api->compile(j->fn, j->sym, &o, &c, err, sizeof err);
  Py_END_ALLOW_THREADS
  if (r || (!c.entry && !defer)) {
    free(c.llvm_ir);
    free(c.asm_text);
    char msg[700];
    snprintf(msg, sizeof msg, "code generation failed: %s", err);
    jit_compile_error(j->d, em_CompileError, 0, msg);
    return NULL;
  }
  j->obj = c.obj;
  j->objsize = c.objsize;
  double startup = startup_told ? 0 : api->startup_seconds();
  startup_told |= startup > 0;   /* once: not again on the third compile */
  return job_entry(j, &c, startup);
}

/* The entry of a job whose code this process has already (key 'l'). */
static Ent *job_shared(Job *j, const Live *l)
{
  TgCode c;
  memset(&c, 0, sizeof c);
  c.entry = l->entry;
  j->shared = true;
  return job_entry(j, &c, 0);
}

static void ent_free(Ent *e)
{
  Py_XDECREF(e->irs);
  Py_XDECREF(e->times);
  Py_XDECREF(e->rewrites);
  Py_XDECREF(e->llvm);
  Py_XDECREF(e->asm_);
  free(e->sym);
  free(e);
}

/* Look up the entries of deferred jobs; -1 with exception. */
static int link_pending(const EmLlvmApi *api)
{
  for (Job *j = pending; j; j = j->next) {
    if (j->shared || !j->ent) continue;
    char err[512] = "";
    if (api->link(j->sym, &j->ent->entry, err, sizeof err) == 0 && j->ent->entry) continue;
    char msg[700];
    snprintf(msg, sizeof msg, "code generation failed: %s", err);
    jit_compile_error(j->d, em_CompileError, 0, msg);
    return -1;
  }
  return 0;
}

/* Whether the code of 'fn' calls 'sym'. */
static bool calls(IrFunc *fn, const char *sym)
{
  for (uint32_t b = 0; b < fn->nblocks; b++) {
    IrBlock *blk = ir_blk(fn, b);
    if (blk->dead) continue;
    for (uint32_t i = 0; i < blk->ninsts; i++) {
      IrVal *v = ir_val(fn, blk->insts[i]);
      if (v->op == IR_CALLFN && v->aux.v.s && !strcmp(v->aux.v.s, sym)) return true;
    }
  }
  return false;
}

/* Store the code of job 'j' in the disk cache with the callees its code
 * calls; -1 with exception only when a warning was made an error. */
static int job_store(Job *j, const EmLlvmApi *api)
{
  CacheEntry ce;
  memset(&ce, 0, sizeof ce);
  memcpy(ce.key, j->ckey, EM_HASHLEN);
  memcpy(ce.args, j->key, ce.nargs = j->keylen);
  memcpy(ce.ret, j->ret, ce.nret = j->retlen);
  ce.pure = j->pure;
  ce.qualname = PyUnicode_AsUTF8(j->d->qualname);
  PyObject *mod = j->d->func ? PyObject_GetAttrString(j->d->func, "__module__") : NULL;
  ce.module = mod && PyUnicode_Check(mod) ? PyUnicode_AsUTF8(mod) : "";
  PyObject *sig = jit_sig_str(j->ent);
  ce.sig = sig ? PyUnicode_AsUTF8(sig) : "";
  PyErr_Clear();
  if (!ce.qualname || !ce.module || !ce.sig) ce.qualname = ce.module = ce.sig = "?";
  ce.sym = j->sym;
  ce.callees = calloc(j->ncallees + 1, sizeof *ce.callees);
  for (uint32_t i = 0; ce.callees && i < j->ncallees; i++)
    if (calls(j->fn, j->callees[i].sym)) ce.callees[ce.ncallees++] = j->callees[i];
  ce.obj = j->obj;
  ce.objsize = j->objsize;
  int r = ce.callees ? jit_cache_store(api, &ce) : 0;
  free(ce.callees);
  Py_XDECREF(sig);
  Py_XDECREF(mod);
  return r;
}

/* Mark in 'need' the pending jobs whose code the code of 'want' may run:
 * 'want' and what the marked ones call.  A callee that infer compiled but
 * a later phase made dead (t.sum() of a tree that fuse turned into one
 * fused reduction) is not lowered; its dispatcher compiles it if it is
 * ever called. */
static void mark_needed(Job *want, bool *need, uint32_t n)
{
  Job **jobs = calloc(n, sizeof *jobs);
  uint32_t k = 0;
  for (Job *j = pending; j && k < n; j = j->next) jobs[k++] = j;
  for (uint32_t i = 0; i < n; i++) need[i] = !jobs || jobs[i] == want;
  for (bool grew = jobs != NULL; grew;) {
    grew = false;
    for (uint32_t i = 0; i < n; i++)
      for (uint32_t c = 0; need[i] && c < n; c++)
        if (!need[c] && calls(jobs[i]->fn, jobs[c]->sym)) need[c] = grew = true;
  }
  free(jobs);
}

/* Lower the jobs 'jobs[0..n)' (new code, none inspected or stored) into one
 * module; their entries, or -1 with exception. */
static int codegen_batch(Job **jobs, uint32_t n, const EmLlvmApi *api)
{
  IrFunc **fns = calloc(n, sizeof *fns);
  const char **syms = calloc(n, sizeof *syms);
  TgOptions *opts = calloc(n, sizeof *opts);
  TgCode *outs = calloc(n, sizeof *outs);
  int r = -1;
  if (!fns || !syms || !opts || !outs) { PyErr_NoMemory(); goto out; }
  for (uint32_t i = 0; i < n; i++) {
    fns[i] = jobs[i]->fn;
    syms[i] = jobs[i]->sym;
    opts[i] = job_options(jobs[i]);
  }
  char err[512] = "";
  Py_BEGIN_ALLOW_THREADS
  r = api->compile_batch(fns, syms, opts, n, outs, err, sizeof err);
  Py_END_ALLOW_THREADS
  if (r) {
    char msg[700];
    snprintf(msg, sizeof msg, "code generation failed: %s", err);
    jit_compile_error(jobs[n - 1]->d, em_CompileError, 0, msg);
    goto out;
  }
  double startup = startup_told ? 0 : api->startup_seconds();
  startup_told |= startup > 0;
  for (uint32_t i = 0; i < n && !r; i++)
    if (!(jobs[i]->ent = job_entry(jobs[i], &outs[i], i + 1 == n ? startup : 0))) r = -1;
out:
  free(fns);
  free(syms);
  free(opts);
  free(outs);
  return r;
}

/* Lower every pending job that 'want' needs, callees first, and install the
 * entries; 'out' gets the entry of 'want'.  New code goes into one module
 * where nothing of it is inspected or stored on disk; otherwise each job
 * is its own module (the disk cache stores one object per function), and
 * several jobs (callees compiled for a caller, perhaps mutually recursive)
 * are all added before any is linked.  -1 with exception (all dropped). */
static int codegen_pending(Job *want, Ent **out)
{
  const EmLlvmApi *api = load_llvm();
  if (!api) { pending_drop(); return -1; }
  uint32_t n = 0, nnew = 0;
  for (Job *j = pending; j; j = j->next) n++;
  bool *need = calloc(n ? n : 1, sizeof *need);
  Job **fresh = calloc(n ? n : 1, sizeof *fresh);
  if (!need || !fresh) { free(need); free(fresh); pending_drop(); PyErr_NoMemory(); return -1; }
  mark_needed(want, need, n);
  bool single = false;
  uint32_t i = 0;
  for (Job *j = pending; j; j = j->next, i++) {
    if (!need[i] || (!j->inspect && jit_live_find(j->ckey))) continue;
    fresh[nnew++] = j;
    single |= j->inspect || ((session_cache || j->d->cache) && jit_cache_can_store());
  }
  bool defer = nnew > 1;
  int r = 0;
  if (nnew > 1 && !single) r = codegen_batch(fresh, nnew, api);
  i = 0;
  for (Job *j = pending; j && !r; j = j->next, i++) {
    if (!need[i] || j->ent) continue;
    const Live *l = j->inspect ? NULL : jit_live_find(j->ckey);
    if (!(j->ent = l ? job_shared(j, l) : job_codegen(j, api, defer))) r = -1;
  }
  if (!r && defer && single) r = link_pending(api);
  for (Job *j = pending; j; j = j->next) {
    if (!j->ent) continue;
    if (r) { ent_free(j->ent); continue; }
    if (j == want) *out = j->ent;
    if (j->inspect) { if (j != want) ent_free(j->ent); continue; }
    memcpy(j->ent->ckey, j->ckey, EM_HASHLEN);
    jit_live_add(j->ent);
    jit_disp_install(j->d, j->ent);
    j->d->ncompiled++;
  }
  for (Job *j = pending; j && !r; j = j->next)
    if (j->obj && !j->inspect && job_store(j, api)) r = -1;
  free(need);
  free(fresh);
  pending_drop();
  return r;
}

/* -- Entry points ----------------------------------------------------------- */

/* The code of 'ckey' that this process has, or (with 'disk') the disk cache
 * has, installed in 'g' for 'key'; NULL if neither (with an exception only
 * when a cache warning was made an error). */
static Ent *reuse(Disp *g, const uint8_t *key, uint32_t keylen, const uint8_t ckey[EM_HASHLEN], bool disk)
{
  const Live *l = jit_live_find(ckey);
  if (l) {
    Ent *e = jit_live_ent(l, key, keylen);
    if (e) { jit_disp_install(g, e); g->nloaded++; }
    return e;
  }
  return disk ? jit_cache_load(llvm_api, g, key, keylen, ckey) : NULL;
}

/* Give entry 'e' of 'd' the declared result type 'decl'; -1 with TypingError. */
static int set_decl(Disp *d, Ent *e, const uint8_t *decl, uint32_t decllen)
{
  if (decl_check(d, e->ret, e->retlen, decl, decllen, 0)) return -1;
  if (!decl_same(e->ret, e->retlen, decl, decllen)) memcpy(e->decl, decl, e->decllen = (uint8_t)decllen);
  return 0;
}

Ent *jit_compile(Disp *d, const uint8_t *key, uint32_t keylen, const uint8_t *decl, uint32_t decllen)
{
  lock_acquire();
  Ent *e = jit_disp_lookup(d, key, keylen);
  if (e || lock_depth > 1) {
    if (!e) PyErr_SetString(PyExc_RuntimeError, "ember: a compiled function was called while compiling");
    lock_release();
    return e;
  }
  double t0 = jit_now();
  jit_reclimit_update();
  session_cache = d->cache;
  const EmLlvmApi *api = jit_check_flags(d) ? NULL : load_llvm();
  uint8_t ckey[EM_HASHLEN];
  if (!api || jit_cache_key(api, d, key, keylen, ckey)) {
    session_cache = false;
    lock_release();
    return NULL;
  }
  if (d->cache && (e = reuse(d, key, keylen, ckey, true))) {
    if (decl && set_decl(d, e, decl, decllen)) e = NULL;
  } else if (!PyErr_Occurred()) {
    Job *j = job_run(d, key, keylen, decl, decllen, false, ckey);
    if (j) {
      *pending_tail = j;
      pending_tail = &j->next;
    }
    if (!j || codegen_pending(j, &e)) { pending_drop(); e = NULL; }
  }
  if (e) {
    if (!e->times) e->times = PyDict_New();
    if (e->times) setf(e->times, "wall", jit_now() - t0);
    PyErr_Clear();
    jit_cache_record(d, e);
  }
  session_cache = false;
  lock_release();
  return e;
}

int jit_inspect_native(Disp *d, Ent *e)
{
  lock_acquire();
  if (lock_depth > 1) {
    lock_release();
    PyErr_SetString(PyExc_RuntimeError, "ember: inspect called while compiling");
    return -1;
  }
  Job *j = job_run(d, e->key, e->keylen, e->decllen ? e->decl : NULL, e->decllen, true, NULL);
  Ent *x = NULL;
  if (j) { *pending_tail = j; pending_tail = &j->next; }
  int r = j && !codegen_pending(j, &x) && x ? 0 : -1;
  if (!j) pending_drop();
  if (x) {
    Py_XSETREF(e->llvm, x->llvm);
    Py_XSETREF(e->asm_, x->asm_);
    x->llvm = x->asm_ = NULL;
    if (x->irs) {   /* every phase's IR, which a compile without inspect does not keep (after_hook) */
      Py_XSETREF(e->irs, x->irs);
      x->irs = NULL;
    }
    ent_free(x);
  }
  lock_release();
  return r;
}

PyObject *jit_phase_names(void)
{
  PyObject *l = PyList_New(0);
  PyObject *s = PyUnicode_FromString("frontend");
  if (!l || !s || PyList_Append(l, s)) goto fail;
  Py_CLEAR(s);
  for (int i = 0; pass_phases[i].name; i++) {
    s = PyUnicode_FromString(pass_phases[i].name);
    if (!s || PyList_Append(l, s)) goto fail;
    Py_CLEAR(s);
  }
  return l;
fail:
  Py_XDECREF(s);
  Py_XDECREF(l);
  return NULL;
}

/* -- IrHost.call_sig -------------------------------------------------------- */

/* Fill the call_sig outputs from a compiled or pending result. */
static void sig_out(IrCtx *ctx, const uint8_t *ret, uint32_t retlen, const char *sym, bool p,
                    IrType *rt, const char **symbol, bool *pure)
{
  *rt = jit_code_irtype(ctx, ret, retlen);
  *symbol = sym;
  *pure = p;
}

/* The Python exception as the call_sig error text; cleared.  The caller
 * 'j' remembers the class of an ember compile error. */
static int sig_error(Job *j, char *err, size_t errsize)
{
  PyObject *t, *v, *tb;
  PyErr_Fetch(&t, &v, &tb);
  if (t == em_UnsupportedError || t == em_TypingError || t == em_CompileError) j->callee_exc = t;
  PyObject *s = v ? PyObject_Str(v) : NULL;
  const char *u = s ? PyUnicode_AsUTF8(s) : NULL;
  snprintf(err, errsize, "%s", u ? u : "compilation of the callee failed");
  Py_XDECREF(s);
  Py_XDECREF(t);
  Py_XDECREF(v);
  Py_XDECREF(tb);
  PyErr_Clear();
  return -1;
}

/* Keep for the caller's inspect_ir the IR of a fused loop (phase texts 'irs')
 * after its stabilize phase where a rewrite changed it ('show': not for a
 * reduction's driver), and the fused loops it calls in turn. */
static void add_fused(Job *caller, PyObject *irs, bool show)
{
  PyObject *own = irs ? PyDict_GetItemString(irs, "stabilize") : NULL;
  PyObject *low = irs ? PyDict_GetItemString(irs, "lower") : NULL;
  PyObject *sub = irs ? PyDict_GetItemString(irs, "fused") : NULL;
  if (!caller->fused && !(caller->fused = PyList_New(0))) { PyErr_Clear(); return; }
  if (show && own && low && PyUnicode_Compare(own, low) != 0 && PySequence_Contains(caller->fused, own) == 0 &&
      PyList_Append(caller->fused, own))
    PyErr_Clear();
  if (sub && PySequence_Contains(caller->fused, sub) == 0 && PyList_Append(caller->fused, sub)) PyErr_Clear();
  PyErr_Clear();
}

/* A fused loop of ember._lib (an npmath dispatcher 'g') is part of its caller's
 * code: the rewrites that fired in it (job 'j', or entry 'e' compiled before)
 * count in the caller's stats. */
static void add_rewrites(Job *caller, Disp *g, Job *j, Ent *e)
{
  if (!caller || g->npmath < EM_NPMATH_FUSED) return;
  add_fused(caller, j ? j->irs : e->irs, g->npmath == EM_NPMATH_FUSED);
  if (j) {
    for (int i = 0; i < RW__COUNT; i++) caller->popt.rw_fired[i] += j->popt.rw_fired[i];
    return;
  }
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  while (e && e->rewrites && PyDict_Next(e->rewrites, &pos, &k, &v)) {
    const char *name = PyUnicode_AsUTF8(k);
    int id = name ? pass_rewrite_find(name) : -1;
    if (id >= 0) caller->popt.rw_fired[id] += (uint32_t)PyLong_AsUnsignedLong(v);
  }
  PyErr_Clear();
}

static int call_sig(void *host, int64_t id, const IrType *args, uint32_t nargs, IrCtx *ctx,
                    IrType *ret, const char **symbol, bool *pure, char *err, size_t errsize)
{
  Disp *g = jit_disp_byid(id);
  if (!g) { snprintf(err, errsize, "no compiled function with id %lld", (long long)id); return -1; }
  const char *gname = PyUnicode_AsUTF8(g->qualname);
  if (nargs != g->nparams) {
    snprintf(err, errsize, "%s() takes %u arguments but %u were given (calls of compiled functions bind positionally)",
             gname ? gname : "?", g->nparams, nargs);
    return -1;
  }
  uint8_t key[EM_KEYMAX];
  uint32_t keylen = 0;
  for (uint32_t i = 0; i < nargs; i++) {
    if (i < 64 && (ctx->callstrong >> i & 1) && args[i] == IRT_F64 && keylen + 2 <= EM_KEYMAX) {
      key[keylen++] = TC_NPSCALAR;   /* an np.float64, keyed as the dispatcher keys one (array.c) */
      key[keylen++] = 'd';
      continue;
    }
    if (jit_irtype_code(ctx, args[i], key, &keylen)) {
      char buf[128];
      snprintf(err, errsize, "%s() cannot take an argument of type %s", gname ? gname : "?",
               ir_type_name(ctx, args[i], buf, sizeof buf));
      return -1;
    }
  }
  Job *caller = host;
  Ent *e = jit_disp_lookup(g, key, keylen);
  if (e) {
    add_callee(caller, g, key, keylen, e->ckey, e->sym);
    add_rewrites(caller, g, NULL, e);
    sig_out(ctx, e->ret, e->retlen, e->sym, e->pure, ret, symbol, pure);
    return 0;
  }
  uint8_t ckey[EM_HASHLEN];
  if (jit_cache_key(llvm_api, g, key, keylen, ckey)) return sig_error(host, err, errsize);
  Job *j = job_find(pending, ckey);
  if (j) {
    add_callee(caller, g, key, keylen, j->ckey, j->sym);
    add_rewrites(caller, g, j, NULL);
    sig_out(ctx, j->ret, j->retlen, j->sym, j->pure, ret, symbol, pure);
    return 0;
  }
  if ((j = job_find(active, ckey))) {
    add_callee(caller, g, key, keylen, j->ckey, j->sym);
    *symbol = j->sym;
    *pure = true;
    return 1;
  }
  if ((session_cache || g->cache) && (e = reuse(g, key, keylen, ckey, true))) {
    add_callee(caller, g, key, keylen, e->ckey, e->sym);
    add_rewrites(caller, g, NULL, e);
    sig_out(ctx, e->ret, e->retlen, e->sym, e->pure, ret, symbol, pure);
    return 0;
  }
  if (PyErr_Occurred()) return sig_error(host, err, errsize);
  lock_acquire();
  j = job_run(g, key, keylen, NULL, 0, false, ckey);
  lock_release();
  if (!j) return sig_error(host, err, errsize);
  *pending_tail = j;
  pending_tail = &j->next;
  add_callee(caller, g, key, keylen, j->ckey, j->sym);
  add_rewrites(caller, g, j, NULL);
  sig_out(ctx, j->ret, j->retlen, j->sym, j->pure, ret, symbol, pure);
  return 0;
}
