/* tools/ember-warm.c: fill Ember's on-disk cache so a service starts without compiling.
 *
 *   ember-warm [-j N] [-r RECORD]... [-q] TARGET...
 *
 * A TARGET is a module or package name (a package brings its submodules), a
 * package directory or a script path.  ember-warm embeds the CPython it was
 * built for (installed next to that interpreter's `python` by pip, it finds
 * the environment's site-packages the same way), imports the targets through
 * ember._warm, and compiles into the cache every signature the targets'
 * ember.jit functions declare and every signature of the RECORD files
 * (written by a run with EMBER_RECORD=path; $EMBER_RECORD is read when no -r
 * is given) that names one of them.
 *
 * Order of work: set EMBER_CACHE=1 (functions that leave cache= unset are
 * cached), EMBER_WARM=1 (declared signatures wait for us instead of
 * compiling at import) and unset EMBER_RECORD; start Python; import and list
 * the work; compile it here (-j 1), or start N workers (this program run
 * again with --worker: fork and exec) and hand each the next item index on
 * its stdin as soon as it reports the last one on its stdout, one line
 * each way; print a line per finished item on stderr (unless -q), then a
 * table on stdout.  The exit status is 0 when every signature is in the
 * cache, 1 when any failed (each named on stderr), 2 for bad usage, a
 * target that does not import or a worker that died.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXARGS 256

typedef struct {
  char *label;               /* module.qualname */
  char *sig, *source;
  char status[16];           /* compiled, cached, skipped, failed; "" while pending */
  double secs;
  char *msg;
} Item;

typedef struct {
  const char *targets[MAXARGS], *records[MAXARGS];
  int ntargets, nrecords, jobs;
  bool quiet, worker;
} Opts;

static Item *items;
static int nitems, ndone;
static PyObject *warm;       /* ember._warm */

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void usage(void)
{
  fprintf(stderr, "usage: ember-warm [-j N] [-r RECORD]... [-q] TARGET...\n"
                  "  TARGET   a module or package name, a package directory or a script path\n"
                  "  -j N     compile in N processes (default 1)\n"
                  "  -r FILE  also compile the signatures an EMBER_RECORD=FILE run recorded\n"
                  "  -q       no progress lines\n");
}

/* Parse argv into 'o'; -1 on bad usage. */
static int parse(int argc, char **argv, Opts *o)
{
  memset(o, 0, sizeof *o);
  o->jobs = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--worker")) o->worker = true;
    else if (!strcmp(a, "-q")) o->quiet = true;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) return -1;
    else if (!strncmp(a, "-j", 2)) {
      const char *v = a[2] ? a + 2 : i + 1 < argc ? argv[++i] : NULL;
      o->jobs = v ? atoi(v) : 0;
      if (o->jobs < 1 || o->jobs > 256) return -1;
    } else if (!strcmp(a, "-r")) {
      if (i + 1 == argc || o->nrecords == MAXARGS) return -1;
      o->records[o->nrecords++] = argv[++i];
    } else if (a[0] == '-') {
      return -1;
    } else {
      if (o->ntargets == MAXARGS) return -1;
      o->targets[o->ntargets++] = a;
    }
  }
  if (!o->nrecords && getenv("EMBER_RECORD") && *getenv("EMBER_RECORD"))
    o->records[o->nrecords++] = getenv("EMBER_RECORD");
  return o->ntargets ? 0 : -1;
}

/* -- Python ---------------------------------------------------------------------- */

/* Start the interpreter as if it were this program's own `python`; 0 or -1. */
static int start_python(const char *exe)
{
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.parse_argv = 0;
  char *argv[1] = {(char *)exe};
  PyStatus st = PyConfig_SetBytesString(&config, &config.program_name, exe);
  if (!PyStatus_Exception(st)) st = PyConfig_SetBytesArgv(&config, 1, argv);
  if (!PyStatus_Exception(st)) st = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(st)) {
    fprintf(stderr, "ember-warm: cannot start Python: %s\n", st.err_msg ? st.err_msg : "?");
    return -1;
  }
  return 0;
}

static PyObject *str_list(const char *const *v, int n)
{
  PyObject *l = PyList_New(n);
  for (int i = 0; l && i < n; i++) {
    PyObject *s = PyUnicode_DecodeFSDefault(v[i]);
    if (!s) { Py_CLEAR(l); break; }
    PyList_SET_ITEM(l, i, s);
  }
  return l;
}

static char *dup_utf8(PyObject *s)
{
  const char *u = s && PyUnicode_Check(s) ? PyUnicode_AsUTF8(s) : NULL;
  if (!u) { PyErr_Clear(); u = "?"; }
  return strdup(u);
}

/* Import the targets and list the work into 'items'; 0, or -1 (reported). */
static int setup(const Opts *o)
{
  if (!(warm = PyImport_ImportModule("ember._warm"))) goto fail;
  PyObject *t = str_list(o->targets, o->ntargets), *r = str_list(o->records, o->nrecords);
  PyObject *n = t && r ? PyObject_CallMethod(warm, "setup", "OO", t, r) : NULL;
  Py_XDECREF(t);
  Py_XDECREF(r);
  if (!n) goto fail;
  nitems = (int)PyLong_AsLong(n);
  Py_DECREF(n);
  items = calloc((size_t)nitems + 1, sizeof *items);
  for (int i = 0; items && i < nitems; i++) {
    PyObject *it = PyObject_CallMethod(warm, "item", "i", i);
    if (!it || !PyTuple_Check(it) || PyTuple_GET_SIZE(it) != 4) { Py_XDECREF(it); goto fail; }
    PyObject *lab = PyUnicode_FromFormat("%U.%U", PyTuple_GET_ITEM(it, 0), PyTuple_GET_ITEM(it, 1));
    items[i].label = dup_utf8(lab);
    items[i].sig = dup_utf8(PyTuple_GET_ITEM(it, 2));
    items[i].source = dup_utf8(PyTuple_GET_ITEM(it, 3));
    Py_XDECREF(lab);
    Py_DECREF(it);
  }
  return items ? 0 : -1;
fail:
  if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
    PyObject *ty, *v, *tb;
    PyErr_Fetch(&ty, &v, &tb);
    PyObject *s = v ? PyObject_Str(v) : NULL;
    fprintf(stderr, "%s\n", s ? PyUnicode_AsUTF8(s) : "ember-warm: setup failed");
    Py_XDECREF(s); Py_XDECREF(ty); Py_XDECREF(v); Py_XDECREF(tb);
    return -1;
  }
  fprintf(stderr, "ember-warm: the targets do not import:\n");
  PyErr_Print();
  return -1;
}

/* Compile item 'i' here: fill its status, seconds and message. */
static void run_here(int i)
{
  Item *it = &items[i];
  PyObject *r = PyObject_CallMethod(warm, "run", "i", i);
  const char *status = NULL;
  if (r && PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 3) {
    status = PyUnicode_AsUTF8(PyTuple_GET_ITEM(r, 0));
    it->secs = PyFloat_AsDouble(PyTuple_GET_ITEM(r, 1));
    it->msg = dup_utf8(PyTuple_GET_ITEM(r, 2));
  }
  if (!status) {
    PyErr_Print();
    status = "failed";
    if (!it->msg) it->msg = strdup("internal error in ember._warm.run");
  }
  snprintf(it->status, sizeof it->status, "%s", status);
  Py_XDECREF(r);
}

/* -- Progress and summary --------------------------------------------------------- */

static void progress(const Opts *o, int i)
{
  ndone++;
  if (o->quiet) return;
  Item *it = &items[i];
  fprintf(stderr, "[%*d/%d] %-8s %s %s  %.1f ms\n", nitems >= 100 ? 3 : nitems >= 10 ? 2 : 1, ndone, nitems,
          it->status, it->label, it->sig, 1e3 * it->secs);
  if (!strcmp(it->status, "failed")) fprintf(stderr, "         %s\n", it->msg ? it->msg : "");
}

/* Summary table on stdout, failures on stderr; the exit status. */
static int summary(const Opts *o, double wall)
{
  int wl = 8, ws = 9, counts[4] = {0};
  static const char *const names[4] = {"compiled", "cached", "skipped", "failed"};
  for (int i = 0; i < nitems; i++) {
    int l = (int)strlen(items[i].label), s = (int)strlen(items[i].sig);
    if (l > wl) wl = l;
    if (s > ws) ws = s;
  }
  if (nitems) printf("%-*s  %-*s  %-9s %-8s %9s\n", wl, "function", ws, "signature", "source", "status", "ms");
  for (int i = 0; i < nitems; i++) {
    Item *it = &items[i];
    printf("%-*s  %-*s  %-9s %-8s %9.1f\n", wl, it->label, ws, it->sig, it->source,
           it->status[0] ? it->status : "not run", 1e3 * it->secs);
    for (int k = 0; k < 4; k++) counts[k] += !strcmp(it->status, names[k]);
  }
  printf("%d signatures: %d compiled, %d already cached, %d skipped, %d failed in %.2f s (-j %d)\n", nitems,
         counts[0], counts[1], counts[2], counts[3], wall, o->jobs);
  PyObject *notes = PyObject_CallMethod(warm, "notes", NULL);
  for (Py_ssize_t i = 0; notes && PyList_Check(notes) && i < PyList_GET_SIZE(notes); i++)
    printf("note: %s\n", PyUnicode_AsUTF8(PyList_GET_ITEM(notes, i)));
  Py_XDECREF(notes);
  PyErr_Clear();
  int bad = 0;
  for (int i = 0; i < nitems; i++)
    if (strcmp(items[i].status, "compiled") && strcmp(items[i].status, "cached") && strcmp(items[i].status, "skipped")) {
      fprintf(stderr, "ember-warm: FAILED %s %s: %s\n", items[i].label, items[i].sig,
              items[i].msg && *items[i].msg ? items[i].msg : "not compiled");
      bad++;
    }
  fflush(stdout);
  return bad ? 1 : 0;
}

/* -- Workers ----------------------------------------------------------------------- */

/* Replace tabs and newlines: one result per line. */
static void flatten(char *s)
{
  for (; s && *s; s++) if (*s == '\t' || *s == '\n' || *s == '\r') *s = ' ';
}

/* A worker reads item indices on fd 3 and answers on fd 4 (the user's code
 * keeps stdin and stdout): "ready N" first, then per index
 * "i<TAB>status<TAB>seconds<TAB>message". */
static int worker_loop(void)
{
  FILE *in = fdopen(3, "r"), *out = fdopen(4, "w");
  if (!in || !out) return 2;
  fprintf(out, "ready %d\n", nitems);
  fflush(out);
  char line[64];
  while (fgets(line, sizeof line, in)) {
    int i = atoi(line);
    if (i < 0 || i >= nitems) return 2;
    run_here(i);
    flatten(items[i].msg);
    fprintf(out, "%d\t%s\t%.9f\t%s\n", i, items[i].status, items[i].secs, items[i].msg ? items[i].msg : "");
    fflush(out);
  }
  return 0;
}

typedef struct { pid_t pid; FILE *in, *out; int busy; bool ready; } Worker;

/* Start worker 'w': this program again, with --worker and the same arguments. */
static int spawn(Worker *w, const char *exe, char **argv, int argc)
{
  int to[2], from[2];   /* close-on-exec: no other worker inherits them */
  if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC)) return -1;
  w->pid = fork();
  if (w->pid < 0) return -1;
  if (w->pid == 0) {
    int a = fcntl(to[0], F_DUPFD_CLOEXEC, 10), b = fcntl(from[1], F_DUPFD_CLOEXEC, 10);
    if (a < 0 || b < 0 || dup2(a, 3) < 0 || dup2(b, 4) < 0) _exit(127);
    char *args[2 * MAXARGS + 8];
    int k = 0;
    args[k++] = (char *)exe;
    args[k++] = "--worker";
    for (int i = 1; i < argc && k < 2 * MAXARGS + 6; i++) args[k++] = argv[i];
    args[k] = NULL;
    execv(exe, args);
    _exit(127);
  }
  close(to[0]);
  close(from[1]);
  w->in = fdopen(to[1], "w");
  w->out = fdopen(from[0], "r");
  w->busy = -1;
  return w->in && w->out ? 0 : -1;
}

static void give(Worker *w, int i)
{
  w->busy = i;
  fprintf(w->in, "%d\n", i);
  fflush(w->in);
}

/* Take one result line of 'w' into its item; -1 if malformed. */
static int take(Worker *w, const char *line)
{
  char status[16] = "", *tab;
  int i = atoi(line);
  if (i != w->busy || !(tab = strchr(line, '\t'))) return -1;
  Item *it = &items[i];
  sscanf(tab + 1, "%15[^\t]\t%lf", status, &it->secs);
  snprintf(it->status, sizeof it->status, "%s", status);
  const char *m = strchr(tab + 1, '\t');
  m = m ? strchr(m + 1, '\t') : NULL;
  it->msg = strdup(m ? m + 1 : "");
  w->busy = -1;
  return 0;
}

/* Worker 'w' closed its end: the item it had failed.  2 if it had one. */
static int worker_gone(const Opts *o, Worker *w)
{
  int rc = 0;
  if (w->busy >= 0) {
    snprintf(items[w->busy].status, sizeof items[w->busy].status, "failed");
    items[w->busy].msg = strdup("the worker compiling it died");
    progress(o, w->busy);
    rc = 2;
  }
  fclose(w->out);
  w->out = NULL;
  if (w->in) { fclose(w->in); w->in = NULL; }
  return rc;
}

/* Handle one line of worker 'w' ("ready N" first, then results); 2 if it disagrees on the list. */
static int worker_line(const Opts *o, Worker *w, char *line)
{
  line[strcspn(line, "\n")] = 0;
  if (!w->ready) {
    w->ready = true;
    if (strncmp(line, "ready ", 6) || atoi(line + 6) != nitems) {
      fprintf(stderr, "ember-warm: a worker found another list of work (%s)\n", line);
      return 2;
    }
    return 0;
  }
  int i = w->busy;
  if (take(w, line) == 0) progress(o, i);
  return 0;
}

/* Run the items in 'nw' workers, each given the next index as soon as it
 * answers; 0, or 2 if one died or disagreed on the list. */
static int run_workers(const Opts *o, const char *exe, char **argv, int argc, int nw)
{
  Worker *ws = calloc((size_t)nw, sizeof *ws);
  struct pollfd *pf = calloc((size_t)nw, sizeof *pf);
  int next = 0, alive = 0, rc = 0;
  for (int k = 0; k < nw; k++, alive++)
    if (spawn(&ws[k], exe, argv, argc)) {
      fprintf(stderr, "ember-warm: cannot start a worker: %s\n", strerror(errno));
      return 2;
    }
  while (alive) {
    for (int k = 0; k < nw; k++) pf[k] = (struct pollfd){ws[k].out ? fileno(ws[k].out) : -1, POLLIN, 0};
    if (poll(pf, (nfds_t)nw, -1) < 0) { if (errno == EINTR) continue; break; }
    for (int k = 0; k < nw; k++) {
      Worker *w = &ws[k];
      char line[8192];
      if (!w->out || !(pf[k].revents & (POLLIN | POLLHUP))) continue;
      if (!fgets(line, sizeof line, w->out)) {   /* done, or died */
        rc |= worker_gone(o, w);
        alive--;
        continue;
      }
      rc |= worker_line(o, w, line);
      if (w->in && next < nitems && rc == 0) give(w, next++);
      else if (w->in && w->busy < 0) { fclose(w->in); w->in = NULL; }
    }
  }
  for (int k = 0; k < nw; k++) {
    int st;
    if (waitpid(ws[k].pid, &st, 0) > 0 && (!WIFEXITED(st) || WEXITSTATUS(st))) rc = 2;
  }
  free(ws);
  free(pf);
  return rc;
}

/* -- Main ---------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
  Opts o;
  if (parse(argc, argv, &o)) { usage(); return 2; }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) snprintf(exe, sizeof exe, "%s", argv[0]);
  else exe[n] = 0;
  setenv("EMBER_CACHE", "1", 1);
  setenv("EMBER_WARM", "1", 1);
  unsetenv("EMBER_RECORD");   /* warming is no run to record */
  signal(SIGPIPE, SIG_IGN);
  if (start_python(exe)) return 2;
  double t0 = now();
  int rc = setup(&o) ? 2 : 0;
  if (rc == 0 && o.worker) rc = worker_loop();
  else if (rc == 0) {
    int nw = o.jobs < nitems ? o.jobs : nitems;
    if (nw > 1) rc = run_workers(&o, exe, argv, argc, nw);
    else for (int i = 0; i < nitems; i++) { run_here(i); progress(&o, i); }
    int s = summary(&o, now() - t0);
    if (!rc) rc = s;
  }
  if (Py_FinalizeEx() < 0 && !rc) rc = 2;
  return rc;
}
