/* test-reform-caseload.c — `caseload` and `its` numbers against R on the
 * bundled sample (datasets/sample), to 1e-10 relative.
 *
 * Expected values: R 4.x with sandwich and survey, the scripts' essentials
 * beside each value.  Coordinators: d <- read.csv("coordinators.csv",
 * colClasses = c(kommune = "character")); items with 8 ("Vet ikke") set to
 * NA; role_3 and capacity_3 reversed (6 - x); an index is rowMeans of its
 * items, NA when fewer than half are answered.
 * Registry: every SSB symbol ('.', '..', '...', ':') NA, '-' 0, a '*'
 * suffix stripped; rows with NA count or children dropped; t = (day -
 * as.Date("2022-08-01")) / 365.25, post = day >= 2022-08-01.
 */
#include "analysis/its.h"
#include "analysis/reform-caseload.h"
#include "datasets/codebook.h"
#include "datasets/load.h"
#include "tests/tap.h"

#include <glib.h>
#include <math.h>
#include <string.h>

static rs_table *load_sample(const char *name, rs_codebook **cbo) {
  const char *src = g_getenv("top_srcdir");
  char *data = g_strdup_printf("%s/datasets/sample/%s.csv", src ? src : ".", name);
  char *cbp = g_strdup_printf("%s/datasets/sample/%s-codebook.csv", src ? src : ".", name);
  GError *err = NULL;
  rs_codebook *cb = rs_codebook_load(cbp, NULL, &err);
  rs_table *t = NULL;
  if (cb) {
    rs_load_options o;
    rs_load_options_init(&o);
    o.codebook = cb;
    o.quiet = true;
    t = rs_load_table(data, &o, NULL, &err);
  }
  if (!t) diag("cannot load %s: %s", data, err ? err->message : "?");
  g_clear_error(&err);
  *cbo = cb;
  g_free(data);
  g_free(cbp);
  return t;
}

static const rs_reform_coef *coef_of(const rs_reform_caseload *c, const char *index, const char *term) {
  for (size_t k = 0; k < c->n_coefs; k++)
    if (strcmp(c->coefs[k].index, index) == 0 && strcmp(c->coefs[k].term, term) == 0) return &c->coefs[k];
  return NULL;
}

static const rs_reform_spearman *rho_of(const rs_reform_caseload *c, const char *index, const char *var) {
  for (size_t k = 0; k < c->n_spearman; k++)
    if (strcmp(c->spearman[k].index, index) == 0 && strcmp(c->spearman[k].variable, var) == 0) return &c->spearman[k];
  return NULL;
}

static void test_wilson(void) {
  double lo, hi;
  /* prop.test(141, 300, correct = FALSE)$conf.int */
  rs_reform_wilson(141, 300, &lo, &hi);
  ok_close(lo, 0.41425881165940492, 1e-12, "Wilson 141/300 lower");
  ok_close(hi, 0.52649976661406772, 1e-12, "Wilson 141/300 upper");
  /* prop.test(0, 300, correct = FALSE)$conf.int -> 0, 0.012642971224546029 (= z^2/(n + z^2)) */
  rs_reform_wilson(0, 300, &lo, &hi);
  ok(lo == 0, "Wilson 0/300 lower is 0");
  ok_close(hi, 0.012642971224546029, 1e-10, "Wilson 0/300 upper");
}

static void test_caseload(void) {
  rs_codebook *cb = NULL;
  rs_table *t = load_sample("coordinators", &cb);
  if (!t) { ok(0, "coordinator sample loads"); return; }
  GError *err = NULL;
  rs_reform_caseload_options o = {0};
  rs_reform_caseload *c = rs_reform_caseload_compute(t, &o, &err);
  ok(c != NULL, "caseload computes %s", err ? err->message : "");
  if (c) {
    ok(c->n == 300 && c->n_dropped == 0, "300 coordinators used");
    /* des <- svydesign(ids = ~1, data = transform(d, one = 1, pos = position_pct / 100))
     * r <- svyratio(~families, ~one, des); coef(r); SE(r); confint(r) */
    ok_close(c->per_coordinator.estimate, 4.2633333333333336, 1e-12, "families per coordinator");
    ok_close(c->per_coordinator.se, 0.22557239632301215, 1e-10, "  its svyratio SE");
    ok_close(c->per_coordinator.ci_low, 3.8212195606338346, 1e-10, "  CI low");
    /* svyratio(~families, ~pos, des) */
    ok_close(c->per_position.estimate, 5.2418032786885247, 1e-12, "families per 100 % position");
    ok_close(c->per_position.se, 0.28836019542418856, 1e-10, "  its SE");
    ok_close(c->per_position.ci_high, 5.806978876294866, 1e-10, "  CI high");
    /* mean(d$families / (d$position_pct / 100)); median(…) */
    ok_close(c->per_position.mean, 6.0716666666666663, 1e-12, "  mean of own ratios");
    ok_close(c->per_position.median, 4, 1e-12, "  median of own ratios");
    /* svyratio(~families, ~earmarked_hours, des) */
    ok_close(c->per_hour.estimate, 1.0347896440129449, 1e-12, "families per earmarked hour");
    ok_close(c->per_hour.se, 0.071027574539526087, 1e-10, "  its SE");
    /* h <- d$earmarked_hours > 0; mean(d$families[h] / d$earmarked_hours[h]); median(…); sum(h) */
    ok_close(c->per_hour.mean, 0.90340801485258315, 1e-12, "  mean of own ratios (hours > 0)");
    ok_close(c->per_hour.median, 0.66666666666666663, 1e-12, "  median of own ratios");
    ok(c->per_hour.n_own == 159, "  159 coordinators with earmarked hours");
    ok(c->no_hours.hits == 141, "141 with no earmarked time");
    /* prop.test(sum(d$families > 10), 300, correct = FALSE)$conf.int */
    ok(c->n_families_over == 2 && c->families_over[0].hits == 16 && c->families_over[1].hits == 5,
       "16 with more than 10 families, 5 with more than 15");
    ok_close(c->families_over[0].ci_low, 0.033091912519096468, 1e-10, "  Wilson low, > 10");
    ok_close(c->families_over[1].ci_high, 0.038415394833094488, 1e-10, "  Wilson high, > 15");
    /* f <- lm(capacity ~ families + earmarked_hours + position_pct + training, data = d) */
    const rs_reform_coef *e = coef_of(c, "capacity", "families");
    ok(e && e->n == 296, "capacity regression on 296 rows (nobs(f))");
    if (e) {
      ok_close(e->estimate, -0.047366803575401462, 1e-10, "capacity ~ families: coef");
      /* sqrt(diag(vcovHC(f, type = "HC3"))) */
      ok_close(e->se, 0.020019081476525938, 1e-10, "capacity ~ families: HC3 SE");
    }
    e = coef_of(c, "capacity", "earmarked_hours");
    if (e) {
      ok_close(e->estimate, 0.049723246387402616, 1e-10, "capacity ~ earmarked_hours: coef");
      ok_close(e->se, 0.012953630079177356, 1e-10, "capacity ~ earmarked_hours: HC3 SE");
    }
    e = coef_of(c, "role_clarity", "training");
    if (e) {
      /* f2 <- lm(role_clarity ~ …); coef(f2)[5]; sqrt(diag(vcovHC(f2, type = "HC3")))[5] */
      ok_close(e->estimate, 0.20862175109470704, 1e-10, "role_clarity ~ training: coef");
      ok_close(e->se, 0.10987798379129565, 1e-10, "role_clarity ~ training: HC3 SE");
    }
    /* ct <- cor.test(d$capacity, d$earmarked_hours, method = "spearman") */
    const rs_reform_spearman *s = rho_of(c, "capacity", "earmarked_hours");
    ok(s && s->ok && s->cor.n == 296, "Spearman capacity ~ hours on 296 pairs");
    if (s) {
      ok_close(s->cor.estimate, 0.21489095996810784, 1e-10, "  rho");
      ok_close(s->cor.statistic, 3393508.208091449, 1e-10, "  S");
      ok_close(s->cor.p_value, 0.00019524450120822265, 1e-8, "  p (t approximation, ties)");
    }
    s = rho_of(c, "capacity", "families");
    if (s) ok_close(s->cor.estimate, -0.13912441187967167, 1e-10, "Spearman capacity ~ families: rho");
    rs_reform_caseload_free(c);
  }
  /* cluster-robust: sqrt(diag(vcovCL(f, cluster = ~kommune, type = "HC1"))) */
  o.vcov = "cluster:kommune";
  c = rs_reform_caseload_compute(t, &o, &err);
  ok(c != NULL, "caseload with cluster:kommune %s", err ? err->message : "");
  if (c) {
    const rs_reform_coef *e = coef_of(c, "capacity", "families");
    if (e) ok_close(e->se, 0.017721954568564929, 1e-10, "capacity ~ families: vcovCL SE");
    e = coef_of(c, "capacity", "(Intercept)");
    if (e) ok_close(e->se, 0.22664258281075461, 1e-10, "capacity intercept: vcovCL SE");
    rs_reform_caseload_free(c);
  }
  /* a row subset: the first 100 coordinators — the county report's use */
  size_t rows[100];
  for (size_t i = 0; i < 100; i++) rows[i] = i;
  rs_reform_caseload_options sub = {.rows = rows, .nrows = 100};
  c = rs_reform_caseload_compute(t, &sub, &err);
  ok(c && c->n == 100, "a row subset uses only its rows");
  rs_reform_caseload_free(c);
  rs_table_free(t);
  rs_codebook_free(cb);
}

static void test_coverage(void) {
  rs_codebook *cb = NULL;
  rs_table *t = load_sample("registry", &cb);
  if (!t) { ok(0, "registry sample loads"); return; }
  GError *err = NULL;
  rs_reform_coverage_options o = {0};
  rs_reform_coverage *c = rs_reform_coverage_compute(t, &o, &err);
  ok(c && c->n_series == 2, "coverage: koordinator and barnekoordinator %s", err ? err->message : "");
  if (c) {
    char a[16], b[16];
    rs_value_format_date(c->from_day, a);
    rs_value_format_date(c->to_day, b);
    ok(strcmp(a, "2024-10-01") == 0 && strcmp(b, "2025-09-01") == 0,
       "latest 12 months with data: 2024-10 to 2025-09 ('...' after) (%s, %s)", a, b);
    /* r12 <- r[r$period >= "2024-10-01" & r$period <= "2025-09-01" & !is.na(k) & !is.na(c), ];
     * sum(r12$k), sum(r12$c), 1000 * sum(k) / sum(c) -> 66148 10356859 6.3868671437... ; nrow 2846 */
    ok(c->series[0].national.num == 66148 && c->series[0].national.cells == 2846, "national sums (%g, %zu)",
       c->series[0].national.num, c->series[0].national.cells);
    ok_close(c->series[0].national.rate, 1000.0 * 66148 / c->series[0].national.den, 1e-15, "national rate = sum/sum");
    double fn = 0, fd = 0;
    for (size_t k = 0; k < c->series[0].n_fylke; k++) {
      fn += c->series[0].fylke[k].num;
      fd += c->series[0].fylke[k].den;
    }
    ok(fn == c->series[0].national.num && fd == c->series[0].national.den, "fylker add up to the country");
    ok(c->series[0].left_out[RS_MISS_SUPPRESSED] == 1387 && c->series[0].left_out[RS_MISS_UNAVAILABLE] == 51,
       "left out: 1387 suppressed ':', 51 missing '..'");
    rs_reform_coverage_free(c);
  }
  rs_table_free(t);
  rs_codebook_free(cb);
}

static void test_its(void) {
  rs_codebook *cb = NULL;
  rs_table *t = load_sample("registry", &cb);
  if (!t) { ok(0, "registry sample loads"); return; }
  GError *err = NULL;
  /* a <- aggregate(cbind(k, c) ~ day, r, sum); a$y <- a$k / a$c * 1000; month <- factor(month of day)
   * f <- lm(y ~ t + post + I(post * t) + month, a)
   * sqrt(diag(NeweyWest(f, lag = 3, prewhite = FALSE, adjust = FALSE))) */
  rs_its_options o = {.numerator = "children_koordinator", .denominator = "children_0_17", .lag = -1,
                      .seasonal = true, .unit_column = "kommune"};
  rs_its *its = rs_its_fit(t, &o, &err);
  ok(its && its->n == 81, "seasonal ITS on 81 months %s", err ? err->message : "");
  if (its) {
    ok_close(its->coef[RS_ITS_B0], 5.4438947297834694, 1e-10, "seasonal: intercept");
    ok_close(its->coef[RS_ITS_TREND], -0.11760213039401662, 1e-10, "seasonal: trend");
    ok_close(its->coef[RS_ITS_LEVEL], 0.49466251357008778, 1e-10, "seasonal: level change");
    ok_close(its->coef[RS_ITS_SLOPE], 0.29052949073011936, 1e-10, "seasonal: slope change");
    ok_close(its->se[RS_ITS_B0], 0.032620761094404579, 1e-10, "seasonal: NW SE intercept");
    ok_close(its->se[RS_ITS_TREND], 0.010323853304816638, 1e-10, "seasonal: NW SE trend");
    ok_close(its->se[RS_ITS_LEVEL], 0.042767986901827849, 1e-10, "seasonal: NW SE level change");
    ok_close(its->se[RS_ITS_SLOPE], 0.022127434747400098, 1e-10, "seasonal: NW SE slope change");
    ok_close(its->season[10], 0.06001715709328443, 1e-10, "seasonal: December vs January");
    ok_close(its->season_se[10], 0.053236728522552061, 1e-10, "seasonal: its NW SE");
    size_t k = its->n - 1;
    ok_close(its->fitted[k] - its->counterfactual[k],
             its->coef[RS_ITS_LEVEL] + its->coef[RS_ITS_SLOPE] * (its->day[k] - its->break_day) / 365.25, 1e-12,
             "counterfactual = fit without level and slope change");
    rs_its_free(its);
  }
  /* g <- lm(y ~ t + post + I(post * t) + factor(kommune), r, weights = c)  (r: kommune-months, c > 0)
   * sqrt(diag(vcovCL(g, cluster = ~kommune, type = "HC1"))); nobs(g) 18723; df.residual(g) 18363 */
  rs_its_options p = {.numerator = "children_koordinator", .denominator = "children_0_17", .lag = -1,
                      .unit_column = "kommune", .pooled = true};
  its = rs_its_fit(t, &p, &err);
  ok(its && its->n_obs == 18723 && its->n_units == 357 && its->df == 18363, "pooled: 18723 kommune-months, 357 kommuner, df 18363 %s",
     err ? err->message : "");
  if (its) {
    ok(isnan(its->coef[RS_ITS_B0]), "pooled with kommune FE: no common intercept");
    ok_close(its->coef[RS_ITS_TREND], -0.10441712873368689, 1e-10, "pooled: trend");
    ok_close(its->coef[RS_ITS_LEVEL], 0.51524955840244357, 1e-10, "pooled: level change");
    ok_close(its->coef[RS_ITS_SLOPE], 0.24856159016433146, 1e-10, "pooled: slope change");
    ok_close(its->se[RS_ITS_TREND], 0.012223466709338557, 1e-10, "pooled: CL SE trend");
    ok_close(its->se[RS_ITS_LEVEL], 0.04551151218546854, 1e-10, "pooled: CL SE level change");
    ok_close(its->se[RS_ITS_SLOPE], 0.023014876198361411, 1e-10, "pooled: CL SE slope change");
    ok_close(its->value[0], 1000.0 * its->num[0] / its->den[0], 1e-12, "pooled: weighted period mean = sum/sum");
    rs_its_free(its);
  }
  /* g2 <- lm(y ~ t + post + I(post * t), r); sqrt(diag(vcovCL(g2, cluster = ~kommune, type = "HC1"))) */
  p.no_unit_fe = true;
  p.unweighted = true;
  its = rs_its_fit(t, &p, &err);
  if (its) {
    ok_close(its->coef[RS_ITS_B0], 5.282678899787232, 1e-10, "pooled, no FE, unweighted: intercept");
    ok_close(its->coef[RS_ITS_LEVEL], 0.44511552799343934, 1e-10, "pooled, no FE, unweighted: level change");
    ok_close(its->se[RS_ITS_LEVEL], 0.085531547536725858, 1e-10, "pooled, no FE, unweighted: CL SE level change");
    ok_close(its->se[RS_ITS_SLOPE], 0.0427364070294496, 1e-10, "pooled, no FE, unweighted: CL SE slope change");
    rs_its_free(its);
  } else {
    ok(0, "pooled without FE fits: %s", err ? err->message : "");
  }
  g_clear_error(&err);
  /* a kommune's period twice: an error naming both lines */
  size_t rows[3] = {0, 0, 1};
  rs_its_options d = {.numerator = "children_koordinator", .unit_column = "kommune", .rows = rows, .nrows = 3};
  its = rs_its_fit(t, &d, &err);
  ok(!its && err && strstr(err->message, "twice"), "a duplicated kommune-month is refused: %s", err ? err->message : "");
  g_clear_error(&err);
  rs_table_free(t);
  rs_codebook_free(cb);
}

int main(void) {
  test_wilson();
  test_caseload();
  test_coverage();
  test_its();
  return done();
}
