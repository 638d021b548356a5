/* padjust.h — adjusting p-values for multiple testing, as R's p.adjust.
 *
 * Holm (step-down, family-wise error), Bonferroni, and Benjamini–Hochberg
 * (step-up, false discovery rate).  NAN p-values are left out of the
 * family and stay NAN (n = the number of non-missing p-values, as
 * p.adjust's default n = length(p[!is.na(p)])).
 * Shared by compare (several outcomes) and correlate (several pairs).
 */
#ifndef RS_PADJUST_H
#define RS_PADJUST_H

#include <stddef.h>

typedef enum { RS_PADJUST_NONE, RS_PADJUST_HOLM, RS_PADJUST_BONFERRONI, RS_PADJUST_BH } rs_padjust_method;

/* "none", "holm", "bonferroni", "bh" (also "BH", "fdr"), case-insensitive;
 * NULL gives RS_PADJUST_NONE; -1 for anything else. */
int rs_padjust_method_from_name(const char *name);
/* "none", "Holm", "Bonferroni", "Benjamini-Hochberg". */
const char *rs_padjust_method_name(rs_padjust_method m);

/* adj[i] = adjusted p[i]; p and adj may be the same array. */
void rs_padjust(const double *p, size_t n, rs_padjust_method m, double *adj);

#endif
