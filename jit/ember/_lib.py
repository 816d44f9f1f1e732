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
the first position (of a NaN, if any).  dot and matmul of float and complex
arrays call NumPy's own BLAS as NumPy does (ember._lib_blas); below its
size, and for other dtypes, they sum in index order.
Reductions take axis=None, an int axis (see "Reductions along an axis") or
a tuple of axes, and keepdims (see "Reductions over several axes").

Imported on the first such call only (by then NumPy is loaded).
"""
import importlib
import math
import re
import sys

import numpy as np

from . import _prim
from . import jit
from ._lib_blas import SMALL as _BLAS_SMALL, dot1 as _blas_dot1, mm as _blas_mm, mv as _blas_mv, vm as _blas_vm

_IMPL = {}


def _impl(*names):
    """Register the decorated function (compiled with ember.jit) under 'names'."""
    def deco(f):
        d = jit(f)
        for n in names:
            _IMPL[n] = d
        return d
    return deco


# Modules that register more names in _IMPL, imported in this order on the
# first name _IMPL lacks: importing all with this one took 12 ms (_lib_more 30)
# of the first call of every function using arrays, which mostly needs only this one.
_LAZY = ("_lib_shape", "_lib_list", "_lib_more", "_lib_more2")


def resolve(name):
    """The ember.jit function that implements 'name', or None."""
    f = _IMPL.get(name)
    if f is None and not name.startswith("ew."):
        for mod in _LAZY:
            if f is None and "ember." + mod not in sys.modules:
                importlib.import_module("." + mod, __package__)   # registers its functions in _IMPL
                f = _IMPL.get(name)
    if f is None and name.startswith("numpy.linalg."):
        from . import _lib_linalg  # noqa: F401  (registers its functions in _IMPL on first use)
        f = _IMPL.get(name)
    elif f is None and name.startswith("dict."):
        from . import _lib_dict  # noqa: F401  (as _lib_linalg)
        f = _IMPL.get(name)
    elif f is None and name.startswith("numpy.random."):
        from . import _lib_random  # noqa: F401  (as _lib_linalg)
        f = _IMPL.get(name)
    elif f is None and name.endswith(":keepdims"):
        f = _keepdims_fn(name)
        if f is not None:
            _IMPL[name] = f
    elif f is None and (name.startswith("ew.fuse.") or name.startswith("ew.fred.")):
        f = _IMPL[name] = _fz_gen(name)
    elif f is None and name.startswith("ew."):
        f = _IMPL[name] = _ew(name)
    return f


# -- Python builtins on NumPy scalars ------------------------------------------

@_impl("builtins.abs", "generic.__abs__")
def _abs(x):
    if _prim.inexact(x) and not _prim.floating(x):
        return _cabs64(x)
    if x < 0:
        return -x
    return x + 0          # -0.0 becomes 0.0


@jit
def _cabs64(z):
    """abs of an np.complex64 as NumPy's (glibc's hypotf): the float32 of the double
    sqrt(re*re + im*im), exact products; inf where a part is infinite, even with a NaN."""
    re = float(z.real)
    im = float(z.imag)
    if math.isinf(re) or math.isinf(im):
        return np.float32(math.inf)
    return np.float32(math.sqrt(re * re + im * im))


@jit
def _np_cabs(z):
    """NumPy's absolute of a complex (its SIMD loop, for scalars too): larger * sqrt(fma(r, r,
    1)), r = smaller / larger of the parts' magnitudes, in the parts' float type; inf where a
    part is infinite, else nan where one is nan.  The fma of float64: 1 + r*r rounded once,
    r*r split exactly (Dekker) and its error added last (1 >= r*r: Fast2Sum)."""
    re = abs(z.real)
    im = abs(z.imag)
    f32 = _prim.dtype_of(z) == np.complex64
    if re == _INF or im == _INF:
        return np.float32(_INF) if f32 else _INF
    if re != re or im != im:
        return re + im
    big = max(re, im)
    if big == 0:
        return big
    r = min(re, im) / big
    if f32:
        return np.sqrt(np.float32(1.0 + float(r) * float(r))) * big
    p = r * r
    c = 134217729.0 * r
    hi = c - (c - r)
    lo = r - hi
    e = ((hi * hi - p) + 2.0 * hi * lo) + lo * lo
    s = 1.0 + p
    return math.sqrt(s + (((1.0 - s) + p) + e)) * big


@_impl("numpy.abs", "numpy.absolute")
def np_abs(x):
    """NumPy's absolute: of a complex its real magnitude (_np_cabs), else abs in x's dtype."""
    if _prim.inexact(x) and not _prim.floating(x):
        return _np_cabs(x)
    return _prim.dtype_of(x).type(_abs(x))


@_impl("builtins.min")
def _min(a, b=None, c=None, d=None, e=None, f=None, g=None, h=None):
    """Python's min of up to 8 values, or of one tuple or 1-D array (see "Python builtins
    of tuples and arrays"): the first of equal items, an item replacing the best so far
    only when `item < best` (a NaN first stays, a later NaN is passed over)."""
    if b is None:
        return _min_a(a) if _prim.is_array(a) else _min_t(a)
    return _min_n(a, b, c, d, e, f, g, h)


@_impl("builtins.max")
def _max(a, b=None, c=None, d=None, e=None, f=None, g=None, h=None):
    """Python's max: as _min with `item > best`."""
    if b is None:
        return _max_a(a) if _prim.is_array(a) else _max_t(a)
    return _max_n(a, b, c, d, e, f, g, h)


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
    integer; nan, inf and floats from 2**52 on (integral already) pass through; a
    zero result keeps x's sign (IEEE's functions do all that)."""
    if not _prim.inexact(x):             # NumPy 2: an integer stays an integer
        return _prim.dtype_of(x).type(x)
    t = _prim.float_dtype(x)             # IEEE's: a loop of them vectorizes
    return t(_prim.ffloor(x) if kind == 0 else _prim.fceil(x) if kind == 1 else _prim.ftrunc(x))


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
    return x != x       # of a complex: either part NaN


@_impl("numpy.isinf")
def np_isinf(x):
    if _prim.inexact(x) and not _prim.floating(x):
        return np_isinf(x.real) or np_isinf(x.imag)
    return x == _INF or x == -_INF


@_impl("numpy.isfinite")
def np_isfinite(x):
    if _prim.inexact(x) and not _prim.floating(x):
        return np_isfinite(x.real) and np_isfinite(x.imag)
    return x == x and x != _INF and x != -_INF


@_impl("numpy.square")
def np_square(x):
    if _prim.inexact(x) and not _prim.floating(x):
        return _cmul(x, x)
    return _prim.dtype_of(x).type(x * x)


@jit
def _cmul(x, y):
    """NumPy's product of complex items in its loops (ufuncs, not scalars' own *): fused
    multiply-adds, re = fma(xr, yr, -(xi * yi)), im = fma(xr, yi, xi * yr), in x's dtype."""
    xr, xi, yr, yi = x.real, x.imag, y.real, y.imag
    return _prim.dtype_of(x).type(complex(_prim.fma(xr, yr, -(xi * yi)), _prim.fma(xr, yi, xi * yr)))


@_impl("numpy.sign")
def np_sign(x):
    """NumPy's sign: -1, 0 or 1 of x's type; sign(-0.0) is 0.0, sign(nan) nan."""
    t = _prim.dtype_of(x).type
    if x > 0:
        return t(1)
    if x < 0:
        return t(-1)
    if x != x:
        return t(x)
    return t(0)


@_impl("numpy.fabs")
def np_fabs(x):
    return _prim.float_dtype(x)(math.fabs(x))


@_impl("numpy.rint")
def np_rint(x):
    """NumPy's rint: the nearest integer (half to even) as a float; nan, inf and
    values beyond 2**52 (integers already) pass through, a zero keeps its sign."""
    return _prim.float_dtype(x)(_prim.frint(x))


@_impl("numpy.degrees", "numpy.rad2deg")
def np_degrees(x):
    t = _prim.float_dtype(x)          # float32 multiplies in float32, as NumPy's loop
    return t(t(x) * (t(180.0) / t(math.pi)))   # NumPy: x * (180.0f / NPY_PIf)


@_impl("numpy.radians", "numpy.deg2rad")
def np_radians(x):
    t = _prim.float_dtype(x)
    return t(t(x) * (t(math.pi) / t(180.0)))


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


@_impl("numpy.clip")
def np_clip(a, a_min, a_max):
    """np.clip of scalars (arrays take the ew loop): NumPy's scalar of the operands' type,
    by its loop for scalar bounds, where a tie keeps a, then the max (np.clip(-0.0, 0.0, 1.0)
    is -0.0; _clip is its loop for array bounds, where a tie takes the bound)."""
    t = _prim.dtype_of(a + a_min + a_max).type
    x, lo, hi = t(a), t(a_min), t(a_max)
    if x != x:
        return x
    m = lo if x < lo or lo != lo else x
    return hi if m == m and (m > hi or hi != hi) else m


@_impl("math.isclose")
def math_isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0):
    """CPython's math.isclose (Modules/mathmodule.c), on floats."""
    x = float(a)
    y = float(b)
    rt = float(rel_tol)
    at = float(abs_tol)
    if rt < 0.0 or at < 0.0:
        raise ValueError("tolerances must be non-negative")
    if x == y:
        return True
    if x == _INF or x == -_INF or y == _INF or y == -_INF:
        return False
    d = abs(y - x)
    return d <= abs(rt * y) or d <= abs(rt * x) or d <= at


@_impl("numpy.fmax")
def np_fmax(a, b):
    t = _prim.dtype_of(a + b).type        # NaN only where both are; a tie (-0.0, 0.0) gives b, as NumPy's array loop
    if a > b or b != b:
        return t(a)
    return t(b)


@_impl("numpy.fmin")
def np_fmin(a, b):
    t = _prim.dtype_of(a + b).type
    if a < b or b != b:
        return t(a)
    return t(b)


@_impl("numpy.fmod")
def np_fmod(a, b):
    """C's fmod: the remainder with the sign of a; NumPy's NaN (floats) or 0 (ints) for b == 0."""
    t = _prim.dtype_of(a + b).type
    if _prim.inexact(a + b):
        if b == 0 or a != a or b != b or a == _INF or a == -_INF:
            return t(_NAN)
        return t(math.fmod(a, b))
    if b == 0:
        return t(0)
    m = t(a) % t(b)                       # NumPy's floor remainder, then truncation's
    if m != 0 and (a < 0) != (b < 0):
        m = m - t(b)
    return m


@_impl("numpy.copysign")
def np_copysign(a, b):
    return _prim.float_dtype(a + b)(math.copysign(a, b))


@_impl("numpy.heaviside")
def np_heaviside(x, h0):
    t = _prim.float_dtype(x + h0)
    if x != x:
        return t(x)
    if x < 0:
        return t(0.0)
    if x > 0:
        return t(1.0)
    return t(h0)


@_impl("numpy.signbit")
def np_signbit(x):
    if _prim.inexact(x):
        return math.copysign(1.0, x) < 0
    return x < 0


@_impl("numpy.conj", "numpy.conjugate")
def np_conj(x):
    """The complex conjugate of a number (elementwise on arrays: passes/infer_array.c's
    ew_funcs); a real number is itself, in its own dtype (a bool: int8, NumPy's loop)."""
    if _prim.dtype_of(x) == np.bool_:
        return np.int8(x)
    if _prim.inexact(x) and not _prim.floating(x):
        return _prim.dtype_of(x).type(complex(x.real, -x.imag))
    return x


@_impl("numpy.exp2")
def np_exp2(x):
    return _prim.float_dtype(x)(_prim.exp2(x))


@_impl("numpy.cbrt")
def np_cbrt(x):
    return _prim.float_dtype(x)(_prim.cbrt(x))


@_impl("numpy.arcsinh")
def np_arcsinh(x):
    return _prim.float_dtype(x)(math.asinh(x))


@_impl("numpy.arccosh")
def np_arccosh(x):
    t = _prim.float_dtype(x)
    if x < 1 or x != x:
        return t(_NAN)
    return t(math.acosh(x))


@_impl("numpy.arctanh")
def np_arctanh(x):
    t = _prim.float_dtype(x)
    if x == 1:
        return t(_INF)
    if x == -1:
        return t(-_INF)
    if x > 1 or x < -1 or x != x:
        return t(_NAN)
    return t(math.atanh(x))


@_impl("numpy.logaddexp")
def np_logaddexp(a, b):
    """NumPy's npy_logaddexp: log(exp(a) + exp(b)) without overflow."""
    t = _prim.float_dtype(a + b)
    x = t(a)
    y = t(b)
    if x == y:                            # equal infinities too
        return t(x + t(0.6931471805599453))
    d = x - y
    if d > 0:
        return t(x + t(math.log1p(math.exp(-d))))
    if d <= 0:
        return t(y + t(math.log1p(math.exp(d))))
    return t(d)                           # NaN


@_impl("numpy.logaddexp2")
def np_logaddexp2(a, b):
    """NumPy's npy_logaddexp2: log2(2**a + 2**b) without overflow."""
    t = _prim.float_dtype(a + b)
    x = t(a)
    y = t(b)
    if x == y:
        return t(x + t(1.0))
    d = x - y
    if d > 0:
        return t(x + t(1.4426950408889634 * math.log1p(_prim.exp2(-d))))
    if d <= 0:
        return t(y + t(1.4426950408889634 * math.log1p(_prim.exp2(d))))
    return t(d)


# -- Sums -----------------------------------------------------------------------

@jit(boundscheck=False)
def _pairwise(a, lo, n, s):
    """s + the pairwise sum of a[lo:lo+n] (NumPy's pairwise_sum, 1-D; lo + n <= len(a)).
    The indices are NumPy int64s (no overflow checks) and in range by
    construction, so the eight-way block below vectorizes.  float64 and float32
    items summed in their own type are summed by the runtime's C function (one
    LLVM function fewer in every module that sums: a third of a fused sum's)."""
    b = a[lo:lo + n]
    z = _prim.dtype_of(s).type(0)   # not s - s: nan once the running sum s is inf
    if b.dtype == np.float64 and _prim.dtype_of(s) == np.float64:
        return s + _prim.pairwise_f64(_prim.data(b), n, b.strides[0])
    if b.dtype == np.float32 and _prim.dtype_of(s) == np.float32:
        return s + np.float32(_prim.pairwise_f32(_prim.data(b), n, b.strides[0]))
    if (_prim.typecode(b) == 2 or 4 <= _prim.typecode(b) <= 11) and (_prim.dtype_of(s).kind == "i" or _prim.dtype_of(s).kind == "u"):
        # NumPy's ints wrap, so every order gives its sum: one loop, which vectorizes (2.7x faster)
        r = z
        for i in range(n):
            r += b[i]
        return s + r
    if n < 8:
        r = z
        for i in range(n):
            r += b[i]
        return s + r
    if n <= 128:
        r0 = z + b[0]
        r1 = z + b[1]
        r2 = z + b[2]
        r3 = z + b[3]
        r4 = z + b[4]
        r5 = z + b[5]
        r6 = z + b[6]
        r7 = z + b[7]
        i = np.int64(8)
        m = np.int64(n - n % 8)
        while i < m:
            r0 += b[i]
            r1 += b[i + 1]
            r2 += b[i + 2]
            r3 += b[i + 3]
            r4 += b[i + 4]
            r5 += b[i + 5]
            r6 += b[i + 6]
            r7 += b[i + 7]
            i += 8
        r = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            r += b[i]
            i += 1
        return s + r
    n2 = n // 2
    n2 -= n2 % 8
    return s + (_pairwise(a, lo, n2, z) + _pairwise(a, lo + n2, n - n2, z))


@jit
def _pairwise1(a, s):
    """s + the pairwise sum of 1-D 'a' in index order (NumPy's reductions keep negative strides)."""
    return _pairwise(a, 0, a.shape[0], s)


@jit
def _pairwise_cast(a, s):
    """s + the sum of 1-D 'a' as NumPy sums items it casts (ints for a float64 mean): in
    buffers of 8192, each summed pairwise."""
    n = a.shape[0]
    for lo in range(0, n, 8192):
        s = _pairwise(a, lo, min(8192, n - lo), s)
    return s


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
def sum_(a, axis=None, keepdims=False, *, dtype=None):
    if dtype is not None:
        return _sum_dtype(a, axis, dtype)
    z = _prim.sum_zero(a)
    if _prim.is_tuple(axis):
        m = _mask(axis, a.ndim)
        out = zeros(_keep_shape(a, m), _out_dtype(a, z))
        if a.size:
            _red_sum(out, a, m, False, out)
        return _over(a, axis, m, out)
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        out = zeros(_drop(a, k), _out_dtype(a, z))
        if a.size and _inner(a) == k:
            _lines_sum(out, a, k, z)
        elif a.size:
            _rows_add(out, a, k)
        return out
    if axis is not None:
        _axis(axis, 1)           # a 0-d array takes axis 0 and -1 as NumPy does
    if a.ndim >= 2 and not _prim.contiguous(a):     # in NumPy's loop order
        m = _mask(None, a.ndim)
        out = zeros(_keep_shape(a, m), _out_dtype(a, z))
        if a.size:
            _red_sum(out, a, m, False, out)
        return _over(a, None, m, out)
    return _sum_any(a, z)


# -- Other reductions --------------------------------------------------------

@jit
def _prod_rows(a, p):
    if a.ndim == 1:
        return _prod1(a, p)
    for row in a:
        p = _prod_rows(row, p)
    return p


@jit
def _prod1(a, p):
    """p times the items of 1-D 'a' in index order."""
    for x in a:
        p *= x
    return p


@_impl("ndarray.prod", "numpy.prod")
def prod(a, axis=None, keepdims=False, *, dtype=None):
    if dtype is not None:
        return _prod_dtype(a, axis, dtype)
    p = _prim.sum_zero(a) + 1
    if _prim.is_tuple(axis):
        m = _mask(axis, a.ndim)
        out = ones(_keep_shape(a, m), _out_dtype(a, p))
        if a.size:
            _red_prod(out, a, m, False, out)
        return _over(a, axis, m, out)
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        out = ones(_drop(a, k), _out_dtype(a, p))
        if a.size and _inner(a) == k:
            _lines_prod(out, a, k, p)
        elif a.size:
            _rows_mul(out, a, k)
        return out
    if axis is not None:
        _axis(axis, 1)
    if a.ndim == 0:
        return p * a[()]
    if _prim.contiguous(a):
        return _prod1(_prim.flat(a), p)
    m = _mask(None, a.ndim)
    out = ones(_keep_shape(a, m), _out_dtype(a, p))
    if a.size:
        _red_prod(out, a, m, False, out)
    return _over(a, None, m, out)


@jit
def _mean_of(s, n):
    """s / n as NumPy's mean divides: 0 / 0 is NaN (Python would raise)."""
    if n == 0:
        return -(s * _NAN)    # the processor's default NaN (sign bit set), as NumPy's 0.0 / 0
    return s / n


@_impl("ndarray.mean", "numpy.mean")
def mean(a, axis=None, keepdims=False, *, dtype=None):
    if dtype is not None:
        return _mean_dtype(a, axis, dtype)
    z = _prim.mean_zero(a)
    if _prim.is_tuple(axis):
        m = _mask(axis, a.ndim)
        return _over(a, axis, m, _mean_keep(a, m, z))
    if axis is not None and a.ndim >= 2:
        return _mean_axis(a, _axis(axis, a.ndim), z)
    if axis is not None:
        _axis(axis, a.ndim)      # a 0-d array takes no axis here, as NumPy's mean
    if a.ndim >= 2 and not _prim.contiguous(a):     # in NumPy's loop order
        m = _mask(None, a.ndim)
        return _over(a, None, m, _mean_keep(a, m, z))
    if _prim.inexact(a):
        return _mean_of(_sum_any(a, z), a.size)
    return _mean_of(_pairwise_cast(_mem_order(a), z), a.size)


@_impl("ndarray.var", "numpy.var")
def var(a, axis=None, *, ddof=0, keepdims=False):
    """NumPy's var: the squared deviations from the mean (summed over the axes with
    keepdims), summed in the order NumPy sums its array of them (laid out as 'a'),
    over max(n - ddof, 0) (ddof is keyword-only here)."""
    if axis is None and a.ndim >= 1 and _prim.c_contiguous(a) and (_prim.floating(a) or not _prim.inexact(a)):
        # NumPy's own steps: the mean, then x = a - mean and x * x summed pairwise in
        # C order, which is the fused reduction's order; a first call compiles a fifth
        # of the IR of the general path below
        mu = mean(a)
        d = a - mu
        s = (d * d).sum()
        n = max(a.size - ddof, 0)
        return s * _INF if n == 0 else s / n
    m = _mask(axis, a.ndim)
    mu = _mean_keep(a, m, _prim.mean_zero(a))
    out = zeros(_keep_shape(a, m), _prim.dtype_of(_sqdev(_prim.sum_zero(a), mu.dtype.type(0))))
    if a.size:
        _red_var(out, a, m, False, mu)
    n = max(_count(a, m) - ddof, 0)
    f = _prim.flat(out)
    for i in range(f.shape[0]):
        f[i] = f[i] * _INF if n == 0 else f[i] / n    # 0 / 0 is NaN, x / 0 inf, as NumPy
    return _over(a, axis, m, out)


@_impl("ndarray.std", "numpy.std")
def std(a, axis=None, *, ddof=0, keepdims=False):
    v = var(a, axis, ddof=ddof)
    if _prim.is_array(v):
        f = _prim.flat(v)
        for i in range(f.shape[0]):
            f[i] = np_sqrt(f[i])
        return v
    return np_sqrt(v)


@_impl("ndarray.any", "numpy.any")
def any_(a, axis=None, keepdims=False):
    if axis is None:
        for x in _c_order(a):
            if x:
                return True
        return False
    m = _mask(axis, a.ndim)
    out = zeros(_keep_shape(a, m), np.bool_)
    if a.size:
        _red_any(out, a, m, False, out)
    return _over(a, axis, m, out)


@_impl("ndarray.all", "numpy.all")
def all_(a, axis=None, keepdims=False):
    if axis is None:
        for x in _c_order(a):
            if not x:
                return False
        return True
    m = _mask(axis, a.ndim)
    out = ones(_keep_shape(a, m), np.bool_)
    if a.size:
        _red_all(out, a, m, False, out)
    return _over(a, axis, m, out)


@_impl("numpy.count_nonzero")
def count_nonzero(a, axis=None, *, keepdims=False):
    if axis is None:
        n = np.intp(0)   # NumPy's int wraps (it cannot here), so the loop vectorizes: 15x faster
        for x in _c_order(a):
            n += np.intp(1) if x else np.intp(0)
        if _COUNT_INTP:
            return n
        return int(n)
    m = _mask(axis, a.ndim)
    out = zeros(_keep_shape(a, m), np.intp)
    if a.size:
        _red_count(out, a, m, False, out)
    return _over(a, axis, m, out)


@_impl("ndarray.ravel", "numpy.ravel")
def ravel(a):
    """The elements in C order: a view of a C-contiguous array, else a copy."""
    return _c_order(a)


@_impl("ndarray.flatten")
def flatten(a):
    return _prim.flat(copy(a))


@jit
def _mean_axis(a, k, z):
    """The mean of 'a' along axis k: sums in 'z's type, as NumPy's (float32 for float16,
    whose result is rounded to float16 at the end)."""
    acc = zeros(_drop(a, k), _prim.dtype_of(z))
    if a.size and _inner(a) != k:
        _rows_add(acc, a, k)
    elif a.size and _prim.inexact(a) and a.itemsize != 2:
        _lines_sum(acc, a, k, z)
    elif a.size:
        _lines_sumcast(acc, a, k, z)
    f = _prim.flat(acc)
    n = _dim(a, k)
    for i in range(f.shape[0]):
        f[i] = _mean_of(f[i], n)
    if _prim.inexact(a) and a.itemsize == 2:
        return astype(acc, a.dtype)
    return acc


@jit
def _max1(f):
    """The largest item of non-empty 1-D 'f', NaN if any (the first)."""
    if _prim.floating(f) and f.shape[0] > 32:
        # IEEE maximum vectorizes; it differs from the loop below only for a NaN
        # (which one) and a zero maximum (the sign on a tie): those take the loop
        v = _prim.fmaximum(f[0], f[0])
        for x in f:
            v = _prim.fmaximum(v, x)
        if v == v and v != 0:
            return _prim.dtype_of(f[0]).type(v)
    m = f[0]
    for x in f:
        if x >= m or x != x:   # a tie takes the later item, as NumPy's loops (-0.0 against 0.0)
            m = x
            if x != x:
                return m
    return m


@jit
def _min1(f):
    if _prim.floating(f) and f.shape[0] > 32:   # as _max1
        v = _prim.fminimum(f[0], f[0])
        for x in f:
            v = _prim.fminimum(v, x)
        if v == v and v != 0:
            return _prim.dtype_of(f[0]).type(v)
    m = f[0]
    for x in f:
        if x <= m or x != x:
            m = x
            if x != x:
                return m
    return m


@jit
def _real_items(f):
    """Are the items of array 'f' ints or real floats (not bool, not complex)?"""
    return _prim.typecode(f) >= 4 and _prim.typecode(f) != 14 and _prim.typecode(f) != 15


@jit
def _argmax1(f):
    """The index of the first largest item of non-empty 1-D 'f' (of the first NaN, if any).
    Past 32 numbers: the first item equal to their maximum (_max1, whose loop
    vectorizes; the first NaN if it is NaN; a zero maximum finds the first zero of
    either sign, as NumPy's `x > m` does): 1.5-2x faster than one loop of branches."""
    if f.shape[0] > 32 and _real_items(f):
        return _first_eq(f, _max1(f))
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


@jit
def _argmin1(f):
    if f.shape[0] > 32 and _real_items(f):   # as _argmax1
        return _first_eq(f, _min1(f))
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


@jit
def _first_eq(f, v):
    """The index of the first item of 1-D 'f' equal to 'v' (which one of them is), of the first NaN if v is NaN."""
    if v != v:
        for i in range(f.shape[0]):
            if f[i] != f[i]:
                return np.intp(i)
    for i in range(f.shape[0]):
        if f[i] == v:
            return np.intp(i)
    return np.intp(0)


@jit
def _nonempty(a, op):
    """ValueError with NumPy's text when 'a' is empty: reduction 'op' ("maximum", "fmin")
    has no identity, or "argmax"/"argmin" has no item."""
    if a.size == 0:
        if op == "argmax":
            raise ValueError("attempt to get argmax of an empty sequence")
        if op == "argmin":
            raise ValueError("attempt to get argmin of an empty sequence")
        raise ValueError(f"zero-size array to reduction operation {op} which has no identity")


@jit
def _check_line(a, k, op):
    """_nonempty's ValueError when the lines of 'a' along axis k are empty (NumPy: even with no lines)."""
    if _dim(a, k) == 0:
        _nonempty(a[:0], op)


@_impl("ndarray.max", "numpy.max", "numpy.amax")
def max_(a, axis=None, keepdims=False):
    if _prim.is_tuple(axis):
        m = _mask(axis, a.ndim)
        _check_axes(a, m, "maximum")
        out = np.empty(_keep_shape(a, m), a.dtype)
        if a.size:
            _red_set(out, a, m, True, out)      # the first items, as NumPy starts
            _red_max(out, a, m, False, out)
        return _over(a, axis, m, out)
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        _check_line(a, k, "maximum")
        out = np.empty(_drop(a, k), a.dtype)
        if a.size and _inner(a) != k:
            _rows_max(out, a, k)
        else:
            _lines_max(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, 1)
    _nonempty(a, "maximum")
    return _max1(_c_order(a))


@_impl("ndarray.min", "numpy.min", "numpy.amin")
def min_(a, axis=None, keepdims=False):
    if _prim.is_tuple(axis):
        m = _mask(axis, a.ndim)
        _check_axes(a, m, "minimum")
        out = np.empty(_keep_shape(a, m), a.dtype)
        if a.size:
            _red_set(out, a, m, True, out)      # the first items, as NumPy starts
            _red_min(out, a, m, False, out)
        return _over(a, axis, m, out)
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        _check_line(a, k, "minimum")
        out = np.empty(_drop(a, k), a.dtype)
        if a.size and _inner(a) != k:
            _rows_min(out, a, k)
        else:
            _lines_min(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, 1)
    _nonempty(a, "minimum")
    return _min1(_c_order(a))


@_impl("ndarray.argmax", "numpy.argmax")
def argmax(a, axis=None, keepdims=False):
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        _check_line(a, k, "argmax")
        out = np.empty(_drop(a, k), np.intp)
        _lines_argmax(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, 1)           # a 0-d array counts as 1-D
    _nonempty(a, "argmax")
    return _argmax1(_c_order(a))


@_impl("ndarray.argmin", "numpy.argmin")
def argmin(a, axis=None, keepdims=False):
    if axis is not None and a.ndim >= 2:
        k = _axis(axis, a.ndim)
        _check_line(a, k, "argmin")
        out = np.empty(_drop(a, k), np.intp)
        _lines_argmin(out, a, k, 0)
        return out
    if axis is not None:
        _axis(axis, 1)
    _nonempty(a, "argmin")
    return _argmin1(_c_order(a))


@jit
def _cumsum1(out, f):
    """out[i] = f[0] + ... + f[i] (1-D), each step rounded to out's dtype, as NumPy's accumulate."""
    if f.shape[0]:
        out[0] = f[0]        # the first item as it is (-0.0 stays -0.0)
    for i in range(1, f.shape[0]):
        out[i] = out[i - 1] + f[i]


@_impl("ndarray.cumsum", "numpy.cumsum")
def cumsum(a, axis=None, dtype=None):
    if dtype is not None:     # NumPy sums in the dtype asked for (int8 wraps): the items cast to it first
        b = a.astype(dtype)
        return _cumsum_in(b, axis, b.dtype)
    return _cumsum_in(a, axis, _out_dtype(a, _prim.sum_zero(a)))


@jit
def _cumsum_in(a, axis, dt):
    if axis is not None and a.ndim >= 2:
        out = np.empty(a.shape, dt)
        _lines_cumsum(out, a, _axis(axis, a.ndim), 0)
        return out
    if axis is not None:
        _axis(axis, 1)
    f = _c_order(a)
    out = np.empty(f.shape[0], dt)
    _cumsum1(out, f)
    return out


# -- Reductions along an axis ---------------------------------------------------
# a.sum(axis=k) and the others: the result has the shape of 'a' without
# dimension k (1-D and 0-d arrays give the scalar of the whole reduction) and
# item j... reduces line j..., the items of 'a' along k.  The order is NumPy's,
# which float sums show: its iterator loops innermost over the axis of the
# smallest |stride| (of the axes longer than 1; the last on ties) in index
# order (reductions keep negative strides).  When that axis is k, each line is
# summed pairwise into 0 (in buffers of 8192 where items are cast, as ints for
# a mean); otherwise the slices along k are added into the zeros one at a time
# (which vectorizes).  prod, max and min take the same two ways; argmin, argmax
# and cumsum walk the lines.  An axis out of range raises IndexError, whose
# subclass AxisError NumPy raises: compiled code raises only the errors of
# ir/rterrors.def.

@jit
def _axis(axis, nd):
    """'axis' of 'nd' dimensions as 0..nd-1; out of range, IndexError."""
    if axis < -nd or axis >= nd:
        np.empty(nd, np.bool_)[axis]    # "index 2 is out of bounds for axis 0 with size 2"
    return int(axis) + nd if axis < 0 else int(axis)    # a float axis fails to compile there


@jit
def _inner(a):
    """The axis NumPy's loop over non-empty 'a' runs innermost (see above), -1 when none is
    longer than 1."""
    return _inner_st(a)[0]


@jit
def _inner_st(a):
    """(_inner(a), its |stride|)."""
    k = -1
    s = 0
    if a.ndim > 1:
        k, s = _inner_st(a[0])
        if k >= 0:
            k += 1
    s0 = abs(int(a.strides[0]))
    if a.shape[0] > 1 and (k < 0 or s0 < s):
        return 0, s0
    return k, s


@jit
def _out_dtype(a, z):
    """The dtype of a reduction's array, which holds 'z': float16 stays (each item rounded)."""
    if _prim.inexact(a) and a.itemsize == 2:
        return a.dtype
    return _prim.dtype_of(z)


def _gen_dims(maxnd):
    """Define _dim(a, k), a.shape[k], and _drop(a, k), a.shape without dimension k, for a
    'k' known at run time: a tuple index must be a constant, so they have one branch for
    each ndim, and infer keeps only the array's."""
    src = ["def _dim(a, k):"]
    for j in range(maxnd):
        src.append(f"    if a.ndim == {j + 1} or k == {j}:\n        return a.shape[{j}]")
    src.append("\ndef _drop(a, k):")
    for nd in range(2, maxnd + 1):
        dims = "".join(f"a.shape[{j}] if k > {j} else a.shape[{j + 1}], " for j in range(nd - 1))
        src.append(f"    if a.ndim == {nd}:\n        return ({dims})")
    _define("\n".join(src), "<ember._lib axis dims>")


def _gen_lines(name, line, same_shape=False, define=None):
    """Define _lines_<name>(out, a, k, z), which runs the statement 'line' for each line of 'a'
    along axis k ({x}: the line, a 1-D view; {o}: its index into 'out'), and _front_<name>,
    its case k == 0.  'out' has a's shape without k, or a's shape when 'same_shape'.
    'define': the _define of the module whose names 'line' calls (this one's by default)."""
    oj = ":, j" if same_shape else "j"
    (define or _define)(f"""
def _lines_{name}(out, a, k, z):
    if k == 0:
        _front_{name}(out, a, z)
    elif a.ndim == 2:
        for i in range(a.shape[0]):
            {line.format(o="i", x="a[i]")}
    else:
        for i in range(a.shape[0]):
            _lines_{name}(out[i], a[i], k - 1, z)

def _front_{name}(out, a, z):
    if a.ndim == 2:
        for j in range(a.shape[1]):
            {line.format(o=oj, x="a[:, j]")}
    else:
        for j in range(a.shape[1]):
            _front_{name}(out[{oj}], a[:, j], z)
""", f"<ember._lib lines {name}>")


def _gen_rows(name, expr, first=False):
    """Define _rows_<name>(out, a, k): for each i along axis k in turn, out[j...] = 'expr' of
    o, out[j...], and x, a[..., i, ...] (NumPy's order where k is not its inner loop); with
    'first', out starts as the first slice (a has items along k)."""
    init, start = ("_each_set(out, {x})", "1") if first else ("pass", "0")
    _define(f"""
def _rows_{name}(out, a, k):
    if k == 0:
        {init.format(x="a[0]")}
        for i in range({start}, a.shape[0]):
            _each_{name}(out, a[i])
    elif a.ndim == 2:
        {init.format(x="a[:, 0]")}
        for j in range({start}, a.shape[1]):
            _each_{name}(out, a[:, j])
    else:
        for i in range(a.shape[0]):
            _rows_{name}(out[i], a[i], k - 1)

def _each_{name}(out, b):
    if out.ndim == 1:
        for j in range(out.shape[0]):
            o = out[j]
            x = b[j]
            out[j] = {expr}
    else:
        for j in range(out.shape[0]):
            _each_{name}(out[j], b[j])
""", f"<ember._lib rows {name}>")


# Generated functions are defined on first use: compiling their source at import
# took 160 ms of the first call of every function using arrays.  _define records
# which source defines each name; Ember's capture (jit/capture.c) and `from ._lib
# import x` ask the module's __getattr__ (PEP 562) for a name it lacks, which
# compiles that function's own part of the source (its `def` to the next one: the
# sources hold nothing else).  Capture asks for every global a function names, in
# dead branches too, so compiling a whole source per name cost a.sum() 7 ms of
# its first call for the axis forms' functions.  Python code of these modules must
# not name them directly.

def _lazy_define(g, src, filename, options):
    """Register the functions of 'src' for the module of globals 'g': each compiled
    with ember.jit(**options) when it is first asked for."""
    starts = [m.start() for m in re.finditer(r"(?m)^def (\w+)\(", src)] + [len(src)]
    for a, b in zip(starts, starts[1:]):
        name = re.match(r"def (\w+)\(", src[a:]).group(1)
        g["_PENDING"][name] = (src, a, b, filename, options)


def _lazy_get(g, name):
    """The generated function 'name' of the module of globals 'g', compiled now."""
    job = g["_PENDING"].get(name)
    if job is None:
        raise AttributeError(f"module {g['__name__']!r} has no attribute {name!r}")
    src, a, b, filename, options = job
    ns = {}
    exec(compile("\n" * src.count("\n", 0, a) + src[a:b] + "\n", filename, "exec"), g, ns)   # the source's line numbers
    for k, f in ns.items():
        g[k] = jit(f, **options)
        g["_PENDING"].pop(k, None)
    return g[name]


_PENDING = {}

# np.count_nonzero(a) gives a Python int up to NumPy 2.2, np.intp from 2.3 on (a
# frozen global: infer keeps the one branch)
_COUNT_INTP = tuple(int(p) for p in np.__version__.split(".")[:2]) >= (2, 3)


def _define(src, filename, **options):
    _lazy_define(globals(), src, filename, options)


def __getattr__(name):
    return _lazy_get(globals(), name)


_gen_dims(8)                 # more dimensions: a TypingError (np.empty of None); each branch costs compile time
_gen_lines("sum", "out[{o}] = _pairwise1({x}, z)")
_gen_lines("sumcast", "out[{o}] = _pairwise_cast({x}, z)")
_gen_lines("prod", "out[{o}] = _prod1({x}, z)")
_gen_lines("max", "out[{o}] = _max1({x})")
_gen_lines("min", "out[{o}] = _min1({x})")
_gen_lines("argmax", "out[{o}] = _argmax1({x})")
_gen_lines("argmin", "out[{o}] = _argmin1({x})")
_gen_lines("cumsum", "_cumsum1(out[{o}], {x})", same_shape=True)
_gen_rows("set", "x")
_gen_rows("add", "o + x")
_gen_rows("mul", "o * x")
_gen_rows("max", "x if x >= o or x != x else o", first=True)     # as _max1
_gen_rows("min", "x if x <= o or x != x else o", first=True)


# -- Reductions over several axes, keepdims ------------------------------------
# a.sum(axis=(0, 2)) and the others over a tuple of axes, and var, std, any,
# all and count_nonzero over any axis: NumPy's iterator reduces in the order
# of its loops, which are the axes of 'a' longer than 1 sorted by |stride|
# (innermost the smallest; the later axis first on ties).  Where the
# innermost loop reduces, the items of the innermost loops that all reduce
# (the run) are summed pairwise into the result's item, one run after
# another (copied to a buffer first where they are not one line of memory,
# as NumPy's buffer); otherwise each item is added in turn.  The loop walks
# 1-D views (ember._prim.line) at byte offsets, for any number of dimensions,
# into 'out', a's shape with 1 along the reduced axes (a bit mask 'm'), then
# reshaped.  A duplicate axis raises NumPy's ValueError "duplicate value in
# 'axis'" (AxisError for one out of range is an IndexError here).
# keepdims=True: infer calls "<name>:keepdims" (below, a wrapper that
# reshapes the result), so the functions above are called with False.

@jit
def _bit(m, axis, nd):
    """Mask 'm' with 'axis' of 'nd' dimensions added: IndexError out of range, ValueError if in m."""
    k = _axis(axis, nd)
    if (m >> k) & 1:
        raise ValueError("duplicate value in 'axis'")
    return m | (1 << k)


@jit
def _mask(axis, nd):
    """The axes of 'axis' (None: all, an int, a tuple) of 'nd' dimensions as a bit mask."""
    if axis is None:
        return (1 << nd) - 1
    if _prim.is_tuple(axis):
        return _tmask(axis, nd)
    if nd == 0:
        _axis(axis, 1)        # a 0-d array takes axis 0 and -1, as NumPy's reductions
        return 0
    return _bit(0, axis, nd)


@jit
def _count(a, m):
    """The number of items each result of reducing the axes in mask 'm' of 'a' reduces."""
    n = 1
    if a.ndim == 0:
        return n
    for k in range(a.ndim):
        if (m >> k) & 1:
            n *= _dim(a, k)
    return n


@jit
def _check_axes(a, m, op):
    """_nonempty's ValueError when an axis in mask 'm' is empty (reduction 'op' without identity)."""
    if _count(a, m) == 0:
        _nonempty(np.empty(0, np.bool_), op)


@jit
def _loops(a, m, out, first, ext, ast, ost, red):
    """Fill NumPy's loops for reducing the axes of 'a' in mask 'm' into 'out', inner to
    outer: extent, byte strides in a and out (0 where it reduces) and whether it reduces;
    return their number.  With 'first', the reduced axes are left out (their first
    items).  Neighbours that walk both arrays as one loop are merged."""
    q = 0
    for k in range(a.ndim - 1, -1, -1):
        n = _dim(a, k)
        r = (m >> k) & 1 == 1
        if n == 1 or (r and first):
            continue
        s = _stride(a, k)
        j = q
        while j > 0 and abs(ast[j - 1]) > abs(s):   # a stable insertion sort, as NumPy's
            ext[j] = ext[j - 1]
            ast[j] = ast[j - 1]
            ost[j] = ost[j - 1]
            red[j] = red[j - 1]
            j -= 1
        ext[j] = n
        ast[j] = s
        ost[j] = 0 if r else _stride(out, k)
        red[j] = r
        q += 1
    w = 0
    for j in range(q):
        if w > 0 and red[j] == red[w - 1] and ast[j] == ast[w - 1] * ext[w - 1] and ost[j] == ost[w - 1] * ext[w - 1]:
            ext[w - 1] *= ext[j]
        else:
            ext[w] = ext[j]
            ast[w] = ast[j]
            ost[w] = ost[j]
            red[w] = red[j]
            w += 1
    return w


@jit
def _mean_keep(a, m, z):
    """The mean of 'a' over the axes in mask 'm', with them kept (extent 1), summed in
    'z's type."""
    acc = zeros(_keep_shape(a, m), _prim.dtype_of(z))
    if a.size and _prim.inexact(a):
        _red_sum(acc, a, m, False, acc)
    elif a.size:
        _red_sumcast(acc, a, m, False, acc)
    n = _count(a, m)
    f = _prim.flat(acc)
    for i in range(f.shape[0]):
        f[i] = _mean_of(f[i], n)
    return acc


@jit
def _sqdev(x, mu):
    """|x - mu|**2 as NumPy's var computes it (a complex one as re*re + im*im)."""
    d = x - mu
    if _prim.inexact(d) and not _prim.floating(d):
        return d.real * d.real + d.imag * d.imag
    return d * d


@jit
def _over(a, axis, m, out):
    """'out', the reduction of 'a' over 'axis' (mask 'm') with the reduced axes kept, as
    NumPy returns it: without them; a scalar where none is left."""
    if axis is None:
        return _prim.flat(out)[0]
    if not _prim.is_tuple(axis):
        if a.ndim <= 1:
            return _prim.flat(out)[0]
        return out.reshape(_drop(a, _axis(axis, a.ndim)))
    if len(axis) >= a.ndim:
        return _prim.flat(out)[0]
    if len(axis) == 0:
        return out
    return out.reshape(_drop_axes(a, axis, m))


@jit
def _keep(a, axis, r):
    """The result 'r' of a reduction of 'a' over 'axis' with keepdims=True: the reduced
    axes kept, of extent 1 (a 0-d array's is NumPy's scalar)."""
    if a.ndim == 0:
        return r
    shape = _keep_shape(a, _mask(axis, a.ndim))
    if _prim.is_array(r):
        return r.reshape(shape)
    out = np.empty(shape, _prim.dtype_of(r))
    _prim.flat(out)[0] = r
    return out


def _keepdims_fn(name):
    """The function of "<f>:keepdims", infer's name for f called with keepdims=True (a
    reduction of _IMPL taking keepdims), or None."""
    import inspect
    base = _IMPL.get(name[:-len(":keepdims")])
    if base is None or "keepdims" not in inspect.signature(base.py_func).parameters:
        return None
    f = base.py_func
    sig = inspect.signature(f)
    args = ", ".join(p.name if p.kind is p.POSITIONAL_OR_KEYWORD else f"{p.name}={p.name}"
                     for p in sig.parameters.values() if p.name != "keepdims")
    ns = {}
    exec(compile(f"def {f.__name__}keep{sig}:\n    return _keep(a, axis, {f.__name__}({args}))\n",
                 f"<ember._lib {name}>", "exec"), globals(), ns)
    return jit(ns[f.__name__ + "keep"])


def _gen_axes(maxnd):
    """Define _stride(a, k), _tmask(axis, nd) (the mask of a tuple of axes),
    _keep_shape(a, m) (a.shape with 1 along the axes of mask m) and _drop_axes(a, axis, m)
    (a.shape without them; len(axis) of them), branching on ndim and len(axis), which
    infer knows."""
    src = ["def _stride(a, k):"]
    for j in range(maxnd):
        src.append(f"    if a.ndim == {j + 1} or k == {j}:\n        return int(a.strides[{j}])")
    src.append("\ndef _tmask(axis, nd):\n    m = 0")
    for j in range(maxnd):
        src.append(f"    if len(axis) > {j}:\n        m = _bit(m, axis[{j}], nd)")
    src.append("    return m\n\ndef _keep_shape(a, m):")
    for nd in range(maxnd + 1):
        dims = "".join(f"1 if (m >> {j}) & 1 else a.shape[{j}], " for j in range(nd))
        src.append(f"    if a.ndim == {nd}:\n        return ({dims})")
    src.append("\ndef _nth(a, m, i):\n    for k in range(a.ndim):\n        if not (m >> k) & 1:")
    src.append("            if i == 0:\n                return _dim(a, k)\n            i -= 1\n    return 0")
    src.append("\ndef _drop_axes(a, axis, m):")
    for nd in range(2, maxnd + 1):
        for r in range(1, nd):
            dims = "".join(f"_nth(a, m, {j}), " for j in range(nd - r))
            src.append(f"    if a.ndim == {nd} and len(axis) == {r}:\n        return ({dims})")
    _define("\n".join(src), "<ember._lib axes>")


def _gen_red(name, rows, line, item=None):
    """Define _red_<name>(out, a, m, first, mu): reduce the axes of 'a' in mask 'm' into
    'out' (a's shape, 1 along them) in NumPy's order (see above), each item x with
    out's item o becoming 'rows'; a run x (1-D) becoming 'line'.  With 'item', an
    expression of x and mu (mu's item, mu a C array shaped as out), each item is that first."""
    it = item or "x"
    single = "" if item else f"""
        elif t == 1:
            o = _prim.line(out, oo, 1, 0)
            x = _prim.line(a, xo, ext[0], ast[0])
            o[0] = {line}"""
    _define(f"""
def _red_{name}(out, a, m, first, mu):
    if a.ndim == 0:
        o = out[()]
        x = _gather_item_{name}(a[()], mu[()])
        out[()] = {rows}
        return
    nd1 = a.ndim + 1
    ext = np.empty(nd1, np.int64)
    ast = np.empty(nd1, np.int64)
    ost = np.empty(nd1, np.int64)
    red = np.empty(nd1, np.bool_)
    q = _loops(a, m, out, first, ext, ast, ost, red)
    if q == 0:
        ext[0] = 1
        ast[0] = 0
        ost[0] = 0
        red[0] = False
        q = 1
    t = 0
    while t < q and red[t]:
        t += 1
    n = 1
    for j in range(t):
        n *= ext[j]
    x0 = _prim.line(a, 0, 1, 0)[0]
    m0 = _prim.line(mu, 0, 1, 0)[0]
    buf = np.empty(n if t else 0, _prim.dtype_of(_gather_item_{name}(x0, m0)))
    idx = np.zeros(nd1, np.int64)
    xo = 0
    oo = 0
    while True:
        if t == 0:
            ol = _prim.line(out, oo, ext[0], ost[0])
            xl = _prim.line(a, xo, ext[0], ast[0])
            ml = _prim.line(mu, oo // out.itemsize * mu.itemsize, ext[0], ost[0] // out.itemsize * mu.itemsize)
            for i in range(int(ext[0])):
                o = ol[i]
                x = _gather_item_{name}(xl[i], ml[i])
                ol[i] = {rows}{single}
        else:
            _gather_{name}(buf, a, xo, ext, ast, t, _prim.line(mu, oo // out.itemsize * mu.itemsize, 1, 0)[0])
            o = _prim.line(out, oo, 1, 0)
            x = buf
            o[0] = {line}
        j = t if t else 1
        while j < q:
            idx[j] += 1
            xo += ast[j]
            oo += ost[j]
            if idx[j] < ext[j]:
                break
            xo -= ast[j] * ext[j]
            oo -= ost[j] * ext[j]
            idx[j] = 0
            j += 1
        if j >= q:
            return

def _gather_item_{name}(x, mu):
    return {it}

def _gather_{name}(buf, a, xo, ext, ast, t, mu):
    # the run's items in loop order (the innermost loop fastest) into buf
    idx = np.zeros(t + 1, np.int64)
    i = 0
    while True:
        xl = _prim.line(a, xo, ext[0], ast[0])
        for k in range(int(ext[0])):
            buf[i + k] = _gather_item_{name}(xl[k], mu)
        i += ext[0]
        j = 1
        while j < t:
            idx[j] += 1
            xo += ast[j]
            if idx[j] < ext[j]:
                break
            xo -= ast[j] * ext[j]
            idx[j] = 0
            j += 1
        if j >= t:
            return
""", f"<ember._lib reduce {name}>")


@jit
def _maxc(o, v):
    """max of the running 'o' and the next value 'v' as NumPy's loop: NaN stays, a tie takes v."""
    return v if v >= o or v != v else o


@jit
def _minc(o, v):
    return v if v <= o or v != v else o


@jit
def _any1(f):
    for x in f:
        if x:
            return True
    return False


@jit
def _all1(f):
    for x in f:
        if not x:
            return False
    return True


@jit
def _count1(f, n):
    for x in f:
        if x:
            n += 1
    return n


_gen_axes(8)
_gen_red("sum", "o + x", "_pairwise1(x, o[0])")
_gen_red("sumcast", "o + x", "_pairwise_cast(x, o[0])")
_gen_red("var", "o + x", "_pairwise1(x, o[0])", item="_sqdev(x, mu)")
_gen_red("prod", "o * x", "_prod1(x, o[0])")
_gen_red("set", "x", "x[0]")
_gen_red("max", "_maxc(o, x)", "_maxc(o[0], _max1(x))")
_gen_red("min", "_minc(o, x)", "_minc(o[0], _min1(x))")
_gen_red("any", "o or x != 0", "o[0] or _any1(x)")
_gen_red("all", "o and x != 0", "o[0] and _all1(x)")
_gen_red("count", "o + (x != 0)", "_count1(x, o[0])")


# -- dot --------------------------------------------------------------------

@jit
def _dot11(a, b, copy=False):
    s = a.dtype.type(0) * b.dtype.type(0)
    if a.shape[0] >= _BLAS_SMALL:
        r = np.empty(1, _prim.dtype_of(s))
        if _blas_dot1(a, b, r, copy):
            return r[0]
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


@_impl("ndarray.dot", "numpy.dot")
def dot(a, b):
    if a.ndim == 1 and b.ndim == 1:
        if a.shape[0] != b.shape[0]:
            _dot_unaligned(a, b)
        return _dot11(a, b, True)
    if a.shape[a.ndim - 1] != b.shape[0]:
        _dot_unaligned(a, b)
    if a.ndim == 2 and b.ndim == 1:
        return _dot21(a, b, True)
    if a.ndim == 1:
        return _dot12(a, b, True)
    return _dot22(a, b, True)


@jit
def _dot_unaligned(a, b):
    """NumPy's ValueError of np.dot for a matrix whose core dimensions differ."""
    k, m = a.shape[a.ndim - 1], b.shape[0]
    if a.ndim == 1 and b.ndim == 1:
        raise ValueError(f"shapes ({k},) and ({m},) not aligned: {k} (dim 0) != {m} (dim 0)")
    if a.ndim == 1:
        raise ValueError(f"shapes ({k},) and ({m},{b.shape[1]}) not aligned: {k} (dim 0) != {m} (dim 0)")
    if b.ndim == 1:
        raise ValueError(f"shapes ({a.shape[0]},{k}) and ({m},) not aligned: {k} (dim 1) != {m} (dim 0)")
    raise ValueError(f"shapes ({a.shape[0]},{k}) and ({m},{b.shape[1]}) not aligned: {k} (dim 1) != {m} (dim 0)")


@jit
def _dot21(a, b, copy=False):
    z = a.dtype.type(0) * b.dtype.type(0)
    out = np.empty(a.shape[0], _prim.dtype_of(z))
    if _blas_mv(a, b, out, copy):
        return out
    for i in range(a.shape[0]):
        s = z
        for k in range(a.shape[1]):
            s += a[i, k] * b[k]
        out[i] = s
    return out


@jit
def _dot22(a, b, copy=False):
    z = a.dtype.type(0) * b.dtype.type(0)
    n, m, p = a.shape[0], a.shape[1], b.shape[1]
    out = np.empty((n, p), _prim.dtype_of(z))
    if _blas_mm(a, b, out, copy):
        return out
    for i in range(n):
        for j in range(p):
            out[i, j] = z
        for k in range(m):
            x = a[i, k]
            for j in range(p):
                out[i, j] += x * b[k, j]
    return out


# -- matmul -------------------------------------------------------------------
# a @ b of 1-D and 2-D arrays (infer rejects scalars and more dimensions at
# compile time): NumPy's matmul, with its ValueError where the core
# dimensions k differ; the sums run in index order like dot's.

@_impl("numpy.matmul")
def matmul(a, b):
    if a.ndim == 3 or b.ndim == 3:
        return _matmul_stack(a, b)
    if a.ndim == 1 and b.ndim == 1:
        _prim.check_core(0, 0, b.shape[0], a.shape[0])
        return _dot11(a, b)
    if a.ndim == 2 and b.ndim == 1:
        _prim.check_core(0, 0, b.shape[0], a.shape[1])
        return _dot21(a, b)
    if a.ndim == 1:
        _prim.check_core(0, 0, b.shape[0], a.shape[0])
        return _dot12(a, b)
    _prim.check_core(0, 0, b.shape[0], a.shape[1])
    return _dot22(a, b)


@jit
def _matmul_stack(a, b):
    """a @ b where 'a' or 'b' is a stack of matrices (3-D): the product of each pair by the
    2-D code, a stack of one broadcast, a 1-D operand a row (a) or a column (b) as NumPy's."""
    sa = a.shape[0] if a.ndim == 3 else 1
    sb = b.shape[0] if b.ndim == 3 else 1
    if a.ndim == 3 and b.ndim == 3:
        if sa != sb and sa != 1 and sb != 1:
            _stacks_mismatch(a, b)
    _prim.check_core(0, 0, b.shape[0] if b.ndim == 1 else b.shape[b.ndim - 2], a.shape[a.ndim - 1])
    s = sb if sa == 1 else sa          # a stack of 0 broadcasts against one of 1
    z = a.dtype.type(0) * b.dtype.type(0)
    if b.ndim == 1:
        out1 = np.empty((s, a.shape[1]), _prim.dtype_of(z))
        for i in range(s):
            out1[i] = _dot21(a[i], b)
        return out1
    if a.ndim == 1:
        out2 = np.empty((s, b.shape[2]), _prim.dtype_of(z))
        for i in range(s):
            out2[i] = _dot12(a, b[i])
        return out2
    out = np.empty((s, a.shape[a.ndim - 2], b.shape[b.ndim - 1]), _prim.dtype_of(z))
    for i in range(s):
        out[i] = _dot22(_item(a, i), _item(b, i))
    return out


@jit
def _stacks_mismatch(a, b):
    """NumPy's ValueError for stacks of matrices (3-D) of sizes that do not broadcast."""
    raise ValueError(f"operands could not be broadcast together with remapped shapes [original->remapped]: "
                     f"({a.shape[0]},{a.shape[1]},{a.shape[2]})->({a.shape[0]},newaxis,newaxis) "
                     f"({b.shape[0]},{b.shape[1]},{b.shape[2]})->({b.shape[0]},newaxis,newaxis)  "
                     f"and requested shape ({a.shape[1]},{b.shape[2]})")


@jit
def _item(a, i):
    """Matrix i of stack 'a' (3-D; its only one if it has one), or 2-D 'a' itself."""
    if a.ndim == 2:
        return a
    return a[i if a.shape[0] > 1 else 0]


@_impl("numpy.matmul.bool")
def matmul_bool(a, b):
    """bool @ bool: true where any product is (the products sum as ints here)."""
    if a.ndim == 1 and b.ndim == 1:
        return bool(matmul(a, b))
    return matmul(a, b).astype(np.bool_)


@_impl("ndarray.__imatmul__")
def imatmul(a, b):
    """a @= b (b 2-D): the product written into a, which must have its shape."""
    r = matmul(a, b)
    _prim.check_core(1, a.ndim - 1, a.shape[-1], b.shape[1])
    a[:] = r
    return a


@jit
def _dot12(a, b, copy=False):
    z = a.dtype.type(0) * b.dtype.type(0)
    m = b.shape[1]
    out = np.empty(m, _prim.dtype_of(z))
    if _blas_vm(a, b, out, copy):
        return out
    for j in range(m):
        out[j] = z
    for k in range(a.shape[0]):
        x = a[k]
        for j in range(m):
            out[j] += x * b[k, j]
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
def astype(a, dtype, copy=True):
    """A new array of 'dtype' (also for copy=False, where NumPy may return 'a' itself)."""
    out = np.empty(a.shape, dtype)
    if a.ndim == 0:
        _prim.flat(out)[:] = _prim.flat(a)
    else:
        _cast_rows(out, a)
    return out


@jit
def _cast_rows(dst, src):
    """dst = src of another dtype by NumPy's unsafe cast (astype: ints wrap, floats to ints
    are C casts), which array stores make; storing items would check each as setitem does."""
    if src.ndim == 1 and 12 <= _prim.typecode(src) <= 13 and 12 <= _prim.typecode(dst) <= 13:
        for i in range(src.shape[0]):   # float64 <-> float32: a loop of stores, which vectorizes (2.5x faster)
            dst[i] = src[i]
    elif src.ndim == 1:
        dst[:] = src
    else:
        for i in range(src.shape[0]):
            _cast_rows(dst[i], src[i])


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
    if q != q:
        raise ValueError("arange: cannot compute length")
    if not -2.0 ** 63 <= q <= 2.0 ** 63:                    # NumPy checks before it clamps at 0
        raise ValueError("Maximum allowed size exceeded")
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
    "numpy.fmax": "np_fmax(x, y)", "numpy.fmin": "np_fmin(x, y)", "numpy.fmod": "np_fmod(x, y)",
    "numpy.copysign": "np_copysign(x, y)", "numpy.heaviside": "np_heaviside(x, y)",
    "numpy.logaddexp": "np_logaddexp(x, y)", "numpy.logaddexp2": "np_logaddexp2(x, y)",
}
_UNEXPR = {"neg": "-x", "pos": "+x", "invert": "~x"}
_UNFN = {
    "abs": "np_abs", "absolute": "np_abs", "exp": "np_exp", "expm1": "np_expm1", "log": "np_log",
    "log2": "np_log2", "log10": "np_log10", "log1p": "np_log1p", "sqrt": "np_sqrt", "sin": "np_sin",
    "cos": "np_cos", "tan": "np_tan", "arcsin": "np_arcsin", "arccos": "np_arccos", "arctan": "np_arctan",
    "tanh": "np_tanh", "sinh": "np_sinh", "cosh": "np_cosh", "floor": "np_floor", "ceil": "np_ceil",
    "trunc": "np_trunc", "square": "np_square", "isnan": "np_isnan", "isinf": "np_isinf",
    "isfinite": "np_isfinite", "sign": "np_sign", "fabs": "np_fabs", "rint": "np_rint",
    "degrees": "np_degrees", "rad2deg": "np_degrees", "radians": "np_radians", "deg2rad": "np_radians",
    "exp2": "np_exp2", "cbrt": "np_cbrt", "arcsinh": "np_arcsinh", "arccosh": "np_arccosh",
    "arctanh": "np_arctanh", "signbit": "np_signbit", "conj": "np_conj", "conjugate": "np_conj",
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
    if f"_bshape_{nops}" not in globals():   # written on first use: 125 branches for three operands
        _gen_bshape(nops)
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


def _ew_expr(op, t):
    """The element expression of binary 'op' on items of NumPy type source 't' ("np.complex64")."""
    return "_cmul(x, y)" if op == "mul" and t.startswith("np.complex") else _BINEXPR[op]


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
            return _gen(name, 2, [t, t], rt, _ew_expr(op, t), into=ot)
        return None
    op, t, rt = parts[1], "np." + parts[2], "np." + parts[3]
    if op in _BINEXPR:
        return _gen(name, 2, [t, t], rt, _ew_expr(op, t))
    if op in _UNEXPR:
        return _gen(name, 1, [t], rt, "(not x)" if op == "invert" and t == "np.bool_" else _UNEXPR[op])
    return None


# -- Fused array expressions ------------------------------------------------------
# passes/fuse.c turns each tree of whole-array operations into one call of
# "ew.fuse.<tree>|<leaves>" (the array the tree makes) or
# "ew.fred.<sum|mean>.<tree>|<leaves>" (its sum or mean, without the array).
# <tree> names the element operations as the loops above do
# ("add.float64.float64(numpy.exp.float64($0),#f0x1p+0)"); a leaf is a
# parameter $k (kind S: a scalar, A<n>: an array of n dimensions) or a
# literal (#f hex float, #i int, #b bool).  The loop is compiled with NumPy's
# float semantics (_npmath: exp, log, x / 0.0 never raise), so that the
# element expression is plain scalar code: Ember's own rewrites apply to it
# (log(1 + exp(x)) becomes softplus) and LLVM vectorizes it, calling
# libmvec for exp, log, sin and cos.

def _fz_parse(s, i=0):
    """The tree at s[i:] and the index after it: ("op", name, [trees]) | ("leaf", k) | ("lit", value)."""
    if s[i] == "$":
        j = i + 1
        while j < len(s) and s[j].isdigit():
            j += 1
        return ("leaf", int(s[i + 1:j])), j
    if s[i] == "&":
        j = i + 1
        while s[j].isdigit():
            j += 1
        k = int(s[i + 1:j])
        if s[j] != "=":
            return ("ref", k), j
        t, j = _fz_parse(s, j + 1)
        return ("def", k, t), j
    if s[i] == "#":
        j = i + 2
        while j < len(s) and s[j] not in ",)":
            j += 1
        t, v = s[i + 1], s[i + 2:j]
        val = float.fromhex(v) if t == "f" and "n" not in v else float(v) if t == "f" else int(v) if t == "i" else bool(int(v))
        return ("lit", val), j
    j = s.index("(", i)
    name, kids, j = s[i:j], [], j + 1
    while True:
        k, j = _fz_parse(s, j)
        kids.append(k)
        if s[j] == ")":
            return ("op", name, kids), j + 1
        j += 1


_FZ_MATH = {"exp": "math.exp", "expm1": "math.expm1", "log": "math.log", "log2": "math.log2",
            "log10": "math.log10", "log1p": "math.log1p", "sqrt": "math.sqrt", "sin": "math.sin",
            "cos": "math.cos", "tan": "math.tan", "arcsin": "math.asin", "arccos": "math.acos",
            "arctan": "math.atan", "tanh": "math.tanh", "sinh": "math.sinh", "cosh": "math.cosh",
            "arctan2": "math.atan2"}
_FZ_SAME = ("abs", "absolute", "floor", "ceil", "trunc", "minimum", "maximum", "where", "clip", "square", "sign",
            "fmax", "fmin", "fmod", "conj", "conjugate")


def _fz_functype(f, t):
    """The dtype name of numpy.<f> of elements 't' (passes/infer_array.c's ew_functype)."""
    if f in ("isnan", "isinf", "isfinite", "signbit"):
        return "bool_"
    if f in ("abs", "absolute") and t.startswith("complex"):
        return "float32" if t == "complex64" else "float64"
    if f in _FZ_SAME:
        return "int8" if f in ("square", "conj", "conjugate", "fmod") and t == "bool_" else t
    return "float32" if t in ("float32", "int16", "uint16") else "float64"


def _fz_lit(v):
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float) and not math.isfinite(v):
        return "_NAN" if v != v else "_INF" if v > 0 else "(-_INF)"
    return repr(v)


def _fz_subst(e, xs):
    """Expression 'e' of x, y, z with those names replaced by the sources 'xs'."""
    import re
    return re.sub(r"\b[xyz]\b", lambda m: xs["xyz".index(m.group(0))], e)


def _fz_expr(t, leaf, stmts=None, ind=""):
    """Python source of tree 't' (its value of the tree's dtype) and that dtype's name;
    leaf(k) is the source of leaf k's element.  A named part ("&k=") becomes the
    statement `_vk = ...` appended to 'stmts' (indented by 'ind'), and _vk its value."""
    if stmts is None:
        stmts = []
    if t[0] == "leaf":
        return leaf(t[1]), None
    if t[0] == "lit":
        return _fz_lit(t[1]), None
    if t[0] == "ref":
        return f"_v{t[1]}", None
    if t[0] == "def":
        e, rt = _fz_expr(t[2], leaf, stmts, ind)
        stmts.append(f"{ind}_v{t[1]} = {e}")
        return f"_v{t[1]}", rt
    parts = t[1].split(".")
    if parts[0] == "into" and parts[1] == "set":   # a[...] = b: b cast to a's dtype
        e, _ = _fz_expr(t[2][1], leaf, stmts, ind)
        return f"np.{parts[4]}({e})", parts[4]
    if parts[0] == "into":      # a op= b: the operation, then NumPy's cast to a's dtype
        e, _ = _fz_expr(("op", ".".join(parts[1:4]), t[2]), leaf, stmts, ind)
        return f"np.{parts[4]}({e})", parts[4]
    kids = [_fz_expr(k, leaf, stmts, ind)[0] for k in t[2]]
    if parts[0] == "numpy":
        f, ty = parts[1], parts[2]
        rt = _fz_functype(f, ty)
        conv = ["np.bool_", "np." + ty, "np." + ty] if f == "where" else ["np." + ty] * len(kids)
        xs = [f"{c}({k})" for c, k in zip(conv, kids)]
        flt = ty in ("float32", "float64")
        if f in _FZ_MATH and flt or f in _FZ_MATH and ty not in ("complex64", "complex128"):
            e = f"{_FZ_MATH[f]}({', '.join(xs)})"
        elif f in ("abs", "absolute", "fabs") and flt:
            e = f"abs({xs[0]})"
        elif f in ("degrees", "rad2deg", "radians", "deg2rad") and flt:
            k = f"(np.{ty}(180.0) / np.{ty}(math.pi))" if f in ("degrees", "rad2deg") else f"(np.{ty}(math.pi) / np.{ty}(180.0))"
            e = f"({xs[0]} * {k})"
        elif f == "sign" and ty.startswith("uint"):   # (a -1 there would be np.uint8(-1): OverflowError)
            e = f"(1 if {xs[0]} > 0 else 0)"
        elif f == "sign":
            x0 = xs[0]
            e = f"(1 if {x0} > 0 else (-1 if {x0} < 0 else ({x0} if {x0} != {x0} else 0)))"
        elif f == "isnan":
            e = f"({xs[0]} != {xs[0]})"
        elif f in ("minimum", "maximum"):
            c = "<" if f == "minimum" else ">"
            e = f"({xs[0]} if {xs[0]} != {xs[0]} or {xs[0]} {c} {xs[1]} else {xs[1]})"
        elif f == "where":
            e = f"({xs[1]} if {xs[0]} else {xs[2]})"
        elif f == "square":
            e = f"_cmul({xs[0]}, {xs[0]})" if ty.startswith("complex") else f"({xs[0]} * {xs[0]})"
        elif f == "clip":
            e = f"_clip({', '.join(xs)})"
        elif f in _UNFN:
            e = f"{_UNFN[f]}({xs[0]})"
        else:
            e = _fz_subst(_BINEXPR["numpy." + f], xs)
        return f"np.{rt}({e})", rt
    op, ty, rt = parts
    xs = [f"np.{ty}({k})" for k in kids]
    flt = ty in ("float32", "float64")
    if op == "mul" and ty.startswith("complex"):
        e = f"_cmul({xs[0]}, {xs[1]})"
    elif op == "pow" and t[2][1] in (("lit", 2), ("lit", 2.0)):
        e = f"({xs[0]} * {xs[0]})"          # NumPy's power of a scalar 2 is square
    elif op == "pow" and flt and t[2][1] == ("lit", 0.5):
        e = f"math.sqrt({xs[0]})"           # ... of 0.5 sqrt (sqrt(-0.0) is -0.0, sqrt(-inf) nan)
    elif op == "pow" and flt and t[2][1] in (("lit", -1), ("lit", -1.0)):
        e = f"(1.0 / {xs[0]})"              # ... of -1 reciprocal
    elif op == "invert" and ty == "bool_":
        e = f"(not {xs[0]})"                # a comparison inside the tree gives a Python bool: ~ is not
    elif op in ("truediv", "add", "sub", "mul") and ty in ("float32", "float64"):
        e = f"({xs[0]} {dict(truediv='/', add='+', sub='-', mul='*')[op]} {xs[1]})"
    else:
        e = "(" + _fz_subst((_BINEXPR if op in _BINEXPR else _UNEXPR)[op], xs) + ")"
    return f"np.{rt}({e})", rt


def _fz_key(name):
    """The suffix of a fused loop's functions: from its name, not from the order of
    compilation, so the on-disk cache finds the same loop in another process."""
    import hashlib
    return hashlib.blake2b(name.encode(), digest_size=8).hexdigest()


def _fz_shapes(t, kinds):
    """Source lines that check that the operations of tree 't' broadcast, and the
    root's dimensions (variable names).  Every operation broadcasts iff all the
    array leaves broadcast together (each leaf reaches the root), so the code
    checks the leaves once, not each operation.  When they do not, the guard
    carries the tree as tokens (_fz_tokens) and the leaves' shapes, and
    jit/rterror.c replays the operations in evaluation order to name the first
    that fails as NumPy does: "operands could not be broadcast together with
    shapes (3,) (4,) ", that operation's operands."""
    arrs = [k for k in range(len(kinds)) if kinds[k]]
    nd = max((kinds[k] for k in arrs), default=0)
    lines, dims = ["    _ok = True"], []
    for d in range(nd):
        ds = [f"l{k}.shape[{d - (nd - kinds[k])}]" for k in arrs if d >= nd - kinds[k]]
        v = f"_b{d}"
        dims.append(v)
        lines.append(f"    {v} = {ds[0]}")
        for x in ds[1:]:   # plain compares and selects, no calls: a short function for LLVM
            lines.append(f"    _ok &= ({v} == {x}) | ({v} == 1) | ({x} == 1)")
            lines.append(f"    {v} = {v} if {x} == 1 else {x}")
    if len(arrs) > 1:
        words = _fz_tokens(t, kinds, arrs)
        shapes = "".join(f", l{k}.shape" for k in arrs)
        lines.append("    if not _ok:")
        if words is not None and 1 + len(words) + sum(1 + kinds[k] for k in arrs) <= 16:   # IR_MAXPAY
            tup = "(" + "".join(f"{w}, " for w in words) + ")"
            lines.append(f"        _prim.check_bcast_tree(True, {tup}{shapes})")
        else:
            lines.append(f"        _prim.check_bcast(True{shapes})")
    return lines, dims


def _fz_tokens(t, kinds, arrs):
    """Tree 't' as the program jit/rterror.c replays to find the operation that does
    not broadcast: their count, then tokens of 4 bits, 15 to an int, in evaluation order: 0-11 push
    the shape of the array leaf of that rank in 'arrs', 12 pushes () (a scalar that
    np.where and np.clip count), 13 and 14 pop two or three shapes and push their
    broadcast, or stop with that operation's shapes; None if it does not fit."""
    named = {}

    def walk(t):
        """(tokens that push the shape of 't', its ndim), or None for a scalar."""
        if t[0] == "leaf":
            k = t[1]
            if kinds[k] is None:
                return None
            return ([arrs.index(k)] if kinds[k] else [12], kinds[k])
        if t[0] == "lit":
            return None
        if t[0] == "ref":
            return named[t[1]]
        if t[0] == "def":
            named[t[1]] = walk(t[2])
            return named[t[1]]
        ops = [walk(k) for k in t[2]]
        every = t[1].startswith("numpy.where") or t[1].startswith("numpy.clip")
        arrays = [([12], 0) if o is None else o for o in ops if o is not None or every]
        if sum(1 for o in arrays if o[1]) < 2:   # no broadcast to check: the widest operand's shape
            return max(arrays, key=lambda o: o[1]) if arrays else None
        if len(arrays) > 3:
            raise ValueError
        return ([x for o in arrays for x in o[0]] + [11 + len(arrays)], max(o[1] for o in arrays))

    if len(arrs) > 12:
        return None
    try:
        toks = walk(t)[0]
    except ValueError:
        return None
    return [len(toks)] + [sum(x << (4 * j) for j, x in enumerate(toks[i:i + 15])) for i in range(0, len(toks), 15)]


def _fz_span(k, nk):
    """Source of (lo, hi): the byte range array l<k> (nk dimensions, non-empty) spans."""
    lo = [f"min(0, (l{k}.shape[{j}] - 1) * l{k}.strides[{j}])" for j in range(nk)]
    hi = [f"max(0, (l{k}.shape[{j}] - 1) * l{k}.strides[{j}])" for j in range(nk)]
    base = f"_prim.data(l{k})"
    return f"{base} + {' + '.join(lo)}", f"{base} + {' + '.join(hi)} + l{k}.itemsize"


def _fz_into(name, t, kinds, fast, exclude):
    """The loop of "ew.fuse.into.<op>.<T>.<RT>.<OT>($0,<tree>)|...": leaf 0 is the array
    written (any layout), as NumPy's `a op= b`: the other leaves must broadcast to its
    shape, and one that shares its memory is copied first, so the loop reads old values."""
    nl, nd = len(kinds), kinds[0]
    key = _fz_key(name)
    sig = ", ".join(f"l{k}" for k in range(nl))
    others = [k for k in range(1, nl) if kinds[k]]
    dvars = "(" + "".join(f"d{d}, " for d in range(nd)) + ")"
    src = [f"def _fz_{key}({sig}):"]
    src += [f"    d{d} = l0.shape[{d}]" for d in range(nd)]
    src.append("    n = l0.size")
    for k in others:
        for j in range(kinds[k]):
            d = nd - kinds[k] + j
            src.append(f"    _prim.check_bcast(_bd(d{d}, l{k}.shape[{j}]) != d{d})")
    if others:
        lo0, hi0 = _fz_span(0, nd)
        src.append(f"    lo0 = {lo0}")
        src.append(f"    hi0 = {hi0}")
    for k in others:
        lo, hi = _fz_span(k, kinds[k])
        src.append(f"    if n == 0 or l{k}.size == 0:")
        src.append(f"        sep{k} = True")
        src.append("    else:")
        src.append(f"        sep{k} = {hi} <= lo0 or hi0 <= {lo}")
        src.append(f"    if _prim.c_contiguous(l{k}) and l{k}.size == n and sep{k}:")
        src.append(f"        f{k} = _prim.flat(l{k})")
        src.append("    else:")
        src.append(f"        f{k} = _prim.flat(_bcopy(l{k}, {dvars}))")

    def scalar(k):
        return f"l{k}[()]" if kinds[k] == 0 else f"l{k}"

    stmts = []
    e, _ = _fz_expr(t, lambda k: "fo[i]" if k == 0 else f"f{k}[i]" if kinds[k] else scalar(k), stmts, "        ")
    src.append("    if _prim.c_contiguous(l0):")
    src.append("        fo = _prim.flat(l0)")
    src.append("        for i in range(n):")
    src += ["    " + s for s in stmts]
    src.append(f"            fo[i] = {e}")
    src.append("        return l0")
    src.append("    i = np.int64(0)")
    ind = "    "
    for d in range(nd):
        src.append(f"{ind}for i{d} in range(d{d}):")
        ind += "    "
    at = f"l0[{', '.join(f'i{d}' for d in range(nd))}]"
    stmts = []
    e, _ = _fz_expr(t, lambda k: at if k == 0 else f"f{k}[i]" if kinds[k] else scalar(k), stmts, ind)
    src += stmts
    src.append(f"{ind}{at} = {e}")
    src.append(f"{ind}i += 1")
    src.append("    return l0")
    ns = {}
    exec(compile("\n".join(src) + "\n", f"<ember._lib {name}>", "exec"), globals(), ns)
    for k, f in ns.items():
        globals()[k] = jit(f, _npmath=True, fastmath=fast, boundscheck=False, rewrites={"exclude": exclude})
    return globals()[f"_fz_{key}"]


@jit(boundscheck=False)
def _bcast_into(dst, src):
    """dst[...] = src, src broadcast (at most dst.ndim dimensions, each 1 or dst's)."""
    if src.ndim < dst.ndim:
        for i in range(dst.shape[0]):
            _bcast_into(dst[i], src)
        return
    s = 0 if src.shape[0] == 1 else 1
    if dst.ndim == 1:
        for i in range(dst.shape[0]):
            dst[i] = src[i * s]
        return
    for i in range(dst.shape[0]):
        _bcast_into(dst[i], src[i * s])


@jit
def _bcopy(src, shape):
    """A new C-ordered array of 'shape' holding 'src' broadcast to it: the
    runtime's one C loop (ember_rt_bcast_copy) over the extents and the byte
    strides src is read with, 0 along the axes it is broadcast in, instead of a
    compiled _bcast_into per item type and rank in every fused loop's module."""
    dst = np.empty(shape, src.dtype)
    if src.ndim > dst.ndim:
        _bcast_into(dst, src)   # a TypingError, as before
        return dst
    nd = dst.ndim
    d = np.zeros(2 * nd, np.int64)
    i = 0
    for e in dst.shape:   # tuples: unrolled
        d[i] = e
        i += 1
    i = 2 * nd - src.ndim
    for e in src.shape:   # the extent first, then the stride where it is not 1
        d[i] = e
        i += 1
    i = 2 * nd - src.ndim
    for s in src.strides:
        d[i] = 0 if d[i] == 1 else s
        i += 1
    _prim.bcast_copy(_prim.data(dst), _prim.data(src), nd, dst.itemsize, _prim.data(d))
    return dst


_FZ_BLOCK = 1024     # items of a fused reduction computed at once (8 KiB of float64)


def _fz_gen(name):
    """The loop for "ew.fuse.<tree>|<leaves>" or "ew.fred.<sum|mean>.<tree>|<leaves>"."""
    body, kinds, *rest = name.split("|")
    kinds = [None if k == "S" else int(k[1:]) for k in kinds.split(",")]
    into = [int(r[2:]) for r in rest if r.startswith("i:")]
    opts = [o for r in rest if r.startswith("o:") for o in r[2:].split(",")]
    fast = "fastmath" in opts
    exclude = [o for o in opts if o != "fastmath"]
    red = None
    if body.startswith("ew.fred."):
        red, _, tree = body[8:].partition(".")
    else:
        tree = body[8:]
    t, _ = _fz_parse(tree)
    if t[1].startswith("into."):
        return _fz_into(name, t, kinds, fast, exclude)
    nl = len(kinds)
    ls = [f"l{k}" for k in range(nl)]
    arrs = [k for k in range(nl) if kinds[k]]
    nd = max(kinds[k] for k in arrs)
    key = _fz_key(name)
    _, rt = _fz_expr(t, lambda k: "")
    if "h" in rest:     # a float16 result (NumPy's for float16 operands), computed in float32
        rt = "float16"
    src = []
    # the broadcast shape of every operation, checked, and the result's dimensions
    shape_src, dims = _fz_shapes(t, kinds)

    def scalar(k):
        return f"l{k}[()]" if kinds[k] == 0 else f"l{k}"

    flat_stmts = []
    flat_expr, _ = _fz_expr(t, lambda k: f"f{k}[i]" if kinds[k] else scalar(k), flat_stmts, "        ")
    sig = ", ".join(ls)
    dvars = "(" + "".join(f"d{d}, " for d in range(nd)) + ")"

    def flat_leaves(ind):
        """f<k>: each array leaf's elements in C order, the result's size: the leaf
        itself when C-contiguous of that size, else a broadcast copy (_bcopy)."""
        lines = []
        for k in arrs:
            if kinds[k] == 0:
                continue
            lines.append(f"{ind}if _prim.c_contiguous(l{k}) and l{k}.size == n:")
            lines.append(f"{ind}    f{k} = _prim.flat(l{k})")
            lines.append(f"{ind}else:")
            lines.append(f"{ind}    f{k} = _prim.flat(_bcopy(l{k}, {dvars}))")
        return lines

    # one function and one loop per tree (each compile costs LLVM time): the
    # elements in C order; operands that are not C-contiguous of the result's
    # shape (views, broadcasting) are copied first, as NumPy's buffered loops do
    src.append(f"def _fz_{key}({sig}):")
    src += shape_src
    src += [f"    d{d} = {dims[d]}" for d in range(nd)]
    if into:   # passes/fuse.c: leaf k is dead and unseen: it takes the result when its shape is the result's
        k = into[0]
        same = " and ".join(f"l{k}.shape[{d}] == d{d}" for d in range(nd))
        src.append(f"    out = l{k} if {same} else np.empty({dvars}, np.{rt})")
    else:
        src.append(f"    out = np.empty({dvars}, np.{rt})")
    src.append("    n = out.size")
    ind = "    "
    if nd == 2 and any(kinds[k] for k in arrs):
        # two dimensions: one loop over the items when every array leaf is C-contiguous
        # of the result's size, else row by row (an outer product, x[:, None] - y[None, :]):
        # a leaf's row read in place or, when broadcast along the row, its one item spread
        # into a buffer of a row, instead of a broadcast copy of the whole result per leaf
        # (np.outer of 1000: 7x faster).  One inner loop either way (compile time).
        row_stmts = []
        row_expr, _ = _fz_expr(t, lambda k: f"g{k}[j]" if kinds[k] else scalar(k), row_stmts, "            ")
        src.append("    whole = True")
        for k in arrs:
            if kinds[k]:
                src.append(f"    if _prim.c_contiguous(l{k}) and l{k}.size == n:")
                src.append(f"        f{k} = _prim.flat(l{k})")
                src.append("    else:")
                src.append(f"        f{k} = np.empty(0, l{k}.dtype)")
                src.append("        whole = False")
        src.append("    nr = 1 if whole else d0")
        src.append("    nc = n if whole else d1")
        src.append("    fa = _prim.flat(out)")
        for k in arrs:
            if kinds[k]:
                src.append(f"    b{k} = np.empty(0 if whole else d1, l{k}.dtype)")
        src.append("    for i in range(nr):")
        for k in arrs:
            if not kinds[k]:
                continue
            src.append("        if whole:")
            src.append(f"            g{k} = f{k}")
            src.append("        else:")
            if kinds[k] == 2:
                src.append(f"            r{k} = l{k}[i if l{k}.shape[0] != 1 else 0]")
            else:
                src.append(f"            r{k} = l{k}")
            src.append(f"            g{k} = r{k}")
            src.append(f"            if r{k}.shape[0] != d1:")
            src.append(f"                x{k} = r{k}[0]")
            src.append("                for j in range(d1):")
            src.append(f"                    b{k}[j] = x{k}")
            src.append(f"                g{k} = b{k}")
        src.append("        fo = fa[i * nc:(i + 1) * nc]")
        src.append("        for j in range(nc):")
        src += row_stmts
        src.append(f"            fo[j] = {row_expr}")
        src.append("    return out")
        src.append("")
    else:
        src += flat_leaves(ind)
        src.append("    fo = _prim.flat(out)")
        src.append("    for i in range(n):")
        src += flat_stmts
        src.append(f"        fo[i] = {flat_expr}")
        src.append("    return out")
        src.append("")
    entry = f"_fz_{key}"
    if red and rt in ("float32", "float64"):
        # NumPy's pairwise sum over the elements in C order: each part of at most
        # _FZ_BLOCK items is computed into 'buf' (a long vectorized loop: with blocks
        # of 128, a fifth of exp's calls fell to the scalar remainder loop), then
        # summed by _pairwise, which splits it as the recursion here would
        blk_stmts = []
        blk_expr, _ = _fz_expr(t, lambda k: f"g{k}[i]" if kinds[k] else scalar(k), blk_stmts, "            ")
        fsig = ", ".join(f"f{k}" if kinds[k] else f"l{k}" for k in range(nl))
        src = [f"def _fzp_{key}(buf, lo, m, s, {fsig}):"]
        src.append(f"    if m <= {_FZ_BLOCK}:")
        for k in arrs:
            if kinds[k] > 0:
                src.append(f"        g{k} = f{k}[lo:lo + m]")
        src.append("        for i in range(m):")
        src += blk_stmts
        src.append(f"            buf[i] = {blk_expr}")
        src.append("        return _pairwise(buf, 0, m, s)")
        src.append("    m2 = m // 2")
        src.append("    m2 -= m2 % 8")
        src.append(f"    return s + (_fzp_{key}(buf, lo, m2, s - s, {fsig}) + _fzp_{key}(buf, lo + m2, m - m2, s - s, {fsig}))")
        src.append("")
        src.append(f"def _fzr_{key}({sig}):")
        src += shape_src
        src += [f"    d{d} = {dims[d]}" for d in range(nd)]
        src.append("    n = 1" + "".join(f" * d{d}" for d in range(nd)))
        src += flat_leaves("    ")
        src.append(f"    s = _fzp_{key}(np.empty({_FZ_BLOCK}, np.{rt}), 0, n, np.{rt}(0), {fsig})")
        src.append("    return s / n" if red == "mean" else "    return s")
        entry = f"_fzr_{key}"
    ns = {}
    code = "\n".join(src) + "\n"
    exec(compile(code, f"<ember._lib {name}>", "exec"), globals(), ns)
    for k, f in ns.items():
        # indices are in range by construction (the broadcast shape is checked first);
        # the reduction's driver (_fzr_) is not element code: inspect_ir leaves it out
        globals()[k] = jit(f, _npmath="driver" if k.startswith("_fzr_") else True, fastmath=fast,
                           boundscheck=False, rewrites={"exclude": exclude})
    return globals()[entry]


# -- Python builtins of tuples and arrays ---------------------------------------
# CPython's own loops over the items: min and max as _min above; sum adds in
# index order from `start` (0) with the items' own arithmetic, which for NumPy
# values is NumPy's scalar arithmetic (0 + an int8 wraps as int8), not NumPy's
# pairwise sum; from 3.12 CPython sums Python floats with Neumaier's
# compensation (_sum_step; an f64 item counts as a Python float).  Tuples are
# unrolled (an index of a tuple must be a constant): one statement per item,
# and infer keeps those of the tuple's length (infer.c allows at most 32).
# An empty array: CPython's ValueError for min and max (its text changed in 3.12).
# The difference the README names: where an int and a float meet the result
# is a float, so sum of an empty float array is 0.0 (CPython: 0).

_COMPENSATED = sys.version_info >= (3, 12)
_NEW_TEXTS = sys.version_info >= (3, 12)
_MAXT = 32


@jit
def _builtin_nonempty(a, f):
    """CPython's ValueError for builtin 'f' ("min", "max") of an empty 1-D array."""
    if a.shape[0] == 0:
        if _NEW_TEXTS:
            raise ValueError(f"{f}() iterable argument is empty")
        raise ValueError(f"{f}() arg is an empty sequence")


@jit
def _min_a(a):
    """min() of a 1-D array: CPython's loop over its items."""
    _builtin_nonempty(a, "min")
    m = a[0]
    for i in range(1, a.shape[0]):
        if a[i] < m:
            m = a[i]
    return m


@jit
def _max_a(a):
    _builtin_nonempty(a, "max")
    m = a[0]
    for i in range(1, a.shape[0]):
        if a[i] > m:
            m = a[i]
    return m


@_impl("builtins.sum")
def _sum(a, start=0):
    """sum(a, start) of a tuple or array: a left fold; of a 2-D array, the sum of its rows
    (an array; with no rows CPython gives start, here IndexError)."""
    if not _prim.is_array(a):
        return _sum_t(a, start)
    if a.ndim >= 2:
        s = start + a[0]
        for i in range(1, a.shape[0]):
            s = s + a[i]
        return s
    s = start + _prim.dtype_of(a).type(-0.0)    # a Python float start stays weak (NEP 50) in the loop
    for i in range(a.shape[0]):
        s = s + a[i]
    return s


@jit
def _sum_step(s, c, x):
    """(s, c) after adding item x: CPython's sum, compensation c while s is a float."""
    if _COMPENSATED and _prim.floating(s):
        if _prim.floating(x):
            t = s + x
            if abs(s) >= abs(x):
                c += (s - t) + x
            else:
                c += (x - t) + s
            return t, c
        if not _prim.inexact(x):
            return s + float(x), c
        if c != 0.0 and math.isfinite(c):       # leaving the float loop
            s += c
        return s + x, 0.0
    return s + x, c


@jit
def _sum_end(s, c):
    if _COMPENSATED and _prim.floating(s) and c != 0.0 and math.isfinite(c):
        return s + c
    return s


_IMPL["ember.sum_step"] = _sum_step     # sum of a generator expression (frontend/nested.c)
_IMPL["ember.sum_end"] = _sum_end


@_impl("builtins.any")
def _any(a):
    """any() of a tuple or 1-D array: the truth of each item, in order."""
    if not _prim.is_array(a):
        return _any_t(a)
    for i in range(a.shape[0]):
        if a[i]:
            return True
    return False


@_impl("builtins.all")
def _all(a):
    if not _prim.is_array(a):
        return _all_t(a)
    for i in range(a.shape[0]):
        if not a[i]:
            return False
    return True


@_impl("builtins.divmod")
def _divmod(a, b):
    """divmod of NumPy values: NumPy's floor division and remainder."""
    return a // b, a % b


@_impl("builtins.pow")
def _pow_mod(b, e, m):
    """pow(b, e, m) of Python ints: CPython's (the result has m's sign; e < 0 takes the
    inverse of b modulo m); a product past int64 is an overflow, so the interpreter's."""
    if not isinstance(b, int) or not isinstance(e, int) or not isinstance(m, int):
        raise TypeError("pow() 3rd argument not allowed unless all arguments are integers")
    if m == 0:
        raise ValueError("pow() 3rd argument cannot be 0")
    b %= m
    if e < 0:
        g, x, r, y = b, 1, m, 0     # extended Euclid: x * b == g (mod m)
        while r:
            q = g // r
            g, r = r, g - q * r
            x, y = y, x - q * y
        if g != 1 and g != -1:
            raise ValueError("base is not invertible for the given modulus")
        b = x * g % m
        e = -e
    r = 1 % m
    while e:
        if e & 1:
            r = r * b % m
        b = b * b % m
        e >>= 1
    return r


@_impl("builtins.complex")
def _complex(re, im):
    """complex(re, im) of numbers, NumPy's among them: CPython's rule, re + im*1j
    taken apart (a complex im moves its imaginary part into the real part)."""
    if _prim.inexact(re) and not _prim.floating(re):
        rr = float(re.real)
    else:
        rr = float(re)
    if _prim.inexact(im) and not _prim.floating(im):
        ir = float(im.real)
        rr = rr - float(im.imag)
    else:
        ir = float(im)
    if _prim.inexact(re) and not _prim.floating(re):
        ir = ir + float(re.imag)
    return complex(rr, ir)


def _gen_builtins(maxn):
    """Define _min_n, _max_n (2 to 8 values, None for the missing ones) and, for tuples
    of up to 'maxn' items, _min_t, _max_t, _sum_t, _any_t, _all_t."""
    src = []
    for name, op in (("min", "<"), ("max", ">")):
        src.append(f"def _{name}_n(a, b, c, d, e, f, g, h):\n    m = a\n    if b {op} m:\n        m = b")
        for v in "cdefgh":
            src.append(f"    if {v} is None:\n        return m\n    if {v} {op} m:\n        m = {v}")
        src.append("    return m\n")
        src.append(f"def _{name}_t(t):\n    m = t[0]")
        for k in range(1, maxn):
            src.append(f"    if len(t) > {k}:\n        if t[{k}] {op} m:\n            m = t[{k}]")
        src.append("    return m\n")
    src.append("def _sum_t(t, s):\n    c = 0.0")
    for k in range(maxn):
        src.append(f"    if len(t) > {k}:\n        s, c = _sum_step(s, c, t[{k}])")
    src.append("    return _sum_end(s, c)\n")
    for name, test, hit in (("any", "t[{k}]", "True"), ("all", "not t[{k}]", "False")):
        src.append(f"def _{name}_t(t):")
        for k in range(maxn):
            src.append(f"    if len(t) > {k}:\n        if {test.format(k=k)}:\n            return {hit}")
        src.append(f"    return {'False' if hit == 'True' else 'True'}\n")
    _define("\n".join(src), "<ember._lib builtins>")


_gen_builtins(_MAXT)


# -- Stable forms made by rewrites (passes/stabilize.c) ---------------------------
# Compiled without the rewrites that make them, or they would call themselves.

def _stable(name):
    def deco(f):
        d = jit(rewrites={"exclude": ["logsumexp", "softmax", "log_softmax"]})(f)
        _IMPL[name] = d
        return d
    return deco


@_stable("ember.logsumexp")
def _logsumexp(x):
    """log(sum(exp(x))) shifted by the maximum; the naive form where that is not finite (nan, inf, empty)."""
    if x.size == 0:
        return np.log(np.sum(np.exp(x)))
    m = max_(x)
    if m - m != 0:
        return np.log(np.sum(np.exp(x)))
    return m + math.log(np.sum(np.exp(x - m)))


@_stable("ember.softmax")
def _softmax(x):
    """exp(x) / sum(exp(x)) shifted by the maximum; the naive form where that is not finite."""
    if x.size == 0:
        return np.exp(x) / np.sum(np.exp(x))
    m = max_(x)
    if m - m != 0:
        return np.exp(x) / np.sum(np.exp(x))
    e = np.exp(x - m)
    return e / np.sum(e)


@_stable("ember.logsumexp_axis")
def _logsumexp_axis(x, axis):
    """log(sum(exp(x), axis)) of a 2-D x, each line shifted by its maximum (passes/stabilize.c)."""
    k = _axis(axis, 2)
    if k == 1:
        out = np.empty((x.shape[0],), np.float64)
        for i in range(x.shape[0]):
            out[i] = _logsumexp(x[i])
        return out
    out = np.empty((x.shape[1],), np.float64)
    for j in range(x.shape[1]):
        out[j] = _logsumexp(x[:, j])
    return out


from ._lib_breadth import sum_dtype as _sum_dtype, prod_dtype as _prod_dtype, mean_dtype as _mean_dtype  # noqa: E402
