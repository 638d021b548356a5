/* reform-effect.h — barnekoordinator vs koordinator vs none: does the kind
 * of coordinator make a difference to the families' outcome indexes?
 *
 * For each outcome index of the codebook (`index` column: mean of the items
 * after reverse coding, when at least min_share of them are answered):
 *
 * 1. Regression after the reform (rows with post = 1):
 *      INDEX ~ koordinator + barnekoordinator + covariates
 *    koordinator and barnekoordinator are 0/1 indicators of the coordinator
 *    type (reference: no coordinator); covariates default to child_age,
 *    factor(diagnosis_group), n_services, factor(fylke) (category, fylke,
 *    kommune and text columns enter as factor()).  Fit by ols.h (QR, as lm),
 *    or from RS_REFORM_GRAM_MIN_ROWS rows from cross-products (olsgram.h:
 *    the same numbers to ~1e-13, several times faster on a million rows),
 *    standard errors cluster-robust by kommune: CR1 as
 *    sandwich::vcovCL(fit, cluster = ~kommune, type = "HC1").  The contrast
 *    barnekoordinator − koordinator is b_bk − b_k with
 *    SE = sqrt(V_bb + V_kk − 2 V_bk); t on the residual df (n − rank), as
 *    lmtest::coeftest(fit, vcov. = V) and car::linearHypothesis(…, test = "F").
 *    Minimum detectable effect at the chosen power and two-sided alpha:
 *      MDE = (z_{1−α/2} + z_{power}) × SE(contrast)
 *    (Bloom 1995), with z the standard normal quantile (qnorm).
 *
 * 2. Difference-in-differences, when the data have a pre-reform period with
 *    both treated and untreated families (all rows, pre and post):
 *      INDEX ~ treated + factor(wave) + treated_post + covariates
 *    treated = the family has a coordinator of a type in `treated` (default:
 *    koordinator or barnekoordinator, i.e. any coordinator vs none);
 *    treated_post = treated × post.  With repeated cross-sections, treated
 *    is the family's coordinator status when it answered, so the estimate
 *    is the change in the coordinator-vs-none gap from before to after the
 *    reform.  Without a wave column, factor(wave) is replaced by post.
 *    Event study: INDEX ~ treated + factor(wave) + Σ_w ev_w + covariates,
 *    ev_w = treated × [wave = w] for every wave but the reference, the last
 *    wave whose rows are all before the reform.  Pre-trend test: Wald test
 *    that the event coefficients of the earlier pre-reform waves are all 0,
 *    with the cluster-robust covariance: W = b' V⁻¹ b, F = W / q on
 *    (q, n − rank) df and χ² = W on q df, as
 *    car::linearHypothesis(fit, …, vcov. = vcovCL(fit, cluster = ~kommune,
 *    type = "HC1"), test = "F" / "Chisq").
 *
 * Rows with a missing index, type, covariate, cluster or wave value are
 * left out of that model (listwise, as lm's na.omit); unweighted (as lm).
 *
 * Sequence: rs_reform_effect_options_init, set fields, rs_reform_effect_fit
 * (the county report calls this per fylke with `rows`), read the struct,
 * rs_reform_effect_records (the CLI), rs_reform_effect_free.
 */
#ifndef RS_REFORM_EFFECT_H
#define RS_REFORM_EFFECT_H

#include <glib.h>
#include <stdbool.h>

#include "analysis/results.h"
#include "datasets/codebook.h"
#include "datasets/table.h"

typedef struct {
  const char *type_column;   /* coordinator type; NULL → "coordinator_type" */
  const char *type_codes;    /* codes of none, koordinator, barnekoordinator in that column, "0,1,2" when NULL */
  const char *covariates;    /* comma list; NULL → "child_age,diagnosis_group,n_services,fylke"; "" → none.
                                Write factor(X) to force a factor; category/fylke/kommune/text columns are factors. */
  const char *cluster;       /* NULL → "kommune" */
  const char *wave_column;   /* NULL → "year"; the column must exist unless given as "" (no event study) */
  const char *post_column;   /* 0/1 after the reform; NULL → "post", or when the data have no "post"
                                column, wave > 2022 (survey years) */
  const char *treated;       /* type codes counted as treated in the DiD; NULL → koordinator and barnekoordinator */
  const char *indexes;       /* comma list of index names; NULL → every index of the codebook */
  const char *lower_better;  /* comma list of indexes on which a lower score is better (e.g. burden) */
  double min_share;          /* answered share of an index's items needed; 0 → 0.5 */
  double power;              /* for the MDE; 0 → 0.8 */
  double alpha;              /* two-sided; 0 → 0.05 (also 1 − the CI level) */
  size_t min_clusters;       /* fewer clusters in a model is an error; 0 → 10 */
  const size_t *rows;        /* the rows to use, or NULL for all */
  size_t nrows;              /* with rows: how many */
  const char *lang;          /* "nb" (default) or "en": labels and the verdict */
  size_t gram_min_rows;      /* models with this many rows or more are fitted from cross-products
                                (olsgram.h; QR when those are not accurate enough); 0 →
                                RS_REFORM_GRAM_MIN_ROWS; (size_t)-1: always QR (ols.h) */
} rs_reform_effect_options;

#define RS_REFORM_GRAM_MIN_ROWS 20000

void rs_reform_effect_options_init(rs_reform_effect_options *o);

/* A coefficient or contrast with its cluster-robust inference. */
typedef struct {
  bool estimable;            /* false: aliased (not in the data, or collinear) */
  double estimate, se, statistic, df, p_value, ci_low, ci_high;
} rs_reform_coef;

enum { RS_REFORM_NONE, RS_REFORM_KOORDINATOR, RS_REFORM_BARNEKOORDINATOR, RS_REFORM_NTYPES };

typedef enum {
  RS_REFORM_NO_DIFFERENCE,   /* the CI of barnekoordinator − koordinator covers 0 */
  RS_REFORM_ADVANTAGE,       /* significantly better with barnekoordinator */
  RS_REFORM_DISADVANTAGE,    /* significantly worse */
  RS_REFORM_NOT_ESTIMABLE
} rs_reform_verdict;

typedef struct {
  char *index;               /* index name */
  size_t n_items;
  bool lower_better;
  /* 1. regression after the reform */
  size_t n, n_dropped, n_clusters;   /* rows used, post rows left out (missing), clusters */
  size_t n_type[RS_REFORM_NTYPES];   /* rows used by type */
  double mean_type[RS_REFORM_NTYPES];/* raw index mean by type (rows used) */
  double sd;                         /* SD of the index (rows used) */
  rs_reform_coef koordinator;        /* koordinator − none */
  rs_reform_coef barnekoordinator;   /* barnekoordinator − none */
  rs_reform_coef bk_vs_k;            /* barnekoordinator − koordinator */
  double mde;                        /* of bk_vs_k, index points; NAN when not estimable */
  rs_reform_verdict verdict;
  /* 2. difference-in-differences (did false: skipped, did_skipped says why) */
  bool did;
  char *did_skipped;
  size_t did_n, did_clusters;
  rs_reform_coef did_effect;         /* treated_post */
  double did_mde;
  size_t n_events;                   /* event coefficients (waves but the reference) */
  double *event_wave;                /* their waves, ascending */
  bool *event_pre;                   /* wave before the reform */
  rs_reform_coef *event;
  double ref_wave;                   /* NAN without a wave column */
  bool pretrend;                     /* a pre-trend test was possible (>= 1 earlier pre wave) */
  size_t pretrend_q;
  double pretrend_F, pretrend_df2, pretrend_p_F, pretrend_chi2, pretrend_p_chi2;
} rs_reform_effect_index;

typedef struct {
  size_t n_indexes;
  rs_reform_effect_index *idx;
  char *formula;             /* the post-reform model (response "INDEX") */
  char *did_formula;         /* the DiD model, or NULL */
  char *event_formula;       /* the event-study model, or NULL */
  char *treated_desc;        /* which types count as treated */
  char *cluster;             /* cluster column */
  double power, alpha, z_alpha, z_power;
  double min_share;
  size_t rows_in;            /* rows considered (subset) */
  size_t rows_post;          /* of them after the reform */
  char *lang;
  int models, models_gram;   /* models fitted; of them from cross-products (olsgram.h), the rest by QR */
} rs_reform_effect;

rs_reform_effect *rs_reform_effect_fit(const rs_table *t, const rs_codebook *cb, const rs_reform_effect_options *o,
                                       GError **err);
void rs_reform_effect_free(rs_reform_effect *r);

/* Appends the regression, MDE, DiD, event-study and pre-trend records and
 * the plain-language verdict (notes) in r->lang. */
void rs_reform_effect_records(const rs_reform_effect *r, rs_results *out);

/* The one-sentence overall verdict in r->lang (g_free). */
char *rs_reform_effect_summary(const rs_reform_effect *r);

#endif
