/* plot.c — the canvas: one drawing in points, written as PNG, PDF or SVG
 * through a temporary file; the frame (title, caption) and legends every
 * kind of chart shares.  See plot.h for the sequence of calls. */
#include "config.h"
#include "plots/plot.h"
#include "plots/png.h"
#include "datasets/atomic.h"
#include "datasets/error.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rs_plot {
  char *path;
  rs_plot_format format;
  double width, height;      /* points */
  double dpi;
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *bytes;         /* PDF/SVG stream, PNG after encoding */
  rs_atomic *out;
  rs_plot_style style;
  char *lang;
  char *title;               /* override, or NULL */
  char *shown_title;         /* the title drawn (PDF metadata, SVG <title>) */
  GPtrArray *texts;          /* every string drawn, for the SVG <desc> */
  gboolean borrowed;         /* drawn on a caller's cairo_t (rs_plot_new_for_cairo) */
};

int rs_plot_format_from_path(const char *path) {
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot || strchr(dot, '/')) return -1;
  if (g_ascii_strcasecmp(dot, ".png") == 0) return RS_PLOT_PNG;
  if (g_ascii_strcasecmp(dot, ".pdf") == 0) return RS_PLOT_PDF;
  if (g_ascii_strcasecmp(dot, ".svg") == 0) return RS_PLOT_SVG;
  return -1;
}

static cairo_status_t to_bytes(void *closure, const unsigned char *data, unsigned int length) {
  g_byte_array_append((GByteArray *)closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org) as the ISO 8601 date cairo
 * wants, or NULL when it is unset or not a number. */
char *rs_plot_source_date(void) {
  const char *s = g_getenv("SOURCE_DATE_EPOCH");
  if (!s || !*s) return NULL;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || v < 0) return NULL;
  time_t t = (time_t)v;
  struct tm tm;
  if (!gmtime_r(&t, &tm)) return NULL;
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return g_strdup(buf);
}

rs_plot *rs_plot_output_open(const char *path, double width_cm, double height_cm, double dpi, GError **err) {
  int fmt = rs_plot_format_from_path(path);
  if (fmt < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "%s: the output's extension must be .png, .pdf or .svg (it chooses the format)", path ? path : "(none)");
    return NULL;
  }
  if (!(width_cm >= 2 && width_cm <= 100 && height_cm >= 2 && height_cm <= 100)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the figure must be 2–100 cm wide and high, not %g x %g cm", width_cm,
                height_cm);
    return NULL;
  }
  if (dpi <= 0) dpi = RS_PLOT_DEFAULT_DPI;
  double wpx = nearbyint(width_cm / 2.54 * dpi), hpx = nearbyint(height_cm / 2.54 * dpi);
  if (fmt == RS_PLOT_PNG && (dpi < 10 || wpx > 20000 || hpx > 20000)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--dpi %g gives a %.0f x %.0f pixel PNG; use 10 dpi or more and at most 20000 pixels a side", dpi, wpx,
                hpx);
    return NULL;
  }
  rs_atomic *out = rs_atomic_open(path, err);
  if (!out) return NULL;
  rs_plot *p = g_new0(rs_plot, 1);
  p->path = g_strdup(path);
  p->format = (rs_plot_format)fmt;
  p->width = width_cm / 2.54 * 72.0;
  p->height = height_cm / 2.54 * 72.0;
  p->dpi = dpi;
  p->out = out;
  p->bytes = g_byte_array_new();
  p->texts = g_ptr_array_new_with_free_func(g_free);
  p->lang = g_strdup("nb");
  rs_plot_style_for_width(&p->style, width_cm);
  switch (p->format) {
  case RS_PLOT_PNG:
    p->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wpx, (int)hpx);
    break;
  case RS_PLOT_PDF:
    p->surface = cairo_pdf_surface_create_for_stream(to_bytes, p->bytes, p->width, p->height);
    break;
  case RS_PLOT_SVG:
    p->surface = cairo_svg_surface_create_for_stream(to_bytes, p->bytes, p->width, p->height);
    cairo_svg_surface_restrict_to_version(p->surface, CAIRO_SVG_VERSION_1_1);
    break;
  }
  if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "%s: cannot create the drawing: %s", path,
                cairo_status_to_string(cairo_surface_status(p->surface)));
    rs_plot_output_abort(p);
    return NULL;
  }
  p->cr = cairo_create(p->surface);
  if (p->format == RS_PLOT_PNG) cairo_scale(p->cr, wpx / p->width, hpx / p->height);  /* user units: points */
  return p;
}

rs_plot *rs_plot_new_for_cairo(cairo_t *cr, double x_pt, double y_pt, double w_pt, double h_pt, const char *lang,
                               GError **err) {
  if (!cr || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "cannot draw a chart: the drawing context is not usable (%s)",
                cr ? cairo_status_to_string(cairo_status(cr)) : "none");
    return NULL;
  }
  if (!(w_pt >= 2 / 2.54 * 72 && h_pt >= 2 / 2.54 * 72 && w_pt <= 100 / 2.54 * 72 && h_pt <= 100 / 2.54 * 72)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "a chart must be 2–100 cm wide and high, not %.1f x %.1f cm",
                w_pt / 72 * 2.54, h_pt / 72 * 2.54);
    return NULL;
  }
  rs_plot *p = g_new0(rs_plot, 1);
  p->borrowed = TRUE;
  cairo_surface_type_t st = cairo_surface_get_type(cairo_get_target(cr));
  p->format = st == CAIRO_SURFACE_TYPE_SVG ? RS_PLOT_SVG : st == CAIRO_SURFACE_TYPE_IMAGE ? RS_PLOT_PNG : RS_PLOT_PDF;
  p->width = w_pt;
  p->height = h_pt;
  p->dpi = 72;
  p->bytes = g_byte_array_new();
  p->texts = g_ptr_array_new_with_free_func(g_free);
  p->lang = g_strdup(lang && strcmp(lang, "en") == 0 ? "en" : "nb");
  rs_plot_style_for_width(&p->style, w_pt / 72 * 2.54);
  p->cr = cairo_reference(cr);
  /* The chart sees a canvas whose origin is the rectangle's corner, and
   * nothing it paints (rs_plot_frame's background) leaves the rectangle. */
  cairo_save(cr);
  cairo_translate(cr, x_pt, y_pt);
  cairo_rectangle(cr, 0, 0, w_pt, h_pt);
  cairo_clip(cr);
  cairo_new_path(cr);
  return p;
}

cairo_t *rs_plot_cr(rs_plot *p) { return p->cr; }
rs_plot_format rs_plot_get_format(const rs_plot *p) { return p->format; }
const rs_plot_style *rs_plot_get_style(const rs_plot *p) { return &p->style; }
double rs_plot_width(const rs_plot *p) { return p->width; }
double rs_plot_height(const rs_plot *p) { return p->height; }
const char *rs_plot_lang(const rs_plot *p) { return p->lang; }

void rs_plot_set_lang(rs_plot *p, const char *lang) {
  g_free(p->lang);
  p->lang = g_strdup(lang && strcmp(lang, "en") == 0 ? "en" : "nb");
}

const char *rs_plot_tr(const rs_plot *p, const char *nb, const char *en) {
  return strcmp(p->lang, "en") == 0 ? en : nb;
}

void rs_plot_set_title(rs_plot *p, const char *title) {
  g_free(p->title);
  p->title = g_strdup(title);
}

void rs_plot_record_text(rs_plot *p, const char *text) {
  if (text && *text) g_ptr_array_add(p->texts, g_strdup(text));
}

char *rs_plot_format_n(const rs_plot *p, size_t n) {
  char *num = rs_plot_format_number((double)n, 0, p->lang);
  char *s = g_strdup_printf("n\u00a0=\u00a0%s", num);
  g_free(num);
  return s;
}

static void plot_free(rs_plot *p) {
  if (p->cr) cairo_destroy(p->cr);
  if (p->surface) cairo_surface_destroy(p->surface);
  g_byte_array_unref(p->bytes);
  g_ptr_array_unref(p->texts);
  g_free(p->path);
  g_free(p->lang);
  g_free(p->title);
  g_free(p->shown_title);
  g_free(p);
}

void rs_plot_free(rs_plot *p) {
  if (!p) return;
  if (!p->borrowed) {
    rs_plot_output_abort(p);
    return;
  }
  cairo_restore(p->cr);  /* the state rs_plot_new_for_cairo saved: translation and clip gone */
  plot_free(p);
}

void rs_plot_output_abort(rs_plot *p) {
  if (!p) return;
  if (p->borrowed) {
    rs_plot_free(p);
    return;
  }
  if (p->out) rs_atomic_abort(p->out);
  if (p->surface) cairo_surface_finish(p->surface);
  plot_free(p);
}

/* The SVG with <title> and <desc> inserted after the opening <svg …> tag. */
static GString *svg_with_text(const rs_plot *p) {
  GString *g = g_string_new_len((const char *)p->bytes->data, (gssize)p->bytes->len);
  const char *svg = strstr(g->str, "<svg");
  const char *close = svg ? strchr(svg, '>') : NULL;
  if (!close) return g;
  GString *meta = g_string_new("\n");
  char *t = g_markup_escape_text(p->shown_title ? p->shown_title : "", -1);
  g_string_append_printf(meta, "<title>%s</title>\n<desc>", t);
  g_free(t);
  for (guint i = 0; i < p->texts->len; i++) {
    char *e = g_markup_escape_text(g_ptr_array_index(p->texts, i), -1);
    g_string_append_printf(meta, "%s%s", i ? "\n" : "", e);
    g_free(e);
  }
  g_string_append(meta, "</desc>");
  g_string_insert_len(g, close - g->str + 1, meta->str, (gssize)meta->len);
  g_string_free(meta, TRUE);
  return g;
}

gboolean rs_plot_output_close(rs_plot *p, GError **err) {
  if (p->borrowed) {  /* nothing to write: the caller owns the surface */
    rs_plot_free(p);
    return TRUE;
  }
  if (p->format == RS_PLOT_PDF) {
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "reformstat " PACKAGE_VERSION);
    if (p->shown_title) cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, p->shown_title);
    /* cairo 1.16 stamps the current time unless told otherwise; an empty
     * date is not ISO 8601, which makes cairo drop /CreationDate entirely
     * (iso8601_to_pdf_date_string returns NULL), so the output does not
     * depend on the clock. */
    char *date = rs_plot_source_date();
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, date ? date : "");
    g_free(date);
  }
  cairo_destroy(p->cr);
  p->cr = NULL;
  cairo_status_t st = CAIRO_STATUS_SUCCESS;
  if (p->format == RS_PLOT_PNG) {
    cairo_surface_flush(p->surface);
    st = rs_plot_png_encode(p->surface, p->dpi, p->bytes);  /* plots/png.h: 4-5x faster than cairo's writer */
  } else {
    cairo_surface_finish(p->surface);
    st = cairo_surface_status(p->surface);
  }
  if (st != CAIRO_STATUS_SUCCESS) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "%s: cannot draw the figure: %s (nothing was written)", p->path,
                cairo_status_to_string(st));
    rs_plot_output_abort(p);
    return FALSE;
  }
  FILE *fp = rs_atomic_file(p->out);
  if (p->format == RS_PLOT_SVG) {
    GString *g = svg_with_text(p);
    fwrite(g->str, 1, g->len, fp);
    g_string_free(g, TRUE);
  } else {
    fwrite(p->bytes->data, 1, p->bytes->len, fp);
  }
  gboolean ok = rs_atomic_commit(p->out, err);  /* reports a failed write and removes the temporary file */
  p->out = NULL;
  plot_free(p);
  return ok;
}

rs_plot_rect rs_plot_frame(rs_plot *p, const char *title, const char *subtitle, const char *caption) {
  cairo_t *cr = p->cr;
  const rs_plot_style *s = &p->style;
  rs_plot_set_rgb(cr, s->background);
  cairo_paint(cr);
  rs_plot_rect r = {s->margin, s->margin, p->width - 2 * s->margin, p->height - 2 * s->margin};
  const char *t = p->title ? p->title : title;
  g_free(p->shown_title);
  p->shown_title = g_strdup(t);
  if (t && *t) {
    rs_plot_font f = rs_plot_font_make(s->title_size, TRUE);
    f.wrap = r.w;
    f.max_lines = 3;
    rs_plot_set_rgb(cr, s->text);
    double h = rs_plot_text(p, t, r.x, r.y, &f);
    r.y += h + s->gap * 0.5;
    r.h -= h + s->gap * 0.5;
  }
  if (subtitle && *subtitle) {
    rs_plot_font f = rs_plot_font_make(s->font_size, FALSE);
    f.wrap = r.w;
    f.max_lines = 2;
    rs_plot_set_rgb(cr, s->muted);
    double h = rs_plot_text(p, subtitle, r.x, r.y, &f);
    r.y += h;
    r.h -= h;
  }
  r.y += s->gap;
  r.h -= s->gap;
  if (caption && *caption) {
    rs_plot_font f = rs_plot_font_make(s->small_size, FALSE);
    f.wrap = r.w;
    f.max_lines = 4;
    f.valign = 1;
    rs_plot_set_rgb(cr, s->muted);
    double h = rs_plot_text(p, caption, r.x, r.y + r.h, &f);
    r.h -= h + s->gap;
  }
  rs_plot_set_rgb(cr, s->text);
  return r;
}

/* Lays the legend out; draws when `draw`.  Returns its height. */
static double legend(rs_plot *p, const rs_plot_rect *r, const char *const *labels, const rs_plot_rgb *colors,
                     size_t n, bool draw) {
  const rs_plot_style *s = &p->style;
  rs_plot_font f = rs_plot_font_make(s->font_size, FALSE);
  f.valign = 0.5;
  double lh;
  rs_plot_text_size(p, "Ag", &f, NULL, &lh);
  double box = lh * 0.7, x = r->x, y = r->y + lh / 2;
  for (size_t i = 0; i < n; i++) {
    double w;
    rs_plot_text_size(p, labels[i], &f, &w, NULL);
    double item = box + s->gap + w;
    if (x > r->x && x + item > r->x + r->w) {
      x = r->x;
      y += lh * 1.2;
    }
    if (draw) {
      rs_plot_set_rgb(p->cr, colors[i]);
      cairo_rectangle(p->cr, x, y - box / 2, box, box);
      cairo_fill(p->cr);
      rs_plot_set_rgb(p->cr, s->text);
      rs_plot_text(p, labels[i], x + box + s->gap * 0.7, y, &f);
    }
    x += item + 2.5 * s->gap;
  }
  return y + lh / 2 - r->y;
}

double rs_plot_legend(rs_plot *p, const rs_plot_rect *r, const char *const *labels, const rs_plot_rgb *colors,
                      size_t n) {
  return legend(p, r, labels, colors, n, true);
}

double rs_plot_legend_height(rs_plot *p, double width, const char *const *labels, size_t n) {
  rs_plot_rect r = {0, 0, width, 0};
  return legend(p, &r, labels, NULL, n, false);
}
