/* test-stats2.c — correlation, p.adjust, reliability, survey-weighted
 * means and resampling against R.
 *
 * Expected values: R 4.x with the packages named beside each value
 * (stats, psych 2.2.9, survey 4.1.1, boot 1.3.28.1), printed with
 * sprintf("%.17g", …); the exact R call is in a comment beside each
 * vector.  R is not needed to run the tests.  Where a value is a hand
 * calculation or a property (coverage, seeds), the comment says so.
 */
#include "analysis/correlate.h"
#include "analysis/numsort.h"
#include "analysis/padjust.h"
#include "analysis/reliability.h"
#include "analysis/resample.h"
#include "analysis/survey.h"
#include "datasets/error.h"
#include "datasets/load.h"
#include "tests/tap.h"

#include <glib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-10
static double max_rel = 0;  /* the largest relative error against R seen */

static int near(double got, double want, double rel, const char *what) {
  if (want != 0 && isfinite(want) && isfinite(got)) {
    double e = fabs(got - want) / fabs(want);
    if (e > max_rel && rel <= TOL) max_rel = e;
  }
  if (want == 0) return ok(fabs(got) <= 1e-300, "%s: got %.17g, want 0", what, got);
  return ok_close(got, want, rel, what);
}

/* estimate, statistic, p, [ci_low, ci_high] as R's cor.test prints them */
static void check_cor(const char *tag, const double *x, const double *y, size_t n, rs_cor_method m, const double *want,
                      int nwant) {
  rs_cor_result r;
  GError *e = NULL;
  if (!ok(rs_cor_test(x, y, n, m, 0.95, &r, &e), "%s: computed", tag)) {
    g_clear_error(&e);
    return;
  }
  char buf[128];
  snprintf(buf, sizeof buf, "%s estimate", tag);
  near(r.estimate, want[0], TOL, buf);
  snprintf(buf, sizeof buf, "%s statistic %s", tag, r.statistic_name);
  near(r.statistic, want[1], TOL, buf);
  snprintf(buf, sizeof buf, "%s p-value (%s)", tag, r.p_method);
  near(r.p_value, want[2], TOL, buf);
  if (nwant > 3) {
    snprintf(buf, sizeof buf, "%s CI low", tag);
    near(r.ci_low, want[3], TOL, buf);
    snprintf(buf, sizeof buf, "%s CI high", tag);
    near(r.ci_high, want[4], TOL, buf);
  }
}

static void test_correlation(void) {
  /* R: x <- c(1.2, 2.5, 3.1, 4.8, 5.0, 6.7, 7.3, 8.1); y <- c(2.3, 2.9, 3.8, 4.1, 6.2, 5.9, 8.0, 7.7)
   *    cor.test(x, y, method = m) for m in pearson, spearman, kendall (no ties, n = 8) */
  double x[] = {1.2, 2.5, 3.1, 4.8, 5.0, 6.7, 7.3, 8.1}, y[] = {2.3, 2.9, 3.8, 4.1, 6.2, 5.9, 8.0, 7.7};
  check_cor("A pearson", x, y, 8, RS_COR_PEARSON,
            (double[]){0.94760280775530659, 7.2660395979701908, 0.00034565188133708972, 0.73116602742829773,
                       0.99072144570750675}, 5);
  check_cor("A spearman (exact, n <= 9)", x, y, 8, RS_COR_SPEARMAN,
            (double[]){0.95238095238095255, 3.9999999999999858, 0.0011408730158730159}, 3);
  check_cor("A kendall (exact)", x, y, 8, RS_COR_KENDALL, (double[]){0.8571428571428571, 26, 0.0017361111111111605}, 3);
  /* R: cor.test(x, -y, method = "kendall") -> tau -0.857…, T 2, p 0.001736111111111111 */
  double ny[8];
  for (int i = 0; i < 8; i++) ny[i] = -y[i];
  check_cor("F kendall (exact, lower tail)", x, ny, 8, RS_COR_KENDALL,
            (double[]){-0.8571428571428571, 2, 0.001736111111111111}, 3);

  /* R: u <- c(3.2, 1.1, 4.4, 2.7, 5.9, 6.1, 0.4, 8.8, 7.3, 9.9, 2.2, 5.0)
   *    v <- c(2.0, 1.5, 3.1, 4.9, 3.3, 7.2, 0.9, 6.4, 8.1, 9.0, 1.7, 2.6); cor.test(u, v, method = m)
   *    (spearman: AS 89 Edgeworth series, which R clamps to p = 0 here) */
  double u[] = {3.2, 1.1, 4.4, 2.7, 5.9, 6.1, 0.4, 8.8, 7.3, 9.9, 2.2, 5.0};
  double v[] = {2.0, 1.5, 3.1, 4.9, 3.3, 7.2, 0.9, 6.4, 8.1, 9.0, 1.7, 2.6};
  check_cor("B pearson", u, v, 12, RS_COR_PEARSON,
            (double[]){0.85940634587751841, 5.3153093133485312, 0.00034001819679774182, 0.56336425724352568,
                       0.95988069966206724}, 5);
  check_cor("B spearman (Edgeworth)", u, v, 12, RS_COR_SPEARMAN, (double[]){0.90209790209790219, 27.999999999999972, 0}, 3);
  check_cor("B kendall (exact)", u, v, 12, RS_COR_KENDALL, (double[]){0.78787878787878785, 59, 0.0001074234407567598}, 3);
  /* R: w <- c(5.1, 2.2, 1.3, 7.4, 3.5, 9.6, 0.7, 4.8, 6.9, 8.1, 11.2, 10.3); cor.test(u, w, method = m) */
  double w[] = {5.1, 2.2, 1.3, 7.4, 3.5, 9.6, 0.7, 4.8, 6.9, 8.1, 11.2, 10.3};
  check_cor("G pearson", u, w, 12, RS_COR_PEARSON,
            (double[]){0.30125443995319945, 0.99906285786770921, 0.3413250984771401, -0.32963851517054732,
                       0.7461533058315335}, 5);
  check_cor("G spearman (Edgeworth)", u, w, 12, RS_COR_SPEARMAN, (double[]){0.29370629370629375, 202, 0.35433253421137584}, 3);
  check_cor("G kendall (exact)", u, w, 12, RS_COR_KENDALL, (double[]){0.18181818181818182, 39, 0.4590239573312489}, 3);

  /* ties (Likert-like) — R: a <- c(1,2,2,3,4,4,4,5,3,2); b <- c(2,2,3,3,5,4,3,5,4,1); cor.test(a, b, method = m)
   * (spearman: t approximation; kendall: tau-b, normal approximation with tie-corrected variance) */
  double a[] = {1, 2, 2, 3, 4, 4, 4, 5, 3, 2}, b[] = {2, 2, 3, 3, 5, 4, 3, 5, 4, 1};
  check_cor("C pearson (ties)", a, b, 10, RS_COR_PEARSON,
            (double[]){0.81199794294115013, 3.9349550147037178, 0.0043264497104212526, 0.37314292697618795,
                       0.95392504547938861}, 5);
  check_cor("C spearman (ties)", a, b, 10, RS_COR_SPEARMAN,
            (double[]){0.83122705252714801, 27.847536333020575, 0.0028801095226641746}, 3);
  check_cor("C kendall (ties)", a, b, 10, RS_COR_KENDALL,
            (double[]){0.72733406685258351, 2.6583077135368987, 0.0078534151343677156}, 3);

  /* n = 2 — R: cor.test(c(1,2), c(3,1), method = m) -> -1 (as -0.99999999999999978), S 2 / T 0, p 1;
   * Pearson: R stops with "not enough finite observations" */
  double p1[] = {1, 2}, p2[] = {3, 1};
  rs_cor_result r;
  GError *e = NULL;
  ok(rs_cor_test(p1, p2, 2, RS_COR_SPEARMAN, 0.95, &r, &e) && close_enough(r.estimate, -1, 1e-15) &&
         close_enough(r.statistic, 2, 1e-15) && r.p_value == 1,
     "n = 2 spearman: rho -1, S 2, p 1 (R)");
  ok(rs_cor_test(p1, p2, 2, RS_COR_KENDALL, 0.95, &r, &e) && close_enough(r.estimate, -1, 1e-15) && r.statistic == 0 &&
         r.p_value == 1,
     "n = 2 kendall: tau -1, T 0, p 1 (R)");
  ok(!rs_cor_test(p1, p2, 2, RS_COR_PEARSON, 0.95, &r, &e) && e && strstr(e->message, "at least 3"),
     "n = 2 pearson: an error, as R's 'not enough finite observations' (%s)", e ? e->message : "no error");
  g_clear_error(&e);
  /* R: cor.test(c(1,2,3), c(1,3,2)) -> r 0.5, t 0.57735026918962584, p 0.66666666666666674, no CI (n = 3) */
  double q1[] = {1, 2, 3}, q2[] = {1, 3, 2};
  ok(rs_cor_test(q1, q2, 3, RS_COR_PEARSON, 0.95, &r, NULL) && isnan(r.ci_low) && isnan(r.ci_high),
     "n = 3 pearson: no confidence interval, as R");
  near(r.p_value, 0.66666666666666674, TOL, "n = 3 pearson p-value");
  /* R: cor.test(c(1,2,3,4), c(1,3,2,4)) */
  double h1[] = {1, 2, 3, 4}, h2[] = {1, 3, 2, 4};
  check_cor("H pearson n = 4", h1, h2, 4, RS_COR_PEARSON,
            (double[]){0.80000000000000004, 1.8856180831641276, 0.19999999999999979, -0.69695344529932213,
                       0.99560025046658562}, 5);

  /* constant column — R: cor(c(1,2,3), c(4,4,4)) is NA with the warning "the standard deviation is zero" */
  double k[] = {4, 4, 4};
  for (int m = 0; m < 3; m++) {
    ok(rs_cor_test(q1, k, 3, (rs_cor_method)m, 0.95, &r, NULL) && isnan(r.estimate) && isnan(r.p_value) &&
           r.undefined != NULL,
       "constant column, %s: no estimate, with a reason (%s)", rs_cor_method_name((rs_cor_method)m),
       r.undefined ? r.undefined : "none");
  }

  /* n = 60 — R: set.seed(1); s <- round(rnorm(60), 6); t <- round(s + rnorm(60), 6)
   *    cor.test(s, t, method = "kendall") (normal approximation, n >= 50) and "spearman" (AS 89 Edgeworth) */
  double s[] = {-0.626454, 0.183643, -0.835629, 1.595281, 0.329508, -0.820468, 0.487429, 0.738325, 0.575781, -0.305388,
                1.511781, 0.389843, -0.621241, -2.214700, 1.124931, -0.044934, -0.016190, 0.943836, 0.821221, 0.593901,
                0.918977, 0.782136, 0.074565, -1.989352, 0.619826, -0.056129, -0.155796, -1.470752, -0.478150, 0.417942,
                1.358680, -0.102788, 0.387672, -0.053805, -1.377060, -0.414995, -0.394290, -0.059313, 1.100025, 0.763176,
                -0.164524, -0.253362, 0.696963, 0.556663, -0.688756, -0.707495, 0.364582, 0.768533, -0.112346, 0.881108,
                0.398106, -0.612026, 0.341120, -1.129363, 1.433024, 1.980400, -0.367221, -1.044135, 0.569720, -0.135055};
  double t[] = {1.775164, 0.144403, -0.145890, 1.623283, -0.413765, -0.631676, -1.317530, 2.203880, 0.729034, 1.867224,
                1.987291, -0.320103, -0.010515, -3.148798, -0.128702, 0.246512, -0.459482, 0.944941, 0.895562, 0.004380,
                0.350308, 0.646957, 1.252652, -3.512919, 1.213772, 0.276821, 0.907304, -1.774936, -0.108131, 0.685041,
                0.816160, 1.105080, 1.548075, 0.646409, 0.209773, 0.143491, -1.670882, -0.632578, -0.124588, 0.289775,
                -0.784891, -0.211246, -0.213959, 0.714692, -1.343341, 1.059792, 1.081289, 1.678707, 0.271839, 2.563284,
                -0.237630, -1.073671, 1.773402, -1.780059, 1.225643, 1.587592, -0.687214, -1.323248, 1.063908, -0.312385};
  check_cor("E kendall n = 60 (normal)", s, t, 60, RS_COR_KENDALL,
            (double[]){0.41242937853107342, 4.6558874702459487, 3.2258810174128176e-06}, 3);
  check_cor("E spearman n = 60 (Edgeworth)", s, t, 60, RS_COR_SPEARMAN,
            (double[]){0.56026674076132266, 15825.999999999998, 4.8502784870886813e-06}, 3);

  /* ranks — R: rank(c(3, 1, 3, 2, 3)) -> 4 1 4 2 4 */
  double rr[5];
  rs_cor_rank((double[]){3, 1, 3, 2, 3}, 5, rr);
  ok(rr[0] == 4 && rr[1] == 1 && rr[2] == 4 && rr[3] == 2 && rr[4] == 4, "average ranks with ties, as R's rank()");
  /* The exact Kendall distribution is a distribution: P[T <= n(n-1)/2] = 1 (hand). */
  ok(close_enough(rs_cor_pkendall(45, 10), 1, 1e-15) && rs_cor_pkendall(-1, 10) == 0,
     "pkendall: total probability 1, nothing below 0");
}

static int cmp_num(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The radix sort against qsort: negatives, zeros of both signs, infinities,
 * repeats, many magnitudes; and the order is stable. */
static void test_numsort(void) {
  for (size_t n = 0; n < 3000; n = n * 3 + 1) {
    double *x = g_new(double, n + 1), *a = g_new(double, n + 1), *b = g_new(double, n + 1);
    size_t *o = g_new(size_t, n + 1);
    guint32 s = 12345;
    for (size_t i = 0; i < n; i++) {
      s = s * 1103515245u + 12345u;
      switch (s % 7) {
        case 0: x[i] = (double)(s % 5); break;
        case 1: x[i] = -(double)(s % 5) / 3; break;
        case 2: x[i] = (s & 8) ? -0.0 : 0.0; break;
        case 3: x[i] = (s & 8) ? -INFINITY : INFINITY; break;
        case 4: x[i] = ldexp((double)(s % 1000), (int)(s % 600) - 300); break;
        default: x[i] = -ldexp((double)(s % 97), (int)(s % 80) - 40); break;
      }
    }
    memcpy(a, x, n * sizeof *x);
    memcpy(b, x, n * sizeof *x);
    qsort(a, n, sizeof *a, cmp_num);
    rs_numsort_sort(b, n);
    rs_numsort_order(x, n, o);
    bool same = true, stable = true;
    for (size_t i = 0; i < n; i++) same = same && a[i] == b[i] && x[o[i]] == a[i];
    for (size_t i = 1; i < n; i++)
      if (memcmp(&x[o[i]], &x[o[i - 1]], sizeof(double)) == 0) stable = stable && o[i] > o[i - 1];
    bool plus_zero = true;   /* -0 written back as +0 */
    for (size_t i = 0; i < n; i++) plus_zero = plus_zero && !(b[i] == 0 && signbit(b[i]));
    ok(same && stable && plus_zero, "numsort: %zu values in qsort's order, equal values in index order, -0 as +0", n);
    g_free(x); g_free(a); g_free(b); g_free(o);
  }
}

static void test_padjust(void) {
  /* R: p <- c(0.01, 0.04, 0.03, 0.2, 0.04, 0.5); p.adjust(p, "holm"); p.adjust(p, "BH") */
  double p[] = {0.01, 0.04, 0.03, 0.2, 0.04, 0.5}, out[6];
  double holm[] = {0.059999999999999998, 0.16, 0.14999999999999999, 0.40000000000000002, 0.16, 0.5};
  double bh[] = {0.059999999999999998, 0.059999999999999998, 0.059999999999999998, 0.23999999999999999,
                 0.059999999999999998, 0.5};
  rs_padjust(p, 6, RS_PADJUST_HOLM, out);
  int good = 1;
  for (int i = 0; i < 6; i++) good = good && close_enough(out[i], holm[i], 1e-15);
  ok(good, "p.adjust holm with tied p-values (R)");
  rs_padjust(p, 6, RS_PADJUST_BH, out);
  good = 1;
  for (int i = 0; i < 6; i++) good = good && close_enough(out[i], bh[i], 1e-15);
  ok(good, "p.adjust BH with tied p-values (R)");
  ok(rs_padjust_method_from_name("fdr") == RS_PADJUST_BH && rs_padjust_method_from_name("xyz") == -1,
     "p.adjust method names");
}

static void test_reliability(void) {
  /* R (psych 2.2.9): x <- data.frame(q1 = c(4,5,3,2,4,5,1,3,4,2), q2 = c(3,5,4,2,4,4,2,3,NA,1),
   *      q3 = c(2,1,3,4,2,2,5,3,1,NA), q4 = c(4,4,3,1,5,5,2,NA,4,2)); x$q3 <- 6 - x$q3   (reverse-coded, scale 1-5)
   *    a <- alpha(x); a$total$raw_alpha; a$alpha.drop$raw_alpha; a$item.stats$r.drop; $mean; $sd */
  const double NA = NAN;
  double q[10][4] = {{4, 3, 2, 4}, {5, 5, 1, 4}, {3, 4, 3, 3}, {2, 2, 4, 1}, {4, 4, 2, 5},
                     {5, 4, 2, 5}, {1, 2, 5, 2}, {3, 3, 3, NA}, {4, NA, 1, 4}, {2, 1, NA, 2}};
  for (int r = 0; r < 10; r++)
    if (!isnan(q[r][2])) q[r][2] = 6 - q[r][2];
  const char *names[] = {"q1", "q2", "q3", "q4"};
  GError *e = NULL;
  rs_alpha *a = rs_reliability_alpha(&q[0][0], 10, 4, names, &e);
  if (!ok(a != NULL, "alpha computed")) return;
  near(a->alpha, 0.95801301005322292, TOL, "psych raw_alpha (pairwise covariances, missing answers)");
  double drop[] = {0.92097782831154062, 0.96181390352447704, 0.95695434713206351, 0.93658241694973798};
  double rdrop[] = {0.9755180051146618, 0.83735992393154124, 0.85499522736576716, 0.92504688314470107};
  double mean[] = {3.2999999999999998, 3.1111111111111112, 3.4444444444444446, 3.3333333333333335};
  double sd[] = {1.3374935098492586, 1.2692955176439846, 1.3333333333333333, 1.4142135623730951};
  char buf[64];
  for (int i = 0; i < 4; i++) {
    snprintf(buf, sizeof buf, "psych alpha.drop raw_alpha %s", names[i]);
    near(a->alpha_drop[i], drop[i], TOL, buf);
    snprintf(buf, sizeof buf, "psych item.stats r.drop %s", names[i]);
    near(a->r_drop[i], rdrop[i], TOL, buf);
    snprintf(buf, sizeof buf, "psych item.stats mean, sd %s", names[i]);
    ok(close_enough(a->mean[i], mean[i], TOL) && close_enough(a->sd[i], sd[i], TOL), "%s", buf);
  }
  ok(a->n_rows == 10 && a->n_complete == 7, "rows answered 10, complete 7 (hand count)");
  rs_alpha_free(a);
  /* two items — R: alpha(x[, c("q1","q2")]) -> 0.92819614711033283; alpha.drop 0.91379310344827591,
   * 0.82298136645962738; r.drop 0.86719934094603957 (both) */
  double q2[10][2];
  for (int r = 0; r < 10; r++) { q2[r][0] = q[r][0]; q2[r][1] = q[r][1]; }
  a = rs_reliability_alpha(&q2[0][0], 10, 2, names, &e);
  near(a->alpha, 0.92819614711033283, TOL, "psych raw_alpha, two items");
  near(a->alpha_drop[0], 0.91379310344827591, TOL, "psych two-item alpha.drop[1] = C12/C22");
  near(a->alpha_drop[1], 0.82298136645962738, TOL, "psych two-item alpha.drop[2] = C12/C11");
  near(a->r_drop[0], 0.86719934094603957, TOL, "psych two-item r.drop");
  rs_alpha_free(a);
  /* a constant item: psych drops it with a warning; we refuse with a reason */
  double qc[3][2] = {{1, 3}, {2, 3}, {3, 3}};
  a = rs_reliability_alpha(&qc[0][0], 3, 2, names, &e);
  ok(a == NULL && e && strstr(e->message, "q2") && strstr(e->message, "same answer"),
     "constant item: an error naming it (%s)", e ? e->message : "none");
  g_clear_error(&e);
}

/* Reads the codebook-reversed alpha through the table path (CSV + codebook). */
static void test_reliability_table(void) {
  char *dir = g_dir_make_tmp("rs-stats2-XXXXXX", NULL);
  char *data = g_build_filename(dir, "d.csv", NULL), *cbp = g_build_filename(dir, "cb.csv", NULL);
  const char *csv = "q1,q2,q3,q4\n4,3,2,4\n5,5,1,4\n3,4,3,3\n2,2,4,1\n4,4,2,5\n5,4,2,5\n1,2,5,2\n3,3,3,\n4,,1,4\n2,1,,2\n";
  const char *cb = "name,label_nb,label_en,type,min,max,reverse,missing,values,index\n"
                   "q1,,,likert,1,5,0,,,samarbeid\nq2,,,likert,1,5,0,,,samarbeid\n"
                   "q3,,,likert,1,5,1,,,samarbeid\nq4,,,likert,1,5,0,,,samarbeid\n";
  g_file_set_contents(data, csv, -1, NULL);
  g_file_set_contents(cbp, cb, -1, NULL);
  GError *e = NULL;
  rs_codebook *book = rs_codebook_load(cbp, NULL, &e);
  rs_load_options o;
  rs_load_options_init(&o);
  o.codebook = book;
  o.quiet = true;
  rs_table *t = book ? rs_load_table(data, &o, NULL, &e) : NULL;
  char **items = t ? rs_reliability_index_items(book, "samarbeid", &e) : NULL;
  ok(items && g_strv_length(items) == 4, "--index samarbeid: four items from the codebook's index column");
  rs_results *res = rs_results_new("reliability");
  ok(items && rs_reliability_table(t, (const char *const *)items, "samarbeid", res, &e), "alpha of the index");
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  rs_results_write(res, fp, RS_FORMAT_CSV);
  fclose(fp);
  /* R: the same psych::alpha value as above (q3 reversed as 6 - q3 by hand) */
  ok(buf && strstr(buf, "0.9580130100532229"), "codebook reverse = 1 reverses q3 first: raw_alpha 0.9580130100532229");
  free(buf);
  char **none = rs_reliability_index_items(book, "nosuch", &e);
  ok(none == NULL && e, "unknown index: an error (%s)", e ? e->message : "none");
  g_clear_error(&e);
  rs_results_free(res);
  g_strfreev(items);
  rs_table_free(t);
  rs_codebook_free(book);
  g_remove(data);
  g_remove(cbp);
  g_rmdir(dir);
  g_free(data);
  g_free(cbp);
  g_free(dir);
}

static void test_survey(void) {
  /* R (survey 4.1.1):
   * d <- data.frame(y = c(3.1,4.2,NA,5.0,2.2,3.9,4.4,6.1,2.8,3.3,5.5,4.0), g = c(1,2,1,2,1,2,1,2,2,1,1,2),
   *                 w = c(1.5,2.0,0.5,1.0,3.0,2.5,1.2,0.8,1.1,2.2,1.7,0.9), s = c(1,1,1,1,1,1,2,2,2,2,2,2),
   *                 cl = c(1,1,2,2,3,3,4,4,5,5,6,7)) */
  const double NA = NAN;
  double y[] = {3.1, 4.2, NA, 5.0, 2.2, 3.9, 4.4, 6.1, 2.8, 3.3, 5.5, 4.0};
  double g[] = {1, 2, 1, 2, 1, 2, 1, 2, 2, 1, 1, 2};
  double w[] = {1.5, 2.0, 0.5, 1.0, 3.0, 2.5, 1.2, 0.8, 1.1, 2.2, 1.7, 0.9};
  long s[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2}, cl[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7};
  GError *e = NULL;
  rs_svy_estimate est;
  /* svymean(~y, svydesign(ids = ~1, weights = ~w, data = d), na.rm = TRUE) */
  rs_svy_design *d = rs_svy_design_new(12, w, NULL, NULL, &e);
  rs_svy_mean(d, y, NULL, 0, &est);
  near(est.mean, 3.7905027932960897, TOL, "svymean, weights only: mean");
  near(est.se, 0.37284740317307929, TOL, "svymean, weights only: SE");
  rs_svy_design_free(d);
  /* svydesign(ids = ~1, strata = ~s, weights = ~w, data = d) */
  d = rs_svy_design_new(12, w, s, NULL, &e);
  rs_svy_mean(d, y, NULL, 0, &est);
  near(est.se, 0.37091755015983036, TOL, "svymean, strata: SE");
  rs_svy_design_free(d);
  /* svydesign(ids = ~cl, weights = ~w, data = d) */
  d = rs_svy_design_new(12, w, NULL, cl, &e);
  rs_svy_mean(d, y, NULL, 0, &est);
  near(est.se, 0.38907917951106191, TOL, "svymean, clusters: SE");
  rs_svy_design_free(d);
  /* svydesign(ids = ~cl, strata = ~s, weights = ~w, data = d) */
  d = rs_svy_design_new(12, w, s, cl, &e);
  rs_svy_mean(d, y, NULL, 0, &est);
  near(est.mean, 3.7905027932960897, TOL, "svymean, strata and clusters: mean");
  near(est.se, 0.39033981892102876, TOL, "svymean, strata and clusters: SE");
  /* svyby(~y, ~g, d3, svymean, na.rm = TRUE) -> 3.4520833333333334, 4.1819277108433734 | SE 0.51371324196980139, 0.34053061864385276 */
  size_t g1[12], g2[12], n1 = 0, n2 = 0;
  for (size_t i = 0; i < 12; i++) {
    if (g[i] == 1) g1[n1++] = i; else g2[n2++] = i;
  }
  rs_svy_mean(d, y, g1, n1, &est);
  near(est.mean, 3.4520833333333334, TOL, "svyby group 1: mean");
  near(est.se, 0.51371324196980139, TOL, "svyby group 1: SE (domain of the whole design)");
  rs_svy_mean(d, y, g2, n2, &est);
  near(est.mean, 4.1819277108433734, TOL, "svyby group 2: mean");
  near(est.se, 0.34053061864385276, TOL, "svyby group 2: SE");
  /* svymean(~factor(g), d3) -> 0.54891304347826086, 0.45108695652173919 | 0.061062200452162395 (both) */
  double ind[12];
  for (int i = 0; i < 12; i++) ind[i] = g[i] == 1;
  rs_svy_mean(d, ind, NULL, 0, &est);
  near(est.mean, 0.54891304347826086, TOL, "svymean(~factor(g)): proportion");
  near(est.se, 0.061062200452162395, TOL, "svymean(~factor(g)): SE");
  rs_svy_design_free(d);
  /* lonely PSU: stratum 2 with one cluster — survey's default survey.lonely.psu = "fail" */
  long cl1[] = {1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4};
  d = rs_svy_design_new(12, w, s, cl1, &e);
  ok(d == NULL && e && strstr(e->message, "only one cluster"), "lonely PSU: an error (%s)", e ? e->message : "none");
  g_clear_error(&e);
  double wbad[] = {1, -1};
  d = rs_svy_design_new(2, wbad, NULL, NULL, &e);
  ok(d == NULL && e, "negative weight: an error");
  g_clear_error(&e);
}

/* rs_svy_domains_* must give rs_svy_mean, rs_svy_domain_df and rs_svy_recvar
 * bit for bit: random rows with NAs, zero weights, strata and clusters,
 * each row in up to 3 overlapping domains, one domain left empty. */
static bool same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void test_survey_domains(void) {
  enum { N = 3000, M = 3, K = 9 };
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  double *w = g_new(double, N), *y = g_new(double, N);
  long *st = g_new(long, N), *cl = g_new(long, N);
  int *dom = g_new(int, N * M);
  for (size_t i = 0; i < N; i++) {
    w[i] = gsl_rng_uniform(r) < 0.05 ? 0 : 0.2 + 3 * gsl_rng_uniform(r);
    y[i] = gsl_rng_uniform(r) < 0.1 ? NAN : gsl_ran_gaussian(r, 2) + 3;
    st[i] = (long)gsl_rng_uniform_int(r, 3);
    cl[i] = (long)gsl_rng_uniform_int(r, 40);
    dom[i * M] = (int)gsl_rng_uniform_int(r, 2);                       /* 0, 1 */
    dom[i * M + 1] = gsl_rng_uniform(r) < 0.3 ? -1 : 2 + (int)gsl_rng_uniform_int(r, 4);  /* 2 .. 5 */
    dom[i * M + 2] = 6 + (int)gsl_rng_uniform_int(r, 2);               /* 6, 7; 8 stays empty */
  }
  GError *e = NULL;
  rs_svy_design *d = rs_svy_design_new(N, w, st, cl, &e);
  ok(d != NULL, "random design (%s)", e ? e->message : "ok");
  rs_svy_domains *s = d ? rs_svy_domains_new(d, dom, M, K) : NULL, *s2 = s ? rs_svy_domains_share(s) : NULL;
  rs_svy_estimate est[K];
  double df[K];
  if (s2) rs_svy_domains_mean(s2, y, est, df);
  size_t *rows[K], nr[K];
  int nalloc = 0;
  bool same = s2 != NULL;
  for (int j = 0; j < K && same; j++) {
    rows[j] = g_new(size_t, N);
    nalloc++;
    nr[j] = 0;
    for (size_t i = 0; i < N; i++)
      for (int q = 0; q < M; q++)
        if (dom[i * M + q] == j && !isnan(y[i])) rows[j][nr[j]++] = i;
    rs_svy_estimate one;
    rs_svy_mean(d, y, rows[j], nr[j], &one);
    same = one.n == est[j].n && same_double(one.wsum, est[j].wsum) && same_double(one.mean, est[j].mean) &&
           same_double(one.se, est[j].se) && same_double(rs_svy_domain_df(d, rows[j], nr[j]), df[j]);
    if (!same) diag("domain %d: mean %.17g / %.17g, se %.17g / %.17g", j, one.mean, est[j].mean, one.se, est[j].se);
  }
  ok(same, "rs_svy_domains_mean: every domain's mean, SE and df bit for bit as rs_svy_mean and rs_svy_domain_df");
  ok(s2 && est[8].n == 0 && isnan(est[8].mean), "an empty domain: n 0, no mean");
  /* the difference of two domain means, as a caller of rs_svy_recvar computes it */
  int pairs[][2] = {{0, 1}, {2, 3}, {4, 7}, {6, 7}};
  bool same_v = same;
  for (size_t p = 0; p < G_N_ELEMENTS(pairs) && same_v; p++) {
    int a = pairs[p][0], b = pairs[p][1];
    double *z = g_new0(double, 2 * N), V[4], V2[4], dfab;
    for (int t = 0; t < 2; t++) {
      int j = t ? b : a;
      for (size_t q = 0; q < nr[j]; q++) {
        size_t i = rows[j][q];
        z[2 * i + t] = w[i] * (y[i] - est[j].mean) / est[j].wsum;
      }
    }
    rs_svy_recvar(d, z, 2, V);
    rs_svy_domains_diff(s2, (size_t)a, (size_t)b, V2, &dfab);
    size_t *ab = g_new(size_t, nr[a] + nr[b]), nab = 0;
    for (size_t i = 0, qa = 0, qb = 0; i < N; i++) {
      bool in = false;
      if (qa < nr[a] && rows[a][qa] == i) { in = true; qa++; }
      if (qb < nr[b] && rows[b][qb] == i) { in = true; qb++; }
      if (in) ab[nab++] = i;
    }
    for (int c = 0; c < 4; c++) same_v = same_v && same_double(V[c], V2[c]);
    same_v = same_v && same_double(dfab, rs_svy_domain_df(d, ab, nab));
    g_free(z);
    g_free(ab);
  }
  ok(same_v, "rs_svy_domains_diff: the 2 x 2 covariance and the df of the union bit for bit as rs_svy_recvar");
  for (int j = 0; j < nalloc; j++) g_free(rows[j]);
  rs_svy_domains_free(s2);
  rs_svy_domains_free(s);
  rs_svy_design_free(d);
  g_free(w);
  g_free(y);
  g_free(st);
  g_free(cl);
  g_free(dom);
  gsl_rng_free(r);
}

static void test_resample(void) {
  /* Replicates from gsl_rng_mt19937; the expected intervals are boot.ci() (boot 1.3.28.1) applied to
   * those very replicates, written out by this code with the same seed and read back in R:
   *   x <- c(2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 7.9, 3.0, 4.1, 2.2, 6.5, 3.7, 2.9, 4.8)
   *   b <- boot(x, function(d, i) mean(d[i]), R = 999); b$t[, 1] <- scan("t1.txt")
   *   boot.ci(b, conf = 0.95, type = c("perc", "bca"), L = empinf(b, type = "jack")) */
  double x[] = {2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 7.9, 3.0, 4.1, 2.2, 6.5, 3.7, 2.9, 4.8};
  double y[] = {1.2, 2.5, 3.1, 0.8, 2.2, 1.9, 2.7, 3.5, 1.4, 2.0};
  long cl[] = {1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6};
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  rs_boot_result r;
  GError *e = NULL;
  gsl_rng_set(rng, 42);
  ok(rs_boot_mean(x, 15, NULL, 999, rng, 0.95, &r, NULL, &e), "bootstrap of a mean, seed 42, B = 999");
  near(r.perc_low, 3.1400000000000001, TOL, "boot.ci percentile low");
  near(r.perc_high, 4.746666666666667, TOL, "boot.ci percentile high");
  near(r.bca_low, 3.2077550885036947, TOL, "boot.ci BCa low (jackknife acceleration)");
  near(r.bca_high, 4.8886384436361068, TOL, "boot.ci BCa high");
  /* the same seed gives the same interval; another seed a different one (replicates differ) */
  rs_boot_result r2;
  gsl_rng_set(rng, 42);
  rs_boot_mean(x, 15, NULL, 999, rng, 0.95, &r2, NULL, &e);
  ok(r2.bca_low == r.bca_low && r2.perc_high == r.perc_high, "same seed, same interval");
  /* d <- data.frame(v = c(x, y), g = rep(1:2, c(15, 10)))
   * b2 <- boot(d, function(d, i) mean(d$v[i][d$g[i]==1]) - mean(d$v[i][d$g[i]==2]), R = 1999, strata = d$g)
   * b2$t[, 1] <- scan("t2.txt"); boot.ci(b2, conf = 0.9, type = c("perc", "bca"), L = empinf(b2, type = "jack")) */
  gsl_rng_set(rng, 7);
  ok(rs_boot_diff(x, 15, y, 10, 1999, rng, 0.9, &r, NULL, &e), "bootstrap of a difference in means, seed 7");
  near(r.perc_low, 0.94666666666666666, TOL, "boot.ci (strata) percentile low");
  near(r.perc_high, 2.6133333333333333, TOL, "boot.ci (strata) percentile high");
  near(r.bca_low, 1.0466666666666666, TOL, "boot.ci (strata) BCa low");
  near(r.bca_high, 2.7348347314550594, TOL, "boot.ci (strata) BCa high");
  /* cluster bootstrap: boot over the 6 clusters' (sum, count), statistic sum(s[i]) / sum(m[i]):
   * cd <- data.frame(s = tapply(x, cl, sum), m = as.numeric(table(cl)))
   * b3 <- boot(cd, function(d, i) sum(d$s[i]) / sum(d$m[i]), R = 999); b3$t[, 1] <- scan("t3.txt")
   * boot.ci(b3, conf = 0.95, type = c("perc", "bca"), L = empinf(b3, type = "jack")) */
  gsl_rng_set(rng, 3);
  ok(rs_boot_mean(x, 15, cl, 999, rng, 0.95, &r, NULL, &e), "cluster bootstrap, seed 3");
  near(r.perc_low, 3.1875, TOL, "cluster boot.ci percentile low");
  near(r.perc_high, 4.5499999999999998, TOL, "cluster boot.ci percentile high");
  near(r.bca_low, 3.0798147119663022, TOL, "cluster boot.ci BCa low");
  near(r.bca_high, 4.5, TOL, "cluster boot.ci BCa high");

  /* norm.inter by hand: t = 1..19, R = 19, alpha 0.5 -> rk = 10 exactly -> t[10] = 10 */
  double t[19];
  for (int i = 0; i < 19; i++) t[i] = 19 - i;
  ok(rs_boot_norm_inter(t, 19, 0.5) == 10, "norm.inter at an integer order statistic (hand)");

  /* coverage: 200 samples of n = 30 from N(5, 2^2), B = 499: the 95% percentile and BCa intervals
   * contain 5 in 90-99% of samples (binomial 95% range for 200 trials is about 92-98%) */
  gsl_rng *gen = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(gen, 2022);
  int cov_p = 0, cov_b = 0;
  for (int k = 0; k < 200; k++) {
    double z[30];
    for (int i = 0; i < 30; i++) z[i] = 5 + gsl_ran_gaussian(gen, 2);
    rs_boot_mean(z, 30, NULL, 499, rng, 0.95, &r, NULL, NULL);
    cov_p += r.perc_low <= 5 && 5 <= r.perc_high;
    cov_b += r.bca_low <= 5 && 5 <= r.bca_high;
  }
  ok(cov_p >= 180 && cov_p <= 198, "percentile coverage %d/200 in [180, 198]", cov_p);
  ok(cov_b >= 180 && cov_b <= 198, "BCa coverage %d/200 in [180, 198]", cov_b);
  gsl_rng_free(gen);

  /* permutation test: groups far apart -> p = 1/(1 + B) (no permutation is as extreme except the
   * identity-like ones, which are measure ~0); identical groups -> p = 1 (every |T*| >= 0) */
  double lo[] = {1, 2, 3, 4, 5, 6}, hi[] = {101, 102, 103, 104, 105, 106};
  double p;
  size_t cnt;
  gsl_rng_set(rng, 11);
  ok(rs_perm_diff(lo, 6, hi, 6, 999, rng, &p, &cnt, &e) && p == (1.0 + (double)cnt) / 1000.0 && cnt <= 2,
     "permutation p = (1 + #)/(1 + B), far-apart groups: %zu of 999 as extreme, p = %g", cnt, p);
  ok(rs_perm_diff(lo, 6, lo, 6, 99, rng, &p, &cnt, &e) && p == 1, "permutation, identical groups: p = 1");
  ok(!rs_boot_mean(x, 1, NULL, 99, rng, 0.95, &r, NULL, &e) && e, "bootstrap of one value: an error");
  g_clear_error(&e);
  gsl_rng_free(rng);
}

int main(void) {
  gsl_set_error_handler_off();
  test_correlation();
  test_numsort();
  test_padjust();
  test_reliability();
  test_reliability_table();
  test_survey();
  test_survey_domains();
  test_resample();
  diag("largest relative error against R at the 1e-10 tolerance: %.3g", max_rel);
  return done();
}
