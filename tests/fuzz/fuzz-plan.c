/* fuzz-plan.c — the analysis plan reader (datasets/plan.h, a GLib key file).
 *
 * Input: the plan file.  It sits in a per-process directory beside small
 * versions of the four sample datasets and their codebooks (family.csv,
 * family-codebook.csv, …: the first rows of datasets/sample, written at
 * start-up from the source tree), so that [data.*] groups naming them are
 * read and checked as rs_plan_load does for real: the header, the codebook,
 * every option that names a column, and the reading options (delimiter,
 * decimal, encoding, …) of each data group.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/plan.h"
#include "tests/fuzz/fuzz-common.h"

#ifndef RS_FUZZ_SAMPLEDIR
#define RS_FUZZ_SAMPLEDIR "datasets/sample"
#endif

static char *dir, *plan_path;

static void copy_head(const char *name, int lines) {
  char *src = g_build_filename(RS_FUZZ_SAMPLEDIR, name, NULL);
  char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents(src, &text, &len, NULL)) {
    fprintf(stderr, "fuzz-plan: cannot read %s (set RS_FUZZ_SAMPLEDIR at build time)\n", src);
    abort();
  }
  char *p = text;
  for (int i = 0; i < lines && p && *p; i++) {
    p = strchr(p, '\n');
    if (p) p++;
  }
  if (p) *p = '\0';
  char *dst = g_build_filename(dir, name, NULL);
  if (!g_file_set_contents(dst, text, -1, NULL)) abort();
  g_free(dst);
  g_free(src);
  g_free(text);
}

static void cleanup(void) {
  static const char *const names[] = {"family.csv", "family-codebook.csv", "coordinators.csv",
                                      "coordinators-codebook.csv", "registry.csv", "registry-codebook.csv",
                                      "cases.csv", "cases-codebook.csv", "plan.ini", NULL};
  for (int i = 0; names[i]; i++) {
    char *p = g_build_filename(dir, names[i], NULL);
    unlink(p);
    g_free(p);
  }
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc; (void)argv;
  fuzz_init_common();
  const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
  dir = g_strdup_printf("%s/rs-fuzz-plan-%ld", base, (long)getpid());
  g_mkdir_with_parents(dir, 0700);
  atexit(cleanup);
  static const char *const sets[] = {"family", "coordinators", "registry", "cases", NULL};
  for (int i = 0; sets[i]; i++) {
    char *csv = g_strdup_printf("%s.csv", sets[i]), *cb = g_strdup_printf("%s-codebook.csv", sets[i]);
    copy_head(csv, 20);
    copy_head(cb, 1000);
    g_free(csv);
    g_free(cb);
  }
  plan_path = g_build_filename(dir, "plan.ini", NULL);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  if (!g_file_set_contents(plan_path, (const char *)data, (gssize)size, NULL)) abort();
  GError *e = NULL;
  rs_plan *p = rs_plan_load(plan_path, &e);
  if (!p) {
    fuzz_check_error(e);
    g_error_free(e);
    return 0;
  }
  (void)rs_plan_title(p, "en");
  (void)rs_plan_title(p, "nb");
  (void)rs_plan_output(p);
  for (const char *const *f = rs_plan_formats(p); f && *f; f++) (void)strlen(*f);
  (void)rs_plan_lang(p);
  (void)rs_plan_vintage(p);
  (void)rs_plan_min_n(p);
  (void)rs_plan_sha256(p);
  for (size_t i = 0; i < rs_plan_n_data(p); i++) {
    const rs_plan_data *d = rs_plan_data_at(p, i);
    if (rs_plan_data_get(p, d->name) != d) abort();
    (void)rs_plan_data_has_column(d, "id");
    g_free(rs_plan_where(p, d->line, d->name));
  }
  for (size_t i = 0; i < rs_plan_n_analyses(p); i++) {
    const rs_plan_analysis *a = rs_plan_analysis_at(p, i);
    (void)rs_plan_analysis_option(a, "by");
    (void)rs_plan_analysis_option(a, "post_column");
    g_free(rs_plan_where(p, a->line, a->name));
  }
  (void)rs_plan_keyfile(p);
  rs_plan_free(p);
  return 0;
}
