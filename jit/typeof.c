/* jit/typeof.c: argument typing and unboxing, result boxing, type codes.
 *
 * Typing and unboxing are one walk over the arguments: each argument appends
 * its type code to the key and its leaves to the slot array (the native ABI
 * of targets/targets.h: bool 0/1, int as i64, float as its bits, complex as
 * two floats, tuples flattened, None takes no slot).  Only exact builtin
 * types are accepted (bool before int); NumPy arrays, scalars and dtypes go
 * to array.c; anything else makes the argument "bad" and the caller raises
 * TypingError naming it.
 */
#include "jit.h"

#include <string.h>

/* -- Typing and unboxing --------------------------------------------------- */

static inline uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static inline double bitsd(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* Append the code of str 'o', a literal: 'S', its length, its UTF-8 bytes (no slot). */
static int str_typeof(PyObject *o, ArgPack *p)
{
  Py_ssize_t len;
  const char *s = PyUnicode_AsUTF8AndSize(o, &len);
  if (!s) { PyErr_Clear(); return -1; }
  if (memchr(s, 0, (size_t)len)) return -1;   /* the frontend's texts end at NUL */
  if (len > EM_STRMAX || p->keylen + 2 + (uint32_t)len > EM_KEYMAX) return -3;
  p->key[p->keylen++] = TC_STR;
  p->key[p->keylen++] = (uint8_t)len;
  memcpy(p->key + p->keylen, s, (size_t)len);
  p->keylen += (uint32_t)len;
  return 0;
}

/* Append the code and slots of 'o'; 0, -1 unsupported, -2 big int, -3 too big. */
static int typeof1(PyObject *o, ArgPack *p, int depth)
{
  PyTypeObject *t = Py_TYPE(o);
  if (p->keylen + 2 > EM_KEYMAX || p->nslots + 2 > EM_SLOTMAX) return -3;
  if (t == &PyLong_Type) {
    int ovf;
    long long v = PyLong_AsLongLongAndOverflow(o, &ovf);
    if (ovf) return -2;
    p->key[p->keylen++] = TC_INT;
    p->slots[p->nslots++] = (uint64_t)v;
    return 0;
  }
  if (t == &PyFloat_Type) {
    p->key[p->keylen++] = TC_F64;
    p->slots[p->nslots++] = dbits(PyFloat_AS_DOUBLE(o));
    return 0;
  }
  if (t == &PyBool_Type) {
    p->key[p->keylen++] = TC_BOOL;
    p->slots[p->nslots++] = o == Py_True;
    return 0;
  }
  if (o == Py_None) {
    p->key[p->keylen++] = TC_NONE;
    return 0;
  }
  if (t == &PyComplex_Type) {
    Py_complex c = PyComplex_AsCComplex(o);
    p->key[p->keylen++] = TC_C128;
    p->slots[p->nslots++] = dbits(c.real);
    p->slots[p->nslots++] = dbits(c.imag);
    return 0;
  }
  if (t == &PyUnicode_Type && depth == 0) return str_typeof(o, p);   /* not inside a tuple */
  if (t == &PyList_Type) return jit_list_typeof(o, p);   /* list.c: a copy */
  if (t == &PyDict_Type) return jit_dict_typeof(o, p);   /* dict.c: a copy */
  if (t != &PyTuple_Type) {   /* NumPy arrays, scalars and dtypes (array.c) */
    int r = jit_array_typeof(o, p);
    if (r <= 0) return r;
  }
  if (t == &PyTuple_Type && depth < 8) {
    p->key[p->keylen++] = TC_TUP;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(o); i++) {
      int r = typeof1(PyTuple_GET_ITEM(o, i), p, depth + 1);
      if (r) return r;
    }
    if (p->keylen + 1 > EM_KEYMAX) return -3;
    p->key[p->keylen++] = TC_END;
    return 0;
  }
  return -1;
}

int jit_typeof_args(PyObject *const *args, uint32_t n, ArgPack *p)
{
  p->keylen = p->nslots = 0;
  p->bad = -1;
  p->bigint = p->toolong = 0;
  p->bufs = NULL;
  for (uint32_t i = 0; i < n; i++) {
    int r = typeof1(args[i], p, 0);
    if (r == 0) continue;
    jit_rt_free(&(EmRt){p->bufs});   /* no call: the list copies go */
    p->bufs = NULL;
    if (r == -2) p->bigint = 1;
    else p->bad = (int)i, p->toolong = r == -3;
    return -1;
  }
  return 0;
}

int jit_typeof_item(PyObject *o, ArgPack *p) { return typeof1(o, p, 1); }

/* -- Boxing ------------------------------------------------------------------- */

/* Box the value of code c[*ci] from slots[*si], converting to 'w' (or NULL). */
static PyObject *box1(const uint8_t *c, uint32_t *ci, const uint64_t *s, uint32_t *si,
                      const uint8_t *w, uint32_t *wi)
{
  if (c[*ci] == TC_DICT) {   /* dict.c */
    uint32_t l = jit_dict_code_len(c + *ci, EM_KEYMAX);
    PyObject *r = jit_dict_box(c + *ci, l, s, si);
    *ci += l;
    if (w) *wi += l;
    return r;
  }
  if (c[*ci] == TC_LIST) {   /* list.c */
    uint32_t l = jit_list_code_len(c + *ci, EM_KEYMAX);
    PyObject *r = jit_list_box(c + *ci, l, s, si);
    *ci += l;
    if (w) *wi += l;
    return r;
  }
  if (c[*ci] == TC_ARRAY || c[*ci] == TC_NPSCALAR || c[*ci] == TC_DTYPE) {   /* array.c */
    uint32_t l = jit_array_code_len(c + *ci, 4);
    PyObject *r = jit_array_box(c + *ci, s, si);
    *ci += l;
    if (w) *wi += l;
    return r;
  }
  if (c[*ci] == TC_STR) {   /* a str literal: no slot */
    uint32_t l = 2u + c[*ci + 1];
    PyObject *r = PyUnicode_FromStringAndSize((const char *)c + *ci + 2, l - 2);
    *ci += l;
    if (w) *wi += l;
    return r;
  }
  uint8_t k = c[(*ci)++];
  uint8_t want = w ? w[(*wi)++] : k;
  if (k == TC_TUP) {
    PyObject *items[EM_SLOTMAX];
    uint32_t n = 0;
    while (c[*ci] != TC_END) {
      PyObject *x = box1(c, ci, s, si, w, wi);
      if (!x) { while (n) Py_DECREF(items[--n]); return NULL; }
      items[n++] = x;
    }
    (*ci)++;
    if (w) (*wi)++;
    PyObject *t = PyTuple_New(n);
    if (!t) { while (n) Py_DECREF(items[--n]); return NULL; }
    for (uint32_t i = 0; i < n; i++) PyTuple_SET_ITEM(t, i, items[i]);
    return t;
  }
  switch (k) {
  case TC_NONE: Py_RETURN_NONE;
  case TC_BOOL: {
    uint64_t v = s[(*si)++] & 1;
    if (want == TC_INT) return PyLong_FromLong((long)v);
    if (want == TC_F64) return PyFloat_FromDouble((double)v);
    if (want == TC_C128) return PyComplex_FromDoubles((double)v, 0.0);
    return PyBool_FromLong((long)v);
  }
  case TC_INT: {
    int64_t v = (int64_t)s[(*si)++];
    if (want == TC_F64) return PyFloat_FromDouble((double)v);
    if (want == TC_C128) return PyComplex_FromDoubles((double)v, 0.0);
    return PyLong_FromLongLong(v);
  }
  case TC_F64: {
    double v = bitsd(s[(*si)++]);
    if (want == TC_C128) return PyComplex_FromDoubles(v, 0.0);
    return PyFloat_FromDouble(v);
  }
  case TC_C128: {
    double re = bitsd(s[*si]), im = bitsd(s[*si + 1]);
    *si += 2;
    return PyComplex_FromDoubles(re, im);
  }
  }
  PyErr_SetString(PyExc_SystemError, "ember: bad result type code");
  return NULL;
}

PyObject *jit_box(const uint8_t *code, uint32_t len, const uint64_t *slots,
                  const uint8_t *want, uint32_t wantlen)
{
  uint32_t ci = 0, si = 0, wi = 0;
  if (len == 1) {  /* the common scalar results, without the walk */
    switch (code[0]) {
    case TC_INT: if (!want) return PyLong_FromLongLong((int64_t)slots[0]); break;
    case TC_F64: if (!want) return PyFloat_FromDouble(bitsd(slots[0])); break;
    case TC_BOOL: if (!want) return PyBool_FromLong((long)(slots[0] & 1)); break;
    case TC_NONE: Py_RETURN_NONE;
    }
  }
  if (len == 0) Py_RETURN_NONE;
  return box1(code, &ci, slots, &si, want && wantlen ? want : NULL, &wi);
}

/* -- Type codes --------------------------------------------------------------- */

uint32_t jit_code_len(const uint8_t *c, uint32_t n)
{
  if (n == 0) return 0;
  if (c[0] == TC_ARRAY || c[0] == TC_NPSCALAR || c[0] == TC_DTYPE) return jit_array_code_len(c, n);
  if (c[0] == TC_LIST) return jit_list_code_len(c, n);
  if (c[0] == TC_DICT) return jit_dict_code_len(c, n);
  if (c[0] == TC_STR) return n >= 2 && 2u + c[1] <= n ? 2u + c[1] : 0;
  if (c[0] != TC_TUP) return 1;
  uint32_t i = 1;
  while (i < n && c[i] != TC_END) {
    uint32_t l = jit_code_len(c + i, n - i);
    if (!l) return 0;
    i += l;
  }
  return i < n ? i + 1 : 0;
}

uint32_t jit_code_slots(const uint8_t *c, uint32_t n)
{
  uint32_t s = 0;
  for (uint32_t i = 0; i < n;) {
    if (c[i] == TC_LIST || c[i] == TC_DICT) {   /* one slot, whatever its items */
      uint32_t l = c[i] == TC_LIST ? jit_list_code_len(c + i, n - i) : jit_dict_code_len(c + i, n - i);
      if (!l) break;
      s++;
      i += l;
      continue;
    }
    if (c[i] == TC_ARRAY || c[i] == TC_NPSCALAR || c[i] == TC_DTYPE) {
      uint32_t l = jit_array_code_len(c + i, n - i);
      if (!l) break;
      s += jit_array_code_slots(c + i);
      i += l;
      continue;
    }
    s += c[i] == TC_C128 ? 2 : (c[i] == TC_INT || c[i] == TC_F64 || c[i] == TC_BOOL);
    i += c[i] == TC_STR && i + 1 < n ? 2u + c[i + 1] : 1;
  }
  return s;
}

static void append(char *buf, size_t size, const char *s)
{
  size_t l = strlen(buf);
  if (l + 1 < size) snprintf(buf + l, size - l, "%s", s);
}

/* Name of the single code at 'c' appended to 'buf'; returns its length. */
static uint32_t name1(const uint8_t *c, uint32_t n, char *buf, size_t size)
{
  switch (c[0]) {
  case TC_BOOL: append(buf, size, "bool"); return 1;
  case TC_INT: append(buf, size, "int64"); return 1;
  case TC_F64: append(buf, size, "float64"); return 1;
  case TC_C128: append(buf, size, "complex128"); return 1;
  case TC_NONE: append(buf, size, "none"); return 1;
  case TC_STR: {   /* Literal['sum'], as a repr: \ and ' escaped, control bytes as \xHH */
    uint32_t l = jit_code_len(c, n);
    if (!l) break;
    append(buf, size, "Literal['");
    for (uint32_t i = 2; i < l; i++) {
      char ch[8] = {(char)c[i], 0};
      if (c[i] < 0x20 || c[i] == 0x7f) snprintf(ch, sizeof ch, "\\x%02x", c[i]);
      else if (c[i] == '\'' || c[i] == '\\') ch[0] = '\\', ch[1] = (char)c[i], ch[2] = 0;
      append(buf, size, ch);
    }
    append(buf, size, "']");
    return l;
  }
  case TC_ARRAY: case TC_NPSCALAR: case TC_DTYPE:
    if (!jit_array_code_len(c, n)) break;
    jit_array_code_name(c, buf, size);
    return jit_array_code_len(c, n);
  case TC_LIST: {
    uint32_t l = jit_list_code_len(c, n);
    if (!l) break;
    append(buf, size, "list[");
    name1(c + 1, l - 1, buf, size);
    append(buf, size, "]");
    return l;
  }
  case TC_DICT: {
    uint32_t l = jit_dict_code_len(c, n);
    if (!l) break;
    append(buf, size, "dict[");
    uint32_t kl = name1(c + 1, l - 1, buf, size);
    append(buf, size, ", ");
    name1(c + 1 + kl, l - 1 - kl, buf, size);
    append(buf, size, "]");
    return l;
  }
  case TC_TUP: {
    uint32_t i = 1, k = 0;
    append(buf, size, "(");
    while (i < n && c[i] != TC_END) {
      if (k++) append(buf, size, ", ");
      i += name1(c + i, n - i, buf, size);
    }
    append(buf, size, k == 1 ? ",)" : ")");
    return i + 1;
  }
  }
  append(buf, size, "?");
  return 1;
}

void jit_code_name(const uint8_t *c, uint32_t n, char *buf, size_t size, bool list)
{
  uint32_t i = 0, k = 0;
  while (i < n) {
    if (list && k++) append(buf, size, ", ");
    i += name1(c + i, n - i, buf, size);
  }
}

PyObject *jit_sig_str(const Ent *e)
{
  char buf[1024] = "";
  if (e->decllen) jit_code_name(e->decl, e->decllen, buf, sizeof buf, false);
  else jit_code_name(e->ret, e->retlen, buf, sizeof buf, false);
  append(buf, sizeof buf, "(");
  jit_code_name(e->key, e->keylen, buf, sizeof buf, true);
  append(buf, sizeof buf, ")");
  return PyUnicode_FromString(buf);
}

IrType jit_code_irtype(IrCtx *ctx, const uint8_t *c, uint32_t n)
{
  if (n == 0) return IRT_VOID;
  switch (c[0]) {
  case TC_BOOL: return IRT_BOOL;
  case TC_INT: return IRT_INT;
  case TC_F64: return IRT_F64;
  case TC_C128: return IRT_C128;
  case TC_NONE: return IRT_NONE;
  case TC_STR: {   /* no slot: the frontend reads the literal (jit_code_strargs) */
    uint32_t l = jit_code_len(c, n);
    if (!l) return IRT_VOID;
    char text[EM_KEYMAX];
    memcpy(text, c + 2, l - 2);
    text[l - 2] = 0;
    return ir_type_str(ctx, text);
  }
  case TC_TUP: break;
  case TC_ARRAY: case TC_NPSCALAR: case TC_DTYPE:
    return jit_array_code_len(c, n) ? jit_array_code_irtype(ctx, c) : IRT_VOID;
  case TC_LIST: {
    uint32_t l = jit_list_code_len(c, n);
    IrType e = l ? jit_code_irtype(ctx, c + 1, l - 1) : IRT_VOID;
    return e ? ir_type_list(ctx, e) : IRT_VOID;
  }
  case TC_DICT: {
    uint32_t l = jit_dict_code_len(c, n);
    if (!l) return IRT_VOID;
    uint32_t kl = jit_code_len(c + 1, l - 1);
    IrType k = jit_code_irtype(ctx, c + 1, kl), v = jit_code_irtype(ctx, c + 1 + kl, l - 1 - kl);
    return k && v ? ir_type_dict(ctx, k, v, 0) : IRT_VOID;
  }
  default: return IRT_VOID;
  }
  IrType el[EM_KEYMAX];
  uint16_t k = 0;
  uint32_t i = 1;
  while (i < n && c[i] != TC_END) {
    uint32_t l = jit_code_len(c + i, n - i);
    if (!l) return IRT_VOID;
    el[k] = jit_code_irtype(ctx, c + i, l);
    if (el[k++] == IRT_VOID) return IRT_VOID;
    i += l;
  }
  return ir_type_tuple(ctx, el, k);
}

int jit_code_strargs(Pool *p, const uint8_t *c, uint32_t n, uint32_t nparams, const char *const **out)
{
  const char **texts = NULL;
  *out = NULL;
  for (uint32_t i = 0, k = 0; k < nparams && i < n; k++) {
    uint32_t l = jit_code_len(c + i, n - i);
    if (!l) break;
    if (c[i] == TC_STR) {
      char *s = pool_alloc(p, l - 1);
      if (!texts) texts = pool_alloc(p, nparams * sizeof *texts);
      if (!s || !texts) return -1;
      memcpy(s, c + i + 2, l - 2);
      texts[k] = s;
    }
    i += l;
  }
  *out = texts;
  return 0;
}

int jit_irtype_code(IrCtx *ctx, IrType t, uint8_t *out, uint32_t *len)
{
  if (*len + 2 > EM_KEYMAX) return -1;
  switch (t) {
  case IRT_BOOL: out[(*len)++] = TC_BOOL; return 0;
  case IRT_INT: out[(*len)++] = TC_INT; return 0;
  case IRT_F64: out[(*len)++] = TC_F64; return 0;
  case IRT_C128: out[(*len)++] = TC_C128; return 0;
  case IRT_NONE: out[(*len)++] = TC_NONE; return 0;
  }
  const IrTypeInfo *ti = ir_type_info(ctx, t);
  if (ti && ti->kind == IRK_STR) {   /* a literal passed to a callee or returned */
    size_t l = strlen(ti->text);
    if (l > EM_STRMAX || *len + 2 + l > EM_KEYMAX) return -1;
    out[(*len)++] = TC_STR;
    out[(*len)++] = (uint8_t)l;
    memcpy(out + *len, ti->text, l);
    *len += (uint32_t)l;
    return 0;
  }
  if (ti && ti->kind == IRK_LIST) {
    out[(*len)++] = TC_LIST;
    return jit_irtype_code(ctx, ti->elem[0], out, len);
  }
  if (ti && ti->kind == IRK_DICT) {   /* a view cannot leave compiled code */
    if (ti->ndim) return -1;
    out[(*len)++] = TC_DICT;
    return jit_irtype_code(ctx, ti->elem[0], out, len) || jit_irtype_code(ctx, ti->elem[1], out, len) ? -1 : 0;
  }
  if (ti && ti->kind != IRK_TUPLE) return jit_array_irtype_code(ctx, t, out, len);
  if (!ti || ti->kind != IRK_TUPLE) return -1;
  out[(*len)++] = TC_TUP;
  for (uint32_t i = 0; i < ti->nelem; i++)
    if (jit_irtype_code(ctx, ti->elem[i], out, len)) return -1;
  if (*len + 1 > EM_KEYMAX) return -1;
  out[(*len)++] = TC_END;
  return 0;
}
