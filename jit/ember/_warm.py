"""The Python half of ember-warm (tools/ember-warm.c embeds CPython and calls this).

setup(targets, records) imports each target (a module name, a package, whose
submodules are imported too, a package directory, or a script path) and
builds the work list: every signature that each ember.jit function of those
modules declares, then every signature of EMBER_RECORD files that names one
of them (lines "module<TAB>qualname<TAB>(argument types)"; module __main__
stands for the scripts given).  The list is the same in every process given
the same arguments, so -j workers address items by index.  run(i) compiles
item i into the cache.  ember-warm sets EMBER_CACHE=1 (functions that leave
cache= unset are cached) and EMBER_WARM=1 (declared signatures are not
compiled at import, so that one failing signature does not stop the import).
"""
import importlib
import importlib.util
import os
import pkgutil
import sys
import time

import ember
from ember import Dispatcher, _parse_signature

_items = []          # (module, qualname, sigtext, argcodes, retcode, source, dispatcher)
_notes = []
_scripts = set()     # module names given to scripts


def _import_script(path, n):
    path = os.path.abspath(path)
    name = f"__ember_warm_script{n}__"
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    _scripts.add(name)
    return [mod]


def _import_package(mod):
    """'mod' and, for a package, every submodule."""
    mods = [mod]
    for info in pkgutil.walk_packages(getattr(mod, "__path__", []), mod.__name__ + "."):
        mods.append(importlib.import_module(info.name))
    return mods


def _import_target(t, n):
    if t.endswith(".py") or os.path.isfile(t):
        return _import_script(t, n)
    if os.path.isdir(t):
        t = os.path.abspath(t.rstrip("/"))
        sys.path.insert(0, os.path.dirname(t))
        return _import_package(importlib.import_module(os.path.basename(t)))
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    return _import_package(importlib.import_module(t))


def _dispatchers(mod):
    """ember.jit functions defined in 'mod' (module level and one level into classes)."""
    out = []
    for v in list(vars(mod).values()):
        cands = [v]
        if isinstance(v, type) and getattr(v, "__module__", None) == mod.__name__:
            cands = [getattr(x, "__func__", x) for x in vars(v).values()]
        for c in cands:
            if isinstance(c, Dispatcher) and getattr(c, "__module__", None) == mod.__name__:
                out.append(c)
    return out


def _add(disp, sigtext, args, ret, source, seen):
    k = (id(disp), args)
    if k in seen:
        return
    seen.add(k)
    _items.append((disp.__module__, disp.__qualname__, sigtext, args, ret, source, disp))


def _read_records(paths):
    recs = []
    for p in paths:
        try:
            with open(p, encoding="utf-8") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) == 3:
                        recs.append(tuple(parts))
        except OSError as e:
            raise SystemExit(f"ember-warm: cannot read the record file {p}: {e.strerror}")
    return recs


def setup(targets, records):
    """Import the targets and build the work list; returns its length."""
    mods = []
    for n, t in enumerate(targets):
        mods += _import_target(t, n)
    disps, seen = [], set()
    for m in mods:
        for d in _dispatchers(m):
            if id(d) not in {id(x) for x in disps}:
                disps.append(d)
    for d in disps:
        for sig in getattr(d, "_ember_signatures", ()):
            try:
                args, ret = _parse_signature(sig)
            except TypeError as e:
                _items.append((d.__module__, d.__qualname__, str(sig), None, str(e), "declared", d))
                continue
            _add(d, sig, args, ret, "declared", seen)
    byname = {(d.__module__, d.__qualname__): d for d in disps}
    for module, qualname, sig in _read_records(records):
        d = byname.get((module, qualname))
        if d is None and module == "__main__":
            d = next((x for x in disps if x.__module__ in _scripts and x.__qualname__ == qualname), None)
        if d is None and module not in ("__main__", "?") and module not in sys.modules:
            try:
                for m in _import_package(importlib.import_module(module)):
                    for x in _dispatchers(m):
                        byname.setdefault((x.__module__, x.__qualname__), x)
                d = byname.get((module, qualname))
            except Exception as e:   # noqa: BLE001 - reported, the rest goes on
                _notes.append(f"recorded module {module} does not import: {type(e).__name__}: {e}")
                continue
        if d is None:
            _notes.append(f"recorded {module}.{qualname}{sig} names no ember.jit function of the targets")
            continue
        try:
            args, _ = _parse_signature(sig)
        except TypeError as e:
            _notes.append(f"recorded {module}.{qualname}: {e}")
            continue
        _add(d, sig, args, None, "recorded", seen)
    without = [d for d in disps if not any(it[6] is d for it in _items)]
    if without:
        names = ", ".join(f"{d.__module__}.{d.__qualname__}" for d in without[:5])
        more = f" and {len(without) - 5} more" if len(without) > 5 else ""
        _notes.append(f"{len(without)} functions have no declared or recorded signature: {names}{more}")
    return len(_items)


def item(i):
    """(module, qualname, signature text, source) of item 'i'."""
    m, q, s, _, _, src, _ = _items[i]
    return (m, q, s, src)


def notes():
    return list(_notes)


def run(i):
    """Compile item 'i' into the cache: (status, seconds, message); status is
    compiled, cached (it was there), skipped (cache=False) or failed."""
    _, _, _, args, ret, _, d = _items[i]
    if args is None:
        return ("failed", 0.0, ret)
    if not d.cache:
        return ("skipped", 0.0, "cache=False")
    st = d.stats
    c0, h0 = st["compilations"], st["cache_hits"]
    t = time.perf_counter()
    try:
        d._compile(args, ret)
    except Exception as e:   # noqa: BLE001 - reported in the summary
        msg = str(e) if isinstance(e, ember.CompileError) else f"{type(e).__name__}: {e}"
        return ("failed", time.perf_counter() - t, msg)
    dt = time.perf_counter() - t
    st = d.stats
    if st["compilations"] > c0:
        return ("compiled", dt, "")
    return ("cached", dt, "" if st["cache_hits"] > h0 else "already compiled in this process")
