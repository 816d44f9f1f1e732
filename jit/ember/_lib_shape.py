"""ember._lib_shape: indexing with arrays, and NumPy functions that build or
reorder arrays, written with ember.jit like the rest of ember._lib.

Indexing with one array (passes/infer_array.c, "Fancy indexing"): x[m] with
a bool array m of x's shape is the items where m is true, in C order, as a
new 1-D array; x[idx] with an integer array idx picks x[idx[k]] along axis
0 (negative indices count from the end; out of range is NumPy's IndexError),
shaped idx.shape + x.shape[1:].  x[m] = v and x[idx] = v store a scalar or an
array (broadcast as NumPy does) in the same order; x[idx] += v reads x[idx],
adds, and stores, so a repeated index takes the last write, as in NumPy.

Errors that compiled code cannot word as NumPy does (its ValueError and
IndexError messages for a mask of another shape, a value array of another
count) raise the same exception class with Ember's message.
"""
import numpy as np

from . import _prim
from . import jit
from ._lib import _impl, _c_order, _dim, _bcopy, count_nonzero


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


def _define(src, filename):
    """Compile the functions of 'src' with ember.jit into this module's globals."""
    ns = {}
    exec(compile(src + "\n", filename, "exec"), globals(), ns)
    for k, f in ns.items():
        globals()[k] = jit(f)


_gen_shapes(_MAXND)


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
        return min(p, q), max(p, q) + a.itemsize
    lo0, hi0 = _span(a[0])
    lo1, hi1 = _span(a[n - 1])
    return min(lo0, lo1), max(hi0, hi1)


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
    """IndexError where bool index 'm' (of x's ndim) and 'x' differ in an extent."""
    for k in range(x.ndim):
        if _dim(x, k) != _dim(m, k):
            _index_error(max(_dim(m, k), _dim(x, k)), min(_dim(m, k), _dim(x, k)))


@jit
def _select_rows(out, j, x, m):
    """Copy the items of 'x' where 'm' is true into out[j:], in C order; the next j."""
    if x.ndim == 1:
        for i in range(x.shape[0]):
            if m[i]:
                out[j] = x[i]
                j += 1
        return j
    for i in range(x.shape[0]):
        j = _select_rows(out, j, x[i], m[i])
    return j


@_impl("ndarray.__getitem__.mask")
def getitem_mask(x, m):
    _check_mask(x, m)
    out = np.empty(count_nonzero(m), x.dtype)
    if x.ndim == 0 or (_prim.c_contiguous(x) and _prim.c_contiguous(m)):
        xf = _c_order(x)
        mf = _c_order(m)
        j = 0
        for i in range(mf.shape[0]):
            if mf[i]:
                out[j] = xf[i]
                j += 1
        return out
    _select_rows(out, 0, x, m)
    return out


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
