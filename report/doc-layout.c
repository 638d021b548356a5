/* doc-layout.c — placing blocks on A4 pages: text layouts, page breaks
 * with the running header and "Side N av M", the title page, the table of
 * contents, headings (kept with what follows them), paragraphs split
 * between lines, and figures drawn by plots/ into a page rectangle.
 * Tables are in doc-table.c.  See doc-internal.h for the two passes. */
#include "report/doc-internal.h"
#include "datasets/error.h"

#include <cairo-pdf.h>
#include <math.h>
#include <string.h>

#define PS ((double)PANGO_SCALE)

/* ---- text ---- */

PangoLayout *rs_doc_layout(rs_doc_lay *L, const char *text, gboolean markup, double size, gboolean bold,
                           double width) {
  PangoLayout *l = pango_layout_new(L->pango);
  PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans, Sans");
  rs_plot_style st;
  rs_plot_style_for_width(&st, 16);  /* the charts' font family, so text and figures match */
  pango_font_description_set_family(fd, st.font_family);
  pango_font_description_set_absolute_size(fd, size * PS);
  if (bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PS));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);  /* a word longer than the width breaks rather than overflows */
  }
  if (markup)
    pango_layout_set_markup(l, text ? text : "", -1);
  else
    pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

double rs_doc_layout_height(PangoLayout *l) {
  PangoRectangle r;
  pango_layout_get_extents(l, NULL, &r);
  return r.height / PS;
}

double rs_doc_layout_width(PangoLayout *l) {
  PangoRectangle r;
  pango_layout_get_extents(l, NULL, &r);
  return r.width / PS;
}

void rs_doc_draw_layout(rs_doc_lay *L, PangoLayout *l, double x, double y) {
  if (!L->render) return;
  cairo_move_to(L->cr, x, y);
  pango_cairo_show_layout(L->cr, l);
}

void rs_doc_set_rgb(rs_doc_lay *L, double grey) { cairo_set_source_rgb(L->cr, grey, grey, grey); }

#define TEXT_GREY 0.1
#define MUTED_GREY 0.35

/* ---- pages ---- */

/* Running header and page number of the page just finished. */
static void page_furniture(rs_doc_lay *L) {
  rs_doc *d = L->d;
  cairo_t *cr = L->cr;
  if (d->header) {
    PangoLayout *l = rs_doc_layout(L, d->header, FALSE, 8.5, FALSE, RS_DOC_TEXT_W);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(l, -1);
    double y = 1.2 * RS_DOC_CM;
    rs_doc_set_rgb(L, MUTED_GREY);
    rs_doc_draw_layout(L, l, RS_DOC_LEFT, y);
    double h = rs_doc_layout_height(l);
    g_object_unref(l);
    cairo_set_line_width(cr, 0.4);
    rs_doc_set_rgb(L, 0.6);
    cairo_move_to(cr, RS_DOC_LEFT, y + h + 3);
    cairo_line_to(cr, RS_DOC_LEFT + RS_DOC_TEXT_W, y + h + 3);
    cairo_stroke(cr);
  }
  char *s = g_strdup_printf(rs_doc_tr(d, "Side %d av %d", "Page %d of %d"), L->page, L->total);
  PangoLayout *l = rs_doc_layout(L, s, FALSE, 8.5, FALSE, RS_DOC_TEXT_W);
  pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
  rs_doc_set_rgb(L, MUTED_GREY);
  rs_doc_draw_layout(L, l, RS_DOC_LEFT, RS_DOC_PAGE_H - 1.5 * RS_DOC_CM);
  g_object_unref(l);
  g_free(s);
}

void rs_doc_finish_page(rs_doc_lay *L) {
  if (L->page == 0 || !L->render) return;
  if (!L->plain) page_furniture(L);
  cairo_show_page(L->cr);
}

void rs_doc_new_page(rs_doc_lay *L) {
  rs_doc_finish_page(L);
  L->page++;
  L->y = RS_DOC_TOP;
  L->empty = TRUE;
  L->plain = FALSE;
  L->break_pending = FALSE;
}

void rs_doc_begin_block(rs_doc_lay *L) {
  if (L->page == 0 || L->break_pending) rs_doc_new_page(L);
}

typedef struct { double top, bottom, base, x; } line_box;

/* The lines of l with their vertical ranges (spacing included), in points. */
static line_box *layout_lines(PangoLayout *l, int *n) {
  *n = pango_layout_get_line_count(l);
  line_box *b = g_new(line_box, *n > 0 ? *n : 1);
  PangoLayoutIter *it = pango_layout_get_iter(l);
  int k = 0;
  do {
    int y0, y1;
    PangoRectangle lr;
    pango_layout_iter_get_line_yrange(it, &y0, &y1);
    pango_layout_iter_get_line_extents(it, NULL, &lr);
    if (k < *n) b[k++] = (line_box){y0 / PS, y1 / PS, pango_layout_iter_get_baseline(it) / PS, lr.x / PS};
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  *n = k;
  return b;
}

void rs_doc_flow(rs_doc_lay *L, PangoLayout *l, double x, int keep) {
  int n;
  line_box *b = layout_lines(l, &n);
  int i = 0;
  while (i < n) {
    double room = rs_doc_room(L);
    int c = 0;
    while (i + c < n && b[i + c].bottom - b[i].top <= room) c++;
    int left = n - i;
    if (c < left) {
      int c0 = c;
      if (left - c < keep) c = left - keep;  /* leave `keep` lines for the next page (no widow) */
      if (c < keep) c = 0;                   /* too few for this page (no orphan): all go over */
      if (c == 0 && L->empty) c = MAX(c0, 1); /* an empty page cannot do better: break where it must */
    }
    if (c == 0) {
      rs_doc_new_page(L);
      continue;
    }
    if (L->render) {
      for (int j = i; j < i + c; j++) {
        cairo_move_to(L->cr, x + b[j].x, L->y + b[j].base - b[i].top);
        pango_cairo_show_layout_line(L->cr, pango_layout_get_line_readonly(l, j));
      }
    }
    L->y += b[i + c - 1].bottom - b[i].top;
    L->empty = FALSE;
    i += c;
    if (i < n) rs_doc_new_page(L);
  }
  g_free(b);
}

/* ---- headings ---- */

static const double heading_size[3] = {17, 13, 11};
static const double heading_before[3] = {0, 14, 10};
static const double heading_after[3] = {12, 6, 4};

/* The number and the text of a heading, the text hanging beside the number. */
static void heading_layouts(rs_doc_lay *L, const char *number, const char *text, int level, PangoLayout **ln,
                            PangoLayout **lt, double *indent) {
  double size = heading_size[level - 1];
  *ln = number ? rs_doc_layout(L, number, FALSE, size, TRUE, 0) : NULL;
  *indent = *ln ? rs_doc_layout_width(*ln) + 0.7 * size : 0;
  *lt = rs_doc_layout(L, text, FALSE, size, TRUE, RS_DOC_TEXT_W - *indent);
}

static double heading_height(rs_doc_lay *L, const rs_doc_block *b, gboolean at_top) {
  PangoLayout *ln, *lt;
  double indent;
  heading_layouts(L, b->number, b->text, b->level, &ln, &lt, &indent);
  double h = rs_doc_layout_height(lt);
  if (ln) g_object_unref(ln);
  g_object_unref(lt);
  return (at_top ? 0 : heading_before[b->level - 1]) + h + heading_after[b->level - 1];
}

static double figure_height(rs_doc_lay *L, const rs_doc_block *b, PangoLayout **cap);
static PangoLayout *para_layout(rs_doc_lay *L, const char *markup);
static PangoLayout *bullet_layout(rs_doc_lay *L, const char *markup);
static double first_lines(PangoLayout *l, int n);

/* What must fit under a heading with it: the start of block i. */
static double lead_height(rs_doc_lay *L, guint i, int depth) {
  if (i >= L->d->blocks->len || depth > 2) return 0;
  const rs_doc_block *b = g_ptr_array_index(L->d->blocks, i);
  switch (b->kind) {
    case RS_BLK_PARA:
    case RS_BLK_BULLET: {
      PangoLayout *l = b->kind == RS_BLK_PARA ? para_layout(L, b->text) : bullet_layout(L, b->text);
      double h = first_lines(l, 2);
      g_object_unref(l);
      return h;
    }
    case RS_BLK_TABLE: return rs_doc_table_lead_height(L, b);
    case RS_BLK_FIGURE: return figure_height(L, b, NULL);
    case RS_BLK_HEADING:
      if (b->level == 1) return 0;
      return heading_height(L, b, FALSE) + lead_height(L, i + 1, depth + 1);
    default: return 0;
  }
}

static void place_heading(rs_doc_lay *L, guint i) {
  rs_doc_block *b = g_ptr_array_index(L->d->blocks, i);
  rs_doc_begin_block(L);
  if (b->level == 1 && !L->empty) rs_doc_new_page(L);
  double need = heading_height(L, b, L->empty) + lead_height(L, i + 1, 0);
  if (!L->empty && need > rs_doc_room(L)) rs_doc_new_page(L);
  if (!L->empty) L->y += heading_before[b->level - 1];
  PangoLayout *ln, *lt;
  double indent;
  heading_layouts(L, b->number, b->text, b->level, &ln, &lt, &indent);
  b->page = L->page;
  if (L->render) {
    char *attr = g_strdup_printf("name='%s'", b->dest);
    cairo_tag_begin(L->cr, CAIRO_TAG_DEST, attr);
    rs_doc_set_rgb(L, TEXT_GREY);
    rs_doc_draw_layout(L, ln, RS_DOC_LEFT, L->y);
    rs_doc_draw_layout(L, lt, RS_DOC_LEFT + indent, L->y);
    cairo_tag_end(L->cr, CAIRO_TAG_DEST);
    g_free(attr);
    if (b->level <= 2) {
      char *name = g_strdup_printf("%s %s", b->number, b->text);
      char *link = g_strdup_printf("dest='%s'", b->dest);
      int id = cairo_pdf_surface_add_outline(L->surface, b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : L->outline_parent,
                                             name, link, b->level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
      if (b->level == 1) L->outline_parent = id;
      g_free(name);
      g_free(link);
    }
  }
  L->y += rs_doc_layout_height(lt) + heading_after[b->level - 1];
  L->empty = FALSE;
  g_object_unref(ln);
  g_object_unref(lt);
}

/* ---- paragraphs ---- */

static PangoLayout *para_layout(rs_doc_lay *L, const char *markup) {
  PangoLayout *l = rs_doc_layout(L, markup, TRUE, RS_DOC_BODY_SIZE, FALSE, RS_DOC_TEXT_W);
  pango_layout_set_spacing(l, (int)(3.0 * PS));
  return l;
}

static void place_para(rs_doc_lay *L, const rs_doc_block *b) {
  rs_doc_begin_block(L);
  PangoLayout *l = para_layout(L, b->text);
  rs_doc_set_rgb(L, TEXT_GREY);
  rs_doc_flow(L, l, RS_DOC_LEFT, 2);
  L->y += 7;
  g_object_unref(l);
}

#define BULLET_INDENT 14.0

static PangoLayout *bullet_layout(rs_doc_lay *L, const char *markup) {
  PangoLayout *l = rs_doc_layout(L, markup, TRUE, RS_DOC_BODY_SIZE, FALSE, RS_DOC_TEXT_W - BULLET_INDENT);
  pango_layout_set_spacing(l, (int)(3.0 * PS));
  return l;
}

/* Height of the first `n` lines of l. */
static double first_lines(PangoLayout *l, int n) {
  int count;
  line_box *lb = layout_lines(l, &count);
  double h = count ? lb[MIN(count, n) - 1].bottom - lb[0].top : 0;
  g_free(lb);
  return h;
}

static void place_bullet(rs_doc_lay *L, guint i) {
  const rs_doc_block *b = g_ptr_array_index(L->d->blocks, i);
  rs_doc_begin_block(L);
  PangoLayout *l = bullet_layout(L, b->text);
  /* the bullet goes where the first line goes: with two lines, or over */
  if (!L->empty && first_lines(l, 2) > rs_doc_room(L)) rs_doc_new_page(L);
  PangoLayout *dot = rs_doc_layout(L, "\u2022", FALSE, RS_DOC_BODY_SIZE, FALSE, 0);
  rs_doc_set_rgb(L, TEXT_GREY);
  rs_doc_draw_layout(L, dot, RS_DOC_LEFT + 3, L->y);
  g_object_unref(dot);
  rs_doc_flow(L, l, RS_DOC_LEFT + BULLET_INDENT, 2);
  const rs_doc_block *next = i + 1 < L->d->blocks->len ? g_ptr_array_index(L->d->blocks, i + 1) : NULL;
  L->y += next && next->kind == RS_BLK_BULLET ? 3 : 7;
  g_object_unref(l);
}

/* ---- title page ---- */

static void place_title(rs_doc_lay *L, const rs_doc_block *b) {
  if (L->page == 0 || !L->empty || L->break_pending) rs_doc_new_page(L);
  L->plain = TRUE;
  double y = 0.28 * RS_DOC_PAGE_H;
  PangoLayout *l = rs_doc_layout(L, b->text, FALSE, 26, TRUE, RS_DOC_TEXT_W);
  rs_doc_set_rgb(L, TEXT_GREY);
  rs_doc_draw_layout(L, l, RS_DOC_LEFT, y);
  y += rs_doc_layout_height(l) + 10;
  g_object_unref(l);
  if (b->text2 && *b->text2) {
    l = rs_doc_layout(L, b->text2, FALSE, 15, FALSE, RS_DOC_TEXT_W);
    rs_doc_set_rgb(L, MUTED_GREY);
    rs_doc_draw_layout(L, l, RS_DOC_LEFT, y);
    y += rs_doc_layout_height(l);
    g_object_unref(l);
  }
  y += 16;
  if (L->render) {  /* an accent rule in the charts' first colour */
    rs_plot_set_rgb(L->cr, rs_plot_palette(0));
    cairo_rectangle(L->cr, RS_DOC_LEFT, y, 3 * RS_DOC_CM, 3);
    cairo_fill(L->cr);
  }
  y += 22;
  if (b->text3 && *b->text3) {
    l = para_layout(L, b->text3);
    rs_doc_set_rgb(L, TEXT_GREY);
    rs_doc_draw_layout(L, l, RS_DOC_LEFT, y);
    g_object_unref(l);
  }
  L->empty = FALSE;
  L->break_pending = TRUE;
}

/* ---- table of contents ---- */

#define TOC_PAGE_W 36.0

static void place_toc(rs_doc_lay *L) {
  rs_doc *d = L->d;
  rs_doc_begin_block(L);
  if (!L->empty) rs_doc_new_page(L);
  PangoLayout *h = rs_doc_layout(L, rs_doc_tr(d, "Innhold", "Contents"), FALSE, heading_size[0], TRUE, 0);
  rs_doc_set_rgb(L, TEXT_GREY);
  rs_doc_draw_layout(L, h, RS_DOC_LEFT, L->y);
  L->y += rs_doc_layout_height(h) + heading_after[0] + 4;
  L->empty = FALSE;
  g_object_unref(h);
  for (guint i = 0; i < d->blocks->len; i++) {
    const rs_doc_block *b = g_ptr_array_index(d->blocks, i);
    if (b->kind != RS_BLK_HEADING || b->level > 2) continue;
    gboolean top = b->level == 1;
    double size = top ? 10.5 : 10, before = top ? 7 : 2.5;
    double numx = RS_DOC_LEFT + (top ? 0 : 24), textx = numx + (top ? 24 : 32);
    double textw = RS_DOC_LEFT + RS_DOC_TEXT_W - TOC_PAGE_W - 8 - textx;
    PangoLayout *ln = rs_doc_layout(L, b->number, FALSE, size, top, 0);
    PangoLayout *lt = rs_doc_layout(L, b->text, FALSE, size, top, textw);
    /* In the first pass the pages are not known yet; the page column has
     * a fixed width, so the entry takes the same room either way. */
    char *pg = b->page > 0 ? g_strdup_printf("%d", b->page) : g_strdup("");
    PangoLayout *lp = rs_doc_layout(L, pg, FALSE, size, top, TOC_PAGE_W);
    pango_layout_set_alignment(lp, PANGO_ALIGN_RIGHT);
    int n;
    line_box *lb = layout_lines(lt, &n);
    double eh = rs_doc_layout_height(lt);
    if (before + eh > rs_doc_room(L)) rs_doc_new_page(L);
    else L->y += before;
    if (L->render && n > 0) {
      double last_top = lb[n - 1].top;
      rs_doc_set_rgb(L, TEXT_GREY);
      rs_doc_draw_layout(L, ln, numx, L->y);
      rs_doc_draw_layout(L, lt, textx, L->y);
      rs_doc_draw_layout(L, lp, RS_DOC_LEFT + RS_DOC_TEXT_W - TOC_PAGE_W, L->y + last_top);
      /* dot leaders from the end of the text's last line to the number */
      PangoRectangle lr;
      pango_layout_line_get_extents(pango_layout_get_line_readonly(lt, n - 1), NULL, &lr);
      double x0 = textx + (lr.x + lr.width) / PS + 6;
      double x1 = RS_DOC_LEFT + RS_DOC_TEXT_W - rs_doc_layout_width(lp) - 6;
      double yb = L->y + lb[n - 1].base;
      rs_doc_set_rgb(L, 0.55);
      cairo_new_path(L->cr);  /* else the first dot is joined to where the text ended */
      for (double x = ceil(x0 / 4) * 4; x < x1; x += 4) {
        cairo_new_sub_path(L->cr);
        cairo_arc(L->cr, x, yb - 0.6, 0.55, 0, 2 * G_PI);
      }
      cairo_fill(L->cr);
      char *attr = g_strdup_printf("dest='%s' rect=[%d %d %d %d]", b->dest, (int)RS_DOC_LEFT, (int)L->y,
                                   (int)RS_DOC_TEXT_W, (int)(eh + 1));
      cairo_tag_begin(L->cr, CAIRO_TAG_LINK, attr);
      cairo_tag_end(L->cr, CAIRO_TAG_LINK);
      g_free(attr);
    }
    L->y += eh;
    g_free(lb);
    g_free(pg);
    g_object_unref(ln);
    g_object_unref(lt);
    g_object_unref(lp);
  }
  L->y += 10;
}

/* ---- figures ---- */

#define FIG_TOP 8.0  /* the chart's title sits this far under what precedes it */

/* The figure with its caption and the space around it; *cap gets the
 * caption's layout when not NULL. */
static double figure_height(rs_doc_lay *L, const rs_doc_block *b, PangoLayout **cap) {
  char *label = g_strdup_printf("%s %s.", rs_doc_tr(L->d, "Figur", "Figure"), b->number);
  char *m = b->text && *b->text ? g_markup_printf_escaped("<b>%s</b> %s", label, b->text)
                                : g_markup_printf_escaped("<b>%s</b>", label);
  PangoLayout *l = rs_doc_layout(L, m, TRUE, 9, FALSE, RS_DOC_TEXT_W);
  double h = FIG_TOP + b->height + 5 + rs_doc_layout_height(l) + 12;
  g_free(label);
  g_free(m);
  if (cap)
    *cap = l;
  else
    g_object_unref(l);
  return h;
}

static void place_figure(rs_doc_lay *L, const rs_doc_block *b) {
  rs_doc_begin_block(L);
  PangoLayout *cap;
  double need = figure_height(L, b, &cap);
  if (!L->empty && need - 12 > rs_doc_room(L)) rs_doc_new_page(L);
  if (L->render) {
    GError *e = NULL;
    /* The chart keeps a margin inside its canvas; widen the canvas by it so
     * that the chart's title and axis labels line up with the body text. */
    rs_plot_style st;
    rs_plot_style_for_width(&st, RS_DOC_TEXT_W / RS_DOC_CM);
    double top = L->y + FIG_TOP;
    rs_plot *p = rs_plot_new_for_cairo(L->cr, RS_DOC_LEFT - st.margin, top - st.margin, RS_DOC_TEXT_W + 2 * st.margin,
                                       b->height + st.margin, L->d->lang, &e);
    gboolean ok = p != NULL;
    if (ok && b->draw) {
      ok = b->draw(p, b->data, &e);
      if (!ok && !e)
        g_set_error(&e, RS_ERROR, RS_ERROR_INTERNAL, "figure %s could not be drawn", b->number);
    }
    rs_plot_free(p);
    if (ok && cairo_status(L->cr) != CAIRO_STATUS_SUCCESS) {
      ok = FALSE;
      g_set_error(&e, RS_ERROR, RS_ERROR_INTERNAL, "figure %s: %s", b->number,
                  cairo_status_to_string(cairo_status(L->cr)));
    }
    if (!ok) {
      g_prefix_error(&e, "%s %s: ", rs_doc_tr(L->d, "Figur", "Figure"), b->number);
      L->err = e;
    }
    rs_doc_set_rgb(L, MUTED_GREY);
    rs_doc_draw_layout(L, cap, RS_DOC_LEFT, top + b->height + 5);
  }
  L->y += need;
  L->empty = FALSE;
  g_object_unref(cap);
}

/* ---- dispatch ---- */

void rs_doc_place_block(rs_doc_lay *L, guint i) {
  rs_doc_block *b = g_ptr_array_index(L->d->blocks, i);
  switch (b->kind) {
    case RS_BLK_TITLE: place_title(L, b); break;
    case RS_BLK_TOC: place_toc(L); break;
    case RS_BLK_HEADING: place_heading(L, i); break;
    case RS_BLK_PARA: place_para(L, b); break;
    case RS_BLK_BULLET: place_bullet(L, i); break;
    case RS_BLK_TABLE: rs_doc_begin_block(L); rs_doc_place_table(L, b); break;
    case RS_BLK_FIGURE: place_figure(L, b); break;
    case RS_BLK_BREAK:
      if (L->page > 0 && !L->empty) L->break_pending = TRUE;
      break;
  }
}
