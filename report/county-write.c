/* county-write.c — one fylke's files: tables as CSV (and Excel), the PDF.
 * See county-write.h. */
#include "report/county-write.h"

#include "datasets/atomic.h"
#include "datasets/error.h"

#include <glib/gstdio.h>
#include <string.h>

static void csv_field(GString *s, const char *v) {
  if (!v) return;
  if (strpbrk(v, ",\"\n\r")) {
    g_string_append_c(s, '"');
    for (const char *p = v; *p; p++) {
      if (*p == '"') g_string_append_c(s, '"');
      g_string_append_c(s, *p);
    }
    g_string_append_c(s, '"');
  } else {
    g_string_append(s, v);
  }
}

gboolean rs_county_write_csv(const rs_pubtable *t, const char *path, GError **err) {
  GString *s = g_string_new("code,label");
  for (size_t c = 0; c < t->ncols; c++) {
    g_string_append_printf(s, ",%s", t->cols[c].key);
    if (t->cols[c].has_ci) g_string_append_printf(s, ",%s_ci_low,%s_ci_high", t->cols[c].key, t->cols[c].key);
  }
  g_string_append_c(s, '\n');
  for (size_t r = 0; r < t->nrows; r++) {
    csv_field(s, t->rows[r].code);
    g_string_append_c(s, ',');
    csv_field(s, t->rows[r].label);
    for (size_t c = 0; c < t->ncols; c++) {
      for (int part = 0; part < (t->cols[c].has_ci ? 3 : 1); part++) {
        char *v = rs_pubtable_cell_text(t, r, c, part, false);
        g_string_append_c(s, ',');
        csv_field(s, v);
        g_free(v);
      }
    }
    g_string_append_c(s, '\n');
  }
  gboolean ok = rs_atomic_write(path, s->str, (gssize)s->len, err);
  g_string_free(s, TRUE);
  return ok;
}

static void forget(const char *dir, GPtrArray *written, guint from) {
  for (guint i = written->len; i > from; i--) {
    char *p = g_build_filename(dir, (char *)g_ptr_array_index(written, i - 1), NULL);
    g_unlink(p);
    g_free(p);
    g_ptr_array_remove_index(written, i - 1);
  }
}

gboolean rs_county_write(const rs_county_context *c, const rs_county *r, rs_county_files *f, GPtrArray *written,
                         GError **err) {
  guint start = written->len;
  f->pages = 0;
  for (guint i = 0; i < r->tables->len; i++) {
    const rs_pubtable *t = g_ptr_array_index(r->tables, i);
    char *name = g_strdup_printf("%s-%s.csv", r->stem, t->id);
    char *path = g_build_filename(f->dir, name, NULL);
    gboolean ok = rs_county_write_csv(t, path, err);
    g_free(path);
    if (!ok) {
      g_free(name);
      forget(f->dir, written, start);
      return FALSE;
    }
    g_ptr_array_add(written, name);
  }
#ifdef RS_COUNTY_PDF  /* until report/doc.h is on main */
  char *name = g_strdup_printf("%s.pdf", r->stem);
  char *path = g_build_filename(f->dir, name, NULL);
  int pages = 0;
  gboolean ok = rs_county_pdf_write(c, r, f, path, &pages, err);
  g_free(path);
  if (!ok) {
    g_free(name);
    forget(f->dir, written, start);
    return FALSE;
  }
  g_ptr_array_add(written, name);
  f->pages = (unsigned)pages;
#else
  (void)c;
#endif
  return TRUE;
}
