/* distribution.c — the `distribution` chart (stub, being written). */
#include "plots/plot.h"
gboolean rs_plot_distribution(rs_plot *p, const rs_plotdata_dist *d, rs_plot_dist_style style, GError **err) { (void)p; (void)d; (void)style; (void)err; return TRUE; }
