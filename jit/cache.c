/* jit/cache.c: content keys, the on-disk cache of object code, EMBER_RECORD.
 *
 * Keys.  Every compilation of (dispatcher, argument types) gets a content
 * key before the frontend runs: BLAKE3 (LLVM's, through the _llvm capsule) of
 *   - the prefix: the cache format, Ember's version and the build ids of
 *     _ember and _llvm (a rebuilt compiler never reuses older code),
 *     CPython's version, LLVM's version, the host (triple, CPU, features)
 *     and EMBER_LLVM_PASSES;
 *   - the argument type codes;
 *   - the function's deep hash: its code object (bytecode, constants,
 *     names, locals, flags, first line, line table, exception table, file
 *     and qualified name: lines and "qualname\0file" are in the code), its
 *     fastmath option, its parameter defaults (compiled callers bind them
 *     into their code), and for every name of co_names the value it has now
 *     in the globals or builtins (numbers are frozen into the code, NumPy
 *     arrays too, by format, shape and bytes; modules
 *     and builtins count by name; another ember.jit function by its own deep
 *     hash, recursively, or by its depth on the walk when it is already on
 *     it: recursion).
 * That covers whatever decides the machine code: the callees' keys follow
 * from their deep hashes and the argument types the caller infers.  Editing
 * the function, a global it reads or a callee changes the key; file times
 * play no part.  The native symbol is em_<qualname>_<16 key bytes in hex>:
 * the same code has the same name in every process, different code never
 * shares one.  A key already present in this process (the Live table) is
 * never added to the JIT twice: another dispatcher with the same content
 * shares the code.  Code that reads a global array embeds the address of
 * its frozen copy (jit/capture.c): it is never written to disk (the key is
 * remembered as unstorable), nor is a caller of it (its entry could never
 * load), and each process compiles them.
 *
 * Entries.  $EMBER_CACHE_DIR (default $XDG_CACHE_HOME/ember, else
 * ~/.cache/ember) holds one file <32 hex digits of the key>.emc per key,
 * written to a temporary file and renamed (atomic: a reader sees a whole
 * file or none).  Layout, little endian:
 *   0   8  magic "EMBERC\0\n"
 *   8   4  format version (CACHE_FORMAT)
 *   12  4  header size H: the object file starts at H
 *   16  8  object size P
 *   24 32  the key
 *   56 32  BLAKE3 of bytes 88 .. H+P (the rest of the header and the object)
 *   88     u8 pure, u8 nargs, u8 nret, u8 0, argument codes, result codes
 *          (what boxing the result needs), u64 creation time (Unix
 *          seconds), strings (u16 length, bytes): qualname, module, symbol,
 *          signature; u32 callee count, per callee: key, u8 nargs, argument
 *          codes, strings qualname and symbol
 *   H      the object file
 * jit/ember/__main__.py (python -m ember cache) reads the same layout.  A
 * file that is short, of another magic, version or key, or whose checksum
 * differs is ignored with one CacheWarning and rewritten by the compile
 * that follows: nothing of it is loaded.  A directory that cannot be made
 * or written gives one CacheWarning, and the process compiles in memory.
 *
 * Loading (jit_cache_load): read the entry of the key, then the entries of
 * the callees it names that this process lacks (found among the globals of
 * their caller by qualified name and key: a callee edited since makes the
 * entry stale, and it is compiled instead), add every object to the JIT
 * before linking any (code refers to its callees, and recursion to itself,
 * by symbol), look the entries up, install them.
 *
 * Size bound: EMBER_CACHE_MAX_MB (default 256).  A load touches the file's
 * times; a store that takes the directory past the bound removes the least
 * recently used files down to 90% of it.
 */
#include "jit.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef EMBER_VERSION
#define EMBER_VERSION "0.0.0"
#endif

#define CACHE_FORMAT 1
#define CACHE_MAGIC "EMBERC\0\n"
#define CACHE_FIXED 88           /* bytes before the variable header */
#define WALK_DEPTH 64            /* functions on one deep-hash walk */

PyObject *em_CacheWarning;

static Live *live;               /* code present in this process, by key */
static uint32_t nlive, livecap;
static bool store_off;           /* a write failed (warned): compile in memory */
static bool record_warned;
static uint64_t ntmp;

/* -- Directory -------------------------------------------------------------- */

/* The cache directory into 'out'; -1 if there is none (no HOME). */
static int cache_dir(char *out, size_t size)
{
  const char *e = getenv("EMBER_CACHE_DIR");
  if (e && *e) return snprintf(out, size, "%s", e) < (int)size ? 0 : -1;
  e = getenv("XDG_CACHE_HOME");
  if (e && *e == '/') return snprintf(out, size, "%s/ember", e) < (int)size ? 0 : -1;
  e = getenv("HOME");
  if (!e || !*e) {
    struct passwd *pw = getpwuid(getuid());
    e = pw ? pw->pw_dir : NULL;
  }
  if (!e || !*e) return -1;
  return snprintf(out, size, "%s/.cache/ember", e) < (int)size ? 0 : -1;
}

PyObject *jit_cache_dir_obj(PyObject *m, PyObject *noargs)
{
  char dir[PATH_MAX];
  if (cache_dir(dir, sizeof dir)) Py_RETURN_NONE;
  return PyUnicode_DecodeFSDefault(dir);
}

/* mkdir -p 'dir'; 0 or -1 with errno. */
static int make_dirs(const char *dir)
{
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s", dir);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    if (mkdir(p, 0777) && errno != EEXIST) return -1;
    *s = '/';
  }
  if (mkdir(p, 0777) && errno != EEXIST) return -1;
  return 0;
}

static void entry_path(const char *dir, const uint8_t key[EM_HASHLEN], char *out, size_t size)
{
  char hex[33];
  for (int i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02x", key[i]);
  snprintf(out, size, "%s/%s.emc", dir, hex);
}

/* One CacheWarning; -1 if warnings are errors (the exception is set). */
static int warn(const char *fmt, ...)
{
  char msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return PyErr_WarnEx(em_CacheWarning, msg, 1);
}

/* Stop writing after a failure on 'what' (one warning); -1 if it became an error. */
static int store_failed(const char *dir, const char *what, int err)
{
  store_off = true;
  return warn("ember: cannot write the cache directory %s (%s: %s); compiled code stays in memory",
              dir, what, strerror(err));
}

bool jit_cache_can_store(void) { return !store_off; }

/* -- Keys ------------------------------------------------------------------- */

typedef struct { const void *addr; uint8_t id[64]; size_t n; } BuildId;

/* dl_iterate_phdr callback: the GNU build id of the object holding b->addr. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
  BuildId *b = arg;
  uintptr_t a = (uintptr_t)b->addr;
  bool mine = false;
  for (int i = 0; i < info->dlpi_phnum && !mine; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + p->p_vaddr;
    mine = p->p_type == PT_LOAD && a >= lo && a < lo + p->p_memsz;
  }
  if (!mine) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    if (p->p_type != PT_NOTE) continue;
    const uint8_t *n = (const uint8_t *)(info->dlpi_addr + p->p_vaddr), *end = n + p->p_memsz;
    while (n + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *h = (const ElfW(Nhdr) *)n;
      const uint8_t *name = n + sizeof *h, *desc = name + ((h->n_namesz + 3) & ~3u);
      if (h->n_type == NT_GNU_BUILD_ID && h->n_namesz == 4 && !memcmp(name, "GNU", 4) && h->n_descsz <= 64) {
        memcpy(b->id, desc, b->n = h->n_descsz);
        return 1;
      }
      n = desc + ((h->n_descsz + 3) & ~3u);
    }
  }
  return 1;
}

/* Identity of the shared object holding 'addr': its build id, else its size and mtime. */
static void build_id(const void *addr, BuildId *b)
{
  memset(b, 0, sizeof *b);
  b->addr = addr;
  dl_iterate_phdr(find_build_id, b);
  if (b->n) return;
  Dl_info info;
  struct stat st;
  if (dladdr(addr, &info) && info.dli_fname && !stat(info.dli_fname, &st)) {
    int64_t v[3] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec, (int64_t)st.st_mtim.tv_nsec};
    memcpy(b->id, v, b->n = sizeof v);
  }
}

typedef struct {
  const EmLlvmApi *api;
  Disp *stack[WALK_DEPTH];
  int depth;
  uint32_t nmemo;
  struct { Disp *d; uint8_t h[EM_HASHLEN]; } memo[64];
  bool frozen;            /* the function or a callee reads a global NumPy array */
} Walk;

/* Feed 'tag', the length and 'n' bytes: fields cannot run into each other. */
static void put(Walk *w, TgHash *h, char tag, const void *p, size_t n)
{
  uint64_t len = n;
  w->api->hash_update(h, &tag, 1);
  w->api->hash_update(h, &len, sizeof len);
  if (n) w->api->hash_update(h, p, n);
}

static void put_str(Walk *w, TgHash *h, char tag, const char *s)
{
  put(w, h, tag, s ? s : "", s ? strlen(s) : 0);
}

/* An int of any size (hex text past 64 bits); -1 with exception. */
static int put_int(Walk *w, TgHash *h, PyObject *o)
{
  int ovf;
  long long v = PyLong_AsLongLongAndOverflow(o, &ovf);
  if (v == -1 && PyErr_Occurred()) return -1;
  if (!ovf) { put(w, h, 'i', &v, sizeof v); return 0; }
  PyObject *s = PyNumber_ToBase(o, 16);
  const char *u = s ? PyUnicode_AsUTF8(s) : NULL;
  if (u) put_str(w, h, 'I', u);
  Py_XDECREF(s);
  return u ? 0 : -1;
}

static int put_code(Walk *w, TgHash *h, PyObject *code, int depth);

/* A set's elements are hashed alone and sorted: str hashes differ per process. */
static int put_set(Walk *w, TgHash *h, PyObject *o, int depth);

/* A constant (or attribute of a code object); -1 with exception. */
static int put_obj(Walk *w, TgHash *h, PyObject *o, int depth)
{
  if (depth > 32) { put(w, h, '^', NULL, 0); return 0; }
  if (o == Py_None) { put(w, h, 'N', NULL, 0); return 0; }
  if (PyBool_Check(o)) { uint8_t b = o == Py_True; put(w, h, 'B', &b, 1); return 0; }
  if (PyLong_Check(o)) return put_int(w, h, o);
  if (PyFloat_Check(o)) { double f = PyFloat_AS_DOUBLE(o); put(w, h, 'F', &f, 8); return 0; }
  if (PyComplex_Check(o)) {
    double c[2] = {PyComplex_RealAsDouble(o), PyComplex_ImagAsDouble(o)};
    put(w, h, 'C', c, sizeof c);
    return 0;
  }
  if (PyUnicode_Check(o)) {
    PyObject *b = PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass");
    if (!b) return -1;
    put(w, h, 'S', PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b));
    Py_DECREF(b);
    return 0;
  }
  if (PyBytes_Check(o)) { put(w, h, 'Y', PyBytes_AS_STRING(o), (size_t)PyBytes_GET_SIZE(o)); return 0; }
  if (PyTuple_Check(o)) {
    uint64_t n = (uint64_t)PyTuple_GET_SIZE(o);
    put(w, h, 'T', &n, sizeof n);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(o); i++)
      if (put_obj(w, h, PyTuple_GET_ITEM(o, i), depth + 1)) return -1;
    return 0;
  }
  if (PyAnySet_Check(o)) return put_set(w, h, o, depth);
  if (PyCode_Check(o)) return put_code(w, h, o, depth + 1);
  put_str(w, h, 'O', Py_TYPE(o)->tp_name);
  return 0;
}

static int cmp32(const void *a, const void *b) { return memcmp(a, b, EM_HASHLEN); }

static int put_set(Walk *w, TgHash *h, PyObject *o, int depth)
{
  Py_ssize_t n = PySet_GET_SIZE(o), k = 0;
  uint8_t (*el)[EM_HASHLEN] = malloc((size_t)(n ? n : 1) * EM_HASHLEN);
  PyObject *it = el ? PyObject_GetIter(o) : NULL, *x;
  if (!it) { free(el); if (!PyErr_Occurred()) PyErr_NoMemory(); return -1; }
  while ((x = PyIter_Next(it)) && k < n) {
    TgHash *e = w->api->hash_new();
    int r = e ? put_obj(w, e, x, depth + 1) : -1;
    Py_DECREF(x);
    if (e) w->api->hash_final(e, el[k++]);
    if (r) break;
  }
  Py_DECREF(it);
  if (PyErr_Occurred()) { free(el); return -1; }
  qsort(el, (size_t)k, EM_HASHLEN, cmp32);
  put(w, h, 'Z', el, (size_t)k * EM_HASHLEN);
  free(el);
  return 0;
}

/* The code object's attributes that decide its machine code. */
static const char *const code_attrs[] = {
  "co_code", "co_consts", "co_names", "co_varnames", "co_cellvars", "co_freevars",
  "co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_flags", "co_stacksize",
  "co_firstlineno", "co_linetable", "co_filename", "co_name",
#if PYVER >= 311
  "co_qualname", "co_exceptiontable",
#endif
  NULL
};

static int put_code(Walk *w, TgHash *h, PyObject *code, int depth)
{
  put(w, h, 'K', NULL, 0);
  for (int i = 0; code_attrs[i]; i++) {
    PyObject *v = PyObject_GetAttrString(code, code_attrs[i]);
    if (!v) return -1;
    int r = put_obj(w, h, v, depth + 1);
    Py_DECREF(v);
    if (r) return -1;
  }
  return 0;
}

/* 'name' in the function's globals, then its builtins (as capture.c's lookup); borrowed or NULL. */
static PyObject *global(Disp *d, PyObject *name)
{
  PyObject *g = PyFunction_GetGlobals(d->func);
  PyObject *v = jit_closure_value(d, name);   /* a closure's free variable first */
  if (v) return v;
  v = g ? PyDict_GetItemWithError(g, name) : NULL;
  if (v || PyErr_Occurred()) return v;
  PyObject *b = PyDict_GetItemString(g, "__builtins__");
  if (b && PyModule_Check(b)) b = PyModule_GetDict(b);
  if (!b || !PyDict_Check(b)) b = PyEval_GetBuiltins();
  return b ? PyDict_GetItemWithError(b, name) : NULL;
}

static int deep(Walk *w, Disp *d, uint8_t out[EM_HASHLEN], int *low);

/* A global NumPy array by content: format, shape and bytes (C order); its
 * type name alone if it exports no buffer (Ember refuses it anyway). */
static void put_array(Walk *w, TgHash *h, PyObject *v)
{
  Py_buffer b;
  if (PyObject_GetBuffer(v, &b, PyBUF_FULL_RO)) { PyErr_Clear(); put_str(w, h, 'O', Py_TYPE(v)->tp_name); return; }
  bool flat = PyBuffer_IsContiguous(&b, 'C');
  void *bytes = flat ? NULL : malloc(b.len ? (size_t)b.len : 1);
  if (flat || (bytes && !PyBuffer_ToContiguous(bytes, &b, b.len, 'C'))) {
    put_str(w, h, 'a', b.format);
    put(w, h, 'a', b.shape, sizeof(Py_ssize_t) * (size_t)b.ndim);
    put(w, h, 'a', flat ? b.buf : bytes, (size_t)b.len);
  } else {
    PyErr_Clear();
    put_str(w, h, 'O', Py_TYPE(v)->tp_name);
  }
  free(bytes);
  PyBuffer_Release(&b);
  w->frozen = true;
}

/* The value of a global as far as compiled code can depend on it. */
static int put_global(Walk *w, TgHash *h, PyObject *v, int *low)
{
  if (!v) { put(w, h, '-', NULL, 0); return 0; }
  if (Py_TYPE(v) == &Disp_Type) {
    Disp *g = (Disp *)v;
    for (int k = 0; k < w->depth; k++)
      if (w->stack[k] == g) {   /* recursion: its position on the walk */
        int32_t kk = k;
        put(w, h, 'R', &kk, sizeof kk);
        if (k < *low) *low = k;
        return 0;
      }
    uint8_t sub[EM_HASHLEN];
    if (deep(w, g, sub, low)) return -1;
    put(w, h, 'D', sub, sizeof sub);
    return 0;
  }
  if (v == Py_None || PyBool_Check(v) || PyLong_Check(v) || PyFloat_Check(v) || PyComplex_Check(v))
    return put_obj(w, h, v, 0);
  if (PyModule_Check(v)) {
    const char *n = PyModule_GetName(v);
    if (!n) PyErr_Clear();
    put_str(w, h, 'M', n ? n : "?");
    return 0;
  }
  if (PyCFunction_Check(v)) {
    PyCFunctionObject *f = (PyCFunctionObject *)v;
    PyObject *mod = f->m_module;
    const char *mn = mod && PyUnicode_Check(mod) ? PyUnicode_AsUTF8(mod) : mod && PyModule_Check(mod) ? PyModule_GetName(mod) : NULL;
    if (!mn) PyErr_Clear();
    put_str(w, h, 'c', mn ? mn : "?");
    put_str(w, h, 'c', f->m_ml->ml_name);
    return 0;
  }
  if (!strcmp(Py_TYPE(v)->tp_name, "numpy.ndarray")) { put_array(w, h, v); return 0; }   /* frozen (capture.c) */
  put_str(w, h, PyType_Check(v) ? 'y' : 'O', PyType_Check(v) ? ((PyTypeObject *)v)->tp_name : Py_TYPE(v)->tp_name);
  return 0;
}

/* Defaults of 'd' (compiled callers bind them into their code). */
static int put_defaults(Walk *w, TgHash *h, Disp *d)
{
  PyObject *defs = PyFunction_GetDefaults(d->func);
  if (defs && put_obj(w, h, defs, 0)) return -1;
  PyObject *kw = PyFunction_GetKwDefaults(d->func);
  if (!kw || !PyDict_Check(kw)) { put(w, h, 'k', NULL, 0); return 0; }
  Py_ssize_t pos = 0;
  PyObject *k, *v;
  while (PyDict_Next(kw, &pos, &k, &v))
    if (put_obj(w, h, k, 0) || put_obj(w, h, v, 0)) return -1;
  return 0;
}

/* The value now of every global that 'code' and the code objects nested in
 * it (closures, lambdas, generator expressions: frontend/nested.c) name. */
static int put_names(Walk *w, TgHash *h, Disp *d, PyObject *code, int *low, int depth)
{
  PyObject *names = PyObject_GetAttrString(code, "co_names");
  int r = names ? 0 : -1;
  for (Py_ssize_t i = 0; names && !r && PyTuple_Check(names) && i < PyTuple_GET_SIZE(names); i++) {
    PyObject *name = PyTuple_GET_ITEM(names, i);
    PyObject *v = global(d, name);
    r = (!v && PyErr_Occurred()) || put_obj(w, h, name, 0) || put_global(w, h, v, low) ? -1 : 0;
  }
  Py_XDECREF(names);
  PyObject *fv = !r && depth == 0 && PyFunction_GetClosure(d->func) ? PyObject_GetAttrString(code, "co_freevars") : NULL;
  for (Py_ssize_t i = 0; fv && !r && PyTuple_Check(fv) && i < PyTuple_GET_SIZE(fv); i++) {   /* a closure's values */
    PyObject *name = PyTuple_GET_ITEM(fv, i);
    r = put_obj(w, h, name, 0) || put_global(w, h, jit_closure_value(d, name), low) ? -1 : 0;
  }
  Py_XDECREF(fv);
  PyObject *consts = r || depth >= 8 ? NULL : PyObject_GetAttrString(code, "co_consts");
  if (!r && depth < 8 && !consts) r = -1;
  for (Py_ssize_t i = 0; consts && !r && PyTuple_Check(consts) && i < PyTuple_GET_SIZE(consts); i++)
    if (PyCode_Check(PyTuple_GET_ITEM(consts, i))) r = put_names(w, h, d, PyTuple_GET_ITEM(consts, i), low, depth + 1);
  Py_XDECREF(consts);
  return r;
}

/* The deep hash of 'd' into 'out'; '*low' gets the lowest walk position
 * the hash refers to (recursion), if below that of 'd'.  -1 with exception. */
static int deep(Walk *w, Disp *d, uint8_t out[EM_HASHLEN], int *low)
{
  for (uint32_t i = 0; i < w->nmemo; i++)
    if (w->memo[i].d == d) { memcpy(out, w->memo[i].h, EM_HASHLEN); return 0; }
  TgHash *h = w->api->hash_new();
  if (!h) { PyErr_NoMemory(); return -1; }
  int me = w->depth, mylow = INT_MAX, r = 0;
  if (me == WALK_DEPTH || !d->func) {   /* too deep to follow: the name alone */
    put_str(w, h, 'X', PyUnicode_AsUTF8(d->qualname));
    w->api->hash_final(h, out);
    return PyErr_Occurred() ? -1 : 0;
  }
  w->stack[w->depth++] = d;
  uint8_t fm = (uint8_t)(d->fastmath | d->noboundscheck << 1 | (d->npmath != EM_NPMATH_PYTHON) << 2);   /* the options that change the code */
  put(w, h, 'f', &fm, 1);
  put(w, h, 'r', d->rw_off, RW__COUNT);   /* rewrites={"exclude": [...]} */
  r = put_obj(w, h, d->qualname, 0) || put_code(w, h, d->code, 0) || put_defaults(w, h, d);
  if (!r) r = put_names(w, h, d, d->code, &mylow, 0);
  w->depth--;
  w->api->hash_final(h, out);
  if (r) return -1;
  if (mylow >= me && w->nmemo < sizeof w->memo / sizeof w->memo[0]) {   /* independent of the walk */
    w->memo[w->nmemo].d = d;
    memcpy(w->memo[w->nmemo++].h, out, EM_HASHLEN);
  }
  if (mylow < me && mylow < *low) *low = mylow;
  return 0;
}

/* The prefix digest: everything of this process and build (computed once). */
static const uint8_t *prefix(const EmLlvmApi *api)
{
  static uint8_t p[EM_HASHLEN];
  static bool done;
  if (done) return p;
  Walk w = {api};
  TgHash *h = api->hash_new();
  if (!h) return NULL;
  BuildId a, b;
  build_id((const void *)jit_cache_key, &a);
  build_id(api->self, &b);
  int32_t fmt = CACHE_FORMAT;
  put(&w, h, 'v', &fmt, sizeof fmt);
  put_str(&w, h, 'e', EMBER_VERSION);
  put(&w, h, 'b', a.id, a.n);
  put(&w, h, 'b', b.id, b.n);
  put_str(&w, h, 'p', Py_GetVersion());
  put_str(&w, h, 'l', api->llvm_version());
  put_str(&w, h, 'h', api->host_description());
  put_str(&w, h, 'o', getenv("EMBER_LLVM_PASSES"));
  api->hash_final(h, p);
  done = true;
  return p;
}

/* Keys whose code embeds the address of a frozen global array: it is shared
 * in this process (the same content has the same key) but never written to
 * disk, where the address would mean nothing; each process compiles it. */
static PyObject *unstorable;

static int unstorable_add(const uint8_t key[EM_HASHLEN])
{
  if (!unstorable && !(unstorable = PySet_New(NULL))) return -1;
  PyObject *k = PyBytes_FromStringAndSize((const char *)key, EM_HASHLEN);
  int r = k ? PySet_Add(unstorable, k) : -1;
  Py_XDECREF(k);
  return r;
}

static bool is_unstorable(const uint8_t key[EM_HASHLEN])
{
  if (!unstorable) return false;
  PyObject *k = PyBytes_FromStringAndSize((const char *)key, EM_HASHLEN);
  int r = k ? PySet_Contains(unstorable, k) : 0;
  Py_XDECREF(k);
  PyErr_Clear();
  return r == 1;
}

int jit_cache_key(const EmLlvmApi *api, Disp *d, const uint8_t *args, uint32_t nargs, uint8_t key[EM_HASHLEN])
{
  const uint8_t *pre = prefix(api);
  Walk *w = calloc(1, sizeof *w);
  TgHash *h = pre && w ? api->hash_new() : NULL;
  if (!h) { free(w); PyErr_NoMemory(); return -1; }
  w->api = api;
  uint8_t sub[EM_HASHLEN];
  int low = INT_MAX;
  int r = deep(w, d, sub, &low);
  put(w, h, 'P', pre, EM_HASHLEN);
  put(w, h, 'A', args, nargs);
  put(w, h, 'D', sub, sizeof sub);
  api->hash_final(h, key);
  if (!r && w->frozen) r = unstorable_add(key);
  free(w);
  return r;
}

void jit_cache_symbol(Disp *d, const uint8_t key[EM_HASHLEN], char *out, size_t size)
{
  const char *q = PyUnicode_AsUTF8(d->qualname);
  if (!q) { PyErr_Clear(); q = "f"; }
  char name[48];
  size_t k = 0;
  for (; *q && k + 1 < sizeof name; q++)
    name[k++] = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ? *q : '_';
  name[k] = 0;
  char hex[33];
  for (int i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02x", key[i]);
  snprintf(out, size, "em_%s_%s", name, hex);
}

/* -- Live: code of this process by key ------------------------------------- */

const Live *jit_live_find(const uint8_t key[EM_HASHLEN])
{
  for (uint32_t i = 0; i < nlive; i++)
    if (!memcmp(live[i].key, key, EM_HASHLEN)) return &live[i];
  return NULL;
}

void jit_live_add(const Ent *e)
{
  if (jit_live_find(e->ckey)) return;
  if (nlive == livecap) {
    uint32_t cap = livecap ? 2 * livecap : 32;
    Live *n = realloc(live, cap * sizeof *n);
    if (!n) return;            /* the code stays usable, only not shared */
    live = n;
    livecap = cap;
  }
  Live *l = &live[nlive];
  memcpy(l->key, e->ckey, EM_HASHLEN);
  if (!(l->sym = strdup(e->sym))) return;
  l->entry = e->entry;
  memcpy(l->ret, e->ret, l->nret = e->retlen);
  l->pure = e->pure;
  nlive++;
}

Ent *jit_live_ent(const Live *l, const uint8_t *args, uint32_t nargs)
{
  Ent *e = calloc(1, sizeof *e);
  if (!e || !(e->sym = strdup(l->sym))) { free(e); PyErr_NoMemory(); return NULL; }
  e->entry = l->entry;
  memcpy(e->key, args, e->keylen = (uint8_t)nargs);
  memcpy(e->ret, l->ret, e->retlen = (uint8_t)l->nret);
  memcpy(e->ckey, l->key, EM_HASHLEN);
  e->pure = l->pure;
  e->loaded = true;
  return e;
}

/* -- Entry encoding ---------------------------------------------------------- */

typedef struct { uint8_t *p; size_t n, cap; bool oom; } Buf;

static void emit(Buf *b, const void *p, size_t n)
{
  if (b->oom) return;
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 1024;
    while (cap < b->n + n) cap *= 2;
    uint8_t *q = realloc(b->p, cap);
    if (!q) { b->oom = true; return; }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, p, n);
  b->n += n;
}

static void emit_u8(Buf *b, uint32_t v) { uint8_t x = (uint8_t)v; emit(b, &x, 1); }
static void emit_str(Buf *b, const char *s)
{
  size_t n = s ? strlen(s) : 0;
  uint16_t l = (uint16_t)(n < 65535 ? n : 65535);
  emit(b, &l, 2);
  emit(b, s, l);
}

/* Header of 'ce' (checksum left zero) into 'b'. */
static void encode(Buf *b, const CacheEntry *ce)
{
  uint32_t fmt = CACHE_FORMAT, hsize = 0;
  uint64_t psize = ce->objsize, now = (uint64_t)time(NULL);
  uint8_t zero[EM_HASHLEN] = {0};
  emit(b, CACHE_MAGIC, 8);
  emit(b, &fmt, 4);
  emit(b, &hsize, 4);
  emit(b, &psize, 8);
  emit(b, ce->key, EM_HASHLEN);
  emit(b, zero, EM_HASHLEN);
  emit_u8(b, ce->pure);
  emit_u8(b, ce->nargs);
  emit_u8(b, ce->nret);
  emit_u8(b, 0);
  emit(b, ce->args, ce->nargs);
  emit(b, ce->ret, ce->nret);
  emit(b, &now, 8);
  emit_str(b, ce->qualname);
  emit_str(b, ce->module);
  emit_str(b, ce->sym);
  emit_str(b, ce->sig);
  emit(b, &ce->ncallees, 4);
  for (uint32_t i = 0; i < ce->ncallees; i++) {
    const CacheCallee *c = &ce->callees[i];
    emit(b, c->key, EM_HASHLEN);
    emit_u8(b, c->nargs);
    emit(b, c->args, c->nargs);
    emit_str(b, c->qualname);
    emit_str(b, c->sym);
  }
  if (b->oom) return;
  hsize = (uint32_t)b->n;
  memcpy(b->p + 12, &hsize, 4);
}

typedef struct { const uint8_t *p, *end; bool bad; } Rd;

static const uint8_t *take(Rd *r, size_t n)
{
  if (r->bad || (size_t)(r->end - r->p) < n) { r->bad = true; return NULL; }
  const uint8_t *q = r->p;
  r->p += n;
  return q;
}

static uint32_t take_u8(Rd *r) { const uint8_t *q = take(r, 1); return q ? *q : 0; }

/* A string of the header, NUL-terminated in place of nothing: copied to 'pool'. */
static const char *take_str(Rd *r, Pool *pool)
{
  const uint8_t *q = take(r, 2);
  uint16_t n = 0;
  if (q) memcpy(&n, q, 2);
  const uint8_t *s = take(r, n);
  char *out = s ? pool_alloc(pool, n + 1u) : NULL;
  if (!out) { r->bad = true; return ""; }
  memcpy(out, s, n);
  return out;
}

/* The reason file 'buf' of 'len' bytes is no entry of 'key' (fixed
 * header, sizes, checksum), or NULL; '*hsize' gets the header size. */
static const char *check(const EmLlvmApi *api, const uint8_t *buf, size_t len, const uint8_t key[EM_HASHLEN],
                         uint32_t *hsize)
{
  uint32_t fmt;
  uint64_t psize;
  if (len < CACHE_FIXED) return "truncated";
  if (memcmp(buf, CACHE_MAGIC, 8)) return "not an Ember cache entry";
  memcpy(&fmt, buf + 8, 4);
  memcpy(hsize, buf + 12, 4);
  memcpy(&psize, buf + 16, 8);
  if (fmt != CACHE_FORMAT) return "written by another version of Ember";
  if (*hsize < CACHE_FIXED || *hsize > len || psize != len - *hsize) return "truncated";
  if (memcmp(buf + 24, key, EM_HASHLEN)) return "of another key";
  uint8_t sum[EM_HASHLEN];
  TgHash *h = api->hash_new();
  if (!h) return "out of memory";
  api->hash_update(h, buf + CACHE_FIXED, len - CACHE_FIXED);
  api->hash_final(h, sum);
  return memcmp(sum, buf + 56, EM_HASHLEN) ? "checksum mismatch" : NULL;
}

/* The codes 'n' of at most EM_KEYMAX bytes into 'out'; false if they are not there. */
static bool take_codes(Rd *r, uint8_t *out, uint32_t n)
{
  const uint8_t *q = n <= EM_KEYMAX ? take(r, n) : NULL;
  if (q) memcpy(out, q, n);
  else r->bad = true;
  return q != NULL;
}

/* The callee records of the header into ce->callees (in 'pool'). */
static void take_callees(Rd *r, CacheEntry *ce, Pool *pool)
{
  const uint8_t *nc = take(r, 4);
  if (nc) memcpy(&ce->ncallees, nc, 4);
  if (r->bad || ce->ncallees > 4096 || !(ce->callees = pool_alloc(pool, sizeof(CacheCallee) * (ce->ncallees + 1)))) {
    r->bad = true;
    return;
  }
  for (uint32_t i = 0; i < ce->ncallees && !r->bad; i++) {
    CacheCallee *c = &ce->callees[i];
    const uint8_t *k = take(r, EM_HASHLEN);
    if (k) memcpy(c->key, k, EM_HASHLEN);
    c->nargs = take_u8(r);
    take_codes(r, c->args, c->nargs);
    c->qualname = take_str(r, pool);
    c->sym = take_str(r, pool);
  }
}

/* Parse and check file 'buf' of 'len' bytes against 'key'; 0, or -1 with the reason in 'why'. */
static int decode(const EmLlvmApi *api, const uint8_t *buf, size_t len, const uint8_t key[EM_HASHLEN],
                  CacheEntry *ce, Pool *pool, const char **why)
{
  uint32_t hsize;
  if ((*why = check(api, buf, len, key, &hsize))) return -1;
  Rd r = {buf + CACHE_FIXED, buf + hsize, false};
  memset(ce, 0, sizeof *ce);
  memcpy(ce->key, key, EM_HASHLEN);
  ce->pure = take_u8(&r);
  ce->nargs = take_u8(&r);
  ce->nret = take_u8(&r);
  take_u8(&r);
  take_codes(&r, ce->args, ce->nargs);
  take_codes(&r, ce->ret, ce->nret);
  take(&r, 8);                 /* creation time: for python -m ember cache */
  ce->qualname = take_str(&r, pool);
  ce->module = take_str(&r, pool);
  ce->sym = take_str(&r, pool);
  ce->sig = take_str(&r, pool);
  take_callees(&r, ce, pool);
  if (r.bad || !*ce->sym) { *why = "malformed header"; return -1; }
  ce->obj = buf + hsize;
  ce->objsize = len - hsize;
  return 0;
}

/* -- Reading ------------------------------------------------------------------ */

/* The whole file 'path' (malloc'd) and its size; 0, 1 if there is none, -1 on a read error. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? 1 : -1;
  struct stat st;
  uint8_t *buf = NULL;
  size_t n = 0;
  if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1))) {
    while (n < (size_t)st.st_size) {
      ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);
      if (k <= 0) break;
      n += (size_t)k;
    }
    futimens(fd, NULL);        /* least recently used goes first; fails harmlessly when read-only */
  }
  close(fd);
  if (!buf) return -1;
  *out = buf;
  *len = n;
  return 0;
}

typedef struct {
  Disp *d;
  CacheEntry ce;
  uint8_t *buf;
  EmEntry entry;
} Item;

typedef struct {
  const EmLlvmApi *api;
  char dir[PATH_MAX];
  Pool *pool;
  Item *items;
  uint32_t n, cap;
} Load;

/* Read the entry of 'key' for 'd' into a new item; 1 loaded, 0 missing or
 * damaged (warned), -1 with exception (a warning made an error). */
static int load_item(Load *L, Disp *d, const uint8_t key[EM_HASHLEN])
{
  char path[PATH_MAX + 64];
  entry_path(L->dir, key, path, sizeof path);
  uint8_t *buf;
  size_t len;
  int r = read_file(path, &buf, &len);
  if (r) return 0;
  if (L->n == L->cap) {
    uint32_t cap = L->cap ? 2 * L->cap : 8;
    Item *n = realloc(L->items, cap * sizeof *n);
    if (!n) { free(buf); return 0; }
    L->items = n;
    L->cap = cap;
  }
  Item *it = &L->items[L->n];
  memset(it, 0, sizeof *it);
  const char *why = NULL;
  if (decode(L->api, buf, len, key, &it->ce, L->pool, &why)) {
    free(buf);
    return warn("ember: ignoring the damaged cache entry %s (%s); compiling instead", path, why) ? -1 : 0;
  }
  it->d = d;
  it->buf = buf;
  L->n++;
  return 1;
}

/* The dispatcher among the globals of 'caller' that callee record 'c' names; NULL if none. */
static Disp *find_callee(const EmLlvmApi *api, Disp *caller, const CacheCallee *c)
{
  PyObject *g = PyFunction_GetGlobals(caller->func), *k, *v;
  Py_ssize_t pos = 0;
  while (g && PyDict_Next(g, &pos, &k, &v)) {
    if (Py_TYPE(v) != &Disp_Type) continue;
    Disp *d = (Disp *)v;
    const char *q = PyUnicode_AsUTF8(d->qualname);
    if (!q || strcmp(q, c->qualname)) { PyErr_Clear(); continue; }
    uint8_t key[EM_HASHLEN];
    if (jit_cache_key(api, d, c->args, c->nargs, key)) { PyErr_Clear(); continue; }
    if (!memcmp(key, c->key, EM_HASHLEN)) return d;
  }
  return NULL;
}

static bool in_load(Load *L, const uint8_t key[EM_HASHLEN])
{
  for (uint32_t i = 0; i < L->n; i++)
    if (!memcmp(L->items[i].ce.key, key, EM_HASHLEN)) return true;
  return false;
}

/* Read the entries of every callee this process lacks; 1 all there, 0 not, -1 exception. */
static int gather(Load *L)
{
  for (uint32_t i = 0; i < L->n; i++)
    for (uint32_t k = 0; k < L->items[i].ce.ncallees; k++) {
      const CacheCallee *c = &L->items[i].ce.callees[k];
      if (jit_live_find(c->key) || in_load(L, c->key)) continue;
      Disp *g = find_callee(L->api, L->items[i].d, c);
      if (!g) return 0;
      int r = load_item(L, g, c->key);
      if (r <= 0) return r;
    }
  return 1;
}

/* Add every object, then link each; 0, or -1 with the message in 'err'. */
static int link_items(Load *L, char *err, size_t errsize)
{
  if (L->n == 1) {
    Item *it = &L->items[0];
    return L->api->load_object(it->ce.sym, it->ce.obj, it->ce.objsize, &it->entry, err, errsize);
  }
  for (uint32_t i = 0; i < L->n; i++)
    if (L->api->load_object(L->items[i].ce.sym, L->items[i].ce.obj, L->items[i].ce.objsize, NULL, err, errsize))
      return -1;
  for (uint32_t i = 0; i < L->n; i++)
    if (L->api->link(L->items[i].ce.sym, &L->items[i].entry, err, errsize)) return -1;
  return 0;
}

/* Entries of the linked items, installed; the first one's entry. */
static Ent *install_items(Load *L, double seconds)
{
  Ent *root = NULL;
  for (uint32_t i = 0; i < L->n; i++) {
    Item *it = &L->items[i];
    Live l;
    memcpy(l.key, it->ce.key, EM_HASHLEN);
    l.sym = (char *)it->ce.sym;
    l.entry = it->entry;
    memcpy(l.ret, it->ce.ret, l.nret = it->ce.nret);
    l.pure = it->ce.pure;
    Ent *e = jit_live_ent(&l, it->ce.args, it->ce.nargs);
    if (!e) { PyErr_Clear(); continue; }
    jit_live_add(e);
    if ((e->times = PyDict_New())) {
      PyObject *t = PyFloat_FromDouble(seconds);
      if (!t || PyDict_SetItemString(e->times, "cache_load", t)) PyErr_Clear();
      Py_XDECREF(t);
    } else {
      PyErr_Clear();
    }
    if (jit_disp_lookup(it->d, e->key, e->keylen)) {   /* a stale entry of other globals stays */
      Py_XDECREF(e->times);
      free(e->sym);
      free(e);
      continue;
    }
    jit_disp_install(it->d, e);
    it->d->nloaded++;
    if (i == 0) root = e;
  }
  return root;
}

Ent *jit_cache_load(const EmLlvmApi *api, Disp *d, const uint8_t *args, uint32_t nargs,
                    const uint8_t key[EM_HASHLEN])
{
  double t0 = jit_now();
  Load L = {api};
  if (cache_dir(L.dir, sizeof L.dir) || !(L.pool = pool_new())) return NULL;
  Ent *e = NULL;
  int r = load_item(&L, d, key);
  if (r > 0 && (L.items[0].ce.nargs != nargs || memcmp(L.items[0].ce.args, args, nargs))) r = 0;
  if (r > 0) r = gather(&L);
  if (r > 0) {
    char err[512] = "";
    if (link_items(&L, err, sizeof err) == 0) {
      e = install_items(&L, jit_now() - t0);
    } else {
      char path[PATH_MAX + 64];
      entry_path(L.dir, key, path, sizeof path);
      warn("ember: cannot load the cache entry %s (%s); compiling instead", path, err);
    }
  }
  for (uint32_t i = 0; i < L.n; i++) free(L.items[i].buf);
  free(L.items);
  pool_free(L.pool);
  return e;
}

/* -- Writing ------------------------------------------------------------------ */

typedef struct { char name[64]; off_t size; struct timespec t; } FileInfo;

static int older(const void *a, const void *b)
{
  const FileInfo *x = a, *y = b;
  if (x->t.tv_sec != y->t.tv_sec) return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
  return x->t.tv_nsec < y->t.tv_nsec ? -1 : x->t.tv_nsec > y->t.tv_nsec;
}

static uint64_t max_bytes(void)
{
  const char *e = getenv("EMBER_CACHE_MAX_MB");
  double mb = e && *e ? atof(e) : 256;
  return mb > 0 ? (uint64_t)(mb * 1048576.0) : UINT64_MAX;
}

/* Remove the least recently used entries past the size bound (not 'keep'),
 * and temporary files of writers that died an hour ago or more. */
static void evict(const char *dir, const char *keep)
{
  DIR *dp = opendir(dir);
  if (!dp) return;
  FileInfo *f = NULL;
  size_t n = 0, cap = 0;
  uint64_t total = 0, limit = max_bytes();
  time_t now = time(NULL);
  struct dirent *de;
  char path[PATH_MAX + 300];
  struct stat st;
  while ((de = readdir(dp))) {
    size_t l = strlen(de->d_name);
    bool tmp = !strncmp(de->d_name, ".tmp-", 5), ent = l > 4 && l < 64 && !strcmp(de->d_name + l - 4, ".emc");
    if (!tmp && !ent) continue;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if (stat(path, &st)) continue;
    if (tmp) { if (now - st.st_mtime > 3600) unlink(path); continue; }
    total += (uint64_t)st.st_size;
    if (n == cap) {
      FileInfo *g = realloc(f, (cap = cap ? 2 * cap : 64) * sizeof *g);
      if (!g) break;
      f = g;
    }
    snprintf(f[n].name, sizeof f[n].name, "%s", de->d_name);
    f[n].size = st.st_size;
    f[n++].t = st.st_mtim;
  }
  closedir(dp);
  if (total > limit) {
    qsort(f, n, sizeof *f, older);
    for (size_t i = 0; i < n && total > limit / 10 * 9; i++) {
      if (keep && !strcmp(f[i].name, keep)) continue;
      snprintf(path, sizeof path, "%s/%s", dir, f[i].name);
      if (!unlink(path) || errno == ENOENT) total -= (uint64_t)f[i].size;
    }
  }
  free(f);
}

/* Write 'n' bytes of 'p' to 'fd'; 0 or -1 with errno. */
static int write_all(int fd, const void *p, size_t n)
{
  while (n) {
    ssize_t k = write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    p = (const char *)p + k;
    n -= (size_t)k;
  }
  return 0;
}

int jit_cache_store(const EmLlvmApi *api, const CacheEntry *ce)
{
  char dir[PATH_MAX], path[PATH_MAX + 64], tmp[PATH_MAX + 96];
  if (store_off || !ce->obj || is_unstorable(ce->key) || cache_dir(dir, sizeof dir)) return 0;
  if (make_dirs(dir)) return store_failed(dir, "mkdir", errno);
  Buf b = {0};
  encode(&b, ce);
  TgHash *h = b.oom ? NULL : api->hash_new();
  if (!h) { free(b.p); return 0; }
  api->hash_update(h, b.p + CACHE_FIXED, b.n - CACHE_FIXED);
  api->hash_update(h, ce->obj, ce->objsize);
  api->hash_final(h, b.p + 56);
  entry_path(dir, ce->key, path, sizeof path);
  snprintf(tmp, sizeof tmp, "%s/.tmp-%ld-%llu.emc", dir, (long)getpid(), (unsigned long long)ntmp++);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), r = 0;
  if (fd < 0) { free(b.p); return store_failed(dir, "open", errno); }
  if (write_all(fd, b.p, b.n) || write_all(fd, ce->obj, ce->objsize) || close(fd)) {
    int e = errno;
    close(fd);
    unlink(tmp);
    free(b.p);
    return store_failed(dir, "write", e);
  }
  free(b.p);
  if (rename(tmp, path)) {
    int e = errno;
    unlink(tmp);
    return store_failed(dir, "rename", e);
  }
  evict(dir, strrchr(path, '/') + 1);
  return r;
}

/* -- EMBER_RECORD --------------------------------------------------------------- */

void jit_cache_record(Disp *d, const Ent *e)
{
  const char *path = getenv("EMBER_RECORD");
  if (!path || !*path) return;
  PyObject *m = d->func ? PyObject_GetAttrString(d->func, "__module__") : NULL;
  const char *mod = m && PyUnicode_Check(m) ? PyUnicode_AsUTF8(m) : NULL;
  const char *q = PyUnicode_AsUTF8(d->qualname);
  PyErr_Clear();
  char args[1024] = "", line[1400];
  jit_code_name(e->key, e->keylen, args, sizeof args, true);
  int n = snprintf(line, sizeof line, "%s\t%s\t(%s)\n", mod ? mod : "?", q ? q : "?", args);
  Py_XDECREF(m);
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && n > 0 && n < (int)sizeof line && write_all(fd, line, (size_t)n) == 0;   /* one write: lines of several processes do not mix */
  if (fd >= 0) close(fd);
  if (ok || record_warned) return;
  record_warned = true;
  if (warn("ember: cannot append to EMBER_RECORD=%s (%s)", path, strerror(errno))) PyErr_Clear();
}
