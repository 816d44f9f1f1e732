"""ember._lib_dict: builtins over dicts and their views, and dict.update,
written with ember.jit like the rest of ember._lib (resolve() imports this
module on the first "dict." name).

passes/infer_dict.c makes lookups, stores, del, `in`, len, get, pop,
setdefault, clear, copy and iteration dict primitives itself, and calls
these for the rest with the dict itself as the argument (a view passes its
dict): "dict.<f>.keys" and "dict.<f>.values" for f in sum, min, max,
sorted, list, any, all (`for k in d` and d.keys() are the keys), and
"dict.update" (d.update(other), other a dict of types that join d's).
"""
from . import jit
from ._lib import _impl


@jit
def _keys(d):
    out = []
    for k in d:
        out.append(k)
    return out


@jit
def _values(d):
    out = []
    for v in d.values():
        out.append(v)
    return out


@_impl("dict.sum.keys")
def sum_keys(d):
    return sum(_keys(d))


@_impl("dict.sum.values")
def sum_values(d):
    return sum(_values(d))


@_impl("dict.min.keys")
def min_keys(d):
    return min(_keys(d))


@_impl("dict.min.values")
def min_values(d):
    return min(_values(d))


@_impl("dict.max.keys")
def max_keys(d):
    return max(_keys(d))


@_impl("dict.max.values")
def max_values(d):
    return max(_values(d))


@_impl("dict.sorted.keys")
def sorted_keys(d):
    return sorted(_keys(d))


@_impl("dict.sorted.values")
def sorted_values(d):
    return sorted(_values(d))


@_impl("dict.list.keys")
def list_keys(d):
    return _keys(d)


@_impl("dict.list.values")
def list_values(d):
    return _values(d)


@_impl("dict.any.keys")
def any_keys(d):
    for k in d:
        if k:
            return True
    return False


@_impl("dict.any.values")
def any_values(d):
    for v in d.values():
        if v:
            return True
    return False


@_impl("dict.all.keys")
def all_keys(d):
    for k in d:
        if not k:
            return False
    return True


@_impl("dict.all.values")
def all_values(d):
    for v in d.values():
        if not v:
            return False
    return True


@_impl("dict.update")
def update(d, other):
    for k, v in other.items():
        d[k] = v
