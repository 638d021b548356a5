/* test-chartdata.c — the analysis behind the scatter, its and tilemap
 * charts: analysis/linefit.h, analysis/its.h, analysis/bygroup.h, on the
 * bundled sample (datasets/sample, made by `reformstat simulate --seed
 * 20220801`).
 *
 * Expected values: R 4.2.2 with sandwich 3.0.2, options(digits = 17), data
 * read with read.csv(…, colClasses = c(kommune = "character", fylke =
 * "character"), na.strings = c("", ".", "..", "...", ":")), '-' as 0:
 *  - linefit: f <- lm(families ~ earmarked_hours, data = coordinators);
 *    coef(f); sqrt(diag(vcov(f)));
 *    predict(f, data.frame(earmarked_hours = c(0, 10)), interval = "confidence")
 *  - its: rows with both children_ip and children_0_17 present,
 *    a <- aggregate(cbind(num = children_ip, den = children_0_17) ~ period, sum);
 *    rate = num/den*1000; t = (date - 2022-08-01)/365.25; post = date >= break;
 *    f <- lm(rate ~ t + post + I(post*t)); NeweyWest(f, lag = 3,
 *    prewhite = FALSE, adjust = FALSE)  (lag = floor(4 (81/100)^(2/9)) = 3)
 *  - bygroup: aggregate(families ~ fylke, coordinators, mean);
 *    sd(x)/sqrt(length(x)) for fylke 03.
 *  - scatter groups: coef(lm(families ~ earmarked_hours, subset = fylke == "03")).
 * Hand calculations: square-bin counts of three points; the grid step of
 * earmarked_hours (values 0, 1, 1.5, 2, … in half hours: 0.5) and families
 * (whole numbers: 1); every point lands in some hexagon.
 */
#include "analysis/bygroup.h"
#include "analysis/chartdata.h"
#include "analysis/its.h"
#include "analysis/linefit.h"
#include "datasets/codebook.h"
#include "datasets/load.h"
#include "tests/tap.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
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
  *cbo = cb;  /* the table's columns point into it: freed after the table */
  g_free(data);
  g_free(cbp);
  return t;
}

static void test_linefit(void) {
  rs_codebook *cb = NULL;
  rs_table *t = load_sample("coordinators", &cb);
  if (!t) { ok(0, "coordinators sample loads"); return; }
  const rs_column *x = &t->cols[rs_table_find(t, "earmarked_hours")], *y = &t->cols[rs_table_find(t, "families")];
  rs_linefit f;
  GError *err = NULL;
  ok(rs_linefit_fit(x->num, y->num, t->nrows, 0.95, &f, &err), "linefit fits families ~ earmarked_hours");
  ok(f.n == 300 && f.slope_ok, "300 points, slope estimable");
  ok_close(f.intercept, 2.72760050244015817, 1e-12, "intercept (lm)");
  ok_close(f.slope, 0.37275068710999065, 1e-12, "slope (lm)");
  ok_close(f.se_intercept, 0.227864012137314637, 1e-10, "SE intercept (vcov lm)");
  ok_close(f.se_slope, 0.031695198768651317, 1e-10, "SE slope (vcov lm)");
  double fit, lo, hi;
  rs_linefit_predict(&f, 10, &fit, &lo, &hi);
  ok_close(fit, 6.4551073735400646, 1e-12, "predict at 10: fit");
  ok_close(lo, 5.9359146630963080, 1e-10, "predict at 10: lwr");
  ok_close(hi, 6.9743000839838212, 1e-10, "predict at 10: upr");
  rs_linefit_predict(&f, 0, &fit, &lo, &hi);
  ok_close(lo, 2.2791740371580596, 1e-10, "predict at 0: lwr");
  double cx[4] = {2, 2, 2, 2}, cy[4] = {1, 2, 3, 6};
  ok(rs_linefit_fit(cx, cy, 4, 0, &f, NULL) && !f.slope_ok && close_enough(f.intercept, 3, 1e-14),
     "constant x: slope not estimable, the mean 3 is fitted");
  double bad[3] = {1, INFINITY, 2};
  gboolean fitted = rs_linefit_fit(bad, cy, 3, 0, &f, &err);
  ok(!fitted && err, "an infinite value is refused: %s", err ? err->message : "");
  g_clear_error(&err);
  ok(!rs_linefit_fit(cx, cy, 2, 0, &f, &err) && err, "two points are refused");
  g_clear_error(&err);

  rs_bygroup *b = rs_bygroup_compute(t, "fylke", "families", NULL, 0, NULL, 0, &err);
  ok(b && b->groups->len == 15, "bygroup: 15 fylker in the coordinator sample");
  const rs_group_value *g = b ? rs_bygroup_find(b, "03") : NULL;
  ok(g && close_enough(g->value, 4.75, 1e-14), "bygroup: mean families in fylke 03 = 4.75 (R aggregate)");
  ok(g && close_enough(g->se, 1.2914190481384178, 1e-12), "bygroup: SE in fylke 03 (R sd/sqrt(n))");
  g = b ? rs_bygroup_find(b, "15") : NULL;
  ok(g && close_enough(g->value, 3.8823529411764706, 1e-14), "bygroup: mean in fylke 15 (R aggregate)");
  rs_bygroup_free(b);
  b = rs_bygroup_compute(t, "fylke", "no_such", NULL, 0, NULL, 0, &err);
  ok(!b && err && strstr(err->message, "no_such"), "bygroup: a missing variable is named: %s", err ? err->message : "");
  g_clear_error(&err);
  rs_table_free(t);
  rs_codebook_free(cb);
}

static void test_its(void) {
  rs_codebook *cb = NULL;
  rs_table *t = load_sample("registry", &cb);
  if (!t) { ok(0, "registry sample loads"); return; }
  GError *err = NULL;
  rs_its_options o = {.numerator = "children_ip", .denominator = "children_0_17", .lag = -1};
  rs_its *its = rs_its_fit(t, &o, &err);
  ok(its != NULL, "its: fits the national series %s", err ? err->message : "");
  if (its) {
    ok(its->n == 81 && its->rows_used == 15923, "its: 81 months, 15923 kommune-months used (R: %zu, %zu)", its->n,
       its->rows_used);
    ok(its->lag == 3, "its: automatic Newey-West lag 3");
    ok_close(its->value[0], 3.6403530643793944, 1e-13, "its: rate per 1000 in 2019-01 (sum/sum)");
    ok_close(its->coef[RS_ITS_B0], 3.05058136246539746, 1e-10, "its: level at break");
    ok_close(its->coef[RS_ITS_TREND], -0.17440491315019355, 1e-10, "its: trend before");
    ok_close(its->coef[RS_ITS_LEVEL], 0.37430943599251487, 1e-10, "its: level change");
    ok_close(its->coef[RS_ITS_SLOPE], 0.23005077072740587, 1e-10, "its: trend change");
    ok_close(its->se[RS_ITS_B0], 0.0140920034019058216, 1e-8, "its: NW SE level");
    ok_close(its->se[RS_ITS_TREND], 0.0062748965448072343, 1e-8, "its: NW SE trend");
    ok_close(its->se[RS_ITS_LEVEL], 0.0208981888370591215, 1e-8, "its: NW SE level change");
    ok_close(its->se[RS_ITS_SLOPE], 0.0125836958586024224, 1e-8, "its: NW SE trend change");
    size_t last = its->n - 1;
    ok(close_enough(its->counterfactual[0], its->fitted[0], 1e-12) &&
       !close_enough(its->counterfactual[last], its->fitted[last], 1e-6),
       "its: counterfactual equals the fit before the break, departs after");
    rs_its_free(its);
  }
  rs_its_options f = o;
  f.filter_column = "fylke";
  f.filter_value = "3";  /* normalised to 03 */
  its = rs_its_fit(t, &f, &err);
  ok(its && its->rows_filtered_out > 0 && its->n > 60, "its: fylke 3 = 03 (Oslo) has its own series %s",
     err ? err->message : "");
  rs_its_free(its);
  g_clear_error(&err);
  f.filter_value = "77";
  its = rs_its_fit(t, &f, &err);
  ok(!its && err && strstr(err->message, "no row"), "its: an unknown fylke is an error: %s", err ? err->message : "");
  g_clear_error(&err);
  rs_its_options bad = o;
  bad.date = "year";
  its = rs_its_fit(t, &bad, &err);
  ok(!its && err && strstr(err->message, "not a date"), "its: a non-date period column is refused");
  g_clear_error(&err);
  bad = o;
  bad.break_day = 30000;  /* 2052: no period after it */
  its = rs_its_fit(t, &bad, &err);
  ok(!its && err && strstr(err->message, "outside the series"), "its: a break outside the series is refused: %s",
     err ? err->message : "");
  g_clear_error(&err);
  rs_table_free(t);
  rs_codebook_free(cb);
}

static void test_scatter_data(void) {
  rs_codebook *cb = NULL;
  rs_table *t = load_sample("coordinators", &cb);
  if (!t) { ok(0, "coordinators sample loads"); return; }
  GError *err = NULL;
  rs_chartdata_scatter *d = rs_chartdata_scatter_new(t, "earmarked_hours", "families", "fylke", NULL, 0, "nb", &err);
  ok(d && d->n == 300 && d->n_groups == 15, "scatter data: 300 points in 15 fylker");
  if (d) {
    ok(d->x_step == 0.5 && d->y_step == 1, "scatter data: grid steps 0.5 (hours) and 1 (families): %g, %g", d->x_step,
       d->y_step);
    ok(strcmp(d->group_labels[0], "03") == 0 && d->group_has_fit[0] && d->group_n[0] == 20,
       "scatter data: first group is fylke 03 with 20 points and its own line");
    ok_close(d->group_fit[0].slope, 0.76271838682367399, 1e-11, "scatter data: slope within fylke 03 (R lm subset)");
    ok(d->has_fit && close_enough(d->fit.slope, 0.37275068710999065, 1e-12), "scatter data: the overall line");
  }
  rs_chartdata_scatter_free(d);
  d = rs_chartdata_scatter_new(t, "earmarked_hours", "families", "kommune", NULL, 0, "nb", &err);
  ok(!d && err && strstr(err->message, "more than 30"), "scatter data: 132 kommuner are too many groups");
  g_clear_error(&err);
  d = rs_chartdata_scatter_new(t, "earmarked_hours", "kommune", NULL, NULL, 0, "nb", &err);
  ok(!d && err && strstr(err->message, "not numeric"), "scatter data: a text column as y is refused");
  g_clear_error(&err);
  rs_table_free(t);
  rs_codebook_free(cb);

  double bx[3] = {0.1, 0.2, 1.5}, by[3] = {0.1, 0.1, 0.5};
  rs_hexbin *h = rs_squarebin_new(bx, by, 3, 0, 1, 2, 0, 1, 1);
  ok(h->count[0] == 2 && h->count[1] == 1 && h->max_count == 2, "square bins: counts 2 and 1 (hand count)");
  rs_hexbin_free(h);
  enum { N = 2000 };
  double hx[N], hy[N];
  for (int i = 0; i < N; i++) {  /* a deterministic spread over the unit square, edges included */
    hx[i] = fmod(i * 0.6180339887498949, 1.0);
    hy[i] = fmod(i * 0.7548776662466927, 1.0);
  }
  hx[0] = 0; hy[0] = 0; hx[1] = 1; hy[1] = 1; hx[2] = 1; hy[2] = 0;
  h = rs_hexbin_new(hx, hy, N, 0, 1, 0, 1, 10, 0.6);
  unsigned long total = 0;
  for (size_t i = 0; i < h->rows * h->cols; i++) total += h->count[i];
  ok(total == N, "hexagons: every one of %d points is counted once, corners included (%lu)", N, total);
  rs_hexbin_free(h);
}

int main(void) {
  test_linefit();
  test_scatter_data();
  test_its();
  return done();
}
