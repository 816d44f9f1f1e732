#!/usr/bin/env python3
"""tools/bench/bench_stability.py: accuracy of Ember's stability rewrites (issue 4).

For each stability rewrite: an input where the naive evaluation (CPython's
math, NumPy on a 0-d array) is off by more than 1e-3 relative or gives
inf/nan/an exception, the exact value (decimal, 400 digits), and the
relative error of Ember (default and fastmath=True).  When pytensor
imports, one more column: PyTensor's compiled function of the same naive
expression (its default mode), its relative error and whether it is right,
that is within 1e-14 relative of the exact value; a last line counts the rows
each gets right.

    python tools/bench/bench_stability.py
"""
import math
import warnings
from decimal import Decimal, getcontext

import numpy as np

import ember

getcontext().prec = 400
D = Decimal


def dsig(d):
    return 1 / (1 + (-d).exp())


# rewrite, expression text, Python form, NumPy form, input, exact
ROWS = [
    ("log1p", "log(1 + x)", lambda x: math.log(1 + x), lambda x: np.log(1 + x), 1e-17, lambda d: (1 + d).ln()),
    ("expm1", "exp(x) - 1", lambda x: math.exp(x) - 1, lambda x: np.exp(x) - 1, 1e-17, lambda d: d.exp() - 1),
    ("log_exp", "log(exp(x))", lambda x: math.log(math.exp(x)), lambda x: np.log(np.exp(x)), -800.0, lambda d: d),
    ("exp_log", "exp(log(x))", lambda x: math.exp(math.log(x)), lambda x: np.exp(np.log(x)), 1e300, lambda d: d),
    ("log1p_expm1", "log1p(expm1(x))", lambda x: math.log1p(math.expm1(x)), lambda x: np.log1p(np.expm1(x)),
     -40.0, lambda d: d),
    ("sigmoid", "1/(1 + exp(-x))", lambda x: 1 / (1 + math.exp(-x)), lambda x: 1 / (1 + np.exp(-x)), -720.0, dsig),
    ("exp_sigmoid", "exp(x)/(1 + exp(x))", lambda x: math.exp(x) / (1 + math.exp(x)),
     lambda x: np.exp(x) / (1 + np.exp(x)), 720.0, dsig),
    ("one_minus_sigmoid", "1 - 1/(1 + exp(-x))", lambda x: 1 - 1 / (1 + math.exp(-x)),
     lambda x: 1 - 1 / (1 + np.exp(-x)), 40.0, lambda d: 1 - dsig(d)),
    ("softplus", "log(1 + exp(x))", lambda x: math.log(1 + math.exp(x)), lambda x: np.log(1 + np.exp(x)), -40.0,
     lambda d: (1 + d.exp()).ln()),
    ("log_sigmoid", "log(1/(1 + exp(-x)))", lambda x: math.log(1 / (1 + math.exp(-x))),
     lambda x: np.log(1 / (1 + np.exp(-x))), 40.0, lambda d: dsig(d).ln()),
    ("log1m_sigmoid", "log1p(-1/(1 + exp(-x)))", lambda x: math.log1p(-(1 / (1 + math.exp(-x)))),
     lambda x: np.log1p(-(1 / (1 + np.exp(-x)))), 40.0, lambda d: (1 - dsig(d)).ln()),
    ("log1mexp", "log(1 - exp(x))", lambda x: math.log(1 - math.exp(x)), lambda x: np.log(1 - np.exp(x)), -1e-20,
     lambda d: (1 - d.exp()).ln()),
    ("logaddexp", "log(exp(x) + exp(x + 1))", lambda x: math.log(math.exp(x) + math.exp(x + 1.0)),
     lambda x: np.log(np.exp(x) + np.exp(x + 1.0)), -1000.0, lambda d: (d.exp() + (d + 1).exp()).ln()),
    ("sqrt_sqr", "sqrt(x*x)", lambda x: math.sqrt(x * x), lambda x: np.sqrt(x * x), 1e-200, lambda d: abs(d)),
    ("hypot", "sqrt(x*x + (2x)*(2x))", lambda x: math.sqrt(x * x + (2 * x) * (2 * x)),
     lambda x: np.sqrt(x * x + (2 * x) * (2 * x)), 1e200, lambda d: (5 * d * d).sqrt()),
    ("log_sqrt", "log(sqrt(x))", lambda x: math.log(math.sqrt(x)), lambda x: np.log(np.sqrt(x)), 1 + 2.0 ** -52,
     lambda d: d.ln() / 2),
    ("erfc", "1 - erf(x)", lambda x: 1 - math.erf(x), None, 6.0, None),
    ("erf", "1 - erfc(x)", lambda x: 1 - math.erfc(x), None, 1e-20, None),
    ("one_plus_erf", "1 + erf(x)", lambda x: 1 + math.erf(x), None, -6.0, None),
    ("erf_minus_one", "erf(x) - 1", lambda x: math.erf(x) - 1, None, 6.0, None),
]
# erf family: the exact value is the libm erf/erfc of the rewritten form (decimal has no erf)
ERF_EXACT = {"erfc": lambda x: math.erfc(x), "erf": lambda x: math.erf(x),
             "one_plus_erf": lambda x: math.erfc(-x), "erf_minus_one": lambda x: -math.erfc(x)}


def rel(got, exact):
    if isinstance(got, BaseException):
        return type(got).__name__
    if not math.isfinite(got):
        return repr(got)
    if exact == 0:
        return "%.1e" % abs(got)
    return "%.1e" % float(abs((D(got) - exact) / exact))


def run(f, x):
    try:
        return f(x)
    except (OverflowError, ValueError, ZeroDivisionError) as e:
        return e


def main():
    try:
        import pytensor  # noqa: F401
        have_pt = True
    except ImportError:
        have_pt = False
    head = ("rewrite", "expression", "x", "CPython", "NumPy", "Ember", "Ember fast")
    print("%-18s %-26s %-9s %-13s %-13s %-13s %-13s" % head + ("  PyTensor (right: <= 1e-14)" if have_pt else ""))
    right = {"Ember": 0, "Ember fast": 0, "PyTensor": 0}
    for name, text, pyf, npf, x, exact in ROWS:
        ref = D(ERF_EXACT[name](x)) if exact is None else exact(D(x))
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            nres = float(npf(np.float64(x))) if npf else pyf(x)
        on = ember.jit(pyf)
        fast = ember.jit(fastmath=True)(pyf)
        got, gotf = run(on, x), run(fast, x)
        assert any(name in d for d in on.stats["rewrites"].values()), name
        right["Ember"] += is_right(got, ref)
        right["Ember fast"] += is_right(gotf, ref)
        line = "%-18s %-26s %-9.3g %-13s %-13s %-13s %-13s" % (
            name, text, x, rel(run(pyf, x), ref), rel(nres, ref), rel(got, ref), rel(gotf, ref))
        if have_pt:
            pt = pytensor_value(pyf, x)
            right["PyTensor"] += is_right(pt, ref)
            line += "  %-13s %s" % (rel(pt, ref), "yes" if is_right(pt, ref) else "NO")
        print(line)
    print("right (within 1e-14 relative) in %d rows: Ember %d, Ember fast %d" % (len(ROWS), right["Ember"],
                                                                               right["Ember fast"])
          + (", PyTensor %d" % right["PyTensor"] if have_pt else ""))


def is_right(got, exact):
    """True when 'got' is a finite float within 1e-14 relative of 'exact' (absolute when exact is 0)."""
    if isinstance(got, BaseException) or not math.isfinite(got):
        return False
    err = abs(D(got) - exact)
    return err <= D("1e-14") * abs(exact) if exact != 0 else err <= D("1e-300")


def pytensor_value(pyf, x):
    """PyTensor's compiled function of the same expression at 'x' (or the exception it raised): the
    Python form run on a symbolic float64 scalar with pytensor's math (math.log -> pt.log, ...)."""
    import pytensor
    import pytensor.tensor as pt
    sym = type("PtMath", (), {k: staticmethod(getattr(pt, k)) for k in
                              ("log", "exp", "log1p", "expm1", "sqrt", "erf", "erfc")})
    t = pt.dscalar("x")
    g = dict(pyf.__globals__, math=sym)
    try:
        expr = type(pyf)(pyf.__code__, g)(t)
        return float(pytensor.function([t], expr)(x))
    except Exception as e:  # noqa: BLE001
        return e


if __name__ == "__main__":
    main()
