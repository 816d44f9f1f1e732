"""tools/bench/bench_cache.py: the on-disk cache and ember-warm, against Numba's cache=True.

Measures, printing medians (run it with the python of a venv that has ember
and, for the comparison, numba; tools/bench/run.sh makes one):
  a. the first call of a function (a trapezoid integral that calls an
     integrand: two compiled functions) in a fresh process, timed inside the
     process around the call; the imports are reported apart:
       - Ember cold: an empty cache directory (compile and store),
       - Ember cached: the entry is on disk (load and link),
       - Numba cold and Numba cached: njit(cache=True), NUMBA_CACHE_DIR empty
         or filled;
     median of --fresh runs each;
  b. ember-warm on a generated module of 50 functions with declared
     signatures (each calls a shared helper), -j 1 and -j 2, into an empty
     cache directory: wall time, median of --warm runs; then one fresh
     process calling all 50 from that cache.
Anything that cannot run shows n/a with the reason.
"""
import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

KERNEL = '''
import math
{deco}
def integrand(x):
    return math.exp(-x * x) * math.cos(3.0 * x)
{deco}
def trapezoid(a, b, n):
    h = (b - a) / n
    s = 0.5 * (integrand(a) + integrand(b))
    for i in range(1, n):
        s += integrand(a + i * h)
    return s * h
'''

CHILD = '''
import json, sys, time
t0 = time.perf_counter()
import {lib}
t1 = time.perf_counter()
import kmod
t2 = time.perf_counter()
r = kmod.trapezoid(0.0, 1.0, 1000)
t3 = time.perf_counter()
extra = {{}}
if "{lib}" == "ember":
    extra = {{"compilations": kmod.trapezoid.stats["compilations"], "cache_hits": kmod.trapezoid.stats["cache_hits"]}}
print(json.dumps({{"import": t1 - t0, "module": t2 - t1, "first_call": t3 - t2, "result": r, **extra}}))
'''


def child(d, lib, env):
    r = subprocess.run([sys.executable, "-c", CHILD.format(lib=lib)], cwd=d, env=env, capture_output=True,
                       text=True, timeout=600)
    if r.returncode:
        raise RuntimeError(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def med(rows, k):
    return statistics.median(r[k] for r in rows)


def first_calls(n):
    """Part a: {label: (median first call s, median import s, median module s)} or an error string."""
    out = {}
    base = dict(os.environ)
    for k in ("EMBER_CACHE", "EMBER_RECORD", "EMBER_CACHE_DIR", "NUMBA_CACHE_DIR"):
        base.pop(k, None)
    for lib, deco in (("ember", "@ember.jit(cache=True)"), ("numba", "@numba.njit(cache=True)")):
        d = tempfile.mkdtemp(prefix=f"bench-cache-{lib}-")
        with open(os.path.join(d, "kmod.py"), "w") as f:
            f.write(f"import {lib}\n" + KERNEL.format(deco=deco))
        var = "EMBER_CACHE_DIR" if lib == "ember" else "NUMBA_CACHE_DIR"
        try:
            cold = []
            for i in range(n):
                cdir = os.path.join(d, f"cold{i}")
                cold.append(child(d, lib, dict(base, **{var: cdir}, PYTHONDONTWRITEBYTECODE="1")))
            warm_dir = os.path.join(d, "warm")
            child(d, lib, dict(base, **{var: warm_dir}))
            cached = [child(d, lib, dict(base, **{var: warm_dir})) for _ in range(n)]
            if lib == "ember":
                assert all(r["compilations"] == 0 for r in cached), "Ember compiled with a filled cache"
            if any(abs(r["result"] - cold[0]["result"]) > 1e-12 for r in cold + cached):
                raise RuntimeError("results differ")
            for label, rows in (("cold", cold), ("cached", cached)):
                out[f"{lib} {label}"] = (med(rows, "first_call"), med(rows, "import"), med(rows, "module"))
        except Exception as e:   # noqa: BLE001 - shown as n/a
            out[f"{lib} cold"] = out[f"{lib} cached"] = f"n/a ({type(e).__name__}: {e})"
        finally:
            shutil.rmtree(d, ignore_errors=True)
    return out


def module50():
    """Source of 50 functions with declared signatures; each calls a shared helper."""
    parts = ["import math\nimport ember\n\n@ember.jit\ndef helper(x):\n    return math.sqrt(x * x + 1.0)\n"]
    for k in range(50):
        if k % 2:
            parts.append(f'''
@ember.jit("float64(float64, int64)")
def f{k}(x, n):
    s = 0.0
    for i in range(n):
        s += helper(x + i * {k + 1}.0) / (i + {k + 1})
    return s
''')
        else:
            parts.append(f'''
@ember.jit("int64(int64)")
def f{k}(n):
    s = 0
    for i in range(n):
        if i % {k % 7 + 2} == 0:
            s += i * {k + 1}
        else:
            s -= i // {k % 5 + 1}
    return s
''')
    return "".join(parts)


def warm(reps):
    """Part b: {'-j 1': s, '-j 2': s, 'load all 50': s} or n/a strings."""
    exe = os.path.join(os.path.dirname(sys.executable), "ember-warm")
    if not os.path.exists(exe):
        return {"ember-warm": f"n/a (no {exe})"}
    d = tempfile.mkdtemp(prefix="bench-warm-")
    with open(os.path.join(d, "mod50.py"), "w") as f:
        f.write(module50())
    env = dict(os.environ)
    for k in ("EMBER_CACHE", "EMBER_RECORD"):
        env.pop(k, None)
    out = {}
    try:
        for j in (1, 2):
            times, cpu = [], []
            for i in range(reps):
                cdir = os.path.join(d, f"c{j}-{i}")
                t, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
                r = subprocess.run([exe, "-q", "-j", str(j), "mod50"], cwd=d, env=dict(env, EMBER_CACHE_DIR=cdir),
                                   capture_output=True, text=True, timeout=600)
                times.append(time.perf_counter() - t)
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
                if r.returncode:
                    raise RuntimeError(r.stderr.strip()[-300:])
                if "50 signatures: 50 compiled" not in r.stdout:
                    raise RuntimeError(r.stdout.strip().splitlines()[-1])
            out[f"-j {j} wall"] = statistics.median(times)
            out[f"-j {j} cpu (all processes)"] = statistics.median(cpu)
        code = ("import time; t = time.perf_counter(); import ember, mod50; "
                "[getattr(mod50, f'f{k}')(*((2.5, 30) if k % 2 else (30,))) for k in range(50)]; "
                "print(time.perf_counter() - t, sum(getattr(mod50, f'f{k}').stats['compilations'] for k in range(50)))")
        r = subprocess.run([sys.executable, "-c", code], cwd=d, env=dict(env, EMBER_CACHE_DIR=os.path.join(d, "c1-0"),
                           EMBER_CACHE="1"), capture_output=True, text=True, timeout=600)
        secs, comps = r.stdout.split()
        out["import + 50 first calls from the cache"] = float(secs)
        out["compilations then"] = int(comps)
    except Exception as e:   # noqa: BLE001 - shown as n/a
        out.setdefault("ember-warm", f"n/a ({type(e).__name__}: {e})")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return out


def ms(x):
    return f"{1e3 * x:8.2f} ms" if isinstance(x, float) else x


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fresh", type=int, default=7, help="fresh processes per first-call figure")
    ap.add_argument("--warm", type=int, default=3, help="ember-warm runs per -j figure")
    ap.add_argument("--json", help="also write the figures here")
    a = ap.parse_args()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    fc = first_calls(a.fresh)
    print(f"\na. first call of trapezoid(0.0, 1.0, 1000) (two compiled functions) in a fresh process, "
          f"median of {a.fresh}")
    print(f"   {'':14s} {'first call':>12s} {'import lib':>12s} {'import module':>14s}")
    for k, v in fc.items():
        if isinstance(v, tuple):
            print(f"   {k:14s} {ms(v[0]):>12s} {ms(v[1]):>12s} {ms(v[2]):>14s}")
        else:
            print(f"   {k:14s} {v}")
    def ratio(x, y):
        return f"{fc[x][0] / fc[y][0]:.1f}x" if isinstance(fc.get(x), tuple) and isinstance(fc.get(y), tuple) else "n/a"
    print(f"   Ember cached is {ratio('ember cold', 'ember cached')} faster than Ember cold, "
          f"{ratio('numba cached', 'ember cached')} faster than Numba cached, "
          f"{ratio('numba cold', 'ember cached')} faster than Numba cold")
    wm = warm(a.warm)
    print(f"\nb. ember-warm on a module of 50 functions (declared signatures, one shared callee), "
          f"empty cache, median of {a.warm}")
    for k, v in wm.items():
        print(f"   {k:40s} {ms(v) if not isinstance(v, int) else v}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"first_call": fc, "warm": wm}, f, indent=1)


if __name__ == "__main__":
    main()
