/* fuzz-readstat.c — SPSS, Stata and SAS files through ReadStat into a table
 * (datasets/readstat_input.h).
 *
 * The first byte chooses the format (.sav, .por, .dta, .sas7bdat; .zsav is
 * read by the .sav parser) and whether a diag list is given; the rest is
 * the file.  ReadStat itself is the system library (not instrumented): the
 * target finds faults in reformstat's handling of what ReadStat reports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/error.h"
#include "datasets/load.h"
#include "datasets/readstat_input.h"
#include "tests/fuzz/fuzz-common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc; (void)argv;
  fuzz_init_common();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || !rs_readstat_available()) return 0;
  static const rs_input_format fmts[] = {RS_INPUT_SAV, RS_INPUT_POR, RS_INPUT_DTA, RS_INPUT_SAS7BDAT};
  static const char *const exts[] = {"sav", "por", "dta", "sas7bdat"};
  int k = data[0] % 4;
  const char *path = fuzz_write_file(0, exts[k], data + 1, size - 1);
  rs_load_options o;
  rs_load_options_init(&o);
  o.quiet = true;
  if (data[0] & 0x10) o.diag = rs_diag_new();
  char *how = NULL;
  GError *e = NULL;
  rs_table *t = rs_readstat_read(path, fmts[k], &o, &how, &e);
  if (!t) fuzz_check_error(e);
  g_clear_error(&e);
  g_free(how);
  rs_table_free(t);
  if (o.diag) rs_diag_free(o.diag);
  return 0;
}
