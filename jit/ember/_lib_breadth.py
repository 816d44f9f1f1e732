"""Small forms Numba users write, compiled by Ember itself: methods of numbers and
the dtype= of NumPy's sum, prod and mean.

Imported at the end of ember._lib (whose sum_, prod and mean call the *_dtype
functions here when given a dtype); each function registers under the names
IrHost.resolve asks for.
"""
import math

import numpy as np

from . import _prim
from ._lib import _impl, _axis, _mem_order, _pairwise_cast, jit, prod, sum_


@_impl("generic.is_integer")
def is_integer(x):
    """float.is_integer and NumPy's scalars' is_integer: finite and without a fraction."""
    return math.isfinite(x) and np.floor(x) == x


@_impl("generic.conjugate", "generic.conj")
def scalar_conjugate(x):
    """NumPy scalars' conjugate(): np.conj of the value, but a bool is itself (not NumPy's int8 loop)."""
    if _prim.dtype_of(x) == np.bool_:
        return x
    return np.conj(x)


# -- dtype= of sum, prod and mean ------------------------------------------------
# NumPy casts the items to 'dtype' and reduces in it: an int dtype wraps, which the
# int64 (uint64) reduction of the cast items cast back to 'dtype' gives too; a float
# sum over an array of another dtype is buffered, 8192 cast items at a time, each
# buffer summed pairwise (_lib's _pairwise_cast).

@jit
def _in_dtype(r, dtype):
    """Reduction result 'r' as 'dtype' (an array's items, or the scalar)."""
    if _prim.is_array(r):
        return r.astype(dtype)
    return np.asarray(r).astype(dtype)[()]


@jit
def sum_dtype(a, axis, dtype):
    b = a.astype(dtype)
    if axis is None and b.dtype != a.dtype and _prim.inexact(b) and b.ndim >= 1:
        return _pairwise_cast(_mem_order(b), _prim.sum_zero(b))
    return _in_dtype(sum_(b, axis), dtype)


@jit
def prod_dtype(a, axis, dtype):
    return _in_dtype(prod(a.astype(dtype), axis), dtype)


@jit
def mean_dtype(a, axis, dtype):
    """NumPy's mean with a dtype: the sum in 'dtype' over the count as an intp (which
    promotes a float32 sum to float64), cast back to 'dtype' (an int dtype truncates)."""
    n = a.size if axis is None else a.shape[_axis(axis, a.ndim)]
    return _in_dtype(sum_dtype(a, axis, dtype) / np.int64(n), dtype)
