/* bygroup.h — one number per group: the mean of a variable (with its SE
 * and a t interval), or a rate as the ratio of sums (numerator summed over
 * the group's rows / denominator summed × scale; never a mean of rates).
 * Used by charts that colour places (plots/tilemap.c) and by reports.
 *
 * Rows whose group, variable or denominator is missing are left out whole
 * and counted.  Groups come out in the order of their text (codes such as
 * fylke "03" … "56" sort as codes).
 */
#ifndef RS_BYGROUP_H
#define RS_BYGROUP_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "datasets/table.h"

typedef struct {
  char *group;         /* the group's value as text ("03") */
  size_t n;            /* rows used */
  double value;        /* mean, or rate */
  double se, ci_low, ci_high;  /* mean only (NAN for a rate or n < 2) */
  double num, den;     /* rate: the two sums */
} rs_group_value;

typedef struct {
  GPtrArray *groups;   /* of rs_group_value*, sorted by group text */
  size_t rows_used, rows_dropped;
  bool is_rate;
  double scale;
} rs_bygroup;

/* by: grouping column (kommune, fylke, category …); var: numeric column;
 * per: denominator column for a rate (NULL: the mean of var); scale: rate
 * multiplier (0 → 1000).  rows/nrows: the rows to use (rows NULL: all).
 * Fails with a sentence when a column is absent or not numeric, or when no
 * row has all values. */
rs_bygroup *rs_bygroup_compute(const rs_table *t, const char *by, const char *var, const char *per, double scale,
                               const size_t *rows, size_t nrows, GError **err);
void rs_bygroup_free(rs_bygroup *b);
/* The group whose text is `group`, or NULL. */
const rs_group_value *rs_bygroup_find(const rs_bygroup *b, const char *group);

#endif
