/* test-reform.c — outcome indexes (reform-index.h) and before/after
 * comparisons (reform-outcomes.h) on tests/data/reform/family.csv, a fixed
 * 150-row extract of the bundled sample (14 kommuner, codes 8 = missing).
 *
 * Every expected value comes from R 4.2.2 (survey 4.1.1, psych); the R call
 * is beside it, and tests/data/reform/expected.R prints them all.  In R:
 *   d <- read.csv("family.csv", colClasses = c(kommune = "character", fylke = "character"))
 *   items set to NA where 8; rv <- function(x) 6 - x
 *   C <- cbind(collab_1, collab_2, rv(collab_3)); I <- cbind(info_1, info_2, rv(info_3))
 *   idx <- function(m) ifelse(rowSums(!is.na(m)) >= 2, rowMeans(m, na.rm = TRUE), NA)
 *   d$collaboration <- idx(C); d$information <- idx(I)
 *   des <- svydesign(ids = ~kommune, weights = ~weight, data = d)
 * Tolerance 1e-10 relative throughout (same methods as R). */
#include "analysis/reform-index.h"
#include "analysis/plotdata.h"
#include "analysis/reform-outcomes.h"
#include "datasets/codebook.h"
#include "datasets/load.h"
#include "tests/tap.h"

#include <glib.h>

#define TOL 1e-10

static rs_table *T;
static rs_codebook *CB;

static void load(void) {
  const char *top = getenv("top_srcdir");
  char *path = g_build_filename(top ? top : ".", "tests", "data", "reform", "family.csv", NULL);
  char *cbp = g_build_filename(top ? top : ".", "tests", "data", "reform", "family-codebook.csv", NULL);
  rs_load_options o;
  rs_load_options_init(&o);
  o.quiet = true;
  GError *e = NULL;
  CB = rs_codebook_load(cbp, &o.read, &e);
  ok(CB != NULL, "load the codebook (%s)", e ? e->message : "ok");
  g_clear_error(&e);
  o.codebook = CB;
  T = CB ? rs_load_table(path, &o, NULL, &e) : NULL;
  ok(T != NULL && T->nrows == 150, "load family.csv: 150 rows (%s)", e ? e->message : "ok");
  g_clear_error(&e);
  g_free(path);
  g_free(cbp);
}

static void test_indexes(void) {
  GError *e = NULL;
  rs_reform_index_options o = {0};
  rs_reform_indexes *x = rs_reform_indexes_new(T, CB, &o, &e);
  ok(x != NULL, "indexes build (%s)", e ? e->message : "ok");
  g_clear_error(&e);
  if (!x) return;
  ok(x->n == 2 && strcmp(x->index[0].name, "collaboration") == 0 && strcmp(x->index[1].name, "information") == 0,
     "two indexes in codebook order");
  ok(x->wave_column && strcmp(x->wave_column, "year") == 0, "waves by year (the default, since the file has it)");
  const rs_reform_index *c = &x->index[0];
  ok(c->k == 3 && c->reverse[2] && !c->reverse[0] && c->min_items == 2, "collaboration: 3 items, collab_3 reversed, 2 needed");
  ok(c->n == 149, "sum(!is.na(collaboration)) = 149 (R)");
  ok_close(c->value[0], 3.5, TOL, "collaboration[1] (R: mean of 4, 3 and rv(2))");
  ok_close(c->mean, 2.8366890380313201, TOL, "mean(collaboration, na.rm = TRUE) (R)");
  ok_close(c->sd, 1.0518591075228292, TOL, "sd(collaboration, na.rm = TRUE) (R)");
  ok_close(c->alpha, 0.76574309185395273, TOL, "psych::alpha(C)$total$raw_alpha (R)");
  ok_close(x->index[1].alpha, 0.76174465474960107, TOL, "psych::alpha(I)$total$raw_alpha (R)");
  /* alpha(C[d$year == y, ])$total$raw_alpha */
  static const double wave_alpha[] = {0.73472997723441158, 0.73802421297612009, 0.76110321541318315,
                                      0.80888723494744519, 0.88159496964350459, 0.47393364928909953};
  static const double years[] = {2019, 2020, 2021, 2023, 2024, 2025};
  ok(c->n_waves == 6, "six waves");
  for (size_t w = 0; w < 6 && w < c->n_waves; w++) {
    ok(c->wave[w] == years[w], "wave %zu is %g", w, years[w]);
    ok_close(c->wave_alpha[w], wave_alpha[w], TOL, "psych::alpha(C[year == y, ])$total$raw_alpha (R)");
  }
  ok_close(c->top2, 0.22147651006711411, TOL, "mean(collaboration >= 4, na.rm = TRUE) (R)");
  ok_close(c->item_top2[2], 0.2978723404255319, TOL, "mean(rv(collab_3) >= 4, na.rm = TRUE) (R): top-2 after reversing");
  ok_close(x->index[1].item_top2[1], 0.51063829787234039, TOL, "mean(info_2 >= 4, na.rm = TRUE) (R)");
  rs_reform_indexes_free(x);
  /* min_share 1: only complete rows, which is alpha's complete count */
  o.min_share = 1;
  x = rs_reform_indexes_new(T, CB, &o, NULL);
  ok(x && x->index[0].min_items == 3 && x->index[0].n == x->index[0].alpha_n_complete && x->index[0].n < 149,
     "min-share 1: the index needs all 3 items (n = complete rows)");
  rs_reform_indexes_free(x);
  o.min_share = 1.5;
  x = rs_reform_indexes_new(T, CB, &o, &e);
  ok(x == NULL && e, "min-share above 1 is refused");
  g_clear_error(&e);
  /* --data-out: the columns */
  o.min_share = 0;
  x = rs_reform_indexes_new(T, CB, &o, NULL);
  size_t before = T->ncols;
  ok(x && rs_reform_indexes_add_columns(x, T, NULL) && T->ncols == before + 2, "two index columns added");
  int j = rs_table_find(T, "collaboration");
  ok(j >= 0 && T->cols[j].num[0] == 3.5 && rs_column_present(&T->cols[j], 0), "the added column holds the index");
  ok(x && !rs_reform_indexes_add_columns(x, T, &e) && e, "adding them twice is refused (column exists)");
  g_clear_error(&e);
  rs_reform_indexes_free(x);
}

static const rs_reform_outcome *find(const rs_reform_outcomes *x, const char *name, const char *cat, const char *by,
                                     const char *code) {
  const rs_reform_outcome *r = rs_reform_outcomes_find(x, name, cat, by, code);
  if (!r) diag("no row %s %s %s %s", name, cat ? cat : "", by ? by : "", code ? code : "");
  return r;
}

static void test_welch(void) {
  GError *e = NULL;
  rs_reform_outcomes_options o = {0};
  o.adjust = RS_PADJUST_BH;
  rs_reform_outcomes *x = rs_reform_outcomes_new(T, CB, &o, &e);
  ok(x != NULL, "outcomes (Welch) run (%s)", e ? e->message : "ok");
  g_clear_error(&e);
  if (!x) return;
  ok(x->n == 8 && !x->design, "2 indexes + 6 items, overall only, not design-based");
  ok(x->rows_pre == 88 && x->rows_post == 62, "88 rows before, 62 after (post column)");
  const rs_reform_outcome *r = find(x, "collaboration", NULL, NULL, NULL);
  if (r) {
    /* t.test(collaboration[post == 1], collaboration[post == 0]) */
    ok_close(r->estimate, 0.0080645161290320289, TOL, "Welch difference (R)");
    ok_close(r->statistic, 0.045454841196254897, TOL, "Welch t (R)");
    ok_close(r->df, 125.98443028542935, TOL, "Welch df (R)");
    ok_close(r->p_value, 0.96381673976678761, TOL, "Welch p (R)");
    ok_close(r->ci_low, -0.34304130761421925, TOL, "Welch conf.int[1] (R)");
    ok_close(r->ci_high, 0.35917033987228331, TOL, "Welch conf.int[2] (R)");
    ok_close(r->pre.ci_low, 2.6148337170436018, TOL, "t.test(collaboration[post == 0])$conf.int[1] (R)");
    ok(r->pre.n == 87 && r->post.n == 62, "n before 87, after 62");
    /* p.adjust(c(0.9638…, 0.5397…), "BH") */
    ok_close(r->p_adjusted, 0.96381673976678761, TOL, "BH within the indexes (R p.adjust)");
  }
  r = find(x, "info_3", NULL, NULL, NULL);
  if (r) {
    ok_close(r->estimate, -0.23276213790289679, TOL, "info_3 Welch difference, raw answers (R)");
    ok_close(r->p_value, 0.2767004917897119, TOL, "info_3 Welch p (R)");
    /* p.adjust(pw, "BH") over the six items' Welch p-values */
    ok_close(r->p_adjusted, 0.89192262353023022, TOL, "info_3 BH across the 6 items (R p.adjust)");
  }
  r = find(x, "collab_2", NULL, NULL, NULL);
  if (r) ok_close(r->p_value, 0.32955071331687025, TOL, "collab_2 Welch p (R)");
  rs_reform_outcomes_free(x);
  /* a category outcome: shares with Wilson intervals, prop.test without correction */
  const char *vars[] = {"coordinator_type", NULL};
  o.vars = vars;
  x = rs_reform_outcomes_new(T, CB, &o, &e);
  ok(x && x->n == 3, "coordinator_type: one share per category (%s)", e ? e->message : "3");
  g_clear_error(&e);
  r = x ? find(x, "coordinator_type", "Koordinator", NULL, NULL) : NULL;
  if (r) {
    ok(r->is_share, "a share");
    /* prop.test(c(x1, x0), c(n1, n0), correct = FALSE) */
    ok_close(r->estimate, -0.13013196480938416, TOL, "difference of shares (R prop.test)");
    ok_close(r->statistic, 2.6524505745836198, TOL, "X-squared (R prop.test)");
    ok_close(r->p_value, 0.1033904006606513, TOL, "p (R prop.test)");
    ok_close(r->ci_low, -0.28311160733739626, TOL, "conf.int[1] (R prop.test)");
    ok_close(r->ci_high, 0.022847677718627973, TOL, "conf.int[2] (R prop.test)");
    ok_close(r->pre.ci_low, 0.32277092325066287, TOL, "Wilson interval before, prop.test(x0, n0, correct = FALSE)$conf.int[1] (R)");
  }
  rs_reform_outcomes_free(x);
}

static void test_design(void) {
  GError *e = NULL;
  rs_reform_outcomes_options o = {0};
  const char *by[] = {"coordinator_type", NULL};
  o.by = by;
  o.weight = "weight";
  o.cluster = "kommune";
  o.adjust = RS_PADJUST_BH;
  rs_reform_outcomes *x = rs_reform_outcomes_new(T, CB, &o, &e);
  ok(x != NULL && x->design, "outcomes (design-based) run (%s)", e ? e->message : "ok");
  g_clear_error(&e);
  if (!x) return;
  const rs_reform_outcome *r = find(x, "collaboration", NULL, NULL, NULL);
  if (r) {
    /* svyby(~collaboration, ~post, des, svymean, na.rm = TRUE) */
    ok_close(r->pre.estimate, 2.7716885403575469, TOL, "svyby mean before (R)");
    ok_close(r->post.estimate, 2.8047593024020179, TOL, "svyby mean after (R)");
    ok_close(r->pre.se, 0.082784772561022235, TOL, "svyby SE before (R)");
    ok_close(r->post.se, 0.138976433627142459, TOL, "svyby SE after (R)");
    /* svyttest(collaboration ~ post, des) */
    ok_close(r->estimate, 0.033070762044470882, TOL, "svyttest difference (R)");
    ok_close(r->statistic, 0.1878405131029246, TOL, "svyttest t (R)");
    ok(r->df == 12, "svyttest df = degf(des) - 1 = 12 (R)");
    ok_close(r->p_value, 0.85414054062186562, TOL, "svyttest p (R)");
    ok_close(r->ci_low, -0.35052593623479572, TOL, "svyttest conf.int[1] (R)");
    ok_close(r->ci_high, 0.41666746032373753, TOL, "svyttest conf.int[2] (R)");
  }
  r = find(x, "collab_3", NULL, NULL, NULL);
  if (r) {
    ok_close(r->pre.estimate, 3.3289248186680975, TOL, "svyby(~collab_3, ~post, des, svymean, na.rm = TRUE) before (R)");
    ok_close(r->post.se, 0.13442201769979809, TOL, "svyby collab_3 SE after (R)");
    ok_close(r->estimate, 0.073664500162210669, TOL, "svyttest(collab_3 ~ post, des) difference (R)");
    ok_close(r->p_value, 0.72071139246423765, TOL, "svyttest(collab_3 ~ post, des) p (R)");
    ok_close(r->ci_low, -0.36482260078485079, TOL, "svyttest(collab_3 ~ post, des) conf.int[1] (R)");
    /* p.adjust(pd, "BH") over the six items' svyttest p-values */
    ok_close(r->p_adjusted, 0.87665657115423345, TOL, "collab_3 BH across the 6 items (R)");
  }
  r = find(x, "collab_2", NULL, NULL, NULL);
  if (r) ok_close(r->p_adjusted, 0.85748459438810731, TOL, "collab_2 BH across the 6 items (R)");
  /* a domain: dk <- subset(des, coordinator_type == 1) */
  r = find(x, "collaboration", NULL, "coordinator_type", "1");
  if (r) {
    ok(r->group && strcmp(r->group, "Koordinator") == 0, "group labelled from the codebook's value labels");
    ok_close(r->pre.estimate, 3.0104939443965582, TOL, "svyby(~collaboration, ~post, dk, svymean) before (R)");
    ok_close(r->post.se, 0.27980953939776465, TOL, "svyby(…, dk, …) SE after (R)");
    ok_close(r->estimate, 0.3190585642443895, TOL, "svyttest(collaboration ~ post, dk) difference (R)");
    ok(r->df == 11, "svyttest(…, dk) df = 11: PSUs left in the domain (R)");
    ok_close(r->statistic, 0.8502689493273442, TOL, "svyttest(…, dk) t (R)");
    ok_close(r->p_value, 0.41330027544475534, TOL, "svyttest(…, dk) p (R)");
    ok_close(r->ci_low, -0.50684853921692952, TOL, "svyttest(…, dk) conf.int[1] (R)");
    ok_close(r->ci_high, 1.1449656677057085, TOL, "svyttest(…, dk) conf.int[2] (R)");
  }
  r = find(x, "collaboration", NULL, "coordinator_type", "2");
  ok(r && r->pre.n == 0 && isnan(r->estimate) && r->problem, "barnekoordinator: no rows before, no difference, a note");
  rs_reform_outcomes_free(x);

  /* fylke 03 is one kommune, one cluster: R's svyby gives an SE of ~1e-17 there; we give none */
  const char *byf[] = {"fylke", NULL};
  o.by = byf;
  x = rs_reform_outcomes_new(T, CB, &o, NULL);
  r = x ? find(x, "collaboration", NULL, "fylke", "03") : NULL;
  ok(r && r->pre.n > 0 && !isnan(r->pre.estimate) && isnan(r->pre.se) && isnan(r->pre.ci_low) && isnan(r->p_value) &&
     r->problem, "a group in one cluster: means without SE or CI, no test, a note");
  r = x ? find(x, "collaboration", NULL, "fylke", "42") : NULL;
  ok(r && !isnan(r->pre.se), "a fylke of two kommuner keeps its SE");
  rs_reform_outcomes_free(x);

  /* a share, design-based: desk <- update(des, k1 = as.numeric(coordinator_type == 1)) */
  const char *vars[] = {"coordinator_type", NULL};
  o.by = NULL;
  o.vars = vars;
  x = rs_reform_outcomes_new(T, CB, &o, NULL);
  r = x ? find(x, "coordinator_type", "Koordinator", NULL, NULL) : NULL;
  if (r) {
    ok_close(r->pre.estimate, 0.41206436123973883, TOL, "svyby(~k1, ~post, desk, svymean) before (R)");
    ok_close(r->post.se, 0.038447506368726306, TOL, "svyby(~k1, …) SE after (R)");
    ok_close(r->estimate, -0.11501978257612944, TOL, "svyttest(k1 ~ post, desk) difference (R)");
    ok_close(r->p_value, 0.066081243996491415, TOL, "svyttest(k1 ~ post, desk) p (R)");
  } else {
    ok(0, "design-based share");
  }
  rs_reform_outcomes_free(x);

  /* a row subset: svydesign(ids = ~kommune, weights = ~weight, data = d[1:100, ]) */
  size_t rows[100];
  for (size_t i = 0; i < 100; i++) rows[i] = i;
  rs_reform_outcomes_options s = {0};
  s.weight = "weight";
  s.cluster = "kommune";
  s.indexes_only = true;
  s.rows = rows;
  s.nrows = 100;
  x = rs_reform_outcomes_new(T, CB, &s, &e);
  ok(x && x->n == 2, "row subset, indexes only: 2 rows (%s)", e ? e->message : "ok");
  g_clear_error(&e);
  r = x ? find(x, "information", NULL, NULL, NULL) : NULL;
  if (r) {
    ok_close(r->pre.estimate, 3.1251364082247934, TOL, "svyby(~information, ~post, d100, svymean) before (R)");
    ok_close(r->post.se, 0.29069240482092229, TOL, "svyby(…, d100, …) SE after (R)");
    ok_close(r->estimate, 0.10354654232820454, TOL, "svyttest(information ~ post, d100) difference (R)");
    ok(r->df == 12, "svyttest(…, d100) df 12 (R)");
    ok_close(r->p_value, 0.76739641847006057, TOL, "svyttest(…, d100) p (R)");
    ok_close(r->ci_low, -0.64208852737156308, TOL, "svyttest(…, d100) conf.int[1] (R)");
    ok_close(r->ci_high, 0.84918161202797204, TOL, "svyttest(…, d100) conf.int[2] (R)");
  } else {
    ok(0, "row subset");
  }
  rs_reform_outcomes_free(x);

  /* clusters without weights: dc <- svydesign(ids = ~kommune, data = d) */
  rs_reform_outcomes_options c = {0};
  c.cluster = "kommune";
  c.indexes_only = true;
  x = rs_reform_outcomes_new(T, CB, &c, NULL);
  r = x ? find(x, "collaboration", NULL, NULL, NULL) : NULL;
  if (r) {
    ok_close(r->estimate, 0.0080645161290328962, TOL, "svyttest(collaboration ~ post, dc) difference (R)");
    ok_close(r->p_value, 0.96107149486366006, TOL, "svyttest(collaboration ~ post, dc) p (R)");
    ok_close(r->ci_low, -0.34449986824399115, TOL, "svyttest(collaboration ~ post, dc) conf.int[1] (R)");
  } else {
    ok(0, "clusters without weights");
  }
  rs_reform_outcomes_free(x);
}

/* --likert-out with --weight: each category's share of the summed weights */
static void test_likert(void) {
  const char *items[] = {"collab_1", NULL};
  GError *e = NULL;
  rs_plotdata_likert *d = rs_plotdata_likert_weighted(T, NULL, T->nrows, items, "weight", false, "nb", &e);
  ok(d != NULL && d->n_cats == 5, "weighted Likert distribution (%s)", e ? e->message : "5 categories");
  g_clear_error(&e);
  if (d) ok_close(d->percent[0], 16.435016779704771, TOL, "100 * prop.table(svytable(~collab_1, des))[1] (R)");
  rs_plotdata_likert_free(d);
  size_t rows[150], m = 0;
  int j = rs_table_find(T, "post");
  for (size_t i = 0; i < T->nrows; i++)
    if (T->cols[j].num[i] == 1) rows[m++] = i;
  d = rs_plotdata_likert_weighted(T, rows, m, items, "weight", false, "nb", NULL);
  if (d) ok_close(d->percent[4], 6.5105480973049357, TOL, "100 * prop.table(svytable(~collab_1, subset(des, post == 1)))[5] (R)");
  else ok(0, "weighted Likert distribution after the reform");
  rs_plotdata_likert_free(d);
  /* every row set in one pass: the same numbers as one call per set (sets: post 0/1, and post 1 of odd rows) */
  int *dom = g_new(int, 2 * T->nrows);
  for (size_t i = 0; i < T->nrows; i++) {
    dom[2 * i] = T->cols[j].num[i] == 1;
    dom[2 * i + 1] = T->cols[j].num[i] == 1 && i % 2 ? 2 : -1;
  }
  const char *weights[] = {"weight", NULL};
  for (int wi = 0; wi < 2; wi++) {
    rs_plotdata_likert *all[3];
    gboolean one = rs_plotdata_likert_domains(T, NULL, T->nrows, dom, 2, 3, "collab_1", weights[wi], "nb", all);
    bool same = one;
    for (int set = 0; set < 3 && same; set++) {
      size_t sel[150], ns = 0;
      for (size_t i = 0; i < T->nrows; i++)
        if (dom[2 * i] == set || dom[2 * i + 1] == set) sel[ns++] = i;
      rs_plotdata_likert *one_set = rs_plotdata_likert_weighted(T, sel, ns, items, weights[wi], false, "nb", NULL);
      same = one_set && all[set] && one_set->n_cats == all[set]->n_cats && one_set->n[0] == all[set]->n[0] &&
             memcmp(one_set->percent, all[set]->percent, one_set->n_cats * sizeof(double)) == 0 &&
             strcmp(one_set->items[0], all[set]->items[0]) == 0 && strcmp(one_set->cats[0], all[set]->cats[0]) == 0;
      rs_plotdata_likert_free(one_set);
    }
    ok(same, "rs_plotdata_likert_domains (%s): each set as rs_plotdata_likert_weighted, bit for bit",
       weights[wi] ? "weighted" : "unweighted");
    for (int set = 0; set < 3; set++) rs_plotdata_likert_free(all[set]);
  }
  g_free(dom);
  rs_results *r = rs_results_new("outcomes");
  rs_reform_outcomes_options o = {0};
  o.weight = "weight";
  gboolean ran = rs_reform_outcomes_likert(T, CB, &o, r, &e);
  size_t nrec = rs_results_count(r);
  ok(ran && nrec == 6 * 5 * 2, "--likert-out: 6 items x 5 categories x 2 periods overall (%zu records)", nrec);
  g_clear_error(&e);
  rs_results_free(r);
}

static void test_bad(void) {
  GError *e = NULL;
  rs_reform_outcomes_options o = {0};
  const char *by[] = {"nosuch", NULL};
  o.by = by;
  rs_reform_outcomes *x = rs_reform_outcomes_new(T, CB, &o, &e);
  ok(!x && e && strstr(e->message, "--by 'nosuch' is not a column"), "unknown --by column: %s", e ? e->message : "");
  g_clear_error(&e);
  rs_reform_outcomes_options d = {0};
  d.date_column = "response_date";
  d.break_day = 25000;   /* 2038-06-13 */
  x = rs_reform_outcomes_new(T, CB, &d, &e);
  ok(!x && e && strstr(e->message, "outside the dates"), "break after every date: %s", e ? e->message : "");
  g_clear_error(&e);
  d.break_day = 19205;   /* 2022-08-01 via the date: same split as post */
  x = rs_reform_outcomes_new(T, CB, &d, &e);
  ok(x && x->rows_pre == 88 && x->rows_post == 62, "the date column with the 2022-08-01 break splits as post does");
  rs_reform_outcomes_free(x);
  g_clear_error(&e);
  d.date_column = "nosuch";
  x = rs_reform_outcomes_new(T, CB, &d, &e);
  ok(!x && e && strstr(e->message, "--date-column 'nosuch'"), "unknown date column: %s", e ? e->message : "");
  g_clear_error(&e);
}

int main(void) {
  load();
  if (T) {
    test_welch();
    test_design();
    test_likert();
    test_bad();
    test_indexes();   /* last: it adds columns to T */
  }
  rs_table_free(T);
  rs_codebook_free(CB);
  return done();
}
