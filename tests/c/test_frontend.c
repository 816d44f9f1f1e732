/* tests/c/test_frontend.c: the frontend on recorded bytecode fixtures.
 *
 * Guards: (1) every supported case of tests/frontend/cases.py, recorded under
 * CPython 3.10-3.13 by tools/record_fixtures.py, builds and prints the same
 * IR on every version; (2) the op sequence of a few cases; (3) unsupported
 * cases fail with the right error code, construct and line; (4) random,
 * truncated and mutated records give errors, never crashes (run under ASan).
 * EMBER_FE_DUMP=name prints a case's IR for every version.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../frontend/frontend.h"

static const int versions[] = {310, 311, 312, 313};
#define NVERS 4

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  size_t got = fread(s, 1, (size_t)n, f);
  s[got] = 0;
  fclose(f);
  return s;
}

static char *fixture(int ver, const char *name)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/frontend/fixtures/py%d/%s.rec", EMBER_SOURCE_ROOT, ver, name);
  return slurp(path);
}

/* Case names, from the 3.12 index. */
static char **case_names(int *n)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/frontend/fixtures/py312/INDEX", EMBER_SOURCE_ROOT);
  char *s = slurp(path);
  ck_assert_msg(s != NULL, "missing %s", path);
  char **names = calloc(256, sizeof *names);
  *n = 0;
  for (char *tok = strtok(s, "\n"); tok && *n < 256; tok = strtok(NULL, "\n")) names[(*n)++] = strdup(tok);
  free(s);
  return names;
}

typedef struct {
  const char *text;
  IrFunc *fn;
  FeCode *code;
  int parsed;
} Job;

static void job_run(IrCtx *ctx, void *arg)
{
  Job *j = arg;
  j->code = fe_record_parse(ctx, j->text);
  if (!j->code) return;
  j->parsed = 1;
  FeResolver res = {j->code, fe_record_global};
  j->fn = fe_build(ctx, j->code, &res);
}

typedef struct {
  IrErrCode err;
  int32_t line, firstline;
  char msg[512];
  char *ir;           /* printed IR (malloc'd) on success */
} Result;

/* Build 'text'; fill 'r'. */
static void build_text(const char *text, Result *r)
{
  IrCtx *ctx = ir_ctx_new();
  Job j = {text};
  memset(r, 0, sizeof *r);
  r->err = ir_ctx_run(ctx, job_run, &j);
  r->line = ctx->errline;
  snprintf(r->msg, sizeof r->msg, "%s", ctx->errmsg);
  if (j.code) r->firstline = j.code->firstlineno;
  if (r->err == EM_ERR_OK && j.fn) {
    r->ir = ir_func_print_str(j.fn);
    IrFunc **fns;
    if (ir_parse(ctx, r->ir, "frontend", &fns) != 1) {
      fprintf(stderr, "IR does not parse back: %s\n%s", ctx->errmsg, r->ir);
      r->err = EM_ERR_PARSE;
    } else {
      char *again = ir_func_print_str(fns[0]);
      if (strcmp(again, r->ir)) {
        fprintf(stderr, "IR does not print back the same:\n%s--\n%s", r->ir, again);
        r->err = EM_ERR_PARSE;
      }
      free(again);
    }
    char verr[256];
    if (ir_func_verify(j.fn, verr, sizeof verr) != 0) {
      fprintf(stderr, "verifier: %s\n%s", verr, r->ir);
      r->err = EM_ERR_VERIFY;
      snprintf(r->msg, sizeof r->msg, "%s", verr);
    }
  }
  ir_ctx_free(ctx);
}

static void build_case(int ver, const char *name, Result *r)
{
  char *text = fixture(ver, name);
  if (!text) { fprintf(stderr, "missing fixture py%d/%s\n", ver, name); abort(); }
  build_text(text, r);
  free(text);
}

static void dump(const char *name)
{
  for (int v = 0; v < NVERS; v++) {
    Result r;
    build_case(versions[v], name, &r);
    printf("== %d %s: err %d line %d %s\n%s", versions[v], name, r.err, r.line, r.err ? r.msg : "",
           r.ir ? r.ir : "");
    free(r.ir);
  }
}

/* -- (1) same IR on every version --------------------------------------------- */

START_TEST(test_cross_version)
{
  int n;
  char **names = case_names(&n);
  int failures = 0;
  ck_assert_int_ge(n, 30);
  for (int i = 0; i < n; i++) {
    if (!strncmp(names[i], "err_", 4)) continue;
    Result r[NVERS];
    for (int v = 0; v < NVERS; v++) {
      build_case(versions[v], names[i], &r[v]);
      if (r[v].err) {
        fprintf(stderr, "%s on %d: error %d at line %d: %s\n", names[i], versions[v], r[v].err,
                r[v].line, r[v].msg);
        failures++;
      }
    }
    for (int v = 1; v < NVERS; v++)
      if (r[0].ir && r[v].ir && strcmp(r[0].ir, r[v].ir)) {
        fprintf(stderr, "%s: IR differs between 3.10 and %d:\n%s--\n%s", names[i], versions[v],
                r[0].ir, r[v].ir);
        failures++;
      }
    for (int v = 0; v < NVERS; v++) free(r[v].ir);
  }
  for (int i = 0; i < n; i++) free(names[i]);
  free(names);
  ck_assert_int_eq(failures, 0);
}
END_TEST

/* -- (2) op sequences ------------------------------------------------------------- */

/* The op keywords of the printed IR, in order; block headers, constants and
 * global references (hoisted to the entry) skipped. */
static void ops_of(const char *ir, char *out, size_t size)
{
  out[0] = 0;
  for (const char *p = ir; *p;) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)(len < 511 ? len : 511), p);
    p += len + (eol ? 1 : 0);
    if (strncmp(line, "  ", 2)) continue;
    char *s = line + 2, *eq = strstr(s, " = ");
    if (eq) s = eq + 3;
    char op[32];
    sscanf(s, "%31s", op);
    if (!strcmp(op, "const") || !strcmp(op, "funcref") || !strcmp(op, "builtin") || !strcmp(op, "modref"))
      continue;
    if (out[0]) strncat(out, " ", size - strlen(out) - 1);
    strncat(out, op, size - strlen(out) - 1);
  }
}

static void expect_ops(const char *name, const char *want)
{
  for (int v = 0; v < NVERS; v++) {
    Result r;
    char got[4096];
    build_case(versions[v], name, &r);
    ck_assert_msg(r.err == EM_ERR_OK, "%s on %d: %s", name, versions[v], r.msg);
    ops_of(r.ir, got, sizeof got);
    ck_assert_msg(!strcmp(got, want), "%s on %d: ops '%s', want '%s'\n%s", name, versions[v], got,
                  want, r.ir);
    free(r.ir);
  }
}

START_TEST(test_ops)
{
  expect_ops("add", "add ret");
  expect_ops("str_literals", "ne cbr ret add add ret");   /* strlit.c: ==, in, len, int, float of literals folded */
  expect_ops("nested_star", "tuple call call add tuple call call add add ret");   /* *args: the tuple of the extras */
  expect_ops("logical_not", "truth not ret");
  expect_ops("chained", "lt cbr lt ret ret");
  expect_ops("tuple_unpack", "extract extract sub ret");
  expect_ops("call_kw", "call ret");
  expect_ops("math_calls", "attr call attr call add attr add ret");
  expect_ops("for_range1", "call getiter br iterhas cbr iternext add br ret");
  expect_ops("and_value", "truth cbr ret ret");
  expect_ops("none_default", "is cbr add ret add ret");
  /* an int past 64 bits raises where it is loaded; the rest of its path is dead */
  expect_ops("bigint_const", "raise");
  expect_ops("bigint_global", "raise");
  expect_ops("bigint_branch", "gt cbr raise add ret");
  /* a local assigned on some paths only: its bound flag is tested where it is read */
  expect_ops("maybe_unbound", "truth cbr cbr ret raise");
  expect_ops("always_unbound", "raise");   /* UnboundLocalError when called, not a compile error */
  expect_ops("loop_unbound", "call getiter br iterhas cbr iternext mul br cbr cbr add ret raise raise");
  expect_ops("matmul_ops", "matmul matmul ret");   /* a @ b, then c @= b */
  expect_ops("subscript_none", "slice tuple getitem tuple getitem getitem slice tuple getitem tuple ret");
}
END_TEST

START_TEST(test_ir_text)
{
  Result r;
  build_case(312, "add", &r);
  ck_assert_msg(!strcmp(r.ir, "func @add(any, any) -> any {\n@0(%1:any, %2:any):\n"
                               "  %3:any = add %1, %2  ; !22\n  ret %3  ; !22\n}\n"), "%s", r.ir);
  free(r.ir);
  build_case(310, "call_kw", &r);
  ck_assert_msg(strstr(r.ir, "funcref") && strstr(r.ir, "kw(\"b\")"), "%s", r.ir);
  free(r.ir);
}
END_TEST

/* Jump threading keeps the values: an edge that knows a test's outcome may
 * bypass the test only where the values it defines are not used later (else
 * it enters a copy of the return block reading its own values). */
START_TEST(test_threading)
{
  for (int v = 0; v < NVERS; v++) {
    Result r;
    build_case(versions[v], "retest_local", &r);   /* x is a on the first path, b on the other */
    ck_assert_msg(r.ir && strstr(r.ir, "@1:\n  %6:any = add %1, %3") && strstr(r.ir, "@3:\n  %8:any = add %2, %3"),
                  "%d: %s", versions[v], r.ir ? r.ir : r.msg);
    free(r.ir);
    build_case(versions[v], "const_chain_and", &r);   /* 0 < 0 is false: the chain is %2 */
    ck_assert_msg(r.ir && strstr(r.ir, "@6:\n  ret %2"), "%d: %s", versions[v], r.ir ? r.ir : r.msg);
    free(r.ir);
  }
}
END_TEST

/* -- (3) errors -------------------------------------------------------------------- */

static const struct {
  const char *name;
  IrErrCode err;
  const char *fragment;
  int offset;          /* line - def line */
} errors[] = {
  {"err_dict", EM_ERR_CONSTRUCT, "dict displays", 1},
  {"err_dtype_str", EM_ERR_TYPES, "data type 'xyz' not understood", 1},
  {"err_sort_kind", EM_ERR_ARGS, "sort kind must be one of", 1},
  {"err_closure", EM_ERR_FLAGS, "used as a value", 3},
  {"err_lambda", EM_ERR_FLAGS, "used as a value", 1},
  {"err_nested_recursion", EM_ERR_CONSTRUCT, "recursive nested functions", 2},
  {"err_generator", EM_ERR_FLAGS, "generator", 0},
  {"err_try", EM_ERR_CONSTRUCT, "try statements", 2},
  {"err_varargs", EM_ERR_CONSTRUCT, "**kwargs parameters", 0},
  {"err_str", EM_ERR_CONSTRUCT, "str values", 2},
  {"err_import", EM_ERR_CONSTRUCT, "imports", 1},
  {"err_global_str", EM_ERR_GLOBAL, "NAME (str)", 1},
  {"err_subscript", EM_ERR_CONSTRUCT, "del statements", 1},
  {"err_raise_user", EM_ERR_CONSTRUCT, "exception classes other than the builtin ones (MyError)", 2},
  {"err_raise_bare", EM_ERR_CONSTRUCT, "bare raise statements", 2},
  {"err_raise_cause", EM_ERR_FLAGS, "a cause other than None", 2},
  {"err_raise_value", EM_ERR_FLAGS, "raise of a value that is not a builtin exception", 1},
  {"err_fstring", EM_ERR_CONSTRUCT, "f-strings outside raise statements", 2},
  {"err_exc_value", EM_ERR_CONSTRUCT, "exception classes and objects outside raise statements", 2},
};

START_TEST(test_errors)
{
  for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
    for (int v = 0; v < NVERS; v++) {
      Result r;
      build_case(versions[v], errors[i].name, &r);
      ck_assert_msg(r.err == errors[i].err, "%s on %d: error %d (%s), want %d", errors[i].name,
                    versions[v], r.err, r.msg, errors[i].err);
      ck_assert_msg(strstr(r.msg, errors[i].fragment), "%s on %d: '%s' lacks '%s'", errors[i].name,
                    versions[v], r.msg, errors[i].fragment);
      ck_assert_msg(r.line == r.firstline + errors[i].offset, "%s on %d: line %d, want %d",
                    errors[i].name, versions[v], r.line, r.firstline + errors[i].offset);
      free(r.ir);
    }
}
END_TEST

/* A list display that is changed, returned or assigned in a branch is a real
 * list (lnew) on every version; one only read stays a tuple. */
START_TEST(test_real_lists)
{
  static const char *const real[] = {"err_list", "err_list_append", "err_list_store", "err_list_branch"};
  for (size_t i = 0; i < sizeof real / sizeof *real; i++)
    for (int v = 0; v < NVERS; v++) {
      Result r;
      build_case(versions[v], real[i], &r);
      ck_assert_msg(r.err == EM_ERR_OK && strstr(r.ir, "= lnew ") && !strstr(r.ir, "= tuple "), "%s on %d: %s %s",
                    real[i], versions[v], r.msg, r.ir ? r.ir : "");
      free(r.ir);
    }
  Result r;
  build_case(313, "list_display", &r);
  ck_assert_msg(r.err == EM_ERR_OK && !strstr(r.ir, "lnew"), "%s", r.ir ? r.ir : r.msg);
  free(r.ir);
}
END_TEST

START_TEST(test_maybe_undef)
{
  Result r;
  build_case(313, "maybe_defined", &r);
  ck_assert_msg(r.err == EM_ERR_OK && strstr(r.ir, "const undef"), "%s %s", r.msg, r.ir ? r.ir : "");
  free(r.ir);
}
END_TEST

/* -- (4) fuzz ------------------------------------------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

static int nverify, nok;

static void build_quiet(const char *text)
{
  Result r;
  build_text(text, &r);
  if (r.err == EM_ERR_VERIFY || r.err == EM_ERR_PARSE) nverify++;
  if (r.err == EM_ERR_OK) nok++;
  free(r.ir);
}

/* Flip random hex digits of the `code` line (opcodes, opargs, jump args). */
static void mutate_code(char *text, int flips)
{
  char *code = strstr(text, "\ncode ");
  if (!code) return;
  code += 6;
  size_t len = strcspn(code, "\n");
  if (!len) return;
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < flips; i++) code[rnd() % len] = hex[rnd() % 16];
}

START_TEST(test_fuzz)
{
  int n;
  char **names = case_names(&n);
  for (int iter = 0; iter < 20000; iter++) {
    int v = versions[rnd() % NVERS];
    char *text = fixture(v, names[rnd() % n]);
    size_t len = strlen(text);
    switch (iter % 4) {
    case 0: mutate_code(text, 1 + (int)(rnd() % 4)); break;
    case 1: text[rnd() % len] = (char)(rnd() % 96 + 32); break;         /* any byte, e.g. an index */
    case 2: text[rnd() % (len + 1)] = 0; break;                          /* truncated */
    case 3: {                                                           /* random code bytes */
      char *code = strstr(text, "\ncode ");
      if (code) for (char *p = code + 6; *p && *p != '\n'; p++) *p = "0123456789abcdef"[rnd() % 16];
      break;
    }
    }
    build_quiet(text);
    free(text);
  }
  for (int iter = 0; iter < 300; iter++) {  /* random text */
    char buf[512];
    for (int i = 0; i < 511; i++) buf[i] = (char)(rnd() % 95 + 32);
    buf[511] = 0;
    build_quiet(buf);
  }
  for (int i = 0; i < n; i++) free(names[i]);
  free(names);
  fprintf(stderr, "fuzz: %d built, %d failed the verifier or the round trip\n", nok, nverify);
  ck_assert_int_eq(nverify, 0);
}
END_TEST

/* -- (5) a long function: linear work, no deep recursion ------------------------------ */

/* 3.10 bytecode of: y = x; then 'n' times `if x > 0: x = x - 1`; return y + x.
 * Every jump carries two EXTENDED_ARG prefixes. */
static void long_job(IrCtx *ctx, void *arg)
{
  uint32_t n = *(uint32_t *)arg, per = 10, units = 2 + n * per + 4, u = 0;
  uint8_t *code = ir_alloc(ctx, 2 * units);
  int32_t *lines = ir_alloc(ctx, units * sizeof *lines);
#define OP(o, a) (code[2 * u] = (o), code[2 * u + 1] = (uint8_t)(a), lines[u] = 2 + (int32_t)(u / per), u++)
  OP(124, 0); OP(125, 1);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t next = 2 + (i + 1) * per;
    OP(124, 0); OP(100, 0); OP(107, 4);
    OP(144, next >> 16); OP(144, next >> 8); OP(114, next);
    OP(124, 0); OP(100, 1); OP(24, 0); OP(125, 0);
  }
  OP(124, 1); OP(124, 0); OP(23, 0); OP(83, 0);
#undef OP
  static FeConst consts[2] = {{FE_CONST_INT, 0}, {FE_CONST_INT, 1}};
  static const char *locals[2] = {"x", "y"};
  FeCode co = {.pyversion = 310, .name = "long", .qualname = "long", .filename = "gen.py",
               .firstlineno = 1, .flags = 3, .argcount = 1, .stacksize = 4, .code = code,
               .codelen = 2 * units, .lines = lines, .nconsts = 2, .consts = consts,
               .nlocals = 2, .localnames = locals};
  IrFunc *fn = fe_build(ctx, &co, NULL);
  ck_assert_uint_ge(fn->nblocks, n);
}

START_TEST(test_long_function)
{
  uint32_t n = getenv("EMBER_FE_LONG") ? (uint32_t)atoi(getenv("EMBER_FE_LONG")) : 5000;
  IrCtx *ctx = ir_ctx_new();
  IrErrCode err = ir_ctx_run(ctx, long_job, &n);
  ck_assert_msg(err == EM_ERR_OK, "%s", ctx->errmsg);
  ir_ctx_free(ctx);
}
END_TEST

int main(void)
{
  const char *d = getenv("EMBER_FE_DUMP");
  if (d) { dump(d); return 0; }
  Suite *s = suite_create("frontend");
  TCase *tc = tcase_create("frontend");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_cross_version);
  tcase_add_test(tc, test_ops);
  tcase_add_test(tc, test_ir_text);
  tcase_add_test(tc, test_threading);
  tcase_add_test(tc, test_errors);
  tcase_add_test(tc, test_maybe_undef);
  tcase_add_test(tc, test_real_lists);
  tcase_add_test(tc, test_fuzz);
  tcase_add_test(tc, test_long_function);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int nf = srunner_ntests_failed(sr);
  srunner_free(sr);
  return nf ? 1 : 0;
}
