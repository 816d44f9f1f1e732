/* jit/print.c: print() in compiled code.
 *
 * frontend/print.c makes a print call one `print` instruction whose text
 * (a flush flag, then a quoted str in frontend/raise.c's notation) takes its
 * operands in its fields; targets/llvm/lower.c passes "<value codes>:<text>"
 * and the operands' slots to ember_rt_print (targets/native/runtime.c), which
 * calls jit_print through the hook that load_llvm (compile.c) sets.  Compiled
 * code runs holding the GIL, so jit_print boxes the values (arrays as views
 * of their memory, alive while the call runs), formats the text (rterror.c's
 * jit_quoted) and writes it to sys.stdout as Python's print does, flushing
 * for flush=True.  An exception of the write cannot stop compiled code: it
 * is reported as unraisable.
 */
#include "jit.h"

/* The values of codes 'c' ('n' bytes) in the slots at 's', as a new tuple. */
static PyObject *values(const uint8_t *c, uint32_t n, const uint64_t *s)
{
  PyObject *list = PyList_New(0), *r = NULL;
  uint32_t i = 0, si = 0;
  while (list && i < n) {
    uint32_t l = jit_code_len(c + i, n - i);
    if (!l) { PyErr_SetString(PyExc_SystemError, "ember: malformed print record"); goto fail; }
    PyObject *v = c[i] == TC_ARRAY ? jit_array_peek(c + i, s + si) : jit_box(c + i, l, s + si, NULL, 0);
    si += jit_code_slots(c + i, l);
    i += l;
    if (!v || PyList_Append(list, v)) { Py_XDECREF(v); goto fail; }
    Py_DECREF(v);
  }
  r = list ? PyList_AsTuple(list) : NULL;
fail:
  Py_XDECREF(list);
  return r;
}

void jit_print(const char *what, const int64_t *vals)
{
  const char *colon = strchr(what, ':');
  if (!colon || !colon[1] || colon[2] != '\'') return;
  PyObject *v = values((const uint8_t *)what, (uint32_t)(colon - what), (const uint64_t *)vals);
  PyObject *s = v ? jit_quoted(colon + 3, v) : NULL;
  PyObject *out = s ? PySys_GetObject("stdout") : NULL;   /* borrowed */
  if (s && out && out != Py_None && PyFile_WriteObject(s, out, Py_PRINT_RAW) == 0 && colon[1] == '1') {
    PyObject *r = PyObject_CallMethod(out, "flush", NULL);
    Py_XDECREF(r);
  }
  if (PyErr_Occurred()) PyErr_WriteUnraisable(NULL);
  Py_XDECREF(s);
  Py_XDECREF(v);
}
