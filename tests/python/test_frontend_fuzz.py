"""Property tests for the frontend: random small functions with control flow.

A grammar draws functions over int and float arguments: nested and/or,
conditional expressions, chained comparisons, calls of abs/min/max/float/int
whose arguments are such expressions, walrus, tuples (build, unpack, swap),
if/elif/else, for and while loops (nested, with break, continue and else)
early returns, module globals and math.* calls.  Each function is compiled by Ember and called on a few
argument tuples; compiled and interpreted must give the same value and type,
or raise the same exception type.

Every local has one static type (int or float), so that merges never join
an int and a float, except where a function is drawn "mixed": then its
returns may differ in type on different paths, and Ember's known answer (a
float where CPython returns an equal int) is accepted.  Loops are bounded by
small literals, all locals are assigned first, and multiplications take a
small literal, so that the interpreter's results stay small and fast.
EMBER_FUZZ_EXAMPLES=N runs N functions (default 300).
"""
import math
import os

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, note, settings, strategies as st  # noqa: E402

import ember  # noqa: E402
from helpers import _run, same  # noqa: E402

ARGS = ("a", "b", "c")
INT_VALUES = [0, 1, -1, 2, -3, 7, 10, -100, 2**40, -(2**53) - 1, 2**62]
FLOAT_VALUES = [0.0, -0.0, 1.0, -1.5, 2.5, 0.1, 1e300, -1e-300, math.inf, -math.inf, math.nan]
INT_LITS = ["0", "1", "2", "3", "-1", "-2", "5", "10", "GI"]
FLOAT_LITS = ["0.0", "-0.0", "0.5", "1.5", "-2.5", "3.0", "1e10", "GF"]
GLOBALS = {"GI": 3, "GF": -1.25}   # module globals the functions read
TYPES = ("int", "float")


class Gen:
    """Source text drawn choice by choice (so that hypothesis shrinks it)."""

    def __init__(self, draw, argtypes, mixed):
        self.draw = draw
        self.vars = dict(zip(ARGS, argtypes))
        self.mixed = mixed
        self.ro = set()       # loop variables: read, never assigned
        self.loops = 0        # enclosing loops
        self.nloop = 0        # loop variables made so far
        self.lines = []

    def pick(self, xs):
        return self.draw(st.sampled_from(xs))

    def pct(self, p):
        return self.draw(st.integers(0, 99)) < p

    def var(self, t, write=False):
        names = [v for v, vt in self.vars.items() if vt == t and not (write and v in self.ro)]
        return self.pick(names) if names else None

    def target(self):
        return self.pick([v for v in self.vars if v not in self.ro])

    # -- expressions -------------------------------------------------------------
    def leaf(self, t):
        v = self.var(t)
        if v is not None and self.pct(60):
            return v
        if t == "float" and self.pct(20):
            return f"float({self.leaf('int')})"
        return self.pick(INT_LITS if t == "int" else FLOAT_LITS)

    def expr(self, t, d):
        """An expression of static type 't' and depth at most 'd'."""
        if d <= 0 or self.pct(25):
            return self.leaf(t)
        kind = self.pick(["arith", "arith", "andor", "ifexp", "call", "call", "walrus", "neg"])
        e = lambda: self.expr(t, d - 1)  # noqa: E731
        if kind == "arith":
            ops = ["+", "-", "//", "%"] if t == "int" else ["+", "-", "/", "//", "%"]
            if self.pct(20):
                return f"({e()} * {self.leaf(t) if t == 'float' else self.pick(INT_LITS)})"
            return f"({e()} {self.pick(ops)} {e()})"
        if kind == "andor":
            return f"({e()} {self.pick(['and', 'or'])} {e()})"
        if kind == "ifexp":
            return f"({e()} if {self.cond(d - 1)} else {e()})"
        if kind == "walrus":
            v = self.var(t, write=True)
            return f"({v} := {e()})" if v else e()
        if kind == "neg":
            return f"(-{e()})"
        return self.call(t, d)

    def call(self, t, d):
        f = self.pick(["abs", "min", "max", "conv", "math"])
        e = lambda: self.expr(t, d - 1)  # noqa: E731
        if f == "abs":
            return f"abs({e()})"
        if f == "math":   # a method-style call: LOAD_ATTR's NULL slot (3.12+), LOAD_METHOD (3.11)
            x = lambda: self.expr("float", d - 1)  # noqa: E731
            if t == "int":
                return f"math.{self.pick(['floor', 'ceil', 'trunc'])}({x()})"
            g = self.pick(["fabs", "sqrt", "copysign"])
            return f"math.copysign({x()}, {x()})" if g == "copysign" else f"math.{g}({x()})"
        if f in ("min", "max"):
            n = self.pick([2, 2, 3])
            return f"{f}({', '.join(e() for _ in range(n))})"
        other = self.pick(TYPES)
        return f"{t}({self.expr(other, d - 1)})"

    def cond(self, d):
        """A condition: comparisons (chained), and/or/not, or a number's truth."""
        if d <= 0 or self.pct(20):
            return self.expr(self.pick(TYPES), 0)
        kind = self.pick(["cmp", "cmp", "chain", "andor", "not", "value", "walrus"])
        if kind == "walrus":
            t = self.pick(TYPES)
            v = self.var(t, write=True)
            if v:
                return f"(({v} := {self.expr(t, d - 1)}) {self.pick(['<', '>=', '!='])} {self.expr(t, d - 1)})"
            kind = "cmp"
        if kind == "cmp":
            ta, tb = self.pick(TYPES), self.pick(TYPES)
            op = self.pick(["<", "<=", "==", "!=", ">", ">="])
            return f"({self.expr(ta, d - 1)} {op} {self.expr(tb, d - 1)})"
        if kind == "chain":
            n = self.pick([3, 3, 4])
            parts = [self.expr(self.pick(TYPES), d - 1) for _ in range(n)]
            out = parts[0]
            for p in parts[1:]:
                out += f" {self.pick(['<', '<=', '==', '!=', '>', '>='])} {p}"
            return f"({out})"
        if kind == "andor":
            return f"({self.cond(d - 1)} {self.pick(['and', 'or'])} {self.cond(d - 1)})"
        if kind == "not":
            return f"(not {self.cond(d - 1)})"
        return self.expr(self.pick(TYPES), d - 1)

    # -- statements --------------------------------------------------------------
    def emit(self, ind, text):
        self.lines.append("    " * ind + text)

    def ret(self, ind, d):
        ts = [self.pick(TYPES) if self.mixed else t for t in self.rettypes]
        es = [self.expr(t, d) for t in ts]
        self.emit(ind, f"return {es[0]}" if len(es) == 1 else f"return ({', '.join(es)})")

    def block(self, ind, n, d):
        """'n' statements (at least one) at indent 'ind', nesting up to 'd'."""
        for _ in range(n):
            self.stmt(ind, d)

    def stmt(self, ind, d):
        kinds = ["assign", "assign", "aug", "tuple", "if", "chain"]
        if d > 0:
            kinds += ["if", "for", "while"]
        if self.loops:
            kinds += ["break", "continue"]
        kinds.append("ret")
        kind = self.pick(kinds)
        v = self.target()
        t = self.vars[v]
        if kind == "assign":
            self.emit(ind, f"{v} = {self.expr(t, 3)}")
        elif kind == "chain":   # v = w = e (the value is copied on the stack)
            w = self.var(t, write=True)
            self.emit(ind, f"{v} = {w} = {self.expr(t, 2)}")
        elif kind == "aug":
            op = self.pick(["+=", "-=", "*="])
            rhs = self.leaf(t) if op == "*=" else self.expr(t, 2)
            self.emit(ind, f"{v} {op} {rhs}")
        elif kind == "tuple":
            w = self.target()
            if self.pct(50) and self.vars[w] == t:
                self.emit(ind, f"{v}, {w} = {w}, {v}")
            elif self.pct(30):   # a tuple value through a conditional expression
                tw = self.vars[w]
                self.emit(ind, f"{v}, {w} = ({self.expr(t, 1)}, {self.expr(tw, 1)}) if {self.cond(2)} "
                               f"else ({self.expr(t, 1)}, {self.expr(tw, 1)})")
            else:
                self.emit(ind, f"{v}, {w} = {self.expr(t, 2)}, {self.expr(self.vars[w], 2)}")
        elif kind == "if":
            self.emit(ind, f"if {self.cond(3)}:")
            self.block(ind + 1, self.pick([1, 1, 2]), d - 1)
            if self.pct(30):
                self.emit(ind, f"elif {self.cond(2)}:")
                self.block(ind + 1, 1, d - 1)
            if self.pct(50):
                self.emit(ind, "else:")
                self.block(ind + 1, self.pick([1, 2]), d - 1)
        elif kind in ("for", "while"):
            self.loop(kind, ind, d)
        elif kind in ("break", "continue"):
            self.emit(ind, f"if {self.cond(2)}:")
            self.emit(ind + 1, kind)
        else:
            self.emit(ind, f"if {self.cond(2)}:")
            self.ret(ind + 1, 2)

    def loop(self, kind, ind, d):
        i = f"i{self.nloop}"
        self.nloop += 1
        if kind == "for" and self.pct(30):   # a bound computed by calls: 0..4
            self.emit(ind, f"for {i} in range(min(max({self.expr('int', 2)}, 0), 4)):")
        elif kind == "for":
            self.emit(ind, f"for {i} in range({self.pick(['0', '1', '2', '3', '4'])}):")
        else:
            self.emit(ind, f"{i} = 0")
            more = f" and {self.cond(2)}" if self.pct(40) else ""
            self.emit(ind, f"while {i} < {self.pick(['1', '2', '3'])}{more}:")
            self.emit(ind + 1, f"{i} += 1")
        self.vars[i] = "int"
        self.ro.add(i)
        self.loops += 1
        self.block(ind + 1, self.pick([1, 2, 3]), d - 1)
        self.loops -= 1
        del self.vars[i]   # read only inside the loop: it may be unassigned after
        if self.pct(30):
            self.emit(ind, "else:")
            self.block(ind + 1, 1, d - 1)

    def function(self, nargs):
        self.rettypes = [self.pick(TYPES) for _ in range(self.pick([1, 1, 1, 2]))]
        for k in range(self.pick([1, 2, 3])):
            t = self.pick(TYPES)
            self.emit(1, f"v{k} = {self.expr(t, 2)}")
            self.vars[f"v{k}"] = t
        self.block(1, self.pick([1, 2, 3, 4]), 2)
        self.ret(1, 3)
        head = f"def f({', '.join(ARGS[:nargs])}):"
        return "\n".join([head] + self.lines) + "\n"


@st.composite
def programs(draw):
    nargs = draw(st.integers(1, 3))
    argtypes = [draw(st.sampled_from(TYPES)) for _ in range(nargs)]
    mixed = draw(st.integers(0, 3)) == 0
    src = Gen(draw, argtypes, mixed).function(nargs)
    value = {"int": st.sampled_from(INT_VALUES), "float": st.sampled_from(FLOAT_VALUES)}
    calls = [tuple(draw(value[t]) for t in argtypes) for _ in range(3)]
    return src, mixed, calls


def close(want, got, mixed):
    """same(), or where the function mixes int and float returns: an equal float for an int."""
    if same(want, got):
        return True
    if isinstance(want, tuple) and isinstance(got, tuple) and len(want) == len(got):
        return all(close(w, g, mixed) for w, g in zip(want, got))
    return mixed and type(want) is int and type(got) is float and float(want) == got


def disagreement(jf, args, mixed):
    want, wexc = _run(jf.py_func, args, {})
    got, gexc = _run(jf, args, {})
    if isinstance(gexc, ember.CompileError):
        return f"does not compile: {gexc}"
    if wexc is not None or gexc is not None:
        if wexc is not None and gexc is not None and type(wexc) is type(gexc):
            return None
        return f"f{args}: CPython {wexc or want!r}, Ember {gexc or got!r}"
    if not close(want, got, mixed):
        return f"f{args}: CPython {want!r} ({type(want).__name__}), Ember {got!r} ({type(got).__name__})"
    return None


@settings(max_examples=int(os.environ.get("EMBER_FUZZ_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_functions(prog):
    src, mixed, calls = prog
    note(src)
    ns = {"math": math, **GLOBALS}
    exec(compile(src, "<fuzz>", "exec"), ns)
    jf = ember.jit(ns["f"])
    for args in calls:
        msg = disagreement(jf, args, mixed)
        assert msg is None, f"{msg}\nsource ({'mixed' if mixed else 'one type per local'}):\n{src}"
