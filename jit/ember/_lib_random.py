"""ember._lib_random: np.random in compiled code, written with ember.jit.

The generator is Numba's design: one per thread, private to compiled code
(NumPy's own global RandomState is neither read nor changed), seeded from
the OS's entropy on its first use unless np.random.seed ran in compiled
code on that thread.  Its streams are NumPy's legacy RandomState's, bit for
bit: np.random.seed(s) here and np.random.RandomState(s) (or np.random.seed(s)
in the interpreter) give the same numbers from the same calls.

The MT19937 core and its state are C (targets/native/rt_random.c); compiled
code reaches it through four intrinsics (ir/intrin.def): ember._prim.
random_seed(s) (-1: from entropy), random_double() (53 bits in [0, 1)),
random_gauss() (NumPy's legacy_gauss, polar Box-Muller, the pair's second
value kept for the next call and dropped by seed) and random_interval(max)
(NumPy's random_interval: an int in [0, max] by masked rejection).  On those
this module writes RandomState's methods with NumPy's legacy algorithms and
checks (numpy/random/mtrand.pyx, _bounded_integers.pyx,
src/legacy/legacy-distributions.c): randint is random_bounded_uint64_fill
with the mask, which for one int is random_interval(high - 1 - low) + low;
shuffle swaps x[i] with x[random_interval(i)] for i from the end down to 1;
permutation shuffles np.arange(n) or a copy; choice draws randint or takes a
permutation's head.  Arrays are filled in C order, one draw per item, as
NumPy's loops do.

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
from ._lib import _IMPL, _impl

# NumPy's -log(1 - U), not the log1p(-U) of the stabilize phase (another last bit)
_EXACT = {"rewrites": {"exclude": ["log1p"]}}


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
def _fill_double(size, loc, scale):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = loc + scale * _prim.random_double()
    return out


@jit
def _fill_gauss(size, loc, scale):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = loc + scale * _prim.random_gauss()
    return out


@jit
def _fill_gauss1(size):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _prim.random_gauss()
    return out


@jit
def _fill_double1(size):
    out = np.empty(size)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = _prim.random_double()
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


@_impl("numpy.random.randint")
def randint(low, high=None, size=None):
    """_rand_int64 (dtype int): one int in [low, high), or an int64 array; the range
    high - 1 - low masked as random_bounded_uint64_fill does."""
    lo = 0
    hi = int(low)
    if high is not None:
        lo = int(low)
        hi = int(high)
    hi -= 1                                # the generator's interval is closed
    if lo > hi:
        if lo == 0:
            raise ValueError("high <= 0")
        raise ValueError("low >= high")
    if size is None:
        return lo + _prim.random_interval(hi - lo)
    return _fill_int(size, lo, hi - lo)


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
    """np.arange(x) shuffled for an int; a shuffled copy of a 1-D array."""
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
    """RandomState.choice of an int or 1-D array a, uniform (p None) or weighted by p
    (with replacement: searchsorted of doubles in p's normalized cumulative sums)."""
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
