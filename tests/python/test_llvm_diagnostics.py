"""The compile-time diagnostics of targets/native/jit.c, in a fresh process:
EMBER_TG_TIMES=1 prints each LLVM module's times, size and parts, and
EMBER_DUMP_MODULES=DIR writes each optimized module as LLVM IR text; and
code generation in parts on threads (EMBER_CODEGEN_THREADS), which must
give the same results as one thread.
"""
import os
import platform
import re
import subprocess
import sys

_PROG = """
import numpy as np, ember
@ember.jit
def hist(x):
    counts = np.zeros(10, np.int64)
    for i in range(x.shape[0]):
        b = int(x[i] * 10.0)
        if 0 <= b < 10:
            counts[b] += 1
    return counts
x = np.linspace(0.0, 0.99, 50)
print(list(hist(x)) == list(np.bincount((x * 10.0).astype(np.int64), minlength=10)))
"""


def test_times_and_module_dump(tmp_path):
    dump = tmp_path / "mods"
    dump.mkdir()
    env = dict(os.environ, EMBER_TG_TIMES="1", EMBER_DUMP_MODULES=str(dump), EMBER_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", _PROG], env=env, capture_output=True, text=True, timeout=600)
    assert out.stdout.strip() == "True", out.stderr
    m = re.search(r"^tg (em_hist_\w+): lower [\d.]+ opt [\d.]+ text [\d.]+ obj [\d.]+ ms; (\d+) functions, (\d+) instructions, 1 part$",
                  out.stderr, re.M)
    assert m, out.stderr
    assert int(m.group(2)) >= 2 and int(m.group(3)) > 10   # the function and its C entry
    assert re.search(r"^tg link [\d.]+ passes [\d.]+ keep [\d.]+ ms$", out.stderr, re.M), out.stderr
    text = (dump / (m.group(1) + ".ll")).read_text()
    assert "define " in text and m.group(1) in text
    if platform.machine() in ("x86_64", "AMD64"):   # int(x) of a float is cvttsd2si there (targets/llvm/arith.c)
        assert "llvm.x86.sse2.cvttsd2si64" in text


# A function whose fused kernels, callees compiled with it, make one module
# big enough to optimize and generate in parts (targets/native/jit.c, run_parts).
_CHAIN = """
import sys, warnings, numpy as np, ember
warnings.simplefilter("ignore")   # the mean of no items
def chain(a, b, c):
    u = np.cos(a - b) * c + 1.5
    v = np.exp(-u * u) + np.hypot(a, c)
    w = np.where(v > u, np.log1p(v * v), np.arctan(u - v))
    z = np.minimum(w, a * 3.0) + np.maximum(b, v) / (2.0 + np.abs(c))
    return z * u - np.sinh(w * 0.25), (z * u - np.sinh(w * 0.25)).mean()
rng = np.random.default_rng(7)
for n in (0, 1, 5, 1000, 1027):
    a, b, c = (rng.standard_normal(n) for _ in range(3))
    got, want = ember.jit(chain)(a, b, c), chain(a, b, c)
    print(n, np.allclose(got[0], want[0], rtol=1e-12, atol=0),
          np.isclose(got[1], want[1], rtol=1e-9, atol=1e-12, equal_nan=True), got[0].tobytes().hex()[:64], repr(got[1]))
"""


def _run_chain(tmp_path, threads):
    env = dict(os.environ, EMBER_TG_TIMES="1", EMBER_CODEGEN_THREADS=str(threads),
               EMBER_CACHE_DIR=str(tmp_path / ("cache%d" % threads)))
    out = subprocess.run([sys.executable, "-c", _CHAIN], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    parts = [int(p) for p in re.findall(r"^tg em_chain\w+ \(and callees\):.* (\d+) parts?$", out.stderr, re.M)]
    return out.stdout, parts


def test_codegen_in_parts(tmp_path):
    one, parts1 = _run_chain(tmp_path, 1)
    two, parts2 = _run_chain(tmp_path, 2)
    assert parts1 and set(parts1) == {1}, parts1
    assert parts2 and max(parts2) == 2, parts2
    lines = one.split("\n")
    assert len(lines) == 6 and all(" True True " in line for line in lines[:5]), one
    assert one == two   # the same code, bit for bit, whatever the threads
