/* county-pdf.c — the county report's PDF: the blocks of report/doc.h in
 * reading order (title page, contents, key figures, kommuner,
 * Statsforvalteren's cases, charts, methods) for one fylke. */
#include "report/county-write.h"

#include "datasets/value.h"

#include "plots/its.h"
#include "plots/scatter.h"
#include "plots/tilemap.h"
#include "report/doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TR(nb, en) (en_ ? (en) : (nb))

/* ---- charts: draw functions for rs_doc_figure ------------------------------ */

static gboolean draw_prepost(rs_plot *p, void *d, GError **err) { return rs_plot_prepost(p, d, err); }
static gboolean draw_likert(rs_plot *p, void *d, GError **err) { return rs_plot_likert(p, d, err); }
static gboolean draw_forest(rs_plot *p, void *d, GError **err) { return rs_plot_forest(p, d, err); }
static gboolean draw_scatter(rs_plot *p, void *d, GError **err) { return rs_plot_scatter(p, d, 0, err); }
static gboolean draw_tilemap(rs_plot *p, void *d, GError **err) { return rs_plot_tilemap(p, d, err); }

typedef struct {
  const rs_its *its;
  rs_plot_its_labels l;
  char *title, *subtitle;
} its_fig;

static gboolean draw_its(rs_plot *p, void *d, GError **err) {
  its_fig *f = d;
  return rs_plot_its(p, f->its, &f->l, err);
}
static void its_fig_free(void *d) {
  its_fig *f = d;
  g_free(f->title);
  g_free(f->subtitle);
  g_free(f);
}

/* ---- text ---------------------------------------------------------------- */

static char *today(void) {
  const char *sde = g_getenv("SOURCE_DATE_EPOCH");
  GDateTime *t = sde && *sde ? g_date_time_new_from_unix_utc(g_ascii_strtoll(sde, NULL, 10)) : g_date_time_new_now_local();
  char *s = g_date_time_format(t, "%Y-%m-%d");
  g_date_time_unref(t);
  return s;
}

static char *month_text(int32_t day) {
  char buf[16];
  rs_value_format_date(day, buf);
  buf[7] = '\0';  /* YYYY-MM */
  return g_strdup(buf);
}

static void para(rs_doc *d, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void para(rs_doc *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = g_markup_vprintf_escaped(fmt, ap);
  va_end(ap);
  rs_doc_paragraph(d, s);
  g_free(s);
}

static void title_page(rs_doc *d, const rs_county_context *c, const rs_county *r, const rs_county_files *info) {
  bool en_ = strcmp(rs_county_lang(c), "en") == 0;
  int32_t from, to;
  rs_county_window(c, &from, &to);
  char *title = g_strdup_printf(TR("Koordineringsreformen i %s", "The coordination reform in %s"), r->name);
  char *a = month_text(from), *b = month_text(to), *date = today();
  int y0, y1;
  rs_county_survey_years(c, &y0, &y1);
  char *sub = y0 ? g_strdup_printf(TR("Rapport til Statsforvalteren · fylke %s · spørreundersøkelser %d–%d · "
                                      "registertall %s til %s",
                                      "Report for Statsforvalteren · fylke %s · surveys %d–%d · registry %s to %s"),
                                   r->code, y0, y1, a, b)
                 : g_strdup_printf(TR("Rapport til Statsforvalteren · fylke %s · registertall %s til %s",
                                      "Report for Statsforvalteren · fylke %s · registry %s to %s"), r->code, a, b);
  GString *body = g_string_new(NULL);
  g_string_append_printf(body, "<b>%s</b>\n", TR("Datakilder", "Data sources"));
  static const char *const nb[4] = {"Familieundersøkelsen", "Koordinatorundersøkelsen", "Kommuneregisteret",
                                    "Statsforvalterens saker"};
  static const char *const en[4] = {"Family survey", "Coordinator survey", "Kommune registry", "Statsforvalteren's cases"};
  for (int k = 0; k < 4; k++) {
    const rs_plan_data *pd = info->data[k];
    if (!pd) continue;
    char *base = g_path_get_basename(pd->path);
    char *line = g_markup_printf_escaped("%s: %s, %lld %s\n<span font_family=\"monospace\" size=\"small\">SHA-256 %s</span>\n",
                                         en_ ? en[k] : nb[k], base, pd->rows, TR("rader", "rows"), pd->sha256);
    g_string_append(body, line);
    g_free(line);
    g_free(base);
  }
  char *plan = g_path_get_basename(rs_plan_path(info->plan));
  char *tail = g_markup_printf_escaped(
    TR("\nAnalyseplan: %s (SHA-256 %s)\nLaget med reformstat %s, %s.\nCeller med færre enn %g personer er skjult (:).",
       "\nAnalysis plan: %s (SHA-256 %s)\nMade with reformstat %s, %s.\nCells from fewer than %g persons are suppressed (:)."),
    plan, rs_plan_sha256(info->plan), info->version, date, rs_county_min_n(c));
  g_string_append(body, tail);
  rs_doc_title_page(d, title, sub, body->str);
  char *subject = g_strdup_printf(TR("Koordineringsreformen 1. august 2022: %s", "The coordination reform of 1 August 2022: %s"), r->name);
  char *author = g_strdup_printf("reformstat %s", info->version);
  rs_doc_set_metadata(d, title, author, subject);
  g_free(subject);
  g_free(author);
  g_free(tail);
  g_free(plan);
  g_string_free(body, TRUE);
  g_free(title);
  g_free(sub);
  g_free(a);
  g_free(b);
  g_free(date);
}

static void table_or_note(rs_doc *d, const rs_county *r, const char *id) {
  const rs_pubtable *t = rs_county_table(r, id);
  if (t) rs_doc_table(d, t);
}

static void figure(rs_doc *d, bool ok, double h, rs_doc_draw_fn fn, void *data, GDestroyNotify fr, const char *caption,
                   const char *missing) {
  if (ok) rs_doc_figure(d, h, fn, data, fr, caption);
  else if (missing) para(d, "%s", missing);
}

static void methods(rs_doc *d, const rs_county_context *c, const rs_county *r) {
  bool en_ = strcmp(rs_county_lang(c), "en") == 0;
  double m = rs_county_min_n(c);
  rs_doc_heading(d, 1, TR("Metode og forbehold", "Methods and caveats"));
  rs_doc_heading(d, 2, TR("Slik er indeksene laget", "How the indexes are built"));
  para(d, "%s", TR("Hver indeks er gjennomsnittet av svarene på spørsmålene som hører til den, på en skala fra 1 (helt "
                   "uenig) til 5 (helt enig).  Spørsmål som er formulert negativt, er snudd (6 minus svaret), så et "
                   "høyere tall alltid betyr mer av det indeksen heter.  «Vet ikke» teller ikke som svar, og en indeks "
                   "regnes bare ut for den som har svart på minst halvparten av spørsmålene.  Tallene for fylket og "
                   "landet i nøkkeltallene er vektet med undersøkelsens vekter; kommunetabellene viser uvektede tall.",
                   "Each index is the mean of the answers to its items on a scale from 1 (strongly disagree) to 5 "
                   "(strongly agree).  Negatively worded items are reversed (6 minus the answer), so a higher value "
                   "always means more of what the index is named after.  \"Don't know\" does not count as an answer, "
                   "and an index is computed only for those who answered at least half of its items.  Fylke and "
                   "national key figures are weighted with the survey weights; the kommune tables are unweighted."));
  rs_doc_heading(d, 2, TR("Hva som er skjult, og hvorfor", "What was suppressed, and why"));
  para(d, TR("Ingen familie eller koordinator skal kunne kjennes igjen.  Derfor vises ikke et tall som bygger på færre "
             "enn %g personer – verken antall, gjennomsnitt, andel eller konfidensintervall – men et kolon (:).  "
             "Der et skjult tall kunne regnes ut ved å trekke de andre kommunene fra fylkets sum, er også et annet "
             "tall skjult (sekundær prikking).  Hver tabell er kontrollert før den ble skrevet: ingen skjult verdi kan "
             "regnes ut ved å legge sammen eller trekke fra publiserte tall i samme tabell.  Kontrollen dekker ikke "
             "grenser som følger av at tall ikke kan være negative, eller sammenligning mellom ulike tabeller.",
             "No family or coordinator should be identifiable.  A figure resting on fewer than %g persons – count, "
             "mean, share or confidence interval – is therefore not shown but replaced by a colon (:).  Where a "
             "suppressed figure could be worked out by subtracting the other kommuner from the fylke's total, another "
             "figure is suppressed too (secondary suppression).  Every table was checked before it was written: no "
             "suppressed value can be worked out by adding or subtracting published figures of the same table.  The "
             "check does not cover bounds that follow from figures not being negative, nor comparisons between "
             "different tables."), m);
  for (guint i = 0; i < r->suppression->len; i++) para(d, "• %s", (const char *)g_ptr_array_index(r->suppression, i));
  para(d, TR("I figurene vises ingen verdi som bygger på færre enn %g personer.  Spredningsplottet for koordinatorene "
             "har ett punkt per kommune med minst %g koordinatorer, og de andre kommunene i hvert fylke er slått "
             "sammen til ett punkt når de til sammen har minst %g; ingen enkeltkoordinator vises.  I figuren over "
             "svarfordelingen er spørsmål med færre enn %g svar utelatt; en kategori kan likevel bygge på få svar og "
             "er derfor bare vist som andel.",
             "The charts show no value resting on fewer than %g persons.  The coordinators' scatter has one point "
             "per kommune with at least %g coordinators, and the other kommuner of each fylke are pooled into one "
             "point when they have %g together; no single coordinator is shown.  In the chart of the answers, items "
             "with fewer than %g answers are left out; a category may still rest on few answers and is therefore "
             "shown only as a share."), m, m, m, m);
  rs_doc_heading(d, 2, TR("Slik leser du et konfidensintervall", "How to read a confidence interval"));
  para(d, "%s", TR("Tallene fra undersøkelsene bygger på et utvalg og er usikre.  Et 95 % konfidensintervall (KI) viser "
                   "hvor den sanne verdien trolig ligger: i 95 av 100 slike undersøkelser ville intervallet fange den.  "
                   "Når intervallene for to grupper overlapper mye, kan vi ikke si at gruppene er forskjellige.  Et bredt "
                   "intervall betyr få svar.  For registertallene, som teller alle barn, viser intervallet den "
                   "tilfeldige variasjonen fra måned til måned.",
                   "Survey figures rest on a sample and are uncertain.  A 95 % confidence interval (CI) shows where the "
                   "true value probably lies: in 95 of 100 such surveys the interval would catch it.  When the intervals "
                   "of two groups overlap a lot, we cannot say the groups differ.  A wide interval means few answers.  "
                   "For the registry figures, which count every child, the interval shows random variation."));
  rs_doc_heading(d, 2, TR("Tegnforklaring: «:» og «-»", "Symbols: ':' and '-'"));
  para(d, "%s", TR("«:» betyr at tallet er skjult for å verne personvernet – det finnes, men er for lite til å vises, "
                   "eller kunne avsløre et slikt tall.  «-» betyr null: ingen i gruppen.  «.» betyr at tallet ikke kan "
                   "regnes ut (for eksempel et gjennomsnitt av ingen svar).  Et kolon er altså aldri det samme som null.",
                   "':' means the figure is suppressed for confidentiality – it exists but is too small to show, or could "
                   "reveal such a figure.  '-' means zero: nobody in the group.  '.' means the figure cannot be computed "
                   "(for instance a mean of no answers).  A colon is therefore never the same as zero."));
  if (r->notes->len) {
    rs_doc_heading(d, 2, TR("Merknader til dette fylket", "Notes on this fylke"));
    for (guint i = 0; i < r->notes->len; i++) para(d, "%s", (const char *)g_ptr_array_index(r->notes, i));
  }
}

/* One sentence on the collaboration index, from the published table (so it
 * never says what a ':' hides); NULL when the change is not published. */
static char *index_summary(const rs_county *r, bool en_) {
  const rs_pubtable *t = rs_county_table(r, "indekser");
  if (!t || t->nrows < 2 || t->ncols < 5) return NULL;
  const rs_pubcell *f = rs_pubtable_cell_c(t, 0, 4), *n = rs_pubtable_cell_c(t, 1, 4);
  if (f->state != RS_CELL_VALUE || n->state != RS_CELL_VALUE || !isfinite(f->ci_low)) return NULL;
  char *v = rs_pubtable_cell_text(t, 0, 4, 0, !en_), *lo = rs_pubtable_cell_text(t, 0, 4, 1, !en_),
       *hi = rs_pubtable_cell_text(t, 0, 4, 2, !en_), *nv = rs_pubtable_cell_text(t, 1, 4, 0, !en_);
  bool sig = f->ci_low > 0 || f->ci_high < 0;
  char *s = en_ ? g_markup_printf_escaped("The collaboration index in %s changed by %s points (95 %% CI %s to %s) from "
                                          "before to after the reform; in the whole country by %s.  %s",
                                          r->name, v, lo, hi, nv,
                                          sig ? "The interval does not include zero: the change is larger than chance "
                                                "alone would explain."
                                              : "The interval includes zero: the data cannot tell the change from "
                                                "chance.")
                : g_markup_printf_escaped("Samarbeidsindeksen i %s endret seg med %s poeng (95 %% KI %s til %s) fra før "
                                          "til etter reformen; i hele landet med %s.  %s",
                                          r->name, v, lo, hi, nv,
                                          sig ? "Intervallet inneholder ikke null: endringen er større enn tilfeldig "
                                                "variasjon alene kan forklare."
                                              : "Intervallet inneholder null: dataene kan ikke skille endringen fra "
                                                "tilfeldig variasjon.");
  g_free(v);
  g_free(lo);
  g_free(hi);
  g_free(nv);
  return s;
}

gboolean rs_county_pdf_write(const rs_county_context *c, const rs_county *r, const rs_county_files *info,
                             const char *path, int *npages, GError **err) {
  bool en_ = strcmp(rs_county_lang(c), "en") == 0;
  char *header = g_strdup_printf(TR("%s – koordineringsreformen", "%s – the coordination reform"), r->name);
  rs_doc *d = rs_doc_new(rs_county_lang(c), header);
  g_free(header);
  title_page(d, c, r, info);
  rs_doc_toc(d);

  /* 1 key figures */
  rs_doc_heading(d, 1, TR("Nøkkeltall", "Key figures"));
  if (r->no_respondents)
    para(d, TR("%s har ingen svar i familieundersøkelsen.  Tallene fra familiene mangler derfor (.), mens tallene fra "
               "registeret og koordinatorene vises der de finnes.",
               "%s has no answers in the family survey.  The families' figures are therefore missing (.), while the "
               "registry's and the coordinators' are shown where they exist."), r->name);
  para(d, TR("%s har %zu %s.  Familieundersøkelsen har %zu svar fra fylket (%zu før og %zu etter reformen "
             "1. august 2022), og %zu koordinatorer svarte etter reformen.",
             "%s has %zu %s.  The family survey has %zu answers from the fylke (%zu before and %zu after the "
             "reform of 1 August 2022), and %zu coordinators answered after the reform."),
       r->name, r->n_kommuner, r->n_kommuner == 1 ? "kommune" : "kommuner", r->n_family, r->n_family_pre, r->n_family_post, r->n_coordinators_post);
  table_or_note(d, r, "nokkeltall");
  table_or_note(d, r, "indekser");
  char *summary = index_summary(r, en_);
  if (summary) rs_doc_paragraph(d, summary);
  g_free(summary);

  /* 2 kommuner */
  rs_doc_heading(d, 1, TR("Kommunene", "The kommuner"));
  para(d, "%s", TR("Alle kommunene i fylket, etter kommunenummer, med fylket og hele landet nederst.  «:» er skjult, "
                   "«-» er null (se kapitlet om metode).",
                   "Every kommune of the fylke in number order, with the fylke and the country at the bottom.  ':' is "
                   "suppressed, '-' is zero (see the methods chapter)."));
  table_or_note(d, r, "kommuner-register");
  table_or_note(d, r, "kommuner-familier");
  table_or_note(d, r, "kommuner-koordinatorer");

  /* 3 Statsforvalteren's cases */
  rs_doc_heading(d, 1, TR("Statsforvalterens saker", "Statsforvalteren's cases"));
  para(d, "%s", TR("Klager til Statsforvalteren på vedtak om barnekoordinator, koordinator og individuell plan, "
                   "hvor mange som fikk medhold, saksbehandlingstiden mot fristen på fire uker, og tilsyn med "
                   "lovbrudd funnet – per kommune og år.",
                   "Complaints to Statsforvalteren about decisions on barnekoordinator, koordinator and individual "
                   "plans, how many were upheld, processing time against the four-week deadline, and tilsyn with the "
                   "breaches found – by kommune and year."));
  bool any_case = false;
  for (guint i = r->first_case_table; i < r->tables->len; i++) {
    rs_doc_table(d, g_ptr_array_index(r->tables, i));
    any_case = true;
  }
  if (!any_case) para(d, "%s", TR("Ingen saker å vise.", "No cases to show."));

  /* 4 charts */
  const rs_county_charts *ch = &r->charts;
  rs_doc_heading(d, 1, TR("Figurer", "Charts"));
  rs_doc_heading(d, 2, TR("Samarbeid før og etter, etter type koordinator", "Collaboration before and after, by type of coordinator"));
  figure(d, ch->prepost != NULL, 9, draw_prepost, ch->prepost, NULL,
         TR("Vektet gjennomsnitt med 95 % konfidensintervall.  Grupper med færre enn min-n svar vises ikke.",
            "Weighted mean with 95 % confidence interval.  Groups with fewer than min-n answers are not shown."),
         ch->prepost_note);
  rs_doc_heading(d, 2, TR("Svarene etter reformen", "The answers after the reform"));
  figure(d, ch->likert != NULL, ch->likert ? 3.5 + 1.1 * (double)ch->likert->n_items : 0, draw_likert, ch->likert, NULL,
         TR("Andel av svarene (vektet) på hvert spørsmål i samarbeidsindeksen, etter reformen.",
            "Share of the answers (weighted) to each item of the collaboration index, after the reform."),
         ch->likert_note);
  rs_doc_heading(d, 2, TR("Saksmengde og øremerket tid", "Caseload and earmarked time"));
  figure(d, ch->scatter != NULL, ch->scatter ? fmin(20, rs_plot_scatter_height_cm(ch->scatter, 17)) : 0, draw_scatter,
         ch->scatter, NULL, ch->scatter_note, ch->scatter_note);
  rs_doc_heading(d, 2, TR("Barn med koordinator over tid", "Children with a koordinator over time"));
  if (ch->its) {
    its_fig *f = g_new0(its_fig, 1);
    f->its = ch->its;
    f->title = g_strdup(TR("Barn med koordinator per 1 000 barn 0–17 år", "Children with a koordinator per 1,000 children aged 0–17"));
    f->subtitle = g_strdup_printf("%s", r->name);
    f->l.title = f->title;
    f->l.subtitle = f->subtitle;
    f->l.y_title = TR("Per 1 000 barn 0–17 år", "Per 1,000 children aged 0–17");
    rs_doc_figure(d, 9, draw_its, f, its_fig_free,
                  TR("Avbrutt tidsserie: observerte månedstall, tilpasset trend før og etter 1. august 2022, og trenden "
                     "før reformen videreført (stiplet).",
                     "Interrupted time series: monthly figures, the fitted trend before and after 1 August 2022, and "
                     "the pre-reform trend continued (dashed)."));
  } else if (ch->its_note) {
    para(d, "%s", ch->its_note);
  }
  rs_doc_heading(d, 2, TR("Kommunene sammenlignet", "The kommuner compared"));
  figure(d, ch->forest != NULL, ch->forest ? fmin(21, 3.5 + 0.55 * (double)ch->forest->n_rows) : 0, draw_forest,
         ch->forest, NULL, ch->forest_note, ch->forest_note);
  rs_doc_heading(d, 2, TR("Fylkene", "The fylker"));
  rs_doc_figure(d, 14, draw_tilemap, (void *)&ch->tilemap, NULL,
                TR("Barn med koordinator per 1 000 barn 0–17 år, de siste 12 månedene.",
                   "Children with a koordinator per 1,000 children aged 0–17, the last 12 months."));

  /* 5 methods */
  methods(d, c, r);

  gboolean ok = rs_doc_write_pdf(d, path, npages, err);
  rs_doc_free(d);
  return ok;
}
