/* ptrmap.h — a small direct-mapped cache from a text cell's address to a
 * number (a level or cluster index).
 *
 * The loader interns the cells of a category-like column (load.c: one copy
 * per distinct value and loader thread), so an address names its value:
 * looking the address up here first spares hashing and comparing the
 * string for each of a million rows.  A miss — a new address, or two
 * addresses sharing a slot — leaves the caller to its hash table and
 * rs_ptrmap_put.  Equal addresses always mean equal strings, so a hit is
 * never wrong; interning only makes hits likely.
 */
#ifndef RS_PTRMAP_H
#define RS_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RS_PTRMAP_BITS 10
#define RS_PTRMAP_SLOTS (1u << RS_PTRMAP_BITS)   /* kommune codes: 357 values, per loader thread */

typedef struct {
  const char *key[RS_PTRMAP_SLOTS];
  size_t val[RS_PTRMAP_SLOTS];
} rs_ptrmap;

static inline size_t rs_ptrmap_slot(const char *k) {
  /* Fibonacci hashing: interned cells lie a few bytes apart, so their
   * addresses differ in the low bits only; the product spreads them */
  uint64_t a = (uint64_t)(uintptr_t)k * 0x9E3779B97F4A7C15ULL;
  return (size_t)(a >> (64 - RS_PTRMAP_BITS));   /* the top bits */
}

/* TRUE and *v when k is cached (k may be NULL: never cached). */
static inline bool rs_ptrmap_get(const rs_ptrmap *m, const char *k, size_t *v) {
  size_t s = rs_ptrmap_slot(k);
  if (k == NULL || m->key[s] != k) return false;
  *v = m->val[s];
  return true;
}

static inline void rs_ptrmap_put(rs_ptrmap *m, const char *k, size_t v) {
  size_t s = rs_ptrmap_slot(k);
  m->key[s] = k;
  m->val[s] = v;
}

#endif
