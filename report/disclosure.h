/* disclosure.h — publishable tables and disclosure control.
 *
 * Every table the county report publishes (PDF, CSV, Excel) is first built as
 * an rs_pubtable: rows × columns of cells, each cell holding its value (and
 * optionally a confidence interval), the number of persons it is built on,
 * and the additive relations between cells (which cell is the row, column or
 * fylke total of which).  Then, in this order:
 *
 *   1. rs_pubtable_new(), set labels, rs_pubtable_set() every cell;
 *   2. describe the additive structure: rs_pubtable_sum_rows() (a total row
 *      such as the fylke total is the sum of kommune rows, for one column),
 *      rs_pubtable_sum_cols() (a total column), rs_pubtable_mean_rows()
 *      (a total mean is the n-weighted mean of its parts), or the general
 *      rs_pubtable_add_relation();
 *   3. rs_disclosure_suppress(): primary then secondary suppression;
 *   4. rs_disclosure_audit(): the proof that nothing can be recovered —
 *      the report refuses to publish a table that fails it;
 *   5. write it: rs_pubtable_cell_text() for the PDF, report/tables.h for
 *      CSV and Excel.  Suppressed values stay in the struct (the greedy
 *      choice needs them) but no writer ever prints them.
 *
 * Symbols (SSB's): ':' suppressed (fewer than min_n persons, or suppressed so
 * that such a cell cannot be derived), '-' zero (a count of nobody), '.'
 * cannot be computed / does not apply (a mean over nobody).
 *
 * The rules:
 * - Primary: a cell built on 0 < n < min_n persons is suppressed — counts,
 *   means, shares and their CIs alike (the CI belongs to the cell).  A cell
 *   with n = 0 and value 0 is a zero, shown '-', not suppressed by itself:
 *   it says nobody is in the group, which identifies nobody.  A cell with
 *   n = RS_N_PUBLIC (an already published figure such as a population count
 *   from SSB) is never suppressed for its own sake.
 * - Secondary: while some relation (line) has exactly one suppressed cell,
 *   that cell would follow by subtraction; the greedy step suppresses the
 *   smallest published cell of that line, preferring (in this order) cells
 *   that are not totals, that are not zero, then the fewest persons n, then
 *   the smallest value (least information lost); public figures
 *   (RS_N_PUBLIC) are never complements.  Zeros are complements of last resort: a
 *   suppressed pair whose sum equals the small cell itself bounds that cell
 *   by its own value.  A zero total needs no protection — all its parts are
 *   zero and shown '-' — and it never exposes a suppressed part, because a
 *   suppressed part (n >= 1) cannot sit under a zero total.
 *   Line-by-line completion is not enough in two-way tables (a suppressed
 *   cell can be a "bridge" between two protected rectangles), so after it the
 *   auditor runs; for every cell still derivable one more complement is
 *   chosen in one of its lines (same preference), and the loop repeats until
 *   the audit passes.  Each round suppresses at least one more cell, so it
 *   ends.
 * - Audit: with the relations A x = 0 (one row per relation, coefficients
 *   known to everyone) split into published columns P and suppressed columns
 *   S, a reader learns A_S x_S = -A_P x_P.  Suppressed cell k is derivable by
 *   adding and subtracting published values iff the unit vector e_k lies in
 *   the row space of A_S, i.e. iff every null vector of A_S is zero in
 *   position k.  The auditor takes the SVD of A_S (GSL, Golub–Reinsch)
 *   and tests each suppressed cell's component in the null space.  It also
 *   checks that no published value rests on 0 < n < min_n persons.
 *   Not covered (documented in the report's methods page): bounds from
 *   non-negativity (a suppressed pair summing to 3 tells each is at most 3),
 *   and differencing between different published tables.
 */
#ifndef RS_DISCLOSURE_H
#define RS_DISCLOSURE_H

#include <glib.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

/* n for a figure that is public already (population from SSB): never
 * suppressed, neither for its own sake nor as a complement (hiding a figure
 * anyone can look up protects nothing). */
#define RS_N_PUBLIC INFINITY
#define RS_DISCLOSURE_MIN_N 5

typedef enum {
  RS_CELL_VALUE = 0,      /* published number */
  RS_CELL_ZERO,           /* '-': zero, nobody in the group */
  RS_CELL_NA,             /* '.': no value (a mean over nobody, does not apply) */
  RS_CELL_PRIMARY,        /* ':': built on fewer than min_n persons */
  RS_CELL_SECONDARY       /* ':': suppressed so a primary cell cannot be derived */
} rs_cell_state;

static inline bool rs_cell_state_suppressed(rs_cell_state s) {
  return s == RS_CELL_PRIMARY || s == RS_CELL_SECONDARY;
}

/* What a column holds: decides formatting and Excel number formats.  Values
 * are stored in display units (a share as percent 0–100 when the column says
 * so in its header). */
typedef enum {
  RS_COL_COUNT = 0,       /* persons or cases: additive */
  RS_COL_MEAN,            /* mean of a scale, days, hours */
  RS_COL_SHARE,           /* percent */
  RS_COL_RATE,            /* per 1 000 */
  RS_COL_MEDIAN,          /* not additive: never in a relation */
  RS_COL_OTHER
} rs_col_kind;

/* Role of a row or column in the layout and in the greedy choice
 * (totals are suppressed only as a last resort). */
typedef enum { RS_ROLE_UNIT = 0, RS_ROLE_SUBTOTAL, RS_ROLE_TOTAL } rs_role;

typedef struct {
  double value;           /* NaN: no value (state NA) */
  double ci_low, ci_high; /* NaN when the column has no CI */
  double n;               /* persons the cell is built on (RS_N_PUBLIC: public figure) */
  rs_cell_state state;
} rs_pubcell;

typedef struct {
  char *key;              /* machine name: CSV/JSON column stem ("koordinator_n") */
  char *label;            /* header as printed ("Barn med koordinator") */
  char *unit;             /* "%", "per 1 000", "dager" or NULL */
  rs_col_kind kind;
  int decimals;           /* digits after the decimal point when printed */
  bool has_ci;            /* cells carry ci_low/ci_high; writers add two columns */
  rs_role role;
} rs_pubcol;

typedef struct {
  char *code;             /* kommune/fylke number or other key ("4601"), may be NULL */
  char *label;            /* "Bergen", "Vestland i alt", "Hele landet" */
  rs_role role;
} rs_pubrow;

/* One additive relation: sum_i coef[i] * cell(row[i], col[i]) = 0
 * (a total is a term with coefficient -1). */
typedef struct {
  size_t nterms;
  size_t *row, *col;
  double *coef;
} rs_relation;

typedef struct {
  char *id;               /* file/sheet stem: "kommunetabell" (ASCII, no spaces) */
  char *title;            /* caption as printed */
  char *stub;             /* header over the row labels ("Kommune") */
  char *code_header;      /* header over row codes ("Kommunenr."), NULL: codes not printed */
  size_t nrows, ncols;
  rs_pubrow *rows;
  rs_pubcol *cols;
  rs_pubcell *cells;      /* nrows * ncols, row-major */
  GPtrArray *relations;   /* of rs_relation* */
  GPtrArray *notes;       /* of char*: footnotes printed under the table */
  double min_n;           /* set by rs_disclosure_suppress (0 before) */
} rs_pubtable;

/* A table of nrows × ncols cells, all NA until set. */
rs_pubtable *rs_pubtable_new(const char *id, const char *title, size_t nrows, size_t ncols);
void rs_pubtable_free(rs_pubtable *t);

void rs_pubtable_set_stub(rs_pubtable *t, const char *stub, const char *code_header);
void rs_pubtable_set_row(rs_pubtable *t, size_t r, const char *code, const char *label, rs_role role);
void rs_pubtable_set_col(rs_pubtable *t, size_t c, const char *key, const char *label,
                         const char *unit, rs_col_kind kind, int decimals, bool has_ci, rs_role role);
void rs_pubtable_add_note(rs_pubtable *t, const char *note);

static inline rs_pubcell *rs_pubtable_cell(rs_pubtable *t, size_t r, size_t c) {
  return &t->cells[r * t->ncols + c];
}
static inline const rs_pubcell *rs_pubtable_cell_c(const rs_pubtable *t, size_t r, size_t c) {
  return &t->cells[r * t->ncols + c];
}

/* Sets a cell: value (NaN: no value), CI (NaN, NaN: none), persons n.
 * State: NA when value is NaN, ZERO when value == 0 and n == 0, else VALUE;
 * suppression comes later. */
void rs_pubtable_set(rs_pubtable *t, size_t r, size_t c, double value, double ci_low,
                     double ci_high, double n);
/* Shorthand for a count of persons: value = n = count. */
void rs_pubtable_set_count(rs_pubtable *t, size_t r, size_t c, double count);

/* General relation: cell(total_row,total_col) = sum coef[i] * cell(rows[i],cols[i]);
 * coef NULL means all 1.  Returns the relation's index. */
size_t rs_pubtable_add_relation(rs_pubtable *t, size_t total_row, size_t total_col,
                                const size_t *rows, const size_t *cols, const double *coef,
                                size_t nparts);
/* In column col: cell(total_row) = sum of cells(rows[]) (fylke total of kommuner). */
size_t rs_pubtable_sum_rows(rs_pubtable *t, size_t col, size_t total_row, const size_t *rows, size_t nrows);
/* In row row: cell(total_col) = sum of cells(cols[]) (all years = sum of years). */
size_t rs_pubtable_sum_cols(rs_pubtable *t, size_t row, size_t total_col, const size_t *cols, size_t ncols);
/* In column col: a total mean (or share) = n-weighted mean of the parts,
 * coefficients n_i / N taken from the cells' n (set the cells first).  A
 * reader who knows the n's can undo a mean by subtraction as well. */
size_t rs_pubtable_mean_rows(rs_pubtable *t, size_t col, size_t total_row, const size_t *rows, size_t nrows);

typedef struct {
  size_t n_primary;       /* cells suppressed for n < min_n */
  size_t n_secondary;     /* complements */
  size_t n_zero;          /* '-' cells */
  size_t rounds;          /* greedy + audit rounds */
} rs_disclosure_stats;

/* Primary then secondary suppression (see the top of this file); sets
 * t->min_n.  Returns FALSE with err only on an internal failure (SVD). */
gboolean rs_disclosure_suppress(rs_pubtable *t, double min_n, rs_disclosure_stats *stats, GError **err);

typedef enum {
  RS_AUDIT_OK = 0,
  RS_AUDIT_SMALL_N,       /* a published value rests on 0 < n < min_n persons */
  RS_AUDIT_DERIVABLE,     /* a suppressed value follows from published ones */
  RS_AUDIT_ZERO           /* a '-' cell that is not a zero count (n > 0 or value != 0) */
} rs_audit_verdict;

typedef struct {
  rs_audit_verdict verdict;
  size_t row, col;        /* the offending cell (when verdict != OK) */
  char *message;          /* sentence naming table, row and column; g_free */
  size_t n_suppressed;    /* cells tested */
  size_t rank;            /* rank of A_S */
} rs_audit_result;

/* Proves the published table safe for min_n: no published value from
 * 0 < n < min_n persons, no '-' that is not a zero count, and no suppressed
 * value derivable by adding and subtracting published values through the
 * relations.  Uses only what a reader sees (cell states, n, coefficients),
 * never the suppressed values.  Returns TRUE when safe; otherwise FALSE with
 * *res describing the first offending cell (row-major order).  res may be
 * NULL.  err only for an internal failure (then FALSE and res->verdict OK). */
gboolean rs_disclosure_audit(const rs_pubtable *t, double min_n, rs_audit_result *res, GError **err);
void rs_audit_result_clear(rs_audit_result *res);

/* Every suppressed cell that is derivable (row-major indices r*ncols+c) into
 * *cells (g_free); returns how many.  The auditor's core, exposed for the
 * tests and for a report's methods page. */
gssize rs_disclosure_derivable(const rs_pubtable *t, size_t **cells, GError **err);

/* Text of one cell part as printed: ':' '-' '.' or the number with the
 * column's decimals; part 0 value, 1 ci_low, 2 ci_high.  decimal_comma: ','
 * as decimal separator and a no-break space (U+00A0) between
 * thousands (Norwegian print); else '.' and no grouping.  g_free. */
char *rs_pubtable_cell_text(const rs_pubtable *t, size_t r, size_t c, int part, bool decimal_comma);

#endif
