/* value.c — cell text to typed values, independent of the process locale. */
#include "datasets/value.h"

#include <float.h>
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

  /* Clinger's fast path: one correctly rounded operation — not with excess
   * precision (FLT_EVAL_METHOD 2: i386, -mfpmath=387), which rounds twice */
  if (nsig <= 15 && FLT_EVAL_METHOD == 0) {
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

/* Proleptic Gregorian, as GDate (whose set_dmy/days_between were a visible
 * share of reading a large CSV with a date column). */
static int days_in_month(int y, int m) {
  static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : n[m - 1];
}

/* Days since 1970-01-01 of a valid date, year >= 1 (H. Hinnant's
 * days_from_civil). */
static int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  int era = y / 400;                                         /* y >= 0 here */
  unsigned yoe = (unsigned)(y - era * 400);                  /* [0, 399] */
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365], from March */
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* [0, 146096] */
  return era * 146097 + (int32_t)doe - 719468;
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
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
  *days = days_from_civil(y, (unsigned)m, (unsigned)d);
  return true;
}

/* Days since 1970-01-01 to the proleptic Gregorian date (H. Hinnant's
 * civil_from_days): GDate's day arithmetic was a visible share of writing
 * a large CSV with a date column. */
static void civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d) {
  int32_t z = days + 719468;
  int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);                         /* [0, 146096] */
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365] */
  unsigned mp = (5 * doy + 2) / 153;                                   /* [0, 11], from March */
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)yoe + era * 400 + (*m <= 2);
}

void rs_value_format_date_reference(int32_t days, char *buf) {
  GDate date;
  g_date_clear(&date, 1);
  g_date_set_dmy(&date, 1, G_DATE_JANUARY, 1970);
  if (days >= 0) g_date_add_days(&date, (guint)days); else g_date_subtract_days(&date, (guint)(-days));
  unsigned y = (unsigned)g_date_get_year(&date) % 10000u, m = (unsigned)g_date_get_month(&date) % 13u,
           d = (unsigned)g_date_get_day(&date) % 32u;
  snprintf(buf, 11, "%04u-%02u-%02u", y, m, d);
}

void rs_value_format_date(int32_t days, char *buf) {
  /* 0001-01-01 … 9999-12-31; GDate decides outside (it has no year 0) */
  if (days < -719162 || days > 2932896) {
    rs_value_format_date_reference(days, buf);
    return;
  }
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  unsigned uy = (unsigned)y;
  buf[0] = (char)('0' + uy / 1000);
  buf[1] = (char)('0' + uy / 100 % 10);
  buf[2] = (char)('0' + uy / 10 % 10);
  buf[3] = (char)('0' + uy % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + m / 10);
  buf[6] = (char)('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + d / 10);
  buf[9] = (char)('0' + d % 10);
  buf[10] = '\0';
}

size_t rs_value_format_double_reference(double x, char *buf) {
  /* %.15g is what a reader expects; use %.17g only when needed to round-trip. */
  g_ascii_formatd(buf, 32, "%.15g", x);
  if (g_ascii_strtod(buf, NULL) != x) g_ascii_formatd(buf, 32, "%.17g", x);
  return strlen(buf);
}

/* The fast path below gives the reference's bytes without printf and strtod,
 * which were most of the time spent writing a large CSV.  It handles what %g
 * writes in fixed notation and leaves everything it cannot be sure of to the
 * reference. */

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

/* Writes the nd lowest decimal digits of n into d[0..nd), two at a time. */
static void put_digits(uint64_t n, int nd, char *d) {
  char *p = d + nd;
  while (p - d >= 2) {
    unsigned r = (unsigned)(n % 100);
    n /= 100;
    p -= 2;
    memcpy(p, digit_pairs + 2 * r, 2);
  }
  if (p > d) *--p = (char)('0' + n % 10);
}

/* The number of decimal digits of n (at least 1). */
static int count_digits(uint64_t n) {
  int k = 1;
  while (n >= 10) { n /= 10; k++; }
  return k;
}

#if LDBL_MANT_DIG >= 64
/* 10^0 … 10^27: exact in a 64-bit significand (5^27 < 2^64). */
static const long double pow10_ld[28] = {
  1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
  1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* ax (positive, normal, 1e-6 <= ax < 1e18) scaled to 17 integer digits:
 * ax * 10^(16 - *exp10) = *whole + *frac with *whole in [10^16, 10^17) and
 * 0 <= *frac < 1, *exp10 the decimal exponent of ax's first digit.  The
 * scaling by an exact power of ten in long double costs one rounding, a
 * relative error of at most 2^-64, so below 2^-7 in units of *whole. */
static bool scale17(double ax, uint64_t *whole, long double *frac, int *exp10) {
  uint64_t bits;
  memcpy(&bits, &ax, sizeof bits);
  int e2 = (int)(bits >> 52) - 1023;            /* 2^e2 <= ax < 2^(e2+1) */
  int t = e2 * 78913;                            /* 78913 / 2^18 ~ log10(2), exact floor for |e2| < 1650 */
  int e10 = t >= 0 ? t >> 18 : -((-t + (1 << 18) - 1) >> 18);  /* floor(log10 ax) or one less */
  long double y = 0;
  for (int tries = 0; tries < 2; tries++) {
    int k = 16 - e10;
    if (k < -27 || k > 27) return false;
    y = k >= 0 ? (long double)ax * pow10_ld[k] : (long double)ax / pow10_ld[-k];
    if (y < pow10_ld[17]) break;
    e10++;
  }
  if (!(y >= pow10_ld[16] && y < pow10_ld[17])) return false;
  *whole = (uint64_t)y;
  *frac = y - (long double)*whole;               /* exact */
  *exp10 = e10;
  return true;
}

/* The first 17 - drop (drop 0 or 2) significant digits of the scaled value,
 * rounded to nearest as printf's %.17g or %.15g rounds, as the integer
 * *digits in [10^(16-drop), 10^(17-drop)); *exp10 is moved up when the
 * rounding carries into a new digit (9.99…95 to 10).  Returns false within
 * 1/32 of a unit of the 17th digit of a halfway point: the scaling's error
 * (< 2^-7 of that unit) could have moved the value across it, and only
 * exact arithmetic can tell which way printf rounds. */
static bool round_digits(uint64_t whole, long double frac, int drop, uint64_t *digits, int *exp10) {
  uint64_t div = drop ? 100 : 1;
  long double rest = (long double)(whole % div) + frac;  /* exact: below 100 with frac's bits */
  long double half = (long double)div / 2;
  if (fabsl(rest - half) < 1.0L / 32) return false;
  uint64_t n = whole / div + (rest > half);
  if ((long double)n == pow10_ld[17 - drop]) {
    n /= 10;
    (*exp10)++;
  }
  *digits = n;
  return true;
}
#else
static bool scale17(double ax, uint64_t *whole, long double *frac, int *exp10) {
  (void)ax; (void)whole; (void)frac; (void)exp10;
  return false;
}
static bool round_digits(uint64_t whole, long double frac, int drop, uint64_t *digits, int *exp10) {
  (void)whole; (void)frac; (void)drop; (void)digits; (void)exp10;
  return false;
}
#endif

/* %g in fixed notation: the nd digits with the first at 10^exp10 (the
 * caller checked -4 <= exp10 < nd), trailing zeros after the point dropped. */
static size_t put_fixed(bool neg, uint64_t digits, int nd, int exp10, char *buf) {
  char d[20];
  put_digits(digits, nd, d);
  while (nd > exp10 + 1 && d[nd - 1] == '0') nd--;  /* %g strips trailing zeros */
  char *p = buf;
  if (neg) *p++ = '-';
  if (exp10 >= 0) {
    memcpy(p, d, (size_t)exp10 + 1);
    p += exp10 + 1;
    if (nd > exp10 + 1) {
      *p++ = '.';
      memcpy(p, d + exp10 + 1, (size_t)(nd - exp10 - 1));
      p += nd - exp10 - 1;
    }
  } else {
    memcpy(p, "0.0000", (size_t)(1 - exp10));  /* "0." and -exp10 - 1 zeros */
    p += 1 - exp10;
    memcpy(p, d, (size_t)nd);
    p += nd;
  }
  *p = '\0';
  return (size_t)(p - buf);
}

/* Does the decimal digits * 10^p read back as ax?  strtod rounds correctly;
 * so does one multiplication or division when both digits (< 2^53) and
 * 10^|p| (|p| <= 22) are exact doubles (Clinger's fast path). */
static bool reads_back(uint64_t digits, int p, double ax) {
  double m = (double)digits;
  /* through memory: with excess precision (FLT_EVAL_METHOD 2, i386 or
   * -mfpmath=387) the product would be compared unrounded */
  volatile double v = p >= 0 ? m * pow10_exact[p] : m / pow10_exact[-p];
  return v == ax;
}

/* Long double really has its 64-bit significand now: LDBL_MANT_DIG says
 * what the compiler assumes, not what the x87 precision control (set to
 * double by some libraries, and under valgrind) gives.  A per-call probe,
 * two additions. */
static bool long_double_full(void) {
  volatile long double one = 1.0L, tiny = 0x1p-63L;
  return one + tiny != one;
}

/* The length written, or 0 when the reference must decide. */
static size_t format_fast(double x, char *buf) {
  bool neg = signbit(x);
  double ax = fabs(x);
  if (ax < 1e15 && ax == (double)(int64_t)ax) {  /* integers, and ±0 */
    char *p = buf;
    if (neg) *p++ = '-';
    int nd = count_digits((uint64_t)ax);
    put_digits((uint64_t)ax, nd, p);
    p += nd;
    *p = '\0';
    return (size_t)(p - buf);
  }
  if (!(ax >= 1e-6 && ax < 1e18)) return 0;  /* also NaN: exponent notation or unsure */
  if (FLT_EVAL_METHOD != 0 || !long_double_full()) return 0;
  uint64_t whole, digits;
  long double frac;
  int e10_scaled, e10;
  if (!scale17(ax, &whole, &frac, &e10_scaled)) return 0;
  e10 = e10_scaled;
  if (!round_digits(whole, frac, 2, &digits, &e10) || e10 < -4 || e10 >= 15) return 0;
  if (reads_back(digits, e10 - 14, ax)) return put_fixed(neg, digits, 15, e10, buf);
  e10 = e10_scaled;
  if (!round_digits(whole, frac, 0, &digits, &e10) || e10 < -4 || e10 >= 17) return 0;
  return put_fixed(neg, digits, 17, e10, buf);
}

size_t rs_value_format_double(double x, char *buf) {
  size_t n = format_fast(x, buf);
  return n ? n : rs_value_format_double_reference(x, buf);
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
