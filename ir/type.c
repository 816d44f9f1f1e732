/* ir/type.c: the type table of a compile context.
 *
 * Types are 16-bit indices into ctx->types.  The scalar types have fixed
 * indices (IRT_* in ir.h, in the order of `fixed` below: ORDER IRT); tuples,
 * iterators, arrays, slices and dtypes are interned on first use, so equal
 * types have equal indices and type equality is integer equality.
 */
#include <stdio.h>
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
  [IRT_F16] = {"f16", IRK_FLOAT, 16},     [IRT_ELLIPSIS] = {"ellipsis", IRK_ELLIPSIS, 0},
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

/* Return the interned type like 'proto' (kind, elements and the array
 * fields), adding it if new. */
static IrType intern_info(IrCtx *ctx, const IrTypeInfo *proto)
{
  uint16_t n = proto->nelem;
  for (uint32_t i = IRT__FIXED; i < ctx->ntypes; i++) {
    IrTypeInfo *ti = &ctx->types[i];
    if (ti->kind == proto->kind && ti->nelem == n && ti->ndim == proto->ndim &&
        ti->layout == proto->layout && ti->readonly == proto->readonly &&
        (!n || !memcmp(ti->elem, proto->elem, n * sizeof *proto->elem)) &&
        (ti->text == proto->text || (ti->text && proto->text && !strcmp(ti->text, proto->text))))
      return (IrType)i;
  }
  if (ctx->ntypes >= 65535) ir_error(ctx, EM_ERR_TOOBIG, 0, "the set of types");
  if (ctx->ntypes == ctx->typecap) {
    ctx->types = ir_realloc(ctx, ctx->types, ctx->typecap * sizeof *ctx->types,
                            2 * ctx->typecap * sizeof *ctx->types);
    ctx->typecap *= 2;
  }
  IrType *e = ir_alloc(ctx, (n ? n : 1) * sizeof *e);
  if (n) memcpy(e, proto->elem, n * sizeof *e);
  ctx->types[ctx->ntypes] = *proto;
  ctx->types[ctx->ntypes].elem = e;
  if (proto->text) ctx->types[ctx->ntypes].text = ir_strdup(ctx, proto->text);
  return (IrType)ctx->ntypes++;
}

static IrType intern(IrCtx *ctx, IrKind kind, const IrType *elem, uint16_t n)
{
  IrTypeInfo p = {.kind = kind, .nelem = n, .elem = elem};
  return intern_info(ctx, &p);
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

IrType ir_type_array(IrCtx *ctx, IrType dtype, int ndim, char layout, bool readonly)
{
  if (ndim < 0 || ndim > IR_MAXDIM || !strchr("CFA", layout) || !layout) ember_die("bad array type");
  if ((ndim <= 1 && layout == 'F') || ndim == 0) layout = 'C';   /* one name for 0-d and 1-d contiguous */
  IrTypeInfo p = {.kind = IRK_ARRAY, .nelem = 1, .elem = &dtype, .ndim = (uint8_t)ndim,
                  .layout = layout, .readonly = readonly};
  return intern_info(ctx, &p);
}

IrType ir_type_slice(IrCtx *ctx, IrType start, IrType stop, IrType step)
{
  IrType e[3] = {start, stop, step};
  return intern(ctx, IRK_SLICE, e, 3);
}

IrType ir_type_dtype(IrCtx *ctx, IrType scalar)
{
  return intern(ctx, IRK_DTYPE, &scalar, 1);
}

IrType ir_type_str(IrCtx *ctx, const char *text)
{
  IrTypeInfo p = {.kind = IRK_STR, .text = text ? text : ""};
  return intern_info(ctx, &p);
}

IrType ir_type_list(IrCtx *ctx, IrType item)
{
  return intern(ctx, IRK_LIST, &item, 1);
}

IrType ir_type_dict(IrCtx *ctx, IrType key, IrType value, int view)
{
  IrType e[2] = {key, value};
  IrTypeInfo p = {.kind = IRK_DICT, .nelem = 2, .elem = e, .ndim = (uint8_t)view};
  return intern_info(ctx, &p);
}

uint32_t ir_type_size(IrCtx *ctx, IrType t)
{
  const IrTypeInfo *ti = ir_type_info(ctx, t);
  switch (ti->kind) {
  case IRK_BOOL: return 1;
  case IRK_PYINT: case IRK_INT: case IRK_UINT: case IRK_FLOAT: case IRK_COMPLEX: return ti->bits / 8;
  default: return 0;
  }
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
  if (ti->kind == IRK_STR) {   /* str"text", \" and \\ escaped */
    put(buf, size, pos, "str\"");
    for (const char *c = ti->text; *c; c++) {
      char ch[3] = {*c, 0, 0};
      if (*c == '"' || *c == '\\') ch[0] = '\\', ch[1] = *c;
      put(buf, size, pos, ch);
    }
    put(buf, size, pos, "\"");
    return;
  }
  if (ti->kind == IRK_ARRAY) {
    char tail[32];
    put(buf, size, pos, "array<");
    name(ctx, ti->elem[0], buf, size, pos);
    snprintf(tail, sizeof tail, ", %u, %c%s>", ti->ndim, ti->layout, ti->readonly ? ", ro" : "");
    put(buf, size, pos, tail);
    return;
  }
  if (ti->kind == IRK_SLICE || ti->kind == IRK_DTYPE || ti->kind == IRK_LIST || ti->kind == IRK_DICT) {
    static const char *const dn[4] = {"dict<", "dict_keys<", "dict_values<", "dict_items<"};
    put(buf, size, pos, ti->kind == IRK_SLICE ? "slice<" : ti->kind == IRK_LIST ? "list<" : ti->kind == IRK_DICT ? dn[ti->ndim & 3] : "dtype<");
    for (int i = 0; i < ti->nelem; i++) {
      if (i) put(buf, size, pos, ", ");
      name(ctx, ti->elem[i], buf, size, pos);
    }
    put(buf, size, pos, ">");
    return;
  }
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

/* "array<" type "," N "," ("C"|"F"|"A") ["," "ro"] ">" after the "array<" at '*s'. */
static IrType parse_array(IrCtx *ctx, const char **s)
{
  IrType dt = ir_type_parse(ctx, s);
  if (dt == IRT_VOID || !ir_type_size(ctx, dt)) return IRT_VOID;
  skipws(s);
  if (*(*s)++ != ',') return IRT_VOID;
  skipws(s);
  int nd = 0;
  if (**s < '0' || **s > '9') return IRT_VOID;
  while (**s >= '0' && **s <= '9') nd = nd * 10 + (*(*s)++ - '0');
  skipws(s);
  if (*(*s)++ != ',' || nd > IR_MAXDIM) return IRT_VOID;
  skipws(s);
  char lay = *(*s)++;
  if (lay != 'C' && lay != 'F' && lay != 'A') return IRT_VOID;
  skipws(s);
  bool ro = false;
  if (**s == ',') {
    (*s)++;
    skipws(s);
    if (strncmp(*s, "ro", 2)) return IRT_VOID;
    *s += 2;
    ro = true;
    skipws(s);
  }
  if (*(*s)++ != '>') return IRT_VOID;
  return ir_type_array(ctx, dt, nd, lay, ro);
}

/* "slice<" t "," t "," t ">", "dtype<" t ">" or "list<" t ">" after the "<" at '*s'. */
static IrType parse_angle(IrCtx *ctx, const char **s, IrKind kind)
{
  IrType e[3];
  int n = kind == IRK_SLICE ? 3 : kind == IRK_DICT ? 2 : 1;
  for (int i = 0; i < n; i++) {
    if (i) { skipws(s); if (*(*s)++ != ',') return IRT_VOID; }
    e[i] = ir_type_parse(ctx, s);
    if (e[i] == IRT_VOID) return IRT_VOID;
  }
  skipws(s);
  if (*(*s)++ != '>') return IRT_VOID;
  if (kind == IRK_LIST) return ir_type_list(ctx, e[0]);
  if (kind == IRK_DICT) return ir_type_dict(ctx, e[0], e[1], 0);
  return kind == IRK_SLICE ? ir_type_slice(ctx, e[0], e[1], e[2]) : ir_type_dtype(ctx, e[0]);
}

/* The str literal type of the text at '*s' up to its closing quote (\" and \\ escapes). */
static IrType parse_str(IrCtx *ctx, const char **s)
{
  char *buf = ir_alloc(ctx, strlen(*s) + 1), *d = buf;
  while (**s != '"') {
    if (!**s || **s == '\n') return IRT_VOID;
    if (**s == '\\' && (*s)[1]) (*s)++;
    *d++ = *(*s)++;
  }
  (*s)++;
  return ir_type_str(ctx, buf);
}

/* type = NAME | "(" [type {"," type} [","]] ")" | "iter<" type "," type ">"
 *      | "array<" type "," N "," layout ["," "ro"] ">" | "slice<" type "," type "," type ">"
 *      | "dtype<" type ">" | "list<" type ">" | "dict<" type "," type ">" | 'str"' text '"' */
IrType ir_type_parse(IrCtx *ctx, const char **s)
{
  skipws(s);
  if (!strncmp(*s, "array<", 6)) { *s += 6; return parse_array(ctx, s); }
  if (!strncmp(*s, "slice<", 6)) { *s += 6; return parse_angle(ctx, s, IRK_SLICE); }
  if (!strncmp(*s, "dtype<", 6)) { *s += 6; return parse_angle(ctx, s, IRK_DTYPE); }
  if (!strncmp(*s, "list<", 5)) { *s += 5; return parse_angle(ctx, s, IRK_LIST); }
  if (!strncmp(*s, "dict<", 5)) { *s += 5; return parse_angle(ctx, s, IRK_DICT); }
  if (!strncmp(*s, "str\"", 4)) { *s += 4; return parse_str(ctx, s); }
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
  case IRK_ARRAY: return 2 + 2 * (uint32_t)ti->ndim;   /* meminfo, data, shape[ndim], strides[ndim] */
  case IRK_LIST: return 1;                              /* the EmList (targets/targets.h) */
  case IRK_DICT: return 1;                              /* the EmDict (targets/targets.h), or a view of it */
  case IRK_TUPLE: {
    uint32_t n = 0;
    for (int i = 0; i < ti->nelem; i++) n += ir_type_slots(ctx, ti->elem[i]);
    return n;
  }
  default: return 0;
  }
}
