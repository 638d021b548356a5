/* olsgram.h — lm() with sandwich::vcovCL(type = "HC1") from cross-products,
 * for tall designs made mostly of 0/1 indicators.
 *
 * ols.h solves by Householder QR, as lm() does, touching each of the n x p
 * entries of the design several times: on a million rows and 30 columns
 * that is seconds per model.  A row of the reform models (intercept,
 * indicators, one level per factor, two or three numbers) has 6–10
 * non-zeros, so two passes over the non-zeros of the rows do it some 30
 * times cheaper:
 *
 *   pass 1  X'X, X'y, y'y in long double (X'X in double when that is exact:
 *           integer-valued predictors)
 *   rank    Cholesky of X'X scaled to unit diagonal, in column order; a
 *           column whose Schur complement is below tol² is aliased (NA) and
 *           skipped — its norm left after the earlier columns is below tol
 *           times its own norm, lm's dqrdc2 test (tol = 1e-7)
 *   b       the normal equations solved in long double, then two steps of
 *           iterative refinement against the long double X'X and X'y
 *   pass 2  residuals e = y − Xb in long double: RSS, MSS and each
 *           cluster's score sum s_g = X_g'e_g
 *   V       G/(G−1) (n−1)/(n−k) B (Σ_g s_g s_g') B, B = (X'X)⁻¹ over the
 *           kept columns: vcovCL(fit, cluster, type = "HC1"), as vcov.h
 *
 * Memory: p² for X'X and G x p for the score sums, besides the design.
 *
 * Accuracy.  Products of integer-valued predictors (indicators, ages,
 * counts) are exact, so X'X is exact and X'y carries only long double
 * rounding (2⁻⁶⁴); the solution's relative error is about
 * cond(scaled X'X) x 1e-19, against lm's own cond(X) x 1e-16.  The fit
 * declines — the caller then uses QR (ols.h), see rs_olsgram_fit — when a
 * scaled pivot is below RS_OLSGRAM_MIN_PIVOT (cond(X'X) above about 1e8)
 * or too near lm's aliasing threshold to be sure of it, when RSS is below
 * 1e-6 of y'y (a near-perfect fit, whose residuals lm itself knows only to
 * a few digits), when a sum is not finite, and for more than 1024 columns.
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
