/* its.c — aggregate a rate series by period and fit the segmented
 * regression of its.h (design built here, fit by ols.h, SEs by vcov.h). */
#include "analysis/its.h"
#include "analysis/ols.h"
#include "analysis/vcov.h"
#include "datasets/error.h"
#include "datasets/kommune.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  int32_t day;
  long double num, den;  /* long double sums: counts up to ~1e9 stay exact */
  size_t rows;
} period_acc;

static int period_cmp(const void *a, const void *b) {
  int32_t x = ((const period_acc *)a)->day, y = ((const period_acc *)b)->day;
  return (x > y) - (x < y);
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
  const rs_column *fc = NULL;
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
  GHashTable *idx = g_hash_table_new(g_direct_hash, g_direct_equal);
  GArray *acc = g_array_new(FALSE, TRUE, sizeof(period_acc));
  gsl_matrix *X = NULL, *V = NULL;
  gsl_vector *y = NULL;
  rs_ols *fit = NULL;
  bool ok = false;
  size_t nrows = o->rows ? o->nrows : t->nrows;
  for (size_t r = 0; r < nrows; r++) {
    size_t i = o->rows ? o->rows[r] : r;
    if (fc && !row_matches(fc, i, o->filter_value, want_norm)) {
      its->rows_filtered_out++;
      continue;
    }
    if (!rs_column_present(dc, i)) {
      its->dropped[rs_column_miss(dc, i)]++;
      its->rows_dropped++;
      continue;
    }
    rs_miss m = rs_column_miss(nc, i);
    if (m == RS_MISS_NONE && ec) m = rs_column_miss(ec, i);
    if (m != RS_MISS_NONE) {
      its->dropped[m]++;
      its->rows_dropped++;
      continue;
    }
    double nv = nc->num[i], ev = ec ? ec->num[i] : 0;
    if (!isfinite(nv) || (ec && !isfinite(ev))) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d: the value is not a finite number", t->path,
                  t->row_line ? t->row_line[i] : (int)(i + 2));
      goto done;
    }
    int32_t day = (int32_t)dc->num[i];
    gpointer k = GINT_TO_POINTER(day), v;
    size_t at;
    if (g_hash_table_lookup_extended(idx, k, NULL, &v)) {
      at = GPOINTER_TO_SIZE(v);
    } else {
      at = acc->len;
      period_acc z = {.day = day};
      g_array_append_val(acc, z);
      g_hash_table_insert(idx, k, GSIZE_TO_POINTER(at));
    }
    period_acc *p = &g_array_index(acc, period_acc, at);
    p->num += nv;
    p->den += ev;
    p->rows++;
    its->rows_used++;
  }
  if (fc && its->rows_used + its->rows_dropped == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has %s = '%s'", t->path, o->filter_column, o->filter_value);
    goto done;
  }
  qsort(acc->data, acc->len, sizeof(period_acc), period_cmp);
  /* Periods whose denominator sums to 0 have no rate: left out. */
  size_t n = 0;
  its->day = g_new(int32_t, acc->len + 1);
  its->num = g_new(double, acc->len + 1);
  its->den = g_new(double, acc->len + 1);
  its->rows = g_new(size_t, acc->len + 1);
  its->value = g_new(double, acc->len + 1);
  for (size_t k = 0; k < acc->len; k++) {
    period_acc *p = &g_array_index(acc, period_acc, k);
    if (ec && p->den <= 0) continue;
    its->day[n] = p->day;
    its->num[n] = (double)p->num;
    its->den[n] = ec ? (double)p->den : NAN;
    its->rows[n] = p->rows;
    its->value[n] = ec ? (double)(p->num / p->den * its->scale) : (double)p->num;
    if (its->day[n] >= its->break_day) its->n_post++;
    else its->n_pre++;
    n++;
  }
  its->n = n;
  if (its->n_pre < 3 || its->n_post < 3) {
    char b[16];
    rs_value_format_date(its->break_day, b);
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: the series has %zu period%s with data before %s and %zu from it; the segmented regression "
                "needs at least 3 on each side", t->path, its->n_pre, its->n_pre == 1 ? "" : "s", b, its->n_post);
    goto done;
  }
  X = gsl_matrix_alloc(n, RS_ITS_NCOEF);
  y = gsl_vector_alloc(n);
  for (size_t k = 0; k < n; k++) {
    double tt = (its->day[k] - its->break_day) / 365.25, post = its->day[k] >= its->break_day;
    gsl_matrix_set(X, k, RS_ITS_B0, 1);
    gsl_matrix_set(X, k, RS_ITS_TREND, tt);
    gsl_matrix_set(X, k, RS_ITS_LEVEL, post);
    gsl_matrix_set(X, k, RS_ITS_SLOPE, post * tt);
    gsl_vector_set(y, k, its->value[k]);
  }
  fit = rs_ols_fit(X, y, NULL, true, NULL, err);
  if (!fit) goto done;
  if (fit->rank < RS_ITS_NCOEF) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the segmented regression cannot separate level and trend "
                "(the periods are too few or evenly repeated)", t->path);
    goto done;
  }
  rs_vcov_spec spec = {.type = RS_VCOV_HAC};
  if (o->lag == -2) spec.type = RS_VCOV_CLASSICAL;
  else spec.lag = o->lag >= 0 ? o->lag : (int)floor(4 * pow(n / 100.0, 2.0 / 9.0));
  its->lag = spec.type == RS_VCOV_HAC ? spec.lag : -1;
  V = gsl_matrix_calloc(RS_ITS_NCOEF, RS_ITS_NCOEF);
  if (!rs_vcov_ols(fit, X, &spec, V, err)) goto done;
  its->df = fit->df_resid;
  double q = gsl_cdf_tdist_Qinv(0.025, its->df);
  for (int j = 0; j < RS_ITS_NCOEF; j++) {
    its->coef[j] = fit->coef[j];
    its->se[j] = sqrt(gsl_matrix_get(V, j, j));
    its->statistic[j] = its->coef[j] / its->se[j];
    its->p_value[j] = 2 * gsl_cdf_tdist_Q(fabs(its->statistic[j]), its->df);
    its->ci_low[j] = its->coef[j] - q * its->se[j];
    its->ci_high[j] = its->coef[j] + q * its->se[j];
  }
  its->fitted = g_new(double, n);
  its->counterfactual = g_new(double, n);
  for (size_t k = 0; k < n; k++) {
    its->fitted[k] = fit->fitted[k];
    double tt = gsl_matrix_get(X, k, RS_ITS_TREND);
    its->counterfactual[k] = its->coef[RS_ITS_B0] + its->coef[RS_ITS_TREND] * tt;
  }
  ok = true;
done:
  g_free(want_norm);
  g_hash_table_destroy(idx);
  g_array_free(acc, TRUE);
  if (X) gsl_matrix_free(X);
  if (V) gsl_matrix_free(V);
  if (y) gsl_vector_free(y);
  rs_ols_free(fit);
  if (!ok) {
    rs_its_free(its);
    return NULL;
  }
  return its;
}

void rs_its_records(const rs_its *its, rs_results *out) {
  static const char *names[RS_ITS_NCOEF] = {"level at break (pre-reform trend)", "trend before, per year",
                                            "level change at break", "trend change, per year"};
  char *method = its->lag >= 0 ? g_strdup_printf("segmented OLS, SE Newey-West lag %d", its->lag)
                               : g_strdup("segmented OLS, SE classical");
  for (int j = 0; j < RS_ITS_NCOEF; j++) {
    rs_record *r = rs_results_add(out);
    rs_record_str(r, "name", names[j]);
    rs_record_int(r, "n", (long long)its->n);
    rs_record_num(r, "estimate", its->coef[j]);
    rs_record_num(r, "se", its->se[j]);
    rs_record_num(r, "statistic", its->statistic[j]);
    rs_record_num(r, "df", its->df);
    rs_record_num(r, "p_value", its->p_value[j]);
    rs_record_num(r, "ci_low", its->ci_low[j]);
    rs_record_num(r, "ci_high", its->ci_high[j]);
    rs_record_str(r, "method", method);
  }
  g_free(method);
  if (its->rows_dropped) {
    GString *s = g_string_new(NULL);
    g_string_printf(s, "%zu rows with a missing value were left out, numerator and denominator together (", its->rows_dropped);
    bool first = true;
    for (int m = 1; m < RS_MISS_N_REASONS; m++)
      if (its->dropped[m]) {
        g_string_append_printf(s, "%s%s: %zu", first ? "" : ", ", rs_miss_label((rs_miss)m), its->dropped[m]);
        first = false;
      }
    g_string_append(s, ").");
    rs_results_add_note(out, s->str);
    g_string_free(s, TRUE);
  }
}
