"""np.linalg, matmul and dot in Ember-compiled code (jit/ember/_lib_linalg.py
and _lib_blas.py: NumPy's own OpenBLAS; EMBER_NO_BLAS=1 for the compiled
loops instead) against NumPy, and Numba where it is installed, one thread.

    OPENBLAS_NUM_THREADS=1 python tools/bench/bench_linalg.py [--n 200] [--reps 51]

Prints, for det, slogdet, solve (one right-hand side), inv, cholesky, eigh,
svd and lstsq (n by n/2) of an n x n well-conditioned float64 matrix, a @ b, np.dot(a, x) and the dot
of two vectors of n * n items, the best and median of --reps warm calls and
the ratio Ember/NumPy of the medians (and Numba's median).  Results are
checked against NumPy's first.
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # before NumPy loads BLAS
import numpy as np  # noqa: E402

import ember  # noqa: E402


@ember.jit
def det(a):
    return np.linalg.det(a)


@ember.jit
def slogdet(a):
    return np.linalg.slogdet(a)


@ember.jit
def solve(a, b):
    return np.linalg.solve(a, b)


@ember.jit
def inv(a):
    return np.linalg.inv(a)


@ember.jit
def cholesky(a):
    return np.linalg.cholesky(a)


@ember.jit
def eigh(a):
    return np.linalg.eigh(a)


@ember.jit
def svd(a):
    return np.linalg.svd(a)


@ember.jit
def lstsq(a, b):
    return np.linalg.lstsq(a, b)


@ember.jit
def matmul(a, b):
    return a @ b


@ember.jit
def dot(a, b):
    return np.dot(a, b)


def numba_twins(cases):
    """Numba's njit of each case's NumPy function (None without Numba)."""
    try:
        import numba
    except ImportError:
        return {}
    out = {}
    for name, _, g, args in cases:
        f = numba.njit((lambda g: lambda *a: g(*a))(g)) if name != "matmul" else numba.njit(lambda a, b: a @ b)
        f(*args)
        out[name] = f
    return out


def timings(f, args, reps):
    f(*args)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f(*args)
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[0], ts[len(ts) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--reps", type=int, default=51)
    o = ap.parse_args()
    rng = np.random.default_rng(0)
    a = rng.standard_normal((o.n, o.n)) / np.sqrt(o.n) + 2 * np.eye(o.n)   # a modest det, well-conditioned
    b = rng.standard_normal(o.n)
    s = a @ a.T
    cases = [("det", det, np.linalg.det, (a,)), ("slogdet", slogdet, np.linalg.slogdet, (a,)),
             ("solve", solve, np.linalg.solve, (a, b)), ("inv", inv, np.linalg.inv, (a,)),
             ("cholesky", cholesky, np.linalg.cholesky, (s,)), ("eigh", eigh, np.linalg.eigh, (s,)),
             ("svd", svd, np.linalg.svd, (a,)), ("lstsq", lstsq, np.linalg.lstsq, (a[:, : o.n // 2], b)),
             ("matmul", matmul, np.matmul, (a, s)), ("dot A x", dot, np.dot, (a, b)),
             ("dot x y", dot, np.dot, (s.ravel(), a.ravel()))]
    nb_f = numba_twins(cases)
    print(f"n = {o.n}, NumPy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"best / median of {o.reps}")
    print(f"{'what':10s} {'Ember best':>11s} {'median':>9s} {'NumPy best':>11s} {'median':>9s} {'Ember/NumPy':>12s}"
          + ("  Numba median" if nb_f else ""))
    for name, f, g, args in cases:
        got, want = f(*args), g(*args)
        for x, y in zip(got if isinstance(got, tuple) else (got,), want if isinstance(want, tuple) else (want,)):
            assert np.allclose(np.abs(x), np.abs(y), rtol=1e-9, atol=1e-12), name   # singular vectors: up to sign
        eb, em = timings(f, args, o.reps)
        nb, nm = timings(g, args, o.reps)
        line = f"{name:10s} {eb * 1e3:9.3f}ms {em * 1e3:7.3f}ms {nb * 1e3:9.3f}ms {nm * 1e3:7.3f}ms {em / nm:11.2f}x"
        if name in nb_f:
            line += f"  {timings(nb_f[name], args, o.reps)[1] * 1e3:9.3f}ms"
        print(line)


if __name__ == "__main__":
    main()
