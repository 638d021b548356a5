/* test-tables.c — CSV and Excel output of published tables (report/tables.h).
 *
 * The table: four kommuner and the fylke total; a count column (sum
 * relation), a share with CI (n-weighted mean relation) and a change column
 * outside any relation.  Suppression with min_n = 5, worked out by hand from
 * the rules in disclosure.h:
 *   Kinn: count 3 < 5 -> ':' (primary) in all three columns (n = 3);
 *   column klager: Kinn is the only suppressed part of the sum -> the
 *     smallest non-total, non-zero published part is Etne (8 < 12345) -> ':';
 *   column medhold_pst: the same for the weighted mean -> Etne (n 8) -> ':';
 *   Fitjar: count 0 with n 0 -> '-'; share over nobody -> '.';
 *   Etne's change (n 8, no relation) stays published.
 * The expected CSV bytes below are written out by hand from tables.h.
 * The xlsx is read back with `unzip -p` (skipped when unzip is missing).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "datasets/atomic.h"
#include "datasets/error.h"
#include "report/tables.h"
#include "tests/tap.h"

enum { BERGEN, KINN, ETNE, FITJAR, TOTAL };
enum { KLAGER, MEDHOLD, ENDRING };

static rs_pubtable *make_table(const char *id, gboolean with_codes) {
  rs_pubtable *t = rs_pubtable_new(id, "Klager og medhold etter kommune", 5, 3);
  rs_pubtable_set_stub(t, "Kommune", with_codes ? "Kommunenr." : NULL);
  rs_pubtable_set_row(t, BERGEN, "4601", "Bergen", RS_ROLE_UNIT);
  rs_pubtable_set_row(t, KINN, "4602", "Kinn (Florø; \"Måløy\")", RS_ROLE_UNIT);
  rs_pubtable_set_row(t, ETNE, "4611", "Etne", RS_ROLE_UNIT);
  rs_pubtable_set_row(t, FITJAR, "4615", "Fitjar", RS_ROLE_UNIT);
  rs_pubtable_set_row(t, TOTAL, "46", "Vestland i alt", RS_ROLE_TOTAL);
  rs_pubtable_set_col(t, KLAGER, "klager", "Klager", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, MEDHOLD, "medhold_pst", "Medhold", "%", RS_COL_SHARE, 1, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, ENDRING, "endring", "Endring fra i fjor", "prosentpoeng", RS_COL_OTHER, 1, false,
                      RS_ROLE_UNIT);
  rs_pubtable_set_count(t, BERGEN, KLAGER, 12345);
  rs_pubtable_set_count(t, KINN, KLAGER, 3);
  rs_pubtable_set_count(t, ETNE, KLAGER, 8);
  rs_pubtable_set_count(t, FITJAR, KLAGER, 0);
  rs_pubtable_set_count(t, TOTAL, KLAGER, 12356);
  rs_pubtable_set(t, BERGEN, MEDHOLD, 25.26, 20.04, 31.5, 12345);
  rs_pubtable_set(t, KINN, MEDHOLD, 33.3, 9.04, 70.1, 3);
  rs_pubtable_set(t, ETNE, MEDHOLD, 12.5, 2.2, 47.1, 8);
  rs_pubtable_set(t, FITJAR, MEDHOLD, NAN, NAN, NAN, 0);
  rs_pubtable_set(t, TOTAL, MEDHOLD, 25.2, 24.5, 26.0, 12356);
  rs_pubtable_set(t, BERGEN, ENDRING, -1.5, NAN, NAN, 12345);
  rs_pubtable_set(t, KINN, ENDRING, 7.7, NAN, NAN, 3);
  rs_pubtable_set(t, ETNE, ENDRING, 2.0, NAN, NAN, 8);
  rs_pubtable_set(t, FITJAR, ENDRING, NAN, NAN, NAN, 0);
  rs_pubtable_set(t, TOTAL, ENDRING, -1.4, NAN, NAN, 12356);
  size_t parts[] = {BERGEN, KINN, ETNE, FITJAR};
  rs_pubtable_sum_rows(t, KLAGER, TOTAL, parts, 4);
  rs_pubtable_mean_rows(t, MEDHOLD, TOTAL, parts, 4);
  rs_pubtable_add_note(t, "Kilde: Statsforvalteren i Vestland (testdata).");
  return t;
}

static rs_pubtable *suppressed_table(const char *id, gboolean with_codes) {
  rs_pubtable *t = make_table(id, with_codes);
  GError *err = NULL;
  if (!rs_disclosure_suppress(t, 5, NULL, &err)) {
    diag("suppress: %s", err->message);
    g_clear_error(&err);
  }
  return t;
}

static size_t dir_entries(const char *dir) {
  GDir *d = g_dir_open(dir, 0, NULL);
  size_t n = 0;
  if (d) {
    while (g_dir_read_name(d)) n++;
    g_dir_close(d);
  }
  return n;
}

static char *slurp(const char *path, size_t *len) {
  char *s = NULL;
  gsize l = 0;
  if (!g_file_get_contents(path, &s, &l, NULL)) return NULL;
  if (len) *len = l;
  return s;
}

/* ---- CSV ------------------------------------------------------------------ */

static const char want_nb[] =
  "\xEF\xBB\xBF"
  "code;label;klager;medhold_pst;medhold_pst_lower;medhold_pst_upper;endring\r\n"
  "4601;Bergen;12345;25,3;20,0;31,5;-1,5\r\n"
  "4602;\"Kinn (Florø; \"\"Måløy\"\")\";:;:;:;:;:\r\n"
  "4611;Etne;:;:;:;:;2,0\r\n"
  "4615;Fitjar;-;.;.;.;.\r\n"
  "46;Vestland i alt;12356;25,2;24,5;26,0;-1,4\r\n";

static const char want_en[] =
  "code,label,klager,medhold_pst,medhold_pst_lower,medhold_pst_upper,endring\n"
  "4601,Bergen,12345,25.3,20.0,31.5,-1.5\n"
  "4602,\"Kinn (Florø; \"\"Måløy\"\")\",:,:,:,:,:\n"
  "4611,Etne,:,:,:,:,2.0\n"
  "4615,Fitjar,-,.,.,.,.\n"
  "46,Vestland i alt,12356,25.2,24.5,26.0,-1.4\n";

/* Without codes: no code column; "label" first. */
static const char want_en_nocode_head[] = "label,klager,medhold_pst,medhold_pst_lower,medhold_pst_upper,endring\n"
                                          "Bergen,12345,";

static void show_diff(const char *got, const char *want) {
  size_t i = 0;
  while (got[i] && got[i] == want[i]) i++;
  diag("first difference at byte %zu: got \"%.40s\" want \"%.40s\"", i, got + i, want + i);
}

/* Is `field` one whole field of the CSV text (between delimiters / line ends)? */
static int has_field(const char *csv, const char *field, char delim) {
  size_t fl = strlen(field);
  for (const char *p = strstr(csv, field); p; p = strstr(p + 1, field)) {
    char before = p == csv ? delim : p[-1];
    char after = p[fl];
    int lb = before == delim || before == '\n' || before == '\xBF';
    int la = after == delim || after == '\r' || after == '\n' || after == 0;
    if (lb && la) return 1;
  }
  return 0;
}

static void test_states(const rs_pubtable *t) {
  ok(rs_pubtable_cell_c(t, KINN, KLAGER)->state == RS_CELL_PRIMARY &&
     rs_pubtable_cell_c(t, KINN, MEDHOLD)->state == RS_CELL_PRIMARY &&
     rs_pubtable_cell_c(t, KINN, ENDRING)->state == RS_CELL_PRIMARY, "Kinn (n = 3) is primary-suppressed");
  ok(rs_pubtable_cell_c(t, ETNE, KLAGER)->state == RS_CELL_SECONDARY &&
     rs_pubtable_cell_c(t, ETNE, MEDHOLD)->state == RS_CELL_SECONDARY &&
     rs_pubtable_cell_c(t, ETNE, ENDRING)->state == RS_CELL_VALUE,
     "Etne is the complement in both related columns, its change stays");
  ok(rs_pubtable_cell_c(t, FITJAR, KLAGER)->state == RS_CELL_ZERO &&
     rs_pubtable_cell_c(t, FITJAR, MEDHOLD)->state == RS_CELL_NA, "Fitjar: '-' and '.'");
  rs_audit_result res = {0};
  ok(rs_disclosure_audit(t, 5, &res, NULL), "the test table passes the audit");
  rs_audit_result_clear(&res);
}

static void test_csv(const char *dir) {
  rs_pubtable *t = suppressed_table("klager", TRUE);
  test_states(t);
  GError *err = NULL;

  char *p_nb = g_build_filename(dir, "klager-nb.csv", NULL);
  char *p_en = g_build_filename(dir, "klager-en.csv", NULL);
  gboolean w = rs_tables_write_csv(t, p_nb, "nb", &err);
  ok(w, "nb CSV written%s%s", err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);
  w = rs_tables_write_csv(t, p_en, "en", &err);
  ok(w, "en CSV written%s%s", err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);
  size_t ln = 0, le = 0;
  char *nb = slurp(p_nb, &ln), *en = slurp(p_en, &le);
  int c = ok(nb && ln == sizeof want_nb - 1 && memcmp(nb, want_nb, ln) == 0,
             "nb CSV bytes: BOM, ';', decimal comma, CRLF, quoting, symbols");
  if (!c && nb) show_diff(nb, want_nb);
  c = ok(en && le == sizeof want_en - 1 && memcmp(en, want_en, le) == 0,
         "en CSV bytes: no BOM, ',', decimal point, LF, quoting, symbols");
  if (!c && en) show_diff(en, want_en);
  ok(nb && !strstr(nb, "\xC2\xA0") && !strstr(nb, "\xE2\x88\x92"),
     "nb CSV: no no-break space, no U+2212 minus");
  /* bare LF nowhere in nb: every \n is preceded by \r */
  int bare = 0;
  for (size_t i = 0; nb && i < ln; i++) bare |= nb[i] == '\n' && (i == 0 || nb[i - 1] != '\r');
  ok(nb && !bare, "nb CSV: every line ends in CRLF");
  ok(en && !strchr(en, '\r') && (unsigned char)en[0] != 0xEF, "en CSV: no CR, no BOM");

  /* No suppressed value, CI or n anywhere: each as both dialects would print it. */
  const char *secret_nb[] = {"3", "33,3", "9,0", "70,1", "7,7", "8", "12,5", "2,2", "47,1"};
  const char *secret_en[] = {"3", "33.3", "9.0", "70.1", "7.7", "8", "12.5", "2.2", "47.1"};
  int leak = 0;
  for (size_t i = 0; i < G_N_ELEMENTS(secret_nb); i++) {
    if (nb && has_field(nb, secret_nb[i], ';')) leak = 1, diag("nb leaks %s", secret_nb[i]);
    if (en && has_field(en, secret_en[i], ',')) leak = 1, diag("en leaks %s", secret_en[i]);
  }
  ok(!leak, "no suppressed value appears as a field in either CSV");
  ok(en && has_field(en, "2.0", ',') && has_field(en, "12345", ','), "the leak check can see published fields");
  g_free(nb);
  g_free(en);

  /* same text in memory */
  size_t len = 0;
  char *mem = rs_tables_csv_text(t, NULL, &len, &err);
  ok(mem && len == sizeof want_nb - 1 && memcmp(mem, want_nb, len) == 0, "rs_tables_csv_text (lang NULL = nb)");
  g_free(mem);
  g_clear_error(&err);

  /* table without a code column */
  rs_pubtable *t2 = suppressed_table("klager2", FALSE);
  mem = rs_tables_csv_text(t2, "en", &len, &err);
  ok(mem && strncmp(mem, want_en_nocode_head, strlen(want_en_nocode_head)) == 0,
     "without code_header the first column is the label");
  g_free(mem);
  g_clear_error(&err);
  rs_pubtable_free(t2);

  /* bad language */
  ok(!rs_tables_csv_text(t, "de", &len, &err) && err && err->code == RS_ERROR_USAGE, "lang 'de' is refused");
  g_clear_error(&err);

  g_unlink(p_nb);
  g_unlink(p_en);
  g_free(p_nb);
  g_free(p_en);
  rs_pubtable_free(t);
}

/* ---- refusals and failures -------------------------------------------------- */

static void test_refusals(const char *dir) {
  GError *err = NULL;
  char *path = g_build_filename(dir, "refused.csv", NULL);
  char *xpath = g_build_filename(dir, "refused.xlsx", NULL);

  rs_pubtable *raw = make_table("raw", TRUE);  /* never suppressed */
  gboolean w = rs_tables_write_csv(raw, path, "nb", &err);
  ok(!w && err && strstr(err->message, "disclosure control") && !g_file_test(path, G_FILE_TEST_EXISTS),
     "an unsuppressed table is refused, no file: %s", err ? err->message : "");
  g_clear_error(&err);
  ok(!rs_tables_write_xlsx(&raw, 1, xpath, "nb", &err) && err && !g_file_test(xpath, G_FILE_TEST_EXISTS),
     "… also as xlsx");
  g_clear_error(&err);
  rs_pubtable_free(raw);

  rs_pubtable *t = suppressed_table("tampered", TRUE);
  rs_pubtable_cell(t, ETNE, KLAGER)->state = RS_CELL_VALUE;  /* undo a complement */
  w = rs_tables_write_csv(t, path, "en", &err);
  ok(!w && err && strstr(err->message, "audit") && !g_file_test(path, G_FILE_TEST_EXISTS),
     "a table that fails the audit is refused: %s", err ? err->message : "");
  g_clear_error(&err);
  ok(!rs_tables_write_xlsx(&t, 1, xpath, "en", &err) && err && !g_file_test(xpath, G_FILE_TEST_EXISTS),
     "… also as xlsx");
  g_clear_error(&err);
  rs_pubtable_free(t);
  ok(dir_entries(dir) == 0, "nothing left in the output directory");
  g_free(path);
  g_free(xpath);
}

static void test_unwritable(const char *dir) {
  rs_pubtable *t = suppressed_table("klager", TRUE);
  GError *err = NULL;
  char *nodir = g_build_filename(dir, "no-such-dir", "t.csv", NULL);
  char *noxl = g_build_filename(dir, "no-such-dir", "t.xlsx", NULL);
  gboolean w = rs_tables_write_csv(t, nodir, "nb", &err);
  ok(!w && err && strstr(err->message, "no-such-dir"),
     "CSV into a missing directory: error naming the path (%s)", err ? err->message : "");
  g_clear_error(&err);
  w = rs_tables_write_xlsx(&t, 1, noxl, "nb", &err);
  ok(!w && err && strstr(err->message, "no-such-dir"),
     "xlsx into a missing directory: error naming the path (%s)", err ? err->message : "");
  g_clear_error(&err);
  ok(!rs_tables_write_csv(t, dir, "nb", &err) && err, "a directory as CSV path: error");
  g_clear_error(&err);
  ok(dir_entries(dir) == 0, "no file and no temporary left");

  /* A write that fails half-way (file size limit: EFBIG, as on a full disk)
   * after the temporary exists: error, temporary removed, earlier file kept.
   * We run as root in CI, so permissions cannot make a directory unwritable. */
  char *csv = g_build_filename(dir, "t.csv", NULL), *xlsx = g_build_filename(dir, "t.xlsx", NULL);
  g_file_set_contents(csv, "old", 3, NULL);
  g_file_set_contents(xlsx, "old", 3, NULL);
  struct rlimit old, small;
  getrlimit(RLIMIT_FSIZE, &old);
  small = old;
  small.rlim_cur = 20;
  setrlimit(RLIMIT_FSIZE, &small);
  gboolean w1 = rs_tables_write_csv(t, csv, "nb", &err);
  char *m1 = err ? g_strdup(err->message) : NULL;
  g_clear_error(&err);
  gboolean w2 = rs_tables_write_xlsx(&t, 1, xlsx, "nb", &err);
  char *m2 = err ? g_strdup(err->message) : NULL;
  g_clear_error(&err);
  setrlimit(RLIMIT_FSIZE, &old);
  ok(!w1 && m1, "CSV over the file size limit: error (%s)", m1 ? m1 : "none");
  ok(!w2 && m2, "xlsx over the file size limit: error (%s)", m2 ? m2 : "none");
  char *c1 = slurp(csv, NULL), *c2 = slurp(xlsx, NULL);
  ok(c1 && strcmp(c1, "old") == 0 && c2 && strcmp(c2, "old") == 0, "the earlier files are unchanged");
  ok(dir_entries(dir) == 2, "no temporary left beside them (%zu entries)", dir_entries(dir));
  g_free(c1);
  g_free(c2);
  g_free(m1);
  g_free(m2);
  g_unlink(csv);
  g_unlink(xlsx);
  g_free(csv);
  g_free(xlsx);
  g_free(nodir);
  g_free(noxl);
  rs_pubtable_free(t);
}

/* ---- xlsx ----------------------------------------------------------------- */

static char *unzip_member(const char *zip, const char *member) {
  const char *argv[] = {"unzip", "-p", zip, member, NULL};
  char *out = NULL;
  int status = 0;
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                    NULL, &status, NULL))
    return NULL;
  if (!g_spawn_check_wait_status(status, NULL)) {
    g_free(out);
    return NULL;
  }
  return out;
}

/* The XML of cell `ref` ("C3") in a sheet, or NULL. */
static char *cell_xml(const char *sheet, const char *ref) {
  char *open = g_strdup_printf("<c r=\"%s\"", ref);
  const char *p = strstr(sheet, open);
  g_free(open);
  if (!p) return NULL;
  const char *gt = strchr(p, '>');
  if (!gt) return NULL;
  if (gt[-1] == '/') return g_strndup(p, (size_t)(gt + 1 - p));
  const char *end = strstr(p, "</c>");
  return end ? g_strndup(p, (size_t)(end + 4 - p)) : NULL;
}

/* A number cell: no t= attribute, <v>want</v>. */
static int is_number(const char *sheet, const char *ref, const char *want) {
  char *c = cell_xml(sheet, ref);
  char *v = g_strdup_printf("<v>%s</v>", want);
  int r = c && !strstr(c, " t=\"") && strstr(c, v);
  if (!r) diag("%s: %s", ref, c ? c : "(missing)");
  g_free(v);
  g_free(c);
  return r;
}

/* A text cell (inline string in constant-memory mode) holding want. */
static int is_text(const char *sheet, const char *ref, const char *want) {
  char *c = cell_xml(sheet, ref);
  char *v = g_strdup_printf("<t>%s</t>", want);
  int r = c && strstr(c, "t=\"inlineStr\"") && strstr(c, v);
  if (!r) diag("%s: %s", ref, c ? c : "(missing)");
  g_free(v);
  g_free(c);
  return r;
}

static void test_xlsx(const char *dir) {
  rs_pubtable *tabs[4];
  tabs[0] = suppressed_table("klager", TRUE);
  tabs[1] = suppressed_table("klager", FALSE);  /* same id: renamed */
  tabs[2] = suppressed_table("klager_etter_kommune_og_aar_med_medhold", TRUE);  /* 39 characters */
  tabs[3] = suppressed_table("Tegnforklaring", TRUE);  /* the symbols sheet's own name */

  char **names = rs_tables_sheet_names(tabs, 4, "nb");
  ok(names && g_strv_length(names) == 5 && strcmp(names[0], "klager") == 0 && strcmp(names[1], "klager_2") == 0 &&
     strcmp(names[2], "klager_etter_kommune_og_aar_med") == 0 && strlen(names[2]) == 31 &&
     strcmp(names[3], "Tegnforklaring_2") == 0 && strcmp(names[4], "Tegnforklaring") == 0,
     "sheet names unique, at most 31 characters, symbols sheet last");
  g_strfreev(names);
  rs_pubtable *odd = suppressed_table("a[b]:c*d?e/f\\g", TRUE);
  names = rs_tables_sheet_names(&odd, 1, "en");
  ok(strcmp(names[0], "a_b__c_d_e_f_g") == 0 && strcmp(names[1], "Symbols") == 0,
     "characters Excel forbids become '_'; en symbols sheet 'Symbols'");
  g_strfreev(names);
  rs_pubtable_free(odd);

  char *path = g_build_filename(dir, "46-vestland.xlsx", NULL);
  GError *err = NULL;
  gboolean w = rs_tables_write_xlsx(tabs, 4, path, "nb", &err);
  ok(w, "xlsx written%s%s", err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);
  size_t len = 0;
  char *bytes = slurp(path, &len);
  ok(bytes && len > 4 && memcmp(bytes, "PK\x03\x04", 4) == 0, "the xlsx is a zip file (%zu bytes)", len);
  g_free(bytes);
  ok(dir_entries(dir) == 1, "only the workbook in the directory (no temporary)");

  char *unzip = g_find_program_in_path("unzip");
  char *wbx = unzip ? unzip_member(path, "xl/workbook.xml") : NULL;
  if (!unzip) {
    for (int i = 0; i < 16; i++) skip_test("unzip not installed");
  } else {
    ok(wbx && strstr(wbx, "name=\"klager\"") && strstr(wbx, "name=\"klager_2\"") &&
       strstr(wbx, "name=\"klager_etter_kommune_og_aar_med\"") && strstr(wbx, "name=\"Tegnforklaring_2\"") &&
       strstr(wbx, "name=\"Tegnforklaring\""), "workbook.xml names the five sheets");
    ok(wbx && strstr(wbx, "name=\"klager\"") < strstr(wbx, "name=\"Tegnforklaring\"") &&
       strstr(wbx, "name=\"Tegnforklaring_2\"") < strstr(wbx, "name=\"Tegnforklaring\""),
       "symbols sheet comes last");
    char *s1 = unzip_member(path, "xl/worksheets/sheet1.xml");
    char *s2 = unzip_member(path, "xl/worksheets/sheet2.xml");
    char *s5 = unzip_member(path, "xl/worksheets/sheet5.xml");
    ok(s1 && is_text(s1, "A1", "Klager og medhold etter kommune") && is_text(s1, "A2", "Kommunenr.") &&
       is_text(s1, "B2", "Kommune") && is_text(s1, "D2", "Medhold (%)") &&
       is_text(s1, "E2", "Medhold (%), nedre KI-grense") && is_text(s1, "F2", "Medhold (%), øvre KI-grense") &&
       is_text(s1, "G2", "Endring fra i fjor (prosentpoeng)"), "title and header row with units");
    ok(s1 && is_text(s1, "A3", "4601") && is_text(s1, "A7", "46"), "kommune codes are text");
    ok(s1 && is_number(s1, "C3", "12345") && is_number(s1, "D3", "25.26") && is_number(s1, "E3", "20.04") &&
       is_number(s1, "F3", "31.5") && is_number(s1, "G3", "-1.5"), "published values are numbers (full precision)");
    ok(s1 && is_number(s1, "C7", "12356") && is_number(s1, "G5", "2"), "total row and Etne's change are numbers");
    ok(s1 && is_text(s1, "C4", ":") && is_text(s1, "D4", ":") && is_text(s1, "E4", ":") && is_text(s1, "F4", ":") &&
       is_text(s1, "G4", ":") && is_text(s1, "C5", ":") && is_text(s1, "D5", ":"), "suppressed cells are ':' text");
    ok(s1 && is_text(s1, "C6", "-") && is_text(s1, "D6", ".") && is_text(s1, "G6", "."), "'-' and '.' are text");
    ok(s1 && !strstr(s1, "<v>3</v>") && !strstr(s1, "<v>8</v>") && !strstr(s1, "33.3") && !strstr(s1, "9.04") &&
       !strstr(s1, "70.1") && !strstr(s1, "7.7") && !strstr(s1, "12.5") && !strstr(s1, "47.1") &&
       !strstr(s1, "<v>2.2</v>"), "no suppressed value anywhere in the sheet XML");
    ok(s1 && is_text(s1, "A9", "Kilde: Statsforvalteren i Vestland (testdata).") , "note under the table");
    ok(s1 && strstr(s1, "<pane ") && strstr(s1, "ySplit=\"2\""), "panes frozen under the header");
    ok(s2 && is_text(s2, "A2", "Kommune") && is_number(s2, "B3", "12345") && is_text(s2, "B4", ":"),
       "a table without codes starts with the label column");
    ok(s5 && is_text(s5, "A1", "Tegnforklaring") && is_text(s5, "A3", ":") && is_text(s5, "A4", "-") &&
       is_text(s5, "A5", "."), "symbols sheet lists : - .");
    ok(s5 && strstr(s5, "færre enn 5 personer"), "symbols sheet states min_n");
    char *styles = unzip_member(path, "xl/styles.xml");
    ok(styles && strstr(styles, "formatCode=\"#,##0.0\""), "one-decimal number format present");
    g_free(styles);
    char *shared = unzip_member(path, "xl/sharedStrings.xml");
    char *all = g_strconcat(s1 ? s1 : "", s2 ? s2 : "", shared ? shared : "", NULL);
    ok(!strstr(all, ">33.3<") && !strstr(all, ">33,3<"), "no suppressed share as text either");
    g_free(all);
    g_free(shared);
    g_free(s1);
    g_free(s2);
    g_free(s5);

    /* en */
    char *pen = g_build_filename(dir, "46-vestland-en.xlsx", NULL);
    ok(rs_tables_write_xlsx(tabs, 1, pen, "en", &err), "en xlsx written");
    g_clear_error(&err);
    char *e1 = unzip_member(pen, "xl/worksheets/sheet1.xml"), *e2 = unzip_member(pen, "xl/worksheets/sheet2.xml");
    char *ewb = unzip_member(pen, "xl/workbook.xml");
    ok(e1 && is_text(e1, "E2", "Medhold (%), CI lower") && ewb && strstr(ewb, "name=\"Symbols\"") && e2 &&
       strstr(e2, "fewer than 5 persons"), "en labels and symbols sheet");
    g_free(e1);
    g_free(e2);
    g_free(ewb);
    g_unlink(pen);
    g_free(pen);
  }
  g_free(wbx);
  g_free(unzip);

  /* no tables: symbols sheet alone */
  char *p0 = g_build_filename(dir, "empty.xlsx", NULL);
  ok(rs_tables_write_xlsx(NULL, 0, p0, "nb", &err) && g_file_test(p0, G_FILE_TEST_IS_REGULAR),
     "zero tables: a workbook with the symbols sheet only");
  g_clear_error(&err);
  g_unlink(p0);
  g_free(p0);

  g_unlink(path);
  g_free(path);
  for (int i = 0; i < 4; i++) rs_pubtable_free(tabs[i]);
}

int main(void) {
  rs_atomic_guard_signals();  /* ignores SIGXFSZ, as the program does */
  char *dir = g_dir_make_tmp("test-tables-XXXXXX", NULL);
  if (!dir) {
    printf("Bail out! cannot make a temporary directory\n");
    return 1;
  }
  test_csv(dir);
  test_refusals(dir);
  test_unwritable(dir);
  test_xlsx(dir);
  ok(dir_entries(dir) == 0, "the test leaves its directory empty");
  g_rmdir(dir);
  g_free(dir);
  return done();
}
