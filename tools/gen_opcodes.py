#!/usr/bin/env python3
"""tools/gen_opcodes.py: write frontend/opcodes/pyNNN.def for the running CPython.

Run under each supported interpreter:
    python3.12 tools/gen_opcodes.py > frontend/opcodes/py312.def
    python3.12 tools/gen_opcodes.py --check     # exit 1 if the checked-in file differs

It reads that interpreter's own `opcode`/`dis` data (opname, opmap, hasjrel,
hasjabs, inline cache counts) and writes one X-macro row per opcode:

    FEOP(number, NAME, ncache, jump, stable, sub, "construct")

  ncache     inline CACHE code units that follow the instruction (3.11+)
  jump       NONE, REL (forward, relative to the next instruction after
             its caches), BACK (backward relative), ABS (absolute, 3.10)
  stable     the stable operation the decoder maps it to (FS_<stable>)
  sub        IR opcode suffix for BINARY rows (IR_<sub>), else NOP
  construct  for ERROR rows: the unsupported construct, plural, as the
             compile error names it ("dict displays are not supported")

Opcodes absent from STABLE and ERRORS become UNSUPPORTED: the decoder reports
"bytecode NAME is not supported".  The name -> stable-op mapping below is the
only hand-written part; the numbers, caches and jump kinds come from CPython.
"""
import dis
import opcode
import os
import sys

# Opcode name -> stable operation (and IR op for binary operators).
STABLE = {
    'NOP': 'NOP', 'RESUME': 'NOP', 'CACHE': 'NOP', 'PRECALL': 'NOP',
    'EXTENDED_ARG': 'EXTENDED_ARG',
    'LOAD_FAST': 'LOAD_FAST', 'LOAD_FAST_CHECK': 'LOAD_FAST',
    'LOAD_FAST_LOAD_FAST': 'LOAD_FAST_LOAD_FAST',
    'LOAD_FAST_AND_CLEAR': 'LOAD_FAST_AND_CLEAR',   # 3.12+ inlined comprehensions (PEP 709)
    'STORE_FAST': 'STORE_FAST', 'STORE_FAST_STORE_FAST': 'STORE_FAST_STORE_FAST',
    'STORE_FAST_LOAD_FAST': 'STORE_FAST_LOAD_FAST',
    'LOAD_CONST': 'LOAD_CONST', 'RETURN_CONST': 'RETURN_CONST',
    'LOAD_GLOBAL': 'LOAD_GLOBAL', 'LOAD_NAME': 'LOAD_NAME',
    'LOAD_ATTR': 'LOAD_ATTR', 'LOAD_METHOD': 'LOAD_METHOD', 'PUSH_NULL': 'PUSH_NULL',
    'BINARY_OP': 'BINARY_OP', 'COMPARE_OP': 'COMPARE_OP', 'IS_OP': 'IS_OP',
    'UNARY_NEGATIVE': 'UNARY_NEGATIVE', 'UNARY_POSITIVE': 'UNARY_POSITIVE',
    'UNARY_INVERT': 'UNARY_INVERT', 'UNARY_NOT': 'UNARY_NOT', 'TO_BOOL': 'TO_BOOL',
    'CALL_INTRINSIC_1': 'CALL_INTRINSIC_1',
    'POP_TOP': 'POP_TOP', 'DUP_TOP': 'DUP_TOP', 'DUP_TOP_TWO': 'DUP_TOP_TWO',
    'ROT_TWO': 'ROT_TWO', 'ROT_THREE': 'ROT_THREE', 'ROT_FOUR': 'ROT_FOUR',
    'ROT_N': 'ROT_N', 'COPY': 'COPY', 'SWAP': 'SWAP',
    'BUILD_TUPLE': 'BUILD_TUPLE', 'UNPACK_SEQUENCE': 'UNPACK_SEQUENCE',
    'GET_ITER': 'GET_ITER', 'FOR_ITER': 'FOR_ITER', 'END_FOR': 'END_FOR',
    'JUMP_FORWARD': 'JUMP', 'JUMP_ABSOLUTE': 'JUMP', 'JUMP_BACKWARD': 'JUMP',
    'JUMP_BACKWARD_NO_INTERRUPT': 'JUMP',
    'POP_JUMP_IF_FALSE': 'POP_JUMP_IF_FALSE', 'POP_JUMP_FORWARD_IF_FALSE': 'POP_JUMP_IF_FALSE',
    'POP_JUMP_BACKWARD_IF_FALSE': 'POP_JUMP_IF_FALSE',
    'POP_JUMP_IF_TRUE': 'POP_JUMP_IF_TRUE', 'POP_JUMP_FORWARD_IF_TRUE': 'POP_JUMP_IF_TRUE',
    'POP_JUMP_BACKWARD_IF_TRUE': 'POP_JUMP_IF_TRUE',
    'POP_JUMP_IF_NONE': 'POP_JUMP_IF_NONE', 'POP_JUMP_FORWARD_IF_NONE': 'POP_JUMP_IF_NONE',
    'POP_JUMP_BACKWARD_IF_NONE': 'POP_JUMP_IF_NONE',
    'POP_JUMP_IF_NOT_NONE': 'POP_JUMP_IF_NOT_NONE',
    'POP_JUMP_FORWARD_IF_NOT_NONE': 'POP_JUMP_IF_NOT_NONE',
    'POP_JUMP_BACKWARD_IF_NOT_NONE': 'POP_JUMP_IF_NOT_NONE',
    'JUMP_IF_FALSE_OR_POP': 'JUMP_IF_FALSE_OR_POP', 'JUMP_IF_TRUE_OR_POP': 'JUMP_IF_TRUE_OR_POP',
    'RETURN_VALUE': 'RETURN_VALUE',
    'CALL_FUNCTION': 'CALL_FUNCTION', 'CALL_FUNCTION_KW': 'CALL_FUNCTION_KW',
    'CALL_METHOD': 'CALL_METHOD', 'CALL': 'CALL', 'CALL_KW': 'CALL_KW', 'KW_NAMES': 'KW_NAMES',
    'BINARY_SUBSCR': 'BINARY_SUBSCR', 'STORE_SUBSCR': 'STORE_SUBSCR', 'STORE_ATTR': 'STORE_ATTR', 'BUILD_SLICE': 'BUILD_SLICE',
    'BINARY_SLICE': 'BINARY_SLICE', 'STORE_SLICE': 'STORE_SLICE',
    'RAISE_VARARGS': 'RAISE_VARARGS', 'LOAD_ASSERTION_ERROR': 'LOAD_ASSERTION_ERROR',
    'FORMAT_VALUE': 'FORMAT_VALUE', 'FORMAT_SIMPLE': 'FORMAT_SIMPLE',
    'FORMAT_WITH_SPEC': 'FORMAT_WITH_SPEC', 'CONVERT_VALUE': 'CONVERT_VALUE',
    'BUILD_STRING': 'BUILD_STRING',
    'BUILD_LIST': 'BUILD_LIST', 'LIST_APPEND': 'LIST_APPEND', 'LIST_EXTEND': 'LIST_EXTEND',
    'LIST_TO_TUPLE': 'LIST_TO_TUPLE', 'CONTAINS_OP': 'CONTAINS_OP',
}

# 3.10's one-opcode binary and in-place operators.
BINARY = {
    'ADD': 'ADD', 'SUBTRACT': 'SUB', 'MULTIPLY': 'MUL', 'TRUE_DIVIDE': 'TRUEDIV',
    'FLOOR_DIVIDE': 'FLOORDIV', 'MODULO': 'MOD', 'POWER': 'POW', 'LSHIFT': 'LSHIFT',
    'RSHIFT': 'RSHIFT', 'AND': 'BAND', 'OR': 'BOR', 'XOR': 'BXOR', 'MATRIX_MULTIPLY': 'MATMUL',
}

# Opcode name -> the construct it belongs to (for "... are not supported").
ERRORS = {
    'BUILD_MAP': 'dict displays', 'BUILD_CONST_KEY_MAP': 'dict displays',
    'DICT_MERGE': 'dict displays', 'DICT_UPDATE': 'dict displays', 'MAP_ADD': 'dict displays',
    'BUILD_SET': 'set displays', 'SET_ADD': 'set displays', 'SET_UPDATE': 'set displays',
    'MAKE_CELL': 'closures', 'LOAD_CLOSURE': 'closures', 'LOAD_DEREF': 'closures',
    'STORE_DEREF': 'closures', 'DELETE_DEREF': 'closures', 'COPY_FREE_VARS': 'closures',
    'LOAD_CLASSDEREF': 'closures', 'LOAD_FROM_DICT_OR_DEREF': 'closures',
    'MAKE_FUNCTION': 'nested functions and lambdas',
    'SET_FUNCTION_ATTRIBUTE': 'nested functions and lambdas',
    'SETUP_FINALLY': 'try statements', 'PUSH_EXC_INFO': 'try statements',
    'POP_EXCEPT': 'try statements', 'RERAISE': 'try statements',
    'CHECK_EXC_MATCH': 'try statements', 'CHECK_EG_MATCH': 'try statements',
    'JUMP_IF_NOT_EXC_MATCH': 'try statements', 'PREP_RERAISE_STAR': 'try statements',
    'POP_BLOCK': 'try statements',
    'SETUP_WITH': 'with statements', 'BEFORE_WITH': 'with statements',
    'WITH_EXCEPT_START': 'with statements',
    'SETUP_ASYNC_WITH': 'async constructs', 'BEFORE_ASYNC_WITH': 'async constructs',
    'GET_AITER': 'async constructs', 'GET_ANEXT': 'async constructs',
    'END_ASYNC_FOR': 'async constructs', 'GET_AWAITABLE': 'async constructs',
    'IMPORT_NAME': 'imports', 'IMPORT_FROM': 'imports', 'IMPORT_STAR': 'imports',
    'YIELD_VALUE': 'yield expressions', 'YIELD_FROM': 'yield expressions',
    'GET_YIELD_FROM_ITER': 'yield expressions', 'SEND': 'yield expressions',
    'RETURN_GENERATOR': 'yield expressions', 'GEN_START': 'yield expressions',
    'END_SEND': 'yield expressions', 'CLEANUP_THROW': 'yield expressions',
    'DELETE_SUBSCR': 'del statements',
    'DELETE_ATTR': 'del statements',
    'STORE_GLOBAL': 'global statements', 'DELETE_GLOBAL': 'global statements',
    'STORE_NAME': 'module-level code', 'DELETE_NAME': 'module-level code',
    'DELETE_FAST': 'del statements',
    'UNPACK_EX': 'starred assignments', 'CALL_FUNCTION_EX': 'calls with * or ** arguments',
    'LOAD_BUILD_CLASS': 'class definitions', 'LOAD_SUPER_ATTR': 'super() calls',
    'SETUP_ANNOTATIONS': 'annotations', 'LOAD_LOCALS': 'class definitions',
    'MATCH_CLASS': 'match statements', 'MATCH_KEYS': 'match statements',
    'MATCH_MAPPING': 'match statements', 'MATCH_SEQUENCE': 'match statements',
    'GET_LEN': 'match statements', 'COPY_DICT_WITHOUT_KEYS': 'match statements',
    'PRINT_EXPR': 'interactive code',
    'LOAD_FROM_DICT_OR_GLOBALS': 'class definitions',
}


def cache_counts():
    """Opcode number -> number of inline cache entries."""
    caches = getattr(opcode, '_inline_cache_entries', None)
    out = {}
    if isinstance(caches, dict):          # 3.13: keyed by name
        for name, n in caches.items():
            if name in opcode.opmap:
                out[opcode.opmap[name]] = n
    elif caches is not None:               # 3.11, 3.12: list by number
        for num, n in enumerate(caches):
            out[num] = n
    return out


def stable_of(name):
    """(stable, sub, construct) for opcode 'name'."""
    if name in STABLE:
        return STABLE[name], 'NOP', ''
    for prefix in ('BINARY_', 'INPLACE_'):
        if name.startswith(prefix) and name[len(prefix):] in BINARY:
            return 'BINARY', BINARY[name[len(prefix):]], ''
    if name in ERRORS:
        return 'ERROR', 'NOP', ERRORS[name]
    return 'UNSUPPORTED', 'NOP', ''


def jump_kind(num, name):
    if num in getattr(dis, 'hasjabs', []):
        return 'ABS'
    if num in dis.hasjrel:
        return 'BACK' if 'BACKWARD' in name else 'REL'
    return 'NONE'


def generate():
    ver = '%d.%d.%d' % sys.version_info[:3]
    caches = cache_counts()
    lines = [
        '/* frontend/opcodes/py%d%d.def: CPython %d.%d opcode table.' % (
            sys.version_info[0], sys.version_info[1], sys.version_info[0], sys.version_info[1]),
        ' * Generated by tools/gen_opcodes.py from CPython %s\'s opcode and dis modules.' % ver,
        ' * Do not edit: regenerate with that interpreter.',
        ' * FEOP(number, NAME, ncache, jump, stable, sub, "construct")',
        ' */',
    ]
    rows = sorted((num, name) for name, num in opcode.opmap.items() if num < 256)
    for num, name in rows:
        stable, sub, construct = stable_of(name)
        lines.append('FEOP(%3d, %-34s %d, %-4s %-24s %-9s "%s")' % (
            num, name + ',', caches.get(num, 0), jump_kind(num, name) + ',',
            stable + ',', sub + ',', construct))
    return '\n'.join(lines) + '\n'


def main():
    text = generate()
    if len(sys.argv) > 1 and sys.argv[1] == '--check':
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        path = os.path.join(root, 'frontend', 'opcodes',
                            'py%d%d.def' % sys.version_info[:2])
        try:
            with open(path) as f:
                old = f.read()
        except OSError:
            old = None
        if old != text:
            sys.stderr.write('%s is out of date: run tools/gen_opcodes.py under Python %d.%d\n'
                             % (path, sys.version_info[0], sys.version_info[1]))
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
