/* test-reform-effect.c — coordinator-effect (analysis/reform-effect.h)
 * against R on a fixed file.
 *
 * Data: tests/data/effect/family.csv, every 5th row of the bundled sample
 * (728 rows, 6 waves, pre and post), with the sample's codebook.  Expected
 * values: R 4.x with sandwich and car, printed with sprintf("%.17g") by
 * tests/data/effect/reference.R (run from the source tree; R is not needed
 * to run this test).  In R:
 *   post <- d[d$post == 1, ]
 *   fit <- lm(collaboration ~ koordinator + barnekoordinator + child_age + factor(diagnosis_group)
 *             + n_services + factor(fylke), data = post)
 *   V <- vcovCL(fit, cluster = ~kommune, type = "HC1")
 *   did <- lm(collaboration ~ treated + factor(year) + treated_post + <same covariates>, data = d)
 *   ev  <- lm(collaboration ~ treated + factor(year) + ev_2019 + ev_2020 + ev_2023 + ev_2024 + ev_2025
 *             + <same covariates>, data = d)
 *   linearHypothesis(ev, c("ev_2019 = 0", "ev_2020 = 0"), vcov. = vcovCL(ev, cluster = ~kommune,
 *                    type = "HC1"), test = "F")   # and test = "Chisq"
 * with the index = mean of the items (8 = NA, reverse: 1 + 5 - x) when at
 * least half are answered.  Tolerance 1e-10 relative.
 */
#include "analysis/reform-effect.h"
#include "datasets/codebook.h"
#include "datasets/error.h"
#include "datasets/load.h"
#include "tests/tap.h"

#include <glib.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOL 1e-10

static const rs_reform_effect_index *find(const rs_reform_effect *r, const char *name) {
  for (size_t k = 0; k < r->n_indexes; k++)
    if (strcmp(r->idx[k].index, name) == 0) return &r->idx[k];
  return NULL;
}

static const rs_reform_coef *event(const rs_reform_effect_index *x, double wave) {
  for (size_t e = 0; e < x->n_events; e++)
    if (x->event_wave[e] == wave) return &x->event[e];
  return NULL;
}

int main(void) {
  const char *src = g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".";
  char *path = g_build_filename(src, "tests/data/effect/family.csv", NULL);
  char *cbpath = g_build_filename(src, "tests/data/effect/family-codebook.csv", NULL);
  GError *err = NULL;
  rs_codebook *cb = rs_codebook_load(cbpath, NULL, &err);
  if (!ok(cb != NULL, "codebook loads")) { diag("%s", err->message); return done(); }
  rs_load_options lo;
  rs_load_options_init(&lo);
  lo.codebook = cb;
  lo.quiet = true;
  rs_table *t = rs_load_table(path, &lo, NULL, &err);
  if (!ok(t != NULL, "data load")) { diag("%s", err->message); return done(); }

  /* every expected value twice: by QR (ols.h, lm's method) and from
   * cross-products (olsgram.h, used from RS_REFORM_GRAM_MIN_ROWS rows) */
  static const struct { size_t min_rows; const char *name; } solvers[] = {
      {(size_t)-1, "QR (ols.h)"}, {1, "cross-products (olsgram.h)"}};
  for (size_t sv = 0; sv < G_N_ELEMENTS(solvers); sv++) {
    diag("solver: %s", solvers[sv].name);
    rs_reform_effect_options o;
    rs_reform_effect_options_init(&o);
    o.gram_min_rows = solvers[sv].min_rows;
    o.indexes = "collaboration,burden";
    o.lower_better = "burden";
    rs_reform_effect *r = rs_reform_effect_fit(t, cb, &o, &err);
    if (!ok(r != NULL, "fit")) { diag("%s", err->message); return done(); }
    ok(r->n_indexes == 2, "two indexes chosen");
    const rs_reform_effect_index *c = find(r, "collaboration"), *b = find(r, "burden");
    ok(c && b, "both indexes present");
    if (!c || !b) return done();
    /* n is far below RS_REFORM_GRAM_MIN_ROWS: the default is QR */
    ok(r->models == 6 && r->models_gram == (sv ? 6 : 0), "six models (2 indexes x post, DiD, event), %d by %s",
       r->models_gram ? r->models_gram : r->models, solvers[sv].name);

    /* --- collaboration, after the reform: lm + vcovCL(type = "HC1") --- */
    ok(c->n == 348, "collaboration: n = 348 (nobs(fit))");
    ok_close(c->koordinator.estimate, 0.64254302278544484, TOL, "coef koordinator");
    ok_close(c->koordinator.se, 0.15215310325569859, TOL, "se koordinator (vcovCL HC1)");
    ok_close(c->barnekoordinator.estimate, 0.49863789055039037, TOL, "coef barnekoordinator");
    ok_close(c->barnekoordinator.se, 0.1376263112702219, TOL, "se barnekoordinator");
    ok(c->bk_vs_k.df == 323, "df = fit$df.residual = 323");
    /* b["barnekoordinator"] - b["koordinator"], sqrt(V[b,b] + V[k,k] - 2 V[b,k]) */
    ok_close(c->bk_vs_k.estimate, -0.14390513223505447, TOL, "bk - k estimate");
    ok_close(c->bk_vs_k.se, 0.17202090710052406, TOL, "bk - k se");
    /* linearHypothesis(fit, "barnekoordinator - koordinator = 0", vcov. = V, test = "F")$"Pr(>F)"[2] */
    ok_close(c->bk_vs_k.p_value, 0.40346062233993185, TOL, "bk - k p (linearHypothesis F)");
    /* est -/+ qt(0.975, 323) * se */
    ok_close(c->bk_vs_k.ci_low, -0.48232798797921178, TOL, "bk - k ci_low");
    ok_close(c->bk_vs_k.ci_high, 0.19451772350910285, TOL, "bk - k ci_high");
    /* (qnorm(0.975) + qnorm(0.8)) * se */
    ok_close(c->mde, 0.48193123053921227, TOL, "MDE = (qnorm(0.975) + qnorm(0.8)) * se");
    ok(c->verdict == RS_REFORM_NO_DIFFERENCE, "collaboration: no difference shown");
    /* --- collaboration, DiD, event study, pre-trend --- */
    ok(c->did && c->did_n == 723, "DiD fitted on 723 rows (nobs(did))");
    ok_close(c->did_effect.estimate, 0.27396677564499694, TOL, "DiD treated_post");
    ok_close(c->did_effect.se, 0.17119980916093885, TOL, "DiD se");
    ok(c->did_effect.df == 693, "DiD df = 693");
    ok(c->ref_wave == 2021 && c->n_events == 5, "reference wave 2021, five event coefficients");
    static const double ew[] = {2019, 2020, 2023, 2024, 2025};
    static const double eb[] = {0.28722502669614358, -0.11104815063480671, 0.305376724411834, 0.33060167425395226,
                                0.37880290332233019};
    static const double es[] = {0.22533822253056424, 0.26373450851436653, 0.22681998708285758, 0.28855282807232036,
                                0.23995623984356021};
    for (int k = 0; k < 5; k++) {
      const rs_reform_coef *e = event(c, ew[k]);
      if (!ok(e != NULL, "event %g present", ew[k])) continue;
      char what[64];
      g_snprintf(what, sizeof what, "coef ev_%g", ew[k]);
      ok_close(e->estimate, eb[k], TOL, what);
      g_snprintf(what, sizeof what, "se ev_%g", ew[k]);
      ok_close(e->se, es[k], TOL, what);
    }
    ok(c->pretrend && c->pretrend_q == 2 && c->pretrend_df2 == 689, "pre-trend: q = 2, df2 = 689");
    ok_close(c->pretrend_F, 1.9155635495762307, TOL, "pre-trend F (linearHypothesis test = F)");
    ok_close(c->pretrend_p_F, 0.14804225432170401, TOL, "pre-trend p (F)");
    ok_close(c->pretrend_chi2, 3.8311270991524613, TOL, "pre-trend chi-square (test = Chisq)");
    ok_close(c->pretrend_p_chi2, 0.14725882155146061, TOL, "pre-trend p (Chisq)");

    /* --- burden (lower is better) --- */
    ok_close(b->koordinator.estimate, -0.020350505233011341, 1e-9, "burden: coef koordinator (near 0: 1e-9)");
    ok_close(b->koordinator.se, 0.1415762106160364, TOL, "burden: se koordinator");
    ok_close(b->barnekoordinator.estimate, -0.18470671777861611, TOL, "burden: coef barnekoordinator");
    ok_close(b->barnekoordinator.se, 0.13335995165322087, TOL, "burden: se barnekoordinator");
    ok_close(b->bk_vs_k.estimate, -0.16435621254560476, TOL, "burden: bk - k");
    ok_close(b->bk_vs_k.se, 0.16250085815064777, TOL, "burden: bk - k se");
    ok_close(b->bk_vs_k.p_value, 0.31257369430111009, TOL, "burden: bk - k p");
    ok_close(b->mde, 0.45526000212552697, TOL, "burden: MDE");
    ok(b->lower_better && b->verdict == RS_REFORM_NO_DIFFERENCE, "burden: lower is better, no difference shown");
    ok_close(b->did_effect.estimate, 0.053621666493237401, 1e-9, "burden: DiD (1e-9: small)");
    ok_close(b->did_effect.se, 0.13769623361412026, TOL, "burden: DiD se");
    ok_close(b->pretrend_F, 1.2946410231498089, TOL, "burden: pre-trend F");
    ok_close(b->pretrend_chi2, 2.5892820462996178, TOL, "burden: pre-trend chi-square");
    ok_close(b->pretrend_p_chi2, 0.27399620497400834, TOL, "burden: pre-trend p (Chisq)");
    ok_close(event(b, 2019)->estimate, 0.42896804798518934, TOL, "burden: ev_2019");
    ok_close(event(b, 2025)->se, 0.2460044971971718, TOL, "burden: se ev_2025");

    /* the words */
    char *s = rs_reform_effect_summary(r);
    ok(strstr(s, "ingen fordel") != NULL, "bokmål summary: no advantage (%s)", s);
    g_free(s);
    rs_results *res = rs_results_new("coordinator-effect");
    rs_reform_effect_records(r, res);
    ok(rs_results_count(res) > 20, "records written (%zu)", rs_results_count(res));
    rs_results_free(res);
    rs_reform_effect_free(r);

    /* --- a row subset: rows with year != 2020 (as the county report passes rows) --- */
    GArray *rows = g_array_new(FALSE, FALSE, sizeof(size_t));
    int yc = rs_table_find(t, "year");
    for (size_t i = 0; i < t->nrows; i++)
      if (t->cols[yc].num[i] != 2020) g_array_append_val(rows, i);
    o.rows = (const size_t *)rows->data;
    o.nrows = rows->len;
    o.indexes = "collaboration";
    o.lower_better = NULL;
    o.lang = "en";
    r = rs_reform_effect_fit(t, cb, &o, &err);
    if (ok(r != NULL, "fit on a row subset")) {
      c = &r->idx[0];
      ok_close(c->bk_vs_k.estimate, -0.14390513223505447, TOL, "subset: bk - k (post rows unchanged)");
      ok_close(c->bk_vs_k.se, 0.17202090710052406, TOL, "subset: bk - k se");
      ok_close(c->did_effect.estimate, 0.17878247460613517, TOL, "subset: DiD");
      ok_close(c->did_effect.se, 0.17735335516167194, TOL, "subset: DiD se");
      ok(c->n_events == 4 && c->pretrend_q == 1, "subset: four events, pre-trend on one coefficient");
      ok_close(event(c, 2019)->estimate, 0.30685984059709326, TOL, "subset: ev_2019");
      ok_close(event(c, 2019)->se, 0.22554777396318762, TOL, "subset: se ev_2019");
      ok_close(c->pretrend_F, 1.8509855134745323, TOL, "subset: pre-trend F");
      ok(c->pretrend_df2 == 563, "subset: pre-trend df2 = 563");
      ok_close(c->pretrend_p_F, 0.17421324123977711, TOL, "subset: pre-trend p");
      s = rs_reform_effect_summary(r);
      ok(strstr(s, "no advantage") != NULL, "English summary: %s", s);
      g_free(s);
      rs_reform_effect_free(r);
    } else {
      diag("%s", err->message);
      g_clear_error(&err);
    }

    g_array_free(rows, TRUE);
  }
  rs_reform_effect_options o;
  rs_reform_effect_options_init(&o);
  o.indexes = "collaboration";
  o.lang = "en";
  rs_reform_effect *r;
  GArray *rows = g_array_new(FALSE, FALSE, sizeof(size_t));
  /* --- only post rows: no pre-period, so no DiD (and a note why) --- */
  g_array_set_size(rows, 0);
  int pc = rs_table_find(t, "post");
  for (size_t i = 0; i < t->nrows; i++)
    if (t->cols[pc].num[i] == 1) g_array_append_val(rows, i);
  o.rows = (const size_t *)rows->data;
  o.nrows = rows->len;
  r = rs_reform_effect_fit(t, cb, &o, &err);
  if (ok(r != NULL, "fit on post rows only")) {
    ok(!r->idx[0].did && r->idx[0].did_skipped && strstr(r->idx[0].did_skipped, "no survey wave before"),
       "DiD skipped: %s", r->idx[0].did_skipped ? r->idx[0].did_skipped : "(null)");
    ok_close(r->idx[0].bk_vs_k.estimate, -0.14390513223505447, TOL, "post rows only: same bk - k");
    rs_reform_effect_free(r);
  } else {
    g_clear_error(&err);
  }

  /* --- errors: no post rows, too few clusters, unknown covariate --- */
  g_array_set_size(rows, 0);
  for (size_t i = 0; i < t->nrows; i++)
    if (t->cols[pc].num[i] == 0) g_array_append_val(rows, i);
  o.rows = (const size_t *)rows->data;
  o.nrows = rows->len;
  r = rs_reform_effect_fit(t, cb, &o, &err);
  ok(r == NULL && err && strstr(err->message, "no row after the reform"), "pre rows only: error '%s'",
     err ? err->message : "");
  g_clear_error(&err);
  o.rows = NULL;
  o.min_clusters = 1000;
  r = rs_reform_effect_fit(t, cb, &o, &err);
  ok(r == NULL && err && strstr(err->message, "cluster-robust standard errors need at least 1000"),
     "too few clusters: error '%s'", err ? err->message : "");
  g_clear_error(&err);
  o.min_clusters = 0;
  o.covariates = "child_age,diagnose";
  r = rs_reform_effect_fit(t, cb, &o, &err);
  ok(r == NULL && err && strstr(err->message, "no column 'diagnose' (--covariates)"), "unknown covariate: '%s'",
     err ? err->message : "");
  g_clear_error(&err);

  g_array_free(rows, TRUE);
  rs_table_free(t);
  rs_codebook_free(cb);
  g_free(path);
  g_free(cbpath);
  return done();
}
