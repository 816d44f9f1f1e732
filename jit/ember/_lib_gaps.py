"""NumPy forms users write that the other library modules lacked: np.real and
np.imag (views, as the attributes), ... Compiled by Ember itself; registered
in _lib's table when _lib_more loads (its last line imports this module)."""

import numpy as np

from . import _prim
from . import jit
from ._lib import _impl, _axis
from ._lib_shape import concatenate, diff, _with_dim


# -- real, imag ----------------------------------------------------------------------------------

@_impl("numpy.real")
def real(val):
    """The real part: of a complex array the view a.real (writes through it change 'val')."""
    return val.real


@_impl("numpy.imag")
def imag(val):
    """The imaginary part: of a complex array the view a.imag; of a real array read-only zeros."""
    return val.imag


# -- a list as an index: NumPy's np.array of it (passes/infer_array.c, fancy_fn) ------------------

@_impl("ndarray.__getitem__.take.list", "ndarray.__getitem__.mask.list")
def getitem_list(x, idx):
    return x[np.array(idx)]


@_impl("ndarray.__setitem__.take.list", "ndarray.__setitem__.mask.list")
def setitem_list(x, idx, v):
    x[np.array(idx)] = v


# -- np.unique(a, return_index=, return_inverse=, return_counts=) --------------------------------
# The flags are constants: infer_array.c (unique_flags) names the variant
# "numpy.unique:ivc" with the letters of those True; plain "numpy.unique" is
# _lib_shape's.

@jit
def _unique_all(ar):
    """The sorted distinct items of 'ar' (NaNs as one), the index of each one's
    first occurrence, the inverse (ar's shape) and the counts, as NumPy's."""
    f = ar.ravel()
    order = np.argsort(f, kind="stable")
    n = f.shape[0]
    u = np.empty(n, ar.dtype)
    first = np.empty(n, np.int64)
    inv = np.empty(n, np.int64)
    cnt = np.zeros(n, np.int64)
    m = 0
    for k in range(n):
        j = order[k]
        x = f[j]
        if m == 0 or not (x == u[m - 1] or (x != x and u[m - 1] != u[m - 1])):
            u[m] = x
            first[m] = j
            m += 1
        cnt[m - 1] += 1
        inv[j] = m - 1
    return u[:m].copy(), first[:m].copy(), inv.reshape(ar.shape), cnt[:m].copy()


def _unique_variants():
    """Register numpy.unique:<flags> for each set of flags: the tuple of the items
    and, in NumPy's order, what the flags ask for (i index, v inverse, c counts)."""
    for flags in ("i", "v", "c", "iv", "ic", "vc", "ivc"):
        src = (f"def unique_{flags}(ar, return_index=False, return_inverse=False, return_counts=False):\n"
               f"    u, i, v, c = _unique_all(ar)\n"
               f"    return u, {', '.join(flags)}\n")
        ns = {}
        exec(compile(src, "<ember._lib_gaps unique>", "exec"), globals(), ns)
        _impl("numpy.unique:" + flags)(ns["unique_" + flags])


_unique_variants()


# -- out= of the elementwise functions (frontend/outkw.c), a.clip --------------------------------

@jit
def _kind_rank(dt):
    k = dt.kind
    return 0 if k == "b" else 1 if k == "u" else 2 if k == "i" else 3 if k == "f" else 4


@_impl("ember.ufunc_out")
def ufunc_out(out, r):
    """out[...] = r under NumPy's casting rule for a ufunc's out= (same_kind), then out."""
    if _kind_rank(r.dtype) > _kind_rank(out.dtype):
        raise TypeError("Cannot cast ufunc output to the dtype of out= with casting rule 'same_kind'")
    if r.ndim > out.ndim:
        raise ValueError("non-broadcastable output operand: the result has more dimensions than out=")
    else:
        out[...] = r
    return out


@_impl("ndarray.clip")
def clip_method(a, min=None, max=None):
    if min is None:
        return np.minimum(a, max)   # NumPy's clip with one bound (a.clip(max=2))
    if max is None:
        return np.maximum(a, min)
    return np.clip(a, min, max)


# -- np.diff's prepend= and append= (_lib_shape's diff calls diff_ends), np.trapezoid --------------

@jit
def _diff_end(v, a, k):
    """prepend or append 'v' as np.diff joins it: an array of a's dimensions as it is, a
    number (or 0-d array) as an extent-1 slab of a's other extents."""
    if _prim.is_array(v):
        if v.ndim > 0:
            return v
        return np.full(_with_dim(a, k, 1), v[()])
    return np.full(_with_dim(a, k, 1), v)


@jit
def diff_ends(a, k, prepend, append):
    """'a' with prepend before and append after it along axis k (either may be None)."""
    if prepend is None:
        return concatenate((a, _diff_end(append, a, k)), k)
    if append is None:
        return concatenate((_diff_end(prepend, a, k), a), k)
    return concatenate((_diff_end(prepend, a, k), a, _diff_end(append, a, k)), k)


@jit
def _sl(a, k, s, e):
    """a's view with the slice s:e on axis k (of at most 3 dimensions), the others whole."""
    if k == 0 or a.ndim == 1:
        return a[s:e]
    if k == 1 or a.ndim == 2:
        return a[:, s:e]
    return a[:, :, s:e]


@jit
def _along(d, y, k):
    """1-D 'd' as a view of y's dimensions that broadcasts along y's axis k (NumPy's reshape of it)."""
    if y.ndim == 1:
        return d
    if y.ndim == 2:
        return d[:, None] if k == 0 else d[None, :]
    if k == 0:
        return d[:, None, None]
    return d[None, :, None] if k == 1 else d[None, None, :]


@jit
def _trapezoid(y, x=None, dx=1.0, axis=-1):
    """NumPy's trapezoid: (d * (y[1:] + y[:-1]) / 2.0).sum(axis), d dx or diff(x), along
    any axis of arrays of at most 3 dimensions."""
    k = _axis(axis, y.ndim)
    n = y.shape[k]
    if y.ndim > 3 and k != y.ndim - 1:
        raise NotImplementedError("np.trapezoid along an axis other than the last of more than 3 dimensions")
    if y.ndim > 3:
        if x is None:
            return (dx * (y[..., 1:] + y[..., :-1]) / 2.0).sum(-1)
        if x.ndim == 1:
            return (diff(x) * (y[..., 1:] + y[..., :-1]) / 2.0).sum(-1)
        return (diff(x, 1, -1) * (y[..., 1:] + y[..., :-1]) / 2.0).sum(-1)
    if x is None:
        return (dx * (_sl(y, k, 1, n) + _sl(y, k, 0, n - 1)) / 2.0).sum(k)
    if x.ndim == 1:
        return (_along(diff(x), y, k) * (_sl(y, k, 1, n) + _sl(y, k, 0, n - 1)) / 2.0).sum(k)
    return (diff(x, 1, k) * (_sl(y, k, 1, n) + _sl(y, k, 0, n - 1)) / 2.0).sum(k)


if hasattr(np, "trapezoid"):
    _impl("numpy.trapezoid")(_trapezoid.py_func)
if hasattr(np, "trapz"):      # NumPy before 2.4 (deprecated from 2.0)
    _impl("numpy.trapz")(_trapezoid.py_func)

