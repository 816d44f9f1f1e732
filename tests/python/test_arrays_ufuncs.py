"""NumPy ufuncs called by name (np.add, np.negative, np.less, np.logical_and, ...),
np.sign, fabs, rint, degrees, radians, and var, std, any, all, count_nonzero,
ravel, flatten, each compiled and compared with NumPy itself on generated
inputs (values, dtypes, shapes, NaN and signed zeros)."""
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import check as check_exact, layouts

warnings.filterwarnings("ignore", category=RuntimeWarning)
RNG = np.random.default_rng(4)

BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "power", "remainder", "mod",
          "less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "maximum", "minimum"]
UNARY = ["negative", "positive", "sign", "fabs", "rint", "degrees", "radians", "rad2deg", "deg2rad", "abs"]


def check(f, *args):
    """As arrhelpers.check, but a NaN's sign is not compared (IEEE leaves it open)."""
    try:
        return check_exact(f, *args)
    except AssertionError:
        got, want = f(*args), f.__wrapped__(*args)
        got, want = np.asarray(got), np.asarray(want)
        assert got.dtype == want.dtype and got.shape == want.shape
        nan = np.isnan(want) if want.dtype.kind in "fc" else np.zeros(want.shape, bool)
        assert np.array_equal(np.isnan(got) if got.dtype.kind in "fc" else nan, nan)
        assert np.array_equal(got[~nan], want[~nan])
        if want.dtype.kind == "f":
            assert np.array_equal(np.signbit(got[~nan]), np.signbit(want[~nan]))


def compiled(src):
    ns = {"np": np}
    exec(f"def f(a, b):\n    return {src}\n", ns)
    return ember.jit(ns["f"])


SPECIAL = np.array([0.0, -0.0, 0.5, 1.5, -2.5, 2.5, 3.7, -3.7, np.nan, np.inf, -np.inf, 1e300, -1e-300])


@pytest.mark.parametrize("name", BINARY)
def test_binary_ufuncs(name):
    f = compiled(f"np.{name}(a, b)")
    a = RNG.standard_normal((3, 4)) * 4
    check(f, a, RNG.standard_normal(4) + 0.5)          # broadcasting
    check(f, a, 2.0)                                    # a Python scalar
    if name not in ("power", "floor_divide", "remainder", "mod", "divide", "true_divide"):
        check(f, RNG.integers(-9, 9, 7).astype(np.int32), RNG.integers(-9, 9, 7).astype(np.int8))
    else:
        check(f, RNG.integers(1, 9, 7).astype(np.int64), RNG.integers(1, 4, 7).astype(np.int64))


@pytest.mark.parametrize("name", UNARY)
def test_unary_ufuncs(name):
    f = compiled(f"np.{name}(a) + b")
    check(f, SPECIAL, 0.0)
    check(f, SPECIAL.astype(np.float32), np.float32(0))
    check(f, layouts(RNG.standard_normal((4, 5)) * 3)[2], 1.0)
    if name in ("negative", "positive", "sign", "abs"):
        check(f, RNG.integers(-5, 5, 9).astype(np.int16), 1)


@pytest.mark.parametrize("src", ["np.logical_and(a > 0, b > 0)", "np.logical_or(a > 0, b > 0)",
                                 "np.logical_xor(a > 0, b > 0)", "np.logical_not(a > b)"])
def test_logical_ufuncs(src):
    check(compiled(src), RNG.standard_normal(10), RNG.standard_normal(10))


@pytest.mark.parametrize("src", ["np.var(a)", "a.var()", "np.std(a)", "a.std()", "np.var(a, ddof=1)", "a.std(ddof=1)",
                                 "np.any(a > b)", "(a > b).all()", "np.count_nonzero(a > 0)", "np.all(a == a)",
                                 "a.ravel()", "np.ravel(a) * 2", "a.flatten()", "(a - a.mean()) / a.std()"])
@pytest.mark.parametrize("layout", [0, 1, 2])
def test_reductions_and_views(src, layout):
    f = compiled(src)
    a = layouts(RNG.standard_normal((5, 6)) * 10)[layout]
    check(f, a, 0.5)
    check(f, RNG.integers(-3, 3, 12).astype(np.int32), 0)


def test_ravel_is_a_view_flatten_a_copy():
    @ember.jit
    def g(a):
        r = a.ravel()
        c = a.flatten()
        r[0] = 7.0
        c[1] = 9.0
        return a
    check(g, np.zeros((2, 3)))


@pytest.mark.parametrize("dt,s", [(np.uint8, 300), (np.uint8, -1), (np.int8, 128), (np.int8, -128), (np.int16, 40000),
                                  (np.int32, 2**40), (np.uint32, 2**32), (np.uint64, -1), (np.int64, -2**63), (np.uint8, 255)])
def test_nep50_python_int_bounds(dt, s):
    """A Python int the NumPy type cannot hold: NumPy's OverflowError and message, in
    array expressions and on NumPy scalars; one that fits computes as NumPy."""
    for src in ("a + b", "a * b - 1", "np.subtract(b, a)"):
        f = compiled(src)
        for a in (np.arange(3, dtype=dt), dt(5)):
            try:
                f.__wrapped__(a, s)
            except OverflowError as e:
                with pytest.raises(OverflowError) as got:
                    f(a, s)
                assert str(got.value) == str(e)
            else:
                check(f, a, s)
