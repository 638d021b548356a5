/* plotdata.h — the numbers a chart shows, computed with the analysis
 * library and handed to plots/ as plain structs.
 *
 * plots/ never computes statistics: cli/plot.c calls a builder here
 * (means with confidence intervals by group and period, Likert
 * distributions, box-plot statistics and histogram counts), then passes
 * the struct to a drawing function in plots/.  Each builder takes the rows
 * to use (after the command's --filter) or NULL for all, and labels from
 * the codebook in the chosen language ("nb" or "en").  Every struct can be
 * written as result records (rs_plotdata_*_results), which is what
 * `plot --data-out FILE.csv` writes beside the figure.
 */
#ifndef RS_PLOTDATA_H
#define RS_PLOTDATA_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis/results.h"
#include "datasets/table.h"

/* ---- estimates with confidence intervals (prepost, forest) ---- */

typedef struct {
  char *label;       /* the row: group level, item, coefficient */
  char *series;      /* the series within the row (a period level), or NULL */
  size_t n;          /* observations behind the estimate; 0: no data (estimate NAN) */
  double estimate, se, ci_low, ci_high;  /* NAN when undefined (n < 2 has no CI) */
} rs_plotdata_point;

typedef struct {
  char *var_label;       /* what is estimated: the outcome's label */
  char *row_title;       /* the grouping variable's label, or NULL */
  char *series_title;    /* the period variable's label, or NULL */
  size_t n_rows, n_series;
  char **rows, **series; /* level labels in display order (series: NULL when n_series = 1 and no period) */
  rs_plotdata_point *points;  /* n_rows * n_series, row-major */
  size_t n_total;        /* rows used */
  char *method;          /* how the estimates and intervals were computed, for the caption */
  double scale_lo, scale_hi;  /* the outcome's codebook range (NAN: none) */
  double reference;      /* a reference value (overall mean), NAN: none */
} rs_plotdata_est;

/* Means of numeric column `var` with 95 % intervals within the groups of
 * `group` (NULL: one row for all) and the levels of `period` (NULL: one
 * series).  Without weight: mean, SE and a t interval (t.test(y)$conf.int);
 * with a weight column: the survey-weighted mean and its linearised SE
 * (survey.h) with a normal interval (confint(svymean(…))).  Rows missing
 * var, group or period are left out.  Fails naming the column when a
 * column is missing or not numeric, when a value is infinite, or when no
 * row is left. */
rs_plotdata_est *rs_plotdata_means(const rs_table *t, const size_t *rows, size_t nrows, const char *var,
                                   const char *group, const char *period, const char *weight, const char *lang,
                                   GError **err);
/* Orders the rows by their estimate (of the last series), descending
 * when `descending`. */
void rs_plotdata_est_sort(rs_plotdata_est *d, bool descending);
void rs_plotdata_est_free(rs_plotdata_est *d);
/* Records label, series, n, estimate, se, ci_low, ci_high. */
void rs_plotdata_est_results(const rs_plotdata_est *d, rs_results *out);

/* ---- Likert items (likert) ---- */

typedef struct {
  size_t n_items, n_cats;
  char **items;          /* item labels (codebook, chosen language) */
  char **names;          /* item column names */
  char **cats;           /* category labels, low to high (codebook values within min..max) */
  double *codes;         /* the categories' codes */
  size_t *n;             /* answers per item (missing codes left out) */
  double *percent;       /* n_items * n_cats, row-major, each row sums to 100 */
  int neutral;           /* index of the middle category of an odd scale, -1 for an even one */
  size_t n_total;        /* rows used */
} rs_plotdata_likert;

/* Percentages of each answer category of each item in `items`
 * (NULL-terminated column names, all of type likert or integer with the
 * same codebook scale).  Items are ordered by agreement (share above the
 * neutral category, most agreement first) when `sort`. */
rs_plotdata_likert *rs_plotdata_likert_new(const rs_table *t, const size_t *rows, size_t nrows,
                                           const char *const *items, bool sort, const char *lang, GError **err);
/* The same with survey weights: percent is each category's share of the
 * summed weights of the item's answers (n still counts answers; rows
 * without a weight are left out).  weight NULL: rs_plotdata_likert_new. */
rs_plotdata_likert *rs_plotdata_likert_weighted(const rs_table *t, const size_t *rows, size_t nrows,
                                                const char *const *items, const char *weight, bool sort,
                                                const char *lang, GError **err);
/* One item's rs_plotdata_likert_weighted over many row sets in one pass:
 * row q of rows[0 .. nrows) (NULL: table row q) lies in the sets
 * dom[q * m + b] >= 0 (b < m; a set at most once per row; rows distinct),
 * and out[j] is set j's distribution, as one call with its rows in order
 * would give (n_total = n[0]), or NULL when the set has no answer.  FALSE
 * (out all NULL) when the item has no codebook scale, a row in a set has
 * an infinite value or a column is not numeric: then call
 * rs_plotdata_likert_weighted per set, which says what is wrong. */
gboolean rs_plotdata_likert_domains(const rs_table *t, const size_t *rows, size_t nrows, const int *dom, size_t m,
                                    size_t k, const char *item, const char *weight, const char *lang,
                                    rs_plotdata_likert **out);
void rs_plotdata_likert_free(rs_plotdata_likert *d);
/* Records item, category, code, n, percent. */
void rs_plotdata_likert_results(const rs_plotdata_likert *d, rs_results *out);

/* ---- distributions (distribution) ---- */

typedef struct {
  char *label;
  size_t n;
  double *values;          /* sorted, n of them */
  double min, q1, median, q3, max, mean;   /* quartiles: R's quantile type 7 */
  double whisker_lo, whisker_hi;  /* most extreme values within 1.5 IQR of the box (ggplot2::stat_boxplot) */
  size_t *counts;          /* n_bins histogram counts */
} rs_plotdata_group;

typedef struct {
  char *var_label, *group_title;   /* group_title NULL without a group */
  size_t n_groups;
  rs_plotdata_group *groups;
  size_t n_bins;
  double *breaks;          /* n_bins + 1 shared breaks (Freedman–Diaconis width on a 1-2-5 step; see plotdata.c); bins are right-closed, the first also closed left */
  size_t n_total;
} rs_plotdata_dist;

rs_plotdata_dist *rs_plotdata_dist_new(const rs_table *t, const size_t *rows, size_t nrows, const char *var,
                                       const char *group, const char *lang, GError **err);
void rs_plotdata_dist_free(rs_plotdata_dist *d);
/* Records per group (n, min, q1, median, q3, max, mean, whiskers) and per bin (group, bin_low, bin_high, count). */
void rs_plotdata_dist_results(const rs_plotdata_dist *d, rs_results *out);

/* ---- rows ---- */

/* Rows where column `var` equals one of `values` (comma-separated codes
 * or texts), e.g. "fylke=46" or "coordinator_type=1,2".  spec is
 * "VAR=V1,V2".  Returns the row indices (g_free) and their count in *n. */
size_t *rs_plotdata_filter(const rs_table *t, const char *spec, size_t *n, GError **err);

#endif
