"""Constants of modules (math.pi, math.inf, np.pi, np.inf, np.e) are Python
floats: with a NumPy float32 value they give float32 (NEP 50), and the
compiled function's result type agrees with its values (the analysis once
typed them np.float64 while the rewrite made them Python floats, so a
float32 result came back read as a float64: garbage)."""
import math

import numpy as np
import pytest

import ember


def consts(x):
    z = x[0]
    return z - math.inf, z - np.pi, z - np.inf, z * np.e, z + math.pi, z - 1.5


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.complex64])
def test_module_constants_are_python_floats(dt):
    x = np.array([0.5, 2.0], dt)
    got = ember.jit(consts)(x)
    want = consts(x)
    for g, w in zip(got, want):
        assert np.asarray(g).dtype == np.asarray(w).dtype
        assert g == w or (np.isnan(g) and np.isnan(w))
