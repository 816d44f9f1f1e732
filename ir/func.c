/* ir/func.c: building and editing IR functions.
 *
 * Values and blocks live in growable arrays of the function (arena memory);
 * refer to them by index, never keep an IrVal pointer across an emit.
 * Value 0 is the "no value" sentinel (op NOP, type void).  Block 0 is the
 * entry; its parameters are the function's parameters.
 */
#include <string.h>

#include "ir.h"

IrFunc *ir_func_new(IrCtx *ctx, const char *name, const char *file, int32_t firstline)
{
  IrFunc *fn = ir_alloc(ctx, sizeof *fn);
  fn->ctx = ctx;
  fn->name = ir_strdup(ctx, name ? name : "f");
  fn->file = ir_strdup(ctx, file ? file : "<ir>");
  fn->firstline = firstline;
  fn->ret = IRT_ANY;
  fn->valcap = 64;
  fn->vals = ir_alloc(ctx, fn->valcap * sizeof *fn->vals);
  fn->nvals = 1;  /* value 0: none */
  fn->blkcap = 16;
  fn->blocks = ir_alloc(ctx, fn->blkcap * sizeof *fn->blocks);
  return fn;
}

IrBlk ir_block_new(IrFunc *fn)
{
  if (fn->nblocks == fn->blkcap) {
    fn->blocks = ir_realloc(fn->ctx, fn->blocks, fn->blkcap * sizeof *fn->blocks,
                            2 * fn->blkcap * sizeof *fn->blocks);
    fn->blkcap *= 2;
  }
  if (fn->nblocks >= 0x7fffffff) ir_error(fn->ctx, EM_ERR_TOOBIG, 0, "the function");
  return fn->nblocks++;
}

/* A new value slot of 'op' and 't' defined in block 'b'. */
static IrRef newval(IrFunc *fn, IrBlk b, IrOp op, IrType t, int32_t line)
{
  if (fn->nvals == fn->valcap) {
    if (fn->valcap >= 0x10000000) ir_error(fn->ctx, EM_ERR_TOOBIG, line, "the function");
    fn->vals = ir_realloc(fn->ctx, fn->vals, fn->valcap * sizeof *fn->vals,
                          2 * fn->valcap * sizeof *fn->vals);
    fn->valcap *= 2;
  }
  IrRef r = fn->nvals++;
  IrVal *v = &fn->vals[r];
  memset(v, 0, sizeof *v);
  v->op = op;
  v->type = t;
  v->blk = b;
  v->line = line;
  return r;
}

static IrRef *copyrefs(IrFunc *fn, const IrRef *a, uint32_t n)
{
  if (!n) return NULL;
  IrRef *d = ir_alloc(fn->ctx, n * sizeof *d);
  memcpy(d, a, n * sizeof *d);
  return d;
}

IrRef ir_block_param(IrFunc *fn, IrBlk b, IrType t)
{
  IrRef r = newval(fn, b, IR_PARAM, t, 0);
  IrBlock *bk = &fn->blocks[b];
  bk->params = ir_realloc(fn->ctx, bk->params, bk->nparams * sizeof(IrRef),
                          (bk->nparams + 1) * sizeof(IrRef));
  bk->params[bk->nparams++] = r;
  if (b == 0) fn->nparams = bk->nparams;
  return r;
}

void ir_block_param_remove(IrFunc *fn, IrBlk b, uint32_t i)
{
  IrBlock *bk = &fn->blocks[b];
  if (i >= bk->nparams) ember_die("block parameter out of range");
  memmove(bk->params + i, bk->params + i + 1, (bk->nparams - i - 1) * sizeof(IrRef));
  bk->nparams--;
  if (b == 0) fn->nparams = bk->nparams;
  IR_FOREACH_BLOCK(fn, p) {
    IrRef t = ir_block_term(fn, p);
    if (!t) continue;
    IrVal *tv = &fn->vals[t];
    for (uint32_t s = 0; s < tv->nsucc; s++) {
      IrSucc *sc = &tv->succ[s];
      if (sc->blk != b || i >= sc->nargs) continue;
      memmove(sc->args + i, sc->args + i + 1, (sc->nargs - i - 1) * sizeof(IrRef));
      sc->nargs--;
    }
  }
}

IrRef ir_insert(IrFunc *fn, IrBlk b, uint32_t pos, IrOp op, IrType t, const IrRef *args,
                uint32_t nargs, int32_t line)
{
  IrRef r = newval(fn, b, op, t, line);
  fn->vals[r].nargs = nargs;
  fn->vals[r].args = copyrefs(fn, args, nargs);
  IrBlock *bk = &fn->blocks[b];
  if (bk->ninsts == bk->cap) {
    uint32_t cap = bk->cap ? 2 * bk->cap : 8;
    bk->insts = ir_realloc(fn->ctx, bk->insts, bk->cap * sizeof(IrRef), cap * sizeof(IrRef));
    bk->cap = cap;
  }
  if (pos > bk->ninsts) pos = bk->ninsts;
  memmove(bk->insts + pos + 1, bk->insts + pos, (bk->ninsts - pos) * sizeof(IrRef));
  bk->insts[pos] = r;
  bk->ninsts++;
  if (!bk->line && line > 0) bk->line = line;
  return r;
}

IrRef ir_emit(IrFunc *fn, IrBlk b, IrOp op, IrType t, const IrRef *args, uint32_t nargs, int32_t line)
{
  return ir_insert(fn, b, fn->blocks[b].ninsts, op, t, args, nargs, line);
}

IrRef ir_const_int(IrFunc *fn, IrBlk b, IrType t, int64_t v, int32_t line)
{
  IrRef r = ir_emit(fn, b, IR_CONST, t, NULL, 0, line);
  fn->vals[r].aux.v.i = v;
  return r;
}

IrRef ir_const_float(IrFunc *fn, IrBlk b, IrType t, double v, int32_t line)
{
  IrRef r = ir_emit(fn, b, IR_CONST, t, NULL, 0, line);
  fn->vals[r].aux.v.f = v;
  return r;
}

IrRef ir_const_complex(IrFunc *fn, IrBlk b, double re, double im, int32_t line)
{
  IrRef r = ir_emit(fn, b, IR_CONST, IRT_C128, NULL, 0, line);
  fn->vals[r].aux.v.c[0] = re;
  fn->vals[r].aux.v.c[1] = im;
  return r;
}

IrRef ir_const_none(IrFunc *fn, IrBlk b, int32_t line)
{
  return ir_emit(fn, b, IR_CONST, IRT_NONE, NULL, 0, line);
}

/* Append terminator 'op' with 'nsucc' successors to 'b'. */
static IrRef term(IrFunc *fn, IrBlk b, IrOp op, const IrRef *args, uint32_t nargs, uint8_t nsucc,
                  int32_t line)
{
  if (ir_block_term(fn, b)) ember_die("block already terminated");
  IrRef r = ir_emit(fn, b, op, IRT_VOID, args, nargs, line);
  fn->vals[r].nsucc = nsucc;
  if (nsucc) fn->vals[r].succ = ir_alloc(fn->ctx, nsucc * sizeof(IrSucc));
  return r;
}

void ir_br(IrFunc *fn, IrBlk b, IrBlk to, const IrRef *args, uint32_t nargs, int32_t line)
{
  IrRef r = term(fn, b, IR_BR, NULL, 0, 1, line);
  fn->vals[r].succ[0] = (IrSucc){to, nargs, copyrefs(fn, args, nargs)};
}

void ir_cbr(IrFunc *fn, IrBlk b, IrRef cond, IrBlk t, const IrRef *targs, uint32_t ntargs,
            IrBlk f, const IrRef *fargs, uint32_t nfargs, int32_t line)
{
  IrRef r = term(fn, b, IR_CBR, &cond, 1, 2, line);
  fn->vals[r].succ[0] = (IrSucc){t, ntargs, copyrefs(fn, targs, ntargs)};
  fn->vals[r].succ[1] = (IrSucc){f, nfargs, copyrefs(fn, fargs, nfargs)};
}

void ir_ret(IrFunc *fn, IrBlk b, IrRef v, int32_t line)
{
  term(fn, b, IR_RET, &v, 1, 0, line);
}

void ir_raise(IrFunc *fn, IrBlk b, IrRtErr kind, int32_t line)
{
  ir_raise_args(fn, b, kind, NULL, 0, line);
}

IrRef ir_raise_args(IrFunc *fn, IrBlk b, IrRtErr kind, const IrRef *args, uint32_t nargs, int32_t line)
{
  IrRef r = term(fn, b, IR_RAISE, args, nargs, 0, line);
  fn->vals[r].aux.v.i = kind;
  return r;
}

void ir_succ_addarg(IrFunc *fn, IrRef t, uint32_t i, IrRef arg)
{
  IrSucc *s = &fn->vals[t].succ[i];
  s->args = ir_realloc(fn->ctx, s->args, s->nargs * sizeof(IrRef), (s->nargs + 1) * sizeof(IrRef));
  s->args[s->nargs++] = arg;
}

IrRef ir_block_term(IrFunc *fn, IrBlk b)
{
  IrBlock *bk = &fn->blocks[b];
  if (!bk->ninsts) return 0;
  IrRef r = bk->insts[bk->ninsts - 1];
  return (ir_opinfo[fn->vals[r].op].flags & IRF_TERM) ? r : 0;
}

void ir_val_set(IrFunc *fn, IrRef v, IrOp op, IrRef a, IrRef b, uint32_t n)
{
  IrRef *args = ir_alloc(fn->ctx, 2 * sizeof *args);
  IrVal *x = &fn->vals[v];
  args[0] = a;
  args[1] = b;
  x->op = op;
  x->args = args;
  x->nargs = n;
  memset(&x->aux, 0, sizeof x->aux);
}

void ir_replace_uses(IrFunc *fn, IrRef from, IrRef to)
{
  for (IrRef r = 1; r < fn->nvals; r++) {
    IrVal *v = &fn->vals[r];
    for (uint32_t i = 0; i < v->nargs; i++)
      if (v->args[i] == from) v->args[i] = to;
    for (uint32_t s = 0; s < v->nsucc; s++)
      for (uint32_t i = 0; i < v->succ[s].nargs; i++)
        if (v->succ[s].args[i] == from) v->succ[s].args[i] = to;
  }
}

void ir_remove(IrFunc *fn, IrRef r)
{
  IrVal *v = &fn->vals[r];
  IrBlock *bk = &fn->blocks[v->blk];
  for (uint32_t i = 0; i < bk->ninsts; i++)
    if (bk->insts[i] == r) {
      memmove(bk->insts + i, bk->insts + i + 1, (bk->ninsts - i - 1) * sizeof(IrRef));
      bk->ninsts--;
      break;
    }
  v->op = IR_NOP;
  v->type = IRT_VOID;
  v->nargs = 0;
  v->nsucc = 0;
}

bool ir_is_pure(IrFunc *fn, IrRef v)
{
  const IrVal *x = &fn->vals[v];
  if (x->op >= IR_ADD && x->op <= IR_BXOR && (x->aux.v.i & 1)) return false;
  if (x->op == IR_EW && x->aux.v.s && !strncmp(x->aux.v.s, "into.", 5)) return false;   /* a op= b writes a */
  return (ir_opinfo[x->op].flags & IRF_PURE) && !(ir_opinfo[x->op].flags & IRF_TERM);
}

void ir_fill_preds(IrFunc *fn)
{
  IR_FOREACH_BLOCK(fn, b) fn->blocks[b].npreds = 0;
  for (int pass = 0; pass < 2; pass++) {
    IR_FOREACH_BLOCK(fn, b) {
      IrRef t = ir_block_term(fn, b);
      if (!t) continue;
      IrVal *tv = &fn->vals[t];
      for (uint32_t s = 0; s < tv->nsucc; s++) {
        IrBlock *to = &fn->blocks[tv->succ[s].blk];
        if (pass) to->preds[to->npreds++] = b;
        else to->npreds++;
      }
    }
    if (pass) break;
    IR_FOREACH_BLOCK(fn, b) {
      IrBlock *bk = &fn->blocks[b];
      bk->preds = ir_alloc(fn->ctx, (bk->npreds ? bk->npreds : 1) * sizeof(IrBlk));
      bk->npreds = 0;
    }
  }
}

uint32_t ir_fill_rpo(IrFunc *fn, IrBlk *out)
{
  if (!fn->nblocks) return 0;
  uint8_t *seen = ir_alloc(fn->ctx, fn->nblocks);
  IrBlk *stack = ir_alloc(fn->ctx, fn->nblocks * sizeof(IrBlk));
  uint32_t *next = ir_alloc(fn->ctx, fn->nblocks * sizeof(uint32_t));
  uint32_t sp = 0, n = fn->nblocks;
  stack[sp++] = 0;
  seen[0] = 1;
  while (sp) {  /* iterative DFS; a block is emitted after all its successors */
    IrBlk b = stack[sp - 1];
    IrRef t = ir_block_term(fn, b);
    IrVal *tv = t ? &fn->vals[t] : NULL;
    if (tv && next[b] < tv->nsucc) {
      IrBlk s = tv->succ[next[b]++].blk;
      if (!seen[s] && !fn->blocks[s].dead) { seen[s] = 1; stack[sp++] = s; }
      continue;
    }
    out[--n] = b;
    sp--;
  }
  uint32_t cnt = fn->nblocks - n;
  memmove(out, out + n, cnt * sizeof(IrBlk));
  return cnt;
}
