/* survey.h — design-based means and proportions with Taylor-linearised
 * standard errors, as R's survey package.
 *
 * A design has a weight per row and optionally strata and clusters (PSUs),
 * like survey::svydesign(ids = ~cluster or ~1, strata = ~s, weights = ~w,
 * data = d): PSUs are sampled with replacement (no fpc, the package's
 * default) and are taken within strata (clusters with the same code in two
 * strata are two PSUs, as nest = TRUE).  The mean of y over a domain (rows
 * where y is present and, optionally, in a subgroup) is
 *   ybar = sum(w y) / sum(w),  z_i = w_i (y_i - ybar) / sum(w) in the domain, 0 outside,
 *   var  = sum_h n_h/(n_h - 1) sum_j (z_hj - mean_h z)^2
 * over the PSU totals z_hj of all n_h PSUs of stratum h, which is what
 * svymean(~y, design, na.rm = TRUE) and svyby(~y, ~g, design, svymean)
 * compute.  A proportion is the mean of a 0/1 indicator (svymean(~factor(g))).
 * Lonely PSUs: a stratum with a single PSU is an error, as the survey
 * package's default options(survey.lonely.psu = "fail").
 */
#ifndef RS_SURVEY_H
#define RS_SURVEY_H

#include <glib.h>
#include <stddef.h>

#include "analysis/tests.h"
#include "datasets/table.h"

typedef struct rs_svy_design rs_svy_design;

/* n rows; w: weights (finite, >= 0); strata, clusters: codes per row or
 * NULL (one stratum; each row its own PSU).  Fails on a bad weight or a
 * stratum with one PSU. */
rs_svy_design *rs_svy_design_new(size_t n, const double *w, const long *strata, const long *clusters, GError **err);
/* The same from table columns (weight required; strata, cluster may be
 * NULL).  Missing weights, strata or clusters are errors naming the line. */
rs_svy_design *rs_svy_design_from_table(const rs_table *t, const char *weight, const char *strata, const char *cluster,
                                        GError **err);
/* The same over a subset of the table's rows: design row k is table row
 * rows[k] (rows NULL: all rows), as svydesign(…, data = d[rows, ]).
 * weight may be NULL when strata or cluster is given: every row then
 * weighs 1, as svydesign(ids = ~cluster, data = d) without weights. */
rs_svy_design *rs_svy_design_from_table_rows(const rs_table *t, const size_t *rows, size_t nrows, const char *weight,
                                             const char *strata, const char *cluster, GError **err);
void rs_svy_design_free(rs_svy_design *d);
size_t rs_svy_design_psus(const rs_svy_design *d);
size_t rs_svy_design_strata(const rs_svy_design *d);
/* survey::degf(design): PSUs minus strata, counting only PSUs and strata
 * with a row of nonzero weight. */
double rs_svy_design_df(const rs_svy_design *d);
/* degf(design[rows, ]) — R keeps the full design's PSU counts for the
 * variance of a subset (a domain) but counts for the degrees of freedom
 * only the PSUs and strata with a row of nonzero weight among the design
 * rows `rows`. */
double rs_svy_domain_df(const rs_svy_design *d, const size_t *rows, size_t nrows);

typedef struct {
  size_t n;        /* rows in the domain with y present */
  double wsum;     /* their total weight */
  double mean;     /* NAN when the domain is empty or weighs nothing */
  double se;
} rs_svy_estimate;

/* Weighted mean of y (NAN = missing) over `rows` (NULL: all rows of the
 * design), which are the domain; the variance uses the whole design. */
void rs_svy_mean(const rs_svy_design *d, const double *y, const size_t *rows, size_t nrows, rs_svy_estimate *out);

/* svyrecvar: the with-replacement covariance (p x p, row-major into V) of
 * the totals of the influence values z (n rows x p columns, row-major, one
 * row per design row): sum_h n_h/(n_h - 1) sum_j (z_hj - mean_h z)(…)'. */
void rs_svy_recvar(const rs_svy_design *d, const double *z, size_t p, double *V);

/* Many domains of one design at once, for an outcome measured in many
 * subgroups: each design row i lies in at most m of the k domains
 * dom[i * m + j] (-1: none; a domain at most once per row).  Where
 * rs_svy_mean, rs_svy_domain_df and rs_svy_recvar per domain touch arrays
 * of all design rows for every domain, these read only each domain's own
 * rows (three passes per outcome), and give the same numbers bit for bit:
 * every sum runs over a domain's rows in row order, as there.
 * Sequence: _new, _mean per outcome, _diff for pairs of its domains,
 * _free.  One object per thread (_share). */
typedef struct rs_svy_domains rs_svy_domains;
/* NULL when the design has 2^32 rows or more. */
rs_svy_domains *rs_svy_domains_new(const rs_svy_design *d, const int *dom, size_t m, size_t k);
/* Another object over the same domains (sharing their row lists), for another thread. */
rs_svy_domains *rs_svy_domains_share(const rs_svy_domains *s);
void rs_svy_domains_free(rs_svy_domains *s);
/* est[j] and df[j] for every domain j: rs_svy_mean(d, y, R_j) and
 * rs_svy_domain_df(d, R_j), R_j = the rows of domain j where y is not NAN. */
void rs_svy_domains_mean(rs_svy_domains *s, const double *y, rs_svy_estimate *est, double *df);
/* After _mean, for two domains a and b with a mean: V (2 x 2) =
 * rs_svy_recvar(d, z, 2, V) of the influence values z_i0 = w_i (y_i -
 * mean_a) / wsum_a in R_a (0 elsewhere), z_i1 the same for b, computed in
 * double as a caller would; df_ab = rs_svy_domain_df over R_a and R_b. */
void rs_svy_domains_diff(const rs_svy_domains *s, size_t a, size_t b, double *V, double *df_ab);

/* Weighted means of y (no NAN) in the groups g[i] = 0 .. k-1 of all design
 * rows, with their joint covariance V (k x k, row-major): the domain means
 * of svyby(~y, ~g, design, svymean) and the covariance svyglm(y ~ factor(g) - 1)
 * reports.  est[j].n counts rows.  Fails when a group weighs nothing. */
gboolean rs_svy_group_means(const rs_svy_design *d, const double *y, const int *g, int k, rs_svy_estimate *est,
                            double *V, GError **err);

/* Design-based tests over all design rows (callers build the design on the
 * complete cases, as svyglm and svychisq drop rows with NA).
 * rs_svy_ttest: g in {0, 1}; estimate mean(group 0) - mean(group 1) with the
 *   linearised SE, t on degf(design) - 1 df: survey::svyttest(y ~ g, design)
 *   with the factor levels of g in the order (group 1, group 0), so that
 *   its "difference in mean" is group 0 minus group 1; CI as confint(svyglm).
 * rs_svy_wald_groups: k >= 2 groups; Wald F of equal means with (k - 1,
 *   degf(design) + 1 - k) df: regTermTest(svyglm(y ~ factor(g), design), ~factor(g)).
 * rs_svy_chisq: row[i] in 0 .. nr-1 (outcome), col[i] in 0 .. nc-1 (group);
 *   Pearson's X^2 of the weighted table scaled to n rows with the Rao–Scott
 *   second-order correction: F = X^2 / tr(Delta) on (d0, d0 * nu) df,
 *   d0 = tr(Delta)^2 / tr(Delta^2), nu = PSUs - strata:
 *   svychisq(~row + col, design, statistic = "F") (the default). */
gboolean rs_svy_ttest(const rs_svy_design *d, const double *y, const int *g, rs_test *out, GError **err);
gboolean rs_svy_wald_groups(const rs_svy_design *d, const double *y, const int *g, int k, rs_test *out, GError **err);
gboolean rs_svy_chisq(const rs_svy_design *d, const int *row, const int *col, int nr, int nc, rs_test *out,
                      GError **err);

#endif
