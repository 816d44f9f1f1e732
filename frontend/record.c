/* frontend/record.c: the bytecode fixture format (tests/frontend/fixtures/).
 *
 * tools/record_fixtures.py writes one text record per code object; its
 * docstring gives the grammar.  fe_record_parse reads it back into an FeCode
 * (arena memory) plus the recorded global resolutions, which
 * fe_record_global serves as an FeResolver.  The parser never reads past the
 * text's NUL and caps every count by the text left, so fuzzed records give
 * NULL with ctx->errmsg set, never a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "fe.h"

typedef struct {
  FeCode code;        /* first: fe_record_global casts back */
  uint32_t nglobals;
  const char **gnames;
  FeGlobal *globals;
} FeRecord;

typedef struct {
  IrCtx *ctx;
  const char *p;      /* cursor in the NUL-terminated text */
  size_t left;        /* bytes left from p */
  bool bad;
} Rd;

static void fail(Rd *r, const char *what)
{
  if (!r->bad) snprintf(r->ctx->errmsg, sizeof r->ctx->errmsg, "bad record: %s", what);
  r->bad = true;
}

static void adv(Rd *r, size_t n) { r->p += n; r->left -= n; }

static void skipsp(Rd *r)
{
  while (*r->p == ' ' || *r->p == '\t' || *r->p == '\r') adv(r, 1);
}

/* The next whitespace-delimited word (arena copy), "" at end of line. */
static char *word(Rd *r)
{
  skipsp(r);
  size_t n = 0;
  while (r->p[n] && r->p[n] != ' ' && r->p[n] != '\t' && r->p[n] != '\n' && r->p[n] != '\r') n++;
  char *w = ir_strndup(r->ctx, r->p, n);
  adv(r, n);
  return w;
}

static void endline(Rd *r)
{
  skipsp(r);
  if (*r->p == '\n') adv(r, 1);
  else if (*r->p) fail(r, "junk at end of line");
}

static int64_t integer(Rd *r)
{
  char *w = word(r), *end;
  if (!*w) { fail(r, "missing number"); return 0; }
  long long v = strtoll(w, &end, 0);
  if (*end) fail(r, "bad number");
  return v;
}

static double real(Rd *r)
{
  char *w = word(r), *end;
  double v = strtod(w, &end);
  if (!*w || *end) fail(r, "bad float");
  return v;
}

/* A count, capped by the text left so allocations stay bounded. */
static uint32_t count(Rd *r)
{
  int64_t n = integer(r);
  if (n < 0 || (uint64_t)n > r->left + 1 || n > (1 << 24)) { fail(r, "bad count"); return 0; }
  return (uint32_t)n;
}

static void key(Rd *r, const char *k)
{
  char *w = word(r);
  if (strcmp(w, k)) fail(r, k);
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decode hex word 'w' ("-" = empty) into bytes; sets '*n'. */
static uint8_t *unhex(Rd *r, const char *w, uint32_t *n)
{
  size_t len = strlen(w);
  *n = 0;
  if (!strcmp(w, "-")) return NULL;
  if (len % 2) { fail(r, "odd hex"); return NULL; }
  uint8_t *b = ir_alloc(r->ctx, len / 2 + 1);
  for (size_t i = 0; i < len / 2; i++) {
    int hi = hexval(w[2 * i]), lo = hexval(w[2 * i + 1]);
    if (hi < 0 || lo < 0) { fail(r, "bad hex"); return NULL; }
    b[i] = (uint8_t)(hi << 4 | lo);
  }
  *n = (uint32_t)(len / 2);
  return b;
}

static int64_t field(Rd *r, const char *k)
{
  key(r, k);
  int64_t v = integer(r);
  endline(r);
  return v;
}

static const char *strfield(Rd *r, const char *k)
{
  key(r, k);
  char *w = word(r);
  endline(r);
  return w;
}

static void header(Rd *r, FeCode *c);
static void body(Rd *r, FeRecord *rec, int depth);

/* const = none | bool V | int V | bigint D | float H | complex H H | str HEX
 *       | tuple N {const} | code NAME [nested RECORD] | other TYPE */
static void constant(Rd *r, FeConst *c, int depth)
{
  char *k = word(r);
  if (depth > 32) { fail(r, "constants nested too deep"); return; }
  if (!strcmp(k, "none")) c->kind = FE_CONST_NONE;
  else if (!strcmp(k, "bool")) { c->kind = FE_CONST_BOOL; c->i = integer(r) != 0; }
  else if (!strcmp(k, "int")) { c->kind = FE_CONST_INT; c->i = integer(r); }
  else if (!strcmp(k, "bigint")) { c->kind = FE_CONST_BIGINT; c->s = word(r); }
  else if (!strcmp(k, "float")) { c->kind = FE_CONST_FLOAT; c->f = real(r); }
  else if (!strcmp(k, "complex")) { c->kind = FE_CONST_COMPLEX; c->f = real(r); c->im = real(r); }
  else if (!strcmp(k, "str")) {
    uint32_t n;
    c->kind = FE_CONST_STR;
    uint8_t *b = unhex(r, word(r), &n);
    c->s = b ? (const char *)b : "";
  } else if (!strcmp(k, "code")) {
    c->kind = FE_CONST_CODE;
    c->s = word(r);
    if (!strcmp(word(r), "nested")) {   /* the nested code object's record follows (frontend/nested.c) */
      endline(r);
      FeRecord *sub = ir_alloc(r->ctx, sizeof *sub);
      header(r, &sub->code);
      if (!r->bad) body(r, sub, depth + 1);
      c->code = r->bad ? NULL : &sub->code;
      return;
    }
  }
  else if (!strcmp(k, "other")) { c->kind = FE_CONST_OTHER; c->s = word(r); }
  else if (!strcmp(k, "tuple")) {
    c->kind = FE_CONST_TUPLE;
    c->n = count(r);
    endline(r);
    c->elems = ir_alloc(r->ctx, (c->n + 1) * sizeof *c->elems);
    for (uint32_t i = 0; i < c->n && !r->bad; i++) constant(r, &c->elems[i], depth + 1);
    return;
  } else fail(r, "unknown constant kind");
  endline(r);
}

/* global = NAME KIND [VALUE...] */
static void global(Rd *r, FeRecord *rec, uint32_t i)
{
  FeGlobal *g = &rec->globals[i];
  rec->gnames[i] = word(r);
  char *k = word(r);
  if (!strcmp(k, "int")) { g->kind = FE_G_INT; g->i = integer(r); }
  else if (!strcmp(k, "bigint")) { g->kind = FE_G_BIGINT; g->name = word(r); }
  else if (!strcmp(k, "float")) { g->kind = FE_G_FLOAT; g->f = real(r); }
  else if (!strcmp(k, "bool")) { g->kind = FE_G_BOOL; g->i = integer(r) != 0; }
  else if (!strcmp(k, "complex")) { g->kind = FE_G_COMPLEX; g->f = real(r); g->im = real(r); }
  else if (!strcmp(k, "none")) g->kind = FE_G_NONE;
  else if (!strcmp(k, "module")) { g->kind = FE_G_MODULE; g->name = word(r); }
  else if (!strcmp(k, "builtin")) { g->kind = FE_G_BUILTIN; g->name = word(r); }
  else if (!strcmp(k, "func")) { g->kind = FE_G_FUNC; g->id = integer(r); g->name = word(r); }
  else if (!strcmp(k, "exception")) { g->kind = FE_G_EXCEPTION; g->i = 1; g->name = word(r); }
  else if (!strcmp(k, "userexception")) { g->kind = FE_G_EXCEPTION; g->name = word(r); }
  else if (!strcmp(k, "unknown")) {
    g->kind = FE_G_UNKNOWN;
    char *w = word(r);
    g->what = strcmp(w, "-") ? w : NULL;
  } else fail(r, "unknown global kind");
  endline(r);
}

/* A section "KEY N" followed by N names, one a line. */
static const char **names(Rd *r, const char *k, uint32_t *n)
{
  key(r, k);
  *n = count(r);
  endline(r);
  const char **v = ir_alloc(r->ctx, (*n + 1) * sizeof *v);
  for (uint32_t i = 0; i < *n && !r->bad; i++) {
    v[i] = word(r);
    if (!*v[i]) fail(r, "empty name");
    endline(r);
  }
  return v;
}

static void header(Rd *r, FeCode *c)
{
  key(r, "ember-record");
  if (integer(r) != 1) fail(r, "version");
  endline(r);
  c->pyversion = (int)field(r, "pyversion");
  c->name = strfield(r, "name");
  c->qualname = strfield(r, "qualname");
  c->filename = strfield(r, "filename");
  c->firstlineno = (int32_t)field(r, "firstlineno");
  c->flags = (uint32_t)field(r, "flags");
  c->argcount = (uint32_t)field(r, "argcount");
  c->posonlyargcount = (uint32_t)field(r, "posonlyargcount");
  c->kwonlyargcount = (uint32_t)field(r, "kwonlyargcount");
  c->stacksize = (uint32_t)field(r, "stacksize");
  c->ncells = (uint32_t)field(r, "ncells");
  c->nfrees = (uint32_t)field(r, "nfrees");
}

static void body(Rd *r, FeRecord *rec, int depth)
{
  FeCode *c = &rec->code;
  key(r, "code");
  c->code = unhex(r, word(r), &c->codelen);
  endline(r);
  key(r, "lines");
  c->lines = ir_alloc(r->ctx, (c->codelen / 2 + 1) * sizeof *c->lines);
  for (uint32_t i = 0; i < c->codelen / 2 && !r->bad; i++) c->lines[i] = (int32_t)integer(r);
  endline(r);
  key(r, "exctable");
  c->exctable = unhex(r, word(r), &c->exctablelen);
  endline(r);
  key(r, "consts");
  c->nconsts = count(r);
  endline(r);
  c->consts = ir_alloc(r->ctx, (c->nconsts + 1) * sizeof *c->consts);
  for (uint32_t i = 0; i < c->nconsts && !r->bad; i++) constant(r, &c->consts[i], depth);
  c->names = names(r, "names", &c->nnames);
  c->localnames = names(r, "locals", &c->nlocals);
  key(r, "globals");
  rec->nglobals = count(r);
  endline(r);
  rec->gnames = ir_alloc(r->ctx, (rec->nglobals + 1) * sizeof *rec->gnames);
  rec->globals = ir_alloc(r->ctx, (rec->nglobals + 1) * sizeof *rec->globals);
  for (uint32_t i = 0; i < rec->nglobals && !r->bad; i++) global(r, rec, i);
  key(r, "end");
  if (depth) endline(r);
}

FeCode *fe_record_parse(IrCtx *ctx, const char *text)
{
  if (!text) return NULL;
  Rd r = {ctx, text, strlen(text), false};
  FeRecord *rec = ir_alloc(ctx, sizeof *rec);
  header(&r, &rec->code);
  if (!r.bad) body(&r, rec, 0);
  return r.bad ? NULL : &rec->code;
}

int fe_record_global(void *host, const char *name, FeGlobal *out)
{
  const FeRecord *rec = host;
  for (uint32_t i = 0; i < rec->nglobals; i++)
    if (!strcmp(rec->gnames[i], name)) { *out = rec->globals[i]; return 0; }
  memset(out, 0, sizeof *out);
  return -1;
}
