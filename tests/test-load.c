/* test-load.c — data file to table (datasets/load.h): types from the
 * codebook and inferred, missing values by reason, codebook missing codes,
 * kommune padding, Klass exports, the second pass after a late turn to
 * text, trailing unnamed columns, problems collected for `validate`, and
 * the parallel path for large files against the single-threaded one.
 *
 * Where the expected values come from: the files are written out below and
 * every expected cell, count and line number is read off them by hand
 * (line N is the N-th line of the literal).  Dates as days since 1970-01-01
 * are from Python's datetime: (date(2022,8,1) - date(1970,1,1)).days = 19205,
 * 2023-03-15 -> 19431.  Numbers are those strtod gives for the same digits
 * written with '.' (e.g. "2,5" -> 2.5, "1 414,5" -> 1414.5).
 */
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/load.h"
#include "datasets/table.h"
#include "tests/tap.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

static char *tmpdir;

static char *write_file(const char *name, const char *bytes, gssize len) {
  char *path = g_build_filename(tmpdir, name, NULL);
  GError *e = NULL;
  if (!g_file_set_contents(path, bytes, len, &e)) {
    diag("cannot write %s: %s", path, e->message);
    exit(99);
  }
  return path;
}

static bool streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static const rs_column *col(const rs_table *t, const char *name) {
  int j = t ? rs_table_find(t, name) : -1;
  return j < 0 ? NULL : &t->cols[j];
}

/* loads `data` (and an optional codebook text) written to files NAME.csv */
static rs_table *load(const char *name, const char *data, const char *cbtext, rs_diag *diag, rs_codebook **cbout,
                      GError **err) {
  char *file = g_strdup_printf("%s.csv", name);
  char *path = write_file(file, data, -1);
  rs_codebook *cb = NULL;
  if (cbtext) {
    char *cbfile = g_strdup_printf("%s.codebook.csv", name);
    char *cbpath = write_file(cbfile, cbtext, -1);
    cb = rs_codebook_load(cbpath, NULL, err);
    g_free(cbfile);
    g_free(cbpath);
    if (!cb) {
      g_free(file);
      g_free(path);
      return NULL;
    }
  }
  rs_load_options o;
  rs_load_options_init(&o);
  o.codebook = cb;
  o.diag = diag;
  o.quiet = true;
  rs_table *t = rs_load_table(path, &o, NULL, err);
  if (cbout) *cbout = cb; else rs_codebook_free(cb);
  g_free(file);
  g_free(path);
  return t;
}

static bool num_is(const rs_column *c, size_t i, double want) {
  return c && c->storage == RS_STORE_NUM && rs_column_present(c, i) && c->num[i] == want;
}
static bool str_is(const rs_column *c, size_t i, const char *want) {
  return c && c->storage == RS_STORE_STR && rs_column_present(c, i) && streq(c->str[i], want);
}
static bool miss_is(const rs_column *c, size_t i, rs_miss want) { return c && rs_column_miss(c, i) == want; }

/* the first problem in `d` whose message contains `needle`, or NULL */
static const rs_problem *find_problem(const rs_diag *d, const char *needle) {
  for (guint i = 0; i < d->items->len; i++) {
    const rs_problem *p = g_ptr_array_index(d->items, i);
    if (strstr(p->message, needle)) return p;
  }
  return NULL;
}

static void show_err(GError **err) {
  if (*err) {
    diag("error: %s", (*err)->message);
    g_clear_error(err);
  }
}

/* ---- types from the codebook ------------------------------------------------------ */

static void test_codebook_types(void) {
  /* 1 header; rows on lines 2-5.  Codebook: q1 likert 1-5 with missing 8|9;
   * timer numeric with missing -1 and 'vet ikke'; koord category 1|2|3;
   * dato date; kommune kommune (codes padded); vekt weight. */
  const char *data =
    "id;q1;timer;koord;dato;kommune;vekt\n"
    "a1;4;2,5;1;01.08.2022;301;1,25\n"
    "a2;8;-1;2;2023-03-15;0301;0,75\n"
    "a3;9;vet ikke;3;;5001;1\n"
    "a4;;1 414,5;9;15.03.2023;4601;2\n";
  const char *cb =
    "name;type;min;max;missing;values\n"
    "id;id;;;;\n"
    "q1;likert;1;5;8|9;1=Helt uenig|5=Helt enig\n"
    "timer;numeric;0;;-1|vet ikke;\n"
    "koord;category;;;9;1=barnekoordinator|2=koordinator|3=ingen\n"
    "dato;date;;;;\n"
    "kommune;kommune;;;;\n"
    "vekt;weight;;;;\n";
  GError *err = NULL;
  rs_diag *d = rs_diag_new();
  rs_table *t = load("cbtypes", data, cb, d, NULL, &err);
  show_err(&err);
  ok(t && t->nrows == 4 && t->ncols == 7, "codebook file: 4 rows, 7 columns");
  ok(d->n_errors == 0, "no errors (%zu)", d->n_errors);
  if (!t) { rs_diag_free(d); return; }
  const rs_column *id = col(t, "id"), *q1 = col(t, "q1"), *timer = col(t, "timer"), *koord = col(t, "koord"),
                  *dato = col(t, "dato"), *kom = col(t, "kommune"), *vekt = col(t, "vekt");
  ok(id && id->type == RS_TYPE_ID && id->storage == RS_STORE_STR && !id->inferred && str_is(id, 2, "a3"),
     "id: type id from the codebook, stored as text");
  ok(q1 && q1->type == RS_TYPE_LIKERT && num_is(q1, 0, 4), "q1: likert, 4");
  ok(miss_is(q1, 1, RS_MISS_CODE) && q1->num[1] == 8 && miss_is(q1, 2, RS_MISS_CODE) && q1->num[2] == 9,
     "q1: 8 and 9 are declared missing codes (kept as the code)");
  ok(miss_is(q1, 3, RS_MISS_EMPTY), "q1: the empty cell is missing 'empty'");
  ok(timer && timer->type == RS_TYPE_NUMERIC && num_is(timer, 0, 2.5) && num_is(timer, 3, 1414.5),
     "timer: decimal comma 2,5 and '1 414,5' (decimal comma detected from the data)");
  ok(miss_is(timer, 1, RS_MISS_CODE) && miss_is(timer, 2, RS_MISS_CODE),
     "timer: -1 and the text code 'vet ikke' are declared missing codes");
  ok(koord && koord->type == RS_TYPE_CATEGORY && num_is(koord, 0, 1) && num_is(koord, 2, 3) &&
     miss_is(koord, 3, RS_MISS_CODE), "koord: category codes 1..3, 9 declared missing");
  ok(dato && dato->type == RS_TYPE_DATE && num_is(dato, 0, 19205) && num_is(dato, 1, 19431) &&
     miss_is(dato, 2, RS_MISS_EMPTY), "dato: 01.08.2022 = day 19205, 2023-03-15 = day 19431, empty missing");
  ok(kom && kom->type == RS_TYPE_KOMMUNE && str_is(kom, 0, "0301") && str_is(kom, 1, "0301") && str_is(kom, 2, "5001"),
     "kommune: '301' padded to '0301' (Excel drops the leading zero)");
  const rs_problem *pad = find_problem(d, "padded");
  ok(d->n_warnings == 1 && pad && pad->severity == RS_SEVERITY_WARNING && pad->line == 2 && streq(pad->column, "kommune"),
     "one warning about padding, on line 2, column 'kommune'");
  ok(vekt && vekt->type == RS_TYPE_WEIGHT && num_is(vekt, 0, 1.25) && num_is(vekt, 1, 0.75), "vekt: weights 1,25 0,75");
  ok(t->row_line[0] == 2 && t->row_line[3] == 5, "rows keep their physical lines 2..5");
  rs_table_free(t);
  rs_diag_free(d);
}

/* ---- problems are collected with line and column (validate) ------------------------ */

static void test_problems_collected(void) {
  const char *data =
    "id;q1;koord;vekt;dato;kommune\n"  /* 1 */
    "1;4;1;1;01.08.2022;0301\n"        /* 2 good */
    "2;6;1;1;01.08.2022;0301\n"        /* 3 q1 outside 1-5 */
    "3;2,5;4;1;01.08.2022;0301\n"      /* 4 q1 not whole; koord 4 undeclared */
    "4;3;2;-1;29.02.2023;03a1\n";      /* 5 weight, date, kommune */
  const char *cb =
    "name;type;min;max;values\n"
    "id;id;;;\nq1;likert;1;5;\nkoord;category;;;1=a|2=b|3=c\nvekt;weight;;;\ndato;date;;;\nkommune;kommune;;;\n";
  GError *err = NULL;
  rs_diag *d = rs_diag_new();
  rs_table *t = load("problems", data, cb, d, NULL, &err);
  show_err(&err);
  ok(t != NULL && d->n_errors == 6, "validate mode: all 6 problems collected (got %zu)", d->n_errors);
  struct {
    long line;
    const char *column, *needle;
  } want[] = {
    {3, "q1", "'6' is outside the scale 1–5"},
    {4, "q1", "'2,5' is not a whole number"},
    {4, "koord", "'4' is not one of the codes declared for 'koord' (1, 2, 3)"},
    {5, "vekt", "the survey weight '-1' is not positive"},
    {5, "dato", "'29.02.2023' is not a date"},
    {5, "kommune", "'03a1' is not a kommune number"},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(want); k++) {
    const rs_problem *p = find_problem(d, want[k].needle);
    ok(p && p->line == want[k].line && streq(p->column, want[k].column) && p->severity == RS_SEVERITY_ERROR,
       "line %ld, column '%s': %s", want[k].line, want[k].column, want[k].needle);
    if (p && (p->line != want[k].line || !streq(p->column, want[k].column)))
      diag("reported at line %ld, column '%s'", p->line, p->column ? p->column : "(null)");
  }
  const rs_column *q1 = col(t, "q1");
  ok(q1 && miss_is(q1, 1, RS_MISS_EMPTY) && num_is(q1, 2, 3) == false && num_is(q1, 3, 3),
     "a refused cell is left missing; the row's other cells are kept");
  rs_table_free(t);

  /* the same file without diag: the first error stops the load, as a GError */
  t = load("problems", data, cb, NULL, NULL, &err);
  ok(t == NULL && g_error_matches(err, RS_ERROR, RS_ERROR_VALUE) &&
     strstr(err->message, "problems.csv: line 3, column 'q1': '6' is outside the scale 1–5 declared in the codebook"),
     "describe mode: the first error, with file, line and column (%s)", err ? err->message : "no error");
  g_clear_error(&err);
  rs_diag_free(d);
}

/* ---- inferred types ------------------------------------------------------------------- */

static void test_inferred(void) {
  const char *data =
    "id;alder;andel;dato;kommune;fylke;kjonn;tom;kommentar\n"
    "r1;34;0,5;2022-08-01;0301;03;K;;fint\n"
    "r2;41;1,25;2022-08-02;3024;32;M;;greit\n"
    "r3;29;2;2022-08-03;0301;03;K;;ok\n"
    "r4;52;3;2022-08-04;4601;46;K;;bra\n"
    "r5;38;;2022-08-05;5001;50;M;;supert\n";
  GError *err = NULL;
  rs_table *t = load("inferred", data, NULL, NULL, NULL, &err);
  show_err(&err);
  ok(t && t->nrows == 5, "inferred: 5 rows");
  if (!t) return;
  const rs_column *c;
  c = col(t, "id");
  ok(c && c->type == RS_TYPE_ID && c->inferred, "'id' with 5 distinct texts: id (got %s)", c ? rs_type_name(c->type) : "-");
  c = col(t, "alder");
  ok(c && c->type == RS_TYPE_INTEGER && num_is(c, 3, 52), "whole numbers: integer");
  c = col(t, "andel");
  ok(c && c->type == RS_TYPE_NUMERIC && num_is(c, 1, 1.25) && miss_is(c, 4, RS_MISS_EMPTY),
     "decimal-comma numbers: numeric, 1,25 = 1.25, empty missing");
  c = col(t, "dato");
  ok(c && c->type == RS_TYPE_DATE && num_is(c, 0, 19205) && num_is(c, 4, 19209), "ISO dates: date, day 19205..19209");
  c = col(t, "kommune");
  ok(c && c->type == RS_TYPE_KOMMUNE && str_is(c, 0, "0301"), "4-digit codes named 'kommune': kommune, '0301' kept");
  c = col(t, "fylke");
  ok(c && c->type == RS_TYPE_FYLKE && str_is(c, 0, "03"), "2-digit codes named 'fylke': fylke, '03' kept");
  c = col(t, "kjonn");
  ok(c && c->type == RS_TYPE_CATEGORY && str_is(c, 1, "M"), "2 levels in 5 rows: category (got %s)",
     c ? rs_type_name(c->type) : "-");
  c = col(t, "tom");
  ok(c && c->type == RS_TYPE_NUMERIC && miss_is(c, 0, RS_MISS_EMPTY), "an all-empty column: numeric, all missing");
  c = col(t, "kommentar");
  ok(c && c->type == RS_TYPE_STRING && str_is(c, 4, "supert"), "5 distinct texts: string");
  rs_table_free(t);
}

/* ---- SSB symbols --------------------------------------------------------------------------- */

static void test_ssb_missing(void) {
  /* 1 title, 2 blank, 3 header, 4.. data */
  const char *data =
    "Tabell 1: Barn med koordinator\n\n"
    "region;antall\n"
    "0301 Oslo;1 414,5\n"  /* 4 */
    "3024 B\xC3\xA6rum;..\n"
    "4601 Bergen;:\n"
    "5001 Trondheim;-\n"
    "1103 Stavanger;123*\n"
    "1108 Sandnes;...\n"
    "3005 Drammen;.\n"
    "4204 Kristiansand;\n";  /* 11 */
  GError *err = NULL;
  rs_table *t = load("ssb", data, NULL, NULL, NULL, &err);
  show_err(&err);
  const rs_column *c = col(t, "antall");
  ok(t && t->nrows == 8 && c && c->type == RS_TYPE_NUMERIC, "SSB table: 8 rows, antall numeric");
  if (!c) { rs_table_free(t); return; }
  ok(num_is(c, 0, 1414.5) && !(c->miss[0] & (RS_FLAG_PROVISIONAL | RS_FLAG_ZERO_BY_DEF)), "'1 414,5' = 1414.5");
  ok(miss_is(c, 1, RS_MISS_UNAVAILABLE), "'..' data missing");
  ok(miss_is(c, 2, RS_MISS_SUPPRESSED), "':' suppressed");
  ok(num_is(c, 3, 0) && (c->miss[3] & RS_FLAG_ZERO_BY_DEF), "'-' present, 0, zero by definition");
  ok(num_is(c, 4, 123) && (c->miss[4] & RS_FLAG_PROVISIONAL), "'123*' present, 123, provisional");
  ok(miss_is(c, 5, RS_MISS_NOT_YET), "'...' not yet available");
  ok(miss_is(c, 6, RS_MISS_NA), "'.' cannot occur");
  ok(miss_is(c, 7, RS_MISS_EMPTY), "empty cell");
  ok(t->row_line[0] == 4 && t->row_line[7] == 11, "rows on lines 4..11 after the title and blank line");
  rs_table_free(t);
}

/* ---- Klass export: short rows are padded, not errors ------------------------------------- */

static void test_klass(void) {
  const char *data =
    "code;parentCode;level;name;shortName;presentationName;validFrom;validTo;notes\n"
    "0301;;1;Oslo\n"
    "3024;;1;B\xC3\xA6rum;;;;;\n"
    "5001;;1;Trondheim - Tr\xC3\xA5" "ante;Trondheim\n";
  GError *err = NULL;
  rs_diag *d = rs_diag_new();
  rs_table *t = load("klass", data, NULL, d, NULL, &err);
  show_err(&err);
  ok(t && t->nrows == 3 && d->n_errors == 0, "Klass export: 3 rows, short rows are no error (%zu errors)", d->n_errors);
  const rs_column *code = col(t, "code"), *name = col(t, "name"), *shortn = col(t, "shortName");
  ok(code && str_is(code, 0, "0301"), "code '0301' kept as text (leading zero)");
  ok(name && str_is(name, 1, "B\xC3\xA6rum") && str_is(name, 2, "Trondheim - Tr\xC3\xA5" "ante"), "names kept");
  ok(shortn && miss_is(shortn, 0, RS_MISS_EMPTY) && str_is(shortn, 2, "Trondheim"),
     "the missing fields of a short row are empty");
  rs_table_free(t);
  rs_diag_clear(d);

  /* the same short row in an ordinary file is an error naming the first missing column */
  t = load("notklass", "id;a;b;c\n1;2;3;4\n2;3\n", NULL, d, NULL, &err);
  const rs_problem *p = find_problem(d, "this row has 2 fields, but the header row has 4");
  ok(t && d->n_errors == 1 && p && p->line == 3 && streq(p->column, "b"),
     "not a Klass file: the short row on line 3 is an error at column 'b'");
  rs_table_free(t);
  rs_diag_free(d);
}

/* ---- a late turn to text: the second pass keeps the spelling ------------------------------ */

static void test_late_flip(void) {
  const char *data =
    "id;kode;beløp;tall\n"
    "1;1;1,5;10\n"
    "2;2;3,50;20\n"
    "3;007;abc;30\n"
    "4;12;2;40\n";
  GError *err = NULL;
  rs_diag *d = rs_diag_new();
  rs_table *t = load("flip", data, NULL, d, NULL, &err);
  show_err(&err);
  ok(t && t->nrows == 4 && d->n_errors == 0, "late flip: 4 rows, no errors");
  const rs_column *kode = col(t, "kode"), *bel = col(t, "beløp"), *tall = col(t, "tall");
  ok(kode && kode->storage == RS_STORE_STR && str_is(kode, 0, "1") && str_is(kode, 2, "007") && str_is(kode, 3, "12"),
     "'007' after numbers: the column is text and '007' keeps its zeros");
  ok(bel && bel->storage == RS_STORE_STR && str_is(bel, 1, "3,50") && str_is(bel, 0, "1,5") && str_is(bel, 2, "abc"),
     "'abc' after numbers: the earlier '3,50' keeps its spelling (not 3.5)");
  ok(tall && tall->type == RS_TYPE_INTEGER && num_is(tall, 3, 40), "the other columns are unaffected (tall integer)");
  ok(t && t->row_line[3] == 5, "row lines after the second pass (line 5 for row 4)");
  rs_table_free(t);
  rs_diag_free(d);
}

/* ---- trailing unnamed columns (Excel's ";;;") -------------------------------------------------- */

static void test_trailing_unnamed(void) {
  GError *err = NULL;
  rs_diag *d = rs_diag_new();
  rs_table *t = load("trailing", "id;x;;;\n1;2;;;\n2;3;;;\n3;4;  ;;\n", NULL, d, NULL, &err);
  show_err(&err);
  ok(t && t->nrows == 3 && t->ncols == 2 && d->n_errors == 0,
     "';;;' trailing unnamed columns, empty: accepted, 2 columns (%zu errors)", d->n_errors);
  rs_table_free(t);
  rs_diag_clear(d);
  t = load("trailing-bad", "id;x;;;\n1;2;;;\n2;3;;z;\n", NULL, d, NULL, &err);
  const rs_problem *p = find_problem(d, "column 4 has a value ('z') but no name");
  ok(t && d->n_errors == 1 && p && p->line == 3, "a value in an unnamed column is an error on its line (3)");
  rs_table_free(t);
  rs_diag_free(d);
}

/* ---- a category with text codes is stored as text (table.h) ------------------------------- */

static void test_text_category(void) {
  const char *data = "id;koord\n1;barnekoordinator\n2;koordinator\n3;ingen\n4;vet ikke\n5;annen\n";
  const char *cb =
    "name;type;missing;values\n"
    "id;id;;\n"
    "koord;category;vet ikke;barnekoordinator=Barnekoordinator|koordinator=Koordinator|ingen=Ingen\n";
  GError *err = NULL;
  rs_diag *d = rs_diag_new();
  rs_table *t = load("textcat", data, cb, d, NULL, &err);
  show_err(&err);
  const rs_column *k = col(t, "koord");
  ok(k && k->type == RS_TYPE_CATEGORY && k->storage == RS_STORE_STR && str_is(k, 0, "barnekoordinator") &&
     str_is(k, 2, "ingen"), "text codes declared in the codebook: a text category");
  ok(k && miss_is(k, 3, RS_MISS_CODE), "'vet ikke' is a declared missing code");
  const rs_problem *p = find_problem(d, "'annen' is not one of the codes declared for 'koord'");
  ok(d->n_errors == 1 && p && p->line == 6 && streq(p->column, "koord"), "an undeclared text code is an error on line 6");
  rs_table_free(t);
  rs_diag_free(d);
}

/* ---- messages stay valid UTF-8 when a long value is shortened ----------------------------- */

static void test_message_utf8(void) {
  /* 'a' + 30 x 'æ' (2 bytes each): a cut at byte 40 would split an 'æ' */
  GString *data = g_string_new("id;x\n1;a");
  for (int k = 0; k < 30; k++) g_string_append(data, "\xC3\xA6");
  g_string_append(data, "\n");
  GError *err = NULL;
  rs_diag *d = rs_diag_new();
  rs_table *t = load("utf8msg", data->str, "name;type\nid;id\nx;numeric\n", d, NULL, &err);
  show_err(&err);
  const rs_problem *p = find_problem(d, "is not a number");
  ok(p && g_utf8_validate(p->message, -1, NULL) && (!p->value || g_utf8_validate(p->value, -1, NULL)),
     "a message quoting a long value with æ is valid UTF-8 (regression: it was cut inside a character)");
  rs_table_free(t);
  rs_diag_free(d);
  g_string_free(data, TRUE);
}

/* ---- large files: the parallel path equals the single-threaded one ---------------------------- */

static bool tables_equal(const rs_table *a, const rs_table *b, char **why) {
  if (a->nrows != b->nrows || a->ncols != b->ncols) {
    *why = g_strdup_printf("shape %zux%zu vs %zux%zu", a->nrows, a->ncols, b->nrows, b->ncols);
    return false;
  }
  for (size_t j = 0; j < a->ncols; j++) {
    const rs_column *x = &a->cols[j], *y = &b->cols[j];
    if (strcmp(x->name, y->name) != 0 || x->type != y->type || x->storage != y->storage) {
      *why = g_strdup_printf("column %zu: %s %s vs %s %s", j, x->name, rs_type_name(x->type), y->name,
                             rs_type_name(y->type));
      return false;
    }
    for (size_t i = 0; i < a->nrows; i++) {
      bool same = x->miss[i] == y->miss[i] && a->row_line[i] == b->row_line[i];
      if (same && rs_column_present(x, i))
        same = x->storage == RS_STORE_NUM ? x->num[i] == y->num[i] : strcmp(x->str[i], y->str[i]) == 0;
      if (!same) {
        *why = g_strdup_printf("column %s, row %zu differs", x->name, i);
        return false;
      }
    }
  }
  return true;
}

static rs_table *load_path(const char *path, const char *threads, const rs_codebook *cb, GError **err) {
  g_setenv("REFORMSTAT_THREADS", threads, TRUE);
  rs_load_options o;
  rs_load_options_init(&o);
  o.quiet = true;
  o.codebook = cb;
  rs_table *t = rs_load_table(path, &o, NULL, err);
  g_unsetenv("REFORMSTAT_THREADS");
  return t;
}

static void test_parallel(void) {
  /* ~10 MB, quote-free: over the 8 MiB at which describe reads in parallel.
   * Row i (line i + 1): id i; gruppe one of 3 texts; x = i / 4 written with
   * a decimal comma; kommune 4 digits; dato a date. */
  static const char *const grp[] = {"barnekoordinator", "koordinator", "ingen"};
  GString *s = g_string_new("id;gruppe;x;kommune;dato;notat\n");
  size_t n = 0;
  while (s->len < (10u << 20)) {
    n++;
    g_string_append_printf(s, "%zu;%s;%zu,%02zu;%04zu;2022-%02zu-%02zu;rad nummer %zu\n", n, grp[n % 3], n / 4,
                           (n % 4) * 25, 301 + (n % 50) * 100, 1 + n % 12, 1 + n % 28, n);
  }
  char *path = write_file("large.csv", s->str, (gssize)s->len);
  GError *err = NULL;
  rs_table *one = load_path(path, "1", NULL, &err);
  show_err(&err);
  rs_table *many = load_path(path, "4", NULL, &err);
  show_err(&err);
  char *why = NULL;
  ok(one && one->nrows == n, "large file, one thread: %zu rows", n);
  ok(one && many && tables_equal(one, many, &why), "large file: 4 threads give the same table as one%s%s",
     why ? ": " : "", why ? why : "");
  g_free(why);
  why = NULL;
  const rs_column *x = col(many, "x");
  /* row n-1 (0-based) has id n: x = n/4 + (n%4)*0.25 */
  ok(x && num_is(x, n - 1, (double)(n / 4) + (double)(n % 4) * 0.25) && x->type == RS_TYPE_NUMERIC,
     "last row: x = %zu,%02zu", n / 4, (n % 4) * 25);
  ok(many && many->row_line[n - 1] == (int32_t)(n + 1), "last row on line %zu", n + 1);
  rs_table_free(one);
  rs_table_free(many);

  /* a text value deep in the file (past the rows read before going
   * parallel) turns 'x' to text: the parallel path must give way */
  g_string_append(s, "999999;ingen;mange;0301;2022-01-01;siste\n");
  g_free(path);
  path = write_file("large-flip.csv", s->str, (gssize)s->len);
  one = load_path(path, "1", NULL, &err);
  show_err(&err);
  many = load_path(path, "4", NULL, &err);
  show_err(&err);
  x = col(many, "x");
  ok(many && many->nrows == n + 1 && x && x->storage == RS_STORE_STR && str_is(x, n, "mange") &&
     str_is(x, 1, "0,50"), "large file with a late text value: x is text, '0,50' keeps its spelling");
  ok(one && many && tables_equal(one, many, &why), "... and 4 threads equal one%s%s", why ? ": " : "", why ? why : "");
  g_free(why);
  why = NULL;
  rs_table_free(one);
  rs_table_free(many);

  /* with a codebook, an error near the end stops the load and names its line */
  s->len -= strlen("999999;ingen;mange;0301;2022-01-01;siste\n");
  g_string_append(s, "999999;ingen;-3;0301;2022-01-01;siste\n");
  g_free(path);
  path = write_file("large-error.csv", s->str, (gssize)s->len);
  char *cbpath = write_file("large-error.codebook.csv",
                            "name;type;min\nid;id;\ngruppe;string;\nx;numeric;0\nkommune;kommune;\ndato;date;\nnotat;string;\n",
                            -1);
  rs_codebook *cb = rs_codebook_load(cbpath, NULL, &err);
  show_err(&err);
  char *want = g_strdup_printf("line %zu, column 'x': '-3' is outside the range at least 0", n + 2);
  for (int k = 0; k < 2; k++) {
    rs_table *t = load_path(path, k ? "4" : "1", cb, &err);
    ok(t == NULL && err && strstr(err->message, want), "%s: the error in the last row is reported at line %zu (%s)",
       k ? "4 threads" : "one thread", n + 2, err ? err->message : "no error");
    g_clear_error(&err);
    rs_table_free(t);
  }
  g_free(want);
  rs_codebook_free(cb);
  g_free(cbpath);
  g_free(path);
  g_string_free(s, TRUE);
}

int main(void) {
  GError *err = NULL;
  tmpdir = g_dir_make_tmp("rs-test-load-XXXXXX", &err);
  if (!tmpdir) {
    printf("1..0 # SKIP no temporary directory: %s\n", err->message);
    return 0;
  }
  test_codebook_types();
  test_problems_collected();
  test_inferred();
  test_ssb_missing();
  test_klass();
  test_late_flip();
  test_trailing_unnamed();
  test_text_category();
  test_message_utf8();
  test_parallel();

  GDir *d = g_dir_open(tmpdir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    char *f = g_build_filename(tmpdir, name, NULL);
    g_unlink(f);
    g_free(f);
  }
  if (d) g_dir_close(d);
  g_rmdir(tmpdir);
  g_free(tmpdir);
  return done();
}
