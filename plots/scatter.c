/* scatter.c — the scatter chart (see scatter.h).
 *
 * Up to a few hundred points: opaque-ish dots; more: smaller dots with
 * alpha falling as 1/sqrt(n), so that overlapping points build up density;
 * above bin_above: hexagons coloured by their count on a log scale
 * (rs_hexbin from analysis/chartdata.h), which keeps a million points at
 * a few hundred shapes in PDF and SVG.  The line and band come from the
 * fit in the data (rs_linefit_predict); they span the observed x only.
 */
#include "plots/scatter.h"
#include "plots/scale.h"

#include <math.h>

static char *lower_first(const char *s) {
  gunichar c = g_utf8_get_char(s);
  char buf[8];
  int len = g_unichar_to_utf8(g_unichar_tolower(c), buf);
  buf[len] = 0;
  return g_strconcat(buf, g_utf8_next_char(s), NULL);
}

static void draw_hexagons(rs_plot *p, const rs_chartdata_scatter *d, const rs_plot_rect *pa, const rs_plot_axis *ax,
                          const rs_plot_axis *ay, rs_plot_axis *cbar, bool *log_scale) {
  cairo_t *cr = rs_plot_cr(p);
  size_t nx = (size_t)fmax(12, floor(pa->w / 4.0));
  rs_hexbin *h = rs_hexbin_new(d->x, d->y, d->n, ax->lo, ax->hi, ay->lo, ay->hi, nx, pa->h / pa->w);
  double hexw = pa->w / (double)(nx - 1), rowh = hexw * sqrt(3.0) / 2, R = hexw / sqrt(3.0) * 1.04;
  *log_scale = h->max_count >= 20;
  double top = *log_scale ? log10((double)h->max_count) : (double)h->max_count;
  if (*log_scale) {
    cbar->lo = 0;
    cbar->hi = top;
    cbar->n_ticks = 0;
    for (int k = 0; k <= (int)floor(top) && k < RS_PLOT_MAX_TICKS; k++) cbar->ticks[cbar->n_ticks++] = k;
    cbar->decimals = 0;
    cbar->percent = false;
    cbar->step = 1;
  } else {
    rs_plot_axis_nice(cbar, 1, top > 1 ? top : 2, 5, false);
  }
  for (size_t r = 0; r < h->rows; r++)
    for (size_t c = 0; c < h->cols; c++) {
      guint32 k = h->count[r * h->cols + c];
      if (!k) continue;
      double v = *log_scale ? log10((double)k) : (double)k;
      double t = (v - cbar->lo) / (cbar->hi - cbar->lo);
      rs_plot_set_rgb(cr, rs_plot_sequential(0.08 + 0.92 * t));
      double cx = pa->x + ((double)c + ((r & 1) ? 0.5 : 0.0)) * hexw, cy = pa->y + pa->h - (double)r * rowh;
      for (int j = 0; j < 6; j++) {
        double ang = G_PI / 2 + j * G_PI / 3;
        double vx = cx + R * cos(ang), vy = cy - R * sin(ang);
        if (j == 0) cairo_move_to(cr, vx, vy);
        else cairo_line_to(cr, vx, vy);
      }
      cairo_close_path(cr);
      cairo_fill(cr);
    }
  rs_hexbin_free(h);
}

gboolean rs_plot_scatter(rs_plot *p, const rs_chartdata_scatter *d, size_t bin_above, GError **err) {
  (void)err;
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  const char *lang = rs_plot_lang(p);
  if (bin_above == 0) bin_above = RS_PLOT_SCATTER_BIN_ABOVE;
  bool binned = d->n > bin_above;

  char *xl = lower_first(d->x_label);
  char *title = g_strdup_printf(rs_plot_tr(p, "%s, etter %s", "%s, by %s"), d->y_label, xl);
  char *subtitle = d->group_title && !binned ? g_strdup_printf(rs_plot_tr(p, "Farge: %s", "Colour: %s"), d->group_title)
                                             : NULL;
  GString *cap = g_string_new(NULL);
  char *nn = rs_plot_format_n(p, d->n);
  if (binned)
    g_string_append_printf(cap, rs_plot_tr(p, "Fargen viser antall punkter i hver sekskant (%s)",
                                           "Colour shows the number of points in each hexagon (%s)"), nn);
  else
    g_string_append_printf(cap, rs_plot_tr(p, "Hvert punkt er én rad (%s)", "Each point is one row (%s)"), nn);
  g_free(nn);
  if (d->dropped)
    g_string_append_printf(cap, rs_plot_tr(p, "; %zu rader uten verdi er utelatt", "; %zu rows without a value left out"),
                           d->dropped);
  g_string_append(cap, ". ");
  if (binned && d->group_title)
    g_string_append_printf(cap, rs_plot_tr(p, "Farge etter %s vises ikke når punktene er så mange. ",
                                           "Colour by %s is not shown for this many points. "), d->group_title);
  if (d->has_fit && d->fit.slope_ok) {
    double q = d->fit.tcrit;
    char *b = rs_plot_format_number(d->fit.slope, 3, lang);
    char *lo = rs_plot_format_number(d->fit.slope - q * d->fit.se_slope, 3, lang);
    char *hi = rs_plot_format_number(d->fit.slope + q * d->fit.se_slope, 3, lang);
    g_string_append_printf(cap, rs_plot_tr(p, "Linje: minste kvadraters rette linje med 95 %% konfidensbånd; stigning %s (95 %% KI %s til %s).",
                                           "Line: least-squares fit with 95%% confidence band; slope %s (95%% CI %s to %s)."),
                           b, lo, hi);
    g_free(b); g_free(lo); g_free(hi);
  } else if (d->fit_note) {
    g_string_append_printf(cap, rs_plot_tr(p, "Ingen linje: %s.", "No line: %s."), d->fit_note);
  } else if (d->has_fit) {
    g_string_append(cap, rs_plot_tr(p, "Ingen linje: x har bare én verdi.", "No line: x takes a single value."));
  }
  rs_plot_rect r = rs_plot_frame(p, title, subtitle, cap->str);
  g_string_free(cap, TRUE);

  /* Legend (groups) or colour bar (hexagons) across the top. */
  rs_plot_rgb colors[RS_SCATTER_MAX_GROUPS];
  for (size_t k = 0; k < d->n_groups; k++) colors[k] = rs_plot_palette(k);
  double top_h = 0;
  if (!binned && d->n_groups > 0) top_h = rs_plot_legend_height(p, r.w, (const char *const *)d->group_labels, d->n_groups);
  else if (binned) top_h = rs_plot_colorbar_height(p, rs_plot_tr(p, "Antall punkter", "Number of points"));
  double legend_y = r.y;
  if (top_h > 0) {
    r.y += top_h + s->gap * 1.5;
    r.h -= top_h + s->gap * 1.5;
  }

  rs_plot_axis ax, ay;
  rs_plot_axis_nice(&ax, d->xmin, d->xmax, 8, false);
  double ylo = d->ymin, yhi = d->ymax;
  rs_plot_axis_nice(&ay, ylo, yhi, 7, false);
  double left = r.x + rs_plot_axis_width_y(p, &ay, d->y_label);
  double bottom = r.y + r.h - rs_plot_axis_height_x(p, d->x_label);
  rs_plot_rect pa = {left + s->gap, r.y, r.x + r.w - (left + s->gap) - s->gap, bottom - s->gap - r.y};
  rs_plot_axis_draw_y(p, &ay, pa.y + pa.h, pa.y, left, d->y_label, pa.x + pa.w);
  rs_plot_axis_draw_x(p, &ax, pa.x, pa.x + pa.w, bottom, d->x_label, pa.y);

  cairo_save(cr);
  cairo_rectangle(cr, pa.x - 3, pa.y - 3, pa.w + 6, pa.h + 6);
  cairo_clip(cr);
  if (binned) {
    rs_plot_axis cbar;
    bool log_scale;
    draw_hexagons(p, d, &pa, &ax, &ay, &cbar, &log_scale);
    cairo_restore(cr);
    double w = fmin(r.w * 0.4, 160);
    rs_plot_colorbar(p, &cbar, r.x + r.w - w, legend_y, w, rs_plot_tr(p, "Antall punkter", "Number of points"), log_scale);
    cairo_save(cr);
    cairo_rectangle(cr, pa.x, pa.y, pa.w, pa.h);
    cairo_clip(cr);
  } else {
    double rad = s->marker * (d->n <= 1000 ? 0.9 : d->n <= 10000 ? 0.6 : 0.4);
    double alpha = fmin(0.75, fmax(0.1, 10.0 / sqrt((double)d->n)));
    for (size_t i = 0; i < d->n; i++) {
      rs_plot_rgb c = d->group ? colors[d->group[i]] : rs_plot_palette(0);
      cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
      cairo_new_sub_path(cr);
      cairo_arc(cr, rs_plot_axis_map(&ax, d->x[i], pa.x, pa.x + pa.w), rs_plot_axis_map(&ay, d->y[i], pa.y + pa.h, pa.y),
                rad, 0, 2 * G_PI);
      cairo_fill(cr);
    }
    cairo_restore(cr);
    if (d->n_groups > 0) {
      rs_plot_rect lr = {r.x, legend_y, r.w, top_h};
      rs_plot_legend(p, &lr, (const char *const *)d->group_labels, colors, d->n_groups);
    }
    cairo_save(cr);
    cairo_rectangle(cr, pa.x, pa.y, pa.w, pa.h);
    cairo_clip(cr);
  }
  if (d->has_fit) {
    enum { K = 101 };
    double gx[K], fit[K], lo[K], hi[K];
    for (int k = 0; k < K; k++) {
      gx[k] = d->xmin + (d->xmax - d->xmin) * k / (K - 1);
      rs_linefit_predict(&d->fit, gx[k], &fit[k], &lo[k], &hi[k]);
    }
    rs_plot_rgb lc = (d->n_groups > 0 || binned) ? (rs_plot_rgb){0.1, 0.1, 0.1} : rs_plot_palette(3);
    cairo_set_source_rgba(cr, lc.r, lc.g, lc.b, binned ? 0.35 : 0.22);
    for (int k = 0; k < K; k++) {
      double px = rs_plot_axis_map(&ax, gx[k], pa.x, pa.x + pa.w), py = rs_plot_axis_map(&ay, hi[k], pa.y + pa.h, pa.y);
      if (k == 0) cairo_move_to(cr, px, py);
      else cairo_line_to(cr, px, py);
    }
    for (int k = K - 1; k >= 0; k--)
      cairo_line_to(cr, rs_plot_axis_map(&ax, gx[k], pa.x, pa.x + pa.w), rs_plot_axis_map(&ay, lo[k], pa.y + pa.h, pa.y));
    cairo_close_path(cr);
    cairo_fill(cr);
    for (int pass = binned ? 0 : 1; pass < 2; pass++) {
      /* On hexagons, a white halo under the line keeps it visible. */
      if (pass == 0) cairo_set_source_rgb(cr, 1, 1, 1);
      else rs_plot_set_rgb(cr, lc);
      cairo_set_line_width(cr, s->line_width * (pass == 0 ? 3 : 1.3));
      cairo_move_to(cr, rs_plot_axis_map(&ax, gx[0], pa.x, pa.x + pa.w), rs_plot_axis_map(&ay, fit[0], pa.y + pa.h, pa.y));
      cairo_line_to(cr, rs_plot_axis_map(&ax, gx[K - 1], pa.x, pa.x + pa.w),
                    rs_plot_axis_map(&ay, fit[K - 1], pa.y + pa.h, pa.y));
      cairo_stroke(cr);
    }
  }
  cairo_restore(cr);
  g_free(xl);
  g_free(title);
  g_free(subtitle);
  return TRUE;
}
