/* frontend/lists.c: list displays as read-only sequences.
 *
 * `[a, b, c]`, `[[1, 2], [3, 4]]`, `[1.0, 2.0, 3.0]` (BUILD_LIST 0, then
 * LIST_EXTEND of the constant tuple (1.0, 2.0, 3.0) on every version from
 * three constants up) and `[*(1, 2), x]` (LIST_APPEND) are TUPLEs of their items, tagged as lists in aux.s
 * while the builder runs, so a display built either way is the same value
 * and prints the same IR on every version.  Ember has no list type: a list
 * display is compiled as the tuple of its items, which is only right where
 * nothing can tell them apart.  fe_check_lists (after SSA) allows a list, or
 * a tuple holding one, to be
 *   - an argument of a call of a NumPy function or method (np.array,
 *     np.zeros, np.concatenate, a.reshape, ...) or of a builtin (len, sum,
 *     min, max, ...), but not of an ember.jit function (it may store into
 *     it or return it);
 *   - iterated (`for w in [...]`), indexed (`xs[i]`) or unpacked, if no item
 *     is itself a list (that item would escape as a tuple: such a display is
 *     made real, a list of lists, except where it is unpacked);
 *   - an item of another list or tuple (then that one is checked too);
 * and nothing else.  A display that must be a real list (a method such as
 * append, a store into it, a return, an argument of an ember.jit function, a
 * value passed to another block: assigned in a branch or loop) becomes LNEW
 * of its items: a mutable list (passes/infer_list.c types it); a tuple
 * holding such a use makes its lists real too.  LIST_APPEND to a value that
 * is not a display (a comprehension's list, a block parameter on 3.12+) is
 * LAPPEND.  A display among the items of a real list, or appended to one,
 * is real too (lists of lists), and so is a display used as an index (NumPy's
 * fancy indexing with a list: passes/infer_array.c).  Then the remaining tags are dropped and
 * every other list display is a plain TUPLE.
 * `x in (a, b)` and `x in [a, b]` (CPython makes a constant list a tuple)
 * are `x == a | x == b` (no short cut: the items are already computed;
 * CPython's identity test first differs only for a NaN object in the
 * display itself), `not in` its `not`.  On a list display that is decided
 * in fe_check_lists (the display may be changed before the test): until
 * then it is a call of "operator.contains", as it stays on real lists.
 */
#include <string.h>

#include "fe.h"

static const char tag_list[] = "list";

#define REFUSE(line, what) ir_error(fn->ctx, EM_ERR_FLAGS, (line), (what))

bool fe_is_list(IrFunc *fn, IrRef r)
{
  return r && fn->vals[r].op == IR_TUPLE && fn->vals[r].aux.s == tag_list;
}

IrRef fe_list_new(IrFunc *fn, IrBlk b, const IrRef *args, uint32_t n, int32_t line)
{
  for (uint32_t i = 0; i < n; i++)
    if (fe_is_marker(fn, args[i]) != FE_MK_NONE) REFUSE(line, "str values and exceptions in list displays are not supported");
  IrRef r = ir_emit(fn, b, IR_TUPLE, IRT_ANY, args, n, line);
  fn->vals[r].aux.s = tag_list;
  return r;
}

IrRef fe_list_append(IrFunc *fn, IrBlk b, IrRef list, IrRef x, int32_t line)
{
  if (!fe_is_list(fn, list)) {   /* a comprehension's list: a real one */
    IrRef a[2] = {list, x};
    ir_emit(fn, b, IR_LAPPEND, IRT_ANY, a, 2, line);
    return list;
  }
  const IrVal *l = &fn->vals[list];
  IrRef *el = ir_alloc(fn->ctx, (l->nargs + 2) * sizeof *el);
  if (l->nargs) memcpy(el, l->args, l->nargs * sizeof *el);
  el[l->nargs] = x;
  return fe_list_new(fn, b, el, l->nargs + 1, line);
}

IrRef fe_list_extend(IrFunc *fn, IrBlk b, IrRef list, IrRef it, int32_t line)
{
  const IrVal *l = &fn->vals[list], *t = &fn->vals[it];
  if (!fe_is_list(fn, list)) REFUSE(line, "list displays built across branches are not supported");
  if (t->op != IR_TUPLE || fe_is_marker(fn, it) != FE_MK_NONE)
    REFUSE(line, "starred items in list displays ([*x]) are not supported unless x is a tuple display");
  IrRef *el = ir_alloc(fn->ctx, (l->nargs + t->nargs + 1) * sizeof *el);
  if (l->nargs) memcpy(el, l->args, l->nargs * sizeof *el);          /* an empty display has no args */
  if (t->nargs) memcpy(el + l->nargs, t->args, t->nargs * sizeof *el);
  return fe_list_new(fn, b, el, l->nargs + t->nargs, line);
}

IrRef fe_list_tuple(IrFunc *fn, IrBlk b, IrRef list, int32_t line)
{
  if (!fe_is_list(fn, list)) REFUSE(line, "starred expressions are not supported");
  const IrVal *l = &fn->vals[list];
  return ir_emit(fn, b, IR_TUPLE, IRT_ANY, l->args, l->nargs, line);
}

/* The chain x == a | x == b ... of tuple 'seq' before position 'pos' of block 'b'
 * (appended if 'pos' is the block's length); 'invert': its not. */
static IrRef chain(IrFunc *fn, IrBlk b, uint32_t pos, IrRef x, IrRef seq, bool invert, int32_t line)
{
  const IrVal *s = &fn->vals[seq];
  uint32_t n = s->nargs, k = pos;
  IrRef r = ir_insert(fn, b, k++, IR_CONST, IRT_BOOL, NULL, 0, line);
  for (uint32_t i = 0; i < n; i++) {
    IrRef e[2] = {x, fn->vals[seq].args[i]};
    IrRef q = ir_insert(fn, b, k++, IR_EQ, IRT_ANY, e, 2, line);
    if (i == 0) { r = q; continue; }
    IrRef o[2] = {r, q};
    r = ir_insert(fn, b, k++, IR_BOR, IRT_ANY, o, 2, line);
  }
  if (!invert) return r;
  if (n > 1) r = ir_insert(fn, b, k++, IR_TRUTH, IRT_ANY, &r, 1, line);   /* not takes a bool */
  return ir_insert(fn, b, k, IR_NOT, IRT_ANY, &r, 1, line);
}

IrRef fe_contains(IrFunc *fn, IrBlk b, IrRef x, IrRef seq, bool invert, int32_t line)
{
  const IrVal *s = &fn->vals[seq];
  FeMarker mx = fe_is_marker(fn, x);   /* a str: its == are folded (strlit.c) */
  bool instr = fe_is_marker(fn, seq) == FE_MK_STR && !s->nargs;   /* `a.dtype.kind in "iu"`: strlit.c, infer */
  if ((fe_is_marker(fn, seq) != FE_MK_NONE && !instr) || (mx != FE_MK_NONE && mx != FE_MK_STR))
    REFUSE(line, "`in` operators are supported only on tuple and list displays of values");
  if (s->op == IR_TUPLE && !fe_is_list(fn, seq) && !instr) return chain(fn, b, fn->blocks[b].ninsts, x, seq, invert, line);
  IrRef f = ir_emit(fn, b, IR_BUILTIN, IRT_ANY, NULL, 0, line);   /* a list: decided by fe_check_lists or infer */
  fn->vals[f].aux.v.s = invert ? "operator.not_contains" : "operator.contains";
  IrRef a[3] = {f, seq, x};
  return ir_emit(fn, b, IR_CALL, IRT_ANY, a, 3, line);
}

/* Does 'r' hold a list: a list, or a tuple with one among its items (to 'depth')? */
static bool haslist(IrFunc *fn, IrRef r, int depth)
{
  const IrVal *v = &fn->vals[r];
  if (!r || v->op != IR_TUPLE || depth > 64) return false;
  if (v->aux.s == tag_list) return true;
  for (uint32_t i = 0; i < v->nargs; i++)
    if (haslist(fn, v->args[i], depth + 1)) return true;
  return false;
}

/* Does an item of sequence 'r' hold a list? */
static bool nested(IrFunc *fn, IrRef r)
{
  const IrVal *v = &fn->vals[r];
  for (uint32_t i = 0; i < v->nargs; i++)
    if (haslist(fn, v->args[i], 0)) return true;
  return false;
}

/* Is operand 'i' of 'u' a use that needs a real list? */
static bool needs_real(IrFunc *fn, const IrVal *u, uint32_t i)
{
  switch (u->op) {
  case IR_ATTR: case IR_RET: case IR_LAPPEND: return true;   /* l.append([1, 2]): a list of lists */
  case IR_ADD: case IR_MUL: return true;   /* l + m, [0] * n: new lists */
  case IR_GETITEM:   /* a slice of a list is a list; an item of a nested display a list; an index (a[[0, 2]]) a list */
    return i == 1 || (i == 0 && (fn->vals[u->args[1]].op == IR_SLICE || nested(fn, u->args[0])));
  case IR_GETITER: return nested(fn, u->args[i]);   /* its items are lists */
  case IR_SETITEM: return true;
  case IR_EQ: case IR_NE: case IR_LT: case IR_LE: case IR_GT: case IR_GE: return true;   /* l == [1, 2] */
  case IR_CALL: {   /* of an ember.jit function, or an item of a list (x.append([1, 2]), [1, 2] in x) */
    const IrVal *c = &fn->vals[u->args[0]];
    static const char *const item[] = {"append", "insert", "index", "count", "remove", "extend", NULL};
    bool put = false;
    for (int k = 0; c->op == IR_ATTR && item[k]; k++) put |= !strcmp(c->aux.v.s, item[k]);   /* no ndarray has these */
    if (c->op == IR_BUILTIN && !strncmp(c->aux.v.s, "operator.", 9)) put = i == 2;   /* contains, not_contains */
    return i > 0 && (c->op == IR_FUNCREF || (put && i == u->nargs - 1));
  }
  default: return false;
  }
}

/* Make the lists in 'r' (a list, or a tuple holding lists, to 'depth') real: LNEW. */
static void make_real(IrFunc *fn, IrRef r, int depth)
{
  IrVal *v = &fn->vals[r];
  if (!r || v->op != IR_TUPLE || depth > 64) return;
  for (uint32_t i = 0; i < v->nargs; i++) make_real(fn, v->args[i], depth + 1);   /* its lists are items of a list */
  if (v->aux.s != tag_list) return;
  v->op = IR_LNEW;
  v->aux.s = NULL;
}

/* Every list a real use needs (or that flows to another block) becomes LNEW. */
static void find_real(IrFunc *fn)
{
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t k = 0; k < bk->ninsts; k++) {
      const IrVal *u = &fn->vals[bk->insts[k]];
      for (uint32_t i = 0; i < u->nargs; i++)
        if (haslist(fn, u->args[i], 0) && needs_real(fn, u, i)) make_real(fn, u->args[i], 0);
      for (uint32_t s = 0; s < u->nsucc; s++)
        for (uint32_t a = 0; a < u->succ[s].nargs; a++) make_real(fn, u->succ[s].args[a], 0);
    }
  }
}

/* The error for a list display (or tuple of them) 'r' as operand 'i' of 'u', if it cannot be a tuple. */
static void checkuse(IrFunc *fn, const IrVal *u, uint32_t i, IrRef r)
{
  const IrVal *callee = u->op == IR_CALL ? &fn->vals[u->args[0]] : NULL;
  switch (u->op) {
  case IR_TUPLE: return;   /* checked as a list holder itself */
  case IR_CALL:
    if (i == 0) break;
    if (callee->op == IR_BUILTIN && nested(fn, r) && strcmp(callee->aux.v.s, "len"))
      REFUSE(u->line, "nested list displays passed to a builtin are not supported");
    if (callee->op == IR_BUILTIN || callee->op == IR_ATTR) return;
    break;
  case IR_GETITER: case IR_EXTRACT:
    if (nested(fn, r)) REFUSE(u->line, "iterating or unpacking nested list displays is not supported");
    return;
  case IR_GETITEM:
    if (nested(fn, r)) REFUSE(u->line, "indexing nested list displays is not supported");
    return;
  case IR_LAPPEND: case IR_LNEW: case IR_SETITEM:
    REFUSE(u->line, "lists of lists (a list display as an item of a list that is changed) are not supported");
  default: break;
  }
  REFUSE(u->line, "this use of a list display is not supported: it may only be indexed, iterated, unpacked "
                  "or passed to NumPy or a builtin");
}

/* `x in display` (a call of operator.contains at position 'pos' of block 'b'): the chain, if the display stayed a tuple. */
static void expand_contains(IrFunc *fn, IrBlk b, uint32_t pos)
{
  IrRef c = fn->blocks[b].insts[pos];
  IrVal *u = &fn->vals[c];
  if (u->op != IR_CALL || u->nargs != 3 || fn->vals[u->args[0]].op != IR_BUILTIN || !fe_is_list(fn, u->args[1])) return;
  const char *f = fn->vals[u->args[0]].aux.v.s;
  if (strcmp(f, "operator.contains") && strcmp(f, "operator.not_contains")) return;
  IrRef callee = u->args[0];
  IrRef r = chain(fn, b, pos, u->args[2], u->args[1], f[9] == 'n', u->line);
  ir_replace_uses(fn, c, r);
  ir_remove(fn, c);
  ir_remove(fn, callee);
}

/* x[t] or x[t] = w where tuple display 't' holds one list (NumPy's fancy
 * indexing with one 1-D index among ints and slices: `a[[0, 2], 1]`,
 * `a[:, [1, 3]] = 0`), at position 'pos' of block 'b': the basic view v of
 * x[t with the list as `:`], its list's axis moved first, indexed by the list
 * (passes/infer_array.c's fancy indexing along axis 0), the result's axis
 * moved back (unless NumPy puts it first: ints and the list apart); a stored
 * array w is moved to match.  ember._prim.fancy_axis(y, t', j, mode[, v])
 * (mode 0 first, 1 back, 2 the value) finds the axis from the types of t'. */
static void tuple_fancy(IrFunc *fn, IrBlk b, uint32_t pos)
{
  IrRef c = fn->blocks[b].insts[pos];
  IrOp op = fn->vals[c].op;
  if ((op != IR_GETITEM && op != IR_SETITEM) || fn->vals[fn->vals[c].args[1]].op != IR_TUPLE) return;
  IrRef t = fn->vals[c].args[1], x = fn->vals[c].args[0];
  uint32_t n = fn->vals[t].nargs, j = n;
  for (uint32_t i = 0; i < n; i++) {
    const IrVal *p = &fn->vals[fn->vals[t].args[i]];
    if (p->op == IR_TUPLE || (p->op == IR_CONST && p->type == IRT_ELLIPSIS)) return;
    if (p->op != IR_LNEW) continue;
    if (j < n) return;   /* two lists: not supported (infer says so) */
    j = i;
  }
  if (j == n || n > IR_MAXDIM) return;
  int32_t line = fn->vals[c].line;
  uint32_t k = pos;
  IrRef none = ir_insert(fn, b, k++, IR_CONST, IRT_NONE, NULL, 0, line);
  IrRef sp[3] = {none, none, none}, parts[IR_MAXDIM];
  memcpy(parts, fn->vals[t].args, n * sizeof *parts);
  IrRef list = parts[j];
  parts[j] = ir_insert(fn, b, k++, IR_SLICE, IRT_ANY, sp, 3, line);
  IrRef tt = ir_insert(fn, b, k++, IR_TUPLE, IRT_ANY, parts, n, line);
  IrRef vx[2] = {x, tt};
  IrRef v = ir_insert(fn, b, k++, IR_GETITEM, IRT_ANY, vx, 2, line);
  IrRef kj = ir_insert(fn, b, k++, IR_CONST, IRT_INT, NULL, 0, line);
  fn->vals[kj].aux.v.i = j;
  IrRef a[6];
  for (int mode = 0; mode < 3; mode++) {
    if (mode == 1 && op != IR_GETITEM) continue;
    if (mode == 2 && op != IR_SETITEM) continue;
    a[0] = ir_insert(fn, b, k++, IR_BUILTIN, IRT_ANY, NULL, 0, line);
    fn->vals[a[0]].aux.v.s = "ember._prim.fancy_axis";
    a[2] = tt, a[3] = kj;
    a[4] = ir_insert(fn, b, k++, IR_CONST, IRT_INT, NULL, 0, line);
    fn->vals[a[4]].aux.v.i = mode;
    a[5] = v;
    if (mode == 0) {   /* y = the view, its list's axis first; then y[list] */
      a[1] = v;
      IrRef y = ir_insert(fn, b, k++, IR_CALL, IRT_ANY, a, 5, line);
      if (op == IR_SETITEM) {
        fn->vals[c].args[0] = y;
        fn->vals[c].args[1] = list;
        continue;
      }
      IrRef g[2] = {y, list};
      v = ir_insert(fn, b, k++, IR_GETITEM, IRT_ANY, g, 2, line);
      a[5] = 0;
      continue;
    }
    a[1] = mode == 1 ? v : fn->vals[c].args[2];
    IrRef *na = ir_alloc(fn->ctx, 6 * sizeof *na);
    memcpy(na, a, 6 * sizeof *na);
    if (mode == 2) {   /* the stored value, moved to match */
      fn->vals[c].args[2] = ir_insert(fn, b, k++, IR_CALL, IRT_ANY, na, 6, line);
      continue;
    }
    IrVal *cv = &fn->vals[c];   /* the getitem becomes the call that moves the axis back */
    cv->op = IR_CALL;
    cv->args = na;
    cv->nargs = 5;
    memset(&cv->aux, 0, sizeof cv->aux);
  }
}

void fe_check_lists(IrFunc *fn)
{
  find_real(fn);
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t k = 0; k < bk->ninsts; k++) {
      expand_contains(fn, b, k);
      tuple_fancy(fn, b, k);
      const IrVal *u = &fn->vals[bk->insts[k]];
      for (uint32_t i = 0; i < u->nargs; i++)
        if (haslist(fn, u->args[i], 0)) checkuse(fn, u, i, u->args[i]);
    }
  }
  for (IrRef r = 1; r < fn->nvals; r++)
    if (fe_is_list(fn, r)) fn->vals[r].aux.s = NULL;
}

#undef REFUSE
