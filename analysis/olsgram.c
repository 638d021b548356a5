/* olsgram.c — least squares and the CR1 covariance from cross-products
 * (olsgram.h): a pass over the rows for X'X and X'y, p x p work in long
 * double, a second pass for the residuals and the clusters' score sums. */
#include "analysis/olsgram.h"
#include "datasets/error.h"

#include <math.h>
#include <string.h>

#define TOL 1e-7                 /* lm()'s tol */
#define ALIAS_SURE 1e-17         /* an aliased column's scaled Schur complement is rounding, far below tol² */
#define RSS_MIN_SHARE 1e-6       /* a fit closer than this (RSS / y'y) is left to QR, as lm computes it */
#define MAX_P 1024               /* wider designs: QR (the p x p and G x p work would outgrow the pass) */

typedef long double ld;

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

/* First pass: X'X (upper triangle, p x p), X'y, y'y and the sum of y. */
static void cross_products(const rs_design *d, ld *xx, ld *xy, ld *yy, ld *sy) {
  size_t p = d->p;
  double *xxd = integer_design(d) ? g_new0(double, MAX(p * p, 1)) : NULL;
  size_t *J = g_new(size_t, MAX(p, d->width) + 1);
  double *v = g_new(double, MAX(p, d->width) + 1);
  for (size_t i = 0; i < d->n; i++) {
    double yi = d->y->data[i * d->y->stride];
    size_t nz = row_entries(d, i, J, v);
    for (size_t a = 0; a < nz; a++) {
      if (xxd) {
        double va = v[a], *row = xxd + J[a] * p;
        for (size_t b = a; b < nz; b++) row[J[b]] += va * v[b];
      } else {
        ld va = v[a], *row = xx + J[a] * p;
        for (size_t b = a; b < nz; b++) row[J[b]] += va * v[b];
      }
      xy[J[a]] += (ld)v[a] * yi;
    }
    *yy += (ld)yi * yi;
    *sy += yi;
  }
  if (xxd)
    for (size_t k = 0; k < p * p; k++) xx[k] = xxd[k];
  g_free(xxd);
  g_free(J);
  g_free(v);
}

/* Second pass: residuals e = y - X b in long double; RSS, MSS (about `mean`)
 * and each cluster's score sum S[g] = X_g' e_g over the columns (G x p). */
static void residual_pass(const rs_design *d, const ld *b, ld mean, const size_t *cluster, ld *S, ld *rss, ld *mss) {
  size_t p = d->p;
  size_t *J = g_new(size_t, MAX(p, d->width) + 1);
  double *v = g_new(double, MAX(p, d->width) + 1);
  *rss = *mss = 0;
  for (size_t i = 0; i < d->n; i++) {
    ld yi = d->y->data[i * d->y->stride], e = yi;
    size_t nz = row_entries(d, i, J, v);
    for (size_t a = 0; a < nz; a++) e -= (ld)v[a] * b[J[a]];
    *rss += e * e;
    ld f = (yi - mean) - e;
    *mss += f * f;
    ld *Sg = S + cluster[i] * p;
    for (size_t a = 0; a < nz; a++) Sg[J[a]] += (ld)v[a] * e;
  }
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
  for (size_t i = 0; i < nr; i++)
    if (cluster[i] >= G) {
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "rs_olsgram_fit: cluster index %zu of row %zu is not below %zu",
                  cluster[i], i + 1, G);
      return NULL;
    }
  if (nr == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "no rows to fit (every row has a missing value)");
    return NULL;
  }
  /* a wide design: QR (the p x p and p^3 work would outgrow the passes) */
  if (p > MAX_P) return NULL;

  ld *C = g_new0(ld, MAX(p * p, 1)), *c = g_new0(ld, MAX(p, 1)), yy = 0, sy = 0;
  cross_products(d, C, c, &yy, &sy);
  bool finite = isfinite((double)yy);
  for (size_t a = 0; a < p; a++) {
    finite = finite && isfinite((double)c[a]);
    for (size_t b = a; b < p; b++) {
      finite = finite && isfinite((double)C[a * p + b]);
      C[b * p + a] = C[a * p + b];
    }
  }
  rs_ols *f = NULL;
  ld *L = NULL, *x = NULL, *r = NULL, *B = NULL, *M = NULL, *T = NULL, *S = NULL, *bb = NULL;
  double *dsc = NULL;
  size_t *K = NULL;
  if (!finite) goto decline;   /* rs_ols_fit names the row */

  /* scale to (nearly) unit diagonal by powers of two, exactly */
  dsc = g_new(double, MAX(p, 1));
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
  L = g_new(ld, MAX(p * p, 1));
  memcpy(L, C, sizeof(ld) * p * p);
  K = g_new(size_t, MAX(p, 1));
  f = g_new0(rs_ols, 1);
  f->aliased = g_new0(bool, MAX(p, 1));
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
  x = g_new0(ld, MAX(k, 1));
  r = g_new(ld, MAX(k, 1));
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
  bb = g_new0(ld, MAX(p, 1));   /* coefficients on the original scale, by column (0 when aliased) */
  for (size_t a = 0; a < k; a++) bb[K[a]] = x[a] / dsc[K[a]];

  /* residuals, RSS, MSS and the clusters' score sums */
  S = g_new0(ld, MAX(G * p, 1));
  ld rss, mss, mean = intercept ? sy / (ld)nr : 0;
  residual_pass(d, bb, mean, cluster, S, &rss, &mss);
  if (!(rss > (ld)RSS_MIN_SHARE * yy)) goto decline;

  /* B = (X'X)^-1 over the kept columns: columns of C_KK^-1, unscaled */
  B = g_new0(ld, MAX(k * k, 1));
  for (size_t a = 0; a < k; a++) {
    memset(r, 0, sizeof(ld) * k);
    r[a] = 1;
    chol_solve(L, p, K, k, r);
    for (size_t b = 0; b < k; b++) B[b * k + a] = r[b] / ((ld)dsc[K[a]] * dsc[K[b]]);
  }
  /* meat M = sum_g s_g s_g' over the kept columns; V = adj B M B, as (B M) B */
  M = g_new0(ld, MAX(k * k, 1));
  for (size_t g = 0; g < G; g++) {
    const ld *Sg = S + g * p;
    for (size_t a = 0; a < k; a++) {
      ld sa = Sg[K[a]];
      if (sa == 0) continue;
      for (size_t b = 0; b < k; b++) M[a * k + b] += sa * Sg[K[b]];
    }
  }
  T = g_new0(ld, MAX(k * k, 1));
  for (size_t a = 0; a < k; a++)
    for (size_t u = 0; u < k; u++) {
      ld bau = B[a * k + u];
      for (size_t b = 0; b < k; b++) T[a * k + b] += bau * M[u * k + b];
    }
  double n = (double)nr;
  double adj = (double)G / (double)(G - 1) * (n - 1) / (n - (double)k);
  *V = gsl_matrix_calloc(MAX(k, 1), MAX(k, 1));
  f->cov_unscaled = gsl_matrix_calloc(MAX(k, 1), MAX(k, 1));
  for (size_t a = 0; a < k; a++)
    for (size_t b = 0; b < k; b++) {
      ld t = 0;
      for (size_t u = 0; u < k; u++) t += T[a * k + u] * B[u * k + b];
      gsl_matrix_set(*V, a, b, (double)(t * adj));
      gsl_matrix_set(f->cov_unscaled, a, b, (double)B[a * k + b]);
    }

  /* the rest of rs_ols, as ols.c fills it */
  f->n = f->nrows = nr;
  f->p = p;
  f->rank = k;
  f->intercept = intercept;
  f->coef = g_new(double, MAX(p, 1));
  for (size_t j = 0; j < p; j++) f->coef[j] = f->aliased[j] ? NAN : (double)bb[j];
  f->kept = g_new(size_t, MAX(k, 1));
  memcpy(f->kept, K, sizeof(size_t) * k);
  rs_ols_set_summary(f, rss, mss);
  goto done;
decline:
  rs_ols_free(f);
  f = NULL;
  if (*V) gsl_matrix_free(*V);
  *V = NULL;
done:
  g_free(C); g_free(c); g_free(L); g_free(x); g_free(r); g_free(B); g_free(M); g_free(T); g_free(S); g_free(bb);
  g_free(dsc); g_free(K);
  return f;
}
