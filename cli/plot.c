/* plot.c — `reformstat plot KIND DATA -o FIG.pdf|png|svg`: publication
 * charts.  Parses the options, loads the data, keeps the --filter rows and
 * hands them to the kind's run function (cli/plot.h), which computes the
 * numbers with the analysis library and draws them with plots/.  Then
 * writes --data-out (the plotted numbers as CSV) and the figure, each
 * through a temporary file.  To add a kind: plots/plot.h, and one line in
 * kinds[] below. */
#include "cli/plot.h"
#include "datasets/privacy.h"
#include "analysis/plotdata.h"
#include "datasets/codebook.h"
#include "datasets/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  rs_plot_run_fn run;
  const char *summary;
} plot_kind;

static const plot_kind kinds[] = {
  {"prepost", rs_cli_plot_prepost, "means with 95 % CIs before and after, by group (--var Y --period VAR [--group G])"},
  {"likert", rs_cli_plot_likert, "diverging stacked bars of Likert items (--items A,B,C or --index NAME)"},
  {"forest", rs_cli_plot_forest, "estimates with CIs for many groups and a reference line (--var Y --group G [--sort])"},
  {"distribution", rs_cli_plot_distribution, "histogram or box plot of a variable by group (--var Y [--group G] --style hist|box)"},
  {"scatter", rs_cli_plot_scatter, "points, OLS line and 95 % band; hexagons above 50 000 points (--x A --y B [--color VAR])"},
  {"its", rs_cli_plot_its, "interrupted time series: rate by month, segmented fit, reform date (--var NUM --per DEN [--break DATE] [--kommune K|--fylke F])"},
  {"tilemap", rs_cli_plot_tilemap, "the 15 fylker as tiles coloured by the mean of --var (or the rate --var NUM --per DEN)"},
};

rs_plot *rs_cli_plot_open(const rs_plot_args *a, double auto_height_cm, GError **err) {
  double h = a->height_cm > 0 ? a->height_cm : auto_height_cm;
  if (h < 4) h = 4;
  if (h > 60 && a->height_cm <= 0) h = 60;
  rs_plot *p = rs_plot_output_open(a->output, a->width_cm, h, a->dpi, err);
  if (!p) return NULL;
  rs_plot_set_lang(p, a->lang);
  rs_plot_set_title(p, a->title);
  return p;
}

static char *kinds_help(void) {
  GString *g = g_string_new("Kinds of chart:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) g_string_append_printf(g, "  %-13s %s\n", kinds[i].name, kinds[i].summary);
  g_string_append(g,
    "\nThe output's extension chooses the format: .png (at --dpi), .pdf or .svg.\n"
    "Titles and captions are in bokmål unless --lang en.  With SOURCE_DATE_EPOCH set,\n"
    "the PDF's creation date is that time; PDF and SVG are byte-identical for the same input.");
  return g_string_free(g, FALSE);
}

int rs_cmd_plot(int argc, char **argv) {
  rs_cli_common c = {0};
  rs_plot_args a = {0};
  char *output = NULL, *lang = NULL, *title = NULL, *data_out = NULL;
  double dpi = RS_PLOT_DEFAULT_DPI, width = 16, height = 0;
  GOptionContext *ctx = g_option_context_new("KIND DATA - publication charts (PNG, PDF, SVG)");
  char *help = kinds_help();
  g_option_context_set_summary(ctx, help);
  GOptionEntry e[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The figure: FILE.png, FILE.pdf or FILE.svg (required)", "FILE"},
    {"dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, "PNG resolution (default 300)", "N"},
    {"width-cm", 0, 0, G_OPTION_ARG_DOUBLE, &width, "Width in cm (default 16; 8.5 for a journal column)", "W"},
    {"height-cm", 0, 0, G_OPTION_ARG_DOUBLE, &height, "Height in cm (default: from what the chart shows)", "H"},
    {"lang", 0, 0, G_OPTION_ARG_STRING, &lang, "Titles, labels and numbers in nb (bokmål, default) or en", "LANG"},
    {"title", 0, 0, G_OPTION_ARG_STRING, &title, "Title instead of the default one", "TEXT"},
    {"data-out", 0, 0, G_OPTION_ARG_FILENAME, &data_out, "Also write the plotted numbers to this CSV file", "FILE.csv"},
    {"var", 0, 0, G_OPTION_ARG_STRING, &a.var, "The variable plotted (prepost, forest, distribution)", "Y"},
    {"group", 0, 0, G_OPTION_ARG_STRING, &a.group, "Grouping variable (coordinator type, fylke, kommune, profession)", "VAR"},
    {"period", 0, 0, G_OPTION_ARG_STRING, &a.period, "prepost: the before/after variable (e.g. post)", "VAR"},
    {"items", 0, 0, G_OPTION_ARG_STRING, &a.items, "likert: the items (comma-separated)", "A,B,…"},
    {"index", 0, 0, G_OPTION_ARG_STRING, &a.index, "likert: the items of this codebook index", "NAME"},
    {"weight", 'w', 0, G_OPTION_ARG_STRING, &a.weight, "prepost, forest: survey weight column (weighted means, linearised SEs)", "W"},
    {"style", 0, 0, G_OPTION_ARG_STRING, &a.style, "distribution: hist (default) or box", "STYLE"},
    {"sort", 0, 0, G_OPTION_ARG_NONE, &a.sort, "forest: order the rows by their estimate", NULL},
    {"filter", 0, 0, G_OPTION_ARG_STRING, &a.filter, "Only rows where VAR is one of the values, e.g. fylke=46", "VAR=V1,V2"},
    {"x", 0, 0, G_OPTION_ARG_STRING, &a.x, "scatter: the variable across", "A"},
    {"y", 0, 0, G_OPTION_ARG_STRING, &a.y, "scatter: the variable up", "B"},
    {"color", 0, 0, G_OPTION_ARG_STRING, &a.color, "scatter: colour the points by this variable (at most 8 values)", "VAR"},
    {"per", 0, 0, G_OPTION_ARG_STRING, &a.per, "its, tilemap: denominator: rate = sum(--var) / sum(DEN) x 1000", "DEN"},
    {"break", 0, 0, G_OPTION_ARG_STRING, &a.break_date, "its: the break date (default 2022-08-01); its date column is --period (default period)", "DATE"},
    {"kommune", 0, 0, G_OPTION_ARG_STRING, &a.kommune, "its: one kommune's series", "CODE"},
    {"fylke", 0, 0, G_OPTION_ARG_STRING, &a.fylke, "its: one fylke's series", "CODE"},
    {"min-n", 0, 0, G_OPTION_ARG_INT, &a.min_n, "tilemap: grey out fylker with fewer observations (default 5)", "N"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  rs_results *data = NULL;
  rs_plot *p = NULL;
  size_t *rows = NULL, nrows = 0;
  const plot_kind *kind = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 3) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give a kind of chart and one data file: plot KIND DATA -o FILE (see --help)");
    goto fail;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
    if (strcmp(argv[1], kinds[i].name) == 0) kind = &kinds[i];
  if (!kind) {
    GString *names = g_string_new("");
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) g_string_append_printf(names, "%s%s", i ? ", " : "", kinds[i].name);
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "unknown kind of chart '%s'; use one of %s", argv[1], names->str);
    g_string_free(names, TRUE);
    goto fail;
  }
  if (!output) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give the figure's file with -o FILE.png, FILE.pdf or FILE.svg");
    goto fail;
  }
  if (rs_plot_format_from_path(output) < 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "%s: the output's extension must be .png, .pdf or .svg (it chooses the format)", output);
    goto fail;
  }
  if (lang && strcmp(lang, "nb") != 0 && strcmp(lang, "en") != 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--lang takes nb or en, not '%s'", lang);
    goto fail;
  }
  if (!isfinite(width) || !isfinite(height) || !isfinite(dpi) || dpi <= 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--width-cm, --height-cm and --dpi must be positive numbers");
    goto fail;
  }
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  o.quiet = TRUE;
  t = rs_load_table(argv[2], &o, NULL, &err);
  if (!t) goto fail;
  if (a.filter) {
    rows = rs_plotdata_filter(t, a.filter, &nrows, &err);
    if (!rows) goto fail;
  } else {
    nrows = t->nrows;
  }
  if (nrows == 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_VALUE, "%s: no rows to plot%s", argv[2], a.filter ? " after --filter" : "");
    goto fail;
  }
  /* group, colour and period values label the chart and --data-out (privacy.h) */
  if (!rs_privacy_check_name(t, a.group, "--group", &err) || !rs_privacy_check_name(t, a.color, "--color", &err) ||
      !rs_privacy_check_name(t, a.period, "--period", &err))
    goto fail;
  a.kind = kind->name;
  a.output = output;
  a.lang = lang ? lang : "nb";
  a.title = title;
  a.data_out = data_out;
  a.dpi = dpi;
  a.width_cm = width;
  a.height_cm = height;
  a.codebook = cb ? cb : t->codebook;
  a.refdata = c.refdata;
  data = rs_results_new("plot");
  rs_results_add_input(data, argv[2], NULL, (long long)t->nrows);
  p = kind->run(&a, t, rows, nrows, data, &err);
  if (!p) goto fail;
  if (data_out) {
    rs_cli_common dc = {0};
    dc.output = data_out;
    dc.format = "csv";
    if (!rs_cli_write_results(&dc, data, &err)) goto fail;
  }
  {
    rs_plot *q = p;
    p = NULL;
    if (!rs_plot_output_close(q, &err)) goto fail;
  }
  goto done;
fail:
  rs_plot_output_abort(p);
  status = rs_cli_fail("plot", err);
done:
  g_free(rows);
  rs_results_free(data);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_option_context_free(ctx);
  g_free(help);
  g_free(output); g_free(lang); g_free(title); g_free(data_out);
  g_free(a.var); g_free(a.group); g_free(a.period); g_free(a.items); g_free(a.index); g_free(a.weight);
  g_free(a.formula); g_free(a.style); g_free(a.filter);
  g_free(a.x); g_free(a.y); g_free(a.color); g_free(a.per); g_free(a.break_date); g_free(a.kommune); g_free(a.fylke);
  rs_cli_common_clear(&c);
  return status;
}
