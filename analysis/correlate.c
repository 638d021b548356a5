/* correlate.c — correlation coefficients and R's cor.test() p-values.
 *
 * Sums are two-pass (means first, then centred cross-products) in long
 * double.  Kendall's tau-b counts concordant and discordant pairs directly
 * (O(n^2)); fine for survey-sized data.  The exact distributions (AS 89
 * for Spearman with n <= 9, the Mahonian numbers for Kendall) are written
 * from the published algorithms and reproduce R's stats package values.
 */
#include "analysis/correlate.h"
#include "analysis/numsort.h"
#include "analysis/padjust.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int rs_cor_method_from_name(const char *name) {
  if (!name || g_ascii_strcasecmp(name, "pearson") == 0) return RS_COR_PEARSON;
  if (g_ascii_strcasecmp(name, "spearman") == 0) return RS_COR_SPEARMAN;
  if (g_ascii_strcasecmp(name, "kendall") == 0) return RS_COR_KENDALL;
  return -1;
}

const char *rs_cor_method_name(rs_cor_method m) {
  static const char *const names[] = {"pearson", "spearman", "kendall"};
  return names[m];
}

/* Pearson r by two passes in long double; NAN when a variable is constant. */
static double pearson_r(const double *x, const double *y, size_t n, const char **undefined) {
  long double sx = 0, sy = 0;
  for (size_t i = 0; i < n; i++) { sx += x[i]; sy += y[i]; }
  long double mx = sx / (long double)n, my = sy / (long double)n;
  long double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < n; i++) {
    long double dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx == 0 || syy == 0) {
    *undefined = "not defined: a variable has the same value in every complete pair (standard deviation zero)";
    return NAN;
  }
  double r = (double)(sxy / sqrtl(sxx * syy));
  if (r > 1) r = 1;
  if (r < -1) r = -1;
  return r;
}

/* Average ranks of x into r; *tied says whether some value repeats.  One
 * radix sort (numsort.h) gives both: the ranks do not depend on the order
 * of equal values. */
static void rank_average(const double *x, size_t n, double *r, gboolean *tied) {
  size_t *idx = g_new(size_t, n ? n : 1);
  rs_numsort_order(x, n, idx);
  *tied = FALSE;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && x[idx[j + 1]] == x[idx[i]]) j++;
    double avg = ((double)i + (double)j) / 2.0 + 1.0;  /* ranks i+1 .. j+1 */
    for (size_t k = i; k <= j; k++) r[idx[k]] = avg;
    *tied = *tied || j > i;
    i = j + 1;
  }
  g_free(idx);
}

void rs_cor_rank(const double *x, size_t n, double *r) {
  gboolean tied;
  rank_average(x, n, r, &tied);
}

/* Tie group sizes t >= 2 of x, in a new array; *m receives their number. */
static double *ties_of(const double *x, size_t n, size_t *m) {
  double *s = g_memdup2(x, n * sizeof(double));
  rs_numsort_sort(s, n);
  double *t = g_new(double, n ? n : 1);
  *m = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && s[j + 1] == s[i]) j++;
    if (j > i) t[(*m)++] = (double)(j - i + 1);
    i = j + 1;
  }
  g_free(s);
  return t;
}

/* ---- Spearman: AS 89 (Best & Roberts 1975) -------------------------------- */

/* Count permutations p of 1..n with sum (i - p_i)^2 >= is, by Heap's
 * algorithm (n <= 9: at most 362880 permutations). */
static double prho_exact_upper_count(int n, double is) {
  int p[9], c[9];
  for (int i = 0; i < n; i++) { p[i] = i + 1; c[i] = 0; }
  double count = 0;
  for (;;) {
    int s = 0;
    for (int i = 0; i < n; i++) s += (i + 1 - p[i]) * (i + 1 - p[i]);
    if (is <= s) count++;
    /* next permutation (iterative Heap's algorithm) */
    int i = 1;
    while (i < n && c[i] >= i) c[i++] = 0;
    if (i >= n) break;
    int j = (i % 2) ? c[i] : 0;
    int tmp = p[j]; p[j] = p[i]; p[i] = tmp;
    c[i]++;
  }
  return count;
}

double rs_cor_prho(int n, double is, gboolean lower_tail) {
  double pv = lower_tail ? 0.0 : 1.0;
  if (n <= 1 || is <= 0) return pv;
  double n3 = (double)n;
  n3 *= (n3 * n3 - 1) / 3;   /* the largest S: (n^3 - n)/3 */
  if (is > n3) return 1 - pv;
  if (n <= 9) {
    double nfac = gsl_sf_fact((unsigned)n);
    double upper = prho_exact_upper_count(n, is);
    return (lower_tail ? nfac - upper : upper) / nfac;
  }
  /* Edgeworth series expansion, coefficients of AS 89 */
  static const double c1 = .2274, c2 = .2531, c3 = .1745, c4 = .0758, c5 = .1033, c6 = .3932, c7 = .0879,
                      c8 = .0151, c9 = .0072, c10 = .0831, c11 = .0131, c12 = 4.6e-4;
  double y = (double)n, b = 1 / y;
  double x = (6 * (is - 1) * b / (y * y - 1) - 1) * sqrt(y - 1);
  y = x * x;
  double u = x * b *
             (c1 + b * (c2 + c3 * b) +
              y * (-c4 + b * (c5 + c6 * b) - y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))));
  y = u / exp(y / 2);
  pv = (lower_tail ? -y : y) + (lower_tail ? gsl_cdf_ugaussian_P(x) : gsl_cdf_ugaussian_Q(x));
  if (pv < 0) pv = 0;
  if (pv > 1) pv = 1;
  return pv;
}

/* P-value for Spearman's S as R's pspearman(q, n, lower.tail). */
static double pspearman(double q, size_t n, gboolean lower, gboolean exact) {
  if (n <= 1290 && exact) return rs_cor_prho((int)n, round(q) + 2 * (lower ? 1 : 0), lower);
  double nn = (double)n;
  double den = nn * (nn * nn - 1) / 6;
  double r = 1 - q / den;
  double t = r / sqrt((1 - r * r) / (nn - 2));
  /* pt(t, n - 2, lower.tail = !lower) */
  if (isinf(t)) return (t > 0) == !lower ? 1.0 : 0.0;
  return lower ? gsl_cdf_tdist_Q(t, nn - 2) : gsl_cdf_tdist_P(t, nn - 2);
}

/* ---- Kendall --------------------------------------------------------------- */

double rs_cor_pkendall(double q, int n) {
  q = floor(q + 1e-7);
  int u = n * (n - 1) / 2;
  if (q < 0) return 0;
  if (q > u) return 1;
  /* w[k] = number of permutations of m elements with k inversions, built
   * up from m = 1 by w_m[k] = sum_{i<m} w_{m-1}[k-i] */
  double *w = g_new0(double, (size_t)u + 1), *v = g_new0(double, (size_t)u + 1);
  w[0] = 1;
  for (int m = 2; m <= n; m++) {
    int um = m * (m - 1) / 2;
    for (int k = 0; k <= um; k++) {
      double s = 0;
      for (int i = 0; i < m && i <= k; i++) s += w[k - i];
      v[k] = s;
    }
    double *tmp = w; w = v; v = tmp;
  }
  double p = 0;
  for (int j = 0; j <= (int)q; j++) p += w[j];
  g_free(w);
  g_free(v);
  return p / gsl_sf_gamma((double)n + 1);
}

static double sign(double d) { return (d > 0) - (d < 0); }

/* ---- the test ---------------------------------------------------------------- */

gboolean rs_cor_test(const double *x, const double *y, size_t n, rs_cor_method method, double conf_level,
                     rs_cor_result *out, GError **err) {
  memset(out, 0, sizeof *out);
  out->method = method;
  out->n = n;
  out->estimate = out->statistic = out->df = out->p_value = out->ci_low = out->ci_high = NAN;
  out->conf_level = conf_level;
  size_t need = method == RS_COR_PEARSON ? 3 : 2;
  if (n < need) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "%s correlation needs at least %zu complete pairs of values; there %s %zu",
                method == RS_COR_PEARSON ? "Pearson" : method == RS_COR_SPEARMAN ? "Spearman" : "Kendall", need,
                n == 1 ? "is" : "are", n);
    return FALSE;
  }
  double nn = (double)n;
  if (method == RS_COR_PEARSON) {
    out->statistic_name = "t";
    out->p_method = "t test";
    double r = pearson_r(x, y, n, &out->undefined);
    if (isnan(r)) return TRUE;
    out->estimate = r;
    out->df = nn - 2;
    double t = sqrt(out->df) * r / sqrt(1 - r * r);
    out->statistic = t;
    if (isinf(t)) out->p_value = 0;
    else out->p_value = 2 * fmin(gsl_cdf_tdist_P(t, out->df), gsl_cdf_tdist_Q(t, out->df));
    if (n > 3) {
      double z = atanh(r), sigma = 1 / sqrt(nn - 3), q = gsl_cdf_ugaussian_Pinv((1 + conf_level) / 2);
      out->ci_low = tanh(z - sigma * q);
      out->ci_high = tanh(z + sigma * q);
    }
    return TRUE;
  }
  size_t mx = 0, my = 0;
  double *tx = NULL, *ty = NULL;
  gboolean ties;
  if (method == RS_COR_SPEARMAN) {
    out->statistic_name = "S";
    double *rx = g_new(double, n), *ry = g_new(double, n);
    gboolean tied_x, tied_y;
    rank_average(x, n, rx, &tied_x);
    rank_average(y, n, ry, &tied_y);
    ties = tied_x || tied_y;
    double r = pearson_r(rx, ry, n, &out->undefined);
    g_free(rx);
    g_free(ry);
    if (!isnan(r)) {
      out->estimate = r;
      double q = (nn * nn * nn - nn) * (1 - r) / 6;
      out->statistic = q;
      gboolean exact = !ties;
      out->p_method = exact && n <= 1290 ? (n <= 9 ? "exact (AS 89, all permutations)" : "AS 89 Edgeworth series")
                                         : "t approximation";
      double p = q > (nn * nn * nn - nn) / 6 ? pspearman(q, n, FALSE, exact) : pspearman(q, n, TRUE, exact);
      out->p_value = fmin(2 * p, 1);
    }
  } else {
    tx = ties_of(x, n, &mx);
    ty = ties_of(y, n, &my);
    ties = mx > 0 || my > 0;
    /* tau-b: sum of sign products over sqrt of the untied pairs in x and y */
    long double s = 0;
    double nx = 0, ny = 0;
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < i; j++) {
        double a = sign(x[i] - x[j]), b = sign(y[i] - y[j]);
        s += a * b;
        nx += a != 0;
        ny += b != 0;
      }
    if (nx == 0 || ny == 0) {
      out->undefined = "not defined: a variable has the same value in every complete pair";
    } else {
      double r = (double)(s / sqrtl((long double)nx * ny));
      if (r > 1) r = 1;
      if (r < -1) r = -1;
      out->estimate = r;
      if (n < 50 && !ties) {
        out->statistic_name = "T";
        out->p_method = "exact";
        double q = round((r + 1) * nn * (nn - 1) / 4);
        out->statistic = q;
        double p = q > nn * (nn - 1) / 4 ? 1 - rs_cor_pkendall(q - 1, (int)n) : rs_cor_pkendall(q, (int)n);
        out->p_value = fmin(2 * p, 1);
      } else {
        out->statistic_name = "z";
        out->p_method = "normal approximation (tie-corrected variance)";
        double T0 = nn * (nn - 1) / 2, T1 = 0, T2 = 0, vt = 0, vu = 0, s1x = 0, s1y = 0, s2x = 0, s2y = 0;
        for (size_t k = 0; k < mx; k++) {
          double t = tx[k];
          T1 += t * (t - 1) / 2;
          vt += t * (t - 1) * (2 * t + 5);
          s1x += t * (t - 1);
          s2x += t * (t - 1) * (t - 2);
        }
        for (size_t k = 0; k < my; k++) {
          double t = ty[k];
          T2 += t * (t - 1) / 2;
          vu += t * (t - 1) * (2 * t + 5);
          s1y += t * (t - 1);
          s2y += t * (t - 1) * (t - 2);
        }
        double S = r * sqrt((T0 - T1) * (T0 - T2));
        double v0 = nn * (nn - 1) * (2 * nn + 5);
        double var_s = (v0 - vt - vu) / 18 + s1x * s1y / (2 * nn * (nn - 1)) + s2x * s2y / (9 * nn * (nn - 1) * (nn - 2));
        double z = S / sqrt(var_s);
        out->statistic = z;
        out->p_value = 2 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
      }
    }
  }
  g_free(tx);
  g_free(ty);
  return TRUE;
}

/* ---- all pairs of a table ------------------------------------------------------ */

gboolean rs_correlate_table(const rs_table *t, const char *const *vars, rs_cor_method method, const char *adjust,
                            double conf_level, rs_results *out, GError **err) {
  int padj = -1;
  if (adjust) {
    padj = rs_padjust_method_from_name(adjust);
    if (padj < 0 || (padj != RS_PADJUST_HOLM && padj != RS_PADJUST_BH)) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--adjust takes holm or bh, not '%s'", adjust);
      return FALSE;
    }
  }
  size_t nv = vars ? g_strv_length((char **)vars) : 0;
  if (nv < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--vars needs at least two columns to correlate");
    return FALSE;
  }
  int *cols = g_new(int, nv);
  for (size_t k = 0; k < nv; k++) {
    cols[k] = rs_table_find(t, vars[k]);
    if (cols[k] < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --vars names '%s', which is not a column of the file", t->path,
                  vars[k]);
      g_free(cols);
      return FALSE;
    }
    const rs_column *c = &t->cols[cols[k]];
    if (c->storage != RS_STORE_NUM || c->type == RS_TYPE_CATEGORY || c->type == RS_TYPE_DATE) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: column '%s' is of type %s; correlation needs numbers", t->path,
                  c->name, rs_type_name(c->type));
      g_free(cols);
      return FALSE;
    }
  }
  size_t npairs = nv * (nv - 1) / 2;
  rs_cor_result *res = g_new0(rs_cor_result, npairs);
  char **notes = g_new0(char *, npairs);
  double *x = g_new(double, t->nrows ? t->nrows : 1), *y = g_new(double, t->nrows ? t->nrows : 1);
  size_t p = 0;
  for (size_t a = 0; a < nv; a++)
    for (size_t b = a + 1; b < nv; b++, p++) {
      const rs_column *ca = &t->cols[cols[a]], *cb = &t->cols[cols[b]];
      size_t n = 0;
      for (size_t i = 0; i < t->nrows; i++)
        if (rs_column_present(ca, i) && rs_column_present(cb, i)) {
          x[n] = ca->num[i];
          y[n] = cb->num[i];
          n++;
        }
      GError *e = NULL;
      if (!rs_cor_test(x, y, n, method, conf_level, &res[p], &e)) {
        notes[p] = g_strdup_printf("not computed: %s", e->message);
        g_error_free(e);
        res[p].n = n;
      } else if (res[p].undefined) {
        notes[p] = g_strdup(res[p].undefined);
      }
    }
  /* adjusted p-values over the pairs that have one */
  double *padjv = NULL;
  if (padj >= 0) {
    double *pv = g_new(double, npairs);
    size_t *which = g_new(size_t, npairs);
    size_t m = 0;
    for (size_t k = 0; k < npairs; k++)
      if (!isnan(res[k].p_value)) { pv[m] = res[k].p_value; which[m++] = k; }
    double *adj = g_new(double, m ? m : 1);
    rs_padjust(pv, m, (rs_padjust_method)padj, adj);
    padjv = g_new(double, npairs);
    for (size_t k = 0; k < npairs; k++) padjv[k] = NAN;
    for (size_t k = 0; k < m; k++) padjv[which[k]] = adj[k];
    g_free(adj);
    g_free(which);
    g_free(pv);
  }
  p = 0;
  for (size_t a = 0; a < nv; a++)
    for (size_t b = a + 1; b < nv; b++, p++) {
      const rs_cor_result *r = &res[p];
      rs_record *rec = rs_results_add(out);
      rs_record_str(rec, "name", t->cols[cols[a]].name);
      rs_record_str(rec, "with", t->cols[cols[b]].name);
      rs_record_int(rec, "n", (long long)r->n);
      rs_record_num(rec, "estimate", r->estimate);
      rs_record_num(rec, "ci_low", r->ci_low);
      rs_record_num(rec, "ci_high", r->ci_high);
      if (!isnan(r->statistic)) rs_record_str(rec, "statistic_name", r->statistic_name);
      rs_record_num(rec, "statistic", r->statistic);
      rs_record_num(rec, "df", r->df);
      rs_record_num(rec, "p_value", r->p_value);
      if (padjv) rs_record_num(rec, "p_adjusted", padjv[p]);
      char *m = g_strdup_printf("%s%s%s", rs_cor_method_name(method), r->p_method ? "; p: " : "",
                                r->p_method ? r->p_method : "");
      rs_record_str(rec, "method", m);
      g_free(m);
      rs_record_str(rec, "note", notes[p]);
      g_free(notes[p]);
    }
  if (method == RS_COR_PEARSON) {
    char *note = g_strdup_printf("Confidence intervals: %g%%, Fisher z (needs more than 3 pairs).", 100 * conf_level);
    rs_results_add_note(out, note);
    g_free(note);
  }
  rs_results_add_note(out, "Each pair uses the rows where both values are present (pairwise complete).");
  if (padjv) {
    rs_results_add_note(out, padj == RS_PADJUST_HOLM ? "p_adjusted: Holm's method over all pairs."
                                                     : "p_adjusted: Benjamini-Hochberg (false discovery rate) over all pairs.");
  }
  g_free(padjv);
  g_free(x);
  g_free(y);
  g_free(notes);
  g_free(res);
  g_free(cols);
  return TRUE;
}
