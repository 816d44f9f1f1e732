"""tools/bench/bench_expr.py: whole-array expressions (issue 4) against NumPy,
numexpr, Numba, PyTensor, JAX and C, in one run, reporting medians and ratios.

  a. a*b + c*2.0 + a on --n (10**7) float64: NumPy, numexpr (1 thread), Numba
     (@njit of the expression, and of an explicit loop), PyTensor (its default
     backend, and mode="CVM", the C backend), JAX (jit, x64), Ember (the
     expression, and the explicit loop), and the same loop in C
     (tools/bench/c/expr.c), once writing a fresh np.empty array per call like
     everyone else and once into a reused one (the memory-bandwidth bound);
     the Numba and Ember loops also into a reused array, which shows what
     allocating the result costs them.
     Effective GB/s = 4 arrays * 8 bytes * n / time.
  b. logsumexp and softmax of --n float64, the NumPy code
        m = x.max(); return m + np.log(np.sum(np.exp(x - m)))
        e = np.exp(x - x.max()); return e / e.sum()
     as it is under NumPy, Numba, PyTensor, JAX and Ember, and a C loop whose
     exp gcc vectorizes through glibc's libmvec (checked with objdump).
  c. compile time of chain10, ten chained array expressions returning a sum:
     a fresh process per run (median of --fresh), timed inside it around the
     first call (imports and building the inputs excluded), on 1000-element
     inputs so the run itself is negligible: Ember's and Numba's first call,
     JAX's first call of jax.jit, PyTensor's pytensor.function(...) alone and
     with its first call, with a fresh compiledir per run
     (PYTENSOR_FLAGS=compiledir=<tmpdir>, NUMBA_CACHE_DIR=<tmpdir>).  Ember
     also in a warm process (LLVM started, the library's helpers compiled by
     a first chain10: the median of 10 compiles of chain10 with other
     constants, so new fused loops), and both with EMBER_CODEGEN_THREADS=1
     (LLVM's passes and code generation on the calling thread only).

All kernels are one Python source (EXPR_SRC) run with np bound to NumPy
(NumPy, Numba, Ember), to jax.numpy, or to pytensor.tensor (a symbolic graph).
Parts a and b: warm calls, median of --reps; every result is compared with
NumPy's and a mismatch is printed.  Ratios are Ember's time over the row's
(> 1: Ember is slower).  C is built with gcc -O3 -march=native -ffast-math at
bench time and called through ctypes in this process.  Numba, numexpr,
PyTensor and JAX are optional (n/a with the reason); all run on one thread.

    python tools/bench/bench_expr.py [--n 10000000] [--reps 11] [--fresh 5] [--parts abc] [--json FILE]

(any venv with ember and numpy; tools/bench/run.sh --expr makes one with the peers)
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
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false")   # JAX on one thread, like the rest

EXPR_SRC = '''
import numpy as np

def expr(a, b, c):
    return a * b + c * 2.0 + a

def expr_loop(a, b, c):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = a[i] * b[i] + c[i] * 2.0 + a[i]
    return out

def expr_into(a, b, c, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * b[i] + c[i] * 2.0 + a[i]
    return out

def logsumexp(x):
    m = x.max()
    return m + np.log(np.sum(np.exp(x - m)))

def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()

def chain10(a, b, c):
    t1 = a * b + c
    t2 = np.exp(-t1)
    t3 = t2 * a - b * 0.5
    t4 = np.log(1.0 + t3 * t3)
    t5 = np.sqrt(t4 + c * c)
    t6 = np.maximum(t5, a) - np.minimum(b, c)
    t7 = np.tanh(t6) * 2.0 + t1
    t8 = np.where(t7 > 1.0, t7 - 1.0, t7 * t7)
    t9 = np.abs(t8 - t4) / (1.0 + t2)
    t10 = t9 * t5 + np.sin(t3)
    return t10.sum()
'''

SHIM = ("exp", "log", "sqrt", "sin", "tanh", "abs", "maximum", "minimum", "where", "sum")


def kernels(np_like):
    """The functions of EXPR_SRC with the global np bound to 'np_like'."""
    ns = {}
    exec(compile(EXPR_SRC, "<bench_expr>", "exec"), ns)
    ns["np"] = np_like
    return ns


# -- Peers: each maker returns {kernel name: f(*numpy arrays)} or raises ----------------------------

def make_numpy():
    return kernels(np)


def make_ember():
    import ember
    ns = kernels(np)
    return {k: ember.jit(ns[k]) for k in ("expr", "expr_loop", "expr_into", "logsumexp", "softmax", "chain10")}


def make_numba():
    import numba
    ns = kernels(np)
    return {k: numba.njit(ns[k]) for k in ("expr", "expr_loop", "expr_into", "logsumexp", "softmax", "chain10")}


def pt_compile(name, nargs, mode):
    """pytensor.function of kernel 'name' on float64 vectors; mode None is PyTensor's default."""
    import pytensor
    import pytensor.tensor as pt
    f = kernels(types.SimpleNamespace(**{k: getattr(pt, k) for k in SHIM}))[name]
    xs = [pt.dvector("x%d" % i) for i in range(nargs)]
    return pytensor.function(xs, f(*xs), mode=mode)


def make_pytensor(mode):
    return {k: pt_compile(k, 3 if k == "expr" else 1, mode) for k in ("expr", "logsumexp", "softmax")}


def jax_mod():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    return jax, jnp


def make_jax():
    jax, jnp = jax_mod()
    ns = kernels(jnp)
    out = {}
    for k in ("expr", "logsumexp", "softmax"):
        jf = jax.jit(ns[k])
        out[k] = (lambda jf: lambda *xs: jf(*xs).block_until_ready())(jf)
    out["_convert"] = jnp.asarray   # inputs are put in JAX arrays once, outside the timing
    return out


def pytensor_note():
    try:
        import pytensor
        from pytensor.compile.mode import get_default_mode
        return "%s (default linker: %s)" % (pytensor.__version__, type(get_default_mode().linker).__name__)
    except Exception as e:  # noqa: BLE001
        return "n/a (%s: %s)" % (type(e).__name__, e)


def version(mod):
    try:
        return __import__(mod).__version__
    except Exception as e:  # noqa: BLE001
        return "n/a (%s: %s)" % (type(e).__name__, str(e)[:80])


# -- C ------------------------------------------------------------------------------------------------

def build_c(workdir):
    """(ctypes lib, error or None, the libmvec exp symbols objdump finds in it)."""
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        return None, "no gcc", ""
    obj, so = os.path.join(workdir, "expr.o"), os.path.join(workdir, "expr.so")
    for cmd in ([cc, "-O3", "-march=native", "-ffast-math", "-fPIC", "-c", "-o", obj, os.path.join(HERE, "c", "expr.c")],
                [cc, "-shared", "-o", so, obj, "-lm"]):   # linked without -ffast-math: no crtfastmath.o (FTZ/DAZ)
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            return None, r.stderr.strip()[:200], ""
    mvec = ""
    if shutil.which("objdump"):
        dis = subprocess.run(["objdump", "-d", so], capture_output=True, text=True).stdout
        mvec = " ".join(sorted({w.strip("<>").split("@")[0] for w in dis.split() if w.startswith("<_ZGV")}))
    lib = ctypes.CDLL(so)
    P, I64 = ctypes.c_void_p, ctypes.c_int64
    for name, argt, rest in (("fused", [P, P, P, P, I64], None), ("logsumexp", [P, I64], ctypes.c_double),
                             ("softmax", [P, P, I64], None)):
        getattr(lib, name).argtypes = argt
        getattr(lib, name).restype = rest
    return lib, None, mvec or "no _ZGV* call found"


def c_fused(lib, fresh):
    def f(a, b, c):
        out = np.empty(a.shape[0]) if fresh else f.out
        lib.fused(a.ctypes.data, b.ctypes.data, c.ctypes.data, out.ctypes.data, a.shape[0])
        return out
    f.out = None
    return f


def c_softmax(lib):
    def f(x):
        out = np.empty(x.shape[0])
        lib.softmax(x.ctypes.data, out.ctypes.data, x.shape[0])
        return out
    return f


# -- Timing and checking --------------------------------------------------------------------------------

def median_s(fn, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def rel_err(got, ref):
    """Largest difference relative to the largest |ref| (arrays) or to |ref| (scalars)."""
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if got.shape != ref.shape:
        return float("inf")
    scale = np.max(np.abs(ref)) if ref.size else 1.0
    return float(np.max(np.abs(got - ref)) / (scale or 1.0)) if ref.size else 0.0


def measure(label, f, args, ref, tol, reps, convert=None):
    """One row: {'impl', 's', 'err', 'ok'} or {'impl', 'error'}; the first call is the warm-up and the check."""
    try:
        if convert is not None:
            args = tuple(convert(x) for x in args)
        got = f(*args)
        err = rel_err(got, ref)
        del got
        return {"impl": label, "s": median_s(lambda: f(*args), reps), "err": err, "ok": err <= tol}
    except Exception as e:  # noqa: BLE001
        return {"impl": label, "error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:140] if str(e) else "")}


def peers(lib):
    """[(label, maker)] for parts a and b; a maker returns {kernel: f} or raises."""
    out = [("NumPy", make_numpy), ("Numba @njit", make_numba),
           ("PyTensor default", lambda: make_pytensor(None)), ("PyTensor C (CVM)", lambda: make_pytensor("CVM")),
           ("JAX jit", make_jax), ("Ember", make_ember)]
    if lib is not None:
        out.append(("C", lambda: {"expr": c_fused(lib, True), "logsumexp": lambda x: lib.logsumexp(x.ctypes.data,
                                                                                                      x.shape[0]),
                                  "softmax": c_softmax(lib)}))
    return out


def build_peers(lib):
    made = {}
    for label, maker in peers(lib):
        try:
            made[label] = maker()
        except Exception as e:  # noqa: BLE001
            made[label] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:140] if str(e) else "")
    return made


def part_a(made, lib, n, reps):
    rng = np.random.default_rng(1)
    a, b, c = (rng.random(n) for _ in range(3))
    ref = a * b + c * 2.0 + a
    rows = []

    def row(label, f, convert=None):
        rows.append(measure(label, f, (a, b, c), ref, 1e-12, reps, convert))

    def peer(label, impl, key):
        m = made[impl]
        if isinstance(m, str):
            rows.append({"impl": label, "error": m})
        else:
            row(label, m[key], m.get("_convert"))

    peer("NumPy", "NumPy", "expr")
    try:
        import numexpr
        numexpr.set_num_threads(1)
        ex = numexpr.NumExpr("a*b + c*2.0 + a", signature=[("a", np.float64), ("b", np.float64), ("c", np.float64)])
        row("numexpr (1 thread)", ex)
    except Exception as e:  # noqa: BLE001
        rows.append({"impl": "numexpr (1 thread)", "error": "%s: %s" % (type(e).__name__, e)})
    peer("Numba expr", "Numba @njit", "expr")
    peer("Numba loop", "Numba @njit", "expr_loop")
    peer("PyTensor default", "PyTensor default", "expr")
    peer("PyTensor C (CVM)", "PyTensor C (CVM)", "expr")
    peer("JAX jit", "JAX jit", "expr")
    peer("Ember expr", "Ember", "expr")
    peer("Ember loop", "Ember", "expr_loop")
    if lib is not None:
        row("C loop, np.empty out", c_fused(lib, True))
    out = np.empty(n)   # the loops without the allocation and page faults of a fresh result
    for label, impl in (("Numba loop, out reused", "Numba @njit"), ("Ember loop, out reused", "Ember")):
        m = made[impl]
        if isinstance(m, str):
            rows.append({"impl": label, "error": m})
        else:
            row(label, (lambda f: lambda a, b, c: f(a, b, c, out))(m["expr_into"]))
    if lib is not None:
        reuse = c_fused(lib, False)
        reuse.out = out
        row("C loop, out reused", reuse)
    for r in rows:
        if "s" in r:
            r["GB/s"] = 4 * 8 * n / r["s"] / 1e9
    return rows


def part_b(made, n, reps):
    rng = np.random.default_rng(2)
    x = 3.0 * rng.standard_normal(n)
    refs = {"logsumexp": kernels(np)["logsumexp"](x), "softmax": kernels(np)["softmax"](x)}
    rows = []
    for label, m in made.items():
        if isinstance(m, str):
            rows.append({"impl": label, "error": m})
            continue
        row = {"impl": label}
        for k in ("logsumexp", "softmax"):
            row[k] = measure(label, m[k], (x,), refs[k], 1e-9, reps, m.get("_convert"))
        rows.append(row)
    return rows


# -- Part c: compile time in fresh processes ------------------------------------------------------

def child(impl, n):
    """Run in a fresh process: build chain10 for 'impl', time its compile, print one JSON line."""
    rng = np.random.default_rng(3)
    a, b, c = (rng.random(n) for _ in range(3))
    out = {}
    ref = kernels(np)["chain10"]
    if impl == "ember-warm":
        # a running process: LLVM started and the library's helpers compiled by a first
        # chain10, then chain10 with other constants (new fused loops) compiled WARM times
        import ember
        ts = []
        for k in range(1 + WARM):
            ns = {}
            exec(compile(EXPR_SRC.replace("0.5", repr(0.5 + 1e-3 * k)), "<bench_expr>", "exec"), ns)
            f = ember.jit(ns["chain10"])
            t0 = time.perf_counter()
            r = f(a, b, c)
            ts.append(time.perf_counter() - t0)
        out["first_call"] = statistics.median(ts[1:])
        out["stages"] = next(iter(f.stats["compile_times"].values()))
        ref = ns["chain10"]              # the last variant, interpreted
    elif impl in ("ember", "numba"):
        f = make_ember()["chain10"] if impl == "ember" else make_numba()["chain10"]
        t0 = time.perf_counter()
        r = f(a, b, c)
        out["first_call"] = time.perf_counter() - t0
        if impl == "ember":
            out["stages"] = next(iter(f.stats["compile_times"].values()))
    elif impl == "jax":
        jax, jnp = jax_mod()
        f = jax.jit(kernels(jnp)["chain10"])
        ja, jb, jc = (jnp.asarray(v) for v in (a, b, c))
        t0 = time.perf_counter()
        r = f(ja, jb, jc).block_until_ready()
        out["first_call"] = time.perf_counter() - t0
    else:
        import pytensor
        import pytensor.tensor as pt
        g = kernels(types.SimpleNamespace(**{k: getattr(pt, k) for k in SHIM}))["chain10"]
        xs = [pt.dvector("x%d" % i) for i in range(3)]
        y = g(*xs)
        t0 = time.perf_counter()
        f = pytensor.function(xs, y, mode=None if impl == "pytensor" else impl.split(":")[1])
        t1 = time.perf_counter()
        r = f(a, b, c)
        t2 = time.perf_counter()
        out["function"], out["first_call"] = t1 - t0, t2 - t0
    out["err"] = rel_err(r, ref(a, b, c))
    print(json.dumps(out))


WARM = 10                                # part c's compiles in a warm process
ONE = {"EMBER_CODEGEN_THREADS": "1"}     # LLVM on the calling thread only


def fresh_runs(impl, runs, n, extra):
    base = dict(os.environ, **extra)
    for k in ("EMBER_CACHE", "EMBER_RECORD", "EMBER_CACHE_DIR", "NUMBA_CACHE_DIR", "PYTENSOR_FLAGS"):
        base.pop(k, None)
    got = []
    for _ in range(runs):
        d = tempfile.mkdtemp(prefix="bench-expr-")
        env = dict(base, EMBER_CACHE_DIR=os.path.join(d, "ember"), NUMBA_CACHE_DIR=os.path.join(d, "numba"),
                   PYTENSOR_FLAGS="compiledir=" + os.path.join(d, "pytensor"))
        try:
            r = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", impl, "--n", str(n)],
                               cwd=d, env=env, capture_output=True, text=True, timeout=600)
        finally:
            shutil.rmtree(d, ignore_errors=True)
        if r.returncode:
            lines = r.stderr.strip().splitlines()
            return lines[-1][:160] if lines else "exit %d" % r.returncode
        got.append(json.loads(r.stdout.strip().splitlines()[-1]))
    return got


def part_c(runs):
    rows = []
    for label, impl, env in (("Ember first call", "ember", {}), ("Ember, 1 thread", "ember", ONE),
                             ("Ember warm process", "ember-warm", {}), ("Ember warm, 1 thread", "ember-warm", ONE),
                             ("Numba first call", "numba", {}), ("JAX jit first call", "jax", {}),
                             ("PyTensor default", "pytensor", {}), ("PyTensor C (CVM)", "pytensor:CVM", {})):
        got = fresh_runs(impl, runs, 1000, env)
        if isinstance(got, str):
            rows.append({"impl": label, "error": got})
            continue
        row = {"impl": label, "s": statistics.median(g["first_call"] for g in got),
               "err": max(g["err"] for g in got)}
        row["ok"] = row["err"] <= 1e-12
        if "function" in got[0]:
            row["function_s"] = statistics.median(g["function"] for g in got)
        if "stages" in got[0]:
            st = got[len(got) // 2]["stages"]
            row["stages"] = {k: v for k, v in st.items() if v}
        rows.append(row)
    return rows


# -- Printing -------------------------------------------------------------------------------------------

def ms(r):
    return "%9.2f" % (1e3 * r["s"]) if r and "s" in r else "%9s" % "n/a"


def ratio(e, r):
    if not e or not r or "s" not in e or "s" not in r:
        return "n/a"
    return "%.2fx" % (e["s"] / r["s"])


def check(r):
    if "error" in r:
        return "n/a (%s)" % r["error"]
    return "ok (%.0e)" % r["err"] if r["ok"] else "MISMATCH: rel err %.1e against NumPy" % r["err"]


def print_a(rows, n, reps):
    by = {r["impl"]: r for r in rows}
    ee, el = by.get("Ember expr"), by.get("Ember loop")
    print("\na. a*b + c*2.0 + a, n = %d float64, median of %d warm calls; ratios are Ember's time / the row's" % (n, reps))
    print("%-22s %9s %7s %12s %12s  %s" % ("impl", "ms", "GB/s", "expr/row", "loop/row", "check"))
    for r in rows:
        gbs = "%7.2f" % r["GB/s"] if "GB/s" in r else "%7s" % "n/a"
        print("%-22s %s %s %12s %12s  %s" % (r["impl"], ms(r), gbs, ratio(ee, r), ratio(el, r), check(r)))


def print_b(rows, n, reps, mvec):
    by = {r["impl"]: r for r in rows}
    e = by.get("Ember", {})
    print("\nb. logsumexp and softmax, n = %d float64, median of %d warm calls; C's exp: %s" % (n, reps, mvec))
    print("%-18s %9s %12s %9s %12s  %s" % ("impl", "lse ms", "Ember/row", "smax ms", "Ember/row", "check lse; softmax"))
    for r in rows:
        if "error" in r:
            print("%-18s %9s %12s %9s %12s  %s" % (r["impl"], "n/a", "", "n/a", "", check(r)))
            continue
        lse, sm = r["logsumexp"], r["softmax"]
        print("%-18s %s %12s %s %12s  %s; %s" % (r["impl"], ms(lse), ratio(e.get("logsumexp"), lse), ms(sm),
                                                 ratio(e.get("softmax"), sm), check(lse), check(sm)))


def print_c(rows, runs):
    by = {r["impl"]: r for r in rows}
    e = by.get("Ember first call")
    print("\nc. compile time of chain10 (ten chained array expressions, a sum), 1000-element inputs, "
          "a fresh process each, median of %d; PyTensor: pytensor.function(...) alone, and with the first call" % runs)
    print("%-20s %12s %16s %12s  %s" % ("impl", "first ms", "function() ms", "Ember/row", "check"))
    for r in rows:
        fn = "%16.1f" % (1e3 * r["function_s"]) if "function_s" in r else "%16s" % ""
        first = "%12.1f" % (1e3 * r["s"]) if "s" in r else "%12s" % "n/a"
        print("%-20s %s %s %12s  %s" % (r["impl"], first, fn, ratio(e, r), check(r)))
        if "stages" in r:
            print("    Ember's stages (ms): " + ", ".join("%s %.1f" % (k, 1e3 * v) for k, v in r["stages"].items()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10**7)
    ap.add_argument("--reps", type=int, default=11)
    ap.add_argument("--fresh", type=int, default=5)
    ap.add_argument("--parts", default="abc")
    ap.add_argument("--json")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    o = ap.parse_args()
    if o.child:
        return child(o.child, o.n)
    if o.json and not os.path.isdir(os.path.dirname(os.path.abspath(o.json))):
        ap.error("--json %s: no such directory (run.sh runs this from build/)" % o.json)
    tmp = tempfile.mkdtemp(prefix="bench-expr-c-")
    lib, cerr, mvec = build_c(tmp)
    print("machine: %s %d cpus, load average %.2f; Python %s; NumPy %s; numexpr %s; Numba %s; PyTensor %s; JAX %s; "
          "C: %s" % (platform.machine(), os.cpu_count(), os.getloadavg()[0], platform.python_version(),
                     np.__version__, version("numexpr"), version("numba"), pytensor_note(), version("jax"),
                     "gcc -O3 -march=native -ffast-math" if not cerr else "n/a (" + cerr + ")"))
    result = {"n": o.n, "reps": o.reps, "c_exp": mvec}
    made = build_peers(lib) if set(o.parts) & set("ab") else {}
    if "a" in o.parts:
        result["a"] = part_a(made, lib, o.n, o.reps)
        print_a(result["a"], o.n, o.reps)
    if "b" in o.parts:
        result["b"] = part_b(made, o.n, o.reps)
        print_b(result["b"], o.n, o.reps, mvec)
    made.clear()
    if "c" in o.parts:
        result["c"] = part_c(o.fresh)
        print_c(result["c"], o.fresh)
    print("\nload average at the end: %.2f" % os.getloadavg()[0])
    if o.json:
        with open(o.json, "w") as f:
            json.dump(result, f, indent=1)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
