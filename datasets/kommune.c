/* kommune.c — kommune and fylke code tables, their vintages and the mapping
 * of a code from one vintage to another (see kommune.h for the files read
 * and what each kind of mapping means).
 *
 * The tables are small (a few hundred rows each), so every file is read
 * whole into memory through the reader core (datasets/reader.h), which
 * settles delimiter, encoding and header; this file only interprets cells.
 *
 * A step between two adjacent vintages (2019 → 2020, 2020 → 2024) is kept as
 * a relation in both directions: every code of the older set → the codes it
 * became, and every code of the newer set → the codes it came from.  The
 * relation is built by applying the change rows date by date to the older
 * set, and must end in exactly the newer set; mapping across several steps
 * composes the relations, and the kind of a mapping (same, renumbered,
 * merged, split) follows from the sizes of image and pre-image.
 */
#include "datasets/kommune.h"
#include "datasets/error.h"
#include "datasets/reader.h"

#include <stdlib.h>
#include <string.h>

#ifndef REFORMSTAT_PKGDATADIR
#define REFORMSTAT_PKGDATADIR "/usr/local/share/reformstat"
#endif

#define NV 3 /* vintages 2019, 2020, 2024 */
static const int vintage_years[NV] = {2019, 2020, 2024};

typedef struct {
  GPtrArray *kommuner;  /* rs_kommune*, code order; NULL when not loaded */
  GHashTable *kidx;     /* code → rs_kommune* (keys owned by the kommune) */
  GPtrArray *fylker;    /* rs_fylke* */
  GHashTable *fidx;
} vset;

typedef struct {
  bool ready;
  GHashTable *fw;  /* older code → GPtrArray of newer codes (sorted) */
  GHashTable *bw;  /* newer code → GPtrArray of older codes (sorted) */
} step;

struct rs_refdata {
  char *dir;
  GPtrArray *files;  /* char*: paths of the files used */
  vset v[NV];
  step s[NV - 1];
};

/* ---- small helpers ------------------------------------------------------ */

int rs_refdata_vintage_of_year(int year) {
  /* Kommuner as units date from the formannskapslover of 1838; a smaller
   * number is a typo or a missing value, not a year. */
  if (year < 1838 || year > 9999) return -1;
  if (year <= 2019) return 2019;
  if (year <= 2023) return 2020;
  return 2024;
}

static int vindex(int year) {
  int v = rs_refdata_vintage_of_year(year);
  for (int i = 0; i < NV; i++)
    if (vintage_years[i] == v) return i;
  return -1;
}

/* Digits only, between minw and width of them, left-padded with zeros to
 * width (Excel drops the leading zero: "301" is 0301). */
static char *normalise_code(const char *in, size_t minw, size_t width) {
  if (in == NULL) return NULL;
  while (g_ascii_isspace(*in)) in++;
  size_t n = strlen(in);
  while (n > 0 && g_ascii_isspace(in[n - 1])) n--;
  if (n < minw || n > width) return NULL;
  for (size_t i = 0; i < n; i++)
    if (!g_ascii_isdigit(in[i])) return NULL;
  char *out = g_malloc(width + 1);
  memset(out, '0', width - n);
  memcpy(out + (width - n), in, n);
  out[width] = '\0';
  return out;
}

char *rs_refdata_normalise_kommune(const char *code) { return normalise_code(code, 3, 4); }
char *rs_refdata_normalise_fylke(const char *code) { return normalise_code(code, 1, 2); }

static gint cmp_strp(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static gint cmp_kommune(gconstpointer a, gconstpointer b) {
  return strcmp((*(const rs_kommune *const *)a)->code, (*(const rs_kommune *const *)b)->code);
}

static gint cmp_fylke(gconstpointer a, gconstpointer b) {
  return strcmp((*(const rs_fylke *const *)a)->code, (*(const rs_fylke *const *)b)->code);
}

static void kommune_free(gpointer p) {
  rs_kommune *k = p;
  g_free(k->code);
  g_free(k->name);
  g_free(k->fylke);
  g_free(k);
}

static void fylke_free(gpointer p) {
  rs_fylke *f = p;
  g_free(f->code);
  g_free(f->name);
  g_free(f);
}

static void ptr_array_unref(gpointer p) { g_ptr_array_unref(p); }

/* ---- reading a table ---------------------------------------------------- */

typedef struct {
  long line;
  GPtrArray *cells;  /* char*, stripped */
} trow;

typedef struct {
  const char *path;
  GPtrArray *header;  /* char* */
  GPtrArray *rows;    /* trow* */
  trow *cur;
} table;

static void trow_free(gpointer p) {
  trow *r = p;
  g_ptr_array_unref(r->cells);
  g_free(r);
}

static int tab_field(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  (void)col;
  (void)line;
  table *t = ctx;
  char *cell = g_strstrip(g_strndup(text, len));
  if (row == 0) {
    g_ptr_array_add(t->header, cell);
    return 0;
  }
  if (t->cur == NULL) {
    t->cur = g_new0(trow, 1);
    t->cur->cells = g_ptr_array_new_with_free_func(g_free);
  }
  g_ptr_array_add(t->cur->cells, cell);
  return 0;
}

static int tab_row_end(void *ctx, size_t row, size_t nfields, long line) {
  (void)nfields;
  table *t = ctx;
  if (row == 0) return 0;
  trow *r = t->cur;
  t->cur = NULL;
  if (r == NULL) return 0;
  /* Rows of empty cells (";;;;" left by a spreadsheet) carry nothing. */
  bool empty = true;
  for (guint i = 0; i < r->cells->len && empty; i++)
    if (((const char *)g_ptr_array_index(r->cells, i))[0] != '\0') empty = false;
  if (empty) {
    trow_free(r);
    return 0;
  }
  r->line = line;
  g_ptr_array_add(t->rows, r);
  return 0;
}

static void table_clear(table *t) {
  if (t->header) g_ptr_array_unref(t->header);
  if (t->rows) g_ptr_array_unref(t->rows);
  if (t->cur) trow_free(t->cur);
  memset(t, 0, sizeof *t);
}

static bool table_read(const char *path, table *t, GError **err) {
  memset(t, 0, sizeof *t);
  t->path = path;
  t->header = g_ptr_array_new_with_free_func(g_free);
  t->rows = g_ptr_array_new_with_free_func(trow_free);
  rs_read_options o;
  rs_read_options_init(&o);
  o.header = true;
  o.skip = 0;  /* reference tables start with their header: no title lines */
  rs_reader *rd = rs_reader_open(path, &o, err);
  if (rd == NULL) {
    table_clear(t);
    return false;
  }
  rs_reader_callbacks cb = {.field = tab_field, .row_end = tab_row_end};
  int rc = rs_reader_run(rd, &cb, t, err);
  rs_reader_free(rd);
  if (rc != 0) {
    if (err && *err == NULL)
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "%s: reading stopped for no stated reason", path);
    table_clear(t);
    return false;
  }
  return true;
}

/* Header names compare without case, '_', '-' or spaces, so that the
 * project's old_code and Klass's oldCode are the same column. */
static char *squash_name(const char *s) {
  GString *g = g_string_new(NULL);
  for (; *s; s++)
    if (*s != '_' && *s != '-' && *s != ' ') g_string_append_c(g, g_ascii_tolower(*s));
  return g_string_free(g, FALSE);
}

static int table_col(const table *t, const char *const *names) {
  for (guint i = 0; i < t->header->len; i++) {
    char *h = squash_name(g_ptr_array_index(t->header, i));
    bool hit = false;
    for (const char *const *n = names; *n && !hit; n++) hit = strcmp(h, *n) == 0;
    g_free(h);
    if (hit) return (int)i;
  }
  return -1;
}

static const char *cell(const trow *r, int col) {
  if (col < 0 || (guint)col >= r->cells->len) return "";  /* Klass rows may be short */
  return g_ptr_array_index(r->cells, (guint)col);
}

static bool date_ok(const char *s) {
  if (strlen(s) < 10) return false;
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) {
      if (s[i] != '-') return false;
    } else if (!g_ascii_isdigit(s[i])) {
      return false;
    }
  }
  return true;
}

/* ---- kommune and fylke lists ------------------------------------------- */

typedef struct {
  char *code;
  char *name;
  long line;
} entry;

static void entry_free(gpointer p) {
  entry *e = p;
  if (e == NULL) return;  /* moved elsewhere */
  g_free(e->code);
  g_free(e->name);
  g_free(e);
}

static const char *const code_cols[] = {"code", "kode", NULL};
static const char *const name_cols[] = {"name", "navn", NULL};
static const char *const from_cols[] = {"validfrom", "gyldigfra", NULL};
static const char *const to_cols[] = {"validto", "gyldigtil", NULL};

/* Reads a kommune (fylke == false) or fylke list, keeping the rows valid on
 * `ref_date` (YYYY-01-01; Klass's validTo is exclusive).  Returns entries in
 * file order, or NULL with err naming file and line. */
static GPtrArray *read_entries(const char *path, bool fylke, const char *ref_date, GError **err) {
  table t;
  if (!table_read(path, &t, err)) return NULL;
  const char *what = fylke ? "fylke" : "kommune";
  int ccode = table_col(&t, code_cols), cname = table_col(&t, name_cols);
  int cfrom = table_col(&t, from_cols), cto = table_col(&t, to_cols);
  if (ccode < 0 || cname < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE,
                "%s: line 1: the header has no '%s' column; a %s table needs a header like "
                "code,name,valid_from,valid_to (or, from SSB Klass, code;parentCode;level;name;...)",
                path, ccode < 0 ? "code" : "name", what);
    table_clear(&t);
    return NULL;
  }
  GPtrArray *out = g_ptr_array_new_with_free_func(entry_free);
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);  /* code → entry* */
  bool ok = true;
  for (guint i = 0; i < t.rows->len && ok; i++) {
    const trow *r = g_ptr_array_index(t.rows, i);
    const char *raw = cell(r, ccode);
    char *code = fylke ? rs_refdata_normalise_fylke(raw) : rs_refdata_normalise_kommune(raw);
    if (code == NULL) {
      char *q = rs_error_quote_value(raw, strlen(raw), 40);
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %ld: '%s' is not a %s code; a %s code has %s",
                  path, r->line, q, what, what, fylke ? "two digits, like 03" : "four digits, like 0301");
      g_free(q);
      ok = false;
      break;
    }
    /* Klass lists "Uoppgitt" (unknown) under 9999 / 99; it is no place. */
    if (strcmp(code, fylke ? "99" : "9999") == 0) {
      g_free(code);
      continue;
    }
    const char *vf = cell(r, cfrom), *vt = cell(r, cto);
    bool dates_ok = (vf[0] == '\0' || date_ok(vf)) && (vt[0] == '\0' || date_ok(vt));
    if (!dates_ok) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %ld: %s %s has a validity date that is not written YYYY-MM-DD ('%s', '%s')", path,
                  r->line, what, code, vf, vt);
      g_free(code);
      ok = false;
      break;
    }
    if ((vf[0] && strncmp(vf, ref_date, 10) > 0) || (vt[0] && strncmp(vt, ref_date, 10) <= 0)) {
      g_free(code);  /* not valid on the reference date */
      continue;
    }
    const char *name = cell(r, cname);
    if (name[0] == '\0') {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %ld: %s %s has no name", path, r->line, what, code);
      g_free(code);
      ok = false;
      break;
    }
    const entry *prev = g_hash_table_lookup(seen, code);
    if (prev) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %ld: %s %s is listed twice (first on line %ld)", path,
                  r->line, what, code, prev->line);
      g_free(code);
      ok = false;
      break;
    }
    entry *e = g_new0(entry, 1);
    e->code = code;
    e->name = g_strdup(name);
    e->line = r->line;
    g_ptr_array_add(out, e);
    g_hash_table_insert(seen, e->code, e);
  }
  if (ok && out->len == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: the file lists no %s valid on %s", path,
                fylke ? "fylker" : "kommuner", ref_date);
    ok = false;
  }
  g_hash_table_destroy(seen);
  table_clear(&t);
  if (!ok) {
    g_ptr_array_unref(out);
    return NULL;
  }
  return out;
}

/* Both files describe one vintage: their code sets must agree, or one of
 * them belongs to a code set reformstat does not know. */
static bool same_codes(const GPtrArray *a, const char *apath, const GPtrArray *b, const char *bpath, bool fylke,
                       int vintage, GError **err) {
  GHashTable *hb = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < b->len; i++) {
    entry *e = g_ptr_array_index(b, i);
    g_hash_table_insert(hb, e->code, e);
  }
  GHashTable *ha = g_hash_table_new(g_str_hash, g_str_equal);
  bool ok = true;
  for (guint i = 0; i < a->len && ok; i++) {
    entry *e = g_ptr_array_index(a, i);
    g_hash_table_insert(ha, e->code, e);
    if (!g_hash_table_contains(hb, e->code)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %ld: %s %s is not in %s, although both files describe the %s code set of %d; "
                  "reformstat knows the sets of 2019, 2020 (used to 2023) and 2024, so an export from "
                  "after a later change cannot be used",
                  apath, e->line, fylke ? "fylke" : "kommune", e->code, bpath, fylke ? "fylke" : "kommune",
                  vintage);
      ok = false;
    }
  }
  for (guint i = 0; i < b->len && ok; i++) {
    entry *e = g_ptr_array_index(b, i);
    if (!g_hash_table_contains(ha, e->code)) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %ld: %s %s is missing from %s, although both files describe the %s code set of %d",
                  bpath, e->line, fylke ? "fylke" : "kommune", e->code, apath, fylke ? "fylke" : "kommune",
                  vintage);
      ok = false;
    }
  }
  g_hash_table_destroy(ha);
  g_hash_table_destroy(hb);
  return ok;
}

static void vset_set_kommuner(vset *v, const GPtrArray *entries) {
  v->kommuner = g_ptr_array_new_with_free_func(kommune_free);
  v->kidx = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < entries->len; i++) {
    const entry *e = g_ptr_array_index(entries, i);
    rs_kommune *k = g_new0(rs_kommune, 1);
    k->code = g_strdup(e->code);
    k->name = g_strdup(e->name);
    k->fylke = g_strndup(e->code, 2);
    g_ptr_array_add(v->kommuner, k);
  }
  g_ptr_array_sort(v->kommuner, cmp_kommune);
  for (guint i = 0; i < v->kommuner->len; i++) {
    rs_kommune *k = g_ptr_array_index(v->kommuner, i);
    g_hash_table_insert(v->kidx, k->code, k);
  }
}

static void vset_set_fylker(vset *v, const GPtrArray *entries) {
  v->fylker = g_ptr_array_new_with_free_func(fylke_free);
  v->fidx = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < entries->len; i++) {
    const entry *e = g_ptr_array_index(entries, i);
    rs_fylke *f = g_new0(rs_fylke, 1);
    f->code = g_strdup(e->code);
    f->name = g_strdup(e->name);
    g_ptr_array_add(v->fylker, f);
  }
  g_ptr_array_sort(v->fylker, cmp_fylke);
  for (guint i = 0; i < v->fylker->len; i++) {
    rs_fylke *f = g_ptr_array_index(v->fylker, i);
    g_hash_table_insert(v->fidx, f->code, f);
  }
}

/* ---- the directory ------------------------------------------------------ */

typedef struct {
  char *kproj[NV], *fproj[NV];  /* project tables */
  char *kklass[NV], *fklass[NV];  /* newest Klass export per vintage */
  int kklass_year[NV], fklass_year[NV];
  char *pre2018;
  GPtrArray *changes;  /* char* paths */
} dir_files;

/* YYYY when name is exactly prefix YYYY ".csv", else -1. */
static int name_year(const char *name, const char *prefix) {
  size_t p = strlen(prefix);
  if (strncmp(name, prefix, p) != 0) return -1;
  const char *s = name + p;
  for (int i = 0; i < 4; i++)
    if (!g_ascii_isdigit(s[i])) return -1;
  if (strcmp(s + 4, ".csv") != 0) return -1;
  return atoi(s);
}

static int project_vintage(int year) {
  for (int i = 0; i < NV; i++)
    if (vintage_years[i] == year) return i;
  return -1;
}

static void dir_files_clear(dir_files *d) {
  for (int i = 0; i < NV; i++) {
    g_free(d->kproj[i]);
    g_free(d->fproj[i]);
    g_free(d->kklass[i]);
    g_free(d->fklass[i]);
  }
  g_free(d->pre2018);
  if (d->changes) g_ptr_array_unref(d->changes);
  memset(d, 0, sizeof *d);
}

/* Keeps the newest export per vintage.  Exports before 2019 are not used:
 * they hold codes that no vintage has (Rindal 1567 became 5061 on
 * 2019-01-01), and vintage_of_year would file them under 2019. */
static void take_klass(char **slot, int *slot_year, const char *dir, const char *name, int year) {
  if (year < 2019) return;
  if (*slot && *slot_year >= year) return;
  g_free(*slot);
  *slot = g_build_filename(dir, name, NULL);
  *slot_year = year;
}

/* Sorts the recognised files of `dir`; false (err set) only when the
 * directory cannot be read. */
static bool scan_dir(const char *dir, dir_files *d, GError **err) {
  memset(d, 0, sizeof *d);
  d->changes = g_ptr_array_new_with_free_func(g_free);
  GError *e = NULL;
  GDir *gd = g_dir_open(dir, 0, &e);
  if (gd == NULL) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot read the reference data directory: %s", dir, e->message);
    g_error_free(e);
    return false;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *n;
  while ((n = g_dir_read_name(gd)) != NULL) g_ptr_array_add(names, g_strdup(n));
  g_dir_close(gd);
  g_ptr_array_sort(names, cmp_strp);  /* a fixed order whatever readdir gives */
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    int y, vi;
    if ((y = name_year(name, "kommuner_")) >= 0 && (vi = project_vintage(y)) >= 0) {
      d->kproj[vi] = g_build_filename(dir, name, NULL);
    } else if ((y = name_year(name, "fylker_")) >= 0 && (vi = project_vintage(y)) >= 0) {
      d->fproj[vi] = g_build_filename(dir, name, NULL);
    } else if (strcmp(name, "fylker_pre2018.csv") == 0) {
      d->pre2018 = g_build_filename(dir, name, NULL);
    } else if ((g_str_has_prefix(name, "changes_") || g_str_has_prefix(name, "klass-131-changes")) &&
               g_str_has_suffix(name, ".csv")) {
      g_ptr_array_add(d->changes, g_build_filename(dir, name, NULL));
    } else if ((y = name_year(name, "klass-131-")) >= 0) {
      int vi2 = vindex(y);
      if (vi2 >= 0) take_klass(&d->kklass[vi2], &d->kklass_year[vi2], dir, name, y);
    } else if ((y = name_year(name, "klass-104-")) >= 0) {
      int vi2 = vindex(y);
      if (vi2 >= 0) take_klass(&d->fklass[vi2], &d->fklass_year[vi2], dir, name, y);
    }
  }
  g_ptr_array_unref(names);
  return true;
}

static bool dir_has_kommuner(const dir_files *d) {
  for (int i = 0; i < NV; i++)
    if (d->kproj[i] || d->kklass[i]) return true;
  return false;
}

static const char how_to_get[] =
    "Give --refdata DIR or set REFORMSTAT_REFDATA to a directory holding kommuner_2019.csv, "
    "kommuner_2020.csv, kommuner_2024.csv, fylker_2020.csv, fylker_2024.csv, changes_2019_2020.csv and "
    "changes_2020_2024.csv (reformstat's reference tables, see SOURCES.md beside them), or download "
    "SSB Klass CSV exports of classification 131 (kommuner) and 104 (fylker) from https://www.ssb.no/klass/ "
    "and save them there as klass-131-YEAR.csv and klass-104-YEAR.csv.";

/* NULL when `dir` holds kommune tables, else why not (newly allocated). */
static char *why_not_refdata(const char *dir) {
  if (!g_file_test(dir, G_FILE_TEST_EXISTS)) return g_strdup("does not exist");
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) return g_strdup("is not a directory");
  dir_files d;
  GError *e = NULL;
  if (!scan_dir(dir, &d, &e)) {
    char *why = g_strdup_printf("cannot be read (%s)", e->message);
    g_error_free(e);
    dir_files_clear(&d);
    return why;
  }
  bool has = dir_has_kommuner(&d);
  dir_files_clear(&d);
  return has ? NULL : g_strdup("holds no kommune table (kommuner_YEAR.csv or klass-131-YEAR.csv)");
}

char *rs_refdata_find(const char *dir, GError **err) {
  char *why;
  /* A directory the user named is used or refused, never silently passed
   * over for another one. */
  if (dir && dir[0]) {
    if ((why = why_not_refdata(dir)) == NULL) return g_strdup(dir);
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "the reference data directory %s (--refdata) %s. %s", dir, why,
                how_to_get);
    g_free(why);
    return NULL;
  }
  const char *env = g_getenv("REFORMSTAT_REFDATA");
  if (env && env[0]) {
    if ((why = why_not_refdata(env)) == NULL) return g_strdup(env);
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "the reference data directory %s (from REFORMSTAT_REFDATA) %s. %s",
                env, why, how_to_get);
    g_free(why);
    return NULL;
  }
  const char *inst = REFORMSTAT_PKGDATADIR "/refdata";
  if ((why = why_not_refdata(inst)) == NULL) return g_strdup(inst);
  g_set_error(err, RS_ERROR, RS_ERROR_IO,
              "no kommune/fylke reference data found: REFORMSTAT_REFDATA is not set and the installed copy %s %s. %s",
              inst, why, how_to_get);
  g_free(why);
  return NULL;
}

/* ---- change tables ------------------------------------------------------ */

typedef struct {
  char *old_code, *new_code;
  char date[11];
  const char *file;  /* path, owned by dir_files */
  long line;
  guint order;       /* reading order, to keep sorting stable */
} change;

static void change_free(gpointer p) {
  change *c = p;
  g_free(c->old_code);
  g_free(c->new_code);
  g_free(c);
}

static const char *const old_cols[] = {"oldcode", NULL};
static const char *const new_cols[] = {"newcode", NULL};
static const char *const date_cols[] = {"changeoccurred", NULL};

static bool read_changes(const char *path, GPtrArray *pool, GHashTable *seen, GError **err) {
  table t;
  if (!table_read(path, &t, err)) return false;
  int co = table_col(&t, old_cols), cn = table_col(&t, new_cols), cd = table_col(&t, date_cols);
  if (co < 0 || cn < 0 || cd < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE,
                "%s: line 1: the header has no '%s' column; a change table needs the header "
                "old_code,old_name,new_code,new_name,change_occurred (or, from SSB Klass, "
                "oldCode;oldName;oldShortName;newCode;newName;newShortName;changeOccurred)",
                path, co < 0 ? "old_code" : cn < 0 ? "new_code" : "change_occurred");
    table_clear(&t);
    return false;
  }
  bool ok = true;
  for (guint i = 0; i < t.rows->len && ok; i++) {
    const trow *r = g_ptr_array_index(t.rows, i);
    const char *raw[2] = {cell(r, co), cell(r, cn)};
    char *code[2];
    for (int k = 0; k < 2; k++) code[k] = rs_refdata_normalise_kommune(raw[k]);
    const char *date = cell(r, cd);
    if (code[0] == NULL || code[1] == NULL) {
      const char *bad = code[0] == NULL ? raw[0] : raw[1];
      char *q = rs_error_quote_value(bad, strlen(bad), 40);
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %ld: the %s '%s' is not a kommune code; a kommune code has four digits, like 0301",
                  path, r->line, code[0] == NULL ? "old code" : "new code", q);
      g_free(q);
      ok = false;
    } else if (!date_ok(date)) {
      char *q = rs_error_quote_value(date, strlen(date), 40);
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: line %ld: the date of the change '%s' is not written YYYY-MM-DD", path, r->line, q);
      g_free(q);
      ok = false;
    }
    if (!ok) {
      g_free(code[0]);
      g_free(code[1]);
      break;
    }
    /* The project's step tables repeat rows of the full Klass table; a row
     * is one fact however many files state it. */
    char *key = g_strdup_printf("%s>%s@%.10s", code[0], code[1], date);
    if (g_hash_table_contains(seen, key)) {
      g_free(key);
      g_free(code[0]);
      g_free(code[1]);
      continue;
    }
    g_hash_table_add(seen, key);
    change *c = g_new0(change, 1);
    c->old_code = code[0];
    c->new_code = code[1];
    memcpy(c->date, date, 10);
    c->date[10] = '\0';
    c->file = path;
    c->line = r->line;
    c->order = pool->len;
    g_ptr_array_add(pool, c);
  }
  table_clear(&t);
  return ok;
}

static gint cmp_change(gconstpointer a, gconstpointer b) {
  const change *x = *(const change *const *)a, *y = *(const change *const *)b;
  int c = strcmp(x->date, y->date);
  if (c) return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Adds each string of src to the set `into` (strings not copied). */
static void set_add_all(GHashTable *into, const GPtrArray *src) {
  for (guint i = 0; i < src->len; i++) g_hash_table_add(into, g_ptr_array_index(src, i));
}

static GPtrArray *set_to_sorted(GHashTable *set, GDestroyNotify free_func) {
  GPtrArray *a = g_ptr_array_new_with_free_func(free_func);
  GHashTableIter it;
  gpointer k;
  g_hash_table_iter_init(&it, set);
  while (g_hash_table_iter_next(&it, &k, NULL)) g_ptr_array_add(a, free_func ? g_strdup(k) : k);
  g_ptr_array_sort(a, cmp_strp);
  return a;
}

static char *basenames(const GPtrArray *rows) {
  GString *g = g_string_new(NULL);
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < rows->len; i++) {
    const change *c = g_ptr_array_index(rows, i);
    if (g_hash_table_contains(seen, c->file)) continue;
    g_hash_table_add(seen, (gpointer)c->file);
    char *b = g_path_get_basename(c->file);
    g_string_append_printf(g, "%s%s", g->len ? ", " : "", b);
    g_free(b);
  }
  g_hash_table_destroy(seen);
  return g_string_free(g, FALSE);
}

/* Builds step `si` (vintage si → si+1) from the pooled rows dated after the
 * older vintage's 1 January up to the newer one's. */
static bool build_step(rs_refdata *r, int si, const GPtrArray *pool, const char *const src[NV], GError **err) {
  vset *va = &r->v[si], *vb = &r->v[si + 1];
  char lo[11], hi[11];
  g_snprintf(lo, sizeof lo, "%04d-01-01", vintage_years[si]);
  g_snprintf(hi, sizeof hi, "%04d-01-01", vintage_years[si + 1]);
  GPtrArray *rows = g_ptr_array_new();
  for (guint i = 0; i < pool->len; i++) {
    change *c = g_ptr_array_index(pool, i);
    if (strcmp(c->date, lo) > 0 && strcmp(c->date, hi) <= 0) g_ptr_array_add(rows, c);
  }
  if (rows->len == 0 || va->kommuner == NULL || vb->kommuner == NULL) {
    g_ptr_array_unref(rows);
    return true;  /* this step is simply not available */
  }
  g_ptr_array_sort(rows, cmp_change);

  /* img: older code → set of codes it has become so far (owned strings);
   * alive: codes in force after the dates applied so far. */
  GHashTable *img = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_hash_table_destroy);
  GHashTable *alive = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < va->kommuner->len; i++) {
    rs_kommune *k = g_ptr_array_index(va->kommuner, i);
    GHashTable *s = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_add(s, g_strdup(k->code));
    g_hash_table_insert(img, k->code, s);
    g_hash_table_add(alive, g_strdup(k->code));
  }
  bool ok = true;
  guint i = 0;
  while (ok && i < rows->len) {
    guint j = i;
    const change *first = g_ptr_array_index(rows, i);
    while (j < rows->len && strcmp(((change *)g_ptr_array_index(rows, j))->date, first->date) == 0) j++;
    /* all rows of one date act at once */
    GHashTable *dm = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, ptr_array_unref);
    for (guint k = i; k < j && ok; k++) {
      change *c = g_ptr_array_index(rows, k);
      if (!g_hash_table_contains(alive, c->old_code)) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                    "%s: line %ld: the change on %s starts from kommune %s, which is not a kommune code in "
                    "force then (it is neither in %s nor made by an earlier change)",
                    c->file, c->line, c->date, c->old_code, src[si]);
        ok = false;
        break;
      }
      GPtrArray *to = g_hash_table_lookup(dm, c->old_code);
      if (to == NULL) {
        to = g_ptr_array_new();
        g_hash_table_insert(dm, c->old_code, to);
      }
      g_ptr_array_add(to, c->new_code);
    }
    if (ok) {
      GHashTableIter it;
      gpointer key, val;
      g_hash_table_iter_init(&it, img);
      while (g_hash_table_iter_next(&it, &key, &val)) {
        GHashTable *cur = val, *next = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        GHashTableIter jt;
        gpointer x;
        g_hash_table_iter_init(&jt, cur);
        while (g_hash_table_iter_next(&jt, &x, NULL)) {
          GPtrArray *to = g_hash_table_lookup(dm, x);
          if (to == NULL) {
            g_hash_table_add(next, g_strdup(x));
          } else {
            for (guint k = 0; k < to->len; k++)
              if (!g_hash_table_contains(next, g_ptr_array_index(to, k)))
                g_hash_table_add(next, g_strdup(g_ptr_array_index(to, k)));
          }
        }
        g_hash_table_iter_replace(&it, next);
      }
      g_hash_table_iter_init(&it, dm);
      while (g_hash_table_iter_next(&it, &key, NULL)) g_hash_table_remove(alive, key);
      for (guint k = i; k < j; k++) {
        change *c = g_ptr_array_index(rows, k);
        if (!g_hash_table_contains(alive, c->new_code)) g_hash_table_add(alive, g_strdup(c->new_code));
      }
    }
    g_hash_table_destroy(dm);
    i = j;
  }

  /* The rows must carry the older set onto exactly the newer one. */
  if (ok) {
    char *files = basenames(rows);
    GPtrArray *al = set_to_sorted(alive, NULL);
    for (guint k = 0; k < al->len && ok; k++) {
      const char *c = g_ptr_array_index(al, k);
      if (!g_hash_table_contains(vb->kidx, c)) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                    "applying the changes in %s to the kommuner of %s gives kommune %s, which is not in %s; "
                    "the change table and the kommune lists do not belong together",
                    files, src[si], c, src[si + 1]);
        ok = false;
      }
    }
    for (guint k = 0; k < vb->kommuner->len && ok; k++) {
      const rs_kommune *km = g_ptr_array_index(vb->kommuner, k);
      if (!g_hash_table_contains(alive, km->code)) {
        g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                    "%s: kommune %s %s is neither in %s nor made by a change in %s; "
                    "the change table and the kommune lists do not belong together",
                    src[si + 1], km->code, km->name, src[si], files);
        ok = false;
      }
    }
    g_ptr_array_unref(al);
    g_free(files);
  }

  if (ok) {
    step *s = &r->s[si];
    s->fw = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, ptr_array_unref);
    s->bw = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, ptr_array_unref);
    for (guint k = 0; k < vb->kommuner->len; k++) {
      rs_kommune *km = g_ptr_array_index(vb->kommuner, k);
      g_hash_table_insert(s->bw, km->code, g_ptr_array_new());
    }
    /* Older codes in code order, so the backward lists come out sorted. */
    for (guint k = 0; k < va->kommuner->len; k++) {
      rs_kommune *ka = g_ptr_array_index(va->kommuner, k);
      GPtrArray *to = g_ptr_array_new();
      GHashTableIter jt;
      gpointer x;
      g_hash_table_iter_init(&jt, g_hash_table_lookup(img, ka->code));
      while (g_hash_table_iter_next(&jt, &x, NULL)) {
        rs_kommune *kb = g_hash_table_lookup(vb->kidx, x);
        g_ptr_array_add(to, kb->code);  /* every image is alive, hence in vb */
      }
      g_ptr_array_sort(to, cmp_strp);
      for (guint m = 0; m < to->len; m++)
        g_ptr_array_add(g_hash_table_lookup(s->bw, g_ptr_array_index(to, m)), ka->code);
      g_hash_table_insert(s->fw, ka->code, to);
    }
    s->ready = true;
  }
  g_hash_table_destroy(img);
  g_hash_table_destroy(alive);
  g_ptr_array_unref(rows);
  return ok;
}

/* ---- loading ------------------------------------------------------------ */

/* Picks the source for one vintage's kommune or fylke list and checks a
 * Klass export against the project table when both are there.  *used gets
 * the chosen path; returns the entries or NULL (err set when it failed). */
static GPtrArray *load_list(const char *proj, const char *klass, int klass_year, int vintage, bool fylke,
                            const char **used, GError **err) {
  char ref[11];
  *used = NULL;
  GPtrArray *p = NULL, *k = NULL;
  if (proj) {
    g_snprintf(ref, sizeof ref, "%04d-01-01", vintage);
    if ((p = read_entries(proj, fylke, ref, err)) == NULL) return NULL;
  }
  if (klass) {
    g_snprintf(ref, sizeof ref, "%04d-01-01", klass_year);
    if ((k = read_entries(klass, fylke, ref, err)) == NULL) {
      if (p) g_ptr_array_unref(p);
      return NULL;
    }
  }
  if (p && k && !same_codes(k, klass, p, proj, fylke, vintage, err)) {
    g_ptr_array_unref(p);
    g_ptr_array_unref(k);
    return NULL;
  }
  if (k && (!p || klass_year > vintage)) {
    if (p) g_ptr_array_unref(p);
    *used = klass;
    return k;
  }
  if (k) g_ptr_array_unref(k);
  *used = proj;
  return p;
}

/* The 18 fylker of 2018–2019 (SOURCES.md): those of fylker_pre2018.csv
 * still valid on 2019-01-01, plus any fylke code the 2019 kommuner use that
 * the old list lacks (50 Trøndelag), named from the 2020 list.  Left out
 * when a name cannot be found: a fylke without a name would mislead. */
static bool derive_fylker_2019(rs_refdata *r, const char *pre2018, GError **err) {
  GPtrArray *old = read_entries(pre2018, true, "2019-01-01", err);
  if (old == NULL) return false;
  GHashTable *have = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < old->len; i++) g_hash_table_add(have, ((entry *)g_ptr_array_index(old, i))->code);
  bool complete = true;
  GPtrArray *added = g_ptr_array_new_with_free_func(entry_free);
  for (guint i = 0; i < r->v[0].kommuner->len && complete; i++) {
    const rs_kommune *k = g_ptr_array_index(r->v[0].kommuner, i);
    if (g_hash_table_contains(have, k->fylke)) continue;
    const rs_fylke *f = r->v[1].fidx ? g_hash_table_lookup(r->v[1].fidx, k->fylke) : NULL;
    if (f == NULL) {
      complete = false;
      break;
    }
    entry *e = g_new0(entry, 1);
    e->code = g_strdup(f->code);
    e->name = g_strdup(f->name);
    g_ptr_array_add(added, e);
    g_hash_table_add(have, e->code);
  }
  if (complete) {
    for (guint i = 0; i < added->len; i++) {
      entry *e = g_ptr_array_index(added, i);
      g_ptr_array_index(added, i) = NULL;
      g_ptr_array_add(old, e);
    }
    vset_set_fylker(&r->v[0], old);
    g_ptr_array_add(r->files, g_strdup(pre2018));
  }
  g_hash_table_destroy(have);
  g_ptr_array_unref(added);
  g_ptr_array_unref(old);
  return true;
}

rs_refdata *rs_refdata_load(const char *dir, GError **err) {
  char *found = NULL;
  if (dir == NULL) {
    if ((found = rs_refdata_find(NULL, err)) == NULL) return NULL;
    dir = found;
  }
  dir_files d;
  if (!scan_dir(dir, &d, err)) {
    dir_files_clear(&d);
    g_free(found);
    return NULL;
  }
  if (!dir_has_kommuner(&d)) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "the reference data directory %s holds no kommune table. %s", dir,
                how_to_get);
    dir_files_clear(&d);
    g_free(found);
    return NULL;
  }
  rs_refdata *r = g_new0(rs_refdata, 1);
  r->dir = found ? found : g_strdup(dir);  /* takes over `found` */
  r->files = g_ptr_array_new_with_free_func(g_free);
  const char *ksrc[NV] = {NULL, NULL, NULL};
  bool ok = true;
  for (int i = 0; i < NV && ok; i++) {
    const char *used;
    GPtrArray *e = load_list(d.kproj[i], d.kklass[i], d.kklass_year[i], vintage_years[i], false, &used, err);
    if (e == NULL && (d.kproj[i] || d.kklass[i])) ok = false;
    if (e) {
      vset_set_kommuner(&r->v[i], e);
      g_ptr_array_add(r->files, g_strdup(used));
      ksrc[i] = used;
      g_ptr_array_unref(e);
    }
  }
  /* 2020 and 2024 first: the 2019 derivation borrows names from 2020. */
  static const int forder[NV] = {1, 2, 0};
  for (int n = 0; n < NV && ok; n++) {
    int i = forder[n];
    const char *used;
    GPtrArray *e = load_list(d.fproj[i], d.fklass[i], d.fklass_year[i], vintage_years[i], true, &used, err);
    if (e == NULL && (d.fproj[i] || d.fklass[i])) ok = false;
    if (e) {
      vset_set_fylker(&r->v[i], e);
      g_ptr_array_add(r->files, g_strdup(used));
      g_ptr_array_unref(e);
    } else if (ok && i == 0 && d.pre2018 && r->v[0].kommuner) {
      ok = derive_fylker_2019(r, d.pre2018, err);
    }
  }
  if (ok && d.changes->len > 0) {
    GPtrArray *pool = g_ptr_array_new_with_free_func(change_free);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < d.changes->len && ok; i++)
      ok = read_changes(g_ptr_array_index(d.changes, i), pool, seen, err);
    for (int si = 0; si < NV - 1 && ok; si++) ok = build_step(r, si, pool, ksrc, err);
    if (ok) {
      for (guint i = 0; i < d.changes->len; i++) g_ptr_array_add(r->files, g_strdup(g_ptr_array_index(d.changes, i)));
    }
    g_hash_table_destroy(seen);
    g_ptr_array_unref(pool);
  }
  dir_files_clear(&d);
  if (!ok) {
    rs_refdata_free(r);
    return NULL;
  }
  return r;
}

void rs_refdata_free(rs_refdata *r) {
  if (r == NULL) return;
  for (int i = 0; i < NV - 1; i++) {
    if (r->s[i].fw) g_hash_table_destroy(r->s[i].fw);
    if (r->s[i].bw) g_hash_table_destroy(r->s[i].bw);
  }
  for (int i = 0; i < NV; i++) {
    vset *v = &r->v[i];
    if (v->kidx) g_hash_table_destroy(v->kidx);
    if (v->kommuner) g_ptr_array_unref(v->kommuner);
    if (v->fidx) g_hash_table_destroy(v->fidx);
    if (v->fylker) g_ptr_array_unref(v->fylker);
  }
  if (r->files) g_ptr_array_unref(r->files);
  g_free(r->dir);
  g_free(r);
}

const char *rs_refdata_dir(const rs_refdata *r) { return r ? r->dir : NULL; }
const GPtrArray *rs_refdata_files(const rs_refdata *r) { return r ? r->files : NULL; }

/* ---- lookups ------------------------------------------------------------ */

const GPtrArray *rs_refdata_kommuner(const rs_refdata *r, int vintage) {
  int i = vindex(vintage);
  return r && i >= 0 ? r->v[i].kommuner : NULL;
}

const GPtrArray *rs_refdata_fylker(const rs_refdata *r, int vintage) {
  int i = vindex(vintage);
  return r && i >= 0 ? r->v[i].fylker : NULL;
}

const rs_kommune *rs_refdata_kommune(const rs_refdata *r, int vintage, const char *code) {
  int i = vindex(vintage);
  if (r == NULL || i < 0 || r->v[i].kidx == NULL) return NULL;
  char *c = rs_refdata_normalise_kommune(code);
  const rs_kommune *k = c ? g_hash_table_lookup(r->v[i].kidx, c) : NULL;
  g_free(c);
  return k;
}

const rs_fylke *rs_refdata_fylke(const rs_refdata *r, int vintage, const char *code) {
  int i = vindex(vintage);
  if (r == NULL || i < 0 || r->v[i].fidx == NULL) return NULL;
  char *c = rs_refdata_normalise_fylke(code);
  const rs_fylke *f = c ? g_hash_table_lookup(r->v[i].fidx, c) : NULL;
  g_free(c);
  return f;
}

/* ---- mapping ------------------------------------------------------------ */

static bool can_map_idx(const rs_refdata *r, int ia, int ib) {
  if (r == NULL || ia < 0 || ib < 0 || r->v[ia].kommuner == NULL || r->v[ib].kommuner == NULL) return false;
  for (int s = MIN(ia, ib); s < MAX(ia, ib); s++)
    if (!r->s[s].ready) return false;
  return true;
}

bool rs_refdata_can_map(const rs_refdata *r, int from, int to) { return can_map_idx(r, vindex(from), vindex(to)); }

/* The codes of vintage ib that `code` (of vintage ia) corresponds to,
 * sorted; strings owned by r.  Requires can_map_idx. */
static GPtrArray *relate(const rs_refdata *r, const char *code, int ia, int ib) {
  GPtrArray *cur = g_ptr_array_new();
  const rs_kommune *k = g_hash_table_lookup(r->v[ia].kidx, code);
  if (k == NULL) return cur;
  g_ptr_array_add(cur, k->code);
  int dir = ib > ia ? 1 : -1;
  for (int i = ia; i != ib; i += dir) {
    GHashTable *rel = dir > 0 ? r->s[i].fw : r->s[i - 1].bw;
    GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint j = 0; j < cur->len; j++) {
      GPtrArray *to = g_hash_table_lookup(rel, g_ptr_array_index(cur, j));
      if (to) set_add_all(set, to);
    }
    g_ptr_array_unref(cur);
    cur = set_to_sorted(set, NULL);
    g_hash_table_destroy(set);
  }
  return cur;
}

static bool map_idx(const rs_refdata *r, const char *code, int ia, int ib, rs_kommune_map *out) {
  if (!can_map_idx(r, ia, ib) || g_hash_table_lookup(r->v[ia].kidx, code) == NULL) return false;
  GPtrArray *img = relate(r, code, ia, ib);
  bool ok = img->len > 0;
  if (img->len > 1) {
    out->kind = RS_MAP_SPLIT;
    out->candidates = g_new0(char *, img->len + 1);
    bool same_fylke = true;
    for (guint i = 0; i < img->len; i++) {
      const char *c = g_ptr_array_index(img, i);
      out->candidates[i] = g_strdup(c);
      if (strncmp(c, g_ptr_array_index(img, 0), 2) != 0) same_fylke = false;
    }
    if (same_fylke) out->fylke = g_strndup(g_ptr_array_index(img, 0), 2);
  } else if (img->len == 1) {
    const char *d = g_ptr_array_index(img, 0);
    /* Several codes of the source vintage meet in d: d is a larger area. */
    GPtrArray *pre = relate(r, d, ib, ia);
    out->kind = pre->len > 1 ? RS_MAP_MERGED : strcmp(d, code) == 0 ? RS_MAP_SAME : RS_MAP_RENUMBERED;
    g_ptr_array_unref(pre);
    out->code = g_strdup(d);
    out->fylke = g_strndup(d, 2);
  }
  if (ok) out->from = vintage_years[ia];
  g_ptr_array_unref(img);
  return ok;
}

bool rs_refdata_map_kommune_from(const rs_refdata *r, const char *code, int from, int to, rs_kommune_map *out) {
  memset(out, 0, sizeof *out);
  out->kind = RS_MAP_UNKNOWN;
  char *c = rs_refdata_normalise_kommune(code);
  bool ok = c && map_idx(r, c, vindex(from), vindex(to), out);
  g_free(c);
  if (!ok) {
    rs_kommune_map_clear(out);
  }
  return ok;
}

bool rs_refdata_map_kommune(const rs_refdata *r, const char *code, int to, rs_kommune_map *out) {
  memset(out, 0, sizeof *out);
  out->kind = RS_MAP_UNKNOWN;
  int ib = vindex(to);
  char *c = rs_refdata_normalise_kommune(code);
  if (r == NULL || ib < 0 || c == NULL) {
    g_free(c);
    return false;
  }
  /* Try the target vintage first, then the others nearest in time (the
   * newer first on a tie): the first that has the code decides. */
  int order[NV], n = 0;
  order[n++] = ib;
  for (int d = 1; n < NV; d++) {
    for (int i = NV - 1; i >= 0; i--)
      if (abs(vintage_years[i] - vintage_years[ib]) == d) order[n++] = i;
  }
  bool ok = false;
  for (int k = 0; k < n; k++) {
    int ia = order[k];
    if (r->v[ia].kidx && g_hash_table_lookup(r->v[ia].kidx, c)) {
      ok = map_idx(r, c, ia, ib, out);
      break;
    }
  }
  g_free(c);
  if (!ok) rs_kommune_map_clear(out);
  return ok;
}

void rs_kommune_map_clear(rs_kommune_map *m) {
  if (m == NULL) return;
  g_free(m->code);
  g_strfreev(m->candidates);
  g_free(m->fylke);
  memset(m, 0, sizeof *m);
  m->kind = RS_MAP_UNKNOWN;
}
