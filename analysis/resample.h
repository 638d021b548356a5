/* resample.h — bootstrap confidence intervals and permutation tests.
 *
 * Random numbers come from the caller's gsl_rng (gsl_rng_mt19937, seeded
 * explicitly); commands print the seed (rs_results_set_seed).  Intervals
 * follow boot::boot.ci():
 *   percentile: norm.inter(t, (1 ± conf)/2) — order statistics (R + 1) alpha,
 *               interpolated on the normal quantile scale;
 *   BCa: w = qnorm(#(t < t0)/R), a = sum(L^3) / (6 sum(L^2)^1.5) with the
 *        jackknife influence values L (boot's usual.jack: (n_s - 1)(t0 - t_-i)
 *        within each stratum), endpoints norm.inter(t, pnorm(w + (w + z)/(1 - a (w + z))));
 *        this is boot.ci(b, type = "bca", L = empinf(b, type = "jack")).
 * A difference in means resamples within each group (boot(…, strata = g));
 * the cluster bootstrap resamples whole clusters and jackknifes clusters.
 * Permutation test of a difference in means: two-sided on |mean(x) - mean(y)|,
 * p = (1 + #{|T*| >= |T|}) / (1 + B).
 */
#ifndef RS_RESAMPLE_H
#define RS_RESAMPLE_H

#include <glib.h>
#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "analysis/results.h"
#include "datasets/table.h"

/* boot's norm.inter at one alpha; t need not be sorted (it is sorted in place). */
double rs_boot_norm_inter(double *t, size_t R, double alpha);
/* Percentile interval from replicates t (sorted in place). */
gboolean rs_boot_ci_percentile(double *t, size_t R, double conf, double *low, double *high, GError **err);
/* BCa interval from replicates t (sorted in place), the estimate t0 and the
 * n influence values L. */
gboolean rs_boot_ci_bca(double *t, size_t R, double t0, const double *L, size_t n, double conf, double *low,
                        double *high, GError **err);

typedef struct {
  double estimate, se;        /* se: SD of the replicates */
  double perc_low, perc_high;
  double bca_low, bca_high;   /* NAN when BCa is undefined (all replicates on one side) */
  size_t replicates;
  const char *bca_problem;    /* NULL, or why BCa is missing */
} rs_boot_result;

/* Mean of x (n values).  clusters (NULL: none) resamples whole clusters
 * (cluster codes per value); the mean is then over all values drawn.
 * t_out (optional, B doubles) receives the replicates in drawing order. */
gboolean rs_boot_mean(const double *x, size_t n, const long *clusters, size_t B, gsl_rng *rng, double conf,
                      rs_boot_result *out, double *t_out, GError **err);
/* mean(x) - mean(y), resampling within each group. */
gboolean rs_boot_diff(const double *x, size_t nx, const double *y, size_t ny, size_t B, gsl_rng *rng, double conf,
                      rs_boot_result *out, double *t_out, GError **err);
/* Permutation p-value for mean(x) - mean(y); *count receives #{|T*| >= |T|}. */
gboolean rs_perm_diff(const double *x, size_t nx, const double *y, size_t ny, size_t B, gsl_rng *rng, double *p,
                      size_t *count, GError **err);

/* `reformstat bootstrap`: the mean of column `var` (with `cluster`: a
 * cluster bootstrap), or with `by` (exactly two levels) the difference in
 * means, first level minus second, plus a permutation test; B replicates
 * from gsl_rng_mt19937 seeded with `seed`, which goes into the results. */
gboolean rs_bootstrap_table(const rs_table *t, const char *var, const char *by, const char *cluster, size_t B,
                            unsigned long seed, double conf, rs_results *out, GError **err);

#endif
