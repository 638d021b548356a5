/* olsgram.c — least squares and the CR1 covariance from per-cluster
 * cross-products (olsgram.h): one pass over the rows, then p x p work in
 * long double. */
#include "analysis/olsgram.h"
#include "datasets/error.h"

#include <math.h>
#include <string.h>

#define TOL 1e-7                 /* lm()'s tol */
#define ALIAS_SURE 1e-17         /* an aliased column's scaled Schur complement is rounding, far below tol² */
#define RSS_MIN_SHARE 1e-6       /* RSS from the sums keeps ~13 digits down to this share of y'y */

typedef long double ld;

/* Cross-products of one cluster: upper triangle of X_g'X_g (p x p, row
 * major), X_g'y_g, y_g'y_g, the sum of y_g and the row count. */
typedef struct {
  size_t p;
  ld *xx, *xy, *yy, *sy;
  size_t *n;
} sums;

/* Row i's non-zero entries, in increasing column order, into J and v. */
static size_t row_entries(const rs_design *d, size_t i, size_t *J, double *v) {
  size_t nz = 0;
  if (d->X) {
    const double *xi = gsl_matrix_const_ptr(d->X, i, 0);
    for (size_t j = 0; j < d->p; j++)
      if (xi[j] != 0) { J[nz] = j; v[nz] = xi[j]; nz++; }
  } else {
    const uint32_t *c = d->sp_col + i * d->width;
    const double *x = d->sp_val + i * d->width;
    for (size_t m = 0; m < d->width; m++)
      if (c[m] != RS_DESIGN_ZERO && x[m] != 0) { J[nz] = c[m]; v[nz] = x[m]; nz++; }
  }
  return nz;
}

/* TRUE when every product of two entries and every sum of n of them is an
 * exactly representable integer in double: X'X can then be summed in
 * double (SSE) instead of long double (x87), with the same, exact, result. */
static bool integer_design(const rs_design *d) {
  double big = 0;
  size_t m = d->X ? d->n * d->p : d->n * d->width;
  const double *v = d->X ? d->X->data : d->sp_val;
  if (d->X && d->X->tda != d->p) return false;
  for (size_t i = 0; i < m; i++) {
    double a = fabs(v[i]);
    if (a != floor(a) || !(a <= 1048576)) return false;   /* also NaN */
    if (a > big) big = a;
  }
  return big * big * (double)(d->n + 1) < 9007199254740992.0;   /* 2^53 */
}

/* One pass over the rows: each row's non-zero entries into its cluster's
 * sums; X'X in double when that is exact (integer_design). */
static void accumulate(const rs_design *d, const size_t *cluster, sums *s) {
  size_t p = s->p, G = 0;
  for (size_t i = 0; i < d->n; i++) G = MAX(G, cluster[i] + 1);
  double *xxd = integer_design(d) ? g_new0(double, MAX(G * p * p, 1)) : NULL;
  size_t *J = g_new(size_t, MAX(p, d->width) + 1);
  double *v = g_new(double, MAX(p, d->width) + 1);
  for (size_t i = 0; i < d->n; i++) {
    double yi = d->y->data[i * d->y->stride];
    size_t nz = row_entries(d, i, J, v), g = cluster[i];
    ld *xy = s->xy + g * p;
    if (xxd) {
      double *xx = xxd + g * p * p;
      for (size_t a = 0; a < nz; a++) {
        double va = v[a], *row = xx + J[a] * p;
        for (size_t b = a; b < nz; b++) row[J[b]] += va * v[b];
        xy[J[a]] += (ld)va * yi;
      }
    } else {
      ld *xx = s->xx + g * p * p;
      for (size_t a = 0; a < nz; a++) {
        ld va = v[a], *row = xx + J[a] * p;
        for (size_t b = a; b < nz; b++) row[J[b]] += va * v[b];
        xy[J[a]] += va * yi;
      }
    }
    s->yy[g] += (ld)yi * yi;
    s->sy[g] += yi;
    s->n[g]++;
  }
  if (xxd)
    for (size_t k = 0; k < G * p * p; k++) s->xx[k] = xxd[k];
  g_free(xxd);
  g_free(J);
  g_free(v);
}

/* Solves L L' x = rhs over the kept columns K (L lower, full p x p storage). */
static void chol_solve(const ld *L, size_t p, const size_t *K, size_t k, ld *x) {
  for (size_t a = 0; a < k; a++) {
    ld t = x[a];
    for (size_t b = 0; b < a; b++) t -= L[K[a] * p + K[b]] * x[b];
    x[a] = t / L[K[a] * p + K[a]];
  }
  for (size_t a = k; a-- > 0;) {
    ld t = x[a];
    for (size_t b = a + 1; b < k; b++) t -= L[K[b] * p + K[a]] * x[b];
    x[a] = t / L[K[a] * p + K[a]];
  }
}

rs_ols *rs_olsgram_fit(const rs_design *d, const size_t *cluster, size_t n_clusters, gsl_matrix **V, GError **err) {
  size_t nr = d->n, p = d->p, G = n_clusters;
  bool intercept = d->intercept;
  *V = NULL;
  if (G < 2) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "rs_olsgram_fit: fewer than two clusters");
    return NULL;
  }
  if (nr == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "no rows to fit (every row has a missing value)");
    return NULL;
  }
  sums s = {p, g_new0(ld, G * p * p), g_new0(ld, G * p), g_new0(ld, G), g_new0(ld, G), g_new0(size_t, G)};
  accumulate(d, cluster, &s);

  /* totals (upper triangle mirrored) */
  ld *C = g_new0(ld, p ? p * p : 1), *c = g_new0(ld, p ? p : 1), yy = 0, sy = 0;
  for (size_t g = 0; g < G; g++) {
    for (size_t a = 0; a < p; a++) {
      for (size_t b = a; b < p; b++) C[a * p + b] += s.xx[g * p * p + a * p + b];
      c[a] += s.xy[g * p + a];
    }
    yy += s.yy[g];
    sy += s.sy[g];
  }
  bool finite = isfinite((double)yy);
  for (size_t a = 0; a < p; a++) {
    finite = finite && isfinite((double)c[a]);
    for (size_t b = a; b < p; b++) {
      finite = finite && isfinite((double)C[a * p + b]);
      C[b * p + a] = C[a * p + b];
    }
  }
  rs_ols *f = NULL;
  ld *L = NULL, *x = NULL, *r = NULL, *B = NULL, *M = NULL, *sg = NULL;
  double *dsc = NULL;
  size_t *K = NULL;
  if (!finite) goto decline;   /* rs_ols_fit names the row */

  /* scale to (nearly) unit diagonal by powers of two, exactly */
  dsc = g_new(double, p ? p : 1);
  for (size_t j = 0; j < p; j++) {
    int e = 0;
    if (C[j * p + j] > 0) frexp(sqrt((double)C[j * p + j]), &e);
    dsc[j] = ldexp(1.0, e);
  }
  for (size_t a = 0; a < p; a++) {
    c[a] /= dsc[a];
    for (size_t b = 0; b < p; b++) C[a * p + b] /= (ld)dsc[a] * dsc[b];
  }

  /* Cholesky in column order, skipping aliased columns (right-looking, on a copy) */
  L = g_new(ld, p ? p * p : 1);
  memcpy(L, C, sizeof(ld) * p * p);
  K = g_new(size_t, p ? p : 1);
  f = g_new0(rs_ols, 1);
  f->aliased = g_new0(bool, p ? p : 1);
  size_t k = 0;
  for (size_t j = 0; j < p; j++) {
    ld cjj = C[j * p + j], sjj = L[j * p + j];
    if (cjj <= 0 || sjj < (ld)TOL * TOL * cjj) {
      if (cjj > 0 && sjj > (ld)ALIAS_SURE * cjj) goto decline;   /* too near lm's threshold to be sure */
      f->aliased[j] = true;
      continue;
    }
    if (sjj < (ld)RS_OLSGRAM_MIN_PIVOT * cjj) goto decline;
    ld piv = sqrtl(sjj);
    L[j * p + j] = piv;
    for (size_t i = j + 1; i < p; i++) L[i * p + j] /= piv;
    for (size_t i = j + 1; i < p; i++)
      for (size_t m = j + 1; m <= i; m++) L[i * p + m] -= L[i * p + j] * L[m * p + j];
    K[k++] = j;
  }

  /* b: normal equations, then two refinement steps against C and c */
  x = g_new0(ld, k ? k : 1);
  r = g_new(ld, k ? k : 1);
  for (size_t a = 0; a < k; a++) x[a] = c[K[a]];
  chol_solve(L, p, K, k, x);
  for (int it = 0; it < 2; it++) {
    for (size_t a = 0; a < k; a++) {
      ld t = c[K[a]];
      for (size_t b = 0; b < k; b++) t -= C[K[a] * p + K[b]] * x[b];
      r[a] = t;
    }
    chol_solve(L, p, K, k, r);
    for (size_t a = 0; a < k; a++) x[a] += r[a];
  }
  ld *bb = g_new0(ld, p ? p : 1);   /* coefficients on the original scale, by column */
  for (size_t a = 0; a < k; a++) bb[K[a]] = x[a] / dsc[K[a]];

  /* RSS = y'y - 2 b'X'y + b'X'Xb; b'X'Xb = (scaled) x'Cx */
  ld bxy = 0, bgb = 0;
  for (size_t a = 0; a < k; a++) {
    bxy += x[a] * c[K[a]];
    for (size_t b = 0; b < k; b++) bgb += x[a] * C[K[a] * p + K[b]] * x[b];
  }
  ld rss = yy - 2 * bxy + bgb;
  if (!(rss > (ld)RSS_MIN_SHARE * yy)) { g_free(bb); goto decline; }

  /* B = (X'X)^-1 over the kept columns: columns of C_KK^-1, unscaled */
  B = g_new0(ld, k ? k * k : 1);
  for (size_t a = 0; a < k; a++) {
    memset(r, 0, sizeof(ld) * k);
    r[a] = 1;
    chol_solve(L, p, K, k, r);
    for (size_t b = 0; b < k; b++) B[b * k + a] = r[b] / ((ld)dsc[K[a]] * dsc[K[b]]);
  }

  /* meat: per-cluster score sums s_g = X_g'y_g - X_g'X_g b */
  M = g_new0(ld, k ? k * k : 1);
  sg = g_new(ld, k ? k : 1);
  for (size_t g = 0; g < G; g++) {
    if (s.n[g] == 0) continue;
    const ld *xx = s.xx + g * p * p;
    for (size_t a = 0; a < k; a++) {
      size_t ja = K[a];
      ld t = s.xy[g * p + ja];
      for (size_t b = 0; b < k; b++) {
        size_t jb = K[b];
        t -= (ja <= jb ? xx[ja * p + jb] : xx[jb * p + ja]) * bb[jb];
      }
      sg[a] = t;
    }
    for (size_t a = 0; a < k; a++)
      for (size_t b = 0; b < k; b++) M[a * k + b] += sg[a] * sg[b];
  }
  double n = (double)nr;
  double adj = (double)G / (double)(G - 1) * (n - 1) / (n - (double)k);
  *V = gsl_matrix_alloc(k ? k : 1, k ? k : 1);
  f->cov_unscaled = gsl_matrix_alloc(k ? k : 1, k ? k : 1);
  for (size_t a = 0; a < k; a++)
    for (size_t b = 0; b < k; b++) {
      ld t = 0;   /* (B M B)[a][b] */
      for (size_t u = 0; u < k; u++) {
        ld bm = 0;
        for (size_t v = 0; v < k; v++) bm += B[a * k + v] * M[v * k + u];
        t += bm * B[u * k + b];
      }
      gsl_matrix_set(*V, a, b, (double)(t * adj));
      gsl_matrix_set(f->cov_unscaled, a, b, (double)B[a * k + b]);
    }

  /* the rest of rs_ols, as ols.c computes it (summary.lm) */
  f->n = f->nrows = nr;
  f->p = p;
  f->rank = k;
  f->intercept = intercept;
  f->coef = g_new(double, p ? p : 1);
  for (size_t j = 0; j < p; j++) f->coef[j] = f->aliased[j] ? NAN : (double)bb[j];
  f->kept = g_new(size_t, k ? k : 1);
  memcpy(f->kept, K, sizeof(size_t) * k);
  g_free(bb);
  ld mss = intercept ? bgb - sy * sy / (ld)nr : bgb;
  f->rss = (double)rss;
  f->mss = (double)mss;
  f->df_resid = n - (double)k;
  double resvar = f->rss / f->df_resid;
  f->sigma = f->df_resid > 0 ? sqrt(resvar) : NAN;
  double df_int = intercept ? 1 : 0;
  f->df_model = (double)k - df_int;
  if (f->df_model > 0) {
    f->r2 = (double)(mss / (mss + rss));
    f->adj_r2 = f->df_resid > 0 ? 1 - (1 - f->r2) * ((n - df_int) / f->df_resid) : NAN;
    f->fstat = f->df_resid > 0 ? (f->mss / f->df_model) / resvar : NAN;
  } else {
    f->r2 = f->adj_r2 = 0;
    f->fstat = NAN;
  }
  goto done;
decline:
  rs_ols_free(f);
  f = NULL;
  if (*V) gsl_matrix_free(*V);
  *V = NULL;
done:
  g_free(s.xx); g_free(s.xy); g_free(s.yy); g_free(s.sy); g_free(s.n);
  g_free(C); g_free(c); g_free(L); g_free(x); g_free(r); g_free(B); g_free(M); g_free(sg); g_free(dsc); g_free(K);
  return f;
}
