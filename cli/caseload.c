/* caseload.c — `reformstat caseload COORDINATORS --codebook CB`: families
 * per coordinator, per 100 % position and per earmarked hour, shares with
 * little or no time, by profession, training, fylke or kommune, relation to
 * the coordinators' own Likert indexes; with --registry, children with
 * koordinator/barnekoordinator per 1000 children by kommune and fylke
 * (analysis/reform-caseload.h does the work). */
#include "cli/cli.h"
#include "analysis/reform-caseload.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "10,15" → {10, 15}. */
static double *parse_list(const char *s, size_t *n, GError **err) {
  char **parts = g_strsplit(s, ",", -1);
  size_t k = g_strv_length(parts);
  double *v = g_new(double, k ? k : 1);
  *n = 0;
  for (size_t i = 0; i < k; i++) {
    char *end;
    g_strstrip(parts[i]);
    double x = g_ascii_strtod(parts[i], &end);
    if (!*parts[i] || *end || !(x >= 0)) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--families-over takes numbers separated by commas (e.g. 10,15), not '%s'", s);
      g_strfreev(parts);
      g_free(v);
      return NULL;
    }
    v[(*n)++] = x;
  }
  g_strfreev(parts);
  if (*n == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--families-over needs at least one number");
    g_free(v);
    return NULL;
  }
  return v;
}

/* "2024-01" or "2024-01-01" (a month) → its first day. */
static gboolean parse_month(const char *s, int32_t *day) {
  char *full = strlen(s) == 7 ? g_strdup_printf("%s-01", s) : g_strdup(s);
  gboolean ok = rs_value_parse_date(full, strlen(full), day);
  g_free(full);
  return ok;
}

int rs_cmd_caseload(int argc, char **argv) {
  rs_cli_common c = {0};
  char *over = NULL, *by = NULL, *vcov = NULL, *predictors = NULL, *registry = NULL, *registry_cb = NULL;
  char *period = NULL, *numerators = NULL;
  double position_under = 20, min_share = 0.5;
  GOptionContext *ctx = g_option_context_new("COORDINATORS - caseload against resources (coordinator survey, registry)");
  g_option_context_set_summary(ctx,
    "Families per coordinator, per 100 % position and per earmarked hour: sum of families / sum of\n"
    "coordinators, positions or hours (never a mean of rates), with a linearised SE (as\n"
    "survey::svyratio) and, beside it, the mean and median of the coordinators' own ratios.\n"
    "Shares (no earmarked time, position below --position-under, more than N families) with\n"
    "Wilson 95 % CIs (prop.test, correct = FALSE).  Distribution by profession and training;\n"
    "--by fylke,kommune for tables by place (fylke = first two digits of the kommune number).\n"
    "Each codebook index (mean of its items, reverse-coded where marked, at least --min-share\n"
    "answered) is regressed on --predictors (lm, --vcov HC0-HC3 or cluster:VAR, default HC3)\n"
    "and correlated (Spearman) with families, earmarked hours and position.\n"
    "--registry FILE --registry-codebook CB2: children with koordinator and families with\n"
    "barnekoordinator per 1000 children 0-17 by kommune and fylke against the national figure,\n"
    "for --period FROM:TO (months, e.g. 2024-01:2024-12; default the 12 months up to the latest\n"
    "with data); kommune-months with ':' '..' '...' are left out and counted.  --vintage maps\n"
    "both files' kommune codes to one year's codes.");
  GOptionEntry e[] = {
    {"families-over", 0, 0, G_OPTION_ARG_STRING, &over, "Thresholds for 'more than N families' (default 10,15)", "N,N"},
    {"position-under", 0, 0, G_OPTION_ARG_DOUBLE, &position_under, "Position size threshold in percent (default 20)", "PCT"},
    {"by", 0, 0, G_OPTION_ARG_STRING, &by, "fylke, kommune or fylke,kommune: tables by place", "LEVEL"},
    {"vcov", 0, 0, G_OPTION_ARG_STRING, &vcov, "Index regressions: HC0, HC1, HC2, HC3 (default) or cluster:VAR", "TYPE"},
    {"predictors", 0, 0, G_OPTION_ARG_STRING, &predictors, "Right-hand side of the index regressions (default families + earmarked_hours + position_pct + training)", "TERMS"},
    {"min-share", 0, 0, G_OPTION_ARG_DOUBLE, &min_share, "Share of an index's items that must be answered (default 0.5)", "P"},
    {"registry", 0, 0, G_OPTION_ARG_FILENAME, &registry, "Kommune registry (one row per kommune and month)", "FILE"},
    {"registry-codebook", 0, 0, G_OPTION_ARG_FILENAME, &registry_cb, "Codebook of the registry", "FILE"},
    {"registry-numerators", 0, 0, G_OPTION_ARG_STRING, &numerators, "Registry counts (default children_koordinator,families_barnekoordinator)", "VARS"},
    {"period", 0, 0, G_OPTION_ARG_STRING, &period, "Registry months FROM:TO, e.g. 2024-01:2024-12 (default: latest 12 with data)", "FROM:TO"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL, *cb2 = NULL;
  rs_table *t = NULL, *reg = NULL;
  rs_results *res = NULL;
  rs_reform_caseload *cl = NULL;
  rs_reform_coverage *cov = NULL;
  rs_sniff sn = {0}, sn2 = {0};
  char *recode_note = NULL, *recode_note2 = NULL;
  double *over_v = NULL;
  size_t n_over = 0;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one coordinator survey file (see --help)");
    goto fail;
  }
  if (over && !(over_v = parse_list(over, &n_over, &err))) goto fail;
  if (!(position_under > 0 && position_under <= 100)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--position-under is a percentage above 0 and at most 100");
    goto fail;
  }
  if (!(min_share > 0 && min_share <= 1)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--min-share is a share above 0 and at most 1");
    goto fail;
  }
  bool by_f = false, by_k = false;
  if (by) {
    char **parts = g_strsplit(by, ",", -1);
    for (char **p = parts; *p; p++) {
      g_strstrip(*p);
      if (strcmp(*p, "fylke") == 0) by_f = true;
      else if (strcmp(*p, "kommune") == 0) by_k = true;
      else {
        g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--by takes fylke, kommune or fylke,kommune, not '%s'", *p);
        g_strfreev(parts);
        goto fail;
      }
    }
    g_strfreev(parts);
  }
  if ((registry_cb || period || numerators) && !registry) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--registry-codebook, --registry-numerators and --period go with --registry FILE");
    goto fail;
  }
  rs_reform_coverage_options co = {.numerators = numerators};
  if (period) {
    char **p = g_strsplit(period, ":", 2);
    gboolean ok = p[0] && p[1] && parse_month(p[0], &co.from_day) && parse_month(p[1], &co.to_day) && co.from_day <= co.to_day;
    g_strfreev(p);
    if (!ok) {
      g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--period takes FROM:TO months, e.g. 2024-01:2024-12, not '%s'", period);
      goto fail;
    }
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  rs_load_options lo;
  if (!rs_cli_load_options(&c, &lo, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &lo, &sn, &err);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, NULL, &recode_note, &err)) goto fail;
  if (registry) {
    rs_cli_common c2 = c;   /* the same reading options, the registry's own codebook */
    c2.codebook = registry_cb;
    if (!rs_cli_load_options(&c2, &lo, &cb2, &err)) goto fail;
    reg = rs_load_table(registry, &lo, &sn2, &err);
    if (!reg) goto fail;
    if (!rs_cli_recode(&c2, reg, NULL, &recode_note2, &err)) goto fail;
  }
  rs_reform_caseload_options o = {.families_over = over_v, .n_families_over = n_over, .position_under = position_under,
                                  .by_fylke = by_f, .by_kommune = by_k, .vcov = vcov, .predictors = predictors,
                                  .min_share = min_share, .lang = c.lang};
  cl = rs_reform_caseload_compute(t, &o, &err);
  if (!cl) goto fail;
  if (reg && !(cov = rs_reform_coverage_compute(reg, &co, &err))) goto fail;
  res = rs_results_new("caseload");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  if (reg) rs_results_add_input(res, registry, sn2.sha256, (long long)reg->nrows);
  bool en = c.lang && strcmp(c.lang, "en") == 0;
  char *title = g_strdup_printf(en ? "Caseload and resources: %zu coordinators" : "Arbeidsmengde og ressurser: %zu koordinatorer", cl->n);
  rs_results_set_title(res, title);
  g_free(title);
  rs_reform_caseload_records(cl, c.lang, res);
  if (cov) rs_reform_coverage_records(cov, by ? by : NULL, c.lang, res);
  if (recode_note) rs_results_add_note(res, recode_note);
  if (recode_note2 && (!recode_note || strcmp(recode_note, recode_note2) != 0)) rs_results_add_note(res, recode_note2);
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("caseload", err);
done:
  g_free(recode_note);
  g_free(recode_note2);
  g_free(over_v);
  rs_reform_caseload_free(cl);
  rs_reform_coverage_free(cov);
  rs_results_free(res);
  rs_table_free(t);
  rs_table_free(reg);
  rs_codebook_free(cb);
  rs_codebook_free(cb2);
  g_free(sn.title);
  g_free(sn2.title);
  g_option_context_free(ctx);
  g_free(over); g_free(by); g_free(vcov); g_free(predictors); g_free(registry); g_free(registry_cb);
  g_free(period); g_free(numerators);
  rs_cli_common_clear(&c);
  return status;
}
