/* frontend/strlit.c: str literals, decided at compile time.
 *
 * A str constant of the code ("sum") and a str argument (FeCode.strargs: the
 * dispatcher compiles one signature per distinct text, as Numba's literal
 * dispatch of strings does) are raise.c's str markers.  After SSA has put the
 * marker itself wherever its variable is read (fe_ssa_finish), fe_str_fold
 * rewrites in place what a program asks of them into constants:
 *   s == t, s != t        two str markers, by their text; a str and a number
 *                         or None constant are unequal;
 *   s is None, is not
 *   x in ("a", "b")       lists.c's chain of == and |, folded with it;
 *   t in s                CPython's substring test of two literals;
 *   bool(s), not s, if s  the text is not empty;
 *   len(s)                its code points;
 *   int(s), float(s)      CPython's parse of the text (base 10, whitespace,
 *                         sign and underscores between digits; inf and nan);
 * and the |, &, not and truth of the bool constants that makes, so the
 * normal form drops the branches not taken.  A literal compared (==, !=)
 * with a value only infer knows (`a.dtype.kind == "f"`), returned, put in
 * a tuple, passed to an ember.jit function or tested by `in` (`a.dtype.kind in "iu"`)
 * becomes a constant of type
 * str"text" there (infer compares them: passes/infer_breadth.c; the callee
 * compiles for that literal, the caller gets the Python str).  A use it leaves (indexing, a
 * method, `+`, a str an int() refuses) is raise.c's error naming the
 * construct.  Markers whose only users were folded, and constant tuples of
 * them nothing reads any more, become NOPs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fe.h"

#define V(r) (&fn->vals[r])

/* Is 'r' a str constant (a marker without f-string fields)? */
static bool is_lit(IrFunc *fn, IrRef r)
{
  return fe_is_marker(fn, r) == FE_MK_STR && V(r)->nargs == 0;
}

static bool is_kbool(IrFunc *fn, IrRef r)
{
  return r && V(r)->op == IR_CONST && V(r)->type == IRT_BOOL;
}

/* Is 'r' a number or None constant (not undef, the null mark)? */
static bool is_knum(IrFunc *fn, IrRef r)
{
  const IrVal *v = V(r);
  return r && v->op == IR_CONST && !v->aux.s && (v->type == IRT_NONE || ir_type_is_num(fn->ctx, v->type));
}

/* Text 's' in raise.c's escaped notation as its bytes into 'out' (as long). */
static void unescape(const char *s, char *out)
{
  while (*s) {
    if (s[0] == '\\' && s[1] == 'x' && isxdigit((unsigned char)s[2]) && isxdigit((unsigned char)s[3])) {
      char h[3] = {s[2], s[3], 0};
      *out++ = (char)strtol(h, NULL, 16);
      s += 4;
    } else if (s[0] == '\\' && s[1]) *out++ = s[1], s += 2;
    else *out++ = *s++;
  }
  *out = 0;
}

/* The bytes of literal 'r'. */
static char *text(IrFunc *fn, IrRef r)
{
  const char *e = V(r)->aux.v.s;
  char *t = ir_alloc(fn->ctx, strlen(e) + 1);
  unescape(e, t);
  return t;
}

/* Code points of UTF-8 text 's'. */
static int64_t codepoints(const char *s)
{
  int64_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xc0) != 0x80;
  return n;
}

/* 's' without Python's leading and trailing (ASCII) whitespace, in place. */
static char *strip(char *s)
{
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
  return s;
}

/* Digits at '*p' with single underscores between them, copied to '*d'; false if none. */
static bool digits(const char **p, char **d)
{
  if (!isdigit((unsigned char)**p)) return false;
  while (isdigit((unsigned char)**p) || (**p == '_' && isdigit((unsigned char)(*p)[1]))) {
    if (**p != '_') *(*d)++ = **p;
    (*p)++;
  }
  return true;
}

/* int(s) of base 10 into '*out'; false where CPython raises or the value passes int64. */
static bool parse_int(char *s, int64_t *out)
{
  const char *p = strip(s);
  char buf[64], *d = buf;
  if (*p == '+' || *p == '-') *d++ = *p++;
  if (strlen(p) > 40 || !digits(&p, &d) || *p) return false;
  *d = 0;
  char *end;
  errno = 0;
  long long v = strtoll(buf, &end, 10);
  if (errno || *end) return false;
  *out = v;
  return true;
}

/* float(s) into '*out'; false where CPython raises. */
static bool parse_float(IrCtx *ctx, char *s, double *out)
{
  const char *p = strip(s);
  char *buf = ir_alloc(ctx, strlen(p) + 2), *d = buf;
  if (*p == '+' || *p == '-') *d++ = *p++;
  bool ok;
  if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity") || !strcasecmp(p, "nan")) {
    strcpy(d, p);
    ok = true;
  } else {
    bool whole = digits(&p, &d), frac = false;
    if (*p == '.') *d++ = *p++, frac = digits(&p, &d);
    ok = whole || frac;
    if (ok && (*p == 'e' || *p == 'E')) {
      *d++ = *p++;
      if (*p == '+' || *p == '-') *d++ = *p++;
      ok = digits(&p, &d);
    }
    ok = ok && !*p;
    *d = 0;
  }
  if (ok) *out = strtod(buf, NULL);
  return ok;
}

/* Rewrite 'v' into a constant of type 't'. */
static void to_const(IrVal *v, IrType t, IrAuxVal k)
{
  v->op = IR_CONST;
  v->type = t;
  v->nargs = 0;
  v->aux = (IrAux){.v = k};
}

static void to_bool(IrVal *v, bool k) { to_const(v, IRT_BOOL, (IrAuxVal){.i = k}); }

/* The builtin 'r' names, or NULL. */
static const char *builtin(IrFunc *fn, IrRef r)
{
  return V(r)->op == IR_BUILTIN ? V(r)->aux.v.s : NULL;
}

/* Is 'f' the builtin of `x in s` or `x not in s`? */
static bool is_contains(const char *f)
{
  return f && (!strcmp(f, "operator.contains") || !strcmp(f, "operator.not_contains"));
}

/* int(s), float(s) or len(s) of literal call 'v', or `t in s` of two literals; true if folded. */
static bool fold_call(IrFunc *fn, IrVal *v)
{
  if (v->nargs == 3 && !v->aux.nkw && is_lit(fn, v->args[1]) && is_lit(fn, v->args[2]) &&
      is_contains(builtin(fn, v->args[0]))) {
    bool in = strstr(text(fn, v->args[1]), text(fn, v->args[2])) != NULL;
    to_bool(v, in == !strcmp(builtin(fn, v->args[0]), "operator.contains"));
    return true;
  }
  if (v->nargs != 2 || v->aux.nkw || !is_lit(fn, v->args[1])) return false;
  const char *f = builtin(fn, v->args[0]);
  if (!f) return false;
  char *s = text(fn, v->args[1]);
  int64_t i;
  double x;
  if (!strcmp(f, "len")) to_const(v, IRT_INT, (IrAuxVal){.i = codepoints(s)});
  else if (!strcmp(f, "int") && parse_int(s, &i)) to_const(v, IRT_INT, (IrAuxVal){.i = i});
  else if (!strcmp(f, "float") && parse_float(fn->ctx, s, &x)) to_const(v, IRT_F64, (IrAuxVal){.f = x});
  else if (!strcmp(f, "bool")) to_bool(v, *s != 0);
  else return false;
  return true;
}

/* Fold value 'v' if its operands allow; true if it changed. */
static bool fold(IrFunc *fn, IrVal *v)
{
  IrRef a = v->nargs > 0 ? v->args[0] : 0, b = v->nargs > 1 ? v->args[1] : 0;
  switch (v->op) {
  case IR_EQ: case IR_NE: case IR_IS: case IR_ISNOT: {
    bool eq = v->op == IR_EQ || v->op == IR_IS;
    if (is_lit(fn, a) && is_lit(fn, b)) {
      if (v->op == IR_IS || v->op == IR_ISNOT) return false;   /* identity of str objects: CPython's business */
      to_bool(v, !strcmp(V(a)->aux.v.s, V(b)->aux.v.s) == eq);
    } else if ((is_lit(fn, a) && is_knum(fn, b)) || (is_knum(fn, a) && is_lit(fn, b))) to_bool(v, !eq);
    else return false;
    return true;
  }
  case IR_TRUTH: case IR_NOT:
    if (is_lit(fn, a)) to_bool(v, (V(a)->aux.v.s[0] != 0) == (v->op == IR_TRUTH));
    else if (is_kbool(fn, a)) to_bool(v, (V(a)->aux.v.i != 0) == (v->op == IR_TRUTH));
    else return false;
    return true;
  case IR_BOR: case IR_BAND:
    if (!is_kbool(fn, a) || !is_kbool(fn, b)) return false;
    to_bool(v, v->op == IR_BOR ? (V(a)->aux.v.i | V(b)->aux.v.i) : (V(a)->aux.v.i & V(b)->aux.v.i));
    return true;
  case IR_CALL: return fold_call(fn, v);
  default: return false;
  }
}

/* Count the uses of each value into 'nuse' (fn->nvals entries). */
static void count_uses(IrFunc *fn, uint32_t *nuse)
{
  memset(nuse, 0, fn->nvals * sizeof *nuse);
  for (IrBlk b = 0; b < fn->nblocks; b++) {
    const IrBlock *bk = &fn->blocks[b];
    if (bk->dead) continue;
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      const IrVal *v = V(bk->insts[i]);
      if (v->op == IR_NOP) continue;
      for (uint32_t k = 0; k < v->nargs; k++) nuse[v->args[k]]++;
      for (uint32_t s = 0; s < v->nsucc; s++)
        for (uint32_t k = 0; k < v->succ[s].nargs; k++) nuse[v->succ[s].args[k]]++;
    }
  }
}

/* Does constant tuple 'r' hold a str marker (to any depth)? */
static bool holds_str(IrFunc *fn, IrRef r, int depth)
{
  if (is_lit(fn, r)) return true;
  if (V(r)->op != IR_TUPLE || V(r)->aux.s || depth > 64) return false;
  for (uint32_t i = 0; i < V(r)->nargs; i++)
    if (holds_str(fn, V(r)->args[i], depth + 1)) return true;
  return false;
}

/* Unused tuples that hold str markers (`x in ("a", "b")` read their items) become NOPs. */
static void drop_tuples(IrFunc *fn)
{
  uint32_t *nuse = ir_alloc(fn->ctx, fn->nvals * sizeof *nuse);
  for (bool again = true; again;) {
    again = false;
    count_uses(fn, nuse);
    for (IrRef r = 1; r < fn->nvals; r++)
      if (!nuse[r] && V(r)->op == IR_TUPLE && !V(r)->aux.s && holds_str(fn, r, 0)) {
        V(r)->op = IR_NOP, V(r)->nargs = 0;
        again = true;
      }
  }
}

/* Does 'u' take str literals as values infer types: == and != left after
 * folding, a return, a tuple (not a marker), a call of an ember.jit function? */
static bool takes_str(IrFunc *fn, const IrVal *u)
{
  switch (u->op) {
  case IR_EQ: case IR_NE: case IR_RET: return true;
  case IR_TUPLE: return !u->aux.s;
  case IR_CALL: return V(u->args[0])->op == IR_FUNCREF || is_contains(builtin(fn, u->args[0]));
  default: return false;
  }
}

/* The literal operands of those become `const str"text"` values. */
static void lift(IrFunc *fn)
{
  for (IrBlk b = 0; b < fn->nblocks; b++) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; !bk->dead && i < bk->ninsts; i++) {
      IrRef u = bk->insts[i];
      if (!takes_str(fn, V(u))) continue;
      for (uint32_t k = V(u)->op == IR_CALL; k < V(u)->nargs; k++) {
        if (!is_lit(fn, V(u)->args[k])) continue;
        char *t = text(fn, V(u)->args[k]);
        IrRef c = ir_insert(fn, b, i++, IR_CONST, ir_type_str(fn->ctx, t), NULL, 0, V(u)->line);
        V(c)->aux.v.s = t;
        V(u)->args[k] = c;
      }
      bk = &fn->blocks[b];
    }
  }
}

void fe_str_fold(IrFunc *fn)
{
  for (bool again = true; again;) {
    again = false;
    for (IrBlk b = 0; b < fn->nblocks; b++) {
      const IrBlock *bk = &fn->blocks[b];
      if (bk->dead) continue;
      for (uint32_t i = 0; i < bk->ninsts; i++) again |= fold(fn, V(bk->insts[i]));
    }
  }
  lift(fn);
  drop_tuples(fn);
}

#undef V
