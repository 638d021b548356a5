/* plan.c — reading and checking an analysis plan (plan.h).
 *
 * GKeyFile does the parsing; a line scan before it does what GKeyFile does
 * not: ';' comments, inline comments, line numbers for every group and key
 * (GKeyFile's own errors name no line), and refusing a group or key given
 * twice (GKeyFile would silently merge or keep the last one).
 */
#include "datasets/plan.h"
#include "datasets/error.h"
#include "datasets/load.h"
#include "datasets/reader.h"
#include "datasets/readstat_input.h"

#include <string.h>

struct rs_plan {
  char *path, *dir, *sha256, *output, *lang;
  char *title, *title_nb, *title_en;
  char **formats;
  int vintage, min_n;
  GPtrArray *data;       /* rs_plan_data* */
  GPtrArray *analyses;   /* rs_plan_analysis* */
  GKeyFile *kf;
  GHashTable *lines;     /* "group" or "group\x1fkey" -> line (GINT_TO_POINTER) */
};

/* Keys whose values name columns of the analysis's data file (comma lists). */
static const char *const column_keys[] = {
  "by", "weight", "cluster", "strata", "covariates", "numerator", "denominator", "type-column", "wave-column",
  "post-column", "date-column", "period-column", "outcome", "vars", "items", "var", "x", "y", "color", "group", "id",
  "per", "year-column", NULL};
/* Keys whose values name indexes of the codebook (its index column). */
static const char *const index_keys[] = {"index", "indexes", "lower-better", NULL};

static gboolean is_index(const rs_codebook *cb, const char *name) {
  for (guint j = 0; cb && j < cb->vars->len; j++) {
    const rs_cb_var *v = g_ptr_array_index(cb->vars, j);
    if (v->index && strcmp(v->index, name) == 0) return TRUE;
  }
  return FALSE;
}
static const char *const plan_keys[] = {"title", "output", "formats", "lang", "vintage", "min_n", NULL};
static const char *const read_keys[] = {"delimiter", "decimal", "encoding", "skip", "input-format", "max-field",
                                        "year-column", NULL};
static const char *const format_names[] = {"text", "csv", "json", "md", "markdown", "latex", "tex", NULL};

static gboolean in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (strcmp(*list, s) == 0) return TRUE;
  return FALSE;
}

static char *dashes(const char *key) {
  char *k = g_strdup(key);
  for (char *c = k; *c; c++)
    if (*c == '_') *c = '-';
  return k;
}

static void option_free(gpointer p) {
  rs_plan_option *o = p;
  g_free(o->key);
  g_free(o->value);
  g_free(o);
}

static void data_free(gpointer p) {
  rs_plan_data *d = p;
  g_free(d->name); g_free(d->path); g_free(d->codebook);
  g_free(d->weight); g_free(d->cluster); g_free(d->strata);
  g_ptr_array_unref(d->read);
  g_strfreev(d->columns);
  rs_codebook_free(d->cb);
  g_free(d);
}

static void analysis_free(gpointer p) {
  rs_plan_analysis *a = p;
  g_free(a->name); g_free(a->command); g_free(a->data);
  g_ptr_array_unref(a->options);
  g_free(a);
}

void rs_plan_free(rs_plan *p) {
  if (!p) return;
  g_free(p->path); g_free(p->dir); g_free(p->sha256); g_free(p->output); g_free(p->lang);
  g_free(p->title); g_free(p->title_nb); g_free(p->title_en);
  g_strfreev(p->formats);
  if (p->data) g_ptr_array_unref(p->data);
  if (p->analyses) g_ptr_array_unref(p->analyses);
  if (p->kf) g_key_file_free(p->kf);
  if (p->lines) g_hash_table_destroy(p->lines);
  g_free(p);
}

char *rs_plan_where(const rs_plan *p, long line, const char *group) {
  GString *s = g_string_new(p->path);
  if (line > 0) g_string_append_printf(s, ", line %ld", line);
  if (group) g_string_append_printf(s, ", group [%s]", group);
  return g_string_free(s, FALSE);
}

static long line_of(const rs_plan *p, const char *group, const char *key) {
  char *k = key ? g_strdup_printf("%s\x1f%s", group, key) : g_strdup(group);
  long l = GPOINTER_TO_INT(g_hash_table_lookup(p->lines, k));
  g_free(k);
  return l;
}

static void fail(const rs_plan *p, GError **err, const char *group, const char *key, const char *fmt, ...)
  G_GNUC_PRINTF(5, 6);
static void fail(const rs_plan *p, GError **err, const char *group, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  char *where = rs_plan_where(p, group ? line_of(p, group, key) : 0, group);
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: %s", where, msg);
  g_free(where);
  g_free(msg);
}

/* ---- the line scan -------------------------------------------------------- */

/* Removes an inline comment: from white space followed by ';' or '#'. */
static void strip_inline_comment(char *s) {
  /* An empty value ("key=") has no second character: the loop below,
   * starting at s + 1, read past the end of the line (found by fuzzing:
   * AddressSanitizer heap-buffer-overflow). */
  if (*s == '\0') return;
  for (char *c = s + 1; *c; c++)
    if ((*c == ';' || *c == '#') && (c[-1] == ' ' || c[-1] == '\t')) {
      *c = '\0';
      break;
    }
  g_strchomp(s);
}

/* Checks the syntax line by line and returns the text GKeyFile will parse
 * (';' comments turned into '#', inline comments removed, line count kept). */
static char *scan(rs_plan *p, const char *text, gsize len, GError **err) {
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { text += 3; len -= 3; }
  if (memchr(text, '\0', len)) {
    g_set_error(err, RS_ERROR, RS_ERROR_ENCODING, "%s: the plan contains NUL bytes: it is not a text file", p->path);
    return NULL;
  }
  GString *out = g_string_sized_new(len + 16);
  char *group = NULL;
  long lineno = 0;
  const char *s = text, *end = text + len;
  gboolean ok = TRUE;
  while (s < end && ok) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *e = nl ? nl : end;
    lineno++;
    char *line = g_strndup(s, (size_t)(e - s));
    s = nl ? nl + 1 : end;
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r') line[--n] = '\0';
    char *where = g_strdup_printf("%s, line %ld", p->path, lineno);
    if (!g_utf8_validate(line, -1, NULL)) {
      g_set_error(err, RS_ERROR, RS_ERROR_ENCODING, "%s: the plan is not UTF-8 text (save it as UTF-8)", where);
      ok = FALSE;
    }
    char *t = g_strstrip(line);
    if (!ok) {
    } else if (*t == '\0' || *t == '#' || *t == ';') {
      g_string_append_c(out, '#');
    } else if (*t == '[') {
      strip_inline_comment(t);
      size_t tl = strlen(t);
      char *name = tl >= 2 && t[tl - 1] == ']' ? g_strndup(t + 1, tl - 2) : NULL;
      if (name) g_strstrip(name);
      if (!name || !*name || strpbrk(name, "[]")) {
        g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: '%s' is not a group header like [analysis.outcomes]", where, t);
        ok = FALSE;
      } else if (g_hash_table_contains(p->lines, name)) {
        g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: group [%s] appears a second time (first on line %d)", where,
                    name, GPOINTER_TO_INT(g_hash_table_lookup(p->lines, name)));
        ok = FALSE;
      } else {
        g_hash_table_insert(p->lines, g_strdup(name), GINT_TO_POINTER((int)lineno));
        g_free(group);
        group = g_strdup(name);
        g_string_append_printf(out, "[%s]", name);
      }
      g_free(name);
    } else {
      char *eq = strchr(t, '=');
      if (!eq || eq == t) {
        g_set_error(err, RS_ERROR, RS_ERROR_PARSE,
                    "%s: '%s' is neither a [group] header nor a key=value line (comments start with # or ;)", where,
                    t);
        ok = FALSE;
      } else {
        *eq = '\0';
        char *key = g_strstrip(t), *value = eq + 1;
        /* "key=   ; comment" is an empty value; "delimiter=;" is a semicolon */
        if ((value[0] == ' ' || value[0] == '\t') && (g_strchug(value)[0] == ';' || value[0] == '#')) *value = '\0';
        g_strchug(value);
        strip_inline_comment(value);
        if (!group) {
          g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: key '%s' comes before any [group]", where, key);
          ok = FALSE;
        } else {
          char *k = g_strdup_printf("%s\x1f%s", group, key);
          if (g_hash_table_contains(p->lines, k)) {
            g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s, group [%s]: key '%s' is given a second time (first on line %d)",
                        where, group, key, GPOINTER_TO_INT(g_hash_table_lookup(p->lines, k)));
            ok = FALSE;
            g_free(k);
          } else {
            g_hash_table_insert(p->lines, k, GINT_TO_POINTER((int)lineno));
            g_string_append_printf(out, "%s=%s", key, value);
          }
        }
      }
    }
    g_string_append_c(out, '\n');
    g_free(where);
    g_free(line);
  }
  g_free(group);
  if (!ok) {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

/* ---- reading the data files' headers -------------------------------------- */

typedef struct {
  GPtrArray *names;
  long long rows;
} header_ctx;

static int on_field(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  (void)col; (void)line;
  header_ctx *h = ctx;
  if (row == 0) {
    char *s = g_strndup(text, len);
    g_ptr_array_add(h->names, g_strstrip(s));
  }
  return 0;
}

static int on_row_stop(void *ctx, size_t row, size_t nfields, long line) {
  (void)ctx; (void)nfields; (void)line;
  return row == 0 ? 1 : 0;  /* stop after the header */
}

static int on_row_count(void *ctx, size_t row, size_t nfields, long line) {
  (void)nfields; (void)line;
  header_ctx *h = ctx;
  if (row > 0) h->rows++;
  return 0;
}

static int on_field_none(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  (void)ctx; (void)row; (void)col; (void)text; (void)len; (void)line;
  return 0;
}

static gboolean parse_char(const rs_plan *p, const char *group, const char *key, const char *s, char *out,
                           GError **err) {
  if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0) *out = '\t';
  else if (strcmp(s, "semicolon") == 0) *out = ';';
  else if (strcmp(s, "comma") == 0) *out = ',';
  else if (strcmp(s, "pipe") == 0) *out = '|';
  else if (strcmp(s, "point") == 0 || strcmp(s, "dot") == 0) *out = '.';
  else if (strlen(s) == 1 && s[0] != '"') *out = s[0];
  else {
    fail(p, err, group, key, "%s takes one character (or tab, semicolon, comma, pipe), not '%s'", key, s);
    return FALSE;
  }
  return TRUE;
}

/* Reads the header, SHA-256 and row count of a data file. */
static gboolean read_data_file(const rs_plan *p, rs_plan_data *d, const char *group, GError **err) {
  rs_read_options ro;
  rs_read_options_init(&ro);
  ro.header = true;
  ro.sha256 = true;
  const char *input_format = NULL;
  for (guint i = 0; i < d->read->len; i++) {
    rs_plan_option *o = g_ptr_array_index(d->read, i);
    const char *k = o->key;
    if (strcmp(k, "delimiter") == 0 && !parse_char(p, group, "delimiter", o->value, &ro.delimiter, err)) return FALSE;
    if (strcmp(k, "decimal") == 0) {
      if (!parse_char(p, group, "decimal", o->value, &ro.decimal, err)) return FALSE;
      if (ro.decimal != '.' && ro.decimal != ',') {
        fail(p, err, group, "decimal", "decimal must be '.' or ',', not '%s'", o->value);
        return FALSE;
      }
    }
    if (strcmp(k, "encoding") == 0) ro.encoding = o->value;
    if (strcmp(k, "skip") == 0) {
      char *e = NULL;
      long v = strtol(o->value, &e, 10);
      if (!*o->value || *e || v < 0 || v > 1000000) {
        fail(p, err, group, "skip", "skip must be a number of lines (0 or more), not '%s'", o->value);
        return FALSE;
      }
      ro.skip = (int)v;
    }
    if (strcmp(k, "input-format") == 0) input_format = o->value;
  }
  if (!g_file_test(d->path, G_FILE_TEST_EXISTS)) {
    fail(p, err, group, "path", "the data file %s does not exist", d->path);
    return FALSE;
  }
  if (d->codebook && !g_file_test(d->codebook, G_FILE_TEST_EXISTS)) {
    fail(p, err, group, "codebook", "the codebook %s does not exist", d->codebook);
    return FALSE;
  }
  GError *e = NULL;
  if (d->codebook) {
    d->cb = rs_codebook_load(d->codebook, NULL, &e);
    if (!d->cb) {
      char *where = rs_plan_where(p, line_of(p, group, "codebook"), group);
      g_set_error(err, RS_ERROR, e->code, "%s: %s", where, e->message);
      g_free(where);
      g_error_free(e);
      return FALSE;
    }
  }
  int fmt = rs_input_format_choose(input_format, d->path, &e);
  if (fmt < 0) goto error;
  if (fmt != RS_INPUT_CSV) {
    /* SPSS/Stata/SAS: read through the loader, which knows the dictionary */
    rs_load_options lo;
    rs_load_options_init(&lo);
    lo.read = ro;
    lo.quiet = true;
    lo.input_format = input_format;
    rs_sniff sn = {0};
    rs_table *t = rs_load_table(d->path, &lo, &sn, &e);
    g_free(sn.title);
    if (!t) goto error;
    d->columns = g_new0(char *, t->ncols + 1);
    for (size_t j = 0; j < t->ncols; j++) d->columns[j] = g_strdup(t->cols[j].name);
    d->rows = (long long)t->nrows;
    if (t->sha256) g_strlcpy(d->sha256, t->sha256, sizeof d->sha256);
    rs_table_free(t);
    return TRUE;
  }
  rs_reader *r = rs_reader_open(d->path, &ro, &e);
  if (!r) goto error;
  header_ctx h = {.names = g_ptr_array_new()};
  rs_reader_callbacks cb = {.field = on_field, .row_end = on_row_stop};
  int rc = rs_reader_run(r, &cb, &h, &e);
  if (rc < 0) {
    g_ptr_array_free(h.names, TRUE);
    rs_reader_free(r);
    goto error;
  }
  g_ptr_array_add(h.names, NULL);
  d->columns = (char **)g_ptr_array_free(h.names, FALSE);
  g_strlcpy(d->sha256, rs_reader_sniffed(r)->sha256, sizeof d->sha256);
  /* rows: counted from line ends when the file can be cut at them (no
   * quotes), else by reading it through */
  d->rows = 0;
  if (rc == 1 && rs_reader_can_split(r)) {
    long long off;
    long line;
    rs_reader_stop_position(r, &off, &line);
    rs_reader_range rg[1];
    size_t np = rs_reader_plan_ranges(r, off, line, rg, 1, &e);
    if (np == 0) {
      rs_reader_free(r);
      goto error;
    }
    for (size_t k = 0; k < np; k++) d->rows += (long long)rg[k].rows;
  } else if (rc == 1) {
    header_ctx c2 = {0};
    rs_reader_callbacks cb2 = {.field = on_field_none, .row_end = on_row_count};
    if (rs_reader_run(r, &cb2, &c2, &e) < 0) {
      rs_reader_free(r);
      goto error;
    }
    d->rows = c2.rows;
  }
  rs_reader_free(r);
  return TRUE;
error : {
  char *where = rs_plan_where(p, line_of(p, group, "path"), group);
  g_set_error(err, RS_ERROR, e->code, "%s: %s", where, e->message);
  g_free(where);
  g_error_free(e);
  return FALSE;
}
}

gboolean rs_plan_data_has_column(const rs_plan_data *d, const char *column) {
  if (d->columns) return g_strv_contains((const char *const *)d->columns, column);
  return d->cb && rs_codebook_get(d->cb, column) != NULL;
}

static gboolean check_column(const rs_plan *p, const rs_plan_data *d, const char *group, const char *key,
                             const char *value, GError **err) {
  char **parts = g_strsplit(value, ",", -1);
  gboolean ok = TRUE;
  for (char **q = parts; *q && ok; q++) {
    g_strstrip(*q);
    /* "none" turns an option off (its --denominator none); outcomes --vars takes index names too */
    if (!**q || strcmp(*q, "none") == 0) continue;
    if (strcmp(key, "vars") == 0 && is_index(d->cb, *q)) continue;
    if (!rs_plan_data_has_column(d, *q)) {
      const char *hint = "";
      char *near = NULL;
      for (char **c = d->columns; c && *c; c++)
        if (g_ascii_strcasecmp(*c, *q) == 0) near = *c;
      char *h = near ? g_strdup_printf(" (did you mean '%s'?)", near) : NULL;
      if (h) hint = h;
      fail(p, err, group, key, "%s: variable '%s' is not a column of %s (data group '%s')%s", key, *q, d->path,
           d->name, hint);
      g_free(h);
      ok = FALSE;
    }
  }
  g_strfreev(parts);
  return ok;
}

/* ---- the groups ----------------------------------------------------------- */

static char *resolve(const rs_plan *p, const char *path) {
  if (g_path_is_absolute(path) || strcmp(p->dir, ".") == 0) return g_strdup(path);
  return g_build_filename(p->dir, path, NULL);
}

/* The key as written in the file (GKeyFile's key list) and its '-' form. */
static char *get(const rs_plan *p, const char *group, const char *key) {
  return g_key_file_get_string(p->kf, group, key, NULL);
}

static gboolean read_plan_group(rs_plan *p, GError **err) {
  const char *g = "plan";
  if (!g_key_file_has_group(p->kf, g)) {
    char *where = rs_plan_where(p, 0, NULL);
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: the plan has no [plan] group (title, output, formats, lang)", where);
    g_free(where);
    return FALSE;
  }
  gchar **keys = g_key_file_get_keys(p->kf, g, NULL, NULL);
  for (gchar **k = keys; k && *k; k++) {
    char *base = g_strdup(*k);
    char *br = strchr(base, '[');
    if (br) *br = '\0';  /* title[en] */
    gboolean known = in_list(plan_keys, base) &&
                     (!br || strcmp(*k, "title[nb]") == 0 || strcmp(*k, "title[en]") == 0);
    g_free(base);
    if (!known) {
      fail(p, err, g, *k, "unknown key '%s' (a [plan] group has title, title[nb], title[en], output, formats, lang, "
           "vintage, min_n)", *k);
      g_strfreev(keys);
      return FALSE;
    }
  }
  g_strfreev(keys);
  char *v = get(p, g, "output");
  p->output = resolve(p, v && *v ? v : "reformstat-output");
  g_free(v);
  v = get(p, g, "formats");
  char **f = g_strsplit(v && *v ? v : "text,csv,json", ",", -1);
  g_free(v);
  /* owns its strings until handed over: an unknown format after good ones
   * must not leak them (found by fuzz-plan, LeakSanitizer) */
  GPtrArray *fa = g_ptr_array_new_with_free_func(g_free);
  for (char **q = f; *q; q++) {
    g_strstrip(*q);
    if (!**q) continue;
    if (!in_list(format_names, *q)) {
      fail(p, err, g, "formats", "unknown format '%s' (use text, csv, json, md or latex)", *q);
      g_ptr_array_free(fa, TRUE);
      g_strfreev(f);
      return FALSE;
    }
    g_ptr_array_add(fa, g_strdup(*q));
  }
  g_strfreev(f);
  g_ptr_array_add(fa, NULL);
  p->formats = (char **)g_ptr_array_free(fa, FALSE);
  v = get(p, g, "lang");
  if (v && strcmp(v, "nb") != 0 && strcmp(v, "en") != 0) {
    fail(p, err, g, "lang", "lang must be nb or en, not '%s'", v);
    g_free(v);
    return FALSE;
  }
  p->lang = v ? v : g_strdup("nb");
  p->title = get(p, g, "title");
  p->title_nb = get(p, g, "title[nb]");
  p->title_en = get(p, g, "title[en]");
  p->min_n = 5;
  static const char *const ints[] = {"vintage", "min_n"};
  for (int i = 0; i < 2; i++) {
    v = get(p, g, ints[i]);
    if (!v) continue;
    char *e = NULL;
    long n = strtol(v, &e, 10);
    gboolean bad = !*v || *e || (i == 0 ? n < 1900 || n > 2100 : n < 0 || n > 1000000);
    if (bad) {
      fail(p, err, g, ints[i], i == 0 ? "vintage must be a year (such as 2024), not '%s'"
                                      : "min_n must be a whole number of 0 or more, not '%s'", v);
      g_free(v);
      return FALSE;
    }
    if (i == 0) p->vintage = (int)n;
    else p->min_n = (int)n;
    g_free(v);
  }
  return TRUE;
}

static gboolean read_data_group(rs_plan *p, const char *g, GError **err) {
  rs_plan_data *d = g_new0(rs_plan_data, 1);
  d->name = g_strdup(g + 5);
  d->read = g_ptr_array_new_with_free_func(option_free);
  d->line = line_of(p, g, NULL);
  g_ptr_array_add(p->data, d);
  if (!*d->name || strpbrk(d->name, ": \t,")) {
    fail(p, err, g, NULL, "a data group is named [data.NAME], NAME without spaces, commas or ':'");
    return FALSE;
  }
  gchar **keys = g_key_file_get_keys(p->kf, g, NULL, NULL);
  gboolean ok = TRUE;
  for (gchar **k = keys; k && *k && ok; k++) {
    char *dk = dashes(*k);
    char *v = get(p, g, *k);
    if (strcmp(dk, "path") == 0) d->path = *v ? resolve(p, v) : NULL;
    else if (strcmp(dk, "codebook") == 0) d->codebook = *v ? resolve(p, v) : NULL;
    else if (strcmp(dk, "weight") == 0) d->weight = *v ? g_strdup(v) : NULL;
    else if (strcmp(dk, "cluster") == 0) d->cluster = *v ? g_strdup(v) : NULL;
    else if (strcmp(dk, "strata") == 0) d->strata = *v ? g_strdup(v) : NULL;
    else if (strcmp(dk, "label") == 0) {
    } else if (in_list(read_keys, dk)) {
      rs_plan_option *o = g_new0(rs_plan_option, 1);
      o->key = g_strdup(dk);
      o->value = g_strdup(v);
      o->line = line_of(p, g, *k);
      g_ptr_array_add(d->read, o);
    } else {
      fail(p, err, g, *k,
           "unknown key '%s' (a [data.NAME] group has path, codebook, weight, cluster, strata, delimiter, decimal, "
           "encoding, skip, input-format, max-field, year-column)", *k);
      ok = FALSE;
    }
    g_free(v);
    g_free(dk);
  }
  g_strfreev(keys);
  if (ok && !d->path) {
    fail(p, err, g, NULL, "no path= for the data file");
    ok = FALSE;
  }
  return ok;
}

static gboolean read_analysis_group(rs_plan *p, const char *g, GError **err) {
  rs_plan_analysis *a = g_new0(rs_plan_analysis, 1);
  a->name = g_strdup(g + 9);
  a->options = g_ptr_array_new_with_free_func(option_free);
  a->line = line_of(p, g, NULL);
  g_ptr_array_add(p->analyses, a);
  /* NAME becomes a file name in the output directory */
  if (!*a->name || strpbrk(a->name, "/\\ \t:") || a->name[0] == '.') {
    fail(p, err, g, NULL, "an analysis is named [analysis.NAME], NAME a file name without '/', spaces or ':'");
    return FALSE;
  }
  gchar **keys = g_key_file_get_keys(p->kf, g, NULL, NULL);
  for (gchar **k = keys; k && *k; k++) {
    char *v = get(p, g, *k);
    if (strcmp(*k, "command") == 0) {
      a->command = v;
      a->command_line = line_of(p, g, *k);
    } else if (strcmp(*k, "data") == 0) {
      a->data = v;
      a->data_line = line_of(p, g, *k);
    }
    else {
      rs_plan_option *o = g_new0(rs_plan_option, 1);
      o->key = dashes(*k);
      o->value = v;
      o->line = line_of(p, g, *k);
      g_ptr_array_add(a->options, o);
    }
  }
  g_strfreev(keys);
  if (!a->command || !*a->command) {
    fail(p, err, g, NULL, "no command= (such as command=outcomes)");
    return FALSE;
  }
  if (!a->data || !*a->data) {
    fail(p, err, g, NULL, "no data= naming a [data.*] group");
    return FALSE;
  }
  return TRUE;
}

static char *data_names(const rs_plan *p) {
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < p->data->len; i++) {
    const rs_plan_data *d = g_ptr_array_index(p->data, i);
    g_string_append_printf(s, "%s%s", i ? ", " : "", d->name);
  }
  return g_string_free(s, FALSE);
}

/* data=, data:NAME and codebook:NAME name existing groups; column options
 * name columns of the analysis's data. */
static gboolean check_analysis(const rs_plan *p, const rs_plan_analysis *a, GError **err) {
  char *g = g_strdup_printf("analysis.%s", a->name);
  gboolean ok = TRUE;
  const rs_plan_data *d = rs_plan_data_get(p, a->data);
  if (!d) {
    char *names = data_names(p);
    fail(p, err, g, "data", "data '%s' is not a [data.*] group (the plan has: %s)", a->data,
         *names ? names : "none");
    g_free(names);
    ok = FALSE;
  }
  for (guint i = 0; ok && i < a->options->len; i++) {
    const rs_plan_option *o = g_ptr_array_index(a->options, i);
    const char *ref = g_str_has_prefix(o->value, "data:") ? o->value + 5
                      : g_str_has_prefix(o->value, "codebook:") ? o->value + 9 : NULL;
    if (ref) {
      const rs_plan_data *r = rs_plan_data_get(p, ref);
      if (!r) {
        char *names = data_names(p);
        fail(p, err, g, o->key, "%s: '%s' is not a [data.*] group (the plan has: %s)", o->key, ref, names);
        g_free(names);
        ok = FALSE;
      } else if (g_str_has_prefix(o->value, "codebook:") && !r->codebook) {
        fail(p, err, g, o->key, "%s: data group '%s' has no codebook=", o->key, ref);
        ok = FALSE;
      }
      continue;
    }
    if (in_list(column_keys, o->key) && *o->value && strcmp(o->value, "true") != 0 && strcmp(o->value, "false") != 0)
      ok = check_column(p, d, g, o->key, o->value, err);
    if (ok && in_list(index_keys, o->key) && d->cb) {
      char **parts = g_strsplit(o->value, ",", -1);
      for (char **q = parts; *q && ok; q++) {
        g_strstrip(*q);
        if (**q && !is_index(d->cb, *q)) {
          fail(p, err, g, o->key, "%s: '%s' is no index in the codebook %s", o->key, *q, d->codebook);
          ok = FALSE;
        }
      }
      g_strfreev(parts);
    }
  }
  g_free(g);
  return ok;
}

rs_plan *rs_plan_load(const char *path, GError **err) {
  rs_plan *p = g_new0(rs_plan, 1);
  p->path = g_strdup(path);
  p->dir = g_path_get_dirname(path);
  p->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  p->data = g_ptr_array_new_with_free_func(data_free);
  p->analyses = g_ptr_array_new_with_free_func(analysis_free);
  p->kf = g_key_file_new();
  char *text = NULL, *clean = NULL;
  gsize len = 0;
  GError *e = NULL;
  if (!g_file_get_contents(path, &text, &len, &e)) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "cannot read the plan %s: %s", path, e->message);
    g_error_free(e);
    goto fail;
  }
  p->sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
  clean = scan(p, text, len, err);
  if (!clean) goto fail;
  if (!g_key_file_load_from_data(p->kf, clean, (gsize)-1, G_KEY_FILE_NONE, &e)) {
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: %s", path, e->message);
    g_error_free(e);
    goto fail;
  }
  gchar **groups = g_key_file_get_groups(p->kf, NULL);
  gboolean ok = TRUE;
  /* every value once, so that a bad escape is reported with its line */
  for (gchar **g = groups; *g && ok; g++) {
    gchar **keys = g_key_file_get_keys(p->kf, *g, NULL, NULL);
    for (gchar **k = keys; k && *k && ok; k++) {
      char *v = g_key_file_get_string(p->kf, *g, *k, &e);
      if (!v) {
        fail(p, err, *g, *k, "%s: %s", *k, e->message);
        g_clear_error(&e);
        ok = FALSE;
      }
      g_free(v);
    }
    g_strfreev(keys);
  }
  if (!ok || !read_plan_group(p, err)) {
    g_strfreev(groups);
    goto fail;
  }
  for (gchar **g = groups; *g && ok; g++) {
    if (strcmp(*g, "plan") == 0 || strcmp(*g, "report") == 0 || g_str_has_prefix(*g, "report.")) continue;
    if (g_str_has_prefix(*g, "data.")) ok = read_data_group(p, *g, err);
    else if (g_str_has_prefix(*g, "analysis.")) ok = read_analysis_group(p, *g, err);
    else {
      fail(p, err, *g, NULL, "unknown group (a plan has [plan], [data.NAME] and [analysis.NAME] groups)");
      ok = FALSE;
    }
  }
  g_strfreev(groups);
  if (!ok) goto fail;
  /* the analyses' references first (cheap), then the files */
  for (guint i = 0; i < p->analyses->len; i++) {
    const rs_plan_analysis *a = g_ptr_array_index(p->analyses, i);
    if (!rs_plan_data_get(p, a->data)) {
      check_analysis(p, a, err);
      goto fail;
    }
  }
  for (guint i = 0; i < p->data->len; i++) {
    rs_plan_data *d = g_ptr_array_index(p->data, i);
    char *g = g_strdup_printf("data.%s", d->name);
    ok = read_data_file(p, d, g, err);
    static const char *const design[] = {"weight", "cluster", "strata"};
    for (int k = 0; ok && k < 3; k++) {
      const char *v = k == 0 ? d->weight : k == 1 ? d->cluster : d->strata;
      if (v) ok = check_column(p, d, g, design[k], v, err);
    }
    g_free(g);
    if (!ok) goto fail;
  }
  for (guint i = 0; i < p->analyses->len; i++)
    if (!check_analysis(p, g_ptr_array_index(p->analyses, i), err)) goto fail;
  g_free(text);
  g_free(clean);
  return p;
fail:
  g_free(text);
  g_free(clean);
  rs_plan_free(p);
  return NULL;
}

const char *rs_plan_path(const rs_plan *p) { return p->path; }
const char *rs_plan_dir(const rs_plan *p) { return p->dir; }
const char *rs_plan_sha256(const rs_plan *p) { return p->sha256; }
const char *rs_plan_output(const rs_plan *p) { return p->output; }
const char *const *rs_plan_formats(const rs_plan *p) { return (const char *const *)p->formats; }
const char *rs_plan_lang(const rs_plan *p) { return p->lang; }
int rs_plan_vintage(const rs_plan *p) { return p->vintage; }
int rs_plan_min_n(const rs_plan *p) { return p->min_n; }
GKeyFile *rs_plan_keyfile(const rs_plan *p) { return p->kf; }

const char *rs_plan_title(const rs_plan *p, const char *lang) {
  if (lang && strcmp(lang, "en") == 0 && p->title_en) return p->title_en;
  if (lang && strcmp(lang, "nb") == 0 && p->title_nb) return p->title_nb;
  return p->title;
}

size_t rs_plan_n_data(const rs_plan *p) { return p->data->len; }
const rs_plan_data *rs_plan_data_at(const rs_plan *p, size_t i) { return g_ptr_array_index(p->data, i); }
const rs_plan_data *rs_plan_data_get(const rs_plan *p, const char *name) {
  for (guint i = 0; name && i < p->data->len; i++) {
    const rs_plan_data *d = g_ptr_array_index(p->data, i);
    if (strcmp(d->name, name) == 0) return d;
  }
  return NULL;
}
size_t rs_plan_n_analyses(const rs_plan *p) { return p->analyses->len; }
const rs_plan_analysis *rs_plan_analysis_at(const rs_plan *p, size_t i) { return g_ptr_array_index(p->analyses, i); }
const char *rs_plan_analysis_option(const rs_plan_analysis *a, const char *key) {
  char *k = dashes(key);
  const char *v = NULL;
  for (guint i = 0; i < a->options->len && !v; i++) {
    const rs_plan_option *o = g_ptr_array_index(a->options, i);
    if (strcmp(o->key, k) == 0) v = o->value;
  }
  g_free(k);
  return v;
}
