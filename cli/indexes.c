/* indexes.c — `reformstat indexes DATA --codebook CB [--min-share 0.5]
 * [--wave-column year] [--data-out FILE.csv]`: the outcome indexes of the
 * codebook, their reliability (alpha overall and per wave) and top-2-box
 * shares (analysis/reform-index.h); --data-out writes the data with one new
 * column per index. */
#include "cli/cli.h"
#include "datasets/privacy.h"
#include "analysis/reform-index.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/export.h"

#include <stdio.h>

int rs_cmd_indexes(int argc, char **argv) {
  rs_cli_common c = {0};
  char *wave = NULL, *data_out = NULL, *names = NULL;
  double min_share = 0.5;
  GOptionContext *ctx = g_option_context_new("DATA - outcome indexes from the codebook, their reliability and top-2-box shares");
  g_option_context_set_summary(ctx,
    "An index is the mean of the items that have its name in the codebook's index column, after\n"
    "reverse coding (reverse = 1: min + max - answer), for rows with at least --min-share of its\n"
    "items answered (empty cells and missing codes are not answers).  The items of an index must\n"
    "share one scale (codebook min and max).  Reports per index n, mean, SD, Cronbach's alpha\n"
    "(psych::alpha's raw_alpha, pairwise covariances) overall and per wave, and top-2-box shares:\n"
    "per item the share of answers in the two highest scale points after reverse coding, per index\n"
    "the share of respondents whose index is at least max - 1.");
  GOptionEntry e[] = {
    {"min-share", 0, 0, G_OPTION_ARG_DOUBLE, &min_share, "Share of an index's items that must be answered (default 0.5)", "S"},
    {"wave-column", 0, 0, G_OPTION_ARG_STRING, &wave, "Alpha per value of this column (default: year, when present; \"\" for none)", "COL"},
    {"index", 0, 0, G_OPTION_ARG_STRING, &names, "Only these indexes (comma-separated; default: all in the codebook)", "A,B"},
    {"data-out", 0, 0, G_OPTION_ARG_FILENAME, &data_out, "Write the data plus one column per index to this CSV file", "FILE.csv"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL;
  rs_reform_indexes *x = NULL;
  char **namev = NULL;
  rs_sniff sn = {0};
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  if (!(min_share > 0 && min_share <= 1)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--min-share must be above 0 and at most 1 (a share of the items), not %g", min_share);
    goto fail;
  }
  if (!c.codebook) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "indexes come from the codebook's index column: give --codebook CB");
    goto fail;
  }
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &o, &sn, &err);
  if (!t) goto fail;
  if (names) {
    namev = g_strsplit(names, ",", -1);
    for (char **v = namev; *v; v++) g_strstrip(*v);
  }
  rs_reform_index_options io = {min_share, wave, (const char *const *)namev, NULL, 0, c.lang, RS_INDEX_BUILD_ALL};
  if (!(x = rs_reform_indexes_new(t, cb, &io, &err))) goto fail;
  res = rs_results_new("indexes");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  rs_reform_indexes_records(x, c.lang, res);
  if (data_out) {
    if (!rs_reform_indexes_add_columns(x, t, &err)) goto fail;
    /* without id and free-text columns unless --keep-ids/--include-text (privacy.h) */
    char *dropped = NULL;
    rs_table *view = rs_privacy_view(t, &dropped);
    gboolean written = rs_export_csv(view, data_out, RS_CSV_PLAIN, &err);
    rs_privacy_view_free(view);
    if (written && dropped) {
      /* the file's name only: under `run` the path is a temporary directory's */
      char *shown = g_path_get_basename(data_out);
      char *note = g_strdup_printf("--data-out %s: left out the id and free-text columns %s (--keep-ids and "
                                   "--include-text keep them).", shown, dropped);
      g_free(shown);
      rs_results_add_note(res, note);
      g_free(note);
    }
    g_free(dropped);
    if (!written) goto fail;
  }
  if (!rs_cli_write_results(&c, res, &err)) goto fail;
  goto done;
fail:
  status = rs_cli_fail("indexes", err);
done:
  g_strfreev(namev);
  rs_reform_indexes_free(x);
  rs_results_free(res);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  g_free(wave); g_free(data_out); g_free(names);
  rs_cli_common_clear(&c);
  return status;
}
