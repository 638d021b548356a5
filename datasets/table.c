/* table.c — the columnar table: allocation, growth, lookup, type names. */
#include "datasets/table.h"
#include "datasets/codebook.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

static const char *const type_names[RS_TYPE_N] = {
  "id", "numeric", "integer", "likert", "category", "date", "weight", "kommune", "fylke", "string"};

const char *rs_type_name(rs_type t) { return (unsigned)t < RS_TYPE_N ? type_names[t] : "?"; }

int rs_type_from_name(const char *name) {
  if (name == NULL) return -1;
  for (int i = 0; i < RS_TYPE_N; i++)
    if (g_ascii_strcasecmp(name, type_names[i]) == 0) return i;
  return -1;
}

rs_storage rs_type_storage(rs_type t) {
  switch (t) {
    case RS_TYPE_ID: case RS_TYPE_KOMMUNE: case RS_TYPE_FYLKE: case RS_TYPE_STRING: return RS_STORE_STR;
    default: return RS_STORE_NUM;
  }
}

rs_table *rs_table_new(const char *path) {
  rs_table *t = g_new0(rs_table, 1);
  t->path = g_strdup(path);
  t->strings = g_string_chunk_new(1 << 16);
  t->extra_strings = g_ptr_array_new_with_free_func((GDestroyNotify)g_string_chunk_free);
  t->format = "csv";
  return t;
}

void rs_table_free(rs_table *t) {
  if (!t) return;
  for (size_t j = 0; j < t->ncols; j++) {
    g_free(t->cols[j].name);
    g_free(t->cols[j].num);
    g_free(t->cols[j].str);
    g_free(t->cols[j].miss);
  }
  g_free(t->cols);
  g_free(t->row_line);
  g_string_chunk_free(t->strings);
  g_ptr_array_free(t->extra_strings, TRUE);
  g_free(t->path);
  g_free(t->sha256);
  rs_codebook_free(t->codebook);
  g_free(t);
}

int rs_table_find(const rs_table *t, const char *name) {
  for (size_t j = 0; j < t->ncols; j++)
    if (strcmp(t->cols[j].name, name) == 0) return (int)j;
  return -1;
}

/* Large columns are filled once, front to back: ask for transparent huge
 * pages, which turns ~60,000 page faults for a 1M x 25 table into ~120. */
static void advise_huge(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = 2u << 20;
  if (bytes < 2 * huge) return;
  uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1), end = ((uintptr_t)p + bytes) & ~(huge - 1);
  if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

static void column_alloc(rs_column *c, size_t old_cap, size_t cap) {
  if (c->storage == RS_STORE_NUM) {
    c->num = g_renew(double, c->num, cap);  /* every cell is written by the loader */
    advise_huge(c->num, cap * sizeof(double));
  } else {
    c->str = g_renew(char *, c->str, cap);
    memset(c->str + old_cap, 0, (cap - old_cap) * sizeof(char *));
  }
  c->miss = g_renew(uint8_t, c->miss, cap);
  advise_huge(c->miss, cap);
  memset(c->miss + old_cap, RS_MISS_EMPTY, cap - old_cap);
}

void rs_table_reserve(rs_table *t, size_t rows) {
  if (rows <= t->cap) return;
  size_t cap = t->cap ? t->cap : 1024;
  while (cap < rows) cap += cap / 2 + 1024;
  for (size_t j = 0; j < t->ncols; j++) column_alloc(&t->cols[j], t->cap, cap);
  t->row_line = g_renew(int32_t, t->row_line, cap);
  t->cap = cap;
}

rs_column *rs_table_add_column(rs_table *t, const char *name, rs_type type, rs_storage storage) {
  t->cols = g_renew(rs_column, t->cols, t->ncols + 1);
  rs_column *c = &t->cols[t->ncols++];
  memset(c, 0, sizeof *c);
  c->name = g_strdup(name);
  c->type = type;
  c->storage = storage;
  if (t->cap) column_alloc(c, 0, t->cap);
  return c;
}

guint rs_table_threads(void) {
  const char *e = g_getenv("REFORMSTAT_THREADS");
  if (e && *e) {
    long n = strtol(e, NULL, 10);
    if (n >= 1 && n <= 64) return (guint)n;
  }
  return g_get_num_processors();
}

void rs_table_advise_huge(void *p, size_t bytes) { advise_huge(p, bytes); }

double *rs_table_work_buffer(size_t n) {
  double *w = g_new(double, n);
  advise_huge(w, n * sizeof(double));
  return w;
}
