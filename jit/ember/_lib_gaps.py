"""NumPy forms users write that the other library modules lacked: np.real and
np.imag (views, as the attributes), ... Compiled by Ember itself; registered
in _lib's table when _lib_more loads (its last line imports this module)."""

import numpy as np

from . import _prim
from ._lib import _impl


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

@_impl("ndarray.__getitem__.take.list")
def getitem_take_list(x, idx):
    return x[np.array(idx)]


@_impl("ndarray.__setitem__.take.list")
def setitem_take_list(x, idx, v):
    x[np.array(idx)] = v


@_impl("ndarray.__getitem__.mask.list")
def getitem_mask_list(x, m):
    return x[np.array(m)]


@_impl("ndarray.__setitem__.mask.list")
def setitem_mask_list(x, m, v):
    x[np.array(m)] = v
