/* tests/c/test_random.c: the MT19937 core of np.random in compiled code
 * (targets/native/rt_random.c).
 *
 * Guards the generator against the published outputs of the reference
 * implementation (Matsumoto and Nishimura's mt19937ar.out for
 * init_by_array({0x123, 0x234, 0x345, 0x456}); C++'s std::mt19937, whose
 * 10000th output for the default seed 5489 the standard fixes), and the
 * derived draws against their definitions written out here: 53-bit doubles
 * from two outputs, 64-bit outputs high word first, legacy_gauss's kept
 * second value (dropped by seeding), and random_interval's masked
 * rejection (no draw for 0, 32 or 64 bits by the bound), and the entry
 * points of compiled code on this thread's generator (seed, then draws and
 * fills in order; -1 reseeds from entropy).  The equality of
 * whole streams with NumPy is tests/python/test_random.py's.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "../../targets/targets.h"
#include "../../targets/native/native.h"

START_TEST(test_init_by_array)
{
  static const uint32_t key[4] = {0x123, 0x234, 0x345, 0x456};
  static const uint32_t want[10] = {1067595299u, 955945823u, 477289528u, 4107218783u, 4228976476u,
                                    3344332714u, 3355579695u, 227628506u, 810200273u, 2591290167u};
  TgRandom r;
  tg_random_seed_array(&r, key, 4);
  for (int i = 0; i < 10; i++) ck_assert_uint_eq(tg_random_next32(&r), want[i]);
}
END_TEST

START_TEST(test_init_genrand)
{
  TgRandom r;
  tg_random_seed(&r, 5489);
  ck_assert_uint_eq(tg_random_next32(&r), 3499211612u);
  for (int i = 2; i < 10000; i++) tg_random_next32(&r);
  ck_assert_uint_eq(tg_random_next32(&r), 4123659995u);   /* past 16 twists of the state */
}
END_TEST

/* next64 and double: built from consecutive 32-bit outputs. */
START_TEST(test_derived)
{
  TgRandom a, b;
  for (uint32_t seed = 0; seed < 50; seed++) {
    tg_random_seed(&a, seed);
    tg_random_seed(&b, seed);
    uint64_t hi = tg_random_next32(&b), lo = tg_random_next32(&b);
    ck_assert_uint_eq(tg_random_next64(&a), hi << 32 | lo);
    uint32_t x = tg_random_next32(&b) >> 5, y = tg_random_next32(&b) >> 6;
    double d = tg_random_double(&a);
    ck_assert(d == ((double)x * 67108864.0 + y) / 9007199254740992.0);
    ck_assert(d >= 0.0 && d < 1.0);
  }
}
END_TEST

/* legacy_gauss: a pair from the polar method, the second value kept; seeding drops it. */
START_TEST(test_gauss)
{
  TgRandom a, b;
  tg_random_seed(&a, 12345);
  tg_random_seed(&b, 12345);
  double x1, x2, r2;
  do {
    x1 = 2.0 * tg_random_double(&b) - 1.0;
    x2 = 2.0 * tg_random_double(&b) - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = sqrt(-2.0 * log(r2) / r2);
  ck_assert(tg_random_gauss(&a) == f * x2);
  ck_assert(a.has_gauss);
  ck_assert(tg_random_gauss(&a) == f * x1);
  ck_assert(!a.has_gauss);
  ck_assert_uint_eq(tg_random_next32(&a), tg_random_next32(&b));   /* the kept value drew nothing */
  tg_random_gauss(&a);
  ck_assert(a.has_gauss);
  tg_random_seed(&a, 1);
  ck_assert(!a.has_gauss);
}
END_TEST

/* random_interval: [0, max] by rejection under the smallest covering mask. */
START_TEST(test_interval)
{
  TgRandom a, b;
  static const uint64_t maxes[] = {1, 2, 5, 7, 100, 1000, 65535, 0x7fffffffu, 0xfffffffeu, 0xffffffffu,
                                   0x100000000ull, 0x123456789aull, 0x7fffffffffffffffull};
  tg_random_seed(&a, 99);
  tg_random_seed(&b, 99);
  ck_assert_uint_eq(tg_random_interval(&a, 0), 0);   /* draws nothing */
  for (size_t k = 0; k < sizeof maxes / sizeof *maxes; k++) {
    uint64_t max = maxes[k], mask = 1;
    while (mask < max) mask = mask * 2 + 1;
    for (int i = 0; i < 200; i++) {
      uint64_t v = tg_random_interval(&a, max), w;
      do w = (max > 0xffffffffu ? tg_random_next64(&b) : tg_random_next32(&b)) & mask;
      while (w > max);
      ck_assert_uint_eq(v, w);
      ck_assert_uint_le(v, max);
    }
  }
}
END_TEST

/* This thread's generator through the entry points compiled code calls. */
START_TEST(test_thread_state)
{
  TgRandom r;
  double buf[700];
  ember_rt_random_seed(2024);
  tg_random_seed(&r, 2024);
  ck_assert(ember_rt_random_double() == tg_random_double(&r));
  ck_assert(ember_rt_random_gauss() == tg_random_gauss(&r));
  ck_assert_int_eq(ember_rt_random_fill(0, (int64_t)(uintptr_t)buf, 700), 0);   /* across a twist */
  for (int i = 0; i < 700; i++) ck_assert(buf[i] == tg_random_double(&r));
  ember_rt_random_fill(1, (int64_t)(uintptr_t)buf, 5);   /* the kept gauss first */
  for (int i = 0; i < 5; i++) ck_assert(buf[i] == tg_random_gauss(&r));
  ck_assert_int_eq(ember_rt_random_interval(1000), (int64_t)tg_random_interval(&r, 1000));
  ember_rt_random_seed(2024);   /* drops the kept gauss */
  tg_random_seed(&r, 2024);
  ck_assert(ember_rt_random_gauss() == tg_random_gauss(&r));
  ember_rt_random_seed(-1);     /* entropy: some other stream */
  tg_random_seed(&r, 2024);
  int same = 0;
  for (int i = 0; i < 4; i++) same += ember_rt_random_double() == tg_random_double(&r);
  ck_assert_int_lt(same, 4);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("random");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_init_by_array);
  tcase_add_test(tc, test_init_genrand);
  tcase_add_test(tc, test_derived);
  tcase_add_test(tc, test_gauss);
  tcase_add_test(tc, test_interval);
  tcase_add_test(tc, test_thread_state);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
