/* numsort.c — LSD radix sort of doubles (see numsort.h).
 *
 * A double's bits, with the sign bit set for positive numbers and every bit
 * flipped for negative ones, order as unsigned integers exactly as the
 * numbers do.  Those 64-bit keys are sorted 11 bits at a time (6 passes),
 * each pass stable; a pass where every key has the same digit is skipped
 * (the low mantissa bits of whole numbers, the high bits of values of one
 * sign and magnitude), so counts and Likert scores take two or three.
 */
#include "analysis/numsort.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#define DIGIT_BITS 11
#define N_DIGITS 6 /* 6 x 11 >= 64 */
#define BUCKETS (1u << DIGIT_BITS)
#define SMALL 64   /* below this, insertion sort: the histograms would cost more */

static inline uint64_t key_of(double x) {
  if (x == 0) x = 0.0;   /* -0 is +0: equal values, one key (a median of 0 and -0 prints 0, as in R) */
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
}

static inline double value_of(uint64_t k) {
  uint64_t b = (k >> 63) ? k & ~(UINT64_C(1) << 63) : ~k;
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

static inline unsigned digit(uint64_t key, unsigned d) { return (unsigned)(key >> (d * DIGIT_BITS)) & (BUCKETS - 1); }

typedef struct {
  uint64_t key;
  size_t at;
} keyed;

/* Stable sort of a[0..n) by key; tmp has room for n. */
static void radix_keyed(keyed *a, keyed *tmp, size_t n) {
  size_t(*count)[BUCKETS] = g_malloc0(sizeof(size_t[N_DIGITS][BUCKETS]));
  /* every digit's histogram in one pass: a permutation does not change them */
  for (size_t i = 0; i < n; i++)
    for (unsigned d = 0; d < N_DIGITS; d++) count[d][digit(a[i].key, d)]++;
  keyed *src = a, *dst = tmp;
  for (unsigned d = 0; d < N_DIGITS; d++) {
    size_t *c = count[d];
    if (c[digit(src[0].key, d)] == n) continue; /* one bucket: the pass would only copy */
    size_t sum = 0;
    for (unsigned b = 0; b < BUCKETS; b++) {
      size_t t = c[b];
      c[b] = sum;
      sum += t;
    }
    for (size_t i = 0; i < n; i++) dst[c[digit(src[i].key, d)]++] = src[i];
    keyed *s = src;
    src = dst;
    dst = s;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
  g_free(count);
}

static void insertion_keyed(keyed *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    keyed v = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1].key > v.key; j--) a[j] = a[j - 1];
    a[j] = v;
  }
}

/* The keys of x with their indexes, sorted stably. */
static keyed *sorted_keys(const double *x, size_t n) {
  keyed *a = g_new(keyed, n ? n : 1);
  for (size_t i = 0; i < n; i++) a[i] = (keyed){key_of(x[i]), i};
  if (n < SMALL) {
    insertion_keyed(a, n);
  } else {
    keyed *tmp = g_new(keyed, n);
    radix_keyed(a, tmp, n);
    g_free(tmp);
  }
  return a;
}

void rs_numsort_sort(double *x, size_t n) {
  keyed *a = sorted_keys(x, n);
  for (size_t i = 0; i < n; i++) x[i] = value_of(a[i].key);
  g_free(a);
}

void rs_numsort_order(const double *x, size_t n, size_t *order) {
  keyed *a = sorted_keys(x, n);
  for (size_t i = 0; i < n; i++) order[i] = a[i].at;
  g_free(a);
}
