/* limits.c — the memory budget and the level limit (limits.h). */
#include "datasets/limits.h"
#include "datasets/error.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t max_memory_set, max_levels_set;

void rs_limits_set(size_t max_memory, size_t max_levels) {
  max_memory_set = max_memory;
  max_levels_set = max_levels;
}

gboolean rs_limits_parse_size(const char *s, size_t *bytes, GError **err) {
  char *end = NULL;
  errno = 0;
  double v = s ? g_ascii_strtod(s, &end) : 0;
  double mult = 1;
  if (end && end != s) {
    while (*end == ' ') end++;
    switch (g_ascii_toupper(*end)) {
      case 'K': mult = 1024.0; end++; break;
      case 'M': mult = 1024.0 * 1024; end++; break;
      case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
      case 'T': mult = 1024.0 * 1024 * 1024 * 1024; end++; break;
      default: break;
    }
    if (mult > 1 && (*end == 'i' || *end == 'I')) end++;
    if (*end == 'b' || *end == 'B') end++;
  }
  if (!s || !end || end == s || *end || errno || !isfinite(v) || v * mult < 1 || v * mult > 1e18) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "'%s' is not a size; give bytes or a number with K, M, G or T (such as 512M or 2G)", s ? s : "");
    return FALSE;
  }
  *bytes = (size_t)(v * mult);
  return TRUE;
}

char *rs_limits_format_size(size_t bytes) {
  char *s = g_format_size_full(bytes, G_FORMAT_SIZE_IEC_UNITS);
  /* GLib puts a no-break space (U+00A0) before the unit: a plain one reads
   * the same and survives any terminal encoding and grep */
  char **parts = g_strsplit(s, "\xc2\xa0", -1);
  char *plain = g_strjoinv(" ", parts);
  g_strfreev(parts);
  g_free(s);
  return plain;
}

/* The cgroup v2 limit of this process (a container's memory), or 0. */
static size_t cgroup_limit(void) {
  char *text = NULL;
  size_t lim = 0;
  if (g_file_get_contents("/sys/fs/cgroup/memory.max", &text, NULL, NULL)) {
    char *end = NULL;
    unsigned long long v = g_ascii_strtoull(text, &end, 10);
    if (end != text && v > 0) lim = (size_t)v;  /* "max": no limit */
    g_free(text);
  }
  return lim;
}

static size_t from_env(const char *name, gboolean size) {
  const char *e = g_getenv(name);
  if (!e || !*e) return 0;
  size_t v = 0;
  if (size) {
    if (!rs_limits_parse_size(e, &v, NULL)) return 0;
  } else {
    char *end = NULL;
    unsigned long long n = g_ascii_strtoull(e, &end, 10);
    if (end == e || *end) return 0;
    v = (size_t)n;
  }
  return v;
}

size_t rs_limits_max_memory(void) {
  if (max_memory_set) return max_memory_set;
  size_t env = from_env("REFORMSTAT_MAX_MEMORY", TRUE);
  if (env) return env;
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  double phys = pages > 0 && page > 0 ? (double)pages * (double)page : 4.0 * 1024 * 1024 * 1024;
  size_t cg = cgroup_limit();
  if (cg && (double)cg < phys) phys = (double)cg;
  return (size_t)(phys * 0.75);
}

size_t rs_limits_max_levels(void) {
  if (max_levels_set) return max_levels_set;
  size_t env = from_env("REFORMSTAT_MAX_LEVELS", FALSE);
  return env ? env : RS_LIMITS_DEFAULT_MAX_LEVELS;
}

gboolean rs_limits_check_memory(double bytes, const char *what, GError **err) {
  size_t lim = rs_limits_max_memory();
  if (bytes <= (double)lim) return TRUE;
  char *need = rs_limits_format_size(bytes > 1e18 ? (size_t)1e18 : (size_t)bytes), *have = rs_limits_format_size(lim);
  g_set_error(err, RS_ERROR, RS_ERROR_LIMIT,
              "%s needs about %s of memory, more than the limit of %s (--max-memory SIZE raises it; "
              "the default is 3/4 of the machine's memory)", what, need, have);
  g_free(need);
  g_free(have);
  return FALSE;
}

gboolean rs_limits_check_levels(size_t levels, const char *what, GError **err) {
  size_t lim = rs_limits_max_levels();
  if (levels <= lim) return TRUE;
  g_set_error(err, RS_ERROR, RS_ERROR_LIMIT,
              "%s has more than %zu distinct values (the limit for a grouping or factor; --max-levels N raises it). "
              "Is it an id or a free-text column?", what, lim);
  return FALSE;
}
