/* reform-index.h — outcome indexes from the codebook's `index` column, their
 * reliability and top-2-box shares (issue 6, item 1).
 *
 * An index is the mean of its items after reverse coding (codebook
 * reverse = 1: min + max - x), computed for a row only when at least
 * min_share (default 0.5) of its items are answered; an answer is a value
 * that is present (empty cells and codebook missing codes such as 8 "Vet
 * ikke" do not count).  With 3 items and 0.5 that means 2 answered items:
 * ceil(min_share * k).  Every item of an index must have the same codebook
 * scale (min and max): an index that mixes scales is an error naming the
 * index and its items, since a mean of a 1–5 and a 1–7 item means nothing.
 *
 * Reliability: Cronbach's alpha of the reverse-coded items (reliability.h,
 * psych::alpha's raw_alpha from pairwise covariances) over all rows used,
 * and per wave (the values of a wave column, `year` by default).
 * Top-2-box: per item, the share of answers in the two highest scale points
 * after reverse coding (x >= max - 1); per index, the share of respondents
 * whose index value is >= max - 1 (on 1–5: an index of 4 or more, i.e. on
 * average "agree").
 *
 * Sequence: rs_reform_indexes_new (reads the table and codebook), read the
 * struct (values per row, statistics over the chosen rows),
 * rs_reform_indexes_records for a result table, rs_reform_indexes_add_columns
 * to write the indexes back as columns, rs_reform_indexes_free.
 */
#ifndef RS_REFORM_INDEX_H
#define RS_REFORM_INDEX_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis/results.h"
#include "datasets/codebook.h"
#include "datasets/table.h"

/* How much rs_reform_indexes_new builds. */
typedef enum {
  RS_INDEX_BUILD_ALL = 0,      /* values per row and the statistics */
  RS_INDEX_BUILD_VALUES,       /* values per row; the statistics (n, mean, alpha, …) stay unset */
  RS_INDEX_BUILD_ITEMS         /* the items (set up and checked) only; value stays NULL */
} rs_reform_index_build;

typedef struct {
  double min_share;            /* share of items that must be answered, in (0, 1]; 0 → 0.5 */
  const char *wave_column;     /* alpha per wave: NULL → "year" when the table has it; "" → none */
  const char *const *names;    /* indexes to build (NULL-terminated); NULL: every index in the codebook */
  const size_t *rows;          /* rows the statistics use (NULL: all); index values are made for every row */
  size_t nrows;
  const char *lang;            /* "nb" (NULL) or "en": item labels */
  rs_reform_index_build build;
} rs_reform_index_options;

typedef struct {
  char *name;                  /* the codebook's index name */
  size_t k;                    /* items */
  char **items;                /* [k], NULL-terminated: column names in codebook order */
  char **item_labels;          /* [k] codebook labels in the chosen language */
  bool *reverse;               /* [k] reverse-coded */
  int *cols;                   /* [k] table columns */
  double scale_min, scale_max;
  size_t min_items;            /* answered items a row needs: ceil(min_share k) */
  double *value;               /* [table rows]: the index, NAN when too few items are answered */

  /* statistics over the rows used */
  size_t n;                    /* rows with an index value */
  double mean, sd;             /* of the index (NAN when n < 1 / n < 2) */
  double top2;                 /* share of rows with index >= scale_max - 1 */
  double alpha;                /* NAN when not defined: alpha_problem says why */
  size_t alpha_n, alpha_n_complete;  /* rows with an item answered / all items answered */
  char *alpha_problem;
  size_t n_waves;
  double *wave;                /* [n_waves] wave values, ascending */
  double *wave_alpha;          /* [n_waves] NAN when not defined */
  size_t *wave_n;              /* [n_waves] rows with an index value */
  size_t *wave_alpha_n;        /* [n_waves] rows with an item answered */
  char **wave_problem;         /* [n_waves] NULL or why alpha is not defined */
  size_t *item_n;              /* [k] answers */
  double *item_mean;           /* [k] after reverse coding */
  double *item_top2;           /* [k] share of answers >= scale_max - 1 after reverse coding */
} rs_reform_index;

typedef struct {
  size_t n;                    /* indexes */
  rs_reform_index *index;
  size_t nrows;                /* table rows (length of value) */
  size_t rows_used;            /* rows the statistics use */
  double min_share;
  char *wave_column;           /* the wave column used, or NULL */
} rs_reform_indexes;

/* Fails (err set, NULL) when the codebook is missing or has no index (or
 * no index of o->names), an item is not a numeric column of the table,
 * has no scale, or the items of an index are on different scales. */
rs_reform_indexes *rs_reform_indexes_new(const rs_table *t, const rs_codebook *cb, const rs_reform_index_options *o,
                                         GError **err);
void rs_reform_indexes_free(rs_reform_indexes *x);
/* The index called `name`, or NULL. */
const rs_reform_index *rs_reform_indexes_find(const rs_reform_indexes *x, const char *name);

/* Sections: indexes (n, mean, sd, top-2-box, alpha), alpha per wave,
 * items (n, mean after reverse coding, top-2-box). */
void rs_reform_indexes_records(const rs_reform_indexes *x, const char *lang, rs_results *out);

/* Adds one numeric column per index (named as the index) to t, missing
 * (empty) where the index is not computed.  Fails when t already has a
 * column of that name. */
gboolean rs_reform_indexes_add_columns(const rs_reform_indexes *x, rs_table *t, GError **err);

#endif
