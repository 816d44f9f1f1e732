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
 *   conv    3.13's CONVERT_VALUE result, "{!r}" of one value, waiting for its spec;
 *   choice  str markers joined after a branch (fe_join_marker); operands: an int
 *           parameter of the join that says which, then one str marker each.
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
                  tag_str[] = "str", tag_conv[] = "converted value", tag_choice[] = "str choice";

FeMarker fe_is_marker(IrFunc *fn, IrRef r)
{
  const IrVal *v = &fn->vals[r];
  if (!r || v->op != IR_TUPLE || !v->aux.s) return FE_MK_NONE;
  if (v->aux.s == tag_class) return FE_MK_CLASS;
  if (v->aux.s == tag_exc) return FE_MK_EXC;
  if (v->aux.s == tag_str) return FE_MK_STR;
  if (v->aux.s == tag_conv) return FE_MK_CONV;
  if (v->aux.s == tag_choice) return FE_MK_CHOICE;
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

static IrRef join_marker(FeSsa *s, IrBlk at, IrRef v, int32_t line, int depth)
{
  IrFunc *fn = s->fn;
  FeParam *p = depth < 8 ? fe_ssa_param_of(s, v) : NULL;
  if (!p) return v;
  IrBlk pb = p->blk;
  const IrRef *in = p->ops;   /* (p moves when a parameter is added) */
  uint32_t n = s->blks[pb].npreds, e = 1;
  while (e < n && (in[e] == in[0] || in[e] == v)) e++;
  if (e == n && in[0] != v) return join_marker(s, at, in[0], line, depth + 1);   /* one value on every edge */
  IrRef *ops = ir_alloc(fn->ctx, (n + 1) * sizeof *ops);
  bool one = true, strs = true;
  for (e = 0; e < n; e++) {
    ops[e] = in[e] == v ? v : join_marker(s, at, in[e], line, depth + 1);
    FeMarker m = fe_is_marker(fn, ops[e]);
    if (!m) return v;
    one = one && ops[e] == ops[0];
    strs = strs && m == FE_MK_STR;
  }
  if (one) return ops[0];
  if (!strs) return v;
  /* A choice: a new parameter of the join receives on each edge the index of its
   * string among the distinct ones, and one parameter per f-string field its value. */
  uint32_t *which = ir_alloc(fn->ctx, (n + 1) * sizeof *which), na = 0;
  IrRef *alts = ir_alloc(fn->ctx, (n + 1) * sizeof *alts), *sel = ir_alloc(fn->ctx, (n + 1) * sizeof *sel);
  for (e = 0; e < n; e++) {
    for (which[e] = 0; which[e] < na && alts[which[e]] != ops[e]; which[e]++) {}
    if (which[e] == na) alts[na++] = ops[e];
    sel[e] = ir_insert(fn, 0, 0, IR_CONST, IRT_INT, NULL, 0, line);   /* the entry block: above every edge */
    fn->vals[sel[e]].aux.v.i = which[e];
  }
  IrRef *cops = ir_alloc(fn->ctx, (na + 2) * sizeof *cops);
  cops[0] = fe_ssa_param(s, pb, 0x70000000u + s->nparams, sel);
  for (uint32_t k = 0; k < na; k++) {
    uint32_t nf = fn->vals[alts[k]].nargs;
    IrRef *fields = ir_alloc(fn->ctx, (nf + 1) * sizeof *fields);
    for (uint32_t f = 0; f < nf; f++) {
      IrRef *fops = ir_alloc(fn->ctx, (n + 1) * sizeof *fops);
      for (e = 0; e < n; e++) fops[e] = which[e] == k ? fn->vals[alts[k]].args[f] : s->undef;
      fields[f] = fe_ssa_param(s, pb, 0x70000000u + s->nparams, fops);
    }
    cops[1 + k] = marker(fn, at, tag_str, fn->vals[alts[k]].aux.v.s, fields, nf, line);
  }
  return marker(fn, at, tag_choice, "", cops, na + 1, line);
}

IrRef fe_join_marker(FeSsa *s, IrBlk b, IrRef v, int32_t line)
{
  return join_marker(s, b, v, line, 0);
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

/* Exception marker 'exc' with argument 'i' replaced by 'a', in block 'b'. */
static IrRef with_arg(IrFunc *fn, IrBlk b, IrRef exc, uint32_t i, IrRef a, int32_t line)
{
  uint32_t n = fn->vals[exc].nargs;
  IrRef *args = ir_alloc(fn->ctx, (n + 1) * sizeof *args);
  memcpy(args, fn->vals[exc].args, n * sizeof *args);
  args[i] = a;
  return marker(fn, b, tag_exc, fn->vals[exc].aux.v.s, args, n, line);
}

void fe_raise(FeSsa *s, IrBlk b, IrRef exc, IrRef cause, int32_t line)
{
  IrFunc *fn = s->fn;
  const IrVal *c = cause ? &fn->vals[cause] : NULL;
  if (c && (c->op != IR_CONST || c->type != IRT_NONE || c->aux.s))
    refuse(fn, line, "`raise ... from` a cause other than None is not supported");
  exc = fe_join_marker(s, b, exc, line);
  FeMarker m = fe_is_marker(fn, exc);
  if (m != FE_MK_CLASS && m != FE_MK_EXC)
    refuse(fn, line, "raise of a value that is not a builtin exception class or a call of one is not supported");
  for (uint32_t i = 0; m == FE_MK_EXC && i < fn->vals[exc].nargs; i++) {
    IrRef ch = fn->vals[exc].args[i];
    if (fe_is_marker(fn, ch) != FE_MK_CHOICE) continue;
    uint32_t na = fn->vals[ch].nargs - 1;   /* a raise per string, chosen by the join's index */
    for (uint32_t k = 0; k + 1 < na; k++) {
      IrRef kc = ir_const_int(fn, b, IRT_INT, k, line);
      IrRef eq = ir_emit(fn, b, IR_EQ, IRT_ANY, (IrRef[]){fn->vals[ch].args[0], kc}, 2, line);
      IrBlk r = ir_block_new(fn), rest = ir_block_new(fn);
      fe_ssa_addblock(s, r, b);
      fe_ssa_addblock(s, rest, b);
      ir_cbr(fn, b, eq, r, NULL, 0, rest, NULL, 0, line);
      fe_raise(s, r, with_arg(fn, r, exc, i, fn->vals[ch].args[1 + k], line), cause, line);
      b = rest;
    }
    fe_raise(s, b, with_arg(fn, b, exc, i, fn->vals[ch].args[na], line), cause, line);
    return;
  }
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
    if (fe_is_marker(fn, r) == FE_MK_CHOICE) u = NULL;   /* a join of strings */
    else if (fn->vals[r].nargs) ir_error(fn->ctx, EM_ERR_CONSTRUCT, line, "f-strings outside raise statements");
    ir_errorf(fn->ctx, EM_ERR_CONSTRUCT, line, "str values in `%s%s%s` (only ==, !=, in, len, int, float and "   /* strlit.c */
              "truth tests of str literals compile)", u ? ir_opinfo[u->op].text : "a join of branches",
              u && u->op == IR_ATTR ? " " : "", u && u->op == IR_ATTR ? u->aux.v.s : "");
  }
}

/* Drop the parameters nothing uses that a marker enters (a string joined after a
 * branch that raises through fe_join_marker's choice), with their branch arguments. */
static void drop_joined(IrFunc *fn)
{
  uint8_t *used = ir_alloc(fn->ctx, fn->nvals + 1);
  IR_FOREACH_BLOCK(fn, b)
    for (uint32_t i = 0; i < fn->blocks[b].ninsts; i++) {
      const IrVal *v = &fn->vals[fn->blocks[b].insts[i]];
      for (uint32_t a = 0; a < v->nargs; a++) used[v->args[a]] = 1;
      for (uint32_t s = 0; s < v->nsucc; s++)
        for (uint32_t a = 0; a < v->succ[s].nargs; a++) used[v->succ[s].args[a]] = 1;
    }
  IR_FOREACH_BLOCK(fn, p) {
    IrRef t = ir_block_term(fn, p);
    for (uint32_t s = 0; t && s < fn->vals[t].nsucc; s++) {
      const IrSucc *sc = &fn->vals[t].succ[s];
      for (uint32_t a = sc->nargs; a-- > 0;)
        if (fe_is_marker(fn, sc->args[a]) && !used[fn->blocks[sc->blk].params[a]]) ir_block_param_remove(fn, sc->blk, a);
    }
  }
}

void fe_check_markers(IrFunc *fn)
{
  drop_joined(fn);
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
