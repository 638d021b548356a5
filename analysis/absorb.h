/* absorb.h — one factor's fixed effects absorbed instead of estimated.
 *
 * `y ~ x1 + x2 + factor(kommune)` with 357 kommuner is, for lm, a design
 * with 359 columns; on a million rows that is 2.9 GB and minutes of QR.
 * By the Frisch–Waugh–Lovell theorem the coefficients of x1, x2 are those
 * of the regression of the *within-transformed* y on the within-transformed
 * x1, x2 — every column minus its (weighted) mean in the row's level of the
 * factor — and so are its residuals.  The sandwich estimators' blocks for
 * x1, x2 are the same too, because the map y -> b(x) is the same linear map.
 * What changes is the count of parameters: the G levels are estimated
 * implicitly, so
 *   residual df       = n - rank(X~) - G       (lm: n - rank of the full design)
 *   HC1               n / (n - k),             k = rank(X~) + G
 *   CR1 (vcovCL HC1)  G_c/(G_c - 1) (n - 1) / (n - k), the same k
 *   HC2, HC3          full leverages h_i = h_i(X~) + w_i / (sum of w in the level)
 *   R², adjusted R², F as summary.lm of the full model (MSS of the original y)
 * which is what fixest::feols and Stata's reghdfe call "absorbing" a fixed
 * effect (both use their own small-sample factors; these are lm's and
 * sandwich's).  Means are taken in long double with a correction pass
 * (mean + mean of the deviations, as R's mean()).
 *
 * A column constant within every level (a kommune-level variable) is
 * within-transformed to (nearly) zero; it is set to exactly zero when its
 * remaining weighted norm is below 1e-7 of its original norm (lm's tol), so
 * that the QR reports it aliased (NA).  lm would instead keep it and alias a
 * dummy; the other coefficients, the rank and the df are the same.
 *
 * Sequence: the caller builds the design *without* the factor's columns
 * and without the intercept column, computes each row's level
 * (rs_vcov_cluster_index serves), calls rs_absorb_ols, then rs_vcov_ols
 * (which reads k_absorbed and hat_absorbed from the fit) on the same,
 * now demeaned, X.
 */
#ifndef RS_ABSORB_H
#define RS_ABSORB_H

#include <glib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stdbool.h>

#include "analysis/ols.h"

/* Fits y ~ X + factor(level) with the factor absorbed.  X (n x p, may be a
 * view) and y are demeaned in place; level[i] in 0 … L-1; w (lm's
 * weights) may be NULL.  intercept: the model as written has an intercept
 * (for R², F, as summary.lm).  The returned fit has the within fit's
 * coefficients, cov_unscaled and residuals, the full model's df_resid,
 * sigma, mss, r2, adj_r2, fstat and df_model, k_absorbed = G (levels with
 * positive weight) and hat_absorbed. */
rs_ols *rs_absorb_ols(gsl_matrix *X, gsl_vector *y, const gsl_vector *w, const size_t *level, size_t L, bool intercept,
                      const rs_ols_options *o, GError **err);

#endif
