/* regress.h — a regression on a table, from formula to result records.
 *
 * Glue between formula.h (design), ols.h / logit.h (fit) and vcov.h
 * (standard errors), so that `reformstat regress` only parses options.
 * Records (DESIGN.md fields): one per coefficient — name (the term as R
 * prints it), estimate, se, statistic (t, or z for logistic), df (lm:
 * residual df), p_value, ci_low, ci_high (95 %, t for lm, normal for glm
 * as confint.default), method; an aliased coefficient has only its name and
 * method "aliased (NA)".  Logistic regression adds odds ratios exp(b) with
 * Wald intervals.  Model records: n, sigma, r_squared, adj_r_squared, F
 * (statistic, df, df_resid, p_value) for lm; deviance, null_deviance, AIC
 * and iterations for glm.
 *
 * Absorption: in a linear model, a term factor(G) (or a text column) that
 * is in no interaction is absorbed by the within transformation (absorb.h)
 * when o->absorb names G, or automatically when G has more than
 * RS_REGRESS_ABSORB_LEVELS distinct values (unless o->no_absorb).  Its
 * dummies and the intercept are then not reported; the other coefficients
 * and their standard errors are lm's.  A note, each coefficient's method
 * and a model record "absorbed: factor(G)" (estimate: the number of levels)
 * say so.  Without an intercept ('- 1') the factor must be the first term
 * with a factor, so that the other terms are coded as lm codes them.
 */
#ifndef RS_REGRESS_H
#define RS_REGRESS_H

#include <glib.h>
#include <stdbool.h>

#include "analysis/results.h"
#include "datasets/table.h"

typedef struct {
  const char *formula;     /* "Y ~ X1 + factor(G)" */
  bool binomial;           /* logistic regression instead of linear */
  const char *vcov;        /* classical (NULL), HC0…HC3, cluster:VAR, nw:LAGS */
  const char *weight;      /* weight column or NULL */
  double level;            /* confidence level, 0 = 0.95 */
  const char *absorb;      /* absorb factor(VAR) (absorb.h) instead of estimating its dummies, or NULL */
  bool no_absorb;          /* never absorb (estimate every dummy, as lm) */
} rs_regress_options;

/* A linear model's factor with more than this many distinct values is
 * absorbed automatically when it is a main effect only (absorb.h). */
#define RS_REGRESS_ABSORB_LEVELS 30

/* Fits and appends records to `out`; warnings (separation, dropped rows)
 * become notes.  *warning (optional, to g_free) receives a warning the
 * caller should also print on stderr, or NULL. */
gboolean rs_regress_table(const rs_table *t, const rs_regress_options *o, rs_results *out, char **warning,
                          GError **err);

#endif
