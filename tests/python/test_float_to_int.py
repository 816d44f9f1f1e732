"""int(x) of floats inside loops, compiled against CPython.

On x86-64 the conversion is cvttsd2si with a test of its INT64_MIN answer,
and after optimization that test moves past a range test of the result
that fails for INT64_MIN (targets/llvm/arith.c, llvm_sink_f2i_checks); such
loops are also unrolled four times with a remainder loop (lower.c,
mark_unroll).  These kernels exercise each shape: range tests in both
directions and of every predicate, NaN, infinities, values past int64,
-2**63 itself (which fits), the state of the arrays written before the
failing item, and lengths around the unroll factor.
"""
import math

import numpy as np
import pytest

import ember
from arrhelpers import outcome

SRC = '''
def hist(x, lo, hi, counts):
    n = counts.shape[0]
    scale = n / (hi - lo)
    for i in range(x.shape[0]):
        b = int((x[i] - lo) * scale)
        if b >= 0 and b < n:
            counts[b] += 1
    return counts

def hist_chain(x, counts):
    for i in range(x.shape[0]):
        b = int(x[i])
        if 0 <= b < counts.shape[0]:
            counts[b] += 1
    return counts

def skip_out(x, counts):
    for i in range(x.shape[0]):
        b = int(x[i])
        if b < 0 or b >= counts.shape[0]:
            continue
        counts[b] += 1
    return counts

def neg_side(x, out):
    k = 0
    for i in range(x.shape[0]):
        b = int(x[i])
        if b < -5:
            out[k] = b
            k += 1
    return k

def le_side(x, out):
    k = 0
    for i in range(x.shape[0]):
        b = int(x[i])
        if b <= 3:
            out[i] = b
            k += 1
    return k

def gt_side(x):
    s = 0
    for i in range(x.shape[0]):
        b = int(x[i])
        if b > 2:
            s += b
    return s

def eq_side(x):
    s = 0
    for i in range(x.shape[0]):
        b = int(x[i])
        if b == 7:
            s += 1
    return s

def ne_min(x):
    s = 0
    for i in range(x.shape[0]):
        b = int(x[i])
        if b != -9223372036854775808:
            s += 1
    return s

def total(x):
    s = 0
    for v in x:
        s += int(v)
    return s

def clamp_bins(x, out):
    for i in range(x.shape[0]):
        b = int(x[i] * 3.0)
        if b < 0:
            b = 0
        if b > 9:
            b = 9
        out[i] = b
    return out

def scalar_floor_div(a, b):
    s = 0
    x = a
    while x < b:
        s += int(x * 0.37) % 7
        x += 1.25
    return s
'''

NS = {}
exec(compile(SRC, "float_to_int_kernels", "exec"), NS)
PY = {k: v for k, v in NS.items() if callable(v)}
JIT = {k: ember.jit(v) for k, v in PY.items()}


BIG = (OverflowError, "float too large for a 64-bit integer")


def same(a, b, big_ok=True):
    """Compiled outcome 'a' is CPython's 'b'.  Where CPython's int(x) goes past
    int64 a compiled function that has written to an array cannot fall back to
    the interpreter and raises OverflowError instead (big_ok): never a wrong number."""
    if big_ok and a[0] == "raise" and a[1:3] == BIG and (b[0] == "ok" or b[1] is OverflowError):
        return
    assert a[0] == b[0], (a, b)
    if a[0] == "raise":
        assert a[1] is b[1] and a[2] == b[2], (a, b)
        arrs_a, arrs_b = a[3], b[3]
    else:
        ra, rb = a[1], b[1]
        if isinstance(ra, np.ndarray):
            np.testing.assert_array_equal(ra, rb)
        else:
            assert type(ra) is type(rb) and ra == rb, (ra, rb)
        arrs_a, arrs_b = a[2], b[2]
    for x, y in zip(arrs_a, arrs_b):
        np.testing.assert_array_equal(x, y)


SPECIAL = [float("nan"), float("inf"), -float("inf"), 2.0 ** 63, -(2.0 ** 63), -(2.0 ** 63) - 4096.0,
           1e300, -1e300, 9.223372036854775e18, -9.223372036854775e18, -0.0, 0.999999, -0.999999]


def inputs(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 4.0, n)
    if n and seed % 3 == 0:   # one special value somewhere
        x[rng.integers(0, n)] = SPECIAL[seed % len(SPECIAL)]
    if n > 1 and seed % 5 == 1:
        x[rng.integers(0, n)] = -(2.0 ** 63)   # fits: int(x) is -2**63
    return x


LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 64, 101]


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("seed", range(12))
def test_histogram_shapes(seed, n):
    x = inputs(seed, n)
    same(outcome(JIT["hist"], (x, -3.0, 3.0, np.zeros(10, np.int64))),
         outcome(PY["hist"], (x, -3.0, 3.0, np.zeros(10, np.int64))))
    for name in ("hist_chain", "skip_out"):
        same(outcome(JIT[name], (x + 5.0, np.zeros(10, np.int64))),
             outcome(PY[name], (x + 5.0, np.zeros(10, np.int64))))


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("seed", range(12))
def test_other_predicates(seed, n):
    x = inputs(seed, n)
    for name in ("neg_side", "le_side"):
        same(outcome(JIT[name], (x, np.zeros(max(n, 1), np.int64))),
             outcome(PY[name], (x, np.zeros(max(n, 1), np.int64))))
    for name in ("gt_side", "eq_side", "ne_min", "total"):
        same(outcome(JIT[name], (x,)), outcome(PY[name], (x,)))
    same(outcome(JIT["clamp_bins"], (x, np.zeros(n, np.int64))),
         outcome(PY["clamp_bins"], (x, np.zeros(n, np.int64))))


@pytest.mark.parametrize("v", SPECIAL)
@pytest.mark.parametrize("pos", [0, 3, 4, 6])
def test_special_value_at_each_unroll_position(v, pos):
    """The failing item in each of the four unrolled copies and the remainder:
    the counts written before it are CPython's, and so is the error."""
    x = np.linspace(-2.9, 2.9, 7)
    x[pos] = v
    same(outcome(JIT["hist"], (x, -3.0, 3.0, np.zeros(10, np.int64))),
         outcome(PY["hist"], (x, -3.0, 3.0, np.zeros(10, np.int64))))
    same(outcome(JIT["hist_chain"], (x + 3.0, np.zeros(10, np.int64))),
         outcome(PY["hist_chain"], (x + 3.0, np.zeros(10, np.int64))))
    same(outcome(JIT["neg_side"], (x * 4.0, np.zeros(7, np.int64))),
         outcome(PY["neg_side"], (x * 4.0, np.zeros(7, np.int64))))


def test_past_int64_is_never_a_wrong_number():
    x = np.array([0.5, 2.0 ** 63, 1.5])
    got = outcome(JIT["hist_chain"], (x, np.zeros(10, np.int64)))
    assert got[0] == "raise" and got[1:3] == BIG
    assert JIT["total"](x) == PY["total"](x) == 2 ** 63 + 1   # no array written: the interpreter's answer


def test_min_itself_fits():
    x = np.array([-(2.0 ** 63), 1.5, -(2.0 ** 63)])
    assert JIT["ne_min"](x) == 1
    assert JIT["total"](x) == PY["total"](x) == -2 * 2 ** 63 + 1
    out = np.zeros(3, np.int64)
    assert JIT["neg_side"](x, out) == 2 and out[0] == out[1] == -2 ** 63


def test_histogram_matches_numpy():
    x = np.random.default_rng(7).standard_normal(10 ** 5)
    got = JIT["hist"](x, -3.0, 3.0, np.zeros(100, np.int64))
    scale = 100 / 6.0
    b = np.trunc((x + 3.0) * scale)
    ref = np.bincount(b[(b >= 0) & (b < 100)].astype(np.int64), minlength=100)
    np.testing.assert_array_equal(got, ref)


@pytest.mark.parametrize("a,b", [(0.0, 40.0), (-30.0, 30.0), (1e15, 1e15 + 1e3), (-1e15 - 1e3, -1e15)])
def test_scalar_loop(a, b):
    same(outcome(JIT["scalar_floor_div"], (a, b)), outcome(PY["scalar_floor_div"], (a, b)))


def test_float32_items():
    x = np.array([0.5, 3.7, -1.2, 9.99, float("nan")], np.float32)
    same(outcome(JIT["hist_chain"], (x, np.zeros(10, np.int64))),
         outcome(PY["hist_chain"], (x, np.zeros(10, np.int64))))
    same(outcome(JIT["hist_chain"], (x[:4], np.zeros(10, np.int64))),
         outcome(PY["hist_chain"], (x[:4], np.zeros(10, np.int64))))
    assert math.isnan(x[4])
