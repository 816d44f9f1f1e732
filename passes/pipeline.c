/* passes/pipeline.c: the pass pipeline, the one place that decides what runs when.
 *
 *   frontend -> infer -> lower -> canonicalize -> simplify -> stabilize -> fuse -> cleanup
 *
 * passes_run calls opt->after once with "frontend" before the first phase
 * and after every phase, times each phase into opt->seconds[i] and, when
 * opt->verify is set, runs the verifier after each phase (a failure is an
 * EM_ERR_VERIFY compile error naming the phase).  Individual passes (fold,
 * cse, dce, ...) can be run by name through passes_run_named, which is what
 * ember-opt and the .eir tests use.
 */
#include <string.h>
#include <time.h>

#include "passes.h"

/* canonicalize: constants, then common subexpressions, then dead code. */
bool pass_commute_const(IrFunc *fn, IrVal *x)
{
  if (x->nargs != 2 || !(ir_opinfo[x->op].flags & IRF_COMM)) return false;
  if (ir_val(fn, x->args[0])->op != IR_CONST || ir_val(fn, x->args[1])->op == IR_CONST) return false;
  IrRef t = x->args[0];
  x->args[0] = x->args[1];
  x->args[1] = t;
  return true;
}

void pass_rewrite_rpo(IrFunc *fn, int (*one)(IrFunc *fn, IrRef v))
{
  IrBlk *rpo = ir_alloc(fn->ctx, (fn->nblocks ? fn->nblocks : 1) * sizeof *rpo);
  for (bool changed = true; changed;) {
    changed = false;
    uint32_t n = ir_fill_rpo(fn, rpo);
    for (uint32_t k = 0; k < n; k++) {
      IrBlock *bk = &fn->blocks[rpo[k]];
      for (uint32_t i = 0; i < bk->ninsts;) {
        int rc = one(fn, bk->insts[i]);
        changed |= rc != 0;
        i += rc != 2;  /* 2: the instruction was removed, the next one moved into slot i */
      }
    }
  }
}

void pass_canonicalize(IrFunc *fn)
{
  pass_fold(fn);
  pass_cse(fn);
  pass_bounds(fn);
  pass_canon(fn);
  pass_dce(fn);
}

/* The stabilize phase: stable forms, then fold and remove what they exposed. */
static void phase_stabilize(IrFunc *fn)
{
  pass_stabilize(fn);
  pass_fold(fn);
  pass_cse(fn);
  pass_dce(fn);
}

/* The simplify phase: algebra, then fold and remove what it exposed. */
static void phase_simplify(IrFunc *fn)
{
  pass_simplify(fn);
  pass_fold(fn);
  pass_cse(fn);
  pass_dce(fn);
}

/* The fuse phase: array expressions to loops, then drop the operations folded into them. */
static void phase_fuse(IrFunc *fn)
{
  pass_fuse(fn);
  pass_dce(fn);
}

/* The cleanup phase: the CFG first (it drops block parameters), then dead code. */
static void phase_cleanup(IrFunc *fn)
{
  pass_cleanup(fn);
  pass_dce(fn);
  pass_cleanup(fn);
}

const PassInfo pass_phases[] = {
  {"infer", pass_infer, "types, builtin resolution, calls, purity"},
  {"lower", pass_lower, "array subscripts and iteration to shapes, bounds checks, loads and stores"},
  {"canonicalize", pass_canonicalize, "constant folding, common subexpressions, checks that cannot fail, sums and products, dead code"},
  {"simplify", phase_simplify, "algebraic identities that keep IEEE results"},
  {"stabilize", phase_stabilize, "numerically stable forms: log1p, expm1, sigmoid, softplus, hypot, ..."},
  {"fuse", phase_fuse, "whole-array expressions to one loop each, no temporary for an intermediate used once"},
  {"cleanup", phase_cleanup, "unreachable blocks, jump threading, block merging, dead code"},
  {NULL, NULL, NULL},
};

/* Single passes runnable by name (ember-opt, tests); phases come after them. */
static const PassInfo single[] = {
  {"infer", pass_infer, "types"},
  {"lower", pass_lower, "array subscripts to primitives"},
  {"fold", pass_fold, "constant folding"},
  {"cse", pass_cse, "common subexpressions"},
  {"dce", pass_dce, "dead code"},
  {"simplify", pass_simplify, "algebraic identities"},
  {"cleanup", pass_cleanup, "control flow cleanup"},
  {"canon", pass_canon, "normal form of sums and products"},
  {"bounds", pass_bounds, "bounds checks proved inside the array"},
  {"stabilize", pass_stabilize, "numerically stable forms"},
  {"fuse", pass_fuse, "array expressions to library loops"},
  {"canonicalize", pass_canonicalize, "fold cse canon dce"},
  {NULL, NULL, NULL},
};

static const PassOptions defaults = {0};

PassOptions *pass_options(IrFunc *fn)
{
  return fn->passopt ? (PassOptions *)fn->passopt : (PassOptions *)&defaults;  /* read-only */
}

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Run the verifier on 'fn' after 'phase' when asked; a failure aborts the compile. */
static void check(IrFunc *fn, PassOptions *opt, const char *phase)
{
  if (!opt || !opt->verify) return;
  char err[300];
  if (ir_func_verify(fn, err, sizeof err))
    ir_errorf(fn->ctx, EM_ERR_VERIFY, 0, "after %s: %s", phase, err);
}

/* Run pass 'p' on 'fn' under 'opt', timing it into 'slot' (or nowhere if < 0). */
static void run1(IrFunc *fn, const PassInfo *p, PassOptions *opt, int slot)
{
  double t0 = now();
  p->run(fn);
  if (opt && slot >= 0 && slot < 16) opt->seconds[slot] += now() - t0;
  check(fn, opt, p->name);
  if (opt && opt->after) opt->after(opt->ud, p->name, fn);
}

void passes_run(IrFunc *fn, PassOptions *opt)
{
  void *saved = fn->passopt;
  if (opt) fn->passopt = opt;
  check(fn, opt, "frontend");
  if (opt && opt->after) opt->after(opt->ud, "frontend", fn);
  for (int i = 0; pass_phases[i].name; i++) run1(fn, &pass_phases[i], opt, i);
  fn->passopt = saved;
}

/* The pass named by the 'n' bytes at 's', or NULL. */
static const PassInfo *find(const char *s, size_t n)
{
  for (const PassInfo *p = single; p->name; p++)
    if (strlen(p->name) == n && !strncmp(p->name, s, n)) return p;
  for (const PassInfo *p = pass_phases; p->name; p++)
    if (strlen(p->name) == n && !strncmp(p->name, s, n)) return p;
  return NULL;
}

int passes_run_named(IrFunc *fn, const char *list, PassOptions *opt)
{
  for (const char *s = list; *s;) {  /* check every name before running any */
    size_t n = strcspn(s, " ,\t\n");
    if (n && !find(s, n)) return -1;
    s += n + (s[n] != 0);
  }
  void *saved = fn->passopt;
  if (opt) fn->passopt = opt;
  int slot = 0;
  for (const char *s = list; *s;) {
    size_t n = strcspn(s, " ,\t\n");
    if (n) run1(fn, find(s, n), opt, slot++);
    s += n + (s[n] != 0);
  }
  fn->passopt = saved;
  return 0;
}
