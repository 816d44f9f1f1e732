/* ir/ctx.c: the compile context, its arena and compile errors.
 *
 * One arena per compilation: chunks of at least 64 KiB, bump-allocated,
 * freed together by ir_ctx_free.  Every allocation goes through arena_get,
 * which counts bytes so tests can cap a compile (ctx->maxalloc) and drive
 * the out-of-memory path, which is an ordinary compile error.
 * Errors longjmp to the jmp_buf that ir_ctx_run set; nothing outside
 * ir_ctx_run may raise one.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

typedef struct Chunk {
  struct Chunk *next;
  size_t size, used;
  max_align_t data[];
} Chunk;

struct IrArena {
  Chunk *head;
};

#define P IRF_PURE
#define C IRF_COMM
#define T IRF_TERM
#define E IRF_EFFECT
#define F IRF_FOLD
#define K IRF_KONLY
#define V IRF_VOID
const IrOpInfo ir_opinfo[IR__COUNT] = {
#define IROP(name, text, nargs, flags, doc) {text, nargs, flags, doc},
#include "ops.def"
#undef IROP
};
#undef P
#undef C
#undef T
#undef E
#undef F
#undef K
#undef V

const IrIntrinInfo ir_intrininfo[IN__COUNT] = {
#define INTRIN(name, pyname, nargs, sig, libm) {pyname, nargs, sig, libm},
#include "intrin.def"
#undef INTRIN
};

const IrRtErrInfo ir_rterrinfo[RT__COUNT] = {
#define RTERR(name, exc, fallback, msg) {exc, fallback, msg},
#include "rterrors.def"
#undef RTERR
};

const IrErrInfo ir_errinfo[EM_ERR__COUNT] = {
#define EMERR(name, cls, fmt) {cls, fmt},
#include "errors.def"
#undef EMERR
};

unsigned ir_op_flags(IrOp op)
{
  return ir_opinfo[op].flags;
}

_Noreturn void ember_die(const char *msg)
{
  fprintf(stderr, "ember: internal error: %s\n", msg);
  abort();
}

IrCtx *ir_ctx_new(void)
{
  IrCtx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) return NULL;
  ctx->arena = calloc(1, sizeof *ctx->arena);
  if (!ctx->arena) { free(ctx); return NULL; }
  ir_type_init(ctx);
  return ctx;
}

void ir_ctx_free(IrCtx *ctx)
{
  if (!ctx) return;
  for (Chunk *c = ctx->arena->head, *n; c; c = n) {
    n = c->next;
    free(c);
  }
  free(ctx->arena);
  free(ctx);
}

/* Bump-allocate 'size' zeroed bytes; NULL when the cap or malloc says no. */
static void *arena_get(IrCtx *ctx, size_t size)
{
  size = (size + 15) & ~(size_t)15;
  if (ctx->maxalloc && ctx->nalloc + size > ctx->maxalloc) return NULL;
  Chunk *c = ctx->arena->head;
  if (!c || c->size - c->used < size) {
    size_t cs = size > 65536 ? size : 65536;
    c = malloc(sizeof *c + cs);
    if (!c) return NULL;
    c->size = cs;
    c->used = 0;
    c->next = ctx->arena->head;
    ctx->arena->head = c;
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  ctx->nalloc += size;
  memset(p, 0, size);
  return p;
}

void *ir_alloc(IrCtx *ctx, size_t size)
{
  void *p = arena_get(ctx, size ? size : 1);
  if (!p) ir_error(ctx, EM_ERR_TOOBIG, 0, "the function");
  return p;
}

void *ir_realloc(IrCtx *ctx, void *p, size_t old, size_t size)
{
  if (size <= old) return p;
  Chunk *c = ctx->arena->head;
  size_t o16 = (old + 15) & ~(size_t)15, s16 = (size + 15) & ~(size_t)15;
  /* Grow in place when 'p' is the last allocation of the current chunk. */
  if (p && c && (char *)p + o16 == (char *)c->data + c->used && c->size - c->used >= s16 - o16 &&
      (!ctx->maxalloc || ctx->nalloc + (s16 - o16) <= ctx->maxalloc)) {
    memset((char *)p + old, 0, s16 - old);
    c->used += s16 - o16;
    ctx->nalloc += s16 - o16;
    return p;
  }
  void *q = ir_alloc(ctx, size);
  if (p && old) memcpy(q, p, old);
  return q;
}

char *ir_strndup(IrCtx *ctx, const char *s, size_t n)
{
  char *d = ir_alloc(ctx, n + 1);
  memcpy(d, s, n);
  return d;
}

char *ir_strdup(IrCtx *ctx, const char *s)
{
  return ir_strndup(ctx, s, strlen(s));
}

IrErrCode ir_ctx_run(IrCtx *ctx, void (*fn)(IrCtx *, void *), void *arg)
{
  jmp_buf jb, *saved = ctx->jmp;
  ctx->jmp = &jb;
  if (setjmp(jb) == 0) {
    fn(ctx, arg);
    ctx->jmp = saved;
    return EM_ERR_OK;
  }
  ctx->jmp = saved;
  return ctx->err;
}

_Noreturn void ir_errorf(IrCtx *ctx, IrErrCode code, int32_t line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
  va_end(ap);
  ctx->err = code;
  ctx->errline = line;
  if (!ctx->jmp) ember_die(ctx->errmsg);  /* an error outside ir_ctx_run is a bug */
  longjmp(*ctx->jmp, 1);
}

_Noreturn void ir_error(IrCtx *ctx, IrErrCode code, int32_t line, const char *what)
{
  ir_errorf(ctx, code, line, ir_errinfo[code].format, what ? what : "?");
}
