/* ir/print.c: the IR text form (see the grammar in parse.c).
 *
 * One line per block header and per instruction; live blocks in index
 * order, instructions in block order.  Every definition shows its type;
 * the source line follows as `; !N`.  Output parses back (parse.c) to the
 * same function up to value and block numbering.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

static const char *const rtnames[RT__COUNT] = {
#define RTERR(name, exc, fallback, msg) #name,
#include "rterrors.def"
#undef RTERR
};

static const char *const innames[IN__COUNT] = {
#define INTRIN(name, pyname, nargs, sig, libm) #name,
#include "intrin.def"
#undef INTRIN
};

const char *ir_rterr_name(int k) { return k >= 0 && k < RT__COUNT ? rtnames[k] : "?"; }
const char *ir_intrin_name(int k) { return k >= 0 && k < IN__COUNT ? innames[k] : "?"; }

/* Print a double so that strtod gives it back exactly, always with a '.' or exponent. */
static void putfloat(FILE *out, double d)
{
  if (isnan(d)) { fputs(signbit(d) ? "-nan" : "nan", out); return; }
  if (isinf(d)) { fputs(d < 0 ? "-inf" : "inf", out); return; }
  char buf[40];
  snprintf(buf, sizeof buf, "%.17g", d);
  fputs(buf, out);
  if (!strpbrk(buf, ".en")) fputs(".0", out);
}

static void putstr(FILE *out, const char *s)
{
  fputc('"', out);
  for (; s && *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void putname(FILE *out, const char *s)
{
  for (const char *p = s; *p; p++)
    if (!isalnum((unsigned char)*p) && !strchr("_.<>", *p)) { putstr(out, s); return; }
  fputs(s, out);
}

static void puttype(FILE *out, IrCtx *ctx, IrType t)
{
  char buf[256];
  fputs(ir_type_name(ctx, t, buf, sizeof buf), out);
}

/* Printed number of value 'r': dense, in print order (0 = not defined in a live block). */
typedef struct { uint32_t *num; } Names;

static void putref(FILE *out, const Names *nm, IrRef r)
{
  if (nm->num[r]) fprintf(out, "%%%u", nm->num[r]);
  else fprintf(out, "%%undefined.%u", r);  /* a use of a removed value: the verifier rejects it */
}

static void putrefs(FILE *out, const Names *nm, const IrRef *a, uint32_t n, bool lead)
{
  for (uint32_t i = 0; i < n; i++) {
    if (i || lead) fputs(", ", out);
    putref(out, nm, a[i]);
  }
}

static void putsucc(FILE *out, const Names *nm, const IrSucc *s)
{
  fprintf(out, "@%u", s->blk);
  if (!s->nargs) return;
  fputc('(', out);
  putrefs(out, nm, s->args, s->nargs, false);
  fputc(')', out);
}

static void putconst(FILE *out, IrFunc *fn, const IrVal *v)
{
  IrKind k = ir_type_info(fn->ctx, v->type)->kind;
  switch (k) {
  case IRK_FLOAT: fputc(' ', out); putfloat(out, v->aux.v.f); break;
  case IRK_COMPLEX:
    fputc(' ', out); putfloat(out, v->aux.v.c[0]);
    fputs(", ", out); putfloat(out, v->aux.v.c[1]);
    break;
  case IRK_NONE: case IRK_ELLIPSIS: break;
  case IRK_ANY: fputs(" undef", out); break;
  case IRK_STR: break;   /* the text is in the type */
  default: fprintf(out, " %lld", (long long)v->aux.v.i);
  }
}

/* The operands and aux of 'v' after its keyword. */
static void putbody(FILE *out, const Names *nm, IrFunc *fn, const IrVal *v)
{
  switch (v->op) {
  case IR_CONST: putconst(out, fn, v); return;
  case IR_GLOBAL: case IR_BUILTIN: case IR_MODREF:
    fputc(' ', out); putstr(out, v->aux.v.s); return;
  case IR_FUNCREF:
    fprintf(out, " %lld ", (long long)v->aux.v.i); putstr(out, v->aux.s); return;
  case IR_ATTR:
    fputc(' ', out); putrefs(out, nm, v->args, v->nargs, false); fputs(", ", out); putstr(out, v->aux.v.s); return;
  case IR_EXTRACT: case IR_ASHAPE: case IR_ASTRIDE: case IR_BOUNDS:   /* operands, then the index or axis */
    fputc(' ', out); putrefs(out, nm, v->args, v->nargs, false); fprintf(out, ", %lld", (long long)v->aux.v.i); return;
  case IR_INTRIN:
    fprintf(out, " %s", ir_intrin_name((int)v->aux.v.i)); putrefs(out, nm, v->args, v->nargs, true); return;
  case IR_CALLFN: case IR_EW:
    fputc(' ', out); putstr(out, v->aux.v.s); putrefs(out, nm, v->args, v->nargs, true); return;
  case IR_ACONST:   /* the address, then the shapes */
    fprintf(out, " %lld", (long long)v->aux.v.i); putrefs(out, nm, v->args, v->nargs, true); return;
  case IR_GUARD:
    fputc(' ', out); putref(out, nm, v->args[0]); fprintf(out, ", %s", ir_rterr_name((int)v->aux.v.i));
    putrefs(out, nm, v->args + 1, v->nargs - 1, true);   /* the payload */
    return;
  case IR_PRINT:   /* aux.s: the text (frontend/print.c), then the values */
    fputc(' ', out); putstr(out, v->aux.s ? v->aux.s : ""); putrefs(out, nm, v->args, v->nargs, true); return;
  case IR_RAISE:   /* aux.s: what it is about (the unbound local's name, USER's exception), then the values */
    fprintf(out, " %s", ir_rterr_name((int)v->aux.v.i));
    if (v->aux.s) { fputs(", ", out); putstr(out, v->aux.s); }
    putrefs(out, nm, v->args, v->nargs, true);
    return;
  default: break;
  }
  if (v->nargs) fputc(' ', out);
  putrefs(out, nm, v->args, v->nargs, false);
  if (v->op >= IR_ADD && v->op <= IR_BXOR && (v->aux.v.i & 1)) fputs(" inplace", out);  /* from x op= y */
  if (((v->op >= IR_ADD && v->op <= IR_BXOR) || v->op == IR_CVT) && (v->aux.v.i & IR_AUX_NUMPY)) fputs(" numpy", out);
  if (v->op == IR_AALLOC && v->aux.v.i == 1) fputs(" zeroed", out);                   /* np.zeros */
  if ((v->op == IR_LGET || v->op == IR_LSET) && v->aux.v.i == 1) fputs(" checked", out);   /* IndexError */
  if (v->op == IR_CALL && v->aux.nkw) {
    fputs(" kw(", out);
    for (uint32_t i = 0; i < v->aux.nkw; i++) {
      if (i) fputs(", ", out);
      putstr(out, v->aux.kw[i]);
    }
    fputc(')', out);
  }
  for (uint32_t s = 0; s < v->nsucc; s++) {
    fputs((s || v->nargs) ? ", " : " ", out);
    putsucc(out, nm, &v->succ[s]);
  }
}

static void putinst(FILE *out, const Names *nm, IrFunc *fn, IrRef r)
{
  const IrVal *v = &fn->vals[r];
  fputs("  ", out);
  if (v->type != IRT_VOID) {
    putref(out, nm, r);
    fputc(':', out);
    puttype(out, fn->ctx, v->type);
    fputs(" = ", out);
  }
  fputs(ir_opinfo[v->op].text, out);
  putbody(out, nm, fn, v);
  if (v->line > 0) fprintf(out, "  ; !%d", v->line);
  fputc('\n', out);
}

void ir_func_print(IrFunc *fn, FILE *out)
{
  Names nm = {calloc(fn->nvals + 1, sizeof(uint32_t))};
  if (!nm.num) return;
  uint32_t n = 0;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->nparams; i++) nm.num[bk->params[i]] = ++n;
    for (uint32_t i = 0; i < bk->ninsts; i++)
      if (fn->vals[bk->insts[i]].type != IRT_VOID) nm.num[bk->insts[i]] = ++n;
  }
  fputs("func @", out);
  putname(out, fn->name);
  fputc('(', out);
  for (uint32_t i = 0; fn->nblocks && i < fn->blocks[0].nparams; i++) {
    if (i) fputs(", ", out);
    puttype(out, fn->ctx, fn->vals[fn->blocks[0].params[i]].type);
  }
  fputs(") -> ", out);
  puttype(out, fn->ctx, fn->ret);
  fputs(" {\n", out);
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    fprintf(out, "@%u", b);
    if (bk->nparams) {
      fputc('(', out);
      for (uint32_t i = 0; i < bk->nparams; i++) {
        if (i) fputs(", ", out);
        putref(out, &nm, bk->params[i]);
        fputc(':', out);
        puttype(out, fn->ctx, fn->vals[bk->params[i]].type);
      }
      fputc(')', out);
    }
    fputs(":\n", out);
    for (uint32_t i = 0; i < bk->ninsts; i++) putinst(out, &nm, fn, bk->insts[i]);
  }
  fputs("}\n", out);
  free(nm.num);
}

char *ir_func_print_str(IrFunc *fn)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return NULL;
  ir_func_print(fn, f);
  fclose(f);
  return buf;
}
