/* test-reader.c — the reader core (datasets/reader.h) on small files written
 * here into a temporary directory: delimiter, decimal mark, encoding, BOM,
 * line ends and header detection; title lines and --skip; physical line
 * numbers across quoted newlines, blank lines and 1 MiB read chunks; the
 * callback contract (stop, second run).
 *
 * Where the expected values come from: every file is spelled out byte by
 * byte below, so the expected cells, row counts and line numbers are read
 * off the literal by hand (line N is the N-th '\n'-terminated line).  The
 * Windows-1252 bytes are from the code page table (0xE6 æ, 0xF8 ø, 0xC5 Å,
 * 0x80 €); the UTF-8 spellings from the Unicode code charts.
 */
#include "datasets/error.h"
#include "datasets/reader.h"
#include "tests/tap.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

static char *tmpdir;

/* writes `len` bytes (or a C string when len < 0) to a new file in tmpdir */
static char *write_file(const char *name, const char *bytes, gssize len) {
  char *path = g_build_filename(tmpdir, name, NULL);
  GError *e = NULL;
  if (!g_file_set_contents(path, bytes, len, &e)) {
    diag("cannot write %s: %s", path, e->message);
    exit(99);
  }
  return path;
}

/* ---- collecting what the reader emits --------------------------------------- */

typedef struct {
  GPtrArray *rows;    /* of GPtrArray* of char* (row 0 is the header when there is one) */
  GArray *row_line;   /* line each row began on (row_end's line) */
  GArray *last_field_line;  /* line the last field of each row ended on */
  GPtrArray *cur;
  long cur_last_line;
  size_t stop_at_row; /* when nonzero: the field callback returns 7 on this row */
  char *contract;     /* first violation of the callback contract */
  size_t next_row;
} coll;

static void coll_init(coll *c, bool header) {
  memset(c, 0, sizeof *c);
  c->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  c->row_line = g_array_new(FALSE, FALSE, sizeof(long));
  c->last_field_line = g_array_new(FALSE, FALSE, sizeof(long));
  c->cur = g_ptr_array_new_with_free_func(g_free);
  c->next_row = header ? 0 : 1;
}

static void coll_free(coll *c) {
  g_ptr_array_free(c->rows, TRUE);
  g_array_free(c->row_line, TRUE);
  g_array_free(c->last_field_line, TRUE);
  g_ptr_array_free(c->cur, TRUE);
  g_free(c->contract);
}

static int c_field(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  coll *c = ctx;
  if (!c->contract && (row != c->next_row || col != c->cur->len || text[len] != '\0'))
    c->contract = g_strdup_printf("field row %zu col %zu, expected row %zu col %u", row, col, c->next_row,
                                  c->cur->len);
  if (c->stop_at_row && row == c->stop_at_row) return 7;
  g_ptr_array_add(c->cur, g_strndup(text, len));
  c->cur_last_line = line;
  return 0;
}

static int c_row(void *ctx, size_t row, size_t nfields, long line) {
  coll *c = ctx;
  if (!c->contract && (row != c->next_row || nfields != c->cur->len))
    c->contract = g_strdup_printf("row_end row %zu with %zu fields, expected row %zu with %u", row, nfields,
                                  c->next_row, c->cur->len);
  g_ptr_array_add(c->rows, c->cur);
  g_array_append_val(c->row_line, line);
  g_array_append_val(c->last_field_line, c->cur_last_line);
  c->cur = g_ptr_array_new_with_free_func(g_free);
  c->next_row = row + 1;
  return 0;
}

static const rs_reader_callbacks callbacks = {.field = c_field, .row_end = c_row};

static const char *cell(const coll *c, guint row, guint col) {
  if (row >= c->rows->len) return "<no row>";
  GPtrArray *r = g_ptr_array_index(c->rows, row);
  return col < r->len ? g_ptr_array_index(r, col) : "<no column>";
}

static guint nfields(const coll *c, guint row) {
  return row < c->rows->len ? ((GPtrArray *)g_ptr_array_index(c->rows, row))->len : 0;
}

static long row_line(const coll *c, guint row) {
  return row < c->row_line->len ? g_array_index(c->row_line, long, row) : -1;
}

/* Opens and runs a file once with `opt` (NULL: defaults).  Returns the run's
 * status (or -2 when open failed); *sn gets a copy of what was detected. */
static int read_all(const char *path, const rs_read_options *opt, coll *c, rs_sniff *sn, GError **err) {
  rs_read_options o;
  if (opt) o = *opt; else rs_read_options_init(&o);
  coll_init(c, o.header);
  rs_reader *r = rs_reader_open(path, &o, err);
  if (!r) return -2;
  if (sn) {
    *sn = *rs_reader_sniffed(r);
    sn->title = g_strdup(sn->title);
  }
  int rc = rs_reader_run(r, &callbacks, c, err);
  rs_reader_free(r);
  return rc;
}

static bool streq(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* ---- tests --------------------------------------------------------------------- */

static void test_delimiters(void) {
  struct {
    const char *name, *text;
    char delim, decimal;
    const char *cell11;  /* row 1, column 1 */
  } cases[] = {
    {"semicolon-comma.csv", "id;x\n1;2,5\n2;3,75\n3;4\n", ';', ',', "2,5"},
    {"tab.tsv", "id\tx\ty\n1\t2.5\t3\n2\t3.5\t4\n", '\t', '.', "2.5"},
    {"pipe.txt", "id|x\n1|2.5\n2|3\n", '|', '.', "2.5"},
    {"comma.csv", "id,x,y\n1,2.5,3\n2,3.5,4\n", ',', '.', "2.5"},
    /* commas inside quotes must not make it look comma-delimited */
    {"quoted-commas.csv", "id;navn\n1;\"Oslo, sentrum\"\n2;\"Bergen, Sandviken\"\n3;\"Troms\xC3\xB8, sentrum\"\n",
     ';', '.', "Oslo, sentrum"},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
    char *path = write_file(cases[k].name, cases[k].text, -1);
    coll c;
    rs_sniff sn;
    GError *err = NULL;
    int rc = read_all(path, NULL, &c, &sn, &err);
    ok(rc == 0, "%s: read", cases[k].name);
    if (err) { diag("%s", err->message); g_clear_error(&err); }
    ok(sn.delimiter == cases[k].delim && sn.delimiter_detected, "%s: delimiter %s detected (got %s)", cases[k].name,
       rs_reader_delimiter_name(cases[k].delim), rs_reader_delimiter_name(sn.delimiter));
    ok(sn.decimal == cases[k].decimal, "%s: decimal '%c' (got '%c')", cases[k].name, cases[k].decimal, sn.decimal);
    ok(streq(cell(&c, 1, 1), cases[k].cell11), "%s: row 1 column 2 is '%s' (got '%s')", cases[k].name,
       cases[k].cell11, cell(&c, 1, 1));
    ok(c.contract == NULL, "%s: callback contract kept%s%s", cases[k].name, c.contract ? ": " : "",
       c.contract ? c.contract : "");
    g_free(sn.title);
    coll_free(&c);
    g_free(path);
  }
}

static void test_encodings(void) {
  GError *err = NULL;
  coll c;
  rs_sniff sn;

  /* Windows-1252: B\xE6rum Bærum, Troms\xF8 Tromsø, \xC5lesund Ålesund, \x80 € */
  char *p = write_file("cp1252.csv", "navn;merknad\nB\xE6rum;\x80 5\nTroms\xF8;x\n\xC5lesund;y\n", -1);
  int rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && streq(sn.encoding, "windows-1252") && !sn.bom, "Windows-1252 detected from lone high bytes (got %s)",
     sn.encoding);
  ok(streq(cell(&c, 1, 0), "B\xC3\xA6rum") && streq(cell(&c, 2, 0), "Troms\xC3\xB8") &&
     streq(cell(&c, 3, 0), "\xC3\x85lesund"), "Windows-1252 æ ø Å arrive as UTF-8");
  ok(streq(cell(&c, 1, 1), "\xE2\x82\xAC 5"), "Windows-1252 0x80 is the euro sign U+20AC (not a C1 control)");
  g_free(sn.title);
  coll_free(&c);
  rs_read_options o;
  rs_read_options_init(&o);
  o.encoding = "iso-8859-1";
  rc = read_all(p, &o, &c, &sn, &err);
  ok(rc == 0 && streq(sn.encoding, "iso-8859-1") && streq(cell(&c, 1, 0), "B\xC3\xA6rum") &&
     streq(cell(&c, 1, 1), "\xC2\x80 5"), "--encoding iso-8859-1: 0xE6 is æ, 0x80 is U+0080");
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  /* UTF-8 with a byte-order mark: the BOM is not part of the first name */
  p = write_file("bom.csv", "\xEF\xBB\xBFid;navn\n1;B\xC3\xA6rum\n", -1);
  rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && sn.bom && streq(sn.encoding, "utf-8"), "UTF-8 BOM detected");
  ok(streq(cell(&c, 0, 0), "id"), "the BOM is not part of the first header name (got '%s')", cell(&c, 0, 0));
  ok(streq(cell(&c, 1, 1), "B\xC3\xA6rum"), "UTF-8 text kept");
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  /* UTF-16 with a byte-order mark, both byte orders: "id;navn\n1;Bærum\n2;Oslo\n" */
  const char *text = "id;navn\n1;B\xC3\xA6rum\n2;Oslo\n";
  for (int be = 0; be < 2; be++) {
    gsize n = 0;
    char *u16 = g_convert(text, -1, be ? "UTF-16BE" : "UTF-16LE", "UTF-8", NULL, &n, NULL);
    GString *bytes = g_string_new_len(be ? "\xFE\xFF" : "\xFF\xFE", 2);
    g_string_append_len(bytes, u16, (gssize)n);
    p = write_file(be ? "utf16be.csv" : "utf16le.csv", bytes->str, (gssize)bytes->len);
    rc = read_all(p, NULL, &c, &sn, &err);
    ok(rc == 0 && sn.bom && streq(sn.encoding, be ? "utf-16be" : "utf-16le"), "UTF-16%s with BOM detected (got %s)",
       be ? "BE" : "LE", sn.encoding);
    ok(c.rows->len == 3 && streq(cell(&c, 0, 0), "id") && streq(cell(&c, 1, 1), "B\xC3\xA6rum") &&
       streq(cell(&c, 2, 1), "Oslo"), "UTF-16%s: 3 rows, 'Bærum' in UTF-8", be ? "BE" : "LE");
    if (err) { diag("%s", err->message); g_clear_error(&err); }
    g_free(sn.title);
    coll_free(&c);

    /* a second run over the same reader must give the same rows (the text is
     * kept in memory for UTF-16; regression: the quote-free fast path wrote
     * NULs into it, so the second pass saw one field per line) */
    rs_read_options ro;
    rs_read_options_init(&ro);
    rs_reader *r = rs_reader_open(p, &ro, &err);
    coll c1, c2;
    coll_init(&c1, true);
    coll_init(&c2, true);
    int rc1 = r ? rs_reader_run(r, &callbacks, &c1, &err) : -1;
    int rc2 = r ? rs_reader_run(r, &callbacks, &c2, &err) : -1;
    ok(rc1 == 0 && rc2 == 0 && c2.rows->len == 3 && nfields(&c2, 2) == 2 && streq(cell(&c2, 2, 1), "Oslo") &&
       streq(cell(&c2, 1, 1), "B\xC3\xA6rum"), "UTF-16%s: a second run gives the same 3 rows of 2 fields",
       be ? "BE" : "LE");
    rs_reader_free(r);
    coll_free(&c1);
    coll_free(&c2);
    g_string_free(bytes, TRUE);
    g_free(u16);
    g_free(p);
  }

  /* errors */
  p = write_file("nul.csv", "id;x\n1;a\0b\n", 11);
  rs_read_options_init(&o);
  rs_reader *r = rs_reader_open(p, &o, &err);
  ok(r == NULL && g_error_matches(err, RS_ERROR, RS_ERROR_ENCODING) && strstr(err->message, "line 2, byte 4"),
     "a NUL byte: encoding error at line 2, byte 4 (%s)", err ? err->message : "no error");
  g_clear_error(&err);
  rs_reader_free(r);
  g_free(p);

  p = write_file("mixed.csv", "id;x\n1;\xC3\xA6\n2;\xE6\n", -1);
  r = rs_reader_open(p, &o, &err);
  ok(r == NULL && g_error_matches(err, RS_ERROR, RS_ERROR_ENCODING) && strstr(err->message, "line 3, byte 3") &&
     strstr(err->message, "0xE6"), "UTF-8 with one Windows-1252 byte: error at line 3, byte 3 (%s)",
     err ? err->message : "no error");
  g_clear_error(&err);
  rs_reader_free(r);
  o.encoding = "windows-1252";
  rc = read_all(p, &o, &c, &sn, &err);
  ok(rc == 0 && streq(cell(&c, 2, 1), "\xC3\xA6"), "the same file with --encoding windows-1252 reads 0xE6 as æ");
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  p = write_file("empty.csv", "", 0);
  rs_read_options_init(&o);
  r = rs_reader_open(p, &o, &err);
  ok(r == NULL && g_error_matches(err, RS_ERROR, RS_ERROR_PARSE) && strstr(err->message, "empty"),
     "an empty file is an error (%s)", err ? err->message : "no error");
  g_clear_error(&err);
  g_free(p);
}

/* The SHA-256 kept for a file already hashed (reader.c, for `run`'s
 * children) must be that of its bytes now: the same file again gives the
 * same hash, and one rewritten in place (same inode and size) a new one. */
static const char *sha_of(const char *path) {
  static char sha[65];
  rs_read_options o;
  rs_read_options_init(&o);
  o.sha256 = true;
  GError *e = NULL;
  rs_reader *r = rs_reader_open(path, &o, &e);
  if (!r) { g_clear_error(&e); return ""; }
  g_strlcpy(sha, rs_reader_sniffed(r)->sha256, sizeof sha);
  rs_reader_free(r);
  return sha;
}

static void test_sha256_kept(void) {
  const char *one = "id;x\n1;a\n", *two = "id;x\n2;b\n";
  char *p = write_file("sha.csv", one, -1);
  char *want1 = g_compute_checksum_for_string(G_CHECKSUM_SHA256, one, -1);
  char *want2 = g_compute_checksum_for_string(G_CHECKSUM_SHA256, two, -1);
  ok(strcmp(sha_of(p), want1) == 0, "sha256 of a file read the first time");
  ok(strcmp(sha_of(p), want1) == 0, "sha256 of the same file again (kept)");
  FILE *f = fopen(p, "r+b");
  bool written = f && fwrite(two, 1, strlen(two), f) == strlen(two);
  if (f) fclose(f);
  ok(written && strcmp(sha_of(p), want2) == 0, "sha256 of the file rewritten in place, same size: the new bytes'");
  /* a file changed seconds ago is not kept (git's racy rule): rewritten
   * again within the same second, even with its mtime set back, it is
   * hashed anew */
  struct stat st;
  stat(p, &st);
  (void)sha_of(p);
  f = fopen(p, "r+b");
  written = f && fwrite(one, 1, strlen(one), f) == strlen(one);
  if (f) fclose(f);
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  utimensat(AT_FDCWD, p, times, 0);
  ok(written && strcmp(sha_of(p), want1) == 0, "a fresh file rewritten with its mtime set back: the new bytes' sha256");
  g_free(want1);
  g_free(want2);
  g_unlink(p);
  g_free(p);
}

static void test_line_ends(void) {
  GError *err = NULL;
  coll c;
  rs_sniff sn;
  /* CRLF: no '\r' may stay in the last field */
  char *p = write_file("crlf.csv", "id;x\r\n1;a\r\n2;b\r\n", -1);
  int rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && sn.crlf && !sn.cr, "CRLF detected");
  ok(c.rows->len == 3 && streq(cell(&c, 0, 1), "x") && streq(cell(&c, 2, 1), "b"), "CRLF: no CR left in the last field");
  ok(row_line(&c, 2) == 3, "CRLF: row 2 on line 3 (got %ld)", row_line(&c, 2));
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  /* CR only (old Mac Excel) */
  p = write_file("cr.csv", "id;x\r1;a\r2;b\r", -1);
  rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && sn.cr && !sn.crlf, "CR-only line ends detected");
  ok(c.rows->len == 3 && streq(cell(&c, 2, 1), "b") && row_line(&c, 2) == 3, "CR only: 3 rows, row 2 on line 3");
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  /* no line end after the last row */
  p = write_file("noeol.csv", "id;x\n1;a\n2;b", -1);
  rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && c.rows->len == 3 && streq(cell(&c, 2, 1), "b"), "the last row without a line end is read");
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  /* blank lines: skipped, but the line numbers stay physical
   *   1 id;x   2 (blank)   3 1;2   4 (blank)   5 (blank)   6 2;3   7 (blank, CRLF) */
  p = write_file("blank.csv", "id;x\n\n1;2\n\n\n2;3\n\r\n", -1);
  rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && c.rows->len == 3, "blank lines are not rows (%u rows with the header)", c.rows->len);
  ok(row_line(&c, 1) == 3 && row_line(&c, 2) == 6, "rows after blank lines keep their physical lines 3 and 6 (got %ld, %ld)",
     row_line(&c, 1), row_line(&c, 2));
  g_free(sn.title);
  coll_free(&c);
  g_free(p);
}

static void test_quoted_newlines(void) {
  GError *err = NULL;
  coll c;
  /* 1 id;tekst;n
   * 2 1;"linje en
   * 3 linje to
   * 4 linje tre";2
   * 5 2;"a ""sitat""";3
   * 6 3;x;4 */
  char *p = write_file("multiline.csv",
                       "id;tekst;n\n1;\"linje en\nlinje to\nlinje tre\";2\n2;\"a \"\"sitat\"\"\";3\n3;x;4\n", -1);
  int rc = read_all(p, NULL, &c, NULL, &err);
  ok(rc == 0 && c.rows->len == 4, "quoted newlines: 3 data rows");
  ok(streq(cell(&c, 1, 1), "linje en\nlinje to\nlinje tre"), "the newlines inside quotes are kept");
  ok(streq(cell(&c, 2, 1), "a \"sitat\""), "doubled quotes become one");
  ok(row_line(&c, 1) == 2 && g_array_index(c.last_field_line, long, 1) == 4,
     "the multi-line row begins on line 2 and its last field ends on line 4");
  ok(row_line(&c, 2) == 5 && row_line(&c, 3) == 6, "the rows after it are on lines 5 and 6 (got %ld, %ld)",
     row_line(&c, 2), row_line(&c, 3));
  coll_free(&c);
  g_free(p);

  /* the same with CRLF: "\r\n" inside quotes is kept as is */
  p = write_file("multiline-crlf.csv", "id;tekst\r\n1;\"a\r\nb\"\r\n2;x\r\n", -1);
  rc = read_all(p, NULL, &c, NULL, &err);
  ok(rc == 0 && streq(cell(&c, 1, 1), "a\r\nb") && row_line(&c, 2) == 4, "CRLF inside quotes kept; next row on line 4");
  coll_free(&c);
  g_free(p);

  /* an error after a multi-line field reports the right physical line:
   * 1 id;tekst;n  2 1;"a  3 b  4 c";2  5 2;x;3  6 3;"q"z;4 */
  p = write_file("error-after-multiline.csv", "id;tekst;n\n1;\"a\nb\nc\";2\n2;x;3\n3;\"q\"z;4\n", -1);
  rc = read_all(p, NULL, &c, NULL, &err);
  ok(rc == -1 && g_error_matches(err, RS_ERROR, RS_ERROR_PARSE) && strstr(err->message, "line 6, column 2 ('tekst')") &&
     strstr(err->message, "after the closing quote"),
     "text after a closing quote on line 6 is reported on line 6 (%s)", err ? err->message : "no error");
  g_clear_error(&err);
  coll_free(&c);
  g_free(p);

  p = write_file("stray-after-multiline.csv", "id;tekst;n\n1;\"a\nb\";2\n2;x\"y;3\n", -1);
  rc = read_all(p, NULL, &c, NULL, &err);
  ok(rc == -1 && err && strstr(err->message, "line 4, column 2 ('tekst'): a stray double quote"),
     "a stray quote on line 4 after a two-line field (%s)", err ? err->message : "no error");
  g_clear_error(&err);
  coll_free(&c);
  g_free(p);

  /* an unclosed quote: reported where it opened, with where the file ends
   * 1 id;tekst;n  2 1;a;2  3 2;"b;3  4 3;c;4 */
  p = write_file("unclosed.csv", "id;tekst;n\n1;a;2\n2;\"b;3\n3;c;4\n", -1);
  rc = read_all(p, NULL, &c, NULL, &err);
  ok(rc == -1 && err && strstr(err->message, "line 3, column 2 ('tekst')") && strstr(err->message, "(line 4)"),
     "an unclosed quote is reported on line 3, where it opened (%s)", err ? err->message : "no error");
  g_clear_error(&err);
  coll_free(&c);
  g_free(p);
}

static void test_title_and_skip(void) {
  GError *err = NULL;
  coll c;
  rs_sniff sn;
  /* SSB StatBank "with heading": a title, a blank line, then the header */
  char *p = write_file("ssb.csv",
                       "\"12345: Barn med koordinator\"\n\n\"region\";\"\xC3\xA5r\";\"antall\"\n"
                       "\"0301 Oslo\";\"2021\";\"1 414,5\"\n\"3024 B\xC3\xA6rum\";\"2021\";\"..\"\n", -1);
  int rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && sn.skipped == 2, "SSB title and blank line: 2 lines skipped (got %d)", sn.skipped);
  ok(sn.title && streq(sn.title, "12345: Barn med koordinator"), "the title is kept, unquoted (got '%s')",
     sn.title ? sn.title : "(null)");
  ok(streq(cell(&c, 0, 0), "region") && streq(cell(&c, 0, 1), "\xC3\xA5r") && c.rows->len == 3,
     "the header is the third line; 2 data rows");
  ok(sn.decimal == ',', "decimal comma detected from '1 414,5'");
  ok(row_line(&c, 1) == 4, "the first data row is on line 4 (got %ld)", row_line(&c, 1));
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  /* a source line containing the delimiter looks like a header: --skip 1 */
  p = write_file("skip.csv", "Kilde: SSB; tabell 1\nid;x\n1;2\n", -1);
  rc = read_all(p, NULL, &c, &sn, &err);
  ok(rc == 0 && sn.skipped == 0 && streq(cell(&c, 0, 0), "Kilde: SSB"),
     "without --skip a title line with a delimiter is taken for the header");
  g_free(sn.title);
  coll_free(&c);
  rs_read_options o;
  rs_read_options_init(&o);
  o.skip = 1;
  rc = read_all(p, &o, &c, &sn, &err);
  ok(rc == 0 && sn.skipped == 1 && streq(cell(&c, 0, 0), "id") && streq(cell(&c, 1, 1), "2") && row_line(&c, 1) == 3,
     "--skip 1: the header is line 2, the data row line 3");
  g_free(sn.title);
  coll_free(&c);
  g_free(p);

  /* no header: rows count from 1 (reader.h) */
  p = write_file("noheader.csv", "1;2\n3;4\n", -1);
  rs_read_options_init(&o);
  o.header = false;
  rc = read_all(p, &o, &c, &sn, &err);
  ok(rc == 0 && c.rows->len == 2 && c.contract == NULL && streq(cell(&c, 0, 0), "1") && row_line(&c, 1) == 2,
     "header = false: 2 data rows numbered from 1%s%s", c.contract ? ": " : "", c.contract ? c.contract : "");
  g_free(sn.title);
  coll_free(&c);
  g_free(p);
}

static void test_limits_and_stop(void) {
  GError *err = NULL;
  coll c;
  rs_read_options o;
  rs_read_options_init(&o);
  o.max_field = 5;
  char *p = write_file("long.csv", "id;t\n1;abc\n2;abcdefghij\n", -1);
  int rc = read_all(p, &o, &c, NULL, &err);
  ok(rc == -1 && g_error_matches(err, RS_ERROR, RS_ERROR_LIMIT) && strstr(err->message, "line 3") &&
     strstr(err->message, "limit of 5 bytes"), "max_field 5: the 10-byte field on line 3 is refused (%s)",
     err ? err->message : "no error");
  g_clear_error(&err);
  coll_free(&c);
  g_free(p);

  p = write_file("stop.csv", "id;x\n1;a\n2;b\n3;c\n", -1);
  rs_read_options_init(&o);
  coll_init(&c, true);
  rs_reader *r = rs_reader_open(p, &o, &err);
  c.stop_at_row = 2;
  rc = r ? rs_reader_run(r, &callbacks, &c, &err) : -99;
  ok(rc == 7 && c.rows->len == 2 && err == NULL, "a callback's non-zero return stops the run and is returned (rc %d)", rc);
  coll_free(&c);
  coll_init(&c, true);
  rc = rs_reader_run(r, &callbacks, &c, &err);
  ok(rc == 0 && c.rows->len == 4 && streq(cell(&c, 3, 1), "c"), "the reader can run again after a stop");
  coll_free(&c);
  rs_reader_free(r);
  g_free(p);
}

/* Lines that cross the reader's 1 MiB chunks (CHUNK in reader.c): a CRLF
 * split between two chunks, a quoted field with a newline across the
 * boundary; every row must keep its line and its cells. */
static void test_chunk_boundaries(void) {
  const size_t chunk = 1u << 20;
  GString *s = g_string_new("id;tekst;n\r\n");
  long line = 1;
  size_t row = 0;
  /* ordinary rows up to a little before the boundary */
  while (s->len < chunk - 200) {
    row++;
    line++;
    g_string_append_printf(s, "%zu;rad %zu;%zu\r\n", row, row, row * 2);
  }
  /* a filler row whose CR is the last byte of the first chunk */
  row++;
  line++;
  g_string_append_printf(s, "%zu;", row);
  char tail[32];
  g_snprintf(tail, sizeof tail, ";%zu", row * 2);
  size_t need = chunk - 1 - s->len - strlen(tail);  /* so that the '\r' after ";n" is byte chunk-1 */
  for (size_t k = 0; k < need; k++) g_string_append_c(s, 'x');
  g_string_append_printf(s, ";%zu\r\n", row * 2);
  gboolean cr_at_boundary = s->str[chunk - 1] == '\r' && s->str[chunk] == '\n';
  size_t filler_row = row;
  /* a quoted two-line field a bit later */
  row++;
  line++;
  long quoted_line = line;
  g_string_append_printf(s, "%zu;\"to\r\nlinjer\";%zu\r\n", row, row * 2);
  line++;
  while (s->len < 2 * chunk + 5000) {
    row++;
    line++;
    g_string_append_printf(s, "%zu;rad %zu;%zu\r\n", row, row, row * 2);
  }
  char *p = write_file("chunks.csv", s->str, (gssize)s->len);
  coll c;
  GError *err = NULL;
  int rc = read_all(p, NULL, &c, NULL, &err);
  ok(cr_at_boundary, "test set-up: the CR of row %zu is the last byte of the first 1 MiB chunk", filler_row);
  ok(rc == 0 && c.rows->len == row + 1, "%zu data rows across three chunks (got %u)", row, c.rows->len - 1);
  size_t bad = 0;
  long expect_line = 2;
  for (size_t i = 1; i < c.rows->len; i++) {
    char want0[32], want2[32];
    g_snprintf(want0, sizeof want0, "%zu", i);
    g_snprintf(want2, sizeof want2, "%zu", i * 2);
    bool good = nfields(&c, (guint)i) == 3 && streq(cell(&c, (guint)i, 0), want0) &&
                streq(cell(&c, (guint)i, 2), want2) && row_line(&c, (guint)i) == expect_line;
    if (!good && bad++ < 3) diag("row %zu: '%s' '%s' '%s' on line %ld, expected line %ld", i, cell(&c, (guint)i, 0),
                                 cell(&c, (guint)i, 1), cell(&c, (guint)i, 2), row_line(&c, (guint)i), expect_line);
    expect_line += (i == filler_row + 1) ? 2 : 1;
  }
  ok(bad == 0, "every row has its 3 cells, no CR, and its physical line (%zu wrong)", bad);
  ok(streq(cell(&c, (guint)filler_row + 1, 1), "to\r\nlinjer") && row_line(&c, (guint)filler_row + 1) == quoted_line,
     "the quoted two-line field after the boundary is whole, on line %ld", quoted_line);
  coll_free(&c);
  g_free(p);
  g_string_free(s, TRUE);
}

static void test_read_text(void) {
  GError *err = NULL;
  char *p = write_file("codebook.csv", "name;type;label_nb\nq1;likert;\"Samarbeid; info\"\n\nq2;integer;Alder\n", -1);
  rs_read_options o;
  rs_read_options_init(&o);
  rs_text_table *t = rs_reader_read_text(p, &o, &err);
  ok(t != NULL && t->rows->len == 2, "rs_reader_read_text: 2 rows");
  if (t) {
    char **r0 = g_ptr_array_index(t->rows, 0), **r1 = g_ptr_array_index(t->rows, 1);
    ok(streq(r0[2], "Samarbeid; info") && streq(r1[0], "q2"), "cells, with a quoted delimiter");
    ok(g_array_index(t->lines, long, 0) == 2 && g_array_index(t->lines, long, 1) == 4, "lines 2 and 4 (blank line 3)");
    ok(rs_text_table_column(t, "TYPE") == 1 && rs_text_table_column(t, "values") == -1,
       "rs_text_table_column is case-insensitive and -1 when absent");
  }
  rs_text_table_free(t);
  g_free(p);
}

int main(void) {
  GError *err = NULL;
  tmpdir = g_dir_make_tmp("rs-test-reader-XXXXXX", &err);
  if (!tmpdir) {
    printf("1..0 # SKIP no temporary directory: %s\n", err->message);
    return 0;
  }
  test_delimiters();
  test_encodings();
  test_line_ends();
  test_sha256_kept();
  test_quoted_newlines();
  test_title_and_skip();
  test_limits_and_stop();
  test_chunk_boundaries();
  test_read_text();

  /* clean up the temporary directory */
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
