/* codebook.c — reading and checking a codebook CSV (format in DESIGN.md).
 *
 * The codebook is read with the same reader as the data, so it may itself
 * be a semicolon/Windows-1252 file from Excel.  Every problem is an error
 * naming the codebook's line and column: a wrong codebook would silently
 * change every statistic built on it.
 */
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/value.h"

#include <math.h>
#include <string.h>

void rs_cb_var_free(rs_cb_var *v) {
  if (!v) return;
  g_free(v->name);
  g_free(v->label_nb);
  g_free(v->label_en);
  g_strfreev(v->missing);
  g_free(v->missing_num);
  g_free(v->missing_lo);
  g_free(v->missing_hi);
  for (size_t i = 0; i < v->n_values; i++) {
    g_free(v->values[i].code);
    g_free(v->values[i].label);
  }
  g_free(v->values);
  g_free(v->index);
  g_free(v);
}

void rs_codebook_free(rs_codebook *cb) {
  if (!cb) return;
  for (guint i = 0; i < cb->vars->len; i++) rs_cb_var_free(g_ptr_array_index(cb->vars, i));
  g_ptr_array_free(cb->vars, TRUE);
  g_hash_table_destroy(cb->by_name);
  g_free(cb->path);
  g_free(cb);
}

rs_codebook *rs_codebook_new(const char *path) {
  rs_codebook *cb = g_new0(rs_codebook, 1);
  cb->path = g_strdup(path);
  cb->vars = g_ptr_array_new();
  cb->by_name = g_hash_table_new(g_str_hash, g_str_equal);
  return cb;
}

bool rs_codebook_add(rs_codebook *cb, rs_cb_var *v) {
  if (g_hash_table_contains(cb->by_name, v->name)) return false;
  g_ptr_array_add(cb->vars, v);
  g_hash_table_insert(cb->by_name, v->name, v);
  return true;
}

const rs_cb_var *rs_codebook_get(const rs_codebook *cb, const char *name) {
  return cb ? g_hash_table_lookup(cb->by_name, name) : NULL;
}

const char *rs_cb_var_label(const rs_cb_var *v, const char *lang) {
  if (lang && strcmp(lang, "en") == 0 && v->label_en && *v->label_en) return v->label_en;
  if (v->label_nb && *v->label_nb) return v->label_nb;
  return v->name;
}

const char *rs_codebook_value_label(const rs_cb_var *v, double code, const char *code_text) {
  for (size_t i = 0; i < v->n_values; i++) {
    if (code_text && strcmp(v->values[i].code, code_text) == 0) return v->values[i].label;
    if (!code_text && !isnan(v->values[i].value) && v->values[i].value == code) return v->values[i].label;
  }
  return NULL;
}

/* strlen(z) == len && memcmp(z, s, len) == 0, stopping at the first
 * difference: this runs for every numeric cell with a codebook entry. */
static bool same_text(const char *z, const char *s, size_t len) {
  for (size_t k = 0; k < len; k++)
    if (z[k] != s[k] || z[k] == '\0') return false;
  return z[len] == '\0';
}

bool rs_cb_var_is_missing_code(const rs_cb_var *v, const char *text, size_t len, bool have_num, double num) {
  for (size_t i = 0; i < v->n_missing; i++) {
    if (have_num && !isnan(v->missing_num[i]) && v->missing_num[i] == num) return true;
    if (same_text(v->missing[i], text, len)) return true;
  }
  if (have_num)
    for (size_t i = 0; i < v->n_missing_ranges; i++)
      if (num >= v->missing_lo[i] && num <= v->missing_hi[i]) return true;
  return false;
}

static char *cell(char **row, int col) {
  if (col < 0) return NULL;
  for (int i = 0; i <= col; i++)
    if (row[i] == NULL) return NULL;
  char *s = g_strstrip(g_strdup(row[col]));
  if (*s == '\0') { g_free(s); return NULL; }
  return s;
}

static bool parse_num(const char *s, double *out) {
  return rs_value_parse_number(s, strlen(s), '.', out) || rs_value_parse_number(s, strlen(s), ',', out);
}

#define CB_FAIL(col, ...)                                                                 \
  do {                                                                                    \
    char *m_ = g_strdup_printf(__VA_ARGS__);                                              \
    g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK, "%s: line %ld, column '%s': %s", path, \
                line, col, m_);                                                           \
    g_free(m_);                                                                           \
    goto fail;                                                                            \
  } while (0)

rs_codebook *rs_codebook_load(const char *path, const rs_read_options *ropt, GError **err) {
  rs_read_options o;
  if (ropt) o = *ropt; else rs_read_options_init(&o);
  o.header = true;
  rs_text_table *tt = rs_reader_read_text(path, &o, err);
  if (!tt) return NULL;
  rs_codebook *cb = g_new0(rs_codebook, 1);
  cb->path = g_strdup(path);
  cb->vars = g_ptr_array_new();
  cb->by_name = g_hash_table_new(g_str_hash, g_str_equal);
  rs_cb_var *v = NULL;
  char *bad = NULL;  /* an offending cell shown in the message */
  long line = 1;

  int c_name = rs_text_table_column(tt, "name"), c_type = rs_text_table_column(tt, "type");
  int c_nb = rs_text_table_column(tt, "label_nb"), c_en = rs_text_table_column(tt, "label_en");
  int c_min = rs_text_table_column(tt, "min"), c_max = rs_text_table_column(tt, "max");
  int c_rev = rs_text_table_column(tt, "reverse"), c_miss = rs_text_table_column(tt, "missing");
  int c_val = rs_text_table_column(tt, "values"), c_idx = rs_text_table_column(tt, "index");
  line = tt->sniffed.skipped + 1;
  if (c_name < 0) CB_FAIL("name", "the codebook has no column 'name' (expected columns: name, label_nb, label_en, type, min, max, reverse, missing, values, index)");
  if (c_type < 0) CB_FAIL("type", "the codebook has no column 'type'");
  if (tt->rows->len == 0) CB_FAIL("name", "the codebook describes no variables");

  for (guint r = 0; r < tt->rows->len; r++) {
    char **row = g_ptr_array_index(tt->rows, r);
    line = g_array_index(tt->lines, long, r);
    v = g_new0(rs_cb_var, 1);
    v->line = line;
    v->name = cell(row, c_name);
    if (!v->name) CB_FAIL("name", "the variable name is empty");
    const rs_cb_var *first = g_hash_table_lookup(cb->by_name, v->name);
    if (first) CB_FAIL("name", "variable '%s' is described twice (first on line %ld)", v->name, first->line);
    char *type = cell(row, c_type);
    int t = rs_type_from_name(type);
    if (t < 0) {
      char *shown = type ? g_strdup(type) : g_strdup("");
      g_free(type);
      char *m = *shown ? g_strdup_printf("unknown type '%s' for '%s'; use one of id, numeric, integer, likert, category, date, weight, kommune, fylke, string", shown, v->name)
                       : g_strdup_printf("no type given for '%s'; use one of id, numeric, integer, likert, category, date, weight, kommune, fylke, string", v->name);
      g_free(shown);
      g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK, "%s: line %ld, column 'type': %s", path, line, m);
      g_free(m);
      goto fail;
    }
    g_free(type);
    v->type = (rs_type)t;
    v->label_nb = cell(row, c_nb);
    v->label_en = cell(row, c_en);
    v->index = cell(row, c_idx);
    char *s;
    if ((s = cell(row, c_min))) {
      bool okn = parse_num(s, &v->min);
      if (!okn) { g_free(bad); bad = s; CB_FAIL("min", "min of '%s' is '%s', which is not a number", v->name, bad); }
      g_free(s);
      v->has_min = true;
    }
    if ((s = cell(row, c_max))) {
      bool okn = parse_num(s, &v->max);
      if (!okn) { g_free(bad); bad = s; CB_FAIL("max", "max of '%s' is '%s', which is not a number", v->name, bad); }
      g_free(s);
      v->has_max = true;
    }
    if (v->has_min && v->has_max && v->min > v->max)
      CB_FAIL("min", "min (%g) of '%s' is larger than its max (%g)", v->min, v->name, v->max);
    if ((s = cell(row, c_rev))) {
      bool one = strcmp(s, "1") == 0, zero = strcmp(s, "0") == 0;
      if (!one && !zero) { g_free(bad); bad = s; CB_FAIL("reverse", "reverse for '%s' is '%s'; it must be 0 or 1", v->name, bad); }
      g_free(s);
      v->reverse = one;
    }
    if ((s = cell(row, c_miss))) {
      v->missing = g_strsplit(s, "|", -1);
      g_free(s);
      v->n_missing = g_strv_length(v->missing);
      v->missing_num = g_new(double, v->n_missing + 1);
      for (size_t i = 0; i < v->n_missing; i++) {
        g_strstrip(v->missing[i]);
        if (!parse_num(v->missing[i], &v->missing_num[i])) v->missing_num[i] = NAN;
        /* "LO..HI" is a range of missing values (SPSS user-missing ranges) */
        char *dots = strstr(v->missing[i], "..");
        double lo, hi;
        if (dots && dots != v->missing[i] && dots[2]) {
          char *a = g_strndup(v->missing[i], (gsize)(dots - v->missing[i]));
          const char *b = dots + 2;
          bool okr = (g_ascii_strcasecmp(a, "lowest") == 0 ? (lo = -INFINITY, true) : parse_num(a, &lo)) &&
                     (g_ascii_strcasecmp(b, "highest") == 0 ? (hi = INFINITY, true) : parse_num(b, &hi));
          g_free(a);
          if (okr) {
            v->missing_lo = g_renew(double, v->missing_lo, v->n_missing_ranges + 1);
            v->missing_hi = g_renew(double, v->missing_hi, v->n_missing_ranges + 1);
            v->missing_lo[v->n_missing_ranges] = lo;
            v->missing_hi[v->n_missing_ranges] = hi;
            v->n_missing_ranges++;
          }
        }
      }
    }
    if ((s = cell(row, c_val))) {
      char **parts = g_strsplit(s, "|", -1);
      g_free(s);
      v->n_values = g_strv_length(parts);
      v->values = g_new0(rs_value_label, v->n_values);
      for (size_t i = 0; i < v->n_values; i++) {
        char *eq = strchr(parts[i], '=');
        if (!eq) {
          char *bad = g_strdup(parts[i]);
          g_strfreev(parts);
          v->n_values = i;
          char *m = g_strdup_printf("value label '%s' of '%s' is not of the form code=label (e.g. 1=Helt uenig|5=Helt enig)", bad, v->name);
          g_free(bad);
          g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK, "%s: line %ld, column 'values': %s", path, line, m);
          g_free(m);
          goto fail;
        }
        *eq = '\0';
        v->values[i].code = g_strstrip(g_strdup(parts[i]));
        v->values[i].label = g_strstrip(g_strdup(eq + 1));
        if (!parse_num(v->values[i].code, &v->values[i].value)) v->values[i].value = NAN;
      }
      g_strfreev(parts);
    }
    if (v->type == RS_TYPE_LIKERT && (!v->has_min || !v->has_max)) {
      /* the scale from the value labels, leaving out missing codes */
      double lo = INFINITY, hi = -INFINITY;
      for (size_t i = 0; i < v->n_values; i++) {
        double x = v->values[i].value;
        if (isnan(x) || rs_cb_var_is_missing_code(v, v->values[i].code, strlen(v->values[i].code), true, x)) continue;
        lo = fmin(lo, x);
        hi = fmax(hi, x);
      }
      if (!isfinite(lo)) CB_FAIL("min", "Likert item '%s' needs min and max, or value labels giving its scale", v->name);
      if (!v->has_min) { v->min = lo; v->has_min = true; }
      if (!v->has_max) { v->max = hi; v->has_max = true; }
    }
    if (v->reverse && (!v->has_min || !v->has_max))
      CB_FAIL("reverse", "'%s' is reverse-coded but has no min and max to reverse within", v->name);
    g_ptr_array_add(cb->vars, v);
    g_hash_table_insert(cb->by_name, v->name, v);
    v = NULL;
  }
  rs_text_table_free(tt);
  return cb;

fail:
  g_free(bad);
  if (v) rs_cb_var_free(v);
  rs_text_table_free(tt);
  rs_codebook_free(cb);
  return NULL;
}
