/* gen-ingest.c — deterministic survey/registry-shaped numeric CSV for
 * bench/ingest.sh.  Not part of libreformstat; compiled on the fly by the
 * bench script into a temporary directory (plain C11 + libc, no libm, so
 * the output is byte-identical on every platform).
 *
 *   gen-ingest ROWS comma     > file.csv   (',' delimiter, '.' decimal)
 *   gen-ingest ROWS semicolon > file.csv   (';' delimiter, ',' decimal)
 *
 * Both variants hold the same numbers.  25 columns: Likert items 1–5, a
 * child age 0–17, counts, a wave year, and decimals with 1–4 decimals
 * (survey weight 0.8734, hours 12.5, …).  About 3 % of the cells of most
 * columns are empty (missing); the wave year is never missing.
 * Random numbers: splitmix64 with a fixed seed (GSL is not needed here).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED 20220801u /* the reform date */

static uint64_t state = SEED;

static uint64_t next_u64(void) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* uniform integer in [0, n) (n small; the modulo bias is irrelevant here) */
static uint32_t unif(uint32_t n) { return (uint32_t)((next_u64() >> 11) % n); }

/* approximately normal: Irwin–Hall sum of 4 uniforms, scaled to sd 1 */
static double normalish(void) {
  double s = 0;
  for (int i = 0; i < 4; i++) s += (double)(next_u64() >> 11) * 0x1.0p-53;
  return (s - 2.0) * 1.7320508075688772; /* sd of the sum is sqrt(4/12) */
}

static int missing(uint32_t per_thousand) { return unif(1000) < per_thousand; }

/* Likert with a skewed profile, like most satisfaction items */
static long likert(int shape) {
  static const uint32_t cum[3][5] = {
      {80, 230, 480, 800, 1000},  /* leaning positive */
      {150, 350, 650, 880, 1000}, /* centred */
      {300, 550, 760, 910, 1000}, /* leaning negative (burden items) */
  };
  uint32_t u = unif(1000);
  for (int k = 0; k < 5; k++)
    if (u < cum[shape][k]) return k + 1;
  return 5;
}

static long clampl(long v, long lo, long hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Poisson-like count via a geometric mixture (cheap and skewed) */
static long count(uint32_t mean_x10, long max) {
  long k = 0;
  uint32_t p = 1000 * 10 / (mean_x10 + 10); /* success prob ~ 1/(1+mean) */
  while (unif(1000) >= p && k < max) k++;
  return k;
}

/* ---- output -------------------------------------------------------- */

static char *buf, *bp;
static size_t bufsize = 1 << 20;
static char sep = ',', dec = '.';

static void flush_if_needed(void) {
  if ((size_t)(bp - buf) > bufsize - 512) {
    fwrite(buf, 1, (size_t)(bp - buf), stdout);
    bp = buf;
  }
}

static void put_uint(unsigned long v) {
  char tmp[24];
  int n = 0;
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) *bp++ = tmp[--n];
}

/* a scaled integer v with `ndec` decimals: put_fixed(125, 1) -> "12.5" */
static void put_fixed(long v, int ndec) {
  if (v < 0) { *bp++ = '-'; v = -v; }
  long p = 1;
  for (int i = 0; i < ndec; i++) p *= 10;
  put_uint((unsigned long)(v / p));
  if (ndec > 0) {
    *bp++ = dec;
    long f = v % p;
    for (long q = p / 10; q > 0; q /= 10) { *bp++ = (char)('0' + f / q); f %= q; }
  }
}

/* field helpers: every field but the first is preceded by the separator */
static int col;
static void start_field(void) { if (col++) *bp++ = sep; }
static void f_int(long v, uint32_t miss) { start_field(); if (!missing(miss)) put_uint((unsigned long)v); }
static void f_fix(long v, int nd, uint32_t miss) { start_field(); if (!missing(miss)) put_fixed(v, nd); }

static const char *const names[25] = {
    "q_collab", "child_age", "weight", "q_info", "q_listened", "q_burden",
    "q_clarity", "q_support", "q_competence", "q_overall", "q_contact",
    "q_trust", "n_services", "hours_week", "position_pct", "families",
    "earmarked_h", "training_days", "km_to_office", "index_score", "wave",
    "days_to_reply", "ip_share", "children_services", "fte"};

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[2], "comma") && strcmp(argv[2], "semicolon"))) {
    fprintf(stderr, "usage: %s ROWS comma|semicolon > file.csv\n", argv[0]);
    return 1;
  }
  long rows = strtol(argv[1], NULL, 10);
  if (rows <= 0) { fprintf(stderr, "ROWS must be positive\n"); return 1; }
  if (!strcmp(argv[2], "semicolon")) { sep = ';'; dec = ','; }
  buf = malloc(bufsize);
  if (!buf) return 2;
  bp = buf;

  for (int j = 0; j < 25; j++) {
    if (j) *bp++ = sep;
    size_t n = strlen(names[j]);
    memcpy(bp, names[j], n);
    bp += n;
  }
  *bp++ = '\n';

  for (long i = 0; i < rows; i++) {
    col = 0;
    /* the first three columns are the ones the bench cross-checks with R:
     * an integer Likert item, an integer age, a 4-decimal weight */
    f_int(likert(0), 30);                                      /* q_collab 1–5 */
    f_int(unif(18), 20);                                       /* child_age 0–17 */
    f_fix(clampl((long)(10000 * (1.0 + 0.35 * normalish())), 2000, 29999), 4, 10); /* weight 0.2000–2.9999 */
    f_int(likert(0), 30);                                      /* q_info */
    f_int(likert(1), 30);                                      /* q_listened */
    f_int(likert(2), 40);                                      /* q_burden */
    f_int(likert(1), 30);                                      /* q_clarity */
    f_int(likert(2), 30);                                      /* q_support */
    f_int(likert(1), 30);                                      /* q_competence */
    f_int(likert(0), 30);                                      /* q_overall */
    f_int(likert(1), 50);                                      /* q_contact */
    f_int(likert(0), 30);                                      /* q_trust */
    f_int(count(35, 20), 20);                                  /* n_services */
    f_fix(clampl((long)(10 * (12.5 + 6.0 * normalish())), 0, 400), 1, 30);   /* hours_week 0.0–40.0 */
    f_int(clampl((long)(60.0 + 25.0 * normalish()), 5, 100), 30);       /* position_pct 5–100 */
    f_int(count(60, 40), 30);                                  /* families per coordinator */
    f_fix(clampl((long)(10 * (2.0 + 1.5 * normalish())), 0, 99), 1, 40);     /* earmarked_h 0.0–9.9 */
    f_int(count(15, 10), 30);                                  /* training_days */
    f_int(clampl((long)(18.0 + 12.0 * normalish()), 0, 250), 30);        /* km_to_office */
    f_fix(clampl((long)(1000 * (0.62 + 0.18 * normalish())), 0, 1000), 3, 30); /* index_score 0.000–1.000 */
    f_int(2019 + unif(7), 0);                                  /* wave 2019–2025 */
    f_int(count(140, 365), 30);                                /* days_to_reply */
    f_fix(clampl((long)(10 * (8.0 + 4.0 * normalish())), 0, 999), 1, 30);    /* ip_share % 0.0–99.9 */
    f_int((long)unif(unif(4) ? 120 : 2500), 20);                /* children_services (registry count) */
    f_fix(clampl((long)(10 * (3.0 + 2.0 * normalish())), 1, 400), 1, 30);    /* fte */
    *bp++ = '\n';
    flush_if_needed();
  }
  fwrite(buf, 1, (size_t)(bp - buf), stdout);
  if (fflush(stdout) != 0 || ferror(stdout)) { perror("gen-ingest: write"); return 2; }
  free(buf);
  return 0;
}
