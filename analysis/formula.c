/* formula.c — parsing R-style formulas and building design matrices.
 *
 * The parser is a small recursive descent over the grammar
 *   formula := NAME '~' sum
 *   sum     := ['+'|'-'] prod { ('+'|'-') prod }
 *   prod    := inter { '*' inter }            a*b = a + b + a:b
 *   inter   := atom { ':' atom }
 *   atom    := NAME | `quoted name` | factor '(' NAME ')' | '(' sum ')'
 * where a whole `prod` may also be the number 1 or 0 (intercept on/off).
 * A term is a set of variables (a bit set), as in R's terms().
 */
#include "analysis/formula.h"
#include "datasets/ptrmap.h"
#include "datasets/limits.h"
#include "datasets/privacy.h"
#include "datasets/error.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *text, *p;
  rs_formula *f;
  GError **err;
  bool failed;
  int depth;      /* of nested parentheses */
} parser;

/* R expands a*b*c*… into every interaction: 2^k - 1 terms for k variables.
 * Far below this many terms a model can no longer be fitted, and the
 * expansion (with its duplicate check, quadratic in the number of terms)
 * would run for hours: fuzzing found a 20-variable product that hung the
 * parser.  Likewise parentheses nest at most MAX_DEPTH deep, so that a long
 * run of '(' cannot exhaust the stack of the recursive descent. */
#define MAX_TERMS 4096
#define MAX_DEPTH 64

static void fail_at(parser *ps, const char *at, const char *what) {
  if (ps->failed) return;
  ps->failed = true;
  glong col = g_utf8_validate(ps->text, at - ps->text, NULL) ? g_utf8_pointer_to_offset(ps->text, at) : at - ps->text;
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "invalid formula: %s\n  %s\n  ", what, ps->text);
  for (glong i = 0; i < col; i++) g_string_append_c(s, ' ');
  g_string_append_c(s, '^');
  g_set_error_literal(ps->err, RS_ERROR, RS_ERROR_USAGE, s->str);
  g_string_free(s, TRUE);
}

static void skip_ws(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static bool is_name_start(unsigned char c) { return g_ascii_isalpha(c) || c == '_' || c == '.' || c >= 0x80; }
static bool is_name_char(unsigned char c) { return g_ascii_isalnum(c) || c == '_' || c == '.' || c >= 0x80; }

/* Reads a plain or `backquoted` name at ps->p; NULL (with error) if none. */
static char *read_name(parser *ps, const char *what) {
  skip_ws(ps);
  const char *start = ps->p;
  if (*ps->p == '`') {
    const char *e = strchr(ps->p + 1, '`');
    if (!e || e == ps->p + 1) {
      fail_at(ps, start, "a `quoted name` is not closed or empty");
      return NULL;
    }
    ps->p = e + 1;
    return g_strndup(start + 1, e - start - 1);
  }
  if (!is_name_start((unsigned char)*ps->p) || (*ps->p == '.' && g_ascii_isdigit(ps->p[1]))) {
    char *m = g_strdup_printf("expected %s", what);
    fail_at(ps, start, m);
    g_free(m);
    return NULL;
  }
  while (is_name_char((unsigned char)*ps->p)) ps->p++;
  return g_strndup(start, ps->p - start);
}

static int var_index(parser *ps, const char *name, bool factor, const char *at) {
  rs_formula *f = ps->f;
  for (size_t j = 0; j < f->n_vars; j++)
    if (f->vars[j].factor == factor && strcmp(f->vars[j].name, name) == 0) return (int)j;
  if (f->n_vars == RS_FORMULA_MAX_VARS) {
    fail_at(ps, at, "more than 64 variables on the right-hand side");
    return -1;
  }
  f->vars[f->n_vars].name = g_strdup(name);
  f->vars[f->n_vars].factor = factor;
  return (int)f->n_vars++;
}

static void add_term(GArray *a, uint64_t t) {
  for (guint i = 0; i < a->len; i++)
    if (g_array_index(a, uint64_t, i) == t) return;
  g_array_append_val(a, t);
}

static GArray *parse_sum(parser *ps, bool top);

/* true (with the error set) when a list of n terms is more than MAX_TERMS */
static bool too_many_terms(parser *ps, const char *at, size_t n) {
  if (n <= MAX_TERMS) return false;
  fail_at(ps, at, "the formula expands to more than 4096 terms (a*b*c*… makes every interaction of its variables)");
  return true;
}

static GArray *parse_atom(parser *ps) {
  skip_ws(ps);
  const char *start = ps->p;
  GArray *a = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  if (*ps->p == '(') {
    if (ps->depth >= MAX_DEPTH) {
      fail_at(ps, ps->p, "parentheses nested more than 64 deep");
      g_array_free(a, TRUE);
      return NULL;
    }
    ps->p++;
    ps->depth++;
    GArray *in = parse_sum(ps, false);
    ps->depth--;
    if (!in) { g_array_free(a, TRUE); return NULL; }
    skip_ws(ps);
    if (*ps->p != ')') {
      fail_at(ps, ps->p, "expected ')'");
      g_array_free(in, TRUE);
      g_array_free(a, TRUE);
      return NULL;
    }
    ps->p++;
    g_array_free(a, TRUE);
    return in;
  }
  char *name = read_name(ps, "a variable name");
  if (!name) { g_array_free(a, TRUE); return NULL; }
  bool factor = false;
  skip_ws(ps);
  if (strcmp(name, "factor") == 0 && *ps->p == '(') {
    ps->p++;
    g_free(name);
    name = read_name(ps, "a variable name inside factor( )");
    if (!name) { g_array_free(a, TRUE); return NULL; }
    skip_ws(ps);
    if (*ps->p != ')') {
      fail_at(ps, ps->p, "expected ')' after the variable in factor( )");
      g_free(name);
      g_array_free(a, TRUE);
      return NULL;
    }
    ps->p++;
    factor = true;
  } else if (*ps->p == '(') {
    char *m = g_strdup_printf("'%s( )' is not supported; only factor(VAR) (compute the variable in the data instead)", name);
    fail_at(ps, start, m);
    g_free(m);
    g_free(name);
    g_array_free(a, TRUE);
    return NULL;
  }
  int v = var_index(ps, name, factor, start);
  g_free(name);
  if (v < 0) { g_array_free(a, TRUE); return NULL; }
  uint64_t t = (uint64_t)1 << v;
  g_array_append_val(a, t);
  return a;
}

static GArray *cross(GArray *x, GArray *y) {
  GArray *r = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  for (guint i = 0; i < x->len; i++)
    for (guint j = 0; j < y->len; j++) add_term(r, g_array_index(x, uint64_t, i) | g_array_index(y, uint64_t, j));
  return r;
}

static GArray *parse_inter(parser *ps) {
  GArray *a = parse_atom(ps);
  while (a) {
    skip_ws(ps);
    if (*ps->p != ':') break;
    const char *at = ps->p++;
    GArray *b = parse_atom(ps);
    if (!b) { g_array_free(a, TRUE); return NULL; }
    if (too_many_terms(ps, at, (size_t)a->len * b->len)) { g_array_free(a, TRUE); g_array_free(b, TRUE); return NULL; }
    GArray *c = cross(a, b);
    g_array_free(a, TRUE);
    g_array_free(b, TRUE);
    a = c;
  }
  return a;
}

static GArray *parse_prod(parser *ps) {
  GArray *a = parse_inter(ps);
  while (a) {
    skip_ws(ps);
    if (*ps->p != '*') break;
    const char *at = ps->p++;
    GArray *b = parse_inter(ps);
    if (!b) { g_array_free(a, TRUE); return NULL; }
    /* a*b keeps a, b and their product: all three must fit */
    if (too_many_terms(ps, at, (size_t)a->len + b->len + (size_t)a->len * b->len)) {
      g_array_free(a, TRUE);
      g_array_free(b, TRUE);
      return NULL;
    }
    GArray *c = cross(a, b);
    GArray *r = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    for (guint i = 0; i < a->len; i++) add_term(r, g_array_index(a, uint64_t, i));
    for (guint i = 0; i < b->len; i++) add_term(r, g_array_index(b, uint64_t, i));
    for (guint i = 0; i < c->len; i++) add_term(r, g_array_index(c, uint64_t, i));
    g_array_free(a, TRUE);
    g_array_free(b, TRUE);
    g_array_free(c, TRUE);
    a = r;
  }
  return a;
}

/* top: the right-hand side itself, where 1 / 0 set the intercept. */
static GArray *parse_sum(parser *ps, bool top) {
  GArray *acc = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  bool first = true;
  for (;;) {
    skip_ws(ps);
    int sign = +1;
    const char *opat = ps->p;
    if (*ps->p == '+' || *ps->p == '-') {
      sign = *ps->p == '-' ? -1 : +1;
      ps->p++;
      skip_ws(ps);
    } else if (!first) {
      break;
    }
    first = false;
    if (*ps->p == '\0' || *ps->p == ')') {
      fail_at(ps, ps->p, opat < ps->p ? "expected a term after the operator" : "expected a term");
      g_array_free(acc, TRUE);
      return NULL;
    }
    if ((*ps->p == '0' || *ps->p == '1') && !g_ascii_isalnum(ps->p[1]) && ps->p[1] != '.') {
      if (!top) {
        fail_at(ps, ps->p, "the intercept (1 or 0) can only be added or removed at the top level");
        g_array_free(acc, TRUE);
        return NULL;
      }
      bool one = *ps->p == '1';
      ps->p++;
      ps->f->intercept = (one == (sign > 0));
      skip_ws(ps);
      if (*ps->p == ':' || *ps->p == '*') {
        fail_at(ps, ps->p, "the intercept (1 or 0) cannot be part of an interaction");
        g_array_free(acc, TRUE);
        return NULL;
      }
      continue;
    }
    if (g_ascii_isdigit(*ps->p)) {
      fail_at(ps, ps->p, "a number can only be 1 or 0 (the intercept)");
      g_array_free(acc, TRUE);
      return NULL;
    }
    GArray *t = parse_prod(ps);
    if (!t) { g_array_free(acc, TRUE); return NULL; }
    for (guint i = 0; i < t->len; i++) {
      uint64_t term = g_array_index(t, uint64_t, i);
      if (sign > 0) {
        add_term(acc, term);
      } else {
        for (guint k = 0; k < acc->len; k++)
          if (g_array_index(acc, uint64_t, k) == term) { g_array_remove_index(acc, k); break; }
      }
    }
    if (too_many_terms(ps, opat, acc->len)) { g_array_free(t, TRUE); g_array_free(acc, TRUE); return NULL; }
    g_array_free(t, TRUE);
  }
  return acc;
}

static int popcount64(uint64_t x) {
  int c = 0;
  while (x) { x &= x - 1; c++; }
  return c;
}

rs_formula *rs_formula_parse(const char *text, GError **err) {
  rs_formula *f = g_new0(rs_formula, 1);
  f->text = g_strdup(text ? text : "");
  f->intercept = true;
  parser ps = {.text = f->text, .p = f->text, .f = f, .err = err};
  f->response = read_name(&ps, "the response variable before '~'");
  if (!f->response) { rs_formula_free(f); return NULL; }
  skip_ws(&ps);
  if (*ps.p != '~') {
    fail_at(&ps, ps.p, "expected '~' after the response variable (Y ~ X1 + X2)");
    rs_formula_free(f);
    return NULL;
  }
  ps.p++;
  GArray *terms = parse_sum(&ps, true);
  if (terms) {
    skip_ws(&ps);
    if (*ps.p != '\0') fail_at(&ps, ps.p, *ps.p == ')' ? "unmatched ')'" : "expected '+', '-', '*' or ':'");
  }
  if (ps.failed) {
    if (terms) g_array_free(terms, TRUE);
    rs_formula_free(f);
    return NULL;
  }
  /* R's terms(): order by degree, keeping the written order within a degree. */
  f->n_terms = terms->len;
  f->terms = g_new(uint64_t, terms->len ? terms->len : 1);
  size_t k = 0;
  for (int deg = 1; deg <= RS_FORMULA_MAX_VARS && k < f->n_terms; deg++)
    for (guint i = 0; i < terms->len; i++)
      if (popcount64(g_array_index(terms, uint64_t, i)) == deg) f->terms[k++] = g_array_index(terms, uint64_t, i);
  g_array_free(terms, TRUE);
  return f;
}

void rs_formula_free(rs_formula *f) {
  if (!f) return;
  for (size_t j = 0; j < f->n_vars; j++) g_free(f->vars[j].name);
  g_free(f->terms);
  g_free(f->response);
  g_free(f->text);
  g_free(f);
}

static char *var_label(const rs_formula_var *v) {
  return v->factor ? g_strdup_printf("factor(%s)", v->name) : g_strdup(v->name);
}

char *rs_formula_term_label(const rs_formula *f, size_t term) {
  GString *s = g_string_new(NULL);
  for (size_t j = 0; j < f->n_vars; j++) {
    if (!(f->terms[term] & ((uint64_t)1 << j))) continue;
    if (s->len) g_string_append_c(s, ':');
    char *l = var_label(&f->vars[j]);
    g_string_append(s, l);
    g_free(l);
  }
  return g_string_free(s, FALSE);
}

/* ---- design matrix ------------------------------------------------------ */

typedef struct {
  const rs_column *col;
  bool is_factor;        /* factor(): or a text column */
  size_t n_levels;
  char **labels;         /* level labels (as R prints them) */
  double *num_levels;    /* numeric column: sorted distinct values */
  GHashTable *str_index; /* text column: level -> index + 1 */
  rs_ptrmap *seen;       /* text column: cell address -> index (ptrmap.h) */
} var_info;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Levels of a factor from the rows used (`use`).  A text column stops
 * counting past `max` levels (--max-levels): its n_levels is then max + 1
 * and the caller refuses it, before a hash of millions of ids is built. */
static void collect_levels(var_info *vi, const bool *use, size_t nrows, size_t max) {
  const rs_column *c = vi->col;
  if (c->storage == RS_STORE_NUM) {
    /* the distinct values (a hash set on the bits, -0 as 0; a factor has few
     * levels, so this is one cheap pass, not a sort of every row), sorted */
    GHashTable *h = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    GArray *dv = g_array_new(FALSE, FALSE, sizeof(double));
    double last = NAN, few[32];   /* the first distinct values, searched before the hash */
    size_t nfew = 0;
    for (size_t i = 0; i < nrows; i++) {
      if (!use[i]) continue;
      double x = c->num[i] == 0 ? 0.0 : c->num[i];
      if (x == last) continue;   /* runs of one value skip the hash */
      last = x;
      bool known = false;
      for (size_t k = 0; k < nfew && !known; k++) known = few[k] == x;
      if (known) continue;
      if (nfew < G_N_ELEMENTS(few) && x == x) few[nfew++] = x;   /* NaN never equals itself: hash only */
      gint64 bits;
      memcpy(&bits, &x, sizeof bits);
      if (!g_hash_table_contains(h, &bits)) {
        g_hash_table_add(h, g_memdup2(&bits, sizeof bits));
        g_array_append_val(dv, x);
      }
    }
    g_hash_table_destroy(h);
    size_t m = dv->len;
    double *v = (double *)g_array_free(dv, FALSE);
    if (!v) v = g_new(double, 1);
    gsl_sort(v, 1, m);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
      if (u == 0 || v[i] != v[u - 1]) v[u++] = v[i];
    vi->num_levels = v;
    vi->n_levels = u;
    vi->labels = g_new0(char *, u + 1);
    for (size_t i = 0; i < u; i++) vi->labels[i] = g_strdup_printf("%.15g", v[i]);  /* R's as.character(): 15 digits */
  } else {
    GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *a = g_ptr_array_new();
    vi->seen = g_new0(rs_ptrmap, 1);
    size_t unused;
    for (size_t i = 0; i < nrows && a->len <= max; i++) {
      if (!use[i] || rs_ptrmap_get(vi->seen, c->str[i], &unused)) continue;
      rs_ptrmap_put(vi->seen, c->str[i], 0);
      if (!g_hash_table_contains(h, c->str[i])) {
        g_hash_table_add(h, c->str[i]);
        g_ptr_array_add(a, c->str[i]);
      }
    }
    memset(vi->seen, 0, sizeof *vi->seen);   /* from here: address -> level (level_of) */
    qsort(a->pdata, a->len, sizeof(char *), cmp_str);
    g_hash_table_remove_all(h);
    vi->n_levels = a->len;
    vi->labels = g_new0(char *, a->len + 1);
    for (guint i = 0; i < a->len; i++) {
      vi->labels[i] = g_strdup(a->pdata[i]);
      g_hash_table_insert(h, a->pdata[i], GSIZE_TO_POINTER(i + 1));
    }
    g_ptr_array_free(a, TRUE);
    vi->str_index = h;
  }
}

static size_t level_of(var_info *vi, size_t row) {
  if (vi->str_index) {
    const char *s = vi->col->str[row];
    size_t lev;
    if (rs_ptrmap_get(vi->seen, s, &lev)) return lev;
    lev = GPOINTER_TO_SIZE(g_hash_table_lookup(vi->str_index, s)) - 1;
    rs_ptrmap_put(vi->seen, s, lev);
    return lev;
  }
  double x = vi->col->num[row];
  size_t lo = 0, hi = vi->n_levels;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (vi->num_levels[mid] <= x) lo = mid; else hi = mid;
  }
  return lo;
}

static bool cell_present(const rs_column *c, size_t i) {
  if (!rs_column_present(c, i)) return false;
  if (c->storage == RS_STORE_NUM) return isfinite(c->num[i]);
  return c->str[i] != NULL;
}

static const rs_column *find_col(const rs_table *t, const char *name, const char *formula, GError **err) {
  int j = rs_table_find(t, name);
  if (j < 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "%s: no column '%s' (formula %s)", t->path ? t->path : "data", name,
                formula);
    return NULL;
  }
  return &t->cols[j];
}

rs_design *rs_design_build(const rs_formula *f, const rs_table *t, const rs_design_options *o, GError **err) {
  rs_design_options defaults = {0};
  if (!o) o = &defaults;
  const rs_column *ycol = find_col(t, f->response, f->text, err);
  if (!ycol) return NULL;
  var_info vi[RS_FORMULA_MAX_VARS];
  memset(vi, 0, sizeof vi);
  for (size_t j = 0; j < f->n_vars; j++) {
    vi[j].col = find_col(t, f->vars[j].name, f->text, err);
    if (!vi[j].col) return NULL;
    vi[j].is_factor = f->vars[j].factor || vi[j].col->storage == RS_STORE_STR;
  }
  if (ycol->storage == RS_STORE_STR && !o->binary_response) {
    g_set_error(err, RS_ERROR, RS_ERROR_VALUE, "%s: the response '%s' is text (type %s), not a number",
                t->path ? t->path : "data", f->response, rs_type_name(ycol->type));
    return NULL;
  }
  GPtrArray *extra = g_ptr_array_new();
  for (const char *const *e = o->extra; e && *e; e++) {
    const rs_column *c = find_col(t, *e, f->text, err);
    if (!c) { g_ptr_array_free(extra, TRUE); return NULL; }
    g_ptr_array_add(extra, (gpointer)c);
  }
  /* listwise deletion: a row is used when every variable is present */
  bool *use = g_new(bool, t->nrows ? t->nrows : 1);
  size_t n = 0, considered = 0;
  for (size_t i = 0; i < t->nrows; i++) {
    if (o->subset && !o->subset[i]) {
      use[i] = false;
      continue;
    }
    considered++;
    bool u = cell_present(ycol, i);
    for (size_t j = 0; u && j < f->n_vars; j++) u = cell_present(vi[j].col, i);
    for (guint k = 0; u && k < extra->len; k++) u = cell_present(extra->pdata[k], i);
    use[i] = u;
    n += u;
  }
  g_ptr_array_free(extra, TRUE);

  rs_design *d = g_new0(rs_design, 1);
  d->n = n;
  d->n_dropped = considered - n;
  d->intercept = f->intercept;
  d->response = g_strdup(f->response);
  size_t max_levels = rs_limits_max_levels();
  for (size_t j = 0; j < f->n_vars; j++) {
    if (!vi[j].is_factor) continue;
    /* factor levels name the coefficients: never ids or free text (privacy.h) */
    char *use_as = g_strdup_printf("factor(%s) in the formula %s", f->vars[j].name, f->text);
    gboolean allowed = rs_privacy_check(t, vi[j].col, use_as, err);
    g_free(use_as);
    if (!allowed) goto fail;
    collect_levels(&vi[j], use, t->nrows, max_levels);
    char *what = g_strdup_printf("%s: factor(%s) in the formula %s", t->path ? t->path : "data", f->vars[j].name, f->text);
    gboolean fits = rs_limits_check_levels(vi[j].n_levels, what, err);
    g_free(what);
    if (!fits) goto fail;
  }

  if (ycol->storage == RS_STORE_STR) {
    var_info yv = {.col = ycol};
    collect_levels(&yv, use, t->nrows, SIZE_MAX);
    if (yv.n_levels > 2) {
      g_set_error(err, RS_ERROR, RS_ERROR_VALUE,
                  "%s: the response '%s' has %zu different values ('%s', '%s', '%s'…); logistic regression needs two",
                  t->path ? t->path : "data", f->response, yv.n_levels, yv.labels[0], yv.labels[1], yv.labels[2]);
      g_strfreev(yv.labels);
      g_hash_table_destroy(yv.str_index);
      g_free(yv.seen);
      goto fail;
    }
    for (size_t k = 0; k < yv.n_levels; k++) d->y_levels[k] = g_strdup(yv.labels[k]);
    g_strfreev(yv.labels);
    g_hash_table_destroy(yv.str_index);
    g_free(yv.seen);
  }

  /* coding of each factor in each term (R's TermCode): 1 contrasts, 2 all levels */
  size_t nt = f->n_terms;
  uint8_t (*code)[RS_FORMULA_MAX_VARS] = g_malloc0((nt ? nt : 1) * sizeof *code);
  for (size_t k = 0; k < nt; k++)
    for (size_t j = 0; j < f->n_vars; j++) {
      uint64_t bit = (uint64_t)1 << j;
      if (!(f->terms[k] & bit) || !vi[j].is_factor) continue;
      uint64_t rest = f->terms[k] & ~bit;
      int c = rest == 0 ? 1 : 2;
      for (size_t k2 = 0; c == 2 && k2 < k; k2++)
        if ((rest & ~f->terms[k2]) == 0) c = 1;
      code[k][j] = (uint8_t)c;
    }
  if (!f->intercept) {
    for (size_t k = 0; k < nt; k++) {
      size_t j = 0;
      while (j < f->n_vars && code[k][j] == 0) j++;
      if (j < f->n_vars) { code[k][j] = 2; break; }
    }
  }
  /* columns */
  size_t p = f->intercept ? 1 : 0;
  size_t *first_col = g_new(size_t, nt ? nt : 1);
  for (size_t k = 0; k < nt; k++) {
    size_t m = 1;
    for (size_t j = 0; j < f->n_vars; j++) {
      if (!(f->terms[k] & ((uint64_t)1 << j)) || !vi[j].is_factor) continue;
      size_t L = vi[j].n_levels;
      m *= code[k][j] == 1 ? (L ? L - 1 : 0) : L;
    }
    first_col[k] = p;
    p += m;
  }
  /* the design matrix, and about as much again for the QR the fit makes */
  char *what = g_strdup_printf("%s: the design matrix of %s (%zu rows × %zu columns)", t->path ? t->path : "data",
                               f->text, n, p);
  size_t width = nt + (f->intercept ? 1 : 0);
  double need = o->sparse ? (double)n * (double)width * (sizeof(double) + sizeof(uint32_t))
                          : 2.0 * (double)n * (double)p * sizeof(double);
  gboolean fits = rs_limits_check_memory(need, what, err);
  g_free(what);
  if (!fits) {
    g_free(code);
    g_free(first_col);
    goto fail;
  }
  d->p = p;
  d->names = g_new0(char *, p + 1);
  d->term = g_new(size_t, p ? p : 1);
  size_t c0 = 0;
  if (f->intercept) {
    d->names[0] = g_strdup("(Intercept)");
    d->term[0] = (size_t)-1;
    c0 = 1;
  }
  for (size_t k = 0; k < nt; k++) {
    size_t m = (k + 1 < nt ? first_col[k + 1] : p) - first_col[k];
    for (size_t c = 0; c < m; c++) {
      /* first variable varies fastest, as in R's model.matrix */
      GString *s = g_string_new(NULL);
      size_t rem = c;
      for (size_t j = 0; j < f->n_vars; j++) {
        if (!(f->terms[k] & ((uint64_t)1 << j))) continue;
        if (s->len) g_string_append_c(s, ':');
        char *l = var_label(&f->vars[j]);
        g_string_append(s, l);
        g_free(l);
        if (vi[j].is_factor) {
          size_t L = code[k][j] == 1 ? vi[j].n_levels - 1 : vi[j].n_levels;
          size_t lev = rem % L + (code[k][j] == 1 ? 1 : 0);
          rem /= L;
          g_string_append(s, vi[j].labels[lev]);
        }
      }
      d->names[c0] = g_string_free(s, FALSE);
      d->term[c0] = k;
      c0++;
    }
  }
  (void)c0;

  if (o->sparse) {
    d->width = width;
    d->sp_col = g_new(uint32_t, MAX(n * width, 1));
    d->sp_val = g_new(double, MAX(n * width, 1));
  } else {
    d->X = gsl_matrix_alloc(n ? n : 1, p ? p : 1);   /* each row is zeroed as it is filled (one pass, not two) */
    if (n == 0) gsl_matrix_set_zero(d->X);
    rs_table_advise_huge(d->X->data, d->X->size1 * d->X->tda * sizeof(double));
  }
  d->y = gsl_vector_alloc(n ? n : 1);
  d->rows = g_new(size_t, n ? n : 1);
  size_t r = 0;
  for (size_t i = 0; i < t->nrows; i++) {
    if (!use[i]) continue;
    d->rows[r] = i;
    double *xr = d->X ? d->X->data + r * d->X->tda : NULL;   /* r < n: inside X */
    uint32_t *sc = d->sp_col ? d->sp_col + r * width : NULL;
    double *sv = d->sp_val ? d->sp_val + r * width : NULL;
    if (xr) memset(xr, 0, (p ? p : 1) * sizeof(double));
    if (ycol->storage == RS_STORE_STR)
      d->y->data[r * d->y->stride] = d->y_levels[1] && strcmp(ycol->str[i], d->y_levels[1]) == 0 ? 1.0 : 0.0;
    else
      d->y->data[r * d->y->stride] = ycol->num[i];
    if (f->intercept) {
      if (xr) xr[0] = 1.0;
      else { *sc++ = 0; *sv++ = 1.0; }
    }
    for (size_t k = 0; k < nt; k++) {
      double v = 1.0;
      size_t off = 0, stride = 1;
      bool zero = false;
      for (size_t j = 0; j < f->n_vars && !zero; j++) {
        if (!(f->terms[k] & ((uint64_t)1 << j))) continue;
        if (!vi[j].is_factor) {
          v *= vi[j].col->num[i];
          continue;
        }
        size_t lev = level_of(&vi[j], i);
        if (code[k][j] == 1) {
          if (lev == 0) zero = true;
          off += (lev - 1) * stride;
          stride *= vi[j].n_levels - 1;
        } else {
          off += lev * stride;
          stride *= vi[j].n_levels;
        }
      }
      if (xr) {
        if (!zero) xr[first_col[k] + off] = v;
      } else {
        *sc++ = zero ? RS_DESIGN_ZERO : (uint32_t)(first_col[k] + off);
        *sv++ = zero ? 0.0 : v;
      }
    }
    r++;
  }
  g_free(first_col);
  g_free(code);
  g_free(use);
  for (size_t j = 0; j < f->n_vars; j++) {
    g_strfreev(vi[j].labels);
    g_free(vi[j].num_levels);
    if (vi[j].str_index) g_hash_table_destroy(vi[j].str_index);
    g_free(vi[j].seen);
  }
  return d;
fail:
  g_free(use);
  for (size_t j = 0; j < f->n_vars; j++) {
    g_strfreev(vi[j].labels);
    g_free(vi[j].num_levels);
    if (vi[j].str_index) g_hash_table_destroy(vi[j].str_index);
    g_free(vi[j].seen);
  }
  rs_design_free(d);
  return NULL;
}

gboolean rs_design_densify(rs_design *d, GError **err) {
  if (d->X) return TRUE;
  char *what = g_strdup_printf("the design matrix of %s (%zu rows × %zu columns)", d->response, d->n, d->p);
  gboolean fits = rs_limits_check_memory(2.0 * (double)d->n * (double)d->p * sizeof(double), what, err);
  g_free(what);
  if (!fits) return FALSE;
  d->X = gsl_matrix_calloc(d->n ? d->n : 1, d->p ? d->p : 1);
  for (size_t r = 0; r < d->n; r++)
    for (size_t m = 0; m < d->width; m++) {
      uint32_t c = d->sp_col[r * d->width + m];
      if (c != RS_DESIGN_ZERO) gsl_matrix_set(d->X, r, c, d->sp_val[r * d->width + m]);
    }
  return TRUE;
}

void rs_design_free(rs_design *d) {
  if (!d) return;
  if (d->X) gsl_matrix_free(d->X);
  g_free(d->sp_col);
  g_free(d->sp_val);
  if (d->y) gsl_vector_free(d->y);
  g_strfreev(d->names);
  g_free(d->term);
  g_free(d->rows);
  g_free(d->response);
  g_free(d->y_levels[0]);
  g_free(d->y_levels[1]);
  g_free(d);
}
