/* forest.c — the `forest` chart (stub, being written). */
#include "plots/plot.h"
gboolean rs_plot_forest(rs_plot *p, const rs_plotdata_est *d, GError **err) { (void)p; (void)d; (void)err; return TRUE; }
