/* casetables.c — Statsforvalteren's cases for one fylke as three published
 * tables (see casetables.h for what they hold and why they are laid out so).
 *
 * One pass over the cases table sorts every case of the fylke into buckets
 * (kommune × year/subject for complaints received; year/subject/total for
 * decisions and tilsyn); the tables are then filled from the buckets, the
 * additive structure is declared as relations, and each table goes through
 * rs_disclosure_suppress and rs_disclosure_audit before it is returned.
 */
#include "report/casetables.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/value.h"

#define DEADLINE_DAYS 28  /* the four-week deadline */

/* ---- reading the cases table --------------------------------------------- */

typedef struct {
  int type, fylke, kommune, subject, received, decided, days, outcome, lovbrudd;
} case_cols;

typedef struct {
  double code;
  char *key;    /* "barnekoordinator" */
  char *label;  /* in the report's language */
} subject_def;

typedef struct {
  const rs_table *t;
  case_cols c;
  GArray *subjects;  /* of subject_def */
  int ymin, ymax;    /* years in the whole table; ymax < ymin: none */
  gboolean en;
} cases_in;

static const char *tr(gboolean en, const char *nb, const char *e) { return en ? e : nb; }

static const char *file_of(const rs_table *t) { return t->path ? t->path : "cases"; }

static gboolean need_col(const rs_table *t, const char *name, rs_storage st, gboolean optional, int *out,
                         GError **err) {
  int j = rs_table_find(t, name);
  *out = j;
  if (j < 0) {
    if (optional) return TRUE;
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                "%s: column '%s' is missing; Statsforvalteren's case tables need case_type, fylke, kommune, subject, "
                "date_received, date_decided, outcome and lovbrudd (see cases-codebook.csv)",
                file_of(t), name);
    return FALSE;
  }
  if (t->cols[j].storage != st) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: column '%s' must hold %s", file_of(t), name,
                st == RS_STORE_NUM ? "numbers, codes or dates (give the cases codebook)" : "codes as text");
    return FALSE;
  }
  return TRUE;
}

static int year_of(double days) {
  char buf[32];
  rs_value_format_date((int32_t)days, buf);
  return atoi(buf);
}

static char *line_prefix(const rs_table *t, size_t i, const char *col) {
  long line = t->row_line ? (long)t->row_line[i] : (long)i + 2;
  return g_strdup_printf("%s: line %ld, column '%s'", file_of(t), line, col);
}

/* Built-in names of the three subjects of the reform (DESIGN.md). */
static const struct {
  double code;
  const char *key, *nb, *en;
} known_subjects[] = {
  {1, "barnekoordinator", "Barnekoordinator", "Barnekoordinator (child coordinator)"},
  {2, "koordinator", "Koordinator", "Koordinator (coordinator)"},
  {3, "individuell_plan", "Individuell plan", "Individual plan"},
};

static void subject_clear(gpointer p) {
  subject_def *s = p;
  g_free(s->key);
  g_free(s->label);
}

/* The subject codes: the codebook's (when the column has value labels),
 * else 1–3.  Labels: built-in for 1–3 when the codebook agrees (or says
 * nothing), else the codebook's. */
static void read_subjects(cases_in *in) {
  in->subjects = g_array_new(FALSE, TRUE, sizeof(subject_def));
  g_array_set_clear_func(in->subjects, subject_clear);
  const rs_cb_var *v = in->t->cols[in->c.subject].var;
  if (v && v->n_values > 0) {
    for (size_t k = 0; k < v->n_values; k++) {
      if (isnan(v->values[k].value)) continue;
      subject_def s = {.code = v->values[k].value};
      for (size_t b = 0; b < G_N_ELEMENTS(known_subjects); b++) {
        if (known_subjects[b].code != s.code) continue;
        char *a = g_utf8_casefold(v->values[k].label ? v->values[k].label : "", -1);
        char *n = g_utf8_casefold(known_subjects[b].nb, -1);
        if (strcmp(a, n) == 0) {
          s.key = g_strdup(known_subjects[b].key);
          s.label = g_strdup(in->en ? known_subjects[b].en : known_subjects[b].nb);
        }
        g_free(a);
        g_free(n);
      }
      if (!s.key) {
        s.key = g_strdup_printf("tema_%s", v->values[k].code);
        s.label = g_strdup(v->values[k].label ? v->values[k].label : v->values[k].code);
      }
      g_array_append_val(in->subjects, s);
    }
    return;
  }
  for (size_t b = 0; b < G_N_ELEMENTS(known_subjects); b++) {
    subject_def s = {.code = known_subjects[b].code, .key = g_strdup(known_subjects[b].key),
                     .label = g_strdup(in->en ? known_subjects[b].en : known_subjects[b].nb)};
    g_array_append_val(in->subjects, s);
  }
}

static int subject_index(const cases_in *in, double code) {
  for (guint k = 0; k < in->subjects->len; k++)
    if (g_array_index(in->subjects, subject_def, k).code == code) return (int)k;
  return -1;
}

static void cases_in_clear(cases_in *in) {
  if (in->subjects) g_array_free(in->subjects, TRUE);
  in->subjects = NULL;
}

/* Checks the columns and every row's codes (also outside the fylke: a bad
 * file is bad for every report) and finds the year range. */
static gboolean cases_open(cases_in *in, const rs_table *t, gboolean en, GError **err) {
  memset(in, 0, sizeof *in);
  in->t = t;
  in->en = en;
  case_cols *c = &in->c;
  if (!need_col(t, "case_type", RS_STORE_NUM, FALSE, &c->type, err) ||
      !need_col(t, "fylke", RS_STORE_STR, FALSE, &c->fylke, err) ||
      !need_col(t, "kommune", RS_STORE_STR, FALSE, &c->kommune, err) ||
      !need_col(t, "subject", RS_STORE_NUM, FALSE, &c->subject, err) ||
      !need_col(t, "date_received", RS_STORE_NUM, FALSE, &c->received, err) ||
      !need_col(t, "date_decided", RS_STORE_NUM, FALSE, &c->decided, err) ||
      !need_col(t, "processing_days", RS_STORE_NUM, TRUE, &c->days, err) ||
      !need_col(t, "outcome", RS_STORE_NUM, FALSE, &c->outcome, err) ||
      !need_col(t, "lovbrudd", RS_STORE_NUM, FALSE, &c->lovbrudd, err))
    return FALSE;
  read_subjects(in);
  in->ymin = G_MAXINT;
  in->ymax = G_MININT;
  for (size_t i = 0; i < t->nrows; i++) {
    const rs_column *ct = &t->cols[c->type], *cs = &t->cols[c->subject], *co = &t->cols[c->outcome];
    const char *bad = NULL, *col = NULL;
    double v = 0;
    if (!rs_column_present(ct, i)) bad = "is empty; case_type must be 1 (klage) or 2 (tilsyn)", col = "case_type";
    else if ((v = ct->num[i]) != 1 && v != 2) bad = "must be 1 (klage) or 2 (tilsyn)", col = "case_type";
    else if (rs_column_present(cs, i) && subject_index(in, cs->num[i]) < 0)
      bad = "is not a subject code the codebook declares", col = "subject", v = cs->num[i];
    else if (ct->num[i] == 1 && rs_column_present(co, i) && co->num[i] != 1 && co->num[i] != 2 && co->num[i] != 3)
      bad = "must be 1 (upheld), 2 (not upheld) or 3 (sent back)", col = "outcome", v = co->num[i];
    if (bad) {
      char *where = line_prefix(t, i, col);
      if (rs_column_present(&t->cols[rs_table_find(t, col)], i))
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: '%g' %s", where, v, bad);
      else
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s %s", where, bad);
      g_free(where);
      cases_in_clear(in);
      return FALSE;
    }
    const int dcols[2] = {c->received, c->decided};
    for (int k = 0; k < 2; k++) {
      if (!rs_column_present(&t->cols[dcols[k]], i)) continue;
      int y = year_of(t->cols[dcols[k]].num[i]);
      if (y < in->ymin) in->ymin = y;
      if (y > in->ymax) in->ymax = y;
    }
  }
  return TRUE;
}

/* Does row i belong to fylke f (normalised "46")? */
static gboolean in_fylke(const cases_in *in, size_t i, const char *f) {
  const rs_column *cf = &in->t->cols[in->c.fylke], *ck = &in->t->cols[in->c.kommune];
  if (cf->str[i]) {
    char *n = rs_refdata_normalise_fylke(cf->str[i]);
    gboolean same = n && strcmp(n, f) == 0;
    g_free(n);
    return same;
  }
  if (ck->str[i]) {
    char *k = rs_refdata_normalise_kommune(ck->str[i]);
    gboolean same = k && strncmp(k, f, 2) == 0;
    g_free(k);
    return same;
  }
  return FALSE;
}

/* ---- buckets ---------------------------------------------------------------- */

typedef struct {
  double decided, up, notup, back, within;
  GArray *days;  /* processing days of the decided ones (double) */
} dec_bucket;

typedef struct {
  double opened, closed, ongoing, withbr, without, breaches;
} tilsyn_bucket;

typedef struct {
  GPtrArray *kcodes;     /* of char*: kommune rows, sorted; last "" = unknown kommune when used */
  GHashTable *krow;      /* code -> row index + 1 */
  double *recv;          /* (nk + 1) × ncol_recv: per kommune (last: unknown) years, total, subjects */
  size_t ny, ns, nk;
  dec_bucket *dec;       /* ny + ns + 1 rows */
  tilsyn_bucket *til;    /* ny + ns + 1 rows */
  size_t n_complaints, n_tilsyn, n_unknown_kommune;
} buckets;

static void buckets_free(buckets *b) {
  if (b->kcodes) g_ptr_array_free(b->kcodes, TRUE);
  if (b->krow) g_hash_table_destroy(b->krow);
  g_free(b->recv);
  if (b->dec)
    for (size_t r = 0; r < b->ny + b->ns + 1; r++) g_array_free(b->dec[r].days, TRUE);
  g_free(b->dec);
  g_free(b->til);
}

static int cmp_str(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_kommune(buckets *b, GHashTable *seen, const char *code) {
  if (!code || g_hash_table_contains(seen, code)) return;
  char *c = g_strdup(code);
  g_hash_table_add(seen, c);
  g_ptr_array_add(b->kcodes, g_strdup(c));
}

static size_t recv_cols(const buckets *b) { return b->ny + 1 + b->ns; }

static void fill_buckets(buckets *b, const cases_in *in, const char *f, const char *const *kommuner) {
  const rs_table *t = in->t;
  const case_cols *c = &in->c;
  b->ny = in->ymax >= in->ymin ? (size_t)(in->ymax - in->ymin + 1) : 0;
  b->ns = in->subjects->len;
  /* kommune rows: the given list plus those in the data */
  b->kcodes = g_ptr_array_new_with_free_func(g_free);
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (size_t k = 0; kommuner && kommuner[k]; k++) {
    char *n = rs_refdata_normalise_kommune(kommuner[k]);
    add_kommune(b, seen, n ? n : kommuner[k]);
    g_free(n);
  }
  for (size_t i = 0; i < t->nrows; i++) {
    if (t->cols[c->type].num[i] != 1 || !in_fylke(in, i, f) || !t->cols[c->kommune].str[i]) continue;
    char *n = rs_refdata_normalise_kommune(t->cols[c->kommune].str[i]);
    add_kommune(b, seen, n ? n : t->cols[c->kommune].str[i]);
    g_free(n);
  }
  g_hash_table_destroy(seen);
  g_ptr_array_sort(b->kcodes, cmp_str);
  b->nk = b->kcodes->len;
  b->krow = g_hash_table_new(g_str_hash, g_str_equal);
  for (size_t k = 0; k < b->nk; k++)
    g_hash_table_insert(b->krow, g_ptr_array_index(b->kcodes, k), GSIZE_TO_POINTER(k + 1));

  size_t nr = b->ny + b->ns + 1, total = nr - 1;
  b->recv = g_new0(double, (b->nk + 1) * recv_cols(b));
  b->dec = g_new0(dec_bucket, nr);
  b->til = g_new0(tilsyn_bucket, nr);
  for (size_t r = 0; r < nr; r++) b->dec[r].days = g_array_new(FALSE, FALSE, sizeof(double));

  for (size_t i = 0; i < t->nrows; i++) {
    if (!in_fylke(in, i, f)) continue;
    gboolean complaint = t->cols[c->type].num[i] == 1;
    int s = rs_column_present(&t->cols[c->subject], i) ? subject_index(in, t->cols[c->subject].num[i]) : -1;
    gboolean has_recv = rs_column_present(&t->cols[c->received], i);
    gboolean has_dec = rs_column_present(&t->cols[c->decided], i);
    long yr = has_recv ? year_of(t->cols[c->received].num[i]) - in->ymin : -1;
    long yd = has_dec ? year_of(t->cols[c->decided].num[i]) - in->ymin : -1;
    /* rows of the year/subject tables this case counts in: its year, its subject, the total */
    size_t rows[3];
    size_t nrow = 0;
    long y = complaint ? yd : yr;  /* decisions by year decided, tilsyn by year opened */
    if (y >= 0) rows[nrow++] = (size_t)y;
    if (s >= 0) rows[nrow++] = b->ny + (size_t)s;
    rows[nrow++] = total;

    if (complaint) {
      b->n_complaints++;
      /* received, by kommune */
      size_t k = b->nk;  /* unknown */
      if (t->cols[c->kommune].str[i]) {
        char *n = rs_refdata_normalise_kommune(t->cols[c->kommune].str[i]);
        size_t hit = GPOINTER_TO_SIZE(g_hash_table_lookup(b->krow, n ? n : t->cols[c->kommune].str[i]));
        g_free(n);
        if (hit) k = hit - 1;
        else b->n_unknown_kommune++;  /* cannot happen: every kommune of the fylke got a row */
      } else {
        b->n_unknown_kommune++;
      }
      double *row = b->recv + k * recv_cols(b);
      if (yr >= 0) row[yr]++;
      row[b->ny]++;
      if (s >= 0) row[b->ny + 1 + (size_t)s]++;
      if (!has_dec) continue;
      double days = NAN;
      if (c->days >= 0 && rs_column_present(&t->cols[c->days], i)) days = t->cols[c->days].num[i];
      else if (has_recv) days = t->cols[c->decided].num[i] - t->cols[c->received].num[i];
      gboolean has_out = rs_column_present(&t->cols[c->outcome], i);
      double out = has_out ? t->cols[c->outcome].num[i] : 0;
      for (size_t q = 0; q < nrow; q++) {
        dec_bucket *d = &b->dec[rows[q]];
        d->decided++;
        d->up += out == 1;
        d->notup += out == 2;
        d->back += out == 3;
        if (!isnan(days)) {
          g_array_append_val(d->days, days);
          d->within += days <= DEADLINE_DAYS;
        }
      }
    } else {
      b->n_tilsyn++;
      gboolean has_lb = rs_column_present(&t->cols[c->lovbrudd], i);
      double lb = has_lb ? t->cols[c->lovbrudd].num[i] : 0;
      for (size_t q = 0; q < nrow; q++) {
        tilsyn_bucket *u = &b->til[rows[q]];
        u->opened++;
        if (!has_dec) {
          u->ongoing++;
          continue;
        }
        u->closed++;
        if (has_lb && lb > 0) {
          u->withbr++;
          u->breaches += lb;
        } else if (has_lb) {
          u->without++;
        }
      }
    }
  }
}

/* ---- tables ----------------------------------------------------------------- */

typedef struct {
  const cases_in *in;
  const buckets *b;
  const char *fcode;
  char *fname;        /* "Vestland" or "fylke 46" */
  gboolean en;
} ctx;

static void add_common_notes(const ctx *x, rs_pubtable *t, gboolean tilsyn) {
  if (tilsyn ? x->b->n_tilsyn == 0 : x->b->n_complaints == 0) {
    char *s;
    if (x->b->ny > 0) {
      int y0 = x->in->ymin, y1 = x->in->ymax;
      char *span = y0 == y1 ? g_strdup_printf("%d", y0) : g_strdup_printf("%d–%d", y0, y1);
      s = tilsyn ? g_strdup_printf(tr(x->en, "Statsforvalteren har ikke registrert noen tilsyn om barnekoordinator, "
                                             "koordinator eller individuell plan i %s i %s.",
                                      "The county governor registered no inspections (tilsyn) about the child "
                                      "coordinator, coordinator or individual plan in %s in %s."), x->fname, span)
                 : g_strdup_printf(tr(x->en, "Statsforvalteren har ikke registrert noen klager om barnekoordinator, "
                                             "koordinator eller individuell plan i %s i %s.",
                                      "The county governor registered no complaints about the child coordinator, "
                                      "coordinator or individual plan in %s in %s."), x->fname, span);
      g_free(span);
    } else {
      s = g_strdup_printf(tilsyn ? tr(x->en, "Statsforvalteren har ikke registrert noen tilsyn i %s.",
                                      "The county governor registered no inspections (tilsyn) in %s.")
                                 : tr(x->en, "Statsforvalteren har ikke registrert noen klager i %s.",
                                      "The county governor registered no complaints in %s."), x->fname);
    }
    rs_pubtable_add_note(t, s);
    g_free(s);
  }
}

static void add_note(rs_pubtable *t, gboolean en, const char *nb, const char *e) { rs_pubtable_add_note(t, tr(en, nb, e)); }

static char *kommune_label(GHashTable *names, const rs_casetables_options *o, const char *code, gboolean en) {
  if (!*code) return g_strdup(tr(en, "Uoppgitt kommune", "Municipality not given"));
  const char *n = names ? g_hash_table_lookup(names, code) : NULL;
  if (n) return g_strdup(n);
  if (o && o->ref) {
    const rs_kommune *k = rs_refdata_kommune(o->ref, 2024, code);
    if (k && k->name) return g_strdup(k->name);
  }
  return g_strdup(code);
}

/* Table (a): complaints received, kommune × (years | total | subjects). */
static rs_pubtable *table_kommune(const ctx *x, const rs_casetables_options *o) {
  const buckets *b = x->b;
  gboolean unknown = b->n_unknown_kommune > 0;
  size_t nkr = b->nk + (unknown ? 1 : 0), nrows = nkr + 1, ncols = recv_cols(b);
  char *title = g_strdup_printf(tr(x->en, "Klager til Statsforvalteren etter kommune, år mottatt og tema. %s",
                                   "Complaints to the county governor by municipality, year received and subject. %s"),
                                x->fname);
  rs_pubtable *t = rs_pubtable_new("saker-klager-kommune", title, nrows, ncols);
  g_free(title);
  rs_pubtable_set_stub(t, tr(x->en, "Kommune", "Municipality"), tr(x->en, "Kommunenr.", "Municipality no."));
  for (size_t k = 0; k < b->nk; k++) {
    const char *code = g_ptr_array_index(b->kcodes, k);
    char *label = kommune_label(o ? o->kommune_names : NULL, o, code, x->en);
    rs_pubtable_set_row(t, k, code, label, RS_ROLE_UNIT);
    g_free(label);
  }
  if (unknown) rs_pubtable_set_row(t, b->nk, NULL, tr(x->en, "Uoppgitt kommune", "Municipality not given"), RS_ROLE_UNIT);
  char *tl = g_strdup_printf(tr(x->en, "%s i alt", "%s, total"), x->fname);
  rs_pubtable_set_row(t, nrows - 1, x->fcode, tl, RS_ROLE_TOTAL);
  g_free(tl);
  for (size_t y = 0; y < b->ny; y++) {
    char *key = g_strdup_printf("mottatt_%d", x->in->ymin + (int)y), *label = g_strdup_printf("%d", x->in->ymin + (int)y);
    rs_pubtable_set_col(t, y, key, label, NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
    g_free(key);
    g_free(label);
  }
  rs_pubtable_set_col(t, b->ny, "mottatt_i_alt", tr(x->en, "I alt", "Total"), NULL, RS_COL_COUNT, 0, false,
                      RS_ROLE_TOTAL);
  for (size_t s = 0; s < b->ns; s++) {
    const subject_def *sd = &g_array_index(x->in->subjects, subject_def, s);
    char *key = g_str_has_prefix(sd->key, "tema_") ? g_strdup(sd->key) : g_strconcat("tema_", sd->key, NULL);
    rs_pubtable_set_col(t, b->ny + 1 + s, key, sd->label, NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
    g_free(key);
  }
  /* cells: kommune rows (the unknown row is the bucket after the kommuner), total row = column sums */
  for (size_t c = 0; c < ncols; c++) {
    double sum = 0;
    for (size_t r = 0; r < nkr; r++) {
      double v = b->recv[r * ncols + c];
      rs_pubtable_set_count(t, r, c, v);
      sum += v;
    }
    rs_pubtable_set_count(t, nrows - 1, c, sum);
  }
  /* relations: total column = sum of years = sum of subjects (every row);
   * total row = sum of kommune rows (every column) */
  size_t *years = g_new(size_t, b->ny + 1), *subj = g_new(size_t, b->ns + 1), *krows = g_new(size_t, nkr + 1);
  for (size_t y = 0; y < b->ny; y++) years[y] = y;
  for (size_t s = 0; s < b->ns; s++) subj[s] = b->ny + 1 + s;
  for (size_t r = 0; r < nkr; r++) krows[r] = r;
  for (size_t r = 0; r < nrows; r++) {
    if (b->ny) rs_pubtable_sum_cols(t, r, b->ny, years, b->ny);
    if (b->ns) rs_pubtable_sum_cols(t, r, b->ny, subj, b->ns);
  }
  if (nkr)
    for (size_t c = 0; c < ncols; c++) rs_pubtable_sum_rows(t, c, nrows - 1, krows, nkr);
  g_free(years);
  g_free(subj);
  g_free(krows);

  add_common_notes(x, t, FALSE);
  add_note(t, x->en, "Klager etter året de kom inn til Statsforvalteren. «I alt» er både summen av årene og summen "
                     "av temaene. Kommuner etter inndelingen fra 2024.",
           "Complaints by the year they reached the county governor. \"Total\" is both the sum of the years and the "
           "sum of the subjects. Municipalities as of 2024.");
  return t;
}

/* Year rows, subject rows, total row of tables (b) and (c). */
static void set_year_subject_rows(const ctx *x, rs_pubtable *t, const char *total_label) {
  const buckets *b = x->b;
  for (size_t y = 0; y < b->ny; y++) {
    char *label = g_strdup_printf("%d", x->in->ymin + (int)y);
    rs_pubtable_set_row(t, y, NULL, label, RS_ROLE_UNIT);
    g_free(label);
  }
  for (size_t s = 0; s < b->ns; s++)
    rs_pubtable_set_row(t, b->ny + s, NULL, g_array_index(x->in->subjects, subject_def, s).label, RS_ROLE_UNIT);
  rs_pubtable_set_row(t, b->ny + b->ns, NULL, total_label, RS_ROLE_TOTAL);
}

/* total row = sum (or n-weighted mean) of the year rows, and of the subject rows */
static void relate_partitions(const buckets *b, rs_pubtable *t, size_t col, gboolean mean) {
  size_t total = b->ny + b->ns;
  size_t *rows = g_new(size_t, total + 1);
  for (size_t r = 0; r < total; r++) rows[r] = r;
  if (b->ny) (mean ? rs_pubtable_mean_rows : rs_pubtable_sum_rows)(t, col, total, rows, b->ny);
  if (b->ns) (mean ? rs_pubtable_mean_rows : rs_pubtable_sum_rows)(t, col, total, rows + b->ny, b->ns);
  g_free(rows);
}

/* count = denominator/100 × share: a published share gives its count away */
static void relate_share(rs_pubtable *t, size_t r, size_t count_col, size_t share_col, double denominator) {
  if (!(denominator > 0)) return;
  double coef = denominator / 100.0;
  rs_pubtable_add_relation(t, r, count_col, &r, &share_col, &coef, 1);
}

enum { D_DECIDED, D_UP, D_NOTUP, D_BACK, D_UP_PCT, D_MEDIAN, D_MEAN, D_WITHIN_PCT, D_NCOLS };

/* Table (b): decisions by year decided and by subject. */
static rs_pubtable *table_decisions(const ctx *x) {
  const buckets *b = x->b;
  size_t nrows = b->ny + b->ns + 1;
  char *title = g_strdup_printf(tr(x->en, "Avgjorte klager: utfall og saksbehandlingstid etter år avgjort og tema. %s",
                                   "Complaints decided: outcome and processing time by year decided and subject. %s"),
                                x->fname);
  rs_pubtable *t = rs_pubtable_new("saker-klager-utfall", title, nrows, D_NCOLS);
  g_free(title);
  rs_pubtable_set_stub(t, tr(x->en, "År avgjort / tema", "Year decided / subject"), NULL);
  set_year_subject_rows(x, t, tr(x->en, "Alle klager", "All complaints"));
  const char *days = tr(x->en, "dager", "days");
  rs_pubtable_set_col(t, D_DECIDED, "avgjort", tr(x->en, "Avgjort", "Decided"), NULL, RS_COL_COUNT, 0, false,
                      RS_ROLE_TOTAL);
  rs_pubtable_set_col(t, D_UP, "medhold", tr(x->en, "Tatt til følge", "Upheld"), NULL, RS_COL_COUNT, 0, false,
                      RS_ROLE_UNIT);
  rs_pubtable_set_col(t, D_NOTUP, "ikke_medhold", tr(x->en, "Ikke tatt til følge", "Not upheld"), NULL, RS_COL_COUNT,
                      0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, D_BACK, "opphevet", tr(x->en, "Opphevet og sendt tilbake", "Quashed and sent back"), NULL,
                      RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, D_UP_PCT, "medhold_pst", tr(x->en, "Andel tatt til følge", "Share upheld"), "%",
                      RS_COL_SHARE, 1, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, D_MEDIAN, "dager_median", tr(x->en, "Saksbehandlingstid, median", "Processing time, median"),
                      days, RS_COL_MEDIAN, 1, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, D_MEAN, "dager_snitt", tr(x->en, "Saksbehandlingstid, gjennomsnitt", "Processing time, mean"),
                      days, RS_COL_MEAN, 1, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, D_WITHIN_PCT, "innen_4_uker_pst",
                      tr(x->en, "Avgjort innen fire uker", "Decided within four weeks"), "%", RS_COL_SHARE, 1, false,
                      RS_ROLE_UNIT);
  for (size_t r = 0; r < nrows; r++) {
    const dec_bucket *d = &b->dec[r];
    rs_pubtable_set_count(t, r, D_DECIDED, d->decided);
    rs_pubtable_set_count(t, r, D_UP, d->up);
    rs_pubtable_set_count(t, r, D_NOTUP, d->notup);
    rs_pubtable_set_count(t, r, D_BACK, d->back);
    double nd = d->decided, ndays = d->days->len;
    rs_pubtable_set(t, r, D_UP_PCT, nd > 0 ? 100.0 * d->up / nd : NAN, NAN, NAN, nd);
    double med = NAN, mean = NAN;
    if (ndays > 0) {
      double *v = g_new(double, d->days->len);
      memcpy(v, d->days->data, d->days->len * sizeof(double));
      gsl_sort(v, 1, d->days->len);
      med = gsl_stats_median_from_sorted_data(v, 1, d->days->len);
      mean = gsl_stats_mean(v, 1, d->days->len);
      g_free(v);
    }
    rs_pubtable_set(t, r, D_MEDIAN, med, NAN, NAN, ndays);
    rs_pubtable_set(t, r, D_MEAN, mean, NAN, NAN, ndays);
    rs_pubtable_set(t, r, D_WITHIN_PCT, ndays > 0 ? 100.0 * d->within / ndays : NAN, NAN, NAN, ndays);
    /* decided = upheld + not upheld + sent back; upheld = decided/100 × share */
    size_t parts[3] = {D_UP, D_NOTUP, D_BACK}, prow[3] = {r, r, r};
    rs_pubtable_add_relation(t, r, D_DECIDED, prow, parts, NULL, 3);
    relate_share(t, r, D_UP, D_UP_PCT, nd);
  }
  for (size_t c = D_DECIDED; c <= D_BACK; c++) relate_partitions(b, t, c, FALSE);
  relate_partitions(b, t, D_MEAN, TRUE);
  relate_partitions(b, t, D_WITHIN_PCT, TRUE);

  add_common_notes(x, t, FALSE);
  add_note(t, x->en, "Klager etter året de ble avgjort; saker som ikke var avgjort ved periodens slutt er ikke med. "
                     "Radene for år og radene for tema er to inndelinger av de samme klagene; hver av dem summerer "
                     "seg til «Alle klager».",
           "Complaints by the year they were decided; cases still open at the end of the period are left out. The "
           "rows by year and the rows by subject divide the same complaints in two ways; each adds up to \"All "
           "complaints\".");
  add_note(t, x->en, "Saksbehandlingstid: dager fra klagen kom inn til den ble avgjort. Fristen er fire uker (28 dager).",
           "Processing time: days from receipt of the complaint to the decision. The deadline is four weeks "
           "(28 days).");
  return t;
}

enum { T_OPENED, T_CLOSED, T_ONGOING, T_WITH, T_WITHOUT, T_BREACHES, T_WITH_PCT, T_NCOLS };

/* Table (c): tilsyn by year opened and by subject. */
static rs_pubtable *table_tilsyn(const ctx *x) {
  const buckets *b = x->b;
  size_t nrows = b->ny + b->ns + 1;
  char *title = g_strdup_printf(tr(x->en, "Tilsyn og lovbrudd funnet etter år åpnet og tema. %s",
                                   "Inspections (tilsyn) and breaches of law found, by year opened and subject. %s"),
                                x->fname);
  rs_pubtable *t = rs_pubtable_new("saker-tilsyn", title, nrows, T_NCOLS);
  g_free(title);
  rs_pubtable_set_stub(t, tr(x->en, "År åpnet / tema", "Year opened / subject"), NULL);
  set_year_subject_rows(x, t, tr(x->en, "Alle tilsyn", "All inspections"));
  rs_pubtable_set_col(t, T_OPENED, "tilsyn", tr(x->en, "Tilsyn", "Inspections"), NULL, RS_COL_COUNT, 0, false,
                      RS_ROLE_TOTAL);
  rs_pubtable_set_col(t, T_CLOSED, "avsluttet", tr(x->en, "Avsluttet", "Closed"), NULL, RS_COL_COUNT, 0, false,
                      RS_ROLE_SUBTOTAL);
  rs_pubtable_set_col(t, T_ONGOING, "pagaende", tr(x->en, "Pågående", "Still open"), NULL, RS_COL_COUNT, 0, false,
                      RS_ROLE_UNIT);
  rs_pubtable_set_col(t, T_WITH, "med_lovbrudd", tr(x->en, "Med lovbrudd", "With breaches"), NULL, RS_COL_COUNT, 0,
                      false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, T_WITHOUT, "uten_lovbrudd", tr(x->en, "Uten lovbrudd", "Without breaches"), NULL,
                      RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, T_BREACHES, "lovbrudd", tr(x->en, "Lovbrudd funnet", "Breaches found"), NULL, RS_COL_COUNT,
                      0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, T_WITH_PCT, "med_lovbrudd_pst", tr(x->en, "Andel avsluttede med lovbrudd",
                                                              "Share of closed with breaches"),
                      "%", RS_COL_SHARE, 1, false, RS_ROLE_UNIT);
  for (size_t r = 0; r < nrows; r++) {
    const tilsyn_bucket *u = &b->til[r];
    rs_pubtable_set_count(t, r, T_OPENED, u->opened);
    rs_pubtable_set_count(t, r, T_CLOSED, u->closed);
    rs_pubtable_set_count(t, r, T_ONGOING, u->ongoing);
    rs_pubtable_set_count(t, r, T_WITH, u->withbr);
    rs_pubtable_set_count(t, r, T_WITHOUT, u->without);
    /* breaches counted over the tilsyn that found any: n is those tilsyn */
    rs_pubtable_set(t, r, T_BREACHES, u->breaches, NAN, NAN, u->withbr);
    rs_pubtable_set(t, r, T_WITH_PCT, u->closed > 0 ? 100.0 * u->withbr / u->closed : NAN, NAN, NAN, u->closed);
    size_t p1[2] = {T_CLOSED, T_ONGOING}, p2[2] = {T_WITH, T_WITHOUT}, rr[2] = {r, r};
    rs_pubtable_add_relation(t, r, T_OPENED, rr, p1, NULL, 2);
    rs_pubtable_add_relation(t, r, T_CLOSED, rr, p2, NULL, 2);
    relate_share(t, r, T_WITH, T_WITH_PCT, u->closed);
  }
  for (size_t c = T_OPENED; c <= T_BREACHES; c++) relate_partitions(b, t, c, FALSE);

  add_common_notes(x, t, TRUE);
  add_note(t, x->en, "Tilsyn etter året de ble åpnet. «Lovbrudd funnet» er antall lovbrudd i de avsluttede tilsynene "
                     "med lovbrudd. Radene for år og for tema summerer seg hver for seg til «Alle tilsyn».",
           "Inspections by the year they were opened. \"Breaches found\" is the number of breaches of law in the "
           "closed inspections that found any. The rows by year and by subject each add up to \"All inspections\".");
  return t;
}

/* ---- public ------------------------------------------------------------------ */

static gboolean publish(rs_pubtable *t, double min_n, GError **err) {
  GError *e = NULL;
  if (!rs_disclosure_suppress(t, min_n, NULL, &e)) {
    g_propagate_prefixed_error(err, e, "table '%s': ", t->id);
    return FALSE;
  }
  rs_audit_result res = {0};
  gboolean safe = rs_disclosure_audit(t, min_n, &res, &e);
  if (e) {
    g_propagate_prefixed_error(err, e, "table '%s': ", t->id);
  } else if (!safe) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "table '%s' fails the disclosure audit and cannot be published: %s",
                t->id, res.message ? res.message : "(no detail)");
  }
  rs_audit_result_clear(&res);
  return safe && !e;
}

static gboolean lang_en(const char *lang, gboolean *en, GError **err) {
  *en = lang && strcmp(lang, "en") == 0;
  if (lang && !*en && strcmp(lang, "nb") != 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "unknown language '%s': use nb or en", lang);
    return FALSE;
  }
  return TRUE;
}

static char *norm_fylke(const char *fylke, GError **err) {
  char *f = fylke ? rs_refdata_normalise_fylke(fylke) : NULL;
  if (!f) g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "'%s' is not a fylke number (two digits, e.g. 46)",
                      fylke ? fylke : "(none)");
  return f;
}

GPtrArray *rs_casetables_build_opt(const rs_table *cases, const char *fylke, const rs_casetables_options *o,
                                   const char *lang, double min_n, GError **err) {
  gboolean en;
  if (!lang_en(lang, &en, err)) return NULL;
  char *f = norm_fylke(fylke, err);
  if (!f) return NULL;
  if (!(min_n > 0)) min_n = RS_DISCLOSURE_MIN_N;
  cases_in in;
  if (!cases_open(&in, cases, en, err)) {
    g_free(f);
    return NULL;
  }
  /* the kommune list: given, else the reference data's 2024 kommuner of the fylke */
  GPtrArray *klist = NULL;
  const char *const *kommuner = o ? o->kommuner : NULL;
  if (!kommuner && o && o->ref) {
    const GPtrArray *all = rs_refdata_kommuner(o->ref, 2024);
    klist = g_ptr_array_new();
    for (guint k = 0; all && k < all->len; k++) {
      const rs_kommune *km = g_ptr_array_index(all, k);
      if (km->fylke && strcmp(km->fylke, f) == 0) g_ptr_array_add(klist, km->code);
    }
    g_ptr_array_add(klist, NULL);
    kommuner = (const char *const *)klist->pdata;
  }
  buckets b = {0};
  fill_buckets(&b, &in, f, kommuner);
  if (klist) g_ptr_array_free(klist, TRUE);

  ctx x = {.in = &in, .b = &b, .fcode = f, .en = en};
  const char *fname = o ? o->fylke_name : NULL;
  if (!fname && o && o->ref) {
    const rs_fylke *fy = rs_refdata_fylke(o->ref, 2024, f);
    if (fy) fname = fy->name;
  }
  x.fname = fname ? g_strdup(fname) : g_strdup_printf(tr(en, "fylke %s", "county %s"), f);

  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)rs_pubtable_free);
  g_ptr_array_add(out, table_kommune(&x, o));
  g_ptr_array_add(out, table_decisions(&x));
  g_ptr_array_add(out, table_tilsyn(&x));
  for (guint i = 0; i < out->len; i++) {
    if (!publish(g_ptr_array_index(out, i), min_n, err)) {
      g_ptr_array_unref(out);
      out = NULL;
      break;
    }
  }
  g_free(x.fname);
  buckets_free(&b);
  cases_in_clear(&in);
  g_free(f);
  return out;
}

GPtrArray *rs_casetables_build(const rs_table *cases, const char *fylke, const char *lang, double min_n,
                               GError **err) {
  return rs_casetables_build_opt(cases, fylke, NULL, lang, min_n, err);
}

gboolean rs_casetables_count(const rs_table *cases, const char *fylke, size_t *complaints, size_t *tilsyn,
                             GError **err) {
  char *f = norm_fylke(fylke, err);
  if (!f) return FALSE;
  cases_in in;
  if (!cases_open(&in, cases, FALSE, err)) {
    g_free(f);
    return FALSE;
  }
  size_t nc = 0, nt = 0;
  for (size_t i = 0; i < cases->nrows; i++) {
    if (!in_fylke(&in, i, f)) continue;
    if (cases->cols[in.c.type].num[i] == 1) nc++;
    else nt++;
  }
  if (complaints) *complaints = nc;
  if (tilsyn) *tilsyn = nt;
  cases_in_clear(&in);
  g_free(f);
  return TRUE;
}
