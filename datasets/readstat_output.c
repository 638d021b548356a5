/* readstat_output.c — an rs_table to .sav/.zsav/.por/.dta/.sas7bdat with ReadStat's
 * writer, following its documented sequence: writer_init, data writer,
 * label sets, variables, begin_writing_*, then per row begin_row, one
 * insert_* per variable, end_row, and finally end_writing.
 */
#include "config.h"
#include "datasets/readstat_output.h"
#include "datasets/atomic.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/readstat_input.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef HAVE_READSTAT

gboolean rs_readstat_write(const rs_table *t, const char *path, rs_output_format fmt, const char *lang, GError **err) {
  (void)t; (void)lang;
  static const char *const ext[] = {"sav", "zsav", "por", "dta", "sas7bdat"};
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
              "%s: writing .%s files needs reformstat built with ReadStat (Debian libreadstat-dev)", path, ext[fmt]);
  return FALSE;
}

#else
#include <readstat.h>

/* ReadStat hands the begin_writing_* context to both the data writer and
 * the error handler. */
typedef struct {
  FILE *fp;
  char *message;
} wctx;

static ssize_t write_bytes(const void *data, size_t len, void *ctx) {
  wctx *w = ctx;
  return fwrite(data, 1, len, w->fp) == len ? (ssize_t)len : -1;
}

static void on_write_error(const char *msg, void *ctx) {
  wctx *w = ctx;
  if (!w->message && msg) w->message = g_strdup(msg);
}

/* The letter a .dta file uses for a missing code: its place in the
 * variable's missing list (.a for the first), or 0. */
static char dta_tag_of_code(const rs_cb_var *v, double x) {
  if (!v) return 0;
  char t = rs_missing_tag(x);
  if (t) return t;
  size_t letter = 0;
  for (size_t k = 0; k < v->n_missing; k++) {
    if (v->missing[k][0] == '.' && v->missing[k][1] >= 'a' && v->missing[k][1] <= 'z' && !v->missing[k][2]) continue;
    if (isnan(v->missing_num[k])) continue;
    if (v->missing_num[k] == x) return letter < 26 ? (char)('a' + letter) : 0;
    letter++;
  }
  /* then one letter per missing range (97..99 all become the same letter) */
  for (size_t k = 0; k < v->n_missing_ranges; k++, letter++)
    if (x >= v->missing_lo[k] && x <= v->missing_hi[k]) return letter < 26 ? (char)('a' + letter) : 0;
  return 0;
}

/* Portable files hold only the SPSS portable character set: æøå and the
 * rest are transliterated (ø -> oe, æ -> ae), as SPSS itself does. */
static char *text_for(rs_output_format fmt, const char *s) {
  return fmt == RS_OUTPUT_POR ? g_str_to_ascii(s, "C") : g_strdup(s);
}

static const char *var_label(const rs_cb_var *v, const char *lang) {
  if (!v) return NULL;
  if (lang && strcmp(lang, "en") == 0 && v->label_en && *v->label_en) return v->label_en;
  return v->label_nb;
}

static const char *format_title(rs_output_format fmt) {
  return fmt == RS_OUTPUT_DTA ? "Stata" : fmt == RS_OUTPUT_SAS7BDAT ? "SAS" : "SPSS";
}

gboolean rs_readstat_write(const rs_table *t, const char *path, rs_output_format fmt, const char *lang, GError **err) {
  /* sas: no value labels (a separate format catalog), no user-missing
   * values; missing codes become special missing .A–.Z as in .dta */
  bool sas = fmt == RS_OUTPUT_SAS7BDAT, dta = fmt == RS_OUTPUT_DTA, spss = !dta && !sas;
  for (size_t j = 0; j < t->ncols; j++) {
    if (t->cols[j].storage != RS_STORE_STR) continue;
    for (size_t i = 0; i < t->nrows; i++)
      if (t->cols[j].str[i] && strlen(t->cols[j].str[i]) > (dta ? 2045u : 32767u)) {
        g_set_error(err, RS_ERROR, RS_ERROR_LIMIT, "%s: column '%s', row %zu: text longer than the %s bytes a %s file holds",
                    path, t->cols[j].name, i + 1, dta ? "2045" : "32767", format_title(fmt));
        return FALSE;
      }
  }
  rs_atomic *a = rs_atomic_open(path, err);
  if (!a) return FALSE;
  wctx w = {.fp = rs_atomic_file(a)};
  readstat_writer_t *wr = readstat_writer_init();
  readstat_set_data_writer(wr, write_bytes);
  readstat_writer_set_error_handler(wr, on_write_error);
  if (fmt == RS_OUTPUT_ZSAV) readstat_writer_set_compression(wr, READSTAT_COMPRESS_BINARY);
  else if (fmt == RS_OUTPUT_SAV) readstat_writer_set_compression(wr, READSTAT_COMPRESS_ROWS);
  if (dta) readstat_writer_set_file_format_version(wr, 118);
  readstat_variable_t **vars = g_new0(readstat_variable_t *, t->ncols ? t->ncols : 1);
  readstat_error_t e = READSTAT_OK;
  const char *bad_col = NULL;
  for (size_t j = 0; j < t->ncols && e == READSTAT_OK; j++) {
    const rs_column *c = &t->cols[j];
    const rs_cb_var *v = c->var;
    size_t width = 1;
    if (c->storage == RS_STORE_STR)
      for (size_t i = 0; i < t->nrows; i++)
        if (c->str[i]) width = MAX(width, strlen(c->str[i]));
    /* value labels */
    readstat_label_set_t *ls = NULL;
    if (v && v->n_values > 0 && !sas) {
      if (c->storage == RS_STORE_NUM) {
        ls = readstat_add_label_set(wr, dta ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, c->name);
        for (size_t k = 0; k < v->n_values; k++) {
          const rs_value_label *l = &v->values[k];
          char tag = 0;
          if (l->code[0] == '.' && l->code[1] >= 'a' && l->code[1] <= 'z' && !l->code[2]) tag = l->code[1];
          if (dta) {
            if (!tag && !isnan(l->value) && rs_cb_var_is_missing_code(v, l->code, strlen(l->code), true, l->value))
              tag = dta_tag_of_code(v, l->value);
            if (tag) readstat_label_tagged_value(ls, tag, l->label);
            else if (!isnan(l->value) && l->value == floor(l->value) && fabs(l->value) < 2147483000.0)
              readstat_label_int32_value(ls, (int32_t)l->value, l->label);
          } else if (!tag && !isnan(l->value)) {
            char *lt = text_for(fmt, l->label);
            readstat_label_double_value(ls, l->value, lt);
            g_free(lt);
          }
        }
      } else if (spss && width <= 8) {
        ls = readstat_add_label_set(wr, READSTAT_TYPE_STRING, c->name);
        for (size_t k = 0; k < v->n_values; k++) {
          char *ct = text_for(fmt, v->values[k].code), *lt = text_for(fmt, v->values[k].label);
          readstat_label_string_value(ls, ct, lt);
          g_free(ct);
          g_free(lt);
        }
      }
    }
    /* portable files hold upper-case names of up to 8 characters */
    char *name = fmt == RS_OUTPUT_POR ? g_ascii_strup(c->name, -1) : g_strdup(c->name);
    readstat_variable_t *rv = readstat_add_variable(wr, name, c->storage == RS_STORE_STR ? READSTAT_TYPE_STRING : READSTAT_TYPE_DOUBLE,
                                                    c->storage == RS_STORE_STR ? width : 0);
    g_free(name);
    vars[j] = rv;
    const char *label = var_label(v, lang);
    if (label && *label) {
      char *l = text_for(fmt, label);
      readstat_variable_set_label(rv, l);
      g_free(l);
    }
    if (ls) readstat_variable_set_label_set(rv, ls);
    switch (c->type) {
      case RS_TYPE_LIKERT: readstat_variable_set_measure(rv, READSTAT_MEASURE_ORDINAL); break;
      case RS_TYPE_CATEGORY: case RS_TYPE_ID: case RS_TYPE_STRING: case RS_TYPE_KOMMUNE: case RS_TYPE_FYLKE:
        readstat_variable_set_measure(rv, READSTAT_MEASURE_NOMINAL); break;
      default: readstat_variable_set_measure(rv, READSTAT_MEASURE_SCALE); break;
    }
    if (c->type == RS_TYPE_DATE) readstat_variable_set_format(rv, dta ? "%td" : sas ? "DATE9" : "DATE11");
    else if (spss && c->storage == RS_STORE_NUM &&
             (c->type == RS_TYPE_INTEGER || c->type == RS_TYPE_LIKERT || c->type == RS_TYPE_CATEGORY))
      readstat_variable_set_format(rv, "F8.0");
    if (spss && v && c->storage == RS_STORE_NUM) {
      for (size_t k = 0; k < v->n_missing; k++)
        if (!isnan(v->missing_num[k])) readstat_variable_add_missing_double_value(rv, v->missing_num[k]);
      for (size_t k = 0; k < v->n_missing_ranges; k++)
        readstat_variable_add_missing_double_range(rv, v->missing_lo[k], v->missing_hi[k]);
    }
    if (spss && v && c->storage == RS_STORE_STR)
      for (size_t k = 0; k < v->n_missing; k++) readstat_variable_add_missing_string_value(rv, v->missing[k]);
  }
  long rows = (long)t->nrows;
  switch (fmt) {
    case RS_OUTPUT_DTA: e = readstat_begin_writing_dta(wr, &w, rows); break;
    case RS_OUTPUT_POR: e = readstat_begin_writing_por(wr, &w, rows); break;
    case RS_OUTPUT_SAS7BDAT: e = readstat_begin_writing_sas7bdat(wr, &w, rows); break;
    default: e = readstat_begin_writing_sav(wr, &w, rows); break;
  }
  if (e == READSTAT_OK) {
    for (size_t j = 0; j < t->ncols && e == READSTAT_OK; j++) {
      e = readstat_validate_variable(wr, vars[j]);
      if (e != READSTAT_OK) bad_col = t->cols[j].name;
    }
  }
  for (size_t i = 0; i < t->nrows && e == READSTAT_OK; i++) {
    e = readstat_begin_row(wr);
    for (size_t j = 0; j < t->ncols && e == READSTAT_OK; j++) {
      const rs_column *c = &t->cols[j];
      readstat_variable_t *rv = vars[j];
      rs_miss m = rs_column_miss(c, i);
      if (c->storage == RS_STORE_STR) {
        if (m == RS_MISS_NONE && fmt == RS_OUTPUT_POR) {
          char *st = text_for(fmt, c->str[i]);
          e = readstat_insert_string_value(wr, rv, st);
          g_free(st);
        } else {
          e = m == RS_MISS_NONE ? readstat_insert_string_value(wr, rv, c->str[i]) : readstat_insert_missing_value(wr, rv);
        }
        continue;
      }
      double x = c->num[i];
      if (m == RS_MISS_NONE) {
        if (c->type == RS_TYPE_DATE) x = dta || sas ? x + 3653.0 : (x + 141428.0) * 86400.0;
        e = readstat_insert_double_value(wr, rv, x);
      } else if (m == RS_MISS_CODE && (dta || sas)) {
        char tag = dta_tag_of_code(c->var, x);
        if (sas) tag = g_ascii_toupper(tag);
        e = tag ? readstat_insert_tagged_missing_value(wr, rv, tag) : readstat_insert_missing_value(wr, rv);
      } else if (m == RS_MISS_CODE && !rs_missing_tag(x) && !isnan(x)) {
        e = readstat_insert_double_value(wr, rv, x);
      } else {
        e = readstat_insert_missing_value(wr, rv);
      }
      if (e != READSTAT_OK) bad_col = c->name;
    }
    if (e == READSTAT_OK) e = readstat_end_row(wr);
  }
  if (e == READSTAT_OK) e = readstat_end_writing(wr);
  readstat_writer_free(wr);
  g_free(vars);
  if (e != READSTAT_OK) {
    rs_atomic_abort(a);
    g_set_error(err, RS_ERROR, e == READSTAT_ERROR_WRITE ? RS_ERROR_IO : RS_ERROR_VALUE, "%s: cannot write the %s file%s%s%s: %s",
                path, format_title(fmt), bad_col ? " (column '" : "", bad_col ? bad_col : "", bad_col ? "')" : "",
                w.message ? w.message : readstat_error_message(e));
    g_free(w.message);
    return FALSE;
  }
  g_free(w.message);
  return rs_atomic_commit(a, err);
}

#endif /* HAVE_READSTAT */
