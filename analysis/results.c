/* results.c — result records and their five output formats. */
#include "analysis/results.h"
#include "datasets/value.h"

#include <math.h>
#include <string.h>

#include "config.h"

typedef enum { F_STR, F_NUM, F_INT } field_kind;

typedef struct {
  const char *key;  /* interned in the results' key list */
  field_kind kind;
  char *s;
  double x;
  long long i;
} field;

struct rs_record {
  GArray *fields;   /* of field */
};

typedef struct {
  char *path, *sha256;
  long long rows;
} input;

struct rs_results {
  char *command, *title;
  GPtrArray *inputs;    /* of input* */
  GPtrArray *records;   /* of rs_record* */
  GPtrArray *keys;      /* column order: first appearance */
  GHashTable *keyset;
  GPtrArray *notes;
  GPtrArray *sections;  /* titles (may be ""), one per section */
  bool has_seed;
  unsigned long seed;
};

int rs_format_from_name(const char *name) {
  static const char *const names[] = {"text", "csv", "json", "md", "latex"};
  for (int i = 0; i < 5; i++)
    if (g_ascii_strcasecmp(name, names[i]) == 0) return i;
  if (g_ascii_strcasecmp(name, "markdown") == 0) return RS_FORMAT_MD;
  if (g_ascii_strcasecmp(name, "tex") == 0) return RS_FORMAT_LATEX;
  return -1;
}

static void input_free(input *in) {
  g_free(in->path);
  g_free(in->sha256);
  g_free(in);
}

static void record_free(rs_record *rec) {
  for (guint i = 0; i < rec->fields->len; i++) g_free(g_array_index(rec->fields, field, i).s);
  g_array_free(rec->fields, TRUE);
  g_free(rec);
}

rs_results *rs_results_new(const char *command) {
  rs_results *r = g_new0(rs_results, 1);
  r->command = g_strdup(command);
  r->inputs = g_ptr_array_new_with_free_func((GDestroyNotify)input_free);
  r->records = g_ptr_array_new_with_free_func((GDestroyNotify)record_free);
  r->keys = g_ptr_array_new_with_free_func(g_free);
  r->keyset = g_hash_table_new(g_str_hash, g_str_equal);
  r->notes = g_ptr_array_new_with_free_func(g_free);
  r->sections = g_ptr_array_new_with_free_func(g_free);
  return r;
}

void rs_results_free(rs_results *r) {
  if (!r) return;
  g_free(r->command);
  g_free(r->title);
  g_ptr_array_free(r->inputs, TRUE);
  g_ptr_array_free(r->records, TRUE);
  g_hash_table_destroy(r->keyset);
  g_ptr_array_free(r->keys, TRUE);
  g_ptr_array_free(r->notes, TRUE);
  g_ptr_array_free(r->sections, TRUE);
  g_free(r);
}

void rs_results_add_input(rs_results *r, const char *path, const char *sha256, long long rows) {
  input *in = g_new0(input, 1);
  in->path = g_strdup(path);
  in->sha256 = sha256 && *sha256 ? g_strdup(sha256) : NULL;
  in->rows = rows;
  g_ptr_array_add(r->inputs, in);
}

void rs_results_set_seed(rs_results *r, unsigned long seed) {
  r->has_seed = true;
  r->seed = seed;
}

void rs_results_set_title(rs_results *r, const char *title) {
  g_free(r->title);
  r->title = g_strdup(title);
}

void rs_results_add_note(rs_results *r, const char *note) { g_ptr_array_add(r->notes, g_strdup(note)); }

size_t rs_results_count(const rs_results *r) { return r->records->len; }

/* One rs_record belongs to one results; we keep a back pointer via a
 * static-free trick: records are created by rs_results_add and keys are
 * registered there lazily through the owning results. */
typedef struct {
  rs_record rec;
  rs_results *owner;
  guint section;
} owned_record;

void rs_results_section(rs_results *r, const char *title) { g_ptr_array_add(r->sections, g_strdup(title ? title : "")); }

rs_record *rs_results_add(rs_results *r) {
  owned_record *o = g_new0(owned_record, 1);
  o->rec.fields = g_array_new(FALSE, TRUE, sizeof(field));
  o->owner = r;
  o->section = r->sections->len ? r->sections->len - 1 : 0;
  g_ptr_array_add(r->records, &o->rec);
  return &o->rec;
}

static const char *intern_key(rs_record *rec, const char *key) {
  rs_results *r = ((owned_record *)rec)->owner;
  const char *k = g_hash_table_lookup(r->keyset, key);
  if (!k) {
    char *copy = g_strdup(key);
    g_ptr_array_add(r->keys, copy);
    g_hash_table_insert(r->keyset, copy, copy);
    k = copy;
  }
  return k;
}

void rs_record_str(rs_record *rec, const char *key, const char *value) {
  if (!value) return;
  field f = {.key = intern_key(rec, key), .kind = F_STR, .s = g_strdup(value)};
  g_array_append_val(rec->fields, f);
}

void rs_record_num(rs_record *rec, const char *key, double value) {
  if (!isfinite(value)) return;
  field f = {.key = intern_key(rec, key), .kind = F_NUM, .x = value};
  g_array_append_val(rec->fields, f);
}

void rs_record_int(rs_record *rec, const char *key, long long value) {
  field f = {.key = intern_key(rec, key), .kind = F_INT, .i = value};
  g_array_append_val(rec->fields, f);
}

static const field *find_field(const rs_record *rec, const char *key) {
  for (guint i = 0; i < rec->fields->len; i++) {
    const field *f = &g_array_index(rec->fields, field, i);
    if (f->key == key) return f;
  }
  return NULL;
}

/* ---- formatting --------------------------------------------------------- */

static char *field_text(const field *f, bool exact) {
  char buf[64];
  switch (f->kind) {
    case F_STR: return g_strdup(f->s);
    case F_INT: g_snprintf(buf, sizeof buf, "%lld", f->i); return g_strdup(buf);
    case F_NUM:
      if (exact) rs_value_format_double(f->x, buf);
      else g_ascii_formatd(buf, sizeof buf, "%.6g", f->x);
      return g_strdup(buf);
  }
  return g_strdup("");
}


static void csv_cell(GString *g, const char *s) {
  if (strpbrk(s, ",\"\r\n") == NULL) { g_string_append(g, s); return; }
  g_string_append_c(g, '"');
  for (const char *p = s; *p; p++) {
    if (*p == '"') g_string_append_c(g, '"');
    g_string_append_c(g, *p);
  }
  g_string_append_c(g, '"');
}

static void latex_cell(GString *g, const char *s) {
  for (const char *p = s; *p; p++) {
    switch (*p) {
      case '&': case '%': case '$': case '#': case '_': case '{': case '}':
        g_string_append_c(g, '\\'); g_string_append_c(g, *p); break;
      case '~': g_string_append(g, "\\textasciitilde{}"); break;
      case '^': g_string_append(g, "\\textasciicircum{}"); break;
      case '\\': g_string_append(g, "\\textbackslash{}"); break;
      default: g_string_append_c(g, *p);
    }
  }
}

static void write_json(const rs_results *r, GString *g) {
  g_string_append(g, "{\"reformstat\": ");
  rs_value_append_json_string(g, PACKAGE_VERSION);
  g_string_append(g, ", \"command\": ");
  rs_value_append_json_string(g, r->command);
  g_string_append(g, ", \"inputs\": [");
  for (guint i = 0; i < r->inputs->len; i++) {
    const input *in = g_ptr_array_index(r->inputs, i);
    g_string_append(g, i ? ", {\"path\": " : "{\"path\": ");
    rs_value_append_json_string(g, in->path);
    if (in->sha256) { g_string_append(g, ", \"sha256\": "); rs_value_append_json_string(g, in->sha256); }
    if (in->rows >= 0) g_string_append_printf(g, ", \"rows\": %lld", in->rows);
    g_string_append_c(g, '}');
  }
  g_string_append(g, "], \"seed\": ");
  if (r->has_seed) g_string_append_printf(g, "%lu", r->seed); else g_string_append(g, "null");
  if (r->notes->len) {
    g_string_append(g, ", \"notes\": [");
    for (guint i = 0; i < r->notes->len; i++) {
      if (i) g_string_append(g, ", ");
      rs_value_append_json_string(g, g_ptr_array_index(r->notes, i));
    }
    g_string_append_c(g, ']');
  }
  g_string_append(g, ",\n \"results\": [");
  for (guint i = 0; i < r->records->len; i++) {
    const rs_record *rec = g_ptr_array_index(r->records, i);
    g_string_append(g, i ? ",\n  {" : "\n  {");
    for (guint k = 0; k < rec->fields->len; k++) {
      const field *f = &g_array_index(rec->fields, field, k);
      if (k) g_string_append(g, ", ");
      rs_value_append_json_string(g, f->key);
      g_string_append(g, ": ");
      if (f->kind == F_STR) rs_value_append_json_string(g, f->s);
      else {
        char *t = field_text(f, true);
        g_string_append(g, t);
        g_free(t);
      }
    }
    g_string_append_c(g, '}');
  }
  g_string_append(g, "]}\n");
}

/* One grid of `recs` over the columns `keys` (both subsets of r's). */
static void write_one_grid(GPtrArray *recs, GPtrArray *keys, const char *title, GString *g,
                           rs_format fmt) {
  guint nk = keys->len, nr = recs->len;
  char ***cells = g_new0(char **, nr);
  size_t *width = g_new0(size_t, nk);
  for (guint k = 0; k < nk; k++) {
    width[k] = (size_t)g_utf8_strlen(g_ptr_array_index(keys, k), -1);
    if (fmt == RS_FORMAT_MD && width[k] < 3) width[k] = 3;  /* "---" at least under a Markdown header */
  }
  for (guint i = 0; i < nr; i++) {
    const rs_record *rec = g_ptr_array_index(recs, i);
    cells[i] = g_new0(char *, nk + 1);  /* NULL-terminated for g_strfreev */
    for (guint k = 0; k < nk; k++) {
      const field *f = find_field(rec, g_ptr_array_index(keys, k));
      cells[i][k] = f ? field_text(f, fmt == RS_FORMAT_CSV) : g_strdup(fmt == RS_FORMAT_CSV ? "" : "–");
      size_t w = (size_t)g_utf8_strlen(cells[i][k], -1);
      if (w > width[k]) width[k] = w;
    }
  }
  if (fmt == RS_FORMAT_CSV) {
    for (guint k = 0; k < nk; k++) {
      if (k) g_string_append_c(g, ',');
      csv_cell(g, g_ptr_array_index(keys, k));
    }
    g_string_append_c(g, '\n');
    for (guint i = 0; i < nr; i++) {
      for (guint k = 0; k < nk; k++) {
        if (k) g_string_append_c(g, ',');
        csv_cell(g, cells[i][k]);
      }
      g_string_append_c(g, '\n');
    }
  } else if (fmt == RS_FORMAT_LATEX) {
    g_string_append(g, "\\begin{tabular}{");
    for (guint k = 0; k < nk; k++) g_string_append_c(g, k == 0 ? 'l' : 'r');
    g_string_append(g, "}\n\\hline\n");
    for (guint k = 0; k < nk; k++) {
      if (k) g_string_append(g, " & ");
      latex_cell(g, g_ptr_array_index(keys, k));
    }
    g_string_append(g, " \\\\\n\\hline\n");
    for (guint i = 0; i < nr; i++) {
      for (guint k = 0; k < nk; k++) {
        if (k) g_string_append(g, " & ");
        latex_cell(g, cells[i][k]);
      }
      g_string_append(g, " \\\\\n");
    }
    g_string_append(g, "\\hline\n\\end{tabular}\n");
  } else {
    bool md = fmt == RS_FORMAT_MD;
    /* numbers right-aligned, text left-aligned */
    bool *numeric_col = g_new0(bool, nk ? nk : 1);
    for (guint k = 0; k < nk; k++) {
      numeric_col[k] = true;
      for (guint i = 0; i < nr && numeric_col[k]; i++) {
        const char *c = cells[i][k];
        char *end = NULL;
        if (strcmp(c, "–") == 0) continue;
        g_ascii_strtod(c, &end);
        numeric_col[k] = end != c && *end == '\0';
      }
    }
    if (title && *title) g_string_append_printf(g, md ? "### %s\n\n" : "%s\n\n", title);
    for (guint row = 0; row < nr + 1; row++) {
      if (md) g_string_append(g, "| ");
      for (guint k = 0; k < nk; k++) {
        const char *s = row == 0 ? g_ptr_array_index(keys, k) : cells[row - 1][k];
        size_t pad = width[k] - (size_t)g_utf8_strlen(s, -1);
        bool right = numeric_col[k];
        if (right) for (size_t p = 0; p < pad; p++) g_string_append_c(g, ' ');
        g_string_append(g, s);
        if (!right) for (size_t p = 0; p < pad; p++) g_string_append_c(g, ' ');
        g_string_append(g, md ? " | " : "  ");
      }
      while (g->len && g->str[g->len - 1] == ' ') g_string_truncate(g, g->len - 1);
      g_string_append_c(g, '\n');
      if (row == 0 && md) {
        g_string_append(g, "|");
        for (guint k = 0; k < nk; k++) {
          g_string_append(g, k ? " " : " ");
          for (size_t p = 0; p < width[k]; p++) g_string_append_c(g, '-');
          if (numeric_col[k]) { g_string_truncate(g, g->len - 1); g_string_append_c(g, ':'); }
          g_string_append(g, " |");
        }
        g_string_append_c(g, '\n');
      }
    }
    g_free(numeric_col);
  }
  for (guint i = 0; i < nr; i++) g_strfreev(cells[i]);
  g_free(cells);
  g_free(width);
}

/* CSV: one table of every record.  Text, Markdown, LaTeX: one table per
 * section, each with only the columns its records use. */
static void write_grid(const rs_results *r, GString *g, rs_format fmt) {
  guint nsec = fmt == RS_FORMAT_CSV || r->sections->len == 0 ? 1 : r->sections->len;
  for (guint sec = 0; sec < nsec; sec++) {
    GPtrArray *recs = g_ptr_array_new(), *keys = g_ptr_array_new();
    for (guint i = 0; i < r->records->len; i++) {
      owned_record *o = g_ptr_array_index(r->records, i);
      if (nsec == 1 || o->section == sec) g_ptr_array_add(recs, o);
    }
    for (guint k = 0; k < r->keys->len; k++) {
      const char *key = g_ptr_array_index(r->keys, k);
      bool used = false;
      for (guint i = 0; i < recs->len && !used; i++) used = find_field(g_ptr_array_index(recs, i), key) != NULL;
      if (used) g_ptr_array_add(keys, (gpointer)key);
    }
    if (recs->len) {
      if (g->len && fmt != RS_FORMAT_CSV) g_string_append_c(g, '\n');
      const char *title = nsec > 1 ? g_ptr_array_index(r->sections, sec) : r->title;
      write_one_grid(recs, keys, title, g, fmt);
    }
    g_ptr_array_free(recs, TRUE);
    g_ptr_array_free(keys, TRUE);
  }
  if (fmt == RS_FORMAT_TEXT || fmt == RS_FORMAT_MD)
    for (guint i = 0; i < r->notes->len; i++)
      g_string_append_printf(g, "%s%s\n", i == 0 ? "\n" : "", (const char *)g_ptr_array_index(r->notes, i));
}

bool rs_results_write(const rs_results *r, FILE *fp, rs_format format) {
  GString *g = g_string_new(NULL);
  if (format == RS_FORMAT_JSON) write_json(r, g); else write_grid(r, g, format);
  bool ok = fwrite(g->str, 1, g->len, fp) == g->len;
  g_string_free(g, TRUE);
  return ok;
}
