/* passes/infer_dict.c: typing of dicts (frontend/dicts.c makes them).
 *
 * A dict is a mutable EmDict of one key type and one value type,
 * dict<K, V>.  As for lists (infer_list.c), `d = {}` learns its types from
 * later stores, so dict values are kept in union-find classes: a DNEW starts
 * one, a block argument joins its parameter's class, and DNEW's pairs and
 * stores join the key and value types of the class (numbers on the tower,
 * as variables join).  A dict from elsewhere (an argument, a call's result)
 * has fixed types: storing a key or value that does not convert exactly is
 * a TypingError.  A class whose types are never known is dict<float, float>.
 * Keys are bool, int, float or NumPy ints and floats (not complex); values
 * any number.  A key looked up with a wider type than the dict's keys (a
 * float in a dict of ints) is a TypingError rather than a silent truncation.
 *
 * Rewrites: d[k] is DGET (KeyError), d[k] = v DSET, del d[k] DDEL, len(d)
 * DLEN, bool(d) len != 0, `k in d` DFIND >= 0, d.get(k, x) and
 * d.pop(k, x) DFIND + DVAL + SELECT (pop also a DDEL that ignores a missing
 * key), d.pop(k) DGET then DDEL, d.setdefault(k, x) a DSET that only adds,
 * then DGET, d.clear() DCLEAR, d.copy() DCOPY; d.keys(), d.values() and
 * d.items() are DVIEW values of view types, which `for` iterates
 * (passes/lower.c: DPACK closes the gaps of deleted keys, then an index
 * loop over DKEY/DVAL); `for k in d` iterates the keys.  sum/min/max/
 * sorted/list/any/all of a dict or a view make a list (DVIEW then a list
 * built by the library) -- not done yet: they are an UnsupportedError.
 */
#include <string.h>

#include "passes.h"
#include "infer.h"

#define RW infer_rw(I)
#define TY(r) infer_T(I, (r))
#define CTX (infer_fn(I)->ctx)
#define TERR(line, ...) ir_errorf(CTX, EM_ERR_TYPES, (line), __VA_ARGS__)

struct InDict {
  uint32_t n;            /* values with a class slot */
  IrRef *up;             /* union-find parent; 0 = a root not yet set up */
  IrType *key, *val;     /* per root: the key and value types (void: not known yet) */
  uint8_t *fixed;        /* per root: the types come from outside */
};

static const IrTypeInfo *info(In *I, IrType t) { return ir_type_info(CTX, t); }
static IrKind kindof(In *I, IrType t) { return t ? info(I, t)->kind : IRK_VOID; }
static IrVal *val(In *I, IrRef r) { return ir_val(infer_fn(I), r); }
static bool isdict(In *I, IrRef r) { return kindof(I, TY(r)) == IRK_DICT && info(I, TY(r))->ndim == 0; }

static InDict *state(In *I)
{
  InDict **p = infer_dicts(I);
  if (*p) return *p;
  InDict *s = ir_alloc(CTX, sizeof *s);
  s->n = infer_fn(I)->nvals;
  s->up = ir_alloc(CTX, s->n * sizeof *s->up);
  s->key = ir_alloc(CTX, s->n * sizeof *s->key);
  s->val = ir_alloc(CTX, s->n * sizeof *s->val);
  s->fixed = ir_alloc(CTX, s->n);
  return *p = s;
}

static IrRef root(In *I, IrRef r)
{
  InDict *s = state(I);
  if (r >= s->n) return 0;
  if (!s->up[r]) {
    s->up[r] = r;
    IrVal *x = val(I, r);
    bool own = x->op == IR_DNEW || (x->op == IR_PARAM && x->blk != 0);
    if (!own && kindof(I, TY(r)) == IRK_DICT) {
      s->key[r] = info(I, TY(r))->elem[0], s->val[r] = info(I, TY(r))->elem[1];
      s->fixed[r] = s->key[r] && s->val[r];
    }
  }
  while (s->up[r] != r) r = s->up[r] = s->up[s->up[r]];
  return r;
}

static IrType dicttype(In *I, IrRef r)
{
  IrRef k = root(I, r);
  return k ? ir_type_dict(CTX, state(I)->key[k], state(I)->val[k], 0) : TY(r);
}

static IrType keytype(In *I, IrRef d) { return info(I, dicttype(I, d))->elem[0]; }
static IrType valtype(In *I, IrRef d) { return info(I, dicttype(I, d))->elem[1]; }

/* Join 't' into the key (which 0) or value (1) type of the class of dict 'd'. */
static void add(In *I, IrRef d, IrType t, int which, int32_t line)
{
  InDict *s = state(I);
  IrRef k = root(I, d);
  if (!k || !t) return;
  IrType *slot = which ? &s->val[k] : &s->key[k];
  int c = infer_cat(I, t);
  if (c > (which ? 3 : 2))
    ir_errorf(CTX, EM_ERR_CONSTRUCT, line, "dicts with %s %s (only numbers%s are supported)", infer_pyname(I, t),
              which ? "values" : "keys", which ? "" : " other than complex");
  if (s->fixed[k] && *slot && c <= infer_cat(I, *slot)) return;
  IrType j = infer_join(I, *slot, t, line, which ? "a value of a dict" : "a key of a dict");
  if (j == *slot) return;
  if (s->fixed[k] && *slot)
    TERR(line, "a dict of %s %s cannot hold a %s %s here (Ember's dicts have one key and one value type, fixed by "
         "where the dict comes from)", infer_pyname(I, *slot), which ? "values" : "keys", infer_pyname(I, t),
         which ? "value" : "key");
  *slot = j;
  infer_set_changed(I);
}

void infer_dict_flow(In *I, IrRef p, IrRef a)
{
  InDict *s = state(I);
  IrRef kp = root(I, p), ka = root(I, a);
  if (!kp || !ka || kp == ka) return;
  int32_t line = val(I, p)->line;
  IrType jk = infer_join(I, s->key[kp], s->key[ka], line, "a key of a dict");
  IrType jv = infer_join(I, s->val[kp], s->val[ka], line, "a value of a dict");
  s->up[ka] = kp;
  s->fixed[kp] |= s->fixed[ka];
  if (jk != s->key[kp] || jv != s->val[kp]) s->key[kp] = jk, s->val[kp] = jv, infer_set_changed(I);
}

bool infer_dict_settle(In *I)
{
  InDict *s = *infer_dicts(I);
  bool any = false;
  for (IrRef r = 1; s && r < s->n; r++) {
    if (s->up[r] != r) continue;
    if (!s->key[r]) s->key[r] = IRT_F64, any = true;
    if (!s->val[r]) s->val[r] = IRT_F64, any = true;
  }
  return any;
}

/* rw: key 'x' as the key type of dict 'd' (a lookup: wider keys are refused). */
static IrRef key_of(In *I, IrRef d, IrRef x, int32_t line)
{
  IrType kt = keytype(I, d), t = TY(x);
  if (infer_cat(I, t) > 2) TERR(line, "a %s key in a dict of %s keys", infer_pyname(I, t), infer_pyname(I, kt));
  if (kt && infer_cat(I, t) > infer_cat(I, kt))
    TERR(line, "a %s key looked up in a dict of %s keys (convert it: Ember's dicts have one key type)",
         infer_pyname(I, t), infer_pyname(I, kt));
  return RW && kt ? infer_conv(I, x, kt, line) : x;
}

static bool known(In *I, IrRef d) { return keytype(I, d) && valtype(I, d); }

/* `k in d` (not: `not in`) as DFIND >= 0 ('v' becomes the compare). */
static IrType contains(In *I, IrRef v, IrRef d, IrRef k, bool not, int32_t line)
{
  if (!known(I, d)) return IRT_VOID;
  IrRef kk = key_of(I, d, k, line);
  if (!RW) return IRT_BOOL;
  IrRef a[2] = {d, kk};
  IrRef e = infer_before(I, IR_DFIND, IRT_INT, a, 2, line);
  IrRef c[2] = {e, infer_konst(I, IRT_INT, (IrAuxVal){.i = 0}, line)};
  return infer_mk_op(I, v, not ? IR_LT : IR_GE, IRT_BOOL, c, 2);
}

IrType infer_dict_op(In *I, IrRef v)
{
  IrVal *x = val(I, v);
  int32_t line = x->line;
  for (uint32_t i = 0; i < x->nargs; i++)
    if (!TY(x->args[i])) return IRT_VOID;
  IrRef d = x->nargs ? x->args[0] : 0;
  switch (x->op) {
  case IR_DNEW:
    for (uint32_t i = 0; i + 1 < x->nargs; i += 2) {
      add(I, v, TY(x->args[i]), 0, line);
      add(I, v, TY(x->args[i + 1]), 1, line);
    }
    if (RW) {
      IrType dt = dicttype(I, v);
      for (uint32_t i = 0; i < x->nargs; i++) {
        IrRef a = infer_conv(I, val(I, v)->args[i], info(I, dt)->elem[i & 1], line);
        val(I, v)->args[i] = a;
      }
    }
    return dicttype(I, v);
  case IR_DLEN: case IR_DFIND: return IRT_INT;
  case IR_DGET: return valtype(I, d);
  case IR_DKEY: return keytype(I, d);
  case IR_DVAL: return valtype(I, d);
  case IR_DSET: case IR_DPACK: case IR_DCLEAR: infer_set_impure(I); return IRT_VOID;
  case IR_DCOPY: return dicttype(I, d);
  case IR_DVIEW: return TY(v);
  case IR_DDEL: {
    if (!isdict(I, d)) ir_error(CTX, EM_ERR_CONSTRUCT, line, "del statements other than del d[k] of a dict");
    infer_set_impure(I);
    if (!known(I, d)) return IRT_VOID;
    IrRef k = key_of(I, d, x->args[1], line);
    if (RW) val(I, v)->args[1] = k;
    return IRT_VOID;
  }
  case IR_GETITEM: {
    if (!known(I, d)) return IRT_VOID;
    IrRef k = key_of(I, d, x->args[1], line);
    if (!RW) return valtype(I, d);
    IrRef a[2] = {d, k};
    return infer_mk_op(I, v, IR_DGET, valtype(I, d), a, 2);
  }
  case IR_SETITEM: {
    add(I, d, TY(x->args[1]), 0, line);
    add(I, d, TY(x->args[2]), 1, line);
    infer_set_impure(I);
    if (!RW) return IRT_VOID;
    IrRef a[3] = {d, infer_conv(I, x->args[1], keytype(I, d), line), infer_conv(I, x->args[2], valtype(I, d), line)};
    return infer_mk_op(I, v, IR_DSET, IRT_VOID, a, 3);
  }
  case IR_GETITER: {
    IrType t = TY(d);
    const IrTypeInfo *ti = info(I, t);
    IrType kt = ti->elem[0], vt = ti->elem[1];
    if (ti->ndim == 0) t = dicttype(I, d), kt = keytype(I, d), vt = valtype(I, d);
    if (!kt || !vt) return IRT_VOID;
    IrType kv[2] = {kt, vt};
    IrType item = ti->ndim == 2 ? vt : ti->ndim == 3 ? ir_type_tuple(CTX, kv, 2) : kt;
    return ir_type_iter(CTX, item, t);
  }
  default: ember_die("infer_dict_op");
  }
}

IrType infer_dict_truth(In *I, IrRef v, IrRef d)
{
  if (!RW) return IRT_BOOL;
  IrRef n = infer_before(I, IR_DLEN, IRT_INT, &d, 1, val(I, v)->line);
  IrRef a[2] = {n, infer_konst(I, IRT_INT, (IrAuxVal){.i = 0}, val(I, v)->line)};
  return infer_mk_op(I, v, IR_NE, IRT_BOOL, a, 2);
}

/* -- Calls -------------------------------------------------------------------- */

static const char lib_tag[] = "dict library";   /* operands rearranged for a library call */
static const char lib_values[] = "dict library of values";   /* and the view was d.values() */

/* The dict a view 'r' shows (d.keys(): the call, or its DVIEW after rewriting); 'r' itself if a dict. */
static IrRef dict_of(In *I, IrRef r)
{
  IrVal *x = val(I, r);
  if (info(I, TY(r))->ndim == 0) return r;
  if (x->op == IR_DVIEW) return x->args[0];
  if (x->op == IR_CALL && val(I, x->args[0])->op == IR_ATTR) return val(I, x->args[0])->args[0];
  ir_error(CTX, EM_ERR_CONSTRUCT, x->line, "dict views other than d.keys(), d.values() and d.items() written out");
}

/* Call 'v' of library function 'qn' with its operands as they are (args[0] the callee). */
static IrType library(In *I, IrRef v, const char *qn, int32_t line)
{
  IrHost *h = &CTX->host;
  int64_t id;
  for (uint32_t i = 1; i < val(I, v)->nargs; i++)
    if (kindof(I, TY(val(I, v)->args[i])) == IRK_DICT && !known(I, val(I, v)->args[i])) return IRT_VOID;
  if (!h->resolve || h->resolve(h->host, qn, &id)) ir_error(CTX, EM_ERR_CALL, line, qn);
  return infer_callfn(I, v, id, qn);
}

bool infer_dict_takes(In *I, IrRef v, const char *name)
{
  IrVal *x = val(I, v), *c = val(I, x->args[0]);
  if (!name && c->op == IR_ATTR) return isdict(I, c->args[0]);
  if (name && (!strcmp(name, "operator.contains") || !strcmp(name, "operator.not_contains")))
    return x->nargs == 3 && isdict(I, x->args[1]);   /* contains(d, k) */
  if (name || c->op == IR_FUNCREF)   /* a builtin over a dict, or an ember.jit function given one */
    for (uint32_t i = 1; i < x->nargs; i++)
      if (kindof(I, TY(x->args[i])) == IRK_DICT) return true;
  return false;
}

/* d.get(k, x) and d.pop(k, x): the value if present, else x (pop: removed). */
static IrType get_or(In *I, IrRef v, IrRef d, IrRef k, IrRef dflt, bool pop, int32_t line)
{
  IrType vt = valtype(I, d);
  IrType t = infer_join(I, vt, TY(dflt), line, "the result of get");
  if (kindof(I, TY(dflt)) == IRK_NONE || infer_cat(I, t) > 3)
    TERR(line, "dict.%s() with a %s default: Ember needs one type for the result (pass a default of the value type)",
         pop ? "pop" : "get", infer_pyname(I, TY(dflt)));
  if (!RW) return t;
  IrRef a[2] = {d, k};
  IrRef e = infer_before(I, IR_DFIND, IRT_INT, a, 2, line);
  IrRef c[2] = {e, infer_konst(I, IRT_INT, (IrAuxVal){.i = 0}, line)};
  IrRef ok = infer_before(I, IR_GE, IRT_BOOL, c, 2, line);
  IrRef g[2] = {d, e};
  IrRef got = infer_before(I, IR_DVAL, vt, g, 2, line);   /* entry -1 reads the key memory before: unused */
  if (pop) {
    IrRef del = infer_before(I, IR_DDEL, IRT_VOID, a, 2, line);
    val(I, del)->aux.v.i = 1;
  }
  IrRef s[3] = {ok, infer_conv(I, got, t, line), infer_conv(I, dflt, t, line)};
  return infer_mk_op(I, v, IR_SELECT, t, s, 3);
}

static IrType method(In *I, IrRef v, int32_t line)
{
  IrVal *x = val(I, v), *c = val(I, x->args[0]);
  IrRef d = c->args[0];
  const char *m = c->aux.v.s;
  uint32_t n = x->nargs - 1;
  if (x->aux.nkw) ir_errorf(CTX, EM_ERR_ARGS, line, "dict.%s() takes no keyword arguments", m);
  if (!strcmp(m, "setdefault") && n >= 1) {   /* a store first: the types join */
    add(I, d, TY(x->args[1]), 0, line);
    if (n == 2) add(I, d, TY(x->args[2]), 1, line);
  }
  if (!strcmp(m, "update") && (n == 1 || x->aux.s == lib_tag)) {   /* dict.update(d, other) of the library; the types join */
    IrRef o = x->aux.s == lib_tag ? x->args[2] : x->args[1];
    if (!isdict(I, o)) TERR(line, "dict.update() of a %s (a dict here)", infer_pyname(I, TY(o)));
    add(I, d, keytype(I, o), 0, line);
    add(I, d, valtype(I, o), 1, line);
    infer_set_impure(I);
    if (x->aux.s != lib_tag) {   /* once: [callee, d, other] */
      IrRef *a = ir_alloc(CTX, 3 * sizeof *a);
      a[0] = x->args[0], a[1] = d, a[2] = o;
      x->args = a;
      x->nargs = 3;
      x->aux.s = lib_tag;
    }
    return library(I, v, "dict.update", line);
  }
  if (!known(I, d) && n == 2 && (!strcmp(m, "get") || !strcmp(m, "pop"))) {   /* `d[k] = d.get(k, 0) + 1` on d = {} */
    add(I, d, TY(x->args[1]), 0, line);   /* the key is looked up, so it is one */
    return valtype(I, d) ? IRT_VOID : TY(x->args[2]);   /* for now: the default's type (joined once known) */
  }
  if (!known(I, d)) return IRT_VOID;
  IrRef k = n ? key_of(I, d, x->args[1], line) : 0;
  IrType vt = valtype(I, d);
  if (!strcmp(m, "get") && n == 2) return get_or(I, v, d, k, x->args[2], false, line);
  if (!strcmp(m, "pop") && n == 2) { infer_set_impure(I); return get_or(I, v, d, k, x->args[2], true, line); }
  if (!strcmp(m, "get") && n == 1)
    TERR(line, "dict.get(k) without a default returns None when k is missing: Ember needs a default of the value type");
  if (!strcmp(m, "pop") && n == 1) {
    infer_set_impure(I);
    if (!RW) return vt;
    IrRef a[2] = {d, k};
    IrRef got = infer_before(I, IR_DGET, vt, a, 2, line);
    infer_before(I, IR_DDEL, IRT_VOID, a, 2, line);
    return infer_mk_fwd(I, v, got);
  }
  if (!strcmp(m, "setdefault") && n == 2) {
    infer_set_impure(I);
    if (!RW) return vt;
    IrRef a[3] = {d, k, infer_conv(I, x->args[2], vt, line)};
    IrRef set = infer_before(I, IR_DSET, IRT_VOID, a, 3, line);
    val(I, set)->aux.v.i = 1;
    return infer_mk_op(I, v, IR_DGET, vt, a, 2);
  }
  if (!strcmp(m, "setdefault")) TERR(line, "dict.setdefault(k) without a default stores None: Ember needs a default");
  if (!strcmp(m, "clear") && n == 0) { infer_set_impure(I); return RW ? infer_mk_op(I, v, IR_DCLEAR, IRT_NONE, &d, 1) : IRT_NONE; }
  if (!strcmp(m, "copy") && n == 0) return RW ? infer_mk_op(I, v, IR_DCOPY, dicttype(I, d), &d, 1) : dicttype(I, d);
  static const char *const views[3] = {"keys", "values", "items"};
  for (int w = 0; w < 3; w++) {
    if (strcmp(m, views[w]) || n) continue;
    IrType t = ir_type_dict(CTX, keytype(I, d), vt, w + 1);
    return RW ? infer_mk_op(I, v, IR_DVIEW, t, &d, 1) : t;
  }
  ir_errorf(CTX, EM_ERR_CONSTRUCT, line, "dict.%s() with %u arguments", m, n);
}

IrType infer_dict_call(In *I, IrRef v, const char *name)
{
  IrVal *x = val(I, v);
  int32_t line = x->line;
  uint32_t n = x->nargs - 1;
  for (uint32_t i = 0; i < x->nargs; i++)
    if (!TY(x->args[i])) return IRT_VOID;
  IrVal *c = val(I, x->args[0]);
  if (!name && c->op == IR_FUNCREF) {   /* an ember.jit function: once the dicts' types are known */
    for (uint32_t i = 1; i < x->nargs; i++)
      if (kindof(I, TY(x->args[i])) == IRK_DICT && !known(I, x->args[i])) return IRT_VOID;
    return infer_callfn(I, v, c->aux.v.i, c->aux.s ? c->aux.s : "function");
  }
  if (!name) return method(I, v, line);
  IrRef a0 = n ? x->args[1] : 0;
  if ((!strcmp(name, "operator.contains") || !strcmp(name, "operator.not_contains")) && n == 2)
    return contains(I, v, a0, x->args[2], name[9] == 'n', line);
  if (!strcmp(name, "len") && n == 1) {
    if (!RW) return IRT_INT;
    return infer_mk_op(I, v, IR_DLEN, IRT_INT, &a0, 1);
  }
  if (!strcmp(name, "bool") && n == 1 && isdict(I, a0)) return infer_dict_truth(I, v, a0);
  static const char *const known_fns[] = {"sum", "min", "max", "sorted", "list", "any", "all"};
  for (size_t f = 0; f < sizeof known_fns / sizeof *known_fns; f++) {
    if (strcmp(name, known_fns[f]) || n != 1 || kindof(I, TY(a0)) != IRK_DICT) continue;
    int view = x->aux.s == lib_values ? 2 : x->aux.s == lib_tag ? 1 : info(I, TY(a0))->ndim;
    if (x->aux.nkw || view == 3) break;
    if (x->aux.s != lib_tag && x->aux.s != lib_values) {   /* once: the view's dict is the argument */
      x->aux.s = view == 2 ? lib_values : lib_tag;
      x->args[1] = dict_of(I, a0);
    }
    char qn[48];
    snprintf(qn, sizeof qn, "dict.%s.%s", name, view == 2 ? "values" : "keys");
    return library(I, v, ir_strdup(CTX, qn), line);
  }
  ir_errorf(CTX, EM_ERR_CONSTRUCT, line, "%s() of a dict or a dict view", name);
}

#undef RW
#undef TY
#undef CTX
#undef TERR
