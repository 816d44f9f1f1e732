"""ember._lib_random: np.random in compiled code, written with ember.jit.

The generator is Numba's design: one per thread, private to compiled code
(NumPy's own global RandomState is neither read nor changed), seeded from
the OS's entropy on its first use (and again in a forked child) unless
np.random.seed ran in compiled code on that thread.  Its streams are NumPy's
legacy RandomState's, bit for bit: np.random.seed(s) here and
np.random.RandomState(s) (or np.random.seed(s) in the interpreter) give the
same numbers from the same calls.

The MT19937 core and its state are C (targets/native/rt_random.c); compiled
code reaches it through five intrinsics (ir/intrin.def): ember._prim.
random_seed(s) (-1: from entropy), random_double() (53 bits in [0, 1)),
random_gauss() (NumPy's legacy_gauss, polar Box-Muller, the pair's second
value kept for the next call and dropped by seed) and random_interval(max)
(NumPy's random_interval: an int in [0, max] by masked rejection; max
2**32 - 1 is one 32-bit output), and random_fill(kind, address, n), which
fills a new float64 array with doubles or gausses in C's own loop.  On those this module writes RandomState's
methods with NumPy's legacy algorithms and checks (numpy/random/mtrand.pyx,
_bounded_integers.pyx, src/legacy/legacy-distributions.c,
src/distributions/distributions.c): randint is random_bounded_uint64_fill
with the mask, which for one int is random_interval(high - 1 - low) + low
(8- and 16-bit and bool dtypes cut their items from 32-bit outputs);
shuffle swaps x[i] with x[random_interval(i)] for i from the end down to 1;
permutation shuffles np.arange(n) or a copy; choice draws randint or takes a
permutation's head.  Arrays are filled in C order, one draw per item, as
NumPy's loops do.

In order: seeding and shapes, floats of one draw, integers,
shuffle/permutation/choice, poisson, gamma, beta, binomial (inversion and
BTPE), the other continuous distributions (one compiled _draw for all),
geometric and negative_binomial, f/noncentral/wald/vonmises, zipf, logseries,
hypergeometric, multinomial and dirichlet.  Functions with logarithms are
compiled with _EXACT (no stabilize rewrite, C's math), so that no bit moves.

Parameters are scalars (NumPy's broadcasting of array parameters is not
supported); size is None (one Python float or int), an int or a tuple of
ints.  Every function here changes the generator's state, so none is
pure: compiled code that draws numbers is never run again in the
interpreter after a failed check (it raises instead).
"""
import math

import numpy as np

from . import _prim
from . import jit
from . import rewrites
from ._lib import _IMPL, _impl

# NumPy's formulas as written: -log(1 - U), not the log1p(-U) of the stabilize
# phase (another last bit), nor beta's log(exp(x) + exp(y)) as logaddexp; C's
# math (log(0.0) is -inf in poisson's PTRS, as its comment says)
_EXACT = {"rewrites": {"exclude": [r["name"] for r in rewrites() if r["phase"] == "stabilize"]},
          "error_model": "numpy"}


def _impl_exact(*names):
    """_impl for functions compiled with _EXACT."""
    def deco(f):
        d = jit(**_EXACT)(f)
        for n in names:
            _IMPL[n] = d
        return d
    return deco


# -- Seeding and shapes ------------------------------------------------------------

@_impl("numpy.random.seed")
def seed(seed=None):
    """RandomState.seed: an int in [0, 2**32) seeds MT19937 with init_genrand; None from entropy."""
    if seed is None:
        _prim.random_seed(-1)
        return None
    if _prim.inexact(seed):
        raise TypeError("Cannot cast scalar from dtype('float64') to dtype('int64') according to the rule 'safe'")
    s = int(seed)
    if s < 0 or s > 4294967295:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    _prim.random_seed(s)
    return None


@jit
def _dims(d0, d1=None, d2=None, d3=None, d4=None, d5=None, d6=None, d7=None):
    """The shape (d0, d1, ...) of rand and randn: the arguments up to the first None."""
    if d1 is None:
        return (d0,)
    if d2 is None:
        return (d0, d1)
    if d3 is None:
        return (d0, d1, d2)
    if d4 is None:
        return (d0, d1, d2, d3)
    if d5 is None:
        return (d0, d1, d2, d3, d4)
    if d6 is None:
        return (d0, d1, d2, d3, d4, d5)
    if d7 is None:
        return (d0, d1, d2, d3, d4, d5, d6)
    return (d0, d1, d2, d3, d4, d5, d6, d7)


@jit
def _nonneg(x):
    """CONS_NON_NEGATIVE: NaN passes, a negative number or -0.0 does not."""
    return x != x or math.copysign(1.0, x) > 0.0


# -- Floats ----------------------------------------------------------------------
# One loop per distribution over the flat C view of a new float64 array:
# loc + scale * draw (uniform: low + range * double; exponential: scale * -log(1 - double)).

@jit
def _fill_double1(size):
    """A new float64 array of doubles in [0, 1), drawn in C order by rt_random.c's loop."""
    out = np.empty(size)
    _prim.random_fill(0, _prim.data(out), out.size)
    return out


@jit
def _fill_gauss1(size):
    """A new float64 array of legacy_gauss values, drawn in C order."""
    out = np.empty(size)
    _prim.random_fill(1, _prim.data(out), out.size)
    return out


@jit
def _fill_double(size, loc, scale):
    out = _fill_double1(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = loc + scale * f[i]
    return out


@jit
def _fill_gauss(size, loc, scale):
    out = _fill_gauss1(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = loc + scale * f[i]
    return out


@jit(**_EXACT)
def _fill_exp(size, scale):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = scale * -math.log(1.0 - _prim.random_double())
    return out


@_impl("numpy.random.random", "numpy.random.random_sample", "numpy.random.ranf", "numpy.random.sample")
def random_sample(size=None):
    if size is None:
        return _prim.random_double()
    return _fill_double1(size)


@_impl("numpy.random.rand")
def rand(d0=None, d1=None, d2=None, d3=None, d4=None, d5=None, d6=None, d7=None):
    if d0 is None:
        return _prim.random_double()
    return _fill_double1(_dims(d0, d1, d2, d3, d4, d5, d6, d7))


@_impl("numpy.random.randn")
def randn(d0=None, d1=None, d2=None, d3=None, d4=None, d5=None, d6=None, d7=None):
    if d0 is None:
        return _prim.random_gauss()
    return _fill_gauss1(_dims(d0, d1, d2, d3, d4, d5, d6, d7))


@_impl("numpy.random.standard_normal")
def standard_normal(size=None):
    if size is None:
        return _prim.random_gauss()
    return _fill_gauss1(size)


@_impl("numpy.random.normal")
def normal(loc=0.0, scale=1.0, size=None):
    """legacy_normal: loc + scale * legacy_gauss."""
    lo = float(loc)
    sc = float(scale)
    if not _nonneg(sc):
        raise ValueError("scale < 0")
    if size is None:
        return lo + sc * _prim.random_gauss()
    return _fill_gauss(size, lo, sc)


@_impl("numpy.random.uniform")
def uniform(low=0.0, high=1.0, size=None):
    """random_uniform: low + (high - low) * double; an infinite range is NumPy's OverflowError."""
    lo = float(low)
    rng = float(high) - lo
    if not math.isfinite(rng):
        raise OverflowError("Range exceeds valid bounds")
    if size is None:
        return lo + rng * _prim.random_double()
    return _fill_double(size, lo, rng)


@_impl_exact("numpy.random.standard_exponential")
def standard_exponential(size=None):
    """legacy_standard_exponential: -log(1 - double)."""
    if size is None:
        return -math.log(1.0 - _prim.random_double())
    return _fill_exp(size, 1.0)


@_impl_exact("numpy.random.exponential")
def exponential(scale=1.0, size=None):
    """legacy_exponential: scale * legacy_standard_exponential."""
    sc = float(scale)
    if not _nonneg(sc):
        raise ValueError("scale < 0")
    if size is None:
        return sc * -math.log(1.0 - _prim.random_double())
    return _fill_exp(size, sc)


# -- Integers ----------------------------------------------------------------------

@jit
def _fill_int(size, low, rng):
    out = np.empty(size, np.int64)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = low + _prim.random_interval(rng)
    return out


@jit
def _one_int(low, rng):
    return int(low + _prim.random_interval(rng))


@_impl("numpy.random.randint")
def randint(low, high=None, size=None, dtype=None):
    """_rand_int64 (dtype int): one int in [low, high), or an int64 array; the range
    high - 1 - low masked as random_bounded_uint64_fill does.  Another integer or
    bool dtype: _randint_dtype."""
    lo = 0
    hi = int(low)
    if high is not None:
        lo = int(low)
        hi = int(high)
    hi -= 1                                # the generator's interval is closed
    if dtype is not None:
        return _randint_dtype(lo, hi, size, dtype)
    if lo > hi:
        if lo == 0:
            raise ValueError("high <= 0")
        raise ValueError("low >= high")
    rng = np.int64(hi) - np.int64(lo)     # wraps: the bits of NumPy's uint64 range
    if size is None:
        return _one_int(np.int64(lo), rng)
    return _fill_int(size, np.int64(lo), rng)


@jit
def _randint_dtype(lo, hi, size, dt):
    """_rand_<dtype>: NumPy's bounds of the dtype, then 32 and 64 bits as int64's
    masked draws, 8 and 16 bits and bool cut from 32-bit outputs (_fill_small); one
    value is a NumPy scalar of the dtype (bool for bool)."""
    bits = dt.itemsize * 8
    boolean = dt(2) == 1
    signed = not boolean and _prim.sum_zero(dt) - 1 < 0
    lb = 0
    ub = 1
    if bits == 64:                         # a Python int is at most int64's bound anyway
        lb = -9223372036854775808 if signed else 0
        ub = 9223372036854775807
    elif signed:
        lb = -(1 << (bits - 1))
        ub = (1 << (bits - 1)) - 1
    elif not boolean:
        ub = (1 << bits) - 1
    if lo < lb:
        _out_of_bounds(False, bits, signed, boolean)
    if hi > ub:
        _out_of_bounds(True, bits, signed, boolean)
    if lo > hi:
        if lo == 0:
            raise ValueError("high <= 0")
        raise ValueError("low >= high")
    out = np.empty(1 if size is None else size, dt)
    if bits >= 32:
        rng = np.int64(hi) - np.int64(lo)
        f = _prim.flat(out)
        for i in range(f.shape[0]):
            f[i] = lo + _prim.random_interval(rng)
    else:
        _fill_small(out, lo, hi - lo, 1 if boolean else bits)
    if size is None:
        return _prim.flat(out)[0]
    return out


@jit
def _out_of_bounds(high, bits, signed, boolean):
    """NumPy's ValueError for low (or 'high') outside the dtype."""
    if high:
        if boolean:
            raise ValueError("high is out of bounds for bool")
        if signed:
            raise ValueError(f"high is out of bounds for int{bits}")
        raise ValueError(f"high is out of bounds for uint{bits}")
    if boolean:
        raise ValueError("low is out of bounds for bool")
    if signed:
        raise ValueError(f"low is out of bounds for int{bits}")
    raise ValueError(f"low is out of bounds for uint{bits}")


@jit
def _fill_small(out, lo, rng, bits):
    """random_bounded_uint8_fill, _uint16_fill and _bool_fill: items of 'bits' bits cut
    from 32-bit outputs, low bits first, the buffer living for this one call; masked
    rejection unless the range is the whole type (or bool); no draw for rng 0."""
    f = _prim.flat(out)
    full = (1 << bits) - 1
    mask = rng | rng >> 1
    mask |= mask >> 2
    mask |= mask >> 4
    mask |= mask >> 8
    buf = 0
    bcnt = 0
    for i in range(f.shape[0]):
        v = 0
        while rng != 0:
            if bcnt == 0:
                buf = _prim.random_interval(4294967295)   # one 32-bit output
                bcnt = 32 // bits - 1
            else:
                buf >>= bits
                bcnt -= 1
            v = buf & full
            if bits == 1 or rng == full:
                break
            v &= mask
            if v <= rng:
                break
        f[i] = lo + v


@jit
def _shuffle1(x):
    for i in range(x.shape[0] - 1, 0, -1):
        j = _prim.random_interval(i)
        t = x[j]
        x[j] = x[i]
        x[i] = t


@jit
def _shuffle_rows(x):
    """RandomState.shuffle of an array of more dimensions: rows, no draw at all if it is empty."""
    if x.size == 0:
        return
    for i in range(x.shape[0] - 1, 0, -1):
        j = _prim.random_interval(i)
        if i != j:
            t = x[j].copy()
            x[j] = x[i]
            x[i] = t


@_impl("numpy.random.shuffle")
def shuffle(x):
    """RandomState.shuffle of an array, in place, along its first axis: x[i] and
    x[random_interval(i)] swapped for i = n-1 down to 1."""
    if x.ndim == 0:
        raise TypeError("len() of unsized object")
    if x.ndim == 1:
        _shuffle1(x)
    else:
        _shuffle_rows(x)
    return None


@_impl("numpy.random.permutation")
def permutation(x):
    """np.arange(x) shuffled for an int; a shuffled copy of an array (along its first
    axis) or of a tuple as np.asarray makes it."""
    if _prim.is_tuple(x):
        a = np.asarray(x)
        shuffle(a)
        return a
    if _prim.is_array(x):
        if x.ndim == 0:
            raise IndexError("x must be an integer or at least 1-dimensional")
        a = x.copy()
        shuffle(a)
        return a
    a = np.arange(int(x))
    _shuffle1(a)
    return a


@jit
def _pop_size(a, size):
    """RandomState.choice's population size, with its errors."""
    if _prim.is_array(a):
        if a.ndim != 1:
            raise ValueError("a must be 1-dimensional")
        n = a.shape[0]
        if n == 0 and _count(size) != 0:
            raise ValueError("'a' cannot be empty unless no samples are taken")
        return n
    n = int(a)
    if n <= 0 and _count(size) != 0:
        raise ValueError("a must be greater than 0 unless no samples are taken")
    return n


@jit
def _count(size):
    """np.prod(size): 1 for None."""
    if size is None:
        return 1
    if _prim.is_tuple(size):
        n = 1
        for k in size:
            n *= k
        return n
    return int(size)


@jit
def _choice_idx(n, size, replace):
    """The indices choice takes: randint(0, n, size) with replacement, else the head of a permutation."""
    if replace:
        return randint(0, n, size)
    k = _count(size)
    if k > n:
        raise ValueError("Cannot take a larger sample than population when 'replace=False'")
    if k < 0:
        raise ValueError("Negative dimensions are not allowed")
    p = permutation(n)
    if size is None:
        return int(p[0])
    return p[:k].copy().reshape(size)


@_impl("numpy.random.choice")
def choice(a, size=None, replace=True, p=None):
    """RandomState.choice of an int, a 1-D array or a tuple (a list display), uniform
    (p None) or weighted by p (with replacement: searchsorted of doubles in p's
    normalized cumulative sums)."""
    if _prim.is_tuple(a):
        return _choice(np.asarray(a), size, replace, p)
    if _prim.inexact(a) and not _prim.is_array(a):
        raise ValueError("a must be 1-dimensional or an integer")
    return _choice(a, size, replace, p)


@jit
def _choice(a, size, replace, p):
    n = _pop_size(a, size)
    if p is None:
        idx = _choice_idx(n, size, replace)
    else:
        idx = _choice_p(n, size, replace, p)
    if _prim.is_array(a):
        return a[idx]
    return idx


@jit
def _choice_p(n, size, replace, p):
    if not replace:
        raise ValueError("np.random.choice with p= and replace=False is not supported in compiled code")
    pa = np.asarray(p)
    if pa.ndim != 1:
        raise ValueError("'p' must be 1-dimensional")
    if pa.shape[0] != n:
        raise ValueError("'a' and 'p' must have same size")
    pd = pa.astype(np.float64)
    s = _kahan(pd)
    if s != s:
        raise ValueError("probabilities contain NaN")
    for i in range(n):
        if pd[i] < 0.0:
            raise ValueError("probabilities are not non-negative")
    if abs(s - 1.0) > _atol(pa):
        raise ValueError("probabilities do not sum to 1")
    cdf = np.cumsum(pd)
    cdf /= cdf[n - 1]
    if size is None:
        return int(np.searchsorted(cdf, _prim.random_double(), side="right"))
    return np.searchsorted(cdf, _fill_double1(size), side="right")


@jit
def _kahan(p):
    """NumPy's kahan_sum of the probabilities (mtrand.pyx)."""
    n = p.shape[0]
    if n == 0:
        return 0.0
    s = p[0]
    c = 0.0
    for i in range(1, n):
        y = p[i] - c
        t = s + y
        c = (t - s) - y
        s = t
    return s


@jit
def _atol(p):
    """sqrt(eps) of float64, or of p's dtype if it is a float with a larger eps."""
    if _prim.floating(p) and p.dtype.itemsize == 4:
        return 0.0003452669770922512   # sqrt(np.finfo(np.float32).eps)
    if _prim.floating(p) and p.dtype.itemsize == 2:
        return 0.03125                  # float16 (read as float32 here)
    return 1.4901161193847656e-08      # sqrt(np.finfo(np.float64).eps)


# -- poisson, gamma, beta, binomial ------------------------------------------------------

@jit(**_EXACT)
def _loggam(x):
    """random_loggam: log(gamma(x)), SPECFUN's series as NumPy writes it."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = 0
    if x < 7.0:
        n = int(7 - x)
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = -1.39243221690590e+00
    for c in (1.796443723688307e-01, -2.955065359477124e-02, 6.410256410256410e-03, -1.917526917526918e-03,
              8.417508417508418e-04, -5.952380952380952e-04, 7.936507936507937e-04, -2.777777777777778e-03,
              8.333333333333333e-02):
        gl0 *= x2
        gl0 += c
    gl = gl0 / x0 + 0.5 * 1.8378770664093453e+00 + (x0 - 0.5) * math.log(x0) - x0
    if x < 7.0:
        for _ in range(n):
            gl -= math.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@jit(**_EXACT)
def _poisson1(lam):
    """random_poisson: PTRS (Hoermann) for lam >= 10, else products of doubles."""
    if lam >= 10:
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = _prim.random_double() - 0.5
            v = _prim.random_double()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - _loggam(k + 1.0)):
                return k
    if lam == 0:
        return 0
    enlam = math.exp(-lam)
    x = 0
    prod = 1.0
    while True:
        prod *= _prim.random_double()
        if prod > enlam:
            x += 1
        else:
            return x


@jit(**_EXACT)
def _fill_poisson(size, lam):
    out = np.empty(size, np.int64)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _poisson1(lam)
    return out


@_impl_exact("numpy.random.poisson")
def poisson(lam=1.0, size=None):
    """legacy_random_poisson, with LEGACY_CONS_POISSON's checks."""
    lm = float(lam)
    if not lm >= 0:
        raise ValueError("lam < 0 or lam is NaN")
    if not lm <= 9.223372006484771e+18:   # np.iinfo('l').max - sqrt(np.iinfo('l').max) * 10
        raise ValueError("lam value too large")
    if size is None:
        return _poisson1(lm)
    return _fill_poisson(size, lm)


@jit(**_EXACT)
def _exp1():
    return -math.log(1.0 - _prim.random_double())


@jit(**_EXACT)
def _gamma1(shape):
    """legacy_standard_gamma: Marsaglia and Tsang on legacy_gauss for shape > 1, else
    rejection from U and an exponential."""
    if shape == 1.0:
        return _exp1()
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = _prim.random_double()
            v = _exp1()
            if u <= 1.0 - shape:
                x = u ** (1. / shape)
                if x <= v:
                    return x
            else:
                y = -math.log((1 - u) / shape)
                x = (1.0 - shape + shape * y) ** (1. / shape)
                if x <= v + y:
                    return x
    b = shape - 1. / 3.
    c = 1. / math.sqrt(9 * b)
    while True:
        x = _prim.random_gauss()
        v = 1.0 + c * x
        while v <= 0.0:
            x = _prim.random_gauss()
            v = 1.0 + c * x
        v = v * v * v
        u = _prim.random_double()
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math.log(u) < 0.5 * x * x + b * (1. - v + math.log(v)):
            return b * v


@jit(**_EXACT)
def _fill_gamma(size, shape, scale):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = scale * _gamma1(shape)
    return out


@_impl_exact("numpy.random.standard_gamma")
def standard_gamma(shape, size=None):
    sh = float(shape)
    if not _nonneg(sh):
        raise ValueError("shape < 0")
    if size is None:
        return _gamma1(sh)
    return _fill_gamma(size, sh, 1.0)


@_impl_exact("numpy.random.gamma")
def gamma(shape, scale=1.0, size=None):
    """legacy_gamma: scale * legacy_standard_gamma(shape)."""
    sh = float(shape)
    sc = float(scale)
    if not _nonneg(sh):
        raise ValueError("shape < 0")
    if not _nonneg(sc):
        raise ValueError("scale < 0")
    if size is None:
        return sc * _gamma1(sh)
    return _fill_gamma(size, sh, sc)


@jit(**_EXACT)
def _beta1(a, b):
    """legacy_beta: Johnk's algorithm for a, b <= 1, else Ga / (Ga + Gb)."""
    if a <= 1.0 and b <= 1.0:
        while True:
            u = _prim.random_double()
            v = _prim.random_double()
            x = u ** (1.0 / a)
            y = v ** (1.0 / b)
            if x + y <= 1.0:
                if x + y > 0:
                    return x / (x + y)
                logx = math.log(u) / a
                logy = math.log(v) / b
                logm = logx if logx > logy else logy
                logx -= logm
                logy -= logm
                return math.exp(logx - math.log(math.exp(logx) + math.exp(logy)))
    ga = _gamma1(a)
    gb = _gamma1(b)
    return ga / (ga + gb)


@jit(**_EXACT)
def _fill_beta(size, a, b):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _beta1(a, b)
    return out


@_impl_exact("numpy.random.beta")
def beta(a, b, size=None):
    fa = float(a)
    fb = float(b)
    if fa <= 0:
        raise ValueError("a <= 0")
    if fb <= 0:
        raise ValueError("b <= 0")
    if size is None:
        return _beta1(fa, fb)
    return _fill_beta(size, fa, fb)


@jit(**_EXACT)
def _binom_inversion(n, p, new):
    """legacy_random_binomial_inversion (p <= 0.5, n * p <= 30); 'new': random_binomial_inversion,
    whose q ** n is exp(n * log1p(-p))."""
    q = 1.0 - p
    qn = math.exp(n * math.log1p(-p)) if new else math.exp(n * math.log(q))
    np_ = n * p
    bound = int(min(float(n), np_ + 10.0 * math.sqrt(np_ * q + 1)))
    x = 0
    px = qn
    u = _prim.random_double()
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = _prim.random_double()
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@jit(**_EXACT)
def _stirling(f):
    """One of BTPE's four error terms of the Stirling approximation, as NumPy's legacy code adds them."""
    f2 = f * f
    return (13680. - (462. - (132. - (99. - 140. / f2) / f2) / f2) / f2) / f / 166320.


@jit(**_EXACT)
def _binom_btpe(n, p):
    """legacy_random_binomial_btpe (p <= 0.5, n * p > 30): Kachitvichyanukul and
    Schmeiser's BTPE, the labels of NumPy's gotos as the steps of one loop."""
    r = min(p, 1.0 - p)
    q = 1.0 - r
    fm = n * r + r
    m = math.floor(fm)
    p1 = math.floor(2.195 * math.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    nrq = n * r * q
    while True:                                        # Step10
        u = _prim.random_double() * p4
        v = _prim.random_double()
        if u <= p1:
            return math.floor(xm - p1 * v + u)         # Step60 (p <= 0.5 here)
        if u <= p2:                                    # Step20
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = math.floor(x)
        elif u <= p3:                                  # Step30
            if v == 0.0:
                continue
            y = math.floor(xl + math.log(v) / laml)
            if y < 0:
                continue
            v = v * (u - p2) * laml
        else:                                          # Step40
            if v == 0.0:
                continue
            y = math.floor(xr - math.log(v) / lamr)
            if y > n:
                continue
            v = v * (u - p3) * lamr
        k = abs(y - m)                                 # Step50
        if not (k > 20 and k < nrq / 2.0 - 1):
            s = r / q
            a = s * (n + 1)
            f = 1.0
            if m < y:
                for i in range(m + 1, y + 1):
                    f *= a / i - s
            elif m > y:
                for i in range(y + 1, m + 1):
                    f /= a / i - s
            if v > f:
                continue
            return y
        rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)   # Step52
        t = -k * k / (2 * nrq)
        aa = math.log(v)
        if aa < t - rho:
            return y
        if aa > t + rho:
            continue
        x1 = y + 1.0
        f1 = m + 1.0
        z = n + 1.0 - m
        w = n - y + 1.0
        if aa > (xm * math.log(f1 / x1) + (n - m + 0.5) * math.log(z / w) + (y - m) * math.log(w * r / (x1 * q))
                 + _stirling(f1) + _stirling(z) + _stirling(x1) + _stirling(w)):
            continue
        return y


@jit(**_EXACT)
def _binomial1(n, p, new=False):
    """legacy_random_binomial_original; 'new': random_binomial (Generator's, which
    RandomState.multinomial used before NumPy 2.5): no draw for n or p 0, its
    inversion.  The BTPE of both is the one below until NumPy 2.5."""
    if new and (n == 0 or p == 0.0):
        return 0
    if p <= 0.5:
        if p * n <= 30.0:
            return _binom_inversion(n, p, new)
        return _binom_btpe(n, p)
    q = 1.0 - p
    if q * n <= 30.0:
        return n - _binom_inversion(n, q, new)
    return n - _binom_btpe(n, q)


@jit(**_EXACT)
def _fill_binomial(size, n, p):
    out = np.empty(size, np.int64)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _binomial1(n, p)
    return out


@_impl_exact("numpy.random.binomial")
def binomial(n, p, size=None):
    """legacy_random_binomial, with its checks (CONS_BOUNDED_0_1, n >= 0)."""
    fp = float(p)
    k = int(n)
    if not (fp >= 0) or not (fp <= 1):
        raise ValueError("p < 0, p > 1 or p is NaN")
    if k < 0:
        raise ValueError("n < 0")
    if size is None:
        return _binomial1(k, fp)
    return _fill_binomial(size, k, fp)


# -- The other continuous distributions of one draw formula -------------------------------
# _draw(kind, a, b, c): one value of distribution 'kind' (the _KINDS index) with
# parameters a, b, c, as NumPy's legacy_* or random_* function of RandomState;
# one compiled function for all of them (floats in, a float out).

@jit(**_EXACT)
def _draw(kind, a, b, c):
    if kind == 0:                              # legacy_lognormal(mean, sigma)
        return math.exp(a + b * _prim.random_gauss())
    if kind == 1:                              # legacy_chisquare(df)
        return 2.0 * _gamma1(a / 2.0)
    if kind == 2:                              # legacy_standard_cauchy
        return _prim.random_gauss() / _prim.random_gauss()
    if kind == 3:                              # legacy_standard_t(df)
        num = _prim.random_gauss()
        denom = _gamma1(a / 2)
        return math.sqrt(a / 2) * num / math.sqrt(denom)
    if kind == 4:                              # legacy_weibull(a)
        if a == 0.0:
            return 0.0
        return _exp1() ** (1. / a)
    if kind == 5:                              # legacy_pareto(a)
        return math.exp(_exp1() / a) - 1
    if kind == 6:                              # legacy_power(a)
        return (1 - math.exp(-_exp1())) ** (1. / a)
    if kind == 7:                              # legacy_rayleigh(scale)
        return a * math.sqrt(-2.0 * math.log1p(-_prim.random_double()))
    if kind == 12:                             # legacy_f(dfnum, dfden)
        return (2.0 * _gamma1(a / 2.0) * b) / (2.0 * _gamma1(b / 2.0) * a)
    if kind == 13:                             # legacy_noncentral_chisquare(df, nonc)
        return _noncentral_chisquare1(a, b)
    if kind == 14:                             # legacy_noncentral_f(dfnum, dfden, nonc)
        t = _noncentral_chisquare1(a, c) * b
        return t / (2.0 * _gamma1(b / 2.0) * a)
    if kind == 15:                             # legacy_wald(mean, scale)
        mu_2l = a / (2 * b)
        y = _prim.random_gauss()
        y = a * y * y
        x = a + mu_2l * (y - math.sqrt(4 * b * y + y * y))
        if _prim.random_double() <= a / (a + x):
            return x
        return a * a / x
    if kind == 16:                             # legacy_vonmises(mu, kappa)
        return _vonmises1(a, b)
    while True:                                # a draw of 0 (1 for gumbel) is drawn again
        u = _prim.random_double()
        if kind == 8:                          # random_laplace(loc, scale)
            if u >= 0.5:
                return a - b * math.log(2.0 - u - u)
            if u > 0.0:
                return a + b * math.log(u + u)
        elif kind == 9:                        # random_logistic(loc, scale)
            if u > 0.0:
                return a + b * math.log(u / (1.0 - u))
        elif kind == 10:                       # random_gumbel(loc, scale)
            u = 1.0 - u
            if u < 1.0:
                return a - b * math.log(-math.log(u))
        else:                                  # random_triangular(left, mode, right)
            base = c - a
            leftbase = b - a
            ratio = leftbase / base
            leftprod = leftbase * base
            rightprod = (c - b) * base
            if u <= ratio:
                return a + math.sqrt(u * leftprod)
            return c - math.sqrt((1.0 - u) * rightprod)


@jit(**_EXACT)
def _noncentral_chisquare1(df, nonc):
    """legacy_noncentral_chisquare: chisquare(df - 1) plus a shifted gauss squared for
    df > 1, else chisquare(df + 2 * poisson(nonc / 2)) (NaN for a NaN nonc)."""
    if nonc == 0:
        return 2.0 * _gamma1(df / 2.0)
    if 1 < df:
        chi2 = 2.0 * _gamma1((df - 1) / 2.0)
        n = _prim.random_gauss() + math.sqrt(nonc)
        return chi2 + n * n
    i = _poisson1(nonc / 2.0)
    out = 2.0 * _gamma1((df + 2 * i) / 2.0)
    if nonc != nonc:
        return nonc
    return out


@jit(**_EXACT)
def _vonmises1(mu, kappa):
    """legacy_vonmises: Best and Fisher's rejection, the result folded into [-pi, pi]."""
    if kappa != kappa:
        return kappa
    if kappa < 1e-8:
        return math.pi * (2 * _prim.random_double() - 1)
    if kappa < 1e-5:
        s = 1. / kappa + kappa
    else:
        r = 1 + math.sqrt(1 + 4 * kappa * kappa)
        rho = (r - math.sqrt(2 * r)) / (2 * kappa)
        s = (1 + rho * rho) / (2 * rho)
    while True:
        u = _prim.random_double()
        z = math.cos(math.pi * u)
        w = (1 + s * z) / (s + z)
        y = kappa * (s - w)
        v = _prim.random_double()
        if y * (2 - y) - v >= 0 or math.log(y / v) + 1 - y >= 0:
            break
    u = _prim.random_double()
    result = math.acos(w)
    if u < 0.5:
        result = -result
    result += mu
    neg = result < 0
    mod = math.fmod(abs(result) + math.pi, 2 * math.pi) - math.pi
    if neg:
        mod *= -1
    return mod


@jit(**_EXACT)
def _fill_draw(size, kind, a, b, c):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _draw(kind, a, b, c)
    return out


@jit
def _draws(size, kind, a, b, c):
    if size is None:
        return _draw(kind, float(a), float(b), float(c))
    return _fill_draw(size, kind, float(a), float(b), float(c))


@jit
def _positive(x):
    """CONS_POSITIVE: x <= 0 fails (NaN passes)."""
    return not x <= 0


@_impl("numpy.random.lognormal")
def lognormal(mean=0.0, sigma=1.0, size=None):
    if not _nonneg(float(sigma)):
        raise ValueError("sigma < 0")
    return _draws(size, 0, mean, sigma, 0.0)


@_impl("numpy.random.chisquare")
def chisquare(df, size=None):
    if not _positive(float(df)):
        raise ValueError("df <= 0")
    return _draws(size, 1, df, 0.0, 0.0)


@_impl("numpy.random.standard_cauchy")
def standard_cauchy(size=None):
    return _draws(size, 2, 0.0, 0.0, 0.0)


@_impl("numpy.random.standard_t")
def standard_t(df, size=None):
    if not _positive(float(df)):
        raise ValueError("df <= 0")
    return _draws(size, 3, df, 0.0, 0.0)


@_impl("numpy.random.weibull")
def weibull(a, size=None):
    if not _nonneg(float(a)):
        raise ValueError("a < 0")
    return _draws(size, 4, a, 0.0, 0.0)


@_impl("numpy.random.pareto")
def pareto(a, size=None):
    if not _positive(float(a)):
        raise ValueError("a <= 0")
    return _draws(size, 5, a, 0.0, 0.0)


@_impl("numpy.random.power")
def power(a, size=None):
    if not _positive(float(a)):
        raise ValueError("a <= 0")
    return _draws(size, 6, a, 0.0, 0.0)


@_impl("numpy.random.rayleigh")
def rayleigh(scale=1.0, size=None):
    if not _nonneg(float(scale)):
        raise ValueError("scale < 0")
    return _draws(size, 7, scale, 0.0, 0.0)


@_impl("numpy.random.laplace")
def laplace(loc=0.0, scale=1.0, size=None):
    if not _nonneg(float(scale)):
        raise ValueError("scale < 0")
    return _draws(size, 8, loc, scale, 0.0)


@_impl("numpy.random.logistic")
def logistic(loc=0.0, scale=1.0, size=None):
    if not _nonneg(float(scale)):
        raise ValueError("scale < 0")
    return _draws(size, 9, loc, scale, 0.0)


@_impl("numpy.random.gumbel")
def gumbel(loc=0.0, scale=1.0, size=None):
    if not _nonneg(float(scale)):
        raise ValueError("scale < 0")
    return _draws(size, 10, loc, scale, 0.0)


@_impl("numpy.random.triangular")
def triangular(left, mode, right, size=None):
    fl = float(left)
    fm = float(mode)
    fr = float(right)
    if fl > fm:
        raise ValueError("left > mode")
    if fm > fr:
        raise ValueError("mode > right")
    if fl == fr:
        raise ValueError("left == right")
    return _draws(size, 11, fl, fm, fr)


# -- geometric, negative_binomial ------------------------------------------------------

@jit(**_EXACT)
def _geometric1(p):
    """legacy_random_geometric: a search of the cumulative sums for p >= 1/3, else
    legacy_geometric_inversion's ceil(log1p(-U) / log(1 - p))."""
    if p >= 0.333333333333333333333333:
        x = 1
        s = p
        prod = p
        q = 1.0 - p
        u = _prim.random_double()
        while u > s:
            prod *= q
            s += prod
            x += 1
        return x
    return math.ceil(math.log1p(-_prim.random_double()) / math.log(1 - p))


@jit(**_EXACT)
def _negbin1(n, p):
    """legacy_negative_binomial: poisson of legacy_gamma(n, (1 - p) / p)."""
    return _poisson1(((1 - p) / p) * _gamma1(n))


@jit(**_EXACT)
def _fill_idraw(size, kind, a, b):
    out = np.empty(size, np.int64)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _geometric1(a) if kind == 0 else _negbin1(a, b)
    return out


@_impl_exact("numpy.random.geometric")
def geometric(p, size=None):
    fp = float(p)
    if not fp > 0 or not fp <= 1:
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    if size is None:
        return _geometric1(fp)
    return _fill_idraw(size, 0, fp, 0.0)


@_impl_exact("numpy.random.negative_binomial")
def negative_binomial(n, p, size=None):
    fn = float(n)
    fp = float(p)
    if not _positive(fn):
        raise ValueError("n <= 0")
    if not (fp >= 0) or not (fp <= 1):
        raise ValueError("p < 0, p > 1 or p is NaN")
    if size is None:
        return _negbin1(fn, fp)
    return _fill_idraw(size, 1, fn, fp)


# -- f, noncentral_chisquare, noncentral_f, wald, vonmises (kinds 12-16 of _draw) -------

@_impl("numpy.random.f")
def f(dfnum, dfden, size=None):
    if not _positive(float(dfnum)):
        raise ValueError("dfnum <= 0")
    if not _positive(float(dfden)):
        raise ValueError("dfden <= 0")
    return _draws(size, 12, dfnum, dfden, 0.0)


@_impl("numpy.random.noncentral_chisquare")
def noncentral_chisquare(df, nonc, size=None):
    if not _positive(float(df)):
        raise ValueError("df <= 0")
    if not _nonneg(float(nonc)):
        raise ValueError("nonc < 0")
    return _draws(size, 13, df, nonc, 0.0)


@_impl("numpy.random.noncentral_f")
def noncentral_f(dfnum, dfden, nonc, size=None):
    if not _positive(float(dfnum)):
        raise ValueError("dfnum <= 0")
    if not _positive(float(dfden)):
        raise ValueError("dfden <= 0")
    if not _nonneg(float(nonc)):
        raise ValueError("nonc < 0")
    return _draws(size, 14, dfnum, dfden, nonc)


@_impl("numpy.random.wald")
def wald(mean, scale, size=None):
    if not _positive(float(mean)):
        raise ValueError("mean <= 0")
    if not _positive(float(scale)):
        raise ValueError("scale <= 0")
    return _draws(size, 15, mean, scale, 0.0)


@_impl("numpy.random.vonmises")
def vonmises(mu, kappa, size=None):
    if not _nonneg(float(kappa)):
        raise ValueError("kappa < 0")
    return _draws(size, 16, mu, kappa, 0.0)


# -- zipf, logseries, hypergeometric ---------------------------------------------------

@jit(**_EXACT)
def _zipf1(a):
    """legacy_random_zipf: rejection from U ** (-1 / (a - 1)), values past int64 rejected."""
    am1 = a - 1.0
    b = 2.0 ** am1
    while True:
        u = 1.0 - _prim.random_double()
        v = _prim.random_double()
        pw = u ** (-1.0 / am1)
        if pw != pw or pw > 9223372036854775807.0:   # NumPy's X > RAND_INT_MAX (floor is exact up there)
            continue
        x = float(math.floor(pw))
        if x < 1.0:
            continue
        t = (1.0 + 1.0 / x) ** am1
        if v * x * (t - 1.0) / (b - 1.0) <= t / b:
            return int(x)


@jit(**_EXACT)
def _logseries1(p):
    """legacy_logseries: Kemp's second algorithm."""
    r = math.log(1.0 - p)
    while True:
        v = _prim.random_double()
        if v >= p:
            return 1
        u = _prim.random_double()
        q = 1.0 - math.exp(r * u)
        if v <= q * q:
            if v == 0.0:                       # NumPy rejects it after its (undefined) cast
                continue
            result = math.floor(1 + math.log(v) / math.log(q))
            if result < 1:
                continue
            return result
        if v >= q:
            return 1
        return 2


@jit(**_EXACT)
def _fill_zl(size, zipf_, a):
    out = np.empty(size, np.int64)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _zipf1(a) if zipf_ else _logseries1(a)
    return out


@_impl_exact("numpy.random.zipf")
def zipf(a, size=None):
    fa = float(a)
    if not fa > 1:
        raise ValueError("a <= 1 or a is NaN")
    if size is None:
        return _zipf1(fa)
    return _fill_zl(size, True, fa)


@_impl_exact("numpy.random.logseries")
def logseries(p, size=None):
    fp = float(p)
    if not (fp >= 0) or not (fp < 1):
        raise ValueError("p < 0, p >= 1 or p is NaN")
    if size is None:
        return _logseries1(fp)
    return _fill_zl(size, False, fp)


@jit(**_EXACT)
def _hyp(good, bad, sample):
    """random_hypergeometric_hyp (sample <= 10)."""
    d1 = bad + good - sample
    d2 = float(min(bad, good))
    y = d2
    k = sample
    while y > 0.0:
        u = _prim.random_double()
        y -= math.floor(u + y / (d1 + k))
        k -= 1
        if k == 0:
            break
    z = int(d2 - y)
    if good > bad:
        z = sample - z
    return z


@jit(**_EXACT)
def _hrua(good, bad, sample):
    """random_hypergeometric_hrua (sample > 10): Stadlober's ratio of uniforms."""
    mingoodbad = min(good, bad)
    popsize = good + bad
    maxgoodbad = max(good, bad)
    m = min(sample, popsize - sample)
    d4 = float(mingoodbad) / popsize
    d5 = 1.0 - d4
    d6 = m * d4 + 0.5
    d7 = math.sqrt(float(popsize - m) * sample * d4 * d5 / (popsize - 1) + 0.5)
    d8 = 1.7155277699214135 * d7 + 0.8989161620588988
    d9 = math.floor(float(m + 1) * (mingoodbad + 1) / (popsize + 2))
    d10 = (_loggam(d9 + 1.0) + _loggam(mingoodbad - d9 + 1.0) + _loggam(m - d9 + 1.0)
           + _loggam(maxgoodbad - m + d9 + 1.0))
    d11 = min(min(m, mingoodbad) + 1.0, float(math.floor(d6 + 16 * d7)))
    while True:
        x = _prim.random_double()
        y = _prim.random_double()
        w = d6 + d8 * (y - 0.5) / x
        if w < 0.0 or w >= d11:
            continue
        z = math.floor(w)
        t = d10 - (_loggam(z + 1.0) + _loggam(mingoodbad - z + 1.0) + _loggam(m - z + 1.0)
                   + _loggam(maxgoodbad - m + z + 1.0))
        if x * (4.0 - x) - 3.0 <= t:
            break
        if x * (x - t) >= 1:
            continue
        if 2.0 * math.log(x) <= t:
            break
    if good > bad:
        z = m - z
    if m < sample:
        z = good - z
    return z


@jit(**_EXACT)
def _hypergeometric1(good, bad, sample):
    if sample > 10:
        return _hrua(good, bad, sample)
    if sample > 0:
        return _hyp(good, bad, sample)
    return 0


@jit(**_EXACT)
def _fill_hyper(size, good, bad, sample):
    out = np.empty(size, np.int64)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _hypergeometric1(good, bad, sample)
    return out


@_impl_exact("numpy.random.hypergeometric")
def hypergeometric(ngood, nbad, nsample, size=None):
    good = int(ngood)
    bad = int(nbad)
    sample = int(nsample)
    if good + bad < sample:
        raise ValueError("ngood + nbad < nsample")
    if good < 0:
        raise ValueError("ngood < 0")
    if bad < 0:
        raise ValueError("nbad < 0")
    if sample < 1:
        raise ValueError("nsample < 1 or nsample is NaN")
    if size is None:
        return _hypergeometric1(good, bad, sample)
    return _fill_hyper(size, good, bad, sample)


# -- multinomial, dirichlet: vectors of k --------------------------------------------

@jit
def _with_k(size, k):
    """The shape of multinomial's and dirichlet's result: (k,), (size, k) or size + (k,)."""
    if size is None:
        return (k,)
    if not _prim.is_tuple(size):
        return (size, k)
    if len(size) == 0:
        return (k,)
    if len(size) == 1:
        return (size[0], k)
    if len(size) == 2:
        return (size[0], size[1], k)
    if len(size) == 3:
        return (size[0], size[1], size[2], k)
    return (size[0], size[1], size[2], size[3], k)


@_impl_exact("numpy.random.multinomial")
def multinomial(n, pvals, size=None):
    """RandomState.multinomial: per vector, legacy_random_binomial of each p over what
    is left (the last item takes the rest), NumPy's checks of pvals and n."""
    p = np.asarray(pvals).astype(np.float64)
    if p.ndim == 0:
        raise TypeError("pvals must be a 1-d sequence")
    d = p.shape[0]
    for j in range(d):
        if not (p[j] >= 0) or not (p[j] <= 1):
            raise ValueError("pvals < 0, pvals > 1 or pvals contains NaNs")
    if d > 0 and _kahan(p[:d - 1]) > 1.0 + 1e-12:
        raise ValueError("sum(pvals[:-1]) > 1.0")
    out = np.zeros(_with_k(size, d), np.int64)
    ni = int(n)
    if ni < 0:
        raise ValueError("n < 0")
    f = _prim.flat(out)
    niter = f.shape[0] // d if d else 0
    for i in range(niter):
        _multinomial1(ni, p, f, i * d)
    return out


# NumPy 2.5 made RandomState.multinomial draw legacy binomials; before, it drew
# Generator's (a frozen global: infer keeps the one branch)
_MULTI_NEW = tuple(int(v) for v in np.__version__.split(".")[:2]) < (2, 5)


@jit(**_EXACT)
def _multinomial1(n, p, f, off):
    """legacy_random_multinomial (random_multinomial before NumPy 2.5) into f[off:off + d]."""
    d = p.shape[0]
    remaining = 1.0
    dn = n
    for j in range(d - 1):
        f[off + j] = _binomial1(dn, p[j] / remaining, _MULTI_NEW)
        dn = dn - f[off + j]
        if dn <= 0:
            break
        remaining -= p[j]
    if dn > 0:
        f[off + d - 1] = dn


@_impl_exact("numpy.random.dirichlet")
def dirichlet(alpha, size=None):
    """RandomState.dirichlet: legacy_standard_gamma of each alpha, scaled by 1 / their sum."""
    a = np.asarray(alpha).astype(np.float64)
    k = a.shape[0]
    for j in range(k):
        if a[j] <= 0:
            raise ValueError("alpha <= 0")
    out = np.zeros(_with_k(size, k))
    f = _prim.flat(out)
    i = 0
    while i < f.shape[0]:
        acc = 0.0
        for j in range(k):
            f[i + j] = _gamma1(a[j])
            acc = acc + f[i + j]
        invacc = 1 / acc
        for j in range(k):
            f[i + j] = f[i + j] * invacc
        i = i + k
    return out
