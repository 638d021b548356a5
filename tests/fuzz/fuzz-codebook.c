/* fuzz-codebook.c — the codebook reader, and a data file loaded against it.
 *
 * Input: CODEBOOK [ "\n%%%%\n" DATA ].  The first byte chooses the
 * reading options of both files and whether the data is loaded with a diag
 * list (validate) or stops at the first error (describe and the analyses).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/load.h"
#include "tests/fuzz/fuzz-common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc; (void)argv;
  fuzz_init_common();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t b0 = data[0];
  data++, size--;
  const uint8_t *sep = NULL;
  for (size_t i = 0; i + 6 <= size; i++)
    if (memcmp(data + i, "\n%%%%\n", 6) == 0) { sep = data + i; break; }
  size_t cb_size = sep ? (size_t)(sep - data) : size;
  const char *cb_path = fuzz_write_file(0, "codebook.csv", data, cb_size);
  rs_read_options ro;
  rs_read_options_init(&ro);
  static const char delims[] = {0, ';', ','};
  ro.delimiter = delims[b0 % 3];
  static const char *const encs[] = {NULL, "utf-8", "windows-1252"};
  ro.encoding = encs[(b0 >> 2) % 3];
  GError *e = NULL;
  /* The CLI loads codebooks with default options; both are exercised. */
  rs_codebook *cb = rs_codebook_load(cb_path, (b0 & 0x10) ? &ro : NULL, &e);
  if (!cb) { fuzz_check_error(e); g_error_free(e); return 0; }
  for (guint i = 0; i < cb->vars->len; i++) {
    const rs_cb_var *v = g_ptr_array_index(cb->vars, i);
    if (rs_codebook_get(cb, v->name) != v) abort();
    (void)rs_cb_var_label(v, (b0 & 0x20) ? "en" : "nb");
    (void)rs_codebook_value_label(v, 1, "1");
    (void)rs_cb_var_is_missing_code(v, "9", 1, true, 9);
    (void)rs_cb_var_is_missing_code(v, "-1", 2, true, -1);
  }
  if (sep) {
    const char *path = fuzz_write_file(1, "csv", sep + 6, size - cb_size - 6);
    rs_load_options o;
    rs_load_options_init(&o);
    o.read = ro;
    o.quiet = true;
    o.codebook = cb;
    if (b0 & 0x40) o.diag = rs_diag_new();
    rs_table *t = rs_load_table(path, &o, NULL, &e);
    if (!t) fuzz_check_error(e);
    g_clear_error(&e);
    rs_table_free(t);
    if (o.diag) rs_diag_free(o.diag);
  }
  rs_codebook_free(cb);
  return 0;
}
