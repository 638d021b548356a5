/* axis.c — nice ticks, number formatting, axis drawing (see axis.h). */
#include "plots/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define THIN_NBSP "\u202f"   /* NARROW NO-BREAK SPACE: thousands in nb */
#define NBSP "\u00a0"
#define MINUS "\u2212"

static double nice_step(double range, int max_ticks) {
  double raw = range / (max_ticks - 1);
  double mag = pow(10.0, floor(log10(raw)));
  double r = raw / mag;
  double m = r <= 1.0 ? 1.0 : r <= 2.0 ? 2.0 : r <= 5.0 ? 5.0 : 10.0;
  return m * mag;
}

static int decimals_for(double step) {
  int d = 0;
  for (double s = step; d < 10 && fabs(s - nearbyint(s)) > 1e-9 * fmax(1.0, fabs(s)); s *= 10) d++;
  return d;
}

static void fill_ticks(rs_plot_axis *a) {
  a->n_ticks = 0;
  double first = ceil(a->lo / a->step - 1e-9);
  for (double k = first; a->n_ticks < RS_PLOT_MAX_TICKS; k++) {
    double v = k * a->step;
    if (v > a->hi + 1e-9 * a->step) break;
    if (fabs(v) < 1e-12 * a->step) v = 0;  /* no "-0" */
    a->ticks[a->n_ticks++] = v;
  }
  a->decimals = decimals_for(a->step);
}

void rs_plot_axis_nice(rs_plot_axis *a, double lo, double hi, int max_ticks, bool include_zero) {
  bool pct = a->percent, abs_ = a->absolute;
  memset(a, 0, sizeof *a);
  a->percent = pct;
  a->absolute = abs_;
  if (max_ticks < 2) max_ticks = 2;
  if (max_ticks > RS_PLOT_MAX_TICKS) max_ticks = RS_PLOT_MAX_TICKS;
  if (include_zero) {
    if (lo > 0) lo = 0;
    if (hi < 0) hi = 0;
  }
  if (hi < lo) { double t = lo; lo = hi; hi = t; }
  if (hi - lo < 1e-12 * fmax(1.0, fabs(hi))) {
    lo -= 0.5;
    hi += 0.5;
  }
  double step = nice_step(hi - lo, max_ticks);
  /* widening lo and hi to whole steps may add a tick too many: next 1-2-5 step */
  while (ceil(hi / step - 1e-9) - floor(lo / step + 1e-9) + 1 > max_ticks) step = nice_step(step * 1.01 * (max_ticks - 1), max_ticks);
  a->step = step;
  a->lo = floor(lo / step + 1e-9) * step;
  a->hi = ceil(hi / step - 1e-9) * step;
  fill_ticks(a);
}

void rs_plot_axis_fixed(rs_plot_axis *a, double lo, double hi, double step) {
  bool pct = a->percent, abs_ = a->absolute;
  memset(a, 0, sizeof *a);
  a->percent = pct;
  a->absolute = abs_;
  a->lo = lo;
  a->hi = hi;
  a->step = step;
  fill_ticks(a);
}

double rs_plot_axis_map(const rs_plot_axis *a, double v, double p_lo, double p_hi) {
  return p_lo + (v - a->lo) / (a->hi - a->lo) * (p_hi - p_lo);
}

char *rs_plot_format_number(double v, int decimals, const char *lang) {
  bool nb = !lang || strcmp(lang, "en") != 0;
  if (!isfinite(v)) return g_strdup(isnan(v) ? "–" : v > 0 ? "∞" : MINUS "∞");
  if (decimals < 0) decimals = 0;
  char buf[64];
  snprintf(buf, sizeof buf, "%.*f", decimals, fabs(v));
  bool zero = true;  /* "-0,0" is shown as "0,0" */
  for (const char *c = buf; *c; c++) zero = zero && (*c == '0' || *c == '.');
  const char *dot = strchr(buf, '.');
  size_t int_len = dot ? (size_t)(dot - buf) : strlen(buf);
  GString *g = g_string_new(v < 0 && !zero ? MINUS : "");
  for (size_t i = 0; i < int_len; i++) {
    /* from 1 000 on, so that the labels of one axis look alike */
    if (i > 0 && (int_len - i) % 3 == 0) g_string_append(g, nb ? THIN_NBSP : ",");
    g_string_append_c(g, buf[i]);
  }
  if (dot) {
    g_string_append(g, nb ? "," : ".");
    g_string_append(g, dot + 1);
  }
  return g_string_free(g, FALSE);
}

char *rs_plot_format_percent(double v, int decimals, const char *lang) {
  char *n = rs_plot_format_number(v, decimals, lang);
  bool nb = !lang || strcmp(lang, "en") != 0;
  char *s = g_strconcat(n, nb ? NBSP "%" : "%", NULL);
  g_free(n);
  return s;
}

char *rs_plot_axis_label(const rs_plot_axis *a, double v, const char *lang) {
  if (a->absolute) v = fabs(v);
  return a->percent ? rs_plot_format_percent(v, a->decimals, lang) : rs_plot_format_number(v, a->decimals, lang);
}

double rs_plot_axis_label_width(rs_plot *p, const rs_plot_axis *a) {
  double wmax = 0;
  rs_plot_font f = rs_plot_font_make(0, FALSE);
  for (int i = 0; i < a->n_ticks; i++) {
    char *s = rs_plot_axis_label(a, a->ticks[i], rs_plot_lang(p));
    double w;
    rs_plot_text_size(p, s, &f, &w, NULL);
    if (w > wmax) wmax = w;
    g_free(s);
  }
  return wmax;
}

double rs_plot_axis_height_x(rs_plot *p, const char *title) {
  const rs_plot_style *s = rs_plot_get_style(p);
  rs_plot_font f = rs_plot_font_make(0, FALSE);
  double h;
  rs_plot_text_size(p, "0", &f, NULL, &h);
  double total = s->tick_length + s->gap * 0.5 + h;
  if (title && *title) total += s->gap + h;
  return total;
}

double rs_plot_axis_draw_x(rs_plot *p, const rs_plot_axis *a, double x0, double x1, double y, const char *title,
                           double grid_top) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  if (grid_top < y) {
    rs_plot_set_rgb(cr, s->grid);
    cairo_set_line_width(cr, s->grid_width);
    for (int i = 0; i < a->n_ticks; i++) {
      double x = rs_plot_axis_map(a, a->ticks[i], x0, x1);
      cairo_move_to(cr, x, grid_top);
      cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
  }
  rs_plot_set_rgb(cr, s->axis);
  cairo_set_line_width(cr, s->thin_width);
  cairo_move_to(cr, x0, y);
  cairo_line_to(cr, x1, y);
  for (int i = 0; i < a->n_ticks; i++) {
    double x = rs_plot_axis_map(a, a->ticks[i], x0, x1);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x, y + s->tick_length);
  }
  cairo_stroke(cr);
  rs_plot_set_rgb(cr, s->text);
  rs_plot_font f = rs_plot_font_make(0, FALSE);
  f.halign = 0.5;
  double h = 0;
  for (int i = 0; i < a->n_ticks; i++) {
    char *lab = rs_plot_axis_label(a, a->ticks[i], rs_plot_lang(p));
    h = rs_plot_text(p, lab, rs_plot_axis_map(a, a->ticks[i], x0, x1), y + s->tick_length + s->gap * 0.5, &f);
    g_free(lab);
  }
  if (title && *title) {
    f.wrap = x1 - x0;
    f.max_lines = 1;  /* one line, ellipsized: the height rs_plot_axis_height_x promised */
    rs_plot_text(p, title, (x0 + x1) / 2, y + s->tick_length + s->gap * 1.5 + h, &f);
  }
  return rs_plot_axis_height_x(p, title);
}

double rs_plot_axis_width_y(rs_plot *p, const rs_plot_axis *a, const char *title) {
  const rs_plot_style *s = rs_plot_get_style(p);
  double w = s->tick_length + s->gap * 0.5 + rs_plot_axis_label_width(p, a);
  if (title && *title) {
    double h;
    rs_plot_font f = rs_plot_font_make(0, FALSE);
    rs_plot_text_size(p, title, &f, NULL, &h);
    w += s->gap + h;
  }
  return w;
}

double rs_plot_axis_draw_y(rs_plot *p, const rs_plot_axis *a, double y0, double y1, double x, const char *title,
                           double grid_right) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  if (grid_right > x) {
    rs_plot_set_rgb(cr, s->grid);
    cairo_set_line_width(cr, s->grid_width);
    for (int i = 0; i < a->n_ticks; i++) {
      double y = rs_plot_axis_map(a, a->ticks[i], y0, y1);
      cairo_move_to(cr, x, y);
      cairo_line_to(cr, grid_right, y);
    }
    cairo_stroke(cr);
  }
  rs_plot_set_rgb(cr, s->axis);
  cairo_set_line_width(cr, s->thin_width);
  cairo_move_to(cr, x, y0);
  cairo_line_to(cr, x, y1);
  for (int i = 0; i < a->n_ticks; i++) {
    double y = rs_plot_axis_map(a, a->ticks[i], y0, y1);
    cairo_move_to(cr, x - s->tick_length, y);
    cairo_line_to(cr, x, y);
  }
  cairo_stroke(cr);
  rs_plot_set_rgb(cr, s->text);
  rs_plot_font f = rs_plot_font_make(0, FALSE);
  f.halign = 1;
  f.valign = 0.5;
  for (int i = 0; i < a->n_ticks; i++) {
    char *lab = rs_plot_axis_label(a, a->ticks[i], rs_plot_lang(p));
    rs_plot_text(p, lab, x - s->tick_length - s->gap * 0.5, rs_plot_axis_map(a, a->ticks[i], y0, y1), &f);
    g_free(lab);
  }
  double w = rs_plot_axis_width_y(p, a, title);
  if (title && *title) {
    rs_plot_font t = rs_plot_font_make(0, FALSE);
    t.angle = 90;
    t.halign = 0.5;
    t.valign = 0;
    t.wrap = fabs(y0 - y1);
    t.max_lines = 1;
    rs_plot_text(p, title, x - w, (y0 + y1) / 2, &t);
  }
  return w;
}
