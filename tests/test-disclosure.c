/* test-disclosure.c — primary and secondary suppression and the auditor
 * (report/disclosure.h).
 *
 * Expected suppression patterns are worked out by hand from the greedy rule
 * in disclosure.h (stated beside each case).  The derivability verdicts are
 * checked a second, independent way: a rank test with column-pivoted QR
 * (gsl_linalg_QRPT) — suppressed cell k is derivable iff appending e_k to
 * the relations restricted to the suppressed cells does not raise the rank —
 * while the library uses the SVD's null space.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "report/disclosure.h"
#include "tests/tap.h"

/* ---- independent rank test (QR with column pivoting) ------------------- */

static size_t qr_rank(gsl_matrix *A) {
  /* QRPT wants no shape; rank = number of |R_ii| above tolerance. */
  size_t M = A->size1, N = A->size2, k = M < N ? M : N;
  if (k == 0) return 0;
  gsl_vector *tau = gsl_vector_alloc(k);
  gsl_permutation *p = gsl_permutation_alloc(N);
  gsl_vector *norm = gsl_vector_alloc(N);
  int signum;
  gsl_linalg_QRPT_decomp(A, tau, p, &signum, norm);
  double r0 = fabs(gsl_matrix_get(A, 0, 0));
  size_t rank = 0;
  for (size_t i = 0; i < k; i++)
    if (fabs(gsl_matrix_get(A, i, i)) > 1e-9 * (r0 > 0 ? r0 : 1)) rank++;
  gsl_vector_free(tau);
  gsl_permutation_free(p);
  gsl_vector_free(norm);
  return rank;
}

/* Is cell idx (suppressed) derivable?  Builds [A_S; e_k] and compares ranks. */
static int qr_derivable(const rs_pubtable *t, size_t idx) {
  size_t ncell = t->nrows * t->ncols, s = 0;
  long *colof = malloc(ncell * sizeof *colof);
  for (size_t i = 0; i < ncell; i++) colof[i] = rs_cell_state_suppressed(t->cells[i].state) ? (long)s++ : -1;
  size_t m = t->relations->len;
  gsl_matrix *A = gsl_matrix_calloc(m + 1, s), *B = gsl_matrix_calloc(m + 1, s);
  for (size_t r = 0; r < m; r++) {
    const rs_relation *rel = g_ptr_array_index(t->relations, r);
    for (size_t j = 0; j < rel->nterms; j++) {
      long c = colof[rel->row[j] * t->ncols + rel->col[j]];
      if (c >= 0) gsl_matrix_set(A, r, (size_t)c, gsl_matrix_get(A, r, (size_t)c) + rel->coef[j]);
    }
  }
  gsl_matrix_memcpy(B, A);
  gsl_matrix_set(B, m, (size_t)colof[idx], 1.0);
  size_t ra = qr_rank(A), rb = qr_rank(B);
  gsl_matrix_free(A);
  gsl_matrix_free(B);
  free(colof);
  return ra == rb;
}

static size_t count_state(const rs_pubtable *t, rs_cell_state s) {
  size_t n = 0;
  for (size_t i = 0; i < t->nrows * t->ncols; i++) n += t->cells[i].state == s;
  return n;
}

static int audit_ok(const rs_pubtable *t, double min_n, const char *what) {
  rs_audit_result res;
  GError *err = NULL;
  gboolean safe = rs_disclosure_audit(t, min_n, &res, &err);
  int c = ok(safe && !err, "%s: audit passes%s%s", what, res.message ? " — " : "", res.message ? res.message : "");
  rs_audit_result_clear(&res);
  g_clear_error(&err);
  return c;
}

/* A one-column table: parts then one total row. */
static rs_pubtable *oneway(const double *v, size_t k) {
  rs_pubtable *t = rs_pubtable_new("oneway", "Én kolonne", k + 1, 1);
  rs_pubtable_set_stub(t, "Kommune", "Kommunenr.");
  rs_pubtable_set_col(t, 0, "antall", "Antall", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  size_t *rows = g_new(size_t, k);
  double tot = 0;
  for (size_t i = 0; i < k; i++) {
    char lab[16];
    snprintf(lab, sizeof lab, "K%zu", i + 1);
    rs_pubtable_set_row(t, i, NULL, lab, RS_ROLE_UNIT);
    rs_pubtable_set_count(t, i, 0, v[i]);
    rows[i] = i;
    tot += v[i];
  }
  rs_pubtable_set_row(t, k, NULL, "Fylket i alt", RS_ROLE_SUBTOTAL);
  rs_pubtable_set_count(t, k, 0, tot);
  rs_pubtable_sum_rows(t, 0, k, rows, k);
  g_free(rows);
  return t;
}

/* An R×C table of counts with row totals (last column), column totals
 * (last row) and the grand total. */
static rs_pubtable *twoway(const double *v, size_t R, size_t C) {
  rs_pubtable *t = rs_pubtable_new("twoway", "To veier", R + 1, C + 1);
  for (size_t c = 0; c <= C; c++) {
    char key[16];
    snprintf(key, sizeof key, "c%zu", c);
    rs_pubtable_set_col(t, c, key, c == C ? "I alt" : key, NULL, RS_COL_COUNT, 0, false,
                        c == C ? RS_ROLE_TOTAL : RS_ROLE_UNIT);
  }
  for (size_t r = 0; r <= R; r++) {
    char lab[16];
    snprintf(lab, sizeof lab, "r%zu", r);
    rs_pubtable_set_row(t, r, NULL, r == R ? "I alt" : lab, r == R ? RS_ROLE_TOTAL : RS_ROLE_UNIT);
  }
  double grand = 0;
  for (size_t r = 0; r < R; r++) {
    double rt = 0;
    for (size_t c = 0; c < C; c++) {
      rs_pubtable_set_count(t, r, c, v[r * C + c]);
      rt += v[r * C + c];
    }
    rs_pubtable_set_count(t, r, C, rt);
    grand += rt;
  }
  for (size_t c = 0; c < C; c++) {
    double ct = 0;
    for (size_t r = 0; r < R; r++) ct += v[r * C + c];
    rs_pubtable_set_count(t, R, c, ct);
  }
  rs_pubtable_set_count(t, R, C, grand);
  size_t *idx = g_new(size_t, (R > C ? R : C) + 1);
  for (size_t c = 0; c <= C; c++) {
    for (size_t r = 0; r < R; r++) idx[r] = r;
    rs_pubtable_sum_rows(t, c, R, idx, R);
  }
  for (size_t r = 0; r <= R; r++) {
    for (size_t c = 0; c < C; c++) idx[c] = c;
    rs_pubtable_sum_cols(t, r, C, idx, C);
  }
  g_free(idx);
  return t;
}

/* Every suppressed cell: library verdict == QR verdict, and not derivable. */
static int cross_check(const rs_pubtable *t, const char *what) {
  size_t *bad = NULL;
  GError *err = NULL;
  gssize nbad = rs_disclosure_derivable(t, &bad, &err);
  int agree = nbad >= 0;
  size_t derivable_qr = 0;
  for (size_t i = 0; i < t->nrows * t->ncols && agree; i++) {
    if (!rs_cell_state_suppressed(t->cells[i].state)) continue;
    int lib = 0;
    for (gssize j = 0; j < nbad; j++) lib |= bad[j] == i;
    int qr = qr_derivable(t, i);
    derivable_qr += qr;
    if (lib != qr) {
      agree = 0;
      diag("%s: cell %zu: SVD says %d, QR says %d", what, i, lib, qr);
    }
  }
  g_free(bad);
  g_clear_error(&err);
  return agree && nbad == 0 && derivable_qr == 0;
}

int main(void) {
  gsl_set_error_handler_off();
  GError *err = NULL;
  rs_disclosure_stats st;

  /* 1. One suppressed cell in a line gets the smallest partner.
   *    12, 3, 20, 8 | 43: 3 < 5 is primary; the line would give it away
   *    (43-12-20-8); smallest other part by persons is 8. */
  {
    double v[] = {12, 3, 20, 8};
    rs_pubtable *t = oneway(v, 4);
    ok(rs_disclosure_suppress(t, 5, &st, &err), "oneway: suppress runs");
    ok(rs_pubtable_cell(t, 1, 0)->state == RS_CELL_PRIMARY, "oneway: 3 is primary");
    ok(rs_pubtable_cell(t, 3, 0)->state == RS_CELL_SECONDARY, "oneway: 8 is its partner (smallest)");
    ok(st.n_primary == 1 && st.n_secondary == 1, "oneway: 1 primary, 1 secondary (got %zu, %zu)", st.n_primary,
       st.n_secondary);
    ok(rs_pubtable_cell(t, 4, 0)->state == RS_CELL_VALUE, "oneway: the total stays published");
    audit_ok(t, 5, "oneway");
    ok(cross_check(t, "oneway"), "oneway: QR agrees, nothing derivable");
    /* The same table with the partner taken back: the auditor must name
     * the cell K2 (row 1). */
    rs_pubtable_cell(t, 3, 0)->state = RS_CELL_VALUE;
    rs_audit_result res;
    gboolean safe = rs_disclosure_audit(t, 5, &res, &err);
    ok(!safe && res.verdict == RS_AUDIT_DERIVABLE && res.row == 1 && res.col == 0,
       "under-suppressed oneway: auditor catches row 1 (got safe=%d verdict=%d row=%zu)", safe, res.verdict, res.row);
    ok(res.message && strstr(res.message, "'K2'") && strstr(res.message, "Fylket i alt"),
       "under-suppressed oneway: message names the cell and the total: %s", res.message ? res.message : "(none)");
    ok(qr_derivable(t, 1 * 1 + 0), "under-suppressed oneway: QR agrees the cell is derivable");
    rs_audit_result_clear(&res);
    /* Rerunning suppression restores the same pattern. */
    rs_disclosure_suppress(t, 5, &st, &err);
    ok(rs_pubtable_cell(t, 3, 0)->state == RS_CELL_SECONDARY && st.n_secondary == 1, "oneway: rerun is idempotent");
    /* With min_n 10 the 8 is primary too, and the pair protects itself. */
    rs_disclosure_suppress(t, 10, &st, &err);
    ok(st.n_primary == 2 && st.n_secondary == 0, "oneway min_n 10: 3 and 8 primary, no complement needed");
    audit_ok(t, 10, "oneway min_n 10");
    rs_pubtable_free(t);
  }

  /* 2. Zeros: '-' is not suppressed, and is a complement of last resort.
   *    12, 3, 0, 20 | 35: partner of 3 is 12, not the zero. */
  {
    double v[] = {12, 3, 0, 20};
    rs_pubtable *t = oneway(v, 4);
    rs_disclosure_suppress(t, 5, &st, &err);
    ok(rs_pubtable_cell(t, 2, 0)->state == RS_CELL_ZERO, "zero: the 0 stays '-'");
    ok(rs_pubtable_cell(t, 0, 0)->state == RS_CELL_SECONDARY, "zero: partner is 12, not the zero");
    audit_ok(t, 5, "zero");
    char *s = rs_pubtable_cell_text(t, 2, 0, 0, false), *p = rs_pubtable_cell_text(t, 1, 0, 0, false);
    ok(!strcmp(s, "-") && !strcmp(p, ":"), "zero: printed '-' and ':' (got '%s', '%s')", s, p);
    g_free(s);
    g_free(p);
    rs_pubtable_free(t);
  }
  /*    3, 0, 0 | 3: the total (3 persons) is primary itself; the parts 0 are
   *    '-' and the total and the 3 protect each other. */
  {
    double v[] = {3, 0, 0};
    rs_pubtable *t = oneway(v, 3);
    rs_disclosure_suppress(t, 5, &st, &err);
    ok(st.n_primary == 2 && st.n_secondary == 0 && st.n_zero == 2, "small total: 3 and its total primary, zeros kept");
    audit_ok(t, 5, "small total");
    rs_pubtable_free(t);
  }
  /*    A zero total: all parts are zero, all '-'; nothing to protect and the
   *    audit passes.  (A suppressed part, n >= 1, cannot sit under a zero
   *    total.) */
  {
    double v[] = {0, 0, 0};
    rs_pubtable *t = oneway(v, 3);
    rs_disclosure_suppress(t, 5, &st, &err);
    ok(count_state(t, RS_CELL_ZERO) == 4 && st.n_primary + st.n_secondary == 0, "zero total: four '-' cells, none suppressed");
    audit_ok(t, 5, "zero total");
    rs_pubtable_free(t);
  }
  /*    A line 6, 3, 0 | 9 where the 6 and the total are public figures
   *    (RS_N_PUBLIC): the zero is the only possible complement. */
  {
    double v[] = {6, 3, 0};
    rs_pubtable *t = oneway(v, 3);
    rs_pubtable_cell(t, 0, 0)->n = RS_N_PUBLIC;
    rs_pubtable_cell(t, 3, 0)->n = RS_N_PUBLIC;
    rs_disclosure_suppress(t, 5, &st, &err);
    ok(rs_pubtable_cell(t, 2, 0)->state == RS_CELL_SECONDARY && st.n_secondary == 1,
       "only a zero left: the zero becomes the complement, public figures never do");
    audit_ok(t, 5, "zero complement");
    rs_pubtable_free(t);
  }
  /*    A count of 0 that speaks about 3 persons (0 of 3 complaints upheld)
   *    is a value on 3 persons, not a '-': suppressed. */
  {
    rs_pubtable *t = rs_pubtable_new("z", "z", 1, 1);
    rs_pubtable_set(t, 0, 0, 0, NAN, NAN, 3);
    rs_disclosure_suppress(t, 5, &st, &err);
    ok(rs_pubtable_cell(t, 0, 0)->state == RS_CELL_PRIMARY, "0 of 3 persons is suppressed, not '-'");
    rs_pubtable_free(t);
  }

  /* 3. Two-way table where line-by-line suppression stops too early.
   *    Primaries (values 1–4) form two 2×2 rectangles joined by a bridge
   *    cell (0,2): every row and column has 0 or >= 2 suppressed cells, so
   *    the naive rule is satisfied, but (0,2) = row-0 total − (x00 + x01),
   *    and x00 + x01 = col0 + col1 totals − row-1 total... follows from the
   *    rectangle's lines.  The rank step must add complements. */
  {
    double v[] = {
        1, 2, 3, 20, 30,   /* row 0: suppressed x00 x01 x02 */
        4, 2, 15, 25, 35,  /* row 1: x10 x11 */
        40, 45, 1, 2, 50,  /* row 2: x22 x23 */
        55, 60, 3, 4, 65,  /* row 3: x32 x33 */
        70, 75, 80, 85, 90,
    };
    rs_pubtable *t = twoway(v, 5, 5);
    /* Mark by hand exactly the naive pattern and check the auditor flags
     * the bridge.  */
    double min_n = 5;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
      if (t->cells[i].n > 0 && t->cells[i].n < min_n) t->cells[i].state = RS_CELL_PRIMARY;
    ok(count_state(t, RS_CELL_PRIMARY) == 9, "bridge: 9 primary cells");
    rs_audit_result res;
    gboolean safe = rs_disclosure_audit(t, min_n, &res, &err);
    ok(!safe && res.verdict == RS_AUDIT_DERIVABLE && res.row == 0 && res.col == 2,
       "bridge: auditor finds (0,2) derivable although every line has >= 2 (got row %zu col %zu)", res.row, res.col);
    ok(qr_derivable(t, 0 * 6 + 2), "bridge: QR agrees (0,2) is derivable");
    ok(!qr_derivable(t, 0 * 6 + 0), "bridge: QR agrees (0,0) is protected");
    rs_audit_result_clear(&res);
    /* Now the real thing. */
    ok(rs_disclosure_suppress(t, min_n, &st, &err), "bridge: suppress runs");
    ok(st.n_primary == 9 && st.n_secondary >= 1 && st.rounds >= 2,
       "bridge: complements added by the rank step (secondary %zu, rounds %zu)", st.n_secondary, st.rounds);
    audit_ok(t, min_n, "bridge");
    ok(cross_check(t, "bridge"), "bridge: QR agrees, nothing derivable");
    rs_pubtable_free(t);
  }

  /* 4. Fylke level: kommuner of two fylker, fylke subtotals and the
   *    national total.  Fylke A: 2, 1, 0 (total 3, primary);  fylke B: 30,
   *    12, 7 (49); national 52.
   *    Hand: A-total 3 primary, its parts 2 and 1 primary, 0 '-'.  The
   *    national line  52 = A + B  then has one unknown (A): the only
   *    complement is B (both are totals; B is the smaller) → B secondary;
   *    now B's own line has one unknown → its smallest kommune, 7.  */
  {
    rs_pubtable *t = rs_pubtable_new("fylke", "Fylker", 9, 1);
    rs_pubtable_set_col(t, 0, "n", "Antall", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
    const char *lab[] = {"A1", "A2", "A3", "A i alt", "B1", "B2", "B3", "B i alt", "Landet"};
    double val[] = {2, 1, 0, 3, 30, 12, 7, 49, 52};
    rs_role role[] = {0, 0, 0, RS_ROLE_SUBTOTAL, 0, 0, 0, RS_ROLE_SUBTOTAL, RS_ROLE_TOTAL};
    for (size_t i = 0; i < 9; i++) {
      rs_pubtable_set_row(t, i, NULL, lab[i], role[i]);
      rs_pubtable_set_count(t, i, 0, val[i]);
    }
    size_t a[] = {0, 1, 2}, b[] = {4, 5, 6}, l[] = {3, 7};
    rs_pubtable_sum_rows(t, 0, 3, a, 3);
    rs_pubtable_sum_rows(t, 0, 7, b, 3);
    rs_pubtable_sum_rows(t, 0, 8, l, 2);
    rs_disclosure_suppress(t, 5, &st, &err);
    rs_cell_state want[] = {RS_CELL_PRIMARY, RS_CELL_PRIMARY, RS_CELL_ZERO, RS_CELL_PRIMARY, RS_CELL_VALUE,
                            RS_CELL_VALUE, RS_CELL_SECONDARY, RS_CELL_SECONDARY, RS_CELL_VALUE};
    int same = 1;
    for (size_t i = 0; i < 9; i++) same &= rs_pubtable_cell(t, i, 0)->state == want[i];
    ok(same, "fylke: pattern as worked by hand (A1 A2 A : ; B3 and B secondary)");
    audit_ok(t, 5, "fylke");
    rs_pubtable_free(t);
  }

  /* 5. Means: the fylke mean is the n-weighted mean of the kommune means,
   *    so a reader who knows the n's could undo a suppressed mean.
   *    3.2 (n 10), 4.0 (n 3), 2.5 (n 20), fylke (33·2.90303…).  4.0 is
   *    primary; the complement is the mean over 10 persons (fewest). */
  {
    rs_pubtable *t = rs_pubtable_new("mean", "Snitt", 4, 1);
    rs_pubtable_set_col(t, 0, "snitt", "Gjennomsnitt", NULL, RS_COL_MEAN, 1, true, RS_ROLE_UNIT);
    double m[] = {3.2, 4.0, 2.5}, n[] = {10, 3, 20};
    double tot = (3.2 * 10 + 4.0 * 3 + 2.5 * 20) / 33;
    for (size_t i = 0; i < 3; i++) {
      rs_pubtable_set_row(t, i, NULL, i == 0 ? "Å" : i == 1 ? "Bø" : "Ørsta", RS_ROLE_UNIT);
      rs_pubtable_set(t, i, 0, m[i], m[i] - 0.5, m[i] + 0.5, n[i]);
    }
    rs_pubtable_set_row(t, 3, NULL, "I alt", RS_ROLE_SUBTOTAL);
    rs_pubtable_set(t, 3, 0, tot, tot - 0.2, tot + 0.2, 33);
    size_t rows[] = {0, 1, 2};
    rs_pubtable_mean_rows(t, 0, 3, rows, 3);
    const rs_relation *rel = g_ptr_array_index(t->relations, 0);
    ok(close_enough(rel->coef[1], 10.0 / 33, 1e-15) && close_enough(rel->coef[3], 20.0 / 33, 1e-15),
       "mean: weights n_i/N");
    rs_disclosure_suppress(t, 5, &st, &err);
    ok(rs_pubtable_cell(t, 1, 0)->state == RS_CELL_PRIMARY && rs_pubtable_cell(t, 0, 0)->state == RS_CELL_SECONDARY,
       "mean: 4.0 (n 3) primary, 3.2 (n 10) its complement");
    char *lo = rs_pubtable_cell_text(t, 1, 0, 1, true);
    ok(!strcmp(lo, ":"), "mean: the CI of a suppressed mean is ':' too");
    g_free(lo);
    audit_ok(t, 5, "mean");
    rs_pubtable_free(t);
  }

  /* 6. The auditor's first rule: a published value on 3 persons. */
  {
    double v[] = {12, 3, 20, 8};
    rs_pubtable *t = oneway(v, 4);
    rs_audit_result res;
    gboolean safe = rs_disclosure_audit(t, 5, &res, &err);
    ok(!safe && res.verdict == RS_AUDIT_SMALL_N && res.row == 1, "auditor: a published 3 fails rule 1 (row %zu)", res.row);
    rs_audit_result_clear(&res);
    rs_pubtable_cell(t, 0, 0)->state = RS_CELL_ZERO;  /* a '-' that is 12 */
    rs_pubtable_cell(t, 1, 0)->state = RS_CELL_PRIMARY;
    rs_pubtable_cell(t, 3, 0)->state = RS_CELL_SECONDARY;
    safe = rs_disclosure_audit(t, 5, &res, &err);
    ok(!safe && res.verdict == RS_AUDIT_ZERO && res.row == 0, "auditor: a '-' that is not zero is caught");
    rs_audit_result_clear(&res);
    rs_pubtable_free(t);
  }

  /* 7. Text. */
  {
    rs_pubtable *t = rs_pubtable_new("txt", "t", 1, 3);
    rs_pubtable_set_col(t, 0, "a", "a", NULL, RS_COL_MEAN, 1, true, RS_ROLE_UNIT);
    rs_pubtable_set_col(t, 1, "b", "b", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
    rs_pubtable_set_col(t, 2, "c", "c", NULL, RS_COL_MEAN, 2, false, RS_ROLE_UNIT);
    rs_pubtable_set(t, 0, 0, 14145.46, 1414.5, -0.04, 100);
    rs_pubtable_set(t, 0, 1, 1414, NAN, NAN, 1414);
    rs_pubtable_set(t, 0, 2, -2.5, NAN, NAN, 50);
    char *a = rs_pubtable_cell_text(t, 0, 0, 0, true), *b = rs_pubtable_cell_text(t, 0, 0, 0, false);
    char *lo = rs_pubtable_cell_text(t, 0, 0, 1, true), *hi = rs_pubtable_cell_text(t, 0, 0, 2, true);
    char *cnt = rs_pubtable_cell_text(t, 0, 1, 0, true), *neg = rs_pubtable_cell_text(t, 0, 2, 0, true);
    char *na = rs_pubtable_cell_text(t, 0, 1, 1, false);
    ok(!strcmp(a, "14\xc2\xa0" "145,5"), "text nb: 14 145,5 with no-break space (got '%s')", a);
    ok(!strcmp(b, "14145.5"), "text: 14145.5 (got '%s')", b);
    ok(!strcmp(lo, "1414,5"), "text nb: four digits ungrouped (got '%s')", lo);
    ok(!strcmp(hi, "0,0"), "text: -0.04 rounds to 0,0 without a sign (got '%s')", hi);
    ok(!strcmp(cnt, "1414"), "text: count without decimals (got '%s')", cnt);
    ok(!strcmp(neg, "\xe2\x88\x92" "2,50"), "text nb: minus sign U+2212 (got '%s')", neg);
    ok(!strcmp(na, "."), "text: a CI the column lacks is '.' (got '%s')", na);
    g_free(a); g_free(b); g_free(lo); g_free(hi); g_free(cnt); g_free(neg); g_free(na);
    rs_pubtable_free(t);
  }

  /* 8. Random two-way and hierarchical tables: suppression then audit must
   *    always pass, and the QR rank test must agree.  Many small cells
   *    (Poisson mean 6, a third of cells Poisson mean 1.5). */
  {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20220801);
    int all_pass = 1, all_agree = 1, all_min_n = 1;
    size_t ntables = 0, nsec = 0, nprim = 0;
    for (int rep = 0; rep < 150; rep++) {
      size_t R = 2 + gsl_rng_uniform_int(rng, 7), C = 2 + gsl_rng_uniform_int(rng, 6);
      double *v = g_new(double, R * C);
      for (size_t i = 0; i < R * C; i++)
        v[i] = gsl_ran_poisson(rng, gsl_rng_uniform(rng) < 0.33 ? 1.5 : 6.0);
      rs_pubtable *t = twoway(v, R, C);
      double min_n = rep % 3 == 0 ? 3 : 5;
      if (!rs_disclosure_suppress(t, min_n, &st, &err)) {
        diag("rep %d: %s", rep, err ? err->message : "?");
        g_clear_error(&err);
        all_pass = 0;
      }
      nsec += st.n_secondary;
      nprim += st.n_primary;
      rs_audit_result res;
      if (!rs_disclosure_audit(t, min_n, &res, &err)) {
        diag("rep %d (%zux%zu): %s", rep, R, C, res.message ? res.message : "?");
        all_pass = 0;
      }
      rs_audit_result_clear(&res);
      if (!cross_check(t, "random")) all_agree = 0;
      for (size_t i = 0; i < t->nrows * t->ncols; i++)
        if (t->cells[i].state == RS_CELL_VALUE && t->cells[i].n > 0 && t->cells[i].n < min_n) all_min_n = 0;
      rs_pubtable_free(t);
      g_free(v);
      ntables++;
    }
    /* Hierarchy: 3 fylker × 2–6 kommuner × 3 year columns with year totals,
     * fylke subtotals and a national row. */
    for (int rep = 0; rep < 60; rep++) {
      size_t nk[3], K = 0;
      for (int f = 0; f < 3; f++) K += nk[f] = 2 + gsl_rng_uniform_int(rng, 5);
      size_t R = K + 3 + 1, C = 4;
      rs_pubtable *t = rs_pubtable_new("h", "h", R, C);
      double *val = g_new0(double, R * C);
      size_t r = 0, sub[3], *parts = g_new(size_t, K);
      for (int f = 0; f < 3; f++) {
        size_t first = r;
        for (size_t k = 0; k < nk[f]; k++, r++) {
          rs_pubtable_set_row(t, r, NULL, "k", RS_ROLE_UNIT);
          for (size_t c = 0; c < 3; c++) val[r * C + c] = gsl_ran_poisson(rng, gsl_rng_uniform(rng) < 0.4 ? 2.0 : 9.0);
        }
        sub[f] = r;
        rs_pubtable_set_row(t, r, NULL, "fylke", RS_ROLE_SUBTOTAL);
        for (size_t c = 0; c < 3; c++)
          for (size_t q = first; q < r; q++) val[r * C + c] += val[q * C + c];
        for (size_t c = 0; c < C; c++) {
          for (size_t q = first; q < r; q++) parts[q - first] = q;
          rs_pubtable_sum_rows(t, c, r, parts, r - first);
        }
        r++;
      }
      rs_pubtable_set_row(t, r, NULL, "landet", RS_ROLE_TOTAL);
      for (size_t c = 0; c < 3; c++)
        for (int f = 0; f < 3; f++) val[r * C + c] += val[sub[f] * C + c];
      for (size_t c = 0; c < C; c++) rs_pubtable_sum_rows(t, c, r, sub, 3);
      for (size_t q = 0; q < R; q++) {
        for (size_t c = 0; c < 3; c++) val[q * C + 3] += val[q * C + c];
        for (size_t c = 0; c < C; c++) rs_pubtable_set_count(t, q, c, val[q * C + c]);
        size_t yc[] = {0, 1, 2};
        rs_pubtable_sum_cols(t, q, 3, yc, 3);
      }
      rs_pubtable_set_col(t, 3, "alle", "Alle år", NULL, RS_COL_COUNT, 0, false, RS_ROLE_TOTAL);
      if (!rs_disclosure_suppress(t, 5, &st, &err)) {
        diag("hier rep %d: %s", rep, err ? err->message : "?");
        g_clear_error(&err);
        all_pass = 0;
      }
      nsec += st.n_secondary;
      nprim += st.n_primary;
      rs_audit_result res;
      if (!rs_disclosure_audit(t, 5, &res, &err)) {
        diag("hier rep %d: %s", rep, res.message ? res.message : "?");
        all_pass = 0;
      }
      rs_audit_result_clear(&res);
      if (!cross_check(t, "hier")) all_agree = 0;
      rs_pubtable_free(t);
      g_free(val);
      g_free(parts);
      ntables++;
    }
    gsl_rng_free(rng);
    diag("random: %zu tables, %zu primary, %zu secondary cells (seed 20220801)", ntables, nprim, nsec);
    ok(nprim > 100 && nsec > 100, "random: the tables exercise suppression (%zu primary, %zu secondary)", nprim, nsec);
    ok(all_pass, "random: suppression + audit pass on every table");
    ok(all_agree, "random: the SVD verdicts agree with the QR rank test; nothing derivable");
    ok(all_min_n, "random: no published value from fewer than min_n persons");
  }
  /* Regression (found by report/casetables on the sample, fylke 46): a
   * fully suppressed 20 × 7 kommune × year table with totals has nothing
   * derivable (every cell can move along a null vector), but the one-sided
   * Jacobi SVD left the null singular values at 1e-8 … 1e-3 and the
   * auditor called all 168 cells derivable, so suppression could not end.
   * QR with pivoting (qr_derivable) agrees: nothing is derivable. */
  {
    size_t nk = 20, ny = 7, nr = nk + 1, nc = ny + 1;
    rs_pubtable *t = rs_pubtable_new("big", "big", nr, nc);
    size_t years[7], krows[20];
    for (size_t y = 0; y < ny; y++) years[y] = y;
    for (size_t r = 0; r < nk; r++) krows[r] = r;
    for (size_t r = 0; r < nr; r++)
      for (size_t c = 0; c < nc; c++) rs_pubtable_set_count(t, r, c, (double)(ny + 1) * (double)(nk + 1));
    for (size_t r = 0; r < nr; r++) rs_pubtable_sum_cols(t, r, ny, years, ny);
    for (size_t c = 0; c < nc; c++) rs_pubtable_sum_rows(t, c, nr - 1, krows, nk);
    for (size_t i = 0; i < nr * nc; i++) t->cells[i].state = RS_CELL_SECONDARY;
    ok(cross_check(t, "fully suppressed 21 x 8"), "fully suppressed 21 x 8 two-way table: nothing derivable (SVD and QR)");
    /* publish one kommune row's year cells: its total follows, nothing else */
    for (size_t y = 0; y < ny; y++) rs_pubtable_cell(t, 0, y)->state = RS_CELL_VALUE;
    size_t *bad = NULL;
    gssize nbad = rs_disclosure_derivable(t, &bad, &err);
    ok(nbad == 1 && bad[0] == ny && qr_derivable(t, ny), "… with row 0's years published only its total is derivable");
    g_free(bad);
    rs_pubtable_free(t);
  }

  return done();
}
