"""The on-disk cache (issue 5): a second process loads instead of compiling;
editing the function, a frozen global or a callee compiles afresh; 8 processes
filling one cache at once leave it whole; damaged, foreign and unwritable
caches cost one CacheWarning and never a wrong result; EMBER_RECORD,
`python -m ember cache` and ember-warm.  Every test runs its processes with
EMBER_CACHE_DIR in its own temporary directory."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ember

MOD = """
import math
import ember
K = 3

@ember.jit(cache=True)
def g(x):
    return x * K + 1

@ember.jit(cache=True)
def f(x, n):
    s = 0.0
    for i in range(n):
        s += math.sqrt(g(x) + i)
    return s

@ember.jit(cache=True)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
"""

# Runs in the child: call 'calls' (name, args) of module 'mod', print results,
# stats and the CacheWarnings seen, as JSON.
RUNNER = """
import json, sys, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import ember, importlib
    mod = importlib.import_module(sys.argv[1])
    calls = json.loads(sys.argv[2])
    out = [getattr(mod, name)(*args) for name, args in calls]
names = sorted({name for name, _ in calls} | {"g"} & set(dir(mod)))
stats = {n: {k: v for k, v in getattr(mod, n).stats.items() if k not in ("compile_times", "rewrites")} for n in names}
warns = [str(x.message) for x in w if issubclass(x.category, ember.CacheWarning)]
print(json.dumps({"out": out, "stats": stats, "warnings": warns}))
"""

CALLS = [["f", [2.0, 10]], ["fib", [15]]]


def write(d, name, text):
    p = Path(d) / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text))
    return p


def env_for(cache, **extra):
    env = dict(os.environ, EMBER_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="1")
    env.pop("EMBER_CACHE", None)
    env.pop("EMBER_RECORD", None)
    env.update(extra)
    return env


def run(d, cache, mod="m", calls=CALLS, **extra):
    """Run RUNNER in a fresh process in 'd'; its JSON output."""
    r = subprocess.run([sys.executable, "-c", RUNNER, mod, json.dumps(calls)], cwd=d, env=env_for(cache, **extra),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def entries(cache):
    return sorted(p for p in Path(cache).glob("*.emc"))


@pytest.fixture
def proj(tmp_path):
    write(tmp_path, "m.py", MOD)
    return tmp_path, tmp_path / "cache"


# -- loading ------------------------------------------------------------------------------
def test_second_process_loads(proj):
    d, cache = proj
    a = run(d, cache)
    assert a["stats"]["f"]["compilations"] == 1 and a["stats"]["fib"]["compilations"] == 1
    assert len(entries(cache)) == 3   # f, its callee g, fib
    b = run(d, cache)
    assert b["out"] == a["out"]
    assert b["stats"]["f"]["compilations"] == 0 and b["stats"]["f"]["cache_hits"] == 1
    assert b["stats"]["g"] == {"compilations": 0, "cache_hits": 1, "fallbacks": 0}   # callee loaded with f
    assert b["stats"]["fib"]["compilations"] == 0
    assert a["warnings"] == b["warnings"] == []


def test_cache_off_by_default(tmp_path):
    write(tmp_path, "m.py", MOD.replace("cache=True", ""))
    run(tmp_path, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()
    run(tmp_path, tmp_path / "cache", EMBER_CACHE="1")
    assert len(entries(tmp_path / "cache")) == 3
    b = run(tmp_path, tmp_path / "cache", EMBER_CACHE="1")
    assert b["stats"]["f"]["compilations"] == 0


def test_same_code_twice_in_one_process(proj):
    d, cache = proj
    code = ("import m, ember; h = ember.jit(cache=True)(m.g.py_func); "
            "print(m.g(2.0), h(2.0), h.stats['compilations'], h.stats['cache_hits'])")
    r = subprocess.run([sys.executable, "-c", code], cwd=d, env=env_for(cache), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["7.0", "7.0", "0", "1"]   # shares the code of m.g, no duplicate symbol


def test_mutual_recursion_loads(tmp_path):
    write(tmp_path, "mr.py", """
        import ember
        @ember.jit(cache=True)
        def even(n):
            return True if n == 0 else odd(n - 1)
        @ember.jit(cache=True)
        def odd(n):
            return False if n == 0 else even(n - 1)
        """)
    calls = [["even", [10]], ["odd", [7]]]
    a = run(tmp_path, tmp_path / "cache", mod="mr", calls=calls)
    b = run(tmp_path, tmp_path / "cache", mod="mr", calls=calls)
    assert a["out"] == b["out"] == [True, True]
    assert b["stats"]["even"]["compilations"] == b["stats"]["odd"]["compilations"] == 0


# -- invalidation ---------------------------------------------------------------------------
def test_edit_function_recompiles(proj):
    d, cache = proj
    run(d, cache)
    write(d, "m.py", MOD.replace("s += math.sqrt(g(x) + i)", "s += math.sqrt(g(x) + 2 * i)"))
    b = run(d, cache)
    assert b["stats"]["f"]["compilations"] == 1 and b["stats"]["fib"]["compilations"] == 0
    assert b["out"][0] == sum((2.0 * 3 + 1 + 2 * i) ** 0.5 for i in range(10))


def test_edit_frozen_global_recompiles(proj):
    d, cache = proj
    a = run(d, cache)
    write(d, "m.py", MOD.replace("K = 3", "K = 4"))
    b = run(d, cache)
    assert b["stats"]["g"]["compilations"] == 1 and b["stats"]["f"]["compilations"] == 1
    assert b["out"][0] == sum((2.0 * 4 + 1 + i) ** 0.5 for i in range(10)) != a["out"][0]
    write(d, "m.py", MOD)     # back: the first entries are still there
    assert run(d, cache)["stats"]["f"]["compilations"] == 0


def test_edit_callee_recompiles(proj):
    d, cache = proj
    run(d, cache)
    write(d, "m.py", MOD.replace("return x * K + 1", "return x * K + 2"))
    b = run(d, cache)
    assert b["stats"]["f"]["compilations"] == 1
    assert b["out"][0] == sum((2.0 * 3 + 2 + i) ** 0.5 for i in range(10))


def test_symbols_name_the_key():
    f = ember.jit(lambda x: x + 1)
    f(1)
    asm = f.inspect_asm()
    assert "em_" in asm and "lambda" in asm


# -- concurrency ----------------------------------------------------------------------------
def test_eight_processes_at_once(tmp_path):
    cache = tmp_path / "cache"
    write(tmp_path, "m.py", MOD + "".join(f"""
@ember.jit(cache=True)
def own{k}(x):
    return g(x) * {k} + {k}
""" for k in range(8)))
    procs = [subprocess.Popen([sys.executable, "-c", RUNNER, "m", json.dumps(CALLS + [[f"own{k}", [1.5]]])],
                              cwd=tmp_path, env=env_for(cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for k in range(8)]
    outs = []
    for p in procs:
        o, e = p.communicate(timeout=300)
        assert p.returncode == 0, e
        outs.append(json.loads(o.strip().splitlines()[-1]))
    assert all(o["out"][:2] == outs[0]["out"][:2] and o["warnings"] == [] for o in outs)
    assert not list(cache.glob(".tmp-*"))
    assert len(entries(cache)) == 3 + 8
    calls = CALLS + [[f"own{k}", [1.5]] for k in range(8)]
    b = run(tmp_path, cache, calls=calls)
    assert b["warnings"] == [] and b["out"][2:] == [(1.5 * 3 + 1) * k + k for k in range(8)]
    assert all(s["compilations"] == 0 for s in b["stats"].values())


# -- damaged entries and directories -------------------------------------------------------
def damage_f(cache, how):
    """Damage the entry of f (the largest: it names its callee)."""
    p = max(entries(cache), key=lambda q: q.stat().st_size)
    data = p.read_bytes()
    if how == "truncate":
        data = data[:len(data) // 2]
    elif how == "random":
        data = os.urandom(len(data))
    elif how == "version":
        data = data[:8] + (99).to_bytes(4, "little") + data[12:]
    elif how == "flip":
        data = data[:-20] + bytes([data[-20] ^ 1]) + data[-19:]
    p.write_bytes(data)


@pytest.mark.parametrize("how", ["truncate", "random", "version", "flip"])
def test_damaged_entry(proj, how):
    d, cache = proj
    a = run(d, cache)
    damage_f(cache, how)
    b = run(d, cache)
    assert b["out"] == a["out"]
    assert len(b["warnings"]) == 1 and "damaged cache entry" in b["warnings"][0], b["warnings"]
    assert b["stats"]["f"]["compilations"] == 1 and b["stats"]["fib"]["compilations"] == 0
    c = run(d, cache)   # rewritten
    assert c["warnings"] == [] and c["stats"]["f"]["compilations"] == 0 and c["out"] == a["out"]


def test_unwritable_directory(tmp_path):
    write(tmp_path, "m.py", MOD)
    if os.geteuid() == 0:   # root writes anywhere chmod allows: /proc/self is a directory nobody can add to
        cache = Path("/proc/self")
    else:
        cache = tmp_path / "ro"
        cache.mkdir()
        cache.chmod(0o555)
    b = run(tmp_path, cache)
    assert b["out"] == [sum((2.0 * 3 + 1 + i) ** 0.5 for i in range(10)), 610]
    assert len(b["warnings"]) == 1 and "cannot write the cache directory" in b["warnings"][0], b["warnings"]


def test_directory_cannot_be_made(tmp_path):
    write(tmp_path, "m.py", MOD)
    write(tmp_path, "afile", "x")
    b = run(tmp_path, tmp_path / "afile" / "cache")
    assert b["out"][1] == 610 and len(b["warnings"]) == 1


def test_size_bound_evicts_oldest(proj):
    d, cache = proj
    run(d, d / "scratch")   # the same entries elsewhere: their sizes
    size = {p.name: p.stat().st_size for p in entries(d / "scratch")}
    run(d, cache, calls=[["fib", [10]]])
    (fib,) = entries(cache)
    bound = sum(size.values()) - size[fib.name] // 2   # the three do not fit, f and g do
    run(d, cache, calls=[["f", [2.0, 3]]], EMBER_CACHE_MAX_MB=str(bound / 1048576))
    names = [p.name for p in entries(cache)]
    assert len(names) == 2 and fib.name not in names


# -- EMBER_RECORD, python -m ember cache, ember-warm ------------------------------------------
def test_record_and_cli(proj):
    d, cache = proj
    rec = d / "rec.txt"
    run(d, cache, EMBER_RECORD=str(rec))
    lines = sorted(rec.read_text().splitlines())
    assert lines == ["m\tf\t(float64, int64)", "m\tfib\t(int64)"]
    cli = [sys.executable, "-m", "ember", "cache"]
    out = subprocess.run(cli + ["list"], cwd=d, env=env_for(cache), capture_output=True, text=True).stdout
    assert "m.f" in out and "float64(float64, int64)" in out and "3 entries of 3 functions" in out
    out = subprocess.run(cli + ["clear", "fi*"], cwd=d, env=env_for(cache), capture_output=True, text=True).stdout
    assert "removed 1 entries" in out and len(entries(cache)) == 2
    subprocess.run(cli + ["clear"], cwd=d, env=env_for(cache), capture_output=True, check=True)
    assert entries(cache) == []


def warm_exe():
    exe = Path(sys.executable).parent / "ember-warm"
    if not exe.exists():
        pytest.skip("ember-warm is not installed next to this python")
    return str(exe)


PKG = {
    "wpkg/__init__.py": "",
    "wpkg/a.py": """
        import ember
        @ember.jit("float64(float64, int64)")
        def poly(x, n):
            s = 0.0
            for i in range(n):
                s = s * x + i
            return s
        @ember.jit
        def g(x):
            return x * 2
        @ember.jit(["int64(int64)", "float64(float64)"])
        def h(x):
            return g(x) + 1
        """,
}


def test_ember_warm_fills_cache(tmp_path):
    exe = warm_exe()
    for name, text in PKG.items():
        write(tmp_path, name, text)
    rec = tmp_path / "rec.txt"
    rec.write_text("wpkg.a\tg\t(complex128)\n")
    cache = tmp_path / "cache"
    r = subprocess.run([exe, "-j", "2", "-r", str(rec), "wpkg"], cwd=tmp_path, env=env_for(cache),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "4 signatures: 4 compiled" in r.stdout, r.stdout
    code = "import wpkg.a as a; print(a.poly(1.5, 4), a.h(3), a.h(2.5), a.g(1j), a.poly.stats['compilations'], " \
           "a.h.stats['compilations'], a.g.stats['compilations'])"
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env_for(cache, EMBER_CACHE="1"),
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["8.25", "7", "6.0", "2j", "0", "0", "0"]


def test_ember_warm_names_failure(tmp_path):
    exe = warm_exe()
    for name, text in PKG.items():
        write(tmp_path, name, text)
    write(tmp_path, "wpkg/b.py", """
        import ember
        @ember.jit("int64(int64)")
        def broken(x):
            return {"a": x}["a"]   # str keys: still refused
        """)
    r = subprocess.run([exe, "wpkg"], cwd=tmp_path, env=env_for(tmp_path / "cache"), capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "FAILED wpkg.b.broken int64(int64)" in r.stderr and "dict displays" in r.stderr, r.stderr
    assert "3 compiled" in r.stdout and "1 failed" in r.stdout
