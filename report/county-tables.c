/* county-tables.c — the published tables of one fylke (see county.h for
 * what each holds and where its numbers come from).  Every table is built
 * as an rs_pubtable with its additive relations, then goes through
 * rs_county_publish (primary and secondary suppression, audit). */
#include "report/county-private.h"

#include "analysis/reform-outcomes.h"
#include "datasets/error.h"
#include "report/casetables.h"

#include <math.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------------- */

/* Wilson 95 % interval for a rate per `scale` from hits out of n. */
static void rate_ci(double hits, double n, double scale, double *lo, double *hi) {
  *lo = *hi = NAN;
  if (!(n >= 1) || !(hits >= 0)) return;
  rs_reform_wilson((size_t)llround(hits), (size_t)llround(n), lo, hi);
  *lo *= scale;
  *hi *= scale;
}

/* A coverage cell: rate per 1 000 with a Wilson interval on the average
 * month's counts; n = the average month's numerator (children or families
 * behind the rate), the figure primary suppression looks at. */
static void set_coverage(const rs_county_context *c, rs_pubtable *t, size_t r, size_t col,
                         const rs_reform_coverage_unit *u) {
  if (!u || !(u->den > 0)) return;  /* stays NA */
  double num = u->num / c->months, den = u->den / c->months, lo, hi;
  rate_ci(num, den, 1000, &lo, &hi);
  if (u->num == 0) rs_pubtable_set(t, r, col, 0, NAN, NAN, 0);
  else rs_pubtable_set(t, r, col, u->rate, lo, hi, num);
}

/* Runs a plotdata mean; NULL (and a note) when there is nothing to average. */
static rs_plotdata_est *means(const rs_table *t, const GArray *rows, const char *var, const char *group,
                              const char *weight, const char *lang, GPtrArray *notes, const char *what) {
  if (rows && rows->len == 0) return NULL;
  GError *e = NULL;
  rs_plotdata_est *d = rs_plotdata_means(t, rows ? rs_county_idx(rows) : NULL, rows ? rows->len : 0, var, group, NULL,
                                         weight, lang, &e);
  if (!d) {
    if (notes && what) g_ptr_array_add(notes, g_strdup_printf("%s: %s", what, e->message));
    g_clear_error(&e);
  }
  return d;
}

static const rs_plotdata_point *point_of(const rs_plotdata_est *d, const char *row) {
  for (size_t i = 0; d && i < d->n_rows; i++)
    if (!row || strcmp(d->rows[i], row) == 0) return &d->points[i * d->n_series];
  return NULL;
}

static void set_point(rs_pubtable *t, size_t r, size_t col, const rs_plotdata_point *p) {
  if (p && p->n > 0) rs_pubtable_set(t, r, col, p->estimate, p->ci_low, p->ci_high, (double)p->n);
}

/* Share (percent) with Wilson CI from hits of n persons. */
static void set_share(rs_pubtable *t, size_t r, size_t col, size_t hits, size_t n) {
  if (n == 0) return;
  double lo, hi;
  rs_reform_wilson(hits, n, &lo, &hi);
  rs_pubtable_set(t, r, col, 100.0 * (double)hits / (double)n, 100 * lo, 100 * hi, (double)n);
}

static void set_ratio(rs_pubtable *t, size_t r, size_t col, const rs_reform_ratio *q) {
  if (q && q->n > 0 && isfinite(q->estimate)) rs_pubtable_set(t, r, col, q->estimate, q->ci_low, q->ci_high, (double)q->n);
}

/* Families after the reform with a barnekoordinator: hits and persons with a known type. */
static void bk_share(const rs_county_context *c, const GArray *rows, size_t *hits, size_t *n) {
  const rs_column *tc = &c->in.family->cols[c->fam_type_j];
  *hits = *n = 0;
  for (guint i = 0; i < rows->len; i++) {
    size_t k = g_array_index(rows, size_t, i);
    if (!rs_column_present(tc, k)) continue;
    (*n)++;
    *hits += tc->num[k] == 2;
  }
}

/* Rows of `rows` in kommune `code` of column j. */
static size_t count_in(const rs_table *t, int j, const GArray *rows, const char *code) {
  const rs_column *k = &t->cols[j];
  size_t n = 0;
  for (guint i = 0; i < rows->len; i++) {
    size_t r = g_array_index(rows, size_t, i);
    if (!rs_column_present(k, r)) continue;
    const char *s = k->storage == RS_STORE_STR ? k->str[r] : NULL;
    if (s && (strcmp(s, code) == 0 || (strlen(s) == 3 && strcmp(s, code + 1) == 0 && code[0] == '0'))) n++;
    else if (!s && k->storage == RS_STORE_NUM && (int)k->num[r] == atoi(code)) n++;
  }
  return n;
}

static GArray *rows_in(const rs_table *t, int j, const GArray *rows, const char *code) {
  GArray *out = g_array_new(FALSE, FALSE, sizeof(size_t));
  const rs_column *k = &t->cols[j];
  for (guint i = 0; i < rows->len; i++) {
    size_t r = g_array_index(rows, size_t, i);
    if (!rs_column_present(k, r)) continue;
    const char *s = k->storage == RS_STORE_STR ? k->str[r] : NULL;
    if ((s && (strcmp(s, code) == 0 || (strlen(s) == 3 && code[0] == '0' && strcmp(s, code + 1) == 0))) ||
        (!s && k->storage == RS_STORE_NUM && (int)k->num[r] == atoi(code)))
      g_array_append_val(out, r);
  }
  return out;
}

static gboolean add(rs_county_context *c, rs_county *r, rs_pubtable *t, GError **err) {
  if (!rs_county_publish(t, c->min_n, c->lang, r->suppression, err)) {
    rs_pubtable_free(t);
    return FALSE;
  }
  g_ptr_array_add(r->tables, t);
  return TRUE;
}

/* Rows: the kommuner, then "<fylke> i alt" (sum of the kommuner) and the country. */
static void kommune_rows(const rs_county_context *c, const rs_county_rows *fr, const rs_county *r, rs_pubtable *t) {
  size_t K = fr->kommuner->len;
  rs_pubtable_set_stub(t, rs_county_tr(c, "Kommune", "Municipality"), rs_county_tr(c, "Kommunenr.", "No."));
  for (size_t i = 0; i < K; i++) {
    const char *code = g_ptr_array_index(fr->kommuner, i);
    rs_pubtable_set_row(t, i, code, rs_county_kommune_name(c, code), RS_ROLE_UNIT);
  }
  char *tot = g_strdup_printf(c->en ? "%s, total" : "%s i alt", r->name);
  rs_pubtable_set_row(t, K, r->code, tot, RS_ROLE_TOTAL);
  g_free(tot);
  rs_pubtable_set_row(t, K + 1, NULL, rs_county_tr(c, "Hele landet", "Norway"), RS_ROLE_TOTAL);
}

/* In column col the fylke total is the children-weighted mean of the
 * kommune rates (sum of numerators over sum of denominators). */
static void rate_relation(const rs_county_context *c, const rs_county_rows *fr, rs_pubtable *t, size_t col,
                          const char *numerator) {
  size_t K = fr->kommuner->len;
  const rs_reform_coverage_unit *fu = rs_county_coverage(c, numerator, false, fr->code);
  if (!fu || !(fu->den > 0) || !isfinite(rs_pubtable_cell(t, K, col)->value)) return;
  size_t *rows = g_new(size_t, K), *cols = g_new(size_t, K), m = 0;
  double *coef = g_new(double, K);
  for (size_t i = 0; i < K; i++) {
    const rs_reform_coverage_unit *u = rs_county_coverage(c, numerator, true, g_ptr_array_index(fr->kommuner, i));
    if (!u || !(u->den > 0)) continue;
    rows[m] = i;
    cols[m] = col;
    coef[m++] = u->den / fu->den;
  }
  if (m) rs_pubtable_add_relation(t, K, col, rows, cols, coef, m);
  g_free(rows);
  g_free(cols);
  g_free(coef);
}

static size_t *seq(size_t n) {
  size_t *s = g_new(size_t, n ? n : 1);
  for (size_t i = 0; i < n; i++) s[i] = i;
  return s;
}

/* The country's survey figures, the same in every fylke's report: once. */
static void national(rs_county_context *c) {
  if (c->national_done) return;
  c->national_done = true;
  c->nat_index.n = c->nat_hours.n = 0;
  rs_plotdata_est *d = means(c->in.family, c->family_post_all, c->indexes[0], NULL, NULL, c->lang, NULL, NULL);
  if (d) c->nat_index = d->points[0];
  rs_plotdata_est_free(d);
  d = means(c->in.coordinators, c->coord_post_all, "earmarked_hours", NULL, NULL, c->lang, NULL, NULL);
  if (d) c->nat_hours = d->points[0];
  rs_plotdata_est_free(d);
  bk_share(c, c->family_post_all, &c->nat_bk_hits, &c->nat_bk_n);
}

/* ---- 2. key figures ------------------------------------------------------------ */

static gboolean key_figures(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  enum { COV, BKCOV, BKSHARE, CASELOAD, HOURS, NOHOURS, NR };
  rs_pubtable *t = rs_pubtable_new("nokkeltall", rs_county_tr(c, "Nøkkeltall", "Key figures"), NR, 4);
  rs_pubtable_set_stub(t, rs_county_tr(c, "Indikator", "Indicator"), NULL);
  rs_pubtable_set_row(t, COV, NULL, rs_county_tr(c, "Barn med koordinator per 1 000 barn 0–17 år",
                                                 "Children with a koordinator per 1,000 children aged 0–17"), RS_ROLE_UNIT);
  rs_pubtable_set_row(t, BKCOV, NULL, rs_county_tr(c, "Familier med barnekoordinator per 1 000 barn 0–17 år",
                                                   "Families with a barnekoordinator per 1,000 children aged 0–17"), RS_ROLE_UNIT);
  rs_pubtable_set_row(t, BKSHARE, NULL, rs_county_tr(c, "Andel familier med barnekoordinator etter reformen (%)",
                                                     "Share of families with a barnekoordinator after the reform (%)"), RS_ROLE_UNIT);
  rs_pubtable_set_row(t, CASELOAD, NULL, rs_county_tr(c, "Familier per koordinator", "Families per coordinator"), RS_ROLE_UNIT);
  rs_pubtable_set_row(t, HOURS, NULL, rs_county_tr(c, "Øremerkede timer per uke per koordinator",
                                                   "Earmarked hours per week per coordinator"), RS_ROLE_UNIT);
  rs_pubtable_set_row(t, NOHOURS, NULL, rs_county_tr(c, "Andel koordinatorer uten øremerket tid (%)",
                                                     "Share of coordinators without earmarked time (%)"), RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 0, "fylke", r->name, NULL, RS_COL_OTHER, 1, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 1, "fylke_n", "n", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 2, "landet", rs_county_tr(c, "Hele landet", "Norway"), NULL, RS_COL_OTHER, 1, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 3, "landet_n", "n", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  for (int side = 0; side < 2; side++) {
    const char *code = side == 0 ? fr->code : NULL;
    size_t col = side == 0 ? 0 : 2;
    set_coverage(c, t, COV, col, rs_county_coverage(c, "children_koordinator", false, code));
    set_coverage(c, t, BKCOV, col, rs_county_coverage(c, "families_barnekoordinator", false, code));
    size_t hits, n;
    national(c);
    if (side == 0) bk_share(c, fr->family_post, &hits, &n);
    else hits = c->nat_bk_hits, n = c->nat_bk_n;
    set_share(t, BKSHARE, col, hits, n);
    const rs_reform_group *g = side == 0 ? rs_county_caseload_group(c, false, fr->code) : NULL;
    if (side == 1 && c->caseload) {
      set_ratio(t, CASELOAD, col, &c->caseload->per_coordinator);
      set_share(t, NOHOURS, col, c->caseload->no_hours.hits, c->caseload->no_hours.n);
    } else if (g) {
      set_ratio(t, CASELOAD, col, &g->per_coordinator);
      set_share(t, NOHOURS, col, g->no_hours.hits, g->no_hours.n);
    }
    if (side == 0) {
      rs_plotdata_est *h = means(c->in.coordinators, fr->coord_post, "earmarked_hours", NULL, NULL, c->lang, NULL, NULL);
      set_point(t, HOURS, col, point_of(h, NULL));
      rs_plotdata_est_free(h);
    } else {
      set_point(t, HOURS, col, &c->nat_hours);
    }
    /* n beside each figure: the persons it rests on */
    for (size_t row = 0; row < NR; row++) {
      const rs_pubcell *v = rs_pubtable_cell(t, row, col);
      if (v->state != RS_CELL_NA) rs_pubtable_set_count(t, row, col + 1, round(v->n));
    }
  }
  rs_pubtable_add_note(t, rs_county_tr(c,
    "Registertall: de siste 12 månedene med data, summen av tellerne delt på summen av nevnerne; n er antall barn "
    "(familier) i en gjennomsnittlig måned.  Familier og koordinatorer: svar etter 1. august 2022.  Andeler og "
    "registertall med Wilson-intervall, familier per koordinator som forholdstall av summer (svyratio), timer med "
    "t-intervall.  95 % konfidensintervall.",
    "Registry figures: the last 12 months with data, the sum of numerators over the sum of denominators; n is the "
    "number of children (families) in an average month.  Families and coordinators: answers after 1 August 2022.  "
    "Shares and registry figures with Wilson intervals, families per coordinator as a ratio of sums (svyratio), "
    "hours with a t interval.  95 % confidence intervals."));
  return add(c, r, t, err);
}

/* ---- 2b. indexes before and after ----------------------------------------------- */

static rs_reform_outcomes *outcomes(rs_county_context *c, const GArray *rows, GPtrArray *notes, const char *where) {
  if (rows && rows->len == 0) return NULL;
  /* the index columns made once in the context are the outcomes: with the
   * codebook, every call would rebuild every index over the whole table */
  rs_reform_outcomes_options o = {.weight = c->in.weight, .cluster = c->in.cluster, .strata = c->in.strata,
                                  .vars = (const char *const *)c->indexes, .lang = c->lang,
                                  .rows = rows ? rs_county_idx(rows) : NULL, .nrows = rows ? rows->len : 0};
  GError *e = NULL;
  rs_reform_outcomes *x = rs_reform_outcomes_new(c->in.family, NULL, &o, &e);
  if (!x && o.cluster) {
    /* a fylke of one kommune (Oslo) is one cluster: a clustered SE cannot be
     * had there; the weighted estimates with the plain design instead */
    char *first = g_strdup(e->message);
    g_clear_error(&e);
    o.cluster = NULL;
    x = rs_reform_outcomes_new(c->in.family, NULL, &o, &e);
    if (x)
      g_ptr_array_add(notes, g_strdup_printf(c->en ? "Indexes before and after, %s: standard errors without clustering "
                                                     "by kommune (%s)."
                                                   : "Indekser før og etter, %s: standardfeil uten gruppering på "
                                                     "kommune (%s).", where, first));
    g_free(first);
  }
  if (!x) {
    g_ptr_array_add(notes, g_strdup_printf(c->en ? "Indexes before and after, %s: not computed (%s)."
                                                 : "Indekser før og etter, %s: ikke beregnet (%s).", where, e->message));
    g_clear_error(&e);
  }
  return x;
}

static gboolean index_table(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  size_t ni = g_strv_length(c->indexes);
  rs_pubtable *t = rs_pubtable_new("indekser", rs_county_tr(c, "Familienes opplevelse før og etter reformen (indeks 1–5)",
                                                            "Families' experience before and after the reform (index 1–5)"),
                                   2 * ni, 5);
  rs_pubtable_set_stub(t, rs_county_tr(c, "Indeks", "Index"), NULL);
  rs_pubtable_set_col(t, 0, "for", rs_county_tr(c, "Før", "Before"), NULL, RS_COL_MEAN, 2, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 1, "for_n", "n", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 2, "etter", rs_county_tr(c, "Etter", "After"), NULL, RS_COL_MEAN, 2, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 3, "etter_n", "n", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 4, "endring", rs_county_tr(c, "Endring", "Change"), NULL, RS_COL_MEAN, 2, true, RS_ROLE_UNIT);
  /* the country's figures are the same in every fylke's report: made once */
  if (!c->national_outcomes_done) {
    GPtrArray *nn = g_ptr_array_new_with_free_func(g_free);
    c->national_outcomes = outcomes(c, NULL, nn, rs_county_tr(c, "hele landet", "Norway"));
    if (nn->len) c->national_outcomes_note = g_strdup(g_ptr_array_index(nn, 0));
    g_ptr_array_unref(nn);
    c->national_outcomes_done = true;
  }
  if (c->national_outcomes_note) g_ptr_array_add(r->notes, g_strdup(c->national_outcomes_note));
  rs_reform_outcomes *xs[2] = {outcomes(c, fr->family, r->notes, r->name), c->national_outcomes};
  for (size_t k = 0; k < ni; k++) {
    for (int side = 0; side < 2; side++) {
      size_t row = 2 * k + (size_t)side;
      char *lab = g_strdup_printf("%s – %s", rs_county_index_label(c, c->indexes[k]),
                                  side == 0 ? r->name : rs_county_tr(c, "hele landet", "Norway"));
      rs_pubtable_set_row(t, row, NULL, lab, side == 0 ? RS_ROLE_UNIT : RS_ROLE_TOTAL);
      g_free(lab);
      const rs_reform_outcome *o = xs[side] ? rs_reform_outcomes_find(xs[side], c->indexes[k], NULL, NULL, NULL) : NULL;
      if (!o) continue;
      if (o->pre.n) rs_pubtable_set(t, row, 0, o->pre.estimate, o->pre.ci_low, o->pre.ci_high, (double)o->pre.n);
      rs_pubtable_set_count(t, row, 1, (double)o->pre.n);
      if (o->post.n) rs_pubtable_set(t, row, 2, o->post.estimate, o->post.ci_low, o->post.ci_high, (double)o->post.n);
      rs_pubtable_set_count(t, row, 3, (double)o->post.n);
      if (o->pre.n && o->post.n && isfinite(o->estimate)) {
        rs_pubtable_set(t, row, 4, o->estimate, o->ci_low, o->ci_high, (double)MIN(o->pre.n, o->post.n));
        /* the change is after − before: knowing two gives the third */
        size_t rows[2] = {row, row}, cols[2] = {2, 0};
        double coef[2] = {1, -1};
        rs_pubtable_add_relation(t, row, 4, rows, cols, coef, 2);
      }
    }
  }
  rs_pubtable_add_note(t, rs_county_tr(c,
    "Indeksen er gjennomsnittet av spørsmålene i indeksen (1 = helt uenig, 5 = helt enig; negativt formulerte "
    "spørsmål snudd), for svar med minst halvparten av spørsmålene besvart.  Vektet, med usikkerhet som tar hensyn "
    "til at svarene er gruppert i kommuner.  For belastning er lavere bedre.",
    "The index is the mean of its items (1 = strongly disagree, 5 = strongly agree; negatively worded items "
    "reversed), for answers with at least half of the items answered.  Weighted, with uncertainty that allows for "
    "answers being clustered in kommuner.  For burden, lower is better."));
  rs_reform_outcomes_free(xs[0]);
  return add(c, r, t, err);
}

/* ---- 3. kommune tables -------------------------------------------------------------- */

static gboolean kommuner_register(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  size_t K = fr->kommuner->len;
  rs_pubtable *t = rs_pubtable_new("kommuner-register", rs_county_tr(c, "Kommunene: koordinator og barnekoordinator i registeret",
                                                                    "Kommuner: koordinator and barnekoordinator in the registry"),
                                   K + 2, 3);
  kommune_rows(c, fr, r, t);
  rs_pubtable_set_col(t, 0, "barn_0_17", rs_county_tr(c, "Barn 0–17 år", "Children 0–17"), NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 1, "koordinator_per_1000", rs_county_tr(c, "Med koordinator", "With koordinator"), "per 1 000",
                      RS_COL_RATE, 1, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 2, "barnekoordinator_per_1000", rs_county_tr(c, "Familier med barnekoordinator", "Families with barnekoordinator"),
                      "per 1 000", RS_COL_RATE, 1, true, RS_ROLE_UNIT);
  for (size_t i = 0; i < K + 2; i++) {
    const char *code = i < K ? g_ptr_array_index(fr->kommuner, i) : i == K ? fr->code : NULL;
    bool kom = i < K;
    const rs_reform_coverage_unit *u = rs_county_coverage(c, "children_koordinator", kom, code);
    /* the number of children is public (SSB): never suppressed */
    if (u && u->den > 0) rs_pubtable_set(t, i, 0, round(u->den / c->months), NAN, NAN, RS_N_PUBLIC);
    set_coverage(c, t, i, 1, u);
    set_coverage(c, t, i, 2, rs_county_coverage(c, "families_barnekoordinator", kom, code));
  }
  rate_relation(c, fr, t, 1, "children_koordinator");
  rate_relation(c, fr, t, 2, "families_barnekoordinator");
  rs_pubtable_add_note(t, rs_county_tr(c,
    "Gjennomsnitt per måned over de siste 12 månedene med data.  Satsen for fylket er summen av kommunenes tellere "
    "delt på summen av nevnerne.",
    "Average per month over the last 12 months with data.  The fylke's rate is the sum of the kommuner's "
    "numerators over the sum of their denominators."));
  return add(c, r, t, err);
}

/* The additive structure a reader knows of a kommune table laid out as
 * count, mean, mean (rows 0..K-1 the kommuner, row K the fylke): the fylke's
 * count is the sum of the kommuner's, each fylke mean their n-weighted mean. */
static void count_and_mean_relations(rs_pubtable *t, size_t K) {
  size_t *parts = seq(K);
  rs_pubtable_sum_rows(t, 0, K, parts, K);
  for (size_t col = 1; col <= 2; col++)
    if (rs_pubtable_cell(t, K, col)->state != RS_CELL_NA) rs_pubtable_mean_rows(t, col, K, parts, K);
  g_free(parts);
}

static gboolean kommuner_familier(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  size_t K = fr->kommuner->len;
  const char *ix = c->indexes[0];
  char *title = g_strdup_printf(c->en ? "Kommuner: families after the reform" : "Kommunene: familiene etter reformen");
  rs_pubtable *t = rs_pubtable_new("kommuner-familier", title, K + 2, 3);
  g_free(title);
  kommune_rows(c, fr, r, t);
  rs_pubtable_set_col(t, 0, "svar", rs_county_tr(c, "Svar", "Answers"), NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 1, "indeks", rs_county_index_label(c, ix), rs_county_tr(c, "indeks 1–5", "index 1–5"),
                      RS_COL_MEAN, 2, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 2, "andel_barnekoordinator", rs_county_tr(c, "Med barnekoordinator", "With barnekoordinator"),
                      "%", RS_COL_SHARE, 0, true, RS_ROLE_UNIT);
  rs_plotdata_est *bykom = means(c->in.family, fr->family_post, ix, c->fam_kommune, NULL, c->lang, NULL, NULL);
  for (size_t i = 0; i < K + 2; i++) {
    const GArray *rows;
    GArray *own = NULL;
    if (i < K) rows = own = rows_in(c->in.family, c->fam_kommune_j, fr->family_post, g_ptr_array_index(fr->kommuner, i));
    else rows = i == K ? fr->family_post : c->family_post_all;
    rs_pubtable_set_count(t, i, 0, (double)rows->len);
    size_t hits, n;
    if (i < K) {
      set_point(t, i, 1, point_of(bykom, g_ptr_array_index(fr->kommuner, i)));
    } else if (i == K) {
      rs_plotdata_est *d = means(c->in.family, rows, ix, NULL, NULL, c->lang, NULL, NULL);
      set_point(t, i, 1, point_of(d, NULL));
      rs_plotdata_est_free(d);
    } else {
      national(c);
      set_point(t, i, 1, &c->nat_index);
    }
    if (i == K + 1) hits = c->nat_bk_hits, n = c->nat_bk_n;
    else bk_share(c, rows, &hits, &n);
    set_share(t, i, 2, hits, n);
    if (own) g_array_unref(own);
  }
  rs_plotdata_est_free(bykom);
  count_and_mean_relations(t, K);
  rs_pubtable_add_note(t, rs_county_tr(c,
    "Svar fra familier etter 1. august 2022.  Uvektede gjennomsnitt og andeler, så fylkets tall er gjennomsnittet "
    "av kommunenes veid med antall svar.",
    "Answers from families after 1 August 2022.  Unweighted means and shares, so that the fylke's figure is the "
    "kommuner's weighted by their number of answers."));
  return add(c, r, t, err);
}

static gboolean kommuner_koordinatorer(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  size_t K = fr->kommuner->len;
  rs_pubtable *t = rs_pubtable_new("kommuner-koordinatorer",
                                   rs_county_tr(c, "Kommunene: koordinatorenes saksmengde og tid", "Kommuner: coordinators' caseload and time"),
                                   K + 2, 3);
  kommune_rows(c, fr, r, t);
  rs_pubtable_set_col(t, 0, "koordinatorer", rs_county_tr(c, "Koordinatorer", "Coordinators"), NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 1, "familier_per_koordinator", rs_county_tr(c, "Familier per koordinator", "Families per coordinator"),
                      NULL, RS_COL_MEAN, 1, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 2, "oremerkede_timer", rs_county_tr(c, "Øremerkede timer per uke", "Earmarked hours per week"),
                      NULL, RS_COL_MEAN, 1, true, RS_ROLE_UNIT);
  rs_plotdata_est *hk = means(c->in.coordinators, fr->coord_post, "earmarked_hours", c->coord_kommune, NULL, c->lang, NULL, NULL);
  for (size_t i = 0; i < K + 2; i++) {
    const char *code = i < K ? g_ptr_array_index(fr->kommuner, i) : NULL;
    const GArray *rows = i == K ? fr->coord_post : c->coord_post_all;
    if (i < K) rs_pubtable_set_count(t, i, 0, (double)count_in(c->in.coordinators, c->coord_kommune_j, fr->coord_post, code));
    else rs_pubtable_set_count(t, i, 0, (double)rows->len);
    if (i < K) {
      const rs_reform_group *g = rs_county_caseload_group(c, true, code);
      if (g) set_ratio(t, i, 1, &g->per_coordinator);
      set_point(t, i, 2, point_of(hk, code));
    } else {
      const rs_reform_group *g = i == K ? rs_county_caseload_group(c, false, fr->code) : NULL;
      if (i == K && g) set_ratio(t, i, 1, &g->per_coordinator);
      if (i == K + 1 && c->caseload) set_ratio(t, i, 1, &c->caseload->per_coordinator);
      if (i == K) {
        rs_plotdata_est *d = means(c->in.coordinators, rows, "earmarked_hours", NULL, NULL, c->lang, NULL, NULL);
        set_point(t, i, 2, point_of(d, NULL));
        rs_plotdata_est_free(d);
      } else {
        national(c);
        set_point(t, i, 2, &c->nat_hours);
      }
    }
  }
  rs_plotdata_est_free(hk);
  count_and_mean_relations(t, K);
  rs_pubtable_add_note(t, rs_county_tr(c,
    "Koordinatorer som svarte etter 1. august 2022.  Familier per koordinator er summen av familiene delt på antall "
    "koordinatorer (forholdstall av summer, svyratio-intervall); timer med t-intervall.",
    "Coordinators who answered after 1 August 2022.  Families per coordinator is the sum of families over the "
    "number of coordinators (ratio of sums, svyratio interval); hours with a t interval."));
  return add(c, r, t, err);
}

/* ---- 4. Statsforvalteren's cases (report/casetables.h: suppressed and audited there) ---- */

static gboolean case_tables(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  if (!c->in.cases) return TRUE;
  GPtrArray *kom = g_ptr_array_new();
  for (guint i = 0; i < fr->kommuner->len; i++) g_ptr_array_add(kom, g_ptr_array_index(fr->kommuner, i));
  g_ptr_array_add(kom, NULL);
  rs_casetables_options o = {.fylke_name = r->name, .kommune_names = c->kommune_names,
                             .kommuner = (const char *const *)kom->pdata};
  GPtrArray *ts = rs_casetables_build_opt(c->in.cases, fr->code, &o, c->lang, c->min_n, err);
  g_ptr_array_unref(kom);
  if (!ts) {
    g_prefix_error(err, "Statsforvalteren's cases: ");
    return FALSE;
  }
  r->first_case_table = r->tables->len;
  for (guint i = 0; i < ts->len; i++) {
    rs_pubtable *t = g_ptr_array_index(ts, i);
    /* proven again here: the report publishes nothing the audit has not passed */
    rs_audit_result res = {0};
    gboolean safe = rs_disclosure_audit(t, c->min_n, &res, NULL);
    if (!safe) {
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "table '%s' fails the disclosure audit and is not published: %s",
                  t->id, res.message ? res.message : "?");
      rs_audit_result_clear(&res);
      g_ptr_array_unref(ts);
      return FALSE;
    }
    rs_audit_result_clear(&res);
    size_t np = 0, ns = 0;
    for (size_t k = 0; k < t->nrows * t->ncols; k++) {
      np += t->cells[k].state == RS_CELL_PRIMARY;
      ns += t->cells[k].state == RS_CELL_SECONDARY;
    }
    g_ptr_array_add(r->suppression,
                    c->en ? g_strdup_printf("%s: %zu cells suppressed for fewer than %g cases, %zu more so that they "
                                            "cannot be derived from the totals.", t->title, np, c->min_n, ns)
                          : g_strdup_printf("%s: %zu celler skjult fordi de bygger på færre enn %g saker, og %zu til "
                                            "for at de ikke skal kunne regnes ut fra summene.", t->title, np, c->min_n, ns));
  }
  g_ptr_array_set_free_func(ts, NULL);  /* the tables move to r->tables */
  for (guint i = 0; i < ts->len; i++) g_ptr_array_add(r->tables, g_ptr_array_index(ts, i));
  g_ptr_array_unref(ts);
  return TRUE;
}

gboolean rs_county_build_tables(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  return key_figures(c, fr, r, err) && index_table(c, fr, r, err) && kommuner_register(c, fr, r, err) &&
         kommuner_familier(c, fr, r, err) && kommuner_koordinatorer(c, fr, r, err) && case_tables(c, fr, r, err);
}
