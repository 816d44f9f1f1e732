/* passes/infer_breadth.c: small forms decided from types at compile time.
 *
 *   isinstance(x, cls)   cls a class or a (nested) tuple of classes: float,
 *                        int, bool, complex, list, numpy.ndarray and NumPy's
 *                        scalar types; the answer is a bool constant from
 *                        x's type (an np.float64 is a float, a bool an int,
 *                        an np.int64 no int), so `if isinstance(...)` keeps
 *                        one branch once simplify folds it.
 *   dtype.kind, .name    of a dtype known here (a.dtype, np.float32(x).dtype):
 *                        `const` of type str"f" (the text in aux.v.s too);
 *   t in s, t not in s   a str literal s, t a literal or dtype.kind/.name: substring test;
 *   s == t, s != t       of str literals (those, and the str constants the
 *                        frontend leaves in such comparisons: frontend/strlit.c):
 *                        by their text; a str and a number are unequal.
 * Rewrites: each becomes a constant.
 */
#include <stdio.h>
#include <string.h>

#include "passes.h"
#include "infer.h"

#define TY(r) infer_T(I, (r))
#define CTX (infer_fn(I)->ctx)
#define TERR(line, ...) ir_errorf(CTX, EM_ERR_TYPES, (line), __VA_ARGS__)

static IrKind kindof(In *I, IrType t) { return ir_type_info(CTX, t)->kind; }

/* Is 'x' an instance of NumPy scalar class 'name' ("numpy.float32")? */
static bool np_instance(In *I, IrRef x, const char *name, int32_t line)
{
  IrType d = infer_array_typeobj(I, name), t = TY(x);
  if (kindof(I, d) != IRK_DTYPE) TERR(line, "isinstance() of %s, which is not a class Ember knows", name);
  IrType s = ir_type_info(CTX, d)->elem[0];
  if (s == IRT_F64) return t == IRT_F64 && !infer_weak(I, x);   /* np.float64 is a float too */
  if (s == IRT_BOOL || s == IRT_C128 || s == IRT_INT)
    TERR(line, "isinstance() of %s (the Python and the NumPy type look the same here)", name);
  return t == s;
}

/* Is 'x' an instance of class (or tuple of classes) 'cls'? */
static bool instance(In *I, IrRef x, IrRef cls, int depth, int32_t line)
{
  const IrVal *c = ir_val(infer_fn(I), cls);
  if (c->op == IR_TUPLE && depth < 16) {
    for (uint32_t i = 0; i < c->nargs; i++)
      if (instance(I, x, c->args[i], depth + 1, line)) return true;
    return false;
  }
  char n[96];
  if (c->op == IR_BUILTIN) snprintf(n, sizeof n, "%s", c->aux.v.s);
  else if (c->op == IR_ATTR && ir_val(infer_fn(I), c->args[0])->op == IR_MODREF)   /* np.ndarray before rw makes it a builtin */
    snprintf(n, sizeof n, "%s.%s", ir_val(infer_fn(I), c->args[0])->aux.v.s, c->aux.v.s);
  else TERR(line, "isinstance() of a class that is not a builtin or NumPy type");
  IrType t = TY(x);
  if (!strcmp(n, "float")) return t == IRT_F64;
  if (!strcmp(n, "int")) return t == IRT_INT || t == IRT_BOOL;
  if (!strcmp(n, "bool")) return t == IRT_BOOL;
  if (!strcmp(n, "complex")) return t == IRT_C128;
  if (!strcmp(n, "list")) return kindof(I, t) == IRK_LIST;
  if (!strcmp(n, "numpy.ndarray")) return kindof(I, t) == IRK_ARRAY;
  if (!strncmp(n, "numpy.", 6)) return np_instance(I, x, n, line);
  TERR(line, "isinstance() of %s, which is not a class Ember knows", n);
}

/* -- str literals of dtypes ------------------------------------------------- */

/* NumPy's dtype.kind and dtype.name of scalar type 's' into 'kind' and '*name'. */
static void dtype_names(IrType s, char *kind, const char **name)
{
  static const struct { IrType t; char kind; const char *name; } names[] = {
    {IRT_BOOL, 'b', "bool"}, {IRT_I8, 'i', "int8"}, {IRT_I16, 'i', "int16"}, {IRT_I32, 'i', "int32"},
    {IRT_I64, 'i', "int64"}, {IRT_INT, 'i', "int64"}, {IRT_U8, 'u', "uint8"}, {IRT_U16, 'u', "uint16"},
    {IRT_U32, 'u', "uint32"}, {IRT_U64, 'u', "uint64"}, {IRT_F16, 'f', "float16"}, {IRT_F32, 'f', "float32"},
    {IRT_F64, 'f', "float64"}, {IRT_C64, 'c', "complex64"}, {IRT_C128, 'c', "complex128"},
  };
  *kind = 0, *name = NULL;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (names[i].t == s) *kind = names[i].kind, *name = names[i].name;
}

/* The text of str value 'r' (a `const str`, or dtype.kind or .name before rw makes it one), or NULL. */
static const char *str_text(In *I, IrRef r)
{
  const IrVal *x = ir_val(infer_fn(I), r);
  if (kindof(I, TY(r)) == IRK_STR) return ir_type_info(CTX, TY(r))->text;
  if (x->op != IR_ATTR || kindof(I, TY(x->args[0])) != IRK_DTYPE) return NULL;
  char kind, *text = ir_alloc(CTX, 16);
  const char *name;
  dtype_names(ir_type_info(CTX, TY(x->args[0]))->elem[0], &kind, &name);
  if (!name) return NULL;
  if (!strcmp(x->aux.v.s, "kind")) text[0] = kind;
  else if (!strcmp(x->aux.v.s, "name")) snprintf(text, 16, "%s", name);
  else return NULL;
  return text;
}

IrType infer_dtype_str(In *I, IrRef v)
{
  const char *text = str_text(I, v);
  if (!text) TERR(ir_val(infer_fn(I), v)->line, "dtype.%s of this dtype", ir_val(infer_fn(I), v)->aux.v.s);
  return infer_mk_const(I, v, ir_type_str(CTX, text), (IrAuxVal){.s = text});
}

IrType infer_str_compare(In *I, IrRef v)
{
  const IrVal *x = ir_val(infer_fn(I), v);
  IrType ta = TY(x->args[0]), tb = TY(x->args[1]);
  bool eq = x->op == IR_EQ;
  if (kindof(I, ta) != IRK_STR || kindof(I, tb) != IRK_STR) {   /* "f" == 1: False, as CPython */
    IrType o = kindof(I, ta) == IRK_STR ? tb : ta;
    if (!ir_type_is_num(CTX, o) && o != IRT_NONE) TERR(x->line, "comparing a str with %s", infer_pyname(I, o));
    return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = !eq});
  }
  const char *a = str_text(I, x->args[0]), *b = str_text(I, x->args[1]);
  if (!a || !b) TERR(x->line, "comparing str values not known at compile time");
  return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = !strcmp(a, b) == eq});
}

IrType infer_str_contains(In *I, IrRef v)
{
  const IrVal *x = ir_val(infer_fn(I), v);
  if (!TY(x->args[2])) return IRT_VOID;
  if (kindof(I, TY(x->args[2])) != IRK_STR)
    TERR(x->line, "'in <string>' requires string as left operand, not %s", infer_pyname(I, TY(x->args[2])));
  const char *s = str_text(I, x->args[1]), *t = str_text(I, x->args[2]);
  if (!s || !t) TERR(x->line, "`in` of str values not known at compile time");
  bool in = strstr(s, t) != NULL, want = !strcmp(ir_val(infer_fn(I), x->args[0])->aux.v.s, "operator.contains");
  return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = in == want});
}

/* -- isinstance ------------------------------------------------------------- */

IrType infer_isinstance(In *I, IrRef v)
{
  const IrVal *x = ir_val(infer_fn(I), v);
  if (x->nargs != 3 || x->aux.nkw) TERR(x->line, "isinstance expected 2 arguments, got %u", x->nargs - 1);
  if (!TY(x->args[1])) return IRT_VOID;
  bool r = instance(I, x->args[1], x->args[2], 0, x->line);
  return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = r});
}

#undef TY
#undef CTX
#undef TERR
