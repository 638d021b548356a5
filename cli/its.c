/* its.c — `reformstat its REGISTRY --numerator VAR [--denominator VAR]`:
 * interrupted time series of a registry rate at the reform (2022-08-01 by
 * default) for the whole country, one fylke or one kommune, or pooled over
 * the kommuner (analysis/its.h does the work). */
#include "cli/cli.h"
#include "analysis/its.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/kommune.h"

#include <stdio.h>
#include <string.h>

/* The column of a type (kommune, fylke), else the column of that name. */
static const char *column_of_type(const rs_table *t, rs_type type, const char *name) {
  for (size_t j = 0; j < t->ncols; j++)
    if (t->cols[j].type == type) return t->cols[j].name;
  return rs_table_find(t, name) >= 0 ? name : NULL;
}

int rs_cmd_its(int argc, char **argv) {
  rs_cli_common c = {0};
  char *numerator = NULL, *denominator = NULL, *level = NULL, *unit = NULL, *brk = NULL, *period = NULL;
  char *cf_out = NULL;
  gboolean seasonal = FALSE, pooled = FALSE, no_fe = FALSE, unweighted = FALSE, classical = FALSE;
  int lag = -1;
  GOptionContext *ctx = g_option_context_new("REGISTRY - interrupted time series at the reform (segmented regression)");
  g_option_context_set_summary(ctx,
    "rate = b0 + b1 t + b2 post + b3 post t [+ 11 month dummies], t in years from the break.\n"
    "The series sums numerators and denominators over the kommuner of each month (never averages\n"
    "rates); rows with a missing or suppressed value (':' '..' '...') are left out and counted.\n"
    "Standard errors: Newey-West (sandwich::NeweyWest, prewhite = FALSE, adjust = FALSE), lag\n"
    "floor(4 (n/100)^(2/9)) unless --lag.\n"
    "--pooled: one observation per kommune and month (the kommune's rate), kommune fixed effects\n"
    "(absorbed; --no-fe for an intercept instead), weighted by the denominator (--unweighted for\n"
    "equal weights), SEs cluster-robust by kommune (sandwich::vcovCL type HC1).  Its level and\n"
    "slope change average the kommuner's own changes, and their spread is in the SE.\n"
    "The periods must be consecutive months; a kommune's month given twice is an error (summed\n"
    "when --vintage maps merged kommuner to one code); the break must lie inside the series.");
  GOptionEntry e[] = {
    {"numerator", 0, 0, G_OPTION_ARG_STRING, &numerator, "Count to follow, e.g. children_koordinator (required)", "VAR"},
    {"denominator", 0, 0, G_OPTION_ARG_STRING, &denominator, "Denominator of the rate (default children_0_17 when present; 'none' for the count itself)", "VAR"},
    {"level", 0, 0, G_OPTION_ARG_STRING, &level, "national (default), fylke or kommune", "LEVEL"},
    {"unit", 0, 0, G_OPTION_ARG_STRING, &unit, "Fylke or kommune code for --level fylke|kommune", "CODE"},
    {"break", 0, 0, G_OPTION_ARG_STRING, &brk, "Break date (default 2022-08-01)", "DATE"},
    {"seasonal", 0, 0, G_OPTION_ARG_NONE, &seasonal, "Add 11 calendar-month dummies (January the reference)", NULL},
    {"lag", 0, 0, G_OPTION_ARG_INT, &lag, "Newey-West lag (default: floor(4 (n/100)^(2/9)))", "L"},
    {"classical", 0, 0, G_OPTION_ARG_NONE, &classical, "Classical (lm) standard errors instead of Newey-West", NULL},
    {"pooled", 0, 0, G_OPTION_ARG_NONE, &pooled, "Pool the kommuner's own series (cluster-robust by kommune)", NULL},
    {"no-fe", 0, 0, G_OPTION_ARG_NONE, &no_fe, "With --pooled: no kommune fixed effects", NULL},
    {"unweighted", 0, 0, G_OPTION_ARG_NONE, &unweighted, "With --pooled: every kommune-month the same weight", NULL},
    {"period-column", 0, 0, G_OPTION_ARG_STRING, &period, "Date column of the month (default period)", "VAR"},
    {"counterfactual-out", 0, 0, G_OPTION_ARG_FILENAME, &cf_out, "Write period, observed, fitted, counterfactual to FILE.csv", "FILE"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL;
  rs_its *its = NULL;
  rs_sniff sn = {0};
  char *recode_note = NULL, *fylke_norm = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one registry file (see --help)");
    goto fail;
  }
  if (!numerator) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--numerator is required, e.g. --numerator children_koordinator");
    goto fail;
  }
  const char *lv = level ? level : "national";
  if (strcmp(lv, "national") != 0 && strcmp(lv, "fylke") != 0 && strcmp(lv, "kommune") != 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--level is national, fylke or kommune, not '%s'", lv);
    goto fail;
  }
  if (strcmp(lv, "national") != 0 && !unit) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--level %s needs --unit CODE (a %s number)", lv, lv);
    goto fail;
  }
  if (strcmp(lv, "national") == 0 && unit) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--unit goes with --level fylke or --level kommune");
    goto fail;
  }
  if (pooled && strcmp(lv, "kommune") == 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--pooled pools the kommuner of the country or of one fylke, not one kommune");
    goto fail;
  }
  if ((no_fe || unweighted) && !pooled) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--no-fe and --unweighted go with --pooled");
    goto fail;
  }
  if (lag < -1 || (lag >= 0 && (pooled || classical))) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, lag < -1 ? "--lag must be 0 or more"
                                                          : "--lag is the Newey-West lag; it does not go with --pooled or --classical");
    goto fail;
  }
  rs_its_options o = {.date = period, .numerator = numerator, .lag = classical ? -2 : lag, .seasonal = seasonal,
                      .pooled = pooled, .no_unit_fe = no_fe, .unweighted = unweighted};
  if (brk) {
    int32_t day;
    if (!rs_value_parse_date(brk, strlen(brk), &day)) {
      g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--break takes a date such as 2022-08-01, not '%s'", brk);
      goto fail;
    }
    o.break_day = day;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  rs_load_options lo;
  if (!rs_cli_load_options(&c, &lo, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &lo, &sn, &err);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, NULL, &recode_note, &err)) goto fail;
  if (!denominator) o.denominator = rs_table_find(t, "children_0_17") >= 0 ? "children_0_17" : NULL;
  else if (strcmp(denominator, "none") != 0) o.denominator = denominator;
  o.unit_column = column_of_type(t, RS_TYPE_KOMMUNE, "kommune");
  o.sum_duplicates = c.vintage != 0;   /* kommuner merged by the mapping share a code */
  if (pooled && !o.unit_column) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "%s: --pooled needs a kommune column (type kommune)", argv[1]);
    goto fail;
  }
  if (unit) {
    bool k = strcmp(lv, "kommune") == 0;
    o.filter_column = column_of_type(t, k ? RS_TYPE_KOMMUNE : RS_TYPE_FYLKE, k ? "kommune" : "fylke");
    if (!o.filter_column) {
      g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "%s: --level %s needs a %s column in the data", argv[1], lv, lv);
      goto fail;
    }
    char *norm = k ? rs_refdata_normalise_kommune(unit) : rs_refdata_normalise_fylke(unit);
    if (!norm) {
      g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--unit '%s' is not a %s number (%s)", unit, lv,
                  k ? "4 digits, e.g. 0301" : "2 digits, e.g. 03");
      goto fail;
    }
    g_free(norm);
    o.filter_value = unit;
  }
  its = rs_its_fit(t, &o, &err);
  if (!its) goto fail;
  bool en = c.lang && strcmp(c.lang, "en") == 0;
  res = rs_results_new("its");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  char bday[16];
  rs_value_format_date(its->break_day, bday);
  char *where = strcmp(lv, "national") == 0 ? g_strdup(en ? "all kommuner" : "hele landet")
                                            : g_strdup_printf("%s %s", lv, unit);
  char *title = o.denominator
                    ? g_strdup_printf(en ? "%s per 1000 %s, %s, break %s" : "%s per 1000 %s, %s, brudd %s", numerator,
                                      o.denominator, where, bday)
                    : g_strdup_printf(en ? "%s, %s, break %s" : "%s, %s, brudd %s", numerator, where, bday);
  rs_results_set_title(res, title);
  g_free(title);
  g_free(where);
  rs_its_records_lang(its, c.lang, res);
  {
    char d0[16], d1[16];
    rs_value_format_date(its->day[0], d0);
    rs_value_format_date(its->day[its->n - 1], d1);
    char *n = pooled ? g_strdup_printf(en ? "Series %s to %s: %zu months (%zu before the break, %zu from it), %zu kommune-months in %zu kommuner."
                                          : "Serien %s til %s: %zu måneder (%zu før bruddet, %zu fra det), %zu kommunemåneder i %zu kommuner.",
                                       d0, d1, its->n, its->n_pre, its->n_post, its->n_obs, its->n_units)
                     : g_strdup_printf(en ? "Series %s to %s: %zu months (%zu before the break, %zu from it), summed over %zu rows."
                                          : "Serien %s til %s: %zu måneder (%zu før bruddet, %zu fra det), summert over %zu rader.",
                                       d0, d1, its->n, its->n_pre, its->n_post, its->rows_used);
    rs_results_add_note(res, n);
    g_free(n);
  }
  if (recode_note) rs_results_add_note(res, recode_note);
  if (cf_out && !rs_its_write_counterfactual(its, cf_out, &err)) goto fail;
  if (!rs_cli_write_results(&c, res, &err)) {
    if (cf_out) remove(cf_out);   /* no half of the output */
    goto fail;
  }
  goto done;
fail:
  status = rs_cli_fail("its", err);
done:
  g_free(recode_note);
  g_free(fylke_norm);
  rs_its_free(its);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(numerator); g_free(denominator); g_free(level); g_free(unit); g_free(brk); g_free(period); g_free(cf_out);
  rs_cli_common_clear(&c);
  return status;
}
