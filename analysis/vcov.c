/* vcov.c — classical, heteroskedasticity-consistent, cluster-robust and
 * Newey–West covariance matrices, as R's sandwich package computes them
 * (the formulas and their R counterparts are in vcov.h). */
#include "analysis/vcov.h"
#include "datasets/error.h"
#include "datasets/ptrmap.h"

#include <gsl/gsl_blas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

gboolean rs_vcov_parse(const char *text, rs_vcov_spec *spec, char **cluster_var, GError **err) {
  memset(spec, 0, sizeof *spec);
  if (cluster_var) *cluster_var = NULL;
  if (!text || g_ascii_strcasecmp(text, "classical") == 0 || g_ascii_strcasecmp(text, "const") == 0) {
    spec->type = RS_VCOV_CLASSICAL;
    return TRUE;
  }
  static const char *hc[] = {"HC0", "HC1", "HC2", "HC3"};
  for (int i = 0; i < 4; i++)
    if (g_ascii_strcasecmp(text, hc[i]) == 0) {
      spec->type = (rs_vcov_type)(RS_VCOV_HC0 + i);
      return TRUE;
    }
  if (g_ascii_strncasecmp(text, "cluster:", 8) == 0 && text[8]) {
    spec->type = RS_VCOV_CLUSTER;
    if (cluster_var) *cluster_var = g_strdup(text + 8);
    return TRUE;
  }
  if (g_ascii_strncasecmp(text, "nw:", 3) == 0) {
    char *end = NULL;
    long L = strtol(text + 3, &end, 10);
    if (end && end != text + 3 && *end == '\0' && L >= 0 && L < 100000) {
      spec->type = RS_VCOV_HAC;
      spec->lag = (int)L;
      return TRUE;
    }
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--vcov nw:LAGS needs a whole number of lags >= 0, not '%s'", text + 3);
    return FALSE;
  }
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
              "unknown --vcov '%s'; use classical, HC0, HC1, HC2, HC3, cluster:VAR or nw:LAGS", text);
  return FALSE;
}

char *rs_vcov_describe(const rs_vcov_spec *spec, const char *cluster_var) {
  switch (spec->type) {
  case RS_VCOV_CLASSICAL: return g_strdup("classical");
  case RS_VCOV_HC0: case RS_VCOV_HC1: case RS_VCOV_HC2: case RS_VCOV_HC3:
    return g_strdup_printf("HC%d (as sandwich::vcovHC)", (int)(spec->type - RS_VCOV_HC0));
  case RS_VCOV_CLUSTER:
    return g_strdup_printf("cluster-robust CR1 by %s, %zu clusters (as sandwich::vcovCL, type HC1)",
                           cluster_var ? cluster_var : "cluster", spec->n_clusters);
  case RS_VCOV_HAC:
    return g_strdup_printf("Newey-West, lag %d (as sandwich::NeweyWest, prewhite = FALSE, adjust = FALSE)", spec->lag);
  }
  return g_strdup("?");
}

size_t *rs_vcov_cluster_index(const rs_column *c, const size_t *rows, size_t n, size_t *n_clusters) {
  size_t *idx = g_new(size_t, n ? n : 1);
  GHashTable *h = c->storage == RS_STORE_STR ? g_hash_table_new(g_str_hash, g_str_equal)
                                             : g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  size_t g = 0;
  rs_ptrmap *seen = c->storage == RS_STORE_STR ? g_new0(rs_ptrmap, 1) : NULL;
  for (size_t i = 0; i < n; i++) {
    size_t r = rows ? rows[i] : i;
    gpointer key, val;
    gint64 bits = 0;
    if (c->storage == RS_STORE_STR) {
      if (rs_ptrmap_get(seen, c->str[r], &idx[i])) continue;
      key = c->str[r];
    } else {
      double v = c->num[r] == 0 ? 0.0 : c->num[r];  /* -0 and 0 are one cluster */
      memcpy(&bits, &v, sizeof bits);
      key = &bits;
    }
    if (g_hash_table_lookup_extended(h, key, NULL, &val)) {
      idx[i] = GPOINTER_TO_SIZE(val);
    } else {
      idx[i] = g;
      g_hash_table_insert(h, c->storage == RS_STORE_STR ? key : g_memdup2(&bits, sizeof bits), GSIZE_TO_POINTER(g));
      g++;
    }
    if (seen) rs_ptrmap_put(seen, c->str[r], idx[i]);
  }
  g_free(seen);
  g_hash_table_destroy(h);
  *n_clusters = g;
  return idx;
}

/* M += a * u v' (+ v u' when sym2) for k-vectors */
static void outer_add(long double *M, size_t k, const double *u, const double *v, double a, bool sym2) {
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < k; j++) {
      long double t = (long double)u[i] * v[j];
      if (sym2) t += (long double)v[i] * u[j];
      M[i * k + j] += a * t;
    }
}

gboolean rs_vcov_sandwich(const gsl_matrix *X, const size_t *kept, size_t k, const double *s, const double *h,
                          size_t n, const gsl_matrix *bread, const rs_vcov_spec *spec, gsl_matrix *V, GError **err) {
  size_t nr = X->size1;
  if (k == 0) return TRUE;
  long double *M = g_new0(long double, k * k);   /* meat accumulated in long double */
  double *u = g_new(double, k);
  double df = (double)n - (double)k - (double)spec->k_absorbed;
  switch (spec->type) {
  case RS_VCOV_HC0: case RS_VCOV_HC1: case RS_VCOV_HC2: case RS_VCOV_HC3:
    if ((spec->type == RS_VCOV_HC2 || spec->type == RS_VCOV_HC3) && !h) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "HC2 and HC3 need leverages, which this model does not provide");
      goto fail;
    }
    for (size_t i = 0; i < nr; i++) {
      double om = 1.0;
      if (spec->type == RS_VCOV_HC2) om = 1.0 / (1.0 - h[i]);
      if (spec->type == RS_VCOV_HC3) om = 1.0 / ((1.0 - h[i]) * (1.0 - h[i]));
      if (s[i] == 0) continue;
      for (size_t a = 0; a < k; a++) u[a] = s[i] * gsl_matrix_get(X, i, kept[a]);
      outer_add(M, k, u, u, om, false);
    }
    if (spec->type == RS_VCOV_HC1)
      for (size_t a = 0; a < k * k; a++) M[a] *= (double)n / df;
    break;
  case RS_VCOV_CLUSTER: {
    if (!spec->cluster || spec->n_clusters < 2) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "cluster-robust standard errors need at least two clusters (found %zu)",
                  spec->n_clusters);
      goto fail;
    }
    size_t G = spec->n_clusters;
    long double *S = g_new0(long double, G * k);   /* per-cluster score sums */
    /* Row by row with direct pointers (rows in memory order: a million rows
     * grouped by cluster would be read in random order). */
    for (size_t i = 0; i < nr; i++) {
      const double *xi = gsl_matrix_const_ptr(X, i, 0);
      long double *Sg = S + spec->cluster[i] * k;
      for (size_t a = 0; a < k; a++) Sg[a] += (long double)s[i] * xi[kept[a]];
    }
    double adj = (double)G / (double)(G - 1) * ((double)n - 1) / df;
    for (size_t g = 0; g < G; g++)
      for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) M[a * k + b] += S[g * k + a] * S[g * k + b];
    for (size_t a = 0; a < k * k; a++) M[a] *= adj;
    g_free(S);
    break;
  }
  case RS_VCOV_HAC: {
    size_t L = (size_t)spec->lag;
    double *U = g_new(double, nr * k);
    for (size_t i = 0; i < nr; i++)
      for (size_t a = 0; a < k; a++) U[i * k + a] = s[i] * gsl_matrix_get(X, i, kept[a]);
    for (size_t i = 0; i < nr; i++) outer_add(M, k, U + i * k, U + i * k, 1.0, false);
    for (size_t l = 1; l <= L && l < nr; l++) {
      double wl = 1.0 - (double)l / (double)(L + 1);   /* Bartlett */
      for (size_t i = l; i < nr; i++) outer_add(M, k, U + i * k, U + (i - l) * k, wl, true);
    }
    g_free(U);
    break;
  }
  case RS_VCOV_CLASSICAL:
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "rs_vcov_sandwich: classical is not a sandwich");
    goto fail;
  }
  {
    gsl_matrix *Mm = gsl_matrix_alloc(k, k), *T = gsl_matrix_alloc(k, k);
    for (size_t a = 0; a < k; a++)
      for (size_t b = 0; b < k; b++) gsl_matrix_set(Mm, a, b, (double)M[a * k + b]);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, bread, Mm, 0.0, T);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, T, bread, 0.0, V);
    gsl_matrix_free(Mm);
    gsl_matrix_free(T);
  }
  g_free(u);
  g_free(M);
  return TRUE;
fail:
  g_free(u);
  g_free(M);
  return FALSE;
}

gboolean rs_vcov_ols(const rs_ols *fit, const gsl_matrix *X, const rs_vcov_spec *spec, gsl_matrix *V, GError **err) {
  size_t k = fit->rank;
  if (spec->type == RS_VCOV_CLASSICAL) {
    gsl_matrix_memcpy(V, fit->cov_unscaled);
    gsl_matrix_scale(V, fit->sigma * fit->sigma);
    return TRUE;
  }
  double *s = g_new(double, fit->nrows ? fit->nrows : 1);
  for (size_t i = 0; i < fit->nrows; i++) s[i] = fit->resid[i] * (fit->w ? fit->w[i] : 1.0);  /* estfun.lm: w e x */
  double *h = NULL;
  if (spec->type == RS_VCOV_HC2 || spec->type == RS_VCOV_HC3) h = rs_ols_hat(fit, X);
  rs_vcov_spec sp = *spec;
  sp.k_absorbed = fit->k_absorbed;
  gboolean ok = rs_vcov_sandwich(X, fit->kept, k, s, h, fit->n, fit->cov_unscaled, &sp, V, err);
  g_free(h);
  g_free(s);
  return ok;
}
