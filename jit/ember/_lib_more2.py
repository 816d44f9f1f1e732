"""NumPy functions users port from Numba that the other library modules lacked
(the coverage sweep of task HX): np.reshape, np.transpose and a.transpose(),
np.atleast_1d/2d, np.expand_dims, np.swapaxes/np.moveaxis/np.rot90 of 2-D arrays,
np.pad (mode 'constant'), np.split/np.array_split, np.append, np.delete, np.insert,
np.gradient, np.sinc, np.reciprocal, np.float_power, np.divmod, np.nan_to_num,
np.logspace, np.geomspace, np.vdot, np.inner, np.ediff1d, np.size/np.shape/np.ndim,
np.angle, np.tri/np.triu_indices/np.tril_indices, np.poly{add,der,int,mul}, np.polyfit,
np.union1d/np.intersect1d/np.setdiff1d, np.extract, np.select, np.isreal, np.iscomplex,
np.iscomplexobj, np.ascontiguousarray, np.linalg.pinv, a.item(), a.tolist().  Each is
NumPy's own algorithm written with ember.jit (the same operations in the same order).
Registered in _lib's table when first needed (the last module of _lib's _LAZY)."""

import math

import numpy as np

from . import _prim
from . import jit
from ._lib import _impl, _axis
from ._lib_shape import concatenate, _ins_dim, _atleast_1d, _atleast_2d
from ._lib_more import _correlate, vander
from ._lib_gaps import _sl


# -- shapes and views --------------------------------------------------------------------------

@_impl("numpy.reshape")
def reshape(a, shape):
    """a.reshape(shape): a view of a C-contiguous array, else of a C-ordered copy (the
    method resolves a negative extent and raises NumPy's errors)."""
    return np.ravel(a).reshape(shape)


@_impl("numpy.transpose", "ndarray.transpose")
def transpose(a):
    return a.T


_impl("numpy.atleast_1d")(_atleast_1d.py_func)     # of one array (_lib_shape's, for vstack and hstack)
_impl("numpy.atleast_2d")(_atleast_2d.py_func)


@_impl("numpy.expand_dims")
def expand_dims(a, axis):
    """A view of 'a' with an extent-1 axis inserted at 'axis' (an int)."""
    return np.ravel(a).reshape(_ins_dim(a, _axis(axis, a.ndim + 1), 1))


@jit
def _check2(a):
    if a.ndim != 2:
        raise NotImplementedError("only 2-D arrays")


@_impl("numpy.swapaxes", "ndarray.swapaxes")
def swapaxes(a, axis1, axis2):
    """2-D arrays: a.T when the axes differ (a view), else a view of 'a'."""
    _check2(a)
    if _axis(axis1, 2) != _axis(axis2, 2):
        return a.T
    return a[:, :]


@_impl("numpy.moveaxis")
def moveaxis(a, source, destination):
    return swapaxes(a, source, destination)


@_impl("numpy.rot90")
def rot90(m, k=1):
    """NumPy's rot90 of a 2-D array in the plane of its two axes: views (flips and .T)."""
    _check2(m)
    k = k % 4
    if k == 0:
        return m[:, :]
    if k == 2:
        return m[::-1, ::-1]
    if k == 1:
        return m[:, ::-1].T
    return m.T[:, ::-1]


# -- np.pad (mode 'constant'), np.split, np.array_split, np.append ------------------------------

@jit
def _pad_pair(p, k):
    """(before, after) of axis k from np.pad's pad_width: an int, (b, a), or ((b, a), ...)."""
    if isinstance(p, int):
        b, e = p, p
    elif not _prim.is_tuple(p[0]):
        if len(p) == 1:
            b, e = p[0], p[0]
        else:
            b, e = p[0], p[1]
    elif len(p) == 1:
        b, e = p[0][0], p[0][1]
    else:
        b, e = p[k][0], p[k][1]
    if b < 0 or e < 0:
        raise ValueError("index can't contain negative values")
    return b, e


@_impl("numpy.pad")
def pad(array, pad_width, mode=None, constant_values=0):
    """np.pad with mode 'constant' (the default; None, frontend/strargs.c) of arrays of 1 to 3 dimensions."""
    a = array
    if a.ndim == 1:
        b0, e0 = _pad_pair(pad_width, 0)
        out = np.full((a.shape[0] + b0 + e0,), constant_values, a.dtype)
        out[b0:b0 + a.shape[0]] = a
        return out
    if a.ndim == 2:
        b0, e0 = _pad_pair(pad_width, 0)
        b1, e1 = _pad_pair(pad_width, 1)
        out = np.full((a.shape[0] + b0 + e0, a.shape[1] + b1 + e1), constant_values, a.dtype)
        out[b0:b0 + a.shape[0], b1:b1 + a.shape[1]] = a
        return out
    if a.ndim == 3:
        b0, e0 = _pad_pair(pad_width, 0)
        b1, e1 = _pad_pair(pad_width, 1)
        b2, e2 = _pad_pair(pad_width, 2)
        out = np.full((a.shape[0] + b0 + e0, a.shape[1] + b1 + e1, a.shape[2] + b2 + e2), constant_values, a.dtype)
        out[b0:b0 + a.shape[0], b1:b1 + a.shape[1], b2:b2 + a.shape[2]] = a
        return out
    raise NotImplementedError("np.pad of arrays of more than 3 dimensions")


@jit
def _split_at(a, divs, k):
    """The views of 'a' between the division points 'divs' (a list) along axis k."""
    out = [_sl(a, k, divs[0], divs[1])]
    for i in range(1, len(divs) - 1):
        out.append(_sl(a, k, divs[i], divs[i + 1]))
    return out


@jit
def _divs(n, ios):
    """np.array_split's division points of n items: 'ios' sections (an int) or indices."""
    divs = [0]
    if isinstance(ios, int):
        if ios <= 0:
            raise ValueError("number sections must be larger than 0.")
        each, extras = n // ios, n % ios
        for i in range(ios):
            divs.append(divs[i] + each + (1 if i < extras else 0))
        return divs
    for i in ios:
        divs.append(min(max(i if i >= 0 else i + n, 0), n))
    divs.append(n)
    return divs


@_impl("numpy.array_split")
def array_split(ary, indices_or_sections, axis=0):
    k = _axis(axis, ary.ndim)
    return _split_at(ary, _divs(ary.shape[k], indices_or_sections), k)


@_impl("numpy.split")
def split(ary, indices_or_sections, axis=0):
    k = _axis(axis, ary.ndim)
    if isinstance(indices_or_sections, int) and indices_or_sections > 0 and \
            ary.shape[k] % indices_or_sections != 0:
        raise ValueError("array split does not result in an equal division")
    return _split_at(ary, _divs(ary.shape[k], indices_or_sections), k)


@_impl("numpy.append")
def append(arr, values, axis=None):
    if axis is None:
        return concatenate((np.ravel(arr), np.ravel(np.asarray(values))))
    return concatenate((arr, values), axis)


# -- np.gradient (uniform spacing, edge_order 1) -----------------------------------------------

@jit
def _grad_float(f):
    """f as NumPy's gradient computes it: ints become float64, floats stay."""
    if _prim.inexact(f):
        return f
    return f.astype(np.float64)


@jit
def _grad_axis(f, k, dx):
    n = f.shape[k]
    if n < 2:
        raise ValueError("Shape of array too small to calculate a numerical gradient, "
                         "at least (edge_order + 1) elements are required.")
    out = np.empty_like(f)
    _sl(out, k, 1, n - 1)[...] = (_sl(f, k, 2, n) - _sl(f, k, 0, n - 2)) / (2. * dx)
    _sl(out, k, 0, 1)[...] = (_sl(f, k, 1, 2) - _sl(f, k, 0, 1)) / dx
    _sl(out, k, n - 1, n)[...] = (_sl(f, k, n - 1, n) - _sl(f, k, n - 2, n - 1)) / dx
    return out


@_impl("numpy.gradient")
def gradient(f, dx=1.0, axis=None):
    """np.gradient with one scalar spacing: of a 1-D array (or along 'axis') an array, of a
    2-D array without 'axis' the tuple of both."""
    g = _grad_float(f)
    if axis is not None:
        return _grad_axis(g, _axis(axis, f.ndim), dx)
    if f.ndim == 1:
        return _grad_axis(g, 0, dx)
    if f.ndim == 2:
        return _grad_axis(g, 0, dx), _grad_axis(g, 1, dx)
    raise NotImplementedError("np.gradient of 3 or more dimensions without axis=")


# -- elementwise -------------------------------------------------------------------------------

@_impl("numpy.sinc")
def sinc(x):
    y = np.pi * np.where(x == 0, 1.0e-20, x)
    return np.sin(y) / y


@_impl("numpy.reciprocal")
def reciprocal(x):
    if not _prim.inexact(x):
        raise NotImplementedError("np.reciprocal of integers")
    return 1.0 / x


@jit
def _f64(x):
    if _prim.is_array(x):
        if _prim.inexact(x) and not _prim.floating(x):
            return x.astype(np.complex128)
        return x.astype(np.float64)
    if isinstance(x, complex):
        return x
    return float(x)


@_impl("numpy.float_power")
def float_power(x1, x2):
    return np.power(_f64(x1), _f64(x2))


@_impl("numpy.divmod")
def divmod_(x1, x2):
    return np.floor_divide(x1, x2), np.remainder(x1, x2)


@jit
def _finite(v, nan, posinf, neginf):
    t = _prim.dtype_of(v).type
    if v != v:
        return t(nan)
    if v == math.inf:
        return t(posinf)
    if v == -math.inf:
        return t(neginf)
    return v


@_impl("numpy.nan_to_num")
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN to 'nan', +-inf to 'posinf'/'neginf' (the dtype's largest magnitudes by default);
    always a new array (copy=False copies too)."""
    out = x.copy()
    if not _prim.inexact(x):
        return out
    big = 3.4028234663852886e38 if x.itemsize == 4 or x.itemsize == 8 and not _prim.floating(x) else 1.7976931348623157e308
    hi = big if posinf is None else posinf
    lo = -big if neginf is None else neginf
    f = _prim.flat(out) if _prim.c_contiguous(out) else out.reshape(-1)
    if _prim.floating(x):
        for i in range(f.shape[0]):
            f[i] = _finite(f[i], nan, hi, lo)
    else:
        for i in range(f.shape[0]):
            f[i] = complex(_finite(f[i].real, nan, hi, lo), _finite(f[i].imag, nan, hi, lo))
    return out


@_impl("numpy.isreal")
def isreal(x):
    return np.imag(x) == 0


@_impl("numpy.iscomplex")
def iscomplex(x):
    return np.imag(x) != 0


@_impl("numpy.iscomplexobj")
def iscomplexobj(x):
    return _prim.inexact(x) and not _prim.floating(x)


@_impl("numpy.angle")
def angle(z, deg=False):
    a = np.arctan2(np.imag(z), np.real(z))
    if deg:
        return a * (180 / np.pi)
    return a


# -- constructors ------------------------------------------------------------------------------

@_impl("numpy.logspace")
def logspace(start, stop, num=50, endpoint=True, base=10.0):
    return np.power(base, np.linspace(start, stop, num, endpoint))


@_impl("numpy.geomspace")
def geomspace(start, stop, num=50, endpoint=True):
    """NumPy's geomspace of real start and stop: logspace of their log10s, endpoints exact."""
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    s = float(start)
    e = float(stop)
    sign = 1.0 if s > 0 else -1.0
    s = s / sign
    e = e / sign
    out = logspace(np.log10(s), np.log10(e), num, endpoint)
    if num > 0:
        out[0] = s
        if num > 1 and endpoint:
            out[-1] = e
    out *= sign
    return out


@_impl("numpy.tri")
def tri(N, M=None, k=0, dtype=None):
    m = N if M is None else M
    out = np.zeros((N, m), np.float64 if dtype is None else dtype)
    for i in range(N):
        for j in range(min(max(i + k + 1, 0), m)):
            out[i, j] = 1
    return out


@jit
def _tri_idx(n, k, m, upper):
    cnt = 0
    for i in range(n):
        for j in range(m):
            if (j - i >= k) if upper else (j - i <= k):
                cnt += 1
    r = np.empty(cnt, np.int64)
    c = np.empty(cnt, np.int64)
    p = 0
    for i in range(n):
        for j in range(m):
            if (j - i >= k) if upper else (j - i <= k):
                r[p] = i
                c[p] = j
                p += 1
    return r, c


@_impl("numpy.triu_indices")
def triu_indices(n, k=0, m=None):
    return _tri_idx(n, k, n if m is None else m, True)


@_impl("numpy.tril_indices")
def tril_indices(n, k=0, m=None):
    return _tri_idx(n, k, n if m is None else m, False)


# -- products, differences, polynomials, sets ---------------------------------------------------

@_impl("numpy.vdot")
def vdot(a, b):
    return np.dot(np.conj(np.ravel(a)), np.ravel(b))


@_impl("numpy.inner")
def inner(a, b):
    if b.ndim <= 1:
        return np.dot(a, b)
    return np.dot(a, b.T)


@_impl("numpy.ediff1d")
def ediff1d(ary, to_end=None, to_begin=None):
    a = np.ravel(ary)
    d = a[1:] - a[:-1]
    if to_begin is not None:
        d = concatenate((np.ravel(np.asarray(to_begin)).astype(a.dtype), d))
    if to_end is not None:
        d = concatenate((d, np.ravel(np.asarray(to_end)).astype(a.dtype)))
    return d


@_impl("numpy.size")
def size(a, axis=None):
    if axis is None:
        return a.size
    return a.shape[_axis(axis, a.ndim)]


@_impl("numpy.shape")
def shape(a):
    return a.shape


@_impl("numpy.ndim")
def ndim(a):
    return a.ndim


@_impl("ndarray.item")
def item(a, i=None):
    if i is None:
        if a.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return _py(np.ravel(a)[0])
    return _py(np.ravel(a)[i])


@jit
def _py(x):
    """A NumPy scalar as the Python scalar a.item() gives."""
    if _prim.floating(x):
        return float(x)
    if _prim.inexact(x):
        return complex(x)
    if isinstance(x, bool):
        return x
    return int(x)


@_impl("numpy.polyder")
def polyder(p):
    n = p.shape[0] - 1
    return p[:-1] * np.arange(n, 0, -1)


@_impl("numpy.polyint")
def polyint(p):
    return concatenate((p / np.arange(p.shape[0], 0, -1), np.zeros(1)))


@_impl("numpy.polyadd")
def polyadd(a1, a2):
    d = a1.shape[0] - a2.shape[0]
    if d == 0:
        return a1 + a2
    if d > 0:
        return a1 + concatenate((np.zeros(d, a2.dtype), a2))
    return concatenate((np.zeros(-d, a1.dtype), a1)) + a2


@_impl("numpy.polymul")
def polymul(a1, a2):
    """np.convolve of a1 and a2 without their leading zeros (NumPy's poly1d of each)."""
    p = _poly1d(a1)
    q = _poly1d(a2)
    if q.shape[0] > p.shape[0]:
        return _correlate(q, p[::-1], 2)
    return _correlate(p, q[::-1], 2)


@jit
def _poly1d(a):
    i = 0
    while i < a.shape[0] and a[i] == 0:
        i += 1
    if i == a.shape[0]:
        return np.zeros(1, a.dtype)
    return a[i:]


@_impl("numpy.union1d")
def union1d(ar1, ar2):
    return np.unique(concatenate((np.ravel(ar1), np.ravel(ar2))))


@_impl("numpy.intersect1d")
def intersect1d(ar1, ar2):
    aux = np.sort(concatenate((np.unique(ar1), np.unique(ar2))))
    m = aux[1:] == aux[:-1]
    return aux[:-1][m]


@_impl("numpy.setdiff1d")
def setdiff1d(ar1, ar2):
    a = np.unique(ar1)
    return a[np.logical_not(np.isin(a, ar2))]


@_impl("numpy.extract")
def extract(condition, arr):
    return np.ravel(arr)[np.ravel(condition) != 0]


@_impl("numpy.select")
def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    n = len(condlist)
    out = np.where(condlist[n - 1], choicelist[n - 1], default)
    for i in range(n - 2, -1, -1):
        out = np.where(condlist[i], choicelist[i], out)
    return out


@_impl("numpy.ascontiguousarray")
def ascontiguousarray(a):
    """a itself (as a view) when C-contiguous, else a C-ordered copy; 0-d becomes 1-D."""
    if a.ndim == 0:
        return np.ravel(a)
    return np.ravel(a).reshape(a.shape)


@_impl("numpy.polyfit")
def polyfit(x, y, deg):
    """NumPy's polyfit (no weights, no cov): the scaled Vandermonde matrix solved by lstsq
    (LAPACK's gelsd as NumPy calls it); NumPy's RankWarning is not given."""
    order = deg + 1
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if x.ndim != 1:
        raise TypeError("expected 1D vector for x")
    if x.shape[0] == 0:
        raise TypeError("expected non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError("expected 1D or 2D array for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("expected x and y to have same length")
    xf = x + 0.0
    yf = y + 0.0
    rcond = x.shape[0] * 2.220446049250313e-16
    lhs = vander(xf, order)
    scale = np.sqrt((lhs * lhs).sum(axis=0))
    lhs /= scale
    c = np.linalg.lstsq(lhs, yf, rcond)[0]
    return (c.T / scale).T


@_impl("numpy.linalg.pinv")
def pinv(a, rcond=None):
    """NumPy's pinv of a matrix: its svd (full_matrices=False) with the singular values at most
    rcond (1e-15) times the largest set to zero, vt.T @ (1 / s * u.T)."""
    if a.ndim != 2:
        raise NotImplementedError("numpy.linalg.pinv of stacks of matrices")
    r = 1e-15 if rcond is None else rcond
    if a.shape[0] == 0 or a.shape[1] == 0:
        # NumPy: an empty array of a's dtype; here of the result's (float64 for ints)
        return np.empty((a.shape[1], a.shape[0]), _prim.dtype_of(np.conj(np.zeros(1, a.dtype)[0]) * 1.0))
    u, s, vt = np.linalg.svd(np.conj(a), full_matrices=False)
    cutoff = r * np.max(s)
    for i in range(s.shape[0]):
        s[i] = 1 / s[i] if s[i] > cutoff else 0
    return vt.T @ (s[:, None] * u.T)


@_impl("ndarray.tolist")
def tolist(a):
    """a as (nested) lists of Python scalars, for arrays of 1 or 2 dimensions."""
    if a.ndim == 1:
        out = []
        for i in range(a.shape[0]):
            out.append(_py(a[i]))
        return out
    if a.ndim == 2:
        rows = []
        for i in range(a.shape[0]):
            row = []
            for j in range(a.shape[1]):
                row.append(_py(a[i, j]))
            rows.append(row)
        return rows
    raise NotImplementedError("a.tolist() of arrays of more than 2 dimensions")


@_impl("numpy.delete")
def delete(arr, obj, axis=None):
    """np.delete of one index (an int) along 'axis' (None: of the flattened array), or of a
    list or array of indices along the first axis (or of the flattened array)."""
    a = np.ravel(arr) if axis is None else arr
    k = 0 if axis is None else _axis(axis, arr.ndim)
    n = a.shape[k]
    if isinstance(obj, int):
        i = obj + n if obj < 0 else obj
        if i < 0 or i >= n:
            raise IndexError(f"index {obj} is out of bounds for axis {k} with size {n}")
        return concatenate((_sl(a, k, 0, i), _sl(a, k, i + 1, n)), k)
    if k != 0:
        raise NotImplementedError("np.delete of several indices along an axis other than the first")
    keep = np.ones(n, np.bool_)
    for j in obj:
        if j < -n or j >= n:
            raise IndexError(f"index {j} is out of bounds for axis {k} with size {n}")
        keep[j] = False
    return a[keep]


@_impl("numpy.insert")
def insert(arr, obj, values):
    """np.insert into the flattened array before index 'obj' (an int): 'values' (a number or a
    1-D array) cast to arr's dtype."""
    a = np.ravel(arr)
    n = a.shape[0]
    i = obj + n if obj < 0 else obj
    if i < 0 or i > n:
        raise IndexError(f"index {obj} is out of bounds for axis 0 with size {n}")
    v = np.ravel(np.asarray(values)).astype(a.dtype)
    return concatenate((a[:i], v, a[i:]))
