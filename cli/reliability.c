/* reliability.c — `reformstat reliability DATA --items Q1,Q2,… | --index NAME`:
 * Cronbach's alpha with item-dropped alpha and corrected item-total
 * correlations, reverse-coded items from the codebook (analysis/reliability.h). */
#include "cli/cli.h"
#include "analysis/reliability.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>

int rs_cmd_reliability(int argc, char **argv) {
  rs_cli_common c = {0};
  char *vars = NULL, *index = NULL;
  GOptionContext *ctx = g_option_context_new("DATA - Cronbach's alpha of a scale");
  g_option_context_set_summary(ctx,
    "Cronbach's alpha (psych::alpha's raw_alpha, from pairwise covariances), alpha with each item\n"
    "dropped and each item's correlation with the sum of the others.  Items marked reverse = 1 in\n"
    "the codebook are reversed first (min + max - answer).");
  GOptionEntry e[] = {
    {"items", 0, 0, G_OPTION_ARG_STRING, &vars, "Item columns (comma-separated, at least two)", "Q1,Q2,…"},
    {"index", 0, 0, G_OPTION_ARG_STRING, &index, "Items of this index in the codebook's index column", "NAME"},
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
  if (!vars == !index) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give the items with --items Q1,Q2,… or --index NAME (one of them)");
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &o, &sn, &err);
  if (!t) goto fail;
  res = rs_results_new("reliability");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  if (index) {
    if (!(varv = rs_reliability_index_items(cb, index, &err))) goto fail;
  } else {
    varv = g_strsplit(vars, ",", -1);
    for (char **v = varv; *v; v++) g_strstrip(*v);
  }
  if (!rs_reliability_table(t, (const char *const *)varv, index, res, &err)) goto fail;
  if (!cb) rs_results_add_note(res, "No codebook: no item is reverse-coded.");
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("reliability", err);
done:
  g_strfreev(varv);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(vars); g_free(index);
  rs_cli_common_clear(&c);
  return status;
}
