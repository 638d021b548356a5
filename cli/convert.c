/* convert.c — `reformstat convert IN OUT`: any file reformstat reads (CSV,
 * .sav, .zsav, .por, .dta, .sas7bdat) to CSV (plain, or --style excel-nb
 * for Norwegian Excel) or, with labels and missing values, to .sav, .zsav,
 * .por or .dta, or to .sas7bdat (variable labels and missing codes as .A–.Z;
 * no value labels).  The output format comes from OUT's extension or --to. */
#include "cli/cli.h"
#include "datasets/error.h"
#include "datasets/export.h"
#include "datasets/readstat_output.h"

#include <stdio.h>
#include <string.h>

static int output_format(const char *to, const char *path, GError **err) {
  const char *name = to;
  if (!name) {
    const char *dot = strrchr(path, '.');
    name = dot && !strchr(dot, '/') ? dot + 1 : "csv";
  }
  static const char *const names[] = {"csv", "sav", "zsav", "por", "dta", "sas7bdat"};
  for (int k = 0; k < 6; k++)
    if (g_ascii_strcasecmp(name, names[k]) == 0) return k;
  if (!to) return 0;  /* OUT.txt, OUT without extension, "-": CSV */
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "unknown --to '%s'; use csv, sav, zsav, por, dta or sas7bdat", to);
  return -1;
}

int rs_cmd_convert(int argc, char **argv) {
  rs_cli_common c = {0};
  char *to = NULL, *style = NULL;
  GOptionContext *ctx = g_option_context_new("IN OUT - convert between CSV, SPSS (.sav .zsav .por), Stata (.dta) and SAS (.sas7bdat)");
  g_option_context_set_summary(ctx,
    "Reads IN as every command does (CSV, or .sav/.zsav/.por/.dta/.sas7bdat by extension or\n"
    "--input-format) and writes OUT: CSV, or an SPSS/Stata file with variable and value labels,\n"
    "user-missing values (SPSS) and extended missing values .a–.z (Stata), or a SAS .sas7bdat\n"
    "file with variable labels and special missing values .A–.Z (value labels are not written).\n"
    "A --codebook adds labels and missing codes to a CSV input.");
  GOptionEntry e[] = {
    {"to", 't', 0, G_OPTION_ARG_STRING, &to, "Output format: csv, sav, zsav, por, dta or sas7bdat (default: OUT's extension)", "FMT"},
    {"style", 0, 0, G_OPTION_ARG_STRING, &style, "CSV style: plain (',', '.', UTF-8, LF; default) or excel-nb (';', ',', Windows-1252, CRLF)", "STYLE"},
    {"lang", 0, 0, G_OPTION_ARG_STRING, &c.lang, "Labels in nb (bokmål, default) or en", "LANG"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
  rs_cli_add_read_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_table *t = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 3) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give an input and an output file (see --help)");
    goto fail;
  }
  int fmt = output_format(to, argv[2], &err);
  if (fmt < 0) goto fail;
  rs_csv_style cs = RS_CSV_PLAIN;
  if (style && strcmp(style, "excel-nb") == 0) cs = RS_CSV_EXCEL_NB;
  else if (style && strcmp(style, "plain") != 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "unknown --style '%s'; use plain or excel-nb", style);
    goto fail;
  }
  if (style && fmt != 0) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "--style applies to CSV output only");
    goto fail;
  }
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  t = rs_load_table(argv[1], &o, NULL, &err);
  if (!t) goto fail;
  gboolean ok;
  switch (fmt) {
    case 0: ok = rs_export_csv(t, argv[2], cs, &err); break;
    case 1: ok = rs_readstat_write(t, argv[2], RS_OUTPUT_SAV, c.lang, &err); break;
    case 2: ok = rs_readstat_write(t, argv[2], RS_OUTPUT_ZSAV, c.lang, &err); break;
    case 3: ok = rs_readstat_write(t, argv[2], RS_OUTPUT_POR, c.lang, &err); break;
    case 4: ok = rs_readstat_write(t, argv[2], RS_OUTPUT_DTA, c.lang, &err); break;
    default: ok = rs_readstat_write(t, argv[2], RS_OUTPUT_SAS7BDAT, c.lang, &err); break;
  }
  if (!ok) goto fail;
  if (c.verbose)
    fprintf(stderr, "reformstat convert: %s (%zu rows, %zu columns) -> %s\n", argv[1], t->nrows, t->ncols, argv[2]);
  goto done;
fail:
  status = rs_cli_fail("convert", err);
done:
  rs_table_free(t);
  rs_codebook_free(cb);
  g_option_context_free(ctx);
  g_free(to); g_free(style);
  rs_cli_common_clear(&c);
  return status;
}
