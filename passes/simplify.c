/* passes/simplify.c: algebraic identities that keep results exact.
 *
 * One table of rules, one row each: the op, the operand types it applies to,
 * the pattern of the second operand (or of the operand's own op), and what
 * the value becomes, with the identity in a comment.  Every row holds for
 * every input of those types: Python int semantics (overflow behaves alike
 * on both sides), and for f64 bit for bit, NaN, infinities and -0.0
 * included (so `x + 0.0 ==> x` is absent: -0.0 + 0.0 is 0.0; `x - 0.0 ==> x`
 * is present).  Rules shrink the IR or keep its size; none grows it.
 * passes/README.md lists the rules for writing rules.
 *
 * Order of work: blocks in reverse postorder, instructions in order; first
 * the normal form (a constant operand of a commutative op goes right), then
 * the first matching row.  Sweeps repeat until nothing changes.
 *
 * Expects: typed IR.  Leaves: the same IR, simplified; operands the rules
 * stopped using are left for dce.
 */
#include <math.h>
#include <string.h>

#include "passes.h"

enum { TB = 1, TI = 2, TF = 4, TC = 8, TN = TB | TI | TF | TC };  /* operand types */

enum {                /* patterns */
  K0,                 /* second operand: constant zero (either sign) */
  KP0,                /* second operand: constant +0 (not -0.0) */
  KN0,                /* second operand: constant -0.0 */
  K1, K2, KM1,        /* second operand: constant 1, 2, -1 */
  SAME,               /* both operands are one value */
  ANY,                /* no condition */
  SELF,               /* cvt: the operand already has the result type */
  IN_NEG, IN_NOT,     /* the operand is a neg / a not */
  IN_EQ, IN_NE, IN_LT, IN_LE, IN_GT, IN_GE,  /* the operand is that comparison */
  XX,                 /* select: both arms are one value */
  TF_,                /* select: arms are the constants true, false */
  FT_,                /* select: arms are the constants false, true */
  B_NEG, A_NEG,       /* the second / first operand is a neg */
  KPOW2,              /* second operand: a constant +-2**k whose reciprocal is normal */
  MULK_SAME,          /* first operand is mul y, c and the second is the nonzero constant c */
  KHALF_NONNEG,       /* second operand: constant 0.5; first known >= +0.0 or NaN */
  IN_CVT_BOOL,        /* the operand is a cvt of a bool */
};

enum {                /* results */
  A,                  /* the first operand */
  ARM,                /* select: its first arm */
  INNER,              /* the operand's own first operand */
  Z, ONE, MONE,       /* the constant 0, 1, -1 of the result type */
  SQR,                /* mul a, a */
  DBL,                /* add a, a */
  TO_EQ, TO_NE, TO_LT, TO_LE, TO_GT, TO_GE,  /* that comparison of the operand's operands */
  COND,               /* select: its condition */
  NOTCOND,            /* select: not of its condition */
  NEGA,               /* neg a */
  ADD_NEGB, SUB_NEGB, /* a + inner(b), a - inner(b) */
  SUB_NEGA,           /* b - inner(a) */
  MUL_RECIP,          /* a * (1/b) with a new constant */
  INNER_CVT,          /* cvt of the operand's own operand to the result type */
  SQRTA,              /* intrin SQRT a */
};

typedef struct {
  uint16_t op;
  uint8_t types, pat, res;
  uint8_t rw;         /* its row of rewrites.def */
  uint8_t fast;       /* 1: only under fastmath (changes NaN, inf or -0.0) */
} Rule;

static const Rule rules[] = {
  /* int and bool arithmetic */
  {IR_ADD, TI, K0, A, RW_add_zero, 0},            /* x + 0 ==> x */
  {IR_SUB, TI, K0, A, RW_sub_zero, 0},            /* x - 0 ==> x */
  {IR_SUB, TI, SAME, Z, RW_sub_self, 0},          /* x - x ==> 0 */
  {IR_MUL, TI, K1, A, RW_mul_one, 0},            /* x * 1 ==> x */
  {IR_MUL, TI, K0, Z, RW_mul_zero, 0},            /* x * 0 ==> 0 (int only: inf * 0.0 is nan) */
  {IR_FLOORDIV, TI, K1, A, RW_div_one, 0},       /* x // 1 ==> x */
  {IR_MOD, TI, K1, Z, RW_div_one, 0},            /* x % 1 ==> 0 */
  {IR_POW, TI, K0, ONE, RW_pow_zero, 0},          /* x ** 0 ==> 1 (0 ** 0 == 1) */
  {IR_POW, TI, K1, A, RW_pow_one, 0},            /* x ** 1 ==> x */
  {IR_POW, TI, K2, SQR, RW_pow_two, 0},          /* x ** 2 ==> x * x (overflows exactly when x ** 2 does) */
  {IR_LSHIFT, TI, K0, A, RW_bit_identity, 0},         /* x << 0 ==> x */
  {IR_RSHIFT, TI, K0, A, RW_bit_identity, 0},         /* x >> 0 ==> x */
  {IR_BAND, TI, K0, Z, RW_bit_identity, 0},           /* x & 0 ==> 0 */
  {IR_BAND, TI, KM1, A, RW_bit_identity, 0},          /* x & -1 ==> x */
  {IR_BAND, TI | TB, SAME, A, RW_bit_identity, 0},    /* x & x ==> x */
  {IR_BOR, TI, K0, A, RW_bit_identity, 0},            /* x | 0 ==> x */
  {IR_BOR, TI, KM1, MONE, RW_bit_identity, 0},        /* x | -1 ==> -1 */
  {IR_BOR, TI | TB, SAME, A, RW_bit_identity, 0},     /* x | x ==> x */
  {IR_BXOR, TI, K0, A, RW_bit_identity, 0},           /* x ^ 0 ==> x */
  {IR_BXOR, TI | TB, SAME, Z, RW_bit_identity, 0},    /* x ^ x ==> 0 */
  {IR_BAND, TB, K1, A, RW_bit_identity, 0},           /* b & True ==> b */
  {IR_BAND, TB, K0, Z, RW_bit_identity, 0},           /* b & False ==> False */
  {IR_BOR, TB, K0, A, RW_bit_identity, 0},            /* b | False ==> b */
  {IR_BOR, TB, K1, ONE, RW_bit_identity, 0},          /* b | True ==> True */
  {IR_BXOR, TB, K0, A, RW_bit_identity, 0},           /* b ^ False ==> b */
  {IR_NEG, TI | TF | TC, IN_NEG, INNER, RW_neg_neg, 0},  /* -(-x) ==> x (int: CPython's answer, no overflow) */
  {IR_POS, TN, ANY, A, RW_pos, 0},           /* +x ==> x (typed: same type) */
  /* comparisons of a value with itself (not f64: nan != nan) */
  {IR_EQ, TI | TB, SAME, ONE, RW_cmp_self, 0},    /* x == x ==> True */
  {IR_LE, TI | TB, SAME, ONE, RW_cmp_self, 0},    /* x <= x ==> True */
  {IR_GE, TI | TB, SAME, ONE, RW_cmp_self, 0},    /* x >= x ==> True */
  {IR_NE, TI | TB, SAME, Z, RW_cmp_self, 0},      /* x != x ==> False */
  {IR_LT, TI | TB, SAME, Z, RW_cmp_self, 0},      /* x < x ==> False */
  {IR_GT, TI | TB, SAME, Z, RW_cmp_self, 0},      /* x > x ==> False */
  /* f64 and c128: only identities exact for nan, inf and -0.0 */
  {IR_SUB, TF, KP0, A, RW_sub_zero, 0},           /* x - 0.0 ==> x (-0.0 - 0.0 == -0.0) */
  {IR_ADD, TF, KN0, A, RW_add_zero, 0},           /* x + -0.0 ==> x (0.0 + -0.0 == 0.0) */
  {IR_MUL, TF, K1, A, RW_mul_one, 0},            /* x * 1.0 ==> x */
  {IR_TRUEDIV, TF, K1, A, RW_div_one, 0},        /* x / 1.0 ==> x */
  {IR_MUL, TF, K2, DBL, RW_mul_two, 0},          /* x * 2.0 ==> x + x (rounds and overflows alike) */
  {IR_POW, TF | TC, K0, ONE, RW_pow_zero, 0},     /* x ** 0.0 ==> 1.0 (CPython: even nan ** 0.0) */
  {IR_POW, TF, K1, A, RW_pow_one, 0},            /* x ** 1.0 ==> x (float_pow's special cases agree) */
  /* truth */
  {IR_NOT, TB, IN_NOT, INNER, RW_not_not, 0},    /* not not b ==> b */
  {IR_TRUTH, TB, ANY, A, RW_truth_bool, 0},         /* truth b ==> b */
  {IR_CVT, TN, SELF, A, RW_cvt_self, 0},          /* cvt x to its own type ==> x */
  {IR_NOT, TN, IN_EQ, TO_NE, RW_not_cmp, 0},     /* not (a == b) ==> a != b (nan: both true) */
  {IR_NOT, TN, IN_NE, TO_EQ, RW_not_cmp, 0},     /* not (a != b) ==> a == b */
  {IR_NOT, TI | TB, IN_LT, TO_GE, RW_not_cmp, 0},  /* not (a < b) ==> a >= b (not f64: nan) */
  {IR_NOT, TI | TB, IN_LE, TO_GT, RW_not_cmp, 0},  /* not (a <= b) ==> a > b */
  {IR_NOT, TI | TB, IN_GT, TO_LE, RW_not_cmp, 0},  /* not (a > b) ==> a <= b */
  {IR_NOT, TI | TB, IN_GE, TO_LT, RW_not_cmp, 0},  /* not (a >= b) ==> a < b */
  {IR_SELECT, TB, XX, ARM, RW_select_same, 0},       /* select c, x, x ==> x */
  {IR_SELECT, TB, TF_, COND, RW_select_bool, 0},     /* select c, True, False ==> c */
  {IR_SELECT, TB, FT_, NOTCOND, RW_select_bool, 0},  /* select c, False, True ==> not c */
  /* more exact rows (issue 4) */
  {IR_MUL, TI | TF, KM1, NEGA, RW_mul_neg_one, 0},   /* x * -1 ==> -x (int: both overflow at INT64_MIN) */
  {IR_SUB, TI | TF, B_NEG, ADD_NEGB, RW_sub_neg, 0},  /* x - (-y) ==> x + y (IEEE: x - z is x + (-z)) */
  {IR_ADD, TI | TF, B_NEG, SUB_NEGB, RW_add_neg, 0},  /* x + (-y) ==> x - y */
  {IR_ADD, TI | TF, A_NEG, SUB_NEGA, RW_add_neg, 0},  /* (-y) + x ==> x - y (IEEE add commutes) */
  {IR_TRUEDIV, TF, KPOW2, MUL_RECIP, RW_div_pow2, 0}, /* x / 4.0 ==> x * 0.25 (same exact quotient, one rounding) */
  {IR_FLOORDIV, TI, MULK_SAME, INNER, RW_mul_div_cancel, 0},  /* (x*c)//c ==> x (c != 0) */
  {IR_TRUEDIV, TI, MULK_SAME, INNER_CVT, RW_mul_div_cancel, 0},  /* (x*c)/c ==> float(x) (correctly rounded x) */
  {IR_POW, TF, KHALF_NONNEG, SQRTA, RW_pow_half, 0},  /* x ** 0.5 ==> sqrt(x) for x >= +0.0 or NaN */
  {IR_CVT, TI, IN_CVT_BOOL, INNER_CVT, RW_cvt_cvt, 0},  /* float(int(b)) ==> float(b) */
  {IR_TRUTH, TI | TF, IN_CVT_BOOL, INNER, RW_truth_bool, 0},  /* bool(int(b)) ==> b */
  /* fastmath only: these change NaN, inf or -0.0 */
  {IR_ADD, TF, KP0, A, RW_add_zero, 1},              /* x + 0.0 ==> x (-0.0 + 0.0 is 0.0) */
  {IR_SUB, TF, SAME, Z, RW_sub_self, 1},             /* x - x ==> 0.0 (inf - inf is nan) */
  {IR_MUL, TF, K0, Z, RW_mul_zero, 1},               /* x * 0.0 ==> 0.0 (inf * 0.0 is nan) */
  {IR_POW, TF, K2, SQR, RW_pow_two, 1},              /* x ** 2.0 ==> x * x (CPython raises OverflowError) */
  {IR_TRUEDIV, TF, MULK_SAME, INNER, RW_mul_div_cancel, 1},  /* (x*c)/c ==> x (x*c may overflow) */
};

static unsigned tybit(IrType t)
{
  switch (t) {
  case IRT_BOOL: return TB;
  case IRT_INT: return TI;
  case IRT_F64: return TF;
  case IRT_C128: return TC;
  default: return 0;
  }
}

/* Is 'r' a constant equal to 'k' (f64: 'sign' 0 any zero, 1 only +0, 2 only -0)? */
static bool isconst(IrFunc *fn, IrRef r, double k, int sign)
{
  IrVal *x = ir_val(fn, r);
  if (x->op != IR_CONST) return false;
  switch (x->type) {
  case IRT_BOOL: case IRT_INT: return (double)x->aux.v.i == k && sign != 2;
  case IRT_F64:
    if (x->aux.v.f != k) return false;
    return k != 0.0 || !sign || (sign == 1) == !signbit(x->aux.v.f);
  case IRT_C128: return x->aux.v.c[0] == k && x->aux.v.c[1] == 0.0 && !sign;
  default: return false;
  }
}

static bool inner_is(IrFunc *fn, IrRef r, IrOp op) { return ir_val(fn, r)->op == op; }

/* Is 'r' an f64 constant +-2**k whose reciprocal 2**-k is a normal number? */
static bool ispow2k(IrFunc *fn, IrRef r)
{
  IrVal *x = ir_val(fn, r);
  if (x->op != IR_CONST || x->type != IRT_F64 || !isfinite(x->aux.v.f) || x->aux.v.f == 0.0) return false;
  int e;
  double m = frexp(fabs(x->aux.v.f), &e);
  return m == 0.5 && e - 1 <= 1022 && e - 1 >= -1022;
}

/* Is 'a' a mul of some value by a constant equal to the nonzero constant 'b'? */
static bool mulk_same(IrFunc *fn, IrRef a, IrRef b)
{
  IrVal *m = ir_val(fn, a), *k = ir_val(fn, b);
  if (m->op != IR_MUL || k->op != IR_CONST) return false;
  IrVal *c = ir_val(fn, m->args[1]);
  if (c->op != IR_CONST || c->type != k->type) return false;
  if (k->type == IRT_INT) return k->aux.v.i != 0 && c->aux.v.i == k->aux.v.i;
  return k->type == IRT_F64 && k->aux.v.f != 0.0 && c->aux.v.f == k->aux.v.f;
}

/* Is f64 'r' known to be >= +0.0 or NaN (never -0.0, never negative)? */
static bool nonneg(IrFunc *fn, IrRef r)
{
  IrVal *x = ir_val(fn, r);
  switch (x->op) {
  case IR_CONST: return x->type == IRT_F64 && !signbit(x->aux.v.f);
  case IR_MUL: return x->args[0] == x->args[1];   /* x*x, (-0.0)*(-0.0) == +0.0 */
  case IR_INTRIN:
    switch (x->aux.v.i) {
    case IN_EXP: case IN_FABS: case IN_HYPOT: return true;
    case IN_ABS: return x->type == IRT_F64;
    default: return false;
    }
  default: return false;
  }
}

/* Does row 'ru' match 'x'? */
static bool match(IrFunc *fn, const IrVal *x, const Rule *ru)
{
  IrRef a = x->nargs > 0 ? x->args[0] : 0, b = x->nargs > 1 ? x->args[1] : 0;
  switch (ru->pat) {
  case K0: return isconst(fn, b, 0.0, 0);
  case KP0: return isconst(fn, b, 0.0, 1);
  case KN0: return isconst(fn, b, 0.0, 2);
  case K1: return isconst(fn, b, 1.0, 0);
  case K2: return isconst(fn, b, 2.0, 0);
  case KM1: return isconst(fn, b, -1.0, 0);
  case SAME: return a == b;
  case ANY: return true;
  case SELF: return ir_val(fn, a)->type == x->type;
  case IN_NEG: return inner_is(fn, a, IR_NEG);
  case IN_NOT: return inner_is(fn, a, IR_NOT);
  case IN_EQ: return inner_is(fn, a, IR_EQ);
  case IN_NE: return inner_is(fn, a, IR_NE);
  case IN_LT: return inner_is(fn, a, IR_LT);
  case IN_LE: return inner_is(fn, a, IR_LE);
  case IN_GT: return inner_is(fn, a, IR_GT);
  case IN_GE: return inner_is(fn, a, IR_GE);
  case XX: return x->args[1] == x->args[2];
  case TF_: return x->type == IRT_BOOL && isconst(fn, x->args[1], 1, 0) && isconst(fn, x->args[2], 0, 0);
  case FT_: return x->type == IRT_BOOL && isconst(fn, x->args[1], 0, 0) && isconst(fn, x->args[2], 1, 0);
  case B_NEG: return inner_is(fn, b, IR_NEG);
  case A_NEG: return inner_is(fn, a, IR_NEG) && !inner_is(fn, b, IR_NEG);
  case KPOW2: return ispow2k(fn, b);
  case MULK_SAME: return mulk_same(fn, a, b);
  case KHALF_NONNEG: return isconst(fn, b, 0.5, 0) && nonneg(fn, a);
  case IN_CVT_BOOL: return inner_is(fn, a, IR_CVT) && ir_val(fn, ir_val(fn, a)->args[0])->type == IRT_BOOL;
  default: return false;
  }
}

/* The operand type a row's `types` refers to: the compared values for
 * not-of-comparison rows, else the first operand (select: its bool condition). */
static IrType rule_type(IrFunc *fn, const IrVal *x, const Rule *ru)
{
  IrVal *a = ir_val(fn, x->args[0]);
  if (ru->pat >= IN_EQ && ru->pat <= IN_GE) {
    IrType t0 = ir_val(fn, a->args[0])->type, t1 = ir_val(fn, a->args[1])->type;
    return t0 == t1 ? t0 : IRT_F64;   /* int against f64: NaN makes the float rows apply */
  }
  return a->type;
}

static void forward(IrFunc *fn, IrRef v, IrRef r)
{
  ir_replace_uses(fn, v, r);
  ir_remove(fn, v);
}


/* Index of 'v' in its block. */
static uint32_t position(IrFunc *fn, IrRef v)
{
  IrBlock *bk = ir_blk(fn, ir_val(fn, v)->blk);
  uint32_t i = 0;
  while (i < bk->ninsts && bk->insts[i] != v) i++;
  return i;
}

/* Make 'v' the constant 'k' of its result type. */
static void setk(IrFunc *fn, IrRef v, int k)
{
  IrVal *x = ir_val(fn, v);
  x->op = IR_CONST;
  x->nargs = 0;
  x->args = NULL;
  memset(&x->aux, 0, sizeof x->aux);
  if (x->type == IRT_F64) x->aux.v.f = k;
  else if (x->type == IRT_C128) x->aux.v.c[0] = k;
  else x->aux.v.i = k;
}

/* Apply row 'ru' to 'v'; returns true if 'v' left its block. */
static bool apply(IrFunc *fn, IrRef v, const Rule *ru)
{
  IrVal *x = ir_val(fn, v);
  IrRef a = x->args[0];
  IrVal *in = ir_val(fn, a);
  static const IrOp cmp[] = {IR_EQ, IR_NE, IR_LT, IR_LE, IR_GT, IR_GE};  /* ORDER TO_ */
  switch (ru->res) {
  case A: forward(fn, v, a); return true;
  case ARM: forward(fn, v, x->args[1]); return true;
  case INNER: forward(fn, v, in->args[0]); return true;
  case Z: setk(fn, v, 0); return false;
  case ONE: setk(fn, v, 1); return false;
  case MONE: setk(fn, v, -1); return false;
  case SQR: ir_val_set(fn, v, IR_MUL, a, a, 2); return false;
  case DBL: ir_val_set(fn, v, IR_ADD, a, a, 2); return false;
  case TO_EQ: case TO_NE: case TO_LT: case TO_LE: case TO_GT: case TO_GE:
    ir_val_set(fn, v, cmp[ru->res - TO_EQ], in->args[0], in->args[1], 2);
    return false;
  case COND: forward(fn, v, a); return true;
  case NOTCOND: ir_val_set(fn, v, IR_NOT, a, 0, 1); return false;
  case NEGA: ir_val_set(fn, v, IR_NEG, a, 0, 1); return false;
  case ADD_NEGB: ir_val_set(fn, v, IR_ADD, a, ir_val(fn, x->args[1])->args[0], 2); return false;
  case SUB_NEGB: ir_val_set(fn, v, IR_SUB, a, ir_val(fn, x->args[1])->args[0], 2); return false;
  case SUB_NEGA: ir_val_set(fn, v, IR_SUB, x->args[1], in->args[0], 2); return false;
  case MUL_RECIP: {
    IrRef k = ir_insert(fn, x->blk, position(fn, v), IR_CONST, IRT_F64, NULL, 0, x->line);
    ir_val(fn, k)->aux.v.f = 1.0 / ir_val(fn, ir_val(fn, v)->args[1])->aux.v.f;
    ir_val_set(fn, v, IR_MUL, ir_val(fn, v)->args[0], k, 2);
    return false;
  }
  case INNER_CVT: ir_val_set(fn, v, IR_CVT, in->args[0], 0, 1); return false;
  case SQRTA:
    ir_val_set(fn, v, IR_INTRIN, a, 0, 1);
    x->aux.v.i = IN_SQRT;
    return false;
  default: ember_die("simplify: bad rule");
  }
}

/* Simplify 'v' once: 0 unchanged, 1 changed in place, 2 removed. */
static int simplify1(IrFunc *fn, IrRef v)
{
  IrVal *x = ir_val(fn, v);
  if (x->type == IRT_ANY || !x->nargs) return 0;
  int changed = pass_commute_const(fn, x);
  for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
    const Rule *ru = &rules[i];
    if (ru->op != x->op || !match(fn, x, ru) || !(tybit(rule_type(fn, x, ru)) & ru->types)) continue;
    if (!pass_rw_on(fn, ru->rw, ru->fast)) continue;
    pass_rw_fired(fn, ru->rw);
    return apply(fn, v, ru) ? 2 : 1;
  }
  return changed;
}

void pass_simplify(IrFunc *fn)
{
  pass_rewrite_rpo(fn, simplify1);
}
