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

/* The colour scale of the counts: log10 when the largest count is 20 or more. */
static void count_scale(guint32 max_count, rs_plot_axis *cbar, bool *log_scale) {
  *log_scale = max_count >= 20;
  if (*log_scale) {
    double top = log10((double)max_count);
    int every = top > 4.5 ? 2 : 1;   /* label every other power of ten when there are many */
    cbar->lo = 0;
    cbar->hi = top;
    cbar->n_ticks = 0;
    for (int k = 0; k <= (int)floor(top) && cbar->n_ticks < RS_PLOT_MAX_TICKS; k += every) cbar->ticks[cbar->n_ticks++] = k;
    cbar->decimals = 0;
    cbar->step = every;
  } else {
    rs_plot_axis_nice(cbar, 1, max_count > 1 ? max_count : 2, 5, false);
  }
}

static void set_count_colour(cairo_t *cr, guint32 k, const rs_plot_axis *cbar, bool log_scale) {
  double v = log_scale ? log10((double)k) : (double)k;
  rs_plot_set_rgb(cr, rs_plot_sequential(0.08 + 0.92 * (v - cbar->lo) / (cbar->hi - cbar->lo)));
}

/* Hexagons for continuous data; squares on the data's own grid when a
 * variable takes few distinct values (hexagon rows would alias with the
 * grid and leave holes). */
static void draw_bins(rs_plot *p, const rs_chartdata_scatter *d, const rs_plot_rect *pa, const rs_plot_axis *ax,
                      const rs_plot_axis *ay, rs_plot_axis *cbar, bool *log_scale) {
  cairo_t *cr = rs_plot_cr(p);
  const double cell = 4.0;  /* points */
  if (d->x_step > 0 || d->y_step > 0) {
    double sx = (ax->hi - ax->lo) / pa->w, sy = (ay->hi - ay->lo) / pa->h;  /* data units per point */
    double dx = cell * sx, dy = cell * sy, x0 = ax->lo, y0 = ay->lo;
    if (d->x_step > 0) {
      dx = d->x_step * fmax(1, round(dx / d->x_step));
      x0 = d->xmin - d->x_step / 2;
    }
    if (d->y_step > 0) {
      dy = d->y_step * fmax(1, round(dy / d->y_step));
      y0 = d->ymin - d->y_step / 2;
    }
    size_t cols = (size_t)ceil((d->xmax - x0) / dx) + 1, rows = (size_t)ceil((d->ymax - y0) / dy) + 1;
    rs_hexbin *h = rs_squarebin_new(d->x, d->y, d->n, x0, dx, cols, y0, dy, rows);
    count_scale(h->max_count, cbar, log_scale);
    /* Cells much wider than the natural size are drawn narrower, as strips. */
    double wpt = dx / sx, hpt = dy / sy;
    double dw = wpt > 3 * cell ? wpt * 0.8 : wpt, dh = hpt > 3 * cell ? hpt * 0.8 : hpt;
    for (size_t r = 0; r < h->rows; r++)
      for (size_t c = 0; c < h->cols; c++) {
        guint32 k = h->count[r * h->cols + c];
        if (!k) continue;
        set_count_colour(cr, k, cbar, *log_scale);
        double cx = rs_plot_axis_map(ax, x0 + (c + 0.5) * dx, pa->x, pa->x + pa->w);
        double cy = rs_plot_axis_map(ay, y0 + (r + 0.5) * dy, pa->y + pa->h, pa->y);
        cairo_rectangle(cr, cx - dw / 2 - 0.05, cy - dh / 2 - 0.05, dw + 0.1, dh + 0.1);
        cairo_fill(cr);
      }
    rs_hexbin_free(h);
    return;
  }
  size_t nx = (size_t)fmax(12, floor(pa->w / cell));
  rs_hexbin *h = rs_hexbin_new(d->x, d->y, d->n, ax->lo, ax->hi, ay->lo, ay->hi, nx, pa->h / pa->w);
  double hexw = pa->w / (double)(nx - 1), rowh = hexw * sqrt(3.0) / 2, R = hexw / sqrt(3.0) * 1.04;
  count_scale(h->max_count, cbar, log_scale);
  for (size_t r = 0; r < h->rows; r++)
    for (size_t c = 0; c < h->cols; c++) {
      guint32 k = h->count[r * h->cols + c];
      if (!k) continue;
      set_count_colour(cr, k, cbar, *log_scale);
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

/* The fitted line over [x0, x1] with its 95 % band, in plot area pa. */
static void draw_fit(cairo_t *cr, const rs_plot_style *s, const rs_linefit *f, double x0, double x1,
                     const rs_plot_axis *ax, const rs_plot_axis *ay, const rs_plot_rect *pa, rs_plot_rgb lc,
                     double band_alpha, bool halo, double width) {
  enum { K = 101 };
  double gx[K], fit[K], lo[K], hi[K];
  for (int k = 0; k < K; k++) {
    gx[k] = x0 + (x1 - x0) * k / (K - 1);
    rs_linefit_predict(f, gx[k], &fit[k], &lo[k], &hi[k]);
  }
  cairo_set_source_rgba(cr, lc.r, lc.g, lc.b, band_alpha);
  for (int k = 0; k < K; k++) {
    double px = rs_plot_axis_map(ax, gx[k], pa->x, pa->x + pa->w), py = rs_plot_axis_map(ay, hi[k], pa->y + pa->h, pa->y);
    if (k == 0) cairo_move_to(cr, px, py);
    else cairo_line_to(cr, px, py);
  }
  for (int k = K - 1; k >= 0; k--)
    cairo_line_to(cr, rs_plot_axis_map(ax, gx[k], pa->x, pa->x + pa->w), rs_plot_axis_map(ay, lo[k], pa->y + pa->h, pa->y));
  cairo_close_path(cr);
  cairo_fill(cr);
  for (int pass = halo ? 0 : 1; pass < 2; pass++) {
    /* On bins, a white halo under the line keeps it visible. */
    if (pass == 0) cairo_set_source_rgb(cr, 1, 1, 1);
    else rs_plot_set_rgb(cr, lc);
    cairo_set_line_width(cr, s->line_width * (pass == 0 ? 3 : 1.3) * width);
    cairo_move_to(cr, rs_plot_axis_map(ax, gx[0], pa->x, pa->x + pa->w), rs_plot_axis_map(ay, fit[0], pa->y + pa->h, pa->y));
    cairo_line_to(cr, rs_plot_axis_map(ax, gx[K - 1], pa->x, pa->x + pa->w),
                  rs_plot_axis_map(ay, fit[K - 1], pa->y + pa->h, pa->y));
    cairo_stroke(cr);
  }
}

/* Panel layout for small multiples: columns for k panels. */
static size_t facet_cols(size_t k) {
  size_t c = (size_t)ceil(sqrt((double)k));
  return c > k ? k : c;
}

double rs_plot_scatter_height_cm(const rs_chartdata_scatter *d, double width_cm) {
  if (d->n_groups > RS_SCATTER_MAX_COLORS && d->n <= RS_PLOT_SCATTER_BIN_ABOVE) {
    size_t cols = facet_cols(d->n_groups), rows = (d->n_groups + cols - 1) / cols;
    double panel = (width_cm - 2.0) / (double)cols;   /* square-ish panels */
    return 4.0 + (double)rows * fmin(panel * 0.8, 5.0);
  }
  return width_cm * (d->n_groups > 0 || d->n > RS_PLOT_SCATTER_BIN_ABOVE ? 0.8 : 0.7);  /* room for a legend */
}

/* Small multiples: a panel per group, all points in grey behind the
 * group's own, and the group's own line and band. */
static void draw_facets(rs_plot *p, const rs_chartdata_scatter *d, rs_plot_rect r) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  rs_plot_axis ax = {0}, ay = {0};
  rs_plot_axis_nice(&ax, d->xmin, d->xmax, 4, false);
  rs_plot_axis_nice(&ay, d->ymin, d->ymax, 4, false);
  size_t k = d->n_groups, cols = facet_cols(k), rows = (k + cols - 1) / cols;
  rs_plot_font hf = rs_plot_font_make(s->small_size, FALSE);
  double hh;
  rs_plot_text_size(p, "Ag", &hf, NULL, &hh);
  double left = r.x + rs_plot_axis_width_y(p, &ay, d->y_label) + s->gap;
  double bottom_h = rs_plot_axis_height_x(p, d->x_label);
  double gapx = s->gap * 4, gapy = s->gap;
  double pw = (r.x + r.w - left - gapx * (double)(cols - 1)) / (double)cols;
  double cell_h = (r.h - bottom_h) / (double)rows;
  double ph = cell_h - hh - gapy * 1.5;
  double rad = s->marker * 0.7, alpha = fmin(0.8, fmax(0.15, 10.0 / sqrt((double)d->n / (double)k)));
  for (size_t g = 0; g < k; g++) {
    size_t i = g / cols, j = g % cols;
    rs_plot_rect pa = {left + (double)j * (pw + gapx), r.y + (double)i * cell_h + hh + gapy * 0.5, pw, ph};
    /* header */
    rs_plot_font f = hf;
    f.wrap = pw;
    f.max_lines = 1;
    rs_plot_set_rgb(cr, s->text);
    char *head = g_strdup_printf("%s, n\u00a0=\u00a0%zu", d->group_labels[g], d->group_n[g]);
    rs_plot_text(p, head, pa.x, pa.y - hh - gapy * 0.3, &f);
    g_free(head);
    /* grid, and axes on the outer panels only */
    bool first_col = j == 0, last_row = i == rows - 1 || g + cols >= k;
    if (first_col) rs_plot_axis_draw_y(p, &ay, pa.y + pa.h, pa.y, pa.x - s->gap, NULL, pa.x + pa.w);
    else {
      rs_plot_set_rgb(cr, s->grid);
      cairo_set_line_width(cr, s->grid_width);
      for (int t = 0; t < ay.n_ticks; t++) {
        double y = rs_plot_axis_map(&ay, ay.ticks[t], pa.y + pa.h, pa.y);
        cairo_move_to(cr, pa.x, y);
        cairo_line_to(cr, pa.x + pa.w, y);
      }
      cairo_stroke(cr);
    }
    if (last_row) rs_plot_axis_draw_x(p, &ax, pa.x, pa.x + pa.w, pa.y + pa.h + s->gap * 0.5, NULL,
                                      pa.y + pa.h + s->gap * 0.5);  /* no vertical grid: as in the other panels */
    else {
      rs_plot_set_rgb(cr, s->axis);
      cairo_set_line_width(cr, s->thin_width);
      cairo_move_to(cr, pa.x, pa.y + pa.h + s->gap * 0.5);
      cairo_line_to(cr, pa.x + pa.w, pa.y + pa.h + s->gap * 0.5);
      cairo_stroke(cr);
    }
    cairo_save(cr);
    cairo_rectangle(cr, pa.x - rad, pa.y - rad, pa.w + 2 * rad, pa.h + 2 * rad);
    cairo_clip(cr);
    cairo_set_source_rgba(cr, 0.6, 0.6, 0.6, 0.25);
    for (size_t t = 0; t < d->n; t++) {
      if (d->group[t] == g) continue;
      cairo_new_sub_path(cr);
      cairo_arc(cr, rs_plot_axis_map(&ax, d->x[t], pa.x, pa.x + pa.w), rs_plot_axis_map(&ay, d->y[t], pa.y + pa.h, pa.y),
                rad * 0.7, 0, 2 * G_PI);
    }
    cairo_fill(cr);
    rs_plot_rgb c = rs_plot_palette(0);
    for (size_t t = 0; t < d->n; t++) {
      if (d->group[t] != g) continue;
      cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
      cairo_new_sub_path(cr);
      cairo_arc(cr, rs_plot_axis_map(&ax, d->x[t], pa.x, pa.x + pa.w), rs_plot_axis_map(&ay, d->y[t], pa.y + pa.h, pa.y),
                rad, 0, 2 * G_PI);
      cairo_fill(cr);
    }
    cairo_restore(cr);
    if (d->group_has_fit[g] && d->group_fit[g].slope_ok) {
      double x0 = INFINITY, x1 = -INFINITY;
      for (size_t t = 0; t < d->n; t++)
        if (d->group[t] == g) { x0 = fmin(x0, d->x[t]); x1 = fmax(x1, d->x[t]); }
      cairo_save(cr);
      cairo_rectangle(cr, pa.x, pa.y, pa.w, pa.h);
      cairo_clip(cr);
      draw_fit(cr, s, &d->group_fit[g], x0, x1, &ax, &ay, &pa, rs_plot_palette(3), 0.2, false, 0.8);
      cairo_restore(cr);
    }
  }
  /* The axis titles once for the whole grid. */
  rs_plot_font tf = rs_plot_font_make(0, FALSE);
  rs_plot_set_rgb(cr, s->text);
  tf.halign = 0.5;
  tf.valign = 1;
  tf.wrap = r.x + r.w - left;
  tf.max_lines = 1;
  rs_plot_text(p, d->x_label, (left + r.x + r.w) / 2, r.y + r.h, &tf);
  tf.valign = 0;
  tf.angle = 90;
  tf.wrap = r.h - bottom_h;
  rs_plot_text(p, d->y_label, r.x, r.y + (r.h - bottom_h) / 2, &tf);
}

gboolean rs_plot_scatter(rs_plot *p, const rs_chartdata_scatter *d, size_t bin_above, GError **err) {
  (void)err;
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  const char *lang = rs_plot_lang(p);
  if (bin_above == 0) bin_above = RS_PLOT_SCATTER_BIN_ABOVE;
  bool binned = d->n > bin_above;
  bool facets = !binned && d->n_groups > RS_SCATTER_MAX_COLORS;

  char *xl = lower_first(d->x_label);
  char *title = g_strdup_printf(rs_plot_tr(p, "%s, etter %s", "%s, by %s"), d->y_label, xl);
  char *subtitle = !d->group_title || binned ? NULL
                   : facets ? g_strdup_printf(rs_plot_tr(p, "Ett panel per verdi av %s; grå: de andre gruppene",
                                                         "One panel per value of %s; grey: the other groups"), d->group_title)
                            : g_strdup_printf(rs_plot_tr(p, "Farge: %s", "Colour: %s"), d->group_title);
  GString *cap = g_string_new(NULL);
  char *nn = rs_plot_format_n(p, d->n);
  if (binned)
    g_string_append_printf(cap, rs_plot_tr(p, d->x_step > 0 || d->y_step > 0 ? "Fargen viser antall punkter i hver rute (%s)" : "Fargen viser antall punkter i hver sekskant (%s)",
                                           d->x_step > 0 || d->y_step > 0 ? "Colour shows the number of points in each cell (%s)" : "Colour shows the number of points in each hexagon (%s)"), nn);
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
  if (facets) {
    g_string_append(cap, rs_plot_tr(p, "Linje i hvert panel: minste kvadraters rette linje innen gruppen, med 95\u00a0% konfidensbånd.",
                                    "Line in each panel: least-squares fit within the group, with 95% confidence band."));
  } else if (d->has_fit && d->fit.slope_ok) {
    double q = d->fit.tcrit;
    char *b = rs_plot_format_number(d->fit.slope, 3, lang);
    char *lo = rs_plot_format_number(d->fit.slope - q * d->fit.se_slope, 3, lang);
    char *hi = rs_plot_format_number(d->fit.slope + q * d->fit.se_slope, 3, lang);
    g_string_append_printf(cap, rs_plot_tr(p, "Linje: minste kvadraters rette linje med 95\u00a0%% konfidensbånd; stigning %s (95\u00a0%% KI %s til %s).",
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
  if (facets) {
    draw_facets(p, d, r);
    g_free(xl);
    g_free(title);
    g_free(subtitle);
    return TRUE;
  }

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

  rs_plot_axis ax = {0}, ay = {0};
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
    rs_plot_axis cbar = {0};
    bool log_scale;
    draw_bins(p, d, &pa, &ax, &ay, &cbar, &log_scale);
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
    rs_plot_rgb lc = (d->n_groups > 0 || binned) ? (rs_plot_rgb){0.1, 0.1, 0.1} : rs_plot_palette(3);
    draw_fit(cr, s, &d->fit, d->xmin, d->xmax, &ax, &ay, &pa, lc, binned ? 0.35 : 0.22, binned, 1.0);
  }
  cairo_restore(cr);
  g_free(xl);
  g_free(title);
  g_free(subtitle);
  return TRUE;
}
