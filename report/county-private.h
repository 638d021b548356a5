/* county-private.h — what the files of the county report share
 * (county.c: context and rows; county-tables.c: the published tables;
 * county-charts.c: the chart data).  Not installed, not public. */
#ifndef RS_COUNTY_PRIVATE_H
#define RS_COUNTY_PRIVATE_H

#include "analysis/reform-caseload.h"
#include "analysis/reform-outcomes.h"
#include "report/county.h"

/* The rows of one fylke in each dataset. */
typedef struct {
  char *code;
  GArray *family, *family_post, *coord_post, *registry;   /* of size_t */
  GPtrArray *kommuner;  /* of char*: kommune codes of the registry, in code order */
} rs_county_rows;

struct rs_county_context {
  rs_county_inputs in;
  const char *lang;
  double min_n;
  bool en;
  char **indexes;                   /* family-survey index names (NULL-terminated) */
  char **coll_items;                /* items of the first index (collaboration), NULL-terminated */
  char **all_items;                 /* items of every index */
  const char *fam_kommune, *fam_type, *fam_post;    /* column names */
  const char *coord_kommune, *reg_kommune;
  int fam_kommune_j, fam_type_j, fam_post_j, coord_kommune_j, reg_kommune_j, reg_name_j;
  GHashTable *kommune_names;        /* code → name (registry's kommune_name) */
  GPtrArray *fylker;                /* of rs_county_rows*, code order */
  GArray *family_post_all, *coord_post_all;   /* of size_t */
  rs_reform_coverage *coverage;     /* national, fylke and kommune, the window */
  int months;                       /* months in the window */
  int year_first, year_last;        /* of the family survey */
  rs_reform_caseload *caseload;     /* coordinators after the reform: national, by fylke and kommune */
  rs_reform_outcomes *national_outcomes;   /* the country's indexes before/after, made once (county-tables.c) */
  char *national_outcomes_note;     /* why they could not be made, or NULL */
  bool national_outcomes_done;
  /* the country's rows of the key figures and kommune tables, made once */
  bool national_done;
  rs_plotdata_point nat_index, nat_hours;   /* collaboration index after; earmarked hours */
  size_t nat_bk_hits, nat_bk_n;             /* families with barnekoordinator after the reform */
};

/* Index label in the context's language ("Samarbeid"). */
const char *rs_county_index_label(const rs_county_context *c, const char *index);
/* The name of a kommune (registry), else its code. */
const char *rs_county_kommune_name(const rs_county_context *c, const char *code);
const rs_county_rows *rs_county_rows_of(const rs_county_context *c, const char *code);
/* Coverage unit of series `numerator` for a fylke/kommune code (NULL: national), or NULL. */
const rs_reform_coverage_unit *rs_county_coverage(const rs_county_context *c, const char *numerator, bool kommune,
                                                   const char *code);
/* A caseload group by code (fylke or kommune), or NULL. */
const rs_reform_group *rs_county_caseload_group(const rs_county_context *c, bool kommune, const char *code);

static inline const size_t *rs_county_idx(const GArray *a) { return a->len ? (const size_t *)(void *)a->data : NULL; }
static inline const char *rs_county_tr(const rs_county_context *c, const char *nb, const char *en) {
  return c->en ? en : nb;
}

/* county-tables.c */
gboolean rs_county_build_tables(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err);
/* county-charts.c */
gboolean rs_county_build_charts(rs_county_context *c, const rs_county_rows *fr, rs_county *r, GError **err);
void rs_county_charts_clear(rs_county_charts *ch);

#endif
