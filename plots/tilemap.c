/* tilemap.c — the fylke tile map (see tilemap.h).
 *
 * The grid, 5 columns by 8 rows, row 0 at the top:
 *
 *         col 0      col 1        col 2      col 3      col 4
 *   row 0 [legend ……………………………………]                       Finnmark
 *   row 1                                         Troms
 *   row 2                           Nordland
 *   row 3                           Trøndelag
 *   row 4            Møre og R.     Innlandet
 *   row 5            Vestland       Buskerud   Akershus
 *   row 6            Rogaland       Telemark   Oslo       Østfold
 *   row 7                           Agder      Vestfold
 */
#include "plots/tilemap.h"
#include "plots/scale.h"

#include <math.h>
#include <string.h>

const char *const rs_plot_tilemap_codes[RS_PLOT_TILEMAP_N] = {"03", "11", "15", "18", "31", "32", "33", "34",
                                                                "39", "40", "42", "46", "50", "55", "56"};
/* (column, row) of each code above. */
static const int place[RS_PLOT_TILEMAP_N][2] = {
  {3, 6}, /* 03 Oslo */        {1, 6}, /* 11 Rogaland */  {1, 4}, /* 15 Møre og Romsdal */
  {2, 2}, /* 18 Nordland */    {4, 6}, /* 31 Østfold */   {3, 5}, /* 32 Akershus */
  {2, 5}, /* 33 Buskerud */    {2, 4}, /* 34 Innlandet */ {3, 7}, /* 39 Vestfold */
  {2, 6}, /* 40 Telemark */    {2, 7}, /* 42 Agder */     {1, 5}, /* 46 Vestland */
  {2, 3}, /* 50 Trøndelag */   {3, 1}, /* 55 Troms */     {4, 0}, /* 56 Finnmark */
};
enum { COLS = 5, ROWS = 8 };

int rs_plot_tilemap_index(const char *code) {
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++)
    if (code && strcmp(code, rs_plot_tilemap_codes[i]) == 0) return i;
  return -1;
}

gboolean rs_plot_tilemap(rs_plot *p, const rs_plot_tilemap_data *d, GError **err) {
  (void)err;
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  const char *lang = rs_plot_lang(p);
  double lo = INFINITY, hi = -INFINITY;
  size_t n_supp = 0, n_none = 0, n_total = 0;
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++) {
    const rs_plot_tile *t = &d->tiles[i];
    n_total += t->n;
    if (t->suppressed) n_supp++;
    else if (isnan(t->value)) n_none++;
    else {
      lo = fmin(lo, t->value);
      hi = fmax(hi, t->value);
    }
  }
  GString *cap = g_string_new(NULL);
  char *nn = rs_plot_format_n(p, n_total);
  g_string_append_printf(cap, rs_plot_tr(p, "Fylker (inndeling 2024) plassert omtrent som på kartet; %s",
                                         "Fylker (counties, 2024 boundaries) placed roughly as on a map; %s"), nn);
  g_free(nn);
  g_string_append(cap, ".");
  if (n_supp)
    g_string_append_printf(cap, rs_plot_tr(p, " Grå: færre enn %zu observasjoner, ikke vist.",
                                           " Grey: fewer than %zu observations, not shown."), d->min_n);
  if (n_none) g_string_append(cap, rs_plot_tr(p, " Hvit: ingen data.", " White: no data."));
  if (d->note) g_string_append_printf(cap, " %s", d->note);
  rs_plot_rect r = rs_plot_frame(p, d->title, d->subtitle, cap->str);
  g_string_free(cap, TRUE);

  double tile = fmin(r.w / COLS, r.h / ROWS);
  double gx = r.x + (r.w - tile * COLS) / 2, gy = r.y;
  double pad = fmax(1.0, tile * 0.04);
  rs_plot_axis ax = {0};
  bool any = isfinite(lo);
  if (any) rs_plot_axis_nice(&ax, lo, hi, 5, false);
  for (int i = 0; i < RS_PLOT_TILEMAP_N; i++) {
    int k = rs_plot_tilemap_index(d->tiles[i].code);
    if (k < 0) continue;
    const rs_plot_tile *t = &d->tiles[i];
    double x = gx + place[k][0] * tile + pad / 2, y = gy + place[k][1] * tile + pad / 2, w = tile - pad;
    rs_plot_rgb fill;
    if (t->suppressed) fill = (rs_plot_rgb){0.82, 0.82, 0.82};
    else if (isnan(t->value)) fill = (rs_plot_rgb){1, 1, 1};
    else fill = rs_plot_sequential((t->value - ax.lo) / (ax.hi - ax.lo));
    rs_plot_set_rgb(cr, fill);
    cairo_rectangle(cr, x, y, w, w);
    cairo_fill_preserve(cr);
    rs_plot_set_rgb(cr, isnan(t->value) && !t->suppressed ? s->muted : s->background);
    cairo_set_line_width(cr, s->thin_width);
    cairo_stroke(cr);
    rs_plot_set_rgb(cr, rs_plot_text_on(fill));
    rs_plot_font nf = rs_plot_font_make(s->small_size, FALSE);
    nf.wrap = w - 2 * pad;
    nf.max_lines = 2;
    nf.halign = 0.5;
    const char *name = t->name ? t->name : t->code;
    double nh = rs_plot_text(p, name, x + w / 2, y + pad * 1.5, &nf);
    rs_plot_font vf = rs_plot_font_make(s->font_size * 1.15, TRUE);
    vf.halign = 0.5;
    vf.valign = 0.5;
    char *val = t->suppressed ? g_strdup("·") : isnan(t->value) ? g_strdup("–")
                                                               : rs_plot_format_number(t->value, d->decimals, lang);
    rs_plot_text(p, val, x + w / 2, y + pad * 1.5 + nh + (w - pad * 1.5 - nh) / 2, &vf);
    g_free(val);
  }
  /* The colour bar in the empty top-left corner (columns 0–2 of rows 0–1). */
  if (any) {
    double bw = fmin(tile * 2.6, r.w * 0.5);
    rs_plot_colorbar(p, &ax, gx + pad, gy + pad, bw, d->scale_title, false);
  }
  return TRUE;
}
