/* test-value.c — cell text to values (datasets/value.h).
 *
 * Where the expected values come from:
 *   - numbers: glibc's strtod in the C locale, which is correctly rounded
 *     (IEEE 754 round-to-nearest-even), either called here on the same text
 *     without group separators or, for the named constants, the decimal
 *     expansions of well-known doubles (DBL_MAX, DBL_MIN, the smallest
 *     denormal 2^-1074, 2^53 + 1 rounding to 2^53 by ties-to-even);
 *   - random cases: 20 000 decimal strings from gsl_rng_mt19937 with the
 *     fixed seed 20220801, each compared bit for bit with strtod;
 *   - dates: days since 1970-01-01 computed with Python's datetime
 *     (proleptic Gregorian): (date(2024,2,29) - date(1970,1,1)).days = 19782,
 *     2022-08-01 -> 19205, 2023-02-28 -> 19416, 2023-03-01 -> 19417,
 *     1969-12-31 -> -1, 1900-03-01 -> -25508, 2000-02-29 -> 11016;
 *   - SSB symbols and flags: the table in DESIGN.md ("The data").
 */
#include "datasets/value.h"
#include "tests/tap.h"

#include <float.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static bool parse(const char *s, char dec, double *out) { return rs_value_parse_number(s, strlen(s), dec, out); }

static bool same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* parses `s` with `dec` and expects exactly `want` (bit for bit) */
static void num_is(const char *s, char dec, double want, const char *why) {
  double got = NAN;
  bool okp = parse(s, dec, &got);
  ok(okp && same_double(got, want), "'%s' (decimal '%c') = %.17g: %s%s", s, dec, want, why,
     okp ? "" : " [not parsed]");
  if (okp && !same_double(got, want)) diag("got %.17g", got);
}

/* expects the text to equal strtod of `plain` (the same number written with
 * '.' and no separators) */
static void num_is_strtod(const char *s, char dec, const char *plain) {
  double want = strtod(plain, NULL);
  num_is(s, dec, want, "as strtod");
}

static void not_num(const char *s, char dec, const char *why) {
  double got = 12345;
  bool okp = parse(s, dec, &got);
  ok(!okp, "'%s' (decimal '%c') is not a number: %s", s, dec, why);
  if (okp) diag("parsed as %.17g", got);
}

static void date_is(const char *s, int32_t want, const char *why) {
  int32_t got = -999999;
  bool okp = rs_value_parse_date(s, strlen(s), &got);
  ok(okp && got == want, "date '%s' = day %d: %s", s, (int)want, why);
  if (!okp) diag("not parsed");
  else if (got != want) diag("got %d", (int)got);
}

static void not_date(const char *s, const char *why) {
  int32_t got = 0;
  ok(!rs_value_parse_date(s, strlen(s), &got), "'%s' is not a date: %s", s, why);
}

/* ---- random decimal strings ------------------------------------------------- */

/* A random decimal: optional sign, 0-20 integer digits, optional fraction of
 * 0-20 digits, optional exponent in [-350, 350].  `fast` keeps to the fast
 * path's domain: at most 15 significant digits and |exponent| small. */
static void random_decimal(gsl_rng *rng, char *buf, bool fast) {
  char *p = buf;
  unsigned long r = gsl_rng_uniform_int(rng, 4);
  if (r == 0) *p++ = '-';
  else if (r == 1) *p++ = '+';
  int nint = (int)gsl_rng_uniform_int(rng, fast ? 8 : 21);
  int nfrac = gsl_rng_uniform_int(rng, 10) < 6 ? (int)gsl_rng_uniform_int(rng, fast ? 8 : 21) : -1;
  if (nint == 0 && nfrac <= 0) nint = 1;
  for (int i = 0; i < nint; i++) *p++ = (char)('0' + gsl_rng_uniform_int(rng, 10));
  if (nfrac >= 0) {
    *p++ = '.';
    for (int i = 0; i < nfrac; i++) *p++ = (char)('0' + gsl_rng_uniform_int(rng, 10));
  }
  if (gsl_rng_uniform_int(rng, 10) < 4) {
    *p++ = gsl_rng_uniform_int(rng, 2) ? 'e' : 'E';
    int e = fast ? (int)gsl_rng_uniform_int(rng, 15) - 7 : (int)gsl_rng_uniform_int(rng, 701) - 350;
    if (e < 0) *p++ = '-';
    else if (gsl_rng_uniform_int(rng, 2)) *p++ = '+';
    p += sprintf(p, "%d", abs(e));
  }
  *p = '\0';
}

/* Compares rs_value_parse_number with strtod on `n` random strings;
 * `comma` writes the decimal mark as ',' (and parses with ','). */
static void random_vs_strtod(gsl_rng *rng, int n, bool fast, bool comma, const char *what) {
  int bad = 0, overflow = 0;
  char buf[128], alt[128];
  for (int k = 0; k < n; k++) {
    random_decimal(rng, buf, fast);
    double want = strtod(buf, NULL);  /* C locale: '.' */
    strcpy(alt, buf);
    if (comma) {
      char *d = strchr(alt, '.');
      if (d) *d = ',';
    }
    double got = NAN;
    bool okp = parse(alt, comma ? ',' : '.', &got);
    bool good;
    if (!isfinite(want)) {
      /* documented: a value that overflows a double is not a number */
      good = !okp;
      overflow++;
    } else {
      good = okp && same_double(got, want);
    }
    if (!good) {
      if (bad < 5) diag("'%s': got %s%.17g, strtod %.17g", alt, okp ? "" : "(not parsed) ", got, want);
      bad++;
    }
  }
  ok(bad == 0, "%s: %d random strings equal strtod bit for bit (%d mismatches; %d overflow to inf and are refused)",
     what, n, bad, overflow);
}

/* Writes the integer part of a plain decimal with group separator `sep`
 * every three digits from the right, and the decimal mark `dec`. */
static void group_digits(const char *plain, const char *sep, char dec, char *out) {
  const char *dot = strchr(plain, '.');
  size_t nint = dot ? (size_t)(dot - plain) : strlen(plain);
  char *p = out;
  for (size_t i = 0; i < nint; i++) {
    if (i > 0 && (nint - i) % 3 == 0) p += sprintf(p, "%s", sep);
    *p++ = plain[i];
  }
  if (dot) {
    *p++ = dec;
    strcpy(p, dot + 1);
  } else {
    *p = '\0';
  }
}

static void random_grouped(gsl_rng *rng, int n) {
  static const char *const seps[] = {" ", "\xC2\xA0", "\xE2\x80\xAF"};  /* space, U+00A0, U+202F */
  int bad = 0;
  char plain[64], grouped[160];
  for (int k = 0; k < n; k++) {
    char *p = plain;
    int nint = 1 + (int)gsl_rng_uniform_int(rng, 12);
    *p++ = (char)('1' + gsl_rng_uniform_int(rng, 9));
    for (int i = 1; i < nint; i++) *p++ = (char)('0' + gsl_rng_uniform_int(rng, 10));
    if (gsl_rng_uniform_int(rng, 2)) {
      *p++ = '.';
      int nfrac = 1 + (int)gsl_rng_uniform_int(rng, 6);
      for (int i = 0; i < nfrac; i++) *p++ = (char)('0' + gsl_rng_uniform_int(rng, 10));
    }
    *p = '\0';
    const char *sep = seps[gsl_rng_uniform_int(rng, 3)];
    group_digits(plain, sep, ',', grouped);
    double want = strtod(plain, NULL), got = NAN;
    bool okp = parse(grouped, ',', &got);
    if (!okp || !same_double(got, want)) {
      if (bad < 5) diag("'%s': got %s%.17g, strtod('%s') %.17g", grouped, okp ? "" : "(not parsed) ", got, plain, want);
      bad++;
    }
  }
  ok(bad == 0, "%d random grouped numbers ('12 345 678,25' with space, U+00A0, U+202F) equal strtod (%d mismatches)",
     n, bad);
}

/* format_double must read back as the same double */
static void random_format_roundtrip(gsl_rng *rng, int n) {
  int bad = 0;
  char buf[32];
  for (int k = 0; k < n; k++) {
    uint64_t bits = ((uint64_t)gsl_rng_get(rng) << 32) ^ (uint64_t)gsl_rng_get(rng);
    double x;
    memcpy(&x, &bits, sizeof x);
    if (!isfinite(x)) continue;
    rs_value_format_double(x, buf);
    double back = strtod(buf, NULL);
    if (!same_double(back, x)) {
      if (bad < 5) diag("%.17g formatted as '%s' reads back as %.17g", x, buf, back);
      bad++;
    }
  }
  ok(bad == 0, "rs_value_format_double: %d random bit patterns read back identically (%d differ)", n, bad);
}

/* ---- rs_value_format_double against its printf definition ------------- */

static int fmt_bad;   /* mismatches in the current group */
static long fmt_n;    /* values compared in the current group */

/* x and -x, and their neighbours one and two ulps away, must format as the
 * reference does, byte for byte. */
static void fmt_check1(double x) {
  char fast[32], ref[32];
  size_t n = rs_value_format_double(x, fast);
  rs_value_format_double_reference(x, ref);
  fmt_n++;
  if (strcmp(fast, ref) != 0 || n != strlen(fast)) {
    if (fmt_bad < 5 && n != strlen(fast)) diag("%a: returned length %zu for '%s'", x, n, fast);
    if (fmt_bad < 5) diag("%a (%.17g): fast '%s', reference '%s'", x, x, fast, ref);
    fmt_bad++;
  }
}

static void fmt_check(double x) {
  fmt_check1(x);
  fmt_check1(-x);
  double up = x, down = x;
  for (int i = 0; i < 2; i++) {
    up = nextafter(up, INFINITY);
    down = nextafter(down, -INFINITY);
    fmt_check1(up);
    fmt_check1(down);
  }
}

static void fmt_group_start(void) { fmt_bad = 0; fmt_n = 0; }
static void fmt_group_end(const char *what) {
  ok(fmt_bad == 0, "format_double = reference on %ld %s (%d differ)", fmt_n, what, fmt_bad);
}

static double fmt_uniform(gsl_rng *rng, double lo, double hi) { return lo + (hi - lo) * gsl_rng_uniform(rng); }

static double fmt_bits(gsl_rng *rng) {
  uint64_t bits = ((uint64_t)gsl_rng_get(rng) << 32) ^ (uint64_t)gsl_rng_get(rng);
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

/* A decimal of 1..17 random significant digits times 10^e, read by strtod:
 * the values people type and the ties (…5 in the 16th digit) between them. */
static double fmt_decimal(gsl_rng *rng, int ndig, int e, bool last5) {
  char s[64], *p = s;
  *p++ = (char)('1' + gsl_rng_uniform_int(rng, 9));
  for (int i = 1; i < ndig; i++) *p++ = (char)('0' + gsl_rng_uniform_int(rng, 10));
  if (last5 && ndig > 1) p[-1] = '5';
  sprintf(p, "e%d", e - (ndig - 1));
  return strtod(s, NULL);
}

static void fmt_vs_reference(gsl_rng *rng) {
  fmt_group_start();
  static const double named[] = {
    0.0, 1.0, 0.5, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, 3.6666666666666665, 2.6666666666666665,
    4.333333333333333, 1414.5, 1e15, 1e15 - 1, 1e15 + 1, 1e15 - 0.5, 1e15 - 0.25, 999999999999999.9,
    99999999999999.99, 9999999999999.999, 1e16, 1e17, 1e18, 1e-4, 1e-5, 1e-6, 1e-7, 9.9999999999999995e-5,
    9.99999999999999e-5, 0.000099999999999999991, 0.00001, 123456789012345.6, 12345678901234567.0, 1e14 + 0.5,
    1e14 + 0.25, 0.5e-4, 9.5, 0.95, 0.995, 9.9999999999999995, 9.999999999999999, 99.999999999999999,
    DBL_MAX, DBL_MIN, DBL_EPSILON, 4503599627370496.5, 9007199254740993.0, 1e22, 1e23, 1e300, 1e-300,
    INFINITY, NAN};
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) fmt_check(named[i]);
  fmt_check(ldexp(1.0, -1074));
  fmt_check(ldexp(1.0, -1022) - ldexp(1.0, -1074));
  fmt_check(-NAN);
  for (int e = -30; e <= 30; e++) {   /* powers of ten and the numbers beside them */
    double p = pow(10.0, e);
    fmt_check(p);
    fmt_check(p * 0.5);
    fmt_check(p * 9.99999999999999);
    fmt_check(p * 9.999999999999999);
    fmt_check(p * 9.9999999999999999);
  }
  fmt_group_end("named values (0, 0.1 + 0.2, 1e15 and its neighbours, DBL_MAX, denormals, inf, nan), each with -x and 2 ulps either side");

  fmt_group_start();
  for (int k = 0; k < 40000; k++) fmt_check1(fmt_bits(rng));
  fmt_group_end("random bit patterns (every magnitude, denormals, inf, nan)");

  fmt_group_start();
  for (int k = 0; k < 20000; k++) fmt_check(fmt_uniform(rng, 1.0, 10.0) * pow(10.0, (int)gsl_rng_uniform_int(rng, 32) - 10));
  fmt_group_end("random doubles 1e-10 .. 1e22, uniform within each decade");

  fmt_group_start();
  for (int d = 1; d <= 13; d++)
    for (int k = -3000; k <= 3000; k++) fmt_check1((double)k / d);
  for (int k = 0; k < 20000; k++) {
    int d = 3 + 4 * (int)gsl_rng_uniform_int(rng, 2);   /* 3 or 7 */
    fmt_check((double)(int64_t)gsl_rng_get(rng) / d * pow(10.0, (int)gsl_rng_uniform_int(rng, 20) - 10));
  }
  fmt_group_end("k/d for d = 1..13, and random k/3, k/7 times 10^-10 .. 10^9");

  fmt_group_start();
  /* index scores: the mean of 2..10 items scored 1..5 or 0..10 */
  for (int k = 0; k < 40000; k++) {
    int n = 2 + (int)gsl_rng_uniform_int(rng, 9), top = gsl_rng_uniform_int(rng, 2) ? 5 : 10;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)gsl_rng_uniform_int(rng, (unsigned long)top + 1);
    fmt_check1(sum / n);
    fmt_check1((sum / n - 1.0) / (top - 1) * 100.0);
  }
  fmt_group_end("means of small integers (index scores like 3.6666666666666665) and their 0-100 rescaling");

  fmt_group_start();
  for (int k = 0; k < 30000; k++) {
    double i = (double)(gsl_rng_get(rng) % 1000000);
    fmt_check1(i);
    fmt_check1(i + 0.5);
    fmt_check1(i * 0.25);
    fmt_check1(ldexp((double)(int64_t)(gsl_rng_get(rng) & 0xfffff), -(int)gsl_rng_uniform_int(rng, 30)));
    double big = floor(fmt_uniform(rng, 0, 9007199254740992.0) / pow(10.0, (int)gsl_rng_uniform_int(rng, 16)));
    fmt_check(big);
    fmt_check1(big + 0.5);
  }
  fmt_group_end("integers up to 2^53, halves, quarters and dyadic fractions");

  fmt_group_start();
  for (int k = 0; k < 40000; k++) {
    int ndig = 1 + (int)gsl_rng_uniform_int(rng, 17);
    fmt_check(fmt_decimal(rng, ndig, (int)gsl_rng_uniform_int(rng, 26) - 7, false));
  }
  for (int k = 0; k < 20000; k++) {   /* near-ties of %.15g and %.17g: a 5 in the 16th or 18th digit */
    int e = (int)gsl_rng_uniform_int(rng, 24) - 6;
    fmt_check(fmt_decimal(rng, 16, e, true));
    fmt_check(fmt_decimal(rng, 18, e, true));
  }
  for (int i = 0; i < 20000; i++) {
    fmt_check1(i * 0.1);
    fmt_check1(i * 0.01);
    fmt_check1(i / 10.0);
    fmt_check1(i / 100.0 + 0.1);
  }
  fmt_group_end("decimals of 1..17 digits (0.1-style), near-ties (16 and 18 digits ending in 5), i * 0.1, i / 100 + 0.1");
}

int main(void) {
  /* ---- ordinary numbers, fast path ---- */
  num_is("0", '.', 0.0, "zero");
  num_is("-0", '.', -0.0, "negative zero keeps its sign, as strtod");
  num_is("42", '.', 42.0, "integer");
  num_is("3.25", '.', 3.25, "decimal point");
  num_is("3,25", ',', 3.25, "decimal comma");
  num_is("-3,25", ',', -3.25, "negative, decimal comma");
  num_is("+7", '.', 7.0, "plus sign");
  num_is("\xE2\x88\x92" "5", '.', -5.0, "U+2212 minus sign");
  num_is("  12.5\t", '.', 12.5, "surrounding spaces and tabs are trimmed");
  num_is(".5", '.', 0.5, "no integer digits");
  num_is("5.", '.', 5.0, "no fraction digits");
  num_is("007", '.', 7.0, "leading zeros");
  num_is("0.000123", '.', 0.000123, "leading zeros in the fraction");
  num_is_strtod("0.1", '.', "0.1");
  num_is_strtod("123456789012345", '.', "123456789012345");     /* 15 digits: fast path */
  num_is_strtod("1.5e22", '.', "1.5e22");                       /* power 10^21: fast */
  num_is_strtod("1e22", '.', "1e22");
  num_is_strtod("1e-22", '.', "1e-22");
  num_is_strtod("2,5E-3", ',', "2.5E-3");
  num_is_strtod("-4.5e+2", '.', "-4.5e+2");
  num_is_strtod("0e500", '.', "0e500");

  /* ---- slow path: beyond 15 digits or 10^±22 ---- */
  num_is_strtod("1e23", '.', "1e23");  /* not 1e22 * 10 */
  num_is_strtod("1234567890123456", '.', "1234567890123456");   /* 16 digits */
  num_is_strtod("0.30000000000000004", '.', "0.30000000000000004");  /* 17 digits: 0.1 + 0.2 */
  num_is("0.30000000000000004", '.', 0.1 + 0.2, "17 digits: 0.1 + 0.2");
  num_is("12345678901234567", '.', 12345678901234568.0, "17-digit integer rounds to the nearest double");
  num_is("9007199254740993", '.', 9007199254740992.0, "2^53 + 1 rounds to even (2^53)");
  num_is("9007199254740993.00000000000000000001", '.', 9007199254740994.0,
         "2^53 + 1 + tiny: digits past the 19th still decide the rounding");
  num_is_strtod("123456789012345678901234567890", '.', "123456789012345678901234567890");
  num_is_strtod("3,14159265358979323846", ',', "3.14159265358979323846");
  num_is("1.7976931348623157e308", '.', DBL_MAX, "DBL_MAX");
  num_is("2.2250738585072014e-308", '.', DBL_MIN, "DBL_MIN, the smallest normal");
  num_is_strtod("2.2250738585072011e-308", '.', "2.2250738585072011e-308");  /* just below DBL_MIN: denormal */
  num_is("4.9406564584124654e-324", '.', ldexp(1.0, -1074), "the smallest denormal 2^-1074");
  num_is("2.4703282292062328e-324", '.', ldexp(1.0, -1074), "just over half of 2^-1074 rounds up");
  num_is("2.4703282292062327e-324", '.', 0.0, "just under half of 2^-1074 rounds to 0");
  num_is("1e-400", '.', 0.0, "underflow gives 0, as strtod");
  not_num("1.7976931348623159e308", '.', "overflows a double (strtod gives inf)");
  not_num("1e400", '.', "overflow");
  not_num("-1e99999", '.', "overflow with a long exponent");

  /* ---- group separators ---- */
  num_is("1 414,5", ',', 1414.5, "SSB style: space-grouped thousands, decimal comma");
  num_is("1\xC2\xA0" "414,5", ',', 1414.5, "U+00A0 no-break space as group separator");
  num_is("1\xE2\x80\xAF" "414,5", ',', 1414.5, "U+202F narrow no-break space as group separator");
  num_is("12 345 678", ',', 12345678.0, "several groups");
  num_is("-1 414", '.', -1414.0, "negative, grouped");
  num_is("1 414.25", '.', 1414.25, "grouped with decimal point");
  not_num("1 41", ',', "a group of two digits");
  not_num("1 4145", ',', "a group of four digits");
  not_num("1234 567", ',', "four digits before the first separator");
  not_num("1  414", ',', "two separators in a row");
  not_num("1 ,5", ',', "a separator must be followed by digits");
  not_num("1 414 ,5", ',', "separator before the decimal mark");
  not_num("1.414,5", ',', "a point as group separator is not accepted");
  not_num("1,414.5", '.', "a comma as group separator is not accepted");

  /* ---- not numbers ---- */
  not_num("", '.', "empty");
  not_num("   ", '.', "only spaces");
  not_num("-", '.', "a sign alone");
  not_num("+", '.', "a sign alone");
  not_num(".", '.', "a decimal mark alone");
  not_num("e5", '.', "an exponent alone");
  not_num("1e", '.', "exponent without digits");
  not_num("1e+", '.', "exponent sign without digits");
  not_num("abc", '.', "letters");
  not_num("12a", '.', "trailing letter");
  not_num("0x10", '.', "hexadecimal (strtod would accept it)");
  not_num("inf", '.', "inf (strtod would accept it)");
  not_num("nan", '.', "nan (strtod would accept it)");
  not_num("1..2", '.', "two decimal marks");
  not_num("1.2.3", '.', "three groups with points");
  not_num("--1", '.', "two signs");
  not_num("1-", '.', "sign after the digits");
  not_num("3.5", ',', "a point in a decimal-comma parse");
  not_num("3,5", '.', "a comma in a decimal-point parse");

  ok(rs_value_looks_like_other_decimal("3.5", 3, ','), "'3.5' looks like the other decimal mark in a comma file");
  ok(rs_value_looks_like_other_decimal("3,5", 3, '.'), "'3,5' looks like the other decimal mark in a point file");
  ok(!rs_value_looks_like_other_decimal("3,5", 3, ','), "'3,5' in a comma file is not the other mark");
  ok(!rs_value_looks_like_other_decimal("abc", 3, ','), "'abc' is no number with either mark");

  ok(rs_value_has_leading_zero("0301", 4), "'0301' has a leading zero (a code)");
  ok(rs_value_has_leading_zero(" 007 ", 5), "' 007 ' has a leading zero");
  ok(!rs_value_has_leading_zero("0", 1), "'0' alone is a number");
  ok(!rs_value_has_leading_zero("0.5", 3), "'0.5' is a number");
  ok(!rs_value_has_leading_zero("301", 3), "'301' has no leading zero");

  /* ---- random comparisons with strtod ---- */
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 20220801);
  diag("random strings from gsl_rng_mt19937, seed 20220801");
  random_vs_strtod(rng, 5000, true, false, "fast-path domain, decimal point");
  random_vs_strtod(rng, 5000, true, true, "fast-path domain, decimal comma");
  random_vs_strtod(rng, 5000, false, false, "up to 40 digits, exponents -350..350, decimal point");
  random_vs_strtod(rng, 5000, false, true, "up to 40 digits, exponents -350..350, decimal comma");
  random_grouped(rng, 3000);
  random_format_roundtrip(rng, 20000);
  fmt_vs_reference(rng);

  /* ---- SSB symbols and the provisional suffix ---- */
  uint8_t fl = 0;
  ok(rs_value_ssb_symbol(".", 1, &fl) == RS_MISS_NA && fl == 0, "'.' cannot occur");
  ok(rs_value_ssb_symbol("..", 2, &fl) == RS_MISS_UNAVAILABLE, "'..' data missing");
  ok(rs_value_ssb_symbol("...", 3, &fl) == RS_MISS_NOT_YET, "'...' not yet available");
  ok(rs_value_ssb_symbol(":", 1, &fl) == RS_MISS_SUPPRESSED, "':' suppressed");
  ok(rs_value_ssb_symbol(" .. ", 4, &fl) == RS_MISS_UNAVAILABLE, "' .. ' with spaces");
  fl = 0;
  ok(rs_value_ssb_symbol("-", 1, &fl) == RS_MISS_NONE && (fl & RS_FLAG_ZERO_BY_DEF),
     "'-' is a present zero, flagged zero by definition");
  fl = 0;
  ok(rs_value_ssb_symbol("....", 4, &fl) == -1 && fl == 0, "'....' is no symbol");
  ok(rs_value_ssb_symbol("x", 1, &fl) == -1, "'x' is no symbol");
  ok(rs_value_ssb_symbol("--", 2, &fl) == -1, "'--' is no symbol");

  fl = 0;
  ok(rs_value_strip_provisional("123*", 4, &fl) == 3 && (fl & RS_FLAG_PROVISIONAL), "'123*' -> '123', provisional");
  fl = 0;
  ok(rs_value_strip_provisional("1 414,5*", 8, &fl) == 7 && (fl & RS_FLAG_PROVISIONAL), "'1 414,5*' -> provisional");
  fl = 0;
  ok(rs_value_strip_provisional("123* ", 5, &fl) == 3 && (fl & RS_FLAG_PROVISIONAL), "'123* ' (trailing space)");
  fl = 0;
  ok(rs_value_strip_provisional("*", 1, &fl) == 1 && fl == 0, "'*' alone is not provisional");
  ok(rs_value_strip_provisional("abc*", 4, &fl) == 4 && fl == 0, "'abc*' is not a provisional number");
  ok(rs_value_strip_provisional("12**", 4, &fl) == 4 && fl == 0, "'12**' is not a provisional number");
  ok(rs_value_strip_provisional("123", 3, &fl) == 3 && fl == 0, "'123' unchanged");

  /* ---- dates (days from Python's datetime, see the top) ---- */
  date_is("1970-01-01", 0, "the epoch");
  date_is("2022-08-01", 19205, "the reform date, ISO");
  date_is("01.08.2022", 19205, "Norwegian dd.mm.yyyy");
  date_is("1.8.2022", 19205, "one-digit day and month");
  date_is("2024-02-29", 19782, "leap day 2024");
  date_is("29.02.2024", 19782, "leap day 2024, Norwegian");
  date_is("29.02.2000", 11016, "2000 is a leap year (divisible by 400)");
  date_is("2023-02-28", 19416, "last day of February 2023");
  date_is("2023-03-01", 19417, "the day after");
  date_is("1969-12-31", -1, "before the epoch");
  date_is("1900-03-01", -25508, "1900 (no leap day)");
  date_is("2022-08-01T10:15", 19205, "time after T ignored");
  date_is("2022-08-01 10:15:00", 19205, "time after a space ignored");
  date_is("2022-08-01T10:15:00.123+02:00", 19205, "time with fraction and offset ignored");
  date_is("01.08.2022 10:15", 19205, "Norwegian date with time");
  date_is(" 2022-08-01 ", 19205, "surrounding spaces");
  not_date("29.02.2023", "2023 is not a leap year");
  not_date("2023-02-29", "2023 is not a leap year");
  not_date("29.02.1900", "1900 is not a leap year");
  not_date("2022-13-01", "month 13");
  not_date("2022-00-10", "month 0");
  not_date("32.01.2022", "day 32");
  not_date("00.01.2022", "day 0");
  not_date("31.04.2022", "30 days in April");
  not_date("01.08.22", "two-digit year");
  not_date("2022/08/01", "slashes");
  not_date("2022-8-1", "ISO needs two-digit month and day");
  not_date("2022-08-01X", "trailing text");
  not_date("2022-08-01T", "a T without a time");
  not_date("0000-01-01", "year 0");
  not_date("", "empty");
  not_date("abc", "letters");

  char buf[32];
  rs_value_format_date(19205, buf);
  ok(strcmp(buf, "2022-08-01") == 0, "day 19205 formats as 2022-08-01 (got %s)", buf);
  rs_value_format_date(-1, buf);
  ok(strcmp(buf, "1969-12-31") == 0, "day -1 formats as 1969-12-31 (got %s)", buf);
  rs_value_format_date(-719162, buf);
  ok(strcmp(buf, "0001-01-01") == 0, "day -719162 formats as 0001-01-01 (got %s)", buf);
  rs_value_format_date(2932896, buf);
  ok(strcmp(buf, "9999-12-31") == 0, "day 2932896 formats as 9999-12-31 (got %s)", buf);
  rs_value_format_date(19782, buf);
  ok(strcmp(buf, "2024-02-29") == 0, "day 19782 formats as 2024-02-29 (got %s)", buf);
  {
    int bad = 0;
    /* -719162 is 0001-01-01 and 2932896 is 9999-12-31 (Python's datetime), the
     * range parse_date accepts (four-digit years from 1) */
    for (int32_t d = -719162; d <= 2932896; d += 997) {
      int32_t back = 0;
      rs_value_format_date(d, buf);
      if (!rs_value_parse_date(buf, strlen(buf), &back) || back != d) {
        if (bad < 3) diag("day %d -> '%s' -> %d", (int)d, buf, (int)back);
        bad++;
      }
    }
    ok(bad == 0, "format_date then parse_date gives the same day from year 0001 to 9999 (%d differ)", bad);
  }
  {
    /* the fast calendar against GDate: every day 1800..2200, every 7th
     * from year 0001 to 9999 and a year beyond (left to GDate; before year
     * 0001 GDate itself fails) */
    int bad = 0, n = 0;
    char ref[16];
    for (int32_t d = -719162; d <= 2932896 + 400; d += (d > -62091 && d < 84006) ? 1 : 7) {
      rs_value_format_date(d, buf);
      rs_value_format_date_reference(d, ref);
      n++;
      if (strcmp(buf, ref) != 0) {
        if (bad < 3) diag("day %d: '%s', GDate '%s'", (int)d, buf, ref);
        bad++;
      }
    }
    ok(bad == 0, "format_date = its GDate reference on %d days (%d differ)", n, bad);
  }
  {
    /* parse_date against GDate (g_date_valid_dmy, g_date_days_between):
     * every day and month 0..13 / 0..32 of years around the leap rules,
     * ISO and Norwegian */
    static const int years[] = {1, 2, 3, 4, 99, 100, 101, 104, 399, 400, 401, 1582, 1600, 1700, 1899, 1900,
                                1969, 1970, 1971, 1999, 2000, 2001, 2023, 2024, 2100, 2400, 9996, 9999};
    int bad = 0, n = 0;
    GDate epoch;
    g_date_clear(&epoch, 1);
    g_date_set_dmy(&epoch, 1, G_DATE_JANUARY, 1970);
    for (size_t yi = 0; yi < sizeof years / sizeof years[0]; yi++)
      for (int m = 0; m <= 13; m++)
        for (int d = 0; d <= 32; d++)
          for (int style = 0; style < 2; style++) {
            int y = years[yi];
            char s[32];
            if (style) snprintf(s, sizeof s, "%02d.%02d.%04d", d, m, y);
            else snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
            bool valid = m >= 1 && m <= 12 && d >= 1 && g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
            int32_t want = 0, got = 0;
            if (valid) {
              GDate date;
              g_date_clear(&date, 1);
              g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
              want = (int32_t)g_date_days_between(&epoch, &date);
            }
            bool okp = rs_value_parse_date(s, strlen(s), &got);
            n++;
            if (okp != valid || (valid && got != want)) {
              if (bad < 3) diag("'%s': %s %d, GDate %s %d", s, okp ? "day" : "rejected", (int)got,
                                valid ? "day" : "invalid", (int)want);
              bad++;
            }
          }
    ok(bad == 0, "parse_date agrees with GDate on %d dates, valid or not, of %zu years (%d differ)", n,
       sizeof years / sizeof years[0], bad);
  }
  {
    int bad = 0, n = 0;
    for (int32_t d = -719162; d <= 2932896; d += (d > -62091 && d < 84006) ? 1 : 7) {
      int32_t back = 0;
      rs_value_format_date(d, buf);
      n++;
      if (!rs_value_parse_date(buf, strlen(buf), &back) || back != d) {
        if (bad < 3) diag("day %d -> '%s' -> %d", (int)d, buf, (int)back);
        bad++;
      }
    }
    ok(bad == 0, "parse_date(format_date(d)) = d on %d days (every day 1800..2200, every 7th 0001..9999; %d differ)",
       n, bad);
  }

  /* ---- format_double ---- */
  rs_value_format_double(0.1, buf);
  ok(strcmp(buf, "0.1") == 0, "0.1 formats as '0.1' (%%.15g suffices; got %s)", buf);
  rs_value_format_double(0.1 + 0.2, buf);
  ok(strcmp(buf, "0.30000000000000004") == 0, "0.1 + 0.2 needs 17 digits (got %s)", buf);
  rs_value_format_double(1.0 / 3.0, buf);
  ok(strtod(buf, NULL) == 1.0 / 3.0, "1/3 round-trips (got %s)", buf);
  rs_value_format_double(1414.5, buf);
  ok(strcmp(buf, "1414.5") == 0, "1414.5 (got %s)", buf);
  rs_value_format_double(DBL_MAX, buf);
  ok(strtod(buf, NULL) == DBL_MAX, "DBL_MAX round-trips (got %s)", buf);
  rs_value_format_double(ldexp(1.0, -1074), buf);
  ok(strtod(buf, NULL) == ldexp(1.0, -1074), "the smallest denormal round-trips (got %s)", buf);

  /* ---- missing-reason names ---- */
  ok(strcmp(rs_miss_name(RS_MISS_SUPPRESSED), "ssb_suppressed") == 0, "rs_miss_name(SUPPRESSED)");
  ok(strcmp(rs_miss_name(RS_MISS_N_REASONS), "?") == 0, "rs_miss_name out of range is '?'");

  gsl_rng_free(rng);
  return done();
}
