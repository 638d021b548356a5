/* test-compare.c — two-group and k-group tests against R.
 *
 * Expected values: R 4.2.2, printed with 17 significant digits by
 * tests/data/stats/compare.R (the R call is also beside each value here).
 * Where R's algorithm is ours the tolerance is 1e-10 relative; the test
 * reports the largest relative error it saw.  Exception: fisher.test finds
 * the conditional MLE and CI with uniroot's default tolerance (~1e-4), so
 * its printed estimate/CI are matched to 2e-2 only, and to 1e-10 against
 * the same computation with uniroot(tol = 1e-15) (fisher_tight in compare.R).
 * test_survey: the design-based tests of analysis/survey.h against R's
 * survey package, values from tests/data/stats/survey-compare.R.
 * Error cases: the messages R gives ("data are essentially constant",
 * "not enough 'x' observations") must come back as errors, never NaN.
 */
#include "analysis/padjust.h"
#include "analysis/survey.h"
#include "analysis/tests.h"
#include "datasets/error.h"
#include "datasets/load.h"
#include "tests/tap.h"

#include <glib.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double max_rel = 0;

static void near(double got, double want, const char *what) {
  double e = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
  if (e > max_rel && isfinite(e)) max_rel = e;
  ok_close(got, want, 1e-10, what);
}

static const double gx1[] = {5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3};
static const double gy1[] = {6.8, 7.1, 5.9, 6.5, 7.4, 6.9, 6.1, 7.0, 6.6};
static const double x2[] = {1.5, 2.5}, y2[] = {3.0, 4.5};
static const double pre[] = {12.1, 14.3, 11.8, 15.0, 13.2, 12.9, 14.8, 13.5};
static const double post[] = {13.0, 14.1, 12.9, 16.2, 13.9, 13.4, 15.1, 14.6};

static void test_t(void) {
  rs_test r;
  GError *e = NULL;
  /* R: t.test(gx1, gy1) */
  ok(rs_tests_t(gx1, 7, gy1, 9, false, &r, &e), "Welch t runs");
  near(r.estimate, -1.1571428571428575, "Welch estimate (R)");
  near(r.statistic, -4.79056106532808989584, "Welch t (R)");
  near(r.df, 13.05135784300558299265, "Welch df (R)");
  near(r.p_value, 0.00034893727719022353, "Welch p (R)");
  near(r.ci_low, -1.67876350349787296, "Welch CI low (R)");
  near(r.ci_high, -0.63552221078784221, "Welch CI high (R)");
  near(r.se, 0.2415464162470933, "Welch stderr (R)");
  /* R: t.test(gx1, gy1, var.equal = TRUE) */
  ok(rs_tests_t(gx1, 7, gy1, 9, true, &r, &e), "Student t runs");
  near(r.statistic, -4.7898962543969920702, "Student t (R)");
  ok(r.df == 14, "Student df = 14");
  near(r.p_value, 0.0002879831063350984, "Student p (R)");
  near(r.ci_low, -1.67528029983609472, "Student CI low (R)");
  near(r.ci_high, -0.63900541444962011, "Student CI high (R)");
  near(r.se, 0.24157994154479492, "Student stderr (R)");
  /* R: t.test(c(1.5, 2.5), c(3.0, 4.5)) — n = 2 per group */
  ok(rs_tests_t(x2, 2, y2, 2, false, &r, &e), "Welch t with n = 2");
  near(r.statistic, -1.94145068678830213, "Welch n=2 t (R)");
  near(r.df, 1.74226804123711321, "Welch n=2 df (R)");
  near(r.p_value, 0.21016491175223434, "Welch n=2 p (R)");
  near(r.ci_low, -6.2335308840406789, "Welch n=2 CI low (R)");
  near(r.ci_high, 2.7335308840406785, "Welch n=2 CI high (R)");
  /* R: t.test(c(1.5, 2.5), c(3.0, 4.5), var.equal = TRUE) */
  ok(rs_tests_t(x2, 2, y2, 2, true, &r, &e), "Student t with n = 2");
  near(r.p_value, 0.19170962313452389, "Student n=2 p (R)");
  near(r.ci_low, -5.6283587594066971, "Student n=2 CI low (R)");
  /* R: t.test(7, c(3.0, 4.5), var.equal = TRUE) — R allows one observation with equal variances */
  double seven = 7;
  ok(rs_tests_t(&seven, 1, y2, 2, true, &r, &e), "Student t with a group of 1 (as R)");
  near(r.statistic, 2.50185116648837846, "Student 1 vs 2 t (R)");
  near(r.p_value, 0.24207543664735337, "Student 1 vs 2 p (R)");
  near(r.ci_high, 19.755844130820154, "Student 1 vs 2 CI high (R)");
  /* R: t.test(pre, post, paired = TRUE) */
  ok(rs_tests_paired_t(pre, post, 8, &r, &e), "paired t runs");
  near(r.estimate, -0.69999999999999973, "paired mean difference (R)");
  near(r.statistic, -4.1156131505449149444, "paired t (R)");
  ok(r.df == 7, "paired df = 7");
  near(r.p_value, 0.0044841883112002488, "paired p (R)");
  near(r.ci_low, -1.10218478160314737, "paired CI low (R)");
  near(r.ci_high, -0.29781521839685221, "paired CI high (R)");
  /* R: t.test(c(3,3,3), c(3,3,3)) -> Error: data are essentially constant */
  const double c3[] = {3, 3, 3};
  ok(!rs_tests_t(c3, 3, c3, 3, false, &r, &e) && e && strstr(e->message, "essentially constant"),
     "constant data: an error (R: data are essentially constant), not NaN");
  g_clear_error(&e);
  ok(!rs_tests_paired_t(c3, c3, 3, &r, &e) && e && strstr(e->message, "essentially constant"),
     "paired, constant differences: an error");
  g_clear_error(&e);
  /* R: t.test(3, c(1, 2, 3)) -> Error: not enough 'x' observations */
  const double y3[] = {1, 2, 3};
  ok(!rs_tests_t(&seven, 1, y3, 3, false, &r, &e) && e && strstr(e->message, "at least 2"),
     "Welch with a group of one: an error (R: not enough 'x' observations)");
  g_clear_error(&e);
  ok(!rs_tests_paired_t(pre, post, 1, &r, &e) && e, "paired with one pair: an error");
  g_clear_error(&e);
}

static void test_wilcoxon(void) {
  rs_test r;
  GError *e = NULL;
  /* R: wilcox.test(gx1, gy1) — exact, no ties */
  ok(rs_tests_rank_sum(gx1, 7, gy1, 9, &r, &e) && strstr(r.method, "exact"), "rank sum exact for small samples without ties");
  ok(r.statistic == 3, "W = 3 (R)");
  near(r.p_value, 0.0012237762237762239, "rank sum exact p (R)");
  /* R: wilcox.test(c(1,2,2,3,4,4,4,5), c(3,4,5,5,6,6,7)) — ties: normal approximation */
  const double xt[] = {1, 2, 2, 3, 4, 4, 4, 5}, yt[] = {3, 4, 5, 5, 6, 6, 7};
  ok(rs_tests_rank_sum(xt, 8, yt, 7, &r, &e) && strstr(r.method, "normal"), "rank sum with ties: normal approximation");
  ok(r.statistic == 8, "W = 8 with ties (R)");
  near(r.p_value, 0.021920655864769524, "rank sum with ties p (R)");
  /* R: xs <- 10 * sin(1:60); ys <- 10 * cos(1:55) + 1; wilcox.test(xs, ys) — n >= 50: normal */
  double xs[60], ys[55];
  for (int i = 0; i < 60; i++) xs[i] = 10 * sin(i + 1.0);
  for (int i = 0; i < 55; i++) ys[i] = 10 * cos(i + 1.0) + 1;
  ok(rs_tests_rank_sum(xs, 60, ys, 55, &r, &e) && strstr(r.method, "normal"), "rank sum with n >= 50: normal approximation");
  ok(r.statistic == 1554, "W = 1554 (R)");
  near(r.p_value, 0.5928591556556162, "rank sum n >= 50 p (R)");
  /* R: t.test(xs, ys) */
  ok(rs_tests_t(xs, 60, ys, 55, false, &r, &e), "Welch on 60 vs 55");
  near(r.p_value, 0.72192796193927489, "Welch 60 vs 55 p (R)");
  near(r.df, 112.27880178476129913, "Welch 60 vs 55 df (R)");
  /* R: wilcox.test(c(1.5, 2.5), c(3.0, 4.5)) */
  ok(rs_tests_rank_sum(x2, 2, y2, 2, &r, &e) && r.statistic == 0, "rank sum n = 2: W = 0 (R)");
  near(r.p_value, 0.33333333333333331, "rank sum n = 2 p (R)");
  /* R: pwilcox(10, 7, 9); pwilcox(40, 7, 9, lower.tail = FALSE); psignrank(12, 10); psignrank(40, 10, lower.tail = FALSE) */
  near(rs_tests_pwilcox(10, 7, 9, true), 0.011451048951048953, "pwilcox(10, 7, 9) (R)");
  near(rs_tests_pwilcox(40, 7, 9, false), 0.17552447552447553, "pwilcox(40, 7, 9, upper) (R)");
  near(rs_tests_psignrank(12, 10, true), 0.0654296875, "psignrank(12, 10) (R)");
  near(rs_tests_psignrank(40, 10, false), 0.0966796875, "psignrank(40, 10, upper) (R)");
  /* R: a9 <- 1:9; b9 <- a9 + c(0.5, -1.5, 2.5, 3.5, -0.7, 4.5, 1.2, 5.5, 6.1); wilcox.test(a9, b9, paired = TRUE) */
  double a9[9], b9[9];
  const double dlt[9] = {0.5, -1.5, 2.5, 3.5, -0.7, 4.5, 1.2, 5.5, 6.1};
  for (int i = 0; i < 9; i++) { a9[i] = i + 1; b9[i] = a9[i] + dlt[i]; }
  ok(rs_tests_signed_rank(a9, b9, 9, &r, &e) && strstr(r.method, "exact"), "signed rank exact");
  ok(r.statistic == 6, "V = 6 (R)");
  near(r.p_value, 0.0546875, "signed rank exact p (R)");
  /* R: wilcox.test(c(10,12,9,14,11,13,8,15,12,10), c(12,15,9,13,14,17,9,19,15,11), paired = TRUE) — a zero and ties */
  const double p2[] = {10, 12, 9, 14, 11, 13, 8, 15, 12, 10}, q2[] = {12, 15, 9, 13, 14, 17, 9, 19, 15, 11};
  ok(rs_tests_signed_rank(p2, q2, 10, &r, &e) && r.n == 9, "signed rank drops the zero difference (n = 9)");
  ok(r.statistic == 2, "V = 2 (R)");
  near(r.p_value, 0.016925333003957377, "signed rank with zeros and ties p (R)");
  ok(!rs_tests_signed_rank(p2, p2, 10, &r, &e) && e, "signed rank: all differences zero is an error");
  g_clear_error(&e);
  const double c4[] = {2, 2, 2, 2};
  ok(!rs_tests_rank_sum(c4, 2, c4 + 2, 2, &r, &e) && e, "rank sum of constant data: an error, not NaN");
  g_clear_error(&e);
}

static void test_tables(void) {
  rs_test r;
  GError *e = NULL;
  /* t22 <- matrix(c(12, 5, 7, 15), 2): rows (12, 7), (5, 15) */
  const double t22[] = {12, 7, 5, 15};
  /* R: chisq.test(t22) */
  ok(rs_tests_chisq(t22, 2, 2, true, &r, NULL, &e), "chisq 2x2 Yates");
  near(r.statistic, 4.322120391218686741, "chisq Yates X2 (R)");
  near(r.p_value, 0.037620016634840062, "chisq Yates p (R)");
  /* R: chisq.test(t22, correct = FALSE) */
  ok(rs_tests_chisq(t22, 2, 2, false, &r, NULL, &e), "chisq 2x2 uncorrected");
  near(r.statistic, 5.76959611595834332, "chisq X2 (R)");
  near(r.p_value, 0.01630578158465017, "chisq p (R)");
  ok(rs_tests_cramers_v(t22, 2, 2, &r, &e), "Cramér's V 2x2");
  near(r.estimate, 0.38462756264684134, "Cramér's V 2x2: sqrt(X2 / n) (R)");
  /* R: t33 <- matrix(c(10, 4, 6, 3, 8, 9, 5, 7, 12), 3); chisq.test(t33) (Yates does not apply) */
  const double t33[] = {10, 3, 5, 4, 8, 7, 6, 9, 12};
  ok(rs_tests_chisq(t33, 3, 3, true, &r, NULL, &e) && r.df == 4, "chisq 3x3, df 4, no Yates");
  near(r.statistic, 7.52124756335282640, "chisq 3x3 X2 (R)");
  near(r.p_value, 0.11077600655588596, "chisq 3x3 p (R)");
  ok(rs_tests_cramers_v(t33, 3, 3, &r, &e), "Cramér's V 3x3");
  near(r.estimate, 0.24240409771432073, "Cramér's V 3x3 (R)");
  const double z22[] = {0, 0, 5, 15};
  ok(!rs_tests_chisq(z22, 2, 2, true, &r, NULL, &e) && e, "chisq with an all-zero row: an error");
  g_clear_error(&e);

  /* Fisher 2x2: R fisher.test(matrix(c(a, c, b, d), 2)); tight = fisher_tight() in compare.R */
  static const struct {
    long a, b, c, d;
    double p, est_r, lo_r, hi_r, est, lo, hi;
    const char *what;
  } F[] = {
    {12, 7, 5, 15, 0.024841720377823343, 4.908242058057030732, 1.087802080938853333, 25.766326868315534426,
     4.908241742404555, 1.087836006915790, 25.785458572132679, "matrix(c(12, 5, 7, 15), 2)"},
    {3, 1, 1, 3, 0.48571428571428582, 6.40830886700578795, 0.21173291530550292, 621.93375054541729696,
     6.40831965819967131, 0.21173559544657847, 626.24353058881388279, "tea tasting matrix(c(3, 1, 1, 3), 2)"},
    {0, 5, 6, 2, 0.020979020979020973, 0, 0, 0.825771835191070669, 0, 0, 0.82575553951981706,
     "zero cell matrix(c(0, 6, 5, 2), 2)"},
    {40, 31, 22, 57, 0.00048881623871477244, 3.31462483824972631297, 1.60756354329250061852, 6.99281480373296915332,
     3.3146617803705034, 1.6075647969968796, 6.9930194078853942, "matrix(c(40, 22, 31, 57), 2)"},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(F); k++) {
    char *w;
    ok(rs_tests_fisher_2x2(F[k].a, F[k].b, F[k].c, F[k].d, &r, &e), "fisher.test %s runs", F[k].what);
    w = g_strdup_printf("fisher %s: p (R)", F[k].what); near(r.p_value, F[k].p, w); g_free(w);
    if (F[k].est == 0) ok(r.estimate == 0 && r.ci_low == 0, "fisher %s: estimate and lower limit 0 (R)", F[k].what);
    else { w = g_strdup_printf("fisher %s: conditional MLE (R, tight uniroot)", F[k].what); near(r.estimate, F[k].est, w); g_free(w); }
    if (F[k].lo > 0) { w = g_strdup_printf("fisher %s: CI low (R, tight uniroot)", F[k].what); near(r.ci_low, F[k].lo, w); g_free(w); }
    w = g_strdup_printf("fisher %s: CI high (R, tight uniroot)", F[k].what); near(r.ci_high, F[k].hi, w); g_free(w);
    ok(close_enough(r.estimate, F[k].est_r, 2e-2) && close_enough(r.ci_low, F[k].lo_r, 2e-2) &&
       close_enough(r.ci_high, F[k].hi_r, 2e-2), "fisher %s: fisher.test's own printout within its uniroot tolerance", F[k].what);
  }
  /* r x c: R fisher.test(t33); fisher.test(matrix(c(3, 1, 0, 2, 4, 5), 2)) (FEXACT) */
  const long l33[] = {10, 3, 5, 4, 8, 7, 6, 9, 12};
  ok(rs_tests_fisher_rxc(l33, 3, 3, 0, &r, &e), "fisher 3x3 by enumeration");
  near(r.p_value, 0.14393119373617405, "fisher 3x3 p (R, FEXACT)");
  const long l23[] = {3, 0, 4, 1, 2, 5};
  ok(rs_tests_fisher_rxc(l23, 2, 3, 0, &r, &e), "fisher 2x3 by enumeration");
  near(r.p_value, 0.38648018648018811, "fisher 2x3 p (R, FEXACT)");
  const long l22[] = {12, 7, 5, 15};
  ok(rs_tests_fisher_rxc(l22, 2, 2, 0, &r, &e), "fisher r x c code on a 2x2");
  near(r.p_value, 0.024841720377823343, "enumeration agrees with the 2x2 p (R)");
  ok(!rs_tests_fisher_rxc(l33, 3, 3, 100, &r, &e) && e && e->code == RS_ERROR_LIMIT,
     "fisher r x c: over the table limit is an RS_ERROR_LIMIT error");
  g_clear_error(&e);
}

static void test_proportions(void) {
  rs_test r;
  GError *e = NULL;
  static const struct { long x, n; double est, wlo, whi, X, p, clo, chi, cp; } P[] = {
    /* R: prop.test(x, n, correct = FALSE); binom.test(x, n) */
    {7, 20, 0.34999999999999998, 0.18119182410108206, 0.56714572331476365, 1.80000000000000004, 0.17971249487899982,
     0.15390920478454115, 0.59218853453282816, 0.26317596435546875},
    {0, 10, 0, 0, 0.2775327998628891457, 10, 0.0015654022580025519, 0, 0.3084971078187608295, 0.0019531250000000004},
    {10, 10, 1, 0.7224672001371108543, 1, 10, 0.0015654022580025519, 0.6915028921812391705, 1, 0.0019531250000000004},
    {15, 40, 0.375, 0.24222979167233277, 0.52967560862698893, 2.5, 0.11384629800665812, 0.22726272248182591,
     0.54198524776738899, 0.15385994416283236},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(P); k++) {
    char w[96];
    ok(rs_tests_wilson(P[k].x, P[k].n, &r, &e), "Wilson %ld/%ld runs", P[k].x, P[k].n);
    g_snprintf(w, sizeof w, "Wilson %ld/%ld CI low (R prop.test)", P[k].x, P[k].n); near(r.ci_low, P[k].wlo, w);
    g_snprintf(w, sizeof w, "Wilson %ld/%ld CI high (R prop.test)", P[k].x, P[k].n); near(r.ci_high, P[k].whi, w);
    g_snprintf(w, sizeof w, "prop.test %ld/%ld X2 (R)", P[k].x, P[k].n); near(r.statistic, P[k].X, w);
    g_snprintf(w, sizeof w, "prop.test %ld/%ld p (R)", P[k].x, P[k].n); near(r.p_value, P[k].p, w);
    ok(rs_tests_clopper_pearson(P[k].x, P[k].n, &r, &e), "Clopper-Pearson %ld/%ld runs", P[k].x, P[k].n);
    g_snprintf(w, sizeof w, "Clopper-Pearson %ld/%ld low (R binom.test)", P[k].x, P[k].n); near(r.ci_low, P[k].clo, w);
    g_snprintf(w, sizeof w, "Clopper-Pearson %ld/%ld high (R binom.test)", P[k].x, P[k].n); near(r.ci_high, P[k].chi, w);
    g_snprintf(w, sizeof w, "binom.test %ld/%ld p (R)", P[k].x, P[k].n); near(r.p_value, P[k].cp, w);
  }
  /* R: prop.test(c(15, 25), c(40, 38)) */
  ok(rs_tests_prop2(15, 40, 25, 38, true, &r, &e), "prop.test 2 groups, Yates");
  near(r.estimate, -0.282894736842105310, "risk difference (R)");
  near(r.ci_low, -0.521299026143335342, "prop.test Yates CI low (R)");
  near(r.ci_high, -0.044490447540875250, "prop.test Yates CI high (R)");
  near(r.statistic, 5.161321849030469977, "prop.test Yates X2 (R)");
  near(r.p_value, 0.023095313397508761, "prop.test Yates p (R)");
  /* R: prop.test(c(15, 25), c(40, 38), correct = FALSE) */
  ok(rs_tests_prop2(15, 40, 25, 38, false, &r, &e), "prop.test 2 groups, no correction");
  near(r.ci_low, -0.495641131406493241, "prop.test CI low (R)");
  near(r.ci_high, -0.070148342277717352, "prop.test CI high (R)");
  near(r.statistic, 6.242295706371191244, "prop.test X2 (R)");
  near(r.p_value, 0.012473468795733777, "prop.test p (R)");
  /* OR and RR of a b c d = 12 7 5 15; R: the formulas in compare.R (Woolf; log RR) */
  ok(rs_tests_odds_ratio(12, 7, 5, 15, &r, &e), "odds ratio");
  near(r.estimate, 5.14285714285714235, "OR (R)");
  near(r.ci_low, 1.29905865103656559, "OR Woolf CI low (R)");
  near(r.ci_high, 20.36011197087378832, "OR Woolf CI high (R)");
  near(r.se, 0.70203785001746366, "SE of log OR (R)");
  ok(rs_tests_risk_ratio(12, 7, 5, 15, &r, &e), "risk ratio");
  near(r.estimate, 2.52631578947368407, "RR (R)");
  near(r.ci_low, 1.09812082034489222, "RR CI low (R)");
  near(r.ci_high, 5.81199386251462968, "RR CI high (R)");
  ok(!rs_tests_odds_ratio(0, 7, 5, 15, &r, &e) && e, "OR with a zero cell: an error, not Inf");
  g_clear_error(&e);
}

static void test_effects_and_k(void) {
  rs_test r;
  GError *e = NULL;
  /* Cohen's d / Hedges' g of gx1 vs gy1: formulas in compare.R */
  ok(rs_tests_cohen_d(gx1, 7, gy1, 9, false, &r, &e), "Cohen's d");
  near(r.estimate, -2.41388081808270716, "Cohen's d (R)");
  near(r.ci_low, -3.70813453965509909, "Cohen's d CI low (R)");
  near(r.ci_high, -1.11962709651031522, "Cohen's d CI high (R)");
  ok(rs_tests_cohen_d(gx1, 7, gy1, 9, true, &r, &e), "Hedges' g");
  near(r.estimate, -2.28181191734266831, "Hedges' g (R)");
  near(r.ci_low, -3.50525407895472352, "Hedges' g CI low (R)");
  near(r.ci_high, -1.05836975573061309, "Hedges' g CI high (R)");
  ok(rs_tests_cohen_dz(pre, post, 8, &r, &e), "Cohen's d_z");
  near(r.estimate, -1.45508898374542039, "d_z (R)");
  near(r.ci_low, -2.44933419838694366, "d_z CI low (R)");
  /* R: ya, ga as in compare.R; anova(lm(ya ~ ga)) */
  const double ya[] = {4.2, 5.1, 3.9, 6.3, 5.8, 7.1, 6.6, 5.9, 8.2, 7.7, 8.9, 7.4};
  const int ga[] = {0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2};
  ok(rs_tests_anova(ya, ga, 12, 3, &r, &e) && r.df == 2 && r.df2 == 9, "one-way ANOVA, df 2 and 9");
  near(r.statistic, 32.183713304184892, "ANOVA F (R)");
  near(r.p_value, 7.9309735988142077e-05, "ANOVA p (R)");
  near(r.estimate, 0.87732975768604549, "eta squared (R: SS_g / SS_total)");
  /* R: kruskal.test(c(1,2,2,3,3,3,4,5,5,6,7,7), ga) — ties */
  const double yk[] = {1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7};
  ok(rs_tests_kruskal(yk, ga, 12, 3, &r, &e), "Kruskal-Wallis with ties");
  near(r.statistic, 9.5895161290322530334, "Kruskal-Wallis tie-corrected H (R)");
  near(r.p_value, 0.0082730001179561422, "Kruskal-Wallis p (R)");
  /* R: kruskal.test(ya, ga) */
  ok(rs_tests_kruskal(ya, ga, 12, 3, &r, &e), "Kruskal-Wallis without ties");
  near(r.statistic, 9.6923076923076934008, "Kruskal-Wallis H (R)");
  near(r.p_value, 0.0078585446701516983, "Kruskal-Wallis p (R)");
  const double yc[] = {2, 2, 2, 2, 2, 2};
  const int gc[] = {0, 0, 1, 1, 2, 2};
  ok(!rs_tests_anova(yc, gc, 6, 3, &r, &e) && e && strstr(e->message, "constant"), "ANOVA on constant data: an error");
  g_clear_error(&e);
  ok(!rs_tests_kruskal(yc, gc, 6, 3, &r, &e) && e, "Kruskal-Wallis on constant data: an error");
  g_clear_error(&e);
  ok(!rs_tests_anova(ya, ga, 3, 1, &r, &e) && e, "ANOVA with one group: an error");
  g_clear_error(&e);
}

static void test_padjust(void) {
  /* R: pv <- c(0.01, 0.04, NA, 0.03, 0.2, 0.04, 0.5, 0.001); p.adjust(pv, "holm"); p.adjust(pv, "BH");
   *    p.adjust(pv, "bonferroni") — NA stays NA, n = 7 */
  const double pv[] = {0.01, 0.04, NAN, 0.03, 0.2, 0.04, 0.5, 0.001};
  const double holm[] = {0.06, 0.16, NAN, 0.15, 0.4, 0.16, 0.5, 0.007};
  const double bh[] = {0.035000000000000003, 0.055999999999999994, NAN, 0.055999999999999994, 0.23333333333333336,
                       0.055999999999999994, 0.5, 0.007};
  const double bonf[] = {0.07, 0.28, NAN, 0.21, 1, 0.28, 1, 0.007};
  double out[8];
  int good = 1;
  rs_padjust(pv, 8, RS_PADJUST_HOLM, out);
  for (int i = 0; i < 8; i++) good = good && close_enough(out[i], holm[i], 1e-15);
  ok(good, "p.adjust holm with ties and an NA (R)");
  good = 1;
  rs_padjust(pv, 8, RS_PADJUST_BH, out);
  for (int i = 0; i < 8; i++) good = good && close_enough(out[i], bh[i], 1e-15);
  ok(good, "p.adjust BH with ties and an NA (R)");
  good = 1;
  rs_padjust(pv, 8, RS_PADJUST_BONFERRONI, out);
  for (int i = 0; i < 8; i++) good = good && close_enough(out[i], bonf[i], 1e-15);
  ok(good, "p.adjust bonferroni with an NA (R)");
}

/* ---- design-based tests (analysis/survey.h) on tests/data/stats/survey.csv ----
 * Expected values: R 4.2.2, survey 4.1.1, tests/data/stats/survey-compare.R,
 * which builds each design on the complete cases of the columns used:
 *   des(dd) = svydesign(ids = ~klynge, strata = ~stratum, weights = ~vekt, data = dd) */

/* Complete cases of columns a, b and vekt; *g the 0-based code of b
 * (levels in `levels`), *y the numeric a or the code of a in `ylev`. */
static size_t complete(const rs_table *t, const char *a, const char *b, const char *const *levels,
                       const char *const *ylev, size_t **rows, double **y, int **g, int **yi) {
  int ja = rs_table_find(t, a), jb = rs_table_find(t, b), jw = rs_table_find(t, "vekt");
  *rows = g_new(size_t, t->nrows);
  *y = g_new(double, t->nrows);
  *g = g_new(int, t->nrows);
  *yi = g_new(int, t->nrows);
  size_t n = 0;
  for (size_t i = 0; i < t->nrows; i++) {
    if (!rs_column_present(&t->cols[ja], i) || !rs_column_present(&t->cols[jb], i) || !rs_column_present(&t->cols[jw], i))
      continue;
    int code = -1, yc = -1;
    for (int k = 0; levels[k]; k++)
      if (strcmp(t->cols[jb].str[i], levels[k]) == 0) code = k;
    if (ylev)
      for (int k = 0; ylev[k]; k++)
        if (strcmp(t->cols[ja].str[i], ylev[k]) == 0) yc = k;
    (*rows)[n] = i;
    (*g)[n] = code;
    (*yi)[n] = yc;
    (*y)[n++] = ylev ? NAN : t->cols[ja].num[i];
  }
  return n;
}

static void test_survey(void) {
  const char *top = getenv("top_srcdir");
  char *path = g_build_filename(top ? top : ".", "tests", "data", "stats", "survey.csv", NULL);
  rs_load_options o;
  rs_load_options_init(&o);
  o.quiet = true;
  GError *e = NULL;
  rs_table *t = rs_load_table(path, &o, NULL, &e);
  ok(t != NULL, "load survey.csv (%s)", e ? e->message : "ok");
  g_free(path);
  if (!t) { g_clear_error(&e); return; }
  static const char *const two[] = {"barnekoordinator", "koordinator", NULL};
  static const char *const three[] = {"barnekoordinator", "ingen", "koordinator", NULL};
  static const char *const fornoyd[] = {"lite", "mye", "noe", NULL};
  size_t *rows;
  double *y;
  int *g, *yi;
  rs_test r;
  rs_svy_estimate est[3];
  double V[9];

  /* two groups: d1 <- des(cc("skaar", "gruppe")), 56 rows;
   * svyttest(skaar ~ factor(gruppe, levels = c("koordinator", "barnekoordinator")), d1) */
  size_t n = complete(t, "skaar", "gruppe", two, NULL, &rows, &y, &g, &yi);
  ok(n == 56, "svyttest: 56 complete rows (R nrow(d1$variables))");
  rs_svy_design *d = rs_svy_design_from_table_rows(t, rows, n, "vekt", "stratum", "klynge", &e);
  ok(d != NULL, "design on the complete cases");
  if (d) {
    ok(rs_svy_design_psus(d) == 12 && rs_svy_design_strata(d) == 3 && rs_svy_design_df(d) == 9, "12 PSUs, 3 strata, degf(d1) = 9");
    ok(rs_svy_ttest(d, y, g, &r, &e), "design-based t test runs");
    near(r.estimate, -1.129416927899687062, "svyttest difference in mean (R)");
    near(r.statistic, -3.145181310317270107, "svyttest t (R)");
    ok(r.df == 8, "svyttest df = degf - 1 = 8 (R)");
    near(r.p_value, 0.013697697142985892, "svyttest p (R)");
    near(r.ci_low, -1.9574900496503502, "svyttest conf.int low (R)");
    near(r.ci_high, -0.3013438061490239, "svyttest conf.int high (R)");
    near(r.se, 0.35909437850047415, "SE(svyglm(skaar ~ g2, d1))[2] (R)");
    /* svyby(~skaar, ~gruppe, d1, svymean) */
    ok(rs_svy_group_means(d, y, g, 2, est, V, &e), "group means run");
    near(est[0].mean, 2.9293103448275866, "svyby mean barnekoordinator (R)");
    near(est[1].mean, 4.0587272727272730, "svyby mean koordinator (R)");
    near(est[0].se, 0.20222730411509579, "svyby SE barnekoordinator (R)");
    near(est[1].se, 0.28690339370195189, "svyby SE koordinator (R)");
    rs_svy_design_free(d);
  }
  g_free(rows); g_free(y); g_free(g); g_free(yi);

  /* three groups: d3 <- des(cc("skaar", "tre")), 57 rows;
   * regTermTest(svyglm(skaar ~ factor(tre), d3), ~factor(tre)) */
  n = complete(t, "skaar", "tre", three, NULL, &rows, &y, &g, &yi);
  d = rs_svy_design_from_table_rows(t, rows, n, "vekt", "stratum", "klynge", &e);
  ok(n == 57 && d != NULL, "design for three groups, 57 rows");
  if (d) {
    ok(rs_svy_wald_groups(d, y, g, 3, &r, &e), "design-based Wald test runs");
    near(r.statistic, 0.020183050457344726, "regTermTest F (R)");
    ok(r.df == 2 && r.df2 == 7, "regTermTest df 2 and ddf = degf + 1 - 3 = 7 (R)");
    near(r.p_value, 0.980076078148570895, "regTermTest p (R)");
    /* svyby(~skaar, ~tre, d3, svymean) */
    rs_svy_group_means(d, y, g, 3, est, V, NULL);
    near(est[0].mean, 3.5164978902953585, "svyby3 mean barnekoordinator (R)");
    near(est[1].mean, 3.4366903914590750, "svyby3 mean ingen (R)");
    near(est[2].mean, 3.4409858874975150, "svyby3 mean koordinator (R)");
    near(est[0].se, 0.41128185368301529, "svyby3 SE barnekoordinator (R)");
    near(est[1].se, 0.19302432524377627, "svyby3 SE ingen (R)");
    near(est[2].se, 0.16557121216166160, "svyby3 SE koordinator (R)");
    rs_svy_design_free(d);
  }
  g_free(rows); g_free(y); g_free(g); g_free(yi);

  /* categorical outcome: dc <- des(cc("fornoyd", "tre")), 58 rows; svychisq(~fornoyd + tre, dc) */
  n = complete(t, "fornoyd", "tre", three, fornoyd, &rows, &y, &g, &yi);
  d = rs_svy_design_from_table_rows(t, rows, n, "vekt", "stratum", "klynge", &e);
  ok(n == 58 && d != NULL, "design for the 3 x 3 table, 58 rows");
  if (d) {
    ok(rs_svy_chisq(d, yi, g, 3, 3, &r, &e), "Rao-Scott test runs");
    near(r.statistic, 0.32466781050324245, "svychisq F (R)");
    near(r.df, 3.15054507433546283, "svychisq ndf = d0 (R)");
    near(r.df2, 28.35490566901916409, "svychisq ddf = d0 nu (R)");
    near(r.p_value, 0.81672298084925976, "svychisq p (R)");
    /* svyby(~fornoyd, ~tre, dc, svymean), group barnekoordinator: proportions as domain means */
    static const double want_p[] = {0.24504186866460995, 0.26795945350374617, 0.48699867783164386};
    static const double want_se[] = {0.131235449940612592, 0.096411389792440627, 0.147701218389913069};
    size_t *in = g_new(size_t, n), m = 0;
    double *ind = g_new(double, n);
    for (size_t i = 0; i < n; i++)
      if (g[i] == 0) in[m++] = i;
    for (int v = 0; v < 3; v++) {
      for (size_t i = 0; i < n; i++) ind[i] = yi[i] == v;
      rs_svy_mean(d, ind, in, m, &est[0]);
      near(est[0].mean, want_p[v], "svyby proportion in barnekoordinator (R)");
      near(est[0].se, want_se[v], "svyby proportion SE in barnekoordinator (R)");
    }
    g_free(in);
    g_free(ind);
    rs_svy_design_free(d);
  }
  g_free(rows); g_free(y); g_free(g); g_free(yi);

  /* 3 x 2: dc2 <- des(cc("fornoyd", "gruppe")); svychisq(~fornoyd + gruppe, dc2) */
  n = complete(t, "fornoyd", "gruppe", two, fornoyd, &rows, &y, &g, &yi);
  d = rs_svy_design_from_table_rows(t, rows, n, "vekt", "stratum", "klynge", &e);
  ok(d != NULL && rs_svy_chisq(d, yi, g, 3, 2, &r, &e), "Rao-Scott test on a 3 x 2 table runs");
  near(r.statistic, 1.88157679303594771, "svychisq 3x2 F (R)");
  near(r.df, 1.99080465995747979, "svychisq 3x2 ndf (R)");
  near(r.df2, 17.91724193961731970, "svychisq 3x2 ddf (R)");
  near(r.p_value, 0.18134907742487752, "svychisq 3x2 p (R)");
  rs_svy_design_free(d);
  g_free(rows); g_free(y); g_free(g); g_free(yi);

  /* a stratum left with one PSU after rows are chosen is an error naming the line (survey.lonely.psu = "fail"):
   * keep stratum 'nord' (clusters 1-4) only from cluster 1 */
  size_t pick[60], np = 0;
  int jk = rs_table_find(t, "klynge"), js = rs_table_find(t, "stratum"), jw = rs_table_find(t, "vekt");
  for (size_t i = 0; i < t->nrows; i++)
    if (rs_column_present(&t->cols[jw], i) && (strcmp(t->cols[js].str[i], "nord") != 0 || t->cols[jk].num[i] == 1)) pick[np++] = i;
  d = rs_svy_design_from_table_rows(t, pick, np, "vekt", "stratum", "klynge", &e);
  ok(d == NULL && e && strstr(e->message, "line 2 has only one cluster"), "lonely PSU in the chosen rows: an error naming the line (%s)",
     e ? e->message : "none");
  g_clear_error(&e);
  rs_svy_design_free(d);
  /* a missing weight among the chosen rows is an error (compare leaves such rows out first) */
  d = rs_svy_design_from_table(t, "vekt", "stratum", "klynge", &e);
  ok(d == NULL && e && strstr(e->message, "line 53"), "missing weight: an error naming line 53 (%s)", e ? e->message : "none");
  g_clear_error(&e);
  rs_svy_design_free(d);
  rs_table_free(t);
}

int main(void) {
  gsl_set_error_handler_off();
  test_t();
  test_wilcoxon();
  test_tables();
  test_proportions();
  test_effects_and_k();
  test_padjust();
  test_survey();
  diag("largest relative error against R at the 1e-10 tolerance: %.3g", max_rel);
  return done();
}
