"""ember.vectorize: Numba's @vectorize, a scalar Python function made a NumPy ufunc.

    @ember.vectorize(["float64(float64, float64)", "float32(float32, float32)"])
    def rel(a, b):
        return abs(a - b) / (abs(a) + abs(b) + 1e-300)

Each signature becomes one loop of a real ``np.ufunc``: the function is
compiled with ember.jit, and per loop a generated kernel

    def _vloop(a0, a1, out):
        for i in range(out.shape[0]):
            out[i] = f(a0[i], a1[i])

is compiled over 1-D arrays of those dtypes, contiguous and strided
(boundscheck=False; LLVM inlines ``f``, compiled in the same module).  jit/vectorize.c builds the ufunc, whose
inner loop calls the kernel's native entry on NumPy's (data, length, stride)
of each operand.  NumPy does the rest: broadcasting, ``out=``, casting to the
first loop that fits, ``reduce``/``accumulate``/``outer``/``at``.

Without signatures (``@ember.vectorize``) the result is a DUFunc: each call
with input dtypes it has no loop for compiles one (the result dtype is the
compiled function's) and rebuilds ``.ufunc`` with every loop so far.

What differs from Numba: the function sees the loop's NumPy scalars with
CPython's semantics for them (``float(x) / 0.0`` raises ZeroDivisionError,
``x / 0.0`` of an np.float64 is inf), and NumPy adds no RuntimeWarning of
its own; one output; signatures take the scalar types of ember.jit's (no
float16); with ``cache=True`` each function is its own object file, so the
loop calls the function instead of inlining it (several times slower on
arithmetic that would vectorize).
"""

import numpy as np

from . import _DTYPE_CHARS, Dispatcher, _parse_signature, jit
from ._ember import make_ufunc

_OPTIONS = ("identity", "target", "nopython", "forceobj", "cache", "fastmath", "error_model")

# NumPy's PyUFunc_Zero, PyUFunc_One, PyUFunc_None, PyUFunc_ReorderableNone.
_IDENTITIES = {0: 0, 1: 1, None: -1, "reorderable": -2}

# A scalar type code of ember's signatures (jit/jit.h) -> its dtype char; 'N' x is x.
_SCALAR_DCHARS = {"f": "d", "i": "q", "b": "?", "c": "D"}

_DCHAR_NAMES = {c: n for n, c in reversed(list(_DTYPE_CHARS.items()))}


def _check_options(options):
    for k in options:
        if k not in _OPTIONS:
            raise TypeError(f"vectorize() got an unexpected option {k!r}; the options are {', '.join(_OPTIONS)}")
    target = options.get("target", "cpu")
    if target not in ("cpu", "parallel"):
        raise ValueError(f"ember.vectorize: target {target!r} is not supported; Ember compiles for 'cpu' "
                         f"('parallel' is accepted and runs serially)")
    if options.get("forceobj"):
        raise ValueError("ember.vectorize: forceobj=True (object mode) is not supported; Ember always compiles")
    identity = options.get("identity")
    if isinstance(identity, bool) or (identity not in _IDENTITIES):
        raise ValueError(f"identity must be 0, 1, None or 'reorderable', not {identity!r}")
    return _IDENTITIES[identity]


def _jit_options(options):
    return {k: options[k] for k in ("cache", "fastmath", "error_model") if k in options}


def _code_dchar(code, sig):
    """The dtype char of scalar type code 'code' of signature 'sig'."""
    if code in _SCALAR_DCHARS:
        return _SCALAR_DCHARS[code]
    if len(code) == 2 and code[0] == "N":
        return code[1]
    raise TypeError(f"vectorize signature {sig!r}: arguments and result are scalar types such as float64 or int32")


def _sig_dchars(sig):
    """"float64(float64, int32)" -> "did": the dtype chars of the inputs, then of the result."""
    args, ret = _parse_signature(sig)
    if ret is None:
        raise TypeError(f"vectorize signature {sig!r} needs a result type: 'float64(float64, float64)'")
    codes, i, s = [], 0, args.decode("latin-1")
    while i < len(s):
        n = 2 if s[i] == "N" else 1
        codes.append(s[i:i + n])
        i += n
    if not codes:
        raise TypeError(f"vectorize signature {sig!r} has no arguments")
    return "".join(_code_dchar(c, sig) for c in codes) + _code_dchar(ret.decode("latin-1"), sig)


def _dtype_dchar(dt):
    """The dtype char of NumPy dtype 'dt', in native byte order as NumPy casts it (TypeError if
    Ember has no such array dtype)."""
    c = _DTYPE_CHARS.get(dt.newbyteorder("=").name) if dt.kind in "biufc" else None
    if c is None:
        raise TypeError(f"ember.vectorize: inputs of dtype {dt} are not supported")
    return c


class _Kernels:
    """The compiled loop kernels of scalar function 'func' with 'nin' inputs.

    The kernels of contiguous and of strided arrays and the probe of result types each call
    their own ember.jit of 'func', with options that change its content key (jit/cache.c)
    but not its types: a callee compiled before its caller is linked, not inlined, so each
    kernel gets a fresh callee compiled in its own module, where LLVM inlines it."""

    def __init__(self, func, nin, name, options):
        params = ", ".join(f"a{k}" for k in range(nin))
        items = ", ".join(f"a{k}[i]" for k in range(nin))
        src = (f"def _vloop({params}, out):\n    for i in range(out.shape[0]):\n        out[i] = f({items})\n"
               f"def _vprobe({params}):\n    return f({', '.join(f'a{k}[0]' for k in range(nin))})\n")
        variants = {"C": {}, "A": {"boundscheck": False},
                    "probe": {"boundscheck": False, "rewrites": {"exclude": ["log_softmax"]}}}
        self.kernels = {}
        for lay, extra in variants.items():
            env = {"f": jit(**options, **extra)(func), "__name__": getattr(func, "__module__", None)}
            exec(compile(src, f"<ember.vectorize {name}>", "exec"), env)
            k = env["_vprobe" if lay == "probe" else "_vloop"]
            k.__qualname__ = f"{name}.<vectorize {'probe' if lay == 'probe' else 'loop'}>"
            self.kernels[lay] = jit(boundscheck=False, **options)(k)
        self.name = name
        self.nin = nin

    def compile(self, dchars):
        """The loop for dtype chars 'dchars' (inputs, then result): (strided kernel, its key,
        contiguous kernel, its key, typenums)."""
        loop = []
        for lay in "AC":
            key = "".join(f"A{c}1{lay}" for c in dchars).encode()
            self.kernels[lay]._compile(key, None)
            loop += [self.kernels[lay], key]
        return (*loop, bytes(np.dtype(_DCHAR_NAMES[c]).num for c in dchars))

    def result_dchar(self, in_dchars):
        """The dtype char of what the function returns for inputs of dtype chars 'in_dchars'."""
        sig = self.kernels["probe"]._compile("".join(f"A{c}1A" for c in in_dchars).encode(), None)
        ret = sig[:sig.index("(array(")]
        if ret not in _DTYPE_CHARS:
            raise TypeError(f"ember.vectorize: {self.name}() returns {ret} for inputs of dtypes "
                            f"{', '.join(_DCHAR_NAMES[c] for c in in_dchars)}; a ufunc here returns one number")
        return _DTYPE_CHARS[ret]


def _python_function(func):
    """'func', or the Python function of an ember.jit dispatcher."""
    return func.py_func if isinstance(func, Dispatcher) else func


def _nin(func):
    code = getattr(func, "__code__", None)
    if code is None:
        raise TypeError(f"ember.vectorize needs a Python function, not {type(func).__name__}")
    return code.co_argcount


def _build(func, kernels, loops, identity):
    doc = func.__doc__ or ""
    return make_ufunc(func.__name__, doc, kernels.nin, identity, loops)


def _eager(func, sigs, options):
    identity = _check_options(options)
    func = _python_function(func)
    dchars = [_sig_dchars(s) for s in sigs]
    nin = _nin(func)
    for s, d in zip(sigs, dchars):
        if len(d) - 1 != nin:
            raise TypeError(f"vectorize signature {s!r} has {len(d) - 1} arguments but {func.__name__}() takes {nin}")
    firsts = {}
    for d in dchars:
        firsts.setdefault(d[:-1], d)   # one loop per input dtypes: the first signature's
    kernels = _Kernels(func, nin, func.__name__, _jit_options(options))
    return _build(func, kernels, [kernels.compile(d) for d in firsts.values()], identity)


class DUFunc:
    """A ufunc compiled lazily, as Numba's DUFunc: each call, reduce, accumulate, outer or at
    with input dtypes it has no loop for compiles one; ``.ufunc`` is the np.ufunc of the loops
    so far (None before the first), and the other ufunc attributes are read from it."""

    def __init__(self, func, options):
        self._identity = _check_options(options)
        func = _python_function(func)
        self._func = func
        self._kernels = _Kernels(func, _nin(func), func.__name__, _jit_options(options))
        self._loops = {}      # input dtype chars -> _Kernels.compile's loop
        self.ufunc = None
        self.__name__ = func.__name__
        self.__qualname__ = getattr(func, "__qualname__", func.__name__)
        self.__doc__ = func.__doc__
        self.__wrapped__ = func

    @property
    def nin(self):
        return self._kernels.nin

    nout = 1

    @property
    def nargs(self):
        return self.nin + 1

    @property
    def identity(self):
        return {0: 0, 1: 1}.get(self._identity)

    def __getattr__(self, name):
        if name.startswith("__") or self.__dict__.get("ufunc") is None:
            raise AttributeError(name)
        return getattr(self.ufunc, name)

    def __repr__(self):
        return f"<ember.vectorize DUFunc {self.__name__!r} with {len(self._loops)} loops>"

    def add(self, sig):
        """Compile the loop of signature 'sig' ("float64(float64, float64)") now, as Numba's DUFunc.add;
        its result type is the signature's."""
        d = _sig_dchars(sig)
        if len(d) - 1 != self.nin:
            raise TypeError(f"vectorize signature {sig!r} has {len(d) - 1} arguments but {self.__name__}() "
                            f"takes {self.nin}")
        self._add(d[:-1], d)

    def _add(self, ins, dchars):
        self._loops[ins] = self._kernels.compile(dchars)
        self.ufunc = _build(self._func, self._kernels, list(self._loops.values()), self._identity)

    def _ensure(self, operands):
        """Compile the loop of the dtypes of 'operands' if missing; the ufunc."""
        ins = "".join(_dtype_dchar(np.asarray(o).dtype) for o in operands)
        if ins not in self._loops:
            self._add(ins, ins + self._kernels.result_dchar(ins))
        return self.ufunc

    def __call__(self, *args, **kwargs):
        if len(args) < self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} positional arguments but {len(args)} were given")
        return self._ensure(args[:self.nin])(*args, **kwargs)

    def reduce(self, array, *args, **kwargs):
        return self._ensure((array, array)).reduce(array, *args, **kwargs)

    def accumulate(self, array, *args, **kwargs):
        return self._ensure((array, array)).accumulate(array, *args, **kwargs)

    def reduceat(self, array, *args, **kwargs):
        return self._ensure((array, array)).reduceat(array, *args, **kwargs)

    def outer(self, a, b, **kwargs):
        return self._ensure((a, b)).outer(a, b, **kwargs)

    def at(self, a, indices, b=None):
        ops = (a,) if b is None else (a, b)
        uf = self._ensure(ops)
        return uf.at(a, indices) if b is None else uf.at(a, indices, b)


def vectorize(ftylist_or_function=None, /, **options):
    """Numba's @vectorize: the scalar function becomes a NumPy ufunc.

    Forms: ``@vectorize(["float64(float64, float64)", "float32(float32, float32)"])`` and
    ``@vectorize("int64(int64)")`` give an ``np.ufunc`` with one loop per signature, in
    that order (NumPy casts inputs same_kind to the first that fits); ``@vectorize`` and
    ``@vectorize(identity=...)`` without signatures give a ``DUFunc`` that compiles a loop
    per new input dtypes.  Options: ``identity`` (0, 1, None or "reorderable": the
    identity of reduce), ``target`` ("cpu"; "parallel" is accepted and runs serially),
    ``nopython`` (accepted: Ember always compiles), ``cache``, ``fastmath``,
    ``error_model`` (as ember.jit's).  Errors in the function raise from the ufunc call.
    """
    _check_options(options)
    arg = ftylist_or_function
    if isinstance(arg, str):
        arg = [arg]
    if arg is None or (isinstance(arg, (list, tuple)) and not arg):
        return lambda func: DUFunc(func, options)
    if isinstance(arg, (list, tuple)):
        sigs = tuple(arg)
        return lambda func: _eager(func, sigs, options)
    return DUFunc(arg, options)
