/* logit.c — binomial GLM with logit link by IRLS, mirroring R's glm.fit
 * (src/library/stats/R/glm.R and the logit link in family.c). */
#include "analysis/logit.h"
#include "analysis/ols.h"
#include "datasets/error.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define THRESH 30.0   /* R's family.c: eta beyond ±30 is clamped */

static double linkinv(double eta) {
  double t = eta < -THRESH ? DBL_EPSILON : eta > THRESH ? 1.0 / DBL_EPSILON : exp(eta);
  return t / (1 + t);
}

static double mu_eta(double eta) {
  double opexp = 1 + exp(eta);
  return (eta > THRESH || eta < -THRESH) ? DBL_EPSILON : exp(eta) / (opexp * opexp);
}

static double ylogy(double y, double mu) { return y != 0 ? y * log(y / mu) : 0; }

static double deviance(const double *y, const double *mu, const double *w, size_t n) {
  long double s = 0;
  for (size_t i = 0; i < n; i++) s += 2 * w[i] * (ylogy(y[i], mu[i]) + ylogy(1 - y[i], 1 - mu[i]));
  return (double)s;
}

rs_logit *rs_logit_fit(const gsl_matrix *X, const gsl_vector *yv, const gsl_vector *wv, bool intercept,
                       GError **err) {
  size_t nr = X->size1, p = X->size2;
  double *y = g_new(double, nr ? nr : 1), *w = g_new(double, nr ? nr : 1);
  size_t n = 0;
  for (size_t i = 0; i < nr; i++) {
    y[i] = gsl_vector_get(yv, i);
    w[i] = wv ? gsl_vector_get(wv, i) : 1.0;
    if (y[i] != 0 && y[i] != 1) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "the response must be 0 or 1 for logistic regression, but row %zu has %g", i + 1, y[i]);
      goto fail;
    }
    if (!(w[i] >= 0) || !isfinite(w[i])) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "weight %g in row %zu: weights must be zero or positive", w[i], i + 1);
      goto fail;
    }
    n += w[i] > 0;
  }
  if (n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "no rows to fit (every row has a missing value or weight 0)");
    goto fail;
  }
  rs_logit *f = g_new0(rs_logit, 1);
  f->n = n;
  f->nrows = nr;
  f->p = p;
  f->mu = g_new(double, nr ? nr : 1);
  f->eta = g_new(double, nr ? nr : 1);
  f->score = g_new0(double, nr ? nr : 1);
  for (size_t i = 0; i < nr; i++) {
    double ms = (w[i] * y[i] + 0.5) / (w[i] + 1);   /* binomial()$initialize */
    f->eta[i] = log(ms / (1 - ms));
    f->mu[i] = linkinv(f->eta[i]);
  }
  double devold = deviance(y, f->mu, w, nr), dev = devold;
  gsl_vector *z = gsl_vector_alloc(nr ? nr : 1), *ww = gsl_vector_alloc(nr ? nr : 1);
  rs_ols *wls = NULL;
  rs_ols_options oo = {.tol = fmin(1e-7, 1e-8 / 1000)};
  double *start = g_new0(double, p ? p : 1);
  for (int iter = 1; iter <= 25; iter++) {
    for (size_t i = 0; i < nr; i++) {
      double me = mu_eta(f->eta[i]);
      double var = f->mu[i] * (1 - f->mu[i]);
      gsl_vector_set(z, i, f->eta[i] + (y[i] - f->mu[i]) / me);
      gsl_vector_set(ww, i, w[i] > 0 ? w[i] * me * me / var : 0.0);
    }
    rs_ols_free(wls);
    wls = rs_ols_fit(X, z, ww, intercept, &oo, err);
    if (!wls) {
      g_free(start);
      gsl_vector_free(z);
      gsl_vector_free(ww);
      rs_logit_free(f);
      goto fail;
    }
    for (size_t j = 0; j < p; j++) start[j] = wls->aliased[j] ? 0.0 : wls->coef[j];
    for (size_t i = 0; i < nr; i++) {
      long double e = 0;
      for (size_t j = 0; j < p; j++) e += (long double)gsl_matrix_get(X, i, j) * start[j];
      f->eta[i] = (double)e;
      f->mu[i] = linkinv(f->eta[i]);
    }
    dev = deviance(y, f->mu, w, nr);
    f->iter = iter;
    if (fabs(dev - devold) / (fabs(dev) + 0.1) < 1e-8) {
      f->converged = true;
      break;
    }
    devold = dev;
  }
  f->deviance = dev;
  f->rank = wls->rank;
  f->coef = g_new(double, p ? p : 1);
  f->aliased = g_memdup2(wls->aliased, (p ? p : 1) * sizeof(bool));
  f->kept = g_memdup2(wls->kept, (wls->rank ? wls->rank : 1) * sizeof(size_t));
  for (size_t j = 0; j < p; j++) f->coef[j] = wls->aliased[j] ? NAN : start[j];
  f->cov_unscaled = gsl_matrix_alloc(wls->cov_unscaled->size1, wls->cov_unscaled->size2);
  gsl_matrix_memcpy(f->cov_unscaled, wls->cov_unscaled);
  /* estfun.glm: working residual × working weight (the last step's weights, as glm.fit returns them) */
  for (size_t i = 0; i < nr; i++)
    f->score[i] = (y[i] - f->mu[i]) / mu_eta(f->eta[i]) * gsl_vector_get(ww, i);
  long double sw = 0, swy = 0;
  for (size_t i = 0; i < nr; i++) { sw += w[i]; swy += (long double)w[i] * y[i]; }
  double wtdmu = intercept ? (double)(swy / sw) : 0.5;
  double *mu0 = g_new(double, nr ? nr : 1);
  for (size_t i = 0; i < nr; i++) mu0[i] = wtdmu;
  f->null_deviance = deviance(y, mu0, w, nr);
  g_free(mu0);
  f->df_resid = (double)n - (double)f->rank;
  f->df_null = (double)n - (intercept ? 1 : 0);
  f->aic = wv ? NAN : dev + 2.0 * (double)f->rank;   /* binomial()$aic with unit weights */
  double eps = 10 * DBL_EPSILON;
  for (size_t i = 0; i < nr; i++)
    if (w[i] > 0 && (f->mu[i] < eps || f->mu[i] > 1 - eps)) f->separation = true;
  rs_ols_free(wls);
  g_free(start);
  gsl_vector_free(z);
  gsl_vector_free(ww);
  g_free(y);
  g_free(w);
  return f;
fail:
  g_free(y);
  g_free(w);
  return NULL;
}

void rs_logit_free(rs_logit *f) {
  if (!f) return;
  g_free(f->coef);
  g_free(f->aliased);
  g_free(f->kept);
  if (f->cov_unscaled) gsl_matrix_free(f->cov_unscaled);
  g_free(f->mu);
  g_free(f->eta);
  g_free(f->score);
  g_free(f);
}

gboolean rs_vcov_logit(const rs_logit *f, const gsl_matrix *X, const rs_vcov_spec *spec, gsl_matrix *V,
                       GError **err) {
  if (spec->type == RS_VCOV_CLASSICAL) {
    gsl_matrix_memcpy(V, f->cov_unscaled);   /* dispersion 1 for the binomial family */
    return TRUE;
  }
  if (spec->type == RS_VCOV_HC2 || spec->type == RS_VCOV_HC3) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "HC2 and HC3 are offered for linear regression only; use HC0, HC1 or cluster:VAR");
    return FALSE;
  }
  return rs_vcov_sandwich(X, f->kept, f->rank, f->score, NULL, f->n, f->cov_unscaled, spec, V, err);
}
