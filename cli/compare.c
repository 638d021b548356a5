/* compare.c — `reformstat compare DATA --outcome Y --by G [--test …]`:
 * two-group and k-group tests with effect sizes (analysis/compare.h). */
#include "cli/cli.h"
#include "analysis/compare.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>

int rs_cmd_compare(int argc, char **argv) {
  rs_cli_common c = {0};
  char *outcome = NULL, *by = NULL, *test = NULL, *id = NULL, *weight = NULL, *adjust = NULL, *success = NULL;
  char *strata = NULL, *cluster = NULL;
  gboolean no_continuity = FALSE;
  GOptionContext *ctx = g_option_context_new("DATA - compare groups: t tests, rank tests, chi-square, Fisher, proportions, ANOVA");
  g_option_context_set_summary(ctx,
    "One test per outcome between the groups of --by, with effect sizes and group summaries.\n"
    "Tests (R's equivalent):  welch, student (t.test), paired (t.test paired; --id),\n"
    "  mann-whitney, signed-rank (wilcox.test; signed-rank needs --id), chisq (chisq.test),\n"
    "  fisher (fisher.test; r x c by exact enumeration of small tables), prop (prop.test),\n"
    "  anova (anova(lm(y ~ factor(g)))), kruskal (kruskal.test).\n"
    "Default: chisq for a categorical outcome, welch for 2 groups, anova for more.\n"
    "All tests two-sided, intervals 95%.  Rows with the outcome or group missing are left out.\n"
    "With --weight (and optionally --strata, --cluster) the tests are design-based, as R's survey\n"
    "  package (PSUs with replacement, a stratum with one PSU is an error): welch or auto for 2 groups\n"
    "  is svyttest, anova or auto for more is regTermTest(svyglm(y ~ factor(g))), chisq or auto for\n"
    "  a categorical outcome is svychisq's Rao-Scott F; group means/proportions with linearised SEs\n"
    "  (svyby).  Rows with the weight missing are left out too.  Other tests refuse --weight.");
  GOptionEntry e[] = {
    {"outcome", 'y', 0, G_OPTION_ARG_STRING, &outcome, "Outcome column(s), comma-separated: one test each", "Y[,Y2…]"},
    {"by", 'b', 0, G_OPTION_ARG_STRING, &by, "Grouping column", "G"},
    {"test", 't', 0, G_OPTION_ARG_STRING, &test, "welch, student, paired, mann-whitney, signed-rank, chisq, fisher, prop, anova or kruskal", "TEST"},
    {"id", 0, 0, G_OPTION_ARG_STRING, &id, "Paired tests: column matching rows across the two groups", "ID"},
    {"weight", 'w', 0, G_OPTION_ARG_STRING, &weight, "Survey weight column: design-based welch, anova or chisq", "W"},
    {"strata", 0, 0, G_OPTION_ARG_STRING, &strata, "With --weight: stratum column of the survey design", "S"},
    {"cluster", 0, 0, G_OPTION_ARG_STRING, &cluster, "With --weight: cluster (PSU) column of the survey design", "C"},
    {"adjust", 0, 0, G_OPTION_ARG_STRING, &adjust, "Adjust the outcomes' p-values: holm, bonferroni or bh (Benjamini-Hochberg)", "METHOD"},
    {"success", 0, 0, G_OPTION_ARG_STRING, &success, "prop, fisher, 2x2 chisq: the outcome value counted (default: the last value)", "VALUE"},
    {"no-continuity", 0, 0, G_OPTION_ARG_NONE, &no_continuity, "chisq (2x2) and prop without Yates' continuity correction", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL;
  char **outv = NULL;
  rs_sniff sn = {0};
  char *recode_note = NULL;
  rs_compare_options co;
  rs_compare_options_init(&co);
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  int tn = rs_compare_test_from_name(test);
  if (tn < 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE,
                "unknown --test '%s'; use welch, student, paired, mann-whitney, signed-rank, chisq, fisher, prop, anova or kruskal", test);
    goto fail;
  }
  int an = rs_padjust_method_from_name(adjust);
  if (an < 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "unknown --adjust '%s'; use holm, bonferroni or bh", adjust);
    goto fail;
  }
  if (!outcome || !by) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give --outcome VAR and --by VAR (see --help)");
    goto fail;
  }
  if ((strata || cluster) && !weight) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--%s describes a survey design and needs --weight", strata ? "strata" : "cluster");
    goto fail;
  }
  if (weight && tn != RS_COMPARE_AUTO && tn != RS_COMPARE_WELCH && tn != RS_COMPARE_ANOVA && tn != RS_COMPARE_CHISQ) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--test %s does not take survey weights; with --weight use %s", test,
                rs_compare_weighted_tests);
    goto fail;
  }
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  /* only the columns the comparison uses are parsed */
  const char *need[] = {outcome, by, id, weight, strata, cluster, c.year_column};
  char **only = rs_cli_column_list(need, G_N_ELEMENTS(need));
  o.only = (const char *const *)only;
  t = rs_load_table(argv[1], &o, &sn, &err);
  g_strfreev(only);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, NULL, &recode_note, &err)) goto fail;
  if (c.verbose) {
    char *how = rs_load_describe_sniff(&sn);
    fprintf(stderr, "reformstat compare: %s: %zu rows, %zu columns; read as %s\n", argv[1], t->nrows, t->ncols, how);
    g_free(how);
  }
  res = rs_results_new("compare");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  outv = g_strsplit(outcome, ",", -1);
  for (char **v = outv; *v; v++) g_strstrip(*v);
  co.outcomes = (const char *const *)outv;
  co.by = by;
  co.test = (rs_compare_test)tn;
  co.id = id;
  co.success = success;
  co.no_continuity = no_continuity;
  co.adjust = (rs_padjust_method)an;
  co.weight = weight;
  co.strata = strata;
  co.cluster = cluster;
  if (!rs_compare_table(t, &co, res, &err)) goto fail;
  if (!cb) rs_results_add_note(res, "No codebook: column types were inferred from the data.");
  if (recode_note) rs_results_add_note(res, recode_note);
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("compare", err);
done:
  g_strfreev(outv);
  g_free(recode_note);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(outcome); g_free(by); g_free(test); g_free(id); g_free(weight); g_free(adjust); g_free(success);
  g_free(strata); g_free(cluster);
  rs_cli_common_clear(&c);
  return status;
}
