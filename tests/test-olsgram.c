/* test-olsgram.c — least squares from cross-products (analysis/olsgram.h)
 * against the QR fit (ols.h) with the cluster sandwich (vcov.h).
 *
 * Expected values: rs_ols_fit + rs_vcov_ols (type CR1) on the same design,
 * which the NIST StRD tests (test-nist-regress) and the R tests
 * (test-regress, test-reform-effect) check; coefficients and covariances
 * agree to 1e-10 relative, the aliased columns and the rank exactly.  The
 * design: 3000 rows of a fixed pseudo-random draw with an integer age, a
 * continuous x, a 5-level factor, a 0/1 indicator and a copy of it
 * (aliased), 40 clusters.  Then the cases where the cross-products decline
 * (the caller falls back to QR): a nearly collinear column, and a response
 * the model fits almost perfectly.
 */
#include "analysis/formula.h"
#include "analysis/ols.h"
#include "analysis/olsgram.h"
#include "analysis/vcov.h"
#include "tests/tap.h"

#include <glib.h>
#include <math.h>

#define N 3000
#define TOL 1e-10

static rs_column *add(rs_table *t, const char *name) {
  rs_column *c = rs_table_add_column(t, name, RS_TYPE_NUMERIC, RS_STORE_NUM);
  for (size_t i = 0; i < t->nrows; i++) c->miss[i] = RS_MISS_NONE;
  return c;
}

/* a table with columns y, age, x, g, d, dup, near, perfect, cl */
static rs_table *make_table(void) {
  rs_table *t = rs_table_new("test");
  rs_table_reserve(t, N);
  t->nrows = N;
  static const char *const names[] = {"y", "age", "x", "g", "d", "dup", "near", "perfect", "cl"};
  for (size_t k = 0; k < G_N_ELEMENTS(names); k++) add(t, names[k]);
  GRand *rnd = g_rand_new_with_seed(20221801);
  for (size_t i = 0; i < N; i++) {
    double age = g_rand_int_range(rnd, 0, 18), x = g_rand_double_range(rnd, -2, 2);
    double g = g_rand_int_range(rnd, 1, 6), d = g_rand_int_range(rnd, 0, 2), cl = g_rand_int_range(rnd, 0, 40);
    double e = g_rand_double_range(rnd, -1, 1) * (1 + 0.05 * cl);
    t->cols[0].num[i] = 3 + 0.1 * age - 0.4 * x + 0.2 * g + 0.5 * d + e;
    t->cols[1].num[i] = age;
    t->cols[2].num[i] = x;
    t->cols[3].num[i] = g;
    t->cols[4].num[i] = d;
    t->cols[5].num[i] = d;
    t->cols[6].num[i] = age + 1e-7 * g_rand_double_range(rnd, -1, 1);
    t->cols[7].num[i] = 2 * age + 1e-9 * g_rand_double_range(rnd, -1, 1);
    t->cols[8].num[i] = cl;
  }
  g_rand_free(rnd);
  return t;
}

static rs_design *design(const rs_table *t, const char *formula, bool sparse) {
  GError *err = NULL;
  rs_formula *f = rs_formula_parse(formula, &err);
  const char *extra[] = {"cl", NULL};
  rs_design_options o = {.extra = extra, .sparse = sparse};
  rs_design *d = f ? rs_design_build(f, t, &o, &err) : NULL;
  if (err) diag("%s", err->message);
  g_clear_error(&err);
  rs_formula_free(f);
  return d;
}

/* clusters of the design's rows */
static size_t *clusters(const rs_table *t, const rs_design *d, size_t *G) {
  return rs_vcov_cluster_index(&t->cols[rs_table_find(t, "cl")], d->rows, d->n, G);
}

int main(void) {
  rs_table *t = make_table();
  const char *formula = "y ~ age + x + factor(g) + d + dup";
  rs_design *dense = design(t, formula, false), *sparse = design(t, formula, true);
  if (!ok(dense && sparse && dense->n == N && sparse->n == N, "designs built (dense and sparse)")) return done();
  ok(sparse->X == NULL && sparse->width == 6 && dense->p == 9, "sparse: 6 entries per row (intercept + 5 terms) of 9 columns");
  size_t G;
  size_t *cl = clusters(t, dense, &G);
  ok(G == 40, "40 clusters");

  GError *err = NULL;
  rs_ols *qr = rs_ols_fit(dense->X, dense->y, NULL, true, NULL, &err);
  rs_vcov_spec spec = {.type = RS_VCOV_CLUSTER, .cluster = cl, .n_clusters = G};
  gsl_matrix *Vqr = gsl_matrix_calloc(qr->rank, qr->rank);
  ok(rs_vcov_ols(qr, dense->X, &spec, Vqr, &err), "QR + vcovCL");
  ok(qr->rank == 8 && qr->aliased[8], "QR: rank 8, 'dup' aliased");

  const rs_design *ds[2] = {dense, sparse};
  for (int s = 0; s < 2; s++) {
    const char *how = s ? "sparse" : "dense";
    gsl_matrix *V = NULL;
    rs_ols *gm = rs_olsgram_fit(ds[s], cl, G, &V, &err);
    if (!ok(gm != NULL && V != NULL, "%s: cross-products fit", how)) { g_clear_error(&err); continue; }
    ok(gm->rank == qr->rank && gm->df_resid == qr->df_resid, "%s: rank %zu and df %g as QR", how, gm->rank,
       gm->df_resid);
    bool same_alias = true;
    for (size_t j = 0; j < dense->p; j++) same_alias = same_alias && gm->aliased[j] == qr->aliased[j];
    ok(same_alias, "%s: the same column aliased as by QR (dqrdc2's test)", how);
    double worst_b = 0, worst_v = 0, worst_c = 0;
    for (size_t j = 0; j < dense->p; j++)
      if (!qr->aliased[j]) worst_b = fmax(worst_b, fabs(gm->coef[j] - qr->coef[j]) / fabs(qr->coef[j]));
    for (size_t a = 0; a < qr->rank; a++)
      for (size_t b = 0; b < qr->rank; b++) {
        double want = gsl_matrix_get(Vqr, a, b), scale = sqrt(gsl_matrix_get(Vqr, a, a) * gsl_matrix_get(Vqr, b, b));
        worst_v = fmax(worst_v, fabs(gsl_matrix_get(V, a, b) - want) / scale);
        want = gsl_matrix_get(qr->cov_unscaled, a, b);
        scale = sqrt(gsl_matrix_get(qr->cov_unscaled, a, a) * gsl_matrix_get(qr->cov_unscaled, b, b));
        worst_c = fmax(worst_c, fabs(gsl_matrix_get(gm->cov_unscaled, a, b) - want) / scale);
      }
    ok(worst_b < TOL, "%s: coefficients as QR (worst relative difference %.2g)", how, worst_b);
    ok(worst_v < TOL, "%s: CR1 covariance as vcovCL from QR's residuals (worst %.2g of the SEs' product)", how, worst_v);
    ok(worst_c < TOL, "%s: (X'X)^-1 as QR's (worst %.2g)", how, worst_c);
    ok_close(gm->rss, qr->rss, TOL, "RSS");
    ok_close(gm->r2, qr->r2, TOL, "R squared");
    ok_close(gm->fstat, qr->fstat, TOL, "F");
    ok(gm->resid == NULL && gm->fitted == NULL, "%s: no residuals kept (not needed for the cluster sandwich)", how);
    gsl_matrix_free(V);
    rs_ols_free(gm);
  }
  rs_ols_free(qr);
  gsl_matrix_free(Vqr);
  g_free(cl);
  rs_design_free(dense);
  rs_design_free(sparse);

  /* integer-valued predictors: X'X summed in double (exact), X'y in long double */
  rs_design *di = design(t, "y ~ age + factor(g) + d", true);
  cl = clusters(t, di, &G);
  rs_design_densify(di, &err);
  qr = rs_ols_fit(di->X, di->y, NULL, true, NULL, &err);
  Vqr = gsl_matrix_calloc(qr->rank, qr->rank);
  spec.cluster = cl;
  rs_vcov_ols(qr, di->X, &spec, Vqr, &err);
  gsl_matrix *Vi = NULL;
  rs_ols *gi = rs_olsgram_fit(di, cl, G, &Vi, &err);
  if (ok(gi != NULL, "integer design: cross-products fit")) {
    double worst = 0;
    for (size_t j = 0; j < di->p; j++) worst = fmax(worst, fabs(gi->coef[j] - qr->coef[j]) / fabs(qr->coef[j]));
    for (size_t a = 0; a < qr->rank; a++)
      worst = fmax(worst, fabs(gsl_matrix_get(Vi, a, a) - gsl_matrix_get(Vqr, a, a)) / gsl_matrix_get(Vqr, a, a));
    ok(worst < TOL, "integer design: coefficients and variances as QR (worst %.2g)", worst);
  }
  gsl_matrix_free(Vi);
  rs_ols_free(gi);
  rs_ols_free(qr);
  gsl_matrix_free(Vqr);
  g_free(cl);
  rs_design_free(di);

  /* declines: 'near' differs from age by 1e-7 (scaled pivot ~1e-17, within
   * reach of lm's tol² = 1e-14 only by rounding); 'perfect' is 2 x age + 1e-9
   * noise (RSS ~1e-19 of y'y) */
  static const char *const bad[][2] = {{"y ~ age + x + near", "a nearly collinear column"},
                                       {"perfect ~ age + x", "an almost perfect fit"}};
  for (size_t k = 0; k < G_N_ELEMENTS(bad); k++) {
    rs_design *d = design(t, bad[k][0], true);
    cl = clusters(t, d, &G);
    gsl_matrix *V = NULL;
    rs_ols *gm = rs_olsgram_fit(d, cl, G, &V, &err);
    ok(gm == NULL && V == NULL && err == NULL, "declines (caller uses QR) for %s: %s", bad[k][1], bad[k][0]);
    g_clear_error(&err);
    rs_ols_free(gm);
    g_free(cl);
    rs_design_free(d);
  }
  /* a column that is exactly a copy (dup of d) is aliased, not declined;
   * densify gives QR the same X as the dense build */
  rs_design *d = design(t, "y ~ d + dup", true);
  ok(rs_design_densify(d, &err) && d->X && gsl_matrix_get(d->X, 0, 0) == 1.0, "densify a sparse design");
  bool same = true;
  for (size_t i = 0; i < d->n; i++) same = same && gsl_matrix_get(d->X, i, 1) == t->cols[4].num[i];
  ok(same, "densified column 'd' as the data");
  rs_design_free(d);
  rs_table_free(t);
  return done();
}
