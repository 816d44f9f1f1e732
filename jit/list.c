/* jit/list.c: lists at the boundary with Python.
 *
 * Type code 'L' followed by the code of the item type ('Lf' a list of
 * float, 'LN' dtype-char a list of NumPy scalars, 'L(if)' of tuples, 'LA...'
 * of arrays, 'LLi' of lists of int).  Number items are laid out as in an
 * array; tuple, array and list items as their 64-bit slots (the native ABI).  A list result is one
 * slot, the address of its EmList (targets/targets.h) in the call's
 * runtime context; boxing copies its items into a new Python list of
 * Python numbers (or NumPy scalars for NumPy item types), before the
 * context is freed; an EmList met twice in one result is one Python list
 * (jit_box_seen).  A list argument from Python (jit_list_typeof) is
 * copied into one block (EmList and items, typed by the join of its items'
 * types: bool < int < float < complex) that the call's runtime context frees
 * with the rest; compiled code's changes to it are not copied back.  A list
 * of tuples, arrays or lists is typed by its first item (the first that is
 * not an empty list), and every item must have that item's code (ragged or
 * mixed items are refused; an empty list among lists takes it); its arrays are
 * borrowed (the list argument keeps them alive), its lists copied the same
 * way.  An empty list, or one holding anything else, is a TypingError naming
 * the argument; an int beyond 64 bits sends the call to the interpreter.
 */
#include "jit.h"

#include <string.h>

uint32_t jit_list_code_len(const uint8_t *c, uint32_t n)
{
  if (n < 2 || c[0] != TC_LIST) return 0;
  uint32_t l = jit_code_len(c + 1, n - 1);
  return l ? 1 + l : 0;
}

/* Bytes of one item of code 'c' in list memory, or 0. */
uint32_t jit_list_item_size(const uint8_t *c, uint32_t n)
{
  switch (c[0]) {
  case TC_TUP: case TC_ARRAY: case TC_LIST: return 8 * jit_code_slots(c, n);
  case TC_BOOL: return 1;
  case TC_INT: case TC_F64: return 8;
  case TC_C128: return 16;
  case TC_NPSCALAR: {
    static const char ch[] = "?bhiqBHIQfdFD";
    static const uint8_t sz[] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16};
    const char *p = c[1] ? strchr(ch, c[1]) : NULL;
    return p ? sz[p - ch] : 0;
  }
  default: return 0;
  }
}

/* The slots of the item at 'p' of code 'c' ('size' bytes) into 'slots'. */
static void item_slots(const uint8_t *c, const char *p, uint32_t size, uint64_t *slots)
{
  slots[0] = slots[1] = 0;   /* a number's unused bytes */
  if (c[0] == TC_NPSCALAR && c[1] == 'F') {   /* complex64: one float per slot */
    memcpy(&slots[0], p, 4);
    memcpy(&slots[1], p + 4, 4);
  } else if (c[0] == TC_TUP || c[0] == TC_ARRAY || c[0] == TC_LIST || size == 16) {
    memcpy(slots, p, size);
  } else {
    memcpy(slots, p, size);
  }
}

PyObject *jit_list_box(const uint8_t *c, uint32_t n, const uint64_t *s, uint32_t *si)
{
  const EmList *l = (const EmList *)(uintptr_t)s[(*si)++];
  PyObject *r = jit_box_seen(l);   /* a list held twice is one Python list, as in CPython */
  if (r) return r;
  uint32_t il = n - 1, size = jit_list_item_size(c + 1, il);
  if (!l || !size || size > 8 * EM_SLOTMAX) { PyErr_SetString(PyExc_SystemError, "ember: bad list result"); return NULL; }
  r = PyList_New((Py_ssize_t)l->len);
  for (int64_t i = 0; r && i < l->len; i++) {
    uint64_t slots[EM_SLOTMAX];
    item_slots(c + 1, l->data + i * size, size, slots);
    PyObject *x = jit_box(c + 1, il, slots, NULL, 0);
    if (!x) { Py_CLEAR(r); break; }
    PyList_SET_ITEM(r, (Py_ssize_t)i, x);
  }
  if (r && jit_box_keep(l, r)) { Py_CLEAR(r); PyErr_NoMemory(); }
  return r;
}

/* -- List arguments ------------------------------------------------------------ */

/* Append the code and the slot of list 'o' (a copy of its items in one
 * block linked into p->bufs, freed with the call's runtime context); 0, -1
 * refused (jit_array_why says why), -2 an int beyond 64 bits (the call
 * falls back to the interpreter), -3 too long. */
/* A new block linked into 'p' for the EmList and 'n' items of 'size' bytes, or NULL. */
static EmList *new_block(ArgPack *p, Py_ssize_t n, size_t isize)
{
  size_t size = ((size_t)n * isize + 2 * EM_BUF_HEADER + 63) & ~(size_t)63;
  EmBuf *b = aligned_alloc(64, size);
  if (!b) return NULL;
  b->pad[0] = (int64_t)size;   /* targets/native/rt_array.c reads the block size here */
  b->nbytes = (int64_t)(size - EM_BUF_HEADER);
  b->next = p->bufs;
  p->bufs = b;
  EmList *l = (EmList *)((char *)b + EM_BUF_HEADER);
  l->len = l->cap = n;
  l->data = (char *)b + 2 * EM_BUF_HEADER;
  return l;
}

/* Type item 'x' of a list into the scratch pack 'q' (its copies of lists go to 'p'). */
static int item_typeof(PyObject *x, ArgPack *q, ArgPack *p)
{
  q->keylen = q->nslots = 0;
  q->bufs = NULL;
  int r = jit_typeof_item(x, q);
  while (q->bufs) {
    EmBuf *b = q->bufs;
    q->bufs = b->next;
    b->next = p->bufs;
    p->bufs = b;
  }
  return r;
}

/* Is 'x' an empty list (an item of a list of lists that takes its type from the others)? */
static bool empty_list(PyObject *x) { return PyList_CheckExact(x) && PyList_GET_SIZE(x) == 0; }

/* A list of tuples, arrays or lists 'o': every item of the code of the first
 * (the first that is not an empty list: [[1, 2], [], [0]] is a list of lists of int). */
static int typeof_slots(PyObject *o, ArgPack *p)
{
  Py_ssize_t n = PyList_GET_SIZE(o), m = 0;
  while (m < n - 1 && empty_list(PyList_GET_ITEM(o, m))) m++;
  ArgPack *q = PyMem_Malloc(sizeof *q);
  if (!q) return -3;
  int r = item_typeof(PyList_GET_ITEM(o, m), q, p);
  uint32_t klen = q->keylen, ns = q->nslots;
  uint8_t key[EM_KEYMAX];
  memcpy(key, q->key, klen);
  bool slots = klen && (key[0] == TC_TUP || key[0] == TC_ARRAY || key[0] == TC_LIST);   /* NumPy scalars: refused */
  if (!r && (!slots || !ns))
    jit_array_set_why("a list holding something other than int, float, bool, complex, tuples, arrays or lists"), r = -1;
  EmList *l = r ? NULL : new_block(p, n, 8 * (size_t)ns);
  if (!r && !l) r = -3;
  for (Py_ssize_t i = 0; !r && i < n; i++) {
    PyObject *x = PyList_GET_ITEM(o, i);
    char *d = l->data + i * 8 * ns;
    if (key[0] == TC_LIST && empty_list(x)) {   /* an empty list of the others' type */
      EmList *e = new_block(p, 0, 8);
      if (e) memcpy(d, &e, sizeof e);
      else r = -3;
      continue;
    }
    if (i != m) r = item_typeof(x, q, p);   /* at m, q still holds item m: the items before it were empty lists */
    if (!r && (q->keylen != klen || memcmp(q->key, key, klen)))
      jit_array_set_why("a list of mixed or ragged items (each item must have the first one's type)"), r = -1;
    if (!r) memcpy(d, q->slots, 8 * (size_t)ns);
  }
  PyMem_Free(q);
  if (r) return r == -1 && !*jit_array_why() ? (jit_array_set_why("a list holding an unsupported item"), -1) : r;
  if (p->keylen + 1 + klen > EM_KEYMAX) return -3;
  p->key[p->keylen++] = TC_LIST;
  memcpy(p->key + p->keylen, key, klen);
  p->keylen += klen;
  p->slots[p->nslots++] = (uint64_t)(uintptr_t)l;
  return 0;
}

int jit_list_typeof(PyObject *o, ArgPack *p)
{
  Py_ssize_t n = PyList_GET_SIZE(o);
  int rank = -1;
  jit_array_set_why("");
  if (p->keylen + 3 > EM_KEYMAX || p->nslots + 1 > EM_SLOTMAX) return -3;
  if (n == 0) { jit_array_set_why("an empty list (its item type is unknown: pass a list with items)"); return -1; }
  PyTypeObject *t0 = Py_TYPE(PyList_GET_ITEM(o, 0));
  if (t0 != &PyBool_Type && t0 != &PyLong_Type && t0 != &PyFloat_Type && t0 != &PyComplex_Type)
    return typeof_slots(o, p);
  for (Py_ssize_t i = 0; i < n; i++) {
    PyTypeObject *t = Py_TYPE(PyList_GET_ITEM(o, i));
    int r = t == &PyBool_Type ? 0 : t == &PyLong_Type ? 1 : t == &PyFloat_Type ? 2 : t == &PyComplex_Type ? 3 : -1;
    if (r < 0) { jit_array_set_why("a list holding something other than int, float, bool or complex"); return -1; }
    if (r > rank) rank = r;
  }
  static const uint8_t codes[4] = {TC_BOOL, TC_INT, TC_F64, TC_C128};
  static const uint8_t sizes[4] = {1, 8, 8, 16};
  EmList *l = new_block(p, n, sizes[rank]);
  if (!l) return -3;
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *x = PyList_GET_ITEM(o, i);
    char *d = l->data + i * sizes[rank];
    if (rank == 0) { *d = x == Py_True; continue; }
    if (rank == 1) {
      int ovf;
      int64_t v = PyLong_AsLongLongAndOverflow(x, &ovf);
      if (ovf) return -2;   /* the block is in p->bufs: freed with them */
      memcpy(d, &v, 8);
      continue;
    }
    if (rank == 2) {
      double v = PyFloat_Check(x) ? PyFloat_AS_DOUBLE(x) : PyLong_AsDouble(x);
      if (v == -1.0 && PyErr_Occurred()) { PyErr_Clear(); return -2; }   /* an int too large for a float */
      memcpy(d, &v, 8);
      continue;
    }
    Py_complex c = PyComplex_AsCComplex(x);
    if (c.real == -1.0 && PyErr_Occurred()) { PyErr_Clear(); return -2; }
    memcpy(d, &c.real, 8);
    memcpy(d + 8, &c.imag, 8);
  }
  p->key[p->keylen++] = TC_LIST;
  p->key[p->keylen++] = codes[rank];
  p->slots[p->nslots++] = (uint64_t)(uintptr_t)l;
  return 0;
}
