/* resample.c — bootstrap (percentile, BCa; ordinary, stratified by group,
 * by cluster) and permutation tests, on an explicit gsl_rng.
 *
 * Means are sums in long double.  Replicates are drawn with
 * gsl_rng_uniform_int, so a seed gives the same replicates on every
 * platform (MT19937 is specified bit for bit).
 */
#include "analysis/resample.h"
#include "datasets/error.h"
#include "datasets/value.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

double rs_boot_norm_inter(double *t, size_t R, double alpha) {
  gsl_sort(t, 1, R);
  double rk = (double)(R + 1) * alpha;
  double kd = trunc(rk);
  size_t k = (size_t)kd;
  if (kd == rk && k >= 1 && k <= R) return t[k - 1];
  if (k == 0) return t[0];
  if (k >= R) return t[R - 1];
  double z = gsl_cdf_ugaussian_Pinv(alpha);
  double z1 = gsl_cdf_ugaussian_Pinv(kd / (double)(R + 1)), z2 = gsl_cdf_ugaussian_Pinv((kd + 1) / (double)(R + 1));
  double tk = t[k - 1], tk1 = t[k];
  return tk + (z - z1) / (z2 - z1) * (tk1 - tk);
}

gboolean rs_boot_ci_percentile(double *t, size_t R, double conf, double *low, double *high, GError **err) {
  if (R < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "a bootstrap interval needs at least 2 replicates");
    return FALSE;
  }
  *low = rs_boot_norm_inter(t, R, (1 - conf) / 2);
  *high = rs_boot_norm_inter(t, R, (1 + conf) / 2);
  return TRUE;
}

gboolean rs_boot_ci_bca(double *t, size_t R, double t0, const double *L, size_t n, double conf, double *low,
                        double *high, GError **err) {
  size_t below = 0;
  for (size_t i = 0; i < R; i++) below += t[i] < t0;
  double w = gsl_cdf_ugaussian_Pinv((double)below / (double)R);
  if (!isfinite(w)) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "BCa interval not defined: every bootstrap replicate lies on one side of the estimate");
    return FALSE;
  }
  long double s2 = 0, s3 = 0;
  for (size_t i = 0; i < n; i++) {
    s2 += (long double)L[i] * L[i];
    s3 += (long double)L[i] * L[i] * L[i];
  }
  double a = (double)(s3 / (6 * powl(s2, 1.5L)));
  if (!isfinite(a)) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "BCa interval not defined: the jackknife values do not vary");
    return FALSE;
  }
  double zl = gsl_cdf_ugaussian_Pinv((1 - conf) / 2), zh = gsl_cdf_ugaussian_Pinv((1 + conf) / 2);
  double al = gsl_cdf_ugaussian_P(w + (w + zl) / (1 - a * (w + zl)));
  double ah = gsl_cdf_ugaussian_P(w + (w + zh) / (1 - a * (w + zh)));
  *low = rs_boot_norm_inter(t, R, al);
  *high = rs_boot_norm_inter(t, R, ah);
  return TRUE;
}

static double mean_of(const double *x, size_t n) {
  long double s = 0;
  for (size_t i = 0; i < n; i++) s += x[i];
  return (double)(s / (long double)n);
}

/* SD of the replicates, then both intervals; t is sorted afterwards. */
static gboolean finish(double *t, size_t B, double t0, const double *L, size_t nL, double conf, rs_boot_result *out,
                       double *t_out, GError **err) {
  if (t_out) memcpy(t_out, t, B * sizeof(double));
  double m = mean_of(t, B);
  long double ss = 0;
  for (size_t i = 0; i < B; i++) ss += ((long double)t[i] - m) * (t[i] - m);
  out->se = B > 1 ? (double)sqrtl(ss / (long double)(B - 1)) : NAN;
  out->estimate = t0;
  out->replicates = B;
  GError *e = NULL;
  if (!rs_boot_ci_bca(t, B, t0, L, nL, conf, &out->bca_low, &out->bca_high, &e)) {
    out->bca_low = out->bca_high = NAN;
    out->bca_problem = "BCa not defined: the replicates all lie on one side of the estimate, or the jackknife values do not vary";
    g_error_free(e);
  }
  return rs_boot_ci_percentile(t, B, conf, &out->perc_low, &out->perc_high, err);
}

static void result_clear(rs_boot_result *out) {
  memset(out, 0, sizeof *out);
  out->estimate = out->se = out->perc_low = out->perc_high = out->bca_low = out->bca_high = NAN;
}

gboolean rs_boot_mean(const double *x, size_t n, const long *clusters, size_t B, gsl_rng *rng, double conf,
                      rs_boot_result *out, double *t_out, GError **err) {
  result_clear(out);
  if (n < 2 || B < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the bootstrap needs at least 2 values and 2 replicates");
    return FALSE;
  }
  double t0 = mean_of(x, n);
  double *t = g_new(double, B);
  gboolean ok;
  if (!clusters) {
    for (size_t b = 0; b < B; b++) {
      long double s = 0;
      for (size_t i = 0; i < n; i++) s += x[gsl_rng_uniform_int(rng, n)];
      t[b] = (double)(s / (long double)n);
    }
    double *L = g_new(double, n);   /* usual.jack for a mean: x_i - mean */
    for (size_t i = 0; i < n; i++) {
      double tmi = (double)(((long double)t0 * n - x[i]) / (long double)(n - 1));
      L[i] = (double)(n - 1) * (t0 - tmi);
    }
    ok = finish(t, B, t0, L, n, conf, out, t_out, err);
    g_free(L);
  } else {
    /* cluster sums and sizes, clusters in order of first appearance */
    GHashTable *h = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    GArray *sum = g_array_new(FALSE, TRUE, sizeof(long double)), *cnt = g_array_new(FALSE, TRUE, sizeof(double));
    for (size_t i = 0; i < n; i++) {
      gint64 key = clusters[i];
      gpointer v;
      guint c;
      if (g_hash_table_lookup_extended(h, &key, NULL, &v)) c = GPOINTER_TO_UINT(v);
      else {
        c = g_hash_table_size(h);
        gint64 *k = g_new(gint64, 1);
        *k = key;
        g_hash_table_insert(h, k, GUINT_TO_POINTER(c));
        g_array_set_size(sum, c + 1);
        g_array_set_size(cnt, c + 1);
      }
      g_array_index(sum, long double, c) += x[i];
      g_array_index(cnt, double, c) += 1;
    }
    size_t C = g_hash_table_size(h);
    g_hash_table_destroy(h);
    if (C < 2) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the cluster bootstrap needs at least 2 clusters");
      g_array_free(sum, TRUE);
      g_array_free(cnt, TRUE);
      g_free(t);
      return FALSE;
    }
    const long double *cs = (const long double *)sum->data;
    const double *cn = (const double *)cnt->data;
    for (size_t b = 0; b < B; b++) {
      long double s = 0, m = 0;
      for (size_t k = 0; k < C; k++) {
        size_t c = gsl_rng_uniform_int(rng, C);
        s += cs[c];
        m += cn[c];
      }
      t[b] = (double)(s / m);
    }
    double *L = g_new(double, C);   /* leave one cluster out */
    long double S = 0, N = 0;
    for (size_t c = 0; c < C; c++) { S += cs[c]; N += cn[c]; }
    for (size_t c = 0; c < C; c++) L[c] = (double)(C - 1) * (t0 - (double)((S - cs[c]) / (N - cn[c])));
    ok = finish(t, B, t0, L, C, conf, out, t_out, err);
    g_free(L);
    g_array_free(sum, TRUE);
    g_array_free(cnt, TRUE);
  }
  g_free(t);
  return ok;
}

gboolean rs_boot_diff(const double *x, size_t nx, const double *y, size_t ny, size_t B, gsl_rng *rng, double conf,
                      rs_boot_result *out, double *t_out, GError **err) {
  result_clear(out);
  if (nx < 2 || ny < 2 || B < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the bootstrap needs at least 2 values in each group and 2 replicates");
    return FALSE;
  }
  double mx = mean_of(x, nx), my = mean_of(y, ny), t0 = mx - my;
  double *t = g_new(double, B);
  for (size_t b = 0; b < B; b++) {
    long double sx = 0, sy = 0;
    for (size_t i = 0; i < nx; i++) sx += x[gsl_rng_uniform_int(rng, nx)];
    for (size_t i = 0; i < ny; i++) sy += y[gsl_rng_uniform_int(rng, ny)];
    t[b] = (double)(sx / (long double)nx - sy / (long double)ny);
  }
  /* usual.jack with strata: (n_s - 1)(t0 - t_-i) within each group */
  double *L = g_new(double, nx + ny);
  for (size_t i = 0; i < nx; i++) {
    double m1 = (double)(((long double)mx * nx - x[i]) / (long double)(nx - 1));
    L[i] = (double)(nx - 1) * (t0 - (m1 - my));
  }
  for (size_t i = 0; i < ny; i++) {
    double m1 = (double)(((long double)my * ny - y[i]) / (long double)(ny - 1));
    L[nx + i] = (double)(ny - 1) * (t0 - (mx - m1));
  }
  gboolean ok = finish(t, B, t0, L, nx + ny, conf, out, t_out, err);
  g_free(L);
  g_free(t);
  return ok;
}

gboolean rs_perm_diff(const double *x, size_t nx, const double *y, size_t ny, size_t B, gsl_rng *rng, double *p,
                      size_t *count, GError **err) {
  if (nx < 1 || ny < 1 || B < 1) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the permutation test needs a value in each group and 1 permutation");
    return FALSE;
  }
  size_t n = nx + ny;
  double *z = g_new(double, n);
  memcpy(z, x, nx * sizeof(double));
  memcpy(z + nx, y, ny * sizeof(double));
  double T = fabs(mean_of(x, nx) - mean_of(y, ny));
  /* a relative slack so that rounding does not hide permutations equal to T */
  double limit = T - 1e-12 * fmax(T, 1e-300);
  size_t c = 0;
  for (size_t b = 0; b < B; b++) {
    gsl_ran_shuffle(rng, z, n, sizeof(double));
    if (fabs(mean_of(z, nx) - mean_of(z + nx, ny)) >= limit) c++;
  }
  g_free(z);
  *p = (1.0 + (double)c) / (1.0 + (double)B);
  if (count) *count = c;
  return TRUE;
}

/* ---- table level ------------------------------------------------------------ */

static void put_boot(rs_results *out, const char *name, const char *group, size_t n, const rs_boot_result *r,
                     double conf, const char *method) {
  char lab[160];
  for (int k = 0; k < 2; k++) {
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "name", name);
    rs_record_str(rec, "group", group);
    rs_record_int(rec, "n", (long long)n);
    rs_record_num(rec, "estimate", r->estimate);
    rs_record_num(rec, "se", r->se);
    rs_record_num(rec, "ci_low", k == 0 ? r->perc_low : r->bca_low);
    rs_record_num(rec, "ci_high", k == 0 ? r->perc_high : r->bca_high);
    g_snprintf(lab, sizeof lab, "%s, %s %g%% interval", method, k == 0 ? "percentile" : "BCa", 100 * conf);
    rs_record_str(rec, "method", lab);
    if (k == 1 && r->bca_problem) rs_record_str(rec, "note", r->bca_problem);
  }
}

gboolean rs_bootstrap_table(const rs_table *t, const char *var, const char *by, const char *cluster, size_t B,
                            unsigned long seed, double conf, rs_results *out, GError **err) {
  int jv = var ? rs_table_find(t, var) : -1;
  if (jv < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, var ? "%s: --var '%s' is not a column of the file" : "%sgive --var Y",
                var ? t->path : "", var);
    return FALSE;
  }
  const rs_column *c = &t->cols[jv];
  if (c->storage != RS_STORE_NUM || c->type == RS_TYPE_CATEGORY || c->type == RS_TYPE_DATE) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --var '%s' is of type %s, not a number", t->path, var,
                rs_type_name(c->type));
    return FALSE;
  }
  if (by && cluster) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--by and --cluster cannot be combined in 'bootstrap' yet");
    return FALSE;
  }
  const rs_column *bc = NULL, *cc = NULL;
  const char *names[2] = {by, cluster};
  for (int k = 0; k < 2; k++) {
    if (!names[k]) continue;
    int j = rs_table_find(t, names[k]);
    if (j < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --%s '%s' is not a column of the file", t->path,
                  k ? "cluster" : "by", names[k]);
      return FALSE;
    }
    if (k) cc = &t->cols[j]; else bc = &t->cols[j];
  }
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  rs_results_set_seed(out, seed);
  double *x = g_new(double, t->nrows + 1), *y = g_new(double, t->nrows + 1);
  long *cl = g_new(long, t->nrows + 1);
  gboolean ok = FALSE;
  rs_boot_result r;
  size_t n = 0;
  if (!bc) {
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < t->nrows; i++) {
      if (!rs_column_present(c, i) || (cc && !rs_column_present(cc, i))) continue;
      if (cc) {
        char buf[32];
        const char *key = cc->storage == RS_STORE_STR ? cc->str[i] : (rs_value_format_double(cc->num[i], buf), buf);
        gpointer v;
        if (!g_hash_table_lookup_extended(h, key, NULL, &v)) {
          v = GINT_TO_POINTER((int)g_hash_table_size(h));
          g_hash_table_insert(h, g_strdup(key), v);
        }
        cl[n] = GPOINTER_TO_INT(v);
      }
      x[n++] = c->num[i];
    }
    g_hash_table_destroy(h);
    ok = rs_boot_mean(x, n, cc ? cl : NULL, B, rng, conf, &r, NULL, err);
    if (ok) put_boot(out, var, NULL, n, &r, conf, cc ? "mean, cluster bootstrap" : "mean, bootstrap");
    if (ok && cc) {
      char *note = g_strdup_printf("Cluster bootstrap: whole clusters of '%s' are resampled; rows without a cluster are left out.",
                                   cluster);
      rs_results_add_note(out, note);
      g_free(note);
    }
  } else {
    /* the two levels of `by`, in order of their text */
    char *lv[2] = {NULL, NULL};
    size_t nx = 0, ny = 0;
    for (size_t i = 0; i < t->nrows && !(err && *err); i++) {
      if (!rs_column_present(c, i) || !rs_column_present(bc, i)) continue;
      char buf[32];
      const char *key = bc->storage == RS_STORE_STR ? bc->str[i] : (rs_value_format_double(bc->num[i], buf), buf);
      int g = lv[0] && strcmp(lv[0], key) == 0 ? 0 : lv[1] && strcmp(lv[1], key) == 0 ? 1 : -1;
      if (g < 0) {
        if (!lv[0]) lv[g = 0] = g_strdup(key);
        else if (!lv[1]) lv[g = 1] = g_strdup(key);
        else {
          g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' has more than two groups ('%s', '%s', '%s', …); "
                      "the bootstrap compares two", t->path, by, lv[0], lv[1], key);
          break;
        }
      }
      if (g == 0) x[nx++] = c->num[i]; else y[ny++] = c->num[i];
    }
    if (!(err && *err)) {
      if (!lv[1]) {
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' has fewer than two groups", t->path, by);
      } else {
        gboolean swap = bc->storage == RS_STORE_NUM ? g_ascii_strtod(lv[0], NULL) > g_ascii_strtod(lv[1], NULL)
                                                    : g_utf8_collate(lv[0], lv[1]) > 0;
        double *a = swap ? y : x, *b = swap ? x : y;
        size_t na = swap ? ny : nx, nb = swap ? nx : ny;
        char *grp = g_strdup_printf("%s - %s", lv[swap ? 1 : 0], lv[swap ? 0 : 1]);
        ok = rs_boot_diff(a, na, b, nb, B, rng, conf, &r, NULL, err);
        if (ok) put_boot(out, var, grp, na + nb, &r, conf, "difference in means, bootstrap within groups");
        double p;
        size_t cnt;
        if (ok && (ok = rs_perm_diff(a, na, b, nb, B, rng, &p, &cnt, err))) {
          rs_record *rec = rs_results_add(out);
          rs_record_str(rec, "name", var);
          rs_record_str(rec, "group", grp);
          rs_record_int(rec, "n", (long long)(na + nb));
          rs_record_num(rec, "estimate", r.estimate);
          rs_record_num(rec, "p_value", p);
          rs_record_str(rec, "method", "permutation test, two-sided, p = (1 + #|T*| >= |T|)/(1 + B)");
        }
        g_free(grp);
      }
    }
    g_free(lv[0]);
    g_free(lv[1]);
  }
  if (ok) {
    char *note = g_strdup_printf("%zu replicates from gsl_rng_mt19937, seed %lu; BCa with jackknife acceleration "
                                 "(boot.ci type \"bca\" with L = empinf(type = \"jack\")).", B, seed);
    rs_results_add_note(out, note);
    g_free(note);
  }
  g_free(x);
  g_free(y);
  g_free(cl);
  gsl_rng_free(rng);
  return ok;
}
