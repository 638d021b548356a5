/* atomic.c — write to a temporary file beside the target, then rename;
 * remove the temporaries when a signal ends the program.
 *
 * The signal handler may only call async-signal-safe functions (unlink,
 * rmdir, stat, fstat, lseek, write, the getdents64 system call, raise), so
 * everything it needs is prepared outside it: a fixed table of registered
 * temporary paths, each slot filled or emptied with the guarded signals
 * blocked (the handler never sees a half-written slot), and for each
 * temporary directory an open descriptor through which the handler lists
 * and unlinks its files without opendir/malloc.  Before emptying a
 * directory the handler checks that the path still names the directory the
 * descriptor was opened on: once a temporary directory has been renamed
 * into place, the handler must not touch it, and the slot is only emptied
 * after the rename.  The program is single-threaded; the blocking uses
 * sigprocmask. */
#define _GNU_SOURCE 1  /* fopencookie */
#include "datasets/atomic.h"
#include "datasets/error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- the registry of temporaries --------------------------------------- */

#define MAX_TRACKED 64

typedef struct {
  char *path;  /* NULL: free slot */
  int dirfd;   /* >= 0 for a directory */
  dev_t dev;
  ino_t ino;
} tracked;

static tracked slots[MAX_TRACKED];
static const int guarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void block(sigset_t *old) {
  sigset_t s;
  sigemptyset(&s);
  for (size_t i = 0; i < G_N_ELEMENTS(guarded); i++) sigaddset(&s, guarded[i]);
  sigprocmask(SIG_BLOCK, &s, old);
}
static void unblock(const sigset_t *old) { sigprocmask(SIG_SETMASK, old, NULL); }

/* Registers a temporary; when the table is full the path is simply not
 * guarded (64 temporaries at once is far beyond what any command holds). */
static void track(const char *path, bool dir) {
  int fd = -1;
  struct stat st = {0};
  if (dir) {
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
      if (fd >= 0) close(fd);
      return;
    }
  }
  char *copy = strdup(path);
  if (!copy) {
    if (fd >= 0) close(fd);
    return;
  }
  sigset_t old;
  block(&old);
  size_t i = 0;
  while (i < MAX_TRACKED && slots[i].path) i++;
  if (i < MAX_TRACKED) {
    slots[i].dirfd = fd;
    slots[i].dev = st.st_dev;
    slots[i].ino = st.st_ino;
    slots[i].path = copy;
    copy = NULL;
    fd = -1;
  }
  unblock(&old);
  free(copy);
  if (fd >= 0) close(fd);
}

static void untrack(const char *path) {
  if (!path) return;
  sigset_t old;
  block(&old);
  for (size_t i = 0; i < MAX_TRACKED; i++) {
    if (slots[i].path && strcmp(slots[i].path, path) == 0) {
      free(slots[i].path);
      slots[i].path = NULL;
      if (slots[i].dirfd >= 0) close(slots[i].dirfd);
      slots[i].dirfd = -1;
      break;
    }
  }
  unblock(&old);
}

/* Unlinks the entries of the directory open on fd (async-signal-safe: no
 * opendir, which allocates).  Entries are re-read until a pass removes
 * nothing, since unlinking while listing may skip some. */
static void empty_dir_fd(int fd) {
#ifdef SYS_getdents64
  static char buf[8192] __attribute__((aligned(8)));
  struct ent {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
  };
  for (int pass = 0; pass < 16; pass++) {
    int removed = 0;
    if (lseek(fd, 0, SEEK_SET) != 0) return;
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
      for (long off = 0; off < n;) {
        struct ent *d = (struct ent *)(void *)(buf + off);
        const char *nm = d->name;
        if (!(nm[0] == '.' && (nm[1] == 0 || (nm[1] == '.' && nm[2] == 0))) && unlinkat(fd, nm, 0) == 0) removed++;
        off += d->reclen;
      }
    }
    if (!removed) break;
  }
#else
  (void)fd;
#endif
}

static void say(const char *s) {
  size_t n = strlen(s);  /* strlen is async-signal-safe since POSIX.1-2008 TC2 */
  while (n > 0) {
    ssize_t w = write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

static void on_signal(int sig) {
  int saved = errno;
  bool any = false;
  for (size_t i = 0; i < MAX_TRACKED; i++)  /* files first: directories must be empty to go */
    if (slots[i].path && slots[i].dirfd < 0 && unlink(slots[i].path) == 0) any = true;
  for (size_t i = 0; i < MAX_TRACKED; i++) {
    if (!slots[i].path || slots[i].dirfd < 0) continue;
    struct stat a;
    if (stat(slots[i].path, &a) != 0 || a.st_dev != slots[i].dev || a.st_ino != slots[i].ino) continue;
    empty_dir_fd(slots[i].dirfd);
    if (rmdir(slots[i].path) == 0) any = true;
  }
  const char *name = sig == SIGINT ? "SIGINT (interrupted)" : sig == SIGTERM ? "SIGTERM (terminated)"
                     : sig == SIGHUP ? "SIGHUP (hangup)" : "SIGQUIT";
  say("reformstat: stopped by ");
  say(name);
  say(any ? "; the unfinished output was removed and earlier files were left as they were.\n"
          : "; no output file was written.\n");
  /* die of the same signal, so the caller (a shell, make) sees what happened */
  signal(sig, SIG_DFL);
  errno = saved;
  raise(sig);
}

void rs_atomic_guard_signals(void) {
  static bool done = false;
  if (done) return;
  done = true;
  for (size_t i = 0; i < MAX_TRACKED; i++) slots[i].dirfd = -1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < G_N_ELEMENTS(guarded); i++) sigaddset(&sa.sa_mask, guarded[i]);
  for (size_t i = 0; i < G_N_ELEMENTS(guarded); i++) {
    struct sigaction prev;
    /* a signal the caller ignores (nohup, a background job's SIGINT) stays ignored */
    if (sigaction(guarded[i], NULL, &prev) == 0 && prev.sa_handler == SIG_IGN) continue;
    sigaction(guarded[i], &sa, NULL);
  }
  signal(SIGXFSZ, SIG_IGN);
}

/* ---- files --------------------------------------------------------------- */

struct rs_atomic {
  char *path, *tmp;
  FILE *fp;
  gboolean is_stdout;
  gboolean direct;  /* an existing non-regular file: written in place */
  int fd;
  int werr;         /* errno of the first failed write, for the message */
};

/* The FILE* handed out writes through these, so that the reason of the
 * first failed write (ENOSPC, EFBIG, EIO) is kept for the error message;
 * stdio itself only keeps a flag. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n) {
  rs_atomic *a = cookie;
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(a->fd, buf + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (!a->werr) a->werr = w < 0 ? errno : ENOSPC;
      return -1;
    }
    done += (size_t)w;
  }
  return (ssize_t)done;
}

static int cookie_close(void *cookie) {
  rs_atomic *a = cookie;
  int r = close(a->fd);
  if (r != 0 && !a->werr) a->werr = errno;
  a->fd = -1;
  return r;
}

static FILE *open_cookie(rs_atomic *a, int fd) {
  a->fd = fd;
  cookie_io_functions_t io = {.read = NULL, .write = cookie_write, .seek = NULL, .close = cookie_close};
  return fopencookie(a, "wb", io);
}

void rs_atomic_sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
}

rs_atomic *rs_atomic_open(const char *path, GError **err) {
  rs_atomic *a = g_new0(rs_atomic, 1);
  a->path = g_strdup(path);
  if (strcmp(path, "-") == 0) {
    a->fp = stdout;
    a->is_stdout = TRUE;
    return a;
  }
  struct stat st;
  gboolean exists = g_stat(path, &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: is a directory; give a file name", path);
    goto fail;
  }
  if (exists && !S_ISREG(st.st_mode)) {
    int dfd = g_open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | (S_ISFIFO(st.st_mode) ? 0 : O_TRUNC), 0);
    a->fp = dfd >= 0 ? open_cookie(a, dfd) : NULL;
    if (!a->fp) {
      int e = errno;
      if (dfd >= 0) close(dfd);
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", path, g_strerror(e));
      goto fail;
    }
    a->direct = TRUE;
    return a;
  }
  if (exists && access(path, W_OK) != 0) {
    int e = errno;
    /* renaming over it would work, but the file's owner said it must not change */
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s (the earlier file was left as it was)", path,
                g_strerror(e));
    goto fail;
  }
  char *base = g_path_get_basename(path);
  char *dir = g_path_get_dirname(path);
  char *name = g_strdup_printf(".%s.tmp-XXXXXX", base);
  a->tmp = g_build_filename(dir, name, NULL);
  g_free(base);
  g_free(name);
  sigset_t old;
  block(&old);  /* no window in which the file exists unregistered */
  int fd = g_mkstemp(a->tmp);
  int e = errno;
  if (fd >= 0) track(a->tmp, false);
  unblock(&old);
  if (fd < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write here: %s", path, g_strerror(e));
    g_free(dir);
    goto fail;
  }
  g_free(dir);
  /* mkstemp makes the file 0600; give it the earlier file's mode, or the
   * mode a plain fopen would */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, exists ? (st.st_mode & 07777) : (0666 & ~mask)) != 0) { /* keep 0600: still correct, only stricter */ }
  a->fp = open_cookie(a, fd);
  if (!a->fp) {
    e = errno;
    close(fd);
    g_unlink(a->tmp);
    untrack(a->tmp);
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", path, g_strerror(e));
    goto fail;
  }
  return a;
fail:
  g_free(a->tmp);
  g_free(a->path);
  g_free(a);
  return NULL;
}

FILE *rs_atomic_file(rs_atomic *a) { return a->fp; }
const char *rs_atomic_tmp_path(const rs_atomic *a) { return a->tmp; }

gboolean rs_atomic_commit(rs_atomic *a, GError **err) {
  gboolean ok = TRUE;
  if (a->is_stdout) {
    if (fflush(stdout) != 0 || ferror(stdout)) {
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "cannot write to standard output: %s", g_strerror(errno ? errno : EIO));
      ok = FALSE;
    }
  } else if (a->direct) {
    int e = 0;
    if (fflush(a->fp) != 0 || ferror(a->fp)) e = a->werr ? a->werr : EIO;
    if (fclose(a->fp) != 0 && e == 0) e = a->werr ? a->werr : EIO;
    if (e != 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", a->path, g_strerror(e));
      ok = FALSE;
    }
  } else {
    int e = 0;
    /* ferror first: an earlier fwrite may have failed (EFBIG, ENOSPC) with
     * nothing left to flush; the cookie kept its reason */
    if (ferror(a->fp) || fflush(a->fp) != 0) e = a->werr ? a->werr : EIO;
    if (e == 0 && fsync(a->fd) != 0) e = errno ? errno : EIO;
    if (fclose(a->fp) != 0 && e == 0) e = a->werr ? a->werr : EIO;
    if (e == 0 && g_rename(a->tmp, a->path) != 0) e = errno;
    if (e != 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s (nothing was written; an earlier file there "
                  "was left as it was)", a->path, g_strerror(e));
      g_unlink(a->tmp);
      ok = FALSE;
    } else {
      char *dir = g_path_get_dirname(a->path);
      rs_atomic_sync_dir(dir);  /* the rename itself survives a power cut */
      g_free(dir);
    }
    untrack(a->tmp);
  }
  g_free(a->tmp);
  g_free(a->path);
  g_free(a);
  return ok;
}

void rs_atomic_abort(rs_atomic *a) {
  if (!a) return;
  if (a->direct) fclose(a->fp);
  else if (!a->is_stdout) {
    fclose(a->fp);
    g_unlink(a->tmp);
    untrack(a->tmp);
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

/* ---- directories --------------------------------------------------------- */

gboolean rs_atomic_mkdtemp(char *tmpl) {
  sigset_t old;
  block(&old);
  char *d = g_mkdtemp_full(tmpl, 0777);
  int e = errno;
  if (d) track(tmpl, true);
  unblock(&old);
  errno = e;
  return d != NULL;
}

void rs_atomic_forget_dir(const char *dir) { untrack(dir); }

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
  untrack(dir);
}

gboolean rs_atomic_replace_dir(const char *tmp, const char *dir) {
#if defined(SYS_renameat2)
  /* RENAME_EXCHANGE is 2 (linux/fs.h); called through syscall() because
   * older C libraries lack the renameat2() wrapper */
  if (syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, dir, 2) == 0) {
    /* tmp now names the old output: stop guarding it before removing it,
     * and the new output at dir is no longer a temporary either */
    untrack(tmp);
    rs_atomic_remove_dir(tmp);
    char *parent = g_path_get_dirname(dir);
    rs_atomic_sync_dir(parent);
    g_free(parent);
    return TRUE;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) return FALSE;
#endif
  char *parent = g_path_get_dirname(dir), *base = g_path_get_basename(dir);
  char *old = g_strdup_printf("%s/.%s.old-XXXXXX", parent, base);
  gboolean ok = FALSE;
  int e = 0;
  if (!g_mkdtemp_full(old, 0700) || g_rename(dir, old) != 0) {
    e = errno;
    g_rmdir(old);
  } else if (g_rename(tmp, dir) != 0) {
    e = errno;
    g_rename(old, dir);
  } else {
    rs_atomic_forget_dir(tmp);
    rs_atomic_remove_dir(old);
    rs_atomic_sync_dir(parent);
    ok = TRUE;
  }
  g_free(old);
  g_free(parent);
  g_free(base);
  errno = e;
  return ok;
}
