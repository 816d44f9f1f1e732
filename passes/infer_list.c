/* passes/infer_list.c: typing of lists (frontend/lists.c makes them).
 *
 * A list is a mutable EmList of items of one type, list<T>.  `out = []`
 * has no item type until something is appended, so the analysis keeps
 * classes of list values that must share one list type (union-find over
 * value indices): an LNEW starts a class, a block argument joins its
 * parameter's class (infer.c's flow), and LAPPEND, LSET, LNEW's items and
 * extend join the item type of the class (numbers on the tower, as a
 * variable joins).  Every list value is typed list<item of its class>; an
 * item type that grows makes the analysis go round again.  A list that
 * comes from elsewhere (an argument, a call's result) has a fixed item
 * type: storing a value that does not convert to it exactly is a
 * TypingError.  A class whose item type is never known (`return []`) is a
 * list of float (infer_list_settle).  Items are numbers, tuples of them,
 * arrays or lists (targets/llvm/list.c keeps the last three as their slots);
 * a list item is not unified with the list it came from: a list of lists of
 * int holds no list of float (a TypingError where it is stored).
 *
 * Rewrites: l[i] is `lget checked`, l[i] = x `lset checked` (CPython's
 * IndexError texts), l.append(x) LAPPEND, len(l) LLEN, bool(l) len != 0;
 * l + m, l * n, l += m, l *= n are library calls (in place: "list.__iadd__"
 * returns l itself, so the name still refers to the one list), and so are
 * l == m and l < m (CPython's item by item order);
 * `for x in l` is an iterator of list type (targets/llvm/list.c: CPython's
 * list iterator); slices, the other methods and
 * builtins over lists are calls of jit/ember/_lib_list.py through
 * IrHost.resolve ("list.pop", "list.__getitem__.slice", "builtins.sorted.list").
 */
#include <string.h>

#include "passes.h"
#include "infer.h"

#define RW infer_rw(I)
#define TY(r) infer_T(I, (r))
#define CTX (infer_fn(I)->ctx)
#define TERR(line, ...) ir_errorf(CTX, EM_ERR_TYPES, (line), __VA_ARGS__)

struct InList {
  uint32_t n;            /* values with a class slot */
  IrRef *up;             /* union-find parent; 0 = a root not yet set up */
  IrType *item;          /* per root: the item type (void: not known yet) */
  uint8_t *fixed;        /* per root: the item type comes from outside */
};

static const char lib_tag[] = "list library";   /* operands rearranged for a library call */

static const IrTypeInfo *info(In *I, IrType t) { return ir_type_info(CTX, t); }
static IrKind kindof(In *I, IrType t) { return t ? info(I, t)->kind : IRK_VOID; }
static IrVal *val(In *I, IrRef r) { return ir_val(infer_fn(I), r); }
static bool islist(In *I, IrRef r) { return kindof(I, TY(r)) == IRK_LIST; }
static bool intlike(In *I, IrType t)
{
  IrKind k = kindof(I, t);
  return k == IRK_BOOL || k == IRK_PYINT || k == IRK_INT || k == IRK_UINT;
}

static InList *state(In *I)
{
  InList **p = infer_lists(I);
  if (*p) return *p;
  InList *s = ir_alloc(CTX, sizeof *s);
  s->n = infer_fn(I)->nvals;
  s->up = ir_alloc(CTX, s->n * sizeof *s->up);
  s->item = ir_alloc(CTX, s->n * sizeof *s->item);
  s->fixed = ir_alloc(CTX, s->n);
  return *p = s;
}

/* The root of the class of list value 'r', set up on first sight (0: none
 * yet, a list from elsewhere whose item type is not known this round). */
static IrRef root(In *I, IrRef r)
{
  InList *s = state(I);
  if (r >= s->n) return 0;
  if (!s->up[r]) {
    IrVal *x = val(I, r);
    bool own = x->op == IR_LNEW || (x->op == IR_PARAM && x->blk != 0);
    if (!own && islist(I, r) && !info(I, TY(r))->elem[0]) return 0;
    s->up[r] = r;
    if (!own && islist(I, r)) s->item[r] = info(I, TY(r))->elem[0], s->fixed[r] = 1;
  }
  while (s->up[r] != r) r = s->up[r] = s->up[s->up[r]];
  return r;
}

/* The list type of value 'r' (its class's). */
static IrType listtype(In *I, IrRef r)
{
  IrRef k = root(I, r);
  return k ? ir_type_list(CTX, state(I)->item[k]) : TY(r);
}

/* Can a list hold items of type 't': numbers, arrays, lists of those, tuples of those? */
static bool holdable(In *I, IrType t)
{
  const IrTypeInfo *ti = info(I, t);
  if (infer_cat(I, t) < 4 || ti->kind == IRK_ARRAY) return true;
  if (ti->kind == IRK_LIST) return !ti->elem[0] || holdable(I, ti->elem[0]);
  if (ti->kind != IRK_TUPLE || !ti->nelem) return false;
  for (uint16_t k = 0; k < ti->nelem; k++)
    if (!holdable(I, ti->elem[k])) return false;
  return true;
}

/* Is 't' known to its items (no list<void> inside)? */
static bool complete(In *I, IrType t)
{
  const IrTypeInfo *ti = info(I, t);
  if (!t) return false;
  if (ti->kind == IRK_LIST) return complete(I, ti->elem[0]);
  for (uint16_t k = 0; ti->kind == IRK_TUPLE && k < ti->nelem; k++)
    if (!complete(I, ti->elem[k])) return false;
  return true;
}

/* Does a 't' convert exactly (nearly: uint64) to item type 'item': numbers up the tower, tuples elementwise? */
static bool fits(In *I, IrType t, IrType item)
{
  const IrTypeInfo *ti = info(I, t), *ii = info(I, item);
  if (t == item) return true;
  if (infer_cat(I, item) < 4) return infer_cat(I, t) <= infer_cat(I, item);
  if (ti->kind != IRK_TUPLE || ii->kind != IRK_TUPLE || ti->nelem != ii->nelem) return false;
  for (uint16_t k = 0; k < ti->nelem; k++)
    if (!fits(I, ti->elem[k], ii->elem[k])) return false;
  return true;
}

/* Join 'x' (of type 't') into the item type of the class of list 'l'. */
static void add_item(In *I, IrRef l, IrType t, int32_t line)
{
  InList *s = state(I);
  IrRef k = root(I, l);
  if (!k || !t) return;
  if (!holdable(I, t))
    ir_errorf(CTX, EM_ERR_CONSTRUCT, line, "lists of %s (lists hold numbers, tuples of numbers, arrays or lists)",
              infer_pyname(I, t));
  if (s->fixed[k] && s->item[k] && fits(I, t, s->item[k])) return;   /* converted */
  IrType j = infer_join(I, s->item[k], t, line, "an item of a list");
  if (j == s->item[k]) return;
  if (s->fixed[k] && s->item[k])
    TERR(line, "a list of %s cannot hold a %s here (Ember's lists have one item type, fixed by where the list "
         "comes from)", infer_pyname(I, s->item[k]), infer_pyname(I, t));
  s->item[k] = j;
  infer_set_changed(I);
}

void infer_list_flow(In *I, IrRef p, IrRef a)
{
  InList *s = state(I);
  IrRef kp = root(I, p), ka = root(I, a);
  if (!kp || !ka || kp == ka) return;
  IrType j = infer_join(I, s->item[kp], s->item[ka], val(I, p)->line, "an item of a list");
  s->up[ka] = kp;
  s->fixed[kp] |= s->fixed[ka];
  if (j != s->item[kp]) s->item[kp] = j, infer_set_changed(I);
}

bool infer_list_settle(In *I)
{
  InList *s = *infer_lists(I);
  bool any = false;
  for (IrRef r = 1; s && r < s->n; r++)
    if (s->up[r] == r && !s->item[r]) s->item[r] = IRT_F64, any = true;
  return any;
}

/* rw: 'x' converted to the item type of list type 'lt' (a list item is the list itself: of its type). */
static IrRef to_item(In *I, IrRef x, IrType lt, int32_t line)
{
  IrType e = info(I, lt)->elem[0];
  if (kindof(I, e) == IRK_LIST && TY(x) != e)
    TERR(line, "a list of %s items cannot hold a list of %s items (Ember's lists have one item type)",
         infer_pyname(I, info(I, e)->elem[0]), infer_pyname(I, info(I, TY(x))->elem[0]));
  return infer_conv(I, x, e, line);
}

/* The index operand 'i' as an int (rw). */
static IrRef index_of(In *I, IrRef i, int32_t line)
{
  IrType t = TY(i);
  if (!intlike(I, t)) TERR(line, "list indices must be integers or slices, not %s", infer_pyname(I, t));
  return infer_conv(I, i, IRT_INT, line);
}

/* Is 'r' a list whose item type is not known yet (in its class or in its lattice type this round)? */
static bool unknown(In *I, IrRef r)
{
  return islist(I, r) && (!complete(I, listtype(I, r)) || !complete(I, TY(r)));
}

/* Call 'v' of library function 'qn' with its operands as they are (args[0] the callee or a stand-in). */
static IrType library(In *I, IrRef v, const char *qn, int32_t line)
{
  IrHost *h = &CTX->host;
  int64_t id;
  for (uint32_t i = 1; i < val(I, v)->nargs; i++)
    if (unknown(I, val(I, v)->args[i])) return IRT_VOID;
  if (!h->resolve || h->resolve(h->host, qn, &id)) ir_error(CTX, EM_ERR_CALL, line, qn);
  return infer_callfn(I, v, id, qn);
}

/* l[i] or l[a:b:c] ('v' a getitem). */
static IrType getitem(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrRef l = x->args[0], i = x->args[1];
  int32_t line = x->line;
  IrType lt = listtype(I, l);
  if (x->aux.s == lib_tag || kindof(I, TY(i)) == IRK_SLICE) {   /* a copy: list.__getitem__.slice(l, start, stop, step) */
    if (x->aux.s != lib_tag) {
      IrVal *sl = val(I, i);
      if (sl->op != IR_SLICE) ir_error(CTX, EM_ERR_CONSTRUCT, line, "slices of lists that are not written out");
      IrRef a[5] = {l, l, sl->args[0], sl->args[1], sl->args[2]};
      x->args = ir_alloc(CTX, sizeof a);
      memcpy(x->args, a, sizeof a);
      x->nargs = 5;
      x->aux.s = lib_tag;
    }
    return library(I, v, "list.__getitem__.slice", line);
  }
  IrType e = info(I, lt)->elem[0];
  if (!RW) { index_of(I, i, line); return e; }
  IrRef a[2] = {l, index_of(I, i, line)};
  infer_mk_op(I, v, IR_LGET, e, a, 2);
  val(I, v)->aux.v.i = 1;
  return e;
}

/* l[i] = w. */
static IrType setitem(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  IrRef l = x->args[0], i = x->args[1], w = x->args[2];
  int32_t line = x->line;
  if (kindof(I, TY(i)) == IRK_SLICE) ir_error(CTX, EM_ERR_CONSTRUCT, line, "stores into slices of lists");
  add_item(I, l, TY(w), line);
  infer_set_impure(I);
  if (!RW) { index_of(I, i, line); return IRT_VOID; }
  IrType lt = listtype(I, l);
  IrRef a[3] = {l, index_of(I, i, line), to_item(I, w, lt, line)};
  infer_mk_op(I, v, IR_LSET, IRT_VOID, a, 3);
  val(I, v)->aux.v.i = 1;
  return IRT_VOID;
}

/* l == m, l < m, ...: CPython's, item by item ("list.__eq__", "list.__lt__", ...); a list
 * equals nothing else, and is not ordered against it. */
static IrType compare(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  bool eq = x->op == IR_EQ || x->op == IR_NE;
  if (x->aux.s != lib_tag) {   /* once: [l, l, m] */
    IrRef a = x->args[0], b = x->args[1];
    if (!islist(I, a) || !islist(I, b)) {
      if (eq) return infer_mk_const(I, v, IRT_BOOL, (IrAuxVal){.i = x->op == IR_NE});
      const char *sym = x->op == IR_LT ? "<" : x->op == IR_LE ? "<=" : x->op == IR_GT ? ">" : ">=";
      TERR(x->line, "'%s' not supported between instances of '%s' and '%s'", sym, infer_pyname(I, TY(a)),
           infer_pyname(I, TY(b)));
    }
    IrRef *args = ir_alloc(CTX, 3 * sizeof *args);
    args[0] = args[1] = a;
    args[2] = b;
    x->args = args;
    x->nargs = 3;
    x->aux.s = lib_tag;
  }
  switch (x->op) {
  case IR_EQ: return library(I, v, "list.__eq__", x->line);
  case IR_NE: return library(I, v, "list.__ne__", x->line);
  case IR_LT: return library(I, v, "list.__lt__", x->line);
  case IR_LE: return library(I, v, "list.__le__", x->line);
  case IR_GT: return library(I, v, "list.__gt__", x->line);
  default: return library(I, v, "list.__ge__", x->line);
  }
}

/* l + m, l * n, n * l, and l += m, l *= n (in place: the list itself comes back). */
static IrType binop(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  int32_t line = x->line;
  bool inplace = x->aux.v.i & 1;
  if (x->aux.s != lib_tag) {   /* once: [l, l, m] */
    IrRef a = x->args[0], b = x->args[1];
    if (x->op == IR_MUL && !islist(I, a)) a = x->args[1], b = x->args[0];
    if (x->op == IR_ADD && !(islist(I, a) && islist(I, b)))
      TERR(line, "can only concatenate list (not \"%s\") to list", infer_pyname(I, TY(islist(I, a) ? b : a)));
    if (x->op == IR_MUL && !intlike(I, TY(b)))
      TERR(line, "can't multiply sequence by non-int of type '%s'", infer_pyname(I, TY(b)));
    if (x->op != IR_ADD && x->op != IR_MUL)
      TERR(line, "unsupported operand type(s) for a list: '%s' and '%s'", infer_pyname(I, TY(x->args[0])),
           infer_pyname(I, TY(x->args[1])));
    IrRef *args = ir_alloc(CTX, 3 * sizeof *args);
    args[0] = args[1] = a;
    args[2] = b;
    x->args = args;
    x->nargs = 3;
    x->aux.s = lib_tag;
  }
  if (x->op == IR_ADD && inplace) add_item(I, x->args[1], info(I, listtype(I, x->args[2]))->elem[0], line);
  if (inplace) infer_set_impure(I);
  if (x->op == IR_ADD) return library(I, v, inplace ? "list.__iadd__" : "list.__add__", line);
  return library(I, v, inplace ? "list.__imul__" : "list.__mul__", line);
}

IrType infer_list_op(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  int32_t line = x->line;
  for (uint32_t i = 0; i < x->nargs; i++)
    if (!TY(x->args[i])) return IRT_VOID;
  switch (x->op) {
  case IR_LNEW:
    for (uint32_t i = 0; i < x->nargs; i++) add_item(I, v, TY(x->args[i]), line);
    if (RW) {
      IrType lt = listtype(I, v);
      for (uint32_t i = 0; i < x->nargs; i++) {
        IrRef a = to_item(I, val(I, v)->args[i], lt, line);
        val(I, v)->args[i] = a;
      }
    }
    return listtype(I, v);
  case IR_LAPPEND:
    if (!islist(I, x->args[0])) TERR(line, "'%s' object has no attribute 'append'", infer_pyname(I, TY(x->args[0])));
    add_item(I, x->args[0], TY(x->args[1]), line);
    infer_set_impure(I);
    if (RW) {
      IrRef a = to_item(I, x->args[1], listtype(I, x->args[0]), line);
      val(I, v)->args[1] = a;
    }
    return IRT_VOID;
  case IR_LLEN: return IRT_INT;
  case IR_LGET: return info(I, listtype(I, x->args[0]))->elem[0];
  case IR_LSET: case IR_LRESIZE: infer_set_impure(I); return IRT_VOID;
  case IR_ADD: case IR_SUB: case IR_MUL: case IR_TRUEDIV: case IR_FLOORDIV: case IR_MOD: case IR_POW:
  case IR_LSHIFT: case IR_RSHIFT: case IR_BAND: case IR_BOR: case IR_BXOR:
    return binop(I, v);
  case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE: return compare(I, v);
  case IR_GETITEM: return getitem(I, v);
  case IR_SETITEM: return setitem(I, v);
  case IR_GETITER: {
    IrType lt = listtype(I, x->args[0]);
    return ir_type_iter(CTX, info(I, lt)->elem[0], lt);
  }
  default: ember_die("infer_list_op");
  }
}

IrType infer_list_type(In *I, IrRef r) { return listtype(I, r); }

IrType infer_list_truth(In *I, IrRef v, IrRef l)
{
  if (!RW) return IRT_BOOL;
  IrRef n = infer_before(I, IR_LLEN, IRT_INT, &l, 1, val(I, v)->line);
  IrRef a[2] = {n, infer_konst(I, IRT_INT, (IrAuxVal){.i = 0}, val(I, v)->line)};
  return infer_mk_op(I, v, IR_NE, IRT_BOOL, a, 2);
}

/* -- Calls -------------------------------------------------------------------- */

bool infer_list_takes(In *I, IrRef v, const char *name)
{
  IrVal *x = val(I, v), *c = val(I, x->args[0]);
  if (!name && c->op == IR_ATTR) return islist(I, c->args[0]);
  if (name && (!strcmp(name, "operator.contains") || !strcmp(name, "operator.not_contains"))) return true;
  if (name && (!strcmp(name, "list") || !strcmp(name, "sorted")) && (x->nargs == 2 || x->aux.s == lib_tag))
    return true;   /* of any iterable */
  for (uint32_t i = 1; i < x->nargs; i++)
    if (islist(I, x->args[i])) return true;
  return false;
}

/* l.append(x) and l.<method>(...): LAPPEND, or list.<method>(l, ...) of the library. */
static IrType method(In *I, IrRef v, int32_t line)
{
  IrVal *x = val(I, v), *c = val(I, x->args[0]);
  IrRef l = c->args[0];
  const char *m = c->aux.v.s;
  if (x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "list.%s() takes no keyword arguments", m);
  if (!strcmp(m, "append")) {
    if (x->nargs != 2) ir_errorf(CTX, EM_ERR_ARGS, line, "list.append() takes exactly one argument (%u given)", x->nargs - 1);
    add_item(I, l, TY(x->args[1]), line);
    infer_set_impure(I);
    if (!RW) return IRT_NONE;
    IrRef a[2] = {l, to_item(I, x->args[1], listtype(I, l), line)};
    return infer_mk_op(I, v, IR_LAPPEND, IRT_VOID, a, 2);
  }
  if ((!strcmp(m, "extend") || !strcmp(m, "insert")) && x->nargs >= 2) {   /* the items join the list's */
    IrRef src = x->args[x->nargs - 1];
    IrType st = TY(src);
    const IrTypeInfo *si = info(I, st);
    if (m[0] == 'i') add_item(I, l, st, line);
    else if (si->kind == IRK_LIST || (si->kind == IRK_ARRAY && si->ndim == 1)) add_item(I, l, si->elem[0], line);
    else if (si->kind == IRK_TUPLE) for (uint16_t k = 0; k < si->nelem; k++) add_item(I, l, si->elem[k], line);
    else if (si->kind != IRK_RANGE) TERR(line, "list.extend() of a %s (a list, tuple, range or 1-D array here)", infer_pyname(I, st));
    else add_item(I, l, IRT_INT, line);
  }
  infer_set_impure(I);
  if (x->aux.s != lib_tag) {   /* once: [callee, l, args...] */
    IrRef *a = ir_alloc(CTX, (x->nargs + 1) * sizeof *a);
    a[0] = x->args[0];
    a[1] = l;
    memcpy(a + 2, x->args + 1, (x->nargs - 1) * sizeof *a);
    x->args = a;
    x->nargs++;
    x->aux.s = lib_tag;
  }
  char qn[64];
  snprintf(qn, sizeof qn, "list.%s", m);
  return library(I, v, ir_strdup(CTX, qn), line);
}

IrType infer_list_call(In *I, IrRef v, const char *name)
{
  IrVal *x = val(I, v);
  int32_t line = x->line;
  uint32_t n = x->nargs - 1;
  for (uint32_t i = 0; i < x->nargs; i++)
    if (!TY(x->args[i])) return IRT_VOID;
  IrVal *c = val(I, x->args[0]);
  if (!name && c->op == IR_FUNCREF) {   /* an ember.jit function: once the items are known */
    for (uint32_t i = 1; i < x->nargs; i++)
      if (unknown(I, x->args[i])) return IRT_VOID;
    return infer_callfn(I, v, c->aux.v.i, c->aux.s ? c->aux.s : "function");
  }
  if (!name) return method(I, v, line);
  IrRef a0 = n ? x->args[1] : 0;
  if (!strcmp(name, "len") && n == 1 && islist(I, a0)) {
    if (!RW) return IRT_INT;
    return infer_mk_op(I, v, IR_LLEN, IRT_INT, &a0, 1);
  }
  if (!strcmp(name, "bool") && n == 1 && islist(I, a0)) return infer_list_truth(I, v, a0);
  if (!strcmp(name, "enumerate") || !strcmp(name, "zip")) return infer_array_call(I, v, name);
  if (!strcmp(name, "ember._prim.list_zero") && n == 1 && islist(I, a0)) {
    IrType e = info(I, listtype(I, a0))->elem[0];
    if (!e) return IRT_VOID;
    if (infer_cat(I, e) == 4) TERR(line, "this use of a list of %s (a list of numbers here)", infer_pyname(I, e));
    return infer_mk_const(I, v, e, (IrAuxVal){0});
  }
  if (!strcmp(name, "ember._prim.list_like") && n == 1 && islist(I, a0)) {   /* a new empty list of a0's type */
    IrType lt = listtype(I, a0);
    if (!complete(I, lt)) return IRT_VOID;
    if (!RW) return lt;
    return infer_mk_op(I, v, IR_LNEW, lt, NULL, 0);
  }
  if (!strcmp(name, "ember._prim.list_resize") && n == 2 && islist(I, a0)) {
    infer_set_impure(I);
    if (!RW) return IRT_NONE;
    IrRef a[2] = {a0, index_of(I, x->args[2], line)};
    return infer_mk_op(I, v, IR_LRESIZE, IRT_VOID, a, 2);
  }
  char qn[64];
  if (!strcmp(name, "operator.contains") || !strcmp(name, "operator.not_contains")) {
    if (kindof(I, TY(a0)) == IRK_STR) return infer_str_contains(I, v);   /* infer_breadth.c */
    if (!islist(I, a0))
      ir_errorf(CTX, EM_ERR_FLAGS, line, "`in` operators are supported only on tuples, lists and list displays, not on a %s",
                infer_pyname(I, TY(a0)));
    snprintf(qn, sizeof qn, "list.__%s__", name + 9);
    return library(I, v, ir_strdup(CTX, qn), line);
  }
  if ((!strcmp(name, "list") || !strcmp(name, "sorted")) && (n == 1 || x->aux.s == lib_tag) && !islist(I, a0)) {
    /* list(range(n)), sorted(t) */
    IrKind k = kindof(I, TY(a0));
    if (x->aux.s != lib_tag && k != IRK_RANGE && k != IRK_TUPLE && k != IRK_ARRAY)
      TERR(line, "'%s' object is not iterable", infer_pyname(I, TY(a0)));
    if (k == IRK_RANGE && x->aux.s != lib_tag) {   /* a range is passed as its start, stop, step */
      IrVal *r = val(I, a0);   /* range(...) called here: its 1 to 3 arguments */
      bool call = r->op == IR_CALL && r->nargs >= 2 && r->nargs <= 4 && !r->aux.nkw;
      if (r->op != IR_RANGE && !call) ir_error(CTX, EM_ERR_CONSTRUCT, line, "ranges chosen at run time");
      uint32_t m = r->op == IR_RANGE ? 3 : r->nargs - 1;
      IrRef *a = ir_alloc(CTX, (m + 1) * sizeof *a);
      a[0] = x->args[0];
      memcpy(a + 1, r->args + (r->op == IR_RANGE ? 0 : 1), m * sizeof *a);
      x->args = a;
      x->nargs = m + 1;
      x->aux.s = lib_tag;
    }
    if (x->aux.s == lib_tag) return library(I, v, name[0] == 'l' ? "builtins.list.range" : "builtins.sorted.range", line);
    return library(I, v, name[0] == 'l' ? "builtins.list.iter" : "builtins.sorted.iter", line);
  }
  static const char *const known[] = {"sum", "min", "max", "sorted", "list", "numpy.array", "numpy.asarray", "any", "all"};
  for (size_t k = 0; k < sizeof known / sizeof *known; k++) {
    if (strcmp(name, known[k]) || !islist(I, a0)) continue;
    bool rows = name[0] == 'n' && infer_cat(I, info(I, listtype(I, a0))->elem[0]) == 4;   /* np.array of a list of lists */
    if (x->aux.nkw && name[0] == 'n' && !info(I, listtype(I, a0))->elem[0]) return IRT_VOID;   /* items not typed yet */
    if (x->aux.nkw && (name[0] != 'n' || rows))   /* np.array(l, dtype=...): _lib_list.array's keyword */
      ir_errorf(CTX, EM_ERR_ARGS, line, "%s() of a list with keyword arguments is not supported", name);
    snprintf(qn, sizeof qn, "%s%s.%s", strchr(name, '.') ? "" : "builtins.", name, rows ? "items" : "list");
    return library(I, v, ir_strdup(CTX, qn), line);
  }
  ir_errorf(CTX, EM_ERR_CALL, line, ir_strdup(CTX, name));
}

#undef RW
#undef TY
#undef CTX
#undef TERR
