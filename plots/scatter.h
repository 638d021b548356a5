/* scatter.h — the scatter chart: points (alpha by density, colour by a
 * group), the least-squares line with its 95 % confidence band, and
 * hexagonal bins instead of points for dense clouds.  Draws an
 * rs_chartdata_scatter (analysis/chartdata.h).  Part of plots (plot.h).
 */
#ifndef RS_PLOT_SCATTER_H
#define RS_PLOT_SCATTER_H

#include "analysis/chartdata.h"
#include "plots/plot.h"

/* Points up to bin_above points (0: 50 000), hexagons above. */
#define RS_PLOT_SCATTER_BIN_ABOVE 50000

/* The height (cm) the chart wants at width_cm: taller with a legend, and
 * with one row of panels per few groups beyond 8 (small multiples). */
double rs_plot_scatter_height_cm(const rs_chartdata_scatter *d, double width_cm);

/* Draws d: points coloured by group (up to 8 groups), small multiples (9
 * to 30 groups: a panel per group with its own line), or bins (more than
 * bin_above points; groups are then not shown). */
gboolean rs_plot_scatter(rs_plot *p, const rs_chartdata_scatter *d, size_t bin_above, GError **err);

#endif
