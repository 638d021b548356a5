/* codebook.h — the codebook: one CSV row per variable (DESIGN.md).
 *
 * Columns: name, label_nb, label_en, type, min, max, reverse (0/1),
 * missing (codes separated by |), values (code=label|…), index.
 * Only name and type are required; the rest may be absent or empty.
 */
#ifndef RS_CODEBOOK_H
#define RS_CODEBOOK_H

#include <glib.h>
#include <stdbool.h>

#include "datasets/reader.h"
#include "datasets/table.h"

typedef struct {
  char *code;        /* as written ("1", "08") */
  double value;      /* numeric value of the code, NAN if not numeric */
  char *label;
} rs_value_label;

typedef struct rs_cb_var {
  char *name, *label_nb, *label_en;
  rs_type type;
  bool has_min, has_max;
  double min, max;
  bool reverse;
  char **missing;    /* declared missing codes, as text (NULL-terminated) */
  double *missing_num; size_t n_missing;  /* their numeric values (NAN if not numeric) */
  double *missing_lo, *missing_hi; size_t n_missing_ranges;  /* "LO..HI" ranges (SPSS); lowest/highest are ±inf */
  rs_value_label *values; size_t n_values;
  char *index;       /* index this item belongs to, or NULL */
  long line;         /* line in the codebook file */
} rs_cb_var;

typedef struct rs_codebook {
  char *path;
  GPtrArray *vars;        /* of rs_cb_var*, in file order */
  GHashTable *by_name;    /* name -> rs_cb_var* */
} rs_codebook;

/* An empty codebook, to be filled with rs_codebook_add (which takes v;
 * a second variable of the same name is refused: returns false). */
rs_codebook *rs_codebook_new(const char *path);
bool rs_codebook_add(rs_codebook *cb, rs_cb_var *v);
void rs_cb_var_free(rs_cb_var *v);
/* Reads and checks a codebook; every problem is an error naming the line. */
rs_codebook *rs_codebook_load(const char *path, const rs_read_options *ropt, GError **err);
void rs_codebook_free(rs_codebook *cb);
const rs_cb_var *rs_codebook_get(const rs_codebook *cb, const char *name);
/* Label of a code in the chosen language ("nb" or "en"), or NULL. */
const char *rs_codebook_value_label(const rs_cb_var *v, double code, const char *code_text);
const char *rs_cb_var_label(const rs_cb_var *v, const char *lang);
/* Is `text` (or its numeric value) one of the declared missing codes, or
 * (with have_num) inside a declared missing range? */
bool rs_cb_var_is_missing_code(const rs_cb_var *v, const char *text, size_t len, bool have_num, double num);

#endif
