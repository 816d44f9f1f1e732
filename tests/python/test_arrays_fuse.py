"""Fusion of whole-array expressions (issue 4): passes/fuse.c turns each tree
of elementwise operations into one loop (jit/ember/_lib.py writes it, with
NumPy's float semantics), a tree consumed by a float sum or mean into one
reduction, and the array stabilize rewrites (logsumexp, softmax,
log_softmax) into shifted library forms.

References: NumPy itself (the undecorated function run by the interpreter)
for values, dtypes, NaN and signed zeros; exact values from math.fsum and
the stable formulas (np.logaddexp) where NumPy's naive evaluation overflows."""
import math
import warnings

import numpy as np
import pytest

import ember
from arrhelpers import check, layouts, same

warnings.filterwarnings("ignore", category=RuntimeWarning)
RNG = np.random.default_rng(20261126)


def ir(f, *args):
    f(*args)
    return f.inspect_ir(after="fuse")


# -- One loop per tree ---------------------------------------------------------

@ember.jit
def chain(a, b, c):
    return a * b + c * 2.0 + a


@ember.jit
def chain_sq(a, b):
    t = a - b
    return t * t + np.sqrt(np.abs(t))


def test_chain_is_one_loop():
    a, b, c = (RNG.standard_normal(10) for _ in range(3))
    text = ir(chain, a, b, c)
    assert text.count("callfn") == 1 and 'ew "' not in text
    text = ir(chain_sq, a, b)      # t is used three times, all in one tree
    assert text.count("callfn") == 1


@pytest.mark.parametrize("shapes", [((7,), (7,), (7,)), ((4, 1), (1, 5), (5,)), ((3, 4, 5), (4, 1), ()),
                                    ((0,), (0,), (1,)), ((2, 0, 3), (3,), (2, 1, 3)), ((1,), (6,), (1, 6))])
def test_chain_broadcast(shapes):
    args = [RNG.standard_normal(s) for s in shapes]
    check(chain, *args)
    check(chain_sq, args[0], args[1])


@pytest.mark.parametrize("layout", range(5))
def test_chain_layouts(layout):
    """C, Fortran, strided, reversed and read-only operands (the nested-loop path)."""
    base = RNG.standard_normal((6, 5))
    a = layouts(base)[layout]
    b = layouts(RNG.standard_normal((6, 5)))[(layout + 1) % 5]
    check(chain, a, b, 1.5)
    check(chain_sq, a, b)


@pytest.mark.parametrize("dt", [np.int8, np.uint8, np.int32, np.int64, np.float32, np.bool_])
def test_chain_dtypes(dt):
    a = (RNG.integers(-100, 100, 50) if dt != np.bool_ else RNG.integers(0, 2, 50)).astype(dt)
    b = (RNG.integers(-100, 100, 50) if dt != np.bool_ else RNG.integers(0, 2, 50)).astype(dt)
    check(chain, a, b, a)          # NEP 50: * 2.0 makes int arrays float64, float32 stays
    if dt not in (np.bool_, np.int8, np.uint8):   # NumPy: float16 for sqrt of small ints (float64 here)
        check(chain_sq, a, b)


@ember.jit
def mixed(a, b, s):
    return np.where(a > b, np.exp(-a * s) + 1, np.minimum(a, b) / 3) - np.maximum(b, 0.5) ** 2


def test_mixed_ops():
    a = np.concatenate([RNG.standard_normal(40), [np.nan, np.inf, -np.inf, 0.0, -0.0]])
    b = np.concatenate([RNG.standard_normal(40), [1.0, np.nan, 2.0, -0.0, 0.0]])
    got, want = mixed(a, b, 0.7), mixed.__wrapped__(a, b, 0.7)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=4e-16, atol=0)


@ember.jit
def zero_d(a, z):
    return a * z + z


def test_zero_d_operand():
    check(zero_d, RNG.standard_normal(5), np.array(2.5))


@ember.jit
def store_between(a):
    t = a * 2.0
    a[0] = 100.0
    return t + 1.0


def test_no_fusion_across_a_store():
    """t is computed before the store, as the user wrote it."""
    check(store_between, RNG.standard_normal(5))


@ember.jit
def used_twice(a):
    t = a + 1.0
    u = t * 2.0
    t[0] = -1.0
    return u, t


def test_written_temporary_is_its_own_array():
    check(used_twice, RNG.standard_normal(4))


@ember.jit
def in_loop(a, n):
    s = np.zeros_like(a)
    for i in range(n):
        s = s + a * i - 1.0
    return s


def test_fused_in_a_loop():
    check(in_loop, RNG.standard_normal(9), 5)


# -- Reductions of a tree -------------------------------------------------------

@ember.jit
def sum_of(a, b):
    return np.sum(a * b + 1.0)


@ember.jit
def mean_of(a, m):
    return np.exp(a - m).mean()


@pytest.mark.parametrize("n", [0, 1, 7, 8, 127, 128, 129, 255, 1000, 1024, 1025, 2056, 8191])
@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_fused_sum_is_numpys_pairwise_sum(n, dt):
    a = RNG.standard_normal(n).astype(dt)
    b = RNG.standard_normal(n).astype(dt)
    check(sum_of, a, b)        # the same bits: NumPy's pairwise order
    if n:                      # exp: libm/libmvec against NumPy's own loops, an ulp apart;
        m = 0.25 if dt == np.float64 else dt(0.25)      # float32 exp is computed in float64 and rounded
        got, want = mean_of(a, m), mean_of.__wrapped__(a, m)
        assert isinstance(got, float if dt == np.float64 else dt)
        assert math.isclose(got, want, rel_tol=1e-14 if dt == np.float64 else 1e-6)


def test_fused_sum_is_one_call():
    a = RNG.standard_normal(10)
    assert ir(sum_of, a, a).count("callfn") == 1


@pytest.mark.parametrize("layout", range(5))
def test_fused_sum_layouts(layout):
    a = layouts(RNG.standard_normal((9, 7)))[layout]
    got, want = sum_of(a, a), sum_of.__wrapped__(a, a)
    assert isinstance(got, float) and math.isclose(got, want, rel_tol=1e-13)


def test_fused_sum_broadcast():
    a, b = RNG.standard_normal((30, 1)), RNG.standard_normal(40)
    got, want = sum_of(a, b), sum_of.__wrapped__(a, b)
    assert math.isclose(got, want, rel_tol=1e-13)


def test_fused_sum_bad_broadcast():
    with pytest.raises(ValueError):
        sum_of(np.ones(3), np.ones(4))


# -- Stability inside fused loops --------------------------------------------------

@ember.jit
def loss(x, t):
    p = 1.0 / (1.0 + np.exp(-x))
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean()


def test_loss_is_finite_and_exact():
    x = RNG.standard_normal(1000) * 60
    t = (RNG.random(1000) > 0.5).astype(float)
    exact = math.fsum(t * np.logaddexp(0, -x) + (1 - t) * np.logaddexp(0, x)) / x.size
    assert not np.isfinite(loss.__wrapped__(x, t))     # NumPy: inf or nan
    assert math.isclose(loss(x, t), exact, rel_tol=1e-13)
    y = RNG.standard_normal(1000)                        # where NumPy is fine, the same value
    assert math.isclose(loss(y, t), loss.__wrapped__(y, t), rel_tol=1e-13)


def test_loss_rewrites_show_in_inspect_ir():
    x = RNG.standard_normal(10)
    loss(x, x > 0)
    text = loss.inspect_ir(after="stabilize")
    assert "fused loops" in text and "intrin SOFTPLUS" in text      # log(sigmoid(x)) -> -softplus(-x)
    assert "SOFTPLUS" not in loss.inspect_ir(after="simplify")    # the function's own IR: ew values


@ember.jit
def log_sigmoid(x):
    return np.log(1.0 / (1.0 + np.exp(-x)))


def test_stable_forms_follow_numpy_at_the_poles():
    # the naive forms reach log(0.0) exactly at an infinity: NumPy gives -inf, no exception
    x = np.array([-np.inf, np.inf, np.nan, -800.0, 0.0, 30.0])
    t = np.ones_like(x)
    with np.errstate(all="ignore"):
        want = log_sigmoid.__wrapped__(x)
    got = log_sigmoid(x)
    np.testing.assert_array_equal(got[:3], want[:3])
    assert got[3] == -800.0                                      # exact; NumPy: -inf
    np.testing.assert_allclose(got[4:], -np.logaddexp(0.0, -x[4:]), rtol=1e-15)   # exact
    with np.errstate(all="ignore"):
        assert loss(x[:1], t[:1]) == loss.__wrapped__(x[:1], t[:1]) == np.inf


@ember.jit
def softplus(x):
    return np.log(1.0 + np.exp(x))


def test_softplus_array():
    x = np.array([-800.0, -40.0, -1.0, 0.0, 1e-20, 3.0, 40.0, 800.0])
    exact = np.logaddexp(0.0, x)
    np.testing.assert_allclose(softplus(x), exact, rtol=1e-15, atol=0)


# -- logsumexp, softmax, log_softmax on whole arrays ------------------------------

@ember.jit
def lse(x):
    return np.log(np.sum(np.exp(x)))


@ember.jit
def softmax(x):
    e = np.exp(x)
    return e / e.sum()


@ember.jit
def log_softmax(x):
    return np.log(np.exp(x) / np.sum(np.exp(x)))


def _exact_lse(x):
    m = max(x)
    return m + math.log(math.fsum(math.exp(v - m) for v in x))


@pytest.mark.parametrize("shift", [0.0, 800.0, -800.0, 1e5])
def test_stable_forms_exact(shift):
    x = RNG.standard_normal(257) * 3 + shift
    want = _exact_lse(x)
    assert math.isclose(lse(x), want, rel_tol=1e-14)
    tol = 1e-13 * max(1.0, np.max(np.abs(x)))   # x - max(x) is exact only to an ulp of x
    np.testing.assert_allclose(softmax(x), np.exp(x - want), rtol=tol, atol=1e-300)
    np.testing.assert_allclose(log_softmax(x), x - want, rtol=tol, atol=tol)
    if shift == 0.0:   # NumPy's naive form is fine here: the same to rounding
        assert math.isclose(lse(x), lse.__wrapped__(x), rel_tol=1e-14)
    else:              # ... and off (inf, nan or 0) there
        assert not math.isclose(lse.__wrapped__(x), want, rel_tol=1e-3)


@pytest.mark.parametrize("x", [[], [np.inf, 1.0], [-np.inf, -np.inf], [np.nan, 1.0], [-np.inf, 0.0],
                               [np.inf, np.inf]])
def test_stable_forms_follow_numpy_where_not_finite(x):
    x = np.array(x, dtype=float)
    for f in (lse, softmax, log_softmax):
        assert same(f(x), f.__wrapped__(x)), f.__name__


def test_stable_forms_2d():
    x = RNG.standard_normal((6, 7)) * 400
    assert math.isclose(lse(x), _exact_lse(x.ravel()), rel_tol=1e-14)
    np.testing.assert_allclose(softmax(x).sum(), 1.0, rtol=1e-14)


def test_stable_rewrites_counted_and_excludable():
    x = np.array([1000.0, 999.0])
    lse(x)
    assert any("logsumexp" in c for c in lse.stats["rewrites"].values())
    naive = ember.jit(rewrites={"exclude": ["logsumexp"]})(lse.__wrapped__)
    assert naive(x) == math.inf
    assert {"logsumexp", "softmax", "log_softmax"} <= {r["name"] for r in ember.rewrites()}


def test_rewrites_in_fused_loops_are_the_callers():
    """The loop's rewrites count in the caller's stats, and the caller's
    exclusions apply inside its loops."""
    x = np.array([-800.0, 0.5, 800.0])
    t = np.array([1.0, 0.0, 0.0])
    loss(x, t)
    fired = {}
    for counts in loss.stats["rewrites"].values():
        fired.update(counts)
    assert "log_sigmoid" in fired and "sigmoid" in fired
    naive = ember.jit(rewrites={"exclude": ["log_sigmoid", "sigmoid", "one_minus_sigmoid"]})(loss.__wrapped__)
    assert same(naive(x, t), loss.__wrapped__(x, t))      # NumPy's inf
    assert math.isfinite(loss(x, t))


# -- In place ----------------------------------------------------------------------

@ember.jit
def decay(a, n):
    s = np.zeros_like(a)
    for i in range(n):
        s = s * 0.5 + a
    return s


@ember.jit
def decay_keep(a, n):
    s = np.zeros_like(a)
    first = s
    for i in range(n):
        s = s * 0.5 + a
    return s, first


@ember.jit
def temp_view(a):
    t = a * 2.0
    v = t[::2]
    u = t + 1.0
    return u, v


def test_inplace_reuses_dead_arrays():
    a = RNG.standard_normal(100)
    check(decay, a, 7)
    check(decay_keep, a, 7)          # the first array is still returned: never overwritten
    check(temp_view, a)              # t has a view that is returned: t is not written


def test_inplace_never_writes_arguments():
    @ember.jit
    def g(a, b):
        return a * 2.0 + b
    a, b = RNG.standard_normal(5), RNG.standard_normal(5)
    a0, b0 = a.copy(), b.copy()
    g(a, b)
    assert np.array_equal(a, a0) and np.array_equal(b, b0)


def test_inplace_broadcast_shape_changes():
    """The leaf takes the result only when it has the result's shape."""
    @ember.jit
    def h(a, b, n):
        s = np.zeros_like(a)
        for i in range(n):
            s = s + b        # (1, 4) + (3, 4): the first result is (3, 4), then s is reused
        return s
    check(h, RNG.standard_normal((1, 4)), RNG.standard_normal((3, 4)), 4)


def test_loop_memory_stays_flat():
    import resource
    a = RNG.standard_normal(200_000)         # 1.6 MB; 400 iterations would be 640 MB without reuse
    decay(a, 2)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = decay(a, 400)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    np.testing.assert_allclose(r, decay.__wrapped__(a, 400), rtol=1e-15)
    assert grown_mb < 100, grown_mb


@ember.jit
def lse_rows(x):
    return np.log(np.sum(np.exp(x), axis=1))


@ember.jit
def lse_cols(x):
    return np.log(np.exp(x).sum(axis=-2))


@pytest.mark.parametrize("shape", [(4, 5), (1, 7), (6, 1), (0, 3), (3, 0)])
def test_logsumexp_along_an_axis(shape):
    x = RNG.standard_normal(shape) * 900
    rows = np.array([_exact_lse(r) if r.size else -math.inf for r in x]).reshape(shape[0])
    cols = np.array([_exact_lse(c) if c.size else -math.inf for c in x.T]).reshape(shape[1])
    np.testing.assert_allclose(lse_rows(x), rows, rtol=1e-14)
    np.testing.assert_allclose(lse_cols(x), cols, rtol=1e-14)
    y = RNG.standard_normal(shape)     # where NumPy's naive form is fine: the same to rounding
    # (absolute too: a one-item row's naive log(exp(y)) is off by an ulp of exp(y) ~ 1)
    np.testing.assert_allclose(lse_rows(y), lse_rows.__wrapped__(y), rtol=1e-14, atol=1e-15)
    for bad in ([[np.nan, 1.0]], [[np.inf, 1.0]], [[-np.inf, -np.inf]]):
        assert same(lse_rows(np.array(bad)), lse_rows.__wrapped__(np.array(bad)))


# -- a op= tree: one loop writing into a ------------------------------------------

@ember.jit
def iadd_tree(a, b, c):
    a += b * c + 1.0
    return a


@ember.jit
def shift_add(a):
    a[1:] += a[:-1] * 2.0      # overlapping: NumPy reads the old values
    return a


@ember.jit
def imul_isub(a, b):
    a *= b
    a -= 1
    return a


@pytest.mark.parametrize("layout", range(4))
def test_inplace_operator_tree(layout):
    a = layouts(RNG.standard_normal((5, 6)))[layout]
    if not a.flags.writeable:
        return
    check(iadd_tree, a, RNG.standard_normal((5, 6)), RNG.standard_normal(6))   # checks the write to a too
    check(iadd_tree, a, RNG.standard_normal((1, 6)), 2.0)


def test_inplace_operator_overlap_and_dtypes():
    check(shift_add, RNG.standard_normal(9))
    check(shift_add, np.zeros(0))
    check(imul_isub, RNG.integers(-50, 50, 8).astype(np.int32), RNG.integers(-5, 5, 8).astype(np.int64))
    check(imul_isub, RNG.standard_normal(8).astype(np.float32), RNG.standard_normal(8))
    with pytest.raises(ValueError):
        iadd_tree(np.ones((1, 3)), np.ones((2, 3)), 1.0)   # the result is bigger than a


# -- out[...] = tree: one loop writing into the view -----------------------------------

@ember.jit
def set_all(out, a, b):
    out[:] = a * b + 1.0
    return out


@ember.jit
def set_shift(out):
    out[1:] = out[:-1] * 2.0 + 1.0     # overlapping: the old values, as NumPy
    return out


@ember.jit
def set_strided(out, a):
    out[::2] = np.sqrt(np.abs(a)) - 0.5
    return out


@ember.jit
def set_row(out, a, i):
    out[i] = a * 3
    return out


def test_slice_assignment_of_a_tree():
    a, b = RNG.standard_normal(6), RNG.standard_normal(6)
    check(set_all, np.zeros(6), a, b)
    check(set_all, np.zeros((3, 6)), a, b)                 # broadcast along the first axis
    check(set_all, np.zeros(6, np.int32), a * 10, b)       # cast to the view's dtype
    check(set_all, np.zeros(6, np.float32), a, b)
    check(set_shift, RNG.standard_normal(7))
    check(set_strided, np.zeros(10), RNG.standard_normal(5))
    check(set_row, np.zeros((4, 5)), RNG.standard_normal(5), 2)
    check(set_row, np.zeros((4, 5), order="F"), RNG.standard_normal(5), -1)
    with pytest.raises(ValueError):
        set_all(np.zeros(3), np.ones(4), np.ones(4))


@ember.jit
def three(a, b, c):
    return np.where(a > 0, b * 2.0, c) - a


@pytest.mark.parametrize("shapes", [((3,), (4,), ()), ((3,), (3,), (2, 4)), ((2, 3), (3, 2), ()),
                                    ((5,), (5, 1), (4, 3)), ((2, 1), (3,), (4, 1, 3))])
def test_broadcast_errors_name_numpys_shapes(shapes):
    """The message names the shapes of the operation that fails, as NumPy's does."""
    args = [np.ones(s) for s in shapes]
    for f in (chain, three):
        try:
            f.__wrapped__(*args)
        except ValueError as e:
            with pytest.raises(ValueError) as got:
                f(*args)
            assert str(got.value) == str(e)
        else:
            check(f, *args)


@ember.jit
def extremes(a):
    return a.max(), a.min(), np.max(a), np.min(a)


@pytest.mark.parametrize("n", [5, 33, 1000])
@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_max_min_vectorized_follow_numpy(n, dt):
    """Long float arrays take a vectorized IEEE maximum; NaN and zero maxima the exact loop."""
    base = RNG.standard_normal(n).astype(dt)
    cases = [base, np.abs(base), -np.abs(base), np.zeros(n, dt), -np.zeros(n, dt)]
    for pos in (0, n // 2, n - 1):
        for v in (np.nan, np.inf, -np.inf, 0.0, -0.0):
            c = base.copy()
            c[pos] = v
            cases.append(c)
        z = np.zeros(n, dt)
        z[pos] = -0.0 if pos % 2 else 0.0
        z[: pos] = -0.0
        cases.append(z)
    for c in cases:
        check(extremes, c)


@ember.jit
def lse_shifted(x):
    m = x.max()
    return m + np.log(np.sum(np.exp(x - m)))


@ember.jit
def softmax_shifted(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def test_hand_shifted_forms_stay_and_agree():
    x = RNG.standard_normal(300) * 500
    assert math.isclose(lse_shifted(x), _exact_lse(x), rel_tol=1e-14)
    np.testing.assert_allclose(softmax_shifted(x), softmax_shifted.__wrapped__(x), rtol=1e-14, atol=1e-300)
    for f in (lse_shifted, softmax_shifted):
        f(x)
        fired = {k for c in f.stats["rewrites"].values() for k in c}
        assert not fired & {"logsumexp", "softmax"}
