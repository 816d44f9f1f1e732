"""Module-level NumPy arrays read in compiled functions (issue 3): frozen at
compile time as Numba does, as a read-only C-contiguous copy whose address,
dtype and shape the code embeds.  Each test compiles functions whose globals
are a dict made here and compares them against CPython running the same
function on NumPy; rebinding or writing the global after a compile changes
nothing for that signature, a new dispatcher sees the new value.  Code that
reads a global array is never written to the on-disk cache."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ember


def make(src, **globs):
    """The function defined by 'src' (its last def), its globals 'globs' and np."""
    ns = {"np": np, **globs}
    exec(textwrap.dedent(src), ns)
    names = [n for n in ns if callable(ns[n]) and getattr(ns[n], "__code__", None)]
    return ns[names[-1]], ns


def same(a, b):
    """Equal values of the same kind (arrays: equal dtype, shape and elements)."""
    if isinstance(b, np.ndarray):
        assert isinstance(a, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape, (a, b)
        np.testing.assert_array_equal(a, b)
        return
    if isinstance(b, tuple):
        assert isinstance(a, tuple) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            same(x, y)
        return
    assert np.asarray(a).dtype.kind == np.asarray(b).dtype.kind, (a, b)   # scalars: the same kind of number
    assert a == b or (a != a and b != b), (a, b)


def diff(f, *args):
    """ember.jit(f)(*args) against f(*args) in CPython; the dispatcher."""
    want = f(*args)
    j = ember.jit(f)
    same(j(*args), want)
    return j


def floats(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape) * 10.0


SMOOTH = """
def smooth(x):
    out = np.zeros_like(x)
    for i in range(1, x.shape[0] - 1):
        out[i] = WEIGHTS[0] * x[i - 1] + WEIGHTS[1] * x[i] + WEIGHTS[2] * x[i + 1]
    return out
"""


def test_stencil_of_the_issue():
    f, _ = make(SMOOTH, WEIGHTS=np.array([0.25, 0.5, 0.25]))
    for n in (0, 3, 17):
        diff(f, floats(n, seed=n))


DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]


@pytest.mark.parametrize("dt", DTYPES, ids=lambda d: np.dtype(d).name)
def test_every_dtype_indexed_and_summed(dt):
    g = (np.random.default_rng(3).integers(0, 7, 9)).astype(dt)
    f, _ = make("""
        def f(i):
            return G[i], G[-1 - i], G.sum()
    """, G=g)
    j = ember.jit(f)
    for i in (0, 4, 8):
        for a, b in zip(j(i), f(i)):
            same(a, b)


def test_float16_elements_read_as_float32():
    g = np.array([0.5, 1.25, -3.0, 65504.0], np.float16)
    f, _ = make("""
        def f(i):
            return G[i]
    """, G=g)
    j = ember.jit(f)
    for i in range(4):
        assert j(i) == float(g[i])


@pytest.mark.parametrize("layout", ["C", "F", "strided", "reversed"])
def test_any_layout_and_ndim(layout):
    base = floats((4, 6), seed=5)
    g = {"C": base, "F": np.asfortranarray(base), "strided": base[::2, 1::2], "reversed": base[::-1, ::-1]}[layout]
    f, _ = make("""
        def f(i, j):
            s = 0.0
            for a in range(G.shape[0]):
                for b in range(G.shape[1]):
                    s += G[a, b] * (a + 1) - b
            return s, G[i, j], G[i, -1], G.ndim, G.size, len(G), G.shape
    """, G=g)
    j = ember.jit(f)
    for i, k in ((0, 0), (1, 2), (-1, -2)):
        for a, b in zip(j(i, k), f(i, k)):
            same(a, b)


def test_three_dimensions_and_rows():
    g = floats((2, 3, 4), seed=6)
    f, _ = make("""
        def f(i):
            return G[i].sum(), G[i, 1].copy(), G[:, 2, 1:3].copy(), G.sum(axis=0)
    """, G=g)
    j = ember.jit(f)
    for i in (0, 1, -1):
        for a, b in zip(j(i), f(i)):
            same(a, b)


def test_slicing_iteration_len_shape():
    g = floats(11, seed=7)
    f, _ = make("""
        def f(k):
            s = 0.0
            for w in G[1:k]:
                s = s * 0.5 + w
            t = 0.0
            for w in G[::-3]:
                t += w
            return s, t, len(G), G.shape[0], G[k:].sum(), G.max(), G.argmin()
    """, G=g)
    j = ember.jit(f)
    for k in (1, 5, 11):
        for a, b in zip(j(k), f(k)):
            same(a, b)


def test_fused_array_expressions():
    g = floats(8, seed=8)
    f, _ = make("""
        def f(x):
            y = x * G + np.exp(G / 10.0) - 1.0
            return y, (x - G).sum(), np.sum(G * G), G @ x
    """, G=g)
    j = ember.jit(f)
    for seed in (1, 2):
        x = floats(8, seed=seed)
        for a, b in zip(j(x), f(x)):
            np.testing.assert_allclose(a, b, rtol=1e-13)   # fused sums add in NumPy's pairwise order


def test_broadcast_with_a_two_dimensional_global():
    g = floats((3, 1), seed=9)
    f, _ = make("""
        def f(x):
            return G - x[None, :], x * G
    """, G=g)
    j = ember.jit(f)
    x = floats(5, seed=10)
    for a, b in zip(j(x), f(x)):
        same(a, b)


def test_callees_read_globals_and_take_frozen_arrays():
    g = floats(6, seed=11)
    ns = {"np": np, "G": g}
    exec(textwrap.dedent("""
        def total(a):
            s = 0.0
            for v in a:
                s += v
            return s

        def scaled(k):
            return G[k] * 2.0

        def f(k):
            return total(G) + scaled(k) + total(G[k:])
    """), ns)
    want = [ns["f"](k) for k in range(6)]
    ns["total"] = ember.jit(ns["total"])
    ns["scaled"] = ember.jit(ns["scaled"])
    j = ember.jit(ns["f"])
    for k in range(6):
        same(j(k), want[k])


@pytest.mark.parametrize("body", ["G[0] = 1.0", "G[1:] = 0.0", "G[k] += 1.0", "bump(G)", "out = G; out[0] = 2.0"])
def test_writes_are_typing_errors(body):
    ns = {"np": np, "G": np.arange(4.0)}
    exec(textwrap.dedent("""
        def bump(a):
            a[0] = 1.0

        def f(k):
            %s
            return k
    """ % body), ns)
    ns["bump"] = ember.jit(ns["bump"])
    with pytest.raises(ember.TypingError, match="read-only"):
        ember.jit(ns["f"])(1)
    assert ns["G"][0] == 0.0


@pytest.mark.parametrize("g", [np.array([1, "a"], dtype=object), np.zeros(2, dtype="i4,f8"),
                               np.array(["ab", "c"])], ids=["object", "structured", "str"])
def test_unsupported_arrays_name_the_global(g):
    f, _ = make("""
        def f(i):
            return BADARRAY[i]
    """, BADARRAY=g)
    with pytest.raises(ember.TypingError, match="BADARRAY"):
        ember.jit(f)(0)


def test_rebinding_after_compile_keeps_the_frozen_value():
    f, ns = make(SMOOTH, WEIGHTS=np.array([0.25, 0.5, 0.25]))
    x = floats(9, seed=12)
    old = f(x)
    j = ember.jit(f)
    same(j(x), old)
    ns["WEIGHTS"] = np.array([1.0, -2.0, 1.0])       # rebinding: as Numba, the compiled signature keeps its copy
    same(j(x), old)
    assert j.stats["compilations"] == 1
    same(ember.jit(f)(x), f(x))                       # a new dispatcher freezes the new value
    assert not np.array_equal(f(x), old)


def test_writing_the_global_after_compile_keeps_the_frozen_value():
    w = np.array([0.25, 0.5, 0.25])
    f, _ = make(SMOOTH, WEIGHTS=w)
    x = floats(9, seed=13)
    old = f(x)
    j = ember.jit(f)
    same(j(x), old)
    w[:] = [3.0, 0.0, -1.0]                            # the code holds a copy, not the array
    same(j(x), old)
    same(ember.jit(f)(x), f(x))


def test_a_new_signature_freezes_the_value_of_its_compile():
    f, ns = make("""
        def f(x):
            return x * G[0]
    """, G=np.array([2.0]))
    j = ember.jit(f)
    same(j(1.5), 3.0)
    ns["G"] = np.array([5.0])
    same(j(1.5), 3.0)
    same(j(3), 15.0)                                  # int: compiled now, with the value of now
    assert j.signatures == ["float64(float64)", "float64(int64)"]


def test_equal_content_shares_one_copy_and_separate_globals_do_not_mix():
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    f, _ = make("""
        def f(i):
            return A[i] + 10.0 * B[i] + A[1 - i]
    """, A=a, B=b)
    for i in (0, 1):
        diff(f, i)


def test_returning_the_global_gives_a_read_only_view():
    g = floats(5, seed=14)
    f, ns = make("""
        def f(k):
            if k:
                return G[1:]
            return G
    """, G=g)
    j = ember.jit(f)
    for k in (0, 1):
        r = j(k)
        same(r, f(k))
        assert not r.flags.writeable
        with pytest.raises(ValueError):
            r[0] = 1.0
        with pytest.raises(ValueError):
            r.setflags(write=True)
    g[0] = 99.0                                       # the global, not the frozen copy
    assert j(0)[0] != 99.0


def test_inspect_ir_shows_a_read_only_constant():
    f, _ = make(SMOOTH, WEIGHTS=np.array([0.25, 0.5, 0.25]))
    j = ember.jit(f)
    j(floats(4))
    ir = j.inspect_ir(after="infer")
    assert "array<f64, 1, C, ro> = aconst" in ir


CACHED = """
import numpy as np
import ember
W = np.array(%s)

@ember.jit(cache=True)
def uses(x):
    s = 0.0
    for i in range(W.shape[0]):
        s += W[i] * x
    return s

@ember.jit(cache=True)
def plain(x):
    return x * 3.0 + 1.0

@ember.jit(cache=True)
def caller(x):
    return uses(x) + plain(x)
"""

RUNNER = """
import json, sys, warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import ember, cm
    out = [cm.uses(2.0), cm.plain(2.0), cm.caller(2.0)]
warns = [str(x.message) for x in w if issubclass(x.category, ember.CacheWarning)]
hits = [f.stats["cache_hits"] for f in (cm.uses, cm.plain, cm.caller)]
print(json.dumps({"out": out, "hits": hits, "warnings": warns}))
"""


def test_cache_never_stores_code_with_a_frozen_array(tmp_path):
    env = dict(os.environ, EMBER_CACHE_DIR=str(tmp_path / "cache"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("EMBER_CACHE", None)
    env.pop("EMBER_RECORD", None)

    def run(values):
        (tmp_path / "cm.py").write_text(CACHED % values)
        r = subprocess.run([sys.executable, "-c", RUNNER], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout.strip().splitlines()[-1])

    first = run("[1.0, 2.0, 4.0]")
    assert first == {"out": [14.0, 7.0, 21.0], "hits": [0, 0, 0], "warnings": []}
    assert len(list((tmp_path / "cache").glob("*.emc"))) == 1    # plain only: not uses, nor its caller
    second = run("[1.0, 2.0, 4.0]")
    assert second == {"out": [14.0, 7.0, 21.0], "hits": [0, 1, 0], "warnings": []}
    third = run("[1.0, 2.0, 8.0]")
    assert third == {"out": [22.0, 7.0, 29.0], "hits": [0, 1, 0], "warnings": []}
