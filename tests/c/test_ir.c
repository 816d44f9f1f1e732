/* tests/c/test_ir.c: unit tests of ir/: arena, types, builder, text round trips, verifier. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../ir/ir.h"

/* A gcd loop, typed, in the printer's own normal form. */
static const char *gcd_text =
  "func @gcd(int, int) -> int {\n"
  "@0(%1:int, %2:int):\n"
  "  br @1(%1, %2)  ; !2\n"
  "@1(%3:int, %4:int):\n"
  "  %5:bool = truth %4  ; !2\n"
  "  cbr %5, @2, @3  ; !2\n"
  "@2:\n"
  "  %6:int = mod %3, %4  ; !3\n"
  "  br @1(%4, %6)  ; !3\n"
  "@3:\n"
  "  %7:int = intrin ABS, %3  ; !4\n"
  "  ret %7  ; !4\n"
  "}\n";

static const char *misc_text =
  "func @misc(f64, c128) -> (f64, c128, none) {\n"
  "@0(%1:f64, %2:c128):\n"
  "  %3:f64 = const -0.0\n"
  "  %4:f64 = const inf\n"
  "  %5:c128 = const 1.5, -nan\n"
  "  %6:none = const\n"
  "  %7:func = builtin \"math.sqrt\"\n"
  "  %8:func = funcref 3 \"g\"\n"
  "  %9:any = call %8, %1, %3 kw(\"x\")\n"
  "  %10:int = callfn \"em_g_1\", %1\n"
  "  %11:f64 = extract %9, 1\n"
  "  %12:(f64, c128, none) = tuple %4, %5, %6\n"
  "  %13:bool = lt %1, %3\n"
  "  cbr %13, @1, @2\n"
  "@1:\n"
  "  raise INT_OVERFLOW  ; !9\n"
  "@2:\n"
  "  ret %12\n"
  "}\n";

/* Array types and the array primitives that `lower` leaves. */
static const char *array_text =
  "func @arr(array<f64, 2, C>, array<f32, 1, A, ro>, int) -> (array<i8, 1, C>, f32) {\n"
  "@0(%1:array<f64, 2, C>, %2:array<f32, 1, A, ro>, %3:int):\n"
  "  %4:none = const\n"
  "  %5:slice<int, none, none> = slice %3, %4, %4\n"
  "  %6:array<f32, 1, A, ro> = getitem %2, %5\n"
  "  %7:int = ashape %2, 0\n"
  "  %8:i64 = astride %2, 0\n"
  "  %9:int = bounds %3, %7, 0  ; !5\n"
  "  %10:i64 = cvt %9\n"
  "  %11:i64 = mul %10, %8\n"
  "  %12:f32 = aload %2, %11\n"
  "  %13:array<i8, 1, C> = aalloc %7\n"
  "  %14:i64 = const 0\n"
  "  %15:i8 = const 1\n"
  "  astore %13, %14, %15\n"
  "  %16:array<f64, 1, A> = aview %1, %14, %7, %8\n"
  "  setitem %1, %3, %12\n"
  "  %17:bool = const 0\n"
  "  guard %17, RESHAPE\n"
  "  guard %17, MATMUL_CORE, %14, %14, %8, %8\n"
  "  %18:any = matmul %1, %16 inplace\n"
  "  %19:(array<i8, 1, C>, f32) = tuple %13, %12\n"
  "  ret %19\n"
  "}\n";

/* List types and the list primitives (passes/infer_list.c, targets/llvm/list.c). */
static const char *list_text =
  "func @lst(list<f64>, int) -> (list<i32>, f64) {\n"
  "@0(%1:list<f64>, %2:int):\n"
  "  %3:i32 = const 7\n"
  "  %4:list<i32> = lnew %3, %3\n"
  "  lappend %4, %3\n"
  "  %5:int = llen %1\n"
  "  %6:f64 = lget %1, %2 checked\n"
  "  %7:f64 = lget %1, %5\n"
  "  lset %1, %2, %7 checked\n"
  "  lset %1, %5, %6\n"
  "  lresize %4, %5\n"
  "  %8:(list<i32>, f64) = tuple %4, %6\n"
  "  ret %8\n"
  "}\n";

/* Parse 'text', print it, and return the printed text (malloc'd). */
static char *roundtrip(IrCtx *ctx, const char *text)
{
  IrFunc **fns;
  int n = ir_parse(ctx, text, "t.eir", &fns);
  ck_assert_msg(n == 1, "parse failed: %s", ctx->errmsg);
  return ir_func_print_str(fns[0]);
}

START_TEST(test_roundtrip)
{
  const char *texts[] = {gcd_text, misc_text, array_text, list_text};
  for (int i = 0; i < 4; i++) {
    IrCtx *ctx = ir_ctx_new();
    char *out = roundtrip(ctx, texts[i]);
    ck_assert_str_eq(out, texts[i]);
    char *again = roundtrip(ctx, out);
    ck_assert_str_eq(again, out);
    free(out);
    free(again);
    ir_ctx_free(ctx);
  }
}
END_TEST

START_TEST(test_verify)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc **fns;
  char err[256];
  ck_assert_int_eq(ir_parse(ctx, gcd_text, "t", &fns), 1);
  ck_assert_int_eq(ir_func_verify(fns[0], err, sizeof err), 0);
  /* a branch with the wrong number of arguments */
  const char *bad = "func @f(int) -> int {\n@0(%1:int):\n  br @1\n@1(%2:int):\n  ret %2\n}\n";
  ck_assert_int_eq(ir_parse(ctx, bad, "t", &fns), 1);
  ck_assert_int_eq(ir_func_verify(fns[0], err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "passes 0 arguments"));
  /* a use that its definition does not dominate */
  const char *nodom =
    "func @f(bool) -> int {\n@0(%1:bool):\n  cbr %1, @1, @2\n@1:\n  %2:int = const 1\n  br @2\n"
    "@2:\n  ret %2\n}\n";
  ck_assert_int_eq(ir_parse(ctx, nodom, "t", &fns), 1);
  ck_assert_int_eq(ir_func_verify(fns[0], err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "does not dominate"));
  ir_ctx_free(ctx);
}
END_TEST

START_TEST(test_parse_errors)
{
  const char *bad[] = {
    "func @f() -> int {\n@0:\n  %1:int = frob\n}\n",
    "func @f() -> int {\n@0:\n  ret %9\n}\n",
    "func @f() -> wat {\n}\n",
    "func @f() -> int {\n@0:\n  br @7\n}\n",
    "func @f(",
    "",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    IrCtx *ctx = ir_ctx_new();
    IrFunc **fns;
    int n = ir_parse(ctx, bad[i], "bad.eir", &fns);
    if (i + 1 < sizeof bad / sizeof *bad) {
      ck_assert_int_eq(n, -1);
      ck_assert_ptr_nonnull(strstr(ctx->errmsg, "bad.eir:"));
    } else {
      ck_assert_int_eq(n, 0);
    }
    ir_ctx_free(ctx);
  }
}
END_TEST

START_TEST(test_types)
{
  IrCtx *ctx = ir_ctx_new();
  IrType e[2] = {IRT_INT, IRT_F64};
  IrType t = ir_type_tuple(ctx, e, 2);
  ck_assert_int_eq(t, ir_type_tuple(ctx, e, 2));  /* interned */
  char buf[64];
  ck_assert_str_eq(ir_type_name(ctx, t, buf, sizeof buf), "(int, f64)");
  const char *s = "((int,), c128)";
  IrType u = ir_type_parse(ctx, &s);
  ck_assert_str_eq(ir_type_name(ctx, u, buf, sizeof buf), "((int,), c128)");
  ck_assert_int_eq(ir_type_slots(ctx, u), 3);
  IrType a = ir_type_array(ctx, IRT_F32, 2, 'F', true);
  ck_assert_int_eq(a, ir_type_array(ctx, IRT_F32, 2, 'F', true));
  ck_assert_int_ne(a, ir_type_array(ctx, IRT_F32, 2, 'F', false));
  ck_assert_int_ne(a, ir_type_array(ctx, IRT_F32, 2, 'C', true));
  ck_assert_str_eq(ir_type_name(ctx, a, buf, sizeof buf), "array<f32, 2, F, ro>");
  ck_assert_int_eq(ir_type_slots(ctx, a), 6);
  ck_assert_int_eq(ir_type_array(ctx, IRT_F32, 1, 'F', false), ir_type_array(ctx, IRT_F32, 1, 'C', false));
  s = "(array<c64, 3, A>, slice<none, int, none>, dtype<u8>)";
  IrType w = ir_type_parse(ctx, &s);
  ck_assert_str_eq(ir_type_name(ctx, w, buf, sizeof buf), "(array<c64, 3, A>, slice<none, int, none>, dtype<u8>)");
  ck_assert_int_eq(ir_type_info(ctx, ir_type_info(ctx, w)->elem[0])->ndim, 3);
  const char *bad[] = {"array<f64, 2>", "array<none, 1, C>", "array<f64, 1, X>", "array<f64, 99, C>"};
  for (int i = 0; i < 4; i++) { s = bad[i]; ck_assert_int_eq(ir_type_parse(ctx, &s), IRT_VOID); }
  ck_assert_int_eq(ir_type_size(ctx, IRT_C64), 8);
  ck_assert_int_eq(ir_type_size(ctx, IRT_BOOL), 1);
  ir_ctx_free(ctx);
}
END_TEST

/* Every allocation size cap below what a parse needs ends in an error, never a crash. */
START_TEST(test_oom)
{
  for (uint64_t cap = 16; cap < 200000; cap = cap * 3 / 2 + 16) {
    IrCtx *ctx = ir_ctx_new();
    ctx->maxalloc = ctx->nalloc + cap;
    IrFunc **fns;
    int n = ir_parse(ctx, misc_text, "t", &fns);
    ck_assert(n == 1 || n == -1);
    ir_ctx_free(ctx);
  }
}
END_TEST

int main(void)
{
  Suite *s = suite_create("ir");
  TCase *tc = tcase_create("ir");
  tcase_add_test(tc, test_roundtrip);
  tcase_add_test(tc, test_verify);
  tcase_add_test(tc, test_parse_errors);
  tcase_add_test(tc, test_types);
  tcase_add_test(tc, test_oom);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
