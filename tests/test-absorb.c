/* test-absorb.c — a factor absorbed by the within transformation
 * (analysis/absorb.h) gives lm's coefficients and standard errors.
 *
 * Data: 2,000 rows, 40 groups of 19 to 305 rows, made here and in R by the
 * same Park–Miller generator (exact in doubles), so R needs no data file:
 *   n <- 2000; s <- 20220801; S <- numeric(n * 6)
 *   for (k in seq_along(S)) { s <- (16807 * s) %% 2147483647; S[k] <- s }
 *   S <- matrix(S, ncol = 6, byrow = TRUE); u <- S[, 1] / 2147483647
 *   g <- 1 + floor(40 * u * u); x1 <- (S[, 2] %% 1000) / 100
 *   x2 <- (S[, 3] %% 500) / 50 + 0.1 * g; e <- ((S[, 4] %% 2001) - 1000) / 500
 *   y <- 1 + 0.5 * x1 - 0.3 * x2 + 0.05 * g + e * (1 + x1 / 10)
 *   w <- 0.5 + (S[, 5] %% 150) / 100; cl <- 1 + S[, 6] %% 25; z <- g %% 7
 *   d <- data.frame(y, x1, x2, g, cl, w, z)
 * Expected values: R 4.2.2, sandwich 3.0.2, sprintf("%.17g"), from
 *   f <- lm(y ~ x1 + x2 + factor(g), data = d)            (U_: unweighted)
 *   f <- lm(y ~ x1 + x2 + factor(g), data = d, weights = w) (W_: weighted)
 *   coef(f)[2:3]; sqrt(diag(vcov(f)))[2:3]
 *   sqrt(diag(vcovHC(f, type = "HC0" … "HC3")))[2:3]
 *   sqrt(diag(vcovCL(f, cluster = ~g, type = "HC1")))[2:3]   (CLG)
 *   sqrt(diag(vcovCL(f, cluster = ~cl, type = "HC1")))[2:3]  (CLC)
 *   s <- summary(f); c(s$sigma, s$r.squared, s$adj.r.squared, s$fstatistic, f$df.residual)
 * Each is also checked against the full-dummy fit of rs_ols_fit (the
 * 42-column design).  Tolerance 1e-10 relative throughout.
 */
#include "analysis/absorb.h"
#include "analysis/formula.h"
#include "analysis/ols.h"
#include "analysis/regress.h"
#include "analysis/vcov.h"
#include "tests/tap.h"

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 2000
#define TOL 1e-10

static const double U_COEF[] = {0.49648822474639948, -0.30233229722371324};
static const double U_SE[] = {0.01401751760969217, 0.014012706906474232};
static const double U_HC0[] = {0.013975806330284803, 0.013948512765133448};
static const double U_HC1[] = {0.01412490475011509, 0.01409732000838762};
static const double U_HC2[] = {0.014124507809413059, 0.014101534900941294};
static const double U_HC3[] = {0.014275999877646507, 0.014257455053445138};
static const double U_CLG[] = {0.015912581287293372, 0.014142280764337677};
static const double U_CLC[] = {0.013246576774821564, 0.0152818092586964};
static const double U_MODEL[] = {1.8031107545114107, 0.48053395999469739, 0.46965647907528096, 44.176952692873769, 41, 1958, 1958};
static const double W_COEF[] = {0.49834339239726283, -0.30448056643301968};
static const double W_SE[] = {0.014053249724552904, 0.014136882682791802};
static const double W_HC0[] = {0.014868111438924855, 0.014826233192556718};
static const double W_HC1[] = {0.015026729258105897, 0.014984404241067594};
static const double W_HC2[] = {0.015059082874247813, 0.015027344964764187};
static const double W_HC3[] = {0.015254824698243241, 0.015233730083615974};
static const double W_CLG[] = {0.017439107662119018, 0.016280531559342587};
static const double W_CLC[] = {0.016357813545180937, 0.014948978078591656};
static const double W_MODEL[] = {2.017646824332803, 0.48014848454524423, 0.46926293187228962, 44.108783354490271, 41, 1958, 1958};
/* s <- summary(lm(y ~ x1 + x2 + factor(g) - 1, data = d)): sigma, R², adj R², F, df1, df2 */
static const double N_MODEL[] = {1.8031107545114107, 0.71417852662739023, 0.70804752464493381, 116.48642891830451, 42, 1958};
/* fz <- lm(y ~ x1 + z + factor(g), data = d): z is constant within g; R keeps z and aliases
 * factor(g)40, reformstat (absorbing g) aliases z; x1 is the same either way:
 * coef(fz)[2]; sqrt(diag(vcovCL(fz, cluster = ~g, type = "HC1")))[2] */
static const double Z_COEF[] = {0.49100177084697538};
static const double Z_CLG[] = {0.016123273390294179};

static double max_rel_r = 0, max_rel_full = 0;

static double rel(double got, double want) { return fabs(got - want) / (fabs(want) > 1e-300 ? fabs(want) : 1.0); }

static void check(const char *what, const double *got, const double *want, size_t n, double *maxrel) {
  double worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    double e = rel(got[i], want[i]);
    if (!(e <= worst)) { worst = e; at = i; }
  }
  if (worst > *maxrel) *maxrel = worst;
  ok(worst <= TOL, "%s: max relative error %.1e (element %zu: got %.17g, want %.17g)", what, worst, at, got[at],
     want[at]);
}

static rs_table *make_table(void) {
  static double col[7][N];
  uint64_t s = 20220801;
  for (size_t i = 0; i < N; i++) {
    double S[6];
    for (int k = 0; k < 6; k++) {
      s = (16807 * s) % 2147483647;
      S[k] = (double)s;
    }
    double u = S[0] / 2147483647, g = 1 + floor(40 * u * u);
    double x1 = fmod(S[1], 1000) / 100, x2 = fmod(S[2], 500) / 50 + 0.1 * g;
    double e = (fmod(S[3], 2001) - 1000) / 500;
    col[0][i] = 1 + 0.5 * x1 - 0.3 * x2 + 0.05 * g + e * (1 + x1 / 10);
    col[1][i] = x1;
    col[2][i] = x2;
    col[3][i] = g;
    col[4][i] = 1 + fmod(S[5], 25);
    col[5][i] = 0.5 + fmod(S[4], 150) / 100;
    col[6][i] = fmod(g, 7);
  }
  rs_table *t = rs_table_new("absorb.csv");
  rs_table_reserve(t, N);
  t->nrows = N;
  const char *names[] = {"y", "x1", "x2", "g", "cl", "w", "z"};
  for (size_t j = 0; j < 7; j++) {
    rs_table_add_column(t, names[j], j == 3 || j == 4 ? RS_TYPE_CATEGORY : RS_TYPE_NUMERIC, RS_STORE_NUM);
    rs_column *c = &t->cols[t->ncols - 1];
    for (size_t i = 0; i < N; i++) {
      c->num[i] = col[j][i];
      c->miss[i] = RS_MISS_NONE;
    }
  }
  return t;
}

static rs_design *design(const rs_table *t, const char *formula) {
  GError *err = NULL;
  rs_formula *f = rs_formula_parse(formula, &err);
  rs_design *d = f ? rs_design_build(f, t, NULL, &err) : NULL;
  if (!d) diag("%s: %s", formula, err ? err->message : "?");
  g_clear_error(&err);
  rs_formula_free(f);
  return d;
}

/* SEs of the first k estimated columns */
static void ses(const rs_ols *f, const gsl_matrix *X, const char *type, const size_t *cl, size_t G, size_t first,
                size_t k, double *se) {
  rs_vcov_spec s;
  rs_vcov_parse(type, &s, NULL, NULL);
  s.cluster = cl;
  s.n_clusters = G;
  gsl_matrix *V = gsl_matrix_alloc(f->rank, f->rank);
  GError *err = NULL;
  if (!rs_vcov_ols(f, X, &s, V, &err)) diag("%s: %s", type, err->message);
  g_clear_error(&err);
  for (size_t a = 0; a < k; a++) se[a] = sqrt(gsl_matrix_get(V, first + a, first + a));
  gsl_matrix_free(V);
}

static size_t *index_of(const rs_table *t, const char *col, const rs_design *d, size_t *G) {
  return rs_vcov_cluster_index(&t->cols[rs_table_find(t, col)], d->rows, d->n, G);
}

static void test_fit(const rs_table *t, bool weighted) {
  const char *P = weighted ? "weighted" : "unweighted";
  const double *want_coef = weighted ? W_COEF : U_COEF, *want_model = weighted ? W_MODEL : U_MODEL;
  const double *want_se[] = {weighted ? W_SE : U_SE, weighted ? W_HC0 : U_HC0, weighted ? W_HC1 : U_HC1,
                             weighted ? W_HC2 : U_HC2, weighted ? W_HC3 : U_HC3, weighted ? W_CLG : U_CLG,
                             weighted ? W_CLC : U_CLC};
  static const char *types[] = {"classical", "HC0", "HC1", "HC2", "HC3", "cluster:g", "cluster:cl"};
  gsl_vector *w = NULL;
  /* the full-dummy fit of the existing code */
  rs_design *full = design(t, "y ~ x1 + x2 + factor(g)");
  if (weighted) {
    w = gsl_vector_alloc(N);
    for (size_t i = 0; i < N; i++) gsl_vector_set(w, i, t->cols[5].num[i]);
  }
  rs_ols *ff = rs_ols_fit(full->X, full->y, w, true, NULL, NULL);
  /* the absorbed fit: y ~ x1 + x2 without intercept column, demeaned by g */
  rs_design *d = design(t, "y ~ x1 + x2");
  gsl_matrix_view Xv = gsl_matrix_submatrix(d->X, 0, 1, N, 2);
  size_t L, Gc, *lev = index_of(t, "g", d, &L), *clc = index_of(t, "cl", d, &Gc);
  GError *err = NULL;
  rs_ols *fa = rs_absorb_ols(&Xv.matrix, d->y, w, lev, L, true, NULL, &err);
  if (!ok(fa != NULL && fa->rank == 2 && fa->k_absorbed == 40, "%s: absorbed fit, rank 2 + 40 levels", P)) {
    diag("%s", err ? err->message : "?");
    g_clear_error(&err);
    return;
  }
  char what[160];
  snprintf(what, sizeof what, "%s coefficients vs R", P);
  check(what, fa->coef, want_coef, 2, &max_rel_r);
  snprintf(what, sizeof what, "%s coefficients vs full-dummy fit", P);
  check(what, fa->coef, ff->coef + 1, 2, &max_rel_full);
  for (size_t k = 0; k < G_N_ELEMENTS(types); k++) {
    const size_t *cla = k == 5 ? lev : clc, *clf = cla;   /* rows are the same in both designs */
    size_t G = k == 5 ? L : Gc;
    double sa[2], sf[2];
    ses(fa, &Xv.matrix, types[k], cla, G, 0, 2, sa);
    ses(ff, full->X, types[k], clf, G, 1, 2, sf);
    snprintf(what, sizeof what, "%s SE %s vs R", P, types[k]);
    check(what, sa, want_se[k], 2, &max_rel_r);
    snprintf(what, sizeof what, "%s SE %s vs full-dummy fit", P, types[k]);
    check(what, sa, sf, 2, &max_rel_full);
  }
  double model[7] = {fa->sigma, fa->r2, fa->adj_r2, fa->fstat, fa->df_model, fa->df_resid, fa->df_resid};
  double fmodel[7] = {ff->sigma, ff->r2, ff->adj_r2, ff->fstat, ff->df_model, ff->df_resid, ff->df_resid};
  snprintf(what, sizeof what, "%s sigma, R², adj R², F, df1, df2 vs R", P);
  check(what, model, want_model, 6, &max_rel_r);
  snprintf(what, sizeof what, "%s sigma, R², adj R², F, df1, df2 vs full-dummy fit", P);
  check(what, model, fmodel, 6, &max_rel_full);
  /* residuals are the full model's (Frisch–Waugh–Lovell) */
  double worst = 0;
  for (size_t i = 0; i < N; i++) worst = fmax(worst, fabs(fa->resid[i] - ff->resid[i]));
  ok(worst < 1e-12, "%s residuals equal the full fit's (max abs difference %.1e)", P, worst);
  g_free(lev);
  g_free(clc);
  rs_ols_free(fa);
  rs_ols_free(ff);
  rs_design_free(d);
  rs_design_free(full);
  if (w) gsl_vector_free(w);
}

/* the whole path, as `reformstat regress` runs it, written as CSV */
static char *regress_csv(const rs_table *t, const rs_regress_options *o, GError **err) {
  rs_results *r = rs_results_new("regress");
  char *buf = NULL, *warning = NULL;
  size_t len = 0;
  if (rs_regress_table(t, o, r, &warning, err)) {
    FILE *fp = open_memstream(&buf, &len);
    rs_results_write(r, fp, RS_FORMAT_CSV);
    fclose(fp);
  }
  g_free(warning);
  rs_results_free(r);
  return buf;
}

/* field k (1-based) of the CSV line starting with `name,` */
static double field(const char *csv, const char *name, int k) {
  char *key = g_strdup_printf("\n%s,", name);
  const char *p = strstr(csv, key);
  g_free(key);
  if (!p) return NAN;
  p++;
  for (int i = 1; i < k; i++) {
    p = strchr(p, ',');
    if (!p) return NAN;
    p++;
  }
  return *p == ',' || *p == '\n' ? NAN : strtod(p, NULL);
}

static void test_path(const rs_table *t) {
  GError *err = NULL;
  /* 40 levels > 30: absorbed without being asked */
  rs_regress_options o = {.formula = "y ~ x1 + x2 + factor(g)", .vcov = "cluster:g", .weight = "w"};
  char *csv = regress_csv(t, &o, &err);
  ok(csv && strstr(csv, "factor(g) absorbed") && !strstr(csv, "factor(g)2,") && !strstr(csv, "(Intercept)") &&
     strstr(csv, "\nabsorbed: factor(g),"),
     "40 levels: absorbed automatically, said so, no dummies or intercept shown");
  if (csv) {
    /* name,n,estimate,se: fields 3 and 4 */
    double got[4] = {field(csv, "x1", 3), field(csv, "x2", 3), field(csv, "x1", 4), field(csv, "x2", 4)};
    double want[4] = {W_COEF[0], W_COEF[1], W_CLG[0], W_CLG[1]};
    check("regress path, weighted, cluster:g: estimates and SEs vs R", got, want, 4, &max_rel_r);
  }
  free(csv);
  /* --no-absorb: every dummy, as lm */
  rs_regress_options on = {.formula = "y ~ x1 + x2 + factor(g)", .no_absorb = true};
  csv = regress_csv(t, &on, &err);
  ok(csv && strstr(csv, "\nfactor(g)40,") && !strstr(csv, "absorbed"), "--no-absorb: the 39 dummies are estimated");
  if (csv) {
    double got[2] = {field(csv, "x1", 3), field(csv, "x1", 4)}, want[2] = {U_COEF[0], U_SE[0]};
    check("--no-absorb: x1 estimate and SE vs R", got, want, 2, &max_rel_r);
  }
  free(csv);
  /* without intercept: factor(g) is the first factor term, R codes all 40 levels */
  rs_regress_options o0 = {.formula = "y ~ x1 + x2 + factor(g) - 1", .absorb = "g"};
  csv = regress_csv(t, &o0, &err);
  if (ok(csv != NULL, "- 1 with --absorb g: fitted")) {
    double got[5] = {field(csv, "sigma", 3), field(csv, "r_squared", 3), field(csv, "adj_r_squared", 3),
                     field(csv, "F", 5), field(csv, "x1", 3)};
    double want[5] = {N_MODEL[0], N_MODEL[1], N_MODEL[2], N_MODEL[3], U_COEF[0]};
    check("- 1: sigma, R², adj R², F (summary.lm without intercept), x1", got, want, 5, &max_rel_r);
  }
  free(csv);
  g_clear_error(&err);
  /* a variable constant within the levels: aliased (R aliases a dummy instead); x1 unchanged */
  rs_regress_options oz = {.formula = "y ~ x1 + z + factor(g)", .vcov = "cluster:g"};
  csv = regress_csv(t, &oz, &err);
  if (ok(csv && strstr(csv, "\nz,,,"), "z constant within g: reported aliased (NA)")) {
    double got[2] = {field(csv, "x1", 3), field(csv, "x1", 4)}, want[2] = {Z_COEF[0], Z_CLG[0]};
    check("z aliased: x1 estimate and vcovCL SE vs R (same rank, same df)", got, want, 2, &max_rel_r);
  }
  free(csv);
  g_clear_error(&err);
  /* what cannot be absorbed */
  struct { rs_regress_options o; const char *msg; } bad[] = {
    {{.formula = "y ~ x1 * factor(g)", .absorb = "g"}, "interaction"},
    {{.formula = "y ~ x1 + g", .absorb = "g"}, "numeric"},
    {{.formula = "y ~ x1 + factor(g)", .absorb = "cl"}, "no term factor(cl)"},
    {{.formula = "y ~ factor(g)", .absorb = "g"}, "nothing would be left"},
    {{.formula = "y ~ x1 + factor(cl) + factor(g) - 1", .absorb = "g"}, "first term with a factor"},
    {{.formula = "y ~ x1 + factor(g)", .absorb = "g", .binomial = true}, "linear models only"},
    {{.formula = "y ~ x1 + factor(g)", .absorb = "g", .no_absorb = true}, "not both"},
  };
  for (size_t k = 0; k < G_N_ELEMENTS(bad); k++) {
    csv = regress_csv(t, &bad[k].o, &err);
    ok(!csv && err && strstr(err->message, bad[k].msg), "%s --absorb %s: error '%s'", bad[k].o.formula,
       bad[k].o.absorb, err ? err->message : "none");
    free(csv);
    g_clear_error(&err);
  }
  /* in an interaction, automatic absorption just does not happen */
  rs_regress_options oi = {.formula = "y ~ x1 * factor(g)"};
  csv = regress_csv(t, &oi, &err);
  ok(csv && strstr(csv, "\nx1:factor(g)40,") && !strstr(csv, "absorbed"), "factor(g) in an interaction: not absorbed");
  free(csv);
  g_clear_error(&err);
}

int main(void) {
  rs_table *t = make_table();
  test_fit(t, false);
  test_fit(t, true);
  test_path(t);
  diag("largest relative error: against R %.2e, against the full-dummy fit %.2e", max_rel_r, max_rel_full);
  rs_table_free(t);
  return done();
}
