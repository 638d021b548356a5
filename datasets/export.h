/* export.h — writing a table back out as CSV, and its codebook.
 *
 * rs_export_csv() writes every cell as the CSV reader reads it back: dates
 * ISO 2022-08-01, numbers so they round-trip exactly, missing values by
 * their reason (empty; the code itself, 8 or .a; the SSB symbols . .. ... :),
 * SSB '-' and '123*' as written.  Style RS_CSV_EXCEL_NB is what Norwegian
 * Excel opens directly: ';', decimal comma, Windows-1252, CRLF.
 *
 * rs_export_codebook() writes the codebook of a table in DESIGN.md's
 * format (name,label_nb,label_en,type,min,max,reverse,missing,values,index):
 * the file's own metadata for SPSS/Stata/SAS files, the inferred types for
 * a CSV file read without a codebook.
 *
 * Both write atomically (atomic.h).
 */
#ifndef RS_EXPORT_H
#define RS_EXPORT_H

#include <glib.h>

#include "datasets/table.h"

typedef enum { RS_CSV_PLAIN, RS_CSV_EXCEL_NB } rs_csv_style;

gboolean rs_export_csv(const rs_table *t, const char *path, rs_csv_style style, GError **err);
gboolean rs_export_codebook(const rs_table *t, const char *path, GError **err);

#endif
