/* frontend/print.c: print(...) calls.
 *
 * A call of the builtin print becomes `print <values>` with the text of what
 * it writes in aux.s, in frontend/raise.c's notation of a quoted str:
 *     F "'" { char | field } "'"
 * F is '1' for flush=True, else '0'; the text is the positional arguments
 * joined by sep and followed by end, each a str constant or f-string (its
 * text and fields) or a value (the field '{!s}': print writes str(value),
 * which format(value, '') is not for NumPy's float32); sep and end are str constants
 * (or None, the default); file= is refused.  jit/print.c writes the text to
 * sys.stdout at run time, as Python's print does.  The call's value is None.
 */
#include <string.h>

#include "fe.h"

_Noreturn static void refuse(IrFunc *fn, int32_t line, const char *what)
{
  ir_error(fn->ctx, EM_ERR_CONSTRUCT, line, what);
}

/* The text of sep= or end= argument 'r' ('dflt' for None). */
static const char *kwtext(IrFunc *fn, IrRef r, const char *dflt, int32_t line)
{
  const IrVal *v = &fn->vals[r];
  if (v->op == IR_CONST && v->type == IRT_NONE) return dflt;
  if (fe_is_marker(fn, r) != FE_MK_STR || v->nargs) refuse(fn, line, "print() with a sep or end that is not a str constant");
  return v->aux.v.s;
}

/* Append the string 's' to the buffer at '*out' (length '*len', capacity '*cap'). */
static void put(IrFunc *fn, char **out, size_t *len, size_t *cap, const char *s)
{
  size_t n = strlen(s);
  if (*len + n + 1 > *cap) {
    size_t nc = 2 * (*len + n + 1);
    char *d = ir_alloc(fn->ctx, nc);
    memcpy(d, *out, *len);
    *out = d;
    *cap = nc;
  }
  memcpy(*out + *len, s, n + 1);
  *len += n;
}

IrRef fe_print(IrFunc *fn, IrBlk b, const IrRef *args, uint32_t n, const char *const *kw, uint32_t nkw, int32_t line)
{
  uint32_t npos = n - nkw, nv = 0;
  const char *sep = " ", *end = "\\x0a", *flush = "0";
  for (uint32_t k = 0; k < nkw; k++) {
    IrRef r = args[npos + k];
    if (!strcmp(kw[k], "sep")) sep = kwtext(fn, r, " ", line);
    else if (!strcmp(kw[k], "end")) end = kwtext(fn, r, "\\x0a", line);
    else if (!strcmp(kw[k], "flush") && fn->vals[r].op == IR_CONST && fn->vals[r].type == IRT_BOOL)
      flush = fn->vals[r].aux.v.i ? "1" : "0";
    else refuse(fn, line, "print() with keyword arguments other than sep, end and a constant flush");
  }
  IrRef *vals = ir_alloc(fn->ctx, (n + 1) * sizeof *vals);
  for (uint32_t i = 0; i < npos; i++) {
    FeMarker m = fe_is_marker(fn, args[i]);
    if (m == FE_MK_STR) nv += fn->vals[args[i]].nargs;
    else if (m == FE_MK_NONE) nv++;
    else refuse(fn, line, "print() of an exception class or object");
  }
  vals = ir_alloc(fn->ctx, (nv + 1) * sizeof *vals);
  size_t len = 0, cap = 64;
  char *text = ir_alloc(fn->ctx, cap);
  text[0] = 0;
  put(fn, &text, &len, &cap, flush);
  put(fn, &text, &len, &cap, "'");
  nv = 0;
  for (uint32_t i = 0; i < npos; i++) {
    const IrVal *a = &fn->vals[args[i]];
    if (i) put(fn, &text, &len, &cap, sep);
    if (fe_is_marker(fn, args[i]) == FE_MK_STR) {
      put(fn, &text, &len, &cap, a->aux.v.s);
      for (uint32_t k = 0; k < a->nargs; k++) vals[nv++] = a->args[k];
    } else {
      put(fn, &text, &len, &cap, "{!s}");
      vals[nv++] = args[i];
    }
  }
  put(fn, &text, &len, &cap, end);
  put(fn, &text, &len, &cap, "'");
  IrRef r = ir_emit(fn, b, IR_PRINT, IRT_VOID, vals, nv, line);
  fn->vals[r].aux.s = text;
  return ir_const_none(fn, b, line);
}
