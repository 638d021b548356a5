/* reliability.h — Cronbach's alpha, item-dropped alpha and corrected
 * item-total correlations, as psych::alpha().
 *
 * psych::alpha(x) works from cov(x, use = "pairwise") (its default `use`),
 * so missing answers drop out pair by pair, not row by row; we do the same.
 *   raw_alpha  = k/(k-1) (1 - tr(C)/sum(C))           ($total$raw_alpha)
 *   alpha.drop = raw_alpha of C without item i          ($alpha.drop$raw_alpha;
 *                with k = 2 psych gives C12/C22 and C12/C11, and so do we)
 *   r.drop     = (sum(C[,i]) - C[i,i]) / sqrt(C[i,i] sum(C[-i,-i]))   ($item.stats$r.drop)
 * Items marked reverse = 1 in the codebook are reversed first as
 * min + max - x with the codebook's min and max.  An item without
 * variance is an error (psych drops it with a warning).
 * Expected values in tests/test-stats2.c come from psych::alpha.
 */
#ifndef RS_RELIABILITY_H
#define RS_RELIABILITY_H

#include <glib.h>
#include <stddef.h>

#include "analysis/results.h"
#include "datasets/codebook.h"
#include "datasets/table.h"

typedef struct {
  size_t k;               /* items */
  size_t n_rows;          /* rows with at least one item answered */
  size_t n_complete;      /* rows with every item answered */
  double alpha;
  double *alpha_drop;     /* [k] */
  double *r_drop;         /* [k] corrected item-total correlation */
  double *mean, *sd;      /* [k] per item, over its answered rows */
  size_t *n_item;         /* [k] answered rows per item */
} rs_alpha;

void rs_alpha_free(rs_alpha *a);

/* x: n rows by k items, row-major, NAN for a missing answer.  names (may
 * be NULL) are used in messages.  Returns NULL with err set when alpha is
 * not defined (k < 2, an item without variance, a pair of items never
 * answered together twice). */
rs_alpha *rs_reliability_alpha(const double *x, size_t n, size_t k, const char *const *names, GError **err);

/* Items of index `name` in the codebook (its index column), in codebook
 * order; NULL-terminated, free with g_strfreev.  NULL with err when the
 * codebook has no such index. */
char **rs_reliability_index_items(const rs_codebook *cb, const char *name, GError **err);

/* Alpha for the table's columns `items`, reversing those the codebook
 * marks: one record for the scale, one per item. */
gboolean rs_reliability_table(const rs_table *t, const char *const *items, const char *index_name, rs_results *out,
                              GError **err);

#endif
