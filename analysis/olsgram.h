/* olsgram.h — lm() with sandwich::vcovCL(type = "HC1") from cross-products,
 * for tall designs made mostly of 0/1 indicators.
 *
 * ols.h solves by Householder QR, as lm() does, touching each of the n x p
 * entries of the design several times: on a million rows and 30 columns
 * that is seconds per model.  A row of the reform models (intercept,
 * indicators, one level per factor, two or three numbers) has 6–10
 * non-zeros, so one pass over the rows that accumulates, per cluster, the
 * cross-products X_g'X_g, X_g'y_g, y_g'y_g over the non-zeros only, in long
 * double, is some 30 times cheaper; everything after it is p x p work:
 *
 *   rank  Cholesky of X'X scaled to unit diagonal, in column order; a
 *         column whose Schur complement is below tol² is aliased (NA) and
 *         skipped — its norm left after the earlier columns is below tol
 *         times its own norm, lm's dqrdc2 test (tol = 1e-7)
 *   b     the normal equations solved in long double, then two steps of
 *         iterative refinement against the long double X'X and X'y
 *   V     s_g = X_g'y_g − X_g'X_g b is cluster g's score sum X_g'e_g;
 *         V = G/(G−1) (n−1)/(n−k) B (Σ_g s_g s_g') B, B = (X'X)⁻¹ over the
 *         kept columns: vcovCL(fit, cluster, type = "HC1"), as vcov.h
 *
 * Accuracy.  Products of integer-valued predictors (indicators, ages,
 * counts) are exact, so X'X is exact and X'y carries only long double
 * rounding (2⁻⁶⁴); the solution's relative error is about
 * cond(scaled X'X) x 1e-19, against lm's own cond(X) x 1e-16.  When the
 * smallest scaled pivot is below RS_OLSGRAM_MIN_PIVOT (cond(X'X) above
 * about 1e8), or a sum is not finite, the fit declines and the caller uses
 * QR (ols.h) — see rs_olsgram_fit.  RSS and MSS are formed from the sums
 * (y'y − 2 b'X'y + b'X'Xb, in long double), which loses the digits of
 * y'y / RSS: fine for outcome scores, not for a near-perfect fit, so the
 * fit declines when RSS is below 1e-9 of y'y.
 *
 * Unweighted only (lm without weights).  The returned rs_ols has no
 * residuals or fitted values (resid, fitted, w NULL): call neither
 * rs_vcov_ols nor rs_ols_hat on it; its covariance comes from here.
 */
#ifndef RS_OLSGRAM_H
#define RS_OLSGRAM_H

#include <glib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stdbool.h>

#include "analysis/formula.h"
#include "analysis/ols.h"

#define RS_OLSGRAM_MIN_PIVOT 1e-8

/* Fits the design's y ~ X — dense, or sparse (formula.h: then X is never
 * made, which saves the n x p matrix) — with rows in clusters
 * cluster[i] < n_clusters (n_clusters >= 2), and sets *V to a new
 * rank x rank matrix over fit->kept: the CR1 covariance.  Returns NULL
 * with *err set for a problem of the input, and NULL with *err unset when
 * the cross-products are not accurate enough for this design (use
 * rs_ols_fit and rs_vcov_ols). */
rs_ols *rs_olsgram_fit(const rs_design *d, const size_t *cluster, size_t n_clusters, gsl_matrix **V, GError **err);

#endif
