/* ols.h — linear least squares as R's lm() computes it, on GSL.
 *
 * Householder QR (gsl_linalg_householder_transform / _hm) of the weighted
 * design, never the normal equations.  Columns are first scaled by powers
 * of two (exact) to unit-ish norm; a column whose norm left after the
 * earlier columns is below `tol` times its own norm is *aliased*: moved to
 * the end and reported as NA, exactly the limited pivoting of R's LINPACK
 * dqrdc2 with lm()'s tol = 1e-7.  Coefficients get `refine` steps of
 * iterative refinement with residuals accumulated in long double, which
 * gives the NIST StRD certified digits even for Wampler4/5 and Filip.
 *
 * Statistics follow summary.lm(): residual SE, R² = MSS / (MSS + RSS),
 * adjusted R², F on (rank - intercept, n - rank) df.  Weights are lm()'s
 * `weights` (inverse-variance); rows with weight 0 take no part, as in lm.
 *
 * Sequence: rs_ols_fit, then the accessors or rs_vcov_ols (vcov.h) and
 * rs_ols_coef_table, then rs_ols_free.
 */
#ifndef RS_OLS_H
#define RS_OLS_H

#include <glib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stdbool.h>

typedef struct {
  double tol;     /* rank tolerance; lm() uses 1e-7 (the default when 0) */
  int refine;     /* iterative refinement steps; default (when 0) 2; -1 for none */
  /* How the QR runs (the result agrees to rounding either way): rows per
   * chunk of the row-chunked QR (qrrows.h); 0: column-wise below
   * RS_OLS_CHUNKED_MIN_ROWS rows, chunked with the default chunk above. */
  size_t chunk_rows;
  size_t parts;   /* row blocks of the chunked QR; 0: 2 from RS_OLS_TWO_PARTS_MIN_ROWS rows, else 1 */
  size_t threads; /* threads for the parts; 0: rs_table_threads() ($REFORMSTAT_THREADS or the processors) */
} rs_ols_options;

#define RS_OLS_CHUNKED_MIN_ROWS 20000
#define RS_OLS_TWO_PARTS_MIN_ROWS 100000

typedef struct {
  size_t n;              /* rows taking part (weight > 0) */
  size_t p, rank;        /* columns, estimated columns */
  bool intercept;        /* the model has an intercept (R: attr(terms, "intercept")) */
  double *coef;          /* p; NAN for an aliased column */
  bool *aliased;         /* p */
  size_t *kept;          /* rank: the estimated columns, in order */
  gsl_matrix *cov_unscaled;  /* rank x rank: (X'WX)^-1 over the kept columns */
  double *resid;         /* rows of X: y - X b (unweighted, as residuals(lm)) */
  double *fitted;        /* rows of X */
  double *w;             /* rows of X: weights, or NULL */
  size_t nrows;          /* rows of X (including zero weights) */
  double rss, mss, sigma, r2, adj_r2, fstat, df_model, df_resid;
  /* Set by rs_absorb_ols (absorb.h) when a factor was absorbed; 0 / NULL otherwise. */
  size_t k_absorbed;     /* parameters absorbed (the factor's levels), counted in df_resid and in
                            the n - k of the sandwich estimators */
  double *hat_absorbed;  /* rows of X: the absorbed columns' part of the hat values, w_i / sum of w in the level */
} rs_ols;

/* Fits y ~ X (X already holds the intercept column if any); w may be NULL.
 * Never fails for rank deficiency (aliased columns are NA); fails for
 * negative or non-finite weights, non-finite data, or no rows. */
rs_ols *rs_ols_fit(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *w, bool intercept,
                   const rs_ols_options *o, GError **err);
void rs_ols_free(rs_ols *fit);

/* Sets rss, mss and the statistics of summary.lm from them: df_resid =
 * n - rank - k_absorbed, df_model = rank + k_absorbed - intercept, sigma,
 * R² = MSS / (MSS + RSS), adjusted R², F.  For every fit that fills an
 * rs_ols (ols.c, olsgram.c, absorb.c): n, rank, intercept and k_absorbed
 * set first. */
void rs_ols_set_summary(rs_ols *fit, long double rss, long double mss);

/* Leverages h_i = w_i x_i' (X'WX)^-1 x_i for every row of X (hatvalues(lm)),
 * plus hat_absorbed[i] when a factor was absorbed. */
double *rs_ols_hat(const rs_ols *fit, const gsl_matrix *X);

#endif
