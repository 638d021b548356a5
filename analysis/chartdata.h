/* chartdata.h — the numbers behind the scatter chart (plots/scatter.c):
 * the points of two numeric columns (rows with both present), an optional
 * colour group, the least-squares line with its 95 % band (linefit.h), and
 * for dense clouds the counts of a hexagonal binning.  The interrupted time
 * series (its.h) and the fylke values of the tile map (bygroup.h) have
 * their own modules.  plots/ draws these structs and computes nothing.
 */
#ifndef RS_CHARTDATA_H
#define RS_CHARTDATA_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis/linefit.h"
#include "analysis/results.h"
#include "datasets/table.h"

#define RS_SCATTER_MAX_COLORS 8   /* the Okabe–Ito palette's colours: more groups are drawn as small multiples */
#define RS_SCATTER_MAX_GROUPS 30  /* small multiples beyond this would be too small to read */

typedef struct {
  size_t n;                  /* points */
  double *x, *y;             /* n */
  unsigned char *group;      /* n: index into group_labels, or NULL without --color */
  size_t n_groups;
  char *group_labels[RS_SCATTER_MAX_GROUPS];
  size_t group_n[RS_SCATTER_MAX_GROUPS];         /* points per group */
  rs_linefit group_fit[RS_SCATTER_MAX_GROUPS];   /* the line within each group … */
  bool group_has_fit[RS_SCATTER_MAX_GROUPS];     /* … when it has 3 points or more */
  char *x_label, *y_label, *group_title;   /* codebook labels, else the names */
  size_t dropped;            /* rows with x, y (or the colour) missing */
  double xmin, xmax, ymin, ymax;
  double x_step, y_step;     /* a variable with at most 200 distinct values: the smallest gap between
                                them (1 for counts), so bins can follow its grid; 0 otherwise */
  rs_linefit fit;
  bool has_fit;              /* false when the fit failed (n < 3); fit_note says why */
  char *fit_note;
} rs_chartdata_scatter;

/* x, y: numeric columns; color: a category/fylke/text column or NULL (at
 * most 30 levels: more is an error that says so); each group also gets
 * its own line.  rows/nrows: the rows to
 * use (rows NULL: all).  lang: "nb"/"en" for labels. */
rs_chartdata_scatter *rs_chartdata_scatter_new(const rs_table *t, const char *x, const char *y, const char *color,
                                               const size_t *rows, size_t nrows, const char *lang, GError **err);
void rs_chartdata_scatter_free(rs_chartdata_scatter *d);
/* Records for --data-out: the line (intercept, slope with SE, CI, p), and
 * the slope within each group. */
void rs_chartdata_scatter_results(const rs_chartdata_scatter *d, rs_results *out);

/* Hexagonal binning of the points in [x0,x1]×[y0,y1] (data units) into
 * hexagons nx across; aspect = (height / width) of the plot area on the
 * page, so that the hexagons are regular there.  Pointy-top hexagons,
 * odd rows shifted by half a cell.  Returns counts per cell (rows × cols,
 * row-major; *rows_out, *cols_out set), *max_count the largest. */
typedef struct {
  size_t cols, rows;
  double x0, y0, dx, dy;     /* cell centre (c, r) at x0 + (c + (r odd)/2) dx, y0 + r dy */
  guint32 *count;            /* rows × cols */
  guint32 max_count;
} rs_hexbin;
rs_hexbin *rs_hexbin_new(const double *x, const double *y, size_t n, double x0, double x1, double y0, double y1,
                         size_t nx, double aspect);
void rs_hexbin_free(rs_hexbin *h);

/* Square bins: cell (c, r) counts the points with x in [x0 + c·dx,
 * x0 + (c+1)·dx) and y in [y0 + r·dy, …), c < cols, r < rows (the result
 * uses rs_hexbin's fields; x0/y0 are then cell corners, not centres). */
rs_hexbin *rs_squarebin_new(const double *x, const double *y, size_t n, double x0, double dx, size_t cols, double y0,
                            double dy, size_t rows);

#endif
