/* doc.h — the document engine of the county report: an A4 PDF built from
 * a list of blocks (title page, table of contents, headings, paragraphs,
 * publishable tables, charts), laid out on cairo's PDF surface with pango.
 *
 * The caller describes WHAT goes into the report, in reading order; the
 * engine decides WHERE: it breaks pages, numbers chapters, tables and
 * figures, repeats table headers on every page a table runs over, fills in
 * the table of contents and "Side N av M", and writes the PDF atomically.
 * Nothing is drawn until rs_doc_write_pdf(), so blocks can be added in
 * any amount; every string is copied, and a table is turned into its
 * printed text at once (the rs_pubtable may be freed right after).
 *
 * Sequence:
 *   rs_doc *d = rs_doc_new("nb", "Vestland – koordineringsreformen");
 *   rs_doc_set_metadata(d, "Koordineringsreformen i Vestland", "Statsforvalteren i Vestland", "…");
 *   rs_doc_title_page(d, "Koordineringsreformen", "Vestland 2019–2024", "Laget med reformstat …");
 *   rs_doc_toc(d);
 *   rs_doc_heading(d, 1, "Innledning");            -> "1 Innledning", new page
 *   rs_doc_paragraph(d, "Tekst med <b>markup</b> …");
 *   rs_doc_bullet(d, "Et punkt i en liste");      -> "• Et punkt …", hanging indent
 *   rs_doc_heading(d, 2, "Data");                  -> "1.1 Data"
 *   rs_doc_table(d, pubtable);                     -> "Tabell 1. <title>"
 *   rs_doc_figure(d, 9.0, draw_fn, data, free_fn, "Gjennomsnitt med 95 % KI.");  -> "Figur 1. …"
 *   if (!rs_doc_write_pdf(d, "vestland.pdf", &npages, &err)) …
 *   rs_doc_free(d);
 *
 * The page: A4 portrait (595 x 842 pt), 2 cm margins left and right,
 * text width 17 cm (481.9 pt), DejaVu Sans (plots/style.h's family),
 * body text 10 pt.  Every page except the title page carries the running
 * header at the top and "Side N av M" ("Page N of M") at the bottom; N
 * counts the title page as page 1, so the numbers match the PDF viewer's.
 *
 * Deterministic: the same calls give a byte-identical PDF; its creation
 * date comes only from $SOURCE_DATE_EPOCH (none when unset).
 *
 * The PDF has an outline (bookmarks) of the headings of level 1 and 2,
 * and the entries of the table of contents are links to their headings.
 *
 * Errors: the add functions never fail; a problem found in them (invalid
 * pango markup) is kept and reported by rs_doc_write_pdf, which then
 * writes nothing.  Text is UTF-8 (æ ø å, Sámi letters such as ŋ and á).
 */
#ifndef RS_DOC_H
#define RS_DOC_H

#include <glib.h>
#include <stdbool.h>

#include "plots/plot.h"
#include "report/disclosure.h"

typedef struct rs_doc rs_doc;

/* A new, empty document.
 * lang: "nb" (also NULL or anything else) or "en": the engine's own words
 *   ("Innhold"/"Contents", "Side 3 av 12"/"Page 3 of 12", "Tabell"/"Table",
 *   "Figur"/"Figure", "(forts.)"/"(cont.)", "95 % KI"/"95 % CI") and the
 *   number format of tables (nb: decimal comma, no-break space between
 *   thousands; en: decimal point).  Charts get the same lang.
 * running_header: plain text (not markup) at the top of every page except
 *   the title page, e.g. "Vestland – koordineringsreformen"; NULL: none. */
rs_doc *rs_doc_new(const char *lang, const char *running_header);
void rs_doc_free(rs_doc *d);  /* NULL is fine; calls the figures' free_data */

/* PDF metadata (Title, Author, Subject); any may be NULL.  Creator is
 * "reformstat VERSION". */
void rs_doc_set_metadata(rs_doc *d, const char *title, const char *author, const char *subject);

/* A title page of its own (no running header, no page number): title
 * (26 pt bold) a third down the page, subtitle (15 pt) under it, and
 * body_markup (pango markup, 10 pt, may be NULL) below them, e.g. who
 * made the report, the data period and the date.  Plain text for title
 * and subtitle.  The next block starts on a new page. */
void rs_doc_title_page(rs_doc *d, const char *title, const char *subtitle, const char *body_markup);

/* The table of contents here: the heading "Innhold" ("Contents"), then
 * one line per heading of level 1 and 2 in the whole document, with its
 * number, its text and its page number (each line a link to the heading).
 * Starts on a new page unless the page is still empty. */
void rs_doc_toc(rs_doc *d);

/* A heading.  level 1: a chapter, numbered "1", "2", …, always at the top
 * of a new page; level 2: "1.1", "1.2", …; level 3: "1.1.1" (not in the
 * table of contents or the outline).  Other levels are clamped to 1..3.
 * Plain text (not markup).  A heading is never the last thing on a page:
 * it moves to the next page together with the start of what follows it. */
void rs_doc_heading(rs_doc *d, int level, const char *text);

/* A paragraph of body text in pango markup (<b>, <i>, <sup>, <span …>;
 * escape user text with g_markup_escape_text or g_markup_printf_escaped).
 * Wraps at the text width and splits across pages between lines, never
 * leaving a single line of a paragraph alone at the bottom or top of a
 * page.  Invalid markup makes rs_doc_write_pdf fail. */
void rs_doc_paragraph(rs_doc *d, const char *pango_markup);

/* One item of a bulleted list: a bullet with the text (pango markup, as
 * rs_doc_paragraph) hanging beside it, so wrapped lines start under the
 * text, not under the bullet.  Consecutive items sit closer together than
 * paragraphs.  (Added after the first version; the calls above are
 * unchanged.) */
void rs_doc_bullet(rs_doc *d, const char *pango_markup);

/* A publishable table (report/disclosure.h), printed from
 * rs_pubtable_cell_text(): ':' suppressed, '-' zero, '.' no value.
 * Caption "Tabell N. <t->title>" above it (bold); the header row has, in
 * order: t->code_header (when not NULL: a column of row codes), t->stub
 * over the row labels, then per column its label (with " (unit)" when it
 * has one) and, for a column with has_ci, a column "95 % KI" right after
 * it holding "[lo; hi]" ("[lo, hi]" in en).  Numbers are right-aligned,
 * rows with role TOTAL or SUBTOTAL are bold with a rule above, long row
 * labels wrap within their cell.  t->notes are printed under the table in
 * small type.  A table longer than the page continues on the next page
 * under "Tabell N (forts.)" with the header row repeated; the caption
 * never stands alone at the bottom of a page (it moves with the header
 * and at least two rows).  A table too wide for the text width is set in
 * a smaller font (9 pt down to 6.5 pt), then with its header labels
 * wrapped to the width of their numbers, and only as a last resort
 * scaled down as a whole — numbers never overflow their cells.  The
 * table is copied: t may be freed after this call. */
void rs_doc_table(rs_doc *d, const rs_pubtable *t);

/* Draws a chart on p, a canvas of the figure's size in points
 * (rs_plot_width(p) x rs_plot_height(p); it reaches the chart style's
 * margin past the text column on the left, right and top, so that the
 * chart's own text lines up with the body text) in the document's lang; use any
 * rs_plot_<kind>(p, data, err).  Return FALSE with err set on failure
 * (rs_doc_write_pdf then fails with that error and writes nothing). */
typedef gboolean (*rs_doc_draw_fn)(rs_plot *p, void *data, GError **err);

/* A figure the full text width (17 cm) wide and height_cm high (clamped
 * to 3–22 cm), with "Figur N. <caption>" under it (caption plain text,
 * may be NULL: just "Figur N.").  draw is called once, when the PDF is
 * written; free_data(data) (may be NULL) when the document is freed.  A
 * figure is never split: it moves to the next page with its caption when
 * it does not fit. */
void rs_doc_figure(rs_doc *d, double height_cm, rs_doc_draw_fn draw, void *data, GDestroyNotify free_data,
                   const char *caption);

/* What follows starts on a new page (nothing happens when the page is
 * still empty, so two breaks in a row give no blank page). */
void rs_doc_page_break(rs_doc *d);

/* Lays the document out and writes it to `path` as PDF.  Two passes: the
 * first finds the page of every heading and the number of pages, the
 * second draws with those numbers (table of contents, "av M").  Written
 * through datasets/atomic.h (temporary file + rename): on any error, or a
 * signal, no file — not even a partial one — is left at path, and an
 * earlier file there stays as it was.  "-" writes to standard output.
 * npages (may be NULL) gets the page count.  Fails with RS_ERROR_IO for a
 * path that cannot be written, with the chart's error when a figure's
 * draw function fails, and with RS_ERROR_INTERNAL for invalid markup or a
 * cairo failure.  May be called more than once (the figures are drawn
 * again each time). */
gboolean rs_doc_write_pdf(rs_doc *d, const char *path, int *npages, GError **err);

#endif
