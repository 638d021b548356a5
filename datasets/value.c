/* value.c — cell text to typed values, independent of the process locale. */
#include "datasets/value.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const miss_names[RS_MISS_N_REASONS] = {
  "none", "empty", "code", "ssb_na", "ssb_missing", "ssb_not_yet", "ssb_suppressed"};
static const char *const miss_labels[RS_MISS_N_REASONS] = {
  "present", "empty cell", "declared missing code", "'.' cannot occur",
  "'..' data missing", "'...' not yet available", "':' suppressed"};

const char *rs_miss_name(rs_miss m) { return (unsigned)m < RS_MISS_N_REASONS ? miss_names[m] : "?"; }
const char *rs_miss_label(rs_miss m) { return (unsigned)m < RS_MISS_N_REASONS ? miss_labels[m] : "?"; }

/* Exact powers of ten representable as doubles (10^0 … 10^22). */
static const double pow10_exact[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Length of a digit-group separator at p: ' ', U+00A0 or U+202F. */
static size_t group_sep_len(const char *p, const char *end) {
  if (p < end && *p == ' ') return 1;
  if (end - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) return 2;
  if (end - p >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
      (unsigned char)p[2] == 0xAF) return 3;
  return 0;
}

static inline void trim(const char **s, size_t *len) {
  const char *p = *s, *e = *s + *len;
  while (p < e && (*p == ' ' || *p == '\t')) p++;
  while (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
  *s = p;
  *len = (size_t)(e - p);
}

bool rs_value_parse_number(const char *s, size_t len, char decimal, double *out) {
  trim(&s, &len);
  const char *p = s, *end = s + len;
  if (p == end) return false;
  bool neg = false;
  if (*p == '-' || *p == '+') { neg = (*p == '-'); p++; }
  else if (end - p >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x88 &&
           (unsigned char)p[2] == 0x92) { neg = true; p += 3; }  /* U+2212 minus sign */

  /* Validate while accumulating up to 19 significant digits in a uint64;
   * the slow path re-reads the text. */
  uint64_t mant = 0;
  int nsig = 0, exp10 = 0;
  bool any = false;

  /* Integer part, with optional groups of three after a separator. */
  int group = -1;  /* digits since the last separator; -1 before any separator */
  int lead = 0;    /* digits before the first separator */
  while (p < end) {
    if (*p >= '0' && *p <= '9') {
      int d = *p - '0';
      if (nsig > 0 || d != 0) {
        if (nsig < 19) mant = mant * 10 + (uint64_t)d; else exp10++;
        nsig++;
      }
      any = true;
      if (group >= 0) group++; else lead++;
      p++;
      continue;
    }
    size_t sl = group_sep_len(p, end);
    if (sl > 0 && any) {
      if (group >= 0 ? group != 3 : lead > 3) return false;
      if (group < 0 && nsig == 0) return false;  /* "0 123": no leading group of zeros */
      if (p + sl >= end || !(p[sl] >= '0' && p[sl] <= '9')) return false;
      group = 0;
      p += sl;
      continue;
    }
    break;
  }
  if (group >= 0 && group != 3) return false;
  if (p < end && *p == decimal) {
    p++;
    while (p < end && *p >= '0' && *p <= '9') {
      int d = *p - '0';
      if (nsig > 0 || d != 0) {
        if (nsig < 19) { mant = mant * 10 + (uint64_t)d; exp10--; }
        nsig++;
      } else {
        exp10--;
      }
      any = true;
      p++;
    }
  }
  if (!any) return false;
  int e = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    bool eneg = false;
    if (p < end && (*p == '-' || *p == '+')) { eneg = (*p == '-'); p++; }
    if (p == end || !(*p >= '0' && *p <= '9')) return false;
    while (p < end && *p >= '0' && *p <= '9') {
      if (e < 100000) e = e * 10 + (*p - '0');
      p++;
    }
    if (eneg) e = -e;
  }
  if (p != end) return false;

  if (nsig <= 15) {
    int k = exp10 + e;
    double m = (double)mant;
    if (mant == 0) { *out = neg ? -0.0 : 0.0; return true; }
    if (k >= 0 && k <= 22) { *out = neg ? -(m * pow10_exact[k]) : m * pow10_exact[k]; return true; }
    if (k < 0 && k >= -22) { *out = neg ? -(m / pow10_exact[-k]) : m / pow10_exact[-k]; return true; }
  }
  /* Slow path: rebuild "[-]digits.digitsEexp" without separators. */
  GString *g = g_string_sized_new(len + 8);
  if (neg) g_string_append_c(g, '-');
  const char *q = s;
  if (q < s + len && (*q == '-' || *q == '+')) q++;
  else if (neg) q += 3;
  for (; q < s + len; q++) {
    if (*q >= '0' && *q <= '9') g_string_append_c(g, *q);
    else if (*q == decimal) g_string_append_c(g, '.');
    else if (*q == 'e' || *q == 'E' || *q == '+' || *q == '-') g_string_append_c(g, *q);
  }
  char *endp = NULL;
  double v = g_ascii_strtod(g->str, &endp);
  bool ok = endp != NULL && *endp == '\0';
  g_string_free(g, TRUE);
  if (!ok || !isfinite(v)) return false;
  *out = v;
  return true;
}

bool rs_value_looks_like_other_decimal(const char *s, size_t len, char decimal) {
  double d;
  char other = decimal == ',' ? '.' : ',';
  if (memchr(s, other, len) == NULL) return false;
  return rs_value_parse_number(s, len, other, &d);
}

bool rs_value_has_leading_zero(const char *s, size_t len) {
  trim(&s, &len);
  if (len < 2 || s[0] != '0') return false;
  for (size_t i = 1; i < len; i++)
    if (!(s[i] >= '0' && s[i] <= '9')) return false;
  return true;
}

int rs_value_ssb_symbol(const char *s, size_t len, uint8_t *flags) {
  trim(&s, &len);
  if (len == 1 && s[0] == '.') return RS_MISS_NA;
  if (len == 2 && s[0] == '.' && s[1] == '.') return RS_MISS_UNAVAILABLE;
  if (len == 3 && memcmp(s, "...", 3) == 0) return RS_MISS_NOT_YET;
  if (len == 1 && s[0] == ':') return RS_MISS_SUPPRESSED;
  if (len == 1 && s[0] == '-') { *flags |= RS_FLAG_ZERO_BY_DEF; return RS_MISS_NONE; }
  return -1;
}

size_t rs_value_strip_provisional(const char *s, size_t len, uint8_t *flags) {
  size_t n = len;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (n >= 2 && s[n - 1] == '*' && s[n - 2] >= '0' && s[n - 2] <= '9') {
    *flags |= RS_FLAG_PROVISIONAL;
    return n - 1;
  }
  return len;
}

static int read_int(const char **p, const char *end, int min_digits, int max_digits) {
  int v = 0, n = 0;
  while (*p < end && **p >= '0' && **p <= '9' && n < max_digits) {
    v = v * 10 + (**p - '0');
    (*p)++;
    n++;
  }
  return n >= min_digits ? v : -1;
}

bool rs_value_parse_date(const char *s, size_t len, int32_t *days) {
  trim(&s, &len);
  const char *p = s, *end = s + len;
  int y, m, d;
  if (len >= 10 && s[4] == '-') {
    y = read_int(&p, end, 4, 4);
    if (y < 0 || p >= end || *p++ != '-') return false;
    m = read_int(&p, end, 2, 2);
    if (m < 0 || p >= end || *p++ != '-') return false;
    d = read_int(&p, end, 2, 2);
  } else {
    d = read_int(&p, end, 1, 2);
    if (d < 0 || p >= end || *p++ != '.') return false;
    m = read_int(&p, end, 1, 2);
    if (m < 0 || p >= end || *p++ != '.') return false;
    y = read_int(&p, end, 4, 4);
  }
  if (d < 0) return false;
  if (p < end) {
    /* an optional time of day after 'T' or a space: hh:mm[:ss[.fff]][Z|±hh:mm] */
    if (*p != 'T' && *p != ' ') return false;
    p++;
    int hh = read_int(&p, end, 2, 2);
    if (hh < 0 || hh > 24 || p >= end || *p++ != ':') return false;
    int mm = read_int(&p, end, 2, 2);
    if (mm < 0 || mm > 59) return false;
    while (p < end && ((*p >= '0' && *p <= '9') || *p == ':' || *p == '.' || *p == 'Z' || *p == '+' || *p == '-')) p++;
    if (p != end) return false;
  }
  if (y < 1 || m < 1 || m > 12 || d < 1 || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return false;
  GDate date, epoch;
  g_date_clear(&date, 1);
  g_date_clear(&epoch, 1);
  g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
  g_date_set_dmy(&epoch, 1, G_DATE_JANUARY, 1970);
  *days = (int32_t)g_date_days_between(&epoch, &date);
  return true;
}

void rs_value_format_date(int32_t days, char *buf) {
  GDate date;
  g_date_clear(&date, 1);
  g_date_set_dmy(&date, 1, G_DATE_JANUARY, 1970);
  if (days >= 0) g_date_add_days(&date, (guint)days); else g_date_subtract_days(&date, (guint)(-days));
  unsigned y = (unsigned)g_date_get_year(&date) % 10000u, m = (unsigned)g_date_get_month(&date) % 13u,
           d = (unsigned)g_date_get_day(&date) % 32u;
  snprintf(buf, 11, "%04u-%02u-%02u", y, m, d);
}

void rs_value_format_double(double x, char *buf) {
  /* %.15g is what a reader expects; use %.17g only when needed to round-trip. */
  g_ascii_formatd(buf, 32, "%.15g", x);
  if (g_ascii_strtod(buf, NULL) != x) g_ascii_formatd(buf, 32, "%.17g", x);
}

void rs_value_append_json_string(GString *g, const char *s) {
  g_string_append_c(g, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"': g_string_append(g, "\\\""); break;
      case '\\': g_string_append(g, "\\\\"); break;
      case '\n': g_string_append(g, "\\n"); break;
      case '\r': g_string_append(g, "\\r"); break;
      case '\t': g_string_append(g, "\\t"); break;
      default:
        if (*p < 0x20) g_string_append_printf(g, "\\u%04x", *p);
        else g_string_append_c(g, (char)*p);
    }
  }
  g_string_append_c(g, '"');
}
