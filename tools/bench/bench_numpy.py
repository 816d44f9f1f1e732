"""tools/bench/bench_numpy.py: NumPy's functions called from compiled code.

Each row is a one-line function `f(x): return <expression>` of NumPy calls on
10^6 items (or a 1000x1000 matrix), compiled by Ember and by Numba, against
NumPy itself running the same expression: a user's NumPy code moved into a
jit function should not get slower.  Medians of --reps warm calls; results are
compared with NumPy's (allclose: BLAS and pairwise sums may differ in the last
bits); a peer that cannot compile a row shows n/a.

    python tools/bench/bench_numpy.py [--reps 11] [--only name ...] [--json FILE]

(any venv with ember and numpy; Numba optional)
"""
import argparse
import json
import platform
import statistics
import sys
import time

import numpy as np


def rows():
    rng = np.random.default_rng(0)
    v = rng.random(10**6)
    b = v > 0.5
    iv = rng.integers(0, 1000, 10**6)
    M = rng.random((1000, 1000))
    s = np.sort(v)
    return [
        ("sum_bool", "np.sum(x)", b), ("any", "np.any(x)", b), ("nonzero", "np.nonzero(x)[0]", b),
        ("count_nonzero", "np.count_nonzero(x)", b), ("mask", "x[x > 0.5]", v), ("argmax", "np.argmax(x)", v),
        ("mean", "x.mean()", v), ("std", "x.std()", v), ("min", "x.min()", v), ("sum_int", "x.sum()", iv),
        ("cumsum", "np.cumsum(x)", v), ("sort", "np.sort(x)", v), ("argsort", "np.argsort(x)", v),
        ("unique", "np.unique(x)", iv), ("searchsorted", "np.searchsorted(x, 0.5)", s), ("diff", "np.diff(x)", v),
        ("clip", "np.clip(x, 0.2, 0.8)", v), ("abs", "np.abs(x - 0.5)", v), ("floor", "np.floor(x * 10)", v),
        ("round", "np.round(x, 2)", v), ("astype", "x.astype(np.float32)", v), ("where", "np.where(x > 0.5, x, 0.0)", v),
        ("isnan_any", "np.isnan(x).any()", v), ("mean_axis0", "x.mean(axis=0)", M), ("max_axis1", "x.max(axis=1)", M),
        ("argmax_axis1", "np.argmax(x, axis=1)", M), ("transpose_copy", "x.T.copy()", M), ("matmul", "x @ x", M[:300, :300]),
        ("dot", "np.dot(x, x)", v), ("norm", "np.linalg.norm(x)", v), ("outer", "np.outer(x, x)", v[:1000]),
        ("broadcast_sub", "x[:, None] - x[None, :]", v[:1000]), ("tile", "np.tile(x, 2)", v), ("roll", "np.roll(x, 3)", v),
        ("concatenate", "np.concatenate((x, x))", v), ("median", "np.median(x)", v), ("percentile", "np.percentile(x, 90)", v),
        ("histogram", "np.histogram(x, 10)[0]", v), ("bincount", "np.bincount(x)", iv), ("isin", "np.isin(x, x[:10])", iv),
    ]


def median_ms(f, x, reps):
    f(x)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f(x)
        ts.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(ts)


def agree(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-12, equal_nan=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=11)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--json")
    o = ap.parse_args()
    import ember
    try:
        import numba
        jits = {"ember": ember.jit, "numba": numba.njit}
        numba_note = numba.__version__
    except ImportError as e:
        jits = {"ember": ember.jit}
        numba_note = f"n/a ({e})"
    print(f"Python {platform.python_version()}; NumPy {np.__version__}; Numba {numba_note}")
    print(f"{'row':15} {'ember ms':>9} {'numba ms':>9} {'numpy ms':>9}  {'ember/numpy':>11} {'ember/numba':>11}")
    out = []
    for name, expr, x in rows():
        if o.only and name not in o.only:
            continue
        ns = {"np": np}
        exec(f"def f(x):\n    return {expr}\n", ns)
        ref = ns["f"](x)
        row = {"row": name, "expr": expr, "numpy": median_ms(ns["f"], x, o.reps)}
        for peer, jit in jits.items():
            g = {"np": np}
            exec(f"def f(x):\n    return {expr}\n", g)
            try:
                f = jit(g["f"])
                ok = agree(f(x), ref)
                row[peer] = median_ms(f, x, o.reps) if ok else None
                if not ok:
                    row[peer + "_error"] = "result differs from NumPy's"
            except Exception as e:  # noqa: BLE001
                row[peer] = None
                row[peer + "_error"] = f"{type(e).__name__}: {str(e)[:80]}"
        out.append(row)
        e, nb, npy = row.get("ember"), row.get("numba"), row["numpy"]
        fmt = lambda t: "n/a" if t is None else f"{t:9.3f}"   # noqa: E731
        rat = lambda a, c: "n/a" if a is None or c is None else f"{a / c:10.2f}x"   # noqa: E731
        print(f"{name:15} {fmt(e):>9} {fmt(nb):>9} {npy:9.3f}  {rat(e, npy):>11} {rat(e, nb):>11}")
    if o.json:
        with open(o.json, "w") as fh:
            json.dump({"rows": out, "numba": numba_note, "numpy": np.__version__}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
