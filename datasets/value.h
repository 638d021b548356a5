/* value.h — turning one cell's text into a typed value.
 *
 * Locale-independent: the decimal mark is an argument ('.' or ','), never
 * the process locale.  Ordinary decimals (up to 15 significant digits and a
 * power of ten within ±22) take an exact fast path (Clinger's: the mantissa
 * and the power of ten are both exact doubles, so one multiply or divide is
 * correctly rounded); everything else goes to g_ascii_strtod.
 */
#ifndef RS_VALUE_H
#define RS_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* Why a value is missing.  Kept apart because a reader of a county report
 * must not take "suppressed" for "zero" (DESIGN.md, "The data"). */
typedef enum {
  RS_MISS_NONE = 0,      /* a value is present */
  RS_MISS_EMPTY,         /* empty cell */
  RS_MISS_CODE,          /* a missing code declared in the codebook (8, 9, -1 …) */
  RS_MISS_NA,            /* SSB '.'   : cannot occur / not applicable */
  RS_MISS_UNAVAILABLE,   /* SSB '..'  : data missing */
  RS_MISS_NOT_YET,       /* SSB '...' : not yet available */
  RS_MISS_SUPPRESSED,    /* SSB ':'   : suppressed for confidentiality */
  RS_MISS_N_REASONS
} rs_miss;

/* Flags kept beside a present value (high bits of the same byte). */
enum {
  RS_FLAG_PROVISIONAL = 0x10,  /* SSB '*' suffix: number kept, flagged */
  RS_FLAG_ZERO_BY_DEF = 0x20,  /* SSB '-': zero by definition */
  RS_MISS_MASK = 0x0f
};

const char *rs_miss_name(rs_miss m);   /* "empty", "code", "ssb_na", … */
const char *rs_miss_label(rs_miss m);  /* short English description */

/* Parse a number with decimal mark `decimal`.  Accepts surrounding spaces,
 * a sign, digit groups of three separated by a space or no-break space
 * ("1 414,5"), an exponent.  Returns false if the text is not a number. */
bool rs_value_parse_number(const char *s, size_t len, char decimal, double *out);

/* True when the text is a number written with the *other* decimal mark,
 * used to give a helpful message ("3.5" in a decimal-comma file). */
bool rs_value_looks_like_other_decimal(const char *s, size_t len, char decimal);

/* Integer digits with a leading zero ("0301"): a code, not a number. */
bool rs_value_has_leading_zero(const char *s, size_t len);

/* SSB symbols.  Returns the missing reason for '.', '..', '...', ':';
 * for '-' returns RS_MISS_NONE and sets *flags |= RS_FLAG_ZERO_BY_DEF
 * (value 0).  Returns -1 when the text is no symbol. */
int rs_value_ssb_symbol(const char *s, size_t len, uint8_t *flags);

/* Strip an SSB provisional '*' suffix ("123*"): returns the new length and
 * sets RS_FLAG_PROVISIONAL, or returns len unchanged. */
size_t rs_value_strip_provisional(const char *s, size_t len, uint8_t *flags);

/* Dates: ISO 2022-08-01 or Norwegian 01.08.2022 (1- or 2-digit day and
 * month), optionally followed by a time ("T10:15" or " 10:15:00"), which
 * is ignored.  *days = days since 1970-01-01.  False if not a valid date. */
bool rs_value_parse_date(const char *s, size_t len, int32_t *days);
/* Format days since 1970-01-01 as ISO YYYY-MM-DD into buf (>= 11 bytes). */
void rs_value_format_date(int32_t days, char *buf);
/* The same with GDate (slow), for the unit test's comparison. */
void rs_value_format_date_reference(int32_t days, char *buf);

/* Format a double for machine output so it reads back identically
 * (shortest of %.15g / %.17g that round-trips); "null" style handling is
 * the caller's.  buf >= 32 bytes.  Returns the length written. */
size_t rs_value_format_double(double x, char *buf);
/* The same by its definition (g_ascii_formatd and g_ascii_strtod, slow):
 * rs_value_format_double takes a faster exact path where it can, and the
 * unit test compares the two. */
size_t rs_value_format_double_reference(double x, char *buf);

/* Appends `t` as a JSON string literal (quotes, escapes) to s. */
void rs_value_append_json_string(GString *s, const char *t);

#endif
