/* prepost.c — the `prepost` chart: a point estimate with its 95 % CI per
 * group (x axis) and period (colour, side by side), e.g. the mean
 * collaboration score of families with no koordinator, a koordinator and a
 * barnekoordinator before and after the reform.  The numbers come from
 * rs_plotdata_means (analysis/plotdata.h); n per point is printed under
 * each group's label. */
#include "plots/plot.h"

#include <math.h>

gboolean rs_plot_prepost(rs_plot *p, const rs_plotdata_est *d, GError **err) {
  (void)err;
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  const char *lang = rs_plot_lang(p);
  char *ntot = rs_plot_format_n(p, d->n_total);
  GString *cap = g_string_new(d->method);
  g_string_append_printf(cap, ". %s", ntot);
  if (d->row_title) g_string_append_printf(cap, ". %s: %s", rs_plot_tr(p, "Grupper", "Groups"), d->row_title);
  g_string_append_c(cap, '.');
  rs_plot_rect r = rs_plot_frame(p, d->var_label, d->series_title, cap->str);
  g_string_free(cap, TRUE);
  g_free(ntot);

  /* legend (periods) */
  if (d->n_series > 1) {
    rs_plot_rgb *col = g_new(rs_plot_rgb, d->n_series);
    for (size_t k = 0; k < d->n_series; k++) col[k] = rs_plot_palette(k);
    double lh = rs_plot_legend(p, &r, (const char *const *)d->series, col, d->n_series);
    g_free(col);
    r.y += lh + s->gap * 1.5;
    r.h -= lh + s->gap * 1.5;
  }

  /* value range: every CI, or the estimate where there is none */
  double lo = INFINITY, hi = -INFINITY;
  for (size_t k = 0; k < d->n_rows * d->n_series; k++) {
    const rs_plotdata_point *pt = &d->points[k];
    if (isfinite(pt->estimate)) { lo = fmin(lo, pt->estimate); hi = fmax(hi, pt->estimate); }
    if (isfinite(pt->ci_low)) lo = fmin(lo, pt->ci_low);
    if (isfinite(pt->ci_high)) hi = fmax(hi, pt->ci_high);
  }
  rs_plot_axis ax = {0};
  rs_plot_axis_nice(&ax, lo, hi, r.h > 150 ? 7 : 5, false);

  /* bottom: group labels (wrapped to the slot) and a line of n */
  double slot = 0, yw = rs_plot_axis_width_y(p, &ax, rs_plot_tr(p, "Gjennomsnitt", "Mean"));
  slot = (r.w - yw) / (double)d->n_rows;
  rs_plot_font lf = rs_plot_font_make(0, FALSE);
  lf.wrap = slot - s->gap;
  lf.max_lines = 3;
  lf.halign = 0.5;
  double label_h = 0;
  for (size_t g = 0; g < d->n_rows; g++) {
    double h;
    rs_plot_text_size(p, d->rows[g], &lf, NULL, &h);
    if (h > label_h) label_h = h;
  }
  rs_plot_font nf = rs_plot_font_make(s->small_size, FALSE);
  nf.halign = 0.5;
  nf.wrap = slot - s->gap;
  nf.max_lines = 2;
  double n_h = 0;
  GPtrArray *nlines = g_ptr_array_new_with_free_func(g_free);
  for (size_t g = 0; g < d->n_rows; g++) {
    GString *ns = g_string_new("n\u00a0=\u00a0");
    for (size_t k = 0; k < d->n_series; k++) {
      char *num = rs_plot_format_number((double)d->points[g * d->n_series + k].n, 0, lang);
      g_string_append_printf(ns, "%s%s", k ? " | " : "", num);
      g_free(num);
    }
    double h;
    rs_plot_text_size(p, ns->str, &nf, NULL, &h);
    if (h > n_h) n_h = h;
    g_ptr_array_add(nlines, g_string_free(ns, FALSE));
  }
  double x0 = r.x + yw, x1 = r.x + r.w;
  double y_bottom = r.y + r.h - label_h - n_h - s->gap * 1.5;
  double y_top = r.y + s->font_size * 0.7;  /* room for the top tick label */
  rs_plot_axis_draw_y(p, &ax, y_bottom, y_top, x0, rs_plot_tr(p, "Gjennomsnitt", "Mean"), x1);
  /* baseline */
  rs_plot_set_rgb(cr, s->axis);
  cairo_set_line_width(cr, s->thin_width);
  cairo_move_to(cr, x0, y_bottom);
  cairo_line_to(cr, x1, y_bottom);
  cairo_stroke(cr);

  double dodge = fmin(slot * 0.6 / (double)d->n_series, 8 * s->marker);
  for (size_t g = 0; g < d->n_rows; g++) {
    double cx = x0 + slot * ((double)g + 0.5);
    for (size_t k = 0; k < d->n_series; k++) {
      const rs_plotdata_point *pt = &d->points[g * d->n_series + k];
      double x = cx + dodge * ((double)k - ((double)d->n_series - 1) / 2.0);
      rs_plot_set_rgb(cr, rs_plot_palette(k));
      if (isfinite(pt->ci_low) && isfinite(pt->ci_high)) {
        double ya = rs_plot_axis_map(&ax, pt->ci_low, y_bottom, y_top), yb = rs_plot_axis_map(&ax, pt->ci_high, y_bottom, y_top);
        cairo_set_line_width(cr, s->line_width);
        cairo_move_to(cr, x, ya);
        cairo_line_to(cr, x, yb);
        cairo_move_to(cr, x - s->marker, ya);
        cairo_line_to(cr, x + s->marker, ya);
        cairo_move_to(cr, x - s->marker, yb);
        cairo_line_to(cr, x + s->marker, yb);
        cairo_stroke(cr);
      }
      if (isfinite(pt->estimate)) {
        cairo_arc(cr, x, rs_plot_axis_map(&ax, pt->estimate, y_bottom, y_top), s->marker * 1.1, 0, 2 * G_PI);
        cairo_fill(cr);
      }
    }
    rs_plot_set_rgb(cr, s->text);
    double h = rs_plot_text(p, d->rows[g], cx, y_bottom + s->gap, &lf);
    (void)h;
    rs_plot_set_rgb(cr, s->muted);
    rs_plot_text(p, g_ptr_array_index(nlines, g), cx, y_bottom + s->gap * 1.5 + label_h, &nf);
  }
  g_ptr_array_unref(nlines);
  return TRUE;
}
