/* jit/vectorize.c: the NumPy ufuncs of ember.vectorize.
 *
 * ember/_vectorize.py compiles, per loop (a tuple of dtypes), a kernel
 *     def _vloop(a, b, out):
 *         for i in range(out.shape[0]):
 *             out[i] = f(a[i], b[i])
 * with ember.jit (boundscheck=False, every array 1-D of any layout), and
 * hands the kernels to make_ufunc, which builds the ufunc.  Its inner loop
 * makes the kernel's 1-D array slots (meminfo 0, data, length, stride in
 * bytes: jit/array.c) from NumPy's (args, dimensions, steps) and calls the
 * native entry: no Python object per call of the loop.  There are two
 * kernels, for strided arrays and for contiguous ones (the loop LLVM
 * vectorizes); the inner loop picks by NumPy's steps.
 *
 * Each loop is an ArrayMethod (PyUFunc_AddLoopFromSpec) with
 * NPY_METH_REQUIRES_PYAPI, so NumPy keeps the GIL and sees the Python
 * exception a failing element raises (a legacy loop's error would be lost:
 * NumPy checks PyErr_Occurred only for loops that need the API).  The ufunc
 * is made with no legacy loop (NumPy 2.5 would register one per dtypes,
 * refusing the ArrayMethod), then given `types`, `ntypes` and the legacy
 * loop table, which NumPy's type resolution reads to pick the loop of
 * inputs that have none of their own (casts to the first loop that fits);
 * it then dispatches to the ArrayMethod of those dtypes.
 * NPY_METH_NO_FLOATINGPOINT_ERRORS: the compiled function has CPython's
 * float semantics (errors raise), so NumPy adds no RuntimeWarnings.
 *
 * An error of a kind that CPython's answer fixes (an int past 64 bits:
 * ir/rterrors.def's fallback column) reruns that chunk in the interpreter,
 * the Python kernel over NumPy views of the chunk.  Everything a ufunc
 * points into (loops, types, name, doc, the kernels) lives in one block
 * owned by a capsule in the ufunc's `obj`, freed with the ufunc.
 */
#include "jit.h"

#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#define NPY_TARGET_VERSION NPY_2_0_API_VERSION
#include <numpy/arrayobject.h>
#include <numpy/ufuncobject.h>
#include <numpy/dtype_api.h>

typedef struct {               /* one loop: a compiled kernel and its entries */
  Disp *kern, *ckern;          /* of strided and of contiguous arrays (LLVM vectorizes it); strong references */
  Ent *ent, *cent;
  bool pure;                   /* the function (the kernels' global f) has no effect: a chunk may rerun */
  int nargs;
  npy_intp itemsize[NPY_MAXARGS];
  int typenums[NPY_MAXARGS];
} VLoop;

typedef struct {               /* what a ufunc points into (the capsule "ember.vufunc") */
  int nloops;
  PyUFuncGenericFunction *funcs;
  void **data;
  char *types;
  VLoop *loops;
  char *name, *doc;
} VUfunc;

static int vec_state;          /* 0 NumPy's C API not loaded, 1 loaded */

/* -- Running a loop ------------------------------------------------------------ */

/* Rerun 'n' items of 'v' at 'args' in the interpreter: the Python kernel on views; 0 or -1. */
static int rerun(VLoop *v, char *const *args, npy_intp n, const npy_intp *steps)
{
  PyObject *views[NPY_MAXARGS];
  int k = 0;
  for (; k < v->nargs; k++) {
    int fl = NPY_ARRAY_ALIGNED | (k == v->nargs - 1 ? NPY_ARRAY_WRITEABLE : 0);
    views[k] = PyArray_New(&PyArray_Type, 1, &n, v->typenums[k], (npy_intp *)&steps[k], args[k], 0, fl, NULL);
    if (!views[k]) break;
  }
  PyObject *r = k == v->nargs ? PyObject_Vectorcall(v->kern->func, views, (size_t)k, NULL) : NULL;
  while (k--) Py_DECREF(views[k]);
  Py_XDECREF(r);
  return r ? 0 : -1;
}

/* Run 'n' items of 'v' (the GIL held); 0, or -1 with the Python exception of the failing item. */
static int vrun(VLoop *v, char *const *args, npy_intp n, const npy_intp *steps)
{
  uint64_t slots[4 * NPY_MAXARGS], ret[8];
  for (int k = 0; k < v->nargs; k++) {
    slots[4 * k] = 0;
    slots[4 * k + 1] = (uint64_t)(uintptr_t)args[k];
    slots[4 * k + 2] = (uint64_t)n;
    slots[4 * k + 3] = (uint64_t)steps[k];
  }
  int i = 0;
  while (i < v->nargs && steps[i] == v->itemsize[i]) i++;
  bool contig = i == v->nargs;
  Disp *d = contig ? v->ckern : v->kern;
  Ent *e = contig ? v->cent : v->ent;
  EmRt rt = {NULL};
  EmErr err = {0, 0, 0, jit_reclimit};
  err.rt = &rt;
  int bad = e->entry(slots, ret, &err);
  jit_rt_free(&rt);
  if (!bad) return 0;
  if (err.kind > 0 && err.kind < RT__COUNT && ir_rterrinfo[err.kind].fallback && v->pure) {
    d->nfallback++;
    return rerun(v, args, n, steps);
  }
  jit_raise_rt(d, e, &err);
  return -1;
}

/* The loop of ufunc 'u' whose dtypes are those of 'descrs'; NULL if none. */
static VLoop *find_loop(PyObject *u, PyArray_Descr *const *descrs)
{
  if (!u || !PyObject_TypeCheck(u, &PyUFunc_Type)) return NULL;
  PyUFuncObject *uf = (PyUFuncObject *)u;
  for (int k = 0; k < uf->ntypes; k++) {
    VLoop *v = uf->data[k];
    int i = 0;
    while (i < uf->nargs && descrs[i]->type_num == v->typenums[i]) i++;
    if (i == uf->nargs) return v;
  }
  return NULL;
}

/* The ArrayMethod's strided loop.  NPY_METH_REQUIRES_PYAPI should keep the GIL, but
 * NumPy 2.2's reductions of more than a buffer release it all the same: take it. */
static int method_loop(PyArrayMethod_Context *ctx, char *const *data, const npy_intp *dims, const npy_intp *steps,
                       NpyAuxData *aux)
{
  (void)aux;
  PyGILState_STATE g = PyGILState_Ensure();
  VLoop *v = find_loop(ctx->caller, ctx->descriptors);
  int r = v && dims[0] ? vrun(v, data, dims[0], steps) : 0;
  if (!v) {
    PyErr_SetString(PyExc_RuntimeError, "ember.vectorize: no compiled loop for these dtypes");
    r = -1;
  }
  PyGILState_Release(g);
  return r;
}

/* The legacy loop, for NumPy paths that bypass the ArrayMethods (none known): NumPy
 * does not look for an error it sets, so later chunks are skipped and the call
 * ends in CPython's SystemError naming it. */
static void legacy_loop(char **args, const npy_intp *dims, const npy_intp *steps, void *data)
{
  PyGILState_STATE g = PyGILState_Ensure();
  if (!PyErr_Occurred() && dims[0]) vrun(data, args, dims[0], steps);
  PyGILState_Release(g);
}

/* The reduction's initial value: the ufunc's identity 0 or 1 in the loop's dtype; 1 given, 0 none. */
static int reduction_initial(PyArrayMethod_Context *ctx, npy_bool empty, void *initial)
{
  (void)empty;
  PyUFuncObject *uf = (PyUFuncObject *)ctx->caller;
  if (!uf || !PyObject_TypeCheck(ctx->caller, &PyUFunc_Type)) return 0;
  if (uf->identity != PyUFunc_Zero && uf->identity != PyUFunc_One) return 0;
  PyObject *o = PyLong_FromLong(uf->identity == PyUFunc_One);
  int r = o ? PyArray_Pack(ctx->descriptors[0], initial, o) : -1;
  Py_XDECREF(o);
  return r < 0 ? -1 : 1;
}

/* -- Building a ufunc ------------------------------------------------------------ */

static void vufunc_free(PyObject *cap)
{
  VUfunc *vu = PyCapsule_GetPointer(cap, "ember.vufunc");
  if (!vu) return;
  for (int k = 0; k < vu->nloops; k++) {
    Py_XDECREF(vu->loops[k].kern);
    Py_XDECREF(vu->loops[k].ckern);
  }
  PyMem_Free(vu->funcs);
  PyMem_Free(vu->data);
  PyMem_Free(vu->types);
  PyMem_Free(vu->loops);
  PyMem_Free(vu->name);
  PyMem_Free(vu->doc);
  PyMem_Free(vu);
}

static char *strcopy(const char *s)
{
  size_t n = strlen(s) + 1;
  char *c = PyMem_Malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

/* The entry of 'kern' for key 'key' (bytes); NULL with exception. */
static Ent *find_ent(PyObject *kern, PyObject *key)
{
  Ent *e = jit_disp_lookup((Disp *)kern, (const uint8_t *)PyBytes_AS_STRING(key), (uint32_t)PyBytes_GET_SIZE(key));
  if (!e) PyErr_SetString(PyExc_ValueError, "make_ufunc: the kernel is not compiled for that key");
  return e;
}

/* Whether every signature of the function that kernel 'kern' calls (its global f, an ember.jit
 * of the kernels' own) is pure: the kernels are not (they store), the function decides. */
static bool callee_pure(PyObject *kern)
{
  PyObject *f = PyDict_GetItemString(PyFunction_GetGlobals(((Disp *)kern)->func), "f");
  if (!f || !PyObject_TypeCheck(f, &Disp_Type)) return false;
  Disp *d = (Disp *)f;
  for (uint32_t i = 0; i < d->nent; i++)
    if (!d->ent[i]->pure) return false;
  return true;
}

/* Fill loop 'v' from the item (kernel, strided key, contiguous key, typenums) of make_ufunc's list;
 * -1 with exception. */
static int fill_loop(VLoop *v, PyObject *item, int nargs)
{
  PyObject *kern, *key, *ckern, *ckey, *tn;
  if (!PyTuple_Check(item)
      || !PyArg_ParseTuple(item, "O!SO!SS", &Disp_Type, &kern, &key, &Disp_Type, &ckern, &ckey, &tn)) {
    if (!PyErr_Occurred())
      PyErr_SetString(PyExc_TypeError, "make_ufunc: a loop is (kernel, key, contiguous kernel, key, typenums)");
    return -1;
  }
  if (PyBytes_GET_SIZE(tn) != nargs) {
    PyErr_SetString(PyExc_ValueError, "make_ufunc: a loop's typenums do not match nin + 1");
    return -1;
  }
  if (!(v->ent = find_ent(kern, key)) || !(v->cent = find_ent(ckern, ckey))) return -1;
  Py_INCREF(kern);
  Py_INCREF(ckern);
  v->kern = (Disp *)kern;
  v->ckern = (Disp *)ckern;
  v->pure = callee_pure(kern) && callee_pure(ckern);
  v->nargs = nargs;
  for (int i = 0; i < nargs; i++) {
    v->typenums[i] = (unsigned char)PyBytes_AS_STRING(tn)[i];
    PyArray_Descr *d = PyArray_DescrFromType(v->typenums[i]);
    if (!d) return -1;
    v->itemsize[i] = PyDataType_ELSIZE(d);
    Py_DECREF(d);
  }
  return 0;
}

/* Fill 'vu' with the loops of the list 'loops' (nargs arguments each); -1 with exception. */
static int vufunc_fill(VUfunc *vu, PyObject *loops, int nargs, const char *name, const char *doc)
{
  int n = (int)PyList_GET_SIZE(loops);
  vu->funcs = PyMem_Calloc((size_t)n, sizeof *vu->funcs);
  vu->data = PyMem_Calloc((size_t)n, sizeof *vu->data);
  vu->types = PyMem_Calloc((size_t)n * (size_t)nargs, 1);
  vu->loops = PyMem_Calloc((size_t)n, sizeof *vu->loops);
  vu->name = strcopy(name);
  vu->doc = strcopy(doc);
  if (!vu->funcs || !vu->data || !vu->types || !vu->loops || !vu->name || !vu->doc) {
    PyErr_NoMemory();
    return -1;
  }
  for (; vu->nloops < n; vu->nloops++) {
    VLoop *v = &vu->loops[vu->nloops];
    if (fill_loop(v, PyList_GET_ITEM(loops, vu->nloops), nargs)) return -1;
    vu->funcs[vu->nloops] = legacy_loop;
    vu->data[vu->nloops] = v;
    for (int i = 0; i < nargs; i++) vu->types[vu->nloops * nargs + i] = (char)v->typenums[i];
  }
  return 0;
}

/* Register loop 'v' of 'uf' as an ArrayMethod that keeps the GIL; -1 with exception. */
static int add_method(PyObject *uf, VLoop *v, int reorderable)
{
  PyArray_DTypeMeta *dtypes[NPY_MAXARGS];
  for (int i = 0; i < v->nargs; i++) {
    PyArray_Descr *d = PyArray_DescrFromType(v->typenums[i]);
    if (!d) return -1;
    dtypes[i] = NPY_DTYPE(d);
    Py_DECREF(d);   /* the builtin DTypes live as long as NumPy */
  }
  PyType_Slot slots[] = {
    {NPY_METH_strided_loop, (void *)method_loop},
    {NPY_METH_get_reduction_initial, (void *)reduction_initial},
    {0, NULL},
  };
  PyArrayMethod_Spec spec = {
    .name = "ember_vectorize_loop",
    .nin = v->nargs - 1,
    .nout = 1,
    .casting = NPY_NO_CASTING,
    .flags = NPY_METH_REQUIRES_PYAPI | NPY_METH_NO_FLOATINGPOINT_ERRORS | (reorderable ? NPY_METH_IS_REORDERABLE : 0),
    .dtypes = dtypes,
    .slots = slots,
  };
  return PyUFunc_AddLoopFromSpec(uf, &spec);
}

/* _ember.make_ufunc(name, doc, nin, identity, loops): a NumPy ufunc of the compiled kernels
 * 'loops', a list of (kernel, key, typenums) in NumPy's order of preference. */
PyObject *jit_make_ufunc(PyObject *self, PyObject *args)
{
  (void)self;
  const char *name, *doc;
  int nin, identity;
  PyObject *loops;
  if (!PyArg_ParseTuple(args, "ssiiO!:make_ufunc", &name, &doc, &nin, &identity, &PyList_Type, &loops)) return NULL;
  if (nin < 1 || nin + 1 > NPY_MAXARGS || PyList_GET_SIZE(loops) < 1) {
    PyErr_SetString(PyExc_ValueError, "make_ufunc: 1 to 31 inputs and at least one loop");
    return NULL;
  }
  if (!vec_state) {
    if (PyArray_ImportNumPyAPI() < 0 || PyUFunc_ImportUFuncAPI() < 0) return NULL;
    vec_state = 1;
  }
  VUfunc *vu = PyMem_Calloc(1, sizeof *vu);
  if (!vu) return PyErr_NoMemory();
  PyObject *cap = PyCapsule_New(vu, "ember.vufunc", vufunc_free);   /* frees what vufunc_fill made */
  if (!cap) { PyMem_Free(vu); return NULL; }
  if (vufunc_fill(vu, loops, nin + 1, name, doc)) { Py_DECREF(cap); return NULL; }
  PyObject *uf = PyUFunc_FromFuncAndData(NULL, NULL, NULL, 0, nin, 1, identity, vu->name, vu->doc, 0);
  if (!uf) { Py_DECREF(cap); return NULL; }
  PyUFuncObject *u = (PyUFuncObject *)uf;
  u->obj = cap;   /* NumPy drops it with the ufunc */
  int reorderable = identity == PyUFunc_Zero || identity == PyUFunc_One || identity == PyUFunc_ReorderableNone;
  for (int k = 0; k < vu->nloops; k++)
    if (add_method(uf, &vu->loops[k], reorderable)) { Py_DECREF(uf); return NULL; }
  u->functions = vu->funcs;   /* after the ArrayMethods: NumPy 2.5 registers legacy loops when made */
  u->data = vu->data;
  u->types = vu->types;
  u->ntypes = vu->nloops;
  return uf;
}
