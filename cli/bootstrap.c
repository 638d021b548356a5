/* bootstrap.c — `reformstat bootstrap DATA --var Y [--by G | --cluster C]
 * --replicates B --seed N`: percentile and BCa intervals for a mean or a
 * difference in means, and a permutation test (analysis/resample.h). */
#include "cli/cli.h"
#include "analysis/resample.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>

int rs_cmd_bootstrap(int argc, char **argv) {
  rs_cli_common c = {0};
  char *vars = NULL, *by = NULL, *cluster = NULL;
  double conf = 0.95;
  gint64 reps = 1999, seed = -1;
  GOptionContext *ctx = g_option_context_new("DATA - bootstrap intervals and a permutation test");
  g_option_context_set_summary(ctx,
    "The mean of --var (with --cluster: whole clusters resampled), or with --by (two groups) the\n"
    "difference in means and a permutation test.  Percentile and BCa intervals as boot::boot.ci.\n"
    "Random numbers: MT19937 seeded with --seed, which every output states.");
  GOptionEntry e[] = {
    {"var", 0, 0, G_OPTION_ARG_STRING, &vars, "Numeric column", "Y"},
    {"by", 0, 0, G_OPTION_ARG_STRING, &by, "Two-group column: difference in means", "G"},
    {"cluster", 0, 0, G_OPTION_ARG_STRING, &cluster, "Resample whole clusters of this column", "C"},
    {"replicates", 'B', 0, G_OPTION_ARG_INT64, &reps, "Bootstrap replicates and permutations (default 1999)", "B"},
    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the random number generator (required)", "N"},
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
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give the column with --var Y");
    goto fail;
  }
  if (seed < 0 || seed > 4294967295LL) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give --seed N (0 to 4294967295) so that the result can be repeated");
    goto fail;
  }
  if (reps < 2 || reps > 10000000) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--replicates must be between 2 and 10000000");
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
  res = rs_results_new("bootstrap");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  if (!rs_bootstrap_table(t, vars, by, cluster, (size_t)reps, (unsigned long)seed, conf, res, &err)) goto fail;
  if (!cb) rs_results_add_note(res, "No codebook: column types were inferred from the data.");
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("bootstrap", err);
done:
  g_strfreev(varv);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(vars); g_free(by); g_free(cluster);
  rs_cli_common_clear(&c);
  return status;
}
