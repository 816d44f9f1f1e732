/* frontend/raise.c: raise and assert statements, and the strings they carry.
 *
 * Python strings have no IR type.  While the builder simulates the stack, a
 * builtin exception class, a call of one, a str constant and an f-string
 * are marker values: TUPLEs (pure, so unused ones vanish in the normal
 * form) tagged in aux.s by one of the tags below, whose operands are the
 * run-time values they format and whose aux.v.s is their text:
 *   class   the class name ("ValueError"), no operands;
 *   exc     the class name; operands: the call's arguments (markers or values);
 *   str     the string's text in the notation below; operands: its fields' values;
 *   conv    3.13's CONVERT_VALUE result, "{!r}" of one value, waiting for its spec.
 * A raise turns its operand into `raise USER, "<what>", <values>`, where
 * <what> (ir/rterrors.def USER, read by jit/rterror.c) is
 *     what   = Name [ '(' arg { ', ' arg } ')' ] [ ' from None' ]
 *     arg    = '{}'                      the next value itself
 *            | "'" { char | field } "'"  a str: text and formatted values
 *     field  = '{' [ '!' s|r|a ] [ ':' { char } ] '}'   format(conv(next value), spec)
 *     char   = any byte but \ ' { } and controls | '\' one of them | '\x' HH
 * and <values> are the run-time values in the order the text takes them, so
 * the caller gets the exception CPython would build: `Name(*args)`.
 * fe_check_markers runs after SSA: a marker used by anything but a marker
 * (a string returned or stored and used, an exception object passed) is an
 * error at the user's line; then every marker becomes a NOP.
 */
#include <stdio.h>
#include <string.h>

#include "fe.h"

static const char tag_class[] = "exception class", tag_exc[] = "exception object",
                  tag_str[] = "str", tag_conv[] = "converted value";

FeMarker fe_is_marker(IrFunc *fn, IrRef r)
{
  const IrVal *v = &fn->vals[r];
  if (!r || v->op != IR_TUPLE || !v->aux.s) return FE_MK_NONE;
  if (v->aux.s == tag_class) return FE_MK_CLASS;
  if (v->aux.s == tag_exc) return FE_MK_EXC;
  if (v->aux.s == tag_str) return FE_MK_STR;
  if (v->aux.s == tag_conv) return FE_MK_CONV;
  return FE_MK_NONE;
}

_Noreturn static void refuse(IrFunc *fn, int32_t line, const char *what)
{
  ir_error(fn->ctx, EM_ERR_FLAGS, line, what);
}

/* A new marker 'tag' with text 'text' and operands 'args'. */
static IrRef marker(IrFunc *fn, IrBlk b, const char *tag, const char *text, const IrRef *args, uint32_t n,
                    int32_t line)
{
  IrRef r = ir_emit(fn, b, IR_TUPLE, IRT_ANY, args, n, line);
  fn->vals[r].aux.s = tag;
  fn->vals[r].aux.v.s = text;
  return r;
}

/* The concatenation of the 'n' strings 'parts' in the arena. */
static char *cat(IrCtx *ctx, const char *const *parts, uint32_t n)
{
  size_t len = 0;
  for (uint32_t i = 0; i < n; i++) len += strlen(parts[i]);
  char *s = ir_alloc(ctx, len + 1), *d = s;
  for (uint32_t i = 0; i < n; i++) d = stpcpy(d, parts[i]);
  return s;
}

/* 's' in the notation's chars (escaped). */
static char *escape(IrCtx *ctx, const char *s)
{
  char *out = ir_alloc(ctx, 4 * strlen(s) + 1), *d = out;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f) d += sprintf(d, "\\x%02x", *p);
    else {
      if (strchr("\\'{}", *p)) *d++ = '\\';
      *d++ = (char)*p;
    }
  }
  *d = 0;
  return out;
}

IrRef fe_exc_class(IrFunc *fn, IrBlk b, const char *name, int32_t line)
{
  return marker(fn, b, tag_class, name, NULL, 0, line);
}

IrRef fe_str_const(IrFunc *fn, IrBlk b, const char *s, int32_t line)
{
  return marker(fn, b, tag_str, escape(fn->ctx, s ? s : ""), NULL, 0, line);
}

IrRef fe_exc_call(IrFunc *fn, IrBlk b, IrRef cls, const IrRef *args, uint32_t n, uint32_t nkw, int32_t line)
{
  if (nkw) refuse(fn, line, "keyword arguments of exception classes are not supported");
  for (uint32_t i = 0; i < n; i++) {
    FeMarker m = fe_is_marker(fn, args[i]);
    if (m == FE_MK_CLASS || m == FE_MK_EXC)
      refuse(fn, line, "exception classes or objects as arguments of an exception are not supported");
  }
  return marker(fn, b, tag_exc, fn->vals[cls].aux.v.s, args, n, line);
}

/* "!r" for conversion 'conv' (1 str, 2 repr, 3 ascii), "" for none. */
static const char *convtext(int conv)
{
  static const char *const t[4] = {"", "!s", "!r", "!a"};
  return t[conv & 3];
}

IrRef fe_str_format(IrFunc *fn, IrBlk b, IrRef v, int conv, IrRef spec, int32_t line)
{
  const char *st = "";
  if (spec) {
    if (fe_is_marker(fn, spec) != FE_MK_STR || fn->vals[spec].nargs)
      refuse(fn, line, "f-string format specs with replacement fields are not supported");
    st = fn->vals[spec].aux.v.s;
  }
  FeMarker m = fe_is_marker(fn, v);
  const char *colon = spec && *st ? ":" : "";
  if (m == FE_MK_STR && !conv && !*st) return v;   /* format(s, '') is s */
  if (m == FE_MK_NONE || m == FE_MK_CONV) {
    const char *cv = m == FE_MK_CONV ? fn->vals[v].aux.v.s : convtext(conv);
    IrRef x = m == FE_MK_CONV ? fn->vals[v].args[0] : v;
    const char *parts[5] = {"{", cv, colon, st, "}"};
    return marker(fn, b, tag_str, cat(fn->ctx, parts, 5), &x, 1, line);
  }
  if (m == FE_MK_STR) refuse(fn, line, "f-string fields that convert or align a string are not supported");
  refuse(fn, line, "exception classes or objects in f-strings are not supported");
}

IrRef fe_str_convert(IrFunc *fn, IrBlk b, IrRef v, int conv, int32_t line)
{
  if (fe_is_marker(fn, v) != FE_MK_NONE)
    refuse(fn, line, "f-string fields that convert a string or an exception are not supported");
  return marker(fn, b, tag_conv, convtext(conv), &v, 1, line);
}

IrRef fe_str_concat(IrFunc *fn, IrBlk b, const IrRef *parts, uint32_t n, int32_t line)
{
  const char **texts = ir_alloc(fn->ctx, (n + 1) * sizeof *texts);
  uint32_t nargs = 0, k = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (fe_is_marker(fn, parts[i]) != FE_MK_STR)   /* a string made on another path (x if c else "s") */
      refuse(fn, line, "f-strings joining a string from a branch or a non-string are not supported");
    texts[i] = fn->vals[parts[i]].aux.v.s;
    nargs += fn->vals[parts[i]].nargs;
  }
  IrRef *args = ir_alloc(fn->ctx, (nargs + 1) * sizeof *args);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t a = 0; a < fn->vals[parts[i]].nargs; a++) args[k++] = fn->vals[parts[i]].args[a];
  return marker(fn, b, tag_str, cat(fn->ctx, texts, n), args, nargs, line);
}

/* Append the text of exception marker 'exc' to '*what' and its values to 'vals' at '*nv'. */
static void exc_text(IrFunc *fn, IrRef exc, const char **what, IrRef *vals, uint32_t *nv)
{
  const IrVal *e = &fn->vals[exc];
  const char *acc = e->aux.v.s;
  for (uint32_t i = 0; i < e->nargs; i++) {
    IrRef a = e->args[i];
    const char *sep = i ? ", " : "(";
    if (fe_is_marker(fn, a) == FE_MK_STR) {
      const char *parts[5] = {acc, sep, "'", fn->vals[a].aux.v.s, "'"};
      acc = cat(fn->ctx, parts, 5);
      for (uint32_t k = 0; k < fn->vals[a].nargs; k++) vals[(*nv)++] = fn->vals[a].args[k];
    } else {
      const char *parts[3] = {acc, sep, "{}"};
      acc = cat(fn->ctx, parts, 3);
      vals[(*nv)++] = a;
    }
  }
  const char *end[2] = {acc, e->nargs ? ")" : "()"};
  *what = cat(fn->ctx, end, 2);
}

void fe_raise(IrFunc *fn, IrBlk b, IrRef exc, IrRef cause, int32_t line)
{
  const IrVal *c = cause ? &fn->vals[cause] : NULL;
  if (c && (c->op != IR_CONST || c->type != IRT_NONE || c->aux.s))
    refuse(fn, line, "`raise ... from` a cause other than None is not supported");
  FeMarker m = fe_is_marker(fn, exc);
  if (m != FE_MK_CLASS && m != FE_MK_EXC)
    refuse(fn, line, "raise of a value that is not a builtin exception class or a call of one is not supported");
  const char *what = fn->vals[exc].aux.v.s;
  uint32_t n = 0, cap = 1;
  for (uint32_t i = 0; m == FE_MK_EXC && i < fn->vals[exc].nargs; i++) {
    IrRef a = fn->vals[exc].args[i];
    cap += fe_is_marker(fn, a) == FE_MK_STR ? fn->vals[a].nargs : 1;
  }
  IrRef *vals = ir_alloc(fn->ctx, cap * sizeof *vals);
  if (m == FE_MK_EXC) exc_text(fn, exc, &what, vals, &n);
  if (c) {
    const char *parts[2] = {what, " from None"};
    what = cat(fn->ctx, parts, 2);
  }
  IrRef r = ir_raise_args(fn, b, RT_USER, vals, n, line);
  fn->vals[r].aux.s = what;
}

/* The error for marker 'r' used by value 'u' (NULL: a branch) at 'line'. */
_Noreturn static void leaked(IrFunc *fn, IrRef r, const IrVal *u, int32_t line)
{
  switch (fe_is_marker(fn, r)) {
  case FE_MK_CLASS: case FE_MK_EXC:
    ir_error(fn->ctx, EM_ERR_CONSTRUCT, line, "exception classes and objects outside raise statements");
  default:
    if (fn->vals[r].nargs) ir_error(fn->ctx, EM_ERR_CONSTRUCT, line, "f-strings outside raise statements");
    ir_errorf(fn->ctx, EM_ERR_CONSTRUCT, line, "str values in `%s%s%s` (only ==, !=, in, len, int, float and "   /* strlit.c */
              "truth tests of str literals compile)", u ? ir_opinfo[u->op].text : "a join of branches",
              u && u->op == IR_ATTR ? " " : "", u && u->op == IR_ATTR ? u->aux.v.s : "");
  }
}

void fe_check_markers(IrFunc *fn)
{
  for (IrBlk b = 0; b < fn->nblocks; b++) {
    IrBlock *bk = &fn->blocks[b];
    if (bk->dead) continue;
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *v = &fn->vals[bk->insts[i]];
      if (fe_is_marker(fn, bk->insts[i])) continue;
      for (uint32_t a = 0; a < v->nargs; a++)
        if (fe_is_marker(fn, v->args[a])) leaked(fn, v->args[a], v, v->line);
      for (uint32_t s = 0; s < v->nsucc; s++)
        for (uint32_t a = 0; a < v->succ[s].nargs; a++)
          if (fe_is_marker(fn, v->succ[s].args[a])) leaked(fn, v->succ[s].args[a], NULL, v->line);
    }
  }
  for (IrRef r = 1; r < fn->nvals; r++)
    if (fe_is_marker(fn, r)) fn->vals[r].op = IR_NOP, fn->vals[r].nargs = 0, fn->vals[r].aux.s = NULL;
}
