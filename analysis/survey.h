/* survey.h — design-based means and proportions with Taylor-linearised
 * standard errors, as R's survey package.
 *
 * A design has a weight per row and optionally strata and clusters (PSUs),
 * like survey::svydesign(ids = ~cluster or ~1, strata = ~s, weights = ~w,
 * data = d): PSUs are sampled with replacement (no fpc, the package's
 * default) and are taken within strata (clusters with the same code in two
 * strata are two PSUs, as nest = TRUE).  The mean of y over a domain (rows
 * where y is present and, optionally, in a subgroup) is
 *   ybar = sum(w y) / sum(w),  z_i = w_i (y_i - ybar) / sum(w) in the domain, 0 outside,
 *   var  = sum_h n_h/(n_h - 1) sum_j (z_hj - mean_h z)^2
 * over the PSU totals z_hj of all n_h PSUs of stratum h, which is what
 * svymean(~y, design, na.rm = TRUE) and svyby(~y, ~g, design, svymean)
 * compute.  A proportion is the mean of a 0/1 indicator (svymean(~factor(g))).
 * Lonely PSUs: a stratum with a single PSU is an error, as the survey
 * package's default options(survey.lonely.psu = "fail").
 */
#ifndef RS_SURVEY_H
#define RS_SURVEY_H

#include <glib.h>
#include <stddef.h>

#include "datasets/table.h"

typedef struct rs_svy_design rs_svy_design;

/* n rows; w: weights (finite, >= 0); strata, clusters: codes per row or
 * NULL (one stratum; each row its own PSU).  Fails on a bad weight or a
 * stratum with one PSU. */
rs_svy_design *rs_svy_design_new(size_t n, const double *w, const long *strata, const long *clusters, GError **err);
/* The same from table columns (weight required; strata, cluster may be
 * NULL).  Missing weights, strata or clusters are errors naming the line. */
rs_svy_design *rs_svy_design_from_table(const rs_table *t, const char *weight, const char *strata, const char *cluster,
                                        GError **err);
void rs_svy_design_free(rs_svy_design *d);
size_t rs_svy_design_psus(const rs_svy_design *d);
size_t rs_svy_design_strata(const rs_svy_design *d);

typedef struct {
  size_t n;        /* rows in the domain with y present */
  double wsum;     /* their total weight */
  double mean;     /* NAN when the domain is empty or weighs nothing */
  double se;
} rs_svy_estimate;

/* Weighted mean of y (NAN = missing) over `rows` (NULL: all rows of the
 * design), which are the domain; the variance uses the whole design. */
void rs_svy_mean(const rs_svy_design *d, const double *y, const size_t *rows, size_t nrows, rs_svy_estimate *out);

#endif
