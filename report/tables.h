/* tables.h — the county report's tables as CSV and as an Excel workbook.
 *
 * Step 5 of the sequence in report/disclosure.h: a table that has been
 * through rs_disclosure_suppress() is written here, beside the PDF.  Both
 * writers print a cell exactly as the PDF does — ':' suppressed, '-' zero,
 * '.' no value — and never the value, CI or n of a suppressed cell (they stay
 * in the struct only for the greedy choice).
 *
 * Safety net: both writers refuse (FALSE, RS_ERROR_INTERNAL, nothing
 * written) a table that
 *   - has not been through rs_disclosure_suppress() (t->min_n <= 0), or
 *   - fails rs_disclosure_audit(t, t->min_n) (a suppressed value derivable,
 *     a published value on 0 < n < min_n, a '-' that is not a zero count).
 * So the content code must suppress every table, even one of public figures
 * only (cells with n = RS_N_PUBLIC are never suppressed anyway).
 *
 * Output is atomic (datasets/atomic.h): a temporary file beside PATH that is
 * renamed over it only when everything was written; on any failure no file
 * (and no temporary) is left and an earlier file at PATH is unchanged.
 * PATH "-" writes to standard output.
 *
 * lang is "nb" (default when NULL) or "en"; anything else is a usage error.
 * Errors are GErrors in the RS_ERROR domain naming the path or the table.
 */
#ifndef RS_TABLES_H
#define RS_TABLES_H

#include <glib.h>
#include <stddef.h>

#include "report/disclosure.h"

/* One CSV file per published table.
 *
 * Dialects:
 *   "nb": ';' delimiter, decimal comma, UTF-8 with BOM, CRLF line ends —
 *         Norwegian Excel opens it directly, R reads it with
 *         read.csv2(path, fileEncoding = "UTF-8-BOM").
 *   "en": ',' delimiter, decimal point, UTF-8 without BOM, LF line ends —
 *         read.csv(path).
 *
 * Layout: ONE header row of machine names, then one line per table row, in
 * table order (totals where the table has them).  No title, no labels row,
 * no notes: those go in the PDF and the xlsx, so that a program can read
 * the file without skipping lines.  Columns:
 *   "code"            the row code (kommune/fylke number, kept as text, e.g.
 *                     "0301"; empty when the row has none) — only when
 *                     t->code_header != NULL;
 *   "label"           the row label ("Bergen", "Vestland i alt");
 *   <key>             per table column, its value;
 *   <key>_lower, <key>_upper   per table column with has_ci, the CI limits.
 * The names "code" and "label" are the same in both languages, so a script
 * works on either file.
 *
 * Cells: the text of rs_pubtable_cell_text() — ':' '-' '.' or the number
 * rounded to the column's decimals — except that numbers carry NO thousands
 * separator and an ASCII '-' for minus (the PDF's no-break space and U+2212
 * would make Excel and R read text instead of numbers); "nb" then puts ','
 * for the decimal point.  A field is quoted ("…", "" for a quote) only when it
 * holds the delimiter, a quote, CR or LF. */
gboolean rs_tables_write_csv(const rs_pubtable *t, const char *path, const char *lang, GError **err);

/* The CSV text itself (what rs_tables_write_csv() writes), for tests and for
 * callers that bundle files themselves.  Same checks; NULL with err on failure.
 * *len gets the length (the text holds no NUL).  g_free. */
char *rs_tables_csv_text(const rs_pubtable *t, const char *lang, size_t *len, GError **err);

/* One Excel workbook (libxlsxwriter), one sheet per table in the given order,
 * then a last sheet "Tegnforklaring" (nb) / "Symbols" (en).
 *
 * Sheet name: t->id with characters Excel forbids ([ ] : * ? / \) replaced
 * by '_', cut to 31 characters; a name already used (Excel compares without
 * case) gets "_2", "_3", … (cut further to stay within 31).
 *
 * Each table sheet:
 *   row 1   t->title (bold);
 *   row 2   header: t->code_header (when set), t->stub, then per column its
 *           label with the unit in brackets ("Medhold (%)"), and for has_ci
 *           columns two more: "<label>, nedre KI-grense" / "øvre KI-grense"
 *           (en: "<label>, CI lower" / "CI upper");
 *   row 3…  one row per table row: the code as TEXT (keeps leading zeros),
 *           the label, then numbers as NUMBERS with the number format
 *           "#,##0" plus the column's decimals (Excel shows them with the
 *           reader's own decimal and thousands separators); ':' '-' '.' as
 *           TEXT, right-aligned; total and subtotal rows bold;
 *   after one empty row, t->notes, one per row.
 * Panes are frozen under the header.
 *
 * The symbols sheet explains ':' (with the tables' min_n: "færre enn 5
 * personer"), '-' and '.'.  ntables may be 0 (the workbook then holds only
 * the symbols sheet). */
gboolean rs_tables_write_xlsx(rs_pubtable *const *tables, size_t ntables, const char *path, const char *lang,
                              GError **err);

/* Excel sheet names the workbook gets for tables[0..ntables-1], followed by
 * the symbols sheet's name (ntables + 1 strings, NULL-terminated; g_strfreev).
 * The content code can use them to refer to a sheet in the PDF ("see sheet
 * kommunetabell in …xlsx"). */
char **rs_tables_sheet_names(rs_pubtable *const *tables, size_t ntables, const char *lang);

#endif
