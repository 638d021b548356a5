/* simulate.h — synthetic reform data with known effects.
 *
 * Writes the four datasets of DESIGN.md, each with its codebook, plus
 * truth.json holding every parameter the data were drawn with (and the
 * expectations they imply), so that an analysis can be checked against
 * the truth:
 *
 *   family.csv        family survey: one row per responding parent per wave
 *   coordinators.csv  coordinator survey: one row per coordinator
 *   registry.csv      kommune registry: one row per kommune per month
 *   cases.csv         Statsforvalteren complaints and tilsyn
 *   *-codebook.csv    name,label_nb,label_en,type,min,max,reverse,missing,values,index
 *   truth.json        seed, sizes, the kommune size model, parameters, expectations
 *
 * Use as a sequence:
 *   1. rs_simulate_options_init(&o) fills the documented defaults;
 *   2. set o.seed (required) and whatever else; rs_simulate_parse_years and
 *      rs_simulate_parse_style turn option text into fields;
 *   3. rs_simulate_run(&o, kommuner, dir, &summary, &err) checks the
 *      options, writes everything into a temporary directory beside `dir`
 *      and renames it to `dir`.  On failure nothing is left behind.
 *
 * Randomness comes only from gsl_rng_mt19937 streams derived from o.seed,
 * one stream per dataset, so the registry does not change when only the
 * number of families does.  Numbers are formatted by this module with a
 * fixed number of decimals (never through the C locale or %g), rows are
 * written in a fixed order, and no hash table is iterated: the same seed
 * and options give the same bytes on any machine with IEEE-754 doubles.
 *
 * Effects are on a latent scale in standard-deviation units: every Likert
 * item is an ordered probit, y = location + sign * effects + noise with
 * Var(noise) = 1, answer = 1 + number of cut points below y.  truth.json
 * also gives the expected answer means these imply (computed exactly by
 * summing over the model's discrete covariates), which is what a
 * describe-level analysis recovers.  family.expected.index_regression gives, per index,
 * the estimands of `reformstat coordinator-effect` on the raw index scale:
 * exact population least-squares projections of the expected index on
 * that command's regressors (post-reform contrasts, DiD, event study).
 */
#ifndef RS_SIMULATE_H
#define RS_SIMULATE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
  RS_SIMULATE_PLAIN,     /* ',' delimiter, '.' decimal, UTF-8, LF, ISO dates */
  RS_SIMULATE_EXCEL_NB   /* ';', decimal comma, Windows-1252, CRLF, dd.mm.yyyy dates */
} rs_simulate_style;

/* Index order used by the per-index arrays below. */
enum { RS_SIM_COLLABORATION, RS_SIM_INFORMATION, RS_SIM_LISTENED, RS_SIM_BURDEN, RS_SIM_N_INDEX };

/* The effects, with their defaults (rs_simulate_options_init) in
 * brackets.  Family indexes in the order collaboration, information,
 * listened (being listened to), burden (own coordination burden; higher =
 * more burden).  Latent SD units unless a unit is given. */
typedef struct {
  /* family survey */
  double post[RS_SIM_N_INDEX];          /* after vs before the reform, same coordinator type
                                           [0.05, 0.05, 0, 0]: a small change in collaboration */
  double coordinator[RS_SIM_N_INDEX];   /* any coordinator vs none [0.30, 0.35, 0.20, -0.25] */
  double barnekoordinator[RS_SIM_N_INDEX]; /* barnekoordinator vs ordinary koordinator [0, 0, 0, 0]:
                                              no advantage (Tøssebro et al.) */
  double services[RS_SIM_N_INDEX];      /* per 2 services above 4 [-0.10, -0.05, -0.05, 0.20];
                                           families with more services also get coordinators
                                           more often: confounding by indication */
  double kommune_sd;                    /* SD of the kommune effect on each index [0.10] */
  double share_koordinator_pre;         /* P(koordinator) before the reform, at 4 services [0.35] */
  double share_coordinated_post;        /* P(any coordinator) after, at 4 services [0.45] */
  double bk_share_2023;                 /* P(barnekoordinator | coordinated) in 2023 [0.40] */
  double bk_share_per_year;             /* its yearly increase after 2023 [0.08], capped at 0.70 */
  double coordinator_services_logit;    /* logit slope of P(coordinated) per 2 services [0.50] */
  double bk_services_logit;             /* logit slope of P(bk | coordinated) per 2 services [0.20] */
  double panel_share;                   /* families answering two waves [0.20] */
  /* coordinator survey */
  double capacity_per_load;             /* change in experienced capacity per unit of
                                           families / (earmarked hours + 1) [-0.15] */
  double training_role_clarity;         /* training vs none, role clarity [0.30] */
  double training_competence;           /* training vs none, competence [0.30] */
  double families_base;                 /* families assigned = 1 + NegBin(mean families_base +
                                           families_per_hour * earmarked hours, size 1.3) [2.2] */
  double families_per_hour;             /* [0.30] */
  /* kommune registry: rates per 1000 children 0–17 (children with
   * individuell plan, with koordinator); trend and change per year */
  double ip_rate_2019, ip_trend_pre, ip_level_change, ip_slope_change;     /* [3.5, -0.15, 0.30, 0.20] */
  double koord_rate_2019, koord_trend_pre, koord_level_change, koord_slope_change; /* [5.5, -0.10, 0.50, 0.25] */
  double bk_plateau, bk_ramp;           /* families with barnekoordinator per 1000 children at the
                                           plateau [2.0] and the monthly ramp-up [0.10] after a
                                           kommune's start month */
  double kommune_rate_sd;               /* SD of the kommune's log rate factor [0.25] */
  double ar1_phi, ar1_sd;               /* monthly AR(1) noise on the rates [0.6, 0.04] */
  int suppress_below;                   /* counts 1..suppress_below-1 are written ':' [5] */
  int not_yet_months;                   /* last months written '...' [3] */
  int provisional_months;               /* months before those flagged '*' [6] */
  /* Statsforvalteren cases: per 1000 children 0–17 per year */
  double complaint_rate_pre, complaint_rate_post; /* [0.04, 0.08] */
  double tilsyn_rate;                   /* tilsyn per kommune per year [0.03] */
  double processing_median_days;        /* complaints [27]; tilsyn take 4 times as long */
} rs_simulate_effects;

typedef struct {
  unsigned long seed;          /* required; 0 .. 4294967295 (GSL maps 0 to its default seed 4357) */
  bool seed_set;
  long n_families;             /* distinct families [3000]; panel families add a second row */
  long n_coordinators;         /* [300] */
  int year_first, year_last;   /* [2019, 2025]: survey waves every year but 2022; registry months
                                  year_first-01 .. year_last-12 */
  rs_simulate_style style;     /* [plain] */
  bool force;                  /* replace an existing non-empty output directory that holds
                                  an earlier simulate output */
  const char *kommune_source;  /* name of the kommune table, recorded in truth.json
                                  ["kommuner_2024.csv"] */
  rs_simulate_effects effects;
} rs_simulate_options;

/* Limits checked by rs_simulate_check_options. */
#define RS_SIMULATE_MAX_FAMILIES 10000000L
#define RS_SIMULATE_MAX_COORDINATORS 1000000L
#define RS_SIMULATE_YEAR_MIN 2010
#define RS_SIMULATE_YEAR_MAX 2035

typedef struct {
  char *name;       /* file name inside the output directory */
  size_t rows;      /* data rows (0 for truth.json) */
  guint64 bytes;
} rs_simulate_file;

typedef struct {
  rs_simulate_file files[9];
  size_t n_files;
} rs_simulate_summary;

void rs_simulate_options_init(rs_simulate_options *o);
/* "2019-2025" or "2023"; checks the range and that some survey wave (a
 * year other than 2022) is left. */
gboolean rs_simulate_parse_years(const char *text, int *first, int *last, GError **err);
/* "plain" or "excel-nb". */
gboolean rs_simulate_parse_style(const char *text, rs_simulate_style *style, GError **err);
/* A count option ("--families"): digits only, 1 .. max. */
gboolean rs_simulate_parse_count(const char *option, const char *text, long max, long *out, GError **err);
/* The seed: digits only, 0 .. 4294967295. */
gboolean rs_simulate_parse_seed(const char *text, unsigned long *out, GError **err);
gboolean rs_simulate_check_options(const rs_simulate_options *o, GError **err);

/* Writes the datasets for the kommuner (rs_kommune*, code order; the 2024
 * vintage from rs_refdata_kommuner) into `dir`.  `summary` may be NULL;
 * otherwise free it with rs_simulate_summary_clear. */
gboolean rs_simulate_run(const rs_simulate_options *o, const GPtrArray *kommuner, const char *dir,
                         rs_simulate_summary *summary, GError **err);
void rs_simulate_summary_clear(rs_simulate_summary *s);

/* The deterministic kommune size model (children 0–17 in January of the
 * first year), for the kommuner in `kommuner`; documented in truth.json.
 * Returns a new array of n longs. */
long *rs_simulate_kommune_sizes(const GPtrArray *kommuner);

#endif
