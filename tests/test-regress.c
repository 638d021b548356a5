/* test-regress.c — formulas, lm, sandwich estimators and glm against R.
 *
 * Expected values: R 4.2.2 with sandwich 3.0.2, printed with
 * sprintf("%.17g") from the script below (run once; R is not needed to
 * run this test).  The data (24 rows) were made by
 *   set.seed(20220801); n <- 24
 *   x1 <- round(rnorm(n, 10, 3), 2); x2 <- round(runif(n, 0, 5), 2)
 *   g <- rep(c(1, 2, 3), length.out = n)[sample(n)]; cl <- rep(1:6, each = 4)
 *   w <- round(runif(n, 0.5, 2), 2)
 *   y <- round(2 + 0.5 * x1 - 0.8 * x2 + c(0, 1.5, -1)[g] + rnorm(n, 0, 1 + x2/3), 2)
 *   yb <- as.numeric(round(plogis(-4 + 0.35 * x1 - 0.3 * x2 + rnorm(n)) > 0.5)); yb[c(3, 7)] <- 1 - yb[c(3, 7)]
 *   d <- data.frame(y, x1, x2, g, cl, w, yb)
 * and are the exact decimals below.  Each block names its R call.
 * Tolerances: 1e-10 relative for lm and sandwich, 1e-8 for glm.
 */
#include "analysis/formula.h"
#include "analysis/logit.h"
#include "analysis/ols.h"
#include "analysis/regress.h"
#include "analysis/vcov.h"
#include "datasets/error.h"
#include "tests/tap.h"

#include <glib.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 24
static const double Y[] = {4.7400000000000002, 4.5199999999999996, 7.3300000000000001, 6.1299999999999999, -0.5, 6.7999999999999998, 9.1300000000000008, 2.27, 11.029999999999999, 0.17000000000000001, 0.44, 4.4199999999999999, 2.9700000000000002, 3.98, 4.1500000000000004, 4.9800000000000004, 6.9400000000000004, 1.71, 0.55000000000000004, 3.52, 5.9900000000000002, 5.8200000000000003, 5.5999999999999996, 9.25};
static const double X1[] = {9.2200000000000006, 6.8300000000000001, 9.7799999999999994, 9.9499999999999993, 8.8900000000000006, 12.380000000000001, 12.050000000000001, 8.3300000000000001, 14.390000000000001, 9.5600000000000005, 4.5999999999999996, 7.2699999999999996, 9.3000000000000007, 8.7400000000000002, 10.550000000000001, 9.6999999999999993, 7.6500000000000004, 3.6600000000000001, 9.2799999999999994, 9.9100000000000001, 9.5099999999999998, 10.85, 9.8900000000000006, 11.300000000000001};
static const double X2[] = {4.8300000000000001, 2.0899999999999999, 1.55, 3.5899999999999999, 4.5800000000000001, 1.24, 1.0600000000000001, 2.9900000000000002, 4.2800000000000002, 4.7800000000000002, 2.1899999999999999, 2.02, 2.1600000000000001, 0.25, 3.3500000000000001, 0.83999999999999997, 3.02, 3.1200000000000001, 3.6600000000000001, 4.5700000000000003, 0.62, 1.72, 0.35999999999999999, 1.47};
static const double G[] = {2, 1, 2, 1, 2, 1, 2, 3, 2, 3, 3, 1, 3, 3, 2, 3, 1, 3, 1, 2, 3, 1, 1, 2};
static const double CL[] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6};
static const double W[] = {1.74, 1.74, 1.97, 0.95999999999999996, 1.3, 1.5700000000000001, 1.4299999999999999, 0.88, 0.78000000000000003, 0.87, 1.22, 0.98999999999999999, 1.4399999999999999, 1.1299999999999999, 1.48, 0.59999999999999998, 1.3799999999999999, 1.8700000000000001, 1.96, 0.87, 0.56000000000000005, 0.62, 1.1799999999999999, 1.25};
static const double YB[] = {0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

static double max_rel_lm = 0, max_rel_glm = 0;

static void check_vec(const char *what, const double *got, const double *want, size_t n, double tol, double *maxrel) {
  double worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    double e = fabs(got[i] - want[i]) / (fabs(want[i]) > 1e-300 ? fabs(want[i]) : 1.0);
    if (!(e <= worst)) { worst = e; at = i; }
  }
  if (maxrel && worst > *maxrel) *maxrel = worst;
  ok(worst <= tol, "%s: max relative error %.1e (element %zu: got %.17g, R %.17g)", what, worst, at, got[at], want[at]);
}

static rs_table *make_table(void) {
  rs_table *t = rs_table_new("test.csv");
  rs_table_reserve(t, N);
  t->nrows = N;
  const char *names[] = {"y", "x1", "x2", "g", "cl", "w", "yb"};
  const double *cols[] = {Y, X1, X2, G, CL, W, YB};
  for (size_t j = 0; j < G_N_ELEMENTS(names); j++) {
    rs_table_add_column(t, names[j], j == 3 ? RS_TYPE_CATEGORY : RS_TYPE_NUMERIC, RS_STORE_NUM);
    rs_column *c = &t->cols[t->ncols - 1];
    for (size_t i = 0; i < N; i++) {
      c->num[i] = cols[j][i];
      c->miss[i] = RS_MISS_NONE;
    }
  }
  return t;
}

static rs_design *design(const rs_table *t, const char *formula, const rs_design_options *o) {
  GError *err = NULL;
  rs_formula *f = rs_formula_parse(formula, &err);
  rs_design *d = f ? rs_design_build(f, t, o, &err) : NULL;
  if (!d) diag("%s: %s", formula, err ? err->message : "?");
  g_clear_error(&err);
  rs_formula_free(f);
  return d;
}

static void names_are(const rs_design *d, const char *want) {
  char *got = g_strjoinv(" | ", d->names);
  ok(strcmp(got, want) == 0, "names '%s' (R: '%s')", got, want);
  g_free(got);
}

/* SEs (sqrt of the diagonal) of a vcov type for an lm fit */
static void ols_se(const rs_ols *f, const gsl_matrix *X, const char *type, const size_t *cl, size_t G, double *se) {
  rs_vcov_spec s;
  char *cv = NULL;
  rs_vcov_parse(type, &s, &cv, NULL);
  s.cluster = cl;
  s.n_clusters = G;
  gsl_matrix *V = gsl_matrix_alloc(f->rank, f->rank);
  GError *err = NULL;
  if (!rs_vcov_ols(f, X, &s, V, &err)) diag("%s", err->message);
  g_clear_error(&err);
  for (size_t a = 0; a < f->rank; a++) se[a] = sqrt(gsl_matrix_get(V, a, a));
  gsl_matrix_free(V);
  g_free(cv);
}

static void test_lm(const rs_table *t) {
  /* f <- lm(y ~ x1 + x2 + factor(g), data = d); s <- summary(f)
   * coef(f); s$coefficients[, 2:4]; confint(f); s$sigma, s$r.squared, s$adj.r.squared, s$fstatistic */
static const double LM_COEF[] = {1.8293367985978282, 0.57323022449393801, -0.92265841942279225, 1.0461262974382248, -1.6035538015602444};
static const double LM_SE[] = {2.4443143100701659, 0.22282138554080008, 0.31817845463053734, 1.1400179591398494, 1.0629626165935699};
static const double LM_T[] = {0.74840489664576548, 2.5725996771031463, -2.8998142583040871, 0.91764019071027059, -1.5085702700430648};
static const double LM_P[] = {0.46338032618683722, 0.018642302878105501, 0.0091824356711085828, 0.37030951832331094, 0.14785804276495046};
static const double LM_CILO[] = {-3.2866718489134792, 0.10685970472045564, -1.5886135785589697, -1.339958713498949, -3.8283601270273833};
static const double LM_CIHI[] = {6.945345446109136, 1.0396007442674204, -0.25670326028661472, 3.4322113083753987, 0.62125252390689423};
static const double LM_MODEL[] = {2.035572853056582, 0.61718873644532779, 0.5365968914864494, 7.6582033425372726, 4, 19};
  /* sqrt(diag(vcovHC(f, type = "HC0" | "HC1" | "HC2" | "HC3"))); vcovHC(f, type = "HC3")[1, 2] */
static const double LM_HC0[] = {2.5784219654450355, 0.24140896544760265, 0.27539188227524802, 1.0347371518310822, 0.82056438062119474};
static const double LM_HC1[] = {2.8978961149276969, 0.27132025419220945, 0.3095137554765291, 1.1629441621457357, 0.92223474765495994};
static const double LM_HC2[] = {3.1186081610553895, 0.2916868768794586, 0.32086944968490722, 1.1486615831186044, 0.9255047135065434};
static const double LM_HC3[] = {3.7847111035773393, 0.35354589776478546, 0.37614856226500643, 1.2769668222721082, 1.0492015511576132};
static const double LM_HC3_12[] = {-1.2995823107310791};
  /* sqrt(diag(vcovCL(f, cluster = ~cl, type = "HC1"))) */
static const double LM_CL[] = {3.014719011241715, 0.293021816153134, 0.21925795631884054, 0.81549461758265651, 0.69856362215204892};
  /* sqrt(diag(NeweyWest(f, lag = 2, prewhite = FALSE)));  lag = 0 equals HC0 */
static const double LM_NW2[] = {2.5397894516421529, 0.24649258301372984, 0.2025218546484793, 1.0297943665653071, 0.75115685999693826};
static const double LM_NW0[] = {2.5784219654450355, 0.24140896544760265, 0.27539188227524802, 1.0347371518310822, 0.82056438062119474};
  rs_design *d = design(t, "y ~ x1 + x2 + factor(g)", NULL);
  names_are(d, "(Intercept) | x1 | x2 | factor(g)2 | factor(g)3");
  rs_ols *f = rs_ols_fit(d->X, d->y, NULL, d->intercept, NULL, NULL);
  double se[8], tt[8], pp[8], lo[8], hi[8];
  ols_se(f, d->X, "classical", NULL, 0, se);
  double q = gsl_cdf_tdist_Qinv(0.025, f->df_resid);
  for (size_t j = 0; j < 5; j++) {
    tt[j] = f->coef[j] / se[j];
    pp[j] = 2 * gsl_cdf_tdist_Q(fabs(tt[j]), f->df_resid);
    lo[j] = f->coef[j] - q * se[j];
    hi[j] = f->coef[j] + q * se[j];
  }
  check_vec("lm coef", f->coef, LM_COEF, 5, 1e-10, &max_rel_lm);
  check_vec("lm SE", se, LM_SE, 5, 1e-10, &max_rel_lm);
  check_vec("lm t", tt, LM_T, 5, 1e-10, &max_rel_lm);
  check_vec("lm p", pp, LM_P, 5, 1e-10, &max_rel_lm);
  check_vec("lm confint low", lo, LM_CILO, 5, 1e-10, &max_rel_lm);
  check_vec("lm confint high", hi, LM_CIHI, 5, 1e-10, &max_rel_lm);
  double model[6] = {f->sigma, f->r2, f->adj_r2, f->fstat, f->df_model, f->df_resid};
  check_vec("lm sigma, R², adj R², F, df1, df2", model, LM_MODEL, 6, 1e-10, &max_rel_lm);
  static const char *types[] = {"HC0", "HC1", "HC2", "HC3"};
  const double *want[] = {LM_HC0, LM_HC1, LM_HC2, LM_HC3};
  for (int k = 0; k < 4; k++) {
    ols_se(f, d->X, types[k], NULL, 0, se);
    char *what = g_strdup_printf("lm vcovHC %s SEs", types[k]);
    check_vec(what, se, want[k], 5, 1e-10, &max_rel_lm);
    g_free(what);
  }
  {
    rs_vcov_spec s = {.type = RS_VCOV_HC3};
    gsl_matrix *V = gsl_matrix_alloc(5, 5);
    rs_vcov_ols(f, d->X, &s, V, NULL);
    double v12 = gsl_matrix_get(V, 0, 1);
    check_vec("lm vcovHC HC3 [1,2] (off-diagonal)", &v12, LM_HC3_12, 1, 1e-10, &max_rel_lm);
    gsl_matrix_free(V);
  }
  size_t G = 0;
  size_t *cl = rs_vcov_cluster_index(&t->cols[rs_table_find(t, "cl")], d->rows, d->n, &G);
  ok(G == 6, "6 clusters");
  ols_se(f, d->X, "cluster:cl", cl, G, se);
  check_vec("lm vcovCL HC1 SEs", se, LM_CL, 5, 1e-10, &max_rel_lm);
  ols_se(f, d->X, "nw:2", NULL, 0, se);
  check_vec("lm NeweyWest lag 2 SEs", se, LM_NW2, 5, 1e-10, &max_rel_lm);
  ols_se(f, d->X, "nw:0", NULL, 0, se);
  check_vec("lm NeweyWest lag 0 SEs (= HC0)", se, LM_NW0, 5, 1e-10, &max_rel_lm);
  g_free(cl);
  rs_ols_free(f);
  rs_design_free(d);
}

static void test_wls(const rs_table *t) {
  /* fw <- lm(y ~ x1 + x2, data = d, weights = w); sw <- summary(fw)
   * coef(fw); sw$coefficients[, 2]; sw$sigma, sw$r.squared, sw$adj.r.squared, sw$fstatistic
   * sqrt(diag(vcovHC(fw, type = "HC1"))); sqrt(diag(vcovHC(fw, type = "HC3")))
   * sqrt(diag(vcovCL(fw, cluster = ~cl, type = "HC1"))) */
static const double WLS_COEF[] = {0.043589950607153358, 0.71279814339685921, -0.78007000998739517};
static const double WLS_SE[] = {2.0866444269771853, 0.19375949623768934, 0.32835544734731614};
static const double WLS_MODEL[] = {2.4491785829897941, 0.50416681071670533, 0.45694460221353439, 10.676476740448321, 2, 21};
static const double WLS_HC1[] = {2.0471747778634586, 0.18619638582753711, 0.35251361391472075};
static const double WLS_HC3[] = {2.5779686256574332, 0.24008842019707777, 0.39134616994600646};
static const double WLS_CL[] = {2.4989304066732112, 0.23231340464419636, 0.28483150290194331};
  const char *extra[] = {"w", NULL};
  rs_design_options o = {.extra = extra};
  rs_design *d = design(t, "y ~ x1 + x2", &o);
  gsl_vector *w = gsl_vector_alloc(d->n);
  for (size_t i = 0; i < d->n; i++) gsl_vector_set(w, i, W[d->rows[i]]);
  rs_ols *f = rs_ols_fit(d->X, d->y, w, true, NULL, NULL);
  double se[3];
  ols_se(f, d->X, "classical", NULL, 0, se);
  check_vec("weighted lm coef", f->coef, WLS_COEF, 3, 1e-10, &max_rel_lm);
  check_vec("weighted lm SE", se, WLS_SE, 3, 1e-10, &max_rel_lm);
  double model[6] = {f->sigma, f->r2, f->adj_r2, f->fstat, f->df_model, f->df_resid};
  check_vec("weighted lm sigma, R², adj R², F, df1, df2", model, WLS_MODEL, 6, 1e-10, &max_rel_lm);
  ols_se(f, d->X, "HC1", NULL, 0, se);
  check_vec("weighted lm vcovHC HC1", se, WLS_HC1, 3, 1e-10, &max_rel_lm);
  ols_se(f, d->X, "HC3", NULL, 0, se);
  check_vec("weighted lm vcovHC HC3", se, WLS_HC3, 3, 1e-10, &max_rel_lm);
  size_t G = 0;
  size_t *cl = rs_vcov_cluster_index(&t->cols[rs_table_find(t, "cl")], d->rows, d->n, &G);
  ols_se(f, d->X, "cluster:cl", cl, G, se);
  check_vec("weighted lm vcovCL HC1", se, WLS_CL, 3, 1e-10, &max_rel_lm);
  g_free(cl);
  gsl_vector_free(w);
  rs_ols_free(f);
  rs_design_free(d);
}

static void test_formulas(const rs_table *t) {
  /* fi <- lm(y ~ factor(g) * x1, data = d); coef(fi); summary(fi)$coefficients[, 2] */
static const double INT_COEF[] = {2.4975853994947923, -15.042623581875956, -3.2435744431365983, 0.28069253446749942, 1.450174063964947, 0.16848589375228734};
static const double INT_SE[] = {3.9911540038534641, 6.3121450684251466, 4.8622095848974256, 0.42307805709123242, 0.61688921862229118, 0.54098569265533403};
  rs_design *d = design(t, "y ~ factor(g) * x1", NULL);
  names_are(d, "(Intercept) | factor(g)2 | factor(g)3 | x1 | factor(g)2:x1 | factor(g)3:x1");
  rs_ols *f = rs_ols_fit(d->X, d->y, NULL, true, NULL, NULL);
  double se[8];
  ols_se(f, d->X, "classical", NULL, 0, se);
  check_vec("interaction coef", f->coef, INT_COEF, 6, 1e-10, &max_rel_lm);
  check_vec("interaction SE", se, INT_SE, 6, 1e-10, &max_rel_lm);
  rs_ols_free(f);
  rs_design_free(d);
  /* the same model written with ':' gives the same columns */
  d = design(t, "y ~ x1 + factor(g) + factor(g):x1", NULL);
  names_are(d, "(Intercept) | x1 | factor(g)2 | factor(g)3 | x1:factor(g)2 | x1:factor(g)3");
  rs_design_free(d);

  /* fn <- lm(y ~ factor(g) + x1 - 1, data = d); coef(fn); summary(fn)$coefficients[, 2];
   * summary(fn)$r.squared, summary(fn)$fstatistic (R² without intercept is uncentred) */
static const double NOINT_COEF[] = {-1.6569494941074776, -1.7661259372160965, -2.9653606332849392, 0.72922531650283151};
static const double NOINT_SE[] = {2.4914121472058972, 2.851331186185516, 2.175807972689503, 0.25313212243067473};
static const double NOINT_MODEL[] = {0.84394590263876212, 27.040171226173424, 4, 20};
  d = design(t, "y ~ factor(g) + x1 - 1", NULL);
  names_are(d, "factor(g)1 | factor(g)2 | factor(g)3 | x1");
  f = rs_ols_fit(d->X, d->y, NULL, d->intercept, NULL, NULL);
  ols_se(f, d->X, "classical", NULL, 0, se);
  check_vec("no-intercept coef", f->coef, NOINT_COEF, 4, 1e-10, &max_rel_lm);
  check_vec("no-intercept SE", se, NOINT_SE, 4, 1e-10, &max_rel_lm);
  double model[4] = {f->r2, f->fstat, f->df_model, f->df_resid};
  check_vec("no-intercept R², F, df1, df2", model, NOINT_MODEL, 4, 1e-10, &max_rel_lm);
  rs_ols_free(f);
  rs_design_free(d);
  d = design(t, "y ~ 0 + x1", NULL);
  ok(d && !d->intercept && d->p == 1, "'+ 0' removes the intercept");
  rs_design_free(d);
  d = design(t, "y ~ -1 + x1 + 1", NULL);
  ok(d && d->intercept && d->p == 2, "'-1 … + 1' puts it back (last word wins, as R)");
  rs_design_free(d);

  /* syntax errors: a caret under the position */
  static const struct { const char *formula, *caret_line; } bad[] = {
    {"y ~ x1 +", "          ^"}, {"y ~ x1 + (x2", "              ^"}, {"y x1", "    ^"}, {"y ~ log(x1)", "      ^"},
    {"y ~ x1 ++ ", "          ^"}, {"y ~ x1 2", "         ^"}};
  for (size_t k = 0; k < G_N_ELEMENTS(bad); k++) {
    GError *err = NULL;
    rs_formula *fo = rs_formula_parse(bad[k].formula, &err);
    const char *nl = err ? strrchr(err->message, '\n') : NULL;
    ok(!fo && err && nl && strcmp(nl + 1, bad[k].caret_line) == 0, "syntax error in '%s': caret at the position (%s)",
       bad[k].formula, err ? err->message : "no error");
    rs_formula_free(fo);
    g_clear_error(&err);
  }
  GError *err = NULL;
  rs_formula *fo = rs_formula_parse("y ~ nosuch", &err);
  rs_design *dd = rs_design_build(fo, t, NULL, &err);
  ok(!dd && err && strstr(err->message, "no column 'nosuch'"), "unknown column is named: %s", err ? err->message : "");
  g_clear_error(&err);
  rs_formula_free(fo);
}

static void test_edges(rs_table *t) {
  /* d$x3 <- d$x1 + d$x2; d$k <- 5; fr <- lm(y ~ x1 + x2 + x3 + k, data = d)
   * x3 and k are NA (aliased); coef(fr)[!is.na(coef(fr))]; summary(fr)$coefficients[, 2];
   * sqrt(diag(vcovHC(fr, type = "HC1")))   (sandwich drops the aliased columns: k = 3) */
static const double RD_COEF[] = {-1.2946584584555851, 0.82563909865629792, -0.68930797258249299};
static const double RD_SE[] = {2.0489506961926467, 0.19573372447573945, 0.30634478233283446};
static const double RD_HC1[] = {2.2233815588800239, 0.21250899338920728, 0.32057221490915055};
  gsl_matrix *X = gsl_matrix_alloc(N, 5);
  gsl_vector *y = gsl_vector_alloc(N);
  for (size_t i = 0; i < N; i++) {
    gsl_matrix_set(X, i, 0, 1);
    gsl_matrix_set(X, i, 1, X1[i]);
    gsl_matrix_set(X, i, 2, X2[i]);
    gsl_matrix_set(X, i, 3, X1[i] + X2[i]);
    gsl_matrix_set(X, i, 4, 5);
    gsl_vector_set(y, i, Y[i]);
  }
  rs_ols *f = rs_ols_fit(X, y, NULL, true, NULL, NULL);
  ok(f && f->rank == 3 && !f->aliased[2] && f->aliased[3] && f->aliased[4] && isnan(f->coef[3]) && isnan(f->coef[4]),
     "rank deficiency: x3 = x1 + x2 and the constant k are aliased (NA), as lm");
  double c[3] = {f->coef[0], f->coef[1], f->coef[2]}, se[3];
  check_vec("rank-deficient coef", c, RD_COEF, 3, 1e-10, &max_rel_lm);
  ols_se(f, X, "classical", NULL, 0, se);
  check_vec("rank-deficient SE", se, RD_SE, 3, 1e-10, &max_rel_lm);
  ols_se(f, X, "HC1", NULL, 0, se);
  check_vec("rank-deficient vcovHC HC1", se, RD_HC1, 3, 1e-10, &max_rel_lm);
  ok(f->df_resid == N - 3, "rank-deficient residual df = n - rank = 21");
  rs_ols_free(f);
  gsl_matrix_free(X);
  gsl_vector_free(y);

  /* f2 <- lm(y ~ x1, data = d[1:2, ]): an exact fit, residual df 0, sigma NaN */
static const double N2_COEF[] = {3.8912970711297059, 0.092050209205021077};
  rs_table *t2 = make_table();
  t2->nrows = 2;
  rs_design *d = design(t2, "y ~ x1", NULL);
  f = rs_ols_fit(d->X, d->y, NULL, true, NULL, NULL);
  check_vec("n = 2 coef", f->coef, N2_COEF, 2, 1e-10, &max_rel_lm);
  ok(f->df_resid == 0 && isnan(f->sigma) && isnan(f->fstat), "n = 2: residual df 0, no sigma, no F");
  rs_ols_free(f);
  rs_design_free(d);
  /* one row, one column: y ~ 1 */
  t2->nrows = 1;
  d = design(t2, "y ~ 1", NULL);
  f = rs_ols_fit(d->X, d->y, NULL, true, NULL, NULL);
  ok(f && f->coef[0] == Y[0] && f->df_resid == 0 && f->r2 == 0, "n = 1, y ~ 1: mean, df 0, R² 0 (summary.lm)");
  rs_ols_free(f);
  rs_design_free(d);
  rs_table_free(t2);

  /* listwise deletion: two cells missing in different rows and columns */
  t->cols[1].miss[4] = RS_MISS_EMPTY;
  t->cols[2].miss[9] = RS_MISS_CODE;
  d = design(t, "y ~ x1 + x2", NULL);
  ok(d && d->n == N - 2 && d->n_dropped == 2 && d->rows[4] == 5, "listwise: 2 rows with a missing value dropped");
  rs_design_free(d);
  d = design(t, "y ~ x1", NULL);
  ok(d && d->n == N - 1, "listwise only over the variables used (x2's missing row kept)");
  rs_design_free(d);
  t->cols[1].miss[4] = RS_MISS_NONE;
  t->cols[2].miss[9] = RS_MISS_NONE;
}

static void test_glm(const rs_table *t) {
  /* gl <- glm(yb ~ x1 + x2, family = binomial, data = d); sg <- summary(gl)
   * coef(gl); sg$coefficients[, 2:4]; gl$deviance, gl$null.deviance, gl$aic, gl$iter
   * sqrt(diag(vcovHC(gl, type = "HC0"))); sqrt(diag(vcovHC(gl, type = "HC1")))
   * sqrt(diag(vcovCL(gl, cluster = ~cl, type = "HC1")))
   * exp(confint.default(gl))  (Wald intervals of the odds ratios) */
static const double GLM_COEF[] = {-3.743435332385308, 0.34104996456499886, -0.40919097077594468};
static const double GLM_SE[] = {2.9756210775041527, 0.28434791280120603, 0.38468637627881636};
static const double GLM_Z[] = {-1.2580349563611679, 1.1994108245958341, -1.0637001880185319};
static const double GLM_P[] = {0.20837911449469468, 0.2303682406329142, 0.28746453926709031};
static const double GLM_MODEL[] = {21.631728302855382, 24.563523524035652, 27.631728302855382, 5};
static const double GLM_HC0[] = {3.9402736761187871, 0.35594311009623791, 0.32493416673701614};
static const double GLM_HC1[] = {4.2123297446173726, 0.38051919061796607, 0.34736923576765477};
static const double GLM_CL[] = {4.9775485361742522, 0.42602184505292701, 0.37216796017774062};
static const double GLM_ORCI[] = {6.9405428299957285e-05, 0.80552446563021174, 0.31249637382729906};
static const double GLM_ORCI_HI[] = {8.0742082208937092, 2.4555766772229433, 1.4116799824699005};
  rs_design *d = design(t, "yb ~ x1 + x2", NULL);
  GError *err = NULL;
  rs_logit *f = rs_logit_fit(d->X, d->y, NULL, true, &err);
  ok(f && f->converged && !f->separation, "glm converged");
  double se[3], z[3], p[3], lo[3], hi[3];
  rs_vcov_spec s = {.type = RS_VCOV_CLASSICAL};
  gsl_matrix *V = gsl_matrix_alloc(3, 3);
  rs_vcov_logit(f, d->X, &s, V, NULL);
  double q = gsl_cdf_ugaussian_Qinv(0.025);
  for (size_t j = 0; j < 3; j++) {
    se[j] = sqrt(gsl_matrix_get(V, j, j));
    z[j] = f->coef[j] / se[j];
    p[j] = 2 * gsl_cdf_ugaussian_Q(fabs(z[j]));
    lo[j] = exp(f->coef[j] - q * se[j]);
    hi[j] = exp(f->coef[j] + q * se[j]);
  }
  check_vec("glm coef", f->coef, GLM_COEF, 3, 1e-8, &max_rel_glm);
  check_vec("glm SE", se, GLM_SE, 3, 1e-8, &max_rel_glm);
  check_vec("glm z", z, GLM_Z, 3, 1e-8, &max_rel_glm);
  check_vec("glm p", p, GLM_P, 3, 1e-8, &max_rel_glm);
  check_vec("glm odds-ratio CI low", lo, GLM_ORCI, 3, 1e-8, &max_rel_glm);
  check_vec("glm odds-ratio CI high", hi, GLM_ORCI_HI, 3, 1e-8, &max_rel_glm);
  double model[4] = {f->deviance, f->null_deviance, f->aic, f->iter};
  check_vec("glm deviance, null deviance, AIC, iterations", model, GLM_MODEL, 4, 1e-8, &max_rel_glm);
  s.type = RS_VCOV_HC0;
  rs_vcov_logit(f, d->X, &s, V, NULL);
  for (size_t j = 0; j < 3; j++) se[j] = sqrt(gsl_matrix_get(V, j, j));
  check_vec("glm vcovHC HC0", se, GLM_HC0, 3, 1e-8, &max_rel_glm);
  s.type = RS_VCOV_HC1;
  rs_vcov_logit(f, d->X, &s, V, NULL);
  for (size_t j = 0; j < 3; j++) se[j] = sqrt(gsl_matrix_get(V, j, j));
  check_vec("glm vcovHC HC1", se, GLM_HC1, 3, 1e-8, &max_rel_glm);
  size_t G = 0;
  size_t *cl = rs_vcov_cluster_index(&t->cols[rs_table_find(t, "cl")], d->rows, d->n, &G);
  s.type = RS_VCOV_CLUSTER;
  s.cluster = cl;
  s.n_clusters = G;
  rs_vcov_logit(f, d->X, &s, V, NULL);
  for (size_t j = 0; j < 3; j++) se[j] = sqrt(gsl_matrix_get(V, j, j));
  check_vec("glm vcovCL HC1", se, GLM_CL, 3, 1e-8, &max_rel_glm);
  s.type = RS_VCOV_HC3;
  ok(!rs_vcov_logit(f, d->X, &s, V, &err) && err, "glm HC3 refused with a message");
  g_clear_error(&err);
  g_free(cl);
  gsl_matrix_free(V);
  rs_logit_free(f);
  rs_design_free(d);

  /* glg <- glm(yb ~ x1 + factor(g), family = binomial, data = d); coef(glg); summary(glg)$coefficients[, 2] */
static const double GLMG_COEF[] = {-4.3535508704293813, 0.34169932289019489, -0.49651478353502837, -0.48416231032324719};
static const double GLMG_SE[] = {3.1565865420783545, 0.31122947897238212, 1.2724360778668267, 1.403221153528541};
  d = design(t, "yb ~ x1 + factor(g)", NULL);
  f = rs_logit_fit(d->X, d->y, NULL, true, NULL);
  V = gsl_matrix_alloc(4, 4);
  s.type = RS_VCOV_CLASSICAL;
  rs_vcov_logit(f, d->X, &s, V, NULL);
  double se4[4];
  for (size_t j = 0; j < 4; j++) se4[j] = sqrt(gsl_matrix_get(V, j, j));
  check_vec("glm with factor coef", f->coef, GLMG_COEF, 4, 1e-8, &max_rel_glm);
  check_vec("glm with factor SE", se4, GLMG_SE, 4, 1e-8, &max_rel_glm);
  gsl_matrix_free(V);
  rs_logit_free(f);

  /* perfect separation: yb = (x1 > 9.5) — R warns "fitted probabilities numerically 0 or 1 occurred" */
  gsl_vector *ys = gsl_vector_alloc(d->n);
  for (size_t i = 0; i < d->n; i++) gsl_vector_set(ys, i, X1[d->rows[i]] > 9.5 ? 1 : 0);
  gsl_matrix_view X2v = gsl_matrix_submatrix(d->X, 0, 0, d->n, 1);
  (void)X2v;
  gsl_matrix *Xs = gsl_matrix_alloc(d->n, 2);
  for (size_t i = 0; i < d->n; i++) {
    gsl_matrix_set(Xs, i, 0, 1);
    gsl_matrix_set(Xs, i, 1, X1[d->rows[i]]);
  }
  f = rs_logit_fit(Xs, ys, NULL, true, NULL);
  ok(f && f->separation, "perfect separation is detected (fitted probabilities 0 or 1)");
  rs_logit_free(f);
  /* non-binary outcome: an error naming the value */
  gsl_vector_set(ys, 3, 2);
  f = rs_logit_fit(Xs, ys, NULL, true, &err);
  ok(!f && err && strstr(err->message, "0 or 1") && strstr(err->message, "row 4"), "non-binary outcome: %s",
     err ? err->message : "no error");
  g_clear_error(&err);
  gsl_matrix_free(Xs);
  gsl_vector_free(ys);
  rs_design_free(d);
}

/* The whole path as `reformstat regress` runs it, written as JSON. */
static char *regress_json(const rs_table *t, const rs_regress_options *o, char **warning, GError **err) {
  rs_results *r = rs_results_new("regress");
  char *buf = NULL;
  size_t len = 0;
  if (rs_regress_table(t, o, r, warning, err)) {
    FILE *fp = open_memstream(&buf, &len);
    rs_results_write(r, fp, RS_FORMAT_JSON);
    fclose(fp);
  }
  rs_results_free(r);
  return buf;
}

static void test_records(const rs_table *t) {
  rs_regress_options o = {.formula = "y ~ x1 + x2 + factor(g)", .vcov = "cluster:cl"};
  char *warning = NULL;
  GError *err = NULL;
  char *js = regress_json(t, &o, &warning, &err);
  ok(js && strstr(js, "\"name\": \"factor(g)3\"") && strstr(js, "\"ci_low\"") && strstr(js, "\"p_value\"") &&
     strstr(js, "\"r_squared\"") && strstr(js, "vcovCL"), "regress records: terms, CI, p, R², method names vcovCL");
  free(js);
  g_free(warning);
  /* separation through the whole path: a warning, and no estimates */
  rs_table *t2 = make_table();
  for (size_t i = 0; i < N; i++) t2->cols[6].num[i] = X1[i] > 9.5;
  rs_regress_options ob = {.formula = "yb ~ x1", .binomial = true};
  js = regress_json(t2, &ob, &warning, &err);
  ok(js && warning && strstr(warning, "separation") && !strstr(js, "\"estimate\": -") && !strstr(js, "\"se\""),
     "separation: a warning and no coefficients or SEs reported");
  free(js);
  g_free(warning);
  rs_table_free(t2);
  rs_regress_options bad = {.formula = "y ~ x1", .binomial = true};
  js = regress_json(t, &bad, &warning, &err);
  ok(!js && err && strstr(err->message, "0 or 1"), "binomial with a non-binary y: error");
  g_clear_error(&err);
  g_free(warning);
  rs_regress_options badv = {.formula = "y ~ x1", .vcov = "HC7"};
  js = regress_json(t, &badv, &warning, &err);
  ok(!js && err && strstr(err->message, "HC7"), "unknown --vcov: error naming it");
  g_clear_error(&err);
}

int main(void) {
  rs_table *t = make_table();
  test_lm(t);
  test_wls(t);
  test_formulas(t);
  test_edges(t);
  test_glm(t);
  test_records(t);
  diag("largest relative error against R: lm and sandwich %.2e, glm %.2e", max_rel_lm, max_rel_glm);
  rs_table_free(t);
  return done();
}
