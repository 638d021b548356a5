/* reform-effect.c — coordinator type and outcome indexes: the post-reform
 * regression, the MDE, the difference-in-differences, the event study and
 * the pre-trend test of reform-effect.h.
 *
 * The models are ordinary lm()s: this file builds a small work table (the
 * index columns and the 0/1 indicators next to references to the
 * covariates), writes an R formula, and leaves design, fit and standard
 * errors to formula.h, ols.h and vcov.h — there is no second OLS here. */
#include "analysis/reform-effect.h"
#include "analysis/formula.h"
#include "analysis/ols.h"
#include "analysis/olsgram.h"
#include "analysis/vcov.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_COVARIATES "child_age,diagnosis_group,n_services,fylke"

void rs_reform_effect_options_init(rs_reform_effect_options *o) {
  memset(o, 0, sizeof *o);
}

static bool is_en(const char *lang) { return lang && strcmp(lang, "en") == 0; }

static char **split_list(const char *s) {
  GPtrArray *a = g_ptr_array_new();
  if (s) {
    char **parts = g_strsplit(s, ",", -1);
    for (char **p = parts; *p; p++) {
      g_strstrip(*p);
      if (**p) g_ptr_array_add(a, g_strdup(*p));
    }
    g_strfreev(parts);
  }
  g_ptr_array_add(a, NULL);
  return (char **)g_ptr_array_free(a, FALSE);
}

static bool in_list(char *const *list, const char *s) {
  for (; list && *list; list++)
    if (strcmp(*list, s) == 0) return true;
  return false;
}

/* ---- outcome indexes ------------------------------------------------------
 * TODO(merge): switch to analysis/reform-index.h when it lands on main. */

typedef struct {
  char *name;
  GArray *cols;       /* of int: item columns of the table */
  double lo, hi;      /* scale, for reverse coding */
} index_def;

static void index_def_clear(index_def *d) {
  g_free(d->name);
  if (d->cols) g_array_free(d->cols, TRUE);
}

/* The indexes (codebook order of first appearance) whose items are columns
 * of t; `want` (NULL: all) selects some by name. */
static GArray *find_indexes(const rs_table *t, const rs_codebook *cb, char *const *want, GError **err) {
  GArray *defs = g_array_new(FALSE, TRUE, sizeof(index_def));
  GPtrArray *vars = g_ptr_array_new();
  if (cb) {
    for (guint k = 0; k < cb->vars->len; k++) g_ptr_array_add(vars, cb->vars->pdata[k]);
  } else {
    for (size_t j = 0; j < t->ncols; j++)
      if (t->cols[j].var) g_ptr_array_add(vars, (gpointer)t->cols[j].var);
  }
  for (guint k = 0; k < vars->len; k++) {
    const rs_cb_var *v = vars->pdata[k];
    if (!v->index || !*v->index) continue;
    int c = rs_table_find(t, v->name);
    if (c < 0) continue;
    if (want && *want && !in_list(want, v->index)) continue;
    index_def *d = NULL;
    for (guint m = 0; m < defs->len; m++)
      if (strcmp(g_array_index(defs, index_def, m).name, v->index) == 0) d = &g_array_index(defs, index_def, m);
    const rs_column *col = &t->cols[c];
    if (col->storage != RS_STORE_NUM) {
      g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK, "%s: item '%s' of index '%s' holds text, not answers on a scale",
                  t->path, v->name, v->index);
      goto fail;
    }
    if (v->reverse && !(v->has_min && v->has_max)) {
      g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK,
                  "%s: line %ld: item '%s' of index '%s' is reverse-coded but has no min and max to reverse it on",
                  cb ? cb->path : "codebook", v->line, v->name, v->index);
      goto fail;
    }
    if (!d) {
      index_def nd = {g_strdup(v->index), g_array_new(FALSE, FALSE, sizeof(int)), v->min, v->max};
      g_array_append_val(defs, nd);
      d = &g_array_index(defs, index_def, defs->len - 1);
    } else if (v->has_min && v->has_max && (v->min != d->lo || v->max != d->hi)) {
      g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK,
                  "%s: line %ld: item '%s' of index '%s' is on the scale %g–%g, but the index's first item is on "
                  "%g–%g; an index averages items on one scale",
                  cb ? cb->path : "codebook", v->line, v->name, v->index, v->min, v->max, d->lo, d->hi);
      goto fail;
    }
    g_array_append_val(d->cols, c);
  }
  for (char *const *w = want; w && *w; w++) {
    bool found = false;
    for (guint m = 0; m < defs->len; m++) found = found || strcmp(g_array_index(defs, index_def, m).name, *w) == 0;
    if (!found) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                  "%s: no index '%s': no column of the file is an item of it in the codebook (column 'index')",
                  t->path, *w);
      goto fail;
    }
  }
  if (defs->len == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK,
                "%s: no outcome index: the codebook names no index (column 'index') for any column of the file%s",
                t->path, cb ? "" : " (give --codebook)");
    goto fail;
  }
  g_ptr_array_free(vars, TRUE);
  return defs;
fail:
  for (guint m = 0; m < defs->len; m++) index_def_clear(&g_array_index(defs, index_def, m));
  g_array_free(defs, TRUE);
  g_ptr_array_free(vars, TRUE);
  return NULL;
}

/* Mean of the answered items after reverse coding (lo + hi − x), or NAN
 * when fewer than min_share of the items are answered. */
static double index_value(const rs_table *t, const index_def *d, size_t i, double min_share) {
  long double s = 0;
  size_t k = d->cols->len, m = 0;
  for (size_t j = 0; j < k; j++) {
    const rs_column *c = &t->cols[g_array_index(d->cols, int, j)];
    if (!rs_column_present(c, i) || !isfinite(c->num[i])) continue;
    double x = c->num[i];
    if (c->var && c->var->reverse) x = d->lo + d->hi - x;
    s += x;
    m++;
  }
  if (m == 0 || (double)m < min_share * (double)k - 1e-9) return NAN;
  return (double)(s / m);
}

/* ---- the work table ------------------------------------------------------ */

typedef struct {
  const rs_table *t;
  const rs_reform_effect_options *o;
  GArray *defs;
  const rs_column *type, *post, *wave, *cluster;
  bool post_from_wave;
  char *codes[RS_REFORM_NTYPES];
  bool treated[RS_REFORM_NTYPES];
  char **covars;         /* column names */
  char **covar_terms;    /* as written in the formula */
  double min_share;
  GMutex *lock;          /* guards the result's shared formula strings while indexes are fitted in parallel */
} ctx;

/* Type of row i: 0..2, -1 missing, -2 a code that is none of them. */
static int type_of(const rs_column *c, char *const *codes, size_t i) {
  if (!rs_column_present(c, i)) return -1;
  for (int k = 0; k < RS_REFORM_NTYPES; k++) {
    if (c->storage == RS_STORE_NUM) {
      char *end;
      double v = g_ascii_strtod(codes[k], &end);
      if (end != codes[k] && *end == 0 && c->num[i] == v) return k;
    } else if (c->str[i] && strcmp(c->str[i], codes[k]) == 0) {
      return k;
    }
  }
  return -2;
}

static char *cell_text(const rs_column *c, size_t i) {
  if (c->storage == RS_STORE_STR) return g_strdup(c->str[i] ? c->str[i] : "");
  return g_strdup_printf("%.15g", c->num[i]);
}

/* post of row i: 0/1, -1 missing, -2 another value. */
static int post_of(const ctx *x, size_t i) {
  const rs_column *c = x->post_from_wave ? x->wave : x->post;
  if (!rs_column_present(c, i) || c->storage != RS_STORE_NUM || !isfinite(c->num[i])) return -1;
  if (x->post_from_wave) return c->num[i] >= 2023;
  if (c->num[i] == 0) return 0;
  if (c->num[i] == 1) return 1;
  return -2;
}

static rs_column *add_num(rs_table *w, const char *name, size_t n) {
  rs_column *c = rs_table_add_column(w, name, RS_TYPE_NUMERIC, RS_STORE_NUM);
  for (size_t r = 0; r < n; r++) { c->num[r] = 0; c->miss[r] = RS_MISS_EMPTY; }
  return c;
}

static void set_num(rs_column *c, size_t r, double v) {
  if (isfinite(v)) { c->num[r] = v; c->miss[r] = RS_MISS_NONE; }
  else { c->num[r] = 0; c->miss[r] = RS_MISS_EMPTY; }
}

/* Shares (does not own) the strings of the source column. */
static void copy_col(rs_table *w, const rs_column *src, const size_t *rows, size_t n) {
  if (rs_table_find(w, src->name) >= 0) return;
  rs_column *c = rs_table_add_column(w, src->name, src->type, src->storage);
  c->var = src->var;
  for (size_t r = 0; r < n; r++) {
    size_t i = rows[r];
    c->miss[r] = src->miss[i];
    if (src->storage == RS_STORE_NUM) c->num[r] = src->num[i];
    else c->str[r] = src->str[i];
  }
}

/* Work table over `rows`: one column per index, type (0/1/2), koordinator,
 * barnekoordinator, treated, post, treated_post, and the covariates, cluster
 * and wave as references to the original columns.  Event columns are added
 * by the caller. */
static rs_table *work_table(const ctx *x, const size_t *rows, size_t n) {
  const rs_table *t = x->t;
  rs_table *w = rs_table_new(t->path);
  w->format = t->format;
  rs_table_reserve(w, n ? n : 1);
  w->nrows = n;
  for (size_t r = 0; r < n; r++) w->row_line[r] = t->row_line ? t->row_line[rows[r]] : (int32_t)(rows[r] + 2);
  for (guint k = 0; k < x->defs->len; k++) {
    const index_def *d = &g_array_index(x->defs, index_def, k);
    rs_column *c = add_num(w, d->name, n);
    for (size_t r = 0; r < n; r++) set_num(c, r, index_value(t, d, rows[r], x->min_share));
  }
  /* add every column first: adding one moves the column array (g_renew) */
  static const char *const derived[] = {".type", "koordinator", "barnekoordinator", "treated", "post", "treated_post"};
  size_t first = w->ncols;
  for (size_t k = 0; k < G_N_ELEMENTS(derived); k++) add_num(w, derived[k], n);
  rs_column *ty = &w->cols[first], *kc = ty + 1, *bc = ty + 2, *tr = ty + 3, *po = ty + 4, *tp = ty + 5;
  for (size_t r = 0; r < n; r++) {
    int k = type_of(x->type, x->codes, rows[r]);
    int p = post_of(x, rows[r]);
    if (k >= 0) {
      set_num(ty, r, k);
      set_num(kc, r, k == RS_REFORM_KOORDINATOR);
      set_num(bc, r, k == RS_REFORM_BARNEKOORDINATOR);
      set_num(tr, r, x->treated[k]);
    }
    if (p >= 0) set_num(po, r, p);
    if (k >= 0 && p >= 0) set_num(tp, r, x->treated[k] && p);
  }
  for (char **cv = x->covars; *cv; cv++) copy_col(w, &t->cols[rs_table_find(t, *cv)], rows, n);
  copy_col(w, x->cluster, rows, n);
  if (x->wave) copy_col(w, x->wave, rows, n);
  return w;
}

/* ---- fitting ------------------------------------------------------------- */

typedef struct {
  rs_design *d;
  rs_ols *ols;
  gsl_matrix *V;
  size_t G;
  bool gram;   /* fitted from cross-products */
} model;

static void model_clear(model *m) {
  if (m->V) gsl_matrix_free(m->V);
  rs_ols_free(m->ols);
  rs_design_free(m->d);
  memset(m, 0, sizeof *m);
}

static size_t gram_rows(const rs_reform_effect_options *o) {
  return o->gram_min_rows ? o->gram_min_rows : RS_REFORM_GRAM_MIN_ROWS;
}

/* lm(formula) on w with vcovCL(cluster = ~cluster, type = "HC1"). */
static gboolean fit_model(const rs_table *w, const bool *subset, const char *formula, const char *cluster,
                          size_t min_clusters, size_t gram_min_rows, const char *what, model *m, GError **err) {
  memset(m, 0, sizeof *m);
  rs_formula *f = rs_formula_parse(formula, err);
  if (!f) return FALSE;
  const char *extra[] = {cluster, NULL};
  rs_design_options dop = {.extra = extra, .sparse = true, .subset = subset};   /* densified only for QR */
  m->d = rs_design_build(f, w, &dop, err);
  rs_formula_free(f);
  if (!m->d) return FALSE;
  if (m->d->n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: %s: no row has all of the model's variables present (%zu rows left out)",
                w->path, what, m->d->n_dropped);
    return FALSE;
  }
  rs_vcov_spec spec = {.type = RS_VCOV_CLUSTER};
  size_t *cl = rs_vcov_cluster_index(&w->cols[rs_table_find(w, cluster)], m->d->rows, m->d->n, &spec.n_clusters);
  spec.cluster = cl;
  m->G = spec.n_clusters;
  if (m->G < min_clusters || m->G < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: %s: the rows used come from only %zu clusters (values of '%s'); cluster-robust standard errors "
                "need at least %zu (--min-clusters), and many more (30 or so) to be trustworthy",
                w->path, what, m->G, cluster, min_clusters < 2 ? 2 : min_clusters);
    g_free(cl);
    return FALSE;
  }
  /* a tall model from cross-products (olsgram.h), unless they are not
   * accurate enough for it; else QR as lm, and the sandwich from its residuals */
  if (m->d->n >= gram_min_rows) {
    m->ols = rs_olsgram_fit(m->d, cl, m->G, &m->V, err);
    if (!m->ols && err && *err) { g_free(cl); return FALSE; }
    m->gram = m->ols != NULL;
  }
  if (!m->ols && rs_design_densify(m->d, err))
    m->ols = rs_ols_fit(m->d->X, m->d->y, NULL, m->d->intercept, NULL, err);
  if (!m->ols) { g_free(cl); return FALSE; }
  if (m->ols->df_resid <= 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: %s: %zu rows are too few for the model's %zu coefficients", w->path,
                what, m->d->n, m->ols->rank);
    g_free(cl);
    return FALSE;
  }
  if (m->V) { g_free(cl); return TRUE; }
  m->V = gsl_matrix_calloc(m->ols->rank, m->ols->rank);
  gboolean ok = rs_vcov_ols(m->ols, m->d->X, &spec, m->V, err);
  g_free(cl);
  return ok;
}

/* Counts a fitted model (indexes are fitted on several threads). */
static void count_model(rs_reform_effect *res, const model *m, gboolean ok) {
  if (!ok) return;
  g_atomic_int_inc(&res->models);
  if (m->gram) g_atomic_int_inc(&res->models_gram);
}

/* Position of column `name` among the estimated columns, or -1 (absent or aliased). */
static long kept_pos(const model *m, const char *name) {
  for (size_t j = 0; j < m->d->p; j++)
    if (strcmp(m->d->names[j], name) == 0) {
      if (m->ols->aliased[j]) return -1;
      for (size_t a = 0; a < m->ols->rank; a++)
        if (m->ols->kept[a] == j) return (long)a;
    }
  return -1;
}

static void finish_coef(rs_reform_coef *c, double est, double var, double df, double alpha) {
  c->estimable = isfinite(est) && var >= 0;
  if (!c->estimable) return;
  c->estimate = est;
  c->se = sqrt(var);
  c->df = df;
  c->statistic = est / c->se;
  c->p_value = 2 * gsl_cdf_tdist_Q(fabs(c->statistic), df);
  double q = gsl_cdf_tdist_Qinv(alpha / 2, df);
  c->ci_low = est - q * c->se;
  c->ci_high = est + q * c->se;
}

/* Contrast sum_k w_k b_{name_k}; not estimable when a term is aliased. */
static void contrast(const model *m, const char *a, double wa, const char *b, double wb, double alpha, rs_reform_coef *c) {
  memset(c, 0, sizeof *c);
  long pa = kept_pos(m, a), pb = b ? kept_pos(m, b) : -2;
  if (pa < 0 || pb == -1) return;
  double est = wa * m->ols->coef[m->ols->kept[pa]], var = wa * wa * gsl_matrix_get(m->V, pa, pa);
  if (pb >= 0) {
    est += wb * m->ols->coef[m->ols->kept[pb]];
    var += wb * wb * gsl_matrix_get(m->V, pb, pb) + 2 * wa * wb * gsl_matrix_get(m->V, pa, pb);
  }
  finish_coef(c, est, var, m->ols->df_resid, alpha);
}

/* ---- the analysis -------------------------------------------------------- */

void rs_reform_effect_free(rs_reform_effect *r) {
  if (!r) return;
  for (size_t k = 0; k < r->n_indexes; k++) {
    rs_reform_effect_index *x = &r->idx[k];
    g_free(x->index);
    g_free(x->did_skipped);
    g_free(x->event_wave);
    g_free(x->event_pre);
    g_free(x->event);
  }
  g_free(r->idx);
  g_free(r->formula);
  g_free(r->did_formula);
  g_free(r->event_formula);
  g_free(r->treated_desc);
  g_free(r->cluster);
  g_free(r->lang);
  g_free(r);
}

static const rs_column *need(const rs_table *t, const char *name, const char *role, GError **err) {
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (%s)", t->path, name, role);
    return NULL;
  }
  return &t->cols[j];
}

static const char *const type_word_nb[] = {"ingen", "koordinator", "barnekoordinator"};
static const char *const type_word_en[] = {"none", "koordinator", "barnekoordinator"};

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The right-hand side's covariate part: " + a + factor(b) …". */
static char *covariate_rhs(char *const *terms) {
  GString *s = g_string_new(NULL);
  for (char *const *c = terms; *c; c++) g_string_append_printf(s, " + %s", *c);
  return g_string_free(s, FALSE);
}

/* Checks a row-level value problem over the subset and reports the first. */
static gboolean check_codes(const ctx *x, const size_t *rows, size_t n, GError **err) {
  for (size_t r = 0; r < n; r++) {
    size_t i = rows[r];
    long line = x->t->row_line ? x->t->row_line[i] : (long)i + 2;
    if (type_of(x->type, x->codes, i) == -2) {
      char *v = cell_text(x->type, i);
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %ld, column '%s': '%s' is none of the coordinator types (--type-codes %s,%s,%s: none, "
                  "koordinator, barnekoordinator)",
                  x->t->path, line, x->type->name, v, x->codes[0], x->codes[1], x->codes[2]);
      g_free(v);
      return FALSE;
    }
    if (post_of(x, i) == -2) {
      char *v = cell_text(x->post, i);
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %ld, column '%s': '%s' is not 0 (before the reform) or 1 (after)", x->t->path, line,
                  x->post->name, v);
      g_free(v);
      return FALSE;
    }
  }
  return TRUE;
}

static void ctx_clear(ctx *x) {
  if (x->defs) {
    for (guint m = 0; m < x->defs->len; m++) index_def_clear(&g_array_index(x->defs, index_def, m));
    g_array_free(x->defs, TRUE);
  }
  for (int k = 0; k < RS_REFORM_NTYPES; k++) g_free(x->codes[k]);
  g_strfreev(x->covars);
  g_strfreev(x->covar_terms);
}

static gboolean setup(ctx *x, const rs_table *t, const rs_codebook *cb, const rs_reform_effect_options *o, GError **err) {
  memset(x, 0, sizeof *x);
  x->t = t;
  x->o = o;
  x->min_share = o->min_share > 0 ? o->min_share : 0.5;
  if (x->min_share > 1) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--min-share must be above 0 and at most 1, not %g", o->min_share);
    return FALSE;
  }
  char **want = split_list(o->indexes);
  x->defs = find_indexes(t, cb, want, err);
  g_strfreev(want);
  if (!x->defs) return FALSE;
  if (!(x->type = need(t, o->type_column ? o->type_column : "coordinator_type", "--type-column", err))) return FALSE;
  if (!(x->cluster = need(t, o->cluster ? o->cluster : "kommune", "--cluster", err))) return FALSE;
  const char *wave = o->wave_column ? o->wave_column : "year";
  if (*wave) {
    if (!(x->wave = need(t, wave, "--wave-column", err))) return FALSE;
    if (x->wave->storage != RS_STORE_NUM) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the wave column '%s' holds text, not numbers (years)", t->path, wave);
      return FALSE;
    }
  }
  if (o->post_column) {
    if (!(x->post = need(t, o->post_column, "--post-column", err))) return FALSE;
  } else if (rs_table_find(t, "post") >= 0) {
    x->post = &t->cols[rs_table_find(t, "post")];
  } else if (x->wave) {
    x->post_from_wave = true;
  } else {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: no column 'post' and no wave column: give --post-column", t->path);
    return FALSE;
  }
  if (x->post && x->post->storage != RS_STORE_NUM) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the post column '%s' holds text; it must be 0 (before) or 1 (after)",
                t->path, x->post->name);
    return FALSE;
  }
  char **codes = split_list(o->type_codes ? o->type_codes : "0,1,2");
  if (g_strv_length(codes) != RS_REFORM_NTYPES) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--type-codes takes three codes (none, koordinator, barnekoordinator), e.g. 0,1,2; not '%s'",
                o->type_codes);
    g_strfreev(codes);
    return FALSE;
  }
  for (int k = 0; k < RS_REFORM_NTYPES; k++) x->codes[k] = g_strdup(codes[k]);
  g_strfreev(codes);
  if (o->treated) {
    char **tr = split_list(o->treated);
    for (char **p = tr; *p; p++) {
      int k = 0;
      while (k < RS_REFORM_NTYPES && strcmp(*p, x->codes[k]) != 0) k++;
      if (k == RS_REFORM_NTYPES) {
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--treated: '%s' is none of the type codes %s,%s,%s", *p, x->codes[0],
                    x->codes[1], x->codes[2]);
        g_strfreev(tr);
        return FALSE;
      }
      x->treated[k] = true;
    }
    g_strfreev(tr);
  } else {
    x->treated[RS_REFORM_KOORDINATOR] = x->treated[RS_REFORM_BARNEKOORDINATOR] = true;
  }
  int nt = x->treated[0] + x->treated[1] + x->treated[2];
  if (nt == 0 || nt == RS_REFORM_NTYPES) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--treated must name some but not all of the coordinator types");
    return FALSE;
  }
  char **cv = split_list(o->covariates ? o->covariates : DEFAULT_COVARIATES);
  guint ncv = g_strv_length(cv);
  x->covars = g_new0(char *, ncv + 1);
  x->covar_terms = g_new0(char *, ncv + 1);
  for (guint k = 0; k < ncv; k++) {
    const char *name = cv[k];
    bool forced = g_str_has_prefix(name, "factor(") && g_str_has_suffix(name, ")");
    char *col = forced ? g_strndup(name + 7, strlen(name) - 8) : g_strdup(name);
    g_strstrip(col);
    x->covars[k] = col;
    const rs_column *c = need(t, col, "--covariates", err);
    if (!c) { g_strfreev(cv); return FALSE; }
    bool factor = forced || c->storage == RS_STORE_STR || c->type == RS_TYPE_CATEGORY || c->type == RS_TYPE_FYLKE ||
                  c->type == RS_TYPE_KOMMUNE;
    x->covar_terms[k] = factor ? g_strdup_printf("factor(%s)", col) : g_strdup(col);
  }
  g_strfreev(cv);
  return TRUE;
}

/* Fills x->did…: the DiD and the event study on all rows of the subset. */
static gboolean fit_did(const ctx *c, rs_table *w, const index_def *d, const char *cov, const rs_reform_effect_options *o,
                        double alpha, double zsum, rs_reform_effect *res, rs_reform_effect_index *x, GError **err) {
  const bool en = is_en(o->lang);
  size_t min_clusters = o->min_clusters ? o->min_clusters : 10;
  const rs_column *yc = &w->cols[rs_table_find(w, d->name)];
  const rs_column *ty = &w->cols[rs_table_find(w, ".type")], *po = &w->cols[rs_table_find(w, "post")];
  /* which groups exist before and after (rows with the index present) */
  size_t cnt[2][2] = {{0, 0}, {0, 0}};
  for (size_t r = 0; r < w->nrows; r++) {
    if (!rs_column_present(yc, r) || !rs_column_present(ty, r) || !rs_column_present(po, r)) continue;
    cnt[(int)po->num[r]][c->treated[(int)ty->num[r]]]++;
  }
  if (cnt[0][0] + cnt[0][1] == 0) {
    x->did_skipped = g_strdup(en ? "no survey wave before the reform in the data, so no difference-in-differences"
                                 : "ingen undersøkelsesrunde før reformen i dataene, så ingen forskjell-i-forskjeller");
    return TRUE;
  }
  if (cnt[0][1] == 0 || cnt[0][0] == 0 || cnt[1][0] == 0 || cnt[1][1] == 0) {
    x->did_skipped = g_strdup(en ? "the treated or the untreated group has no rows before or after the reform"
                                 : "den behandlede eller den ubehandlede gruppen mangler svar før eller etter reformen");
    return TRUE;
  }
  char *wave_term = c->wave ? g_strdup_printf("factor(%s)", c->wave->name) : g_strdup("post");
  char *f = g_strdup_printf("%s ~ treated + %s + treated_post%s", d->name, wave_term, cov);
  model m;
  char *what = g_strdup_printf("difference-in-differences for index '%s'", d->name);
  gboolean ok = fit_model(w, NULL, f, c->cluster->name, min_clusters, gram_rows(o), what, &m, err);
  g_free(what);
  count_model(res, &m, ok);
  g_mutex_lock(c->lock);
  if (!res->did_formula) res->did_formula = g_strdup_printf("INDEX ~ treated + %s + treated_post%s", wave_term, cov);
  g_mutex_unlock(c->lock);
  g_free(f);
  if (!ok) { model_clear(&m); g_free(wave_term); return FALSE; }
  x->did = true;
  x->did_n = m.d->n;
  x->did_clusters = m.G;
  contrast(&m, "treated_post", 1, NULL, 0, alpha, &x->did_effect);
  x->did_mde = x->did_effect.estimable ? zsum * x->did_effect.se : NAN;
  model_clear(&m);
  x->ref_wave = NAN;
  if (!c->wave) { g_free(wave_term); return TRUE; }
  /* event study: waves of the rows the DiD could use; the reference is the last all-pre wave */
  GArray *waves = g_array_new(FALSE, FALSE, sizeof(double));
  GHashTable *seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTable *has_post = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  const rs_column *wc = &w->cols[rs_table_find(w, c->wave->name)];
  for (size_t r = 0; r < w->nrows; r++) {
    if (!rs_column_present(yc, r) || !rs_column_present(ty, r) || !rs_column_present(po, r) ||
        !rs_column_present(wc, r) || !isfinite(wc->num[r]))
      continue;
    gint64 key = (gint64)llround(wc->num[r] * 1000);
    if (!g_hash_table_contains(seen, &key)) {
      g_hash_table_add(seen, g_memdup2(&key, sizeof key));
      g_array_append_val(waves, wc->num[r]);
    }
    if (po->num[r] == 1 && !g_hash_table_contains(has_post, &key)) g_hash_table_add(has_post, g_memdup2(&key, sizeof key));
  }
  qsort(waves->data, waves->len, sizeof(double), cmp_double);
  long ref = -1;
  for (guint k = 0; k < waves->len; k++) {
    gint64 key = (gint64)llround(g_array_index(waves, double, k) * 1000);
    if (!g_hash_table_contains(has_post, &key)) ref = (long)k;
  }
  if (ref < 0) {
    /* pre rows exist, but every wave has post rows: no all-pre wave to refer to */
    g_array_free(waves, TRUE);
    g_hash_table_destroy(seen);
    g_hash_table_destroy(has_post);
    g_free(wave_term);
    return TRUE;
  }
  x->ref_wave = g_array_index(waves, double, ref);
  x->n_events = waves->len - 1;
  x->event_wave = g_new(double, x->n_events ? x->n_events : 1);
  x->event_pre = g_new(bool, x->n_events ? x->n_events : 1);
  x->event = g_new0(rs_reform_coef, x->n_events ? x->n_events : 1);
  GString *ev = g_string_new(NULL);
  char **names = g_new0(char *, x->n_events + 1);
  size_t e = 0;
  for (guint k = 0; k < waves->len; k++) {
    if ((long)k == ref) continue;
    double wv = g_array_index(waves, double, k);
    gint64 key = (gint64)llround(wv * 1000);
    x->event_wave[e] = wv;
    x->event_pre[e] = !g_hash_table_contains(has_post, &key);
    names[e] = g_strdup_printf("ev_%.15g", wv);
    if (rs_table_find(w, names[e]) < 0) {
      /* not reached from rs_reform_effect_fit, which adds every wave's column
       * first (add_event_columns): the indexes' fits share w across threads.
       * Adding a column moves the column array: look the others up again afterwards */
      rs_column *col = add_num(w, names[e], w->nrows);
      const rs_column *trc = &w->cols[rs_table_find(w, "treated")], *wvc = &w->cols[rs_table_find(w, c->wave->name)];
      for (size_t r = 0; r < w->nrows; r++)
        if (rs_column_present(trc, r) && rs_column_present(wvc, r)) set_num(col, r, trc->num[r] * (wvc->num[r] == wv));
    }
    g_string_append_printf(ev, " + %s", names[e]);
    e++;
  }
  g_array_free(waves, TRUE);
  g_hash_table_destroy(seen);
  g_hash_table_destroy(has_post);
  f = g_strdup_printf("%s ~ treated + %s%s%s", d->name, wave_term, ev->str, cov);
  g_mutex_lock(c->lock);
  if (!res->event_formula) res->event_formula = g_strdup_printf("INDEX ~ treated + %s%s%s", wave_term, ev->str, cov);
  g_mutex_unlock(c->lock);
  g_string_free(ev, TRUE);
  g_free(wave_term);
  what = g_strdup_printf("event study for index '%s'", d->name);
  ok = fit_model(w, NULL, f, c->cluster->name, min_clusters, gram_rows(o), what, &m, err);
  g_free(what);
  count_model(res, &m, ok);
  g_free(f);
  if (!ok) { model_clear(&m); g_strfreev(names); return FALSE; }
  size_t q = 0;
  long *pos = g_new(long, x->n_events ? x->n_events : 1);
  for (size_t k = 0; k < x->n_events; k++) {
    contrast(&m, names[k], 1, NULL, 0, alpha, &x->event[k]);
    if (x->event_pre[k] && (pos[q] = kept_pos(&m, names[k])) >= 0) q++;
  }
  /* pre-trend: Wald test of the earlier pre-reform event coefficients */
  if (q > 0) {
    gsl_matrix *Vq = gsl_matrix_alloc(q, q);
    gsl_vector *b = gsl_vector_alloc(q), *s = gsl_vector_alloc(q);
    for (size_t a = 0; a < q; a++) {
      gsl_vector_set(b, a, m.ols->coef[m.ols->kept[pos[a]]]);
      for (size_t bb = 0; bb < q; bb++) gsl_matrix_set(Vq, a, bb, gsl_matrix_get(m.V, pos[a], pos[bb]));
    }
    if (gsl_linalg_cholesky_decomp1(Vq) == GSL_SUCCESS && gsl_linalg_cholesky_solve(Vq, b, s) == GSL_SUCCESS) {
      double W = 0;
      for (size_t a = 0; a < q; a++) W += gsl_vector_get(b, a) * gsl_vector_get(s, a);
      x->pretrend = true;
      x->pretrend_q = q;
      x->pretrend_chi2 = W;
      x->pretrend_p_chi2 = gsl_cdf_chisq_Q(W, (double)q);
      x->pretrend_F = W / (double)q;
      x->pretrend_df2 = m.ols->df_resid;
      x->pretrend_p_F = gsl_cdf_fdist_Q(x->pretrend_F, (double)q, m.ols->df_resid);
    }
    gsl_matrix_free(Vq);
    gsl_vector_free(b);
    gsl_vector_free(s);
  }
  g_free(pos);
  g_strfreev(names);
  model_clear(&m);
  return TRUE;
}

/* What the threads fitting the indexes share; errors[k] is index k's. */
typedef struct {
  const ctx *c;
  const bool *post;      /* rows of wall after the reform: the first model's rows */
  rs_table *wall;
  const char *cov;
  char **lower;
  double alpha, zsum;
  size_t min_clusters;
  const rs_reform_effect_options *o;
  rs_reform_effect *res;
  GError **errors;
} index_job;

/* The models of index k: after the reform, then the DiD and event study. */
static gboolean fit_index(const index_job *jb, guint k, GError **err) {
  const ctx *c = jb->c;
  rs_table *wall = jb->wall;
  const char *cov = jb->cov;
  char **lower = jb->lower;
  double alpha = jb->alpha, zsum = jb->zsum;
  size_t min_clusters = jb->min_clusters;
  const rs_reform_effect_options *o = jb->o;
  rs_reform_effect *res = jb->res;
  const index_def *d = &g_array_index(c->defs, index_def, k);
  rs_reform_effect_index *x = &res->idx[k];
  x->index = g_strdup(d->name);
  x->n_items = d->cols->len;
  x->lower_better = in_list(lower, d->name);
  x->ref_wave = NAN;
  char *f = g_strdup_printf("%s ~ koordinator + barnekoordinator%s", d->name, cov);
  char *what = g_strdup_printf("index '%s' after the reform", d->name);
  model m;
  gboolean ok = fit_model(jb->wall, jb->post, f, c->cluster->name, min_clusters, gram_rows(o), what, &m, err);
  g_free(what);
  count_model(res, &m, ok);
  g_free(f);
  if (!ok) { model_clear(&m); return FALSE; }
  x->n = m.d->n;
  x->n_dropped = m.d->n_dropped;
  x->n_clusters = m.G;
  const rs_column *ty = &jb->wall->cols[rs_table_find(jb->wall, ".type")];
  long double sum[RS_REFORM_NTYPES] = {0, 0, 0}, all = 0;
  for (size_t i = 0; i < m.d->n; i++) {
    int tk = (int)ty->num[m.d->rows[i]];
    double y = gsl_vector_get(m.d->y, i);
    x->n_type[tk]++;
    sum[tk] += y;
    all += y;
  }
  /* two-pass SD (deviations from the mean, long double) */
  long double mean = all / m.d->n, ss = 0;
  for (size_t i = 0; i < m.d->n; i++) {
    long double dv = gsl_vector_get(m.d->y, i) - mean;
    ss += dv * dv;
  }
  x->sd = m.d->n > 1 ? sqrt((double)(ss / (m.d->n - 1))) : NAN;
  for (int tk = 0; tk < RS_REFORM_NTYPES; tk++) x->mean_type[tk] = x->n_type[tk] ? (double)(sum[tk] / x->n_type[tk]) : NAN;
  contrast(&m, "koordinator", 1, NULL, 0, alpha, &x->koordinator);
  contrast(&m, "barnekoordinator", 1, NULL, 0, alpha, &x->barnekoordinator);
  contrast(&m, "barnekoordinator", 1, "koordinator", -1, alpha, &x->bk_vs_k);
  model_clear(&m);
  x->mde = x->bk_vs_k.estimable ? zsum * x->bk_vs_k.se : NAN;
  if (!x->bk_vs_k.estimable) x->verdict = RS_REFORM_NOT_ESTIMABLE;
  else if (x->bk_vs_k.p_value >= alpha) x->verdict = RS_REFORM_NO_DIFFERENCE;
  else x->verdict = (x->bk_vs_k.estimate > 0) != x->lower_better ? RS_REFORM_ADVANTAGE : RS_REFORM_DISADVANTAGE;
  return fit_did(c, wall, d, cov, o, alpha, zsum, res, x, err);
}

static void run_index(gpointer data, gpointer user) {
  index_job *jb = user;
  guint k = GPOINTER_TO_UINT(data) - 1;
  (void)fit_index(jb, k, &jb->errors[k]);
}

/* ev_W = treated x [wave = W] for every wave of the rows with type, post and
 * wave, added before the indexes are fitted in parallel (fit_did uses the
 * waves of its own rows, a subset). */
static void add_event_columns(const ctx *c, rs_table *w) {
  if (!c->wave) return;
  GArray *waves = g_array_new(FALSE, FALSE, sizeof(double));
  GHashTable *seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  {
    const rs_column *ty = &w->cols[rs_table_find(w, ".type")], *po = &w->cols[rs_table_find(w, "post")];
    const rs_column *wc = &w->cols[rs_table_find(w, c->wave->name)];
    for (size_t r = 0; r < w->nrows; r++) {
      if (!rs_column_present(ty, r) || !rs_column_present(po, r) || !rs_column_present(wc, r) || !isfinite(wc->num[r]))
        continue;
      gint64 key = (gint64)llround(wc->num[r] * 1000);
      if (!g_hash_table_contains(seen, &key)) {
        g_hash_table_add(seen, g_memdup2(&key, sizeof key));
        g_array_append_val(waves, wc->num[r]);
      }
    }
  }
  for (guint k = 0; k < waves->len; k++) {
    double wv = g_array_index(waves, double, k);
    char *name = g_strdup_printf("ev_%.15g", wv);
    if (rs_table_find(w, name) < 0) {
      rs_column *col = add_num(w, name, w->nrows);   /* moves the column array: look the others up afterwards */
      const rs_column *trc = &w->cols[rs_table_find(w, "treated")], *wvc = &w->cols[rs_table_find(w, c->wave->name)];
      for (size_t r = 0; r < w->nrows; r++)
        if (rs_column_present(trc, r) && rs_column_present(wvc, r)) set_num(col, r, trc->num[r] * (wvc->num[r] == wv));
    }
    g_free(name);
  }
  g_array_free(waves, TRUE);
  g_hash_table_destroy(seen);
}

rs_reform_effect *rs_reform_effect_fit(const rs_table *t, const rs_codebook *cb, const rs_reform_effect_options *o,
                                       GError **err) {
  double alpha = o->alpha > 0 ? o->alpha : 0.05, power = o->power > 0 ? o->power : 0.8;
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--alpha and --power must be between 0 and 1 (got %g and %g)", alpha,
                power);
    return NULL;
  }
  ctx c;
  if (!setup(&c, t, cb, o, err)) { ctx_clear(&c); return NULL; }
  size_t nr = o->rows ? o->nrows : t->nrows;
  size_t *rows = g_new(size_t, nr ? nr : 1), npost = 0;
  for (size_t k = 0; k < nr; k++) rows[k] = o->rows ? o->rows[k] : k;
  rs_reform_effect *res = NULL;
  rs_table *wall = NULL;
  bool *is_post = NULL;
  if (!check_codes(&c, rows, nr, err)) goto fail;
  for (size_t k = 0; k < nr; k++)
    npost += post_of(&c, rows[k]) == 1;
  if (npost == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: no row after the reform (%s = 1%s): the comparison of coordinator types needs families surveyed "
                "after 1 August 2022",
                t->path, c.post_from_wave ? c.wave->name : c.post->name, c.post_from_wave ? " from 2023" : "");
    goto fail;
  }
  res = g_new0(rs_reform_effect, 1);
  res->lang = g_strdup(is_en(o->lang) ? "en" : "nb");
  res->alpha = alpha;
  res->power = power;
  res->z_alpha = gsl_cdf_ugaussian_Pinv(1 - alpha / 2);
  res->z_power = gsl_cdf_ugaussian_Pinv(power);
  res->min_share = c.min_share;
  res->rows_in = nr;
  res->rows_post = npost;
  res->cluster = g_strdup(c.cluster->name);
  double zsum = res->z_alpha + res->z_power;
  char *cov = covariate_rhs(c.covar_terms);
  res->formula = g_strdup_printf("INDEX ~ koordinator + barnekoordinator%s", cov);
  {
    GString *s = g_string_new(NULL);
    const char *const *words = is_en(o->lang) ? type_word_en : type_word_nb;
    for (int k = 0; k < RS_REFORM_NTYPES; k++)
      if (c.treated[k]) g_string_append_printf(s, "%s%s (%s)", s->len ? (is_en(o->lang) ? " or " : " eller ") : "",
                                               words[k], c.codes[k]);
    res->treated_desc = g_string_free(s, FALSE);
  }
  wall = work_table(&c, rows, nr);
  /* the post-reform models use wall's rows after the reform (a subset, not a copy) */
  is_post = g_new(bool, MAX(nr, 1));
  for (size_t k = 0; k < nr; k++) is_post[k] = post_of(&c, rows[k]) == 1;
  res->n_indexes = c.defs->len;
  res->idx = g_new0(rs_reform_effect_index, res->n_indexes);
  char **lower = split_list(o->lower_better);
  for (char **p = lower; *p; p++) {
    bool found = false;
    for (guint k = 0; k < c.defs->len; k++) found = found || strcmp(g_array_index(c.defs, index_def, k).name, *p) == 0;
    if (!found) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--lower-better: '%s' is not one of the indexes analysed", *p);
      g_strfreev(lower);
      g_free(cov);
      goto fail;
    }
  }
  size_t min_clusters = o->min_clusters ? o->min_clusters : 10;
  GMutex lock;
  g_mutex_init(&lock);
  c.lock = &lock;
  add_event_columns(&c, wall);
  /* The indexes' models are independent: fit them on up to
   * rs_table_threads() threads (each model's QR may use two more).  Errors
   * are reported for the first failing index in order, as sequentially. */
  index_job jb = {&c, is_post, wall, cov, lower, alpha, zsum, min_clusters, o, res, g_new0(GError *, c.defs->len)};
  guint nthreads = MIN(rs_table_threads(), c.defs->len);
  if (nthreads > 1) {
    GThreadPool *pool = g_thread_pool_new(run_index, &jb, (gint)nthreads, TRUE, NULL);
    for (guint k = 0; k < c.defs->len; k++) g_thread_pool_push(pool, GUINT_TO_POINTER(k + 1), NULL);
    g_thread_pool_free(pool, FALSE, TRUE);
  } else {
    for (guint k = 0; k < c.defs->len && !(k > 0 && jb.errors[k - 1]); k++) run_index(GUINT_TO_POINTER(k + 1), &jb);
  }
  g_mutex_clear(&lock);
  GError *first = NULL;
  for (guint k = 0; k < c.defs->len; k++) {
    if (jb.errors[k] && !first) first = jb.errors[k];
    else if (jb.errors[k]) g_error_free(jb.errors[k]);
  }
  g_free(jb.errors);
  if (first) {
    g_propagate_error(err, first);
    g_strfreev(lower);
    g_free(cov);
    goto fail;
  }
  g_strfreev(lower);
  g_free(cov);
  rs_table_free(wall);
  g_free(is_post);
  g_free(rows);
  ctx_clear(&c);
  return res;
fail:
  rs_reform_effect_free(res);
  rs_table_free(wall);
  g_free(is_post);
  g_free(rows);
  ctx_clear(&c);
  return NULL;
}

/* ---- records and words --------------------------------------------------- */

/* A number for prose: `dec` decimals, decimal comma in bokmål. */
static char *fmt(double v, int dec, bool en) {
  char *s = g_strdup_printf("%.*f", dec, v);
  if (strcmp(s, "-0") == 0 || (s[0] == '-' && strspn(s + 1, "0.") == strlen(s + 1))) memmove(s, s + 1, strlen(s));
  if (!en)
    for (char *p = s; *p; p++)
      if (*p == '.') *p = ',';
  return s;
}

static char *fmt_p(double p, bool en) {
  if (p < 0.001) return g_strdup(en ? "p < 0.001" : "p < 0,001");
  char *n = fmt(p, 3, en), *s = g_strdup_printf("p = %s", n);
  g_free(n);
  return s;
}

static void put_coef(rs_results *out, const char *name, const char *label, const char *group, size_t n,
                     const rs_reform_coef *c, const char *method) {
  rs_record *r = rs_results_add(out);
  rs_record_str(r, "name", name);
  rs_record_str(r, "group", group);
  rs_record_str(r, "label", label);
  rs_record_int(r, "n", (long long)n);
  if (c->estimable) {
    rs_record_num(r, "estimate", c->estimate);
    rs_record_num(r, "se", c->se);
    rs_record_num(r, "ci_low", c->ci_low);
    rs_record_num(r, "ci_high", c->ci_high);
    rs_record_num(r, "statistic", c->statistic);
    rs_record_num(r, "df", c->df);
    rs_record_num(r, "p_value", c->p_value);
    rs_record_str(r, "method", method);
  } else {
    rs_record_str(r, "method", "not estimable (aliased: the group is absent or collinear)");
  }
}

static char *index_sentence(const rs_reform_effect *r, const rs_reform_effect_index *x) {
  const bool en = strcmp(r->lang, "en") == 0;
  int level = (int)lround(100 * (1 - r->alpha)), pw = (int)lround(100 * r->power);
  if (x->verdict == RS_REFORM_NOT_ESTIMABLE)
    return g_strdup_printf(en ? "%s: barnekoordinator and koordinator cannot be compared (one of the groups has no "
                                "families after the reform with the index answered)."
                              : "%s: barnekoordinator og koordinator kan ikke sammenlignes (en av gruppene har ingen "
                                "familier etter reformen med svar på indeksen).",
                           x->index);
  const rs_reform_coef *c = &x->bk_vs_k;
  char *d = fmt(c->estimate, 3, en), *lo = fmt(c->ci_low, 3, en), *hi = fmt(c->ci_high, 3, en), *p = fmt_p(c->p_value, en);
  char *mde = fmt(x->mde, 3, en), *mdesd = fmt(x->mde / x->sd, 2, en), *al = fmt(r->alpha, 2, en);
  char *s;
  const char *dir = x->lower_better ? (en ? " (lower is better)" : " (lavere er bedre)") : "";
  if (x->verdict == RS_REFORM_NO_DIFFERENCE)
    s = g_strdup_printf(en ? "%s%s: no difference shown between barnekoordinator and koordinator: %s points (%d %% CI "
                             "%s to %s, %s). The data could have detected a difference of %s points (%s SD) with %d %% "
                             "power at alpha = %s."
                           : "%s%s: ingen påvist forskjell mellom barnekoordinator og koordinator: %s poeng (%d %% KI "
                             "%s til %s, %s). Dataene kunne ha påvist en forskjell på %s poeng (%s SD) med %d %% "
                             "styrke ved alfa = %s.",
                        x->index, dir, d, level, lo, hi, p, mde, mdesd, pw, al);
  else
    s = g_strdup_printf(en ? "%s%s: %s for barnekoordinator over koordinator: %s points (%d %% CI %s to %s, %s)."
                           : "%s%s: %s for barnekoordinator framfor koordinator: %s poeng (%d %% KI %s til %s, %s).",
                        x->index, dir,
                        x->verdict == RS_REFORM_ADVANTAGE ? (en ? "an advantage" : "en fordel")
                                                          : (en ? "a disadvantage" : "en ulempe"),
                        d, level, lo, hi, p);
  g_free(d); g_free(lo); g_free(hi); g_free(p); g_free(mde); g_free(mdesd); g_free(al);
  return s;
}

char *rs_reform_effect_summary(const rs_reform_effect *r) {
  const bool en = strcmp(r->lang, "en") == 0;
  GString *adv = g_string_new(NULL), *dis = g_string_new(NULL);
  for (size_t k = 0; k < r->n_indexes; k++) {
    const rs_reform_effect_index *x = &r->idx[k];
    GString *s = x->verdict == RS_REFORM_ADVANTAGE ? adv : x->verdict == RS_REFORM_DISADVANTAGE ? dis : NULL;
    if (s) g_string_append_printf(s, "%s%s", s->len ? ", " : "", x->index);
  }
  char *out;
  if (!adv->len && !dis->len)
    out = g_strdup(en ? "The data show no advantage of barnekoordinator over koordinator on any index."
                      : "Dataene viser ingen fordel av barnekoordinator framfor koordinator på noen indeks.");
  else if (adv->len && !dis->len)
    out = g_strdup_printf(en ? "The data show an advantage of barnekoordinator over koordinator on: %s."
                             : "Dataene viser en fordel av barnekoordinator framfor koordinator på: %s.",
                          adv->str);
  else if (!adv->len)
    out = g_strdup_printf(en ? "The data show no advantage of barnekoordinator over koordinator; they show a "
                               "disadvantage on: %s."
                             : "Dataene viser ingen fordel av barnekoordinator framfor koordinator, men en ulempe på: %s.",
                          dis->str);
  else
    out = g_strdup_printf(en ? "The data show an advantage of barnekoordinator over koordinator on: %s, and a "
                               "disadvantage on: %s."
                             : "Dataene viser en fordel av barnekoordinator framfor koordinator på: %s, og en ulempe "
                               "på: %s.",
                          adv->str, dis->str);
  g_string_free(adv, TRUE);
  g_string_free(dis, TRUE);
  return out;
}

void rs_reform_effect_records(const rs_reform_effect *r, rs_results *out) {
  const bool en = strcmp(r->lang, "en") == 0;
  const char *const *words = en ? type_word_en : type_word_nb;
  char *summary = rs_reform_effect_summary(r);
  rs_results_add_note(out, summary);
  g_free(summary);
  for (size_t k = 0; k < r->n_indexes; k++) {
    char *s = index_sentence(r, &r->idx[k]);
    rs_results_add_note(out, s);
    g_free(s);
  }
  int level = (int)lround(100 * (1 - r->alpha));
  char *how = g_strdup_printf(
      en ? "Model after the reform (rows with post = 1): lm(%s), one model per index; standard errors cluster-robust "
           "by %s (CR1, as sandwich::vcovCL type HC1); t intervals (%d %%) on the residual df. Index = mean of its items "
           "after reverse coding, when at least %.0f %% of them are answered. Minimum detectable effect (MDE) = "
           "(z_{1-alpha/2} + z_{power}) x SE = (%.4f + %.4f) x SE (alpha = %g two-sided, power = %g)."
         : "Modell etter reformen (rader med post = 1): lm(%s), én modell per indeks; standardfeil klyngerobuste "
           "etter %s (CR1, som sandwich::vcovCL type HC1); t-intervaller (%d %%) på residualfrihetsgradene. Indeks = "
           "gjennomsnitt av leddene etter omkoding av reverserte ledd, når minst %.0f %% av dem er besvart. Minste "
           "påviselige effekt (MDE) = (z_{1-alfa/2} + z_{styrke}) x SE = (%.4f + %.4f) x SE (alfa = %g tosidig, "
           "styrke = %g).",
      r->formula, r->cluster, level, 100 * r->min_share, r->z_alpha, r->z_power, r->alpha, r->power);
  rs_results_add_note(out, how);
  g_free(how);
  const char *meth = "OLS, SE cluster CR1";
  rs_results_section(out, en ? "Coordinator type after the reform (regression)" : "Koordinatortype etter reformen (regresjon)");
  for (size_t k = 0; k < r->n_indexes; k++) {
    const rs_reform_effect_index *x = &r->idx[k];
    for (int tk = 0; tk < RS_REFORM_NTYPES; tk++) {
      rs_record *rec = rs_results_add(out);
      char *nm = g_strdup_printf("mean:%s", type_word_en[tk]);
      char *lab = g_strdup_printf(en ? "mean, %s" : "gjennomsnitt, %s", words[tk]);
      rs_record_str(rec, "name", nm);
      rs_record_str(rec, "group", x->index);
      rs_record_str(rec, "label", lab);
      rs_record_int(rec, "n", (long long)x->n_type[tk]);
      rs_record_num(rec, "estimate", x->mean_type[tk]);
      rs_record_str(rec, "method", en ? "raw mean of the index (rows used)" : "rått gjennomsnitt av indeksen");
      g_free(nm);
      g_free(lab);
    }
    char *l1 = g_strdup_printf("koordinator - %s", words[0]), *l2 = g_strdup_printf("barnekoordinator - %s", words[0]);
    put_coef(out, "koordinator-none", l1, x->index, x->n, &x->koordinator, meth);
    put_coef(out, "barnekoordinator-none", l2, x->index, x->n, &x->barnekoordinator, meth);
    put_coef(out, "barnekoordinator-koordinator", "barnekoordinator - koordinator", x->index, x->n, &x->bk_vs_k,
             "OLS contrast b_bk - b_k, SE cluster CR1");
    g_free(l1);
    g_free(l2);
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "name", "mde:barnekoordinator-koordinator");
    rs_record_str(rec, "group", x->index);
    rs_record_str(rec, "label", en ? "minimum detectable difference" : "minste påviselige forskjell");
    rs_record_int(rec, "n", (long long)x->n);
    rs_record_num(rec, "estimate", x->mde);
    rs_record_num(rec, "estimate_sd", x->mde / x->sd);
    rs_record_num(rec, "clusters", (double)x->n_clusters);
    char *mm = g_strdup_printf("(z_{1-alpha/2} + z_{power}) x SE, alpha = %g, power = %g", r->alpha, r->power);
    rs_record_str(rec, "method", mm);
    g_free(mm);
  }
  bool any_did = false, any_skip = false;
  for (size_t k = 0; k < r->n_indexes; k++) {
    any_did = any_did || r->idx[k].did;
    any_skip = any_skip || !r->idx[k].did;
  }
  if (any_skip)
    for (size_t k = 0; k < r->n_indexes; k++)
      if (!r->idx[k].did) {
        char *s = g_strdup_printf(en ? "Difference-in-differences skipped for %s: %s."
                                     : "Forskjell-i-forskjeller hoppet over for %s: %s.",
                                  r->idx[k].index, r->idx[k].did_skipped ? r->idx[k].did_skipped : "?");
        rs_results_add_note(out, s);
        g_free(s);
      }
  if (!any_did) return;
  char *dn = g_strdup_printf(
      en ? "Difference-in-differences: lm(%s); treated = %s; treated_post = treated x post: the change of the "
           "treated-vs-untreated gap from before to after the reform (groups as the families answered; repeated "
           "cross-sections). Event study: lm(%s), ev_W = treated x [wave = W], reference: the last wave before the "
           "reform. Pre-trend: Wald test that the earlier pre-reform event coefficients are all 0, cluster-robust "
           "(as car::linearHypothesis with vcov. = vcovCL)."
         : "Forskjell-i-forskjeller: lm(%s); behandlet = %s; treated_post = behandlet x post: endringen i forskjellen "
           "mellom behandlede og ubehandlede fra før til etter reformen (grupper slik familiene svarte; gjentatte "
           "tverrsnitt). Hendelsesstudie: lm(%s), ev_W = behandlet x [runde = W], referanse: siste runde før "
           "reformen. Førtrend: Wald-test av at de tidligere hendelseskoeffisientene før reformen alle er 0, "
           "klyngerobust (som car::linearHypothesis med vcov. = vcovCL).",
      r->did_formula, r->treated_desc, r->event_formula ? r->event_formula : "-");
  rs_results_add_note(out, dn);
  g_free(dn);
  rs_results_section(out, en ? "Difference-in-differences and event study" : "Forskjell-i-forskjeller og hendelsesstudie");
  for (size_t k = 0; k < r->n_indexes; k++) {
    const rs_reform_effect_index *x = &r->idx[k];
    if (!x->did) continue;
    put_coef(out, "did", en ? "treated x post" : "behandlet x post", x->index, x->did_n, &x->did_effect, meth);
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "name", "mde:did");
    rs_record_str(rec, "group", x->index);
    rs_record_str(rec, "label", en ? "minimum detectable DiD" : "minste påviselige DiD");
    rs_record_int(rec, "n", (long long)x->did_n);
    rs_record_num(rec, "estimate", x->did_mde);
    rs_record_num(rec, "clusters", (double)x->did_clusters);
    rs_record_str(rec, "method", "(z_{1-alpha/2} + z_{power}) x SE");
    for (size_t e = 0; e < x->n_events; e++) {
      char *nm = g_strdup_printf("event:%.15g", x->event_wave[e]);
      char *lab = g_strdup_printf(en ? "treated x wave %.15g (%s, vs %.15g)" : "behandlet x runde %.15g (%s, mot %.15g)",
                                  x->event_wave[e], x->event_pre[e] ? (en ? "before" : "før") : (en ? "after" : "etter"),
                                  x->ref_wave);
      put_coef(out, nm, lab, x->index, x->did_n, &x->event[e], meth);
      g_free(nm);
      g_free(lab);
    }
    if (x->pretrend) {
      rec = rs_results_add(out);
      rs_record_str(rec, "name", "pretrend");
      rs_record_str(rec, "group", x->index);
      rs_record_str(rec, "label", en ? "pre-trend test (F)" : "førtrend-test (F)");
      rs_record_int(rec, "n", (long long)x->did_n);
      rs_record_num(rec, "statistic", x->pretrend_F);
      rs_record_num(rec, "df", (double)x->pretrend_q);
      rs_record_num(rec, "df_resid", x->pretrend_df2);
      rs_record_num(rec, "p_value", x->pretrend_p_F);
      rs_record_str(rec, "method", "Wald F = W/q, cluster CR1 (car::linearHypothesis test = \"F\")");
      rec = rs_results_add(out);
      rs_record_str(rec, "name", "pretrend:chisq");
      rs_record_str(rec, "group", x->index);
      rs_record_str(rec, "label", en ? "pre-trend test (chi-square)" : "førtrend-test (kji-kvadrat)");
      rs_record_int(rec, "n", (long long)x->did_n);
      rs_record_num(rec, "statistic", x->pretrend_chi2);
      rs_record_num(rec, "df", (double)x->pretrend_q);
      rs_record_num(rec, "p_value", x->pretrend_p_chi2);
      rs_record_str(rec, "method", "Wald chi-square, cluster CR1 (car::linearHypothesis test = \"Chisq\")");
    } else if (x->n_events) {
      char *s = g_strdup_printf(en ? "%s: no pre-trend test: only one wave before the reform (the reference)."
                                   : "%s: ingen førtrend-test: bare én runde før reformen (referansen).",
                                x->index);
      rs_results_add_note(out, s);
      g_free(s);
    }
  }
}
