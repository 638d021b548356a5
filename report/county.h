/* county.h — the numbers of one county (fylke) report: every published
 * table as an rs_pubtable (suppressed and audited, report/disclosure.h) and
 * the data of every chart, for one fylke at a time.
 *
 * The report (`reformstat report`, cli/report.c) loads the four datasets of
 * the plan once, builds a context (rs_county_context_new: the index columns
 * of the family survey, the national figures and the registry coverage of
 * every fylke, computed once), then calls rs_county_build for each fylke and
 * hands the result to the PDF, CSV and Excel writers.  Nothing here writes a
 * file.
 *
 * What is computed, and from what (all with the analysis library):
 *   Key figures (table "nokkeltall"), fylke against the whole country:
 *     children with koordinator and families with barnekoordinator per
 *     1 000 children 0–17 (registry, the last 12 months with data, sums of
 *     numerators over sums of denominators: reform-caseload.h's coverage),
 *     with a Wilson interval on the average month's counts; the share of the
 *     families after the reform that have a barnekoordinator (survey,
 *     unweighted, Wilson); families per coordinator (ratio of sums with the
 *     svyratio interval, rs_reform_caseload); earmarked hours per coordinator
 *     (mean, t interval); share of coordinators without earmarked hours.
 *   Indexes before/after (table "indekser"): every codebook index of the
 *     family survey, before and after the reform, fylke and country, design
 *     based (the plan's weight and cluster: rs_reform_outcomes), with the
 *     change after − before as a cell tied to the two by a relation.
 *   Kommune tables ("kommuner-register", "kommuner-familier",
 *     "kommuner-koordinatorer"): every kommune of the fylke in code order,
 *     the fylke total (tied to the kommuner by relations so that secondary
 *     suppression protects the small ones) and the country.  Survey means in
 *     these tables are unweighted, so that the fylke total is exactly the
 *     n-weighted mean of the kommuner's (and the auditor can prove it safe).
 *   Charts: collaboration index by coordinator type before/after, the
 *     Likert items after the reform, caseload scatter, the ITS of coverage,
 *     a forest plot of the kommuner and the fylke tile map.
 *
 * Coordinators and families after the reform: rows dated on or after
 * 2022-08-01 (post = 1 in the family survey; year >= 2023 or a response date
 * after the break for coordinators).
 *
 * Disclosure of charts: a chart shows no estimate resting on fewer than
 * min_n persons.  Group means below min_n are dropped (and the caption says
 * so), Likert items with fewer than min_n answers are left out, and the
 * caseload scatter has one point per kommune with at least min_n
 * coordinators plus one point per fylke for the rest of its kommuner pooled
 * (when those have min_n coordinators) — never a single coordinator.
 */
#ifndef RS_COUNTY_H
#define RS_COUNTY_H

#include <glib.h>
#include <stdbool.h>

#include "analysis/chartdata.h"
#include "analysis/its.h"
#include "analysis/plotdata.h"
#include "datasets/codebook.h"
#include "datasets/table.h"
#include "plots/tilemap.h"
#include "report/disclosure.h"

typedef struct {
  rs_table *family;                 /* family survey: index columns are added to it */
  const rs_codebook *family_cb;     /* with the indexes */
  const char *weight, *cluster, *strata;  /* its survey design (any may be NULL) */
  rs_table *coordinators;
  const rs_codebook *coordinators_cb;
  rs_table *registry;
  rs_table *cases;                  /* Statsforvalteren's cases (may be NULL here) */
  const rs_codebook *cases_cb;
  const char *lang;                 /* "nb" (default) or "en" */
  double min_n;                     /* 0 → RS_DISCLOSURE_MIN_N */
} rs_county_inputs;

typedef struct rs_county_context rs_county_context;

/* Checks that the datasets have the columns the report needs (the error
 * names the dataset and the columns), adds the index columns to the family
 * table and computes the national figures.  in must outlive the context. */
rs_county_context *rs_county_context_new(const rs_county_inputs *in, GError **err);
void rs_county_context_free(rs_county_context *c);

/* The fylker of the registry, in code order ("03" … "56"). */
size_t rs_county_n_fylker(const rs_county_context *c);
const char *rs_county_fylke_code(const rs_county_context *c, size_t i);
/* The fylke's name ("Vestland"), or NULL for a code not in the registry
 * (normalised: "3" finds "03"). */
const char *rs_county_fylke_name(const rs_county_context *c, const char *code);
/* "46-vestland": the file stem (ASCII: æ→ae, ø→o, å→a, spaces → '-'). */
char *rs_county_file_stem(const char *code, const char *name);
/* Name of the 2024 fylke (built-in, SSB Klass 104), or NULL. */
const char *rs_county_fylke_name_2024(const char *code);
/* The window of the registry figures (the last 12 months with data). */
void rs_county_window(const rs_county_context *c, int32_t *from_day, int32_t *to_day);
/* The years of the family survey (0, 0 without a year column). */
void rs_county_survey_years(const rs_county_context *c, int *first, int *last);
const char *rs_county_lang(const rs_county_context *c);
double rs_county_min_n(const rs_county_context *c);

/* Chart data for one fylke; NULL members where there is nothing to draw
 * (the *_note says why, in the report's language). */
typedef struct {
  rs_plotdata_est *prepost;         /* collaboration index by coordinator type × before/after */
  char *prepost_note;
  rs_plotdata_likert *likert;       /* the index items after the reform */
  char *likert_note;
  rs_chartdata_scatter *scatter;    /* kommuner (and pooled rests) of the whole country */
  char *scatter_note;
  rs_its *its;                      /* children with koordinator per 1 000, the fylke's series */
  char *its_note;
  rs_plotdata_est *forest;          /* collaboration index after the reform by kommune */
  char *forest_note;
  rs_plot_tilemap_data tilemap;     /* coverage per 1 000 by fylke */
  char *tile_names[RS_PLOT_TILEMAP_N];
  char *tile_title, *tile_subtitle, *tile_scale, *tile_note;
} rs_county_charts;

typedef struct {
  char *code, *name, *stem;         /* "46", "Vestland", "46-vestland" */
  size_t n_kommuner;
  size_t n_family, n_family_pre, n_family_post;   /* survey rows in the fylke */
  size_t n_coordinators, n_coordinators_post;
  size_t n_registry;
  bool no_respondents;              /* the fylke has no family-survey rows */
  GPtrArray *tables;                /* of rs_pubtable*: suppressed and audited, report order */
  guint first_case_table;           /* tables from here on are Statsforvalteren's cases (report/casetables.h) */
  GPtrArray *suppression;           /* of char*: per table, what was suppressed (methods page) */
  GPtrArray *notes;                 /* of char*: what could not be computed and why */
  rs_county_charts charts;
} rs_county;

/* Everything for fylke `code`.  Fails for a code that is not a fylke of the
 * registry (err lists the fylker), or when a table fails the disclosure
 * audit (then nothing of it may be published). */
rs_county *rs_county_build(rs_county_context *c, const char *code, GError **err);
void rs_county_free(rs_county *r);
/* The table with this id, or NULL. */
const rs_pubtable *rs_county_table(const rs_county *r, const char *id);

/* Suppression (primary, secondary) then the audit; FALSE (err names the
 * table, row and column) when the audit fails.  Appends a line on what was
 * suppressed to `log` (may be NULL). */
gboolean rs_county_publish(rs_pubtable *t, double min_n, const char *lang, GPtrArray *log, GError **err);

#endif
