/* chartdata.c — points, colour groups, fitted line and hexagonal bins for
 * the scatter chart (see chartdata.h). */
#include "analysis/chartdata.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *label_of(const rs_column *c, const char *lang) {
  const char *l = c->var ? rs_cb_var_label(c->var, lang) : NULL;
  return g_strdup(l && *l ? l : c->name);
}

static const rs_column *numeric_column(const rs_table *t, const char *name, const char *what, GError **err) {
  int j = name ? rs_table_find(t, name) : -1;
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (%s)", t->path, name ? name : "", what);
    return NULL;
  }
  if (t->cols[j].storage != RS_STORE_NUM || t->cols[j].type == RS_TYPE_DATE) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: column '%s' (%s) is not numeric (type %s)", t->path, name, what,
                rs_type_name(t->cols[j].type));
    return NULL;
  }
  return &t->cols[j];
}

static char *level_text(const rs_column *c, size_t i) {
  if (c->storage == RS_STORE_STR) return g_strdup(c->str[i]);
  char b[32];
  rs_value_format_double(c->num[i], b);
  return g_strdup(b);
}

static gint cmp_level(gconstpointer a, gconstpointer b, gpointer numeric) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  if (GPOINTER_TO_INT(numeric)) {
    double u = g_ascii_strtod(x, NULL), v = g_ascii_strtod(y, NULL);
    return (u > v) - (u < v);
  }
  return strcmp(x, y);
}

static gint cmp_double(gconstpointer a, gconstpointer b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The smallest gap between the distinct values when there are 2 to 200 of
 * them, else 0. */
static double grid_step(const double *v, size_t n) {
  enum { MAX_DISTINCT = 200 };
  GHashTable *h = g_hash_table_new(g_double_hash, g_double_equal);
  double seen[MAX_DISTINCT];
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (g_hash_table_contains(h, &v[i])) continue;
    if (k == MAX_DISTINCT) {
      k = 0;
      break;
    }
    seen[k++] = v[i];
    g_hash_table_add(h, (gpointer)&v[i]);
  }
  g_hash_table_destroy(h);
  if (k < 2) return 0;
  qsort(seen, k, sizeof(double), (int (*)(const void *, const void *))cmp_double);
  double gap = INFINITY;
  for (size_t j = 1; j < k; j++) gap = fmin(gap, seen[j] - seen[j - 1]);
  return gap;
}

void rs_chartdata_scatter_free(rs_chartdata_scatter *d) {
  if (!d) return;
  g_free(d->x); g_free(d->y); g_free(d->group);
  for (size_t k = 0; k < d->n_groups; k++) g_free(d->group_labels[k]);
  g_free(d->x_label); g_free(d->y_label); g_free(d->group_title); g_free(d->fit_note);
  g_free(d);
}

rs_chartdata_scatter *rs_chartdata_scatter_new(const rs_table *t, const char *x, const char *y, const char *color,
                                               const size_t *rows, size_t nrows, const char *lang, GError **err) {
  const rs_column *xc = numeric_column(t, x, "x", err), *yc, *gc = NULL;
  if (!xc || !(yc = numeric_column(t, y, "y", err))) return NULL;
  if (color) {
    int j = rs_table_find(t, color);
    if (j < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s' (colour)", t->path, color);
      return NULL;
    }
    gc = &t->cols[j];
  }
  if (!rows) nrows = t->nrows;
  rs_chartdata_scatter *d = g_new0(rs_chartdata_scatter, 1);
  d->x = g_new(double, nrows ? nrows : 1);
  d->y = g_new(double, nrows ? nrows : 1);
  if (gc) d->group = g_new(unsigned char, nrows ? nrows : 1);
  GHashTable *lv = gc ? g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) : NULL;
  GPtrArray *levels = g_ptr_array_new();
  size_t n = 0;
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (!rs_column_present(xc, i) || !rs_column_present(yc, i) || (gc && !rs_column_present(gc, i))) {
      d->dropped++;
      continue;
    }
    double xv = xc->num[i], yv = yc->num[i];
    if (!isfinite(xv) || !isfinite(yv)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d: '%s' is not a finite number", t->path,
                  t->row_line ? t->row_line[i] : (int)(i + 2), !isfinite(xv) ? x : y);
      goto fail;
    }
    if (gc) {
      char *txt = level_text(gc, i);
      gpointer v;
      if (g_hash_table_lookup_extended(lv, txt, NULL, &v)) {
        g_free(txt);
        d->group[n] = (unsigned char)GPOINTER_TO_UINT(v);
      } else {
        if (levels->len == RS_SCATTER_MAX_GROUPS) {
          g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                      "%s: '%s' has more than %d values, too many panels to read (choose a variable with fewer "
                      "groups, or --filter some of them)", t->path, color, RS_SCATTER_MAX_GROUPS);
          g_free(txt);
          goto fail;
        }
        g_ptr_array_add(levels, txt);
        g_hash_table_insert(lv, txt, GUINT_TO_POINTER(levels->len - 1));
        d->group[n] = (unsigned char)(levels->len - 1);
      }
    }
    if (n == 0 || xv < d->xmin) d->xmin = xv;
    if (n == 0 || xv > d->xmax) d->xmax = xv;
    if (n == 0 || yv < d->ymin) d->ymin = yv;
    if (n == 0 || yv > d->ymax) d->ymax = yv;
    d->x[n] = xv;
    d->y[n] = yv;
    n++;
  }
  d->n = n;
  if (n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has both '%s' and '%s'%s%s%s", t->path, x, y,
                gc ? " and '" : "", gc ? color : "", gc ? "'" : "");
    goto fail;
  }
  if (gc) {
    /* Groups in code order (numeric codes numerically), labelled from the codebook. */
    GPtrArray *sorted = g_ptr_array_copy(levels, NULL, NULL);
    g_ptr_array_sort_with_data(sorted, cmp_level, GINT_TO_POINTER(gc->storage == RS_STORE_NUM));
    unsigned char remap[RS_SCATTER_MAX_GROUPS];
    for (guint k = 0; k < sorted->len; k++) {
      const char *txt = sorted->pdata[k];
      remap[GPOINTER_TO_UINT(g_hash_table_lookup(lv, txt))] = (unsigned char)k;
      const char *lab = gc->var ? rs_codebook_value_label(gc->var, g_ascii_strtod(txt, NULL),
                                                          gc->storage == RS_STORE_STR ? txt : NULL) : NULL;
      d->group_labels[k] = g_strdup(lab ? lab : txt);
    }
    d->n_groups = sorted->len;
    for (size_t i = 0; i < n; i++) d->group[i] = remap[d->group[i]];
    /* The line within each group: its points gathered, then linefit. */
    double *gx = g_new(double, n), *gy = g_new(double, n);
    for (size_t k = 0; k < d->n_groups; k++) {
      size_t m = 0;
      for (size_t i = 0; i < n; i++)
        if (d->group[i] == k) { gx[m] = d->x[i]; gy[m] = d->y[i]; m++; }
      d->group_n[k] = m;
      d->group_has_fit[k] = m >= 3 && rs_linefit_fit(gx, gy, m, 0.95, &d->group_fit[k], NULL);
    }
    g_free(gx);
    g_free(gy);
    g_ptr_array_free(sorted, TRUE);
    d->group_title = label_of(gc, lang);
  }
  d->x_step = grid_step(d->x, n);
  d->y_step = grid_step(d->y, n);
  d->x_label = label_of(xc, lang);
  d->y_label = label_of(yc, lang);
  GError *fe = NULL;
  d->has_fit = rs_linefit_fit(d->x, d->y, n, 0.95, &d->fit, &fe);
  if (!d->has_fit) {
    d->fit_note = g_strdup(fe->message);
    g_error_free(fe);
  }
  if (lv) g_hash_table_destroy(lv);
  g_ptr_array_free(levels, TRUE);
  return d;
fail:
  if (lv) g_hash_table_destroy(lv);
  g_ptr_array_free(levels, TRUE);
  rs_chartdata_scatter_free(d);
  return NULL;
}

void rs_chartdata_scatter_results(const rs_chartdata_scatter *d, rs_results *out) {
  if (!d->has_fit) return;
  const rs_linefit *f = &d->fit;
  double q = f->tcrit;
  rs_record *r = rs_results_add(out);
  rs_record_str(r, "name", "(Intercept)");
  rs_record_int(r, "n", (long long)f->n);
  rs_record_num(r, "estimate", f->intercept);
  rs_record_num(r, "se", f->se_intercept);
  rs_record_num(r, "df", f->df);
  rs_record_num(r, "ci_low", f->intercept - q * f->se_intercept);
  rs_record_num(r, "ci_high", f->intercept + q * f->se_intercept);
  rs_record_str(r, "method", "OLS (lm), SE classical");
  if (f->slope_ok) {
    r = rs_results_add(out);
    rs_record_str(r, "name", d->x_label);
    rs_record_int(r, "n", (long long)f->n);
    rs_record_num(r, "estimate", f->slope);
    rs_record_num(r, "se", f->se_slope);
    rs_record_num(r, "statistic", f->t_slope);
    rs_record_num(r, "df", f->df);
    rs_record_num(r, "p_value", f->p_slope);
    rs_record_num(r, "ci_low", f->slope - q * f->se_slope);
    rs_record_num(r, "ci_high", f->slope + q * f->se_slope);
    rs_record_str(r, "method", "OLS (lm), SE classical");
  }
  for (size_t k = 0; k < d->n_groups; k++) {
    const rs_linefit *g = &d->group_fit[k];
    if (!d->group_has_fit[k] || !g->slope_ok) continue;
    r = rs_results_add(out);
    rs_record_str(r, "name", d->x_label);
    rs_record_str(r, "group", d->group_labels[k]);
    rs_record_int(r, "n", (long long)g->n);
    rs_record_num(r, "estimate", g->slope);
    rs_record_num(r, "se", g->se_slope);
    rs_record_num(r, "statistic", g->t_slope);
    rs_record_num(r, "df", g->df);
    rs_record_num(r, "p_value", g->p_slope);
    rs_record_num(r, "ci_low", g->slope - g->tcrit * g->se_slope);
    rs_record_num(r, "ci_high", g->slope + g->tcrit * g->se_slope);
    rs_record_str(r, "method", "OLS (lm) within the group, SE classical");
  }
}

rs_hexbin *rs_hexbin_new(const double *x, const double *y, size_t n, double x0, double x1, double y0, double y1,
                         size_t nx, double aspect) {
  rs_hexbin *h = g_new0(rs_hexbin, 1);
  if (nx < 2) nx = 2;
  if (!(x1 > x0)) x1 = x0 + 1;
  if (!(y1 > y0)) y1 = y0 + 1;
  /* Pointy-top hexagons of width w (page units: the plot is 1 wide, aspect
   * high): rows are 3/4 of the height 2w/sqrt(3) apart = w·sqrt(3)/2. */
  double w = 1.0 / (double)(nx - 1);
  double row_h = w * sqrt(3.0) / 2;
  size_t nrows = (size_t)ceil(aspect / row_h) + 1;
  h->cols = nx + 1;
  h->rows = nrows;
  h->x0 = x0;
  h->y0 = y0;
  h->dx = (x1 - x0) * w;
  h->dy = (y1 - y0) * row_h / aspect;
  h->count = g_new0(guint32, h->cols * h->rows);
  for (size_t i = 0; i < n; i++) {
    /* In cell units: u across (cell width 1), v up (row spacing 1). */
    double u = (x[i] - x0) / h->dx, v = (y[i] - y0) / h->dy;
    if (!(u >= -0.5 && v >= -0.5)) continue;
    /* The nearest centre among the two candidate rows (hexagon = Voronoi cell). */
    long r0 = (long)floor(v), best_r = -1, best_c = -1;
    double best = INFINITY;
    for (long r = r0; r <= r0 + 1; r++) {
      if (r < 0 || r >= (long)h->rows) continue;
      double off = (r & 1) ? 0.5 : 0.0;
      long c = lround(u - off);
      if (c < 0 || c >= (long)h->cols) continue;
      double du = u - (c + off), dv = (v - r) * (sqrt(3.0) / 2);  /* back to equal units */
      double dist = du * du + dv * dv;
      if (dist < best) { best = dist; best_r = r; best_c = c; }
    }
    if (best_r < 0) continue;
    guint32 *cell = &h->count[(size_t)best_r * h->cols + (size_t)best_c];
    if (++*cell > h->max_count) h->max_count = *cell;
  }
  return h;
}

void rs_hexbin_free(rs_hexbin *h) {
  if (!h) return;
  g_free(h->count);
  g_free(h);
}

rs_hexbin *rs_squarebin_new(const double *x, const double *y, size_t n, double x0, double dx, size_t cols, double y0,
                            double dy, size_t rows) {
  rs_hexbin *h = g_new0(rs_hexbin, 1);
  h->cols = cols;
  h->rows = rows;
  h->x0 = x0;
  h->y0 = y0;
  h->dx = dx;
  h->dy = dy;
  h->count = g_new0(guint32, cols * rows);
  for (size_t i = 0; i < n; i++) {
    double u = floor((x[i] - x0) / dx), v = floor((y[i] - y0) / dy);
    if (!(u >= 0 && u < (double)cols && v >= 0 && v < (double)rows)) continue;
    guint32 *cell = &h->count[(size_t)v * cols + (size_t)u];
    if (++*cell > h->max_count) h->max_count = *cell;
  }
  return h;
}
