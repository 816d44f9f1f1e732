"""Eager signatures with array types, in Numba's notation (issue 3):
float64[:] is 1-D any layout, float64[::1] and float64[:, ::1] C-contiguous,
float64[::1, :] Fortran-contiguous."""
import numpy as np
import pytest

import ember


def test_1d_any_layout_compiles_eagerly():
    @ember.jit("float64(float64[:])")
    def s(a):
        t = 0.0
        for i in range(a.shape[0]):
            t += a[i]
        return t

    assert s.signatures == ["float64(array(float64, 1d, A))"]
    assert s(np.arange(8.0)[::2]) == 12.0


@pytest.mark.parametrize("sig, want", [
    ("float64(float64[:, ::1])", "array(float64, 2d, C)"),
    ("float64(float64[::1, :])", "array(float64, 2d, F)"),
    ("float64(float64[:, :])", "array(float64, 2d, A)"),
    ("float64(float64[::1])", "array(float64, 1d, C)"),
])
def test_layouts(sig, want):
    f = ember.jit(sig)(lambda a: a[0, 0] if a.ndim == 2 else a[0])
    assert f.signatures == [f"float64({want})"]


@pytest.mark.parametrize("name, dt", [("int32", np.int32), ("uint8", np.uint8), ("float32", np.float32),
                                      ("complex128", np.complex128), ("bool", np.bool_)])
def test_dtypes(name, dt):
    @ember.jit(f"({name}[::1],)")
    def first(a):
        return a[0]

    assert first(np.ones(3, dt)) == dt(1)


def test_array_with_scalars_and_list_of_signatures():
    @ember.jit(["float64(float64[::1], int64)", "float64(float32[::1], int64)"])
    def at(a, i):
        return float(a[i])

    assert len(at.signatures) == 2
    assert at(np.arange(5.0), 3) == 3.0


@pytest.mark.parametrize("bad", ["float64(float64[:, ::1, ::1])", "float64(str[:])", "float64(float64[::2])",
                                 "float64(float64[:)", "float64(float64[])"])
def test_malformed(bad):
    with pytest.raises(TypeError):
        ember.jit(bad)(lambda a: 0.0)
