/* nist.h — reading a NIST StRD linear-regression / ANOVA file for the tests
 * (test-nist-regress.c, test-qrrows.c): certified values and data block,
 * read in place from $SHARED_DATA/nist (never copied), and the log relative
 * error LRE = -log10(|got - cert| / |cert|) (for a certified 0: -log10 |got|;
 * capped at 15).  Header-only: each test is its own program. */
#ifndef RS_TESTS_NIST_H
#define RS_TESTS_NIST_H

#include <glib.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static inline double lre(double got, double cert) {
  double e = cert != 0 ? fabs(got - cert) / fabs(cert) : fabs(got);
  if (e == 0) return 15;
  double l = -log10(e);
  return l > 15 ? 15 : l;
}

typedef struct {
  double *data;       /* nobs x ncols, row-major */
  size_t nobs, ncols;
  double b[16], sd[16];
  size_t nb;
  double resid_sd, r2, fstat;
} nist;

static inline bool nist_read(const char *path, nist *ns) {
  char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL)) return false;
  memset(ns, 0, sizeof *ns);
  ns->fstat = NAN;
  char **lines = g_strsplit(text, "\n", -1);
  g_free(text);
  int c0 = 0, c1 = 0, d0 = 0, d1 = 0;
  (void)c1;
  for (int i = 0; lines[i] && i < 12; i++) {
    const char *p;
    if ((p = strstr(lines[i], "Certified Values")) && strstr(p, "lines")) sscanf(strstr(p, "lines") + 5, "%d to %d", &c0, &c1);
    if ((p = strstr(lines[i], "Data")) && strstr(p, "(lines")) sscanf(strstr(p, "lines") + 5, "%d to %d", &d0, &d1);
  }
  /* to the data block: AtmWtAg's residual SD sits one line below its stated block */
  for (int i = c0 - 1; i < d0 - 1 && lines[i]; i++) {
    char *l = g_strstrip(g_strdup(lines[i]));
    char **tok = g_strsplit_set(l, " \t\r", -1);
    GPtrArray *t = g_ptr_array_new();
    for (char **s = tok; *s; s++)
      if (**s) g_ptr_array_add(t, *s);
    if (t->len == 3 && ((char *)t->pdata[0])[0] == 'B' && g_ascii_isdigit(((char *)t->pdata[0])[1])) {
      int k = atoi((char *)t->pdata[0] + 1);
      ns->b[k] = g_ascii_strtod(t->pdata[1], NULL);
      ns->sd[k] = g_ascii_strtod(t->pdata[2], NULL);
      if ((size_t)k + 1 > ns->nb) ns->nb = (size_t)k + 1;
    } else if (strstr(l, "Standard Deviation") && t->len >= 1 && !strstr(l, "Estimate")) {
      ns->resid_sd = g_ascii_strtod(t->pdata[t->len - 1], NULL);
    } else if (strstr(l, "R-Squared")) {
      ns->r2 = g_ascii_strtod(t->pdata[t->len - 1], NULL);
    } else if (g_str_has_prefix(l, "Between") && t->len >= 4) {
      ns->fstat = g_ascii_strtod(t->pdata[t->len - 1], NULL);
    }
    g_ptr_array_free(t, TRUE);
    g_strfreev(tok);
    g_free(l);
  }
  GArray *vals = g_array_new(FALSE, FALSE, sizeof(double));
  for (int i = d0 - 1; i < d1 && lines[i]; i++) {
    char **tok = g_strsplit_set(lines[i], " \t\r", -1);
    size_t nc = 0;
    for (char **s = tok; *s; s++)
      if (**s) {
        double v = g_ascii_strtod(*s, NULL);
        g_array_append_val(vals, v);
        nc++;
      }
    if (nc) { ns->ncols = nc; ns->nobs++; }
    g_strfreev(tok);
  }
  g_strfreev(lines);
  ns->data = (double *)g_array_free(vals, FALSE);
  return ns->nobs > 0;
}

static inline char *nist_path(const char *name) {
  const char *shared = getenv("SHARED_DATA");
  if (!shared || !*shared) return NULL;
  char *file = g_strconcat(name, ".dat", NULL);
  char *path = g_build_filename(shared, "nist", file, NULL);
  g_free(file);
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) { g_free(path); return NULL; }
  return path;
}

/* The design the file states: degree > 0 a polynomial in column 1 (x^j by
 * repeated multiplication), 0 all columns after y, -1 y = B1 x without an
 * intercept.  *X is nobs x *p, *y the first column. */
static inline void nist_design(const nist *ns, int degree, gsl_matrix **X, gsl_vector **y, size_t *p) {
  *p = degree > 0 ? (size_t)degree + 1 : degree == 0 ? ns->ncols : 1;
  *X = gsl_matrix_alloc(ns->nobs, *p);
  *y = gsl_vector_alloc(ns->nobs);
  for (size_t i = 0; i < ns->nobs; i++) {
    const double *row = ns->data + i * ns->ncols;
    gsl_vector_set(*y, i, row[0]);
    for (size_t j = 0; j < *p; j++) {
      double v;
      if (degree > 0) {
        v = 1;
        for (size_t e = 0; e < j; e++) v *= row[1];
      } else if (degree == 0) {
        v = j == 0 ? 1.0 : row[j];
      } else {
        v = row[1];
      }
      gsl_matrix_set(*X, i, j, v);
    }
  }
}

#endif
