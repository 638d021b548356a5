/* test-qrrows.c — the row-chunked QR (analysis/qrrows.h) and rs_ols_fit's
 * chunked path against the column-wise path and the NIST StRD certified
 * values.
 *
 * Expected values: (1) the "Certified Values" of the NIST StRD linear
 * regression files in $SHARED_DATA/nist (provenance in ../shared/data/nist/
 * SOURCES.md), with the chunked path forced on these small files by chunks
 * of 4 or 7 rows in 2 or 3 parts, to the same minimum log relative error as
 * tests/test-nist-regress.c demands of the column-wise path (9; Filip 7);
 * (2) the column-wise path itself (rs_ols_fit with chunk_rows 0 below
 * RS_OLS_CHUNKED_MIN_ROWS rows) on a 3000-row weighted design with factor
 * dummies and an exactly collinear column: the same aliased column, and
 * coefficients, (X'WX)^-1 (element ij relative to sqrt(C_ii C_jj)) and
 * residuals to 1e-12 relative (the rounding of
 * two backward-stable QRs of a well-conditioned design); (3) identities:
 * R'R = A'A and Q Q' v = v to 1e-13.
 * Without $SHARED_DATA/nist the NIST checks are visible TAP SKIPs.
 */
#include "analysis/ols.h"
#include "analysis/qrrows.h"
#include "tests/nist.h"
#include "tests/tap.h"

#include <glib.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* As test-nist-regress.c's regression(): degree > 0 a polynomial in column
 * 1, 0 all columns after y, -1 y = B1 x; fitted with options o. */
static void nist_chunked(const char *name, int degree, double target, double tol, size_t chunk, size_t parts,
                         size_t threads) {
  char *path = nist_path(name);
  nist ns;
  if (!path || !nist_read(path, &ns)) {
    skip_test("SHARED_DATA/nist not found: NIST StRD regression (chunked QR) not run");
    g_free(path);
    return;
  }
  bool intercept = degree >= 0;
  size_t p;
  gsl_matrix *X;
  gsl_vector *y;
  nist_design(&ns, degree, &X, &y, &p);
  rs_ols_options o = {.tol = tol, .chunk_rows = chunk, .parts = parts, .threads = threads};
  GError *err = NULL;
  rs_ols *f = rs_ols_fit(X, y, NULL, intercept, &o, &err);
  if (ok(f != NULL && f->rank == p, "NIST %s, chunks of %zu rows in %zu parts: full rank %zu", name, chunk, parts, p)) {
    double minl = 99;
    size_t b0 = intercept ? 0 : 1;
    for (size_t j = 0; j < p; j++) {
      double sdj = f->sigma * sqrt(gsl_matrix_get(f->cov_unscaled, j, j));
      minl = fmin(minl, fmin(lre(f->coef[j], ns.b[j + b0]), lre(sdj, ns.sd[j + b0])));
    }
    minl = fmin(minl, fmin(lre(f->sigma, ns.resid_sd), lre(f->r2, ns.r2)));
    ok(minl >= target, "NIST %s, chunked QR: minimum LRE %.1f >= %.0f (estimates, SDs, residual SD, R²)", name, minl,
       target);
  } else if (err) {
    diag("%s", err->message);
  }
  g_clear_error(&err);
  rs_ols_free(f);
  gsl_matrix_free(X);
  gsl_vector_free(y);
  g_free(ns.data);
  g_free(path);
}

static double max_rel(const double *a, const double *b, size_t n, double floor) {
  double m = 0;
  for (size_t i = 0; i < n; i++) {
    double s = fmax(fmax(fabs(a[i]), fabs(b[i])), floor);
    m = fmax(m, fabs(a[i] - b[i]) / s);
  }
  return m;
}

/* A survey-like design: intercept, two 0/1 groups, an age, a count, 6
 * levels of a factor as 5 dummies, and a column equal to the sum of two
 * dummies (aliased, as lm reports it NA); weights 0.5-2, some 0. */
static void chunked_vs_columnwise(void) {
  size_t n = 3000, p = 11;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 20221);
  gsl_matrix *X = gsl_matrix_calloc(n, p);
  gsl_vector *y = gsl_vector_alloc(n), *w = gsl_vector_alloc(n);
  for (size_t i = 0; i < n; i++) {
    int type = (int)gsl_rng_uniform_int(rng, 3), lev = (int)gsl_rng_uniform_int(rng, 6);
    double age = (double)gsl_rng_uniform_int(rng, 18), cnt = (double)gsl_rng_uniform_int(rng, 8);
    gsl_matrix_set(X, i, 0, 1);
    gsl_matrix_set(X, i, 1, type == 1);
    gsl_matrix_set(X, i, 2, type == 2);
    gsl_matrix_set(X, i, 3, age);
    gsl_matrix_set(X, i, 4, cnt);
    if (lev > 0) gsl_matrix_set(X, i, 4 + (size_t)lev, 1);
    gsl_matrix_set(X, i, 10, (type == 1) + (lev == 2));
    double yi = 3 + 0.3 * (type == 1) + 0.35 * (type == 2) - 0.02 * age + 0.1 * cnt + 0.2 * lev + gsl_ran_gaussian(rng, 0.8);
    gsl_vector_set(y, i, yi);
    gsl_vector_set(w, i, i % 97 == 0 ? 0.0 : 0.5 + 1.5 * gsl_rng_uniform(rng));
  }
  rs_ols_options col = {.chunk_rows = 0};
  rs_ols *f0 = rs_ols_fit(X, y, w, true, &col, NULL);
  static const size_t chunks[][3] = {{64, 1, 1}, {64, 2, 2}, {5, 3, 2}, {1000, 2, 1}};
  for (size_t c = 0; c < G_N_ELEMENTS(chunks); c++) {
    rs_ols_options o = {.chunk_rows = chunks[c][0], .parts = chunks[c][1], .threads = chunks[c][2]};
    rs_ols *f = rs_ols_fit(X, y, w, true, &o, NULL);
    bool same_alias = f && f0 && f->rank == f0->rank && f->rank == p - 1;
    for (size_t j = 0; same_alias && j < p; j++) same_alias = f->aliased[j] == f0->aliased[j];
    if (!ok(same_alias && f->aliased[10], "chunks of %zu rows, %zu parts: rank %zu, column 11 aliased, as column-wise",
            chunks[c][0], chunks[c][1], f ? f->rank : 0)) {
      rs_ols_free(f);
      continue;
    }
    double *c0 = g_new(double, p), *c1 = g_new(double, p);
    size_t m = 0;
    for (size_t j = 0; j < p; j++)
      if (!f->aliased[j]) { c0[m] = f0->coef[j]; c1[m] = f->coef[j]; m++; }
    double e1 = max_rel(c1, c0, m, 0);
    double e2 = 0;   /* each element relative to sqrt(C_ii C_jj): tiny covariances are not compared to themselves */
    for (size_t a = 0; a < f->rank; a++)
      for (size_t b = 0; b < f->rank; b++) {
        const gsl_matrix *C0 = f0->cov_unscaled;
        double s = sqrt(gsl_matrix_get(C0, a, a) * gsl_matrix_get(C0, b, b));
        e2 = fmax(e2, fabs(gsl_matrix_get(f->cov_unscaled, a, b) - gsl_matrix_get(C0, a, b)) / s);
      }
    double e3 = max_rel(f->resid, f0->resid, n, 1e-3);
    double e4 = fmax(fabs(f->sigma - f0->sigma) / f0->sigma, fabs(f->r2 - f0->r2) / f0->r2);
    ok(e1 <= 1e-12 && e2 <= 1e-12 && e3 <= 1e-12 && e4 <= 1e-12,
       "chunks of %zu rows, %zu parts: coefficients %.1e, (X'WX)^-1 %.1e, residuals %.1e, sigma/R² %.1e from the "
       "column-wise QR (<= 1e-12)",
       chunks[c][0], chunks[c][1], e1, e2, e3, e4);
    g_free(c0);
    g_free(c1);
    rs_ols_free(f);
  }
  rs_ols_free(f0);
  gsl_matrix_free(X);
  gsl_vector_free(y);
  gsl_vector_free(w);
  gsl_rng_free(rng);
}

/* R'R = A'A and Q (Q' v) = v for a random matrix. */
static void identities(void) {
  size_t n = 1000, p = 6;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 7);
  gsl_matrix *A = gsl_matrix_alloc(n, p), *A0 = gsl_matrix_alloc(n, p);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < p; j++) gsl_matrix_set(A, i, j, gsl_ran_gaussian(rng, 1.0) + (j == 0));
  gsl_matrix_memcpy(A0, A);
  rs_qrrows *q = rs_qrrows_factor(A, 50, 3, 2);
  const gsl_matrix *R = rs_qrrows_r(q);
  gsl_matrix *RtR = gsl_matrix_alloc(p, p), *AtA = gsl_matrix_alloc(p, p);
  gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, R, R, 0.0, RtR);
  gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, A0, A0, 0.0, AtA);
  double e = 0, lower = 0;
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < p; j++) {
      e = fmax(e, fabs(gsl_matrix_get(RtR, i, j) - gsl_matrix_get(AtA, i, j)) / gsl_matrix_get(AtA, i, i));
      if (j < i) lower = fmax(lower, fabs(gsl_matrix_get(R, i, j)));
    }
  ok(e <= 1e-13 && lower == 0, "qrrows, 1000 x 6 in chunks of 50, 3 parts: R'R = A'A to %.1e, R upper triangular", e);
  size_t L = rs_qrrows_ext_len(q);
  ok(L == 3 * p + n && rs_qrrows_top_len(q) == 3 * p, "extended vectors: 3 x 6 top rows + 1000 data rows");
  double *v = g_new(double, L), *v0 = g_new(double, L);
  for (size_t i = 0; i < L; i++) v0[i] = v[i] = gsl_ran_gaussian(rng, 1.0);
  rs_qrrows_apply_qt(q, v);
  long double n0 = 0, n1 = 0;
  for (size_t i = 0; i < L; i++) { n0 += (long double)v0[i] * v0[i]; n1 += (long double)v[i] * v[i]; }
  rs_qrrows_apply_q(q, v);
  ok(max_rel(v, v0, L, 1.0) <= 1e-13 && fabsl(n1 - n0) / n0 <= 1e-13, "Q (Q' v) = v and |Q' v| = |v| to 1e-13");
  g_free(v);
  g_free(v0);
  gsl_matrix_free(RtR);
  gsl_matrix_free(AtA);
  rs_qrrows_free(q);
  gsl_matrix_free(A);
  gsl_matrix_free(A0);
  gsl_rng_free(rng);
}

int main(void) {
  identities();
  chunked_vs_columnwise();
  static const struct { const char *name; int degree; double target, tol; } sets[] = {
      {"Norris", 1, 9, 0},   {"Pontius", 2, 9, 0},  {"NoInt1", -1, 9, 0},  {"NoInt2", -1, 9, 0},
      {"Filip", 10, 7, 1e-12}, {"Longley", 0, 9, 0}, {"Wampler1", 5, 9, 0}, {"Wampler2", 5, 9, 0},
      {"Wampler3", 5, 9, 0}, {"Wampler4", 5, 9, 0}, {"Wampler5", 5, 9, 0}};
  for (size_t k = 0; k < G_N_ELEMENTS(sets); k++) {
    nist_chunked(sets[k].name, sets[k].degree, sets[k].target, sets[k].tol, 4, 2, 2);
    nist_chunked(sets[k].name, sets[k].degree, sets[k].target, sets[k].tol, 7, 3, 1);
  }
  return done();
}
