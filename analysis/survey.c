/* survey.c — Taylor-linearised variance of weighted means (survey::svymean).
 *
 * The design keeps, per row, its stratum and PSU as small integers; PSUs
 * are numbered within their stratum so that the PSU totals of the
 * influence values can be centred per stratum.  Sums in long double.
 */
#include "analysis/survey.h"
#include "datasets/error.h"

#include <math.h>
#include <string.h>

struct rs_svy_design {
  size_t n;
  double *w;
  int *stratum;       /* [n] 0 .. H-1 */
  int *psu;           /* [n] 0 .. P-1, over all strata */
  int *psu_stratum;   /* [P] stratum of each PSU */
  size_t H, P;
  size_t *n_h;        /* [H] PSUs per stratum */
};

void rs_svy_design_free(rs_svy_design *d) {
  if (!d) return;
  g_free(d->w);
  g_free(d->stratum);
  g_free(d->psu);
  g_free(d->psu_stratum);
  g_free(d->n_h);
  g_free(d);
}

size_t rs_svy_design_psus(const rs_svy_design *d) { return d->P; }
size_t rs_svy_design_strata(const rs_svy_design *d) { return d->H; }

/* Index of key in h, adding it as the next index when new. */
static int intern(GHashTable *h, gint64 key) {
  gpointer v;
  if (g_hash_table_lookup_extended(h, &key, NULL, &v)) return GPOINTER_TO_INT(v);
  int idx = (int)g_hash_table_size(h);
  gint64 *k = g_new(gint64, 1);
  *k = key;
  g_hash_table_insert(h, k, GINT_TO_POINTER(idx));
  return idx;
}

rs_svy_design *rs_svy_design_new(size_t n, const double *w, const long *strata, const long *clusters, GError **err) {
  rs_svy_design *d = g_new0(rs_svy_design, 1);
  d->n = n;
  d->w = g_new(double, n ? n : 1);
  d->stratum = g_new(int, n ? n : 1);
  d->psu = g_new(int, n ? n : 1);
  GHashTable *hs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTable *hp = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GArray *ps = g_array_new(FALSE, FALSE, sizeof(int));
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(w[i]) || w[i] < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "row %zu: the weight %g is not a non-negative number", i + 1, w[i]);
      goto fail;
    }
    d->w[i] = w[i];
    d->stratum[i] = strata ? intern(hs, strata[i]) : 0;
    /* a PSU is a (stratum, cluster) pair; without clusters, every row */
    size_t before = g_hash_table_size(hp);
    if (clusters) {
      char *key = g_strdup_printf("%d:%ld", d->stratum[i], clusters[i]);
      gpointer v;
      if (g_hash_table_lookup_extended(hp, key, NULL, &v)) {
        d->psu[i] = GPOINTER_TO_INT(v);
        g_free(key);
      } else {
        d->psu[i] = (int)before;
        g_hash_table_insert(hp, key, GINT_TO_POINTER(d->psu[i]));
      }
    } else {
      d->psu[i] = (int)i;
      g_hash_table_insert(hp, g_strdup_printf("%zu", i), GINT_TO_POINTER(d->psu[i]));
    }
    if (g_hash_table_size(hp) > before) g_array_append_val(ps, d->stratum[i]);
  }
  d->H = strata ? g_hash_table_size(hs) : (n ? 1 : 0);
  d->P = ps->len;
  d->psu_stratum = (int *)g_array_free(ps, FALSE);
  ps = NULL;
  d->n_h = g_new0(size_t, d->H ? d->H : 1);
  for (size_t p = 0; p < d->P; p++) d->n_h[d->psu_stratum[p]]++;
  for (size_t h = 0; h < d->H; h++)
    if (d->n_h[h] < 2) {
      size_t row = 0;
      for (size_t i = 0; i < n; i++)
        if ((size_t)d->stratum[i] == h) { row = i + 1; break; }
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "the stratum of data row %zu has only one cluster (PSU), so its variance cannot be estimated; "
                  "merge it with a neighbouring stratum (R's survey package fails here too: "
                  "options(survey.lonely.psu = \"fail\"))", row);
      goto fail;
    }
  g_hash_table_destroy(hs);
  g_hash_table_destroy(hp);
  return d;
fail:
  if (ps) g_array_free(ps, TRUE);
  g_hash_table_destroy(hs);
  g_hash_table_destroy(hp);
  rs_svy_design_free(d);
  return NULL;
}

/* Codes of a column's values, numbered by first appearance of their
 * text.  Missing is an error naming the line. */
static long *column_codes(const rs_table *t, int j, const char *what, GError **err) {
  const rs_column *c = &t->cols[j];
  long *codes = g_new(long, t->nrows ? t->nrows : 1);
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (size_t i = 0; i < t->nrows; i++) {
    if (!rs_column_present(c, i)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d, column '%s': the %s is missing; every row needs one",
                  t->path, t->row_line ? t->row_line[i] : (int)i + 2, c->name, what);
      g_free(codes);
      g_hash_table_destroy(h);
      return NULL;
    }
    char buf[32];
    const char *text = c->storage == RS_STORE_STR ? c->str[i] : (rs_value_format_double(c->num[i], buf), buf);
    gpointer v;
    if (!g_hash_table_lookup_extended(h, text, NULL, &v)) {
      v = GINT_TO_POINTER((int)g_hash_table_size(h));
      g_hash_table_insert(h, g_strdup(text), v);
    }
    codes[i] = GPOINTER_TO_INT(v);
  }
  g_hash_table_destroy(h);
  return codes;
}

rs_svy_design *rs_svy_design_from_table(const rs_table *t, const char *weight, const char *strata, const char *cluster,
                                        GError **err) {
  const char *names[3] = {weight, strata, cluster};
  const char *opts[3] = {"--weight", "--strata", "--cluster"};
  int cols[3] = {-1, -1, -1};
  for (int k = 0; k < 3; k++) {
    if (!names[k]) continue;
    cols[k] = rs_table_find(t, names[k]);
    if (cols[k] < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: %s '%s' is not a column of the file", t->path, opts[k], names[k]);
      return NULL;
    }
  }
  if (cols[0] < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "a survey design needs --weight");
    return NULL;
  }
  const rs_column *wc = &t->cols[cols[0]];
  if (wc->storage != RS_STORE_NUM) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --weight '%s' is of type %s, not a number", t->path, wc->name,
                rs_type_name(wc->type));
    return NULL;
  }
  double *w = g_new(double, t->nrows ? t->nrows : 1);
  for (size_t i = 0; i < t->nrows; i++) {
    if (!rs_column_present(wc, i) || !isfinite(wc->num[i]) || wc->num[i] < 0) {
      if (rs_column_present(wc, i))
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d, column '%s': the weight %g is negative", t->path,
                    t->row_line ? t->row_line[i] : (int)i + 2, wc->name, wc->num[i]);
      else
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d, column '%s': the weight is missing; every row needs one",
                    t->path, t->row_line ? t->row_line[i] : (int)i + 2, wc->name);
      g_free(w);
      return NULL;
    }
    w[i] = wc->num[i];
  }
  long *sc = NULL, *cc = NULL;
  rs_svy_design *d = NULL;
  if (cols[1] >= 0 && !(sc = column_codes(t, cols[1], "stratum", err))) goto out;
  if (cols[2] >= 0 && !(cc = column_codes(t, cols[2], "cluster", err))) goto out;
  d = rs_svy_design_new(t->nrows, w, sc, cc, err);
  if (!d && err && *err && cols[1] >= 0) g_prefix_error(err, "%s: --strata '%s': ", t->path, strata);
out:
  g_free(sc);
  g_free(cc);
  g_free(w);
  return d;
}

void rs_svy_mean(const rs_svy_design *d, const double *y, const size_t *rows, size_t nrows, rs_svy_estimate *out) {
  memset(out, 0, sizeof *out);
  out->mean = out->se = NAN;
  if (!rows) nrows = d->n;
  long double sw = 0, swy = 0;
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (isnan(y[i])) continue;
    out->n++;
    sw += d->w[i];
    swy += (long double)d->w[i] * y[i];
  }
  out->wsum = (double)sw;
  if (out->n == 0 || sw <= 0) return;
  long double ybar = swy / sw;
  /* one more pass for the rounding of the mean (as two-pass variance) */
  long double corr = 0;
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (!isnan(y[i])) corr += (long double)d->w[i] * (y[i] - ybar);
  }
  ybar += corr / sw;
  out->mean = (double)ybar;
  /* PSU totals of the influence values z_i = w_i (y_i - ybar) / sum(w) */
  long double *tot = g_new0(long double, d->P ? d->P : 1);
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (!isnan(y[i])) tot[d->psu[i]] += (long double)d->w[i] * (y[i] - ybar) / sw;
  }
  long double *mh = g_new0(long double, d->H ? d->H : 1);
  for (size_t p = 0; p < d->P; p++) mh[d->psu_stratum[p]] += tot[p];
  for (size_t h = 0; h < d->H; h++) mh[h] /= (long double)d->n_h[h];
  long double *ss = g_new0(long double, d->H ? d->H : 1);
  for (size_t p = 0; p < d->P; p++) {
    long double e = tot[p] - mh[d->psu_stratum[p]];
    ss[d->psu_stratum[p]] += e * e;
  }
  long double var = 0;
  for (size_t h = 0; h < d->H; h++) var += ss[h] * (long double)d->n_h[h] / (long double)(d->n_h[h] - 1);
  out->se = (double)sqrtl(var);
  g_free(tot);
  g_free(mh);
  g_free(ss);
}
