"""ember._lib_more: NumPy functions users reach for, written with ember.jit like
ember._lib (which imports this module at its end; resolve() finds these by the
names of _impl), and the math functions of integers and sequences.

In order: rounding (NumPy's algorithm: multiply by 10**d, rint, divide),
the nan-reductions, order statistics (median, quantile, percentile on sorted
copies of each line), comparisons of arrays (isclose, allclose, array_equal),
index arithmetic (unravel_index, ravel_multi_index, ptp, nonzero, argwhere,
flatnonzero), the math module's integer and sequence functions (factorial,
comb, perm, gcd, lcm, isqrt, prod, fsum), reordering (flip, roll), building
(tril, triu, meshgrid, cross, repeat, tile), counting (digitize, histogram),
polyval, average, convolution and covariance (convolve, correlate, cov,
corrcoef), math.hypot of n coordinates and math.dist (CPython's
vector_norm), and last the keepdims wrappers.

Each follows NumPy's (or CPython's) code so that results agree to the bit:
the nan-reductions replace NaN as NumPy's _replace_nan does, in a copy laid
out as the argument (NumPy copies in 'K' order), and call ember._lib's
reductions, which sum in NumPy's order.  Python ints are checked 64-bit ints:
a result past int64 (factorial(21)) fails the check and the calling
function, where it has no effect outside its locals, is run again by CPython
(README "fallback"), which gives the exact big int.
"""
import math
import sys

import numpy as np

from . import _prim
from . import jit
from ._lib import _gen_lines as _lib_gen_lines
from ._lib import (_bcopy, _lazy_define, _lazy_get, _impl, _axis, _c_order, _dim, _drop, _keep, copy, sum_, mean, var,
                   max_, min_, argmax, argmin, count_nonzero, prod, linspace, np_rint, np_sqrt, all_, any_, zeros, _check_line,
                   _nonempty, _check_axes, _mask)
from ._lib_shape import concatenate, sort, asarray, searchsorted, _with_dim, _ins_dim, _promote, _cons

_PENDING = {}

# NaN and infinity as module constants (frozen at compile time, like any number global)
_NAN = float("nan")
_INF = float("inf")


def _define(src, filename, **options):
    """Compile the functions of 'src' with ember.jit(**options) on first use (ember._lib's _lazy_define)."""
    _lazy_define(globals(), src, filename, options)


def __getattr__(name):
    return _lazy_get(globals(), name)


_MAXND = 8


def _gen_lines(name, line):
    """Define _lines_<name>(out, a, k, z) here: ember._lib's generator of per-line loops
    ({x}: a line of 'a' along axis k, a 1-D view; {o}: its index into 'out')."""
    _lib_gen_lines(name, line, define=_define)


def _gen_pairs(name, line):
    """Define _pairs_<name>(out, a, k, z): the statement 'line' for each line of 'a' along
    axis k and the line of 'out' (of a's ndim, other extents equal) at the same place
    ({x}, {o}: the two 1-D views)."""
    _define(f"""
def _pairs_{name}(out, a, k, z):
    if a.ndim == 1:
        {line.format(o="out", x="a")}
    elif k == 0:
        for j in range(a.shape[1]):
            _pairs_{name}(out[:, j], a[:, j], 0, z)
    else:
        for i in range(a.shape[0]):
            _pairs_{name}(out[i], a[i], k - 1, z)
""", f"<ember._lib_more pairs {name}>")


# -- Rounding --------------------------------------------------------------------
# NumPy's PyArray_Round: decimals >= 0 multiplies by 10**d (a Python float, so
# float32 arrays compute in float32), rints and divides; decimals < 0 divides,
# rints, multiplies; ints are returned as they are for decimals >= 0, else
# rounded through float64 and cast back.

@jit
def _power_of_ten(n):
    """NumPy's power_of_ten: 10.0**n by its table and then repeated products."""
    if n < 9:
        return (1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8)[n]
    r = 1e9
    for _ in range(n - 9):
        r *= 10.0
    return r


@jit
def _round1(x, d):
    """NumPy's round of float item 'x' (a NumPy float) to 'd' decimals, in x's type."""
    t = _prim.dtype_of(x).type
    if d == 0:
        return np_rint(x)
    if d > 0:
        f = t(_power_of_ten(d))
        return np_rint(x * f) / f
    f = t(_power_of_ten(-d))
    return np_rint(x / f) * f


@jit
def _round_int(x, d):
    """An int item rounded to 'd' < 0 decimals, through float64 (NumPy casts back unsafely)."""
    f = _power_of_ten(-d)
    return np_rint(np.float64(x) / f) * f


@jit
def _round_c(x, d):
    """A complex item: its parts rounded."""
    return complex(_round1(np.float64(x.real), d), _round1(np.float64(x.imag), d))


@jit
def _round_any(x, d):
    if _prim.inexact(x) and not _prim.floating(x):
        return _prim.dtype_of(x).type(_round_c(x, d))
    if _prim.inexact(x):
        return _round1(_prim.dtype_of(x).type(x), d)
    if d >= 0:
        return _prim.dtype_of(x).type(x)
    return _prim.dtype_of(x).type(int(_round_int(x, d)))


@_impl("numpy.round", "numpy.around", "numpy.round_", "ndarray.round", "generic.round")
def round_(a, decimals=0):
    if not _prim.is_array(a):
        return _round_any(a, decimals)
    if not _prim.inexact(a) and decimals >= 0:
        return a
    out = np.empty(a.shape, a.dtype)
    fo = _prim.flat(out)
    fa = _c_order(a)
    if _prim.floating(a):   # _round1 with the power of ten hoisted: the loops vectorize (7x faster)
        t = a.dtype.type
        if decimals == 0:
            for i in range(fa.shape[0]):
                fo[i] = t(_prim.frint(fa[i]))
        elif decimals > 0:
            f = t(_power_of_ten(decimals))
            for i in range(fa.shape[0]):
                fo[i] = t(_prim.frint(fa[i] * f)) / f
        else:
            f = t(_power_of_ten(-decimals))
            for i in range(fa.shape[0]):
                fo[i] = t(_prim.frint(fa[i] / f)) * f
        return out
    for i in range(fa.shape[0]):
        fo[i] = _round_any(fa[i], decimals)
    return out


@_impl("numpy.fix")
def fix(x):
    """Round toward zero, as a float (NumPy: ceil below 0, floor above; ints stay)."""
    if _prim.is_array(x):
        out = np.empty(x.shape, x.dtype)
        fo = _prim.flat(out)
        fx = _c_order(x)
        for i in range(fx.shape[0]):
            fo[i] = _fix1(fx[i])
        return out
    return _fix1(x)


@jit
def _fix1(x):
    t = _prim.dtype_of(x).type
    if not _prim.inexact(x) or x != x or x - x != 0 or abs(x) >= 4503599627370496.0:
        return t(x)
    r = math.ceil(x) if x < 0 else math.floor(x)
    if r == 0:
        return t(math.copysign(0.0, x))      # ceil(-0.5) is -0.0, as NumPy's
    return t(r)


# -- NaN-ignoring reductions -------------------------------------------------------
# NumPy's nanfunctions: for float (and complex) arrays, NaN is replaced in a
# copy (by 0 for sums, 1 for products, -inf/inf for argmax/argmin) and the
# plain reduction runs on it; int and bool arrays take the plain reduction.

@jit
def _nan_fill(b, v):
    """Replace the NaNs of contiguous 'b' by 'v' in place; 'b'."""
    f = _prim.flat(b)
    for i in range(f.shape[0]):
        if f[i] != f[i]:
            f[i] = v
    return b


@jit
def _nan_to(a, v):
    """A copy of 'a' with NaN replaced by 'v', laid out as NumPy's copy in 'K' order
    (Fortran order stays; other strides become C order)."""
    if a.ndim >= 2 and _prim.contiguous(a) and not _prim.c_contiguous(a):
        return _nan_fill(copy(a.T), v).T
    return _nan_fill(copy(a), v)


@jit
def _isnan_c(a):
    """np.isnan(a) as a new C-ordered bool array."""
    out = np.empty(a.shape, np.bool_)
    fo = _prim.flat(out)
    fa = _c_order(a)
    for i in range(fa.shape[0]):
        fo[i] = fa[i] != fa[i]
    return out


@jit
def _count_ok(a, axis):
    """The number of non-NaN items of 'a' over 'axis' (as count_nonzero)."""
    return count_nonzero(~_isnan_c(a), axis)


@jit
def _by_count(s, n):
    """NumPy's _divide_by_count of one item: s / n in the wide type, cast back to s's (0 / 0: NaN)."""
    t = _prim.dtype_of(s).type
    if n == 0:
        return t(s * _INF)     # NumPy: 0 / 0 is NaN (the sums of empty lines are 0)
    if _prim.inexact(s) and not _prim.floating(s):
        return t(np.complex128(s) / np.float64(n))
    return t(np.float64(s) / np.float64(n))


@jit
def _divide_by_count(s, n):
    """s / n item by item ('s' and 'n' arrays of one shape, or scalars); 's' is reused."""
    if not _prim.is_array(s):
        return _by_count(s, n)
    fs = _prim.flat(s)
    fn = _c_order(n)
    for i in range(fs.shape[0]):
        fs[i] = _by_count(fs[i], fn[i])
    return s


@_impl("numpy.nansum")
def nansum(a, axis=None, keepdims=False):
    if not _prim.inexact(a):
        return sum_(a, axis)
    return sum_(_nan_to(a, 0), axis)


@_impl("numpy.nanprod")
def nanprod(a, axis=None, keepdims=False):
    if not _prim.inexact(a):
        return prod(a, axis)
    return prod(_nan_to(a, 1), axis)


@_impl("numpy.nanmean")
def nanmean(a, axis=None, keepdims=False):
    if not _prim.inexact(a):
        return mean(a, axis)
    return _divide_by_count(sum_(_nan_to(a, 0), axis), _count_ok(a, axis))


@_impl("numpy.nanvar")
def nanvar(a, axis=None, *, ddof=0, keepdims=False):
    """NumPy's nanvar: deviations from the mean of the non-NaN items (0 at NaN), squared,
    summed, over count - ddof (NaN where that is <= 0)."""
    if not _prim.inexact(a):
        return var(a, axis, ddof=ddof)
    b = _nan_to(a, 0)
    cnt = _count_ok(a, axis)
    avg = _divide_by_count(_keep(a, axis, sum_(b, axis)), _keep(a, axis, cnt))
    b -= avg
    _zero_nan(b, a)
    b *= b          # in place, keeping b's layout (and so NumPy's order of the sum)
    return _divide_dof(sum_(b, axis), cnt, ddof)


@jit
def _zero_nan(b, a):
    """b[...] = 0 where a[...] is NaN (b laid out as _nan_to made it)."""
    if a.ndim == 0:
        if a[()] != a[()]:
            b[()] = 0
    elif a.ndim == 1:
        for i in range(a.shape[0]):
            if a[i] != a[i]:
                b[i] = 0
    else:
        for i in range(a.shape[0]):
            _zero_nan(b[i], a[i])


@jit
def _dof1(s, n):
    if n <= 0:
        return _prim.dtype_of(s).type(_NAN)
    return _by_count(s, n)


@jit
def _divide_dof(s, cnt, ddof):
    if not _prim.is_array(s):
        return _dof1(s, cnt - ddof)
    fs = _prim.flat(s)
    fn = _c_order(cnt)
    for i in range(fs.shape[0]):
        fs[i] = _dof1(fs[i], fn[i] - ddof)
    return s


@_impl("numpy.nanstd")
def nanstd(a, axis=None, *, ddof=0, keepdims=False):
    v = nanvar(a, axis, ddof=ddof)
    if _prim.is_array(v):
        f = _prim.flat(v)
        for i in range(f.shape[0]):
            f[i] = np_sqrt(f[i])
        return v
    return np_sqrt(v)


@jit
def _nanmax1(f):
    """The largest non-NaN item of non-empty 1-D 'f' (NaN when all are), as np.fmax.reduce.
    Past 32 floats the IEEE maximum of the items with NaN as -inf (a reduction that
    vectorizes: 5x faster) gives it, unless it is a zero (whose sign on a tie the loop
    below decides) or -inf (all NaN, maybe)."""
    if _prim.floating(f) and f.shape[0] > 32:
        v = -_INF
        for x in f:
            v = _prim.fmaximum(v, x if x == x else -_INF)
        if v != 0 and v != -_INF:
            return _prim.dtype_of(f[0]).type(v)
    m = f[0]
    for x in f:
        if x >= m or m != m:     # a tie takes the later item, as NumPy's loops (-0.0 against 0.0)
            m = x
    return m


@jit
def _nanmin1(f):
    if _prim.floating(f) and f.shape[0] > 32:   # as _nanmax1
        v = _INF
        for x in f:
            v = _prim.fminimum(v, x if x == x else _INF)
        if v != 0 and v != _INF:
            return _prim.dtype_of(f[0]).type(v)
    m = f[0]
    for x in f:
        if x <= m or m != m:
            m = x
    return m


_gen_lines("nanmax", "out[{o}] = _nanmax1({x})")
_gen_lines("nanmin", "out[{o}] = _nanmin1({x})")


@jit
def _nan_nonempty(a, axis, op):
    """_nonempty's ValueError naming 'op' ("fmax": NumPy's ufunc) for nanmax or nanmin of
    'a' that max_ or min_ computes (ints, or a tuple of axes)."""
    if axis is None:
        _nonempty(a, op)
    elif _prim.is_tuple(axis):
        _check_axes(a, _mask(axis, a.ndim), op)
    else:
        _check_line(a, _axis(axis, max(a.ndim, 1)), op)


@_impl("numpy.nanmax")
def nanmax(a, axis=None, keepdims=False):
    if not _prim.inexact(a) or _prim.is_tuple(axis):
        _nan_nonempty(a, axis, "fmax")
        return max_(a, axis)
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        _check_line(a, k, "fmax")
        out = np.empty(_drop(a, k), a.dtype)
        _lines_nanmax(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, 1)
    _nonempty(a, "fmax")
    return _nanmax1(_c_order(a))


@_impl("numpy.nanmin")
def nanmin(a, axis=None, keepdims=False):
    if not _prim.inexact(a) or _prim.is_tuple(axis):
        _nan_nonempty(a, axis, "fmin")
        return min_(a, axis)
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        _check_line(a, k, "fmin")
        out = np.empty(_drop(a, k), a.dtype)
        _lines_nanmin(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, 1)
    _nonempty(a, "fmin")
    return _nanmin1(_c_order(a))


@jit
def _all_nan(a, axis):
    """ValueError "All-NaN slice encountered" where a line of 'a' over 'axis' is all NaN."""
    bad = all_(_isnan_c(a), axis)
    if a.size and (any_(bad) if _prim.is_array(bad) else bad):
        raise ValueError("All-NaN slice encountered")


@_impl("numpy.nanargmax")
def nanargmax(a, axis=None):
    if not _prim.inexact(a):
        return argmax(a, axis)
    _all_nan(a, axis)
    return argmax(_nan_to(a, -_INF), axis)


@_impl("numpy.nanargmin")
def nanargmin(a, axis=None):
    if not _prim.inexact(a):
        return argmin(a, axis)
    _all_nan(a, axis)
    return argmin(_nan_to(a, _INF), axis)



# -- Convolution and covariance ---------------------------------------------------------------
# NumPy's _pyarray_correlate (mode 0 'valid', 1 'same', 2 'full'): each output
# item is a dot product, summed here in index order; NumPy's float dot may
# use BLAS, whose order differs in the last bits (ints are exact).  A str mode
# arrives as that int (frontend/strargs.c).

@jit
def _corr_into(out, x, y, mode):
    """NumPy's correlation of 1-D 'x' and 'y' (not longer than x) into 'out'."""
    n1 = x.shape[0]
    n = y.shape[0]
    nl = 0
    nr = 0
    if mode == 1:
        nl = n // 2
        nr = n - nl - 1
    elif mode == 2:
        nl = n - 1
        nr = n - 1
    z = out.dtype.type(0)
    o = 0
    for i in range(nl):
        s = z
        for k in range(n - nl + i):
            s += x[k] * y[nl - i + k]
        out[o] = s
        o += 1
    for i in range(n1 - n + 1):
        s = z
        for k in range(n):
            s += x[i + k] * y[k]
        out[o] = s
        o += 1
    for i in range(nr):
        s = z
        st = n1 - n + 1 + i
        for k in range(n - 1 - i):
            s += x[st + k] * y[k]
        out[o] = s
        o += 1


@jit
def _corr_len(n1, n, mode):
    if mode == 0:
        return n1 - n + 1
    if mode == 1:
        return n1
    if mode == 2:
        return n1 + n - 1
    raise ValueError("mode must be 0, 1, or 2")


@jit
def _correlate(a, v, mode):
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError("object too deep for desired array")
    if a.shape[0] == 0:
        raise ValueError("first array argument cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("second array argument cannot be empty")
    dt = _promote(a.dtype, v.dtype)
    if a.shape[0] >= v.shape[0]:
        out = np.empty(_corr_len(a.shape[0], v.shape[0], mode), dt)
        _corr_into(out, a, v, mode)
        return out
    out2 = np.empty(_corr_len(v.shape[0], a.shape[0], mode), dt)
    _corr_into(out2, v, a, mode)
    return out2[::-1].copy()     # NumPy reverses the swapped correlation


@_impl("numpy.correlate")
def correlate(a, v, mode=0):
    return _correlate(a, v, mode)


def _convolve_checks_first():
    """Does this NumPy test for empty arrays before it swaps them (2.5), or after (2.2)?"""
    try:
        np.convolve(np.zeros(0), np.ones(2))
    except ValueError as e:
        return str(e) == "a cannot be empty"
    return True


_CONV_CHECKS_FIRST = _convolve_checks_first()


@_impl("numpy.convolve")
def convolve(a, v, mode=2):
    if a.ndim == 1 and v.ndim == 1 and min(a.shape[0], v.shape[0]) == 0:   # NumPy's own texts
        a_first = a.shape[0] == 0 if _CONV_CHECKS_FIRST else max(a.shape[0], v.shape[0]) == 0
        if a_first:   # (a raise takes one message: no conditional expression in it)
            raise ValueError("a cannot be empty")
        raise ValueError("v cannot be empty")
    if a.ndim == 1 and v.ndim == 1 and v.shape[0] > a.shape[0]:
        return _correlate(v, a[::-1], mode)
    return _correlate(a, v[::-1], mode)


@jit
def _cov_rows(m, y, rowvar):
    """NumPy's X of cov: the observations as rows of a new float64 (or complex) array."""
    dt = _promote(m.dtype, np.empty(0, np.float64).dtype)
    X = _as2d(m)
    if not rowvar and X.shape[0] != 1:
        X = X.T
    if y is None:
        return X.astype(dt)
    Y = _as2d(y)
    if not rowvar and Y.shape[0] != 1:
        Y = Y.T
    return concatenate((X, Y), 0).astype(_promote(dt, y.dtype))


@_impl("numpy.cov")
def cov(m, y=None, rowvar=True, bias=False, ddof=None):
    """np.cov: rows centred by their means (NumPy's mean along axis 1), X @ X.T (summed in
    index order, where NumPy calls BLAS) times 1 / (n - ddof); 1-D input gives a 0-d array."""
    X = _cov_rows(m, y, rowvar)
    d = ddof if ddof is not None else (0 if bias else 1)
    fact = X.shape[1] - d
    if fact <= 0:
        fact = 0
    avg = mean(X, 1)
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            X[i, j] -= avg[i]
    c = np.empty((X.shape[0], X.shape[0]), X.dtype)
    f = _recip(fact)
    for i in range(X.shape[0]):
        for j in range(X.shape[0]):
            s = X.dtype.type(0)
            for k in range(X.shape[1]):
                s += X[i, k] * np.conj(X[j, k])   # NumPy: X @ X.T.conj()
            c[i, j] = s * f
    if m.ndim == 1 and y is None:
        return c.reshape(())
    return c


@jit
def _recip(fact):
    """np.true_divide(1, fact): inf for 0."""
    if fact == 0:
        return _INF
    return 1.0 / fact


@_impl("numpy.corrcoef")
def corrcoef(x, y=None, rowvar=True):
    c = cov(x, y, rowvar)
    if c.ndim == 0:
        return c / c
    n = c.shape[0]
    sd = np.empty(n, np.float64)
    for i in range(n):
        sd[i] = np_sqrt(c[i, i])
    for i in range(n):
        for j in range(n):
            c[i, j] = c[i, j] / sd[i]
    for i in range(n):
        for j in range(n):
            r = c[i, j] / sd[j]
            c[i, j] = -1.0 if r < -1.0 else (1.0 if r > 1.0 else r)
    return c

def _keepdims(*names):
    """Register "<name>:keepdims" for each function of _IMPL 'names' (as ember._lib's
    _keepdims_fn, defined in this module, whose globals the functions need)."""
    import inspect
    from ._lib import _IMPL
    for name in names:
        f = _IMPL[name].py_func
        sig = inspect.signature(f)
        args = ", ".join(p.name if p.kind is p.POSITIONAL_OR_KEYWORD else f"{p.name}={p.name}"
                         for p in sig.parameters.values() if p.name != "keepdims")
        ns = {}
        exec(compile(f"def {f.__name__}keep{sig}:\n    return _keep(a, axis, {f.__name__}({args}))\n",
                     f"<ember._lib_more {name}:keepdims>", "exec"), globals(), ns)
        _IMPL[name + ":keepdims"] = jit(ns[f.__name__ + "keep"])



# -- Order statistics ---------------------------------------------------------------
# median, quantile and percentile (method 'linear') of each line, sorted (NaN
# last, as NumPy's partition leaves it): a line with a NaN gives that NaN.
# median is NumPy's mean of the one or two middle items; quantile is NumPy's
# _quantile: virtual index (n - 1) * q, its floor and the next index, gamma,
# and _lerp's two formulas (a + d * g below g = 0.5, b - d * (1 - g) from it).

@jit
def _mz(x):
    """An item as np.mean sums it: ints as float64."""
    if _prim.inexact(x):
        return x
    return np.float64(x)


@jit
def _median_sorted(s):
    """The median of sorted 1-D 's' as np.median computes it (np.mean of the middle)."""
    n = s.shape[0]
    if n == 0:
        return _mz(s.dtype.type(0)) + _NAN     # NumPy: the mean of nothing, with a warning
    if _prim.inexact(s) and s[n - 1] != s[n - 1]:
        return _mz(s[n - 1])
    h = n // 2
    if n % 2:
        return _mz(s[h])
    m = _mz(s[h - 1]) + _mz(s[h])
    return _prim.dtype_of(m).type(m / 2)     # exact halving, one rounding as NumPy's


@jit
def _median_line(x):
    return _median_sorted(sort(x))


_gen_lines("median", "out[{o}] = _median_line({x})")


@_impl("numpy.median", "ndarray.median")
def median(a, axis=None, keepdims=False):
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        out = np.empty(_drop(a, k), _prim.dtype_of(_mz(a.dtype.type(0))))
        if out.size:
            _lines_median(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, a.ndim if a.ndim else 1)
    return _median_sorted(sort(a, None))


@jit
def _qlerp(s, v, weak):
    """NumPy's linear quantile of sorted 1-D 's' at virtual index 'v' (a NumPy float); with
    'weak' (not None: NumPy 2.3's weak promotion of a Python q) gamma is a Python float."""
    n = s.shape[0]
    if _prim.inexact(s) and s[n - 1] != s[n - 1]:
        return s[n - 1] + v * 0
    if v >= n - 1:
        p = n - 1
        gp = -1
        q = n - 1
    elif v < 0:
        p = 0
        gp = 0
        q = 0
    else:
        p = int(math.floor(v))
        gp = p
        q = p + 1
    if weak is None:
        g = _prim.dtype_of(v).type(np.float64(v) - np.float64(gp))
    else:
        g = float(v - gp)
    lo = s[p]
    hi = s[q]
    d = hi - lo
    if g >= 0.5:
        return hi - d * (1 - g)
    return lo + d * g


@jit
def _qone(s, q, weak):
    """The quantile 'q' of sorted 's': an int q takes an item (NumPy's integer path)."""
    if not _prim.inexact(q):
        return s[(s.shape[0] - 1) * q]
    return _qlerp(s, (s.shape[0] - 1) * q, weak)


_gen_lines("quant", "out[{o}] = _qone(sort({x}), z[0], z[1])")


@jit
def _qcheck(q, pct):
    """NumPy's ValueError for a q outside [0, 1] (NaN too)."""
    if _prim.is_array(q):
        for x in _c_order(q):
            _qcheck(x, pct)
    elif not (0 <= q and q <= 1):
        if pct:
            raise ValueError("Percentiles must be in the range [0, 100]")
        raise ValueError("Quantiles must be in the range [0, 1]")


@jit
def _qtype(a, q, weak):
    """The dtype of the quantiles of 'a': a's for an int q, else that of _qlerp's result."""
    if not _prim.inexact(q):
        return a.dtype
    z = a.dtype.type(0)
    if weak is not None:
        return _prim.dtype_of(z + (z - z) * 0.5)
    g = _prim.dtype_of(q).type(0)
    return _prim.dtype_of(z + (z - z) * g)


@jit
def _quantile(a, q, axis, pct, weak):
    if _prim.is_tuple(q):
        return _quantile(a, asarray(q), axis, pct, weak)
    _qcheck(q, pct)
    if _prim.is_array(q) and q.ndim > 1:
        _prim.check_bcast(True)     # not compiled here: q of more than one dimension
    dt = _qtype(a, q, weak)
    if axis is None or a.ndim <= 1:
        if axis is not None:
            _axis(axis, a.ndim if a.ndim else 1)
        s = sort(a, None)
        if s.shape[0] == 0:
            s[-1]                   # NumPy: IndexError (index -1 of an empty axis)
        if not _prim.is_array(q):
            return _qone(s, q, weak)
        out = np.empty(q.shape, dt)
        for j in range(q.shape[0]):
            out[j] = _qone(s, q[j], weak)
        return out
    k = _axis(axis, a.ndim)
    if _dim(a, k) == 0:
        a[:0][-1]                   # NumPy: IndexError
    if not _prim.is_array(q):
        out = np.empty(_drop(a, k), dt)
        _lines_quant(out, a, k, (q, weak))
        return out
    out = np.empty(_cons(q.shape[0], _drop(a, k)), dt)
    for j in range(q.shape[0]):
        _lines_quant(out[j], a, k, (q[j], weak))
    return out


# NumPy 2.3 keeps a Python q as it is (float64 indices) and promotes the result
# weakly (float32 data stays float32); before, a Python q took a float array's dtype.
_WEAK_Q = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 3)


@_impl("numpy.quantile")
def quantile(a, q, axis=None):
    if not _prim.is_array(q) and not _prim.is_tuple(q) and _WEAK_Q:
        return _quantile(a, q, axis, False, 1)
    if not _prim.is_array(q) and not _prim.is_tuple(q) and _prim.floating(a):
        return _quantile(a, a.dtype.type(q), axis, False, None)    # a Python number q takes a's dtype
    return _quantile(a, q, axis, False, None)


@_impl("numpy.percentile")
def percentile(a, q, axis=None):
    if _prim.is_tuple(q):
        return percentile(a, asarray(q), axis)
    if not _prim.is_array(q) and _WEAK_Q:
        return _quantile(a, q / 100, axis, True, 1)
    if _prim.floating(a) and not _WEAK_Q:
        return _quantile(a, q / a.dtype.type(100), axis, True, None)
    return _quantile(a, q / 100, axis, True, None)


@jit
def _drop_nan(x):
    """The non-NaN items of 1-D 'x' as a new array (NumPy's _remove_nan_1d)."""
    out = np.empty(x.shape[0], x.dtype)
    n = 0
    for v in x:
        if v == v:
            out[n] = v
            n += 1
    return out[:n]


@jit
def _nanmedian_line(x):
    s = sort(_drop_nan(x))
    if s.shape[0] == 0:
        return _mz(x.dtype.type(0)) + _NAN      # all NaN: NaN (NumPy warns)
    return _median_sorted(s)


_gen_lines("nanmedian", "out[{o}] = _nanmedian_line({x})")


@_impl("numpy.nanmedian")
def nanmedian(a, axis=None, keepdims=False):
    if not _prim.inexact(a):
        return median(a, axis)
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        out = np.empty(_drop(a, k), _prim.dtype_of(_mz(a.dtype.type(0))))
        if out.size:
            _lines_nanmedian(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, a.ndim if a.ndim else 1)
    return _nanmedian_line(_c_order(a))


@jit
def _nanq_line(x, q, weak):
    """A quantile of the non-NaN items of 1-D 'x' (NaN when there are none)."""
    s = sort(_drop_nan(x))
    if s.shape[0] == 0:
        return _qone(_prim.flat(np.full(1, _NAN, x.dtype)), q, weak)
    return _qone(s, q, weak)


_gen_lines("nanquant", "out[{o}] = _nanq_line({x}, z[0], z[1])")


@jit
def _nanquantile(a, q, axis, pct, weak):
    """nanquantile of a scalar q over all of 'a' or along an int axis."""
    if not _prim.inexact(a):
        return _quantile(a, q, axis, pct, weak)
    _qcheck(q, pct)
    if axis is None or a.ndim <= 1:
        if axis is not None:
            _axis(axis, a.ndim if a.ndim else 1)
        return _nanq_line(_c_order(a), q, weak)
    k = _axis(axis, a.ndim)
    out = np.empty(_drop(a, k), _qtype(a, q, weak))
    if out.size:
        _lines_nanquant(out, a, k, (q, weak))
    return out


@_impl("numpy.nanquantile")
def nanquantile(a, q, axis=None):
    """np.nanquantile of a scalar q (an array q is not compiled here)."""
    if _WEAK_Q:
        return _nanquantile(a, q, axis, False, 1)
    if _prim.floating(a):
        return _nanquantile(a, a.dtype.type(q), axis, False, None)
    return _nanquantile(a, q, axis, False, None)


@_impl("numpy.nanpercentile")
def nanpercentile(a, q, axis=None):
    if _WEAK_Q:
        return _nanquantile(a, q / 100, axis, True, 1)
    if _prim.floating(a):
        return _nanquantile(a, q / a.dtype.type(100), axis, True, None)
    return _nanquantile(a, q / 100, axis, True, None)


# -- Comparing arrays ------------------------------------------------------------------
# NumPy's isclose: y is made inexact (result_type(y, 1.0)), then
# (|x - y| <= atol + rtol * |y|) & isfinite(y) | (x == y), with the tolerances
# as Python floats (so float32 operands compute in float32).

@jit
def _close1(x, y, rtol, atol, equal_nan):
    yf = y * 1.0
    r = (abs(x - yf) <= atol + rtol * abs(yf) and yf - yf == 0) or x == yf
    if equal_nan and x != x and yf != yf:
        r = True
    return r


@jit
def _bflat(x, shape):
    """An array 'x' broadcast to 'shape' as a C-ordered 1-D array; a scalar as it is."""
    if _prim.is_array(x):
        return _prim.flat(_bcopy(x, shape))
    return x


@jit
def _at(x, i):
    if _prim.is_array(x):
        return x[i]
    return x


@jit
def _bshape(x, y):
    """The broadcast shape of 'x' and 'y' (scalars are 0-d); NumPy's ValueError if none."""
    return (np.empty(_shape0(x), np.bool_) == np.empty(_shape0(y), np.bool_)).shape


@jit
def _shape0(x):
    if _prim.is_array(x):
        return x.shape
    return ()


@_impl("numpy.isclose")
def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if not _prim.is_array(a) and not _prim.is_array(b):
        return np.bool_(_close1(a, b, rtol, atol, equal_nan))
    shape = _bshape(a, b)
    out = np.empty(shape, np.bool_)
    fo = _prim.flat(out)
    x = _bflat(a, shape)
    y = _bflat(b, shape)
    for i in range(fo.shape[0]):
        fo[i] = _close1(_at(x, i), _at(y, i), rtol, atol, equal_nan)
    return out


@_impl("numpy.allclose")
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    r = isclose(a, b, rtol, atol, equal_nan)
    if _prim.is_array(r):
        return bool(all_(r))
    return bool(r)


@_impl("numpy.array_equal")
def array_equal(a1, a2, equal_nan=False):
    if a1.ndim != a2.ndim:
        return False
    for k in range(a1.ndim):
        if _dim(a1, k) != _dim(a2, k):
            return False
    f1 = _c_order(a1)
    f2 = _c_order(a2)
    for i in range(f1.shape[0]):
        x = f1[i]
        y = f2[i]
        if not (x == y or (equal_nan and x != x and y != y)):
            return False
    return True


# -- Index arithmetic ----------------------------------------------------------------
# unravel_index and ravel_multi_index in C order; a shape is an int or a tuple
# (one branch per length, which infer keeps), an index a scalar or an array.

def _gen_unravel(maxnd):
    src = ["def _unravel1(i, s):"]
    for n in range(1, maxnd + 1):
        src.append(f"    if len(s) == {n}:")
        src.append("        v = i")
        for j in range(n - 1, 0, -1):
            src.append(f"        r{j} = v % s[{j}]")
            src.append(f"        v = v // s[{j}]")
        items = "np.intp(v), " + "".join(f"np.intp(r{j}), " for j in range(1, n))
        src.append(f"        return ({items})")
    src.append("\ndef _unravel_arr(idx, s, size):")
    for n in range(1, maxnd + 1):
        src.append(f"    if len(s) == {n}:")
        for j in range(n):
            src.append(f"        o{j} = np.empty(idx.shape, np.intp)")
            src.append(f"        f{j} = _prim.flat(o{j})")
        src.append("        fi = _c_order(idx)")
        src.append("        for k in range(fi.shape[0]):")
        src.append("            _check_flat(fi[k], size)")
        src.append(f"            t = _unravel1(fi[k], s)")
        for j in range(n):
            src.append(f"            f{j}[k] = t[{j}]")
        src.append(f"        return ({''.join(f'o{j}, ' for j in range(n))})")
    src.append("\ndef _ravel_multi(m, s):")
    for n in range(1, maxnd + 1):
        src.append(f"    if len(s) == {n}:")
        src.append("        r = 0")
        for j in range(n):
            src.append(f"        _check_coord(m[{j}], s[{j}])")
            src.append(f"        r = r * s[{j}] + m[{j}]")
        src.append("        return np.intp(r)")
    _define("\n".join(src), "<ember._lib_more unravel>")


_gen_unravel(_MAXND)


@jit
def _check_flat(i, size):
    if i < 0 or i >= size:
        raise ValueError(f"index {i} is out of bounds for array with size {size}")


@jit
def _check_coord(i, n):
    if i < 0 or i >= n:
        raise ValueError("invalid entry in coordinates array")


@jit
def _as_shape(shape):
    if _prim.is_tuple(shape):
        return shape
    return (shape,)


@jit
def _size_of(s):
    n = 1
    for d in s:
        n *= d
    return n


@_impl("numpy.unravel_index")
def unravel_index(indices, shape):
    s = _as_shape(shape)
    size = _size_of(s)
    if _prim.is_array(indices):
        return _unravel_arr(indices, s, size)
    _check_flat(indices, size)
    return _unravel1(indices, s)


@_impl("numpy.ravel_multi_index")
def ravel_multi_index(multi_index, dims):
    s = _as_shape(dims)
    if len(multi_index) != len(s):
        raise ValueError("parameter multi_index must be a sequence of length " + "")
    if _prim.is_array(multi_index[0]):
        m0 = multi_index[0]
        out = np.empty(m0.shape, np.intp)
        fo = _prim.flat(out)
        for k in range(fo.shape[0]):
            fo[k] = _ravel_multi(_take_k(multi_index, k), s)
        return out
    return _ravel_multi(multi_index, s)


def _gen_take_k(maxnd):
    src = ["def _take_k(t, k):"]
    for n in range(1, maxnd + 1):
        items = "".join(f"_c_order(t[{j}])[k], " for j in range(n))
        src.append(f"    if len(t) == {n}:\n        return ({items})")
    _define("\n".join(src), "<ember._lib_more take_k>")


_gen_take_k(_MAXND)


@_impl("numpy.ptp", "ndarray.ptp")
def ptp(a, axis=None, keepdims=False):
    return max_(a, axis) - min_(a, axis)


def _gen_nonzero(maxnd):
    """Define _nonzero_t(a) (the tuple of index arrays of the true items of 'a', C order)
    and _argwhere_into(out, a) (those indices as the rows of 'out'), nested loops per ndim.
    No branch on the items (a random mask mispredicted half of them: 9x NumPy's time):
    every index is stored at row k and k moves on where the item is true; the loops stop
    when k reaches the count of true items, so the stores stay inside the output."""
    def loops(nd, store, src, ret):
        src.append("        k = 0")
        src.append("        if n == 0:")
        src.append(f"            return{ret}")
        ind = "        "
        for j in range(nd):
            src.append(f"{ind}for i{j} in range(a.shape[{j}]):")
            ind += "    "
        idx = ", ".join(f"i{j}" for j in range(nd))
        src += [f"{ind}{store(j)} = i{j}" for j in range(nd)]
        src.append(f"{ind}k += 1 if a[{idx}] else 0")
        for j in reversed(range(nd)):
            src.append(f"{ind}if k == n:")
            src.append(f"{ind}    break")
            ind = ind[:-4]

    src = []
    for nd in range(1, maxnd + 1):
        src.append(f"def _nonzero_fill{nd}(a, n, {', '.join(f'o{j}' for j in range(nd))}):")
        loops(nd, lambda j: f"o{j}[k]", src, " k")
        src.append("        return k")
        src.append("")
    src.append("def _nonzero_t(a):")
    for nd in range(1, maxnd + 1):
        src.append(f"    if a.ndim == {nd}:")
        src.append("        n = count_nonzero(a)")
        for j in range(nd):
            src.append(f"        o{j} = np.empty(n, np.intp)")
        src.append(f"        _nonzero_fill{nd}(a, n, {', '.join(f'o{j}' for j in range(nd))})")
        src.append(f"        return ({''.join(f'o{j}, ' for j in range(nd))})")
    src.append("\ndef _argwhere_into(out, a):")
    src.append("    n = out.shape[0]")
    for nd in range(1, maxnd + 1):
        src.append(f"    if a.ndim == {nd}:")
        loops(nd, lambda j: f"out[k, {j}]", src, "")
    _define("\n".join(src), "<ember._lib_more nonzero>")


_gen_nonzero(_MAXND)


@_impl("numpy.nonzero", "ndarray.nonzero")
def nonzero(a):
    if a.ndim == 0:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead. "
                         "If the context of this error is of the form `arr[nonzero(cond)]`, just use `arr[cond]`.")
    return _nonzero_t(a)


@_impl("numpy.where")
def where(condition):
    """np.where of one argument is np.nonzero (its three-argument form is an elementwise loop)."""
    return nonzero(condition)


@_impl("numpy.argwhere")
def argwhere(a):
    if a.ndim == 0:
        out0 = np.zeros((1 if a[()] else 0, 0), np.intp)
        return out0
    out = np.empty((count_nonzero(a), a.ndim), np.intp)
    _argwhere_into(out, a)
    return out


@_impl("numpy.flatnonzero")
def flatnonzero(a):
    return _nonzero_t(_c_order(a))[0]


# -- The math module: integers and sequences -------------------------------------------
# Python ints are checked int64 here: a result past it fails a check, and the
# calling function is run again by CPython where it can be (README); the errors
# are CPython's.

@_impl("math.factorial")
def factorial(n):
    if _prim.inexact(n):
        raise TypeError("'float' object cannot be interpreted as an integer")
    if n < 0:
        raise ValueError("factorial() not defined for negative values")
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


@jit
def _check_nk(n, k):
    if _prim.inexact(n) or _prim.inexact(k):
        raise TypeError("'float' object cannot be interpreted as an integer")
    if n < 0:
        raise ValueError("n must be a non-negative integer")
    if k < 0:
        raise ValueError("k must be a non-negative integer")


@_impl("math.comb")
def comb(n, k):
    _check_nk(n, k)
    if k > n:
        return 0
    if k > n - k:
        k = n - k
    r = 1
    for i in range(k):
        r = r * (n - i) // (i + 1)     # exact: r * (n - i) is i + 1 times a binomial
    return r


@_impl("math.perm")
def perm(n, k=None):
    if k is None:
        return factorial(n)
    _check_nk(n, k)
    if k > n:
        return 0
    r = 1
    for i in range(k):
        r *= n - i
    return r


@jit
def _gcd2(a, b):
    a = abs(a)
    b = abs(b)
    while b:
        a, b = b, a % b
    return a


@_impl("math.gcd")
def gcd(a=0, b=0, c=0, d=0, e=0, f=0, g=0, h=0):
    return _gcd2(_gcd2(_gcd2(_gcd2(_gcd2(_gcd2(_gcd2(a, b), c), d), e), f), g), h)


@jit
def _lcm2(a, b):
    if a == 0 or b == 0:
        return 0
    return abs(a // _gcd2(a, b) * b)


@_impl("math.lcm")
def lcm(a=1, b=1, c=1, d=1, e=1, f=1, g=1, h=1):
    return _lcm2(_lcm2(_lcm2(_lcm2(_lcm2(_lcm2(_lcm2(a, b), c), d), e), f), g), h)


@_impl("math.isqrt")
def isqrt(n):
    if _prim.inexact(n):
        raise TypeError("'float' object cannot be interpreted as an integer")
    if n < 0:
        raise ValueError("isqrt() argument must be nonnegative")
    if n == 0:
        return 0
    r = int(math.sqrt(float(n)))
    while r > n // r:               # r * r > n, without overflow
        r -= 1
    while r + 1 <= n // (r + 1):    # (r + 1)**2 <= n
        r += 1
    return r


@jit
def _prod_t(t, p):
    """p * t[0] * t[1] * ..., Python's left fold over a tuple of numbers."""
    if not t:
        return p
    return _prod_t(t[1:], p * t[0])


@_impl("math.prod")
def prod_(iterable, start=1):
    if _prim.is_tuple(iterable):
        return _prod_t(iterable, start)
    p = start
    for x in iterable:
        p = p * x
    return p


@jit
def _fsum_items(t, p, n, special, inf_sum):
    """Add the items of tuple 't' to the partials (CPython's math_fsum loop); the new
    (n, special, inf_sum)."""
    if not t:
        return n, special, inf_sum
    n, special, inf_sum = _fsum_add(float(t[0]), p, n, special, inf_sum)
    return _fsum_items(t[1:], p, n, special, inf_sum)


@jit
def _fsum_add(x, p, n, special, inf_sum):
    """One step of CPython's math_fsum: x added to the n partials p[:n] (non-overlapping,
    increasing magnitude); infinities and NaN are summed apart ('special', 'inf_sum')."""
    xsave = x
    i = 0
    for j in range(n):
        y = p[j]
        if abs(x) < abs(y):
            x, y = y, x
        hi = x + y
        lo = y - (hi - x)
        if lo != 0.0:
            p[i] = lo
            i += 1
        x = hi
    n = i
    if x != 0.0:
        if x - x != 0:          # not finite: an overflow, or an inf or nan item
            if xsave - xsave == 0:
                raise OverflowError("intermediate overflow in fsum")
            if xsave == xsave:
                inf_sum += xsave
            special += xsave
            n = 0
        else:
            p[n] = x
            n += 1
    return n, special, inf_sum


@jit
def _fsum_end(p, n, special, inf_sum):
    """CPython's rounding of the partials to the nearest float (half-even across partials)."""
    if special != 0.0:
        if inf_sum != inf_sum:
            raise ValueError("-inf + inf in fsum")
        return special
    hi = 0.0
    lo = 0.0
    if n > 0:
        n -= 1
        hi = p[n]
        while n > 0:
            x = hi
            n -= 1
            y = p[n]
            hi = x + y
            lo = y - (hi - x)
            if lo != 0.0:
                break
        if n > 0 and ((lo < 0.0 and p[n - 1] < 0.0) or (lo > 0.0 and p[n - 1] > 0.0)):
            y = lo * 2.0
            x = hi + y
            if y == x - hi:
                hi = x
    return hi


@_impl("math.fsum")
def fsum(seq):
    """CPython's math_fsum (Shewchuk's partials, then correct rounding); at most 64
    partials (doubles need about 40)."""
    p = np.empty(64, np.float64)
    if _prim.is_tuple(seq):
        n, special, inf_sum = _fsum_items(seq, p, 0, 0.0, 0.0)
        return _fsum_end(p, n, special, inf_sum)
    n = 0
    special = 0.0
    inf_sum = 0.0
    for x in seq:
        n, special, inf_sum = _fsum_add(float(x), p, n, special, inf_sum)
    return _fsum_end(p, n, special, inf_sum)


# -- Reordering ----------------------------------------------------------------------------
# flip, fliplr, flipud are views (reversed strides), as NumPy's; roll copies.

def _gen_flip(maxnd):
    """Define _flip_all(m) (every axis reversed) and _flip_at(m, k) (axis k), a branch per ndim."""
    src = ["def _flip_all(m):"]
    for nd in range(1, maxnd + 1):
        src.append(f"    if m.ndim == {nd}:\n        return m[{', '.join(['::-1'] * nd)}]")
    src.append("    return m\n\ndef _flip_at(m, k):")
    for nd in range(1, maxnd + 1):
        for k in range(nd):
            idx = ", ".join("::-1" if j == k else ":" for j in range(nd))
            src.append(f"    if m.ndim == {nd} and k == {k}:\n        return m[{idx}]")
    src.append("    return m[::-1]")
    _define("\n".join(src), "<ember._lib_more flip>")


_gen_flip(_MAXND)


@_impl("numpy.flip")
def flip(m, axis=None):
    if axis is None:
        return _flip_all(m)
    return _flip_at(m, _axis(axis, m.ndim))


@_impl("numpy.fliplr")
def fliplr(m):
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return _flip_at(m, 1)


@_impl("numpy.flipud")
def flipud(m):
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return _flip_at(m, 0)


@jit
def _roll1(out, x, s):
    """out[(i + s) % n] = x[i] of 1-D lines (n > 0, 0 <= s < n)."""
    n = x.shape[0]
    hi = out[s:]          # two plain copies, which vectorize (a test per item ran 5x NumPy's time)
    for i in range(n - s):
        hi[i] = x[i]
    lo = x[n - s:]
    for i in range(s):
        out[i] = lo[i]


_gen_pairs("roll", "_roll1({o}, {x}, z)")


@_impl("numpy.roll")
def roll(a, shift, axis=None):
    if axis is None:
        f = _c_order(a)
        out = np.empty(f.shape[0], a.dtype)
        if f.shape[0]:
            _roll1(out, f, shift % f.shape[0])
        return out.reshape(a.shape)
    if a.ndim == 0:
        _axis(axis, 0)
    k = _axis(axis, a.ndim)
    out = np.empty(a.shape, a.dtype)
    n = _dim(a, k)
    if a.size:
        _pairs_roll(out, a, k, shift % n)
    return out


# -- Building arrays ------------------------------------------------------------------------

@_impl("numpy.tril")
def tril(m, k=0):
    out = m.copy()
    if m.ndim != 2:
        _prim.check_bcast(True)    # not compiled here: tril of other than 2-D
        return out
    for i in range(m.shape[0]):
        for j in range(max(0, i + k + 1), m.shape[1]):
            out[i, j] = 0
    return out


@_impl("numpy.triu")
def triu(m, k=0):
    out = m.copy()
    if m.ndim != 2:
        _prim.check_bcast(True)    # not compiled here: triu of other than 2-D
        return out
    for i in range(m.shape[0]):
        for j in range(min(m.shape[1], max(0, i + k))):
            out[i, j] = 0
    return out


@jit
def _mesh_xy(x, y):
    """np.meshgrid(x, y)'s 'xy' grids: X and Y of shape (len(y), len(x)), copies."""
    fx = _c_order(x)
    fy = _c_order(y)
    nx = fx.shape[0]
    ny = fy.shape[0]
    X = np.empty((ny, nx), x.dtype)
    Y = np.empty((ny, nx), y.dtype)
    for i in range(ny):
        for j in range(nx):
            X[i, j] = fx[j]
            Y[i, j] = fy[i]
    return X, Y


@_impl("numpy.meshgrid")
def meshgrid(x, y, indexing=False):
    """np.meshgrid(x, y): with indexing 'xy' (False, frontend/strargs.c) (X, Y), each of shape
    (len(y), len(x)); with 'ij' (True) of shape (len(x), len(y)), which are the 'xy' grids of
    (y, x) swapped; copies."""
    if indexing:
        Yi, Xi = _mesh_xy(y, x)
        return Xi, Yi
    return _mesh_xy(x, y)


@jit
def _cross_stack(a, b):
    if a.shape[a.ndim - 1] != 3 or b.shape[b.ndim - 1] != 3:
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    c0 = a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1]
    c1 = a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]
    c2 = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    out = np.empty(_ins_dim(c0, c0.ndim, 3), _promote(a.dtype, b.dtype))
    out[..., 0] = c0
    out[..., 1] = c1
    out[..., 2] = c2
    return out


@_impl("numpy.cross")
def cross(a, b):
    """The cross product of two 3-vectors, or of stacks of them (the last axis, the others
    broadcast; NumPy's products then differences); 2-vectors (deprecated by NumPy 2) are not compiled."""
    if a.ndim != 1 or b.ndim != 1:
        return _cross_stack(a, b)
    n = a.shape[0]
    if n != 3 or b.shape[0] != 3:
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    dt = _promote(a.dtype, b.dtype)
    out = np.empty(3, dt)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


@_impl("numpy.repeat", "ndarray.repeat")
def repeat(a, repeats, axis=None):
    """Each item 'repeats' times (an int, or a 1-D array of counts), flattened for axis None."""
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        n = _dim(a, k)
        out = np.empty(_with_dim(a, k, _rep_len(repeats, n)), a.dtype)
        _pairs_repeat(out, a, k, repeats)
        return out
    if axis is not None:
        _axis(axis, a.ndim if a.ndim else 1)
    f = _c_order(a)
    out = np.empty(_rep_len(repeats, f.shape[0]), a.dtype)
    _repeat1(out, f, repeats)
    return out


@jit
def _rep_len(r, n):
    """The length of n items repeated by 'r' (NumPy's ValueError for negative counts)."""
    if not _prim.is_array(r):
        if r < 0:
            raise ValueError("negative dimensions are not allowed")
        return n * r
    if r.shape[0] != n and r.shape[0] != 1:
        raise ValueError(f"operands could not be broadcast together with shape ({n},) ({r.shape[0]},)")
    m = 0
    for i in range(n):
        c = r[i] if r.shape[0] == n else r[0]
        if c < 0:
            raise ValueError("repeats may not contain negative values.")
        m += c
    return m


@jit
def _repeat1(out, x, r):
    """out = x's items each repeated (1-D lines)."""
    j = 0
    for i in range(x.shape[0]):
        c = r if not _prim.is_array(r) else (r[i] if r.shape[0] == x.shape[0] else r[0])
        for _ in range(c):
            out[j] = x[i]
            j += 1


_gen_pairs("repeat", "_repeat1({o}, {x}, z)")


@_impl("numpy.tile")
def tile(A, reps):
    """np.tile of an array of at most 2 dimensions by an int or a tuple of at most 2 ints."""
    r = _as_shape(reps)
    if A.ndim <= 1 and len(r) == 1:
        f = _c_order(A)
        n = f.shape[0]
        out = np.empty(n * r[0], A.dtype)
        for k in range(r[0]):      # copies of the whole, not an item per `i % n` (a division each: 10x slower)
            o = out[k * n:(k + 1) * n]
            for j in range(n):
                o[j] = f[j]
        return out
    B = _as2d(A)
    r0, r1 = _reps2(r)
    m0, m1 = B.shape[0], B.shape[1]
    out2 = np.empty((m0 * r0, m1 * r1), A.dtype)
    for i in range(out2.shape[0]):
        row = B[i % m0]
        o = out2[i]
        for k in range(r1):
            ok = o[k * m1:(k + 1) * m1]
            for j in range(m1):
                ok[j] = row[j]
    return out2


@jit
def _as2d(A):
    if A.ndim == 0:
        return A[None, None]
    if A.ndim == 1:
        return A[None, :]
    if A.ndim != 2:
        _prim.check_bcast(True)    # not compiled here: tile of more than 2 dimensions
    return A


@jit
def _reps2(r):
    if len(r) == 1:
        return 1, r[0]
    if len(r) != 2:
        _prim.check_bcast(True)    # not compiled here: more than 2 repetitions
    return r[0], r[1]


# -- Counting ----------------------------------------------------------------------------

@jit
def _monotonic(b):
    """1 increasing, -1 decreasing (NumPy's _monotonicity), ValueError otherwise."""
    inc = True
    dec = True
    for i in range(b.shape[0] - 1):
        if not (b[i] <= b[i + 1]):
            inc = False
        if not (b[i] >= b[i + 1]):
            dec = False
    if inc:
        return 1
    if dec:
        return -1
    raise ValueError("bins must be monotonically increasing or decreasing")


@_impl("numpy.digitize")
def digitize(x, bins, right=False):
    m = _monotonic(bins)
    if m == 1:
        return searchsorted(bins, x, not right)
    r = searchsorted(bins[::-1], x, not right)
    return bins.shape[0] - r


@jit
def _edges(a, lo, hi):
    """NumPy's _get_outer_edges of 'a' without a range: min and max, widened by 0.5 when equal."""
    if a.size == 0:
        return 0.0, 1.0
    first = float(min_(a))
    last = float(max_(a))
    if first - first != 0 or last - last != 0:
        raise ValueError(f"autodetected range of [{first}, {last}] is not finite")
    if first == last:
        return first - 0.5, last + 0.5
    return first, last


@jit
def _hist_edges(a, edges):
    """np.histogram(a, bins=edges): counts of edges[i] <= x < edges[i + 1], the last bin closed."""
    if edges.ndim != 1:
        raise ValueError("`bins` must be 1d, when an array")
    for i in range(edges.shape[0] - 1):
        if edges[i] > edges[i + 1]:
            raise ValueError("`bins` must increase monotonically, when an array")
    sa = np.sort(np.ravel(a))
    n = edges.shape[0] - 1
    counts = np.zeros(max(n, 0), np.intp)
    if n > 0:
        lo = np.searchsorted(sa, edges[:-1])
        hi = np.searchsorted(sa, edges[-1:], side='right')
        for i in range(n - 1):
            counts[i] = lo[i + 1] - lo[i]
        counts[n - 1] = hi[0] - lo[n - 1]
    return counts, edges


@_impl("numpy.histogram")
def histogram(a, bins=10, range=None):
    """NumPy's histogram of equal bins (an int): counts (intp) and the bins+1 float64 edges,
    each item placed by NumPy's formula and corrected against the edges; of given edges
    (an array) NumPy's counts by searchsorted in the sorted data."""
    if _prim.is_array(bins):
        return _hist_edges(a, bins)
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    if _prim.floating(a) and a.itemsize == 4:
        return _hist32(a, bins, range)
    if range is None:
        first, last = _edges(a, 0.0, 0.0)
    else:
        first = float(range[0])
        last = float(range[1])
        if first > last:
            raise ValueError("max must be larger than min in range parameter.")
        if first - first != 0 or last - last != 0:
            raise ValueError(f"supplied range of [{first}, {last}] is not finite")
        if first == last:
            first -= 0.5
            last += 0.5
    edges = linspace(first, last, bins + 1)
    counts = np.zeros(bins, np.intp)
    denom = last - first
    f = _c_order(a)
    i = 0
    while i < f.shape[0]:           # 'range' is the parameter here
        x = float(f[i])
        i += 1
        if x >= first and x <= last:
            k = int((x - first) / denom * bins)
            if k == bins:
                k -= 1
            if x < edges[k]:
                k -= 1
            elif k != bins - 1 and x >= edges[k + 1]:
                k += 1
            counts[k] += 1
    return counts, edges


@jit
def _hist32(a, bins, range):
    """histogram of a float32 array, as NumPy computes it: edges and indices in float32
    (an explicit range's edges are float64 ones rounded to float32)."""
    if range is None:
        if a.size == 0:
            first = np.float32(0.0)
            last = np.float32(1.0)
        else:
            first = min_(a)
            last = max_(a)
        if first - first != 0 or last - last != 0:
            raise ValueError(f"autodetected range of [{first}, {last}] is not finite")
        if first == last:
            first = first - 0.5
            last = last + 0.5
        edges = _linspace32(first, last, bins + 1)
    else:
        lo = float(range[0])
        hi = float(range[1])
        if lo > hi:
            raise ValueError("max must be larger than min in range parameter.")
        if lo - lo != 0 or hi - hi != 0:
            raise ValueError(f"supplied range of [{lo}, {hi}] is not finite")
        if lo == hi:
            lo -= 0.5
            hi += 0.5
        e64 = linspace(lo, hi, bins + 1)
        edges = np.empty(bins + 1, np.float32)
        j = 0
        while j < bins + 1:         # 'range' is the parameter here
            edges[j] = e64[j]
            j += 1
        first = np.float32(lo)
        last = np.float32(hi)
    counts = np.zeros(bins, np.intp)
    denom = last - first
    f = _c_order(a)
    i = 0
    while i < f.shape[0]:
        x = f[i]
        i += 1
        if x >= first and x <= last:
            k = int((x - first) / denom * bins)
            if k == bins:
                k -= 1
            if x < edges[k]:
                k -= 1
            elif k != bins - 1 and x >= edges[k + 1]:
                k += 1
            counts[k] += 1
    return counts, edges


@jit
def _linspace32(start, stop, num):
    """np.linspace of two float32 scalars: computed in float32 (step = delta / div)."""
    div = num - 1
    y = np.empty(num, np.float32)
    delta = stop - start
    step = delta / div
    for i in range(num):
        if step == 0:
            y[i] = np.float32(i) / div * delta + start
        else:
            y[i] = np.float32(i) * step + start
    y[num - 1] = stop
    return y


@_impl("numpy.polyval")
def polyval(p, x):
    """Horner's rule from p[0], as NumPy's polyval (y = y * x + pv, from zeros like x)."""
    if _prim.is_tuple(p):
        return polyval(asarray(p), x)
    if _prim.is_array(x):
        y = np.zeros(x.shape, _prim.dtype_of(x.dtype.type(0) * x.dtype.type(0) + p.dtype.type(0)))
        for i in range(p.shape[0]):
            y = y * x + p[i]
        return y
    z = _prim.dtype_of(x).type(0)
    y = z * z + p.dtype.type(0)
    for i in range(p.shape[0]):
        y = y * x + p[i]
    return y


@_impl("numpy.average")
def average(a, axis=None, weights=None):
    """np.average: the mean, or sum(a * w) / sum(w) over the axis (w of a's shape, or 1-D along it)."""
    if weights is None:
        return mean(a, axis)
    rd = _avg_dtype(a, weights)     # NumPy's: both cast to it, the weights summed in it
    return _average_in(a.astype(rd), axis, weights.astype(rd))


@jit
def _avg_dtype(a, w):
    """The dtype np.average computes in: a's and w's, float64 at least for ints and bools."""
    if _prim.inexact(a):
        return _promote(a.dtype, w.dtype)
    return _promote(_promote(a.dtype, w.dtype), np.empty(0, np.float64).dtype)


@jit
def _average_in(a, axis, weights):
    if a.ndim == weights.ndim:
        scl = sum_(weights, axis)
        return _wdiv(sum_(a * weights, axis), scl)
    if axis is None:
        raise TypeError("Axis must be specified when shapes of a and weights differ.")
    k = _axis(axis, a.ndim)
    if weights.ndim != 1 or weights.shape[0] != _dim(a, k):
        raise ValueError("Shape of weights must be consistent with shape of a along specified axis.")
    w = _along(weights, a, k)
    scl = sum_(w, axis)
    return _wdiv(sum_(a * w, axis), scl)


@jit
def _wdiv(s, w):
    if _prim.is_array(w):
        for x in _c_order(w):
            if x == 0.0:
                raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        return s / w
    if w == 0.0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return s / w


@jit
def _along(w, a, k):
    """1-D 'w' shaped to broadcast along axis k of 'a' (2-D only here)."""
    if a.ndim == 2 and k == 0:
        return w[:, None]
    if a.ndim == 2:
        return w[None, :]
    _prim.check_bcast(True)    # not compiled here: 1-D weights of arrays of 3 or more dimensions
    return w[:, None]


# -- math.hypot of n coordinates and math.dist: CPython's vector_norm ----------------------
# Power-of-two scaling, exact squares, compensated sums and one differential
# correction of the square root (Modules/mathmodule.c).  3.12 and later square
# with fma (here: Dekker's exact product, the same value) and keep two running
# fractions; 3.10 and 3.11 split with Veltkamp and keep three
# (targets/native/runtime.c has both for two coordinates).

_PY312 = sys.version_info >= (3, 12)
_TINY = 2.0 ** -1024        # frexp(m)'s exponent is below -1023 under it
_DBL_MIN = 2.2250738585072014e-308


@jit
def _split(t):
    """Veltkamp's split of 't' into 26-bit 'hi' and the rest."""
    c = t * 134217729.0
    hi = c - (c - t)
    return hi, t - hi


@jit
def _sq(t):
    """(p, e): t * t == p + e exactly (fma's error term, by Dekker)."""
    p = t * t
    hi, lo = _split(t)
    return p, ((hi * hi - p) + 2.0 * hi * lo) + lo * lo


@jit
def _exp2of(m):
    """frexp(m)[1] of a positive normal 'm' (at least 2**-1024)."""
    e = int(math.floor(math.log2(m))) + 1
    while m * 2.0 ** -e >= 1.0:
        e += 1
    while m * 2.0 ** -e < 0.5:
        e -= 1
    return e


@jit
def _vn312(v, n, m):
    if m < _TINY:       # subnormals become normal, as CPython's recursion
        for i in range(n):
            v[i] = v[i] / _DBL_MIN
        return _DBL_MIN * _vn312(v, n, m / _DBL_MIN)
    scale = 2.0 ** -_exp2of(m)
    csum = 1.0
    f1 = 0.0
    f2 = 0.0
    for i in range(n):
        p, pl = _sq(v[i] * scale)
        s = csum + p
        f2 += (csum - s) + p
        csum = s
        f1 += pl
    h = math.sqrt(csum - 1.0 + (f1 + f2))
    q, ql = _sq(h)
    s = csum - q
    f2 += (csum - s) - q
    csum = s
    f1 -= ql
    return (h + (csum - 1.0 + (f1 + f2)) / (2.0 * h)) / scale


@jit
def _vn310(v, n, m):
    csum = 1.0
    f1 = 0.0
    if m < _TINY:       # 2**-e would overflow: divide by the largest instead
        for i in range(n):
            x = v[i] / m
            x = x * x
            old = csum
            csum += x
            f1 += (old - csum) + x
        return m * math.sqrt(csum - 1.0 + f1)
    scale = 2.0 ** -_exp2of(m)
    f2 = 0.0
    f3 = 0.0
    for i in range(n):
        hi, lo = _split(v[i] * scale)
        x = hi * hi
        old = csum
        csum += x
        f1 += (old - csum) + x
        x = 2.0 * hi * lo
        old = csum
        csum += x
        f2 += (old - csum) + x
        f3 += lo * lo
    h = math.sqrt(csum - 1.0 + (f1 + f2 + f3))
    hi, lo = _split(h)
    x = -hi * hi
    old = csum
    csum += x
    f1 += (old - csum) + x
    x = -2.0 * hi * lo
    old = csum
    csum += x
    f2 += (old - csum) + x
    x = -lo * lo
    old = csum
    csum += x
    f3 += (old - csum) + x
    x = csum - 1.0 + (f1 + f2 + f3)
    return (h + x / (2.0 * h)) / scale


@jit
def _vnorm(v, n):
    """CPython's vector_norm of the n magnitudes v[:n]."""
    m = 0.0
    nan = False
    for i in range(n):
        x = v[i]
        if x != x:
            nan = True
        elif x > m:
            m = x
    if m == _INF:
        return m
    if nan:
        return _NAN
    if m == 0.0 or n <= 1:
        return m
    if _PY312:
        return _vn312(v, n, m)
    return _vn310(v, n, m)


@jit
def _put_abs(v, n, x):
    if x is None:
        return n
    v[n] = abs(float(x))
    return n + 1


@_impl("math.hypot")
def hypot(a=None, b=None, c=None, d=None, e=None, f=None, g=None, h=None):
    v = np.empty(8, np.float64)
    n = _put_abs(v, 0, a)
    n = _put_abs(v, n, b)
    n = _put_abs(v, n, c)
    n = _put_abs(v, n, d)
    n = _put_abs(v, n, e)
    n = _put_abs(v, n, f)
    n = _put_abs(v, n, g)
    n = _put_abs(v, n, h)
    return _vnorm(v, n)


@_impl("math.dist")
def dist(p, q):
    n = len(p)
    if len(q) != n:
        raise ValueError("both points must have the same number of dimensions")
    v = np.empty(max(n, 1), np.float64)
    for i in range(n):
        v[i] = abs(float(p[i]) - float(q[i]))
    return _vnorm(v, n)


_keepdims("numpy.nansum", "numpy.nanprod", "numpy.nanmean", "numpy.nanvar", "numpy.nanstd", "numpy.nanmax",
          "numpy.nanmin", "numpy.median", "numpy.nanmedian")


# -- conj (the method), take, isin, kron, vander ----------------------------------------------

@_impl("ndarray.conj", "ndarray.conjugate")
def conj_method(a):
    return np.conjugate(a)


@_impl("numpy.take", "ndarray.take")
def take(a, indices):
    """np.take(a, indices) of the flattened 'a' (no axis): a[indices] of its items,
    with fancy indexing's IndexError text, NumPy's (negative indices count back)."""
    f = a.ravel()
    ix = np.asarray(indices)
    if ix.ndim == 0:
        return f[ix[()]]
    return f[ix.ravel()].reshape(ix.shape)


@_impl("numpy.isin")
def isin(element, test_elements, assume_unique=False, invert=False):
    """Which items of 'element' are among 'test_elements' (by ==: NaN is never found),
    by a binary search in the sorted tests, in element's shape."""
    e = np.asarray(element)
    t = np.sort(np.asarray(test_elements).ravel())
    fe = e.ravel()
    n = t.shape[0]
    out = np.empty(fe.shape[0], np.bool_)
    for k in range(fe.shape[0]):
        x = fe[k]
        j = searchsorted(t, x)
        out[k] = (j < n and t[j] == x) != invert
    return out.reshape(e.shape)


@_impl("numpy.kron")
def kron(a, b):
    """The Kronecker product of two arrays of one or two dimensions (a 1-D one is a
    row, as NumPy makes it): out[i*rb + k, j*cb + l] = a[i, j] * b[k, l]; of two 1-D
    arrays the one row."""
    if a.ndim > 2 or b.ndim > 2:
        raise ValueError("Ember's np.kron takes arrays of at most 2 dimensions")
    z = np.zeros(1, a.dtype)[0] * np.zeros(1, b.dtype)[0]
    a2 = a.reshape(1, a.shape[0]) if a.ndim == 1 else a
    b2 = b.reshape(1, b.shape[0]) if b.ndim == 1 else b
    ra, ca = a2.shape
    rb, cb = b2.shape
    out = np.empty((ra * rb, ca * cb), _prim.dtype_of(z))
    for i in range(ra):
        for j in range(ca):
            for k in range(rb):
                for l in range(cb):
                    out[i * rb + k, j * cb + l] = a2[i, j] * b2[k, l]
    if a.ndim == 1 and b.ndim == 1:
        return out.reshape(ca * cb)
    return out


@_impl("numpy.vander")
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-D 'x', in x's dtype promoted with int64; each column
    the one before times x, as NumPy's multiply.accumulate makes them."""
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    n = x.shape[0]
    m = n if N is None else N
    z = np.zeros(1, x.dtype)[0] + np.int64(0)
    out = np.empty((n, m), _prim.dtype_of(z))
    for i in range(n):
        p = _prim.dtype_of(z).type(1)
        xi = _prim.dtype_of(z).type(x[i])
        for k in range(m):
            out[i, k if increasing else m - 1 - k] = p
            p = xi if k == 0 else p * xi
    return out


from . import _lib_gaps  # noqa: E402,F401  (registers its functions in _IMPL)
