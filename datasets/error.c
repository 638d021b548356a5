/* error.c — the RS_ERROR domain, exit statuses and problem lists. */
#include "datasets/error.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK(reformstat-error-quark, rs_error)

int rs_error_exit_status(const GError *err) {
  if (err == NULL) return 0;
  if (err->domain == RS_ERROR && err->code == RS_ERROR_INTERNAL) return 2;
  return 1;
}

rs_diag *rs_diag_new(void) {
  rs_diag *d = g_new0(rs_diag, 1);
  d->items = g_ptr_array_new();
  d->max_items = 10000;
  return d;
}

static void problem_free(rs_problem *p) {
  g_free(p->file);
  g_free(p->column);
  g_free(p->value);
  g_free(p->message);
  g_free(p);
}

void rs_diag_clear(rs_diag *d) {
  for (guint i = 0; i < d->items->len; i++) problem_free(g_ptr_array_index(d->items, i));
  g_ptr_array_set_size(d->items, 0);
  d->n_errors = d->n_warnings = d->n_dropped = 0;
}

void rs_diag_free(rs_diag *d) {
  if (d == NULL) return;
  rs_diag_clear(d);
  g_ptr_array_free(d->items, TRUE);
  g_free(d);
}

void rs_diag_add(rs_diag *d, rs_severity sev, rs_error_code code, const char *file,
                 long line, const char *column, const char *value, const char *fmt, ...) {
  if (sev == RS_SEVERITY_ERROR) d->n_errors++; else d->n_warnings++;
  if (d->items->len >= d->max_items) { d->n_dropped++; return; }
  rs_problem *p = g_new0(rs_problem, 1);
  p->severity = sev;
  p->code = code;
  p->file = g_strdup(file);
  p->line = line;
  p->column = g_strdup(column);
  p->value = g_strdup(value);
  va_list ap;
  va_start(ap, fmt);
  p->message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(d->items, p);
}

char *rs_problem_format(const rs_problem *p) {
  GString *s = g_string_new(NULL);
  if (p->file) g_string_append_printf(s, "%s: ", p->file);
  if (p->line > 0) g_string_append_printf(s, "line %ld", p->line);
  if (p->column) g_string_append_printf(s, "%scolumn '%s'", p->line > 0 ? ", " : "", p->column);
  if (p->line > 0 || p->column) g_string_append(s, ": ");
  g_string_append(s, p->message);
  return g_string_free(s, FALSE);
}

void rs_problem_to_error(const rs_problem *p, GError **err) {
  char *msg = rs_problem_format(p);
  g_set_error_literal(err, RS_ERROR, p->code, msg);
  g_free(msg);
}

char *rs_error_quote_value(const char *s, size_t len, size_t max) {
  GString *out = g_string_new(NULL);
  size_t chars = 0;
  const char *p = s, *end = s + len;
  while (p < end && chars < max) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 || c == 0x7f) {
      g_string_append_printf(out, "\\x%02X", c);
      p++;
    } else if (c < 0x80) {
      g_string_append_c(out, (char)c);
      p++;
    } else {
      const char *next = g_utf8_find_next_char(p, end);
      if (next == NULL) next = end;
      if (g_utf8_get_char_validated(p, next - p) >= 0x80 && g_utf8_get_char_validated(p, next - p) < 0x110000)
        g_string_append_len(out, p, next - p);
      else {
        g_string_append_printf(out, "\\x%02X", c);
        next = p + 1;
      }
      p = next;
    }
    chars++;
  }
  if (p < end) g_string_append(out, "…");
  return g_string_free(out, FALSE);
}
