/* readstat_output.h — writing an rs_table as an SPSS (.sav, .zsav, .por),
 * Stata (.dta) or SAS (.sas7bdat) file with its labels, through ReadStat's
 * writer.
 *
 * What is written, per column: the variable label (label_nb), value labels,
 * the measure level (from the type: likert ordinal, category nominal, the
 * rest scale), dates as dates (SPSS DATE11, Stata %td).  Missing values:
 *   .sav/.por  declared missing codes and ranges become SPSS user-missing
 *              values and the cells keep their code (8, 9); an extended
 *              missing value (.a) has no SPSS form and is written
 *              system-missing;
 *   .dta       extended missing values keep their letter; a numeric
 *              missing code (8, 9) has no Stata form and becomes the
 *              letter of its place in the missing list (.a, .b …), with
 *              the code's value label;
 *   .sas7bdat  as .dta, with SAS's upper-case special missing values
 *              (.A, .B …);
 * other missing reasons (empty, SSB symbols) are system-missing.
 * A .sas7bdat file holds no value labels (SAS keeps them as formats in a
 * separate catalog, which is not written) and no measure level: both are
 * lost, as is the label of a missing code; variable labels and dates
 * (DATE9.) are kept.
 * .por files hold only SPSS's portable character set and names of at most
 * 8 characters: names are upper-cased, æøå transliterated (ø -> oe).
 * The file is written to a temporary name and renamed (atomic.h).
 */
#ifndef RS_READSTAT_OUTPUT_H
#define RS_READSTAT_OUTPUT_H

#include <glib.h>

#include "datasets/table.h"

typedef enum { RS_OUTPUT_SAV, RS_OUTPUT_ZSAV, RS_OUTPUT_POR, RS_OUTPUT_DTA, RS_OUTPUT_SAS7BDAT } rs_output_format;

/* lang: "nb" or "en", which labels to write.  Fails with a sentence naming
 * the column when a name or value does not fit the format (e.g. a Stata
 * name longer than 32 characters, or one SAS reserves). */
gboolean rs_readstat_write(const rs_table *t, const char *path, rs_output_format fmt, const char *lang, GError **err);

#endif
