/* jit/rterror.c: native error records (EmErr) to Python exceptions.
 *
 * For a kind whose CPython wording differs between versions (or between
 * operand types), the exception comes from performing an equivalent failing
 * operation with the C API, so the message is this interpreter's own; the
 * other kinds take class and message from ir/rterrors.def.  Then the
 * exception gets a traceback entry for the compiled function's source line
 * (so tracebacks show `File "demo.py", line 5, in gcd` on every version) and,
 * on 3.11+, a note "raised in ember-compiled gcd (demo.py:5)".
 */
#include "jit.h"

#include <frameobject.h>
#include <math.h>
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
  default: return -1;
  }
  Py_XDECREF(a);
  Py_XDECREF(b);
  if (r) { Py_DECREF(r); return -1; }   /* did not fail: use the table */
  return 0;
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

/* Add a traceback entry at 'line' of 'd's file, named after 'd'. */
static void add_traceback(Disp *d, int line)
{
  PyObject *fn = PyObject_GetAttrString(d->code, "co_filename");
  const char *file = fn ? PyUnicode_AsUTF8(fn) : NULL;
  const char *name = PyUnicode_AsUTF8(d->qualname);
  if (!file || !name) { Py_XDECREF(fn); return; }
  PyObject *t, *v, *tb;
  PyErr_Fetch(&t, &v, &tb);
  PyCodeObject *co = PyCode_NewEmpty(file, name, line);
  PyFrameObject *f = co ? PyFrame_New(PyThreadState_Get(), co, PyFunction_GetGlobals(d->func), NULL) : NULL;
  PyErr_Restore(t, v, tb);
  if (f) PyTraceBack_Here(f);
  else PyErr_Clear();
  Py_XDECREF(f);
  Py_XDECREF(co);
  Py_DECREF(fn);
}

#if PYVER >= 311
/* Add the note naming the compiled function and line to the pending exception. */
static void add_note(Disp *d, int line)
{
  PyObject *t, *v, *tb;
  PyErr_Fetch(&t, &v, &tb);
  PyErr_NormalizeException(&t, &v, &tb);
  if (v) {
    PyObject *note = PyUnicode_FromFormat("raised in ember-compiled %U (%s:%d)", d->qualname,
                                          jit_disp_file(d), line);
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
  if (perform(err->kind)) {
    PyErr_Clear();
    from_table(err->kind);
  }
  int line = err->line > 0 ? err->line : 0;
#if PYVER >= 311
  add_note(d, line);
#endif
  if (line > 0) add_traceback(d, line);
  return NULL;
}
