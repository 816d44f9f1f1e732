/* tests/c/test_passes.c: unit tests of passes/: infer on built and parsed IR,
 * fold's Python semantics, keyword binding through the host, the pipeline
 * and its hook, the verifier after every pass. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../passes/passes.h"

/* -- Helpers ----------------------------------------------------------------- */

typedef struct {
  IrFunc *fn;
  const char *list;
  int rc;
} Job;

static void run_job(IrCtx *ctx, void *arg)
{
  Job *j = arg;
  PassOptions opt = {.verify = true};
  (void)ctx;
  j->rc = passes_run_named(j->fn, j->list, &opt);
}

/* Parse 'text' (one function) into 'ctx'. */
static IrFunc *parse1(IrCtx *ctx, const char *text)
{
  IrFunc **fns;
  int n = ir_parse(ctx, text, "<test>", &fns);
  ck_assert_msg(n == 1, "parse: %s", ctx->errmsg);
  return fns[0];
}

/* Run 'list' on 'fn'; returns the compile error code. */
static IrErrCode run(IrFunc *fn, const char *list)
{
  Job j = {fn, list, 0};
  IrErrCode e = ir_ctx_run(fn->ctx, run_job, &j);
  if (e == EM_ERR_OK) ck_assert_int_eq(j.rc, 0);
  return e;
}

/* The first instruction with op 'op' in a live block, or 0. */
static IrRef find_op(IrFunc *fn, IrOp op)
{
  IR_FOREACH_BLOCK(fn, b)
    for (uint32_t i = 0; i < fn->blocks[b].ninsts; i++)
      if (fn->vals[fn->blocks[b].insts[i]].op == op) return fn->blocks[b].insts[i];
  return 0;
}

static uint32_t count_op(IrFunc *fn, IrOp op)
{
  uint32_t n = 0;
  IR_FOREACH_BLOCK(fn, b)
    for (uint32_t i = 0; i < fn->blocks[b].ninsts; i++) n += fn->vals[fn->blocks[b].insts[i]].op == op;
  return n;
}

/* The untyped IR the frontend makes of
 *   def f(n):
 *       s = 0.0
 *       for i in range(n):
 *           s += i * 0.5
 *       return s                                                         */
static const char *loop_text =
  "func @f(int) -> any {\n"
  "@0(%1:int):\n"
  "  %2:f64 = const 0.0  ; !2\n"
  "  %3:func = builtin \"range\"  ; !3\n"
  "  %4:any = call %3, %1  ; !3\n"
  "  %5:any = getiter %4  ; !3\n"
  "  br @1(%2)  ; !3\n"
  "@1(%6:any):\n"
  "  %7:any = iterhas %5  ; !3\n"
  "  cbr %7, @2, @3  ; !3\n"
  "@2:\n"
  "  %8:any = iternext %5  ; !3\n"
  "  %9:f64 = const 0.5  ; !4\n"
  "  %10:any = mul %8, %9  ; !4\n"
  "  %11:any = add %6, %10  ; !4\n"
  "  br @1(%11)  ; !4\n"
  "@3:\n"
  "  ret %6  ; !5\n"
  "}\n";

/* -- infer ------------------------------------------------------------------- */

START_TEST(test_infer_loop)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc *fn = parse1(ctx, loop_text);
  ck_assert_int_eq(run(fn, "infer"), EM_ERR_OK);
  ck_assert_int_eq(fn->ret, IRT_F64);
  ck_assert_int_eq(fn->vals[fn->blocks[1].params[0]].type, IRT_F64);  /* the accumulator */
  IrRef cvt = find_op(fn, IR_CVT);
  ck_assert_uint_ne(cvt, 0);                                          /* float(i) before the mul */
  ck_assert_int_eq(fn->vals[cvt].type, IRT_F64);
  ck_assert_int_eq(fn->vals[fn->vals[cvt].args[0]].op, IR_ITERNEXT);
  ck_assert_uint_eq(count_op(fn, IR_RANGE), 1);
  ck_assert(fn->pure);
  char err[256];
  ck_assert_msg(ir_func_verify(fn, err, sizeof err) == 0, "%s", err);
  ir_ctx_free(ctx);
}
END_TEST

/* Built with the builder: f(a: int) = a + 1.5 converts a; bool + bool is int. */
START_TEST(test_infer_builder)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc *fn = ir_func_new(ctx, "f", "t.py", 1);
  IrBlk b = ir_block_new(fn);
  IrRef a = ir_block_param(fn, b, IRT_INT), c = ir_block_param(fn, b, IRT_BOOL);
  IrRef k = ir_const_float(fn, b, IRT_F64, 1.5, 2);
  IrRef s = ir_emit(fn, b, IR_ADD, IRT_ANY, (IrRef[]){a, k}, 2, 2);
  IrRef t = ir_emit(fn, b, IR_ADD, IRT_ANY, (IrRef[]){c, c}, 2, 3);
  IrRef tup = ir_emit(fn, b, IR_TUPLE, IRT_ANY, (IrRef[]){s, t}, 2, 4);
  ir_ret(fn, b, tup, 4);
  ck_assert_int_eq(run(fn, "infer"), EM_ERR_OK);
  ck_assert_int_eq(fn->vals[s].type, IRT_F64);
  ck_assert_int_eq(fn->vals[fn->vals[s].args[0]].op, IR_CVT);
  ck_assert_int_eq(fn->vals[fn->vals[s].args[0]].type, IRT_F64);
  ck_assert_int_eq(fn->vals[t].type, IRT_INT);
  ck_assert_int_eq(fn->vals[fn->vals[t].args[0]].type, IRT_INT);
  IrType e[2] = {IRT_F64, IRT_INT};
  ck_assert_int_eq(fn->ret, ir_type_tuple(ctx, e, 2));
  ir_ctx_free(ctx);
}
END_TEST

/* `if lim is None: lim = 10; return lim + 1` for lim of type none and int. */
static const char *none_text =
  "func @g(%s) -> any {\n"
  "@0(%%1:%s):\n"
  "  %%2:none = const  ; !2\n"
  "  %%3:any = is %%1, %%2  ; !2\n"
  "  %%4:any = truth %%3  ; !2\n"
  "  cbr %%4, @1, @2(%%1)  ; !2\n"
  "@1:\n"
  "  %%5:int = const 10  ; !3\n"
  "  br @2(%%5)  ; !3\n"
  "@2(%%6:any):\n"
  "  %%7:int = const 1  ; !4\n"
  "  %%8:any = add %%6, %%7  ; !4\n"
  "  ret %%8  ; !4\n"
  "}\n";

START_TEST(test_infer_is_none)
{
  const char *types[2] = {"none", "int"};
  for (int i = 0; i < 2; i++) {
    char text[1024];
    snprintf(text, sizeof text, none_text, types[i], types[i]);
    IrCtx *ctx = ir_ctx_new();
    IrFunc *fn = parse1(ctx, text);
    ck_assert_int_eq(run(fn, "infer"), EM_ERR_OK);
    ck_assert_int_eq(fn->ret, IRT_INT);
    ck_assert_int_eq(fn->vals[fn->blocks[2].params[0]].type, IRT_INT);
    ck_assert_uint_eq(count_op(fn, IR_CBR), 0);       /* decided from types */
    ck_assert_uint_eq(count_op(fn, IR_IS), 0);
    ck_assert(fn->blocks[1].dead == (i == 1));        /* lim = 10 only runs for None */
    ir_ctx_free(ctx);
  }
}
END_TEST

static const struct { const char *body, *msg; IrErrCode code; } typing_errors[] = {
  {"  %2:any = tuple %1, %1  ; !2\n  %3:any = add %1, %2  ; !3\n  ret %3  ; !3\n",
   "unsupported operand type(s) for +: 'int' and 'tuple'", EM_ERR_TYPES},
  {"  %2:c128 = const 1.0, 2.0  ; !2\n  %3:any = lt %2, %2  ; !2\n  ret %3  ; !2\n",
   "'<' not supported between instances of 'complex' and 'complex'", EM_ERR_TYPES},
  {"  %2:any = extract %1, 0  ; !2\n  ret %2  ; !2\n", "cannot unpack non-iterable int object", EM_ERR_TYPES},
  {"  %2:any = global \"np\"  ; !2\n  ret %2  ; !2\n", "np", EM_ERR_GLOBAL},
  {"  %2:func = builtin \"print\"  ; !2\n  %3:any = call %2, %1  ; !2\n  ret %3  ; !2\n", "print", EM_ERR_CALL},
  {"  %2:func = builtin \"abs\"  ; !2\n  %3:any = call %2, %1, %1  ; !2\n  ret %3  ; !2\n",
   "abs() takes exactly 1 argument (2 given)", EM_ERR_ARGS},
  {"  %2:any = call %1  ; !2\n  ret %2  ; !2\n", "'int' object is not callable", EM_ERR_TYPES},
  {"  %2:f64 = const 1.5  ; !2\n  %3:any = lshift %1, %2  ; !2\n  ret %3  ; !2\n",
   "unsupported operand type(s) for <<: 'int' and 'float'", EM_ERR_TYPES},
};

START_TEST(test_infer_errors)
{
  for (size_t i = 0; i < sizeof typing_errors / sizeof *typing_errors; i++) {
    char text[1024];
    snprintf(text, sizeof text, "func @e(int) -> any {\n@0(%%1:int):\n%s}\n", typing_errors[i].body);
    IrCtx *ctx = ir_ctx_new();
    IrFunc *fn = parse1(ctx, text);
    ck_assert_int_eq(run(fn, "infer"), typing_errors[i].code);
    ck_assert_msg(strstr(ctx->errmsg, typing_errors[i].msg), "case %zu: %s", i, ctx->errmsg);
    ck_assert_int_eq(ctx->errline, 2 + (i == 0));
    ir_ctx_free(ctx);
  }
}
END_TEST

/* A none/int join names what met and where. */
START_TEST(test_infer_join_error)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc *fn = parse1(ctx,
    "func @f(bool) -> any {\n@0(%1:bool):\n  %2:none = const  ; !2\n  cbr %1, @1, @2(%2)  ; !3\n"
    "@1:\n  %3:int = const 1  ; !4\n  br @2(%3)  ; !4\n@2(%4:any):\n  ret %4  ; !5\n}\n");
  ck_assert_int_eq(run(fn, "infer"), EM_ERR_TYPES);
  ck_assert_ptr_nonnull(strstr(ctx->errmsg, "NoneType on one path and int on another"));
  ck_assert_int_eq(ctx->errline, 4);
  ck_assert_int_eq(ir_errinfo[ctx->err].cls, 'T');
  ir_ctx_free(ctx);
}
END_TEST

/* -- Calls through the host: binding of keywords and defaults --------------- */

typedef struct {
  IrType seen[8];
  uint32_t nseen;
} TestHost;

/* g(a, b, c=2.5): keywords by name. */
static int bind(void *host, int64_t id, uint32_t npos, const char *const *kw, uint32_t nkw, int32_t *map,
                IrDefault *defaults, uint32_t maxparams, uint32_t *nparams, char *err, size_t errsize)
{
  static const char *names[3] = {"a", "b", "c"};
  (void)host; (void)id; (void)maxparams;
  *nparams = 3;
  for (int i = 0; i < 3; i++) map[i] = i < (int)npos ? i : -1;
  for (uint32_t k = 0; k < nkw; k++)
    for (int i = 0; i < 3; i++)
      if (!strcmp(kw[k], names[i])) map[i] = (int32_t)(npos + k);
  if (map[0] < 0 || map[1] < 0) { snprintf(err, errsize, "g() missing an argument"); return -1; }
  if (map[2] < 0) defaults[2] = (IrDefault){IRT_F64, {.f = 2.5}};
  return 0;
}

static int call_sig(void *host, int64_t id, const IrType *args, uint32_t nargs, IrCtx *ctx, IrType *ret,
                    const char **symbol, bool *pure, char *err, size_t errsize)
{
  TestHost *h = host;
  (void)id; (void)ctx; (void)err; (void)errsize;
  memcpy(h->seen, args, nargs * sizeof *args);
  h->nseen = nargs;
  *ret = IRT_F64;
  *symbol = "em_g";
  *pure = false;
  return 0;
}

START_TEST(test_infer_call_bind)
{
  IrCtx *ctx = ir_ctx_new();
  TestHost h = {{0}, 0};
  ctx->host = (IrHost){&h, call_sig, bind};
  IrFunc *fn = parse1(ctx,
    "func @f(int, f64) -> any {\n@0(%1:int, %2:f64):\n  %3:func = funcref 7 \"g\"  ; !2\n"
    "  %4:any = call %3, %1, %2 kw(\"b\")  ; !2\n  ret %4  ; !2\n}\n");
  ck_assert_int_eq(run(fn, "infer"), EM_ERR_OK);
  ck_assert_uint_eq(h.nseen, 3);                      /* g(%1, b=%2, c=2.5) */
  ck_assert_int_eq(h.seen[0], IRT_INT);
  ck_assert_int_eq(h.seen[1], IRT_F64);
  ck_assert_int_eq(h.seen[2], IRT_F64);
  IrRef c = find_op(fn, IR_CALLFN);
  ck_assert_uint_ne(c, 0);
  ck_assert_str_eq(fn->vals[c].aux.v.s, "em_g");
  ck_assert_uint_eq(fn->vals[c].nargs, 3);
  ck_assert_uint_eq(fn->vals[c].args[0], fn->blocks[0].params[0]);
  ck_assert_uint_eq(fn->vals[c].args[1], fn->blocks[0].params[1]);
  ck_assert_int_eq(fn->vals[fn->vals[c].args[2]].op, IR_CONST);
  ck_assert(fn->vals[fn->vals[c].args[2]].aux.v.f == 2.5);
  ck_assert_int_eq(fn->ret, IRT_F64);
  ck_assert(!fn->pure);                               /* the callee is impure */
  ir_ctx_free(ctx);
}
END_TEST

/* -- fold: Python semantics -------------------------------------------------- */

/* Fold 'op' on int constants a and b; returns true and '*r' when folded. */
static bool fold_ints(IrOp op, int64_t a, int64_t b, IrType rt, IrAuxVal *r)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc *fn = ir_func_new(ctx, "k", "t.py", 1);
  IrBlk blk = ir_block_new(fn);
  IrRef x = ir_const_int(fn, blk, IRT_INT, a, 1), y = ir_const_int(fn, blk, IRT_INT, b, 1);
  IrRef v = ir_emit(fn, blk, op, rt, (IrRef[]){x, y}, 2, 1);
  ir_ret(fn, blk, v, 1);
  fn->ret = rt;
  ck_assert_int_eq(run(fn, "fold"), EM_ERR_OK);
  bool folded = fn->vals[v].op == IR_CONST;
  *r = fn->vals[v].aux.v;
  ir_ctx_free(ctx);
  return folded;
}

START_TEST(test_fold_python_int)
{
  static const struct { IrOp op; int64_t a, b, r; } ok[] = {
    {IR_FLOORDIV, -7, 2, -4}, {IR_FLOORDIV, 7, -2, -4}, {IR_FLOORDIV, -7, -2, 3}, {IR_FLOORDIV, 6, -3, -2},
    {IR_MOD, -7, 2, 1}, {IR_MOD, 7, -2, -1}, {IR_MOD, -7, -2, -1}, {IR_MOD, 6, -3, 0},
    {IR_MOD, INT64_MIN, -1, 0}, {IR_POW, 3, 4, 81}, {IR_POW, -2, 63, INT64_MIN}, {IR_POW, 0, 0, 1},
    {IR_RSHIFT, -1, 200, -1}, {IR_RSHIFT, -7, 1, -4}, {IR_LSHIFT, 1, 62, (int64_t)1 << 62},
    {IR_SUB, INT64_MIN + 1, 1, INT64_MIN},
  };
  IrAuxVal r;
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    ck_assert_msg(fold_ints(ok[i].op, ok[i].a, ok[i].b, IRT_INT, &r), "case %zu not folded", i);
    ck_assert_msg(r.i == ok[i].r, "case %zu: %lld", i, (long long)r.i);
  }
  static const struct { IrOp op; int64_t a, b; } never[] = {
    {IR_FLOORDIV, 1, 0}, {IR_MOD, 1, 0}, {IR_FLOORDIV, INT64_MIN, -1}, {IR_ADD, INT64_MAX, 1},
    {IR_MUL, (int64_t)1 << 32, (int64_t)1 << 31}, {IR_POW, 2, 63}, {IR_POW, 2, -1}, {IR_LSHIFT, 1, 63},
    {IR_LSHIFT, 1, -1}, {IR_RSHIFT, 1, -1}, {IR_SUB, INT64_MIN, 1},
  };
  for (size_t i = 0; i < sizeof never / sizeof *never; i++)
    ck_assert_msg(!fold_ints(never[i].op, never[i].a, never[i].b, IRT_INT, &r), "case %zu folded", i);
  ck_assert(fold_ints(IR_TRUEDIV, 7, 2, IRT_F64, &r) && r.f == 3.5);
  ck_assert(fold_ints(IR_TRUEDIV, -1, 3, IRT_F64, &r) && r.f == -1.0 / 3.0);
  ck_assert(!fold_ints(IR_TRUEDIV, ((int64_t)1 << 53) + 1, 3, IRT_F64, &r));  /* needs exact big division */
  ck_assert(!fold_ints(IR_TRUEDIV, 1, 0, IRT_F64, &r));
}
END_TEST

static bool fold_floats(IrOp op, double a, double b, double *r)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc *fn = ir_func_new(ctx, "k", "t.py", 1);
  IrBlk blk = ir_block_new(fn);
  IrRef x = ir_const_float(fn, blk, IRT_F64, a, 1), y = ir_const_float(fn, blk, IRT_F64, b, 1);
  IrRef v = ir_emit(fn, blk, op, IRT_F64, (IrRef[]){x, y}, 2, 1);
  ir_ret(fn, blk, v, 1);
  fn->ret = IRT_F64;
  ck_assert_int_eq(run(fn, "fold"), EM_ERR_OK);
  bool folded = fn->vals[v].op == IR_CONST;
  *r = fn->vals[v].aux.v.f;
  ir_ctx_free(ctx);
  return folded;
}

START_TEST(test_fold_python_float)
{
  double r;
  ck_assert(fold_floats(IR_FLOORDIV, -7.0, 2.0, &r) && r == -4.0);
  ck_assert(fold_floats(IR_MOD, -7.0, 2.0, &r) && r == 1.0);
  ck_assert(fold_floats(IR_MOD, 7.0, -2.0, &r) && r == -1.0);
  ck_assert(fold_floats(IR_MOD, -0.0, 2.0, &r) && r == 0.0 && !signbit(r));
  ck_assert(fold_floats(IR_MOD, 0.0, -2.0, &r) && r == 0.0 && signbit(r));
  ck_assert(fold_floats(IR_FLOORDIV, -0.0, 1.0, &r) && r == 0.0 && signbit(r));
  ck_assert(fold_floats(IR_MOD, -1e-300, 1e300, &r) && r == 1e300);   /* as CPython: -1e-300 % 1e300 */
  ck_assert(fold_floats(IR_POW, NAN, 0.0, &r) && r == 1.0);
  ck_assert(fold_floats(IR_POW, 1.0, NAN, &r) && r == 1.0);
  ck_assert(fold_floats(IR_POW, -2.0, 3.0, &r) && r == -8.0);
  ck_assert(fold_floats(IR_POW, 2.0, -2.0, &r) && r == 0.25);
  ck_assert(!fold_floats(IR_POW, 0.0, -1.0, &r));        /* ZeroDivisionError */
  ck_assert(!fold_floats(IR_POW, -8.0, 1.0 / 3.0, &r));  /* complex in CPython */
  ck_assert(!fold_floats(IR_POW, 1e200, 2.0, &r));       /* OverflowError */
  ck_assert(!fold_floats(IR_FLOORDIV, 1.0, 0.0, &r));
  ck_assert(!fold_floats(IR_MOD, 1.0, -0.0, &r));
  ck_assert(!fold_floats(IR_TRUEDIV, 1.0, 0.0, &r));
}
END_TEST

/* -- Pipeline ------------------------------------------------------------------ */

typedef struct {
  const char *names[9];
  int n;
  int verify_failures;
} Seen;

static void after(void *ud, const char *phase, IrFunc *fn)
{
  Seen *s = ud;
  char err[256];
  if (s->n < 9) s->names[s->n] = phase;
  s->n++;
  if (strcmp(phase, "frontend") && ir_func_verify(fn, err, sizeof err)) s->verify_failures++;
}

typedef struct { IrFunc *fn; PassOptions *opt; } PJob;

static void pipeline_job(IrCtx *ctx, void *arg)
{
  PJob *j = arg;
  (void)ctx;
  passes_run(j->fn, j->opt);
}

START_TEST(test_pipeline)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc *fn = parse1(ctx, loop_text);
  Seen seen = {{0}, 0, 0};
  PassOptions opt = {.verify = true, .after = after, .ud = &seen};
  PJob j = {fn, &opt};
  ck_assert_int_eq(ir_ctx_run(ctx, pipeline_job, &j), EM_ERR_OK);
  ck_assert_int_eq(seen.n, 8);
  const char *want[8] = {"frontend", "infer", "lower", "canonicalize", "simplify", "stabilize", "fuse", "cleanup"};
  for (int i = 0; i < 8; i++) ck_assert_str_eq(seen.names[i], want[i]);
  for (int i = 0; pass_phases[i].name; i++) ck_assert_str_eq(pass_phases[i].name, want[i + 1]);
  ck_assert_int_eq(seen.verify_failures, 0);
  for (int i = 0; i < 4; i++) ck_assert(opt.seconds[i] >= 0.0);
  ck_assert_uint_eq(count_op(fn, IR_BUILTIN), 0);     /* compile-time values are gone */
  ck_assert_uint_eq(count_op(fn, IR_NOP), 0);
  ck_assert_ptr_null(fn->passopt);
  ck_assert_int_eq(pass_options(fn)->verify, false);
  ir_ctx_free(ctx);
}
END_TEST

START_TEST(test_named)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc *fn = parse1(ctx, loop_text);
  ck_assert_int_eq(passes_run_named(fn, "infer nosuchpass", NULL), -1);
  ck_assert_int_eq(fn->ret, IRT_ANY);                 /* nothing ran */
  ck_assert_int_eq(run(fn, "infer, fold cse dce simplify cleanup"), EM_ERR_OK);
  char err[256];
  ck_assert_msg(ir_func_verify(fn, err, sizeof err) == 0, "%s", err);
  ir_ctx_free(ctx);
}
END_TEST

/* Every pass leaves IR the verifier accepts, on every .eir-like input above. */
START_TEST(test_verify_each_pass)
{
  static const char *passes[] = {"fold", "cse", "dce", "simplify", "cleanup", "canonicalize"};
  for (size_t p = 0; p < sizeof passes / sizeof *passes; p++) {
    IrCtx *ctx = ir_ctx_new();
    IrFunc *fn = parse1(ctx, loop_text);
    ck_assert_int_eq(run(fn, "infer"), EM_ERR_OK);
    ck_assert_int_eq(run(fn, passes[p]), EM_ERR_OK);  /* run() verifies after each pass */
    char err[256];
    ck_assert_msg(ir_func_verify(fn, err, sizeof err) == 0, "%s: %s", passes[p], err);
    ir_ctx_free(ctx);
  }
}
END_TEST

int main(void)
{
  Suite *s = suite_create("passes");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_infer_loop);
  tcase_add_test(tc, test_infer_builder);
  tcase_add_test(tc, test_infer_is_none);
  tcase_add_test(tc, test_infer_errors);
  tcase_add_test(tc, test_infer_join_error);
  tcase_add_test(tc, test_infer_call_bind);
  tcase_add_test(tc, test_fold_python_int);
  tcase_add_test(tc, test_fold_python_float);
  tcase_add_test(tc, test_pipeline);
  tcase_add_test(tc, test_named);
  tcase_add_test(tc, test_verify_each_pass);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
