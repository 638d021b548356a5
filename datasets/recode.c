/* recode.c — mapping a table's kommune columns to one vintage. */
#include "datasets/recode.h"

#include <math.h>
#include <string.h>

static int report(rs_diag *diag, GError **err, const rs_table *t, size_t row, const char *column, const char *value,
                  const char *msg) {
  long line = t->row_line ? t->row_line[row] : 0;
  if (diag) {
    rs_diag_add(diag, RS_SEVERITY_ERROR, RS_ERROR_VALUE, t->path, line, column, value, "%s", msg);
    return 0;
  }
  rs_problem p = {.severity = RS_SEVERITY_ERROR, .code = RS_ERROR_VALUE, .file = t->path, .line = line,
                  .column = (char *)column, .value = (char *)value, .message = (char *)msg};
  rs_problem_to_error(&p, err);
  return 1;
}

static const char *vintage_name(int v) {
  return v == 2019 ? "2019" : v == 2020 ? "2020–2023" : v == 2024 ? "2024" : "?";
}

gboolean rs_recode_kommuner(rs_table *t, const rs_refdata *ref, const rs_recode_options *o, rs_diag *diag,
                            GError **err) {
  int to = o->vintage ? rs_refdata_vintage_of_year(o->vintage) : 0;
  if (o->vintage && to < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--vintage %d is not a year with kommune codes (2019 or later)",
                o->vintage);
    return FALSE;
  }
  int ycol = -1;
  if (o->year_column) {
    ycol = rs_table_find(t, o->year_column);
    if (ycol < 0 || t->cols[ycol].storage != RS_STORE_NUM) {
      g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: --year-column '%s' is not a numeric column of the file", t->path,
                  o->year_column);
      return FALSE;
    }
  }
  for (size_t j = 0; j < t->ncols; j++) {
    rs_column *c = &t->cols[j];
    if (c->type != RS_TYPE_KOMMUNE) continue;
    for (size_t i = 0; i < t->nrows; i++) {
      if (!rs_column_present(c, i)) continue;
      const char *code = c->str[i];
      int from = 0;
      if (ycol >= 0 && rs_column_present(&t->cols[ycol], i)) {
        double y = t->cols[ycol].num[i];
        from = y >= 1000 && y <= 9999 ? rs_refdata_vintage_of_year((int)y) : 0;
      }
      rs_kommune_map m;
      memset(&m, 0, sizeof m);
      int target = to ? to : (from ? from : 2024);
      bool known = from ? rs_refdata_map_kommune_from(ref, code, from, target, &m)
                        : rs_refdata_map_kommune(ref, code, target, &m);
      if (!known && !to) {
        /* only checking: a code of any vintage will do */
        known = rs_refdata_map_kommune(ref, code, 2019, &m) || rs_refdata_map_kommune(ref, code, 2020, &m);
      }
      if (!known) {
        char *msg = from ? g_strdup_printf("'%s' is not a kommune code of the %s set (the row's year)", code,
                                           vintage_name(from))
                         : g_strdup_printf("'%s' is not a kommune code in any set (2019, 2020–2023, 2024)", code);
        int stop = report(diag, err, t, i, c->name, code, msg);
        g_free(msg);
        rs_kommune_map_clear(&m);
        if (stop) return FALSE;
        continue;
      }
      if (to) {
        if (o->aggregate_fylke) {
          if (m.fylke) c->str[i] = g_string_chunk_insert_const(t->strings, m.fylke);
          else {
            char *msg = g_strdup_printf("'%s' cannot be placed in one fylke of the %s set", code, vintage_name(to));
            int stop = report(diag, err, t, i, c->name, code, msg);
            g_free(msg);
            rs_kommune_map_clear(&m);
            if (stop) return FALSE;
            continue;
          }
        } else if (m.kind == RS_MAP_SPLIT) {
          char *cands = m.candidates ? g_strjoinv(", ", m.candidates) : g_strdup("several kommuner");
          char *msg = g_strdup_printf(
              "kommune '%s' was split (into %s) and cannot be mapped 1:1 to the %s set; "
              "use --aggregate fylke, or an earlier --vintage",
              code, cands, vintage_name(to));
          int stop = report(diag, err, t, i, c->name, code, msg);
          g_free(msg);
          g_free(cands);
          rs_kommune_map_clear(&m);
          if (stop) return FALSE;
          continue;
        } else if (m.code && strcmp(m.code, code) != 0) {
          c->str[i] = g_string_chunk_insert_const(t->strings, m.code);
        }
      }
      rs_kommune_map_clear(&m);
    }
    if (to && o->aggregate_fylke) c->type = RS_TYPE_FYLKE;
  }
  return TRUE;
}
