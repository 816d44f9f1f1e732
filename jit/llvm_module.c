/* jit/llvm_module.c: the ember._llvm extension module.
 *
 * It links targets/ (and through it LLVM 19) and exports tg_compile,
 * tg_link, tg_load_object, the cache key hash and the host and LLVM
 * descriptions to ember._ember through the
 * capsule "ember._llvm._api" (an EmLlvmApi, jit/jit.h).  _ember imports it on
 * the first compilation only, so `import ember` never loads LLVM.  LLVM
 * itself starts inside the first tg_compile.
 */
#include "jit.h"

static const EmLlvmApi api = {
  EM_LLVM_API_VERSION, tg_compile, tg_host_description, tg_startup_seconds, tg_link,
  tg_load_object, tg_llvm_version, tg_hash_new, tg_hash_update, tg_hash_final, (const void *)tg_compile,
  tg_compile_batch, ember_rt_release, &ember_print_hook, &ember_sort_hook, tg_blas_bind,
};

static struct PyModuleDef moddef = {
  PyModuleDef_HEAD_INIT, "ember._llvm", "Ember's LLVM code generator (loaded on the first compile).", -1, NULL,
};

PyMODINIT_FUNC PyInit__llvm(void)
{
  PyObject *m = PyModule_Create(&moddef);
  if (!m) return NULL;
  PyObject *cap = PyCapsule_New((void *)&api, "ember._llvm._api", NULL);
  if (!cap || PyModule_AddObject(m, "_api", cap)) {
    Py_XDECREF(cap);
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
