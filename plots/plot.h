/* plot.h — the plots module: publication charts with cairo and pango, to
 * PNG, PDF and SVG from one drawing function.
 *
 * A chart is drawn on a canvas (rs_plot) in points (1/72 inch) whatever
 * the output: rs_plot_output_open() picks the surface from the file name's
 * extension (.png: an image at --dpi, default 300; .pdf; .svg), and
 * rs_plot_output_close() writes the file through a temporary file and a
 * rename (datasets/atomic.h), so a failure never leaves a partial figure.
 * PDF and SVG are byte-identical for the same input: the PDF gets a
 * creation date only from $SOURCE_DATE_EPOCH, and nothing else in
 * cairo's output depends on the clock.  cairo writes SVG text as glyph
 * outlines; every string the chart draws is therefore also written into
 * the SVG's <title> and <desc>, so the file stays searchable.
 *
 * The pieces (this header includes them all):
 *   plots/style.h  Okabe–Ito palette, font sizes for an 8.5 cm column or A4
 *   plots/text.h   pango text: wrapping, ellipsis, rotation, æ ø å
 *   plots/axis.h   1-2-5 ticks, nb/en number format, axis drawing
 *   plots/<kind>.c one file per kind of chart, drawing a plain struct of
 *                  numbers from analysis/plotdata.h — plots/ never computes
 *                  statistics.
 *
 * Drawing a chart, in order:
 *   1. rs_plot *p = rs_plot_output_open("fig.pdf", 16, 10, 300, &err);
 *   2. rs_plot_set_lang(p, "nb"); rs_plot_set_title(p, NULL);  (optional)
 *   3. rs_plot_rect r = rs_plot_frame(p, default_title, subtitle, caption);
 *      (white background, title, caption with n; returns the area left)
 *   4. draw in r with rs_plot_cr(p), rs_plot_text(), rs_plot_axis_*();
 *   5. rs_plot_output_close(p, &err)  — or rs_plot_output_abort(p).
 *
 * ADDING A KIND OF CHART (e.g. "trend"):
 *   a. the numbers: a builder in analysis/plotdata.{h,c} that computes
 *      them with the analysis library into a plain struct (or reuse
 *      rs_plotdata_est: labelled estimates with CIs), plus an
 *      rs_plotdata_*_results() for --data-out;
 *   b. the drawing: plots/trend.c with
 *        gboolean rs_plot_trend(rs_plot *p, const rs_plotdata_x *d, GError **err);
 *      declared below, using rs_plot_frame, text.h and axis.h, and added
 *      to libreformstat_a_SOURCES in Makefile.am;
 *   c. the command: a run function  rs_plot *run(const rs_plot_args *a,
 *      const rs_table *t, const size_t *rows, size_t nrows, rs_results *data, GError **err)
 *      (cli/plot.h; in cli/plot.c or your own cli/plot-trend.c) that
 *      calls the builder, opens the canvas with rs_cli_plot_open() and
 *      draws — and ONE line in the kinds[] table of cli/plot.c:
 *        {"trend", run_trend, "counts per period with the reform date marked"},
 *      New options go into rs_plot_args and the option table in cli/plot.c.
 *   d. tests: a line in the KINDS list of tests/plot.sh renders it to all
 *      three formats and checks them.
 */
#ifndef RS_PLOT_H
#define RS_PLOT_H

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#include "analysis/plotdata.h"
#include "plots/axis.h"
#include "plots/style.h"
#include "plots/text.h"

typedef enum { RS_PLOT_PNG, RS_PLOT_PDF, RS_PLOT_SVG } rs_plot_format;

/* The format a file name asks for (case-insensitive extension), or -1. */
int rs_plot_format_from_path(const char *path);

typedef struct rs_plot rs_plot;

#define RS_PLOT_DEFAULT_DPI 300.0

/* Opens a canvas of width_cm x height_cm writing to `path` (.png, .pdf or
 * .svg).  dpi applies to PNG only (<= 0: 300).  Fails (RS_ERROR_USAGE) on
 * an unknown extension or a size outside 2–100 cm or a PNG over 20000
 * pixels a side, and (RS_ERROR_IO) when the file's directory cannot be
 * written — before anything is drawn. */
rs_plot *rs_plot_output_open(const char *path, double width_cm, double height_cm, double dpi, GError **err);
/* Finishes the drawing and writes the file atomically; frees p. */
gboolean rs_plot_output_close(rs_plot *p, GError **err);
/* Discards the drawing and the temporary file; frees p.  NULL is fine. */
void rs_plot_output_abort(rs_plot *p);

/* A canvas on a caller's cairo context: the chart is drawn into the
 * rectangle (x_pt, y_pt, w_pt, h_pt) of whatever surface cr draws on (a
 * page of the county report's PDF, report/doc.h), in points, clipped to
 * the rectangle.  cr's state is saved here and restored by rs_plot_free();
 * the caller keeps owning cr and its surface and writes them itself.  The
 * style is chosen from the width as for a file (<= 12 cm: column sizes).
 * lang "nb" (also NULL) or "en".  Fails (RS_ERROR_USAGE) on a size outside
 * 2–100 cm, (RS_ERROR_INTERNAL) when cr is in an error state. */
rs_plot *rs_plot_new_for_cairo(cairo_t *cr, double x_pt, double y_pt, double w_pt, double h_pt, const char *lang,
                               GError **err);
/* Ends a canvas from rs_plot_new_for_cairo (restores cr's state); on a
 * file canvas it is rs_plot_output_abort.  NULL is fine.
 * rs_plot_output_close on a cairo canvas just frees it and returns TRUE. */
void rs_plot_free(rs_plot *p);

/* $SOURCE_DATE_EPOCH as an ISO 8601 date for PDF metadata, or NULL when
 * unset or not a number (g_free). */
char *rs_plot_source_date(void);

cairo_t *rs_plot_cr(rs_plot *p);
rs_plot_format rs_plot_get_format(const rs_plot *p);
const rs_plot_style *rs_plot_get_style(const rs_plot *p);
double rs_plot_width(const rs_plot *p);    /* points */
double rs_plot_height(const rs_plot *p);   /* points */

/* "nb" (default) or "en": titles, captions and number format. */
void rs_plot_set_lang(rs_plot *p, const char *lang);
const char *rs_plot_lang(const rs_plot *p);
/* The text in the canvas's language. */
const char *rs_plot_tr(const rs_plot *p, const char *nb, const char *en);
/* A title that replaces the kind's default (NULL: keep the default). */
void rs_plot_set_title(rs_plot *p, const char *title);
/* Adds text to what the SVG's <desc> lists (rs_plot_text does this). */
void rs_plot_record_text(rs_plot *p, const char *text);

typedef struct { double x, y, w, h; } rs_plot_rect;

/* Paints the background, the title (the rs_plot_set_title one if set,
 * else `title`; wrapped, bold), an optional subtitle and a caption at the
 * bottom (small, muted, wrapped: say what the marks are and the n), and
 * returns the rectangle left for the chart. */
rs_plot_rect rs_plot_frame(rs_plot *p, const char *title, const char *subtitle, const char *caption);

/* A legend of coloured squares in one row (wrapping) across r's top;
 * returns its height. */
double rs_plot_legend(rs_plot *p, const rs_plot_rect *r, const char *const *labels, const rs_plot_rgb *colors,
                      size_t n);
/* The same, measuring only. */
double rs_plot_legend_height(rs_plot *p, double width, const char *const *labels, size_t n);

/* "n = 1 234" in the canvas's language and number format (g_free). */
char *rs_plot_format_n(const rs_plot *p, size_t n);

/* ---- kinds: each draws a whole chart from plain data ---- */

/* Point estimates with 95 % CI error bars per row, one colour per series
 * (before/after): plots/prepost.c. */
gboolean rs_plot_prepost(rs_plot *p, const rs_plotdata_est *d, GError **err);
/* Diverging stacked bars per item, centred on the neutral category:
 * plots/likert.c. */
gboolean rs_plot_likert(rs_plot *p, const rs_plotdata_likert *d, GError **err);
/* Estimates with CIs, one line each, and a reference line at
 * d->reference: plots/forest.c. */
gboolean rs_plot_forest(rs_plot *p, const rs_plotdata_est *d, GError **err);
/* Histogram (small multiples per group) or box plots: plots/distribution.c. */
typedef enum { RS_PLOT_DIST_HIST, RS_PLOT_DIST_BOX } rs_plot_dist_style;
gboolean rs_plot_distribution(rs_plot *p, const rs_plotdata_dist *d, rs_plot_dist_style style, GError **err);

#endif
