"""Helpers of the array tests: run a function compiled by Ember and the same
function in the interpreter (with NumPy) on copies of the same arguments, and
demand the same result (values, dtypes, shapes, scalar types), the same
effect on the argument arrays, or the same exception type.

    check(f, *args)      f: an ember.jit dispatcher; returns the compiled result
    same(a, b)           arrays: same dtype, shape and values (NaN == NaN,
                         -0.0 != 0.0); scalars: same type and value; tuples
                         elementwise.  np.float64, np.complex128 and np.bool_
                         count as float, complex and bool: Ember's f64, c128
                         and bool are Python's and NumPy's at once, and come
                         back as the Python types (a documented difference)
    layouts(a)           the same values as C, Fortran, strided, reversed
                         (negative strides) and read-only arrays
    outcome(f, args)     f on copies of 'args': ("ok", result, arrays after)
                         or ("raise", type, message, arrays after), for tests
                         that compare messages and what was written before an
                         error (check compares only the exception's type)
"""
import math

import numpy as np

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]


def same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if type(a) is not type(b) or a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind in "fc":
            # signed zeros must agree; a NaN's sign need not (IEEE 754 leaves it open
            # which operand's NaN a * b gives, and Ember may order a product's operands)
            nan = np.isnan(a.real) | np.isnan(b.real)
            return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b)))) and \
                bool(np.all((np.signbit(a.real) == np.signbit(b.real)) | nan))
        return bool(np.array_equal(a, b))
    a, b = _py(a), _py(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (float, np.floating)):
        if math.isnan(a) or math.isnan(b):
            return bool(math.isnan(a) and math.isnan(b))
        return bool(a == b) and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, (complex, np.complexfloating)):
        return same(a.real, b.real) and same(a.imag, b.imag)
    return bool(a == b)


def _py(x):
    if type(x) in (np.float64, np.complex128, np.bool_):
        return x.item()
    return x


def _copy(x):
    if isinstance(x, np.ndarray):
        c = x.copy(order="K")
        if x.flags.f_contiguous and not x.flags.c_contiguous:
            c = np.asfortranarray(c)
        return c if x.flags.writeable else _readonly(c)
    if isinstance(x, tuple):
        return tuple(_copy(y) for y in x)
    return x


def _readonly(a):
    a.flags.writeable = False
    return a


def _run(f, args):
    try:
        return f(*args), None
    except Exception as e:  # noqa: BLE001
        return None, e


def outcome(f, args):
    """("ok", result, arrays after) or ("raise", exception type, message, arrays after)."""
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        r = f(*args)
    except Exception as e:   # noqa: BLE001 - compared with the interpreter's
        return ("raise", type(e), str(e), [a for a in args if isinstance(a, np.ndarray)])
    return ("ok", r, [a for a in args if isinstance(a, np.ndarray)])


def check(f, *args):
    """Compiled and interpreted 'f' on copies of 'args': same result, same argument effects."""
    ca, pa = _copy(args), _copy(args)
    got, gerr = _run(f, ca)
    want, werr = _run(f.py_func, pa)
    if werr is not None or gerr is not None:
        assert type(gerr) is type(werr), f"{f.__name__}{args!r}: compiled {gerr!r}, Python {werr!r}"
        return None
    assert same(got, want), f"{f.__name__}{args!r}: compiled {got!r}, Python {want!r}"
    for x, y in zip(ca, pa):
        if isinstance(x, np.ndarray):
            assert same(x, y), f"{f.__name__}: argument after the call: compiled {x!r}, Python {y!r}"
    return got


def layouts(a):
    """'a' as C, Fortran, strided, reversed and read-only arrays (equal values where shapes allow)."""
    out = [np.ascontiguousarray(a), np.asfortranarray(a)]
    big = np.zeros(tuple(2 * n for n in a.shape), a.dtype)
    view = big[tuple(slice(None, None, 2) for _ in a.shape)]
    view[...] = a
    out.append(view)
    out.append(np.ascontiguousarray(a[tuple(slice(None, None, -1) for _ in a.shape)])[
        tuple(slice(None, None, -1) for _ in a.shape)])
    ro = np.array(a)
    ro.flags.writeable = False
    out.append(ro)
    return out


def sample(dtype, shape, seed=0):
    """Values of 'dtype' in 'shape' with the edge cases of the type mixed in."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    dt = np.dtype(dtype)
    if dt.kind == "b":
        v = rng.integers(0, 2, n).astype(dt)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        v = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
        edges = np.array([info.min, info.max, 0, 1], dtype=dt)
        v[: min(n, 4)] = edges[: min(n, 4)]
    elif dt.kind == "f":
        v = (rng.standard_normal(n) * 100).astype(dt)
        edges = np.array([np.nan, np.inf, -np.inf, -0.0], dtype=dt)
        v[: min(n, 4)] = edges[: min(n, 4)]
    else:
        v = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dt)
    return v.reshape(shape)
