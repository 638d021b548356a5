/* outcomes.c — `reformstat outcomes DATA --codebook CB [--by …] [--weight W]
 * [--cluster C] [--strata S] [--post-column post | --date-column D --break
 * 2022-08-01] [--adjust holm|bh|none] [--likert-out FILE.csv]`: every
 * outcome index and item before and after the reform, overall and by
 * group (analysis/reform-outcomes.h). */
#include "cli/cli.h"
#include "analysis/reform-outcomes.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/value.h"

#include <stdio.h>
#include <string.h>

/* The Likert distributions (--likert-out), computed in a thread of their
 * own beside the comparisons, which they do not depend on. */
typedef struct {
  const rs_table *t;
  const rs_codebook *cb;
  const rs_reform_outcomes_options *o;
  rs_results *out;
  gboolean ok;
  GError *err;
} likert_task;

static gpointer likert_run(gpointer data) {
  likert_task *k = data;
  k->ok = rs_reform_outcomes_likert(k->t, k->cb, k->o, k->out, &k->err);
  return NULL;
}

int rs_cmd_outcomes(int argc, char **argv) {
  rs_cli_common c = {0};
  char *by = NULL, *weight = NULL, *cluster = NULL, *strata = NULL, *post = NULL, *date = NULL, *brk = NULL;
  char *adjust = NULL, *vars = NULL, *likert_out = NULL;
  double min_share = 0.5;
  GOptionContext *ctx = g_option_context_new("DATA - outcome indexes and items before and after the reform of 1 August 2022");
  g_option_context_set_summary(ctx,
    "For every index of the codebook (mean of its items after reverse coding) and every item (as\n"
    "answered), overall and within each group of --by: the mean (a share for a category given with\n"
    "--vars) before and after the reform with 95% CIs, and the difference after - before with its\n"
    "CI and p-value.  Before/after: the 0/1 column post when present (--post-column), else\n"
    "--date-column (default response_date) before or on/after --break (default 2022-08-01).\n"
    "Without design options: t intervals and Welch's t (t.test); shares: Wilson intervals and\n"
    "prop.test without continuity correction.  With --weight, --cluster or --strata: design-based,\n"
    "as R's survey package: svyby(~y, ~post, design, svymean) with normal intervals and\n"
    "svyttest(y ~ post, design) for the difference (t on degf - 1 df); a group is a domain\n"
    "(subset(design, …)).  --adjust adjusts the p-values within each group, separately for the\n"
    "indexes and for the items.  --likert-out writes the answer distributions per group and period\n"
    "(weighted with --weight) with the columns of `plot likert --data-out`.");
  GOptionEntry e[] = {
    {"by", 'b', 0, G_OPTION_ARG_STRING, &by, "Group columns (default: coordinator_type,fylke when present; none: overall only)", "A,B"},
    {"weight", 'w', 0, G_OPTION_ARG_STRING, &weight, "Survey weight column (design-based estimates)", "W"},
    {"cluster", 0, 0, G_OPTION_ARG_STRING, &cluster, "Cluster (PSU) column, e.g. kommune (design-based; weight 1 without --weight)", "C"},
    {"strata", 0, 0, G_OPTION_ARG_STRING, &strata, "Stratum column (design-based)", "S"},
    {"post-column", 0, 0, G_OPTION_ARG_STRING, &post, "0/1 column: 1 after the reform (default: post, when present)", "COL"},
    {"date-column", 0, 0, G_OPTION_ARG_STRING, &date, "Date column compared with --break (default: response_date)", "COL"},
    {"break", 0, 0, G_OPTION_ARG_STRING, &brk, "Reform date for --date-column (default 2022-08-01)", "DATE"},
    {"adjust", 0, 0, G_OPTION_ARG_STRING, &adjust, "p-value adjustment: holm, bonferroni, bh or none (default)", "METHOD"},
    {"min-share", 0, 0, G_OPTION_ARG_DOUBLE, &min_share, "Share of an index's items that must be answered (default 0.5)", "S"},
    {"vars", 0, 0, G_OPTION_ARG_STRING, &vars, "Outcomes instead of every index and item: index names or columns (categories give shares)", "A,B"},
    {"likert-out", 0, 0, G_OPTION_ARG_FILENAME, &likert_out, "Write the items' answer distributions per group and period to this CSV file", "FILE.csv"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL, *lik = NULL;
  rs_reform_outcomes *x = NULL;
  char **byv = NULL, **varv = NULL;
  rs_sniff sn = {0};
  char *recode_note = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  int an = rs_padjust_method_from_name(adjust);
  if (an < 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "unknown --adjust '%s'; use holm, bonferroni, bh or none", adjust);
    goto fail;
  }
  if (!(min_share > 0 && min_share <= 1)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--min-share must be above 0 and at most 1 (a share of the items), not %g", min_share);
    goto fail;
  }
  if (post && (date || brk)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give either --post-column or --date-column/--break, not both");
    goto fail;
  }
  int32_t break_day = 0;
  if (brk && !rs_value_parse_date(brk, strlen(brk), &break_day)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--break '%s' is not a date (write 2022-08-01 or 01.08.2022)", brk);
    goto fail;
  }
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &o, &sn, &err);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, NULL, &recode_note, &err)) goto fail;
  if (by) {
    byv = strcmp(by, "none") == 0 || !*by ? g_new0(char *, 1) : g_strsplit(by, ",", -1);
    for (char **v = byv; *v; v++) g_strstrip(*v);
  } else {
    GPtrArray *d = g_ptr_array_new();
    if (rs_table_find(t, "coordinator_type") >= 0) g_ptr_array_add(d, g_strdup("coordinator_type"));
    if (rs_table_find(t, "fylke") >= 0) g_ptr_array_add(d, g_strdup("fylke"));
    g_ptr_array_add(d, NULL);
    byv = (char **)g_ptr_array_free(d, FALSE);
  }
  if (vars) {
    varv = g_strsplit(vars, ",", -1);
    for (char **v = varv; *v; v++) g_strstrip(*v);
  }
  if (brk && !date) date = g_strdup("response_date");
  rs_reform_outcomes_options oo = {0};
  oo.by = (const char *const *)byv;
  oo.weight = weight;
  oo.cluster = cluster;
  oo.strata = strata;
  oo.post_column = post;
  oo.date_column = date;
  oo.break_day = break_day;
  oo.adjust = (rs_padjust_method)an;
  oo.min_share = min_share;
  oo.vars = (const char *const *)varv;
  oo.lang = c.lang;
  likert_task lk = {.t = t, .cb = cb, .o = &oo};
  GThread *lt = NULL;
  if (likert_out) {
    lik = rs_results_new("outcomes");
    rs_results_add_input(lik, argv[1], sn.sha256, (long long)t->nrows);
    lk.out = lik;
    if (rs_table_threads() > 1) lt = g_thread_new("likert", likert_run, &lk);
  }
  x = rs_reform_outcomes_new(t, cb, &oo, &err);
  if (lt) g_thread_join(lt);
  if (!x) {
    /* the comparisons' error comes first, as when the distributions came after them */
    g_clear_error(&lk.err);
    goto fail;
  }
  res = rs_results_new("outcomes");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  rs_reform_outcomes_records(x, c.lang, res);
  if (recode_note) rs_results_add_note(res, recode_note);
  if (likert_out) {
    if (!lt) likert_run(&lk);
    if (!lk.ok) {
      g_propagate_error(&err, lk.err);
      goto fail;
    }
    rs_cli_common lc = c;
    lc.output = likert_out;
    lc.format = "csv";
    if (!rs_cli_write_results(&lc, lik, &err)) goto fail;
  }
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("outcomes", err);
done:
  g_strfreev(byv);
  g_strfreev(varv);
  g_free(recode_note);
  rs_reform_outcomes_free(x);
  rs_results_free(res);
  rs_results_free(lik);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(by); g_free(weight); g_free(cluster); g_free(strata); g_free(post); g_free(date); g_free(brk);
  g_free(adjust); g_free(vars); g_free(likert_out);
  rs_cli_common_clear(&c);
  return status;
}
