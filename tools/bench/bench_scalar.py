"""tools/bench/bench_scalar.py: Ember against Numba and C on scalar code.

Measures, printing medians and ratios (run it with tools/bench/run.sh, which
makes build/venv-bench with Numba and this package):
  a. first call (compilation, LLVM start-up included) of a small scalar loop in a
     fresh process, Ember and Numba, median of --fresh runs; Ember's stage times;
  b. call overhead of f(x) = x + 1 on an int: plain Python, Ember, Numba (timeit);
  c. `import ember` in a fresh process that has NumPy loaded;
  d. run time of four kernels (fib loop, Collatz steps, a Mandelbrot grid, a
     trapezoid integral of exp(-x*x)): Ember, Numba, and the same code in C
     (tools/bench/c/kernels.c, gcc -O3 -march=native, called through ctypes).
Anything that cannot run (no Numba, no gcc, a compile error) is shown as n/a
with the reason; nothing is estimated.
"""
import argparse
import ctypes
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))

# -- kernels: the same source for Ember and Numba ----------------------------------
KERNELS_SRC = '''
import math

def fib_loop(reps, m):
    s = 0
    for r in range(reps):
        a = r & 7
        b = 1
        for i in range(m):
            a, b = b, a + b
        s += a & 1023
    return s

def collatz_sum(n):
    total = 0
    for i in range(1, n):
        x = i
        while x != 1:
            if x % 2 == 0:
                x //= 2
            else:
                x = 3 * x + 1
            total += 1
    return total

def mandel(w, h, maxit):
    count = 0
    for j in range(h):
        ci = -1.5 + 3.0 * j / h
        for i in range(w):
            cr = -2.0 + 3.0 * i / w
            zr = 0.0
            zi = 0.0
            k = 0
            while k < maxit and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            count += k
    return count

def trapz(a, b, n):
    h = (b - a) / n
    s = 0.5 * (math.exp(-a * a) + math.exp(-b * b))
    for i in range(1, n):
        x = a + i * h
        s += math.exp(-x * x)
    return s * h
'''
# name: (args, ctypes argtypes, restype)
KERNELS = {
    # m is an argument: with a constant 80, Numba 0.68's LLVM did not finish compiling in 5 minutes
    "fib_loop": ((2_000_000, 80), [ctypes.c_int64] * 2, ctypes.c_int64),
    "collatz_sum": ((300_000,), [ctypes.c_int64], ctypes.c_int64),
    "mandel": ((400, 300, 200), [ctypes.c_int64] * 3, ctypes.c_int64),
    "trapz": ((-3.0, 3.0, 10_000_000), [ctypes.c_double, ctypes.c_double, ctypes.c_int64], ctypes.c_double),
}

FIRST_CALL_SRC = '''
def loop(n):
    s = 0.0
    for i in range(n):
        if i % 3 == 0:
            s += i * 0.5
        else:
            s -= 1.0
    return s
'''


def median_ms(xs):
    return statistics.median(xs) * 1e3


def fmt(x, unit="ms", digits=2):
    return "n/a" if x is None else f"{x:.{digits}f} {unit}"


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


# -- a. first call in a fresh process ------------------------------------------------------
FRESH_TEMPLATE = '''
import json, sys, time
{imp}
{src}
f = {deco}(loop)
t0 = time.perf_counter()
f(1000)
t1 = time.perf_counter()
extra = {{}}
if {is_ember}:
    extra = f.stats.get("compile_times", {{}})
print(json.dumps({{"t": t1 - t0, "stages": extra}}))
'''


def fresh_first_call(which, runs):
    """Median seconds of the first call in 'runs' fresh processes, plus the last run's stages."""
    if which == "ember":
        code = FRESH_TEMPLATE.format(imp="import ember", src=FIRST_CALL_SRC, deco="ember.jit", is_ember=True)
    else:
        code = FRESH_TEMPLATE.format(imp="import numba", src=FIRST_CALL_SRC, deco="numba.njit", is_ember=False)
    times, stages = [], {}
    env = dict(os.environ, NUMBA_CACHE_DIR=tempfile.mkdtemp(prefix="bench-numba-"))
    for _ in range(runs):
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        if p.returncode != 0:
            return None, (p.stderr.strip().splitlines() or ["failed"])[-1]
        d = json.loads(p.stdout.strip().splitlines()[-1])
        times.append(d["t"])
        stages = d["stages"]
    return statistics.median(times), stages


# -- b. call overhead ----------------------------------------------------------------------------
def call_overhead_ns(f, repeat=7, number=200_000):
    f(1)
    t = timeit.Timer("f(1)", globals={"f": f}).repeat(repeat, number)
    return statistics.median(t) / number * 1e9


# -- c. import time --------------------------------------------------------------------------------
def import_ember_ms(runs):
    code = ("import numpy, time\nt0 = time.perf_counter()\nimport ember\n"
            "print(time.perf_counter() - t0)")
    xs = []
    for _ in range(runs):
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if p.returncode != 0:
            return None
        xs.append(float(p.stdout.strip().splitlines()[-1]))
    return median_ms(xs)


# -- d. kernels ------------------------------------------------------------------------------------------
def build_c(workdir):
    """Compile kernels.c into a shared library; the ctypes handle or an error string."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        return None, "no gcc"
    so = os.path.join(workdir, "kernels.so")
    cmd = [cc, "-O3", "-march=native", "-shared", "-fPIC", os.path.join(HERE, "c", "kernels.c"), "-o", so, "-lm"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip()[-200:]
    lib = ctypes.CDLL(so)
    for name, (_, argtypes, restype) in KERNELS.items():
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = argtypes, restype
    return lib, None


def time_call(fn, args, reps):
    """(median seconds over 'reps' warm calls, the result); exceptions become (None, error)."""
    try:
        res = fn(*args)   # warm-up: compiles for Ember and Numba
        xs = []
        for _ in range(reps):
            t0 = time.perf_counter()
            fn(*args)
            xs.append(time.perf_counter() - t0)
        return statistics.median(xs), res
    except Exception as e:   # noqa: BLE001 - reported in the table
        return None, f"{type(e).__name__}: {str(e)[:80]}"


def kernel_table(reps, lib, ember_mod, numba_mod):
    ns = {}
    exec(compile(KERNELS_SRC, os.path.join(HERE, "kernels_src.py"), "exec"), ns)
    rows = []
    for name, (args, _, _) in KERNELS.items():
        py = ns[name]
        row = {"name": name, "args": args}
        row["c"] = time_call(getattr(lib, name), args, reps) if lib else (None, "no C")
        row["ember"] = time_call(ember_mod.jit(py), args, reps) if ember_mod else (None, "no ember")
        row["numba"] = time_call(numba_mod.njit(py), args, reps) if numba_mod else (None, "no numba")
        rows.append(row)
    return rows


def same_result(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fresh", type=int, default=7, help="fresh processes for first-call and import timings")
    ap.add_argument("--reps", type=int, default=7, help="timed calls per kernel")
    ap.add_argument("--json", help="also write the results to this file")
    opts = ap.parse_args()

    try:
        import ember
    except Exception as e:   # noqa: BLE001
        print(f"ember: cannot import ({e})")
        ember = None
    try:
        import numba
    except Exception as e:   # noqa: BLE001
        print(f"numba: cannot import ({e})")
        numba = None
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()}; numba {getattr(numba, '__version__', 'n/a')}")
    out = {}

    print("\n== a. first call of a small scalar loop, fresh process (median of %d)" % opts.fresh)
    e_t, e_st = fresh_first_call("ember", opts.fresh) if ember else (None, "no ember")
    n_t, n_st = fresh_first_call("numba", opts.fresh) if numba else (None, "no numba")
    print(f"  Ember  {fmt(e_t and e_t * 1e3)}" + ("" if e_t else f"  ({e_st})"))
    print(f"  Numba  {fmt(n_t and n_t * 1e3)}" + ("" if n_t else f"  ({n_st})"))
    print(f"  Numba / Ember: {ratio(n_t, e_t)}")
    if e_t and e_st:
        print("  Ember stages (last run): " + json.dumps(e_st))
    out["first_call_ms"] = {"ember": e_t and e_t * 1e3, "numba": n_t and n_t * 1e3, "ember_stages": e_st}

    print("\n== b. call overhead of f(x) = x + 1 on an int (timeit median)")
    def plus1(x):
        return x + 1
    oh = {"python": call_overhead_ns(plus1)}
    for name, mod, deco in (("ember", ember, "jit"), ("numba", numba, "njit")):
        try:
            oh[name] = call_overhead_ns(getattr(mod, deco)(plus1)) if mod else None
        except Exception as e:   # noqa: BLE001
            print(f"  {name}: {e}")
            oh[name] = None
    for k, v in oh.items():
        print(f"  {k:7s} {fmt(v, 'ns', 1)}")
    out["call_overhead_ns"] = oh

    print("\n== c. import ember with NumPy loaded, fresh process (median of %d)" % opts.fresh)
    imp = import_ember_ms(opts.fresh) if ember else None
    print(f"  {fmt(imp)}")
    out["import_ember_ms"] = imp

    print("\n== d. kernels: median of %d warm calls" % opts.reps)
    work = tempfile.mkdtemp(prefix="bench-c-")
    lib, cerr = build_c(work)
    if cerr:
        print(f"  C: {cerr}")
    rows = kernel_table(opts.reps, lib, ember, numba)
    hdr = f"  {'kernel':12s} {'C -O3':>11s} {'Ember':>11s} {'Numba':>11s} {'Ember/C':>8s} {'Ember/Numba':>12s}"
    print(hdr)
    for r in rows:
        c, e, n = r["c"][0], r["ember"][0], r["numba"][0]
        print(f"  {r['name']:12s} {fmt(c and c * 1e3):>11s} {fmt(e and e * 1e3):>11s} {fmt(n and n * 1e3):>11s}"
              f" {ratio(e, c):>8s} {ratio(e, n):>12s}")
        results = {k: r[k][1] for k in ("c", "ember", "numba") if r[k][0] is not None}
        errors = {k: r[k][1] for k in ("c", "ember", "numba") if r[k][0] is None}
        vals = list(results.values())
        if any(not same_result(vals[0], v) for v in vals[1:]):
            print(f"    results differ: {results}")
        for k, v in errors.items():
            print(f"    {k}: {v}")
    out["kernels_ms"] = {r["name"]: {k: (r[k][0] * 1e3 if r[k][0] else None) for k in ("c", "ember", "numba")}
                         for r in rows}
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump(out, fh, indent=2)


if __name__ == "__main__":
    main()
