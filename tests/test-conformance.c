/* test-conformance.c — the reader core (datasets/reader.h) against files
 * written by others: two public CSV conformance suites and five real
 * Norwegian public-sector CSV files.
 *
 * Everything is read in place from $SHARED_DATA (make check sets it to the
 * absolute path of ../shared/data); nothing is copied into the project.
 * Without it the test skips.  Where the expected values come from:
 *
 *   csv-conformance/csv-spectrum   — json/NAME.json beside csvs/NAME.csv
 *       (max-mapper/csv-spectrum @ b251546d, array of objects keyed by the
 *       header; paired by basename, not by directory order).
 *   csv-conformance/csv-test-data  — json/NAME.json (sineemore/csv-test-data
 *       @ e4c25ebd): array of arrays for files parsed without a header, array
 *       of objects for header-* files (header foo,bar,baz); bad-* files have
 *       no JSON and must be rejected, as csv-conformance/SOURCES.md says.
 *   ssb-samples                    — the shapes stated in
 *       ssb-samples/SOURCES.md (encoding, delimiter, decimal mark, preamble,
 *       header, row and field counts, SSB-symbol counts), which were counted
 *       there with grep/awk on the raw bytes, independently of this reader.
 *
 * Both suites' .gitattributes mark their *_crlf / *-crlf inputs eol=crlf:
 * the files are stored in git with LF and only a checkout turns them into
 * CRLF, which the expected JSON assumes (csv-spectrum's newlines_crlf.json
 * expects "Once upon \r\na time").  SOURCES.md says the copies here are
 * post-checkout bytes; if a copy still has bare LF line ends the harness
 * says so (diag) and parses a CRLF copy made the way `git checkout` would,
 * in a temporary directory outside the project, removed at the end.
 *
 * Besides the cells, every run checks the callback contract of reader.h:
 * rows arrive in order (header = row 0 when options.header, data rows from
 * 1), columns from 0 within a row, row_end's nfields equals the fields
 * seen, and text is NUL-terminated at `len`.
 */
#include "datasets/error.h"
#include "datasets/atomic.h"
#include "datasets/reader.h"
#include "tests/tap.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- collecting what the reader emits --------------------------------- */

typedef struct {
  bool keep;            /* keep every row (the small conformance files) */
  size_t next_row;      /* row index the reader should report next */
  GPtrArray *cur;       /* fields of the row being read (char*) */
  GPtrArray *rows;      /* kept rows (GPtrArray* of char*), header first */
  GPtrArray *header;    /* row 0 when the options asked for a header */
  char *contract;       /* first violation of the callback contract */
  /* statistics over data rows, for the large files */
  size_t data_rows;
  size_t want_fields;   /* 0: not checked */
  size_t bad_nfields;   /* data rows with nfields != want_fields */
  size_t first_bad_nfields_row, first_bad_nfields_n;
  long line_base;       /* row r must begin on physical line line_base + r; <0: not checked */
  size_t bad_lines;
  size_t first_bad_line_row;
  long first_bad_line;
  size_t bad_utf8, with_newline;  /* fields that are not UTF-8 / contain CR or LF */
  size_t n_dotdot, n_dot, n_point_num, n_comma_num;
  const char *const *needles;     /* strings that must occur as a whole field */
  bool found[8];
} collector;

static void free_row(gpointer p) { g_ptr_array_free(p, TRUE); }

static void collector_init(collector *c, bool header, bool keep) {
  memset(c, 0, sizeof *c);
  c->keep = keep;
  c->next_row = header ? 0 : 1;
  c->cur = g_ptr_array_new_with_free_func(g_free);
  c->rows = g_ptr_array_new_with_free_func(free_row);
  c->line_base = -1;
}

static void collector_clear(collector *c) {
  g_ptr_array_free(c->cur, TRUE);
  g_ptr_array_free(c->rows, TRUE);
  if (c->header) g_ptr_array_free(c->header, TRUE);
  g_free(c->contract);
}

static void violation(collector *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void violation(collector *c, const char *fmt, ...) {
  if (c->contract) return;
  va_list ap;
  va_start(ap, fmt);
  c->contract = g_strdup_vprintf(fmt, ap);
  va_end(ap);
}

/* -?[0-9]+M[0-9]+ with decimal mark M, as counted in ssb-samples/SOURCES.md */
static bool plain_decimal(const char *s, char mark) {
  if (*s == '-') s++;
  const char *p = s;
  while (*p >= '0' && *p <= '9') p++;
  if (p == s || *p != mark) return false;
  const char *q = ++p;
  while (*p >= '0' && *p <= '9') p++;
  return p > q && *p == '\0';
}

static int cb_field(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  (void)line;
  collector *c = ctx;
  if (row != c->next_row || col != c->cur->len)
    violation(c, "field callback for row %zu, column %zu; expected row %zu, column %u", row, col, c->next_row,
              c->cur->len);
  if (text == NULL || text[len] != '\0') {
    violation(c, "row %zu, column %zu: field text is not NUL-terminated at len %zu", row, col, len);
    g_ptr_array_add(c->cur, g_strdup(""));
    return 0;
  }
  g_ptr_array_add(c->cur, g_strndup(text, len));
  if (row == 0 && c->header == NULL) return 0;  /* header: counted at row_end */
  if (!g_utf8_validate(text, (gssize)len, NULL)) c->bad_utf8++;
  if (memchr(text, '\n', len) || memchr(text, '\r', len)) c->with_newline++;
  if (strcmp(text, "..") == 0) c->n_dotdot++;
  else if (strcmp(text, ".") == 0) c->n_dot++;
  else if (plain_decimal(text, '.')) c->n_point_num++;
  else if (plain_decimal(text, ',')) c->n_comma_num++;
  if (c->needles)
    for (int i = 0; i < 8 && c->needles[i]; i++)
      if (!c->found[i] && strcmp(text, c->needles[i]) == 0) c->found[i] = true;
  return 0;
}

static int cb_row_end(void *ctx, size_t row, size_t nfields, long line) {
  collector *c = ctx;
  if (row != c->next_row)
    violation(c, "row_end for row %zu; expected row %zu", row, c->next_row);
  if (nfields != c->cur->len)
    violation(c, "row_end for row %zu says %zu fields; %u field callbacks came", row, nfields, c->cur->len);
  if (c->line_base >= 0 && line != c->line_base + (long)row) {
    if (c->bad_lines++ == 0) { c->first_bad_line_row = row; c->first_bad_line = line; }
  }
  GPtrArray *done_row = c->cur;
  c->cur = g_ptr_array_new_with_free_func(g_free);
  if (row == 0 && c->header == NULL && c->next_row == 0) {
    c->header = done_row;  /* kept apart from data rows */
  } else {
    c->data_rows++;
    if (c->want_fields && done_row->len != c->want_fields && c->bad_nfields++ == 0) {
      c->first_bad_nfields_row = row;
      c->first_bad_nfields_n = done_row->len;
    }
    if (c->keep) g_ptr_array_add(c->rows, done_row); else g_ptr_array_free(done_row, TRUE);
  }
  c->next_row = row + 1;
  return 0;
}

static const rs_reader_callbacks callbacks = {cb_field, cb_row_end};

typedef enum { RUN_OPEN_FAILED, RUN_FAILED, RUN_OK } run_result;

/* Open and run one file; *sn gets a copy of what was sniffed. */
static run_result run_reader(const char *path, const rs_read_options *o, collector *c, rs_sniff *sn,
                             GError **err) {
  rs_reader *r = rs_reader_open(path, o, err);
  if (!r) return RUN_OPEN_FAILED;
  if (sn) {
    *sn = *rs_reader_sniffed(r);
    sn->title = g_strdup(sn->title);
  }
  int rc = rs_reader_run(r, &callbacks, c, err);
  rs_reader_free(r);
  if (rc != 0) {
    if (err && *err == NULL)
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "rs_reader_run returned %d without an error", rc);
    return RUN_FAILED;
  }
  if (c->cur->len != 0) violation(c, "%u fields after the last row_end", c->cur->len);
  return RUN_OK;
}

/* ---- messages ---------------------------------------------------------- */

/* Show a cell with control characters escaped, UTF-8 left as it is. */
static char *show(const char *s) {
  GString *g = g_string_new("\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\r') g_string_append(g, "\\r");
    else if (*p == '\n') g_string_append(g, "\\n");
    else if (*p == '"' || *p == '\\') g_string_append_printf(g, "\\%c", *p);
    else if (*p < 0x20) g_string_append_printf(g, "\\x%02X", *p);
    else g_string_append_c(g, (char)*p);
  }
  g_string_append_c(g, '"');
  return g_string_free(g, FALSE);
}

static char *show_row(GPtrArray *row) {
  if (!row) return g_strdup("(none)");
  GString *g = g_string_new("[");
  for (guint i = 0; i < row->len; i++) {
    char *s = show(g_ptr_array_index(row, i));
    g_string_append_printf(g, "%s%s", i ? ", " : "", s);
    g_free(s);
  }
  g_string_append_c(g, ']');
  return g_string_free(g, FALSE);
}

/* ---- expected values from JSON ------------------------------------------ */

static JsonNode *load_json(const char *path, char **why) {
  JsonParser *p = json_parser_new();
  GError *e = NULL;
  JsonNode *root = NULL;
  if (!json_parser_load_from_file(p, path, &e)) {
    *why = g_strdup_printf("cannot read %s: %s", path, e->message);
    g_error_free(e);
  } else if (!JSON_NODE_HOLDS_ARRAY(json_parser_get_root(p))) {
    *why = g_strdup_printf("%s: the top level is not an array", path);
  } else {
    root = json_node_copy(json_parser_get_root(p));
  }
  g_object_unref(p);
  return root;
}

static const char *json_string_or_null(JsonNode *n) {
  if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) return NULL;
  return json_node_get_string(n);
}

/* Raw rows (no header) against an array of arrays of strings. */
static char *compare_arrays(collector *c, JsonArray *want) {
  guint n = json_array_get_length(want);
  if (c->rows->len != n) return g_strdup_printf("%u rows, expected %u", c->rows->len, n);
  for (guint i = 0; i < n; i++) {
    JsonNode *rn = json_array_get_element(want, i);
    if (!JSON_NODE_HOLDS_ARRAY(rn)) return g_strdup_printf("expected row %u is not an array", i + 1);
    JsonArray *wr = json_node_get_array(rn);
    GPtrArray *got = g_ptr_array_index(c->rows, i);
    bool same = got->len == json_array_get_length(wr);
    for (guint j = 0; same && j < got->len; j++) {
      const char *w = json_string_or_null(json_array_get_element(wr, j));
      same = w && strcmp(w, g_ptr_array_index(got, j)) == 0;
    }
    if (!same) {
      GPtrArray *wa = g_ptr_array_new_with_free_func(g_free);
      for (guint j = 0; j < json_array_get_length(wr); j++) {
        const char *w = json_string_or_null(json_array_get_element(wr, j));
        g_ptr_array_add(wa, g_strdup(w ? w : "(not a string)"));
      }
      char *a = show_row(got), *b = show_row(wa);
      char *msg = g_strdup_printf("row %u: got %s, expected %s", i + 1, a, b);
      g_free(a);
      g_free(b);
      g_ptr_array_free(wa, TRUE);
      return msg;
    }
  }
  return NULL;
}

/* Header + data rows against an array of objects keyed by the header.
 * want_header: the header the suite states, or NULL to take it from the
 * member order of the first object (the JSON files list keys in header
 * order). */
static char *compare_objects(collector *c, JsonArray *want, const char *const *want_header) {
  GPtrArray *wh = g_ptr_array_new_with_free_func(g_free);
  if (want_header) {
    for (int i = 0; want_header[i]; i++) g_ptr_array_add(wh, g_strdup(want_header[i]));
  } else if (json_array_get_length(want) > 0) {
    JsonNode *first = json_array_get_element(want, 0);
    if (JSON_NODE_HOLDS_OBJECT(first)) {
      GList *m = json_object_get_members(json_node_get_object(first));
      for (GList *l = m; l; l = l->next) g_ptr_array_add(wh, g_strdup(l->data));
      g_list_free(m);
    }
  }
  char *msg = NULL;
  bool same = c->header && c->header->len == wh->len;
  for (guint j = 0; same && j < wh->len; j++)
    same = strcmp(g_ptr_array_index(c->header, j), g_ptr_array_index(wh, j)) == 0;
  if (!same) {
    char *a = show_row(c->header), *b = show_row(wh);
    msg = g_strdup_printf("header %s, expected %s", a, b);
    g_free(a);
    g_free(b);
  }
  guint n = json_array_get_length(want);
  if (!msg && c->rows->len != n) msg = g_strdup_printf("%u data rows, expected %u", c->rows->len, n);
  for (guint i = 0; !msg && i < n; i++) {
    JsonNode *on = json_array_get_element(want, i);
    if (!JSON_NODE_HOLDS_OBJECT(on)) { msg = g_strdup_printf("expected row %u is not an object", i + 1); break; }
    JsonObject *o = json_node_get_object(on);
    GPtrArray *got = g_ptr_array_index(c->rows, i);
    if (got->len != json_object_get_size(o)) {
      char *a = show_row(got);
      msg = g_strdup_printf("data row %u: %u fields %s, expected %u", i + 1, got->len, a, json_object_get_size(o));
      g_free(a);
      break;
    }
    for (guint j = 0; j < got->len; j++) {
      const char *key = g_ptr_array_index(c->header, j);
      const char *w = json_string_or_null(json_object_get_member(o, key));
      const char *g = g_ptr_array_index(got, j);
      if (!w || strcmp(w, g) != 0) {
        char *a = show(g), *b = w ? show(w) : g_strdup("(missing)");
        msg = g_strdup_printf("data row %u, column '%s': got %s, expected %s", i + 1, key, a, b);
        g_free(a);
        g_free(b);
        break;
      }
    }
  }
  g_ptr_array_free(wh, TRUE);
  return msg;
}

/* ---- the checkout's eol=crlf conversion ---------------------------------- */

/* If the suite's .gitattributes says `rel` is eol=crlf but the copy still
 * has bare LF line ends (not what a checkout gives, see the top comment),
 * write a CRLF copy into tmpdir and return its path; else the original. */
static char *checkout_path(const char *suite_dir, const char *rel, const char *tmpdir) {
  char *path = g_build_filename(suite_dir, rel, NULL);
  char *attrs_path = g_build_filename(suite_dir, ".gitattributes", NULL);
  char *attrs = NULL;
  bool crlf = false;
  if (g_file_get_contents(attrs_path, &attrs, NULL, NULL)) {
    char **lines = g_strsplit(attrs, "\n", -1);
    for (char **l = lines; *l; l++) {
      char **w = g_strsplit_set(g_strstrip(*l), " \t", -1);
      if (w[0] && w[0][0] && w[0][0] != '#' && g_pattern_match_simple(w[0], rel))
        for (char **a = w + 1; *a; a++) {
          if (strcmp(*a, "eol=crlf") == 0) crlf = true;
          else if (strcmp(*a, "eol=lf") == 0) crlf = false;
        }
      g_strfreev(w);
    }
    g_strfreev(lines);
  }
  g_free(attrs);
  g_free(attrs_path);
  char *bytes = NULL;
  gsize n = 0;
  if (!crlf || !g_file_get_contents(path, &bytes, &n, NULL)) return path;
  GString *out = g_string_sized_new(n + n / 8);
  size_t bare = 0;
  for (gsize i = 0; i < n; i++) {
    if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) { g_string_append_c(out, '\r'); bare++; }
    g_string_append_c(out, bytes[i]);
  }
  g_free(bytes);
  if (bare == 0) { g_string_free(out, TRUE); return path; }
  char *base = g_path_get_basename(rel);
  char *copy = g_build_filename(tmpdir, base, NULL);
  g_free(base);
  GError *e = NULL;
  if (!g_file_set_contents(copy, out->str, (gssize)out->len, &e)) {
    diag("cannot write %s: %s", copy, e->message);
    g_error_free(e);
    g_free(copy);
    g_string_free(out, TRUE);
    return path;
  }
  diag("%s has %zu bare LF line end(s) although .gitattributes says eol=crlf and SOURCES.md says the bytes "
       "are post-checkout; parsing a CRLF copy made as git checkout would",
       path, bare);
  g_string_free(out, TRUE);
  g_free(path);
  return copy;
}

/* ---- the suites ----------------------------------------------------------- */

typedef struct {
  int passed, total;
  char *tmpdir;
} tally;

static void record(tally *t, bool pass) {
  t->total++;
  if (pass) t->passed++;
}

/* Names in dir ending in ext (without directory), unsorted. */
static GPtrArray *list_csv(const char *dir, const char *ext) {
  GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return a;
  const char *name;
  while ((name = g_dir_read_name(d)))
    if (g_str_has_suffix(name, ext)) g_ptr_array_add(a, g_strdup(name));
  g_dir_close(d);
  return a;
}

static int cmp_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static GPtrArray *list_sorted(const char *dir, const char *ext) {
  GPtrArray *a = list_csv(dir, ext);
  g_ptr_array_sort(a, cmp_names);
  return a;
}

static void conformance_options(rs_read_options *o, bool header) {
  rs_read_options_init(o);
  o->header = header;
  o->delimiter = ',';  /* both suites are comma CSV; sniffing is tested on the SSB files */
  o->decimal = '.';    /* irrelevant to the reader's cells; forced to keep sniffing out */
}

/* One file with expected JSON.  header: parse with a header and compare to
 * objects; else raw rows against arrays. */
static void json_case(tally *t, const char *suite, const char *suite_dir, const char *csv_rel,
                      const char *json_path, bool header, const char *const *want_header) {
  char *name = g_strdup_printf("%s/%s", suite, csv_rel);
  char *why = NULL;
  JsonNode *want = g_file_test(json_path, G_FILE_TEST_EXISTS) ? load_json(json_path, &why) : NULL;
  if (!want && !why) why = g_strdup_printf("no expected file %s", json_path);
  char *path = checkout_path(suite_dir, csv_rel, t->tmpdir);
  collector c;
  collector_init(&c, header, true);
  if (!why) {
    rs_read_options o;
    conformance_options(&o, header);
    GError *e = NULL;
    run_result rr = run_reader(path, &o, &c, NULL, &e);
    if (rr != RUN_OK) {
      why = g_strdup_printf("the reader %s: %s", rr == RUN_OPEN_FAILED ? "could not open it" : "failed",
                            e ? e->message : "(no message)");
    } else if (c.contract) {
      why = g_strdup_printf("callback contract: %s", c.contract);
    } else {
      JsonArray *wa = json_node_get_array(want);
      why = header ? compare_objects(&c, wa, want_header) : compare_arrays(&c, wa);
    }
    if (e) g_error_free(e);
  }
  bool pass = why == NULL;
  ok(pass, "%s: cells match %s", name, json_path + strlen(suite_dir) + 1);
  if (!pass) diag("  %s", why);
  record(t, pass);
  collector_clear(&c);
  if (want) json_node_unref(want);
  g_free(why);
  g_free(path);
  g_free(name);
}

static const char *const foo_bar_baz[] = {"foo", "bar", "baz", NULL};

static bool is_foo_bar_baz(GPtrArray *h) {
  return h && h->len == 3 && strcmp(g_ptr_array_index(h, 0), "foo") == 0 &&
         strcmp(g_ptr_array_index(h, 1), "bar") == 0 && strcmp(g_ptr_array_index(h, 2), "baz") == 0;
}

/* A bad-* file: must be rejected, for the reason SOURCES.md gives. */
static void bad_case(tally *t, const char *suite_dir, const char *rel) {
  char *path = checkout_path(suite_dir, rel, t->tmpdir);
  rs_read_options o;
  conformance_options(&o, true);
  collector c;
  collector_init(&c, true, true);
  GError *e = NULL;
  run_result rr = run_reader(path, &o, &c, NULL, &e);
  char *why = NULL;    /* why the case did NOT behave as expected */
  char *how = NULL;    /* how it was rejected */
  const char *base = rel + strlen("csv/");
  if (g_str_has_prefix(base, "bad-missing-quote") || g_str_has_prefix(base, "bad-unescaped-quote") ||
      g_str_has_prefix(base, "bad-quotes-with-unescaped-quote")) {
    /* Invalid quoting: a parse error from the reader itself, naming where
     * (DESIGN.md: every failure names file, line and column).  The bad
     * field is the second one ('bar') on line 2 in all three files. */
    if (rr == RUN_OK) {
      char *first = show_row(c.rows->len ? g_ptr_array_index(c.rows, 0) : NULL);
      why = g_strdup_printf("accepted: %u data rows, first %s", c.rows->len, first);
      g_free(first);
    } else if (!g_error_matches(e, RS_ERROR, RS_ERROR_PARSE))
      why = g_strdup_printf("rejected, but not as a parse error (code %d): %s", e->code, e->message);
    else if (!strstr(e->message, "line 2") || !strstr(e->message, "'bar'"))
      why = g_strdup_printf("parse error does not name line 2, column 'bar': %s", e->message);
    else
      how = g_strdup(e->message);
  } else if (strcmp(base, "bad-header-no-header.csv") == 0) {
    if (rr != RUN_OPEN_FAILED)
      why = g_strdup("rs_reader_open accepted an empty file");
    else if (!strstr(e->message, "empty"))
      why = g_strdup_printf("rs_reader_open failed, but not saying the file is empty: %s", e->message);
    else
      how = g_strdup(e->message);
  } else if (strcmp(base, "bad-header-wrong-header.csv") == 0) {
    /* Valid CSV: the reader must read it; the harness rejects the header. */
    if (rr != RUN_OK)
      why = g_strdup_printf("the reader failed on valid CSV: %s", e->message);
    else if (c.contract)
      why = g_strdup_printf("callback contract: %s", c.contract);
    else if (!c.header || c.header->len == 0)
      why = g_strdup("no header row was reported");
    else if (is_foo_bar_baz(c.header))
      why = g_strdup("the header is foo,bar,baz");
    else {
      char *h = show_row(c.header);
      how = g_strdup_printf("header %s is not foo,bar,baz", h);
      g_free(h);
    }
  } else if (strcmp(base, "bad-header-less-fields.csv") == 0 || strcmp(base, "bad-header-more-fields.csv") == 0) {
    /* Valid CSV with a ragged row: the row-length policy belongs to the
     * table builder, so the harness counts the fields itself. */
    if (rr != RUN_OK)
      why = g_strdup_printf("the reader failed on valid CSV: %s", e->message);
    else if (c.contract)
      why = g_strdup_printf("callback contract: %s", c.contract);
    else if (!is_foo_bar_baz(c.header)) {
      char *h = show_row(c.header);
      why = g_strdup_printf("header %s, expected foo,bar,baz", h);
      g_free(h);
    } else {
      for (guint i = 0; i < c.rows->len && !how; i++) {
        GPtrArray *row = g_ptr_array_index(c.rows, i);
        if (row->len != 3) {
          char *s = show_row(row);
          how = g_strdup_printf("data row %u has %u fields %s, the header 3", i + 1, row->len, s);
          g_free(s);
        }
      }
      if (!how) why = g_strdup_printf("all %u data rows have 3 fields", c.rows->len);
    }
  } else {
    why = g_strdup("a bad-* case this harness does not know; add its expectation from SOURCES.md");
  }
  bool pass = why == NULL;
  ok(pass, "csv-test-data/%s: rejected%s%s", rel, how ? " — " : "", how ? how : "");
  if (!pass) diag("  %s", why);
  record(t, pass);
  if (e) g_error_free(e);
  collector_clear(&c);
  g_free(why);
  g_free(how);
  g_free(path);
}

static void suite_spectrum(tally *t, const char *shared) {
  char *dir = g_build_filename(shared, "csv-conformance", "csv-spectrum", NULL);
  char *csvs = g_build_filename(dir, "csvs", NULL);
  char *jsons = g_build_filename(dir, "json", NULL);
  GPtrArray *names = list_sorted(csvs, ".csv");
  GPtrArray *expect = list_sorted(jsons, ".json");
  /* SOURCES.md: 11 inputs, 11 expected. */
  ok(names->len == 11 && expect->len == 11, "csv-spectrum: 11 inputs and 11 expected files present (found %u, %u)",
     names->len, expect->len);
  for (guint i = 0; i < names->len; i++) {
    const char *n = g_ptr_array_index(names, i);
    char *stem = g_strndup(n, strlen(n) - 4);
    char *rel = g_strdup_printf("csvs/%s", n);
    char *json = g_strdup_printf("%s/json/%s.json", dir, stem);
    json_case(t, "csv-spectrum", dir, rel, json, true, NULL);
    g_free(json);
    g_free(rel);
    g_free(stem);
  }
  g_ptr_array_free(names, TRUE);
  g_ptr_array_free(expect, TRUE);
  g_free(csvs);
  g_free(jsons);
  g_free(dir);
}

static void suite_test_data(tally *t, const char *shared) {
  char *dir = g_build_filename(shared, "csv-conformance", "csv-test-data", NULL);
  char *csvs = g_build_filename(dir, "csv", NULL);
  char *jsons = g_build_filename(dir, "json", NULL);
  GPtrArray *names = list_sorted(csvs, ".csv");
  GPtrArray *expect = list_sorted(jsons, ".json");
  guint nbad = 0;
  for (guint i = 0; i < names->len; i++)
    if (g_str_has_prefix(g_ptr_array_index(names, i), "bad-")) nbad++;
  /* SOURCES.md: 25 inputs, 18 expected, 7 bad-* without JSON. */
  ok(names->len == 25 && expect->len == 18 && nbad == 7,
     "csv-test-data: 25 inputs, 18 expected files, 7 bad-* present (found %u, %u, %u)", names->len, expect->len,
     nbad);
  for (guint i = 0; i < names->len; i++) {
    const char *n = g_ptr_array_index(names, i);
    char *stem = g_strndup(n, strlen(n) - 4);
    char *rel = g_strdup_printf("csv/%s", n);
    char *json = g_strdup_printf("%s/json/%s.json", dir, stem);
    if (g_str_has_prefix(n, "bad-"))
      bad_case(t, dir, rel);
    else if (g_str_has_prefix(n, "header-"))
      json_case(t, "csv-test-data", dir, rel, json, true, foo_bar_baz);
    else
      json_case(t, "csv-test-data", dir, rel, json, false, NULL);
    g_free(json);
    g_free(rel);
    g_free(stem);
  }
  g_ptr_array_free(names, TRUE);
  g_ptr_array_free(expect, TRUE);
  g_free(csvs);
  g_free(jsons);
  g_free(dir);
}

/* ---- real Norwegian files ------------------------------------------------ */

/* Every expected value below is copied from ssb-samples/SOURCES.md, which
 * counted them on the raw bytes (grep -c '', fields = semicolons + 1). */
typedef struct {
  const char *path;        /* under ssb-samples/ */
  const char *encoding;    /* what the reader should detect */
  char decimal;            /* 0: SOURCES.md does not settle it (integers only) */
  bool crlf;
  int skipped;             /* physical lines above the header */
  const char *title;       /* substring of the skipped title, or NULL */
  size_t header_fields;
  const char *header;      /* ';'-joined header as SOURCES.md gives it, or NULL */
  const char *header_last; /* last named header field, when only that is given */
  size_t data_rows;
  size_t row_fields;       /* every data row has this many fields */
  long n_dotdot, n_dot, n_point_num, n_comma_num;  /* -1: not stated */
  const char *needles[8];  /* whole fields SOURCES.md mentions */
} ssb_case;

static const ssb_case ssb_cases[] = {
    {"gardenberg_datablog/PersonerProsent.csv", "windows-1252", '.', false, 2,
     "Fødte, etter fornavn, år og statistikkvariabel", 4, "fornavn;år;Andel av fødte (prosent);Fødte", NULL,
     138600, 4, 64971, 60426, 108387, -1, {"Aagot", "0.315", NULL}},
    {"erleholgersen_elections-norway/folketall.csv", "utf-8", 0, false, 0, NULL, 4, NULL,
     "Folkemengde 1. januar og endringer i kalenderåret, etter region, tid og statistikkvariabel", 8775, 4, -1, -1,
     -1, -1, {"01 Østfold", NULL}},
    {"erleholgersen_elections-norway/valgdata2013.csv", "utf-8", ',', true, 0, NULL, 15,
     "Fylke;Fylkenavn;Kommunenavn;KommuneID;Parti;ForhandsStemmer;Stemmer totalt;ProsentAndel;EndringStemmer11;"
     "EndringFordeling11;EndringStemmer09;EndringFordeling09;;;",
     NULL, 6946, 15, -1, -1, -1, 16556, {"0101", "36,6", "-1,3", NULL}},
    {"gardenberg_barnevernmonitor/ssb_kommune_jan20_1160.csv", "windows-1252", 0, false, 0, NULL, 8,
     "code;parentCode;level;name;shortName;notes;validFrom;validTo", NULL, 357, 6, -1, -1, -1, -1,
     {"Bærum", "Tønsberg", "0301", "Oslo", NULL}},
    {"gardenberg_barnevernmonitor/iks_23-februar 2021.csv", "windows-1252", 0, true, 0, NULL, 3,
     "Kommunenummer;Samarbeidskommuner;Samarbeidskommunenr", NULL, 362, 3, -1, -1, -1, -1,
     {"#Ingen sammarbeid", NULL}},
};

/* The header row of valgdata2013 is named in SOURCES.md only up to
 * EndringStemmer11 and then "..."; the remaining three names were read off
 * the file's first line and agree with "12 named + 3 empty". */

static char *join_row(GPtrArray *row) {
  GString *g = g_string_new(NULL);
  for (guint i = 0; row && i < row->len; i++) g_string_append_printf(g, "%s%s", i ? ";" : "", (char *)g_ptr_array_index(row, i));
  return g_string_free(g, FALSE);
}

static int ssb_file(const char *shared, const ssb_case *k) {
  char *path = g_build_filename(shared, "ssb-samples", k->path, NULL);
  const char *name = k->path;
  int failed_before = tap_failed;
  rs_read_options o;
  rs_read_options_init(&o);  /* everything detected: delimiter, decimal, encoding, preamble */
  collector c;
  collector_init(&c, true, false);
  c.want_fields = k->row_fields;
  c.line_base = k->skipped + 1;  /* no quoted newlines or blank lines in these files */
  c.needles = k->needles;
  rs_sniff sn;
  memset(&sn, 0, sizeof sn);
  GError *e = NULL;
  run_result rr = run_reader(path, &o, &c, &sn, &e);
  if (!ok(rr == RUN_OK, "%s: read (auto-detected)", name)) {
    diag("  %s", e ? e->message : "(no message)");
    if (e) g_error_free(e);
    collector_clear(&c);
    g_free(sn.title);
    g_free(path);
    return 0;
  }
  if (!ok(c.contract == NULL, "%s: callback contract kept", name)) diag("  %s", c.contract);
  ok(sn.delimiter == ';' && sn.delimiter_detected, "%s: delimiter detected as ';' (got '%c')", name,
     sn.delimiter ? sn.delimiter : '?');
  ok(sn.encoding && strcmp(sn.encoding, k->encoding) == 0 && !sn.bom, "%s: encoding %s, no BOM (got %s%s)", name,
     k->encoding, sn.encoding ? sn.encoding : "(null)", sn.bom ? ", BOM" : "");
  ok(sn.crlf == k->crlf, "%s: line ends %s", name, k->crlf ? "CRLF" : "LF");
  if (k->decimal)
    ok(sn.decimal == k->decimal && sn.decimal_detected, "%s: decimal mark detected as '%c' (got '%c')", name,
       k->decimal, sn.decimal ? sn.decimal : '?');
  ok(sn.skipped == k->skipped, "%s: header found after %d preamble line(s) (got %d)", name, k->skipped,
     sn.skipped);
  if (k->title)
    ok(sn.title && strstr(sn.title, k->title), "%s: title line kept: %s", name, sn.title ? sn.title : "(none)");
  char *hdr = join_row(c.header);
  ok(c.header && c.header->len == k->header_fields, "%s: %zu header fields (got %u: %s)", name, k->header_fields,
     c.header ? c.header->len : 0, hdr);
  if (k->header) ok(strcmp(hdr, k->header) == 0, "%s: header is %s", name, k->header);
  if (k->header_last)
    ok(c.header && c.header->len > 0 && strcmp(g_ptr_array_index(c.header, c.header->len - 1), k->header_last) == 0,
       "%s: last header field is '%s'", name, k->header_last);
  g_free(hdr);
  ok(c.data_rows == k->data_rows, "%s: %zu data rows (got %zu)", name, k->data_rows, c.data_rows);
  if (!ok(c.bad_nfields == 0, "%s: every data row has %zu fields", name, k->row_fields))
    diag("  %zu rows differ; first: row %zu with %zu fields", c.bad_nfields, c.first_bad_nfields_row,
         c.first_bad_nfields_n);
  if (!ok(c.bad_lines == 0, "%s: row r begins on physical line %d + r", name, k->skipped + 1))
    diag("  %zu rows differ; first: row %zu reported on line %ld", c.bad_lines, c.first_bad_line_row,
         c.first_bad_line);
  ok(c.bad_utf8 == 0, "%s: every field is valid UTF-8 (%zu are not)", name, c.bad_utf8);
  ok(c.with_newline == 0, "%s: no field keeps a CR or LF (%zu do)", name, c.with_newline);
  for (int i = 0; k->needles[i]; i++) ok(c.found[i], "%s: a field reads exactly '%s'", name, k->needles[i]);
  if (k->n_dotdot >= 0) ok(c.n_dotdot == (size_t)k->n_dotdot, "%s: %ld '..' fields (got %zu)", name, k->n_dotdot, c.n_dotdot);
  if (k->n_dot >= 0) ok(c.n_dot == (size_t)k->n_dot, "%s: %ld '.' fields (got %zu)", name, k->n_dot, c.n_dot);
  if (k->n_point_num >= 0)
    ok(c.n_point_num == (size_t)k->n_point_num, "%s: %ld decimal-point numbers (got %zu)", name, k->n_point_num,
       c.n_point_num);
  if (k->n_comma_num >= 0)
    ok(c.n_comma_num == (size_t)k->n_comma_num, "%s: %ld decimal-comma numbers (got %zu)", name, k->n_comma_num,
       c.n_comma_num);
  collector_clear(&c);
  g_free(sn.title);
  g_free(path);
  return tap_failed == failed_before;
}

/* ---- main ---------------------------------------------------------------- */


int main(void) {
  const char *shared = g_getenv("SHARED_DATA");
  if (!shared || !*shared || !g_file_test(shared, G_FILE_TEST_IS_DIR)) {
    skip_test("../shared/data not found: conformance suites not run");
    return done();
  }
  tally t = {0, 0, NULL};
  GError *e = NULL;
  t.tmpdir = g_dir_make_tmp("reformstat-conformance-XXXXXX", &e);
  if (!t.tmpdir) {
    ok(0, "temporary directory: %s", e->message);
    g_error_free(e);
    return done();
  }
  suite_spectrum(&t, shared);
  suite_test_data(&t, shared);

  int ssb_pass = 0, ssb_total = (int)G_N_ELEMENTS(ssb_cases);
  for (int i = 0; i < ssb_total; i++) ssb_pass += ssb_file(shared, &ssb_cases[i]);

  diag("conformance: %d of %d cases passed", t.passed, t.total);
  diag("ssb-samples: %d of %d files passed every check", ssb_pass, ssb_total);
  rs_atomic_remove_dir(t.tmpdir);
  g_free(t.tmpdir);
  return done();
}
