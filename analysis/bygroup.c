/* bygroup.c — means (two-pass, long double) and ratio-of-sums rates by group. */
#include "analysis/bygroup.h"
#include "datasets/privacy.h"
#include "datasets/error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

static void group_value_free(gpointer p) {
  rs_group_value *g = p;
  g_free(g->group);
  g_free(g);
}

static gint cmp_group(gconstpointer a, gconstpointer b) {
  const rs_group_value *x = *(rs_group_value *const *)a, *y = *(rs_group_value *const *)b;
  return strcmp(x->group, y->group);
}

static char *group_text(const rs_column *c, size_t i) {
  if (c->storage == RS_STORE_STR) return g_strdup(c->str[i]);
  if (c->type == RS_TYPE_DATE) {
    char b[16];
    rs_value_format_date((int32_t)c->num[i], b);
    return g_strdup(b);
  }
  char b[32];
  rs_value_format_double(c->num[i], b);
  return g_strdup(b);
}

static const rs_column *find(const rs_table *t, const char *name, bool numeric, GError **err) {
  int j = name ? rs_table_find(t, name) : -1;
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: there is no column '%s'", t->path, name ? name : "(none)");
    return NULL;
  }
  if (numeric && t->cols[j].storage != RS_STORE_NUM) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: column '%s' holds text, not numbers", t->path, name);
    return NULL;
  }
  return &t->cols[j];
}

rs_bygroup *rs_bygroup_compute(const rs_table *t, const char *by, const char *var, const char *per, double scale,
                               const size_t *rows, size_t nrows, GError **err) {
  const rs_column *gc = find(t, by, false, err), *vc = NULL, *pc = NULL;
  if (!gc || !(vc = find(t, var, true, err))) return NULL;
  if (!rs_privacy_check(t, gc, "a grouping", err)) return NULL;
  if (per && !(pc = find(t, per, true, err))) return NULL;
  if (!rows) nrows = t->nrows;
  rs_bygroup *b = g_new0(rs_bygroup, 1);
  b->is_rate = pc != NULL;
  b->scale = scale > 0 ? scale : 1000;
  b->groups = g_ptr_array_new_with_free_func(group_value_free);
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL);
  GPtrArray *members = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
  for (size_t k = 0; k < nrows; k++) {
    size_t i = rows ? rows[k] : k;
    if (!rs_column_present(gc, i) || !rs_column_present(vc, i) || (pc && !rs_column_present(pc, i))) {
      b->rows_dropped++;
      continue;
    }
    if (!isfinite(vc->num[i]) || (pc && !isfinite(pc->num[i]))) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: line %d: '%s' is not a finite number", t->path,
                  t->row_line ? t->row_line[i] : (int)(i + 2), !isfinite(vc->num[i]) ? var : per);
      goto fail;
    }
    char *key = group_text(gc, i);
    rs_group_value *g = g_hash_table_lookup(h, key);
    if (!g) {
      g = g_new0(rs_group_value, 1);
      g->group = key;
      g_ptr_array_add(b->groups, g);
      g_ptr_array_add(members, g_array_new(FALSE, FALSE, sizeof(size_t)));
      g_hash_table_insert(h, g->group, g);
      g->n = b->groups->len - 1;  /* temporarily: the index into members */
    } else {
      g_free(key);
    }
    g_array_append_val((GArray *)members->pdata[g->n], i);
    b->rows_used++;
  }
  if (b->rows_used == 0) {
    if (per)
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has all of '%s', '%s' and '%s'", t->path, var, per, by);
    else
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: no row has both '%s' and '%s'", t->path, var, by);
    goto fail;
  }
  for (guint k = 0; k < b->groups->len; k++) {
    rs_group_value *g = b->groups->pdata[k];
    GArray *m = members->pdata[g->n];
    const size_t *ix = (const size_t *)m->data;
    g->n = m->len;
    g->se = g->ci_low = g->ci_high = NAN;
    if (pc) {
      long double sn = 0, sd = 0;
      for (guint r = 0; r < m->len; r++) { sn += vc->num[ix[r]]; sd += pc->num[ix[r]]; }
      g->num = (double)sn;
      g->den = (double)sd;
      g->value = sd > 0 ? (double)(sn / sd * b->scale) : NAN;
    } else {
      /* Two passes: the mean, then squared deviations from it (long double). */
      long double s = 0, ss = 0;
      for (guint r = 0; r < m->len; r++) s += vc->num[ix[r]];
      double mean = (double)(s / m->len);
      for (guint r = 0; r < m->len; r++) { long double d = vc->num[ix[r]] - mean; ss += d * d; }
      g->value = mean;
      g->num = g->den = NAN;
      if (m->len >= 2) {
        g->se = sqrt((double)(ss / (m->len - 1)) / m->len);
        double q = gsl_cdf_tdist_Qinv(0.025, (double)(m->len - 1));
        g->ci_low = mean - q * g->se;
        g->ci_high = mean + q * g->se;
      }
    }
  }
  g_ptr_array_sort(b->groups, cmp_group);
  g_hash_table_destroy(h);
  g_ptr_array_free(members, TRUE);
  return b;
fail:
  g_hash_table_destroy(h);
  g_ptr_array_free(members, TRUE);
  rs_bygroup_free(b);
  return NULL;
}

void rs_bygroup_free(rs_bygroup *b) {
  if (!b) return;
  g_ptr_array_free(b->groups, TRUE);
  g_free(b);
}

const rs_group_value *rs_bygroup_find(const rs_bygroup *b, const char *group) {
  for (guint k = 0; k < b->groups->len; k++) {
    const rs_group_value *g = b->groups->pdata[k];
    if (strcmp(g->group, group) == 0) return g;
  }
  return NULL;
}
