/* its.h — interrupted time series: a rate series aggregated over kommuner by
 * period, and a segmented regression with a level and a slope change at a
 * break date (the reform of 2022-08-01 by default).
 *
 * Aggregation sums numerators and denominators over the rows of each period
 * (never averages rates); a row whose numerator or denominator is missing
 * (suppressed ':', not yet available '...', …) is left out whole, so the
 * rate of a period covers the kommuner that reported.  Optionally only the
 * rows whose `filter_column` equals `filter_value` (a kommune or a fylke).
 *
 * Model (time t in years from the break, post = period >= break):
 *   rate = b0 + b1·t + b2·post + b3·post·t
 * b0: level at the break from the pre-reform trend; b1: trend before, per
 * year; b2: level change at the break; b3: change of trend, per year.  The
 * counterfactual after the break is b0 + b1·t.  Fit by ols.h (QR, as lm);
 * standard errors Newey–West (sandwich::NeweyWest(fit, lag = L,
 * prewhite = FALSE)) with L = floor(4 (n/100)^(2/9)) unless given.
 *
 * Sequence: rs_its_fit, read the struct, rs_its_records (optional), rs_its_free.
 */
#ifndef RS_ITS_H
#define RS_ITS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/results.h"
#include "datasets/table.h"

typedef struct {
  const char *date;            /* date column (month start), default "period" */
  const char *numerator;       /* required */
  const char *denominator;     /* NULL: the series is the sum of the numerator */
  const char *filter_column;   /* NULL: every row */
  const char *filter_value;    /* compared as text (codes keep their leading zeros) */
  int32_t break_day;           /* days since 1970-01-01; 0 → 2022-08-01 */
  double scale;                /* rate multiplier; 0 → 1000 (per 1000) */
  int lag;                     /* Newey–West lag; -1 → automatic; -2 → classical SEs */
  const size_t *rows;          /* the rows to use, or NULL for all */
  size_t nrows;                /* with rows: how many */
} rs_its_options;

enum { RS_ITS_B0, RS_ITS_TREND, RS_ITS_LEVEL, RS_ITS_SLOPE, RS_ITS_NCOEF };

typedef struct {
  size_t n;                    /* periods in the series */
  int32_t *day;                /* period start, days since 1970-01-01, ascending */
  double *num, *den;           /* sums over the rows used (den NAN without a denominator) */
  size_t *rows;                /* rows used per period */
  double *value;               /* num/den·scale, or num */
  double *fitted;              /* segmented fit */
  double *counterfactual;      /* pre-reform trend continued (= fitted before the break) */
  size_t n_pre, n_post;
  size_t rows_used, rows_dropped, rows_filtered_out;
  size_t dropped[RS_MISS_N_REASONS];  /* rows left out, by the missing reason of the numerator/denominator */
  int32_t break_day;
  double scale;
  bool has_denominator;
  int lag;                     /* Newey–West lag used; -1 for classical */
  double coef[RS_ITS_NCOEF], se[RS_ITS_NCOEF], ci_low[RS_ITS_NCOEF], ci_high[RS_ITS_NCOEF];
  double statistic[RS_ITS_NCOEF], p_value[RS_ITS_NCOEF], df;
} rs_its;

rs_its *rs_its_fit(const rs_table *t, const rs_its_options *o, GError **err);
void rs_its_free(rs_its *its);

/* Appends one record per coefficient (name, estimate, se, statistic, df,
 * p_value, ci_low, ci_high, method) and a note on what was left out. */
void rs_its_records(const rs_its *its, rs_results *out);

#endif
