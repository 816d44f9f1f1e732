/* passes/stabilize.c: numerically stable forms of scalar math (stabilize).
 *
 * Each rule matches an instruction and the instructions defining its
 * operands (never across block parameters) and names its row of
 * rewrites.def; a rule is skipped when the user excluded it.  A rule
 * changes a result only by making it more accurate: the new form equals
 * the exact value of the naive expression to within an ulp or two where
 * the naive form overflows, underflows or cancels (tools/bench/
 * bench_stability.py prints the table).
 *
 * Exceptions (passes/README.md, rule 10): a consumed math call that may
 * raise (exp, log, expm1, sqrt) is an intrinsic, which dce never removes
 * unless fastmath, so every exception an *operand* raised in CPython is
 * still raised: log(exp(800.0)) raises OverflowError as CPython does (and
 * gives 800.0 under fastmath).  The rewritten operation itself raises
 * where the exact value is outside its domain (log1p(-1.0), log1mexp(0.0))
 * and not where only the naive rounding hit a pole (log(1 - sigmoid(40.0)),
 * whose operand rounds to 0.0, raises ValueError in CPython and is -40.0 here).
 *
 * Signed zeros: where the new form gives -0.0 and the naive one +0.0 (log1p,
 * expm1, erf at -0.0), the rule adds + 0.0 (x + 0.0 is x for every other x).
 * (log(sigmoid(x)) = -softplus(-x) + 0.0 too: the naive form's 0.0 where
 * the exact value is a negative number too small for a double).
 *
 * Order of work: reverse postorder, operands before uses, so inner rules
 * fire first (1/(1+exp(-x)) becomes sigmoid(x) before log(sigmoid(x))
 * becomes -softplus(-x)); sweeps to a fixed point.  A rule rewrites the
 * value in place and inserts at most three instructions before it; every
 * rule removes a pattern no rule creates, so the sweep terminates.
 *
 * Expects: typed, canonical IR (constants right of add and mul).  Leaves:
 * the same IR with intrinsics SIGMOID, SOFTPLUS, LOG1MEXP, LOGADDEXP, NORM2.
 */
#include <math.h>
#include <string.h>

#include "passes.h"

/* -- Matching --------------------------------------------------------------- */

static IrVal *V(IrFunc *fn, IrRef r) { return ir_val(fn, r); }

/* Is 'r' intrinsic 'id'? Then '*x' is its first operand. */
static bool isin(IrFunc *fn, IrRef r, int id, IrRef *x)
{
  IrVal *v = V(fn, r);
  if (v->op != IR_INTRIN || v->aux.v.i != id || v->type != IRT_F64) return false;
  if (x) *x = v->args[0];
  return true;
}

static bool isk(IrFunc *fn, IrRef r, double k)
{
  IrVal *v = V(fn, r);
  return v->op == IR_CONST && v->type == IRT_F64 && v->aux.v.f == k;
}

/* Is 'r' op 'o' (f64)?  Then its operands in '*a', '*b'. */
static bool isop(IrFunc *fn, IrRef r, IrOp o, IrRef *a, IrRef *b)
{
  IrVal *v = V(fn, r);
  if (v->op != o || v->type != IRT_F64) return false;
  *a = v->args[0];
  if (b) *b = v->nargs > 1 ? v->args[1] : 0;
  return true;
}

/* Is 'r' x + 1.0 (either order)? */
static bool is1plus(IrFunc *fn, IrRef r, IrRef *x)
{
  IrRef a, b;
  if (!isop(fn, r, IR_ADD, &a, &b)) return false;
  if (isk(fn, b, 1.0)) { *x = a; return true; }
  if (isk(fn, a, 1.0)) { *x = b; return true; }
  return false;
}

/* Is 'r' -(intrinsic 'id' of x)? */
static bool isnegin(IrFunc *fn, IrRef r, int id, IrRef *x)
{
  IrRef a;
  return isop(fn, r, IR_NEG, &a, NULL) && isin(fn, a, id, x);
}

/* Is 'r' x*x? */
static bool issqr(IrFunc *fn, IrRef r, IrRef *x)
{
  IrRef a, b;
  if (!isop(fn, r, IR_MUL, &a, &b) || a != b) return false;
  *x = a;
  return true;
}

/* -- Building --------------------------------------------------------------- */

static uint32_t position(IrFunc *fn, IrRef v)
{
  IrBlock *bk = ir_blk(fn, V(fn, v)->blk);
  uint32_t i = 0;
  while (i < bk->ninsts && bk->insts[i] != v) i++;
  return i;
}

/* Insert `op args` of type f64 right before 'v'. */
static IrRef before(IrFunc *fn, IrRef v, IrOp op, IrRef a, IrRef b, uint32_t n)
{
  IrRef args[2] = {a, b};
  return ir_insert(fn, V(fn, v)->blk, position(fn, v), op, IRT_F64, args, n, V(fn, v)->line);
}

/* Intrinsic 'id' on 'a' ('b') inserted before 'v'. */
static IrRef intrin_before(IrFunc *fn, IrRef v, int id, IrRef a, IrRef b)
{
  IrRef r = before(fn, v, IR_INTRIN, a, b, b ? 2 : 1);
  V(fn, r)->aux.v.i = id;
  return r;
}

/* -x before 'v', or the operand of 'x' if it is a neg already. */
static IrRef negate(IrFunc *fn, IrRef v, IrRef x)
{
  IrRef a;
  if (isop(fn, x, IR_NEG, &a, NULL)) return a;
  return before(fn, v, IR_NEG, x, 0, 1);
}

/* Make 'v' `op a (b)` in place (aux: intrinsic id). */
static void become(IrFunc *fn, IrRef v, IrOp op, int id, IrRef a, IrRef b, uint32_t n)
{
  ir_val_set(fn, v, op, a, b, n);
  if (op == IR_INTRIN) V(fn, v)->aux.v.i = id;
}

static void become_in(IrFunc *fn, IrRef v, int id, IrRef a) { become(fn, v, IR_INTRIN, id, a, 0, 1); }

/* Make 'v' `intrinsic 'id' of a, + 0.0`: where the new form gives -0.0 and the
 * naive one +0.0 (log1p(-0.0) against log(1 + -0.0)), + 0.0 keeps the naive sign. */
static void become_in_p0(IrFunc *fn, IrRef v, int id, IrRef a)
{
  IrRef r = intrin_before(fn, v, id, a, 0);
  IrRef z = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_CONST, IRT_F64, NULL, 0, V(fn, v)->line);
  become(fn, v, IR_ADD, 0, r, z, 2);
}
static void become_neg(IrFunc *fn, IrRef v, IrRef a) { become(fn, v, IR_NEG, 0, a, 0, 1); }

/* Make 'v' `-a + 0.0` (the naive form's +0.0 where -a is -0.0). */
static void become_neg_p0(IrFunc *fn, IrRef v, IrRef a)
{
  IrRef n = before(fn, v, IR_NEG, a, 0, 1);
  IrRef z = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_CONST, IRT_F64, NULL, 0, V(fn, v)->line);
  become(fn, v, IR_ADD, 0, n, z, 2);
}

/* Before 'v': the bool `x == k`. */
static IrRef eqk(IrFunc *fn, IrRef v, IrRef x, double k)
{
  IrRef m = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_CONST, IRT_F64, NULL, 0, V(fn, v)->line);
  V(fn, m)->aux.v.f = k;
  IrRef args[2] = {x, m};
  return ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_EQ, IRT_BOOL, args, 2, V(fn, v)->line);
}

/* Before 'v': raise ValueError (math domain error) when 'x' is 'k' (an
 * infinity), where the naive form reaches the pole of log or log1p exactly
 * (log(exp(-inf)) is log(0.0); log(sigmoid(-inf)) too).  Under npmath
 * (NumPy's semantics) nothing is raised. */
static void guard_eq(IrFunc *fn, IrRef v, IrRef x, double k)
{
  if (pass_options(fn)->npmath) return;   /* NumPy: log(0.0) is -inf, no exception; the stable form gives it */
  IrRef c = eqk(fn, v, x, k);
  IrRef g = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_GUARD, IRT_VOID, &c, 1, V(fn, v)->line);
  V(fn, g)->aux.v.i = RT_MATH_DOMAIN;
}

/* Replace 'v' by 'r'; returns 2 (removed). */
static int forward(IrFunc *fn, IrRef v, IrRef r)
{
  ir_replace_uses(fn, v, r);
  ir_remove(fn, v);
  return 2;
}

/* May rule 'id' fire?  Counts it when it may. */
static bool on(IrFunc *fn, int id)
{
  if (!pass_rw_on(fn, id, false)) return false;
  pass_rw_fired(fn, id);
  return true;
}

/* -- Rules, by the op they rewrite ---------------------------------------------- */

/* log(a) */
static int st_log(IrFunc *fn, IrRef v, IrRef a)
{
  IrRef x, y, b;
  if (is1plus(fn, a, &x) && on(fn, RW_log1p)) {              /* log(1 + x) ==> log1p(x) */
    become_in_p0(fn, v, IN_LOG1P, x);
    return 1;
  }
  if (isop(fn, a, IR_SUB, &b, &x) && isk(fn, b, 1.0) && on(fn, RW_log1p)) {   /* log(1 - x) ==> log1p(-x) */
    become_in_p0(fn, v, IN_LOG1P, negate(fn, v, x));
    return 1;
  }
  if (isin(fn, a, IN_EXP, &x) && on(fn, RW_log_exp)) {          /* log(exp(x)) ==> x + 0.0 */
    guard_eq(fn, v, x, -HUGE_VAL);                                      /* log(exp(-inf)) is log(0.0) */
    IrRef z = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_CONST, IRT_F64, NULL, 0, V(fn, v)->line);
    become(fn, v, IR_ADD, 0, x, z, 2);                           /* + 0.0: log(exp(-0.0)) is +0.0 */
    return 1;
  }
  if (isin(fn, a, IN_SIGMOID, &x) && on(fn, RW_log_sigmoid)) {   /* log(sigmoid(x)) ==> -softplus(-x) */
    guard_eq(fn, v, x, -HUGE_VAL);                               /* log(sigmoid(-inf)) is log(0.0) */
    become_neg_p0(fn, v, intrin_before(fn, v, IN_SOFTPLUS, negate(fn, v, x), 0));
    return 1;
  }
  if (isnegin(fn, a, IN_EXPM1, &x) && on(fn, RW_log1mexp)) {    /* log(-expm1(x)) ==> log1mexp(x) + 0.0 */
    become_in_p0(fn, v, IN_LOG1MEXP, x);
    return 1;
  }
  if (isop(fn, a, IR_ADD, &b, &y) && isin(fn, b, IN_EXP, &x) && isin(fn, y, IN_EXP, &y)
      && on(fn, RW_logaddexp)) {                                 /* log(exp(x) + exp(y)) ==> logaddexp(x, y) */
    become(fn, v, IR_INTRIN, IN_LOGADDEXP, x, y, 2);
    return 1;
  }
  if (isin(fn, a, IN_SQRT, &x) && on(fn, RW_log_sqrt)) {         /* log(sqrt(x)) ==> 0.5 * log(x) */
    IrRef l = intrin_before(fn, v, IN_LOG, x, 0);
    IrRef h = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_CONST, IRT_F64, NULL, 0, V(fn, v)->line);
    V(fn, h)->aux.v.f = 0.5;
    become(fn, v, IR_MUL, 0, l, h, 2);
    return 1;
  }
  return 0;
}

/* log1p(a) */
static int st_log1p(IrFunc *fn, IrRef v, IrRef a)
{
  IrRef x;
  if (isin(fn, a, IN_EXP, &x) && on(fn, RW_softplus)) {         /* log1p(exp(x)) ==> softplus(x) */
    become_in(fn, v, IN_SOFTPLUS, x);
    return 1;
  }
  if (isnegin(fn, a, IN_EXP, &x) && on(fn, RW_log1mexp)) {       /* log1p(-exp(x)) ==> log1mexp(x) */
    become_in(fn, v, IN_LOG1MEXP, x);
    return 1;
  }
  if (isnegin(fn, a, IN_SIGMOID, &x) && on(fn, RW_log1m_sigmoid)) {   /* log1p(-sigmoid(x)) ==> -softplus(x) */
    guard_eq(fn, v, x, HUGE_VAL);                                /* log1p(-sigmoid(inf)) is log1p(-1.0) */
    become_neg(fn, v, intrin_before(fn, v, IN_SOFTPLUS, x, 0));   /* -0.0 at -inf, as log1p(-0.0) */
    return 1;
  }
  if (isin(fn, a, IN_EXPM1, &x) && on(fn, RW_log1p_expm1)) {   /* log1p(expm1(x)) ==> x */
    guard_eq(fn, v, x, -HUGE_VAL);                                      /* log1p(expm1(-inf)) is log1p(-1.0) */
    return forward(fn, v, x);
  }
  return 0;
}

/* sqrt(a) */
static int st_sqrt(IrFunc *fn, IrRef v, IrRef a)
{
  IrRef x, y, p, q;
  if (issqr(fn, a, &x) && on(fn, RW_sqrt_sqr)) {                 /* sqrt(x*x) ==> fabs(x) */
    become_in(fn, v, IN_FABS, x);
    return 1;
  }
  if (isop(fn, a, IR_ADD, &p, &q) && issqr(fn, p, &x) && issqr(fn, q, &y) && on(fn, RW_hypot)) {
    become(fn, v, IR_INTRIN, IN_NORM2, x, y, 2);                 /* sqrt(x*x + y*y) ==> hypot(x, y) */
    return 1;
  }
  return 0;
}

/* a - b */
static int st_sub(IrFunc *fn, IrRef v, IrRef a, IrRef b)
{
  IrRef x;
  if (isin(fn, a, IN_EXP, &x) && isk(fn, b, 1.0) && on(fn, RW_expm1)) {   /* exp(x) - 1 ==> expm1(x) */
    become_in_p0(fn, v, IN_EXPM1, x);
    return 1;
  }
  if (isin(fn, a, IN_ERF, &x) && isk(fn, b, 1.0) && on(fn, RW_erf_minus_one)) {   /* erf(x) - 1 ==> -erfc(x) */
    become_neg_p0(fn, v, intrin_before(fn, v, IN_ERFC, x, 0));
    return 1;
  }
  if (!isk(fn, a, 1.0)) return 0;
  if (isin(fn, b, IN_SIGMOID, &x) && on(fn, RW_one_minus_sigmoid)) {   /* 1 - sigmoid(x) ==> sigmoid(-x) */
    become_in(fn, v, IN_SIGMOID, negate(fn, v, x));
    return 1;
  }
  if (isin(fn, b, IN_ERF, &x) && on(fn, RW_erfc)) {              /* 1 - erf(x) ==> erfc(x) */
    become_in(fn, v, IN_ERFC, x);
    return 1;
  }
  if (isin(fn, b, IN_ERFC, &x) && on(fn, RW_erf)) {              /* 1 - erfc(x) ==> erf(x) */
    become_in_p0(fn, v, IN_ERF, x);
    return 1;
  }
  return 0;
}

/* a + b (the constant is b after canonicalize) */
static int st_add(IrFunc *fn, IrRef v, IrRef a, IrRef b)
{
  IrRef x;
  if (isk(fn, a, 1.0) || isk(fn, a, -1.0)) { IrRef t = a; a = b; b = t; }
  if (isin(fn, a, IN_EXP, &x) && isk(fn, b, -1.0) && on(fn, RW_expm1)) {   /* exp(x) + -1 ==> expm1(x) */
    become_in_p0(fn, v, IN_EXPM1, x);
    return 1;
  }
  if (isin(fn, a, IN_ERF, &x) && isk(fn, b, 1.0) && on(fn, RW_one_plus_erf)) {   /* erf(x) + 1 ==> erfc(-x) */
    become_in(fn, v, IN_ERFC, negate(fn, v, x));
    return 1;
  }
  if (isin(fn, a, IN_ERF, &x) && isk(fn, b, -1.0) && on(fn, RW_erf_minus_one)) {   /* erf(x) + -1 ==> -erfc(x) */
    become_neg_p0(fn, v, intrin_before(fn, v, IN_ERFC, x, 0));
    return 1;
  }
  return 0;
}

/* a / b */
static int st_div(IrFunc *fn, IrRef v, IrRef a, IrRef b)
{
  IrRef x, y;
  if (!is1plus(fn, b, &y) || !isin(fn, y, IN_EXP, &y)) return 0;
  if (isk(fn, a, 1.0) && on(fn, RW_sigmoid)) {                  /* 1 / (1 + exp(y)) ==> sigmoid(-y) */
    become_in(fn, v, IN_SIGMOID, negate(fn, v, y));
    return 1;
  }
  if (isin(fn, a, IN_EXP, &x) && x == y && on(fn, RW_exp_sigmoid)) {   /* exp(x) / (1 + exp(x)) ==> sigmoid(x) */
    IrRef sg = intrin_before(fn, v, IN_SIGMOID, x, 0), c = eqk(fn, v, x, HUGE_VAL);
    IrRef n = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_CONST, IRT_F64, NULL, 0, V(fn, v)->line);
    V(fn, n)->aux.v.f = NAN;                                     /* inf / inf, as the naive form */
    IrRef *args = ir_alloc(fn->ctx, 3 * sizeof *args);
    args[0] = c, args[1] = n, args[2] = sg;
    IrVal *w = V(fn, v);
    w->op = IR_SELECT, w->args = args, w->nargs = 3;
    return 1;
  }
  return 0;
}

/* -- Whole arrays -------------------------------------------------------------
 * The reductions are library calls (infer_array.c names them in aux.s) and
 * elementwise operations `ew` values; the stable forms are library functions
 * of jit/ember/_lib.py ("ember.logsumexp", "ember.softmax"), which shift by
 * the maximum and fall back to the naive form where it is not finite. */

/* The number of uses of 'r'. */
static uint32_t nuses(IrFunc *fn, IrRef r)
{
  uint32_t n = 0;
  IR_FOREACH_BLOCK(fn, b) {
    IrBlock *bk = &fn->blocks[b];
    for (uint32_t i = 0; i < bk->ninsts; i++) {
      IrVal *x = V(fn, bk->insts[i]);
      for (uint32_t k = 0; k < x->nargs; k++) n += x->args[k] == r;
      for (uint32_t s = 0; s < x->nsucc; s++)
        for (uint32_t k = 0; k < x->succ[s].nargs; k++) n += x->succ[s].args[k] == r;
    }
  }
  return n;
}

/* Is 'r' a call of library function 'name'? */
static bool islib(IrFunc *fn, IrRef r, const char *name)
{
  IrVal *x = V(fn, r);
  return x->op == IR_CALLFN && x->aux.s && !strcmp(x->aux.s, name);
}

/* Is 'r' `ew "name"` of one operand?  Then '*x' is it. */
static bool isew(IrFunc *fn, IrRef r, const char *name, IrRef *x)
{
  IrVal *v = V(fn, r);
  if (v->op != IR_EW || v->nargs != 1 || strcmp(v->aux.v.s, name)) return false;
  *x = v->args[0];
  return true;
}

/* Is X already shifted by its maximum, x - max(x) (the stable form a user
 * writes)?  Then exp(X) cannot overflow and the rewrite would only add passes. */
static bool shifted(IrFunc *fn, IrRef x)
{
  IrVal *s = V(fn, x);
  if (s->op != IR_EW || s->nargs != 2 || strcmp(s->aux.v.s, "sub.float64.float64")) return false;
  IrRef m = s->args[1];
  return (islib(fn, m, "ndarray.max") || islib(fn, m, "numpy.max") || islib(fn, m, "numpy.amax"))
      && V(fn, m)->nargs >= 1 && V(fn, m)->args[0] == s->args[0];
}

/* Is 'r' the sum of exp(X), X a float64 array (np.sum(np.exp(X)),
 * np.exp(X).sum(), np.sum(np.exp(X), axis=k))?  Then '*x' is X and '*axis'
 * the axis operand (a constant int), or 0 for the whole array (axis=None, or
 * axis 0 or -1 of a 1-D X). */
static bool issumexp(IrFunc *fn, IrRef r, IrRef *x, IrRef *axis)
{
  IrVal *s = V(fn, r);
  *axis = 0;
  if (!(islib(fn, r, "numpy.sum") || islib(fn, r, "ndarray.sum")) || !s->nargs) return false;
  for (uint32_t k = 1; k < s->nargs; k++) {
    IrVal *a = V(fn, s->args[k]);
    if (k == 1 && a->op == IR_CONST && a->type == IRT_INT) { *axis = s->args[k]; continue; }
    if (a->op != IR_CONST || !(a->type == IRT_NONE || (a->type == IRT_BOOL && !a->aux.v.i))) return false;
  }
  if (!isew(fn, s->args[0], "numpy.exp.float64", x) || shifted(fn, *x)) return false;
  const IrTypeInfo *xt = ir_type_info(fn->ctx, V(fn, *x)->type);
  if (xt->kind != IRK_ARRAY) return false;
  if (*axis && xt->ndim == 1 && (V(fn, *axis)->aux.v.i == 0 || V(fn, *axis)->aux.v.i == -1)) *axis = 0;
  return *axis ? xt->ndim == 2 && ir_type_info(fn->ctx, s->type)->kind == IRK_ARRAY : s->type == IRT_F64;
}

/* Remove call 'r' (a reduction the rewrite no longer needs) when nothing uses it. */
static void drop(IrFunc *fn, IrRef r)
{
  if (!nuses(fn, r)) ir_remove(fn, r);
}

/* log(sum(exp(X))) ==> logsumexp(X): 'v' is math.log or np.log of 'a' (a
 * scalar), or np.log of a sum along an axis of a 2-D X (an array). */
static int st_logsumexp(IrFunc *fn, IrRef v, IrRef a)
{
  IrRef x[2];
  if (!issumexp(fn, a, &x[0], &x[1]) || !on(fn, RW_logsumexp)) return 0;
  if (x[1]) pass_call_library(fn, v, "ember.logsumexp_axis", x, 2);
  else pass_call_library(fn, v, "ember.logsumexp", x, 1);
  drop(fn, a);
  return 1;
}

/* exp(X) / sum(exp(X)) ==> softmax(X); log(softmax(X)) ==> X - logsumexp(X). */
static int st_array(IrFunc *fn, IrRef v)
{
  IrVal *w = V(fn, v);
  IrRef x, y, s, ax;
  if (isew(fn, v, "numpy.log.float64", &s) && V(fn, s)->op == IR_CALLFN && st_logsumexp(fn, v, s))
    return 1;
  if (!strcmp(w->aux.v.s, "truediv.float64.float64") && w->nargs == 2 && isew(fn, w->args[0], "numpy.exp.float64", &x)
      && issumexp(fn, s = w->args[1], &y, &ax) && !ax && x == y && on(fn, RW_softmax)) {
    pass_call_library(fn, v, "ember.softmax", &x, 1);
    drop(fn, s);
    return 1;
  }
  if (isew(fn, v, "numpy.log.float64", &s) && islib(fn, s, "ember.softmax") && nuses(fn, s) == 1
      && on(fn, RW_log_softmax)) {
    x = V(fn, s)->args[0];
    IrRef l = ir_insert(fn, V(fn, v)->blk, position(fn, v), IR_CALLFN, IRT_F64, &x, 1, V(fn, v)->line);
    pass_call_library(fn, l, "ember.logsumexp", &x, 1);
    IrVal *u = V(fn, v);
    IrRef *args = ir_alloc(fn->ctx, 2 * sizeof *args);
    args[0] = x, args[1] = l;
    u->args = args, u->nargs = 2, u->aux.v.s = "sub.float64.float64";
    drop(fn, s);
    return 1;
  }
  return 0;
}

/* Stabilize 'v' once: 0 unchanged, 1 changed in place, 2 removed. */
static int stabilize1(IrFunc *fn, IrRef v)
{
  IrVal *x = V(fn, v);
  if (x->op == IR_EW) return st_array(fn, v);
  if (x->type != IRT_F64 || !x->nargs) return 0;
  IrRef a = x->args[0], b = x->nargs > 1 ? x->args[1] : 0, y;
  switch (x->op) {
  case IR_CALLFN: return islib(fn, v, "numpy.log") && x->nargs == 1 ? st_logsumexp(fn, v, a) : 0;
  case IR_SUB: return st_sub(fn, v, a, b);
  case IR_ADD: return st_add(fn, v, a, b);
  case IR_TRUEDIV: return st_div(fn, v, a, b);
  case IR_INTRIN:
    switch (x->aux.v.i) {
    case IN_LOG: return x->nargs == 1 ? (st_logsumexp(fn, v, a) || st_log(fn, v, a)) : 0;
    case IN_LOG1P: return st_log1p(fn, v, a);
    case IN_SQRT: return st_sqrt(fn, v, a);
    case IN_EXP: return isin(fn, a, IN_LOG, &y) && on(fn, RW_exp_log) ? forward(fn, v, y) : 0;   /* exp(log(x)) ==> x */
    default: return 0;
    }
  default: return 0;
  }
}

void pass_stabilize(IrFunc *fn)
{
  pass_rewrite_rpo(fn, stabilize1);
}
