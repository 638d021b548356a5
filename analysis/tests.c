/* tests.c — t tests, Wilcoxon tests, chi-square and Fisher tests,
 * proportions, effect sizes, one-way ANOVA and Kruskal–Wallis.
 *
 * Each function follows the R function named in tests.h step by step
 * (the same formulas in the same order, so results agree to rounding).
 * Means and variances: GSL's two-pass gsl_stats_mean/gsl_stats_variance_m;
 * group sums for ANOVA in long double around the group means.  Every
 * distribution function is GSL's; the only counting done here is the
 * exact null distribution of the Wilcoxon statistics (R's cwilcox and
 * csignrank) and the enumeration of r x c tables for Fisher's test.
 */
#include "analysis/tests.h"
#include "datasets/error.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#define CONF_Z_P 0.975   /* two-sided 95 % */

void rs_test_clear(rs_test *r) {
  r->method = NULL;
  r->n = 0;
  r->estimate = r->se = r->ci_low = r->ci_high = NAN;
  r->statistic = r->df = r->df2 = r->p_value = NAN;
}

static gboolean fail(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean fail(GError **err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(err, RS_ERROR, RS_ERROR_VALUE, msg);
  g_free(msg);
  return FALSE;
}

static double two_sided_t(double t, double df) { return 2 * gsl_cdf_tdist_Q(fabs(t), df); }

/* ---- t tests ------------------------------------------------------------- */

gboolean rs_tests_t(const double *x, size_t nx, const double *y, size_t ny, bool equal_var, rs_test *out,
                    GError **err) {
  rs_test_clear(out);
  /* R: "not enough 'x' observations" (Welch needs 2 per group; Student 1 and 3 in all) */
  if (nx < 1 || (!equal_var && nx < 2)) return fail(err, "the first group has %zu observation%s; the test needs at least %d", nx, nx == 1 ? "" : "s", equal_var ? 1 : 2);
  if (ny < 1 || (!equal_var && ny < 2)) return fail(err, "the second group has %zu observation%s; the test needs at least %d", ny, ny == 1 ? "" : "s", equal_var ? 1 : 2);
  if (equal_var && nx + ny < 3) return fail(err, "the two groups have %zu observations together; Student's t test needs at least 3", nx + ny);
  double mx = gsl_stats_mean(x, 1, nx), my = gsl_stats_mean(y, 1, ny);
  double vx = nx > 1 ? gsl_stats_variance_m(x, 1, nx, mx) : 0, vy = ny > 1 ? gsl_stats_variance_m(y, 1, ny, my) : 0;
  double df, se;
  if (equal_var) {
    df = (double)(nx + ny - 2);
    double v = 0;
    if (nx > 1) v += (double)(nx - 1) * vx;
    if (ny > 1) v += (double)(ny - 1) * vy;
    v /= df;
    se = sqrt(v * (1.0 / (double)nx + 1.0 / (double)ny));
    out->method = "Two Sample t-test (Student, equal variances)";
  } else {
    double sx = vx / (double)nx, sy = vy / (double)ny;
    se = sqrt(sx + sy);
    df = (se * se) * (se * se) / (sx * sx / (double)(nx - 1) + sy * sy / (double)(ny - 1));
    out->method = "Welch Two Sample t-test";
  }
  if (se == 0 || se < 10 * DBL_EPSILON * fmax(fabs(mx), fabs(my)))
    return fail(err, "data are essentially constant: the outcome does not vary within the groups, so the t test is undefined");
  out->n = nx + ny;
  out->estimate = mx - my;
  out->se = se;
  out->statistic = (mx - my) / se;
  out->df = df;
  out->p_value = two_sided_t(out->statistic, df);
  double q = gsl_cdf_tdist_Pinv(CONF_Z_P, df) * se;
  out->ci_low = out->estimate - q;
  out->ci_high = out->estimate + q;
  return TRUE;
}

gboolean rs_tests_paired_t(const double *x, const double *y, size_t n, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (n < 2) return fail(err, "%zu complete pair%s; the paired t test needs at least 2", n, n == 1 ? "" : "s");
  double *d = g_new(double, n);
  for (size_t i = 0; i < n; i++) d[i] = x[i] - y[i];
  double m = gsl_stats_mean(d, 1, n), v = gsl_stats_variance_m(d, 1, n, m);
  g_free(d);
  double se = sqrt(v / (double)n);
  if (se == 0 || se < 10 * DBL_EPSILON * fabs(m))
    return fail(err, "data are essentially constant: the paired differences do not vary, so the t test is undefined");
  out->method = "Paired t-test";
  out->n = n;
  out->estimate = m;
  out->se = se;
  out->statistic = m / se;
  out->df = (double)(n - 1);
  out->p_value = two_sided_t(out->statistic, out->df);
  double q = gsl_cdf_tdist_Pinv(CONF_Z_P, out->df) * se;
  out->ci_low = m - q;
  out->ci_high = m + q;
  return TRUE;
}

/* ---- ranks and the Wilcoxon tests ----------------------------------------- */

void rs_tests_rank(const double *x, size_t n, double *r, double *tie_term) {
  size_t *idx = g_new(size_t, n ? n : 1);
  gsl_sort_index(idx, x, 1, n);
  double ties = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && x[idx[j]] == x[idx[i]]) j++;
    double avg = ((double)(i + 1) + (double)j) / 2;   /* ranks i+1 .. j */
    for (size_t k = i; k < j; k++) r[idx[k]] = avg;
    double t = (double)(j - i);
    ties += t * t * t - t;
    i = j;
  }
  if (tie_term) *tie_term = ties;
  g_free(idx);
}

/* Counts of the Mann–Whitney statistic U = 0 .. m n over the C(m+n, m)
 * equally likely rank sets (R's cwilcox): subsets of size m of {1..m+n}
 * counted by their rank sum.  Returns an array of m n + 1 doubles. */
static double *wilcox_counts(int m, int n) {
  int N = m + n;
  int base = m * (m + 1) / 2, umax = m * n;
  int smax = base + umax;
  double *dp = g_new0(double, (size_t)(m + 1) * (size_t)(smax + 1));
#define DP(j, s) dp[(size_t)(j) * (size_t)(smax + 1) + (size_t)(s)]
  DP(0, 0) = 1;
  for (int r = 1; r <= N; r++) {
    int jmax = r < m ? r : m;
    for (int j = jmax; j >= 1; j--)
      for (int s = smax; s >= r; s--) DP(j, s) += DP(j - 1, s - r);
  }
  double *c = g_new(double, (size_t)umax + 1);
  for (int u = 0; u <= umax; u++) c[u] = DP(m, base + u);
#undef DP
  g_free(dp);
  return c;
}

double rs_tests_pwilcox(double q, int m, int n, bool lower_tail) {
  /* R's pwilcox (nmath/wilcox.c), term by term */
  q = floor(q + 1e-7);
  if (q < 0.0) return lower_tail ? 0 : 1;
  if (q >= (double)m * n) return lower_tail ? 1 : 0;
  double *w = wilcox_counts(m, n);
  double c = gsl_sf_choose((unsigned)(m + n), (unsigned)n);
  double p = 0;
  if (q <= (double)(m * n) / 2) {
    for (int i = 0; i <= (int)q; i++) p += w[i] / c;
  } else {
    q = (double)m * n - q;
    for (int i = 0; i < (int)q; i++) p += w[i] / c;
    lower_tail = !lower_tail;
  }
  g_free(w);
  return lower_tail ? p : (0.5 - p + 0.5);
}

/* Counts of subsets of {1..n} by their sum (R's csignrank). */
static double *signrank_counts(int n) {
  int smax = n * (n + 1) / 2;
  double *c = g_new0(double, (size_t)smax + 1);
  c[0] = 1;
  for (int r = 1; r <= n; r++)
    for (int s = smax; s >= r; s--) c[s] += c[s - r];
  return c;
}

double rs_tests_psignrank(double x, int n, bool lower_tail) {
  /* R's psignrank (nmath/signrank.c), term by term */
  x = nearbyint(x + 1e-7);   /* R_forceint(x + 1e-7) */
  if (x < 0.0) return lower_tail ? 0 : 1;
  double nn = n;
  if (x >= nn * (nn + 1) / 2) return lower_tail ? 1 : 0;
  double *c = signrank_counts(n);
  double f = exp(-nn * M_LN2);
  double p = 0;
  if (x <= nn * (nn + 1) / 4) {
    for (int i = 0; i <= (int)x; i++) p += c[i] * f;
  } else {
    x = nn * (nn + 1) / 2 - x;
    for (int i = 0; i < (int)x; i++) p += c[i] * f;
    lower_tail = !lower_tail;
  }
  g_free(c);
  return lower_tail ? p : (0.5 - p + 0.5);
}

static double two_sided_normal(double z) { return 2 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z)); }

static double sign(double z) { return z > 0 ? 1 : z < 0 ? -1 : 0; }

gboolean rs_tests_rank_sum(const double *x, size_t nx, const double *y, size_t ny, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (nx < 1) return fail(err, "the first group has no observations");
  if (ny < 1) return fail(err, "the second group has no observations");
  size_t n = nx + ny;
  double *all = g_new(double, n), *r = g_new(double, n);
  memcpy(all, x, nx * sizeof(double));
  memcpy(all + nx, y, ny * sizeof(double));
  double ties;
  rs_tests_rank(all, n, r, &ties);
  double sum = 0;
  for (size_t i = 0; i < nx; i++) sum += r[i];
  g_free(all);
  g_free(r);
  double W = sum - (double)nx * ((double)nx + 1) / 2;
  bool exact = nx < 50 && ny < 50, has_ties = ties > 0;
  out->n = n;
  out->statistic = W;
  if (exact && !has_ties) {
    double p = W > (double)nx * (double)ny / 2 ? rs_tests_pwilcox(W - 1, (int)nx, (int)ny, false)
                                               : rs_tests_pwilcox(W, (int)nx, (int)ny, true);
    out->p_value = fmin(2 * p, 1);
    out->method = "Wilcoxon rank sum exact test";
  } else {
    double z = W - (double)nx * (double)ny / 2;
    double dn = (double)n;
    double sigma = sqrt(((double)nx * (double)ny / 12) * ((dn + 1) - ties / (dn * (dn - 1))));
    if (!(sigma > 0)) return fail(err, "all values of the outcome are equal; the rank-sum test is undefined");
    z = (z - sign(z) * 0.5) / sigma;
    out->p_value = two_sided_normal(z);
    out->method = "Wilcoxon rank sum test with continuity correction (normal approximation, tie-corrected)";
  }
  return TRUE;
}

gboolean rs_tests_signed_rank(const double *x, const double *y, size_t n0, rs_test *out, GError **err) {
  rs_test_clear(out);
  double *d = g_new(double, n0 ? n0 : 1);
  size_t n = 0;
  bool zero = false;
  for (size_t i = 0; i < n0; i++) {
    double v = x[i] - y[i];
    if (v == 0) zero = true;
    else d[n++] = v;
  }
  if (n == 0) {
    g_free(d);
    return fail(err, "all %zu paired differences are zero; the signed-rank test is undefined", n0);
  }
  double *a = g_new(double, n), *r = g_new(double, n);
  for (size_t i = 0; i < n; i++) a[i] = fabs(d[i]);
  double ties;
  rs_tests_rank(a, n, r, &ties);
  double V = 0;
  for (size_t i = 0; i < n; i++)
    if (d[i] > 0) V += r[i];
  g_free(a);
  g_free(r);
  g_free(d);
  double dn = (double)n;
  out->n = n;
  out->statistic = V;
  if (n < 50 && ties == 0 && !zero) {
    double p = V > dn * (dn + 1) / 4 ? rs_tests_psignrank(V - 1, (int)n, false) : rs_tests_psignrank(V, (int)n, true);
    out->p_value = fmin(2 * p, 1);
    out->method = "Wilcoxon signed rank exact test";
  } else {
    double z = V - dn * (dn + 1) / 4;
    double sigma = sqrt(dn * (dn + 1) * (2 * dn + 1) / 24 - ties / 48);
    if (!(sigma > 0)) return fail(err, "the signed-rank statistic has no variance; the test is undefined");
    z = (z - sign(z) * 0.5) / sigma;
    out->p_value = two_sided_normal(z);
    out->method = zero ? "Wilcoxon signed rank test with continuity correction (normal approximation; zero differences dropped)"
                       : "Wilcoxon signed rank test with continuity correction (normal approximation, tie-corrected)";
  }
  return TRUE;
}

/* ---- contingency tables ---------------------------------------------------- */

static gboolean margins(const double *x, int nr, int nc, double *rs, double *cs, double *tot, GError **err) {
  if (nr < 2 || nc < 2) return fail(err, "the table has %d row%s and %d column%s; a test of independence needs at least 2 x 2", nr, nr == 1 ? "" : "s", nc, nc == 1 ? "" : "s");
  *tot = 0;
  for (int i = 0; i < nr; i++) rs[i] = 0;
  for (int j = 0; j < nc; j++) cs[j] = 0;
  for (int i = 0; i < nr; i++)
    for (int j = 0; j < nc; j++) {
      double v = x[i * nc + j];
      if (v < 0) return fail(err, "a negative count in the table");
      rs[i] += v;
      cs[j] += v;
      *tot += v;
    }
  for (int i = 0; i < nr; i++)
    if (rs[i] == 0) return fail(err, "row %d of the table is all zero; the test is undefined", i + 1);
  for (int j = 0; j < nc; j++)
    if (cs[j] == 0) return fail(err, "column %d of the table is all zero; the test is undefined", j + 1);
  return TRUE;
}

gboolean rs_tests_chisq(const double *x, int nr, int nc, bool yates, rs_test *out, double *min_expected,
                        GError **err) {
  rs_test_clear(out);
  double *rs = g_new(double, (size_t)nr > 0 ? (size_t)nr : 1), *cs = g_new(double, (size_t)nc > 0 ? (size_t)nc : 1), n = 0;
  if (!margins(x, nr, nc, rs, cs, &n, err)) {
    g_free(rs);
    g_free(cs);
    return FALSE;
  }
  bool corr = yates && nr == 2 && nc == 2;
  double Y = 0, emin = INFINITY;
  if (corr) {
    Y = 0.5;  /* R: YATES <- min(0.5, abs(x - E)) */
    for (int i = 0; i < nr; i++)
      for (int j = 0; j < nc; j++) Y = fmin(Y, fabs(x[i * nc + j] - rs[i] * cs[j] / n));
  }
  double stat = 0;
  for (int i = 0; i < nr; i++)
    for (int j = 0; j < nc; j++) {
      double E = rs[i] * cs[j] / n;  /* R: outer(sr, sc) / n */
      double dd = fabs(x[i * nc + j] - E) - Y;
      stat += dd * dd / E;
      emin = fmin(emin, E);
    }
  g_free(rs);
  g_free(cs);
  out->method = corr ? "Pearson's Chi-squared test with Yates' continuity correction" : "Pearson's Chi-squared test";
  out->n = (size_t)n;
  out->statistic = stat;
  out->df = (double)(nr - 1) * (nc - 1);
  out->p_value = gsl_cdf_chisq_Q(stat, out->df);
  if (min_expected) *min_expected = emin;
  return TRUE;
}

gboolean rs_tests_cramers_v(const double *x, int nr, int nc, rs_test *out, GError **err) {
  rs_test chi;
  if (!rs_tests_chisq(x, nr, nc, false, &chi, NULL, err)) return FALSE;
  rs_test_clear(out);
  out->method = "Cramér's V (from the uncorrected chi-square)";
  out->n = chi.n;
  int k = nr < nc ? nr : nc;
  out->estimate = sqrt(chi.statistic / ((double)chi.n * (k - 1)));
  return TRUE;
}

/* -- Fisher 2 x 2: R's fisher.test, with the noncentral hypergeometric -- */

typedef struct {
  long lo, hi, x;
  long m, n, k;       /* R's m = column 1 total, n = column 2 total, k = row 1 total */
  double *logdc;      /* dhyper(support, m, n, k, log = TRUE) */
  double *d;          /* scratch */
  double target;      /* for the root finder */
  bool upper, invert; /* pnhyper tail; evaluate at 1/t */
  int what;           /* 0: mnhyper, 1: pnhyper */
} nhyper;

static double log_dhyper(long x, long m, long n, long k) {
  double p = gsl_ran_hypergeometric_pdf((unsigned)x, (unsigned)m, (unsigned)n, (unsigned)k);
  if (p > 0) return log(p);
  return gsl_sf_lnchoose((unsigned)m, (unsigned)x) + gsl_sf_lnchoose((unsigned)n, (unsigned)(k - x)) -
         gsl_sf_lnchoose((unsigned)(m + n), (unsigned)k);
}

/* dnhyper(ncp): probabilities over the support, into h->d */
static void dnhyper(nhyper *h, double ncp) {
  long len = h->hi - h->lo + 1;
  double mx = -INFINITY, lncp = log(ncp);
  for (long i = 0; i < len; i++) {
    h->d[i] = h->logdc[i] + lncp * (double)(h->lo + i);
    if (h->d[i] > mx) mx = h->d[i];
  }
  double s = 0;
  for (long i = 0; i < len; i++) s += (h->d[i] = exp(h->d[i] - mx));
  for (long i = 0; i < len; i++) h->d[i] /= s;
}

static double mnhyper(nhyper *h, double ncp) {
  if (ncp == 0) return (double)h->lo;
  if (isinf(ncp)) return (double)h->hi;
  dnhyper(h, ncp);
  double s = 0;
  for (long i = 0; i <= h->hi - h->lo; i++) s += (double)(h->lo + i) * h->d[i];
  return s;
}

static double pnhyper(nhyper *h, long q, double ncp, bool upper) {
  if (ncp == 1) {
    if (upper) return q - 1 < 0 ? 1.0 : gsl_cdf_hypergeometric_Q((unsigned)(q - 1), (unsigned)h->m, (unsigned)h->n, (unsigned)h->k);
    return gsl_cdf_hypergeometric_P((unsigned)q, (unsigned)h->m, (unsigned)h->n, (unsigned)h->k);
  }
  if (ncp == 0) return upper ? (double)(q <= h->lo) : (double)(q >= h->lo);
  if (isinf(ncp)) return upper ? (double)(q <= h->hi) : (double)(q >= h->hi);
  dnhyper(h, ncp);
  double s = 0;
  for (long i = 0; i <= h->hi - h->lo; i++) {
    long v = h->lo + i;
    if (upper ? v >= q : v <= q) s += h->d[i];
  }
  return s;
}

static double root_fn(double t, void *p) {
  nhyper *h = p;
  double ncp = h->invert ? 1 / t : t;
  return (h->what == 0 ? mnhyper(h, ncp) : pnhyper(h, h->x, ncp, h->upper)) - h->target;
}

/* The root of root_fn on [a, b] by Brent's method (R uses uniroot, whose
 * default tolerance is about 1e-4; we go to 1e-14 relative). */
static double brent(nhyper *h, double a, double b) {
  gsl_function F = {root_fn, h};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  double fa = root_fn(a, h), fb = root_fn(b, h);
  if (fa == 0) { gsl_root_fsolver_free(s); return a; }
  if (fb == 0 || fa * fb > 0) { gsl_root_fsolver_free(s); return fb == 0 ? b : NAN; }
  gsl_root_fsolver_set(s, &F, a, b);
  double r = NAN;
  for (int it = 0; it < 500; it++) {
    if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS) break;
    r = gsl_root_fsolver_root(s);
    double lo = gsl_root_fsolver_x_lower(s), hi = gsl_root_fsolver_x_upper(s);
    if (gsl_root_test_interval(lo, hi, 1e-300, 1e-14) == GSL_SUCCESS) break;
  }
  gsl_root_fsolver_free(s);
  return r;
}

static double fisher_mle(nhyper *h) {
  if (h->x == h->lo) return 0;
  if (h->x == h->hi) return INFINITY;
  double mu = mnhyper(h, 1);
  h->what = 0;
  h->target = (double)h->x;
  if (mu > (double)h->x) { h->invert = false; return brent(h, 0, 1); }
  if (mu < (double)h->x) { h->invert = true; return 1 / brent(h, DBL_EPSILON, 1); }
  return 1;
}

static double fisher_ncp_upper(nhyper *h, double alpha) {
  if (h->x == h->hi) return INFINITY;
  double p = pnhyper(h, h->x, 1, false);
  h->what = 1;
  h->upper = false;
  h->target = alpha;
  if (p < alpha) { h->invert = false; return brent(h, 0, 1); }
  if (p > alpha) { h->invert = true; return 1 / brent(h, DBL_EPSILON, 1); }
  return 1;
}

static double fisher_ncp_lower(nhyper *h, double alpha) {
  if (h->x == h->lo) return 0;
  double p = pnhyper(h, h->x, 1, true);
  h->what = 1;
  h->upper = true;
  h->target = alpha;
  if (p > alpha) { h->invert = false; return brent(h, 0, 1); }
  if (p < alpha) { h->invert = true; return 1 / brent(h, DBL_EPSILON, 1); }
  return 1;
}

gboolean rs_tests_fisher_2x2(long a, long b, long c, long d, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (a < 0 || b < 0 || c < 0 || d < 0) return fail(err, "a negative count in the table");
  nhyper h = {0};
  h.m = a + c;
  h.n = b + d;
  h.k = a + b;
  h.x = a;
  if (h.m == 0 || h.n == 0 || h.k == 0 || c + d == 0)
    return fail(err, "a row or column of the 2 x 2 table is all zero; Fisher's test is undefined");
  h.lo = h.k - h.n > 0 ? h.k - h.n : 0;
  h.hi = h.k < h.m ? h.k : h.m;
  long len = h.hi - h.lo + 1;
  h.logdc = g_new(double, len);
  h.d = g_new(double, len);
  for (long i = 0; i < len; i++) h.logdc[i] = log_dhyper(h.lo + i, h.m, h.n, h.k);
  /* two-sided p: sum of d <= d[x] * (1 + 1e-7), with d = dnhyper(1) */
  dnhyper(&h, 1);
  double dx = h.d[h.x - h.lo] * (1 + 1e-7), p = 0;
  for (long i = 0; i < len; i++)
    if (h.d[i] <= dx) p += h.d[i];
  out->p_value = fmin(p, 1);
  out->estimate = fisher_mle(&h);
  out->ci_low = fisher_ncp_lower(&h, 0.025);
  out->ci_high = fisher_ncp_upper(&h, 0.025);
  out->n = (size_t)(a + b + c + d);
  out->method = "Fisher's Exact Test for Count Data (conditional MLE odds ratio, conditional CI)";
  g_free(h.logdc);
  g_free(h.d);
  return TRUE;
}

/* -- Fisher r x c by enumeration -- */

typedef struct {
  int nr, nc;
  long *rowleft;      /* remaining row totals */
  const long *col;
  double *lnfact;     /* ln k! for k = 0..N */
  double cut;         /* include tables with log P <= cut */
  double base;        /* ln of sum R! C! / N! */
  long double p;
  size_t visited, limit;
  bool over;
} rxc;

/* Fill column j from row i on, with `left` of that column still to place
 * and `lp` the sum of -ln(cell!) so far. */
static void rxc_fill(rxc *e, int j, int i, long left, double lp) {
  if (e->over) return;
  if (++e->visited > e->limit) { e->over = true; return; }
  if (j == e->nc - 1) {
    /* last column: the rest of every row */
    double l = lp;
    for (int r = 0; r < e->nr; r++) l -= e->lnfact[e->rowleft[r]];
    double lp_table = e->base + l;
    if (lp_table <= e->cut) e->p += expl((long double)lp_table);
    return;
  }
  if (i == e->nr - 1) {
    if (left > e->rowleft[i]) return;
    e->rowleft[i] -= left;
    rxc_fill(e, j + 1, 0, e->col[j + 1], lp - e->lnfact[left]);
    e->rowleft[i] += left;
    return;
  }
  /* cells below row i can take at most the rows' remaining totals */
  long below = 0;
  for (int r = i + 1; r < e->nr; r++) below += e->rowleft[r];
  long vmin = left - below > 0 ? left - below : 0;
  long vmax = left < e->rowleft[i] ? left : e->rowleft[i];
  for (long v = vmin; v <= vmax; v++) {
    e->rowleft[i] -= v;
    rxc_fill(e, j, i + 1, left - v, lp - e->lnfact[v]);
    e->rowleft[i] += v;
  }
}

gboolean rs_tests_fisher_rxc(const long *x, int nr, int nc, size_t max_tables, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (nr < 2 || nc < 2) return fail(err, "the table needs at least 2 rows and 2 columns for Fisher's test");
  long *row = g_new0(long, nr), *col = g_new0(long, nc), N = 0;
  for (int i = 0; i < nr; i++)
    for (int j = 0; j < nc; j++) {
      long v = x[i * nc + j];
      if (v < 0) { g_free(row); g_free(col); return fail(err, "a negative count in the table"); }
      row[i] += v;
      col[j] += v;
      N += v;
    }
  rxc e = {.nr = nr, .nc = nc, .rowleft = row, .col = col, .limit = max_tables ? max_tables : 10000000};
  e.lnfact = g_new(double, N + 1);
  for (long k = 0; k <= N; k++) e.lnfact[k] = gsl_sf_lnfact((unsigned)k);
  e.base = -e.lnfact[N];
  for (int i = 0; i < nr; i++) e.base += e.lnfact[row[i]];
  for (int j = 0; j < nc; j++) e.base += e.lnfact[col[j]];
  double lobs = e.base;
  for (int k = 0; k < nr * nc; k++) lobs -= e.lnfact[x[k]];
  e.cut = lobs + log1p(1e-7);   /* R: d <= d_obs * (1 + 1e-7) */
  rxc_fill(&e, 0, 0, col[0], 0);
  g_free(e.lnfact);
  g_free(row);
  g_free(col);
  if (e.over) {
    g_set_error(err, RS_ERROR, RS_ERROR_LIMIT,
                "the %d x %d table (n = %ld) has too many tables with its margins for exact enumeration "
                "(more than %zu); use --test chisq, or merge categories", nr, nc, N, e.limit);
    return FALSE;
  }
  out->method = "Fisher's Exact Test for Count Data (r x c, exact enumeration)";
  out->n = (size_t)N;
  out->p_value = fmin((double)e.p, 1);
  return TRUE;
}

/* ---- proportions ------------------------------------------------------------ */

gboolean rs_tests_wilson(long x, long n, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (n <= 0 || x < 0 || x > n) return fail(err, "a proportion needs 0 <= x <= n and n > 0 (x = %ld, n = %ld)", x, n);
  double dn = (double)n, est = (double)x / dn, z = gsl_cdf_ugaussian_Pinv(CONF_Z_P);
  double z22n = z * z / (2 * dn);
  /* prop.test(x, n, correct = FALSE): YATES = 0, so p.c = ESTIMATE */
  double pc = est;
  out->ci_high = pc >= 1 ? 1 : (pc + z22n + z * sqrt(pc * (1 - pc) / dn + z22n / (2 * dn))) / (1 + 2 * z22n);
  out->ci_low = pc <= 0 ? 0 : (pc + z22n - z * sqrt(pc * (1 - pc) / dn + z22n / (2 * dn))) / (1 + 2 * z22n);
  double E = dn * 0.5, d1 = (double)x - E, d2 = (double)(n - x) - E;
  out->statistic = d1 * d1 / E + d2 * d2 / E;
  out->df = 1;
  out->p_value = gsl_cdf_chisq_Q(out->statistic, 1);
  out->estimate = est;
  out->n = (size_t)n;
  out->method = "Wilson score interval (prop.test without continuity correction; test of p = 0.5)";
  return TRUE;
}

gboolean rs_tests_clopper_pearson(long x, long n, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (n <= 0 || x < 0 || x > n) return fail(err, "a proportion needs 0 <= x <= n and n > 0 (x = %ld, n = %ld)", x, n);
  double dx = (double)x, dn = (double)n;
  out->ci_low = x == 0 ? 0 : gsl_cdf_beta_Pinv(0.025, dx, dn - dx + 1);
  out->ci_high = x == n ? 1 : gsl_cdf_beta_Pinv(0.975, dx + 1, dn - dx);
  /* binom.test's two-sided p against 0.5 */
  const double p0 = 0.5, relErr = 1 + 1e-7;
  double d = gsl_ran_binomial_pdf((unsigned)x, p0, (unsigned)n), m = dn * p0, pv;
  if (dx == m) {
    pv = 1;
  } else if (dx < m) {
    long y = 0;
    for (long i = (long)ceil(m); i <= n; i++) y += gsl_ran_binomial_pdf((unsigned)i, p0, (unsigned)n) <= d * relErr;
    pv = gsl_cdf_binomial_P((unsigned)x, p0, (unsigned)n) + (n - y < 0 ? 1 : gsl_cdf_binomial_Q((unsigned)(n - y), p0, (unsigned)n));
  } else {
    long y = 0;
    for (long i = 0; i <= (long)floor(m); i++) y += gsl_ran_binomial_pdf((unsigned)i, p0, (unsigned)n) <= d * relErr;
    pv = (y - 1 < 0 ? 0 : gsl_cdf_binomial_P((unsigned)(y - 1), p0, (unsigned)n)) +
         gsl_cdf_binomial_Q((unsigned)(x - 1), p0, (unsigned)n);
  }
  out->p_value = fmin(pv, 1);
  out->estimate = dx / dn;
  out->statistic = dx;
  out->n = (size_t)n;
  out->method = "Clopper-Pearson exact interval (binom.test; test of p = 0.5)";
  return TRUE;
}

gboolean rs_tests_prop2(long x1, long n1, long x2, long n2, bool yates, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2)
    return fail(err, "a proportion needs 0 <= x <= n and n > 0");
  double x[2] = {(double)x1, (double)x2}, n[2] = {(double)n1, (double)n2};
  double est[2] = {x[0] / n[0], x[1] / n[1]};
  double z = gsl_cdf_ugaussian_Pinv(CONF_Z_P);
  double Y = yates ? 0.5 : 0;
  double delta = est[0] - est[1];
  double sum_inv = 1 / n[0] + 1 / n[1];
  Y = fmin(Y, fabs(delta) / sum_inv);
  double var = est[0] * (1 - est[0]) / n[0] + est[1] * (1 - est[1]) / n[1];
  double width = z * sqrt(var) + Y * sum_inv;
  out->ci_low = fmax(delta - width, -1);
  out->ci_high = fmin(delta + width, 1);
  double p = (x[0] + x[1]) / (n[0] + n[1]);
  if (p == 0 || p == 1) return fail(err, "the outcome has the same value in every row; the test of two proportions is undefined");
  double stat = 0;
  for (int i = 0; i < 2; i++) {
    double E1 = n[i] * p, E2 = n[i] * (1 - p);
    double a = fabs(x[i] - E1) - Y, b = fabs((n[i] - x[i]) - E2) - Y;
    stat += a * a / E1;
    stat += b * b / E2;
  }
  out->estimate = delta;
  out->se = sqrt(var);
  out->statistic = stat;
  out->df = 1;
  out->p_value = gsl_cdf_chisq_Q(stat, 1);
  out->n = (size_t)(n1 + n2);
  out->method = yates ? "2-sample test for equality of proportions with continuity correction (risk difference, Wald CI)"
                      : "2-sample test for equality of proportions without continuity correction (risk difference, Wald CI)";
  return TRUE;
}

gboolean rs_tests_odds_ratio(long a, long b, long c, long d, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (a <= 0 || b <= 0 || c <= 0 || d <= 0) return fail(err, "a zero cell in the 2 x 2 table: the odds ratio and Woolf's interval are undefined");
  double se = sqrt(1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d), lor = log(((double)a * d) / ((double)b * c));
  double z = gsl_cdf_ugaussian_Pinv(CONF_Z_P);
  out->estimate = exp(lor);
  out->se = se;   /* of the log odds ratio */
  out->ci_low = exp(lor - z * se);
  out->ci_high = exp(lor + z * se);
  out->n = (size_t)(a + b + c + d);
  out->method = "odds ratio, Woolf's log interval (se of the log odds ratio)";
  return TRUE;
}

gboolean rs_tests_risk_ratio(long a, long b, long c, long d, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (a <= 0 || c <= 0 || a + b <= 0 || c + d <= 0) return fail(err, "no successes in a group: the risk ratio and its log interval are undefined");
  double n1 = (double)(a + b), n2 = (double)(c + d);
  double lrr = log(((double)a / n1) / ((double)c / n2));
  double se = sqrt(1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2);
  double z = gsl_cdf_ugaussian_Pinv(CONF_Z_P);
  out->estimate = exp(lrr);
  out->se = se;
  out->ci_low = exp(lrr - z * se);
  out->ci_high = exp(lrr + z * se);
  out->n = (size_t)(a + b + c + d);
  out->method = "risk ratio, log interval (se of the log risk ratio)";
  return TRUE;
}

/* ---- standardised mean differences ---------------------------------------- */

gboolean rs_tests_cohen_d(const double *x, size_t nx, const double *y, size_t ny, bool hedges, rs_test *out,
                          GError **err) {
  rs_test_clear(out);
  if (nx < 1 || ny < 1 || nx + ny < 3) return fail(err, "a standardised difference needs at least 3 observations with one in each group");
  double mx = gsl_stats_mean(x, 1, nx), my = gsl_stats_mean(y, 1, ny);
  double vx = nx > 1 ? gsl_stats_variance_m(x, 1, nx, mx) : 0, vy = ny > 1 ? gsl_stats_variance_m(y, 1, ny, my) : 0;
  double m = (double)(nx + ny - 2);
  double sp = sqrt(((double)(nx - 1) * vx + (double)(ny - 1) * vy) / m);
  if (!(sp > 0)) return fail(err, "data are essentially constant: the pooled SD is zero, so the standardised difference is undefined");
  double d = (mx - my) / sp, dn = (double)(nx + ny);
  double se = sqrt(dn / ((double)nx * (double)ny) + d * d / (2 * dn));
  double J = 1;
  if (hedges) {
    if (m < 2) return fail(err, "Hedges' g needs at least 4 observations");
    J = exp(gsl_sf_lngamma(m / 2) - gsl_sf_lngamma((m - 1) / 2)) / sqrt(m / 2);
  }
  double z = gsl_cdf_ugaussian_Pinv(CONF_Z_P);
  out->estimate = d * J;
  out->se = se * J;
  out->ci_low = out->estimate - z * out->se;
  out->ci_high = out->estimate + z * out->se;
  out->n = nx + ny;
  out->method = hedges ? "Hedges' g (exact J), normal-approximation CI (Hedges & Olkin SE)"
                       : "Cohen's d (pooled SD), normal-approximation CI (Hedges & Olkin SE)";
  return TRUE;
}

gboolean rs_tests_cohen_dz(const double *x, const double *y, size_t n, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (n < 2) return fail(err, "Cohen's d_z needs at least 2 pairs");
  double *d = g_new(double, n);
  for (size_t i = 0; i < n; i++) d[i] = x[i] - y[i];
  double m = gsl_stats_mean(d, 1, n), s = gsl_stats_sd_m(d, 1, n, m);
  g_free(d);
  if (!(s > 0)) return fail(err, "data are essentially constant: the paired differences do not vary");
  double dz = m / s, dn = (double)n;
  double se = sqrt(1 / dn + dz * dz / (2 * dn)), z = gsl_cdf_ugaussian_Pinv(CONF_Z_P);
  out->estimate = dz;
  out->se = se;
  out->ci_low = dz - z * se;
  out->ci_high = dz + z * se;
  out->n = n;
  out->method = "Cohen's d_z (mean / SD of the differences), normal-approximation CI";
  return TRUE;
}

/* ---- k groups ---------------------------------------------------------------- */

gboolean rs_tests_anova(const double *y, const int *g, size_t n, int k, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (k < 2) return fail(err, "one-way ANOVA needs at least 2 groups");
  long double *sum = g_new0(long double, k), *mean = g_new0(long double, k);
  size_t *cnt = g_new0(size_t, k);
  long double tot = 0;
  for (size_t i = 0; i < n; i++) { sum[g[i]] += y[i]; cnt[g[i]]++; tot += y[i]; }
  gboolean okk = TRUE;
  for (int j = 0; j < k; j++) if (cnt[j] == 0) okk = FALSE;
  if (!okk || n <= (size_t)k) {
    g_free(sum); g_free(mean); g_free(cnt);
    return fail(err, okk ? "one-way ANOVA needs more observations than groups (n = %zu, %d groups)" : "a group has no observations (n = %zu, %d groups)", n, k);
  }
  /* two passes: group means, then deviations from them (long double) */
  long double grand = tot / (long double)n, ssw = 0, ssb = 0, corr = 0;
  for (int j = 0; j < k; j++) mean[j] = sum[j] / (long double)cnt[j];
  for (size_t i = 0; i < n; i++) { long double e = (long double)y[i] - mean[g[i]]; ssw += e * e; corr += (long double)y[i] - grand; }
  grand += corr / (long double)n;
  for (int j = 0; j < k; j++) { long double e = mean[j] - grand; ssb += (long double)cnt[j] * e * e; }
  g_free(sum); g_free(mean); g_free(cnt);
  double df1 = k - 1, df2 = (double)(n - (size_t)k);
  if (!(ssw > 0)) return fail(err, "data are essentially constant within every group: the residual sum of squares is zero, so the F test is undefined");
  out->statistic = (double)((ssb / df1) / (ssw / df2));
  out->df = df1;
  out->df2 = df2;
  out->p_value = gsl_cdf_fdist_Q(out->statistic, df1, df2);
  out->estimate = (double)(ssb / (ssb + ssw));
  out->n = n;
  out->method = "One-way ANOVA F test (estimate: eta squared)";
  return TRUE;
}

gboolean rs_tests_kruskal(const double *y, const int *g, size_t n, int k, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (k < 2) return fail(err, "all observations are in the same group; the Kruskal-Wallis test needs at least 2");
  double *r = g_new(double, n ? n : 1), ties;
  rs_tests_rank(y, n, r, &ties);
  double *rs = g_new0(double, k);
  size_t *cnt = g_new0(size_t, k);
  for (size_t i = 0; i < n; i++) { rs[g[i]] += r[i]; cnt[g[i]]++; }
  double s = 0;
  gboolean empty = FALSE;
  for (int j = 0; j < k; j++) {
    if (cnt[j] == 0) empty = TRUE;
    else s += rs[j] * rs[j] / (double)cnt[j];
  }
  g_free(r); g_free(rs); g_free(cnt);
  if (empty) return fail(err, "a group has no observations");
  double dn = (double)n;
  double denom = 1 - ties / (dn * dn * dn - dn);
  if (!(denom > 0)) return fail(err, "all values of the outcome are equal; the Kruskal-Wallis test is undefined");
  out->statistic = (12 * s / (dn * (dn + 1)) - 3 * (dn + 1)) / denom;
  out->df = k - 1;
  out->p_value = gsl_cdf_chisq_Q(out->statistic, out->df);
  out->n = n;
  out->method = "Kruskal-Wallis rank sum test (tie-corrected)";
  return TRUE;
}
