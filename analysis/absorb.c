/* absorb.c — the within transformation and the full-model statistics of an
 * absorbed factor (the formulas are in absorb.h).
 *
 * Work is row by row over the n x (p + 1) values of X and y, three passes
 * (sums, deviation sums, subtraction) with per-level accumulators in long
 * double, so a million rows with a few columns take milliseconds and no
 * copy of X is made.
 */
#include "analysis/absorb.h"
#include "datasets/error.h"

#include <math.h>
#include <string.h>

rs_ols *rs_absorb_ols(gsl_matrix *X, gsl_vector *y, const gsl_vector *w, const size_t *level, size_t L, bool intercept,
                      const rs_ols_options *o, GError **err) {
  size_t n = X->size1, p = X->size2, q = p + 1;   /* column p of the accumulators is y */
  double tol = o && o->tol > 0 ? o->tol : 1e-7;
  if (y->size != n || (w && w->size != n)) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "rs_absorb_ols: X, y and w have different numbers of rows");
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    double wi = w ? gsl_vector_get(w, i) : 1.0;
    if (!(wi >= 0) || !isfinite(wi)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "weight %g in row %zu: weights must be zero or positive numbers", wi,
                  i + 1);
      return NULL;
    }
    if (level[i] >= L) {
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "rs_absorb_ols: level %zu of row %zu is not below %zu", level[i],
                  i + 1, L);
      return NULL;
    }
  }
  long double *W = g_new0(long double, L ? L : 1);
  long double *S = g_new0(long double, (L ? L : 1) * q);     /* per level: sum w x, then the means */
  long double *D = g_new0(long double, (L ? L : 1) * q);     /* per level: sum w (x - mean) */
  long double *before = g_new0(long double, q), *after = g_new0(long double, q);
  double *y0 = g_new(double, n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    double wi = w ? gsl_vector_get(w, i) : 1.0;
    long double *s = S + level[i] * q;
    const double *row = gsl_matrix_const_ptr(X, i, 0);
    W[level[i]] += wi;
    for (size_t j = 0; j < p; j++) {
      s[j] += (long double)wi * row[j];
      before[j] += (long double)wi * row[j] * row[j];
    }
    y0[i] = gsl_vector_get(y, i);
    s[p] += (long double)wi * y0[i];
  }
  size_t G = 0;
  for (size_t g = 0; g < L; g++) {
    if (W[g] > 0) {
      G++;
      for (size_t j = 0; j < q; j++) S[g * q + j] /= W[g];
    } else {
      for (size_t j = 0; j < q; j++) S[g * q + j] = 0;   /* rows of weight 0 only: left as they are */
    }
  }
  /* correction pass: mean += weighted mean of the deviations */
  for (size_t i = 0; i < n; i++) {
    double wi = w ? gsl_vector_get(w, i) : 1.0;
    if (wi == 0) continue;
    const long double *m = S + level[i] * q;
    long double *dv = D + level[i] * q;
    const double *row = gsl_matrix_const_ptr(X, i, 0);
    for (size_t j = 0; j < p; j++) dv[j] += wi * ((long double)row[j] - m[j]);
    dv[p] += wi * ((long double)y0[i] - m[p]);
  }
  for (size_t g = 0; g < L; g++)
    if (W[g] > 0)
      for (size_t j = 0; j < q; j++) S[g * q + j] += D[g * q + j] / W[g];
  for (size_t i = 0; i < n; i++) {
    double wi = w ? gsl_vector_get(w, i) : 1.0;
    const long double *m = S + level[i] * q;
    double *row = gsl_matrix_ptr(X, i, 0);
    for (size_t j = 0; j < p; j++) {
      row[j] = (double)((long double)row[j] - m[j]);
      after[j] += (long double)wi * row[j] * row[j];
    }
    gsl_vector_set(y, i, (double)((long double)y0[i] - m[p]));
  }
  /* columns constant within the levels: exactly zero, so that the QR aliases them */
  for (size_t j = 0; j < p; j++)
    if (sqrtl(after[j]) < tol * sqrtl(before[j])) {
      gsl_vector_view c = gsl_matrix_column(X, j);
      gsl_vector_set_zero(&c.vector);
    }

  rs_ols *f = rs_ols_fit(X, y, w, false, o, err);
  if (f) {
    f->intercept = intercept;
    f->k_absorbed = G;
    f->hat_absorbed = g_new(double, n ? n : 1);
    long double sw = 0, swy = 0;
    for (size_t i = 0; i < n; i++) {
      double wi = w ? gsl_vector_get(w, i) : 1.0;
      f->hat_absorbed[i] = W[level[i]] > 0 ? (double)(wi / W[level[i]]) : 0.0;
      f->fitted[i] = y0[i] - f->resid[i];
      sw += wi;
      swy += (long double)wi * y0[i];
    }
    /* summary.lm of the full model: MSS about the weighted mean (intercept) or 0 */
    long double m = intercept ? swy / sw : 0, mss = 0;
    for (size_t i = 0; i < n; i++) {
      double wi = w ? gsl_vector_get(w, i) : 1.0;
      long double dv = ((long double)y0[i] - m) - f->resid[i];
      mss += wi * dv * dv;
    }
    rs_ols_set_summary(f, (long double)f->rss, mss);   /* df with the G absorbed levels */
  }
  g_free(W);
  g_free(S);
  g_free(D);
  g_free(before);
  g_free(after);
  g_free(y0);
  return f;
}
