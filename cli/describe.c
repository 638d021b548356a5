/* describe.c — `reformstat describe DATA`: n, missing by reason, mean, SD,
 * quartiles for numeric columns; counts and percentages for categories. */
#include "cli/cli.h"
#include "analysis/describe.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>

int rs_cmd_describe(int argc, char **argv) {
  rs_cli_common c = {0};
  char *vars = NULL, *by = NULL, *weight = NULL, *strata = NULL, *cluster = NULL;
  GOptionContext *ctx = g_option_context_new("DATA - descriptive statistics of a data file");
  g_option_context_set_summary(ctx,
    "Numeric columns: n, missing (by reason: empty, codebook code, SSB '.', '..', '...', ':'),\n"
    "mean, SD, SE, min, quartiles (R's type 7) and max.  Categories: counts and percentages.\n"
    "Stops at the first error in the data; use 'reformstat validate' to list them all.");
  GOptionEntry e[] = {
    {"vars", 0, 0, G_OPTION_ARG_STRING, &vars, "Only these columns (comma-separated)", "A,B,…"},
    {"by", 0, 0, G_OPTION_ARG_STRING, &by, "Describe within the groups of this column", "VAR"},
    {"weight", 'w', 0, G_OPTION_ARG_STRING, &weight, "Survey weight column: adds weighted means and percentages with design-based SEs", "W"},
    {"strata", 0, 0, G_OPTION_ARG_STRING, &strata, "With --weight: strata column", "S"},
    {"cluster", 0, 0, G_OPTION_ARG_STRING, &cluster, "With --weight: cluster (PSU) column", "C"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL;
  char **varv = NULL;
  rs_sniff sn = {0};
  char *recode_note = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  /* with --vars, only the columns described (and grouping/design ones) are parsed */
  const char *need[] = {vars, by, weight, strata, cluster, c.year_column};
  char **only = vars ? rs_cli_column_list(need, G_N_ELEMENTS(need)) : NULL;
  o.only = (const char *const *)only;
  t = rs_load_table(argv[1], &o, &sn, &err);
  g_strfreev(only);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, NULL, &recode_note, &err)) goto fail;
  if (c.verbose) {
    char *how = rs_load_describe_sniff(&sn);
    fprintf(stderr, "reformstat describe: %s: %zu rows, %zu columns; read as %s\n", argv[1], t->nrows, t->ncols, how);
    g_free(how);
  }
  res = rs_results_new("describe");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  if (vars) {
    varv = g_strsplit(vars, ",", -1);
    for (char **v = varv; *v; v++) g_strstrip(*v);
  }
  if (!rs_describe_table_weighted(t, (const char *const *)varv, by, c.lang ? c.lang : "nb", weight, strata, cluster,
                                  res, &err))
    goto fail;
  if (!cb && t->codebook) rs_results_add_note(res, "Types, labels and missing values from the file's own dictionary.");
  else if (!cb) rs_results_add_note(res, "No codebook: column types were inferred from the data.");
  if (recode_note) rs_results_add_note(res, recode_note);
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("describe", err);
done:
  g_strfreev(varv);
  g_free(recode_note);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(vars); g_free(by); g_free(weight); g_free(strata); g_free(cluster);
  rs_cli_common_clear(&c);
  return status;
}
