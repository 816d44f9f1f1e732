/* frontend/dicts.c: dict displays and del statements.
 *
 * `{k: v, ...}` (BUILD_MAP of the pairs on the stack) and `{1: a, 2: b}`
 * (BUILD_CONST_KEY_MAP: the decoder makes the values a tuple and pushes the
 * constant key tuple after it) are DNEW of the pairs key, value, ...: a
 * mutable dict that passes/infer_dict.c types.  `del x[k]` is DDEL, which
 * infer allows only on a dict.  A dict comprehension's MAP_ADD is DSET
 * into its dict.  `**` merges are still refused by the opcode tables.
 */
#include <string.h>

#include "fe.h"

IrRef fe_dict_new(IrFunc *fn, IrBlk b, const IrRef *kv, uint32_t n, int32_t line)
{
  for (uint32_t i = 0; i < 2 * n; i++)
    if (fe_is_marker(fn, kv[i]) != FE_MK_NONE)
      ir_error(fn->ctx, EM_ERR_FLAGS, line, "str keys or values and exceptions in dict displays are not supported");
  return ir_emit(fn, b, IR_DNEW, IRT_ANY, kv, 2 * n, line);
}

IrRef fe_dict_zip(IrFunc *fn, IrBlk b, IrRef vals, IrRef keys, int32_t line)
{
  const IrVal *v = &fn->vals[vals], *k = &fn->vals[keys];
  if (v->op != IR_TUPLE || k->op != IR_TUPLE || v->nargs != k->nargs)
    ir_error(fn->ctx, EM_ERR_BADCODE, line, "BUILD_CONST_KEY_MAP without its key tuple");
  IrRef *kv = ir_alloc(fn->ctx, (2 * v->nargs + 1) * sizeof *kv);
  for (uint32_t i = 0; i < v->nargs; i++) kv[2 * i] = k->args[i], kv[2 * i + 1] = v->args[i];
  return fe_dict_new(fn, b, kv, v->nargs, line);
}

void fe_del_subscr(IrFunc *fn, IrBlk b, IrRef container, IrRef key, int32_t line)
{
  IrRef a[2] = {container, key};
  ir_emit(fn, b, IR_DDEL, IRT_ANY, a, 2, line);
}

void fe_map_add(IrFunc *fn, IrBlk b, IrRef dict, IrRef key, IrRef value, int32_t line)
{
  IrRef a[3] = {dict, key, value};
  ir_emit(fn, b, IR_SETITEM, IRT_ANY, a, 3, line);
}
