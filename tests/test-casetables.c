/* test-casetables.c — Statsforvalteren's case tables (report/casetables.h)
 * on the bundled sample (datasets/sample/cases.csv), fylke 46 Vestland.
 *
 * Expected figures are hand counts over cases.csv (the suppressed values stay
 * in the struct, so every raw figure can be checked):
 *   complaints received by kommune × year, by subject, totals:
 *     awk -F, 'NR>1 && $2==1 && $3=="46"{n[$4" "substr($6,1,4)]++; s[$4" s"$5]++; y[substr($6,1,4)]++; tot++}
 *              END{for(x in n)print x,n[x]; for(x in s)print x,s[x]; for(x in y)print "year",x,y[x]; print tot}' cases.csv
 *     → 4601: 2019 3, 2023 2, 2024 4, 2025 6 (15; subjects 4/8/3); years 5 4 5 3 6 9 8; total 40;
 *       subjects 10/19/11; 4602 (Kinn): 1 in 2024.
 *   decisions by year decided (complaints with date_decided):
 *     awk -F, 'NR>1 && $2==1 && $3=="46" && $7!=""{y=substr($7,1,4); d[y]++; o[y" o"$9]++; w[y]+=($8<=28)}
 *              END{for(x in d)print x,d[x],o[x" o1"]+0,o[x" o2"]+0,o[x" o3"]+0,w[x]}' cases.csv
 *     → 2019: 5 decided, 2 upheld, 3 not, 0 back, 3 within 28 days; all: 40, 16, 18, 6, 22;
 *       subject 2: 19 decided, 6/9/4.
 *   processing days (R):
 *     d <- read.csv("cases.csv", colClasses="character"); d <- d[d$case_type=="1" & d$fylke=="46" & d$date_decided!="",]
 *     x <- as.numeric(d$processing_days); median(x) → 27.5; mean(x) → 31.775; 100*mean(x<=28) → 55
 *     tapply(x, substr(d$date_decided,1,4), median)["2020"] → 38.5; tapply(x, d$subject, median)["2"] → 33
 *   tilsyn: awk -F, 'NR>1 && $2==2 && $3=="46"' cases.csv → 7 rows, opened 2019:1 2020:3 2021:1 2023:1 2024:1,
 *     all closed, one with breaches (2020, lovbrudd 3), subjects 1/5/1.
 */
#include <string.h>

#include "datasets/codebook.h"
#include "datasets/load.h"
#include "report/casetables.h"
#include "report/tables.h"
#include "tests/tap.h"

static rs_table *load_cases(rs_codebook **cbo, const char *const *only) {
  const char *src = g_getenv("top_srcdir");
  char *data = g_strdup_printf("%s/datasets/sample/cases.csv", src ? src : ".");
  char *cbp = g_strdup_printf("%s/datasets/sample/cases-codebook.csv", src ? src : ".");
  GError *err = NULL;
  rs_codebook *cb = rs_codebook_load(cbp, NULL, &err);
  rs_table *t = NULL;
  if (cb) {
    rs_load_options o;
    rs_load_options_init(&o);
    o.codebook = cb;
    o.quiet = true;
    o.only = only;
    t = rs_load_table(data, &o, NULL, &err);
  }
  if (!t) diag("cannot load %s: %s", data, err ? err->message : "?");
  g_clear_error(&err);
  *cbo = cb;
  g_free(data);
  g_free(cbp);
  return t;
}

static rs_pubtable *find(GPtrArray *a, const char *id) {
  for (guint i = 0; a && i < a->len; i++) {
    rs_pubtable *t = g_ptr_array_index(a, i);
    if (strcmp(t->id, id) == 0) return t;
  }
  return NULL;
}

static long row_of(const rs_pubtable *t, const char *label) {
  for (size_t r = 0; r < t->nrows; r++)
    if (t->rows[r].label && strcmp(t->rows[r].label, label) == 0) return (long)r;
  return -1;
}
static long col_of(const rs_pubtable *t, const char *key) {
  for (size_t c = 0; c < t->ncols; c++)
    if (strcmp(t->cols[c].key, key) == 0) return (long)c;
  return -1;
}
/* raw value (suppressed or not); NaN when row/col unknown */
static double val(const rs_pubtable *t, const char *row, const char *key) {
  long r = row_of(t, row), c = col_of(t, key);
  if (r < 0 || c < 0) {
    diag("no cell %s / %s in %s", row, key, t->id);
    return NAN;
  }
  return rs_pubtable_cell_c(t, (size_t)r, (size_t)c)->value;
}
static rs_cell_state state(const rs_pubtable *t, const char *row, const char *key) {
  long r = row_of(t, row), c = col_of(t, key);
  return r < 0 || c < 0 ? RS_CELL_NA : rs_pubtable_cell_c(t, (size_t)r, (size_t)c)->state;
}

static int audit_ok(const rs_pubtable *t, double min_n) {
  rs_audit_result res = {0};
  GError *err = NULL;
  gboolean safe = rs_disclosure_audit(t, min_n, &res, &err);
  if (!safe) diag("%s: %s", t->id, res.message ? res.message : err ? err->message : "?");
  rs_audit_result_clear(&res);
  g_clear_error(&err);
  return safe;
}

/* No published cell rests on 0 < n < min_n, and a count and its share are
 * suppressed together where the share's count is suppressed. */
static int share_follows_count(const rs_pubtable *t, const char *count, const char *share) {
  long cc = col_of(t, count), cs = col_of(t, share);
  if (cc < 0 || cs < 0) return 0;
  for (size_t r = 0; r < t->nrows; r++) {
    const rs_pubcell *a = rs_pubtable_cell_c(t, r, (size_t)cc), *b = rs_pubtable_cell_c(t, r, (size_t)cs);
    if (rs_cell_state_suppressed(a->state) && b->state == RS_CELL_VALUE &&
        rs_pubtable_cell_c(t, r, 0)->state == RS_CELL_VALUE) {
      diag("%s row %s: %s suppressed but %s published", t->id, t->rows[r].label, count, share);
      return 0;
    }
  }
  return 1;
}

static void test_vestland(const rs_table *cases) {
  GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(names, "4601", "Bergen");
  g_hash_table_insert(names, "4602", "Kinn");
  g_hash_table_insert(names, "4611", "Etne");
  const char *const kommuner[] = {"4601", "4602", "4611", NULL};  /* 4611 Etne has no complaints */
  rs_casetables_options o = {.fylke_name = "Vestland", .kommune_names = names, .kommuner = kommuner};
  GError *err = NULL;
  GPtrArray *tabs = rs_casetables_build_opt(cases, "46", &o, "nb", 5, &err);
  ok(tabs && tabs->len == 3, "three tables for Vestland%s%s", err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);
  if (!tabs) {
    g_hash_table_destroy(names);
    return;
  }
  rs_pubtable *a = find(tabs, "saker-klager-kommune"), *b = find(tabs, "saker-klager-utfall"),
              *c = find(tabs, "saker-tilsyn");
  ok(a && b && c, "ids saker-klager-kommune, saker-klager-utfall, saker-tilsyn");
  if (!a || !b || !c) {
    g_ptr_array_unref(tabs);
    g_hash_table_destroy(names);
    return;
  }
  for (guint i = 0; i < tabs->len; i++) {
    rs_pubtable *t = g_ptr_array_index(tabs, i);
    ok(t->min_n == 5 && audit_ok(t, 5), "%s: suppressed with min_n 5 and passes the audit", t->id);
  }

  /* (a) */
  ok(a->nrows == 21 && a->ncols == 11, "kommune table: 20 kommuner + total, 7 years + total + 3 subjects (%zu × %zu)",
     a->nrows, a->ncols);
  ok(strcmp(a->rows[a->nrows - 1].label, "Vestland i alt") == 0 && strcmp(a->rows[a->nrows - 1].code, "46") == 0 &&
     a->rows[a->nrows - 1].role == RS_ROLE_TOTAL, "total row 'Vestland i alt', code 46");
  ok(strcmp(a->rows[0].code, "4601") == 0 && strcmp(a->rows[0].label, "Bergen") == 0 &&
     strcmp(a->rows[3].code, "4613") == 0 && strcmp(a->rows[3].label, "4613") == 0,
     "kommuner in code order; names from the hash, else the code");
  const char *yk[] = {"mottatt_2019", "mottatt_2020", "mottatt_2021", "mottatt_2022", "mottatt_2023", "mottatt_2024",
                      "mottatt_2025"};
  const double ytot[] = {5, 4, 5, 3, 6, 9, 8}, ybergen[] = {3, 0, 0, 0, 2, 4, 6};
  int good = 1;
  for (int y = 0; y < 7; y++)
    good &= val(a, "Vestland i alt", yk[y]) == ytot[y] && val(a, "Bergen", yk[y]) == ybergen[y];
  ok(good, "complaints by year received: fylke 5 4 5 3 6 9 8, Bergen 3 0 0 0 2 4 6 (awk)");
  ok(val(a, "Vestland i alt", "mottatt_i_alt") == 40 && val(a, "Bergen", "mottatt_i_alt") == 15 &&
     val(a, "Vestland i alt", "tema_barnekoordinator") == 10 && val(a, "Vestland i alt", "tema_koordinator") == 19 &&
     val(a, "Vestland i alt", "tema_individuell_plan") == 11 && val(a, "Bergen", "tema_koordinator") == 8,
     "totals 40 / Bergen 15; subjects 10/19/11; Bergen koordinator 8 (awk)");
  ok(state(a, "Kinn", "mottatt_2024") == RS_CELL_PRIMARY && val(a, "Kinn", "mottatt_2024") == 1,
     "Kinn's single complaint (2024) is ':' (primary)");
  ok(state(a, "Etne", "mottatt_i_alt") == RS_CELL_ZERO && state(a, "Etne", "mottatt_2019") == RS_CELL_ZERO,
     "Etne (in the list, no complaints): '-'");
  ok(state(a, "Vestland i alt", "mottatt_i_alt") == RS_CELL_VALUE, "the fylke total 40 is published");
  ok(state(a, "Bergen", "mottatt_2020") == RS_CELL_ZERO && state(a, "Bergen", "mottatt_2025") == RS_CELL_VALUE,
     "Bergen 2020 '-', 2025 (6) published");

  /* (b) */
  ok(b->nrows == 11 && b->ncols == 8, "outcome table: 7 years + 3 subjects + total, 8 columns");
  ok(val(b, "2019", "avgjort") == 5 && val(b, "2019", "medhold") == 2 && val(b, "2019", "ikke_medhold") == 3 &&
     val(b, "2019", "opphevet") == 0, "2019: decided 5 = 2 upheld + 3 not + 0 back (awk)");
  ok(val(b, "Alle klager", "avgjort") == 40 && val(b, "Alle klager", "medhold") == 16 &&
     val(b, "Alle klager", "ikke_medhold") == 18 && val(b, "Alle klager", "opphevet") == 6,
     "all: 40 = 16 + 18 + 6 (awk)");
  ok(val(b, "Koordinator", "avgjort") == 19 && val(b, "Koordinator", "medhold") == 6 &&
     val(b, "Koordinator", "opphevet") == 4, "koordinator: 19 decided, 6 upheld, 4 sent back (awk)");
  ok_close(val(b, "Alle klager", "medhold_pst"), 40.0, 1e-12, "share upheld 16/40 = 40 %");
  ok_close(val(b, "Alle klager", "dager_median"), 27.5, 1e-12, "median processing days 27.5 (R median)");
  ok_close(val(b, "Alle klager", "dager_snitt"), 31.775, 1e-12, "mean processing days 31.775 (R mean)");
  ok_close(val(b, "Alle klager", "innen_4_uker_pst"), 55.0, 1e-12, "55 % within 28 days (R 100*mean(x<=28))");
  ok_close(val(b, "2020", "dager_median"), 38.5, 1e-12, "2020 median 38.5 (R tapply)");
  ok_close(val(b, "Koordinator", "dager_median"), 33.0, 1e-12, "koordinator median 33 (R tapply)");
  ok(state(b, "2019", "medhold") == RS_CELL_PRIMARY && rs_cell_state_suppressed(state(b, "2019", "medhold_pst")),
     "2019: 2 upheld is ':' and so is its share");
  ok(share_follows_count(b, "medhold", "medhold_pst"), "no share upheld published where its count is suppressed");
  ok(state(b, "Alle klager", "avgjort") == RS_CELL_VALUE && state(b, "Alle klager", "dager_median") == RS_CELL_VALUE,
     "fylke totals published");
  ok(state(b, "2020", "avgjort") == RS_CELL_PRIMARY && rs_pubtable_cell_c(b, 1, 0)->n == 4 &&
     rs_cell_state_suppressed(state(b, "2020", "dager_median")) &&
     rs_cell_state_suppressed(state(b, "2020", "innen_4_uker_pst")),
     "2020: 4 decided is ':', and so are its median and deadline share");
  {
    size_t len = 0;
    char *csv = rs_tables_csv_text(b, "en", &len, NULL);
    ok(csv && strstr(csv, "\nAlle klager,40,16,18,6,40.0,27.5,31.8,55.0\n"),
       "CSV total row: 40,16,18,6, 40.0 %%, median 27.5, mean 31.8, 55.0 %%");
    g_free(csv);
  }

  /* (c) */
  ok(c->nrows == 11 && c->ncols == 7, "tilsyn table: 11 × 7");
  ok(val(c, "Alle tilsyn", "tilsyn") == 7 && val(c, "Alle tilsyn", "avsluttet") == 7 &&
     val(c, "Alle tilsyn", "pagaende") == 0 && val(c, "Alle tilsyn", "med_lovbrudd") == 1 &&
     val(c, "Alle tilsyn", "uten_lovbrudd") == 6 && val(c, "Alle tilsyn", "lovbrudd") == 3,
     "tilsyn: 7 opened, 7 closed, 1 with breaches (3), 6 without (awk)");
  ok(val(c, "2020", "tilsyn") == 3 && val(c, "2022", "tilsyn") == 0 && val(c, "Koordinator", "tilsyn") == 5,
     "tilsyn 2020: 3, 2022: 0, koordinator: 5 (awk)");
  ok(rs_cell_state_suppressed(state(c, "Alle tilsyn", "med_lovbrudd")) &&
     rs_cell_state_suppressed(state(c, "Alle tilsyn", "lovbrudd")) &&
     rs_cell_state_suppressed(state(c, "Alle tilsyn", "med_lovbrudd_pst")),
     "the one tilsyn with breaches: count, breaches and share all ':'");
  ok(share_follows_count(c, "med_lovbrudd", "med_lovbrudd_pst"), "no tilsyn share published where its count is ':'");

  /* notes: no data figures in them, and the first is not a 'no cases' sentence */
  ok(a->notes->len >= 1 && !strstr(g_ptr_array_index(a->notes, 0), "ikke registrert"),
     "Vestland has complaints: no 'none' note");
  int digits = 0;
  for (guint i = 0; i < tabs->len; i++) {
    rs_pubtable *t = g_ptr_array_index(tabs, i);
    for (guint k = 0; k < t->notes->len; k++) {
      GString *n = g_string_new(g_ptr_array_index(t->notes, k));
      g_string_replace(n, "2024", "", 0);
      g_string_replace(n, "28", "", 0);
      for (const char *p = n->str; *p; p++) digits |= g_ascii_isdigit(*p);
      g_string_free(n, TRUE);
    }
  }
  ok(!digits, "notes carry no figures from the data (only 2024 and 28 days)");

  /* the tables can be written as CSV (tables.h accepts them) */
  size_t len = 0;
  char *csv = rs_tables_csv_text(a, "nb", &len, &err);
  ok(csv && g_str_has_prefix(csv, "\xEF\xBB\xBF" "code;label;mottatt_2019;"), "kommune table writes as CSV");
  /* 2020 (4) and 2022 (3) are primary; 40 − the published years = 7 = their sum, so the pair protects itself */
  ok(csv && strstr(csv, "\r\n46;Vestland i alt;5;:;5;:;6;9;8;40;10;19;11\r\n"), "CSV fylke row 5;:;5;:;6;9;8;40;10;19;11");
  g_free(csv);
  g_clear_error(&err);

  /* en */
  GPtrArray *en = rs_casetables_build_opt(cases, "46", &o, "en", 5, &err);
  rs_pubtable *ea = en ? find(en, "saker-klager-kommune") : NULL;
  ok(ea && strcmp(ea->rows[ea->nrows - 1].label, "Vestland, total") == 0 && row_of(find(en, "saker-klager-utfall"),
     "All complaints") >= 0, "English labels");
  g_clear_error(&err);
  if (en) g_ptr_array_unref(en);

  /* the same suppression pattern every time */
  GPtrArray *again = rs_casetables_build_opt(cases, "46", &o, "nb", 5, &err);
  int same = again != NULL;
  for (guint i = 0; same && i < 3; i++) {
    rs_pubtable *p = g_ptr_array_index(tabs, i), *q = g_ptr_array_index(again, i);
    for (size_t k = 0; k < p->nrows * p->ncols; k++) same &= p->cells[k].state == q->cells[k].state;
  }
  ok(same, "deterministic: a second build suppresses the same cells");
  if (again) g_ptr_array_unref(again);

  g_ptr_array_unref(tabs);
  g_hash_table_destroy(names);
}

static void test_empty(const rs_table *cases) {
  const char *const kommuner[] = {"9901", "9902", NULL};
  rs_casetables_options o = {.fylke_name = "Testfylke", .kommuner = kommuner};
  GError *err = NULL;
  GPtrArray *tabs = rs_casetables_build_opt(cases, "99", &o, "nb", 5, &err);
  ok(tabs && tabs->len == 3, "a fylke without cases still gets three tables%s%s", err ? ": " : "",
     err ? err->message : "");
  g_clear_error(&err);
  if (!tabs) return;
  int zeros = 1, safe = 1, notes = 1;
  for (guint i = 0; i < tabs->len; i++) {
    rs_pubtable *t = g_ptr_array_index(tabs, i);
    safe &= audit_ok(t, 5);
    for (size_t r = 0; r < t->nrows; r++)
      for (size_t c = 0; c < t->ncols; c++) {
        const rs_pubcell *x = rs_pubtable_cell_c(t, r, c);
        rs_cell_state want = t->cols[c].kind == RS_COL_COUNT ? RS_CELL_ZERO : RS_CELL_NA;
        if (x->state != want) zeros = 0;
      }
    const char *n0 = t->notes->len ? g_ptr_array_index(t->notes, 0) : "";
    notes &= strstr(n0, "ikke registrert noen") && strstr(n0, "Testfylke") && strstr(n0, "2019–2025");
  }
  ok(zeros, "every count '-', every share/mean/median '.'");
  ok(safe, "all three pass the audit");
  ok(notes, "first note of each says there were no cases in Testfylke in 2019–2025");
  rs_pubtable *a = find(tabs, "saker-klager-kommune");
  ok(a && a->nrows == 3 && strcmp(a->rows[2].label, "Testfylke i alt") == 0, "kommune rows from the list + total");
  diag("note: %s", (char *)g_ptr_array_index(a->notes, 0));
  size_t nc = 9, nt = 9;
  ok(rs_casetables_count(cases, "99", &nc, &nt, NULL) && nc == 0 && nt == 0, "rs_casetables_count: 0 and 0");
  ok(rs_casetables_count(cases, "46", &nc, &nt, NULL) && nc == 40 && nt == 7, "rs_casetables_count 46: 40 and 7 (awk)");
  g_ptr_array_unref(tabs);

  /* without options: codes as labels, "fylke 99" */
  tabs = rs_casetables_build(cases, "99", NULL, 0, &err);
  a = tabs ? find(tabs, "saker-klager-kommune") : NULL;
  ok(a && a->nrows == 1 && strcmp(a->rows[0].label, "fylke 99 i alt") == 0 && a->min_n == RS_DISCLOSURE_MIN_N,
     "plain build: only the total row, 'fylke 99 i alt', default min_n");
  g_clear_error(&err);
  if (tabs) g_ptr_array_unref(tabs);
}

/* Kommune list and names from the reference data (../shared/data/norway). */
static void test_refdata(const rs_table *cases) {
  const char *dir = g_getenv("REFDATA_SRC");
  GError *err = NULL;
  rs_refdata *ref = dir && *dir ? rs_refdata_load(dir, &err) : NULL;
  g_clear_error(&err);
  if (!ref) {
    for (int i = 0; i < 3; i++) skip_test("no reference data (REFDATA_SRC)");
    return;
  }
  rs_casetables_options o = {.ref = ref};
  GPtrArray *tabs = rs_casetables_build_opt(cases, "46", &o, "nb", 5, &err);
  rs_pubtable *a = tabs ? find(tabs, "saker-klager-kommune") : NULL;
  /* wc: awk -F, '$1 ~ /^46/' kommuner_2024.csv | wc -l → 43 */
  ok(a && a->nrows == 44, "with refdata: all 43 kommuner of Vestland (2024) + total (%zu rows)", a ? a->nrows : 0);
  ok(a && strcmp(a->rows[0].label, "Bergen") == 0 && strcmp(a->rows[a->nrows - 1].label, "Vestland i alt") == 0,
     "names from refdata: Bergen … Vestland i alt");
  ok(a && audit_ok(a, 5) && val(a, "Vestland i alt", "mottatt_i_alt") == 40, "still 40 complaints, audit passes");
  g_clear_error(&err);
  if (tabs) g_ptr_array_unref(tabs);
  rs_refdata_free(ref);
}

/* A complaint without kommune: an "Uoppgitt kommune" row keeps the sums true. */
static void test_unknown_kommune(rs_table *cases) {
  int jk = rs_table_find(cases, "kommune");
  size_t i = 0;
  while (i < cases->nrows && !(cases->cols[jk].str[i] && strcmp(cases->cols[jk].str[i], "4650") == 0)) i++;
  char *keep = cases->cols[jk].str[i];
  uint8_t keepm = cases->cols[jk].miss[i];
  cases->cols[jk].str[i] = NULL;
  cases->cols[jk].miss[i] = RS_MISS_EMPTY;
  GError *err = NULL;
  GPtrArray *tabs = rs_casetables_build(cases, "46", "nb", 5, &err);
  rs_pubtable *a = tabs ? find(tabs, "saker-klager-kommune") : NULL;
  ok(a && row_of(a, "Uoppgitt kommune") == (long)a->nrows - 2 && val(a, "Uoppgitt kommune", "mottatt_i_alt") == 1 &&
     val(a, "4650", "mottatt_i_alt") == 2 && val(a, "fylke 46 i alt", "mottatt_i_alt") == 40 && audit_ok(a, 5),
     "a complaint without kommune: 'Uoppgitt kommune' 1, 4650 2, total 40, audit passes");
  g_clear_error(&err);
  if (tabs) g_ptr_array_unref(tabs);
  cases->cols[jk].str[i] = keep;
  cases->cols[jk].miss[i] = keepm;
}

static void test_errors(rs_table *cases) {
  GError *err = NULL;
  ok(!rs_casetables_build(cases, "4x", "nb", 5, &err) && err && err->code == RS_ERROR_USAGE, "bad fylke code: %s",
     err ? err->message : "");
  g_clear_error(&err);
  ok(!rs_casetables_build(cases, "46", "de", 5, &err) && err && err->code == RS_ERROR_USAGE, "bad language");
  g_clear_error(&err);
  int j = rs_table_find(cases, "case_type");
  double keep = cases->cols[j].num[3];
  cases->cols[j].num[3] = 7;
  GPtrArray *r = rs_casetables_build(cases, "46", "nb", 5, &err);
  ok(!r && err && strstr(err->message, "line 5") && strstr(err->message, "case_type") && strstr(err->message, "'7'"),
     "case_type 7: error naming line and column (%s)", err ? err->message : "");
  g_clear_error(&err);
  cases->cols[j].num[3] = keep;

  rs_codebook *cb = NULL;
  const char *const only[] = {"case_id", "case_type", "fylke", "kommune", "subject", "date_received", "date_decided",
                              "processing_days", "lovbrudd", NULL};
  rs_table *t = load_cases(&cb, only);
  r = t ? rs_casetables_build(t, "46", "nb", 5, &err) : NULL;
  ok(t && !r && err && strstr(err->message, "'outcome' is missing"), "missing column 'outcome': %s",
     err ? err->message : "");
  g_clear_error(&err);
  if (t) rs_table_free(t);
  if (cb) rs_codebook_free(cb);
}

int main(void) {
  rs_codebook *cb = NULL;
  rs_table *cases = load_cases(&cb, NULL);
  if (!cases) {
    printf("Bail out! cannot load the sample cases\n");
    return 1;
  }
  ok(cases->nrows == 477, "sample cases: 477 rows");
  test_vestland(cases);
  test_empty(cases);
  test_refdata(cases);
  test_unknown_kommune(cases);
  test_errors(cases);
  rs_table_free(cases);
  rs_codebook_free(cb);
  return done();
}
