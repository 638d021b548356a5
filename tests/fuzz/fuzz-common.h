/* fuzz-common.h — shared by the fuzz targets (libFuzzer and AFL++).
 *
 * The library reads files by path (and opens them more than once: the
 * reader sniffs, then streams, the parallel path reopens), so each input is
 * written to one temporary file per process, on /dev/shm when it exists so
 * that no disk is touched.  The file name keeps an extension because the
 * loader chooses the format by extension.
 */
#ifndef RS_FUZZ_COMMON_H
#define RS_FUZZ_COMMON_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes data to a per-process file NAME.EXT and returns its path (static
 * storage; one per ext slot). */
static inline const char *fuzz_write_file(int slot, const char *ext, const uint8_t *data, size_t size) {
  static char paths[4][256];
  const char *dir = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
  snprintf(paths[slot], sizeof paths[slot], "%s/rs-fuzz-%ld-%d.%s", dir, (long)getpid(), slot, ext);
  FILE *fp = fopen(paths[slot], "wb");
  if (!fp) abort();
  if (size && fwrite(data, 1, size, fp) != size) abort();
  if (fclose(fp) != 0) abort();
  return paths[slot];
}

static inline void fuzz_remove_files(void) {
  char p[256];
  const char *dir = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
  static const char *exts[] = {"csv", "codebook.csv", "sav", "por", "dta", "sas7bdat", "zsav", "ini", NULL};
  for (int s = 0; s < 4; s++)
    for (int e = 0; exts[e]; e++) {
      snprintf(p, sizeof p, "%s/rs-fuzz-%ld-%d.%s", dir, (long)getpid(), s, exts[e]);
      unlink(p);
    }
}

/* Quiet GLib's g_warning/g_message chatter (they are not findings) but keep
 * g_critical and g_error fatal: a critical is a broken precondition. */
static inline void fuzz_log_handler(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data) {
  (void)domain; (void)data;
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR)) {
    fprintf(stderr, "GLib critical: %s\n", msg);
    abort();
  }
}

static inline void fuzz_init_common(void) {
  g_log_set_default_handler(fuzz_log_handler, NULL);
  atexit(fuzz_remove_files);
}

/* Every error must carry a message a person can read. */
static inline void fuzz_check_error(GError *e) {
  if (!e || !e->message || !e->message[0]) {
    fprintf(stderr, "failure without an error message\n");
    abort();
  }
}

#endif
