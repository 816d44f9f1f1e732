#!/usr/bin/env python3
"""tools/record_fixtures.py: record bytecode fixtures for the frontend tests.

Run under each supported CPython (3.10-3.13):
    python3.12 tools/record_fixtures.py            # writes tests/frontend/fixtures/py312/
It imports tests/frontend/cases.py and writes one <name>.rec per function, in
the text format frontend/record.c (fe_record_parse) reads:

    ember-record 1
    pyversion 312
    name NAME / qualname NAME / filename FILE / firstlineno N / flags N
    argcount N / posonlyargcount N / kwonlyargcount N / stacksize N
    ncells N / nfrees N
    code HEX                      co_code (unspecialized bytes)
    lines L L L ...               source line per code unit, -1 for none
    exctable HEX|-                co_exceptiontable (3.11+)
    consts N, then N const lines  none | bool V | int V | bigint DIGITS |
                                  float HEXFLOAT | complex HEXRE HEXIM |
                                  str HEXUTF8 | tuple N (N const lines follow) |
                                  code NAME nested (the nested code's record
                                  follows, its globals in the outer one's) |
                                  other TYPENAME
    names N, then N lines         co_names
    locals N, then N lines        fast locals: co_varnames, cells, frees (as
                                  jit/capture.c: localsplus on 3.11+)
    globals N, then N lines       NAME KIND [VALUE...]: how each co_names entry
                                  resolves as a module global, as jit/ would:
                                  int V | bigint D | float H | bool V | complex H H |
                                  none | module NAME | builtin QUALNAME |
                                  func ID NAME | exception NAME (builtin) |
                                  userexception NAME | unknown TYPENAME|-
    end
"""
import builtins
import importlib.util
import math
import os
import sys
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILTINS = {'abs', 'min', 'max', 'int', 'float', 'bool', 'complex', 'round',
            'divmod', 'pow', 'range', 'len', 'sum', 'any', 'all'}


def load_cases():
    path = os.path.join(ROOT, 'tests', 'frontend', 'cases.py')
    spec = importlib.util.spec_from_file_location('cases', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def const_lines(c, out):
    if c is None:
        out.append('none')
    elif isinstance(c, bool):
        out.append('bool %d' % c)
    elif isinstance(c, int):
        out.append(('int %d' if -2**63 <= c < 2**63 else 'bigint %d') % c)
    elif isinstance(c, float):
        out.append('float %s' % c.hex())
    elif isinstance(c, complex):
        out.append('complex %s %s' % (c.real.hex(), c.imag.hex()))
    elif isinstance(c, str):
        out.append('str %s' % (c.encode('utf-8', 'surrogatepass').hex() or '-'))
    elif isinstance(c, tuple):
        out.append('tuple %d' % len(c))
        for e in c:
            const_lines(e, out)
    elif isinstance(c, types.CodeType):
        out.append('code %s nested' % c.co_name)
        out += code_record(c, [])
    else:
        out.append('other %s' % type(c).__name__)


def code_lines(co):
    """Source line of each code unit, from co_lines()."""
    lines = [-1] * (len(co.co_code) // 2)
    for start, end, line in co.co_lines():
        for i in range(start // 2, end // 2):
            lines[i] = -1 if line is None else line
    return lines


def global_line(name, g, funcs):
    if name in g:
        v = g[name]
    elif hasattr(builtins, name):
        v = getattr(builtins, name)
        if name in BUILTINS:
            return '%s builtin %s' % (name, name)
        if isinstance(v, type) and issubclass(v, BaseException):
            return '%s exception %s' % (name, name)
        return '%s unknown %s' % (name, type(v).__name__)
    else:
        return '%s unknown -' % name
    if isinstance(v, bool):
        return '%s bool %d' % (name, v)
    if isinstance(v, int):
        if -2**63 <= v < 2**63:
            return '%s int %d' % (name, v)
        return '%s bigint %d' % (name, v)
    if isinstance(v, float):
        return '%s float %s' % (name, v.hex())
    if isinstance(v, complex):
        return '%s complex %s %s' % (name, v.real.hex(), v.imag.hex())
    if v is None:
        return '%s none' % name
    if isinstance(v, type) and issubclass(v, BaseException):
        builtin = getattr(builtins, v.__name__, None) is v
        return '%s %s %s' % (name, 'exception' if builtin else 'userexception', v.__name__)
    if isinstance(v, types.ModuleType) and v.__name__ in ('math', 'numpy'):
        return '%s module %s' % (name, v.__name__)
    if isinstance(v, types.FunctionType) and v.__name__ in funcs:
        return '%s func %d %s' % (name, funcs[v.__name__], v.__name__)
    return '%s unknown %s' % (name, type(v).__name__)


def all_names(co):
    """co_names of 'co' and the code objects nested in it, each once."""
    out = list(co.co_names)
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            out += [n for n in all_names(c) if n not in out]
    return out


def record(fn, funcs):
    names = all_names(fn.__code__)
    globs = [global_line(n, fn.__globals__, funcs) for n in names]
    return '\n'.join(code_record(fn.__code__, globs)) + '\n'


def code_record(co, globs):
    """The record lines of code object 'co' with global lines 'globs'."""
    if sys.version_info >= (3, 11):   # localsplus: a cell of an argument shares its slot
        localnames = co.co_varnames + tuple(c for c in co.co_cellvars if c not in co.co_varnames) + co.co_freevars
    else:
        localnames = co.co_varnames + co.co_cellvars + co.co_freevars
    out = ['ember-record 1',
           'pyversion %d%d' % sys.version_info[:2],
           'name %s' % co.co_name,
           'qualname %s' % getattr(co, 'co_qualname', co.co_name),
           'filename cases.py',
           'firstlineno %d' % co.co_firstlineno,
           'flags %d' % co.co_flags,
           'argcount %d' % co.co_argcount,
           'posonlyargcount %d' % co.co_posonlyargcount,
           'kwonlyargcount %d' % co.co_kwonlyargcount,
           'stacksize %d' % co.co_stacksize,
           'ncells %d' % len(co.co_cellvars),
           'nfrees %d' % len(co.co_freevars),
           'code %s' % co.co_code.hex(),
           'lines %s' % ' '.join(str(x) for x in code_lines(co)),
           'exctable %s' % (getattr(co, 'co_exceptiontable', b'').hex() or '-')]
    consts = []
    for c in co.co_consts:
        const_lines(c, consts)
    out.append('consts %d' % len(co.co_consts))
    out += consts
    out.append('names %d' % len(co.co_names))
    out += list(co.co_names)
    out.append('locals %d' % len(localnames))
    out += list(localnames)
    out.append('globals %d' % len(globs))
    out += globs
    out.append('end')
    return out


def main():
    mod = load_cases()
    fns = [v for v in vars(mod).values()
           if isinstance(v, types.FunctionType) and v.__module__ == mod.__name__]
    funcs = {f.__name__: i + 1 for i, f in enumerate(fns)}
    outdir = os.path.join(ROOT, 'tests', 'frontend', 'fixtures', 'py%d%d' % sys.version_info[:2])
    os.makedirs(outdir, exist_ok=True)
    for f in fns:
        with open(os.path.join(outdir, f.__name__ + '.rec'), 'w') as fh:
            fh.write(record(f, funcs))
    with open(os.path.join(outdir, 'INDEX'), 'w') as fh:
        fh.write(''.join(f.__name__ + '\n' for f in fns))
    print('wrote %d fixtures to %s' % (len(fns), outdir))


if __name__ == '__main__':
    main()
