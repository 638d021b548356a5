/* county-write.c — one fylke's files: tables as CSV (and Excel), the PDF.
 * See county-write.h. */
#include "report/county-write.h"

#include "datasets/atomic.h"
#include "datasets/error.h"
#include "report/tables.h"

#include <glib/gstdio.h>
#include <string.h>

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
    gboolean ok = rs_tables_write_csv(t, path, rs_county_lang(c), err);
    g_free(path);
    if (!ok) {
      g_free(name);
      forget(f->dir, written, start);
      return FALSE;
    }
    g_ptr_array_add(written, name);
  }
  if (f->xlsx) {
    char *name = g_strdup_printf("%s.xlsx", r->stem);
    char *path = g_build_filename(f->dir, name, NULL);
    gboolean ok = rs_tables_write_xlsx((rs_pubtable *const *)r->tables->pdata, r->tables->len, path, rs_county_lang(c), err);
    g_free(path);
    if (!ok) {
      g_free(name);
      forget(f->dir, written, start);
      return FALSE;
    }
    g_ptr_array_add(written, name);
  }
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
  return TRUE;
}
