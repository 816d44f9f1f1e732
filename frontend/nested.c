/* frontend/nested.c: nested functions, lambdas, closures and generator
 * expressions, inlined where they are called (as Numba inlines closures).
 *
 * While the builder runs, MAKE_FUNCTION pushes a marker value (an untyped
 * CONST "function") that stands for an FeFunc: the nested code object and
 * its defaults.  A local stored exactly once in the code may hold it; such
 * stores and loads bypass the SSA variables (fe_nest_store, fe_nest_load).
 * A call of a marker (fe_nest_call):
 *   1. binds the arguments to the parameters (keywords by name, positional
 *      defaults; a missing or extra argument is EM_ERR_ARGS);
 *   2. builds the nested code as a function of its own (build.c's
 *      fe_build_nested, with a child FeNest): its parameters are the bound
 *      arguments, then one per free variable, whose value is the enclosing
 *      function's local of that name read at the call (CPython reads a cell
 *      when the nested code runs: the same thing, as the body runs here and
 *      now); a free variable holding a nested function is that function;
 *   3. splices that function's blocks in at the call: its entry joins the
 *      calling block, each `ret v` becomes `br` to a new block whose one
 *      parameter is the call's value, and building goes on in that block
 *      (whose SSA reads look through the calling block).
 * Defaults (positional, and keyword-only ones: the const-key dict display
 * that makes them is a marker too) are evaluated where the function is
 * made, into SSA variables of that build (DEFVAR, by parameter).
 * A nested function that assigns free variables (nonlocal) returns them
 * too, as a tuple after its value, and the caller stores them back into its
 * locals after the call; where the function was handed to another nested
 * build ('frozen': its free variables are parameters there) or the local is
 * the caller's own free variable, that is refused.  Recursion (the code
 * already on the chain of builds) is refused.
 *
 * A generator (a genexpr's code) called is a marker too (FeGen: the function
 * and its arguments, the iterator), which sum, min, max, any and all take as
 * their one iterable: the child build then rewrites the generator's
 * instructions (fe_nest_rewrite) so that each yield folds the item into
 * extra locals and the generator's return returns the result:
 *   sum: s, c = _sum_step(s, c, item) (CPython's left fold from `start`, with
 *        3.12's Neumaier compensation: jit/ember/_lib.py); _sum_end(s, c);
 *   min/max: the first item, then an item replacing it where `item < best`
 *        (`item > best`); none: ValueError with CPython's message;
 *   any/all: return True (False) at the first true (false) item.
 * A function passed to a nested function (a callback) is handed over like a
 * free variable holding one.  Every other use of a marker (passed to an
 * ember.jit function, returned, stored in a tuple, chosen by a branch) is a
 * compile error at its line (fe_nest_check).
 */
#include <string.h>

#include "fe.h"

typedef struct FeFunc {
  const FeCode *code;
  const FeNest *home;     /* the build it is called in: DEFVAR lives there */
  uint32_t id;            /* in 'home' */
  uint64_t hasdef;        /* the parameters (bit i) with a default */
  bool bound;             /* a copy handed into a nested build: free variables from env/envf */
  IrRef *env;             /* per free variable: its value (an entry parameter of 'home') */
  struct FeFunc **envf;   /* per free variable: the function it holds, or NULL */
} FeFunc;

/* What an entry parameter of a nested build stands for (fe_nest_entry). */
typedef struct {
  uint8_t kind;           /* SLOT_* */
  uint32_t var;           /* LOCAL, FUNC: the local */
  FeFunc *f;              /* FUNC: the function the local holds; DEFAULT, ENV: whose */
  uint32_t k;             /* DEFAULT, ENV: which */
} Slot;

enum { SLOT_LOCAL, SLOT_FUNC, SLOT_DEFAULT, SLOT_ENV };

typedef struct {
  FeFunc *f;              /* the generator function called */
  IrRef *args;
  uint32_t nargs;
} FeGen;

typedef struct {
  IrRef ref;
  FeFunc *f;              /* NULL: a dict display */
  FeGen *g;               /* a generator object, or NULL for the function */
  const FeConst *keys;    /* a dict display of constant keys: its keys, */
  IrRef vals;             /* and the tuple of its values */
} Mark;

enum { MODE_FUNC, MODE_SUM, MODE_MIN, MODE_MAX, MODE_ANY, MODE_ALL };

struct FeNest {
  IrCtx *ctx;
  const FeCode *co;       /* the code built (a consumer's copy has 3 more locals) */
  const FeCode *orig;     /* the code as captured */
  const FeResolver *res;
  const FeNest *parent;
  IrFunc *fn;             /* set at the entry */
  int mode;
  Mark *marks;
  uint32_t nmarks, markcap;
  FeFunc **fvar;          /* per local: the function it holds */
  uint32_t *nstore;       /* per local: its stores in the code */
  uint32_t nfuncs;
  uint32_t freebase, nfree;   /* the free variables' locals */
  Slot *slots;            /* the entry parameters after the arguments (and sum's start, last) */
  uint32_t nslots, slotcap;
  uint32_t acc, aux, tmp; /* a consumer's locals: result, compensation or `seen`, item */
  bool frozen;            /* free variables may not be assigned */
  uint32_t nwritten;      /* free variables the code assigns (returned after the value) */
};

#define DEFVAR(f, i) (0x50000000u + (f)->id * 64u + (i))   /* SSA variable of the default of parameter i */
#define MAXDEPTH 16

static const char *const modes[] = {"", "sum", "min", "max", "any", "all"};

_Noreturn static void bad(IrCtx *ctx, int32_t line, const char *what)
{
  ir_error(ctx, EM_ERR_BADCODE, line, what);
}

static FeNest *newnest(IrCtx *ctx, const FeCode *co, const FeCode *orig, const FeResolver *res,
                       const FeNest *parent, int mode)
{
  FeNest *n = ir_alloc(ctx, sizeof *n);
  n->ctx = ctx;
  n->co = co;
  n->orig = orig;
  n->res = res;
  n->parent = parent;
  n->mode = mode;
  n->fvar = ir_alloc(ctx, (co->nlocals + 1) * sizeof *n->fvar);
  n->nstore = ir_alloc(ctx, (co->nlocals + 1) * sizeof *n->nstore);
  n->freebase = orig->nlocals >= orig->nfrees ? orig->nlocals - orig->nfrees : 0;
  n->nfree = orig->nlocals - n->freebase;
  n->acc = orig->nlocals;
  n->aux = orig->nlocals + 1;
  n->tmp = orig->nlocals + 2;
  return n;
}

FeNest *fe_nest_new(IrCtx *ctx, const FeCode *co, const FeResolver *res)
{
  FeNest *n = newnest(ctx, co, co, res, NULL, MODE_FUNC);
  n->nfree = 0;   /* a top-level function with free variables is refused by build.c */
  return n;
}

/* -- Markers ------------------------------------------------------------------ */

static Mark *findmark(const FeNest *n, IrRef r)
{
  for (uint32_t i = 0; i < n->nmarks; i++)
    if (n->marks[i].ref == r) return &n->marks[i];
  return NULL;
}

/* A new marker of 'f' (or of generator 'g') in block 'b'. */
static IrRef mark(FeNest *n, IrFunc *fn, IrBlk b, FeFunc *f, FeGen *g, int32_t line)
{
  if (n->nmarks == n->markcap) {
    uint32_t cap = n->markcap ? 2 * n->markcap : 8;
    n->marks = ir_realloc(n->ctx, n->marks, n->markcap * sizeof *n->marks, cap * sizeof *n->marks);
    n->markcap = cap;
  }
  IrRef r = ir_emit(fn, b, IR_CONST, IRT_ANY, NULL, 0, line);
  fn->vals[r].aux.v.s = g ? "generator" : "function";
  fn->vals[r].aux.s = fn->vals[r].aux.v.s;
  n->marks[n->nmarks++] = (Mark){r, f, g, NULL, 0};
  return r;
}

/* The function marker of 'f' in this build. */
static IrRef funcmark(const FeNest *n, const FeFunc *f)
{
  for (uint32_t i = 0; i < n->nmarks; i++)
    if (n->marks[i].f == f && !n->marks[i].g) return n->marks[i].ref;
  return 0;
}

IrRef fe_nest_make(FeNest *n, IrFunc *fn, IrBlk b, const FeConst *c, int32_t line)
{
  const FeCode *code = c->code;
  if (!code) ir_error(n->ctx, EM_ERR_CONSTRUCT, line, "nested functions and lambdas");
  if (code->flags & FE_CO_VARKEYWORDS) ir_error(n->ctx, EM_ERR_CONSTRUCT, line, "**kwargs parameters");
  if (code->flags & (FE_CO_COROUTINE | FE_CO_ITERABLE_COROUTINE | FE_CO_ASYNC_GENERATOR))
    ir_error(n->ctx, EM_ERR_CONSTRUCT, line, "coroutines and async generators");
  FeFunc *f = ir_alloc(n->ctx, sizeof *f);
  f->code = code;
  f->home = n;
  f->id = n->nfuncs++;
  return mark(n, fn, b, f, NULL, line);
}

IrRef fe_nest_dict(FeNest *n, IrFunc *fn, IrBlk b, IrRef vals, const FeConst *keys, int32_t line)
{
  if (fn->vals[vals].op != IR_TUPLE || keys->kind != FE_CONST_TUPLE || keys->n != fn->vals[vals].nargs)
    bad(n->ctx, line, "BUILD_CONST_KEY_MAP without its keys");
  IrRef r = mark(n, fn, b, NULL, NULL, line);
  n->marks[n->nmarks - 1].keys = keys;
  n->marks[n->nmarks - 1].vals = vals;
  return r;
}

/* Default of parameter 'i' of 'f' is 'v' (written in block 'b'). */
static void setdefault(FeNest *n, FeSsa *ssa, IrBlk b, FeFunc *f, uint32_t i, IrRef v, int32_t line)
{
  if (i >= 64) ir_error(n->ctx, EM_ERR_TOOBIG, line, "a nested function's parameters with defaults");
  f->hasdef |= UINT64_C(1) << i;
  fe_ssa_write(ssa, DEFVAR(f, i), b, v);
}

void fe_nest_attr(FeNest *n, FeSsa *ssa, IrBlk b, IrRef func, uint32_t flag, IrRef v, int32_t line)
{
  Mark *m = findmark(n, func), *d = findmark(n, v);
  IrFunc *fn = ssa->fn;
  if (!m || !m->f || m->g) bad(n->ctx, line, "function attribute of no function");
  FeFunc *f = m->f;
  const FeCode *co = f->code;
  const IrVal *t = &fn->vals[v];
  switch (flag) {
  case 8: case 4: return;   /* the closure binds by name; annotations do nothing */
  case 1:
    if (t->op != IR_TUPLE || t->nargs > co->argcount) bad(n->ctx, line, "defaults are not a tuple");
    for (uint32_t k = 0; k < t->nargs; k++) setdefault(n, ssa, b, f, co->argcount - t->nargs + k, fn->vals[v].args[k], line);
    return;
  case 2:   /* {name: value} of keyword-only parameters */
    if (!d || !d->keys) bad(n->ctx, line, "keyword defaults are not a dict");
    for (uint32_t k = 0; k < d->keys->n; k++) {
      uint32_t i = co->argcount;
      while (i < co->argcount + co->kwonlyargcount && strcmp(co->localnames[i], d->keys->elems[k].s)) i++;
      if (i == co->argcount + co->kwonlyargcount) bad(n->ctx, line, "keyword default of no parameter");
      setdefault(n, ssa, b, f, i, fn->vals[d->vals].args[k], line);
    }
    d->ref = 0;   /* used up: no dict display is left */
    return;
  default: ir_errorf(n->ctx, EM_ERR_OPCODE, line, "SET_FUNCTION_ATTRIBUTE %u is not supported", flag);
  }
}

bool fe_nest_store(FeNest *n, uint32_t var, IrRef v, int32_t line)
{
  Mark *m = findmark(n, v);
  if (!m) {
    if (var >= n->freebase && var - n->freebase < n->nfree && (n->frozen || n->mode != MODE_FUNC))
      ir_error(n->ctx, EM_ERR_FLAGS, line, "assignments to variables of the enclosing function (nonlocal) are "
               "supported only in a nested function called where it is defined");
    return false;
  }
  if (!m->f) ir_error(n->ctx, EM_ERR_CONSTRUCT, line, "dict displays");
  if (m->g) ir_error(n->ctx, EM_ERR_FLAGS, line, "a generator stored in a variable is not supported: "
                     "pass the generator expression to sum, min, max, any or all directly");
  if (var >= n->co->nlocals || n->nstore[var] != 1)
    ir_error(n->ctx, EM_ERR_FLAGS, line, "a variable holding a nested function must not be assigned anything else");
  n->fvar[var] = m->f;
  return true;
}

IrRef fe_nest_load(FeNest *n, uint32_t var)
{
  if (var >= n->co->nlocals || !n->fvar[var]) return 0;
  return funcmark(n, n->fvar[var]);
}

void fe_nest_check(FeNest *n, IrFunc *fn)
{
  if (!n->nmarks) return;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      const IrVal *v = &fn->vals[bk->insts[i]];
      Mark *m = NULL;
      for (uint32_t a = 0; a < v->nargs && !m; a++) m = findmark(n, v->args[a]);
      for (uint32_t s = 0; s < v->nsucc && !m; s++)
        for (uint32_t a = 0; a < v->succ[s].nargs && !m; a++) m = findmark(n, v->succ[s].args[a]);
      if (!m) continue;
      if (!m->f) ir_error(n->ctx, EM_ERR_CONSTRUCT, v->line, "dict displays");
      if (m->g) ir_error(n->ctx, EM_ERR_FLAGS, v->line, "generator expressions are supported only as the "
                         "argument of sum, min, max, any and all");
      ir_error(n->ctx, EM_ERR_FLAGS, v->line, "a nested function or lambda used as a value (passed, returned, "
               "stored in a container or chosen by a branch) is not supported; only calls of it are");
    }
  }
}

/* -- Symbols --------------------------------------------------------------------- */

IrRef fe_nest_sym(IrFunc *fn, IrBlk b, FeSym sym, int pyversion, int32_t line)
{
  IrRef v;
  const char *what = pyversion >= 312 ? "() iterable argument is empty" : "() arg is an empty sequence";
  char msg[64];
  switch (sym) {
  case FE_SYM_NONE: return ir_const_none(fn, b, line);
  case FE_SYM_TRUE: return ir_const_int(fn, b, IRT_BOOL, 1, line);
  case FE_SYM_FALSE: return ir_const_int(fn, b, IRT_BOOL, 0, line);
  case FE_SYM_FZERO: return ir_const_float(fn, b, IRT_F64, 0.0, line);
  case FE_SYM_SUM_STEP: case FE_SYM_SUM_END:
    v = ir_emit(fn, b, IR_BUILTIN, IRT_FUNC, NULL, 0, line);
    fn->vals[v].aux.v.s = sym == FE_SYM_SUM_STEP ? "ember.sum_step" : "ember.sum_end";   /* jit/ember/_lib.py */
    return v;
  case FE_SYM_VALUEERROR: return fe_exc_class(fn, b, "ValueError", line);
  case FE_SYM_MIN_EMPTY: case FE_SYM_MAX_EMPTY:
    snprintf(msg, sizeof msg, "%s%s", sym == FE_SYM_MIN_EMPTY ? "min" : "max", what);
    return fe_str_const(fn, b, ir_strdup(fn->ctx, msg), line);
  }
  ir_error(fn->ctx, EM_ERR_BADCODE, line, "unknown symbol");
}

/* -- The entry of a nested build ------------------------------------------------ */

#define ADDBIT(set, i) ((set)[(i) >> 6] |= UINT64_C(1) << ((i) & 63))

void fe_nest_entry_defs(const FeNest *n, uint64_t *set)
{
  for (uint32_t k = 0; k < n->nfree; k++) ADDBIT(set, n->freebase + k);
  if (n->mode == MODE_SUM) ADDBIT(set, n->acc);
  if (n->mode >= MODE_SUM && n->mode <= MODE_MAX) ADDBIT(set, n->aux);
}

void fe_nest_entry(FeNest *n, FeSsa *ssa, IrBlk e, int32_t line)
{
  IrFunc *fn = n->fn = ssa->fn;
  for (uint32_t i = 0; i < n->nslots; i++) {
    const Slot *sl = &n->slots[i];
    if (sl->kind == SLOT_FUNC) {   /* no parameter: the local holds a function */
      if (n->nstore[sl->var])
        ir_error(n->ctx, EM_ERR_FLAGS, line, "a parameter or variable holding a nested function must not be assigned");
      n->fvar[sl->var] = sl->f;
      mark(n, fn, e, sl->f, NULL, line);
      continue;
    }
    IrRef p = ir_block_param(fn, e, IRT_ANY);
    if (sl->kind == SLOT_LOCAL) fe_ssa_write(ssa, sl->var, e, p);
    else if (sl->kind == SLOT_DEFAULT) fe_ssa_write(ssa, DEFVAR(sl->f, sl->k), e, p);
    else sl->f->env[sl->k] = p;
  }
  if (n->mode == MODE_SUM) {
    fe_ssa_write(ssa, n->acc, e, ir_block_param(fn, e, IRT_ANY));
    fe_ssa_write(ssa, n->aux, e, fe_nest_sym(fn, e, FE_SYM_FZERO, 0, line));
  }
  if (n->mode == MODE_MIN || n->mode == MODE_MAX) fe_ssa_write(ssa, n->aux, e, fe_nest_sym(fn, e, FE_SYM_FALSE, 0, line));
}

/* -- Consumers: a generator's yields as a fold ------------------------------------- */

typedef struct {
  IrCtx *ctx;
  FeInsn *out;
  uint32_t n, cap;
  int32_t line;
} Rw;

static FeInsn *put(Rw *w, FeDop op, int32_t a, int32_t b)
{
  if (w->n == w->cap) {
    uint32_t cap = w->cap ? 2 * w->cap : 64;
    w->out = ir_realloc(w->ctx, w->out, w->cap * sizeof *w->out, cap * sizeof *w->out);
    w->cap = cap;
  }
  FeInsn *in = &w->out[w->n++];
  memset(in, 0, sizeof *in);
  in->op = (uint8_t)op;
  in->a = a;
  in->b = b;
  in->target = -1;
  in->line = w->line;
  return in;
}

static void sym(Rw *w, FeSym s) { put(w, FD_PUSH_SYM, s, 0); }

static void callk(Rw *w, int32_t argc) { put(w, FD_CALL, argc, -1)->c = FN_NONE; }

/* A conditional jump (FC_* 'kind') whose target is patched later: its index. */
static uint32_t cjump(Rw *w, int kind)
{
  put(w, FD_CJUMP, kind, 0);
  return w->n - 1;
}

/* The yield of the item on top of the stack: fold it in, push None (what it is sent). */
static void yield(FeNest *n, Rw *w)
{
  uint32_t j, k;
  switch (n->mode) {
  case MODE_SUM:   /* s, c = _sum_step(s, c, item) */
    put(w, FD_STORE_FAST, (int32_t)n->tmp, 0);
    sym(w, FE_SYM_SUM_STEP);
    put(w, FD_LOAD_FAST, (int32_t)n->acc, 1);
    put(w, FD_LOAD_FAST, (int32_t)n->aux, 1);
    put(w, FD_LOAD_FAST, (int32_t)n->tmp, 1);
    callk(w, 3);
    put(w, FD_UNPACK, 2, 0);
    put(w, FD_STORE_FAST, (int32_t)n->acc, 0);
    put(w, FD_STORE_FAST, (int32_t)n->aux, 0);
    break;
  case MODE_MIN: case MODE_MAX:   /* if not seen or item < best: best = item; seen = True */
    put(w, FD_STORE_FAST, (int32_t)n->tmp, 0);
    put(w, FD_LOAD_FAST, (int32_t)n->aux, 1);
    j = cjump(w, FC_IF_FALSE);
    put(w, FD_LOAD_FAST, (int32_t)n->tmp, 1);
    put(w, FD_LOAD_FAST, (int32_t)n->acc, 1);
    put(w, FD_COMPARE, 0, 0)->sub = n->mode == MODE_MIN ? IR_LT : IR_GT;
    k = cjump(w, FC_IF_FALSE);
    w->out[j].target = (int32_t)w->n;
    put(w, FD_LOAD_FAST, (int32_t)n->tmp, 1);
    put(w, FD_STORE_FAST, (int32_t)n->acc, 0);
    sym(w, FE_SYM_TRUE);
    put(w, FD_STORE_FAST, (int32_t)n->aux, 0);
    w->out[k].target = (int32_t)w->n;
    break;
  default:   /* any: return True at a true item; all: False at a false one */
    j = cjump(w, n->mode == MODE_ANY ? FC_IF_FALSE : FC_IF_TRUE);
    sym(w, n->mode == MODE_ANY ? FE_SYM_TRUE : FE_SYM_FALSE);
    put(w, FD_RETURN, 0, 0);
    w->out[j].target = (int32_t)w->n;
    break;
  }
  sym(w, FE_SYM_NONE);
}

/* The generator's return (of None, on top): the result of the fold. */
static void finish(FeNest *n, Rw *w)
{
  uint32_t j;
  put(w, FD_POP, 0, 0);
  switch (n->mode) {
  case MODE_SUM:
    sym(w, FE_SYM_SUM_END);
    put(w, FD_LOAD_FAST, (int32_t)n->acc, 1);
    put(w, FD_LOAD_FAST, (int32_t)n->aux, 1);
    callk(w, 2);
    break;
  case MODE_MIN: case MODE_MAX:   /* no item: ValueError */
    put(w, FD_LOAD_FAST, (int32_t)n->aux, 1);
    j = cjump(w, FC_IF_FALSE);
    put(w, FD_LOAD_FAST, (int32_t)n->acc, 1);
    put(w, FD_RETURN, 0, 0);
    w->out[j].target = (int32_t)w->n;
    sym(w, FE_SYM_VALUEERROR);
    sym(w, n->mode == MODE_MIN ? FE_SYM_MIN_EMPTY : FE_SYM_MAX_EMPTY);
    callk(w, 1);
    put(w, FD_RAISE, 1, 0);
    return;
  default: sym(w, n->mode == MODE_ANY ? FE_SYM_FALSE : FE_SYM_TRUE); break;
  }
  put(w, FD_RETURN, 0, 0);
}

/* The return of a function assigning free variables: (value, the variables...). */
static void writeback(FeNest *n, Rw *w)
{
  for (uint32_t j = 0; j < n->nfree; j++)
    if (n->nstore[n->freebase + j]) put(w, FD_LOAD_FAST, (int32_t)(n->freebase + j), 1);
  put(w, FD_BUILD_TUPLE, (int32_t)(n->nwritten + 1), 0);
  put(w, FD_RETURN, 0, 0);
}

uint32_t fe_nest_rewrite(FeNest *n, FeInsn **ins, uint32_t count)
{
  FeInsn *in = *ins;
  for (uint32_t i = 0; i < count; i++)
    if (in[i].op == FD_STORE_FAST && (uint32_t)in[i].a < n->co->nlocals) n->nstore[in[i].a]++;
  for (uint32_t j = 0; j < n->nfree; j++) n->nwritten += n->nstore[n->freebase + j] != 0;
  if (n->mode == MODE_FUNC && !n->nwritten) return count;
  Rw w = {n->ctx};
  uint32_t *at = ir_alloc(n->ctx, (count + 1) * sizeof *at), *copied = ir_alloc(n->ctx, (count + 1) * sizeof *copied);
  uint32_t ncopied = 0;
  for (uint32_t i = 0; i < count; i++) {
    at[i] = w.n;
    w.line = in[i].line;
    if (in[i].op == FD_YIELD) yield(n, &w);
    else if (in[i].op == FD_RETURN && n->mode == MODE_FUNC) writeback(n, &w);
    else if (in[i].op == FD_RETURN) finish(n, &w);
    else {
      *put(&w, FD_POP, 0, 0) = in[i];
      copied[ncopied++] = w.n - 1;
    }
  }
  for (uint32_t k = 0; k < ncopied; k++) {   /* the code's own jumps: to the new places */
    FeInsn *o = &w.out[copied[k]];
    if (o->target >= 0) o->target = (int32_t)at[o->target];
  }
  *ins = w.out;
  return w.n;
}

/* -- Inlining ------------------------------------------------------------------ */

/* Copy normalized function 'src' into the function of 'ssa' at block '*at',
 * its entry parameters bound to 'args'; each `ret` branches to a new block,
 * which becomes '*at'; returns that block's parameter, the call's value. */
static IrRef splice(FeSsa *ssa, IrBlk *at, IrFunc *src, const IrRef *args, uint32_t nargs, int32_t line)
{
  IrFunc *dst = ssa->fn;
  IrCtx *ctx = dst->ctx;
  if (src->blocks[0].nparams != nargs) bad(ctx, line, "inlined call: parameter count");
  IrRef *vm = ir_alloc(ctx, (src->nvals + 1) * sizeof *vm);
  IrBlk *bm = ir_alloc(ctx, (src->nblocks + 1) * sizeof *bm);
  IrBlk cont = ir_block_new(dst);
  fe_ssa_addblock(ssa, cont, *at);
  IrRef res = ir_block_param(dst, cont, IRT_ANY);
  bm[0] = *at;
  for (uint32_t i = 0; i < nargs; i++) vm[src->blocks[0].params[i]] = args[i];
  for (IrBlk b = 1; b < src->nblocks; b++) {
    if (src->blocks[b].dead) continue;
    bm[b] = ir_block_new(dst);
    fe_ssa_addblock(ssa, bm[b], *at);
    for (uint32_t i = 0; i < src->blocks[b].nparams; i++) {
      IrRef p = src->blocks[b].params[i];
      vm[p] = ir_block_param(dst, bm[b], src->vals[p].type);
    }
  }
  IR_FOREACH_BLOCK(src, b) {
    const IrBlock *bk = &src->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      const IrVal *v = &src->vals[bk->insts[i]];
      IrRef *a = ir_alloc(ctx, (v->nargs + 1) * sizeof *a);
      for (uint32_t k = 0; k < v->nargs; k++) a[k] = vm[v->args[k]];
      if (v->op == IR_RET) { ir_br(dst, bm[b], cont, a, 1, v->line); continue; }
      IrRef r = ir_emit(dst, bm[b], (IrOp)v->op, v->type, a, v->nargs, v->line);
      IrVal *w = &dst->vals[r];
      w->aux = v->aux;
      if (v->nsucc) {
        w->nsucc = v->nsucc;
        w->succ = ir_alloc(ctx, v->nsucc * sizeof *w->succ);
        for (uint32_t s = 0; s < v->nsucc; s++) {
          IrRef *sa = ir_alloc(ctx, (v->succ[s].nargs + 1) * sizeof *sa);
          for (uint32_t k = 0; k < v->succ[s].nargs; k++) sa[k] = vm[v->succ[s].args[k]];
          w->succ[s] = (IrSucc){bm[v->succ[s].blk], v->succ[s].nargs, sa};
        }
      }
      vm[bk->insts[i]] = r;
    }
  }
  *at = cont;
  return res;
}

/* The local of the enclosing build 'n' that free variable 'name' names. */
static uint32_t outer_local(const FeNest *n, const char *name, int32_t line)
{
  for (uint32_t v = 0; v < n->orig->nlocals; v++)
    if (!strcmp(n->co->localnames[v], name)) return v;
  bad(n->ctx, line, "free variable not in the enclosing function");
}

/* A consumer's copy of generator code 'co': three more locals, room on the stack. */
static const FeCode *consumer_code(IrCtx *ctx, const FeCode *co)
{
  FeCode *c = ir_alloc(ctx, sizeof *c);
  *c = *co;
  c->nlocals = co->nlocals + 3;
  const char **names = ir_alloc(ctx, (c->nlocals + 1) * sizeof *names);
  memcpy(names, co->localnames, co->nlocals * sizeof *names);
  names[co->nlocals] = "<result>";
  names[co->nlocals + 1] = "<seen>";
  names[co->nlocals + 2] = "<item>";
  c->localnames = names;
  c->nfrees = co->nfrees + 3;   /* 3.10's LOAD_DEREF counts cells and frees back from the last local (decode.c) */
  c->stacksize = co->stacksize + 4;
  return c;
}

typedef struct {
  IrRef *v;
  uint32_t n, cap;
} Args;

static void arg(IrCtx *ctx, Args *a, IrRef v)
{
  if (a->n == a->cap) {
    uint32_t cap = a->cap ? 2 * a->cap : 16;
    a->v = ir_realloc(ctx, a->v, a->cap * sizeof *a->v, cap * sizeof *a->v);
    a->cap = cap;
  }
  a->v[a->n++] = v;
}

/* Add an entry slot to 'c' and its argument 'v' to 'args'. */
static void slot(FeNest *c, Slot sl, Args *args, IrRef v)
{
  if (c->nslots == c->slotcap) {
    uint32_t cap = c->slotcap ? 2 * c->slotcap : 8;
    c->slots = ir_realloc(c->ctx, c->slots, c->slotcap * sizeof *c->slots, cap * sizeof *c->slots);
    c->slotcap = cap;
  }
  c->slots[c->nslots++] = sl;
  if (sl.kind != SLOT_FUNC) arg(c->ctx, args, v);
}

/* Free variable 'j' of 'f' (called or handed on in its home 'n', block 'b'):
 * its value, or 0 with the function it holds in '*fun'. */
static IrRef freeval(FeNest *n, FeSsa *ssa, IrBlk b, const FeFunc *f, uint32_t j, FeFunc **fun, int32_t line)
{
  const FeCode *co = f->code;
  *fun = NULL;
  if (f->bound) {
    *fun = f->envf[j];
    return f->env[j];
  }
  uint32_t v = outer_local(n, co->localnames[co->nlocals - co->nfrees + j], line);
  if (n->fvar[v]) *fun = n->fvar[v];
  return n->fvar[v] ? 0 : fe_ssa_read(ssa, v, b);
}

/* The functions being handed over, innermost first: a cycle (a function
 * whose free variable holds itself, to recurse) reuses the copy. */
typedef struct Hand {
  const FeFunc *f;
  FeFunc *g;
  const struct Hand *up;
} Hand;

/* A copy of 'f' (of build 'n') for nested build 'c': its defaults and the
 * values of its free variables become entry parameters of 'c' ('args'). */
static FeFunc *handover(FeNest *n, FeSsa *ssa, IrBlk b, FeNest *c, FeFunc *f, Args *args, const Hand *up, int32_t line)
{
  for (const Hand *h = up; h; h = h->up)
    if (h->f == f) return h->g;
  FeFunc *g = ir_alloc(n->ctx, sizeof *g);
  uint32_t nf = f->code->nfrees;
  *g = (FeFunc){f->code, c, c->nfuncs++, f->hasdef, true};
  g->env = ir_alloc(n->ctx, (nf + 1) * sizeof *g->env);
  g->envf = ir_alloc(n->ctx, (nf + 1) * sizeof *g->envf);
  Hand me = {f, g, up};
  for (uint32_t i = 0; i < 64; i++)
    if (f->hasdef >> i & 1) slot(c, (Slot){SLOT_DEFAULT, 0, g, i}, args, fe_ssa_read(ssa, DEFVAR(f, i), b));
  for (uint32_t j = 0; j < nf; j++) {
    FeFunc *h;
    IrRef v = freeval(n, ssa, b, f, j, &h, line);
    if (h) g->envf[j] = handover(n, ssa, b, c, h, args, &me, line);
    else slot(c, (Slot){SLOT_ENV, 0, g, j}, args, v);
  }
  return g;
}

/* A copy of code 'co' with stack room for writeback's tuple. */
static const FeCode *roomy_code(IrCtx *ctx, const FeCode *co)
{
  FeCode *c = ir_alloc(ctx, sizeof *c);
  *c = *co;
  c->stacksize = co->stacksize + co->nfrees + 1;
  return c;
}

/* Item 'i' of tuple 'v' in block 'b'. */
static IrRef item(IrFunc *fn, IrBlk b, IrRef v, int64_t i, int32_t line)
{
  IrRef r = ir_emit(fn, b, IR_EXTRACT, IRT_ANY, &v, 1, line);
  fn->vals[r].aux.v.i = i;
  return r;
}

/* After a call of nested build 'c' in block 'b' of 'n': store the free
 * variables it assigned ('r' = (value, variables...)); returns the value. */
static IrRef store_back(FeNest *n, FeSsa *ssa, IrBlk b, const FeNest *c, IrRef r, int32_t line)
{
  int64_t i = 1;
  for (uint32_t j = 0; j < c->nfree; j++) {
    if (!c->nstore[c->freebase + j]) continue;
    uint32_t v = outer_local(n, c->orig->localnames[c->freebase + j], line);
    if (n->fvar[v] || (v >= n->freebase && v - n->freebase < n->nfree))
      ir_error(n->ctx, EM_ERR_FLAGS, line, "assignments to variables of the enclosing function (nonlocal) are "
               "supported only for that function's own variables");
    fe_ssa_write(ssa, v, b, item(ssa->fn, b, r, i++, line));
    fe_ssa_write(ssa, 0x40000000u + v, b, ir_const_int(ssa->fn, b, IRT_BOOL, 1, line));   /* build.c's BOUND(v) */
  }
  return item(ssa->fn, b, r, 0, line);
}

static Mark *marker(FeNest *n, FeSsa *ssa, IrRef r, int depth);

/* Build 'f' (in 'mode') on 'args' ('nargs' bound arguments, then 'extra' if
 * not 0) and splice it in at '*b'; returns the value. */
static IrRef inline_body(FeNest *n, FeSsa *ssa, IrBlk *b, FeFunc *f, int mode, const IrRef *args,
                         uint32_t nargs, IrRef extra, int32_t line)
{
  uint32_t depth = 0;
  for (const FeNest *p = n; p; p = p->parent, depth++)
    if (p->orig == f->code) ir_error(n->ctx, EM_ERR_CONSTRUCT, line, "recursive nested functions");
  if (depth > MAXDEPTH) ir_error(n->ctx, EM_ERR_TOOBIG, line, "the nesting of functions");
  const FeCode *co = mode == MODE_FUNC ? roomy_code(n->ctx, f->code) : consumer_code(n->ctx, f->code);
  FeNest *c = newnest(n->ctx, co, f->code, n->res, n, mode);
  c->frozen = f->bound;
  Args ea = {0};
  Mark **cb = ir_alloc(n->ctx, (nargs + 1) * sizeof *cb);
  for (uint32_t i = 0; i < nargs; i++) {   /* a function passed (a callback): the parameter holds it */
    cb[i] = marker(n, ssa, args[i], 0);
    if (cb[i] && (!cb[i]->f || cb[i]->g)) cb[i] = NULL;
    arg(n->ctx, &ea, cb[i] ? ir_const_none(ssa->fn, *b, line) : args[i]);
  }
  for (uint32_t i = 0; i < nargs; i++)
    if (cb[i]) slot(c, (Slot){SLOT_FUNC, i, handover(n, ssa, *b, c, cb[i]->f, &ea, NULL, line), 0}, &ea, 0);
  for (uint32_t j = 0; j < c->nfree; j++) {
    FeFunc *h;
    IrRef v = freeval(n, ssa, *b, f, j, &h, line);
    uint32_t var = c->freebase + j;
    if (h) slot(c, (Slot){SLOT_FUNC, var, handover(n, ssa, *b, c, h, &ea, NULL, line), 0}, &ea, 0);
    else slot(c, (Slot){SLOT_LOCAL, var, NULL, 0}, &ea, v);
  }
  if (mode == MODE_SUM) arg(n->ctx, &ea, extra);
  IrFunc *body = fe_build_nested(n->ctx, co, n->res, c);
  IrRef r = splice(ssa, b, body, ea.v, ea.n, line);
  return c->nwritten ? store_back(n, ssa, *b, c, r, line) : r;
}

/* Bind the 'n' operands 'ops' (the last 'nkw' of them keywords 'kw') of a
 * call of 'f' to its parameters; returns them (co_argcount + kw-only). */
static IrRef *bind(FeNest *n, FeSsa *ssa, IrBlk b, const FeFunc *f, const IrRef *ops, uint32_t cnt,
                   const char **kw, uint32_t nkw, int32_t line)
{
  const FeCode *co = f->code;
  uint32_t np = co->argcount + co->kwonlyargcount, npos = cnt - nkw;
  bool star = co->flags & FE_CO_VARARGS;
  IrRef *p = ir_alloc(n->ctx, (np + 2) * sizeof *p);
  if (npos > co->argcount && !star)
    ir_errorf(n->ctx, EM_ERR_ARGS, line, "%.100s() takes %u positional arguments but %u were given",
              co->name, co->argcount, npos);
  for (uint32_t i = 0; i < npos && i < co->argcount; i++) p[i] = ops[i];
  if (star)   /* *args: the tuple of the positional arguments past the named ones */
    p[np] = ir_emit(ssa->fn, b, IR_TUPLE, IRT_ANY, ops + co->argcount, npos > co->argcount ? npos - co->argcount : 0, line);
  for (uint32_t k = 0; k < nkw; k++) {
    uint32_t i = co->posonlyargcount;
    while (i < np && strcmp(co->localnames[i], kw[k])) i++;
    if (i == np || p[i])
      ir_errorf(n->ctx, EM_ERR_ARGS, line, "%.100s() got an unexpected or repeated keyword argument '%.100s'",
                co->name, kw[k]);
    p[i] = ops[npos + k];
  }
  for (uint32_t i = 0; i < np; i++) {
    if (p[i]) continue;
    if (i < 64 && f->hasdef >> i & 1) p[i] = fe_ssa_read(ssa, DEFVAR(f, i), b);
    else ir_errorf(n->ctx, EM_ERR_ARGS, line, "%.100s() missing argument '%.100s'", co->name, co->localnames[i]);
  }
  return p;
}

/* sum, min, max, any or all ('mode') of generator 'g': operands 'ops' after the generator. */
static IrRef consume(FeNest *n, FeSsa *ssa, IrBlk *b, int mode, FeGen *g, const IrRef *ops, uint32_t cnt,
                     const char **kw, uint32_t nkw, int32_t line)
{
  IrRef start = 0;
  if (mode == MODE_SUM && cnt == 1 && (!nkw || !strcmp(kw[0], "start"))) start = ops[0];
  else if (cnt || nkw)
    ir_errorf(n->ctx, EM_ERR_FLAGS, line, "%s() of a generator expression with more arguments is not supported",
              modes[mode]);
  if (mode == MODE_SUM && !start) start = ir_const_int(ssa->fn, *b, IRT_INT, 0, line);
  if (g->nargs != fe_nparams(g->f->code))
    ir_error(n->ctx, EM_ERR_ARGS, line, "a generator called with the wrong number of arguments");
  return inline_body(n, ssa, b, g->f, mode, g->args, g->nargs, start, line);
}

/* The marker that 'r' is: itself, or a block parameter (a stack slot where a
 * conditional expression joins, `f(x if c else y)`) whose every incoming
 * value is that marker; NULL if none. */
static Mark *marker(FeNest *n, FeSsa *ssa, IrRef r, int depth)
{
  Mark *m = findmark(n, r);
  const IrVal *v = &ssa->fn->vals[r];
  if (m || v->op != IR_PARAM || depth > 8 || v->aux.v.i <= 0 || (uint64_t)v->aux.v.i > ssa->nparams) return m;
  const FeParam *p = &ssa->params[v->aux.v.i - 1];
  if (p->ref != r || !p->ops) return NULL;
  for (uint32_t e = 0; e < ssa->blks[p->blk].npreds; e++) {
    if (p->ops[e] == r) continue;
    Mark *o = marker(n, ssa, p->ops[e], depth + 1);
    if (!o || (m && o != m)) return NULL;
    m = o;
  }
  return m;
}

IrRef fe_nest_call(FeNest *n, FeSsa *ssa, IrBlk *b, const IrRef *ops, uint32_t cnt, const char **kw,
                   uint32_t nkw, int32_t line)
{
  if (!n->nmarks) return 0;
  IrFunc *fn = ssa->fn;
  Mark *m = marker(n, ssa, ops[0], 0);
  if (m && m->f && !m->g) {
    FeFunc *f = m->f;
    IrRef *p = bind(n, ssa, *b, f, ops + 1, cnt - 1, kw, nkw, line);
    uint32_t np = fe_nparams(f->code);
    if (!(f->code->flags & FE_CO_GENERATOR)) return inline_body(n, ssa, b, f, MODE_FUNC, p, np, 0, line);
    FeGen *g = ir_alloc(n->ctx, sizeof *g);
    *g = (FeGen){f, p, np};
    return mark(n, fn, *b, f, g, line);
  }
  Mark *gm = cnt >= 2 ? marker(n, ssa, ops[1], 0) : NULL;
  if (!gm || !gm->g || fn->vals[ops[0]].op != IR_BUILTIN) return 0;
  const char *name = fn->vals[ops[0]].aux.v.s;
  for (int mode = MODE_SUM; mode <= MODE_ALL; mode++)
    if (name && !strcmp(name, modes[mode])) return consume(n, ssa, b, mode, gm->g, ops + 2, cnt - 2, kw, nkw, line);
  return 0;
}
