/* simulate.c — synthetic reform data with known effects (see simulate.h).
 *
 * Layout of this file, top to bottom:
 *   1. small helpers: calendar dates, fixed-decimal formatting, the CSV
 *      writer (plain or excel-nb), JSON strings;
 *   2. options: defaults and the checks behind every error message;
 *   3. the kommune size model and per-kommune random effects;
 *   4. the four datasets, each a generator plus its codebook;
 *   5. truth.json: parameters and the expectations they imply;
 *   6. the output directory: temporary directory, rename, --force.
 *
 * Reproducibility rules kept throughout: every random number comes from a
 * gsl_rng_mt19937 stream seeded from the --seed; every row draws the same
 * number of variates whatever branch it takes; numbers are printed from
 * integers (llround of value * 10^decimals) with the decimal mark chosen
 * here, never through printf's %f/%g or the locale; output order is the
 * order of the kommune list and of generation, never of a hash table.
 */
#include "datasets/simulate.h"
#include "datasets/atomic.h"
#include "datasets/value.h"
#include "datasets/error.h"
#include "datasets/kommune.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Keep a*b+c as two roundings on every target (GCC contracts to FMA by
 * default in GNU C mode on machines that have it, e.g. aarch64), so that
 * the values behind the printed digits are the same everywhere. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

/* Written to truth.json.  Bump it with any change that alters the output,
 * and regenerate datasets/sample (README.md, "Synthetic data"). */
#define SIM_MODEL_VERSION 1
#define REFORM_YEAR 2022
#define REFORM_MONTH 8         /* 1 August 2022 */
#define FIRST_POST_WAVE 2023   /* no survey wave in the reform year */
#define MAX_SERVICES 15
#define N_WAVES_MAX (RS_SIMULATE_YEAR_MAX - RS_SIMULATE_YEAR_MIN + 1)

/* ======================================================================
 * 1. Helpers
 * ====================================================================== */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), integers only. */
static int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

static const long long pow10_ll[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/* Appends `scaled` / 10^dec with exactly `dec` decimals and decimal mark `mark`. */
static void append_fixed(GString *s, long long scaled, int dec, char mark) {
  char tmp[32];
  int n = 0;
  bool neg = scaled < 0;
  unsigned long long v = neg ? (unsigned long long)(-(scaled + 1)) + 1u : (unsigned long long)scaled;
  int digits = 0;
  do {
    tmp[n++] = (char)('0' + (int)(v % 10u));
    v /= 10u;
    digits++;
    if (digits == dec) tmp[n++] = mark;
  } while (v != 0 || digits <= dec);
  if (neg) tmp[n++] = '-';
  while (n > 0) g_string_append_c(s, tmp[--n]);
}

static long long scale_round(double x, int dec) { return llround(x * (double)pow10_ll[dec]); }

static void append_real(GString *s, double x, int dec, char mark) { append_fixed(s, scale_round(x, dec), dec, mark); }


static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }
static double logit(double p) { return log(p / (1.0 - p)); }

/* Index of the first cumulative probability above u (the last category
 * takes the rest). */
static int draw_cdf(double u, const double *cdf, int n) {
  int k = 0;
  while (k < n - 1 && u >= cdf[k]) k++;
  return k;
}

static void make_cdf(const double *p, int n, double *cdf) {
  double acc = 0;
  for (int i = 0; i < n; i++) {
    acc += p[i];
    cdf[i] = acc;
  }
  for (int i = 0; i < n; i++) cdf[i] /= acc;
}

/* ---- the CSV writer -------------------------------------------------------
 * One per output file.  Rows are built in a UTF-8 buffer and flushed at row
 * ends once it holds 1 MiB; excel-nb converts each flush to Windows-1252
 * (only when it holds non-ASCII bytes, which family rows never do). */

typedef struct {
  FILE *fp;
  char *path;
  GString *buf;
  char delim, mark;
  bool cp1252, crlf, nb_dates;
  bool in_row;
  size_t rows;      /* data rows after the header */
  guint64 bytes;
  GError *error;    /* first failure */
} sim_out;

static bool out_flush(sim_out *w) {
  if (w->error || w->buf->len == 0) {
    g_string_truncate(w->buf, 0);
    return w->error == NULL;
  }
  const char *data = w->buf->str;
  gsize len = w->buf->len;
  char *conv = NULL;
  if (w->cp1252) {
    bool ascii = true;
    for (gsize i = 0; i < len && ascii; i++) ascii = (unsigned char)data[i] < 0x80;
    if (!ascii) {
      GError *e = NULL;
      gsize written = 0;
      conv = g_convert(data, (gssize)len, "WINDOWS-1252", "UTF-8", NULL, &written, &e);
      if (!conv) {
        g_set_error(&w->error, RS_ERROR, RS_ERROR_INTERNAL, "%s: cannot convert to Windows-1252: %s", w->path,
                    e->message);
        g_error_free(e);
        g_string_truncate(w->buf, 0);
        return false;
      }
      data = conv;
      len = written;
    }
  }
  if (fwrite(data, 1, len, w->fp) != len) {
    int e = errno;
    g_set_error(&w->error, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", w->path, g_strerror(e ? e : EIO));
  }
  w->bytes += len;
  g_free(conv);
  g_string_truncate(w->buf, 0);
  return w->error == NULL;
}

static sim_out *out_open(const char *dir, const char *name, rs_simulate_style style, GError **err) {
  sim_out *w = g_new0(sim_out, 1);
  w->path = g_build_filename(dir, name, NULL);
  w->fp = g_fopen(w->path, "wb");
  if (!w->fp) {
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot create: %s", w->path, g_strerror(e));
    g_free(w->path);
    g_free(w);
    return NULL;
  }
  w->buf = g_string_sized_new(1 << 21);
  bool nb = style == RS_SIMULATE_EXCEL_NB;
  w->delim = nb ? ';' : ',';
  w->mark = nb ? ',' : '.';
  w->cp1252 = w->crlf = w->nb_dates = nb;
  return w;
}

/* Flushes, syncs and closes; false (with *err) on any failure so far. */
static bool out_close(sim_out *w, rs_simulate_file *info, GError **err) {
  out_flush(w);
  if (!w->error) {
    if (fflush(w->fp) != 0 || ferror(w->fp) || fsync(fileno(w->fp)) != 0) {
      int e = errno;
      g_set_error(&w->error, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", w->path, g_strerror(e ? e : EIO));
    }
  }
  if (fclose(w->fp) != 0 && !w->error) {
    int e = errno;
    g_set_error(&w->error, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", w->path, g_strerror(e));
  }
  bool ok = w->error == NULL;
  if (!ok) g_propagate_error(err, w->error);
  if (info) {
    info->name = g_path_get_basename(w->path);
    info->rows = w->rows;
    info->bytes = w->bytes;
  }
  g_string_free(w->buf, TRUE);
  g_free(w->path);
  g_free(w);
  return ok;
}

static inline void out_sep(sim_out *w) {
  if (w->in_row) g_string_append_c(w->buf, w->delim);
  else w->in_row = true;
}

static void out_end(sim_out *w) {
  if (w->crlf) g_string_append_c(w->buf, '\r');
  g_string_append_c(w->buf, '\n');
  w->in_row = false;
  w->rows++;
  if (w->buf->len >= (1u << 20)) out_flush(w);
}

static void out_empty(sim_out *w) { out_sep(w); }

/* Text that needs no quoting (ids, codes, SSB symbols). */
static void out_raw(sim_out *w, const char *s) {
  out_sep(w);
  g_string_append(w->buf, s);
}

static void out_str(sim_out *w, const char *s) {
  out_sep(w);
  bool quote = false;
  for (const char *p = s; *p && !quote; p++) quote = *p == w->delim || *p == '"' || *p == '\n' || *p == '\r';
  if (!quote) {
    g_string_append(w->buf, s);
    return;
  }
  g_string_append_c(w->buf, '"');
  for (const char *p = s; *p; p++) {
    if (*p == '"') g_string_append_c(w->buf, '"');
    g_string_append_c(w->buf, *p);
  }
  g_string_append_c(w->buf, '"');
}

static void out_int(sim_out *w, long long v) {
  out_sep(w);
  append_fixed(w->buf, v, 0, w->mark);
}

static void out_fixed(sim_out *w, long long scaled, int dec) {
  out_sep(w);
  append_fixed(w->buf, scaled, dec, w->mark);
}

static void out_date(sim_out *w, int32_t days) {
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  out_sep(w);
  char tmp[16];
  if (w->nb_dates) g_snprintf(tmp, sizeof tmp, "%02d.%02d.%04d", d, m, y);
  else g_snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
  g_string_append(w->buf, tmp);
}

static void out_header(sim_out *w, const char *const *names) {
  for (const char *const *n = names; *n; n++) out_raw(w, *n);
  out_end(w);
  w->rows = 0;
}

/* ---- codebook rows ------------------------------------------------------ */

typedef struct {
  const char *name, *label_nb, *label_en, *type;
  const char *min, *max;   /* integers as text, or NULL */
  int reverse;
  const char *missing, *values, *index;
} cb_row;

static const char *const codebook_header[] = {"name", "label_nb", "label_en", "type", "min", "max",
                                              "reverse", "missing", "values", "index", NULL};

static void cb_write(sim_out *w, const cb_row *r) {
  out_raw(w, r->name);
  out_str(w, r->label_nb);
  out_str(w, r->label_en);
  out_raw(w, r->type);
  if (r->min) out_raw(w, r->min); else out_empty(w);
  if (r->max) out_raw(w, r->max); else out_empty(w);
  out_int(w, r->reverse);
  if (r->missing) out_str(w, r->missing); else out_empty(w);
  if (r->values) out_str(w, r->values); else out_empty(w);
  if (r->index) out_raw(w, r->index); else out_empty(w);
  out_end(w);
}

/* ======================================================================
 * 2. Options
 * ====================================================================== */

void rs_simulate_options_init(rs_simulate_options *o) {
  memset(o, 0, sizeof *o);
  o->n_families = 3000;
  o->n_coordinators = 300;
  o->year_first = 2019;
  o->year_last = 2025;
  o->style = RS_SIMULATE_PLAIN;
  o->kommune_source = "kommuner_2024.csv";
  rs_simulate_effects *e = &o->effects;
  const double post[] = {0.05, 0.05, 0.0, 0.0};
  const double coord[] = {0.30, 0.35, 0.20, -0.25};
  const double serv[] = {-0.10, -0.05, -0.05, 0.20};
  for (int d = 0; d < RS_SIM_N_INDEX; d++) {
    e->post[d] = post[d];
    e->coordinator[d] = coord[d];
    e->barnekoordinator[d] = 0.0;
    e->services[d] = serv[d];
  }
  e->kommune_sd = 0.10;
  e->share_koordinator_pre = 0.35;
  e->share_coordinated_post = 0.45;
  e->bk_share_2023 = 0.40;
  e->bk_share_per_year = 0.08;
  e->coordinator_services_logit = 0.50;
  e->bk_services_logit = 0.20;
  e->panel_share = 0.20;
  e->capacity_per_load = -0.15;
  e->training_role_clarity = 0.30;
  e->training_competence = 0.30;
  e->families_base = 2.2;
  e->families_per_hour = 0.30;
  e->ip_rate_2019 = 3.5;
  e->ip_trend_pre = -0.15;
  e->ip_level_change = 0.30;
  e->ip_slope_change = 0.20;
  e->koord_rate_2019 = 5.5;
  e->koord_trend_pre = -0.10;
  e->koord_level_change = 0.50;
  e->koord_slope_change = 0.25;
  e->bk_plateau = 2.0;
  e->bk_ramp = 0.10;
  e->kommune_rate_sd = 0.25;
  e->ar1_phi = 0.6;
  e->ar1_sd = 0.04;
  e->suppress_below = 5;
  e->not_yet_months = 3;
  e->provisional_months = 6;
  e->complaint_rate_pre = 0.04;
  e->complaint_rate_post = 0.08;
  e->tilsyn_rate = 0.03;
  e->processing_median_days = 27;
}

static bool all_digits(const char *s) {
  if (!s || !*s) return false;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return false;
  return true;
}

gboolean rs_simulate_parse_seed(const char *text, unsigned long *out, GError **err) {
  char *t = g_strstrip(g_strdup(text ? text : ""));
  bool okd = all_digits(t);
  guint64 v = 0;
  if (okd && strlen(t) <= 10) v = g_ascii_strtoull(t, NULL, 10);
  if (!okd || strlen(t) > 10 || v > 4294967295ULL) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--seed must be a whole number from 0 to 4294967295, not '%s'", text ? text : "");
    g_free(t);
    return FALSE;
  }
  g_free(t);
  *out = (unsigned long)v;
  return TRUE;
}

gboolean rs_simulate_parse_count(const char *option, const char *text, long max, long *out, GError **err) {
  char *t = g_strstrip(g_strdup(text ? text : ""));
  bool okd = all_digits(t);
  guint64 v = 0;
  if (okd && strlen(t) <= 12) v = g_ascii_strtoull(t, NULL, 10);
  gboolean ok = FALSE;
  if (t[0] == '-' && all_digits(t + 1)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--%s must be at least 1, not %s", option, t);
  } else if (!okd) {
    /* also digit groups such as 1,000,000 or 1_000_000 */
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--%s must be a whole number written with digits only, not '%s'",
                option, text ? text : "");
  } else if (strlen(t) > 12 || v > (guint64)max) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--%s %s is too large: at most %ld", option, t, max);
  } else if (v == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--%s must be at least 1", option);
  } else {
    *out = (long)v;
    ok = TRUE;
  }
  g_free(t);
  return ok;
}

gboolean rs_simulate_parse_years(const char *text, int *first, int *last, GError **err) {
  char *t = g_strstrip(g_strdup(text ? text : ""));
  char **parts = g_strsplit(t, "-", -1);
  guint n = g_strv_length(parts);
  bool okf = (n == 1 || n == 2);
  long y[2] = {0, 0};
  for (guint i = 0; okf && i < n; i++) {
    g_strstrip(parts[i]);
    okf = all_digits(parts[i]) && strlen(parts[i]) == 4;
    if (okf) y[i] = strtol(parts[i], NULL, 10);
  }
  if (n == 1) y[1] = y[0];
  g_strfreev(parts);
  gboolean ok = FALSE;
  if (!okf) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--years must be FIRST-LAST with four-digit years (e.g. 2019-2025), not '%s'", text ? text : "");
  } else if (y[0] > y[1]) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--years %s: the first year is after the last", t);
  } else if (y[0] < RS_SIMULATE_YEAR_MIN || y[1] > RS_SIMULATE_YEAR_MAX) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--years %s: years must lie within %d-%d", t, RS_SIMULATE_YEAR_MIN,
                RS_SIMULATE_YEAR_MAX);
  } else if (y[0] == REFORM_YEAR && y[1] == REFORM_YEAR) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--years %s leaves no survey wave: there is no wave in the reform year 2022; include another year", t);
  } else {
    *first = (int)y[0];
    *last = (int)y[1];
    ok = TRUE;
  }
  g_free(t);
  return ok;
}

gboolean rs_simulate_parse_style(const char *text, rs_simulate_style *style, GError **err) {
  if (text && strcmp(text, "plain") == 0) { *style = RS_SIMULATE_PLAIN; return TRUE; }
  if (text && strcmp(text, "excel-nb") == 0) { *style = RS_SIMULATE_EXCEL_NB; return TRUE; }
  g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
              "unknown --style '%s'; use plain (',' and '.', UTF-8) or excel-nb (';' and decimal comma, "
              "Windows-1252, CRLF)",
              text ? text : "");
  return FALSE;
}

static bool prob_ok(double p) { return p > 0 && p < 1; }

gboolean rs_simulate_check_options(const rs_simulate_options *o, GError **err) {
  const rs_simulate_effects *e = &o->effects;
  if (!o->seed_set) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give --seed N: the same seed always gives the same data");
    return FALSE;
  }
  if (o->seed > 4294967295UL) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--seed must be at most 4294967295");
    return FALSE;
  }
  if (o->n_families < 1 || o->n_families > RS_SIMULATE_MAX_FAMILIES) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--families must be from 1 to %ld", RS_SIMULATE_MAX_FAMILIES);
    return FALSE;
  }
  if (o->n_coordinators < 1 || o->n_coordinators > RS_SIMULATE_MAX_COORDINATORS) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "--coordinators must be from 1 to %ld", RS_SIMULATE_MAX_COORDINATORS);
    return FALSE;
  }
  if (o->year_first < RS_SIMULATE_YEAR_MIN || o->year_last > RS_SIMULATE_YEAR_MAX || o->year_first > o->year_last ||
      (o->year_first == REFORM_YEAR && o->year_last == REFORM_YEAR)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the years %d-%d are not a usable range (%d-%d, not only 2022)",
                o->year_first, o->year_last, RS_SIMULATE_YEAR_MIN, RS_SIMULATE_YEAR_MAX);
    return FALSE;
  }
  if (o->style != RS_SIMULATE_PLAIN && o->style != RS_SIMULATE_EXCEL_NB) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "unknown output style");
    return FALSE;
  }
  if (!(e->kommune_sd >= 0 && e->kommune_sd <= 0.5) || !prob_ok(e->share_koordinator_pre) ||
      !prob_ok(e->share_coordinated_post) || !prob_ok(e->bk_share_2023) || !(e->panel_share >= 0 && e->panel_share <= 1) ||
      !(e->bk_share_per_year >= 0 && e->bk_share_per_year < 0.5) || !(e->families_base >= 0) ||
      !(e->families_per_hour >= 0) || !(e->ip_rate_2019 > 0) || !(e->koord_rate_2019 > 0) || !(e->bk_plateau >= 0) ||
      !(e->bk_ramp > 0) || !(e->kommune_rate_sd >= 0 && e->kommune_rate_sd <= 1) ||
      !(e->ar1_phi >= 0 && e->ar1_phi < 1) || !(e->ar1_sd >= 0 && e->ar1_sd <= 0.2) || e->suppress_below < 0 ||
      e->not_yet_months < 0 || e->provisional_months < 0 || !(e->complaint_rate_pre >= 0) ||
      !(e->complaint_rate_post >= 0) || !(e->tilsyn_rate >= 0) || !(e->processing_median_days >= 1)) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "an effect parameter is outside its documented range");
    return FALSE;
  }
  return TRUE;
}

/* ======================================================================
 * 3. Kommuner: the size model and random effects
 * ====================================================================== */

/* The size model: children 0–17 per kommune in January 2019.
 *
 * No population table is used.  One real signal is: SSB numbers the towns
 * first within each fylke, so a kommune number ending in 01–09 is a town
 * (in 2024 exactly 52: Oslo, Stavanger, Bergen, Trondheim, Tromsø, Alta …)
 * and the rest are mostly smaller.  Each class gets log-normal sizes
 * (median and log-SD below) assigned by rank: the four largest cities take
 * the top four town ranks in their real order, every other kommune is
 * ranked within its class by a hash of its code (FNV-1a with MurmurHash3's
 * finaliser), and rank i of n
 * gets median * exp(logsd * z), z the normal quantile at 1 - (i + 0.5)/n.
 * Chosen so that 357 kommuner hold about a million children (Norway about
 * 1.1 million): the shape of the real distribution, not SSB figures. */
#define TOWN_MEDIAN 6500.0
#define TOWN_LOGSD 0.9
#define OTHER_MEDIAN 900.0
#define OTHER_LOGSD 1.05
#define SIZE_MIN 30
static const char *const size_pinned[] = {"0301", "4601", "5001", "1103"};

/* FNV-1a, then MurmurHash3's finaliser so that neighbouring codes
 * ("3414", "3415") land far apart. */
static guint32 code_hash(const char *s) {
  guint32 h = 2166136261u;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 16777619u;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static bool is_town_code(const char *code) {
  return strlen(code) == 4 && code[2] == '0' && code[3] >= '1' && code[3] <= '9';
}

typedef struct {
  guint64 order;   /* 0..3 for the pinned cities, else 4 + hash */
  const char *code;
  int index;
} size_rank;

static int size_rank_cmp(const void *a, const void *b) {
  const size_rank *x = a, *y = b;
  if (x->order != y->order) return x->order < y->order ? -1 : 1;
  return strcmp(x->code, y->code);
}

long *rs_simulate_kommune_sizes(const GPtrArray *kommuner) {
  guint n = kommuner->len;
  long *size = g_new(long, n);
  size_rank *r = g_new(size_rank, n);
  for (int town = 1; town >= 0; town--) {
    guint nc = 0;
    for (guint i = 0; i < n; i++) {
      const rs_kommune *k = g_ptr_array_index(kommuner, i);
      if (is_town_code(k->code) != (bool)town) continue;
      r[nc].code = k->code;
      r[nc].index = (int)i;
      r[nc].order = (guint64)code_hash(k->code) + G_N_ELEMENTS(size_pinned);
      for (guint p = 0; p < G_N_ELEMENTS(size_pinned); p++)
        if (strcmp(k->code, size_pinned[p]) == 0) r[nc].order = p;
      nc++;
    }
    qsort(r, nc, sizeof *r, size_rank_cmp);
    double median = town ? TOWN_MEDIAN : OTHER_MEDIAN, logsd = town ? TOWN_LOGSD : OTHER_LOGSD;
    for (guint i = 0; i < nc; i++) {
      double z = gsl_cdf_ugaussian_Pinv(1.0 - ((double)i + 0.5) / (double)nc);
      long s = lround(median * exp(logsd * z));
      size[r[i].index] = s < SIZE_MIN ? SIZE_MIN : s;
    }
  }
  g_free(r);
  return size;
}

typedef struct {
  const char *code, *name, *fylke;
  long children;                      /* January 2019 */
  double re[RS_SIM_N_INDEX];          /* family index effects (latent SD units) */
} sim_kommune;

typedef struct {
  const rs_simulate_options *o;
  sim_kommune *k;
  guint nk;
  gsl_ran_discrete_t *pps;            /* kommune ∝ children */
  long total_children;
  int waves[N_WAVES_MAX];
  int nw, nw_pre, nw_post;
  guint32 stream_seed[5];             /* kommune, family, coordinator, registry, cases */
} sim_ctx;

/* ======================================================================
 * 4a. Family survey
 * ====================================================================== */

typedef struct {
  const char *name, *nb, *en;
  int index;      /* RS_SIM_* */
  int reverse;
  double loc;     /* latent location; agreement rises with it */
} sim_item;

static const char *const family_index_name[] = {"collaboration", "information", "listened", "burden"};

static const sim_item family_items[] = {
  {"collab_1", "Tjenestene samarbeider godt med hverandre", "The services cooperate well with each other", 0, 0, -0.20},
  {"collab_2", "Tjenestene rundt barnet er godt koordinert", "The services around the child are well coordinated", 0, 0, -0.35},
  {"collab_3", "Vi må gjenta den samme informasjonen til mange ulike tjenester",
   "We have to repeat the same information to many different services", 0, 1, 0.30},
  {"info_1", "Vi får den informasjonen vi trenger om tjenester og rettigheter",
   "We get the information we need about services and rights", 1, 0, -0.10},
  {"info_2", "Jeg vet hvem jeg skal kontakte når vi trenger hjelp", "I know whom to contact when we need help", 1, 0, 0.25},
  {"info_3", "Det er vanskelig å finne ut hva familien har rett til", "It is hard to find out what the family is entitled to",
   1, 1, 0.20},
  {"listen_1", "Vi blir lyttet til når tjenestene planlegges", "We are listened to when services are planned", 2, 0, 0.10},
  {"listen_2", "Vi har innflytelse på beslutninger som gjelder barnet", "We have a say in decisions about the child", 2, 0,
   -0.05},
  {"listen_3", "Fagfolk tar beslutninger uten å spørre oss", "Professionals make decisions without asking us", 2, 1, -0.20},
  {"burden_1", "Jeg bruker mye tid på å administrere tjenester", "I spend a lot of time administering services", 3, 0, 0.40},
  {"burden_2", "Koordineringen av tjenester er en belastning for familien", "Coordinating services is a burden on the family",
   3, 0, 0.20},
  {"burden_3", "Jeg har tid til å være forelder og ikke saksbehandler",
   "I have time to be a parent rather than a case manager", 3, 1, -0.10},
};
#define N_FAMILY_ITEMS ((int)G_N_ELEMENTS(family_items))

/* Ordered-probit cut points shared by every Likert item, general and
 * domain loadings, and item missingness (MCAR). */
static const double likert_cut[4] = {-1.30, -0.45, 0.25, 1.05};
#define LOAD_GENERAL 0.45
#define LOAD_DOMAIN 0.55
#define P_ITEM_EMPTY 0.02
#define P_ITEM_DONTKNOW 0.03
static const char likert_values[] =
  "1=Helt uenig|2=Litt uenig|3=Verken enig eller uenig|4=Litt enig|5=Helt enig|8=Vet ikke";

/* Diagnosis groups: share, and mean number of services (1 + Poisson(mean - 1),
 * capped at 15). */
static const char *const diag_values =
  "1=Fysisk eller motorisk funksjonsnedsettelse|2=Utviklingshemming|3=Autisme eller annen nevroutviklingsforstyrrelse|"
  "4=Syns- eller hørselshemming|5=Kronisk somatisk sykdom|6=Psykisk helse|7=Sammensatte eller flere diagnoser";
static const double diag_share[7] = {0.18, 0.17, 0.28, 0.06, 0.13, 0.08, 0.10};
static const double diag_services[7] = {4.5, 5.5, 4.0, 3.0, 3.5, 3.0, 6.5};

static double expected_answer(double mu) {
  double e = 1.0;
  for (int k = 0; k < 4; k++) e += gsl_cdf_ugaussian_P(mu - likert_cut[k]);
  return e;
}

static int likert_answer(double y) {
  int a = 1;
  for (int k = 0; k < 4; k++) a += y > likert_cut[k];
  return a;
}

/* Discrete parts of the family model, shared by the generator and the
 * expectations in truth.json. */
typedef struct {
  double p_s_given_diag[7][MAX_SERVICES + 1];   /* s = 1..15 */
  double cdf_s[7][MAX_SERVICES];
  double w_s[MAX_SERVICES + 1];                 /* P(s), mixed over diagnoses */
  double p_type[N_WAVES_MAX][MAX_SERVICES + 1][3];
  double cdf_type[N_WAVES_MAX][MAX_SERVICES + 1][2];
  double cdf_diag[7], cdf_age[18];
  double wave_weight[N_WAVES_MAX];              /* expected rows of each wave, relative */
} family_model;

static double bk_share_of_year(const rs_simulate_effects *e, int year) {
  double p = e->bk_share_2023 + e->bk_share_per_year * (double)(year - FIRST_POST_WAVE);
  return p > 0.70 ? 0.70 : p;
}

static void family_model_init(const sim_ctx *c, family_model *m) {
  const rs_simulate_effects *e = &c->o->effects;
  memset(m, 0, sizeof *m);
  make_cdf(diag_share, 7, m->cdf_diag);
  double pa[18];
  for (int a = 0; a < 18; a++) pa[a] = 0.6 + a / 17.0;
  make_cdf(pa, 18, m->cdf_age);
  for (int g = 0; g < 7; g++) {
    double mu = diag_services[g] - 1.0, acc = 0;
    for (int s = 1; s < MAX_SERVICES; s++) {
      m->p_s_given_diag[g][s] = gsl_ran_poisson_pdf((unsigned)(s - 1), mu);
      acc += m->p_s_given_diag[g][s];
    }
    m->p_s_given_diag[g][MAX_SERVICES] = 1.0 - acc;
    make_cdf(&m->p_s_given_diag[g][1], MAX_SERVICES, m->cdf_s[g]);
    for (int s = 1; s <= MAX_SERVICES; s++) m->w_s[s] += diag_share[g] * m->p_s_given_diag[g][s];
  }
  /* expected rows per wave, as write_family draws them: one wave
   * uniformly, or (panel_share) a pair uniformly, the second wave kept
   * when at most 17 years after the first */
  int npairs = c->nw * (c->nw - 1) / 2;
  double pi = npairs > 0 ? e->panel_share : 0.0;
  for (int w = 0; w < c->nw; w++) m->wave_weight[w] = (1.0 - pi) / c->nw;
  for (int a = 0; a < c->nw; a++)
    for (int b = a + 1; b < c->nw; b++) {
      m->wave_weight[a] += pi / npairs;
      if (c->waves[b] - c->waves[a] <= 17) m->wave_weight[b] += pi / npairs;
    }
  for (int w = 0; w < c->nw; w++) {
    int year = c->waves[w];
    bool post = year >= FIRST_POST_WAVE;
    for (int s = 1; s <= MAX_SERVICES; s++) {
      double z = (s - 4) / 2.0, *p = m->p_type[w][s];
      if (!post) {
        p[1] = logistic(logit(e->share_koordinator_pre) + e->coordinator_services_logit * z);
        p[0] = 1 - p[1];
        p[2] = 0;
      } else {
        double any = logistic(logit(e->share_coordinated_post) + e->coordinator_services_logit * z);
        double bk = logistic(logit(bk_share_of_year(e, year)) + e->bk_services_logit * z);
        p[0] = 1 - any;
        p[1] = any * (1 - bk);
        p[2] = any * bk;
      }
      m->cdf_type[w][s][0] = p[0];
      m->cdf_type[w][s][1] = p[0] + p[1];
    }
  }
}

/* Latent index effect for fixed covariates (no kommune or family part). */
static double family_eta(const rs_simulate_effects *e, int d, int s, bool post, int type) {
  return (post ? e->post[d] : 0.0) + (type >= 1 ? e->coordinator[d] : 0.0) + (type == 2 ? e->barnekoordinator[d] : 0.0) +
         e->services[d] * ((s - 4) / 2.0);
}

typedef struct {
  double g, h[RS_SIM_N_INDEX];
  double ucoord;
  int32_t kommune;
  int32_t panel;          /* panel number, 0 when not in the panel */
  uint8_t diag, services, sex, age0;
  uint8_t w1, w2;         /* wave indexes; w2 = 255: one wave only */
} sim_family;

static const char *const family_columns[] = {
  "respondent_id", "panel_id", "year", "post", "response_date", "kommune", "fylke", "coordinator_type",
  "child_age", "child_sex", "diagnosis_group", "n_services", "individual_plan",
  "collab_1", "collab_2", "collab_3", "info_1", "info_2", "info_3",
  "listen_1", "listen_2", "listen_3", "burden_1", "burden_2", "burden_3",
  "hours_admin", "weight", NULL};

static bool write_family(sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  const rs_simulate_options *o = c->o;
  const rs_simulate_effects *e = &o->effects;
  family_model m;
  family_model_init(c, &m);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, c->stream_seed[1]);
  long nf = o->n_families;
  sim_family *f = g_new0(sim_family, nf);
  int npairs = c->nw * (c->nw - 1) / 2;
  int32_t npanel = 0;
  /* pass 1, in family order: who they are */
  for (long i = 0; i < nf; i++) {
    sim_family *x = &f[i];
    x->kommune = (int32_t)gsl_ran_discrete(r, c->pps);
    x->diag = (uint8_t)draw_cdf(gsl_rng_uniform(r), m.cdf_diag, 7);
    x->services = (uint8_t)(1 + draw_cdf(gsl_rng_uniform(r), m.cdf_s[x->diag], MAX_SERVICES));
    x->ucoord = gsl_rng_uniform(r);
    x->g = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int d = 0; d < RS_SIM_N_INDEX; d++) x->h[d] = gsl_ran_gaussian_ziggurat(r, 1.0);
    double up = gsl_rng_uniform(r), uw = gsl_rng_uniform(r), ua = gsl_rng_uniform(r), us = gsl_rng_uniform(r);
    if (npairs > 0 && up < e->panel_share) {
      /* a pair of waves, uniformly among all pairs: every wave then
       * expects the same number of rows.  A pair more than 17 years apart
       * (only when --years spans more than 18 years) would need a child
       * aged 18 or more: that family answers the first wave only. */
      int k = (int)(uw * npairs), a = 0;
      while (k >= c->nw - 1 - a) {
        k -= c->nw - 1 - a;
        a++;
      }
      x->w1 = (uint8_t)a;
      x->w2 = (uint8_t)(a + 1 + k);
      if (c->waves[x->w2] - c->waves[x->w1] > 17) x->w2 = 255;
      else x->panel = ++npanel;
    } else {
      x->w1 = (uint8_t)(uw * c->nw);
      x->w2 = 255;
    }
    int gap = x->w2 == 255 ? 0 : c->waves[x->w2] - c->waves[x->w1];
    /* the child must still be under 18 at the second wave: draw from the
     * age distribution truncated at 17 - gap */
    x->age0 = (uint8_t)draw_cdf(ua * m.cdf_age[17 - gap], m.cdf_age, 18 - gap);
    x->sex = us < 0.58 ? 1 : 2;
  }
  sim_out *w = out_open(dir, "family.csv", o->style, err);
  if (!w) {
    g_free(f);
    gsl_rng_free(r);
    return false;
  }
  out_header(w, family_columns);
  const double eps_sd = sqrt(1.0 - LOAD_GENERAL * LOAD_GENERAL - LOAD_DOMAIN * LOAD_DOMAIN - e->kommune_sd * e->kommune_sd);
  int idw = nf * (1 + e->panel_share) >= 9999999.5 ? 8 : 7;
  long rid = 0;
  char idbuf[32];
  /* pass 2, wave by wave: their answers */
  for (int wv = 0; wv < c->nw && !w->error; wv++) {
    int year = c->waves[wv];
    bool post = year >= FIRST_POST_WAVE;
    int32_t day0 = days_from_civil(year, 2, 1), ndays = days_from_civil(year, 5, 1) - day0;
    for (long i = 0; i < nf; i++) {
      const sim_family *x = &f[i];
      if (x->w1 != wv && x->w2 != wv) continue;
      const sim_kommune *k = &c->k[x->kommune];
      int s = x->services;
      int type = x->ucoord < m.cdf_type[wv][s][0] ? 0 : x->ucoord < m.cdf_type[wv][s][1] ? 1 : 2;
      int age = x->age0 + (year - c->waves[x->w1]);
      g_snprintf(idbuf, sizeof idbuf, "R%0*ld", idw, ++rid);
      out_raw(w, idbuf);
      if (x->panel) {
        g_snprintf(idbuf, sizeof idbuf, "P%06ld", (long)x->panel);
        out_raw(w, idbuf);
      } else {
        out_empty(w);
      }
      out_int(w, year);
      out_int(w, post);
      out_date(w, day0 + (int32_t)(gsl_rng_uniform(r) * ndays));
      out_raw(w, k->code);
      out_raw(w, k->fylke);
      out_int(w, type);
      out_int(w, age);
      out_int(w, x->sex);
      out_int(w, x->diag + 1);
      out_int(w, s);
      double eta[RS_SIM_N_INDEX];
      for (int d = 0; d < RS_SIM_N_INDEX; d++)
        eta[d] = family_eta(e, d, s, post, type) + k->re[d] + LOAD_GENERAL * x->g + LOAD_DOMAIN * x->h[d];
      double uip = gsl_rng_uniform(r);
      double pip = 0.15 + 0.30 * (type >= 1);
      out_int(w, uip < 0.04 ? 8 : uip < 0.04 + 0.96 * pip ? 1 : 0);
      for (int j = 0; j < N_FAMILY_ITEMS; j++) {
        const sim_item *it = &family_items[j];
        double y = it->loc + (it->reverse ? -eta[it->index] : eta[it->index]) + eps_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
        double u = gsl_rng_uniform(r);
        if (u < P_ITEM_EMPTY) out_empty(w);
        else if (u < P_ITEM_EMPTY + P_ITEM_DONTKNOW) out_int(w, 8);
        else out_int(w, likert_answer(y));
      }
      /* hours a week spent administering services: log-normal, tied to
       * the burden index, rounded to half hours, at most 80 */
      double zh = gsl_ran_gaussian_ziggurat(r, 1.0), uh = gsl_rng_uniform(r);
      double hours = exp(1.25 + 0.45 * eta[RS_SIM_BURDEN] + 0.55 * zh);
      long half = lround(hours * 2.0);
      if (half > 160) half = 160;
      if (uh < 0.05) out_empty(w);
      else out_fixed(w, half * 5, 1);
      double wt = exp(0.30 * gsl_ran_gaussian_ziggurat(r, 1.0) - 0.045);
      long long ws = scale_round(wt, 4);
      if (ws < 2000) ws = 2000;
      if (ws > 50000) ws = 50000;
      out_fixed(w, ws, 4);
      out_end(w);
    }
  }
  g_free(f);
  gsl_rng_free(r);
  return out_close(w, info, err);
}

static void write_likert_cb(sim_out *w, const sim_item *items, int n, const char *const *index_names) {
  for (int j = 0; j < n; j++) {
    cb_row row = {items[j].name, items[j].nb, items[j].en, "likert", "1", "5", items[j].reverse, "8", likert_values,
                  index_names[items[j].index]};
    cb_write(w, &row);
  }
}

static bool write_family_codebook(const sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  const rs_simulate_options *o = c->o;
  sim_out *w = out_open(dir, "family-codebook.csv", o->style, err);
  if (!w) return false;
  out_header(w, codebook_header);
  char ymin[8], ymax[8], post_values[160];
  g_snprintf(ymin, sizeof ymin, "%d", c->waves[0]);
  g_snprintf(ymax, sizeof ymax, "%d", c->waves[c->nw - 1]);
  g_snprintf(post_values, sizeof post_values, "0=Før reformen (før 1. august 2022)|1=Etter reformen (%d eller senere)",
             FIRST_POST_WAVE);
  const cb_row rows[] = {
    {"respondent_id", "Respondent (én rad per svar)", "Respondent (one row per response)", "id", NULL, NULL, 0, NULL, NULL,
     NULL},
    {"panel_id", "Panelfamilie (svarte i to runder; tom ellers)", "Panel family (answered two waves; empty otherwise)", "id",
     NULL, NULL, 0, NULL, NULL, NULL},
    {"year", "Undersøkelsesår", "Survey year", "integer", ymin, ymax, 0, NULL, NULL, NULL},
    {"post", "Før eller etter reformen 1. august 2022", "Before or after the reform of 1 August 2022", "category", "0", "1", 0,
     NULL, post_values, NULL},
    {"response_date", "Svardato", "Response date", "date", NULL, NULL, 0, NULL, NULL, NULL},
    {"kommune", "Kommune (kommunenummer, inndeling 2024)", "Municipality (kommune number, 2024 boundaries)", "kommune", NULL,
     NULL, 0, NULL, NULL, NULL},
    {"fylke", "Fylke (inndeling 2024)", "County (2024 boundaries)", "fylke", NULL, NULL, 0, NULL, NULL, NULL},
    {"coordinator_type", "Koordinator for familien", "Coordinator for the family", "category", "0", "2", 0, NULL,
     "0=Ingen koordinator|1=Koordinator|2=Barnekoordinator", NULL},
    {"child_age", "Barnets alder (år)", "Child's age (years)", "integer", "0", "17", 0, NULL, NULL, NULL},
    {"child_sex", "Barnets kjønn", "Child's sex", "category", "1", "2", 0, NULL, "1=Gutt|2=Jente", NULL},
    {"diagnosis_group", "Diagnosegruppe", "Diagnosis group", "category", "1", "7", 0, NULL, diag_values, NULL},
    {"n_services", "Antall tjenester familien mottar", "Number of services the family receives", "integer", "1", "15", 0,
     NULL, NULL, NULL},
    {"individual_plan", "Barnet har individuell plan", "The child has an individual plan", "category", "0", "1", 0, "8",
     "0=Nei|1=Ja|8=Vet ikke", NULL},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) cb_write(w, &rows[i]);
  write_likert_cb(w, family_items, N_FAMILY_ITEMS, family_index_name);
  const cb_row tail[] = {
    {"hours_admin", "Timer per uke til å administrere tjenester", "Hours per week spent administering services", "numeric",
     "0", "80", 0, NULL, NULL, NULL},
    {"weight", "Vekt (etterstratifisering)", "Survey weight (post-stratification)", "weight", NULL, NULL, 0, NULL, NULL, NULL},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(tail); i++) cb_write(w, &tail[i]);
  return out_close(w, info, err);
}

/* ======================================================================
 * 4b. Coordinator survey
 * ====================================================================== */

static const char *const coord_index_name[] = {"role_clarity", "support", "competence", "capacity"};

static const sim_item coord_items[] = {
  {"role_1", "Jeg vet hva som forventes av meg som koordinator", "I know what is expected of me as a coordinator", 0, 0, 0.10},
  {"role_2", "Ansvaret mitt som koordinator er tydelig avgrenset", "My responsibility as a coordinator is clearly delimited",
   0, 0, -0.20},
  {"role_3", "Det er uklart hvor grensene for koordinatorrollen går", "It is unclear where the coordinator role ends", 0, 1,
   0.10},
  {"support_1", "Ledelsen gir meg støtte i koordinatorarbeidet", "Management supports me in the coordinator work", 1, 0, -0.10},
  {"support_2", "Koordinatorarbeidet er prioritert i virksomheten", "Coordinator work is a priority where I work", 1, 0, -0.40},
  {"competence_1", "Jeg har kompetansen jeg trenger som koordinator", "I have the competence I need as a coordinator", 2, 0,
   0.20},
  {"competence_2", "Jeg får nok opplæring og veiledning", "I get enough training and supervision", 2, 0, -0.30},
  {"capacity_1", "Jeg har nok tid til familiene jeg er koordinator for", "I have enough time for the families I coordinate for",
   3, 0, 0.30},
  {"capacity_2", "Jeg rekker å følge opp familiene slik jeg ønsker", "I manage to follow up the families as I would like", 3, 0,
   0.20},
  {"capacity_3", "Jeg har for mange familier til å gjøre en god jobb", "I have too many families to do a good job", 3, 1,
   -0.20},
};
#define N_COORD_ITEMS ((int)G_N_ELEMENTS(coord_items))

static const char *const profession_values =
  "1=Sykepleier|2=Vernepleier|3=Sosionom eller barnevernspedagog|4=Pedagog|5=Fysioterapeut eller ergoterapeut|6=Annen";
static const double profession_share[6] = {0.26, 0.22, 0.14, 0.12, 0.16, 0.10};
static const int position_pct[7] = {100, 80, 75, 60, 50, 40, 20};
static const double position_share[7] = {0.50, 0.14, 0.06, 0.08, 0.12, 0.05, 0.05};
/* Share of the position earmarked for coordination, in tenths. */
static const int earmark_tenths[6] = {0, 1, 2, 3, 5, 10};
static const double earmark_share[2][6] = {
  {0.50, 0.20, 0.14, 0.08, 0.05, 0.03},   /* koordinator */
  {0.25, 0.20, 0.20, 0.15, 0.12, 0.08}};  /* barnekoordinator */
#define P_BK_COORDINATOR_POST 0.45
#define NB_SIZE 1.3
static const double p_training[2] = {0.40, 0.60};

/* Earmarked hours a week in half hours: 37.5 h * pct/100 * tenths/10,
 * rounded to the half hour, in integers. */
static int earmark_half_hours(int pct, int tenths) { return (750 * pct * tenths + 5000) / 10000; }

static const char *const coord_columns[] = {
  "coordinator_id", "year", "response_date", "kommune", "fylke", "coordinator_type", "profession", "position_pct",
  "earmarked_hours", "families", "training",
  "role_1", "role_2", "role_3", "support_1", "support_2", "competence_1", "competence_2",
  "capacity_1", "capacity_2", "capacity_3", NULL};

/* Expected earmarked hours and share with none, over the model's mix of
 * waves and coordinator types. */
static void coord_expectations(const sim_ctx *c, double *hours, double *share_zero, double *share_bk) {
  double p_bk = P_BK_COORDINATOR_POST * (double)c->nw_post / (double)c->nw;
  double eh = 0, ez = 0;
  for (int t = 0; t < 2; t++) {
    double pt = t ? p_bk : 1 - p_bk;
    for (int a = 0; a < 7; a++)
      for (int b = 0; b < 6; b++) {
        double p = pt * position_share[a] * earmark_share[t][b];
        eh += p * earmark_half_hours(position_pct[a], earmark_tenths[b]) / 2.0;
        if (earmark_half_hours(position_pct[a], earmark_tenths[b]) == 0) ez += p;
      }
  }
  *hours = eh;
  *share_zero = ez;
  *share_bk = p_bk;
}

static bool write_coordinators(sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  const rs_simulate_options *o = c->o;
  const rs_simulate_effects *e = &o->effects;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, c->stream_seed[2]);
  double cdf_prof[6], cdf_pos[7], cdf_ear[2][6];
  make_cdf(profession_share, 6, cdf_prof);
  make_cdf(position_share, 7, cdf_pos);
  make_cdf(earmark_share[0], 6, cdf_ear[0]);
  make_cdf(earmark_share[1], 6, cdf_ear[1]);
  sim_out *w = out_open(dir, "coordinators.csv", o->style, err);
  if (!w) {
    gsl_rng_free(r);
    return false;
  }
  out_header(w, coord_columns);
  const double eps_sd = sqrt(1.0 - LOAD_GENERAL * LOAD_GENERAL - LOAD_DOMAIN * LOAD_DOMAIN);
  char idbuf[32];
  for (long i = 0; i < o->n_coordinators; i++) {
    const sim_kommune *k = &c->k[gsl_ran_discrete(r, c->pps)];
    int wv = (int)(gsl_rng_uniform(r) * c->nw);
    int year = c->waves[wv];
    bool post = year >= FIRST_POST_WAVE;
    int32_t day0 = days_from_civil(year, 2, 1), ndays = days_from_civil(year, 5, 1) - day0;
    int32_t date = day0 + (int32_t)(gsl_rng_uniform(r) * ndays);
    int bk = gsl_rng_uniform(r) < (post ? P_BK_COORDINATOR_POST : 0.0);
    int prof = draw_cdf(gsl_rng_uniform(r), cdf_prof, 6);
    int pct = position_pct[draw_cdf(gsl_rng_uniform(r), cdf_pos, 7)];
    int tenths = earmark_tenths[draw_cdf(gsl_rng_uniform(r), cdf_ear[bk], 6)];
    int half = earmark_half_hours(pct, tenths);
    double hours = half / 2.0;
    double mean_f = e->families_base + e->families_per_hour * hours;
    unsigned nfam = 1 + (mean_f > 0 ? gsl_ran_negative_binomial(r, NB_SIZE / (NB_SIZE + mean_f), NB_SIZE) : 0);
    int training = gsl_rng_uniform(r) < p_training[bk];
    double load = nfam / (hours + 1.0);
    double g = gsl_ran_gaussian_ziggurat(r, 1.0), eta[4];
    double fixed[4] = {training ? e->training_role_clarity : 0.0, 0.0, training ? e->training_competence : 0.0,
                       e->capacity_per_load * load};
    for (int d = 0; d < 4; d++) eta[d] = fixed[d] + LOAD_GENERAL * g + LOAD_DOMAIN * gsl_ran_gaussian_ziggurat(r, 1.0);
    g_snprintf(idbuf, sizeof idbuf, "K%06ld", i + 1);
    out_raw(w, idbuf);
    out_int(w, year);
    out_date(w, date);
    out_raw(w, k->code);
    out_raw(w, k->fylke);
    out_int(w, 1 + bk);
    out_int(w, prof + 1);
    out_int(w, pct);
    out_fixed(w, (long long)half * 5, 1);
    out_int(w, nfam);
    out_int(w, training);
    for (int j = 0; j < N_COORD_ITEMS; j++) {
      const sim_item *it = &coord_items[j];
      double y = it->loc + (it->reverse ? -eta[it->index] : eta[it->index]) + eps_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
      double u = gsl_rng_uniform(r);
      if (u < 0.02) out_empty(w);
      else if (u < 0.04) out_int(w, 8);
      else out_int(w, likert_answer(y));
    }
    out_end(w);
    if (w->error) break;
  }
  gsl_rng_free(r);
  return out_close(w, info, err);
}

static bool write_coordinators_codebook(const sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  sim_out *w = out_open(dir, "coordinators-codebook.csv", c->o->style, err);
  if (!w) return false;
  out_header(w, codebook_header);
  char ymin[8], ymax[8];
  g_snprintf(ymin, sizeof ymin, "%d", c->waves[0]);
  g_snprintf(ymax, sizeof ymax, "%d", c->waves[c->nw - 1]);
  const cb_row rows[] = {
    {"coordinator_id", "Koordinator", "Coordinator", "id", NULL, NULL, 0, NULL, NULL, NULL},
    {"year", "Undersøkelsesår", "Survey year", "integer", ymin, ymax, 0, NULL, NULL, NULL},
    {"response_date", "Svardato", "Response date", "date", NULL, NULL, 0, NULL, NULL, NULL},
    {"kommune", "Kommune (kommunenummer, inndeling 2024)", "Municipality (kommune number, 2024 boundaries)", "kommune", NULL,
     NULL, 0, NULL, NULL, NULL},
    {"fylke", "Fylke (inndeling 2024)", "County (2024 boundaries)", "fylke", NULL, NULL, 0, NULL, NULL, NULL},
    {"coordinator_type", "Koordinatortype", "Type of coordinator", "category", "1", "2", 0, NULL,
     "1=Koordinator|2=Barnekoordinator", NULL},
    {"profession", "Profesjonsbakgrunn", "Professional background", "category", "1", "6", 0, NULL, profession_values, NULL},
    {"position_pct", "Stillingsprosent", "Position size (percent of full time)", "integer", "0", "100", 0, NULL, NULL, NULL},
    {"earmarked_hours", "Øremerkede timer per uke til koordinering", "Hours per week earmarked for coordination", "numeric",
     "0", "40", 0, NULL, NULL, NULL},
    {"families", "Antall familier koordinatoren har ansvar for", "Number of families assigned to the coordinator", "integer",
     "1", NULL, 0, NULL, NULL, NULL},
    {"training", "Har fått opplæring i koordinatorrollen", "Has received training for the coordinator role", "category", "0",
     "1", 0, NULL, "0=Nei|1=Ja", NULL},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) cb_write(w, &rows[i]);
  write_likert_cb(w, coord_items, N_COORD_ITEMS, coord_index_name);
  return out_close(w, info, err);
}

/* ======================================================================
 * 4c. Kommune registry (monthly)
 * ====================================================================== */

#define SERVICES_RATE 17.5       /* children receiving municipal health and care services per 1000 */
#define CHILDREN_TREND (-0.005)  /* relative change in children 0–17 per year */
#define FTE_PER_CHILD 0.03
#define P_YEAR_UNREPORTED 0.01
#define P_FTE_MISSING 0.05
#define P_KE_FROM_START 0.85
#define P_BK_ON_TIME 0.40
#define BK_START_SPREAD 23       /* months after 2022-08 by which every kommune has started */
#define REFORM_MONTH_INDEX 43    /* 2022-08 counted from 2019-01 */

static const char *const registry_columns[] = {
  "period", "year", "kommune", "kommune_name", "fylke", "children_0_17", "children_services", "children_ip",
  "children_koordinator", "families_barnekoordinator", "coordinator_fte", "koordinerende_enhet", NULL};

/* rate per 1000 at month m counted from 2019-01: pre-trend, then a level
 * and slope change at 2022-08; never below zero. */
static double its_rate(double base, double trend, double level, double slope, int m) {
  double tau = m / 12.0;
  double r = base + trend * tau;
  if (m >= REFORM_MONTH_INDEX) r += level + slope * ((m - REFORM_MONTH_INDEX) / 12.0);
  return r > 0 ? r : 0;
}

typedef enum { CELL_VALUE, CELL_UNREPORTED, CELL_NOT_YET } cell_state;

static void out_count(sim_out *w, long n, cell_state st, bool provisional, int suppress_below) {
  if (st == CELL_UNREPORTED) { out_raw(w, ".."); return; }
  if (st == CELL_NOT_YET) { out_raw(w, "..."); return; }
  if (n == 0) { out_raw(w, "-"); return; }
  if (n < suppress_below) { out_raw(w, ":"); return; }
  out_int(w, n);
  if (provisional) g_string_append_c(w->buf, '*');
}

static bool write_registry(sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  const rs_simulate_options *o = c->o;
  const rs_simulate_effects *e = &o->effects;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, c->stream_seed[3]);
  sim_out *w = out_open(dir, "registry.csv", o->style, err);
  if (!w) {
    gsl_rng_free(r);
    return false;
  }
  out_header(w, registry_columns);
  int nyears = o->year_last - o->year_first + 1, nmonths = 12 * nyears;
  int m0 = 12 * (o->year_first - 2019);       /* first month counted from 2019-01 */
  bool *unreported = g_new(bool, nyears);
  double sd = e->kommune_rate_sd, ar_inn = e->ar1_sd * sqrt(1 - e->ar1_phi * e->ar1_phi);
  for (guint ki = 0; ki < c->nk && !w->error; ki++) {
    const sim_kommune *k = &c->k[ki];
    /* the kommune's own factors, start months and gaps */
    double f_ip = exp(sd * gsl_ran_gaussian_ziggurat(r, 1.0) - sd * sd / 2);
    double f_ko = exp(sd * gsl_ran_gaussian_ziggurat(r, 1.0) - sd * sd / 2);
    double f_sv = exp(sd * gsl_ran_gaussian_ziggurat(r, 1.0) - sd * sd / 2);
    double f_bk = exp(sd * gsl_ran_gaussian_ziggurat(r, 1.0) - sd * sd / 2);
    double f_fte = exp(0.3 * gsl_ran_gaussian_ziggurat(r, 1.0) - 0.045);
    double u1 = gsl_rng_uniform(r), u2 = gsl_rng_uniform(r);
    int bk_start = REFORM_MONTH_INDEX + (u1 < P_BK_ON_TIME ? 0 : 1 + (int)(u2 * BK_START_SPREAD));
    u1 = gsl_rng_uniform(r);
    u2 = gsl_rng_uniform(r);
    int ke_start = u1 < P_KE_FROM_START ? INT_MIN : (int)(u2 * 60);   /* 2019-01 .. 2023-12 */
    for (int y = 0; y < nyears; y++) unreported[y] = gsl_rng_uniform(r) < P_YEAR_UNREPORTED;
    double a_ip = 0, a_ko = 0, a_sv = 0;   /* AR(1) noise, started from its stationary law */
    a_ip = e->ar1_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
    a_ko = e->ar1_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
    a_sv = e->ar1_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
    for (int t = 0; t < nmonths; t++) {
      int m = m0 + t, year = o->year_first + t / 12, month = 1 + t % 12;
      if (t > 0) {
        a_ip = e->ar1_phi * a_ip + ar_inn * gsl_ran_gaussian_ziggurat(r, 1.0);
        a_ko = e->ar1_phi * a_ko + ar_inn * gsl_ran_gaussian_ziggurat(r, 1.0);
        a_sv = e->ar1_phi * a_sv + ar_inn * gsl_ran_gaussian_ziggurat(r, 1.0);
      }
      long children = lround(k->children * (1.0 + CHILDREN_TREND * (m / 12.0)));
      double th = children / 1000.0;
      double mu_sv = th * SERVICES_RATE * f_sv * (1 + a_sv);
      double mu_ip = th * its_rate(e->ip_rate_2019, e->ip_trend_pre, e->ip_level_change, e->ip_slope_change, m) * f_ip *
                     (1 + a_ip);
      double mu_ko = th * its_rate(e->koord_rate_2019, e->koord_trend_pre, e->koord_level_change, e->koord_slope_change, m) *
                     f_ko * (1 + a_ko);
      bool post = m >= REFORM_MONTH_INDEX;
      double bk_rate = m >= bk_start ? e->bk_ramp * (m - bk_start + 1) : 0.0;
      if (bk_rate > e->bk_plateau) bk_rate = e->bk_plateau;
      double mu_bk = th * bk_rate * f_bk;
      long n_sv = gsl_ran_poisson(r, mu_sv > 0 ? mu_sv : 0);
      long n_ip = gsl_ran_poisson(r, mu_ip > 0 ? mu_ip : 0);
      long n_ko = gsl_ran_poisson(r, mu_ko > 0 ? mu_ko : 0);
      long n_bk = gsl_ran_poisson(r, mu_bk);
      double zf = gsl_ran_gaussian_ziggurat(r, 1.0), uf = gsl_rng_uniform(r);
      cell_state st = unreported[t / 12] ? CELL_UNREPORTED : t >= nmonths - e->not_yet_months ? CELL_NOT_YET : CELL_VALUE;
      bool prov = st == CELL_VALUE && t >= nmonths - e->not_yet_months - e->provisional_months;
      out_date(w, days_from_civil(year, month, 1));
      out_int(w, year);
      out_raw(w, k->code);
      out_str(w, k->name);
      out_raw(w, k->fylke);
      out_int(w, children);
      out_count(w, n_sv, st, prov, e->suppress_below);
      out_count(w, n_ip, st, prov, e->suppress_below);
      out_count(w, n_ko, st, prov, e->suppress_below);
      if (!post) out_raw(w, ".");
      else out_count(w, n_bk, st, prov, e->suppress_below);
      if (st == CELL_VALUE && uf < P_FTE_MISSING) st = CELL_UNREPORTED;
      if (st != CELL_VALUE) {
        out_raw(w, st == CELL_NOT_YET ? "..." : "..");
      } else {
        double fte = (n_ko + n_bk) * FTE_PER_CHILD * f_fte * (1 + 0.05 * zf);
        long tenth = lround(fte * 10);
        out_fixed(w, tenth > 0 ? tenth : 0, 1);
        if (prov) g_string_append_c(w->buf, '*');
      }
      out_int(w, m >= ke_start);
      out_end(w);
    }
  }
  g_free(unreported);
  gsl_rng_free(r);
  return out_close(w, info, err);
}

static bool write_registry_codebook(const sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  sim_out *w = out_open(dir, "registry-codebook.csv", c->o->style, err);
  if (!w) return false;
  out_header(w, codebook_header);
  char ymin[8], ymax[8];
  g_snprintf(ymin, sizeof ymin, "%d", c->o->year_first);
  g_snprintf(ymax, sizeof ymax, "%d", c->o->year_last);
  const cb_row rows[] = {
    {"period", "Måned (første dag i måneden)", "Month (its first day)", "date", NULL, NULL, 0, NULL, NULL, NULL},
    {"year", "År", "Year", "integer", ymin, ymax, 0, NULL, NULL, NULL},
    {"kommune", "Kommune (kommunenummer, inndeling 2024)", "Municipality (kommune number, 2024 boundaries)", "kommune", NULL,
     NULL, 0, NULL, NULL, NULL},
    {"kommune_name", "Kommunenavn", "Municipality name", "string", NULL, NULL, 0, NULL, NULL, NULL},
    {"fylke", "Fylke (inndeling 2024)", "County (2024 boundaries)", "fylke", NULL, NULL, 0, NULL, NULL, NULL},
    {"children_0_17", "Barn 0–17 år", "Children aged 0–17", "integer", "0", NULL, 0, NULL, NULL, NULL},
    {"children_services", "Barn 0–17 år med kommunale helse- og omsorgstjenester",
     "Children 0–17 receiving municipal health and care services", "integer", "0", NULL, 0, NULL, NULL, NULL},
    {"children_ip", "Barn 0–17 år med individuell plan", "Children 0–17 with an individual plan", "integer", "0", NULL, 0,
     NULL, NULL, NULL},
    {"children_koordinator", "Barn 0–17 år med koordinator", "Children 0–17 with a koordinator", "integer", "0", NULL, 0,
     NULL, NULL, NULL},
    {"families_barnekoordinator", "Familier med barnekoordinator (fra 1. august 2022)",
     "Families with a barnekoordinator (from 1 August 2022)", "integer", "0", NULL, 0, NULL, NULL, NULL},
    {"coordinator_fte", "Årsverk til koordinering", "Full-time equivalents for coordination", "numeric", "0", NULL, 0, NULL,
     NULL, NULL},
    {"koordinerende_enhet", "Kommunen har koordinerende enhet", "The kommune has a koordinerende enhet", "category", "0",
     "1", 0, NULL, "0=Nei|1=Ja", NULL},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) cb_write(w, &rows[i]);
  return out_close(w, info, err);
}

/* ======================================================================
 * 4d. Statsforvalteren cases
 * ====================================================================== */

typedef struct {
  int32_t received, decided;   /* decided < 0: still open at the end of the period */
  int32_t kommune;
  int32_t seq;                 /* generation order, the tie-break */
  uint8_t type, subject, outcome, lovbrudd;
} sim_case;

static int case_cmp(const void *a, const void *b) {
  const sim_case *x = a, *y = b;
  if (x->received != y->received) return x->received < y->received ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *const case_columns[] = {
  "case_id", "case_type", "fylke", "kommune", "subject", "date_received", "date_decided", "processing_days",
  "outcome", "lovbrudd", NULL};

/* Subject shares (barnekoordinator, koordinator, individuell plan) before
 * and after 1 August 2022, and outcome shares (upheld, not upheld, sent
 * back) for complaints about a barnekoordinator and about the rest. */
static const double subject_share[2][2][3] = {
  {{0.0, 0.55, 0.45}, {0.45, 0.30, 0.25}},   /* complaints: pre, post */
  {{0.0, 0.50, 0.50}, {0.30, 0.35, 0.35}}};  /* tilsyn */
static const double outcome_share[2][3] = {{0.35, 0.45, 0.20}, {0.22, 0.63, 0.15}};
#define P_TILSYN_NO_BREACH 0.40

static bool write_cases(sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  const rs_simulate_options *o = c->o;
  const rs_simulate_effects *e = &o->effects;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, c->stream_seed[4]);
  GArray *cases = g_array_new(FALSE, FALSE, sizeof(sim_case));
  int32_t reform = days_from_civil(REFORM_YEAR, REFORM_MONTH, 1);
  int32_t end = days_from_civil(o->year_last, 12, 31);
  double cdf_subj[2][2][3], cdf_out[2][3];
  for (int t = 0; t < 2; t++)
    for (int p = 0; p < 2; p++) make_cdf(subject_share[t][p], 3, cdf_subj[t][p]);
  make_cdf(outcome_share[0], 3, cdf_out[0]);
  make_cdf(outcome_share[1], 3, cdf_out[1]);
  int32_t seq = 0;
  for (int year = o->year_first; year <= o->year_last; year++) {
    for (guint ki = 0; ki < c->nk; ki++) {
      const sim_kommune *k = &c->k[ki];
      for (int month = 1; month <= 12; month++) {
        int32_t d0 = days_from_civil(year, month, 1);
        int32_t nd = (month == 12 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, month + 1, 1)) - d0;
        bool post = d0 >= reform;
        double mu_c = k->children / 1000.0 * (post ? e->complaint_rate_post : e->complaint_rate_pre) / 12.0;
        double mu_t = e->tilsyn_rate / 12.0;
        unsigned n[2] = {gsl_ran_poisson(r, mu_c), gsl_ran_poisson(r, mu_t)};
        for (int t = 0; t < 2; t++)
          for (unsigned i = 0; i < n[t]; i++) {
            sim_case x = {0};
            x.type = (uint8_t)(t + 1);
            x.kommune = (int32_t)ki;
            x.seq = seq++;
            x.received = d0 + (int32_t)(gsl_rng_uniform(r) * nd);
            x.subject = (uint8_t)(1 + draw_cdf(gsl_rng_uniform(r), cdf_subj[t][x.received >= reform], 3));
            double z = gsl_ran_gaussian_ziggurat(r, 1.0), u = gsl_rng_uniform(r);
            unsigned nb = gsl_ran_poisson(r, 1.0);
            double med = e->processing_median_days * (t ? 4.0 : 1.0);
            long days = lround(med * exp((t ? 0.40 : 0.50) * z));
            if (days < 2) days = 2;
            x.decided = x.received + (int32_t)days > end ? -1 : x.received + (int32_t)days;
            if (t == 0) x.outcome = (uint8_t)(1 + draw_cdf(u, cdf_out[x.subject == 1 ? 0 : 1], 3));
            else x.lovbrudd = (uint8_t)(u < P_TILSYN_NO_BREACH ? 0 : 1 + (nb > 20 ? 20 : nb));
            g_array_append_val(cases, x);
          }
      }
    }
  }
  gsl_rng_free(r);
  g_array_sort(cases, case_cmp);
  sim_out *w = out_open(dir, "cases.csv", o->style, err);
  if (!w) {
    g_array_free(cases, TRUE);
    return false;
  }
  out_header(w, case_columns);
  int last_year = 0, nyear = 0;
  char idbuf[32];
  for (guint i = 0; i < cases->len; i++) {
    const sim_case *x = &g_array_index(cases, sim_case, i);
    int y, m, d;
    civil_from_days(x->received, &y, &m, &d);
    if (y != last_year) {
      last_year = y;
      nyear = 0;
    }
    g_snprintf(idbuf, sizeof idbuf, "SF-%04d-%05d", y, ++nyear);
    out_raw(w, idbuf);
    out_int(w, x->type);
    out_raw(w, c->k[x->kommune].fylke);
    out_raw(w, c->k[x->kommune].code);
    out_int(w, x->subject);
    out_date(w, x->received);
    if (x->decided < 0) {
      out_empty(w);
      out_empty(w);
    } else {
      out_date(w, x->decided);
      out_int(w, x->decided - x->received);
    }
    if (x->type == 1) {
      if (x->decided < 0) out_empty(w);
      else out_int(w, x->outcome);
      out_raw(w, ".");
    } else {
      out_raw(w, ".");
      if (x->decided < 0) out_empty(w);
      else out_int(w, x->lovbrudd);
    }
    out_end(w);
  }
  g_array_free(cases, TRUE);
  return out_close(w, info, err);
}

static bool write_cases_codebook(const sim_ctx *c, const char *dir, rs_simulate_file *info, GError **err) {
  sim_out *w = out_open(dir, "cases-codebook.csv", c->o->style, err);
  if (!w) return false;
  out_header(w, codebook_header);
  const cb_row rows[] = {
    {"case_id", "Saksnummer", "Case number", "id", NULL, NULL, 0, NULL, NULL, NULL},
    {"case_type", "Sakstype", "Type of case", "category", "1", "2", 0, NULL, "1=Klage|2=Tilsyn", NULL},
    {"fylke", "Fylke (inndeling 2024)", "County (2024 boundaries)", "fylke", NULL, NULL, 0, NULL, NULL, NULL},
    {"kommune", "Kommune (kommunenummer, inndeling 2024)", "Municipality (kommune number, 2024 boundaries)", "kommune", NULL,
     NULL, 0, NULL, NULL, NULL},
    {"subject", "Tema", "Subject", "category", "1", "3", 0, NULL, "1=Barnekoordinator|2=Koordinator|3=Individuell plan", NULL},
    {"date_received", "Dato mottatt", "Date received", "date", NULL, NULL, 0, NULL, NULL, NULL},
    {"date_decided", "Dato avgjort (tom: ikke avgjort ved periodens slutt)", "Date decided (empty: still open at the end)",
     "date", NULL, NULL, 0, NULL, NULL, NULL},
    {"processing_days", "Saksbehandlingstid (dager)", "Processing time (days)", "integer", "0", NULL, 0, NULL, NULL, NULL},
    {"outcome", "Utfall av klagen", "Outcome of the complaint", "category", "1", "3", 0, NULL,
     "1=Klagen tatt til følge|2=Klagen ikke tatt til følge|3=Opphevet og sendt tilbake", NULL},
    {"lovbrudd", "Antall lovbrudd funnet ved tilsyn", "Number of legal breaches found (tilsyn)", "integer", "0", NULL, 0,
     NULL, NULL, NULL},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) cb_write(w, &rows[i]);
  return out_close(w, info, err);
}

/* ======================================================================
 * 5. truth.json
 * ====================================================================== */

typedef struct {
  GString *s;
  int depth;
  bool first[16];
} jw;

static void jw_key(jw *j, const char *key) {
  if (!j->first[j->depth]) g_string_append_c(j->s, ',');
  j->first[j->depth] = false;
  g_string_append_c(j->s, '\n');
  for (int i = 0; i < j->depth; i++) g_string_append(j->s, "  ");
  if (key) {
    rs_value_append_json_string(j->s, key);
    g_string_append(j->s, ": ");
  }
}
static void jw_open(jw *j, const char *key, char br) {
  jw_key(j, key);
  g_string_append_c(j->s, br);
  j->first[++j->depth] = true;
}
static void jw_close(jw *j, char br) {
  j->depth--;
  g_string_append_c(j->s, '\n');
  for (int i = 0; i < j->depth; i++) g_string_append(j->s, "  ");
  g_string_append_c(j->s, br);
}
static void jw_str(jw *j, const char *key, const char *v) {
  jw_key(j, key);
  rs_value_append_json_string(j->s, v);
}
static void jw_num(jw *j, const char *key, double v, int dec) {
  jw_key(j, key);
  append_real(j->s, v, dec, '.');
}
static void jw_int(jw *j, const char *key, long long v) {
  jw_key(j, key);
  append_fixed(j->s, v, 0, '.');
}
/* {"name": ..., "value": ..., "unit": ..., "description": ...} */
static void jw_param(jw *j, const char *name, double v, int dec, const char *unit, const char *desc) {
  jw_open(j, NULL, '{');
  jw_str(j, "name", name);
  jw_num(j, "value", v, dec);
  jw_str(j, "unit", unit);
  jw_str(j, "description", desc);
  jw_close(j, '}');
}

/* Expected answer mean of family item `it` over waves with post == want_post
 * (or all waves: want_post < 0) and coordinator type `type` (or all: < 0);
 * also the expected share of rows of that type among those waves. */
static double family_expect(const sim_ctx *c, const family_model *m, const sim_item *it, int want_post, int type,
                            double *share) {
  const rs_simulate_effects *e = &c->o->effects;
  double num = 0, den = 0, all = 0;
  for (int w = 0; w < c->nw; w++) {
    bool post = c->waves[w] >= FIRST_POST_WAVE;
    if (want_post >= 0 && post != (want_post == 1)) continue;
    for (int s = 1; s <= MAX_SERVICES; s++)
      for (int t = 0; t < 3; t++) {
        double p = m->wave_weight[w] * m->w_s[s] * m->p_type[w][s][t];
        all += p;
        if (type >= 0 && t != type) continue;
        if (p == 0) continue;
        double eta = family_eta(e, it->index, s, post, t);
        num += p * expected_answer(it->loc + (it->reverse ? -eta : eta));
        den += p;
      }
  }
  if (share) *share = all > 0 ? den / all : NAN;
  return den > 0 ? num / den : NAN;
}

static void truth_family(jw *j, const sim_ctx *c) {
  const rs_simulate_effects *e = &c->o->effects;
  family_model m;
  family_model_init(c, &m);
  static const char *const type_name[] = {"none", "koordinator", "barnekoordinator"};
  jw_open(j, "family", '{');
  jw_str(j, "file", "family.csv");
  jw_str(j, "model",
         "Each Likert item is an ordered probit: y = location + sign * (effects + kommune effect + 0.45 * general factor "
         "+ 0.55 * index factor) + noise, with Var(y | covariates) = 1 and sign -1 for reverse-coded items; the answer is "
         "1 + the number of cut points (-1.30, -0.45, 0.25, 1.05) below y.  Answers are then blanked (2 %) or set to 8 "
         "'Vet ikke' (3 %) completely at random.  Effects are in latent SD units: 0.1 moves an item mean by about 0.1.");
  jw_open(j, "parameters", '[');
  for (int d = 0; d < RS_SIM_N_INDEX; d++) {
    char name[64], desc[256];
    g_snprintf(name, sizeof name, "post.%s", family_index_name[d]);
    g_snprintf(desc, sizeof desc, "After vs before the reform, same coordinator type and services: %s index%s",
               family_index_name[d], d == 0 ? " (a small change, as Tøssebro et al. found)" : "");
    jw_param(j, name, e->post[d], 4, "latent SD", desc);
  }
  for (int d = 0; d < RS_SIM_N_INDEX; d++) {
    char name[64], desc[256];
    g_snprintf(name, sizeof name, "coordinator.%s", family_index_name[d]);
    g_snprintf(desc, sizeof desc, "Any coordinator (koordinator or barnekoordinator) vs none: %s index", family_index_name[d]);
    jw_param(j, name, e->coordinator[d], 4, "latent SD", desc);
  }
  for (int d = 0; d < RS_SIM_N_INDEX; d++) {
    char name[64], desc[256];
    g_snprintf(name, sizeof name, "barnekoordinator.%s", family_index_name[d]);
    g_snprintf(desc, sizeof desc,
               "Barnekoordinator vs ordinary koordinator, same services: %s index "
               "(0 = no advantage, as Tøssebro et al. found)",
               family_index_name[d]);
    jw_param(j, name, e->barnekoordinator[d], 4, "latent SD", desc);
  }
  for (int d = 0; d < RS_SIM_N_INDEX; d++) {
    char name[64], desc[256];
    g_snprintf(name, sizeof name, "services.%s", family_index_name[d]);
    g_snprintf(desc, sizeof desc, "Per 2 services above 4: %s index (families with more services also get coordinators "
               "more often, so raw group means are confounded)", family_index_name[d]);
    jw_param(j, name, e->services[d], 4, "latent SD", desc);
  }
  jw_param(j, "kommune_sd", e->kommune_sd, 4, "latent SD", "SD of each kommune's effect on each family index");
  jw_param(j, "share_koordinator_pre", e->share_koordinator_pre, 4, "probability",
           "P(koordinator) before the reform for a family with 4 services");
  jw_param(j, "share_coordinated_post", e->share_coordinated_post, 4, "probability",
           "P(koordinator or barnekoordinator) after the reform for a family with 4 services");
  jw_param(j, "bk_share_2023", e->bk_share_2023, 4, "probability",
           "P(barnekoordinator | coordinated) in 2023 at 4 services (barnekoordinator exists only from 1 August 2022)");
  jw_param(j, "bk_share_per_year", e->bk_share_per_year, 4, "probability per year",
           "Yearly increase of P(barnekoordinator | coordinated) after 2023, capped at 0.70");
  jw_param(j, "coordinator_services_logit", e->coordinator_services_logit, 4, "logit per 2 services",
           "Slope of P(coordinated) in the number of services");
  jw_param(j, "bk_services_logit", e->bk_services_logit, 4, "logit per 2 services",
           "Slope of P(barnekoordinator | coordinated) in the number of services");
  jw_param(j, "panel_share", e->panel_share, 4, "probability",
           "Share of families answering two waves (a pair of waves drawn uniformly, at most 17 years apart); they "
           "share panel_id, kommune, "
           "services, latent factors and coordinator draw (the same uniform through each wave's type probabilities)");
  jw_param(j, "load_general", LOAD_GENERAL, 4, "latent SD", "Loading of the family's general factor on every item");
  jw_param(j, "load_index", LOAD_DOMAIN, 4, "latent SD", "Loading of the family's index factor on the index's items");
  jw_close(j, ']');
  /* expectations */
  jw_open(j, "expected", '{');
  jw_str(j, "note",
         "Exact expectations under the model (summed over diagnosis, services and coordinator type), for rows with an "
         "answer 1-5; raw answers, before reverse coding.  Waves are weighted by their expected number of rows (equal unless "
         "--years spans more than 18 years, when panel pairs more than 17 years apart answer once).  The kommune "
         "effects average to zero only over many draws of the kommuner's effects, so levels (not differences) carry "
         "an extra uncertainty of about kommune_sd / sqrt(effective number of kommuner).");
  double sh[3][3];
  for (int p = 0; p < 2; p++)
    for (int t = 0; t < 3; t++) family_expect(c, &m, &family_items[0], p, t, &sh[p][t]);
  for (int t = 0; t < 3; t++) family_expect(c, &m, &family_items[0], -1, t, &sh[2][t]);
  static const char *const per[] = {"pre", "post", "all"};
  jw_open(j, "coordinator_type_share", '{');
  for (int p = 0; p < 3; p++) {
    if ((p == 0 && c->nw_pre == 0) || (p == 1 && c->nw_post == 0)) continue;
    jw_open(j, per[p], '{');
    for (int t = 0; t < 3; t++) jw_num(j, type_name[t], sh[p][t], 6);
    jw_close(j, '}');
  }
  jw_close(j, '}');
  if (c->nw_post > 0) {
    jw_open(j, "barnekoordinator_share_by_year", '{');
    for (int w = 0; w < c->nw; w++) {
      if (c->waves[w] < FIRST_POST_WAVE) continue;
      double p2 = 0;
      for (int s = 1; s <= MAX_SERVICES; s++) p2 += m.w_s[s] * m.p_type[w][s][2];
      char y[8];
      g_snprintf(y, sizeof y, "%d", c->waves[w]);
      jw_num(j, y, p2, 6);
    }
    jw_close(j, '}');
  }
  jw_open(j, "item_means", '{');
  for (int i = 0; i < N_FAMILY_ITEMS; i++) {
    const sim_item *it = &family_items[i];
    jw_open(j, it->name, '{');
    double pre = c->nw_pre ? family_expect(c, &m, it, 0, -1, NULL) : NAN;
    double post = c->nw_post ? family_expect(c, &m, it, 1, -1, NULL) : NAN;
    if (c->nw_pre) jw_num(j, "pre", pre, 6);
    if (c->nw_post) jw_num(j, "post", post, 6);
    if (c->nw_pre && c->nw_post) jw_num(j, "post_minus_pre", post - pre, 6);
    double all_t[3];
    for (int t = 0; t < 3; t++) all_t[t] = family_expect(c, &m, it, -1, t, NULL);
    jw_open(j, "by_coordinator_type", '{');
    for (int t = 0; t < 3; t++)
      if (!isnan(all_t[t])) jw_num(j, type_name[t], all_t[t], 6);
    jw_close(j, '}');
    if (c->nw_post) {
      double pt[3];
      for (int t = 0; t < 3; t++) pt[t] = family_expect(c, &m, it, 1, t, NULL);
      jw_open(j, "post_by_coordinator_type", '{');
      for (int t = 0; t < 3; t++) jw_num(j, type_name[t], pt[t], 6);
      jw_close(j, '}');
      jw_num(j, "post_barnekoordinator_minus_koordinator", pt[2] - pt[1], 6);
    }
    jw_close(j, '}');
  }
  jw_close(j, '}');
  jw_close(j, '}');
  jw_close(j, '}');
}

static void truth_coordinators(jw *j, const sim_ctx *c) {
  const rs_simulate_effects *e = &c->o->effects;
  double hours, zero, bk;
  coord_expectations(c, &hours, &zero, &bk);
  jw_open(j, "coordinators", '{');
  jw_str(j, "file", "coordinators.csv");
  jw_str(j, "model",
         "One row per coordinator, wave drawn uniformly.  Barnekoordinator only after the reform (45 % of coordinators "
         "then).  Earmarked hours = 37.5 * position_pct/100 * earmarked share (0, 10, 20, 30, 50, 100 %; none for 50 % of "
         "koordinatorer and 25 % of barnekoordinatorer), rounded to half hours.  families = 1 + NegBin(size 1.3, mean "
         "families_base + families_per_hour * earmarked_hours).  Likert items as in the family survey, indexes "
         "role_clarity, support, competence, capacity.");
  jw_open(j, "parameters", '[');
  jw_param(j, "capacity_per_load", e->capacity_per_load, 4, "latent SD per unit of load",
           "Effect on experienced capacity of load = families / (earmarked_hours + 1): more families per earmarked hour, "
           "less capacity (Früh et al.)");
  jw_param(j, "training_role_clarity", e->training_role_clarity, 4, "latent SD", "Training received vs not: role clarity");
  jw_param(j, "training_competence", e->training_competence, 4, "latent SD", "Training received vs not: competence");
  jw_param(j, "families_base", e->families_base, 4, "families", "Mean of families - 1 with no earmarked hours");
  jw_param(j, "families_per_hour", e->families_per_hour, 4, "families per hour",
           "Increase of the mean number of families per earmarked hour");
  jw_param(j, "families_size", NB_SIZE, 4, "",
           "Negative binomial size (dispersion) of families - 1: most have 1-5, a tail above 15");
  jw_close(j, ']');
  jw_open(j, "expected", '{');
  jw_num(j, "share_barnekoordinator", bk, 6);
  jw_num(j, "earmarked_hours_mean", hours, 6);
  jw_num(j, "share_no_earmarked_hours", zero, 6);
  jw_num(j, "families_mean", 1 + e->families_base + e->families_per_hour * hours, 6);
  jw_close(j, '}');
  jw_close(j, '}');
}

static void truth_registry(jw *j, const sim_ctx *c) {
  const rs_simulate_effects *e = &c->o->effects;
  jw_open(j, "registry", '{');
  jw_str(j, "file", "registry.csv");
  jw_str(j, "model",
         "One row per kommune per month.  Counts are Poisson(children/1000 * rate * kommune factor * (1 + AR(1) noise)); "
         "rate = rate_2019 + trend_pre * t + [month >= 2022-08] * (level_change + slope_change * (t - t_reform)), t in "
         "years since 2019-01, t_reform = 43/12; the kommune factor is log-normal with mean 1.  children_0_17 = size * "
         "(1 - 0.005 * t).  Families with barnekoordinator are '.' before 2022-08 and ramp up from each kommune's start "
         "month (40 % in 2022-08, the rest over the next 23 months).  Symbols: '-' zero, ':' counts 1 to "
         "suppress_below - 1, '..' a kommune-year not reported (1 %) or FTEs missing (5 %), '...' the last "
         "not_yet_months months, '*' provisional for the provisional_months before them.");
  jw_open(j, "parameters", '[');
  jw_param(j, "ip_rate_2019", e->ip_rate_2019, 4, "per 1000 children", "Children with individuell plan, January 2019");
  jw_param(j, "ip_trend_pre", e->ip_trend_pre, 4, "per 1000 children per year",
           "Pre-reform trend in children with individuell plan (falling, as KPR/IPLOS shares fell 2014-2021)");
  jw_param(j, "ip_level_change", e->ip_level_change, 4, "per 1000 children", "Level change at 2022-08: individuell plan");
  jw_param(j, "ip_slope_change", e->ip_slope_change, 4, "per 1000 children per year",
           "Slope change at 2022-08: individuell plan");
  jw_param(j, "koord_rate_2019", e->koord_rate_2019, 4, "per 1000 children", "Children with koordinator, January 2019");
  jw_param(j, "koord_trend_pre", e->koord_trend_pre, 4, "per 1000 children per year", "Pre-reform trend: koordinator");
  jw_param(j, "koord_level_change", e->koord_level_change, 4, "per 1000 children", "Level change at 2022-08: koordinator");
  jw_param(j, "koord_slope_change", e->koord_slope_change, 4, "per 1000 children per year",
           "Slope change at 2022-08: koordinator");
  jw_param(j, "bk_plateau", e->bk_plateau, 4, "per 1000 children",
           "Families with barnekoordinator once the scheme is established");
  jw_param(j, "bk_ramp", e->bk_ramp, 4, "per 1000 children per month", "Ramp-up after the kommune's start month");
  jw_param(j, "services_rate", SERVICES_RATE, 4, "per 1000 children",
           "Children receiving municipal health and care services (flat)");
  jw_param(j, "kommune_rate_sd", e->kommune_rate_sd, 4, "log scale",
           "SD of each kommune's log rate factor (one per series)");
  jw_param(j, "ar1_phi", e->ar1_phi, 4, "", "Month-to-month autocorrelation of the rate noise");
  jw_param(j, "ar1_sd", e->ar1_sd, 4, "relative", "Stationary SD of the relative rate noise");
  jw_param(j, "fte_per_child", FTE_PER_CHILD, 4, "FTE", "Coordinator FTEs per child with koordinator or family with "
           "barnekoordinator, times a kommune factor (log-normal, log-SD 0.3, mean 1) and 1 + 0.05 * monthly normal noise");
  jw_param(j, "suppress_below", e->suppress_below, 0, "count", "Counts from 1 to this minus 1 are written ':'");
  jw_param(j, "not_yet_months", e->not_yet_months, 0, "months", "Latest months written '...'");
  jw_param(j, "provisional_months", e->provisional_months, 0, "months", "Months before those flagged '*'");
  jw_close(j, ']');
  jw_close(j, '}');
}

static void truth_cases(jw *j, const sim_ctx *c) {
  const rs_simulate_effects *e = &c->o->effects;
  jw_open(j, "cases", '{');
  jw_str(j, "file", "cases.csv");
  jw_str(j, "model",
         "Complaints: Poisson per kommune-month with mean children/1000 * rate / 12; tilsyn: Poisson(tilsyn_rate / 12) "
         "per kommune-month.  Subject barnekoordinator only when received on or after 2022-08-01 (complaints: 45 % "
         "barnekoordinator, 30 % koordinator, 25 % individuell plan; before: 55 % koordinator, 45 % individuell plan).  "
         "Processing days: median * exp(0.5 * normal) for complaints (the deadline is four weeks), 4 * median * "
         "exp(0.4 * normal) for tilsyn.  Outcomes: barnekoordinator complaints 35 % upheld, 45 % not upheld, 20 % sent "
         "back; others 22/63/15 %.  Tilsyn: 40 % no lovbrudd, else 1 + Poisson(1).  Cases not decided by the end of "
         "the period have empty date_decided, processing_days, outcome and lovbrudd.");
  jw_open(j, "parameters", '[');
  jw_param(j, "complaint_rate_pre", e->complaint_rate_pre, 4, "per 1000 children per year", "Complaints before 2022-08");
  jw_param(j, "complaint_rate_post", e->complaint_rate_post, 4, "per 1000 children per year", "Complaints from 2022-08");
  jw_param(j, "tilsyn_rate", e->tilsyn_rate, 4, "per kommune per year", "Tilsyn cases");
  jw_param(j, "processing_median_days", e->processing_median_days, 2, "days", "Median processing time of complaints");
  jw_close(j, ']');
  jw_close(j, '}');
}

static bool write_truth(const sim_ctx *c, const char *dir, const rs_simulate_summary *files, rs_simulate_file *info,
                        GError **err) {
  const rs_simulate_options *o = c->o;
  jw jj = {.s = g_string_new(NULL), .depth = 0};
  jw *j = &jj;
  j->first[0] = true;
  g_string_append_c(j->s, '{');
  j->first[1] = true;
  j->depth = 1;
  jw_int(j, "simulate_model_version", SIM_MODEL_VERSION);
  jw_str(j, "command", "simulate");
  jw_int(j, "seed", (long long)o->seed);
  jw_str(j, "rng", "gsl_rng_mt19937; one stream per dataset (kommune effects, family, coordinators, registry, cases), "
         "seeded with successive gsl_rng_get values of a stream seeded with the seed");
  jw_open(j, "options", '{');
  jw_int(j, "families", o->n_families);
  jw_int(j, "coordinators", o->n_coordinators);
  char years[16];
  g_snprintf(years, sizeof years, "%d-%d", o->year_first, o->year_last);
  jw_str(j, "years", years);
  jw_open(j, "survey_waves", '[');
  for (int w = 0; w < c->nw; w++) jw_int(j, NULL, c->waves[w]);
  jw_close(j, ']');
  jw_str(j, "style", o->style == RS_SIMULATE_PLAIN ? "plain" : "excel-nb");
  jw_close(j, '}');
  jw_open(j, "reform", '{');
  jw_str(j, "date", "2022-08-01");
  jw_str(j, "post_definition", "survey waves 2023 and later (no wave in 2022); registry months from 2022-08; cases "
         "received from 2022-08-01");
  jw_close(j, '}');
  jw_open(j, "kommuner", '{');
  jw_str(j, "source", o->kommune_source ? o->kommune_source : "kommuner_2024.csv");
  jw_int(j, "vintage", 2024);
  jw_int(j, "count", c->nk);
  jw_str(j, "codes", "All datasets use 2024 kommune and fylke codes in every year, as if already mapped to the 2024 "
         "vintage.");
  jw_str(j, "size_model",
         "No population table is used: children 0-17 per kommune in January 2019 come from a fixed, seed-independent "
         "synthetic size model.  Kommune numbers ending in 01-09 are towns (SSB numbers the towns first within each "
         "fylke; 52 in 2024); towns get log-normal sizes with median 6500 and log-SD 0.9, the other kommuner median "
         "900 and log-SD 1.05.  Within each class, rank i of n gets round(median * exp(logsd * z)), z the standard "
         "normal quantile at 1 - (i + 0.5)/n, at least 30; 0301 Oslo, 4601 Bergen, 5001 Trondheim and 1103 Stavanger "
         "take the top four town ranks in that order, and every other kommune is ranked within its class by the "
         "32-bit FNV-1a hash of its code passed through MurmurHash3's fmix32 finaliser.  The sizes have the shape of "
         "Norway's distribution but are not SSB figures.  "
         "Respondents and coordinators are drawn with probability proportional to these sizes; complaint rates and "
         "registry counts scale with them.");
  jw_open(j, "size_model_parameters", '{');
  jw_num(j, "town_median", TOWN_MEDIAN, 1);
  jw_num(j, "town_log_sd", TOWN_LOGSD, 2);
  jw_num(j, "other_median", OTHER_MEDIAN, 1);
  jw_num(j, "other_log_sd", OTHER_LOGSD, 2);
  jw_int(j, "minimum", SIZE_MIN);
  jw_close(j, '}');
  jw_int(j, "children_total", c->total_children);
  jw_close(j, '}');
  jw_open(j, "files", '[');
  for (size_t i = 0; i < files->n_files; i++) {
    if (!files->files[i].name) continue;   /* truth.json itself */
    jw_open(j, NULL, '{');
    jw_str(j, "name", files->files[i].name);
    jw_int(j, "rows", (long long)files->files[i].rows);
    jw_close(j, '}');
  }
  jw_close(j, ']');
  truth_family(j, c);
  truth_coordinators(j, c);
  truth_registry(j, c);
  truth_cases(j, c);
  j->depth = 0;
  g_string_append(j->s, "\n}\n");
  char *path = g_build_filename(dir, "truth.json", NULL);
  bool ok = true;
  FILE *fp = g_fopen(path, "wb");
  if (!fp || fwrite(j->s->str, 1, j->s->len, fp) != j->s->len || fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", path, g_strerror(e ? e : EIO));
    ok = false;
  }
  if (fp && fclose(fp) != 0 && ok) {
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot write: %s", path, g_strerror(e));
    ok = false;
  }
  info->name = g_strdup("truth.json");
  info->rows = 0;
  info->bytes = j->s->len;
  g_free(path);
  g_string_free(j->s, TRUE);
  return ok;
}

/* ======================================================================
 * 6. The output directory
 * ====================================================================== */

/* What is at `dir` now: 0 nothing, 1 an empty directory, 2 an earlier
 * simulate output (truth.json and only regular files), -1 anything else
 * (err set). */
static int inspect_target(const char *dir, bool force, GError **err) {
  GStatBuf st;
  if (g_lstat(dir, &st) != 0) {
    if (errno == ENOENT) return 0;
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "--out %s: %s", dir, g_strerror(e));
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "--out %s exists and is not a directory", dir);
    return -1;
  }
  GError *e = NULL;
  GDir *d = g_dir_open(dir, 0, &e);
  if (!d) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "--out %s: %s", dir, e->message);
    g_error_free(e);
    return -1;
  }
  int n = 0;
  bool truth = false, only_files = true;
  const char *name;
  while ((name = g_dir_read_name(d))) {
    n++;
    if (strcmp(name, "truth.json") == 0) truth = true;
    char *p = g_build_filename(dir, name, NULL);
    if (g_lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) only_files = false;
    g_free(p);
  }
  g_dir_close(d);
  if (n == 0) return 1;
  if (!force) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--out %s already exists and is not empty; give --force to replace an earlier simulate output, or "
                "choose another directory", dir);
    return -1;
  }
  if (!truth || !only_files) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "--out %s is not an earlier simulate output (%s), so --force will not replace it; choose another "
                "directory", dir, truth ? "it holds subdirectories" : "it has no truth.json");
    return -1;
  }
  return 2;
}


void rs_simulate_summary_clear(rs_simulate_summary *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n_files; i++) g_free(s->files[i].name);
  s->n_files = 0;
}

gboolean rs_simulate_run(const rs_simulate_options *o, const GPtrArray *kommuner, const char *dir,
                         rs_simulate_summary *summary, GError **err) {
  if (!rs_simulate_check_options(o, err)) return FALSE;
  if (!dir || !*dir) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "give --out DIR: the directory to write the datasets to");
    return FALSE;
  }
  if (!kommuner || kommuner->len == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the reference data hold no 2024 kommuner (kommuner_2024.csv)");
    return FALSE;
  }
  int state = inspect_target(dir, o->force, err);
  if (state < 0) return FALSE;

  /* the context: waves, kommuner, seeds */
  sim_ctx c = {.o = o, .nk = kommuner->len};
  for (int y = o->year_first; y <= o->year_last; y++) {
    if (y == REFORM_YEAR) continue;
    c.waves[c.nw++] = y;
    if (y >= FIRST_POST_WAVE) c.nw_post++;
    else c.nw_pre++;
  }
  gsl_rng *master = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(master, o->seed);
  for (int i = 0; i < 5; i++) c.stream_seed[i] = (guint32)gsl_rng_get(master);
  gsl_rng_free(master);
  long *size = rs_simulate_kommune_sizes(kommuner);
  c.k = g_new0(sim_kommune, c.nk);
  double *wts = g_new(double, c.nk);
  gsl_rng *kr = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(kr, c.stream_seed[0]);
  for (guint i = 0; i < c.nk; i++) {
    const rs_kommune *k = g_ptr_array_index(kommuner, i);
    c.k[i].code = k->code;
    c.k[i].name = k->name;
    c.k[i].fylke = k->fylke;
    c.k[i].children = size[i];
    c.total_children += size[i];
    wts[i] = (double)size[i];
    for (int d = 0; d < RS_SIM_N_INDEX; d++) c.k[i].re[d] = o->effects.kommune_sd * gsl_ran_gaussian_ziggurat(kr, 1.0);
  }
  gsl_rng_free(kr);
  c.pps = gsl_ran_discrete_preproc(c.nk, wts);
  g_free(wts);
  g_free(size);

  /* the temporary directory beside the target */
  char *parent = g_path_get_dirname(dir), *base = g_path_get_basename(dir);
  char *tmpl = g_strdup_printf("%s/.%s.tmp-XXXXXX", parent, base);
  char *tmp = NULL;
  gboolean ok = FALSE;
  rs_simulate_summary sum = {0};
  if (!rs_atomic_mkdtemp(tmpl)) {  /* registered: a signal removes it */
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "--out %s: cannot create a directory in %s: %s (nothing was written)", dir,
                parent, g_strerror(e));
    goto done;
  }
  tmp = tmpl;
  tmpl = NULL;
  bool wrote = write_family(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_family_codebook(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_coordinators(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_coordinators_codebook(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_registry(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_registry_codebook(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_cases(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_cases_codebook(&c, tmp, &sum.files[sum.n_files++], err) &&
               write_truth(&c, tmp, &sum, &sum.files[sum.n_files++], err);
  if (!wrote) {
    g_prefix_error(err, "nothing was written to %s: ", dir);
    rs_atomic_remove_dir(tmp);
    goto done;
  }
  /* rename into place: over nothing or an empty directory directly; over
   * an earlier output (--force) by an atomic exchange where the system has
   * one, so DIR always holds a complete output */
  if (state == 2) {
    if (!rs_atomic_replace_dir(tmp, dir)) {
      int e = errno;
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "--out %s: cannot replace the earlier output: %s (nothing was changed)",
                  dir, g_strerror(e));
      rs_atomic_remove_dir(tmp);
      goto done;
    }
  } else if (g_rename(tmp, dir) != 0) {
    int e = errno;
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "--out %s: cannot rename %s to it: %s (nothing was changed)", dir, tmp,
                g_strerror(e));
    rs_atomic_remove_dir(tmp);
    goto done;
  } else {
    rs_atomic_forget_dir(tmp);
  }
  rs_atomic_sync_dir(parent);
  ok = TRUE;
done:
  if (ok && summary) *summary = sum;
  else rs_simulate_summary_clear(&sum);
  gsl_ran_discrete_free(c.pps);
  g_free(c.k);
  g_free(tmp);
  g_free(tmpl);
  g_free(parent);
  g_free(base);
  return ok;
}
