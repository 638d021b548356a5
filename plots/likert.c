/* likert.c — the `likert` chart: one diverging stacked bar per item,
 * centred on the neutral category (half of it on each side; an even scale
 * is centred between its two middle categories), disagreement to the
 * left, agreement to the right, percentages written in the segments wide
 * enough to hold them, n per item at the right.  Items come in the order
 * of d (rs_plotdata_likert_new orders them by agreement); category labels
 * are the codebook's.  Numbers: analysis/plotdata.h. */
#include "plots/plot.h"

#include <math.h>

gboolean rs_plot_likert(rs_plot *p, const rs_plotdata_likert *d, GError **err) {
  (void)err;
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  const char *lang = rs_plot_lang(p);
  char *ntot = rs_plot_format_n(p, d->n_total);
  char *cap = g_strdup_printf("%s %s. %s",
                              rs_plot_tr(p, "Prosent av svarene på hvert utsagn; «vet ikke» og ubesvart er holdt utenfor.",
                                         "Percent of the answers to each statement; \"don't know\" and no answer are left out."),
                              ntot,
                              rs_plot_tr(p, "Utsagnene er ordnet etter andel enige.", "Statements ordered by agreement."));
  rs_plot_rect r = rs_plot_frame(p, rs_plot_tr(p, "Svarfordeling", "Distribution of answers"), NULL, cap);
  g_free(cap);
  g_free(ntot);

  size_t nc = d->n_cats;
  rs_plot_rgb *col = g_new(rs_plot_rgb, nc);
  for (size_t c = 0; c < nc; c++) col[c] = rs_plot_diverging(c, nc);
  double lh = rs_plot_legend(p, &r, (const char *const *)d->cats, col, nc);
  r.y += lh + s->gap * 1.5;
  r.h -= lh + s->gap * 1.5;

  /* left and right extents of every bar, in percent from the centre */
  double half_n = d->neutral >= 0 ? 0.5 : 0.0;
  size_t first_right = d->neutral >= 0 ? (size_t)d->neutral + 1 : nc / 2;
  size_t last_left = d->neutral >= 0 ? (size_t)d->neutral : nc / 2;  /* exclusive */
  double max_side = 0;
  for (size_t k = 0; k < d->n_items; k++) {
    const double *pc = &d->percent[k * nc];
    if (d->n[k] == 0) continue;
    double left = d->neutral >= 0 ? pc[d->neutral] * half_n : 0, right = left;
    for (size_t c = 0; c < last_left; c++) left += pc[c];
    for (size_t c = first_right; c < nc; c++) right += pc[c];
    max_side = fmax(max_side, fmax(left, right));
  }
  rs_plot_axis ax = {0};
  ax.percent = true;
  ax.absolute = true;
  double m = max_side <= 50 ? 50 : max_side <= 75 ? 75 : 100;
  rs_plot_axis_fixed(&ax, -m, m, 25);

  /* item labels at the left, n at the right */
  double label_w = r.w * 0.34;
  rs_plot_font lf = rs_plot_font_make(0, FALSE);
  lf.wrap = label_w;
  lf.max_lines = 3;
  lf.valign = 0.5;
  rs_plot_font nf = rs_plot_font_make(s->small_size, FALSE);
  nf.valign = 0.5;
  nf.halign = 1;
  double n_w = 0;
  GPtrArray *ns = g_ptr_array_new_with_free_func(g_free);
  for (size_t k = 0; k < d->n_items; k++) {
    char *n = rs_plot_format_n(p, d->n[k]);
    double w;
    rs_plot_text_size(p, n, &nf, &w, NULL);
    n_w = fmax(n_w, w);
    g_ptr_array_add(ns, n);
  }
  double x0 = r.x + label_w + 2 * s->gap, x1 = r.x + r.w - n_w - 2 * s->gap;
  double top = r.y, bottom = r.y + r.h - rs_plot_axis_height_x(p, NULL);
  double row_h = (bottom - top) / (double)d->n_items;
  double bar_h = fmin(row_h * 0.7, 28);

  /* percentages as absolute values on both sides */
  rs_plot_axis_draw_x(p, &ax, x0, x1, bottom, NULL, top);
  /* the centre line, under the bars */
  double xc = rs_plot_axis_map(&ax, 0, x0, x1);
  rs_plot_set_rgb(cr, s->axis);
  cairo_set_line_width(cr, s->thin_width);
  cairo_move_to(cr, xc, top);
  cairo_line_to(cr, xc, bottom);
  cairo_stroke(cr);
  rs_plot_font pf = rs_plot_font_make(s->small_size, FALSE);
  pf.halign = 0.5;
  pf.valign = 0.5;
  for (size_t k = 0; k < d->n_items; k++) {
    double y = top + row_h * ((double)k + 0.5);
    rs_plot_set_rgb(cr, s->text);
    rs_plot_text(p, d->items[k], r.x, y, &lf);
    rs_plot_set_rgb(cr, s->muted);
    rs_plot_text(p, g_ptr_array_index(ns, k), r.x + r.w, y, &nf);
    if (d->n[k] == 0) continue;
    const double *pc = &d->percent[k * nc];
    double start = d->neutral >= 0 ? -pc[d->neutral] * half_n : 0;
    for (size_t c = last_left; c-- > 0;) start -= pc[c];
    double pos = start;
    for (size_t c = 0; c < nc; c++) {
      double a = rs_plot_axis_map(&ax, pos, x0, x1), b = rs_plot_axis_map(&ax, pos + pc[c], x0, x1);
      rs_plot_set_rgb(cr, col[c]);
      cairo_rectangle(cr, a, y - bar_h / 2, b - a, bar_h);
      cairo_fill(cr);
      char *lab = rs_plot_format_number(pc[c], 0, lang);
      double w;
      rs_plot_text_size(p, lab, &pf, &w, NULL);
      if (b - a >= w + 2) {
        rs_plot_set_rgb(cr, rs_plot_text_on(col[c]));
        rs_plot_text(p, lab, (a + b) / 2, y, &pf);
      }
      g_free(lab);
      pos += pc[c];
    }
  }
  g_ptr_array_unref(ns);
  g_free(col);
  return TRUE;
}
