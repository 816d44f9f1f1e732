/* jit/dispatcher.c: the Dispatcher type (ember._ember.Dispatcher).
 *
 * A call goes: vectorcall -> bind the arguments to the parameters (only when
 * keywords, defaults or keyword-only parameters are involved) -> type and
 * unbox them into the slot array, building the type key -> compare the key
 * with the last entry hit, then the others (linear; a dispatcher has few)
 * -> call the native entry -> box the result.  A miss compiles
 * (compile.c).  A native error either reruns the call in the interpreter
 * (a fallback kind in a pure function) or raises (rterror.c).  An int
 * argument past 64 bits runs the interpreter too, counted as a fallback.
 *
 * Binding follows CPython's rules and its TypeError wording, with the
 * defaults read from the function at call time (`__defaults__` may change).
 */
#include "jit.h"

#include <string.h>

static uint64_t nserial;

/* -- Cache ------------------------------------------------------------------- */

/* Keys are short: a loop beats a call of memcmp. */
static inline bool keyeq(const uint8_t *a, uint32_t na, const uint8_t *b, uint32_t nb)
{
  if (na != nb) return false;
  for (uint32_t i = 0; i < na; i++) if (a[i] != b[i]) return false;
  return true;
}

Ent *jit_disp_lookup(Disp *d, const uint8_t *key, uint32_t keylen)
{
  for (uint32_t i = 0; i < d->nent; i++) {
    Ent *e = d->ent[i];
    if (keyeq(e->key, e->keylen, key, keylen)) return e;
  }
  return NULL;
}

void jit_disp_install(Disp *d, Ent *e)
{
  if (d->nent == d->entcap) {
    uint32_t cap = d->entcap ? d->entcap * 2 : 4;
    Ent **n = realloc(d->ent, sizeof(Ent *) * cap);
    if (!n) return;   /* keep working uncached: the next call compiles again */
    d->ent = n;
    d->entcap = cap;
  }
  d->ent[d->nent++] = e;
  d->last = e;
}

const char *jit_disp_file(Disp *d)
{
  PyObject *f = PyObject_GetAttrString(d->code, "co_filename");
  const char *s = f && PyUnicode_Check(f) ? PyUnicode_AsUTF8(f) : NULL;
  if (!s) { PyErr_Clear(); s = "?"; }
  const char *b = strrchr(s, '/');
  Py_XDECREF(f);  /* the code object keeps the string alive */
  return b ? b + 1 : s;
}

void jit_compile_error(Disp *d, PyObject *exc, int line, const char *msg)
{
  if (line <= 0) {
    PyObject *l = PyObject_GetAttrString(d->code, "co_firstlineno");
    line = l ? (int)PyLong_AsLong(l) : 0;
    Py_XDECREF(l);
    PyErr_Clear();
  }
  PyErr_Format(exc, "cannot compile %U (%s:%d): %s", d->qualname, jit_disp_file(d), line, msg);
}

/* -- Binding ----------------------------------------------------------------- */

static PyObject *pname(Disp *d, uint32_t i) { return PyTuple_GET_ITEM(d->varnames, i); }

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" of the missing parameters. */
static PyObject *name_list(Disp *d, const uint32_t *idx, uint32_t n)
{
  PyObject *s = PyUnicode_FromString("");
  for (uint32_t k = 0; s && k < n; k++) {
    const char *sep = k == 0 ? "" : n == 2 ? " and " : k == n - 1 ? ", and " : ", ";
    PyObject *t = PyUnicode_FromFormat("%U%s'%U'", s, sep, pname(d, idx[k]));
    Py_SETREF(s, t);
  }
  return s;
}

/* Raise "f() missing 2 required positional arguments: 'a' and 'b'". */
static int missing(Disp *d, const uint32_t *idx, uint32_t n, const char *kind)
{
  PyObject *l = name_list(d, idx, n);
  if (l) PyErr_Format(PyExc_TypeError, "%U() missing %u required %s argument%s: %U", d->qualname, n,
                      kind, n == 1 ? "" : "s", l);
  Py_XDECREF(l);
  return -1;
}

static int too_many(Disp *d, Py_ssize_t nargs, Py_ssize_t ndef, PyObject *const *bound)
{
  uint32_t kwgiven = 0;
  for (uint32_t i = d->argcount; i < d->nparams; i++) kwgiven += bound[i] != NULL;
  PyObject *takes = ndef ? PyUnicode_FromFormat("from %zd to %u positional arguments", d->argcount - ndef, d->argcount)
                         : PyUnicode_FromFormat("%u positional argument%s", d->argcount, d->argcount == 1 ? "" : "s");
  if (!takes) return -1;
  if (kwgiven)
    PyErr_Format(PyExc_TypeError, "%U() takes %U but %zd positional argument%s (and %u keyword-only argument%s) were given",
                 d->qualname, takes, nargs, nargs == 1 ? "" : "s", kwgiven, kwgiven == 1 ? "" : "s");
  else
    PyErr_Format(PyExc_TypeError, "%U() takes %U but %zd %s given", d->qualname, takes, nargs,
                 nargs == 1 ? "was" : "were");
  Py_DECREF(takes);
  return -1;
}

/* Index of keyword 'kw' among the parameters, -1 if none, -2 if positional-only. */
static int kwindex(Disp *d, PyObject *kw)
{
  for (uint32_t i = d->posonly; i < d->argcount + d->kwonly; i++)
    if (pname(d, i) == kw) return (int)i;
  for (uint32_t i = 0; i < d->argcount + d->kwonly; i++) {
    int eq = PyUnicode_Compare(pname(d, i), kw) == 0;
    if (eq) return i < d->posonly ? -2 : (int)i;
  }
  PyErr_Clear();
  return -1;
}

/* Place keyword arguments; -1 with TypeError. */
static int bind_kw(Disp *d, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **bound)
{
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; k++) {
    PyObject *kw = PyTuple_GET_ITEM(kwnames, k);
    int i = kwindex(d, kw);
    if (i == -2) {
      PyErr_Format(PyExc_TypeError, "%U() got some positional-only arguments passed as keyword arguments: '%U'",
                   d->qualname, kw);
      return -1;
    }
    if (i < 0) {
      PyErr_Format(PyExc_TypeError, "%U() got an unexpected keyword argument '%U'", d->qualname, kw);
      return -1;
    }
    if (bound[i]) {
      PyErr_Format(PyExc_TypeError, "%U() got multiple values for argument '%U'", d->qualname, kw);
      return -1;
    }
    bound[i] = args[nargs + k];
  }
  return 0;
}

/* Fill missing parameters from the defaults; -1 with TypeError. */
static int bind_defaults(Disp *d, PyObject **bound)
{
  PyObject *defs = PyFunction_GetDefaults(d->func);
  Py_ssize_t ndef = defs && PyTuple_Check(defs) ? PyTuple_GET_SIZE(defs) : 0;
  uint32_t miss[EM_MAXPARAMS], nmiss = 0;
  for (uint32_t i = 0; i < d->argcount; i++) {
    if (bound[i]) continue;
    Py_ssize_t di = (Py_ssize_t)i - (d->argcount - ndef);
    if (di >= 0) bound[i] = PyTuple_GET_ITEM(defs, di);
    else miss[nmiss++] = i;
  }
  if (nmiss) return missing(d, miss, nmiss, "positional");
  PyObject *kwdefs = PyFunction_GetKwDefaults(d->func);
  for (uint32_t i = d->argcount; i < d->nparams; i++) {
    if (bound[i]) continue;
    PyObject *v = kwdefs && PyDict_Check(kwdefs) ? PyDict_GetItem(kwdefs, pname(d, i)) : NULL;
    if (v) bound[i] = v;
    else miss[nmiss++] = i;
  }
  if (nmiss) return missing(d, miss, nmiss, "keyword-only");
  return 0;
}

/* Bind a call to 'bound' (borrowed references; '*star', a new one, is the
 * tuple of a *args parameter, or NULL); -1 with TypeError. */
static int bind(Disp *d, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **bound, PyObject **star)
{
  memset(bound, 0, sizeof(PyObject *) * d->nparams);
  Py_ssize_t npos = nargs;   /* keyword values follow all 'nargs' */
  if (d->coflags & FE_CO_VARARGS) {   /* the positional arguments past the named ones */
    npos = nargs < (Py_ssize_t)d->argcount ? nargs : (Py_ssize_t)d->argcount;
    if (!(*star = PyTuple_New(nargs - npos))) return -1;
    for (Py_ssize_t i = npos; i < nargs; i++) Py_INCREF(args[i]), PyTuple_SET_ITEM(*star, i - npos, args[i]);
    bound[d->nparams - 1] = *star;
  }
  if (npos > (Py_ssize_t)d->argcount) {
    if (bind_kw(d, args, nargs, kwnames, bound) < 0) PyErr_Clear();
    PyObject *defs = PyFunction_GetDefaults(d->func);
    return too_many(d, nargs, defs && PyTuple_Check(defs) ? PyTuple_GET_SIZE(defs) : 0, bound);
  }
  for (Py_ssize_t i = 0; i < npos; i++) bound[i] = args[i];
  if (bind_kw(d, args, nargs, kwnames, bound)) return -1;
  return bind_defaults(d, bound);
}

/* -- Calls ------------------------------------------------------------------- */

/* Run the Python function instead (a fallback). */
static PyObject *fallback(Disp *d, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  d->nfallback++;
  return PyObject_Vectorcall(d->func, args, nargsf, kwnames);
}

/* TypingError for argument 'i' that has no Ember type. */
static PyObject *bad_arg(Disp *d, PyObject *const *a, ArgPack *p)
{
  char msg[400];
  if (p->bad >= 0 && PyUnicode_Check(a[p->bad])) {   /* typeof.c: a str is a literal of the key */
    const char *n = PyUnicode_AsUTF8(pname(d, (uint32_t)p->bad));
    snprintf(msg, sizeof msg, "argument '%s' is a str Ember cannot take: str arguments are compile-time literals "
             "of at most %d bytes (UTF-8, no NUL), passed alone, not in a tuple", n ? n : "?", EM_STRMAX);
  } else if (p->bad < 0 || p->toolong) {
    snprintf(msg, sizeof msg, "the arguments hold too many values or nest too deep (at most %d type codes)",
             EM_KEYMAX);
  } else {
    PyObject *nm = pname(d, (uint32_t)p->bad);
    const char *n = PyUnicode_AsUTF8(nm);
    if (jit_array_why()[0])
      snprintf(msg, sizeof msg, "argument '%s' is %s, which Ember does not support", n ? n : "?", jit_array_why());
    else
      snprintf(msg, sizeof msg, "argument '%s' has type %s, which Ember does not support "
               "(int, float, bool, complex, None, NumPy arrays and scalars, and tuples of them)", n ? n : "?",
               Py_TYPE(a[p->bad])->tp_name);
  }
  jit_compile_error(d, em_TypingError, 0, msg);
  return NULL;
}

static PyObject *call_bound(Disp *d, PyObject *const *a, PyObject *const *args, size_t nargsf, PyObject *kwnames);

static PyObject *disp_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  Disp *d = (Disp *)self;
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  PyObject *bound[EM_MAXPARAMS], *star = NULL;
  PyObject *const *a = args;
  if (kwnames || nargs != (Py_ssize_t)d->argcount || d->kwonly || (d->coflags & FE_CO_VARARGS)) {
    if (d->nparams > EM_MAXPARAMS || (d->coflags & FE_CO_VARKEYWORDS)) {
      jit_check_flags(d);   /* raises the UnsupportedError */
      return NULL;
    }
    if (bind(d, args, nargs, kwnames, bound, &star)) { Py_XDECREF(star); return NULL; }
    a = bound;
  }
  PyObject *r = call_bound(d, a, args, nargsf, kwnames);
  Py_XDECREF(star);
  return r;
}

/* The call of 'd' on bound arguments 'a' (of the call 'args', 'nargsf', 'kwnames'). */
static PyObject *call_bound(Disp *d, PyObject *const *a, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
  ArgPack p;
  if (jit_typeof_fast(a, d->nparams, &p)) {
    if (p.bigint) return fallback(d, args, nargsf, kwnames);
    return bad_arg(d, a, &p);
  }
  Ent *e = d->last;
  if (!e || !keyeq(e->key, e->keylen, p.key, p.keylen)) {
    e = jit_disp_lookup(d, p.key, p.keylen);
    if (!e && !(e = jit_compile(d, p.key, p.keylen, NULL, 0))) { jit_rt_free(&(EmRt){p.bufs}); return NULL; }
    d->last = e;
  }
  uint64_t ret[EM_SLOTMAX];
  EmRt rt = {p.bufs};   /* the copies of list arguments, then what the call allocates */
  EmErr err = {0, 0, 0, jit_reclimit};
  err.rt = &rt;   /* arrays the call allocates (array.c frees or returns them) */
  if (e->entry(p.slots, ret, &err)) {
    jit_rt_free(&rt);
    if (err.kind > 0 && err.kind < RT__COUNT && ir_rterrinfo[err.kind].fallback && e->pure)
      return fallback(d, args, nargsf, kwnames);
    return jit_raise_rt(d, e, &err);
  }
  return jit_box_call(e->ret, e->retlen, ret, e->decllen ? e->decl : NULL, e->decllen, &rt, a, d->nparams);
}

/* -- Type ------------------------------------------------------------------------- */

static int getu32(PyObject *code, const char *name, uint32_t *out)
{
  PyObject *v = PyObject_GetAttrString(code, name);
  if (!v) return -1;
  long x = PyLong_AsLong(v);
  Py_DECREF(v);
  if (x == -1 && PyErr_Occurred()) return -1;
  *out = (uint32_t)x;
  return 0;
}

/* Turn the rewrite names of sequence 'names' off in 'off'; -1 with ValueError on an unknown one. */
static int exclude_names(PyObject *names, uint8_t *off)
{
  PyObject *seq = PySequence_Fast(names, "exclude must be a sequence of rewrite names");
  if (!seq) return -1;
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
    PyObject *o = PySequence_Fast_GET_ITEM(seq, i);
    const char *s = PyUnicode_Check(o) ? PyUnicode_AsUTF8(o) : NULL;
    int id = s ? pass_rewrite_find(s) : -1;
    if (id < 0) {
      if (!PyErr_Occurred()) PyErr_Format(PyExc_ValueError, "unknown rewrite %R (see ember.rewrites())", o);
      Py_DECREF(seq);
      return -1;
    }
    off[id] = 1;
  }
  Py_DECREF(seq);
  return 0;
}

static PyObject *disp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
  static char *kwlist[] = {"func", "fastmath", "cache", "boundscheck", "exclude", "npmath", NULL};
  PyObject *func, *exclude = NULL;
  int fastmath = 0, cache = 0, boundscheck = 1, npmath = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|pppOi:Dispatcher", kwlist, &func, &fastmath, &cache, &boundscheck,
                                   &exclude, &npmath))
    return NULL;
  uint8_t off[PASS_MAXRW] = {0};
  if (exclude && exclude_names(exclude, off)) return NULL;
  if (!PyFunction_Check(func)) {
    PyErr_Format(PyExc_TypeError, "ember.jit needs a Python function, not %s", Py_TYPE(func)->tp_name);
    return NULL;
  }
  Disp *d = (Disp *)type->tp_alloc(type, 0);
  if (!d) return NULL;
  d->vectorcall = disp_vectorcall;
  d->id = -1;
  d->serial = nserial++;
  d->fastmath = fastmath;
  d->npmath = (uint8_t)(npmath < EM_NPMATH_PYTHON || npmath > EM_NPMATH_DRIVER ? EM_NPMATH_PYTHON : npmath);
  d->cache = cache;
  d->noboundscheck = !boundscheck;
  memcpy(d->rw_off, off, sizeof off);
  Py_INCREF(func);
  d->func = func;
  d->code = PyFunction_GetCode(func);
  Py_INCREF(d->code);
  d->qualname = PyObject_GetAttrString(func, "__qualname__");
  d->varnames = PyObject_GetAttrString(d->code, "co_varnames");
  if (!d->qualname || !d->varnames || !PyUnicode_Check(d->qualname) || !PyTuple_Check(d->varnames)
      || getu32(d->code, "co_argcount", &d->argcount) || getu32(d->code, "co_posonlyargcount", &d->posonly)
      || getu32(d->code, "co_kwonlyargcount", &d->kwonly) || getu32(d->code, "co_flags", &d->coflags)) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "ember.jit: malformed function");
    Py_DECREF(d);
    return NULL;
  }
  d->nparams = d->argcount + d->kwonly + !!(d->coflags & FE_CO_VARARGS);   /* *args: one tuple parameter, last */
  PyObject *cells = PyObject_GetAttrString(d->code, "co_cellvars");
  if (!cells || !PyTuple_Check(cells)) { Py_XDECREF(cells); Py_DECREF(d); return NULL; }
  d->ncells = (uint32_t)PyTuple_GET_SIZE(cells);
  Py_DECREF(cells);
  if ((Py_ssize_t)d->nparams > PyTuple_GET_SIZE(d->varnames)) d->nparams = (uint32_t)PyTuple_GET_SIZE(d->varnames);
  return (PyObject *)d;
}

static int disp_traverse(Disp *d, visitproc visit, void *arg)
{
  Py_VISIT(d->func);
  Py_VISIT(d->dict);
  return 0;
}

static int disp_clear(Disp *d)
{
  Py_CLEAR(d->func);
  Py_CLEAR(d->dict);
  return 0;
}

static void disp_dealloc(Disp *d)
{
  PyObject_GC_UnTrack(d);
  if (d->weakrefs) PyObject_ClearWeakRefs((PyObject *)d);
  disp_clear(d);
  Py_CLEAR(d->code);
  Py_CLEAR(d->qualname);
  Py_CLEAR(d->varnames);
  for (uint32_t i = 0; i < d->nent; i++) {
    Ent *e = d->ent[i];
    Py_XDECREF(e->irs);
    Py_XDECREF(e->times);
    Py_XDECREF(e->rewrites);
    Py_XDECREF(e->llvm);
    Py_XDECREF(e->asm_);
    free(e->sym);
    free(e);
  }
  free(d->ent);
  Py_TYPE(d)->tp_free((PyObject *)d);
}

static PyObject *disp_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
  if (!obj || obj == Py_None) { Py_INCREF(self); return self; }
  return PyMethod_New(self, obj);   /* like a plain function; self is then an argument */
}

static PyObject *disp_repr(Disp *d)
{
  return PyUnicode_FromFormat("<ember.jit %U>", d->qualname);
}

/* -- Python API --------------------------------------------------------------- */

static PyObject *get_signatures(Disp *d, void *c)
{
  PyObject *l = PyList_New(d->nent);
  for (uint32_t i = 0; l && i < d->nent; i++) {
    PyObject *s = jit_sig_str(d->ent[i]);
    if (!s) { Py_CLEAR(l); break; }
    PyList_SET_ITEM(l, i, s);
  }
  return l;
}

static PyObject *get_py_func(Disp *d, void *c)
{
  if (!d->func) Py_RETURN_NONE;
  Py_INCREF(d->func);
  return d->func;
}

static PyObject *get_cache(Disp *d, void *c)
{
  return PyBool_FromLong(d->cache);
}

static PyObject *get_stats(Disp *d, void *c)
{
  PyObject *times = PyDict_New();
  for (uint32_t i = 0; times && i < d->nent; i++) {
    PyObject *s = jit_sig_str(d->ent[i]);
    PyObject *t = d->ent[i]->times ? PyDict_Copy(d->ent[i]->times) : PyDict_New();
    if (!s || !t || PyDict_SetItem(times, s, t)) Py_CLEAR(times);
    Py_XDECREF(s);
    Py_XDECREF(t);
  }
  PyObject *rw = times ? PyDict_New() : NULL;
  for (uint32_t i = 0; rw && i < d->nent; i++) {
    PyObject *s = jit_sig_str(d->ent[i]);
    PyObject *t = d->ent[i]->rewrites ? PyDict_Copy(d->ent[i]->rewrites) : PyDict_New();
    if (!s || !t || PyDict_SetItem(rw, s, t)) Py_CLEAR(rw);
    Py_XDECREF(s);
    Py_XDECREF(t);
  }
  if (!rw) { Py_XDECREF(times); return NULL; }
  PyObject *r = Py_BuildValue("{sKsKsKsNsN}", "compilations", (unsigned long long)d->ncompiled,
                              "cache_hits", (unsigned long long)d->nloaded,
                              "fallbacks", (unsigned long long)d->nfallback, "compile_times", times,
                              "rewrites", rw);
  return r;
}

/* The entry named by 'sig' (a signature string, its argument part, or None for the last). */
static Ent *find_sig(Disp *d, PyObject *sig)
{
  if (!d->nent) {
    PyErr_Format(PyExc_ValueError, "%U has not been compiled yet: call it or give a signature to ember.jit",
                 d->qualname);
    return NULL;
  }
  if (!sig || sig == Py_None) return d->last ? d->last : d->ent[d->nent - 1];
  for (uint32_t i = 0; i < d->nent; i++) {
    PyObject *s = jit_sig_str(d->ent[i]);
    if (!s) return NULL;
    Py_ssize_t paren = PyUnicode_FindChar(s, '(', 0, PyUnicode_GET_LENGTH(s), 1);
    PyObject *args = paren >= 0 ? PyUnicode_Substring(s, paren, PyUnicode_GET_LENGTH(s)) : NULL;
    int eq = PyObject_RichCompareBool(s, sig, Py_EQ) == 1 || (args && PyObject_RichCompareBool(args, sig, Py_EQ) == 1);
    Py_DECREF(s);
    Py_XDECREF(args);
    PyErr_Clear();
    if (eq) return d->ent[i];
  }
  PyObject *all = get_signatures(d, NULL);
  if (all) PyErr_Format(PyExc_ValueError, "no compiled signature %R; compiled: %R", sig, all);
  Py_XDECREF(all);
  return NULL;
}

static PyObject *inspect_ir(Disp *d, PyObject *args, PyObject *kw)
{
  static char *kwlist[] = {"after", "signature", NULL};
  const char *after = "infer";
  PyObject *sig = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kw, "|sO:inspect_ir", kwlist, &after, &sig)) return NULL;
  PyObject *names = jit_phase_names();
  if (!names) return NULL;
  PyObject *a = PyUnicode_FromString(after);
  int ok = a ? PySequence_Contains(names, a) : -1;
  if (ok == 0) {
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *j = sep ? PyUnicode_Join(sep, names) : NULL;
    if (j) PyErr_Format(PyExc_ValueError, "unknown phase '%s'; the phases are: %U", after, j);
    Py_XDECREF(sep);
    Py_XDECREF(j);
  }
  Py_DECREF(names);
  Ent *e = ok == 1 ? find_sig(d, sig) : NULL;
  if (e && (!e->irs || !PyDict_GetItemWithError(e->irs, a)) && !PyErr_Occurred() && jit_inspect_native(d, e))
    e = NULL;   /* IR not kept (loaded code, a compile without inspect): compile once for it */
  PyObject *r = e ? PyDict_GetItemWithError(e->irs, a) : NULL;
  if (e && !r && !PyErr_Occurred())
    PyErr_Format(PyExc_ValueError, "no IR was kept after phase '%s'", after);
  Py_XDECREF(a);
  Py_XINCREF(r);
  /* after stabilize, the element code of the fused loops it calls (the elementwise rewrites run there) follows */
  PyObject *fused = r && !strcmp(after, "stabilize") ? PyDict_GetItemString(e->irs, "fused") : NULL;
  if (fused) {
    PyObject *head = PyUnicode_FromFormat("\n; the fused loops of jit/ember/_lib.py it calls, after their own "
                                          "stabilize phase:\n\n%U", fused);
    Py_SETREF(r, head ? PyUnicode_Concat(r, head) : NULL);
    Py_XDECREF(head);
  }
  return r;
}

/* inspect_llvm / inspect_asm: recompile once keeping the texts. */
static PyObject *inspect_native(Disp *d, PyObject *args, PyObject *kw, int want_asm)
{
  static char *kwlist[] = {"signature", NULL};
  PyObject *sig = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kw, want_asm ? "|O:inspect_asm" : "|O:inspect_llvm", kwlist, &sig))
    return NULL;
  Ent *e = find_sig(d, sig);
  if (!e) return NULL;
  if (!(want_asm ? e->asm_ : e->llvm) && jit_inspect_native(d, e)) return NULL;
  PyObject *r = want_asm ? e->asm_ : e->llvm;
  if (!r) return PyUnicode_FromString("");
  Py_INCREF(r);
  return r;
}

static PyObject *inspect_llvm(Disp *d, PyObject *args, PyObject *kw) { return inspect_native(d, args, kw, 0); }
static PyObject *inspect_asm(Disp *d, PyObject *args, PyObject *kw) { return inspect_native(d, args, kw, 1); }

/* _compile(argcodes: bytes, retcode: bytes|None): eager compilation of a signature. */
static PyObject *compile_sig(Disp *d, PyObject *args)
{
  const char *key, *ret = NULL;
  Py_ssize_t keylen, retlen = 0;
  if (!PyArg_ParseTuple(args, "y#|z#:_compile", &key, &keylen, &ret, &retlen)) return NULL;
  if (keylen > EM_KEYMAX || retlen > EM_KEYMAX) {
    PyErr_SetString(PyExc_ValueError, "signature too long");
    return NULL;
  }
  if (d->coflags & FE_CO_VARKEYWORDS || d->nparams > EM_MAXPARAMS) {
    jit_check_flags(d);
    return NULL;
  }
  uint32_t n = 0, i = 0;
  for (; i < (uint32_t)keylen; n++) {
    uint32_t l = jit_code_len((const uint8_t *)key + i, (uint32_t)keylen - i);
    if (!l) break;
    i += l;
  }
  if (i != (uint32_t)keylen || n != d->nparams) {
    PyErr_Format(PyExc_TypeError, "signature gives %u argument types but %U() has %u parameters", n, d->qualname,
                 d->nparams);
    return NULL;
  }
  Ent *e = jit_compile(d, (const uint8_t *)key, (uint32_t)keylen, (const uint8_t *)ret, (uint32_t)retlen);
  if (!e) return NULL;
  return jit_sig_str(e);
}

static PyGetSetDef disp_getset[] = {
  {"signatures", (getter)get_signatures, NULL, "the compiled signatures, \"float64(int64, float64)\"", NULL},
  {"py_func", (getter)get_py_func, NULL, "the Python function", NULL},
  {"stats", (getter)get_stats, NULL, "compilations, cache_hits (signatures loaded from the disk cache or shared "
   "with identical code of this process), fallbacks and the seconds of each compile stage", NULL},
  {"cache", (getter)get_cache, NULL, "whether compiled code is read from and written to the disk cache", NULL},
  {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
  {NULL},
};

static PyMethodDef disp_methods[] = {
  {"inspect_ir", (PyCFunction)(void (*)(void))inspect_ir, METH_VARARGS | METH_KEYWORDS,
   "inspect_ir(after='infer', signature=None): Ember IR text after a phase ('frontend' or a pass phase)"},
  {"inspect_llvm", (PyCFunction)(void (*)(void))inspect_llvm, METH_VARARGS | METH_KEYWORDS,
   "inspect_llvm(signature=None): the optimized LLVM IR"},
  {"inspect_asm", (PyCFunction)(void (*)(void))inspect_asm, METH_VARARGS | METH_KEYWORDS,
   "inspect_asm(signature=None): the host assembly"},
  {"_compile", (PyCFunction)compile_sig, METH_VARARGS, "compile argument type codes (eager signatures)"},
  {NULL},
};

PyTypeObject Disp_Type = {
  PyVarObject_HEAD_INIT(NULL, 0)
  .tp_name = "ember._ember.Dispatcher",
  .tp_doc = "A function compiled by ember.jit: call it like the Python function.",
  .tp_basicsize = sizeof(Disp),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
  .tp_new = disp_new,
  .tp_dealloc = (destructor)disp_dealloc,
  .tp_traverse = (traverseproc)disp_traverse,
  .tp_clear = (inquiry)disp_clear,
  .tp_vectorcall_offset = offsetof(Disp, vectorcall),
  .tp_call = PyVectorcall_Call,
  .tp_descr_get = disp_descr_get,
  .tp_repr = (reprfunc)disp_repr,
  .tp_dictoffset = offsetof(Disp, dict),
  .tp_weaklistoffset = offsetof(Disp, weakrefs),
  .tp_getset = disp_getset,
  .tp_methods = disp_methods,
};

/* -- Binding for compiled callers (IrHost.bind) -------------------------------- */

/* A default value as an IR constant; -1 if it has no scalar IR type. */
static int ir_default(PyObject *v, IrDefault *out)
{
  memset(out, 0, sizeof *out);
  if (v == Py_None) { out->type = IRT_NONE; return 0; }
  if (PyBool_Check(v)) { out->type = IRT_BOOL; out->v.i = v == Py_True; return 0; }
  if (PyLong_CheckExact(v)) {
    int ovf;
    long long x = PyLong_AsLongLongAndOverflow(v, &ovf);
    if (ovf) return -1;
    out->type = IRT_INT;
    out->v.i = x;
    return 0;
  }
  if (PyFloat_CheckExact(v)) { out->type = IRT_F64; out->v.f = PyFloat_AS_DOUBLE(v); return 0; }
  if (PyComplex_CheckExact(v)) {
    out->type = IRT_C128;
    out->v.c[0] = PyComplex_RealAsDouble(v);
    out->v.c[1] = PyComplex_ImagAsDouble(v);
    return 0;
  }
  if (PyUnicode_CheckExact(v)) {   /* a str literal: the text lives as long as the function's defaults */
    Py_ssize_t n;
    out->v.s = PyUnicode_AsUTF8AndSize(v, &n);
    if (!out->v.s || n > EM_STRMAX || memchr(out->v.s, 0, (size_t)n)) { PyErr_Clear(); return -1; }
    out->type = IRT_VOID;
    return 0;
  }
  return -1;
}

static const char *cname(Disp *d, uint32_t i)
{
  const char *s = PyUnicode_AsUTF8(pname(d, i));
  if (!s) { PyErr_Clear(); s = "?"; }
  return s;
}

/* "g() missing 2 required positional arguments: 'a' and 'b'" into 'err'. */
static int cmissing(Disp *d, const uint32_t *idx, uint32_t n, const char *kind, char *err, size_t errsize)
{
  char list[512] = "";
  for (uint32_t k = 0; k < n; k++) {
    const char *sep = k == 0 ? "" : n == 2 ? " and " : k == n - 1 ? ", and " : ", ";
    size_t l = strlen(list);
    snprintf(list + l, sizeof list - l, "%s'%s'", sep, cname(d, idx[k]));
  }
  snprintf(err, errsize, "%s() missing %u required %s argument%s: %s", PyUnicode_AsUTF8(d->qualname), n, kind,
           n == 1 ? "" : "s", list);
  return -1;
}

/* Fill defaults of unbound parameters (map[i] == -2); -1 with 'err'. */
static int cdefaults(Disp *d, int32_t *map, IrDefault *defs, char *err, size_t errsize)
{
  PyObject *dt = PyFunction_GetDefaults(d->func);
  PyObject *kwd = PyFunction_GetKwDefaults(d->func);
  Py_ssize_t ndef = dt && PyTuple_Check(dt) ? PyTuple_GET_SIZE(dt) : 0;
  uint32_t miss[EM_MAXPARAMS], nmiss = 0;
  for (uint32_t i = 0; i < d->nparams; i++) {
    if (map[i] != -2) continue;
    if (i == d->argcount && nmiss) break;
    Py_ssize_t di = (Py_ssize_t)i - (d->argcount - ndef);
    PyObject *v = i < d->argcount ? (di >= 0 ? PyTuple_GET_ITEM(dt, di) : NULL)
                                  : (kwd && PyDict_Check(kwd) ? PyDict_GetItem(kwd, pname(d, i)) : NULL);
    if (!v) { miss[nmiss++] = i; continue; }
    if (ir_default(v, &defs[i])) {
      snprintf(err, errsize, "the default value of parameter '%s' of %s() is a %s, which compiled calls cannot pass",
               cname(d, i), PyUnicode_AsUTF8(d->qualname), Py_TYPE(v)->tp_name);
      return -1;
    }
    map[i] = -1;
  }
  if (nmiss) return cmissing(d, miss, nmiss, miss[0] < d->argcount ? "positional" : "keyword-only", err, errsize);
  return 0;
}

int jit_host_bind(void *host, int64_t id, uint32_t npos, const char *const *kw, uint32_t nkw, int32_t *map,
                  IrDefault *defaults, uint32_t maxparams, uint32_t *nparams, char *err, size_t errsize)
{
  Disp *d = jit_disp_byid(id);
  if (!d) { snprintf(err, errsize, "no compiled function with id %lld", (long long)id); return -1; }
  const char *q = PyUnicode_AsUTF8(d->qualname);
  bool star = d->coflags & FE_CO_VARARGS;
  if (d->nparams > maxparams || d->nparams > EM_MAXPARAMS || (d->coflags & FE_CO_VARKEYWORDS)) {
    snprintf(err, errsize, "%s() has parameters compiled calls cannot bind (**kwargs or too many)", q);
    return -1;
  }
  if (npos > d->argcount && !star) {   /* CPython's text: "takes from 1 to 2 positional arguments" with defaults */
    PyObject *dt = PyFunction_GetDefaults(d->func);
    Py_ssize_t ndef = dt && PyTuple_Check(dt) ? PyTuple_GET_SIZE(dt) : 0;
    char takes[64];
    if (ndef) snprintf(takes, sizeof takes, "from %zd to %u positional arguments", (Py_ssize_t)d->argcount - ndef, d->argcount);
    else snprintf(takes, sizeof takes, "%u positional argument%s", d->argcount, d->argcount == 1 ? "" : "s");
    snprintf(err, errsize, "%s() takes %s but %u %s given", q, takes, npos, npos == 1 ? "was" : "were");
    return -1;
  }
  *nparams = d->nparams;
  for (uint32_t i = 0; i < d->nparams; i++) map[i] = i < npos && i < d->argcount ? (int32_t)i : -2;
  if (star) map[d->nparams - 1] = IR_BIND_STAR - (int32_t)d->argcount;   /* the tuple of the arguments from there */
  for (uint32_t k = 0; k < nkw; k++) {
    int32_t found = -1;
    for (uint32_t i = 0; i < d->argcount + d->kwonly && found < 0; i++)
      if (strcmp(cname(d, i), kw[k]) == 0) found = (int32_t)i;
    if (found >= 0 && (uint32_t)found < d->posonly) {
      snprintf(err, errsize, "%s() got some positional-only arguments passed as keyword arguments: '%s'", q, kw[k]);
      return -1;
    }
    if (found < 0) { snprintf(err, errsize, "%s() got an unexpected keyword argument '%s'", q, kw[k]); return -1; }
    if (map[found] != -2) { snprintf(err, errsize, "%s() got multiple values for argument '%s'", q, kw[k]); return -1; }
    map[found] = (int32_t)(npos + k);
  }
  return cdefaults(d, map, defaults, err, errsize);
}
