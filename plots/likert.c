/* likert.c — the `likert` chart (stub, being written). */
#include "plots/plot.h"
gboolean rs_plot_likert(rs_plot *p, const rs_plotdata_likert *d, GError **err) { (void)p; (void)d; (void)err; return TRUE; }
