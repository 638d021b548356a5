/* county.c — the context of the county reports (columns, rows per fylke,
 * national figures computed once), fylke names and file stems, and the
 * publish step every table goes through (suppress, then audit).  The tables
 * are built in county-tables.c, the chart data in county-charts.c. */
#include "report/county-private.h"

#include "analysis/reform-index.h"
#include "analysis/reform-outcomes.h"
#include "datasets/error.h"
#include "datasets/value.h"

#include <math.h>
#include <string.h>

/* The 15 fylker of 2024 (SSB Klass 104, valid from 2024-01-01). */
static const struct { const char *code, *name; } fylker_2024[] = {
  {"03", "Oslo"},      {"11", "Rogaland"},  {"15", "Møre og Romsdal"}, {"18", "Nordland"},
  {"31", "Østfold"},   {"32", "Akershus"},  {"33", "Buskerud"},        {"34", "Innlandet"},
  {"39", "Vestfold"},  {"40", "Telemark"},  {"42", "Agder"},           {"46", "Vestland"},
  {"50", "Trøndelag"}, {"55", "Troms"},     {"56", "Finnmark"},
};

const char *rs_county_fylke_name_2024(const char *code) {
  for (size_t i = 0; code && i < G_N_ELEMENTS(fylker_2024); i++)
    if (strcmp(code, fylker_2024[i].code) == 0) return fylker_2024[i].name;
  return NULL;
}

char *rs_county_file_stem(const char *code, const char *name) {
  GString *s = g_string_new(code);
  g_string_append_c(s, '-');
  for (const char *p = name; p && *p; p = g_utf8_next_char(p)) {
    gunichar u = g_unichar_tolower(g_utf8_get_char(p));
    if (u == 0xe6) g_string_append(s, "ae");
    else if (u == 0xf8) g_string_append_c(s, 'o');
    else if (u == 0xe5) g_string_append_c(s, 'a');
    else if (u < 128 && g_ascii_isalnum((char)u)) g_string_append_c(s, (char)u);
    else if (s->str[s->len - 1] != '-') g_string_append_c(s, '-');
  }
  while (s->len > 0 && s->str[s->len - 1] == '-') g_string_truncate(s, s->len - 1);
  return g_string_free(s, FALSE);
}

/* Index labels: the codebook names indexes but gives them no label. */
static const struct { const char *name, *nb, *en; } index_labels[] = {
  {"collaboration", "Samarbeid mellom tjenestene", "Collaboration between services"},
  {"information", "Informasjon", "Information"},
  {"listened", "Blir lyttet til", "Being listened to"},
  {"burden", "Egen koordineringsbelastning", "Own coordination burden"},
  {"role_clarity", "Tydelig rolle", "Role clarity"},
  {"support", "Støtte fra ledelsen", "Support from management"},
  {"competence", "Kompetanse", "Competence"},
  {"capacity", "Kapasitet", "Capacity"},
};

const char *rs_county_index_label(const rs_county_context *c, const char *index) {
  for (size_t i = 0; i < G_N_ELEMENTS(index_labels); i++)
    if (strcmp(index, index_labels[i].name) == 0) return c->en ? index_labels[i].en : index_labels[i].nb;
  return index;
}

const char *rs_county_kommune_name(const rs_county_context *c, const char *code) {
  const char *n = g_hash_table_lookup(c->kommune_names, code);
  return n ? n : code;
}

const char *rs_county_lang(const rs_county_context *c) { return c->lang; }
void rs_county_survey_years(const rs_county_context *c, int *first, int *last) {
  *first = c->year_first;
  *last = c->year_last;
}
double rs_county_min_n(const rs_county_context *c) { return c->min_n; }
size_t rs_county_n_fylker(const rs_county_context *c) { return c->fylker->len; }
const char *rs_county_fylke_code(const rs_county_context *c, size_t i) {
  return ((rs_county_rows *)g_ptr_array_index(c->fylker, i))->code;
}
void rs_county_window(const rs_county_context *c, int32_t *from_day, int32_t *to_day) {
  *from_day = c->coverage->from_day;
  *to_day = c->coverage->to_day;
}

const rs_county_rows *rs_county_rows_of(const rs_county_context *c, const char *code) {
  char *norm = code && strlen(code) == 1 ? g_strdup_printf("0%s", code) : g_strdup(code ? code : "");
  const rs_county_rows *hit = NULL;
  for (guint i = 0; i < c->fylker->len && !hit; i++) {
    const rs_county_rows *r = g_ptr_array_index(c->fylker, i);
    if (strcmp(r->code, norm) == 0) hit = r;
  }
  g_free(norm);
  return hit;
}

const char *rs_county_fylke_name(const rs_county_context *c, const char *code) {
  const rs_county_rows *r = rs_county_rows_of(c, code);
  if (!r) return NULL;
  const char *n = rs_county_fylke_name_2024(r->code);
  return n ? n : r->code;
}

const rs_reform_coverage_unit *rs_county_coverage(const rs_county_context *c, const char *numerator, bool kommune,
                                                   const char *code) {
  for (size_t s = 0; s < c->coverage->n_series; s++) {
    const rs_reform_coverage_series *se = &c->coverage->series[s];
    if (strcmp(se->numerator, numerator) != 0) continue;
    if (!code) return &se->national;
    size_t n = kommune ? se->n_kommune : se->n_fylke;
    const rs_reform_coverage_unit *u = kommune ? se->kommune : se->fylke;
    for (size_t i = 0; i < n; i++)
      if (strcmp(u[i].code, code) == 0) return &u[i];
  }
  return NULL;
}

const rs_reform_group *rs_county_caseload_group(const rs_county_context *c, bool kommune, const char *code) {
  if (!c->caseload) return NULL;
  size_t n = kommune ? c->caseload->n_kommune : c->caseload->n_fylke;
  const rs_reform_group *g = kommune ? c->caseload->kommune : c->caseload->fylke;
  for (size_t i = 0; i < n; i++)
    if (g[i].code && strcmp(g[i].code, code) == 0) return &g[i];
  return NULL;
}

/* ---- the context ------------------------------------------------------- */

/* Columns a dataset must have; the error names the dataset and all that are missing. */
static gboolean require(const rs_table *t, const char *what, const char *const *cols, GError **err) {
  GString *miss = g_string_new(NULL);
  for (const char *const *c = cols; *c; c++)
    if (rs_table_find(t, *c) < 0) g_string_append_printf(miss, "%s%s", miss->len ? ", " : "", *c);
  if (miss->len) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s (%s) has no column %s, which the county report needs", what,
                t->path ? t->path : "?", miss->str);
    g_string_free(miss, TRUE);
    return FALSE;
  }
  g_string_free(miss, TRUE);
  return TRUE;
}

static char *fylke_of(const rs_column *c, size_t i) {
  if (!rs_column_present(c, i)) return NULL;
  if (c->storage == RS_STORE_STR) {
    const char *s = c->str[i];
    if (!s || strlen(s) < 3) return NULL;
    return g_strndup(s, strlen(s) == 3 ? 1 : 2);  /* "301" has fylke "3" (normalised below) */
  }
  char buf[16];
  g_snprintf(buf, sizeof buf, "%04d", (int)c->num[i]);
  return g_strndup(buf, 2);
}

static char *kommune_text(const rs_column *c, size_t i) {
  if (!rs_column_present(c, i)) return NULL;
  if (c->storage == RS_STORE_STR) {
    const char *s = c->str[i];
    return s && strlen(s) == 3 ? g_strdup_printf("0%s", s) : g_strdup(s);
  }
  return g_strdup_printf("%04d", (int)c->num[i]);
}

static rs_county_rows *rows_for(rs_county_context *c, GHashTable *by, const char *code) {
  char *norm = strlen(code) == 1 ? g_strdup_printf("0%s", code) : g_strdup(code);
  rs_county_rows *r = g_hash_table_lookup(by, norm);
  if (!r) {
    r = g_new0(rs_county_rows, 1);
    r->code = norm;
    r->family = g_array_new(FALSE, FALSE, sizeof(size_t));
    r->family_post = g_array_new(FALSE, FALSE, sizeof(size_t));
    r->coord_post = g_array_new(FALSE, FALSE, sizeof(size_t));
    r->registry = g_array_new(FALSE, FALSE, sizeof(size_t));
    r->kommuner = g_ptr_array_new_with_free_func(g_free);
    g_hash_table_insert(by, r->code, r);
  } else {
    g_free(norm);
  }
  (void)c;
  return r;
}

static void rows_free(gpointer p) {
  rs_county_rows *r = p;
  g_free(r->code);
  g_array_unref(r->family);
  g_array_unref(r->family_post);
  g_array_unref(r->coord_post);
  g_array_unref(r->registry);
  g_ptr_array_unref(r->kommuner);
  g_free(r);
}

static int cmp_rows(gconstpointer a, gconstpointer b) {
  return strcmp((*(rs_county_rows *const *)a)->code, (*(rs_county_rows *const *)b)->code);
}
static int cmp_str(gconstpointer a, gconstpointer b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A coordinator row after the reform: year >= 2023, or a response date on or
 * after 2022-08-01 (the 2022 wave straddles the break). */
static bool coord_is_post(const rs_table *t, int year_j, int date_j, size_t i, int32_t brk) {
  if (date_j >= 0 && rs_column_present(&t->cols[date_j], i)) return t->cols[date_j].num[i] >= brk;
  if (year_j >= 0 && rs_column_present(&t->cols[year_j], i)) return t->cols[year_j].num[i] >= 2023;
  return false;
}

rs_county_context *rs_county_context_new(const rs_county_inputs *in, GError **err) {
  if (!in->family || !in->coordinators || !in->registry) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the county report needs the family survey, the coordinator survey "
                "and the kommune registry");
    return NULL;
  }
  static const char *const reg_cols[] = {"period", "kommune", "children_0_17", "children_koordinator",
                                         "families_barnekoordinator", NULL};
  static const char *const fam_cols[] = {"kommune", "coordinator_type", "post", NULL};
  static const char *const coord_cols[] = {"kommune", "families", "position_pct", "earmarked_hours", NULL};
  if (!require(in->registry, "the kommune registry", reg_cols, err) ||
      !require(in->family, "the family survey", fam_cols, err) ||
      !require(in->coordinators, "the coordinator survey", coord_cols, err))
    return NULL;
  rs_county_context *c = g_new0(rs_county_context, 1);
  c->in = *in;
  c->lang = in->lang && strcmp(in->lang, "en") == 0 ? "en" : "nb";
  c->en = strcmp(c->lang, "en") == 0;
  c->min_n = in->min_n > 0 ? in->min_n : RS_DISCLOSURE_MIN_N;
  c->fam_kommune = "kommune";
  c->fam_type = "coordinator_type";
  c->fam_post = "post";
  c->fam_kommune_j = rs_table_find(in->family, "kommune");
  c->fam_type_j = rs_table_find(in->family, "coordinator_type");
  c->fam_post_j = rs_table_find(in->family, "post");
  c->coord_kommune = "kommune";
  c->coord_kommune_j = rs_table_find(in->coordinators, "kommune");
  c->reg_kommune = "kommune";
  c->reg_kommune_j = rs_table_find(in->registry, "kommune");
  c->reg_name_j = rs_table_find(in->registry, "kommune_name");
  c->kommune_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  c->family_post_all = g_array_new(FALSE, FALSE, sizeof(size_t));
  c->coord_post_all = g_array_new(FALSE, FALSE, sizeof(size_t));
  c->fylker = g_ptr_array_new_with_free_func(rows_free);

  /* indexes of the family survey, added as columns (the charts and the
   * kommune tables read them as ordinary numeric columns) */
  rs_reform_index_options io = {.lang = c->lang, .wave_column = ""};
  rs_reform_indexes *ix = rs_reform_indexes_new(in->family, in->family_cb, &io, err);
  if (!ix) {
    g_prefix_error(err, "the family survey: ");
    rs_county_context_free(c);
    return NULL;
  }
  GPtrArray *names = g_ptr_array_new(), *coll = g_ptr_array_new(), *all = g_ptr_array_new();
  /* the collaboration index leads (the reform's main question), then the codebook's order */
  size_t first = 0;
  for (size_t k = 0; k < ix->n; k++)
    if (strcmp(ix->index[k].name, "collaboration") == 0) first = k;
  for (size_t kk = 0; kk < ix->n; kk++) {
    size_t k = kk == 0 ? first : kk <= first ? kk - 1 : kk;
    g_ptr_array_add(names, g_strdup(ix->index[k].name));
    for (size_t m = 0; m < ix->index[k].k; m++) {
      if (kk == 0) g_ptr_array_add(coll, g_strdup(ix->index[k].items[m]));
      g_ptr_array_add(all, g_strdup(ix->index[k].items[m]));
    }
  }
  g_ptr_array_add(names, NULL);
  g_ptr_array_add(coll, NULL);
  g_ptr_array_add(all, NULL);
  c->indexes = (char **)g_ptr_array_free(names, FALSE);
  c->coll_items = (char **)g_ptr_array_free(coll, FALSE);
  c->all_items = (char **)g_ptr_array_free(all, FALSE);
  gboolean added = rs_table_find(in->family, c->indexes[0]) >= 0 || rs_reform_indexes_add_columns(ix, in->family, err);
  rs_reform_indexes_free(ix);
  if (!added) {
    rs_county_context_free(c);
    return NULL;
  }

  /* rows per fylke: the fylke is the first two digits of the kommune code,
   * so that codes mapped to one vintage give that vintage's fylker */
  GHashTable *by = g_hash_table_new(g_str_hash, g_str_equal);
  const rs_table *reg = in->registry;
  const rs_column *rk = &reg->cols[c->reg_kommune_j];
  for (size_t i = 0; i < reg->nrows; i++) {
    char *f = fylke_of(rk, i), *k = kommune_text(rk, i);
    if (f && k) {
      rs_county_rows *r = rows_for(c, by, f);
      g_array_append_val(r->registry, i);
      if (!g_hash_table_contains(c->kommune_names, k)) {
        const rs_column *nc = c->reg_name_j >= 0 ? &reg->cols[c->reg_name_j] : NULL;
        const char *nm = nc && nc->storage == RS_STORE_STR && rs_column_present(nc, i) ? nc->str[i] : NULL;
        g_hash_table_insert(c->kommune_names, g_strdup(k), g_strdup(nm && *nm ? nm : k));
        g_ptr_array_add(r->kommuner, g_strdup(k));
      }
    }
    g_free(f);
    g_free(k);
  }
  const rs_table *fam = in->family;
  const rs_column *fk = &fam->cols[c->fam_kommune_j], *fp = &fam->cols[c->fam_post_j];
  int yj = rs_table_find(fam, "year");
  const rs_column *fy = yj >= 0 && fam->cols[yj].storage == RS_STORE_NUM ? &fam->cols[yj] : NULL;
  for (size_t i = 0; i < fam->nrows; i++) {
    if (fy && rs_column_present(fy, i)) {
      int y = (int)fy->num[i];
      if (!c->year_first || y < c->year_first) c->year_first = y;
      if (y > c->year_last) c->year_last = y;
    }
    char *f = fylke_of(fk, i);
    bool post = rs_column_present(fp, i) && fp->num[i] == 1;
    if (post) g_array_append_val(c->family_post_all, i);
    if (f) {
      rs_county_rows *r = rows_for(c, by, f);
      g_array_append_val(r->family, i);
      if (post) g_array_append_val(r->family_post, i);
    }
    g_free(f);
  }
  const rs_table *co = in->coordinators;
  int32_t brk = 0;
  rs_value_parse_date("2022-08-01", 10, &brk);
  int year_j = rs_table_find(co, "year"), date_j = rs_table_find(co, "response_date");
  if (date_j >= 0 && co->cols[date_j].type != RS_TYPE_DATE) date_j = -1;
  const rs_column *ck = &co->cols[c->coord_kommune_j];
  for (size_t i = 0; i < co->nrows; i++) {
    if (!coord_is_post(co, year_j, date_j, i, brk)) continue;
    g_array_append_val(c->coord_post_all, i);
    char *f = fylke_of(ck, i);
    if (f) g_array_append_val(rows_for(c, by, f)->coord_post, i);
    g_free(f);
  }
  /* the fylker are those of the registry (a fylke only in a survey has no kommune list) */
  GHashTableIter it;
  gpointer key, val;
  g_hash_table_iter_init(&it, by);
  while (g_hash_table_iter_next(&it, &key, &val)) {
    rs_county_rows *r = val;
    if (r->registry->len) {
      g_ptr_array_sort(r->kommuner, cmp_str);
      g_ptr_array_add(c->fylker, r);
    } else {
      rows_free(r);
    }
  }
  g_hash_table_destroy(by);
  g_ptr_array_sort(c->fylker, cmp_rows);

  /* national figures: registry coverage (every fylke and kommune) and the caseload */
  rs_reform_coverage_options cov = {.numerators = "children_koordinator,families_barnekoordinator"};
  c->coverage = rs_reform_coverage_compute(reg, &cov, err);
  if (!c->coverage) {
    g_prefix_error(err, "the kommune registry: ");
    rs_county_context_free(c);
    return NULL;
  }
  GDate a, b;
  g_date_clear(&a, 1);
  g_date_clear(&b, 1);
  g_date_set_julian(&a, (guint32)(c->coverage->from_day + 719163));  /* 1970-01-01 is Julian day 719163 */
  g_date_set_julian(&b, (guint32)(c->coverage->to_day + 719163));
  c->months = (g_date_get_year(&b) - g_date_get_year(&a)) * 12 + (int)g_date_get_month(&b) - (int)g_date_get_month(&a) + 1;
  if (c->months < 1) c->months = 1;
  if (c->coord_post_all->len) {
    rs_reform_caseload_options co_o = {.by_fylke = true, .by_kommune = true, .lang = c->lang,
                                       .rows = rs_county_idx(c->coord_post_all), .nrows = c->coord_post_all->len};
    GError *e = NULL;
    c->caseload = rs_reform_caseload_compute(co, &co_o, &e);
    if (!c->caseload) {
      g_propagate_prefixed_error(err, e, "the coordinator survey: ");
      rs_county_context_free(c);
      return NULL;
    }
  }
  return c;
}

void rs_county_context_free(rs_county_context *c) {
  if (!c) return;
  g_strfreev(c->indexes);
  g_strfreev(c->coll_items);
  g_strfreev(c->all_items);
  if (c->kommune_names) g_hash_table_destroy(c->kommune_names);
  if (c->fylker) g_ptr_array_unref(c->fylker);
  if (c->family_post_all) g_array_unref(c->family_post_all);
  if (c->coord_post_all) g_array_unref(c->coord_post_all);
  rs_reform_coverage_free(c->coverage);
  rs_reform_caseload_free(c->caseload);
  rs_reform_outcomes_free(c->national_outcomes);
  g_free(c->national_outcomes_note);
  g_free(c);
}

/* ---- publishing ---------------------------------------------------------- */

gboolean rs_county_publish(rs_pubtable *t, double min_n, const char *lang, GPtrArray *log, GError **err) {
  bool en = lang && strcmp(lang, "en") == 0;
  rs_disclosure_stats st = {0};
  if (!rs_disclosure_suppress(t, min_n, &st, err)) return FALSE;
  rs_audit_result res = {0};
  GError *e = NULL;
  if (!rs_disclosure_audit(t, min_n, &res, &e)) {
    if (e) {
      g_propagate_prefixed_error(err, e, "table '%s': ", t->id);
    } else {
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "table '%s' fails the disclosure audit and is not published: %s",
                  t->id, res.message ? res.message : "?");
    }
    rs_audit_result_clear(&res);
    return FALSE;
  }
  rs_audit_result_clear(&res);
  if (log)
    g_ptr_array_add(log, en ? g_strdup_printf("%s: %zu cells suppressed for fewer than %g persons, %zu more so that "
                                              "they cannot be derived from the totals.", t->title, st.n_primary,
                                              min_n, st.n_secondary)
                            : g_strdup_printf("%s: %zu celler skjult fordi de bygger på færre enn %g personer, og "
                                              "%zu til for at de ikke skal kunne regnes ut fra summene.", t->title,
                                              st.n_primary, min_n, st.n_secondary));
  return TRUE;
}

/* ---- one fylke ------------------------------------------------------------ */

rs_county *rs_county_build(rs_county_context *c, const char *code, GError **err) {
  const rs_county_rows *fr = rs_county_rows_of(c, code);
  if (!fr) {
    GString *list = g_string_new(NULL);
    for (guint i = 0; i < c->fylker->len; i++)
      g_string_append_printf(list, "%s%s", i ? ", " : "", rs_county_fylke_code(c, i));
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--fylke %s: no such fylke in the kommune registry (it has %s)", code,
                list->str);
    g_string_free(list, TRUE);
    return NULL;
  }
  rs_county *r = g_new0(rs_county, 1);
  r->code = g_strdup(fr->code);
  r->name = g_strdup(rs_county_fylke_name(c, fr->code));
  r->stem = rs_county_file_stem(r->code, r->name);
  r->n_kommuner = fr->kommuner->len;
  r->n_family = fr->family->len;
  r->n_family_post = fr->family_post->len;
  r->n_family_pre = r->n_family - r->n_family_post;
  r->n_coordinators_post = fr->coord_post->len;
  r->n_registry = fr->registry->len;
  r->no_respondents = r->n_family == 0;
  r->tables = g_ptr_array_new_with_free_func((GDestroyNotify)rs_pubtable_free);
  r->first_case_table = G_MAXUINT;
  r->suppression = g_ptr_array_new_with_free_func(g_free);
  r->notes = g_ptr_array_new_with_free_func(g_free);
  if (!rs_county_build_tables(c, fr, r, err) || !rs_county_build_charts(c, fr, r, err)) {
    rs_county_free(r);
    return NULL;
  }
  return r;
}

void rs_county_free(rs_county *r) {
  if (!r) return;
  g_free(r->code);
  g_free(r->name);
  g_free(r->stem);
  if (r->tables) g_ptr_array_unref(r->tables);
  if (r->suppression) g_ptr_array_unref(r->suppression);
  if (r->notes) g_ptr_array_unref(r->notes);
  rs_county_charts_clear(&r->charts);
  g_free(r);
}

const rs_pubtable *rs_county_table(const rs_county *r, const char *id) {
  for (guint i = 0; i < r->tables->len; i++) {
    const rs_pubtable *t = g_ptr_array_index(r->tables, i);
    if (strcmp(t->id, id) == 0) return t;
  }
  return NULL;
}
