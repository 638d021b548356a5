/* png.h — writing a cairo image to PNG quickly.
 *
 * cairo_surface_write_to_png uses zlib's default level and libpng's
 * adaptive row filters, which at 300 dpi (a 16 × 10 cm chart is 1890 ×
 * 1181 pixels) took 100–200 ms, most of a chart's time.  Charts are flat
 * colours on white: zlib level 1 with no row filter is 4–5 times faster
 * and the file about a third larger.  Output is deterministic (no time
 * chunk).  Part of the plots module (plots/plot.h).
 */
#ifndef RS_PLOT_PNG_H
#define RS_PLOT_PNG_H

#include <cairo.h>
#include <glib.h>

/* Appends the PNG of `img` (CAIRO_FORMAT_RGB24 or ARGB32, flushed) to
 * `out`, with its resolution (dpi > 0) in a pHYs chunk so that word
 * processors place it at its size; CAIRO_STATUS_SUCCESS or
 * CAIRO_STATUS_WRITE_ERROR / CAIRO_STATUS_INVALID_FORMAT. */
cairo_status_t rs_plot_png_encode(cairo_surface_t *img, double dpi, GByteArray *out);

#endif
