"""NumPy's math functions on scalars and array elements (jit/ember/_lib.py):
NumPy's results and types, nan and inf where math would raise."""
import math
import warnings

import numpy as np
import pytest

import ember

FUNCS = ["sqrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos",
         "arctan", "tanh", "sinh", "cosh", "floor", "ceil", "trunc", "isnan", "isinf", "isfinite", "square", "abs"]
VALUES = [0.0, -0.0, 1.5, -1.5, 0.5, -0.3, 1000.0, -1000.0, math.inf, -math.inf, math.nan, 3, -2,
          np.float32(2.5), np.float32(-0.5), np.float32(100.0), np.int32(7)]


def _agree(got, want):
    """Same value and type; a NaN's sign is not compared; float32 (computed in
    float64 where NumPy calls the float32 C function) and tanh (NumPy's own
    vector code) within 1 ulp."""
    w = want.item() if type(want) in (np.float64, np.bool_) else want
    if type(got) is not type(w):
        return False
    if isinstance(got, (float, np.floating)) and (got != got or w != w):
        return got != got and w != w
    if got == w and (not isinstance(got, (float, np.floating)) or np.signbit(got) == np.signbit(w)):
        return True
    return isinstance(got, (float, np.floating)) and abs(got - w) <= np.spacing(abs(w))


@pytest.mark.parametrize("name", FUNCS)
def test_numpy_math_on_scalars(name):
    ns = {}
    exec(f"import numpy as np\ndef f(x):\n    return np.{name}(x)\n", ns)
    f = ember.jit(ns["f"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x in VALUES:
            got, want = f(x), ns["f"](x)
            assert _agree(got, want), (name, x, got, want)


def test_minimum_maximum_propagate_nan():
    @ember.jit
    def mm(a, b):
        return np.minimum(a, b), np.maximum(a, b)

    for a, b in ((1.0, math.nan), (math.nan, 1.0), (2, 3), (np.float32(1), np.float32(2)), (3.5, 2)):
        got, want = mm(a, b), mm.py_func(a, b)
        assert all(_agree(g, w) for g, w in zip(got, want)), (a, b, got, want)


def test_math_on_elements():
    @ember.jit
    def norm(a):
        s = 0.0
        for x in a:
            s += np.sqrt(np.abs(x)) + np.log1p(np.exp(-x))
        return s

    a = np.linspace(-3, 3, 11)
    assert abs(norm(a) - norm.py_func(a)) < 1e-12
