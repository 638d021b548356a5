/* text.c — pango text on a canvas (see text.h). */
#include "plots/plot.h"

#include <math.h>

rs_plot_font rs_plot_font_make(double size, gboolean bold) {
  rs_plot_font f = {0};
  f.size = size;
  f.bold = bold;
  return f;
}

PangoLayout *rs_plot_text_layout(rs_plot *p, const char *text, const rs_plot_font *f) {
  cairo_t *cr = rs_plot_cr(p);
  const rs_plot_style *s = rs_plot_get_style(p);
  PangoLayout *l = pango_cairo_create_layout(cr);
  PangoContext *ctx = pango_layout_get_context(l);
  /* One point per user unit on every surface, and metrics that do not
   * depend on the surface's hinting, so PNG, PDF and SVG lay out alike. */
  pango_cairo_context_set_resolution(ctx, 72.0);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(ctx, fo);
  cairo_font_options_destroy(fo);
  pango_layout_context_changed(l);
  PangoFontDescription *d = pango_font_description_from_string(s->font_family);
  pango_font_description_set_absolute_size(d, (f && f->size > 0 ? f->size : s->font_size) * PANGO_SCALE);
  if (f && f->bold) pango_font_description_set_weight(d, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(l, d);
  pango_font_description_free(d);
  if (f && f->wrap > 0) {
    pango_layout_set_width(l, (int)(f->wrap * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    if (f->max_lines > 0) {
      pango_layout_set_height(l, -f->max_lines);
      pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    }
    pango_layout_set_alignment(l, f->halign >= 0.75 ? PANGO_ALIGN_RIGHT
                                  : f->halign >= 0.25 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  }
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

/* Logical extent of the ink actually laid out: with wrapping, the width of
 * the longest line rather than the wrap width. */
static void layout_box(PangoLayout *l, double *x, double *w, double *h) {
  PangoRectangle log;
  pango_layout_get_extents(l, NULL, &log);
  *x = (double)log.x / PANGO_SCALE;
  *w = (double)log.width / PANGO_SCALE;
  *h = (double)log.height / PANGO_SCALE;
}

void rs_plot_text_size(rs_plot *p, const char *text, const rs_plot_font *f, double *w, double *h) {
  PangoLayout *l = rs_plot_text_layout(p, text, f);
  double x, ww, hh;
  layout_box(l, &x, &ww, &hh);
  if (w) *w = ww;
  if (h) *h = hh;
  g_object_unref(l);
}

double rs_plot_text(rs_plot *p, const char *text, double x, double y, const rs_plot_font *f) {
  if (!text || !*text) return 0;
  rs_plot_font def = rs_plot_font_make(0, FALSE);
  if (!f) f = &def;
  cairo_t *cr = rs_plot_cr(p);
  PangoLayout *l = rs_plot_text_layout(p, text, f);
  double lx, w, h;
  layout_box(l, &lx, &w, &h);
  cairo_save(cr);
  cairo_translate(cr, x, y);
  if (f->angle != 0) cairo_rotate(cr, -f->angle * G_PI / 180.0);
  cairo_move_to(cr, -lx - f->halign * w, -f->valign * h);
  pango_cairo_update_layout(cr, l);
  pango_cairo_show_layout(cr, l);
  cairo_restore(cr);
  rs_plot_record_text(p, text);
  g_object_unref(l);
  return h;
}
