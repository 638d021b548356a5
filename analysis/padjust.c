/* padjust.c — Holm, Bonferroni and Benjamini–Hochberg adjustment (R's p.adjust).
 *
 * Bonferroni: min(1, n p).
 * Holm:  sort ascending; adj_(i) = min(1, max_{j<=i} (n - j + 1) p_(j)).
 * BH:    sort descending; adj = min(1, cummin(n / i * p)), i = n .. 1.
 * The same operations in the same order as R, so results are identical.
 */
#include "analysis/padjust.h"

#include <glib.h>
#include <gsl/gsl_sort.h>
#include <math.h>

int rs_padjust_method_from_name(const char *name) {
  if (!name || g_ascii_strcasecmp(name, "none") == 0) return RS_PADJUST_NONE;
  if (g_ascii_strcasecmp(name, "holm") == 0) return RS_PADJUST_HOLM;
  if (g_ascii_strcasecmp(name, "bonferroni") == 0) return RS_PADJUST_BONFERRONI;
  if (g_ascii_strcasecmp(name, "bh") == 0 || g_ascii_strcasecmp(name, "fdr") == 0) return RS_PADJUST_BH;
  return -1;
}

const char *rs_padjust_method_name(rs_padjust_method m) {
  switch (m) {
    case RS_PADJUST_HOLM: return "Holm";
    case RS_PADJUST_BONFERRONI: return "Bonferroni";
    case RS_PADJUST_BH: return "Benjamini-Hochberg";
    default: return "none";
  }
}

void rs_padjust(const double *p, size_t n, rs_padjust_method m, double *adj) {
  /* the non-missing p-values, in order */
  double *q = g_new(double, n ? n : 1);
  size_t *pos = g_new(size_t, n ? n : 1), *o = g_new(size_t, n ? n : 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(p[i])) { q[k] = p[i]; pos[k++] = i; }
  for (size_t i = 0; i < n; i++)
    if (isnan(p[i])) adj[i] = NAN;
  if (m == RS_PADJUST_NONE || k == 0) {
    for (size_t i = 0; i < k; i++) adj[pos[i]] = q[i];
  } else {
    gsl_sort_index(o, q, 1, k);   /* ascending; ties keep a stable order */
    double *r = g_new(double, k);
    double dn = (double)k;
    if (m == RS_PADJUST_BONFERRONI) {
      for (size_t i = 0; i < k; i++) r[i] = fmin(1, dn * q[i]);   /* pmin(1, n * p) */
    } else if (m == RS_PADJUST_HOLM) {
      double run = -INFINITY;
      for (size_t i = 0; i < k; i++) {
        double v = (dn - (double)(i + 1) + 1) * q[o[i]];
        run = fmax(run, v);
        r[o[i]] = fmin(1, run);
      }
    } else {
      double run = INFINITY;
      for (size_t ii = k; ii-- > 0;) {   /* descending p, i = k .. 1 */
        double v = dn / (double)(ii + 1) * q[o[ii]];
        run = fmin(run, v);
        r[o[ii]] = fmin(1, run);
      }
    }
    for (size_t i = 0; i < k; i++) adj[pos[i]] = r[i];
    g_free(r);
  }
  g_free(q);
  g_free(pos);
  g_free(o);
}
