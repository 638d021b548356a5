/* vcov.h — variance estimators for regression coefficients.
 *
 * classical: sigma² (X'WX)^-1, as vcov(lm).
 * HC0–HC3:   sandwich::vcovHC(fit, type = "HC0" … "HC3").
 * cluster:   sandwich::vcovCL(fit, cluster = ~g, type = "HC1"): the meat
 *            is multiplied by G/(G-1) (cadjust = TRUE) and (n-1)/(n-k).
 * HAC:       sandwich::NeweyWest(fit, lag = L, prewhite = FALSE), i.e.
 *            Bartlett weights 1 - l/(L+1), rows in data order, and
 *            NeweyWest's default adjust = FALSE (no n/(n-k) factor).
 *            NeweyWest's own default prewhite = TRUE (a VAR(1) prewhitening)
 *            is not offered.
 * k is the number of estimated (non-aliased) coefficients, n the rows; when
 * a factor was absorbed (absorb.h), k also counts its levels, as the rank of
 * lm's full design with the dummies.
 *
 * All matrices are rank x rank over the estimated columns (fit->kept).
 */
#ifndef RS_VCOV_H
#define RS_VCOV_H

#include <glib.h>
#include <gsl/gsl_matrix.h>
#include <stdbool.h>

#include "analysis/ols.h"
#include "datasets/table.h"

typedef enum {
  RS_VCOV_CLASSICAL, RS_VCOV_HC0, RS_VCOV_HC1, RS_VCOV_HC2, RS_VCOV_HC3, RS_VCOV_CLUSTER, RS_VCOV_HAC
} rs_vcov_type;

typedef struct {
  rs_vcov_type type;
  const size_t *cluster;   /* RS_VCOV_CLUSTER: cluster number (0 … G-1) of each row */
  size_t n_clusters;       /* G */
  int lag;                 /* RS_VCOV_HAC: L >= 0 */
  size_t k_absorbed;       /* parameters absorbed by the within transformation (absorb.h): added
                              to k in the n - k of HC1 and cluster CR1; 0 otherwise */
} rs_vcov_spec;

/* Parses "classical", "HC0"…"HC3", "cluster:VAR", "nw:LAGS" (case of HC
 * ignored).  *cluster_var receives VAR (g_free) for cluster. */
gboolean rs_vcov_parse(const char *text, rs_vcov_spec *spec, char **cluster_var, GError **err);
/* "HC3 (sandwich::vcovHC type HC3)"-style description; g_free it. */
char *rs_vcov_describe(const rs_vcov_spec *spec, const char *cluster_var);

/* Cluster numbers 0 … G-1 of the rows `rows` (n of them) of column c, by
 * first appearance; the column must have no missing value in those rows. */
size_t *rs_vcov_cluster_index(const rs_column *c, const size_t *rows, size_t n, size_t *n_clusters);

/* The sandwich B M B from scores u_i = s_i x_i (x_i: row i of X restricted
 * to `kept`, k columns), bread B (k x k, (X'WX)^-1).  h: leverages, needed
 * for HC2/HC3 only.  n: rows taking part.  V receives k x k. */
gboolean rs_vcov_sandwich(const gsl_matrix *X, const size_t *kept, size_t k, const double *s, const double *h,
                          size_t n, const gsl_matrix *bread, const rs_vcov_spec *spec, gsl_matrix *V, GError **err);

/* The covariance of an lm fit (rank x rank). */
gboolean rs_vcov_ols(const rs_ols *fit, const gsl_matrix *X, const rs_vcov_spec *spec, gsl_matrix *V, GError **err);

#endif
