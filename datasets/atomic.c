/* atomic.c — write to a temporary file beside the target, then rename. */
#include "datasets/atomic.h"
#include "datasets/error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rs_atomic {
  char *path, *tmp;
  FILE *fp;
  gboolean is_stdout;
};

rs_atomic *rs_atomic_open(const char *path, GError **err) {
  rs_atomic *a = g_new0(rs_atomic, 1);
  a->path = g_strdup(path);
  if (strcmp(path, "-") == 0) {
    a->fp = stdout;
    a->is_stdout = TRUE;
    return a;
  }
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: is a directory; give a file name", path);
    g_free(a->path);
    g_free(a);
    return NULL;
  }
  char *base = g_path_get_basename(path);
  char *dir = g_path_get_dirname(path);
  char *name = g_strdup_printf(".%s.tmp-XXXXXX", base);
  a->tmp = g_build_filename(dir, name, NULL);
  g_free(base);
  g_free(dir);
  g_free(name);
  int fd = g_mkstemp(a->tmp);
  if (fd < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write here: %s", path, g_strerror(errno));
    g_free(a->tmp);
    g_free(a->path);
    g_free(a);
    return NULL;
  }
  /* mkstemp makes the file 0600; give it the mode a plain fopen would */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) { /* keep 0600: still correct, only stricter */ }
  a->fp = fdopen(fd, "wb");
  return a;
}

FILE *rs_atomic_file(rs_atomic *a) { return a->fp; }
const char *rs_atomic_tmp_path(const rs_atomic *a) { return a->tmp; }

gboolean rs_atomic_commit(rs_atomic *a, GError **err) {
  gboolean ok = TRUE;
  if (a->is_stdout) {
    if (fflush(stdout) != 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "cannot write to standard output: %s", g_strerror(errno));
      ok = FALSE;
    }
  } else {
    int e = 0;
    if (ferror(a->fp) || fflush(a->fp) != 0 || fsync(fileno(a->fp)) != 0) e = errno ? errno : EIO;
    if (fclose(a->fp) != 0 && e == 0) e = errno;
    if (e == 0 && g_rename(a->tmp, a->path) != 0) e = errno;
    if (e != 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s (nothing was written)", a->path, g_strerror(e));
      g_unlink(a->tmp);
      ok = FALSE;
    }
  }
  g_free(a->tmp);
  g_free(a->path);
  g_free(a);
  return ok;
}

void rs_atomic_abort(rs_atomic *a) {
  if (!a) return;
  if (!a->is_stdout) {
    fclose(a->fp);
    g_unlink(a->tmp);
  }
  g_free(a->tmp);
  g_free(a->path);
  g_free(a);
}

gboolean rs_atomic_write(const char *path, const char *data, gssize len, GError **err) {
  rs_atomic *a = rs_atomic_open(path, err);
  if (!a) return FALSE;
  size_t n = len < 0 ? strlen(data) : (size_t)len;
  if (fwrite(data, 1, n, a->fp) != n) { /* the commit reports the error */ }
  return rs_atomic_commit(a, err);
}

void rs_atomic_remove_dir(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  if (d) {
    const char *n;
    while ((n = g_dir_read_name(d))) {
      char *p = g_build_filename(dir, n, NULL);
      g_unlink(p);
      g_free(p);
    }
    g_dir_close(d);
  }
  g_rmdir(dir);
}
