/* distribution.c — the `distribution` chart of one variable, by group:
 * a histogram per group (small multiples sharing the bins and the x axis,
 * so the groups compare at a glance) or one horizontal box plot per group
 * (box: quartiles, line: median, whiskers: the most extreme values within
 * 1.5 IQR, dots: values beyond them, diamond: mean).  n per group is
 * written with its label.  Numbers: rs_plotdata_dist (analysis/plotdata.h). */
#include "plots/plot.h"

#include <math.h>
#include <string.h>

static char *group_label(rs_plot *p, const rs_plotdata_group *g) {
  char *n = rs_plot_format_n(p, g->n);
  char *s = g_strdup_printf("%s (%s)", g->label, n);
  g_free(n);
  return s;
}

static void draw_hist(rs_plot *p, const rs_plotdata_dist *d, rs_plot_rect r) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  rs_plot_axis ax = {0};
  rs_plot_axis_nice(&ax, d->breaks[0], d->breaks[d->n_bins], 8, false);
  size_t cmax = 1;
  for (size_t g = 0; g < d->n_groups; g++)
    for (size_t b = 0; b < d->n_bins; b++) cmax = d->groups[g].counts[b] > cmax ? d->groups[g].counts[b] : cmax;
  /* each panel its own count axis: groups differ in size, shapes are what is compared */
  rs_plot_axis ywidest = {0};
  rs_plot_axis_nice(&ywidest, 0, (double)cmax, 4, true);
  const char *ytitle = rs_plot_tr(p, "Antall", "Count");
  double yw = rs_plot_axis_width_y(p, &ywidest, ytitle);
  double x0 = r.x + yw, x1 = r.x + r.w - s->gap;
  double bottom = r.y + r.h - rs_plot_axis_height_x(p, d->var_label);
  rs_plot_font tf = rs_plot_font_make(0, TRUE);
  tf.wrap = x1 - x0;
  tf.max_lines = 1;
  double th;
  rs_plot_text_size(p, "Ag", &tf, NULL, &th);
  double panel = (bottom - r.y) / (double)d->n_groups;
  for (size_t g = 0; g < d->n_groups; g++) {
    const rs_plotdata_group *gr = &d->groups[g];
    double ptop = r.y + panel * (double)g, pbot = ptop + panel - s->gap * 2;
    if (g == d->n_groups - 1) pbot = bottom;
    char *lab = group_label(p, gr);
    rs_plot_set_rgb(cr, s->text);
    rs_plot_text(p, lab, x0, ptop, &tf);
    g_free(lab);
    double ytop = ptop + th + s->gap;
    size_t gmax = 1;
    for (size_t b = 0; b < d->n_bins; b++) gmax = gr->counts[b] > gmax ? gr->counts[b] : gmax;
    rs_plot_axis ya = {0};
    rs_plot_axis_nice(&ya, 0, (double)gmax, 4, true);
    rs_plot_axis_draw_y(p, &ya, pbot, ytop, x0, d->n_groups == 1 || g == d->n_groups / 2 ? ytitle : NULL, x1);
    rs_plot_set_rgb(cr, rs_plot_palette(0));
    for (size_t b = 0; b < d->n_bins; b++) {
      if (!gr->counts[b]) continue;
      double a = rs_plot_axis_map(&ax, d->breaks[b], x0, x1), c = rs_plot_axis_map(&ax, d->breaks[b + 1], x0, x1);
      double y = rs_plot_axis_map(&ya, (double)gr->counts[b], pbot, ytop);
      cairo_rectangle(cr, a + 0.25, y, c - a - 0.5, pbot - y);  /* a hairline of white between bars */
    }
    cairo_fill(cr);
    if (g != d->n_groups - 1) {
      rs_plot_set_rgb(cr, s->axis);
      cairo_set_line_width(cr, s->thin_width);
      cairo_move_to(cr, x0, pbot);
      cairo_line_to(cr, x1, pbot);
      cairo_stroke(cr);
    }
  }
  rs_plot_axis_draw_x(p, &ax, x0, x1, bottom, d->var_label, bottom);
}

static void draw_box(rs_plot *p, const rs_plotdata_dist *d, rs_plot_rect r) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  double lo = INFINITY, hi = -INFINITY;
  for (size_t g = 0; g < d->n_groups; g++)
    if (d->groups[g].n) { lo = fmin(lo, d->groups[g].min); hi = fmax(hi, d->groups[g].max); }
  rs_plot_axis ax = {0};
  rs_plot_axis_nice(&ax, lo, hi, 8, false);
  rs_plot_font lf = rs_plot_font_make(0, FALSE);
  lf.valign = 0.5;
  double label_w = 0;
  GPtrArray *labs = g_ptr_array_new_with_free_func(g_free);
  for (size_t g = 0; g < d->n_groups; g++) {
    char *l = group_label(p, &d->groups[g]);
    double w;
    rs_plot_text_size(p, l, &lf, &w, NULL);
    label_w = fmax(label_w, w);
    g_ptr_array_add(labs, l);
  }
  label_w = fmin(label_w, r.w * 0.38);
  lf.wrap = label_w;
  lf.max_lines = 2;
  double x0 = r.x + label_w + 2 * s->gap, x1 = r.x + r.w - s->gap;
  double bottom = r.y + r.h - rs_plot_axis_height_x(p, d->var_label);
  rs_plot_axis_draw_x(p, &ax, x0, x1, bottom, d->var_label, r.y);
  double row_h = (bottom - r.y) / (double)d->n_groups;
  double bh = fmin(row_h * 0.55, 22);
  for (size_t g = 0; g < d->n_groups; g++) {
    const rs_plotdata_group *gr = &d->groups[g];
    double y = r.y + row_h * ((double)g + 0.5);
    rs_plot_set_rgb(cr, s->text);
    rs_plot_text(p, g_ptr_array_index(labs, g), r.x, y, &lf);
    if (!gr->n) continue;
#define X(v) rs_plot_axis_map(&ax, (v), x0, x1)
    rs_plot_rgb fill = rs_plot_palette(0);
    cairo_set_line_width(cr, s->thin_width * 1.5);
    rs_plot_set_rgb(cr, s->axis);
    cairo_move_to(cr, X(gr->whisker_lo), y);
    cairo_line_to(cr, X(gr->q1), y);
    cairo_move_to(cr, X(gr->q3), y);
    cairo_line_to(cr, X(gr->whisker_hi), y);
    cairo_move_to(cr, X(gr->whisker_lo), y - bh / 4);
    cairo_line_to(cr, X(gr->whisker_lo), y + bh / 4);
    cairo_move_to(cr, X(gr->whisker_hi), y - bh / 4);
    cairo_line_to(cr, X(gr->whisker_hi), y + bh / 4);
    cairo_stroke(cr);
    cairo_rectangle(cr, X(gr->q1), y - bh / 2, X(gr->q3) - X(gr->q1), bh);
    cairo_set_source_rgb(cr, 0.5 + fill.r / 2, 0.5 + fill.g / 2, 0.5 + fill.b / 2);
    cairo_fill_preserve(cr);
    rs_plot_set_rgb(cr, fill);
    cairo_stroke(cr);
    cairo_set_line_width(cr, s->line_width * 1.6);
    cairo_move_to(cr, X(gr->median), y - bh / 2);
    cairo_line_to(cr, X(gr->median), y + bh / 2);
    cairo_stroke(cr);
    /* values beyond the whiskers (each distinct value once) */
    cairo_set_line_width(cr, s->thin_width);
    rs_plot_set_rgb(cr, s->axis);
    for (size_t k = 0; k < gr->n; k++) {
      double v = gr->values[k];
      if ((v >= gr->whisker_lo && v <= gr->whisker_hi) || (k > 0 && gr->values[k - 1] == v)) continue;
      cairo_new_sub_path(cr);
      cairo_arc(cr, X(v), y, s->marker * 0.7, 0, 2 * G_PI);
    }
    cairo_stroke(cr);
    /* mean */
    double xm = X(gr->mean), m = s->marker;
    cairo_move_to(cr, xm, y - m);
    cairo_line_to(cr, xm + m, y);
    cairo_line_to(cr, xm, y + m);
    cairo_line_to(cr, xm - m, y);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    rs_plot_set_rgb(cr, s->text);
    cairo_stroke(cr);
#undef X
  }
  g_ptr_array_unref(labs);
}

gboolean rs_plot_distribution(rs_plot *p, const rs_plotdata_dist *d, rs_plot_dist_style style, GError **err) {
  (void)err;
  char *ntot = rs_plot_format_n(p, d->n_total);
  char *cap = style == RS_PLOT_DIST_BOX
    ? g_strdup_printf("%s %s.", rs_plot_tr(p,
        "Boks: kvartiler; strek: median; ruter: gjennomsnitt; linjer: verdier innenfor 1,5 × kvartilavstanden; sirkler: verdier utenfor.",
        "Box: quartiles; line: median; diamond: mean; whiskers: values within 1.5 × IQR; circles: values beyond."), ntot)
    : g_strdup_printf("%s %s.", rs_plot_tr(p, "Antall svar i hvert intervall (felles intervaller for alle grupper).",
                                           "Number of answers in each interval (the same intervals for every group)."), ntot);
  char *sub = d->group_title ? g_strdup_printf("%s: %s", rs_plot_tr(p, "Grupper", "Groups"), d->group_title) : NULL;
  rs_plot_rect r = rs_plot_frame(p, d->var_label, sub, cap);
  g_free(sub);
  g_free(cap);
  g_free(ntot);
  if (style == RS_PLOT_DIST_BOX) draw_box(p, d, r);
  else draw_hist(p, d, r);
  return TRUE;
}
