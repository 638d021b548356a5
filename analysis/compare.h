/* compare.h — comparing groups of a table: the `compare` command's library.
 *
 * Takes outcome column(s) and a grouping column, drops rows where either is
 * missing, forms the groups (sorted by code or text, as describe does),
 * runs one test per outcome from tests.h, adds effect sizes and group
 * summaries, and adjusts the p-values of several outcomes (padjust.h).
 * Results go into an rs_results in three sections: tests, effect sizes,
 * groups.  Errors name the file and the column.
 *
 * With a weight (and optionally strata and clusters) the tests are
 * design-based, as R's survey package on svydesign(ids = ~cluster or ~1,
 * strata = ~s, weights = ~w, data = complete cases): welch (or auto, 2
 * groups) is svyttest, anova (or auto, more groups) is regTermTest of
 * svyglm(y ~ factor(g)), chisq (or auto, categorical outcome) is svychisq
 * with the Rao–Scott F; group summaries are svyby(…, svymean).  Rows with the
 * outcome, group or weight missing are left out (and counted in a note)
 * before the design is built; the other tests refuse a weight.
 */
#ifndef RS_COMPARE_H
#define RS_COMPARE_H

#include <glib.h>
#include <stdbool.h>

#include "analysis/padjust.h"
#include "analysis/results.h"
#include "datasets/table.h"

typedef enum {
  RS_COMPARE_AUTO,          /* chisq for a categorical outcome; welch (2 groups) or anova (more) otherwise */
  RS_COMPARE_WELCH, RS_COMPARE_STUDENT, RS_COMPARE_PAIRED, RS_COMPARE_MANN_WHITNEY, RS_COMPARE_SIGNED_RANK,
  RS_COMPARE_CHISQ, RS_COMPARE_FISHER, RS_COMPARE_PROP, RS_COMPARE_ANOVA, RS_COMPARE_KRUSKAL
} rs_compare_test;

/* "welch", "student", "paired", "mann-whitney", "signed-rank", "chisq",
 * "fisher", "prop", "anova", "kruskal" (and "auto"); -1 otherwise. */
int rs_compare_test_from_name(const char *name);

typedef struct {
  const char *const *outcomes;  /* NULL-terminated column names */
  const char *by;               /* grouping column */
  rs_compare_test test;
  const char *id;               /* paired tests: the column matching rows across the two groups */
  const char *success;          /* prop/fisher/2x2 chisq: the outcome level counted (default: the last level) */
  bool no_continuity;           /* chisq (2 x 2) and prop without Yates' correction */
  rs_padjust_method adjust;     /* over the outcomes' p-values */
  size_t fisher_max_tables;     /* 0: the default limit of rs_tests_fisher_rxc */
  const char *weight;           /* survey weight column: design-based tests (survey.h); NULL: none */
  const char *strata, *cluster; /* with weight: the design's strata and clusters (PSUs), optional */
} rs_compare_options;

void rs_compare_options_init(rs_compare_options *o);

/* The tests that take a survey weight, for messages: "welch, anova, chisq". */
extern const char rs_compare_weighted_tests[];

gboolean rs_compare_table(const rs_table *t, const rs_compare_options *o, rs_results *out, GError **err);

#endif
