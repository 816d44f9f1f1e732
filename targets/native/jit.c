/* targets/native/jit.c: the process-wide ORC LLJIT and tg_compile.
 *
 * The first tg_compile starts LLVM (pthread_once): native target, one host
 * TargetMachine (full CPU name and features, PIC, used for the pass
 * pipeline and for code generation alike), one LLJIT whose main JITDylib
 * resolves the runtime helpers and libm as absolute symbols and anything
 * else from the process.  That state is the only mutable global of
 * targets/ and is never torn down.
 *
 * tg_compile, in order: lower the IR into a fresh LLVMContext and module
 * (t_lower), run the pass pipeline (t_opt), emit an object file with the
 * shared TargetMachine, add it to the JIT under a new resource tracker and
 * look up <sym>_entry, which links it (t_codegen).  Adding an object that
 * defines an existing symbol fails with ORC's "Duplicate definition" error
 * and leaves the earlier code in place.  Every failure returns -1 with a
 * message; nothing aborts.
 *
 * tg_load_object adds an object file that tg_compile kept (keep_object),
 * perhaps in another process, the same way: the code refers to the runtime
 * helpers, libm and other compiled functions by symbol only, so ORC links
 * it like fresh code; no lowering, no optimization.
 *
 * The pipeline (PIPE_FAST) is hand-picked for scalar numeric loops; see the
 * comment above it.  EMBER_LLVM_PASSES overrides it and EMBER_LLVM_OPTIONS
 * adds LLVM command-line options, for experiments.  EMBER_TG_TIMES=1 prints
 * each module's lowering, optimization and code generation times, its size
 * and callees; EMBER_DUMP_MODULES=DIR writes each optimized module to
 * DIR/<symbol>.ll before code generation (for llc -time-passes).
 *
 * Vector math: on x86_64 start() loads glibc's libmvec, and before the
 * array pipeline every call of a libm function it covers gets the
 * vector-function-abi-variant attribute naming its AVX2/SSE2 variants, so
 * the loop vectorizer calls _ZGVdN4v_erf etc.  A call whose result is
 * checked (math_1's range/domain test branches out of the loop) stays
 * scalar: only unchecked calls (erf, erfc) vectorize.  libmvec is within
 * 4 ulp of the correctly rounded result, not glibc's scalar bits.
 * EMBER_NO_VECLIB=1 turns it off.
 */
#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/ErrorHandling.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../llvm/llvm.h"
#include "native.h"

/* Passes for scalar numeric code, picked by measurement on the tools/bench
 * kernels (fib loop, Collatz, Mandelbrot, trapezoid) written as typed IR:
 * promote the cursors, clean up, thread the parity and overflow tests
 * (jump-threading, correlated-propagation: Collatz), rotate loops and hoist
 * invariants, simplify induction variables (the range cursor's second
 * counter goes), GVN, and loop-unroll with runtime unrolling, but only of
 * loops of about four instructions (-unroll-partial-threshold=20, set in
 * set_options): fib's `a, b = b, a + b` then runs 8 steps per iteration,
 * 2.3x faster, as Numba's does, while unrolling every unknown-count loop
 * doubled the code generation of a ten-line loop (4.5 -> 10 ms) for no
 * gain.  Run time 0.4-1.0x of gcc -O3 -march=native on those kernels (noisy
 * 2-core machine); optimization 1-2.5 ms per kernel against 6-13 ms for
 * default<O2>, which gave the same run times.  Without jump-threading and
 * loop-unroll (1.3 ms) fib ran 1.9x and Collatz 1.2x slower than C. */
#define IC "instcombine<no-verify-fixpoint>"
/* Inlining first: a module holds a function and the callees compiled with it
 * (jit/compile.c), so a small ember.jit function called in a loop is copied
 * into it, bottom-up, each callee simplified before (LLVM's inliner at its
 * default threshold; the C entries' calls are noinline).  `s += f(a[i])` with
 * f(x) = x*x + 1 then runs as Numba's (1.1 ms for 10**6, from 4.4), for about
 * 10% more optimization and code generation on modules with callees. */
#define INLINE "cgscc(inline,function(sroa,early-cse,simplifycfg)),elim-avail-extern"
#define FN_FAST \
  "function(sroa,early-cse," IC ",simplifycfg,jump-threading,correlated-propagation," \
  "loop-mssa(loop-rotate,licm)," IC ",loop(indvars,loop-deletion),gvn," IC ",simplifycfg," \
  "loop-unroll<O2;runtime>," IC ",simplifycfg,adce)"
#define PIPE_FAST INLINE "," FN_FAST
#define PIPE_O1 "function(sroa,early-cse," IC ",simplifycfg)"
/* Functions with array loads or stores (llvm_uses_arrays) add, measured on
 * tools/bench/bench_arrays.py: trivial then non-trivial unswitching of the
 * loop-invariant bounds checks, IRCE (inductive range check elimination:
 * the checks of i + c against a shape leave the main loop), the loop and
 * SLP vectorizers.  With bounds checks on, the stencils and the fused loop
 * then run as fast as without them and as C; compilation takes about twice
 * as long as PIPE_FAST (10-25 ms for those kernels). */
#define FN_VEC \
  "function(sroa,early-cse," IC ",simplifycfg,jump-threading,correlated-propagation," \
  "loop-mssa(loop-rotate,licm,simple-loop-unswitch)," IC ",simplifycfg,irce,loop(indvars,loop-deletion),gvn," \
  IC ",simplifycfg,loop-mssa(licm,simple-loop-unswitch<nontrivial>)," IC ",simplifycfg,irce," \
  "loop-vectorize,slp-vectorizer," IC ",simplifycfg,loop-unroll<O2;no-runtime>," IC ",simplifycfg,adce)"
#define PIPE_VEC INLINE "," FN_VEC

#define PARTS_MAX 4                /* code generation threads of one module, at most */

typedef struct {
  LLVMOrcLLJITRef jit;
  LLVMTargetMachineRef tm;
  LLVMTargetDataRef dl;
  char *triple;
  char desc[1024];
  char version[32];                /* LLVM's, "19.1.7" */
  char initerr[512];
  char sessionerr[512];            /* last error ORC reported outside a call (link failures) */
  double startup;
  bool ok;
  int vecw;                        /* libmvec lanes of f64 (4: AVX2, 2: SSE2), 0 without libmvec */
  /* Code generation in parts (see run_parts): the host target, and a
   * TargetMachine of each part but the first, made when first needed. */
  LLVMTargetRef target;
  char *cpu, *feat;
  unsigned nparts;
  LLVMTargetMachineRef ptm[PARTS_MAX];
  /* Objects added but not linked yet (deferred linking): symbol and tracker. */
  uint32_t npend, pendcap;
  struct Pend { char *sym; LLVMOrcResourceTrackerRef rt; } *pend;
  /* Optimized modules as bitcode (see link_callees) and the inner symbols each defines. */
  uint32_t nbc, bccap, nbcsym, bcsymcap;
  LLVMMemoryBufferRef *bc;
  struct BcSym { char *sym; uint32_t bc; } *bcsym;
  size_t bcbytes;
} Jit;

static Jit J;                      /* the one process-wide JIT; written once under 'once' */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fatal(const char *reason)
{
  fprintf(stderr, "ember: LLVM fatal error: %s\n", reason);
}

/* Copy the message of 'e' into 'buf' (prefixed by 'what') and consume it. */
static void errmsg(LLVMErrorRef e, const char *what, char *buf, size_t size)
{
  char *m = LLVMGetErrorMessage(e);
  snprintf(buf, size, "%s: %s", what, m);
  LLVMDisposeErrorMessage(m);
}

/* ORC reports materialization failures here, not through the lookup's error. */
static void report(void *ctx, LLVMErrorRef e)
{
  (void)ctx;
  errmsg(e, "JIT session error", J.sessionerr, sizeof J.sessionerr);
}

/* -- Start-up --------------------------------------------------------------------- */

static char *dupstr(const char *s)
{
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* How many threads generate the code of one module: EMBER_CODEGEN_THREADS,
 * else the CPUs online; 1 to PARTS_MAX. */
static unsigned code_threads(void)
{
  const char *e = getenv("EMBER_CODEGEN_THREADS");
  long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > PARTS_MAX ? PARTS_MAX : (unsigned)n;
}

static LLVMTargetMachineRef host_tm(LLVMTargetRef t, const char *cpu, const char *feat)
{
  return LLVMCreateTargetMachine(t, J.triple, cpu, feat, LLVMCodeGenLevelDefault,
                                 LLVMRelocPIC, LLVMCodeModelSmall);
}

/* Define the runtime helpers and libm functions as absolute symbols of 'jd'. */
static LLVMErrorRef define_runtime(LLVMOrcJITDylibRef jd)
{
  size_t n = 0;
  while (rt_symbols[n].name) n++;
  LLVMOrcCSymbolMapPair *pairs = calloc(n, sizeof *pairs);
  for (size_t i = 0; i < n; i++) {
    pairs[i].Name = LLVMOrcLLJITMangleAndIntern(J.jit, rt_symbols[i].name);
    pairs[i].Sym.Address = (LLVMOrcExecutorAddress)(uintptr_t)rt_symbols[i].addr;
    pairs[i].Sym.Flags.GenericFlags = LLVMJITSymbolGenericFlagsExported | LLVMJITSymbolGenericFlagsCallable;
  }
  LLVMOrcMaterializationUnitRef mu = LLVMOrcAbsoluteSymbols(pairs, n);
  free(pairs);
  return LLVMOrcJITDylibDefine(jd, mu);
}

/* Load glibc's libmvec into the process (its symbols then resolve like
 * libm's) and return the f64 lanes of its variants the host runs: 4 (AVX2
 * 'd' variants), 2 (SSE2 'b'), or 0 (not x86_64, or no libmvec). */
static int open_mvec(const char *triple, const char *feat)
{
  if (strncmp(triple, "x86_64", 6) || getenv("EMBER_NO_VECLIB")) return 0;
  if (!dlopen("libmvec.so.1", RTLD_NOW | RTLD_GLOBAL)) return 0;
  return strstr(feat, "+avx2") ? 4 : 2;
}

/* LLVM's own options, parsed once before anything else: runtime unrolling
 * only for loops of about four instructions (see PIPE_FAST); a loop whose
 * second exit is a check (the error block) may be unrolled with a remainder
 * loop, as LLVM does for a deoptimizing exit, instead of keeping the trip
 * count test in every copy (the loops lower.c's mark_unroll asks for).
 * EMBER_LLVM_OPTIONS appends more, space-separated, for experiments. */
static void set_options(void)
{
  const char *argv[16] = {"ember", "-unroll-partial-threshold=20", "-unroll-runtime-other-exit-predictable"};
  int argc = 3;
  const char *env = getenv("EMBER_LLVM_OPTIONS");
  char *copy = env ? strdup(env) : NULL, *save = NULL;   /* never freed: LLVM may keep the strings */
  for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t && argc < 16; t = strtok_r(NULL, " ", &save))
    argv[argc++] = t;
  LLVMParseCommandLineOptions(argc, argv, NULL);
}

static void start(void)
{
  double t0 = now();
  LLVMInstallFatalErrorHandler(fatal);
  set_options();
  if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter()) {
    snprintf(J.initerr, sizeof J.initerr, "LLVM has no native target");
    return;
  }
  J.triple = LLVMGetDefaultTargetTriple();
  char *cpu = LLVMGetHostCPUName(), *feat = LLVMGetHostCPUFeatures(), *msg = NULL;
  LLVMTargetRef t;
  if (LLVMGetTargetFromTriple(J.triple, &t, &msg)) {
    snprintf(J.initerr, sizeof J.initerr, "target %s: %s", J.triple, msg);
    LLVMDisposeMessage(msg);
    goto out;
  }
  snprintf(J.desc, sizeof J.desc, "%s %s %s", J.triple, cpu, feat);
  unsigned major, minor, patch;
  LLVMGetVersion(&major, &minor, &patch);
  snprintf(J.version, sizeof J.version, "%u.%u.%u", major, minor, patch);
  J.tm = host_tm(t, cpu, feat);
  J.vecw = open_mvec(J.triple, feat);
  J.dl = LLVMCreateTargetDataLayout(J.tm);
  LLVMOrcLLJITBuilderRef b = LLVMOrcCreateLLJITBuilder();
  LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(
      b, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(host_tm(t, cpu, feat)));
  LLVMErrorRef e = LLVMOrcCreateLLJIT(&J.jit, b);
  if (e) { errmsg(e, "cannot create the LLJIT", J.initerr, sizeof J.initerr); goto out; }
  LLVMOrcExecutionSessionSetErrorReporter(LLVMOrcLLJITGetExecutionSession(J.jit), report, NULL);
  LLVMOrcJITDylibRef jd = LLVMOrcLLJITGetMainJITDylib(J.jit);
  LLVMOrcDefinitionGeneratorRef gen;
  e = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&gen, LLVMOrcLLJITGetGlobalPrefix(J.jit), NULL, NULL);
  if (e) { errmsg(e, "cannot search the process for symbols", J.initerr, sizeof J.initerr); goto out; }
  LLVMOrcJITDylibAddGenerator(jd, gen);
  e = define_runtime(jd);
  if (e) { errmsg(e, "cannot define the runtime symbols", J.initerr, sizeof J.initerr); goto out; }
  J.ok = true;
  J.target = t;
  J.cpu = dupstr(cpu);
  J.feat = dupstr(feat);
  J.nparts = code_threads();
out:
  LLVMDisposeMessage(cpu);
  LLVMDisposeMessage(feat);
  J.startup = now() - t0;
}

const char *tg_host_description(void)
{
  pthread_once(&once, start);
  return J.desc;
}

double tg_startup_seconds(void)
{
  return J.startup;
}

/* -- Compile ------------------------------------------------------------------------ */

static const char *pipeline(const TgOptions *opt, bool arrays)
{
  const char *env = getenv("EMBER_LLVM_PASSES");
  if (env && *env) return env;
  int lvl = opt ? opt->opt_level : 3;
  return lvl <= 0 ? NULL : lvl == 1 ? PIPE_O1 : arrays ? PIPE_VEC : PIPE_FAST;
}

/* What follows INLINE in pipeline 'passes' (the function passes), for a
 * module optimized in parts (see run_parts); NULL if it does not start so. */
static const char *part_pipeline(const char *passes)
{
  size_t n = sizeof INLINE - 1;
  return passes && !strncmp(passes, INLINE ",", n + 1) ? passes + n + 1 : NULL;
}

/* -- Vector math ----------------------------------------------------------------- */

/* libm functions of one f64 with a libmvec variant (glibc 2.35+).  LLVM 19's
 * own LIBMVEC-X86 table knows only sin, cos, tan, exp, log and pow, so the
 * call sites get the mapping themselves.  exp2 and cbrt have variants too,
 * but NumPy computes np.exp2 and np.cbrt with glibc's scalar functions, and
 * ember._lib's loops of them give the same bits (tests/python/test_ufuncs_more.py). */
static const char *const mvec_names[] = {
  "exp", "log", "sin", "cos", "tan", "erf", "erfc", "tanh", "expm1", "log1p", "log2",
  "log10", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh", NULL,
};

static bool is_mvec(const char *name)
{
  for (int i = 0; mvec_names[i]; i++)
    if (!strcmp(name, mvec_names[i])) return true;
  return false;
}

/* Tell the loop vectorizer that call 'c' of 'name' has the libmvec variant
 * _ZGV{b,d}N<w>v_<name> (declared in 'm'): the vector-function-abi-variant
 * attribute that LLVM's inject-tli-mappings would add. */
static void map_call(LLVMModuleRef m, LLVMValueRef c, const char *name)
{
  LLVMContextRef ctx = LLVMGetModuleContext(m);
  LLVMTypeRef f64 = LLVMDoubleTypeInContext(ctx);
  char attr[256] = "", vname[64];
  size_t n = 0;
  for (int w = 2; w <= J.vecw; w *= 2) {
    snprintf(vname, sizeof vname, "_ZGV%cN%dv_%s", w == 2 ? 'b' : 'd', w, name);
    LLVMTypeRef vt = LLVMVectorType(f64, (unsigned)w);
    if (!LLVMGetNamedFunction(m, vname)) LLVMAddFunction(m, vname, LLVMFunctionType(vt, &vt, 1, 0));
    n += (size_t)snprintf(attr + n, sizeof attr - n, "%s_ZGV_LLVM_N%dv_%s(%s)", n ? "," : "", w, name, vname);
  }
  static const char key[] = "vector-function-abi-variant";
  LLVMAddCallSiteAttribute(c, LLVMAttributeFunctionIndex,
                           LLVMCreateStringAttribute(ctx, key, sizeof key - 1, attr, (unsigned)n));
}

/* Map every call of a vectorizable libm function in 'm' to libmvec. */
static void map_vector_math(LLVMModuleRef m)
{
  if (!J.vecw) return;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f))
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b))
      for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i)) {
        if (LLVMGetInstructionOpcode(i) != LLVMCall) continue;
        LLVMValueRef callee = LLVMGetCalledValue(i);
        size_t len;
        const char *name = LLVMIsAFunction(callee) ? LLVMGetValueName2(callee, &len) : NULL;
        if (name && LLVMGetNumArgOperands(i) == 1 && LLVMTypeOf(i) == LLVMDoubleTypeInContext(LLVMGetModuleContext(m))
            && is_mvec(name))
          map_call(m, i, name);
      }
}

/* Run pipeline 'passes' on 'm' (with 'tm' for the target's costs), then
 * the sinking of int(x)'s checks; 0 or -1 with 'err'. */
static int run_passes(LLVMModuleRef m, const char *passes, LLVMTargetMachineRef tm, char *err, size_t errsize)
{
  if (!passes) return 0;
  LLVMPassBuilderOptionsRef o = LLVMCreatePassBuilderOptions();
  LLVMErrorRef e = LLVMRunPasses(m, passes, tm, o);
  LLVMDisposePassBuilderOptions(o);
  if (e) { errmsg(e, "LLVM pass pipeline", err, errsize); return -1; }
  llvm_sink_f2i_checks(m);
  char *msg = NULL;
  if (getenv("EMBER_LLVM_VERIFY") && LLVMVerifyModule(m, LLVMReturnStatusAction, &msg)) {
    snprintf(err, errsize, "LLVM verifier, after optimization: %s", msg);
    LLVMDisposeMessage(msg);
    return -1;
  }
  if (msg) LLVMDisposeMessage(msg);
  return 0;
}

/* Assembly text of (a clone of) 'm', malloc'd, or NULL. */
static char *emit_asm(LLVMModuleRef m)
{
  LLVMModuleRef c = LLVMCloneModule(m);
  LLVMMemoryBufferRef buf;
  char *msg = NULL, *s = NULL;
  if (!LLVMTargetMachineEmitToMemoryBuffer(J.tm, c, LLVMAssemblyFile, &msg, &buf)) {
    size_t n = LLVMGetBufferSize(buf);
    s = malloc(n + 1);
    if (s) { memcpy(s, LLVMGetBufferStart(buf), n); s[n] = 0; }
    LLVMDisposeMemoryBuffer(buf);
  } else {
    LLVMDisposeMessage(msg);
  }
  LLVMDisposeModule(c);
  return s;
}

/* -- Callees' code for the inliner ----------------------------------------------
 *
 * A module holds a function and the callees compiled with it, and LLVM's
 * inliner copies small ones into their callers.  A callee compiled before
 * (a helper first called from Python, a NumPy function of ember._lib another
 * function compiled) was only called by its symbol: `s += f(a[i])` ran 4x
 * slower than with f compiled alongside.  So the small inner functions of
 * every optimized module (at most BC_INLINE instructions: the inliner would
 * not take bigger ones) are kept as bitcode (up to BC_MAX bytes in all), and
 * a new module that calls one of them inside a loop gets a copy of its
 * optimized body linked in as available_externally: the inliner may inline
 * it, elim-avail-extern then drops it, and a call left over still goes to the
 * code in the JIT.  Numba links its callees' IR libraries into each module
 * the same way.  EMBER_NO_LINK_CALLEES=1 turns it off (tests use it to show the
 * difference).  Compiles run under jit/compile.c's lock: no lock here.  A
 * module compiled in parts keeps a copy per part (each with its own header
 * and declarations: the test suite's process kept 15-30% more bytes), so
 * the cap is 128 MiB, about 30000 modules' worth. */
#define BC_MAX ((size_t)128 << 20)
#define BC_INLINE 400

static int bc_find(const char *sym)
{
  for (uint32_t i = 0; i < J.nbcsym; i++)
    if (!strcmp(J.bcsym[i].sym, sym)) return (int)J.bcsym[i].bc;
  return -1;
}

static unsigned count_insts(LLVMValueRef f);
static void drop_body(LLVMValueRef f);

/* A module's small inner functions as bitcode (bc_save) and their names. */
typedef struct {
  LLVMMemoryBufferRef bc;
  char **names;
  uint32_t n;
} Kept;

static void kept_free(Kept *k)
{
  if (k->bc) LLVMDisposeMemoryBuffer(k->bc);
  for (uint32_t i = 0; i < k->n; i++) free(k->names[i]);
  free(k->names);
  memset(k, 0, sizeof *k);
}

/* Delete from 'm' the declarations and private globals nothing uses (any
 * more: bc_save dropped the bodies that used them). */
static void prune(LLVMModuleRef m)
{
  for (LLVMValueRef f = LLVMGetFirstFunction(m), next; f; f = next) {
    next = LLVMGetNextFunction(f);
    if (LLVMIsDeclaration(f) && !LLVMGetFirstUse(f)) LLVMDeleteFunction(f);
  }
  for (LLVMValueRef g = LLVMGetFirstGlobal(m), next; g; g = next) {
    next = LLVMGetNextGlobal(g);
    LLVMLinkage l = LLVMGetLinkage(g);
    if ((l == LLVMPrivateLinkage || l == LLVMInternalLinkage) && !LLVMGetFirstUse(g)) LLVMDeleteGlobal(g);
  }
}

/* The small inner functions of optimized module 'm' (before code generation,
 * which changes it) into 'k': bitcode of a copy of 'm' without the others'
 * bodies, so that reading it back costs little; nothing if there are none. */
static void bc_save(LLVMModuleRef m, const TgOptions *opt, Kept *k)
{
  memset(k, 0, sizeof *k);
  if ((opt && opt->opt_level <= 1) || J.bcbytes >= BC_MAX) return;
  LLVMModuleRef c = LLVMCloneModule(m);
  for (LLVMValueRef f = LLVMGetFirstFunction(c); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    bool small = !strncmp(name, "em_", 3) && !(len > 6 && !strcmp(name + len - 6, "_entry"))
                 && count_insts(f) <= BC_INLINE;
    char **names = small ? realloc(k->names, (k->n + 1) * sizeof *names) : NULL;
    if (names) k->names = names;
    if (names && (names[k->n] = dupstr(name))) k->n++;
    else drop_body(f);
  }
  prune(c);
  if (k->n && !(k->bc = LLVMWriteBitcodeToMemoryBuffer(c))) kept_free(k);
  LLVMDisposeModule(c);
}

/* Keep 'k' (consumed) as a source of callees for later modules. */
static void bc_keep(Kept *k)
{
  if (!k->bc) return;
  if (J.nbc == J.bccap) {
    uint32_t cap = J.bccap ? 2 * J.bccap : 64;
    LLVMMemoryBufferRef *b = realloc(J.bc, cap * sizeof *b);
    if (!b) { kept_free(k); return; }
    J.bc = b;
    J.bccap = cap;
  }
  if (J.nbcsym + k->n > J.bcsymcap) {
    uint32_t cap = 2 * (J.nbcsym + k->n) + 64;
    struct BcSym *s = realloc(J.bcsym, cap * sizeof *s);
    if (!s) { kept_free(k); return; }
    J.bcsym = s;
    J.bcsymcap = cap;
  }
  for (uint32_t i = 0; i < k->n; i++) {
    if (bc_find(k->names[i]) < 0) J.bcsym[J.nbcsym++] = (struct BcSym){k->names[i], J.nbc};
    else free(k->names[i]);
  }
  free(k->names);
  J.bcbytes += LLVMGetBufferSize(k->bc);
  J.bc[J.nbc++] = k->bc;
  memset(k, 0, sizeof *k);
}

static unsigned count_insts(LLVMValueRef f)
{
  unsigned n = 0;
  for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b))
    for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i)) n++;
  return n;
}

/* Make definition 'f' a declaration. */
static void drop_body(LLVMValueRef f)
{
  LLVMBasicBlockRef b;
  while ((b = LLVMGetFirstBasicBlock(f))) LLVMDeleteBasicBlock(b);
  LLVMSetLinkage(f, LLVMExternalLinkage);
}

/* Is block 'b' of function 'f' on a cycle (can it reach itself)?  'seen' has
 * room for the function's blocks. */
static bool in_loop(LLVMValueRef f, LLVMBasicBlockRef b, LLVMBasicBlockRef *seen, LLVMBasicBlockRef *stack)
{
  unsigned nseen = 0, sp = 0;
  (void)f;
  stack[sp++] = b;
  while (sp) {
    LLVMValueRef t = LLVMGetBasicBlockTerminator(stack[--sp]);
    for (unsigned i = 0, n = t ? LLVMGetNumSuccessors(t) : 0; i < n; i++) {
      LLVMBasicBlockRef s = LLVMGetSuccessor(t, i);
      if (s == b) return true;
      bool old = false;
      for (unsigned k = 0; k < nseen && !old; k++) old = seen[k] == s;
      if (!old) seen[nseen++] = stack[sp++] = s;
    }
  }
  return false;
}

/* Does a function of 'm' call 'callee' from a block on a cycle (in a loop)? */
static bool wanted(LLVMModuleRef m, LLVMValueRef callee)
{
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    unsigned nb = LLVMCountBasicBlocks(f);
    if (!nb) continue;
    LLVMBasicBlockRef *seen = malloc(2 * nb * sizeof *seen);
    if (!seen) return false;
    bool yes = false;
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b && !yes; b = LLVMGetNextBasicBlock(b)) {
      bool calls = false;
      for (LLVMValueRef i = LLVMGetFirstInstruction(b); i && !calls; i = LLVMGetNextInstruction(i))
        calls = LLVMGetInstructionOpcode(i) == LLVMCall && LLVMGetCalledValue(i) == callee;
      yes = calls && in_loop(f, b, seen, seen + nb);
    }
    free(seen);
    if (yes) return true;
  }
  return false;
}

/* A diagnostic handler that records an error instead of exiting. */
static void diag_failed(LLVMDiagnosticInfoRef d, void *failed)
{
  if (LLVMGetDiagInfoSeverity(d) == LLVMDSError) *(bool *)failed = true;
}

/* Link into 'm' available_externally copies of the kept functions it calls
 * in a loop (where inlining pays; a call made once is left as it is, which
 * saves parsing and optimizing the copy); a module that cannot be read or
 * linked is skipped. */
static void link_callees(LLVMModuleRef m)
{
  LLVMContextRef ctx = LLVMGetModuleContext(m);
  uint8_t *want = calloc(J.nbc ? J.nbc : 1, 1);
  if (!want) return;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    int k = LLVMIsDeclaration(f) && !strncmp(name, "em_", 3) ? bc_find(name) : -1;
    if (k >= 0 && !want[k] && wanted(m, f)) want[k] = 1;
  }
  for (uint32_t k = 0; k < J.nbc; k++) {
    if (!want[k]) continue;
    LLVMMemoryBufferRef view = LLVMCreateMemoryBufferWithMemoryRange(LLVMGetBufferStart(J.bc[k]),
                                                                     LLVMGetBufferSize(J.bc[k]), "callees", 0);
    LLVMModuleRef src = NULL;
    bool failed = false;
    LLVMDiagnosticHandler h = LLVMContextGetDiagnosticHandler(ctx);
    void *hctx = LLVMContextGetDiagnosticContext(ctx);
    LLVMContextSetDiagnosticHandler(ctx, diag_failed, &failed);   /* the default one exits on an error */
    bool bad = LLVMParseBitcodeInContext2(ctx, view, &src) || failed;
    LLVMContextSetDiagnosticHandler(ctx, h, hctx);
    LLVMDisposeMemoryBuffer(view);
    if (bad) continue;
    for (LLVMValueRef f = LLVMGetFirstFunction(src); f; f = LLVMGetNextFunction(f)) {
      if (LLVMIsDeclaration(f)) continue;
      size_t len;
      const char *name = LLVMGetValueName2(f, &len);
      LLVMValueRef d = LLVMGetNamedFunction(m, name);
      if (d && LLVMIsDeclaration(d) && count_insts(f) <= BC_INLINE && wanted(m, d)) {
        LLVMSetLinkage(f, LLVMAvailableExternallyLinkage);
        LLVMSetVisibility(f, LLVMDefaultVisibility);
      } else {
        drop_body(f);
      }
    }
    if (LLVMLinkModules2(m, src)) break;   /* consumes src; on failure 'm' is as it was for its own functions */
  }
  free(want);
}

/* -- Optimization and code generation in parts ---------------------------------
 *
 * The function passes and code generation (instruction selection, register
 * allocation) take most of a compile, and a batch module (a function and
 * the callees compiled with it: chain10's fused kernels) splits well by
 * function.  So a batch module is inlined whole (INLINE: the inliner sees
 * all of it), then split into parts that run the rest of the pipeline and
 * code generation on up to J.nparts threads.  Part 0 is the module itself
 * with the other parts' bodies dropped; each other part is a copy read back
 * from the inlined module's bitcode into a context of its own, keeping only
 * its own bodies, with a TargetMachine of its own: LLVM lets threads work at
 * once when they share neither.  The function passes see one function at a
 * time, so each function's code is what one module would give.  The JIT
 * links the parts' calls to each other by symbol, as it links calls to code
 * compiled before; private constants are copied into every part.  Functions
 * are dealt out heaviest first (instructions, those in loops twice: the
 * vectorizer and the vector code cost most) to the least loaded part, and a
 * module splits only where every part weighs at least SPLIT_MIN.  A part
 * whose thread could not start or failed is run again on the calling
 * thread.  Compiles run under jit/compile.c's lock, so J.ptm[i] serves one
 * part at a time.  chain10 of tools/bench/bench_expr.py compiles in 25-28
 * ms on two cores against 38 on one (README, Measured). */
#define SPLIT_MIN 150

typedef struct {
  LLVMMemoryBufferRef bc;          /* the inlined module (parts after the first) */
  char **names;                    /* the functions with bodies and the part of each */
  uint8_t *part;
  uint32_t nnames, me;
  const char *passes;              /* the rest of the pipeline */
  const TgOptions *opt;
  LLVMTargetMachineRef tm;
  LLVMMemoryBufferRef obj;         /* the part's object, or NULL with 'err' */
  Kept kept;                       /* its small inner functions */
  double t_passes, t_emit;
  char err[256];
  pthread_t thread;
  bool started;
} Part;

/* Emit 'm' with 'tm' into '*obj'; 0, or -1 with 'err'. */
static int emit_obj(LLVMTargetMachineRef tm, LLVMModuleRef m, LLVMMemoryBufferRef *obj, char *err, size_t errsize)
{
  char *msg = NULL;
  if (!LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, &msg, obj)) return 0;
  snprintf(err, errsize, "code generation: %s", msg);
  LLVMDisposeMessage(msg);
  *obj = NULL;
  return -1;
}

/* Drop from 'm' the bodies that part 'p' does not keep. */
static void keep_part(LLVMModuleRef m, const Part *p)
{
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    size_t len;
    const char *name = LLVMGetValueName2(f, &len);
    for (uint32_t i = 0; i < p->nnames; i++)
      if (!strcmp(p->names[i], name)) {
        if (p->part[i] != p->me) drop_body(f);
        break;
      }
  }
}

/* Optimize part 'p' of module 'm', keep its small functions, emit it. */
static void run_part(Part *p, LLVMModuleRef m)
{
  double t0 = now();
  keep_part(m, p);
  if (run_passes(m, p->passes, p->tm, p->err, sizeof p->err)) return;
  bc_save(m, p->opt, &p->kept);
  double t1 = now();
  p->t_passes = t1 - t0;
  emit_obj(p->tm, m, &p->obj, p->err, sizeof p->err);
  p->t_emit = now() - t1;
}

/* Read part 'arg' (a Part) back from the bitcode and run it: a thread's body. */
static void *run_copy(void *arg)
{
  Part *p = arg;
  LLVMContextRef ctx = LLVMContextCreate();
  bool failed = false;
  LLVMContextSetDiagnosticHandler(ctx, diag_failed, &failed);   /* the default one exits on an error */
  LLVMMemoryBufferRef view = LLVMCreateMemoryBufferWithMemoryRange(LLVMGetBufferStart(p->bc),
                                                                   LLVMGetBufferSize(p->bc), "part", 0);
  LLVMModuleRef m = NULL;
  if (LLVMParseBitcodeInContext2(ctx, view, &m) || failed)
    snprintf(p->err, sizeof p->err, "code generation: cannot read the inlined module back");
  else
    run_part(p, m);
  if (m) LLVMDisposeModule(m);
  LLVMDisposeMemoryBuffer(view);
  LLVMContextDispose(ctx);
  return NULL;
}

/* Deal bodies 0..n (of weights 'w') out to 'k' parts, heaviest first to
 * the least loaded (part[i]); the lightest part's load. */
static unsigned deal(uint32_t n, const unsigned *w, uint8_t *part, unsigned k)
{
  unsigned load[PARTS_MAX] = {0};
  bool *done = calloc(n ? n : 1, sizeof *done);
  if (!done) return 0;
  for (uint32_t step = 0; step < n; step++) {
    uint32_t big = 0;
    for (uint32_t i = 0; i < n; i++)
      if (!done[i] && (done[big] || w[i] > w[big])) big = i;
    unsigned least = 0;
    for (unsigned j = 1; j < k; j++)
      if (load[j] < load[least]) least = j;
    done[big] = true;
    part[big] = (uint8_t)least;
    load[least] += w[big];
  }
  free(done);
  unsigned min = load[0];
  for (unsigned j = 1; j < k; j++)
    if (load[j] < min) min = load[j];
  return min;
}

/* The weight of function 'f': its instructions, those on a cycle twice
 * (in_loop is quadratic in the blocks: only up to 64 of them). */
static unsigned weight(LLVMValueRef f)
{
  unsigned nb = LLVMCountBasicBlocks(f), w = 0;
  LLVMBasicBlockRef *seen = nb <= 64 ? malloc(2 * (nb ? nb : 1) * sizeof *seen) : NULL;
  for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b)) {
    unsigned ni = 0;
    for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i)) ni++;
    w += seen && in_loop(f, b, seen, seen + nb) ? 2 * ni : ni;
  }
  free(seen);
  return w;
}

/* The parts 'm' splits into (at most J.nparts; 1: none), with the names
 * and parts of its 'n' bodies filled in. */
static unsigned plan(LLVMModuleRef m, char **names, uint8_t *part, uint32_t n)
{
  unsigned *w = calloc(n ? n : 1, sizeof *w), k = J.nparts < n ? J.nparts : n;
  if (!w) return 1;
  uint32_t i = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f && i < n; f = LLVMGetNextFunction(f)) {
    if (LLVMIsDeclaration(f)) continue;
    size_t len;
    w[i] = weight(f);
    if (!(names[i++] = dupstr(LLVMGetValueName2(f, &len)))) k = 1;
  }
  while (k > 1 && deal(n, w, part, k) < SPLIT_MIN) k--;
  free(w);
  return k;
}

/* Start parts 1..k of 'ps' (0 runs on the calling thread), each on a
 * thread with a TargetMachine of its own. */
static void start_parts(Part *ps, unsigned k, const Part *like)
{
  for (unsigned j = 0; j < k; j++) {
    ps[j] = *like;
    ps[j].me = j;
    if (j && !J.ptm[j]) J.ptm[j] = host_tm(J.target, J.cpu, J.feat);
    ps[j].tm = j ? J.ptm[j] : J.tm;
    ps[j].started = j && ps[j].tm && !pthread_create(&ps[j].thread, NULL, run_copy, &ps[j]);
  }
}

/* Wait for parts 1..k of 'ps', run again here any that failed, and hand
 * out their objects and kept bitcode; k, or 0 with 'err' (nothing handed out). */
static int join_parts(Part *ps, unsigned k, LLVMMemoryBufferRef *objs, Kept *kept, char *err, size_t errsize)
{
  int r = (int)k;
  for (unsigned j = 1; j < k; j++) {
    if (ps[j].started) pthread_join(ps[j].thread, NULL);
    if (!ps[j].obj) {   /* again, with the first part's machine (free now) */
      kept_free(&ps[j].kept);
      ps[j].err[0] = 0;
      ps[j].tm = J.tm;
      run_copy(&ps[j]);
    }
  }
  for (unsigned j = 0; j < k; j++)
    if (!ps[j].obj && r) r = 0, snprintf(err, errsize, "%s", ps[j].err);
  for (unsigned j = 0; j < k; j++) {
    if (!r && ps[j].obj) LLVMDisposeMemoryBuffer(ps[j].obj);
    if (!r) kept_free(&ps[j].kept);
    objs[j] = r ? ps[j].obj : NULL;
    kept[j] = ps[j].kept;
  }
  return r;
}

/* EMBER_TG_TIMES: each part's times and functions. */
static void print_parts(const Part *ps, unsigned k)
{
  for (unsigned j = 0; j < k; j++) {
    fprintf(stderr, "tg part %u: passes %.3f obj %.3f ms\n", j, 1e3 * ps[j].t_passes, 1e3 * ps[j].t_emit);
    for (uint32_t i = 0; i < ps[j].nnames; i++)
      if (ps[j].part[i] == j) fprintf(stderr, "  %s\n", ps[j].names[i]);
  }
}

/* Inline the whole of 'm' and run the rest of the pipeline ('passes') and
 * code generation in parts where that pays: objs[0..k) and kept[0..k), k,
 * with the optimization time of this thread in '*t_opt'; 0 with 'err'; -1
 * (nothing done but inlining) where 'm' is better kept whole. */
static int run_parts(LLVMModuleRef m, const char *passes, const TgOptions *opt, LLVMMemoryBufferRef *objs,
                     Kept *kept, double *t_opt, char *err, size_t errsize)
{
  double t0 = now();
  LLVMPassBuilderOptionsRef o = LLVMCreatePassBuilderOptions();
  LLVMErrorRef e = LLVMRunPasses(m, INLINE, J.tm, o);
  LLVMDisposePassBuilderOptions(o);
  if (e) { errmsg(e, "LLVM pass pipeline", err, errsize); return 0; }
  double t_inline = now() - t0;
  uint32_t n = 0;
  for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) n += !LLVMIsDeclaration(f);
  char **names = calloc(n ? n : 1, sizeof *names);
  uint8_t *part = calloc(n ? n : 1, 1);
  unsigned k = names && part ? plan(m, names, part, n) : 1;
  LLVMMemoryBufferRef bc = k > 1 ? LLVMWriteBitcodeToMemoryBuffer(m) : NULL;
  int r = -1;
  if (bc) {
    Part ps[PARTS_MAX];
    start_parts(ps, k, &(Part){.bc = bc, .names = names, .part = part, .nnames = n, .passes = passes, .opt = opt});
    run_part(&ps[0], m);
    r = join_parts(ps, k, objs, kept, err, errsize);
    *t_opt = t_inline + ps[0].t_passes;   /* the first part's, on this thread */
    if (getenv("EMBER_TG_TIMES")) print_parts(ps, k);
    LLVMDisposeMemoryBuffer(bc);
  }
  for (uint32_t i = 0; names && i < n; i++) free(names[i]);
  free(names);
  free(part);
  return r;
}

/* The texts 'opt' asks for of optimized module 'm' into 'last', and its
 * dump (EMBER_DUMP_MODULES=DIR: DIR/<sym>.ll). */
static void keep_texts(LLVMModuleRef m, const char *sym, const TgOptions *opt, TgCode *last)
{
  if (opt && opt->keep_llvm) {
    char *s = LLVMPrintModuleToString(m);
    last->llvm_ir = dupstr(s);
    LLVMDisposeMessage(s);
  }
  if (opt && opt->keep_asm) last->asm_text = emit_asm(m);
  const char *dumpdir = getenv("EMBER_DUMP_MODULES");
  if (dumpdir) {
    char path[1024], *msg = NULL;
    snprintf(path, sizeof path, "%s/%s.ll", dumpdir, sym);
    if (LLVMPrintModuleToFile(m, path, &msg)) LLVMDisposeMessage(msg);
  }
}

/* Lower fns[0..n) into a new module of 'ctx' ('*arrays': does one use
 * arrays); outs[i].t_lower gets the time of fns[i].  The module, or NULL
 * with 'err'. */
static LLVMModuleRef lower_all(LLVMContextRef ctx, IrFunc *const *fns, const char *const *syms,
                               const TgOptions *opts, uint32_t n, TgCode *outs, bool *arrays, char *err,
                               size_t errsize)
{
  LLVMModuleRef m = LLVMModuleCreateWithNameInContext(syms[n - 1], ctx);
  LLVMSetTarget(m, J.triple);
  LLVMSetModuleDataLayout(m, J.dl);
  char *msg = NULL;
  for (uint32_t i = 0; i < n; i++) {
    double ti = now();
    if (llvm_emit_func(fns[i], syms[i], m, opts ? &opts[i] : NULL, err, errsize)) goto fail;
    *arrays |= llvm_uses_arrays(fns[i]);
    outs[i].t_lower = now() - ti;
  }
  if (!getenv("EMBER_LLVM_VERIFY") || !LLVMVerifyModule(m, LLVMReturnStatusAction, &msg)) {
    if (msg) LLVMDisposeMessage(msg);
    return m;
  }
  snprintf(err, errsize, "LLVM verifier: %s", msg);
  LLVMDisposeMessage(msg);
fail:
  LLVMDisposeModule(m);
  return NULL;
}

/* Optimize 'm' whole with 'passes', keep its small functions (kept[0]) and
 * the texts 'opt' asks for, and emit it (objs[0]).  times[0] and times[1]
 * are the ends of lowering and of linking callees; times[2] and times[3]
 * get those of the passes and of the texts.  1, or 0 with 'err'. */
static int run_whole(LLVMModuleRef m, const char *passes, const TgOptions *opt, const char *sym, TgCode *last,
                     Kept *kept, LLVMMemoryBufferRef *objs, double *times, char *err, size_t errsize)
{
  times[2] = times[3] = now();
  if (run_passes(m, passes, J.tm, err, errsize)) return 0;
  double to = now();
  bc_save(m, opt, &kept[0]);
  times[2] = now();
  if (getenv("EMBER_TG_TIMES"))
    fprintf(stderr, "tg link %.3f passes %.3f keep %.3f ms\n", 1e3 * (times[1] - times[0]), 1e3 * (to - times[1]),
            1e3 * (times[2] - to));
  keep_texts(m, sym, opt, last);
  times[3] = now();
  if (!emit_obj(J.tm, m, &objs[0], err, errsize)) return 1;
  kept_free(&kept[0]);
  return 0;
}

/* Lower fns[0..n) into one module, optimize it and emit it to object
 * buffers objs[0..k), its small inner functions' bitcode to kept[0..k)
 * (k > 1: in parts, see run_parts; n > 1 only); k, or 0 with 'err'.  Fills
 * the text outputs (n == 1 only).  outs[i] gets the lowering time of
 * fns[i]; the module's optimization and code generation times go to the
 * last. */
static unsigned build(IrFunc *const *fns, const char *const *syms, const TgOptions *opts, uint32_t n,
                      TgCode *outs, Kept *kept, LLVMMemoryBufferRef *objs, char *err, size_t errsize)
{
  double t0 = now();
  LLVMContextRef ctx = LLVMContextCreate();
  bool arrays = false;
  LLVMModuleRef m = lower_all(ctx, fns, syms, opts, n, outs, &arrays, err, errsize);
  TgCode *last = &outs[n - 1];
  const TgOptions *opt = opts ? &opts[n - 1] : NULL;
  int nobj = 0;
  double t1 = now();
  if (!m) goto out;
  if (!(opt && opt->opt_level <= 1) && !getenv("EMBER_NO_LINK_CALLEES")) link_callees(m);
  unsigned nf = 0, ni = 0;   /* the module's size for EMBER_TG_TIMES */
  for (LLVMValueRef f = getenv("EMBER_TG_TIMES") ? LLVMGetFirstFunction(m) : NULL; f; f = LLVMGetNextFunction(f))
    if (!LLVMIsDeclaration(f)) nf++, ni += count_insts(f);
  const char *passes = pipeline(opt, arrays), *rest = part_pipeline(passes);
  if (passes && arrays) map_vector_math(m);
  bool split = n > 1 && J.nparts > 1 && rest && !(opt && (opt->keep_llvm || opt->keep_asm))
               && !getenv("EMBER_DUMP_MODULES");
  double times[4] = {t1, now(), 0, 0};   /* ends of lowering, linking callees, passes, texts */
  nobj = split ? run_parts(m, rest, opt, objs, kept, &last->t_opt, err, errsize) : -1;
  if (nobj > 0) {
    last->t_opt += times[1] - t1;
    times[2] = times[3] = t1 + last->t_opt;
  } else if (nobj < 0) {   /* whole; inlined already where it was split */
    nobj = run_whole(m, split ? rest : passes, opt, syms[n - 1], last, kept, objs, times, err, errsize);
    last->t_opt = times[2] - t1;
  }
  if (!nobj) goto out;
  last->t_codegen = now() - times[2];
  last->nparts = (unsigned)nobj;
  if (getenv("EMBER_TG_TIMES")) {
    fprintf(stderr, "tg %s%s: lower %.3f opt %.3f text %.3f obj %.3f ms; %u functions, %u instructions, %d part%s\n",
            syms[n - 1], n > 1 ? " (and callees)" : "", 1e3 * (t1 - t0), 1e3 * (times[2] - t1),
            1e3 * (times[3] - times[2]), 1e3 * (now() - times[3]), nf, ni, nobj, nobj == 1 ? "" : "s");
    for (uint32_t i = 0; i + 1 < n; i++) fprintf(stderr, "  callee %s\n", syms[i]);
  }
out:
  if (m) LLVMDisposeModule(m);
  LLVMContextDispose(ctx);
  return nobj > 0 ? (unsigned)nobj : 0;
}

/* Remove the code of tracker 'rt' from the JIT and drop the handle. */
static void drop_rt(LLVMOrcResourceTrackerRef rt)
{
  LLVMErrorRef e = LLVMOrcResourceTrackerRemove(rt);
  if (e) LLVMConsumeError(e);
  LLVMOrcReleaseResourceTracker(rt);
}

/* Index of the pending object of 'sym', or -1. */
static int find_pend(const char *sym)
{
  for (uint32_t i = 0; i < J.npend; i++)
    if (!strcmp(J.pend[i].sym, sym)) return (int)i;
  return -1;
}

static void take_pend(uint32_t i)
{
  free(J.pend[i].sym);
  J.pend[i] = J.pend[--J.npend];
}

static int add_pend(const char *sym, LLVMOrcResourceTrackerRef rt, char *err, size_t errsize)
{
  if (J.npend == J.pendcap) {
    uint32_t cap = J.pendcap ? 2 * J.pendcap : 8;
    struct Pend *p = realloc(J.pend, cap * sizeof *p);
    if (!p) { snprintf(err, errsize, "out of memory"); return -1; }
    J.pend = p;
    J.pendcap = cap;
  }
  J.pend[J.npend++] = (struct Pend){dupstr(sym), rt};
  return 0;
}

/* Look up <sym>_entry, which links the object; on failure remove 'rt' (its code). */
static int lookup(const char *sym, LLVMOrcResourceTrackerRef rt, EmEntry *entry, char *err, size_t errsize)
{
  char name[512];
  snprintf(name, sizeof name, "%s_entry", sym);
  LLVMOrcExecutorAddress addr = 0;
  J.sessionerr[0] = 0;
  LLVMErrorRef e = LLVMOrcLLJITLookup(J.jit, &addr, name);
  if (e) {
    char msg[512];
    errmsg(e, "cannot link the object code", msg, sizeof msg);
    snprintf(err, errsize, "%s%s%s", msg, J.sessionerr[0] ? "; " : "", J.sessionerr);
    if (rt) drop_rt(rt);
    return -1;
  }
  if (rt) LLVMOrcReleaseResourceTracker(rt);
  *entry = (EmEntry)(uintptr_t)addr;
  return 0;
}

/* Add objects objs[0..n) (consumed) to the JIT under a new resource
 * tracker; the tracker, or NULL with 'err'. */
static LLVMOrcResourceTrackerRef add_rt(LLVMMemoryBufferRef *objs, unsigned n, char *err, size_t errsize)
{
  LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(J.jit));
  LLVMErrorRef e = NULL;
  unsigned i = 0;
  while (i < n && !e) e = LLVMOrcLLJITAddObjectFileWithRT(J.jit, rt, objs[i++]);
  if (!e) return rt;
  errmsg(e, "cannot add the object code", err, errsize);
  while (i < n) LLVMDisposeMemoryBuffer(objs[i++]);
  drop_rt(rt);
  return NULL;
}

/* Add object 'obj' (consumed) defining 'sym' under a new resource tracker;
 * with 'defer' leave it pending for tg_link, else look its entry up. */
static int add_object(const char *sym, LLVMMemoryBufferRef obj, bool defer, EmEntry *entry,
                      char *err, size_t errsize)
{
  int old = find_pend(sym);
  if (old >= 0) {   /* added by a session that never linked it: replace */
    drop_rt(J.pend[old].rt);
    take_pend((uint32_t)old);
  }
  LLVMOrcResourceTrackerRef rt = add_rt(&obj, 1, err, errsize);
  if (!rt) return -1;
  if (defer) {
    if (add_pend(sym, rt, err, errsize)) { drop_rt(rt); return -1; }
    return 0;
  }
  return lookup(sym, rt, entry, err, errsize);
}

int tg_compile(IrFunc *fn, const char *sym, const TgOptions *opt, TgCode *out,
               char *err, size_t errsize)
{
  memset(out, 0, sizeof *out);
  pthread_once(&once, start);
  if (!J.ok) { snprintf(err, errsize, "LLVM did not start: %s", J.initerr); return -1; }
  Kept kept;
  LLVMMemoryBufferRef obj;
  if (!build(&fn, &sym, opt, 1, out, &kept, &obj, err, errsize)) return -1;   /* one part: n == 1 */
  double t0 = now();
  if (opt && opt->keep_object) {
    out->objsize = LLVMGetBufferSize(obj);
    if ((out->obj = malloc(out->objsize ? out->objsize : 1)))
      memcpy(out->obj, LLVMGetBufferStart(obj), out->objsize);
    else out->objsize = 0;
  }
  bool defer = opt && opt->defer_link;
  if (add_object(sym, obj, defer, &out->entry, err, errsize)) {
    free(out->obj);
    out->obj = NULL;
    out->objsize = 0;
    kept_free(&kept);
    return -1;
  }
  if (defer) kept_free(&kept);   /* its link may still fail: not a source of callees */
  else bc_keep(&kept);
  out->t_codegen += now() - t0;
  if (getenv("EMBER_TG_TIMES") && !defer) fprintf(stderr, "tg %s: link %.3f ms\n", sym, 1e3 * (now() - t0));
  return 0;
}

int tg_compile_batch(IrFunc *const *fns, const char *const *syms, const TgOptions *opts, uint32_t n,
                     TgCode *outs, char *err, size_t errsize)
{
  memset(outs, 0, n * sizeof *outs);
  pthread_once(&once, start);
  if (!J.ok) { snprintf(err, errsize, "LLVM did not start: %s", J.initerr); return -1; }
  Kept kept[PARTS_MAX];
  LLVMMemoryBufferRef objs[PARTS_MAX];
  unsigned nobj = build(fns, syms, opts, n, outs, kept, objs, err, errsize);
  if (!nobj) return -1;
  double t0 = now();
  LLVMOrcResourceTrackerRef rt = add_rt(objs, nobj, err, errsize);
  bool ok = rt != NULL;
  for (uint32_t i = 0; ok && i < n; i++)     /* the first lookup links the objects; the last releases 'rt' */
    if (lookup(syms[i], i + 1 == n ? rt : NULL, &outs[i].entry, err, errsize)) {
      if (i + 1 < n) drop_rt(rt);
      ok = false;
    }
  for (unsigned j = 0; j < nobj; j++) {
    if (ok) bc_keep(&kept[j]);
    else kept_free(&kept[j]);
  }
  outs[n - 1].t_codegen += now() - t0;
  return ok ? 0 : -1;
}

int tg_load_object(const char *sym, const void *obj, size_t size, EmEntry *entry, char *err, size_t errsize)
{
  if (entry) *entry = NULL;
  pthread_once(&once, start);
  if (!J.ok) { snprintf(err, errsize, "LLVM did not start: %s", J.initerr); return -1; }
  LLVMMemoryBufferRef buf = LLVMCreateMemoryBufferWithMemoryRangeCopy(obj, size, sym);
  if (!buf) { snprintf(err, errsize, "out of memory"); return -1; }
  return add_object(sym, buf, entry == NULL, entry, err, errsize);
}

const char *tg_llvm_version(void)
{
  pthread_once(&once, start);
  return J.version;
}

/* Link the object of 'sym' added with defer_link (and whatever it calls
 * among the pending ones) and return its entry.  On failure every pending
 * object is removed: the session that added them is dropped as a whole. */
int tg_link(const char *sym, EmEntry *entry, char *err, size_t errsize)
{
  *entry = NULL;
  int i = find_pend(sym);
  if (i < 0) { snprintf(err, errsize, "no object code of %s waits to be linked", sym); return -1; }
  LLVMOrcResourceTrackerRef rt = J.pend[i].rt;
  take_pend((uint32_t)i);
  if (!lookup(sym, rt, entry, err, errsize)) return 0;
  while (J.npend) {
    drop_rt(J.pend[0].rt);
    take_pend(0);
  }
  return -1;
}
