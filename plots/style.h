/* style.h — how reformstat's charts look: the Okabe–Ito palette (safe for
 * colour-blind readers and in greyscale print), font sizes for an 8.5 cm
 * journal column and for an A4 page, line widths.  No chart junk: no
 * frames around the plot area, no shadows, light grid lines only along the
 * value axis.  Sizes are in points (1/72 inch); the canvas draws in points
 * for PNG, PDF and SVG alike.  Part of the plots module (plots/plot.h).
 */
#ifndef RS_PLOT_STYLE_H
#define RS_PLOT_STYLE_H

#include <cairo.h>
#include <stddef.h>

typedef struct { double r, g, b; } rs_plot_rgb;

typedef struct {
  const char *font_family;  /* pango family list: "DejaVu Sans, Sans" */
  double font_size;         /* tick labels, category labels */
  double title_size;        /* the chart's title */
  double small_size;        /* captions, n, value labels */
  double line_width;        /* data lines, error bars */
  double thin_width;        /* axis lines and ticks */
  double grid_width;        /* grid lines */
  double tick_length;
  double margin;            /* around the whole figure */
  double gap;               /* between text and what it labels */
  double marker;            /* radius of a point estimate's marker */
  rs_plot_rgb text, muted, axis, grid, background;
} rs_plot_style;

/* Sizes for a figure `width_cm` wide: a journal column (<= 12 cm) gets
 * 7 pt text, anything wider (A4 text width, slides) 9 pt. */
void rs_plot_style_for_width(rs_plot_style *s, double width_cm);

/* The i-th colour of the Okabe–Ito palette in the order used for series
 * (blue, orange, bluish green, vermillion, sky blue, reddish purple,
 * yellow, black); cycles after 8. */
rs_plot_rgb rs_plot_palette(size_t i);
/* Diverging colours for `n` ordered categories (Likert: disagree …
 * agree), vermillion → grey (the middle of an odd n) → blue. */
rs_plot_rgb rs_plot_diverging(size_t i, size_t n);
/* Black or white, whichever reads better on `bg`. */
rs_plot_rgb rs_plot_text_on(rs_plot_rgb bg);

static inline void rs_plot_set_rgb(cairo_t *cr, rs_plot_rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

#endif
