/* reform-caseload.h — coordinators' caseload against their resources
 * (Früh et al.: time, position, support and competence for the caseload),
 * and registry coverage of koordinator and barnekoordinator per 1000
 * children.
 *
 * Coordinator survey (rs_reform_caseload_compute), one row per coordinator:
 *   - families per coordinator, per 100 % position and per earmarked hour,
 *     each the ratio of sums (sum of families / sum of coordinators,
 *     positions/100 or hours: rates are aggregated by summing, never by
 *     averaging), with the linearisation SE and normal 95 % CI of
 *     survey::svyratio(~families, ~x, svydesign(ids = ~1, data = d)); beside
 *     it the mean and median of the coordinators' own ratios (over those
 *     with a positive denominator);
 *   - shares with Wilson 95 % CIs (prop.test(x, n, correct = FALSE)): no
 *     earmarked hours, position below a threshold (default 20 %), more than
 *     N families for each N (default 10 and 15);
 *   - distribution by profession and by training (count, share with Wilson
 *     CI, families per coordinator);
 *   - the same ratios and the no-hours share per fylke or kommune (the
 *     fylke is the first two digits of the kommune code, so that codes
 *     mapped to one vintage give that vintage's fylker);
 *   - relation to the Likert outcomes: each codebook index (mean of its
 *     items after reverse coding, at least min_share of them answered) is
 *     regressed on families + earmarked hours + position + training
 *     (formula.h, ols.h and vcov.h, as `reformstat regress`: lm with
 *     sandwich::vcovHC HC0–HC3 or vcovCL by a cluster), and Spearman's rho
 *     (correlate.h, as cor.test(method = "spearman")) of each index with
 *     each resource variable.
 * Rows missing families, position or hours are left out of all but the
 * outcome part (counted); the regression drops rows listwise, as lm.
 *
 * Registry (rs_reform_coverage_compute): children with koordinator and
 * families with barnekoordinator per 1000 children 0–17 in a period of
 * months (default: the 12 months up to the latest month with data), as
 * sum of numerators / sum of denominators per kommune, per fylke and for
 * the whole country.  A kommune-month whose numerator or denominator is
 * missing (SSB ':' suppressed, '..' missing, '...' not yet available, '.'
 * not applicable) is left out of both sums and counted by reason.
 *
 * Sequence: options init, compute, read the struct or append records, free.
 */
#ifndef RS_REFORM_CASELOAD_H
#define RS_REFORM_CASELOAD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/correlate.h"
#include "analysis/results.h"
#include "datasets/table.h"

typedef struct {
  const char *families, *position, *hours;   /* defaults families, position_pct, earmarked_hours */
  const char *profession, *training;         /* defaults profession, training (skipped when absent) */
  const char *kommune, *fylke;               /* defaults: the columns of type kommune / fylke */
  const double *families_over;               /* thresholds ("more than N families"); NULL → 10, 15 */
  size_t n_families_over;
  double position_under;                     /* percent; 0 → 20 */
  bool by_fylke, by_kommune;                 /* group tables */
  const char *vcov;                          /* HC0…HC3 or cluster:VAR (vcov.h); NULL → HC3 */
  const char *predictors;                    /* right-hand side; NULL → "families + HOURS + POSITION + training" */
  double min_share;                          /* index: share of items answered; 0 → 0.5 */
  const size_t *rows;                        /* rows to use, or NULL for all */
  size_t nrows;
  const char *lang;                          /* "nb" (default) or "en" */
} rs_reform_caseload_options;

typedef struct {
  size_t n;                  /* coordinators in the ratio */
  double num, den;           /* sums */
  double estimate, se, ci_low, ci_high;   /* ratio of sums, svyratio SE, normal 95 % CI */
  size_t n_own;              /* coordinators with a positive denominator */
  double mean, median;       /* of the coordinators' own ratios */
} rs_reform_ratio;

typedef struct {
  double threshold;
  size_t hits, n;
  double share, ci_low, ci_high;   /* Wilson 95 % */
} rs_reform_share;

typedef struct {
  char *code, *label;
  size_t n;
  rs_reform_share share;           /* of the coordinators used */
  rs_reform_ratio per_coordinator, per_position, per_hour;
  rs_reform_share no_hours;
} rs_reform_group;

typedef struct {
  char *index, *term;
  size_t n;
  double estimate, se, statistic, df, p_value, ci_low, ci_high;
  bool aliased;
} rs_reform_coef;

typedef struct {
  char *index, *variable;
  rs_cor_result cor;
  bool ok;                          /* false: too few pairs */
} rs_reform_spearman;

typedef struct {
  size_t n, n_dropped;              /* coordinators used; left out (families, position or hours missing) */
  rs_reform_ratio per_coordinator, per_position, per_hour;
  rs_reform_share no_hours, position_under;
  rs_reform_share *families_over;   /* n_families_over */
  size_t n_families_over;
  rs_reform_group *profession, *training, *fylke, *kommune;
  size_t n_profession, n_training, n_fylke, n_kommune;
  char **indexes;                   /* index names (NULL-terminated) */
  size_t n_indexes;
  rs_reform_coef *coefs;            /* every index's coefficients, in order */
  size_t n_coefs;
  char *vcov_method;                /* "HC3 (sandwich::vcovHC type HC3)" … */
  char *formula_rhs;
  rs_reform_spearman *spearman;
  size_t n_spearman;
} rs_reform_caseload;

rs_reform_caseload *rs_reform_caseload_compute(const rs_table *t, const rs_reform_caseload_options *o, GError **err);
void rs_reform_caseload_free(rs_reform_caseload *c);
/* Sections: ratios, shares, profession, training, fylke/kommune, regression,
 * Spearman; every record has a field "table" (ratio, share, profession,
 * training, fylke, kommune, regression, spearman; coverage for the
 * registry) so that JSON and CSV readers can tell the tables apart. */
void rs_reform_caseload_records(const rs_reform_caseload *c, const char *lang, rs_results *out);

/* Wilson score interval (prop.test(x, n, correct = FALSE)$conf.int) at 95 %. */
void rs_reform_wilson(size_t hits, size_t n, double *lo, double *hi);

/* Index scores of the codebook's indexes (items with an `index`), for the
 * rows of t: scores[k][i] (NAN when fewer than min_share of the items are
 * answered).  Returns the number of indexes; names and scores to free with
 * g_strfreev and rs_reform_index_scores_free.  Private stand-in until
 * analysis/reform-index.h lands on main. */
size_t rs_reform_caseload_index_scores(const rs_table *t, double min_share, char ***names, double ***scores);
void rs_reform_index_scores_free(double **scores, size_t n);

typedef struct {
  const char *numerators;          /* comma-separated; NULL → children_koordinator,families_barnekoordinator (those present) */
  const char *denominator;         /* NULL → children_0_17 */
  const char *date;                /* NULL → period */
  const char *kommune;             /* NULL → the column of type kommune */
  int32_t from_day, to_day;        /* period (days since 1970-01-01); 0 → the 12 months up to the latest with data */
  double scale;                    /* 0 → 1000 */
  const size_t *rows;
  size_t nrows;
} rs_reform_coverage_options;

typedef struct {
  char *code;
  double num, den, rate;           /* rate = num / den * scale; NAN when den = 0 */
  size_t cells;                    /* kommune-months summed */
} rs_reform_coverage_unit;

typedef struct {
  char *numerator;
  rs_reform_coverage_unit national;
  rs_reform_coverage_unit *fylke, *kommune;
  size_t n_fylke, n_kommune;
  size_t left_out[RS_MISS_N_REASONS];  /* kommune-months left out, by reason */
  size_t left_out_total, provisional;  /* provisional: cells used whose value is flagged '*' */
} rs_reform_coverage_series;

typedef struct {
  int32_t from_day, to_day;
  double scale;
  char *denominator;
  rs_reform_coverage_series *series;
  size_t n_series;
} rs_reform_coverage;

rs_reform_coverage *rs_reform_coverage_compute(const rs_table *t, const rs_reform_coverage_options *o, GError **err);
void rs_reform_coverage_free(rs_reform_coverage *c);
/* by: "fylke", "kommune" or NULL (national only); both when "fylke,kommune". */
void rs_reform_coverage_records(const rs_reform_coverage *c, const char *by, const char *lang, rs_results *out);

#endif
