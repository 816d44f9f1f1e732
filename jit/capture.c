/* jit/capture.c: a code object copied into plain C data for the frontend.
 *
 * jit_capture fills an FeCode (frontend/frontend.h) from the dispatcher's
 * code object: the unspecialized code bytes (the co_code attribute, which
 * CPython 3.11+ deoptimizes on the way out), constants as FeConst, names,
 * fast-local names (3.11+: the localsplus order, co_varnames then cell-only
 * names then free names; 3.10: co_varnames, co_cellvars, co_freevars), counts,
 * nested code objects (FeConst.code, for frontend/nested.c), flags, the exception table (3.11+) and a
 * source line per code unit from co_lines().  Everything lives in a Pool of
 * malloc'd chunks that the compile frees in one call; nothing here longjmps.
 *
 * jit_resolve_global is the FeResolver: a name is looked up in the
 * function's globals, then its builtins, and classified (numbers frozen now,
 * modules, known builtins, math functions, other ember dispatchers).
 * A NumPy array is frozen too, as Numba does: a read-only C-contiguous copy
 * made at this compile (or an equal one made before) whose address, dtype
 * and shape the code embeds (FE_G_ARRAY); the copies are never freed, as
 * compiled code is not.  Rebinding or writing the global later changes
 * nothing for code compiled already; the content key (jit/cache.c) covers
 * the array's bytes, so new code is made for a new value.
 */
#include "jit.h"

#include <string.h>

/* -- Pool: chunks freed together ------------------------------------------- */

typedef struct Chunk { struct Chunk *next; size_t used, size; max_align_t data[]; } Chunk;
struct Pool { Chunk *head; };

Pool *pool_new(void) { return calloc(1, sizeof(Pool)); }

void pool_free(Pool *p)
{
  if (!p) return;
  for (Chunk *c = p->head, *n; c; c = n) { n = c->next; free(c); }
  free(p);
}

void *pool_alloc(Pool *p, size_t n)
{
  n = (n + 15) & ~(size_t)15;
  Chunk *c = p->head;
  if (!c || c->used + n > c->size) {
    size_t size = n > 65536 ? n : 65536;
    c = malloc(sizeof(Chunk) + size);
    if (!c) return NULL;
    c->used = 0;
    c->size = size;
    c->next = p->head;
    p->head = c;
  }
  void *r = (char *)c->data + c->used;
  c->used += n;
  memset(r, 0, n);
  return r;
}

char *pool_strdup(Pool *p, const char *s)
{
  size_t n = strlen(s) + 1;
  char *r = pool_alloc(p, n);
  if (r) memcpy(r, s, n);
  return r;
}

/* -- Capture ------------------------------------------------------------------ */

static PyObject *attr(PyObject *o, const char *name)
{
  return PyObject_GetAttrString(o, name);
}

/* UTF-8 copy of str 's' in 'p' ("?" for a non-str); NULL on OOM. */
static const char *pstr(Pool *p, PyObject *s)
{
  if (!PyUnicode_Check(s)) return pool_strdup(p, "?");
  const char *u = PyUnicode_AsUTF8(s);
  if (!u) { PyErr_Clear(); return pool_strdup(p, "?"); }
  return pool_strdup(p, u);
}

static int const1(PyObject *o, FeConst *c, Pool *p, int depth);

/* Fill 'c' with int 'o': INT if it fits in 64 bits, else BIGINT with its decimal text. */
static int constint(PyObject *o, FeConst *c, Pool *p)
{
  int ovf;
  long long v = PyLong_AsLongLongAndOverflow(o, &ovf);
  if (!ovf) { c->kind = FE_CONST_INT; c->i = v; return 0; }
  c->kind = FE_CONST_BIGINT;
  PyObject *s = PyObject_Str(o);       /* may fail past sys.int_info.str_digits_check_threshold */
  if (!s) { PyErr_Clear(); c->s = pool_strdup(p, "<huge int>"); return c->s ? 0 : -1; }
  c->s = pstr(p, s);
  Py_DECREF(s);
  return c->s ? 0 : -1;
}

static int consttuple(PyObject *o, FeConst *c, Pool *p, int depth)
{
  Py_ssize_t n = PyTuple_GET_SIZE(o);
  c->kind = FE_CONST_TUPLE;
  c->n = (uint32_t)n;
  c->elems = pool_alloc(p, sizeof(FeConst) * (n ? n : 1));
  if (!c->elems) return -1;
  for (Py_ssize_t i = 0; i < n; i++)
    if (const1(PyTuple_GET_ITEM(o, i), &c->elems[i], p, depth + 1)) return -1;
  return 0;
}

/* Convert constant 'o' into 'c'; -1 on OOM (no Python exception set). */
static int const1(PyObject *o, FeConst *c, Pool *p, int depth)
{
  if (o == Py_None) { c->kind = FE_CONST_NONE; return 0; }
  if (PyBool_Check(o)) { c->kind = FE_CONST_BOOL; c->i = o == Py_True; return 0; }
  if (PyLong_CheckExact(o)) return constint(o, c, p);
  if (PyFloat_CheckExact(o)) { c->kind = FE_CONST_FLOAT; c->f = PyFloat_AS_DOUBLE(o); return 0; }
  if (PyComplex_CheckExact(o)) {
    c->kind = FE_CONST_COMPLEX;
    c->f = PyComplex_RealAsDouble(o);
    c->im = PyComplex_ImagAsDouble(o);
    return 0;
  }
  if (PyUnicode_CheckExact(o)) { c->kind = FE_CONST_STR; c->s = pstr(p, o); return c->s ? 0 : -1; }
  if (PyTuple_CheckExact(o) && depth < 32) return consttuple(o, c, p, depth);
  if (PyCode_Check(o)) { c->kind = FE_CONST_CODE; return 0; }
  c->kind = FE_CONST_OTHER;
  c->s = pool_strdup(p, Py_TYPE(o)->tp_name);
  return c->s ? 0 : -1;
}

/* Copy the str items of tuple 'name' of 'code' to '*out' after '*n' entries. */
static int names(PyObject *code, const char *name, Pool *p, const char ***out,
                 uint32_t *n, PyObject *skip)
{
  PyObject *t = attr(code, name);
  if (!t) return -1;
  if (!PyTuple_Check(t)) { Py_DECREF(t); PyErr_Format(PyExc_TypeError, "%s is not a tuple", name); return -1; }
  Py_ssize_t m = PyTuple_GET_SIZE(t);
  const char **a = pool_alloc(p, sizeof(char *) * (*n + m + 1));
  if (!a) { Py_DECREF(t); PyErr_NoMemory(); return -1; }
  if (*n) memcpy(a, *out, sizeof(char *) * *n);
  for (Py_ssize_t i = 0; i < m; i++) {
    PyObject *s = PyTuple_GET_ITEM(t, i);
    if (skip && PySequence_Contains(skip, s) == 1) continue;  /* 3.11+: a cell that is an argument shares its slot */
    if (!(a[(*n)++] = pstr(p, s))) { Py_DECREF(t); PyErr_NoMemory(); return -1; }
  }
  *out = a;
  Py_DECREF(t);
  return 0;
}

static int getint(PyObject *code, const char *name, uint32_t *out)
{
  PyObject *v = attr(code, name);
  if (!v) return -1;
  long x = PyLong_AsLong(v);
  Py_DECREF(v);
  if (x == -1 && PyErr_Occurred()) return -1;
  *out = (uint32_t)x;
  return 0;
}

/* Copy bytes attribute 'name' into the pool. */
static int getbytes(PyObject *code, const char *name, Pool *p, const uint8_t **out, uint32_t *len)
{
  PyObject *b = attr(code, name);
  if (!b) return -1;
  if (!PyBytes_Check(b)) { Py_DECREF(b); PyErr_Format(PyExc_TypeError, "%s is not bytes", name); return -1; }
  Py_ssize_t n = PyBytes_GET_SIZE(b);
  uint8_t *d = pool_alloc(p, n + 1);
  if (!d) { Py_DECREF(b); PyErr_NoMemory(); return -1; }
  memcpy(d, PyBytes_AS_STRING(b), n);
  *out = d;
  *len = (uint32_t)n;
  Py_DECREF(b);
  return 0;
}

/* Fill fc->lines from code.co_lines(): (start, end, line) byte ranges. */
static int lines(PyObject *code, FeCode *fc, Pool *p)
{
  uint32_t n = fc->codelen / 2;
  fc->lines = pool_alloc(p, sizeof(int32_t) * (n + 1));
  if (!fc->lines) { PyErr_NoMemory(); return -1; }
  for (uint32_t i = 0; i < n; i++) fc->lines[i] = -1;
  PyObject *it = PyObject_CallMethod(code, "co_lines", NULL);
  if (!it) return -1;
  PyObject *iter = PyObject_GetIter(it);
  Py_DECREF(it);
  if (!iter) return -1;
  PyObject *t;
  while ((t = PyIter_Next(iter))) {
    long s, e, l = -1;
    PyObject *lo;
    if (!PyArg_ParseTuple(t, "llO", &s, &e, &lo)) { Py_DECREF(t); Py_DECREF(iter); return -1; }
    if (lo != Py_None) l = PyLong_AsLong(lo);
    for (long i = s / 2; i < e / 2 && i < (long)n; i++) if (i >= 0) fc->lines[i] = (int32_t)l;
    Py_DECREF(t);
  }
  Py_DECREF(iter);
  return PyErr_Occurred() ? -1 : 0;
}

static int consts(PyObject *code, FeCode *fc, Pool *p)
{
  PyObject *t = attr(code, "co_consts");
  if (!t) return -1;
  Py_ssize_t n = PyTuple_Check(t) ? PyTuple_GET_SIZE(t) : 0;
  fc->nconsts = (uint32_t)n;
  fc->consts = pool_alloc(p, sizeof(FeConst) * (n + 1));
  int r = fc->consts ? 0 : -1;
  for (Py_ssize_t i = 0; i < n && !r; i++) r = const1(PyTuple_GET_ITEM(t, i), &fc->consts[i], p, 0);
  Py_DECREF(t);
  if (r) PyErr_NoMemory();
  return r;
}

static int localnames(PyObject *code, FeCode *fc, Pool *p)
{
  uint32_t n = 0, nv, nc, nf;
  if (names(code, "co_varnames", p, &fc->localnames, &n, NULL)) return -1;
  nv = n;
#if PYVER >= 311
  PyObject *vars = attr(code, "co_varnames");
  if (!vars) return -1;
  int r = names(code, "co_cellvars", p, &fc->localnames, &n, vars);
  Py_DECREF(vars);
  if (r) return -1;
  nc = n - nv;
  if (names(code, "co_freevars", p, &fc->localnames, &n, NULL)) return -1;
  nf = n - nv - nc;
  fc->nlocals = n;
#else
  const char **tmp = NULL;
  uint32_t m = 0;
  if (names(code, "co_cellvars", p, &tmp, &m, NULL)) return -1;
  nc = m;
  m = 0;
  if (names(code, "co_freevars", p, &tmp, &m, NULL)) return -1;
  nf = m;
  fc->nlocals = nv;
  if (nc + nf) {   /* 3.10's cells and frees follow co_varnames: LOAD_DEREF i is local nv + i */
    if (names(code, "co_cellvars", p, &fc->localnames, &fc->nlocals, NULL)
        || names(code, "co_freevars", p, &fc->localnames, &fc->nlocals, NULL))
      return -1;
  }
#endif
  PyObject *cells = attr(code, "co_cellvars");
  if (!cells) return -1;
  fc->ncells = (uint32_t)PyTuple_GET_SIZE(cells);
  Py_DECREF(cells);
  (void)nc;
  fc->nfrees = nf;
  return 0;
}

/* 'code' (qualified name 'qualname', or its own co_qualname / co_name if
 * NULL) as an FeCode in 'p', its nested code objects with it; NULL with a
 * Python exception set. */
static FeCode *capture(PyObject *code, PyObject *qualname, Pool *p, int depth)
{
  FeCode *fc = pool_alloc(p, sizeof(FeCode));
  if (!fc) return (FeCode *)PyErr_NoMemory();
  fc->pyversion = PYVER;
  PyObject *nm = attr(code, "co_name"), *fn = attr(code, "co_filename");
  if (!nm || !fn) { Py_XDECREF(nm); Py_XDECREF(fn); return NULL; }
  fc->name = pstr(p, nm);
  fc->filename = pstr(p, fn);
  PyObject *qn = qualname ? qualname : PyObject_GetAttrString(code, "co_qualname");   /* 3.11+ */
  if (!qn) PyErr_Clear();
  fc->qualname = pstr(p, qn ? qn : nm);
  if (qn && !qualname) Py_DECREF(qn);
  Py_DECREF(nm);
  Py_DECREF(fn);
  uint32_t first;
  if (getint(code, "co_firstlineno", &first) || getint(code, "co_flags", &fc->flags)
      || getint(code, "co_argcount", &fc->argcount)
      || getint(code, "co_posonlyargcount", &fc->posonlyargcount)
      || getint(code, "co_kwonlyargcount", &fc->kwonlyargcount)
      || getint(code, "co_stacksize", &fc->stacksize))
    return NULL;
  fc->firstlineno = (int32_t)first;
  if (getbytes(code, "co_code", p, &fc->code, &fc->codelen)) return NULL;
  if (lines(code, fc, p) || consts(code, fc, p)) return NULL;
  uint32_t n = 0;
  if (names(code, "co_names", p, &fc->names, &n, NULL)) return NULL;
  fc->nnames = n;
  if (localnames(code, fc, p)) return NULL;
#if PYVER >= 311
  if (getbytes(code, "co_exceptiontable", p, &fc->exctable, &fc->exctablelen)) return NULL;
#endif
  for (uint32_t i = 0; i < fc->nconsts; i++) {   /* nested functions, lambdas, generator expressions */
    if (fc->consts[i].kind != FE_CONST_CODE || depth >= 8) continue;
    PyObject *t = attr(code, "co_consts");
    PyObject *c = t && PyTuple_Check(t) ? PyTuple_GET_ITEM(t, i) : NULL;
    fc->consts[i].code = c ? capture(c, NULL, p, depth + 1) : NULL;
    Py_XDECREF(t);
    if (!fc->consts[i].code) return NULL;
  }
  return fc;
}

/* The function's code; a closure's free variable names follow its co_names
 * (FeCode.freeglobals): jit_resolve_global finds their values in the cells. */
FeCode *jit_capture(Disp *d, Pool *p)
{
  FeCode *fc = capture(d->code, d->qualname, p, 0);
  if (!fc || !fc->nfrees || !PyFunction_GetClosure(d->func)) return fc;
  const char **names = pool_alloc(p, sizeof(char *) * (fc->nnames + fc->nfrees + 1));
  if (!names) return (FeCode *)PyErr_NoMemory();
  memcpy(names, fc->names, sizeof(char *) * fc->nnames);
  memcpy(names + fc->nnames, fc->localnames + fc->nlocals - fc->nfrees, sizeof(char *) * fc->nfrees);
  fc->names = names;
  fc->nnames += fc->nfrees;
  fc->freeglobals = true;
  return fc;
}

/* The value of the closure cell of free variable 'name' of d's function:
 * borrowed; NULL if it is not one (or its cell is empty). */
PyObject *jit_closure_value(Disp *d, PyObject *name)
{
  PyObject *cl = d->func ? PyFunction_GetClosure(d->func) : NULL;
  PyObject *fv = cl ? PyObject_GetAttrString(d->code, "co_freevars") : NULL;
  PyObject *v = NULL;
  for (Py_ssize_t i = 0; fv && PyTuple_Check(fv) && i < PyTuple_GET_SIZE(fv) && i < PyTuple_GET_SIZE(cl); i++)
    if (PyUnicode_Compare(PyTuple_GET_ITEM(fv, i), name) == 0) {
      v = PyCell_GET(PyTuple_GET_ITEM(cl, i));
      break;
    }
  if (cl && !fv) PyErr_Clear();
  Py_XDECREF(fv);
  return v;
}

/* -- Globals ---------------------------------------------------------------- */

static const char *const known_builtins[] = {
  "abs", "min", "max", "round", "divmod", "pow", "len", "sum", "any", "all", "sorted", "print", "isinstance", NULL
};

/* Look 'name' up in the function's globals, then its builtins; borrowed or NULL. */
static PyObject *lookup(Disp *d, const char *name)
{
  PyObject *g = PyFunction_GetGlobals(d->func);
  PyObject *v = NULL;
  if (PyFunction_GetClosure(d->func)) {   /* a free variable of a closure: its cell */
    PyObject *s = PyUnicode_FromString(name);
    v = s ? jit_closure_value(d, s) : NULL;
    Py_XDECREF(s);
    if (v) return v;
    PyErr_Clear();
  }
  v = g ? PyDict_GetItemString(g, name) : NULL;
  if (v) return v;
  /* ember's own library modules define generated functions on first use: ask their
   * __getattr__ (jit/ember/_lib.py); Python's global lookup never does for a user's module */
  PyObject *mn = g ? PyDict_GetItemString(g, "__name__") : NULL;
  PyObject *ga = g ? PyDict_GetItemString(g, "__getattr__") : NULL;
  const char *ms = mn && PyUnicode_Check(mn) ? PyUnicode_AsUTF8(mn) : NULL;
  if (ga && ms && !strncmp(ms, "ember._lib", 10)) {
    PyObject *r = PyObject_CallFunction(ga, "s", name);
    if (r) {
      Py_DECREF(r);
      v = PyDict_GetItemString(g, name);
      if (v) return v;
    }
    if (PyErr_Occurred() && !PyErr_ExceptionMatches(PyExc_AttributeError)) return NULL;
    PyErr_Clear();
  }
  PyObject *b = g ? PyDict_GetItemString(g, "__builtins__") : NULL;
  if (b && PyModule_Check(b)) b = PyModule_GetDict(b);
  if (!b || !PyDict_Check(b)) b = PyEval_GetBuiltins();
  return b ? PyDict_GetItemString(b, name) : NULL;
}

/* A builtin function: the known builtins and every function of math. */
static int builtin_fn(PyObject *v, Pool *pool, FeGlobal *out)
{
  PyCFunctionObject *f = (PyCFunctionObject *)v;
  const char *nm = f->m_ml->ml_name;
  PyObject *mod = f->m_module;
  const char *mn = mod && PyUnicode_Check(mod) ? PyUnicode_AsUTF8(mod) : NULL;
  if (!mn && mod && PyModule_Check(mod)) mn = PyModule_GetName(mod);
  if (!mn) PyErr_Clear();
  if (mn && strcmp(mn, "math") == 0) {
    char buf[128];
    snprintf(buf, sizeof buf, "math.%s", nm);
    out->kind = FE_G_BUILTIN;
    out->name = pool_strdup(pool, buf);
    return 0;
  }
  if (mn && strcmp(mn, "builtins") == 0)
    for (int i = 0; known_builtins[i]; i++)
      if (strcmp(nm, known_builtins[i]) == 0) { out->kind = FE_G_BUILTIN; out->name = known_builtins[i]; return 0; }
  out->kind = FE_G_UNKNOWN;
  out->what = pool_strdup(pool, Py_TYPE(v)->tp_name);
  return 0;
}

/* Classify a number 'v'; 1 if it was one. */
static int number(PyObject *v, Pool *pool, FeGlobal *out)
{
  if (v == Py_None) { out->kind = FE_G_NONE; return 1; }
  if (PyBool_Check(v)) { out->kind = FE_G_BOOL; out->i = v == Py_True; return 1; }
  if (PyLong_Check(v)) {
    int ovf;
    long long x = PyLong_AsLongLongAndOverflow(v, &ovf);
    if (!ovf) { out->kind = FE_G_INT; out->i = x; return 1; }
    PyObject *s = PyObject_Str(v);
    out->kind = FE_G_BIGINT;
    out->name = s ? pool_strdup(pool, PyUnicode_AsUTF8(s)) : "<huge int>";
    if (!s) PyErr_Clear();
    Py_XDECREF(s);
    return 1;
  }
  if (PyFloat_Check(v)) { out->kind = FE_G_FLOAT; out->f = PyFloat_AS_DOUBLE(v); return 1; }
  if (PyComplex_Check(v)) {
    out->kind = FE_G_COMPLEX;
    out->f = PyComplex_RealAsDouble(v);
    out->im = PyComplex_ImagAsDouble(v);
    return 1;
  }
  return 0;
}

static int builtin_type(PyObject *v, FeGlobal *out)
{
  static const struct { PyTypeObject *t; const char *name; } types[] = {
    {&PyLong_Type, "int"}, {&PyFloat_Type, "float"}, {&PyBool_Type, "bool"},
    {&PyComplex_Type, "complex"}, {&PyRange_Type, "range"}, {&PyEnum_Type, "enumerate"},
    {&PyZip_Type, "zip"}, {&PyList_Type, "list"}, {&PyReversed_Type, "reversed"},
  };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (v == (PyObject *)types[i].t) { out->kind = FE_G_BUILTIN; out->name = types[i].name; return 1; }
  return 0;
}

/* -- Frozen arrays ------------------------------------------------------------ */

static PyObject *frozen;   /* the read-only copies compiled code points into: kept, like the code, for good */

PyObject *jit_frozen_arrays(void) { return frozen; }

/* Does frozen copy 'f' hold what copy 'c' (typed into 'p', 'nbytes' of data) holds? */
static bool same_frozen(PyObject *f, const ArgPack *p, Py_ssize_t nbytes)
{
  ArgPack q = {.keylen = 0};
  if (jit_array_typeof(f, &q) != 0 || q.keylen != p->keylen || q.nslots != p->nslots) return false;
  if (memcmp(q.key, p->key, p->keylen) || memcmp(q.slots + 2, p->slots + 2, (p->nslots - 2) * 8)) return false;
  return !memcmp((void *)(uintptr_t)q.slots[1], (void *)(uintptr_t)p->slots[1], (size_t)nbytes);
}

/* A read-only C copy of array 'v' (an equal one made before if there is one),
 * typed into 'p'; new reference, NULL with exception. */
static PyObject *freeze(PyObject *v, ArgPack *p)
{
  if (!frozen && !(frozen = PyList_New(0))) return NULL;
  PyObject *c = PyObject_CallMethod(v, "copy", "s", "C");
  PyObject *r = c ? PyObject_CallMethod(c, "setflags", "O", Py_False) : NULL;
  PyObject *nb = r ? PyObject_GetAttrString(c, "nbytes") : NULL;
  Py_XDECREF(r);
  Py_ssize_t nbytes = nb ? PyLong_AsSsize_t(nb) : -1;
  Py_XDECREF(nb);
  memset(p, 0, sizeof *p);
  if (nbytes < 0 || jit_array_typeof(c, p) != 0) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "ember: cannot freeze a global array");
    Py_XDECREF(c);
    return NULL;
  }
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(frozen); i++) {
    PyObject *f = PyList_GET_ITEM(frozen, i);
    if (!same_frozen(f, p, nbytes)) continue;
    Py_DECREF(c);
    Py_INCREF(f);
    memset(p, 0, sizeof *p);
    jit_array_typeof(f, p);
    return f;
  }
  if (PyList_Append(frozen, c)) { Py_DECREF(c); return NULL; }
  return c;
}

/* Global NumPy array 'v' frozen into 'out' (FE_G_ARRAY), or FE_G_UNKNOWN saying
 * why it cannot be; 1 if 'v' was an array, else 0. */
static int array(ResolveHost *h, PyObject *v, FeGlobal *out)
{
  if (strcmp(Py_TYPE(v)->tp_name, "numpy.ndarray")) return 0;
  ArgPack p = {.keylen = 0};
  int rc = jit_array_typeof(v, &p);
  if (rc != 0 || p.key[0] != TC_ARRAY) {
    out->kind = FE_G_UNKNOWN;
    out->what = pool_strdup(h->pool, *jit_array_why() ? jit_array_why() : "an array Ember cannot type");
    return 1;
  }
  PyObject *c = freeze(v, &p);
  int nd = p.key[2] - '0';
  int64_t *shape = c ? pool_alloc(h->pool, sizeof(int64_t) * (size_t)(nd + 1)) : NULL;
  Py_XDECREF(c);   /* the frozen list keeps it */
  if (!shape) {   /* out of memory: the compile fails with a TypingError naming the global */
    PyErr_Clear();
    out->kind = FE_G_UNKNOWN;
    out->what = "an array that could not be copied";
    return 1;
  }
  for (int k = 0; k < nd; k++) shape[k] = (int64_t)p.slots[2 + k];
  out->kind = FE_G_ARRAY;
  out->type = jit_array_code_irtype(h->ctx, p.key);
  out->i = (int64_t)p.slots[1];
  out->shape = shape;
  return 1;
}

/* -- Resolving ---------------------------------------------------------------- */

/* A function of np.random or np.linalg taken as a global (`from numpy.random
 * import rand`: a method of NumPy's global RandomState, or a function of the
 * module; `from numpy.linalg import norm`): FE_G_BUILTIN "numpy.random.<name>",
 * as np.random.<name> (jit/ember/_lib_random.py, _lib_linalg.py); 1 if it was one. */
static int np_random(PyObject *v, Pool *pool, FeGlobal *out)
{
  if (PyType_Check(v)) return 0;
  PyObject *m = PyObject_GetAttrString(v, "__module__"), *n = m ? PyObject_GetAttrString(v, "__name__") : NULL;
  int ok = m && n && PyUnicode_Check(m) && PyUnicode_Check(n) && (PyUnicode_CompareWithASCIIString(m, "numpy.random") == 0
                                                                  || PyUnicode_CompareWithASCIIString(m, "numpy.linalg") == 0);
  if (ok) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s.%s", PyUnicode_AsUTF8(m), PyUnicode_AsUTF8(n));
    out->kind = FE_G_BUILTIN;
    out->name = pool_strdup(pool, buf);
  }
  Py_XDECREF(m);
  Py_XDECREF(n);
  PyErr_Clear();
  return ok;
}

int jit_resolve_global(void *host, const char *name, FeGlobal *out)
{
  ResolveHost *h = host;
  memset(out, 0, sizeof *out);
  PyObject *v = lookup(h->d, name);
  if (!v) { PyErr_Clear(); out->kind = FE_G_UNKNOWN; return 0; }
  if (number(v, h->pool, out) || builtin_type(v, out)) return 0;
  if (PyModule_Check(v)) {
    const char *mn = PyModule_GetName(v);
    if (!mn) { PyErr_Clear(); mn = "?"; }
    out->kind = FE_G_MODULE;
    out->name = pool_strdup(h->pool, mn);
    return 0;
  }
  if (PyCFunction_Check(v)) return builtin_fn(v, h->pool, out);
  if (PyExceptionClass_Check(v)) {   /* raise: the builtin classes and LinAlgError only (frontend/raise.c) */
    const char *nm = ((PyTypeObject *)v)->tp_name;
    PyObject *bi = PyEval_GetBuiltins();
    out->kind = FE_G_EXCEPTION;
    out->i = (bi && PyDict_GetItemString(bi, nm) == v) || v == jit_linalg_error();
    out->name = pool_strdup(h->pool, nm);
    return 0;
  }
  if (array(h, v, out)) return 0;
  if (Py_TYPE(v) == &Disp_Type) {
    out->kind = FE_G_FUNC;
    out->id = jit_disp_id((Disp *)v);
    out->name = pool_strdup(h->pool, PyUnicode_AsUTF8(((Disp *)v)->qualname));
    return 0;
  }
  if (np_random(v, h->pool, out)) return 0;
  out->kind = FE_G_UNKNOWN;
  out->what = pool_strdup(h->pool, Py_TYPE(v)->tp_name);
  return 0;
}
