/* doc-internal.h — what the files of the document engine share
 * (report/doc.c: the block list and writing; report/doc-layout.c: pages,
 * text, headings, contents, figures; report/doc-table.c: tables).  Not
 * for callers: they use report/doc.h only.
 *
 * Layout runs twice over the same block list with the same measurements:
 * the first pass (render FALSE) draws nothing and records each heading's
 * page and the page count; the second draws with those numbers.  Both
 * passes take every decision by the same code, so they break pages
 * identically — rs_doc_write_pdf checks that they did.
 */
#ifndef RS_DOC_INTERNAL_H
#define RS_DOC_INTERNAL_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/doc.h"

/* A4 portrait in points. */
#define RS_DOC_PAGE_W 595.2756
#define RS_DOC_PAGE_H 841.8898
#define RS_DOC_CM (72.0 / 2.54)
#define RS_DOC_LEFT (2.0 * RS_DOC_CM)
#define RS_DOC_TEXT_W (RS_DOC_PAGE_W - 2 * RS_DOC_LEFT)
#define RS_DOC_TOP (2.4 * RS_DOC_CM)                      /* body starts under the running header */
#define RS_DOC_BOTTOM (RS_DOC_PAGE_H - 2.3 * RS_DOC_CM)   /* body ends above "Side N av M" */
#define RS_DOC_BODY_SIZE 10.0

typedef enum { RS_BLK_TITLE, RS_BLK_TOC, RS_BLK_HEADING, RS_BLK_PARA, RS_BLK_TABLE, RS_BLK_FIGURE, RS_BLK_BREAK,
               RS_BLK_BULLET }
  rs_doc_kind;

typedef struct rs_doc_tab rs_doc_tab;

typedef struct {
  rs_doc_kind kind;
  int level;             /* heading: 1..3 */
  char *number;          /* heading "1.2"; table and figure "3" */
  char *text;            /* heading text, paragraph or bullet markup, title, figure caption */
  char *text2;           /* title page: subtitle */
  char *text3;           /* title page: body markup */
  char *dest;            /* heading: PDF named destination "h7" */
  int page;              /* heading: its page in the last pass */
  rs_doc_tab *table;
  double height;         /* figure, points */
  rs_doc_draw_fn draw;
  void *data;
  GDestroyNotify free_data;
} rs_doc_block;

struct rs_doc {
  char *lang;
  gboolean en;
  char *header;          /* running header, or NULL */
  char *meta_title, *meta_author, *meta_subject;
  GPtrArray *blocks;     /* of rs_doc_block* */
  int counters[3];       /* heading numbers */
  int ntables, nfigures, nheadings;
  char *problem;         /* first invalid markup, reported by rs_doc_write_pdf */
};

/* One layout pass. */
typedef struct {
  rs_doc *d;
  cairo_t *cr;
  cairo_surface_t *surface;
  PangoContext *pango;   /* one context for the pass: 72 dpi, unhinted metrics */
  gboolean render;       /* FALSE: measure only */
  int page;              /* current page, 1-based; 0 before the first */
  int total;             /* pages (from the first pass; 0 in it) */
  gboolean plain;        /* the current page is the title page: no header/footer */
  gboolean empty;        /* nothing placed on the current page yet */
  gboolean break_pending;
  double y;              /* top of the free space on the page */
  int outline_parent;    /* outline id of the last level-1 heading */
  GError *err;           /* first failure; layout stops */
} rs_doc_lay;

/* The document's words in its language. */
static inline const char *rs_doc_tr(const rs_doc *d, const char *nb, const char *en) { return d->en ? en : nb; }

/* A layout in the document font (plots/style.h's family) of `size` points,
 * wrapped at `width` (0: one line), text or pango markup. */
PangoLayout *rs_doc_layout(rs_doc_lay *L, const char *text, gboolean markup, double size, gboolean bold,
                           double width);
double rs_doc_layout_height(PangoLayout *l);
double rs_doc_layout_width(PangoLayout *l);
/* Draws l with its top-left corner at (x, y) (render pass only). */
void rs_doc_draw_layout(rs_doc_lay *L, PangoLayout *l, double x, double y);

/* Pages. */
void rs_doc_begin_block(rs_doc_lay *L);   /* first page, or the page a break asked for */
void rs_doc_new_page(rs_doc_lay *L);
static inline double rs_doc_room(const rs_doc_lay *L) { return RS_DOC_BOTTOM - L->y; }
/* Places the lines of l at x from L->y on, breaking pages between lines;
 * at least `keep` lines together at each end of a break (orphans and
 * widows).  Leaves L->y under the last line. */
void rs_doc_flow(rs_doc_lay *L, PangoLayout *l, double x, int keep);

void rs_doc_set_rgb(rs_doc_lay *L, double grey);

/* Tables (doc-table.c). */
rs_doc_tab *rs_doc_table_from_pub(const rs_pubtable *t, gboolean en);
void rs_doc_table_free(rs_doc_tab *t);
/* Height the table needs at the top of what follows a heading: caption,
 * header and its first two rows. */
double rs_doc_table_lead_height(rs_doc_lay *L, const rs_doc_block *b);
void rs_doc_place_table(rs_doc_lay *L, const rs_doc_block *b);

#endif
