/* scale.c — sequential colours (reversed viridis) and a colour bar. */
#include "plots/scale.h"

#include <math.h>

/* viridis (matplotlib) at t = 0, 1/8, …, 1. */
static const unsigned char viridis[9][3] = {
  {68, 1, 84}, {71, 44, 122}, {59, 82, 139}, {44, 113, 142}, {33, 145, 140},
  {40, 174, 128}, {94, 201, 98}, {173, 220, 48}, {253, 231, 37},
};

rs_plot_rgb rs_plot_sequential(double t) {
  if (isnan(t)) return (rs_plot_rgb){0.8, 0.8, 0.8};
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  double u = (1 - t) * 8;   /* reversed: t = 0 is the light end */
  int k = (int)floor(u);
  if (k >= 8) k = 7;
  double f = u - k;
  rs_plot_rgb c;
  c.r = ((1 - f) * viridis[k][0] + f * viridis[k + 1][0]) / 255.0;
  c.g = ((1 - f) * viridis[k][1] + f * viridis[k + 1][1]) / 255.0;
  c.b = ((1 - f) * viridis[k][2] + f * viridis[k + 1][2]) / 255.0;
  return c;
}

double rs_plot_colorbar_height(rs_plot *p, const char *title) {
  const rs_plot_style *s = rs_plot_get_style(p);
  rs_plot_font f = rs_plot_font_make(s->small_size, FALSE);
  double h;
  rs_plot_text_size(p, "0", &f, NULL, &h);
  double bar = h * 0.9;
  return (title && *title ? h + s->gap * 0.5 : 0) + bar + s->tick_length * 0.7 + h;
}

double rs_plot_colorbar(rs_plot *p, const rs_plot_axis *a, double x, double y, double w, const char *title,
                        bool log_scale) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  rs_plot_font f = rs_plot_font_make(s->small_size, FALSE);
  double h;
  rs_plot_text_size(p, "0", &f, NULL, &h);
  double y0 = y;
  if (title && *title) {
    rs_plot_set_rgb(cr, s->text);
    rs_plot_text(p, title, x, y, &f);
    y += h + s->gap * 0.5;
  }
  double bar = h * 0.9;
  /* The bar as 64 steps: the same in PNG, PDF and SVG (no gradient objects). */
  const int steps = 64;
  for (int i = 0; i < steps; i++) {
    rs_plot_set_rgb(cr, rs_plot_sequential((i + 0.5) / steps));
    cairo_rectangle(cr, x + w * i / steps, y, w / steps + 0.3, bar);
    cairo_fill(cr);
  }
  rs_plot_set_rgb(cr, s->axis);
  cairo_set_line_width(cr, s->thin_width);
  f.halign = 0.5;
  for (int i = 0; i < a->n_ticks; i++) {
    double tx = rs_plot_axis_map(a, a->ticks[i], x, x + w);
    cairo_move_to(cr, tx, y + bar);
    cairo_line_to(cr, tx, y + bar + s->tick_length * 0.7);
  }
  cairo_stroke(cr);
  rs_plot_set_rgb(cr, s->text);
  for (int i = 0; i < a->n_ticks; i++) {
    double tx = rs_plot_axis_map(a, a->ticks[i], x, x + w);
    char *lab = log_scale ? rs_plot_format_number(pow(10, a->ticks[i]), 0, rs_plot_lang(p))
                          : rs_plot_axis_label(a, a->ticks[i], rs_plot_lang(p));
    rs_plot_text(p, lab, tx, y + bar + s->tick_length * 0.7, &f);
    g_free(lab);
  }
  return y + bar + s->tick_length * 0.7 + h - y0;
}
