"""Ember: a JIT compiler for numeric Python.

    import ember

    @ember.jit
    def gcd(a, b):
        while b:
            a, b = b, a % b
        return abs(a)

    gcd(48, 18)            # compiled for (int64, int64) on the first call
    gcd.signatures         # ['int64(int64, int64)']
    print(gcd.inspect_ir(after="infer"))

Type names (signatures, messages): ``int64`` is a Python ``int`` held in 64
bits (checked: a result that does not fit reruns the call in the
interpreter), ``float64`` a ``float``, ``bool``, ``complex128`` a
``complex``, ``none`` is ``None``; tuples are written ``(int64, float64)``.

Errors: ``CompileError`` (a subclass of ``Exception``) and under it
``UnsupportedError`` (a construct Ember does not compile) and
``TypingError`` (types that do not fit), with messages such as
``cannot compile gcd (demo.py:5): dict displays are not supported``.
Errors raised by compiled code are CPython's own exceptions; their
traceback gets an entry for the source line and, on 3.11+, a note naming
the compiled function.

``import ember`` loads neither LLVM nor NumPy: LLVM starts on the first
compilation.

NumPy arrays.  An array argument of a numeric dtype (bool, int8..uint64,
float16 (whose elements are read and written as float32 values), float32,
float64, complex64, complex128), any number of dimensions and any
strides is typed by dtype, ndim and layout (C, F or any: ``array(float64,
2d, C)``; a read-only array is a type of its own, and writing to it is a
``TypingError``).  Compiled code indexes (``a[i, j]``, negative indices,
slices giving views, ``a[i] = v``, ``a[1:3] = b``), iterates (``for x in
a``, ``enumerate``, ``zip``), reads ``shape ndim size dtype T strides``,
calls the methods and NumPy functions of ``ember._lib`` (sum, prod, min,
max, mean, argmin, argmax, cumsum, dot, copy, fill, astype, reshape,
np.empty, zeros, ones, full, the ``_like`` forms, arange, linspace, eye)
and returns arrays, alone or in tuples, as NumPy arrays that own their
memory (or views keeping an argument alive).  An index out of range raises
NumPy's ``IndexError``; ``boundscheck=False`` only wraps negative indices.
NumPy scalars (``np.float32(1.5)``) are typed as their dtype and follow
NumPy's arithmetic (NEP 50 promotion, wrapping integers).  Differences from
NumPy, all because Python's float, complex and bool are NumPy's float64,
complex128 and bool here: such results come back as Python floats,
complexes and bools; their arithmetic is Python's (``x / 0.0`` raises
ZeroDivisionError, ``True + True`` is 2); a float64 variable that is not a
constant or a Python float argument is not "weak" against float32 (it
promotes to float64).  Whole-array operations (``x - m``, ``np.exp(x)``,
comparisons, ``np.where``, ``np.minimum``, ``np.clip``, ...) follow NumPy's
broadcasting and dtypes; each tree of them is fused into one loop with no
temporary array (a float ``sum``/``mean`` of a tree into one reduction), and
a dead array made in the function may take the result in place;
``a += b`` writes into ``a`` as NumPy does.

The on-disk cache.  ``@ember.jit(cache=True)`` stores the object code of
each signature it compiles under ``$EMBER_CACHE_DIR`` (default
``$XDG_CACHE_HOME/ember``, else ``~/.cache/ember``), and a later process
loads it instead of compiling (no frontend, passes or LLVM optimizer: the
object file is linked into the JIT).  The default, ``cache=None``, follows
the environment: caching is on when ``EMBER_CACHE=1`` and off otherwise,
so a service turns it on for every function without editing code;
``cache=False`` is always off.  The callees a cached function calls are
cached with it.  An entry's key is a hash of everything that decides its
code: Ember's build, the CPython, LLVM and host CPU, the function's
bytecode, constants and names, the current values of the globals it names
(numbers are frozen into the code), its defaults, the callees' own keys,
the argument types and the options; editing any of them compiles afresh.
A damaged or foreign entry is ignored with one ``ember.CacheWarning`` and
rewritten; an unwritable directory gives one ``CacheWarning`` and the
process compiles in memory.  ``EMBER_CACHE_MAX_MB`` (default 256) bounds
the directory; the least recently used entries go first.
``python -m ember cache [list|clear [PATTERN]|dir]`` shows and clears it.
``EMBER_RECORD=path`` appends each signature a process compiles or loads
to ``path``; the ``ember-warm`` program compiles those and the declared
signatures of the modules it imports into the cache before a service
starts.  ``f.stats["cache_hits"]`` counts the signatures ``f`` got without
compiling.
"""

import os as _os

from ._ember import (CacheWarning, CompileError, Dispatcher, TypingError, UnsupportedError,
                     __version__)
from ._ember import cache_dir as _cache_dir
from ._ember import phases as _phases
from ._ember import rewrites as _rewrites

__all__ = ["jit", "rewrites", "CompileError", "UnsupportedError", "TypingError", "CacheWarning", "Dispatcher",
           "cache_dir", "prange", "vectorize", "__version__"]

_OPTIONS = ("cache", "fastmath", "boundscheck", "rewrites", "error_model", "parallel")

# Numba's prange: a range.  Compiled loops over it run serially (Ember has no
# threads yet), and jit(parallel=True) is accepted and ignored for the same reason.
prange = range


def rewrites():
    """Every named rewrite, in pipeline order: a list of dicts with ``name``,
    ``phase`` (canonicalize, simplify, stabilize) and ``description``.  Turn
    some off with ``@ember.jit(rewrites={"exclude": [name, ...]})``; see which
    fired in ``f.stats["rewrites"][signature]``."""
    return [{"name": n, "phase": p, "description": d} for n, p, d in _rewrites()]


def _rewrite_exclude(value):
    """The names to exclude from rewrites={"exclude": [...]} (ValueError on unknown ones)."""
    if value is None:
        return ()
    if not isinstance(value, dict) or set(value) - {"exclude"}:
        raise ValueError('rewrites= takes a dict {"exclude": [rewrite names]}')
    names = value.get("exclude", ())
    if isinstance(names, str):
        names = (names,)
    names = tuple(names)
    valid = [n for n, _, _ in _rewrites()]
    bad = [n for n in names if n not in valid]
    if bad:
        raise ValueError(f"unknown rewrite {bad[0]!r}; the rewrites are: {', '.join(valid)}")
    return names

_TYPE_CODES = {
    "int64": "i", "int": "i", "i8": "i", "intp": "i", "int_": "i",
    "float64": "f", "float": "f", "double": "f", "f8": "f", "float_": "f",
    "bool": "b", "boolean": "b", "b1": "b", "bool_": "b",
    "complex128": "c", "complex": "c", "c16": "c",
    "none": "n", "None": "n", "void": "n",
}

# Array element types of signatures (Numba's names and abbreviations): jit/array.c's dtype chars.
_DTYPE_CHARS = {
    "bool": "?", "boolean": "?", "b1": "?", "bool_": "?", "int8": "b", "i1": "b", "int16": "h", "i2": "h",
    "int32": "i", "i4": "i", "int64": "q", "i8": "q", "intp": "q", "int_": "q", "uint8": "B", "u1": "B",
    "uint16": "H", "u2": "H", "uint32": "I", "u4": "I", "uint64": "Q", "u8": "Q", "uintp": "Q",
    "float16": "e", "f2": "e", "float32": "f", "f4": "f", "float64": "d", "f8": "d", "double": "d", "float_": "d",
    "complex64": "F", "c8": "F", "complex128": "D", "c16": "D",
}

# The other NumPy scalar types of a signature ("int32(int32, f4)"): 'N' and the dtype
# char, as the dispatcher keys an np.int32 argument (jit/array.c)
for _n, _c in _DTYPE_CHARS.items():
    if _c not in "?qde" and _n not in _TYPE_CODES:
        _TYPE_CODES[_n] = "N" + _c
del _n, _c


def _parse_dims(s, i, name):
    """Parse Numba's "[:, ::1]" at s[i:] after dtype 'name': the array code 'A' dtype ndim layout.

    Every axis ':' is any layout; '::1' last (and ':' elsewhere) C-contiguous;
    '::1' first of several F-contiguous."""
    j = s.find("]", i)
    if j < 0 or name not in _DTYPE_CHARS:
        raise TypeError(f"malformed array type in signature {s!r}")
    axes = [a.replace(" ", "") for a in s[i + 1:j].split(",")]
    if not 1 <= len(axes) <= 9 or any(a not in (":", "::1") for a in axes):
        raise TypeError(f"malformed array type {s[i - len(name):j + 1]!r}: axes are ':' or '::1'")
    ones = [k for k, a in enumerate(axes) if a == "::1"]
    if not ones:
        layout = "A"
    elif ones == [len(axes) - 1]:
        layout = "C"
    elif ones == [0]:
        layout = "F"
    else:
        raise TypeError(f"array type {s[i - len(name):j + 1]!r}: only the first or the last axis can be '::1'")
    return "A" + _DTYPE_CHARS[name] + str(len(axes)) + layout, j + 1


def _parse_literal(s, i):
    """Parse "['text']" at s[i:] (after Literal, as signatures print a str argument: \\ \' and
    \\xHH escaped): the code 'S', the UTF-8 length and the text (jit/typeof.c)."""
    if not s.startswith("['", i):
        raise TypeError(f"malformed Literal in signature {s!r}: Literal['text']")
    i += 2
    out = []
    while i < len(s) and s[i] != "'":
        if s[i] == "\\" and s.startswith("x", i + 1):
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        elif s[i] == "\\":
            out.append(s[i + 1:i + 2])
            i += 2
        else:
            out.append(s[i])
            i += 1
    if not s.startswith("']", i):
        raise TypeError(f"malformed Literal in signature {s!r}: Literal['text']")
    text = "".join(out)
    if len(text.encode()) > 40 or "\0" in text:   # jit/jit.h EM_STRMAX
        raise TypeError(f"Literal in signature {s!r}: a str literal has at most 40 bytes and no NUL")
    return "S" + chr(len(text.encode())) + text, i + 2


def _parse_type(s, i):
    """Parse one type name, array type or tuple at s[i:]; returns (code, next index)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] == "(":
        codes, i = _parse_list(s, i)
        return "(" + "".join(codes) + ")", i
    j = i
    while j < len(s) and (s[j].isalnum() or s[j] == "_"):
        j += 1
    name = s[i:j]
    k = j
    while k < len(s) and s[k] == " ":
        k += 1
    if k < len(s) and s[k] == "[":
        if name == "Literal":
            return _parse_literal(s, k)
        return _parse_dims(s, k, name)
    if name not in _TYPE_CODES:
        raise TypeError(f"unknown type {name!r} in signature {s!r}; "
                        f"known: {', '.join(sorted(_TYPE_CODES))}")
    return _TYPE_CODES[name], j


def _parse_list(s, i):
    """Parse "(t, t, ...)" at s[i:]; returns (list of codes, next index)."""
    assert s[i] == "("
    i += 1
    codes = []
    while True:
        while i < len(s) and s[i] == " ":
            i += 1
        if i < len(s) and s[i] == ")":
            return codes, i + 1
        code, i = _parse_type(s, i)
        codes.append(code)
        while i < len(s) and s[i] == " ":
            i += 1
        if i < len(s) and s[i] == ",":
            i += 1
        elif i >= len(s) or s[i] != ")":
            raise TypeError(f"malformed signature {s!r}")


def _parse_signature(sig):
    """"float64(float64, int64)" -> (b"fi", b"f"); "(int64,)" -> (b"i", None)."""
    if not isinstance(sig, str):
        raise TypeError(f"a signature is a string such as 'float64(float64, int64)', not {type(sig).__name__}")
    s = sig.strip()
    if s.startswith("("):
        first, i = _parse_list(s, 0)
        rest = s[i:].strip()
        if not rest:
            return "".join(first).encode(), None
        ret = "(" + "".join(first) + ")"
        s2 = rest
    else:
        ret, i = _parse_type(s, 0)
        s2 = s[i:].strip()
    if not s2.startswith("("):
        raise TypeError(f"malformed signature {sig!r}: expected 'ret(args)'")
    args, i = _parse_list(s2, 0)
    if s2[i:].strip():
        raise TypeError(f"malformed signature {sig!r}: text after the argument list")
    return "".join(args).encode(), ret.encode()


def _cache_option(value):
    """cache=None follows EMBER_CACHE (on for 1, true, yes, on)."""
    if value is None:
        return _os.environ.get("EMBER_CACHE", "").strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _npmath_code(options):
    """The dispatcher's npmath: 0 CPython's errors, 1 error_model="numpy", 2 a fused loop of
    ember._lib (its rewrites count in its caller's stats, inspect_ir shows it), 3 a fused
    reduction's driver (counted, not shown)."""
    lib = options.get("_npmath")
    if lib:
        return 3 if lib == "driver" else 2
    return int(options.get("error_model", "python") == "numpy")


def _wrap(func, sigs, options):
    if not callable(func):
        raise TypeError(f"ember.jit needs a function, not {type(func).__name__}")
    disp = Dispatcher(func, fastmath=bool(options.get("fastmath", False)),
                      cache=_cache_option(options.get("cache")),
                      boundscheck=bool(options.get("boundscheck", True)),
                      exclude=_rewrite_exclude(options.get("rewrites")),
                      npmath=_npmath_code(options))
    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(disp, attr, getattr(func, attr))
        except AttributeError:
            pass
    disp.__dict__.update(getattr(func, "__dict__", {}))
    disp.__wrapped__ = func
    disp._ember_signatures = tuple(sigs)
    if _os.environ.get("EMBER_WARM") == "1":   # ember-warm compiles them itself, one by one
        return disp
    for sig in sigs:
        args, ret = _parse_signature(sig)
        disp._compile(args, ret)
    return disp


def jit(signature_or_function=None, /, **options):
    """Compile a function for the argument types it is called with.

    Forms: ``@jit``, ``@jit(fastmath=True)``, ``@jit("float64(float64, int64)")``
    and ``@jit(["int64(int64)", "float64(float64)"])`` (these signatures are
    compiled at once).  Array types use Numba's notation: ``float64[:]`` (1-D,
    any layout), ``float64[::1]`` and ``float64[:, ::1]`` (C-contiguous),
    ``float64[::1, :]`` (Fortran-contiguous), with any array dtype name
    (bool, int8..uint64, float16, float32, float64, complex64, complex128);
    the layout is part of the type, so a C-contiguous argument still
    compiles its own contiguous code when called.  Options: ``cache`` (default None: on when the
    environment has ``EMBER_CACHE=1``; True or False decide for this
    function; see the module documentation), ``fastmath`` (default False),
    ``boundscheck`` (default True: an index outside an array raises
    IndexError; False: negative indices still wrap, nothing is checked),
    ``rewrites`` (``{"exclude": [names]}``: named rewrites of
    ``ember.rewrites()`` that must not run; an unknown name is a ValueError),
    ``error_model`` (``"python"``, the default: float division by zero and
    ``math`` functions outside their domain or range raise as in CPython;
    ``"numpy"``: they give inf or nan as NumPy's functions do, which lets
    loops that call ``math.exp`` or divide vectorize; Numba's option of
    that name), ``parallel`` (accepted and ignored: ``prange`` loops run
    serially, Ember has no threads yet).
    """
    for k in options:
        if k not in _OPTIONS and k != "_npmath":   # _npmath: ember._lib's NumPy loops only
            raise TypeError(f"jit() got an unexpected option {k!r}; the options are {', '.join(_OPTIONS)}")
    _rewrite_exclude(options.get("rewrites"))   # unknown names fail at the decorator
    if options.get("error_model", "python") not in ("python", "numpy"):
        raise ValueError(f"error_model must be 'python' or 'numpy', not {options['error_model']!r}")
    arg = signature_or_function
    if arg is None:
        return lambda func: _wrap(func, (), options)
    if isinstance(arg, str):
        return lambda func: _wrap(func, (arg,), options)
    if isinstance(arg, (list, tuple)):
        sigs = tuple(arg)
        return lambda func: _wrap(func, sigs, options)
    return _wrap(arg, (), options)


def vectorize(ftylist_or_function=None, /, **options):
    """Numba's @vectorize: a scalar function made a NumPy ufunc (ember/_vectorize.py, loaded on first use)."""
    from ._vectorize import vectorize as v
    return v(ftylist_or_function, **options)


def phases():
    """Names accepted by ``inspect_ir(after=...)``, in pipeline order."""
    return _phases()


def cache_dir():
    """The on-disk cache directory this process uses (None without a home directory)."""
    return _cache_dir()
