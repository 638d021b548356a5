/* test-plot.c — the plots module below the command line: 1-2-5 ticks,
 * Norwegian and English number formats, output format by extension,
 * rejection of infinite values, and two small charts drawn from the
 * bundled sample compared pixel by pixel with reference images.
 *
 * Where the expected values come from: ticks and formats are worked out
 * by hand (R's pretty(c(0.13, 0.87)) gives 0.2-spaced ticks 0…1, as here);
 * "1 000,5" with a narrow no-break space is the brief's Norwegian format.
 * The reference images tests/data/plots/{box,prepost}.png were drawn by
 * this program (RS_PLOT_REGEN=1 tests/test-plot rewrites them) and looked
 * at; a pixel counts as different when a channel differs by more than 64
 * of 255, and at most 1.5 % of the pixels may differ, which absorbs font
 * rasteriser updates but not a moved axis, bar or label.
 */
#include "analysis/plotdata.h"
#include "datasets/load.h"
#include "plots/plot.h"
#include "tests/tap.h"

#include <glib/gstdio.h>
#include <stdlib.h>

static const char *srcdir(void) {
  const char *s = getenv("top_srcdir");
  return s ? s : ".";
}

/* Fraction of pixels of a and b differing by more than tol in a channel;
 * -1 when the sizes differ or a file cannot be read. */
static double png_diff(const char *a, const char *b, int tol, int *w, int *h) {
  cairo_surface_t *x = cairo_image_surface_create_from_png(a), *y = cairo_image_surface_create_from_png(b);
  double frac = -1;
  if (cairo_surface_status(x) == CAIRO_STATUS_SUCCESS && cairo_surface_status(y) == CAIRO_STATUS_SUCCESS) {
    *w = cairo_image_surface_get_width(x);
    *h = cairo_image_surface_get_height(x);
    if (*w == cairo_image_surface_get_width(y) && *h == cairo_image_surface_get_height(y)) {
      cairo_surface_flush(x);
      cairo_surface_flush(y);
      const unsigned char *dx = cairo_image_surface_get_data(x), *dy = cairo_image_surface_get_data(y);
      int sx = cairo_image_surface_get_stride(x), sy = cairo_image_surface_get_stride(y);
      long bad = 0;
      for (int r = 0; r < *h; r++)
        for (int c = 0; c < *w; c++) {
          const unsigned char *px = dx + r * sx + 4 * c, *py = dy + r * sy + 4 * c;
          for (int k = 0; k < 3; k++)
            if (abs((int)px[k] - (int)py[k]) > tol) { bad++; break; }
        }
      frac = (double)bad / ((double)*w * *h);
    }
  }
  cairo_surface_destroy(x);
  cairo_surface_destroy(y);
  return frac;
}

static rs_table *load(const char *name, rs_codebook **cb) {
  char *data = g_strdup_printf("%s/datasets/sample/%s.csv", srcdir(), name);
  char *cbp = g_strdup_printf("%s/datasets/sample/%s-codebook.csv", srcdir(), name);
  GError *err = NULL;
  rs_load_options o;
  rs_load_options_init(&o);
  o.quiet = true;
  *cb = rs_codebook_load(cbp, NULL, &err);
  rs_table *t = NULL;
  if (*cb) {
    o.codebook = *cb;
    t = rs_load_table(data, &o, NULL, &err);
  }
  if (!t) diag("cannot load %s: %s", data, err ? err->message : "?");
  g_clear_error(&err);
  g_free(data);
  g_free(cbp);
  return t;
}

/* Draws `what` into out (8.5 x 6 cm at 72 dpi: 241 x 170 px) and compares with the reference. */
static void compare_reference(const char *what, rs_plot *p, gboolean drawn, const char *out) {
  GError *err = NULL;
  ok(drawn && rs_plot_output_close(p, &err), "%s: drawn and written", what);
  g_clear_error(&err);
  char *ref = g_strdup_printf("%s/tests/data/plots/%s.png", srcdir(), what);
  if (getenv("RS_PLOT_REGEN")) {
    char *bytes;
    gsize len;
    if (g_file_get_contents(out, &bytes, &len, NULL)) {
      g_file_set_contents(ref, bytes, (gssize)len, NULL);
      g_free(bytes);
    }
    diag("rewrote %s", ref);
  }
  int w = 0, h = 0;
  double d = png_diff(out, ref, 64, &w, &h);
  ok(w == 241 && h == 170, "%s: PNG of 8.5 x 6 cm at 72 dpi is 241 x 170 px (got %d x %d)", what, w, h);
  ok(d >= 0 && d <= 0.015, "%s: matches %s (%.2f %% of pixels differ, at most 1.5 %%)", what, ref, 100 * d);
  g_free(ref);
}

int main(void) {
  rs_plot_axis a = {0};
  rs_plot_axis_nice(&a, 0.13, 0.87, 6, false);
  ok(a.n_ticks == 6 && close_enough(a.step, 0.2, 1e-12) && a.ticks[0] == 0 && close_enough(a.ticks[5], 1.0, 1e-12) &&
         a.decimals == 1,
     "nice ticks for 0.13–0.87: 0, 0.2, …, 1.0 with one decimal");
  rs_plot_axis_nice(&a, 3.62, 4.38, 7, false);
  ok(close_enough(a.step, 0.2, 1e-12) && close_enough(a.lo, 3.6, 1e-12) && close_enough(a.hi, 4.4, 1e-12),
     "nice ticks for 3.62–4.38: 3.6 … 4.4 by 0.2 (got %g…%g by %g)", a.lo, a.hi, a.step);
  rs_plot_axis_nice(&a, 1, 37, 9, true);
  ok(a.lo == 0 && a.hi == 40 && a.step == 5, "nice ticks for 1–37 from zero, at most 9: 0 … 40 by 5 (got %g…%g by %g)", a.lo, a.hi, a.step);
  rs_plot_axis_nice(&a, 0, 1234567, 5, true);
  ok(a.n_ticks <= 5 && (a.step == 500000 || a.step == 200000 || a.step == 1000000), "at most 5 ticks up to 1 234 567 (step %g)", a.step);
  rs_plot_axis_nice(&a, 5, 5, 5, false);
  ok(a.lo < 5 && a.hi > 5, "a single value gets a range around it");

  char *s = rs_plot_format_number(1000.5, 1, "nb");
  ok(strcmp(s, "1\u202f000,5") == 0, "nb: 1000.5 -> \"1 000,5\" (narrow no-break space, decimal comma): %s", s);
  g_free(s);
  s = rs_plot_format_number(1000.5, 1, "en");
  ok(strcmp(s, "1,000.5") == 0, "en: 1000.5 -> \"1,000.5\": %s", s);
  g_free(s);
  s = rs_plot_format_number(-1234567.25, 2, "nb");
  ok(strcmp(s, "\u22121\u202f234\u202f567,25") == 0, "nb: minus sign and two separators: %s", s);
  g_free(s);
  s = rs_plot_format_number(-0.04, 1, "nb");
  ok(strcmp(s, "0,0") == 0, "no \"-0,0\": %s", s);
  g_free(s);
  s = rs_plot_format_percent(45, 0, "nb");
  ok(strcmp(s, "45\u00a0%") == 0, "nb percent: \"45 %\" with a no-break space: %s", s);
  g_free(s);
  s = rs_plot_format_percent(45, 0, "en");
  ok(strcmp(s, "45%") == 0, "en percent: \"45%%\": %s", s);
  g_free(s);

  ok(rs_plot_format_from_path("a/fig.PNG") == RS_PLOT_PNG && rs_plot_format_from_path("fig.pdf") == RS_PLOT_PDF &&
         rs_plot_format_from_path("x.svg") == RS_PLOT_SVG,
     "format by extension, case-insensitive");
  ok(rs_plot_format_from_path("fig.jpg") < 0 && rs_plot_format_from_path("fig") < 0 &&
         rs_plot_format_from_path("dir.png/fig") < 0,
     "unknown or missing extension: -1");
  GError *err = NULL;
  ok(rs_plot_output_open("x.gif", 10, 10, 72, &err) == NULL && err, "opening .gif fails: %s", err ? err->message : "");
  g_clear_error(&err);

  /* an infinite value is refused with the line and column */
  rs_table *t = rs_table_new("inf.csv");
  rs_table_reserve(t, 3);
  t->nrows = 3;
  rs_column *y = rs_table_add_column(t, "y", RS_TYPE_NUMERIC, RS_STORE_NUM);
  y->num[0] = 1; y->num[1] = INFINITY; y->num[2] = 2;
  for (int i = 0; i < 3; i++) y->miss[i] = RS_MISS_NONE;
  rs_plotdata_est *d = rs_plotdata_means(t, NULL, 3, "y", NULL, NULL, NULL, "nb", &err);
  ok(!d && err && strstr(err->message, "column 'y'") && strstr(err->message, "infinite"), "infinite value refused: %s",
     err ? err->message : "(no error)");
  g_clear_error(&err);
  rs_plotdata_est_free(d);
  rs_table_free(t);

  char *dir = g_dir_make_tmp("rs-test-plot-XXXXXX", NULL);
  char *out = g_build_filename(dir, "x.png", NULL);
  rs_codebook *cb = NULL;
  t = load("coordinators", &cb);
  if (t) {
    rs_plotdata_dist *dd = rs_plotdata_dist_new(t, NULL, t->nrows, "families", "profession", "nb", &err);
    ok(dd && dd->n_groups == 6 && dd->n_total == 300, "coordinators: 300 with families, in 6 professions");
    rs_plot *p = rs_plot_output_open(out, 8.5, 6, 72, &err);
    compare_reference("box", p, p && dd && rs_plot_distribution(p, dd, RS_PLOT_DIST_BOX, &err), out);
    rs_plotdata_dist_free(dd);
    rs_table_free(t);
  } else {
    skip_test("sample not loaded");
  }
  rs_codebook_free(cb);
  t = load("family", &cb);
  if (t) {
    rs_plotdata_est *e = rs_plotdata_means(t, NULL, t->nrows, "collab_1", "coordinator_type", "post", NULL, "nb", &err);
    ok(e && e->n_rows == 3 && e->n_series == 2, "family: collab_1 by 3 coordinator types x 2 periods");
    rs_plot *p = rs_plot_output_open(out, 8.5, 6, 72, &err);
    compare_reference("prepost", p, p && e && rs_plot_prepost(p, e, &err), out);
    rs_plotdata_est_free(e);
    rs_table_free(t);
  }
  rs_codebook_free(cb);
  g_clear_error(&err);
  g_unlink(out);
  g_rmdir(dir);
  g_free(out);
  g_free(dir);
  return done();
}
