/* load.h — reading a data file into an rs_table, with or without a codebook.
 *
 * Sits between the reader core (reader.h) and the table: converts each cell
 * to its column's type, records missing reasons, checks the codebook's
 * types, ranges and codes, and infers types where no codebook says.
 * With a diag list every problem is collected (`validate`); without one the
 * first error stops the load (`describe` and the analyses).
 */
#ifndef RS_LOAD_H
#define RS_LOAD_H

#include <glib.h>

#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/reader.h"
#include "datasets/table.h"

typedef struct {
  rs_read_options read;
  const rs_codebook *codebook;   /* may be NULL */
  rs_diag *diag;                 /* NULL: stop at the first error */
  const char *const *require;    /* column names that must be present (NULL-terminated), or NULL */
  const char *const *only;       /* read just these columns (NULL-terminated; others are skipped
                                    unparsed, names not in the file ignored here), or NULL for all */
  bool quiet;                    /* no progress on stderr */
  const char *input_format;      /* NULL/"auto": by extension; "csv", "sav", "por", "dta", "sas7bdat" (readstat_input.h) */
} rs_load_options;

void rs_load_options_init(rs_load_options *o);

/* SPSS, Stata and SAS files (by extension or o->input_format) are read
 * through ReadStat (readstat_input.h); for them *sniffed has delimiter 0
 * and its title says what the file was.
 * Returns the table, or NULL with err set.  With o->diag, returns the
 * table (possibly partial) unless the file could not be read at all;
 * the caller decides from diag->n_errors.  *sniffed (optional) receives a
 * copy of what the reader detected. */
rs_table *rs_load_table(const char *path, const rs_load_options *o, rs_sniff *sniffed, GError **err);

/* A one-paragraph description of how the file was read, for --verbose and
 * reports ("semicolon-delimited, decimal comma, Windows-1252, CRLF, 2 title lines skipped"). */
char *rs_load_describe_sniff(const rs_sniff *s);

#endif
