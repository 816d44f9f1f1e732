/* jit/rterror.c: native error records (EmErr) to Python exceptions.
 *
 * For a kind whose CPython wording differs between versions (or between
 * operand types), the exception comes from performing an equivalent failing
 * operation with the C API, so the message is this interpreter's own; the
 * other kinds take class and message from ir/rterrors.def.  Then the
 * exception gets a traceback entry for the source line of the compiled
 * function that raised (so tracebacks show `File "demo.py", line 5, in gcd`
 * on every version) and, on 3.11+, a note "raised in ember-compiled gcd
 * (demo.py:5)".  That function is EmErr.where ("qualname\0file", a constant
 * of its object code), which names a callee when the error came from one;
 * without it, the dispatcher's own function.
 */
#include "jit.h"

#include <frameobject.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Raise the exception of 'kind' by doing what fails the same way; 0 if done. */
static int perform(int kind)
{
  PyObject *a = NULL, *b = NULL, *r = NULL;
  switch (kind) {
  case RT_ZERODIV_INT: a = PyLong_FromLong(1); b = PyLong_FromLong(0); if (a && b) r = PyNumber_FloorDivide(a, b); break;
  case RT_ZERODIV_TRUE: a = PyFloat_FromDouble(1); b = PyFloat_FromDouble(0); if (a && b) r = PyNumber_TrueDivide(a, b); break;
  case RT_ZERODIV_FLOOR: a = PyFloat_FromDouble(1); b = PyFloat_FromDouble(0); if (a && b) r = PyNumber_FloorDivide(a, b); break;
  case RT_ZERODIV_MOD: a = PyFloat_FromDouble(1); b = PyFloat_FromDouble(0); if (a && b) r = PyNumber_Remainder(a, b); break;
  case RT_ZERODIV_POW: a = PyFloat_FromDouble(0); b = PyFloat_FromDouble(-1); if (a && b) r = PyNumber_Power(a, b, Py_None); break;
  case RT_ZERODIV_CPLX: a = PyComplex_FromDoubles(1, 0); b = PyComplex_FromDoubles(0, 0); if (a && b) r = PyNumber_TrueDivide(a, b); break;
  case RT_NEG_SHIFT: a = PyLong_FromLong(1); b = PyLong_FromLong(-1); if (a && b) r = PyNumber_Lshift(a, b); break;
  case RT_RANGE_STEP: r = PyObject_CallFunction((PyObject *)&PyRange_Type, "iii", 0, 1, 0); a = b = NULL; break;
  case RT_FLOAT_NAN_INT: a = PyFloat_FromDouble(NAN); if (a) r = PyNumber_Long(a); break;
  case RT_FLOAT_INF_INT: a = PyFloat_FromDouble(INFINITY); if (a) r = PyNumber_Long(a); break;
  case RT_ZERODIV_TRUE_INT: a = PyLong_FromLong(1); b = PyLong_FromLong(0); if (a && b) r = PyNumber_TrueDivide(a, b); break;
  case RT_ZERODIV_MOD_INT: a = PyLong_FromLong(1); b = PyLong_FromLong(0); if (a && b) r = PyNumber_Remainder(a, b); break;
  case RT_POW_RANGE: a = PyFloat_FromDouble(1e300); b = PyFloat_FromDouble(2.0); if (a && b) r = PyNumber_Power(a, b, Py_None); break;
  case RT_ZERODIV_CPOW: a = PyComplex_FromDoubles(0, 0); b = PyComplex_FromDoubles(-1, 0); if (a && b) r = PyNumber_Power(a, b, Py_None); break;
  case RT_CPOW_RANGE: a = PyComplex_FromDoubles(1e300, 1e300); b = PyComplex_FromDoubles(2.5, 1); if (a && b) r = PyNumber_Power(a, b, Py_None); break;
  case RT_CABS_RANGE: a = PyComplex_FromDoubles(1.7e308, 1.7e308); if (a) r = PyNumber_Absolute(a); break;
  default: return -1;
  }
  Py_XDECREF(a);
  Py_XDECREF(b);
  if (r) { Py_DECREF(r); return -1; }   /* did not fail: use the table */
  return 0;
}

/* UnboundLocalError for local 'name' in this version's words. */
static void unbound(const char *name)
{
#if PYVER >= 311
  PyErr_Format(PyExc_UnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", name);
#else
  PyErr_Format(PyExc_UnboundLocalError, "local variable '%s' referenced before assignment", name);
#endif
}

/* Raise from the table row of 'kind'. */
static void from_table(int kind)
{
  const IrRtErrInfo *ri = kind > 0 && kind < RT__COUNT ? &ir_rterrinfo[kind] : NULL;
  PyObject *exc = PyExc_RuntimeError;
  if (ri && ri->exception[0]) {
    PyObject *bi = PyEval_GetBuiltins();
    PyObject *e = bi ? PyDict_GetItemString(bi, ri->exception) : NULL;
    if (e && PyExceptionClass_Check(e)) exc = e;
  }
  if (ri) PyErr_SetString(exc, ri->message);
  else PyErr_Format(PyExc_SystemError, "ember: unknown native error kind %d", kind);
}

/* NumPy's text of the shape at 'p' (its ndim, then the extents) into 'out',
 * "(2,3)", "(3,)" or "()"; returns the payload after it, NULL past 'end'. */
static const int64_t *shape_text(const int64_t *p, const int64_t *end, char *out, size_t size)
{
  if (p >= end || *p < 0 || p + 1 + *p > end) return NULL;
  int64_t n = *p++;
  size_t len = (size_t)snprintf(out, size, "(");
  for (int64_t k = 0; k < n && len < size; k++)
    len += (size_t)snprintf(out + len, size - len, n == 1 ? "%lld," : k ? ",%lld" : "%lld", (long long)p[k]);
  if (len < size) snprintf(out + len, size - len, ")");
  return p + n;
}

/* Shape 'a' (ndim, then extents; room for 1 + EM_NPAY) becomes its broadcast
 * with 'b'; false if they do not broadcast. */
static bool bcast2(int64_t *a, const int64_t *b)
{
  int64_t n = a[0] > b[0] ? a[0] : b[0], r[1 + EM_NPAY];
  if (n > EM_NPAY) return false;
  r[0] = n;
  for (int64_t d = 0; d < n; d++) {
    int64_t x = d < n - a[0] ? 1 : a[1 + d - (n - a[0])], y = d < n - b[0] ? 1 : b[1 + d - (n - b[0])];
    if (x != y && x != 1 && y != 1) return false;
    r[1 + d] = x == 1 ? y : x;
  }
  memcpy(a, r, (size_t)(1 + n) * sizeof *a);
  return true;
}

/* RT_BCAST_TREE: replay the operations of a fused tree (the tokens of
 * jit/ember/_lib.py _fz_tokens, a tuple: their count, then 15 of 4 bits to a
 * value) over its leaves' shapes, which follow them, and raise NumPy's message
 * for the first operation whose operands do not broadcast.  0 if raised. */
static int bcast_tree(const int64_t *p, const int64_t *end)
{
  int64_t nt = p[0], ntok = nt > 1 ? p[1] : 0;
  const int64_t *leaf[12], *q = p + 1 + nt, *w = p + 2;
  int nleaf = 0;
  if (ntok <= 0 || (ntok + 14) / 15 != nt - 1 || q > end) return -1;
  while (q < end && nleaf < 12) {   /* each shape: its ndim, then its extents */
    if (q[0] < 0 || q[0] >= end - q) return -1;
    leaf[nleaf++] = q;
    q += 1 + q[0];
  }
  if (q != end) return -1;
  static const int64_t scalar[1] = {0};
  int64_t stack[8][1 + EM_NPAY];   /* a tree of binary and ternary operations needs few */
  int sp = 0;
  for (int64_t i = 0; i < ntok; i++) {
    int x = (int)((w[i / 15] >> (4 * (i % 15))) & 15);
    if (x < 13) {
      const int64_t *s = x < 12 ? (x < nleaf ? leaf[x] : NULL) : scalar;
      if (!s || sp == 8 || s[0] > EM_NPAY) return -1;
      memcpy(stack[sp++], s, (size_t)(1 + s[0]) * sizeof **stack);
      continue;
    }
    int k = x - 11;
    if (x > 14 || sp < k) return -1;
    int64_t r[1 + EM_NPAY];
    memcpy(r, stack[sp - k], sizeof r);
    bool ok = true;
    for (int j = 1; j < k && ok; j++) ok = bcast2(r, stack[sp - k + j]);
    if (!ok) {
      char all[512] = "", one[128];
      size_t len = 0;
      for (int j = 0; j < k; j++) {
        shape_text(stack[sp - k + j], stack[sp - k + j] + 1 + stack[sp - k + j][0], one, sizeof one);
        len += (size_t)snprintf(all + len, sizeof all - len, "%s ", one);
      }
      PyErr_Format(PyExc_ValueError, "operands could not be broadcast together with shapes %s", all);
      return 0;
    }
    sp -= k;
    memcpy(stack[sp++], r, sizeof r);
  }
  return -1;
}

/* NumPy's message made from the values a guard carried (EmErr.pay); 0 if raised. */
static int from_payload(const EmErr *err)
{
  const int64_t *p = err->pay, *end = err->pay + (err->npay < EM_NPAY ? err->npay : EM_NPAY);
  if (err->kind == RT_STORE_SHAPE) {
    char from[256], into[256];
    const int64_t *q = shape_text(p, end, from, sizeof from);
    if (!q || shape_text(q, end, into, sizeof into) != end) return -1;
    PyErr_Format(PyExc_ValueError, "could not broadcast input array from shape %s into shape %s", from, into);
    return 0;
  }
  if (err->kind == RT_ARRAY_SHAPE && err->npay > 0) {
    char all[512] = "", one[128];
    size_t len = 0;
    while (p && p < end && len < sizeof all) {
      p = shape_text(p, end, one, sizeof one);
      if (p) len += (size_t)snprintf(all + len, sizeof all - len, "%s ", one);
    }
    if (!p) return -1;
    PyErr_Format(PyExc_ValueError, "operands could not be broadcast together with shapes %s", all);
    return 0;
  }
  if (err->kind == RT_BCAST_TREE && err->npay > 0) return bcast_tree(p, end);
  if (err->kind == RT_RESHAPE && err->npay >= 3 && err->npay <= EM_NPAY) {   /* size, unknowns, the extents asked */
    if (p[1] > 1) { PyErr_SetString(PyExc_ValueError, "can only specify one unknown dimension"); return 0; }
    char shape[512] = "";   /* NumPy's build_shape_string: leading unknowns left out, the others 'newaxis' */
    size_t len = 0;
    const int64_t *d = p + 2;
    while (d < end && *d < 0) d++;
    for (const int64_t *first = d; d < end && len < sizeof shape; d++)
      len += (size_t)(*d < 0 ? snprintf(shape + len, sizeof shape - len, ",newaxis")
                              : snprintf(shape + len, sizeof shape - len, "%s%lld", d > first ? "," : "", (long long)*d));
    PyErr_Format(PyExc_ValueError, "cannot reshape array of size %lld into shape (%s%s)", (long long)p[0], shape,
                 err->npay == 3 && p[2] >= 0 ? "," : "");
    return 0;
  }
  if (err->kind == RT_NP_INT_BOUNDS && err->npay == 3) {   /* NEP 50: NumPy's OverflowError */
    PyErr_Format(PyExc_OverflowError, "Python integer %lld out of bounds for %sint%d", (long long)p[0],
                 p[2] ? "" : "u", (int)p[1]);
    return 0;
  }
  if (err->kind == RT_DICT_KEY && err->npay == 2) {   /* KeyError(key): the key as a Python number (rt_dict.c) */
    double f;
    memcpy(&f, &p[0], 8);
    PyObject *k = p[1] == EM_DK_FLOAT ? PyFloat_FromDouble(f) : p[1] == EM_DK_UINT ? PyLong_FromUnsignedLongLong((uint64_t)p[0])
                : p[1] == EM_DK_BOOL ? PyBool_FromLong(p[0] != 0) : PyLong_FromLongLong(p[0]);
    if (k) PyErr_SetObject(PyExc_KeyError, k);
    Py_XDECREF(k);
    return 0;
  }
  if (err->kind == RT_MATMUL_CORE && err->npay == 4) {
    PyErr_Format(PyExc_ValueError, "matmul: %s operand %d has a mismatch in its core dimension %d, with gufunc "
                 "signature (n?,k),(k,m?)->(n?,m?) (size %lld is different from %lld)", p[0] ? "Output" : "Input",
                 p[0] ? 0 : 1, (int)p[1], (long long)p[2], (long long)p[3]);
    return 0;
  }
  return -1;
}

/* -- raise USER: the exception a raise or assert statement builds ---------------
 * EmErr.what is "<codes>:<what>" (targets/llvm/lower.c): the type codes of
 * the values in EmErr.pay, then the text frontend/raise.c describes,
 *     Name [ '(' arg { ', ' arg } ')' ] [ ' from None' ]
 * where an arg is '{}' (the next value) or a quoted str whose fields
 * '{' [!c] [:spec] '}' format the next values.  The exception is the
 * builtin Name called with those arguments, as CPython builds it. */

typedef struct {
  const char *p;         /* the text still to read */
  PyObject *vals;        /* tuple: the values */
  Py_ssize_t next;       /* the next value to take */
} Txt;

/* The next value (new reference), or NULL with an exception. */
static PyObject *take(Txt *t)
{
  if (t->next >= PyTuple_GET_SIZE(t->vals)) {
    PyErr_SetString(PyExc_SystemError, "ember: an exception text takes more values than it has");
    return NULL;
  }
  PyObject *v = PyTuple_GET_ITEM(t->vals, t->next++);
  Py_INCREF(v);
  return v;
}

/* One char of the notation at t->p into 'out' (a byte); advances. */
static char onechar(Txt *t)
{
  if (*t->p != '\\') return *t->p++;
  t->p++;
  if (*t->p == 'x' && isxdigit((unsigned char)t->p[1]) && isxdigit((unsigned char)t->p[2])) {
    char hex[3] = {t->p[1], t->p[2], 0};
    t->p += 3;
    return (char)strtol(hex, NULL, 16);
  }
  return *t->p ? *t->p++ : 0;
}

/* The field at t->p (after its '{'): format(conv(value), spec) as a new str. */
static PyObject *field(Txt *t)
{
  char conv = 0, spec[256];
  size_t n = 0;
  if (*t->p == '!') { conv = t->p[1]; t->p += 2; }
  if (*t->p == ':') {
    t->p++;
    while (*t->p && *t->p != '}' && n + 1 < sizeof spec) spec[n++] = onechar(t);
  }
  spec[n] = 0;
  if (*t->p == '}') t->p++;
  PyObject *v = take(t), *c = NULL, *f = NULL, *fs = NULL;
  if (!v) return NULL;
  c = conv == 's' ? PyObject_Str(v) : conv == 'r' ? PyObject_Repr(v) : conv == 'a' ? PyObject_ASCII(v) : (Py_INCREF(v), v);
  fs = c ? PyUnicode_DecodeUTF8(spec, (Py_ssize_t)n, "surrogatepass") : NULL;
  f = fs ? PyObject_Format(c, fs) : NULL;
  Py_XDECREF(fs);
  Py_XDECREF(c);
  Py_DECREF(v);
  return f;
}

/* The quoted str at t->p (after its quote), as a new str. */
static PyObject *quoted(Txt *t)
{
  PyObject *parts = PyList_New(0), *r = NULL;
  char buf[512];
  size_t n = 0;
  while (parts && *t->p && *t->p != '\'') {
    PyObject *piece = NULL;
    if (*t->p == '{') { t->p++; piece = field(t); }
    else if (n + 1 < sizeof buf) { buf[n++] = onechar(t); continue; }
    if (n) {   /* flush the text before the field (or a full buffer) */
      PyObject *s = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)n, "surrogatepass");
      if (!s || PyList_Append(parts, s)) { Py_XDECREF(s); Py_XDECREF(piece); goto fail; }
      Py_DECREF(s);
      n = 0;
    }
    if (!piece && PyErr_Occurred()) goto fail;
    if (piece && PyList_Append(parts, piece)) { Py_DECREF(piece); goto fail; }
    Py_XDECREF(piece);
  }
  if (*t->p == '\'') t->p++;
  if (n) {
    PyObject *s = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)n, "surrogatepass");
    if (!s || PyList_Append(parts, s)) { Py_XDECREF(s); goto fail; }
    Py_DECREF(s);
  }
  PyObject *empty = PyUnicode_FromString("");
  r = empty ? PyUnicode_Join(empty, parts) : NULL;
  Py_XDECREF(empty);
fail:
  Py_XDECREF(parts);
  return r;
}

PyObject *jit_quoted(const char *p, PyObject *vals)
{
  Txt t = {p, vals, 0};
  return quoted(&t);
}

PyObject *jit_linalg_error(void)
{
  static PyObject *cls;   /* numpy.linalg.LinAlgError, kept for good */
  if (cls) return cls;
  PyObject *m = PyImport_ImportModule("numpy.linalg");
  cls = m ? PyObject_GetAttrString(m, "LinAlgError") : NULL;
  Py_XDECREF(m);
  if (!cls) PyErr_Clear();
  return cls;
}

/* The builtin exception class (or LinAlgError) named at t->p (advanced past the name), borrowed. */
static PyObject *exc_class(Txt *t)
{
  char name[128];
  size_t n = 0;
  while ((isalnum((unsigned char)*t->p) || *t->p == '_') && n + 1 < sizeof name) name[n++] = *t->p++;
  name[n] = 0;
  PyObject *bi = PyEval_GetBuiltins();
  PyObject *c = bi ? PyDict_GetItemString(bi, name) : NULL;
  if (c && PyExceptionClass_Check(c)) return c;
  if (!strcmp(name, "LinAlgError") && jit_linalg_error()) return jit_linalg_error();
  PyErr_Format(PyExc_SystemError, "ember: no builtin exception class %s", name);
  return NULL;
}

/* The arguments "(...)" at t->p as a new tuple (empty without parentheses). */
static PyObject *exc_args(Txt *t)
{
  PyObject *args = PyList_New(0), *r = NULL;
  if (args && *t->p == '(') {
    t->p++;
    while (*t->p && *t->p != ')') {
      PyObject *a = NULL;
      if (*t->p == '\'') { t->p++; a = quoted(t); }
      else if (t->p[0] == '{' && t->p[1] == '}') { t->p += 2; a = take(t); }
      else PyErr_SetString(PyExc_SystemError, "ember: malformed exception text");
      if (!a || PyList_Append(args, a)) { Py_XDECREF(a); goto fail; }
      Py_DECREF(a);
      if (t->p[0] == ',' && t->p[1] == ' ') t->p += 2;
    }
    if (*t->p == ')') t->p++;
  }
  r = args ? PyList_AsTuple(args) : NULL;
fail:
  Py_XDECREF(args);
  return r;
}

/* Set the exception of raise USER record 'err'. */
static void user_exception(const EmErr *err)
{
  const char *w = err->what ? err->what : ":RuntimeError", *colon = strchr(w, ':');
  if (!colon) { PyErr_SetString(PyExc_SystemError, "ember: malformed exception record"); return; }
  uint8_t code[EM_KEYMAX + 2];
  uint32_t len = (uint32_t)(colon - w);
  if (len > EM_KEYMAX) { PyErr_SetString(PyExc_SystemError, "ember: exception values too long"); return; }
  code[0] = TC_TUP;
  memcpy(code + 1, w, len);
  code[len + 1] = TC_END;
  uint64_t slots[EM_NPAY + 1] = {0};
  memcpy(slots, err->pay, sizeof err->pay);
  Txt t = {colon + 1, jit_box(code, len + 2, slots, NULL, 0), 0};
  if (!t.vals) return;
  PyObject *cls = exc_class(&t), *args = cls ? exc_args(&t) : NULL;
  PyObject *e = args ? PyObject_Call(cls, args, NULL) : NULL;   /* a TypeError of the class's own, as CPython's */
  if (e && !PyExceptionInstance_Check(e)) {
    Py_CLEAR(e);
    PyErr_Format(PyExc_TypeError, "exceptions must derive from BaseException");
  }
  if (e) {
    if (!strcmp(t.p, " from None")) PyException_SetCause(e, NULL);   /* also sets __suppress_context__ */
    PyErr_SetObject((PyObject *)Py_TYPE(e), e);
  }
  Py_XDECREF(e);
  Py_XDECREF(args);
  Py_DECREF(t.vals);
}

/* The function that raised: name and file from 'err' or from 'd'; 0, or -1 (no exception). */
static int raiser(Disp *d, const EmErr *err, const char **name, const char **file)
{
  if (err->where) {
    *name = err->where;
    *file = err->where + strlen(err->where) + 1;
    return 0;
  }
  PyObject *f = PyObject_GetAttrString(d->code, "co_filename");
  *name = PyUnicode_AsUTF8(d->qualname);
  *file = f && PyUnicode_Check(f) ? PyUnicode_AsUTF8(f) : NULL;
  Py_XDECREF(f);  /* the code object keeps the string alive */
  if (*name && *file) return 0;
  PyErr_Clear();
  return -1;
}

/* Add a traceback entry at 'line' of 'file', in function 'name' (globals of 'd'). */
static void add_traceback(Disp *d, const char *name, const char *file, int line)
{
  PyObject *t, *v, *tb;
  PyErr_Fetch(&t, &v, &tb);
  PyCodeObject *co = PyCode_NewEmpty(file, name, line);
  PyFrameObject *f = co ? PyFrame_New(PyThreadState_Get(), co, PyFunction_GetGlobals(d->func), NULL) : NULL;
  PyErr_Restore(t, v, tb);
  if (f) PyTraceBack_Here(f);
  else PyErr_Clear();
  Py_XDECREF(f);
  Py_XDECREF(co);
}

#if PYVER >= 311
/* Add the note naming the compiled function and line to the pending exception. */
static void add_note(const char *name, const char *file, int line)
{
  PyObject *t, *v, *tb;
  PyErr_Fetch(&t, &v, &tb);
  PyErr_NormalizeException(&t, &v, &tb);
  if (v) {
    const char *base = strrchr(file, '/');
    PyObject *note = PyUnicode_FromFormat("raised in ember-compiled %s (%s:%d)", name, base ? base + 1 : file, line);
    PyObject *r = note ? PyObject_CallMethod(v, "add_note", "O", note) : NULL;
    if (!r) PyErr_Clear();
    Py_XDECREF(r);
    Py_XDECREF(note);
  }
  if (tb && v) PyException_SetTraceback(v, tb);
  PyErr_Restore(t, v, tb);
}
#endif

PyObject *jit_raise_rt(Disp *d, Ent *e, const EmErr *err)
{
  (void)e;
  if (err->kind == RT_UNBOUND && err->what) unbound(err->what);
  else if (err->kind == RT_USER) user_exception(err);
  else if (err->kind == RT_INDEX) jit_index_error(err);   /* NumPy's message from the payload (array.c) */
  else if (from_payload(err) && perform(err->kind)) {
    PyErr_Clear();
    from_table(err->kind);
  }
  int line = err->line > 0 ? err->line : 0;
  const char *name, *file;
  PyObject *t, *v, *tb;
  PyErr_Fetch(&t, &v, &tb);
  int ok = raiser(d, err, &name, &file) == 0;
  PyErr_Restore(t, v, tb);
  if (!ok) return NULL;
#if PYVER >= 311
  add_note(name, file, line);
#endif
  if (line > 0) add_traceback(d, name, file, line);
  return NULL;
}
