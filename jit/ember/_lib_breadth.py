"""Small forms Numba users write, compiled by Ember itself: methods of numbers.

Imported by _lib_more (which ember._lib.resolve loads for the names _lib lacks);
each function registers under the names IrHost.resolve asks for.
"""
import math

import numpy as np

from ._lib import _impl


@_impl("generic.is_integer")
def is_integer(x):
    """float.is_integer and NumPy's scalars' is_integer: finite and without a fraction."""
    return math.isfinite(x) and np.floor(x) == x
