"""The math module: every function of issue 2 on a grid of ordinary and edge
inputs (results bit-identical to CPython's), domain and range errors
(ValueError / OverflowError), floor/ceil/trunc returning int, int arguments,
the constants."""
import math

import ember
from helpers import check, check_all, pairs

GRID = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 0.1, 3.0, 10.0, -10.0, 100.0, 700.0,
        710.0, -745.0, 1e-300, 5e-324, 1e300, -1e300, math.inf, -math.inf, math.nan, 1, -1, 0, 3]


def unary(name):
    """An ember.jit function calling math.'name' on one argument."""
    ns = {"math": math}
    exec(f"def {name}_(x):\n    return math.{name}(x)\n", ns)
    return ember.jit(ns[name + "_"])


def binary(name):
    ns = {"math": math}
    exec(f"def {name}_(x, y):\n    return math.{name}(x, y)\n", ns)
    return ember.jit(ns[name + "_"])


UNARY = ["sqrt", "exp", "log", "log1p", "expm1", "log2", "log10", "sin", "cos", "tan", "asin",
         "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc",
         "gamma", "lgamma", "fabs", "floor", "ceil", "trunc", "isnan", "isinf", "isfinite"]
BINARY = ["log", "hypot", "atan2", "copysign", "fmod"]


def test_unary_grid():
    for name in UNARY:
        check_all(unary(name), GRID)


def test_binary_grid():
    small = [0.0, -0.0, 0.5, -1.0, 2.0, 10.0, -3.5, math.inf, -math.inf, math.nan, 2, 0]
    for name in BINARY:
        check_all(binary(name), pairs(small))


# -- domain and range errors, named ---------------------------------------------------
def test_sqrt_negative(): check(unary("sqrt"), -1.0)
def test_sqrt_negative_int(): check(unary("sqrt"), -1)
def test_sqrt_negative_zero(): check(unary("sqrt"), -0.0)
def test_log_zero(): check_all(unary("log"), [0.0, -0.0, 0, -1.0])
def test_log_base(): check_all(binary("log"), [(8.0, 2.0), (100, 10), (1.0, 1.0), (2.0, 1.0), (0.0, 2.0), (8.0, 0.0), (-8.0, 2.0), (8.0, -2.0)])
def test_log1p_domain(): check_all(unary("log1p"), [-1.0, -2.0, -0.9999999])
def test_log2_log10_domain(): check_all(unary("log2"), [0.0, -1.0]); check_all(unary("log10"), [0.0, -1e-300])
def test_exp_overflow(): check_all(unary("exp"), [709.0, 709.8, 710.0, 1000.0, -1000.0])
def test_expm1_overflow(): check_all(unary("expm1"), [709.0, 710.0, -1000.0])
def test_trig_domain(): check_all(unary("asin"), [1.0, 1.0000001, -2.0]); check_all(unary("acos"), [2.0, -1.0])
def test_trig_inf(): check_all(unary("sin"), [math.inf, -math.inf]); check_all(unary("cos"), [math.inf]); check_all(unary("tan"), [math.inf])
def test_atanh_domain(): check_all(unary("atanh"), [1.0, -1.0, 2.0, 0.99999])
def test_acosh_domain(): check_all(unary("acosh"), [0.5, 1.0, -1.0])
def test_hyperbolic_overflow(): check_all(unary("cosh"), [710.0, 1000.0, -1000.0]); check_all(unary("sinh"), [710.0, -1000.0])
def test_gamma_domain(): check_all(unary("gamma"), [0.0, -0.0, -1.0, -2.0, -2.5, 171.5, 172.0, 0.5, 1e-310, -math.inf])
def test_lgamma_domain(): check_all(unary("lgamma"), [0.0, -1.0, -2.5, 1e308, 2.0, 1.0])
def test_fmod_zero(): check_all(binary("fmod"), [(1.0, 0.0), (math.inf, 1.0), (1.0, math.inf), (-5.5, 2.0), (5.5, -2.0), (-0.0, 3.0)])
def test_hypot_inf_nan(): check_all(binary("hypot"), [(math.inf, math.nan), (math.nan, -math.inf), (3, 4), (1e308, 1e308)])
def test_atan2_signed_zeros(): check_all(binary("atan2"), pairs([0.0, -0.0], [0.0, -0.0, 1.0, -1.0]))
def test_copysign(): check_all(binary("copysign"), pairs([1.0, -1.0, 0.0, math.inf, math.nan], [0.0, -0.0, -1.0, math.nan]))


# -- floor/ceil/trunc give int --------------------------------------------------------
def test_floor_int_result(): assert type(check(unary("floor"), 2.5)) is int
def test_floor_values(): check_all(unary("floor"), [2.5, -2.5, -0.0, 1e18, -1e18, 9.2e18, 1e19, 1e300, 5, -5, True])
def test_ceil_values(): check_all(unary("ceil"), [2.5, -2.5, -0.5, 1e18, 1e19, -1e300, 5])
def test_trunc_values(): check_all(unary("trunc"), [2.5, -2.5, -0.5, 1e18, 1e19, -1e300, 5])
def test_floor_nan_inf(): check_all(unary("floor"), [math.nan, math.inf, -math.inf])
def test_ceil_nan_inf(): check_all(unary("ceil"), [math.nan, math.inf, -math.inf])
def test_predicates_bool(): assert type(check(unary("isnan"), math.nan)) is bool


# -- constants and a realistic combination ------------------------------------------
@ember.jit
def constants():
    return math.pi, math.e, math.inf, -math.inf, math.isnan(math.nan)


@ember.jit
def norm_pdf(x, mu, sigma):
    z = (x - mu) / sigma
    return math.exp(-0.5 * z * z) / (sigma * math.sqrt(2 * math.pi))


@ember.jit
def log_any(x, base=None):
    if base is None:
        return math.log(x)
    return math.log(x, base)


def test_constants(): check(constants)
def test_norm_pdf(): check_all(norm_pdf, [(0.0, 0.0, 1.0), (1.5, 0.5, 2.0), (3, 0, 1), (0.0, 0.0, 0.0), (40.0, 0.0, 1.0)])
def test_log_one_or_two_args(): check_all(log_any, [(8.0,), (8.0, 2.0), (8.0, None), (1000, 10)])
