/* report.c — `reformstat report --plan PLAN.ini (--fylke NN | --all-fylker)
 * [--lang nb|en] [--min-n N] [--xlsx] -o DIR`: the county report for
 * Statsforvalteren, one PDF per fylke with its tables beside it as CSV (and
 * an Excel workbook with --xlsx).
 *
 * The plan's four datasets are read once, each with its [data.*] group's
 * read options and codebook (the names family, coordinators, registry and
 * cases, or those given in the plan's [report] group: family=NAME …); the
 * numbers of each fylke come from report/county.h, every table suppressed
 * and audited (report/disclosure.h).
 *
 * Output: every file is first written into a temporary directory inside DIR
 * (created when absent) and moved into DIR by rename only when every
 * report is complete, so a failure or an interrupt never leaves a half
 * written file, and with --all-fylker no file at all unless all 15 fylker
 * succeeded.
 */
#include "config.h"
#include "cli/cli.h"
#include "datasets/atomic.h"
#include "datasets/error.h"
#include "datasets/plan.h"
#include "report/county.h"
#include "datasets/kommune.h"
#include "report/county-write.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The [data.*] group the report takes a dataset from: [report] KEY=NAME, else NAME = KEY. */
static const rs_plan_data *plan_group(const rs_plan *p, const char *key, const char *what, GError **err) {
  GKeyFile *kf = rs_plan_keyfile(p);
  char *name = kf ? g_key_file_get_string(kf, "report", key, NULL) : NULL;
  if (name) g_strstrip(name);
  const rs_plan_data *d = rs_plan_data_get(p, name && *name ? name : key);
  if (!d) {
    GString *have = g_string_new(NULL);
    for (size_t i = 0; i < rs_plan_n_data(p); i++)
      g_string_append_printf(have, "%s%s", i ? ", " : "", rs_plan_data_at(p, i)->name);
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "%s: the county report needs %s, but the plan has no [data.%s] group (it has: %s); add one, or name "
                "the group in [report] %s=NAME",
                rs_plan_path(p), what, name && *name ? name : key, have->len ? have->str : "none", key);
    g_string_free(have, TRUE);
  }
  g_free(name);
  return d;
}

/* Reads a data group's file with the group's read options and codebook. */
static rs_table *load_group(const rs_plan *p, const rs_plan_data *d, const char *const *only, const char *refdata,
                            gboolean quiet, GError **err) {
  rs_cli_common c;
  memset(&c, 0, sizeof c);
  c.skip = -1;
  c.max_field = -1;
  c.quiet = quiet;
  c.refdata = g_strdup(refdata);
  c.vintage = rs_plan_vintage(p);
  for (guint i = 0; i < d->read->len; i++) {
    const rs_plan_option *o = g_ptr_array_index(d->read, i);
    if (!strcmp(o->key, "delimiter")) c.delimiter = g_strdup(o->value);
    else if (!strcmp(o->key, "decimal")) c.decimal = g_strdup(o->value);
    else if (!strcmp(o->key, "encoding")) c.encoding = g_strdup(o->value);
    else if (!strcmp(o->key, "skip")) c.skip = atoi(o->value);
    else if (!strcmp(o->key, "input-format")) c.input_format = g_strdup(o->value);
    else if (!strcmp(o->key, "max-field")) c.max_field = g_ascii_strtoll(o->value, NULL, 10);
    else if (!strcmp(o->key, "year-column")) c.year_column = g_strdup(o->value);
  }
  rs_load_options lo;
  rs_codebook *own = NULL;
  rs_table *t = NULL;
  if (rs_cli_load_options(&c, &lo, &own, err)) {
    lo.codebook = d->cb;
    lo.quiet = quiet;
    lo.only = only;
    t = rs_load_table(d->path, &lo, NULL, err);
    if (t && c.vintage && !rs_cli_recode(&c, t, NULL, NULL, err)) {
      rs_table_free(t);
      t = NULL;
    }
  }
  rs_codebook_free(own);
  rs_cli_common_clear(&c);
  return t;
}

/* Moves every file of tmp into dir (rename: each appears whole). */
static gboolean move_files(const char *tmp, const char *dir, GPtrArray *written, GError **err) {
  for (guint i = 0; i < written->len; i++) {
    const char *name = g_ptr_array_index(written, i);
    char *from = g_build_filename(tmp, name, NULL), *to = g_build_filename(dir, name, NULL);
    int rc = g_rename(from, to);
    int en = errno;
    g_free(from);
    g_free(to);
    if (rc != 0) {
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "-o %s: cannot move %s into place: %s", dir, name, g_strerror(en));
      return FALSE;
    }
  }
  return TRUE;
}

int rs_cmd_report(int argc, char **argv) {
  char *plan_path = NULL, *fylke = NULL, *lang = NULL, *output = NULL, *refdata = NULL;
  gboolean all = FALSE, xlsx = FALSE, quiet = FALSE;
  gint min_n = 0;
  GOptionContext *ctx = g_option_context_new("- the county report (one PDF per fylke, tables as CSV)");
  g_option_context_set_summary(ctx,
    "Writes DIR/<fylkesnummer>-<name>.pdf (A4, vector, fonts embedded) for one fylke or every fylke,\n"
    "with the tables beside it as DIR/<fylkesnummer>-<name>-<table>.csv (and with --xlsx one Excel\n"
    "workbook per fylke): key figures against the country, the kommuner, Statsforvalteren's cases,\n"
    "charts, and a methods page.  Data come from the plan's [data.family], [data.coordinators],\n"
    "[data.registry] and [data.cases] groups (or the groups named in [report] family=NAME …), read\n"
    "with their codebooks and read options.\n"
    "Disclosure control: every published cell built on fewer than --min-n persons is shown ':'\n"
    "(counts, means, shares and intervals alike), more cells are suppressed so that none of them\n"
    "can be worked out from the totals, and every table is audited before it is written; '-' is\n"
    "zero.  Files appear only when every report is complete (written to a temporary directory\n"
    "inside DIR first).");
  GOptionEntry e[] = {
    {"plan", 'p', 0, G_OPTION_ARG_FILENAME, &plan_path, "The analysis plan (see `reformstat run --help`)", "PLAN.ini"},
    {"fylke", 0, 0, G_OPTION_ARG_STRING, &fylke, "The fylke's number (2024 numbers: 03, 11, 15, 18, 31–34, 39, 40, 42, 46, 50, 55, 56)", "NN"},
    {"all-fylker", 0, 0, G_OPTION_ARG_NONE, &all, "One report for every fylke of the registry", NULL},
    {"lang", 0, 0, G_OPTION_ARG_STRING, &lang, "nb (bokmål, default: the plan's lang) or en", "LANG"},
    {"min-n", 0, 0, G_OPTION_ARG_INT, &min_n, "Suppress cells from fewer persons (default: the plan's min_n, else 5)", "N"},
    {"xlsx", 0, 0, G_OPTION_ARG_NONE, &xlsx, "Also write the tables as an Excel workbook per fylke", NULL},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Output directory (created when absent)", "DIR"},
    {"refdata", 0, 0, G_OPTION_ARG_FILENAME, &refdata, "Kommune code tables, for a plan with vintage= (default: $REFORMSTAT_REFDATA)", "DIR"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress lines on stderr", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  GError *err = NULL;
  int status = 0;
  rs_plan *p = NULL;
  rs_table *tabs[4] = {NULL, NULL, NULL, NULL};
  rs_county_context *cc = NULL;
  char *tmp = NULL;
  gboolean made_dir = FALSE;
  GPtrArray *written = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *codes = g_ptr_array_new_with_free_func(g_free);

  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc > 1) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "unexpected argument '%s' (the plan is given with --plan)", argv[1]);
    goto fail;
  }
  if (!plan_path) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give the analysis plan with --plan PLAN.ini");
    goto fail;
  }
  if (!fylke == !all) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give either --fylke NN or --all-fylker");
    goto fail;
  }
  if (!output) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give the output directory with -o DIR");
    goto fail;
  }
  if (lang && strcmp(lang, "nb") != 0 && strcmp(lang, "en") != 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--lang takes nb or en, not '%s'", lang);
    goto fail;
  }
  if (min_n < 0 || min_n > 1000) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--min-n must be between 1 and 1000, not %d", min_n);
    goto fail;
  }
  if (fylke) {
    char *norm = rs_refdata_normalise_fylke(fylke);
    if (!norm) {
      g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--fylke '%s' is not a fylke number (two digits, e.g. 46)", fylke);
      goto fail;
    }
    g_ptr_array_add(codes, norm);
  }

  p = rs_plan_load(plan_path, &err);
  if (!p) goto fail;
  const char *use_lang = lang ? lang : rs_plan_lang(p);
  double use_min_n = min_n > 0 ? min_n : rs_plan_min_n(p) > 0 ? rs_plan_min_n(p) : RS_DISCLOSURE_MIN_N;
  static const char *const keys[4] = {"family", "coordinators", "registry", "cases"};
  static const char *const what[4] = {
    "the family survey (the families' experience before and after the reform)",
    "the coordinator survey (the coordinators' caseload and earmarked time)",
    "the kommune registry (coverage per 1 000 children and the list of kommuner)",
    "Statsforvalteren's cases (complaints and tilsyn)"};
  const rs_plan_data *groups[4];
  for (int k = 0; k < 4; k++)
    if (!(groups[k] = plan_group(p, keys[k], what[k], &err))) goto fail;
  for (int k = 0; k < 4; k++) {
    if (!quiet) fprintf(stderr, "reformstat report: reading %s (%s)\n", groups[k]->path, keys[k]);
    /* the family survey: only the columns the report uses (a million rows of
     * respondent ids and free text would cost time and are never published) */
    GPtrArray *only = NULL;
    if (k == 0) {
      only = g_ptr_array_new();
      static const char *const fixed[] = {"kommune", "fylke", "post", "coordinator_type", "response_date", "year"};
      for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++) g_ptr_array_add(only, (gpointer)fixed[i]);
      const char *design[3] = {groups[0]->weight, groups[0]->cluster, groups[0]->strata};
      for (int i = 0; i < 3; i++)
        if (design[i]) g_ptr_array_add(only, (gpointer)design[i]);
      for (guint i = 0; groups[0]->cb && i < groups[0]->cb->vars->len; i++) {
        const rs_cb_var *v = g_ptr_array_index(groups[0]->cb->vars, i);
        if (v->index && *v->index) g_ptr_array_add(only, v->name);
      }
      g_ptr_array_add(only, NULL);
    }
    tabs[k] = load_group(p, groups[k], only ? (const char *const *)only->pdata : NULL, refdata, TRUE, &err);
    if (only) g_ptr_array_unref(only);
    if (!tabs[k]) goto fail;
  }
  rs_county_inputs in = {.family = tabs[0], .family_cb = groups[0]->cb, .weight = groups[0]->weight,
                         .cluster = groups[0]->cluster, .strata = groups[0]->strata,
                         .coordinators = tabs[1], .coordinators_cb = groups[1]->cb,
                         .registry = tabs[2], .cases = tabs[3], .cases_cb = groups[3]->cb,
                         .lang = use_lang, .min_n = use_min_n};
  cc = rs_county_context_new(&in, &err);
  if (!cc) goto fail;
  if (all) {
    for (size_t i = 0; i < rs_county_n_fylker(cc); i++) g_ptr_array_add(codes, g_strdup(rs_county_fylke_code(cc, i)));
  } else if (!rs_county_fylke_name(cc, g_ptr_array_index(codes, 0))) {
    GString *list = g_string_new(NULL);
    for (size_t i = 0; i < rs_county_n_fylker(cc); i++)
      g_string_append_printf(list, "%s%s %s", i ? ", " : "", rs_county_fylke_code(cc, i),
                             rs_county_fylke_name(cc, rs_county_fylke_code(cc, i)));
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--fylke %s: no such fylke in the kommune registry %s (it has %s)",
                fylke, groups[2]->path, list->str);
    g_string_free(list, TRUE);
    goto fail;
  }

  /* the output directory, and a temporary one inside it */
  GStatBuf st;
  if (g_stat(output, &st) == 0 && !S_ISDIR(st.st_mode)) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "-o %s: exists and is not a directory (nothing was written)", output);
    goto fail;
  }
  if (g_stat(output, &st) != 0) {
    if (g_mkdir_with_parents(output, 0777) != 0) {
      int en = errno;
      g_set_error(&err, RS_ERROR, RS_ERROR_IO, "-o %s: cannot create the directory: %s (nothing was written)", output,
                  g_strerror(en));
      goto fail;
    }
    made_dir = TRUE;
  }
  tmp = g_build_filename(output, ".report.tmp-XXXXXX", NULL);
  if (!rs_atomic_mkdtemp(tmp)) {
    int en = errno;
    g_set_error(&err, RS_ERROR, RS_ERROR_IO, "-o %s: cannot write in the directory: %s (nothing was written)", output,
                g_strerror(en));
    g_free(tmp);
    tmp = NULL;
    goto fail;
  }

  rs_county_files files = {.dir = tmp, .xlsx = xlsx, .plan = p, .version = PACKAGE_VERSION};
  for (size_t k = 0; k < 4; k++) files.data[k] = groups[k];
  for (guint i = 0; i < codes->len; i++) {
    const char *code = g_ptr_array_index(codes, i);
    gint64 t0 = g_get_monotonic_time();
    rs_county *r = rs_county_build(cc, code, &err);
    if (!r) goto fail;
    gboolean ok = rs_county_write(cc, r, &files, written, &err);
    if (ok && !quiet)
      fprintf(stderr, "reformstat report: %s %s: %u pages, %u tables (%.2f s)\n", r->code, r->name, files.pages,
              r->tables->len, (double)(g_get_monotonic_time() - t0) / 1e6);
    rs_county_free(r);
    if (!ok) goto fail;
  }
  if (!move_files(tmp, output, written, &err)) goto fail;
  rs_atomic_remove_dir(tmp);
  if (!quiet) fprintf(stderr, "reformstat report: %u files written to %s\n", written->len, output);
  goto done;
fail:
  status = rs_cli_fail("report", err);
  if (tmp) {
    rs_atomic_remove_dir(tmp);
    if (made_dir) g_rmdir(output);
  }
done:
  g_free(tmp);
  rs_county_context_free(cc);
  for (int k = 0; k < 4; k++) rs_table_free(tabs[k]);
  rs_plan_free(p);
  g_ptr_array_unref(written);
  g_ptr_array_unref(codes);
  g_free(plan_path);
  g_free(fylke);
  g_free(lang);
  g_free(output);
  g_free(refdata);
  g_option_context_free(ctx);
  return status;
}
