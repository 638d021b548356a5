/* results.h — a table of results and its writers (text, CSV, JSON,
 * Markdown, LaTeX).
 *
 * Every command builds one rs_results: the inputs it read (path, SHA-256,
 * rows), the seed if it used one, and records of named fields.  The JSON
 * writer follows DESIGN.md's contract; a field that does not apply is left
 * out of the record (never written as 0 or NaN), and the CSV writer leaves
 * the cell empty.
 */
#ifndef RS_RESULTS_H
#define RS_RESULTS_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

typedef enum { RS_FORMAT_TEXT, RS_FORMAT_CSV, RS_FORMAT_JSON, RS_FORMAT_MD, RS_FORMAT_LATEX } rs_format;

/* -1 for an unknown name. */
int rs_format_from_name(const char *name);

typedef struct rs_record rs_record;
typedef struct rs_results rs_results;

rs_results *rs_results_new(const char *command);
void rs_results_free(rs_results *r);
void rs_results_add_input(rs_results *r, const char *path, const char *sha256, long long rows);
void rs_results_set_seed(rs_results *r, unsigned long seed);
void rs_results_set_title(rs_results *r, const char *title);
/* A note printed under text/Markdown tables and as "notes" in JSON. */
void rs_results_add_note(rs_results *r, const char *note);

/* Records added after this belong to a new section: text, Markdown and
 * LaTeX print each section as its own table (CSV and JSON: one list). */
void rs_results_section(rs_results *r, const char *title);

rs_record *rs_results_add(rs_results *r);
void rs_record_str(rs_record *rec, const char *key, const char *value);  /* NULL: omitted */
void rs_record_num(rs_record *rec, const char *key, double value);       /* NaN/inf: omitted */
void rs_record_int(rs_record *rec, const char *key, long long value);

size_t rs_results_count(const rs_results *r);

/* Writes the whole results in `format`; returns false on a write error. */
bool rs_results_write(const rs_results *r, FILE *fp, rs_format format);

#endif
