/* reform-caseload.c — caseload against resources from the coordinator
 * survey, and registry coverage per 1000 children (see the header for the
 * statistics and their R counterparts). */
#include "analysis/reform-caseload.h"
#include "analysis/formula.h"
#include "analysis/numsort.h"
#include "analysis/ols.h"
#include "analysis/reform-index.h"
#include "analysis/vcov.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *tr(const char *lang, const char *nb, const char *en) {
  return lang && strcmp(lang, "en") == 0 ? en : nb;
}

void rs_reform_wilson(size_t hits, size_t n, double *lo, double *hi) {
  if (n == 0) {
    *lo = *hi = NAN;
    return;
  }
  double z = gsl_cdf_ugaussian_Qinv(0.025), z2 = z * z, nn = (double)n, p = (double)hits / nn;
  double centre = p + z2 / (2 * nn), half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)), d = 1 + z2 / nn;
  *lo = hits == 0 ? 0 : (centre - half) / d;
  *hi = hits == n ? 1 : (centre + half) / d;
}

static void share_set(rs_reform_share *s, double threshold, size_t hits, size_t n) {
  s->threshold = threshold;
  s->hits = hits;
  s->n = n;
  s->share = n ? (double)hits / (double)n : NAN;
  rs_reform_wilson(hits, n, &s->ci_low, &s->ci_high);
}

/* Ratio of sums over idx (n rows) of y and x, svyratio's linearisation SE
 * sqrt(sum (y - R x)^2 / (n (n - 1))) / mean(x), normal CI; mean and
 * median of y/x over rows with x > 0.  Sums in long double. */
static void ratio_set(rs_reform_ratio *r, const double *y, const double *x, const size_t *idx, size_t n) {
  memset(r, 0, sizeof *r);
  r->n = n;
  long double sy = 0, sx = 0;
  for (size_t k = 0; k < n; k++) {
    sy += y[idx[k]];
    sx += x[idx[k]];
  }
  r->num = (double)sy;
  r->den = (double)sx;
  r->estimate = r->se = r->ci_low = r->ci_high = r->mean = r->median = NAN;
  if (n == 0 || sx <= 0) return;
  double R = (double)(sy / sx);
  r->estimate = R;
  if (n > 1) {
    long double ss = 0;
    for (size_t k = 0; k < n; k++) {
      long double e = y[idx[k]] - (long double)R * x[idx[k]];
      ss += e * e;
    }
    double xbar = (double)(sx / n);
    r->se = sqrt((double)(ss / ((long double)n * (n - 1)))) / xbar;
    double z = gsl_cdf_ugaussian_Qinv(0.025);
    r->ci_low = R - z * r->se;
    r->ci_high = R + z * r->se;
  }
  double *own = g_new(double, n);
  size_t m = 0;
  long double so = 0;
  for (size_t k = 0; k < n; k++)
    if (x[idx[k]] > 0) {
      own[m] = y[idx[k]] / x[idx[k]];
      so += own[m++];
    }
  r->n_own = m;
  if (m) {
    r->mean = (double)(so / m);
    rs_numsort_sort(own, m);
    r->median = gsl_stats_median_from_sorted_data(own, 1, m);
  }
  g_free(own);
}

static const rs_column *find_col(const rs_table *t, const char *name) {
  int j = name ? rs_table_find(t, name) : -1;
  return j < 0 ? NULL : &t->cols[j];
}

static const rs_column *col_of_type(const rs_table *t, rs_type type, const char *name) {
  if (name) return find_col(t, name);
  for (size_t j = 0; j < t->ncols; j++)
    if (t->cols[j].type == type) return &t->cols[j];
  return NULL;
}

static const rs_column *need_num(const rs_table *t, const char *name, const char *role, GError **err) {
  const rs_column *c = find_col(t, name);
  if (!c) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (%s)", t->path, name, role);
    return NULL;
  }
  if (c->storage != RS_STORE_NUM) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: column '%s' (%s) holds text, not numbers", t->path, name, role);
    return NULL;
  }
  return c;
}

/* Code text of row i ("03", "1"), to g_free; NULL when missing. */
static char *code_text(const rs_column *c, size_t i) {
  if (!rs_column_present(c, i)) return NULL;
  if (c->storage == RS_STORE_STR) return g_strdup(c->str[i]);
  char b[32];
  rs_value_format_double(c->num[i], b);
  return g_strdup(b);
}

/* ---- caseload ------------------------------------------------------------- */

static void group_free(rs_reform_group *g, size_t n) {
  for (size_t k = 0; k < n; k++) {
    g_free(g[k].code);
    g_free(g[k].label);
  }
  g_free(g);
}

void rs_reform_caseload_free(rs_reform_caseload *c) {
  if (!c) return;
  g_free(c->families_over);
  group_free(c->profession, c->n_profession);
  group_free(c->training, c->n_training);
  group_free(c->fylke, c->n_fylke);
  group_free(c->kommune, c->n_kommune);
  g_strfreev(c->indexes);
  for (size_t k = 0; k < c->n_coefs; k++) {
    g_free(c->coefs[k].index);
    g_free(c->coefs[k].term);
  }
  g_free(c->coefs);
  for (size_t k = 0; k < c->n_spearman; k++) {
    g_free(c->spearman[k].index);
    g_free(c->spearman[k].variable);
  }
  g_free(c->spearman);
  g_free(c->vcov_method);
  g_free(c->formula_rhs);
  g_free(c);
}

typedef struct {
  char *code;
  GArray *rows;   /* of size_t: indexes into the used-row arrays */
} group_acc;

static int group_code_cmp(const void *a, const void *b) {
  const group_acc *x = a, *y = b;
  char *ex, *ey;
  double dx = g_ascii_strtod(x->code, &ex), dy = g_ascii_strtod(y->code, &ey);
  if (*ex == 0 && *ey == 0 && dx != dy) return (dx > dy) - (dx < dy);
  return strcmp(x->code, y->code);
}

/* Groups of the used rows by a code (fylke_prefix: the first two characters
 * of a kommune code). */
static rs_reform_group *make_groups(const rs_column *gc, bool fylke_prefix, const size_t *used, size_t n,
                                    const double *fam, const double *pos, const double *hrs, const char *lang,
                                    size_t *n_groups) {
  GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
  GArray *acc = g_array_new(FALSE, TRUE, sizeof(group_acc));
  for (size_t k = 0; k < n; k++) {
    char *code = code_text(gc, used[k]);
    if (!code) continue;
    if (fylke_prefix && strlen(code) >= 4) code[2] = 0;
    gpointer v;
    size_t at;
    if (g_hash_table_lookup_extended(h, code, NULL, &v)) {
      at = GPOINTER_TO_SIZE(v);
      g_free(code);
    } else {
      at = acc->len;
      group_acc z = {.code = code, .rows = g_array_new(FALSE, FALSE, sizeof(size_t))};
      g_array_append_val(acc, z);
      g_hash_table_insert(h, code, GSIZE_TO_POINTER(at));
    }
    g_array_append_val(g_array_index(acc, group_acc, at).rows, k);
  }
  g_hash_table_destroy(h);
  qsort(acc->data, acc->len, sizeof(group_acc), group_code_cmp);
  rs_reform_group *g = g_new0(rs_reform_group, acc->len ? acc->len : 1);
  double *one = g_new(double, n ? n : 1);
  for (size_t k = 0; k < n; k++) one[k] = 1;
  for (size_t q = 0; q < acc->len; q++) {
    group_acc *a = &g_array_index(acc, group_acc, q);
    size_t m = a->rows->len, *ix = (size_t *)(void *)a->rows->data;
    g[q].code = a->code;
    const rs_cb_var *v = gc->var;
    const char *label = NULL;
    if (v && !fylke_prefix) {
      char *end;
      double cv = g_ascii_strtod(a->code, &end);
      label = rs_codebook_value_label(v, *end ? NAN : cv, a->code);
      (void)lang;
    }
    g[q].label = g_strdup(label ? label : a->code);
    g[q].n = m;
    share_set(&g[q].share, NAN, m, n);
    ratio_set(&g[q].per_coordinator, fam, one, ix, m);
    ratio_set(&g[q].per_position, fam, pos, ix, m);
    ratio_set(&g[q].per_hour, fam, hrs, ix, m);
    size_t none = 0;
    for (size_t r = 0; r < m; r++) none += hrs[ix[r]] == 0;
    share_set(&g[q].no_hours, 0, none, m);
    g_array_free(a->rows, TRUE);
  }
  g_free(one);
  *n_groups = acc->len;
  g_array_free(acc, TRUE);
  return g;
}

/* The outcome regressions and Spearman correlations on a table of the
 * index scores and the resource variables. */
static gboolean outcomes(const rs_table *t, const rs_reform_caseload_options *o, const size_t *rows, size_t nrows,
                         rs_reform_caseload *c, GError **err) {
  /* the indexes of the codebook (reform-index.h: reverse coding, min_share, one scale per index) */
  const rs_codebook *cb = o->codebook ? o->codebook : t->codebook;
  bool any_index = false;
  for (guint v = 0; cb && v < cb->vars->len; v++) {
    const rs_cb_var *cv = g_ptr_array_index(cb->vars, v);
    any_index = any_index || (cv->index && *cv->index && rs_table_find(t, cv->name) >= 0);
  }
  if (!any_index) {
    c->indexes = g_new0(char *, 1);
    return TRUE;
  }
  rs_reform_index_options io = {.min_share = o->min_share > 0 ? o->min_share : 0.5, .wave_column = "", .lang = o->lang};
  rs_reform_indexes *ix = rs_reform_indexes_new(t, cb, &io, err);
  if (!ix) return FALSE;
  size_t K = ix->n;
  char **names = g_new0(char *, K + 1);
  const double **scores = g_new0(const double *, K ? K : 1);
  for (size_t k = 0; k < K; k++) {
    names[k] = g_strdup(ix->index[k].name);
    scores[k] = ix->index[k].value;
  }
  c->indexes = names;
  c->n_indexes = K;
  if (K == 0) {
    g_free(scores);
    rs_reform_indexes_free(ix);
    return TRUE;
  }
  const char *fam = o->families ? o->families : "families";
  const char *hrs = o->hours ? o->hours : "earmarked_hours";
  const char *pos = o->position ? o->position : "position_pct";
  const char *trn = o->training ? o->training : "training";
  GString *rhs = g_string_new(NULL);
  if (o->predictors) g_string_assign(rhs, o->predictors);
  else {
    g_string_printf(rhs, "%s + %s + %s", fam, hrs, pos);
    const rs_column *tc = find_col(t, trn);
    if (tc && tc->storage == RS_STORE_NUM) g_string_append_printf(rhs, " + %s", trn);
  }
  c->formula_rhs = g_string_free(rhs, FALSE);
  rs_vcov_spec spec;
  char *cluster_var = NULL;
  if (!rs_vcov_parse(o->vcov ? o->vcov : "HC3", &spec, &cluster_var, err)) goto fail;
  if (spec.type == RS_VCOV_HAC) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--vcov: Newey-West is for time series; use HC0-HC3 or cluster:VAR");
    goto fail;
  }
  c->vcov_method = rs_vcov_describe(&spec, cluster_var);
  /* a table of the rows to use: the index scores, then every numeric column (predictors may name any) */
  rs_table *a = rs_table_new(t->path);
  rs_table_reserve(a, nrows ? nrows : 1);
  a->nrows = nrows;
  for (size_t k = 0; k < K; k++) {
    if (find_col(t, names[k])) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the index '%s' has the name of a column; rename one of them",
                  t->path, names[k]);
      rs_table_free(a);
      goto fail;
    }
    rs_column *col = rs_table_add_column(a, names[k], RS_TYPE_NUMERIC, RS_STORE_NUM);
    for (size_t r = 0; r < nrows; r++) {
      double s = scores[k][rows[r]];
      col->num[r] = isnan(s) ? 0 : s;
      col->miss[r] = isnan(s) ? RS_MISS_EMPTY : RS_MISS_NONE;
    }
  }
  for (size_t j = 0; j < t->ncols; j++) {
    const rs_column *src = &t->cols[j];
    rs_column *col = rs_table_add_column(a, src->name, src->type, src->storage);
    col->var = src->var;
    for (size_t r = 0; r < nrows; r++) {
      if (src->storage == RS_STORE_NUM) col->num[r] = src->num[rows[r]];
      else col->str[r] = src->str[rows[r]];   /* points into t's strings, which outlive a */
      col->miss[r] = src->miss[rows[r]];
      a->row_line[r] = t->row_line ? t->row_line[rows[r]] : (int32_t)(rows[r] + 2);
    }
  }
  GArray *coefs = g_array_new(FALSE, TRUE, sizeof(rs_reform_coef));
  gboolean ok = TRUE;
  for (size_t k = 0; k < K && ok; k++) {
    char *ftext = g_strdup_printf("%s ~ %s", names[k], c->formula_rhs);
    rs_formula *f = rs_formula_parse(ftext, err);
    g_free(ftext);
    if (!f) { ok = FALSE; break; }
    const char *extra[2] = {cluster_var, NULL};
    rs_design_options dop = {.extra = extra};
    rs_design *d = rs_design_build(f, a, &dop, err);
    rs_ols *fit = NULL;
    gsl_matrix *V = NULL;
    size_t *cl = NULL;
    if (!d) ok = FALSE;
    else if (d->n <= d->p) {
      /* too few complete rows for this index: no coefficients, not an error */
    } else {
      fit = rs_ols_fit(d->X, d->y, NULL, d->intercept, NULL, err);
      if (!fit) ok = FALSE;
      else {
        rs_vcov_spec s = spec;
        if (s.type == RS_VCOV_CLUSTER) {
          cl = rs_vcov_cluster_index(&a->cols[rs_table_find(a, cluster_var)], d->rows, d->n, &s.n_clusters);
          s.cluster = cl;
        }
        V = gsl_matrix_calloc(fit->rank, fit->rank);
        if (!rs_vcov_ols(fit, d->X, &s, V, err)) ok = FALSE;
        else {
          double q = gsl_cdf_tdist_Qinv(0.025, fit->df_resid);
          for (size_t j = 0; j < d->p; j++) {
            rs_reform_coef e = {.index = g_strdup(names[k]), .term = g_strdup(d->names[j]), .n = d->n,
                                .df = fit->df_resid, .aliased = fit->aliased[j]};
            e.estimate = e.se = e.statistic = e.p_value = e.ci_low = e.ci_high = NAN;
            if (!fit->aliased[j]) {
              size_t pos = 0;
              while (fit->kept[pos] != j) pos++;
              e.estimate = fit->coef[j];
              e.se = sqrt(gsl_matrix_get(V, pos, pos));
              e.statistic = e.estimate / e.se;
              e.p_value = 2 * gsl_cdf_tdist_Q(fabs(e.statistic), e.df);
              e.ci_low = e.estimate - q * e.se;
              e.ci_high = e.estimate + q * e.se;
            }
            g_array_append_val(coefs, e);
          }
        }
      }
    }
    if (V) gsl_matrix_free(V);
    g_free(cl);
    rs_ols_free(fit);
    rs_design_free(d);
    rs_formula_free(f);
  }
  c->n_coefs = coefs->len;
  c->coefs = (rs_reform_coef *)(void *)g_array_free(coefs, FALSE);
  /* Spearman of each index with each resource variable, pairwise complete */
  const char *vars[3] = {fam, hrs, pos};
  GArray *sp = g_array_new(FALSE, TRUE, sizeof(rs_reform_spearman));
  double *x = g_new(double, nrows ? nrows : 1), *y = g_new(double, nrows ? nrows : 1);
  for (size_t k = 0; k < K && ok; k++)
    for (int v = 0; v < 3; v++) {
      const rs_column *vc = find_col(t, vars[v]);
      if (!vc || vc->storage != RS_STORE_NUM) continue;
      size_t m = 0;
      for (size_t r = 0; r < nrows; r++) {
        double s = scores[k][rows[r]];
        if (isnan(s) || !rs_column_present(vc, rows[r])) continue;
        x[m] = vc->num[rows[r]];
        y[m++] = s;
      }
      rs_reform_spearman e = {.index = g_strdup(names[k]), .variable = g_strdup(vars[v])};
      GError *ce = NULL;
      e.ok = rs_cor_test(x, y, m, RS_COR_SPEARMAN, 0.95, &e.cor, &ce);
      if (ce) g_error_free(ce);
      g_array_append_val(sp, e);
    }
  g_free(x);
  g_free(y);
  c->n_spearman = sp->len;
  c->spearman = (rs_reform_spearman *)(void *)g_array_free(sp, FALSE);
  rs_table_free(a);
  g_free(cluster_var);
  g_free(scores);
  rs_reform_indexes_free(ix);
  return ok;
fail:
  g_free(cluster_var);
  g_free(scores);
  rs_reform_indexes_free(ix);
  return FALSE;
}

rs_reform_caseload *rs_reform_caseload_compute(const rs_table *t, const rs_reform_caseload_options *o, GError **err) {
  const rs_column *fc = need_num(t, o->families ? o->families : "families", "families per coordinator", err);
  if (!fc) return NULL;
  const rs_column *pc = need_num(t, o->position ? o->position : "position_pct", "position size in percent", err);
  if (!pc) return NULL;
  const rs_column *hc = need_num(t, o->hours ? o->hours : "earmarked_hours", "earmarked hours per week", err);
  if (!hc) return NULL;
  const rs_column *prof = find_col(t, o->profession ? o->profession : "profession");
  const rs_column *trn = find_col(t, o->training ? o->training : "training");
  const rs_column *kc = col_of_type(t, RS_TYPE_KOMMUNE, o->kommune);
  const rs_column *yc = col_of_type(t, RS_TYPE_FYLKE, o->fylke);
  if ((o->profession && !prof) || (o->training && !trn)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s'", t->path, !prof ? o->profession : o->training);
    return NULL;
  }
  if (o->by_kommune && !kc) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by kommune needs a kommune column (type kommune)", t->path);
    return NULL;
  }
  if (o->by_fylke && !kc && !yc) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by fylke needs a fylke or kommune column", t->path);
    return NULL;
  }
  size_t N = o->rows ? o->nrows : t->nrows;
  rs_reform_caseload *c = g_new0(rs_reform_caseload, 1);
  size_t *used = g_new(size_t, N ? N : 1), *all = g_new(size_t, N ? N : 1);
  double *fam = g_new(double, N ? N : 1), *pos = g_new(double, N ? N : 1), *hrs = g_new(double, N ? N : 1);
  double *one = g_new(double, N ? N : 1);
  size_t n = 0;
  for (size_t r = 0; r < N; r++) {
    size_t i = o->rows ? o->rows[r] : r;
    all[r] = i;
    if (!rs_column_present(fc, i) || !rs_column_present(pc, i) || !rs_column_present(hc, i)) {
      c->n_dropped++;
      continue;
    }
    double f = fc->num[i], p = pc->num[i], h = hc->num[i];
    if (f < 0 || p < 0 || h < 0 || !isfinite(f) || !isfinite(p) || !isfinite(h)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %d: families, position and earmarked hours must be zero or positive numbers", t->path,
                  t->row_line ? t->row_line[i] : (int)(i + 2));
      goto fail;
    }
    used[n] = i;
    fam[n] = f;
    pos[n] = p / 100;   /* a 100 % position is 1 */
    hrs[n] = h;
    one[n] = 1;
    n++;
  }
  c->n = n;
  size_t *ix = g_new(size_t, n ? n : 1);
  for (size_t k = 0; k < n; k++) ix[k] = k;
  ratio_set(&c->per_coordinator, fam, one, ix, n);
  ratio_set(&c->per_position, fam, pos, ix, n);
  ratio_set(&c->per_hour, fam, hrs, ix, n);
  g_free(ix);
  size_t none = 0, small = 0;
  double under = o->position_under > 0 ? o->position_under : 20;
  for (size_t k = 0; k < n; k++) {
    none += hrs[k] == 0;
    small += pos[k] * 100 < under - 1e-9;
  }
  share_set(&c->no_hours, 0, none, n);
  share_set(&c->position_under, under, small, n);
  static const double def_over[2] = {10, 15};
  const double *over = o->families_over ? o->families_over : def_over;
  c->n_families_over = o->families_over ? o->n_families_over : 2;
  c->families_over = g_new0(rs_reform_share, c->n_families_over ? c->n_families_over : 1);
  for (size_t q = 0; q < c->n_families_over; q++) {
    size_t hits = 0;
    for (size_t k = 0; k < n; k++) hits += fam[k] > over[q];
    share_set(&c->families_over[q], over[q], hits, n);
  }
  /* group tables index the used arrays; make_groups reads codes at used[k] */
  if (prof) c->profession = make_groups(prof, false, used, n, fam, pos, hrs, o->lang, &c->n_profession);
  if (trn) c->training = make_groups(trn, false, used, n, fam, pos, hrs, o->lang, &c->n_training);
  if (o->by_fylke) c->fylke = make_groups(kc ? kc : yc, kc != NULL, used, n, fam, pos, hrs, o->lang, &c->n_fylke);
  if (o->by_kommune) c->kommune = make_groups(kc, false, used, n, fam, pos, hrs, o->lang, &c->n_kommune);
  if (!outcomes(t, o, all, N, c, err)) goto fail;
  g_free(used); g_free(all); g_free(fam); g_free(pos); g_free(hrs); g_free(one);
  return c;
fail:
  g_free(used); g_free(all); g_free(fam); g_free(pos); g_free(hrs); g_free(one);
  rs_reform_caseload_free(c);
  return NULL;
}

/* ---- records ---------------------------------------------------------------- */

static void ratio_record(rs_results *out, const char *name, const char *group, const rs_reform_ratio *r,
                         const char *lang) {
  rs_record *rec = rs_results_add(out);
  rs_record_str(rec, "table", "ratio");
  rs_record_str(rec, "name", name);
  if (group) rs_record_str(rec, "group", group);
  rs_record_int(rec, "n", (long long)r->n);
  rs_record_num(rec, "estimate", r->estimate);
  rs_record_num(rec, "se", r->se);
  rs_record_num(rec, "ci_low", r->ci_low);
  rs_record_num(rec, "ci_high", r->ci_high);
  rs_record_num(rec, "numerator", r->num);
  rs_record_num(rec, "denominator", r->den);
  rs_record_num(rec, "mean", r->mean);
  rs_record_num(rec, "median", r->median);
  rs_record_int(rec, "n_own", (long long)r->n_own);
  rs_record_str(rec, "method", tr(lang, "sum/sum, SE linearisert (svyratio), normal-KI; snitt og median av egne forhold",
                                  "sum/sum, linearised SE (svyratio), normal CI; mean and median of own ratios"));
}

static void share_record(rs_results *out, const char *name, const char *group, const rs_reform_share *s,
                         const char *lang) {
  rs_record *rec = rs_results_add(out);
  rs_record_str(rec, "table", "share");
  rs_record_str(rec, "name", name);
  if (group) rs_record_str(rec, "group", group);
  rs_record_int(rec, "n", (long long)s->n);
  rs_record_int(rec, "count", (long long)s->hits);
  rs_record_num(rec, "estimate", s->share);
  rs_record_num(rec, "ci_low", s->ci_low);
  rs_record_num(rec, "ci_high", s->ci_high);
  rs_record_str(rec, "method", tr(lang, "andel, Wilson-KI", "share, Wilson CI"));
}

static void groups_records(rs_results *out, const char *title, const char *table, const rs_reform_group *g, size_t n,
                           bool dist, const char *lang) {
  if (!n) return;
  rs_results_section(out, title);
  for (size_t q = 0; q < n; q++) {
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "table", table);
    rs_record_str(rec, "name", g[q].label);
    rs_record_str(rec, "group", g[q].code);
    rs_record_int(rec, "n", (long long)g[q].n);
    if (dist) {
      rs_record_num(rec, "share", g[q].share.share);
      rs_record_num(rec, "share_ci_low", g[q].share.ci_low);
      rs_record_num(rec, "share_ci_high", g[q].share.ci_high);
    }
    rs_record_num(rec, "families_per_coordinator", g[q].per_coordinator.estimate);
    rs_record_num(rec, "per_100_position", g[q].per_position.estimate);
    rs_record_num(rec, "per_earmarked_hour", g[q].per_hour.estimate);
    rs_record_num(rec, "share_no_hours", g[q].no_hours.share);
    rs_record_str(rec, "method", tr(lang, "sum/sum; andeler med Wilson-KI", "sum/sum; shares with Wilson CI"));
  }
}

void rs_reform_caseload_records(const rs_reform_caseload *c, const char *lang, rs_results *out) {
  rs_results_section(out, tr(lang, "Familier per koordinator og per ressurs", "Families per coordinator and per resource"));
  ratio_record(out, tr(lang, "familier per koordinator", "families per coordinator"), NULL, &c->per_coordinator, lang);
  ratio_record(out, tr(lang, "familier per 100 % stilling", "families per 100 % position"), NULL, &c->per_position, lang);
  ratio_record(out, tr(lang, "familier per øremerket time", "families per earmarked hour"), NULL, &c->per_hour, lang);
  rs_results_section(out, tr(lang, "Andeler av koordinatorene", "Shares of the coordinators"));
  share_record(out, tr(lang, "uten øremerket tid", "no earmarked time"), NULL, &c->no_hours, lang);
  char *nm = g_strdup_printf(tr(lang, "stilling under %g %%", "position below %g %%"), c->position_under.threshold);
  share_record(out, nm, NULL, &c->position_under, lang);
  g_free(nm);
  for (size_t q = 0; q < c->n_families_over; q++) {
    nm = g_strdup_printf(tr(lang, "flere enn %g familier", "more than %g families"), c->families_over[q].threshold);
    share_record(out, nm, NULL, &c->families_over[q], lang);
    g_free(nm);
  }
  groups_records(out, tr(lang, "Etter profesjon", "By profession"), "profession", c->profession, c->n_profession, true, lang);
  groups_records(out, tr(lang, "Etter opplæring", "By training"), "training", c->training, c->n_training, true, lang);
  groups_records(out, tr(lang, "Etter fylke", "By fylke"), "fylke", c->fylke, c->n_fylke, false, lang);
  groups_records(out, tr(lang, "Etter kommune", "By kommune"), "kommune", c->kommune, c->n_kommune, false, lang);
  if (c->n_coefs) {
    char *title = g_strdup_printf(tr(lang, "Indeks ~ %s (lm, %s)", "Index ~ %s (lm, %s)"), c->formula_rhs, c->vcov_method);
    rs_results_section(out, title);
    g_free(title);
    for (size_t k = 0; k < c->n_coefs; k++) {
      const rs_reform_coef *e = &c->coefs[k];
      rs_record *rec = rs_results_add(out);
      rs_record_str(rec, "table", "regression");
      rs_record_str(rec, "name", e->term);
      rs_record_str(rec, "group", e->index);
      rs_record_int(rec, "n", (long long)e->n);
      if (e->aliased) {
        rs_record_str(rec, "method", "aliased (NA)");
        continue;
      }
      rs_record_num(rec, "estimate", e->estimate);
      rs_record_num(rec, "se", e->se);
      rs_record_num(rec, "statistic", e->statistic);
      rs_record_num(rec, "df", e->df);
      rs_record_num(rec, "p_value", e->p_value);
      rs_record_num(rec, "ci_low", e->ci_low);
      rs_record_num(rec, "ci_high", e->ci_high);
      rs_record_str(rec, "method", c->vcov_method);
    }
  }
  if (c->n_spearman) {
    rs_results_section(out, tr(lang, "Spearman-korrelasjon mellom indeks og ressurs", "Spearman correlation of index and resource"));
    for (size_t k = 0; k < c->n_spearman; k++) {
      const rs_reform_spearman *e = &c->spearman[k];
      rs_record *rec = rs_results_add(out);
      rs_record_str(rec, "table", "spearman");
      rs_record_str(rec, "name", e->variable);
      rs_record_str(rec, "group", e->index);
      if (!e->ok || e->cor.undefined) {
        rs_record_str(rec, "method", e->ok ? e->cor.undefined : tr(lang, "for få par", "too few pairs"));
        continue;
      }
      rs_record_int(rec, "n", (long long)e->cor.n);
      rs_record_num(rec, "estimate", e->cor.estimate);
      rs_record_num(rec, "statistic", e->cor.statistic);
      rs_record_num(rec, "p_value", e->cor.p_value);
      rs_record_str(rec, "method", e->cor.p_method);
    }
  }
  if (c->n_dropped) {
    char *note = g_strdup_printf(tr(lang, "%zu koordinatorer uten familier, stilling eller øremerkede timer er utelatt fra forhold og andeler.",
                                    "%zu coordinators without families, position or earmarked hours are left out of ratios and shares."),
                                 c->n_dropped);
    rs_results_add_note(out, note);
    g_free(note);
  }
}

/* ---- registry coverage --------------------------------------------------- */

void rs_reform_coverage_free(rs_reform_coverage *c) {
  if (!c) return;
  for (size_t s = 0; s < c->n_series; s++) {
    rs_reform_coverage_series *e = &c->series[s];
    g_free(e->numerator);
    g_free(e->national.code);
    for (size_t k = 0; k < e->n_fylke; k++) g_free(e->fylke[k].code);
    for (size_t k = 0; k < e->n_kommune; k++) g_free(e->kommune[k].code);
    g_free(e->fylke);
    g_free(e->kommune);
  }
  g_free(c->series);
  g_free(c->denominator);
  g_free(c);
}

typedef struct {
  char *code;
  long double num, den;
  size_t cells;
} unit_acc;

static int unit_cmp(const void *a, const void *b) {
  return strcmp(((const unit_acc *)a)->code, ((const unit_acc *)b)->code);
}

static rs_reform_coverage_unit *units_out(GArray *acc, double scale, size_t *n) {
  qsort(acc->data, acc->len, sizeof(unit_acc), unit_cmp);
  rs_reform_coverage_unit *u = g_new0(rs_reform_coverage_unit, acc->len ? acc->len : 1);
  for (size_t k = 0; k < acc->len; k++) {
    unit_acc *a = &g_array_index(acc, unit_acc, k);
    u[k].code = a->code;
    u[k].num = (double)a->num;
    u[k].den = (double)a->den;
    u[k].rate = a->den > 0 ? (double)(a->num / a->den * scale) : NAN;
    u[k].cells = a->cells;
  }
  *n = acc->len;
  return u;
}

static void add_unit(GHashTable *h, GArray *acc, const char *code, double num, double den) {
  gpointer v;
  size_t at;
  if (g_hash_table_lookup_extended(h, code, NULL, &v)) at = GPOINTER_TO_SIZE(v);
  else {
    at = acc->len;
    unit_acc z = {.code = g_strdup(code)};
    g_array_append_val(acc, z);
    g_hash_table_insert(h, g_array_index(acc, unit_acc, at).code, GSIZE_TO_POINTER(at));
  }
  unit_acc *a = &g_array_index(acc, unit_acc, at);
  a->num += num;
  a->den += den;
  a->cells++;
}

/* First day of the month `months` before (negative) or after `day`'s month. */
static int32_t month_shift(int32_t day, int months) {
  GDate *d = g_date_new_julian((guint32)(day + 719163));   /* 1970-01-01 is julian day 719163 in GLib */
  g_date_set_day(d, 1);
  if (months < 0) g_date_subtract_months(d, (guint)-months);
  else g_date_add_months(d, (guint)months);
  int32_t r = (int32_t)g_date_get_julian(d) - 719163;
  g_date_free(d);
  return r;
}

rs_reform_coverage *rs_reform_coverage_compute(const rs_table *t, const rs_reform_coverage_options *o, GError **err) {
  const char *date_name = o->date ? o->date : "period";
  const rs_column *dc = need_num(t, date_name, "the month", err);
  if (!dc) return NULL;
  if (dc->type != RS_TYPE_DATE) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: column '%s' is not a date column (type %s)", t->path, date_name,
                rs_type_name(dc->type));
    return NULL;
  }
  const char *den_name = o->denominator ? o->denominator : "children_0_17";
  const rs_column *ec = need_num(t, den_name, "children 0-17", err);
  if (!ec) return NULL;
  const rs_column *kc = col_of_type(t, RS_TYPE_KOMMUNE, o->kommune);
  if (!kc) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: registry coverage needs a kommune column (type kommune)", t->path);
    return NULL;
  }
  GPtrArray *nums = g_ptr_array_new_with_free_func(g_free);
  if (o->numerators) {
    char **parts = g_strsplit(o->numerators, ",", -1);
    for (char **p = parts; *p; p++) {
      g_strstrip(*p);
      if (**p) g_ptr_array_add(nums, g_strdup(*p));
    }
    g_strfreev(parts);
  } else {
    if (find_col(t, "children_koordinator")) g_ptr_array_add(nums, g_strdup("children_koordinator"));
    if (find_col(t, "families_barnekoordinator")) g_ptr_array_add(nums, g_strdup("families_barnekoordinator"));
  }
  if (nums->len == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "%s: no koordinator count to report: give the registry numerators (e.g. children_koordinator)", t->path);
    g_ptr_array_free(nums, TRUE);
    return NULL;
  }
  const rs_column **nc = g_new(const rs_column *, nums->len);
  for (size_t s = 0; s < nums->len; s++)
    if (!(nc[s] = need_num(t, nums->pdata[s], "a registry count", err))) {
      g_free(nc);
      g_ptr_array_free(nums, TRUE);
      return NULL;
    }
  size_t N = o->rows ? o->nrows : t->nrows;
  rs_reform_coverage *c = g_new0(rs_reform_coverage, 1);
  c->scale = o->scale > 0 ? o->scale : 1000;
  c->denominator = g_strdup(den_name);
  c->from_day = o->from_day;
  c->to_day = o->to_day;
  if (!c->to_day) {
    /* the latest month in which the first numerator and the denominator have a value in some row */
    bool any = false;
    for (size_t r = 0; r < N; r++) {
      size_t i = o->rows ? o->rows[r] : r;
      if (!rs_column_present(dc, i) || !rs_column_present(nc[0], i) || !rs_column_present(ec, i)) continue;
      int32_t d = (int32_t)dc->num[i];
      if (!any || d > c->to_day) c->to_day = d;
      any = true;
    }
    if (!any) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no month has a value of %s and %s", t->path,
                  (char *)nums->pdata[0], den_name);
      g_free(nc);
      g_ptr_array_free(nums, TRUE);
      rs_reform_coverage_free(c);
      return NULL;
    }
    if (!c->from_day) c->from_day = month_shift(c->to_day, -11);
  }
  if (!c->from_day) c->from_day = month_shift(c->to_day, -11);
  if (c->from_day > c->to_day) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the period's start is after its end");
    g_free(nc);
    g_ptr_array_free(nums, TRUE);
    rs_reform_coverage_free(c);
    return NULL;
  }
  c->n_series = nums->len;
  c->series = g_new0(rs_reform_coverage_series, nums->len);
  size_t in_period = 0;
  for (size_t s = 0; s < nums->len; s++) {
    rs_reform_coverage_series *e = &c->series[s];
    e->numerator = g_strdup(nums->pdata[s]);
    GHashTable *hk = g_hash_table_new(g_str_hash, g_str_equal), *hf = g_hash_table_new(g_str_hash, g_str_equal);
    GArray *ak = g_array_new(FALSE, TRUE, sizeof(unit_acc)), *af = g_array_new(FALSE, TRUE, sizeof(unit_acc));
    long double tn = 0, td = 0;
    size_t cells = 0;
    for (size_t r = 0; r < N; r++) {
      size_t i = o->rows ? o->rows[r] : r;
      if (!rs_column_present(dc, i)) continue;
      int32_t d = (int32_t)dc->num[i];
      if (d < c->from_day || d > c->to_day) continue;
      if (s == 0) in_period++;
      rs_miss m = rs_column_miss(nc[s], i);
      if (m == RS_MISS_NONE) m = rs_column_miss(ec, i);
      if (m == RS_MISS_NONE) m = rs_column_miss(kc, i);
      if (m != RS_MISS_NONE) {
        e->left_out[m]++;
        e->left_out_total++;
        continue;
      }
      if ((nc[s]->miss[i] | ec->miss[i]) & RS_FLAG_PROVISIONAL) e->provisional++;
      double num = nc[s]->num[i], den = ec->num[i];
      char *code = code_text(kc, i);
      add_unit(hk, ak, code, num, den);
      if (strlen(code) >= 4) code[2] = 0;   /* the fylke is the kommune number's first two digits */
      add_unit(hf, af, code, num, den);
      g_free(code);
      tn += num;
      td += den;
      cells++;
    }
    e->national.code = g_strdup("00");
    e->national.num = (double)tn;
    e->national.den = (double)td;
    e->national.rate = td > 0 ? (double)(tn / td * c->scale) : NAN;
    e->national.cells = cells;
    e->kommune = units_out(ak, c->scale, &e->n_kommune);
    e->fylke = units_out(af, c->scale, &e->n_fylke);
    g_hash_table_destroy(hk);
    g_hash_table_destroy(hf);
    g_array_free(ak, TRUE);
    g_array_free(af, TRUE);
  }
  g_free(nc);
  g_ptr_array_free(nums, TRUE);
  if (in_period == 0) {
    char a[16], b[16];
    rs_value_format_date(c->from_day, a);
    rs_value_format_date(c->to_day, b);
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has a month from %s to %s", t->path, a, b);
    rs_reform_coverage_free(c);
    return NULL;
  }
  return c;
}

static void coverage_record(rs_results *out, const char *level, const rs_reform_coverage_series *e,
                            const rs_reform_coverage_unit *u, const rs_reform_coverage_unit *national, const char *lang) {
  rs_record *rec = rs_results_add(out);
  rs_record_str(rec, "table", "coverage");
  rs_record_str(rec, "name", e->numerator);
  rs_record_str(rec, "group", level);
  rs_record_str(rec, "code", u->code);
  rs_record_int(rec, "n", (long long)u->cells);
  rs_record_num(rec, "numerator", u->num);
  rs_record_num(rec, "denominator", u->den);
  rs_record_num(rec, "estimate", u->rate);
  if (national && isfinite(u->rate) && isfinite(national->rate)) {
    rs_record_num(rec, "national", national->rate);
    rs_record_num(rec, "difference", u->rate - national->rate);
  }
  rs_record_str(rec, "method", tr(lang, "per 1000 barn, sum/sum over kommunemåneder", "per 1000 children, sum/sum over kommune-months"));
}

void rs_reform_coverage_records(const rs_reform_coverage *c, const char *by, const char *lang, rs_results *out) {
  char a[16], b[16];
  rs_value_format_date(c->from_day, a);
  rs_value_format_date(c->to_day, b);
  bool f = by && strstr(by, "fylke"), k = by && strstr(by, "kommune");
  for (size_t s = 0; s < c->n_series; s++) {
    const rs_reform_coverage_series *e = &c->series[s];
    char *title = g_strdup_printf(tr(lang, "Register: %s per 1000 %s, %s til %s", "Registry: %s per 1000 %s, %s to %s"),
                                  e->numerator, c->denominator, a, b);
    rs_results_section(out, title);
    g_free(title);
    coverage_record(out, tr(lang, "hele landet", "national"), e, &e->national, NULL, lang);
    if (f)
      for (size_t q = 0; q < e->n_fylke; q++) coverage_record(out, "fylke", e, &e->fylke[q], &e->national, lang);
    if (k)
      for (size_t q = 0; q < e->n_kommune; q++) coverage_record(out, "kommune", e, &e->kommune[q], &e->national, lang);
    GString *note = g_string_new(NULL);
    g_string_printf(note, tr(lang, "%s, %s til %s: ", "%s, %s to %s: "), e->numerator, a, b);
    if (e->left_out_total) {
      g_string_append_printf(note, tr(lang, "%zu kommunemåneder utelatt fordi teller eller nevner mangler (",
                                      "%zu kommune-months left out because the numerator or denominator is missing ("),
                             e->left_out_total);
      bool first = true;
      for (int m = 1; m < RS_MISS_N_REASONS; m++)
        if (e->left_out[m]) {
          g_string_append_printf(note, "%s%s: %zu", first ? "" : ", ", rs_miss_label((rs_miss)m), e->left_out[m]);
          first = false;
        }
      g_string_append(note, ")");
    } else {
      g_string_append(note, tr(lang, "ingen kommunemåneder utelatt", "no kommune-month left out"));
    }
    if (e->provisional)
      g_string_append_printf(note, tr(lang, "; %zu foreløpige verdier ('*') er brukt", "; %zu provisional values ('*') used"),
                             e->provisional);
    g_string_append(note, ".");
    rs_results_add_note(out, note->str);
    g_string_free(note, TRUE);
  }
}
