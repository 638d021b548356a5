/* coordinator-effect.c — `reformstat coordinator-effect DATA --codebook CB`:
 * barnekoordinator vs koordinator vs none on every outcome index, with the
 * minimum detectable effect, and a difference-in-differences with event
 * study and pre-trend test when the data have a pre-reform wave
 * (analysis/reform-effect.h does the work). */
#include "cli/cli.h"
#include "analysis/reform-effect.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gboolean parse_prob(const char *opt, const char *s, double *out, GError **err) {
  if (!s) return TRUE;
  char *end;
  double v = g_ascii_strtod(s, &end);
  if (end == s || *end || !(v > 0 && v < 1)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--%s takes a number between 0 and 1 (e.g. 0.8), not '%s'", opt, s);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

int rs_cmd_coordinator_effect(int argc, char **argv) {
  rs_cli_common c = {0};
  char *type_column = NULL, *type_codes = NULL, *covariates = NULL, *cluster = NULL, *wave = NULL, *post = NULL;
  char *treated = NULL, *indexes = NULL, *lower = NULL, *min_share = NULL, *power = NULL, *alpha = NULL;
  int min_clusters = 0;
  GOptionContext *ctx = g_option_context_new("DATA - barnekoordinator vs koordinator vs none, with DiD and MDE");
  g_option_context_set_summary(ctx,
    "For every outcome index of the codebook (column 'index': mean of the items after reverse coding,\n"
    "when at least --min-share of them are answered), after the reform (post = 1):\n"
    "  lm(INDEX ~ koordinator + barnekoordinator + covariates), SEs cluster-robust by --cluster\n"
    "  (CR1, as sandwich::vcovCL type HC1); the contrast barnekoordinator - koordinator, and the\n"
    "  minimum detectable effect MDE = (z_{1-alpha/2} + z_{power}) x SE(contrast).\n"
    "When the data have a wave before the reform with treated and untreated families:\n"
    "  difference-in-differences lm(INDEX ~ treated + factor(WAVE) + treated_post + covariates),\n"
    "  treated = --treated types (default: any coordinator), treated_post = treated x post;\n"
    "  event study by wave against the last wave before the reform, and a Wald pre-trend test.\n"
    "Covariates that are category, fylke, kommune or text columns enter as factor().\n"
    "The output says in words whether the data show an advantage of barnekoordinator.");
  GOptionEntry e[] = {
    {"type-column", 0, 0, G_OPTION_ARG_STRING, &type_column, "Coordinator type column (default coordinator_type)", "VAR"},
    {"type-codes", 0, 0, G_OPTION_ARG_STRING, &type_codes, "Codes of none, koordinator, barnekoordinator (default 0,1,2)", "A,B,C"},
    {"covariates", 0, 0, G_OPTION_ARG_STRING, &covariates,
     "Covariates (default child_age,diagnosis_group,n_services,fylke; '' for none)", "LIST"},
    {"cluster", 0, 0, G_OPTION_ARG_STRING, &cluster, "Cluster column for the standard errors (default kommune)", "VAR"},
    {"wave-column", 0, 0, G_OPTION_ARG_STRING, &wave, "Survey wave (year) column (default year; '' for none)", "VAR"},
    {"post-column", 0, 0, G_OPTION_ARG_STRING, &post, "0/1 after the reform (default post, else wave >= 2023)", "VAR"},
    {"treated", 0, 0, G_OPTION_ARG_STRING, &treated, "Type codes treated in the DiD (default: koordinator and barnekoordinator)", "CODES"},
    {"indexes", 0, 0, G_OPTION_ARG_STRING, &indexes, "Only these indexes (default: all of the codebook)", "LIST"},
    {"lower-better", 0, 0, G_OPTION_ARG_STRING, &lower, "Indexes on which lower is better (e.g. burden)", "LIST"},
    {"min-share", 0, 0, G_OPTION_ARG_STRING, &min_share, "Share of an index's items that must be answered (default 0.5)", "X"},
    {"power", 0, 0, G_OPTION_ARG_STRING, &power, "Power for the minimum detectable effect (default 0.8)", "X"},
    {"alpha", 0, 0, G_OPTION_ARG_STRING, &alpha, "Two-sided significance level; CIs are 1 - alpha (default 0.05)", "X"},
    {"min-clusters", 0, 0, G_OPTION_ARG_INT, &min_clusters, "Fewer clusters in a model is an error (default 10)", "N"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL;
  rs_reform_effect *fit = NULL;
  rs_sniff sn = {0};
  char *recode_note = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (c.lang && strcmp(c.lang, "nb") != 0 && strcmp(c.lang, "en") != 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--lang is nb or en, not '%s'", c.lang);
    goto fail;
  }
  if (min_clusters < 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--min-clusters must be at least 2");
    goto fail;
  }
  rs_reform_effect_options ro;
  rs_reform_effect_options_init(&ro);
  if (min_share) {
    char *end;
    ro.min_share = g_ascii_strtod(min_share, &end);
    if (end == min_share || *end || !(ro.min_share > 0 && ro.min_share <= 1)) {
      g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--min-share takes a number above 0 and at most 1, not '%s'", min_share);
      goto fail;
    }
  }
  if (!parse_prob("power", power, &ro.power, &err) || !parse_prob("alpha", alpha, &ro.alpha, &err)) goto fail;
  if (!rs_cli_check_format(&c, &err)) goto fail;
  if (!c.codebook) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--codebook is required: it says which items make up each index");
    goto fail;
  }
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &o, &sn, &err);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, NULL, &recode_note, &err)) goto fail;
  ro.type_column = type_column;
  ro.type_codes = type_codes;
  ro.covariates = covariates;
  ro.cluster = cluster;
  ro.wave_column = wave;
  ro.post_column = post;
  ro.treated = treated;
  ro.indexes = indexes;
  ro.lower_better = lower;
  ro.min_clusters = (size_t)min_clusters;
  ro.lang = c.lang;
  fit = rs_reform_effect_fit(t, cb, &ro, &err);
  if (!fit) goto fail;
  res = rs_results_new("coordinator-effect");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  rs_results_set_title(res, c.lang && strcmp(c.lang, "en") == 0 ? "Barnekoordinator vs koordinator vs none"
                                                                   : "Barnekoordinator, koordinator eller ingen");
  rs_reform_effect_records(fit, res);
  if (recode_note) rs_results_add_note(res, recode_note);
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("coordinator-effect", err);
done:
  g_free(recode_note);
  rs_reform_effect_free(fit);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(type_column); g_free(type_codes); g_free(covariates); g_free(cluster); g_free(wave); g_free(post);
  g_free(treated); g_free(indexes); g_free(lower); g_free(min_share); g_free(power); g_free(alpha);
  rs_cli_common_clear(&c);
  return status;
}
