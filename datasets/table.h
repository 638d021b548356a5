/* table.h — the typed columnar table every analysis reads.
 *
 * One column per variable.  Numbers, integers, Likert answers, weights,
 * numeric category codes and dates (days since 1970-01-01) are stored as
 * doubles; ids, strings, text categories and kommune/fylke codes as UTF-8
 * strings (leading zeros kept: "0301").  Beside every value one byte holds
 * the missing reason (rs_miss, value.h) and the SSB flags.
 */
#ifndef RS_TABLE_H
#define RS_TABLE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datasets/value.h"

typedef enum {
  RS_TYPE_ID, RS_TYPE_NUMERIC, RS_TYPE_INTEGER, RS_TYPE_LIKERT, RS_TYPE_CATEGORY,
  RS_TYPE_DATE, RS_TYPE_WEIGHT, RS_TYPE_KOMMUNE, RS_TYPE_FYLKE, RS_TYPE_STRING,
  RS_TYPE_N
} rs_type;

const char *rs_type_name(rs_type t);
/* -1 when the name is no type. */
int rs_type_from_name(const char *name);

typedef enum { RS_STORE_NUM, RS_STORE_STR } rs_storage;

struct rs_cb_var;
struct rs_codebook;

typedef struct {
  char *name;
  rs_type type;
  rs_storage storage;
  double *num;      /* RS_STORE_NUM: value (0 when missing, or the declared code) */
  char **str;       /* RS_STORE_STR: value, NULL when missing */
  uint8_t *miss;    /* rs_miss in the low bits | RS_FLAG_* */
  const struct rs_cb_var *var;  /* codebook entry, or NULL */
  bool inferred;    /* type inferred from the data, not given */
} rs_column;

typedef struct {
  char *path;        /* file the table came from */
  char *sha256;      /* of the file's bytes */
  size_t nrows, ncols, cap;
  rs_column *cols;
  int32_t *row_line; /* physical line of each row, for messages */
  GStringChunk *strings;
  GPtrArray *extra_strings;  /* more string chunks (from parallel reading) */
  struct rs_codebook *codebook;  /* owned: built from an SPSS/Stata/SAS file's metadata (columns' var point into it), or NULL */
  const char *format;        /* "csv", "sav", "por", "dta", "sas7bdat" (static string) */
} rs_table;

rs_table *rs_table_new(const char *path);
void rs_table_free(rs_table *t);
/* Column index by name, or -1. */
int rs_table_find(const rs_table *t, const char *name);
/* Adds a column of `storage` sized for the current rows (all missing: empty). */
rs_column *rs_table_add_column(rs_table *t, const char *name, rs_type type, rs_storage storage);
/* Make room for at least `rows` rows in every column. */
void rs_table_reserve(rs_table *t, size_t rows);

static inline rs_miss rs_column_miss(const rs_column *c, size_t i) { return (rs_miss)(c->miss[i] & RS_MISS_MASK); }
static inline bool rs_column_present(const rs_column *c, size_t i) { return (c->miss[i] & RS_MISS_MASK) == RS_MISS_NONE; }
/* Threads to use for large tables: $REFORMSTAT_THREADS if set (1 turns
 * parallel work off), else the number of processors. */
guint rs_table_threads(void);

/* A scratch array of n doubles for one pass over a column (huge pages
 * when large); free with g_free. */
double *rs_table_work_buffer(size_t n);
/* Asks for transparent huge pages over a large block about to be filled
 * (design matrices: a fault per 2 MiB instead of per 4 KiB). */
void rs_table_advise_huge(void *p, size_t bytes);

/* Storage class a type uses. */
rs_storage rs_type_storage(rs_type t);

#endif
