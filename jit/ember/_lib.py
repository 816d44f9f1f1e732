"""ember._lib: NumPy functions and array methods, written with ember.jit.

infer asks IrHost.resolve for "numpy.<name>" (a function of the numpy
module), "ndarray.<name>" (an array method; the array is the first
argument) and "builtins.<name>" (a Python builtin given NumPy values);
jit/array.c calls resolve() below, which returns the ember.jit function
that implements it.  These are compiled per argument types like any user
function, so they are ordinary, tested Python; only allocation (np.empty),
views, element access and the few helpers of ember._prim are primitives of
the compiler.

Results follow NumPy exactly where its algorithm is known: sums are
pairwise like NumPy's (blocks of 8, halves above 128 elements) over the
elements in memory order, min and max propagate NaN, argmin and argmax give
the first position (of a NaN, if any).  dot sums in index order, where
NumPy calls BLAS, so float dot products may differ in the last bits.
Only axis=None reductions exist so far.

Imported on the first such call only (by then NumPy is loaded).
"""
import math

import numpy as np

from . import _prim
from . import jit

_IMPL = {}


def _impl(*names):
    """Register the decorated function (compiled with ember.jit) under 'names'."""
    def deco(f):
        d = jit(f)
        for n in names:
            _IMPL[n] = d
        return d
    return deco


def resolve(name):
    """The ember.jit function that implements 'name', or None."""
    return _IMPL.get(name)


# -- Python builtins on NumPy scalars ------------------------------------------

@_impl("builtins.abs", "generic.__abs__")
def _abs(x):
    if x < 0:
        return -x
    return x + 0          # -0.0 becomes 0.0


@_impl("numpy.abs", "numpy.absolute")
def np_abs(x):
    return _prim.dtype_of(x).type(_abs(x))


@_impl("builtins.min")
def _min(a, b):
    return b if b < a else a


@_impl("builtins.max")
def _max(a, b):
    return b if b > a else a


# -- NumPy's math functions on scalars ------------------------------------------
# NumPy's semantics: no exception; a domain error is nan, an overflow inf.
# float32 stays float32 (computed in float64 and rounded, where NumPy calls
# the float32 C function: the last bit may differ); the rest is float64.

_INF = math.inf
_NAN = math.nan


@_impl("numpy.sqrt")
def np_sqrt(x):
    t = _prim.float_dtype(x)
    if x < 0:
        return t(_NAN)
    return t(math.sqrt(x))


@_impl("numpy.exp")
def np_exp(x):
    t = _prim.float_dtype(x)
    if x > 709.782712893384:
        return t(_INF)
    return t(math.exp(x))


@_impl("numpy.expm1")
def np_expm1(x):
    t = _prim.float_dtype(x)
    if x > 709.782712893384:
        return t(_INF)
    return t(math.expm1(x))


@jit
def _log_guard(x):
    """x if it is NaN, nan below 0, -inf at 0, or 0.0 when math.log can take x."""
    if x != x:
        return x + 0.0
    if x < 0:
        return _NAN
    if x == 0:
        return -_INF
    return 0.0


@_impl("numpy.log")
def np_log(x):
    t = _prim.float_dtype(x)
    g = _log_guard(x)
    if g != 0.0 or g != g:
        return t(g)
    return t(math.log(x))


@_impl("numpy.log2")
def np_log2(x):
    t = _prim.float_dtype(x)
    g = _log_guard(x)
    if g != 0.0 or g != g:
        return t(g)
    return t(math.log2(x))


@_impl("numpy.log10")
def np_log10(x):
    t = _prim.float_dtype(x)
    g = _log_guard(x)
    if g != 0.0 or g != g:
        return t(g)
    return t(math.log10(x))


@_impl("numpy.log1p")
def np_log1p(x):
    t = _prim.float_dtype(x)
    g = _log_guard(x + 1.0)
    if g != 0.0 or g != g:
        return t(g)
    return t(math.log1p(x))


@_impl("numpy.sin")
def np_sin(x):
    t = _prim.float_dtype(x)
    if x == _INF or x == -_INF:
        return t(_NAN)
    return t(math.sin(x))


@_impl("numpy.cos")
def np_cos(x):
    t = _prim.float_dtype(x)
    if x == _INF or x == -_INF:
        return t(_NAN)
    return t(math.cos(x))


@_impl("numpy.tan")
def np_tan(x):
    t = _prim.float_dtype(x)
    if x == _INF or x == -_INF:
        return t(_NAN)
    return t(math.tan(x))


@_impl("numpy.arcsin")
def np_arcsin(x):
    t = _prim.float_dtype(x)
    if x > 1 or x < -1:
        return t(_NAN)
    return t(math.asin(x))


@_impl("numpy.arccos")
def np_arccos(x):
    t = _prim.float_dtype(x)
    if x > 1 or x < -1:
        return t(_NAN)
    return t(math.acos(x))


@_impl("numpy.arctan")
def np_arctan(x):
    return _prim.float_dtype(x)(math.atan(x))


@_impl("numpy.tanh")
def np_tanh(x):
    return _prim.float_dtype(x)(math.tanh(x))


@_impl("numpy.sinh")
def np_sinh(x):
    t = _prim.float_dtype(x)
    if x > 710.4758600739439:
        return t(_INF)
    if x < -710.4758600739439:
        return t(-_INF)
    return t(math.sinh(x))


@_impl("numpy.cosh")
def np_cosh(x):
    t = _prim.float_dtype(x)
    if x > 710.4758600739439 or x < -710.4758600739439:
        return t(_INF)
    return t(math.cosh(x))


@_impl("numpy.arctan2")
def np_arctan2(y, x):
    return _prim.float_dtype(y + x)(math.atan2(y, x))


@_impl("numpy.hypot")
def np_hypot(x, y):
    return _prim.float_dtype(x + y)(math.hypot(x, y))


@_impl("numpy.floor")
def np_floor(x):
    if not _prim.inexact(x):             # NumPy 2: an integer stays an integer
        return _prim.dtype_of(x).type(x)
    t = _prim.float_dtype(x)
    if x != x or x == _INF or x == -_INF:
        return t(x)
    r = t(math.floor(x))
    return t(math.copysign(0.0, x)) if r == 0 else r


@_impl("numpy.ceil")
def np_ceil(x):
    if not _prim.inexact(x):             # NumPy 2: an integer stays an integer
        return _prim.dtype_of(x).type(x)
    t = _prim.float_dtype(x)
    if x != x or x == _INF or x == -_INF:
        return t(x)
    r = t(math.ceil(x))
    return t(math.copysign(0.0, x)) if r == 0 else r


@_impl("numpy.trunc")
def np_trunc(x):
    if not _prim.inexact(x):             # NumPy 2: an integer stays an integer
        return _prim.dtype_of(x).type(x)
    t = _prim.float_dtype(x)
    if x != x or x == _INF or x == -_INF:
        return t(x)
    r = t(math.trunc(x))
    return t(math.copysign(0.0, x)) if r == 0 else r


@_impl("numpy.isnan")
def np_isnan(x):
    return x != x


@_impl("numpy.isinf")
def np_isinf(x):
    return x == _INF or x == -_INF


@_impl("numpy.isfinite")
def np_isfinite(x):
    return x == x and x != _INF and x != -_INF


@_impl("numpy.square")
def np_square(x):
    return _prim.dtype_of(x).type(x * x)


@_impl("numpy.minimum")
def np_minimum(a, b):
    t = _prim.dtype_of(a + b).type        # NaN propagates; the result has the promoted type
    if b != b or b < a:
        return t(b)
    return t(a)


@_impl("numpy.maximum")
def np_maximum(a, b):
    t = _prim.dtype_of(a + b).type
    if b != b or b > a:
        return t(b)
    return t(a)


# -- Sums -----------------------------------------------------------------------

@jit
def _pairwise(a, lo, n, s):
    """s + the pairwise sum of a[lo:lo+n] (NumPy's pairwise_sum, 1-D)."""
    if n < 8:
        r = s - s
        for i in range(lo, lo + n):
            r += a[i]
        return s + r
    if n <= 128:
        r0 = s - s + a[lo]
        r1 = s - s + a[lo + 1]
        r2 = s - s + a[lo + 2]
        r3 = s - s + a[lo + 3]
        r4 = s - s + a[lo + 4]
        r5 = s - s + a[lo + 5]
        r6 = s - s + a[lo + 6]
        r7 = s - s + a[lo + 7]
        i = 8
        m = n - n % 8
        while i < m:
            r0 += a[lo + i]
            r1 += a[lo + i + 1]
            r2 += a[lo + i + 2]
            r3 += a[lo + i + 3]
            r4 += a[lo + i + 4]
            r5 += a[lo + i + 5]
            r6 += a[lo + i + 6]
            r7 += a[lo + i + 7]
            i += 8
        r = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            r += a[lo + i]
            i += 1
        return s + r
    n2 = n // 2
    n2 -= n2 % 8
    return s + (_pairwise(a, lo, n2, s - s) + _pairwise(a, lo + n2, n - n2, s - s))


@jit
def _pairwise1(a, s):
    """s + the pairwise sum of 1-D 'a' in memory order (a negative stride is walked backwards)."""
    if a.strides[0] < 0:
        a = a[::-1]
    return _pairwise(a, 0, a.shape[0], s)


@jit
def _sum_rows(a, s):
    """s + the sum of every element of 'a': rows in C order, each pairwise."""
    if a.ndim == 1:
        return _pairwise1(a, s)
    for row in a:
        s = _sum_rows(row, s)
    return s


@jit
def _sum_any(a, s):
    """s + the sum of every element, in NumPy's order: memory order for contiguous arrays."""
    if a.ndim == 0:
        return s + a[()]
    if _prim.contiguous(a):
        return _pairwise(_prim.flat(a), 0, a.size, s)
    return _sum_rows(a, s)


@jit
def _c_order(a):
    """The elements of 'a' as a 1-D array in C order: a view when C-contiguous, else a copy."""
    if _prim.c_contiguous(a):
        return _prim.flat(a)
    return _prim.flat(copy(a))


@jit
def _mem_order(a):
    """The elements of 'a' as a 1-D array: memory order when contiguous, else a C-order copy."""
    if _prim.contiguous(a):
        return _prim.flat(a)
    return _prim.flat(copy(a))


@_impl("ndarray.sum", "numpy.sum")
def sum_(a, axis=None):
    return _sum_any(a, _prim.sum_zero(a))


# -- Other reductions --------------------------------------------------------

@jit
def _prod_rows(a, p):
    if a.ndim == 1:
        if a.strides[0] < 0:
            a = a[::-1]
        for x in a:
            p *= x
        return p
    for row in a:
        p = _prod_rows(row, p)
    return p


@_impl("ndarray.prod", "numpy.prod")
def prod(a, axis=None):
    p = _prim.sum_zero(a) + 1
    if a.ndim == 0:
        return p * a[()]
    if _prim.contiguous(a):
        for x in _prim.flat(a):
            p *= x
        return p
    return _prod_rows(a, p)


@_impl("ndarray.mean", "numpy.mean")
def mean(a, axis=None):
    z = _prim.mean_zero(a)
    if _prim.inexact(a):
        return _sum_any(a, z) / a.size
    f = _mem_order(a)        # ints are cast to float64 in buffers of 8192, each summed pairwise
    n = f.shape[0]
    for lo in range(0, n, 8192):
        z = _pairwise(f, lo, min(8192, n - lo), z)
    return z / n


@_impl("ndarray.max", "numpy.max", "numpy.amax")
def max_(a, axis=None):
    _prim.check_nonempty(a)
    f = _c_order(a)
    m = f[0]
    for x in f:
        if x >= m or x != x:   # a tie takes the later item, as NumPy's loops (-0.0 against 0.0)
            m = x
            if x != x:
                return m
    return m


@_impl("ndarray.min", "numpy.min", "numpy.amin")
def min_(a, axis=None):
    _prim.check_nonempty(a)
    f = _c_order(a)
    m = f[0]
    for x in f:
        if x <= m or x != x:
            m = x
            if x != x:
                return m
    return m


@_impl("ndarray.argmax", "numpy.argmax")
def argmax(a, axis=None):
    _prim.check_nonempty(a)
    f = _c_order(a)
    k = np.intp(0)
    m = f[0]
    if m != m:
        return k
    for i in range(1, f.shape[0]):
        x = f[i]
        if x > m or x != x:
            m = x
            k = i
            if x != x:
                return k
    return k


@_impl("ndarray.argmin", "numpy.argmin")
def argmin(a, axis=None):
    _prim.check_nonempty(a)
    f = _c_order(a)
    k = np.intp(0)
    m = f[0]
    if m != m:
        return k
    for i in range(1, f.shape[0]):
        x = f[i]
        if x < m or x != x:
            m = x
            k = i
            if x != x:
                return k
    return k


@_impl("ndarray.cumsum", "numpy.cumsum")
def cumsum(a, axis=None):
    s = _prim.sum_zero(a)
    f = _c_order(a)
    out = np.empty(f.shape[0], _prim.dtype_of(s))
    if f.shape[0]:
        s += f[0]
        s = f[0] if s == f[0] else s        # the first item as it is (-0.0 stays -0.0), as accumulate
        out[0] = s
    for i in range(1, f.shape[0]):
        s += f[i]
        out[i] = s
    return out


# -- dot --------------------------------------------------------------------

@jit
def _dot11(a, b):
    s = a.dtype.type(0) * b.dtype.type(0)
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


@_impl("ndarray.dot", "numpy.dot")
def dot(a, b):
    if a.ndim == 1 and b.ndim == 1:
        if a.shape[0] != b.shape[0]:
            return _dot_mismatch(a, b)
        return _dot11(a, b)
    if a.ndim == 2 and b.ndim == 1:
        return _dot21(a, b)
    return _dot22(a, b)


@jit
def _dot_mismatch(a, b):
    _prim.check_nonempty(a[:0])
    return a[0] * b[0]


@jit
def _dot21(a, b):
    z = a.dtype.type(0) * b.dtype.type(0)
    out = np.empty(a.shape[0], _prim.dtype_of(z))
    for i in range(a.shape[0]):
        s = z
        for k in range(a.shape[1]):
            s += a[i, k] * b[k]
        out[i] = s
    return out


@jit
def _dot22(a, b):
    z = a.dtype.type(0) * b.dtype.type(0)
    n, m, p = a.shape[0], a.shape[1], b.shape[1]
    out = np.empty((n, p), _prim.dtype_of(z))
    for i in range(n):
        for j in range(p):
            out[i, j] = z
        for k in range(m):
            x = a[i, k]
            for j in range(p):
                out[i, j] += x * b[k, j]
    return out


# -- Copies and fills -----------------------------------------------------------

@jit
def _fill_rows(a, v):
    if a.ndim == 1:
        for i in range(a.shape[0]):
            a[i] = v
    else:
        for row in a:
            _fill_rows(row, v)


@_impl("ndarray.fill")
def fill(a, v):
    if a.ndim == 0:
        a[()] = v
    else:
        _fill_rows(a, v)


@jit
def _copy_rows(dst, src):
    if src.ndim == 1:
        for i in range(src.shape[0]):
            dst[i] = src[i]
    else:
        for i in range(src.shape[0]):
            _copy_rows(dst[i], src[i])


@_impl("ndarray.copy", "numpy.copy")
def copy(a):
    out = np.empty(a.shape, a.dtype)
    if a.ndim == 0:
        out[()] = a[()]
    else:
        _copy_rows(out, a)
    return out


@_impl("ndarray.astype")
def astype(a, dtype):
    out = np.empty(a.shape, dtype)
    if a.ndim == 0:
        out[()] = a[()]
    else:
        _copy_rows(out, a)
    return out


# -- Creation ------------------------------------------------------------------

@_impl("numpy.zeros")
def zeros(shape, dtype=None):
    a = np.empty(shape, dtype)
    fill(a, 0)
    return a


@_impl("numpy.ones")
def ones(shape, dtype=None):
    a = np.empty(shape, dtype)
    fill(a, 1)
    return a


@_impl("numpy.full")
def full(shape, fill_value, dtype=None):
    if dtype is None:
        a = np.empty(shape, _prim.dtype_of(fill_value))
    else:
        a = np.empty(shape, dtype)
    fill(a, fill_value)
    return a


@_impl("numpy.empty_like")
def empty_like(a, dtype=None):
    if dtype is None:
        return np.empty(a.shape, a.dtype)
    return np.empty(a.shape, dtype)


@_impl("numpy.zeros_like")
def zeros_like(a, dtype=None):
    if dtype is None:
        return zeros(a.shape, a.dtype)
    return zeros(a.shape, dtype)


@_impl("numpy.ones_like")
def ones_like(a, dtype=None):
    if dtype is None:
        return ones(a.shape, a.dtype)
    return ones(a.shape, dtype)


@_impl("numpy.full_like")
def full_like(a, fill_value, dtype=None):
    if dtype is None:
        return full(a.shape, fill_value, a.dtype)
    return full(a.shape, fill_value, dtype)


@_impl("numpy.arange")
def arange(start, stop=None, step=None, dtype=None):
    if stop is None:
        return _arange(0, start, 1, dtype)
    if step is None:
        return _arange(start, stop, 1, dtype)
    return _arange(start, stop, step, dtype)


@jit
def _arange(start, stop, step, dtype):
    n = _arange_len(start, stop, step)
    if dtype is None:
        a = np.empty(n, _prim.dtype_of(start + stop + step))
    else:
        a = np.empty(n, dtype)
    if n > 0:
        a[0] = start
    if n > 1:
        x1 = start + step
        a[1] = x1
        d = a[1] - a[0]
        for i in range(2, n):
            a[i] = a[0] + i * d
    return a


@jit
def _arange_len(start, stop, step):
    q = (stop - start) / step
    n = int(q)
    if n < q:
        n += 1
    return n if n > 0 else 0


@_impl("numpy.linspace")
def linspace(start, stop, num=50, endpoint=True):
    div = num - 1 if endpoint else num
    a = np.empty(num)
    delta = stop - start
    step = delta / div if div > 0 else delta
    for i in range(num):
        if div > 0 and step != 0:
            a[i] = i * step + start
        elif div > 0:
            a[i] = (i / div) * delta + start
        else:
            a[i] = i * delta + start
    if endpoint and num > 1:
        a[num - 1] = stop
    return a


@_impl("numpy.eye", "numpy.identity")
def eye(N, M=None, k=0, dtype=None):
    m = N if M is None else M
    a = zeros((N, m), dtype)
    for i in range(N):
        j = i + k
        if 0 <= j < m:
            a[i, j] = 1
    return a
