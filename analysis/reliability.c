/* reliability.c — Cronbach's alpha from pairwise covariances (psych::alpha).
 *
 * Each covariance C[i][j] uses the rows where both items are answered,
 * with the means of those rows (R's cov(use = "pairwise")), summed in two
 * passes in long double.
 */
#include "analysis/reliability.h"
#include "datasets/error.h"

#include <math.h>
#include <string.h>

void rs_alpha_free(rs_alpha *a) {
  if (!a) return;
  g_free(a->alpha_drop);
  g_free(a->r_drop);
  g_free(a->mean);
  g_free(a->sd);
  g_free(a->n_item);
  g_free(a);
}

static const char *item_name(const char *const *names, size_t i, char *buf) {
  if (names) return names[i];
  g_snprintf(buf, 32, "item %zu", i + 1);
  return buf;
}

/* Alpha of the covariance submatrix without item `skip` (or all: skip = k). */
static double alpha_of(const double *C, size_t k, size_t skip) {
  long double tr = 0, sum = 0;
  size_t m = 0;
  for (size_t i = 0; i < k; i++) {
    if (i == skip) continue;
    m++;
    tr += C[i * k + i];
    for (size_t j = 0; j < k; j++)
      if (j != skip) sum += C[i * k + j];
  }
  return (double)((1 - tr / sum) * ((long double)m / (long double)(m - 1)));
}

rs_alpha *rs_reliability_alpha(const double *x, size_t n, size_t k, const char *const *names, GError **err) {
  char b1[32], b2[32];
  if (k < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "Cronbach's alpha needs at least two items");
    return NULL;
  }
  double *C = g_new0(double, k * k);
  rs_alpha *a = g_new0(rs_alpha, 1);
  a->k = k;
  a->alpha_drop = g_new(double, k);
  a->r_drop = g_new(double, k);
  a->mean = g_new(double, k);
  a->sd = g_new(double, k);
  a->n_item = g_new0(size_t, k);
  for (size_t r = 0; r < n; r++) {
    size_t present = 0;
    for (size_t i = 0; i < k; i++) present += !isnan(x[r * k + i]);
    a->n_rows += present > 0;
    a->n_complete += present == k;
  }
  for (size_t i = 0; i < k; i++)
    for (size_t j = i; j < k; j++) {
      long double si = 0, sj = 0;
      size_t m = 0;
      for (size_t r = 0; r < n; r++) {
        double u = x[r * k + i], v = x[r * k + j];
        if (isnan(u) || isnan(v)) continue;
        si += u;
        sj += v;
        m++;
      }
      if (m < 2) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                    i == j ? "item '%s' has fewer than two answers; Cronbach's alpha is not defined"
                           : "items '%s' and '%s' are answered together in fewer than two rows; their covariance is not defined",
                    item_name(names, i, b1), item_name(names, j, b2));
        goto fail;
      }
      long double mi = si / (long double)m, mj = sj / (long double)m, s = 0;
      for (size_t r = 0; r < n; r++) {
        double u = x[r * k + i], v = x[r * k + j];
        if (isnan(u) || isnan(v)) continue;
        s += (u - mi) * (v - mj);
      }
      C[i * k + j] = C[j * k + i] = (double)(s / (long double)(m - 1));
      if (i == j) {
        a->n_item[i] = m;
        a->mean[i] = (double)mi;
        a->sd[i] = sqrt(C[i * k + i]);
        if (C[i * k + i] <= 0) {
          g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                      "item '%s' has the same answer in every row; Cronbach's alpha is not defined with it "
                      "(leave it out of --items)", item_name(names, i, b1));
          goto fail;
        }
      }
    }
  a->alpha = alpha_of(C, k, k);
  for (size_t i = 0; i < k; i++) {
    if (k == 2) {
      size_t o = 1 - i;   /* psych::alpha's two-item case: C12 / C[other, other] */
      a->alpha_drop[i] = C[0 * k + 1] / C[o * k + o];
    } else {
      a->alpha_drop[i] = alpha_of(C, k, i);
    }
    long double vdrop = 0, cdrop = 0;
    for (size_t p = 0; p < k; p++) {
      if (p != i) cdrop += C[p * k + i];
      for (size_t q = 0; q < k; q++)
        if (p != i && q != i) vdrop += C[p * k + q];
    }
    a->r_drop[i] = (double)(cdrop / sqrtl((long double)C[i * k + i] * vdrop));
  }
  g_free(C);
  return a;
fail:
  g_free(C);
  rs_alpha_free(a);
  return NULL;
}

char **rs_reliability_index_items(const rs_codebook *cb, const char *name, GError **err) {
  GPtrArray *v = g_ptr_array_new();
  if (cb)
    for (guint i = 0; i < cb->vars->len; i++) {
      const rs_cb_var *var = g_ptr_array_index(cb->vars, i);
      if (var->index && strcmp(var->index, name) == 0) g_ptr_array_add(v, g_strdup(var->name));
    }
  if (v->len == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                cb ? "%s: no variable has '%s' in the codebook's index column" : "%s--index '%s' needs --codebook",
                cb ? cb->path : "", name);
    g_ptr_array_free(v, TRUE);
    return NULL;
  }
  g_ptr_array_add(v, NULL);
  return (char **)g_ptr_array_free(v, FALSE);
}

gboolean rs_reliability_table(const rs_table *t, const char *const *items, const char *index_name, rs_results *out,
                              GError **err) {
  size_t k = items ? g_strv_length((char **)items) : 0;
  if (k < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "Cronbach's alpha needs at least two items");
    return FALSE;
  }
  int *cols = g_new(int, k);
  GString *reversed = g_string_new(NULL);
  for (size_t i = 0; i < k; i++) {
    cols[i] = rs_table_find(t, items[i]);
    if (cols[i] < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: item '%s' is not a column of the file", t->path, items[i]);
      goto fail;
    }
    const rs_column *c = &t->cols[cols[i]];
    if (c->storage != RS_STORE_NUM || c->type == RS_TYPE_DATE) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: item '%s' is of type %s; alpha needs numeric answers", t->path,
                  c->name, rs_type_name(c->type));
      goto fail;
    }
    if (c->var && c->var->reverse) {
      if (!c->var->has_min || !c->var->has_max) {
        g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK,
                    "%s: line %ld: item '%s' is marked reverse = 1 but has no min and max to reverse it within",
                    "codebook", c->var->line, c->name);
        goto fail;
      }
      g_string_append_printf(reversed, "%s%s", reversed->len ? ", " : "", c->name);
    }
  }
  double *x = g_new(double, t->nrows * k + 1);
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t i = 0; i < k; i++) {
      const rs_column *c = &t->cols[cols[i]];
      double v = rs_column_present(c, r) ? c->num[r] : NAN;
      if (!isnan(v) && c->var && c->var->reverse) v = c->var->min + c->var->max - v;
      x[r * k + i] = v;
    }
  rs_alpha *a = rs_reliability_alpha(x, t->nrows, k, items, err);
  g_free(x);
  if (!a) goto fail;
  rs_results_section(out, "Scale");
  rs_record *rec = rs_results_add(out);
  rs_record_str(rec, "name", index_name ? index_name : "scale");
  rs_record_int(rec, "items", (long long)k);
  rs_record_int(rec, "n", (long long)a->n_rows);
  rs_record_int(rec, "n_complete", (long long)a->n_complete);
  rs_record_num(rec, "estimate", a->alpha);
  rs_record_str(rec, "method", "Cronbach's alpha (raw), pairwise covariances");
  rs_results_section(out, "Items");
  for (size_t i = 0; i < k; i++) {
    rec = rs_results_add(out);
    rs_record_str(rec, "name", items[i]);
    rs_record_str(rec, "reversed", t->cols[cols[i]].var && t->cols[cols[i]].var->reverse ? "yes" : "no");
    rs_record_int(rec, "n", (long long)a->n_item[i]);
    rs_record_num(rec, "mean", a->mean[i]);
    rs_record_num(rec, "sd", a->sd[i]);
    rs_record_num(rec, "alpha_if_dropped", a->alpha_drop[i]);
    rs_record_num(rec, "r_drop", a->r_drop[i]);
  }
  rs_results_add_note(out, "Alpha from pairwise covariances, as psych::alpha(x)$total$raw_alpha; r_drop is the "
                           "correlation of an item with the sum of the other items.");
  if (reversed->len) {
    char *note = g_strdup_printf("Reverse-coded (min + max - x, from the codebook): %s.", reversed->str);
    rs_results_add_note(out, note);
    g_free(note);
  }
  rs_alpha_free(a);
  g_string_free(reversed, TRUE);
  g_free(cols);
  return TRUE;
fail:
  g_string_free(reversed, TRUE);
  g_free(cols);
  return FALSE;
}
