"""Named rewrites (issue 4, scalar part): listing, exclusion, stats, and for
every rewrite a numeric check against an exact reference (decimal, 400
digits): with the rewrite the result is at least as accurate as without it,
and exceptions stay as passes/README.md (rule 10) says."""
import math
from decimal import Decimal, getcontext

import pytest

import ember

getcontext().prec = 400
D = Decimal


def dexp(d): return d.exp()
def dln(d): return d.ln()
def dsig(d): return 1 / (1 + (-d).exp())


def err(got, exact):
    """Relative error of float 'got' against Decimal 'exact'."""
    if math.isnan(got) or math.isinf(got):
        return math.inf
    if exact == 0:
        return abs(got)
    return float(abs((D(got) - exact) / exact))


def pair(fn, name, **opt):
    """The function compiled with the rewrite and with it excluded."""
    return ember.jit(**opt)(fn), ember.jit(rewrites={"exclude": [name]}, **opt)(fn)


# name, function, inputs (each where the naive form is accurate or not), exact value
CASES = [
    ("log1p", lambda x: math.log(1.0 + x), [1e-10, 1e-300, -0.5, 3.0, 1e300], lambda d: dln(1 + d)),
    ("log1p", lambda x: math.log(1.0 - x), [1e-10, -1e-17, 0.5], lambda d: dln(1 - d)),
    ("expm1", lambda x: math.exp(x) - 1.0, [1e-10, -1e-12, 2.0, -30.0], lambda d: dexp(d) - 1),
    ("expm1", lambda x: -1.0 + math.exp(x), [1e-10, 3.0], lambda d: dexp(d) - 1),
    ("log_exp", lambda x: math.log(math.exp(x)), [1e-300, 0.1, 700.0, -700.0], lambda d: d),
    ("exp_log", lambda x: math.exp(math.log(x)), [1e-300, 0.1, 7.0, 1e300], lambda d: d),
    ("log1p_expm1", lambda x: math.log1p(math.expm1(x)), [1e-300, 0.3, 700.0, -50.0], lambda d: d),
    ("sigmoid", lambda x: 1.0 / (1.0 + math.exp(-x)), [0.0, 3.0, -30.0, 40.0, -700.0], dsig),
    ("exp_sigmoid", lambda x: math.exp(x) / (1.0 + math.exp(x)), [0.0, 3.0, -30.0, 700.0], dsig),
    ("one_minus_sigmoid", lambda x: 1.0 - 1.0 / (1.0 + math.exp(-x)), [0.0, 3.0, 30.0, 700.0], lambda d: 1 - dsig(d)),
    ("softplus", lambda x: math.log(1.0 + math.exp(x)), [0.0, -40.0, -700.0, 30.0, 700.0], lambda d: dln(1 + dexp(d))),
    ("log_sigmoid", lambda x: math.log(1.0 / (1.0 + math.exp(-x))), [0.0, 3.0, 40.0, -700.0], lambda d: dln(dsig(d))),
    ("log1m_sigmoid", lambda x: math.log1p(-(1.0 / (1.0 + math.exp(-x)))), [0.0, -3.0, -40.0, 30.0, 700.0],
     lambda d: dln(1 - dsig(d))),
    ("log1mexp", lambda x: math.log1p(-math.exp(x)), [-1e-20, -1e-5, -0.5, -3.0, -40.0], lambda d: dln(1 - dexp(d))),
    ("log1mexp", lambda x: math.log(-math.expm1(x)), [-1e-20, -0.5, -40.0], lambda d: dln(1 - dexp(d))),
    ("sqrt_sqr", lambda x: math.sqrt(x * x), [3.0, -1e200, 1e-200, -0.0], lambda d: abs(d)),
    ("log_sqrt", lambda x: math.log(math.sqrt(x)), [1.0 + 2.0 ** -52, 7.0, 1e-300], lambda d: dln(d) / 2),
]
CASES2 = [
    ("logaddexp", lambda x, y: math.log(math.exp(x) + math.exp(y)), [(1.0, 2.0), (-800.0, -801.0), (-1e-5, 30.0)],
     lambda a, b: dln(dexp(a) + dexp(b))),
    ("hypot", lambda x, y: math.sqrt(x * x + y * y), [(3.0, 4.0), (1e200, 1e200), (1e-200, 3e-200)],
     lambda a, b: (a * a + b * b).sqrt()),
]
ERF = [  # these equal a libm call exactly
    ("erfc", lambda x: 1.0 - math.erf(x), lambda x: math.erfc(x)),
    ("erf", lambda x: 1.0 - math.erfc(x), lambda x: math.erf(x)),
    ("one_plus_erf", lambda x: 1.0 + math.erf(x), lambda x: math.erfc(-x)),
    ("erf_minus_one", lambda x: math.erf(x) - 1.0, lambda x: -math.erfc(x)),
]


def fired(f, name):
    return any(name in d for d in f.stats["rewrites"].values())


def naive_or_error(fn, *args):
    try:
        return fn(*args)
    except (OverflowError, ValueError) as e:
        return e


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_unary_at_least_as_accurate(case):
    name, fn, xs, exact = case
    on, off = pair(fn, name)
    for x in xs:
        ref = exact(D(x))
        naive = naive_or_error(fn, x)
        got = on(x)
        assert err(got, ref) <= 4e-16 or err(got, ref) <= err(off(x), ref), (name, x, got, off(x))
        if isinstance(naive, float):
            assert err(got, ref) <= max(err(naive, ref), 4e-16), (name, x, got, naive)
    assert fired(on, name) and not fired(off, name)


@pytest.mark.parametrize("case", CASES2, ids=[c[0] for c in CASES2])
def test_binary_at_least_as_accurate(case):
    name, fn, xs, exact = case
    on, off = pair(fn, name)
    for x, y in xs:
        ref = exact(D(x), D(y))
        got = on(x, y)
        assert err(got, ref) <= 4e-16, (name, x, y, got)
    assert fired(on, name) and not fired(off, name)


@pytest.mark.parametrize("case", ERF, ids=[c[0] for c in ERF])
def test_erf_forms(case):
    name, fn, better = case
    on, off = pair(fn, name)
    for x in (-6.0, -5.0, -1e-10, 0.0, 1e-10, 0.5, 5.0, 6.0):
        assert on(x) == better(x), (name, x)
        assert off(x) == fn(x)
    assert fired(on, name)


def test_accuracy_wins():
    """Inputs where the naive form is far off and the stable one is not."""
    ls = ember.jit(lambda x: math.log(1.0 / (1.0 + math.exp(-x))))
    assert math.log(1.0 / (1.0 + math.exp(-40.0))) == 0.0           # CPython: relative error 1
    assert err(ls(40.0), dln(dsig(D(40)))) < 1e-15
    l1p = ember.jit(lambda x: math.log(1.0 + x))
    assert err(l1p(1e-10), dln(1 + D(1e-10))) < 1e-16


def test_exceptions_of_consumed_calls_stay():
    """A math call the rewrite consumed still raises where CPython raises."""
    le = ember.jit(lambda x: math.log(math.exp(x)))
    with pytest.raises(OverflowError):
        le(800.0)
    el = ember.jit(lambda x: math.exp(math.log(x)))
    for x in (0.0, -0.0, -1.0):
        with pytest.raises(ValueError):
            el(x)
    sg = ember.jit(lambda x: 1.0 / (1.0 + math.exp(-x)))
    with pytest.raises(OverflowError):
        sg(-720.0)
    l1p = ember.jit(lambda x: math.log(1.0 + x))
    for x in (-1.0, -2.0):
        with pytest.raises(ValueError):
            l1p(x)
    lm = ember.jit(lambda x: math.log1p(-math.exp(x)))
    for x in (0.0, 1.0):
        with pytest.raises(ValueError):
            lm(x)
    with pytest.raises(OverflowError):
        lm(800.0)
    ls = ember.jit(lambda x: math.log(math.sqrt(x)))
    with pytest.raises(ValueError):
        ls(-1.0)
    with pytest.raises(ValueError):
        ls(0.0)


def test_documented_value_instead_of_exception():
    """The naive form raises only because its rounding hit a pole (README rule 10)."""
    f = ember.jit(lambda x: math.log(1.0 - 1.0 / (1.0 + math.exp(-x))))
    with pytest.raises(ValueError):
        math.log(1.0 - 1.0 / (1.0 + math.exp(-40.0)))
    assert err(f(40.0), dln(1 - dsig(D(40)))) < 1e-15
    g = ember.jit(lambda x: math.log1p(-math.exp(x)))
    with pytest.raises(ValueError):
        math.log1p(-math.exp(-1e-20))
    assert err(g(-1e-20), dln(1 - dexp(D(-1e-20)))) < 1e-15


def test_fastmath_drops_consumed_calls():
    f = ember.jit(fastmath=True)(lambda x: math.log(math.exp(x)))
    assert f(800.0) == 800.0
    s = ember.jit(fastmath=True)(lambda x: 1.0 / (1.0 + math.exp(-x)))
    assert abs(D(s(-720.0)) - dsig(D(-720))) <= D(5e-324) / 2   # a subnormal, correctly rounded


def test_nan_inf_signed_zero_kept():
    """The stable forms agree with the naive ones on NaN, +-inf and -0.0."""
    nan, inf = math.nan, math.inf
    forms = [c[1] for c in CASES] + [c[1] for c in ERF]
    for fn in forms:
        f = ember.jit(fn)
        for x in (nan, inf, -inf, 0.0, -0.0):
            try:
                want = fn(x)
            except (OverflowError, ValueError, ZeroDivisionError) as e:
                with pytest.raises(type(e)):
                    f(x)
                continue
            got = f(x)
            assert (math.isnan(got) and math.isnan(want)) or (got == want and math.copysign(1, got) == math.copysign(1, want)), (fn, x, got, want)
    h = ember.jit(CASES2[1][1])
    assert math.isnan(h(inf, nan)) and h(inf, 1.0) == inf


# -- canonicalize and simplify: exact, so equal to CPython bit for bit ------------------

ALG = [
    ("add_like_terms", lambda a: 2 * a + a), ("add_like_terms", lambda a: a * 2 + a), ("add_like_terms", lambda a: a + a * 2),
    ("add_like_terms", lambda a: a * 4 + a * 2), ("sub_like_terms", lambda a: a * 3 - a),
    ("mul_const_chain", lambda a: (a * 2) * 4), ("add_const_chain", lambda a: (a + 3) - 5),
    ("mul_neg_one", lambda a: a * -1), ("sub_neg", lambda a: 3 - (-a)), ("add_neg", lambda a: 3 + (-a)),
    ("div_pow2", lambda a: a / 4.0), ("mul_div_cancel", lambda a: (a * 7) // 7),
    ("mul_one", lambda a: a * 1), ("neg_neg", lambda a: -(-a)), ("mul_two", lambda a: a * 2.0),
]
INTS = [0, 1, -7, 2 ** 40, -(2 ** 62), 2 ** 62 + 3]
FLOATS = [0.0, -0.0, 1.5, -3.25, 1e308, -1e308, 5e-324, math.inf, -math.inf, math.nan, 1e-310]


def same(x, y):
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
    return x == y and type(x) is type(y)


@pytest.mark.parametrize("case", ALG, ids=[c[0] for c in ALG])
def test_algebra_exact(case):
    name, fn = case
    on, off = pair(fn, name)
    for xs in (INTS, FLOATS):
        for x in xs:
            try:
                want = fn(x)
            except Exception as e:   # noqa: BLE001 (ZeroDivisionError, OverflowError)
                with pytest.raises(type(e)):
                    on(x)
                continue
            assert same(on(x), want), (name, x, on(x), want)
            assert same(off(x), want)
    assert fired(on, name) and not fired(off, name)


def test_pow_half():
    on, off = pair(lambda a: abs(a) ** 0.5, "pow_half")
    for x in (2.0, -3.0, 1e-310, 1e308, 0.0, -0.0, math.inf, -math.inf):
        assert same(on(x), math.sqrt(abs(x)))
        assert err(on(x), abs(D(x)).sqrt()) <= 2 ** -53 or x in (0.0, math.inf, -math.inf)
    assert math.isnan(on(math.nan))
    assert fired(on, "pow_half") and not fired(off, "pow_half")
    unknown = ember.jit(lambda a: a ** 0.5)   # -0.0 ** 0.5 is 0.0, sqrt(-0.0) is -0.0: no rewrite
    assert same(unknown(-0.0), 0.0) and not fired(unknown, "pow_half")


def test_rewrites_listing():
    rw = ember.rewrites()
    names = [r["name"] for r in rw]
    assert len(names) == len(set(names)) >= 25
    assert {r["phase"] for r in rw} == {"canonicalize", "simplify", "stabilize"}
    assert all(r["description"] for r in rw)
    assert "log1p" in names and "add_like_terms" in names
    assert "stabilize" in ember._phases()


def test_rewrites_option_errors():
    with pytest.raises(ValueError, match="unknown rewrite 'nope'.*log1p"):
        ember.jit(rewrites={"exclude": ["nope"]})
    with pytest.raises(ValueError):
        ember.jit(rewrites={"include": ["log1p"]})


def test_inspect_after_stabilize_and_stats():
    f = ember.jit(lambda x: math.log(1.0 + x))
    f(0.5)
    assert "LOG1P" in f.inspect_ir(after="stabilize")
    assert "LOG1P" not in f.inspect_ir(after="simplify")
    assert f.stats["rewrites"] == {"float64(float64)": {"log1p": 1}}
    g = ember.jit(rewrites={"exclude": ["log1p"]})(lambda x: math.log(1.0 + x))
    g(0.5)
    assert "LOG1P" not in g.inspect_ir(after="stabilize")
    assert g(1e-10) == math.log(1.0 + 1e-10)


def test_fastmath_only_rows():
    f = ember.jit(lambda x: x ** 2.0)
    with pytest.raises(OverflowError):
        f(1e200)
    assert not fired(f, "pow_two")
    g = ember.jit(fastmath=True)(lambda x: x ** 2.0)
    assert g(1e200) == math.inf and fired(g, "pow_two")
    h = ember.jit(lambda x: x * 3.0 + x * 5.0)
    h(1.0)
    assert not fired(h, "add_like_terms")
