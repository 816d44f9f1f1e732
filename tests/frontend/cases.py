"""tests/frontend/cases.py: the Python functions the frontend fixtures record.

tools/record_fixtures.py records every function below (in this order) under
each supported CPython into tests/frontend/fixtures/py3NN/<name>.rec, and
tests/c/test_frontend.c checks that each gives the same IR on every version.
Functions named err_* are unsupported on purpose: the test checks the error
(construct and line offset from the `def` line) listed in ERRORS.
Keep line numbers stable: the error tests name lines relative to each `def`.
"""
import math

SCALE = 2.5
N = 10
FLAG = True
ZC = 1 + 2j
NOTHING = None
BIG = 2 ** 80
NAME = "text"


def add(a, b):
    return a + b


def arith(a, b):
    return (a - b) * (a / b) + (a // b) - (a % b) ** 2


def bitwise(a, b):
    return ((a & b) | (a ^ b)) << 2 >> 1


def unary(a):
    return -a + (+a) + ~a


def logical_not(a):
    return not a


def compares(a, b):
    return (a < b, a <= b, a == b, a != b, a > b, a >= b)


def chained(x):
    return 0 < x < 10


def chained3(a, b, c):
    return a <= b < c != 3


def branches(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


def if_no_else(x):
    y = 1
    if x:
        y = 2
    return y


def ternary(x):
    return 1.5 if x > 0 else 2.5


def and_value(a, b):
    return a and b


def or_value(a, b):
    return a or b


def and_or(a, b):
    return a and b or 3


def cond_and(a, b):
    if a > 0 and b > 0:
        return 1
    return 2


def cond_or(a, b):
    if a > 0 or b > 0:
        return 1
    return 2


def gcd(a, b):
    while b:
        a, b = b, a % b
    return abs(a)


def while_break(n):
    i = 0
    while True:
        if i * i > n:
            break
        i += 1
    return i


def for_range1(n):
    s = 0
    for i in range(n):
        s += i
    return s


def for_range2(a, b):
    s = 0
    for i in range(a, b):
        s += i * i
    return s


def for_range3(n):
    s = 0
    for i in range(n, 0, -2):
        s = s + i
    return s


def for_continue(n):
    s = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        s += i
    return s


def for_else(n):
    for i in range(n):
        if i == 7:
            break
    else:
        return -1
    return i


def while_else(n):
    i = 0
    while i < n:
        i += 2
    else:
        i = -i
    return i


def nested_loops(n):
    s = 0
    for i in range(n):
        for j in range(i):
            s += i * j
    return s


def tuple_build(a, b):
    return (a, b, a + b)


def tuple_const():
    return (1, 2.0)


def tuple_unpack(t):
    x, y = t
    return x - y


def swap3(a, b, c):
    a, b, c = c, a, b
    return a * 100 + b * 10 + c


def walrus(x):
    if (y := x * 2) > 10:
        return y
    return -y


def globals_num(x):
    return x * SCALE + N - (1 if FLAG else 0)


def global_complex(x):
    return ZC * x


def math_calls(x):
    return math.sqrt(x) + math.log(x, 2) + math.pi


def builtins_calls(a, b):
    return abs(a) + min(a, b) + max(a, b, 0) + int(a) + round(b, 2)


def call_kw(a):
    return add(a, b=3)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def none_default(x, lim=None):
    if lim is None:
        lim = 10
    return x + lim


def not_none(x, lim=None):
    if lim is not None:
        return x + lim
    return x


def augmented(a, b):
    a += b
    a -= 1
    a *= b
    a //= 2
    a **= 2
    a %= 7
    a <<= 1
    a >>= 1
    a &= 255
    a |= 1
    a ^= 3
    return a


def early_return(x):
    for i in range(x):
        if i > 5:
            return i
    return -1


def complex_method(z):
    return z.conjugate() + z.real


def implicit_none(x):
    if x:
        x = 1


def kwonly(a, *, b=2):
    return a * b


def float_ops(x):
    return x * 0.5 + 1e300 - 3.25


def complex_const(x):
    return x + 2j


def is_ops(a):
    return a is None, a is not None


def collatz(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def maybe_defined(x):
    if x:
        y = 1
    return y


def bool_ops(a, b):
    return not (a and b)


def dict_ops(x, k):
    d = {}
    e = {1: x, 2: 2.5}
    f = {k: x, k + 1: x * 2}
    d[k] = e[1] + f[k]
    del f[k]
    return len(d) + len(f) + (k in e)


def dict_comp(n):
    d = {i: i * 0.5 for i in range(n)}
    return len(d)


def err_dict(x):
    d = {**x}
    return d


def err_list(x):
    return [x, 1]


def err_closure(x):
    def inner():
        return x
    return inner


def err_lambda(x):
    return (lambda y: y), x


def err_generator(n):
    for i in range(n):
        yield i


def err_try(x):
    y = 0
    try:
        y = 1 // x
    except ZeroDivisionError:
        y = 2
    return y


def raise_class(x):
    if x:
        raise ValueError
    return x


def err_varargs(**kwargs):
    return 1


def err_str(x):
    s = "abc"
    return s[x]


def bigint_const(x):
    return x + 123456789012345678901234567890


def err_import(x):
    import os
    return x


def always_unbound(x):
    y = y + x
    return y


def err_global_str(x):
    return NAME


def err_subscript(t):
    del t.x   # del t[k] builds (DDEL: infer allows it on dicts only)


# name -> (error code name, message fragment, line offset from the def line)
ERRORS = {
    'err_dict': ('CONSTRUCT', 'dict displays', 1),
    'err_list': ('CONSTRUCT', 'list displays', 1),
    'err_closure': ('FLAGS', 'used as a value', 3),
    'err_lambda': ('FLAGS', 'used as a value', 1),
    'err_generator': ('FLAGS', 'generator', 0),
    'err_try': ('CONSTRUCT', 'try statements', 2),
    'err_varargs': ('CONSTRUCT', '**kwargs parameters', 0),
    'err_str': ('CONSTRUCT', 'str values', 2),
    'err_import': ('CONSTRUCT', 'imports', 1),
    'err_global_str': ('GLOBAL', 'NAME', 1),
    'err_subscript': ('CONSTRUCT', 'del statements', 1),
    'err_raise_user': ('CONSTRUCT', 'exception classes other than the builtin ones (MyError)', 2),
    'err_raise_bare': ('CONSTRUCT', 'bare raise statements', 2),
    'err_raise_cause': ('FLAGS', 'a cause other than None', 2),
    'err_raise_value': ('FLAGS', 'raise of a value that is not a builtin exception', 1),
    'err_fstring': ('CONSTRUCT', 'f-strings outside raise statements', 2),
    'err_exc_value': ('CONSTRUCT', 'exception classes and objects outside raise statements', 2),
    'err_nested_recursion': ('CONSTRUCT', 'recursive nested functions', 2),
}


def bigint_global(x):
    return x * BIG


def bigint_branch(x):
    if x > 0:
        y = x - 1180591620717411303424
        x = y + 1
    else:
        y = x
    return y + x


def maybe_unbound(c):
    if c:
        y = 1
    return y


def loop_unbound(n):
    for i in range(n):
        last = i * 2
    return last + i


def subscripts(a, i, j):
    x = a[i]
    a[i] = x + 1
    a[i, j] += 2
    return a[1:j], a[i:], a[::2], a[:, 0], a[i:j:-1]


def slice_store(a, b, i):
    a[1:i] = b
    a[:] = 0
    a[i:] += b
    return a[-1]


# -- values and NULL slots of calls that cross blocks (3.11+ PUSH_NULL, LOAD_GLOBAL's null bit)
def call_of_or(a, b):
    return float(a or b)


def call_of_ifexp(a, b):
    return abs(a if a > b else b) + min(a and b, 3)


def pow_of_and(a):
    return a ** float(not (0 + (a and a)))


# -- known-truth jump threading must not bypass a block whose values are used later
def const_chain_and():
    return ((0 < 0 < 0) and (0 != 0)) and (0 != 0)


def retest_local(a, b):
    if a:
        x = a
    else:
        x = b
    if x:
        return x + 1
    return 0


# -- @ and @= (BINARY_MATRIX_MULTIPLY in 3.10, BINARY_OP 4 and 17 after), None in subscripts
def matmul_ops(a, b):
    c = a @ b
    c @= b
    return c


def subscript_none(a, i):
    return a[:, None], a[None, i], a[None], a[i, None, 1:]


# raise and assert (frontend/raise.c): the same `raise USER` text on every version.
def raise_msg(n):
    if n < 0:
        raise ValueError("n must be positive")
    return n


def raise_fmt(n, x):
    if n > 10:
        raise IndexError(f"index {n} out of range, x={x:.3f} {n!r:>5} {{}}'\\")
    return n


def raise_args(n):
    if n == 0:
        raise ZeroDivisionError("zero", n, 2.5) from None
    return n


def assert_msg(n):
    assert n > 0, "n must be positive"
    assert n != 3
    return n


def raise_loop(n):
    s = 0
    for i in range(n):
        if i > 5:
            raise RuntimeError(f"too many: {i}")
        s += i
    return s


def err_raise_user(x):
    if x:
        raise MyError("x")
    return x


def err_raise_bare(x):
    if x:
        raise
    return x


def err_raise_cause(x):
    if x:
        raise ValueError("x") from KeyError
    return x


def err_raise_value(x):
    raise x


def err_fstring(x):
    s = f"{x}"
    return s


def err_exc_value(x):
    e = ValueError("x")
    return e


class MyError(Exception):
    pass


import numpy as np  # noqa: E402  (the list and str cases below call it)


def list_display(a, b):
    u = [1.0, 2.0, 3.0]
    v = [[1, 2], [3, 4]]
    w = [a, b, 2.5]
    s = 0.0
    for x in [0.5, 0.25, 0.25]:
        s += x
    return np.array(u)[0] + np.array(v)[1, 1] + w[a] + s + len(w)


def list_starred(a):
    return len([*(1, 2), a]) + len((*(3, 4), a))


def str_args(a, n):
    b = np.zeros(n, dtype="float32") + np.ones(n, "i8") + a.astype("<f8")
    return np.searchsorted(np.sort(b, kind="stable"), 1.0, side="right") + np.empty(n, order="C")[0]


def err_list_append(x):
    v = [x]
    v.append(1)
    return v[0]


def err_list_store(x):
    v = [x, 1]
    v[0] = 2
    return v[0]


def err_list_branch(x):
    v = [x] if x else [1]
    return v[0]


def err_list_index(a):
    return a[[0, 1]]


def err_dtype_str(n):
    return np.zeros(n, "xyz")


def err_sort_kind(a):
    return np.sort(a, kind="bogus")


def contains(x, a, b):
    return (x in [1, 2, 3]) + (x not in (a, b)) + (x in ()) + (x not in [a])


# -- nested functions, closures, generator expressions (frontend/nested.c): inlined
def closure_call(a, c):
    def inner(y, k=2.0):
        return y * c + k
    s = 0.0
    for i in range(a.shape[0]):
        s += inner(a[i]) + inner(k=1.0, y=c)
    return s


def lambda_closures(x, c):
    f = lambda t: t * t + c   # noqa: E731
    def outer(y):
        def innermost(z):
            return f(z) - y
        return innermost(y / 2.0)
    return outer(x if x > c else -x) + (lambda: x)()


def genexpr_sum(a, c):
    return sum(x * x for x in a if x > c) + sum((i * j for i in range(3) for j in range(i)), 1)


def genexpr_any_all(a, t):
    return any(v > t for v in a) and not all(v > t for v in a)


def err_nested_recursion(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)
    return fact(n)


def str_literals(x):
    mode = "max"
    if mode == "sum" or len(mode) != 3:
        return x
    if mode in ("max", "min") and mode != "min" and mode:
        return x + int("12") + float("1.5")
    return -x


def nested_star(x, y):
    def total(*args):
        return len(args) + sum(args)
    return total(x, y, 1) + total()
