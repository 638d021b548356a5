/* numsort.h — sorting doubles by a radix sort on their bits.
 *
 * Ranks (Spearman), medians and quantiles sort 10^5..10^6 doubles; qsort's
 * n log n calls of a comparison function cost several times more than the
 * few linear passes of an LSD radix sort.  The order is the ascending order
 * of qsort with (a > b) - (a < b); -0 is taken as +0 (rs_numsort_sort
 * writes it back as +0, so a median or a distinct value is never printed
 * "-0" by the accident of an order).  NaN is not allowed (callers drop
 * missing values first); a NaN would sort to an end by its sign bit.
 */
#ifndef RS_NUMSORT_H
#define RS_NUMSORT_H

#include <stddef.h>

/* Sort x[0..n) ascending in place. */
void rs_numsort_sort(double *x, size_t n);

/* order[0..n) receives the indexes of x in ascending order of x; values
 * with the same bits keep their index order (stable). */
void rs_numsort_order(const double *x, size_t n, size_t *order);

#endif
