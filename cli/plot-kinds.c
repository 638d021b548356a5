/* plot-kinds.c — the run functions of `reformstat plot`'s kinds prepost,
 * likert, forest and distribution (cli/plot.h): each computes its numbers
 * with analysis/plotdata.h, opens the canvas at a height that fits what it
 * shows, draws with plots/ and fills the --data-out records. */
#include "cli/plot.h"
#include "analysis/reliability.h"
#include "datasets/error.h"

#include <string.h>

/* Draws with `draw` on a canvas opened for a; NULL on failure. */
#define DRAW_OR_FAIL(p, call)            \
  do {                                   \
    if (!(p)) goto out;                  \
    if (!(call)) {                       \
      rs_plot_output_abort(p);           \
      (p) = NULL;                        \
    }                                    \
  } while (0)

rs_plot *rs_cli_plot_prepost(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                             rs_results *data, GError **err) {
  rs_plot *p = NULL;
  if (!a->period) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "prepost needs --period VAR (the before/after variable, e.g. post)");
    return NULL;
  }
  rs_plotdata_est *d = rs_plotdata_means(t, rows, nrows, a->var, a->group, a->period, a->weight, a->lang, err);
  if (!d) return NULL;
  rs_plotdata_est_results(d, data);
  p = rs_cli_plot_open(a, a->width_cm * 0.62, err);
  DRAW_OR_FAIL(p, rs_plot_prepost(p, d, err));
out:
  rs_plotdata_est_free(d);
  return p;
}

rs_plot *rs_cli_plot_forest(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                            rs_results *data, GError **err) {
  rs_plot *p = NULL;
  if (!a->group) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "forest needs --group VAR (one line per group)");
    return NULL;
  }
  rs_plotdata_est *d = rs_plotdata_means(t, rows, nrows, a->var, a->group, NULL, a->weight, a->lang, err);
  if (!d) return NULL;
  if (a->sort) rs_plotdata_est_sort(d, true);
  rs_plotdata_est_results(d, data);
  p = rs_cli_plot_open(a, 4.0 + 0.5 * (double)d->n_rows, err);
  DRAW_OR_FAIL(p, rs_plot_forest(p, d, err));
out:
  rs_plotdata_est_free(d);
  return p;
}

rs_plot *rs_cli_plot_likert(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                            rs_results *data, GError **err) {
  rs_plot *p = NULL;
  char **items = NULL;
  if ((a->items != NULL) == (a->index != NULL)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "likert needs either --items A,B,C or --index NAME");
    return NULL;
  }
  if (a->items) {
    items = g_strsplit(a->items, ",", -1);
    for (char **s = items; *s; s++) g_strstrip(*s);
  } else {
    if (!a->codebook) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--index needs a codebook (-c FILE) that names the index's items");
      return NULL;
    }
    items = rs_reliability_index_items(a->codebook, a->index, err);
    if (!items) return NULL;
  }
  rs_plotdata_likert *d = rs_plotdata_likert_new(t, rows, nrows, (const char *const *)items, true, a->lang, err);
  g_strfreev(items);
  if (!d) return NULL;
  rs_plotdata_likert_results(d, data);
  p = rs_cli_plot_open(a, 4.5 + 1.0 * (double)d->n_items, err);
  DRAW_OR_FAIL(p, rs_plot_likert(p, d, err));
out:
  rs_plotdata_likert_free(d);
  return p;
}

rs_plot *rs_cli_plot_distribution(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                                  rs_results *data, GError **err) {
  rs_plot *p = NULL;
  rs_plot_dist_style style = RS_PLOT_DIST_HIST;
  if (a->style && strcmp(a->style, "box") == 0) style = RS_PLOT_DIST_BOX;
  else if (a->style && strcmp(a->style, "hist") != 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--style takes hist or box, not '%s'", a->style);
    return NULL;
  }
  rs_plotdata_dist *d = rs_plotdata_dist_new(t, rows, nrows, a->var, a->group, a->lang, err);
  if (!d) return NULL;
  rs_plotdata_dist_results(d, data);
  double h = style == RS_PLOT_DIST_BOX ? 4.0 + 0.8 * (double)d->n_groups : 3.5 + 2.4 * (double)d->n_groups;
  p = rs_cli_plot_open(a, h, err);
  DRAW_OR_FAIL(p, rs_plot_distribution(p, d, style, err));
out:
  rs_plotdata_dist_free(d);
  return p;
}
