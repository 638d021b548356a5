/* reader.h — the delimited-text reader core (on libcsv).
 *
 * Knows nothing about what the caller does with the cells (ReadStat's
 * model): it finds the encoding, delimiter, decimal mark and header row,
 * converts the text to UTF-8 and streams fields to callbacks that return 0
 * to continue or non-zero to stop.  The table builder (load.h) sits on the
 * other side; `validate` and `describe` share it.
 *
 * Use:  rs_reader_open()  — reads the whole file once to settle the
 *                           encoding, then sniffs the first 64 KiB;
 *       rs_reader_sniffed() — what was detected (for reports and --verbose);
 *       rs_reader_run()     — streams every row; may be called again for a
 *                           second pass;
 *       rs_reader_free().
 */
#ifndef RS_READER_H
#define RS_READER_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
  char delimiter;         /* 0: detect among ; , TAB | */
  char decimal;           /* 0: detect ('.' or ',') */
  const char *encoding;   /* NULL or "auto": detect; "utf-8", "windows-1252", "iso-8859-1" */
  int skip;               /* -1: detect title lines above the header; else skip N lines */
  bool header;            /* the first row (after skipping) names the columns */
  size_t max_field;       /* longest field accepted, bytes (0: 16 MiB) */
  bool sha256;            /* compute the SHA-256 of the input while reading it */
} rs_read_options;

void rs_read_options_init(rs_read_options *o);

typedef struct {
  char delimiter;
  char decimal;
  const char *encoding;   /* "utf-8", "windows-1252", "iso-8859-1", "utf-16le", "utf-16be" */
  bool bom;
  bool crlf;
  bool cr;                /* old Mac line ends: CR alone */
  int skipped;            /* physical lines skipped above the header */
  char *title;            /* the first non-empty skipped line (SSB table title), or NULL */
  bool decimal_detected, delimiter_detected;
  long long bytes;        /* size of the input in bytes */
  double bytes_per_row;   /* average over the sniffed sample (to size arrays) */
  char sha256[65];        /* of the input's bytes, when options.sha256 asked for it */
} rs_sniff;

typedef struct {
  /* One field.  `row` is 0 for the header when options.header; data rows
   * count from 1, with or without a header.  `text` is UTF-8 and
   * NUL-terminated; `line` is the physical line on which the field ended. */
  int (*field)(void *ctx, size_t row, size_t col, const char *text, size_t len, long line);
  /* End of a row of `nfields` fields that began on physical line `line`. */
  int (*row_end)(void *ctx, size_t row, size_t nfields, long line);
} rs_reader_callbacks;

typedef struct rs_reader rs_reader;

/* path "-" reads standard input (kept in memory). */
rs_reader *rs_reader_open(const char *path, const rs_read_options *opt, GError **err);
const rs_sniff *rs_reader_sniffed(const rs_reader *r);
const char *rs_reader_path(const rs_reader *r);
/* Returns 0 on success, -1 on error (err set by the reader), or the
 * callback's non-zero value when a callback stopped the run (err is then
 * the callback's business). */
int rs_reader_run(rs_reader *r, const rs_reader_callbacks *cb, void *ctx, GError **err);
void rs_reader_free(rs_reader *r);

/* Parallel reading of large simple files.  A file without any quote
 * character, UTF-8, with LF or CRLF line ends can be cut at line ends and
 * the pieces parsed at the same time (rs_reader_run_range is thread-safe
 * for different ranges).  Use: rs_reader_run() with a callback that stops
 * after some rows; rs_reader_stop_position() tells where it stopped;
 * rs_reader_plan_ranges() cuts the rest and counts each range's rows;
 * one rs_reader_run_range() per range, rows numbered from `first_row`. */
#define RS_READER_MAX_RANGES 16
typedef struct {
  long long start, end;   /* byte offsets */
  long first_line;        /* physical line at start */
  size_t rows;            /* non-blank lines in the range */
} rs_reader_range;

bool rs_reader_can_split(const rs_reader *r);
void rs_reader_stop_position(const rs_reader *r, long long *offset, long *line);
size_t rs_reader_plan_ranges(rs_reader *r, long long from, long line, rs_reader_range *ranges, size_t nparts,
                             GError **err);
int rs_reader_run_range(rs_reader *r, const rs_reader_range *rg, size_t first_row, const rs_reader_callbacks *cb,
                        void *ctx, GError **err);

/* Small files (codebooks, code tables): every cell as a string.
 * rows[i] is a NULL-terminated string vector; lines[i] its physical line. */
typedef struct {
  char **header;        /* NULL-terminated; NULL when options.header is false */
  GPtrArray *rows;      /* of char** */
  GArray *lines;        /* of long */
  rs_sniff sniffed;     /* title is not kept */
} rs_text_table;

rs_text_table *rs_reader_read_text(const char *path, const rs_read_options *opt, GError **err);
void rs_text_table_free(rs_text_table *t);
/* Index of a header name (case-insensitive, trimmed), or -1. */
int rs_text_table_column(const rs_text_table *t, const char *name);

/* Human-readable name of a delimiter: "semicolon", "comma", "tab", "pipe". */
const char *rs_reader_delimiter_name(char d);

#endif
