"""A compiled closure (an ember.jit function made inside another function)
reads the values of its free variables as it reads globals: frozen when it
compiles, as Numba does; numbers, NumPy arrays (a frozen copy), modules,
math functions and other ember.jit functions.  Each closure made is its own
dispatcher, and the on-disk cache keys on the values."""
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ember
from helpers import check


def make_affine(a, b):
    @ember.jit
    def f(x):
        return a * x + b
    return f


def make_table(t):
    @ember.jit
    def f(i):
        return t[i] * 2 + t.sum()
    return f


def make_loop(n, step):
    @ember.jit
    def f(x):
        s = 0.0
        for i in range(n):
            s += x * step
        g = lambda y: y * n + step   # a nested function reads them too
        return s + g(2)
    return f


def make_caller(fn, k):
    @ember.jit
    def f(x):
        return fn(x) + k
    return f


@ember.jit
def square(x):
    return x * x


@pytest.mark.parametrize("a,b", [(2, 3), (2.5, -1.0), (True, 0), (1j, 2), (-7, 2**40)])
def test_numbers_frozen(a, b):
    f = make_affine(a, b)
    for x in (0, 1, -3, 2.5):
        want = a * x + b
        got = f(x)
        assert got == want and type(got) is type(want)


def test_two_closures_keep_their_values():
    fs = [make_affine(k, -k) for k in range(6)]
    for k, f in enumerate(fs):
        assert f(10) == 9 * k


def test_array_closure():
    rng = np.random.default_rng(1)
    t = rng.standard_normal(7)
    f = make_table(t)
    for i in range(-7, 7):
        assert f(i) == t[i] * 2 + t.sum()
    with pytest.raises(IndexError):
        f(7)


def test_loop_and_nested_function():
    for n, step in ((0, 1.5), (3, 0.25), (10, -2.0)):
        f = make_loop(n, step)
        for x in (1.5, -2.0, 0.0):
            check(f, f.py_func, x)


@pytest.mark.parametrize("fn", [math.sqrt, math.exp, square, abs])
def test_function_values(fn):
    f = make_caller(fn, 1)
    for x in (0.25, 4.0, 9.0):
        check(f, f.py_func, x)


def test_nonlocal_assignment_is_refused():
    def make(k):
        @ember.jit
        def f(x):
            nonlocal k
            k = k + x
            return k
        return f
    with pytest.raises(ember.UnsupportedError, match="nonlocal"):
        make(1)(2)


def test_disk_cache_keys_on_values(tmp_path):
    src = textwrap.dedent("""
        import ember, sys
        def make(a):
            @ember.jit(cache=True)
            def f(x):
                return x * a
            return f
        print(make(int(sys.argv[1]))(3), make(int(sys.argv[1]) + 1)(3))
    """)
    script = tmp_path / "clo.py"
    script.write_text(src)
    env = dict(os.environ, EMBER_CACHE_DIR=str(tmp_path / "cache"))
    for a in (2, 2, 5):
        out = subprocess.run([sys.executable, str(script), str(a)], capture_output=True, text=True, env=env,
                             check=True).stdout.split()
        assert out == [str(3 * a), str(3 * (a + 1))]
