/* codebook.c — `reformstat codebook DATA -o codebook.csv`: the codebook of
 * a data file in DESIGN.md's CSV format.  From an SPSS, Stata or SAS file
 * it carries the file's labels, value labels, missing values and types;
 * from a CSV file the inferred types, ready to be completed by hand. */
#include "cli/cli.h"
#include "datasets/error.h"
#include "datasets/export.h"

#include <stdio.h>

int rs_cmd_codebook(int argc, char **argv) {
  rs_cli_common c = {0};
  GOptionContext *ctx = g_option_context_new("DATA - write the codebook of a data file (CSV, .sav, .por, .dta, .sas7bdat)");
  g_option_context_set_summary(ctx,
    "Writes name,label_nb,label_en,type,min,max,reverse,missing,values,index, one row per\n"
    "variable.  SPSS/Stata/SAS files give their variable and value labels, user-missing\n"
    "values and ranges (8|9, 97..99), extended missing values (.a) and measure level;\n"
    "Likert items are recognised from 4–11 consecutive labelled codes.");
  GOptionEntry e[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &c.output, "Write to FILE (default: standard output)", "FILE"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  o.quiet = TRUE;
  t = rs_load_table(argv[1], &o, NULL, &err);
  if (!t) goto fail;
  if (!rs_export_codebook(t, c.output ? c.output : "-", &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("codebook", err);
done:
  rs_table_free(t);
  rs_codebook_free(cb);
  g_option_context_free(ctx);
  rs_cli_common_clear(&c);
  return status;
}
