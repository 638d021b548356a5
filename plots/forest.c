/* forest.c — the `forest` chart: one line per group (kommuner in a fylke,
 * items, subgroups) with its estimate and 95 % CI, a dashed reference line
 * (d->reference: the estimate over all rows), and columns with n and the
 * estimate (CI) in numbers.  Rows keep the order of d (rs_plotdata_est_sort
 * orders them).  Numbers: rs_plotdata_means (analysis/plotdata.h). */
#include "plots/plot.h"

#include <math.h>
#include <string.h>

gboolean rs_plot_forest(rs_plot *p, const rs_plotdata_est *d, GError **err) {
  (void)err;
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  const char *lang = rs_plot_lang(p);
  char *ntot = rs_plot_format_n(p, d->n_total);
  GString *cap = g_string_new(d->method);
  g_string_append_printf(cap, ". %s.", ntot);
  if (isfinite(d->reference))
    g_string_append_printf(cap, " %s", rs_plot_tr(p, "Stiplet linje: alle grupper samlet.", "Dashed line: all groups together."));
  char *sub = d->row_title ? g_strdup_printf("%s %s", rs_plot_tr(p, "Etter", "By"), d->row_title) : NULL;
  if (sub && g_utf8_strlen(sub, -1) > 3) {  /* "Etter Kommune" → "Etter kommune" */
    char *rest = g_utf8_next_char(sub + strlen(rs_plot_tr(p, "Etter", "By")) + 1);
    char *first = g_utf8_strdown(sub + strlen(rs_plot_tr(p, "Etter", "By")) + 1, rest - (sub + strlen(rs_plot_tr(p, "Etter", "By")) + 1));
    char *fixed = g_strdup_printf("%s %s%s", rs_plot_tr(p, "Etter", "By"), first, rest);
    g_free(first);
    g_free(sub);
    sub = fixed;
  }
  rs_plot_rect r = rs_plot_frame(p, d->var_label, sub, cap->str);
  g_free(sub);
  g_string_free(cap, TRUE);
  g_free(ntot);

  double lo = INFINITY, hi = -INFINITY;
  for (size_t k = 0; k < d->n_rows; k++) {
    const rs_plotdata_point *pt = &d->points[k];
    if (isfinite(pt->estimate)) { lo = fmin(lo, pt->estimate); hi = fmax(hi, pt->estimate); }
    if (isfinite(pt->ci_low)) lo = fmin(lo, pt->ci_low);
    if (isfinite(pt->ci_high)) hi = fmax(hi, pt->ci_high);
  }
  if (isfinite(d->reference)) { lo = fmin(lo, d->reference); hi = fmax(hi, d->reference); }
  rs_plot_axis ax = {0};
  rs_plot_axis_nice(&ax, lo, hi, 6, false);
  int dec = ax.decimals + 1;

  /* columns: labels | plot | n | estimate (CI) */
  rs_plot_font lf = rs_plot_font_make(0, FALSE);
  lf.valign = 0.5;
  double label_w = 0;
  for (size_t k = 0; k < d->n_rows; k++) {
    double w;
    rs_plot_text_size(p, d->rows[k], &lf, &w, NULL);
    if (w > label_w) label_w = w;
  }
  if (d->row_title) {
    rs_plot_font bf = rs_plot_font_make(0, TRUE);
    double w;
    rs_plot_text_size(p, d->row_title, &bf, &w, NULL);
    if (w > label_w) label_w = w;
  }
  label_w = fmin(label_w, r.w * 0.32);
  lf.wrap = label_w;
  lf.max_lines = 2;
  GPtrArray *est = g_ptr_array_new_with_free_func(g_free), *ns = g_ptr_array_new_with_free_func(g_free);
  double est_w = 0, n_w = 0;
  rs_plot_font sf = rs_plot_font_make(0, FALSE);
  sf.valign = 0.5;
  sf.halign = 1;
  for (size_t k = 0; k < d->n_rows; k++) {
    const rs_plotdata_point *pt = &d->points[k];
    char *e = rs_plot_format_number(pt->estimate, dec, lang);
    char *a = rs_plot_format_number(pt->ci_low, dec, lang), *b = rs_plot_format_number(pt->ci_high, dec, lang);
    char *line = isfinite(pt->ci_low) ? g_strdup_printf("%s (%s–%s)", e, a, b) : g_strdup(e);
    g_free(e); g_free(a); g_free(b);
    char *n = rs_plot_format_number((double)pt->n, 0, lang);
    double w;
    rs_plot_text_size(p, line, &sf, &w, NULL);
    if (w > est_w) est_w = w;
    rs_plot_text_size(p, n, &sf, &w, NULL);
    if (w > n_w) n_w = w;
    g_ptr_array_add(est, line);
    g_ptr_array_add(ns, n);
  }
  const char *est_head = rs_plot_tr(p, "Gj.snitt (95 % KI)", "Mean (95 % CI)");
  double hw, hh;
  rs_plot_font hf = rs_plot_font_make(0, TRUE);
  hf.valign = 1;
  rs_plot_text_size(p, est_head, &hf, &hw, &hh);
  est_w = fmax(est_w, hw);
  rs_plot_text_size(p, "n", &hf, &hw, NULL);
  n_w = fmax(n_w, hw);

  double gap = 2 * s->gap;
  double x_est = r.x + r.w, x_n = x_est - est_w - gap;
  double x0 = r.x + label_w + gap, x1 = x_n - n_w - gap;
  double top = r.y + hh + s->gap;
  double bottom = r.y + r.h - rs_plot_axis_height_x(p, rs_plot_tr(p, "Gjennomsnitt", "Mean"));
  double row_h = (bottom - top) / (double)d->n_rows;

  /* headers */
  rs_plot_set_rgb(cr, s->text);
  hf.halign = 0;
  if (d->row_title) {
    hf.wrap = label_w;
    hf.max_lines = 1;
    rs_plot_text(p, d->row_title, r.x, top - s->gap, &hf);
    hf.wrap = 0;
  }
  hf.halign = 1;
  rs_plot_text(p, "n", x_n, top - s->gap, &hf);
  rs_plot_text(p, est_head, x_est, top - s->gap, &hf);

  rs_plot_axis_draw_x(p, &ax, x0, x1, bottom, rs_plot_tr(p, "Gjennomsnitt", "Mean"), top);
  if (isfinite(d->reference)) {
    double xr = rs_plot_axis_map(&ax, d->reference, x0, x1);
    double dash[] = {3, 2};
    rs_plot_set_rgb(cr, s->muted);
    cairo_set_line_width(cr, s->thin_width);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, xr, top);
    cairo_line_to(cr, xr, bottom);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
  }
  double mk = fmin(s->marker * 1.1, row_h * 0.3);
  for (size_t k = 0; k < d->n_rows; k++) {
    const rs_plotdata_point *pt = &d->points[k];
    double y = top + row_h * ((double)k + 0.5);
    rs_plot_set_rgb(cr, s->text);
    rs_plot_text(p, d->rows[k], r.x, y, &lf);
    rs_plot_text(p, g_ptr_array_index(ns, k), x_n, y, &sf);
    rs_plot_text(p, g_ptr_array_index(est, k), x_est, y, &sf);
    rs_plot_set_rgb(cr, rs_plot_palette(0));
    if (isfinite(pt->ci_low) && isfinite(pt->ci_high)) {
      cairo_set_line_width(cr, s->line_width);
      cairo_move_to(cr, rs_plot_axis_map(&ax, pt->ci_low, x0, x1), y);
      cairo_line_to(cr, rs_plot_axis_map(&ax, pt->ci_high, x0, x1), y);
      cairo_stroke(cr);
    }
    if (isfinite(pt->estimate)) {
      double x = rs_plot_axis_map(&ax, pt->estimate, x0, x1);
      cairo_rectangle(cr, x - mk, y - mk, 2 * mk, 2 * mk);
      cairo_fill(cr);
    }
  }
  g_ptr_array_unref(est);
  g_ptr_array_unref(ns);
  return TRUE;
}
