/* frontend/build.c: fe_build, from an FeCode record to untyped IR.
 *
 * Order of work:
 *   1. reject what the code object's header already shows (generators,
 *      coroutines, *args and **kwargs) and decode (decode.c);
 *   2. split the instructions into blocks at jump targets and after jumps,
 *      returns and FOR_ITER (which gets a block of its own: the loop header);
 *   3. propagate the value-stack depth over the CFG (consistent on every
 *      edge, never below zero nor above co_stacksize, else EM_ERR_BADCODE),
 *      and which locals are assigned on every path to each block (assigned);
 *   4. fill the reachable blocks in code order, simulating the value stack;
 *      locals and the stack slots live at a block's entry are SSA variables
 *      (ssa.c); a block is sealed once all its predecessors are filled; an
 *      int constant or global past 64 bits ends the IR block in a jump to
 *      `raise INT_OVERFLOW` and the code block goes on in a fresh, dead IR
 *      block (unholdable), whose edges then stand for the code block's;
 *   5. finish the SSA (trivial parameters removed), report locals read where
 *      no assignment reaches (EM_ERR_UNBOUND), and hand the function to the
 *      normal form (normal.c).
 * A call of a nested function builds its body the same way (fe_build_nested,
 * recursively) and splices it in at the call (nested.c): the code block goes
 * on in a fresh IR block after it, as after unholdable.
 * IR block 0 is a synthetic entry whose parameters are the arguments
 * (positional, then keyword-only); it branches to the first code block, so
 * a loop back to offset 0 needs no special case.  The call protocol's NULL
 * slots travel on the simulated stack as a marker value that may only be
 * consumed by a call.
 */
#include <stdio.h>
#include <string.h>

#include "fe.h"

typedef struct {
  uint32_t start, end;   /* instruction range */
  int32_t depth;         /* entry stack depth; -1 = unreachable */
  uint8_t *nulls;        /* entry stack: 1 where a slot holds a call's NULL marker */
  uint8_t nsucc;
  uint32_t succ[2];      /* successor blocks: [0] taken when true / fallthrough */
  int32_t sdepth[2];     /* stack depth on each edge */
} Blk;

typedef struct {
  IrRef v;
  int32_t line;
  uint32_t var;
} Read;

typedef struct {
  IrCtx *ctx;
  const FeCode *co;
  const FeResolver *res;
  FeInsn *ins;
  uint32_t nins;
  Blk *blks;
  uint32_t nblks;
  int32_t *blkof;        /* instruction -> block starting there, else -1 */
  IrFunc *fn;
  FeSsa ssa;
  IrRef *stk;
  uint32_t sp, stkcap;
  IrRef nullmark;
  Read *reads;
  uint32_t nreads, readcap;
  IrBlk cur;
  int32_t line;
  uint32_t nw;           /* 64-bit words of a set of locals */
  uint64_t *defin;       /* per code block: the locals every path to its entry assigned */
  uint64_t *risky;       /* the locals read somewhere they may be unassigned */
  uint64_t *def;         /* while filling: the locals assigned on every path to here */
  IrRef ktrue, kfalse;   /* const True / False in the entry block */
  FeNest *nest;          /* nested functions and generators (nested.c) */
} B;

#define IRB(k) ((IrBlk)(k) + 1)   /* IR block of code block k */
#define BOUND(var) (0x40000000u + (var))   /* SSA variable: local 'var' is assigned (bool) */
#define HAS(set, i) (((set)[(i) >> 6] >> ((i) & 63)) & 1)
#define ADD(set, i) ((set)[(i) >> 6] |= UINT64_C(1) << ((i) & 63))

_Noreturn static void bad(B *b, const char *what)
{
  ir_error(b->ctx, EM_ERR_BADCODE, b->line, what);
}

/* -- Header checks ----------------------------------------------------------- */

static void check_header(IrCtx *ctx, const FeCode *co)
{
  int32_t line = co->firstlineno;
  if (co->flags & (FE_CO_GENERATOR | FE_CO_ITERABLE_COROUTINE))
    ir_error(ctx, EM_ERR_FLAGS, line, "generator functions are not supported");
  if (co->flags & FE_CO_COROUTINE)
    ir_error(ctx, EM_ERR_FLAGS, line, "coroutines (async def) are not supported");
  if (co->flags & FE_CO_ASYNC_GENERATOR)
    ir_error(ctx, EM_ERR_FLAGS, line, "async generators are not supported");
  if (co->flags & FE_CO_VARKEYWORDS) ir_error(ctx, EM_ERR_CONSTRUCT, line, "**kwargs parameters");
  if ((uint64_t)co->argcount + co->kwonlyargcount > co->nlocals || co->posonlyargcount > co->argcount)
    ir_error(ctx, EM_ERR_BADCODE, line, "more arguments than locals");
  if (co->stacksize > (1u << 20) || co->nlocals > (1u << 24))
    ir_error(ctx, EM_ERR_TOOBIG, line, "the function's frame");
  if ((co->nconsts && !co->consts) || (co->nnames && !co->names) || (co->nlocals && !co->localnames))
    ir_error(ctx, EM_ERR_BADCODE, line, "missing tables");
  if (co->exctablelen && !co->exctable) ir_error(ctx, EM_ERR_BADCODE, line, "missing exception table");
}

/* -- Blocks and stack depths ----------------------------------------------------- */

static bool is_term(const FeInsn *in)
{
  return in->op == FD_JUMP || in->op == FD_CJUMP || in->op == FD_FOR_ITER || in->op == FD_RETURN ||
         in->op == FD_RAISE;
}

/* Mark block leaders and cut the instructions into blocks. */
static void split(B *b)
{
  uint8_t *lead = ir_alloc(b->ctx, b->nins + 1);
  lead[0] = 1;
  for (uint32_t i = 0; i < b->nins; i++) {
    const FeInsn *in = &b->ins[i];
    if (in->target >= 0) lead[in->target] = 1;
    if (in->op == FD_FOR_ITER) lead[i] = 1;
    if (is_term(in)) lead[i + 1] = 1;
  }
  b->blkof = ir_alloc(b->ctx, (b->nins + 1) * sizeof *b->blkof);
  for (uint32_t i = 0; i < b->nins; i++) b->nblks += lead[i];
  b->blks = ir_alloc(b->ctx, b->nblks * sizeof *b->blks);
  uint32_t k = 0;
  for (uint32_t i = 0; i <= b->nins; i++) {
    b->blkof[i] = -1;
    if (i < b->nins && lead[i]) {
      if (k) b->blks[k - 1].end = i;
      b->blks[k] = (Blk){.start = i, .depth = -1};
      b->blkof[i] = (int32_t)k++;
    }
  }
  b->blks[k - 1].end = b->nins;
}

/* Successors of block 'k' from its last instruction. */
static void succs(B *b, uint32_t k)
{
  Blk *bk = &b->blks[k];
  const FeInsn *in = &b->ins[bk->end - 1];
  b->line = in->line;
  int32_t fall = bk->end < b->nins ? b->blkof[bk->end] : -1;
  int32_t tgt = in->target >= 0 ? b->blkof[in->target] : -1;
  bool cond = in->op == FD_CJUMP || in->op == FD_FOR_ITER;
  if (in->op == FD_RETURN || in->op == FD_RAISE) return;
  if ((in->op == FD_JUMP || cond) && tgt < 0) bad(b, "jump to no block");
  if ((cond || !is_term(in)) && fall < 0) bad(b, "code falls off the end");
  if (in->op == FD_JUMP) { bk->nsucc = 1; bk->succ[0] = (uint32_t)tgt; return; }
  if (!cond) { bk->nsucc = 1; bk->succ[0] = (uint32_t)fall; return; }
  bool tfirst = in->op == FD_CJUMP && (in->a == FC_IF_TRUE || in->a == FC_IF_NONE || in->a == FC_TRUE_OR_POP);
  bk->nsucc = 2;
  bk->succ[0] = (uint32_t)(tfirst ? tgt : fall);
  bk->succ[1] = (uint32_t)(tfirst ? fall : tgt);
}

/* Mark the NULL slots a callee load pushes at 'st' ('mode' FN_*, as pushcallee). */
static void nullcallee(uint8_t *st, int32_t mode)
{
  st[0] = mode == FN_BELOW;
  if (mode != FN_NONE) st[1] = mode == FN_ABOVE;
}

/* Move the NULL marks of 'st' (depth 'd') as 'in' moves the values (exec());
 * any other instruction consumes its operands and pushes values. */
static void nullmove(const FeInsn *in, uint8_t *st, int32_t d, int32_t need, int32_t delta)
{
  uint8_t t;
  switch (in->op) {
  case FD_PUSH_NULL: st[d] = 1; break;
  case FD_LOAD_GLOBAL: nullcallee(st + d, in->b); break;
  case FD_LOAD_ATTR: nullcallee(st + d - 1, in->b); break;
  case FD_COPY: st[d] = st[d - in->a]; break;
  case FD_SWAP: t = st[d - 1]; st[d - 1] = st[d - in->a]; st[d - in->a] = t; break;
  case FD_ROT:
    t = st[d - 1];
    memmove(st + d - in->a + 1, st + d - in->a, (size_t)(in->a - 1));
    st[d - in->a] = t;
    break;
  default: if (need + delta > 0) memset(st + d - need, 0, (size_t)(need + delta)); break;
  }
}

/* Stack depth after 'in' at depth 'd' (for terminators: before the edge
 * adjustments); moves the NULL marks of 'st' along. */
static int32_t effect(B *b, const FeInsn *in, int32_t d, uint8_t *st)
{
  int32_t need = 0, delta = 0;
  switch (in->op) {
  case FD_LOAD_FAST: case FD_LOAD_CONST: case FD_PUSH_NULL: delta = 1; break;
  case FD_LOAD_GLOBAL: delta = in->b ? 2 : 1; break;
  case FD_LOAD_ATTR: need = 1; delta = in->b ? 1 : 0; break;
  case FD_STORE_FAST: case FD_POP: case FD_RETURN: need = 1; delta = -1; break;
  case FD_BINARY: case FD_COMPARE: case FD_IS: case FD_CONTAINS: need = 2; delta = -1; break;
  case FD_UNARY: case FD_TO_BOOL: case FD_GET_ITER: case FD_FOR_ITER: need = 1; break;
  case FD_COPY: need = in->a; delta = 1; break;
  case FD_SWAP: case FD_ROT: need = in->a; break;
  case FD_BUILD_TUPLE: need = in->a; delta = 1 - in->a; break;
  case FD_UNPACK: need = 1; delta = in->a - 1; break;
  case FD_ITER_NEXT: need = 1; delta = 1; break;
  case FD_END_FOR: need = in->a; delta = -in->a; break;
  case FD_CJUMP: need = 1; break;
  case FD_CALL: need = in->a + (in->c == FN_NONE ? 1 : 2); delta = 1 - need; break;
  case FD_SUBSCR: need = 2; delta = -1; break;
  case FD_STORE_SUBSCR: need = 3; delta = -3; break;
  case FD_STORE_ATTR: need = 2; delta = -2; break;
  case FD_BUILD_SLICE: need = in->a; delta = 1 - in->a; break;
  case FD_SLICE: need = 3; delta = -2; break;
  case FD_STORE_SLICE: need = 4; delta = -4; break;
  case FD_RAISE: need = in->a; delta = -in->a; break;
  case FD_LOAD_ASSERT: delta = 1; break;
  case FD_FORMAT: need = 1 + in->b; delta = -in->b; break;
  case FD_CONVERT: need = 1; break;
  case FD_BUILD_STRING: case FD_BUILD_LIST: need = in->a; delta = 1 - in->a; break;
  case FD_LIST_APPEND: case FD_LIST_EXTEND: need = in->a + 1; delta = -1; break;
  case FD_LIST_TO_TUPLE: case FD_YIELD: case FD_CONST_MAP: need = 1; break;
  case FD_BUILD_MAP: need = 2 * in->a; delta = 1 - 2 * in->a; break;
  case FD_DICT_ZIP: need = 2; delta = -1; break;
  case FD_DEL_SUBSCR: need = 2; delta = -2; break;
  case FD_MAP_ADD: need = in->a + 2; delta = -2; break;
  case FD_MAKE_FUNCTION: case FD_PUSH_SYM: delta = 1; break;
  case FD_FUNC_ATTR: need = 2; delta = -1; break;
  default: break;
  }
  if (d < need) bad(b, "value stack underflow");
  if ((int64_t)d + delta > (int64_t)b->co->stacksize + 1) bad(b, "value stack overflow");  /* +1: RETURN_CONST's push */
  nullmove(in, st, d, need, delta);
  return d + delta;
}

/* Depth on edge 's' of a block whose last instruction 'in' left depth 'd'. */
static int32_t edgedepth(const FeInsn *in, uint32_t s, int32_t d)
{
  if (in->op == FD_FOR_ITER) return s ? d - 1 : d;
  if (in->op != FD_CJUMP) return d;
  if (in->a == FC_FALSE_OR_POP) return s ? d : d - 1;
  if (in->a == FC_TRUE_OR_POP) return s ? d - 1 : d;
  return d - 1;
}

/* Propagate entry depths and NULL slots from block 0 (worklist); reject
 * inconsistent ones.  Where the call protocol's NULLs sit is a property of
 * the code, like the depth, so they never become SSA variables. */
static void depths(B *b)
{
  uint32_t *work = ir_alloc(b->ctx, (b->nblks + 1) * sizeof *work), n = 0;
  uint8_t *st = ir_alloc(b->ctx, (size_t)b->co->stacksize + 3);
  b->blks[0].depth = 0;
  work[n++] = 0;
  while (n) {
    uint32_t k = work[--n];
    Blk *bk = &b->blks[k];
    int32_t d = bk->depth;
    if (d) memcpy(st, bk->nulls, (size_t)d);
    for (uint32_t i = bk->start; i < bk->end; i++) {
      b->line = b->ins[i].line;
      d = effect(b, &b->ins[i], d, st);
    }
    const FeInsn *last = &b->ins[bk->end - 1];
    for (uint32_t s = 0; s < bk->nsucc; s++) {
      int32_t sd = edgedepth(last, s, d);
      Blk *to = &b->blks[bk->succ[s]];
      bk->sdepth[s] = sd;
      if (to->depth < 0) {
        to->depth = sd;
        to->nulls = ir_alloc(b->ctx, (size_t)sd + 1);
        memcpy(to->nulls, st, (size_t)sd);
        work[n++] = bk->succ[s];
      }
      else if (to->depth != sd) bad(b, "inconsistent value stack depth");
      else if (sd && memcmp(to->nulls, st, (size_t)sd)) bad(b, "inconsistent NULL slots");
    }
  }
}

/* -- Definite assignment ---------------------------------------------------------
 * A local is assigned on every path to a read (the arguments always are),
 * or it is "risky": then an SSA variable BOUND(var) (bool) follows it,
 * False at the entry and True at each store, and a read where it may be
 * unassigned first branches on it to `raise UNBOUND` (CPython's
 * UnboundLocalError).  Reads where it is always assigned cost nothing. */

/* 'out' = the locals assigned after code block 'k' given 'in'; marks risky reads if 'risky'. */
static void transfer(B *b, uint32_t k, const uint64_t *in, uint64_t *out, uint64_t *risky)
{
  memcpy(out, in, b->nw * sizeof *out);
  for (uint32_t i = b->blks[k].start; i < b->blks[k].end; i++) {
    const FeInsn *in_ = &b->ins[i];
    uint32_t v = (uint32_t)in_->a;
    if (in_->op == FD_STORE_FAST && v < b->co->nlocals) ADD(out, v);
    else if (risky && in_->op == FD_LOAD_FAST && !in_->b && v < b->co->nlocals && !HAS(out, v)) ADD(risky, v);
  }
}

/* Fill b->defin to a fixed point (intersection over predecessors), then b->risky. */
static void assigned(B *b)
{
  uint32_t nw = b->nw = (b->co->nlocals + 63) / 64 + 1, nargs = fe_nparams(b->co);
  b->defin = ir_alloc(b->ctx, (size_t)b->nblks * nw * sizeof *b->defin);
  b->risky = ir_alloc(b->ctx, nw * sizeof *b->risky);
  b->def = ir_alloc(b->ctx, nw * sizeof *b->def);
  memset(b->defin, 0xff, (size_t)b->nblks * nw * sizeof *b->defin);
  memset(b->defin, 0, nw * sizeof *b->defin);
  for (uint32_t v = 0; v < nargs; v++) ADD(b->defin, v);
  fe_nest_entry_defs(b->nest, b->defin);
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t k = 0; k < b->nblks; k++) {
      if (b->blks[k].depth < 0) continue;
      transfer(b, k, &b->defin[(size_t)k * nw], b->def, NULL);
      for (uint32_t s = 0; s < b->blks[k].nsucc; s++) {
        uint64_t *to = &b->defin[(size_t)b->blks[k].succ[s] * nw];
        for (uint32_t w = 0; w < nw; w++)
          if (to[w] & ~b->def[w]) to[w] &= b->def[w], changed = true;
      }
    }
  }
  for (uint32_t k = 0; k < b->nblks; k++)
    if (b->blks[k].depth >= 0) transfer(b, k, &b->defin[(size_t)k * nw], b->def, b->risky);
}

/* Before reading local 'var', which may be unassigned here: branch on its
 * BOUND flag to a block raising UNBOUND, and go on in the other (if the
 * flag is False on every path, jump to the raise and go on in a dead block:
 * CPython's copies of code can read a local where it never is assigned). */
static void check_bound(B *b, uint32_t var)
{
  IrFunc *fn = b->fn;
  IrRef f = fe_ssa_read(&b->ssa, BOUND(var), b->cur);
  ADD(b->def, var);   /* assigned from here on */
  if (f == b->ktrue) return;
  IrBlk rest = ir_block_new(fn), r = ir_block_new(fn);
  fe_ssa_addblock(&b->ssa, rest, b->cur);
  fe_ssa_addblock(&b->ssa, r, b->cur);
  if (f == b->kfalse) ir_br(fn, b->cur, r, NULL, 0, b->line);
  else ir_cbr(fn, b->cur, f, rest, NULL, 0, r, NULL, 0, b->line);
  ir_raise(fn, r, RT_UNBOUND, b->line);
  fn->vals[ir_block_term(fn, r)].aux.s = ir_strdup(b->ctx, b->co->localnames[var]);
  b->cur = rest;
}

/* -- The value stack ----------------------------------------------------------- */

static void push(B *b, IrRef v)
{
  if (b->sp >= b->stkcap) bad(b, "value stack overflow");
  b->stk[b->sp++] = v;
}

static IrRef popany(B *b)
{
  if (!b->sp) bad(b, "value stack underflow");
  return b->stk[--b->sp];
}

static IrRef pop(B *b)
{
  IrRef v = popany(b);
  if (v == b->nullmark) bad(b, "NULL used as a value");
  return v;
}

static IrRef peek(B *b)
{
  if (!b->sp || b->stk[b->sp - 1] == b->nullmark) bad(b, "no value on the stack");
  return b->stk[b->sp - 1];
}

static void need(B *b, int32_t n)
{
  if (n < 0 || (uint32_t)n > b->sp) bad(b, "value stack underflow");
}

/* Write the live stack slots but NULLs as SSA variables of the current block. */
static void flush(B *b)
{
  for (uint32_t i = 0; i < b->sp; i++)
    if (b->stk[i] != b->nullmark) fe_ssa_write(&b->ssa, b->co->nlocals + i, b->cur, b->stk[i]);
}

/* -- Values ------------------------------------------------------------------ */

static IrRef emit(B *b, IrOp op, const IrRef *args, uint32_t n)
{
  return ir_emit(b->fn, b->cur, op, IRT_ANY, args, n, b->line);
}

static IrRef emit1(B *b, IrOp op, IrRef a) { return emit(b, op, &a, 1); }

static IrRef emit2(B *b, IrOp op, IrRef x, IrRef y)
{
  IrRef a[2] = {x, y};
  return emit(b, op, a, 2);
}

/* bool(v): comparisons and not are bool already (TO_BOOL and jumps agree on every version). */
static IrRef truthy(B *b, IrRef v)
{
  if (fe_is_boolop(b->fn->vals[v].op)) return v;
  return emit1(b, IR_TRUTH, v);
}

/* A value Ember cannot hold (an int past 64 bits): the current block jumps to
 * a new one that raises 'kind' (INT_OVERFLOW: a pure function runs again in
 * the interpreter, which gives CPython's exact answer), and decoding goes on
 * in a fresh block nothing enters, so the rest of the code block is dead.
 * Returns a stand-in value there. */
static IrRef unholdable(B *b, IrRtErr kind)
{
  IrFunc *fn = b->fn;
  IrBlk r = ir_block_new(fn), rest = ir_block_new(fn);
  fe_ssa_addblock(&b->ssa, r, b->cur);
  fe_ssa_addblock(&b->ssa, rest, b->cur);
  ir_br(fn, b->cur, r, NULL, 0, b->line);
  ir_raise(fn, r, kind, b->line);
  b->cur = rest;
  return ir_const_int(fn, rest, IRT_INT, 0, b->line);
}

/* CONST (or TUPLE of CONSTs) for constant 'c'. */
static IrRef constval(B *b, const FeConst *c, int depth)
{
  IrFunc *fn = b->fn;
  switch (c->kind) {
  case FE_CONST_NONE: return ir_const_none(fn, b->cur, b->line);
  case FE_CONST_BOOL: return ir_const_int(fn, b->cur, IRT_BOOL, c->i != 0, b->line);
  case FE_CONST_INT: return ir_const_int(fn, b->cur, IRT_INT, c->i, b->line);
  case FE_CONST_FLOAT: return ir_const_float(fn, b->cur, IRT_F64, c->f, b->line);
  case FE_CONST_COMPLEX: return ir_const_complex(fn, b->cur, c->f, c->im, b->line);
  case FE_CONST_BIGINT: return unholdable(b, RT_INT_OVERFLOW);
  case FE_CONST_STR: return fe_str_const(fn, b->cur, c->s, b->line);   /* raise.c: only raise may use it */
  case FE_CONST_CODE: ir_error(b->ctx, EM_ERR_CONSTRUCT, b->line, "nested functions and lambdas");
  case FE_CONST_TUPLE: {
    if (depth > 64 || (c->n && !c->elems)) bad(b, "bad constant tuple");
    IrRef *el = ir_alloc(b->ctx, (c->n + 1) * sizeof *el);
    for (uint32_t i = 0; i < c->n; i++) el[i] = constval(b, &c->elems[i], depth + 1);
    return emit(b, IR_TUPLE, el, c->n);
  }
  case FE_CONST_OTHER:   /* `...` (an index expands it: infer_array.c); anything else is an error */
    if (c->s && !strcmp(c->s, "ellipsis")) return ir_emit(fn, b->cur, IR_CONST, IRT_ELLIPSIS, NULL, 0, b->line);
    /* fall through */
  default:
    ir_errorf(b->ctx, EM_ERR_CONSTRUCT, b->line, "%.100s constants are not supported",
              c->s ? c->s : "these");
  }
}

/* aconst of the array the resolver froze in 'g': its shapes as int constants. */
static IrRef frozen_array(B *b, const FeGlobal *g)
{
  int nd = ir_type_info(b->ctx, g->type)->ndim;
  IrRef dims[IR_MAXDIM + 1];
  for (int k = 0; k < nd; k++) dims[k] = ir_const_int(b->fn, b->cur, IRT_INT, g->shape[k], b->line);
  IrRef v = ir_emit(b->fn, b->cur, IR_ACONST, g->type, dims, (uint32_t)nd, b->line);
  b->fn->vals[v].aux.v.i = g->i;
  return v;
}

/* The value of module global co_names['i'] through the resolver. */
static IrRef global(B *b, int32_t i)
{
  const char *name = b->co->names[i];
  IrFunc *fn = b->fn;
  FeGlobal g = {0};
  IrRef v;
  if (!b->res || !b->res->global) {  /* no resolver: left for later */
    v = ir_emit(fn, b->cur, IR_GLOBAL, IRT_ANY, NULL, 0, b->line);
    fn->vals[v].aux.v.s = ir_strdup(b->ctx, name);
    return v;
  }
  if (b->res->global(b->res->host, name, &g) != 0) g.kind = FE_G_UNKNOWN;
  switch (g.kind) {
  case FE_G_INT: return ir_const_int(fn, b->cur, IRT_INT, g.i, b->line);
  case FE_G_BOOL: return ir_const_int(fn, b->cur, IRT_BOOL, g.i != 0, b->line);
  case FE_G_FLOAT: return ir_const_float(fn, b->cur, IRT_F64, g.f, b->line);
  case FE_G_COMPLEX: return ir_const_complex(fn, b->cur, g.f, g.im, b->line);
  case FE_G_NONE: return ir_const_none(fn, b->cur, b->line);
  case FE_G_BIGINT: return unholdable(b, RT_INT_OVERFLOW);
  case FE_G_MODULE:
    v = ir_emit(fn, b->cur, IR_MODREF, IRT_MODULE, NULL, 0, b->line);
    fn->vals[v].aux.v.s = ir_strdup(b->ctx, g.name ? g.name : name);
    return v;
  case FE_G_BUILTIN:
    v = ir_emit(fn, b->cur, IR_BUILTIN, IRT_FUNC, NULL, 0, b->line);
    fn->vals[v].aux.v.s = ir_strdup(b->ctx, g.name ? g.name : name);
    return v;
  case FE_G_EXCEPTION:
    if (!g.i) ir_errorf(b->ctx, EM_ERR_CONSTRUCT, b->line, "exception classes other than the builtin ones (%.100s) "
                        "are not supported", name);
    return fe_exc_class(fn, b->cur, ir_strdup(b->ctx, g.name ? g.name : name), b->line);
  case FE_G_FUNC:
    v = ir_emit(fn, b->cur, IR_FUNCREF, IRT_FUNC, NULL, 0, b->line);
    fn->vals[v].aux.v.i = g.id;
    fn->vals[v].aux.s = ir_strdup(b->ctx, g.name ? g.name : name);
    return v;
  case FE_G_ARRAY: return frozen_array(b, &g);
  default: {
    char what[200];
    if (g.what) snprintf(what, sizeof what, "%.100s (%.80s)", name, g.what);
    else snprintf(what, sizeof what, "%.100s", name);
    ir_error(b->ctx, EM_ERR_GLOBAL, b->line, what);
  }
  }
}

/* Push 'v' with a NULL slot below or above it ('mode' FN_*). */
static void pushcallee(B *b, IrRef v, int32_t mode)
{
  if (mode == FN_BELOW) push(b, b->nullmark);
  push(b, v);
  if (mode == FN_ABOVE) push(b, b->nullmark);
}

/* CALL(callee, [self], positional..., keyword...) of instruction 'in'. */
static void call(B *b, const FeInsn *in)
{
  uint32_t argc = (uint32_t)in->a;
  need(b, (int32_t)argc + (in->c == FN_NONE ? 1 : 2));
  IrRef *ops = ir_alloc(b->ctx, (argc + 2) * sizeof *ops);
  uint32_t n = 0;
  IrRef *args = &b->stk[b->sp - argc];
  b->sp -= argc;
  IrRef callee, self = 0;
  if (in->c == FN_NONE) callee = pop(b);
  else {
    IrRef y = popany(b), x = popany(b);
    if (in->c == FN_BELOW) { callee = x == b->nullmark ? y : x; self = x == b->nullmark ? 0 : y; }
    else { callee = x; self = y == b->nullmark ? 0 : y; }
  }
  if (callee == b->nullmark) bad(b, "calling NULL");
  callee = fe_join_marker(&b->ssa, b->cur, callee, b->line);   /* ValueError loaded before a branch */
  ops[n++] = callee;
  if (self) ops[n++] = self;
  for (uint32_t i = 0; i < argc; i++) {
    if (args[i] == b->nullmark) bad(b, "NULL argument");
    ops[n++] = args[i];
  }
  const FeConst *kc = in->b >= 0 ? &b->co->consts[in->b] : NULL;
  uint32_t nkw = kc ? kc->n : 0;
  const char **kw = ir_alloc(b->ctx, (nkw + 1) * sizeof *kw);
  for (uint32_t i = 0; i < nkw; i++) kw[i] = ir_strdup(b->ctx, kc->elems[i].s);
  IrRef r = fe_nest_call(b->nest, &b->ssa, &b->cur, ops, n, kw, nkw, b->line);   /* nested.c: inlined */
  if (r) { push(b, r); return; }
  if (fe_is_marker(b->fn, callee) == FE_MK_CLASS) {   /* ValueError("..."): raise.c */
    for (uint32_t i = 1; i < n; i++) ops[i] = fe_join_marker(&b->ssa, b->cur, ops[i], b->line);
    push(b, fe_exc_call(b->fn, b->cur, callee, ops + 1, n - 1, in->b >= 0 ? b->co->consts[in->b].n : 0, b->line));
    return;
  }
  if (b->fn->vals[callee].op == IR_BUILTIN && !strcmp(b->fn->vals[callee].aux.v.s, "print")) {   /* print.c */
    push(b, fe_print(b->fn, b->cur, ops + 1, n - 1, kw, nkw, b->line));
    return;
  }
  n = fe_str_args(b->fn, b->cur, ops, n, kw, &nkw, b->line);   /* np.zeros(n, dtype="f4") */
  IrRef v = emit(b, IR_CALL, ops, n);
  if (nkw) {
    IrVal *cv = &b->fn->vals[v];
    cv->aux.nkw = nkw;
    cv->aux.kw = kw;
  }
  push(b, v);
}

/* -- Block filling -------------------------------------------------------------- */

static void loadfast(B *b, uint32_t var)
{
  IrRef f = fe_nest_load(b->nest, var);   /* a nested function */
  if (f) { push(b, f); return; }
  if (HAS(b->risky, var) && !HAS(b->def, var)) {  /* checked: no EM_ERR_UNBOUND, it raises */
    check_bound(b, var);
    push(b, fe_ssa_read(&b->ssa, var, b->cur));
    return;
  }
  IrRef v = fe_ssa_read(&b->ssa, var, b->cur);
  if (b->nreads == b->readcap) {
    uint32_t cap = b->readcap ? 2 * b->readcap : 64;
    b->reads = ir_realloc(b->ctx, b->reads, b->readcap * sizeof *b->reads, cap * sizeof *b->reads);
    b->readcap = cap;
  }
  b->reads[b->nreads++] = (Read){v, b->line, var};
  push(b, v);
}

static void storefast(B *b, uint32_t var, IrRef v)
{
  if (fe_nest_store(b->nest, var, v, b->line)) return;
  fe_ssa_write(&b->ssa, var, b->cur, v);
  ADD(b->def, var);
  if (HAS(b->risky, var)) fe_ssa_write(&b->ssa, BOUND(var), b->cur, b->ktrue);
}

static void cjump(B *b, const FeInsn *in, const Blk *bk)
{
  IrRef c;
  if (in->a == FC_IF_NONE || in->a == FC_IF_NOT_NONE) {
    IrRef v = pop(b);
    c = emit2(b, IR_IS, v, ir_const_none(b->fn, b->cur, b->line));
  } else if (in->a == FC_FALSE_OR_POP || in->a == FC_TRUE_OR_POP) {
    c = truthy(b, peek(b));
  } else c = truthy(b, pop(b));
  flush(b);
  ir_cbr(b->fn, b->cur, c, IRB(bk->succ[0]), NULL, 0, IRB(bk->succ[1]), NULL, 0, b->line);
}

static void rot(B *b, int32_t n)
{
  need(b, n);
  IrRef *s = &b->stk[b->sp - (uint32_t)n], top = b->stk[b->sp - 1];
  memmove(s + 1, s, ((uint32_t)n - 1) * sizeof *s);
  s[0] = top;
}

static void unpack(B *b, int32_t n)
{
  IrRef t = pop(b);
  IrRef *el = ir_alloc(b->ctx, ((uint32_t)n + 1) * sizeof *el);
  for (int32_t i = 0; i < n; i++) {
    el[i] = emit1(b, IR_EXTRACT, t);
    b->fn->vals[el[i]].aux.v.i = i;
  }
  for (int32_t i = n; i-- > 0;) push(b, el[i]);
}

/* SLICE of the top 'n' (2 or 3) stack values: start, stop[, step].  An equal
 * SLICE just made in this block is reused: 3.12's `a[i:] += x` builds the
 * slice twice (BINARY_SLICE, STORE_SLICE) where 3.10 builds it once. */
static IrRef slice(B *b, int32_t n)
{
  IrRef p[3];
  p[2] = n == 3 ? pop(b) : ir_const_none(b->fn, b->cur, b->line);
  p[1] = pop(b);
  p[0] = pop(b);
  IrBlock *bk = ir_blk(b->fn, b->cur);
  for (uint32_t i = bk->ninsts, k = 0; i-- > 0 && k < 16; k++) {
    IrVal *x = ir_val(b->fn, bk->insts[i]);
    if (x->op == IR_SLICE && x->args[0] == p[0] && x->args[1] == p[1] &&
        (x->args[2] == p[2] || (n == 2 && ir_val(b->fn, x->args[2])->op == IR_CONST &&
                                ir_val(b->fn, x->args[2])->type == IRT_NONE)))
      return bk->insts[i];
  }
  return emit(b, IR_SLICE, p, 3);
}

/* container[key] = v */
static void store(B *b, IrRef container, IrRef key, IrRef v)
{
  IrRef p[3] = {container, key, v};
  emit(b, IR_SETITEM, p, 3);
}

/* x.name = v (x on top, v below it): a.real = v and a.imag = v (and `+=`) of
 * arrays are NumPy's a.real[...] = v; other attributes cannot be assigned. */
static void store_attr(B *b, const char *name)
{
  if (strcmp(name, "real") && strcmp(name, "imag")) ir_error(b->ctx, EM_ERR_CONSTRUCT, b->line, "attribute assignments");
  IrRef x = pop(b), v = pop(b);
  IrRef a = emit1(b, IR_ATTR, x);
  b->fn->vals[a].aux.v.s = ir_strdup(b->ctx, name);
  store(b, a, ir_emit(b->fn, b->cur, IR_CONST, IRT_ELLIPSIS, NULL, 0, b->line), v);
}

/* raise with 'n' operands (exception, cause), ending the block (raise.c). */
static void raise_stmt(B *b, int32_t n)
{
  if (n == 0) ir_error(b->ctx, EM_ERR_CONSTRUCT, b->line, "bare raise statements (re-raising)");
  IrRef cause = n == 2 ? pop(b) : 0, exc = pop(b);
  fe_raise(&b->ssa, b->cur, exc, cause, b->line);
}

/* What attribute 'name' of module 'obj' is to the frontend, else 0: ember.prange
 * is `builtin "range"` (it runs serially: no threads yet); the class marker of
 * numpy.linalg.LinAlgError (np.linalg.LinAlgError, la.LinAlgError of a
 * numpy.linalg global), the one class raise takes from a module (raise.c). */
static IrRef module_attr(B *b, IrRef obj, const char *name)
{
  const IrVal *o = &b->fn->vals[obj];
  if (o->op == IR_MODREF && !strcmp(o->aux.v.s, "ember") && !strcmp(name, "prange")) {
    IrRef r = ir_emit(b->fn, b->cur, IR_BUILTIN, IRT_FUNC, NULL, 0, b->line);
    b->fn->vals[r].aux.v.s = ir_strdup(b->ctx, "range");
    return r;
  }
  if (strcmp(name, "LinAlgError")) return 0;
  bool mod = o->op == IR_MODREF && !strcmp(o->aux.v.s, "numpy.linalg");
  bool attr = o->op == IR_ATTR && !strcmp(o->aux.v.s, "linalg") && b->fn->vals[o->args[0]].op == IR_MODREF &&
              !strcmp(b->fn->vals[o->args[0]].aux.v.s, "numpy");
  return mod || attr ? fe_exc_class(b->fn, b->cur, "LinAlgError", b->line) : 0;
}

/* Simulate instruction 'in', the last of block 'bk' when 'last'. */
static void exec(B *b, const FeInsn *in, const Blk *bk)
{
  IrRef x, y;
  b->line = in->line;
  switch (in->op) {
  case FD_LOAD_FAST:   /* b: a load nested.c made, assigned wherever it runs */
    if (in->b) push(b, fe_ssa_read(&b->ssa, (uint32_t)in->a, b->cur));
    else loadfast(b, (uint32_t)in->a);
    break;
  case FD_STORE_FAST: storefast(b, (uint32_t)in->a, pop(b)); break;
  case FD_LOAD_CONST: push(b, constval(b, &b->co->consts[in->a], 0)); break;
  case FD_LOAD_GLOBAL: pushcallee(b, global(b, in->a), in->b); break;
  case FD_LOAD_ATTR:
    y = pop(b);
    if ((x = module_attr(b, y, b->co->names[in->a]))) { pushcallee(b, x, in->b); break; }
    x = emit1(b, IR_ATTR, y);
    b->fn->vals[x].aux.v.s = ir_strdup(b->ctx, b->co->names[in->a]);
    pushcallee(b, x, in->b);
    break;
  case FD_PUSH_NULL: push(b, b->nullmark); break;
  case FD_BINARY: case FD_COMPARE:
    y = pop(b), x = pop(b);
    push(b, x = emit2(b, (IrOp)in->sub, x, y));
    if (in->op == FD_BINARY && in->a) b->fn->vals[x].aux.v.i = 1;  /* x op= y: in place */
    break;
  case FD_IS: y = pop(b), x = pop(b); push(b, emit2(b, in->a ? IR_ISNOT : IR_IS, x, y)); break;
  case FD_CONTAINS: y = pop(b), x = pop(b); push(b, fe_contains(b->fn, b->cur, x, y, in->a, b->line)); break;
  case FD_UNARY:
    x = pop(b);
    push(b, in->sub == IR_NOT ? emit1(b, IR_NOT, truthy(b, x)) : emit1(b, (IrOp)in->sub, x));
    break;
  case FD_TO_BOOL: push(b, truthy(b, pop(b))); break;
  case FD_POP: popany(b); break;
  case FD_COPY: need(b, in->a); push(b, b->stk[b->sp - (uint32_t)in->a]); break;
  case FD_SWAP:
    need(b, in->a);
    x = b->stk[b->sp - 1];
    b->stk[b->sp - 1] = b->stk[b->sp - (uint32_t)in->a];
    b->stk[b->sp - (uint32_t)in->a] = x;
    break;
  case FD_ROT: rot(b, in->a); break;
  case FD_BUILD_TUPLE:
    need(b, in->a);
    for (uint32_t i = b->sp - (uint32_t)in->a; i < b->sp; i++)
      if (b->stk[i] == b->nullmark) bad(b, "NULL in a tuple");
    x = emit(b, IR_TUPLE, &b->stk[b->sp - (uint32_t)in->a], (uint32_t)in->a);
    b->sp -= (uint32_t)in->a;
    push(b, x);
    break;
  case FD_UNPACK: unpack(b, in->a); break;
  case FD_GET_ITER: push(b, emit1(b, IR_GETITER, pop(b))); break;
  case FD_FOR_ITER:
    x = emit1(b, IR_ITERHAS, peek(b));
    flush(b);
    ir_cbr(b->fn, b->cur, x, IRB(bk->succ[0]), NULL, 0, IRB(bk->succ[1]), NULL, 0, b->line);
    break;
  case FD_ITER_NEXT: push(b, emit1(b, IR_ITERNEXT, peek(b))); break;
  case FD_END_FOR: for (int32_t i = 0; i < in->a; i++) popany(b); break;
  case FD_JUMP: flush(b); ir_br(b->fn, b->cur, IRB(bk->succ[0]), NULL, 0, b->line); break;
  case FD_CJUMP: cjump(b, in, bk); break;
  case FD_RETURN: ir_ret(b->fn, b->cur, pop(b), b->line); break;
  case FD_CALL: call(b, in); break;
  case FD_SUBSCR: y = pop(b), x = pop(b); push(b, emit2(b, IR_GETITEM, x, y)); break;
  case FD_STORE_SUBSCR: y = pop(b), x = pop(b); store(b, x, y, pop(b)); break;
  case FD_STORE_ATTR: store_attr(b, b->co->names[in->a]); break;
  case FD_BUILD_SLICE: push(b, slice(b, in->a)); break;
  case FD_SLICE: y = slice(b, 2), x = pop(b); push(b, emit2(b, IR_GETITEM, x, y)); break;
  case FD_STORE_SLICE: y = slice(b, 2), x = pop(b); store(b, x, y, pop(b)); break;
  case FD_RAISE: raise_stmt(b, in->a); break;
  case FD_LOAD_ASSERT: push(b, fe_exc_class(b->fn, b->cur, "AssertionError", b->line)); break;
  case FD_FORMAT:
    y = in->b ? pop(b) : 0, x = pop(b);
    push(b, fe_str_format(b->fn, b->cur, x, in->a, y, b->line));
    break;
  case FD_CONVERT: push(b, fe_str_convert(b->fn, b->cur, pop(b), in->a, b->line)); break;
  case FD_BUILD_STRING:
    need(b, in->a);
    for (uint32_t i = b->sp - (uint32_t)in->a; i < b->sp; i++)
      if (b->stk[i] == b->nullmark) bad(b, "NULL in a string");
    b->sp -= (uint32_t)in->a;
    push(b, fe_str_concat(b->fn, b->cur, &b->stk[b->sp], (uint32_t)in->a, b->line));
    break;
  case FD_BUILD_LIST:
    need(b, in->a);
    for (uint32_t i = b->sp - (uint32_t)in->a; i < b->sp; i++)
      if (b->stk[i] == b->nullmark) bad(b, "NULL in a list");
    b->sp -= (uint32_t)in->a;
    push(b, fe_list_new(b->fn, b->cur, &b->stk[b->sp], (uint32_t)in->a, b->line));
    break;
  case FD_LIST_APPEND: case FD_LIST_EXTEND:
    x = pop(b);
    need(b, in->a);
    y = b->stk[b->sp - (uint32_t)in->a];
    if (y == b->nullmark) bad(b, "extending NULL");
    y = in->op == FD_LIST_APPEND ? fe_list_append(b->fn, b->cur, y, x, b->line) : fe_list_extend(b->fn, b->cur, y, x, b->line);
    b->stk[b->sp - (uint32_t)in->a] = y;
    break;
  case FD_LIST_TO_TUPLE: push(b, fe_list_tuple(b->fn, b->cur, pop(b), b->line)); break;
  case FD_MAKE_FUNCTION: push(b, fe_nest_make(b->nest, b->fn, b->cur, &b->co->consts[in->a], b->line)); break;
  case FD_FUNC_ATTR:
    x = pop(b), y = pop(b);
    fe_nest_attr(b->nest, &b->ssa, b->cur, x, (uint32_t)in->a, y, b->line);
    push(b, x);
    break;
  case FD_YIELD: ir_error(b->ctx, EM_ERR_CONSTRUCT, b->line, "generators other than those sum, min, max, any and all consume");
  case FD_PUSH_SYM: push(b, fe_nest_sym(b->fn, b->cur, (FeSym)in->a, b->co->pyversion, b->line)); break;
  case FD_CONST_MAP: push(b, fe_nest_dict(b->nest, b->fn, b->cur, pop(b), &b->co->consts[in->a], b->line)); break;
  case FD_BUILD_MAP:
    need(b, 2 * in->a);
    for (uint32_t i = b->sp - 2 * (uint32_t)in->a; i < b->sp; i++)
      if (b->stk[i] == b->nullmark) bad(b, "NULL in a dict");
    b->sp -= 2 * (uint32_t)in->a;
    push(b, fe_dict_new(b->fn, b->cur, &b->stk[b->sp], (uint32_t)in->a, b->line));
    break;
  case FD_DICT_ZIP: x = pop(b), y = pop(b); push(b, fe_dict_zip(b->fn, b->cur, y, x, b->line)); break;
  case FD_DEL_SUBSCR: x = pop(b), y = pop(b); fe_del_subscr(b->fn, b->cur, y, x, b->line); break;
  case FD_MAP_ADD:
    x = pop(b), y = pop(b);
    need(b, in->a);
    if (b->stk[b->sp - (uint32_t)in->a] == b->nullmark) bad(b, "MAP_ADD to NULL");
    fe_map_add(b->fn, b->cur, b->stk[b->sp - (uint32_t)in->a], y, x, b->line);
    break;
  default: bad(b, "unknown instruction");
  }
}

/* Code block 'k' ended in another IR block (after unholdable): its edges leave from there. */
static void redirect(B *b, uint32_t k)
{
  const Blk *bk = &b->blks[k];
  for (uint32_t s = 0; s < bk->nsucc; s++) {
    FeSsaBlk *to = &b->ssa.blks[IRB(bk->succ[s])];
    for (uint32_t e = 0; e < to->npreds; e++)
      if (to->preds[e].blk == IRB(k) && to->preds[e].si == s) to->preds[e].blk = b->cur;
  }
}

/* Fill code block 'k': entry stack from the SSA variables, then its instructions. */
static void fill(B *b, uint32_t k)
{
  const Blk *bk = &b->blks[k];
  b->cur = IRB(k);
  b->sp = 0;
  memcpy(b->def, &b->defin[(size_t)k * b->nw], b->nw * sizeof *b->def);
  b->line = b->ins[bk->start].line;
  for (int32_t i = 0; i < bk->depth; i++)
    push(b, bk->nulls[i] ? b->nullmark : fe_ssa_read(&b->ssa, b->co->nlocals + (uint32_t)i, b->cur));
  for (uint32_t i = bk->start; i < bk->end; i++) exec(b, &b->ins[i], bk);
  if (!is_term(&b->ins[bk->end - 1])) {
    flush(b);
    ir_br(b->fn, b->cur, IRB(bk->succ[0]), NULL, 0, b->line);
  }
  if (b->cur != IRB(k)) redirect(b, k);
}

/* After filling IR block 'ib' with successors 'succ': seal those now complete. */
static void filled(B *b, IrBlk ib, const uint32_t *succ, uint32_t nsucc)
{
  b->ssa.blks[ib].filled = true;
  for (uint32_t s = 0; s < nsucc; s++) {
    FeSsaBlk *to = &b->ssa.blks[IRB(succ[s])];
    if (++to->nfilled == to->npreds) fe_ssa_seal(&b->ssa, IRB(succ[s]));
  }
}

/* Predecessor edges of every IR block (the entry's edge to code block 0 first). */
static void preds(B *b)
{
  FeSsaBlk *sb = b->ssa.blks;
  sb[IRB(0)].npreds = 1;
  for (uint32_t k = 0; k < b->nblks; k++)
    if (b->blks[k].depth >= 0)
      for (uint32_t s = 0; s < b->blks[k].nsucc; s++) sb[IRB(b->blks[k].succ[s])].npreds++;
  for (IrBlk i = 0; i <= b->nblks; i++) {
    sb[i].preds = ir_alloc(b->ctx, (sb[i].npreds + 1) * sizeof *sb[i].preds);
    sb[i].npreds = 0;
  }
  sb[IRB(0)].preds[sb[IRB(0)].npreds++] = (FeEdge){0, 0};
  for (uint32_t k = 0; k < b->nblks; k++)
    if (b->blks[k].depth >= 0)
      for (uint32_t s = 0; s < b->blks[k].nsucc; s++) {
        FeSsaBlk *to = &sb[IRB(b->blks[k].succ[s])];
        to->preds[to->npreds++] = (FeEdge){IRB(k), s};
      }
}

/* The synthetic entry block 0: arguments, the NULL marker and undef. */
static void entry(B *b)
{
  IrFunc *fn = b->fn;
  IrBlk e = ir_block_new(fn);
  for (uint32_t k = 0; k < b->nblks; k++) {
    IrBlk ib = ir_block_new(fn);
    fn->blocks[ib].dead = b->blks[k].depth < 0;
  }
  fe_ssa_init(&b->ssa, fn, fn->nblocks);
  preds(b);
  b->ssa.blks[e].sealed = true;
  uint32_t nargs = fe_nparams(b->co);
  for (uint32_t i = 0; i < nargs; i++) {   /* a str argument is its literal (strlit.c); its parameter stays unread */
    IrRef p = ir_block_param(fn, e, IRT_ANY);
    const char *lit = b->co->strargs ? b->co->strargs[i] : NULL;
    fe_ssa_write(&b->ssa, i, e, lit ? fe_str_const(fn, e, lit, b->co->firstlineno) : p);
  }
  fe_nest_entry(b->nest, &b->ssa, e, b->co->firstlineno);
  b->ssa.undef = ir_emit(fn, e, IR_CONST, IRT_ANY, NULL, 0, b->co->firstlineno);
  fn->vals[b->ssa.undef].aux.v.s = "undef";
  fn->vals[b->ssa.undef].aux.s = "undef";
  b->nullmark = ir_const_none(fn, e, b->co->firstlineno);
  fn->vals[b->nullmark].aux.s = "null";
  b->ktrue = ir_const_int(fn, e, IRT_BOOL, 1, b->co->firstlineno);
  b->kfalse = ir_const_int(fn, e, IRT_BOOL, 0, b->co->firstlineno);
  for (uint32_t v = 0; v < b->co->nlocals; v++)
    if (HAS(b->risky, v)) fe_ssa_write(&b->ssa, BOUND(v), e, b->kfalse);
  ir_br(fn, e, IRB(0), NULL, 0, b->co->firstlineno);
  uint32_t first = 0;
  filled(b, e, &first, 1);
}

/* Locals read where no assignment reaches on any path. */
static void check_unbound(B *b, const IrRef *repl)
{
  for (uint32_t i = 0; i < b->nreads; i++)
    if (repl[b->reads[i].v] == b->ssa.undef)
      ir_error(b->ctx, EM_ERR_UNBOUND, b->reads[i].line, b->co->localnames[b->reads[i].var]);
}

/* fe_build of 'co', the top level ('nest' NULL) or a body nested.c inlines. */
static IrFunc *build(IrCtx *ctx, const FeCode *co, const FeResolver *res, FeNest *nest)
{
  B b = {ctx, co, res};
  b.line = co->firstlineno;
  b.nest = nest ? nest : fe_nest_new(ctx, co, res);
  if (!nest) check_header(ctx, co);
  b.nins = fe_decode(ctx, co, &b.ins);
  if (!nest && co->nfrees && !co->freeglobals)   /* a closure without its cells (a record) */
    ir_error(ctx, EM_ERR_CONSTRUCT, co->firstlineno, "closures (an ember.jit function using variables of the function around it)");
  b.nins = fe_nest_rewrite(b.nest, &b.ins, b.nins);
  split(&b);
  for (uint32_t k = 0; k < b.nblks; k++) succs(&b, k);
  depths(&b);
  assigned(&b);
  b.fn = ir_func_new(ctx, co->qualname ? co->qualname : co->name, co->filename, co->firstlineno);
  b.stkcap = co->stacksize + 2;
  b.stk = ir_alloc(ctx, b.stkcap * sizeof *b.stk);
  entry(&b);
  for (uint32_t k = 0; k < b.nblks; k++) {
    if (b.blks[k].depth < 0) continue;
    fill(&b, k);
    filled(&b, IRB(k), b.blks[k].succ, b.blks[k].nsucc);
  }
  IrRef *repl = fe_ssa_finish(&b.ssa);
  check_unbound(&b, repl);
  fe_nest_check(b.nest, b.fn);
  fe_str_fold(b.fn);
  fe_check_markers(b.fn);
  fe_check_lists(b.fn);
  fe_out_keyword(b.fn);
  return fe_normalize(b.fn);
}

IrFunc *fe_build(IrCtx *ctx, const FeCode *co, const FeResolver *res)
{
  return build(ctx, co, res, NULL);
}

IrFunc *fe_build_nested(IrCtx *ctx, const FeCode *co, const FeResolver *res, FeNest *nest)
{
  return build(ctx, co, res, nest);
}
