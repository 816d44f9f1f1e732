/* ir/parse.c: read the IR text form back (print.c writes it).
 *
 *   file   = { func }
 *   func   = "func" "@" name "(" [type {"," type}] ")" "->" type "{" {block} "}"
 *   block  = "@" N ["(" "%" N ":" type {"," "%" N ":" type} ")"] ":" {inst}
 *   inst   = ["%" N ":" type "="] op body            one per line
 *   body   depends on op (see putbody in print.c); successors are "@" N ["(" refs ")"]
 *   ";" starts a comment to the end of the line; "; !N" sets the line of the instruction.
 *
 * Values are numbered anew: a pre-scan of each function assigns value
 * indices in text order (block parameters and instructions, one value per
 * instruction line), so uses may precede definitions (loops).  Errors are
 * "file:line:col: message" in ctx->errmsg and ir_parse returns -1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

typedef struct { int64_t key; uint32_t val; } Pair;

typedef struct {
  IrCtx *ctx;
  const char *file, *src, *p;
  int line;
  const char *linestart;
  IrFunc *fn;
  Pair *vals; uint32_t nvals;      /* text number -> value index */
  Pair *blks; uint32_t nblks;      /* text label -> block index */
} Parser;

_Noreturn static void perr(Parser *ps, const char *fmt, ...)
{
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  ir_errorf(ps->ctx, EM_ERR_PARSE, ps->line, "%s:%d:%d: %s", ps->file, ps->line,
            (int)(ps->p - ps->linestart) + 1, msg);
}

/* Skip blanks, not comments or newlines. */
static void blank(Parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r') ps->p++;
}

/* Skip blanks, comments and newlines. */
static void space(Parser *ps)
{
  for (;;) {
    blank(ps);
    if (*ps->p == ';') { while (*ps->p && *ps->p != '\n') ps->p++; continue; }
    if (*ps->p == '\n') { ps->p++; ps->line++; ps->linestart = ps->p; continue; }
    return;
  }
}

static bool accept(Parser *ps, const char *tok)
{
  blank(ps);
  size_t n = strlen(tok);
  if (strncmp(ps->p, tok, n)) return false;
  ps->p += n;
  return true;
}

static void expect(Parser *ps, const char *tok)
{
  if (!accept(ps, tok)) perr(ps, "expected '%s'", tok);
}

static int64_t integer(Parser *ps)
{
  blank(ps);
  char *end;
  errno = 0;
  long long v = strtoll(ps->p, &end, 10);
  if (end == ps->p || errno) perr(ps, "expected an integer");
  ps->p = end;
  return v;
}

static double number(Parser *ps)
{
  blank(ps);
  char *end;
  double d = strtod(ps->p, &end);
  if (end == ps->p) perr(ps, "expected a number");
  ps->p = end;
  return d;
}

/* A quoted string with \" and \\ escapes, or a bare name. */
static const char *string(Parser *ps)
{
  blank(ps);
  if (*ps->p != '"') {
    const char *s = ps->p;
    while (isalnum((unsigned char)*ps->p) || strchr("_.<>", *ps->p)) ps->p++;
    if (s == ps->p) perr(ps, "expected a name or string");
    return ir_strndup(ps->ctx, s, ps->p - s);
  }
  ps->p++;
  char *buf = ir_alloc(ps->ctx, strlen(ps->p) + 1), *d = buf;
  while (*ps->p != '"') {
    if (!*ps->p || *ps->p == '\n') perr(ps, "unterminated string");
    if (*ps->p == '\\' && ps->p[1]) ps->p++;
    *d++ = *ps->p++;
  }
  ps->p++;
  return buf;
}

static IrType type(Parser *ps)
{
  blank(ps);
  IrType t = ir_type_parse(ps->ctx, &ps->p);
  if (t == IRT_VOID) perr(ps, "expected a type");
  return t;
}

static uint32_t lookup(Pair *a, uint32_t n, int64_t key, bool *found)
{
  for (uint32_t i = 0; i < n; i++)
    if (a[i].key == key) { *found = true; return a[i].val; }
  *found = false;
  return 0;
}

static IrRef ref(Parser *ps)
{
  expect(ps, "%");
  int64_t k = integer(ps);
  bool found;
  IrRef r = lookup(ps->vals, ps->nvals, k, &found);
  if (!found) perr(ps, "value %%%lld is not defined", (long long)k);
  return r;
}

static IrBlk label(Parser *ps)
{
  expect(ps, "@");
  int64_t k = integer(ps);
  bool found;
  IrBlk b = lookup(ps->blks, ps->nblks, k, &found);
  if (!found) perr(ps, "block @%lld is not defined", (long long)k);
  return b;
}

/* -- Pre-scan: number values and blocks of one function ------------------ */

static void add(IrCtx *ctx, Pair **a, uint32_t *n, int64_t key, uint32_t val)
{
  if ((*n & (*n - 1)) == 0)  /* grow at powers of two */
    *a = ir_realloc(ctx, *a, *n * sizeof **a, (*n ? 2 * *n : 1) * sizeof **a);
  (*a)[(*n)++] = (Pair){key, val};
}

/* Walk lines from 'p' up to the closing "}" and fill the maps. */
static void prescan(Parser *ps, const char *p)
{
  uint32_t nextval = 1, nextblk = 0;
  ps->nvals = ps->nblks = 0;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    const char *eol = strchr(p, '\n');
    if (!eol) eol = p + strlen(p);
    if (*p == '}') return;
    if (*p == '@') {
      add(ps->ctx, &ps->blks, &ps->nblks, strtoll(p + 1, NULL, 10), nextblk++);
      for (const char *q = p; q < eol && *q != ';'; q++)
        if (*q == '%') add(ps->ctx, &ps->vals, &ps->nvals, strtoll(q + 1, NULL, 10), nextval++);
    } else if (*p && *p != ';' && *p != '\n') {
      if (*p == '%') add(ps->ctx, &ps->vals, &ps->nvals, strtoll(p + 1, NULL, 10), nextval);
      nextval++;
    }
    p = *eol ? eol + 1 : eol;
  }
}

/* -- Instructions ---------------------------------------------------------- */

static IrOp opcode(Parser *ps)
{
  blank(ps);
  const char *s = ps->p;
  while (isalpha((unsigned char)*ps->p)) ps->p++;
  for (int op = 0; op < IR__COUNT; op++)
    if (strlen(ir_opinfo[op].text) == (size_t)(ps->p - s) && !strncmp(ir_opinfo[op].text, s, ps->p - s))
      return (IrOp)op;
  ps->p = s;
  perr(ps, "unknown operation");
}

static int named(Parser *ps, const char *(*namefn)(int), int count, const char *what)
{
  const char *s = string(ps);
  for (int i = 0; i < count; i++)
    if (!strcmp(namefn(i), s)) return i;
  perr(ps, "unknown %s '%s'", what, s);
}

/* Comma-separated refs until the end of the line content. */
static uint32_t refs(Parser *ps, IrRef *out, uint32_t max, bool lead)
{
  uint32_t n = 0;
  blank(ps);
  if (lead && !accept(ps, ",")) return 0;
  blank(ps);
  while (*ps->p == '%') {
    if (n == max) perr(ps, "too many operands");
    out[n++] = ref(ps);
    if (!accept(ps, ",")) break;
    blank(ps);
  }
  return n;
}

static void succ(Parser *ps, IrSucc *s)
{
  s->blk = label(ps);
  if (!accept(ps, "(")) return;
  IrRef a[1024];
  s->nargs = refs(ps, a, 1024, false);
  expect(ps, ")");
  s->args = ir_alloc(ps->ctx, (s->nargs ? s->nargs : 1) * sizeof(IrRef));
  memcpy(s->args, a, s->nargs * sizeof(IrRef));
}

static void constant(Parser *ps, IrVal *v)
{
  IrKind k = ir_type_info(ps->ctx, v->type)->kind;
  if (k == IRK_FLOAT) v->aux.v.f = number(ps);
  else if (k == IRK_COMPLEX) { v->aux.v.c[0] = number(ps); expect(ps, ","); v->aux.v.c[1] = number(ps); }
  else if (k == IRK_ANY) { expect(ps, "undef"); v->aux.v.s = "undef"; }
  else if (k == IRK_STR) v->aux.v.s = ir_type_info(ps->ctx, v->type)->text;
  else if (k != IRK_NONE && k != IRK_ELLIPSIS) v->aux.v.i = integer(ps);
}

static void keywords(Parser *ps, IrVal *v)
{
  if (!accept(ps, "kw(")) return;
  const char *kw[256];
  while (!accept(ps, ")")) {
    if (v->aux.nkw == 256) perr(ps, "too many keywords");
    kw[v->aux.nkw++] = string(ps);
    accept(ps, ",");
  }
  v->aux.kw = ir_alloc(ps->ctx, v->aux.nkw * sizeof(char *));
  memcpy(v->aux.kw, kw, v->aux.nkw * sizeof(char *));
}

/* Parse the body of 'op' into a new instruction of block 'b'. */
static void inst(Parser *ps, IrBlk b, IrType t, bool named_def)
{
  IrOp op = opcode(ps);
  IrRef args[1024];
  uint32_t n = 0;
  IrAux aux = {0};
  uint8_t nsucc = 0;
  IrSucc sc[2] = {{0}};
  switch (op) {
  case IR_CONST: break;
  case IR_GLOBAL: case IR_BUILTIN: case IR_MODREF: aux.v.s = string(ps); break;
  case IR_FUNCREF: aux.v.i = integer(ps); aux.s = string(ps); break;
  case IR_ATTR: args[n++] = ref(ps); expect(ps, ","); aux.v.s = string(ps); break;
  case IR_EXTRACT: args[n++] = ref(ps); expect(ps, ","); aux.v.i = integer(ps); break;
  case IR_GUARD:   /* guard %bad, kind[, %payload...] */
    args[n++] = ref(ps);
    expect(ps, ",");
    aux.v.i = named(ps, ir_rterr_name, RT__COUNT, "runtime error");
    n += refs(ps, args + n, 1023, true);
    break;
  case IR_ASHAPE: case IR_ASTRIDE: case IR_BOUNDS:   /* refs() takes the comma before the axis */
    n = refs(ps, args, 1024, false); aux.v.i = integer(ps); break;
  case IR_ACONST: aux.v.i = integer(ps); n = refs(ps, args, 1024, true); break;
  case IR_INTRIN: aux.v.i = named(ps, ir_intrin_name, IN__COUNT, "intrinsic"); n = refs(ps, args, 1024, true); break;
  case IR_CALLFN: case IR_EW: aux.v.s = aux.s = string(ps);   /* callfn: the text names the library function too */ n = refs(ps, args, 1024, true); break;
  case IR_PRINT: aux.s = string(ps); n = refs(ps, args, 1024, true); break;   /* print "text"[, %value...] */
  case IR_RAISE:   /* raise kind[, "text"][, %value...] */
    aux.v.i = named(ps, ir_rterr_name, RT__COUNT, "runtime error");
    if (!accept(ps, ",")) break;
    blank(ps);
    if (*ps->p != '%') {
      aux.s = string(ps);
      n = refs(ps, args, 1024, true);
    } else n = refs(ps, args, 1024, false);
    break;
  case IR_BR: succ(ps, &sc[0]); nsucc = 1; break;
  case IR_CBR: args[n++] = ref(ps); expect(ps, ","); succ(ps, &sc[0]); expect(ps, ","); succ(ps, &sc[1]); nsucc = 2; break;
  default:
    n = refs(ps, args, 1024, false);
    if (op >= IR_ADD && op <= IR_BXOR && accept(ps, "inplace")) aux.v.i = 1;
    if (((op >= IR_ADD && op <= IR_BXOR) || op == IR_CVT) && accept(ps, "numpy")) aux.v.i |= IR_AUX_NUMPY;
    if (op == IR_AALLOC && accept(ps, "zeroed")) aux.v.i = 1;
    if ((op == IR_LGET || op == IR_LSET) && accept(ps, "checked")) aux.v.i = 1;
    break;
  }
  if ((ir_opinfo[op].flags & IRF_TERM) && named_def) perr(ps, "a terminator defines no value");
  IrRef r = ir_emit(ps->fn, b, op, t, args, n, 0);
  IrVal *v = &ps->fn->vals[r];
  v->aux = aux;
  if (op == IR_CONST) constant(ps, v);
  if (op == IR_CALL) keywords(ps, v);
  if (nsucc) {
    v->nsucc = nsucc;
    v->succ = ir_alloc(ps->ctx, nsucc * sizeof(IrSucc));
    memcpy(v->succ, sc, nsucc * sizeof(IrSucc));
  }
  blank(ps);
  if (accept(ps, "; !")) v->line = (int32_t)integer(ps);
  if (v->line > 0 && !ps->fn->blocks[b].line) ps->fn->blocks[b].line = v->line;
  space(ps);
}

/* block = "@" N ["(" params ")"] ":" {inst} */
static void block(Parser *ps)
{
  IrBlk b = ir_block_new(ps->fn);
  expect(ps, "@");
  integer(ps);
  if (accept(ps, "(")) {
    while (!accept(ps, ")")) {
      expect(ps, "%");
      integer(ps);
      expect(ps, ":");
      ir_block_param(ps->fn, b, type(ps));
      accept(ps, ",");
    }
  }
  expect(ps, ":");
  space(ps);
  while (*ps->p && *ps->p != '@' && *ps->p != '}') {
    IrType t = IRT_VOID;
    bool def = false;
    if (*ps->p == '%') {
      ref(ps);  /* numbered by the pre-scan */
      expect(ps, ":");
      t = type(ps);
      expect(ps, "=");
      def = true;
    }
    inst(ps, b, t, def);
  }
}

/* func = "func" "@" name "(" types ")" "->" type "{" {block} "}" */
static IrFunc *func(Parser *ps)
{
  expect(ps, "func");
  expect(ps, "@");
  const char *name = string(ps);
  IrFunc *fn = ir_func_new(ps->ctx, name, ps->file, ps->line);
  ps->fn = fn;
  expect(ps, "(");
  while (!accept(ps, ")")) { type(ps); accept(ps, ","); }  /* repeated by block 0's header */
  expect(ps, "->");
  fn->ret = type(ps);
  expect(ps, "{");
  space(ps);
  prescan(ps, ps->p);
  while (*ps->p == '@') block(ps);
  expect(ps, "}");
  space(ps);
  return fn;
}

typedef struct { Parser *ps; IrFunc **fns; int n; } Job;

static void parse_all(IrCtx *ctx, void *arg)
{
  Job *job = arg;
  Parser *ps = job->ps;
  space(ps);
  int cap = 0;
  while (*ps->p) {
    if (job->n == cap) {
      job->fns = ir_realloc(ctx, job->fns, cap * sizeof(IrFunc *), (cap ? 2 * cap : 4) * sizeof(IrFunc *));
      cap = cap ? 2 * cap : 4;
    }
    job->fns[job->n++] = func(ps);
  }
}

int ir_parse(IrCtx *ctx, const char *text, const char *file, IrFunc ***fns)
{
  Parser ps = {.ctx = ctx, .file = file ? file : "<ir>", .src = text, .p = text, .line = 1, .linestart = text};
  Job job = {&ps, NULL, 0};
  if (ir_ctx_run(ctx, parse_all, &job) != EM_ERR_OK) return -1;
  *fns = job.fns;
  return job.n;
}
