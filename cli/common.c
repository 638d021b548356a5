/* common.c — options shared by the subcommands, and writing results. */
#include "cli/cli.h"
#include "datasets/atomic.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/recode.h"

#include <stdio.h>
#include <string.h>

void rs_cli_add_read_options(GOptionContext *ctx, rs_cli_common *c) {
  c->skip = -1;
  c->max_field = -1;  /* not given */
  GOptionEntry e[] = {
    {"codebook", 'c', 0, G_OPTION_ARG_FILENAME, &c->codebook, "Codebook CSV describing the variables", "FILE"},
    {"input-format", 0, 0, G_OPTION_ARG_STRING, &c->input_format, "csv, sav, por, dta or sas7bdat (default: from the file name's extension)", "FMT"},
    {"delimiter", 0, 0, G_OPTION_ARG_STRING, &c->delimiter, "Field delimiter: ';' ',' tab '|' (default: detect)", "CHAR"},
    {"decimal", 0, 0, G_OPTION_ARG_STRING, &c->decimal, "Decimal mark: '.' or ',' (default: detect)", "CHAR"},
    {"encoding", 0, 0, G_OPTION_ARG_STRING, &c->encoding, "auto, utf-8, windows-1252 or iso-8859-1 (default: auto)", "NAME"},
    {"skip", 0, 0, G_OPTION_ARG_INT, &c->skip, "Lines above the header to skip (default: detect title lines)", "N"},
    {"max-field", 0, 0, G_OPTION_ARG_INT64, &c->max_field, "Longest field accepted in bytes (default: 16 MiB)", "BYTES"},
    {"refdata", 0, 0, G_OPTION_ARG_FILENAME, &c->refdata, "Kommune/fylke code tables (default: $REFORMSTAT_REFDATA, then the installed copy)", "DIR"},
    {"vintage", 0, 0, G_OPTION_ARG_INT, &c->vintage, "Map kommune codes to the codes of this year (2019, 2020–2023, 2024+)", "YEAR"},
    {"year-column", 0, 0, G_OPTION_ARG_STRING, &c->year_column, "Column with each row's year, whose codes the row uses", "VAR"},
    {"aggregate", 0, 0, G_OPTION_ARG_STRING, &c->aggregate, "With --vintage: 'fylke' replaces kommune codes by fylke codes (for split kommuner)", "LEVEL"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "No progress or warnings on stderr", NULL},
    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &c->verbose, "Say how the file was read", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  GOptionGroup *g = g_option_group_new("input", "Reading the data file:", "Show options for reading files", NULL, NULL);
  g_option_group_add_entries(g, e);
  g_option_context_add_group(ctx, g);
}

void rs_cli_add_output_options(GOptionContext *ctx, rs_cli_common *c) {
  GOptionEntry e[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &c->output, "Write to FILE (default: standard output)", "FILE"},
    {"format", 'f', 0, G_OPTION_ARG_STRING, &c->format, "text, csv, json, md or latex (default: text)", "FMT"},
    {"lang", 0, 0, G_OPTION_ARG_STRING, &c->lang, "Labels in nb (bokmål, default) or en", "LANG"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_option_context_add_main_entries(ctx, e, NULL);
}

static gboolean parse_char(const char *opt, const char *s, char *out, GError **err) {
  if (s == NULL) { *out = 0; return TRUE; }
  if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0) { *out = '\t'; return TRUE; }
  if (strcmp(s, "semicolon") == 0) { *out = ';'; return TRUE; }
  if (strcmp(s, "comma") == 0) { *out = ','; return TRUE; }
  if (strcmp(s, "pipe") == 0) { *out = '|'; return TRUE; }
  if (strcmp(s, "point") == 0 || strcmp(s, "dot") == 0) { *out = '.'; return TRUE; }
  if (strlen(s) != 1 || s[0] == '\n' || s[0] == '\r' || s[0] == '"') {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--%s takes one character (or tab, semicolon, comma, pipe), not '%s'", opt, s);
    return FALSE;
  }
  *out = s[0];
  return TRUE;
}

gboolean rs_cli_load_options(const rs_cli_common *c, rs_load_options *o, rs_codebook **cb, GError **err) {
  rs_load_options_init(o);
  *cb = NULL;
  if (!parse_char("delimiter", c->delimiter, &o->read.delimiter, err)) return FALSE;
  if (!parse_char("decimal", c->decimal, &o->read.decimal, err)) return FALSE;
  if (o->read.decimal && o->read.decimal != '.' && o->read.decimal != ',') {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--decimal must be '.' or ','");
    return FALSE;
  }
  if (o->read.delimiter && o->read.decimal && o->read.delimiter == o->read.decimal) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the delimiter and the decimal mark cannot be the same character");
    return FALSE;
  }
  o->read.encoding = c->encoding;
  o->read.skip = c->skip;
  if (c->max_field == 0 || c->max_field < -1) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--max-field must be positive");
    return FALSE;
  }
  o->read.max_field = c->max_field > 0 ? (size_t)c->max_field : 0;  /* 0: the reader's default */
  o->quiet = c->quiet;
  o->input_format = c->input_format;
  o->read.sha256 = rs_cli_format_has(c, "json");
  if (c->codebook) {
    *cb = rs_codebook_load(c->codebook, NULL, err);
    if (!*cb) return FALSE;
    o->codebook = *cb;
  }
  return TRUE;
}

gboolean rs_cli_recode(const rs_cli_common *c, rs_table *t, rs_diag *diag, char **note, GError **err) {
  if (note) *note = NULL;
  if (c->aggregate && strcmp(c->aggregate, "fylke") != 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--aggregate takes 'fylke', not '%s'", c->aggregate);
    return FALSE;
  }
  if ((c->aggregate || c->year_column) && !c->vintage) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--aggregate and --year-column go with --vintage YEAR");
    return FALSE;
  }
  bool any = false;
  for (size_t j = 0; j < t->ncols; j++) any = any || t->cols[j].type == RS_TYPE_KOMMUNE;
  if (!any) {
    if (c->vintage && note) *note = g_strdup("--vintage: the file has no kommune column (type kommune) to map.");
    return TRUE;
  }
  bool asked = c->refdata || c->vintage;
  GError *e = NULL;
  char *dir = rs_refdata_find(c->refdata, &e);
  if (!dir) {
    if (asked) {
      g_propagate_error(err, e);
      return FALSE;
    }
    if (note)
      *note = g_strdup("Kommune codes were not checked against the code tables: no reference data found "
                       "(give --refdata DIR or set REFORMSTAT_REFDATA; see --help).");
    g_error_free(e);
    return TRUE;
  }
  rs_refdata *ref = rs_refdata_load(dir, err);
  g_free(dir);
  if (!ref) return FALSE;
  rs_recode_options ro = {.vintage = c->vintage, .year_column = c->year_column, .aggregate_fylke = c->aggregate != NULL};
  gboolean ok = rs_recode_kommuner(t, ref, &ro, diag, err);
  if (ok && note)
    *note = c->vintage ? g_strdup_printf("Kommune codes mapped to the %d codes%s (reference data: %s).", c->vintage,
                                         c->aggregate ? " and aggregated to fylke" : "", rs_refdata_dir(ref))
                       : g_strdup_printf("Kommune codes checked against the reference data in %s.", rs_refdata_dir(ref));
  rs_refdata_free(ref);
  return ok;
}

/* One format, or with a comma-separated list (`--format text,csv,json`,
 * as `run` uses it) one file per format: -o BASE writes BASE.txt, BASE.csv,
 * BASE.json, BASE.md, BASE.tex. */
static const char *format_ext[] = {"txt", "csv", "json", "md", "tex"};

static gboolean write_one(const char *path, const rs_results *r, rs_format fmt, GError **err) {
  rs_atomic *a = rs_atomic_open(path, err);
  if (!a) return FALSE;
  if (!rs_results_write(r, rs_atomic_file(a), fmt)) {
    /* the commit below reports the write error and removes the temporary file */
  }
  return rs_atomic_commit(a, err);
}

gboolean rs_cli_write_results(const rs_cli_common *c, const rs_results *r, GError **err) {
  if (!rs_cli_check_format(c, err)) return FALSE;
  if (!c->format || !strchr(c->format, ',')) {
    int fmt = rs_format_from_name(c->format ? c->format : "text");
    return write_one(c->output ? c->output : "-", r, (rs_format)fmt, err);
  }
  char **list = g_strsplit(c->format, ",", -1);
  gboolean ok = TRUE;
  for (char **f = list; *f && ok; f++) {
    g_strstrip(*f);
    if (!**f) continue;
    int fmt = rs_format_from_name(*f);
    char *path = g_strdup_printf("%s.%s", c->output, format_ext[fmt]);
    ok = write_one(path, r, (rs_format)fmt, err);
    g_free(path);
  }
  g_strfreev(list);
  return ok;
}

gboolean rs_cli_format_has(const rs_cli_common *c, const char *name) {
  if (!c->format) return g_ascii_strcasecmp(name, "text") == 0;
  int want = rs_format_from_name(name);
  char **list = g_strsplit(c->format, ",", -1);
  gboolean has = FALSE;
  for (char **f = list; *f && !has; f++) has = rs_format_from_name(g_strstrip(*f)) == want;
  g_strfreev(list);
  return has;
}

gboolean rs_cli_parse(GOptionContext *ctx, int *argc, char ***argv, GError **err) {
  GError *e = NULL;
  if (!g_option_context_parse(ctx, argc, argv, &e)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s (see --help)", e->message);
    g_error_free(e);
    return FALSE;
  }
  return TRUE;
}

int rs_cli_fail(const char *cmd, GError *err) {
  int status = rs_error_exit_status(err);
  fprintf(stderr, "reformstat %s: %s\n", cmd, err ? err->message : "failed");
  if (err) g_error_free(err);
  return status ? status : 1;
}

void rs_cli_common_clear(rs_cli_common *c) {
  g_free(c->delimiter); g_free(c->decimal); g_free(c->encoding); g_free(c->codebook);
  g_free(c->output); g_free(c->format); g_free(c->lang);
  g_free(c->refdata); g_free(c->year_column); g_free(c->aggregate); g_free(c->input_format);
  memset(c, 0, sizeof *c);
}

gboolean rs_cli_check_format(const rs_cli_common *c, GError **err) {
  if (!c->format) return TRUE;
  char **list = g_strsplit(c->format, ",", -1);
  gboolean ok = TRUE;
  for (char **f = list; *f && ok; f++) {
    g_strstrip(*f);
    if (rs_format_from_name(*f) < 0 && (**f || !list[1])) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "unknown --format '%s'; use text, csv, json, md or latex", *f);
      ok = FALSE;
    }
  }
  if (ok && list[0] && list[1] && (!c->output || strcmp(c->output, "-") == 0)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "a list of formats (--format %s) writes one file per format: give -o BASE for BASE.txt, BASE.csv, …",
                c->format);
    ok = FALSE;
  }
  g_strfreev(list);
  return ok;
}

char **rs_cli_column_list(const char *const *lists, size_t n) {
  GPtrArray *a = g_ptr_array_new();
  for (size_t i = 0; i < n; i++) {
    if (!lists[i]) continue;
    char **parts = g_strsplit(lists[i], ",", -1);
    for (char **p = parts; *p; p++) {
      g_strstrip(*p);
      if (**p) g_ptr_array_add(a, g_strdup(*p));
    }
    g_strfreev(parts);
  }
  g_ptr_array_add(a, NULL);
  return (char **)g_ptr_array_free(a, FALSE);
}
