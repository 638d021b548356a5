/* correlate.h — Pearson, Spearman and Kendall correlation with the tests
 * of R's cor.test().
 *
 * Pearson: r, the t test on n - 2 df and the Fisher-z confidence interval
 * (n > 3).  Spearman: rho = Pearson r of average ranks; the p-value as
 * cor.test(method = "spearman") with exact = NULL: without ties and
 * n <= 1290 by algorithm AS 89 (all permutations for n <= 9, its Edgeworth
 * series above), else (ties, or n > 1290) the t approximation.  Kendall:
 * tau-b; without ties and n < 50 the exact distribution of the number of
 * concordant pairs, else the normal approximation with the tie-corrected
 * variance of S.  Expected values in tests/test-stats2.c come from R.
 *
 * A correlation that is not defined (a variable constant over the complete
 * pairs) is reported with a reason, never as NaN.
 */
#ifndef RS_CORRELATE_H
#define RS_CORRELATE_H

#include <glib.h>
#include <stddef.h>

#include "analysis/results.h"
#include "datasets/table.h"

typedef enum { RS_COR_PEARSON, RS_COR_SPEARMAN, RS_COR_KENDALL } rs_cor_method;

/* -1 for an unknown name ("pearson", "spearman", "kendall"). */
int rs_cor_method_from_name(const char *name);
const char *rs_cor_method_name(rs_cor_method m);

typedef struct {
  rs_cor_method method;
  size_t n;                /* complete pairs used */
  double estimate;         /* r, rho or tau-b; NAN when undefined (see `undefined`) */
  double statistic;        /* t (Pearson), S (Spearman), T or z (Kendall) */
  const char *statistic_name;
  double df;               /* Pearson: n - 2; NAN otherwise */
  double p_value;          /* two-sided */
  double ci_low, ci_high;  /* Pearson with n > 3 (Fisher z); NAN otherwise */
  double conf_level;
  const char *p_method;    /* how the p-value was computed (static string) */
  const char *undefined;   /* NULL, or why there is no estimate (static string) */
} rs_cor_result;

/* Test of association between x and y (n complete pairs; no missing
 * values).  conf_level e.g. 0.95.  Fails (RS_ERROR_USAGE) when n is too
 * small for the method: Pearson needs 3 pairs, the rank methods 2, as R. */
gboolean rs_cor_test(const double *x, const double *y, size_t n, rs_cor_method method, double conf_level,
                     rs_cor_result *out, GError **err);

/* Pieces, exposed for tests: */
/* AS 89: P[S >= is] (upper) or P[S < is] (lower) for Spearman's
 * S = (n^3 - n)(1 - rho)/6 without ties, n >= 2. */
double rs_cor_prho(int n, double is, gboolean lower_tail);
/* P[T <= q] for T the number of concordant pairs of n untied values. */
double rs_cor_pkendall(double q, int n);
/* Average ranks (R's rank(ties.method = "average")) of x into r. */
void rs_cor_rank(const double *x, size_t n, double *r);

/* All pairs of `vars` (NULL-terminated, at least 2) with pairwise complete
 * observations: one record per pair.  adjust: NULL (none), "holm" or "bh"
 * — adjusted p-values over the pairs that have one. */
gboolean rs_correlate_table(const rs_table *t, const char *const *vars, rs_cor_method method, const char *adjust,
                            double conf_level, rs_results *out, GError **err);

#endif
