/* main.c — `reformstat SUBCOMMAND …`: dispatch, --help and --version.
 * Each subcommand lives in its own file and parses its own options. */
#include "config.h"
#include "cli/cli.h"
#include "datasets/atomic.h"
#include "datasets/error.h"
#include "datasets/limits.h"
#include "datasets/privacy.h"

#include <gsl/gsl_errno.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
  {"validate", rs_cmd_validate, "check a data file (and codebook); list every problem"},
  {"describe", rs_cmd_describe, "descriptive statistics: n, missing by reason, mean, SD, quartiles, counts"},
  {"compare", rs_cmd_compare, "compare groups: t, Wilcoxon, chi-square, Fisher, proportions, ANOVA, Kruskal-Wallis"},
  {"simulate", rs_cmd_simulate, "synthetic reform data with known effects, and truth.json"},
  {"regress", rs_cmd_regress, "linear or logistic regression (R formula) with robust/cluster/Newey-West SEs"},
  {"correlate", rs_cmd_correlate, "Pearson, Spearman or Kendall correlations of every pair, with p-values"},
  {"reliability", rs_cmd_reliability, "Cronbach's alpha of a scale, alpha if an item is dropped, item-total r"},
  {"bootstrap", rs_cmd_bootstrap, "bootstrap intervals (percentile, BCa) and a permutation test, seeded"},
  {"codebook", rs_cmd_codebook, "write the codebook of a data file (labels and missing codes of .sav/.dta files)"},
  {"plot", rs_cmd_plot, "publication charts to PNG, PDF or SVG: prepost, likert, forest, distribution"},
  {"indexes", rs_cmd_indexes, "outcome indexes from the codebook: alpha per index and wave, top-2-box, --data-out"},
  {"outcomes", rs_cmd_outcomes, "every index and item before vs after the reform: overall, by group, Welch or design-based"},
  {"coordinator-effect", rs_cmd_coordinator_effect, "barnekoordinator vs koordinator vs none: regression, DiD, MDE"},
  {"convert", rs_cmd_convert, "convert between CSV (plain or Norwegian Excel), SPSS .sav/.por and Stata .dta"},
  {"run", rs_cmd_run, "run an analysis plan (PLAN.ini): every analysis, into one output directory"},
  {"its", rs_cmd_its, "interrupted time series of a registry rate at the reform (national, fylke, kommune, pooled)"},
  {"caseload", rs_cmd_caseload, "coordinators: families per coordinator, position and earmarked hour; registry coverage"},
  {"report", rs_cmd_report, "the county report: one PDF per fylke with suppressed tables as CSV (and Excel)"},
};

/* `run` calls the subcommands in-process through this table. */
rs_cli_command_fn rs_cli_find_command(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(name, commands[i].name) == 0) return commands[i].run;
  return NULL;
}

/* --max-memory SIZE and --max-levels N (datasets/limits.h) belong to every
 * command and may stand anywhere before "--" (`reformstat --max-memory 2G
 * describe …` or after the command); they are taken out of argv here,
 * before the command parses its own options. */
static gboolean take_limits(int *argc, char **argv, GError **err) {
  size_t mem = 0, levels = 0;
  bool keep_ids = false, include_text = false;
  int out = 1;
  for (int i = 1; i < *argc; i++) {
    const char *a = argv[i], *val = NULL;
    int which = 0;
    if (strcmp(a, "--") == 0) {
      while (i < *argc) argv[out++] = argv[i++];
      break;
    }
    /* --keep-ids and --include-text (datasets/privacy.h) likewise */
    if (strcmp(a, "--keep-ids") == 0 || strcmp(a, "--include-text") == 0) {
      if (a[2] == 'k') keep_ids = true;
      else include_text = true;
      continue;
    }
    if (g_str_has_prefix(a, "--max-memory")) which = 1;
    else if (g_str_has_prefix(a, "--max-levels")) which = 2;
    const char *rest = which ? a + strlen("--max-memory") : NULL;
    if (!which || (*rest && *rest != '=')) {
      argv[out++] = argv[i];
      continue;
    }
    if (*rest == '=') val = rest + 1;
    else if (i + 1 < *argc) val = argv[++i];
    if (!val) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s needs a value", a);
      return FALSE;
    }
    if (which == 1) {
      if (!rs_limits_parse_size(val, &mem, err)) return FALSE;
    } else {
      char *end = NULL;
      guint64 n = g_ascii_strtoull(val, &end, 10);
      if (end == val || *end || n < 1) {
        g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--max-levels takes a whole number of 1 or more, not '%s'", val);
        return FALSE;
      }
      levels = (size_t)n;
    }
  }
  argv[out] = NULL;
  *argc = out;
  rs_limits_set(mem, levels);
  rs_privacy_set(keep_ids, include_text);
  return TRUE;
}

static void usage(FILE *fp) {
  fprintf(fp,
          "Usage: reformstat COMMAND [OPTIONS] …\n\n"
          "Statistics for evaluating Norway's coordination reform of 1 August 2022\n"
          "(barnekoordinator, koordinator, koordinerende enhet).\n\nCommands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(fp,
          "\n'reformstat COMMAND --help' shows a command's options.\n"
          "Options of every command: --max-memory SIZE (default 3/4 of the memory; 512M, 2G, …) and\n"
          "--max-levels N (most distinct values of a grouping or factor, default 10000); they stop\n"
          "a command with a clear message before a huge input exhausts the machine.\n"
          "Values of id columns and free-text (string) columns are never written to an output\n"
          "unless --keep-ids or --include-text is given (convert copies them: it copies the data).\n"
          "Exit status: 0 success, 1 bad input or usage, 2 internal error.\n");
}

int main(int argc, char **argv) {
  /* Text in the user's locale for messages, but numbers always in C form. */
  setlocale(LC_ALL, "");
  setlocale(LC_NUMERIC, "C");
  gsl_set_error_handler_off();
  /* Large blocks (a design matrix of a million rows is hundreds of MB) from
   * the heap, kept after free: models fitted one after another reuse the
   * pages instead of mapping and faulting in fresh ones each time, which
   * cost more than the QR itself (bench/reform.sh). */
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  /* one arena: a thread's large block would otherwise land in its own
   * arena's fresh pages (three times the page faults with two threads) */
  mallopt(M_ARENA_MAX, 1);
  /* temporary outputs are removed on SIGINT/SIGTERM; ulimit -f gives EFBIG, not death */
  rs_atomic_guard_signals();
  GError *lerr = NULL;
  if (!take_limits(&argc, argv, &lerr)) {
    fprintf(stderr, "reformstat: %s\n", lerr->message);
    g_error_free(lerr);
    return 1;
  }
  if (argc < 2) {
    usage(stderr);
    return 1;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
    printf("reformstat %s\n", PACKAGE_VERSION);
    return 0;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
    if (strcmp(argv[1], commands[i].name) == 0) {
      char *prg = g_strdup_printf("reformstat %s", commands[i].name);
      g_set_prgname(prg);
      g_free(prg);
      return commands[i].run(argc - 1, argv + 1);
    }
  }
  fprintf(stderr, "reformstat: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 1;
}
