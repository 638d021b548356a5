/* fuzz-formula.c — the formula parser (analysis/formula.h), and the design
 * matrix built from a parsed formula on a small table.
 *
 * Input: the formula text (a NUL byte ends it).  The table has numeric
 * columns y, x, z, w (with missing cells), a text column g, a 0/1 column b,
 * a text response r with two levels and a constant column k; a formula that
 * names other columns exercises the "no such column" path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/formula.h"
#include "datasets/load.h"
#include "tests/fuzz/fuzz-common.h"

static rs_table *table;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc; (void)argv;
  fuzz_init_common();
  static const char csv[] =
      "y,x,z,w,g,b,r,k\n"
      "1.5,1,10,,a,0,ja,3\n"
      "2.25,2,8,1,b,1,nei,3\n"
      "3,3,,2,c,0,ja,3\n"
      "2,4,7,3,a,1,nei,3\n"
      ",5,6,4,b,0,ja,3\n"
      "4.5,6,5,5,c,1,nei,3\n"
      "5,7,4,6,a,1,ja,3\n"
      "6.25,8,3,7,b,0,nei,3\n";
  const char *path = fuzz_write_file(3, "csv", (const uint8_t *)csv, sizeof csv - 1);
  rs_load_options o;
  rs_load_options_init(&o);
  o.quiet = true;
  GError *e = NULL;
  table = rs_load_table(path, &o, NULL, &e);
  if (!table) { fprintf(stderr, "fuzz-formula: %s\n", e->message); abort(); }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  char *text = g_strndup((const char *)data, size);
  GError *e = NULL;
  rs_formula *f = rs_formula_parse(text, &e);
  if (!f) {
    fuzz_check_error(e);
    g_error_free(e);
    g_free(text);
    return 0;
  }
  for (size_t i = 0; i < f->n_terms; i++) g_free(rs_formula_term_label(f, i));
  static const char *const extra[] = {"w", NULL};
  rs_design_options o = {.extra = (size & 1) ? extra : NULL, .binary_response = (size & 2) != 0};
  rs_design *d = rs_design_build(f, table, &o, &e);
  if (!d) fuzz_check_error(e);
  /* a model without terms ("y ~ 0") has no matrix: p = 0, X NULL */
  else if (d->p > 0 && (d->X->size1 != d->n || d->X->size2 != d->p)) abort();
  g_clear_error(&e);
  rs_design_free(d);
  rs_formula_free(f);
  g_free(text);
  return 0;
}
