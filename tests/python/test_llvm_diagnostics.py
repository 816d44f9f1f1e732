"""The compile-time diagnostics of targets/native/jit.c, in a fresh process:
EMBER_TG_TIMES=1 prints each LLVM module's times and size, and
EMBER_DUMP_MODULES=DIR writes each optimized module as LLVM IR text.
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
    m = re.search(r"^tg (em_hist_\w+): lower [\d.]+ opt [\d.]+ text [\d.]+ obj [\d.]+ ms; (\d+) functions, (\d+) instructions$",
                  out.stderr, re.M)
    assert m, out.stderr
    assert int(m.group(2)) >= 2 and int(m.group(3)) > 10   # the function and its C entry
    assert re.search(r"^tg link [\d.]+ passes [\d.]+ keep [\d.]+ ms$", out.stderr, re.M), out.stderr
    text = (dump / (m.group(1) + ".ll")).read_text()
    assert "define " in text and m.group(1) in text
    if platform.machine() in ("x86_64", "AMD64"):   # int(x) of a float is cvttsd2si there (targets/llvm/arith.c)
        assert "llvm.x86.sse2.cvttsd2si64" in text
