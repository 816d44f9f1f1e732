/* jit/blas.c: finds the BLAS and LAPACK that NumPy loaded, for compiled code.
 *
 * NumPy's wheels link OpenBLAS built with 64-bit integers, its names ending
 * in 64_ (cblas_dgemm64_, dgesv_64_) and, from NumPy 2, prefixed scipy_; the
 * file name carries a hash that changes with each release.  So nothing is
 * named: once NumPy is imported, every object loaded in the process is
 * looked at (dl_iterate_phdr) for cblas_dgemm64_ under either prefix, and
 * the first that has it gives all the functions (targets/native/rt_blas.c
 * lists them).  A NumPy built against another BLAS (MKL, a system LP64
 * OpenBLAS) has no such names: nothing is bound, and compiled code runs its
 * own loops (jit/ember/_lib_blas.py), as it does when EMBER_NO_BLAS is set.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* dl_iterate_phdr, RTLD_NOLOAD */
#endif
#include <dlfcn.h>
#include <link.h>

#include "jit.h"

static const char *const prefixes[] = {"scipy_", ""};
static void *lib;            /* dlopen handle of the library, once found */
static const char *prefix;   /* its names' prefix */
static bool bound;

static void *sym(void *h, const char *pre, const char *name)
{
  char buf[64];
  snprintf(buf, sizeof buf, "%s%s", pre, name);
  return dlsym(h, buf);
}

/* dl_iterate_phdr callback: stop at the first object with cblas_dgemm64_. */
static int look(struct dl_phdr_info *info, size_t size, void *arg)
{
  (void)size, (void)arg;
  if (!info->dlpi_name || !info->dlpi_name[0]) return 0;
  void *h = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
  if (!h) return 0;
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
    if (sym(h, prefixes[i], "cblas_dgemm64_")) {
      lib = h, prefix = prefixes[i];
      return 1;
    }
  dlclose(h);
  return 0;
}

void *jit_blas_find(const char *name)
{
  return lib ? sym(lib, prefix, name) : NULL;
}

/* Bind targets' BLAS table once NumPy is imported (a compile before that binds nothing yet). */
void jit_blas_bind(const EmLlvmApi *api)
{
  if (bound || !PyDict_GetItemString(PyImport_GetModuleDict(), "numpy")) return;
  bound = true;
  const char *off = getenv("EMBER_NO_BLAS");
  if (!off || !off[0] || !strcmp(off, "0")) dl_iterate_phdr(look, NULL);
  api->blas_bind(jit_blas_find);
}
