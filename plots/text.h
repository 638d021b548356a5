/* text.h — text on a chart with pango: UTF-8 (æ ø å), wrapping at a width,
 * ellipsis after a number of lines, rotation, anchoring.  Every string
 * drawn is also recorded on the canvas, so an SVG carries it in its <desc>
 * (cairo writes SVG text as glyph outlines, which no one can search).
 * Part of the plots module (plots/plot.h).
 */
#ifndef RS_PLOT_TEXT_H
#define RS_PLOT_TEXT_H

#include <glib.h>
#include <pango/pangocairo.h>

typedef struct rs_plot rs_plot;

typedef struct {
  double size;          /* points; 0: the style's font_size */
  gboolean bold;
  double wrap;          /* wrap lines at this width (points); 0: one line */
  int max_lines;        /* with wrap: end with … after this many lines; 0: no limit */
  double halign;        /* anchor: 0 left, 0.5 centre, 1 right of the text */
  double valign;        /* anchor: 0 top, 0.5 middle, 1 bottom of the text */
  double angle;         /* degrees, counter-clockwise (90: reads bottom to top) */
} rs_plot_font;

/* A font of `size` points (0: the style's), anchored top-left. */
rs_plot_font rs_plot_font_make(double size, gboolean bold);

/* A layout for `text` in the canvas's font (caller unrefs).  Font sizes
 * are in points whatever the output format. */
PangoLayout *rs_plot_text_layout(rs_plot *p, const char *text, const rs_plot_font *f);
/* Width and height (points) the text takes, unrotated. */
void rs_plot_text_size(rs_plot *p, const char *text, const rs_plot_font *f, double *w, double *h);
/* Draws text with its anchor at (x, y) in the current source colour;
 * returns the height it took (unrotated).  NULL or "" draws nothing. */
double rs_plot_text(rs_plot *p, const char *text, double x, double y, const rs_plot_font *f);

#endif
