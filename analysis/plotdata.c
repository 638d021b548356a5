/* plotdata.c — the numbers behind each chart (see plotdata.h).  Means and
 * SEs come from describe.h (rs_describe_numeric) and survey.h
 * (rs_svy_mean); quantiles from rs_describe_quantile7; t and normal
 * quantiles from GSL.  Nothing here draws. */
#include "analysis/plotdata.h"
#include "analysis/describe.h"
#include "analysis/survey.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *file_of(const rs_table *t) { return t->path ? t->path : "data"; }

static const rs_column *numeric_column(const rs_table *t, const char *name, const char *role, GError **err) {
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (%s)", file_of(t), name, role);
    return NULL;
  }
  const rs_column *c = &t->cols[j];
  if (c->storage != RS_STORE_NUM || c->type == RS_TYPE_DATE) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: column '%s' (%s) is %s, not a number", file_of(t), name, role,
                rs_type_name(c->type));
    return NULL;
  }
  return c;
}

static const rs_column *any_column(const rs_table *t, const char *name, const char *role, GError **err) {
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (%s)", file_of(t), name, role);
    return NULL;
  }
  return &t->cols[j];
}

static char *col_label(const rs_column *c, const char *lang) {
  const char *l = c->var ? rs_cb_var_label(c->var, lang) : NULL;
  return g_strdup(l && *l ? l : c->name);
}

/* Fails on an infinite value among the rows used. */
static gboolean check_finite(const rs_table *t, const rs_column *c, const size_t *rows, size_t n, GError **err) {
  for (size_t k = 0; k < n; k++) {
    size_t i = rows ? rows[k] : k;
    if (rs_column_present(c, i) && !isfinite(c->num[i])) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s, line %d, column '%s': the value is infinite; a chart needs finite numbers",
                  file_of(t), t->row_line ? t->row_line[i] : (int)i + 2, c->name);
      return FALSE;
    }
  }
  return TRUE;
}

/* ---- levels of a grouping column ---- */

typedef struct {
  const rs_column *c;
  GPtrArray *labels;     /* level labels, in order */
  double *codes;         /* numeric storage: sorted distinct codes */
  char **texts;          /* string storage: sorted distinct texts */
  size_t n;
} levels;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) { return g_utf8_collate(*(char *const *)a, *(char *const *)b); }

static void levels_init(levels *L, const rs_column *c, const size_t *rows, size_t n) {
  memset(L, 0, sizeof *L);
  L->c = c;
  L->labels = g_ptr_array_new_with_free_func(g_free);
  GHashTable *seen = c->storage == RS_STORE_NUM ? g_hash_table_new(g_double_hash, g_double_equal)
                                                : g_hash_table_new(g_str_hash, g_str_equal);
  GArray *codes = g_array_new(FALSE, FALSE, sizeof(double));
  GPtrArray *texts = g_ptr_array_new();
  for (size_t k = 0; k < n; k++) {
    size_t i = rows ? rows[k] : k;
    if (!rs_column_present(c, i)) continue;
    if (c->storage == RS_STORE_NUM) {
      if (!g_hash_table_contains(seen, &c->num[i])) {
        g_hash_table_add(seen, &c->num[i]);
        g_array_append_val(codes, c->num[i]);
      }
    } else if (!g_hash_table_contains(seen, c->str[i])) {
      g_hash_table_add(seen, c->str[i]);
      g_ptr_array_add(texts, c->str[i]);
    }
  }
  g_hash_table_destroy(seen);
  if (c->storage == RS_STORE_NUM) {
    L->n = codes->len;
    L->codes = (double *)g_array_free(codes, FALSE);
    qsort(L->codes, L->n, sizeof(double), cmp_double);
    g_ptr_array_free(texts, TRUE);
    for (size_t k = 0; k < L->n; k++) {
      const char *lab = c->var ? rs_codebook_value_label(c->var, L->codes[k], NULL) : NULL;
      g_ptr_array_add(L->labels, lab ? g_strdup(lab) : g_strdup_printf("%.15g", L->codes[k]));
    }
  } else {
    g_array_free(codes, TRUE);
    L->n = texts->len;
    L->texts = (char **)g_ptr_array_free(texts, FALSE);
    qsort(L->texts, L->n, sizeof(char *), cmp_str);
    for (size_t k = 0; k < L->n; k++) {
      const char *lab = c->var ? rs_codebook_value_label(c->var, NAN, L->texts[k]) : NULL;
      g_ptr_array_add(L->labels, g_strdup(lab ? lab : L->texts[k]));
    }
  }
}

/* Level index of row i, or -1 when missing. */
static long level_of(const levels *L, size_t i) {
  if (!rs_column_present(L->c, i)) return -1;
  if (L->c->storage == RS_STORE_NUM) {
    double *hit = bsearch(&L->c->num[i], L->codes, L->n, sizeof(double), cmp_double);
    return hit ? hit - L->codes : -1;
  }
  char **hit = bsearch(&L->c->str[i], L->texts, L->n, sizeof(char *), cmp_str);
  return hit ? hit - L->texts : -1;
}

static void levels_free(levels *L) {
  g_ptr_array_unref(L->labels);
  g_free(L->codes);
  g_free(L->texts);
}

/* ---- means ---- */

rs_plotdata_est *rs_plotdata_means(const rs_table *t, const size_t *rows, size_t nrows, const char *var,
                                   const char *group, const char *period, const char *weight, const char *lang,
                                   GError **err) {
  if (!var) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give the variable to plot with --var");
    return NULL;
  }
  const rs_column *y = numeric_column(t, var, "--var", err), *g = NULL, *per = NULL;
  if (!y) return NULL;
  if (group && !(g = any_column(t, group, "--group", err))) return NULL;
  if (period && !(per = any_column(t, period, "--period", err))) return NULL;
  if (weight && !numeric_column(t, weight, "--weight", err)) return NULL;
  if (!check_finite(t, y, rows, nrows, err)) return NULL;
  /* rows with y, group and period present */
  size_t *use = g_new(size_t, nrows ? nrows : 1), nuse = 0;
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (rs_column_present(y, i) && (!g || rs_column_present(g, i)) && (!per || rs_column_present(per, i))) use[nuse++] = i;
  }
  if (nuse == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has a value of '%s'%s%s%s%s", file_of(t), var,
                group ? " and of " : "", group ? group : "", period ? " and of " : "", period ? period : "");
    g_free(use);
    return NULL;
  }
  levels G = {0}, P = {0};
  if (g) levels_init(&G, g, use, nuse);
  if (per) levels_init(&P, per, use, nuse);
  rs_plotdata_est *d = g_new0(rs_plotdata_est, 1);
  d->var_label = col_label(y, lang);
  d->row_title = g ? col_label(g, lang) : NULL;
  d->series_title = per ? col_label(per, lang) : NULL;
  d->n_rows = g ? G.n : 1;
  d->n_series = per ? P.n : 1;
  d->rows = g_new0(char *, d->n_rows + 1);
  d->series = g_new0(char *, d->n_series + 1);
  for (size_t r = 0; r < d->n_rows; r++)
    d->rows[r] = g ? g_strdup(g_ptr_array_index(G.labels, r)) : g_strdup(strcmp(lang, "en") == 0 ? "All" : "Alle");
  for (size_t s = 0; s < d->n_series; s++) d->series[s] = per ? g_strdup(g_ptr_array_index(P.labels, s)) : NULL;
  d->points = g_new0(rs_plotdata_point, d->n_rows * d->n_series);
  d->n_total = nuse;
  d->scale_lo = y->var && y->var->has_min ? y->var->min : NAN;
  d->scale_hi = y->var && y->var->has_max ? y->var->max : NAN;
  /* the rows of each cell */
  size_t ncell = d->n_rows * d->n_series;
  GArray **cell = g_new0(GArray *, ncell);
  for (size_t c = 0; c < ncell; c++) cell[c] = g_array_new(FALSE, FALSE, sizeof(size_t));
  for (size_t k = 0; k < nuse; k++) {
    long r = g ? level_of(&G, use[k]) : 0, s = per ? level_of(&P, use[k]) : 0;
    g_array_append_val(cell[(size_t)r * d->n_series + (size_t)s], use[k]);
  }
  gboolean ok = TRUE;
  if (weight) {
    rs_svy_design *des = rs_svy_design_from_table(t, weight, NULL, NULL, err);
    if (!des) ok = FALSE;
    double *yy = NULL;
    if (ok) {
      yy = g_new(double, t->nrows);
      for (size_t i = 0; i < t->nrows; i++) yy[i] = rs_column_present(y, i) ? y->num[i] : NAN;
      double z = gsl_cdf_ugaussian_Pinv(0.975);
      for (size_t c = 0; c < ncell; c++) {
        rs_plotdata_point *pt = &d->points[c];
        /* an empty cell: its GArray's data may be NULL, which rs_svy_mean
         * (like rs_describe_numeric) reads as "every row" */
        if (cell[c]->len == 0) {
          pt->estimate = pt->se = pt->ci_low = pt->ci_high = NAN;
          continue;
        }
        rs_svy_estimate e;
        rs_svy_mean(des, yy, (const size_t *)(void *)cell[c]->data, cell[c]->len, &e);
        pt->n = e.n;
        pt->estimate = e.mean;
        pt->se = e.se;
        pt->ci_low = e.n > 1 ? e.mean - z * e.se : NAN;
        pt->ci_high = e.n > 1 ? e.mean + z * e.se : NAN;
      }
      rs_svy_estimate all;
      rs_svy_mean(des, yy, use, nuse, &all);
      d->reference = all.mean;
    }
    g_free(yy);
    rs_svy_design_free(des);
    d->method = g_strdup(strcmp(lang, "en") == 0
                             ? "Weighted means (survey weights) with 95 % confidence intervals (linearised SE, normal)"
                             : "Vektede gjennomsnitt (utvalgsvekter) med 95 % konfidensintervall (linearisert SE, normalfordeling)");
  } else {
    double *work = g_new(double, nuse);
    for (size_t c = 0; c < ncell; c++) {
      rs_plotdata_point *pt = &d->points[c];
      if (cell[c]->len == 0) {  /* see above: NULL rows would mean every row */
        pt->estimate = pt->se = pt->ci_low = pt->ci_high = NAN;
        continue;
      }
      rs_describe_num s;
      rs_describe_numeric(y, (const size_t *)(void *)cell[c]->data, cell[c]->len, work, &s);
      pt->n = s.n;
      pt->estimate = s.n ? s.mean : NAN;
      pt->se = s.se;
      double tq = s.n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(s.n - 1)) : NAN;
      pt->ci_low = s.n > 1 ? s.mean - tq * s.se : NAN;
      pt->ci_high = s.n > 1 ? s.mean + tq * s.se : NAN;
    }
    rs_describe_num all;
    rs_describe_numeric(y, use, nuse, work, &all);
    d->reference = all.mean;
    g_free(work);
    d->method = g_strdup(strcmp(lang, "en") == 0 ? "Means with 95 % confidence intervals (t)"
                                                 : "Gjennomsnitt med 95 % konfidensintervall (t-fordeling)");
  }
  for (size_t c = 0; c < ncell; c++) g_array_free(cell[c], TRUE);
  g_free(cell);
  g_free(use);
  if (g) levels_free(&G);
  if (per) levels_free(&P);
  if (!ok) {
    rs_plotdata_est_free(d);
    return NULL;
  }
  return d;
}

static const rs_plotdata_est *sort_d;
static bool sort_desc;
static int cmp_row(const void *a, const void *b) {
  size_t ra = *(const size_t *)a, rb = *(const size_t *)b, s = sort_d->n_series - 1;
  double x = sort_d->points[ra * sort_d->n_series + s].estimate, y = sort_d->points[rb * sort_d->n_series + s].estimate;
  if (isnan(x) || isnan(y)) return isnan(x) - isnan(y);  /* empty rows last */
  int c = (x > y) - (x < y);
  if (sort_desc) c = -c;
  return c ? c : (ra > rb) - (ra < rb);
}

void rs_plotdata_est_sort(rs_plotdata_est *d, bool descending) {
  size_t *order = g_new(size_t, d->n_rows);
  for (size_t r = 0; r < d->n_rows; r++) order[r] = r;
  sort_d = d;
  sort_desc = descending;
  qsort(order, d->n_rows, sizeof(size_t), cmp_row);
  char **rows = g_new0(char *, d->n_rows + 1);
  rs_plotdata_point *pts = g_new(rs_plotdata_point, d->n_rows * d->n_series);
  for (size_t r = 0; r < d->n_rows; r++) {
    rows[r] = d->rows[order[r]];
    memcpy(&pts[r * d->n_series], &d->points[order[r] * d->n_series], d->n_series * sizeof(rs_plotdata_point));
  }
  g_free(d->rows);
  g_free(d->points);
  d->rows = rows;
  d->points = pts;
  g_free(order);
}

void rs_plotdata_est_free(rs_plotdata_est *d) {
  if (!d) return;
  g_strfreev(d->rows);
  for (size_t s = 0; s < d->n_series; s++) g_free(d->series[s]);
  g_free(d->series);
  g_free(d->points);
  g_free(d->var_label);
  g_free(d->row_title);
  g_free(d->series_title);
  g_free(d->method);
  g_free(d);
}

void rs_plotdata_est_results(const rs_plotdata_est *d, rs_results *out) {
  for (size_t r = 0; r < d->n_rows; r++)
    for (size_t s = 0; s < d->n_series; s++) {
      const rs_plotdata_point *pt = &d->points[r * d->n_series + s];
      rs_record *rec = rs_results_add(out);
      rs_record_str(rec, "name", d->var_label);
      rs_record_str(rec, "group", d->rows[r]);
      rs_record_str(rec, "series", d->series[s]);
      rs_record_int(rec, "n", (long long)pt->n);
      rs_record_num(rec, "estimate", pt->estimate);
      rs_record_num(rec, "se", pt->se);
      rs_record_num(rec, "ci_low", pt->ci_low);
      rs_record_num(rec, "ci_high", pt->ci_high);
      rs_record_str(rec, "method", d->method);
    }
}

/* ---- Likert ---- */

typedef struct { size_t idx; double agree; } item_order;
static int cmp_agree(const void *a, const void *b) {
  const item_order *x = a, *y = b;
  if (x->agree != y->agree) return x->agree < y->agree ? 1 : -1;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The answer categories of a Likert item from its codebook values: those
 * within min..max that are not missing codes. */
static void codebook_scale(const rs_cb_var *v, GArray *codes, GPtrArray *labels) {
  for (size_t j = 0; j < v->n_values; j++) {
    double c = v->values[j].value;
    if (isnan(c) || (v->has_min && c < v->min) || (v->has_max && c > v->max)) continue;
    if (rs_cb_var_is_missing_code(v, v->values[j].code, strlen(v->values[j].code), true, c)) continue;
    g_array_append_val(codes, c);
    g_ptr_array_add(labels, g_strdup(v->values[j].label));
  }
}

rs_plotdata_likert *rs_plotdata_likert_new(const rs_table *t, const size_t *rows, size_t nrows,
                                           const char *const *items, bool sort, const char *lang, GError **err) {
  return rs_plotdata_likert_weighted(t, rows, nrows, items, NULL, sort, lang, err);
}

rs_plotdata_likert *rs_plotdata_likert_weighted(const rs_table *t, const size_t *rows, size_t nrows,
                                                const char *const *items, const char *weight, bool sort,
                                                const char *lang, GError **err) {
  const rs_column *wc = NULL;
  if (weight && !(wc = numeric_column(t, weight, "a weight", err))) return NULL;
  size_t ni = 0;
  while (items && items[ni]) ni++;
  if (ni == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give the items with --items A,B,C or --index NAME");
    return NULL;
  }
  const rs_column **cols = g_new(const rs_column *, ni);
  for (size_t k = 0; k < ni; k++) {
    if (!(cols[k] = numeric_column(t, items[k], "a Likert item", err))) { g_free(cols); return NULL; }
    if (!check_finite(t, cols[k], rows, nrows, err)) { g_free(cols); return NULL; }
  }
  /* categories: the first item's codebook values within min..max, else its observed integer range */
  const rs_cb_var *v = cols[0]->var;
  GArray *codes = g_array_new(FALSE, FALSE, sizeof(double));
  GPtrArray *labels = g_ptr_array_new();
  if (v && v->n_values) {
    codebook_scale(v, codes, labels);
  } else {
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < ni; k++)
      for (size_t q = 0; q < nrows; q++) {
        size_t i = rows ? rows[q] : q;
        if (rs_column_present(cols[k], i)) { lo = fmin(lo, cols[k]->num[i]); hi = fmax(hi, cols[k]->num[i]); }
      }
    if (isfinite(lo) && hi - lo <= 10)
      for (double c = ceil(lo); c <= hi; c++) {
        g_array_append_val(codes, c);
        g_ptr_array_add(labels, g_strdup_printf("%g", c));
      }
  }
  if (codes->len < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: column '%s' has no answer scale (give a codebook with the values of a likert item, e.g. 1=Helt uenig|…|5=Helt enig)",
                file_of(t), items[0]);
    g_array_free(codes, TRUE);
    g_ptr_array_free(labels, TRUE);
    g_free(cols);
    return NULL;
  }
  rs_plotdata_likert *d = g_new0(rs_plotdata_likert, 1);
  d->n_items = ni;
  d->n_cats = codes->len;
  d->codes = (double *)g_array_free(codes, FALSE);
  g_ptr_array_add(labels, NULL);
  d->cats = (char **)g_ptr_array_free(labels, FALSE);
  d->neutral = d->n_cats % 2 ? (int)(d->n_cats / 2) : -1;
  d->items = g_new0(char *, ni + 1);
  d->names = g_new0(char *, ni + 1);
  d->n = g_new0(size_t, ni);
  d->percent = g_new0(double, ni * d->n_cats);
  /* counts, or with a weight the summed weights (rows without a weight are left out) */
  long double *counts = g_new0(long double, d->n_cats);
  /* rows with an answer to any item: a bit per table row (a hash set per answer cost more than the counting) */
  guint64 *any = g_new0(guint64, t->nrows / 64 + 1);
  size_t n_any = 0;
  for (size_t k = 0; k < ni; k++) {
    d->items[k] = col_label(cols[k], lang);
    d->names[k] = g_strdup(cols[k]->name);
    memset(counts, 0, d->n_cats * sizeof(long double));
    long double total = 0;
    for (size_t q = 0; q < nrows; q++) {
      size_t i = rows ? rows[q] : q;
      if (!rs_column_present(cols[k], i)) continue;
      if (wc && (!rs_column_present(wc, i) || !isfinite(wc->num[i]))) continue;
      double w = wc ? wc->num[i] : 1;
      for (size_t c = 0; c < d->n_cats; c++)
        if (cols[k]->num[i] == d->codes[c]) {
          counts[c] += w;
          total += w;
          d->n[k]++;
          guint64 bit = (guint64)1 << (i % 64);
          n_any += !(any[i / 64] & bit);
          any[i / 64] |= bit;
          break;
        }
    }
    for (size_t c = 0; c < d->n_cats; c++)
      d->percent[k * d->n_cats + c] = !d->n[k] || total <= 0 ? NAN
                                      : wc ? (double)(100.0L * counts[c] / total)
                                           : 100.0 * (double)counts[c] / (double)d->n[k];  /* unweighted: as before */
  }
  d->n_total = n_any;
  g_free(any);
  g_free(counts);
  g_free(cols);
  size_t empty = 0;
  for (size_t k = 0; k < ni; k++) empty += d->n[k] == 0;
  if (empty == ni) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: none of the items has an answer on the scale", file_of(t));
    rs_plotdata_likert_free(d);
    return NULL;
  }
  if (sort) {
    item_order *ord = g_new(item_order, ni);
    size_t first_agree = d->neutral >= 0 ? (size_t)d->neutral + 1 : d->n_cats / 2;
    for (size_t k = 0; k < ni; k++) {
      ord[k].idx = k;
      ord[k].agree = 0;
      for (size_t c = first_agree; c < d->n_cats; c++) ord[k].agree += d->n[k] ? d->percent[k * d->n_cats + c] : -1;
    }
    qsort(ord, ni, sizeof *ord, cmp_agree);
    char **items2 = g_new0(char *, ni + 1), **names2 = g_new0(char *, ni + 1);
    size_t *n2 = g_new(size_t, ni);
    double *p2 = g_new(double, ni * d->n_cats);
    for (size_t k = 0; k < ni; k++) {
      items2[k] = d->items[ord[k].idx];
      names2[k] = d->names[ord[k].idx];
      n2[k] = d->n[ord[k].idx];
      memcpy(&p2[k * d->n_cats], &d->percent[ord[k].idx * d->n_cats], d->n_cats * sizeof(double));
    }
    g_free(d->items); g_free(d->names); g_free(d->n); g_free(d->percent);
    d->items = items2; d->names = names2; d->n = n2; d->percent = p2;
    g_free(ord);
  }
  return d;
}

gboolean rs_plotdata_likert_domains(const rs_table *t, const size_t *rows, size_t nrows, const int *dom, size_t m,
                                    size_t k, const char *item, const char *weight, const char *lang,
                                    rs_plotdata_likert **out) {
  for (size_t j = 0; j < k; j++) out[j] = NULL;
  /* only where every row set has the same scale and nothing to report: else the caller's one call per set */
  int ci = rs_table_find(t, item), wj = weight ? rs_table_find(t, weight) : -1;
  if (ci < 0 || (weight && wj < 0)) return FALSE;
  const rs_column *c = &t->cols[ci], *wc = wj >= 0 ? &t->cols[wj] : NULL;
  if (c->storage != RS_STORE_NUM || c->type == RS_TYPE_DATE) return FALSE;
  if (wc && (wc->storage != RS_STORE_NUM || wc->type == RS_TYPE_DATE)) return FALSE;
  if (!c->var || !c->var->n_values) return FALSE;
  for (size_t q = 0; q < nrows; q++) {
    size_t i = rows ? rows[q] : q;
    bool in_any = false;
    for (size_t b = 0; b < m; b++) in_any |= dom[q * m + b] >= 0;
    if (in_any && rs_column_present(c, i) && !isfinite(c->num[i])) return FALSE;
  }
  GArray *codes = g_array_new(FALSE, FALSE, sizeof(double));
  GPtrArray *labels = g_ptr_array_new_with_free_func(g_free);
  codebook_scale(c->var, codes, labels);
  size_t nc = codes->len;
  if (nc < 2) {
    g_array_free(codes, TRUE);
    g_ptr_array_free(labels, TRUE);
    return FALSE;
  }
  const double *code = (const double *)codes->data;
  /* counts, or with a weight the summed weights, per row set: the same sums in the same order as one call each */
  long double *counts = g_new0(long double, k * nc + 1), *total = g_new0(long double, k + 1);
  size_t *n = g_new0(size_t, k + 1);
  for (size_t q = 0; q < nrows; q++) {
    size_t i = rows ? rows[q] : q;
    if (!rs_column_present(c, i)) continue;
    if (wc && (!rs_column_present(wc, i) || !isfinite(wc->num[i]))) continue;
    double w = wc ? wc->num[i] : 1;
    size_t cat = 0;
    while (cat < nc && c->num[i] != code[cat]) cat++;
    if (cat == nc) continue;
    for (size_t b = 0; b < m; b++) {
      int j = dom[q * m + b];
      if (j < 0) continue;
      counts[(size_t)j * nc + cat] += w;
      total[j] += w;
      n[j]++;
    }
  }
  for (size_t j = 0; j < k; j++) {
    if (!n[j]) continue;   /* no answer in this set: none of the items has one */
    rs_plotdata_likert *d = g_new0(rs_plotdata_likert, 1);
    d->n_items = 1;
    d->n_cats = nc;
    d->codes = g_memdup2(code, nc * sizeof(double));
    d->cats = g_new0(char *, nc + 1);
    for (size_t a = 0; a < nc; a++) d->cats[a] = g_strdup(g_ptr_array_index(labels, a));
    d->neutral = nc % 2 ? (int)(nc / 2) : -1;
    d->items = g_new0(char *, 2);
    d->names = g_new0(char *, 2);
    d->items[0] = col_label(c, lang);
    d->names[0] = g_strdup(c->name);
    d->n = g_new(size_t, 1);
    d->n[0] = d->n_total = n[j];
    d->percent = g_new(double, nc);
    for (size_t a = 0; a < nc; a++)
      d->percent[a] = total[j] <= 0 ? NAN
                      : wc ? (double)(100.0L * counts[(size_t)j * nc + a] / total[j])
                           : 100.0 * (double)counts[(size_t)j * nc + a] / (double)n[j];  /* as rs_plotdata_likert_weighted */
    out[j] = d;
  }
  g_free(counts);
  g_free(total);
  g_free(n);
  g_array_free(codes, TRUE);
  g_ptr_array_free(labels, TRUE);
  return TRUE;
}

void rs_plotdata_likert_free(rs_plotdata_likert *d) {
  if (!d) return;
  g_strfreev(d->items);
  g_strfreev(d->names);
  g_strfreev(d->cats);
  g_free(d->codes);
  g_free(d->n);
  g_free(d->percent);
  g_free(d);
}

void rs_plotdata_likert_results(const rs_plotdata_likert *d, rs_results *out) {
  for (size_t k = 0; k < d->n_items; k++)
    for (size_t c = 0; c < d->n_cats; c++) {
      rs_record *rec = rs_results_add(out);
      rs_record_str(rec, "name", d->names[k]);
      rs_record_str(rec, "label", d->items[k]);
      rs_record_str(rec, "category", d->cats[c]);
      rs_record_num(rec, "code", d->codes[c]);
      rs_record_int(rec, "n", (long long)d->n[k]);
      rs_record_num(rec, "percent", d->percent[k * d->n_cats + c]);
    }
}

/* ---- distributions ---- */

/* R's pretty(range(x), n) in its simple form: a 1-2-5 step near range/n. */
static double pretty_step(double range, double n) {
  double raw = range / n, mag = pow(10.0, floor(log10(raw))), r = raw / mag;
  /* R's pretty chooses the unit with high.u.bias = 1.5: 1, 2, 5 or 10 at the geometric thresholds */
  double m = r < sqrt(2.0) ? 1 : r < sqrt(10.0) ? 2 : r < sqrt(50.0) ? 5 : 10;
  return m * mag;
}

rs_plotdata_dist *rs_plotdata_dist_new(const rs_table *t, const size_t *rows, size_t nrows, const char *var,
                                       const char *group, const char *lang, GError **err) {
  if (!var) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give the variable to plot with --var");
    return NULL;
  }
  const rs_column *y = numeric_column(t, var, "--var", err), *g = NULL;
  if (!y) return NULL;
  if (group && !(g = any_column(t, group, "--group", err))) return NULL;
  if (!check_finite(t, y, rows, nrows, err)) return NULL;
  size_t *use = g_new(size_t, nrows ? nrows : 1), nuse = 0;
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (rs_column_present(y, i) && (!g || rs_column_present(g, i))) use[nuse++] = i;
  }
  if (nuse == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has a value of '%s'%s%s", file_of(t), var,
                group ? " and of " : "", group ? group : "");
    g_free(use);
    return NULL;
  }
  levels G = {0};
  if (g) levels_init(&G, g, use, nuse);
  rs_plotdata_dist *d = g_new0(rs_plotdata_dist, 1);
  d->var_label = col_label(y, lang);
  d->group_title = g ? col_label(g, lang) : NULL;
  d->n_groups = g ? G.n : 1;
  d->groups = g_new0(rs_plotdata_group, d->n_groups);
  d->n_total = nuse;
  GArray **vals = g_new0(GArray *, d->n_groups);
  for (size_t r = 0; r < d->n_groups; r++) vals[r] = g_array_new(FALSE, FALSE, sizeof(double));
  double lo = INFINITY, hi = -INFINITY;
  for (size_t k = 0; k < nuse; k++) {
    long r = g ? level_of(&G, use[k]) : 0;
    double v = y->num[use[k]];
    g_array_append_val(vals[r], v);
    lo = fmin(lo, v);
    hi = fmax(hi, v);
  }
  /* shared breaks over all groups: the Freedman–Diaconis width 2 IQR n^(-1/3)
   * (hist(x, breaks = "FD")), or Sturges' ceil(log2 n + 1) classes when the
   * IQR is 0, rounded to a 1-2-5 step; at most 60 bins */
  double *all = g_new(double, nuse);
  for (size_t k = 0; k < nuse; k++) all[k] = y->num[use[k]];
  double iqr_all = rs_describe_quantile7(all, nuse, 0.75) - rs_describe_quantile7(all, nuse, 0.25);
  g_free(all);
  double step = 1;
  if (hi > lo) {
    double fd = 2 * iqr_all * pow((double)nuse, -1.0 / 3.0);
    step = fd > 0 ? pretty_step(fd, 1) : pretty_step(hi - lo, ceil(log2((double)nuse) + 1));
    while ((hi - lo) / step > 60) step = pretty_step(step * 2.2, 1);
  }
  /* an integer variable gets whole-number bins */
  bool integer = y->type == RS_TYPE_INTEGER || y->type == RS_TYPE_LIKERT;
  if (integer && step < 1) step = 1;
  double b0 = floor(lo / step) * step, b1 = ceil(hi / step) * step;
  if (b1 <= b0) b1 = b0 + step;
  d->n_bins = (size_t)nearbyint((b1 - b0) / step);
  d->breaks = g_new(double, d->n_bins + 1);
  for (size_t b = 0; b <= d->n_bins; b++) d->breaks[b] = b0 + (double)b * step;
  double *work = g_new(double, nuse);
  for (size_t r = 0; r < d->n_groups; r++) {
    rs_plotdata_group *gr = &d->groups[r];
    gr->label = g ? g_strdup(g_ptr_array_index(G.labels, r)) : g_strdup(strcmp(lang, "en") == 0 ? "All" : "Alle");
    gr->n = vals[r]->len;
    gr->values = (double *)g_array_free(vals[r], FALSE);
    gsl_sort(gr->values, 1, gr->n);
    gr->counts = g_new0(size_t, d->n_bins);
    if (gr->n == 0) {
      gr->min = gr->q1 = gr->median = gr->q3 = gr->max = gr->mean = gr->whisker_lo = gr->whisker_hi = NAN;
      continue;
    }
    memcpy(work, gr->values, gr->n * sizeof(double));
    gr->q1 = rs_describe_quantile7(work, gr->n, 0.25);
    gr->median = rs_describe_quantile7(work, gr->n, 0.5);
    gr->q3 = rs_describe_quantile7(work, gr->n, 0.75);
    gr->min = gr->values[0];
    gr->max = gr->values[gr->n - 1];
    long double sum = 0;  /* long double sum, then one correction pass */
    for (size_t k = 0; k < gr->n; k++) sum += gr->values[k];
    double m = (double)(sum / gr->n);
    long double corr = 0;
    for (size_t k = 0; k < gr->n; k++) corr += gr->values[k] - m;
    gr->mean = m + (double)(corr / gr->n);
    double iqr = gr->q3 - gr->q1;
    gr->whisker_lo = gr->max;
    gr->whisker_hi = gr->min;
    for (size_t k = 0; k < gr->n; k++) {
      double v = gr->values[k];
      if (v >= gr->q1 - 1.5 * iqr && v < gr->whisker_lo) gr->whisker_lo = v;
      if (v <= gr->q3 + 1.5 * iqr && v > gr->whisker_hi) gr->whisker_hi = v;
      /* right-closed bins, the first closed on the left too (R's hist default) */
      size_t b = v <= d->breaks[0] ? 0 : (size_t)ceil((v - b0) / step - 1e-9) - 1;
      if (b >= d->n_bins) b = d->n_bins - 1;
      gr->counts[b]++;
    }
  }
  g_free(work);
  g_free(vals);
  g_free(use);
  if (g) levels_free(&G);
  return d;
}

void rs_plotdata_dist_free(rs_plotdata_dist *d) {
  if (!d) return;
  for (size_t r = 0; r < d->n_groups; r++) {
    g_free(d->groups[r].label);
    g_free(d->groups[r].values);
    g_free(d->groups[r].counts);
  }
  g_free(d->groups);
  g_free(d->breaks);
  g_free(d->var_label);
  g_free(d->group_title);
  g_free(d);
}

void rs_plotdata_dist_results(const rs_plotdata_dist *d, rs_results *out) {
  for (size_t r = 0; r < d->n_groups; r++) {
    const rs_plotdata_group *g = &d->groups[r];
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "name", d->var_label);
    rs_record_str(rec, "group", g->label);
    rs_record_int(rec, "n", (long long)g->n);
    rs_record_num(rec, "mean", g->mean);
    rs_record_num(rec, "min", g->min);
    rs_record_num(rec, "q1", g->q1);
    rs_record_num(rec, "median", g->median);
    rs_record_num(rec, "q3", g->q3);
    rs_record_num(rec, "max", g->max);
    rs_record_num(rec, "whisker_low", g->whisker_lo);
    rs_record_num(rec, "whisker_high", g->whisker_hi);
  }
  for (size_t r = 0; r < d->n_groups; r++)
    for (size_t b = 0; b < d->n_bins; b++) {
      rs_record *rec = rs_results_add(out);
      rs_record_str(rec, "name", d->var_label);
      rs_record_str(rec, "group", d->groups[r].label);
      rs_record_num(rec, "bin_low", d->breaks[b]);
      rs_record_num(rec, "bin_high", d->breaks[b + 1]);
      rs_record_int(rec, "count", (long long)d->groups[r].counts[b]);
    }
}

/* ---- filter ---- */

size_t *rs_plotdata_filter(const rs_table *t, const char *spec, size_t *n, GError **err) {
  const char *eq = strchr(spec, '=');
  if (!eq || eq == spec || !eq[1]) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--filter takes VAR=VALUE[,VALUE…], not '%s'", spec);
    return NULL;
  }
  char *name = g_strndup(spec, (gsize)(eq - spec));
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (--filter)", file_of(t), name);
    g_free(name);
    return NULL;
  }
  g_free(name);
  const rs_column *c = &t->cols[j];
  char **vals = g_strsplit(eq + 1, ",", -1);
  size_t nv = g_strv_length(vals);
  double *nums = g_new(double, nv);
  for (size_t k = 0; k < nv; k++) {
    g_strstrip(vals[k]);
    char *end;
    nums[k] = g_ascii_strtod(vals[k], &end);
    if (*end || !*vals[k]) nums[k] = NAN;
  }
  size_t *rows = g_new(size_t, t->nrows ? t->nrows : 1);
  *n = 0;
  for (size_t i = 0; i < t->nrows; i++) {
    if (!rs_column_present(c, i)) continue;
    for (size_t k = 0; k < nv; k++) {
      bool hit = c->storage == RS_STORE_NUM ? c->num[i] == nums[k] : strcmp(c->str[i], vals[k]) == 0;
      if (hit) { rows[(*n)++] = i; break; }
    }
  }
  g_strfreev(vals);
  g_free(nums);
  return rows;
}
