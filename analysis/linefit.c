/* linefit.c — y ~ x through ols.h, with vcov(lm) for the confidence band. */
#include "analysis/linefit.h"
#include "analysis/ols.h"
#include "analysis/vcov.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

gboolean rs_linefit_fit(const double *x, const double *y, size_t n, double level, rs_linefit *out, GError **err) {
  *out = (rs_linefit){0};
  if (level <= 0) level = 0.95;
  if (n < 3) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "a fitted line needs at least 3 points with both values, not %zu", n);
    return FALSE;
  }
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]) || !isfinite(y[i])) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "point %zu is not a finite number (%g, %g)", i + 1, x[i], y[i]);
      return FALSE;
    }
  gsl_matrix *X = gsl_matrix_alloc(n, 2);
  gsl_vector *yv = gsl_vector_alloc(n);
  for (size_t i = 0; i < n; i++) {
    gsl_matrix_set(X, i, 0, 1.0);
    gsl_matrix_set(X, i, 1, x[i]);
    gsl_vector_set(yv, i, y[i]);
  }
  gboolean ok = FALSE;
  gsl_matrix *V = NULL;
  rs_ols *fit = rs_ols_fit(X, yv, NULL, true, NULL, err);
  if (!fit) goto done;
  V = gsl_matrix_calloc(fit->rank ? fit->rank : 1, fit->rank ? fit->rank : 1);
  rs_vcov_spec spec = {.type = RS_VCOV_CLASSICAL};
  if (!rs_vcov_ols(fit, X, &spec, V, err)) goto done;
  out->n = fit->n;
  out->level = level;
  out->df = fit->df_resid;
  out->sigma = fit->sigma;
  out->r2 = fit->r2;
  out->tcrit = out->df > 0 ? gsl_cdf_tdist_Qinv((1 - level) / 2, out->df) : NAN;
  out->intercept = fit->coef[0];
  out->v_aa = gsl_matrix_get(V, 0, 0);
  out->slope_ok = fit->rank == 2;
  if (out->slope_ok) {
    out->slope = fit->coef[1];
    out->v_ab = gsl_matrix_get(V, 0, 1);
    out->v_bb = gsl_matrix_get(V, 1, 1);
    out->se_slope = sqrt(out->v_bb);
    out->t_slope = out->slope / out->se_slope;
    out->p_slope = 2 * gsl_cdf_tdist_Q(fabs(out->t_slope), out->df);
  } else {
    out->slope = out->se_slope = out->t_slope = out->p_slope = NAN;
  }
  out->se_intercept = sqrt(out->v_aa);
  ok = TRUE;
done:
  gsl_matrix_free(V);
  rs_ols_free(fit);
  gsl_matrix_free(X);
  gsl_vector_free(yv);
  return ok;
}

void rs_linefit_predict(const rs_linefit *f, double x0, double *fit, double *lo, double *hi) {
  double b = f->slope_ok ? f->slope : 0, vab = f->slope_ok ? f->v_ab : 0, vbb = f->slope_ok ? f->v_bb : 0;
  double yhat = f->intercept + b * x0;
  double var = f->v_aa + 2 * x0 * vab + x0 * x0 * vbb;
  double half = f->tcrit * sqrt(var > 0 ? var : 0);
  *fit = yhat;
  *lo = yhat - half;
  *hi = yhat + half;
}
