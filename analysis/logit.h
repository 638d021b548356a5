/* logit.h — logistic regression by iteratively reweighted least squares,
 * step for step as R's glm.fit(family = binomial()) does it: the same
 * starting values ((w y + 0.5) / (w + 1)), the same link limits (|eta| > 30),
 * each step a weighted least-squares fit by Householder QR (ols.h, tol
 * 1e-11 as glm's min(1e-7, epsilon / 1000)), and the same stopping rule
 * |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations.
 *
 * Standard errors: classical from the last step's (X'WX)^-1 (summary.glm);
 * HC0/HC1 as sandwich::vcovHC(glmfit, type = …); cluster-robust as
 * sandwich::vcovCL(glmfit, cluster = ~g, type = "HC1"); Newey–West as
 * NeweyWest(glmfit, lag = L, prewhite = FALSE).
 *
 * Fitted probabilities within 10 × DBL_EPSILON of 0 or 1 (R's warning
 * "fitted probabilities numerically 0 or 1 occurred") mean complete or
 * quasi-complete separation: `separation` is set and the estimates must
 * not be reported as if they were finite maximum-likelihood estimates.
 */
#ifndef RS_LOGIT_H
#define RS_LOGIT_H

#include <glib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stdbool.h>

#include "analysis/vcov.h"

typedef struct {
  size_t n, nrows, p, rank;
  double *coef;             /* p; NAN for aliased */
  bool *aliased;
  size_t *kept;             /* rank */
  gsl_matrix *cov_unscaled; /* rank x rank */
  double *mu, *eta;         /* nrows */
  double *score;            /* nrows: working residual × working weight (sandwich's estfun factor) */
  double deviance, null_deviance, aic, df_resid, df_null;
  int iter;
  bool converged, separation;
} rs_logit;

/* y must be 0/1 in every row (else an error naming the first other value);
 * w (prior weights) may be NULL. */
rs_logit *rs_logit_fit(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *w, bool intercept, GError **err);
void rs_logit_free(rs_logit *fit);

/* Covariance (rank x rank); HC2/HC3 are not offered for glm. */
gboolean rs_vcov_logit(const rs_logit *fit, const gsl_matrix *X, const rs_vcov_spec *spec, gsl_matrix *V,
                       GError **err);

#endif
