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
  PyObject *callee_exc;        /* class of a callee's compile error (borrowed: the ember classes) */
  struct Job *next;            /* active stack or pending list */
} Job;

static PyThread_type_lock lock;
static unsigned long lock_owner;
static int lock_depth;
static Job *active;            /* jobs whose passes run now, innermost first */
static Job *pending, **pending_tail = &pending;  /* passes done, awaiting code */
static const EmLlvmApi *llvm_api;
static uint64_t nsym;

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
  Py_XDECREF(j->irs);
  Py_XDECREF(j->d);
  free(j);
}

static void pending_drop(void)
{
  for (Job *j = pending, *n; j; j = n) { n = j->next; job_free(j); }
  pending = NULL;
  pending_tail = &pending;
}

/* Job of 'list' (linked by next) for dispatcher 'd' and 'key', or NULL. */
static Job *job_find(Job *list, Disp *d, const uint8_t *key, uint32_t keylen)
{
  for (Job *j = list; j; j = j->next)
    if (j->d == d && j->keylen == keylen && memcmp(j->key, key, keylen) == 0 && !j->inspect) return j;
  return NULL;
}

/* "em_<qualname>_<serial>_<n>" with the qualname reduced to [A-Za-z0-9_]. */
static void make_symbol(Job *j)
{
  const char *q = PyUnicode_AsUTF8(j->d->qualname);
  char name[64];
  size_t k = 0;
  for (; q && *q && k + 1 < sizeof name; q++)
    name[k++] = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ? *q : '_';
  name[k] = 0;
  if (!q) PyErr_Clear();
  snprintf(j->sym, sizeof j->sym, "em_%s_%llu_%llu", name, (unsigned long long)j->d->serial,
           (unsigned long long)nsym++);
}

/* passes after-hook: keep the printed IR of 'phase'. */
static void after_hook(void *ud, const char *phase, IrFunc *fn)
{
  Job *j = ud;
  char *text = ir_func_print_str(fn);
  if (!text) return;
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
    k += l;
  }
  if (i != b0->nparams || k != j->keylen)
    ir_errorf(ctx, EM_ERR_ARGS, j->code->firstlineno, "the frontend made %u parameters for %u arguments",
              b0->nparams, j->d->nparams);
  passes_run(fn, &j->popt);
  j->fn = fn;
}

/* Scalar result conversions an eager signature may ask for. */
static bool widens(uint8_t from, uint8_t to)
{
  if (from == to) return true;
  if (from == TC_BOOL) return to == TC_INT || to == TC_F64 || to == TC_C128;
  if (from == TC_INT) return to == TC_F64 || to == TC_C128;
  return from == TC_F64 && to == TC_C128;
}

/* Check the declared result type against the inferred one; -1 with exception. */
static int check_decl(Job *j)
{
  bool ok = j->decllen == j->retlen;
  for (uint32_t i = 0; ok && i < j->retlen; i++) ok = widens(j->ret[i], j->decl[i]);
  if (ok) return 0;
  char a[256] = "", b[256] = "", msg[600];
  jit_code_name(j->ret, j->retlen, a, sizeof a, false);
  jit_code_name(j->decl, j->decllen, b, sizeof b, false);
  snprintf(msg, sizeof msg, "the result is %s, which cannot be returned as the declared %s", a, b);
  jit_compile_error(j->d, em_TypingError, j->code ? j->code->firstlineno : 0, msg);
  return -1;
}

/* Reject code objects the frontend should never see; -1 with exception. */
int jit_check_flags(Disp *d)
{
  const char *what = NULL;
  if (d->coflags & (FE_CO_GENERATOR | FE_CO_COROUTINE | FE_CO_ITERABLE_COROUTINE | FE_CO_ASYNC_GENERATOR))
    what = "generators and coroutines are not supported";
  else if (d->coflags & (FE_CO_VARARGS | FE_CO_VARKEYWORDS))
    what = "*args and **kwargs parameters are not supported";
  else if (d->nparams > EM_MAXPARAMS)
    what = "functions with more than 64 parameters are not supported";
  else if (PyFunction_GetClosure(d->func))
    what = "closures (functions that use variables of an enclosing function) are not supported";
  else if (d->ncells)
    what = "closures (variables used by nested functions) are not supported";
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

/* Capture, frontend and passes for 'd' and 'key'; the job or NULL with exception. */
static Job *job_run(Disp *d, const uint8_t *key, uint32_t keylen, const uint8_t *decl,
                    uint32_t decllen, bool inspect)
{
  if (jit_check_flags(d)) return NULL;
  Job *j = calloc(1, sizeof *j);
  if (!j) return (Job *)PyErr_NoMemory();
  Py_INCREF(d);
  j->d = d;
  memcpy(j->key, key, keylen);
  j->keylen = keylen;
  if (decl) memcpy(j->decl, decl, decllen), j->decllen = decllen;
  j->inspect = inspect;
  double t = jit_now();
  j->pool = pool_new();
  j->irs = PyDict_New();
  if (!j->pool || !j->irs) { PyErr_NoMemory(); goto fail; }
  if (!(j->code = jit_capture(d, j->pool))) goto fail;
  j->t_capture = jit_now() - t;
  if (!(j->ctx = ir_ctx_new())) { PyErr_NoMemory(); goto fail; }
  j->rh = (ResolveHost){d, j->pool};
  j->res = (FeResolver){&j->rh, jit_resolve_global};
  j->ctx->host = (IrHost){j, call_sig, jit_host_bind};
  j->popt.fastmath = d->fastmath;
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
  if (llvm_api) return llvm_api;
  PyObject *m = PyImport_ImportModule("ember._llvm");   /* PyCapsule_Import does not import submodules */
  if (!m) return NULL;
  Py_DECREF(m);
  const EmLlvmApi *api = PyCapsule_Import("ember._llvm._api", 0);
  if (!api) return NULL;
  if (api->version != EM_LLVM_API_VERSION) {
    PyErr_SetString(PyExc_ImportError, "ember._llvm does not match ember._ember (reinstall ember)");
    return NULL;
  }
  return llvm_api = api;
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

/* The entry of a compiled job; NULL with exception. */
static Ent *job_entry(Job *j, TgCode *c, double startup)
{
  Ent *e = calloc(1, sizeof *e);
  if (!e || !(e->sym = strdup(j->sym))) { free(e); PyErr_NoMemory(); return NULL; }
  e->entry = c->entry;
  memcpy(e->key, j->key, e->keylen = (uint8_t)j->keylen);
  memcpy(e->ret, j->ret, e->retlen = (uint8_t)j->retlen);
  memcpy(e->decl, j->decl, e->decllen = (uint8_t)j->decllen);
  if (e->decllen && e->decllen == e->retlen && memcmp(e->decl, e->ret, e->retlen) == 0) e->decllen = 0;
  e->pure = j->pure;
  e->irs = j->irs;
  j->irs = NULL;
  e->times = job_times(j, c, startup);
  e->llvm = text_or_null(c->llvm_ir);
  e->asm_ = text_or_null(c->asm_text);
  if (!e->times) PyErr_Clear();
  return e;
}

/* Lower one job; its entry or NULL with exception.  With 'defer' the object
 * code is only added (entry NULL) and link_pending looks the entries up. */
static Ent *job_codegen(Job *j, const EmLlvmApi *api, bool defer)
{
  TgOptions o = {3, j->d->fastmath, j->inspect, j->inspect};
  o.pyversion = PYVER;
#ifdef TG_DEFER_LINK
  o.defer_link = defer;
#endif
  TgCode c;
  memset(&c, 0, sizeof c);
  char err[512] = "";
  double s0 = api->startup_seconds();
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
  double s1 = api->startup_seconds();
  return job_entry(j, &c, s0 == 0 && s1 > 0 ? s1 : 0);
}

static void ent_free(Ent *e)
{
  Py_XDECREF(e->irs);
  Py_XDECREF(e->times);
  Py_XDECREF(e->llvm);
  Py_XDECREF(e->asm_);
  free(e->sym);
  free(e);
}

/* Look up the entries of deferred jobs; -1 with exception. */
static int link_pending(const EmLlvmApi *api)
{
#ifdef TG_DEFER_LINK
  for (Job *j = pending; j; j = j->next) {
    char err[512] = "";
    if (api->link(j->sym, &j->ent->entry, err, sizeof err) == 0 && j->ent->entry) continue;
    char msg[700];
    snprintf(msg, sizeof msg, "code generation failed: %s", err);
    jit_compile_error(j->d, em_CompileError, 0, msg);
    return -1;
  }
#endif
  return 0;
}

/* Lower every pending job, callees first, and install the entries; 'out'
 * gets the entry of 'want'.  Several jobs (callees compiled for a caller,
 * perhaps mutually recursive) are all added before any is linked where
 * targets/ can defer linking.  -1 with exception (all dropped). */
static int codegen_pending(Job *want, Ent **out)
{
  const EmLlvmApi *api = load_llvm();
  if (!api) { pending_drop(); return -1; }
  bool defer = false;
#ifdef TG_DEFER_LINK
  defer = pending && pending->next;
#endif
  int r = 0;
  for (Job *j = pending; j && !r; j = j->next)
    if (!(j->ent = job_codegen(j, api, defer))) r = -1;
  if (!r && defer) r = link_pending(api);
  for (Job *j = pending; j; j = j->next) {
    if (!j->ent) continue;
    if (r) { ent_free(j->ent); continue; }
    if (j == want) *out = j->ent;
    if (j->inspect) { if (j != want) ent_free(j->ent); }
    else { jit_disp_install(j->d, j->ent); j->d->ncompiled++; }
  }
  pending_drop();
  return r;
}

/* -- Entry points ----------------------------------------------------------- */

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
  Job *j = job_run(d, key, keylen, decl, decllen, false);
  if (j) {
    *pending_tail = j;
    pending_tail = &j->next;
  }
  if (!j || codegen_pending(j, &e)) { pending_drop(); e = NULL; }
  if (e) {
    if (e->times) setf(e->times, "wall", jit_now() - t0);
  }
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
  Job *j = job_run(d, e->key, e->keylen, e->decllen ? e->decl : NULL, e->decllen, true);
  Ent *x = NULL;
  if (j) { *pending_tail = j; pending_tail = &j->next; }
  int r = j && !codegen_pending(j, &x) && x ? 0 : -1;
  if (!j) pending_drop();
  if (x) {
    Py_XSETREF(e->llvm, x->llvm);
    Py_XSETREF(e->asm_, x->asm_);
    x->llvm = x->asm_ = NULL;
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
  for (uint32_t i = 0; i < nargs; i++)
    if (jit_irtype_code(ctx, args[i], key, &keylen)) {
      char buf[128];
      snprintf(err, errsize, "%s() cannot take an argument of type %s", gname ? gname : "?",
               ir_type_name(ctx, args[i], buf, sizeof buf));
      return -1;
    }
  Ent *e = jit_disp_lookup(g, key, keylen);
  if (e) { sig_out(ctx, e->ret, e->retlen, e->sym, e->pure, ret, symbol, pure); return 0; }
  Job *j = job_find(pending, g, key, keylen);
  if (j) { sig_out(ctx, j->ret, j->retlen, j->sym, j->pure, ret, symbol, pure); return 0; }
  if ((j = job_find(active, g, key, keylen))) {
    *symbol = j->sym;
    *pure = true;
    return 1;
  }
  lock_acquire();
  j = job_run(g, key, keylen, NULL, 0, false);
  lock_release();
  if (!j) return sig_error(host, err, errsize);
  *pending_tail = j;
  pending_tail = &j->next;
  sig_out(ctx, j->ret, j->retlen, j->sym, j->pure, ret, symbol, pure);
  return 0;
}
