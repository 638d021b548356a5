/* regress.c — `reformstat regress DATA --formula 'Y ~ X + factor(G)'`:
 * linear (lm) or logistic (glm binomial) regression with classical,
 * HC0–HC3, cluster-robust or Newey–West standard errors
 * (analysis/regress.h does the work). */
#include "cli/cli.h"
#include "analysis/formula.h"
#include "analysis/regress.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <stdio.h>
#include <string.h>

int rs_cmd_regress(int argc, char **argv) {
  rs_cli_common c = {0};
  char *formula = NULL, *family = NULL, *vcov = NULL, *weight = NULL, *absorb = NULL;
  gboolean no_absorb = FALSE;
  GOptionContext *ctx = g_option_context_new("DATA - linear or logistic regression with robust standard errors");
  g_option_context_set_summary(ctx,
    "The formula is R's: 'Y ~ X1 + X2 + factor(G) + A:B', '- 1' for no intercept, A*B for A + B + A:B.\n"
    "factor(G) and text columns get treatment contrasts (first level is the reference).\n"
    "Rows with a missing value in any variable used are dropped (and counted).\n"
    "--vcov: classical (lm), HC0 HC1 HC2 HC3 (sandwich::vcovHC), cluster:VAR (CR1, as\n"
    "sandwich::vcovCL type HC1), nw:LAGS (Newey-West, as sandwich::NeweyWest with prewhite = FALSE).\n"
    "A linear model's factor(G) with more than 30 levels that is in no interaction is absorbed\n"
    "(within transformation, as fixest/reghdfe): same coefficients and SEs as lm, its own\n"
    "coefficients and the intercept not shown.  --absorb G forces it, --no-absorb prevents it.");
  GOptionEntry e[] = {
    {"formula", 0, 0, G_OPTION_ARG_STRING, &formula, "Model formula, e.g. 'y ~ x + factor(kommune)'", "FORMULA"},
    {"family", 0, 0, G_OPTION_ARG_STRING, &family, "gaussian (linear, default) or binomial (logistic)", "NAME"},
    {"vcov", 0, 0, G_OPTION_ARG_STRING, &vcov, "classical, HC0, HC1, HC2, HC3, cluster:VAR or nw:LAGS (default classical)", "TYPE"},
    {"weight", 'w', 0, G_OPTION_ARG_STRING, &weight, "Weight column (as lm's weights)", "VAR"},
    {"absorb", 0, 0, G_OPTION_ARG_STRING, &absorb, "Absorb the term factor(VAR) instead of estimating its dummies", "VAR"},
    {"no-absorb", 0, 0, G_OPTION_ARG_NONE, &no_absorb, "Estimate every factor's dummies, however many levels", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL;
  rs_sniff sn = {0};
  char *recode_note = NULL, *warning = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (!formula) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--formula is required, e.g. --formula 'y ~ x1 + factor(g)'");
    goto fail;
  }
  if (family && strcmp(family, "gaussian") != 0 && strcmp(family, "binomial") != 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--family is gaussian or binomial, not '%s'", family);
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  /* only the formula's columns (and weight, cluster) are parsed; a formula
   * that does not parse is reported by rs_regress_table below */
  char **only = NULL;
  rs_formula *fparsed = rs_formula_parse(formula, NULL);
  if (fparsed) {
    GPtrArray *need = g_ptr_array_new();
    g_ptr_array_add(need, fparsed->response);
    for (size_t k = 0; k < fparsed->n_vars; k++) g_ptr_array_add(need, fparsed->vars[k].name);
    g_ptr_array_add(need, weight);
    g_ptr_array_add(need, absorb);
    g_ptr_array_add(need, c.year_column);
    g_ptr_array_add(need, vcov && g_str_has_prefix(vcov, "cluster:") ? vcov + strlen("cluster:") : NULL);
    only = rs_cli_column_list((const char *const *)need->pdata, need->len);
    g_ptr_array_free(need, TRUE);
    rs_formula_free(fparsed);
  }
  o.only = (const char *const *)only;
  gint64 t0 = g_get_monotonic_time();
  t = rs_load_table(argv[1], &o, &sn, &err);
  g_strfreev(only);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, NULL, &recode_note, &err)) goto fail;
  gint64 t1 = g_get_monotonic_time();
  res = rs_results_new("regress");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  rs_results_set_title(res, formula);
  rs_regress_options ro = {.formula = formula, .binomial = family && strcmp(family, "binomial") == 0,
                           .vcov = vcov, .weight = weight, .absorb = absorb, .no_absorb = no_absorb};
  if (!rs_regress_table(t, &ro, res, &warning, &err)) goto fail;
  if (c.verbose) {
    char *how = rs_load_describe_sniff(&sn);
    fprintf(stderr, "reformstat regress: %s: %zu rows, %zu columns; read as %s\n", argv[1], t->nrows, t->ncols, how);
    fprintf(stderr, "reformstat regress: time: read %.3f s, model (design, fit, standard errors) %.3f s\n",
            (double)(t1 - t0) / 1e6, (double)(g_get_monotonic_time() - t1) / 1e6);
    g_free(how);
  }
  if (warning && !c.quiet) fprintf(stderr, "reformstat regress: warning: %s\n", warning);
  if (recode_note) rs_results_add_note(res, recode_note);
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("regress", err);
done:
  g_free(recode_note);
  g_free(warning);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(formula); g_free(family); g_free(vcov); g_free(weight); g_free(absorb);
  rs_cli_common_clear(&c);
  return status;
}
