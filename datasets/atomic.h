/* atomic.h — outputs that appear whole or not at all.
 *
 * rs_atomic_open() gives a FILE* on ".NAME.tmp-XXXXXX" in the target's
 * directory; rs_atomic_commit() flushes, fsyncs and renames it over PATH;
 * rs_atomic_abort() removes it.  A failure (or a crash) therefore never
 * leaves a half-written table, figure or report under the real name, and
 * an earlier file at PATH stays as it was until the rename.
 * path "-" writes to standard output directly, and so does an existing
 * path that is not a regular file (a terminal, /dev/null, /dev/full, a
 * FIFO): those cannot be renamed over, and replacing a device node with a
 * regular file would break it for everyone.
 *
 * Temporary files and directories are registered while they exist;
 * rs_atomic_guard_signals() (called once by main) installs handlers for
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT that remove every registered
 * temporary, say so on stderr and then die of the same signal, and it
 * ignores SIGXFSZ so that a file-size limit (ulimit -f) makes write()
 * fail with EFBIG — reported like a full disk — instead of killing the
 * program with the temporary file left behind.
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
 * directories, which never hold subdirectories), and unregisters it. */
void rs_atomic_remove_dir(const char *dir);

/* Whole-buffer convenience (temporary file + rename; stdout for "-"). */
gboolean rs_atomic_write(const char *path, const char *data, gssize len, GError **err);

/* Creates a temporary output directory from `tmpl` (ending in XXXXXX,
 * replaced in place) and registers it, so that a signal removes it and the
 * files in it.  Returns FALSE with errno set on failure.  Unregister it
 * with rs_atomic_forget_dir() after renaming it into place, or remove it
 * with rs_atomic_remove_dir(). */
gboolean rs_atomic_mkdtemp(char *tmpl);
void rs_atomic_forget_dir(const char *dir);

/* Replaces the directory `dir` by `tmp` (both beside each other): with
 * renameat2(RENAME_EXCHANGE) the swap is one atomic step, so `dir` always
 * holds either the old or the new output; the old one then ends up at `tmp`
 * and is removed.  Where exchange is not supported, the old directory is
 * moved aside first.  Returns FALSE with errno set (dir unchanged). */
gboolean rs_atomic_replace_dir(const char *tmp, const char *dir);

/* fsync()s a directory, so that a rename in it survives a power cut. */
void rs_atomic_sync_dir(const char *dir);

/* See the top of this file.  Idempotent. */
void rs_atomic_guard_signals(void);

#endif
