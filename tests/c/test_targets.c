/* tests/c/test_targets.c: typed IR text -> tg_compile -> call the native entry.
 *
 * Guards the LLVM lowering's Python semantics (checked ints, floor division
 * and modulo, float and complex pow, math domain/range errors, round, tuple
 * returns, ranges with negative steps, recursion through callfn) and the
 * JIT (duplicate symbols, stage times).  Expected values were computed with
 * CPython 3.11.  Prints the compile stage times of a small loop.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../targets/targets.h"

typedef union { uint64_t u; int64_t i; double f; } Slot;

/* Parse 'text' (one function) and compile it as 'sym'; returns the entry. */
static EmEntry compile_opt(const char *text, const char *sym, const TgOptions *opt, TgCode *code)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc **fns;
  int n = ir_parse(ctx, text, sym, &fns);
  ck_assert_msg(n == 1, "parse failed: %s", ctx->errmsg);
  char err[512] = "";
  TgCode c;
  int rc = tg_compile(fns[0], sym, opt, &c, err, sizeof err);
  ck_assert_msg(rc == 0, "tg_compile(%s) failed: %s", sym, err);
  ir_ctx_free(ctx);
  if (code) *code = c;
  else { free(c.llvm_ir); free(c.asm_text); }
  return c.entry;
}

static EmEntry compile(const char *text, const char *sym)
{
  TgOptions opt = {.opt_level = 3};
  return compile_opt(text, sym, &opt, NULL);
}

/* Call 'e' with 'args'; returns the rc, result slots in 'ret', error in 'err'. */
static int call(EmEntry e, const Slot *args, Slot *ret, EmErr *err)
{
  memset(err, 0, sizeof *err);
  err->limit = 1000;
  return e((const uint64_t *)args, (uint64_t *)ret, err);
}

static int64_t call_ii(EmEntry e, int64_t a, int64_t b, int *rc, EmErr *err)
{
  Slot args[2] = {{.i = a}, {.i = b}}, ret[4] = {{0}};
  *rc = call(e, args, ret, err);
  return ret[0].i;
}

static double call_ff(EmEntry e, double a, double b, int *rc, EmErr *err)
{
  Slot args[2] = {{.f = a}, {.f = b}}, ret[4] = {{0}};
  *rc = call(e, args, ret, err);
  return ret[0].f;
}

/* Same double, bit for bit (so -0.0 != 0.0 and NaN == NaN). */
static bool same(double a, double b)
{
  return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

#define BINOP(name, op, T) \
  "func @" name "(" T ", " T ") -> " T " {\n@0(%1:" T ", %2:" T "):\n  %3:" T " = " op " %1, %2  ; !5\n  ret %3\n}\n"

/* -- Python int ------------------------------------------------------------- */

START_TEST(test_int_add_overflow)
{
  EmEntry e = compile(BINOP("add", "add", "int"), "t_add");
  EmErr err;
  int rc;
  ck_assert_int_eq(call_ii(e, 40, 2, &rc, &err), 42);
  ck_assert_int_eq(rc, 0);
  call_ii(e, INT64_MAX, 1, &rc, &err);
  ck_assert_int_eq(rc, 1);
  ck_assert_int_eq(err.kind, RT_INT_OVERFLOW);
  ck_assert_int_eq(err.line, 5);
  ck_assert_int_eq(call_ii(e, INT64_MIN, INT64_MAX, &rc, &err), -1);
  ck_assert_int_eq(rc, 0);
}
END_TEST

static const char *divmod_int =
  "func @dm(int, int) -> (int, int) {\n"
  "@0(%1:int, %2:int):\n"
  "  %3:int = floordiv %1, %2  ; !3\n"
  "  %4:int = mod %1, %2  ; !4\n"
  "  %5:(int, int) = tuple %3, %4\n"
  "  ret %5\n"
  "}\n";

START_TEST(test_int_floordiv_mod)
{
  EmEntry e = compile(divmod_int, "t_dmi");
  static const int64_t cases[][4] = {
    {7, -2, -4, -1}, {-7, 2, -4, 1}, {-7, -2, 3, -1}, {7, 2, 3, 1}, {-6, 3, -2, 0},
    {0, -5, 0, 0}, {INT64_MIN, 1, INT64_MIN, 0}, {INT64_MIN, 7, -1317624576693539402, 6},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Slot args[2] = {{.i = cases[i][0]}, {.i = cases[i][1]}}, ret[2];
    EmErr err;
    ck_assert_int_eq(call(e, args, ret, &err), 0);
    ck_assert_int_eq(ret[0].i, cases[i][2]);
    ck_assert_int_eq(ret[1].i, cases[i][3]);
  }
  Slot args[2] = {{.i = 7}, {.i = 0}}, ret[2];
  EmErr err;
  ck_assert_int_eq(call(e, args, ret, &err), 1);
  ck_assert_int_eq(err.kind, RT_ZERODIV_INT);
  ck_assert_int_eq(err.line, 3);
  args[0].i = INT64_MIN; args[1].i = -1;
  ck_assert_int_eq(call(e, args, ret, &err), 1);
  ck_assert_int_eq(err.kind, RT_INT_OVERFLOW);
  /* INT64_MIN % -1 alone is 0, not a trap. */
  EmEntry m = compile(BINOP("m", "mod", "int"), "t_modi");
  int rc;
  ck_assert_int_eq(call_ii(m, INT64_MIN, -1, &rc, &err), 0);
  ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(test_int_pow_shift_truediv)
{
  EmEntry p = compile(BINOP("p", "pow", "int"), "t_ipow");
  EmErr err;
  int rc;
  ck_assert_int_eq(call_ii(p, 3, 4, &rc, &err), 81);
  ck_assert_int_eq(call_ii(p, -2, 63, &rc, &err), INT64_MIN);
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(call_ii(p, 1, INT64_MAX, &rc, &err), 1);
  ck_assert_int_eq(call_ii(p, 5, 0, &rc, &err), 1);
  call_ii(p, 2, 63, &rc, &err);
  ck_assert_int_eq(rc, 1);
  ck_assert_int_eq(err.kind, RT_INT_OVERFLOW);
  call_ii(p, 2, -1, &rc, &err);
  ck_assert_int_eq(err.kind, RT_POW_NEG_INT);
  EmEntry l = compile(BINOP("l", "lshift", "int"), "t_lsh");
  ck_assert_int_eq(call_ii(l, 3, 4, &rc, &err), 48);
  ck_assert_int_eq(call_ii(l, 0, 1000, &rc, &err), 0);
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(call_ii(l, -1, 63, &rc, &err), INT64_MIN);
  call_ii(l, 1, 63, &rc, &err);
  ck_assert_int_eq(err.kind, RT_INT_OVERFLOW);
  call_ii(l, 1, -1, &rc, &err);
  ck_assert_int_eq(err.kind, RT_NEG_SHIFT);
  EmEntry r = compile(BINOP("r", "rshift", "int"), "t_rsh");
  ck_assert_int_eq(call_ii(r, -5, 1, &rc, &err), -3);
  ck_assert_int_eq(call_ii(r, -5, 100, &rc, &err), -1);
  ck_assert_int_eq(call_ii(r, 5, 100, &rc, &err), 0);
  EmEntry d = compile("func @d(int, int) -> f64 {\n@0(%1:int, %2:int):\n  %3:f64 = truediv %1, %2\n  ret %3\n}\n", "t_itd");
  Slot args[2] = {{.i = 1}, {.i = 3}}, ret[1];
  ck_assert_int_eq(call(d, args, ret, &err), 0);
  ck_assert(ret[0].f == 1.0 / 3.0);
  args[1].i = 0;
  ck_assert_int_eq(call(d, args, ret, &err), 1);
  ck_assert_int_eq(err.kind, RT_ZERODIV_TRUE_INT);
  args[0].i = ((int64_t)1 << 53) + 1; args[1].i = 1;
  ck_assert_int_eq(call(d, args, ret, &err), 1);
  ck_assert_int_eq(err.kind, RT_INT_OVERFLOW);
}
END_TEST

/* -- CPython float -------------------------------------------------------------- */

static const char *divmod_f64 =
  "func @dm(f64, f64) -> (f64, f64) {\n"
  "@0(%1:f64, %2:f64):\n"
  "  %3:f64 = floordiv %1, %2  ; !3\n"
  "  %4:f64 = mod %1, %2  ; !4\n"
  "  %5:(f64, f64) = tuple %3, %4\n"
  "  ret %5\n"
  "}\n";

START_TEST(test_float_floordiv_mod)
{
  EmEntry e = compile(divmod_f64, "t_dmf");
  static const double cases[][4] = {
    {7.5, -2.0, -4.0, -0.5}, {-7.5, 2.0, -4.0, 0.5}, {-0.0, 1.0, -0.0, 0.0},
    {1.0, -INFINITY, -1.0, -INFINITY}, {6.0, -3.0, -2.0, -0.0}, {-1e-300, 1e300, -1.0, 1e300},
    {0.1, 0.01, 10.0, 3.469446951953614e-18},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Slot args[2] = {{.f = cases[i][0]}, {.f = cases[i][1]}}, ret[2];
    EmErr err;
    ck_assert_int_eq(call(e, args, ret, &err), 0);
    ck_assert_msg(same(ret[0].f, cases[i][2]), "%g // %g = %g", cases[i][0], cases[i][1], ret[0].f);
    ck_assert_msg(same(ret[1].f, cases[i][3]), "%g %% %g = %g", cases[i][0], cases[i][1], ret[1].f);
  }
  Slot args[2] = {{.f = 1.0}, {.f = 0.0}}, ret[2];
  EmErr err;
  ck_assert_int_eq(call(e, args, ret, &err), 1);
  ck_assert_int_eq(err.kind, RT_ZERODIV_FLOOR);
  EmEntry m = compile(BINOP("m", "mod", "f64"), "t_modf");
  int rc;
  call_ff(m, 1.0, -0.0, &rc, &err);
  ck_assert_int_eq(err.kind, RT_ZERODIV_MOD);
  EmEntry d = compile(BINOP("d", "truediv", "f64"), "t_divf");
  call_ff(d, 1.0, 0.0, &rc, &err);
  ck_assert_int_eq(err.kind, RT_ZERODIV_TRUE);
  ck_assert(call_ff(d, 1.0, 4.0, &rc, &err) == 0.25);
}
END_TEST

START_TEST(test_float_pow)
{
  EmEntry p = compile(BINOP("p", "pow", "f64"), "t_fpow");
  static const double ok[][3] = {
    {1.0, NAN, 1.0}, {NAN, 0.0, 1.0}, {2.0, INFINITY, INFINITY}, {0.5, INFINITY, 0.0},
    {-2.0, 3.0, -8.0}, {2.0, -2.0, 0.25}, {-INFINITY, 3.0, -INFINITY}, {-0.0, 3.0, -0.0},
    {-1.0, INFINITY, 1.0}, {-1.0, 1e300, 1.0}, {0.0, 0.0, 1.0}, {INFINITY, -2.0, 0.0},
    {4.0, 0.5, 2.0}, {NAN, 2.0, NAN}, {2.0, 1e-300, 1.0},
  };
  EmErr err;
  int rc;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    double r = call_ff(p, ok[i][0], ok[i][1], &rc, &err);
    ck_assert_msg(rc == 0 && same(r, ok[i][2]), "%g ** %g = %g (rc %d)", ok[i][0], ok[i][1], r, rc);
  }
  static const struct { double a, b; int kind; } bad[] = {
    {0.0, -1.0, RT_ZERODIV_POW}, {-0.0, -2.5, RT_ZERODIV_POW}, {-8.0, 1.0 / 3.0, RT_POW_COMPLEX},
    {10.0, 400.0, RT_POW_RANGE}, {-10.0, 401.0, RT_POW_RANGE},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    call_ff(p, bad[i].a, bad[i].b, &rc, &err);
    ck_assert_msg(rc == 1 && err.kind == bad[i].kind, "%g ** %g: rc %d kind %d", bad[i].a, bad[i].b, rc, err.kind);
    ck_assert_int_eq(err.line, 5);
  }
}
END_TEST

static const char *cvt_text =
  "func @c(f64) -> int {\n@0(%1:f64):\n  %2:int = cvt %1  ; !2\n  ret %2\n}\n";

START_TEST(test_cvt_round)
{
  EmEntry c = compile(cvt_text, "t_cvt");
  Slot a[1], r[1];
  EmErr err;
  static const double in[] = {-2.9, 2.9, -0.0, 9.2e18};
  static const int64_t out[] = {-2, 2, 0, 9200000000000000000};
  for (int i = 0; i < 4; i++) {
    a[0].f = in[i];
    ck_assert_int_eq(call(c, a, r, &err), 0);
    ck_assert_int_eq(r[0].i, out[i]);
  }
  a[0].f = NAN; call(c, a, r, &err); ck_assert_int_eq(err.kind, RT_FLOAT_NAN_INT);
  a[0].f = -INFINITY; call(c, a, r, &err); ck_assert_int_eq(err.kind, RT_FLOAT_INF_INT);
  a[0].f = 9.3e18; call(c, a, r, &err); ck_assert_int_eq(err.kind, RT_FLOAT_BIG_INT);
  EmEntry rd = compile("func @r(f64) -> int {\n@0(%1:f64):\n  %2:int = intrin ROUND, %1\n  ret %2\n}\n", "t_round");
  static const double rin[] = {2.5, -0.5, 3.5, -2.5, 0.49999999999999994};
  static const int64_t rout[] = {2, 0, 4, -2, 0};
  for (int i = 0; i < 5; i++) {
    a[0].f = rin[i];
    ck_assert_int_eq(call(rd, a, r, &err), 0);
    ck_assert_int_eq(r[0].i, rout[i]);
  }
  EmEntry rn = compile("func @r(f64, int) -> f64 {\n@0(%1:f64, %2:int):\n  %3:f64 = intrin ROUNDN, %1, %2\n  ret %3\n}\n", "t_roundn");
  static const struct { double x; int64_t n; double r; } rc[] = {
    {2.675, 2, 2.67}, {1234.5, -1, 1230.0}, {-1.5e-10, 5, -0.0}, {0.5, 0, 0.0}, {1.5, 0, 2.0},
    {5e-324, 400, 5e-324}, {25.0, -1, 20.0}, {35.0, -1, 40.0}, {0.125, 2, 0.12}, {0.375, 2, 0.38},
    {999.5, 0, 1000.0}, {-99999.0, -5, -100000.0}, {1e300, -300, 1e300},
  };
  for (size_t i = 0; i < sizeof rc / sizeof rc[0]; i++) {
    Slot x[2] = {{.f = rc[i].x}, {.i = rc[i].n}};
    ck_assert_int_eq(call(rn, x, r, &err), 0);
    ck_assert_msg(same(r[0].f, rc[i].r), "round(%.17g, %lld) = %.17g", rc[i].x, (long long)rc[i].n, r[0].f);
  }
  EmEntry ri = compile("func @r(int, int) -> int {\n@0(%1:int, %2:int):\n  %3:int = intrin ROUNDN, %1, %2\n  ret %3\n}\n", "t_roundni");
  int rcode;
  ck_assert_int_eq(call_ii(ri, 123456789, -3, &rcode, &err), 123457000);
  ck_assert_int_eq(call_ii(ri, -125, -1, &rcode, &err), -120);
  ck_assert_int_eq(call_ii(ri, 135, -1, &rcode, &err), 140);
  ck_assert_int_eq(call_ii(ri, 135, 2, &rcode, &err), 135);
  call_ii(ri, INT64_MAX, -19, &rcode, &err);
  ck_assert_int_eq(err.kind, RT_INT_OVERFLOW);
}
END_TEST

/* -- Math ------------------------------------------------------------------------- */

START_TEST(test_math)
{
  static const struct { const char *name; double x; int kind; double r; } cases[] = {
    {"SQRT", -1.0, RT_MATH_DOMAIN, 0}, {"SQRT", 4.0, 0, 2.0}, {"SQRT", -0.0, 0, -0.0},
    {"EXP", 1000.0, RT_MATH_RANGE, 0}, {"EXP", -INFINITY, 0, 0.0}, {"LOG", 0.0, RT_MATH_DOMAIN, 0},
    {"LOG", -1.0, RT_MATH_DOMAIN, 0}, {"LOG", INFINITY, 0, INFINITY}, {"ACOS", 2.0, RT_MATH_DOMAIN, 0},
    {"GAMMA", 0.0, RT_MATH_DOMAIN, 0}, {"GAMMA", -3.0, RT_MATH_DOMAIN, 0}, {"GAMMA", 5.0, 0, 24.0},
    {"GAMMA", 200.0, RT_MATH_RANGE, 0}, {"GAMMA", -INFINITY, RT_MATH_DOMAIN, 0},
    {"LGAMMA", -2.0, RT_MATH_DOMAIN, 0}, {"LGAMMA", -INFINITY, 0, INFINITY}, {"SIN", INFINITY, RT_MATH_DOMAIN, 0},
    {"ATANH", 1.0, RT_MATH_DOMAIN, 0}, {"COSH", 1000.0, RT_MATH_RANGE, 0}, {"LOG1P", -1.0, RT_MATH_DOMAIN, 0},
    {"SQRT", NAN, 0, NAN}, {"ERF", INFINITY, 0, 1.0}, {"FABS", -3.0, 0, 3.0},
  };
  char text[256], sym[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    snprintf(text, sizeof text, "func @m(f64) -> f64 {\n@0(%%1:f64):\n  %%2:f64 = intrin %s, %%1  ; !7\n  ret %%2\n}\n", cases[i].name);
    snprintf(sym, sizeof sym, "t_math%zu", i);
    EmEntry e = compile(text, sym);
    EmErr err;
    int rc;
    double r = call_ff(e, cases[i].x, 0, &rc, &err);
    if (cases[i].kind) {
      ck_assert_msg(rc == 1 && err.kind == cases[i].kind && err.line == 7, "%s(%g): rc %d kind %d", cases[i].name, cases[i].x, rc, err.kind);
    } else {
      ck_assert_msg(rc == 0 && same(r, cases[i].r), "%s(%g) = %g", cases[i].name, cases[i].x, r);
    }
  }
  EmEntry f = compile("func @f(f64, f64) -> f64 {\n@0(%1:f64, %2:f64):\n  %3:f64 = intrin FMOD, %1, %2\n  ret %3\n}\n", "t_fmod");
  EmErr err;
  int rc;
  call_ff(f, 1.0, 0.0, &rc, &err);
  ck_assert_int_eq(err.kind, RT_MATH_DOMAIN);
  ck_assert(call_ff(f, 1.0, INFINITY, &rc, &err) == 1.0 && rc == 0);
  ck_assert(same(call_ff(f, -7.0, 2.0, &rc, &err), -1.0));
  EmEntry fl = compile("func @f(f64) -> int {\n@0(%1:f64):\n  %2:int = intrin FLOOR, %1\n  ret %2\n}\n", "t_floor");
  Slot a[1] = {{.f = -2.5}}, r[1];
  ck_assert_int_eq(call(fl, a, r, &err), 0);
  ck_assert_int_eq(r[0].i, -3);
  a[0].f = NAN;
  ck_assert_int_eq(call(fl, a, r, &err), 1);
  ck_assert_int_eq(err.kind, RT_FLOAT_NAN_INT);
  EmEntry mn = compile("func @f(f64, f64) -> (f64, f64) {\n@0(%1:f64, %2:f64):\n  %3:f64 = intrin MIN, %1, %2\n"
                       "  %4:f64 = intrin MAX, %1, %2\n  %5:(f64, f64) = tuple %3, %4\n  ret %5\n}\n", "t_minmax");
  Slot x[2] = {{.f = NAN}, {.f = 1.0}}, y[2];
  ck_assert_int_eq(call(mn, x, y, &err), 0);
  ck_assert(isnan(y[0].f) && isnan(y[1].f));     /* min(nan, 1) is nan: 1 < nan is false */
  x[0].f = 1.0; x[1].f = NAN;
  call(mn, x, y, &err);
  ck_assert(y[0].f == 1.0 && y[1].f == 1.0);
}
END_TEST

/* -- Complex -------------------------------------------------------------------- */

START_TEST(test_complex)
{
  static const char *text =
    "func @c(c128, c128) -> (c128, c128, c128, f64) {\n"
    "@0(%1:c128, %2:c128):\n"
    "  %3:c128 = truediv %1, %2  ; !2\n"
    "  %4:c128 = mul %1, %2\n"
    "  %5:c128 = pow %1, %2  ; !4\n"
    "  %6:f64 = intrin ABS, %2\n"
    "  %7:(c128, c128, c128, f64) = tuple %3, %4, %5, %6\n"
    "  ret %7\n"
    "}\n";
  EmEntry e = compile(text, "t_cplx");
  Slot a[4] = {{.f = 1}, {.f = 2}, {.f = 3}, {.f = -4}}, r[7];
  EmErr err;
  ck_assert_int_eq(call(e, a, r, &err), 0);
  ck_assert(same(r[0].f, -0.2) && same(r[1].f, 0.4));
  ck_assert(r[2].f == 11 && r[3].f == 2);
  ck_assert(r[6].f == 5.0);
  a[2].f = 3; a[3].f = 0;                         /* (1+2j)**3 via c_powi */
  ck_assert_int_eq(call(e, a, r, &err), 0);
  ck_assert(r[4].f == -11 && r[5].f == -2);
  a[2].f = 0.5; a[3].f = 1;                       /* (1+2j)**(0.5+1j) via _Py_c_pow */
  ck_assert_int_eq(call(e, a, r, &err), 0);
  ck_assert(same(r[4].f, 0.1042330549168707) && same(r[5].f, 0.48309593926990946));
  a[2].f = 0; a[3].f = 0;
  ck_assert_int_eq(call(e, a, r, &err), 1);
  ck_assert_int_eq(err.kind, RT_ZERODIV_CPLX);
  ck_assert_int_eq(err.line, 2);
}
END_TEST

/* -- Control flow, loops, calls, tuples ----------------------------------------- */

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

START_TEST(test_gcd)
{
  EmEntry e = compile(gcd_text, "t_gcd");
  EmErr err;
  int rc;
  ck_assert_int_eq(call_ii(e, 48, 18, &rc, &err), 6);
  ck_assert_int_eq(call_ii(e, -48, 18, &rc, &err), 6);
  ck_assert_int_eq(call_ii(e, 17, 0, &rc, &err), 17);
  call_ii(e, INT64_MIN, 0, &rc, &err);
  ck_assert_int_eq(err.kind, RT_INT_OVERFLOW);
  ck_assert_int_eq(err.line, 4);
}
END_TEST

static const char *rsum_text =
  "func @rsum(int, int, int) -> (int, int) {\n"
  "@0(%1:int, %2:int, %3:int):\n"
  "  %4:range = range %1, %2, %3  ; !2\n"
  "  %5:iter<int, range> = getiter %4  ; !2\n"
  "  %6:int = const 0\n"
  "  br @1(%6, %6, %5)\n"
  "@1(%7:int, %8:int, %14:iter<int, range>):\n"
  "  %9:bool = iterhas %14  ; !2\n"
  "  cbr %9, @2, @3\n"
  "@2:\n"
  "  %10:int = iternext %14  ; !2\n"
  "  %11:int = add %7, %10  ; !3\n"
  "  %12:int = const 1\n"
  "  %13:int = add %8, %12\n"
  "  br @1(%11, %13, %14)\n"
  "@3:\n"
  "  %15:(int, int) = tuple %7, %8\n"
  "  ret %15\n"
  "}\n";

START_TEST(test_range)
{
  EmEntry e = compile(rsum_text, "t_rsum");
  static const int64_t cases[][5] = {
    {10, -5, -3, 20, 5}, {0, 10, 1, 45, 10}, {0, 10, 3, 18, 4}, {5, 5, 1, 0, 0}, {5, 0, 1, 0, 0},
    {-3, 3, 2, -3, 3}, {INT64_MAX - 2, INT64_MAX, 5, INT64_MAX - 2, 1},
    {INT64_MIN, INT64_MIN + 3, INT64_MAX, INT64_MIN, 1}, {3, -3, INT64_MIN, 3, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Slot a[3] = {{.i = cases[i][0]}, {.i = cases[i][1]}, {.i = cases[i][2]}}, r[2];
    EmErr err;
    ck_assert_int_eq(call(e, a, r, &err), 0);
    ck_assert_msg(r[0].i == cases[i][3] && r[1].i == cases[i][4], "range(%lld, %lld, %lld): sum %lld n %lld",
                  (long long)cases[i][0], (long long)cases[i][1], (long long)cases[i][2], (long long)r[0].i, (long long)r[1].i);
  }
  Slot a[3] = {{.i = 0}, {.i = 10}, {.i = 0}}, r[2];
  EmErr err;
  ck_assert_int_eq(call(e, a, r, &err), 1);
  ck_assert_int_eq(err.kind, RT_RANGE_STEP);
}
END_TEST

/* A histogram's loop without the array: count k in [0, n) with 0 <= int(x0 + k*dx) < 100.
 * On x86-64 the conversion's INT64_MIN test is sunk past the range test
 * (llvm_sink_f2i_checks) and the loop unrolled 4 times (mark_unroll). */
static const char *bins_text =
  "func @bins(f64, f64, int) -> int {\n"
  "@0(%1:f64, %2:f64, %3:int):\n"
  "  %6:int = const 0\n"
  "  %21:int = const 1\n"
  "  %4:range = range %6, %3, %21  ; !2\n"
  "  %5:iter<int, range> = getiter %4  ; !2\n"
  "  br @1(%6, %5)\n"
  "@1(%7:int, %8:iter<int, range>):\n"
  "  %9:bool = iterhas %8  ; !2\n"
  "  cbr %9, @2, @5\n"
  "@2:\n"
  "  %10:int = iternext %8  ; !2\n"
  "  %11:f64 = cvt %10  ; !3\n"
  "  %12:f64 = mul %11, %2  ; !3\n"
  "  %13:f64 = add %1, %12  ; !3\n"
  "  %14:int = cvt %13  ; !3\n"
  "  %15:int = const 0\n"
  "  %16:bool = ge %14, %15  ; !4\n"
  "  cbr %16, @3, @1(%7, %8)\n"
  "@3:\n"
  "  %17:int = const 100\n"
  "  %18:bool = lt %14, %17  ; !4\n"
  "  cbr %18, @4, @1(%7, %8)\n"
  "@4:\n"
  "  %19:int = const 1\n"
  "  %20:int = add %7, %19  ; !5\n"
  "  br @1(%20, %8)\n"
  "@5:\n"
  "  ret %7\n"
  "}\n";

START_TEST(test_f2i_in_loop)
{
  TgOptions opt = {.opt_level = 3, .keep_llvm = true};
  TgCode code;
  EmEntry e = compile_opt(bins_text, "t_bins", &opt, &code);
  static const struct { double x0, dx; int64_t n, count; int kind; } cases[] = {
    {-10.0, 1.0, 200, 100, 0}, {-10.0, 0.5, 7, 0, 0}, {99.5, -0.25, 9, 9, 0}, {0.0, 33.4, 5, 3, 0},
    {-9223372036854775808.0, 0.0, 6, 0, 0},            /* int(-2**63) fits */
    {-9223372036854775808.0, -1e4, 5, 0, RT_FLOAT_BIG_INT},  /* k = 1: past int64 */
    {NAN, 0.0, 3, 0, RT_FLOAT_NAN_INT}, {-INFINITY, 1.0, 4, 0, RT_FLOAT_INF_INT},
    {5.0, 1e300, 4, 1, RT_FLOAT_BIG_INT},              /* k = 0 is 5.0, then 1e300 */
    {1e19, -1e18, 12, 0, RT_FLOAT_BIG_INT}, {0.5, 0.0, 0, 0, 0}, {0.5, 1.0, 1, 1, 0}, {0.5, 1.0, 3, 3, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Slot a[3] = {{.f = cases[i].x0}, {.f = cases[i].dx}, {.i = cases[i].n}}, r[2] = {{0}};
    EmErr err;
    int rc = call(e, a, r, &err);
    ck_assert_msg(rc == (cases[i].kind != 0), "case %zu: rc %d", i, rc);
    if (rc) ck_assert_msg(err.kind == cases[i].kind, "case %zu: kind %d", i, (int)err.kind);
    else ck_assert_msg(r[0].i == cases[i].count, "case %zu: %lld", i, (long long)r[0].i);
  }
#if defined(__x86_64__)
  /* the range test comes first: the INT64_MIN compare sits in its own block, not before it */
  const char *ir = code.llvm_ir, *cv = strstr(ir, "call i64 @llvm.x86.sse2.cvttsd2si64");
  ck_assert_msg(cv, "no cvttsd2si:\n%s", ir);
  int nconv = 0;
  for (const char *p = cv; (p = strstr(p, "call i64 @llvm.x86.sse2.cvttsd2si64")); p++) {
    const char *br = strstr(p, "\n  br i1 "), *eq = strstr(p, "icmp eq i64"), *cmp = eq ? strstr(eq + 1, "icmp ") : NULL;
    if (!(br && eq && cmp && cmp < br)) fprintf(stderr, "%s\n", ir);
    ck_assert_msg(br && eq && cmp && cmp < br, "a conversion's block branches on its INT64_MIN test");
    nconv++;
  }
  if (nconv < 4) fprintf(stderr, "%s\n", ir);
  ck_assert_msg(nconv >= 4, "loop not unrolled (%d conversions)", nconv);
#endif
  free(code.llvm_ir);
  free(code.asm_text);
}
END_TEST

static const char *fib_text =
  "func @fib(int) -> int {\n"
  "@0(%1:int):\n"
  "  %2:int = const 2\n"
  "  %3:bool = lt %1, %2  ; !2\n"
  "  cbr %3, @1, @2\n"
  "@1:\n"
  "  ret %1\n"
  "@2:\n"
  "  %4:int = const 1\n"
  "  %5:int = sub %1, %4  ; !3\n"
  "  %6:int = callfn \"t_fib\", %5  ; !3\n"
  "  %7:int = sub %1, %2  ; !3\n"
  "  %8:int = callfn \"t_fib\", %7  ; !3\n"
  "  %9:int = add %6, %8  ; !3\n"
  "  ret %9\n"
  "}\n";

START_TEST(test_fib_callfn)
{
  EmEntry e = compile(fib_text, "t_fib");
  Slot a[1] = {{.i = 25}}, r[1];
  EmErr err;
  ck_assert_int_eq(call(e, a, r, &err), 0);
  ck_assert_int_eq(r[0].i, 75025);
  ck_assert_int_eq(err.depth, 0);
  memset(&err, 0, sizeof err);
  err.limit = 10;
  ck_assert_int_eq(e((const uint64_t *)a, (uint64_t *)r, &err), 1);
  ck_assert_int_eq(err.kind, RT_RECURSION);
  /* A second module calling the first one's inner symbol. */
  EmEntry g = compile("func @g(int) -> int {\n@0(%1:int):\n  %2:int = callfn \"t_fib\", %1  ; !9\n"
                      "  %3:int = const 1\n  %4:int = add %2, %3\n  ret %4\n}\n", "t_callfib");
  a[0].i = 10;
  ck_assert_int_eq(call(g, a, r, &err), 0);
  ck_assert_int_eq(r[0].i, 56);
}
END_TEST

START_TEST(test_tuple_bool_none)
{
  static const char *text =
    "func @t(int, f64, bool) -> ((int, bool), f64, none, c128) {\n"
    "@0(%1:int, %2:f64, %3:bool):\n"
    "  %4:bool = not %3\n"
    "  %5:(int, bool) = tuple %1, %4\n"
    "  %6:none = const\n"
    "  %7:f64 = cvt %1\n"
    "  %8:f64 = add %7, %2\n"
    "  %9:c128 = intrin COMPLEX, %2, %8\n"
    "  %10:((int, bool), f64, none, c128) = tuple %5, %8, %6, %9\n"
    "  %11:(int, bool) = extract %10, 0\n"
    "  %12:int = extract %11, 0\n"
    "  %13:bool = gt %12, %1\n"
    "  cbr %13, @1, @2\n"
    "@1:\n"
    "  raise MATH_DOMAIN  ; !8\n"
    "@2:\n"
    "  ret %10\n"
    "}\n";
  EmEntry e = compile(text, "t_tuple");
  Slot a[3] = {{.i = 3}, {.f = 0.5}, {.u = 1}}, r[5];
  EmErr err;
  ck_assert_int_eq(call(e, a, r, &err), 0);
  ck_assert_int_eq(r[0].i, 3);
  ck_assert_int_eq(r[1].u, 0);
  ck_assert(r[2].f == 3.5 && r[3].f == 0.5 && r[4].f == 3.5);
}
END_TEST

START_TEST(test_duplicate_symbol)
{
  EmEntry e = compile(BINOP("dup", "sub", "int"), "t_dup");
  IrCtx *ctx = ir_ctx_new();
  IrFunc **fns;
  ck_assert_int_eq(ir_parse(ctx, BINOP("dup", "add", "int"), "dup", &fns), 1);
  char err[512] = "";
  TgCode c;
  ck_assert_int_eq(tg_compile(fns[0], "t_dup", NULL, &c, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "uplicate") != NULL, "message: %s", err);
  ir_ctx_free(ctx);
  EmErr er;
  int rc;
  ck_assert_int_eq(call_ii(e, 5, 3, &rc, &er), 2);
}
END_TEST

/* A module whose callee does not exist fails at link time and leaves no trace. */
START_TEST(test_missing_callee)
{
  IrCtx *ctx = ir_ctx_new();
  IrFunc **fns;
  ck_assert_int_eq(ir_parse(ctx, "func @m(int) -> int {\n@0(%1:int):\n  %2:int = callfn \"t_nowhere\", %1\n  ret %2\n}\n",
                            "m", &fns), 1);
  char err[512] = "";
  TgCode c;
  ck_assert_int_eq(tg_compile(fns[0], "t_miss", NULL, &c, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "t_nowhere") != NULL, "message: %s", err);
  ir_ctx_free(ctx);
  EmEntry e = compile(BINOP("miss", "mul", "int"), "t_miss");
  EmErr er;
  int rc;
  ck_assert_int_eq(call_ii(e, 6, 7, &rc, &er), 42);
}
END_TEST

#ifdef TG_DEFER_LINK
/* Mutual recursion: both objects are added before either is linked. */
START_TEST(test_deferred_link)
{
  static const char *even =
    "func @even(int) -> bool {\n@0(%1:int):\n  %2:int = const 0\n  %3:bool = eq %1, %2\n  cbr %3, @1, @2\n"
    "@1:\n  %4:bool = const 1\n  ret %4\n@2:\n  %5:int = const 1\n  %6:int = sub %1, %5\n"
    "  %7:bool = callfn \"t_odd\", %6\n  ret %7\n}\n";
  static const char *odd =
    "func @odd(int) -> bool {\n@0(%1:int):\n  %2:int = const 0\n  %3:bool = eq %1, %2\n  cbr %3, @1, @2\n"
    "@1:\n  %4:bool = const 0\n  ret %4\n@2:\n  %5:int = const 1\n  %6:int = sub %1, %5\n"
    "  %7:bool = callfn \"t_even\", %6\n  ret %7\n}\n";
  TgOptions o = {.opt_level = 3, .defer_link = true};
  TgCode c;
  ck_assert_ptr_null(compile_opt(even, "t_even", &o, &c));
  ck_assert_ptr_null(compile_opt(odd, "t_odd", &o, &c));
  char err[512] = "";
  EmEntry e, d;
  ck_assert_msg(tg_link("t_even", &e, err, sizeof err) == 0, "%s", err);
  ck_assert_msg(tg_link("t_odd", &d, err, sizeof err) == 0, "%s", err);
  Slot a[1] = {{.i = 7}}, r[1];
  EmErr er;
  ck_assert_int_eq(call(e, a, r, &er), 0);
  ck_assert_int_eq(r[0].u, 0);
  ck_assert_int_eq(call(d, a, r, &er), 0);
  ck_assert_int_eq(r[0].u, 1);
  /* A failed link drops the whole pending session; the symbol can be compiled again. */
  static const char *lone = "func @l(int) -> int {\n@0(%1:int):\n  %2:int = callfn \"t_absent\", %1\n  ret %2\n}\n";
  ck_assert_ptr_null(compile_opt(lone, "t_lone", &o, &c));
  ck_assert_int_eq(tg_link("t_lone", &e, err, sizeof err), -1);
  ck_assert_int_eq(tg_link("t_lone", &e, err, sizeof err), -1);
  e = compile(BINOP("lone", "add", "int"), "t_lone");
  int rc;
  ck_assert_int_eq(call_ii(e, 1, 2, &rc, &er), 3);
}
END_TEST
#endif

/* -- A batch in parts ------------------------------------------------------------- */

/* IR text of func @<name>(int n) -> f64: the sum over i < n of x_K, where
 * x_0 = i and x_{k+1} = x_k * c + i (K = 'terms'): a loop heavy enough that
 * two of them make a module split in two (targets/native/jit.c, run_parts). */
static char *chain_text(const char *name, double c, int terms)
{
  size_t cap = 4096 + 96 * (size_t)terms, n = 0;
  char *s = malloc(cap);
  n += (size_t)snprintf(s + n, cap - n,
                        "func @%s(int) -> f64 {\n@0(%%1:int):\n  %%2:int = const 0\n  %%3:int = const 1\n"
                        "  %%4:range = range %%2, %%1, %%3\n  %%5:iter<int, range> = getiter %%4\n"
                        "  %%6:f64 = const 0.0\n  br @1(%%6)\n@1(%%7:f64):\n  %%8:bool = iterhas %%5\n"
                        "  cbr %%8, @2, @3\n@2:\n  %%9:int = iternext %%5\n  %%10:f64 = cvt %%9\n"
                        "  %%11:f64 = const %.17g\n", name, c);
  int x = 10, v = 12;
  for (int k = 0; k < terms; k++, v += 2) {
    n += (size_t)snprintf(s + n, cap - n, "  %%%d:f64 = mul %%%d, %%11\n  %%%d:f64 = add %%%d, %%10\n", v, x, v + 1, v);
    x = v + 1;
  }
  snprintf(s + n, cap - n, "  %%%d:f64 = add %%7, %%%d\n  br @1(%%%d)\n@3:\n  ret %%7\n}\n", v, x, v);
  return s;
}

static double chain_ref(double c, int terms, int64_t n)
{
  double s = 0.0;
  for (int64_t i = 0; i < n; i++) {
    double x = (double)i;
    for (int k = 0; k < terms; k++) x = x * c + (double)i;
    s += x;
  }
  return s;
}

START_TEST(test_batch_in_parts)
{
  char *a = chain_text("pa", 0.5, 60), *b = chain_text("pb", 0.25, 60);
  const char *m = "func @pm(int) -> f64 {\n@0(%1:int):\n  %2:f64 = callfn \"t_pa\", %1\n"
                  "  %3:f64 = callfn \"t_pb\", %1\n  %4:f64 = add %2, %3\n  ret %4\n}\n";
  size_t la = strlen(a), lb = strlen(b);
  char *text = malloc(la + lb + strlen(m) + 1);
  memcpy(text, a, la);
  memcpy(text + la, b, lb);
  strcpy(text + la + lb, m);
  IrCtx *ctx = ir_ctx_new();
  IrFunc **fns;
  ck_assert_msg(ir_parse(ctx, text, "parts", &fns) == 3, "parse failed: %s", ctx->errmsg);
  const char *syms[3] = {"t_pa", "t_pb", "t_pm"};
  TgOptions opts[3] = {{.opt_level = 3}, {.opt_level = 3}, {.opt_level = 3}};
  TgCode outs[3];
  char err[512] = "";
  ck_assert_msg(tg_compile_batch(fns, syms, opts, 3, outs, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(outs[2].nparts, 2);   /* main() asks for two threads */
  for (int64_t n = 0; n < 40; n += 13) {
    Slot args[1] = {{.i = n}}, r[1];
    EmErr er;
    ck_assert_int_eq(call(outs[2].entry, args, r, &er), 0);
    ck_assert_msg(r[0].f == chain_ref(0.5, 60, n) + chain_ref(0.25, 60, n), "n = %lld: %.17g", (long long)n, r[0].f);
    ck_assert_int_eq(call(outs[1].entry, args, r, &er), 0);
    ck_assert(r[0].f == chain_ref(0.25, 60, n));
  }
  ir_ctx_free(ctx);
  free(text);
  free(a);
  free(b);
}
END_TEST

/* -- Compile time ------------------------------------------------------------------ */

static const char *loop_text =
  "func @loop%d(int) -> f64 {\n"
  "@0(%%1:int):\n"
  "  %%2:int = const 0\n"
  "  %%3:int = const 1\n"
  "  %%4:range = range %%2, %%1, %%3\n"
  "  %%5:iter<int, range> = getiter %%4\n"
  "  %%6:f64 = const 0.0\n"
  "  br @1(%%6)\n"
  "@1(%%7:f64):\n"
  "  %%8:bool = iterhas %%5\n"
  "  cbr %%8, @2, @3\n"
  "@2:\n"
  "  %%9:int = iternext %%5\n"
  "  %%10:f64 = cvt %%9\n"
  "  %%11:f64 = mul %%10, %%10\n"
  "  %%12:f64 = add %%7, %%11\n"
  "  br @1(%%12)\n"
  "@3:\n"
  "  ret %%7\n"
  "}\n";

START_TEST(test_compile_times)
{
  for (int i = 0; i < 3; i++) {
    char text[1024], sym[32];
    snprintf(text, sizeof text, loop_text, i);
    snprintf(sym, sizeof sym, "t_loop%d", i);
    TgOptions opt = {.opt_level = 3, .keep_llvm = i == 2, .keep_asm = i == 2};
    TgCode c;
    EmEntry e = compile_opt(text, sym, &opt, &c);
    printf("compile %d: startup %.2f ms, lower %.2f ms, opt %.2f ms, codegen+link %.2f ms\n", i,
           i ? 0.0 : 1e3 * tg_startup_seconds(), 1e3 * c.t_lower, 1e3 * c.t_opt, 1e3 * c.t_codegen);
    if (i == 2) {
      ck_assert(c.llvm_ir && strstr(c.llvm_ir, "t_loop2_entry"));
      ck_assert(c.asm_text && strstr(c.asm_text, "t_loop2"));
      if (getenv("EMBER_SHOW_LLVM")) printf("%s\n%s\n", c.llvm_ir, c.asm_text);
    }
    free(c.llvm_ir);
    free(c.asm_text);
    Slot a[1] = {{.i = 1000}}, r[1];
    EmErr err;
    ck_assert_int_eq(call(e, a, r, &err), 0);
    ck_assert(r[0].f == 332833500.0);
  }
  printf("host: %s\n", tg_host_description());
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("targets");
  TCase *t = tcase_create("core");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, test_compile_times);    /* first, so it measures LLVM's start */
  tcase_add_test(t, test_int_add_overflow);
  tcase_add_test(t, test_int_floordiv_mod);
  tcase_add_test(t, test_int_pow_shift_truediv);
  tcase_add_test(t, test_float_floordiv_mod);
  tcase_add_test(t, test_float_pow);
  tcase_add_test(t, test_cvt_round);
  tcase_add_test(t, test_math);
  tcase_add_test(t, test_complex);
  tcase_add_test(t, test_gcd);
  tcase_add_test(t, test_range);
  tcase_add_test(t, test_f2i_in_loop);
  tcase_add_test(t, test_fib_callfn);
  tcase_add_test(t, test_batch_in_parts);
  tcase_add_test(t, test_tuple_bool_none);
  tcase_add_test(t, test_duplicate_symbol);
  tcase_add_test(t, test_missing_callee);
#ifdef TG_DEFER_LINK
  tcase_add_test(t, test_deferred_link);
#endif
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  setenv("EMBER_LLVM_VERIFY", "1", 0);
  setenv("EMBER_CODEGEN_THREADS", "2", 0);   /* test_batch_in_parts, whatever the CPUs */
  SRunner *r = srunner_create(suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
