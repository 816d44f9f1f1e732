"""The dispatcher: decorator forms and options, signatures (lazy and eager),
argument binding from Python (keywords, defaults, None defaults, errors like
CPython's), py_func, inspect_ir for every phase, inspect_llvm/inspect_asm,
stats, and thread safety (8 threads calling a new signature compile it once)."""
import math
import threading

import pytest

import ember
from helpers import check, check_all

PHASES = ["frontend", "infer", "canonicalize", "simplify", "cleanup"]


def compilations(f):
    return f.stats["compilations"]


def numbers(x):
    """Every int/float inside a nested stats value."""
    if isinstance(x, bool):
        return []
    if isinstance(x, (int, float)):
        return [x]
    if isinstance(x, dict):
        return [n for v in x.values() for n in numbers(v)]
    if isinstance(x, (list, tuple)):
        return [n for v in x for n in numbers(v)]
    return []


# -- decorator forms -------------------------------------------------------------------
def plain(a, b):
    return a * b + 1


def test_call_form(): assert check(ember.jit(plain), 3, 4) == 13
def test_empty_parens(): assert check(ember.jit()(plain), 3, 4) == 13
def test_py_func_is_original(): assert ember.jit(plain).py_func is plain


def test_fastmath_option():
    @ember.jit(fastmath=True)
    def dot3(a, b, c):
        return a * a + b * b + c * c
    assert math.isclose(dot3(1.5, 2.5, -3.0), dot3.py_func(1.5, 2.5, -3.0), rel_tol=1e-12)


def test_signatures_lazy():
    f = ember.jit(plain)
    assert len(f.signatures) == 0
    f(1, 2)
    assert len(f.signatures) == 1
    f(5, 6)
    assert len(f.signatures) == 1
    f(1.0, 2.0)
    assert len(f.signatures) == 2
    f(True, 2)
    assert len(f.signatures) == 3
    assert any("int64" in str(s) for s in f.signatures), f.signatures
    assert any("float64" in str(s) for s in f.signatures), f.signatures


def test_eager_signature():
    @ember.jit("float64(float64, int64)")
    def g(x, n):
        return x * n
    assert len(g.signatures) == 1
    assert compilations(g) == 1
    assert check(g, 1.5, 3) == 4.5
    assert compilations(g) == 1


def test_eager_signature_list():
    @ember.jit(["int64(int64)", "float64(float64)"])
    def h(x):
        return x + 1
    assert len(h.signatures) == 2
    assert compilations(h) == 2
    check_all(h, [1, -5, 2.5])
    assert compilations(h) == 2


def test_eager_signature_with_options():
    @ember.jit("float64(float64)", fastmath=False)
    def k(x):
        return x / 3
    assert check(k, 1.0) == 1.0 / 3


def test_eager_signature_compile_error_at_decoration():
    with pytest.raises(ember.CompileError):
        @ember.jit("int64(int64)")
        def bad(x):
            return [x]


def test_bad_signature_string():
    with pytest.raises((ValueError, TypeError, ember.CompileError)):
        @ember.jit("float64(notatype)")
        def f(x):
            return x


# -- arguments from Python -------------------------------------------------------------
@ember.jit
def defaults(a, b=2, c=None, d=0.5):
    if c is None:
        c = 10
    return a + b * c + d


def test_positional(): check(defaults, 1, 3, 4, 1.5)
def test_defaults_used(): check(defaults, 1)
def test_keyword(): check(defaults, 1, c=4)
def test_all_keywords(): check(defaults, d=-1.0, c=2, b=3, a=4)
def test_none_explicit(): check(defaults, 1, 2, None)
def test_missing_argument(): check(defaults)
def test_too_many_arguments(): check(defaults, 1, 2, 3, 4, 5)
def test_unknown_keyword(): check(defaults, 1, e=3)
def test_duplicate_argument(): check(defaults, 1, a=3)
def test_same_values_by_keyword_and_position(): assert defaults(1, 2, 3) == defaults(a=1, b=2, c=3)


@ember.jit
def posonly(a, b, /, c=1):
    return a - b + c


def test_positional_only(): check(posonly, 5, 3)
def test_positional_only_by_keyword(): check(posonly, a=5, b=3)


# -- inspection --------------------------------------------------------------------------
def fresh():
    @ember.jit
    def poly(x):
        return 3 * x * x + 2 * x + 1
    poly(2.0)
    return poly


def test_inspect_ir_every_phase():
    f = fresh()
    texts = {}
    for phase in PHASES:
        text = f.inspect_ir(after=phase)
        assert isinstance(text, str) and text.strip(), phase
        assert "poly" in text, f"after {phase}: {text}"
        texts[phase] = text
    assert texts["frontend"] != texts["infer"], "infer should add types"
    assert "f64" in texts["infer"], texts["infer"]


def test_inspect_ir_default():
    text = fresh().inspect_ir()
    assert "poly" in text


def test_inspect_ir_unknown_phase():
    with pytest.raises((ValueError, KeyError)):
        fresh().inspect_ir(after="no-such-pass")


def test_inspect_llvm():
    text = fresh().inspect_llvm()
    assert isinstance(text, str) and "poly" in text and "define" in text


def test_inspect_asm():
    text = fresh().inspect_asm()
    assert isinstance(text, str) and text.strip() and "poly" in text


# -- stats --------------------------------------------------------------------------------
def test_stats_counts_compilations():
    f = ember.jit(plain)
    n0 = compilations(f)
    f(1, 2)
    assert compilations(f) == n0 + 1
    f(3, 4)
    assert compilations(f) == n0 + 1
    f(1.5, 2)
    assert compilations(f) == n0 + 2


def test_stats_stage_times():
    f = fresh()
    st = f.stats
    assert isinstance(st, dict) and len(st) > 1, st
    times = [x for x in numbers({k: v for k, v in st.items() if k != "compilations"}) if isinstance(x, float)]
    assert times and all(t >= 0 for t in times) and any(t > 0 for t in times), st


# -- threads --------------------------------------------------------------------------------
def test_threads_compile_once():
    @ember.jit
    def tf(x, y):
        s = 0.0
        for i in range(100):
            s += x * i - y
        return s
    n0 = compilations(tf)
    barrier = threading.Barrier(8)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(tf(1.5, 2.0))
        except Exception as e:   # noqa: BLE001 - reported below
            errors.append(e)
    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert results == [tf.py_func(1.5, 2.0)] * 8
    assert compilations(tf) == n0 + 1
    assert len(tf.signatures) == 1


def test_threads_many_signatures():
    @ember.jit
    def g(x):
        return x * 2
    args = [1, 2.5, True, 1j, (1, 2.0)]
    out = {}

    def work(i):
        a = args[i % len(args)]
        try:
            out[i] = g(a) == g.py_func(a)
        except ember.CompileError:
            out[i] = True   # tuple arguments may be refused; never a crash
    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(out.values()) and len(out) == 20


def test_llvm_startup_told_once():
    """LLVM's start-up time goes into one compilation's times only (it was
    told again on every other compilation, so 'total' exceeded 'wall')."""
    told = 0
    for k in range(4):
        ns = {}
        exec(f"def f(x):\n    return x * {k + 0.5}\n", ns)
        f = ember.jit(ns["f"])
        f(1.0)
        times = list(f.stats["compile_times"].values())[0]
        told += "llvm_startup" in times
    assert told <= 1
