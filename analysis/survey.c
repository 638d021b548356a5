/* survey.c — Taylor-linearised variance of weighted means (survey::svymean).
 *
 * The design keeps, per row, its stratum and PSU as small integers; PSUs
 * are numbered within their stratum so that the PSU totals of the
 * influence values can be centred per stratum.  Sums in long double.
 */
#include "analysis/survey.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <stdbool.h>
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

double rs_svy_domain_df(const rs_svy_design *d, const size_t *rows, size_t nrows) {
  /* PSUs and strata that keep a row of nonzero weight among `rows`, as
   * degf(design[rows, ]) counts them */
  uint8_t *psu = g_new0(uint8_t, d->P ? d->P : 1), *st = g_new0(uint8_t, d->H ? d->H : 1);
  size_t np = 0, nh = 0;
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows[k];
    if (d->w[i] == 0) continue;
    if (!psu[d->psu[i]]) { psu[d->psu[i]] = 1; np++; }
    if (!st[d->stratum[i]]) { st[d->stratum[i]] = 1; nh++; }
  }
  g_free(psu);
  g_free(st);
  return (double)np - (double)nh;
}

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

typedef struct {
  gint64 stratum, cluster;
} psu_key;

static guint psu_key_hash(gconstpointer p) {
  const psu_key *k = p;
  return g_int64_hash(&k->cluster) * 31u + g_int64_hash(&k->stratum);
}

static gboolean psu_key_equal(gconstpointer a, gconstpointer b) {
  const psu_key *x = a, *y = b;
  return x->stratum == y->stratum && x->cluster == y->cluster;
}

/* lines (optional): the file line of each row, for the lonely-PSU message */
static rs_svy_design *design_build(size_t n, const double *w, const long *strata, const long *clusters,
                                   const int *lines, GError **err) {
  rs_svy_design *d = g_new0(rs_svy_design, 1);
  d->n = n;
  d->w = g_new(double, n ? n : 1);
  d->stratum = g_new(int, n ? n : 1);
  d->psu = g_new(int, n ? n : 1);
  GHashTable *hs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTable *hp = g_hash_table_new_full(psu_key_hash, psu_key_equal, g_free, NULL);
  GArray *ps = g_array_new(FALSE, FALSE, sizeof(int));
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(w[i]) || w[i] < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "row %zu: the weight %g is not a non-negative number", i + 1, w[i]);
      goto fail;
    }
    d->w[i] = w[i];
    d->stratum[i] = strata ? intern(hs, strata[i]) : 0;
    /* a PSU is a (stratum, cluster) pair, numbered by first appearance; without clusters, every row */
    if (clusters) {
      psu_key key = {d->stratum[i], clusters[i]};
      gpointer v;
      if (g_hash_table_lookup_extended(hp, &key, NULL, &v)) {
        d->psu[i] = GPOINTER_TO_INT(v);
        continue;
      }
      d->psu[i] = (int)ps->len;
      g_hash_table_insert(hp, g_memdup2(&key, sizeof key), GINT_TO_POINTER(d->psu[i]));
    } else {
      d->psu[i] = (int)i;
    }
    g_array_append_val(ps, d->stratum[i]);
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
      char *where = lines ? g_strdup_printf("line %d", lines[row - 1]) : g_strdup_printf("data row %zu", row);
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "the stratum of %s has only one cluster (PSU)%s, so its variance cannot be estimated; "
                  "merge it with a neighbouring stratum (R's survey package fails here too: "
                  "options(survey.lonely.psu = \"fail\"))", where, lines ? " among the rows used" : "");
      g_free(where);
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

rs_svy_design *rs_svy_design_new(size_t n, const double *w, const long *strata, const long *clusters, GError **err) {
  return design_build(n, w, strata, clusters, NULL, err);
}

/* Codes of a column's values over rows (NULL: all), numbered by first
 * appearance of their text.  Missing is an error naming the line. */
static long *column_codes(const rs_table *t, const size_t *rows, size_t nrows, int j, const char *what, GError **err) {
  const rs_column *c = &t->cols[j];
  long *codes = g_new(long, nrows ? nrows : 1);
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  /* a number's text is made once: its code is found again by its bits */
  GHashTable *by_bits = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (!rs_column_present(c, i)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d, column '%s': the %s is missing; every row needs one",
                  t->path, t->row_line ? t->row_line[i] : (int)i + 2, c->name, what);
      g_free(codes);
      g_hash_table_destroy(h);
      g_hash_table_destroy(by_bits);
      return NULL;
    }
    gint64 bits = 0;
    gpointer v;
    if (c->storage == RS_STORE_NUM) {
      memcpy(&bits, &c->num[i], sizeof bits);
      if (g_hash_table_lookup_extended(by_bits, &bits, NULL, &v)) {
        codes[k] = GPOINTER_TO_INT(v);
        continue;
      }
    }
    char buf[32];
    const char *text = c->storage == RS_STORE_STR ? c->str[i] : (rs_value_format_double(c->num[i], buf), buf);
    if (!g_hash_table_lookup_extended(h, text, NULL, &v)) {
      v = GINT_TO_POINTER((int)g_hash_table_size(h));
      g_hash_table_insert(h, g_strdup(text), v);
    }
    codes[k] = GPOINTER_TO_INT(v);
    if (c->storage == RS_STORE_NUM) g_hash_table_insert(by_bits, g_memdup2(&bits, sizeof bits), v);
  }
  g_hash_table_destroy(h);
  g_hash_table_destroy(by_bits);
  return codes;
}

rs_svy_design *rs_svy_design_from_table(const rs_table *t, const char *weight, const char *strata, const char *cluster,
                                        GError **err) {
  return rs_svy_design_from_table_rows(t, NULL, t->nrows, weight, strata, cluster, err);
}

rs_svy_design *rs_svy_design_from_table_rows(const rs_table *t, const size_t *rows, size_t nrows, const char *weight,
                                             const char *strata, const char *cluster, GError **err) {
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
  if (cols[0] < 0 && !cluster && !strata) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "a survey design needs --weight");
    return NULL;
  }
  /* no weight but clusters or strata: every row weighs 1, as svydesign without weights */
  const rs_column *wc = cols[0] >= 0 ? &t->cols[cols[0]] : NULL;
  if (wc && wc->storage != RS_STORE_NUM) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --weight '%s' is of type %s, not a number", t->path, wc->name,
                rs_type_name(wc->type));
    return NULL;
  }
  double *w = g_new(double, nrows ? nrows : 1);
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (!wc) {
      w[k] = 1;
      continue;
    }
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
    w[k] = wc->num[i];
  }
  long *sc = NULL, *cc = NULL;
  rs_svy_design *d = NULL;
  if (cols[1] >= 0 && !(sc = column_codes(t, rows, nrows, cols[1], "stratum", err))) goto out;
  if (cols[2] >= 0 && !(cc = column_codes(t, rows, nrows, cols[2], "cluster", err))) goto out;
  int *lines = g_new(int, nrows ? nrows : 1);
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    lines[k] = t->row_line ? t->row_line[i] : (int)i + 2;
  }
  d = design_build(nrows, w, sc, cc, lines, err);
  g_free(lines);
  if (!d && err && *err && cols[1] >= 0) g_prefix_error(err, "%s: --strata '%s': ", t->path, strata);
out:
  g_free(sc);
  g_free(cc);
  g_free(w);
  return d;
}

/* The SE of a mean from the PSU totals of its influence values (the tail
 * of rs_svy_mean, shared with rs_svy_domains_mean so both round alike). */
static double se_of_totals(const rs_svy_design *d, const long double *tot) {
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
  g_free(mh);
  g_free(ss);
  return (double)sqrtl(var);
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
  out->se = se_of_totals(d, tot);
  g_free(tot);
}

/* ---- design-based tests ---------------------------------------------------- */

double rs_svy_design_df(const rs_svy_design *d) {
  /* degf.survey.design2: clusters and strata of the rows with nonzero weight */
  bool *psu = g_new0(bool, d->P ? d->P : 1), *str = g_new0(bool, d->H ? d->H : 1);
  for (size_t i = 0; i < d->n; i++)
    if (d->w[i] != 0) { psu[d->psu[i]] = true; str[d->stratum[i]] = true; }
  size_t np = 0, nh = 0;
  for (size_t p = 0; p < d->P; p++) np += psu[p];
  for (size_t h = 0; h < d->H; h++) nh += str[h];
  g_free(psu);
  g_free(str);
  return (double)np - (double)nh;
}

/* rs_svy_recvar from the PSU totals tot (P x p) of the influence values. */
static void recvar_of_totals(const rs_svy_design *d, const long double *tot, size_t p, double *V) {
  long double *mh = g_new0(long double, (d->H ? d->H : 1) * p);
  for (size_t q = 0; q < d->P; q++)
    for (size_t a = 0; a < p; a++) mh[(size_t)d->psu_stratum[q] * p + a] += tot[q * p + a];
  for (size_t h = 0; h < d->H; h++)
    for (size_t a = 0; a < p; a++) mh[h * p + a] /= (long double)d->n_h[h];
  long double *acc = g_new0(long double, p * p);
  for (size_t q = 0; q < d->P; q++) {
    size_t h = (size_t)d->psu_stratum[q];
    long double f = (long double)d->n_h[h] / (long double)(d->n_h[h] - 1);
    for (size_t a = 0; a < p; a++) {
      long double ea = tot[q * p + a] - mh[h * p + a];
      if (ea == 0) continue;
      for (size_t b = 0; b < p; b++) acc[a * p + b] += f * ea * (tot[q * p + b] - mh[h * p + b]);
    }
  }
  for (size_t a = 0; a < p * p; a++) V[a] = (double)acc[a];
  g_free(mh);
  g_free(acc);
}

void rs_svy_recvar(const rs_svy_design *d, const double *z, size_t p, double *V) {
  long double *tot = g_new0(long double, (d->P ? d->P : 1) * p);
  for (size_t i = 0; i < d->n; i++)
    for (size_t a = 0; a < p; a++) tot[(size_t)d->psu[i] * p + a] += z[i * p + a];
  recvar_of_totals(d, tot, p, V);
  g_free(tot);
}

/* ---- many domains at once --------------------------------------------------- */

/* Where the domains' rows are, shared by the copies of rs_svy_domains_share.
 * Row numbers are 32-bit to halve the memory (and its page clearing). */
typedef struct {
  gatomicrefcount ref;
  size_t k;
  /* domain j's rows in row order: rows[off[j] .. off[j + 1]); the same rows
   * ordered by PSU (then row): by_psu[off[j] .. off[j + 1]), so that each
   * PSU's total is summed in row order in a register */
  size_t *off;                  /* [k + 1] */
  uint32_t *rows, *by_psu;      /* [off[k]]; by_psu holds positions in `order` */
  uint32_t *order;              /* [n] all rows in (PSU, row) order */
  double *w_order;              /* [n] their weights */
  size_t *run_off;              /* [k + 1] domain j's PSU runs: run_end[run_off[j] .. run_off[j + 1]) */
  size_t *run_end;              /* end of each run in by_psu, counted from the domain's start */
  int *run_psu;                 /* the run's PSU */
} domains_layout;

struct rs_svy_domains {
  const rs_svy_design *d;
  domains_layout *l;
  double *y_order;              /* [n] the outcome in `order` */
  double *mean, *wsum;          /* [k] as returned */
  /* per PSU run of a domain (a domain's PSUs only, so that a design of one PSU per row costs no k x P arrays) */
  long double *ztot;            /* [runs] PSU totals of the double influence values (rs_svy_recvar's) */
  uint8_t *seen;                /* [runs] a row of nonzero weight with y in this PSU (rs_svy_domain_df) */
};

static domains_layout *layout_new(const rs_svy_design *d, const int *dom, size_t m, size_t k) {
  domains_layout *l = g_new0(domains_layout, 1);
  g_atomic_ref_count_init(&l->ref);
  l->k = k;
  l->off = g_new0(size_t, k + 1);
  for (size_t a = 0; a < d->n * m; a++)
    if (dom[a] >= 0) l->off[dom[a] + 1]++;
  for (size_t j = 0; j < k; j++) l->off[j + 1] += l->off[j];
  l->rows = g_new(uint32_t, l->off[k] + 1);
  l->by_psu = g_new(uint32_t, l->off[k] + 1);
  size_t *fill = g_new(size_t, k + 1);
  memcpy(fill, l->off, k * sizeof(size_t));
  for (size_t i = 0; i < d->n; i++)
    for (size_t q = 0; q < m; q++)
      if (dom[i * m + q] >= 0) l->rows[fill[dom[i * m + q]]++] = (uint32_t)i;
  /* all rows in (PSU, row) order by counting, then dealt out to their domains (the outcome is read in that
   * order too, so a domain's pass over its PSUs reads memory forwards) */
  size_t *start = g_new0(size_t, d->P + 1);
  l->order = g_new(uint32_t, d->n + 1);
  l->w_order = g_new(double, d->n + 1);
  for (size_t i = 0; i < d->n; i++) start[d->psu[i] + 1]++;
  for (size_t q = 0; q < d->P; q++) start[q + 1] += start[q];
  for (size_t i = 0; i < d->n; i++) l->order[start[d->psu[i]]++] = (uint32_t)i;
  for (size_t r = 0; r < d->n; r++) l->w_order[r] = d->w[l->order[r]];
  memcpy(fill, l->off, k * sizeof(size_t));
  for (size_t r = 0; r < d->n; r++) {
    size_t i = l->order[r];
    for (size_t q = 0; q < m; q++)
      if (dom[i * m + q] >= 0) l->by_psu[fill[dom[i * m + q]]++] = (uint32_t)r;
  }
  /* the PSU runs of each domain */
  l->run_off = g_new0(size_t, k + 1);
  GArray *ends = g_array_new(FALSE, FALSE, sizeof(size_t)), *psus = g_array_new(FALSE, FALSE, sizeof(int));
  for (size_t j = 0; j < k; j++) {
    size_t nr = l->off[j + 1] - l->off[j];
    const uint32_t *bp = &l->by_psu[l->off[j]];
    for (size_t r = 0; r < nr; r++) {
      int psu = d->psu[l->order[bp[r]]];
      if (r + 1 < nr && d->psu[l->order[bp[r + 1]]] == psu) continue;
      size_t end = r + 1;
      g_array_append_val(ends, end);
      g_array_append_val(psus, psu);
    }
    l->run_off[j + 1] = ends->len;
  }
  l->run_end = (size_t *)g_array_free(ends, FALSE);
  l->run_psu = (int *)g_array_free(psus, FALSE);
  g_free(start);
  g_free(fill);
  return l;
}

static void layout_unref(domains_layout *l) {
  if (!g_atomic_ref_count_dec(&l->ref)) return;
  g_free(l->off);
  g_free(l->rows);
  g_free(l->by_psu);
  g_free(l->order);
  g_free(l->w_order);
  g_free(l->run_off);
  g_free(l->run_end);
  g_free(l->run_psu);
  g_free(l);
}

static rs_svy_domains *domains_with(const rs_svy_design *d, domains_layout *l) {
  rs_svy_domains *s = g_new0(rs_svy_domains, 1);
  s->d = d;
  s->l = l;
  s->y_order = g_new(double, d->n + 1);
  s->mean = g_new(double, l->k + 1);
  s->wsum = g_new(double, l->k + 1);
  s->ztot = g_new(long double, l->run_off[l->k] + 1);
  s->seen = g_new(uint8_t, l->run_off[l->k] + 1);
  return s;
}

rs_svy_domains *rs_svy_domains_new(const rs_svy_design *d, const int *dom, size_t m, size_t k) {
  if (d->n >= UINT32_MAX) return NULL;
  return domains_with(d, layout_new(d, dom, m, k));
}

rs_svy_domains *rs_svy_domains_share(const rs_svy_domains *s) {
  g_atomic_ref_count_inc(&s->l->ref);
  return domains_with(s->d, s->l);
}

void rs_svy_domains_free(rs_svy_domains *s) {
  if (!s) return;
  layout_unref(s->l);
  g_free(s->y_order);
  g_free(s->mean);
  g_free(s->wsum);
  g_free(s->ztot);
  g_free(s->seen);
  g_free(s);
}

/* PSUs and strata among the seen PSU runs of domain a (and of domain b,
 * when b < k), as rs_svy_domain_df counts them over the domains' rows.
 * Runs are in PSU order, so the two lists merge. */
static double df_of_seen(const rs_svy_domains *s, size_t a, size_t b) {
  const domains_layout *l = s->l;
  const rs_svy_design *d = s->d;
  uint8_t *st = g_new0(uint8_t, d->H ? d->H : 1);
  size_t np = 0, nh = 0;
  size_t u = l->run_off[a], ue = l->run_off[a + 1];
  size_t v = b < l->k ? l->run_off[b] : 0, ve = b < l->k ? l->run_off[b + 1] : 0;
  while (u < ue || v < ve) {
    int psu;
    bool seen;
    if (v >= ve || (u < ue && l->run_psu[u] < l->run_psu[v])) {
      psu = l->run_psu[u];
      seen = s->seen[u++];
    } else if (u >= ue || l->run_psu[v] < l->run_psu[u]) {
      psu = l->run_psu[v];
      seen = s->seen[v++];
    } else {
      psu = l->run_psu[u];
      seen = s->seen[u++] | s->seen[v++];
    }
    if (!seen) continue;
    np++;
    if (!st[d->psu_stratum[psu]]) { st[d->psu_stratum[psu]] = 1; nh++; }
  }
  g_free(st);
  return (double)np - (double)nh;
}

/* Domain j's mean as rs_svy_mean computes it (same operations in the same
 * order), its PSUs with weight, and the PSU totals for its SE and for
 * rs_svy_domains_diff. */
static void domain_mean(rs_svy_domains *s, size_t j, const double *y, long double *tot, rs_svy_estimate *est) {
  const rs_svy_design *d = s->d;
  const domains_layout *l = s->l;
  const uint32_t *rows = &l->rows[l->off[j]], *by_psu = &l->by_psu[l->off[j]];
  size_t nr = l->off[j + 1] - l->off[j], P = d->P;
  memset(&est[j], 0, sizeof est[j]);
  est[j].mean = est[j].se = NAN;
  long double sw = 0, swy = 0;
  size_t n = 0;
  for (size_t r = 0; r < nr; r++) {
    size_t i = rows[r];
    if (isnan(y[i])) continue;
    n++;
    sw += d->w[i];
    swy += (long double)d->w[i] * y[i];
  }
  est[j].n = n;
  est[j].wsum = (double)sw;
  s->mean[j] = NAN;
  s->wsum[j] = est[j].wsum;
  /* no row, or none with weight: no PSU is seen (and no total is needed) */
  memset(&s->seen[l->run_off[j]], 0, l->run_off[j + 1] - l->run_off[j]);
  if (n == 0 || sw <= 0) return;
  long double ybar = swy / sw;
  long double corr = 0;
  for (size_t r = 0; r < nr; r++) {
    size_t i = rows[r];
    if (!isnan(y[i])) corr += (long double)d->w[i] * (y[i] - ybar);
  }
  ybar += corr / sw;
  est[j].mean = s->mean[j] = (double)ybar;
  double mean = s->mean[j], wsum = s->wsum[j];
  /* PSU by PSU: z_i = w_i (y_i - ybar) / sum(w) in long double (the SE), and in double as a caller's z (the difference) */
  memset(tot, 0, P * sizeof(long double));
  const double *yo = s->y_order, *wo = l->w_order;
  for (size_t u = l->run_off[j], r = 0; u < l->run_off[j + 1]; u++) {
    long double t = 0, zt = 0;
    bool seen = false;
    for (; r < l->run_end[u]; r++) {
      size_t o = by_psu[r];
      if (isnan(yo[o])) continue;
      seen |= wo[o] != 0;
      t += (long double)wo[o] * (yo[o] - ybar) / sw;
      double z = wo[o] * (yo[o] - mean) / wsum;
      zt += z;
    }
    tot[l->run_psu[u]] = t;
    s->ztot[u] = zt;
    s->seen[u] = seen;
  }
  est[j].se = se_of_totals(d, tot);
}

void rs_svy_domains_mean(rs_svy_domains *s, const double *y, rs_svy_estimate *est, double *df) {
  const rs_svy_design *d = s->d;
  long double *tot = g_new(long double, d->P ? d->P : 1);
  for (size_t r = 0; r < d->n; r++) s->y_order[r] = y[s->l->order[r]];
  for (size_t j = 0; j < s->l->k; j++) {
    domain_mean(s, j, y, tot, est);
    df[j] = df_of_seen(s, j, SIZE_MAX);
  }
  g_free(tot);
}

void rs_svy_domains_diff(const rs_svy_domains *s, size_t a, size_t b, double *V, double *df_ab) {
  const rs_svy_design *d = s->d;
  const domains_layout *l = s->l;
  long double *tot = g_new0(long double, 2 * (d->P ? d->P : 1));
  for (size_t u = l->run_off[a]; u < l->run_off[a + 1]; u++) tot[2 * (size_t)l->run_psu[u]] = s->ztot[u];
  for (size_t u = l->run_off[b]; u < l->run_off[b + 1]; u++) tot[2 * (size_t)l->run_psu[u] + 1] = s->ztot[u];
  recvar_of_totals(d, tot, 2, V);
  g_free(tot);
  *df_ab = df_of_seen(s, a, b);
}

gboolean rs_svy_group_means(const rs_svy_design *d, const double *y, const int *g, int k, rs_svy_estimate *est,
                            double *V, GError **err) {
  long double *sw = g_new0(long double, k), *swy = g_new0(long double, k), *corr = g_new0(long double, k);
  for (int j = 0; j < k; j++) {
    memset(&est[j], 0, sizeof est[j]);
    est[j].mean = est[j].se = NAN;
  }
  for (size_t i = 0; i < d->n; i++) {
    est[g[i]].n++;
    sw[g[i]] += d->w[i];
    swy[g[i]] += (long double)d->w[i] * y[i];
  }
  gboolean ok = TRUE;
  for (int j = 0; j < k && ok; j++) {
    est[j].wsum = (double)sw[j];
    if (sw[j] <= 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "group %d of %d has no row with a positive weight", j + 1, k);
      ok = FALSE;
    }
  }
  double *z = NULL;
  if (ok) {
    long double *m = g_new(long double, k);
    for (int j = 0; j < k; j++) m[j] = swy[j] / sw[j];
    /* a second pass for the rounding of the means, as rs_svy_mean */
    for (size_t i = 0; i < d->n; i++) corr[g[i]] += (long double)d->w[i] * (y[i] - m[g[i]]);
    for (int j = 0; j < k; j++) {
      m[j] += corr[j] / sw[j];
      est[j].mean = (double)m[j];
    }
    z = g_new0(double, d->n * (size_t)k);
    for (size_t i = 0; i < d->n; i++)
      z[i * (size_t)k + (size_t)g[i]] = (double)((long double)d->w[i] * (y[i] - m[g[i]]) / sw[g[i]]);
    rs_svy_recvar(d, z, (size_t)k, V);
    for (int j = 0; j < k; j++) est[j].se = sqrt(V[j * k + j]);
    g_free(m);
  }
  g_free(z);
  g_free(sw);
  g_free(swy);
  g_free(corr);
  return ok;
}

static gboolean df_check(double df, const char *what, GError **err) {
  if (df >= 1) return TRUE;
  g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
              "the survey design leaves %g degrees of freedom for %s (clusters minus strata minus parameters); "
              "it needs more clusters (PSUs)", df, what);
  return FALSE;
}

gboolean rs_svy_ttest(const rs_svy_design *d, const double *y, const int *g, rs_test *out, GError **err) {
  rs_test_clear(out);
  rs_svy_estimate est[2];
  double V[4];
  if (!rs_svy_group_means(d, y, g, 2, est, V, err)) return FALSE;
  double df = rs_svy_design_df(d) - 1;   /* svyglm's df.residual: degf + 1 - 2 coefficients */
  if (!df_check(df, "the t test", err)) return FALSE;
  double var = V[0] + V[3] - 2 * V[1];
  if (!(var > 0)) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "the difference in weighted means has no variance (data are essentially constant)");
    return FALSE;
  }
  out->method = "design-based t test (as survey::svyttest: weighted means, Taylor-linearised SE, df = design df - 1)";
  out->n = est[0].n + est[1].n;
  out->estimate = est[0].mean - est[1].mean;
  out->se = sqrt(var);
  out->statistic = out->estimate / out->se;
  out->df = df;
  out->p_value = 2 * gsl_cdf_tdist_Q(fabs(out->statistic), df);
  double q = gsl_cdf_tdist_Qinv(0.025, df) * out->se;
  out->ci_low = out->estimate - q;
  out->ci_high = out->estimate + q;
  return TRUE;
}

/* x' A^-1 x for a symmetric positive definite A (m x m), by Cholesky;
 * FALSE when A is not positive definite. */
static gboolean quad_form(const double *A, const double *x, size_t m, double *res) {
  gsl_matrix *a = gsl_matrix_alloc(m, m);
  gsl_vector *b = gsl_vector_alloc(m), *s = gsl_vector_alloc(m);
  for (size_t i = 0; i < m; i++) {
    gsl_vector_set(b, i, x[i]);
    for (size_t j = 0; j < m; j++) gsl_matrix_set(a, i, j, A[i * m + j]);
  }
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int st = gsl_linalg_cholesky_decomp1(a);
  if (!st) st = gsl_linalg_cholesky_solve(a, b, s);
  gsl_set_error_handler(old);
  long double q = 0;
  if (!st)
    for (size_t i = 0; i < m; i++) q += (long double)x[i] * gsl_vector_get(s, i);
  *res = (double)q;
  gsl_matrix_free(a);
  gsl_vector_free(b);
  gsl_vector_free(s);
  return st == 0;
}

gboolean rs_svy_wald_groups(const rs_svy_design *d, const double *y, const int *g, int k, rs_test *out, GError **err) {
  rs_test_clear(out);
  if (k < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "a test of equal means needs at least 2 groups");
    return FALSE;
  }
  rs_svy_estimate *est = g_new(rs_svy_estimate, k);
  double *V = g_new(double, (size_t)k * k);
  size_t m = (size_t)k - 1;
  double *b = g_new(double, m), *Vb = g_new(double, m * m);
  gboolean ok = FALSE;
  if (!rs_svy_group_means(d, y, g, k, est, V, err)) goto out;
  double df = rs_svy_design_df(d) + 1 - k;   /* svyglm's df.residual, regTermTest's default */
  if (!df_check(df, "the Wald test", err)) goto out;
  /* contrasts against the first group, as the coefficients of factor(g) */
  for (size_t a = 0; a < m; a++) {
    b[a] = est[a + 1].mean - est[0].mean;
    for (size_t c = 0; c < m; c++)
      Vb[a * m + c] = V[(a + 1) * k + (c + 1)] - V[(a + 1) * k] - V[c + 1] + V[0];
  }
  double chisq;
  if (!quad_form(Vb, b, m, &chisq)) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "the covariance of the group means is singular (a group's outcome is constant or it lies in one cluster)");
    goto out;
  }
  out->method = "design-based Wald F test of equal means (as survey::regTermTest(svyglm(y ~ factor(g), design), ~factor(g)))";
  for (int j = 0; j < k; j++) out->n += est[j].n;
  out->statistic = chisq / (double)m;
  out->df = (double)m;
  out->df2 = df;
  out->p_value = gsl_cdf_fdist_Q(out->statistic, out->df, out->df2);
  ok = TRUE;
out:
  g_free(est);
  g_free(V);
  g_free(b);
  g_free(Vb);
  return ok;
}

gboolean rs_svy_chisq(const rs_svy_design *d, const int *row, const int *col, int nr, int nc, rs_test *out,
                      GError **err) {
  rs_test_clear(out);
  if (nr < 2 || nc < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "a test of association needs at least 2 values of each variable");
    return FALSE;
  }
  size_t p = (size_t)nr * nc, m = (size_t)(nr - 1) * (nc - 1), n = d->n;
  /* cell proportions, cells numbered with the outcome fastest (R's interaction(row, col)) */
  long double W = 0, *cw = g_new0(long double, p);
  for (size_t i = 0; i < n; i++) {
    W += d->w[i];
    cw[(size_t)row[i] + (size_t)nr * col[i]] += d->w[i];
  }
  double *pc = g_new(double, p), *z = g_new(double, n * p), *V = g_new(double, p * p);
  double *C = g_new0(double, p * m), *A = g_new(double, p * m), *den = g_new0(double, m * m), *num = g_new0(double, m * m);
  gboolean ok = FALSE;
  gsl_matrix *lu = NULL, *rhs = NULL;
  gsl_permutation *perm = NULL;
  for (size_t c = 0; c < p; c++) pc[c] = W > 0 ? (double)(cw[c] / W) : NAN;
  /* Pearson's X^2 of the weighted table scaled to n (svytable(…, Ntotal = n)) */
  long double X2 = 0;
  for (int i = 0; i < nr; i++)
    for (int j = 0; j < nc; j++) {
      long double ri = 0, cj = 0;
      for (int jj = 0; jj < nc; jj++) ri += cw[(size_t)i + (size_t)nr * jj];
      for (int ii = 0; ii < nr; ii++) cj += cw[(size_t)ii + (size_t)nr * j];
      if (ri <= 0 || cj <= 0) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "a value of the %s has no weight, so the table has an empty margin",
                    ri <= 0 ? "outcome" : "group");
        goto out;
      }
      long double e = ri * cj / W, o = cw[(size_t)i + (size_t)nr * j];
      X2 += (o - e) * (o - e) / e;
    }
  X2 *= (long double)n / W;
  /* covariance of the cell proportions (svymean of the cell indicators) */
  for (size_t i = 0; i < n; i++) {
    size_t ci = (size_t)row[i] + (size_t)nr * col[i];
    for (size_t c = 0; c < p; c++) z[i * p + c] = (double)((long double)d->w[i] * ((c == ci) - pc[c]) / W);
  }
  rs_svy_recvar(d, z, p, V);
  /* C: the interaction contrasts (rows 2.., cols 2..) residualised on the main effects,
   * qr.resid(qr(X1), X12[, interaction]): in a full r x c layout, double centring */
  for (int a = 1; a < nr; a++)
    for (int b = 1; b < nc; b++) {
      size_t k = (size_t)(a - 1) + (size_t)(nr - 1) * (b - 1);
      for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++)
          C[((size_t)i + (size_t)nr * j) * m + k] =
              (double)((i == a && j == b) - (long double)(i == a) / nc - (long double)(j == b) / nr + 1.0L / (nr * nc));
    }
  /* A = D^-1 C (D^-1 zero for an empty cell, as svychisq) */
  for (size_t c = 0; c < p; c++)
    for (size_t k = 0; k < m; k++) A[c * m + k] = pc[c] == 0 ? 0 : C[c * m + k] / pc[c];
  /* den = C' D^-1 C / n; num = A' V A */
  for (size_t a = 0; a < m; a++)
    for (size_t b = 0; b < m; b++) {
      long double s1 = 0, s2 = 0;
      for (size_t c = 0; c < p; c++) {
        s1 += (long double)C[c * m + a] * A[c * m + b];
        long double t = 0;
        for (size_t e = 0; e < p; e++) t += (long double)V[c * p + e] * A[e * m + b];
        s2 += (long double)A[c * m + a] * t;
      }
      den[a * m + b] = (double)(s1 / (long double)n);
      num[a * m + b] = (double)s2;
    }
  /* Delta = den^-1 num (LU, as R's solve) */
  lu = gsl_matrix_alloc(m, m);
  rhs = gsl_matrix_alloc(m, m);
  perm = gsl_permutation_alloc(m);
  for (size_t a = 0; a < m; a++)
    for (size_t b = 0; b < m; b++) {
      gsl_matrix_set(lu, a, b, den[a * m + b]);
      gsl_matrix_set(rhs, a, b, num[a * m + b]);
    }
  int sgn;
  gsl_error_handler_t *old = gsl_set_error_handler_off();
  int st = gsl_linalg_LU_decomp(lu, perm, &sgn);
  for (size_t b = 0; b < m && !st; b++) {
    gsl_vector_view col_b = gsl_matrix_column(rhs, b);
    st = gsl_linalg_LU_svx(lu, perm, &col_b.vector);
  }
  gsl_set_error_handler(old);
  long double tr1 = 0, tr2 = 0;
  for (size_t a = 0; a < m && !st; a++) {
    tr1 += gsl_matrix_get(rhs, a, a);
    for (size_t b = 0; b < m; b++) tr2 += (long double)gsl_matrix_get(rhs, a, b) * gsl_matrix_get(rhs, b, a);
  }
  double nu = (double)d->P - (double)d->H;   /* svychisq: all clusters minus strata */
  if (st || !(tr1 > 0) || !(tr2 > 0)) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "the design effects of the table cannot be estimated (a singular covariance)");
    goto out;
  }
  if (!df_check(nu, "the Rao-Scott test", err)) goto out;
  double d0 = (double)(tr1 * tr1 / tr2);
  out->method = "Pearson's X^2 with the Rao-Scott second-order correction, F form (as survey::svychisq, statistic = \"F\")";
  out->n = n;
  out->statistic = (double)(X2 / tr1);
  out->df = d0;
  out->df2 = d0 * nu;
  out->p_value = gsl_cdf_fdist_Q(out->statistic, out->df, out->df2);
  ok = TRUE;
out:
  if (lu) gsl_matrix_free(lu);
  if (rhs) gsl_matrix_free(rhs);
  if (perm) gsl_permutation_free(perm);
  g_free(cw);
  g_free(pc);
  g_free(z);
  g_free(V);
  g_free(C);
  g_free(A);
  g_free(den);
  g_free(num);
  return ok;
}
