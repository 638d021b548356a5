/* describe.h — descriptive statistics of a table's columns.
 *
 * Numeric columns: n, missing by reason, mean, SD, SE, min, quartiles
 * (R's quantile type 7), max.  Categories and text: counts and percentages
 * of the non-missing values.  Optionally within the groups of a `by`
 * column.  Expected values in tests/test-describe.c come from R.
 */
#ifndef RS_DESCRIBE_H
#define RS_DESCRIBE_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/results.h"
#include "datasets/table.h"

typedef struct {
  size_t n;                          /* present values */
  size_t n_missing;
  size_t missing[RS_MISS_N_REASONS]; /* by reason (index RS_MISS_NONE unused) */
  size_t n_provisional, n_zero_by_def;
  double mean, sd, se, min, q1, median, q3, max;  /* NAN when undefined (n = 0; sd, se: n < 2) */
} rs_describe_num;

/* Quantile of *unsorted* data by R's type 7, selecting in place (data is
 * reordered).  n > 0, 0 <= p <= 1. */
double rs_describe_quantile7(double *data, size_t n, double p);

/* Summary of column `col` over `rows` (indices, or NULL for all nrows).
 * `work` must hold n doubles. */
void rs_describe_numeric(const rs_column *col, const size_t *rows, size_t n, double *work, rs_describe_num *out);

/* Whole-table describe into results records.  vars: NULL-terminated
 * column names or NULL for all; by: grouping column or NULL; lang "nb"/"en"
 * chooses codebook labels. */
gboolean rs_describe_table(const rs_table *t, const char *const *vars, const char *by, const char *lang,
                           rs_results *out, GError **err);

/* The same with a survey design (analysis/survey.h): weight column and
 * optional strata and cluster columns (NULL: none).  Numeric records add
 * weighted_mean and its design-based weighted_se; category levels add
 * weighted_percent and weighted_percent_se (survey::svymean, and svyby
 * within the groups of `by`: domains of the whole design). */
gboolean rs_describe_table_weighted(const rs_table *t, const char *const *vars, const char *by, const char *lang,
                                    const char *weight, const char *strata, const char *cluster, rs_results *out,
                                    GError **err);

#endif
