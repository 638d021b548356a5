/* qrrows.c — row-chunked Householder QR (sequential TSQR) of qrrows.h.
 *
 * One step reduces [R; C] (R the running p x p upper triangular factor, C
 * a chunk of c rows) with p Householder reflectors.  Column k's reflector
 * touches only R's row k and C's rows (R's rows below k are zero in column
 * k), so it is stored as an implicit 1 at R's row k and the vector v in C's
 * column k, with its tau.  The formulas are LAPACK dlarfg's / GSL's
 * gsl_linalg_householder_transform: beta = -sign(alpha) |(alpha, x)|,
 * tau = (beta - alpha) / beta, v = x / (alpha - beta).  Applying a
 * reflector to the remaining columns is done row by row (w = R_k + C'v,
 * then C -= v (tau w)'), which runs along rows of the row-major chunk.
 */
#include "analysis/qrrows.h"

/* The row loops below are plain element-wise updates (no sum is reordered),
 * so vectorising them changes no result: let GCC do it at -O2 too. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize")
#endif

#include <glib.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

typedef struct {
  double *top;      /* R's row 0 of this step (row stride p) */
  size_t top_off;   /* where R's row 0 sits in an extended vector */
  double *c;        /* the chunk's first row (row stride ldc) */
  size_t ldc, rows;
  size_t c_off;     /* where the chunk's first row sits in an extended vector */
  double *tau;      /* p */
} step;

struct rs_qrrows {
  size_t n, p, parts;
  gsl_matrix *top;     /* parts*p x p: the R factors; part 0's rows hold the final R */
  gsl_matrix_view r;   /* p x p view of the final R */
  step *steps;
  size_t nsteps;
  size_t *part_first;  /* parts + 1: each part's steps are steps[part_first[j] … part_first[j+1]) */
  double *taus;
};

/* Sums over a chunk's column (stride ld), four partial sums: a single
 * running sum waits on each add's latency, and these loops are most of
 * the time spent applying Q. */
static double sum_sq_col(const double *c, size_t ld, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += c[i * ld] * c[i * ld];
    s1 += c[(i + 1) * ld] * c[(i + 1) * ld];
    s2 += c[(i + 2) * ld] * c[(i + 2) * ld];
    s3 += c[(i + 3) * ld] * c[(i + 3) * ld];
  }
  for (; i < n; i++) s0 += c[i * ld] * c[i * ld];
  return (s0 + s1) + (s2 + s3);
}

static double dot_col(const double *c, size_t ld, const double *x, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += c[i * ld] * x[i];
    s1 += c[(i + 1) * ld] * x[i + 1];
    s2 += c[(i + 2) * ld] * x[i + 2];
    s3 += c[(i + 3) * ld] * x[i + 3];
  }
  for (; i < n; i++) s0 += c[i * ld] * x[i];
  return (s0 + s1) + (s2 + s3);
}

/* QR of [R; C] for one step, in place.  w: p doubles of scratch. */
static void step_factor(const step *s, size_t p, double *restrict w) {
  double *restrict R = s->top, *restrict C = s->c;
  size_t ldc = s->ldc, c = s->rows;
  for (size_t k = 0; k < p; k++) {
    double ss = sum_sq_col(C + k, ldc, c);
    double alpha = R[k * p + k];
    if (ss == 0) {   /* nothing below R's diagonal: H = I (as GSL: tau 0) */
      s->tau[k] = 0;
      continue;
    }
    double beta = -copysign(sqrt(alpha * alpha + ss), alpha);
    double tau = (beta - alpha) / beta, sc = 1.0 / (alpha - beta);
    s->tau[k] = tau;
    for (size_t i = 0; i < c; i++) C[i * ldc + k] *= sc;
    R[k * p + k] = beta;
    size_t m = p - k - 1;
    if (m == 0) continue;
    double *restrict wk = w + k + 1;
    memcpy(wk, R + k * p + k + 1, m * sizeof *wk);
    for (size_t i = 0; i < c; i++) {
      const double *restrict row = C + i * ldc + k + 1;
      double vi = C[i * ldc + k];
      for (size_t j = 0; j < m; j++) wk[j] += vi * row[j];
    }
    for (size_t j = 0; j < m; j++) {
      wk[j] *= tau;
      R[k * p + k + 1 + j] -= wk[j];
    }
    for (size_t i = 0; i < c; i++) {
      double *restrict row = C + i * ldc + k + 1;
      double vi = C[i * ldc + k];
      for (size_t j = 0; j < m; j++) row[j] -= vi * wk[j];
    }
  }
}

/* v = H_{p-1} … H_0 v (Q' of the step) or, with reverse, H_0 … H_{p-1} v (Q). */
static void step_apply(const step *s, size_t p, double *v, bool reverse) {
  double *top = v + s->top_off, *x = v + s->c_off;
  for (size_t kk = 0; kk < p; kk++) {
    size_t k = reverse ? p - 1 - kk : kk;
    double tau = s->tau[k];
    if (tau == 0) continue;
    const double *col = s->c + k;
    double d = (top[k] + dot_col(col, s->ldc, x, s->rows)) * tau;
    top[k] -= d;
    for (size_t i = 0; i < s->rows; i++) x[i] -= d * col[i * s->ldc];
  }
}

typedef struct {
  rs_qrrows *q;
  gint next;   /* next part to factorise */
} job;

static gpointer factor_parts(gpointer data) {
  job *jb = data;
  rs_qrrows *q = jb->q;
  double *w = g_new(double, q->p ? q->p : 1);
  for (;;) {
    gint j = g_atomic_int_add(&jb->next, 1);
    if ((size_t)j >= q->parts) break;
    for (size_t s = q->part_first[j]; s < q->part_first[j + 1]; s++) step_factor(&q->steps[s], q->p, w);
  }
  g_free(w);
  return NULL;
}

rs_qrrows *rs_qrrows_factor(gsl_matrix *A, size_t chunk, size_t parts, size_t threads) {
  rs_qrrows *q = g_new0(rs_qrrows, 1);
  size_t n = A->size1, p = A->size2;
  q->n = n;
  q->p = p;
  if (parts == 0) parts = 1;
  if (parts > n && n > 0) parts = n;
  q->parts = parts;
  /* about 16 KiB of rows: the chunk and R stay in L1 (measured: 64 rows of
   * 33 columns beat 512 by about a tenth on the bench) */
  if (chunk == 0) chunk = CLAMP((size_t)2048 / (p ? p : 1), (size_t)16, (size_t)1024);
  q->top = gsl_matrix_calloc(parts * (p ? p : 1), p ? p : 1);
  q->r = gsl_matrix_submatrix(q->top, 0, 0, p ? p : 1, p ? p : 1);
  /* the steps: per part its chunks, then the merges of parts 1 … into part 0 */
  size_t cap = parts;
  for (size_t j = 0; j < parts; j++) {
    size_t lo = n * j / parts, hi = n * (j + 1) / parts;
    cap += (hi - lo + chunk - 1) / chunk;
  }
  q->steps = g_new0(step, cap ? cap : 1);
  q->taus = g_new0(double, (cap ? cap : 1) * (p ? p : 1));
  q->part_first = g_new0(size_t, parts + 1);
  size_t ns = 0, top_len = parts * p;
  for (size_t j = 0; j < parts; j++) {
    size_t lo = n * j / parts, hi = n * (j + 1) / parts;
    q->part_first[j] = ns;
    for (size_t r = lo; r < hi; r += chunk) {
      step *s = &q->steps[ns];
      s->top = gsl_matrix_ptr(q->top, j * p, 0);
      s->top_off = j * p;
      s->c = gsl_matrix_ptr(A, r, 0);
      s->ldc = A->tda;
      s->rows = MIN(chunk, hi - r);
      s->c_off = top_len + r;
      s->tau = q->taus + ns * p;
      ns++;
    }
  }
  q->part_first[parts] = ns;
  if (p > 0) {
    size_t nthreads = threads ? threads : (size_t)g_get_num_processors();
    if (nthreads > parts) nthreads = parts;
    job jb = {q, 0};
    GThread **th = g_new0(GThread *, nthreads);
    for (size_t t = 1; t < nthreads; t++) th[t] = g_thread_try_new("qrrows", factor_parts, &jb, NULL);
    factor_parts(&jb);
    for (size_t t = 1; t < nthreads; t++)
      if (th[t]) g_thread_join(th[t]);
    g_free(th);
  }
  double *w = g_new(double, p ? p : 1);
  for (size_t j = 1; j < parts && p > 0; j++) {
    step *s = &q->steps[ns];
    s->top = gsl_matrix_ptr(q->top, 0, 0);
    s->top_off = 0;
    s->c = gsl_matrix_ptr(q->top, j * p, 0);
    s->ldc = q->top->tda;
    s->rows = p;
    s->c_off = j * p;
    s->tau = q->taus + ns * p;
    step_factor(s, p, w);
    ns++;
  }
  g_free(w);
  q->nsteps = p > 0 ? ns : 0;
  return q;
}

size_t rs_qrrows_ext_len(const rs_qrrows *q) { return q->parts * q->p + q->n; }
size_t rs_qrrows_top_len(const rs_qrrows *q) { return q->parts * q->p; }
const gsl_matrix *rs_qrrows_r(const rs_qrrows *q) { return &q->r.matrix; }

void rs_qrrows_apply_qt(const rs_qrrows *q, double *v) {
  for (size_t s = 0; s < q->nsteps; s++) step_apply(&q->steps[s], q->p, v, false);
}

void rs_qrrows_apply_q(const rs_qrrows *q, double *v) {
  for (size_t s = q->nsteps; s-- > 0;) step_apply(&q->steps[s], q->p, v, true);
}

void rs_qrrows_free(rs_qrrows *q) {
  if (!q) return;
  gsl_matrix_free(q->top);
  g_free(q->steps);
  g_free(q->taus);
  g_free(q->part_first);
  g_free(q);
}
