/* privacy.h — respondent ids and free-text answers stay out of outputs
 * (issue 10.6).
 *
 * A column of type id (respondent_id, case_id, coordinator_id …) or of
 * type string (free text, such as a comment field) is used by the analyses
 * — ids to pair and cluster rows, text only counted — but its values are
 * never written to an output: not as a group or a factor level, not as a
 * level counted by describe, not as a column of indexes --data-out.  Two
 * options of every command lift this when it is asked for explicitly:
 *
 *   --keep-ids       values of id columns may be written
 *   --include-text   values of string (free-text) columns may be written
 *
 * `convert` copies a dataset, ids and text included: converting the data is
 * the explicit request (README, "Privacy").  As with limits.h these are
 * process-wide settings that main() makes once before any work.
 */
#ifndef RS_PRIVACY_H
#define RS_PRIVACY_H

#include <glib.h>
#include <stdbool.h>

#include "datasets/table.h"

void rs_privacy_set(bool keep_ids, bool include_text);
/* May the values of column c appear in an output? */
bool rs_privacy_values_allowed(const rs_column *c);
/* FALSE (RS_ERROR_USAGE) when c's values may not appear in an output;
 * `use` says how the command would show them ("--by", "factor() in the
 * formula y ~ factor(id)"), and the message names the option that allows it. */
gboolean rs_privacy_check(const rs_table *t, const rs_column *c, const char *use, GError **err);
/* The same for a column given by name (absent columns pass: the command
 * reports them itself). */
gboolean rs_privacy_check_name(const rs_table *t, const char *name, const char *use, GError **err);
/* A view of t without the columns whose values may not be written (the
 * columns are shared with t: free the view with rs_privacy_view_free, never
 * rs_table_free).  *dropped (optional) gets their names, comma-separated
 * (to free; NULL when none). */
rs_table *rs_privacy_view(const rs_table *t, char **dropped);
void rs_privacy_view_free(rs_table *view);

#endif
