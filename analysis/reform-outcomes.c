/* reform-outcomes.c — before/after comparisons of the outcome indexes and
 * items; see reform-outcomes.h for the estimators and their R equivalents.
 *
 * Everything works in "used-row" indices k = 0 .. nk-1, where table row
 * rows[k] (or k) is the k-th row the caller asked for; the survey design,
 * when there is one, is built over exactly those rows, so its row k is the
 * same k. */
#include "analysis/reform-outcomes.h"
#include "analysis/plotdata.h"
#include "analysis/reform-index.h"
#include "analysis/survey.h"
#include "analysis/tests.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#define BREAK_2022_08_01 19205  /* days from 1970-01-01 to 2022-08-01 */

typedef struct {
  size_t nk;
  const size_t *rows;          /* NULL: k is the table row */
  int8_t *period;              /* [nk] -1 none, 0 before, 1 after */
  size_t n_pre, n_post, n_none;
  char *rule;
} periods;

static inline size_t trow(const periods *p, size_t k) { return p->rows ? p->rows[k] : k; }

static int line_of(const rs_table *t, size_t i) { return t->row_line ? t->row_line[i] : (int)i + 2; }

static gboolean periods_make(const rs_table *t, const rs_reform_outcomes_options *o, periods *p, GError **err) {
  p->nk = o->rows ? o->nrows : t->nrows;
  p->rows = o->rows;
  p->period = g_new(int8_t, p->nk + 1);
  bool en = o->lang && strcmp(o->lang, "en") == 0;
  const char *post = o->post_column;
  if (!post && !o->date_column && rs_table_find(t, "post") >= 0) post = "post";
  if (post) {
    int j = rs_table_find(t, post);
    if (j < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --post-column '%s' is not a column of the file", t->path, post);
      return FALSE;
    }
    const rs_column *c = &t->cols[j];
    if (c->storage != RS_STORE_NUM || c->type == RS_TYPE_DATE) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: the post column '%s' is of type %s; it must hold 0 (before the "
                  "reform) and 1 (after)", t->path, post, rs_type_name(c->type));
      return FALSE;
    }
    for (size_t k = 0; k < p->nk; k++) {
      size_t i = trow(p, k);
      if (!rs_column_present(c, i)) { p->period[k] = -1; continue; }
      if (c->num[i] != 0 && c->num[i] != 1) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d, column '%s': '%g' is neither 0 (before the reform) "
                    "nor 1 (after)", t->path, line_of(t, i), post, c->num[i]);
        return FALSE;
      }
      p->period[k] = (int8_t)c->num[i];
    }
    p->rule = g_strdup_printf(en ? "%s = 0 before, 1 after the reform" : "%s = 0 før, 1 etter reformen", post);
  } else {
    const char *date = o->date_column ? o->date_column : "response_date";
    int j = rs_table_find(t, date);
    if (j < 0) {
      if (o->date_column)
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --date-column '%s' is not a column of the file", t->path, date);
      else
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                    "%s has neither a column 'post' (0 before, 1 after the reform) nor a date column 'response_date'; "
                    "say which rows are after the reform with --post-column COLUMN or --date-column COLUMN "
                    "[--break 2022-08-01]", t->path);
      return FALSE;
    }
    const rs_column *c = &t->cols[j];
    if (c->type != RS_TYPE_DATE) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --date-column '%s' is of type %s, not a date", t->path, date,
                  rs_type_name(c->type));
      return FALSE;
    }
    int32_t brk = o->break_day ? o->break_day : BREAK_2022_08_01;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < p->nk; k++) {
      size_t i = trow(p, k);
      if (!rs_column_present(c, i)) { p->period[k] = -1; continue; }
      lo = fmin(lo, c->num[i]);
      hi = fmax(hi, c->num[i]);
      p->period[k] = c->num[i] >= brk;
    }
    char b[16], l[16], h[16];
    rs_value_format_date(brk, b);
    if (!o->rows && (isinf(lo) || brk <= lo || brk > hi)) {
      if (isinf(lo)) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the date column '%s' is empty; no row can be placed before or "
                    "after the reform", t->path, date);
      } else {
        rs_value_format_date((int32_t)lo, l);
        rs_value_format_date((int32_t)hi, h);
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the break date %s is outside the dates in '%s' (%s to %s): "
                    "every row would fall on one side of it, so there is nothing to compare", t->path, b, date, l, h);
      }
      return FALSE;
    }
    p->rule = g_strdup_printf(en ? "%s before %s: before the reform; on or after: after"
                                 : "%s før %s: før reformen; samme dag eller senere: etter", date, b);
  }
  for (size_t k = 0; k < p->nk; k++) {
    p->n_pre += p->period[k] == 0;
    p->n_post += p->period[k] == 1;
    p->n_none += p->period[k] < 0;
  }
  if (!o->rows && (p->n_pre == 0 || p->n_post == 0)) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row is %s the reform (%s), so there is nothing to compare",
                t->path, p->n_pre == 0 ? "before" : "after", p->rule);
    return FALSE;
  }
  return TRUE;
}

/* ---- groups ---- */

typedef struct {
  int by;                      /* -1 overall */
  const char *by_column;
  char *code, *label;
  size_t *k;                   /* used-row indices with a period */
  size_t n;
} group;

static void group_clear(group *g) {
  g_free(g->code);
  g_free(g->label);
  g_free(g->k);
}

typedef struct {
  double num;
  const char *str;
  int first_seen;              /* groups_of: its number in order of first appearance */
} level_key;

static int cmp_level_num(const void *a, const void *b) {
  double x = ((const level_key *)a)->num, y = ((const level_key *)b)->num;
  return (x > y) - (x < y);
}
static int cmp_level_str(const void *a, const void *b) {
  return strcmp(((const level_key *)a)->str, ((const level_key *)b)->str);
}

/* Appends the groups of column `name` (levels in code order). */
static gboolean groups_of(const rs_table *t, const periods *p, const char *name, int by, GArray *groups, GError **err) {
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' is not a column of the file", t->path, name);
    return FALSE;
  }
  const rs_column *c = &t->cols[j];
  if (c->type == RS_TYPE_DATE || c->type == RS_TYPE_ID) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' is of type %s; groups need a category, kommune, fylke "
                "or a number with few values", t->path, name, rs_type_name(c->type));
    return FALSE;
  }
  /* levels numbered by first appearance (lev[k]), then sorted; a number's text is made once per distinct value
   * (found again by a table for whole numbers, else by its bits) */
  GArray *keys = g_array_new(FALSE, FALSE, sizeof(level_key));
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *by_bits = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  int *lev = g_new(int, p->nk + 1);
  int small_lev[1024];         /* the level of a whole number 0 .. 1023 (codes, fylker, kommuner), -1 unseen */
  for (size_t l = 0; l < G_N_ELEMENTS(small_lev); l++) small_lev[l] = -1;
  for (size_t k = 0; k < p->nk; k++) {
    size_t i = trow(p, k);
    lev[k] = -1;
    if (p->period[k] < 0 || !rs_column_present(c, i)) continue;
    gint64 bits = 0;
    gpointer v;
    double x = c->storage == RS_STORE_NUM ? c->num[i] : NAN;
    bool small = x >= 0 && x < G_N_ELEMENTS(small_lev) && x == floor(x) && !signbit(x);
    if (small && small_lev[(int)x] >= 0) { lev[k] = small_lev[(int)x]; continue; }
    if (c->storage == RS_STORE_NUM) {
      memcpy(&bits, &c->num[i], sizeof bits);
      if (g_hash_table_lookup_extended(by_bits, &bits, NULL, &v)) { lev[k] = GPOINTER_TO_INT(v); continue; }
    }
    char buf[32];
    const char *text = c->storage == RS_STORE_STR ? c->str[i] : (rs_value_format_double(c->num[i], buf), buf);
    if (g_hash_table_lookup_extended(seen, text, NULL, &v)) {
      lev[k] = GPOINTER_TO_INT(v);
    } else {
      char *key = g_strdup(text);
      lev[k] = (int)keys->len;
      g_hash_table_insert(seen, key, GINT_TO_POINTER(lev[k]));
      level_key lk = {c->storage == RS_STORE_NUM ? c->num[i] : 0, key, lev[k]};
      g_array_append_val(keys, lk);
    }
    if (small) small_lev[(int)x] = lev[k];
    else if (c->storage == RS_STORE_NUM) g_hash_table_insert(by_bits, g_memdup2(&bits, sizeof bits), GINT_TO_POINTER(lev[k]));
  }
  g_hash_table_destroy(by_bits);
  if (keys->len > 200) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' has %u different values; group by a column with at most "
                "200 (a category, fylke or kommune)", t->path, name, keys->len);
    g_array_free(keys, TRUE);
    g_hash_table_destroy(seen);
    g_free(lev);
    return FALSE;
  }
  g_array_sort(keys, c->storage == RS_STORE_NUM ? cmp_level_num : cmp_level_str);
  guint first = groups->len;
  guint *pos = g_new(guint, keys->len + 1);   /* first-appearance number -> group */
  for (guint l = 0; l < keys->len; l++) {
    level_key *lk = &g_array_index(keys, level_key, l);
    group g = {by, c->name, g_strdup(lk->str), NULL, g_new(size_t, p->nk + 1), 0};
    const char *lab = c->var ? rs_codebook_value_label(c->var, lk->num, c->storage == RS_STORE_STR ? lk->str : NULL) : NULL;
    g.label = g_strdup(lab ? lab : lk->str);
    g_array_append_val(groups, g);
    pos[lk->first_seen] = first + l;
  }
  for (size_t k = 0; k < p->nk; k++) {
    if (lev[k] < 0) continue;
    group *g = &g_array_index(groups, group, pos[lev[k]]);
    g->k[g->n++] = k;
  }
  g_free(pos);
  g_free(lev);
  g_array_free(keys, TRUE);
  g_hash_table_destroy(seen);
  return TRUE;
}

static GArray *groups_make(const rs_table *t, const periods *p, const char *const *by, const char *lang, GError **err) {
  GArray *groups = g_array_new(FALSE, FALSE, sizeof(group));
  group all = {-1, NULL, NULL, NULL, g_new(size_t, p->nk + 1), 0};
  (void)lang;
  for (size_t k = 0; k < p->nk; k++)
    if (p->period[k] >= 0) all.k[all.n++] = k;
  g_array_append_val(groups, all);
  for (int b = 0; by && by[b]; b++)
    if (!groups_of(t, p, by[b], b, groups, err)) {
      for (guint i = 0; i < groups->len; i++) group_clear(&g_array_index(groups, group, i));
      g_array_free(groups, TRUE);
      return NULL;
    }
  return groups;
}

static void groups_free(GArray *groups) {
  if (!groups) return;
  for (guint i = 0; i < groups->len; i++) group_clear(&g_array_index(groups, group, i));
  g_array_free(groups, TRUE);
}

/* ---- outcomes ---- */

typedef struct {
  char *name, *label, *category;
  bool is_index, is_share;
  const double *index_value;   /* table rows */
  int col;                     /* column, when not an index */
  double code;                 /* share: the category's numeric code */
  char *code_text;             /* share of a text category */
} outcome_spec;

static void spec_clear(outcome_spec *s) {
  g_free(s->name);
  g_free(s->label);
  g_free(s->category);
  g_free(s->code_text);
}

static inline double spec_value(const rs_table *t, const outcome_spec *s, size_t i) {
  if (s->is_index) return s->index_value[i];
  const rs_column *c = &t->cols[s->col];
  if (!rs_column_present(c, i)) return NAN;
  if (!s->is_share) return c->num[i];
  if (c->storage == RS_STORE_STR) return strcmp(c->str[i], s->code_text) == 0;
  return c->num[i] == s->code;
}

static char *column_label(const rs_column *c, const char *lang) {
  const char *l = c->var ? rs_cb_var_label(c->var, lang) : NULL;
  return g_strdup(l && *l ? l : c->name);
}

static gboolean add_column_outcome(const rs_table *t, const periods *p, const char *name, const char *lang,
                                   GArray *specs, GError **err) {
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: outcome '%s' is neither an index in the codebook nor a column of "
                "the file", t->path, name);
    return FALSE;
  }
  const rs_column *c = &t->cols[j];
  if (c->type == RS_TYPE_DATE || c->type == RS_TYPE_ID || c->type == RS_TYPE_STRING) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: outcome '%s' is of type %s; an outcome is a number, a Likert item "
                "or a category", t->path, name, rs_type_name(c->type));
    return FALSE;
  }
  bool category = c->type == RS_TYPE_CATEGORY || c->storage == RS_STORE_STR;
  if (!category) {
    outcome_spec s = {g_strdup(name), column_label(c, lang), NULL, false, false, NULL, j, 0, NULL};
    g_array_append_val(specs, s);
    return TRUE;
  }
  /* a category: one share per level — the codebook's values that are not
   * missing codes, else the values seen */
  GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);
  GArray *codes = g_array_new(FALSE, FALSE, sizeof(double));
  if (c->var && c->var->n_values) {
    for (size_t v = 0; v < c->var->n_values; v++) {
      const rs_value_label *vl = &c->var->values[v];
      if (rs_cb_var_is_missing_code(c->var, vl->code, strlen(vl->code), !isnan(vl->value), vl->value)) continue;
      if (c->storage == RS_STORE_NUM && isnan(vl->value)) continue;
      g_ptr_array_add(texts, g_strdup(vl->code));
      g_array_append_val(codes, vl->value);
    }
  } else {
    GArray *keys = g_array_new(FALSE, FALSE, sizeof(level_key));
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t k = 0; k < p->nk; k++) {
      size_t i = trow(p, k);
      if (!rs_column_present(c, i)) continue;
      char buf[32];
      const char *text = c->storage == RS_STORE_STR ? c->str[i] : (rs_value_format_double(c->num[i], buf), buf);
      if (g_hash_table_contains(seen, text)) continue;
      char *key = g_strdup(text);
      g_hash_table_add(seen, key);
      level_key lk = {c->storage == RS_STORE_NUM ? c->num[i] : 0, key, 0};
      g_array_append_val(keys, lk);
    }
    g_array_sort(keys, c->storage == RS_STORE_NUM ? cmp_level_num : cmp_level_str);
    for (guint l = 0; l < keys->len && l < 50; l++) {
      g_ptr_array_add(texts, g_strdup(g_array_index(keys, level_key, l).str));
      g_array_append_val(codes, g_array_index(keys, level_key, l).num);
    }
    g_array_free(keys, TRUE);
    g_hash_table_destroy(seen);
  }
  for (guint l = 0; l < texts->len; l++) {
    const char *text = g_ptr_array_index(texts, l);
    double code = g_array_index(codes, double, l);
    const char *lab = c->var ? rs_codebook_value_label(c->var, code, c->storage == RS_STORE_STR ? text : NULL) : NULL;
    outcome_spec s = {g_strdup(name), column_label(c, lang), g_strdup(lab ? lab : text), false, true, NULL, j, code,
                      g_strdup(text)};
    g_array_append_val(specs, s);
  }
  g_ptr_array_free(texts, TRUE);
  g_array_free(codes, TRUE);
  return TRUE;
}

/* ---- estimates ---- */

static void estimate_clear(rs_reform_estimate *e) {
  e->n = 0;
  e->estimate = e->se = e->ci_low = e->ci_high = NAN;
}

/* Mean with a t interval (t.test(y)$conf.int) or a share with Wilson's
 * interval, from the values y[0..n-1]. */
static void simple_estimate(const double *y, size_t n, bool share, rs_reform_estimate *e) {
  estimate_clear(e);
  e->n = n;
  if (n == 0) return;
  long double s = 0;
  for (size_t i = 0; i < n; i++) s += y[i];
  double mean = (double)(s / n);
  e->estimate = mean;
  if (share) {
    rs_test w;
    rs_test_clear(&w);
    if (rs_tests_wilson((long)llround(mean * n), (long)n, &w, NULL)) {
      e->ci_low = w.ci_low;
      e->ci_high = w.ci_high;
    }
    e->se = sqrt(mean * (1 - mean) / (double)n);
    return;
  }
  if (n < 2) return;
  long double ss = 0;
  for (size_t i = 0; i < n; i++) ss += ((long double)y[i] - mean) * ((long double)y[i] - mean);
  e->se = sqrt((double)(ss / (n - 1)) / (double)n);
  double q = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
  e->ci_low = mean - q * e->se;
  e->ci_high = mean + q * e->se;
}

/* One thread's scratch for comparing outcomes (see outcomes_worker). */
typedef struct {
  const rs_table *t;
  const periods *p;
  const rs_svy_design *design; /* NULL: Welch / proportions */
  double *y;                   /* [nk] outcome in used-row order */
  double *ya, *yb;             /* [nk] scratch (Welch / proportions) */
  rs_svy_domains *domains;     /* design: every (group, period) at once */
  rs_svy_estimate *est;        /* [2 groups] the current outcome's domain means (design) */
  double *df;                  /* [2 groups] their domain df */
} workspace;

static void compare_simple(workspace *ws, const group *g, bool share, rs_reform_outcome *r) {
  size_t na = 0, nb = 0;
  for (size_t q = 0; q < g->n; q++) {
    size_t k = g->k[q];
    double v = ws->y[k];
    if (isnan(v)) continue;
    if (ws->p->period[k] == 0) ws->yb[nb++] = v;
    else ws->ya[na++] = v;
  }
  simple_estimate(ws->yb, nb, share, &r->pre);
  simple_estimate(ws->ya, na, share, &r->post);
  rs_test tt;
  rs_test_clear(&tt);
  GError *e = NULL;
  gboolean ok;
  if (share) {
    long xa = (long)llround(r->post.estimate * (double)na), xb = (long)llround(r->pre.estimate * (double)nb);
    ok = na && nb && rs_tests_prop2(xa, (long)na, xb, (long)nb, false, &tt, &e);
    r->method = "difference of proportions (prop.test, no continuity correction; Wilson intervals)";
  } else {
    ok = rs_tests_t(ws->ya, na, ws->yb, nb, false, &tt, &e);
    r->method = "Welch two-sample t test (t.test); means with t intervals";
  }
  if (ok) {
    r->estimate = tt.estimate;
    r->se = tt.se;
    r->ci_low = tt.ci_low;
    r->ci_high = tt.ci_high;
    r->statistic = tt.statistic;
    r->df = tt.df;
    r->p_value = tt.p_value;
  } else {
    r->problem = g_strdup(nb == 0 ? "no answers before the reform" : na == 0 ? "no answers after the reform"
                          : e ? e->message : "not defined");
  }
  if (e) g_error_free(e);
}

/* Group gi's comparison from the domain estimates of the current outcome:
 * domain 2 gi is the group before the reform, 2 gi + 1 after (ws->est,
 * ws->df, filled by rs_svy_domains_mean). */
static void compare_design(workspace *ws, size_t gi, rs_reform_outcome *r) {
  const rs_svy_estimate *eb = &ws->est[2 * gi], *ea = &ws->est[2 * gi + 1];
  size_t nb = eb->n, na = ea->n;
  r->method = "design-based (Taylor linearisation, as survey::svyby and svyttest)";
  double zq = gsl_cdf_ugaussian_Pinv(0.975);
  rs_reform_estimate *pe[2] = {&r->pre, &r->post};
  const rs_svy_estimate *se[2] = {eb, ea};
  for (int s = 0; s < 2; s++) {
    estimate_clear(pe[s]);
    pe[s]->n = se[s]->n;
    pe[s]->estimate = se[s]->mean;
    /* rows all in one cluster (per stratum): the linearised SE is 0 (R's svyby prints ~1e-17), which measures
     * nothing, so the mean goes out without an interval */
    bool one_cluster = ws->df[2 * gi + s] < 1;
    if (!isnan(se[s]->mean) && se[s]->n > 0 && !one_cluster) {
      pe[s]->se = se[s]->se;
      pe[s]->ci_low = se[s]->mean - zq * se[s]->se;
      pe[s]->ci_high = se[s]->mean + zq * se[s]->se;
    }
  }
  if (na == 0 || nb == 0 || isnan(ea->mean) || isnan(eb->mean)) {
    r->problem = g_strdup(nb == 0 || isnan(eb->mean) ? "no answers before the reform" : "no answers after the reform");
    return;
  }
  /* influence values of the two domain means: z = w (y - ybar) / W inside the domain, 0 outside;
   * the difference's variance is that of z_after - z_before over the whole design */
  double V[4], df_ab;
  rs_svy_domains_diff(ws->domains, 2 * gi, 2 * gi + 1, V, &df_ab);
  double var = V[0] + V[3] - V[1] - V[2];
  double df = df_ab - 1;
  r->estimate = ea->mean - eb->mean;
  r->se = sqrt(fmax(var, 0));
  if (df < 1 || !(r->se > 0)) {
    r->problem = g_strdup(df < 1 ? "too few clusters (PSUs) in this group for a design-based test"
                                 : "the difference has no variance");
    r->se = NAN;
    return;
  }
  r->df = df;
  r->statistic = r->estimate / r->se;
  r->p_value = 2 * gsl_cdf_tdist_Q(fabs(r->statistic), df);
  double q = gsl_cdf_tdist_Pinv(0.975, df);
  r->ci_low = r->estimate - q * r->se;
  r->ci_high = r->estimate + q * r->se;
}

/* Per used row, the design domains (group, period) it lies in: dom[k m + b]
 * = 2 gi + period for its group gi of by-column b - 1 (b = 0: all rows), -1
 * for none.  m = 1 + the number of by-columns. */
static int *domains_of_rows(const periods *p, const GArray *groups, size_t m) {
  int *dom = g_new(int, p->nk * m + 1);
  for (size_t a = 0; a < p->nk * m; a++) dom[a] = -1;
  for (guint gi = 0; gi < groups->len; gi++) {
    const group *g = &g_array_index(groups, group, gi);
    for (size_t q = 0; q < g->n; q++) {
      size_t k = g->k[q];
      dom[k * m + (size_t)(g->by + 1)] = 2 * (int)gi + p->period[k];
    }
  }
  return dom;
}

void rs_reform_outcomes_free(rs_reform_outcomes *x) {
  if (!x) return;
  for (size_t i = 0; i < x->n; i++) {
    rs_reform_outcome *r = &x->row[i];
    g_free(r->outcome);
    g_free(r->label);
    g_free(r->category);
    g_free(r->by_column);
    g_free(r->group);
    g_free(r->group_code);
    g_free(r->problem);
  }
  g_free(x->row);
  g_free(x->period_rule);
  if (x->notes) g_ptr_array_free(x->notes, TRUE);
  g_free(x);
}

/* The outcome list of the options: indexes (computed into *ix) and columns. */
static GArray *outcomes_make(const rs_table *t, const rs_codebook *cb, const rs_reform_outcomes_options *o,
                             const periods *p, rs_reform_indexes **ix, bool likert_items_only, GError **err) {
  GArray *specs = g_array_new(FALSE, FALSE, sizeof(outcome_spec));
  *ix = NULL;
  /* every index of the codebook is built (and so checked), whatever is asked for */
  bool any_index = false;
  if (cb)
    for (guint i = 0; i < cb->vars->len && !any_index; i++) {
      const rs_cb_var *v = g_ptr_array_index(cb->vars, i);
      any_index = v->index && *v->index;
    }
  if (any_index) {
    /* the outcomes need the values only (alpha and the other statistics are the `indexes` command's), the Likert
     * distributions only the items */
    rs_reform_index_options io = {o->min_share, "", NULL, o->rows, o->nrows, o->lang,
                                  likert_items_only ? RS_INDEX_BUILD_ITEMS : RS_INDEX_BUILD_VALUES};
    if (!(*ix = rs_reform_indexes_new(t, cb, &io, err))) goto fail;
  } else if (!o->vars) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                cb ? "%s: no variable has an index name in the codebook's index column; name the outcomes with --vars"
                   : "%sthe outcomes are the codebook's indexes: give --codebook (or name the outcomes with --vars)",
                cb ? cb->path : "");
    goto fail;
  }
  if (o->vars) {
    for (size_t v = 0; o->vars[v]; v++) {
      const rs_reform_index *x = *ix ? rs_reform_indexes_find(*ix, o->vars[v]) : NULL;
      if (x) {
        if (likert_items_only) {
          for (size_t j = 0; j < x->k; j++)
            if (!add_column_outcome(t, p, x->items[j], o->lang, specs, err)) goto fail;
          continue;
        }
        outcome_spec s = {g_strdup(x->name), g_strdup(x->name), NULL, true, false, x->value, -1, 0, NULL};
        g_array_append_val(specs, s);
      } else if (!add_column_outcome(t, p, o->vars[v], o->lang, specs, err)) {
        goto fail;
      }
    }
    return specs;
  }
  if (!likert_items_only)
    for (size_t i = 0; i < (*ix)->n; i++) {
      const rs_reform_index *x = &(*ix)->index[i];
      outcome_spec s = {g_strdup(x->name), g_strdup(x->name), NULL, true, false, x->value, -1, 0, NULL};
      g_array_append_val(specs, s);
    }
  if (!o->indexes_only || likert_items_only)
    for (size_t i = 0; i < (*ix)->n; i++)
      for (size_t j = 0; j < (*ix)->index[i].k; j++)
        if (!add_column_outcome(t, p, (*ix)->index[i].items[j], o->lang, specs, err)) goto fail;
  return specs;
fail:
  for (guint i = 0; i < specs->len; i++) spec_clear(&g_array_index(specs, outcome_spec, i));
  g_array_free(specs, TRUE);
  rs_reform_indexes_free(*ix);
  *ix = NULL;
  return NULL;
}

static void specs_free(GArray *specs) {
  if (!specs) return;
  for (guint i = 0; i < specs->len; i++) spec_clear(&g_array_index(specs, outcome_spec, i));
  g_array_free(specs, TRUE);
}

/* The comparisons of every outcome in every group, outcomes shared out
 * among threads: each outcome's numbers are computed by one thread alone,
 * in the same order whatever the number of threads. */
typedef struct {
  const rs_table *t;
  const periods *p;
  const GArray *groups, *specs;
  const rs_svy_design *design;
  const rs_svy_domains *domains;  /* design: the (group, period) domains, shared by the threads */
  rs_reform_outcomes *x;
  gint next;                   /* next outcome to take */
} outcomes_job;

/* Outcome s (spec sp) in every group: rows gi * specs + s of x. */
static void outcome_compare(workspace *ws, const outcomes_job *j, guint s) {
  const outcome_spec *sp = &g_array_index(j->specs, outcome_spec, s);
  const periods *p = ws->p;
  for (size_t k = 0; k < p->nk; k++) ws->y[k] = spec_value(ws->t, sp, trow(p, k));
  if (ws->design) {
    /* a row without a period is in no domain; its value is never read */
    rs_svy_domains_mean(ws->domains, ws->y, ws->est, ws->df);
  }
  for (guint gi = 0; gi < j->groups->len; gi++) {
    const group *g = &g_array_index(j->groups, group, gi);
    rs_reform_outcome *r = &j->x->row[(size_t)gi * j->specs->len + s];
    r->outcome = g_strdup(sp->name);
    r->label = g_strdup(sp->label);
    r->category = g_strdup(sp->category);
    r->is_index = sp->is_index;
    r->is_share = sp->is_share;
    r->by = g->by;
    r->by_column = g_strdup(g->by_column);
    r->group = g_strdup(g->label);
    r->group_code = g_strdup(g->code);
    r->estimate = r->se = r->ci_low = r->ci_high = r->statistic = r->df = r->p_value = r->p_adjusted = NAN;
    if (ws->design) compare_design(ws, gi, r);
    else compare_simple(ws, g, sp->is_share, r);
  }
}

static gpointer outcomes_worker(gpointer data) {
  outcomes_job *j = data;
  workspace ws = {.t = j->t, .p = j->p, .design = j->design};
  size_t nk = j->p->nk, k = 2 * (size_t)j->groups->len;
  ws.y = g_new(double, nk + 1);
  if (j->design) {
    ws.domains = rs_svy_domains_share(j->domains);
    ws.est = g_new(rs_svy_estimate, k);
    ws.df = g_new(double, k);
  } else {
    ws.ya = g_new(double, nk + 1);
    ws.yb = g_new(double, nk + 1);
  }
  for (;;) {
    gint s = g_atomic_int_add(&j->next, 1);
    if (s >= (gint)j->specs->len) break;
    outcome_compare(&ws, j, (guint)s);
  }
  g_free(ws.y);
  g_free(ws.ya);
  g_free(ws.yb);
  rs_svy_domains_free(ws.domains);
  g_free(ws.est);
  g_free(ws.df);
  return NULL;
}

static void outcomes_run(outcomes_job *j) {
  guint nthreads = MIN(MIN(rs_table_threads(), 8u), j->specs->len);
  if (j->p->nk * j->specs->len < 200000 || nthreads < 2) nthreads = 1;  /* threads do not pay for small tables */
  GThread *th[8];
  for (guint i = 1; i < nthreads; i++) th[i] = g_thread_new("outcomes", outcomes_worker, j);
  outcomes_worker(j);
  for (guint i = 1; i < nthreads; i++) g_thread_join(th[i]);
}

rs_reform_outcomes *rs_reform_outcomes_new(const rs_table *t, const rs_codebook *cb,
                                           const rs_reform_outcomes_options *o, GError **err) {
  periods p = {0};
  GArray *groups = NULL, *specs = NULL;
  rs_reform_indexes *ix = NULL;
  rs_reform_outcomes *x = NULL;
  rs_svy_design *dz = NULL;
  rs_svy_domains *domains = NULL;
  if (!periods_make(t, o, &p, err)) goto out;
  if (!(groups = groups_make(t, &p, o->by, o->lang, err))) goto out;
  if (!(specs = outcomes_make(t, cb, o, &p, &ix, false, err))) goto out;
  bool design = o->weight || o->cluster || o->strata;
  if (design) {
    if (!(dz = rs_svy_design_from_table_rows(t, o->rows, p.nk, o->weight, o->strata, o->cluster, err))) goto out;
    size_t m_dom = 1;
    for (size_t b = 0; o->by && o->by[b]; b++) m_dom++;
    int *dom = domains_of_rows(&p, groups, m_dom);
    domains = rs_svy_domains_new(dz, dom, m_dom, 2 * (size_t)groups->len);
    g_free(dom);
    if (!domains) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: too many rows for a design-based comparison (at most %u)",
                  t->path, G_MAXUINT32 - 1);
      goto out;
    }
  }
  x = g_new0(rs_reform_outcomes, 1);
  x->design = design;
  x->adjust = o->adjust;
  x->rows_pre = p.n_pre;
  x->rows_post = p.n_post;
  x->rows_no_period = p.n_none;
  x->rows_used = p.n_pre + p.n_post;
  x->period_rule = g_strdup(p.rule);
  x->notes = g_ptr_array_new_with_free_func(g_free);
  x->n = (size_t)groups->len * specs->len;
  x->row = g_new0(rs_reform_outcome, x->n ? x->n : 1);
  outcomes_job job = {.t = t, .p = &p, .groups = groups, .specs = specs, .design = dz, .domains = domains, .x = x,
                      .next = 0};
  outcomes_run(&job);
  /* adjustment within families: one group's indexes, one group's other outcomes */
  double *pv = g_new(double, specs->len + 1), *pa = g_new(double, specs->len + 1);
  for (guint gi = 0; gi < groups->len; gi++)
    for (int fam = 0; fam < 2; fam++) {
      size_t m = 0;
      for (guint s = 0; s < specs->len; s++) {
        const rs_reform_outcome *r = &x->row[(size_t)gi * specs->len + s];
        if (r->is_index == (fam == 0)) pv[m++] = r->p_value;
      }
      rs_padjust(pv, m, o->adjust, pa);
      m = 0;
      for (guint s = 0; s < specs->len; s++) {
        rs_reform_outcome *r = &x->row[(size_t)gi * specs->len + s];
        if (r->is_index == (fam == 0)) r->p_adjusted = pa[m++];
      }
    }
  g_free(pv);
  g_free(pa);
  size_t no_diff = 0;
  for (size_t i = 0; i < x->n; i++) no_diff += x->row[i].problem != NULL;
  bool en = o->lang && strcmp(o->lang, "en") == 0;
  if (no_diff)
    g_ptr_array_add(x->notes,
                    en ? g_strdup_printf("%zu comparison%s without a difference: see the column 'note' (a group with no "
                                         "answers in one period, such as barnekoordinator before 2022, has none).",
                                         no_diff, no_diff == 1 ? "" : "s")
                       : g_strdup_printf("%zu sammenligning%s uten differanse: se kolonnen 'note' (en gruppe uten svar i "
                                         "den ene perioden, som barnekoordinator før 2022, har ingen).",
                                         no_diff, no_diff == 1 ? "" : "er"));
  if (p.n_none)
    g_ptr_array_add(x->notes, en ? g_strdup_printf("%zu row%s without a period left out.", p.n_none, p.n_none == 1 ? "" : "s")
                                 : g_strdup_printf("%zu rad%s uten periode utelatt.", p.n_none, p.n_none == 1 ? "" : "er"));
out:
  g_free(p.period);
  g_free(p.rule);
  groups_free(groups);
  specs_free(specs);
  rs_reform_indexes_free(ix);
  rs_svy_domains_free(domains);
  rs_svy_design_free(dz);
  return x;
}

const rs_reform_outcome *rs_reform_outcomes_find(const rs_reform_outcomes *x, const char *name, const char *category,
                                                 const char *by_column, const char *group_code) {
  for (size_t i = 0; x && i < x->n; i++) {
    const rs_reform_outcome *r = &x->row[i];
    if (strcmp(r->outcome, name) != 0 || g_strcmp0(r->category, category) != 0) continue;
    if (g_strcmp0(r->by_column, by_column) != 0 || g_strcmp0(r->group_code, group_code) != 0) continue;
    return r;
  }
  return NULL;
}

void rs_reform_outcomes_records(const rs_reform_outcomes *x, const char *lang, rs_results *out) {
  bool en = lang && strcmp(lang, "en") == 0;
  const char *prev = "";
  for (size_t i = 0; i < x->n; i++) {
    const rs_reform_outcome *r = &x->row[i];
    const char *by = r->by_column ? r->by_column : "";
    if (i == 0 || strcmp(by, prev) != 0) {
      char *title = r->by_column ? g_strdup_printf(en ? "Before and after the reform, by %s" : "Før og etter reformen, etter %s", r->by_column)
                                 : g_strdup(en ? "Before and after the reform, all" : "Før og etter reformen, alle");
      rs_results_section(out, title);
      g_free(title);
      prev = by;
    }
    rs_record *rec = rs_results_add(out);
    /* the group first, so that a by-section reads group by group (omitted for all rows) */
    rs_record_str(rec, "by", r->by_column);
    rs_record_str(rec, "group", r->group);
    rs_record_str(rec, "group_code", r->group_code);
    rs_record_str(rec, "name", r->outcome);
    rs_record_str(rec, "label", r->label);
    rs_record_str(rec, "category", r->category);
    rs_record_int(rec, "n", (long long)(r->pre.n + r->post.n));
    const rs_reform_estimate *e[2] = {&r->pre, &r->post};
    const char *suffix[2] = {"pre", "post"};
    for (int s = 0; s < 2; s++) {
      char key[32];
      g_snprintf(key, sizeof key, "n_%s", suffix[s]);
      rs_record_int(rec, key, (long long)e[s]->n);
      g_snprintf(key, sizeof key, "estimate_%s", suffix[s]);
      rs_record_num(rec, key, e[s]->estimate);
      g_snprintf(key, sizeof key, "ci_low_%s", suffix[s]);
      rs_record_num(rec, key, e[s]->ci_low);
      g_snprintf(key, sizeof key, "ci_high_%s", suffix[s]);
      rs_record_num(rec, key, e[s]->ci_high);
    }
    rs_record_num(rec, "estimate", r->estimate);
    rs_record_num(rec, "se", r->se);
    rs_record_num(rec, "ci_low", r->ci_low);
    rs_record_num(rec, "ci_high", r->ci_high);
    rs_record_num(rec, "statistic", r->statistic);
    rs_record_num(rec, "df", r->df);
    rs_record_num(rec, "p_value", r->p_value);
    if (x->adjust != RS_PADJUST_NONE) rs_record_num(rec, "p_adjusted", r->p_adjusted);
    rs_record_str(rec, "method", r->method);
    rs_record_str(rec, "note", r->problem);
  }
  char *n1 = g_strdup_printf(en ? "Period: %s.  %zu rows before, %zu after.  estimate = after - before, 95 %% CI."
                                : "Periode: %s.  %zu rader før, %zu etter.  estimate = etter - før, 95 %% KI.",
                             x->period_rule, x->rows_pre, x->rows_post);
  rs_results_add_note(out, n1);
  g_free(n1);
  rs_results_add_note(out, en ? "Indexes: mean of the items after reverse coding; items as answered (not reversed)."
                              : "Indekser: gjennomsnitt av spørsmålene etter snuing; spørsmålene slik de ble besvart (ikke snudd).");
  if (x->adjust != RS_PADJUST_NONE) {
    char *n2 = g_strdup_printf(en ? "p_adjusted: %s within each group, separately for the indexes and the items."
                                  : "p_adjusted: %s innen hver gruppe, for indeksene og spørsmålene hver for seg.",
                               rs_padjust_method_name(x->adjust));
    rs_results_add_note(out, n2);
    g_free(n2);
  }
  for (guint i = 0; i < x->notes->len; i++) rs_results_add_note(out, g_ptr_array_index(x->notes, i));
}

/* The items' one-pass distributions (rs_plotdata_likert_domains), items
 * shared out among threads; each item's numbers come from one thread. */
typedef struct {
  const rs_table *t;
  const rs_reform_outcomes_options *o;
  size_t nk;
  const int *dom;
  size_t m_dom, k_dom;
  const char *const *items;
  guint n_items;
  rs_plotdata_likert **dist;   /* [n_items * k_dom] */
  gboolean *one_pass;          /* [n_items] */
  gint next;
} likert_job;

static gpointer likert_worker(gpointer data) {
  likert_job *j = data;
  for (;;) {
    gint it = g_atomic_int_add(&j->next, 1);
    if (it >= (gint)j->n_items) break;
    j->one_pass[it] = rs_plotdata_likert_domains(j->t, j->o->rows, j->nk, j->dom, j->m_dom, j->k_dom, j->items[it],
                                                 j->o->weight, j->o->lang, &j->dist[(size_t)it * j->k_dom]);
  }
  return NULL;
}

static void likert_run(likert_job *j) {
  guint nthreads = MIN(MIN(rs_table_threads(), 8u), j->n_items);
  if (j->nk * j->n_items < 200000 || nthreads < 2) nthreads = 1;  /* threads do not pay for small tables */
  GThread *th[8];
  for (guint i = 1; i < nthreads; i++) th[i] = g_thread_new("likert", likert_worker, j);
  likert_worker(j);
  for (guint i = 1; i < nthreads; i++) g_thread_join(th[i]);
}

/* Frees the distributions left in dist[0 .. n) (NULL entries allowed) and dist. */
static void likert_dist_free(rs_plotdata_likert **dist, size_t n) {
  for (size_t a = 0; a < n; a++) rs_plotdata_likert_free(dist[a]);
  g_free(dist);
}

gboolean rs_reform_outcomes_likert(const rs_table *t, const rs_codebook *cb, const rs_reform_outcomes_options *o,
                                   rs_results *out, GError **err) {
  periods p = {0};
  GArray *groups = NULL, *specs = NULL;
  rs_reform_indexes *ix = NULL;
  gboolean ok = FALSE;
  bool en = o->lang && strcmp(o->lang, "en") == 0;
  if (!periods_make(t, o, &p, err)) goto out;
  if (!(groups = groups_make(t, &p, o->by, o->lang, err))) goto out;
  if (!(specs = outcomes_make(t, cb, o, &p, &ix, true, err))) goto out;
  /* items with an answer scale, grouped by codebook scale so that each call has one */
  GPtrArray *items = g_ptr_array_new();
  for (guint s = 0; s < specs->len; s++) {
    const outcome_spec *sp = &g_array_index(specs, outcome_spec, s);
    if (sp->is_index || sp->is_share) continue;
    const rs_column *c = &t->cols[sp->col];
    if (c->type != RS_TYPE_LIKERT && c->type != RS_TYPE_INTEGER) continue;
    g_ptr_array_add(items, sp->name);
  }
  g_ptr_array_add(items, NULL);
  size_t *sel = g_new(size_t, p.nk + 1);
  const char *pname[2] = {en ? "before" : "før", en ? "after" : "etter"};
  /* every (group, period) of an item in one pass (out[it][2 gi + period]); an item that pass cannot take (no
   * codebook scale, an infinite value) gets one call per group and period below, which reports the problem */
  guint n_items = items->len - 1, k_dom = 2 * groups->len;
  size_t m_dom = 1;
  for (size_t b = 0; o->by && o->by[b]; b++) m_dom++;
  int *dom = domains_of_rows(&p, groups, m_dom);
  rs_plotdata_likert **dist = g_new0(rs_plotdata_likert *, (size_t)n_items * k_dom + 1);
  gboolean *one_pass = g_new0(gboolean, n_items + 1);
  likert_job lj = {.t = t, .o = o, .nk = p.nk, .dom = dom, .m_dom = m_dom, .k_dom = k_dom,
                   .items = (const char *const *)items->pdata, .n_items = n_items, .dist = dist, .one_pass = one_pass};
  likert_run(&lj);
  g_free(dom);
  for (guint gi = 0; gi < groups->len && n_items > 0; gi++) {
    const group *g = &g_array_index(groups, group, gi);
    for (int per = 0; per < 2; per++) {
      size_t m = 0;
      for (size_t q = 0; q < g->n; q++)
        if (p.period[g->k[q]] == per) sel[m++] = trow(&p, g->k[q]);
      if (m == 0) continue;
      /* one distribution per item keeps each item's own scale (items of different indexes may differ) */
      for (guint it = 0; it < n_items; it++) {
        const char *one[2] = {g_ptr_array_index(items, it), NULL};
        GError *e = NULL;
        rs_plotdata_likert *d = NULL;
        if (one_pass[it]) {
          d = dist[(size_t)it * k_dom + 2 * gi + (guint)per];
          dist[(size_t)it * k_dom + 2 * gi + (guint)per] = NULL;
          if (!d) continue;   /* no answer in this group and period: nothing to draw */
        } else {
          d = rs_plotdata_likert_weighted(t, sel, m, one, o->weight, false, o->lang, &e);
        }
        if (!d) {
          /* no answer in this group and period: nothing to draw */
          if (e && e->code == RS_ERROR_VALUE && strstr(e->message, "none of the items")) { g_error_free(e); continue; }
          g_propagate_error(err, e);
          g_free(sel);
          g_ptr_array_free(items, TRUE);
          likert_dist_free(dist, (size_t)n_items * k_dom);
          g_free(one_pass);
          goto out;
        }
        for (size_t c = 0; c < d->n_cats; c++) {
          rs_record *r = rs_results_add(out);
          rs_record_str(r, "by", g->by_column ? g->by_column : "");  /* a CSV column for chart tools: empty = all rows */
          rs_record_str(r, "group", g->label ? g->label : (en ? "All" : "Alle"));
          rs_record_str(r, "period", pname[per]);
          rs_record_str(r, "name", d->names[0]);
          rs_record_str(r, "item", d->items[0]);
          rs_record_str(r, "category", d->cats[c]);
          rs_record_num(r, "code", d->codes[c]);
          rs_record_int(r, "n", (long long)d->n[0]);
          rs_record_num(r, "percent", d->percent[c]);
        }
        rs_plotdata_likert_free(d);
      }
    }
  }
  g_free(sel);
  g_ptr_array_free(items, TRUE);
  likert_dist_free(dist, (size_t)n_items * k_dom);
  g_free(one_pass);
  if (o->weight) rs_results_add_note(out, en ? "percent: weighted share of the answers" : "percent: vektet andel av svarene");
  ok = TRUE;
out:
  g_free(p.period);
  g_free(p.rule);
  groups_free(groups);
  specs_free(specs);
  rs_reform_indexes_free(ix);
  return ok;
}
