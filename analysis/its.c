/* its.c — aggregate a rate series by period and fit the segmented
 * regression of its.h (design built here, fit by ols.h, SEs by vcov.h). */
#include "analysis/its.h"
#include "analysis/absorb.h"
#include "analysis/ols.h"
#include "analysis/vcov.h"
#include "datasets/atomic.h"
#include "datasets/error.h"
#include "datasets/kommune.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int32_t day;
  long double num, den;  /* long double sums: counts up to ~1e9 stay exact */
  long double wy, wf, w; /* pooled: weighted sums of the rates and fitted values */
  size_t rows;
} period_acc;

/* One unit (kommune) in one period: the rows summed into it. */
typedef struct {
  size_t unit;
  int32_t day;
  long double num, den;
  size_t rows;
  int line;              /* first row's line, for messages */
  bool missing;          /* a row of the cell had a missing value: the cell is left out */
} cell;

static int period_cmp(const void *a, const void *b) {
  int32_t x = ((const period_acc *)a)->day, y = ((const period_acc *)b)->day;
  return (x > y) - (x < y);
}

static int day_cmp(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* Civil date of days since 1970-01-01 (H. Hinnant's days_from_civil inverse). */
static void civil(int32_t days, int *y, int *m, int *d) {
  long z = (long)days + 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int month_of(int32_t day) {
  int y, m, d;
  civil(day, &y, &m, &d);
  return m;
}

void rs_its_free(rs_its *its) {
  if (!its) return;
  g_free(its->day); g_free(its->num); g_free(its->den); g_free(its->rows);
  g_free(its->value); g_free(its->fitted); g_free(its->counterfactual);
  g_free(its);
}

static const rs_column *need_column(const rs_table *t, const char *name, const char *role, bool numeric, GError **err) {
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (%s)", t->path, name, role);
    return NULL;
  }
  const rs_column *c = &t->cols[j];
  if (numeric && c->storage != RS_STORE_NUM) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: column '%s' (%s) holds text, not numbers", t->path, name, role);
    return NULL;
  }
  return c;
}

/* Does row i of c equal `want` (codes normalised: "301" = "0301")? */
static bool row_matches(const rs_column *c, size_t i, const char *want, const char *want_norm) {
  if (!rs_column_present(c, i)) return false;
  if (c->storage == RS_STORE_NUM) {
    char *end;
    double w = g_ascii_strtod(want, &end);
    return end != want && *end == 0 && c->num[i] == w;
  }
  if (strcmp(c->str[i], want) == 0) return true;
  if (!want_norm) return false;
  char *n = c->type == RS_TYPE_FYLKE ? rs_refdata_normalise_fylke(c->str[i]) : rs_refdata_normalise_kommune(c->str[i]);
  bool same = n && strcmp(n, want_norm) == 0;
  g_free(n);
  return same;
}

/* The text of a unit cell, numbers written as integers when they are. */
static char *unit_text(const rs_column *c, size_t i) {
  if (c->storage == RS_STORE_STR) return g_strdup(c->str[i]);
  char b[32];
  rs_value_format_double(c->num[i], b);
  return g_strdup(b);
}

/* The periods present must follow each other month by month (or year by
 * year); a missing month is a gap in the file, not a missing value. */
static gboolean check_gaps(const rs_table *t, const char *date_name, int32_t *days, size_t n, bool *monthly,
                           GError **err) {
  *monthly = false;
  if (n < 2) return TRUE;
  bool firsts = true, januaries = true;
  for (size_t k = 0; k < n; k++) {
    int y, m, d;
    civil(days[k], &y, &m, &d);
    firsts = firsts && d == 1;
    januaries = januaries && m == 1;
  }
  if (!firsts) return TRUE;  /* irregular dates: nothing to check against */
  int step = 1;
  if (januaries) step = 12;
  for (size_t k = 1; k < n; k++) {
    int y0, m0, d0, y1, m1, d1;
    civil(days[k - 1], &y0, &m0, &d0);
    civil(days[k], &y1, &m1, &d1);
    int diff = (y1 * 12 + m1) - (y0 * 12 + m0);
    if (diff != step) {
      int yy = y0 + (m0 - 1 + step) / 12, mm = (m0 - 1 + step) % 12 + 1;
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: the series has a gap: no row for %04d-%02d-01 in column '%s' (the periods jump from "
                  "%04d-%02d-01 to %04d-%02d-01); a time series needs every %s between the first and the last",
                  t->path, yy, mm, date_name, y0, m0, y1, m1, step == 1 ? "month" : "year");
      return FALSE;
    }
  }
  *monthly = step == 1;
  return TRUE;
}

rs_its *rs_its_fit(const rs_table *t, const rs_its_options *o, GError **err) {
  const char *date_name = o->date ? o->date : "period";
  const rs_column *dc = need_column(t, date_name, "the period", true, err);
  if (!dc) return NULL;
  if (dc->type != RS_TYPE_DATE) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: column '%s' is not a date column (type %s); the time series needs the first day of each month, "
                "e.g. a column 'period' of type date", t->path, date_name, rs_type_name(dc->type));
    return NULL;
  }
  if (!o->numerator) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the time series needs a variable to count (the numerator)");
    return NULL;
  }
  const rs_column *nc = need_column(t, o->numerator, "the numerator", true, err);
  if (!nc) return NULL;
  const rs_column *ec = NULL;
  if (o->denominator && !(ec = need_column(t, o->denominator, "the denominator", true, err))) return NULL;
  const rs_column *fc = NULL, *uc = NULL;
  if (o->unit_column && !(uc = need_column(t, o->unit_column, "the unit (kommune)", false, err))) return NULL;
  if (o->pooled && (!uc || !ec)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "the pooled time series needs a kommune column and a denominator (a rate per kommune)");
    return NULL;
  }
  char *want_norm = NULL;
  if (o->filter_column) {
    if (!(fc = need_column(t, o->filter_column, "the filter", false, err))) return NULL;
    if (fc->type == RS_TYPE_FYLKE) want_norm = rs_refdata_normalise_fylke(o->filter_value);
    else if (fc->type == RS_TYPE_KOMMUNE) want_norm = rs_refdata_normalise_kommune(o->filter_value);
  }

  rs_its *its = g_new0(rs_its, 1);
  its->break_day = o->break_day ? o->break_day : 19205;  /* 2022-08-01 */
  its->scale = o->scale > 0 ? o->scale : 1000;
  its->has_denominator = ec != NULL;
  its->seasonal = o->seasonal;
  its->pooled = o->pooled;
  its->unit_fe = o->pooled && !o->no_unit_fe;
  its->weighted = o->pooled && !o->unweighted;
  GHashTable *cell_idx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *unit_idx = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
  GArray *cells = g_array_new(FALSE, TRUE, sizeof(cell));
  GArray *acc = g_array_new(FALSE, TRUE, sizeof(period_acc));
  GHashTable *pidx = g_hash_table_new(g_direct_hash, g_direct_equal);
  gsl_matrix *X = NULL, *V = NULL;
  gsl_vector *y = NULL, *w = NULL;
  rs_ols *fit = NULL;
  int32_t *days = NULL;
  size_t *level = NULL, *obs_period = NULL;
  bool ok = false;
  size_t nrows = o->rows ? o->nrows : t->nrows, rows_total = 0;
  for (size_t r = 0; r < nrows; r++) {
    size_t i = o->rows ? o->rows[r] : r;
    if (fc && !row_matches(fc, i, o->filter_value, want_norm)) {
      its->rows_filtered_out++;
      continue;
    }
    rows_total++;
    if (!rs_column_present(dc, i)) {
      its->dropped[rs_column_miss(dc, i)]++;
      continue;
    }
    int32_t day = (int32_t)dc->num[i];
    g_hash_table_add(seen, GINT_TO_POINTER(day));
    rs_miss m = rs_column_miss(nc, i);
    if (m == RS_MISS_NONE && ec) m = rs_column_miss(ec, i);
    if (m == RS_MISS_NONE && uc) m = rs_column_miss(uc, i);
    double nv = m == RS_MISS_NONE ? nc->num[i] : 0, ev = m == RS_MISS_NONE && ec ? ec->num[i] : 0;
    if (m == RS_MISS_NONE && (!isfinite(nv) || (ec && !isfinite(ev)))) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d: the value is not a finite number", t->path,
                  t->row_line ? t->row_line[i] : (int)(i + 2));
      goto done;
    }
    int line = t->row_line ? t->row_line[i] : (int)(i + 2);
    if (!uc) {
      /* one series summed over every row: a missing row is simply left out */
      if (m != RS_MISS_NONE) {
        its->dropped[m]++;
        continue;
      }
      gpointer v;
      size_t at;
      char *key = g_strdup_printf("%d", (int)day);
      if (g_hash_table_lookup_extended(cell_idx, key, NULL, &v)) {
        at = GPOINTER_TO_SIZE(v);
        g_free(key);
      } else {
        at = cells->len;
        cell z = {.day = day, .line = line};
        g_array_append_val(cells, z);
        g_hash_table_insert(cell_idx, key, GSIZE_TO_POINTER(at));
      }
      cell *c = &g_array_index(cells, cell, at);
      c->num += nv;
      c->den += ev;
      c->rows++;
      continue;
    }
    if (!rs_column_present(uc, i)) {
      its->dropped[rs_column_miss(uc, i)]++;
      continue;
    }
    char *u = unit_text(uc, i);
    gpointer v;
    size_t unit;
    if (g_hash_table_lookup_extended(unit_idx, u, NULL, &v)) unit = GPOINTER_TO_SIZE(v);
    else {
      unit = g_hash_table_size(unit_idx);
      g_hash_table_insert(unit_idx, g_strdup(u), GSIZE_TO_POINTER(unit));
    }
    char *key = g_strdup_printf("%zu\t%d", unit, (int)day);
    size_t at;
    if (g_hash_table_lookup_extended(cell_idx, key, NULL, &v)) {
      at = GPOINTER_TO_SIZE(v);
      g_free(key);
      if (!o->sum_duplicates) {
        char b[16];
        rs_value_format_date(day, b);
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                    "%s: line %d: kommune %s has period %s twice (also on line %d); a time series needs one row per "
                    "kommune and period", t->path, line, u, b, g_array_index(cells, cell, at).line);
        g_free(u);
        goto done;
      }
    } else {
      at = cells->len;
      cell z = {.unit = unit, .day = day, .line = line};
      g_array_append_val(cells, z);
      g_hash_table_insert(cell_idx, key, GSIZE_TO_POINTER(at));
    }
    g_free(u);
    cell *c = &g_array_index(cells, cell, at);
    c->rows++;
    if (m != RS_MISS_NONE) {
      its->dropped[m]++;
      c->missing = true;
      continue;
    }
    c->num += nv;
    c->den += ev;
  }
  if (fc && rows_total == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has %s = '%s'", t->path, o->filter_column, o->filter_value);
    goto done;
  }

  /* The periods in the file: consecutive, and the break inside them. */
  size_t nseen = g_hash_table_size(seen);
  days = g_new(int32_t, nseen + 1);
  {
    GHashTableIter it;
    gpointer k;
    size_t q = 0;
    g_hash_table_iter_init(&it, seen);
    while (g_hash_table_iter_next(&it, &k, NULL)) days[q++] = GPOINTER_TO_INT(k);
    qsort(days, nseen, sizeof *days, day_cmp);
  }
  bool monthly = false;
  if (!check_gaps(t, date_name, days, nseen, &monthly, err)) goto done;
  if (nseen == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has a period in column '%s'", t->path, date_name);
    goto done;
  }
  if (its->break_day <= days[0] || its->break_day > days[nseen - 1]) {
    char b[16], f[16], l[16];
    rs_value_format_date(its->break_day, b);
    rs_value_format_date(days[0], f);
    rs_value_format_date(days[nseen - 1], l);
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: the break date %s is outside the series, which runs from %s to %s; give a --break after the "
                "first period and no later than the last", t->path, b, f, l);
    goto done;
  }
  if (o->seasonal && !monthly) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: monthly seasonality needs a monthly series (the first day of every month in column '%s')",
                t->path, date_name);
    goto done;
  }

  /* Observations: the cells with data (and a positive denominator). */
  GArray *obs = g_array_new(FALSE, FALSE, sizeof(size_t));
  for (size_t k = 0; k < cells->len; k++) {
    cell *c = &g_array_index(cells, cell, k);
    if (c->missing) continue;
    its->rows_used += c->rows;
    if (ec && c->den <= 0) continue;
    g_array_append_val(obs, k);
  }
  its->rows_dropped = rows_total - its->rows_used;
  /* Period aggregates: sums of numerators and denominators of the cells. */
  for (size_t q = 0; q < obs->len; q++) {
    cell *c = &g_array_index(cells, cell, g_array_index(obs, size_t, q));
    gpointer k = GINT_TO_POINTER(c->day), v;
    size_t at;
    if (g_hash_table_lookup_extended(pidx, k, NULL, &v)) at = GPOINTER_TO_SIZE(v);
    else {
      at = acc->len;
      period_acc z = {.day = c->day};
      g_array_append_val(acc, z);
      g_hash_table_insert(pidx, k, GSIZE_TO_POINTER(at));
    }
    period_acc *p = &g_array_index(acc, period_acc, at);
    p->num += c->num;
    p->den += c->den;
    p->rows += c->rows;
  }
  if (!o->pooled) {
    /* a single series: the aggregated periods are the observations; periods whose denominator sums to 0 have no rate */
    g_array_set_size(obs, 0);
  }
  qsort(acc->data, acc->len, sizeof(period_acc), period_cmp);
  size_t np = 0;
  for (size_t k = 0; k < acc->len; k++) {
    period_acc *p = &g_array_index(acc, period_acc, k);
    if (ec && p->den <= 0) continue;
    g_array_index(acc, period_acc, np++) = *p;
    if (p->day >= its->break_day) its->n_post++;
    else its->n_pre++;
  }
  g_array_set_size(acc, np);
  g_hash_table_remove_all(pidx);
  for (size_t k = 0; k < np; k++) g_hash_table_insert(pidx, GINT_TO_POINTER(g_array_index(acc, period_acc, k).day), GSIZE_TO_POINTER(k));
  its->n = np;
  its->periods_empty = nseen - np;
  if (its->n_pre < 3 || its->n_post < 3) {
    char b[16];
    rs_value_format_date(its->break_day, b);
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: the series has %zu period%s with data before %s and %zu from it; the segmented regression "
                "needs at least 3 on each side", t->path, its->n_pre, its->n_pre == 1 ? "" : "s", b, its->n_post);
    g_array_free(obs, TRUE);
    goto done;
  }

  /* Design: [1] t post post·t [month 2 … 12]. */
  size_t nobs = o->pooled ? obs->len : np;
  bool icpt = !its->unit_fe;
  size_t off = icpt ? 0 : 1;                   /* column of coefficient j is j - off */
  size_t p = RS_ITS_NCOEF - off + (o->seasonal ? RS_ITS_NSEASON : 0);
  X = gsl_matrix_alloc(nobs, p);
  y = gsl_vector_alloc(nobs);
  if (its->weighted) w = gsl_vector_alloc(nobs);
  obs_period = g_new(size_t, nobs ? nobs : 1);
  if (o->pooled) level = g_new(size_t, nobs ? nobs : 1);
  for (size_t k = 0; k < nobs; k++) {
    int32_t day;
    double value;
    if (o->pooled) {
      cell *c = &g_array_index(cells, cell, g_array_index(obs, size_t, k));
      day = c->day;
      value = (double)(c->num / c->den * its->scale);
      level[k] = c->unit;
      if (w) gsl_vector_set(w, k, (double)c->den);
      obs_period[k] = GPOINTER_TO_SIZE(g_hash_table_lookup(pidx, GINT_TO_POINTER(day)));
    } else {
      period_acc *pa = &g_array_index(acc, period_acc, k);
      day = pa->day;
      value = ec ? (double)(pa->num / pa->den * its->scale) : (double)pa->num;
      obs_period[k] = k;
    }
    double tt = (day - its->break_day) / 365.25, post = day >= its->break_day;
    if (icpt) gsl_matrix_set(X, k, RS_ITS_B0, 1);
    gsl_matrix_set(X, k, RS_ITS_TREND - off, tt);
    gsl_matrix_set(X, k, RS_ITS_LEVEL - off, post);
    gsl_matrix_set(X, k, RS_ITS_SLOPE - off, post * tt);
    if (o->seasonal) {
      int m = month_of(day);
      for (int s = 0; s < RS_ITS_NSEASON; s++) gsl_matrix_set(X, k, RS_ITS_NCOEF - off + s, m == s + 2);
    }
    gsl_vector_set(y, k, value);
  }
  g_array_free(obs, TRUE);
  /* the units that have observations, numbered 0 … G-1 (clusters and fixed-effect levels) */
  size_t G = 0;
  if (o->pooled) {
    size_t U = g_hash_table_size(unit_idx);
    size_t *map = g_new(size_t, U ? U : 1);
    for (size_t u = 0; u < U; u++) map[u] = (size_t)-1;
    for (size_t k = 0; k < nobs; k++) {
      if (map[level[k]] == (size_t)-1) map[level[k]] = G++;
      level[k] = map[level[k]];
    }
    g_free(map);
    its->n_units = G;
  }
  its->n_obs = nobs;
  if (its->unit_fe) {
    gsl_vector *y0 = gsl_vector_alloc(nobs);
    gsl_vector_memcpy(y0, y);
    fit = rs_absorb_ols(X, y, w, level, G, true, NULL, err);
    gsl_vector_memcpy(y, y0);   /* rates back (absorb demeaned them), for the period means below */
    gsl_vector_free(y0);
  } else {
    fit = rs_ols_fit(X, y, w, true, NULL, err);
  }
  if (!fit) goto done;
  if (fit->rank < p) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the segmented regression cannot separate level, trend%s "
                "(the periods are too few or evenly repeated)", t->path, o->seasonal ? " and months" : "");
    goto done;
  }
  rs_vcov_spec spec = {.type = RS_VCOV_HAC};
  if (o->pooled) {
    spec.type = RS_VCOV_CLUSTER;
    spec.cluster = level;
    spec.n_clusters = G;
    its->lag = -1;
  } else {
    if (o->lag == -2) spec.type = RS_VCOV_CLASSICAL;
    else spec.lag = o->lag >= 0 ? o->lag : (int)floor(4 * pow(nobs / 100.0, 2.0 / 9.0));
    its->lag = spec.type == RS_VCOV_HAC ? spec.lag : -1;
  }
  V = gsl_matrix_calloc(fit->rank, fit->rank);
  if (!rs_vcov_ols(fit, X, &spec, V, err)) goto done;
  its->df = fit->df_resid;
  double q = gsl_cdf_tdist_Qinv(0.025, its->df);
  for (size_t j = 0; j < p; j++) {
    size_t pos = 0;   /* position of column j among the estimated columns */
    while (pos < fit->rank && fit->kept[pos] != j) pos++;
    double b = fit->coef[j], se = sqrt(gsl_matrix_get(V, pos, pos)), st = b / se;
    double pv = 2 * gsl_cdf_tdist_Q(fabs(st), its->df);
    size_t cj = j + off;
    if (cj < RS_ITS_NCOEF) {
      its->coef[cj] = b;
      its->se[cj] = se;
      its->statistic[cj] = st;
      its->p_value[cj] = pv;
      its->ci_low[cj] = b - q * se;
      its->ci_high[cj] = b + q * se;
    } else {
      its->season[cj - RS_ITS_NCOEF] = b;
      its->season_se[cj - RS_ITS_NCOEF] = se;
      its->season_p[cj - RS_ITS_NCOEF] = pv;
    }
  }
  if (!icpt) {
    its->coef[RS_ITS_B0] = its->se[RS_ITS_B0] = its->statistic[RS_ITS_B0] = NAN;
    its->p_value[RS_ITS_B0] = its->ci_low[RS_ITS_B0] = its->ci_high[RS_ITS_B0] = NAN;
  }

  /* The series per period: observed and fitted (weighted means over the
   * units when pooled), and the counterfactual without level and slope change. */
  its->day = g_new(int32_t, np + 1);
  its->num = g_new(double, np + 1);
  its->den = g_new(double, np + 1);
  its->rows = g_new(size_t, np + 1);
  its->value = g_new(double, np + 1);
  its->fitted = g_new(double, np + 1);
  its->counterfactual = g_new(double, np + 1);
  for (size_t k = 0; k < nobs; k++) {
    period_acc *pa = &g_array_index(acc, period_acc, obs_period[k]);
    long double wk = w ? gsl_vector_get(w, k) : 1.0;
    pa->w += wk;
    pa->wy += wk * gsl_vector_get(y, k);
    pa->wf += wk * fit->fitted[k];
  }
  for (size_t k = 0; k < np; k++) {
    period_acc *pa = &g_array_index(acc, period_acc, k);
    its->day[k] = pa->day;
    its->num[k] = (double)pa->num;
    its->den[k] = ec ? (double)pa->den : NAN;
    its->rows[k] = pa->rows;
    its->value[k] = (double)(pa->wy / pa->w);
    its->fitted[k] = (double)(pa->wf / pa->w);
    double tt = (pa->day - its->break_day) / 365.25, post = pa->day >= its->break_day;
    its->counterfactual[k] = its->fitted[k] - post * (its->coef[RS_ITS_LEVEL] + its->coef[RS_ITS_SLOPE] * tt);
  }
  ok = true;
done:
  g_free(want_norm);
  g_free(days);
  g_free(level);
  g_free(obs_period);
  g_hash_table_destroy(cell_idx);
  g_hash_table_destroy(unit_idx);
  g_hash_table_destroy(seen);
  g_hash_table_destroy(pidx);
  g_array_free(cells, TRUE);
  g_array_free(acc, TRUE);
  if (X) gsl_matrix_free(X);
  if (V) gsl_matrix_free(V);
  if (y) gsl_vector_free(y);
  if (w) gsl_vector_free(w);
  rs_ols_free(fit);
  if (!ok) {
    rs_its_free(its);
    return NULL;
  }
  return its;
}

void rs_its_records(const rs_its *its, rs_results *out) { rs_its_records_lang(its, "en", out); }

static const char *tr(bool en, const char *nb, const char *e) { return en ? e : nb; }

char *rs_its_method(const rs_its *its, const char *lang) {
  bool en = lang && strcmp(lang, "en") == 0;
  const char *season = its->seasonal ? tr(en, ", 11 månedsdummyer", ", 11 month dummies") : "";
  if (its->pooled)
    return g_strdup_printf(
        tr(en, "samlet OLS på kommunenes rater%s%s%s, SE klyngerobust per kommune (CR1, %zu kommuner)",
           "pooled OLS on kommune rates%s%s%s, SE cluster-robust by kommune (CR1, %zu kommuner)"),
        its->unit_fe ? tr(en, ", faste kommuneeffekter", ", kommune fixed effects") : "",
        its->weighted ? tr(en, ", vektet med nevneren", ", weighted by the denominator") : "", season, its->n_units);
  if (its->lag >= 0)
    return g_strdup_printf(tr(en, "segmentert OLS%s, SE Newey-West lag %d", "segmented OLS%s, SE Newey-West lag %d"),
                           season, its->lag);
  return g_strdup_printf(tr(en, "segmentert OLS%s, SE klassisk", "segmented OLS%s, SE classical"), season);
}

void rs_its_records_lang(const rs_its *its, const char *lang, rs_results *out) {
  bool en = lang && strcmp(lang, "en") == 0;
  static const char *names_en[RS_ITS_NCOEF] = {"level at break (pre-reform trend)", "trend before, per year",
                                               "level change at break", "trend change, per year"};
  static const char *names_nb[RS_ITS_NCOEF] = {"nivå ved bruddet (trenden før)", "trend før, per år",
                                               "nivåendring ved bruddet", "trendendring, per år"};
  static const char *months_en[12] = {"January", "February", "March", "April", "May", "June", "July",
                                      "August", "September", "October", "November", "December"};
  static const char *months_nb[12] = {"januar", "februar", "mars", "april", "mai", "juni", "juli",
                                      "august", "september", "oktober", "november", "desember"};
  char *method = rs_its_method(its, lang);
  for (int j = 0; j < RS_ITS_NCOEF; j++) {
    if (isnan(its->coef[j])) continue;   /* b0 with kommune fixed effects: one per kommune, not reported */
    rs_record *r = rs_results_add(out);
    rs_record_str(r, "name", en ? names_en[j] : names_nb[j]);
    rs_record_int(r, "n", (long long)its->n_obs);
    rs_record_num(r, "estimate", its->coef[j]);
    rs_record_num(r, "se", its->se[j]);
    rs_record_num(r, "statistic", its->statistic[j]);
    rs_record_num(r, "df", its->df);
    rs_record_num(r, "p_value", its->p_value[j]);
    rs_record_num(r, "ci_low", its->ci_low[j]);
    rs_record_num(r, "ci_high", its->ci_high[j]);
    rs_record_str(r, "method", method);
  }
  if (its->seasonal)
    for (int s = 0; s < RS_ITS_NSEASON; s++) {
      rs_record *r = rs_results_add(out);
      char *name = g_strdup_printf(en ? "month: %s vs January" : "måned: %s mot januar", (en ? months_en : months_nb)[s + 1]);
      rs_record_str(r, "name", name);
      g_free(name);
      rs_record_int(r, "n", (long long)its->n_obs);
      rs_record_num(r, "estimate", its->season[s]);
      rs_record_num(r, "se", its->season_se[s]);
      rs_record_num(r, "statistic", its->season[s] / its->season_se[s]);
      rs_record_num(r, "df", its->df);
      rs_record_num(r, "p_value", its->season_p[s]);
      double q = gsl_cdf_tdist_Qinv(0.025, its->df);
      rs_record_num(r, "ci_low", its->season[s] - q * its->season_se[s]);
      rs_record_num(r, "ci_high", its->season[s] + q * its->season_se[s]);
      rs_record_str(r, "method", method);
    }
  g_free(method);
  if (its->rows_dropped) {
    GString *s = g_string_new(NULL);
    g_string_printf(s, en ? "%zu rows with a missing value were left out, numerator and denominator together ("
                          : "%zu rader med manglende verdi ble utelatt, teller og nevner samlet (",
                    its->rows_dropped);
    bool first = true;
    size_t counted = 0;
    for (int m = 1; m < RS_MISS_N_REASONS; m++)
      if (its->dropped[m]) {
        g_string_append_printf(s, "%s%s: %zu", first ? "" : ", ", rs_miss_label((rs_miss)m), its->dropped[m]);
        counted += its->dropped[m];
        first = false;
      }
    if (counted < its->rows_dropped)
      g_string_append_printf(s, en ? "%srows summed with such a row: %zu" : "%srader summert med en slik rad: %zu",
                             first ? "" : ", ", its->rows_dropped - counted);
    g_string_append(s, ").");
    rs_results_add_note(out, s->str);
    g_string_free(s, TRUE);
  }
  if (its->periods_empty) {
    char *n = g_strdup_printf(en ? "%zu period(s) in the file had no usable row (every value missing) and are not in the series."
                                 : "%zu periode(r) i filen hadde ingen brukbar rad (alle verdier mangler) og er ikke med i serien.",
                              its->periods_empty);
    rs_results_add_note(out, n);
    g_free(n);
  }
}

gboolean rs_its_write_counterfactual(const rs_its *its, const char *path, GError **err) {
  rs_atomic *a = rs_atomic_open(path, err);
  if (!a) return FALSE;
  FILE *fp = rs_atomic_file(a);
  fprintf(fp, "period,observed,fitted,counterfactual,post\n");
  for (size_t k = 0; k < its->n; k++) {
    char d[16], v[32], f[32], c[32];
    rs_value_format_date(its->day[k], d);
    rs_value_format_double(its->value[k], v);
    rs_value_format_double(its->fitted[k], f);
    rs_value_format_double(its->counterfactual[k], c);
    fprintf(fp, "%s,%s,%s,%s,%d\n", d, v, f, c, its->day[k] >= its->break_day);
  }
  return rs_atomic_commit(a, err);
}
