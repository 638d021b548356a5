/* run.c — `reformstat run PLAN.ini [-o DIR] [--format LIST] [--quiet]`:
 * every analysis of an analysis plan (datasets/plan.h), into one directory.
 *
 * The whole plan is checked first (syntax, data groups, files, variables,
 * commands), so that a typo never surfaces after ten minutes of work.  Each
 * analysis is then the ordinary subcommand, run in a child process (up to
 * one per processor at once, see run_analyses) with an argv built from its
 * group:  DATA --codebook CB  (from its [data.*] group), the
 * data group's read options and survey design (for commands that take
 * one), --lang/--vintage from [plan], then the group's own keys: K=V is
 * --K=V, K=true is --K, K=false or K= (empty) leaves the option out, a value
 * data:NAME / codebook:NAME is that group's file, and a key ending in -out
 * (data-out, likert-out, counterfactual-out) names a file in the output
 * directory.  Output goes to DIR/NAME.<ext> per format, written into a
 * temporary directory beside DIR that is renamed into place only when every
 * analysis succeeded: a failure or an interrupt leaves no partial DIR and
 * an earlier DIR untouched.  DIR/manifest.json records the inputs (SHA-256,
 * rows), each analysis's command line and files, and the version.
 */
#define _GNU_SOURCE
#include "config.h"
#include "cli/cli.h"
#include "datasets/atomic.h"
#include "datasets/error.h"
#include "datasets/limits.h"
#include "datasets/plan.h"
#include "datasets/table.h"
#include "datasets/value.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Commands a plan can run, and the survey-design options each takes from
 * its [data.*] group (weight, strata, cluster). */
enum { D_WEIGHT = 1, D_STRATA = 2, D_CLUSTER = 4 };
typedef struct {
  const char *name;
  unsigned design;
} runnable;
static const runnable runnables[] = {
  {"describe", D_WEIGHT | D_STRATA | D_CLUSTER},
  {"compare", D_WEIGHT | D_STRATA | D_CLUSTER},
  {"regress", 0},
  {"correlate", 0},
  {"reliability", 0},
  {"bootstrap", 0},
  {"validate", 0},
  {"indexes", 0},
  {"outcomes", D_WEIGHT | D_STRATA | D_CLUSTER},
  {"coordinator-effect", D_CLUSTER},
  {"caseload", 0},
  {"its", 0},
};

static const runnable *find_runnable(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(runnables); i++)
    if (strcmp(runnables[i].name, name) == 0) return &runnables[i];
  return NULL;
}

/* ---- interrupts ------------------------------------------------------------
 * SIGINT/SIGTERM/SIGHUP/SIGQUIT may arrive while the analyses run, so the
 * handler itself kills them (child processes) and removes the temporary
 * directory, with async-signal-safe
 * calls only (getdents64, unlinkat, rmdir on a descriptor opened in
 * advance), and exits 128 + signal.  While the finished directory is being
 * renamed into place the handler only records the signal. */
static volatile sig_atomic_t g_state;     /* 0 idle, 1 running (clean up), 2 committing */
static volatile sig_atomic_t g_pending;   /* signal received while committing */
static int g_tmp_fd = -1;                 /* the temporary directory, open */
static char g_tmp_path[4096];
static int g_stderr_fd = 2;               /* the real stderr */
#define MAX_PARALLEL 64
static volatile pid_t g_kids[MAX_PARALLEL];  /* running analyses (child processes), 0 a free slot */

/* Unlinks every entry of the directory `fd`; with `depth` > 0, a
 * subdirectory's entries first, then the subdirectory (an analysis's
 * .part-N). */
static void unlink_entries_async(int fd, int depth) {
  char buf[4096];
  if (lseek(fd, 0, SEEK_SET) != 0) return;
  long n;
  while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
    for (long off = 0; off < n;) {
      struct {
        unsigned long long ino;
        long long off;
        unsigned short reclen;
        unsigned char type;
        char name[];
      } *de = (void *)(buf + off);
      if (!(de->name[0] == '.' && (de->name[1] == '\0' || (de->name[1] == '.' && de->name[2] == '\0'))) &&
          unlinkat(fd, de->name, 0) != 0 && depth > 0) {
        int sub = openat(fd, de->name, O_RDONLY | O_DIRECTORY);
        if (sub >= 0) {
          unlink_entries_async(sub, depth - 1);
          close(sub);
          (void)unlinkat(fd, de->name, AT_REMOVEDIR);
        }
      }
      off += de->reclen;
    }
  }
}

static void remove_tmp_async(void) {
  if (g_tmp_fd < 0) return;
  /* a child may still create a file: scan again until rmdir succeeds */
  for (int attempt = 0; attempt < 10; attempt++) {
    unlink_entries_async(g_tmp_fd, 1);
    if (rmdir(g_tmp_path) == 0) break;
  }
}

/* Kills the running analyses and waits for them (async-signal-safe). */
static void kill_kids(void) {
  for (int k = 0; k < MAX_PARALLEL; k++)
    if (g_kids[k] > 0) (void)kill(g_kids[k], SIGKILL);
  for (int k = 0; k < MAX_PARALLEL; k++)
    if (g_kids[k] > 0) {
      (void)waitpid(g_kids[k], NULL, 0);
      g_kids[k] = 0;
    }
}

/* A crash inside an analysis: remove the temporary directory, then die of
 * the signal as before (core dump and all). */
static void on_crash(int sig) {
  if (g_state == 1) {
    kill_kids();
    remove_tmp_async();
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static void on_signal(int sig) {
  if (g_state == 2) {
    g_pending = sig;
    return;
  }
  if (g_state == 1) {
    kill_kids();
    remove_tmp_async();
  }
  static const char msg[] = "reformstat run: interrupted; nothing was written\n";
  (void)!write(g_stderr_fd, msg, sizeof msg - 1);
  _exit(128 + sig);
}

/* ---- small helpers -------------------------------------------------------- */

static const char *ext_of(const char *fmt) {
  if (!g_ascii_strcasecmp(fmt, "text")) return "txt";
  if (!g_ascii_strcasecmp(fmt, "md") || !g_ascii_strcasecmp(fmt, "markdown")) return "md";
  if (!g_ascii_strcasecmp(fmt, "latex") || !g_ascii_strcasecmp(fmt, "tex")) return "tex";
  return fmt;  /* csv, json */
}

static char *where(const rs_plan *p, const rs_plan_analysis *a, const char *key) {
  long line = key && !strcmp(key, "command") ? a->command_line : key && !strcmp(key, "data") ? a->data_line : a->line;
  for (guint i = 0; key && i < a->options->len; i++) {
    const rs_plan_option *o = g_ptr_array_index(a->options, i);
    if (strcmp(o->key, key) == 0) line = o->line;
  }
  char *g = g_strdup_printf("analysis.%s", a->name);
  char *w = rs_plan_where(p, line, g);
  g_free(g);
  return w;
}

static gboolean has_opt(const rs_plan_analysis *a, const char *key) { return rs_plan_analysis_option(a, key) != NULL; }

/* The command line of one analysis (see the top of the file). */
static char **build_argv(const rs_plan *p, const rs_plan_analysis *a, const char *tmpdir, const char *formats,
                         gboolean quiet) {
  const rs_plan_data *d = rs_plan_data_get(p, a->data);
  const runnable *rn = find_runnable(a->command);
  GPtrArray *v = g_ptr_array_new();
  g_ptr_array_add(v, g_strdup(a->command));
  g_ptr_array_add(v, g_strdup(d->path));
  if (d->codebook && !has_opt(a, "codebook")) g_ptr_array_add(v, g_strdup_printf("--codebook=%s", d->codebook));
  for (guint i = 0; i < d->read->len; i++) {
    const rs_plan_option *o = g_ptr_array_index(d->read, i);
    if (!has_opt(a, o->key)) g_ptr_array_add(v, g_strdup_printf("--%s=%s", o->key, o->value));
  }
  const char *design[3] = {d->weight, d->strata, d->cluster};
  static const char *const dname[3] = {"weight", "strata", "cluster"};
  /* weight= (empty) in the analysis turns the whole survey design off */
  const char *w = rs_plan_analysis_option(a, "weight");
  gboolean design_off = (rn->design & D_WEIGHT) && w && (!*w || strcmp(w, "false") == 0);
  for (int k = 0; k < 3; k++)
    if (design[k] && (rn->design & (1u << k)) && !has_opt(a, dname[k]) && !design_off)
      g_ptr_array_add(v, g_strdup_printf("--%s=%s", dname[k], design[k]));
  if (!has_opt(a, "lang")) g_ptr_array_add(v, g_strdup_printf("--lang=%s", rs_plan_lang(p)));
  if (rs_plan_vintage(p) && !has_opt(a, "vintage")) g_ptr_array_add(v, g_strdup_printf("--vintage=%d", rs_plan_vintage(p)));
  for (guint i = 0; i < a->options->len; i++) {
    const rs_plan_option *o = g_ptr_array_index(a->options, i);
    const char *val = o->value;
    if (!*val || strcmp(val, "false") == 0) continue;
    if (strcmp(val, "true") == 0) {
      g_ptr_array_add(v, g_strdup_printf("--%s", o->key));
    } else if (g_str_has_prefix(val, "data:")) {
      g_ptr_array_add(v, g_strdup_printf("--%s=%s", o->key, rs_plan_data_get(p, val + 5)->path));
    } else if (g_str_has_prefix(val, "codebook:")) {
      g_ptr_array_add(v, g_strdup_printf("--%s=%s", o->key, rs_plan_data_get(p, val + 9)->codebook));
    } else if (g_str_has_suffix(o->key, "-out")) {
      char *f = g_build_filename(tmpdir, val, NULL);
      g_ptr_array_add(v, g_strdup_printf("--%s=%s", o->key, f));
      g_free(f);
    } else if (strlen(o->key) == 1) {
      /* a short option (B=999 for bootstrap's -B) */
      g_ptr_array_add(v, g_strdup_printf("-%s", o->key));
      g_ptr_array_add(v, g_strdup(val));
    } else {
      g_ptr_array_add(v, g_strdup_printf("--%s=%s", o->key, val));
    }
  }
  g_ptr_array_add(v, g_strdup_printf("--format=%s", formats));
  char *base = g_build_filename(tmpdir, a->name, NULL);
  /* one format: the command writes the file itself under its full name */
  if (strchr(formats, ',')) g_ptr_array_add(v, g_strdup_printf("--output=%s", base));
  else g_ptr_array_add(v, g_strdup_printf("--output=%s.%s", base, ext_of(formats)));
  g_free(base);
  if (quiet) g_ptr_array_add(v, g_strdup("--quiet"));
  g_ptr_array_add(v, NULL);
  return (char **)g_ptr_array_free(v, FALSE);
}

/* What a plan can get wrong that only `run` knows: commands, and options run sets itself. */
static gboolean check_commands(const rs_plan *p, GError **err) {
  GHashTable *outs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  gboolean ok = TRUE;
  for (size_t i = 0; ok && i < rs_plan_n_analyses(p); i++) {
    const rs_plan_analysis *a = rs_plan_analysis_at(p, i);
    if (!find_runnable(a->command) || !rs_cli_find_command(a->command)) {
      char *w = where(p, a, "command");
      GString *names = g_string_new(NULL);
      for (size_t k = 0; k < G_N_ELEMENTS(runnables); k++)
        if (rs_cli_find_command(runnables[k].name))
          g_string_append_printf(names, "%s%s", names->len ? ", " : "", runnables[k].name);
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: %s '%s' (a plan can run: %s)", w,
                  rs_cli_find_command(a->command) ? "a plan cannot run the command" : "unknown command", a->command,
                  names->str);
      g_string_free(names, TRUE);
      g_free(w);
      ok = FALSE;
      break;
    }
    for (guint k = 0; ok && k < a->options->len; k++) {
      const rs_plan_option *o = g_ptr_array_index(a->options, k);
      if (!strcmp(o->key, "output") || !strcmp(o->key, "o") || !strcmp(o->key, "format") || !strcmp(o->key, "f")) {
        char *w = where(p, a, o->key);
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                    "%s: %s is set by run (output goes to DIR/%s.<ext>; formats come from [plan] formats or --format)",
                    w, o->key, a->name);
        g_free(w);
        ok = FALSE;
      } else if (g_str_has_suffix(o->key, "-out") && *o->value && strcmp(o->value, "false") != 0) {
        /* a file name inside the output directory, and not another analysis's */
        char *w = where(p, a, o->key);
        const char *dot = strrchr(o->value, '.');
        if (strchr(o->value, '/') || strchr(o->value, '\\') || o->value[0] == '.' ||
            !strcmp(o->value, "manifest.json")) {
          g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                      "%s: %s=%s must be a plain file name (it is written into the output directory)", w, o->key,
                      o->value);
          ok = FALSE;
        } else if (g_hash_table_contains(outs, o->value)) {
          g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: %s=%s is already written by [analysis.%s]", w, o->key,
                      o->value, (char *)g_hash_table_lookup(outs, o->value));
          ok = FALSE;
        } else {
          /* NAME.<ext> of another analysis would be overwritten */
          for (size_t j = 0; ok && dot && j < rs_plan_n_analyses(p); j++) {
            const rs_plan_analysis *b = rs_plan_analysis_at(p, j);
            if ((size_t)(dot - o->value) == strlen(b->name) && !strncmp(o->value, b->name, strlen(b->name))) {
              g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: %s=%s would overwrite the output of [analysis.%s]", w,
                          o->key, o->value, b->name);
              ok = FALSE;
            }
          }
          g_hash_table_insert(outs, g_strdup(o->value), g_strdup(a->name));
        }
        g_free(w);
      }
    }
  }
  g_hash_table_destroy(outs);
  return ok;
}

/* May DIR be replaced?  Absent, an empty directory, or an earlier run's
 * output (manifest.json from run, regular files only). */
static gboolean check_target(const char *dir, gboolean *exists, GError **err) {
  *exists = FALSE;
  GStatBuf st;
  if (g_stat(dir, &st) != 0) return TRUE;
  if (!S_ISDIR(st.st_mode)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "-o %s: exists and is not a directory (nothing was run)", dir);
    return FALSE;
  }
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "-o %s: cannot read the directory (nothing was run)", dir);
    return FALSE;
  }
  gboolean any = FALSE, only_files = TRUE;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    any = TRUE;
    char *f = g_build_filename(dir, name, NULL);
    if (g_lstat(f, &st) != 0 || !S_ISREG(st.st_mode)) only_files = FALSE;
    g_free(f);
  }
  g_dir_close(d);
  if (!any) {
    *exists = TRUE;
    return TRUE;
  }
  char *mf = g_build_filename(dir, "manifest.json", NULL), *text = NULL;
  gboolean ours = only_files && g_file_get_contents(mf, &text, NULL, NULL) && strstr(text, "\"command\": \"run\"");
  g_free(text);
  g_free(mf);
  if (!ours) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "-o %s: the directory exists and is not the output of an earlier 'reformstat run' "
                "(no manifest.json from run); remove it or choose another -o (nothing was run)", dir);
    return FALSE;
  }
  *exists = TRUE;
  return TRUE;
}

static GPtrArray *list_dir(const char *dir) {
  GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d)))
    if (name[0] != '.') g_ptr_array_add(a, g_strdup(name));
  if (d) g_dir_close(d);
  return a;
}

static int cmp_str(gconstpointer a, gconstpointer b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Copies the captured stderr of a command to the real one, each line
 * prefixed with the analysis's name. */
static void relay(const char *text, const char *name) {
  char **lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    if (!**l) continue;
    const char *m = *l;
    /* "reformstat outcomes: message" → "[analysis.outcomes] message" */
    if (g_str_has_prefix(m, "reformstat ")) {
      const char *c = strstr(m, ": ");
      if (c) m = c + 2;
    }
    fprintf(stderr, "reformstat run: [analysis.%s] %s\n", name, m);
  }
  g_strfreev(lines);
}

typedef struct {
  char **argv;
  GPtrArray *files;
} done_analysis;

/* ---- the analyses, in child processes --------------------------------------
 * Commands keep process-wide state (stderr, the program name, the output
 * signal guard), so analyses cannot share a process; each runs in a child
 * (fork) that writes its files into its own directory TMP/.part-N and its
 * messages into a pipe the parent drains — a pipe, not a file, so that a
 * full disk or `ulimit -f` cannot swallow the message that says so.  Up to
 * rs_table_threads() run at once: most analyses use one core.  The parent
 * takes the results in plan order (progress line, messages, files moved up
 * into TMP), so the output is that of a sequential run; the first failure
 * in plan order ends the run, and the analyses after it are killed or never
 * started. */

/* Signals that stop a run: the handler kills the children and removes the
 * temporary directory.  The caller's handlers and mask are restored after
 * the run and in each child. */
static const int g_stop[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static struct sigaction g_old_stop[G_N_ELEMENTS(g_stop)], g_old_chld;
static sigset_t g_old_mask;
static unsigned g_crash_set;                     /* crash signals whose handler is ours */
static const int g_crash[] = {SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL};
static pid_t g_parent;                           /* run's own process */

typedef struct {
  pid_t pid;
  int fd;            /* read end of its stderr pipe; -1 at EOF */
  int slot;          /* in g_kids */
  int status;        /* from waitpid */
  gint64 t0;
  double secs;
  GString *err;
  char *part;        /* its output directory */
  bool started, finished;
} job;

/* Blocks (or restores) the stop signals around a change of g_kids. */
static void block_stops(sigset_t *old) {
  sigset_t block;
  sigemptyset(&block);
  for (size_t k = 0; k < G_N_ELEMENTS(g_stop); k++) sigaddset(&block, g_stop[k]);
  sigprocmask(SIG_BLOCK, &block, old);
}

/* In the child: the signal dispositions of a plain command, no descriptor
 * of the parent's but stdin, stdout and its stderr pipe, a share of the
 * threads and of the memory limit; then the command. */
static void child_run(char **argv, const char *command, int errfd, const job *jobs, size_t n, size_t width) {
  g_state = 0;
  for (size_t k = 0; k < G_N_ELEMENTS(g_stop); k++) sigaction(g_stop[k], &g_old_stop[k], NULL);
  sigaction(SIGCHLD, &g_old_chld, NULL);
  for (size_t k = 0; k < G_N_ELEMENTS(g_crash); k++)
    if (g_crash_set & (1u << k)) signal(g_crash[k], SIG_DFL);
  /* die with run (also when it is killed with SIGKILL, which no handler sees) */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != g_parent) _exit(1);
  sigprocmask(SIG_SETMASK, &g_old_mask, NULL);
  dup2(errfd, 2);
  close(errfd);
  for (size_t i = 0; i < n; i++)
    if (jobs[i].fd >= 0) close(jobs[i].fd);
  if (g_tmp_fd >= 0) close(g_tmp_fd);
  g_tmp_fd = -1;
  /* `width` analyses at once: each gets a share of the threads (at least
   * two) and of the memory limit, so that together they keep to both */
  if (width > 1) {
    guint th = rs_table_threads();
    char nt[16];
    g_snprintf(nt, sizeof nt, "%u", MIN(th, MAX(2u, (th + (guint)width - 1) / (guint)width)));
    g_setenv("REFORMSTAT_THREADS", nt, TRUE);
    rs_limits_set(rs_limits_max_memory() / width, rs_limits_max_levels());   /* 0 would reset --max-levels */
  }
  char *prg = g_strdup_printf("reformstat %s", command);
  g_set_prgname(prg);
  g_free(prg);
  int argc = (int)g_strv_length(argv);
  char **cargv = g_new0(char *, argc + 1);
  memcpy(cargv, argv, sizeof(char *) * (size_t)argc);  /* the command may permute its argv */
  int rc = rs_cli_find_command(command)(argc, cargv);
  g_free(cargv);
  fflush(stdout);
  fflush(stderr);
  exit(rc);   /* not _exit: LeakSanitizer checks the child at exit */
}

static gboolean start_job(job *jobs, size_t n, size_t i, size_t width, char **argv, const char *command,
                          GError **err) {
  job *jb = &jobs[i];
  int pfd[2];
  if (pipe2(pfd, O_CLOEXEC) != 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "cannot make a pipe: %s", g_strerror(errno));
    return FALSE;
  }
  int slot = 0;
  while (slot < MAX_PARALLEL && g_kids[slot] > 0) slot++;
  /* no signal between fork and g_kids: the handler must see every child */
  sigset_t old;
  block_stops(&old);
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    close(pfd[0]);
    child_run(argv, command, pfd[1], jobs, n, width);
  }
  int en = errno;
  if (pid > 0) g_kids[slot] = pid;
  sigprocmask(SIG_SETMASK, &old, NULL);
  close(pfd[1]);
  if (pid < 0) {
    close(pfd[0]);
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "cannot start a process for the analysis: %s", g_strerror(en));
    return FALSE;
  }
  jb->pid = pid;
  jb->slot = slot;
  jb->fd = pfd[0];
  jb->started = true;
  jb->t0 = g_get_monotonic_time();
  return TRUE;
}

/* Waits until some running job has news; drains the pipes, reaps the
 * jobs whose pipe is at its end. */
static gboolean wait_jobs(job *jobs, size_t n, GError **err) {
  struct pollfd pf[MAX_PARALLEL];
  size_t idx[MAX_PARALLEL], m = 0;
  for (size_t i = 0; i < n && m < MAX_PARALLEL; i++)
    if (jobs[i].started && !jobs[i].finished && jobs[i].fd >= 0) {
      pf[m].fd = jobs[i].fd;
      pf[m].events = POLLIN;
      idx[m++] = i;
    }
  if (m == 0) return TRUE;
  if (poll(pf, m, -1) < 0) {
    if (errno == EINTR) return TRUE;   /* the caller loops */
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "waiting for the analyses: %s", g_strerror(errno));
    return FALSE;
  }
  for (size_t k = 0; k < m; k++) {
    if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    job *jb = &jobs[idx[k]];
    char buf[4096];
    ssize_t r = read(jb->fd, buf, sizeof buf);
    if (r > 0) {
      g_string_append_len(jb->err, buf, r);
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    close(jb->fd);
    jb->fd = -1;
    /* reaped and taken off g_kids with the stop signals blocked: the handler
     * must never kill a pid that may already belong to another process */
    sigset_t old;
    block_stops(&old);
    jb->status = -1;   /* a failure, unless waitpid says otherwise */
    pid_t w;
    while ((w = waitpid(jb->pid, &jb->status, 0)) < 0 && errno == EINTR) {}
    if (w < 0) jb->status = -1;
    g_kids[jb->slot] = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    jb->secs = (double)(g_get_monotonic_time() - jb->t0) / 1e6;
    jb->finished = true;
  }
  return TRUE;
}

/* Moves an analysis's files from its directory up into tmp; their names, sorted. */
static GPtrArray *collect_files(const job *jb, const char *tmp, const char *name, GError **err) {
  GPtrArray *files = list_dir(jb->part);
  g_ptr_array_sort(files, cmp_str);
  for (guint k = 0; k < files->len && !*err; k++) {
    const char *f = g_ptr_array_index(files, k);
    char *from = g_build_filename(jb->part, f, NULL), *to = g_build_filename(tmp, f, NULL);
    if (g_file_test(to, G_FILE_TEST_EXISTS))
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "[analysis.%s] writes %s, which an earlier analysis wrote", name, f);
    else if (g_rename(from, to) != 0)
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "[analysis.%s]: cannot move %s into %s: %s", name, from, tmp,
                  g_strerror(errno));
    g_free(from);
    g_free(to);
  }
  return files;
}

/* Runs the analyses; FALSE (with *status the failing command's exit status,
 * or *err) when one failed.  done[i] gets each analysis's argv and files. */
static gboolean run_analyses(const rs_plan *p, const char *tmp, const char *formats, gboolean quiet,
                             done_analysis *done, int *status, GError **err) {
  size_t n = rs_plan_n_analyses(p);
  size_t width = MIN(MIN((size_t)rs_table_threads(), n), MAX_PARALLEL);
  job *jobs = g_new0(job, n);
  for (size_t i = 0; i < n; i++) {
    jobs[i].fd = -1;
    jobs[i].err = g_string_new(NULL);
    jobs[i].part = g_strdup_printf("%s/.part-%zu", tmp, i + 1);
    done[i].argv = build_argv(p, rs_plan_analysis_at(p, i), jobs[i].part, formats, quiet);
  }
  size_t next = 0, report = 0, running = 0;
  bool stop = false;   /* a failure is known: start nothing more */
  gboolean ok = TRUE;
  while (report < n && ok) {
    while (!stop && next < n && running < width) {
      const rs_plan_analysis *a = rs_plan_analysis_at(p, next);
      if (g_mkdir(jobs[next].part, 0700) != 0) {
        g_set_error(err, RS_ERROR, RS_ERROR_IO, "cannot create %s: %s", jobs[next].part, g_strerror(errno));
        ok = FALSE;
        break;
      }
      if (!start_job(jobs, n, next, width, done[next].argv, a->command, err)) { ok = FALSE; break; }
      next++;
      running++;
    }
    if (!ok) break;
    if (!jobs[report].finished) {
      if (!wait_jobs(jobs, n, err)) { ok = FALSE; break; }
      running = 0;
      for (size_t i = 0; i < next; i++) {
        running += !jobs[i].finished;
        stop = stop || (jobs[i].finished && jobs[i].status != 0);
      }
      continue;
    }
    /* the next analysis in plan order is done: report it */
    const rs_plan_analysis *a = rs_plan_analysis_at(p, report);
    job *jb = &jobs[report];
    int rc = jb->status != -1 && WIFEXITED(jb->status) ? WEXITSTATUS(jb->status) : 1;
    if (!quiet) {
      fprintf(stderr, "[%zu/%zu] %s … ", report + 1, n, a->name);
      fprintf(stderr, rc == 0 ? "%.1f s\n" : "failed\n", jb->secs);
    }
    if (rc != 0 || !quiet) relay(jb->err->str, a->name);
    if (jb->status == -1)
      fprintf(stderr, "reformstat run: [analysis.%s] %s: its exit status is unknown (waitpid: %s)\n", a->name,
              a->command, g_strerror(ECHILD));
    else if (WIFSIGNALED(jb->status))
      fprintf(stderr, "reformstat run: [analysis.%s] %s crashed (signal %d, %s)\n", a->name, a->command,
              WTERMSIG(jb->status), strsignal(WTERMSIG(jb->status)));
    if (rc != 0) {
      *status = rc;
      ok = FALSE;
      break;
    }
    done[report].files = collect_files(jb, tmp, a->name, err);
    rs_atomic_remove_dir(jb->part);
    if (*err) { ok = FALSE; break; }
    if (done[report].files->len == 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "[analysis.%s]: %s wrote no file", a->name, a->command);
      ok = FALSE;
      break;
    }
    report++;
  }
  kill_kids();
  for (size_t i = 0; i < n; i++) {
    if (jobs[i].fd >= 0) close(jobs[i].fd);
    if (!ok) rs_atomic_remove_dir(jobs[i].part);
    g_string_free(jobs[i].err, TRUE);
    g_free(jobs[i].part);
    if (!done[i].files) done[i].files = g_ptr_array_new_with_free_func(g_free);
  }
  g_free(jobs);
  return ok;
}

static gboolean write_manifest(const rs_plan *p, const char *tmpdir, const char *formats, done_analysis *done,
                               GError **err) {
  GString *j = g_string_new("{\n  \"reformstat\": ");
  rs_value_append_json_string(j, PACKAGE_VERSION);
  g_string_append(j, ",\n  \"command\": \"run\",\n  \"plan\": {\"path\": ");
  rs_value_append_json_string(j, rs_plan_path(p));
  g_string_append(j, ", \"sha256\": ");
  rs_value_append_json_string(j, rs_plan_sha256(p));
  const char *title = rs_plan_title(p, rs_plan_lang(p));
  if (title) {
    g_string_append(j, ", \"title\": ");
    rs_value_append_json_string(j, title);
  }
  g_string_append(j, "},\n  \"formats\": [");
  char **fl = g_strsplit(formats, ",", -1);
  for (char **f = fl; *f; f++) {
    if (f != fl) g_string_append(j, ", ");
    rs_value_append_json_string(j, *f);
  }
  g_strfreev(fl);
  g_string_append(j, "],\n  \"inputs\": [");
  for (size_t i = 0; i < rs_plan_n_data(p); i++) {
    const rs_plan_data *d = rs_plan_data_at(p, i);
    g_string_append(j, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
    rs_value_append_json_string(j, d->name);
    g_string_append(j, ", \"path\": ");
    rs_value_append_json_string(j, d->path);
    if (d->sha256[0]) {
      g_string_append(j, ", \"sha256\": ");
      rs_value_append_json_string(j, d->sha256);
    }
    g_string_append_printf(j, ", \"rows\": %lld", d->rows);
    if (d->codebook) {
      g_string_append(j, ", \"codebook\": ");
      rs_value_append_json_string(j, d->codebook);
    }
    g_string_append(j, "}");
  }
  g_string_append(j, "\n  ],\n  \"analyses\": [");
  for (size_t i = 0; i < rs_plan_n_analyses(p); i++) {
    const rs_plan_analysis *a = rs_plan_analysis_at(p, i);
    g_string_append(j, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
    rs_value_append_json_string(j, a->name);
    g_string_append(j, ", \"command\": ");
    rs_value_append_json_string(j, a->command);
    g_string_append(j, ", \"data\": ");
    rs_value_append_json_string(j, a->data);
    /* the command line as a user would type it (without run's temporary directory) */
    g_string_append(j, ",\n     \"argv\": [\"reformstat\"");
    for (char **v = done[i].argv; *v; v++) {
      g_string_append(j, ", ");
      char *shown = g_str_has_prefix(*v, "--output=") || strstr(*v, tmpdir) ? NULL : g_strdup(*v);
      if (!shown) {
        /* --output=/tmp/.DIR.tmp-x/NAME → --output=DIR/NAME */
        const char *slash = strrchr(*v, '/');
        const char *eq = strchr(*v, '=');
        shown = g_strdup_printf("%.*sDIR/%s", (int)(eq - *v + 1), *v, slash ? slash + 1 : "");
      }
      rs_value_append_json_string(j, shown);
      g_free(shown);
    }
    g_string_append(j, "],\n     \"files\": [");
    for (guint k = 0; k < done[i].files->len; k++) {
      if (k) g_string_append(j, ", ");
      rs_value_append_json_string(j, g_ptr_array_index(done[i].files, k));
    }
    g_string_append(j, "]}");
  }
  g_string_append(j, "\n  ]\n}\n");
  char *path = g_build_filename(tmpdir, "manifest.json", NULL);
  gboolean ok = rs_atomic_write(path, j->str, (gssize)j->len, err);
  g_free(path);
  g_string_free(j, TRUE);
  return ok;
}

static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
}

int rs_cmd_run(int argc, char **argv) {
  char *output = NULL, *formats_opt = NULL;
  gboolean quiet = FALSE, check_only = FALSE;
  GOptionContext *ctx = g_option_context_new("PLAN.ini - run every analysis of an analysis plan");
  g_option_context_set_summary(ctx,
    "The plan is a key file (paths relative to its directory):\n"
    "  [plan]           title, output (default reformstat-output), formats (default text,csv,json),\n"
    "                   lang (nb|en), vintage (map kommune codes to that year), min_n\n"
    "  [data.NAME]      path, codebook, weight, cluster, strata; delimiter, decimal, encoding, skip,\n"
    "                   input-format, max-field, year-column (how to read the file)\n"
    "  [analysis.NAME]  command (describe, compare, regress, correlate, reliability, bootstrap,\n"
    "                   validate, indexes, outcomes, coordinator-effect, caseload, its),\n"
    "                   data (a NAME of [data.NAME]), then the command's options: K=V is --K=V,\n"
    "                   (a one-letter K is -K V), K=true is --K, K= or K=false leaves it out, data:NAME / codebook:NAME is\n"
    "                   that group's file, and a key ending in -out names a file in DIR.\n"
    "The data group's codebook, read options, and weight/strata/cluster (for commands that take\n"
    "a survey design) are given to every analysis of it.  Comments start with # or ;.\n"
    "The whole plan is checked before anything runs; the analyses then run in child processes,\n"
    "as many at once as REFORMSTAT_THREADS (default: the processors; each gets a share of the\n"
    "memory limit), with messages and files taken in plan order.  Writes DIR/NAME.<ext> per analysis and\n"
    "format (txt, csv, json, md, tex) and DIR/manifest.json (inputs with SHA-256 and rows,\n"
    "each analysis's command line and files), into a temporary directory beside DIR renamed\n"
    "into place when every analysis succeeded: on a failure or an interrupt (exit 130/143)\n"
    "nothing is left behind and an earlier DIR is untouched.  An existing DIR is replaced\n"
    "only when it is empty or holds an earlier run's output.");
  GOptionEntry e[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Output directory (default: [plan] output, relative to the plan)", "DIR"},
    {"format", 'f', 0, G_OPTION_ARG_STRING, &formats_opt, "Formats, comma-separated: text, csv, json, md, latex (default: [plan] formats)", "LIST"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress lines or warnings on stderr (errors still)", NULL},
    {"check", 0, 0, G_OPTION_ARG_NONE, &check_only, "Only check the plan (files, variables, commands); run nothing", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  GError *err = NULL;
  int status = 0;
  rs_plan *p = NULL;
  char *dir = NULL, *parent = NULL, *base = NULL, *tmp = NULL, *formats = NULL;
  done_analysis *done = NULL;
  size_t n_done = 0;
  /* the handlers before ours (datasets/atomic.c's guard, or SIG_IGN under
   * nohup), restored when done */
  bool have_old = false;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one plan file (see --help)");
    goto fail;
  }
  if (formats_opt) {
    char **fl = g_strsplit(formats_opt, ",", -1);
    GString *s = g_string_new(NULL);
    for (char **f = fl; *f; f++) {
      g_strstrip(*f);
      if (!**f) continue;
      if (rs_format_from_name(*f) < 0) {
        g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "unknown --format '%s'; use text, csv, json, md or latex", *f);
        break;
      }
      g_string_append_printf(s, "%s%s", s->len ? "," : "", *f);
    }
    g_strfreev(fl);
    formats = g_string_free(s, FALSE);
    if (err) goto fail;
    if (!*formats) {
      g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--format needs at least one format");
      goto fail;
    }
  }
  p = rs_plan_load(argv[1], &err);
  if (!p) goto fail;
  if (!check_commands(p, &err)) goto fail;
  if (!formats) formats = g_strjoinv(",", (char **)rs_plan_formats(p));
  dir = g_strdup(output ? output : rs_plan_output(p));
  gboolean exists;
  if (!check_target(dir, &exists, &err)) goto fail;
  size_t n = rs_plan_n_analyses(p);
  if (check_only) {
    if (!quiet)
      fprintf(stderr, "reformstat run: %s is fine: %zu data files, %zu analyses, output to %s\n", argv[1],
              rs_plan_n_data(p), n, dir);
    goto done;
  }
  if (n == 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "%s: the plan has no [analysis.NAME] groups", argv[1]);
    goto fail;
  }

  /* the temporary directory beside DIR */
  char *trimmed = g_strdup(dir);
  while (strlen(trimmed) > 1 && trimmed[strlen(trimmed) - 1] == '/') trimmed[strlen(trimmed) - 1] = '\0';
  parent = g_path_get_dirname(trimmed);
  base = g_path_get_basename(trimmed);
  g_free(trimmed);
  tmp = g_strdup_printf("%s/.%s.tmp-XXXXXX", parent, base);
  if (!g_mkdtemp_full(tmp, 0777)) {
    int en = errno;
    g_set_error(&err, RS_ERROR, RS_ERROR_IO, "-o %s: cannot create a directory in %s: %s (nothing was run)", dir,
                parent, g_strerror(en));
    g_free(tmp);
    tmp = NULL;
    goto fail;
  }
  g_strlcpy(g_tmp_path, tmp, sizeof g_tmp_path);
  g_tmp_fd = open(tmp, O_RDONLY | O_DIRECTORY);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  g_state = 1;
  g_parent = getpid();
  sigprocmask(SIG_SETMASK, NULL, &g_old_mask);
  for (size_t k = 0; k < G_N_ELEMENTS(g_stop); k++) sigaction(g_stop[k], NULL, &g_old_stop[k]);
  /* children are reaped by waitpid: not when the caller ignores SIGCHLD */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(SIGCHLD, &dfl, &g_old_chld);
  have_old = true;
  /* a signal the caller ignores stays ignored, as atomic.c does it */
  for (size_t k = 0; k < G_N_ELEMENTS(g_stop); k++)
    if (g_old_stop[k].sa_handler != SIG_IGN) sigaction(g_stop[k], &sa, NULL);
  /* crashes too, unless someone (AddressSanitizer) handles them already */
  g_crash_set = 0;
  for (size_t k = 0; k < G_N_ELEMENTS(g_crash); k++) {
    struct sigaction old, cs;
    if (sigaction(g_crash[k], NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
      memset(&cs, 0, sizeof cs);
      cs.sa_handler = on_crash;
      sigemptyset(&cs.sa_mask);
      cs.sa_flags = SA_RESETHAND;
      sigaction(g_crash[k], &cs, NULL);
      g_crash_set |= 1u << k;
    }
  }

  done = g_new0(done_analysis, n);
  n_done = n;
  if (!run_analyses(p, tmp, formats, quiet, done, &status, &err) && status != 0) {
    const rs_plan_analysis *a = NULL;
    for (size_t i = 0; i < n && !a; i++)
      if (!done[i].files || done[i].files->len == 0) a = rs_plan_analysis_at(p, i);
    fprintf(stderr, "reformstat run: [analysis.%s] failed (%s); nothing was written to %s%s\n", a ? a->name : "?",
            a ? a->command : "?", dir, exists ? ", which is unchanged" : "");
  }
  if (status == 0 && !err) write_manifest(p, tmp, formats, done, &err);
  if (status != 0 || err) {
    g_state = 0;
    rs_atomic_remove_dir(tmp);
    if (err) goto fail;
    goto done;
  }

  /* into place: over nothing directly; over an earlier DIR by exchanging
   * the two (renameat2), else by moving the earlier one aside first */
  g_state = 2;
  close(g_tmp_fd);
  g_tmp_fd = -1;
  sync_dir(tmp);
  int rr;
  if (!exists) {
    rr = g_rename(tmp, dir);
  } else {
    rr = (int)syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, dir, 2 /* RENAME_EXCHANGE */);
    if (rr != 0) {
      char *old = g_strdup_printf("%s/.%s.old-XXXXXX", parent, base);
      rr = g_mkdtemp_full(old, 0700) && g_rmdir(old) == 0 && g_rename(dir, old) == 0 ? 0 : -1;
      if (rr == 0) {
        rr = g_rename(tmp, dir);
        if (rr != 0) (void)g_rename(old, dir);
        else (void)g_rename(old, tmp);  /* removed below */
      }
      g_free(old);
    }
  }
  if (rr != 0) {
    int en = errno;
    g_set_error(&err, RS_ERROR, RS_ERROR_IO, "-o %s: cannot rename %s to it: %s (nothing was changed)", dir, tmp,
                g_strerror(en));
    rs_atomic_remove_dir(tmp);
    g_state = 0;
    goto fail;
  }
  if (exists) rs_atomic_remove_dir(tmp);  /* the earlier output, swapped out */
  sync_dir(parent);
  g_state = 0;
  if (!quiet) fprintf(stderr, "reformstat run: %zu analyses written to %s\n", n, dir);
  if (g_pending) {
    status = 128 + g_pending;
    fprintf(stderr, "reformstat run: interrupted after the output was complete (%s is whole)\n", dir);
  }
  goto done;
fail:
  status = rs_cli_fail("run", err);
done:
  if (have_old) {
    for (size_t k = 0; k < G_N_ELEMENTS(g_stop); k++) sigaction(g_stop[k], &g_old_stop[k], NULL);
    sigaction(SIGCHLD, &g_old_chld, NULL);
  }
  for (size_t k = 0; k < G_N_ELEMENTS(g_crash); k++)
    if (g_crash_set & (1u << k)) signal(g_crash[k], SIG_DFL);
  g_crash_set = 0;
  if (g_tmp_fd >= 0) close(g_tmp_fd);
  g_tmp_fd = -1;
  g_state = 0;
  for (size_t i = 0; i < n_done; i++) {
    g_strfreev(done[i].argv);
    if (done[i].files) g_ptr_array_unref(done[i].files);
  }
  g_free(done);
  rs_plan_free(p);
  g_free(dir); g_free(parent); g_free(base); g_free(tmp); g_free(formats);
  g_free(output); g_free(formats_opt);
  g_option_context_free(ctx);
  return status;
}
