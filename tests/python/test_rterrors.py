"""Runtime errors of compiled code raise what CPython raises: the same class and
the same args (message) on this interpreter's version, e.g. "division by zero"
for 1 / 0 but "float division by zero" for 1.0 / 0.0, "integer modulo by zero"
on 3.12+, OverflowError(34, 'Numerical result out of range') for float **, and
the complex messages; the traceback and note name the function that raised."""
import math
import sys
import traceback

import ember
from helpers import same, source_line


def outcome(f, *args):
    try:
        return "ok", f(*args)
    except Exception as e:   # noqa: BLE001 - compared
        return type(e).__name__, e.args


def agree(jf, *args):
    want, got = outcome(jf.py_func, *args), outcome(jf, *args)
    if want[0] == got[0] == "ok":
        assert same(want[1], got[1]), f"{jf.py_func.__name__}{args}: CPython {want}, Ember {got}"
        return got
    assert want == got, f"{jf.py_func.__name__}{args}: CPython {want}, Ember {got}"
    return got


@ember.jit
def div(a, b):
    return a / b


@ember.jit
def fdiv(a, b):
    return a // b


@ember.jit
def mod(a, b):
    return a % b


@ember.jit
def pw(a, b):
    return a ** b


@ember.jit
def dm(a, b):
    return divmod(a, b)


@ember.jit
def cabs(z):
    return abs(z)


@ember.jit
def shift(a, b):
    return a << b


@ember.jit
def toint(x):
    return int(x)


def test_int_true_division(): assert agree(div, 1, 0)[0] == "ZeroDivisionError"
def test_float_true_division(): agree(div, 1.0, 0.0)
def test_mixed_true_division(): agree(div, 1, 0.0); agree(div, 1.0, 0)
def test_int_floor_division(): agree(fdiv, 7, 0)
def test_float_floor_division(): agree(fdiv, 7.0, -0.0)
def test_int_modulo(): agree(mod, 7, 0)
def test_float_modulo(): agree(mod, 7.5, 0.0)
def test_int_divmod(): agree(dm, 7, 0)
def test_float_pow_overflow(): assert agree(pw, 1e300, 2.0)[1] == (34, 'Numerical result out of range')
def test_float_pow_overflow_slow(): agree(pw, -10.0, 401.0); agree(pw, 10.0, 400.0); agree(pw, 2.0, 1024.0)
def test_float_pow_zero(): agree(pw, 0.0, -1.0); agree(pw, -0.0, -2.5)
def test_complex_division(): agree(div, 1 + 1j, 0j); agree(div, 1.0, 0j)
def test_complex_pow_zero(): agree(pw, 0j, -1 + 0j); agree(pw, 0j, 1j); agree(pw, 0j, -2.5 + 0j)
def test_complex_pow_range(): agree(pw, 1e300 + 1e300j, 2.5 + 1j); agree(pw, 1e200 + 0j, 2 + 0j)
def test_complex_pow_nan_is_no_error(): agree(pw, 1e300 + 1e300j, 2 + 0j)
def test_complex_abs(): agree(cabs, complex(1.7e308, 1.7e308)); agree(cabs, complex(1e308, 1e308))
def test_shift(): agree(shift, 1, -1)
def test_int_of_nan(): agree(toint, math.nan); agree(toint, -math.inf)


@ember.jit
def inner(a, b):
    return a // b   # inner-raises


@ember.jit
def outer(a, b):
    return inner(a, b) + 1   # outer-calls


def test_error_in_callee_names_callee():
    """The traceback entry and the note name the function whose line raised."""
    try:
        outer(1, 0)
    except ZeroDivisionError as e:
        tb = traceback.extract_tb(e.__traceback__)
        names = [(fr.name, fr.lineno) for fr in tb]
        assert ("inner", source_line(__file__, "# inner-raises")) in names, names
        if sys.version_info >= (3, 11):
            notes = getattr(e, "__notes__", [])
            assert any("inner" in n and f":{source_line(__file__, '# inner-raises')}" in n for n in notes), notes
    else:
        raise AssertionError("no ZeroDivisionError")


@ember.jit
def rec(n):
    if n == 0:
        return 1 // n   # rec-raises
    return rec(n - 1)


def test_error_deep_in_recursion():
    try:
        rec(5)
    except ZeroDivisionError as e:
        tb = traceback.extract_tb(e.__traceback__)
        assert ("rec", source_line(__file__, "# rec-raises")) in [(fr.name, fr.lineno) for fr in tb]
    else:
        raise AssertionError("no ZeroDivisionError")
