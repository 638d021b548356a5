/* casetables.h — Statsforvalteren's own cases for one fylke, as published
 * tables (issue 8, item 4): complaints on barnekoordinator, koordinator and
 * individuell plan by kommune and year, their outcomes and processing time
 * against the four-week deadline, and tilsyn with lovbrudd found.
 *
 * Input: the cases dataset (datasets/sample/cases.csv with its codebook,
 * loaded by rs_load_table), one row per case:
 *   case_type        1 = klage (complaint), 2 = tilsyn (inspection)
 *   fylke, kommune   2024 codes ("46", "4601"); a missing fylke is taken
 *                    from the kommune's first two digits
 *   subject          1 = barnekoordinator, 2 = koordinator, 3 = individuell
 *                    plan (more codes: labels from the codebook)
 *   date_received, date_decided (empty: still open)
 *   processing_days  (when missing: date_decided − date_received)
 *   outcome          complaints: 1 upheld (tatt til følge), 2 not upheld,
 *                    3 quashed and sent back (opphevet og sendt tilbake)
 *   lovbrudd         tilsyn: number of breaches found (0: none)
 * A missing column, a column of the wrong kind, or a case_type / subject /
 * outcome code outside these is an error naming file, line and column.
 *
 * The three tables (ids, in this order; every one is suppressed with min_n
 * by rs_disclosure_suppress and proven by rs_disclosure_audit — do NOT
 * suppress them again; write them with report/tables.h or
 * rs_pubtable_cell_text):
 *
 *  "saker-klager-kommune"  complaints received, by kommune.
 *      Rows: the fylke's kommuner in code order (code column "Kommunenr."),
 *      "Uoppgitt kommune" when some complaint has none, then the total row
 *      "<Fylke> i alt" (code = fylke code, role TOTAL).
 *      Columns: one per year received ("mottatt_2019" … label "2019"), then
 *      "mottatt_i_alt" (role TOTAL), then one per subject
 *      ("tema_barnekoordinator", "tema_koordinator", "tema_individuell_plan").
 *      "I alt" is both the sum of the years and the sum of the subjects: one
 *      table, so one suppression pattern protects both breakdowns.
 *  "saker-klager-utfall"   complaints decided, by year DECIDED and by subject.
 *      Rows: years ("2019" …), then the subjects, then "Alle klager" (TOTAL).
 *      Two partitions of the same complaints, each summing to the total row
 *      (a note says so).  Columns: avgjort (TOTAL role), medhold,
 *      ikke_medhold, opphevet (counts; avgjort = their sum), medhold_pst
 *      (share upheld, %), dager_median, dager_snitt (processing days),
 *      innen_4_uker_pst (% decided within 28 days of receipt).
 *  "saker-tilsyn"          tilsyn by year OPENED and by subject.
 *      Rows as above, total "Alle tilsyn".  Columns: tilsyn (opened, TOTAL
 *      role), avsluttet (closed), pagaende (still open), med_lovbrudd,
 *      uten_lovbrudd (closed with / without breaches), lovbrudd (number of
 *      breaches; n = tilsyn with breaches), med_lovbrudd_pst (% of closed).
 *
 * Years: every year from the earliest to the latest date (received or
 * decided) in the WHOLE cases table, so all fylker show the same years and
 * a year without cases shows '-'.
 *
 * Disclosure: a cell's n is the number of cases it is built on (a count's n
 * is the count; a share's, mean's or median's n is its denominator).  The
 * relations tie totals to parts (sums over kommuner, years and subjects;
 * n-weighted means), the outcome counts to "avgjort", and each share to its
 * count (medhold = avgjort/100 × medhold_pst), so a share is suppressed
 * whenever its count would otherwise follow from it.  The notes under the
 * tables never contain numbers from the data.
 *
 * A fylke with no cases (or a code not in the data): the same three tables,
 * every count '-' and every share/mean '.', and as FIRST note of each table
 * a sentence saying that there were none, e.g. "Statsforvalteren har ikke
 * registrert noen klager om barnekoordinator, koordinator eller individuell
 * plan i Vestland i 2019–2025." (en: "The county governor registered no
 * complaints about … in Vestland in 2019–2025.").  rs_casetables_count()
 * tells the report beforehand, so it can print that sentence in the text
 * instead of (or beside) the empty tables.
 */
#ifndef RS_CASETABLES_H
#define RS_CASETABLES_H

#include <glib.h>
#include <stddef.h>

#include "datasets/kommune.h"
#include "datasets/table.h"
#include "report/disclosure.h"

typedef struct {
  /* "Vestland": in titles and in the total row ("Vestland i alt").  NULL:
   * the name from ref (2024 fylker), else "fylke 46". */
  const char *fylke_name;
  /* code ("4601") -> name ("Bergen"), e.g. the registry's kommune_name.
   * NULL: names from ref (2024 kommuner), else the code is the label. */
  GHashTable *kommune_names;
  /* The fylke's kommune codes (NULL-terminated): every one gets a row,
   * '-' when it had no complaints.  NULL: the kommuner of ref's 2024 set in
   * this fylke; without ref only the kommuner that occur in the data.
   * Kommuner in the data but not in the list get a row as well. */
  const char *const *kommuner;
  /* Reference data (kommune.h), may be NULL. */
  const rs_refdata *ref;
} rs_casetables_options;

/* Tables of Statsforvalteren's cases for fylke (e.g. "46"; "4" means "04"),
 * each already suppressed with min_n (rs_disclosure_suppress; min_n <= 0
 * means RS_DISCLOSURE_MIN_N) and proven by rs_disclosure_audit (an error
 * naming the table if the audit fails).  Returns a GPtrArray of the three
 * rs_pubtable* described above, free func set (g_ptr_array_unref).  lang
 * "nb" (NULL) or "en" for titles, labels and notes.  Without options: row
 * labels are the kommune codes and the fylke is called "fylke NN". */
GPtrArray *rs_casetables_build(const rs_table *cases, const char *fylke, const char *lang, double min_n,
                               GError **err);
/* The same with names and the kommune list (o may be NULL). */
GPtrArray *rs_casetables_build_opt(const rs_table *cases, const char *fylke, const rs_casetables_options *o,
                                   const char *lang, double min_n, GError **err);

/* Number of complaints and of tilsyn for the fylke (either pointer may be
 * NULL).  FALSE with err for the same input errors as the build.  A report
 * can use it to say "no cases" in its text; the counts themselves are
 * unsuppressed: never print them. */
gboolean rs_casetables_count(const rs_table *cases, const char *fylke, size_t *complaints, size_t *tilsyn,
                             GError **err);

#endif
