/* linefit.h — a straight line y = a + b·x by least squares, with its
 * pointwise confidence band: the fit a scatter chart draws (plots/scatter.c)
 * and the caseload-vs-resources slope.
 *
 * The fit is ols.h's (QR as R's lm); the band at x0 is
 * ŷ(x0) ± t(df, (1+level)/2) · sqrt([1 x0] V [1 x0]') with V = vcov(lm),
 * i.e. predict(lm(y ~ x), data.frame(x = x0), interval = "confidence").
 *
 * Sequence: rs_linefit_fit, then rs_linefit_predict for each x0.
 */
#ifndef RS_LINEFIT_H
#define RS_LINEFIT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
  size_t n;              /* points used */
  bool slope_ok;         /* false when x is constant (slope aliased): only the mean is fitted */
  double intercept, slope, se_intercept, se_slope;
  double v_aa, v_ab, v_bb;   /* vcov(lm) */
  double sigma, r2, df, level, tcrit;
  double t_slope, p_slope;   /* t test of the slope */
} rs_linefit;

/* Fits y ~ x over the n points (all must be finite; n >= 3).  level: 0 →
 * 0.95.  Fails with a sentence for n < 3 or a non-finite value. */
gboolean rs_linefit_fit(const double *x, const double *y, size_t n, double level, rs_linefit *out, GError **err);

/* Fitted value and the confidence band at x0. */
void rs_linefit_predict(const rs_linefit *f, double x0, double *fit, double *lo, double *hi);

#endif
