/* targets/native/native.h: private header of targets/native/.
 *
 * runtime.c holds the C helpers JIT-compiled code calls for the cold or
 * intricate cases (CPython's float_pow special cases, complex pow,
 * round(x, n)); jit.c registers them, and the libm functions the lowering
 * names, as absolute symbols of the JIT.  Each helper returns 0 or an
 * IrRtErr kind and writes its result through its last argument.
 */
#ifndef EMBER_TARGETS_NATIVE_H
#define EMBER_TARGETS_NATIVE_H

#include <stdint.h>

typedef struct {
  const char *name;
  void *addr;
} RtSym;

/* -- runtime.c ------------------------------------------------------------ */
int32_t ember_rt_fpow(double v, double w, double *out);
int32_t ember_rt_cpow(double ar, double ai, double br, double bi, double *out);
int32_t ember_rt_roundn(double x, int64_t n, double *out);
int32_t ember_rt_roundn_int(int64_t x, int64_t n, int64_t *out);
/* CPython's m_tgamma / m_lgamma: NaN for a domain error, inf for a range error. */
double ember_rt_gamma(double x);
double ember_rt_lgamma(double x);
/* CPython's vector_norm of (x, y): 3.12+ and 3.10/3.11. */
double ember_rt_hypot(double x, double y);
double ember_rt_hypot310(double x, double y);
/* -- rt_random.c: this thread's np.random generator (seeded on first use) -- */
int64_t ember_rt_random_seed(int64_t seed);      /* 0 <= seed < 2**32, or -1: from entropy; returns 0 */
double ember_rt_random_double(void);
double ember_rt_random_gauss(void);
int64_t ember_rt_random_interval(int64_t max);   /* max read as uint64 */
int64_t ember_rt_random_fill(int64_t kind, int64_t addr, int64_t n);   /* n doubles (kind 0) or gausses at addr */
/* The helpers and libm functions JIT code may call; NULL-terminated. */
extern const RtSym rt_symbols[];

#endif
