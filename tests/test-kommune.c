/* test-kommune.c — kommune/fylke reference tables, vintages and code mapping
 * (datasets/kommune.h).
 *
 * Three kinds of test:
 *  - without any data: vintage_of_year, code normalisation, the error when
 *    no reference directory is found, errors naming file and line, and the
 *    mapping rules on small tables this test writes itself (expected values
 *    worked out by hand from those tables);
 *  - on the reference tables in $REFDATA_SRC (set by make check to
 *    ../shared/data/norway): counts, names and mappings, each expected value
 *    with the file and row it comes from; skipped when the data is absent;
 *  - on the SSB Klass 131 export in $SHARED_DATA/ssb-samples (also found as
 *    $REFDATA_SRC/../ssb-samples), linked into a temporary directory under
 *    the klass-131-YEAR.csv name the loader recognises; skipped when absent.
 * The shared files are only read or symlinked, never copied.
 */
#include "datasets/error.h"
#include "datasets/kommune.h"
#include "tests/tap.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* When set, data-dependent checks print a TAP skip instead: the condition
 * is not evaluated, so it may touch a NULL refdata. */
static const char *skip_why = NULL;
#define CHECK(cond, ...)                   \
  do {                                     \
    if (skip_why) skip_test(skip_why);     \
    else ok((cond), __VA_ARGS__);          \
  } while (0)

static int count(const GPtrArray *a) { return a ? (int)a->len : -1; }
static const char *s_or(const char *s) { return s ? s : "(null)"; }

static const char *kind_name(rs_map_kind k) {
  switch (k) {
    case RS_MAP_SAME: return "SAME";
    case RS_MAP_RENUMBERED: return "RENUMBERED";
    case RS_MAP_MERGED: return "MERGED";
    case RS_MAP_SPLIT: return "SPLIT";
    default: return "UNKNOWN";
  }
}

/* Maps `code` read in vintage `from` (0: any vintage) to `to` and compares
 * with the expected kind, code (NULL for SPLIT), fylke and, for SPLIT, the
 * '|'-separated candidates. */
static bool map_is(const rs_refdata *r, const char *code, int from, int to, rs_map_kind kind, const char *want,
                   const char *fylke, const char *cands) {
  rs_kommune_map m;
  bool found = from ? rs_refdata_map_kommune_from(r, code, from, to, &m) : rs_refdata_map_kommune(r, code, to, &m);
  bool good = found && m.kind == kind && g_strcmp0(m.code, want) == 0 && g_strcmp0(m.fylke, fylke) == 0;
  char *got_c = m.candidates ? g_strjoinv("|", m.candidates) : NULL;
  if (good && (cands || got_c)) good = g_strcmp0(got_c, cands) == 0;
  if (!good)
    diag("%s (from %d) -> %d: got %s %s %s fylke %s candidates %s", code, from, to, found ? "true" : "false",
         kind_name(m.kind), s_or(m.code), s_or(m.fylke), s_or(got_c));
  g_free(got_c);
  rs_kommune_map_clear(&m);
  return good;
}

static bool map_fails(const rs_refdata *r, const char *code, int from, int to) {
  rs_kommune_map m;
  bool found = from ? rs_refdata_map_kommune_from(r, code, from, to, &m) : rs_refdata_map_kommune(r, code, to, &m);
  bool good = !found && m.kind == RS_MAP_UNKNOWN && m.code == NULL && m.candidates == NULL;
  rs_kommune_map_clear(&m);
  return good;
}

static const char *kname(const rs_refdata *r, int v, const char *code) {
  const rs_kommune *k = rs_refdata_kommune(r, v, code);
  return k ? k->name : NULL;
}

static const char *fname(const rs_refdata *r, int v, const char *code) {
  const rs_fylke *f = rs_refdata_fylke(r, v, code);
  return f ? f->name : NULL;
}

/* ---- temporary directories ---------------------------------------------- */

static char *tmp_dir(void) {
  GError *e = NULL;
  char *d = g_dir_make_tmp("reformstat-kommune-XXXXXX", &e);
  if (d == NULL) {
    printf("Bail out! cannot make a temporary directory: %s\n", e->message);
    exit(1);
  }
  return d;
}

static void put(const char *dir, const char *name, const char *text) {
  char *p = g_build_filename(dir, name, NULL);
  if (!g_file_set_contents(p, text, -1, NULL)) {
    printf("Bail out! cannot write %s\n", p);
    exit(1);
  }
  g_free(p);
}

static void link_to(const char *dir, const char *name, const char *target) {
  char *p = g_build_filename(dir, name, NULL);
  if (symlink(target, p) != 0) {
    printf("Bail out! cannot link %s\n", p);
    exit(1);
  }
  g_free(p);
}

/* Links every *.csv of src into dir. */
static void link_all_csv(const char *dir, const char *src) {
  GDir *d = g_dir_open(src, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name(d)) != NULL) {
    if (!g_str_has_suffix(n, ".csv")) continue;
    char *t = g_build_filename(src, n, NULL);
    link_to(dir, n, t);
    g_free(t);
  }
  if (d) g_dir_close(d);
}

static void rm_dir(char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name(d)) != NULL) {
    char *p = g_build_filename(dir, n, NULL);
    g_unlink(p);
    g_free(p);
  }
  if (d) g_dir_close(d);
  g_rmdir(dir);
  g_free(dir);
}

/* Loads dir expecting failure; true when the message contains every
 * fragment (NULL-terminated). */
static bool load_fails_with(const char *dir, ...) {
  GError *e = NULL;
  rs_refdata *r = rs_refdata_load(dir, &e);
  bool good = r == NULL && e != NULL && e->domain == RS_ERROR;
  va_list ap;
  va_start(ap, dir);
  const char *frag;
  while (good && (frag = va_arg(ap, const char *)) != NULL) good = strstr(e->message, frag) != NULL;
  va_end(ap);
  if (!good) diag("message: %s", e ? e->message : "(loaded without error)");
  if (e) g_error_free(e);
  rs_refdata_free(r);
  return good;
}

/* ---- tests without data ------------------------------------------------- */

static void test_no_data(void) {
  /* The rule of kommune.h: <= 2019 → 2019, 2020–2023 → 2020, >= 2024 → 2024. */
  ok(rs_refdata_vintage_of_year(2018) == 2019 && rs_refdata_vintage_of_year(2019) == 2019,
     "vintage_of_year: 2018, 2019 -> 2019");
  ok(rs_refdata_vintage_of_year(2020) == 2020 && rs_refdata_vintage_of_year(2022) == 2020 &&
         rs_refdata_vintage_of_year(2023) == 2020,
     "vintage_of_year: 2020, 2022, 2023 -> 2020");
  ok(rs_refdata_vintage_of_year(2024) == 2024 && rs_refdata_vintage_of_year(2031) == 2024,
     "vintage_of_year: 2024, 2031 -> 2024");
  ok(rs_refdata_vintage_of_year(0) == -1 && rs_refdata_vintage_of_year(22) == -1 &&
         rs_refdata_vintage_of_year(10000) == -1,
     "vintage_of_year: 0, 22, 10000 are not years -> -1");

  char *a = rs_refdata_normalise_kommune("301"), *b = rs_refdata_normalise_kommune(" 0301 ");
  char *c = rs_refdata_normalise_kommune("30"), *d = rs_refdata_normalise_kommune("03O1");
  char *e = rs_refdata_normalise_kommune("12345"), *f = rs_refdata_normalise_fylke("3");
  ok(g_strcmp0(a, "0301") == 0 && g_strcmp0(b, "0301") == 0, "normalise: '301' and ' 0301 ' -> 0301");
  ok(c == NULL && d == NULL && e == NULL, "normalise: '30', '03O1', '12345' are not kommune codes");
  ok(g_strcmp0(f, "03") == 0, "normalise fylke: '3' -> 03");
  g_free(a); g_free(b); g_free(c); g_free(d); g_free(e); g_free(f);

  /* rs_refdata_find: a named directory is used or refused; the error says
   * how to get the data. */
  char *empty = tmp_dir();
  GError *err = NULL;
  char *got = rs_refdata_find(empty, &err);
  if (!ok(got == NULL && err && strstr(err->message, empty) && strstr(err->message, "holds no kommune table") &&
              strstr(err->message, "REFORMSTAT_REFDATA") && strstr(err->message, "klass-131-YEAR.csv"),
          "find: an empty --refdata directory is refused, saying what is missing and how to get it"))
    diag("message: %s", err ? err->message : "(none)");
  g_clear_error(&err);
  g_free(got);
  char *nowhere = g_build_filename(empty, "nowhere", NULL);
  g_setenv("REFORMSTAT_REFDATA", nowhere, TRUE);
  got = rs_refdata_find(NULL, &err);
  ok(got == NULL && err && strstr(err->message, "from REFORMSTAT_REFDATA") && strstr(err->message, "does not exist") &&
         strstr(err->message, "--refdata DIR"),
     "find: a missing $REFORMSTAT_REFDATA directory is an error naming the variable");
  g_clear_error(&err);
  g_free(got);
  g_unsetenv("REFORMSTAT_REFDATA");
  g_free(nowhere);
  rs_refdata *none = rs_refdata_load(empty, &err);
  ok(none == NULL && err && strstr(err->message, "holds no kommune table"), "load: an empty directory is an error");
  g_clear_error(&err);
  rm_dir(empty);

  /* Errors name file and line. */
  char *dir = tmp_dir();
  put(dir, "kommuner_2024.csv", "code,name,valid_from,valid_to\n0301,Oslo,2024-01-01,\n1101,Eigersund,2024-01-01,\n"
                                "0301,Oslo igjen,2024-01-01,\n");
  ok(load_fails_with(dir, "kommuner_2024.csv: line 4: kommune 0301 is listed twice (first on line 2)", NULL),
     "load: a duplicate code names file and both lines");
  put(dir, "kommuner_2024.csv", "code,name\n0301,Oslo\n03O1,Oslo\n");
  ok(load_fails_with(dir, "kommuner_2024.csv: line 3: '03O1' is not a kommune code", NULL),
     "load: a malformed code names file and line");
  put(dir, "kommuner_2024.csv", "nr,navn\n0301,Oslo\n");
  ok(load_fails_with(dir, "kommuner_2024.csv: line 1: the header has no 'code' column", NULL),
     "load: a header without 'code' is named");
  rm_dir(dir);

  dir = tmp_dir();
  put(dir, "kommuner_2019.csv", "code,name\n0101,Halden\n0104,Moss\n");
  put(dir, "kommuner_2020.csv", "code,name\n3001,Halden\n3002,Moss\n");
  put(dir, "changes_2019_2020.csv", "old_code,old_name,new_code,new_name,change_occurred\n"
                                    "0101,Halden,3001,Halden,2020-01-01\n0105,Moss,3002,Moss,2020-01-01\n");
  ok(load_fails_with(dir, "changes_2019_2020.csv: line 3: the change on 2020-01-01 starts from kommune 0105", NULL),
     "load: a change from a code not in force names file and line");
  put(dir, "changes_2019_2020.csv", "old_code,old_name,new_code,new_name,change_occurred\n"
                                    "0101,Halden,3001,Halden,2020-01-01\n");
  ok(load_fails_with(dir, "gives kommune 0104", "kommuner_2020.csv", NULL),
     "load: a change table that does not carry one set onto the next is refused");
  put(dir, "changes_2019_2020.csv", "old_code,old_name,new_code,new_name,change_occurred\n"
                                    "0101,Halden,3001,Halden,1.1.2020\n");
  ok(load_fails_with(dir, "changes_2019_2020.csv: line 2: the date of the change '1.1.2020'", NULL),
     "load: a malformed change date names file and line");
  rm_dir(dir);
}

/* Mapping rules on a made-up pair of vintages, worked out by hand:
 *   2020: 1111 A, 1112 B, 1113 C, 1114 D
 *   2022-01-01  1111 → 1121 (renumbered)
 *   2024-01-01  1121 → 1131, 1112 → 1131 (merged), 1113 → 1132 + 1133
 *               (split), 1114 → 1114 (new name only)
 *   2024: 1114 D2, 1131 AB, 1132 C1, 1133 C2
 * The 2022 renumbering must be followed through to 2024 (a chain inside
 * one step).  Fylker: a Klass 104 export in ISO-8859-1 with short rows. */
static void test_rules(void) {
  char *dir = tmp_dir();
  put(dir, "kommuner_2020.csv", "code,name\n1111,A\n1112,B\n1113,C\n1114,D\n");
  put(dir, "kommuner_2024.csv", "code,name\n1114,D2\n1131,AB\n1132,C1\n1133,C2\n");
  put(dir, "changes_2020_2024.csv",
      "old_code,old_name,new_code,new_name,change_occurred\n"
      "1121,A,1131,AB,2024-01-01\n1112,B,1131,AB,2024-01-01\n1113,C,1132,C1,2024-01-01\n"
      "1113,C,1133,C2,2024-01-01\n1114,D,1114,D2,2024-01-01\n1111,A,1121,A,2022-01-01\n");
  /* Klass 104: ';', Latin-1 (0xF8 ø, 0xF6 ö), 6-field rows under an
   * 8-field header, and the "99 Uoppgitt" pseudo-code to be left out. */
  put(dir, "klass-104-2024.csv",
      "\"code\";\"parentCode\";\"level\";\"name\";\"shortName\";\"notes\";\"validFrom\";\"validTo\"\n"
      "\"11\";\"\";\"1\";\"Rogaland\";;\"\"\n"
      "\"50\";\"\";\"1\";\"Tr\xf8ndelag - Tr\xf6\xf6ndelage\";;\"\"\n"
      "\"99\";\"\";\"1\";\"Uoppgitt\";;\"\"\n");
  GError *err = NULL;
  rs_refdata *r = rs_refdata_load(dir, &err);
  ok(r != NULL, "rules: the made-up tables load%s%s", err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);
  ok(rs_refdata_can_map(r, 2020, 2024) && rs_refdata_can_map(r, 2024, 2020) && !rs_refdata_can_map(r, 2019, 2024),
     "rules: can map 2020 <-> 2024, not from 2019 (not loaded)");
  ok(map_is(r, "1111", 2020, 2024, RS_MAP_MERGED, "1131", "11", NULL),
     "rules: 1111 -> 1121 (2022) -> 1131 with 1112: MERGED 1131");
  ok(map_is(r, "1112", 2020, 2024, RS_MAP_MERGED, "1131", "11", NULL), "rules: 1112 -> MERGED 1131");
  ok(map_is(r, "1113", 2020, 2024, RS_MAP_SPLIT, NULL, "11", "1132|1133"), "rules: 1113 -> SPLIT 1132|1133");
  ok(map_is(r, "1114", 2020, 2024, RS_MAP_SAME, "1114", "11", NULL), "rules: 1114 renamed only -> SAME");
  ok(map_is(r, "1131", 2024, 2020, RS_MAP_SPLIT, NULL, "11", "1111|1112"),
     "rules: backward, merged 1131 cannot be split back: SPLIT 1111|1112");
  ok(map_is(r, "1132", 2024, 2020, RS_MAP_MERGED, "1113", "11", NULL),
     "rules: backward, 1132 (part of split 1113) -> MERGED 1113");
  ok(map_fails(r, "1121", 0, 2024) && map_fails(r, "1121", 2020, 2024),
     "rules: 1121 (in force only in 2022-2023) is in no vintage -> false");
  ok(count(rs_refdata_fylker(r, 2024)) == 2 && g_strcmp0(fname(r, 2024, "50"), "Tr\xc3\xb8ndelag - Tr\xc3\xb6\xc3\xb6ndelage") == 0 &&
         rs_refdata_fylke(r, 2024, "99") == NULL,
     "rules: Klass 104 export read from Latin-1 with short rows; 99 Uoppgitt left out (got %d, '%s')",
     count(rs_refdata_fylker(r, 2024)), s_or(fname(r, 2024, "50")));
  rs_refdata_free(r);
  rm_dir(dir);
}

/* ---- the reference tables ----------------------------------------------- */

static void test_refdata(const char *src) {
  GError *err = NULL;
  rs_refdata *r = skip_why ? NULL : rs_refdata_load(src, &err);
  CHECK(r != NULL, "load %s%s%s", s_or(src), err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);

  char *found = skip_why ? NULL : rs_refdata_find(src, NULL);
  CHECK(g_strcmp0(found, src) == 0, "find: --refdata %s is used as given", s_or(src));
  g_free(found);
  /* load(NULL) goes through find: $REFORMSTAT_REFDATA before the installed copy. */
  if (!skip_why) g_setenv("REFORMSTAT_REFDATA", src, TRUE);
  rs_refdata *viaenv = skip_why ? NULL : rs_refdata_load(NULL, NULL);
  CHECK(viaenv && g_strcmp0(rs_refdata_dir(viaenv), src) == 0 && count(rs_refdata_kommuner(viaenv, 2024)) == 357,
        "load(NULL) finds $REFORMSTAT_REFDATA");
  rs_refdata_free(viaenv);
  g_unsetenv("REFORMSTAT_REFDATA");

  /* Row counts from SOURCES.md's table (and wc -l minus the header). */
  CHECK(count(rs_refdata_kommuner(r, 2019)) == 422, "2019: 422 kommuner (kommuner_2019.csv)");
  CHECK(count(rs_refdata_kommuner(r, 2020)) == 356, "2020: 356 kommuner (kommuner_2020.csv)");
  CHECK(count(rs_refdata_kommuner(r, 2024)) == 357, "2024: 357 kommuner (kommuner_2024.csv)");
  CHECK(count(rs_refdata_fylker(r, 2020)) == 11, "2020: 11 fylker (fylker_2020.csv)");
  CHECK(count(rs_refdata_fylker(r, 2024)) == 15, "2024: 15 fylker (fylker_2024.csv)");
  /* SOURCES.md: the 18 fylker of 2018-2019 are fylker_pre2018 minus 16 and
   * 17 plus 50 Trøndelag. */
  CHECK(count(rs_refdata_fylker(r, 2019)) == 18 && g_strcmp0(fname(r, 2019, "50"), "Trøndelag") == 0 &&
            rs_refdata_fylke(r, 2019, "16") == NULL && g_strcmp0(fname(r, 2019, "01"), "Østfold") == 0,
        "2019: 18 fylker derived, with 50 Trøndelag, without 16 Sør-Trøndelag");
  CHECK(count(rs_refdata_kommuner(r, 2022)) == 356, "a year (2022) is taken as its vintage (2020)");

  /* kommuner_2024.csv line 2 and kommuner_2019.csv line 2: the first codes. */
  const GPtrArray *k24 = rs_refdata_kommuner(r, 2024), *k19 = rs_refdata_kommuner(r, 2019);
  const rs_kommune *first24 = k24 ? g_ptr_array_index(k24, 0) : NULL;
  const rs_kommune *first19 = k19 ? g_ptr_array_index(k19, 0) : NULL;
  CHECK(first24 && strcmp(first24->code, "0301") == 0 && strcmp(first24->name, "Oslo") == 0 &&
            strcmp(first24->fylke, "03") == 0,
        "2024 starts with 0301 Oslo, fylke 03: leading zero kept");
  CHECK(first19 && strcmp(first19->code, "0101") == 0 && strcmp(first19->name, "Halden") == 0,
        "2019 starts with 0101 Halden (kommuner_2019.csv line 2)");
  bool sorted = k24 != NULL;
  for (guint i = 1; k24 && i < k24->len; i++)
    if (strcmp(((rs_kommune *)g_ptr_array_index(k24, i - 1))->code, ((rs_kommune *)g_ptr_array_index(k24, i))->code) >= 0)
      sorted = false;
  CHECK(sorted, "2024 kommuner are in strictly increasing code order");
  CHECK(g_strcmp0(kname(r, 2024, "301"), "Oslo") == 0, "lookup '301' finds 0301 Oslo");
  CHECK(g_strcmp0(kname(r, 2024, "1853"), "Evenes - Evenášši") == 0 && g_strcmp0(kname(r, 2020, "1853"), "Evenes") == 0,
        "1853 is 'Evenes' in 2020, 'Evenes - Evenášši' in 2024 (kommuner_2020.csv line 80, kommuner_2024.csv line 81)");
  CHECK(g_strcmp0(fname(r, 2024, "3"), "Oslo") == 0 && g_strcmp0(fname(r, 2024, "55"), "Troms - Romsa - Tromssa") == 0 &&
            g_strcmp0(fname(r, 2020, "54"), "Troms og Finnmark") == 0,
        "fylker: '3' finds 03 Oslo; 2024 55 Troms - Romsa - Tromssa; 2020 54 Troms og Finnmark");
  /* Every kommune's fylke (first two digits) is a fylke of its vintage. */
  int orphans = 0;
  static const int vs[] = {2019, 2020, 2024};
  for (int v = 0; r && v < 3; v++) {
    const GPtrArray *ks = rs_refdata_kommuner(r, vs[v]);
    for (guint i = 0; ks && i < ks->len; i++) {
      const rs_kommune *k = g_ptr_array_index(ks, i);
      if (rs_refdata_fylke(r, vs[v], k->fylke) == NULL) {
        orphans++;
        diag("%d: kommune %s has no fylke %s", vs[v], k->code, k->fylke);
      }
    }
  }
  CHECK(orphans == 0, "every kommune of 2019, 2020 and 2024 lies in a fylke of its vintage");

  CHECK(rs_refdata_can_map(r, 2019, 2024) && rs_refdata_can_map(r, 2024, 2019), "can map 2019 <-> 2024");

  /* changes_2019_2020.csv line 29 (0101 → 3001), changes_2020_2024.csv line 9 (3001 → 3101). */
  CHECK(map_is(r, "0101", 2019, 2020, RS_MAP_RENUMBERED, "3001", "30", NULL), "2019 0101 Halden -> 2020 3001");
  CHECK(map_is(r, "3001", 2020, 2024, RS_MAP_RENUMBERED, "3101", "31", NULL), "2020 3001 Halden -> 2024 3101");
  CHECK(map_is(r, "0101", 2019, 2024, RS_MAP_RENUMBERED, "3101", "31", NULL), "2019 0101 Halden -> 2024 3101");
  CHECK(map_is(r, "3101", 2024, 2019, RS_MAP_RENUMBERED, "0101", "01", NULL), "backward 2024 3101 -> 2019 0101");
  /* changes_2019_2020.csv lines 142-143: 0704 Tønsberg + 0716 Re → 3803;
   * changes_2020_2024.csv line 62: 3803 → 3905. */
  CHECK(map_is(r, "0716", 2019, 2020, RS_MAP_MERGED, "3803", "38", NULL), "2019 0716 Re -> 2020 3803 Tønsberg MERGED");
  CHECK(map_is(r, "0716", 2019, 2024, RS_MAP_MERGED, "3905", "39", NULL), "2019 0716 Re -> 2024 3905 Tønsberg MERGED");
  /* changes_2019_2020.csv lines 2-4: 1103, 1141, 1142 → 1103 Stavanger. */
  CHECK(map_is(r, "1103", 2019, 2020, RS_MAP_MERGED, "1103", "11", NULL),
        "2019 1103 Stavanger -> 2020 1103: MERGED (Finnøy, Rennesøy joined), not SAME");
  CHECK(map_is(r, "1103", 2020, 2019, RS_MAP_SPLIT, NULL, "11", "1103|1141|1142"),
        "backward 2020 1103 Stavanger -> 2019: SPLIT 1103|1141|1142");
  /* Any-vintage lookup reads 1103 as the target vintage's code. */
  rs_kommune_map m;
  bool f = r && rs_refdata_map_kommune(r, "1103", 2020, &m);
  CHECK(f && m.kind == RS_MAP_SAME && m.from == 2020, "any vintage: 1103 to 2020 is read as 2020's: SAME");
  if (f) rs_kommune_map_clear(&m);
  f = r && rs_refdata_map_kommune(r, "1507", 2024, &m);
  CHECK(f && m.kind == RS_MAP_SPLIT && m.from == 2020, "any vintage: 1507 to 2024 is read as 2020's: SPLIT");
  if (f) rs_kommune_map_clear(&m);
  CHECK(map_is(r, "101", 0, 2024, RS_MAP_RENUMBERED, "3101", "31", NULL), "any vintage: '101' -> 0101 (2019) -> 3101");
  CHECK(map_is(r, "3101", 0, 2019, RS_MAP_RENUMBERED, "0101", "01", NULL), "any vintage: 3101 -> 2019 0101");
  CHECK(map_is(r, "301", 0, 2019, RS_MAP_SAME, "0301", "03", NULL), "any vintage: '301' -> 0301 SAME");
  /* changes_2020_2024.csv lines 5-6: 1507 Ålesund → 1508 Ålesund + 1580 Haram. */
  CHECK(map_is(r, "1507", 2020, 2024, RS_MAP_SPLIT, NULL, "15", "1508|1580"),
        "2020 1507 Ålesund -> 2024 SPLIT 1508|1580, fylke 15");
  /* changes_2019_2020.csv line 13: 1534 Haram → 1507; then the split. */
  CHECK(map_is(r, "1534", 2019, 2020, RS_MAP_MERGED, "1507", "15", NULL), "2019 1534 Haram -> 2020 1507 MERGED");
  CHECK(map_is(r, "1534", 2019, 2024, RS_MAP_SPLIT, NULL, "15", "1508|1580"), "2019 1534 Haram -> 2024 SPLIT 1508|1580");
  CHECK(map_is(r, "1580", 2024, 2020, RS_MAP_MERGED, "1507", "15", NULL),
        "backward 2024 1580 Haram -> 2020 1507 MERGED (a part of it)");
  /* changes_2019_2020.csv: 5012 Snillfjord → 5055, 5056, 5059; 1850 Tysfjord → 1806, 1875. */
  CHECK(map_is(r, "5012", 2019, 2020, RS_MAP_SPLIT, NULL, "50", "5055|5056|5059"),
        "2019 5012 Snillfjord -> 2020 SPLIT 5055|5056|5059");
  CHECK(map_is(r, "1850", 2019, 2024, RS_MAP_SPLIT, NULL, "18", "1806|1875"),
        "2019 1850 Tysfjord -> 2024 SPLIT 1806|1875");
  /* changes_2020_2024.csv line 2: 1853 Evenes → 1853 "Evenes - Evenášši" (2022). */
  CHECK(map_is(r, "1853", 2020, 2024, RS_MAP_SAME, "1853", "18", NULL), "2020 1853 Evenes -> 2024: name change only, SAME");
  CHECK(map_fails(r, "9999", 0, 2024) && map_fails(r, "1601", 0, 2024) && map_fails(r, "12345", 0, 2024) &&
            map_fails(r, "abc", 0, 2024) && map_fails(r, "", 0, 2020) && map_fails(r, NULL, 0, 2020),
        "unknown: 9999, 1601 (Trondheim before 2018), 12345, abc, '', NULL -> false");
  CHECK(map_fails(r, "3001", 2019, 2024) && map_fails(r, "0101", 2019, 1700),
        "map_from: 3001 is no 2019 code; 1700 is no vintage -> false");

  /* Round trips over whole sets. */
  int self = 0, to24 = 0, split24 = 0, to20 = 0, split20 = 0, all1924 = 0, back2419 = 0;
  int kinds2024[5] = {0}, kinds1920[5] = {0};
  const GPtrArray *k20 = rs_refdata_kommuner(r, 2020);
  for (guint i = 0; k24 && i < k24->len; i++) {
    const char *c = ((rs_kommune *)g_ptr_array_index(k24, i))->code;
    rs_kommune_map mm;
    if (rs_refdata_map_kommune(r, c, 2024, &mm) && mm.kind == RS_MAP_SAME && strcmp(mm.code, c) == 0) self++;
    rs_kommune_map_clear(&mm);
    if (rs_refdata_map_kommune_from(r, c, 2024, 2019, &mm)) back2419++;
    rs_kommune_map_clear(&mm);
  }
  for (guint i = 0; k20 && i < k20->len; i++) {
    rs_kommune_map mm;
    if (rs_refdata_map_kommune_from(r, ((rs_kommune *)g_ptr_array_index(k20, i))->code, 2020, 2024, &mm)) {
      kinds2024[mm.kind]++;
      if (mm.code && rs_refdata_kommune(r, 2024, mm.code)) to24++;
      if (mm.kind == RS_MAP_SPLIT) {
        bool all_in = true;
        for (char **cc = mm.candidates; *cc; cc++) all_in = all_in && rs_refdata_kommune(r, 2024, *cc);
        if (all_in) split24++;
      }
    }
    rs_kommune_map_clear(&mm);
  }
  for (guint i = 0; k19 && i < k19->len; i++) {
    rs_kommune_map mm;
    const char *c = ((rs_kommune *)g_ptr_array_index(k19, i))->code;
    if (rs_refdata_map_kommune_from(r, c, 2019, 2020, &mm)) {
      kinds1920[mm.kind]++;
      if (mm.code && rs_refdata_kommune(r, 2020, mm.code)) to20++;
      if (mm.kind == RS_MAP_SPLIT) split20++;
    }
    rs_kommune_map_clear(&mm);
    if (rs_refdata_map_kommune_from(r, c, 2019, 2024, &mm)) all1924++;
    rs_kommune_map_clear(&mm);
  }
  CHECK(self == 357, "every 2024 code maps to itself (%d of 357)", self);
  /* Only 1507 has two rows in changes_2020_2024.csv. */
  CHECK(to24 == 355 && split24 == 1, "every 2020 code maps to a 2024 code (%d of 355) or is a split (%d of 1)", to24,
        split24);
  /* Two old codes have several rows in changes_2019_2020.csv: 1850, 5012. */
  CHECK(to20 == 420 && split20 == 2, "every 2019 code maps to a 2020 code (%d of 420) or is a split (%d of 2)", to20,
        split20);
  CHECK(all1924 == 422 && back2419 == 357, "all 422 2019 codes map to 2024 (%d), all 357 2024 codes back to 2019 (%d)",
        all1924, back2419);
  /* changes_2020_2024.csv has 121 rows: 6 name-only (old == new: 1853,
   * 5001, 5025, 1833, 1845, 5037), 2 for the 1507 split, and 113 one-to-one
   * renumberings with distinct new codes.  So 113 RENUMBERED, 1 SPLIT, no
   * MERGED, and 356 - 113 - 1 = 242 SAME. */
  CHECK(kinds2024[RS_MAP_SAME] == 242 && kinds2024[RS_MAP_RENUMBERED] == 113 && kinds2024[RS_MAP_MERGED] == 0 &&
            kinds2024[RS_MAP_SPLIT] == 1,
        "2020 -> 2024 kinds: SAME %d (242), RENUMBERED %d (113), MERGED %d (0), SPLIT %d (1)", kinds2024[RS_MAP_SAME],
        kinds2024[RS_MAP_RENUMBERED], kinds2024[RS_MAP_MERGED], kinds2024[RS_MAP_SPLIT]);
  /* Counted by a separate Python script over kommuner_2019.csv and
   * changes_2019_2020.csv (image = new codes of the old code's rows, or
   * itself without rows; MERGED when the single new code has more than one
   * old code). */
  CHECK(kinds1920[RS_MAP_SAME] == 111 && kinds1920[RS_MAP_RENUMBERED] == 202 && kinds1920[RS_MAP_MERGED] == 107 &&
            kinds1920[RS_MAP_SPLIT] == 2,
        "2019 -> 2020 kinds: SAME %d (111), RENUMBERED %d (202), MERGED %d (107), SPLIT %d (2)", kinds1920[RS_MAP_SAME],
        kinds1920[RS_MAP_RENUMBERED], kinds1920[RS_MAP_MERGED], kinds1920[RS_MAP_SPLIT]);

  bool listed = false;
  const GPtrArray *files = rs_refdata_files(r);
  for (guint i = 0; files && i < files->len; i++)
    if (g_str_has_suffix(g_ptr_array_index(files, i), "/kommuner_2024.csv")) listed = true;
  CHECK(listed && g_strcmp0(rs_refdata_dir(r), src) == 0, "files used list kommuner_2024.csv; dir is %s", s_or(src));
  rs_refdata_free(r);
}

/* ---- the SSB Klass 131 export sample ------------------------------------ */

/* ssb-samples/SOURCES.md: Klass 131, version valid from 2020-01-01, 357
 * data rows; the last (line 358) is "9999 Uoppgitt", left out → 356, the
 * same codes as kommuner_2020.csv. */
static void test_klass(const char *sample, const char *src) {
  char *d1 = skip_why ? NULL : tmp_dir();
  if (d1) link_to(d1, "klass-131-2020.csv", sample);
  GError *err = NULL;
  rs_refdata *r = d1 ? rs_refdata_load(d1, &err) : NULL;
  CHECK(r != NULL, "Klass: a directory with only klass-131-2020.csv loads%s%s", err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);
  CHECK(count(rs_refdata_kommuner(r, 2020)) == 356 && rs_refdata_kommune(r, 2020, "9999") == NULL,
        "Klass: 357 rows minus 9999 Uoppgitt = 356 kommuner (got %d)", count(rs_refdata_kommuner(r, 2020)));
  CHECK(g_strcmp0(kname(r, 2020, "0301"), "Oslo") == 0 && g_strcmp0(kname(r, 2020, "3024"), "Bærum") == 0,
        "Klass: quoted '0301' is Oslo; line 113 '3024' is Bærum, decoded from ISO-8859-1");
  CHECK(rs_refdata_kommuner(r, 2024) == NULL && rs_refdata_fylker(r, 2020) == NULL && !rs_refdata_can_map(r, 2020, 2024) &&
            map_fails(r, "3024", 2020, 2024) && map_is(r, "3024", 2020, 2020, RS_MAP_SAME, "3024", "30", NULL),
        "Klass only: no 2024 set and no changes, so 2020 codes map only to 2020");
  rs_refdata_free(r);
  if (d1) rm_dir(d1);

  /* Beside the project tables: the same year keeps the project's names
   * (kommuner_2020.csv line 350 restores "Kárášjohka"; the export has
   * "Kárá?johka"); a later year's export wins.  Filing the 2020 export
   * under 2023 stands for an export of 2023, whose codes are the 2020 set. */
  static const struct { const char *name; const char *want5437; } cases[] = {
      {"klass-131-2020.csv", "Kárášjohka - Karasjok"},
      {"klass-131-2023.csv", "Kárá?johka - Karasjok"},
  };
  for (int c = 0; c < 2; c++) {
    char *d = skip_why ? NULL : tmp_dir();
    if (d) {
      link_all_csv(d, src);
      link_to(d, cases[c].name, sample);
    }
    r = d ? rs_refdata_load(d, &err) : NULL;
    bool used = false;
    const GPtrArray *files = rs_refdata_files(r);
    for (guint i = 0; files && i < files->len; i++)
      if (g_str_has_suffix(g_ptr_array_index(files, i), cases[c].name)) used = true;
    CHECK(r && count(rs_refdata_kommuner(r, 2020)) == 356 && g_strcmp0(kname(r, 2020, "5437"), cases[c].want5437) == 0 &&
              used == (c == 1) && rs_refdata_can_map(r, 2019, 2024),
          "Klass beside the project tables as %s: codes agree, 5437 is '%s' (got '%s')%s%s", cases[c].name,
          cases[c].want5437, s_or(kname(r, 2020, "5437")), err ? ": " : "", err ? err->message : "");
    g_clear_error(&err);
    rs_refdata_free(r);
    if (d) rm_dir(d);
  }

  /* Filed as 2024, the export's codes disagree with kommuner_2024.csv:
   * refused, naming the export and a line (1507 Ålesund is on line 28). */
  char *d = skip_why ? NULL : tmp_dir();
  if (d) {
    link_all_csv(d, src);
    link_to(d, "klass-131-2024.csv", sample);
  }
  CHECK(d && load_fails_with(d, "klass-131-2024.csv: line 28: kommune 1507 is not in", "kommuner_2024.csv", NULL),
        "Klass: an export whose codes do not match its vintage is refused, naming file and line");
  if (d) rm_dir(d);
}

int main(void) {
  test_no_data();
  test_rules();

  const char *src = g_getenv("REFDATA_SRC");
  char *k24 = src && src[0] ? g_build_filename(src, "kommuner_2024.csv", NULL) : NULL;
  bool have = k24 && g_file_test(k24, G_FILE_TEST_IS_REGULAR);
  g_free(k24);
  skip_why = have ? NULL : "no reference data (../shared absent)";
  test_refdata(have ? src : NULL);

  const char *shared = g_getenv("SHARED_DATA");
  char *sample = shared && shared[0]
                     ? g_build_filename(shared, "ssb-samples", "gardenberg_barnevernmonitor", "ssb_kommune_jan20_1160.csv", NULL)
                 : have ? g_build_filename(src, "..", "ssb-samples", "gardenberg_barnevernmonitor",
                                           "ssb_kommune_jan20_1160.csv", NULL)
                        : NULL;
  bool have_sample = have && sample && g_file_test(sample, G_FILE_TEST_IS_REGULAR);
  char *abs = have_sample && !g_path_is_absolute(sample) ? g_canonicalize_filename(sample, NULL) : g_strdup(sample);
  char *abs_src = have && !g_path_is_absolute(src) ? g_canonicalize_filename(src, NULL) : g_strdup(src);
  skip_why = have_sample ? NULL : "no SSB Klass sample (../shared absent)";
  test_klass(abs, abs_src);
  g_free(abs);
  g_free(abs_src);
  g_free(sample);
  return done();
}
