"""tools/bench/bench_arrays.py: Ember against Numba and C on array loops (issue 3).

Kernels (the same Python source for Ember and Numba; tools/bench/c/arrays.c
is the same algorithm in C, built with gcc -O3 -march=native at bench time
and called through ctypes on the arrays' memory):
  sum        s += a[i]                          1-D, n = 10**6
  dot        s += a[i] * b[i]                   1-D, n = 10**6
  fused4     out[i] = a[i]*b[i] + c[i]*d[i]     1-D, n = 10**6
  stencil1d  out[i] = (a[i-1] + a[i] + a[i+1]) * (1/3)
  stencil2d  5-point Jacobi sweep on 1000 x 1000
  pairwise   distances of 1000 points in 3-D (allocates the 1000 x 1000 result)
  exp1d      out[i] = math.exp(a[i])            1-D, n = 10**6 (checked: stays scalar)
  erf1d      out[i] = math.erf(a[i])            1-D, n = 10**6 (vectorizes via libmvec)
  blacksch   Black-Scholes call prices with math.erf, exp, log, sqrt; n = 10**6
  nbody      accelerations of 1000 bodies (one step's O(n^2) part)
  mandel     Mandelbrot escape counts on a 200 x 300 grid, at most 100 steps
  histogram  10**6 floats into 100 int64 bins (returns the counts)
Each is timed warm (median of --reps calls); Ember also with boundscheck=False,
to show what the bounds checks cost.  Results of the three implementations are
compared; anything that cannot run is n/a with the reason.

    python tools/bench/bench_arrays.py [--reps 21] [--json FILE]

(any venv with ember, numpy and numba; gcc on PATH)
"""
import argparse
import ctypes
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

KERNELS_SRC = '''
import math
import numpy as np

def sum1d(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s

def dot1d(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s

def fused4(a, b, c, d, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * b[i] + c[i] * d[i]

def stencil1d(a, out):
    for i in range(1, a.shape[0] - 1):
        out[i] = (a[i - 1] + a[i] + a[i + 1]) * (1.0 / 3.0)

def stencil2d(a, out):
    n, m = a.shape
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            out[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])

def pairwise(X):
    n, d = X.shape
    D = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = X[i, k] - X[j, k]
                s += t * t
            D[i, j] = math.sqrt(s)
    return D

def exp1d(a, out):
    for i in range(a.shape[0]):
        out[i] = math.exp(a[i])

def erf1d(a, out):
    for i in range(a.shape[0]):
        out[i] = math.erf(a[i])

def blacksch(S, K, T, r, v, out):
    for i in range(S.shape[0]):
        sq = v * math.sqrt(T[i])
        d1 = (math.log(S[i] / K[i]) + (r + 0.5 * v * v) * T[i]) / sq
        d2 = d1 - sq
        n1 = 0.5 * (1.0 + math.erf(d1 * 0.7071067811865476))
        n2 = 0.5 * (1.0 + math.erf(d2 * 0.7071067811865476))
        out[i] = S[i] * n1 - K[i] * math.exp(-r * T[i]) * n2

def nbody(pos, m):
    n = pos.shape[0]
    acc = np.zeros((n, 3))
    for i in range(n):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(n):
            dx = pos[j, 0] - pos[i, 0]
            dy = pos[j, 1] - pos[i, 1]
            dz = pos[j, 2] - pos[i, 2]
            r2 = dx * dx + dy * dy + dz * dz + 0.01
            s = m[j] / (r2 * math.sqrt(r2))
            ax += dx * s
            ay += dy * s
            az += dz * s
        acc[i, 0] = ax
        acc[i, 1] = ay
        acc[i, 2] = az
    return acc

def mandel(xs, ys):
    out = np.zeros((ys.shape[0], xs.shape[0]), np.int64)
    for i in range(ys.shape[0]):
        ci = ys[i]
        for j in range(xs.shape[0]):
            cr = xs[j]
            zr = 0.0
            zi = 0.0
            k = 0
            while k < 100 and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                k += 1
            out[i, j] = k
    return out

def histogram(x, lo, hi):
    counts = np.zeros(100, np.int64)
    scale = 100 / (hi - lo)
    for i in range(x.shape[0]):
        b = int((x[i] - lo) * scale)
        if b >= 0 and b < 100:
            counts[b] += 1
    return counts
'''

NAMES = ["sum1d", "dot1d", "fused4", "stencil1d", "stencil2d", "pairwise", "exp1d", "erf1d", "blacksch",
         "nbody", "mandel", "histogram"]
OUT_ARG = {"fused4", "stencil1d", "stencil2d", "exp1d", "erf1d", "blacksch"}   # results not compared


def inputs():
    rng = np.random.default_rng(0)
    n = 10**6
    a, b, c, d = (rng.random(n) for _ in range(4))
    g = rng.random((1000, 1000))
    x = rng.random((1000, 3))
    S, K = 50 + 100 * rng.random(n), 50 + 100 * rng.random(n)
    T = 0.1 + 2 * rng.random(n)
    return {
        "exp1d": (a, np.zeros(n)), "erf1d": (a, np.zeros(n)), "blacksch": (S, K, T, 0.02, 0.3, np.zeros(n)),
        "nbody": (x, 0.5 + rng.random(1000)), "mandel": (np.linspace(-2.0, 1.0, 300), np.linspace(-1.0, 1.0, 200)),
        "histogram": (rng.standard_normal(n), -3.0, 3.0),
        "sum1d": (a,), "dot1d": (a, b), "fused4": (a, b, c, d, np.zeros(n)),
        "stencil1d": (a, np.zeros(n)), "stencil2d": (g, np.zeros_like(g)), "pairwise": (x,),
    }


def load(ns_name, decorate):
    ns = {}
    exec(compile(KERNELS_SRC, ns_name, "exec"), ns)
    return {k: decorate(ns[k]) for k in NAMES}


def build_c(workdir):
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        return None, "no gcc"
    so = os.path.join(workdir, "arrays.so")
    r = subprocess.run([cc, "-O3", "-march=native", "-shared", "-fPIC", "-o", so,
                        os.path.join(HERE, "c", "arrays.c"), "-lm"], capture_output=True, text=True)
    if r.returncode:
        return None, r.stderr.strip()[:200]
    lib = ctypes.CDLL(so)
    P, I64, D = ctypes.c_void_p, ctypes.c_int64, ctypes.c_double
    sig = {"sum1d": ([P, I64], ctypes.c_double), "dot1d": ([P, P, I64], ctypes.c_double),
           "fused4": ([P] * 5 + [I64], None), "stencil1d": ([P, P, I64], None),
           "stencil2d": ([P, P, I64, I64], None), "pairwise": ([P, P, I64, I64], None),
           "exp1d": ([P, P, I64], None), "erf1d": ([P, P, I64], None),
           "blacksch": ([P, P, P, D, D, P, I64], None), "nbody": ([P, P, P, I64], None),
           "mandel": ([P, P, P, I64, I64], None), "histogram": ([P, I64, D, D, P], None)}
    for name, (argt, rest) in sig.items():
        getattr(lib, name).argtypes = argt
        getattr(lib, name).restype = rest
    return lib, None


def c_call(lib, name, args):
    p = [x.ctypes.data if isinstance(x, np.ndarray) else None for x in args]
    if name == "sum1d":
        return lambda: lib.sum1d(p[0], args[0].shape[0])
    if name == "dot1d":
        return lambda: lib.dot1d(p[0], p[1], args[0].shape[0])
    if name == "fused4":
        return lambda: lib.fused4(*p, args[0].shape[0])
    if name == "stencil1d":
        return lambda: lib.stencil1d(p[0], p[1], args[0].shape[0])
    if name == "stencil2d":
        return lambda: lib.stencil2d(p[0], p[1], *args[0].shape)
    if name in ("exp1d", "erf1d"):
        return lambda: getattr(lib, name)(p[0], p[1], args[0].shape[0])
    if name == "blacksch":
        return lambda: lib.blacksch(p[0], p[1], p[2], args[3], args[4], args[5].ctypes.data, args[0].shape[0])
    if name == "nbody":
        acc = np.zeros((args[0].shape[0], 3))
        return lambda: (lib.nbody(p[0], p[1], acc.ctypes.data, args[0].shape[0]), acc)[1]
    if name == "mandel":
        out = np.zeros((args[1].shape[0], args[0].shape[0]), np.int64)
        return lambda: (lib.mandel(p[0], p[1], out.ctypes.data, args[1].shape[0], args[0].shape[0]), out)[1]
    if name == "histogram":
        counts = np.zeros(100, np.int64)
        return lambda: (lib.histogram(p[0], args[0].shape[0], args[1], args[2], counts.ctypes.data), counts)[1]
    x = args[0]
    out = np.empty((x.shape[0], x.shape[0]))
    return lambda: (lib.pairwise(x.ctypes.data, out.ctypes.data, *x.shape), out)[1]


def median_ms(fn, reps):
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(ts)


def same(a, b):
    if isinstance(a, np.ndarray):
        return np.allclose(a, b, rtol=1e-12)
    return a is None and b is None or (b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b)))


def run(reps):
    import ember
    impls = {"ember": load("<ember>", ember.jit), "ember_nobc": load("<ember>", ember.jit(boundscheck=False))}
    try:
        import numba
        impls["numba"] = load("<numba>", numba.njit)
        numba_note = numba.__version__
    except Exception as e:  # noqa: BLE001
        numba_note = f"n/a ({type(e).__name__}: {e})"
    tmp = tempfile.mkdtemp()
    lib, cerr = build_c(tmp)
    data = inputs()
    rows = []
    for name in NAMES:
        args = data[name]
        row = {"kernel": name}
        outs = {}
        for impl, fs in impls.items():
            try:
                f = fs[name]
                outs[impl] = f(*args)
                row[impl] = median_ms(lambda: f(*args), reps)
            except Exception as e:  # noqa: BLE001
                row[impl] = None
                row[impl + "_error"] = f"{type(e).__name__}: {str(e)[:120]}"
        if lib is not None:
            fn = c_call(lib, name, args)
            outs["c"] = fn()
            row["c"] = median_ms(fn, reps)
        ref = outs.get("c", outs.get("ember"))
        row["agree"] = all(same(v, ref) if name not in OUT_ARG else True for v in outs.values())
        rows.append(row)
    return rows, numba_note, cerr


def fmt(x):
    return "n/a" if x is None else f"{x:8.3f}"


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:5.2f}x"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=21)
    ap.add_argument("--json")
    o = ap.parse_args()
    rows, numba_note, cerr = run(o.reps)
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus; "
          f"Python {platform.python_version()}; NumPy {np.__version__}; Numba {numba_note}; "
          f"C: {'gcc -O3 -march=native' if not cerr else 'n/a (' + cerr + ')'}")
    print(f"{'kernel':10} {'ember ms':>9} {'no bc ms':>9} {'numba ms':>9} {'C ms':>9}   "
          f"{'ember/C':>7} {'ember/numba':>11} {'bc cost':>7}  agree")
    for r in rows:
        e, nb, nu, c = r.get("ember"), r.get("ember_nobc"), r.get("numba"), r.get("c")
        print(f"{r['kernel']:10} {fmt(e)} {fmt(nb)} {fmt(nu)} {fmt(c)}   {ratio(e, c):>7} {ratio(e, nu):>11} "
              f"{ratio(e, nb):>7}  {'yes' if r['agree'] else 'NO'}")
        for k in r:
            if k.endswith("_error"):
                print(f"    {k[:-6]}: {r[k]}")
    if o.json:
        with open(o.json, "w") as f:
            json.dump({"rows": rows, "numba": numba_note}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
