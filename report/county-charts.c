/* county-charts.c — the data of the county report's charts, for one fylke.
 * plots/ draws them; nothing here draws.  No chart shows an estimate that
 * rests on fewer than min_n persons (see county.h). */
#include "report/county-private.h"

#include "analysis/reform-outcomes.h"
#include "datasets/error.h"

#include <math.h>
#include <string.h>

static char *note(const rs_county_context *c, const char *nb, const char *en, const char *detail) {
  return detail ? g_strdup_printf("%s (%s)", c->en ? en : nb, detail) : g_strdup(c->en ? en : nb);
}

/* Keeps the rows of d whose every point rests on at least min_n persons (or
 * none); hides single points below it.  Returns how many rows were dropped. */
static size_t drop_small(rs_plotdata_est *d, double min_n, bool whole_rows) {
  size_t kept = 0, dropped = 0;
  for (size_t i = 0; i < d->n_rows; i++) {
    bool small = false;
    for (size_t s = 0; s < d->n_series; s++) {
      rs_plotdata_point *p = &d->points[i * d->n_series + s];
      if (p->n > 0 && (double)p->n < min_n) {
        small = true;
        if (!whole_rows) {
          p->n = 0;
          p->estimate = p->se = p->ci_low = p->ci_high = NAN;
        }
      }
    }
    if (whole_rows && small) {
      g_free(d->rows[i]);
      dropped++;
      continue;
    }
    if (kept != i) {
      d->rows[kept] = d->rows[i];
      memcpy(&d->points[kept * d->n_series], &d->points[i * d->n_series], d->n_series * sizeof *d->points);
    }
    kept++;
  }
  d->n_rows = kept;
  d->rows[kept] = NULL;
  return dropped;
}

/* 1. Collaboration index by coordinator type, before and after: design
 * based (weight, cluster) on the fylke's rows, as the index table — and the
 * design is built on those rows only (a weighted plotdata mean builds it on
 * the whole table, 1.2 million rows per call at national scale). */
static void prepost(rs_county_context *c, const rs_county_rows *fr, rs_county *r) {
  const char *ix = c->indexes[0];
  if (!fr->family->len) {
    r->charts.prepost_note = note(c, "Ingen svar fra familier i fylket.", "No answers from families in the fylke.", NULL);
    return;
  }
  const char *vars[2] = {ix, NULL}, *by[2] = {c->fam_type, NULL};
  rs_reform_outcomes_options o = {.by = by, .weight = c->in.weight, .cluster = c->in.cluster, .strata = c->in.strata,
                                  .vars = vars, .lang = c->lang, .rows = rs_county_idx(fr->family),
                                  .nrows = fr->family->len};
  GError *e = NULL;
  rs_reform_outcomes *x = rs_reform_outcomes_new(c->in.family, NULL, &o, &e);
  if (!x && o.cluster) {  /* one kommune: one cluster (see county-tables.c) */
    g_clear_error(&e);
    o.cluster = NULL;
    x = rs_reform_outcomes_new(c->in.family, NULL, &o, &e);
  }
  if (!x) {
    r->charts.prepost_note = note(c, "Ikke beregnet", "Not computed", e->message);
    g_clear_error(&e);
    return;
  }
  const rs_cb_var *tv = c->in.family_cb ? rs_codebook_get(c->in.family_cb, c->fam_type) : NULL;
  GPtrArray *groups = g_ptr_array_new();
  for (size_t i = 0; i < x->n; i++)
    if (x->row[i].by == 0 && strcmp(x->row[i].outcome, ix) == 0) g_ptr_array_add(groups, &x->row[i]);
  rs_plotdata_est *d = g_new0(rs_plotdata_est, 1);
  d->var_label = g_strdup(rs_county_index_label(c, ix));
  d->row_title = g_strdup(tv ? rs_cb_var_label(tv, c->lang) : c->fam_type);
  d->series_title = g_strdup(rs_county_tr(c, "Før eller etter reformen 1. august 2022", "Before or after the reform of 1 August 2022"));
  d->n_rows = groups->len;
  d->n_series = 2;
  d->rows = g_new0(char *, d->n_rows + 1);
  d->series = g_new0(char *, 3);
  d->series[0] = g_strdup(rs_county_tr(c, "Før reformen", "Before the reform"));
  d->series[1] = g_strdup(rs_county_tr(c, "Etter reformen", "After the reform"));
  d->points = g_new0(rs_plotdata_point, d->n_rows * 2);
  for (guint g = 0; g < groups->len; g++) {
    const rs_reform_outcome *row = g_ptr_array_index(groups, g);
    const char *lab = tv && row->group_code ? rs_codebook_value_label(tv, g_ascii_strtod(row->group_code, NULL), row->group_code) : NULL;
    d->rows[g] = g_strdup(lab ? lab : row->group ? row->group : row->group_code);
    const rs_reform_estimate *pe[2] = {&row->pre, &row->post};
    for (int k = 0; k < 2; k++) {
      rs_plotdata_point *pt = &d->points[g * 2 + (guint)k];
      pt->n = pe[k]->n;
      pt->estimate = pe[k]->n ? pe[k]->estimate : NAN;
      pt->se = pe[k]->se;
      pt->ci_low = pe[k]->ci_low;
      pt->ci_high = pe[k]->ci_high;
      d->n_total += pe[k]->n;
    }
  }
  g_ptr_array_unref(groups);
  d->method = g_strdup(x->design ? rs_county_tr(c, "Vektede gjennomsnitt med 95 % konfidensintervall (designbasert SE)",
                                                 "Weighted means with 95 % confidence intervals (design-based SE)")
                                 : rs_county_tr(c, "Gjennomsnitt med 95 % konfidensintervall (t-fordeling)",
                                                 "Means with 95 % confidence intervals (t)"));
  const rs_cb_var *iv = NULL;
  if (c->in.family_cb && c->coll_items[0]) iv = rs_codebook_get(c->in.family_cb, c->coll_items[0]);
  d->scale_lo = iv && iv->has_min ? iv->min : NAN;
  d->scale_hi = iv && iv->has_max ? iv->max : NAN;
  d->reference = NAN;
  rs_reform_outcomes_free(x);
  if (d->n_rows == 0) {
    rs_plotdata_est_free(d);
    r->charts.prepost_note = note(c, "Ingen svar med type koordinator.", "No answers with a type of coordinator.", NULL);
    return;
  }
  drop_small(d, c->min_n, false);
  r->charts.prepost = d;
}

/* 2. The index items after the reform, weighted; items with fewer than
 * min_n answers are left out. */
static void likert(rs_county_context *c, const rs_county_rows *fr, rs_county *r) {
  if (!fr->family_post->len) {
    r->charts.likert_note = note(c, "Ingen svar etter reformen.", "No answers after the reform.", NULL);
    return;
  }
  GError *e = NULL;
  rs_plotdata_likert *d = rs_plotdata_likert_weighted(c->in.family, rs_county_idx(fr->family_post), fr->family_post->len,
                                                      (const char *const *)c->coll_items, c->in.weight, true, c->lang, &e);
  if (!d) {
    r->charts.likert_note = note(c, "Ikke beregnet", "Not computed", e->message);
    g_clear_error(&e);
    return;
  }
  size_t kept = 0;
  for (size_t i = 0; i < d->n_items; i++) {
    if ((double)d->n[i] < c->min_n) {
      g_free(d->items[i]);
      g_free(d->names[i]);
      continue;
    }
    d->items[kept] = d->items[i];
    d->names[kept] = d->names[i];
    d->n[kept] = d->n[i];
    memmove(&d->percent[kept * d->n_cats], &d->percent[i * d->n_cats], d->n_cats * sizeof *d->percent);
    kept++;
  }
  d->n_items = kept;
  if (d->items) d->items[kept] = NULL;
  if (d->names) d->names[kept] = NULL;
  if (!kept) {
    rs_plotdata_likert_free(d);
    r->charts.likert_note = note(c, "For få svar til å vise fordelingen.", "Too few answers to show the distribution.", NULL);
    return;
  }
  r->charts.likert = d;
}

/* 3. Caseload scatter: a point is a kommune with at least min_n coordinators,
 * or the rest of a fylke's kommuner pooled when they have min_n together;
 * x the mean earmarked hours, y families per coordinator (ratio of sums). */
typedef struct {
  double n, fam, hours;
} unit_sum;

static void scatter(rs_county_context *c, const rs_county_rows *fr, rs_county *r) {
  const rs_table *co = c->in.coordinators;
  int fj = rs_table_find(co, "families"), hj = rs_table_find(co, "earmarked_hours");
  const rs_column *kc = &co->cols[c->coord_kommune_j], *fc = &co->cols[fj], *hc = &co->cols[hj];
  GHashTable *kom = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < c->coord_post_all->len; i++) {
    size_t k = g_array_index(c->coord_post_all, size_t, i);
    if (!rs_column_present(kc, k) || !rs_column_present(fc, k) || !rs_column_present(hc, k)) continue;
    char *code = kc->storage == RS_STORE_STR ? (strlen(kc->str[k]) == 3 ? g_strdup_printf("0%s", kc->str[k])
                                                                         : g_strdup(kc->str[k]))
                                             : g_strdup_printf("%04d", (int)kc->num[k]);
    unit_sum *u = g_hash_table_lookup(kom, code);
    if (!u) {
      u = g_new0(unit_sum, 1);
      g_hash_table_insert(kom, g_strdup(code), u);
    }
    u->n++;
    u->fam += fc->num[k];
    u->hours += hc->num[k];
    g_free(code);
  }
  /* units: big kommuner, and per fylke the pool of the rest */
  GArray *xs = g_array_new(FALSE, FALSE, sizeof(double)), *ys = g_array_new(FALSE, FALSE, sizeof(double));
  GArray *own = g_array_new(FALSE, FALSE, sizeof(gboolean));
  size_t small_units = 0;
  for (guint f = 0; f < c->fylker->len; f++) {
    const rs_county_rows *fy = g_ptr_array_index(c->fylker, f);
    unit_sum rest = {0};
    for (guint i = 0; i < fy->kommuner->len; i++) {
      unit_sum *u = g_hash_table_lookup(kom, g_ptr_array_index(fy->kommuner, i));
      if (!u) continue;
      if (u->n >= c->min_n) {
        double x = u->hours / u->n, y = u->fam / u->n;
        gboolean mine = fy == fr;
        g_array_append_val(xs, x);
        g_array_append_val(ys, y);
        g_array_append_val(own, mine);
      } else {
        rest.n += u->n;
        rest.fam += u->fam;
        rest.hours += u->hours;
      }
    }
    if (rest.n >= c->min_n) {
      double x = rest.hours / rest.n, y = rest.fam / rest.n;
      gboolean mine = fy == fr;
      g_array_append_val(xs, x);
      g_array_append_val(ys, y);
      g_array_append_val(own, mine);
    } else if (rest.n > 0) {
      small_units++;
    }
  }
  g_hash_table_destroy(kom);
  if (xs->len < 3) {
    r->charts.scatter_note = note(c, "For få koordinatorer til å vise sammenhengen uten å avsløre enkeltpersoner.",
                                  "Too few coordinators to show the relation without disclosing individuals.", NULL);
  } else {
    rs_table *t = rs_table_new(NULL);
    const char *xn = rs_county_tr(c, "Øremerkede timer per uke (gjennomsnitt)", "Earmarked hours per week (mean)");
    const char *yn = rs_county_tr(c, "Familier per koordinator", "Families per coordinator");
    const char *gn = rs_county_tr(c, "Område", "Area");
    rs_table_add_column(t, xn, RS_TYPE_NUMERIC, RS_STORE_NUM);
    rs_table_add_column(t, yn, RS_TYPE_NUMERIC, RS_STORE_NUM);
    rs_table_add_column(t, gn, RS_TYPE_STRING, RS_STORE_STR);
    rs_table_reserve(t, xs->len);
    char *mine = g_strdup(r->name);
    const char *other = rs_county_tr(c, "Andre fylker", "Other fylker");
    for (guint i = 0; i < xs->len; i++) {
      t->cols[0].num[i] = g_array_index(xs, double, i);
      t->cols[1].num[i] = g_array_index(ys, double, i);
      t->cols[2].str[i] = g_string_chunk_insert_const(t->strings, g_array_index(own, gboolean, i) ? mine : other);
      for (int j = 0; j < 3; j++) t->cols[j].miss[i] = RS_MISS_NONE;
      t->row_line[i] = (int32_t)i + 2;
    }
    t->nrows = xs->len;
    GError *e = NULL;
    r->charts.scatter = rs_chartdata_scatter_new(t, xn, yn, gn, NULL, 0, c->lang, &e);
    if (!r->charts.scatter) {
      r->charts.scatter_note = note(c, "Ikke beregnet", "Not computed", e->message);
      g_clear_error(&e);
    } else {
      r->charts.scatter_note =
        c->en ? g_strdup_printf("One point per kommune with at least %g coordinators after the reform; the other "
                                "kommuner of each fylke pooled into one point when they have %g together.",
                                c->min_n, c->min_n)
              : g_strdup_printf("Ett punkt per kommune med minst %g koordinatorer etter reformen; de andre kommunene "
                                "i hvert fylke slått sammen til ett punkt når de har minst %g til sammen.",
                                c->min_n, c->min_n);
    }
    g_free(mine);
    rs_table_free(t);
  }
  (void)small_units;
  g_array_unref(xs);
  g_array_unref(ys);
  g_array_unref(own);
}

/* 4. ITS of children with koordinator per 1 000 in the fylke. */
static void its(rs_county_context *c, const rs_county_rows *fr, rs_county *r) {
  rs_its_options o = {.numerator = "children_koordinator", .denominator = "children_0_17", .lag = -1,
                      .rows = rs_county_idx(fr->registry), .nrows = fr->registry->len,
                      .unit_column = c->reg_kommune, .sum_duplicates = true};
  GError *e = NULL;
  r->charts.its = rs_its_fit(c->in.registry, &o, &e);
  if (!r->charts.its) {
    r->charts.its_note = note(c, "Tidsserien kunne ikke beregnes", "The time series could not be computed", e->message);
    g_clear_error(&e);
  }
}

/* 5. Forest plot: the collaboration index after the reform by kommune,
 * kommuner with at least min_n answers, against the fylke's mean. */
static void forest(rs_county_context *c, const rs_county_rows *fr, rs_county *r) {
  const char *ix = c->indexes[0];
  if (!fr->family_post->len) {
    r->charts.forest_note = note(c, "Ingen svar etter reformen.", "No answers after the reform.", NULL);
    return;
  }
  GError *e = NULL;
  rs_plotdata_est *d = rs_plotdata_means(c->in.family, rs_county_idx(fr->family_post), fr->family_post->len, ix,
                                         c->fam_kommune, NULL, NULL, c->lang, &e);
  if (!d) {
    r->charts.forest_note = note(c, "Ikke beregnet", "Not computed", e->message);
    g_clear_error(&e);
    return;
  }
  size_t dropped = drop_small(d, c->min_n, true);
  for (size_t i = 0; i < d->n_rows; i++) {
    char *name = g_strdup(rs_county_kommune_name(c, d->rows[i]));
    g_free(d->rows[i]);
    d->rows[i] = name;
  }
  g_free(d->var_label);
  d->var_label = g_strdup(rs_county_index_label(c, ix));
  g_free(d->row_title);
  d->row_title = g_strdup(rs_county_tr(c, "Kommune", "Kommune"));
  /* d->reference is already the mean over all the fylke's answers used */
  rs_plotdata_est_sort(d, true);
  r->charts.forest_note =
    c->en ? g_strdup_printf("%zu kommuner with fewer than %g answers are not shown.  The line is the fylke's mean.",
                            dropped, c->min_n)
          : g_strdup_printf("%zu kommuner med færre enn %g svar vises ikke.  Linjen er fylkets gjennomsnitt.", dropped,
                            c->min_n);
  if (d->n_rows == 0) {
    rs_plotdata_est_free(d);
    return;
  }
  r->charts.forest = d;
}

/* 6. Tile map: children with koordinator per 1 000 in every fylke. */
static void tilemap(rs_county_context *c, rs_county *r) {
  rs_plot_tilemap_data *m = &r->charts.tilemap;
  memset(m, 0, sizeof *m);
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++) {
    const char *code = rs_plot_tilemap_codes[i];
    rs_plot_tile *tl = &m->tiles[i];
    tl->code = code;
    r->charts.tile_names[i] = g_strdup(rs_county_fylke_name_2024(code));
    tl->name = r->charts.tile_names[i];
    tl->value = NAN;
    const rs_reform_coverage_unit *u = rs_county_coverage(c, "children_koordinator", false, code);
    if (u && u->den > 0) {
      double n = u->num / c->months;
      tl->n = (size_t)llround(n);
      tl->value = u->rate;
      tl->suppressed = n > 0 && n < c->min_n;
    }
  }
  r->charts.tile_title = g_strdup(rs_county_tr(c, "Barn med koordinator per 1 000 barn, alle fylker",
                                               "Children with a koordinator per 1,000 children, every fylke"));
  r->charts.tile_subtitle = g_strdup_printf(c->en ? "%s compared with the other fylker, the last 12 months"
                                                  : "%s sammenlignet med de andre fylkene, de siste 12 månedene",
                                            r->name);
  r->charts.tile_scale = g_strdup(rs_county_tr(c, "per 1 000", "per 1,000"));
  m->title = r->charts.tile_title;
  m->subtitle = r->charts.tile_subtitle;
  m->scale_title = r->charts.tile_scale;
  m->decimals = 1;
  m->min_n = (size_t)c->min_n;
}

gboolean rs_county_build_charts(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err) {
  (void)err;
  prepost(c, fr, r);
  likert(c, fr, r);
  scatter(c, fr, r);
  its(c, fr, r);
  forest(c, fr, r);
  tilemap(c, r);
  return TRUE;
}

void rs_county_charts_clear(rs_county_charts *ch) {
  rs_plotdata_est_free(ch->prepost);
  rs_plotdata_likert_free(ch->likert);
  rs_chartdata_scatter_free(ch->scatter);
  rs_its_free(ch->its);
  rs_plotdata_est_free(ch->forest);
  g_free(ch->prepost_note);
  g_free(ch->likert_note);
  g_free(ch->scatter_note);
  g_free(ch->its_note);
  g_free(ch->forest_note);
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++) g_free(ch->tile_names[i]);
  g_free(ch->tile_title);
  g_free(ch->tile_subtitle);
  g_free(ch->tile_scale);
  g_free(ch->tile_note);
  memset(ch, 0, sizeof *ch);
}
