/* plot.h (cli) — what `reformstat plot` passes to each kind of chart.
 *
 * cli/plot.c parses the options into rs_plot_args, loads the data, applies
 * --filter, and calls the kind's run function from its kinds[] table.  A
 * run function computes the chart's numbers with analysis/plotdata.h,
 * opens the canvas with rs_cli_plot_open (which applies -o, --width-cm,
 * --height-cm, --dpi, --lang and --title), draws with a plots/ function,
 * puts the plotted numbers into `data` (written by --data-out) and returns
 * the canvas; cli/plot.c then writes the data and the figure.  On failure
 * it returns NULL with err set (and aborts any canvas it opened).
 * plots/plot.h says how to add a kind.
 */
#ifndef RS_CLI_PLOT_H
#define RS_CLI_PLOT_H

#include "cli/cli.h"
#include "plots/plot.h"

typedef struct {
  const char *kind;
  const char *output, *lang, *title, *data_out;
  double dpi, width_cm, height_cm;      /* height 0: the kind's choice */
  /* what to plot (each kind uses some) */
  char *var, *group, *period, *items, *index, *weight, *formula, *style, *filter;
  gboolean sort, descending;
  const rs_codebook *codebook;
  char *x, *y, *color, *per, *break_date, *kommune, *fylke; int min_n; const char *refdata;  /* cli/plot-maps.c */
} rs_plot_args;

typedef rs_plot *(*rs_plot_run_fn)(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                                   rs_results *data, GError **err);

/* Opens the canvas for a: -o, --width-cm (default 16), --height-cm (else
 * auto_height_cm, which the kind computes from how much it shows), --dpi,
 * --lang, --title. */
rs_plot *rs_cli_plot_open(const rs_plot_args *a, double auto_height_cm, GError **err);

/* The run functions of the kinds (cli/plot.c unless noted). */
rs_plot *rs_cli_plot_prepost(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                             rs_results *data, GError **err);
rs_plot *rs_cli_plot_likert(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                            rs_results *data, GError **err);
rs_plot *rs_cli_plot_forest(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                            rs_results *data, GError **err);
rs_plot *rs_cli_plot_distribution(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                                  rs_results *data, GError **err);

/* scatter, its, tilemap: cli/plot-maps.c */
rs_plot *rs_cli_plot_scatter(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows, rs_results *data, GError **err);
rs_plot *rs_cli_plot_its(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows, rs_results *data, GError **err);
rs_plot *rs_cli_plot_tilemap(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows, rs_results *data, GError **err);

#endif
