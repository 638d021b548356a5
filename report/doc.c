/* doc.c — the document: its block list (what the add functions record)
 * and writing it as PDF in two layout passes through a temporary file.
 * Placing each kind of block on the pages is in doc-layout.c and
 * doc-table.c; the API is described in doc.h. */
#include "config.h"
#include "report/doc-internal.h"
#include "datasets/atomic.h"
#include "datasets/error.h"

#include <cairo-pdf.h>
#include <string.h>

rs_doc *rs_doc_new(const char *lang, const char *running_header) {
  rs_doc *d = g_new0(rs_doc, 1);
  d->en = lang && strcmp(lang, "en") == 0;
  d->lang = g_strdup(d->en ? "en" : "nb");
  d->header = running_header && *running_header ? g_strdup(running_header) : NULL;
  d->blocks = g_ptr_array_new();
  return d;
}

static void block_free(rs_doc_block *b) {
  g_free(b->number);
  g_free(b->text);
  g_free(b->text2);
  g_free(b->text3);
  g_free(b->dest);
  if (b->table) rs_doc_table_free(b->table);
  if (b->free_data) b->free_data(b->data);
  g_free(b);
}

void rs_doc_free(rs_doc *d) {
  if (!d) return;
  for (guint i = 0; i < d->blocks->len; i++) block_free(g_ptr_array_index(d->blocks, i));
  g_ptr_array_unref(d->blocks);
  g_free(d->lang);
  g_free(d->header);
  g_free(d->meta_title);
  g_free(d->meta_author);
  g_free(d->meta_subject);
  g_free(d->problem);
  g_free(d);
}

void rs_doc_set_metadata(rs_doc *d, const char *title, const char *author, const char *subject) {
  g_return_if_fail(d != NULL);
  g_free(d->meta_title);
  g_free(d->meta_author);
  g_free(d->meta_subject);
  d->meta_title = g_strdup(title);
  d->meta_author = g_strdup(author);
  d->meta_subject = g_strdup(subject);
}

static rs_doc_block *add(rs_doc *d, rs_doc_kind kind) {
  rs_doc_block *b = g_new0(rs_doc_block, 1);
  b->kind = kind;
  g_ptr_array_add(d->blocks, b);
  return b;
}

/* Markup that pango cannot parse would print nothing (pango only warns);
 * keep it as plain text so the pass can go on, and remember the first
 * such problem for rs_doc_write_pdf to report. */
static char *checked_markup(rs_doc *d, const char *what, const char *markup) {
  if (!markup) return NULL;
  GError *e = NULL;
  if (g_utf8_validate(markup, -1, NULL) && pango_parse_markup(markup, -1, 0, NULL, NULL, NULL, &e))
    return g_strdup(markup);
  if (!d->problem) {
    /* g_utf8_substring reads past the end when asked for more characters than there are */
    char *start = g_utf8_validate(markup, -1, NULL) ? g_utf8_substring(markup, 0, MIN(60, g_utf8_strlen(markup, -1)))
                                                    : g_strdup("(not UTF-8)");
    d->problem = g_strdup_printf("%s %u: the text is not valid pango markup (%s): \"%s\"", what, d->blocks->len + 1,
                                 e ? e->message : "invalid UTF-8", start);
    g_free(start);
  }
  g_clear_error(&e);
  char *valid = g_utf8_make_valid(markup, -1);
  char *esc = g_markup_escape_text(valid, -1);
  g_free(valid);
  return esc;
}

/* The report's prose is written with two spaces after a full stop (as in
 * this source); typeset, that shows as a gap.  Runs of spaces become one. */
static char *single_spaced(char *m) {
  char *w = m;
  for (const char *r = m; *r; r++)
    if (!(*r == ' ' && w > m && w[-1] == ' ')) *w++ = *r;
  *w = '\0';
  return m;
}

static char *valid_text(const char *s) { return s ? g_utf8_make_valid(s, -1) : NULL; }

void rs_doc_title_page(rs_doc *d, const char *title, const char *subtitle, const char *body_markup) {
  g_return_if_fail(d != NULL);
  char *body = checked_markup(d, "block", body_markup);
  rs_doc_block *b = add(d, RS_BLK_TITLE);
  b->text = valid_text(title);
  b->text2 = valid_text(subtitle);
  b->text3 = body;
}

void rs_doc_toc(rs_doc *d) {
  g_return_if_fail(d != NULL);
  add(d, RS_BLK_TOC);
}

void rs_doc_heading(rs_doc *d, int level, const char *text) {
  g_return_if_fail(d != NULL);
  level = CLAMP(level, 1, 3);
  d->counters[level - 1]++;
  for (int i = level; i < 3; i++) d->counters[i] = 0;
  GString *num = g_string_new(NULL);
  for (int i = 0; i < level; i++) g_string_append_printf(num, "%s%d", i ? "." : "", d->counters[i]);
  rs_doc_block *b = add(d, RS_BLK_HEADING);
  b->level = level;
  b->number = g_string_free(num, FALSE);
  b->text = valid_text(text ? text : "");
  b->dest = g_strdup_printf("h%d", ++d->nheadings);
}

void rs_doc_paragraph(rs_doc *d, const char *pango_markup) {
  g_return_if_fail(d != NULL);
  char *m = checked_markup(d, "block", pango_markup ? pango_markup : "");
  add(d, RS_BLK_PARA)->text = single_spaced(m);
}

void rs_doc_bullet(rs_doc *d, const char *pango_markup) {
  g_return_if_fail(d != NULL);
  char *m = checked_markup(d, "block", pango_markup ? pango_markup : "");
  add(d, RS_BLK_BULLET)->text = single_spaced(m);
}

void rs_doc_table(rs_doc *d, const rs_pubtable *t) {
  g_return_if_fail(d != NULL && t != NULL);
  rs_doc_block *b = add(d, RS_BLK_TABLE);
  b->number = g_strdup_printf("%d", ++d->ntables);
  b->table = rs_doc_table_from_pub(t, d->en);
}

void rs_doc_figure(rs_doc *d, double height_cm, rs_doc_draw_fn draw, void *data, GDestroyNotify free_data,
                   const char *caption) {
  g_return_if_fail(d != NULL);
  rs_doc_block *b = add(d, RS_BLK_FIGURE);
  b->number = g_strdup_printf("%d", ++d->nfigures);
  if (!(height_cm >= 3)) height_cm = 3;  /* also NaN */
  if (height_cm > 22) height_cm = 22;
  b->height = height_cm * RS_DOC_CM;
  b->draw = draw;
  b->data = data;
  b->free_data = free_data;
  b->text = valid_text(caption);
}

void rs_doc_page_break(rs_doc *d) {
  g_return_if_fail(d != NULL);
  add(d, RS_BLK_BREAK);
}

/* ---- writing ---- */

static cairo_status_t to_bytes(void *closure, const unsigned char *data, unsigned int length) {
  if (closure) g_byte_array_append((GByteArray *)closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

void rs_doc_place_block(rs_doc_lay *L, guint i);  /* doc-layout.c */
void rs_doc_finish_page(rs_doc_lay *L);           /* doc-layout.c */

static void set_metadata(rs_doc *d, cairo_surface_t *s) {
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "reformstat " PACKAGE_VERSION);
  if (d->meta_title) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->meta_title);
  if (d->meta_author) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, d->meta_author);
  if (d->meta_subject) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, d->meta_subject);
  /* As plots/plot.c: an empty date makes cairo 1.16 leave /CreationDate
   * out instead of stamping the clock, so the output is reproducible. */
  char *date = rs_plot_source_date();
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date ? date : "");
  g_free(date);
}

/* One pass over the blocks; bytes NULL: measure only.  Returns the page
 * count, or -1 with err. */
static int run_pass(rs_doc *d, int total, GByteArray *bytes, GError **err) {
  rs_doc_lay L = {0};
  L.d = d;
  L.render = bytes != NULL;
  L.total = total;
  L.surface = cairo_pdf_surface_create_for_stream(to_bytes, bytes, RS_DOC_PAGE_W, RS_DOC_PAGE_H);
  L.cr = cairo_create(L.surface);
  L.pango = pango_cairo_create_context(L.cr);
  /* One point per user unit and metrics that do not depend on hinting
   * (as plots/text.c), so both passes and every surface measure alike. */
  pango_cairo_context_set_resolution(L.pango, 72.0);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(L.pango, fo);
  cairo_font_options_destroy(fo);
  if (L.render) set_metadata(d, L.surface);
  L.outline_parent = CAIRO_PDF_OUTLINE_ROOT;
  for (guint i = 0; i < d->blocks->len && !L.err; i++) rs_doc_place_block(&L, i);
  if (!L.err && L.page == 0) rs_doc_begin_block(&L);  /* an empty document is one blank page */
  if (!L.err) rs_doc_finish_page(&L);
  g_object_unref(L.pango);
  cairo_status_t st = cairo_status(L.cr);
  cairo_destroy(L.cr);
  cairo_surface_finish(L.surface);
  if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(L.surface);
  cairo_surface_destroy(L.surface);
  if (L.err) {
    g_propagate_error(err, L.err);
    return -1;
  }
  if (st != CAIRO_STATUS_SUCCESS) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "cannot draw the report: %s", cairo_status_to_string(st));
    return -1;
  }
  return L.page;
}

gboolean rs_doc_write_pdf(rs_doc *d, const char *path, int *npages, GError **err) {
  g_return_val_if_fail(d != NULL && path != NULL, FALSE);
  if (d->problem) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "%s: %s (nothing was written)", path, d->problem);
    return FALSE;
  }
  rs_atomic *out = rs_atomic_open(path, err);  /* an unwritable path fails here, before any work */
  if (!out) return FALSE;
  int total = run_pass(d, 0, NULL, err);
  GArray *pages = g_array_new(FALSE, FALSE, sizeof(int));
  for (guint i = 0; i < d->blocks->len; i++) g_array_append_val(pages, ((rs_doc_block *)g_ptr_array_index(d->blocks, i))->page);
  GByteArray *bytes = g_byte_array_new();
  int total2 = total < 0 ? -1 : run_pass(d, total, bytes, err);
  gboolean ok = total2 >= 0;
  if (ok) {
    gboolean same = total2 == total;
    for (guint i = 0; same && i < d->blocks->len; i++)
      same = g_array_index(pages, int, i) == ((rs_doc_block *)g_ptr_array_index(d->blocks, i))->page;
    if (!same) {  /* a bug: the contents would point at the wrong pages */
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL,
                  "%s: the two layout passes broke pages differently (%d and %d pages); nothing was written", path,
                  total, total2);
      ok = FALSE;
    }
  }
  g_array_unref(pages);
  if (!ok) {
    rs_atomic_abort(out);
    g_byte_array_unref(bytes);
    return FALSE;
  }
  fwrite(bytes->data, 1, bytes->len, rs_atomic_file(out));
  g_byte_array_unref(bytes);
  if (!rs_atomic_commit(out, err)) return FALSE;  /* a failed write: reported, temporary file removed */
  if (npages) *npages = total;
  return TRUE;
}
