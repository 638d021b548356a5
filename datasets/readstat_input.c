/* readstat_input.c — SPSS, Stata and SAS files into an rs_table (ReadStat).
 *
 * ReadStat's parser calls back with the file's metadata, each variable,
 * each value and each value label.  The variable handler adds a column;
 * the value handler fills one cell (growing the table as needed: a damaged
 * header's row count is only a hint); value labels are kept by label-set
 * name, because Stata stores them after the data.  After the parse the
 * codebook is built from what was collected (types decided from formats,
 * measure level, value labels and the values seen), then a --codebook
 * given by the user overrides it variable by variable.
 */
#include "config.h"
#include "datasets/readstat_input.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/value.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#ifdef HAVE_READSTAT
#include <readstat.h>
#endif

static const char *const format_names[RS_INPUT_N] = {"csv", "sav", "por", "dta", "sas7bdat"};

const char *rs_input_format_name(rs_input_format f) { return (unsigned)f < RS_INPUT_N ? format_names[f] : "?"; }

bool rs_readstat_available(void) {
#ifdef HAVE_READSTAT
  return true;
#else
  return false;
#endif
}

int rs_input_format_choose(const char *name, const char *path, GError **err) {
  if (name && *name && g_ascii_strcasecmp(name, "auto") != 0) {
    if (g_ascii_strcasecmp(name, "zsav") == 0) return RS_INPUT_SAV;
    for (int f = 0; f < RS_INPUT_N; f++)
      if (g_ascii_strcasecmp(name, format_names[f]) == 0) return f;
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "unknown --input-format '%s'; use csv, sav, por, dta or sas7bdat", name);
    return -1;
  }
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot || strchr(dot, '/')) return RS_INPUT_CSV;
  dot++;
  if (g_ascii_strcasecmp(dot, "sav") == 0 || g_ascii_strcasecmp(dot, "zsav") == 0) return RS_INPUT_SAV;
  if (g_ascii_strcasecmp(dot, "por") == 0) return RS_INPUT_POR;
  if (g_ascii_strcasecmp(dot, "dta") == 0) return RS_INPUT_DTA;
  if (g_ascii_strcasecmp(dot, "sas7bdat") == 0) return RS_INPUT_SAS7BDAT;
  return RS_INPUT_CSV;
}

#ifndef HAVE_READSTAT

rs_table *rs_readstat_read(const char *path, rs_input_format fmt, const rs_load_options *o, char **how, GError **err) {
  (void)o;
  if (how) *how = NULL;
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
              "%s: reading .%s files needs reformstat built with ReadStat (Debian libreadstat-dev)", path,
              rs_input_format_name(fmt));
  return NULL;
}

#else

static const char *format_title(rs_input_format f) {
  switch (f) {
    case RS_INPUT_SAV: return "SPSS .sav";
    case RS_INPUT_POR: return "SPSS portable (.por)";
    case RS_INPUT_DTA: return "Stata .dta";
    case RS_INPUT_SAS7BDAT: return "SAS .sas7bdat";
    default: return "CSV";
  }
}

/* ---- what the callbacks collect ------------------------------------------ */

typedef struct {
  double value;
  char tag;        /* 'a'–'z' for an extended missing value, else 0 */
  char *text;      /* code of a string label set, else NULL */
  char *label;
} vlabel;

typedef enum { DATE_NONE, DATE_DAYS_1960, DATE_SECS_1582 } date_kind;

typedef struct {
  char *name, *label, *format, *labelset;
  bool is_string;
  readstat_measure_t measure;
  date_kind date;
  double missing[3]; size_t n_missing;                 /* discrete user-missing values */
  double range_lo[3], range_hi[3]; size_t n_ranges;   /* user-missing ranges */
  char *missing_text[3]; size_t n_missing_text;       /* string user-missing values */
  int col;                                            /* column in the table */
  bool all_integral;
  size_t n_present;
  double lo, hi;                                      /* of the present values */
  uint32_t tags;                                      /* extended missing letters seen (bit per letter) */
  GHashTable *levels;                                 /* distinct strings (up to a limit) */
  bool many_levels;
} vinfo;

typedef struct {
  const char *path;
  rs_input_format fmt;
  const rs_load_options *o;
  rs_table *t;
  GPtrArray *vars;           /* of vinfo*, by ReadStat's variable index */
  GHashTable *labelsets;     /* name -> GPtrArray of vlabel* */
  GHashTable *names;         /* column names used */
  long rows_hint;
  size_t nrows;
  char *rs_message;          /* ReadStat's own error text, first one */
  GError *error;             /* our own error (aborts the parse) */
  char *encoding;            /* the file's declared encoding */
  long version;
} rctx;

static void vinfo_free(gpointer p) {
  vinfo *v = p;
  g_free(v->name); g_free(v->label); g_free(v->format); g_free(v->labelset);
  for (size_t i = 0; i < v->n_missing_text; i++) g_free(v->missing_text[i]);
  if (v->levels) g_hash_table_destroy(v->levels);
  g_free(v);
}

static void vlabels_free(gpointer p) {
  GPtrArray *a = p;
  for (guint i = 0; i < a->len; i++) {
    vlabel *l = g_ptr_array_index(a, i);
    g_free(l->text);
    g_free(l->label);
    g_free(l);
  }
  g_ptr_array_free(a, TRUE);
}

/* ReadStat converts text to UTF-8; a damaged file can still hand over
 * bytes that are not, and every string in a table must be valid UTF-8. */
static char *utf8_dup(const char *s) {
  if (!s) return g_strdup("");
  return g_utf8_make_valid(s, -1);
}

static double value_number(readstat_value_t v) {
  switch (readstat_value_type(v)) {
    case READSTAT_TYPE_INT8: return readstat_int8_value(v);
    case READSTAT_TYPE_INT16: return readstat_int16_value(v);
    case READSTAT_TYPE_INT32: return readstat_int32_value(v);
    case READSTAT_TYPE_FLOAT: return readstat_float_value(v);
    case READSTAT_TYPE_DOUBLE: return readstat_double_value(v);
    default: return NAN;
  }
}

static date_kind date_format(rs_input_format fmt, const char *f) {
  if (!f || !*f) return DATE_NONE;
  char *up = g_ascii_strup(f, -1);
  date_kind k = DATE_NONE;
  if (fmt == RS_INPUT_SAV || fmt == RS_INPUT_POR) {
    /* DATE11, ADATE10, EDATE10, SDATE10, JDATE; not DATETIME */
    const char *p = up;
    if (*p == 'A' || *p == 'E' || *p == 'S' || *p == 'J') p++;
    if (g_str_has_prefix(p, "DATE") && !g_str_has_prefix(p, "DATETIME")) k = DATE_SECS_1582;
  } else if (fmt == RS_INPUT_DTA) {
    if (g_str_has_prefix(up, "%TD") || g_str_has_prefix(up, "%D")) k = DATE_DAYS_1960;
  } else if (fmt == RS_INPUT_SAS7BDAT) {
    static const char *const sas[] = {"DATE", "MMDDYY", "DDMMYY", "YYMMDD", "E8601DA", "EURDFDD", "WEEKDATE", "NLDATE", NULL};
    for (int i = 0; sas[i]; i++)
      if (g_str_has_prefix(up, sas[i]) && !g_str_has_prefix(up, "DATETIME")) k = DATE_DAYS_1960;
  }
  g_free(up);
  return k;
}

/* Days since 1970-01-01. */
static double to_days(date_kind k, double x) {
  if (k == DATE_DAYS_1960) return floor(x) - 3653.0;
  return floor(x / 86400.0) - 141428.0;  /* 1582-10-14 to 1970-01-01 */
}

static int fail(rctx *c, rs_error_code code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static int fail(rctx *c, rs_error_code code, const char *fmt, ...) {
  if (!c->error) {
    va_list ap;
    va_start(ap, fmt);
    char *m = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(&c->error, RS_ERROR, code, "%s: %s", c->path, m);
    g_free(m);
  }
  return READSTAT_HANDLER_ABORT;
}

/* ---- callbacks ------------------------------------------------------------- */

static int on_metadata(readstat_metadata_t *m, void *ctx) {
  rctx *c = ctx;
  c->rows_hint = readstat_get_row_count(m);
  const char *enc = readstat_get_file_encoding(m);
  if (enc && *enc) c->encoding = utf8_dup(enc);
  c->version = readstat_get_file_format_version(m);
  return READSTAT_HANDLER_OK;
}

static int on_variable(int index, readstat_variable_t *var, const char *val_labels, void *ctx) {
  rctx *c = ctx;
  if (index < 0 || (guint)index != c->vars->len)
    return fail(c, RS_ERROR_PARSE, "the variables are out of order (variable %d); the file is damaged", index);
  if (c->vars->len >= 100000)
    return fail(c, RS_ERROR_LIMIT, "the file declares more than 100000 variables; is it damaged?");
  vinfo *v = g_new0(vinfo, 1);
  g_ptr_array_add(c->vars, v);
  v->name = utf8_dup(readstat_variable_get_name(var));
  g_strstrip(v->name);
  if (!*v->name) {
    g_free(v->name);
    v->name = g_strdup_printf("V%d", index + 1);
  }
  if (g_hash_table_contains(c->names, v->name)) {
    char *n = g_strdup_printf("%s_%d", v->name, index + 1);
    g_free(v->name);
    v->name = n;
  }
  g_hash_table_add(c->names, g_strdup(v->name));
  const char *label = readstat_variable_get_label(var);
  if (label && *label) v->label = utf8_dup(label);
  const char *format = readstat_variable_get_format(var);
  if (format && *format) v->format = utf8_dup(format);
  if (val_labels && *val_labels) v->labelset = g_strdup(val_labels);
  v->is_string = readstat_variable_get_type_class(var) == READSTAT_TYPE_CLASS_STRING;
  v->measure = readstat_variable_get_measure(var);
  v->date = v->is_string ? DATE_NONE : date_format(c->fmt, v->format);
  v->all_integral = true;
  v->lo = INFINITY;
  v->hi = -INFINITY;
  int nr = readstat_variable_get_missing_ranges_count(var);
  for (int i = 0; i < nr && i < 3; i++) {
    readstat_value_t lo = readstat_variable_get_missing_range_lo(var, i);
    readstat_value_t hi = readstat_variable_get_missing_range_hi(var, i);
    if (readstat_value_type_class(lo) == READSTAT_TYPE_CLASS_STRING) {
      if (v->n_missing_text < 3) v->missing_text[v->n_missing_text++] = utf8_dup(readstat_string_value(lo));
      continue;
    }
    double a = value_number(lo), b = value_number(hi);
    if (a == b) v->missing[v->n_missing++] = a;
    else {
      v->range_lo[v->n_ranges] = a;
      v->range_hi[v->n_ranges] = b;
      v->n_ranges++;
    }
  }
  if (v->is_string) v->levels = g_hash_table_new(g_str_hash, g_str_equal);
  rs_column *col = rs_table_add_column(c->t, v->name, v->is_string ? RS_TYPE_STRING : v->date ? RS_TYPE_DATE : RS_TYPE_NUMERIC,
                                       v->is_string ? RS_STORE_STR : RS_STORE_NUM);
  col->inferred = false;
  v->col = (int)c->t->ncols - 1;
  return READSTAT_HANDLER_OK;
}

static int on_value(int obs, readstat_variable_t *var, readstat_value_t value, void *ctx) {
  rctx *c = ctx;
  int idx = readstat_variable_get_index(var);
  if (idx < 0 || (guint)idx >= c->vars->len || obs < 0)
    return fail(c, RS_ERROR_PARSE, "a value belongs to no variable; the file is damaged");
  vinfo *v = g_ptr_array_index(c->vars, idx);
  rs_table *t = c->t;
  size_t i = (size_t)obs;
  if (i >= t->cap) {
    if (i > (size_t)INT32_MAX) return fail(c, RS_ERROR_LIMIT, "more than 2^31 rows");
    size_t old = t->cap;
    rs_table_reserve(t, i + 1);
    for (size_t j = 0; j < t->ncols; j++)
      if (t->cols[j].num) memset(t->cols[j].num + old, 0, (t->cap - old) * sizeof(double));
  }
  if (i >= c->nrows) {
    for (size_t k = c->nrows; k <= i; k++) t->row_line[k] = (int32_t)(k + 1);
    c->nrows = i + 1;
    t->nrows = c->nrows;
  }
  rs_column *col = &t->cols[v->col];
  if (v->is_string) {
    const char *s = readstat_string_value(value);
    if (!s || !*s || readstat_value_is_system_missing(value)) {
      col->miss[i] = RS_MISS_EMPTY;
      col->str[i] = NULL;
      return READSTAT_HANDLER_OK;
    }
    if (readstat_value_is_defined_missing(value, var)) {
      col->miss[i] = RS_MISS_CODE;
      col->str[i] = NULL;
      return READSTAT_HANDLER_OK;
    }
    char *kept;
    if (g_utf8_validate(s, -1, NULL)) {
      kept = g_string_chunk_insert_const(t->strings, s);
    } else {
      char *u = g_utf8_make_valid(s, -1);
      kept = g_string_chunk_insert_const(t->strings, u);
      g_free(u);
    }
    col->str[i] = kept;
    col->miss[i] = RS_MISS_NONE;
    v->n_present++;
    if (!v->many_levels) {
      g_hash_table_add(v->levels, kept);
      if (g_hash_table_size(v->levels) > 1000) v->many_levels = true;
    }
    return READSTAT_HANDLER_OK;
  }
  if (readstat_value_is_tagged_missing(value)) {
    char tag = readstat_value_tag(value);
    if (tag >= 'A' && tag <= 'Z') tag = (char)(tag - 'A' + 'a');  /* SAS writes .A-.Z, Stata .a-.z */
    if (tag >= 'a' && tag <= 'z') {
      col->num[i] = rs_missing_tagged(tag);
      col->miss[i] = RS_MISS_CODE;
      v->tags |= 1u << (tag - 'a');
    } else {
      col->num[i] = 0;
      col->miss[i] = RS_MISS_EMPTY;
    }
    return READSTAT_HANDLER_OK;
  }
  if (readstat_value_is_system_missing(value)) {
    col->num[i] = 0;
    col->miss[i] = RS_MISS_EMPTY;
    return READSTAT_HANDLER_OK;
  }
  double x = value_number(value);
  if (!isfinite(x)) {
    col->num[i] = 0;
    col->miss[i] = RS_MISS_EMPTY;
    return READSTAT_HANDLER_OK;
  }
  if (readstat_value_is_defined_missing(value, var)) {
    col->num[i] = x;
    col->miss[i] = RS_MISS_CODE;
    return READSTAT_HANDLER_OK;
  }
  if (v->date) {
    x = to_days(v->date, x);
    /* the dates a table holds (value.h): years 1–9999 */
    if (x < -719162.0 || x > 2932896.0) {
      col->num[i] = 0;
      col->miss[i] = RS_MISS_EMPTY;
      return fail(c, RS_ERROR_VALUE, "case %d, column '%s': the date is outside the years 1–9999; the file is damaged",
                  obs + 1, v->name);
    }
  }
  col->num[i] = x;
  col->miss[i] = RS_MISS_NONE;
  v->n_present++;
  if (x != floor(x)) v->all_integral = false;
  if (x < v->lo) v->lo = x;
  if (x > v->hi) v->hi = x;
  return READSTAT_HANDLER_OK;
}

static int on_value_label(const char *set, readstat_value_t value, const char *label, void *ctx) {
  rctx *c = ctx;
  if (!set) return READSTAT_HANDLER_OK;
  GPtrArray *a = g_hash_table_lookup(c->labelsets, set);
  if (!a) {
    if (g_hash_table_size(c->labelsets) > 100000)
      return fail(c, RS_ERROR_LIMIT, "the file declares more than 100000 sets of value labels; is it damaged?");
    a = g_ptr_array_new();
    g_hash_table_insert(c->labelsets, g_strdup(set), a);
  }
  if (a->len > 100000) return READSTAT_HANDLER_OK;
  vlabel *l = g_new0(vlabel, 1);
  if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING) {
    l->text = utf8_dup(readstat_string_value(value));
    l->value = NAN;
  } else if (readstat_value_is_tagged_missing(value)) {
    l->tag = readstat_value_tag(value);
    l->value = NAN;
    if (l->tag < 'a' || l->tag > 'z') {
      g_free(l);
      return READSTAT_HANDLER_OK;
    }
  } else {
    l->value = value_number(value);
  }
  l->label = utf8_dup(label);
  g_strstrip(l->label);
  g_ptr_array_add(a, l);
  return READSTAT_HANDLER_OK;
}

static void on_error(const char *msg, void *ctx) {
  rctx *c = ctx;
  if (!c->rs_message && msg) {
    c->rs_message = utf8_dup(msg);
    g_strstrip(c->rs_message);
  }
}

/* ---- after the parse: the codebook ------------------------------------------ */

static char *code_text(double x) {
  char buf[32];
  rs_value_format_double(x, buf);
  return g_strdup(buf);
}

static void add_missing(rs_cb_var *cv, const char *text, double num) {
  cv->missing = g_renew(char *, cv->missing, cv->n_missing + 2);
  cv->missing_num = g_renew(double, cv->missing_num, cv->n_missing + 1);
  cv->missing[cv->n_missing] = g_strdup(text);
  cv->missing_num[cv->n_missing] = num;
  cv->n_missing++;
  cv->missing[cv->n_missing] = NULL;
}

static bool is_missing_value(const vinfo *v, double x) {
  for (size_t k = 0; k < v->n_missing; k++)
    if (v->missing[k] == x) return true;
  for (size_t k = 0; k < v->n_ranges; k++)
    if (x >= v->range_lo[k] && x <= v->range_hi[k]) return true;
  return false;
}

static bool name_has_id(const char *name) {
  char *low = g_ascii_strdown(name, -1);
  bool has = strstr(low, "id") != NULL;
  g_free(low);
  return has;
}

static rs_cb_var *build_var(rctx *c, vinfo *v) {
  rs_cb_var *cv = g_new0(rs_cb_var, 1);
  cv->name = g_strdup(v->name);
  cv->label_nb = v->label ? g_strdup(v->label) : NULL;
  for (size_t k = 0; k < v->n_missing; k++) {
    char *t = code_text(v->missing[k]);
    add_missing(cv, t, v->missing[k]);
    g_free(t);
  }
  for (size_t k = 0; k < v->n_missing_text; k++) add_missing(cv, v->missing_text[k], NAN);
  if (v->n_ranges) {
    cv->missing_lo = g_new(double, v->n_ranges);
    cv->missing_hi = g_new(double, v->n_ranges);
    for (size_t k = 0; k < v->n_ranges; k++) {
      cv->missing_lo[k] = v->range_lo[k];
      cv->missing_hi[k] = v->range_hi[k];
      char *a = isinf(v->range_lo[k]) ? g_strdup("lowest") : code_text(v->range_lo[k]);
      char *b = isinf(v->range_hi[k]) ? g_strdup("highest") : code_text(v->range_hi[k]);
      char *r = g_strdup_printf("%s..%s", a, b);
      add_missing(cv, r, NAN);
      g_free(a); g_free(b); g_free(r);
    }
    cv->n_missing_ranges = v->n_ranges;
  }
  /* extended missing values: every letter with a label or in the data */
  GPtrArray *labels = v->labelset ? g_hash_table_lookup(c->labelsets, v->labelset) : NULL;
  uint32_t tags = v->tags;
  if (labels)
    for (guint k = 0; k < labels->len; k++) {
      vlabel *l = g_ptr_array_index(labels, k);
      if (l->tag) tags |= 1u << (l->tag - 'a');
    }
  for (int k = 0; k < 26; k++)
    if (tags & (1u << k)) {
      char t[3] = {'.', (char)('a' + k), 0};
      add_missing(cv, t, NAN);
    }
  /* value labels: only those that fit the variable's type */
  size_t nl = 0, n_scale = 0;
  double slo = INFINITY, shi = -INFINITY;
  bool scale_integral = true;
  if (labels) {
    cv->values = g_new0(rs_value_label, labels->len);
    for (guint k = 0; k < labels->len; k++) {
      vlabel *l = g_ptr_array_index(labels, k);
      rs_value_label *o = &cv->values[nl];
      if (v->is_string) {
        if (!l->text) continue;
        o->code = g_strdup(l->text);
        o->value = NAN;
      } else if (l->tag) {
        o->code = g_strdup_printf(".%c", l->tag);
        o->value = NAN;
      } else if (!l->text && isfinite(l->value)) {
        o->code = code_text(l->value);
        o->value = l->value;
        if (!is_missing_value(v, l->value)) {
          n_scale++;
          slo = fmin(slo, l->value);
          shi = fmax(shi, l->value);
          if (l->value != floor(l->value)) scale_integral = false;
        }
      } else {
        continue;
      }
      o->label = g_strdup(l->label);
      nl++;
    }
    cv->n_values = nl;
  }
  /* the type */
  rs_type type;
  size_t levels = v->levels ? g_hash_table_size(v->levels) : 0;
  if (v->is_string) {
    if (nl > 0) type = RS_TYPE_CATEGORY;
    else if (!v->many_levels && levels <= 50 && levels * 2 <= v->n_present) type = RS_TYPE_CATEGORY;
    else if (name_has_id(v->name) && (v->many_levels || levels == v->n_present)) type = RS_TYPE_ID;
    else type = RS_TYPE_STRING;
    if (type == RS_TYPE_CATEGORY && nl > 0) {
      /* every present text must be a declared code, as the CSV loader checks */
      GHashTableIter it;
      gpointer key;
      g_hash_table_iter_init(&it, v->levels);
      bool all = !v->many_levels;
      while (all && g_hash_table_iter_next(&it, &key, NULL)) all = rs_codebook_value_label(cv, NAN, key) != NULL;
      if (!all) type = RS_TYPE_STRING;
    }
  } else if (v->date) {
    type = RS_TYPE_DATE;
  } else {
    bool in_scale = v->n_present == 0 || (v->lo >= slo && v->hi <= shi && v->all_integral);
    /* every present value has a label */
    bool all_labelled = in_scale;
    if (all_labelled && n_scale > 0 && v->n_present > 0) {
      rs_column *col = &c->t->cols[v->col];
      for (size_t i = 0; i < c->nrows && all_labelled; i++)
        if (rs_column_present(col, i)) all_labelled = rs_codebook_value_label(cv, col->num[i], NULL) != NULL;
    }
    bool consecutive = scale_integral && n_scale >= 4 && n_scale <= 11 && shi - slo + 1 == (double)n_scale;
    if (consecutive && in_scale && v->measure != READSTAT_MEASURE_NOMINAL) {
      type = RS_TYPE_LIKERT;
      cv->has_min = cv->has_max = true;
      cv->min = slo;
      cv->max = shi;
    } else if (n_scale > 0 && all_labelled && scale_integral) {
      type = RS_TYPE_CATEGORY;
    } else {
      type = v->all_integral && v->n_present > 0 ? RS_TYPE_INTEGER : RS_TYPE_NUMERIC;
    }
  }
  cv->type = type;
  return cv;
}

/* A number as the text a string column holds: integers without ".0";
 * kommune and fylke codes with their leading zeros. */
static char *number_as_text(double x, rs_type type) {
  if (x == floor(x) && fabs(x) < 1e15) {
    if (type == RS_TYPE_KOMMUNE && x >= 0) return g_strdup_printf("%04.0f", x);
    if (type == RS_TYPE_FYLKE && x >= 0) return g_strdup_printf("%02.0f", x);
    return g_strdup_printf("%.0f", x);
  }
  return code_text(x);
}

/* --codebook: its entry replaces the file's for the variables it names;
 * cells are checked against it as the CSV loader checks them. */
static bool apply_codebook(rctx *c, GError **err) {
  const rs_codebook *ucb = c->o->codebook;
  rs_table *t = c->t;
  rs_diag *diag = c->o->diag;
  GError *first = NULL;
#define PROBLEM(row, column, ...)                                                                         \
  do {                                                                                                    \
    if (diag) rs_diag_add(diag, RS_SEVERITY_ERROR, RS_ERROR_VALUE, c->path, (long)(row), column, NULL, __VA_ARGS__); \
    else if (!first) {                                                                                    \
      char *m_ = g_strdup_printf(__VA_ARGS__);                                                            \
      g_set_error(&first, RS_ERROR, RS_ERROR_VALUE, "%s: case %ld, column '%s': %s", c->path, (long)(row), column, m_); \
      g_free(m_);                                                                                         \
    }                                                                                                     \
  } while (0)
  for (guint k = 0; k < ucb->vars->len; k++) {
    const rs_cb_var *uv = g_ptr_array_index(ucb->vars, k);
    if (rs_table_find(t, uv->name) < 0) {
      char *m = g_strdup_printf("the codebook %s (line %ld) names column '%s', which is not in the data file",
                                ucb->path, uv->line, uv->name);
      if (diag) rs_diag_add(diag, RS_SEVERITY_ERROR, RS_ERROR_CODEBOOK, c->path, 0, uv->name, NULL, "%s", m);
      else if (!first) g_set_error(&first, RS_ERROR, RS_ERROR_CODEBOOK, "%s: column '%s': %s", c->path, uv->name, m);
      g_free(m);
    }
  }
  for (size_t j = 0; j < t->ncols && !first; j++) {
    rs_column *col = &t->cols[j];
    const rs_cb_var *uv = rs_codebook_get(ucb, col->name);
    if (!uv) continue;
    rs_storage want = rs_type_storage(uv->type);
    if (uv->type == RS_TYPE_CATEGORY && col->storage == RS_STORE_STR) want = RS_STORE_STR;
    if (want == RS_STORE_STR && col->storage == RS_STORE_NUM) {
      /* numbers the codebook calls codes or text (kommune 301 -> "0301") */
      col->str = g_new0(char *, t->cap);
      for (size_t i = 0; i < t->nrows; i++)
        if (rs_column_present(col, i)) {
          char *s = number_as_text(col->num[i], uv->type);
          col->str[i] = g_string_chunk_insert_const(t->strings, s);
          g_free(s);
        } else {
          col->miss[i] = col->miss[i] == RS_MISS_CODE ? RS_MISS_CODE : RS_MISS_EMPTY;
        }
      g_free(col->num);
      col->num = NULL;
      col->storage = RS_STORE_STR;
    } else if (want == RS_STORE_NUM && col->storage == RS_STORE_STR) {
      g_set_error(&first, RS_ERROR, RS_ERROR_CODEBOOK,
                  "%s: column '%s': the codebook %s (line %ld) declares it %s, but the file stores it as text",
                  c->path, col->name, ucb->path, uv->line, rs_type_name(uv->type));
      break;
    }
    col->type = uv->type;
    col->var = uv;
    for (size_t i = 0; i < t->nrows; i++) {
      if (!rs_column_present(col, i)) continue;
      if (col->storage == RS_STORE_STR) {
        const char *s = col->str[i];
        if (rs_cb_var_is_missing_code(uv, s, strlen(s), false, 0)) {
          col->miss[i] = RS_MISS_CODE;
          col->str[i] = NULL;
        } else if (uv->type == RS_TYPE_CATEGORY && uv->n_values > 0 && !rs_codebook_value_label(uv, NAN, s)) {
          PROBLEM(i + 1, col->name, "'%s' is not one of the codes declared for '%s'", s, col->name);
        }
        continue;
      }
      double x = col->num[i];
      char *s = code_text(x);
      bool miss = rs_cb_var_is_missing_code(uv, s, strlen(s), true, x);
      g_free(s);
      if (miss) {
        col->miss[i] = RS_MISS_CODE;
      } else if ((uv->has_min && x < uv->min) || (uv->has_max && x > uv->max)) {
        PROBLEM(i + 1, col->name, "%g is outside the %s %g–%g declared in the codebook", x,
                uv->type == RS_TYPE_LIKERT ? "scale" : "range", uv->has_min ? uv->min : -INFINITY,
                uv->has_max ? uv->max : INFINITY);
      } else if (uv->type == RS_TYPE_CATEGORY && uv->n_values > 0 && !rs_codebook_value_label(uv, x, NULL)) {
        PROBLEM(i + 1, col->name, "%g is not one of the codes declared for '%s'", x, col->name);
      }
    }
  }
#undef PROBLEM
  if (first) {
    g_propagate_error(err, first);
    return false;
  }
  return true;
}

static const char *error_sentence(readstat_error_t e) {
  switch (e) {
    case READSTAT_ERROR_READ:
    case READSTAT_ERROR_SEEK: return "the file ends before its contents do: it was cut short or is damaged";
    case READSTAT_ERROR_ROW_COUNT_MISMATCH:
      return "the file holds a different number of rows than its header says: it was cut short or is damaged";
    case READSTAT_ERROR_COLUMN_COUNT_MISMATCH:
    case READSTAT_ERROR_ROW_WIDTH_MISMATCH:
    case READSTAT_ERROR_PARSE: return "the file is damaged, or is not a file of this kind";
    case READSTAT_ERROR_MALLOC: return "the file asks for more memory than there is: it is probably damaged";
    case READSTAT_ERROR_CONVERT:
    case READSTAT_ERROR_CONVERT_BAD_STRING:
    case READSTAT_ERROR_CONVERT_SHORT_STRING:
    case READSTAT_ERROR_CONVERT_LONG_STRING:
    case READSTAT_ERROR_UNSUPPORTED_CHARSET:
      return "text in the file is not in the character encoding it declares (give --encoding, e.g. windows-1252)";
    case READSTAT_ERROR_UNSUPPORTED_COMPRESSION: return "the file uses a compression ReadStat cannot read";
    case READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION: return "this version of the file format is not supported";
    default: return NULL;
  }
}

/* ---- .por files written by PSPP ------------------------------------------------
 * A portable file starts with 200 characters of vendor header and a
 * 256-character translation table.  PSPP writes the plain digit for the
 * table's superscript digits too; ReadStat builds its byte -> character
 * map with the last position winning, so every '8' in the file reads as
 * '⁸' and the file is refused.  The read handler below serves the table
 * with each repeated byte (after its first place among the printable
 * characters, positions 64 on) replaced by 0x01, which no data uses. */

typedef struct {
  int fd;
  unsigned char head[1024];   /* the file's first bytes, table patched */
  size_t head_len;
} por_io;

static int por_open(const char *path, void *io_ctx) {
  por_io *io = io_ctx;
  io->fd = open(path, O_RDONLY);
  if (io->fd < 0) return -1;
  ssize_t n = read(io->fd, io->head, sizeof io->head);
  io->head_len = n > 0 ? (size_t)n : 0;
  lseek(io->fd, 0, SEEK_SET);
  size_t pos = 0;  /* characters, not counting line ends */
  bool seen[256] = {false};
  for (size_t k = 0; k < io->head_len && pos < 200 + 256; k++) {
    unsigned char b = io->head[k];
    if (b == '\r' || b == '\n') continue;
    if (pos >= 200 + 64) {
      if (seen[b]) io->head[k] = 0x01;
      else seen[b] = true;
    }
    pos++;
  }
  return io->fd;
}

static int por_close(void *io_ctx) {
  por_io *io = io_ctx;
  int rc = io->fd >= 0 ? close(io->fd) : 0;
  io->fd = -1;
  return rc;
}

static readstat_off_t por_seek(readstat_off_t offset, readstat_io_flags_t whence, void *io_ctx) {
  por_io *io = io_ctx;
  int w = whence == READSTAT_SEEK_SET ? SEEK_SET : whence == READSTAT_SEEK_CUR ? SEEK_CUR : SEEK_END;
  return lseek(io->fd, offset, w);
}

static ssize_t por_read(void *buf, size_t nbyte, void *io_ctx) {
  por_io *io = io_ctx;
  off_t at = lseek(io->fd, 0, SEEK_CUR);
  ssize_t n = read(io->fd, buf, nbyte);
  if (n > 0 && at >= 0 && (size_t)at < io->head_len) {
    size_t k = MIN((size_t)n, io->head_len - (size_t)at);
    memcpy(buf, io->head + at, k);
  }
  return n;
}

static readstat_error_t por_update(long file_size, readstat_progress_handler h, void *user_ctx, void *io_ctx) {
  (void)file_size; (void)h; (void)user_ctx; (void)io_ctx;
  return READSTAT_OK;
}

rs_table *rs_readstat_read(const char *path, rs_input_format fmt, const rs_load_options *o, char **how, GError **err) {
  if (how) *how = NULL;
  /* A clear message for the commonest failure, before ReadStat's "Unable to open file". */
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot open the file: %s", path, g_strerror(e));
    return NULL;
  }
  char sha[65] = "";
  if (o->read.sha256) {
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
    guchar buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) g_checksum_update(ck, buf, (gssize)n);
    g_strlcpy(sha, g_checksum_get_string(ck), sizeof sha);
    g_checksum_free(ck);
  }
  fclose(fp);

  rctx c = {.path = path, .fmt = fmt, .o = o, .rows_hint = -1};
  c.t = rs_table_new(path);
  c.t->format = rs_input_format_name(fmt);
  if (sha[0]) c.t->sha256 = g_strdup(sha);
  c.vars = g_ptr_array_new_with_free_func(vinfo_free);
  c.labelsets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, vlabels_free);
  c.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

  readstat_parser_t *p = readstat_parser_init();
  readstat_set_metadata_handler(p, on_metadata);
  readstat_set_variable_handler(p, on_variable);
  readstat_set_value_handler(p, on_value);
  readstat_set_value_label_handler(p, on_value_label);
  readstat_set_error_handler(p, on_error);
  readstat_set_handler_character_encoding(p, "UTF-8");
  const char *enc = o->read.encoding;
  if (enc && *enc && g_ascii_strcasecmp(enc, "auto") != 0) readstat_set_file_character_encoding(p, enc);
  por_io pio = {.fd = -1};
  if (fmt == RS_INPUT_POR) {
    readstat_set_open_handler(p, por_open);
    readstat_set_close_handler(p, por_close);
    readstat_set_seek_handler(p, por_seek);
    readstat_set_read_handler(p, por_read);
    readstat_set_update_handler(p, por_update);
    readstat_set_io_ctx(p, &pio);
  }
  readstat_error_t e;
  switch (fmt) {
    case RS_INPUT_SAV: e = readstat_parse_sav(p, path, &c); break;
    case RS_INPUT_POR: e = readstat_parse_por(p, path, &c); break;
    case RS_INPUT_DTA: e = readstat_parse_dta(p, path, &c); break;
    case RS_INPUT_SAS7BDAT: e = readstat_parse_sas7bdat(p, path, &c); break;
    default: e = READSTAT_ERROR_PARSE; break;
  }
  readstat_parser_free(p);

  rs_table *t = c.t;
  bool ok = true;
  if (c.error) {
    g_propagate_error(err, c.error);
    c.error = NULL;
    ok = false;
  } else if (e != READSTAT_OK) {
    const char *why = error_sentence(e);
    const char *rsm = c.rs_message ? c.rs_message : readstat_error_message(e);
    while (g_str_has_prefix(rsm, "ReadStat: ")) rsm += strlen("ReadStat: ");  /* its own prefix, once is enough */
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: cannot read this %s file: %s (ReadStat: %s)", path,
                format_title(fmt), why ? why : rsm, rsm);
    ok = false;
  } else if (t->ncols == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: the %s file has no variables", path, format_title(fmt));
    ok = false;
  }
  if (ok) {
    t->nrows = c.nrows;
    rs_codebook *cb = rs_codebook_new(path);
    for (guint k = 0; k < c.vars->len; k++) {
      vinfo *v = g_ptr_array_index(c.vars, k);
      rs_cb_var *cv = build_var(&c, v);
      cv->line = (long)k + 1;
      rs_column *col = &t->cols[v->col];
      col->type = cv->type;
      if (!rs_codebook_add(cb, cv)) rs_cb_var_free(cv);
      else col->var = cv;
    }
    t->codebook = cb;
    if (how) {
      char ver[32] = "";
      if (c.version > 0) g_snprintf(ver, sizeof ver, " version %ld", c.version);
      *how = g_strdup_printf("%s file%s, %s text, %zu variables, %zu rows", format_title(fmt), ver,
                             c.encoding ? c.encoding : "UTF-8", t->ncols, t->nrows);
    }
    if (o->codebook && !apply_codebook(&c, err)) ok = false;
  }
  if (ok && t->nrows == 0) rs_table_reserve(t, 1);
  g_ptr_array_free(c.vars, TRUE);
  g_hash_table_destroy(c.labelsets);
  g_hash_table_destroy(c.names);
  g_free(c.rs_message);
  g_free(c.encoding);
  if (!ok) {
    rs_table_free(t);
    return NULL;
  }
  return t;
}

#endif /* HAVE_READSTAT */
