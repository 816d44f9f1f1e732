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
    f = _IMPL.get(name)
    if f is None and name.startswith("ew."):
        f = _IMPL[name] = _ew(name)
    return f


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
        return t(-_NAN)        # the processor's default NaN, as NumPy's sqrt
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


@jit
def _to_integral(x, kind):
    """NumPy's floor (kind 0), ceil (1) or trunc (2) of x: an integer stays an
    integer; nan and inf pass through; a zero result keeps x's sign."""
    if not _prim.inexact(x):             # NumPy 2: an integer stays an integer
        return _prim.dtype_of(x).type(x)
    t = _prim.float_dtype(x)
    if x != x or x == _INF or x == -_INF:
        return t(x)
    r = t(math.floor(x) if kind == 0 else math.ceil(x) if kind == 1 else math.trunc(x))
    return t(math.copysign(0.0, x)) if r == 0 else r


@_impl("numpy.floor")
def np_floor(x):
    return _to_integral(x, 0)


@_impl("numpy.ceil")
def np_ceil(x):
    return _to_integral(x, 1)


@_impl("numpy.trunc")
def np_trunc(x):
    return _to_integral(x, 2)


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
    t = _prim.dtype_of(a + b).type        # NaN propagates; a tie (-0.0, 0.0) gives b, as NumPy
    if a != a or a < b:
        return t(a)
    return t(b)


@_impl("numpy.maximum")
def np_maximum(a, b):
    t = _prim.dtype_of(a + b).type
    if a != a or a > b:
        return t(a)
    return t(b)


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


# -- Whole-array expressions ----------------------------------------------------
# infer turns `a + b`, `-a`, `a < b` (an operand an array) and np.exp(a),
# np.minimum(a, b), np.where(c, a, b), np.clip(a, lo, hi) (an argument an
# array) into calls of "ew.<op>.<T>.<RT>": T is the NumPy dtype (NEP 50) the
# operands are converted to, RT the result's.  resolve() writes the loop for
# each such name once (below): the result is allocated with the broadcast
# shape; C-contiguous operands of the result's shape (and scalars) are walked
# as flat 1-D arrays, anything else by a loop per dimension, recursively.
# The element operations follow NumPy, not Python: no exception; a float
# divided by zero is inf or nan, an integer one is 0.

@jit
def _bd(x, y):
    """The broadcast of dimensions x and y (ValueError when neither is 1 and they differ)."""
    if x == y or y == 1:
        return x
    _prim.check_bcast(x != 1)
    return y


@jit
def _tdiv(x, y):
    """x / y as NumPy's true_divide: a zero divisor gives inf or nan (the sign of x and of y)."""
    if y == 0:
        if x != x:
            return x
        if x == 0:
            return (x - x) + -_NAN          # the processor's default NaN (negative), as 0.0 / 0.0
        r = x * _INF
        if math.copysign(1.0, y) < 0:
            return -r
        return r
    return x / y


@jit
def _fdv(x, y):
    """x // y as NumPy's floor_divide: an integer zero divisor gives 0, a float one x / 0."""
    if y == 0:
        if _prim.inexact(x):
            return _tdiv(x, y)
        return x - x
    return x // y


@jit
def _fmd(x, y):
    """x % y as NumPy's remainder: a zero divisor gives 0 (integers) or nan (floats)."""
    if y == 0:
        if _prim.inexact(x):
            if x != x:
                return x
            return (x - x) + -_NAN          # fmod(x, 0): the default NaN
        return x - x
    return x % y


@jit
def _clip(x, lo, hi):
    """NumPy's clip: max then min, a NaN operand propagates (x first), -0.0 against 0.0 takes the bound."""
    if x != x:
        return x
    m = x if x > lo else lo
    if m != m:
        return m
    return m if m < hi else hi


@jit
def _pw(x, y):
    """x ** y as NumPy's power (C's pow): no exception; a domain error is nan, an overflow inf."""
    if not _prim.inexact(x):
        return x ** y
    if y == 0 or x == 1:
        return _prim.dtype_of(x).type(1)
    if x != x or y != y:
        return x + y
    fx = x - x == 0
    fy = y - y == 0
    if fy and x < 0 and fx and math.floor(y) != y:
        return (x - x) + -_NAN
    odd = fy and math.floor(y) == y and math.fmod(y, 2.0) != 0
    if x == 0 and y < 0:
        if odd and math.copysign(1.0, x) < 0:
            return x - x - _INF
        return x - x + _INF
    if fx and fy and x != 0 and y * math.log(abs(x)) > 709.782712893384:
        if odd and x < 0:
            return x - x - _INF
        return x - x + _INF
    return x ** y


_BINEXPR = {
    "add": "x + y", "sub": "x - y", "mul": "x * y", "truediv": "_tdiv(x, y)",
    "floordiv": "_fdv(x, y)", "mod": "_fmd(x, y)", "pow": "_pw(x, y)", "cpow": "x ** y", "ctruediv": "x / y",
    "lt": "x < y", "le": "x <= y", "gt": "x > y", "ge": "x >= y", "eq": "x == y", "ne": "x != y",
    "band": "x & y", "bor": "x | y", "bxor": "x ^ y", "lshift": "x << y", "rshift": "x >> y",
    "numpy.minimum": "np_minimum(x, y)", "numpy.maximum": "np_maximum(x, y)",
    "numpy.arctan2": "np_arctan2(x, y)", "numpy.hypot": "np_hypot(x, y)",
}
_UNEXPR = {"neg": "-x", "pos": "+x", "invert": "~x"}
_UNFN = {
    "abs": "np_abs", "absolute": "np_abs", "exp": "np_exp", "expm1": "np_expm1", "log": "np_log",
    "log2": "np_log2", "log10": "np_log10", "log1p": "np_log1p", "sqrt": "np_sqrt", "sin": "np_sin",
    "cos": "np_cos", "tan": "np_tan", "arcsin": "np_arcsin", "arccos": "np_arccos", "arctan": "np_arctan",
    "tanh": "np_tanh", "sinh": "np_sinh", "cosh": "np_cosh", "floor": "np_floor", "ceil": "np_ceil",
    "trunc": "np_trunc", "square": "np_square", "isnan": "np_isnan", "isinf": "np_isinf",
    "isfinite": "np_isfinite",
}
_MAXND = 4


def _bshape_src(names):
    """Source of the broadcast shape of arrays 'names' (each of at most _MAXND dimensions)."""
    import itertools
    lines = []
    for nds in itertools.product(range(_MAXND + 1), repeat=len(names)):
        nd = max(nds)
        cond = " and ".join(f"{n}.ndim == {k}" for n, k in zip(names, nds))
        dims = []
        for d in range(nd):
            parts = [f"{n}.shape[{d - (nd - k)}]" for n, k in zip(names, nds) if d >= nd - k]
            e = parts[0]
            for p in parts[1:]:
                e = f"_bd({e}, {p})"
            dims.append(e)
        tup = "(" + "".join(x + ", " for x in dims) + ")"
        lines.append(f"    if {cond}:\n        return {tup}")
    return lines


def _gen(name, nops, conv, rt, expr, into=None):
    """Define the loop for one "ew." name: operands a0.., converted by 'conv' (a NumPy type's
    source, one per operand), combined by 'expr' of x, y, z; the result's dtype is 'rt'.
    With 'into' (a NumPy type's source), the result is written into the array a0 itself,
    converted to its dtype 'into', as NumPy's `a0 op= a1` does; a1 is read from a copy,
    so an a1 that overlaps a0 reads the old values, as NumPy guarantees."""
    import itertools
    ops = [f"a{i}" for i in range(nops)]
    vs = "xyz"[:nops]
    key = name.replace(".", "_")
    src = []
    # the recursive loop over dimensions: out has the broadcast shape, operands at most its ndim
    src.append(f"def _lp_{key}(out, {', '.join(ops)}):")
    src.append("    n = out.shape[0]")
    for i, o in enumerate(ops):
        src.append(f"    s{i} = 1")
        src.append(f"    if {o}.ndim == out.ndim:")
        src.append(f"        s{i} = 1 if {o}.shape[0] != 1 else 0")
    src.append("    if out.ndim == 1:")
    for full in itertools.product([True, False], repeat=nops):
        cond = " and ".join(f"{o}.ndim {'==' if f else '!='} 1" for o, f in zip(ops, full))
        src.append(f"        if {cond}:")
        for i, (o, f) in enumerate(zip(ops, full)):
            if not f:
                src.append(f"            {vs[i]} = {conv[i]}({o}[()])")
        src.append("            for i in range(n):")
        for i, (o, f) in enumerate(zip(ops, full)):
            if f:
                src.append(f"                {vs[i]} = {conv[i]}({o}[i * s{i}])")
        src.append(f"                out[i] = {expr}")
        src.append("            return")
    src.append("        return")
    for full in itertools.product([True, False], repeat=nops):
        cond = " and ".join(f"{o}.ndim {'==' if f else '!='} out.ndim" for o, f in zip(ops, full))
        args = ", ".join(f"{o}[i * s{i}]" if f else o for i, (o, f) in enumerate(zip(ops, full)))
        src.append(f"    if {cond}:")
        src.append("        for i in range(n):")
        src.append(f"            _lp_{key}(out[i], {args})")
    src.append("")
    # the entry: scalars become 0-d arrays; a flat loop where every operand allows one
    src.append(f"def _ew_{key}({', '.join(ops)}):")
    for i, o in enumerate(ops):
        src.append(f"    if _prim.is_array({o}):")
        src.append(f"        b{i} = {o}")
        src.append("    else:")
        src.append(f"        b{i} = np.empty((), {conv[i]})")
        src.append(f"        b{i}[()] = {o}")
    bs = [f"b{i}" for i in range(nops)]
    if into:
        expr = f"{into}({expr})"
        src[-4:] = [f"        b1 = {ops[1]}.copy()", "    else:", f"        b1 = np.empty((), {conv[1]})",
                    f"        b1[()] = {ops[1]}"]
        src.append(f"    _prim.check_bcast(_bshape_{nops}({', '.join(bs)}) != b0.shape)")
        src.append("    out = b0")
    else:
        src.append(f"    out = np.empty(_bshape_{nops}({', '.join(bs)}), {rt})")
    src.append("    if out.ndim == 0:")
    src.append("        " + "; ".join(f"{vs[i]} = {conv[i]}({b}[()])" for i, b in enumerate(bs)))
    if into:
        src.append(f"        out[()] = {expr}")
        src.append("        return out")
    else:
        src.append(f"        return {expr}")     # NumPy gives a scalar
    flatok = " and ".join(f"({b}.ndim == 0 or ({b}.ndim == out.ndim and _prim.c_contiguous({b})))" for b in bs)
    src.append(f"    if {flatok}:")
    src.append("        if " + " and ".join(f"({b}.ndim == 0 or {b}.size == out.size)" for b in bs) + ":")
    src.append(f"            _flat_{key}(_prim.flat(out), {', '.join(bs)})")
    src.append("            return out")
    src.append(f"    _lp_{key}(out, {', '.join(bs)})")
    src.append("    return out")
    src.append("")
    src.append(f"def _flat_{key}(fo, {', '.join(bs)}):")
    for full in itertools.product([True, False], repeat=nops):
        cond = " and ".join(f"{b}.ndim {'!=' if f else '=='} 0" for b, f in zip(bs, full))
        src.append(f"    if {cond}:")
        for i, (b, f) in enumerate(zip(bs, full)):
            if f:
                src.append(f"        f{i} = _prim.flat({b})")
            else:
                src.append(f"        {vs[i]} = {conv[i]}({b}[()])")
        src.append("        for i in range(fo.shape[0]):")
        for i, (b, f) in enumerate(zip(bs, full)):
            if f:
                src.append(f"            {vs[i]} = {conv[i]}(f{i}[i])")
        src.append(f"            fo[i] = {expr}")
        src.append("        return")
    ns = {}
    exec(compile("\n".join(src) + "\n", f"<ember._lib ew {name}>", "exec"), globals(), ns)
    for k, f in ns.items():
        globals()[k] = jit(f)
    return globals()[f"_ew_{key}"]


def _gen_bshape(nops):
    names = [f"a{i}" for i in range(nops)]
    src = [f"def _bshape_{nops}({', '.join(names)}):"] + _bshape_src(names)
    ns = {}
    exec(compile("\n".join(src) + "\n", f"<ember._lib bshape {nops}>", "exec"), globals(), ns)
    globals()[f"_bshape_{nops}"] = jit(ns[f"_bshape_{nops}"])


for _n in (1, 2, 3):
    _gen_bshape(_n)


def _ew(name):
    """The loop for "ew.<op>.<T>.<RT>" or "ew.numpy.<f>.<T>", written once, or None."""
    parts = name.split(".")
    if parts[1] == "numpy":
        f, t = parts[2], "np." + parts[3]
        if f in _UNFN:
            return _gen(name, 1, [t], f"_prim.dtype_of({_UNFN[f]}({t}(0)))", f"{_UNFN[f]}(x)")
        if "numpy." + f in _BINEXPR:
            e = _BINEXPR["numpy." + f]
            z = t + "(0)"
            return _gen(name, 2, [t, t], f"_prim.dtype_of({e.replace('(x, y)', f'({z}, {z})')})", e)
        if f == "where":
            return _gen(name, 3, ["np.bool_", t, t], t, "y if x else z")
        if f == "clip":
            return _gen(name, 3, [t, t, t], t, "_clip(x, y, z)")
        return None
    if parts[1] == "into":   # "ew.into.<op>.<T>.<RT>.<OT>": a0 op= a1 into a0 of dtype OT
        op, t, rt, ot = parts[2], "np." + parts[3], "np." + parts[4], "np." + parts[5]
        if op in _BINEXPR:
            return _gen(name, 2, [t, t], rt, _BINEXPR[op], into=ot)
        return None
    op, t, rt = parts[1], "np." + parts[2], "np." + parts[3]
    if op in _BINEXPR:
        return _gen(name, 2, [t, t], rt, _BINEXPR[op])
    if op in _UNEXPR:
        return _gen(name, 1, [t], rt, _UNEXPR[op])
    return None
