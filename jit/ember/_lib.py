"""ember._lib: NumPy functions and array methods, written with ember.jit.

infer asks IrHost.resolve for "numpy.<name>" (a function of the numpy
module), "ndarray.<name>" (an array method; the array is the first
argument) and "builtins.<name>" (a Python builtin given NumPy values);
jit/array.c calls resolve() below, which returns the ember.jit function
that implements it.  These are compiled per argument types like any user
function, so they are ordinary, tested Python; only allocation (np.empty),
views and element access are primitives of the compiler.

Imported on the first such call only (by then NumPy is loaded).
"""
import numpy as np

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
    return -x if x < 0 else x


@_impl("builtins.min")
def _min(a, b):
    return b if b < a else a


@_impl("builtins.max")
def _max(a, b):
    return b if b > a else a
