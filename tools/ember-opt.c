/* tools/ember-opt.c: read IR text, run passes, print the result.
 *
 *   ember-opt [-p "infer fold dce"] [-n] FILE.eir
 *
 * A `; options: fastmath` line runs the passes with fastmath on.
 * The pipeline comes from -p, else from the file's `; test: PASSES` line,
 * else nothing runs (the file is parsed and printed back).  Every function
 * of the file runs the pipeline in order, with the verifier after each pass
 * (-n turns it off), and is printed after it.  Errors go to stderr as
 * `file:line:col: message` (parse errors, with the line and a caret) or
 * `file:line: error: message` (compile errors); the exit status is then 1.
 *
 * A test host answers calls: `funcref N "name"` is the file's function
 * number N (from 0), inferred for the argument types on its first call;
 * a call while that function is being inferred is recursion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../passes/passes.h"

typedef struct {
  IrFunc **fns;
  int n;
  uint8_t *state;   /* 0 untouched, 1 being inferred, 2 inferred */
} Host;

static int call_sig(void *host, int64_t id, const IrType *args, uint32_t nargs, IrCtx *ctx, IrType *ret,
                    const char **symbol, bool *pure, char *err, size_t errsize)
{
  Host *h = host;
  if (id < 0 || id >= h->n) { snprintf(err, errsize, "no function number %lld", (long long)id); return -1; }
  IrFunc *fn = h->fns[id];
  IrBlock *entry = &fn->blocks[0];
  *symbol = fn->name;
  if (nargs != entry->nparams) {
    snprintf(err, errsize, "%s() takes %u arguments (%u given)", fn->name, entry->nparams, nargs);
    return -1;
  }
  for (uint32_t i = 0; i < nargs && h->state[id]; i++)
    if (fn->vals[entry->params[i]].type != args[i]) {
      snprintf(err, errsize, "test host: %s is already compiled for other argument types", fn->name);
      return -1;
    }
  if (h->state[id] == 1) return 1;
  if (h->state[id] == 0) {
    for (uint32_t i = 0; i < nargs; i++) fn->vals[entry->params[i]].type = args[i];
    h->state[id] = 1;
    pass_infer(fn);  /* errors unwind to the caller's ir_ctx_run */
    h->state[id] = 2;
  }
  *ret = fn->ret;
  *pure = fn->pure;
  (void)ctx;
  return 0;
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  if (buf) buf[n] = 0;
  fclose(f);
  return buf;
}

/* The pipeline named by the `; test:` line of 'text', or "". */
static char *header_pipeline(const char *text)
{
  const char *p = strstr(text, "; test:");
  if (!p) return strdup("");
  p += 7;
  size_t n = strcspn(p, "\n");
  char *s = malloc(n + 1);
  memcpy(s, p, n);
  s[n] = 0;
  return s;
}

/* Print a parse error "file:line:col: msg" with the source line and a caret. */
static void parse_error(const char *msg, const char *text)
{
  fprintf(stderr, "%s\n", msg);
  const char *c = strchr(msg, ':');
  int line = 0, col = 0;
  if (!c || sscanf(c + 1, "%d:%d", &line, &col) != 2) return;
  const char *p = text;
  for (int l = 1; l < line && p; l++) p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
  if (!p) return;
  int len = (int)strcspn(p, "\n");
  fprintf(stderr, "  %.*s\n  %*s^\n", len, p, col > 0 ? col - 1 : 0, "");
}

typedef struct {
  IrFunc *fn;
  const char *list;
  PassOptions *opt;
  int rc;
} Job;

static void run_job(IrCtx *ctx, void *arg)
{
  Job *j = arg;
  (void)ctx;
  j->rc = passes_run_named(j->fn, j->list, j->opt);
}

/* 'list' without the word "infer" (for functions the host already inferred). */
static char *without_infer(const char *list)
{
  char *s = strdup(list), *p;
  while ((p = strstr(s, "infer")) && (p == s || p[-1] == ' ') && (p[5] == 0 || p[5] == ' '))
    memset(p, ' ', 5);
  return s;
}

int main(int argc, char **argv)
{
  const char *path = NULL, *plist = NULL;
  bool verify = true;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-p") && i + 1 < argc) plist = argv[++i];
    else if (!strcmp(argv[i], "-n")) verify = false;
    else if (argv[i][0] == '-') { fprintf(stderr, "usage: ember-opt [-p PASSES] [-n] FILE.eir\n"); return 2; }
    else path = argv[i];
  }
  if (!path) { fprintf(stderr, "usage: ember-opt [-p PASSES] [-n] FILE.eir\n"); return 2; }
  char *text = slurp(path);
  if (!text) { perror(path); return 2; }
  char *list = plist ? strdup(plist) : header_pipeline(text);
  IrCtx *ctx = ir_ctx_new();
  IrFunc **fns = NULL;
  int n = ir_parse(ctx, text, path, &fns);
  int status = 0;
  if (n < 0) { parse_error(ctx->errmsg, text); status = 1; n = 0; }
  Host host = {fns, n, calloc((size_t)n + 1, 1)};
  ctx->host.host = &host;
  ctx->host.call_sig = call_sig;
  for (int i = 0; i < n && !status; i++) {
    PassOptions opt = {.verify = verify, .fastmath = strstr(text, "; options: fastmath") != NULL};
    char *l = host.state[i] == 2 ? without_infer(list) : strdup(list);
    if (strstr(l, "infer")) host.state[i] = 1;
    Job job = {fns[i], l, &opt, 0};
    IrErrCode err = ir_ctx_run(ctx, run_job, &job);
    if (strstr(l, "infer")) host.state[i] = 2;
    if (err != EM_ERR_OK) {
      fprintf(stderr, "%s:%d: error: %s\n", path, ctx->errline, ctx->errmsg);
      status = 1;
    } else if (job.rc < 0) {
      fprintf(stderr, "ember-opt: unknown pass in \"%s\"\n", l);
      status = 2;
    } else {
      ir_func_print(fns[i], stdout);
    }
    free(l);
  }
  free(host.state);
  ir_ctx_free(ctx);
  free(list);
  free(text);
  return status;
}
