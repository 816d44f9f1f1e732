"""ember._prim: helpers the compiler provides to jit/ember/_lib.py.

Inside compiled code infer types these itself (passes/infer_array.c); the
Python definitions here give the same answers, for the interpreter (a
library function rerun after a fallback).
"""
import math

import numpy as np


def _dtype(a):
    return a if isinstance(a, np.dtype) else np.dtype(a) if isinstance(a, type) else np.asarray(a).dtype


def sum_zero(a):
    """0 of the type NumPy sums 'a' in: int64 for bool and signed ints, uint64 for unsigned."""
    return np.add.reduce(np.zeros(0, _dtype(a)))


def mean_zero(a):
    """0 of the type of NumPy's mean of 'a': float64 for bool and ints."""
    dt = _dtype(a)
    return np.float64(0) if dt.kind in "biu" else dt.type(0)


def dtype_of(x):
    """The dtype NumPy gives an array of the scalar 'x' (np.array(x).dtype)."""
    return np.asarray(x).dtype


def flat(a):
    """The elements of a C- or Fortran-contiguous array in memory order, as a 1-D view."""
    return a.reshape(-1, order="A")


def c_contiguous(a):
    """Is 'a' C-contiguous (a constant of its type in compiled code)?"""
    return a.flags.c_contiguous


def contiguous(a):
    """Is 'a' C- or Fortran-contiguous?"""
    return a.flags.c_contiguous or a.flags.f_contiguous


def inexact(a):
    """Is the dtype of 'a' a float or complex one?"""
    return _dtype(a).kind in "fc"


def float_dtype(x):
    """The scalar type of NumPy's math functions of 'x': float32 for float32, int16 and
    uint16 (NumPy's 'f' loop), the rest is float64."""
    return np.float32 if _dtype(x) in (np.float32, np.int16, np.uint16) else np.float64


def is_array(x):
    """Is 'x' an ndarray (a constant of its type in compiled code)?"""
    return isinstance(x, np.ndarray)


def check_bcast(bad, *shapes):
    """ValueError when 'bad' (dimensions that do not broadcast); with the operands'
    shapes, NumPy's message "operands could not be broadcast together with shapes (3,) (4,) "."""
    if bad and shapes:
        raise ValueError("operands could not be broadcast together with shapes "
                         + "".join(str(tuple(s)).replace(" ", "") + " " for s in shapes))
    if bad:
        raise ValueError("operands could not be broadcast together (shapes differ)")


def check_bcast_tree(bad, tokens, *shapes):
    """check_bcast of the first operation of a fused tree that does not broadcast:
    'tokens' replay the tree over the leaves' 'shapes' (jit/ember/_lib.py _fz_tokens)."""
    if not bad:
        return
    toks = [(tokens[1 + i // 15] >> (4 * (i % 15))) & 15 for i in range(tokens[0])]
    stack = []
    for x in toks:
        if x < 13:
            stack.append(tuple(shapes[x]) if x < 12 else ())
            continue
        ops = stack[len(stack) - (x - 11):]
        del stack[len(stack) - (x - 11):]
        try:
            stack.append(np.broadcast_shapes(*ops))
        except ValueError:
            check_bcast(True, *ops)
    check_bcast(True, *shapes)


def check_core(out, dim, size, want):
    """NumPy's ValueError of matmul when core dimension 'dim' of input operand 1
    (out 0) or of output operand 0 (out 1) has 'size' where 'want' is needed."""
    if size != want:
        raise ValueError("matmul: %s operand %d has a mismatch in its core dimension %d, with gufunc signature "
                         "(n?,k),(k,m?)->(n?,m?) (size %d is different from %d)"
                         % ("Output" if out else "Input", 0 if out else 1, dim, size, want))


def data(a):
    """The address of the array's data, a NumPy int64 (overlap tests of ember._lib)."""
    return np.int64(a.__array_interface__["data"][0])


def fmaximum(a, b):
    """IEEE maximum of two reals as float64: NaN if either is NaN, -0.0 < 0.0."""
    return float(np.maximum(np.float64(a), np.float64(b)))


def fma(x, y, z):
    """x * y + z rounded once (exact through fractions); float32 when all three are, else float64."""
    from fractions import Fraction
    t = np.float32 if all(isinstance(v, np.float32) for v in (x, y, z)) else np.float64
    if not all(map(np.isfinite, (x, y, z))):
        return t(np.float64(x) * np.float64(y) + np.float64(z))
    r = Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
    d = r.numerator / r.denominator                  # rounded once to float64
    if t is np.float32 and Fraction(d) != r and int.from_bytes(np.float64(d).tobytes(), "little") % 2 == 0:
        d = math.nextafter(d, math.inf if r > d else -math.inf)   # round to odd: float32(d) is then r's
    return t(d)


def exp2(x):
    """libm's exp2 of a real, as float64 (inf past the range, never an error)."""
    return float(np.exp2(np.float64(x)))


def cbrt(x):
    """libm's cbrt of a real, as float64."""
    return float(np.cbrt(np.float64(x)))


def ffloor(x):
    """IEEE floor of a real as float64 (NumPy's floor: a zero keeps its sign, nan and inf pass)."""
    return float(np.floor(np.float64(x)))


def fceil(x):
    """IEEE ceil of a real as float64."""
    return float(np.ceil(np.float64(x)))


def ftrunc(x):
    """IEEE trunc of a real as float64."""
    return float(np.trunc(np.float64(x)))


def frint(x):
    """A real rounded half to even as float64 (NumPy's rint)."""
    return float(np.rint(np.float64(x)))


def fminimum(a, b):
    """IEEE minimum of two reals as float64: NaN if either is NaN, -0.0 < 0.0."""
    return float(np.minimum(np.float64(a), np.float64(b)))


def floating(a):
    """Is the dtype of 'a' a real float one?"""
    return _dtype(a).kind == "f"


class _Mem:
    """An __array_interface__ over part of an array's memory (which it keeps alive)."""
    def __init__(self, a, off, n, step):
        self.a = a
        self.__array_interface__ = {"shape": (int(n),), "typestr": a.dtype.str, "strides": (int(step),),
                                    "data": (a.__array_interface__["data"][0] + int(off), not a.flags.writeable),
                                    "version": 3}


def line(a, off, n, step):
    """The 1-D view of n items of a's memory, the first 'off' bytes after a's first item,
    'step' bytes apart."""
    return np.asarray(_Mem(a, off, n, step))


_TYPECODES = {"?": 2, "b": 4, "h": 5, "i": 6, "q": 7, "B": 8, "H": 9, "I": 10, "Q": 11,
              "f": 12, "d": 13, "F": 14, "D": 15, "e": 20}   # ir/ir.h's IRT_* of each dtype


def typecode(a):
    """The item type of array 'a' as the compiler numbers it (ir/ir.h IRT_*): np_sort's 'type'."""
    return _TYPECODES[a.dtype.char if a.dtype.char != "l" else "q"]


def _pairwise_sum(addr, n, stride, t):
    import ctypes
    if n == 0:
        return 0.0
    lo = min(0, (n - 1) * stride)
    buf = (ctypes.c_char * (abs(n - 1) * abs(stride) + np.dtype(t).itemsize)).from_address(addr + lo)
    a = np.ndarray((n,), t, buf, -lo, (stride,))
    return float(np.add.reduce(a, dtype=t))


def pairwise_f64(addr, n, stride):
    """NumPy's pairwise sum of the n float64 items at 'addr', 'stride' bytes apart
    (targets/native/runtime.c ember_rt_pairwise_f64), as a float."""
    return _pairwise_sum(addr, n, stride, np.float64)


def pairwise_f32(addr, n, stride):
    """The same of float32 items, summed in float32."""
    return _pairwise_sum(addr, n, stride, np.float32)


def bcast_copy(dst, src, ndim, itemsize, desc):
    """The C-ordered items at address 'dst' (extents: the ndim int64s at 'desc') get
    those at 'src' read with the byte strides that follow them (0 where broadcast)."""
    import ctypes
    d = np.frombuffer((ctypes.c_int64 * (2 * ndim)).from_address(desc), np.int64)
    dims, strides = tuple(int(x) for x in d[:ndim]), tuple(int(x) for x in d[ndim:])
    n = int(np.prod(dims))
    lo = sum(min(0, (e - 1) * s) for e, s in zip(dims, strides))
    hi = sum(max(0, (e - 1) * s) for e, s in zip(dims, strides)) + itemsize
    t = np.dtype("V%d" % itemsize)
    s = np.ndarray(dims, t, (ctypes.c_char * (hi - lo)).from_address(src + lo), -lo, strides)
    out = np.frombuffer((ctypes.c_char * (n * itemsize)).from_address(dst), t).reshape(dims)
    out[...] = s
    return 0.0


def np_sort(addr, rows, n, type, kind, out, kth, nkth):
    """NumPy sorts the rows of n items of 'type' at address 'addr' in place, or writes the
    indices that sort them to address 'out' (nonzero); with nkth > 0 it partitions them
    at the nkth int64 indices at address 'kth' instead; 0 (jit/array.c jit_np_sort)."""
    import ctypes
    dt = np.dtype({v: k for k, v in _TYPECODES.items()}[type])
    a = np.frombuffer((ctypes.c_char * (rows * n * dt.itemsize)).from_address(addr), dt).reshape(rows, n)
    kinds = ("quicksort", "heapsort", "stable")
    if nkth:
        k = np.frombuffer((ctypes.c_char * (nkth * 8)).from_address(kth), np.int64)
        if out:
            o = np.frombuffer((ctypes.c_char * (rows * n * 8)).from_address(out), np.intp).reshape(rows, n)
            o[...] = np.argpartition(a, k, axis=1)
        else:
            a[...] = np.partition(a, k, axis=1)
    elif out:
        o = np.frombuffer((ctypes.c_char * (rows * n * 8)).from_address(out), np.intp).reshape(rows, n)
        o[...] = np.argsort(a, axis=1, kind=kinds[kind])
    else:
        a.sort(axis=1, kind=kinds[kind])
    return 0


def blas(op, type, p):
    """NumPy's BLAS or LAPACK op on the int64 parameters at address 'p' (targets/native/rt_blas.c);
    -1 here: the interpreter runs ember._lib_blas's callers' own loops."""
    return -1


def is_tuple(x):
    """Is 'x' a tuple (a constant of its type in compiled code)?"""
    return isinstance(x, tuple)


def list_zero(l):
    """A 0 of the item type of list 'l' (compiled code knows it even for an empty list)."""
    return type(l[0])(0) if l else 0.0


def list_like(l):
    """A new empty list of the type of list 'l' (its items may be tuples, arrays or lists)."""
    return []


def list_resize(l, n):
    """Set the length of list 'l' to n (new items are zeros here, unset in compiled code)."""
    if n <= len(l):
        del l[n:]
    else:
        l.extend([list_zero(l)] * (n - len(l)))


def _compiled_only(*args):
    raise RuntimeError("np.random's generator of compiled code (ember._prim.random_*) runs only in compiled code")


# np.random's generator (targets/native/rt_random.c, jit/ember/_lib_random.py) lives in
# compiled code only; a function that draws numbers is impure, so the interpreter never
# reruns one of them
random_seed = random_double = random_gauss = random_interval = random_fill = _compiled_only
