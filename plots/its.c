/* its.c (plots) — the interrupted time series chart (see its.h). */
#include "plots/its.h"

#include <math.h>
#include <string.h>

static int32_t days_of(int y, int m, int d) {
  GDate *a = g_date_new_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y), *e = g_date_new_dmy(1, 1, 1970);
  int32_t r = (int32_t)g_date_get_julian(a) - (int32_t)g_date_get_julian(e);
  g_date_free(a);
  g_date_free(e);
  return r;
}

char *rs_plot_format_date_long(int32_t days, const char *lang) {
  static const char *nb[12] = {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
                               "oktober", "november", "desember"};
  static const char *en[12] = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                               "October", "November", "December"};
  GDate *g = g_date_new_julian(1);
  g_date_set_dmy(g, 1, 1, 1970);
  g_date_add_days(g, (guint)days);
  int d = g_date_get_day(g), m = g_date_get_month(g), y = g_date_get_year(g);
  g_date_free(g);
  if (lang && strcmp(lang, "en") == 0) return g_strdup_printf("%d %s %d", d, en[m - 1], y);
  return g_strdup_printf("%d. %s %d", d, nb[m - 1], y);
}

static int year_of(int32_t days) {
  GDate *g = g_date_new_dmy(1, 1, 1970);
  g_date_add_days(g, (guint)days);
  int y = g_date_get_year(g);
  g_date_free(g);
  return y;
}

/* A line sample and its label; returns the x after it. */
static double legend_item(rs_plot *p, double x, double y, int kind, rs_plot_rgb c, const char *label) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  double len = 16;
  rs_plot_set_rgb(cr, c);
  if (kind == 0) {
    cairo_arc(cr, x + len / 2, y, s->marker * 0.8, 0, 2 * G_PI);
    cairo_fill(cr);
  } else {
    double dash[2] = {3, 2};
    cairo_set_line_width(cr, s->line_width * 1.4);
    if (kind == 2) cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + len, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
  }
  rs_plot_font f = rs_plot_font_make(s->font_size, FALSE);
  f.valign = 0.5;
  rs_plot_set_rgb(cr, s->text);
  rs_plot_text(p, label, x + len + s->gap, y, &f);
  double w;
  rs_plot_text_size(p, label, &f, &w, NULL);
  return x + len + s->gap + w + 3 * s->gap;
}

gboolean rs_plot_its(rs_plot *p, const rs_its *its, const rs_plot_its_labels *l, GError **err) {
  (void)err;
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  const char *lang = rs_plot_lang(p);
  char *brk = rs_plot_format_date_long(its->break_day, lang);

  GString *cap = g_string_new(NULL);
  g_string_append(cap, its->has_denominator
                           ? rs_plot_tr(p, "Punkter: observert rate per periode (sum av tellere delt på sum av nevnere). ",
                                        "Points: observed rate per period (sum of numerators over sum of denominators). ")
                           : rs_plot_tr(p, "Punkter: observert sum per periode. ", "Points: observed sum per period. "));
  g_string_append(cap, rs_plot_tr(p, "Heltrukne linjer: segmentert regresjon med nivå- og trendendring ved ",
                                  "Solid lines: segmented regression with a change of level and trend at "));
  g_string_append_printf(cap, "%s; ", brk);
  g_string_append(cap, rs_plot_tr(p, "stiplet: trenden før videreført. ", "dashed: the earlier trend continued. "));
  const int dec = 2;
  char *lv = rs_plot_format_number(its->coef[RS_ITS_LEVEL], dec, lang);
  char *lvl = rs_plot_format_number(its->ci_low[RS_ITS_LEVEL], dec, lang);
  char *lvh = rs_plot_format_number(its->ci_high[RS_ITS_LEVEL], dec, lang);
  char *sl = rs_plot_format_number(its->coef[RS_ITS_SLOPE], dec, lang);
  char *sll = rs_plot_format_number(its->ci_low[RS_ITS_SLOPE], dec, lang);
  char *slh = rs_plot_format_number(its->ci_high[RS_ITS_SLOPE], dec, lang);
  g_string_append_printf(cap, rs_plot_tr(p, "Nivåendring %s (95\u00a0%% KI %s til %s), trendendring %s per år (%s til %s)",
                                         "Level change %s (95%% CI %s to %s), trend change %s per year (%s to %s)"),
                         lv, lvl, lvh, sl, sll, slh);
  if (its->lag >= 0)
    g_string_append_printf(cap, rs_plot_tr(p, ", Newey–West-SE (lag %d)", ", Newey–West SEs (lag %d)"), its->lag);
  char *nn = rs_plot_format_number((double)its->n, 0, lang);
  g_string_append_printf(cap, rs_plot_tr(p, "; %s perioder", "; %s periods"), nn);
  g_free(nn);
  if (its->rows_dropped) {
    char *nd = rs_plot_format_number((double)its->rows_dropped, 0, lang);
    g_string_append_printf(cap, rs_plot_tr(p, "; %s rader uten tall (f.eks. skjermet) er utelatt",
                                           "; %s rows without a number (e.g. suppressed) left out"), nd);
    g_free(nd);
  }
  g_string_append(cap, ".");
  g_free(lv); g_free(lvl); g_free(lvh); g_free(sl); g_free(sll); g_free(slh);
  rs_plot_rect r = rs_plot_frame(p, l->title, l->subtitle, cap->str);
  g_string_free(cap, TRUE);

  rs_plot_rgb obs = rs_plot_palette(0), fitc = rs_plot_palette(3);
  /* Legend row. */
  double lh;
  rs_plot_font ff = rs_plot_font_make(s->font_size, FALSE);
  rs_plot_text_size(p, "Ag", &ff, NULL, &lh);
  double lx = r.x, ly = r.y + lh / 2;
  lx = legend_item(p, lx, ly, 0, obs, rs_plot_tr(p, "Observert", "Observed"));
  lx = legend_item(p, lx, ly, 1, fitc, rs_plot_tr(p, "Segmentert regresjon", "Segmented regression"));
  legend_item(p, lx, ly, 2, fitc, rs_plot_tr(p, "Trend før reformen videreført", "Pre-reform trend continued"));
  r.y += lh + s->gap * 2;
  r.h -= lh + s->gap * 2;

  double ylo = INFINITY, yhi = -INFINITY;
  for (size_t k = 0; k < its->n; k++) {
    double v[3] = {its->value[k], its->fitted[k], its->counterfactual[k]};
    for (int j = 0; j < 3; j++) {
      if (v[j] < ylo) ylo = v[j];
      if (v[j] > yhi) yhi = v[j];
    }
  }
  rs_plot_axis ay = {0};
  rs_plot_axis_nice(&ay, ylo, yhi, 7, false);
  /* x: days, half a month of room at each end; ticks on 1 January. */
  double d0 = its->day[0] - 15, d1 = its->day[its->n - 1] + 15;
  rs_plot_axis ax = {.lo = d0, .hi = d1, .step = 365, .decimals = 0};
  int y0 = year_of(its->day[0]), y1 = year_of(its->day[its->n - 1]);
  int years[RS_PLOT_MAX_TICKS], ny = 0;
  int every = (y1 - y0) / 10 + 1;
  for (int y = y0; y <= y1 + 1 && ny < RS_PLOT_MAX_TICKS; y++) {
    int32_t dd = days_of(y, 1, 1);
    if (dd < d0 || dd > d1 || (y - y0) % every) continue;
    years[ny] = y;
    ax.ticks[ny++] = dd;
  }
  ax.n_ticks = ny;

  double left = r.x + rs_plot_axis_width_y(p, &ay, l->y_title);
  rs_plot_font tf = rs_plot_font_make(s->font_size, FALSE);
  double th;
  rs_plot_text_size(p, "2022", &tf, NULL, &th);
  double bottom = r.y + r.h - (s->tick_length + s->gap * 0.5 + th);
  /* Room above the plot for the break's label. */
  double top = r.y + th + s->gap;
  rs_plot_rect pa = {left + s->gap, top, r.x + r.w - left - 2 * s->gap, bottom - top};
  rs_plot_axis_draw_y(p, &ay, pa.y + pa.h, pa.y, left, l->y_title, pa.x + pa.w);
  /* The time axis: a line, ticks at each 1 January, the year to the right of its tick (it labels the year). */
  rs_plot_set_rgb(cr, s->axis);
  cairo_set_line_width(cr, s->thin_width);
  cairo_move_to(cr, pa.x, bottom);
  cairo_line_to(cr, pa.x + pa.w, bottom);
  for (int k = 0; k < ny; k++) {
    double x = rs_plot_axis_map(&ax, ax.ticks[k], pa.x, pa.x + pa.w);
    cairo_move_to(cr, x, bottom);
    cairo_line_to(cr, x, bottom + s->tick_length);
  }
  cairo_stroke(cr);
  rs_plot_set_rgb(cr, s->text);
  tf.halign = 0.5;
  for (int k = 0; k < ny; k++) {
    /* The label sits in the middle of its year when the year is shown whole, else at the tick. */
    double mid = ax.ticks[k] + 182.6;
    double x = rs_plot_axis_map(&ax, mid <= d1 ? mid : ax.ticks[k], pa.x, pa.x + pa.w);
    char lab[8];
    g_snprintf(lab, sizeof lab, "%d", years[k]);
    rs_plot_text(p, lab, x, bottom + s->tick_length * 0.3 + s->gap * 0.5, &tf);
  }

  /* The break: a dashed vertical line, labelled above the plot. */
  double bx = rs_plot_axis_map(&ax, its->break_day, pa.x, pa.x + pa.w);
  double dash[2] = {3, 2};
  rs_plot_set_rgb(cr, s->muted);
  cairo_set_line_width(cr, s->line_width);
  cairo_set_dash(cr, dash, 2, 0);
  cairo_move_to(cr, bx, pa.y - s->gap * 0.3);
  cairo_line_to(cr, bx, bottom);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  rs_plot_font bf = rs_plot_font_make(s->font_size, TRUE);
  bf.halign = 0.5;
  bf.valign = 1;
  rs_plot_set_rgb(cr, s->text);
  rs_plot_text(p, brk, bx, pa.y - s->gap * 0.5, &bf);

  cairo_save(cr);
  cairo_rectangle(cr, pa.x - 4, pa.y, pa.w + 8, pa.h);
  cairo_clip(cr);
  /* Observed points. */
  cairo_set_source_rgba(cr, obs.r, obs.g, obs.b, 0.85);
  for (size_t k = 0; k < its->n; k++) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, rs_plot_axis_map(&ax, its->day[k], pa.x, pa.x + pa.w),
              rs_plot_axis_map(&ay, its->value[k], pa.y + pa.h, pa.y), s->marker * 0.8, 0, 2 * G_PI);
  }
  cairo_fill(cr);
  /* Counterfactual after the break (dashed), then the two fitted segments. */
  rs_plot_set_rgb(cr, fitc);
  cairo_set_line_width(cr, s->line_width * 1.4);
  cairo_set_dash(cr, dash, 2, 0);
  bool started = false;
  for (size_t k = 0; k < its->n; k++) {
    if (its->day[k] < its->break_day && !(k + 1 < its->n && its->day[k + 1] >= its->break_day)) continue;
    double x = rs_plot_axis_map(&ax, its->day[k], pa.x, pa.x + pa.w),
           y = rs_plot_axis_map(&ay, its->counterfactual[k], pa.y + pa.h, pa.y);
    if (!started) cairo_move_to(cr, x, y);
    else cairo_line_to(cr, x, y);
    started = true;
  }
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  for (int seg = 0; seg < 2; seg++) {
    started = false;
    for (size_t k = 0; k < its->n; k++) {
      if ((its->day[k] >= its->break_day) != (seg == 1)) continue;
      double x = rs_plot_axis_map(&ax, its->day[k], pa.x, pa.x + pa.w),
             y = rs_plot_axis_map(&ay, its->fitted[k], pa.y + pa.h, pa.y);
      if (!started) cairo_move_to(cr, x, y);
      else cairo_line_to(cr, x, y);
      started = true;
    }
    cairo_stroke(cr);
  }
  cairo_restore(cr);
  g_free(brk);
  return TRUE;
}
