/* regress.c — formula → design → fit → standard errors → records. */
#include "analysis/regress.h"
#include "analysis/formula.h"
#include "analysis/logit.h"
#include "analysis/ols.h"
#include "analysis/vcov.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

gboolean rs_regress_table(const rs_table *t, const rs_regress_options *o, rs_results *out, char **warning,
                          GError **err) {
  if (warning) *warning = NULL;
  double level = o->level > 0 && o->level < 1 ? o->level : 0.95;
  rs_vcov_spec spec;
  char *cluster_var = NULL;
  if (!rs_vcov_parse(o->vcov, &spec, &cluster_var, err)) return FALSE;
  rs_formula *f = rs_formula_parse(o->formula, err);
  if (!f) { g_free(cluster_var); return FALSE; }
  const char *extra[3] = {NULL, NULL, NULL};
  int ne = 0;
  if (o->weight) extra[ne++] = o->weight;
  if (cluster_var) extra[ne++] = cluster_var;
  rs_design_options dop = {.extra = extra, .binary_response = o->binomial};
  rs_design *d = rs_design_build(f, t, &dop, err);
  gboolean ok = FALSE;
  gsl_vector *w = NULL;
  size_t *cl = NULL;
  rs_ols *ols = NULL;
  rs_logit *lg = NULL;
  gsl_matrix *V = NULL;
  char *vdesc = NULL;
  if (!d) goto done;
  if (d->n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has all of the formula's variables present (%zu rows dropped)",
                t->path ? t->path : "data", d->n_dropped);
    goto done;
  }
  if (o->weight) {
    const rs_column *wc = &t->cols[rs_table_find(t, o->weight)];
    if (wc->storage != RS_STORE_NUM) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "the weight column '%s' is not numeric", o->weight);
      goto done;
    }
    w = gsl_vector_alloc(d->n);
    for (size_t i = 0; i < d->n; i++) gsl_vector_set(w, i, wc->num[d->rows[i]]);
  }
  if (spec.type == RS_VCOV_CLUSTER) {
    cl = rs_vcov_cluster_index(&t->cols[rs_table_find(t, cluster_var)], d->rows, d->n, &spec.n_clusters);
    spec.cluster = cl;
  }
  size_t rank, *kept;
  const double *coef;
  double df;
  bool sep = false;
  if (o->binomial) {
    lg = rs_logit_fit(d->X, d->y, w, d->intercept, err);
    if (!lg) goto done;
    rank = lg->rank; kept = lg->kept; coef = lg->coef; df = lg->df_resid;
    sep = lg->separation;
  } else {
    ols = rs_ols_fit(d->X, d->y, w, d->intercept, NULL, err);
    if (!ols) goto done;
    rank = ols->rank; kept = ols->kept; coef = ols->coef; df = ols->df_resid;
  }
  V = gsl_matrix_calloc(rank ? rank : 1, rank ? rank : 1);
  if (rank > 0 && !(lg ? rs_vcov_logit(lg, d->X, &spec, V, err) : rs_vcov_ols(ols, d->X, &spec, V, err))) goto done;
  vdesc = rs_vcov_describe(&spec, cluster_var);
  static const char *short_name[] = {"classical", "HC0", "HC1", "HC2", "HC3", "cluster CR1", "Newey-West"};
  char *method = g_strdup_printf("%s, SE %s", lg ? "logit" : "OLS", short_name[spec.type]);
  char *how = g_strdup_printf("%s; standard errors: %s.", lg ? "Logistic regression by IRLS (as R's glm, binomial)"
                                                             : "Linear regression by QR (as R's lm)", vdesc);
  rs_results_add_note(out, how);
  g_free(how);
  double q = lg ? gsl_cdf_ugaussian_Qinv((1 - level) / 2) : (df > 0 ? gsl_cdf_tdist_Qinv((1 - level) / 2, df) : NAN);
  rs_results_section(out, "Coefficients");
  size_t a = 0;
  for (size_t j = 0; j < d->p; j++) {
    rs_record *r = rs_results_add(out);
    rs_record_str(r, "name", d->names[j]);
    if (a < rank && kept[a] == j) {
      double se = sqrt(gsl_matrix_get(V, a, a));
      double stat = coef[j] / se;
      double pv = lg ? 2 * gsl_cdf_ugaussian_Q(fabs(stat)) : (df > 0 ? 2 * gsl_cdf_tdist_Q(fabs(stat), df) : NAN);
      rs_record_int(r, "n", (long long)d->n);
      if (!sep) {
        rs_record_num(r, "estimate", coef[j]);
        rs_record_num(r, "se", se);
        rs_record_num(r, "statistic", stat);
        if (!lg) rs_record_num(r, "df", df);
        rs_record_num(r, "p_value", pv);
        rs_record_num(r, "ci_low", coef[j] - q * se);
        rs_record_num(r, "ci_high", coef[j] + q * se);
        rs_record_str(r, "method", method);
      } else {
        rs_record_str(r, "method", "not estimable: perfect separation");
      }
      a++;
    } else {
      rs_record_str(r, "method", "aliased (NA): linearly dependent on earlier columns");
    }
  }
  if (lg && !sep) {
    rs_results_section(out, "Odds ratios");
    a = 0;
    for (size_t j = 0; j < d->p; j++) {
      if (!(a < rank && kept[a] == j)) continue;
      double se = sqrt(gsl_matrix_get(V, a, a));
      rs_record *r = rs_results_add(out);
      rs_record_str(r, "name", d->names[j]);
      rs_record_num(r, "estimate", exp(coef[j]));
      rs_record_num(r, "ci_low", exp(coef[j] - q * se));
      rs_record_num(r, "ci_high", exp(coef[j] + q * se));
      rs_record_str(r, "method", "odds ratio exp(b), Wald interval");
      a++;
    }
  }
  g_free(method);
  rs_results_section(out, "Model");
  rs_record *r = rs_results_add(out);
  rs_record_str(r, "name", "n");
  rs_record_num(r, "estimate", (double)d->n);
  rs_record_int(r, "n", (long long)d->n);
  if (ols) {
    r = rs_results_add(out);
    rs_record_str(r, "name", "sigma");
    rs_record_num(r, "estimate", ols->sigma);
    rs_record_num(r, "df", ols->df_resid);
    rs_record_str(r, "method", "residual standard error");
    r = rs_results_add(out);
    rs_record_str(r, "name", "r_squared");
    rs_record_num(r, "estimate", ols->r2);
    r = rs_results_add(out);
    rs_record_str(r, "name", "adj_r_squared");
    rs_record_num(r, "estimate", ols->adj_r2);
    if (isfinite(ols->fstat)) {
      r = rs_results_add(out);
      rs_record_str(r, "name", "F");
      rs_record_num(r, "statistic", ols->fstat);
      rs_record_num(r, "df", ols->df_model);
      rs_record_num(r, "df_resid", ols->df_resid);
      rs_record_num(r, "p_value", gsl_cdf_fdist_Q(ols->fstat, ols->df_model, ols->df_resid));
      rs_record_str(r, "method", "F test of all terms (classical, as summary.lm)");
    }
  } else {
    r = rs_results_add(out);
    rs_record_str(r, "name", "deviance");
    rs_record_num(r, "estimate", lg->deviance);
    rs_record_num(r, "df", lg->df_resid);
    r = rs_results_add(out);
    rs_record_str(r, "name", "null_deviance");
    rs_record_num(r, "estimate", lg->null_deviance);
    rs_record_num(r, "df", lg->df_null);
    if (isfinite(lg->aic)) {
      r = rs_results_add(out);
      rs_record_str(r, "name", "AIC");
      rs_record_num(r, "estimate", lg->aic);
    }
    r = rs_results_add(out);
    rs_record_str(r, "name", "iterations");
    rs_record_num(r, "estimate", lg->iter);
  }
  if (d->n_dropped) {
    char *nb = g_strdup_printf("%zu rows with a missing value in the model's variables were dropped (listwise, as R's na.omit).",
                               d->n_dropped);
    rs_results_add_note(out, nb);
    g_free(nb);
  }
  if (rank < d->p) {
    char *nb = g_strdup_printf("%zu coefficient(s) not estimable (aliased, NA): the design has rank %zu of %zu columns.",
                               d->p - rank, rank, d->p);
    rs_results_add_note(out, nb);
    g_free(nb);
  }
  if (lg && (sep || !lg->converged)) {
    char *msg = sep ? g_strdup("perfect separation: fitted probabilities of 0 or 1 occurred (R: \"fitted probabilities "
                               "numerically 0 or 1 occurred\"); the maximum-likelihood estimates do not exist, so no "
                               "coefficients, standard errors or odds ratios are reported. Remove or combine the "
                               "predictor(s) that predict the outcome perfectly.")
                    : g_strdup_printf("the IRLS algorithm did not converge in %d iterations; estimates are unreliable.",
                                      lg->iter);
    rs_results_add_note(out, msg);
    if (warning) *warning = msg; else g_free(msg);
  }
  ok = TRUE;
done:
  g_free(vdesc);
  if (V) gsl_matrix_free(V);
  rs_ols_free(ols);
  rs_logit_free(lg);
  g_free(cl);
  if (w) gsl_vector_free(w);
  rs_design_free(d);
  rs_formula_free(f);
  g_free(cluster_var);
  return ok;
}
