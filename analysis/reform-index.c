/* reform-index.c — outcome indexes, their alpha (overall and per wave) and
 * top-2-box shares; see reform-index.h for the definitions. */
#include "analysis/reform-index.h"
#include "analysis/numsort.h"
#include "analysis/reliability.h"
#include "datasets/error.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static void index_clear(rs_reform_index *ix) {
  g_free(ix->name);
  g_strfreev(ix->items);
  g_strfreev(ix->item_labels);
  g_free(ix->reverse);
  g_free(ix->cols);
  g_free(ix->value);
  g_free(ix->alpha_problem);
  g_free(ix->wave);
  g_free(ix->wave_alpha);
  g_free(ix->wave_n);
  g_free(ix->wave_alpha_n);
  if (ix->wave_problem)
    for (size_t w = 0; w < ix->n_waves; w++) g_free(ix->wave_problem[w]);
  g_free(ix->wave_problem);
  g_free(ix->item_n);
  g_free(ix->item_mean);
  g_free(ix->item_top2);
}

void rs_reform_indexes_free(rs_reform_indexes *x) {
  if (!x) return;
  for (size_t i = 0; i < x->n; i++) index_clear(&x->index[i]);
  g_free(x->index);
  g_free(x->wave_column);
  g_free(x);
}

const rs_reform_index *rs_reform_indexes_find(const rs_reform_indexes *x, const char *name) {
  for (size_t i = 0; x && i < x->n; i++)
    if (strcmp(x->index[i].name, name) == 0) return &x->index[i];
  return NULL;
}

/* Index names in codebook order (first appearance), NULL-terminated. */
static char **codebook_indexes(const rs_codebook *cb) {
  GPtrArray *names = g_ptr_array_new();
  for (guint i = 0; i < cb->vars->len; i++) {
    const rs_cb_var *v = g_ptr_array_index(cb->vars, i);
    if (!v->index || !*v->index) continue;
    gboolean seen = FALSE;
    for (guint j = 0; j < names->len && !seen; j++) seen = strcmp(g_ptr_array_index(names, j), v->index) == 0;
    if (!seen) g_ptr_array_add(names, g_strdup(v->index));
  }
  g_ptr_array_add(names, NULL);
  return (char **)g_ptr_array_free(names, FALSE);
}

static char *fmt_scale(double lo, double hi) { return g_strdup_printf("%g–%g", lo, hi); }

/* Items of index `name`: columns, scale, reverse coding; every check with a sentence. */
static gboolean index_setup(const rs_table *t, const rs_codebook *cb, const char *name, const char *lang,
                            rs_reform_index *ix, GError **err) {
  char **items = rs_reliability_index_items(cb, name, err);
  if (!items) return FALSE;
  ix->name = g_strdup(name);
  ix->items = items;
  ix->k = g_strv_length(items);
  ix->item_labels = g_new0(char *, ix->k + 1);
  ix->reverse = g_new0(bool, ix->k);
  ix->cols = g_new(int, ix->k);
  const rs_cb_var *first = NULL;
  for (size_t i = 0; i < ix->k; i++) {
    const rs_cb_var *v = rs_codebook_get(cb, items[i]);
    const char *l = rs_cb_var_label(v, lang);
    ix->item_labels[i] = g_strdup(l && *l ? l : items[i]);
    ix->reverse[i] = v->reverse;
    if (!v->has_min || !v->has_max) {
      g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK,
                  "%s: line %ld: item '%s' of index '%s' has no min and max; an index needs the answer scale of "
                  "every item (e.g. min 1, max 5)", cb->path, v->line, v->name, name);
      return FALSE;
    }
    if (!first) {
      first = v;
    } else if (v->min != first->min || v->max != first->max) {
      /* name every item with its scale, so the user sees which ones differ */
      GString *list = g_string_new(NULL);
      for (size_t j = 0; j < ix->k; j++) {
        const rs_cb_var *u = rs_codebook_get(cb, items[j]);
        char *s = (u->has_min && u->has_max) ? fmt_scale(u->min, u->max) : g_strdup("no scale");
        g_string_append_printf(list, "%s%s (%s)", j ? ", " : "", u->name, s);
        g_free(s);
      }
      g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK,
                  "%s: line %ld: index '%s' mixes answer scales: %s; the items of an index must share one scale "
                  "(same min and max), or the mean of them means nothing", cb->path, v->line, name, list->str);
      g_string_free(list, TRUE);
      return FALSE;
    }
    ix->cols[i] = rs_table_find(t, items[i]);
    if (ix->cols[i] < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: item '%s' of index '%s' (codebook line %ld) is not a column of the file",
                  t->path, items[i], name, v->line);
      return FALSE;
    }
    const rs_column *c = &t->cols[ix->cols[i]];
    if (c->storage != RS_STORE_NUM || c->type == RS_TYPE_DATE) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: item '%s' of index '%s' is of type %s; an index needs numeric answers",
                  t->path, items[i], name, rs_type_name(c->type));
      return FALSE;
    }
  }
  ix->scale_min = first->min;
  ix->scale_max = first->max;
  return TRUE;
}

/* Item i's answer in row r after reverse coding, NAN when missing. */
static inline double item_value(const rs_table *t, const rs_reform_index *ix, size_t i, size_t r) {
  const rs_column *c = &t->cols[ix->cols[i]];
  if (!rs_column_present(c, r)) return NAN;
  double v = c->num[r];
  return ix->reverse[i] ? ix->scale_min + ix->scale_max - v : v;
}

/* Alpha over `n` rows (table rows rows[q]); NAN and a reason when undefined. */
static double alpha_of(const rs_table *t, const rs_reform_index *ix, const size_t *rows, size_t n, size_t *n_rows,
                       size_t *n_complete, char **problem) {
  double *x = g_new(double, n * ix->k + 1);
  for (size_t q = 0; q < n; q++)
    for (size_t i = 0; i < ix->k; i++) x[q * ix->k + i] = item_value(t, ix, i, rows[q]);
  GError *e = NULL;
  rs_alpha *a = rs_reliability_alpha(x, n, ix->k, (const char *const *)ix->items, &e);
  g_free(x);
  double alpha = NAN;
  *n_rows = *n_complete = 0;
  if (a) {
    alpha = a->alpha;
    *n_rows = a->n_rows;
    *n_complete = a->n_complete;
    rs_alpha_free(a);
  } else {
    *problem = g_strdup(e->message);
    g_error_free(e);
    /* still count the rows, for the table */
    for (size_t q = 0; q < n; q++) {
      size_t answered = 0;
      for (size_t i = 0; i < ix->k; i++) answered += !isnan(item_value(t, ix, i, rows[q]));
      *n_rows += answered > 0;
      *n_complete += answered == ix->k;
    }
  }
  return alpha;
}

/* The rows grouped by wave: the distinct present values of the wave column,
 * ascending, and the rows of each in their order.  Made once for all the
 * indexes (one sort, not one per index, and one pass, not one per wave). */
typedef struct {
  size_t n;        /* waves */
  double *value;   /* [n] */
  size_t *start;   /* [n + 1]: wave w's rows are rows[start[w] .. start[w + 1]) */
  size_t *rows;
} wave_groups;

static void waves_group(const rs_column *wave, const size_t *rows, size_t nrows, wave_groups *g) {
  double *wv = g_new(double, nrows + 1);
  size_t nw = 0;
  for (size_t q = 0; q < nrows; q++)
    if (rs_column_present(wave, rows[q])) wv[nw++] = wave->num[rows[q]];
  rs_numsort_sort(wv, nw);
  size_t u = 0;
  for (size_t j = 0; j < nw; j++)
    if (u == 0 || wv[j] != wv[u - 1]) wv[u++] = wv[j];
  g->n = u;
  g->value = wv;
  g->start = g_new0(size_t, u + 2);
  g->rows = g_new(size_t, nw + 1);
  /* each row's wave by binary search, then a counting sort: stable, so the
   * rows of a wave stay in row order (alpha's sums add in that order) */
  size_t *slot = g_new(size_t, nrows + 1);
  for (size_t q = 0; q < nrows; q++) {
    slot[q] = SIZE_MAX;
    if (!rs_column_present(wave, rows[q])) continue;
    double v = wave->num[rows[q]];
    size_t lo = 0, hi = u;
    while (hi - lo > 1) {
      size_t mid = (lo + hi) / 2;
      if (wv[mid] <= v) lo = mid; else hi = mid;
    }
    slot[q] = lo;
    g->start[lo + 2]++;
  }
  for (size_t w = 0; w < u; w++) g->start[w + 2] += g->start[w + 1];
  for (size_t q = 0; q < nrows; q++)
    if (slot[q] != SIZE_MAX) g->rows[g->start[slot[q] + 1]++] = rows[q];
  g_free(slot);
}

static void waves_clear(wave_groups *g) {
  g_free(g->value);
  g_free(g->start);
  g_free(g->rows);
}

/* Alpha per wave of index ix. */
static void index_waves(const rs_table *t, rs_reform_index *ix, const wave_groups *g) {
  size_t u = g->n;
  ix->n_waves = u;
  ix->wave = g_memdup2(g->value, (u + 1) * sizeof(double));
  ix->wave_alpha = g_new(double, u + 1);
  ix->wave_n = g_new0(size_t, u + 1);
  ix->wave_alpha_n = g_new0(size_t, u + 1);
  ix->wave_problem = g_new0(char *, u + 1);
  for (size_t w = 0; w < u; w++) {
    const size_t *sub = g->rows + g->start[w];
    size_t m = g->start[w + 1] - g->start[w];
    for (size_t q = 0; q < m; q++) ix->wave_n[w] += !isnan(ix->value[sub[q]]);
    size_t nc;
    ix->wave_alpha[w] = alpha_of(t, ix, sub, m, &ix->wave_alpha_n[w], &nc, &ix->wave_problem[w]);
  }
}

static void index_statistics(const rs_table *t, rs_reform_index *ix, const size_t *rows, size_t nrows,
                             const wave_groups *waves) {
  double top = ix->scale_max - 1;
  /* index: mean and SD by two passes in long double */
  long double s = 0;
  size_t n = 0, n_top = 0;
  for (size_t q = 0; q < nrows; q++) {
    double v = ix->value[rows[q]];
    if (isnan(v)) continue;
    s += v;
    n++;
    n_top += v >= top;
  }
  ix->n = n;
  ix->mean = n ? (double)(s / n) : NAN;
  ix->top2 = n ? (double)n_top / (double)n : NAN;
  long double ss = 0;
  for (size_t q = 0; q < nrows; q++) {
    double v = ix->value[rows[q]];
    if (!isnan(v)) ss += ((long double)v - ix->mean) * ((long double)v - ix->mean);
  }
  ix->sd = n > 1 ? sqrt((double)(ss / (n - 1))) : NAN;
  /* items */
  ix->item_n = g_new0(size_t, ix->k);
  ix->item_mean = g_new(double, ix->k);
  ix->item_top2 = g_new(double, ix->k);
  for (size_t i = 0; i < ix->k; i++) {
    long double si = 0;
    size_t ni = 0, ti = 0;
    for (size_t q = 0; q < nrows; q++) {
      double v = item_value(t, ix, i, rows[q]);
      if (isnan(v)) continue;
      si += v;
      ni++;
      ti += v >= top;
    }
    ix->item_n[i] = ni;
    ix->item_mean[i] = ni ? (double)(si / ni) : NAN;
    ix->item_top2[i] = ni ? (double)ti / (double)ni : NAN;
  }
  ix->alpha = alpha_of(t, ix, rows, nrows, &ix->alpha_n, &ix->alpha_n_complete, &ix->alpha_problem);
  if (waves) index_waves(t, ix, waves);
}

rs_reform_indexes *rs_reform_indexes_new(const rs_table *t, const rs_codebook *cb, const rs_reform_index_options *o,
                                         GError **err) {
  rs_reform_index_options def = {0};
  if (!o) o = &def;
  double min_share = o->min_share == 0 ? 0.5 : o->min_share;
  if (!(min_share > 0 && min_share <= 1)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--min-share must be above 0 and at most 1 (a share of the items), not %g",
                o->min_share);
    return NULL;
  }
  if (!cb) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "indexes come from the codebook's index column: give --codebook");
    return NULL;
  }
  const rs_column *wave = NULL;
  const char *wname = o->wave_column;
  if (!wname) wname = rs_table_find(t, "year") >= 0 ? "year" : "";
  if (*wname) {
    int j = rs_table_find(t, wname);
    if (j < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --wave-column '%s' is not a column of the file", t->path, wname);
      return NULL;
    }
    wave = &t->cols[j];
    if (wave->storage != RS_STORE_NUM) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --wave-column '%s' is of type %s; waves need numbers (a year)",
                  t->path, wname, rs_type_name(wave->type));
      return NULL;
    }
  }
  char **names = o->names ? g_strdupv((char **)o->names) : codebook_indexes(cb);
  size_t n = g_strv_length(names);
  if (n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_CODEBOOK, "%s: no variable has an index name in the codebook's index column",
                cb->path);
    g_strfreev(names);
    return NULL;
  }
  rs_reform_indexes *x = g_new0(rs_reform_indexes, 1);
  x->n = n;
  x->index = g_new0(rs_reform_index, n);
  x->nrows = t->nrows;
  x->min_share = min_share;
  x->wave_column = wave ? g_strdup(wave->name) : NULL;
  size_t nrows = o->rows ? o->nrows : t->nrows;
  size_t *rows = g_new(size_t, nrows + 1);
  for (size_t q = 0; q < nrows; q++) rows[q] = o->rows ? o->rows[q] : q;
  x->rows_used = nrows;
  wave_groups waves = {0};
  if (wave && o->build == RS_INDEX_BUILD_ALL) waves_group(wave, rows, nrows, &waves);
  for (size_t i = 0; i < n; i++) {
    rs_reform_index *ix = &x->index[i];
    if (!index_setup(t, cb, names[i], o->lang, ix, err)) {
      waves_clear(&waves);
      g_free(rows);
      g_strfreev(names);
      rs_reform_indexes_free(x);
      return NULL;
    }
    /* answered items needed; the small tolerance keeps 0.5 * 4 = 2 from becoming 3 by rounding */
    ix->min_items = (size_t)ceil(min_share * (double)ix->k - 1e-9);
    if (ix->min_items < 1) ix->min_items = 1;
    if (o->build == RS_INDEX_BUILD_ITEMS) continue;
    ix->value = g_new(double, t->nrows + 1);
    for (size_t r = 0; r < t->nrows; r++) {
      long double s = 0;
      size_t m = 0;
      for (size_t j = 0; j < ix->k; j++) {
        double v = item_value(t, ix, j, r);
        if (isnan(v)) continue;
        s += v;
        m++;
      }
      ix->value[r] = m >= ix->min_items ? (double)(s / m) : NAN;
    }
    if (o->build == RS_INDEX_BUILD_ALL) index_statistics(t, ix, rows, nrows, wave ? &waves : NULL);
  }
  waves_clear(&waves);
  g_free(rows);
  g_strfreev(names);
  return x;
}

void rs_reform_indexes_records(const rs_reform_indexes *x, const char *lang, rs_results *out) {
  bool en = lang && strcmp(lang, "en") == 0;
  rs_results_section(out, en ? "Indexes" : "Indekser");
  for (size_t i = 0; i < x->n; i++) {
    const rs_reform_index *ix = &x->index[i];
    rs_record *r = rs_results_add(out);
    rs_record_str(r, "name", ix->name);
    rs_record_int(r, "items", (long long)ix->k);
    rs_record_int(r, "n", (long long)ix->n);
    rs_record_num(r, "mean", ix->mean);
    rs_record_num(r, "sd", ix->sd);
    rs_record_num(r, "top2", ix->top2);
    rs_record_num(r, "alpha", ix->alpha);
    rs_record_int(r, "n_alpha", (long long)ix->alpha_n);
    rs_record_str(r, "method", "Cronbach's alpha (raw, pairwise covariances); top2 = share with index >= max - 1");
  }
  if (x->wave_column) {
    char *title = g_strdup_printf(en ? "Cronbach's alpha per wave (%s)" : "Cronbachs alfa per runde (%s)", x->wave_column);
    rs_results_section(out, title);
    g_free(title);
    for (size_t i = 0; i < x->n; i++) {
      const rs_reform_index *ix = &x->index[i];
      for (size_t w = 0; w < ix->n_waves; w++) {
        rs_record *r = rs_results_add(out);
        char buf[32];
        g_snprintf(buf, sizeof buf, "%g", ix->wave[w]);
        rs_record_str(r, "name", ix->name);
        rs_record_str(r, "group", buf);
        rs_record_int(r, "n", (long long)ix->wave_n[w]);
        rs_record_int(r, "n_alpha", (long long)ix->wave_alpha_n[w]);
        rs_record_num(r, "alpha", ix->wave_alpha[w]);
        rs_record_str(r, "method", ix->wave_problem[w] ? ix->wave_problem[w] : "Cronbach's alpha (raw)");
      }
    }
  }
  rs_results_section(out, en ? "Items (after reverse coding)" : "Spørsmål (etter snuing av omvendte)");
  for (size_t i = 0; i < x->n; i++) {
    const rs_reform_index *ix = &x->index[i];
    for (size_t j = 0; j < ix->k; j++) {
      rs_record *r = rs_results_add(out);
      rs_record_str(r, "name", ix->items[j]);
      rs_record_str(r, "group", ix->name);
      rs_record_str(r, "label", ix->item_labels[j]);
      rs_record_int(r, "reverse", ix->reverse[j]);
      rs_record_int(r, "n", (long long)ix->item_n[j]);
      rs_record_num(r, "mean", ix->item_mean[j]);
      rs_record_num(r, "top2", ix->item_top2[j]);
    }
  }
  char *note = g_strdup_printf(
      en ? "An index is the mean of its items after reverse coding (min + max - answer), for rows with at least "
           "%g %% of its items answered; top2 is the share of answers in the two highest scale points (for an index: "
           "index >= max - 1)."
         : "En indeks er gjennomsnittet av spørsmålene etter snuing (min + maks - svar), for rader med minst %g %% "
           "av spørsmålene besvart; top2 er andelen svar i de to øverste skalatrinnene (for en indeks: indeks >= maks - 1).",
      100 * x->min_share);
  rs_results_add_note(out, note);
  g_free(note);
  for (size_t i = 0; i < x->n; i++)
    if (x->index[i].alpha_problem) {
      char *m = g_strdup_printf("%s: %s", x->index[i].name, x->index[i].alpha_problem);
      rs_results_add_note(out, m);
      g_free(m);
    }
}

gboolean rs_reform_indexes_add_columns(const rs_reform_indexes *x, rs_table *t, GError **err) {
  for (size_t i = 0; i < x->n; i++)
    if (rs_table_find(t, x->index[i].name) >= 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                  "%s already has a column '%s'; the index of that name cannot be added beside it", t->path,
                  x->index[i].name);
      return FALSE;
    }
  for (size_t i = 0; i < x->n; i++) {
    const rs_reform_index *ix = &x->index[i];
    rs_column *c = rs_table_add_column(t, ix->name, RS_TYPE_NUMERIC, RS_STORE_NUM);
    for (size_t r = 0; r < t->nrows && r < x->nrows; r++) {
      if (isnan(ix->value[r])) continue;
      c->num[r] = ix->value[r];
      c->miss[r] = RS_MISS_NONE;
    }
  }
  return TRUE;
}
