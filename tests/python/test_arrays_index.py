"""Arrays as arguments: typing, attributes, element reads and writes, bounds
checks, every dtype and layout, against NumPy itself (issue 3)."""
import subprocess
import sys

import numpy as np
import pytest

import ember
from arrhelpers import DTYPES, check, layouts, same, sample


@ember.jit
def get1(a, i):
    return a[i]


@ember.jit
def get2(a, i, j):
    return a[i, j]


@ember.jit
def get2b(a, i, j):
    return a[i][j]


@ember.jit
def get3(a, i, j, k):
    return a[i, j, k]


@ember.jit
def attrs(a):
    return a.shape, a.ndim, a.size, len(a), a.itemsize, a.nbytes


@ember.jit
def total(a):
    s = 0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@ember.jit
def total2(a):
    s = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


@ember.jit
def put1(a, i, v):
    a[i] = v


@ember.jit
def put2(a, i, j, v):
    a[i, j] = v
    a[i, j] += v


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_read_every_dtype_and_layout(dtype):
    for a in layouts(sample(dtype, (5,))):
        for i in (0, 1, 4, -1, -5):
            check(get1, a, i)
    for a in layouts(sample(dtype, (3, 4))):
        for i, j in ((0, 0), (2, 3), (-1, -4), (1, 2)):
            check(get2, a, i, j)
            check(get2b, a, i, j)
    for a in layouts(sample(dtype, (2, 3, 4))):
        check(get3, a, 1, -1, 2)


@pytest.mark.parametrize("dtype", DTYPES[1:], ids=lambda d: np.dtype(d).name)
def test_sum_loops_every_dtype(dtype):   # bool: 0 + np.True_ is np.int64 in NumPy, int here
    for a in layouts(sample(dtype, (7,))):
        check(total, a)
    for a in layouts(sample(dtype, (3, 5))):
        check(total2, a)


def test_attributes():
    for shape in ((4,), (3, 5), (2, 3, 4), (0,), (3, 0)):
        for a in layouts(np.zeros(shape)):
            check(attrs, a)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_write_every_dtype(dtype):
    v = sample(dtype, (3,), seed=5)
    for a in layouts(sample(dtype, (4,)))[:4]:
        check(put1, a, 2, v[0])
        check(put1, a, -1, v[1])
    for a in layouts(sample(dtype, (3, 4)))[:4]:
        if np.dtype(dtype).kind != "b":
            check(put2, a, 1, -2, v[2])


def test_write_casts_like_numpy():
    check(put1, np.zeros(3, np.int32), 0, 7)
    check(put1, np.zeros(3, np.float32), 0, 1.1)
    check(put1, np.zeros(3, np.int64), 0, True)
    check(put1, np.zeros(3, np.complex64), 0, 2.5)
    check(put1, np.zeros(3, np.uint8), 0, np.uint8(250))


def test_index_errors_have_numpy_messages():
    a = np.arange(10.0)
    for i in (10, -11, 2**62, -(2**62)):
        with pytest.raises(IndexError) as e:
            get1(a, i)
        with pytest.raises(IndexError) as w:
            a[i]
        assert str(e.value) == str(w.value)
    b = np.zeros((3, 4))
    for i, j in ((3, 0), (0, 4), (-4, 0), (0, -5)):
        with pytest.raises(IndexError) as e:
            get2(b, i, j)
        with pytest.raises(IndexError) as w:
            b[i, j]
        assert str(e.value) == str(w.value)
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 5"):
        put1(np.zeros(5), 5, 1.0)
    with pytest.raises(IndexError):
        get1(np.zeros(0), 0)


def test_boundscheck_off_still_wraps():
    f = ember.jit(boundscheck=False)(get1.py_func)
    a = np.arange(10.0)
    assert f(a, 3) == 3.0 and f(a, -1) == 9.0


def test_write_to_readonly_is_a_typing_error():
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.raises(ember.TypingError, match="read-only"):
        put1(a, 0, 1.0)
    with pytest.raises(ember.TypingError, match="read-only"):
        put1(np.broadcast_to(np.zeros(1), (4,)), 0, 1.0)


def test_broadcast_views_are_read():
    a = np.broadcast_to(np.arange(3.0), (4, 3))    # zero stride, read-only
    check(total2, a)
    check(get2, a, 3, 2)


def test_unsupported_arrays_name_the_argument_and_dtype():
    bad = [np.array(["a", "b"]), np.array([1, "x"], dtype=object), np.zeros(3, dtype=">f8"),
           np.zeros(3, dtype=[("x", "f8")])]
    for a in bad:
        with pytest.raises(ember.TypingError, match="argument 'a'"):
            get1(a, 0)
    with pytest.raises(ember.TypingError, match="subclass"):
        get1(np.ma.masked_array([1.0, 2.0]), 0)


def test_float16_is_read_as_float32():
    a = np.array([1.5, -2.25, 65504.0, np.nan], np.float16)
    assert same(get1(a, 1), np.float32(-2.25))
    b = np.zeros(3, np.float16)
    put1(b, 0, 3.0)
    put1(b, 1, 1e6)                                  # rounds to inf, as NumPy's cast
    put1(b, 2, np.float32(0.1))
    assert b.tolist() == np.array([3.0, np.inf, np.float32(0.1)], np.float16).tolist()

    @ember.jit
    def make(n):
        c = np.zeros(n, np.float16)
        for i in range(n):
            c[i] = i * 0.5
        return c
    assert same(make(4), np.arange(4, dtype=np.float16) * np.float16(0.5))
    with pytest.raises(ember.TypingError):
        get1.py_func  # noqa: B018
        ember.jit(lambda x: x)(np.float16(1))


def test_numpy_scalars_are_typed_as_their_dtype():
    @ember.jit
    def ident(x):
        return x
    for t in DTYPES:
        x = t(1)
        r = ident(x)
        assert same(r, x.item() if t in (np.float64, np.complex128, np.bool_) else x), (t, r)
    assert ident.signatures[-1].startswith("complex128")


def test_signature_names_the_array_type():
    f = ember.jit(get1.py_func)
    f(np.zeros(3, np.float32), 0)
    f(np.zeros((2, 2), order="F")[0], 0)
    a = np.zeros(4)
    a.flags.writeable = False
    f(a[::2], 0)
    assert f.signatures == ["float32(array(float32, 1d, C), int64)",
                            "float64(array(float64, 1d, A), int64)",
                            "float64(array(float64, 1d, A, readonly), int64)"]


def test_import_ember_does_not_import_numpy():
    code = "import sys, ember; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_numpy_imported_after_ember():
    code = ("import ember\n@ember.jit\ndef f(a):\n    return a[0] + 1\nprint(f(1) if False else 0)\n"
            "import numpy as np\nprint(f(np.arange(3)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "1"]


def test_range_loop_has_no_bounds_check_left():
    @ember.jit
    def s(a):
        t = 0.0
        for i in range(a.shape[0]):
            t += a[i]
        return t

    @ember.jit
    def stencil(a, out):
        for i in range(1, a.shape[0] - 1):
            out[i] = (a[i - 1] + a[i] + a[i + 1]) * 0.5

    s(np.arange(4.0))
    assert "fail" not in s.inspect_llvm()          # the cold IndexError blocks are gone
    stencil(np.arange(4.0), np.zeros(4))
    ir = stencil.inspect_llvm()
    assert "<4 x double>" in ir or "<2 x double>" in ir or "<8 x double>" in ir   # vectorized main loop
    with pytest.raises(IndexError):
        stencil(np.arange(6.0), np.zeros(3))        # the checks are still there, outside the main loop
