/* regress.c — formula → design → fit → standard errors → records. */
#include "analysis/regress.h"
#include "analysis/absorb.h"
#include "analysis/formula.h"
#include "analysis/logit.h"
#include "analysis/ols.h"
#include "analysis/vcov.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

static bool var_is_factor(const rs_formula *f, const rs_table *t, size_t j) {
  int c = rs_table_find(t, f->vars[j].name);
  return f->vars[j].factor || (c >= 0 && t->cols[c].storage == RS_STORE_STR);
}

/* More than `limit` distinct present values in column c? (stops counting early) */
static bool more_levels_than(const rs_column *c, size_t nrows, size_t limit) {
  GHashTable *h = c->storage == RS_STORE_STR ? g_hash_table_new(g_str_hash, g_str_equal)
                                             : g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  bool more = false;
  for (size_t i = 0; i < nrows && !more; i++) {
    if (!rs_column_present(c, i)) continue;
    if (c->storage == RS_STORE_STR) {
      if (c->str[i]) g_hash_table_add(h, c->str[i]);
    } else if (isfinite(c->num[i])) {
      double v = c->num[i] == 0 ? 0.0 : c->num[i];
      gint64 bits;
      memcpy(&bits, &v, sizeof bits);
      if (!g_hash_table_contains(h, &bits)) g_hash_table_add(h, g_memdup2(&bits, sizeof bits));
    }
    more = g_hash_table_size(h) > limit;
  }
  g_hash_table_destroy(h);
  return more;
}

/* The term to absorb (absorb.h), or -1.  An explicit o->absorb that cannot
 * be absorbed is an error (returns -2). */
static long absorb_term(const rs_formula *f, const rs_table *t, const rs_regress_options *o, GError **err) {
  if (o->no_absorb && o->absorb) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give either --absorb or --no-absorb, not both");
    return -2;
  }
  if (o->no_absorb) return -1;
  if (o->absorb && o->binomial) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--absorb works for linear models only (a logistic model's fixed effects cannot be swept out)");
    return -2;
  }
  if (o->binomial) return -1;
  for (size_t k = 0; k < f->n_terms; k++) {
    uint64_t tk = f->terms[k];
    if (tk & (tk - 1)) continue;                 /* an interaction */
    size_t j = 0;
    while (!(tk & ((uint64_t)1 << j))) j++;
    if (o->absorb && strcmp(f->vars[j].name, o->absorb) != 0) continue;
    const char *why = NULL;
    if (!var_is_factor(f, t, j)) why = "it is numeric: write factor(VAR) in the formula";
    for (size_t k2 = 0; !why && k2 < f->n_terms; k2++)
      if (k2 != k && (f->terms[k2] & tk)) why = "it is part of an interaction";
    if (!why && f->n_terms < 2) why = "nothing would be left to estimate";
    if (!why && !f->intercept)
      for (size_t k2 = 0; !why && k2 < k; k2++)
        for (size_t j2 = 0; j2 < f->n_vars; j2++)
          if ((f->terms[k2] & ((uint64_t)1 << j2)) && var_is_factor(f, t, j2)) {
            why = "in a model without intercept it must be the first term with a factor";
            break;
          }
    if (o->absorb) {
      if (why) {
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "cannot absorb '%s': %s", o->absorb, why);
        return -2;
      }
      return (long)k;
    }
    if (why) continue;
    const rs_column *c = &t->cols[rs_table_find(t, f->vars[j].name)];
    if (more_levels_than(c, t->nrows, RS_REGRESS_ABSORB_LEVELS)) return (long)k;
  }
  if (o->absorb) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "cannot absorb '%s': the formula has no term factor(%s)", o->absorb,
                o->absorb);
    return -2;
  }
  return -1;
}

gboolean rs_regress_table(const rs_table *t, const rs_regress_options *o, rs_results *out, char **warning,
                          GError **err) {
  if (warning) *warning = NULL;
  double level = o->level > 0 && o->level < 1 ? o->level : 0.95;
  rs_vcov_spec spec;
  char *cluster_var = NULL;
  if (!rs_vcov_parse(o->vcov, &spec, &cluster_var, err)) return FALSE;
  rs_formula *f = rs_formula_parse(o->formula, err);
  if (!f) { g_free(cluster_var); return FALSE; }
  for (size_t j = 0; j < f->n_vars; j++)
    if (rs_table_find(t, f->vars[j].name) < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: no column '%s' (formula %s)", t->path ? t->path : "data",
                  f->vars[j].name, f->text);
      rs_formula_free(f);
      g_free(cluster_var);
      return FALSE;
    }
  long ab = absorb_term(f, t, o, err);
  if (ab == -2) { rs_formula_free(f); g_free(cluster_var); return FALSE; }
  /* absorbing: the design without the factor's term, coded as with an intercept (whose column is then dropped) */
  rs_formula fd = *f;
  char *ab_var = NULL, *ab_label = NULL;
  if (ab >= 0) {
    size_t j = 0;
    while (!(f->terms[ab] & ((uint64_t)1 << j))) j++;
    ab_var = f->vars[j].name;
    ab_label = rs_formula_term_label(f, (size_t)ab);
    /* the factor's variable leaves the formula (later variables move down one bit) and is
     * checked for missing values as an extra column */
    fd.terms = g_new(uint64_t, f->n_terms);
    fd.n_terms = 0;
    uint64_t low = ((uint64_t)1 << j) - 1;
    for (size_t k = 0; k < f->n_terms; k++)
      if ((long)k != ab) fd.terms[fd.n_terms++] = (f->terms[k] & low) | ((f->terms[k] >> (j + 1)) << j);
    for (size_t j2 = j; j2 + 1 < f->n_vars; j2++) fd.vars[j2] = f->vars[j2 + 1];
    fd.n_vars--;
    fd.intercept = true;
  }
  const char *extra[4] = {NULL, NULL, NULL, NULL};
  int ne = 0;
  if (ab_var) extra[ne++] = ab_var;
  if (o->weight) extra[ne++] = o->weight;
  if (cluster_var) extra[ne++] = cluster_var;
  rs_design_options dop = {.extra = extra, .binary_response = o->binomial};
  rs_design *d = rs_design_build(&fd, t, &dop, err);
  gboolean ok = FALSE;
  gsl_vector *w = NULL;
  size_t *cl = NULL, *lev = NULL, n_lev = 0;
  gsl_matrix_view Xv;
  const gsl_matrix *X = NULL;
  char **names = NULL;
  size_t p = 0;
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
  /* the columns fitted: all, or without the intercept when absorbing */
  size_t off = ab >= 0 ? 1 : 0;
  p = d->p - off;
  names = d->names + off;
  X = d->X;
  if (off && p > 0) {
    Xv = gsl_matrix_submatrix(d->X, 0, off, d->X->size1, p);
    X = &Xv.matrix;
  }
  if (ab >= 0) {
    if (p == 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "cannot absorb '%s': nothing would be left to estimate", ab_var);
      goto done;
    }
    if (cluster_var && strcmp(cluster_var, ab_var) == 0) {
      lev = cl;
      n_lev = spec.n_clusters;
    } else {
      lev = rs_vcov_cluster_index(&t->cols[rs_table_find(t, ab_var)], d->rows, d->n, &n_lev);
    }
  }
  size_t rank, *kept;
  const double *coef;
  double df;
  bool sep = false;
  if (o->binomial) {
    lg = rs_logit_fit(X, d->y, w, d->intercept, err);
    if (!lg) goto done;
    rank = lg->rank; kept = lg->kept; coef = lg->coef; df = lg->df_resid;
    sep = lg->separation;
  } else {
    ols = ab >= 0 ? rs_absorb_ols(&Xv.matrix, d->y, w, lev, n_lev, f->intercept, NULL, err)
                  : rs_ols_fit(X, d->y, w, d->intercept, NULL, err);
    if (!ols) goto done;
    rank = ols->rank; kept = ols->kept; coef = ols->coef; df = ols->df_resid;
  }
  V = gsl_matrix_calloc(rank ? rank : 1, rank ? rank : 1);
  if (rank > 0 && !(lg ? rs_vcov_logit(lg, X, &spec, V, err) : rs_vcov_ols(ols, X, &spec, V, err))) goto done;
  vdesc = rs_vcov_describe(&spec, cluster_var);
  static const char *short_name[] = {"classical", "HC0", "HC1", "HC2", "HC3", "cluster CR1", "Newey-West"};
  char *method = ab >= 0 ? g_strdup_printf("OLS, %s absorbed, SE %s", ab_label, short_name[spec.type])
                         : g_strdup_printf("%s, SE %s", lg ? "logit" : "OLS", short_name[spec.type]);
  char *how = g_strdup_printf("%s; standard errors: %s.", lg ? "Logistic regression by IRLS (as R's glm, binomial)"
                                                             : "Linear regression by QR (as R's lm)", vdesc);
  rs_results_add_note(out, how);
  g_free(how);
  if (ols && ols->nrows > 1 && ols->df_resid > 0) {
    /* summary.lm's test: residual variance below 1e-30 of mean(fitted)^2 + var(fitted) */
    long double sf = 0, sff = 0;
    for (size_t i = 0; i < ols->nrows; i++) sf += ols->fitted[i];
    long double mf = sf / ols->nrows;
    for (size_t i = 0; i < ols->nrows; i++) sff += (ols->fitted[i] - mf) * (ols->fitted[i] - mf);
    double scale = (double)(mf * mf + sff / (ols->nrows - 1));
    if (ols->rss / ols->df_resid < scale * 1e-30)
      rs_results_add_note(out, "Essentially perfect fit (the outcome is constant or fitted exactly): the standard "
                               "errors, t, p, confidence intervals and R-squared are rounding noise, not evidence "
                               "(R's summary.lm warns \"essentially perfect fit: summary may be unreliable\").");
  }
  if (ab >= 0) {
    char *nb = g_strdup_printf(
        "%s absorbed: its %zu levels were swept out by the within transformation (every variable minus its %smean "
        "in the level, as fixest::feols or reghdfe). Coefficients and standard errors are those of lm with the "
        "dummy columns; the %zu level coefficients%s are not shown. Residual df = n - rank of the full design.",
        ab_label, ols->k_absorbed, w ? "weighted " : "", ols->k_absorbed - (f->intercept ? 1 : 0),
        f->intercept ? " and the intercept" : "");
    rs_results_add_note(out, nb);
    g_free(nb);
  }
  double q = lg ? gsl_cdf_ugaussian_Qinv((1 - level) / 2) : (df > 0 ? gsl_cdf_tdist_Qinv((1 - level) / 2, df) : NAN);
  rs_results_section(out, "Coefficients");
  size_t a = 0;
  for (size_t j = 0; j < p; j++) {
    rs_record *r = rs_results_add(out);
    rs_record_str(r, "name", names[j]);
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
    for (size_t j = 0; j < p; j++) {
      if (!(a < rank && kept[a] == j)) continue;
      double se = sqrt(gsl_matrix_get(V, a, a));
      rs_record *r = rs_results_add(out);
      rs_record_str(r, "name", names[j]);
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
  if (ab >= 0) {
    r = rs_results_add(out);
    char *nm = g_strdup_printf("absorbed: %s", ab_label);
    rs_record_str(r, "name", nm);
    g_free(nm);
    rs_record_num(r, "estimate", (double)ols->k_absorbed);
    rs_record_str(r, "method", "levels absorbed (fixed effects, within transformation)");
  }
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
  if (rank < p) {
    char *nb = ab >= 0 ? g_strdup_printf("%zu coefficient(s) not estimable (aliased, NA): linearly dependent on earlier "
                                         "columns or constant within the levels of the absorbed %s.", p - rank, ab_label)
                       : g_strdup_printf("%zu coefficient(s) not estimable (aliased, NA): the design has rank %zu of %zu "
                                         "columns.", p - rank, rank, p);
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
  if (lev != cl) g_free(lev);
  g_free(cl);
  if (ab >= 0) g_free(fd.terms);
  g_free(ab_label);
  if (w) gsl_vector_free(w);
  rs_design_free(d);
  rs_formula_free(f);
  g_free(cluster_var);
  return ok;
}
