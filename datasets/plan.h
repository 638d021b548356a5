/* plan.h — the analysis plan: one GLib key file that names the inputs and
 * the analyses to run on them (`reformstat run`, the county report).
 *
 *   [plan]            title (title[en] for English), output, formats, lang, vintage, min_n
 *   [data.NAME]       path, codebook, weight, cluster, strata, and how to read the
 *                     file: delimiter, decimal, encoding, skip, input-format, max-field,
 *                     year-column
 *   [analysis.NAME]   command, data (a [data.*] NAME), then that command's options
 *   [report], [report.*]  kept for the county report (read with rs_plan_keyfile)
 *
 * Paths are relative to the plan file's directory.  Comments start with '#'
 * or ';' at the start of a line, or after white space at the end of one
 * ("adjust=holm   ; across items"); a value that itself contains " ;" must
 * be quoted with a backslash escape ("\;").  Every key and group may appear
 * once.
 *
 * Use: rs_plan_load() reads and checks everything a plan can get wrong
 * before any analysis runs — syntax (with the line), unknown groups and
 * keys, data groups that do not exist, files that do not exist (named with
 * their resolved path), and variables: every option value that names a
 * column (by, weight, cluster, covariates, numerator, …) is looked up in
 * the data file's header.  The data files are read once for this, which
 * also gives their SHA-256 and number of rows.  Whether a command exists is
 * the caller's business (the plan module knows no commands).
 */
#ifndef RS_PLAN_H
#define RS_PLAN_H

#include <glib.h>

#include "datasets/codebook.h"

typedef struct {
  char *key;     /* as written, with '_' turned into '-' ("post_column" → "post-column") */
  char *value;   /* GKeyFile's unescaped value, inline comment removed */
  long line;
} rs_plan_option;

typedef struct {
  char *name;          /* NAME of [data.NAME] */
  char *path;          /* resolved against the plan's directory */
  char *codebook;      /* resolved, or NULL */
  char *weight, *cluster, *strata;   /* column names, or NULL */
  GPtrArray *read;     /* rs_plan_option*: delimiter, decimal, encoding, skip, input-format,
                          max-field, year-column — given to every command that reads this file */
  long line;           /* of the group header */
  /* what rs_plan_load found in the file */
  char **columns;      /* header names, NULL-terminated */
  char sha256[65];
  long long rows;
  rs_codebook *cb;     /* the codebook, loaded and checked; NULL without one */
} rs_plan_data;

typedef struct {
  char *name;          /* NAME of [analysis.NAME] */
  char *command;
  char *data;          /* a [data.*] NAME */
  GPtrArray *options;  /* rs_plan_option*, in file order, without command and data */
  long line;           /* of the group header */
  long command_line, data_line;
} rs_plan_analysis;

typedef struct rs_plan rs_plan;

/* Reads, parses and checks the plan (see above).  NULL with err set on
 * the first problem: "plan.ini, line 31, group [analysis.outcomes]: data
 * 'famliy' is not a [data.*] group (the plan has: family, registry)". */
rs_plan *rs_plan_load(const char *path, GError **err);
void rs_plan_free(rs_plan *p);

const char *rs_plan_path(const rs_plan *p);
/* The plan file's directory, against which its paths are resolved. */
const char *rs_plan_dir(const rs_plan *p);
/* SHA-256 of the plan file's bytes. */
const char *rs_plan_sha256(const rs_plan *p);
/* title[LANG] when given, else title, else NULL. */
const char *rs_plan_title(const rs_plan *p, const char *lang);
/* [plan] output resolved against the plan's directory (default "reformstat-output"). */
const char *rs_plan_output(const rs_plan *p);
/* [plan] formats (default text,csv,json), NULL-terminated. */
const char *const *rs_plan_formats(const rs_plan *p);
const char *rs_plan_lang(const rs_plan *p);   /* "nb" (default) or "en" */
int rs_plan_vintage(const rs_plan *p);        /* 0 when not given */
int rs_plan_min_n(const rs_plan *p);          /* default 5 */

size_t rs_plan_n_data(const rs_plan *p);
const rs_plan_data *rs_plan_data_at(const rs_plan *p, size_t i);
/* The [data.NAME] group, or NULL. */
const rs_plan_data *rs_plan_data_get(const rs_plan *p, const char *name);
/* Does the data file have this column? */
gboolean rs_plan_data_has_column(const rs_plan_data *d, const char *column);

size_t rs_plan_n_analyses(const rs_plan *p);
const rs_plan_analysis *rs_plan_analysis_at(const rs_plan *p, size_t i);
/* An analysis option's value (key with '-' or '_'), or NULL. */
const char *rs_plan_analysis_option(const rs_plan_analysis *a, const char *key);

/* The parsed key file, for groups this module does not interpret
 * ([report], [report.*]).  Owned by the plan. */
GKeyFile *rs_plan_keyfile(const rs_plan *p);
/* "plan.ini, line 31, group [analysis.x]" — the prefix of every message
 * about a group (line 0: no line).  To free. */
char *rs_plan_where(const rs_plan *p, long line, const char *group);

#endif
