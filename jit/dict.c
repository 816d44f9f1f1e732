/* jit/dict.c: dicts at the boundary with Python.
 *
 * Type code 'M' followed by the code of the key type and the code of the
 * value type ('Mif' a dict of int keys and float values).  A dict result is
 * one slot, the address of its EmDict (targets/targets.h) in the call's
 * runtime context; boxing makes a new Python dict of its live entries in
 * order, keys and values as Python numbers (NumPy scalars for NumPy types),
 * before the context is freed.  A dict argument (jit_dict_typeof) is copied
 * into one block holding an EmDict and its tables (built with
 * targets/native/dict_core.h, as compiled code's dicts) that the call's
 * runtime context frees, typed by the join of its keys' types (bool < int < float) and of
 * its values' (... < complex); compiled code's changes are not copied back.
 * An empty dict, other keys or values, or a NaN key are a TypingError naming
 * the argument; an int beyond 64 bits sends the call to the interpreter.
 */
#include "jit.h"

#include <string.h>

#include "../targets/native/dict_core.h"

uint32_t jit_dict_code_len(const uint8_t *c, uint32_t n)
{
  if (n < 3 || c[0] != TC_DICT) return 0;
  uint32_t k = jit_code_len(c + 1, n - 1);
  if (!k) return 0;
  uint32_t v = jit_code_len(c + 1 + k, n - 1 - k);
  return v ? 1 + k + v : 0;
}

/* Bytes of a number of code 'c' in entry memory, or 0: as a list item (jit/list.c). */
static uint32_t value_size(const uint8_t *c)
{
  return c[0] == TC_TUP || c[0] == TC_ARRAY || c[0] == TC_LIST ? 0 : jit_list_item_size(c, 0);   /* n: only for those */
}

static PyObject *box_key(const uint8_t *c, uint32_t n, int64_t bits)
{
  uint64_t slots[2] = {0, 0};
  if (c[0] == TC_NPSCALAR && c[1] == 'f') {   /* float32 keys are kept as doubles */
    double d;
    memcpy(&d, &bits, 8);
    float f = (float)d;
    memcpy(slots, &f, 4);
  } else if (c[0] == TC_NPSCALAR) {
    memcpy(slots, &bits, value_size(c));   /* the low bytes of the extended int */
  } else {
    slots[0] = (uint64_t)bits;
  }
  return jit_box(c, n, slots, NULL, 0);
}

static PyObject *box_value(const uint8_t *c, uint32_t n, const char *p, uint32_t size)
{
  uint64_t slots[2] = {0, 0};
  if (c[0] == TC_NPSCALAR && c[1] == 'F') {   /* complex64: one float per slot */
    memcpy(&slots[0], p, 4);
    memcpy(&slots[1], p + 4, 4);
  } else {
    memcpy(slots, p, size);
  }
  return jit_box(c, n, slots, NULL, 0);
}

PyObject *jit_dict_box(const uint8_t *c, uint32_t n, const uint64_t *s, uint32_t *si)
{
  const EmDict *d = (const EmDict *)(uintptr_t)s[(*si)++];
  uint32_t kl = jit_code_len(c + 1, n - 1), vl = n - 1 - kl;
  const uint8_t *vc = c + 1 + kl;
  uint32_t size = value_size(vc);
  if (!d || !size || (uint32_t)d->vsize != size) { PyErr_SetString(PyExc_SystemError, "ember: bad dict result"); return NULL; }
  PyObject *r = PyDict_New();
  for (int64_t e = 0; r && e < d->n; e++) {
    if (d->hash[e] == -1) continue;
    PyObject *k = box_key(c + 1, kl, d->keys[e]);
    PyObject *v = k ? box_value(vc, vl, d->vals + e * size, size) : NULL;
    if (!v || PyDict_SetItem(r, k, v)) Py_CLEAR(r);
    Py_XDECREF(k);
    Py_XDECREF(v);
  }
  return r;
}

/* -- Dict arguments ------------------------------------------------------------ */

/* bool 0, int 1, float 2, complex 3, else -1. */
static int rank_of(PyObject *x)
{
  PyTypeObject *t = Py_TYPE(x);
  return t == &PyBool_Type ? 0 : t == &PyLong_Type ? 1 : t == &PyFloat_Type ? 2 : t == &PyComplex_Type ? 3 : -1;
}

/* The 8 bytes of Python number 'x' as a value of rank 'r' at 'out'; -2 an int beyond 64 bits. */
static int store_number(PyObject *x, int r, char *out)
{
  if (r == 0) { *out = x == Py_True; return 0; }
  if (r == 1) {
    int ovf;
    int64_t v = PyLong_AsLongLongAndOverflow(x, &ovf);
    if (ovf) return -2;
    memcpy(out, &v, 8);
    return 0;
  }
  if (r == 2) {
    double v = PyFloat_Check(x) ? PyFloat_AS_DOUBLE(x) : PyLong_AsDouble(x);
    if (v == -1.0 && PyErr_Occurred()) { PyErr_Clear(); return -2; }
    memcpy(out, &v, 8);
    return 0;
  }
  Py_complex c = PyComplex_AsCComplex(x);
  if (c.real == -1.0 && PyErr_Occurred()) { PyErr_Clear(); return -2; }
  memcpy(out, &c.real, 8);
  memcpy(out + 8, &c.imag, 8);
  return 0;
}

/* Append the code and the slot of dict 'o' (a copy in the call's runtime
 * context, p->bufs); 0, -1 refused (jit_array_why says why), -2 an int
 * beyond 64 bits, -3 too long. */
int jit_dict_typeof(PyObject *o, ArgPack *p)
{
  jit_array_set_why("");
  if (p->keylen + 4 > EM_KEYMAX || p->nslots + 1 > EM_SLOTMAX) return -3;
  if (PyDict_GET_SIZE(o) == 0) { jit_array_set_why("an empty dict (its key and value types are unknown)"); return -1; }
  int kr = -1, vr = -1;
  Py_ssize_t pos = 0;
  PyObject *k, *v;
  while (PyDict_Next(o, &pos, &k, &v)) {
    int a = rank_of(k), b = rank_of(v);
    if (a < 0 || a > 2 || b < 0) {
      jit_array_set_why("a dict with keys other than int, float or bool, or values other than numbers");
      return -1;
    }
    if (a > kr) kr = a;
    if (b > vr) vr = b;
  }
  static const uint8_t codes[4] = {TC_BOOL, TC_INT, TC_F64, TC_C128};
  static const uint8_t sizes[4] = {1, 8, 8, 16};
  static const int kinds[3] = {EM_DK_BOOL, EM_DK_INT, EM_DK_FLOAT};
  int64_t n = PyDict_GET_SIZE(o), cap = n < 5 ? 5 : n;
  size_t size = ((size_t)dict_bytes(cap, sizes[vr]) + 3 * EM_BUF_HEADER + 63) & ~(size_t)63;
  EmBuf *b = aligned_alloc(64, size);
  if (!b) return -3;
  b->pad[0] = (int64_t)size;   /* targets/native/rt_array.c reads the block size here */
  b->nbytes = (int64_t)(size - EM_BUF_HEADER);
  b->next = p->bufs;
  p->bufs = b;                 /* freed with the call, or by the caller when typing fails */
  _Static_assert(sizeof(EmDict) <= 2 * EM_BUF_HEADER, "an EmDict fits before its tables");
  EmDict *d = (EmDict *)((char *)b + EM_BUF_HEADER);
  memset(d, 0, sizeof *d);
  d->kkind = kinds[kr];
  d->vsize = sizes[vr];
  dict_layout(d, (char *)b + 3 * EM_BUF_HEADER, cap);
  memset(d->index, 0xff, (size_t)(d->mask + 1) * 8);
  int r = 0;
  pos = 0;
  while (!r && PyDict_Next(o, &pos, &k, &v)) {
    int64_t bits = 0;
    r = store_number(k, kr, (char *)&bits);
    if (r) break;
    int64_t e = dict_put(d, bits);
    if (e < 0) { jit_array_set_why("a dict with a NaN key (not supported)"); r = -1; break; }
    r = store_number(v, vr, d->vals + e * sizes[vr]);
  }
  if (r) return r;
  p->key[p->keylen++] = TC_DICT;
  p->key[p->keylen++] = codes[kr];
  p->key[p->keylen++] = codes[vr];
  p->slots[p->nslots++] = (uint64_t)(uintptr_t)d;
  return 0;
}
