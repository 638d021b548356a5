/* kommune.h — Norwegian kommune and fylke codes, their vintages and the
 * changes between them (reference data, read from outside the source tree).
 *
 * Reference data are the CSV tables described in ../shared/data/norway/
 * SOURCES.md (kommuner_2019.csv, kommuner_2020.csv, kommuner_2024.csv,
 * fylker_2020.csv, fylker_2024.csv, changes_2019_2020.csv,
 * changes_2020_2024.csv), or SSB Klass CSV exports of classifications 131
 * and 104.  The directory is found through --refdata DIR, then
 * $REFORMSTAT_REFDATA, then $(pkgdatadir)/refdata.
 *
 * Codes are strings with leading zeros ("0301"); a vintage is the year whose
 * set of codes is meant (2019, 2020–2023 → 2020 set, 2024+ → 2024 set).
 *
 * Files recognised in the reference directory (any other file is ignored;
 * names are matched exactly, lower case):
 *   kommuner_2019.csv, kommuner_2020.csv, kommuner_2024.csv
 *   fylker_2020.csv, fylker_2024.csv (and fylker_2019.csv, should one exist)
 *       header code,name[,valid_from,valid_to]
 *   fylker_pre2018.csv
 *       the 19 fylker before 2018; only used to derive the 18 fylker of
 *       2019 (those still valid on 2019-01-01, plus 50 Trøndelag named from
 *       the 2020 fylker).  Without it the 2019 fylker are not available,
 *       but a 2019 kommune's fylke code (its first two digits) still is.
 *   changes_*.csv
 *       header old_code,old_name,new_code,new_name,change_occurred
 *   klass-131-YYYY.csv, klass-104-YYYY.csv
 *       SSB Klass CSV exports of classification 131 (kommuner) and 104
 *       (fylker), version valid in year YYYY (2019 or later), as downloaded
 *       (';', ISO-8859-1, header code;parentCode;level;name;shortName;notes;
 *       validFrom;validTo, short data rows accepted).  The pseudo-codes
 *       9999 / 99 "Uoppgitt" are left out.  A Klass export serves the
 *       vintage of its year (klass-131-2023.csv → the 2020 set, with the
 *       names of 2023); the export with the latest year wins, and it
 *       replaces the project table of that vintage only when its year is
 *       later (on a tie the checked project table is kept).  When both are
 *       present their code sets must agree: an export from after a change
 *       reformstat does not know (a new code set after 2024) is an error,
 *       not a silent mix.
 *   klass-131-changes*.csv
 *       a Klass changes export of classification 131 (oldCode;oldName;
 *       oldShortName;newCode;newName;newShortName;changeOccurred).
 * All change files are pooled (duplicate rows count once) and each row is
 * placed by its date: after 2019-01-01 up to 2020-01-01 it belongs to the
 * step 2019 → 2020, after 2020-01-01 up to 2024-01-01 to 2020 → 2024; other
 * dates are not used.  A step can be mapped across only when both its code
 * sets are loaded and some change rows fall in it; loading checks that
 * applying the rows to the older set gives exactly the newer set.
 */
#ifndef RS_KOMMUNE_H
#define RS_KOMMUNE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
  char *code;     /* "0301" */
  char *name;     /* "Oslo" */
  char *fylke;    /* fylke code, the first two digits ("03") */
} rs_kommune;

typedef struct {
  char *code;     /* "03" */
  char *name;
} rs_fylke;

typedef struct rs_refdata rs_refdata;

/* Finds the reference directory: `dir` if non-NULL, else $REFORMSTAT_REFDATA,
 * else the installed copy.  Returns a newly allocated path or NULL with err
 * saying what is missing and how to get it. */
char *rs_refdata_find(const char *dir, GError **err);

/* Loads every table found in `dir` (errors name file and line); with dir
 * NULL, the directory rs_refdata_find(NULL) gives. */
rs_refdata *rs_refdata_load(const char *dir, GError **err);
void rs_refdata_free(rs_refdata *r);

/* Vintage set for a year: 2019 (422 kommuner), 2020 (356, used for
 * 2020–2023), 2024 (357).  Returns the canonical vintage year or -1.
 * Years before 2019 also give 2019, with a caveat: codes that changed on or
 * before 2019-01-01 (the 16xx/17xx kommuner merged into Trøndelag 50 in
 * 2018, 1567 Rindal → 5061 in 2019, older mergers) are not in the 2019 set
 * and stay unknown.  -1 for a year before 1838 (when the kommuner were
 * founded) or after 9999: a typo rather than a year. */
int rs_refdata_vintage_of_year(int year);

/* Kommuner / fylker of a vintage, in code order; NULL if not loaded.  The
 * lookups normalise the code ("301" finds 0301, "3" finds 03). */
const GPtrArray *rs_refdata_kommuner(const rs_refdata *r, int vintage);  /* of rs_kommune* */
const GPtrArray *rs_refdata_fylker(const rs_refdata *r, int vintage);    /* of rs_fylke* */
const rs_kommune *rs_refdata_kommune(const rs_refdata *r, int vintage, const char *code);
const rs_fylke *rs_refdata_fylke(const rs_refdata *r, int vintage, const char *code);

typedef enum {
  RS_MAP_SAME,      /* code unchanged */
  RS_MAP_RENUMBERED,/* one old code -> one new code */
  RS_MAP_MERGED,    /* several old codes -> one new code */
  RS_MAP_SPLIT,     /* one old code -> several new codes: no 1:1 mapping */
  RS_MAP_UNKNOWN    /* the code is in no vintage */
} rs_map_kind;

typedef struct {
  rs_map_kind kind;
  char *code;        /* mapped code (for SPLIT: NULL) */
  char **candidates; /* for SPLIT: the new codes (NULL-terminated) */
  char *fylke;       /* fylke code in the target vintage (also for SPLIT when all candidates share it) */
  int from;          /* vintage the code was read in (added; see rs_refdata_map_kommune) */
} rs_kommune_map;

/* Map a kommune code from any vintage to vintage `to` (2019, 2020 or 2024;
 * any other year is taken as its vintage).  Normalises "301" -> "0301".
 * Returns false for an unknown code, and when the change table needed to
 * cross from the code's vintage to `to` is not loaded (then out->kind is
 * RS_MAP_UNKNOWN).  After a true return, free with rs_kommune_map_clear.
 *
 * A code that exists in several vintages is read in the target vintage when
 * valid there (→ RS_MAP_SAME), otherwise in the vintage nearest in time
 * (the newer on a tie); out->from says which.  This cannot tell 2019's 1103
 * Stavanger from the larger 1103 Stavanger of 2020: when the data's year is
 * known, use rs_refdata_map_kommune_from.
 *
 * Kinds, forward (older → newer vintage), from the change tables:
 *   SAME        same code, same area (a name-only change, e.g. 1853 Evenes
 *               in 2022, is SAME);
 *   RENUMBERED  one old code → one new code, nothing else merged in;
 *   MERGED      the new code also holds other old kommuner (so 2019's 1103
 *               Stavanger → 2020's 1103 is MERGED, not SAME);
 *   SPLIT       the old kommune went to several new ones (2020's 1507
 *               Ålesund → 1508 Ålesund + 1580 Haram): code is NULL,
 *               candidates lists them, fylke is set when they share it.
 * Backward (newer → older) reads the same change rows in reverse, so the
 * kinds swap roles: a kommune formed by a merger cannot be split back and
 * maps to SPLIT with the old kommuner as candidates (2020 1103 → 2019 1103,
 * 1141, 1142), while a part of a split kommune maps to MERGED with the old
 * code (2024 1580 Haram → 2020 1507): its figures are a part of the old
 * kommune's.  Only SAME and RENUMBERED are 1:1 in either direction. */
bool rs_refdata_map_kommune(const rs_refdata *r, const char *code, int to, rs_kommune_map *out);
void rs_kommune_map_clear(rs_kommune_map *m);

/* ---- additions ---------------------------------------------------------- */

/* As rs_refdata_map_kommune, but the code is read in vintage `from` (the
 * data's year is fine: 2022 → the 2020 set).  False when the code is not in
 * that vintage. */
bool rs_refdata_map_kommune_from(const rs_refdata *r, const char *code, int from, int to,
                                 rs_kommune_map *out);

/* True when codes of vintage `from` can be mapped to vintage `to`: both code
 * sets are loaded and so are the change rows of every step between them. */
bool rs_refdata_can_map(const rs_refdata *r, int from, int to);

/* "301" or " 0301 " -> newly allocated "0301"; NULL when `code` is not three
 * or four digits.  Fylke codes: "3" or "03" -> "03", NULL unless one or two
 * digits. */
char *rs_refdata_normalise_kommune(const char *code);
char *rs_refdata_normalise_fylke(const char *code);

/* The directory the tables were loaded from, and the paths of the files
 * actually used (for provenance in outputs and --verbose). */
const char *rs_refdata_dir(const rs_refdata *r);
const GPtrArray *rs_refdata_files(const rs_refdata *r);  /* of char* */

#endif
