/* atomic.h — outputs that appear whole or not at all.
 *
 * rs_atomic_open() gives a FILE* on "PATH.tmp-XXXXXX" in the target's
 * directory; rs_atomic_commit() flushes, fsyncs and renames it over PATH;
 * rs_atomic_abort() removes it.  A failure (or a crash) therefore never
 * leaves a half-written table, figure or report under the real name.
 * path "-" writes to standard output directly.
 */
#ifndef RS_ATOMIC_H
#define RS_ATOMIC_H

#include <glib.h>
#include <stdio.h>

typedef struct rs_atomic rs_atomic;

rs_atomic *rs_atomic_open(const char *path, GError **err);
FILE *rs_atomic_file(rs_atomic *a);
const char *rs_atomic_tmp_path(const rs_atomic *a);
/* Returns FALSE (and removes the temporary file) if any write failed. */
gboolean rs_atomic_commit(rs_atomic *a, GError **err);
void rs_atomic_abort(rs_atomic *a);

/* Removes the regular files in `dir`, then `dir` (temporary output
 * directories, which never hold subdirectories). */
void rs_atomic_remove_dir(const char *dir);

/* Whole-buffer convenience (g_file_set_contents for files, stdout for "-"). */
gboolean rs_atomic_write(const char *path, const char *data, gssize len, GError **err);

#endif
