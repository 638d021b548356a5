/* correlate.c — `reformstat correlate DATA --vars A,B[,…]`: Pearson,
 * Spearman or Kendall correlation of every pair, with R's cor.test()
 * p-values and optional Holm/BH adjustment (analysis/correlate.h). */
#include "cli/cli.h"
#include "analysis/correlate.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>

int rs_cmd_correlate(int argc, char **argv) {
  rs_cli_common c = {0};
  char *vars = NULL, *method = NULL, *adjust = NULL;
  double conf = 0.95;
  GOptionContext *ctx = g_option_context_new("DATA - correlations of every pair of columns");
  g_option_context_set_summary(ctx,
    "Every pair of --vars, on the rows where both are present.  Pearson: r, t test and\n"
    "Fisher-z confidence interval.  Spearman: rho with the p-value of R's cor.test (exact or\n"
    "AS 89 without ties, t approximation with ties).  Kendall: tau-b, exact p below 50 pairs\n"
    "without ties, else the normal approximation.  A constant column gives no estimate and a note.");
  GOptionEntry e[] = {
    {"vars", 0, 0, G_OPTION_ARG_STRING, &vars, "Columns to correlate (comma-separated, at least two)", "A,B,…"},
    {"method", 'm', 0, G_OPTION_ARG_STRING, &method, "pearson (default), spearman or kendall", "NAME"},
    {"adjust", 0, 0, G_OPTION_ARG_STRING, &adjust, "Adjust p-values over the pairs: holm or bh", "METHOD"},
    {"conf-level", 0, 0, G_OPTION_ARG_DOUBLE, &conf, "Confidence level (default 0.95)", "P"},
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
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (!vars) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give the columns to correlate with --vars A,B");
    goto fail;
  }
  int m = rs_cor_method_from_name(method);
  if (m < 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--method takes pearson, spearman or kendall, not '%s'", method);
    goto fail;
  }
  if (!(conf > 0 && conf < 1)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--conf-level must be between 0 and 1");
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &o, &sn, &err);
  if (!t) goto fail;
  res = rs_results_new("correlate");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  varv = g_strsplit(vars, ",", -1);
  for (char **v = varv; *v; v++) g_strstrip(*v);
  if (!rs_correlate_table(t, (const char *const *)varv, (rs_cor_method)m, adjust, conf, res, &err)) goto fail;
  if (!cb) rs_results_add_note(res, "No codebook: column types were inferred from the data.");
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("correlate", err);
done:
  g_strfreev(varv);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(vars); g_free(method); g_free(adjust);
  rs_cli_common_clear(&c);
  return status;
}
