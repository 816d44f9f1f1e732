"""Ember demo: a few scalar functions compiled with @ember.jit, their
signatures, the time of a call against the interpreter, and the IR.

    python tools/demo.py
"""
import math
import time

import ember


@ember.jit
def gcd(a, b):
    while b:
        a, b = b, a % b
    return abs(a)


@ember.jit
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@ember.jit
def mandel(cr, ci, maxiter=200):
    zr = zi = 0.0
    for i in range(maxiter):
        zr2, zi2 = zr * zr, zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zr, zi = zr2 - zi2 + cr, 2.0 * zr * zi + ci
    return maxiter


@ember.jit("float64(float64, float64, int64)")
def trapezoid(a, b, n):
    h = (b - a) / n
    s = 0.5 * (math.exp(-a * a) + math.exp(-b * b))
    for i in range(1, n):
        x = a + i * h
        s += math.exp(-x * x)
    return s * h


def best(f, *args, repeat=5, number=200):
    """Seconds of one call of f(*args): the best of 'repeat' runs of 'number' calls."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            f(*args)
        times.append((time.perf_counter() - t) / number)
    return min(times)


def main():
    cases = [
        (gcd, (2**40 * 3**10, 2**20 * 3**15)),
        (fib, (90,)),
        (mandel, (-0.743643887037151, 0.13182590420533)),
        (trapezoid, (-3.0, 3.0, 10_000)),
    ]
    print(f"ember {ember.__version__}")
    for f, args in cases:
        t0 = time.perf_counter()
        r = f(*args)
        first = time.perf_counter() - t0
        assert r == f.py_func(*args) or math.isclose(r, f.py_func(*args), rel_tol=1e-12), (f.__name__, r)
        tj, tp = best(f, *args), best(f.py_func, *args)
        print(f"{f.__name__}{args} = {r}")
        print(f"    signatures {f.signatures}; first call {first * 1e3:.2f} ms")
        print(f"    ember {tj * 1e6:9.3f} us   python {tp * 1e6:9.3f} us   speedup {tp / tj:7.1f}x")
    print(f"fib(100) = {fib(100)} (past 64 bits: the interpreter's answer, "
          f"fallbacks: {fib.stats['fallbacks']})")
    print()
    print("gcd after infer:")
    print(gcd.inspect_ir(after="infer"))
    print("stage times of gcd's compile (ms):")
    for sig, times in gcd.stats["compile_times"].items():
        print("   ", sig, ", ".join(f"{k} {v * 1e3:.2f}" for k, v in times.items()))


if __name__ == "__main__":
    main()
