/* its.h (plots) — the interrupted time series chart: the observed series
 * (points), the fitted segments of the segmented regression, the
 * pre-reform trend continued after the break (dashed: what would have
 * happened without the reform, if the trend had held) and a marked
 * vertical line at the break ("1. august 2022").  Draws an rs_its
 * (analysis/its.h).  Part of plots (plot.h).
 */
#ifndef RS_PLOT_ITS_H
#define RS_PLOT_ITS_H

#include "analysis/its.h"
#include "plots/plot.h"

typedef struct {
  const char *title;       /* e.g. the numerator's label */
  const char *subtitle;    /* what the rate is per, and where (NULL: none) */
  const char *y_title;     /* "Per 1 000 barn 0–17 år" */
} rs_plot_its_labels;

gboolean rs_plot_its(rs_plot *p, const rs_its *its, const rs_plot_its_labels *l, GError **err);

/* "1. august 2022" (nb) or "1 August 2022" (en); to g_free. */
char *rs_plot_format_date_long(int32_t days, const char *lang);

#endif
