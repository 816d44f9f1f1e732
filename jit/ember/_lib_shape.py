"""ember._lib_shape: indexing with arrays, and NumPy functions that build,
join or reorder arrays, written with ember.jit like the rest of ember._lib
(which imports this module at its end; resolve() finds these by the names
of _impl).

Indexing with one array (passes/infer_array.c, "Fancy indexing"): x[m] with
a bool array m of x's shape is the items where m is true, in C order, as a
new 1-D array; x[idx] with an integer array idx picks x[idx[k]] along axis
0 (negative indices count from the end; out of range is NumPy's IndexError),
shaped idx.shape + x.shape[1:].  x[m] = v and x[idx] = v store a scalar or an
array (broadcast as NumPy does) in the same order; x[idx] += v reads x[idx],
adds, and stores, so a repeated index takes the last write, as in NumPy.

Then, in order: shapes built per ndim, dtype promotion, joins (concatenate,
stack and the *stack functions, over tuples of arrays), other new arrays
(outer, diff, cumprod, diag, trace, bincount, searchsorted, interp), and
sorting (sort, argsort, unique).

np.array and np.asarray of numbers, arrays and (nested) tuples or list
displays of them (frontend/lists.c makes a list display a tuple) are under
"Arrays from sequences".

Errors that compiled code cannot word as NumPy does (its ValueError and
IndexError messages for a mask of another shape, arrays that do not join)
raise the same exception class with Ember's message.  A str argument reaches
these functions as the frontend makes it (frontend/strargs.c): a sort kind is
NumPy's NPY_SORTKIND (0 quick, 1 heap, 2 stable), searchsorted's side is
False for 'left' and True for 'right'.
"""
import numpy as np

from . import _prim
from . import jit
from ._lib import _lazy_define, _lazy_get, _impl, _axis, _c_order, _copy_rows, _dim, _bcopy, _out_dtype, count_nonzero, sum_


# -- Shapes ---------------------------------------------------------------------
# A tuple cannot be indexed by a run-time int nor concatenated, so shapes are
# built by generated functions with one branch per ndim (infer keeps only the
# array's), as ember._lib's _dim and _drop.

_MAXND = 8


def _gen_shapes(maxnd):
    """Define _with_dim(a, k, n): a.shape with extent k replaced by n; _ins_dim(a, k, n):
    a.shape with n inserted before axis k (0 <= k <= a.ndim); _take_shape(x, idx):
    idx.shape + x.shape[1:]."""
    src = ["def _with_dim(a, k, n):", "    if a.ndim == 0:", "        return ()"]
    for nd in range(1, maxnd + 1):
        dims = "".join(f"n if k == {j} else a.shape[{j}], " for j in range(nd))
        src.append(f"    if a.ndim == {nd}:\n        return ({dims})")
    src.append("\ndef _ins_dim(a, k, n):")
    for nd in range(0, maxnd):
        dims = []
        for p in range(nd + 1):
            e = "n"
            if p < nd:
                e = f"a.shape[{p}] if k > {p} else {e}"
            if p > 0:
                e = f"a.shape[{p - 1}] if k < {p} else ({e})"
            dims.append(e)
        src.append(f"    if a.ndim == {nd}:\n        return ({''.join(d + ', ' for d in dims)})")
    src.append("\ndef _take_shape(x, idx):")
    for nx in range(1, maxnd + 1):
        for ni in range(1, maxnd + 2 - nx):
            dims = [f"idx.shape[{j}]" for j in range(ni)] + [f"x.shape[{j}]" for j in range(1, nx)]
            src.append(f"    if x.ndim == {nx} and idx.ndim == {ni}:\n        return ({''.join(d + ', ' for d in dims)})")
    _define("\n".join(src), "<ember._lib_shape shapes>")


_PENDING = {}


def _define(src, filename, **options):
    """Compile the functions of 'src' with ember.jit(**options) into this module's
    globals when one of them is first used (ember._lib's _lazy_define)."""
    _lazy_define(globals(), src, filename, options)


def __getattr__(name):
    if name == "_diff_ends":     # np.diff's prepend/append: _lib_gaps, loaded on its first use
        from ._lib_gaps import diff_ends
        globals()[name] = diff_ends
        return diff_ends
    return _lazy_get(globals(), name)


_gen_shapes(_MAXND)


def _gen_cons(maxnd):
    """Define _cons(n, s): the shape (n,) + s of a tuple 's' of at most maxnd - 1 ints."""
    src = ["def _cons(n, s):"]
    for nd in range(maxnd):
        dims = "".join(f"s[{j}], " for j in range(nd))
        src.append(f"    if len(s) == {nd}:\n        return (n, {dims})")
    _define("\n".join(src), "<ember._lib_shape cons>")


_gen_cons(_MAXND)


# -- Helpers --------------------------------------------------------------------

@jit
def _index_error(i, n):
    """IndexError "index i is out of bounds for axis 0 with size n" (i >= n)."""
    np.empty(n, np.bool_)[i]


@jit
def _span(a):
    """(lo, hi): the byte addresses non-empty 'a' spans; its first and last rows
    are translates of each other, so their spans cover all of it."""
    if a.ndim == 0:
        p = _prim.data(a)
        return p, p + a.itemsize
    n = a.shape[0]
    if a.ndim == 1:
        p = _prim.data(a)
        q = _prim.data(a[n - 1:])
        if q < p:
            p, q = q, p
        return p, q + a.itemsize
    lo0, hi0 = _span(a[0])
    lo1, hi1 = _span(a[n - 1])
    return (lo0 if lo0 < lo1 else lo1), (hi0 if hi0 > hi1 else hi1)


@jit
def _overlap(a, b):
    """May writing 'a' change what 'b' reads (their spans meet)?"""
    if a.size == 0 or b.size == 0:
        return False
    alo, ahi = _span(a)
    blo, bhi = _span(b)
    return alo < bhi and blo < ahi


# -- x[mask] ---------------------------------------------------------------------

@jit
def _check_mask(x, m):
    """NumPy's IndexError where bool index 'm' (of x's ndim or fewer) and 'x' differ in an extent."""
    if x.ndim == 0:
        return
    for k in range(m.ndim):
        if _dim(x, k) != _dim(m, k):
            raise IndexError(f"boolean index did not match indexed array along axis {k}; size of axis is "
                             f"{_dim(x, k)} but size of corresponding boolean axis is {_dim(m, k)}")


@jit
def _select_rows(out, j, x, m):
    """Copy the items of 'x' where 'm' is true into out[j:], in C order; the next j.
    Without a branch on m[i] (a random mask mispredicted half of them: 3x slower):
    every item is stored at out[j] and j moves on where m[i] is true; the loop
    stops when out is full, so the stores stay inside it."""
    if x.ndim == 1:
        n = out.shape[0]
        if j < n:
            for i in range(x.shape[0]):
                out[j] = x[i]
                j += 1 if m[i] else 0
                if j == n:
                    break
        return j
    for i in range(x.shape[0]):
        j = _select_rows(out, j, x[i], m[i])
    return j


@_impl("ndarray.__getitem__.mask")
def getitem_mask(x, m):
    _check_mask(x, m)
    out = np.empty(count_nonzero(m), x.dtype)
    if x.ndim == 0 or (_prim.c_contiguous(x) and _prim.c_contiguous(m)):
        _select_rows(out, 0, _c_order(x), _c_order(m))   # one flat loop
    else:
        _select_rows(out, 0, x, m)
    return out


@_impl("ndarray.__getitem__.maskrows")
def getitem_mask_rows(x, m):
    """x[m] with a 1-D bool m over x's first axis (X[y == 1]): the rows where m is true,
    in order (NumPy: shape (count,) + x.shape[1:], a copy)."""
    _check_mask(x, m)
    out = np.empty(_with_dim(x, 0, count_nonzero(m)), x.dtype)
    j = 0
    for i in range(m.shape[0]):
        if m[i]:
            out[j] = x[i]
            j += 1
    return out


@_impl("ndarray.__setitem__.maskrows")
def setitem_mask_rows(x, m, v):
    """x[m] = v with a 1-D bool m over x's first axis: v broadcast to each selected row,
    or (an array with x's ndim, as NumPy broadcasts it against (count,) + x.shape[1:])
    its row j to the j-th selected row."""
    _check_mask(x, m)
    if _prim.is_array(v) and v.ndim == x.ndim:
        n = count_nonzero(m)
        _prim.check_bcast(v.shape[0] != n and v.shape[0] != 1, v.shape, _with_dim(x, 0, n))
        f = v.copy() if _overlap(x, v) else v
        j = 0
        for i in range(m.shape[0]):
            if m[i]:
                x[i] = f[j if f.shape[0] != 1 else 0]
                j += 1
        return
    for i in range(m.shape[0]):
        if m[i]:
            x[i] = v


@jit
def _fill_mask(x, m, v):
    """x[i...] = v where m[i...] is true."""
    if x.ndim == 1:
        for i in range(x.shape[0]):
            if m[i]:
                x[i] = v
        return
    for i in range(x.shape[0]):
        _fill_mask(x[i], m[i], v)


@jit
def _place_rows(x, m, f, j):
    """x[i...] = f[j], f[j + 1], ... where m[i...] is true, in C order; the next j."""
    if x.ndim == 1:
        for i in range(x.shape[0]):
            if m[i]:
                x[i] = f[j]
                j += 1
        return j
    for i in range(x.shape[0]):
        j = _place_rows(x[i], m[i], f, j)
    return j


@_impl("ndarray.__setitem__.mask")
def setitem_mask(x, m, v):
    _check_mask(x, m)
    if x.ndim == 0:
        if m[()]:
            x[()] = v if not _prim.is_array(v) else _c_order(v)[0]
        return
    if not _prim.is_array(v):
        _fill_mask(x, m, v)
        return
    if v.size == 1:      # one value broadcasts to every selected item
        _fill_mask(x, m, _c_order(v)[0])
        return
    n = count_nonzero(m)
    _prim.check_bcast(v.ndim != 1 or v.shape[0] != n, (v.size,), (n,))
    f = v.copy() if _overlap(x, v) else v
    _place_rows(x, m, f, 0)


# -- x[idx] ----------------------------------------------------------------------

@jit
def _take_dim(x, idx, k):
    """Extent k of x[idx]: idx.shape + x.shape[1:]."""
    if k < idx.ndim:
        return _dim(idx, k)
    return _dim(x, k - idx.ndim + 1)


@_impl("ndarray.__getitem__.take")
def getitem_take(x, idx):
    if idx.ndim == 0:        # a 0-d integer array indexes as its int
        return x[idx[()]]
    fi = _c_order(idx)
    out = np.empty(_take_shape(x, idx), x.dtype)
    fo = out.reshape(_with_dim(x, 0, fi.shape[0]))
    for k in range(fi.shape[0]):
        fo[k] = x[fi[k]]
    return out


@_impl("ndarray.__setitem__.take")
def setitem_take(x, idx, v):
    fi = _c_order(idx)
    if not _prim.is_array(v):
        for k in range(fi.shape[0]):
            x[fi[k]] = v
        return
    shape = _take_shape(x, idx)   # v of more dimensions than this: a TypingError (_bcopy)
    nd = idx.ndim + x.ndim - 1
    bad = False
    for j in range(v.ndim):
        d = _dim(v, j)
        if d != 1 and d != _take_dim(x, idx, nd - v.ndim + j):
            bad = True
    _prim.check_bcast(bad, v.shape, shape)
    f = _bcopy(v, shape).reshape(_with_dim(x, 0, fi.shape[0]))   # a copy: v may share x's memory
    for k in range(fi.shape[0]):
        x[fi[k]] = f[k]


# -- Dtypes -----------------------------------------------------------------------
# NumPy's promotion of the dtypes of arrays (np.result_type): the sum of zeros
# of the two types, as Ember's NumPy scalars follow NEP 50, except that
# bool + bool is an int in Ember, and float16 has no scalar here (its items
# are read as float32).

@jit
def _promote(d, e):
    """np.result_type of dtypes 'd' and 'e'.  The conditions are constants of the
    types (inline: a call's result would not be), so one return is compiled."""
    if _prim.floating(d) and d.itemsize == 2:            # float16
        if _prim.floating(e) and e.itemsize == 2 or not _prim.inexact(e) and e.itemsize == 1:
            return d
        return _promote(np.empty(0, np.float32).dtype, e)
    if _prim.floating(e) and e.itemsize == 2:
        return _promote(e, d)
    # bool + bool: True + True is the only sum of one type that is wider
    if (not _prim.inexact(d) and _prim.dtype_of(d.type(0) + d.type(0)).itemsize != d.itemsize
            and not _prim.inexact(e) and _prim.dtype_of(e.type(0) + e.type(0)).itemsize != e.itemsize):
        return d
    return _prim.dtype_of(d.type(0) + e.type(0))


@jit
def _result_dtype(t):
    """np.result_type of the arrays of tuple 't' (not empty)."""
    if not t[1:]:
        return t[0].dtype
    return _promote(t[0].dtype, _result_dtype(t[1:]))


# -- Joining arrays ---------------------------------------------------------------
# np.concatenate of a tuple (or list display) of arrays, stack, vstack,
# hstack, column_stack.  The shapes are checked as NumPy does (ValueError, with
# Ember's message); the result has NumPy's promoted dtype and each array is
# copied into its part (items converted as NumPy's same_kind casts do).

def _gen_map(name, f, maxn):
    """Define _map_<name>(t): the tuple of f(x) for each x of tuple 't' (at most 'maxn')."""
    src = [f"def _map_{name}(t):"]
    for n in range(1, maxn + 1):
        items = "".join(f"{f}(t[{i}]), " for i in range(n))
        src.append(f"    if not t[{n}:]:\n        return ({items})")
    _define("\n".join(src), f"<ember._lib_shape map {name}>")


@jit
def _atleast_1d(a):
    if a.ndim == 0:
        return a[None]
    return a


@jit
def _atleast_2d(a):
    if a.ndim == 0:
        return a[None, None]
    if a.ndim == 1:
        return a[None, :]
    return a


@jit
def _column(a):
    """column_stack's view of 'a': a 1-D (or 0-d) array as one column."""
    if a.ndim == 0:
        return a[None, None]
    if a.ndim == 1:
        return a[:, None]
    return a


@jit
def _ravel(a):
    return _c_order(a)


# at most 24 arrays: CPython builds a tuple display of 30 items or more as a list
_gen_map("1d", "_atleast_1d", 24)
_gen_map("2d", "_atleast_2d", 24)
_gen_map("col", "_column", 24)
_gen_map("ravel", "_ravel", 24)


@jit
def _copy_at(out, a, k, off):
    """out[..., off:off + a.shape[k], ...] = a, the slice along axis k."""
    if k == 0 or a.ndim == 1:
        _copy_rows(out[off:off + a.shape[0]], a)
        return
    for i in range(a.shape[0]):
        _copy_at(out[i], a[i], k - 1, off)


@jit
def _ndim_mismatch(a0, a, i):
    """NumPy's ValueError for joining array 'a', the i-th, to a0 of another ndim."""
    raise ValueError(f"all the input arrays must have same number of dimensions, but the array at index 0 has "
                     f"{a0.ndim} dimension(s) and the array at index {i} has {a.ndim} dimension(s)")


@jit
def _cat_len(t, a0, k, n, i):
    """n + the extents of the arrays of 't' (the i-th on) along axis k; NumPy's
    ValueError where one has another ndim than a0 or another extent on another axis."""
    if not t:
        return n
    a = t[0]
    if a.ndim != a0.ndim:
        _ndim_mismatch(a0, a, i)   # a call, so that n stays the result's type where this always raises
        return n
    for j in range(a.ndim):
        if j != k and _dim(a, j) != _dim(a0, j):
            raise ValueError(f"all the input array dimensions except for the concatenation axis must match exactly, "
                             f"but along dimension {j}, the array at index 0 has size {_dim(a0, j)} and the array "
                             f"at index {i} has size {_dim(a, j)}")
    return _cat_len(t[1:], a0, k, n + _dim(a, k), i + 1)


@jit
def _cat_into(out, t, k, off):
    """Copy the arrays of 't' into 'out' one after another along axis k, from 'off'."""
    if not t:
        return
    a = t[0]
    if a.ndim == out.ndim:
        _copy_at(out, a, k, off)
        _cat_into(out, t[1:], k, off + _dim(a, k))


@jit
def _cat(t, k):
    """np.concatenate(t, axis=k) of a tuple of arrays of one ndim >= 1 (k in range)."""
    a0 = t[0]
    out = np.empty(_with_dim(a0, k, _cat_len(t, a0, k, 0, 0)), _result_dtype(t))
    _cat_into(out, t, k, 0)
    return out


@_impl("numpy.concatenate")
def concatenate(arrays, axis=0):
    if axis is None:
        return _cat(_map_ravel(arrays), 0)
    a0 = arrays[0]
    if a0.ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    return _cat(arrays, _axis(axis, a0.ndim))


@jit
def _copy_index(out, a, k, i):
    """out[..., i, ...] = a, index i along axis k of 'out' (a has one dimension fewer)."""
    if a.ndim == 0:
        out[i] = a[()]
    elif k == 0:
        _copy_rows(out[i], a)
    elif a.ndim == 1:
        for r in range(a.shape[0]):
            out[r, i] = a[r]
    else:
        for r in range(a.shape[0]):
            _copy_index(out[r], a[r], k - 1, i)


@jit
def _stack_into(out, t, k, a0, i):
    """out[..., i, ...] = t[0], then the next along axis k; ValueError where a shape is not a0's."""
    if not t:
        return
    a = t[0]
    if a.ndim != a0.ndim:
        raise ValueError("all input arrays must have the same shape")
    if a.ndim > 0:
        for j in range(a.ndim):
            if _dim(a, j) != _dim(a0, j):
                raise ValueError("all input arrays must have the same shape")
    _copy_index(out, a, k, i)
    _stack_into(out, t[1:], k, a0, i + 1)


@_impl("numpy.stack")
def stack(arrays, axis=0):
    a0 = arrays[0]
    k = _axis(axis, a0.ndim + 1)
    out = np.empty(_ins_dim(a0, k, len(arrays)), _result_dtype(arrays))
    _stack_into(out, arrays, k, a0, 0)
    return out


@_impl("numpy.vstack", "numpy.row_stack")
def vstack(tup):
    return _cat(_map_2d(tup), 0)


@_impl("numpy.hstack")
def hstack(tup):
    t = _map_1d(tup)
    if t[0].ndim == 1:
        return _cat(t, 0)
    return _cat(t, 1)


@_impl("numpy.column_stack")
def column_stack(tup):
    return _cat(_map_col(tup), 1)


# -- Other new arrays ---------------------------------------------------------------

@_impl("numpy.outer")
def outer(a, b):
    """a.ravel()[:, None] * b.ravel()[None, :]: NumPy's multiply (bool * bool is and)."""
    return _c_order(a)[:, None] * _c_order(b)[None, :]


@jit
def _diff_into(out, a, k):
    """out = a[..., 1:, ...] - a[..., :-1, ...] along axis k (bool: !=, as NumPy's diff)."""
    if k == 0 or a.ndim == 1:
        if not _prim.inexact(a) and _prim.dtype_of(a.dtype.type(0) + a.dtype.type(0)).itemsize != a.itemsize:
            for i in range(out.shape[0]):     # bool (as _promote tells it)
                out[i] = a[i + 1] != a[i]
        else:
            for i in range(out.shape[0]):
                out[i] = a[i + 1] - a[i]
        return
    for r in range(a.shape[0]):
        _diff_into(out[r], a[r], k - 1)


@jit
def _diff1(a, k):
    out = np.empty(_with_dim(a, k, max(_dim(a, k) - 1, 0)), a.dtype)
    _diff_into(out, a, k)
    return out


@_impl("numpy.diff")
def diff(a, n=1, axis=-1, prepend=None, append=None):
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    k = _axis(axis, a.ndim)
    if prepend is not None or append is not None:    # _lib_gaps.py: a with them joined along axis k
        return diff(_diff_ends(a, k, prepend, append), n, axis)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n}")
    r = a.copy()
    for _ in range(n):
        r = _diff1(r, k)
    return r


@jit
def _cumprod1(out, f):
    """out[i] = f[0] * ... * f[i] (1-D), each step rounded to out's dtype, as NumPy's accumulate."""
    if f.shape[0]:
        out[0] = f[0]
    for i in range(1, f.shape[0]):
        out[i] = out[i - 1] * f[i]


@jit
def _cumprod_axis(out, a, k):
    if k == 0 or a.ndim == 1:
        if a.ndim == 1:
            _cumprod1(out, a)
            return
        if a.shape[0]:
            _copy_rows(out[0], a[0])
        for i in range(1, a.shape[0]):
            _mul_rows(out[i], out[i - 1], a[i])
        return
    for r in range(a.shape[0]):
        _cumprod_axis(out[r], a[r], k - 1)


@jit
def _mul_rows(dst, x, y):
    """dst = x * y item by item (arrays of one shape; dst of x's dtype)."""
    if dst.ndim == 1:
        for i in range(dst.shape[0]):
            dst[i] = x[i] * y[i]
        return
    for i in range(dst.shape[0]):
        _mul_rows(dst[i], x[i], y[i])


@_impl("ndarray.cumprod", "numpy.cumprod")
def cumprod(a, axis=None, dtype=None):
    if dtype is not None:     # as cumsum's
        b = a.astype(dtype)
        return _cumprod_in(b, axis, b.dtype)
    return _cumprod_in(a, axis, _out_dtype(a, _prim.sum_zero(a) + 1))


@jit
def _cumprod_in(a, axis, dt):
    if axis is not None and a.ndim >= 2:
        out = np.empty(a.shape, dt)
        _cumprod_axis(out, a, _axis(axis, a.ndim))
        return out
    if axis is not None:
        _axis(axis, 1)
    f = _c_order(a)
    out = np.empty(f.shape[0], dt)
    _cumprod1(out, f)
    return out


@jit
def _diag_len(a, k):
    """The length of diagonal k of 2-D 'a'."""
    if k >= 0:
        return max(0, min(a.shape[0], a.shape[1] - k))
    return max(0, min(a.shape[0] + k, a.shape[1]))


@jit
def _diagonal(a, k):
    """Diagonal k of 2-D 'a' as a new 1-D array."""
    n = _diag_len(a, k)
    out = np.empty(n, a.dtype)
    i0 = 0 if k >= 0 else -k
    j0 = k if k >= 0 else 0
    for i in range(n):
        out[i] = a[i0 + i, j0 + i]
    return out


@_impl("numpy.diag")
def diag(v, k=0):
    if v.ndim == 1:
        n = v.shape[0] + abs(k)
        out = np.zeros((n, n), v.dtype)
        i0 = 0 if k >= 0 else -k
        j0 = k if k >= 0 else 0
        for i in range(v.shape[0]):
            out[i0 + i, j0 + i] = v[i]
        return out
    if v.ndim != 2:
        raise ValueError("Input must be 1- or 2-d.")
    return _diagonal(v, k)


@_impl("ndarray.diagonal", "numpy.diagonal")
def diagonal(a, offset=0):
    return _diagonal(a, offset)


@_impl("ndarray.trace", "numpy.trace")
def trace(a, offset=0):
    """The sum of diagonal 'offset', as NumPy sums it (pairwise, in the sum's dtype)."""
    return sum_(_diagonal(a, offset))


@_impl("numpy.bincount")
def bincount(x, weights=None, minlength=0):
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    n = minlength
    for v in x:
        if v < 0:
            raise ValueError("'list' argument must have no negative elements")
        if v >= n:
            n = int(v) + 1
    if weights is None:
        out = np.zeros(n, np.intp)
        for v in x:
            out[v] += 1
        return out
    w = np.zeros(n, np.float64)
    if weights.shape[0] != x.shape[0]:
        raise ValueError("The weights and list don't have the same length.")
    for i in range(x.shape[0]):
        w[x[i]] += weights[i]
    return w


@jit
def _search_left(a, v):
    """The first i with not (a[i] < v) in sorted 1-D 'a' (NaN last, as NumPy sorts)."""
    lo = 0
    hi = a.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if _lt(a[mid], v):
            lo = mid + 1
        else:
            hi = mid
    return lo


@jit
def _lt(x, y):
    """NumPy's sort order: x < y with NaN after everything (and equal to NaN)."""
    return x < y or (y != y and x == x)


@jit
def _search_right(a, v):
    """The first i with v < a[i] in sorted 1-D 'a' (NaN last, as NumPy sorts)."""
    lo = 0
    hi = a.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if _lt(v, a[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


@jit
def _search(a, v, side):
    if side:
        return _search_right(a, v)
    return _search_left(a, v)


@_impl("numpy.searchsorted", "ndarray.searchsorted")
def searchsorted(a, v, side=False):
    """side: False for 'left', True for 'right' (frontend/strargs.c)."""
    if not _prim.is_array(v):
        return np.intp(_search(a, v, side))
    out = np.empty(v.shape, np.intp)
    fo = _prim.flat(out)
    fv = _c_order(v)
    for i in range(fv.shape[0]):
        fo[i] = _search(a, fv[i], side)
    return out


@jit
def _interp_j(x, xp):
    """The j with xp[j] <= x < xp[j + 1] in sorted 'xp' (2 or more points, x not NaN):
    -1 below xp[0], n above xp[n - 1], n - 1 at it (NumPy's binary_search_with_guess)."""
    n = xp.shape[0]
    if x < xp[0]:
        return -1
    if x > xp[n - 1]:
        return n
    if x == xp[n - 1]:
        return n - 1
    lo = 0
    hi = n - 1                 # xp[lo] <= x < xp[hi]
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if xp[mid] <= x:
            lo = mid
        else:
            hi = mid
    return lo


@jit
def _lerp(x, x0, x1, y0, y1, slope):
    """slope * (x - x0) + y0, retried from (x1, y1) where that is NaN (NumPy's interp)."""
    r = slope * (x - x0) + y0
    if r != r:
        r = slope * (x - x1) + y1
        if r != r and y0 == y1:
            r = y0
    return r


@jit
def _interp1(x, xp, fp, left, right):
    """NumPy's interp of float 'x' (compiled_base.c arr_interp): a real fp's slope
    is a quotient, a complex one's the parts times 1 / dx."""
    n = xp.shape[0]
    if n == 1:                 # NaN x too: fp[0]
        return left if x < xp[0] else right if x > xp[0] else fp[0]
    if x != x:
        return x               # complex: x + 0j, as NumPy (the returns join to fp's type)
    j = _interp_j(x, xp)
    if j < 0:
        return left
    if j == n:
        return right
    if j == n - 1 or xp[j] == x:
        return fp[j]
    if not _prim.inexact(fp) or _prim.floating(fp):
        return _lerp(x, xp[j], xp[j + 1], fp[j], fp[j + 1], (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]))
    inv = 1.0 / (xp[j + 1] - xp[j])
    y0 = fp[j]
    y1 = fp[j + 1]
    re = _lerp(x, xp[j], xp[j + 1], y0.real, y1.real, (y1.real - y0.real) * inv)
    im = _lerp(x, xp[j], xp[j + 1], y0.imag, y1.imag, (y1.imag - y0.imag) * inv)
    return complex(re, im)


@_impl("numpy.interp")
def interp(x, xp, fp, left=None, right=None):
    xf = _as_f64(xp)
    ff = _as_f64(fp)
    if xf.shape[0] == 0:
        raise ValueError("array of sample points is empty")
    if xf.shape[0] != ff.shape[0]:
        raise ValueError("fp and xp are not of the same length.")
    lv = ff[0] if left is None else left
    rv = ff[ff.shape[0] - 1] if right is None else right
    if not _prim.is_array(x):
        return _interp1(float(x), xf, ff, lv, rv)
    out = np.empty(x.shape, _prim.dtype_of(lv))
    fo = _prim.flat(out)
    fx = _c_order(x)
    for i in range(fx.shape[0]):
        fo[i] = _interp1(float(fx[i]), xf, ff, lv, rv)
    return out


@jit
def _as_f64(a):
    """1-D 'a' as float64 (complex128 stays complex), as NumPy's interp converts."""
    if _prim.inexact(a) and not _prim.floating(a):
        out = np.empty(a.shape[0], np.complex128)
    else:
        out = np.empty(a.shape[0], np.float64)
    for i in range(a.shape[0]):
        out[i] = a[i]
    return out


# -- Sorting ----------------------------------------------------------------------
# np.sort, a.sort() and np.argsort are NumPy's own: the rows of a C-contiguous
# block go to PyArray_Sort / PyArray_ArgSort through the intrinsic
# _prim.np_sort (jit/array.c jit_np_sort; compiled code holds the GIL), so the
# speed (NumPy's SIMD sorts), the kinds, and the order of ties, NaNs and signed
# zeros are NumPy's.  Along another axis, or for an array that is not
# C-contiguous in place, each line is copied into a buffer, sorted, and copied
# back.  np.partition and np.argpartition (int or tuple kth) go the same way.

@jit
def _np_order(b, kind, kth, out):
    """NumPy sorts (kth None) or partitions at the int64 indices 'kth' (in range) each row of
    C-contiguous 'b' along its last axis: in place, or the indices that do it into intp
    'out' of b's shape (out not None)."""
    if b.size == 0:
        return
    n = b.shape[b.ndim - 1]
    k = 0 if kind is None else kind
    o = 0 if out is None else _prim.data(out)
    p = 0 if kth is None else _prim.data(kth)
    nk = 0 if kth is None else kth.shape[0]
    if _prim.np_sort(_prim.data(b), b.size // n, n, _prim.typecode(b), k, o, p, nk) != 0:
        raise MemoryError("NumPy could not sort (out of memory)")


@jit
def _order_axis(o, a, k, kind, kth, buf, tmp):
    """_np_order of each line of 'a' along axis k, through the contiguous buffers 'buf'
    (a's dtype) and 'tmp' (intp): into 'a' itself (o None) or the indices into 'o'."""
    if a.ndim == 1:
        n = a.shape[0]
        b = buf[:n]
        for i in range(n):
            b[i] = a[i]
        if o is None:
            _np_order(b, kind, kth, None)
            for i in range(n):
                a[i] = b[i]
        else:
            t = tmp[:n]
            _np_order(b, kind, kth, t)
            for i in range(n):
                o[i] = t[i]
    elif k == 0:
        for j in range(a.shape[1]):
            _order_axis(None if o is None else o[:, j], a[:, j], 0, kind, kth, buf, tmp)
    else:
        for i in range(a.shape[0]):
            _order_axis(None if o is None else o[i], a[i], k - 1, kind, kth, buf, tmp)


@jit
def _kths(kth, n):
    """kth (an int or a tuple of them) as NumPy takes it for a line of n items: int64
    indices, negative ones from the end, outside the line NumPy's ValueError."""
    k = np.array(kth, np.int64).reshape(-1)
    for i in range(k.shape[0]):
        if k[i] < -n or k[i] >= n:
            raise ValueError(f"kth(={k[i]}) out of bounds ({n})")
        if k[i] < 0:
            k[i] += n
    return k


@jit
def _order(a, axis, kind, kth, out):
    """Sort (kth None) or partition 'a' along 'axis' as NumPy: in place (out None), or the
    indices that do it into intp 'out' of a's shape."""
    if a.ndim == 0:
        _axis(axis, 0)    # NumPy: AxisError
        return
    k = _axis(axis, a.ndim)
    n = _dim(a, k)
    ks = None if kth is None else _kths(kth, n)
    if k == a.ndim - 1 and _prim.c_contiguous(a):
        _np_order(a, kind, ks, out)
    else:
        _order_axis(out, a, k, kind, ks, np.empty(n, a.dtype), np.empty(n, np.intp))


@jit
def _ordered(a, axis, kind, kth):
    """A sorted (kth None) or partitioned copy of 'a' (axis None: of its items in C order)."""
    if axis is None:
        out = _c_order(a).copy()
        _order(out, 0, kind, kth, None)
        return out
    out = a.copy()
    _order(out, axis, kind, kth, None)
    return out


@jit
def _order_indices(a, axis, kind, kth):
    """The indices that sort (kth None) or partition 'a' (axis None: its items in C order)."""
    if axis is None:
        f = _c_order(a)
        out = np.empty(f.shape[0], np.intp)
        _order(f, 0, kind, kth, out)
        return out
    if a.ndim == 0:
        _axis(axis, 0)
        return np.zeros(1, np.intp)
    out = np.empty(a.shape, np.intp)
    _order(a, axis, kind, kth, out)
    return out


@_impl("ndarray.sort")
def sort_method(a, axis=-1, kind=None):
    _order(a, axis, kind, None, None)


@_impl("numpy.sort")
def sort(a, axis=-1, kind=None):
    return _ordered(a, axis, kind, None)


@_impl("numpy.argsort", "ndarray.argsort")
def argsort(a, axis=-1, kind=None):
    return _order_indices(a, axis, kind, None)


@_impl("numpy.partition")
def partition(a, kth, axis=-1):
    """NumPy's introselect, by NumPy: the k-th items in place, smaller ones before."""
    return _ordered(a, axis, None, kth)


@_impl("ndarray.partition")
def partition_method(a, kth, axis=-1):
    _order(a, axis, None, kth, None)


@_impl("numpy.argpartition", "ndarray.argpartition")
def argpartition(a, kth, axis=-1):
    return _order_indices(a, axis, None, kth)


@jit
def _diag_step(a, wrap):
    """NumPy's fill_diagonal: (step, end) of the diagonal in a's C-order flat indices."""
    if a.ndim == 2:
        if wrap:
            return a.shape[1] + 1, a.size
        return a.shape[1] + 1, min(a.size, a.shape[1] * a.shape[1])
    step = 1
    p = 1
    for d in range(a.ndim):
        if a.shape[d] != a.shape[0]:
            raise ValueError("All dimensions of input must be of equal length")
        if d < a.ndim - 1:
            p *= a.shape[d]
            step += p
    return step, a.size


@_impl("numpy.fill_diagonal")
def fill_diagonal(a, val, wrap=False):
    """a.flat[:end:step] = val as NumPy's fill_diagonal writes it (an array val repeats)."""
    if a.ndim < 2:
        raise ValueError("array must be at least 2-d")
    _fill_diag(a, val, wrap)


@jit
def _fill_diag(a, val, wrap):
    step, end = _diag_step(a, wrap)
    if _prim.is_array(val):
        v = _c_order(val)
        if v.shape[0] == 0:
            return
    k = 0
    for i in range(0, end, step):
        if a.ndim == 2:
            if _prim.is_array(val):
                a[i // a.shape[1], i % a.shape[1]] = v[k % v.shape[0]]
            else:
                a[i // a.shape[1], i % a.shape[1]] = val
        elif _prim.c_contiguous(a):
            f = _prim.flat(a)
            if _prim.is_array(val):
                f[i] = v[k % v.shape[0]]
            else:
                f[i] = val
        else:
            raise NotImplementedError("fill_diagonal of a strided array of 3 or more dimensions")
        k += 1


@_impl("numpy.unique")
def unique(a, return_index=False, return_inverse=False, return_counts=False):
    """The sorted distinct items of 'a' (NaNs as one, NumPy's equal_nan=True)."""
    s = sort(a, None)
    out = np.empty(s.shape[0], a.dtype)
    m = 0
    for i in range(s.shape[0]):
        x = s[i]
        if m == 0 or not (x == out[m - 1] or (x != x and out[m - 1] != out[m - 1])):
            out[m] = x
            m += 1
    return out[:m].copy()


# -- Arrays from sequences -------------------------------------------------------
# np.array(x) and np.asarray(x) of a number, an array, or a tuple (or list
# display) of them, nested: the shape is the tuple's lengths followed by the
# items' common shape (items of different shapes: NumPy's ValueError), the
# dtype NumPy's promotion of each number's own dtype (int64 for a Python int,
# float64 for a float: np.array([np.float32(1), 2.0]) is float64, not NEP 50's
# float32) and the arrays' dtypes, float64 for an empty tuple.  The
# recursion over t[1:] is unrolled by compiling one function per tuple type.

@jit
def _seq_dtype(x):
    """The dtype NumPy gives np.array(x)."""
    if _prim.is_array(x):
        return x.dtype
    if not _prim.is_tuple(x):
        return _prim.dtype_of(x)
    if not x:
        return np.empty(0).dtype
    if not x[1:]:
        return _seq_dtype(x[0])
    return _promote(_seq_dtype(x[0]), _seq_dtype(x[1:]))


@jit
def _seq_shape(x):
    """The shape of np.array(x), if it is not ragged (_check_ragged)."""
    if _prim.is_array(x):
        return x.shape
    if not _prim.is_tuple(x):
        return ()
    if not x:
        return (0,)
    return _cons(len(x), _seq_shape(x[0]))


@jit
def _ragged(x, depth):
    """NumPy's ValueError for np.array(x) where the items of tuple x (at nesting 'depth') differ in shape."""
    raise ValueError(f"setting an array element with a sequence. The requested array has an inhomogeneous "
                     f"shape after {depth + 1} dimensions. The detected shape was ({len(x)},) + inhomogeneous part.")


@jit
def _check_ragged(x, s, depth, t):
    """ValueError unless every item of tuple 'x' has shape 's' (and is nested alike); 't': the whole tuple."""
    if not x:
        return
    a = x[0]
    if _prim.is_tuple(a):
        if _seq_shape(a) != s:
            _ragged(t, depth)
        _check_ragged(a, s[1:], depth + 1, a)
    elif _seq_shape(a) != s:
        _ragged(t, depth)
    _check_ragged(x[1:], s, depth, t)


@jit
def _put_items(out, x, i):
    """out[i], out[i + 1], ... = the items of tuple 'x'."""
    if not x:
        return
    a = x[0]
    if out.ndim == 1:
        if _prim.is_array(a):
            out[i] = a[()]
        elif not _prim.is_tuple(a):     # a tuple here is ragged: _check_ragged raised
            out[i] = a
    elif _prim.is_tuple(a):
        _put_items(out[i], a, 0)
    elif _prim.is_array(a):
        _copy_rows(out[i], a)
    _put_items(out, x[1:], i + 1)


@_impl("numpy.array")
def array(object, dtype=None):
    """A new array of 'object' (copied, also from an array)."""
    if _prim.is_array(object):
        if dtype is None:
            return object.copy()
        return object.astype(dtype)
    d = _seq_dtype(object) if dtype is None else dtype
    if not _prim.is_tuple(object):
        out = np.empty((), d)
        out[()] = object
        return out
    if object:
        _check_ragged(object, _seq_shape(object[0]), 0, object)
    out = np.empty(_seq_shape(object), d)
    _put_items(out, object, 0)
    return out


@_impl("numpy.asarray")
def asarray(a, dtype=None):
    """'a' itself if it is an array and no dtype is given, else np.array(a, dtype)."""
    if _prim.is_array(a) and dtype is None:
        return a
    return array(a, dtype)

