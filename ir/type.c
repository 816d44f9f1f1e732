/* ir/type.c: the type table of a compile context.
 *
 * Types are 16-bit indices into ctx->types.  The scalar types have fixed
 * indices (IRT_* in ir.h, in the order of `fixed` below: ORDER IRT); tuples
 * and iterators are interned on first use, so equal types have equal
 * indices and type equality is integer equality.
 */
#include <string.h>

#include "ir.h"

static const struct { const char *name; IrKind kind; uint8_t bits; } fixed[IRT__FIXED] = {
  [IRT_VOID] = {"void", IRK_VOID, 0},     [IRT_ANY] = {"any", IRK_ANY, 0},
  [IRT_BOOL] = {"bool", IRK_BOOL, 1},     [IRT_INT] = {"int", IRK_PYINT, 64},
  [IRT_I8] = {"i8", IRK_INT, 8},          [IRT_I16] = {"i16", IRK_INT, 16},
  [IRT_I32] = {"i32", IRK_INT, 32},       [IRT_I64] = {"i64", IRK_INT, 64},
  [IRT_U8] = {"u8", IRK_UINT, 8},         [IRT_U16] = {"u16", IRK_UINT, 16},
  [IRT_U32] = {"u32", IRK_UINT, 32},      [IRT_U64] = {"u64", IRK_UINT, 64},
  [IRT_F32] = {"f32", IRK_FLOAT, 32},     [IRT_F64] = {"f64", IRK_FLOAT, 64},
  [IRT_C64] = {"c64", IRK_COMPLEX, 64},   [IRT_C128] = {"c128", IRK_COMPLEX, 128},
  [IRT_NONE] = {"none", IRK_NONE, 0},     [IRT_RANGE] = {"range", IRK_RANGE, 0},
  [IRT_MODULE] = {"module", IRK_MODULE, 0}, [IRT_FUNC] = {"func", IRK_FUNC, 0},
};

void ir_type_init(IrCtx *ctx)
{
  ctx->typecap = 64;
  ctx->types = ir_alloc(ctx, ctx->typecap * sizeof *ctx->types);
  for (int i = 0; i < IRT__FIXED; i++)
    ctx->types[i] = (IrTypeInfo){fixed[i].kind, fixed[i].bits, 0, NULL};
  ctx->ntypes = IRT__FIXED;
}

const IrTypeInfo *ir_type_info(IrCtx *ctx, IrType t)
{
  if (t >= ctx->ntypes) ember_die("bad type index");
  return &ctx->types[t];
}

/* Return the interned type of 'kind' with elements 'elem', adding it if new. */
static IrType intern(IrCtx *ctx, IrKind kind, const IrType *elem, uint16_t n)
{
  for (uint32_t i = IRT__FIXED; i < ctx->ntypes; i++) {
    IrTypeInfo *ti = &ctx->types[i];
    if (ti->kind == kind && ti->nelem == n && (!n || !memcmp(ti->elem, elem, n * sizeof *elem)))
      return (IrType)i;
  }
  if (ctx->ntypes >= 65535) ir_error(ctx, EM_ERR_TOOBIG, 0, "the set of types");
  if (ctx->ntypes == ctx->typecap) {
    ctx->types = ir_realloc(ctx, ctx->types, ctx->typecap * sizeof *ctx->types,
                            2 * ctx->typecap * sizeof *ctx->types);
    ctx->typecap *= 2;
  }
  IrType *e = ir_alloc(ctx, (n ? n : 1) * sizeof *e);
  if (n) memcpy(e, elem, n * sizeof *e);
  ctx->types[ctx->ntypes] = (IrTypeInfo){kind, 0, n, e};
  return (IrType)ctx->ntypes++;
}

IrType ir_type_tuple(IrCtx *ctx, const IrType *elem, uint16_t n)
{
  return intern(ctx, IRK_TUPLE, elem, n);
}

IrType ir_type_iter(IrCtx *ctx, IrType item, IrType iterable)
{
  IrType e[2] = {item, iterable};
  return intern(ctx, IRK_ITER, e, 2);
}

/* Append 's' to buf at '*pos' without overflowing 'size'. */
static void put(char *buf, size_t size, size_t *pos, const char *s)
{
  size_t n = strlen(s);
  if (*pos + 1 < size) {
    size_t k = size - 1 - *pos < n ? size - 1 - *pos : n;
    memcpy(buf + *pos, s, k);
    buf[*pos + k] = 0;
  }
  *pos += n;
}

static void name(IrCtx *ctx, IrType t, char *buf, size_t size, size_t *pos)
{
  if (t < IRT__FIXED) { put(buf, size, pos, fixed[t].name); return; }
  const IrTypeInfo *ti = ir_type_info(ctx, t);
  put(buf, size, pos, ti->kind == IRK_ITER ? "iter<" : "(");
  for (int i = 0; i < ti->nelem; i++) {
    if (i) put(buf, size, pos, ", ");
    name(ctx, ti->elem[i], buf, size, pos);
  }
  if (ti->kind == IRK_TUPLE && ti->nelem == 1) put(buf, size, pos, ",");
  put(buf, size, pos, ti->kind == IRK_ITER ? ">" : ")");
}

const char *ir_type_name(IrCtx *ctx, IrType t, char *buf, size_t size)
{
  size_t pos = 0;
  if (size) buf[0] = 0;
  name(ctx, t, buf, size, &pos);
  return buf;
}

static void skipws(const char **s)
{
  while (**s == ' ' || **s == '\t') (*s)++;
}

/* type = NAME | "(" [type {"," type} [","]] ")" | "iter<" type "," type ">" */
IrType ir_type_parse(IrCtx *ctx, const char **s)
{
  skipws(s);
  bool iter = !strncmp(*s, "iter<", 5);
  if (**s == '(' || iter) {
    *s += iter ? 5 : 1;
    IrType elem[256];
    uint16_t n = 0;
    char close = iter ? '>' : ')';
    skipws(s);
    while (**s != close) {
      if (n == 256) return IRT_VOID;
      IrType e = ir_type_parse(ctx, s);
      if (e == IRT_VOID) return IRT_VOID;
      elem[n++] = e;
      skipws(s);
      if (**s == ',') { (*s)++; skipws(s); }
      else if (**s != close) return IRT_VOID;
    }
    (*s)++;
    if (iter) return n == 2 ? ir_type_iter(ctx, elem[0], elem[1]) : IRT_VOID;
    return ir_type_tuple(ctx, elem, n);
  }
  for (int i = IRT__FIXED - 1; i >= 0; i--) {  /* longest names last-declared first: "i16" before "i1"? none clash */
    size_t n = strlen(fixed[i].name);
    if (!strncmp(*s, fixed[i].name, n) && !((*s)[n] >= 'a' && (*s)[n] <= 'z') &&
        !((*s)[n] >= '0' && (*s)[n] <= '9')) {
      *s += n;
      return i == IRT_VOID ? IRT_VOID : (IrType)i;
    }
  }
  return IRT_VOID;
}

bool ir_type_is_num(IrCtx *ctx, IrType t)
{
  IrKind k = ir_type_info(ctx, t)->kind;
  return k == IRK_BOOL || k == IRK_PYINT || k == IRK_INT || k == IRK_UINT ||
         k == IRK_FLOAT || k == IRK_COMPLEX;
}

uint32_t ir_type_slots(IrCtx *ctx, IrType t)
{
  const IrTypeInfo *ti = ir_type_info(ctx, t);
  switch (ti->kind) {
  case IRK_BOOL: case IRK_PYINT: case IRK_INT: case IRK_UINT: case IRK_FLOAT: return 1;
  case IRK_COMPLEX: return 2;
  case IRK_TUPLE: {
    uint32_t n = 0;
    for (int i = 0; i < ti->nelem; i++) n += ir_type_slots(ctx, ti->elem[i]);
    return n;
  }
  default: return 0;
  }
}
