/* tests/c/test_arrays.c: array-typed IR through infer, lower and the LLVM
 * lowering, called with array descriptors built in C.
 *
 * Guards the native ABI of arrays (meminfo, data, shape[ndim],
 * strides[ndim]), element loads and stores of every layout, the bounds
 * check and its IndexError payload (index, axis, size in EmErr), negative
 * indices, views (slices with negative steps, transposes), allocation
 * through the call's EmRt (and its failure without one), and the NumPy
 * integer semantics of numpy.c (wrapping, // and % by zero); lists built by
 * appends through the call's EmRt, indexed with CPython's IndexError.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../passes/passes.h"
#include "../../targets/targets.h"

typedef union { uint64_t u; int64_t i; double f; const void *p; } Slot;

typedef struct { IrFunc *fn; const char *sym; } Job;

static void pipeline(IrCtx *ctx, void *arg)
{
  Job *j = arg;
  PassOptions opt = {.verify = true};
  passes_run(j->fn, &opt);
  (void)ctx;
}

/* Parse untyped IR 'text' (argument types on block 0), run the pipeline, compile. */
static EmEntry compile(const char *text, const char *sym)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc **fns;
  int n = ir_parse(ctx, text, sym, &fns);
  ck_assert_msg(n == 1, "parse failed: %s", ctx->errmsg);
  Job j = {fns[0], sym};
  IrErrCode e = ir_ctx_run(ctx, pipeline, &j);
  ck_assert_msg(e == EM_ERR_OK, "passes failed: %s", ctx->errmsg);
  char err[512] = "";
  TgCode c;
  TgOptions opt = {.opt_level = 3};
  int rc = tg_compile(fns[0], sym, &opt, &c, err, sizeof err);
  ck_assert_msg(rc == 0, "tg_compile(%s) failed: %s", sym, err);
  ir_ctx_free(ctx);
  return c.entry;
}

static int call(EmEntry e, const Slot *args, Slot *ret, EmErr *err, EmRt *rt)
{
  memset(err, 0, sizeof *err);
  err->limit = 1000;
  err->rt = rt;
  return e((const uint64_t *)args, (uint64_t *)ret, err);
}

/* Slots of a 1-D borrowed array of 'n' items 'stride' bytes apart. */
static void arg1(Slot *s, const void *data, int64_t n, int64_t stride)
{
  s[0].u = 0;
  s[1].p = data;
  s[2].i = n;
  s[3].i = stride;
}

static const char *get2_text =
  "func @get2(array<f64, 2, A>, int, int) -> any {\n"
  "@0(%1:array<f64, 2, A>, %2:int, %3:int):\n"
  "  %4:any = tuple %2, %3  ; !3\n"
  "  %5:any = getitem %1, %4  ; !3\n"
  "  ret %5  ; !3\n"
  "}\n";

START_TEST(test_get_element_strided)
{
  EmEntry e = compile(get2_text, "t_get2");
  double m[3][4];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++) m[i][j] = 10 * i + j;
  /* the transpose of m: shape (4, 3), strides (8, 32) */
  Slot a[8] = {{.u = 0}, {.p = m}, {.i = 4}, {.i = 3}, {.i = 8}, {.i = 32}, {.i = 3}, {.i = -2}}, r[1];
  EmErr err;
  ck_assert_int_eq(call(e, a, r, &err, NULL), 0);
  ck_assert(r[0].f == 13.0);                     /* m.T[3, -2] == m[1][3] */
  a[6].i = 4;
  ck_assert_int_eq(call(e, a, r, &err, NULL), 1);
  ck_assert_int_eq(err.kind, RT_INDEX);
  ck_assert_int_eq(err.index, 4);
  ck_assert_int_eq(err.axis, 0);
  ck_assert_int_eq(err.size, 4);
  ck_assert_int_eq(err.line, 3);
  a[6].i = 0, a[7].i = -4;
  ck_assert_int_eq(call(e, a, r, &err, NULL), 1);
  ck_assert_int_eq(err.index, -4);
  ck_assert_int_eq(err.axis, 1);
  ck_assert_int_eq(err.size, 3);
}
END_TEST

static const char *sum_text =
  "func @sum(array<i32, 1, A>) -> any {\n"
  "@0(%1:array<i32, 1, A>):\n"
  "  %2:int = const 0\n"
  "  %3:any = getiter %1\n"
  "  br @1(%2)\n"
  "@1(%4:any):\n"
  "  %5:any = iterhas %3\n"
  "  cbr %5, @2, @3\n"
  "@2:\n"
  "  %6:any = iternext %3\n"
  "  %7:any = add %4, %6\n"
  "  br @1(%7)\n"
  "@3:\n"
  "  ret %4\n"
  "}\n";

START_TEST(test_iterate_wraps_like_numpy)
{
  EmEntry e = compile(sum_text, "t_sum");
  int32_t v[5] = {INT32_MAX, 1, 7, -3, 100};
  Slot a[4], r[1];
  EmErr err;
  arg1(a, v + 4, 5, -4);                         /* reversed */
  ck_assert_int_eq(call(e, a, r, &err, NULL), 0);
  ck_assert_int_eq((int32_t)r[0].i, (int32_t)((uint32_t)INT32_MAX + 1 + 7 - 3 + 100));
}
END_TEST

static const char *alloc_text =
  "func @alloc(int) -> any {\n"
  "@0(%1:int):\n"
  "  %2:func = builtin \"numpy.empty\"\n"
  "  %3:any = call %2, %1  ; !2\n"
  "  %4:int = const 1\n"
  "  %5:f64 = const 2.5\n"
  "  %6:any = setitem %3, %4, %5  ; !3\n"
  "  %7:none = const\n"
  "  %8:int = const -1\n"
  "  %9:any = slice %7, %7, %8\n"
  "  %10:any = getitem %3, %9  ; !4\n"
  "  ret %10\n"
  "}\n";

START_TEST(test_alloc_and_view)
{
  EmEntry e = compile(alloc_text, "t_alloc");
  Slot a[1] = {{.i = 3}}, r[4];
  EmErr err;
  EmRt rt = {NULL};
  ck_assert_int_eq(call(e, a, r, &err, &rt), 0);
  ck_assert_ptr_nonnull(rt.bufs);
  ck_assert_ptr_eq(r[0].p, rt.bufs);             /* the view keeps the buffer's meminfo */
  ck_assert_int_eq(r[2].i, 3);                   /* a[::-1]: 3 items, stride -8, from the last */
  ck_assert_int_eq(r[3].i, -8);
  ck_assert(((const double *)r[1].p)[-1] == 2.5);
  ck_assert_int_eq((const char *)r[1].p - (const char *)rt.bufs, EM_BUF_HEADER + 16);
  free(rt.bufs);
  a[0].i = -1;
  rt.bufs = NULL;
  ck_assert_int_eq(call(e, a, r, &err, &rt), 1);
  ck_assert_int_eq(err.kind, RT_NEG_DIM);
  a[0].i = 3;
  ck_assert_int_eq(call(e, a, r, &err, NULL), 1); /* no runtime context: no memory */
  ck_assert_int_eq(err.kind, RT_NOMEM);
}
END_TEST

/* A list built by appends (growing past its first capacity), read back by index. */
static const char *list_text =
  "func @lst(int, int) -> any {\n"
  "@0(%1:int, %2:int):\n"
  "  %3:any = lnew\n"
  "  %4:int = const 0\n"
  "  br @1(%4)\n"
  "@1(%5:any):\n"
  "  %6:any = lt %5, %1\n"
  "  cbr %6, @2, @3\n"
  "@2:\n"
  "  %7:any = mul %5, %5\n"
  "  %8:any = lappend %3, %7\n"
  "  %9:int = const 1\n"
  "  %10:any = add %5, %9\n"
  "  br @1(%10)\n"
  "@3:\n"
  "  %11:any = getitem %3, %2  ; !7\n"
  "  %12:any = tuple %3, %11\n"
  "  ret %12\n"
  "}\n";

START_TEST(test_list_append_and_index)
{
  EmEntry e = compile(list_text, "t_list");
  Slot a[2] = {{.i = 100}, {.i = -1}}, r[2];
  EmErr err;
  EmRt rt = {NULL};
  ck_assert_int_eq(call(e, a, r, &err, &rt), 0);
  const EmList *l = r[0].p;
  ck_assert_int_eq(l->len, 100);
  ck_assert_int_ge(l->cap, 100);
  for (int64_t i = 0; i < 100; i++) ck_assert_int_eq(((const int64_t *)l->data)[i], i * i);
  ck_assert_int_eq(r[1].i, 99 * 99);                   /* l[-1] */
  for (EmBuf *b = rt.bufs, *n; b; b = n) { n = b->next; ember_rt_release(b); }
  rt.bufs = NULL;
  a[1].i = 100;
  ck_assert_int_eq(call(e, a, r, &err, &rt), 1);       /* l[100]: IndexError */
  ck_assert_int_eq(err.kind, RT_LIST_INDEX);
  ck_assert_int_eq(err.line, 7);
  for (EmBuf *b = rt.bufs, *n; b; b = n) { n = b->next; ember_rt_release(b); }
  ck_assert_int_eq(call(e, a, r, &err, NULL), 1);      /* no runtime context: no memory */
  ck_assert_int_eq(err.kind, RT_LIST_NOMEM);
}
END_TEST

static const char *npint_text =
  "func @npint(array<i8, 1, C>) -> any {\n"
  "@0(%1:array<i8, 1, C>):\n"
  "  %2:int = const 0\n"
  "  %3:int = const 1\n"
  "  %4:any = getitem %1, %2\n"
  "  %5:any = getitem %1, %3\n"
  "  %6:any = floordiv %4, %5\n"
  "  %7:any = mod %4, %5\n"
  "  %8:any = add %4, %4\n"
  "  %9:any = tuple %6, %7, %8\n"
  "  ret %9\n"
  "}\n";

START_TEST(test_numpy_int_semantics)
{
  EmEntry e = compile(npint_text, "t_npint");
  int8_t v[2] = {-7, 0};
  Slot a[4], r[3];
  EmErr err;
  arg1(a, v, 2, 1);
  ck_assert_int_eq(call(e, a, r, &err, NULL), 0);
  ck_assert_int_eq((int8_t)r[0].i, 0);           /* // 0 and % 0 give 0 */
  ck_assert_int_eq((int8_t)r[1].i, 0);
  ck_assert_int_eq((int8_t)r[2].i, -14);
  v[0] = -128, v[1] = -1;
  ck_assert_int_eq(call(e, a, r, &err, NULL), 0);
  ck_assert_int_eq((int8_t)r[0].i, -128);        /* wraps */
  ck_assert_int_eq((int8_t)r[1].i, 0);
  ck_assert_int_eq((int8_t)r[2].i, 0);
  v[0] = 7, v[1] = -2;
  ck_assert_int_eq(call(e, a, r, &err, NULL), 0);
  ck_assert_int_eq((int8_t)r[0].i, -4);          /* floor, and the sign of the divisor */
  ck_assert_int_eq((int8_t)r[1].i, -1);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("arrays");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_get_element_strided);
  tcase_add_test(tc, test_iterate_wraps_like_numpy);
  tcase_add_test(tc, test_alloc_and_view);
  tcase_add_test(tc, test_numpy_int_semantics);
  tcase_add_test(tc, test_list_append_and_index);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
