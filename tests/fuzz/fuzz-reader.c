/* fuzz-reader.c — the delimited-file reader, raw and through rs_load_table.
 *
 * The first four bytes of an input choose the options (so one target
 * explores all of them); the rest is the file:
 *   byte 0  delimiter: detect, ; , TAB |, space, or the byte itself
 *   byte 1  decimal (detect . ,), skip (detect, 0, 1, 2), header
 *   byte 2  encoding (detect, auto, utf-8, windows-1252, iso-8859-1, an
 *           unknown name), a small --max-field, SHA-256
 *   byte 3  what to run: the raw reader (one pass, two passes, and the
 *           parallel-range API checked against the single pass), the
 *           text-table reader, or rs_load_table with or without a diag list
 *           and with a column subset
 * Options the command line refuses (a delimiter of '"', CR or LF, equal
 * delimiter and decimal mark) are not passed; the library refuses some
 * of them itself, which is also checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datasets/error.h"
#include "datasets/load.h"
#include "datasets/reader.h"
#include "tests/fuzz/fuzz-common.h"

typedef struct {
  size_t stop_after;      /* stop after this many data rows (0: never) */
  size_t rows, fields;
  uint64_t hash;          /* of (row, col, text) of the rows after stop_after */
  size_t hashed_from;     /* first row that goes into the hash */
} counter;

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211u;
  return h;
}

static int on_field(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  counter *c = ctx;
  (void)line;
  /* the reader promises NUL-terminated UTF-8 of the given length */
  if (text[len] != '\0' || !g_utf8_validate(text, (gssize)len, NULL)) abort();
  c->fields++;
  if (row >= c->hashed_from) {
    c->hash = mix(c->hash, &row, sizeof row);
    c->hash = mix(c->hash, &col, sizeof col);
    c->hash = mix(c->hash, text, len + 1);
  }
  return 0;
}

static int on_row_end(void *ctx, size_t row, size_t nfields, long line) {
  counter *c = ctx;
  (void)nfields; (void)line;
  if (row > 0) c->rows++;
  if (c->stop_after && row == c->stop_after) return 7;
  return 0;
}

static void run_raw(const char *path, const rs_read_options *ro, int mode) {
  GError *e = NULL;
  rs_reader *r = rs_reader_open(path, ro, &e);
  if (!r) { fuzz_check_error(e); g_error_free(e); return; }
  const rs_sniff *sn = rs_reader_sniffed(r);
  if (!sn->encoding) abort();
  char *d = rs_load_describe_sniff(sn);
  g_free(d);
  rs_reader_callbacks cb = {.field = on_field, .row_end = on_row_end};
  counter whole = {.hash = 14695981039346656037u, .hashed_from = SIZE_MAX};
  int rc = rs_reader_run(r, &cb, &whole, &e);
  if (rc < 0) { fuzz_check_error(e); g_clear_error(&e); rs_reader_free(r); return; }
  if (mode == 1) {
    /* a second pass must see exactly the same */
    counter again = whole;
    again.rows = again.fields = 0;
    int rc2 = rs_reader_run(r, &cb, &again, &e);
    if (rc2 != rc || again.rows != whole.rows || again.fields != whole.fields) abort();
    g_clear_error(&e);
  } else if (mode == 2 && rs_reader_can_split(r) && whole.rows >= 1) {
    /* The loader's parallel path for large files: the first rows on one
     * pass, the rest cut into ranges.  When the ranges' row counts add up
     * (the loader checks that and falls back otherwise), their fields must
     * be exactly those of the single pass. */
    size_t k = 1 + (size_t)(sn->bytes % 3);
    if (k > whole.rows) k = whole.rows;
    counter ref = {.hash = 14695981039346656037u, .hashed_from = k + 1};
    if (rs_reader_run(r, &cb, &ref, &e) != 0) abort();
    counter first = {.stop_after = k, .hashed_from = SIZE_MAX};
    int rc1 = rs_reader_run(r, &cb, &first, &e);
    g_clear_error(&e);
    if (rc1 == 7) {
      long long off;
      long line;
      rs_reader_stop_position(r, &off, &line);
      rs_reader_range rg[4];
      size_t np = rs_reader_plan_ranges(r, off, line, rg, 1 + (size_t)(sn->bytes % 4), &e);
      if (np == 0) { fuzz_check_error(e); g_clear_error(&e); }
      size_t total = k;
      for (size_t i = 0; i < np; i++) total += rg[i].rows;
      counter par = {.hash = 14695981039346656037u, .hashed_from = k + 1};
      size_t first_row = k + 1;
      bool ok = np > 0;
      for (size_t i = 0; i < np && ok; i++) {
        size_t before = par.rows;
        int rr = rs_reader_run_range(r, &rg[i], first_row, &cb, &par, &e);
        if (rr != 0) { ok = false; g_clear_error(&e); }
        /* the loader falls back to the single path when a range's rows disagree */
        if (par.rows - before != rg[i].rows) ok = false;
        first_row += rg[i].rows;
      }
      if (ok && total == ref.rows && par.hash != ref.hash) {
        fprintf(stderr, "parallel ranges disagree with the single pass\n");
        abort();
      }
    }
  }
  g_clear_error(&e);
  rs_reader_free(r);
}

static void run_text(const char *path, const rs_read_options *ro) {
  GError *e = NULL;
  rs_text_table *t = rs_reader_read_text(path, ro, &e);
  if (!t) { fuzz_check_error(e); g_error_free(e); return; }
  if (t->rows->len != t->lines->len) abort();
  (void)rs_text_table_column(t, "id");
  rs_text_table_free(t);
}

static void run_load(const char *path, const rs_read_options *ro, int sub) {
  rs_load_options o;
  rs_load_options_init(&o);
  o.read = *ro;
  o.quiet = true;
  o.input_format = "csv";
  static const char *const only[] = {"a", "x", "id", NULL};
  static const char *const require[] = {"a", NULL};
  if (sub & 1) o.diag = rs_diag_new();
  if (sub & 2) o.only = only;
  if (sub & 4) o.require = require;
  rs_sniff sn = {0};
  GError *e = NULL;
  rs_table *t = rs_load_table(path, &o, &sn, &e);
  if (!t) fuzz_check_error(e);
  g_free(sn.title);   /* set even on failure, as the commands expect */
  g_clear_error(&e);
  rs_table_free(t);
  if (o.diag) rs_diag_free(o.diag);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc; (void)argv;
  fuzz_init_common();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  rs_read_options ro;
  rs_read_options_init(&ro);
  static const char delims[] = {0, ';', ',', '\t', '|', ' '};
  uint8_t b0 = data[0], b1 = data[1], b2 = data[2], b3 = data[3];
  ro.delimiter = b0 < 0xC0 ? delims[b0 % 6] : (char)(b0 & 0x7f);
  if (ro.delimiter == '\n' || ro.delimiter == '\r') ro.delimiter = 0;
  static const char decs[] = {0, '.', ','};
  ro.decimal = decs[b1 % 3];
  ro.skip = (int)((b1 >> 2) % 4) - 1;
  ro.header = !(b1 & 0x40);
  static const char *const encs[] = {NULL, "auto", "utf-8", "windows-1252", "iso-8859-1", "latin-9"};
  ro.encoding = encs[b2 % 6];
  unsigned mf = (b2 >> 3) & 0xf;
  ro.max_field = mf < 12 ? 0 : (size_t)1 << (mf - 10);   /* 0 (default) or 4..32 bytes */
  ro.sha256 = b2 & 0x80;
  if (ro.delimiter && ro.delimiter == ro.decimal) ro.decimal = 0;   /* the CLI refuses these */
  const char *path = fuzz_write_file(0, "csv", data + 4, size - 4);
  switch (b3 % 8) {
    case 0: run_raw(path, &ro, 0); break;
    case 1: run_raw(path, &ro, 1); break;
    case 2: case 3: run_raw(path, &ro, 2); break;
    case 4: run_text(path, &ro); break;
    default: run_load(path, &ro, b3 >> 3); break;
  }
  /* a delimiter of '"' is the library's own refusal */
  if (b3 == 0xff) {
    ro.delimiter = '"';
    GError *e = NULL;
    rs_reader *r = rs_reader_open(path, &ro, &e);
    if (r) abort();
    g_clear_error(&e);
  }
  return 0;
}
