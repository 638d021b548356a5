/* compare.c — group comparisons of a table's columns (see compare.h).
 *
 * The statistics are tests.c's; this file only picks rows (outcome and
 * group present), forms groups and tables of counts, and writes records:
 *   section "Tests":        one record per outcome (p_adjusted with --adjust)
 *   section "Effect sizes": Cohen's d and Hedges' g, d_z, odds ratio, risk
 *                           ratio, risk difference, Cramér's V
 *   section "Groups":       n and mean (SE), or proportion with Wilson and
 *                           Clopper–Pearson intervals, per group
 */
#include "analysis/compare.h"
#include "datasets/limits.h"
#include "datasets/privacy.h"
#include "analysis/survey.h"
#include "analysis/tests.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <math.h>
#include <string.h>

static const char *const test_names[] = {"auto", "welch", "student", "paired", "mann-whitney", "signed-rank",
                                         "chisq", "fisher", "prop", "anova", "kruskal"};

int rs_compare_test_from_name(const char *name) {
  if (!name) return RS_COMPARE_AUTO;
  for (int i = 0; i < (int)G_N_ELEMENTS(test_names); i++)
    if (g_ascii_strcasecmp(name, test_names[i]) == 0) return i;
  if (g_ascii_strcasecmp(name, "wilcoxon") == 0 || g_ascii_strcasecmp(name, "rank-sum") == 0) return RS_COMPARE_MANN_WHITNEY;
  if (g_ascii_strcasecmp(name, "t") == 0) return RS_COMPARE_WELCH;
  return -1;
}

void rs_compare_options_init(rs_compare_options *o) { memset(o, 0, sizeof *o); }

const char rs_compare_weighted_tests[] =
    "auto, welch (design-based t test, as survey::svyttest), anova (design-based Wald test, as regTermTest) "
    "or chisq (Rao-Scott, as svychisq)";

static bool weighted_test(rs_compare_test t) {
  return t == RS_COMPARE_AUTO || t == RS_COMPARE_WELCH || t == RS_COMPARE_ANOVA || t == RS_COMPARE_CHISQ;
}

/* ---- levels of a column ----------------------------------------------------- */

typedef struct {
  char *key, *label;   /* level as text; with its codebook label ("1 barnekoordinator") */
  double code;         /* NAN for text */
  GArray *rows;        /* of size_t */
} level;

static void level_free(level *l) {
  g_free(l->key);
  g_free(l->label);
  g_array_free(l->rows, TRUE);
  g_free(l);
}

static char *cell_text(const rs_column *c, size_t i) {
  if (c->storage == RS_STORE_STR) return g_strdup(c->str[i]);
  char buf[32];
  if (c->type == RS_TYPE_DATE) rs_value_format_date((int32_t)c->num[i], buf);
  else rs_value_format_double(c->num[i], buf);
  return g_strdup(buf);
}

static int level_cmp(gconstpointer a, gconstpointer b) {
  const level *x = *(level *const *)a, *y = *(level *const *)b;
  if (!isnan(x->code) && !isnan(y->code)) return (x->code > y->code) - (x->code < y->code);
  return g_utf8_collate(x->key, y->key);
}

/* Within --max-levels (limits.h)?  `role` is "--by" or "the outcome". */
static gboolean levels_fit(const rs_table *t, const rs_column *c, const char *role, guint n, GError **err) {
  /* the levels become labels of the output: never ids or free text (privacy.h) */
  if (!rs_privacy_check(t, c, role, err)) return FALSE;
  char *what = g_strdup_printf("%s: %s '%s'", t->path, role, c->name);
  gboolean ok = rs_limits_check_levels(n, what, err);
  g_free(what);
  return ok;
}

/* Levels of c over rows (all present), sorted by code or text.  Counting
 * stops past --max-levels (the caller refuses the column then), so that an
 * id column of millions of rows is not grouped in full first. */
static GPtrArray *levels_of(const rs_column *c, const size_t *rows, size_t n) {
  GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *ls = g_ptr_array_new_with_free_func((GDestroyNotify)level_free);
  size_t max = rs_limits_max_levels();
  for (size_t k = 0; k < n && ls->len <= max; k++) {
    size_t i = rows[k];
    char *t = cell_text(c, i);
    level *l = g_hash_table_lookup(h, t);
    if (!l) {
      l = g_new0(level, 1);
      l->key = t;
      l->code = c->storage == RS_STORE_NUM ? c->num[i] : NAN;
      l->rows = g_array_new(FALSE, FALSE, sizeof(size_t));
      g_hash_table_insert(h, l->key, l);
      g_ptr_array_add(ls, l);
    } else {
      g_free(t);
    }
    g_array_append_val(l->rows, i);
  }
  g_hash_table_destroy(h);
  g_ptr_array_sort(ls, level_cmp);
  for (guint k = 0; k < ls->len; k++) {
    level *l = g_ptr_array_index(ls, k);
    const char *lab = c->var ? rs_codebook_value_label(c->var, l->code, c->storage == RS_STORE_STR ? l->key : NULL) : NULL;
    l->label = lab ? g_strdup_printf("%s %s", l->key, lab) : g_strdup(l->key);
  }
  return ls;
}

static int level_index(GPtrArray *ls, const char *key) {
  for (guint k = 0; k < ls->len; k++)
    if (strcmp(((level *)g_ptr_array_index(ls, k))->key, key) == 0) return (int)k;
  return -1;
}

static bool numeric_outcome(const rs_column *c) {
  if (c->storage != RS_STORE_NUM) return false;
  return c->type == RS_TYPE_NUMERIC || c->type == RS_TYPE_INTEGER || c->type == RS_TYPE_LIKERT || c->type == RS_TYPE_WEIGHT;
}

static bool two_group_test(rs_compare_test t) {
  return t == RS_COMPARE_WELCH || t == RS_COMPARE_STUDENT || t == RS_COMPARE_PAIRED || t == RS_COMPARE_MANN_WHITNEY ||
         t == RS_COMPARE_SIGNED_RANK || t == RS_COMPARE_PROP;
}

static double *values(const rs_column *c, const level *l) {
  double *x = g_new(double, l->rows->len ? l->rows->len : 1);
  for (guint k = 0; k < l->rows->len; k++) x[k] = c->num[g_array_index(l->rows, size_t, k)];
  return x;
}

/* ---- writing records ---------------------------------------------------------- */

/* Records are collected per section and written at the end, so that the
 * tests of all outcomes form one table. */
typedef struct {
  char *name, *group, *method, *level;
  rs_test r;
  bool has_adj;
  double p_adj;
} pending;

static void pending_free(pending *p) {
  g_free(p->name);
  g_free(p->group);
  g_free(p->method);
  g_free(p->level);
  g_free(p);
}

static pending *add(GPtrArray *set, const char *name, const char *group, const char *level, const rs_test *r,
                    const char *method) {
  pending *p = g_new0(pending, 1);
  p->name = g_strdup(name);
  p->group = g_strdup(group);
  p->level = g_strdup(level);
  p->r = *r;
  p->method = g_strdup(method ? method : r->method);
  g_ptr_array_add(set, p);
  return p;
}

typedef struct {
  GPtrArray *tests, *effects, *groups;   /* of pending* */
} pending_sets;

/* An effect size that may be undefined: the reason goes into the method. */
static void add_effect(GPtrArray *set, const char *name, const char *group, const char *level, gboolean ok,
                       const rs_test *r, const char *what, GError *e) {
  if (ok) {
    add(set, name, group, level, r, NULL);
  } else {
    rs_test none;
    rs_test_clear(&none);
    char *m = g_strdup_printf("%s: not computed (%s)", what, e ? e->message : "undefined");
    add(set, name, group, level, &none, m);
    g_free(m);
  }
  if (e) g_error_free(e);
}

/* ---- one outcome ----------------------------------------------------------------- */

typedef struct {
  const rs_table *t;
  const rs_compare_options *o;
  const rs_column *y, *g;
  pending_sets *ps;
  GPtrArray *notes;
} ctx;

static gboolean outcome_error(GError **err, const ctx *c, GError *e) {
  g_set_error(err, RS_ERROR, e->code == RS_ERROR_LIMIT ? RS_ERROR_LIMIT : RS_ERROR_VALUE, "%s: outcome '%s' by '%s': %s",
              c->t->path, c->y->name, c->g->name, e->message);
  g_error_free(e);
  return FALSE;
}

static void group_means(const ctx *c, GPtrArray *gl) {
  for (guint k = 0; k < gl->len; k++) {
    const level *l = g_ptr_array_index(gl, k);
    double *x = values(c->y, l);
    size_t n = l->rows->len;
    rs_test r;
    rs_test_clear(&r);
    r.n = n;
    long double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    long double m = s / (long double)n, ss = 0, sd = 0;
    for (size_t i = 0; i < n; i++) { long double d = x[i] - m; ss += d * d; sd += d; }
    r.estimate = (double)(m + sd / (long double)n);
    if (n > 1) r.se = sqrt((double)((ss - sd * sd / (long double)n) / (long double)(n - 1)) / (double)n);
    add(c->ps->groups, c->y->name, l->label, NULL, &r, "mean (SE)");
    g_free(x);
  }
}

static gboolean run_numeric(const ctx *c, rs_compare_test test, GPtrArray *gl, const size_t *rows, size_t nrows,
                            pending **main, GError **err) {
  const char *yname = c->y->name;
  GError *e = NULL;
  rs_test r;
  if (test == RS_COMPARE_ANOVA || test == RS_COMPARE_KRUSKAL) {
    double *y = g_new(double, nrows);
    int *g = g_new(int, nrows);
    size_t m = 0;
    for (guint k = 0; k < gl->len; k++) {
      const level *l = g_ptr_array_index(gl, k);
      for (guint i = 0; i < l->rows->len; i++) { y[m] = c->y->num[g_array_index(l->rows, size_t, i)]; g[m++] = (int)k; }
    }
    (void)rows;
    gboolean okk = test == RS_COMPARE_ANOVA ? rs_tests_anova(y, g, m, (int)gl->len, &r, &e)
                                            : rs_tests_kruskal(y, g, m, (int)gl->len, &r, &e);
    g_free(y);
    g_free(g);
    if (!okk) return outcome_error(err, c, e);
    char *grp = g_strdup_printf("%u groups", gl->len);
    *main = add(c->ps->tests, yname, grp, NULL, &r, NULL);
    g_free(grp);
    group_means(c, gl);
    return TRUE;
  }
  const level *a = g_ptr_array_index(gl, 0), *b = g_ptr_array_index(gl, 1);
  char *grp = g_strdup_printf("%s vs %s", a->label, b->label);
  double *x = NULL, *y = NULL;
  size_t nx, ny;
  gboolean okk;
  if (test == RS_COMPARE_PAIRED || test == RS_COMPARE_SIGNED_RANK) {
    /* pairs: the same id in both groups */
    int idc = rs_table_find(c->t, c->o->id);
    const rs_column *id = &c->t->cols[idc];
    GHashTable *second = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < b->rows->len; i++) {
      size_t row = g_array_index(b->rows, size_t, i);
      char *key = cell_text(id, row);
      if (g_hash_table_contains(second, key)) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d: id '%s' occurs twice in group '%s' of '%s'; a paired test needs one row per id and group",
                    c->t->path, c->t->row_line ? c->t->row_line[row] : (int)row + 2, key, b->label, c->g->name);
        g_free(key);
        g_hash_table_destroy(second);
        g_free(grp);
        return FALSE;
      }
      g_hash_table_insert(second, key, GSIZE_TO_POINTER(row + 1));
    }
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    x = g_new(double, a->rows->len ? a->rows->len : 1);
    y = g_new(double, a->rows->len ? a->rows->len : 1);
    nx = 0;
    for (guint i = 0; i < a->rows->len; i++) {
      size_t row = g_array_index(a->rows, size_t, i);
      char *key = cell_text(id, row);
      if (g_hash_table_contains(seen, key)) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d: id '%s' occurs twice in group '%s' of '%s'; a paired test needs one row per id and group",
                    c->t->path, c->t->row_line ? c->t->row_line[row] : (int)row + 2, key, a->label, c->g->name);
        g_free(key);
        g_hash_table_destroy(seen);
        g_hash_table_destroy(second);
        g_free(x); g_free(y); g_free(grp);
        return FALSE;
      }
      size_t other = GPOINTER_TO_SIZE(g_hash_table_lookup(second, key));
      if (other) { x[nx] = c->y->num[row]; y[nx++] = c->y->num[other - 1]; }
      g_hash_table_insert(seen, key, NULL);
    }
    size_t unmatched = a->rows->len + b->rows->len - 2 * nx;
    g_hash_table_destroy(seen);
    g_hash_table_destroy(second);
    if (unmatched)
      g_ptr_array_add(c->notes, g_strdup_printf("%s: %zu row%s without a partner (same '%s' in the other group) left out of the paired test.",
                                                yname, unmatched, unmatched == 1 ? "" : "s", c->o->id));
    okk = test == RS_COMPARE_PAIRED ? rs_tests_paired_t(x, y, nx, &r, &e) : rs_tests_signed_rank(x, y, nx, &r, &e);
    if (!okk) { g_free(x); g_free(y); g_free(grp); return outcome_error(err, c, e); }
    *main = add(c->ps->tests, yname, grp, NULL, &r, NULL);
    if (test == RS_COMPARE_PAIRED) {
      rs_test d;
      okk = rs_tests_cohen_dz(x, y, nx, &d, &e);
      add_effect(c->ps->effects, yname, grp, NULL, okk, &d, "Cohen's d_z", e);
    }
    g_free(x);
    g_free(y);
    g_free(grp);
    group_means(c, gl);
    return TRUE;
  }
  x = values(c->y, a);
  y = values(c->y, b);
  nx = a->rows->len;
  ny = b->rows->len;
  if (test == RS_COMPARE_MANN_WHITNEY) okk = rs_tests_rank_sum(x, nx, y, ny, &r, &e);
  else okk = rs_tests_t(x, nx, y, ny, test == RS_COMPARE_STUDENT, &r, &e);
  if (!okk) { g_free(x); g_free(y); g_free(grp); return outcome_error(err, c, e); }
  *main = add(c->ps->tests, yname, grp, NULL, &r, NULL);
  if (test != RS_COMPARE_MANN_WHITNEY) {
    for (int h = 0; h < 2; h++) {
      rs_test d;
      okk = rs_tests_cohen_d(x, nx, y, ny, h == 1, &d, &e);
      add_effect(c->ps->effects, yname, grp, NULL, okk, &d, h ? "Hedges' g" : "Cohen's d", e);
      e = NULL;
    }
  }
  g_free(x);
  g_free(y);
  g_free(grp);
  group_means(c, gl);
  return TRUE;
}

static gboolean run_counts(const ctx *c, rs_compare_test test, GPtrArray *gl, const size_t *rows, size_t nrows,
                           pending **main, GError **err) {
  const char *yname = c->y->name;
  GPtrArray *yl = levels_of(c->y, rows, nrows);
  GError *e = NULL;
  gboolean result = FALSE;
  int succ = -1;
  if (!levels_fit(c->t, c->y, "the outcome", yl->len, err)) goto out;
  if (c->o->success) {
    succ = level_index(yl, c->o->success);
    if (succ < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --success '%s' is not a value of '%s'", c->t->path, c->o->success, yname);
      goto out;
    }
  }
  bool binary = yl->len == 2 || (succ >= 0 && test == RS_COMPARE_PROP);
  if (test == RS_COMPARE_PROP && !binary) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: outcome '%s' has %u values; the test of two proportions needs exactly 2 (or --success VALUE)",
                c->t->path, yname, yl->len);
    goto out;
  }
  if (yl->len < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: outcome '%s' has only one value ('%s') where '%s' is present; there is nothing to compare",
                c->t->path, yname, yl->len ? ((level *)g_ptr_array_index(yl, 0))->key : "", c->g->name);
    goto out;
  }
  if (succ < 0) succ = (int)yl->len - 1;
  const char *succ_key = ((level *)g_ptr_array_index(yl, succ))->label;
  int nr = (int)gl->len, nc = binary ? 2 : (int)yl->len;
  /* rows = groups; columns = outcome levels, or [success, other] when binary */
  long *cnt = g_new0(long, (size_t)nr * nc);
  for (int i = 0; i < nr; i++) {
    const level *l = g_ptr_array_index(gl, i);
    for (guint k = 0; k < l->rows->len; k++) {
      char *t = cell_text(c->y, g_array_index(l->rows, size_t, k));
      int j = level_index(yl, t);
      g_free(t);
      if (binary) j = j == succ ? 0 : 1;
      cnt[i * nc + j]++;
    }
  }
  double *dc = g_new(double, (size_t)nr * nc);
  for (int k = 0; k < nr * nc; k++) dc[k] = (double)cnt[k];
  char *grp = nr == 2 ? g_strdup_printf("%s vs %s", ((level *)g_ptr_array_index(gl, 0))->label,
                                        ((level *)g_ptr_array_index(gl, 1))->label)
                      : g_strdup_printf("%d groups", nr);
  const char *lev = binary ? succ_key : NULL;
  rs_test r;
  gboolean okk;
  bool yates = !c->o->no_continuity;
  if (test == RS_COMPARE_CHISQ) {
    double emin;
    okk = rs_tests_chisq(dc, nr, nc, yates, &r, &emin, &e);
    if (okk && emin < 5)
      g_ptr_array_add(c->notes, g_strdup_printf("%s: an expected count is below 5 (%.3g); the chi-square approximation may be incorrect (consider --test fisher).",
                                                yname, emin));
  } else if (test == RS_COMPARE_FISHER) {
    okk = nr == 2 && nc == 2 ? rs_tests_fisher_2x2(cnt[0], cnt[1], cnt[2], cnt[3], &r, &e)
                             : rs_tests_fisher_rxc(cnt, nr, nc, c->o->fisher_max_tables, &r, &e);
  } else {
    okk = rs_tests_prop2(cnt[0], cnt[0] + cnt[1], cnt[2], cnt[2] + cnt[3], yates, &r, &e);
  }
  if (!okk) {
    outcome_error(err, c, e);
  } else {
    *main = add(c->ps->tests, yname, grp, nr == 2 && nc == 2 ? lev : NULL, &r, NULL);
    rs_test s;
    if (test == RS_COMPARE_CHISQ || (test == RS_COMPARE_FISHER && !(nr == 2 && nc == 2))) {
      okk = rs_tests_cramers_v(dc, nr, nc, &s, &e);
      add_effect(c->ps->effects, yname, grp, NULL, okk, &s, "Cramér's V", e);
      e = NULL;
    }
    if (nr == 2 && nc == 2) {
      long a = cnt[0], b = cnt[1], cc = cnt[2], d = cnt[3];
      okk = rs_tests_odds_ratio(a, b, cc, d, &s, &e);
      add_effect(c->ps->effects, yname, grp, lev, okk, &s, "odds ratio", e);
      e = NULL;
      okk = rs_tests_risk_ratio(a, b, cc, d, &s, &e);
      add_effect(c->ps->effects, yname, grp, lev, okk, &s, "risk ratio", e);
      e = NULL;
      if (test != RS_COMPARE_PROP) {
        okk = rs_tests_prop2(a, a + b, cc, cc + d, false, &s, &e);
        if (okk) {
          s.statistic = s.df = s.p_value = NAN;
          s.method = "risk difference, Wald CI (as prop.test without continuity correction)";
        }
        add_effect(c->ps->effects, yname, grp, lev, okk, &s, "risk difference", e);
        e = NULL;
      }
    }
    /* per group: counts, and for a binary outcome the proportion with Wilson and Clopper–Pearson intervals */
    for (int i = 0; i < nr; i++) {
      const level *l = g_ptr_array_index(gl, i);
      long ni = 0;
      for (int j = 0; j < nc; j++) ni += cnt[i * nc + j];
      if (binary) {
        /* intervals only: the tests of p = 0.5 these functions also give are no question anyone asked */
        okk = rs_tests_wilson(cnt[i * nc], ni, &s, &e);
        s.statistic = s.df = s.p_value = NAN;
        s.method = "proportion, Wilson score interval (as prop.test, correct = FALSE)";
        add_effect(c->ps->groups, yname, l->label, lev, okk, &s, "Wilson", e);
        e = NULL;
        okk = rs_tests_clopper_pearson(cnt[i * nc], ni, &s, &e);
        s.statistic = s.df = s.p_value = NAN;
        s.method = "proportion, Clopper-Pearson exact interval (as binom.test)";
        add_effect(c->ps->groups, yname, l->label, lev, okk, &s, "Clopper-Pearson", e);
        e = NULL;
      } else {
        for (int j = 0; j < nc; j++) {
          rs_test_clear(&s);
          s.n = (size_t)cnt[i * nc + j];
          s.estimate = (double)cnt[i * nc + j] / (double)ni;
          add(c->ps->groups, yname, l->label, ((level *)g_ptr_array_index(yl, j))->label, &s, "count and proportion within the group");
        }
      }
    }
    result = TRUE;
  }
  g_free(grp);
  g_free(cnt);
  g_free(dc);
out:
  g_ptr_array_free(yl, TRUE);
  return result;
}

/* ---- design-based (survey-weighted) tests ----------------------------------------- */

static gboolean run_survey(const ctx *c, rs_compare_test test, bool counts, GPtrArray *gl, const size_t *rows,
                           size_t nrows, pending **main, GError **err) {
  const rs_table *t = c->t;
  const char *yname = c->y->name;
  GError *e = NULL;
  rs_svy_design *d = rs_svy_design_from_table_rows(t, rows, nrows, c->o->weight, c->o->strata, c->o->cluster, &e);
  if (!d) {   /* the message names the file and the column already */
    g_propagate_error(err, e);
    return FALSE;
  }
  /* design row k is table row rows[k]; gi[k] its group */
  int k = (int)gl->len;
  int *gi = g_new(int, nrows ? nrows : 1), *pos = g_new(int, t->nrows ? t->nrows : 1);
  for (size_t i = 0; i < nrows; i++) pos[rows[i]] = (int)i;
  for (int j = 0; j < k; j++) {
    const level *l = g_ptr_array_index(gl, j);
    for (guint i = 0; i < l->rows->len; i++) gi[pos[g_array_index(l->rows, size_t, i)]] = j;
  }
  g_free(pos);
  char *grp = k == 2 ? g_strdup_printf("%s vs %s", ((level *)g_ptr_array_index(gl, 0))->label,
                                       ((level *)g_ptr_array_index(gl, 1))->label)
                     : g_strdup_printf("%d groups", k);
  gboolean ok = FALSE;
  rs_test r;
  double *y = NULL;
  int *yi = NULL;
  GPtrArray *yl = NULL;
  if (!counts) {
    y = g_new(double, nrows ? nrows : 1);
    for (size_t i = 0; i < nrows; i++) y[i] = c->y->num[rows[i]];
    ok = test == RS_COMPARE_WELCH || (test == RS_COMPARE_AUTO && k == 2) ? rs_svy_ttest(d, y, gi, &r, &e)
                                                                         : rs_svy_wald_groups(d, y, gi, k, &r, &e);
    if (!ok) { outcome_error(err, c, e); goto out; }
    *main = add(c->ps->tests, yname, grp, NULL, &r, NULL);
    rs_svy_estimate *est = g_new(rs_svy_estimate, k);
    double *V = g_new(double, (size_t)k * k);
    if (rs_svy_group_means(d, y, gi, k, est, V, NULL)) {
      for (int j = 0; j < k; j++) {
        rs_test s;
        rs_test_clear(&s);
        s.n = est[j].n;
        s.estimate = est[j].mean;
        s.se = est[j].se;
        add(c->ps->groups, yname, ((level *)g_ptr_array_index(gl, j))->label, NULL, &s,
            "weighted mean (linearised SE), as svyby(~y, ~g, design, svymean)");
      }
    }
    g_free(est);
    g_free(V);
  } else {
    yl = levels_of(c->y, rows, nrows);
    if (!levels_fit(t, c->y, "the outcome", yl->len, err)) goto out;
    if (yl->len < 2) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: outcome '%s' has only one value ('%s') where '%s' is present; there is nothing to compare",
                  t->path, yname, yl->len ? ((level *)g_ptr_array_index(yl, 0))->key : "", c->g->name);
      goto out;
    }
    yi = g_new(int, nrows ? nrows : 1);
    for (size_t i = 0; i < nrows; i++) {
      char *txt = cell_text(c->y, rows[i]);
      yi[i] = level_index(yl, txt);
      g_free(txt);
    }
    ok = rs_svy_chisq(d, yi, gi, (int)yl->len, k, &r, &e);
    if (!ok) { outcome_error(err, c, e); goto out; }
    *main = add(c->ps->tests, yname, grp, NULL, &r, NULL);
    /* per group: the weighted proportion of each outcome value (svyby(~y, ~g, design, svymean)) */
    double *ind = g_new(double, nrows ? nrows : 1);
    size_t *in = g_new(size_t, nrows ? nrows : 1);
    for (int j = 0; j < k; j++) {
      size_t m = 0;
      for (size_t i = 0; i < nrows; i++)
        if (gi[i] == j) in[m++] = i;
      for (guint v = 0; v < yl->len; v++) {
        for (size_t i = 0; i < nrows; i++) ind[i] = yi[i] == (int)v;
        rs_svy_estimate est;
        rs_svy_mean(d, ind, in, m, &est);
        rs_test s;
        rs_test_clear(&s);
        s.n = 0;
        for (size_t i = 0; i < m; i++) s.n += yi[in[i]] == (int)v;
        s.estimate = est.mean;
        s.se = est.se;
        add(c->ps->groups, yname, ((level *)g_ptr_array_index(gl, j))->label, ((level *)g_ptr_array_index(yl, v))->label,
            &s, "weighted proportion within the group (linearised SE), as svyby(~y, ~g, design, svymean)");
      }
    }
    g_free(ind);
    g_free(in);
  }
  GString *note = g_string_new(NULL);
  g_string_printf(note, "%s: survey design on %zu rows: weights '%s'", yname, nrows, c->o->weight);
  if (c->o->strata) g_string_append_printf(note, ", strata '%s' (%zu)", c->o->strata, rs_svy_design_strata(d));
  if (c->o->cluster) g_string_append_printf(note, ", clusters '%s' (%zu PSUs)", c->o->cluster, rs_svy_design_psus(d));
  else g_string_append(note, ", each row its own PSU");
  g_string_append_printf(note, ", sampled with replacement; design df %g.", rs_svy_design_df(d));
  g_ptr_array_add(c->notes, g_string_free(note, FALSE));
out:
  if (yl) g_ptr_array_free(yl, TRUE);
  g_free(yi);
  g_free(y);
  g_free(gi);
  g_free(grp);
  rs_svy_design_free(d);
  return ok;
}

static gboolean one_outcome(const ctx *c, pending **main, GError **err) {
  const rs_table *t = c->t;
  const rs_column *y = c->y, *g = c->g;
  rs_compare_test test = c->o->test;
  const rs_column *id = NULL;
  if (test == RS_COMPARE_PAIRED || test == RS_COMPARE_SIGNED_RANK) id = &t->cols[rs_table_find(t, c->o->id)];
  if (c->o->weight) id = &t->cols[rs_table_find(t, c->o->weight)];   /* rows without a weight are left out too */
  size_t *rows = g_new(size_t, t->nrows ? t->nrows : 1), n = 0, ny = 0;
  for (size_t i = 0; i < t->nrows; i++) {
    if (!rs_column_present(y, i)) continue;
    ny++;
    if (rs_column_present(g, i) && (!id || rs_column_present(id, i))) rows[n++] = i;
  }
  if (ny == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: column '%s' has no values: all %zu rows are missing", t->path, y->name, t->nrows);
    g_free(rows);
    return FALSE;
  }
  if (n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has both '%s' and '%s'%s%s%s present", t->path, y->name, g->name,
                id ? " and '" : "", id ? id->name : "", id ? "'" : "");
    g_free(rows);
    return FALSE;
  }
  if (n < t->nrows)
    g_ptr_array_add(c->notes, g_strdup_printf("%s: %zu of %zu rows left out (missing '%s' or '%s'%s%s%s).", y->name, t->nrows - n, t->nrows,
                                              y->name, g->name, id ? " or '" : "", id ? id->name : "", id ? "'" : ""));
  bool numeric = numeric_outcome(y);
  GPtrArray *gl = levels_of(g, rows, n);
  if (test == RS_COMPARE_AUTO) test = !numeric ? RS_COMPARE_CHISQ : gl->len == 2 ? RS_COMPARE_WELCH : RS_COMPARE_ANOVA;
  gboolean ok = FALSE;
  const char *tname = test_names[test];
  bool counts = test == RS_COMPARE_CHISQ || test == RS_COMPARE_FISHER || test == RS_COMPARE_PROP;
  if (!counts && !numeric) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: outcome '%s' is of type %s, not a number; --test %s needs a numeric outcome (use chisq, fisher or prop for categories)",
                t->path, y->name, rs_type_name(y->type), tname);
  } else if (!levels_fit(t, g, "--by", gl->len, err)) {
    /* err set */
  } else if (gl->len < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: --by '%s' has only one group ('%s') where '%s' is present; there is nothing to compare",
                t->path, g->name, gl->len ? ((level *)g_ptr_array_index(gl, 0))->key : "", y->name);
  } else if (two_group_test(test) && gl->len != 2) {
    GString *names = g_string_new(NULL);
    for (guint k = 0; k < gl->len && k < 6; k++) g_string_append_printf(names, "%s'%s'", k ? ", " : "", ((level *)g_ptr_array_index(gl, k))->key);
    if (gl->len > 6) g_string_append(names, ", …");
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' has %u groups (%s) where '%s' is present; --test %s compares exactly 2 "
                "(use --test anova, kruskal or chisq for more, or choose the rows first)",
                t->path, g->name, gl->len, names->str, y->name, tname);
    g_string_free(names, TRUE);
  } else {
    ok = c->o->weight ? run_survey(c, test, counts, gl, rows, n, main, err)
       : counts     ? run_counts(c, test, gl, rows, n, main, err)
                    : run_numeric(c, test, gl, rows, n, main, err);
  }
  g_ptr_array_free(gl, TRUE);
  g_free(rows);
  return ok;
}

static void write_set(rs_results *out, GPtrArray *set, const char *title, bool adjusted) {
  if (!set->len) return;
  rs_results_section(out, title);
  for (guint i = 0; i < set->len; i++) {
    const pending *p = g_ptr_array_index(set, i);
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "name", p->name);
    rs_record_str(rec, "group", p->group);
    rs_record_str(rec, "level", p->level);
    rs_record_int(rec, "n", (long long)p->r.n);
    rs_record_num(rec, "estimate", p->r.estimate);
    rs_record_num(rec, "se", p->r.se);
    rs_record_num(rec, "ci_low", p->r.ci_low);
    rs_record_num(rec, "ci_high", p->r.ci_high);
    rs_record_num(rec, "statistic", p->r.statistic);
    rs_record_num(rec, "df", p->r.df);
    rs_record_num(rec, "df2", p->r.df2);
    rs_record_num(rec, "p_value", p->r.p_value);
    if (adjusted && p->has_adj) rs_record_num(rec, "p_adjusted", p->p_adj);
    rs_record_str(rec, "method", p->method);
  }
}

gboolean rs_compare_table(const rs_table *t, const rs_compare_options *o, rs_results *out, GError **err) {
  if (!o->outcomes || !o->outcomes[0]) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give the outcome column with --outcome VAR");
    return FALSE;
  }
  if (!o->by) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give the grouping column with --by VAR");
    return FALSE;
  }
  int gi = rs_table_find(t, o->by);
  if (gi < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' is not a column of the file", t->path, o->by);
    return FALSE;
  }
  if ((o->strata || o->cluster) && !o->weight) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--%s describes a survey design and needs --weight", o->strata ? "strata" : "cluster");
    return FALSE;
  }
  if (o->weight) {
    if (!weighted_test(o->test)) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--test %s does not take survey weights; with --weight use %s", test_names[o->test],
                  rs_compare_weighted_tests);
      return FALSE;
    }
    const char *names[3] = {o->weight, o->strata, o->cluster}, *opts[3] = {"--weight", "--strata", "--cluster"};
    for (int k = 0; k < 3; k++)
      if (names[k] && rs_table_find(t, names[k]) < 0) {
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: %s '%s' is not a column of the file", t->path, opts[k], names[k]);
        return FALSE;
      }
  }
  bool paired = o->test == RS_COMPARE_PAIRED || o->test == RS_COMPARE_SIGNED_RANK;
  if (paired && !o->id) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--test %s needs --id VAR, the column that matches rows across the two groups", test_names[o->test]);
    return FALSE;
  }
  if (o->id && rs_table_find(t, o->id) < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --id '%s' is not a column of the file", t->path, o->id);
    return FALSE;
  }
  for (const char *const *v = o->outcomes; *v; v++) {
    if (rs_table_find(t, *v) < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --outcome names '%s', which is not a column of the file", t->path, *v);
      return FALSE;
    }
    if (strcmp(*v, o->by) == 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "'%s' is both the outcome and the grouping column", *v);
      return FALSE;
    }
  }
  pending_sets ps = {g_ptr_array_new_with_free_func((GDestroyNotify)pending_free),
                     g_ptr_array_new_with_free_func((GDestroyNotify)pending_free),
                     g_ptr_array_new_with_free_func((GDestroyNotify)pending_free)};
  GPtrArray *notes = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *mains = g_ptr_array_new();
  gboolean ok = TRUE;
  for (const char *const *v = o->outcomes; *v && ok; v++) {
    ctx c = {.t = t, .o = o, .y = &t->cols[rs_table_find(t, *v)], .g = &t->cols[gi], .ps = &ps, .notes = notes};
    pending *m = NULL;
    ok = one_outcome(&c, &m, err);
    if (ok && m) g_ptr_array_add(mains, m);
  }
  if (ok) {
    bool adjusted = o->adjust != RS_PADJUST_NONE;
    if (adjusted) {
      double *p = g_new(double, mains->len ? mains->len : 1);
      for (guint i = 0; i < mains->len; i++) p[i] = ((pending *)g_ptr_array_index(mains, i))->r.p_value;
      rs_padjust(p, mains->len, o->adjust, p);
      for (guint i = 0; i < mains->len; i++) {
        pending *m = g_ptr_array_index(mains, i);
        m->has_adj = true;
        m->p_adj = p[i];
      }
      g_free(p);
      char *note = g_strdup_printf("p_adjusted: %s adjustment over the %u outcomes' tests (R's p.adjust).",
                                   rs_padjust_method_name(o->adjust), mains->len);
      rs_results_add_note(out, note);
      g_free(note);
    }
    write_set(out, ps.tests, "Tests", adjusted);
    write_set(out, ps.effects, "Effect sizes (95% CI)", false);
    write_set(out, ps.groups, "Groups", false);
    rs_results_add_note(out, "All tests two-sided; intervals 95%.");
    for (guint i = 0; i < notes->len; i++) rs_results_add_note(out, g_ptr_array_index(notes, i));
  }
  g_ptr_array_free(mains, TRUE);
  g_ptr_array_free(notes, TRUE);
  g_ptr_array_free(ps.tests, TRUE);
  g_ptr_array_free(ps.effects, TRUE);
  g_ptr_array_free(ps.groups, TRUE);
  return ok;
}
