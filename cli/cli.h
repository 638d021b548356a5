/* cli.h — the reformstat program: one function per subcommand, and the
 * options every data-reading command shares.  Subcommands only parse
 * options, call the library and write outputs. */
#ifndef RS_CLI_H
#define RS_CLI_H

#include <glib.h>

#include "analysis/results.h"
#include "datasets/load.h"

typedef struct {
  char *delimiter, *decimal, *encoding, *codebook, *output, *format, *lang;
  char *refdata, *year_column, *aggregate;
  char *input_format;   /* --input-format csv|sav|por|dta|sas7bdat */
  int skip, vintage;
  gint64 max_field;
  gboolean quiet, verbose;
} rs_cli_common;

/* Adds --delimiter --decimal --encoding --skip --codebook --max-field --input-format to a group. */
void rs_cli_add_read_options(GOptionContext *ctx, rs_cli_common *c);
/* Adds -o/--output, --format, --lang. */
void rs_cli_add_output_options(GOptionContext *ctx, rs_cli_common *c);
/* Fills load options from the common options; loads the codebook (*cb, to free). */
gboolean rs_cli_load_options(const rs_cli_common *c, rs_load_options *o, rs_codebook **cb, GError **err);
/* Checks the table's kommune codes against the reference data and maps
 * them to --vintage (datasets/recode.h).  Without --refdata/--vintage the
 * check runs only when reference data are found; *note (optional, to free)
 * says what was done or skipped. */
gboolean rs_cli_recode(const rs_cli_common *c, rs_table *t, rs_diag *diag, char **note, GError **err);
/* The columns a command needs, for rs_load_options.only: each of the n
 * entries is NULL, a name, or a comma-separated list.  g_strfreev it. */
char **rs_cli_column_list(const char *const *lists, size_t n);
/* Frees the strings the common options hold. */
void rs_cli_common_clear(rs_cli_common *c);
/* FALSE (err set) for an unknown --format, checked before any reading. */
gboolean rs_cli_check_format(const rs_cli_common *c, GError **err);
/* Writes results to c->output (default "-") atomically in c->format (default text).
 * A list of formats ("text,csv,json") writes one file per format, c->output
 * being the base name: BASE.txt, BASE.csv, BASE.json, BASE.md, BASE.tex. */
gboolean rs_cli_write_results(const rs_cli_common *c, const rs_results *r, GError **err);
/* Is `name` (text, csv, json, md, latex) among the --format list? */
gboolean rs_cli_format_has(const rs_cli_common *c, const char *name);
/* Parses; on --help prints and exits 0; on error prints usage hint and returns FALSE. */
gboolean rs_cli_parse(GOptionContext *ctx, int *argc, char ***argv, GError **err);
/* Prints "reformstat CMD: message" and returns the exit status for err. */
int rs_cli_fail(const char *cmd, GError *err);

int rs_cmd_validate(int argc, char **argv);
int rs_cmd_describe(int argc, char **argv);
int rs_cmd_compare(int argc, char **argv);
int rs_cmd_simulate(int argc, char **argv);
int rs_cmd_regress(int argc, char **argv);
int rs_cmd_correlate(int argc, char **argv);
int rs_cmd_reliability(int argc, char **argv);
int rs_cmd_bootstrap(int argc, char **argv);
int rs_cmd_codebook(int argc, char **argv);
int rs_cmd_convert(int argc, char **argv);
int rs_cmd_plot(int argc, char **argv);
int rs_cmd_indexes(int argc, char **argv);
int rs_cmd_outcomes(int argc, char **argv);
int rs_cmd_its(int argc, char **argv);
int rs_cmd_caseload(int argc, char **argv);
int rs_cmd_coordinator_effect(int argc, char **argv);
int rs_cmd_run(int argc, char **argv);
int rs_cmd_report(int argc, char **argv);

/* A subcommand's function by name (cli/main.c's table), or NULL. */
typedef int (*rs_cli_command_fn)(int argc, char **argv);
rs_cli_command_fn rs_cli_find_command(const char *name);

#endif
