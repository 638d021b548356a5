/* validate.c — `reformstat validate DATA [--codebook CB]`: every problem in
 * a data file, one per line, and exit status 1 if any is an error. */
#include "cli/cli.h"
#include "datasets/codebook.h"
#include "datasets/atomic.h"
#include "datasets/error.h"

#include <stdio.h>

int rs_cmd_validate(int argc, char **argv) {
  rs_cli_common c = {0};
  GOptionContext *ctx = g_option_context_new("DATA - check a data file (and its codebook) and list every problem");
  g_option_context_set_summary(ctx,
    "Reads DATA as the other commands would and reports every problem found: the row\n"
    "(physical line), the column, the value and what was expected.  Without --codebook\n"
    "the column types are inferred and listed.  Exit status: 0 no errors (warnings\n"
    "allowed), 1 errors found or the file cannot be read.");
  rs_cli_add_read_options(ctx, &c);
  rs_cli_add_output_options(ctx, &c);
  GError *err = NULL;
  int status = 0;
  rs_codebook *cb = NULL;
  rs_diag *diag = NULL;
  rs_table *t = NULL;
  rs_results *res = NULL;
  rs_sniff sn = {0};
  char *recode_note = NULL;
  if (!rs_cli_parse(ctx, &argc, &argv, &err)) goto fail;
  if (argc != 2) {
    g_set_error(&err, RS_ERROR, RS_ERROR_USAGE, "give exactly one data file (see --help)");
    goto fail;
  }
  if (!rs_cli_check_format(&c, &err)) goto fail;
  rs_load_options o;
  if (!rs_cli_load_options(&c, &o, &cb, &err)) goto fail;
  diag = rs_diag_new();
  o.diag = diag;
  t = rs_load_table(argv[1], &o, &sn, &err);
  if (!t) goto fail;
  if (!rs_cli_recode(&c, t, diag, &recode_note, &err)) goto fail;

  res = rs_results_new("validate");
  rs_results_add_input(res, argv[1], sn.sha256, (long long)t->nrows);
  for (guint i = 0; i < diag->items->len; i++) {
    const rs_problem *p = g_ptr_array_index(diag->items, i);
    rs_record *rec = rs_results_add(res);
    rs_record_str(rec, "severity", p->severity == RS_SEVERITY_ERROR ? "error" : "warning");
    if (p->line > 0) rs_record_int(rec, "line", p->line);
    rs_record_str(rec, "column", p->column);
    rs_record_str(rec, "value", p->value);
    rs_record_str(rec, "message", p->message);
  }
  char *how = rs_load_describe_sniff(&sn);
  char *summary = g_strdup_printf("%s: %zu row%s, %zu column%s; %zu error%s, %zu warning%s. Read as %s.", argv[1],
                                  t->nrows, t->nrows == 1 ? "" : "s", t->ncols, t->ncols == 1 ? "" : "s",
                                  diag->n_errors, diag->n_errors == 1 ? "" : "s",
                                  diag->n_warnings, diag->n_warnings == 1 ? "" : "s", how);
  g_free(how);
  if (diag->n_dropped) {
    char *more = g_strdup_printf("%zu further problems were counted but not listed.", diag->n_dropped);
    rs_results_add_note(res, more);
    g_free(more);
  }
  rs_results_add_note(res, summary);
  if (recode_note) rs_results_add_note(res, recode_note);
  if (!cb) {
    GString *types = g_string_new(t->codebook ? "No codebook: types from the file's dictionary: "
                                              : "No codebook: types inferred from the data: ");
    for (size_t j = 0; j < t->ncols; j++)
      g_string_append_printf(types, "%s%s=%s", j ? ", " : "", t->cols[j].name, rs_type_name(t->cols[j].type));
    g_string_append_c(types, '.');
    rs_results_add_note(res, types->str);
    g_string_free(types, TRUE);
  }
  gboolean text = !c.format || g_ascii_strcasecmp(c.format, "text") == 0;
  if (text) {
    /* plain lines a person reads top to bottom */
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < diag->items->len; i++) {
      const rs_problem *p = g_ptr_array_index(diag->items, i);
      char *line = rs_problem_format(p);
      g_string_append_printf(out, "%s: %s\n", p->severity == RS_SEVERITY_ERROR ? "error" : "warning", line);
      g_free(line);
    }
    g_string_append_printf(out, "%s\n", summary);
    if (recode_note) g_string_append_printf(out, "%s\n", recode_note);
    if (!cb) {
      g_string_append(out, t->codebook ? "No codebook given; types from the file's dictionary:\n"
                                       : "No codebook given; inferred types:\n");
      for (size_t j = 0; j < t->ncols; j++)
        g_string_append_printf(out, "  %-24s %s\n", t->cols[j].name, rs_type_name(t->cols[j].type));
    }
    if (!rs_atomic_write(c.output ? c.output : "-", out->str, (gssize)out->len, &err)) {
      g_string_free(out, TRUE);
      g_free(summary);
      goto fail;
    }
    g_string_free(out, TRUE);
  } else if (!rs_cli_write_results(&c, res, &err)) {
    g_free(summary);
    goto fail;
  }
  g_free(summary);
  status = diag->n_errors ? 1 : 0;
  goto done;
fail:
  status = rs_cli_fail("validate", err);
done:
  rs_results_free(res);
  rs_table_free(t);
  rs_diag_free(diag);
  rs_codebook_free(cb);
  g_free(sn.title);
  g_option_context_free(ctx);
  rs_cli_common_clear(&c);
  g_free(recode_note);
  return status;
}
