/* error.h — errors and problem lists shared by every module.
 *
 * A failure is a GError in the RS_ERROR domain whose message is a complete
 * sentence naming file, line and column ("sample.csv: line 214, column 'q3':
 * '7' is outside the scale 1–5 declared in the codebook").  `validate`
 * collects many problems instead of stopping at the first: those go into an
 * rs_diag list with the same fields kept apart for machine output.
 */
#ifndef RS_ERROR_H
#define RS_ERROR_H

#include <glib.h>
#include <stddef.h>

#define RS_ERROR (rs_error_quark())
GQuark rs_error_quark(void);

typedef enum {
  RS_ERROR_IO = 1,       /* cannot open, read or write a file */
  RS_ERROR_ENCODING,     /* bytes that are not text in the file's encoding */
  RS_ERROR_PARSE,        /* CSV structure: quotes, ragged rows, header */
  RS_ERROR_VALUE,        /* a cell that does not fit its column */
  RS_ERROR_CODEBOOK,     /* the codebook itself, or codebook vs data */
  RS_ERROR_USAGE,        /* bad option or argument */
  RS_ERROR_LIMIT,        /* a documented resource limit was reached */
  RS_ERROR_INTERNAL      /* a bug: exit status 2 */
} rs_error_code;

/* Exit status for a command that failed with `err`: 1 bad input/usage, 2 internal. */
int rs_error_exit_status(const GError *err);

typedef enum { RS_SEVERITY_WARNING, RS_SEVERITY_ERROR } rs_severity;

typedef struct {
  rs_severity severity;
  rs_error_code code;
  char *file;      /* may be NULL */
  long line;       /* physical line, 1-based; 0 when not about a line */
  char *column;    /* column name; NULL when not about a column */
  char *value;     /* offending value (UTF-8, shortened); may be NULL */
  char *message;   /* the sentence, without file/line prefix */
} rs_problem;

typedef struct {
  GPtrArray *items;  /* of rs_problem* */
  size_t n_errors;
  size_t n_warnings;
  size_t max_items;  /* beyond this, problems are counted but not stored */
  size_t n_dropped;
} rs_diag;

rs_diag *rs_diag_new(void);
void rs_diag_free(rs_diag *d);
void rs_diag_clear(rs_diag *d);
void rs_diag_add(rs_diag *d, rs_severity sev, rs_error_code code, const char *file,
                 long line, const char *column, const char *value,
                 const char *fmt, ...) G_GNUC_PRINTF(8, 9);
/* "FILE: line L, column 'C': MESSAGE" — the one way a problem is printed. */
char *rs_problem_format(const rs_problem *p);
/* Turn a problem into a GError with the same text. */
void rs_problem_to_error(const rs_problem *p, GError **err);
/* Shorten a value for a message: at most `max` characters, valid UTF-8,
 * control characters shown as \xNN. */
char *rs_error_quote_value(const char *s, size_t len, size_t max);

#endif
