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
 * prewhite = FALSE, adjust = FALSE)) with L = floor(4 (n/100)^(2/9))
 * unless given.
 *
 * Seasonality (o->seasonal): 11 dummies for the calendar months February …
 * December (January the reference), as lm(y ~ t + post + post:t +
 * factor(month)); the counterfactual keeps the seasonal terms and drops
 * only the level and slope change.
 *
 * Pooled (o->pooled): one observation per unit (kommune, o->unit_column)
 * and period, the unit's own rate, instead of one aggregated series.  The
 * chosen model — documented in README and the man page — has unit fixed
 * effects (absorbed, absorb.h; o->no_unit_fe drops them and keeps the
 * intercept), lm weights equal to the denominator (children) so that the
 * estimate is the children-weighted average of the kommuner's level and
 * slope changes, i.e. on the scale of the national rate (o->unweighted:
 * every kommune-month counts the same), and cluster-robust standard errors
 * by unit (sandwich::vcovCL(fit, cluster = ~kommune, type = "HC1")).
 * With fixed effects b0 is kommune-specific and is not reported (NAN).
 * The across-kommune spread of the effects is then part of the standard
 * error, which the aggregated series' Newey–West error does not see.
 *
 * Series checks: the periods present in the rows (missing values
 * included) must be consecutive months (or consecutive years); a unit's
 * period given twice is an error unless o->sum_duplicates (kommuner merged
 * by a vintage mapping are summed); the break must lie inside the series.
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
  bool seasonal;               /* 11 calendar-month dummies */
  const char *unit_column;     /* kommune column: the unit of a kommune-level or pooled series (duplicate check) */
  bool pooled;                 /* one observation per unit and period (needs unit_column and a denominator) */
  bool no_unit_fe;             /* pooled: no unit fixed effects (an intercept instead) */
  bool unweighted;             /* pooled: every unit-period the same weight instead of the denominator */
  bool sum_duplicates;         /* rows of one unit and period are summed instead of being an error */
} rs_its_options;

#define RS_ITS_NSEASON 11

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
  bool seasonal;               /* season_* hold the month effects (February … December vs January) */
  double season[RS_ITS_NSEASON], season_se[RS_ITS_NSEASON], season_p[RS_ITS_NSEASON];
  bool pooled, unit_fe, weighted;
  size_t n_units;              /* pooled: units (kommuner) with at least one observation */
  size_t n_obs;                /* observations in the regression (n for a single series) */
  size_t periods_empty;        /* periods present in the file whose every row was left out */
} rs_its;

rs_its *rs_its_fit(const rs_table *t, const rs_its_options *o, GError **err);
void rs_its_free(rs_its *its);

/* Appends one record per coefficient (name, estimate, se, statistic, df,
 * p_value, ci_low, ci_high, method) and a note on what was left out. */
void rs_its_records(const rs_its *its, rs_results *out);
/* The same with labels in lang ("nb" or "en"); notes on rows and periods left out. */
void rs_its_records_lang(const rs_its *its, const char *lang, rs_results *out);
/* "segmented OLS, SE Newey-West lag 3"-style description in lang; g_free it. */
char *rs_its_method(const rs_its *its, const char *lang);
/* CSV period,observed,fitted,counterfactual,post written atomically; the
 * counterfactual equals the fit before the break. */
gboolean rs_its_write_counterfactual(const rs_its *its, const char *path, GError **err);

#endif
