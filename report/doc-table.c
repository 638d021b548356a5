/* doc-table.c — publishable tables in the PDF report: an rs_pubtable is
 * turned into printed text at once (rs_pubtable_cell_text: ':' '-' '.'),
 * then at layout time given column widths that fit the text width
 * (smaller font, then wrapped header labels, then scaled as a last
 * resort, so a number never overflows its cell) and placed row by row,
 * the caption moving with the header and two rows, and the header row
 * repeated under "Tabell N (forts.)" on every page the table runs onto.
 * See doc.h (rs_doc_table) for what the reader sees. */
#include "report/doc-internal.h"

#include <math.h>
#include <string.h>

#define PS ((double)PANGO_SCALE)
#define REF_SIZE 9.0  /* widths are measured once at this size; unhinted metrics scale linearly */

struct rs_doc_tab {
  char *title;
  size_t nrows, ncols;
  char **head;          /* ncols header labels */
  gboolean *numeric;    /* right-aligned, never wrapped */
  size_t stub;          /* the row-label column: wraps long names */
  char **cells;         /* nrows * ncols */
  gboolean *total;      /* bold, with a rule above */
  char **notes;         /* NULL-terminated */
  /* layout, computed once (the same in both passes) */
  gboolean ready;
  double size, scale, pad, vpad, width;
  gboolean break_words; /* header labels may break inside a word */
  double *w;            /* column widths, padding included, unscaled */
  double head_h, *row_h;/* unscaled */
};

/* s with a word joiner (U+2060) after a dash between digits, so that a
 * range such as "0–17" or "1–5" is never broken over two lines of a
 * header or row label. */
static char *glue_ranges(const char *s) {
  GString *g = g_string_new(NULL);
  for (const char *p = s ? s : ""; *p; p++) {
    g_string_append_c(g, *p);
    gboolean endash = (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x93;
    if ((endash || *p == '-') && p > s && g_ascii_isdigit(p[-1]) && g_ascii_isdigit(p[endash ? 3 : 1])) {
      if (endash) {
        g_string_append_len(g, p + 1, 2);
        p += 2;
      }
      g_string_append(g, "\u2060");
    }
  }
  return g_string_free(g, FALSE);
}

rs_doc_tab *rs_doc_table_from_pub(const rs_pubtable *t, gboolean en) {
  rs_doc_tab *T = g_new0(rs_doc_tab, 1);
  T->title = g_strdup(t->title ? t->title : "");
  gboolean code = t->code_header != NULL;
  size_t nci = 0;
  for (size_t c = 0; c < t->ncols; c++) nci += t->cols[c].has_ci;
  T->nrows = t->nrows;
  T->ncols = (code ? 2 : 1) + t->ncols + nci;
  T->head = g_new0(char *, T->ncols);
  T->numeric = g_new0(gboolean, T->ncols);
  T->cells = g_new0(char *, T->nrows * T->ncols + 1);
  T->total = g_new0(gboolean, T->nrows + 1);
  T->w = g_new0(double, T->ncols);
  T->row_h = g_new0(double, T->nrows + 1);
  size_t k = 0;
  if (code) T->head[k++] = g_strdup(t->code_header);
  T->stub = k;
  T->head[k++] = g_strdup(t->stub ? t->stub : "");
  for (size_t c = 0; c < t->ncols; c++) {
    const rs_pubcol *col = &t->cols[c];
    char *label = col->unit && *col->unit ? g_strdup_printf("%s (%s)", col->label ? col->label : "", col->unit)
                                          : g_strdup(col->label ? col->label : "");
    T->head[k] = glue_ranges(label);
    g_free(label);
    T->numeric[k++] = TRUE;
    if (col->has_ci) {
      T->head[k] = g_strdup(en ? "95 % CI" : "95 % KI");
      T->numeric[k++] = TRUE;
    }
  }
  for (size_t r = 0; r < t->nrows; r++) {
    char **row = T->cells + r * T->ncols;
    k = 0;
    if (code) row[k++] = g_strdup(t->rows[r].code ? t->rows[r].code : "");
    row[k++] = glue_ranges(t->rows[r].label);
    T->total[r] = t->rows[r].role != RS_ROLE_UNIT;
    for (size_t c = 0; c < t->ncols; c++) {
      row[k++] = rs_pubtable_cell_text(t, r, c, 0, !en);
      if (t->cols[c].has_ci) {
        const rs_pubcell *cell = rs_pubtable_cell_c(t, r, c);
        if (cell->state == RS_CELL_VALUE && !isnan(cell->ci_low) && !isnan(cell->ci_high)) {
          char *lo = rs_pubtable_cell_text(t, r, c, 1, !en), *hi = rs_pubtable_cell_text(t, r, c, 2, !en);
          /* nb numbers have a decimal comma, so the bounds are parted by ';' */
          row[k++] = g_strdup_printf("[%s%s %s]", lo, en ? "," : ";", hi);
          g_free(lo);
          g_free(hi);
        } else {
          row[k++] = rs_pubtable_cell_text(t, r, c, 1, !en);  /* ':' '-' or '.' like its value */
        }
      }
    }
  }
  size_t nn = t->notes ? t->notes->len : 0;
  T->notes = g_new0(char *, nn + 1);
  for (size_t i = 0; i < nn; i++) T->notes[i] = g_strdup(g_ptr_array_index(t->notes, i));
  return T;
}

void rs_doc_table_free(rs_doc_tab *T) {
  if (!T) return;
  for (size_t i = 0; i < T->ncols; i++) g_free(T->head[i]);
  for (size_t i = 0; i < T->nrows * T->ncols; i++) g_free(T->cells[i]);
  g_strfreev(T->notes);
  g_free(T->head);
  g_free(T->numeric);
  g_free(T->cells);
  g_free(T->total);
  g_free(T->w);
  g_free(T->row_h);
  g_free(T->title);
  g_free(T);
}

/* ---- widths ---- */

static double text_w(rs_doc_lay *L, const char *s, gboolean bold) {
  PangoLayout *l = rs_doc_layout(L, s, FALSE, REF_SIZE, bold, 0);
  double w = rs_doc_layout_width(l);
  g_object_unref(l);
  return w;
}

/* The widest word (split at spaces) at REF_SIZE. */
static double word_w(rs_doc_lay *L, const char *s, gboolean bold) {
  char **words = g_strsplit(s, " ", -1);
  double w = 0;
  for (char **p = words; *p; p++)
    if (**p) w = MAX(w, text_w(L, *p, bold));
  g_strfreev(words);
  return w;
}

static PangoLayout *cell_layout(rs_doc_lay *L, const rs_doc_tab *T, const char *s, gboolean bold, double width,
                                gboolean right) {
  PangoLayout *l = rs_doc_layout(L, s, FALSE, T->size, bold, width);
  if (right) pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
  return l;
}

static PangoLayout *head_layout(rs_doc_lay *L, const rs_doc_tab *T, size_t c) {
  PangoLayout *l = cell_layout(L, T, T->head[c], TRUE, T->w[c] - 2 * T->pad, T->numeric[c]);
  pango_layout_set_wrap(l, T->break_words ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD);
  return l;
}

/* Column widths at font size s for a tier (see compute); TRUE when the
 * table then fits the text width.  nat, hn, hw: widest cell, header and
 * header word per column at REF_SIZE; cap: how wide (at REF_SIZE) a
 * numeric column may grow to keep its header label on fewer lines;
 * whole_stub: the row labels must fit unwrapped. */
static gboolean try_widths(rs_doc_tab *T, int tier, double s, double cap, gboolean whole_stub, const double *nat,
                           const double *hn, const double *hw, double stub_word) {
  double k = s / REF_SIZE, others = 0;
  T->size = s;
  T->pad = 0.4 * s + 0.5;  /* the 0.5 absorbs rounding in the linear scaling */
  T->vpad = 0.28 * s;
  T->break_words = tier == 2;
  for (size_t c = 0; c < T->ncols; c++) {
    if (c == T->stub) continue;
    double w;
    if (!T->numeric[c]) w = MAX(nat[c], hw[c]);  /* codes */
    else if (tier == 0) w = MAX(MAX(nat[c], hw[c]), MIN(hn[c], MAX(nat[c], cap)));
    else if (tier == 1) w = MAX(nat[c], hw[c]);
    else w = MAX(nat[c], 18);
    T->w[c] = k * w + 2 * T->pad;
    others += T->w[c];
  }
  size_t sc = T->stub;
  double stub_nat = MAX(nat[sc], hn[sc]);
  double stub_min = k * MAX(MAX(stub_word, hw[sc]), MIN(stub_nat, tier == 2 ? 60 : 90)) + 2 * T->pad;
  double stub_want = k * stub_nat + 2 * T->pad;
  if (whole_stub) stub_min = stub_want;
  T->w[sc] = MAX(stub_min, MIN(stub_want, RS_DOC_TEXT_W - others));
  return others + stub_min <= RS_DOC_TEXT_W + 1e-9;
}

static void compute(rs_doc_lay *L, rs_doc_tab *T) {
  if (T->ready) return;
  size_t nc = T->ncols;
  double *nat = g_new0(double, nc), *hn = g_new0(double, nc), *hw = g_new0(double, nc);
  double stub_word = 0;
  for (size_t c = 0; c < nc; c++) {
    hn[c] = text_w(L, T->head[c], TRUE);
    hw[c] = word_w(L, T->head[c], TRUE);
    for (size_t r = 0; r < T->nrows; r++) {
      const char *s = T->cells[r * nc + c];
      nat[c] = MAX(nat[c], text_w(L, s, T->total[r]));
      if (c == T->stub) stub_word = MAX(stub_word, word_w(L, s, T->total[r]));
    }
  }
  /* tier 0: 9 pt down to 6.5 pt with header labels up to `cap` wide;
   * tier 1: 6.5 pt with labels as narrow as their longest word; tier 2:
   * labels broken inside words (and the whole table scaled down if it is
   * still too wide). */
  /* At each size, first with the row labels unwrapped, then with long
   * row labels wrapped; header labels up to ~56 pt wide. */
  static const double sizes[] = {9, 8.5, 8, 7.5, 7, 6.5};
  gboolean fit = FALSE;
  for (size_t si = 0; si < G_N_ELEMENTS(sizes) && !fit; si++) {
    fit = try_widths(T, 0, sizes[si], 56, TRUE, nat, hn, hw, stub_word);
    if (!fit) fit = try_widths(T, 0, sizes[si], 56, FALSE, nat, hn, hw, stub_word);
  }
  if (fit) {
    /* Width to spare goes to the row labels first (fewer wrapped), then
     * to the columns whose header labels wrap, in proportion to what they
     * lack (up to 140 pt at 9 pt), so the header row gets shorter. */
    double k = T->size / REF_SIZE, used = 0, lack = 0;
    for (size_t c = 0; c < nc; c++) used += T->w[c];
    size_t sc = T->stub;
    double stub_want = k * MAX(nat[sc], hn[sc]) + 2 * T->pad, spare = RS_DOC_TEXT_W - used;
    double give = MIN(spare, MAX(0, stub_want - T->w[sc]));
    T->w[sc] += give;
    spare -= give;
    double *want = g_new0(double, nc);
    for (size_t c = 0; c < nc; c++)
      if (T->numeric[c]) lack += want[c] = MAX(0, k * MIN(hn[c], 140) + 2 * T->pad - T->w[c]);
    if (lack > 0 && spare > 0)
      for (size_t c = 0; c < nc; c++) T->w[c] += want[c] * MIN(1.0, spare / lack);
    g_free(want);
  }
  if (!fit) fit = try_widths(T, 1, 6.5, 0, FALSE, nat, hn, hw, stub_word);
  if (!fit) try_widths(T, 2, 6.5, 0, FALSE, nat, hn, hw, stub_word);
  T->width = 0;
  for (size_t c = 0; c < nc; c++) T->width += T->w[c];
  T->scale = T->width > RS_DOC_TEXT_W ? RS_DOC_TEXT_W / T->width : 1.0;
  /* heights: header labels wrap within their column, so may row labels */
  T->head_h = 0;
  for (size_t c = 0; c < nc; c++) {
    PangoLayout *l = head_layout(L, T, c);
    T->head_h = MAX(T->head_h, rs_doc_layout_height(l));
    g_object_unref(l);
  }
  T->head_h += 2 * T->vpad;
  PangoLayout *one = rs_doc_layout(L, "0", FALSE, T->size, FALSE, 0);
  double line_h = rs_doc_layout_height(one);
  g_object_unref(one);
  for (size_t r = 0; r < T->nrows; r++) {
    PangoLayout *l = cell_layout(L, T, T->cells[r * nc + T->stub], T->total[r], T->w[T->stub] - 2 * T->pad, FALSE);
    T->row_h[r] = MAX(line_h, rs_doc_layout_height(l)) + 2 * T->vpad;
    g_object_unref(l);
  }
  g_free(nat);
  g_free(hn);
  g_free(hw);
  T->ready = TRUE;
}

/* ---- drawing (in the table's own coordinates: origin at its top-left, unscaled) ---- */

static void hrule(rs_doc_lay *L, const rs_doc_tab *T, double y, double width) {
  cairo_set_line_width(L->cr, width);
  rs_doc_set_rgb(L, 0.15);
  cairo_move_to(L->cr, 0, y);
  cairo_line_to(L->cr, T->width, y);
  cairo_stroke(L->cr);
}

static void draw_header(rs_doc_lay *L, const rs_doc_tab *T) {
  cairo_rectangle(L->cr, 0, 0, T->width, T->head_h);
  rs_doc_set_rgb(L, 0.93);
  cairo_fill(L->cr);
  double x = 0;
  for (size_t c = 0; c < T->ncols; c++) {
    PangoLayout *l = head_layout(L, T, c);
    rs_doc_set_rgb(L, 0.1);
    /* labels sit on the header's bottom, over their numbers */
    rs_doc_draw_layout(L, l, x + T->pad, T->head_h - T->vpad - rs_doc_layout_height(l));
    g_object_unref(l);
    x += T->w[c];
  }
  hrule(L, T, 0, 0.9);
  hrule(L, T, T->head_h, 0.5);
}

static void draw_row(rs_doc_lay *L, const rs_doc_tab *T, size_t r, double y) {
  if (r % 2 == 1) {
    cairo_rectangle(L->cr, 0, y, T->width, T->row_h[r]);
    rs_doc_set_rgb(L, 0.965);
    cairo_fill(L->cr);
  }
  double x = 0;
  for (size_t c = 0; c < T->ncols; c++) {
    gboolean num = T->numeric[c];
    PangoLayout *l = cell_layout(L, T, T->cells[r * T->ncols + c], T->total[r], num ? 0 : T->w[c] - 2 * T->pad, FALSE);
    rs_doc_set_rgb(L, 0.1);
    double tx = num ? x + T->w[c] - T->pad - rs_doc_layout_width(l) : x + T->pad;
    rs_doc_draw_layout(L, l, tx, y + T->vpad);
    g_object_unref(l);
    x += T->w[c];
  }
  if (T->total[r] && r > 0) hrule(L, T, y, 0.4);
}

/* ---- pages ---- */

static PangoLayout *caption_layout(rs_doc_lay *L, const rs_doc_block *b, gboolean cont) {
  const char *word = rs_doc_tr(L->d, "Tabell", "Table");
  char *m = cont ? g_markup_printf_escaped("<i>%s %s %s</i>", word, b->number, rs_doc_tr(L->d, "(forts.)", "(cont.)"))
                 : g_markup_printf_escaped("<b>%s %s.</b> %s", word, b->number, b->table->title);
  PangoLayout *l = rs_doc_layout(L, m, TRUE, cont ? 8.5 : 9.5, FALSE, RS_DOC_TEXT_W);
  g_free(m);
  return l;
}

#define CAPTION_GAP 4.0
#define NOTE_GAP 1.5

static PangoLayout *notes_layout(rs_doc_lay *L, const char *note) {
  return rs_doc_layout(L, note, FALSE, 7.5, FALSE, RS_DOC_TEXT_W);
}

double rs_doc_table_lead_height(rs_doc_lay *L, const rs_doc_block *b) {
  rs_doc_tab *T = b->table;
  compute(L, T);
  PangoLayout *cap = caption_layout(L, b, FALSE);
  double h = rs_doc_layout_height(cap) + CAPTION_GAP + T->head_h * T->scale;
  g_object_unref(cap);
  for (size_t r = 0; r < MIN(T->nrows, 2); r++) h += T->row_h[r] * T->scale;
  return h;
}

/* Starts a part of the table at L->y: caption (or "(forts.)") and header.
 * Returns the part's top in page coordinates. */
static void begin_part(rs_doc_lay *L, const rs_doc_block *b, gboolean cont) {
  rs_doc_tab *T = b->table;
  PangoLayout *cap = caption_layout(L, b, cont);
  rs_doc_set_rgb(L, cont ? 0.35 : 0.1);
  rs_doc_draw_layout(L, cap, RS_DOC_LEFT, L->y);
  L->y += rs_doc_layout_height(cap) + CAPTION_GAP;
  g_object_unref(cap);
  if (L->render) {
    cairo_save(L->cr);
    cairo_translate(L->cr, RS_DOC_LEFT, L->y);
    cairo_scale(L->cr, T->scale, T->scale);
    draw_header(L, T);
    cairo_restore(L->cr);
  }
  L->y += T->head_h * T->scale;
  L->empty = FALSE;
}

static void end_part(rs_doc_lay *L, const rs_doc_tab *T) {
  if (!L->render) return;
  cairo_save(L->cr);
  cairo_translate(L->cr, RS_DOC_LEFT, L->y);
  cairo_scale(L->cr, T->scale, T->scale);
  hrule(L, T, 0, 0.9);
  cairo_restore(L->cr);
}

void rs_doc_place_table(rs_doc_lay *L, const rs_doc_block *b) {
  rs_doc_tab *T = b->table;
  compute(L, T);
  /* the caption never stands alone: it moves with the header and two rows */
  if (!L->empty && rs_doc_table_lead_height(L, b) > rs_doc_room(L)) rs_doc_new_page(L);
  /* the notes go with the last row, when they are short */
  double notes_h = 0;
  for (char **n = T->notes; *n; n++) {
    PangoLayout *l = notes_layout(L, *n);
    notes_h += rs_doc_layout_height(l) + NOTE_GAP;
    g_object_unref(l);
  }
  if (notes_h > 0) notes_h += 4;
  if (notes_h > 0.25 * (RS_DOC_BOTTOM - RS_DOC_TOP)) notes_h = 0;
  begin_part(L, b, FALSE);
  size_t on_part = 0;  /* rows on this page so far */
  for (size_t r = 0; r < T->nrows; r++) {
    double h = T->row_h[r] * T->scale, room = rs_doc_room(L);
    gboolean brk = h > room;
    /* no row alone on a page after a break: the last two rows (the total,
     * typically) go over together, and the last row takes the notes along */
    if (!brk && on_part >= 2 && r + 2 == T->nrows && h + T->row_h[r + 1] * T->scale + notes_h > room) brk = TRUE;
    if (!brk && on_part >= 2 && r + 1 == T->nrows && h + notes_h > room) brk = TRUE;
    if (brk && on_part > 0) {
      end_part(L, T);
      rs_doc_new_page(L);
      begin_part(L, b, TRUE);
      on_part = 0;
    }
    on_part++;
    if (L->render) {
      cairo_save(L->cr);
      cairo_translate(L->cr, RS_DOC_LEFT, L->y);
      cairo_scale(L->cr, T->scale, T->scale);
      draw_row(L, T, r, 0);
      cairo_restore(L->cr);
    }
    L->y += h;
  }
  end_part(L, T);
  if (T->notes[0]) L->y += 4;
  for (char **n = T->notes; *n; n++) {
    PangoLayout *l = notes_layout(L, *n);
    rs_doc_set_rgb(L, 0.35);
    rs_doc_flow(L, l, RS_DOC_LEFT, 1);
    L->y += NOTE_GAP;
    g_object_unref(l);
  }
  L->y += 14;
}
