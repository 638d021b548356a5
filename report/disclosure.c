/* disclosure.c — publishable tables, primary and secondary suppression, and
 * the auditor that proves a published table reveals no suppressed value.
 *
 * The rules and the algorithm are described at the top of disclosure.h; this
 * file keeps the comments to the "why" of each step.
 */
#include "report/disclosure.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stdio.h>
#include <string.h>

#include "datasets/error.h"

/* ---- building ----------------------------------------------------------- */

rs_pubtable *rs_pubtable_new(const char *id, const char *title, size_t nrows, size_t ncols) {
  rs_pubtable *t = g_new0(rs_pubtable, 1);
  t->id = g_strdup(id ? id : "table");
  t->title = g_strdup(title ? title : "");
  t->stub = g_strdup("");
  t->nrows = nrows;
  t->ncols = ncols;
  t->rows = g_new0(rs_pubrow, nrows ? nrows : 1);
  t->cols = g_new0(rs_pubcol, ncols ? ncols : 1);
  size_t ncell = nrows * ncols;
  t->cells = g_new0(rs_pubcell, ncell > 0 ? ncell : 1);
  for (size_t i = 0; i < nrows * ncols; i++) {
    t->cells[i].value = t->cells[i].ci_low = t->cells[i].ci_high = NAN;
    t->cells[i].n = 0;
    t->cells[i].state = RS_CELL_NA;
  }
  for (size_t c = 0; c < ncols; c++) {
    t->cols[c].key = g_strdup_printf("col%zu", c + 1);
    t->cols[c].label = g_strdup("");
  }
  for (size_t r = 0; r < nrows; r++) t->rows[r].label = g_strdup("");
  t->relations = g_ptr_array_new();
  t->notes = g_ptr_array_new_with_free_func(g_free);
  return t;
}

static void relation_free(rs_relation *rel) {
  if (!rel) return;
  g_free(rel->row);
  g_free(rel->col);
  g_free(rel->coef);
  g_free(rel);
}

void rs_pubtable_free(rs_pubtable *t) {
  if (!t) return;
  for (size_t r = 0; r < t->nrows; r++) {
    g_free(t->rows[r].code);
    g_free(t->rows[r].label);
  }
  for (size_t c = 0; c < t->ncols; c++) {
    g_free(t->cols[c].key);
    g_free(t->cols[c].label);
    g_free(t->cols[c].unit);
  }
  for (guint i = 0; i < t->relations->len; i++) relation_free(g_ptr_array_index(t->relations, i));
  g_ptr_array_free(t->relations, TRUE);
  g_ptr_array_free(t->notes, TRUE);
  g_free(t->rows);
  g_free(t->cols);
  g_free(t->cells);
  g_free(t->id);
  g_free(t->title);
  g_free(t->stub);
  g_free(t->code_header);
  g_free(t);
}

void rs_pubtable_set_stub(rs_pubtable *t, const char *stub, const char *code_header) {
  g_free(t->stub);
  g_free(t->code_header);
  t->stub = g_strdup(stub ? stub : "");
  t->code_header = g_strdup(code_header);
}

void rs_pubtable_set_row(rs_pubtable *t, size_t r, const char *code, const char *label, rs_role role) {
  g_return_if_fail(r < t->nrows);
  g_free(t->rows[r].code);
  g_free(t->rows[r].label);
  t->rows[r].code = g_strdup(code);
  t->rows[r].label = g_strdup(label ? label : "");
  t->rows[r].role = role;
}

void rs_pubtable_set_col(rs_pubtable *t, size_t c, const char *key, const char *label,
                         const char *unit, rs_col_kind kind, int decimals, bool has_ci, rs_role role) {
  g_return_if_fail(c < t->ncols);
  rs_pubcol *col = &t->cols[c];
  g_free(col->key);
  g_free(col->label);
  g_free(col->unit);
  col->key = key ? g_strdup(key) : g_strdup_printf("col%zu", c + 1);
  col->label = g_strdup(label ? label : "");
  col->unit = g_strdup(unit);
  col->kind = kind;
  col->decimals = decimals < 0 ? 0 : decimals > 10 ? 10 : decimals;
  col->has_ci = has_ci;
  col->role = role;
}

void rs_pubtable_add_note(rs_pubtable *t, const char *note) {
  if (note) g_ptr_array_add(t->notes, g_strdup(note));
}

void rs_pubtable_set(rs_pubtable *t, size_t r, size_t c, double value, double ci_low,
                     double ci_high, double n) {
  g_return_if_fail(r < t->nrows && c < t->ncols);
  rs_pubcell *cell = rs_pubtable_cell(t, r, c);
  cell->value = value;
  cell->ci_low = ci_low;
  cell->ci_high = ci_high;
  cell->n = n;
  if (isnan(value))
    cell->state = RS_CELL_NA;
  else if (value == 0 && n == 0)
    cell->state = RS_CELL_ZERO;
  else
    cell->state = RS_CELL_VALUE;
}

void rs_pubtable_set_count(rs_pubtable *t, size_t r, size_t c, double count) {
  rs_pubtable_set(t, r, c, count, NAN, NAN, count);
}

size_t rs_pubtable_add_relation(rs_pubtable *t, size_t total_row, size_t total_col,
                                const size_t *rows, const size_t *cols, const double *coef,
                                size_t nparts) {
  rs_relation *rel = g_new0(rs_relation, 1);
  rel->nterms = nparts + 1;
  rel->row = g_new(size_t, nparts + 1);
  rel->col = g_new(size_t, nparts + 1);
  rel->coef = g_new(double, nparts + 1);
  /* The total first, with coefficient -1: the relation reads sum = 0. */
  rel->row[0] = total_row;
  rel->col[0] = total_col;
  rel->coef[0] = -1.0;
  for (size_t i = 0; i < nparts; i++) {
    g_return_val_if_fail(rows[i] < t->nrows && cols[i] < t->ncols, 0);
    rel->row[i + 1] = rows[i];
    rel->col[i + 1] = cols[i];
    rel->coef[i + 1] = coef ? coef[i] : 1.0;
  }
  g_ptr_array_add(t->relations, rel);
  return t->relations->len - 1;
}

size_t rs_pubtable_sum_rows(rs_pubtable *t, size_t col, size_t total_row, const size_t *rows, size_t nrows) {
  size_t *cols = g_new(size_t, nrows ? nrows : 1);
  for (size_t i = 0; i < nrows; i++) cols[i] = col;
  size_t k = rs_pubtable_add_relation(t, total_row, col, rows, cols, NULL, nrows);
  g_free(cols);
  return k;
}

size_t rs_pubtable_sum_cols(rs_pubtable *t, size_t row, size_t total_col, const size_t *cols, size_t ncols) {
  size_t *rows = g_new(size_t, ncols ? ncols : 1);
  for (size_t i = 0; i < ncols; i++) rows[i] = row;
  size_t k = rs_pubtable_add_relation(t, row, total_col, rows, cols, NULL, ncols);
  g_free(rows);
  return k;
}

size_t rs_pubtable_mean_rows(rs_pubtable *t, size_t col, size_t total_row, const size_t *rows, size_t nrows) {
  size_t *cols = g_new(size_t, nrows ? nrows : 1);
  double *coef = g_new(double, nrows ? nrows : 1);
  /* The weights are the parts' n over their sum (the total's n may count
   * persons outside the parts, e.g. with an unknown kommune). A part over
   * nobody has weight 0 and drops out. */
  double ntot = 0;
  for (size_t i = 0; i < nrows; i++) {
    double n = rs_pubtable_cell_c(t, rows[i], col)->n;
    if (isfinite(n) && n > 0) ntot += n;
  }
  for (size_t i = 0; i < nrows; i++) {
    double n = rs_pubtable_cell_c(t, rows[i], col)->n;
    cols[i] = col;
    coef[i] = (ntot > 0 && isfinite(n) && n > 0) ? n / ntot : 0.0;
  }
  size_t k = rs_pubtable_add_relation(t, total_row, col, rows, cols, coef, nrows);
  g_free(cols);
  g_free(coef);
  return k;
}

/* ---- the auditor's core ------------------------------------------------- */

/* What a reader does not see: the two ':' states.  '.' and '-' are known. */
static bool unknown(const rs_pubtable *t, size_t idx) {
  return rs_cell_state_suppressed(t->cells[idx].state);
}

typedef struct {
  size_t s;            /* suppressed cells (columns of A_S) */
  size_t m;            /* relations with a suppressed term (rows of A_S) */
  size_t *cell;        /* s: cell index of each column */
  size_t *rel;         /* m: relation index of each row */
  gsl_matrix *U;       /* max(m,s) × s: A_S, then U of its SVD */
  gsl_matrix *V;       /* s × s */
  gsl_vector *S;       /* s singular values */
  double tol;          /* singular values at or below are zero */
} svd_state;

static void svd_state_clear(svd_state *st) {
  g_free(st->cell);
  g_free(st->rel);
  if (st->U) gsl_matrix_free(st->U);
  if (st->V) gsl_matrix_free(st->V);
  if (st->S) gsl_vector_free(st->S);
  memset(st, 0, sizeof *st);
}

/* Builds A_S (relations restricted to the suppressed cells) and its SVD. */
static gboolean svd_build(const rs_pubtable *t, svd_state *st, GError **err) {
  memset(st, 0, sizeof *st);
  size_t ncell = t->nrows * t->ncols;
  gssize *colof = g_new(gssize, ncell ? ncell : 1);
  st->cell = g_new(size_t, ncell ? ncell : 1);
  for (size_t i = 0; i < ncell; i++) {
    colof[i] = -1;
    if (unknown(t, i)) {
      colof[i] = (gssize)st->s;
      st->cell[st->s++] = i;
    }
  }
  st->rel = g_new(size_t, t->relations->len ? t->relations->len : 1);
  for (guint k = 0; k < t->relations->len; k++) {
    const rs_relation *rel = g_ptr_array_index(t->relations, k);
    for (size_t i = 0; i < rel->nterms; i++)
      if (rel->coef[i] != 0 && colof[rel->row[i] * t->ncols + rel->col[i]] >= 0) {
        st->rel[st->m++] = k;
        break;
      }
  }
  if (st->s == 0) {
    g_free(colof);
    return TRUE;
  }
  /* gsl's SVD wants at least as many rows as columns: pad with zero rows,
   * which add nothing to the row space. */
  size_t M = st->m > st->s ? st->m : st->s;
  st->U = gsl_matrix_calloc(M, st->s);
  for (size_t i = 0; i < st->m; i++) {
    const rs_relation *rel = g_ptr_array_index(t->relations, st->rel[i]);
    for (size_t j = 0; j < rel->nterms; j++) {
      gssize c = colof[rel->row[j] * t->ncols + rel->col[j]];
      if (c >= 0) gsl_matrix_set(st->U, i, (size_t)c, gsl_matrix_get(st->U, i, (size_t)c) + rel->coef[j]);
    }
  }
  g_free(colof);
  st->V = gsl_matrix_alloc(st->s, st->s);
  st->S = gsl_vector_alloc(st->s);
  /* Golub–Reinsch.  Not GSL's one-sided Jacobi: on these rank-deficient
   * 0/±1 matrices it stops with the null singular values at 1e-8 … 1e-3 of
   * the largest (a fully suppressed 20 × 7 kommune table came out as "every
   * cell derivable"), while Golub–Reinsch gives them as zeros to rounding. */
  gsl_vector *work = gsl_vector_alloc(st->s);
  int status = gsl_linalg_SV_decomp(st->U, st->V, st->S, work);
  gsl_vector_free(work);
  if (status != GSL_SUCCESS) {
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL,
                "disclosure audit: the singular value decomposition failed (%s)", gsl_strerror(status));
    svd_state_clear(st);
    return FALSE;
  }
  double smax = 0;
  for (size_t j = 0; j < st->s; j++) smax = fmax(smax, gsl_vector_get(st->S, j));
  /* Coefficients are 1 or weights n_i/N; a relative 1e-9 separates a
   * structural zero from rounding by many orders of magnitude. */
  st->tol = smax * 1e-9;
  return TRUE;
}

/* Squared length of e_k's projection onto the null space of A_S: 0 exactly
 * when e_k is in the row space, i.e. when cell k is derivable. */
static double null_component(const svd_state *st, size_t k) {
  double sum = 0;
  for (size_t j = 0; j < st->s; j++)
    if (gsl_vector_get(st->S, j) <= st->tol) {
      double v = gsl_matrix_get(st->V, k, j);
      sum += v * v;
    }
  return sum;
}

static bool derivable_at(const svd_state *st, size_t k) { return null_component(st, k) < 1e-9; }

gssize rs_disclosure_derivable(const rs_pubtable *t, size_t **cells, GError **err) {
  svd_state st;
  *cells = NULL;
  if (!svd_build(t, &st, err)) return -1;
  GArray *out = g_array_new(FALSE, FALSE, sizeof(size_t));
  for (size_t k = 0; k < st.s; k++)
    if (derivable_at(&st, k)) g_array_append_val(out, st.cell[k]);
  svd_state_clear(&st);
  gssize n = (gssize)out->len;
  *cells = (size_t *)(void *)g_array_free(out, FALSE);
  return n;
}

/* ---- suppression -------------------------------------------------------- */

static bool is_total_cell(const rs_pubtable *t, size_t idx) {
  return t->rows[idx / t->ncols].role != RS_ROLE_UNIT || t->cols[idx % t->ncols].role != RS_ROLE_UNIT;
}

/* Greedy preference: non-totals before totals, non-zeros before zeros,
 * then the fewest persons (least information lost), then the smallest
 * value, then the first in row-major order. */
static bool better_complement(const rs_pubtable *t, size_t a, gssize best) {
  if (best < 0) return true;
  size_t b = (size_t)best;
  bool ta = is_total_cell(t, a), tb = is_total_cell(t, b);
  if (ta != tb) return !ta;
  bool za = t->cells[a].state == RS_CELL_ZERO, zb = t->cells[b].state == RS_CELL_ZERO;
  if (za != zb) return !za;
  double na = t->cells[a].n, nb = t->cells[b].n;
  if (na != nb) return na < nb;
  double va = fabs(t->cells[a].value), vb = fabs(t->cells[b].value);
  if (va != vb) return va < vb;
  return a < b;
}

/* A public figure is no complement: hiding it here hides nothing. */
static bool candidate(const rs_pubtable *t, size_t idx) {
  rs_cell_state s = t->cells[idx].state;
  return (s == RS_CELL_VALUE || s == RS_CELL_ZERO) && !isinf(t->cells[idx].n);
}

/* Best published cell among the terms of relation rel (-1: none). */
static gssize best_in_relation(const rs_pubtable *t, const rs_relation *rel, gssize best) {
  for (size_t i = 0; i < rel->nterms; i++) {
    size_t idx = rel->row[i] * t->ncols + rel->col[i];
    if (rel->coef[i] != 0 && candidate(t, idx) && better_complement(t, idx, best)) best = (gssize)idx;
  }
  return best;
}

static bool relation_has(const rs_pubtable *t, const rs_relation *rel, size_t idx) {
  for (size_t i = 0; i < rel->nterms; i++)
    if (rel->coef[i] != 0 && rel->row[i] * t->ncols + rel->col[i] == idx) return true;
  return false;
}

/* Distinct suppressed cells with a non-zero coefficient in rel (stops at 2). */
static size_t suppressed_in_relation(const rs_pubtable *t, const rs_relation *rel) {
  gssize first = -1;
  for (size_t i = 0; i < rel->nterms; i++) {
    if (rel->coef[i] == 0) continue;
    size_t idx = rel->row[i] * t->ncols + rel->col[i];
    if (!unknown(t, idx)) continue;
    if (first < 0)
      first = (gssize)idx;
    else if ((size_t)first != idx)
      return 2;
  }
  return first < 0 ? 0 : 1;
}

gboolean rs_disclosure_suppress(rs_pubtable *t, double min_n, rs_disclosure_stats *stats, GError **err) {
  rs_disclosure_stats st = {0};
  size_t ncell = t->nrows * t->ncols;
  t->min_n = min_n;
  /* Primary.  Start from the states set by rs_pubtable_set, so running
   * this twice (another min_n) gives the same answer as once. */
  for (size_t i = 0; i < ncell; i++) {
    rs_pubcell *c = &t->cells[i];
    if (rs_cell_state_suppressed(c->state)) c->state = (c->value == 0 && c->n == 0) ? RS_CELL_ZERO : RS_CELL_VALUE;
    if (c->state == RS_CELL_VALUE && c->n > 0 && c->n < min_n) {
      c->state = RS_CELL_PRIMARY;
      st.n_primary++;
    }
    if (c->state == RS_CELL_ZERO) st.n_zero++;
  }
  for (;;) {
    st.rounds++;
    /* Secondary, line by line: a relation with one unknown gives it away. */
    bool changed = true;
    while (changed) {
      changed = false;
      for (guint k = 0; k < t->relations->len; k++) {
        const rs_relation *rel = g_ptr_array_index(t->relations, k);
        if (suppressed_in_relation(t, rel) != 1) continue;
        gssize best = best_in_relation(t, rel, -1);
        if (best < 0) continue;  /* nothing left to suppress: the audit below decides */
        t->cells[best].state = RS_CELL_SECONDARY;
        st.n_secondary++;
        changed = true;
      }
    }
    /* Then the rank test, which catches what lines alone cannot (bridges
     * between protected rectangles, weighted mean relations). */
    size_t *bad = NULL;
    gssize nbad = rs_disclosure_derivable(t, &bad, err);
    if (nbad < 0) return FALSE;
    if (nbad == 0) {
      g_free(bad);
      break;
    }
    /* One complement for the first derivable cell, in one of its own
     * relations if any has a published cell, else in any relation that
     * touches a suppressed cell.  Then recompute: one new unknown often
     * protects several cells at once. */
    size_t k = bad[0];
    g_free(bad);
    gssize best = -1;
    for (guint r = 0; r < t->relations->len; r++) {
      const rs_relation *rel = g_ptr_array_index(t->relations, r);
      if (relation_has(t, rel, k)) best = best_in_relation(t, rel, best);
    }
    if (best < 0)
      for (guint r = 0; r < t->relations->len; r++) {
        const rs_relation *rel = g_ptr_array_index(t->relations, r);
        if (suppressed_in_relation(t, rel) > 0) best = best_in_relation(t, rel, best);
      }
    if (best < 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL,
                  "table '%s': the suppressed cell in row '%s', column '%s' cannot be protected: "
                  "every cell of its relations is suppressed or has no value",
                  t->id, t->rows[k / t->ncols].label, t->cols[k % t->ncols].label);
      return FALSE;
    }
    t->cells[best].state = RS_CELL_SECONDARY;
    st.n_secondary++;
  }
  if (stats) *stats = st;
  return TRUE;
}

/* ---- audit -------------------------------------------------------------- */

void rs_audit_result_clear(rs_audit_result *res) {
  if (!res) return;
  g_free(res->message);
  memset(res, 0, sizeof *res);
}

static const char *cell_name_col(const rs_pubtable *t, size_t c) {
  return t->cols[c].label && *t->cols[c].label ? t->cols[c].label : t->cols[c].key;
}

/* "the fylke total in row X, column Y" for a relation, in a message. */
static void describe_relation(GString *s, const rs_pubtable *t, const rs_relation *rel) {
  g_string_append_printf(s, "'%s' / '%s' = ", t->rows[rel->row[0]].label, cell_name_col(t, rel->col[0]));
  size_t shown = 0;
  for (size_t i = 1; i < rel->nterms && shown < 4; i++, shown++)
    g_string_append_printf(s, "%s'%s' / '%s'", shown ? " + " : "", t->rows[rel->row[i]].label,
                           cell_name_col(t, rel->col[i]));
  if (rel->nterms - 1 > shown) g_string_append_printf(s, " + … (%zu terms)", rel->nterms - 1);
}

gboolean rs_disclosure_audit(const rs_pubtable *t, double min_n, rs_audit_result *res, GError **err) {
  rs_audit_result local = {0};
  rs_audit_result *r = res ? res : &local;
  memset(r, 0, sizeof *r);
  size_t ncell = t->nrows * t->ncols;
  /* Rule 1: nothing published rests on too few persons. */
  for (size_t i = 0; i < ncell; i++) {
    const rs_pubcell *c = &t->cells[i];
    size_t row = i / t->ncols, col = i % t->ncols;
    if (c->state == RS_CELL_VALUE && c->n > 0 && c->n < min_n) {
      r->verdict = RS_AUDIT_SMALL_N;
      r->row = row;
      r->col = col;
      r->message = g_strdup_printf("table '%s': row '%s', column '%s' is published but built on %g persons "
                                   "(fewer than %g)", t->id, t->rows[row].label, cell_name_col(t, col), c->n, min_n);
      break;
    }
    if (c->state == RS_CELL_ZERO && !(c->value == 0 && c->n == 0)) {
      r->verdict = RS_AUDIT_ZERO;
      r->row = row;
      r->col = col;
      r->message = g_strdup_printf("table '%s': row '%s', column '%s' is shown as '-' (zero) but is built on "
                                   "%g persons", t->id, t->rows[row].label, cell_name_col(t, col), c->n);
      break;
    }
  }
  if (r->verdict != RS_AUDIT_OK) {
    if (!res) rs_audit_result_clear(&local);
    return FALSE;
  }
  /* Rule 2: no suppressed cell in the row space of the relations. */
  svd_state st;
  if (!svd_build(t, &st, err)) return FALSE;
  r->n_suppressed = st.s;
  for (size_t j = 0; j < st.s; j++)
    if (gsl_vector_get(st.S, j) > st.tol) r->rank++;
  for (size_t k = 0; k < st.s; k++) {
    if (!derivable_at(&st, k)) continue;
    size_t idx = st.cell[k], row = idx / t->ncols, col = idx % t->ncols;
    r->verdict = RS_AUDIT_DERIVABLE;
    r->row = row;
    r->col = col;
    /* The derivation itself: y = U Σ⁺ Vᵀ e_k solves A_Sᵀ y = e_k; the
     * relations with y_i ≠ 0 are the ones a reader would combine. */
    GString *msg = g_string_new(NULL);
    g_string_append_printf(msg, "table '%s': the suppressed cell in row '%s', column '%s' can be computed "
                                "from published cells, using ", t->id, t->rows[row].label, cell_name_col(t, col));
    size_t used = 0;
    for (size_t i = 0; i < st.m; i++) {
      double y = 0;
      for (size_t j = 0; j < st.s; j++) {
        double sj = gsl_vector_get(st.S, j);
        if (sj > st.tol) y += gsl_matrix_get(st.U, i, j) * gsl_matrix_get(st.V, k, j) / sj;
      }
      if (fabs(y) < 1e-9) continue;
      if (used == 3) {
        g_string_append(msg, " and more");
        break;
      }
      if (used) g_string_append(msg, "; ");
      describe_relation(msg, t, g_ptr_array_index(t->relations, st.rel[i]));
      used++;
    }
    r->message = g_string_free(msg, FALSE);
    break;
  }
  svd_state_clear(&st);
  gboolean safe = r->verdict == RS_AUDIT_OK;
  if (!res) rs_audit_result_clear(&local);
  return safe;
}

/* ---- text --------------------------------------------------------------- */

/* "%.*f", then Norwegian: decimal comma and no-break-space thousands. */
static char *format_number(double v, int decimals, bool decimal_comma) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.*f", decimals, v);
  /* -0.0 after rounding is 0.0: a minus sign on nothing misleads. */
  if (buf[0] == '-') {
    bool allzero = true;
    for (const char *p = buf + 1; *p; p++)
      if (*p >= '1' && *p <= '9') allzero = false;
    if (allzero) memmove(buf, buf + 1, strlen(buf));
  }
  if (!decimal_comma) return g_strdup(buf);
  GString *s = g_string_new(NULL);
  const char *p = buf;
  if (*p == '-') {
    /* U+2212 MINUS SIGN, as Norwegian typesetting wants. */
    g_string_append(s, "\xe2\x88\x92");
    p++;
  }
  const char *dot = strchr(p, '.');
  size_t intlen = dot ? (size_t)(dot - p) : strlen(p);
  for (size_t i = 0; i < intlen; i++) {
    /* Group only from five digits: SSB writes 1414 but 14 145. */
    if (i > 0 && intlen > 4 && (intlen - i) % 3 == 0) g_string_append(s, "\xc2\xa0");
    g_string_append_c(s, p[i]);
  }
  if (dot) {
    g_string_append_c(s, ',');
    g_string_append(s, dot + 1);
  }
  return g_string_free(s, FALSE);
}

char *rs_pubtable_cell_text(const rs_pubtable *t, size_t r, size_t c, int part, bool decimal_comma) {
  const rs_pubcell *cell = rs_pubtable_cell_c(t, r, c);
  switch (cell->state) {
    case RS_CELL_PRIMARY:
    case RS_CELL_SECONDARY: return g_strdup(":");
    case RS_CELL_ZERO: return g_strdup("-");
    case RS_CELL_NA: return g_strdup(".");
    case RS_CELL_VALUE: break;
  }
  double v = part == 1 ? cell->ci_low : part == 2 ? cell->ci_high : cell->value;
  if (isnan(v)) return g_strdup(".");
  return format_number(v, t->cols[c].decimals, decimal_comma);
}
