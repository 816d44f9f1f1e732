"""A local assigned on some paths only: reading it where it is unassigned
raises UnboundLocalError with CPython's own message (3.10: "local variable 'y'
referenced before assignment"; 3.11+: "cannot access local variable 'y' where
it is not associated with a value"), at the line of the read; where it is
assigned the function returns the value."""
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
    else:
        assert want == got, f"{jf.py_func.__name__}{args}: CPython {want}, Ember {got}"
    return got


@ember.jit
def if_only(c):
    if c:
        y = 1.5
    return y   # if_only-read


@ember.jit
def loop_last(n):
    for i in range(n):
        last = i * 2
    return last + i


@ember.jit
def two_vars(a, b):
    if a:
        x = 1
    if b:
        y = 2
    return x + y


@ember.jit
def while_found(n):
    k = 0
    while k < n:
        if k * k > 50:
            found = k
            break
        k += 1
    return found


@ember.jit
def tuple_var(c):
    if c:
        t = (1, 2.5)
    a, b = t
    return a + b


@ember.jit
def read_twice(c):
    if c:
        y = 3
    z = y + 1
    return y * z


@ember.jit
def assigned_later_in_loop(n):
    s = 0
    for i in range(n):
        if i > 0:
            s += prev
        prev = i
    return s


def test_if_only(): agree(if_only, True); agree(if_only, False); agree(if_only, 0)
def test_loop_last(): agree(loop_last, 3); agree(loop_last, 0)
def test_two_vars(): [agree(two_vars, a, b) for a in (0, 1) for b in (0, 1)]
def test_while_found(): agree(while_found, 100); agree(while_found, 3)
def test_tuple_var(): agree(tuple_var, 1); agree(tuple_var, 0)
def test_read_twice(): agree(read_twice, 1); agree(read_twice, 0)
def test_assigned_later_in_loop(): agree(assigned_later_in_loop, 5); agree(assigned_later_in_loop, 0)


def test_message_per_version():
    kind, args = outcome(if_only, False)
    assert kind == "UnboundLocalError"
    if sys.version_info >= (3, 11):
        assert args == ("cannot access local variable 'y' where it is not associated with a value",)
    else:
        assert args == ("local variable 'y' referenced before assignment",)


def test_traceback_line():
    try:
        if_only(0)
    except UnboundLocalError as e:
        tb = traceback.extract_tb(e.__traceback__)
        assert ("if_only", source_line(__file__, "# if_only-read")) in [(f.name, f.lineno) for f in tb]


def test_always_assigned_has_no_check():
    @ember.jit
    def f(c):
        y = 0
        if c:
            y = 1
        return y
    assert "UNBOUND" not in f.inspect_ir(after="frontend") if f(1) == 1 else False
