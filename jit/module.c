/* jit/module.c: the ember._ember extension module.
 *
 * Defines the exceptions (CompileError(Exception) with UnsupportedError and
 * TypingError under it), the Dispatcher type (dispatcher.c) and the
 * process-wide dispatcher table: a dispatcher that compiled code may call
 * gets an index there, and the table keeps it (and so its native entries
 * and symbols) alive for the life of the process.  The _llvm module is
 * imported on the first compilation (compile.c); import starts only its
 * loading, in a thread (preload below).
 */
#include "jit.h"

#include <dlfcn.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#ifndef EMBER_VERSION
#define EMBER_VERSION "0.0.0"
#endif

PyObject *em_CompileError, *em_UnsupportedError, *em_TypingError;

static PyObject **table;       /* strong references, index = id */
static int64_t ntable, tablecap;

int64_t jit_disp_id(Disp *d)
{
  if (d->id >= 0) return d->id;
  if (ntable == tablecap) {
    int64_t cap = tablecap ? tablecap * 2 : 16;
    PyObject **n = realloc(table, sizeof(PyObject *) * cap);
    if (!n) return -1;
    table = n;
    tablecap = cap;
  }
  Py_INCREF(d);
  table[ntable] = (PyObject *)d;
  return d->id = ntable++;
}

Disp *jit_disp_byid(int64_t id)
{
  return id >= 0 && id < ntable ? (Disp *)table[id] : NULL;
}

int jit_reclimit = 1000;

void jit_reclimit_update(void)
{
  int lim = Py_GetRecursionLimit();
  jit_reclimit = lim < 10000 ? lim : 10000;   /* the native stack bounds it too */
}

double jit_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static PyObject *phases(PyObject *m, PyObject *noargs) { return jit_phase_names(); }

/* ((name, phase, doc), ...) of every named rewrite, in passes/rewrites.def order. */
static PyObject *rewrites(PyObject *m, PyObject *noargs)
{
  PyObject *t = PyTuple_New(RW__COUNT);
  for (int i = 0; t && i < RW__COUNT; i++) {
    PyObject *row = Py_BuildValue("(sss)", pass_rewrites[i].name, pass_rewrites[i].phase, pass_rewrites[i].doc);
    if (!row) { Py_CLEAR(t); break; }
    PyTuple_SET_ITEM(t, i, row);
  }
  return t;
}

static PyObject *host(PyObject *m, PyObject *noargs)
{
  const char *h = jit_host_description();
  if (!h) Py_RETURN_NONE;
  return PyUnicode_FromString(h);
}

static PyMethodDef methods[] = {
  {"phases", phases, METH_NOARGS, "names of the IR phases inspect_ir accepts, in pipeline order"},
  {"rewrites", rewrites, METH_NOARGS, "(name, phase, description) of every named rewrite"},
  {"host_description", host, METH_NOARGS, "the LLVM target of this process (None before the first compile)"},
  {"make_ufunc", jit_make_ufunc, METH_VARARGS, "make_ufunc(name, doc, nin, identity, loops): ember.vectorize's ufunc (vectorize.c)"},
  {"cache_dir", jit_cache_dir_obj, METH_NOARGS, "the on-disk cache directory: $EMBER_CACHE_DIR, $XDG_CACHE_HOME/ember or ~/.cache/ember"},
  {NULL},
};

static struct PyModuleDef moddef = {
  PyModuleDef_HEAD_INIT, "ember._ember", "Ember's dispatcher, capture and runtime (no LLVM).", -1, methods,
};

/* New exception class ember.<name> under 'base', added to 'm'. */
static PyObject *new_exc(PyObject *m, const char *name, PyObject *base, const char *doc)
{
  char full[64];
  snprintf(full, sizeof full, "ember.%s", name);
  PyObject *e = PyErr_NewExceptionWithDoc(full, doc, base, NULL);
  if (!e) return NULL;
  Py_INCREF(e);
  if (PyModule_AddObject(m, name, e)) { Py_DECREF(e); Py_DECREF(e); return NULL; }
  return e;
}

/* -- Loading LLVM early ------------------------------------------------------
 *
 * ember._llvm links LLVM: mapping it, relocating it and running its static
 * constructors takes 10-15 ms, which the first compilation of a process paid
 * when it imported the module.  `import ember` now starts a thread that
 * dlopens the library (no GIL needed); the first compilation, which imports
 * ember._llvm after its frontend and infer, then finds it loaded.  Nothing
 * else changes: the import still runs PyInit__llvm as before.  fork and
 * Py_Finalize wait for the thread, so no child inherits the dynamic loader
 * in the middle of a load and no exit runs while LLVM's constructors do.
 * EMBER_NO_PRELOAD=1 turns it off. */
static pthread_mutex_t preload_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t preload_cv = PTHREAD_COND_INITIALIZER;
static bool preload_busy;
static char preload_path[4096];

static void *preload(void *arg)
{
  (void)arg;
  dlopen(preload_path, RTLD_NOW);   /* kept open, as the import keeps it */
  pthread_mutex_lock(&preload_mu);
  preload_busy = false;
  pthread_cond_broadcast(&preload_cv);
  pthread_mutex_unlock(&preload_mu);
  return NULL;
}

static void preload_wait(void)
{
  pthread_mutex_lock(&preload_mu);
  while (preload_busy) pthread_cond_wait(&preload_cv, &preload_mu);
  pthread_mutex_unlock(&preload_mu);
}

PyMODINIT_FUNC PyInit__ember(void);

/* Start loading _llvm<suffix> from beside this module's _ember<suffix>. */
static void preload_start(void)
{
  Dl_info info;
  const char *e = getenv("EMBER_NO_PRELOAD");
  if ((e && *e && strcmp(e, "0")) || !dladdr((void *)PyInit__ember, &info) || !info.dli_fname) return;
  const char *base = strrchr(info.dli_fname, '/');
  base = base ? base + 1 : info.dli_fname;
  if (strncmp(base, "_ember", 6)) return;
  int n = snprintf(preload_path, sizeof preload_path, "%.*s_llvm%s", (int)(base - info.dli_fname), info.dli_fname,
                   base + 6);
  if (n < 0 || (size_t)n >= sizeof preload_path || access(preload_path, R_OK)) return;
  if (pthread_atfork(preload_wait, NULL, NULL) || Py_AtExit(preload_wait)) return;
  pthread_attr_t a;
  pthread_t t;
  if (pthread_attr_init(&a)) return;
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  preload_busy = true;
  if (pthread_create(&t, &a, preload, NULL)) preload_busy = false;
  pthread_attr_destroy(&a);
}

PyMODINIT_FUNC PyInit__ember(void)
{
  if (PyType_Ready(&Disp_Type) || jit_compile_init()) return NULL;
  jit_reclimit_update();
  PyObject *m = PyModule_Create(&moddef);
  if (!m) return NULL;
  em_CompileError = new_exc(m, "CompileError", PyExc_Exception,
                            "A function (or a call of it) that Ember cannot compile.");
  if (!em_CompileError) goto fail;
  em_UnsupportedError = new_exc(m, "UnsupportedError", em_CompileError,
                                "A construct Ember does not support (yet).");
  em_TypingError = new_exc(m, "TypingError", em_CompileError,
                           "Types Ember cannot compile: an argument, a global or an operation.");
  if (!em_UnsupportedError || !em_TypingError) goto fail;
  em_CacheWarning = new_exc(m, "CacheWarning", PyExc_UserWarning,
                            "The on-disk cache could not be used (a damaged entry, an unwritable directory).");
  if (!em_CacheWarning) goto fail;
  Py_INCREF(&Disp_Type);
  if (PyModule_AddObject(m, "Dispatcher", (PyObject *)&Disp_Type)) { Py_DECREF(&Disp_Type); goto fail; }
  if (PyModule_AddIntConstant(m, "KEYMAX", EM_KEYMAX)) goto fail;
  if (PyModule_AddStringConstant(m, "__version__", EMBER_VERSION)) goto fail;
  preload_start();
  return m;
fail:
  Py_DECREF(m);
  return NULL;
}
