/* reform-outcomes.h — before/after the reform of 1 August 2022 for every
 * outcome index and item, overall and within groups (issue 6, item 2).
 *
 * Period: a row is "after" when its post column (default `post`, 0/1) is 1,
 * or, without a post column, when its date column (default `response_date`)
 * is on or after the break (default 2022-08-01).  Rows without a period
 * are left out.
 *
 * Outcomes: every index of the codebook (reform-index.h: mean of the
 * reverse-coded items with at least min_share answered) and every item of
 * those indexes *as answered* (before reverse coding, so that an item's
 * mean reads with its wording), or the columns named in `vars` (an index
 * name, a numeric column, or a category column: the share of each
 * category).
 *
 * Groups: all rows ("overall"), and each level of each `by` column
 * (coordinator type, fylke …), labelled with the codebook's value labels.
 *
 * Estimates, for each outcome and group:
 * - without a design: means with t intervals (t.test(y)$conf.int), the
 *   difference after − before by Welch's t (t.test(post, pre)); shares with
 *   Wilson intervals (prop.test(x, n, correct = FALSE)) and the difference
 *   of proportions (prop.test(c(x1, x0), c(n1, n0), correct = FALSE)).
 * - with weight, cluster or strata (a weight of 1 when only cluster/strata
 *   are given): the design is svydesign(ids = ~cluster, strata = ~strata,
 *   weights = ~weight, data = d[rows, ]) over all rows used; a group is a
 *   domain of it.  Means as svyby(~y, ~post, subset(design, group),
 *   svymean, na.rm = TRUE) with normal intervals (confint); the difference
 *   as svyttest(y ~ post, subset(design, group)): Taylor-linearised SE
 *   from the full design's PSUs, t on degf − 1 df (degf counting the PSUs
 *   left in the domain), the CI with the same t quantile.  A share is the
 *   mean of a 0/1 indicator.  Where a group's rows lie in one cluster per
 *   stratum (a fylke of one kommune with --cluster kommune) the mean has no
 *   SE or interval and the difference no test: R reports an SE of about
 *   1e-17 there, which measures nothing.
 * p-values are adjusted (Holm, BH, …; padjust.h) within each family: the
 * indexes of one group, and the items (and other columns) of one group.
 *
 * Sequence: rs_reform_outcomes_new, read the struct (the county report
 * does, per fylke, with `rows`), rs_reform_outcomes_records (the command),
 * rs_reform_outcomes_free.  rs_reform_outcomes_likert writes the answer
 * distributions for diverging bar charts.
 */
#ifndef RS_REFORM_OUTCOMES_H
#define RS_REFORM_OUTCOMES_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/padjust.h"
#include "analysis/results.h"
#include "datasets/codebook.h"
#include "datasets/table.h"

typedef struct {
  const char *const *by;       /* grouping columns, NULL-terminated; NULL: overall only */
  const char *weight, *cluster, *strata;  /* any of them: design-based */
  const char *post_column;     /* NULL: "post" when the table has it, else the date */
  const char *date_column;     /* NULL: "response_date" */
  int32_t break_day;           /* days since 1970-01-01; 0 → 2022-08-01 */
  rs_padjust_method adjust;    /* RS_PADJUST_NONE (0) by default */
  double min_share;            /* index items that must be answered; 0 → 0.5 */
  const char *const *vars;     /* outcomes (NULL-terminated); NULL: every index and its items */
  bool indexes_only;           /* with vars NULL: only the indexes (no items) */
  const size_t *rows;          /* rows to use (NULL: all), e.g. one fylke */
  size_t nrows;
  const char *lang;            /* "nb" (NULL) or "en" */
} rs_reform_outcomes_options;

typedef struct {
  size_t n;                    /* rows with the outcome in this period and group */
  double estimate, se, ci_low, ci_high;  /* mean or share; NAN when not defined */
} rs_reform_estimate;

typedef struct {
  char *outcome;               /* index or column name */
  char *label;                 /* codebook label (an index: its name) */
  char *category;              /* a category outcome: the category's label; NULL for a mean */
  bool is_index;
  bool is_share;               /* estimates are shares (0..1) */
  int by;                      /* -1: overall; else the position in options.by */
  char *by_column;             /* NULL overall */
  char *group;                 /* the group's label (NULL overall) */
  char *group_code;            /* the group's value as text (NULL overall) */
  rs_reform_estimate pre, post;
  /* after − before */
  double estimate, se, ci_low, ci_high, statistic, df, p_value, p_adjusted;
  const char *method;          /* static text */
  char *problem;               /* why the difference is not estimated, or NULL */
} rs_reform_outcome;

typedef struct {
  size_t n;
  rs_reform_outcome *row;      /* by group (overall first, then by column and level), outcome */
  bool design;                 /* design-based */
  rs_padjust_method adjust;
  size_t rows_used;            /* rows with a period among the rows given */
  size_t rows_pre, rows_post;
  size_t rows_no_period;       /* left out */
  char *period_rule;           /* how before/after was decided, in words */
  GPtrArray *notes;            /* of char*: what was left out and why */
} rs_reform_outcomes;

/* Fails (err set, NULL) for a missing or unknown column (--by, post, date,
 * weight, cluster, strata, an outcome), a post column that is not 0/1,
 * a break date outside the response dates, a period with no rows, an index
 * with items on different scales (reform-index.h), or a bad weight or
 * lonely PSU in the design. */
rs_reform_outcomes *rs_reform_outcomes_new(const rs_table *t, const rs_codebook *cb,
                                           const rs_reform_outcomes_options *o, GError **err);
void rs_reform_outcomes_free(rs_reform_outcomes *x);
/* The row for outcome `name` (category NULL for means) in the group with
 * text `group_code` of `by_column` (both NULL: overall), or NULL. */
const rs_reform_outcome *rs_reform_outcomes_find(const rs_reform_outcomes *x, const char *name, const char *category,
                                                 const char *by_column, const char *group_code);

/* One section per grouping; records name, label, category, by, group,
 * n_pre, estimate_pre (mean or share), ci_low_pre, ci_high_pre, the same _post,
 * estimate (after − before), se, ci_low, ci_high, statistic, df, p_value,
 * p_adjusted, method; notes. */
void rs_reform_outcomes_records(const rs_reform_outcomes *x, const char *lang, rs_results *out);

/* Likert distributions of the index items (the same outcomes as
 * rs_reform_outcomes_new, items of type likert or integer only) per group
 * and period: records by, group, period, item, category, code, n, percent —
 * the columns of `plot likert --data-out` plus by, group, period — weighted
 * by o->weight when given (analysis/plotdata.h). */
gboolean rs_reform_outcomes_likert(const rs_table *t, const rs_codebook *cb, const rs_reform_outcomes_options *o,
                                   rs_results *out, GError **err);

#endif
