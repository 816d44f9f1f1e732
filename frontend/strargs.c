/* frontend/strargs.c: str constants where NumPy takes them.
 *
 * Strings are frontend-only values (raise.c's str markers).  Where a call of
 * a NumPy function or array method passes a str constant as one of the
 * parameters below, the argument becomes a value the rest of the compiler
 * knows, so the printed IR names no string:
 *   dtype  ("float64", "f8", "int", "?", "<i4", ...): `builtin "numpy.float64"`,
 *          the value np.float64 itself is; a name NumPy does not know is
 *          NumPy's TypeError text as a TypingError;
 *   kind   of sort and argsort ("quicksort", "mergesort", "heapsort",
 *          "stable", or any word NumPy takes by its first letter): NumPy's
 *          NPY_SORTKIND, `const 0` quick, 1 heap, 2 stable (and merge);
 *   side   of searchsorted: "left" `const false`, "right" `const true`;
 *   order  "C" of the creation functions and copies: dropped (the default);
 *          any other order is an UnsupportedError;
 *   ord    of numpy.linalg.norm: "fro" (or "f") `const none`, which is the
 *          same norm of a matrix; "nuc" `const 1j`, the one complex ord;
 *   UPLO   of numpy.linalg.eigh and eigvalsh: "L" `const false`, "U" `const true`;
 *   mode   of numpy.linalg.qr: "reduced" `const none`, "complete" `const 1j`,
 *          "r" `const 0.0` (jit/ember/_lib_linalg.py tells them by type);
 *   mode   of convolve and correlate: "valid" `const 0`, "same" 1, "full" 2 (by the first letter, as NumPy);
 *   indexing of meshgrid: "xy" `const false`, "ij" `const true`;
 *   mode   of pad: "constant" `const none` (no other mode is compiled).
 * The callee is a NumPy function when it is an attribute of the numpy module
 * (or a global bound to one, `builtin "numpy.zeros"`), else an attribute of
 * another value, which is taken to be an array method.  Anything else keeps
 * its str marker, which is then an error (raise.c).
 */
#include <stdio.h>
#include <string.h>

#include "fe.h"

typedef enum { SA_NONE, SA_DTYPE, SA_KIND, SA_SIDE, SA_ORDER, SA_NORM, SA_UPLO, SA_MODE, SA_QR, SA_INDEXING, SA_PAD } SaKind;

/* Positional str parameters: (function, index of the argument after the callee). */
static const struct { const char *fn; SaKind k; int pos; } params[] = {
  {"numpy.empty", SA_DTYPE, 1}, {"numpy.zeros", SA_DTYPE, 1}, {"numpy.ones", SA_DTYPE, 1},
  {"numpy.full", SA_DTYPE, 2}, {"numpy.empty_like", SA_DTYPE, 1}, {"numpy.zeros_like", SA_DTYPE, 1},
  {"numpy.ones_like", SA_DTYPE, 1}, {"numpy.full_like", SA_DTYPE, 2}, {"numpy.array", SA_DTYPE, 1},
  {"numpy.asarray", SA_DTYPE, 1}, {"numpy.arange", SA_DTYPE, 3}, {"numpy.eye", SA_DTYPE, 3},
  {"numpy.identity", SA_DTYPE, 1}, {"ndarray.astype", SA_DTYPE, 0},
  {"numpy.empty", SA_ORDER, 2}, {"numpy.zeros", SA_ORDER, 2}, {"numpy.ones", SA_ORDER, 2},
  {"numpy.full", SA_ORDER, 3}, {"ndarray.astype", SA_ORDER, 1}, {"ndarray.copy", SA_ORDER, 0},
  {"numpy.sort", SA_KIND, 2}, {"numpy.argsort", SA_KIND, 2}, {"ndarray.sort", SA_KIND, 1},
  {"ndarray.argsort", SA_KIND, 1}, {"numpy.searchsorted", SA_SIDE, 2}, {"ndarray.searchsorted", SA_SIDE, 1},
  {"numpy.linalg.norm", SA_NORM, 1}, {"numpy.linalg.eigh", SA_UPLO, 1}, {"numpy.linalg.eigvalsh", SA_UPLO, 1},
  {"numpy.linalg.qr", SA_QR, 1},
  {"numpy.convolve", SA_MODE, 2}, {"numpy.correlate", SA_MODE, 2}, {"numpy.pad", SA_PAD, 2},
};

/* NumPy's dtype strings of the number types (made with NumPy 2.2's np.dtype), and the attribute of numpy each names. */
static const struct { const char *s, *name; } dtnames[] = {
  {"?", "bool"}, {"B", "uint8"}, {"D", "complex128"}, {"F", "complex64"}, {"H", "uint16"}, {"I", "uint32"},
  {"L", "uint64"}, {"N", "uint64"}, {"P", "uint64"}, {"Q", "uint64"}, {"b", "int8"}, {"b1", "bool"},
  {"bool", "bool"}, {"bool_", "bool"}, {"byte", "int8"}, {"c16", "complex128"}, {"c8", "complex64"},
  {"cdouble", "complex128"}, {"complex", "complex128"}, {"complex128", "complex128"},
  {"complex64", "complex64"}, {"csingle", "complex64"}, {"d", "float64"}, {"double", "float64"},
  {"e", "float16"}, {"f", "float32"}, {"f2", "float16"}, {"f4", "float32"}, {"f8", "float64"},
  {"float", "float64"}, {"float16", "float16"}, {"float32", "float32"}, {"float64", "float64"},
  {"h", "int16"}, {"half", "float16"}, {"i", "int32"}, {"i1", "int8"}, {"i2", "int16"}, {"i4", "int32"},
  {"i8", "int64"}, {"int", "int64"}, {"int16", "int16"}, {"int32", "int32"}, {"int64", "int64"},
  {"int8", "int8"}, {"int_", "int64"}, {"intc", "int32"}, {"intp", "int64"}, {"l", "int64"},
  {"long", "int64"}, {"longlong", "int64"}, {"n", "int64"}, {"p", "int64"}, {"q", "int64"},
  {"short", "int16"}, {"single", "float32"}, {"u1", "uint8"}, {"u2", "uint16"}, {"u4", "uint32"},
  {"u8", "uint64"}, {"ubyte", "uint8"}, {"uint", "uint64"}, {"uint16", "uint16"}, {"uint32", "uint32"},
  {"uint64", "uint64"}, {"uint8", "uint8"}, {"uintc", "uint32"}, {"uintp", "uint64"}, {"ulong", "uint64"},
  {"ulonglong", "uint64"}, {"ushort", "uint16"},
};

/* The NumPy function or method 'callee' names ("numpy.zeros", "ndarray.astype"), or NULL. */
static const char *npname(IrFunc *fn, IrRef callee)
{
  const IrVal *c = &fn->vals[callee];
  char buf[128];
  if (c->op == IR_BUILTIN) return !strncmp(c->aux.v.s, "numpy.", 6) ? c->aux.v.s : NULL;
  if (c->op != IR_ATTR) return NULL;
  const IrVal *obj = &fn->vals[c->args[0]];
  const char *mod = obj->op == IR_MODREF ? obj->aux.v.s : "ndarray";
  if (obj->op == IR_ATTR && !strcmp(obj->aux.v.s, "linalg") && fn->vals[obj->args[0]].op == IR_MODREF &&
      !strcmp(fn->vals[obj->args[0]].aux.v.s, "numpy"))
    mod = "numpy.linalg";   /* np.linalg.norm */
  if (strcmp(mod, "numpy") && strcmp(mod, "numpy.linalg") && strcmp(mod, "ndarray")) return NULL;
  snprintf(buf, sizeof buf, "%s.%.100s", mod, c->aux.v.s);
  return ir_strdup(fn->ctx, buf);
}

/* What parameter keyword 'kw' (or positional index 'pos' if 'kw' is NULL) of 'f' takes. */
static SaKind kindof(const char *f, const char *kw, int pos)
{
  const char *m = strchr(f, '.') + 1;
  if (kw) {
    if (!strcmp(kw, "dtype")) return SA_DTYPE;
    if (!strcmp(kw, "order")) return SA_ORDER;
    if (!strcmp(kw, "kind") && (!strcmp(m, "sort") || !strcmp(m, "argsort"))) return SA_KIND;
    if (!strcmp(kw, "side") && !strcmp(m, "searchsorted")) return SA_SIDE;
    if (!strcmp(kw, "ord") && !strcmp(m, "linalg.norm")) return SA_NORM;
    if (!strcmp(kw, "UPLO") && (!strcmp(m, "linalg.eigh") || !strcmp(m, "linalg.eigvalsh"))) return SA_UPLO;
    if (!strcmp(kw, "mode") && !strcmp(m, "linalg.qr")) return SA_QR;
    if (!strcmp(kw, "mode") && (!strcmp(m, "convolve") || !strcmp(m, "correlate"))) return SA_MODE;
    if (!strcmp(kw, "indexing") && !strcmp(m, "meshgrid")) return SA_INDEXING;
    if (!strcmp(kw, "mode") && !strcmp(m, "pad")) return SA_PAD;
    return SA_NONE;
  }
  for (size_t i = 0; i < sizeof params / sizeof *params; i++)
    if (params[i].pos == pos && !strcmp(params[i].fn, f)) return params[i].k;
  return SA_NONE;
}

/* `builtin "numpy.<name>"` for dtype string 's'. */
static IrRef dtype(IrFunc *fn, IrBlk b, const char *s, int32_t line)
{
  const char *t = strchr("<=|", *s) && *s ? s + 1 : s;   /* native byte order */
  for (size_t i = 0; i < sizeof dtnames / sizeof *dtnames; i++)
    if (!strcmp(dtnames[i].s, t)) {
      char q[32];
      snprintf(q, sizeof q, "numpy.%s", dtnames[i].name);
      IrRef r = ir_emit(fn, b, IR_BUILTIN, IRT_FUNC, NULL, 0, line);
      fn->vals[r].aux.v.s = ir_strdup(fn->ctx, q);
      return r;
    }
  ir_errorf(fn->ctx, EM_ERR_TYPES, line, "data type '%.100s' not understood (Ember compiles the number dtypes)", s);
}

/* The value standing for str 's' passed as a parameter of kind 'k' of 'f'. */
static IrRef value(IrFunc *fn, IrBlk b, SaKind k, const char *f, const char *s, int32_t line)
{
  switch (k) {
  case SA_DTYPE: return dtype(fn, b, s, line);
  case SA_KIND:
    if (!*s || !strchr("qQmMhHsS", *s))
      ir_errorf(fn->ctx, EM_ERR_ARGS, line, "sort kind must be one of 'quick', 'heap', or 'stable' (got '%.100s')", s);
    return ir_const_int(fn, b, IRT_INT, strchr("qQ", *s) ? 0 : strchr("hH", *s) ? 1 : 2, line);
  case SA_SIDE:
    if (strcmp(s, "left") && strcmp(s, "right"))
      ir_errorf(fn->ctx, EM_ERR_ARGS, line, "search side must be 'left' or 'right' (got '%.100s')", s);
    return ir_const_int(fn, b, IRT_BOOL, s[0] == 'r', line);
  case SA_NORM:
    if (!strcmp(s, "nuc")) return ir_const_complex(fn, b, 0.0, 1.0, line);   /* norm tells it by its type */
    if (strcmp(s, "fro") && strcmp(s, "f")) ir_errorf(fn->ctx, EM_ERR_ARGS, line, "Invalid norm order '%.100s'", s);
    return ir_const_none(fn, b, line);   /* the Frobenius norm is ord=None's for matrices */
  case SA_UPLO:
    if (strcmp(s, "L") && strcmp(s, "U")) ir_errorf(fn->ctx, EM_ERR_ARGS, line, "UPLO argument must be 'L' or 'U'");
    return ir_const_int(fn, b, IRT_BOOL, s[0] == 'U', line);
  case SA_QR:   /* told apart by type: the result's shape differs */
    if (!strcmp(s, "reduced")) return ir_const_none(fn, b, line);
    if (!strcmp(s, "complete")) return ir_const_complex(fn, b, 0.0, 1.0, line);
    if (!strcmp(s, "r")) return ir_const_float(fn, b, IRT_F64, 0.0, line);
    if (!strcmp(s, "raw")) ir_errorf(fn->ctx, EM_ERR_TYPES, line, "numpy.linalg.qr: mode='raw' is not supported");
    ir_errorf(fn->ctx, EM_ERR_ARGS, line, "Unrecognized mode '%.100s'", s);
  case SA_MODE:
    if (!*s || !strchr("vVsSfF", *s))
      ir_errorf(fn->ctx, EM_ERR_ARGS, line, "mode must be one of 'valid', 'same', or 'full' (got '%.100s')", s);
    return ir_const_int(fn, b, IRT_INT, strchr("vV", *s) ? 0 : strchr("sS", *s) ? 1 : 2, line);
  case SA_INDEXING:
    if (strcmp(s, "xy") && strcmp(s, "ij")) ir_errorf(fn->ctx, EM_ERR_ARGS, line, "Valid values for `indexing` are 'xy' and 'ij'.");
    return ir_const_int(fn, b, IRT_BOOL, s[0] == 'i', line);
  case SA_PAD:
    if (strcmp(s, "constant")) ir_errorf(fn->ctx, EM_ERR_FLAGS, line, "numpy.pad: mode='%.40s' is not supported (only 'constant')", s);
    return ir_const_none(fn, b, line);
  default:
    if (strcmp(s, "C")) ir_errorf(fn->ctx, EM_ERR_FLAGS, line, "%.60s: order='%.20s' is not supported (only 'C')", f, s);
    return 0;   /* dropped */
  }
}

uint32_t fe_str_args(IrFunc *fn, IrBlk b, IrRef *ops, uint32_t n, const char **kw, uint32_t *nkw, int32_t line)
{
  const char *f = npname(fn, ops[0]);
  if (!f) return n;
  uint32_t out = 1, first = n - *nkw, nk = 0;
  for (uint32_t i = 1; i < n; i++) {
    const IrVal *v = &fn->vals[ops[i]];
    const char *k = i >= first ? kw[i - first] : NULL;
    IrRef r = ops[i];
    SaKind sk = fe_is_marker(fn, r) == FE_MK_STR && !v->nargs ? kindof(f, k, (int)i - 1) : SA_NONE;
    if (sk != SA_NONE) r = value(fn, b, sk, f, v->aux.v.s, line);
    if (!r && !k && i + 1 < n)
      ir_errorf(fn->ctx, EM_ERR_FLAGS, line, "%.60s: order='C' before other arguments is not supported", f);
    if (!r) continue;
    ops[out++] = r;
    if (k) kw[nk++] = k;
  }
  *nkw = nk;
  return out;
}
