/* privacy.c — ids and free text kept out of outputs (privacy.h). */
#include "datasets/privacy.h"
#include "datasets/error.h"

#include <string.h>

static bool keep_ids, include_text;

void rs_privacy_set(bool ids, bool text) {
  keep_ids = ids;
  include_text = text;
}

bool rs_privacy_values_allowed(const rs_column *c) {
  if (c->type == RS_TYPE_ID) return keep_ids;
  if (c->type == RS_TYPE_STRING) return include_text;
  return true;
}

gboolean rs_privacy_check(const rs_table *t, const rs_column *c, const char *use, GError **err) {
  if (rs_privacy_values_allowed(c)) return TRUE;
  bool id = c->type == RS_TYPE_ID;
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
              "%s: column '%s' is %s: they are never written to an output, so it cannot be used as %s "
              "(give %s to allow it)", t->path ? t->path : "data", c->name,
              id ? "an identifier (type id), whose values identify respondents"
                 : "free text (type string), whose values are respondents' own words",
              use, id ? "--keep-ids" : "--include-text");
  return FALSE;
}

gboolean rs_privacy_check_name(const rs_table *t, const char *name, const char *use, GError **err) {
  if (!name) return TRUE;
  int j = rs_table_find(t, name);
  return j < 0 || rs_privacy_check(t, &t->cols[j], use, err);
}

rs_table *rs_privacy_view(const rs_table *t, char **dropped) {
  rs_table *v = g_new(rs_table, 1);
  *v = *t;
  v->cols = g_new(rs_column, t->ncols ? t->ncols : 1);
  v->ncols = 0;
  GString *names = g_string_new(NULL);
  for (size_t j = 0; j < t->ncols; j++) {
    if (rs_privacy_values_allowed(&t->cols[j])) v->cols[v->ncols++] = t->cols[j];
    else g_string_append_printf(names, "%s%s", names->len ? ", " : "", t->cols[j].name);
  }
  if (dropped) *dropped = names->len ? g_strdup(names->str) : NULL;
  g_string_free(names, TRUE);
  return v;
}

void rs_privacy_view_free(rs_table *view) {
  if (!view) return;
  g_free(view->cols);
  g_free(view);
}
