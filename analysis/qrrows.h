/* qrrows.h — Householder QR of a tall row-major matrix, a chunk of rows at
 * a time (sequential TSQR), with the reflectors kept in place.
 *
 * Why: the column-by-column Householder QR of a row-major n x p matrix
 * walks the whole matrix once per column with a stride of p doubles, so a
 * 1.2-million-row design streams from memory p times.  Here the rows are
 * cut into chunks of a few hundred rows that stay in cache; each chunk is
 * stacked under the running p x p triangular factor R and reduced with p
 * reflectors (the QR of [R; chunk]), which leaves the new R on top.  Rows
 * may also be cut into `parts` (each with its own R, factorised on its own
 * thread) whose R factors are merged the same way at the end.  The
 * arithmetic is that of Householder QR, so it is as stable; only the order
 * of the operations differs (results agree with the column-wise QR to
 * rounding).  The number of parts, not the number of threads, fixes the
 * order of the operations: the result does not depend on the machine.
 *
 * Q is kept implicitly.  Vectors that Q or Q' act on are *extended*: their
 * first parts x p entries are the "top" rows (the rows of the R factors,
 * zero rows of the problem, which start at zero), followed by the n data
 * rows.  After rs_qrrows_factor, entries 0 … p-1 of Q'v are R's rows.
 *
 * Sequence: rs_qrrows_factor (A is overwritten by the reflectors),
 * rs_qrrows_r, rs_qrrows_apply_qt / rs_qrrows_apply_q, rs_qrrows_free.
 */
#ifndef RS_QRROWS_H
#define RS_QRROWS_H

#include <gsl/gsl_matrix.h>
#include <stddef.h>

typedef struct rs_qrrows rs_qrrows;

/* Factorises A (n x p, row-major, tda == p not required) in place without
 * pivoting.  chunk: rows per chunk (0: about 16 KiB of rows); parts: row
 * blocks merged at the end (0 or 1: one); threads: at most this many run at
 * once (0: one per part, up to the processors). */
rs_qrrows *rs_qrrows_factor(gsl_matrix *A, size_t chunk, size_t parts, size_t threads);

/* Length of the extended vectors: parts x p + n. */
size_t rs_qrrows_ext_len(const rs_qrrows *q);
/* Offset of the data rows in an extended vector (parts x p). */
size_t rs_qrrows_top_len(const rs_qrrows *q);

/* The p x p upper triangular R (strictly lower part zero), a view into q. */
const gsl_matrix *rs_qrrows_r(const rs_qrrows *q);

/* v = Q' v and v = Q v for an extended vector v (rs_qrrows_ext_len entries). */
void rs_qrrows_apply_qt(const rs_qrrows *q, double *v);
void rs_qrrows_apply_q(const rs_qrrows *q, double *v);

void rs_qrrows_free(rs_qrrows *q);

#endif
