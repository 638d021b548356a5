/* plot-maps.c — the run functions of `reformstat plot scatter|its|tilemap`
 * (see cli/plot.h): each computes its numbers with the analysis library
 * (chartdata.h, its.h, bygroup.h), opens the canvas and draws with plots/.
 *
 *   scatter  --x A --y B [--color VAR]       points, OLS line, 95 % band; hexagons above 50 000 points
 *   its      --var NUM [--per DEN] [--break DATE] [--kommune K | --fylke F] [--period DATECOL]
 *   tilemap  --var Y [--per DEN] [--min-n N]  fylke tile map of the mean (or the rate)
 */
#include "cli/plot.h"
#include "analysis/bygroup.h"
#include "analysis/chartdata.h"
#include "analysis/its.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/kommune.h"
#include "plots/its.h"
#include "plots/scatter.h"
#include "plots/tilemap.h"

#include <math.h>
#include <string.h>

static const char *column_label(const rs_table *t, const char *name, const char *lang) {
  int j = name ? rs_table_find(t, name) : -1;
  if (j < 0) return name;
  const rs_column *c = &t->cols[j];
  const char *l = c->var ? rs_cb_var_label(c->var, lang) : NULL;
  return l && *l ? l : c->name;
}

/* The first column of `type`, else the column called `name`, or NULL. */
static const char *column_of_type(const rs_table *t, rs_type type, const char *name) {
  for (size_t j = 0; j < t->ncols; j++)
    if (t->cols[j].type == type) return t->cols[j].name;
  return rs_table_find(t, name) >= 0 ? name : NULL;
}

/* Names from the reference data (NULL when there are none); the part
 * before " - " ("Nordland - Nordlánnda" → "Nordland"), to g_free. */
static char *place_name(const rs_refdata *ref, bool fylke, const char *code) {
  if (!ref) return NULL;
  const char *n = NULL;
  if (fylke) {
    const rs_fylke *f = rs_refdata_fylke(ref, 2024, code);
    n = f ? f->name : NULL;
  } else {
    const rs_kommune *k = rs_refdata_kommune(ref, 2024, code);
    n = k ? k->name : NULL;
  }
  if (!n) return NULL;
  const char *dash = strstr(n, " - ");
  return dash ? g_strndup(n, (gsize)(dash - n)) : g_strdup(n);
}

static rs_refdata *try_refdata(const rs_plot_args *a) {
  GError *e = NULL;
  char *dir = rs_refdata_find(a->refdata, &e);
  g_clear_error(&e);
  if (!dir) return NULL;
  rs_refdata *r = rs_refdata_load(dir, &e);
  g_clear_error(&e);
  g_free(dir);
  return r;
}

/* ---- scatter -------------------------------------------------------------- */

rs_plot *rs_cli_plot_scatter(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                             rs_results *data, GError **err) {
  if (!a->x || !a->y) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "scatter needs --x VAR and --y VAR (e.g. --x earmarked_hours --y families)");
    return NULL;
  }
  rs_chartdata_scatter *d = rs_chartdata_scatter_new(t, a->x, a->y, a->color, rows, nrows, a->lang, err);
  if (!d) return NULL;
  int cj = a->color ? rs_table_find(t, a->color) : -1;
  if (cj >= 0 && (t->cols[cj].type == RS_TYPE_FYLKE || t->cols[cj].type == RS_TYPE_KOMMUNE)) {
    /* Place codes as names where the reference data have them. */
    rs_refdata *ref = try_refdata(a);
    bool fylke = t->cols[cj].type == RS_TYPE_FYLKE;
    for (size_t k = 0; ref && k < d->n_groups; k++) {
      char *code = fylke ? rs_refdata_normalise_fylke(d->group_labels[k]) : rs_refdata_normalise_kommune(d->group_labels[k]);
      char *name = code ? place_name(ref, fylke, code) : NULL;
      if (name) {
        g_free(d->group_labels[k]);
        d->group_labels[k] = name;
      }
      g_free(code);
    }
    rs_refdata_free(ref);
  }
  rs_chartdata_scatter_results(d, data);
  rs_plot *p = rs_cli_plot_open(a, rs_plot_scatter_height_cm(d, a->width_cm), err);
  if (p && !rs_plot_scatter(p, d, 0, err)) {
    rs_plot_output_abort(p);
    p = NULL;
  }
  rs_chartdata_scatter_free(d);
  return p;
}

/* ---- its ------------------------------------------------------------------ */

static void its_data(const rs_its *its, rs_results *data) {
  rs_results_section(data, "Segmented regression");
  rs_its_records(its, data);
  rs_results_section(data, "Series");
  for (size_t k = 0; k < its->n; k++) {
    char day[16];
    rs_value_format_date(its->day[k], day);
    rs_record *r = rs_results_add(data);
    rs_record_str(r, "name", day);
    rs_record_int(r, "n", (long long)its->rows[k]);
    rs_record_num(r, "estimate", its->value[k]);
    rs_record_num(r, "numerator", its->num[k]);
    if (its->has_denominator) rs_record_num(r, "denominator", its->den[k]);
    rs_record_num(r, "fitted", its->fitted[k]);
    if (its->day[k] >= its->break_day) rs_record_num(r, "counterfactual", its->counterfactual[k]);
    rs_record_str(r, "method", "observed; segmented OLS fit");
  }
}

rs_plot *rs_cli_plot_its(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                         rs_results *data, GError **err) {
  if (!a->var) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "its needs --var NUMERATOR (and --per DENOMINATOR for a rate), e.g. --var children_ip --per children_0_17");
    return NULL;
  }
  if (a->kommune && a->fylke) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give --kommune or --fylke, not both");
    return NULL;
  }
  rs_its_options o = {.date = a->period, .numerator = a->var, .denominator = a->per, .lag = -1,
                      .rows = rows, .nrows = nrows};
  if (a->break_date) {
    int32_t day;
    if (!rs_value_parse_date(a->break_date, strlen(a->break_date), &day)) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--break takes a date such as 2022-08-01, not '%s'", a->break_date);
      return NULL;
    }
    o.break_day = day;
  }
  const char *place = a->kommune ? a->kommune : a->fylke;
  if (place) {
    o.filter_column = column_of_type(t, a->kommune ? RS_TYPE_KOMMUNE : RS_TYPE_FYLKE, a->kommune ? "kommune" : "fylke");
    if (!o.filter_column) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --%s needs a %s column in the data", t->path,
                  a->kommune ? "kommune" : "fylke", a->kommune ? "kommune" : "fylke");
      return NULL;
    }
    o.filter_value = place;
  }
  rs_its *its = rs_its_fit(t, &o, err);
  if (!its) return NULL;
  its_data(its, data);

  bool en = strcmp(a->lang, "en") == 0;
  char *where = NULL;
  if (place) {
    rs_refdata *ref = try_refdata(a);
    char *code = a->kommune ? rs_refdata_normalise_kommune(place) : rs_refdata_normalise_fylke(place);
    char *name = place_name(ref, a->fylke != NULL, code ? code : place);
    where = name ? g_strdup_printf("%s (%s)", name, code ? code : place) : g_strdup_printf("%s %s", a->kommune ? "Kommune" : en ? "County" : "Fylke", place);
    g_free(name);
    g_free(code);
    rs_refdata_free(ref);
  } else {
    where = g_strdup(en ? "Norway, all kommuner" : "Hele landet");
  }
  char *den_l = a->per ? g_utf8_strdown(column_label(t, a->per, a->lang), -1) : NULL;
  char *subtitle = a->per ? g_strdup_printf(en ? "Per 1,000 %s, by month · %s" : "Per 1 000 %s, per måned · %s", den_l, where)
                          : g_strdup_printf(en ? "Sum by month · %s" : "Sum per måned · %s", where);
  rs_plot_its_labels l = {.title = column_label(t, a->var, a->lang), .subtitle = subtitle,
                          .y_title = a->per ? (en ? "Per 1,000" : "Per 1 000") : (en ? "Count" : "Antall")};
  rs_plot *p = rs_cli_plot_open(a, a->width_cm * 0.65, err);
  if (p && !rs_plot_its(p, its, &l, err)) {
    rs_plot_output_abort(p);
    p = NULL;
  }
  g_free(where);
  g_free(den_l);
  g_free(subtitle);
  rs_its_free(its);
  return p;
}

/* ---- tilemap -------------------------------------------------------------- */

rs_plot *rs_cli_plot_tilemap(const rs_plot_args *a, const rs_table *t, const size_t *rows, size_t nrows,
                             rs_results *data, GError **err) {
  if (!a->var) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "tilemap needs --var Y (the mean by fylke; with --per DEN the rate per 1000)");
    return NULL;
  }
  const char *by = column_of_type(t, RS_TYPE_FYLKE, "fylke");
  if (!by) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: the tile map needs a fylke column (type fylke, or named 'fylke')", t->path);
    return NULL;
  }
  rs_bygroup *b = rs_bygroup_compute(t, by, a->var, a->per, 1000, rows, nrows, err);
  if (!b) return NULL;
  size_t min_n = a->min_n > 0 ? (size_t)a->min_n : 5;
  rs_plot_tilemap_data d = {.min_n = min_n};
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++)
    d.tiles[i] = (rs_plot_tile){.code = rs_plot_tilemap_codes[i], .value = NAN};
  rs_plot *p = NULL;
  rs_refdata *ref = try_refdata(a);
  char *names[RS_PLOT_TILEMAP_N] = {0};
  double vmax = 0;
  for (guint k = 0; k < b->groups->len; k++) {
    const rs_group_value *g = b->groups->pdata[k];
    char *code = rs_refdata_normalise_fylke(g->group);
    int i = rs_plot_tilemap_index(code);
    if (i < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: fylke '%s' is not one of the 15 fylker of 2024 (03 Oslo … 56 Finnmark) the tile map shows; "
                  "map older codes to 2024 first", t->path, g->group);
      g_free(code);
      goto out;
    }
    g_free(code);
    rs_plot_tile *tile = &d.tiles[i];
    tile->n = g->n;
    tile->suppressed = g->n < min_n;
    tile->value = tile->suppressed ? NAN : g->value;
    if (!tile->suppressed && isfinite(g->value)) vmax = fmax(vmax, fabs(g->value));
    rs_record *r = rs_results_add(data);
    rs_record_str(r, "name", rs_plot_tilemap_codes[i]);
    names[i] = place_name(ref, true, rs_plot_tilemap_codes[i]);
    rs_record_str(r, "group", names[i]);
    rs_record_int(r, "n", (long long)g->n);
    if (!tile->suppressed) {  /* suppressed values stay out of --data-out too */
      rs_record_num(r, "estimate", g->value);
      rs_record_num(r, "se", g->se);
      rs_record_num(r, "ci_low", g->ci_low);
      rs_record_num(r, "ci_high", g->ci_high);
    }
    rs_record_str(r, "method", b->is_rate ? "sum of numerator / sum of denominator x 1000" : "mean");
  }
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++) {
    if (!names[i]) names[i] = place_name(ref, true, rs_plot_tilemap_codes[i]);
    d.tiles[i].name = names[i];
  }
  d.decimals = vmax >= 100 ? 0 : vmax >= 10 ? 1 : 2;
  bool en = strcmp(a->lang, "en") == 0;
  char *den_l = a->per ? g_utf8_strdown(column_label(t, a->per, a->lang), -1) : NULL;
  char *subtitle = a->per ? g_strdup_printf(en ? "Per 1,000 %s, by fylke" : "Per 1 000 %s, per fylke", den_l)
                          : g_strdup(en ? "Mean by fylke" : "Gjennomsnitt per fylke");
  d.title = column_label(t, a->var, a->lang);
  d.subtitle = subtitle;
  d.scale_title = a->per ? (en ? "Per 1,000" : "Per 1 000") : (en ? "Mean" : "Gjennomsnitt");
  d.note = ref ? NULL : (en ? "(No reference data: fylke codes shown.)" : "(Ingen referansedata: fylkesnummer vist.)");
  p = rs_cli_plot_open(a, a->width_cm * 1.05, err);
  if (p && !rs_plot_tilemap(p, &d, err)) {
    rs_plot_output_abort(p);
    p = NULL;
  }
  g_free(den_l);
  g_free(subtitle);
out:
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++) g_free(names[i]);
  rs_refdata_free(ref);
  rs_bygroup_free(b);
  return p;
}
