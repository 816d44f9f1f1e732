"""ember._lib_list: list methods and builtins over lists, written with
ember.jit like the rest of ember._lib (which imports this module at its
end; resolve() finds these by the names of _impl).

passes/infer_list.c makes l.append(x), l[i], l[i] = x and len(l) list
primitives itself and calls these for the rest: "list.<method>" with the
list first, "list.__getitem__.slice" (l[a:b:c], a new list), the builtins
"builtins.<f>.list" and "numpy.array.list".  A list here has one item type;
_prim.list_resize(l, n) sets its length (new items unset) and
_prim.list_zero(l) is a 0 of its item type (a new list of that type starts
as [zero] resized to 0).  Errors are CPython's (IndexError "pop from empty
list", ValueError "list.remove(x): x not in list").
"""
import sys

import numpy as np

from . import _prim
from . import jit
from ._lib import _impl, _sum_end, _sum_step


_NEW_TEXTS = sys.version_info >= (3, 12)   # min()/max() of nothing: the message changed in 3.12


@jit
def _new(l, n):
    """A new list of n unset items of l's item type."""
    out = _prim.list_like(l)
    _prim.list_resize(out, n)
    return out


@_impl("list.pop")
def pop(l, i=-1):
    n = len(l)
    if n == 0:
        raise IndexError("pop from empty list")
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise IndexError("pop index out of range")
    x = l[i]
    for k in range(i, n - 1):
        l[k] = l[k + 1]
    _prim.list_resize(l, n - 1)
    return x


@_impl("list.insert")
def insert(l, i, x):
    n = len(l)
    if i < 0:
        i += n
        if i < 0:
            i = 0
    if i > n:
        i = n
    l.append(x)
    for k in range(n, i, -1):
        l[k] = l[k - 1]
    l[i] = x


@_impl("list.extend")
def extend(l, src):
    for k in range(len(src)):        # l.extend(l): the items there when it starts
        l.append(src[k])


@_impl("list.clear")
def clear(l):
    _prim.list_resize(l, 0)


@_impl("list.copy", "builtins.list.list")
def copy(l):
    n = len(l)
    out = _new(l, n)
    for k in range(n):
        out[k] = l[k]
    return out


@_impl("list.reverse")
def reverse(l):
    i = 0
    j = len(l) - 1
    while i < j:
        t = l[i]
        l[i] = l[j]
        l[j] = t
        i += 1
        j -= 1


@_impl("list.index")
def index(l, x):
    for k in range(len(l)):
        if l[k] == x:
            return k
    raise ValueError("list.index(x): x not in list")


@_impl("list.count")
def count(l, x):
    c = 0
    for k in range(len(l)):
        if l[k] == x:
            c += 1
    return c


@_impl("list.remove")
def remove(l, x):
    n = len(l)
    for k in range(n):
        if l[k] == x:
            for j in range(k, n - 1):
                l[j] = l[j + 1]
            _prim.list_resize(l, n - 1)
            return
    raise ValueError("list.remove(x): x not in list")


@_impl("list.__contains__")
def contains(l, x):
    for k in range(len(l)):
        if l[k] == x:
            return True
    return False


@_impl("list.__not_contains__")
def not_contains(l, x):
    return not contains(l, x)


@jit
def _first_diff(l, m):
    """The first index where l and m differ (by ==), or -1 where one starts the other."""
    for k in range(min(len(l), len(m))):
        if not l[k] == m[k]:
            return k
    return -1


@_impl("list.__eq__")
def eq(l, m):
    return len(l) == len(m) and _first_diff(l, m) < 0


@_impl("list.__ne__")
def ne(l, m):
    return not eq(l, m)


@_impl("list.__lt__")
def lt(l, m):
    k = _first_diff(l, m)
    return len(l) < len(m) if k < 0 else l[k] < m[k]


@_impl("list.__le__")
def le(l, m):
    k = _first_diff(l, m)
    return len(l) <= len(m) if k < 0 else l[k] <= m[k]


@_impl("list.__gt__")
def gt(l, m):
    k = _first_diff(l, m)
    return len(l) > len(m) if k < 0 else l[k] > m[k]


@_impl("list.__ge__")
def ge(l, m):
    k = _first_diff(l, m)
    return len(l) >= len(m) if k < 0 else l[k] >= m[k]


@_impl("list.__getitem__.slice")
def getslice(l, start, stop, step):
    n = len(l)
    if step is None:
        st = 1
    else:
        st = step
    if st == 0:
        raise ValueError("slice step cannot be zero")
    if st > 0:
        lo = 0 if start is None else start
        hi = n if stop is None else stop
        if lo < 0:
            lo = max(lo + n, 0)
        if hi < 0:
            hi = max(hi + n, 0)
        lo = min(lo, n)
        hi = min(hi, n)
        m = (hi - lo + st - 1) // st if hi > lo else 0
    else:
        lo = n - 1 if start is None else start
        hi = -1 if stop is None else stop
        if lo < 0:
            lo = max(lo + n, -1)
        if stop is not None and hi < 0:
            hi = max(hi + n, -1)
        lo = min(lo, n - 1)
        hi = min(hi, n - 1)
        m = (lo - hi + (-st) - 1) // (-st) if lo > hi else 0
    out = _new(l, m)
    for k in range(m):
        out[k] = l[lo + k * st]
    return out


@_impl("builtins.sum.list")
def sum_(l, start=0):
    """CPython's sum: a left fold from start, compensated while it is a float (3.12+)."""
    s = start + _prim.list_zero(l) * 0     # the fold's type from the start (bools sum to an int)
    c = 0.0
    for k in range(len(l)):
        s, c = _sum_step(s, c, l[k])
    return _sum_end(s, c)


@_impl("builtins.min.list")
def min_(l):
    n = len(l)
    if n == 0:
        if _NEW_TEXTS:
            raise ValueError("min() iterable argument is empty")
        raise ValueError("min() arg is an empty sequence")
    m = l[0]
    for k in range(1, n):
        if l[k] < m:
            m = l[k]
    return m


@_impl("builtins.max.list")
def max_(l):
    n = len(l)
    if n == 0:
        if _NEW_TEXTS:
            raise ValueError("max() iterable argument is empty")
        raise ValueError("max() arg is an empty sequence")
    m = l[0]
    for k in range(1, n):
        if l[k] > m:
            m = l[k]
    return m


@_impl("builtins.any.list")
def any_(l):
    for k in range(len(l)):
        if l[k]:
            return True
    return False


@_impl("builtins.all.list")
def all_(l):
    for k in range(len(l)):
        if not l[k]:
            return False
    return True


@_impl("builtins.sorted.list")
def sorted_(l):
    """A stable merge sort (CPython's sorted is stable; NaNs compare as in CPython's < only)."""
    n = len(l)
    a = copy(l)
    b = copy(l)
    w = 1
    while w < n:
        lo = 0
        while lo < n:
            mid = min(lo + w, n)
            hi = min(lo + 2 * w, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                if a[j] < a[i]:
                    b[k] = a[j]
                    j += 1
                else:
                    b[k] = a[i]
                    i += 1
                k += 1
            while i < mid:
                b[k] = a[i]
                i += 1
                k += 1
            while j < hi:
                b[k] = a[j]
                j += 1
                k += 1
            lo += 2 * w
        t = a
        a = b
        b = t
        w *= 2
    return a


@_impl("numpy.array.list", "numpy.asarray.list")
def array(l, dtype=None):
    n = len(l)
    if dtype is None:
        out = np.empty(n, _prim.dtype_of(_prim.list_zero(l)))
    else:
        out = np.empty(n, dtype)     # each item stored by NumPy's rules (np.array([300], np.uint8) raises)
    for k in range(n):
        out[k] = l[k]
    return out


@_impl("list.sort")
def sort(l):
    """l.sort() (no key, no reverse): sorted's order, written back into l."""
    s = sorted_(l)
    for k in range(len(l)):
        l[k] = s[k]


@_impl("list.__add__")
def add(l, m):
    out = copy(l)
    for k in range(len(m)):
        out.append(m[k])
    return out


@_impl("list.__iadd__")
def iadd(l, m):
    for k in range(len(m)):          # l += l: the items there when it starts
        l.append(m[k])
    return l


@_impl("list.__mul__")
def mul(l, n):
    m = len(l)
    r = n if n > 0 else 0
    out = _new(l, m * r)
    for i in range(r):
        for k in range(m):
            out[i * m + k] = l[k]
    return out


@_impl("list.__imul__")
def imul(l, n):
    m = len(l)
    r = n if n > 0 else 0
    _prim.list_resize(l, m * r)
    for i in range(1, r):
        for k in range(m):
            l[i * m + k] = l[k]
    return l


@_impl("builtins.list.iter")
def list_of(it):
    """list(x) of a range, tuple, 1-D array or iterator: its items appended in order."""
    out = []
    for x in it:
        out.append(x)
    return out


@_impl("builtins.sorted.iter")
def sorted_of(it):
    out = list_of(it)
    out.sort()
    return out


@_impl("builtins.list.range")
def list_range(a, b=None, c=None):
    """list(range(a[, b[, c]])): the range's arguments, as range takes them."""
    out = []
    if b is None:
        for x in range(a):
            out.append(x)
    elif c is None:
        for x in range(a, b):
            out.append(x)
    else:
        for x in range(a, b, c):
            out.append(x)
    return out


@_impl("builtins.sorted.range")
def sorted_range(a, b=None, c=None):
    out = list_range(a, b, c)
    out.sort()
    return out


@_impl("numpy.array.items", "numpy.asarray.items")
def array_items(l):
    """np.array of a list of lists, tuples or arrays: each item a row of the result, all of one shape."""
    n = len(l)
    if n == 0:
        raise ValueError("np.array of an empty list of lists, tuples or arrays (its shape is unknown)")
    first = np.array(l[0])
    out = np.repeat(first[None], n, axis=0)     # (n,) + first.shape: the rows are written below
    k = first.ndim              # how many dimensions every row shares with the first
    for i in range(n):
        x = np.array(l[i])
        j = 0
        while j < k and x.shape[j] == first.shape[j]:
            j += 1
        k = j
    if k < first.ndim:
        _inhomogeneous(n, first, k)
    for i in range(n):
        out[i] = np.array(l[i])
    return out


@jit
def _inhomogeneous(n, first, k):
    """NumPy's ValueError for rows of other shapes than 'first': 'k' dimensions shared by all (k < first.ndim)."""
    if k == 0:
        raise ValueError("setting an array element with a sequence. The requested array has an inhomogeneous "
                         f"shape after 1 dimensions. The detected shape was ({n},) + inhomogeneous part.")
    if first.ndim > 1:          # a constant: the shape's items below exist
        if k == 1:
            raise ValueError("setting an array element with a sequence. The requested array has an inhomogeneous "
                             f"shape after 2 dimensions. The detected shape was ({n}, {first.shape[0]}) "
                             "+ inhomogeneous part.")
    raise ValueError("setting an array element with a sequence. The requested array has an inhomogeneous "
                     f"shape after {k + 1} dimensions.")
