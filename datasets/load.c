/* load.c — data file to rs_table: conversion, codebook checks, inference.
 *
 * Callbacks from the reader core fill the columns directly, so a large
 * numeric file costs one double and one reason byte per cell.  Without a
 * codebook a column starts untyped and settles on number, date or text from
 * its values; if it turns to text after numbers were already stored, the
 * file is read a second time with that column fixed as text (the original
 * spelling of those numbers — "007", "3,50" — must not be lost).
 */
#include "datasets/load.h"
#include "datasets/limits.h"
#include "datasets/readstat_input.h"
#include "datasets/value.h"

#include <math.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#define MAX_TRACKED_LEVELS 1000
#define MAX_INFERRED_CATEGORY_LEVELS 50

typedef enum { INF_UNKNOWN, INF_NUM, INF_DATE, INF_TEXT } inf_state;

typedef struct {
  int idx;                  /* column in the table, -1 for unnamed trailing columns */
  const rs_cb_var *var;
  bool infer;
  inf_state inf;
  size_t n_present;
  bool all_integral;
  bool needs_reparse;
  GHashTable *levels;       /* distinct texts of an inferred text column (up to a limit) */
  bool many_levels;
  bool warned_padding;
  uint64_t declared_small;  /* bit k: k is a declared code of the category (k < 64), as rs_codebook_value_label says */
} colstate;

typedef struct {
  const char *path;
  const rs_load_options *o;
  rs_table *t;
  GPtrArray *header;        /* raw header names */
  colstate *cs;
  size_t nhdr;              /* fields in the header */
  size_t nnamed;            /* header fields up to the last named one */
  char decimal;
  bool klass;               /* SSB Klass export: short rows are padded */
  size_t row;               /* table row being filled */
  size_t extra_reported_row;
  GError *error;            /* first error, when stopping at the first */
  GHashTable *force_text;   /* column names fixed as text (second pass) */
  bool reparse;
  bool progress;
  double est_rows;
  GStringChunk *strings;    /* where text cells go (one per thread) */
  size_t row_limit;         /* stop after this many rows (0: none), to continue in parallel */
  bool parallel;            /* one of several threads: no type changes, no growth */
  bool abort;               /* a parallel thread met something only the single path handles */
  double budget;            /* --max-memory in bytes (limits.h) */
  size_t text_bytes;        /* text cells stored by this loader (thread) */
  size_t text_scale;        /* threads sharing the text: this one's bytes × text_scale estimates all */
} loader;

#define STOP_AT_LIMIT 2

void rs_load_options_init(rs_load_options *o) {
  memset(o, 0, sizeof *o);
  rs_read_options_init(&o->read);
}

/* Report a problem: collect it, or stop the load at the first error. */
static int problem(loader *L, rs_severity sev, rs_error_code code, long line, const char *column,
                   const char *value, size_t vlen, const char *fmt, ...) G_GNUC_PRINTF(8, 9);
static int problem(loader *L, rs_severity sev, rs_error_code code, long line, const char *column,
                   const char *value, size_t vlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  char *qv = value ? rs_error_quote_value(value, vlen, 60) : NULL;
  int stop = 0;
  if (L->o->diag) {
    rs_diag_add(L->o->diag, sev, code, L->path, line, column, qv, "%s", msg);
  } else if (sev == RS_SEVERITY_ERROR && !L->error) {
    rs_problem p = {.severity = sev, .code = code, .file = (char *)L->path, .line = line,
                    .column = (char *)column, .value = qv, .message = msg};
    rs_problem_to_error(&p, &L->error);
    stop = 1;
  }
  g_free(msg);
  g_free(qv);
  return stop;
}

/* ---- the memory budget (limits.h) ------------------------------------ */

/* Bytes one row takes in the table: the value (double or pointer), the
 * missing byte and the row's line number. */
static double row_bytes(const rs_table *t) {
  double b = sizeof(int32_t);
  for (size_t j = 0; j < t->ncols; j++) b += (t->cols[j].storage == RS_STORE_NUM ? sizeof(double) : sizeof(char *)) + 1;
  return b;
}

/* Would `rows` rows (with the text stored so far) exceed --max-memory?
 * Then the load stops with an RS_ERROR_LIMIT error, also in `validate`:
 * a limit is not a problem of one cell to list and carry on. */
static int over_budget(loader *L, double rows, long line) {
  double need = rows * row_bytes(L->t) + (double)L->text_bytes * (double)MAX(L->text_scale, 1);
  if (need <= L->budget) return 0;
  if (!L->error) {
    char *what = g_strdup_printf("%s: about %.0f rows × %zu column%s (at line %ld)", L->path, rows, L->t->ncols,
                                 L->t->ncols == 1 ? "" : "s", line);
    rs_limits_check_memory(need, what, &L->error);
    g_free(what);
    if (!L->o->only && L->error) {
      char *m = L->error->message;
      L->error->message = g_strdup_printf("%s.  Naming only the columns needed (such as describe --vars A,B) reads less", m);
      g_free(m);
    }
  }
  return 1;
}

/* Bytes of a value shown in a message: at most 40, never cutting a UTF-8
 * character in two (a message must stay valid UTF-8). */
static int shown_len(const char *s, size_t len) {
  size_t n = MIN(len, 40);
  while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return (int)n;
}

static const char *colname(loader *L, size_t j) {
  return j < L->header->len ? (const char *)g_ptr_array_index(L->header, j) : "?";
}

/* ---- header ---------------------------------------------------------- */

static int setup_columns(loader *L, long line) {
  L->nhdr = L->header->len;
  L->nnamed = L->nhdr;
  while (L->nnamed > 0 && *(const char *)g_ptr_array_index(L->header, L->nnamed - 1) == '\0') L->nnamed--;
  L->cs = g_new0(colstate, L->nhdr);
  const char *h0 = L->nhdr >= 4 ? g_ptr_array_index(L->header, 0) : "";
  L->klass = L->nhdr >= 4 && strcmp(h0, "code") == 0 && strcmp(g_ptr_array_index(L->header, 1), "parentCode") == 0 &&
             strcmp(g_ptr_array_index(L->header, 3), "name") == 0;
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
  int stop = 0;
  if (L->nnamed == 0)
    stop = problem(L, RS_SEVERITY_ERROR, RS_ERROR_PARSE, line, NULL, NULL, 0,
                   "the header row names no columns");
  for (size_t j = 0; j < L->nhdr && !stop; j++) {
    colstate *c = &L->cs[j];
    c->idx = -1;
    if (j >= L->nnamed) continue;  /* trailing unnamed columns (Excel's ";;;"): must stay empty */
    char *name = g_ptr_array_index(L->header, j);
    if (*name == '\0') {
      char *fallback = g_strdup_printf("column_%zu", j + 1);
      stop = problem(L, RS_SEVERITY_ERROR, RS_ERROR_PARSE, line, fallback, NULL, 0,
                     "column %zu has no name in the header row", j + 1);
      g_ptr_array_index(L->header, j) = fallback;
      g_free(name);
      name = fallback;
      if (stop) break;
    }
    if (g_hash_table_contains(seen, name)) {
      int first = GPOINTER_TO_INT(g_hash_table_lookup(seen, name));
      stop = problem(L, RS_SEVERITY_ERROR, RS_ERROR_PARSE, line, name, NULL, 0,
                     "the column name '%s' appears twice in the header (columns %d and %zu)", name, first, j + 1);
      if (stop) break;
      char *renamed = g_strdup_printf("%s_%zu", name, j + 1);
      g_ptr_array_index(L->header, j) = renamed;
      g_free(name);
      name = renamed;
    }
    g_hash_table_insert(seen, name, GINT_TO_POINTER((int)j + 1));
    if (L->o->only && !g_strv_contains(L->o->only, name)) continue;  /* not asked for: skipped unparsed */
    c->var = rs_codebook_get(L->o->codebook, name);
    rs_type type;
    if (c->var) {
      type = c->var->type;
    } else if (L->force_text && g_hash_table_contains(L->force_text, name)) {
      type = RS_TYPE_STRING;
      c->infer = true;
      c->inf = INF_TEXT;
    } else {
      type = RS_TYPE_NUMERIC;
      c->infer = true;
      c->inf = INF_UNKNOWN;
      c->all_integral = true;
      if (L->o->codebook)
        problem(L, RS_SEVERITY_WARNING, RS_ERROR_CODEBOOK, 0, name, NULL, 0,
                "the column is not in the codebook %s; its type is inferred from the data", L->o->codebook->path);
    }
    if (c->infer && c->inf == INF_TEXT) c->levels = g_hash_table_new(g_str_hash, g_str_equal);
    rs_storage storage = rs_type_storage(type);
    if (c->var && type == RS_TYPE_CATEGORY) {
      /* a category whose declared codes are not all numbers ("ja=Ja|nei=Nei")
       * is text, as table.h says */
      for (size_t k = 0; k < c->var->n_values; k++)
        if (isnan(c->var->values[k].value)) storage = RS_STORE_STR;
    }
    if (c->var && type == RS_TYPE_CATEGORY)
      for (unsigned k = 0; k < 64; k++)
        if (rs_codebook_value_label(c->var, (double)k, NULL)) c->declared_small |= UINT64_C(1) << k;
    rs_column *col = rs_table_add_column(L->t, name, type, storage);
    col->var = c->var;
    col->inferred = c->infer;
    c->idx = (int)(L->t->ncols - 1);
  }
  if (!stop && L->o->codebook) {
    for (guint k = 0; k < L->o->codebook->vars->len; k++) {
      const rs_cb_var *v = g_ptr_array_index(L->o->codebook->vars, k);
      if (!g_hash_table_contains(seen, v->name)) {
        char *msg = g_strdup_printf("the codebook %s (line %ld) names column '%s', which is not in the data file",
                                    L->o->codebook->path, v->line, v->name);
        stop = problem(L, RS_SEVERITY_ERROR, RS_ERROR_CODEBOOK, 0, v->name, NULL, 0, "%s", msg);
        g_free(msg);
        if (stop) break;
      }
    }
  }
  if (!stop && L->o->require) {
    for (const char *const *r = L->o->require; *r; r++)
      if (!g_hash_table_contains(seen, *r)) {
        stop = problem(L, RS_SEVERITY_ERROR, RS_ERROR_PARSE, line, *r, NULL, 0,
                       "the required column '%s' is not in the header", *r);
        if (stop) break;
      }
  }
  g_hash_table_destroy(seen);
  /* the file's size and its first rows say how many rows to expect: a
   * table that cannot fit stops here, before any memory is taken */
  if (!stop && over_budget(L, L->est_rows, line)) return 1;
  rs_table_reserve(L->t, (size_t)L->est_rows);
  return stop;
}

/* ---- cells ------------------------------------------------------------ */

/* The commonest cells, plain digits with at most one decimal mark and at
 * most 15 digits ("3", "12,5", "0.8734"), without the general parser's
 * signs, groups and exponents.  Same arithmetic as its exact fast path
 * (value.c), so both give the same double; false sends the cell there. */
static inline bool quick_number(const char *s, size_t len, char dec, double *out) {
  static const double p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (len == 0 || len > 16) return false;
  uint64_t m = 0;
  int frac = -1, digits = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned d = (unsigned)(unsigned char)s[i] - '0';
    if (d < 10) {
      m = m * 10 + d;
      digits++;
      if (frac >= 0) frac++;
    } else if (s[i] == dec && frac < 0) {
      frac = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 15 || frac == 0) return false;
  *out = frac > 0 ? (double)m / p10[frac] : (double)m;
  return true;
}

/* x is a whole number (without a libm call per cell: floor() is a function
 * call on baseline x86-64). */
static inline bool is_whole(double x) {
  if (fabs(x) < 9007199254740992.0) return x == (double)(int64_t)x;
  return isfinite(x);  /* every double this large is an integer */
}

static void flip_to_text(loader *L, colstate *c) {
  rs_column *col = &L->t->cols[c->idx];
  if (L->parallel) {  /* storage is shared between threads: leave it to the single path */
    L->abort = true;
    return;
  }
  if (c->n_present > 0) {
    /* earlier numbers' spelling is gone: read again with this column as text */
    c->needs_reparse = true;
    L->reparse = true;
    c->inf = INF_TEXT;
    return;
  }
  g_free(col->num);
  col->num = NULL;
  col->str = g_new0(char *, L->t->cap);
  col->storage = RS_STORE_STR;
  col->type = RS_TYPE_STRING;
  c->inf = INF_TEXT;
  c->levels = g_hash_table_new(g_str_hash, g_str_equal);
}

/* A category value that is not among the codebook's declared codes. */
static int undeclared_code(loader *L, const rs_cb_var *v, const rs_column *col, const char *s, size_t len, long line) {
  GString *codes = g_string_new(NULL);
  for (size_t k = 0; k < v->n_values && k < 12; k++)
    g_string_append_printf(codes, "%s%s", k ? ", " : "", v->values[k].code);
  int st = problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                   "'%.*s' is not one of the codes declared for '%s' (%s)", shown_len(s, len), s, col->name,
                   codes->str);
  g_string_free(codes, TRUE);
  return st;
}

/* x (a whole number) is a declared code of category v: the common small
 * codes from a bit table made once per column, not a scan of the codes
 * per cell. */
static inline bool is_declared(const colstate *c, const rs_cb_var *v, double x) {
  if (x >= 0 && x < 64) return (c->declared_small >> (unsigned)x) & 1;
  return rs_codebook_value_label(v, x, NULL) != NULL;
}

static int put_text(loader *L, colstate *c, rs_column *col, const char *s, size_t len, long line) {
  size_t i = L->row;
  const rs_cb_var *v = c->var;
  if (v && rs_cb_var_is_missing_code(v, s, len, false, 0)) {
    col->miss[i] = RS_MISS_CODE;
    col->str[i] = NULL;
    return 0;
  }
  if (v && v->type == RS_TYPE_CATEGORY && v->n_values > 0) {
    char *code = g_strndup(s, len);
    bool declared = rs_codebook_value_label(v, NAN, code) != NULL;
    g_free(code);
    if (!declared) {
      col->miss[i] = RS_MISS_EMPTY;
      col->str[i] = NULL;
      return undeclared_code(L, v, col, s, len, line);
    }
  }
  char buf[8];
  if (col->type == RS_TYPE_KOMMUNE || col->type == RS_TYPE_FYLKE) {
    size_t want = col->type == RS_TYPE_KOMMUNE ? 4 : 2;
    bool digits = len > 0 && len <= want;
    for (size_t k = 0; k < len && digits; k++) digits = s[k] >= '0' && s[k] <= '9';
    if (!digits) {
      col->miss[i] = RS_MISS_EMPTY;
      return problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                     "'%.*s' is not a %s number (%zu digits, e.g. %s)", shown_len(s, len), s,
                     col->type == RS_TYPE_KOMMUNE ? "kommune" : "fylke", want,
                     col->type == RS_TYPE_KOMMUNE ? "0301" : "03");
    }
    if (len < want) {
      /* Excel drops leading zeros: "301" is kommune 0301 */
      memset(buf, '0', want - len);
      memcpy(buf + want - len, s, len);
      buf[want] = '\0';
      s = buf;
      len = want;
      if (!c->warned_padding) {
        c->warned_padding = true;
        problem(L, RS_SEVERITY_WARNING, RS_ERROR_VALUE, line, col->name, NULL, 0,
                "codes without their leading zero were padded (e.g. '%s'); Excel drops leading zeros", buf);
      }
    }
  }
  bool track = c->levels && !c->many_levels;
  if (track || col->type == RS_TYPE_KOMMUNE || col->type == RS_TYPE_FYLKE) {
    /* few distinct values: one copy each, and equal cells share an address
     * (analysis keys levels and clusters on it, ptrmap.h) */
    char small[64], *tmp = len < sizeof small ? small : g_malloc(len + 1);
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *kept = g_string_chunk_insert_const(L->strings, tmp);
    if (tmp != small) g_free(tmp);
    col->str[i] = kept;
    if (track) {
      g_hash_table_add(c->levels, kept);
      if (g_hash_table_size(c->levels) > MAX_TRACKED_LEVELS) c->many_levels = true;
    }
  } else {
    col->str[i] = g_string_chunk_insert_len(L->strings, s, (gssize)len);
    L->text_bytes += len + 1;
  }
  col->miss[i] = RS_MISS_NONE;
  c->n_present++;
  return 0;
}

static void scale_text(const rs_cb_var *v, char *buf, size_t n) {
  if (v->has_min && v->has_max) g_snprintf(buf, n, "%g–%g", v->min, v->max);
  else if (v->has_min) g_snprintf(buf, n, "at least %g", v->min);
  else g_snprintf(buf, n, "at most %g", v->max);
}

/* Not inlined into on_field: its many registers would be saved and
 * restored for every field, also the fields of columns not loaded. */
static G_GNUC_NO_INLINE int put_cell(loader *L, size_t j, const char *s, size_t len, long line) {
  colstate *c = &L->cs[j];
  rs_column *col = &L->t->cols[c->idx];
  size_t i = L->row;
  while (len && (*s == ' ' || *s == '\t')) { s++; len--; }
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n')) len--;
  if (len == 0) {
    col->miss[i] = RS_MISS_EMPTY;
    if (col->str) col->str[i] = NULL;
    return 0;
  }
  if (col->storage == RS_STORE_STR) return put_text(L, c, col, s, len, line);

  const rs_cb_var *v = c->var;
  uint8_t flags = 0;
  if (len <= 3 && (s[0] == '.' || s[0] == ':' || s[0] == '-')) {
    int sym = rs_value_ssb_symbol(s, len, &flags);
    if (sym > 0) { col->miss[i] = (uint8_t)sym; col->num[i] = 0; return 0; }
    if (sym == 0) {
      if (c->infer && c->inf == INF_DATE) { flip_to_text(L, c); goto as_text; }
      col->num[i] = 0;
      col->miss[i] = flags;
      c->n_present++;
      if (c->infer && c->inf == INF_UNKNOWN) {
        if (L->parallel) { L->abort = true; return 1; }
        c->inf = INF_NUM;
      }
      return 0;
    }
  }
  bool is_date = col->type == RS_TYPE_DATE || (c->infer && c->inf == INF_DATE);
  if (c->infer && c->inf == INF_UNKNOWN) {
    int32_t d;
    if (L->parallel) { L->abort = true; return 1; }
    if (rs_value_has_leading_zero(s, len)) { flip_to_text(L, c); goto as_text; }
    double x;
    size_t l2 = rs_value_strip_provisional(s, len, &(uint8_t){0});
    if (rs_value_parse_number(s, l2, L->decimal, &x)) c->inf = INF_NUM;
    else if (rs_value_parse_date(s, len, &d)) { c->inf = INF_DATE; col->type = RS_TYPE_DATE; is_date = true; }
    else { flip_to_text(L, c); goto as_text; }
  }
  if (is_date) {
    int32_t d;
    if (v && rs_cb_var_is_missing_code(v, s, len, false, 0)) { col->miss[i] = RS_MISS_CODE; return 0; }
    if (!rs_value_parse_date(s, len, &d)) {
      if (c->infer) { flip_to_text(L, c); goto as_text; }
      col->miss[i] = RS_MISS_EMPTY;
      return problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                     "'%.*s' is not a date; write 2022-08-01 or 01.08.2022", shown_len(s, len), s);
    }
    col->num[i] = d;
    col->miss[i] = RS_MISS_NONE;
    c->n_present++;
    return 0;
  }
  size_t l2 = s[len - 1] == '*' ? rs_value_strip_provisional(s, len, &flags) : len;
  double x;
  bool isnum = quick_number(s, l2, L->decimal, &x) || rs_value_parse_number(s, l2, L->decimal, &x);
  if (isnum && c->infer && s[0] == '0' && len > 1 && rs_value_has_leading_zero(s, len)) {
    flip_to_text(L, c);
    goto as_text;
  }
  if (!isnum) {
    if (v && rs_cb_var_is_missing_code(v, s, len, false, 0)) { col->miss[i] = RS_MISS_CODE; col->num[i] = NAN; return 0; }
    if (c->infer) { flip_to_text(L, c); goto as_text; }
    col->miss[i] = RS_MISS_EMPTY;
    if (rs_value_looks_like_other_decimal(s, l2, L->decimal))
      return problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                     "'%.*s' uses a decimal %s, but this file uses a decimal %s (give --decimal to override)",
                     shown_len(s, len), s, L->decimal == ',' ? "point" : "comma", L->decimal == ',' ? "comma" : "point");
    return problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                   "'%.*s' is not a number, but the codebook declares '%s' as %s", shown_len(s, len), s, col->name,
                   rs_type_name(col->type));
  }
  if (v) {
    if (rs_cb_var_is_missing_code(v, s, l2, true, x)) { col->miss[i] = RS_MISS_CODE; col->num[i] = x; return 0; }
    char scale[64];
    bool integral = is_whole(x);
    if ((v->type == RS_TYPE_INTEGER || v->type == RS_TYPE_LIKERT || v->type == RS_TYPE_CATEGORY) && !integral) {
      col->miss[i] = RS_MISS_EMPTY;
      return problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                     "'%.*s' is not a whole number, but '%s' is declared %s", shown_len(s, len), s, col->name,
                     rs_type_name(v->type));
    }
    if ((v->has_min && x < v->min) || (v->has_max && x > v->max)) {
      col->miss[i] = RS_MISS_EMPTY;
      scale_text(v, scale, sizeof scale);
      return problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                     "'%.*s' is outside the %s %s declared in the codebook", shown_len(s, len), s,
                     v->type == RS_TYPE_LIKERT ? "scale" : "range", scale);
    }
    if (v->type == RS_TYPE_CATEGORY && v->n_values > 0 && !is_declared(c, v, x)) {
      col->miss[i] = RS_MISS_EMPTY;
      return undeclared_code(L, v, col, s, len, line);
    }
    if (v->type == RS_TYPE_WEIGHT && !(x > 0)) {
      col->miss[i] = RS_MISS_EMPTY;
      return problem(L, RS_SEVERITY_ERROR, RS_ERROR_VALUE, line, col->name, s, len,
                     "the survey weight '%.*s' is not positive", shown_len(s, len), s);
    }
  } else if (c->infer && c->all_integral && !is_whole(x)) {
    c->all_integral = false;
  }
  col->num[i] = x;
  col->miss[i] = flags;
  c->n_present++;
  return 0;

as_text:
  if (L->abort) return 1;
  if (c->needs_reparse) return 0;  /* this pass is discarded */
  return put_text(L, c, &L->t->cols[c->idx], s, len, line);
}

/* ---- reader callbacks --------------------------------------------------- */

static int on_field(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  loader *L = ctx;
  if (row == 0) {
    char *name = g_strstrip(g_strndup(text, len));
    g_ptr_array_add(L->header, name);
    return 0;
  }
  if (col == 0 && L->row >= L->t->cap) {
    if (L->parallel) { L->abort = true; return 1; }
    /* the growth rs_table_reserve makes */
    double next = L->t->cap ? (double)L->t->cap + (double)L->t->cap / 2 + 1024 : 1024;
    if (over_budget(L, next, line)) return 1;
    rs_table_reserve(L->t, L->row + 1);
  }
  if (col < L->nnamed) return L->cs[col].idx >= 0 ? put_cell(L, col, text, len, line) : 0;
  /* beyond the last named column: only empty cells are allowed */
  size_t k = 0;
  while (k < len && (text[k] == ' ' || text[k] == '\t')) k++;
  if (k == len) return 0;
  if (L->extra_reported_row == L->row + 1) return 0;
  L->extra_reported_row = L->row + 1;
  if (col < L->nhdr)
    return problem(L, RS_SEVERITY_ERROR, RS_ERROR_PARSE, line, NULL, text, len,
                   "column %zu has a value ('%.*s') but no name in the header row", col + 1, shown_len(text, len), text);
  return problem(L, RS_SEVERITY_ERROR, RS_ERROR_PARSE, line, NULL, text, len,
                 "this row has more fields than the %zu in the header row (field %zu is '%.*s'); "
                 "is a delimiter inside an unquoted field?",
                 L->nhdr, col + 1, shown_len(text, len), text);
}

static int on_row_end(void *ctx, size_t row, size_t nfields, long line) {
  loader *L = ctx;
  if (row == 0) return setup_columns(L, line);
  int stop = 0;
  if (nfields < L->nnamed && !L->klass) {
    stop = problem(L, RS_SEVERITY_ERROR, RS_ERROR_PARSE, line, colname(L, nfields), NULL, 0,
                   "this row has %zu field%s, but the header row has %zu; the values from column '%s' on are missing",
                   nfields, nfields == 1 ? "" : "s", L->nnamed, colname(L, nfields));
  }
  /* short rows (and Klass exports) leave the rest empty, as allocated */
  for (size_t j = nfields; j < L->nnamed; j++)
    if (L->cs[j].idx >= 0) L->t->cols[L->cs[j].idx].miss[L->row] = RS_MISS_EMPTY;
  L->t->row_line[L->row] = (int32_t)MIN(line, (long)INT32_MAX);
  L->row++;
  L->t->nrows = L->row;
  if (L->progress && (L->row & 0xFFFFF) == 0) fprintf(stderr, "\rreformstat: %zu rows read…", L->row);
  if ((L->row & 0xFFFF) == 0 && over_budget(L, (double)L->t->cap, line)) return 1;  /* text grows without rows */
  if (!stop && L->row_limit && L->row >= L->row_limit) return STOP_AT_LIMIT;
  return stop;
}

/* ---- after the pass ---------------------------------------------------- */

static bool name_has(const char *name, const char *word) {
  char *low = g_ascii_strdown(name, -1);
  bool has = strstr(low, word) != NULL;
  g_free(low);
  return has;
}

static void finish_inference(loader *L) {
  rs_table *t = L->t;
  for (size_t j = 0; j < L->nnamed; j++) {
    colstate *c = &L->cs[j];
    if (!c->infer || c->idx < 0) continue;
    rs_column *col = &t->cols[c->idx];
    switch (c->inf) {
      case INF_UNKNOWN: col->type = RS_TYPE_NUMERIC; break;
      case INF_NUM: col->type = c->all_integral ? RS_TYPE_INTEGER : RS_TYPE_NUMERIC; break;
      case INF_DATE: col->type = RS_TYPE_DATE; break;
      case INF_TEXT: {
        size_t levels = c->levels ? g_hash_table_size(c->levels) : 0;
        bool all_codes4 = true, all_codes2 = true;
        for (size_t i = 0; i < t->nrows && (all_codes4 || all_codes2); i++) {
          const char *s = col->str[i];
          if (!s) continue;
          size_t n = strlen(s);
          bool dig = n > 0;
          for (size_t k = 0; k < n && dig; k++) dig = s[k] >= '0' && s[k] <= '9';
          all_codes4 = all_codes4 && dig && n == 4;
          all_codes2 = all_codes2 && dig && n == 2;
        }
        if (c->n_present > 0 && all_codes4 && name_has(col->name, "kommune")) col->type = RS_TYPE_KOMMUNE;
        else if (c->n_present > 0 && all_codes2 && name_has(col->name, "fylke")) col->type = RS_TYPE_FYLKE;
        else if (!c->many_levels && levels <= MAX_INFERRED_CATEGORY_LEVELS && levels * 2 <= c->n_present)
          col->type = RS_TYPE_CATEGORY;
        else if (!c->many_levels && levels == c->n_present && c->n_present > 1 && name_has(col->name, "id"))
          col->type = RS_TYPE_ID;
        else if (c->many_levels && name_has(col->name, "id"))
          col->type = RS_TYPE_ID;
        else
          col->type = RS_TYPE_STRING;
        break;
      }
    }
  }
}

static void loader_clear(loader *L) {
  if (L->cs)
    for (size_t j = 0; j < L->nhdr; j++)
      if (L->cs[j].levels) g_hash_table_destroy(L->cs[j].levels);
  g_free(L->cs);
  L->cs = NULL;
  if (L->header) g_ptr_array_free(L->header, TRUE);
  L->header = NULL;
}

static void shrink(rs_table *t) {
  size_t n = t->nrows ? t->nrows : 1;
  if (t->cap <= n) return;
  for (size_t j = 0; j < t->ncols; j++) {
    rs_column *c = &t->cols[j];
    if (c->num) c->num = g_renew(double, c->num, n);
    if (c->str) c->str = g_renew(char *, c->str, n);
    c->miss = g_renew(uint8_t, c->miss, n);
  }
  t->row_line = g_renew(int32_t, t->row_line, n);
  t->cap = n;
}

/* ---- the rest of a large file in parallel -------------------------------- */

typedef struct {
  loader L;
  rs_reader *r;
  const rs_reader_range *rg;
  size_t first_row;
  GError *error;
  int rc;
} range_job;

static gpointer range_worker(gpointer data) {
  range_job *j = data;
  rs_reader_callbacks cb = {.field = on_field, .row_end = on_row_end};
  /* reader rows count from 1 for data (0 is the header) */
  j->rc = rs_reader_run_range(j->r, j->rg, j->first_row + 1, &cb, &j->L, &j->error);
  return NULL;
}

/* After the first rows were read by the single path (which settled the
 * column types), read the rest in `nthreads` ranges at once, each thread
 * writing its own rows of the preallocated columns.  Returns 1 when done,
 * 0 when the file needs the single path after all (a type changed, the
 * row count disagreed), -1 on an error in the data (err set: the first in
 * file order). */
static int continue_parallel(loader *L, rs_reader *r, guint nthreads, GError **err) {
  long long off;
  long line;
  rs_reader_stop_position(r, &off, &line);
  rs_reader_range rg[RS_READER_MAX_RANGES];
  size_t np = rs_reader_plan_ranges(r, off, line, rg, nthreads, err);
  if (np == 0) return -1;
  size_t total = L->row;
  for (size_t k = 0; k < np; k++) total += rg[k].rows;
  if (over_budget(L, (double)total, line)) {
    g_propagate_error(err, L->error);
    L->error = NULL;
    return -1;
  }
  rs_table_reserve(L->t, total);
  range_job *jobs = g_new0(range_job, np);
  GThread **th = g_new0(GThread *, np);
  size_t first = L->row;
  for (size_t k = 0; k < np; k++) {
    range_job *j = &jobs[k];
    j->L = *L;
    j->L.parallel = true;
    j->L.row_limit = 0;
    j->L.progress = false;
    j->L.row = first;
    j->L.strings = g_string_chunk_new(1 << 16);
    j->L.text_bytes = 0;
    j->L.text_scale = np;
    j->L.cs = g_memdup2(L->cs, L->nhdr * sizeof(colstate));
    for (size_t c = 0; c < L->nhdr; c++) {
      j->L.cs[c].n_present = 0;
      if (L->cs[c].levels) j->L.cs[c].levels = g_hash_table_new(g_str_hash, g_str_equal);
    }
    j->r = r;
    j->rg = &rg[k];
    j->first_row = first;
    first += rg[k].rows;
    th[k] = k == 0 ? NULL : g_thread_new("load", range_worker, j);
  }
  range_worker(&jobs[0]);
  for (size_t k = 1; k < np; k++) g_thread_join(th[k]);
  int result = 1;
  for (size_t k = 0; k < np && result == 1; k++) {
    range_job *j = &jobs[k];
    if (j->L.abort) result = 0;
    else if (j->L.error || j->error) {
      g_propagate_error(err, j->L.error ? j->L.error : j->error);
      if (j->L.error) j->L.error = NULL; else j->error = NULL;
      result = -1;
    } else if (j->rc != 0 || j->L.row != j->first_row + rg[k].rows) {
      result = 0;
    }
  }
  for (size_t k = 0; k < np; k++) {
    range_job *j = &jobs[k];
    if (result == 1) {
      for (size_t c = 0; c < L->nhdr; c++) {
        colstate *to = &L->cs[c], *from = &j->L.cs[c];
        to->n_present += from->n_present;
        to->all_integral = to->all_integral && from->all_integral;
        to->many_levels = to->many_levels || from->many_levels;
        if (to->levels && from->levels) {
          GHashTableIter it;
          gpointer key;
          g_hash_table_iter_init(&it, from->levels);
          while (g_hash_table_iter_next(&it, &key, NULL)) g_hash_table_add(to->levels, key);
          if (g_hash_table_size(to->levels) > MAX_TRACKED_LEVELS) to->many_levels = true;
        }
      }
    }
    for (size_t c = 0; c < L->nhdr; c++)
      if (j->L.cs[c].levels) g_hash_table_destroy(j->L.cs[c].levels);
    g_free(j->L.cs);
    /* the thread's strings stay with the table (its cells point into them) */
    g_ptr_array_add(L->t->extra_strings, j->L.strings);
    g_clear_error(&j->L.error);
    g_clear_error(&j->error);
  }
  if (result == 1) {
    L->row = total;
    L->t->nrows = total;
  }
  g_free(jobs);
  g_free(th);
  return result;
}

rs_table *rs_load_table(const char *path, const rs_load_options *o, rs_sniff *sniffed, GError **err) {
  int fmt = rs_input_format_choose(o->input_format, path, err);
  if (fmt < 0) return NULL;
  if (fmt != RS_INPUT_CSV) {
    char *how = NULL;
    rs_table *t = rs_readstat_read(path, (rs_input_format)fmt, o, &how, err);
    if (sniffed) {
      memset(sniffed, 0, sizeof *sniffed);
      sniffed->encoding = "utf-8";
      sniffed->title = how;
      if (t && t->sha256) g_strlcpy(sniffed->sha256, t->sha256, sizeof sniffed->sha256);
    } else {
      g_free(how);
    }
    return t;
  }
  rs_read_options ro = o->read;
  ro.header = true;
  rs_reader *r = rs_reader_open(path, &ro, err);
  if (!r) return NULL;
  const rs_sniff *sn = rs_reader_sniffed(r);
  if (sniffed) {
    *sniffed = *sn;
    sniffed->title = g_strdup(sn->title);
  }
  loader L = {.path = path, .o = o, .decimal = sn->decimal, .budget = (double)rs_limits_max_memory(), .text_scale = 1};
  L.progress = !o->quiet && isatty(2) && sn->bytes > (64 << 20);
  L.est_rows = sn->bytes_per_row > 0 ? (double)sn->bytes / sn->bytes_per_row * 1.02 + 16 : 1024;
  if (L.est_rows > 1e9) L.est_rows = 1e9;
  rs_table *t = NULL;
  /* Large quote-free files: the first rows on one thread, the rest on all
   * cores.  `validate` (collecting every problem in order) stays single. */
  guint nthreads = MIN(rs_table_threads(), (guint)RS_READER_MAX_RANGES);
  bool try_parallel = !o->diag && nthreads > 1 && sn->bytes > (8 << 20) && rs_reader_can_split(r);
  for (int pass = 0; pass < 2; pass++) {
    t = rs_table_new(path);
    if (sn->sha256[0]) t->sha256 = g_strdup(sn->sha256);
    L.t = t;
    L.strings = t->strings;
    L.row_limit = try_parallel && pass == 0 ? 4096 : 0;
    L.row = 0;
    L.text_bytes = 0;
    L.extra_reported_row = 0;
    L.reparse = false;
    L.header = g_ptr_array_new_with_free_func(g_free);
    rs_reader_callbacks cb = {.field = on_field, .row_end = on_row_end};
    int rc = rs_reader_run(r, &cb, &L, err);
    if (rc == STOP_AT_LIMIT && !L.error && !L.reparse) {
      int pr = continue_parallel(&L, r, nthreads, err);
      if (pr == 0) {
        /* read the whole file again on one thread */
        try_parallel = false;
        loader_clear(&L);
        rs_table_free(t);
        t = NULL;
        pass--;
        continue;
      }
      rc = pr < 0 ? -1 : 0;
    } else if (rc == STOP_AT_LIMIT) {
      rc = 0;  /* an error or a type change within the first rows: handled below */
    }
    if (L.progress && L.row >= 0x100000) fprintf(stderr, "\n");
    if (rc < 0 || L.error) {
      if (L.error) g_propagate_error(err, L.error);
      L.error = NULL;
      loader_clear(&L);
      rs_table_free(t);
      t = NULL;
      break;
    }
    if (L.header->len == 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: the file has no header row", path);
      loader_clear(&L);
      rs_table_free(t);
      t = NULL;
      break;
    }
    if (!L.reparse || pass == 1) {
      finish_inference(&L);
      loader_clear(&L);
      break;
    }
    /* second pass: the columns that turned to text late are read as text */
    if (!L.force_text) L.force_text = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t j = 0; j < L.nnamed; j++)
      if (L.cs[j].needs_reparse) g_hash_table_add(L.force_text, g_strdup(colname(&L, j)));
    if (o->diag) {
      /* problems of the discarded pass are reported again by the next one */
      rs_diag_clear(o->diag);
    }
    loader_clear(&L);
    rs_table_free(t);
    t = NULL;
  }
  if (L.force_text) g_hash_table_destroy(L.force_text);
  rs_reader_free(r);
  if (t) shrink(t);
  return t;
}

char *rs_load_describe_sniff(const rs_sniff *s) {
  if (s->delimiter == 0) return g_strdup(s->title ? s->title : "a file read through ReadStat");
  GString *g = g_string_new(NULL);
  g_string_append_printf(g, "%s-delimited, decimal %s, %s%s, %s line ends", rs_reader_delimiter_name(s->delimiter),
                         s->decimal == ',' ? "comma" : "point", s->encoding, s->bom ? " with byte-order mark" : "",
                         s->crlf ? "CRLF" : s->cr ? "CR" : "LF");
  if (s->skipped > 0) g_string_append_printf(g, ", %d line%s above the header skipped", s->skipped, s->skipped == 1 ? "" : "s");
  if (s->title) g_string_append_printf(g, " (title: %s)", s->title);
  return g_string_free(g, FALSE);
}
