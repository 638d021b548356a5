/* readstat_input.h — SPSS (.sav, .zsav, .por), Stata (.dta 104–119) and SAS
 * (.sas7bdat) files into the same rs_table as a CSV file, through ReadStat.
 *
 * ReadStat's parser emits callbacks (metadata, variable, value, value
 * label); this module turns them into typed columns and builds a codebook
 * from the file's metadata: variable labels (label_nb), value labels,
 * SPSS user-missing values and ranges, Stata/SAS extended missing values
 * .a–.z, measure level, and Likert scales recognised from value labels.
 * The table owns that codebook (rs_table.codebook) and each column's `var`
 * points into it.  A codebook given with --codebook overrides it variable
 * by variable.
 *
 * Missing cells: system-missing is RS_MISS_EMPTY; a user-missing value
 * (SPSS 8, 9) is RS_MISS_CODE with the value kept in num[]; an extended
 * missing value (.a) is RS_MISS_CODE with num[] a NaN that carries the
 * letter (rs_missing_tag / rs_missing_tagged below).
 *
 * Built without ReadStat, every entry point fails with a sentence saying
 * so ("reading .sav files needs reformstat built with ReadStat …").
 */
#ifndef RS_READSTAT_INPUT_H
#define RS_READSTAT_INPUT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "datasets/load.h"
#include "datasets/table.h"

typedef enum {
  RS_INPUT_CSV = 0, RS_INPUT_SAV, RS_INPUT_POR, RS_INPUT_DTA, RS_INPUT_SAS7BDAT, RS_INPUT_N
} rs_input_format;

/* "csv", "sav" (also .zsav), "por", "dta", "sas7bdat". */
const char *rs_input_format_name(rs_input_format f);
/* From a --input-format name (NULL or "auto": from the extension of path;
 * anything unknown is CSV).  -1 with err set when the name is unknown. */
int rs_input_format_choose(const char *name, const char *path, GError **err);
/* True when reformstat was built with ReadStat. */
bool rs_readstat_available(void);

/* Reads the file into a table whose codebook comes from the file's
 * metadata, overridden by o->codebook where it names a variable.  Problems
 * with the values (against --codebook) go to o->diag when given.  A file
 * that is not what its format says, or is damaged, is an error naming the
 * file and what went wrong.  *how (optional, to free) says what the file
 * was ("SPSS .sav file version 2, windows-1252 text, 12 variables, 40 rows"). */
rs_table *rs_readstat_read(const char *path, rs_input_format fmt, const rs_load_options *o, char **how,
                           GError **err);

/* Extended missing values (.a–.z): a quiet NaN whose low byte is the
 * letter.  rs_missing_tag() gives the letter, or 0 for any other number. */
static inline double rs_missing_tagged(char tag) {
  uint64_t bits = UINT64_C(0x7ff8000000000000) | (uint64_t)(unsigned char)tag | UINT64_C(0x0000525300000000);
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}
static inline char rs_missing_tag(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  if ((bits & UINT64_C(0x7fffffffffffff00)) != UINT64_C(0x7ff8525300000000)) return 0;
  char c = (char)(bits & 0xff);
  return c >= 'a' && c <= 'z' ? c : 0;
}

#endif
