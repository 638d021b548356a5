/* describe.c — n, missing by reason, mean, SD, quartiles; category counts.
 *
 * Means and variances: two passes in long double with a correction term
 * (the method of GSL's variance_source.c, fused with the pass that gathers
 * the present values, since describe runs over millions of cells).
 * Quartiles follow R's type 7 exactly, including its form
 * (1 - h) x[lo] + h x[hi]: by counting for small-integer data, else with
 * gsl_stats_select on the halves the median leaves, never a full sort.
 */
#include "analysis/describe.h"
#include "datasets/privacy.h"
#include "analysis/survey.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

double rs_describe_quantile7(double *x, size_t n, double p) {
  double index = (double)(n - 1) * p;   /* 0-based version of R's 1 + (n-1) p */
  size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
  double qlo = gsl_stats_select(x, 1, n, lo);
  if (hi == lo) return qlo;
  /* gsl_stats_select partitions: everything after lo is >= x[lo], so the
   * next order statistic is the smallest of that part */
  double qhi = x[hi];
  for (size_t i = hi + 1; i < n; i++)
    if (x[i] < qhi) qhi = x[i];
  if (qhi == qlo) return qlo;
  double h = index - (double)lo;
  return (1 - h) * qlo + h * qhi;
}

/* R's type-7 interpolation between order statistics lo and lo+1. */
static double interpolate7(double index, double qlo, double qhi) {
  if (qhi == qlo) return qlo;
  double h = index - floor(index);
  return (1 - h) * qlo + h * qhi;
}

/* Quartiles of small-integer data by counting (Likert items, ages, counts):
 * O(n) and exact.  Returns false when the range is too wide. */
static bool quartiles_by_counting(const double *x, size_t n, double min, double max, double *q) {
  if (max - min > 4096) return false;
  size_t span = (size_t)(max - min) + 1;
  size_t *count = g_new0(size_t, span);
  for (size_t i = 0; i < n; i++) count[(size_t)(x[i] - min)]++;
  static const double ps[3] = {0.25, 0.5, 0.75};
  for (int k = 0; k < 3; k++) {
    double index = (double)(n - 1) * ps[k];
    size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
    /* order statistics lo and hi from the cumulative counts */
    size_t cum = 0, v = 0;
    while (cum + count[v] <= lo) cum += count[v++];
    double qlo = min + (double)v;
    size_t w = v;
    while (cum + count[w] <= hi) cum += count[w++];
    q[k] = hi == lo ? qlo : interpolate7(index, qlo, min + (double)w);
  }
  g_free(count);
  return true;
}

/* Quartiles by selection: the median over all values, then the first and
 * third quartiles within the halves the median's partition left. */
static void quartiles_by_selection(double *x, size_t n, double *q) {
  double im = (double)(n - 1) * 0.5;
  size_t mlo = (size_t)floor(im);
  q[1] = rs_describe_quantile7(x, n, 0.5);  /* leaves x partitioned around mlo */
  double i1 = (double)(n - 1) * 0.25, i3 = (double)(n - 1) * 0.75;
  size_t lo1 = (size_t)floor(i1), lo3 = (size_t)floor(i3);
  if (lo1 + 1 <= mlo) {
    /* order statistics lo1, lo1 + 1 are both within x[0 .. mlo] */
    double qlo = gsl_stats_select(x, 1, mlo + 1, lo1), qhi = x[lo1 + 1];
    for (size_t i = lo1 + 2; i <= mlo; i++) if (x[i] < qhi) qhi = x[i];
    q[0] = lo1 == (size_t)ceil(i1) ? qlo : interpolate7(i1, qlo, qhi);
  } else {
    q[0] = rs_describe_quantile7(x, n, 0.25);
  }
  if (lo3 > mlo) {
    /* order statistics lo3, lo3 + 1 are within x[mlo + 1 .. n) */
    size_t off = mlo + 1, m = n - off;
    double qlo = gsl_stats_select(x + off, 1, m, lo3 - off);
    double qhi = qlo;
    if (lo3 + 1 < n) {
      qhi = x[lo3 + 1];
      for (size_t i = lo3 + 2; i < n; i++) if (x[i] < qhi) qhi = x[i];
    }
    q[2] = lo3 == (size_t)ceil(i3) ? qlo : interpolate7(i3, qlo, qhi);
  } else {
    q[2] = rs_describe_quantile7(x, n, 0.75);
  }
}

void rs_describe_numeric(const rs_column *col, const size_t *rows, size_t n, double *work, rs_describe_num *out) {
  memset(out, 0, sizeof *out);
  size_t m = 0;
  /* one pass: compact the present values, sum in long double, min, max */
  long double sum = 0;
  double mn = INFINITY, mx = -INFINITY;
  bool integral = true;
  for (size_t k = 0; k < n; k++) {
    size_t i = rows ? rows[k] : k;
    uint8_t b = col->miss[i];
    rs_miss why = (rs_miss)(b & RS_MISS_MASK);
    if (why != RS_MISS_NONE) {
      out->missing[why]++;
      out->n_missing++;
      continue;
    }
    if (b & RS_FLAG_PROVISIONAL) out->n_provisional++;
    if (b & RS_FLAG_ZERO_BY_DEF) out->n_zero_by_def++;
    double v = col->num[i];
    work[m++] = v;
    sum += v;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
    integral = integral && v == floor(v);
  }
  out->n = m;
  out->mean = out->sd = out->se = out->min = out->q1 = out->median = out->q3 = out->max = NAN;
  if (m == 0) return;
  /* Two passes in long double (as GSL's variance_source.c): the mean, then
   * squared deviations from it with the usual correction for the rounding
   * of the mean (sum of deviations), so the result matches R's sd(). */
  long double mean = sum / (long double)m;
  long double ss = 0, sd_ = 0;
  for (size_t i = 0; i < m; i++) {
    long double d = (long double)work[i] - mean;
    ss += d * d;
    sd_ += d;
  }
  mean += sd_ / (long double)m;
  out->mean = (double)mean;
  if (m >= 2) {
    long double var = (ss - sd_ * sd_ / (long double)m) / (long double)(m - 1);
    out->sd = (double)sqrtl(var < 0 ? 0 : var);
    out->se = out->sd / sqrt((double)m);
  }
  out->min = mn;
  out->max = mx;
  double q[3];
  if (!(integral && quartiles_by_counting(work, m, mn, mx, q))) quartiles_by_selection(work, m, q);
  out->q1 = q[0];
  out->median = q[1];
  out->q3 = q[2];
}

/* ---- table level --------------------------------------------------------- */

static gboolean describe_table(const rs_table *t, const char *const *vars, const char *by, const char *lang,
                               const rs_svy_design *dz, rs_results *out, GError **err);

typedef struct {
  char *key;       /* level as text */
  double code;     /* numeric code (NAN for text) */
  GArray *rows;    /* of size_t */
} group;

static void group_free(group *g) {
  g_free(g->key);
  g_array_free(g->rows, TRUE);
  g_free(g);
}

static char *level_text(const rs_column *c, size_t i) {
  if (c->storage == RS_STORE_STR) return g_strdup(c->str[i]);
  char buf[32];
  if (c->type == RS_TYPE_DATE) rs_value_format_date((int32_t)c->num[i], buf);
  else rs_value_format_double(c->num[i], buf);
  return g_strdup(buf);
}

static const char *level_label(const rs_column *c, const char *text, double code, const char *lang) {
  (void)lang;
  if (!c->var) return NULL;
  return rs_codebook_value_label(c->var, code, c->storage == RS_STORE_STR ? text : NULL);
}

static int group_cmp(gconstpointer a, gconstpointer b) {
  const group *x = *(group *const *)a, *y = *(group *const *)b;
  if (!isnan(x->code) && !isnan(y->code)) return (x->code > y->code) - (x->code < y->code);
  return g_utf8_collate(x->key, y->key);
}

/* A cell's bits: a number's, or a string's address.  Equal bits give the
 * same level text, so a small direct-mapped cache from them to the level
 * spares formatting and hashing the text for nearly every cell (a column
 * of few levels); a miss takes the text's way and fills the slot. */
#define LEVEL_SLOTS 256
typedef struct {
  uint64_t key;
  group *g;
} level_slot;

static uint64_t cell_bits(const rs_column *c, size_t i) {
  if (c->storage == RS_STORE_STR) return (uint64_t)(uintptr_t)c->str[i];
  uint64_t b;
  memcpy(&b, &c->num[i], sizeof b);
  return b;
}

static size_t slot_of(uint64_t key) { return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 56) % LEVEL_SLOTS; }

/* Levels of column c over `rows` (NULL: all), sorted by code or text. */
static GPtrArray *levels_of(const rs_column *c, const size_t *rows, size_t n, size_t *n_missing) {
  GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *gs = g_ptr_array_new_with_free_func((GDestroyNotify)group_free);
  level_slot *cache = g_new0(level_slot, LEVEL_SLOTS);
  *n_missing = 0;
  for (size_t k = 0; k < n; k++) {
    size_t i = rows ? rows[k] : k;
    if (!rs_column_present(c, i)) { (*n_missing)++; continue; }
    uint64_t bits = cell_bits(c, i);
    level_slot *sl = &cache[slot_of(bits)];
    if (sl->g && sl->key == bits) {
      g_array_append_val(sl->g->rows, i);
      continue;
    }
    char *t = level_text(c, i);
    group *g = g_hash_table_lookup(h, t);
    if (!g) {
      g = g_new0(group, 1);
      g->key = t;
      g->code = c->storage == RS_STORE_NUM ? c->num[i] : NAN;
      g->rows = g_array_new(FALSE, FALSE, sizeof(size_t));
      g_hash_table_insert(h, g->key, g);
      g_ptr_array_add(gs, g);
    } else {
      g_free(t);
    }
    sl->key = bits;
    sl->g = g;
    g_array_append_val(g->rows, i);
  }
  g_free(cache);
  g_hash_table_destroy(h);
  g_ptr_array_sort(gs, group_cmp);
  return gs;
}

static bool is_categorical(const rs_column *c) {
  switch (c->type) {
    case RS_TYPE_CATEGORY: case RS_TYPE_KOMMUNE: case RS_TYPE_FYLKE: case RS_TYPE_STRING: case RS_TYPE_ID:
      return true;
    case RS_TYPE_LIKERT:
      return false;  /* a Likert item gets both a summary and (in outcomes) a distribution */
    default:
      return false;
  }
}

/* Weighted mean and SE of column c over `rows` (NULL: all) as a domain of design dz. */
static void put_weighted_mean(rs_record *rec, const rs_svy_design *dz, const rs_column *c, const rs_table *t,
                              const size_t *rows, size_t n) {
  double *y = g_new(double, t->nrows ? t->nrows : 1);
  for (size_t i = 0; i < t->nrows; i++) y[i] = rs_column_present(c, i) ? c->num[i] : NAN;
  rs_svy_estimate e;
  rs_svy_mean(dz, y, rows, n, &e);
  rs_record_num(rec, "weighted_mean", e.mean);
  rs_record_num(rec, "weighted_se", e.se);
  g_free(y);
}

static void put_num_record(rs_results *out, const rs_column *c, const char *by, const char *group_label,
                           const rs_describe_num *d, const rs_svy_design *dz, const rs_table *t, const size_t *rows,
                           size_t nrows) {
  rs_record *rec = rs_results_add(out);
  rs_record_str(rec, "name", c->name);
  rs_record_str(rec, "type", rs_type_name(c->type));
  if (by) {
    rs_record_str(rec, "by", by);
    rs_record_str(rec, "group", group_label);
  }
  rs_record_int(rec, "n", (long long)d->n);
  rs_record_int(rec, "missing", (long long)d->n_missing);
  bool date = c->type == RS_TYPE_DATE;
  if (date) {
    char buf[16];
    if (d->n) {
      rs_value_format_date((int32_t)d->min, buf);
      rs_record_str(rec, "min", buf);
      rs_value_format_date((int32_t)floor(d->median), buf);
      rs_record_str(rec, "median", buf);
      rs_value_format_date((int32_t)d->max, buf);
      rs_record_str(rec, "max", buf);
    }
  } else {
    rs_record_num(rec, "mean", d->mean);
    rs_record_num(rec, "sd", d->sd);
    rs_record_num(rec, "se", d->se);
    rs_record_num(rec, "min", d->min);
    rs_record_num(rec, "q1", d->q1);
    rs_record_num(rec, "median", d->median);
    rs_record_num(rec, "q3", d->q3);
    rs_record_num(rec, "max", d->max);
    if (dz) put_weighted_mean(rec, dz, c, t, rows, nrows);
  }
  static const char *const keys[RS_MISS_N_REASONS] = {
    NULL, "missing_empty", "missing_code", "missing_ssb_na", "missing_ssb_missing", "missing_ssb_not_yet",
    "missing_ssb_suppressed"};
  for (int k = 1; k < RS_MISS_N_REASONS; k++)
    if (d->missing[k]) rs_record_int(rec, keys[k], (long long)d->missing[k]);
  if (d->n_provisional) rs_record_int(rec, "provisional", (long long)d->n_provisional);
  /* a statistic left out says why (issue 10: no silent gaps) */
  if (d->n == 0) rs_record_str(rec, "note", "no values: every row is missing");
  else if (d->n == 1 && !date) rs_record_str(rec, "note", "sd and se need at least 2 values");
  if (d->n_zero_by_def) rs_record_int(rec, "zero_by_definition", (long long)d->n_zero_by_def);
}

static void put_level_records(rs_results *out, const rs_column *c, const size_t *rows, size_t n, const char *by,
                              const char *group_label, const char *lang, const rs_svy_design *dz, const rs_table *t) {
  size_t nmiss;
  GPtrArray *lv = levels_of(c, rows, n, &nmiss);
  size_t present = n - nmiss;
  double *ind = dz ? g_new(double, t->nrows ? t->nrows : 1) : NULL;  /* 0/1 indicator of a level, NAN if missing */
  for (guint k = 0; k < lv->len; k++) {
    const group *g = g_ptr_array_index(lv, k);
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "name", c->name);
    rs_record_str(rec, "type", rs_type_name(c->type));
    if (by) {
      rs_record_str(rec, "by", by);
      rs_record_str(rec, "group", group_label);
    }
    rs_record_str(rec, "level", g->key);
    rs_record_str(rec, "label", level_label(c, g->key, g->code, lang));
    rs_record_int(rec, "n", (long long)g->rows->len);
    rs_record_num(rec, "percent", 100.0 * (double)g->rows->len / (double)present);
    if (dz) {
      for (size_t i = 0; i < t->nrows; i++) ind[i] = rs_column_present(c, i) ? 0 : NAN;
      for (guint r = 0; r < g->rows->len; r++) ind[g_array_index(g->rows, size_t, r)] = 1;
      rs_svy_estimate e;
      rs_svy_mean(dz, ind, rows, n, &e);
      rs_record_num(rec, "weighted_percent", 100 * e.mean);
      rs_record_num(rec, "weighted_percent_se", 100 * e.se);
    }
  }
  g_free(ind);
  if (nmiss) {
    rs_record *rec = rs_results_add(out);
    rs_record_str(rec, "name", c->name);
    rs_record_str(rec, "type", rs_type_name(c->type));
    if (by) {
      rs_record_str(rec, "by", by);
      rs_record_str(rec, "group", group_label);
    }
    rs_record_str(rec, "level", "(missing)");
    rs_record_int(rec, "n", (long long)nmiss);
  }
  g_ptr_array_free(lv, TRUE);
}

/* Numeric summaries of several columns, spread over the machine's cores:
 * columns are independent, and each thread has its own work buffer. */
typedef struct {
  const rs_table *t;
  const int *cols;
  size_t ncols;
  const size_t *rows;
  size_t n;
  rs_describe_num *out;
  gint next;
} par_job;

static gpointer par_worker(gpointer data) {
  par_job *j = data;
  double *work = rs_table_work_buffer(j->n ? j->n : 1);
  for (;;) {
    gint k = g_atomic_int_add(&j->next, 1);
    if (k >= (gint)j->ncols) break;
    if (j->cols[k] >= 0) rs_describe_numeric(&j->t->cols[j->cols[k]], j->rows, j->n, work, &j->out[k]);
  }
  g_free(work);
  return NULL;
}

static void describe_numeric_parallel(const rs_table *t, const int *cols, size_t ncols, const size_t *rows, size_t n,
                                      rs_describe_num *out) {
  par_job job = {.t = t, .cols = cols, .ncols = ncols, .rows = rows, .n = n, .out = out, .next = 0};
  guint nthreads = MIN(rs_table_threads(), 8u);
  if (n * ncols < 200000 || nthreads < 2) nthreads = 1;  /* threads do not pay for small tables */
  GThread *th[8];
  for (guint i = 1; i < nthreads; i++) th[i] = g_thread_new("describe", par_worker, &job);
  par_worker(&job);
  for (guint i = 1; i < nthreads; i++) g_thread_join(th[i]);
}

/* Records for the numeric columns (numeric = true) or the categorical ones. */
static void describe_rows(const rs_table *t, const int *cols, size_t ncols, const size_t *rows, size_t n,
                          const char *by, const char *group_label, const char *lang, bool numeric_part,
                          const rs_svy_design *dz, rs_results *out) {
  int *numeric = g_new(int, ncols ? ncols : 1);
  for (size_t k = 0; k < ncols; k++)
    numeric[k] = numeric_part && !is_categorical(&t->cols[cols[k]]) ? cols[k] : -1;
  rs_describe_num *sums = g_new0(rs_describe_num, ncols ? ncols : 1);
  if (numeric_part) describe_numeric_parallel(t, numeric, ncols, rows, n, sums);
  for (size_t k = 0; k < ncols; k++) {
    const rs_column *c = &t->cols[cols[k]];
    if (is_categorical(c) != !numeric_part) continue;
    if (is_categorical(c)) {
      if (!rs_privacy_values_allowed(c)) {
        /* identifiers and free text: counts only, never the values (privacy.h) */
        rs_describe_num d;
        memset(&d, 0, sizeof d);
        for (size_t r = 0; r < n; r++) {
          size_t i = rows ? rows[r] : r;
          if (rs_column_present(c, i)) d.n++; else { d.n_missing++; d.missing[rs_column_miss(c, i)]++; }
        }
        rs_record *rec = rs_results_add(out);
        rs_record_str(rec, "name", c->name);
        rs_record_str(rec, "type", rs_type_name(c->type));
        if (by) { rs_record_str(rec, "by", by); rs_record_str(rec, "group", group_label); }
        rs_record_int(rec, "n", (long long)d.n);
        rs_record_int(rec, "missing", (long long)d.n_missing);
      } else {
        put_level_records(out, c, rows, n, by, group_label, lang, dz, t);
      }
    } else {
      put_num_record(out, c, by, group_label, &sums[k], dz, t, rows, n);
    }
  }
  g_free(sums);
  g_free(numeric);
}

gboolean rs_describe_table(const rs_table *t, const char *const *vars, const char *by, const char *lang,
                           rs_results *out, GError **err) {
  return rs_describe_table_weighted(t, vars, by, lang, NULL, NULL, NULL, out, err);
}

gboolean rs_describe_table_weighted(const rs_table *t, const char *const *vars, const char *by, const char *lang,
                                    const char *weight, const char *strata, const char *cluster, rs_results *out,
                                    GError **err) {
  rs_svy_design *dz = NULL;
  if ((strata || cluster) && !weight) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--strata and --cluster go with --weight W");
    return FALSE;
  }
  if (weight && !(dz = rs_svy_design_from_table(t, weight, strata, cluster, err))) return FALSE;
  gboolean ok = describe_table(t, vars, by, lang, dz, out, err);
  if (ok && dz) {
    GString *note = g_string_new(NULL);
    g_string_append_printf(note, "weighted_*: weight '%s'", weight);
    if (strata) g_string_append_printf(note, ", strata '%s'", strata);
    if (cluster) g_string_append_printf(note, ", clusters '%s'", cluster);
    else g_string_append(note, ", each row its own cluster");
    g_string_append_printf(note, "; Taylor-linearised SE, clusters sampled with replacement (no finite population "
                                 "correction), as R's survey::svymean%s.",
                           by ? " and svyby (groups as domains of the whole design)" : "");
    rs_results_add_note(out, note->str);
    g_string_free(note, TRUE);
  }
  rs_svy_design_free(dz);
  return ok;
}

static gboolean describe_table(const rs_table *t, const char *const *vars, const char *by, const char *lang,
                               const rs_svy_design *dz, rs_results *out, GError **err) {
  GArray *cols = g_array_new(FALSE, FALSE, sizeof(int));
  int by_idx = -1;
  if (by) {
    by_idx = rs_table_find(t, by);
    if (by_idx < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --by '%s' is not a column of the file", t->path, by);
      g_array_free(cols, TRUE);
      return FALSE;
    }
  }
  if (vars) {
    for (const char *const *v = vars; *v; v++) {
      int j = rs_table_find(t, *v);
      if (j < 0) {
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --vars names '%s', which is not a column of the file", t->path, *v);
        g_array_free(cols, TRUE);
        return FALSE;
      }
      g_array_append_val(cols, j);
    }
  } else {
    for (int j = 0; j < (int)t->ncols; j++)
      if (j != by_idx) g_array_append_val(cols, j);
  }
  bool any_num = false, any_cat = false;
  for (guint k = 0; k < cols->len; k++) {
    bool cat = is_categorical(&t->cols[g_array_index(cols, int, k)]);
    any_cat = any_cat || cat;
    any_num = any_num || !cat;
  }
  if (by_idx < 0) {
    for (int part = 0; part < 2; part++) {
      if (!(part == 0 ? any_num : any_cat)) continue;
      rs_results_section(out, part == 0 ? "Numeric variables" : "Categories");
      describe_rows(t, (int *)cols->data, cols->len, NULL, t->nrows, NULL, NULL, lang, part == 0, dz, out);
    }
  } else {
    const rs_column *bc = &t->cols[by_idx];
    if (!rs_privacy_check(t, bc, "--by", err)) {  /* the groups label the output (privacy.h) */
      g_array_free(cols, TRUE);
      return FALSE;
    }
    size_t nmiss;
    GPtrArray *lv = levels_of(bc, NULL, t->nrows, &nmiss);
    if (lv->len > 1000) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                  "%s: --by '%s' has %u distinct values; grouping needs a category with at most 1000", t->path, by,
                  lv->len);
      g_ptr_array_free(lv, TRUE);
      g_array_free(cols, TRUE);
      return FALSE;
    }
    for (int part = 0; part < 2; part++) {
      if (!(part == 0 ? any_num : any_cat)) continue;
      rs_results_section(out, part == 0 ? "Numeric variables" : "Categories");
      for (guint k = 0; k < lv->len; k++) {
        const group *g = g_ptr_array_index(lv, k);
        const char *lab = level_label(bc, g->key, g->code, lang);
        char *gl = lab ? g_strdup_printf("%s %s", g->key, lab) : g_strdup(g->key);
        describe_rows(t, (int *)cols->data, cols->len, (size_t *)g->rows->data, g->rows->len, by, gl, lang,
                      part == 0, dz, out);
        g_free(gl);
      }
    }
    if (nmiss) {
      char *note = g_strdup_printf("%zu rows with '%s' missing are not in any group.", nmiss, by);
      rs_results_add_note(out, note);
      g_free(note);
    }
    g_ptr_array_free(lv, TRUE);
  }
  g_array_free(cols, TRUE);
  return TRUE;
}
