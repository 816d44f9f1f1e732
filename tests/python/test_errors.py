"""What Ember does not compile: ember.UnsupportedError / ember.TypingError (both
ember.CompileError) naming the function, file:line and the construct; odd
inputs (generator, closure, *args, **kwargs, lambda, method, huge constant, a
10,000-line function) never crash the interpreter."""
import math
import os

import pytest

import ember
from helpers import check, source_line

HERE = os.path.abspath(__file__)
FILE = os.path.basename(HERE)


def compile_error(f, *args, cls=ember.CompileError):
    """Call 'f' (an ember.jit dispatcher) and return the 'cls' it must raise."""
    with pytest.raises(cls) as ei:
        f(*args)
    return ei.value


def assert_names(err, f, marker, construct):
    """The message of 'err' names f, file:line of 'marker' and the 'construct'."""
    msg = str(err)
    line = source_line(HERE, marker)
    assert f.py_func.__name__ in msg, msg
    assert f"{FILE}:{line}" in msg, f"expected {FILE}:{line} in: {msg}"
    assert construct.lower() in msg.lower(), f"expected {construct!r} in: {msg}"


def test_hierarchy():
    assert issubclass(ember.UnsupportedError, ember.CompileError)
    assert issubclass(ember.TypingError, ember.CompileError)
    assert issubclass(ember.CompileError, Exception)


# -- unsupported constructs: UnsupportedError, named ------------------------------------
@ember.jit
def uses_dict(a):
    d = {"a": a}  # construct: dict
    return d


@ember.jit
def uses_list(a):
    xs = [{a: 1}]  # construct: list (a list of dicts returned)
    return xs


@ember.jit
def uses_set(a):
    s = {a, 1}  # construct: set
    return s


@ember.jit
def uses_try(a):
    try:  # construct: try
        return 1 // a
    except ZeroDivisionError:
        return 0


@ember.jit
def uses_str(a):
    return "abc"[a]  # construct: str (indexing)


@ember.jit
def uses_import(a):
    import os  # construct: import
    return a


@ember.jit
def uses_subscript(a):
    return a[0]  # construct: subscript


@ember.jit
def uses_with(a):
    with open("/dev/null"):  # construct: with
        return a


def test_dict():
    assert_names(compile_error(uses_dict, 1, cls=ember.UnsupportedError), uses_dict, "# construct: dict", "dict")


def test_list():
    assert_names(compile_error(uses_list, 1, cls=ember.UnsupportedError), uses_list, "# construct: list", "list")


def test_set():
    assert_names(compile_error(uses_set, 1, cls=ember.UnsupportedError), uses_set, "# construct: set", "set")


def test_try():
    e = compile_error(uses_try, 1, cls=ember.UnsupportedError)
    assert "uses_try" in str(e) and FILE in str(e), str(e)


def test_str_constant():
    e = compile_error(uses_str, 1)
    assert "uses_str" in str(e) and f"{FILE}:{source_line(HERE, '# construct: str')}" in str(e), str(e)


def test_import():
    e = compile_error(uses_import, 1)
    assert "uses_import" in str(e) and f"{FILE}:{source_line(HERE, '# construct: import')}" in str(e), str(e)


def test_subscript_of_number():
    compile_error(uses_subscript, 1)


def test_with():
    e = compile_error(uses_with, 1)
    assert "uses_with" in str(e) and FILE in str(e), str(e)


# -- typing errors ------------------------------------------------------------------
def plain_python(x):
    return x


NAME = "not a number"


@ember.jit
def calls_plain(a):
    return plain_python(a)  # construct: call plain


@ember.jit
def uses_str_global(a):
    return a + len(NAME)  # construct: str global


@ember.jit
def adds_none(a):
    return a + None  # construct: add none


@ember.jit
def bad_attr(a):
    return math.no_such_function(a)  # construct: bad attr


def test_call_plain_python():
    e = compile_error(calls_plain, 1, cls=ember.TypingError)
    assert_names(e, calls_plain, "# construct: call plain", "plain_python")


def test_global_of_other_type():
    e = compile_error(uses_str_global, 1, cls=ember.CompileError)
    assert "uses_str_global" in str(e), str(e)


def test_add_none():
    e = compile_error(adds_none, 1, cls=ember.TypingError)
    assert "adds_none" in str(e) and f"{FILE}:{source_line(HERE, '# construct: add none')}" in str(e), str(e)


def test_bad_module_attribute():
    e = compile_error(bad_attr, 1.0, cls=ember.CompileError)
    assert "no_such_function" in str(e), str(e)


def test_error_does_not_poison_dispatcher():
    """A failed compile leaves the dispatcher usable and raises again on retry."""
    compile_error(adds_none, 1, cls=ember.TypingError)
    compile_error(adds_none, 2, cls=ember.TypingError)


# -- odd inputs: no crash -------------------------------------------------------------
def test_generator():
    @ember.jit
    def gen(n):
        yield n
    e = compile_error(gen, 1, cls=ember.UnsupportedError)
    assert "gen" in str(e), str(e)


def test_closure():
    k = 3

    @ember.jit
    def inner(x):   # reads k, frozen (test_closures.py); assigning it is refused
        nonlocal k
        k = x
        return x + k
    e = compile_error(inner, 1, cls=ember.UnsupportedError)
    assert "inner" in str(e) and "nonlocal" in str(e), str(e)


def test_defines_closure():
    @ember.jit
    def outer(x):
        def f(y):
            return x + y
        return f      # called in place, a closure compiles (test_nested.py); returned, it does not
    compile_error(outer, 1, cls=ember.UnsupportedError)


def test_star_args():
    @ember.jit
    def va(*args):
        return len(args)
    assert check(va, 1, 2.5) == 2   # *args compiles (test_typing_breadth.py); **kwargs does not


def test_star_kwargs():
    @ember.jit
    def kw(x, **kwargs):
        return x
    compile_error(kw, 1, cls=ember.UnsupportedError)


def test_lambda():
    f = ember.jit(lambda x, y=2: x * y + 1)
    assert check(f, 3) == 7
    check(f, 1.5, -2.0)


def test_method():
    class C:
        @ember.jit
        def m(self, x):
            return x + 1
    try:
        r = C().m(1)
    except (TypeError, ember.CompileError):
        return
    assert r == 2


def test_bound_method():
    class C:
        def m(self, x):
            return x + 1
    try:
        f = ember.jit(C().m)
        r = f(1)
    except (TypeError, ember.CompileError):
        return
    assert r == 2


def test_not_a_function():
    with pytest.raises(TypeError):
        ember.jit(5)


def test_builtin_function():
    with pytest.raises((TypeError, ember.CompileError)):
        ember.jit(math.sqrt)(4.0)


def test_unsupported_argument_type():
    @ember.jit
    def f(x):
        return x + 1
    with pytest.raises((TypeError, ember.CompileError)):
        f("a")
    assert f(1) == 2


def test_huge_constant():
    @ember.jit
    def big(x):
        return x + 10**40
    try:
        r = big(1)
    except ember.CompileError:
        return
    assert r == 10**40 + 1 and type(r) is int


def test_huge_float_constant():
    @ember.jit
    def bigf(x):
        return x * 1e308 * 10.0
    check(bigf, 1.0)
    check(bigf, -1.0)


@pytest.mark.slow
def test_ten_thousand_lines(tmp_path):
    lines = ["def big(x, y):", "    a = x", "    b = y"]
    for i in range(10_000):
        lines.append(f"    a = a + b * {i % 7}" if i % 2 else f"    b = (b ^ {i}) & 0xFFFF")
    lines.append("    return a, b")
    path = tmp_path / "bigfunc.py"
    path.write_text("\n".join(lines) + "\n")
    ns = {}
    exec(compile(path.read_text(), str(path), "exec"), ns)
    f = ember.jit(ns["big"])
    try:
        r = f(1, 2)
    except ember.CompileError as e:
        assert "big" in str(e)
        return
    assert r == ns["big"](1, 2)


def test_many_errors_no_leak_of_state():
    """Repeated failing compiles stay failing cleanly (no crash, no partial entry)."""
    for _ in range(50):
        @ember.jit
        def bad(a):
            return {**a}   # dict merges: unsupported
        with pytest.raises(ember.UnsupportedError):
            bad(1)
