/* scale.h — a sequential colour scale for amounts (counts per hexagon in
 * a dense scatter, fylke values in the tile map) and its colour bar.
 * The colours are viridis reversed (light yellow = low, dark purple =
 * high): ordered in lightness, readable with every common form of colour
 * blindness and in greyscale.  Part of the plots module (plots/plot.h).
 */
#ifndef RS_PLOT_SCALE_H
#define RS_PLOT_SCALE_H

#include <stdbool.h>

#include "plots/plot.h"

/* The colour at t in [0, 1] (clamped; NaN gives grey). */
rs_plot_rgb rs_plot_sequential(double t);

/* A horizontal colour bar in [x, x+w] with its top at y, for axis a
 * (ticks labelled below); `title` above it.  With log_scale the axis
 * values are log10 of the amounts and labels show the amounts.  Returns
 * the height it took. */
double rs_plot_colorbar(rs_plot *p, const rs_plot_axis *a, double x, double y, double w, const char *title,
                        bool log_scale);
/* The height rs_plot_colorbar will take. */
double rs_plot_colorbar_height(rs_plot *p, const char *title);

#endif
