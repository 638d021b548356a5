/* formula.h — R-style model formulas and the design matrices built from them.
 *
 * `y ~ x1 + x2 + factor(g) + a:b + c*d`, with `- 1` or `+ 0` for a model
 * without intercept.  Terms are named as R prints them: `(Intercept)`,
 * `x`, `factor(g)2`, `a:b`, `factor(g)2:x`.  A variable in factor(), and a
 * text column used as it is, becomes treatment-contrast columns with the
 * first level as reference; levels are sorted as R's factor() sorts them
 * (numerically for numbers, else by string, byte order).  Which factors get
 * contrasts and which full indicator coding follows R's model.matrix
 * (stats/src/model.c, TermCode): a factor in a term is coded by contrasts
 * when the term without it is empty or contained in an earlier term, and in
 * a model without intercept the first factor gets all its levels.  Terms
 * are ordered by degree (main effects, then two-way interactions, …), as
 * R's terms() orders them.
 *
 * Building a design drops every row with a missing value in any variable
 * used (listwise, like R's na.omit) and counts the rows dropped.
 *
 * Sequence: rs_formula_parse, then rs_design_build on a table, then fit
 * (ols.h, logit.h), then rs_design_free and rs_formula_free.
 */
#ifndef RS_FORMULA_H
#define RS_FORMULA_H

#include <glib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <stdbool.h>
#include <stdint.h>

#include "datasets/table.h"

#define RS_FORMULA_MAX_VARS 64

typedef struct {
  char *name;       /* column name */
  bool factor;      /* written as factor(name) */
} rs_formula_var;

typedef struct {
  char *text;                /* the formula as given */
  char *response;            /* left-hand side */
  bool intercept;
  size_t n_vars;             /* right-hand-side variables, in order of first appearance */
  rs_formula_var vars[RS_FORMULA_MAX_VARS];
  size_t n_terms;            /* terms, each a set of variables (bit j = vars[j]) */
  uint64_t *terms;
} rs_formula;

/* Parses `text`; on a syntax error returns NULL with a message that shows
 * the formula and a caret under the error position. */
rs_formula *rs_formula_parse(const char *text, GError **err);
void rs_formula_free(rs_formula *f);
/* Term label as R prints it ("x", "factor(g)", "a:b"); g_free it. */
char *rs_formula_term_label(const rs_formula *f, size_t term);

typedef struct {
  const char *const *extra;  /* further columns whose missing values drop rows (weight, cluster), NULL-terminated */
  bool binary_response;      /* the response may be a text column with two levels (second level = 1) */
  bool sparse;               /* give the rows as (column, value) pairs instead of X (see rs_design) */
  const bool *subset;        /* rows of the table to consider (NULL: all); n_dropped counts only these */
} rs_design_options;

#define RS_DESIGN_ZERO UINT32_MAX   /* sp_col of an entry that is zero */

typedef struct {
  size_t n, p;               /* rows used, columns */
  gsl_matrix *X;             /* n x p; NULL when built sparse */
  /* Built sparse: row r's non-zero entries are among its `width` pairs
   * (sp_col[r * width + m], sp_val[…]), one per term (and the intercept),
   * in increasing column order; sp_col is RS_DESIGN_ZERO for an entry that
   * is zero (a factor's reference level).  A value may still be 0 (a
   * numeric variable that is 0).  rs_design_densify makes X from them. */
  size_t width;
  uint32_t *sp_col;
  double *sp_val;
  gsl_vector *y;             /* n */
  char **names;              /* p column names, as R prints them (NULL-terminated) */
  size_t *term;              /* p: term index of each column, (size_t)-1 for the intercept */
  size_t *rows;              /* n: table row of each row used */
  size_t n_dropped;          /* rows dropped for a missing value */
  bool intercept;
  char *response;
  char *y_levels[2];         /* binary text response: the two levels (0, 1); else NULL */
} rs_design;

rs_design *rs_design_build(const rs_formula *f, const rs_table *t, const rs_design_options *o, GError **err);
/* Fills X from the sparse pairs (a no-op when X exists); FALSE when the
 * memory limit (limits.h) refuses it. */
gboolean rs_design_densify(rs_design *d, GError **err);
void rs_design_free(rs_design *d);

#endif
