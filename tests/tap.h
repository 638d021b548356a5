/* tap.h — a minimal TAP producer for unit tests (automake's tap-driver.sh).
 *
 * ok(cond, fmt, …) prints "ok N - …" or "not ok N - …"; close_enough() compares
 * doubles to a relative tolerance; done() prints the plan and returns the exit
 * status.  Each test file says where its expected values come from.
 */
#ifndef RS_TAP_H
#define RS_TAP_H
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n = 0, tap_failed = 0;

static inline int ok(int cond, const char *fmt, ...) {
  va_list ap;
  tap_n++;
  printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond) tap_failed++;
  fflush(stdout);
  return cond;
}

static inline void diag(const char *fmt, ...) {
  va_list ap;
  printf("# ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

static inline void skip_test(const char *why) {
  tap_n++;
  printf("ok %d # SKIP %s\n", tap_n, why);
}

/* |got - want| <= rel * max(|want|, tiny) */
static inline int close_enough(double got, double want, double rel) {
  if (isnan(want)) return isnan(got);
  double scale = fabs(want) > 1e-300 ? fabs(want) : 1.0;
  return fabs(got - want) <= rel * scale;
}

static inline int ok_close(double got, double want, double rel, const char *what) {
  int c = ok(close_enough(got, want, rel), "%s: got %.17g, want %.17g (rel %.0e)", what, got, want, rel);
  return c;
}

static inline int done(void) {
  printf("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}
#endif
