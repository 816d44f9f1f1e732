"""Math functions in array loops (issue 3): the loop vectorizer may call
libmvec's vector variants (erf, erfc: calls without CPython's checks), which
are within 4 ulp of the correctly rounded result rather than glibc's scalar
bits; checked functions (exp, log, sin, ...) keep CPython's errors at the
element that fails, with the elements before it written."""
import ctypes.util
import math
import os
import platform

import numpy as np
import pytest

import ember


def ulps(a, b):
    """Distance of two float64 arrays in units in the last place of b."""
    return np.abs(a - b) / np.spacing(np.abs(b))


@pytest.mark.parametrize("name", ["erf", "erfc", "exp", "log", "sin", "cos", "tanh", "log1p", "expm1", "atan"])
def test_loop_within_4_ulp_of_cpython(name):
    fn = getattr(math, name)
    ns = {"math": math}
    exec(f"def k(a, out):\n    for i in range(a.shape[0]):\n        out[i] = math.{name}(a[i])\n", ns)
    k = ember.jit(ns["k"])
    a = np.random.default_rng(1).uniform(0.01, 5.0, 10007)
    out = np.empty_like(a)
    k(a, out)
    ref = np.array([fn(x) for x in a])
    assert np.max(ulps(out, ref)) <= 4


def test_erf_loop_special_values():
    @ember.jit
    def k(a, out):
        for i in range(a.shape[0]):
            out[i] = math.erf(a[i])

    a = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, 6.0, -6.0])
    out = np.empty_like(a)
    k(a, out)
    ref = np.array([math.erf(x) for x in a])
    assert np.array_equal(out, ref, equal_nan=True)
    assert np.array_equal(np.signbit(out), np.signbit(ref))


def test_exp_overflow_raises_at_the_element():
    @ember.jit
    def k(a, out):
        for i in range(a.shape[0]):
            out[i] = math.exp(a[i])

    a = np.zeros(100)
    a[37] = 1000.0
    out = np.full(100, -1.0)
    with pytest.raises(OverflowError):
        k(a, out)
    assert np.all(out[:37] == 1.0) and np.all(out[37:] == -1.0)


def test_sin_of_inf_raises_in_loop():
    @ember.jit
    def k(a, out):
        for i in range(a.shape[0]):
            out[i] = math.sin(a[i])

    a = np.ones(64)
    a[50] = np.inf
    with pytest.raises(ValueError):
        k(a, np.empty(64))


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64") or not ctypes.util.find_library("mvec")
                    or os.environ.get("EMBER_NO_VECLIB"),
                    reason="libmvec is glibc's, x86_64 only")
def test_erf_loop_calls_libmvec():
    @ember.jit
    def k(a, out):
        for i in range(a.shape[0]):
            out[i] = math.erf(a[i])

    k(np.ones(4), np.empty(4))
    asm = k.inspect_asm()
    assert "_ZGVbN2v_erf" in asm or "_ZGVdN4v_erf" in asm
