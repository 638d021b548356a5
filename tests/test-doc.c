/* test-doc.c — the PDF document engine (report/doc.h) and charts drawn on
 * a page region (rs_plot_new_for_cairo, plots/plot.h).
 *
 * Builds a county-report-like document in Norwegian — title page, table
 * of contents, three chapters with æ ø å, a 121-row kommune table with
 * suppressed cells (report/disclosure.h) and confidence intervals, a
 * prepost chart — and reads the PDF back with poppler-utils the way a
 * person would: pdfinfo (page count), pdffonts (every font embedded),
 * pdftotext -layout page by page (running header and "Side N av M" on
 * pages 2..M, none on the title page; the table's header row on every
 * page it runs over; the contents' page numbers against the pages the
 * headings are really on).  Failure paths: an unwritable path, invalid
 * markup and a failing chart give an error and leave no file (and an
 * earlier file untouched).  Expected values are the document's own
 * content (strings put in) and, for the page count, what the pages were
 * looked at to hold (pdftoppm -r 60, see the commit message): 1 title +
 * 1 contents + chapter 1 (1 page) + chapter 2 (table over 4 pages) +
 * chapter 3 (1 page) = 7.
 * RS_DOC_KEEP=DIR keeps the PDFs in DIR for looking at.
 */
#define _GNU_SOURCE  /* memmem */
#include "analysis/plotdata.h"
#include "plots/plot.h"
#include "report/doc.h"
#include "tests/tap.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EXPECTED_PAGES 7
#define NKOMMUNER 120

static char *tmpdir;

/* Runs argv; its standard output (g_free), or NULL when it failed. */
static char *run(const char *const *argv) {
  char *out = NULL;
  int status = 0;
  GError *e = NULL;
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                    NULL, &status, &e)) {
    diag("cannot run %s: %s", argv[0], e->message);
    g_error_free(e);
    return NULL;
  }
  if (!g_spawn_check_wait_status(status, NULL)) {
    g_free(out);
    return NULL;
  }
  return out;
}

static char *page_text(const char *pdf, int page) {
  char num[16];
  snprintf(num, sizeof num, "%d", page);
  const char *argv[] = {"pdftotext", "-layout", "-f", num, "-l", num, pdf, "-", NULL};
  return run(argv);
}

static int pdf_pages(const char *pdf) {
  const char *argv[] = {"pdfinfo", pdf, NULL};
  char *out = run(argv);
  int n = -1;
  const char *p = out ? strstr(out, "\nPages:") : NULL;
  if (p) n = atoi(p + 7);
  g_free(out);
  return n;
}


/* Words of a page (pdftotext -bbox) that leave the text column
 * [left, right] or overlap another word on the same line: a number
 * overflowing its cell runs into its neighbour or past the margin. */
typedef struct { double v[4]; } wbox;

static void check_boxes(const char *pdf, int npages, const char *what) {
  const char *argv[] = {"pdftotext", "-bbox", pdf, "-", NULL};
  char *html = run(argv);
  GRegex *re = g_regex_new("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)<",
                           0, 0, NULL);
  int outside = 0, overlaps = 0, words = 0, pages = 0;
  char **pagev = html ? g_strsplit(html, "<page ", -1) : g_new0(char *, 1);
  for (char **pg = pagev; *pg; pg++) {
    if (pg == pagev) continue;  /* before the first page */
    pages++;
    GArray *box = g_array_new(FALSE, FALSE, sizeof(wbox));
    GMatchInfo *mi;
    g_regex_match(re, *pg, 0, &mi);
    while (g_match_info_matches(mi)) {
      wbox wb;
      double *b = wb.v;
      for (int k = 0; k < 4; k++) {
        char *v = g_match_info_fetch(mi, k + 1);
        b[k] = g_ascii_strtod(v, NULL);
        g_free(v);
      }
      words++;
      if (b[0] < 56.69 - 1 || b[2] > 595.28 - 56.69 + 1) {
        char *w = g_match_info_fetch(mi, 5);
        if (outside++ < 3) diag("%s page %d: '%s' outside the text column (%.1f..%.1f)", what, pages, w, b[0], b[2]);
        g_free(w);
      }
      g_array_append_val(box, wb);
      g_match_info_next(mi, NULL);
    }
    g_match_info_free(mi);
    for (guint i = 0; i < box->len; i++)
      for (guint j = i + 1; j < box->len; j++) {
        const double *a = g_array_index(box, wbox, i).v, *b = g_array_index(box, wbox, j).v;
        double ox = MIN(a[2], b[2]) - MAX(a[0], b[0]), oy = MIN(a[3], b[3]) - MAX(a[1], b[1]);
        if (ox > 0.5 && oy > 0.5 * MIN(a[3] - a[1], b[3] - b[1])) {
          if (overlaps++ < 3) diag("%s page %d: words overlap at x %.1f, y %.1f", what, pages, a[0], a[1]);
        }
      }
    g_array_unref(box);
  }
  g_strfreev(pagev);
  g_regex_unref(re);
  g_free(html);
  ok(pages == npages && words > 100 && outside == 0, "%s: all %d words inside the 17 cm text column", what, words);
  ok(overlaps == 0, "%s: no two words overlap (%d)", what, overlaps);
}


/* A line with runs of spaces made one space (pdftotext -layout keeps the
 * gap between a heading's number and text). g_free. */
static char *squeeze(const char *line) {
  char **parts = g_strsplit_set(line, " ", -1);
  GString *g = g_string_new(NULL);
  for (char **x = parts; *x; x++)
    if (**x) g_string_append_printf(g, "%s%s", g->len ? " " : "", *x);
  g_strfreev(parts);
  return g_string_free(g, FALSE);
}

/* The page number the contents give for heading "num text", or -1. */
static int toc_entry_page(const char *toc, const char *num, const char *text) {
  int page = -1;
  char *prefix = g_strdup_printf("%s %s ", num, text);
  char **lines = g_strsplit(toc ? toc : "", "\n", -1);
  for (char **l = lines; *l; l++) {
    char *s = squeeze(*l);
    if (g_str_has_prefix(s, prefix)) page = atoi(strrchr(s, ' ') + 1);
    g_free(s);
  }
  g_strfreev(lines);
  g_free(prefix);
  return page;
}

/* The first page from `from` on with a line that is exactly "num text", or -1. */
static int heading_page(char **pages, int n, int from, const char *num, const char *text) {
  char *want = g_strdup_printf("%s %s", num, text);
  int found = -1;
  for (int i = from; i <= n && found < 0; i++) {
    char **lines = g_strsplit(pages[i] ? pages[i] : "", "\n", -1);
    for (char **l = lines; *l && found < 0; l++) {
      char *s = squeeze(*l);
      if (strcmp(s, want) == 0) found = i;
      g_free(s);
    }
    g_strfreev(lines);
  }
  g_free(want);
  return found;
}

/* The smallest xMin of the words on `page` starting with `prefix`, and
 * how many there are. */
static double words_min_x(const char *pdf, int page, const char *prefix, int *count) {
  char num[16];
  snprintf(num, sizeof num, "%d", page);
  const char *argv[] = {"pdftotext", "-bbox", "-f", num, "-l", num, pdf, "-", NULL};
  char *html = run(argv);
  char *pat = g_strdup_printf("<word xMin=\"([0-9.]+)\"[^>]*>%s", prefix);
  GRegex *re = g_regex_new(pat, 0, 0, NULL);
  GMatchInfo *mi;
  double minx = 1e9;
  *count = 0;
  g_regex_match(re, html ? html : "", 0, &mi);
  while (g_match_info_matches(mi)) {
    char *v = g_match_info_fetch(mi, 1);
    minx = MIN(minx, g_ascii_strtod(v, NULL));
    g_free(v);
    (*count)++;
    g_match_info_next(mi, NULL);
  }
  g_match_info_free(mi);
  g_regex_unref(re);
  g_free(pat);
  g_free(html);
  return minx;
}

/* ---- the document ---- */

static const char *names[] = {"Bergen", "Ålesund", "Bø", "Tromsø", "Kåfjord – Gáivuotna – Kaivuono", "Øygarden",
                              "Porsanger – Porsáŋgu – Porsanki", "Fræna", "Hå", "Sør-Varanger", "Æsøy"};

static rs_pubtable *kommune_table(void) {
  size_t nr = NKOMMUNER + 1;
  rs_pubtable *t = rs_pubtable_new("kommunetabell", "Barn med koordinator og tilfredshet etter kommune, 2024", nr, 4);
  rs_pubtable_set_stub(t, "Kommune", "Kommunenr.");
  rs_pubtable_set_col(t, 0, "barn", "Barn 0–17 år", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 1, "koordinator", "Barn med koordinator", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 2, "andel", "Andel med koordinator", "%", RS_COL_SHARE, 1, true, RS_ROLE_UNIT);
  rs_pubtable_set_col(t, 3, "tilfredshet", "Tilfredshet", "skala 1–5", RS_COL_MEAN, 2, true, RS_ROLE_UNIT);
  size_t *parts = g_new(size_t, NKOMMUNER);
  double sum_children = 0, sum_coord = 0;
  for (size_t i = 0; i < NKOMMUNER; i++) {
    char code[8], *label = g_strdup_printf("%s %zu", names[i % G_N_ELEMENTS(names)], i + 1);
    snprintf(code, sizeof code, "%04zu", 4601 + i);
    rs_pubtable_set_row(t, i, code, label, RS_ROLE_UNIT);
    g_free(label);
    double children = 150 + (double)((i * 7919) % 24000), coord = (double)((i * 37) % 61);
    rs_pubtable_set(t, i, 0, children, NAN, NAN, RS_N_PUBLIC);
    rs_pubtable_set_count(t, i, 1, coord);
    double share = 100 * coord / children;
    rs_pubtable_set(t, i, 2, share, share * 0.8, share * 1.2, coord);
    double mean = 2.5 + (double)(i % 17) / 10;
    rs_pubtable_set(t, i, 3, mean, mean - 0.4, mean + 0.4, coord);
    sum_children += children;
    sum_coord += coord;
    parts[i] = i;
  }
  rs_pubtable_set_row(t, NKOMMUNER, "46", "Vestland i alt", RS_ROLE_TOTAL);
  rs_pubtable_set(t, NKOMMUNER, 0, sum_children, NAN, NAN, RS_N_PUBLIC);
  rs_pubtable_set_count(t, NKOMMUNER, 1, sum_coord);
  rs_pubtable_set(t, NKOMMUNER, 2, 100 * sum_coord / sum_children, 1.1, 1.3, sum_coord);
  rs_pubtable_set(t, NKOMMUNER, 3, 3.1, 3.0, 3.2, sum_coord);
  rs_pubtable_sum_rows(t, 1, NKOMMUNER, parts, NKOMMUNER);
  g_free(parts);
  rs_pubtable_add_note(t, "Kilde: simulerte data.  : = prikket (færre enn 5 barn eller for å skjule slike celler), "
                          "- = null, . = kan ikke beregnes.");
  rs_disclosure_suppress(t, RS_DISCLOSURE_MIN_N, NULL, NULL);
  return t;
}

static rs_plotdata_est *prepost_data(void) {
  rs_plotdata_est *d = g_new0(rs_plotdata_est, 1);
  d->var_label = g_strdup("Samarbeid med tjenestene (skala 1–5)");
  d->series_title = g_strdup("Periode");
  d->n_rows = 3;
  d->n_series = 2;
  d->rows = g_new0(char *, 4);
  d->rows[0] = g_strdup("Ingen koordinator");
  d->rows[1] = g_strdup("Koordinator");
  d->rows[2] = g_strdup("Barnekoordinator");
  d->series = g_new0(char *, 2);
  d->series[0] = g_strdup("Før reformen");
  d->series[1] = g_strdup("Etter reformen");
  d->points = g_new0(rs_plotdata_point, 6);
  for (size_t k = 0; k < 6; k++) {
    double e = 2.8 + 0.2 * (double)k;
    d->points[k] = (rs_plotdata_point){NULL, NULL, 40 + k, e, 0.1, e - 0.2, e + 0.2};
  }
  d->n_total = 255;
  d->method = g_strdup("Gjennomsnitt med 95 % konfidensintervall (t)");
  d->scale_lo = 1;
  d->scale_hi = 5;
  d->reference = NAN;
  return d;
}

static int drawn;  /* how many times a figure was drawn */

static gboolean draw_prepost(rs_plot *p, void *data, GError **err) {
  drawn++;
  return rs_plot_prepost(p, data, err);
}

static gboolean draw_fails(rs_plot *p, void *data, GError **err) {
  (void)p;
  (void)data;
  g_set_error(err, g_quark_from_static_string("test"), 1, "the chart has no data");
  return FALSE;
}

static void free_est(void *p) { rs_plotdata_est_free(p); }

static const char *lorem =
  "Koordineringsreformen trådte i kraft 1. august 2022. Familier med barn som har alvorlig sykdom, skade eller "
  "nedsatt funksjonsevne fikk rett til en <b>barnekoordinator</b>. Denne rapporten sammenligner kommunene i fylket: "
  "hvor mange barn som har fått koordinator, hvordan foreldrene opplever <i>samarbeidet</i> med tjenestene, og "
  "hvor stor belastning koordinatorene bærer. Små tall er prikket slik at ingen familie kan kjennes igjen; "
  "særlig i små kommuner som Bø, Hå og Kåfjord – Gáivuotna – Kaivuono er mange celler skjult.";

static rs_doc *county_doc(const char *lang) {
  gboolean en = g_strcmp0(lang, "en") == 0;
  rs_doc *d = rs_doc_new(lang, "Vestland – koordineringsreformen");
  rs_doc_set_metadata(d, "Koordineringsreformen i Vestland", "Statsforvalteren i Vestland", "Fylkesrapport");
  rs_doc_title_page(d, "Koordineringsreformen i Vestland", "Fylkesrapport for 2019–2024",
                    "Laget med <b>reformstat</b> på simulerte data.\nStatsforvalteren i Vestland, desember 2026.");
  rs_doc_toc(d);
  rs_doc_heading(d, 1, en ? "Introduction" : "Innledning");
  for (int i = 0; i < 3; i++) rs_doc_paragraph(d, lorem);
  rs_doc_heading(d, 2, "Data og metode");
  rs_doc_paragraph(d, lorem);
  rs_doc_bullet(d, "Første punkt: <b>familieundersøkelsen</b>.");
  GString *longb = g_string_new("Andre punkt, langt nok til å bryte linjen:");
  for (int i = 1; i <= 40; i++) g_string_append_printf(longb, " punkt%02d", i);
  rs_doc_bullet(d, longb->str);
  g_string_free(longb, TRUE);
  rs_doc_bullet(d, "Tredje punkt.");
  rs_doc_paragraph(d, "Etter listen.");
  rs_doc_heading(d, 1, "Kommunetabell");
  rs_doc_paragraph(d, "Tabellen viser alle kommunene i fylket. Prikkede celler er merket med kolon (:).");
  rs_pubtable *t = kommune_table();
  rs_doc_table(d, t);
  rs_pubtable_free(t);  /* the document keeps its own copy */
  rs_doc_heading(d, 1, "Opplevd samarbeid før og etter reformen");
  rs_doc_paragraph(d, lorem);
  rs_doc_heading(d, 2, "Foreldrenes svar");
  rs_doc_figure(d, 9, draw_prepost, prepost_data(), free_est,
                "Foreldrenes vurdering av samarbeidet med tjenestene før og etter reformen, etter type koordinator.");
  rs_doc_paragraph(d, lorem);
  return d;
}

/* ---- checks ---- */

static void check_county_pdf(const char *pdf, int npages) {
  ok(npages == EXPECTED_PAGES, "nb report: %d pages (want %d)", npages, EXPECTED_PAGES);
  ok(pdf_pages(pdf) == npages, "pdfinfo agrees: %d pages", pdf_pages(pdf));

  const char *fargv[] = {"pdffonts", pdf, NULL};
  char *fonts = run(fargv);
  int nfonts = 0, nemb = 0;
  if (fonts) {
    char **lines = g_strsplit(fonts, "\n", -1);
    for (char **l = lines + 2; *l && **l; l++) {  /* past the two header lines */
      char **tok = g_strsplit_set(*l, " ", -1);
      GPtrArray *w = g_ptr_array_new();
      for (char **x = tok; *x; x++)
        if (**x) g_ptr_array_add(w, *x);
      nfonts++;
      if (w->len >= 5 && strcmp(g_ptr_array_index(w, w->len - 5), "yes") == 0) nemb++;  /* emb: 5th from the end */
      g_ptr_array_free(w, TRUE);
      g_strfreev(tok);
    }
    g_strfreev(lines);
  }
  ok(nfonts > 0 && nemb == nfonts, "pdffonts: %d of %d fonts embedded", nemb, nfonts);
  g_free(fonts);

  char **pages = g_new0(char *, npages + 2);
  for (int i = 1; i <= npages; i++) pages[i] = page_text(pdf, i);
  ok(pages[1] && strstr(pages[1], "Fylkesrapport for 2019–2024") && !strstr(pages[1], "Side 1") &&
       !strstr(pages[1], "Vestland – koordineringsreformen"),
     "title page: title, no running header, no page number");
  int furniture = 0;
  for (int i = 2; i <= npages; i++) {
    char *want = g_strdup_printf("Side %d av %d", i, npages);
    if (pages[i] && strstr(pages[i], want) && strstr(pages[i], "Vestland – koordineringsreformen")) furniture++;
    else diag("page %d lacks '%s' or the running header", i, want);
    g_free(want);
  }
  ok(furniture == npages - 1, "running header and 'Side N av %d' on pages 2..%d (%d of %d)", npages, npages, furniture,
     npages - 1);

  /* contents: every heading of level 1-2 with the page it is on */
  const char *heads[][2] = {{"1", "Innledning"}, {"1.1", "Data og metode"}, {"2", "Kommunetabell"},
                            {"3", "Opplevd samarbeid før og etter reformen"}, {"3.1", "Foreldrenes svar"}};
  ok(pages[2] && strstr(pages[2], "Innhold"), "page 2 is the table of contents");
  for (size_t h = 0; h < G_N_ELEMENTS(heads); h++) {
    int toc_page = toc_entry_page(pages[2], heads[h][0], heads[h][1]);
    int real_page = heading_page(pages, npages, 3, heads[h][0], heads[h][1]);
    ok(toc_page > 2 && toc_page == real_page, "contents: '%s %s' on page %d, found on page %d", heads[h][0],
       heads[h][1], toc_page, real_page);
  }

  /* a bulleted list: wrapped lines hang under the text, not the bullet */
  int nw = 0;
  double bx = words_min_x(pdf, 3, "punkt[0-9]", &nw);
  ok(nw == 40 && bx > 56.69 + 13, "bullet item: its %d words wrapped at x >= %.1f (text column at 56.7)", nw, bx);
  ok(pages[3] && strstr(pages[3], "• Første punkt: familieundersøkelsen.") && strstr(pages[3], "• Tredje punkt."),
     "bullets are printed");

  /* the table: over >= 3 pages, the header row on each */
  int table_pages = 0, with_header = 0, cont = 0;
  for (int i = 3; i <= npages; i++) {
    if (!pages[i] || !(strstr(pages[i], "4601") || strstr(pages[i], "Bergen ") || strstr(pages[i], "Æsøy "))) continue;
    if (!strstr(pages[i], "4602") && !strstr(pages[i], "47") && !strstr(pages[i], "Vestland i alt")) continue;
    table_pages++;
    if (strstr(pages[i], "Kommunenr.") && strstr(pages[i], "Kommune ") && strstr(pages[i], "95 % KI")) with_header++;
    if (strstr(pages[i], "Tabell 1 (forts.)")) cont++;
  }
  ok(table_pages >= 3, "the 121-row table runs over %d pages (>= 3)", table_pages);
  ok(with_header == table_pages, "its header row is on each of them (%d of %d)", with_header, table_pages);
  ok(cont == table_pages - 1, "'Tabell 1 (forts.)' on each page after the first (%d)", cont);
  GString *all = g_string_new(NULL);
  for (int i = 1; i <= npages; i++)
    if (pages[i]) g_string_append(all, pages[i]);
  ok(strstr(all->str, "Tabell 1. Barn med koordinator og tilfredshet etter kommune, 2024") != NULL, "table caption");
  ok(strstr(all->str, "Porsanger –") && strstr(all->str, "Porsáŋgu") && strstr(all->str, "Porsanki 7"),
     "a long Sámi kommune name survives whole (wrapped in its cell)");
  ok(strstr(all->str, " : ") != NULL, "suppressed cells print ':'");
  ok(strstr(all->str, "[2,20; 3,00]") != NULL, "a CI in nb format [lo; hi] (row 2: 2,60 ± 0,4)");
  ok(strstr(all->str, "Vestland i alt") != NULL, "the total row");
  ok(strstr(all->str, "Kilde: simulerte data.") != NULL, "the table's note");
  ok(strstr(all->str, "Figur 1. Foreldrenes vurdering") != NULL, "figure caption");
  ok(strstr(all->str, "Barnekoordinator") != NULL && strstr(all->str, "Etter reformen") != NULL,
     "the chart's labels are in the PDF (drawn by plots/ as text)");
  ok(strstr(all->str, "særlig i små kommuner") != NULL, "paragraph text with æ ø å");
  g_string_free(all, TRUE);
  for (int i = 1; i <= npages; i++) g_free(pages[i]);
  g_free(pages);

  /* outline and links, in the file itself (cairo writes them uncompressed) */
  char *bytes = NULL;
  gsize len = 0;
  g_file_get_contents(pdf, &bytes, &len, NULL);
  check_boxes(pdf, npages, "nb report");
  int links = 0;
  const char *link = "/Subtype /Link";
  for (const char *p = bytes; p && (p = memmem(p, len - (gsize)(p - bytes), link, strlen(link))); p++) links++;
  ok(bytes && memmem(bytes, len, "/Type /Outlines", 15) != NULL, "the PDF has an outline");
  ok(links == 5, "the contents' 5 entries are links (%d)", links);
  g_free(bytes);
}


/* A wide table: 10 columns with CIs (21 printed columns) of large numbers. */
static rs_pubtable *wide_table(size_t nrows) {
  rs_pubtable *t = rs_pubtable_new("bred", "Bred tabell med mange kolonner", nrows, 10);
  rs_pubtable_set_stub(t, "Kommune", NULL);
  for (size_t c = 0; c < 10; c++) {
    char *label = g_strdup_printf("Utgifter til koordinering år %zu", 2015 + c);
    rs_pubtable_set_col(t, c, "x", label, "kr", RS_COL_MEAN, 1, true, RS_ROLE_UNIT);
    g_free(label);
  }
  for (size_t r = 0; r < nrows; r++) {
    rs_pubtable_set_row(t, r, NULL, names[r % G_N_ELEMENTS(names)], RS_ROLE_UNIT);
    for (size_t c = 0; c < 10; c++) {
      double v = 1234567.89 * (double)(r + 1) + (double)c;
      rs_pubtable_set(t, r, c, v, v - 1000, v + 1000, 50);
    }
  }
  return t;
}

/* Pages as text, [1..n]. */
static char **all_pages(const char *pdf, int n) {
  char **p = g_new0(char *, n + 2);
  for (int i = 1; i <= n; i++) p[i] = page_text(pdf, i);
  return p;
}

static void free_pages(char **p, int n) {
  for (int i = 1; i <= n; i++) g_free(p[i]);
  g_free(p);
}

/* The last non-empty line above the page number. */
static char *last_body_line(const char *page) {
  char **lines = g_strsplit(page, "\n", -1);
  char *last = NULL;
  for (char **l = lines; *l; l++) {
    char *s = g_strstrip(g_strdup(*l));
    if (*s && !g_str_has_prefix(s, "Side ")) {
      g_free(last);
      last = s;
    } else g_free(s);
  }
  g_strfreev(lines);
  return last ? last : g_strdup("");
}

static int count_str(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p++) n++;
  return n;
}

/* Many short sections mixing paragraphs, small tables and figures, so
 * that headings, captions and figures land near page bottoms. */
static void check_stress(void) {
  rs_doc *d = rs_doc_new("nb", "Stresstest");
  rs_doc_toc(d);
  rs_doc_heading(d, 1, "Mange seksjoner");
  rs_pubtable *empty = rs_pubtable_new("tom", "En tom tabell", 0, 2);
  rs_pubtable_set_stub(empty, "Kommune", NULL);
  rs_pubtable_set_col(empty, 0, "n", "Antall", NULL, RS_COL_COUNT, 0, false, RS_ROLE_UNIT);
  rs_pubtable_set_col(empty, 1, "andel", "Andel", "%", RS_COL_SHARE, 1, true, RS_ROLE_UNIT);
  rs_doc_table(d, empty);
  rs_pubtable_free(empty);
  int nfig = 0, ntab = 0;
  for (int i = 1; i <= 24; i++) {
    char *h = g_strdup_printf("Seksjon %d", i);
    rs_doc_heading(d, 2, h);
    g_free(h);
    GString *para = g_string_new(NULL);
    for (int k = 0; k < 1 + (i * 5) % 7; k++) g_string_append(para, "Dette er en setning om samarbeid og koordinering. ");
    rs_doc_paragraph(d, para->str);
    g_string_free(para, TRUE);
    if (i % 3 == 0) {
      rs_pubtable *t = wide_table(3 + (size_t)i % 5);
      rs_doc_table(d, t);
      rs_pubtable_free(t);
      ntab++;
    }
    if (i % 4 == 1) {
      rs_doc_figure(d, 7, draw_prepost, prepost_data(), free_est, "Stressfigur.");
      nfig++;
    }
  }
  GString *big = g_string_new(NULL);
  for (int k = 0; k < 120; k++) g_string_append_printf(big, "Lang tekst, setning S%03d om æ, ø og å. ", k + 1);
  rs_doc_heading(d, 1, "Lang tekst");
  rs_doc_paragraph(d, big->str);
  g_string_free(big, TRUE);
  char *pdf = g_build_filename(tmpdir, "stress.pdf", NULL);
  int n = 0;
  GError *err = NULL;
  gboolean w = rs_doc_write_pdf(d, pdf, &n, &err);
  ok(w, "stress document written (%d pages)%s%s", n, err ? ": " : "",
     err ? err->message : "");
  g_clear_error(&err);
  rs_doc_free(d);
  char **pages = all_pages(pdf, n);
  int heading_last = 0, figs_whole = 0, caps = 0, tab_caps = 0, tab_ok = 0, sentences = 0;
  for (int i = 1; i <= n; i++) {
    if (!pages[i]) continue;
    char *last = last_body_line(pages[i]);
    if (g_regex_match_simple("^[0-9]+\\.[0-9]+ +Seksjon [0-9]+$", last, 0, 0)) {
      heading_last++;
      diag("page %d ends with the heading '%s'", i, last);
    }
    /* every caption on the page has its chart (the chart's title) on the same page */
    int c = count_str(pages[i], "Stressfigur."), charts = count_str(pages[i], "Samarbeid med tjenestene");
    caps += c;
    if (c == charts) figs_whole += c;
    else diag("page %d: %d figure captions, %d chart titles", i, c, charts);
    /* a table caption comes with its header and first rows */
    int tc = count_str(pages[i], "Bred tabell med mange kolonner");
    tab_caps += tc;
    if (tc > 0 && count_str(pages[i], "95 % KI") >= 10 * tc) tab_ok += tc;
    g_free(last);
    for (int k = 1; k <= 120; k++) {
      char *want = g_strdup_printf("S%03d", k);
      sentences += strstr(pages[i], want) != NULL;
      g_free(want);
    }
  }
  ok(heading_last == 0, "no page ends with a heading (%d do)", heading_last);
  ok(caps == nfig && figs_whole == nfig, "%d of %d figures on one page with their caption", figs_whole, nfig);
  ok(tab_caps == ntab && tab_ok == ntab, "%d of %d table captions with their header row", tab_ok, ntab);
  ok(sentences == 120, "the page-long paragraph: all 120 sentences printed (%d)", sentences);
  int toc_right = 0;
  for (int k = 1; k <= 24; k++) {
    char num[16], text[32];
    snprintf(num, sizeof num, "1.%d", k);
    snprintf(text, sizeof text, "Seksjon %d", k);
    int tp = toc_entry_page(pages[1], num, text), hp = heading_page(pages, n, 2, num, text);
    if (tp > 1 && tp == hp) toc_right++;
    else diag("contents give page %d for %s %s, found on page %d", tp, num, text, hp);
  }
  ok(toc_right == 24, "contents: %d of 24 section page numbers right", toc_right);
  ok(strstr(pages[2], "Tabell 1. En tom tabell") && strstr(pages[2], "Antall"), "an empty table: caption and header");
  free_pages(pages, n);
  check_boxes(pdf, n, "stress document (21-column tables)");
  if (!getenv("RS_DOC_KEEP")) g_remove(pdf);
  g_free(pdf);
}

int main(void) {
  g_setenv("SOURCE_DATE_EPOCH", "1764633600", TRUE);
  const char *keep = getenv("RS_DOC_KEEP");
  tmpdir = keep ? g_strdup(keep) : g_dir_make_tmp("test-doc-XXXXXX", NULL);
  char *pdf = g_build_filename(tmpdir, "vestland.pdf", NULL);
  gboolean tools = TRUE;
  const char *needed[] = {"pdftotext", "pdfinfo", "pdffonts"};
  for (size_t i = 0; i < G_N_ELEMENTS(needed); i++) {
    char *where = g_find_program_in_path(needed[i]);
    tools = tools && where;
    g_free(where);
  }

  rs_doc *d = county_doc("nb");
  int npages = 0;
  GError *err = NULL;
  gboolean w = rs_doc_write_pdf(d, pdf, &npages, &err);
  ok(w && !err, "nb report written%s%s", err ? ": " : "", err ? err->message : "");
  g_clear_error(&err);
  ok(drawn == 1, "the figure was drawn once (%d)", drawn);
  if (tools) check_county_pdf(pdf, npages);
  else skip_test("poppler-utils (pdftotext, pdfinfo, pdffonts) not installed");

  if (tools) check_stress();
  else skip_test("poppler-utils not installed");

  /* the same document again: byte-identical */
  char *again = g_build_filename(tmpdir, "again.pdf", NULL), *a = NULL, *b = NULL;
  gsize la = 0, lb = 0;
  ok(rs_doc_write_pdf(d, again, NULL, NULL), "written a second time");
  g_file_get_contents(pdf, &a, &la, NULL);
  g_file_get_contents(again, &b, &lb, NULL);
  ok(a && b && la == lb && memcmp(a, b, la) == 0, "deterministic: the same bytes twice (%zu bytes)", la);
  g_free(a);
  g_free(b);
  g_free(again);
  rs_doc_free(d);

  /* English words */
  d = county_doc("en");
  char *en = g_build_filename(tmpdir, "en.pdf", NULL);
  ok(rs_doc_write_pdf(d, en, &npages, NULL), "en report written (%d pages)", npages);
  if (tools) {
    char *p2 = page_text(en, 2), *p3 = page_text(en, 3);
    char *want = g_strdup_printf("Page 3 of %d", npages);
    ok(p2 && strstr(p2, "Contents") && p3 && strstr(p3, want) && strstr(p3, "1 Introduction"),
       "en: 'Contents', '%s', heading", want);
    g_free(want);
    g_free(p2);
    g_free(p3);
  } else skip_test("poppler-utils not installed");
  g_free(en);
  rs_doc_free(d);

  /* failures leave no file */
  d = county_doc("nb");
  const char *bad = "/nonexistent-dir-rs/report.pdf";
  err = NULL;
  w = rs_doc_write_pdf(d, bad, NULL, &err);
  ok(!w && err && !g_file_test(bad, G_FILE_TEST_EXISTS),
     "unwritable path: error (%s), no file", err ? err->message : "none");
  g_clear_error(&err);
  rs_doc_free(d);

  char *old = g_build_filename(tmpdir, "old.pdf", NULL);
  g_file_set_contents(old, "earlier report", -1, NULL);
  d = rs_doc_new("nb", NULL);
  rs_doc_paragraph(d, "Før figuren.");
  rs_doc_figure(d, 6, draw_fails, NULL, NULL, "Virker ikke");
  w = rs_doc_write_pdf(d, old, NULL, &err);
  ok(!w && err && strstr(err->message, "the chart has no data"),
     "a failing chart fails the document (%s)", err ? err->message : "no error");
  g_clear_error(&err);
  char *content = NULL;
  g_file_get_contents(old, &content, NULL, NULL);
  ok(content && strcmp(content, "earlier report") == 0, "the earlier file at the path is untouched");
  g_free(content);
  rs_doc_free(d);

  d = rs_doc_new("nb", NULL);
  rs_doc_paragraph(d, "Feil <b>markup");
  char *bm = g_build_filename(tmpdir, "badmarkup.pdf", NULL);
  w = rs_doc_write_pdf(d, bm, NULL, &err);
  ok(!w && err && strstr(err->message, "markup") &&
       !g_file_test(bm, G_FILE_TEST_EXISTS),
     "invalid markup: error (%s), no file", err ? err->message : "none");
  g_clear_error(&err);
  rs_doc_free(d);
  g_free(bm);

  d = rs_doc_new("en", NULL);
  char *empty = g_build_filename(tmpdir, "empty.pdf", NULL);
  npages = 0;
  ok(rs_doc_write_pdf(d, empty, &npages, NULL) && npages == 1 && (!tools || pdf_pages(empty) == 1),
     "an empty document is one blank page (%d)", npages);
  g_remove(empty);
  g_free(empty);
  rs_doc_free(d);

  /* no temporary files left behind by any of it */
  GDir *dir = g_dir_open(tmpdir, 0, NULL);
  int tmps = 0;
  for (const char *n; dir && (n = g_dir_read_name(dir));) tmps += g_str_has_prefix(n, ".");
  if (dir) g_dir_close(dir);
  ok(tmps == 0, "no temporary files left in the directory (%d)", tmps);

  /* a chart on a page region: the cairo state is restored afterwards */
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 300);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 0, 0);
  cairo_paint(cr);
  rs_plot *p = rs_plot_new_for_cairo(cr, 100, 50, 250, 200, "en", &err);
  rs_plotdata_est *est = prepost_data();
  ok(p && rs_plot_width(p) == 250 && rs_plot_height(p) == 200 && strcmp(rs_plot_lang(p), "en") == 0 &&
       rs_plot_prepost(p, est, &err),
     "rs_plot_new_for_cairo: a 250 x 200 pt canvas, prepost drawn");
  rs_plot_free(p);
  rs_plotdata_est_free(est);
  double x = 5, y = 5;
  cairo_user_to_device(cr, &x, &y);
  ok(x == 5 && y == 5, "the caller's transformation is restored");
  cairo_surface_flush(s);
  unsigned char *px = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  guint32 outside = *(guint32 *)(px + 20 * stride + 20 * 4), corner = *(guint32 *)(px + 55 * stride + 105 * 4);
  ok((outside & 0xffffff) == 0xff0000, "outside the rectangle the page is untouched (%06x)", outside & 0xffffff);
  ok((corner & 0xffffff) == 0xffffff, "inside it the chart's white background (%06x)", corner & 0xffffff);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  ok(rs_plot_new_for_cairo(NULL, 0, 0, 100, 100, "nb", &err) == NULL && err, "no cairo context: error");
  g_clear_error(&err);

  if (!keep) {
    g_remove(pdf);
    char *f[] = {"again.pdf", "en.pdf", "old.pdf", NULL};
    for (char **x2 = f; *x2; x2++) {
      char *q = g_build_filename(tmpdir, *x2, NULL);
      g_remove(q);
      g_free(q);
    }
    g_rmdir(tmpdir);
  }
  g_free(old);
  g_free(pdf);
  g_free(tmpdir);
  return done();
}
