/* ols.c — least squares by Householder QR with R's limited pivoting.
 *
 * Steps: weight and scale the columns (powers of two, so exactly); QR one
 * column at a time with GSL's Householder reflections, moving a column
 * whose remaining norm falls below tol × its norm to the end (aliased, as
 * LINPACK dqrdc2 in R's lm does); solve R b = Q'y; refine b with residuals
 * summed in long double; then the summary.lm statistics.
 */
#include "analysis/ols.h"
#include "analysis/qrrows.h"
#include "datasets/error.h"
#include "datasets/table.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

/* out[i] = sqrt(w_i) (y_i - x_i b) - minus[i] (minus may be NULL), accumulated in long double. */
static void weighted_resid_rows(const gsl_matrix *X, const gsl_vector *y, const double *sw, const double *b,
                                const double *minus, double *out, size_t i0, size_t i1) {
  for (size_t i = i0; i < i1; i++) {
    long double s = y->data[i * y->stride];
    const double *row = X->data + i * X->tda;
    for (size_t j = 0; j < X->size2; j++)
      if (b[j] != 0) s -= (long double)row[j] * b[j];
    s *= sw ? sw[i] : 1.0;
    if (minus) s -= minus[i];
    out[i] = (double)s;
  }
}

static void weighted_resid(const gsl_matrix *X, const gsl_vector *y, const double *sw, const double *b,
                           const double *minus, double *out) {
  weighted_resid_rows(X, y, sw, b, minus, out, 0, X->size1);
}

/* One pass over the rows for a refinement step: out = sqrt(w) (y - X b) - r
 * and g = -A'r before A's column scaling (g[a] for column perm[a]), both in
 * long double.  g's sums run over blocks of `block` rows (a long double
 * accumulator per block kept in a register; block 1 sums row by row). */
static void refine_pass(const gsl_matrix *X, const gsl_vector *y, const double *sw, const double *b, const size_t *perm,
                        size_t rank, const double *r, double *out, long double *g, size_t block) {
  size_t nr = X->size1;
  for (size_t a = 0; a < rank; a++) g[a] = 0;
  for (size_t i0 = 0; i0 < nr; i0 += block) {
    size_t i1 = MIN(nr, i0 + block);
    weighted_resid_rows(X, y, sw, b, r, out, i0, i1);
    for (size_t a = 0; a < rank; a++) {
      const double *xa = gsl_matrix_const_ptr(X, 0, perm[a]);
      long double acc = 0, acc1 = 0;   /* two running sums: half the wait on the adds */
      size_t i = i0;
      if (block > 1)
        for (; i + 2 <= i1; i += 2) {
          acc += (long double)xa[i * X->tda] * (sw ? sw[i] : 1.0) * r[i];
          acc1 += (long double)xa[(i + 1) * X->tda] * (sw ? sw[i + 1] : 1.0) * r[i + 1];
        }
      for (; i < i1; i++) acc += (long double)xa[i * X->tda] * (sw ? sw[i] : 1.0) * r[i];
      g[a] -= block > 1 ? acc + acc1 : acc;
    }
  }
}

/* Applies Q' (the first `rank` reflections stored in A, tau) to v. */
static void apply_qt(const gsl_matrix *A, const double *tau, size_t rank, gsl_vector *v) {
  size_t n = A->size1;
  for (size_t k = 0; k < rank; k++) {
    gsl_vector_const_view h = gsl_matrix_const_subcolumn(A, k, k, n - k);
    gsl_vector_view vk = gsl_vector_subvector(v, k, n - k);
    gsl_linalg_householder_hv(tau[k], &h.vector, &vk.vector);
  }
}

/* Applies Q (the reflections in reverse order) to v. */
static void apply_q(const gsl_matrix *A, const double *tau, size_t rank, gsl_vector *v) {
  size_t n = A->size1;
  for (size_t k = rank; k-- > 0;) {
    gsl_vector_const_view h = gsl_matrix_const_subcolumn(A, k, k, n - k);
    gsl_vector_view vk = gsl_vector_subvector(v, k, n - k);
    gsl_linalg_householder_hv(tau[k], &h.vector, &vk.vector);
  }
}

/* The column-wise QR with R's limited pivoting (LINPACK dqrdc2), in place
 * on A (rows >= 1): a column whose remaining norm is below tol x norm0 is
 * rotated to the end of the candidates and counted aliased.  Returns the
 * rank; perm and tau (p) receive the column order and the reflectors. */
static size_t pivoted_qr(gsl_matrix *A, const double *norm0, double tol, size_t *perm, double *tau) {
  size_t nr = A->size1, lup = A->size2, k = 0;
  while (k < lup && k < nr) {
    gsl_vector_view c = gsl_matrix_subcolumn(A, k, k, nr - k);
    double rn = gsl_blas_dnrm2(&c.vector);
    if (rn < tol * norm0[perm[k]]) {
      /* aliased: rotate column k to the end of the candidates */
      for (size_t j = k; j + 1 < lup; j++) {
        gsl_matrix_swap_columns(A, j, j + 1);
        size_t t = perm[j]; perm[j] = perm[j + 1]; perm[j + 1] = t;
      }
      lup--;
      continue;
    }
    tau[k] = gsl_linalg_householder_transform(&c.vector);
    if (k + 1 < lup) {
      gsl_matrix_view rest = gsl_matrix_submatrix(A, k, k + 1, nr - k, lup - k - 1);
      gsl_linalg_householder_hm(tau[k], &c.vector, &rest.matrix);
    }
    k++;
  }
  return k;
}

/* Q as a whole: the pivoted QR's reflectors (in `a`), after the row-chunked
 * QR's when there is one (q1); vectors are extended as in qrrows.h. */
typedef struct {
  const gsl_matrix *a;
  const double *tau;
  size_t rank;
  const rs_qrrows *q1;
} qrq;

static void qrq_apply_qt(const qrq *Q, gsl_vector *v) {
  if (Q->q1) {
    rs_qrrows_apply_qt(Q->q1, v->data);
    gsl_vector_view top = gsl_vector_subvector(v, 0, Q->a->size1);
    apply_qt(Q->a, Q->tau, Q->rank, &top.vector);
  } else {
    apply_qt(Q->a, Q->tau, Q->rank, v);
  }
}

static void qrq_apply_q(const qrq *Q, gsl_vector *v) {
  if (Q->q1) {
    gsl_vector_view top = gsl_vector_subvector(v, 0, Q->a->size1);
    apply_q(Q->a, Q->tau, Q->rank, &top.vector);
    rs_qrrows_apply_q(Q->q1, v->data);
  } else {
    apply_q(Q->a, Q->tau, Q->rank, v);
  }
}

rs_ols *rs_ols_fit(const gsl_matrix *X, const gsl_vector *y, const gsl_vector *w, bool intercept,
                   const rs_ols_options *o, GError **err) {
  double tol = o && o->tol > 0 ? o->tol : 1e-7;
  int refine = o && o->refine ? (o->refine < 0 ? 0 : o->refine) : 2;
  size_t nr = X->size1, p = X->size2;
  if (y->size != nr || (w && w->size != nr)) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "rs_ols_fit: X, y and w have different numbers of rows");
    return NULL;
  }
  size_t n = 0;
  double *sw = NULL;
  if (w) sw = g_new(double, nr);
  for (size_t i = 0; i < nr; i++) {
    double wi = w ? gsl_vector_get(w, i) : 1.0;
    if (!(wi >= 0) || !isfinite(wi)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "weight %g in row %zu: weights must be zero or positive numbers", wi,
                  i + 1);
      g_free(sw);
      return NULL;
    }
    if (sw) sw[i] = sqrt(wi);
    n += wi > 0;
    if (!isfinite(gsl_vector_get(y, i))) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "row %zu: the response is not a finite number", i + 1);
      g_free(sw);
      return NULL;
    }
    const double *xi = gsl_matrix_const_ptr(X, i, 0);
    double probe = 0;   /* inf or nan when any x is: one branch per row */
    for (size_t j = 0; j < p; j++) probe += xi[j] * 0.0;
    if (probe != 0 || isnan(probe))
      for (size_t j = 0; j < p; j++)
        if (!isfinite(xi[j])) {
          g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "row %zu: a predictor is not a finite number", i + 1);
          g_free(sw);
          return NULL;
        }
  }
  if (n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "no rows to fit (every row has a missing value or weight 0)");
    g_free(sw);
    return NULL;
  }

  rs_ols *f = g_new0(rs_ols, 1);
  f->n = n;
  f->nrows = nr;
  f->p = p;
  f->intercept = intercept;
  f->coef = g_new(double, p ? p : 1);
  f->aliased = g_new0(bool, p ? p : 1);
  if (w) {
    f->w = g_new(double, nr);
    for (size_t i = 0; i < nr; i++) f->w[i] = gsl_vector_get(w, i);
  }

  /* A = sqrt(W) X D^-1, D = powers of two near the column norms (exact).
   * Row by row (X and A are row-major); each column's sums still run over
   * i = 0 … n-1 in order, so the result is the same as column by column. */
  size_t chunk = o ? o->chunk_rows : 0, parts = o ? o->parts : 0;
  bool chunked = chunk > 0 || (chunk == 0 && nr >= RS_OLS_CHUNKED_MIN_ROWS);
  if (parts == 0) parts = nr >= RS_OLS_TWO_PARTS_MIN_ROWS ? 2 : 1;
  gsl_matrix *A = gsl_matrix_alloc(nr, p ? p : 1);
  rs_table_advise_huge(A->data, A->size1 * A->tda * sizeof(double));
  double *d = g_new(double, p ? p : 1);
  double *scale = g_new0(double, p ? p : 1), *ss = g_new0(double, p ? p : 1);
  bool plain = false;   /* chunked: the column norms by a plain sum of squares of X */
  if (chunked) {
    /* Two passes over X instead of three over A (a million rows): the sum of
     * squares unscaled, which is safe unless it overflows or underflows;
     * then A = X sqrt(w) D^-1 written once (D a power of two: * 1/D is exact). */
    for (size_t i = 0; i < nr; i++) {
      const double *xi = gsl_matrix_const_ptr(X, i, 0);
      double swi = sw ? sw[i] : 1.0;
      for (size_t j = 0; j < p; j++) {
        double v = xi[j] * swi;
        ss[j] += v * v;
      }
    }
    plain = true;
    for (size_t j = 0; j < p; j++) plain = plain && isfinite(ss[j]) && (ss[j] == 0 || ss[j] > 1e-280);
    for (size_t j = 0; j < p && plain; j++) {
      scale[j] = ss[j] > 0 ? 1.0 : 0.0;   /* norm = scale * sqrt(ss) below */
      if (ss[j] > 0) {
        int e;
        frexp(sqrt(ss[j]), &e);
        d[j] = ldexp(1.0, e);
      } else {
        d[j] = 1.0;
      }
    }
    if (!plain) memset(ss, 0, sizeof(double) * (p ? p : 1));
  }
  if (plain) {
    double *inv = g_new(double, p ? p : 1);
    for (size_t j = 0; j < p; j++) inv[j] = 1.0 / d[j];
    for (size_t i = 0; i < nr; i++) {
      const double *xi = gsl_matrix_const_ptr(X, i, 0);
      double *ai = gsl_matrix_ptr(A, i, 0), swi = sw ? sw[i] : 1.0;
      for (size_t j = 0; j < p; j++) ai[j] = xi[j] * swi * inv[j];
    }
    g_free(inv);
  } else {
    for (size_t i = 0; i < nr; i++) {
      const double *xi = gsl_matrix_const_ptr(X, i, 0);
      double *ai = gsl_matrix_ptr(A, i, 0), swi = sw ? sw[i] : 1.0;
      for (size_t j = 0; j < p; j++) {
        double v = xi[j] * swi;
        ai[j] = v;
        if (fabs(v) > scale[j]) scale[j] = fabs(v);   /* as fmax: every v is finite */
      }
    }
    for (size_t i = 0; i < nr; i++) {
      const double *ai = gsl_matrix_const_ptr(A, i, 0);
      for (size_t j = 0; j < p; j++)
        if (scale[j] > 0) {
          double v = ai[j] / scale[j];
          ss[j] += v * v;
        }
    }
    for (size_t j = 0; j < p; j++) {
      if (scale[j] > 0) {
        int e;
        frexp(scale[j] * sqrt(ss[j]), &e);
        d[j] = ldexp(1.0, e);
      } else {
        d[j] = 1.0;
      }
    }
    for (size_t i = 0; i < nr; i++) {
      double *ai = gsl_matrix_ptr(A, i, 0);
      for (size_t j = 0; j < p; j++) ai[j] = ai[j] / d[j];
    }
  }
  /* the chunked path's column norms from the sums above (the column-wise
   * path keeps dnrm2 over A's columns, as before) */
  size_t *perm = g_new(size_t, p ? p : 1);
  double *norm0 = g_new(double, p ? p : 1);
  for (size_t j = 0; j < p; j++) {
    perm[j] = j;
    if (chunked) {
      norm0[j] = scale[j] > 0 ? scale[j] * sqrt(ss[j]) / d[j] : 0;
    } else {
      gsl_vector_view c = gsl_matrix_column(A, j);
      norm0[j] = gsl_blas_dnrm2(&c.vector);
    }
    if (norm0[j] == 0) norm0[j] = 1.0;  /* as dqrdc2: a zero column is aliased */
  }
  g_free(scale);
  g_free(ss);
  double *tau = g_new0(double, p ? p : 1);
  /* Column-wise: the pivoted QR of A itself.  Chunked: A = Q1 R0 by
   * rows (qrrows.h), then the same pivoted QR of the p x p R0, which has
   * A's column norms and remaining norms (Q1 is orthogonal), so the same
   * columns are aliased; Q = Q1 Q2. */
  rs_qrrows *q1 = NULL;
  gsl_matrix *R0 = NULL, *Afac = A;
  if (chunked && p > 0) {
    q1 = rs_qrrows_factor(A, chunk, parts, o && o->threads ? o->threads : rs_table_threads());
    R0 = gsl_matrix_alloc(p, p);
    gsl_matrix_memcpy(R0, rs_qrrows_r(q1));
    Afac = R0;
  }
  size_t rank = pivoted_qr(Afac, norm0, tol, perm, tau);
  f->rank = rank;
  for (size_t j = rank; j < p; j++) f->aliased[perm[j]] = true;
  f->kept = g_new(size_t, rank ? rank : 1);
  for (size_t j = 0; j < rank; j++) f->kept[j] = perm[j];

  /* x = R^-1 (Q'b)[0:rank] for the scaled problem A x = b (b = sqrt(W) y),
   * then Björck's iterative refinement of the augmented system
   * [I A; A' 0][r; x] = [b; 0], residuals of both equations summed in long
   * double: it converges for large-residual problems too (Wampler4/5).
   * Vectors have T leading entries for the chunked path's top rows (zero
   * rows of the problem: b = 0 and A = 0 there), then the nr data rows. */
  size_t T = q1 ? rs_qrrows_top_len(q1) : 0, L = T + nr;
  qrq Q = {Afac, tau, rank, q1};
  gsl_vector *bw = gsl_vector_calloc(L), *r = gsl_vector_calloc(L), *t1 = gsl_vector_alloc(L);
  gsl_vector *x = gsl_vector_calloc(rank ? rank : 1), *h = gsl_vector_alloc(rank ? rank : 1);
  double *b = g_new0(double, p ? p : 1);   /* coefficients on the original scale, by original column */
  long double *g = g_new(long double, rank ? rank : 1);  /* refinement: -A' r */
  gsl_matrix_view R = gsl_matrix_submatrix(Afac, 0, 0, rank ? rank : 1, rank ? rank : 1);
  for (size_t i = 0; i < nr; i++) gsl_vector_set(bw, T + i, gsl_vector_get(y, i) * (sw ? sw[i] : 1.0));
  if (rank > 0) {
    gsl_vector_memcpy(t1, bw);
    qrq_apply_qt(&Q, t1);
    gsl_vector_view z = gsl_vector_subvector(t1, 0, rank);
    gsl_vector_memcpy(x, &z.vector);
    gsl_blas_dtrsv(CblasUpper, CblasNoTrans, CblasNonUnit, &R.matrix, x);
    for (size_t j = 0; j < rank; j++) b[perm[j]] = gsl_vector_get(x, j) / d[perm[j]];
  }
  weighted_resid(X, y, sw, b, NULL, r->data + T);
  for (int it = 0; it < refine && rank > 0; it++) {
    /* f = b - r - A x (into t1), g = -A' r (into h) */
    for (size_t i = 0; i < T; i++) t1->data[i] = -r->data[i];
    refine_pass(X, y, sw, b, perm, rank, r->data + T, t1->data + T, g, chunked ? 64 : 1);
    for (size_t a = 0; a < rank; a++) gsl_vector_set(h, a, (double)(g[a] / d[perm[a]]));
    gsl_blas_dtrsv(CblasUpper, CblasTrans, CblasNonUnit, &R.matrix, h);          /* h = R^-T g */
    qrq_apply_qt(&Q, t1);                                                        /* d = Q' f */
    gsl_vector_view d1 = gsl_vector_subvector(t1, 0, rank);
    gsl_vector_sub(&d1.vector, h);
    gsl_blas_dtrsv(CblasUpper, CblasNoTrans, CblasNonUnit, &R.matrix, &d1.vector); /* dx = R^-1 (d1 - h) */
    gsl_vector_add(x, &d1.vector);
    gsl_vector_memcpy(&d1.vector, h);                                            /* dr = Q [h; d2] */
    qrq_apply_q(&Q, t1);
    gsl_vector_add(r, t1);
    for (size_t j = 0; j < rank; j++) b[perm[j]] = gsl_vector_get(x, j) / d[perm[j]];
  }
  for (size_t j = 0; j < p; j++) f->coef[j] = f->aliased[j] ? NAN : b[j];

  /* (X'WX)^-1 = D^-1 R^-1 R^-T D^-1 over the kept columns */
  f->cov_unscaled = gsl_matrix_calloc(rank ? rank : 1, rank ? rank : 1);
  if (rank > 0) {
    gsl_matrix *Ri = gsl_matrix_calloc(rank, rank);
    for (size_t i = 0; i < rank; i++)
      for (size_t j = i; j < rank; j++) gsl_matrix_set(Ri, i, j, gsl_matrix_get(Afac, i, j));
    gsl_linalg_tri_invert(CblasUpper, CblasNonUnit, Ri);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, Ri, Ri, 0.0, f->cov_unscaled);
    for (size_t i = 0; i < rank; i++)
      for (size_t j = 0; j < rank; j++)
        gsl_matrix_set(f->cov_unscaled, i, j, gsl_matrix_get(f->cov_unscaled, i, j) / (d[perm[i]] * d[perm[j]]));
    gsl_matrix_free(Ri);
  }

  /* residuals (the refined ones, unweighted) and fitted values; sums in
   * long double; MSS from (y - ybar) - e, so that no large fitted value is
   * subtracted from another (SmLs07-09) */
  f->resid = g_new(double, nr);
  f->fitted = g_new(double, nr);
  for (size_t i = 0; i < nr; i++) {
    if (!sw || sw[i] > 0) {
      f->resid[i] = gsl_vector_get(r, T + i) / (sw ? sw[i] : 1.0);
    } else {
      long double s0 = gsl_vector_get(y, i);
      for (size_t j = 0; j < p; j++)
        if (b[j] != 0) s0 -= (long double)gsl_matrix_get(X, i, j) * b[j];
      f->resid[i] = (double)s0;
    }
  }
  long double rss = 0, sw_sum = 0, swy = 0;
  for (size_t i = 0; i < nr; i++) {
    double wi = w ? f->w[i] : 1.0;
    f->fitted[i] = gsl_vector_get(y, i) - f->resid[i];
    rss += (long double)wi * f->resid[i] * f->resid[i];
    sw_sum += wi;
    swy += (long double)wi * gsl_vector_get(y, i);
  }
  long double m = intercept ? swy / sw_sum : 0, mss = 0;
  for (size_t i = 0; i < nr; i++) {
    double wi = w ? f->w[i] : 1.0;
    long double dv = ((long double)gsl_vector_get(y, i) - m) - f->resid[i];
    mss += wi * dv * dv;
  }
  rs_ols_set_summary(f, rss, mss);
  g_free(b);
  g_free(g);
  gsl_vector_free(bw);
  gsl_vector_free(r);
  gsl_vector_free(t1);
  gsl_vector_free(x);
  gsl_vector_free(h);
  g_free(tau);
  g_free(norm0);
  g_free(perm);
  g_free(d);
  g_free(sw);
  gsl_matrix_free(A);
  if (R0) gsl_matrix_free(R0);
  rs_qrrows_free(q1);
  return f;
}

void rs_ols_set_summary(rs_ols *f, long double rss, long double mss) {
  f->rss = (double)rss;
  f->mss = (double)mss;
  double df_int = f->intercept ? 1 : 0;
  f->df_resid = (double)f->n - (double)f->rank - (double)f->k_absorbed;
  f->df_model = (double)(f->rank + f->k_absorbed) - df_int;
  double resvar = f->rss / f->df_resid;
  f->sigma = f->df_resid > 0 ? sqrt(resvar) : NAN;
  if (f->df_model > 0) {
    f->r2 = (double)(mss / (mss + rss));
    f->adj_r2 = f->df_resid > 0 ? 1 - (1 - f->r2) * (((double)f->n - df_int) / f->df_resid) : NAN;
    f->fstat = f->df_resid > 0 ? (f->mss / f->df_model) / resvar : NAN;
  } else {
    f->r2 = f->adj_r2 = 0;  /* as summary.lm for a model with only an intercept */
    f->fstat = NAN;
  }
}

void rs_ols_free(rs_ols *f) {
  if (!f) return;
  g_free(f->coef);
  g_free(f->aliased);
  g_free(f->kept);
  if (f->cov_unscaled) gsl_matrix_free(f->cov_unscaled);
  g_free(f->resid);
  g_free(f->fitted);
  g_free(f->w);
  g_free(f->hat_absorbed);
  g_free(f);
}

double *rs_ols_hat(const rs_ols *f, const gsl_matrix *X) {
  size_t nr = X->size1, r = f->rank;
  double *h = g_new0(double, nr ? nr : 1);
  double *x = g_new(double, r ? r : 1);
  for (size_t i = 0; i < nr; i++) {
    for (size_t a = 0; a < r; a++) x[a] = gsl_matrix_get(X, i, f->kept[a]);
    long double s = 0;
    for (size_t a = 0; a < r; a++) {
      long double t = 0;
      for (size_t c = 0; c < r; c++) t += (long double)gsl_matrix_get(f->cov_unscaled, a, c) * x[c];
      s += t * x[a];
    }
    h[i] = (double)s * (f->w ? f->w[i] : 1.0);
    if (f->hat_absorbed) h[i] += f->hat_absorbed[i];
  }
  g_free(x);
  return h;
}
