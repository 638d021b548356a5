/* tables.c — published tables as CSV (nb/en dialects) and as one Excel
 * workbook (libxlsxwriter).  See tables.h for the formats.
 *
 * Both writers take the cell text from rs_pubtable_cell_text(), so the
 * symbol logic (':' '-' '.') lives in one place (disclosure.c) and a
 * suppressed value cannot leak through a second formatting path; the xlsx
 * writer reads the numeric value of a cell only when its state is
 * RS_CELL_VALUE.  Before writing, each table is audited again
 * (rs_disclosure_audit): a table that was never suppressed, or was changed
 * after suppression, is refused here rather than published.
 */
#include "report/tables.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "datasets/atomic.h"
#include "datasets/error.h"

/* ---- shared checks -------------------------------------------------------- */

static gboolean lang_is_en(const char *lang, gboolean *en, GError **err) {
  if (!lang || strcmp(lang, "nb") == 0) {
    *en = FALSE;
    return TRUE;
  }
  if (strcmp(lang, "en") == 0) {
    *en = TRUE;
    return TRUE;
  }
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "unknown language '%s' for tables: use nb or en", lang);
  return FALSE;
}

/* The last line of defence: only a suppressed table that passes the audit
 * is written. */
static gboolean check_publishable(const rs_pubtable *t, GError **err) {
  const char *id = t->id ? t->id : "(unnamed)";
  if (!(t->min_n > 0)) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL,
                "table '%s' has not been through disclosure control (rs_disclosure_suppress); "
                "it was not written", id);
    return FALSE;
  }
  rs_audit_result res = {0};
  GError *aerr = NULL;
  gboolean safe = rs_disclosure_audit(t, t->min_n, &res, &aerr);
  if (aerr) {
    g_propagate_prefixed_error(err, aerr, "table '%s': ", id);
    rs_audit_result_clear(&res);
    return FALSE;
  }
  if (!safe) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "table '%s' fails the disclosure audit and was not written: %s",
                id, res.message ? res.message : "(no detail)");
    rs_audit_result_clear(&res);
    return FALSE;
  }
  rs_audit_result_clear(&res);
  return TRUE;
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_field(GString *s, const char *f, char delim) {
  if (!f) f = "";
  gboolean quote = strchr(f, delim) || strchr(f, '"') || strchr(f, '\r') || strchr(f, '\n');
  if (!quote) {
    g_string_append(s, f);
    return;
  }
  g_string_append_c(s, '"');
  for (const char *p = f; *p; p++) {
    if (*p == '"') g_string_append_c(s, '"');
    g_string_append_c(s, *p);
  }
  g_string_append_c(s, '"');
}

/* Cell text for machines: cell_text without grouping and with ASCII minus
 * (decimal_comma = false gives exactly that), then ',' for '.' in nb.  Only
 * a published number is touched: the symbols come back unchanged. */
static char *csv_cell(const rs_pubtable *t, size_t r, size_t c, int part, gboolean nb) {
  char *s = rs_pubtable_cell_text(t, r, c, part, false);
  if (nb && rs_pubtable_cell_c(t, r, c)->state == RS_CELL_VALUE && strcmp(s, ".") != 0) {
    char *dot = strchr(s, '.');
    if (dot) *dot = ',';
  }
  return s;
}

char *rs_tables_csv_text(const rs_pubtable *t, const char *lang, size_t *len, GError **err) {
  gboolean en;
  if (!lang_is_en(lang, &en, err) || !check_publishable(t, err)) return NULL;
  const char delim = en ? ',' : ';';
  const char *eol = en ? "\n" : "\r\n";
  GString *s = g_string_new(en ? "" : "\xEF\xBB\xBF");
  char sep[2] = {delim, 0};

  /* header: machine names only */
  if (t->code_header) {
    csv_field(s, "code", delim);
    g_string_append(s, sep);
  }
  csv_field(s, "label", delim);
  for (size_t c = 0; c < t->ncols; c++) {
    const char *key = t->cols[c].key ? t->cols[c].key : "";
    g_string_append(s, sep);
    csv_field(s, key, delim);
    if (t->cols[c].has_ci) {
      char *lo = g_strdup_printf("%s_lower", key), *hi = g_strdup_printf("%s_upper", key);
      g_string_append(s, sep);
      csv_field(s, lo, delim);
      g_string_append(s, sep);
      csv_field(s, hi, delim);
      g_free(lo);
      g_free(hi);
    }
  }
  g_string_append(s, eol);

  for (size_t r = 0; r < t->nrows; r++) {
    if (t->code_header) {
      csv_field(s, t->rows[r].code, delim);
      g_string_append(s, sep);
    }
    csv_field(s, t->rows[r].label, delim);
    for (size_t c = 0; c < t->ncols; c++) {
      int nparts = t->cols[c].has_ci ? 3 : 1;
      for (int part = 0; part < nparts; part++) {
        char *f = csv_cell(t, r, c, part, !en);
        g_string_append(s, sep);
        csv_field(s, f, delim);
        g_free(f);
      }
    }
    g_string_append(s, eol);
  }
  if (len) *len = s->len;
  return g_string_free(s, FALSE);
}

gboolean rs_tables_write_csv(const rs_pubtable *t, const char *path, const char *lang, GError **err) {
  size_t len;
  char *text = rs_tables_csv_text(t, lang, &len, err);
  if (!text) return FALSE;
  gboolean ok = rs_atomic_write(path, text, (gssize)len, err);
  g_free(text);
  return ok;
}

/* ---- sheet names ---------------------------------------------------------- */

#define SHEET_MAX 31  /* Excel's limit, in characters */

/* First `max` UTF-8 characters of s (s is valid UTF-8 or ASCII). */
static char *utf8_head(const char *s, long max) {
  if (g_utf8_strlen(s, -1) <= max) return g_strdup(s);
  return g_utf8_substring(s, 0, max);
}

static gboolean name_taken(GPtrArray *used, const char *name) {
  char *fold = g_utf8_casefold(name, -1);
  gboolean taken = FALSE;
  for (size_t i = 0; i < used->len && !taken; i++) {
    char *u = g_utf8_casefold(g_ptr_array_index(used, i), -1);
    taken = strcmp(u, fold) == 0;
    g_free(u);
  }
  g_free(fold);
  return taken;
}

static char *sheet_name(const char *id, GPtrArray *used) {
  char *clean = g_strdup(id && *id ? id : "tabell");
  if (!g_utf8_validate(clean, -1, NULL)) {
    /* ids are ASCII by contract; a broken one still gets a usable name */
    g_free(clean);
    clean = g_strdup("tabell");
  }
  for (char *p = clean; *p; p++)
    if (strchr("[]:*?/\\", *p)) *p = '_';
  /* Excel also refuses a name that starts or ends with an apostrophe */
  if (clean[0] == '\'') clean[0] = '_';
  size_t l = strlen(clean);
  if (l > 0 && clean[l - 1] == '\'') clean[l - 1] = '_';
  char *name = utf8_head(clean, SHEET_MAX);
  for (int k = 2; name_taken(used, name); k++) {
    char suffix[16];
    snprintf(suffix, sizeof suffix, "_%d", k);
    char *head = utf8_head(clean, SHEET_MAX - (long)strlen(suffix));
    g_free(name);
    name = g_strconcat(head, suffix, NULL);
    g_free(head);
  }
  g_free(clean);
  g_ptr_array_add(used, g_strdup(name));
  return name;
}

char **rs_tables_sheet_names(rs_pubtable *const *tables, size_t ntables, const char *lang) {
  gboolean en = lang && strcmp(lang, "en") == 0;
  const char *symbols = en ? "Symbols" : "Tegnforklaring";
  GPtrArray *used = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(used, g_strdup(symbols));  /* reserved: a table called so is renamed */
  char **names = g_new0(char *, ntables + 2);
  for (size_t i = 0; i < ntables; i++) names[i] = sheet_name(tables[i]->id, used);
  names[ntables] = g_strdup(symbols);
  g_ptr_array_free(used, TRUE);
  return names;
}

/* ---- xlsx ----------------------------------------------------------------- */

typedef struct {
  lxw_workbook *wb;
  lxw_format *title, *header, *header_num, *text, *text_bold, *symbol, *symbol_bold, *note;
  GHashTable *numfmt;  /* "decimals:bold" -> lxw_format* (owned by the workbook) */
  gboolean en;
} xl;

static lxw_format *num_format(xl *x, int decimals, gboolean bold) {
  if (decimals < 0) decimals = 0;
  if (decimals > 15) decimals = 15;
  char *key = g_strdup_printf("%d:%d", decimals, bold ? 1 : 0);
  lxw_format *f = g_hash_table_lookup(x->numfmt, key);
  if (f) {
    g_free(key);
    return f;
  }
  GString *code = g_string_new("#,##0");
  if (decimals > 0) {
    g_string_append_c(code, '.');
    for (int i = 0; i < decimals; i++) g_string_append_c(code, '0');
  }
  f = workbook_add_format(x->wb);
  format_set_num_format(f, code->str);
  if (bold) format_set_bold(f);
  g_string_free(code, TRUE);
  g_hash_table_insert(x->numfmt, key, f);
  return f;
}

static void make_formats(xl *x) {
  x->title = workbook_add_format(x->wb);
  format_set_bold(x->title);
  format_set_font_size(x->title, 12);
  x->header = workbook_add_format(x->wb);
  format_set_bold(x->header);
  format_set_text_wrap(x->header);
  format_set_align(x->header, LXW_ALIGN_VERTICAL_BOTTOM);
  format_set_bottom(x->header, LXW_BORDER_THIN);
  x->header_num = workbook_add_format(x->wb);
  format_set_bold(x->header_num);
  format_set_text_wrap(x->header_num);
  format_set_align(x->header_num, LXW_ALIGN_RIGHT);
  format_set_align(x->header_num, LXW_ALIGN_VERTICAL_BOTTOM);
  format_set_bottom(x->header_num, LXW_BORDER_THIN);
  x->text = workbook_add_format(x->wb);
  format_set_num_format(x->text, "@");  /* codes stay text when edited */
  x->text_bold = workbook_add_format(x->wb);
  format_set_num_format(x->text_bold, "@");
  format_set_bold(x->text_bold);
  x->symbol = workbook_add_format(x->wb);
  format_set_align(x->symbol, LXW_ALIGN_RIGHT);
  x->symbol_bold = workbook_add_format(x->wb);
  format_set_align(x->symbol_bold, LXW_ALIGN_RIGHT);
  format_set_bold(x->symbol_bold);
  x->note = workbook_add_format(x->wb);
  format_set_italic(x->note);
}

/* "Medhold (%)", or the label alone without a unit. */
static char *col_header(const rs_pubcol *c, int part, gboolean en) {
  const char *label = c->label ? c->label : (c->key ? c->key : "");
  GString *s = g_string_new(label);
  if (c->unit && *c->unit) g_string_append_printf(s, " (%s)", c->unit);
  if (part == 1) g_string_append(s, en ? ", CI lower" : ", nedre KI-grense");
  if (part == 2) g_string_append(s, en ? ", CI upper" : ", øvre KI-grense");
  return g_string_free(s, FALSE);
}

/* Collects the first libxlsxwriter error of a sheet. */
#define XL(call)                                   \
  do {                                             \
    lxw_error e_ = (call);                         \
    if (e_ != LXW_NO_ERROR && *xerr == LXW_NO_ERROR) *xerr = e_; \
  } while (0)

static void write_table_sheet(xl *x, lxw_worksheet *ws, const rs_pubtable *t, lxw_error *xerr) {
  lxw_col_t c0 = t->code_header ? 1 : 0;  /* column of the row labels */
  /* widths first (constant-memory mode wants them before any cell) */
  if (t->code_header) XL(worksheet_set_column(ws, 0, 0, 11, NULL));
  double wlabel = 14;
  for (size_t r = 0; r < t->nrows; r++) {
    double w = t->rows[r].label ? (double)g_utf8_strlen(t->rows[r].label, -1) + 2 : 0;
    if (w > wlabel) wlabel = w;
  }
  if (wlabel > 45) wlabel = 45;
  XL(worksheet_set_column(ws, c0, c0, wlabel, NULL));
  size_t nout = 0;
  for (size_t c = 0; c < t->ncols; c++) nout += t->cols[c].has_ci ? 3 : 1;
  if (nout) XL(worksheet_set_column(ws, c0 + 1, (lxw_col_t)(c0 + nout), 13, NULL));

  XL(worksheet_write_string(ws, 0, 0, t->title ? t->title : (t->id ? t->id : ""), x->title));

  /* header */
  if (t->code_header) XL(worksheet_write_string(ws, 1, 0, t->code_header, x->header));
  XL(worksheet_write_string(ws, 1, c0, t->stub ? t->stub : "", x->header));
  lxw_col_t col = c0 + 1;
  for (size_t c = 0; c < t->ncols; c++) {
    int nparts = t->cols[c].has_ci ? 3 : 1;
    for (int part = 0; part < nparts; part++) {
      char *h = col_header(&t->cols[c], part, x->en);
      XL(worksheet_write_string(ws, 1, col++, h, x->header_num));
      g_free(h);
    }
  }
  worksheet_freeze_panes(ws, 2, 0);

  /* body */
  for (size_t r = 0; r < t->nrows; r++) {
    lxw_row_t row = (lxw_row_t)(r + 2);
    gboolean bold = t->rows[r].role != RS_ROLE_UNIT;
    if (t->code_header && t->rows[r].code)
      XL(worksheet_write_string(ws, row, 0, t->rows[r].code, bold ? x->text_bold : x->text));
    XL(worksheet_write_string(ws, row, c0, t->rows[r].label ? t->rows[r].label : "", bold ? x->text_bold : NULL));
    col = c0 + 1;
    for (size_t c = 0; c < t->ncols; c++) {
      const rs_pubcell *cell = rs_pubtable_cell_c(t, r, c);
      int nparts = t->cols[c].has_ci ? 3 : 1;
      for (int part = 0; part < nparts; part++, col++) {
        double v = part == 1 ? cell->ci_low : part == 2 ? cell->ci_high : cell->value;
        if (cell->state == RS_CELL_VALUE && !isnan(v) && isfinite(v)) {
          XL(worksheet_write_number(ws, row, col, v, num_format(x, t->cols[c].decimals, bold)));
        } else {
          /* the symbol, from the one function that decides it */
          char *s = rs_pubtable_cell_text(t, r, c, part, false);
          XL(worksheet_write_string(ws, row, col, s, bold ? x->symbol_bold : x->symbol));
          g_free(s);
        }
      }
    }
  }

  /* notes */
  lxw_row_t row = (lxw_row_t)(t->nrows + 3);
  for (size_t i = 0; t->notes && i < t->notes->len; i++)
    XL(worksheet_write_string(ws, row++, 0, g_ptr_array_index(t->notes, i), x->note));
}

static char *fmt_min_n(double m) { return g_strdup_printf("%g", m); }

static void write_symbols_sheet(xl *x, lxw_worksheet *ws, rs_pubtable *const *tables, size_t ntables,
                                lxw_error *xerr) {
  /* the tables' thresholds, each once, in order of appearance */
  GString *mins = g_string_new(NULL);
  GArray *seen = g_array_new(FALSE, FALSE, sizeof(double));
  for (size_t i = 0; i < ntables; i++) {
    double m = tables[i]->min_n;
    gboolean dup = FALSE;
    for (size_t j = 0; j < seen->len; j++) dup |= g_array_index(seen, double, j) == m;
    if (dup) continue;
    g_array_append_val(seen, m);
    char *s = fmt_min_n(m);
    if (mins->len) g_string_append(mins, x->en ? " or " : " eller ");
    g_string_append(mins, s);
    g_free(s);
  }
  if (!mins->len) g_string_append_printf(mins, "%d", RS_DISCLOSURE_MIN_N);
  g_array_free(seen, TRUE);

  XL(worksheet_set_column(ws, 0, 0, 8, NULL));
  XL(worksheet_set_column(ws, 1, 1, 100, NULL));
  XL(worksheet_write_string(ws, 0, 0, x->en ? "Symbols" : "Tegnforklaring", x->title));
  XL(worksheet_write_string(ws, 1, 0, x->en ? "Symbol" : "Tegn", x->header));
  XL(worksheet_write_string(ws, 1, 1, x->en ? "Meaning" : "Betydning", x->header));
  char *supp = x->en
    ? g_strdup_printf("Suppressed so that no person can be identified: the figure rests on fewer than %s persons, "
                      "or it is hidden so that such a figure cannot be worked out from the other figures in the table.",
                      mins->str)
    : g_strdup_printf("Vises ikke, for at ingen skal kunne kjennes igjen: tallet bygger på færre enn %s personer, "
                      "eller det er skjult for at et slikt tall ikke skal kunne regnes ut fra de andre tallene i "
                      "tabellen.", mins->str);
  const char *rows[3][2] = {
    {":", supp},
    {"-", x->en ? "Zero: nobody in the group." : "Null: ingen i gruppen."},
    {".", x->en ? "Cannot be computed, or does not apply (for example a mean over nobody)."
                : "Kan ikke beregnes, eller gjelder ikke (for eksempel et gjennomsnitt over ingen)."},
  };
  for (int i = 0; i < 3; i++) {
    XL(worksheet_write_string(ws, (lxw_row_t)(i + 2), 0, rows[i][0], x->symbol));
    XL(worksheet_write_string(ws, (lxw_row_t)(i + 2), 1, rows[i][1], NULL));
  }
  g_free(supp);
  g_string_free(mins, TRUE);
}

/* Builds the workbook at `file`.  FALSE with err on any failure (the caller
 * removes the file). */
static gboolean build_workbook(rs_pubtable *const *tables, size_t ntables, const char *file, gboolean en,
                               const char *shown_path, GError **err) {
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(file, &opt);
  if (!wb) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot start the Excel workbook (out of memory)", shown_path);
    return FALSE;
  }
  xl x = {.wb = wb, .en = en, .numfmt = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
  make_formats(&x);
  /* reproducible files: the creation time comes from SOURCE_DATE_EPOCH when set */
  const char *sde = g_getenv("SOURCE_DATE_EPOCH");
  lxw_doc_properties props = {.title = NULL};
  props.author = "reformstat";
  if (sde && *sde) props.created = (time_t)g_ascii_strtoll(sde, NULL, 10);
  workbook_set_properties(wb, &props);

  char **names = rs_tables_sheet_names(tables, ntables, en ? "en" : "nb");
  lxw_error xerr = LXW_NO_ERROR;
  const char *failed_at = NULL;
  for (size_t i = 0; i <= ntables && xerr == LXW_NO_ERROR; i++) {
    lxw_error verr = workbook_validate_sheet_name(wb, names[i]);
    lxw_worksheet *ws = verr == LXW_NO_ERROR ? workbook_add_worksheet(wb, names[i]) : NULL;
    if (!ws) {
      failed_at = names[i];
      xerr = verr != LXW_NO_ERROR ? verr : LXW_ERROR_MEMORY_MALLOC_FAILED;
      break;
    }
    if (i < ntables) write_table_sheet(&x, ws, tables[i], &xerr);
    else write_symbols_sheet(&x, ws, tables, ntables, &xerr);
    if (xerr != LXW_NO_ERROR) failed_at = names[i];
  }
  lxw_error cerr = workbook_close(wb);  /* writes the file; frees wb in every case */
  g_hash_table_destroy(x.numfmt);
  gboolean ok = TRUE;
  if (xerr != LXW_NO_ERROR) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "%s: sheet '%s': %s", shown_path, failed_at ? failed_at : "?",
                lxw_strerror(xerr));
    ok = FALSE;
  } else if (cerr != LXW_NO_ERROR) {
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write the Excel workbook: %s%s%s", shown_path,
                lxw_strerror(cerr), e ? ": " : "", e ? g_strerror(e) : "");
    ok = FALSE;
  }
  g_strfreev(names);
  return ok;
}

gboolean rs_tables_write_xlsx(rs_pubtable *const *tables, size_t ntables, const char *path, const char *lang,
                              GError **err) {
  gboolean en;
  if (!lang_is_en(lang, &en, err)) return FALSE;
  for (size_t i = 0; i < ntables; i++)
    if (!check_publishable(tables[i], err)) return FALSE;

  rs_atomic *a = rs_atomic_open(path, err);
  if (!a) return FALSE;
  const char *tmp = rs_atomic_tmp_path(a);
  if (tmp) {
    /* libxlsxwriter opens the temporary itself (same inode as rs_atomic's
     * descriptor, which the commit fsyncs and renames) */
    errno = 0;
    if (!build_workbook(tables, ntables, tmp, en, path, err)) {
      rs_atomic_abort(a);
      return FALSE;
    }
    return rs_atomic_commit(a, err);
  }
  /* standard output or a device: build in a private temporary, then copy */
  GError *terr = NULL;
  char *priv = NULL;
  int fd = g_file_open_tmp("reformstat-XXXXXX.xlsx", &priv, &terr);
  if (fd < 0) {
    g_propagate_prefixed_error(err, terr, "%s: ", path);
    rs_atomic_abort(a);
    return FALSE;
  }
  close(fd);
  gchar *data = NULL;
  gsize len = 0;
  errno = 0;
  gboolean ok = build_workbook(tables, ntables, priv, en, path, err) &&
                g_file_get_contents(priv, &data, &len, err);
  g_unlink(priv);
  g_free(priv);
  if (!ok) {
    rs_atomic_abort(a);
    return FALSE;
  }
  if (fwrite(data, 1, len, rs_atomic_file(a)) != len) { /* the commit reports it */ }
  g_free(data);
  return rs_atomic_commit(a, err);
}
