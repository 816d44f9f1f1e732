/* passes/infer.h: private header shared by infer.c and infer_array.c.
 *
 * infer.c owns the analysis (the lattice, the fixed point, the rewrite
 * driver) and the scalar rules; infer_array.c types what NumPy brings:
 * arrays and their subscripts, attributes and methods, NumPy scalars
 * (i8..u64, f32, c64) under NEP 50, the numpy module, and the library
 * functions written in Python (jit/ember/_lib.py) that IrHost.resolve names.
 * infer.c calls the infer_array_* hooks where an operand has one of those
 * types; infer_array.c reaches infer's state only through the infer_*
 * accessors below, so the In struct stays private to infer.c.
 *
 * Handlers follow infer.c's rule: compute the result type from operand
 * types (infer_T); change the IR only when infer_rw is true.
 */
#ifndef EMBER_PASSES_INFER_H
#define EMBER_PASSES_INFER_H

#include "passes.h"

typedef struct In In;
typedef struct InList InList;
typedef struct InDict InDict;

/* -- infer.c: accessors and helpers ---------------------------------------- */
IrType infer_T(In *I, IrRef r);                  /* lattice type; IRT_VOID = not known yet */
IrFunc *infer_fn(In *I);
bool infer_rw(In *I);
void infer_set_impure(In *I);                    /* the function has an effect outside its locals */
const char *infer_pyname(In *I, IrType t);       /* "int", "float", ... for messages */
/* Insert before the instruction being rewritten (rw only). */
IrRef infer_before(In *I, IrOp op, IrType t, const IrRef *args, uint32_t n, int32_t line);
IrRef infer_konst(In *I, IrType t, IrAuxVal v, int32_t line);
IrRef infer_conv(In *I, IrRef r, IrType to, int32_t line);   /* CVT/TRUTH as needed; 'r' in analysis */
/* Make 'v' an op, a constant, a forward of 'r' or an intrinsic; returns the type. */
IrType infer_mk_op(In *I, IrRef v, IrOp op, IrType t, const IrRef *args, uint32_t n);
IrType infer_mk_const(In *I, IrRef v, IrType t, IrAuxVal val);
IrType infer_mk_fwd(In *I, IrRef v, IrRef r);
IrType infer_mk_intrin(In *I, IrRef v, IrIntrin id, IrType t, const IrRef *args, uint32_t n);
/* Call 'v' (operands: callee, then arguments) of compiled function 'id'. */
IrType infer_callfn(In *I, IrRef v, int64_t id, const char *name);
IrType infer_builtin(In *I, IrRef v, const char *name);      /* the scalar builtins ("abs", "math.sqrt") */
int infer_rank(IrType t);                        /* bool 0, int 1, f64 2, c128 3, else -1 */
int infer_cat(In *I, IrType t);                  /* by kind, NumPy's types too: bool 0, ints 1, floats 2, complex 3, else 4 */
bool infer_weak(In *I, IrRef r);                 /* an f64 that is a Python float (NEP 50 weak) */
/* t[idx] of tuple 't' with a run-time int index 'idx' (a list display indexed in a loop). */
IrType infer_tuple_item(In *I, IrRef v, IrRef t, IrRef idx, int32_t line);

InList **infer_lists(In *I);                     /* infer_list.c's state (NULL until it makes it) */
void infer_set_changed(In *I);                   /* a type grew: the analysis goes round again */
IrType infer_join(In *I, IrType a, IrType b, int32_t line, const char *what);   /* the lattice join */

/* -- infer_list.c: lists ------------------------------------------------------ */
IrType infer_list_op(In *I, IrRef v);            /* lnew llen lget lset lappend lresize; getitem, setitem, getiter of a list */
IrType infer_list_type(In *I, IrRef r);          /* the list type of list value 'r' (its class's) */
IrType infer_list_truth(In *I, IrRef v, IrRef l);   /* bool(l): len(l) != 0 */
void infer_list_flow(In *I, IrRef p, IrRef a);   /* list 'a' flows into block parameter 'p': one class */
bool infer_list_settle(In *I);                   /* item types never known become float; true if any did */
bool infer_list_takes(In *I, IrRef v, const char *name);   /* call 'v' (of builtin 'name', or a method) involves a list */
IrType infer_list_call(In *I, IrRef v, const char *name);

/* -- infer_dict.c: dicts ------------------------------------------------------ */
InDict **infer_dicts(In *I);                     /* infer_dict.c's state (NULL until it makes it) */
IrType infer_dict_op(In *I, IrRef v);            /* dnew ... dcopy; getitem, setitem, getiter of a dict or view */
IrType infer_dict_truth(In *I, IrRef v, IrRef d);   /* bool(d): len(d) != 0 */
void infer_dict_flow(In *I, IrRef p, IrRef a);   /* dict 'a' flows into block parameter 'p': one class */
bool infer_dict_settle(In *I);                   /* types never known become float; true if any did */
bool infer_dict_takes(In *I, IrRef v, const char *name);   /* call 'v' involves a dict */
IrType infer_dict_call(In *I, IrRef v, const char *name);

/* -- infer_array.c: the hooks ----------------------------------------------- */
bool infer_array_is_np(In *I, IrType t);         /* a NumPy scalar type: i8..u64, f32, c64 */
IrType infer_array_join(In *I, IrType a, IrType b);          /* NEP 50 join, IRT_VOID if not NumPy */
void infer_array_fits(In *I, IrRef r, IrType t, int32_t line); /* rw: Python int 'r' must fit NumPy int 't' */
IrType infer_array_binop(In *I, IrRef v);
IrType infer_array_unop(In *I, IrRef v);
IrType infer_array_compare(In *I, IrRef v);
IrType infer_array_attr(In *I, IrRef v);         /* attribute of an array, dtype or NumPy scalar */
IrType infer_array_modattr(In *I, IrRef v, const char *mod);   /* numpy.<name>, numpy.linalg.<name> */
/* Does call 'v' of builtin 'name' (or of a method, name NULL) belong here? */
bool infer_array_takes(In *I, IrRef v, const char *name);
IrType infer_array_call(In *I, IrRef v, const char *name);
IrType infer_array_method(In *I, IrRef v, IrRef callee);
IrType infer_array_iter(In *I, IrRef v);         /* getiter of an array */
IrType infer_array_op(In *I, IrRef v);
IrType infer_array_construct(In *I, IrRef v, IrType dtype);   /* a dtype value called: a NumPy cast */
IrType infer_array_typeobj(In *I, const char *name);   /* a builtin's type: dtype<T> for the scalar types, else func */           /* slice, getitem, setitem and the array primitives */

/* -- infer_breadth.c --------------------------------------------------------- */
IrType infer_isinstance(In *I, IrRef v);         /* isinstance(x, cls): a bool constant from x's type */
IrType infer_dtype_str(In *I, IrRef v);          /* dtype.kind, dtype.name: `const str` */
IrType infer_str_compare(In *I, IrRef v);        /* == and != of a str literal: a bool constant */
IrType infer_str_contains(In *I, IrRef v);       /* `t in s` of a str literal s: a bool constant */

#endif
