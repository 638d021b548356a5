/* recode.h — kommune codes of a table mapped to one vintage.
 *
 * A 2019 wave and a 2024 wave compare the same places only when their
 * kommune codes are read in one set of codes.  rs_recode_kommuner() maps
 * every kommune column of a table to the vintage asked for (renumbering
 * and mergers directly), reports codes that exist in no vintage as errors
 * naming the row, and treats a split kommune (Ålesund/Haram 2024) as an
 * error unless the caller aggregates to fylke.
 */
#ifndef RS_RECODE_H
#define RS_RECODE_H

#include <glib.h>
#include <stdbool.h>

#include "datasets/error.h"
#include "datasets/kommune.h"
#include "datasets/table.h"

typedef struct {
  int vintage;              /* target year (2019, 2020–2023 → 2020 set, 2024+); 0: only check the codes */
  const char *year_column;  /* column giving each row's year (its codes' vintage), or NULL */
  bool aggregate_fylke;     /* replace kommune codes by the target vintage's fylke code */
} rs_recode_options;

/* Returns FALSE with err set on the first error when diag is NULL; with a
 * diag list every problem is added there and TRUE is returned. */
gboolean rs_recode_kommuner(rs_table *t, const rs_refdata *ref, const rs_recode_options *o, rs_diag *diag,
                            GError **err);

#endif
