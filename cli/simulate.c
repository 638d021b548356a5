/* simulate.c — `reformstat simulate --seed N --out DIR`: synthetic reform
 * data with known effects (datasets/simulate.h does the work). */
#include "cli/cli.h"
#include "datasets/error.h"
#include "datasets/kommune.h"
#include "datasets/simulate.h"

#include <stdio.h>

int rs_cmd_simulate(int argc, char **argv) {
  char *seed = NULL, *out = NULL, *families = NULL, *coordinators = NULL, *years = NULL, *style = NULL,
       *refdata = NULL;
  gboolean force = FALSE, quiet = FALSE;
  GOptionEntry e[] = {
    {"seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Random seed, 0-4294967295 (required); written to truth.json", "N"},
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Directory to create (required); must not exist or be empty", "DIR"},
    {"families", 0, 0, G_OPTION_ARG_STRING, &families,
     "Families in the family survey, 1-10000000 (default: 3000); panel families answer twice", "N"},
    {"coordinators", 0, 0, G_OPTION_ARG_STRING, &coordinators,
     "Coordinators in the coordinator survey, 1-1000000 (default: 300)", "N"},
    {"years", 0, 0, G_OPTION_ARG_STRING, &years,
     "Period FIRST-LAST within 2010-2035 (default: 2019-2025): survey waves every year but 2022, registry months "
     "FIRST-01 to LAST-12", "FIRST-LAST"},
    {"style", 0, 0, G_OPTION_ARG_STRING, &style,
     "plain: ',' '.' UTF-8 LF (default); excel-nb: ';' decimal comma Windows-1252 CRLF dd.mm.yyyy", "STYLE"},
    {"refdata", 0, 0, G_OPTION_ARG_FILENAME, &refdata,
     "Kommune/fylke reference tables (default: $REFORMSTAT_REFDATA, then the installed copy)", "DIR"},
    {"force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace DIR if it holds an earlier simulate output", NULL},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not list the files written", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  GOptionContext *ctx = g_option_context_new("- synthetic reform data with known effects");
  g_option_context_set_summary(ctx,
    "Writes into DIR the four datasets with their codebooks and truth.json:\n"
    "  family.csv, family-codebook.csv              family survey, one row per parent per wave\n"
    "  coordinators.csv, coordinators-codebook.csv  coordinator survey\n"
    "  registry.csv, registry-codebook.csv          kommune registry, one row per kommune per month\n"
    "  cases.csv, cases-codebook.csv                Statsforvalteren complaints and tilsyn\n"
    "  truth.json                                   seed, sizes, every parameter and its expectations\n"
    "The kommuner are the 357 of 2024 from the reference data.  Everything is written to a\n"
    "temporary directory beside DIR and renamed to DIR at the end, so a failure leaves nothing.\n"
    "The same seed and options give the same bytes on every machine.");
  g_option_context_set_description(ctx,
    "Effects (latent SD units; defaults mirror the published findings, all listed in truth.json):\n"
    "  post-reform change: collaboration +0.05, information +0.05, listened 0, burden 0\n"
    "  barnekoordinator vs koordinator: 0 on every index (no advantage)\n"
    "  any coordinator vs none: collaboration +0.30, information +0.35, listened +0.20, burden -0.25\n"
    "  coordinators: capacity -0.15 per family per earmarked hour (families / (earmarked hours + 1))\n"
    "  registry, per 1000 children: individuell plan 3.5 in 2019, trend -0.15/year before 2022-08,\n"
    "    then level +0.30 and slope +0.20/year; koordinator 5.5, -0.10/year, +0.50, +0.25/year\n"
    "Kommune sizes (children 0-17) come from a fixed synthetic size model, not SSB figures;\n"
    "truth.json describes it.  See README.md, section 'Synthetic data (simulate)'.\n\n"
    "Example:\n  reformstat simulate --seed 20220801 --out datasets/sample --refdata ../shared/data/norway");
  g_option_context_add_main_entries(ctx, e, NULL);

  GError *err = NULL;
  int status = 0;
  rs_refdata *rd = NULL;
  char *rdir = NULL;
  rs_simulate_summary sum = {0};
  rs_simulate_options o;
  rs_simulate_options_init(&o);
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 1) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "unexpected argument '%s' (see --help)", argv[1]);
    goto fail;
  }
  if (!seed) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give --seed N: the same seed always gives the same data (see --help)");
    goto fail;
  }
  if (!rs_simulate_parse_seed(seed, &o.seed, &err)) goto fail;
  o.seed_set = true;
  if (!out || !*out) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give --out DIR: the directory to write the datasets to (see --help)");
    goto fail;
  }
  if (families && !rs_simulate_parse_count("families", families, RS_SIMULATE_MAX_FAMILIES, &o.n_families, &err))
    goto fail;
  if (coordinators &&
      !rs_simulate_parse_count("coordinators", coordinators, RS_SIMULATE_MAX_COORDINATORS, &o.n_coordinators, &err))
    goto fail;
  if (years && !rs_simulate_parse_years(years, &o.year_first, &o.year_last, &err)) goto fail;
  if (style && !rs_simulate_parse_style(style, &o.style, &err)) goto fail;
  o.force = force;
  if (!rs_simulate_check_options(&o, &err)) goto fail;

  rdir = rs_refdata_find(refdata, &err);
  if (!rdir) goto fail;
  rd = rs_refdata_load(rdir, &err);
  if (!rd) goto fail;
  const GPtrArray *kommuner = rs_refdata_kommuner(rd, 2024);
  if (!kommuner || kommuner->len == 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_IO,
                "the reference data in %s have no 2024 kommune table (kommuner_2024.csv or klass-131-2024.csv)", rdir);
    goto fail;
  }
  if (!rs_simulate_run(&o, kommuner, out, &sum, &err)) goto fail;
  if (!quiet) {
    printf("reformstat simulate: seed %lu, %ld families, %ld coordinators, %d-%d, %s; wrote %s/\n", o.seed,
           o.n_families, o.n_coordinators, o.year_first, o.year_last,
           o.style == RS_SIMULATE_PLAIN ? "plain" : "excel-nb", out);
    for (size_t i = 0; i < sum.n_files; i++) {
      if (sum.files[i].rows) printf("  %-26s %10zu rows %12llu bytes\n", sum.files[i].name, sum.files[i].rows,
                                    (unsigned long long)sum.files[i].bytes);
      else printf("  %-26s %15s %12llu bytes\n", sum.files[i].name, "", (unsigned long long)sum.files[i].bytes);
    }
  }
  goto done;
fail:
  status = rs_cli_fail("simulate", err);
done:
  rs_simulate_summary_clear(&sum);
  rs_refdata_free(rd);
  g_free(rdir);
  g_option_context_free(ctx);
  g_free(seed); g_free(out); g_free(families); g_free(coordinators); g_free(years); g_free(style); g_free(refdata);
  return status;
}
