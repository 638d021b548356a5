/* export.c — a table as CSV (plain or Norwegian Excel), and its codebook. */
#include "datasets/export.h"
#include "datasets/atomic.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/readstat_input.h"
#include "datasets/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Appends n bytes to g.  g_string_append_len is an out-of-line call, paid
 * per cell: a visible share of writing a million rows. */
static inline void put(GString *g, const char *s, size_t n) {
  if (g->len + n < g->allocated_len) {
    memcpy(g->str + g->len, s, n);
    g->len += n;
    g->str[g->len] = '\0';
  } else {
    g_string_append_len(g, s, (gssize)n);
  }
}

/* Appends a field of n bytes, quoted when it holds the delimiter, a quote,
 * a line end or leading/trailing spaces (which the reader would trim). */
static void add_field_len(GString *g, const char *s, size_t n, char delim) {
  bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
  for (size_t i = 0; i < n && !quote; i++) quote = s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    put(g, s, n);
    return;
  }
  g_string_append_c(g, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') g_string_append_c(g, '"');
    g_string_append_c(g, s[i]);
  }
  g_string_append_c(g, '"');
}

static void add_field(GString *g, const char *s, char delim) { add_field_len(g, s, strlen(s), delim); }

/* The first declared missing code of v that is not a number (text codes
 * are kept as the code, not per cell), or "". */
static const char *text_code(const rs_cb_var *v) {
  if (v)
    for (size_t k = 0; k < v->n_missing; k++)
      if (isnan(v->missing_num[k]) && !strstr(v->missing[k], "..")) return v->missing[k];
  return "";
}

static size_t copy_cell(char *buf, const char *s, size_t n) {
  g_strlcpy(buf, s, n);
  return strlen(buf);
}

/* The text of a cell that is not a present string, in buf; returns its
 * length. */
static size_t format_cell(const rs_column *c, size_t i, char decimal, char *buf, size_t n) {
  uint8_t raw = c->miss[i];
  rs_miss m = (rs_miss)(raw & RS_MISS_MASK);
  switch (m) {
    case RS_MISS_EMPTY: buf[0] = 0; return 0;
    case RS_MISS_NA: return copy_cell(buf, ".", n);
    case RS_MISS_UNAVAILABLE: return copy_cell(buf, "..", n);
    case RS_MISS_NOT_YET: return copy_cell(buf, "...", n);
    case RS_MISS_SUPPRESSED: return copy_cell(buf, ":", n);
    default: break;
  }
  if (c->storage == RS_STORE_STR) return copy_cell(buf, m == RS_MISS_CODE ? text_code(c->var) : "", n);
  double x = c->num[i];
  if (m == RS_MISS_CODE) {
    char tag = rs_missing_tag(x);
    if (tag) { g_snprintf(buf, n, ".%c", tag); return strlen(buf); }
    if (isnan(x)) return copy_cell(buf, text_code(c->var), n);
  } else if (raw & RS_FLAG_ZERO_BY_DEF) {
    return copy_cell(buf, "-", n);
  }
  if (c->type == RS_TYPE_DATE && m == RS_MISS_NONE) {
    rs_value_format_date((int32_t)x, buf);
    return strlen(buf);
  }
  size_t len = rs_value_format_double(x, buf);
  char *dot = decimal == ',' ? memchr(buf, '.', len) : NULL;  /* a number has at most one */
  if (dot) *dot = ',';
  if ((raw & RS_FLAG_PROVISIONAL) && len + 1 < n) {
    buf[len++] = '*';
    buf[len] = '\0';
  }
  return len;
}

/* Plain CSV collects this many bytes of rows before each fwrite. */
enum { CHUNK = 1 << 16 };

gboolean rs_export_csv(const rs_table *t, const char *path, rs_csv_style style, GError **err) {
  bool excel = style == RS_CSV_EXCEL_NB;
  char delim = excel ? ';' : ',', decimal = excel ? ',' : '.';
  const char *eol = excel ? "\r\n" : "\n";
  size_t eol_len = strlen(eol);
  rs_atomic *a = rs_atomic_open(path, err);
  if (!a) return FALSE;
  FILE *fp = rs_atomic_file(a);
  GString *line = g_string_sized_new(CHUNK + 1024);
  char buf[64];
  gboolean ok = TRUE;
  for (size_t r = 0; r <= t->nrows && ok; r++) {
    if (excel) g_string_truncate(line, 0);  /* converted row by row, to name the row that fails */
    for (size_t j = 0; j < t->ncols; j++) {
      const rs_column *c = &t->cols[j];
      if (j) put(line, &delim, 1);
      if (r == 0) add_field(line, c->name, delim);
      else if (c->storage == RS_STORE_STR && rs_column_present(c, r - 1)) add_field(line, c->str[r - 1], delim);
      else {
        size_t n = format_cell(c, r - 1, decimal, buf, sizeof buf);
        add_field_len(line, buf, n, delim);
      }
    }
    put(line, eol, eol_len);
    if (excel) {
      GError *e = NULL;
      gsize wrote = 0;
      char *w = g_convert_with_fallback(line->str, (gssize)line->len, "WINDOWS-1252", "UTF-8", "?", NULL, &wrote, &e);
      if (!w) {
        g_set_error(err, RS_ERROR, RS_ERROR_ENCODING, "%s: row %zu cannot be written in Windows-1252: %s", path, r,
                    e->message);
        g_error_free(e);
        ok = FALSE;
        break;
      }
      fwrite(w, 1, wrote, fp);
      g_free(w);
    } else if (line->len >= CHUNK || r == t->nrows) {
      fwrite(line->str, 1, line->len, fp);
      g_string_truncate(line, 0);
    }
  }
  g_string_free(line, TRUE);
  if (!ok) {
    rs_atomic_abort(a);
    return FALSE;
  }
  return rs_atomic_commit(a, err);
}

/* '|' and '=' separate codes and labels in the codebook's cells. */
static void add_clean(GString *g, const char *s) {
  for (; s && *s; s++) g_string_append_c(g, *s == '|' ? '/' : *s == '\n' || *s == '\r' ? ' ' : *s);
}

gboolean rs_export_codebook(const rs_table *t, const char *path, GError **err) {
  GString *out = g_string_new("name,label_nb,label_en,type,min,max,reverse,missing,values,index\n");
  GString *cell = g_string_new(NULL);
  char num[32];
  for (size_t j = 0; j < t->ncols; j++) {
    const rs_column *c = &t->cols[j];
    const rs_cb_var *v = c->var;
    add_field(out, c->name, ',');
    g_string_append_c(out, ',');
    add_field(out, v && v->label_nb ? v->label_nb : "", ',');
    g_string_append_c(out, ',');
    add_field(out, v && v->label_en ? v->label_en : "", ',');
    g_string_append_printf(out, ",%s,", rs_type_name(c->type));
    if (v && v->has_min) { rs_value_format_double(v->min, num); g_string_append(out, num); }
    g_string_append_c(out, ',');
    if (v && v->has_max) { rs_value_format_double(v->max, num); g_string_append(out, num); }
    g_string_append_printf(out, ",%d,", v && v->reverse ? 1 : 0);
    g_string_truncate(cell, 0);
    for (size_t k = 0; v && k < v->n_missing; k++) {
      if (k) g_string_append_c(cell, '|');
      add_clean(cell, v->missing[k]);
    }
    add_field(out, cell->str, ',');
    g_string_append_c(out, ',');
    g_string_truncate(cell, 0);
    for (size_t k = 0; v && k < v->n_values; k++) {
      if (k) g_string_append_c(cell, '|');
      add_clean(cell, v->values[k].code);
      g_string_append_c(cell, '=');
      add_clean(cell, v->values[k].label);
    }
    add_field(out, cell->str, ',');
    g_string_append_c(out, ',');
    add_field(out, v && v->index ? v->index : "", ',');
    g_string_append_c(out, '\n');
  }
  g_string_free(cell, TRUE);
  gboolean ok = rs_atomic_write(path, out->str, (gssize)out->len, err);
  g_string_free(out, TRUE);
  return ok;
}
