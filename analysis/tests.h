/* tests.h — two-group and k-group hypothesis tests, proportions and
 * effect sizes on plain arrays, each matching an R function.
 *
 * Every function fills an rs_test (fields that do not apply are NAN) and
 * returns TRUE, or returns FALSE with a GError (RS_ERROR_VALUE: the data do
 * not allow the test, e.g. "data are essentially constant"; RS_ERROR_LIMIT:
 * an exact computation would be too large).  Distributions come from GSL
 * (gsl_cdf_*, gsl_ran_*_pdf, gsl_sf_*); the exact null distributions of the
 * Wilcoxon statistics are counted as R's cwilcox/csignrank count them.
 * Confidence level is 95 % throughout; tests are two-sided.
 * tests/test-compare.c holds the R calls the expected values come from.
 */
#ifndef RS_TESTS_H
#define RS_TESTS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const char *method;   /* static text naming the method, as R prints it (plus what we add) */
  size_t n;             /* observations used */
  double estimate, se, ci_low, ci_high;
  double statistic, df, df2, p_value;   /* df2: denominator df of an F test */
} rs_test;

/* Sets every number to NAN, n to 0, method to NULL. */
void rs_test_clear(rs_test *r);

/* t.test(x, y, var.equal = equal_var): estimate mean(x) - mean(y). */
gboolean rs_tests_t(const double *x, size_t nx, const double *y, size_t ny, bool equal_var, rs_test *out,
                    GError **err);
/* t.test(x, y, paired = TRUE) on the pairs (x[i], y[i]): estimate mean(x - y). */
gboolean rs_tests_paired_t(const double *x, const double *y, size_t n, rs_test *out, GError **err);

/* wilcox.test(x, y): W, exact p when both n < 50 and no ties, else the
 * normal approximation with tie and continuity correction. */
gboolean rs_tests_rank_sum(const double *x, size_t nx, const double *y, size_t ny, rs_test *out, GError **err);
/* wilcox.test(x, y, paired = TRUE): V on the nonzero differences x - y;
 * exact when n < 50, no ties and no zeros, else normal approximation. */
gboolean rs_tests_signed_rank(const double *x, const double *y, size_t n, rs_test *out, GError **err);

/* R's pwilcox(q, m, n) and psignrank(q, n) (lower tail), from the exact
 * counts; exposed for tests. */
double rs_tests_pwilcox(double q, int m, int n, bool lower_tail);
double rs_tests_psignrank(double q, int n, bool lower_tail);

/* chisq.test(x, correct = yates) on an r x c table of counts (row-major).
 * Yates' correction applies only to 2 x 2, as in R.  *min_expected
 * (optional) receives the smallest expected count. */
gboolean rs_tests_chisq(const double *counts, int nr, int nc, bool yates, rs_test *out, double *min_expected,
                        GError **err);
/* Cramér's V = sqrt(X^2 / (n (min(r, c) - 1))) from the uncorrected X^2. */
gboolean rs_tests_cramers_v(const double *counts, int nr, int nc, rs_test *out, GError **err);

/* fisher.test(matrix(c(a, c, b, d), 2)): p by summing the hypergeometric
 * probabilities <= the observed one times 1 + 1e-7; estimate the
 * conditional MLE of the odds ratio and its conditional CI (noncentral
 * hypergeometric), roots found by Brent's method to 1e-14 relative. */
gboolean rs_tests_fisher_2x2(long a, long b, long c, long d, rs_test *out, GError **err);
/* fisher.test on an r x c table by exact enumeration of every table with
 * the observed margins (no network algorithm): refuses with RS_ERROR_LIMIT
 * when more than `max_tables` tables would be visited (0: 10 million). */
gboolean rs_tests_fisher_rxc(const long *counts, int nr, int nc, size_t max_tables, rs_test *out, GError **err);

/* One proportion x / n: Wilson score interval, prop.test(x, n, correct = FALSE)
 * (statistic and p against p0 = 0.5). */
gboolean rs_tests_wilson(long x, long n, rs_test *out, GError **err);
/* Clopper–Pearson interval and exact p against 0.5, binom.test(x, n). */
gboolean rs_tests_clopper_pearson(long x, long n, rs_test *out, GError **err);
/* prop.test(c(x1, x2), c(n1, n2), correct = yates): estimate p1 - p2 (the
 * risk difference) with its Wald CI (continuity-corrected when yates). */
gboolean rs_tests_prop2(long x1, long n1, long x2, long n2, bool yates, rs_test *out, GError **err);

/* 2 x 2 effect sizes, rows = groups, a/b = successes/failures of group 1,
 * c/d of group 2.  Odds ratio ad/bc with Woolf's log CI; risk ratio
 * (a/(a+b)) / (c/(c+d)) with the log CI.  A zero cell makes them undefined
 * (RS_ERROR_VALUE). */
gboolean rs_tests_odds_ratio(long a, long b, long c, long d, rs_test *out, GError **err);
gboolean rs_tests_risk_ratio(long a, long b, long c, long d, rs_test *out, GError **err);

/* Standardised mean difference (mean(x) - mean(y)) / pooled SD.
 * hedges = false: Cohen's d; true: Hedges' g = d * J with the exact
 * J = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2)), m = nx + ny - 2.  CI: normal
 * approximation, SE(d) = sqrt((nx+ny)/(nx ny) + d^2 / (2 (nx+ny))) (Hedges &
 * Olkin 1985), for g times J. */
gboolean rs_tests_cohen_d(const double *x, size_t nx, const double *y, size_t ny, bool hedges, rs_test *out,
                          GError **err);
/* Paired: d_z = mean(x - y) / sd(x - y), SE sqrt(1/n + d_z^2 / (2n)). */
gboolean rs_tests_cohen_dz(const double *x, const double *y, size_t n, rs_test *out, GError **err);

/* One-way ANOVA, anova(lm(y ~ factor(g))): y[i] in group g[i] (0..k-1).
 * statistic F, df, df2, p; estimate eta squared SS_between / SS_total. */
gboolean rs_tests_anova(const double *y, const int *g, size_t n, int k, rs_test *out, GError **err);
/* kruskal.test(y, g) with the tie correction. */
gboolean rs_tests_kruskal(const double *y, const int *g, size_t n, int k, rs_test *out, GError **err);

/* Average ranks (R's rank(), ties.method = "average") of x into r;
 * *tie_term (optional) receives sum(t^3 - t) over tie groups. */
void rs_tests_rank(const double *x, size_t n, double *r, double *tie_term);

#endif
