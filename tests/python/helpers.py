"""Differential-testing helpers: run a function compiled by Ember and the same
function in the interpreter, and demand the same value (type included) or the
same exception type.

    check(f, *args, **kwargs)   f: an ember.jit dispatcher (or a plain function,
                                which is wrapped); returns the compiled result
    check_all(f, argsets)       check every tuple in 'argsets', report all misses
    same(a, b)                  equal in value and type: NaN == NaN, -0.0 != 0.0,
                                1 != 1.0 != True, complex and tuples elementwise
"""
import math

import ember

# Operands most tests share.  Ints stay inside i64 here; overflow has its own file.
SMALL_INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 255, -256]
INTS = SMALL_INTS + [2**31, -(2**31), 10**9 + 7, -(10**12), 2**53 + 1, -(2**53) - 1]
I64 = [2**63 - 1, -(2**63), 2**62, -(2**62), 2**32 + 3, -(2**32) - 3]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -2.5, 3.25, -7.75, 1e-300, -1e-300,
          5e-324, 1e300, -1e300, 1.7976931348623157e308, 2.0**53, 0.1,
          math.inf, -math.inf, math.nan]
NONZERO_FLOATS = [x for x in FLOATS if x != 0.0 and not math.isnan(x)]
COMPLEXES = [0j, 1 + 0j, -1j, 1 + 2j, -3.5 + 0.25j, complex(-0.0, 0.0), complex(0.0, -0.0),
             complex(1e300, 1e300), complex(math.inf, 1.0), complex(math.nan, 2.0)]


def pairs(xs, ys=None):
    """All ordered pairs of 'xs' (with 'ys' if given)."""
    ys = xs if ys is None else ys
    return [(x, y) for x in xs for y in ys]


def is_dispatcher(f):
    return hasattr(f, "py_func") and hasattr(f, "signatures")


def same(a, b):
    """True when 'a' and 'b' are the same value of the same type."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, complex):
        return same(a.real, b.real) and same(a.imag, b.imag)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def _run(fn, args, kwargs):
    try:
        return fn(*args, **kwargs), None
    except RecursionError as e:   # keep the frame count small in the message
        return None, e
    except Exception as e:        # noqa: BLE001 - any exception is a result here
        return None, e


def _show(v, e):
    if e is not None:
        return f"raises {type(e).__name__}: {e}"
    return f"{v!r} ({type(v).__name__})"


def _call_text(f, args, kwargs):
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{f.__name__}({', '.join(parts)})"


def mismatch(f, *args, **kwargs):
    """None when compiled 'f' agrees with the interpreter on 'args', else a message."""
    return _compare(f, args, kwargs)[0]


def _compare(f, args, kwargs):
    """(None or a message, the compiled result)."""
    jf = f if is_dispatcher(f) else ember.jit(f)
    py = jf.py_func
    want, wexc = _run(py, args, kwargs)
    got, gexc = _run(jf, args, kwargs)
    if isinstance(gexc, ember.CompileError):
        return f"{_call_text(py, args, kwargs)}: does not compile: {type(gexc).__name__}: {gexc}", None
    if wexc is not None or gexc is not None:
        if wexc is not None and gexc is not None and type(wexc) is type(gexc):
            return None, None
        return f"{_call_text(py, args, kwargs)}: expected {_show(want, wexc)}, got {_show(got, gexc)}", got
    if not same(want, got):
        return f"{_call_text(py, args, kwargs)}: expected {_show(want, None)}, got {_show(got, None)}", got
    return None, got


def check(f, *args, **kwargs):
    """Assert compiled 'f' gives what the interpreter gives on 'args'; return the result."""
    msg, got = _compare(f, args, kwargs)
    assert msg is None, msg
    return got


def check_all(f, argsets, limit=25):
    """check() every argument tuple in 'argsets'; report every mismatch at once."""
    jf = f if is_dispatcher(f) else ember.jit(f)
    misses = []
    for args in argsets:
        if not isinstance(args, tuple):
            args = (args,)
        msg = mismatch(jf, *args)
        if msg is not None:
            misses.append(msg)
    shown = "\n  ".join(misses[:limit])
    more = f"\n  ... and {len(misses) - limit} more" if len(misses) > limit else ""
    assert not misses, f"{len(misses)} of {len(argsets)} inputs differ from CPython:\n  {shown}{more}"


def check_or_reject(f, *args, **kwargs):
    """Like check(), but a clean ember.CompileError (a type Ember will not
    specialize, such as min(1, 2.0) whose result type depends on the values)
    is accepted too.  A wrong value never is."""
    jf = f if is_dispatcher(f) else ember.jit(f)
    try:
        jf(*args, **kwargs)
    except ember.CompileError:
        return
    except Exception:   # noqa: BLE001 - compared below
        pass
    check(jf, *args, **kwargs)


def source_line(path, marker):
    """Line number of the first line of file 'path' containing 'marker'."""
    with open(path) as fh:
        for i, line in enumerate(fh, 1):
            if marker in line:
                return i
    raise LookupError(marker)
