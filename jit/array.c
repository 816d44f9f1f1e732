/* jit/array.c: NumPy arrays and scalars at the boundary of compiled code.
 *
 * The only file of Ember that includes NumPy's headers.  NumPy is never
 * imported here: the C API is loaded (import_array) the first time an
 * argument of unknown type shows up while numpy is already in sys.modules.
 *
 * Type codes (jit.h): an array is 'A' dtype ndim layout, 4 bytes: dtype one
 * of "?bhiqBHIQfdFD" (bool, int8..int64, uint8..uint64, float32, float64,
 * complex64, complex128), ndim '0' + n, layout 'C' 'F' 'A' (lower case:
 * read-only).  A NumPy scalar is 'N' dtype (np.float64 'Nd' is typed f64 like
 * a float, but not weak under NEP 50: its parameter gets aux 1); a dtype or
 * scalar type object (np.float32, float) is 'D' dtype, no slots.
 * An array's slots are meminfo (0: borrowed), data, shape[ndim],
 * strides[ndim] (targets/targets.h).
 *
 * A call with arrays: the dispatcher gives the native code an EmRt (through
 * EmErr.rt) that collects what it allocates; jit_box_call then boxes the
 * result: an array with a meminfo becomes a NumPy array owning that buffer
 * (its base a capsule that frees it), a borrowed one (meminfo 0) a view
 * whose base is the argument array it points into; every buffer not
 * returned is freed (jit_rt_free), also when the call fails.  A view of a
 * frozen global array (jit/capture.c) is a read-only view whose base is
 * the frozen copy, never the copy itself.
 *
 * Unsupported arrays (object, string, structured or float16 dtypes,
 * non-native byte order, unaligned data, subclasses of ndarray) are not
 * typed; jit_array_why() says why, for the TypingError.
 */
#include "jit.h"

#define NPY_NO_DEPRECATED_API NPY_1_22_API_VERSION
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

#include <stdio.h>
#include <string.h>

static int np_state;             /* 0 not tried, 1 loaded, -1 failed */
static char why[200];            /* why the last array or scalar was refused */

/* Load NumPy's C API if numpy is imported already; 1 when usable. */
static int np_ready(void)
{
  if (np_state) return np_state > 0;
  PyObject *mods = PyImport_GetModuleDict();
  if (!PyDict_GetItemString(mods, "numpy")) return 0;   /* not imported: try again later */
  if (PyArray_ImportNumPyAPI() < 0) { PyErr_Clear(); np_state = -1; return 0; }
  np_state = 1;
  return 1;
}

const char *jit_array_why(void) { return why; }
void jit_array_set_why(const char *s) { snprintf(why, sizeof why, "%s", s); }

/* -- Codes -------------------------------------------------------------------- */

static const char dchars[] = "?bhiqBHIQfdFDe";
static const IrType dtypes[] = {IRT_BOOL, IRT_I8, IRT_I16, IRT_I32, IRT_I64, IRT_U8, IRT_U16, IRT_U32,
                                IRT_U64, IRT_F32, IRT_F64, IRT_C64, IRT_C128, IRT_F16};

static IrType dchar_type(uint8_t c)
{
  const char *p = c ? strchr(dchars, c) : NULL;
  return p ? dtypes[p - dchars] : IRT_VOID;
}

static int type_dchar(IrType t)
{
  for (size_t i = 0; i < sizeof dtypes / sizeof *dtypes; i++)
    if (dtypes[i] == t) return dchars[i];
  return 0;
}

static const char *dchar_name(uint8_t c)
{
  static const char *const names[] = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                                      "uint64", "float32", "float64", "complex64", "complex128", "float16"};
  const char *p = c ? strchr(dchars, c) : NULL;
  return p ? names[p - dchars] : "?";
}

/* The code character of NumPy type number 'num' of 'size' bytes, or 0. */
static int typenum_dchar(int num, int size)
{
  switch (num) {
  case NPY_BOOL: return '?';
  case NPY_BYTE: case NPY_SHORT: case NPY_INT: case NPY_LONG: case NPY_LONGLONG:
    return size == 1 ? 'b' : size == 2 ? 'h' : size == 4 ? 'i' : size == 8 ? 'q' : 0;
  case NPY_UBYTE: case NPY_USHORT: case NPY_UINT: case NPY_ULONG: case NPY_ULONGLONG:
    return size == 1 ? 'B' : size == 2 ? 'H' : size == 4 ? 'I' : size == 8 ? 'Q' : 0;
  case NPY_HALF: return 'e';
  case NPY_FLOAT: return 'f';
  case NPY_DOUBLE: return 'd';
  case NPY_CFLOAT: return 'F';
  case NPY_CDOUBLE: return 'D';
  default: return 0;
  }
}

static int dchar_typenum(uint8_t c)
{
  switch (c) {
  case '?': return NPY_BOOL;
  case 'b': return NPY_INT8;
  case 'h': return NPY_INT16;
  case 'i': return NPY_INT32;
  case 'q': return NPY_INT64;
  case 'B': return NPY_UINT8;
  case 'H': return NPY_UINT16;
  case 'I': return NPY_UINT32;
  case 'Q': return NPY_UINT64;
  case 'f': return NPY_FLOAT32;
  case 'd': return NPY_FLOAT64;
  case 'F': return NPY_COMPLEX64;
  case 'e': return NPY_HALF;
  default: return NPY_COMPLEX128;
  }
}

uint32_t jit_array_code_len(const uint8_t *c, uint32_t n)
{
  if (c[0] == TC_ARRAY) return n >= 4 ? 4 : 0;
  if (c[0] == TC_NPSCALAR || c[0] == TC_DTYPE) return n >= 2 ? 2 : 0;
  return 0;
}

uint32_t jit_array_code_slots(const uint8_t *c)
{
  if (c[0] == TC_ARRAY) return 2 + 2 * (uint32_t)(c[2] - '0');
  if (c[0] == TC_NPSCALAR) return c[1] == 'F' || c[1] == 'D' ? 2 : 1;
  return 0;
}

void jit_array_code_name(const uint8_t *c, char *buf, size_t size)
{
  size_t l = strlen(buf);
  if (l + 1 >= size) return;
  if (c[0] == TC_ARRAY)
    snprintf(buf + l, size - l, "array(%s, %dd, %c%s)", dchar_name(c[1]), c[2] - '0', c[3] >= 'a' ? c[3] - 32 : c[3],
             c[3] >= 'a' ? ", readonly" : "");
  else if (c[0] == TC_NPSCALAR) snprintf(buf + l, size - l, "%s", dchar_name(c[1]));
  else snprintf(buf + l, size - l, "type[%s]", dchar_name(c[1]));
}

IrType jit_array_code_irtype(IrCtx *ctx, const uint8_t *c)
{
  IrType dt = dchar_type(c[1]);
  if (!dt) return IRT_VOID;
  if (c[0] == TC_NPSCALAR) return dt;
  if (c[0] == TC_DTYPE) return ir_type_dtype(ctx, dt);
  int nd = c[2] - '0';
  char lay = c[3] >= 'a' ? (char)(c[3] - 32) : (char)c[3];
  if (nd < 0 || nd > IR_MAXDIM || !strchr("CFA", lay)) return IRT_VOID;
  return ir_type_array(ctx, dt, nd, lay, c[3] >= 'a');
}

int jit_array_irtype_code(IrCtx *ctx, IrType t, uint8_t *out, uint32_t *len)
{
  const IrTypeInfo *ti = ir_type_info(ctx, t);
  int dc;
  switch (ti->kind) {
  case IRK_ARRAY:
    if (*len + 4 > EM_KEYMAX || !(dc = type_dchar(ti->elem[0]))) return -1;
    out[(*len)++] = TC_ARRAY;
    out[(*len)++] = (uint8_t)dc;
    out[(*len)++] = (uint8_t)('0' + ti->ndim);
    out[(*len)++] = (uint8_t)(ti->readonly ? ti->layout + 32 : ti->layout);
    return 0;
  case IRK_DTYPE:
    if (*len + 2 > EM_KEYMAX || !(dc = type_dchar(ti->elem[0]))) return -1;
    out[(*len)++] = TC_DTYPE;
    out[(*len)++] = (uint8_t)dc;
    return 0;
  case IRK_INT: case IRK_UINT: case IRK_FLOAT: case IRK_COMPLEX:
    if (*len + 2 > EM_KEYMAX || !(dc = type_dchar(t))) return -1;
    out[(*len)++] = TC_NPSCALAR;
    out[(*len)++] = (uint8_t)dc;
    return 0;
  default: return -1;
  }
}

/* -- Typing and unboxing ------------------------------------------------------ */

static int refuse(const char *fmt, const char *what)
{
  snprintf(why, sizeof why, fmt, what);
  return -1;
}

/* Append the code and slots of array 'a'; 0, or -1 refused, -3 too long. */
static int typeof_array(PyArrayObject *a, ArgPack *p)
{
  PyArray_Descr *d = PyArray_DESCR(a);
  int nd = PyArray_NDIM(a);
  int dc = PyDataType_ISBYTESWAPPED(d) ? 0 : typenum_dchar(d->type_num, (int)PyDataType_ELSIZE(d));
  if (!dc) {
    PyObject *s = PyObject_Str((PyObject *)d);
    const char *u = s ? PyUnicode_AsUTF8(s) : NULL;
    snprintf(why, sizeof why, "an array of dtype %s%s", u ? u : "?",
             PyDataType_ISBYTESWAPPED(d) ? " (non-native byte order)" : "");
    Py_XDECREF(s);
    PyErr_Clear();
    return -1;
  }
  if (!PyArray_ISALIGNED(a)) return refuse("an unaligned array of dtype %s", dchar_name((uint8_t)dc));
  if (nd > IR_MAXDIM) return refuse("an array of %s dimensions", "too many");
  if (p->keylen + 4 > EM_KEYMAX || p->nslots + 2 + 2 * (uint32_t)nd > EM_SLOTMAX) return -3;
  char lay = PyArray_IS_C_CONTIGUOUS(a) ? 'C' : PyArray_IS_F_CONTIGUOUS(a) ? 'F' : 'A';
  if (nd == 0 || (nd == 1 && lay == 'F')) lay = 'C';
  p->key[p->keylen++] = TC_ARRAY;
  p->key[p->keylen++] = (uint8_t)dc;
  p->key[p->keylen++] = (uint8_t)('0' + nd);
  p->key[p->keylen++] = (uint8_t)(PyArray_ISWRITEABLE(a) ? lay : lay + 32);
  p->slots[p->nslots++] = 0;
  p->slots[p->nslots++] = (uint64_t)(uintptr_t)PyArray_DATA(a);
  for (int k = 0; k < nd; k++) p->slots[p->nslots++] = (uint64_t)PyArray_DIMS(a)[k];
  for (int k = 0; k < nd; k++) p->slots[p->nslots++] = (uint64_t)PyArray_STRIDES(a)[k];
  return 0;
}

/* A NumPy scalar: its value in the slots (np.float64 as a float). */
static int typeof_scalar(PyObject *o, ArgPack *p)
{
  PyArray_Descr *d = PyArray_DescrFromScalar(o);
  if (!d) { PyErr_Clear(); return refuse("a NumPy scalar of type %s", Py_TYPE(o)->tp_name); }
  int dc = typenum_dchar(d->type_num, (int)PyDataType_ELSIZE(d));
  Py_DECREF(d);
  if (!dc || dc == 'e') return refuse("a NumPy scalar of type %s", Py_TYPE(o)->tp_name);
  if (p->keylen + 2 > EM_KEYMAX || p->nslots + 2 > EM_SLOTMAX) return -3;
  uint64_t s[2] = {0, 0};
  PyArray_ScalarAsCtype(o, s);   /* the value in its C type, in the low bytes */
  p->key[p->keylen++] = TC_NPSCALAR;   /* 'Nd': np.float64, strong; 'N?': np.bool_, NumPy's operators */
  p->key[p->keylen++] = (uint8_t)dc;
  if (dc == 'F') {   /* complex64: two floats into two slots, as the leaves are */
    float f[2];
    memcpy(f, s, sizeof f);
    s[0] = s[1] = 0;
    memcpy(&s[0], &f[0], 4);
    memcpy(&s[1], &f[1], 4);
  }
  if (dc == '?') s[0] &= 1;
  p->slots[p->nslots++] = s[0];
  if (dc == 'F' || dc == 'D') p->slots[p->nslots++] = s[1];
  return 0;
}

/* A type object that names a dtype (np.float32): the code 'D' x. */
static int typeof_typeobj(PyObject *o, ArgPack *p)
{
  PyArray_Descr *d = NULL;
  if (!PyArray_DescrConverter2(o, &d) || !d) { PyErr_Clear(); return refuse("the type object %s", "given"); }
  int dc = typenum_dchar(d->type_num, (int)PyDataType_ELSIZE(d));
  Py_DECREF(d);
  if (!dc) return refuse("a dtype Ember does not support (%s)", "not a number type");
  if (p->keylen + 2 > EM_KEYMAX) return -3;
  p->key[p->keylen++] = TC_DTYPE;
  p->key[p->keylen++] = (uint8_t)dc;
  return 0;
}

int jit_array_typeof(PyObject *o, ArgPack *p)
{
  why[0] = 0;
  PyTypeObject *t = Py_TYPE(o);
  if (t == &PyFloat_Type || t == &PyLong_Type || t == &PyComplex_Type || t == &PyBool_Type) return 1;
  if (!np_ready()) return 1;
  if (t == &PyArray_Type) return typeof_array((PyArrayObject *)o, p);
  if (PyArray_Check(o)) return refuse("an instance of %s (an ndarray subclass)", t->tp_name);
  if (PyArray_IsScalar(o, Generic)) return typeof_scalar(o, p);
  if (PyArray_DescrCheck(o) || (PyType_Check(o) && PyType_IsSubtype((PyTypeObject *)o, &PyGenericArrType_Type)))
    return typeof_typeobj(o, p);
  if (o == (PyObject *)&PyFloat_Type || o == (PyObject *)&PyLong_Type || o == (PyObject *)&PyBool_Type ||
      o == (PyObject *)&PyComplex_Type)
    return typeof_typeobj(o, p);
  return 1;
}

/* -- Boxing -------------------------------------------------------------------- */

/* What boxing an array needs: the call's runtime context and its arguments. */
typedef struct {
  EmRt *rt;
  PyObject *const *args;
  uint32_t nargs;
  struct Owned { const void *key; PyObject *obj; } *owned;   /* per buffer handed to NumPy, its capsule; */
  uint32_t nowned, capowned;                                 /* per list (list.c), its Python list */
} BoxCtx;

static BoxCtx *boxing;           /* set while jit_box_call runs (the GIL serializes it) */

static void buf_free(PyObject *cap)
{
  jit_buf_release(PyCapsule_GetPointer(cap, "ember.buffer"));
}

/* The object this result boxed for 'key' (a new reference), or NULL. */
static PyObject *seen(BoxCtx *bc, const void *key)
{
  for (uint32_t i = 0; i < bc->nowned; i++)
    if (bc->owned[i].key == key) { Py_INCREF(bc->owned[i].obj); return bc->owned[i].obj; }
  return NULL;
}

/* Keep 'o' as the object of 'key' in this result (a reference the table drops in jit_box_call); -1 out of memory. */
static int keep(BoxCtx *bc, const void *key, PyObject *o)
{
  if (bc->nowned == bc->capowned) {   /* a list of arrays may hold many */
    uint32_t c = bc->capowned ? 2 * bc->capowned : 16;
    struct Owned *t = PyMem_Realloc(bc->owned, c * sizeof *t);
    if (!t) return -1;
    bc->owned = t, bc->capowned = c;
  }
  bc->owned[bc->nowned].key = key;
  bc->owned[bc->nowned++].obj = o;
  Py_INCREF(o);
  return 0;
}

PyObject *jit_box_seen(const void *key) { return boxing ? seen(boxing, key) : NULL; }
int jit_box_keep(const void *key, PyObject *o) { return boxing ? keep(boxing, key, o) : 0; }

/* The capsule that owns 'm' (taken out of the call's list), new reference. */
static PyObject *own(BoxCtx *bc, EmBuf *m)
{
  PyObject *cap = seen(bc, m);
  if (cap) return cap;
  EmBuf **pp = &bc->rt->bufs;
  while (*pp && *pp != m) pp = &(*pp)->next;
  if (!*pp) { PyErr_SetString(PyExc_SystemError, "ember: a returned array's buffer is not the call's"); return NULL; }
  cap = PyCapsule_New(m, "ember.buffer", buf_free);
  if (!cap) return NULL;
  *pp = m->next;
  if (keep(bc, m, cap)) { Py_DECREF(cap); return PyErr_NoMemory(); }   /* the capsule frees m */
  return cap;
}

/* Does array 'a' own the byte range [lo, hi)? */
static bool covers(PyArrayObject *a, char *lo, char *hi)
{
  char *b = PyArray_BYTES(a), *e = b;
  char *first = b, *last = b;
  for (int k = 0; k < PyArray_NDIM(a); k++) {
    npy_intp n = PyArray_DIMS(a)[k], s = PyArray_STRIDES(a)[k];
    if (n == 0) return false;
    if (s < 0) first += s * (n - 1); else last += s * (n - 1);
  }
  e = last + PyArray_ITEMSIZE(a);
  return lo >= first && hi <= e;
}

/* The argument array (searching tuples too) whose memory holds [lo, hi), borrowed. */
static PyObject *find_base(PyObject *const *args, uint32_t n, char *lo, char *hi, int depth)
{
  for (uint32_t i = 0; i < n; i++) {
    PyObject *o = args[i];
    if (Py_TYPE(o) == &PyArray_Type && covers((PyArrayObject *)o, lo, hi)) return o;
    if ((PyTuple_Check(o) || PyList_Check(o)) && depth < 8) {   /* an item of a list argument too */
      PyObject *r = find_base(PySequence_Fast_ITEMS(o), (uint32_t)PySequence_Fast_GET_SIZE(o), lo, hi, depth + 1);
      if (r) return r;
    }
  }
  return NULL;
}

/* Is 'a' exactly the array described (so returning it returns the argument itself)? */
static bool same_array(PyArrayObject *a, char *data, int nd, const npy_intp *dims, const npy_intp *strides,
                       PyArray_Descr *d)
{
  if (PyArray_BYTES(a) != data || PyArray_NDIM(a) != nd || !PyArray_EquivTypes(PyArray_DESCR(a), d)) return false;
  for (int k = 0; k < nd; k++)
    if (PyArray_DIMS(a)[k] != dims[k] || (dims[k] > 1 && PyArray_STRIDES(a)[k] != strides[k])) return false;
  return true;
}

/* Box array code 'c' from slots 's' ('*si' advanced). */
static PyObject *box_array(const uint8_t *c, const uint64_t *s, uint32_t *si)
{
  BoxCtx *bc = boxing;
  int nd = c[2] - '0';
  bool ro = c[3] >= 'a';
  EmBuf *m = (EmBuf *)(uintptr_t)s[*si];
  char *data = (char *)(uintptr_t)s[*si + 1];
  npy_intp dims[IR_MAXDIM], strides[IR_MAXDIM];
  char *lo = data, *hi = data;
  bool empty = false;
  for (int k = 0; k < nd; k++) {
    dims[k] = (npy_intp)s[*si + 2 + k];
    strides[k] = (npy_intp)s[*si + 2 + nd + k];
    if (dims[k] == 0) empty = true;
    else if (strides[k] < 0) lo += strides[k] * (dims[k] - 1);
    else hi += strides[k] * (dims[k] - 1);
  }
  *si += 2 + 2 * (uint32_t)nd;
  PyArray_Descr *d = PyArray_DescrFromType(dchar_typenum(c[1]));
  if (!d) return NULL;
  hi += PyDataType_ELSIZE(d);
  PyObject *base = NULL;
  PyObject *fz = jit_frozen_arrays();
  bool frozen = false;
  if (m) base = own(bc, m);
  else if (!empty && bc) {
    base = find_base(bc->args, bc->nargs, lo, hi, 0);
    if (!base && fz) {   /* a view of a frozen global array */
      base = find_base(PySequence_Fast_ITEMS(fz), (uint32_t)PyList_GET_SIZE(fz), lo, hi, 0);
      frozen = base != NULL;
    }
    Py_XINCREF(base);
  }
  if (!base && (m || !empty)) {
    Py_DECREF(d);
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "ember: a returned view has no array to keep alive");
    return NULL;
  }
  if (!base) return PyArray_Zeros(nd, dims, d, 0);   /* an empty view: a fresh empty array */
  if (!m && !frozen && same_array((PyArrayObject *)base, data, nd, dims, strides, d)) {   /* `return a`: a itself */
    Py_DECREF(d);
    return base;
  }
  PyObject *a = PyArray_NewFromDescr(&PyArray_Type, d, nd, dims, strides, data, ro ? 0 : NPY_ARRAY_WRITEABLE, NULL);
  if (!a) { Py_DECREF(base); return NULL; }
  if (PyArray_SetBaseObject((PyArrayObject *)a, base)) { Py_DECREF(a); return NULL; }
  return a;
}

PyObject *jit_array_peek(const uint8_t *c, const uint64_t *s)
{
  if (!np_ready()) { PyErr_SetString(PyExc_SystemError, "ember: NumPy is not loaded"); return NULL; }
  int nd = c[2] - '0';
  npy_intp dims[IR_MAXDIM], strides[IR_MAXDIM];
  for (int k = 0; k < nd; k++) {
    dims[k] = (npy_intp)s[2 + k];
    strides[k] = (npy_intp)s[2 + nd + k];
  }
  PyArray_Descr *d = PyArray_DescrFromType(dchar_typenum(c[1]));
  if (!d) return NULL;
  return PyArray_NewFromDescr(&PyArray_Type, d, nd, dims, strides, (void *)(uintptr_t)s[1], 0, NULL);
}

/* Box NumPy scalar code 'c' from slots 's'. */
static PyObject *box_scalar(const uint8_t *c, const uint64_t *s, uint32_t *si)
{
  PyArray_Descr *d = PyArray_DescrFromType(dchar_typenum(c[1]));
  if (!d) return NULL;
  uint64_t v[2] = {s[*si], 0};
  if (c[1] == 'F') {
    float f[2];
    memcpy(&f[0], &s[*si], 4);
    memcpy(&f[1], &s[*si + 1], 4);
    memcpy(v, f, sizeof f);
    (*si)++;
  }
  (*si)++;
  PyObject *r = PyArray_Scalar(v, d, NULL);
  Py_DECREF(d);
  return r;
}

PyObject *jit_array_box(const uint8_t *c, const uint64_t *s, uint32_t *si)
{
  if (!np_ready()) { PyErr_SetString(PyExc_SystemError, "ember: NumPy is not loaded"); return NULL; }
  if (c[0] == TC_ARRAY) return box_array(c, s, si);
  if (c[0] == TC_NPSCALAR) return box_scalar(c, s, si);
  PyArray_Descr *d = PyArray_DescrFromType(dchar_typenum(c[1]));   /* TC_DTYPE: the scalar type */
  if (!d) return NULL;
  PyObject *t = (PyObject *)d->typeobj;
  Py_INCREF(t);
  Py_DECREF(d);
  return t;
}

void jit_rt_free(EmRt *rt)
{
  for (EmBuf *b = rt->bufs, *n; b; b = n) { n = b->next; jit_buf_release(b); }
  rt->bufs = NULL;
}

PyObject *jit_box_call(const uint8_t *code, uint32_t len, const uint64_t *slots, const uint8_t *want,
                       uint32_t wantlen, EmRt *rt, PyObject *const *args, uint32_t nargs)
{
  if (!rt->bufs && !memchr(code, TC_ARRAY, len)) return jit_box(code, len, slots, want, wantlen);
  BoxCtx bc = {rt, args, nargs, NULL, 0, 0}, *saved = boxing;
  boxing = &bc;
  PyObject *r = jit_box(code, len, slots, want, wantlen);
  boxing = saved;
  for (uint32_t i = 0; i < bc.nowned; i++) Py_DECREF(bc.owned[i].obj);
  PyMem_Free(bc.owned);
  jit_rt_free(rt);
  return r;
}

/* -- NumPy's sort for compiled code ------------------------------------------------
 * np.sort, a.sort(), np.argsort, np.partition and np.argpartition
 * (jit/ember/_lib_shape.py) hand NumPy the rows of a C-contiguous block: the
 * intrinsic <prim>.np_sort calls ember_rt_np_sort (targets/native/runtime.c),
 * whose hook jit_np_sort is.  Compiled code runs holding the GIL, so the
 * memory becomes an ndarray that does not own it, sorted by PyArray_Sort or
 * PyArray_ArgSort (partitioned by PyArray_Partition or PyArray_ArgPartition):
 * NumPy's own algorithms (its SIMD sorts among them), so its speed and its
 * order of ties and NaNs. */

static int64_t np_sort_held(int64_t addr, int64_t rows, int64_t n, int64_t type, int64_t kind, int64_t out,
                            int64_t kth, int64_t nkth)
{
  int dc = type_dchar((IrType)type);
  if (!dc || !np_ready() || kind < 0 || kind > 2 || nkth < 0 || nkth > n) return -1;
  npy_intp dims[2] = {(npy_intp)rows, (npy_intp)n}, nk = (npy_intp)nkth;
  PyObject *a = PyArray_New(&PyArray_Type, 2, dims, dchar_typenum((uint8_t)dc), NULL, (void *)(intptr_t)addr, 0,
                            NPY_ARRAY_CARRAY, NULL);
  PyObject *k = a && nkth ? PyArray_New(&PyArray_Type, 1, &nk, NPY_INT64, NULL, (void *)(intptr_t)kth, 0,
                                        NPY_ARRAY_CARRAY, NULL) : NULL;
  int rc = -1;
  if (!a || (nkth && !k)) rc = -1;
  else if (!out) rc = nkth ? PyArray_Partition((PyArrayObject *)a, (PyArrayObject *)k, 1, NPY_INTROSELECT)
                           : PyArray_Sort((PyArrayObject *)a, 1, (NPY_SORTKIND)kind);
  else {
    PyObject *ix = nkth ? PyArray_ArgPartition((PyArrayObject *)a, (PyArrayObject *)k, 1, NPY_INTROSELECT)
                        : PyArray_ArgSort((PyArrayObject *)a, 1, (NPY_SORTKIND)kind);
    if (ix && PyArray_IS_C_CONTIGUOUS((PyArrayObject *)ix) && PyArray_ITEMSIZE((PyArrayObject *)ix) == 8) {
      memcpy((void *)(intptr_t)out, PyArray_DATA((PyArrayObject *)ix), (size_t)(rows * n) * 8);
      rc = 0;
    }
    Py_XDECREF(ix);
  }
  Py_XDECREF(k);
  Py_XDECREF(a);
  if (rc) PyErr_Clear();   /* the library raises MemoryError for -1 */
  return rc ? -1 : 0;
}

int64_t jit_np_sort(int64_t addr, int64_t rows, int64_t n, int64_t type, int64_t kind, int64_t out, int64_t kth,
                    int64_t nkth)
{
  if (rows <= 0 || n <= 0) return 0;
  PyGILState_STATE gil = PyGILState_Ensure();   /* held by the caller today; cheap then */
  int64_t r = np_sort_held(addr, rows, n, type, kind, out, kth, nkth);
  PyGILState_Release(gil);
  return r;
}

/* -- Errors and the library ------------------------------------------------------ */

void jit_index_error(const EmErr *err)
{
  PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %d with size %lld", (long long)err->index,
               (int)err->axis, (long long)err->size);
}

static PyObject *lib;            /* ember._lib, imported on the first library call */

int jit_array_resolve(void *host, const char *name, int64_t *id)
{
  (void)host;
  if (!lib && !(lib = PyImport_ImportModule("ember._lib"))) {   /* a broken library is Ember's bug: say so */
    PyErr_WriteUnraisable(NULL);
    return -1;
  }
  PyObject *f = PyObject_CallMethod(lib, "resolve", "s", name);
  if (!f) { PyErr_Clear(); return -1; }
  int rc = -1;
  if (Py_TYPE(f) == &Disp_Type) { *id = jit_disp_id((Disp *)f); rc = 0; }
  Py_DECREF(f);
  return rc;
}
