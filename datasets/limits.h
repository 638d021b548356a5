/* limits.h — the resource limits that keep a huge input from taking the
 * machine down (issue 10): a memory budget and a largest number of levels
 * for a grouping or factor.
 *
 *   --max-memory SIZE   (any command; or $REFORMSTAT_MAX_MEMORY) default:
 *                       3/4 of the physical memory, or of the cgroup's
 *                       memory.max when that is smaller
 *   --max-levels N      (any command; or $REFORMSTAT_MAX_LEVELS) default
 *                       10000 distinct values of a column used to group
 *                       rows or as factor() in a formula
 *
 * The limits are process-wide settings, not mutable state threaded through
 * every analysis: main() sets them once from the command line before any
 * work (as rs_table_threads() reads $REFORMSTAT_THREADS), and nothing
 * changes them afterwards.  The checks are made before the allocation they
 * guard (the table's columns, a design matrix), so the command stops with
 * an RS_ERROR_LIMIT message that names the limit and how to raise it,
 * instead of the machine swapping or the kernel killing the process.
 */
#ifndef RS_LIMITS_H
#define RS_LIMITS_H

#include <glib.h>
#include <stddef.h>

#define RS_LIMITS_DEFAULT_MAX_LEVELS 10000

/* Sets the limits; 0 keeps a limit at its default ($REFORMSTAT_MAX_* or
 * the built-in default). */
void rs_limits_set(size_t max_memory, size_t max_levels);
/* The memory budget in bytes. */
size_t rs_limits_max_memory(void);
/* The largest number of levels a grouping or factor may have. */
size_t rs_limits_max_levels(void);

/* Parses "2G", "512M", "1.5GiB", "800k", "1000000" (bytes; K/M/G/T are
 * powers of 1024, with or without "B"/"iB").  FALSE with err on anything
 * else or on zero. */
gboolean rs_limits_parse_size(const char *s, size_t *bytes, GError **err);
/* "1.5 GiB" (to free). */
char *rs_limits_format_size(size_t bytes);

/* FALSE (RS_ERROR_LIMIT, "WHAT needs about X, more than the memory limit of
 * Y (--max-memory)") when `bytes` exceeds the budget.  `what` says what
 * would be allocated ("family.csv: 2,000,000 rows × 30 columns"). */
gboolean rs_limits_check_memory(double bytes, const char *what, GError **err);
/* FALSE (RS_ERROR_LIMIT) when `levels` exceeds --max-levels.  `what` names
 * the column and its use ("family.csv: factor(respondent_id)"). */
gboolean rs_limits_check_levels(size_t levels, const char *what, GError **err);

#endif
