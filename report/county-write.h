/* county-write.h — writing one fylke's report: the PDF, the tables as CSV
 * and (optionally) an Excel workbook, into a directory.
 *
 * Files (stem "46-vestland"): STEM.pdf, STEM-<table id>.csv (report/tables.h:
 * nb ';' and decimal comma with a BOM, en ',' and a decimal point), STEM.xlsx.
 * Each is written atomically (temporary file + rename, datasets/atomic.h);
 * the caller (cli/report.c) writes into a temporary directory and moves the
 * files into place when every fylke is done.  Only rs_pubtables that passed
 * the disclosure audit reach a writer, and the CSV carries only the
 * published cells (':' for a suppressed one), never a respondent id or a
 * free-text answer.
 */
#ifndef RS_COUNTY_WRITE_H
#define RS_COUNTY_WRITE_H

#include <glib.h>
#include <stdbool.h>

#include "datasets/plan.h"
#include "report/county.h"

typedef struct {
  const char *dir;                  /* where to write */
  bool xlsx;                        /* also STEM.xlsx */
  const rs_plan *plan;              /* for the title page: inputs with SHA-256 and rows */
  const rs_plan_data *data[4];      /* family, coordinators, registry, cases */
  const char *version;              /* reformstat version */
  unsigned pages;                   /* set: pages of the last PDF written */
} rs_county_files;

/* Writes r's files into f->dir and appends their names (not paths) to
 * `written`.  On failure nothing of this fylke is left in f->dir. */
gboolean rs_county_write(const rs_county_context *c, const rs_county *r, rs_county_files *f, GPtrArray *written,
                         GError **err);

/* The PDF of one fylke (report/county-pdf.c, with report/doc.h); npages
 * may be NULL. */
gboolean rs_county_pdf_write(const rs_county_context *c, const rs_county *r, const rs_county_files *info,
                             const char *path, int *npages, GError **err);

#endif
