/* reader.c — encoding, delimiter and header detection, then streaming
 * parse with libcsv.  See reader.h for the calling sequence.
 *
 * Line numbers: libcsv's callbacks carry no position, so the text is fed to
 * csv_parse one physical line at a time; any callback that fires while a
 * line is being fed belongs to that line.
 */
#include "datasets/reader.h"
#include "datasets/error.h"
#include "datasets/value.h"

#include <csv.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1u << 20)
#define SNIFF_BYTES (64u * 1024u)
#define SNIFF_RECORDS 400

struct rs_reader {
  char *path;
  rs_read_options opt;
  rs_sniff sn;
  FILE *fp;           /* NULL when the text is held in memory */
  bool spooled;       /* fp is a temporary copy of standard input, a pipe or a FIFO */
  char *mem;          /* UTF-8 text (stdin, UTF-16 input) */
  size_t mem_len;
  long data_offset;   /* first byte after a BOM */
  bool cr_only;       /* old Mac line ends: split on CR */
  bool has_quote;     /* any '"' in the file (else lines can be split anywhere) */
  long long consumed; /* file offset after the last line fed (see rs_reader_stop_offset) */
  long consumed_line; /* the physical line that starts there */
  char **header;      /* header names seen in the last run, for messages */
  size_t n_header;
};

void rs_read_options_init(rs_read_options *o) {
  memset(o, 0, sizeof *o);
  o->skip = -1;
  o->header = true;
}

const rs_sniff *rs_reader_sniffed(const rs_reader *r) { return &r->sn; }
const char *rs_reader_path(const rs_reader *r) { return r->path; }

const char *rs_reader_delimiter_name(char d) {
  switch (d) {
    case ';': return "semicolon";
    case ',': return "comma";
    case '\t': return "tab";
    case '|': return "pipe";
    default: return "other";
  }
}

/* ---- reading raw bytes and converting to UTF-8 ------------------------ */

typedef struct {
  rs_reader *r;
  GIConv conv;        /* (GIConv)-1 when the input is already UTF-8 */
  char *raw;
  char *out;
  size_t mem_pos;
  long long raw_pos;  /* bytes of input consumed (for messages) */
} source;

static bool source_open(rs_reader *r, source *s, GError **err) {
  memset(s, 0, sizeof *s);
  s->r = r;
  s->conv = (GIConv)-1;
  if (r->mem) {
    s->raw = g_malloc(CHUNK);  /* the run may write into the text (fast_line): hand out copies */
    return true;
  }
  if (fseek(r->fp, r->data_offset, SEEK_SET) != 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot seek: %s", r->path, g_strerror(errno));
    return false;
  }
  s->raw = g_malloc(CHUNK);
  if (strcmp(r->sn.encoding, "utf-8") != 0) {
    s->conv = g_iconv_open("UTF-8", strcmp(r->sn.encoding, "windows-1252") == 0 ? "WINDOWS-1252" : "ISO-8859-1");
    if (s->conv == (GIConv)-1) {
      g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "%s: no converter from %s to UTF-8 on this system",
                  r->path, r->sn.encoding);
      return false;
    }
    s->out = g_malloc(CHUNK * 3 + 4);
  }
  return true;
}

static void source_close(source *s) {
  if (s->conv != (GIConv)-1) g_iconv_close(s->conv);
  g_free(s->raw);
  g_free(s->out);
}

/* Next piece of UTF-8 text; *len 0 at end.  Single-byte encodings never
 * split a character across chunks, so chunks convert independently. */
static bool source_next(source *s, const char **text, size_t *len, GError **err) {
  rs_reader *r = s->r;
  if (r->mem) {
    size_t n = MIN((size_t)CHUNK, r->mem_len - s->mem_pos);
    memcpy(s->raw, r->mem + s->mem_pos, n);
    *text = s->raw;
    *len = n;
    s->mem_pos += n;
    return true;
  }
  size_t n = fread(s->raw, 1, CHUNK, r->fp);
  if (n == 0 && ferror(r->fp)) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: read error: %s", r->path, g_strerror(errno));
    return false;
  }
  s->raw_pos += (long long)n;
  /* A file that is being written or replaced while we read it gives a
   * table that is neither the old nor the new file: refuse it. */
  long long at = r->data_offset + s->raw_pos;
  if ((n == 0 && at < r->sn.bytes) || at > r->sn.bytes) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO,
                "%s: the file %s while it was being read (%lld bytes when opened, %s %lld); is another program "
                "writing it? Read it again when it is complete",
                r->path, at < r->sn.bytes ? "became shorter" : "grew", r->sn.bytes,
                at < r->sn.bytes ? "it ended after" : "now at least", at);
    return false;
  }
  if (s->conv == (GIConv)-1) {
    *text = s->raw;
    *len = n;
    return true;
  }
  char *in = s->raw, *out = s->out;
  gsize inleft = n, outleft = CHUNK * 3 + 4;
  if (g_iconv(s->conv, &in, &inleft, &out, &outleft) == (gsize)-1) {
    g_set_error(err, RS_ERROR, RS_ERROR_ENCODING,
                "%s: byte 0x%02X at byte offset %lld is not a character in %s; give the right --encoding",
                r->path, (unsigned char)*in, s->raw_pos - (long long)inleft, r->sn.encoding);
    return false;
  }
  *text = s->out;
  *len = (size_t)(out - s->out);
  return true;
}

/* ---- encoding detection: one pass over the raw bytes ------------------- */

/* Line and byte column of byte offset `off` (1-based), for messages. */
static void locate_offset(rs_reader *r, long long off, long *line, long *col) {
  *line = 1;
  *col = 1;
  if (fseek(r->fp, 0, SEEK_SET) != 0) return;
  char buf[65536];
  long long pos = 0;
  while (pos < off) {
    size_t want = (size_t)MIN((long long)sizeof buf, off - pos);
    size_t n = fread(buf, 1, want, r->fp);
    if (n == 0) break;
    for (size_t i = 0; i < n; i++) {
      if (buf[i] == '\n') { (*line)++; *col = 1; } else (*col)++;
    }
    pos += (long long)n;
  }
}

static bool has_zero_byte(uint64_t w) { return ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0; }

/* ---- checksums already computed ---------------------------------------
 * `run` reads every data file of its plan for the manifest (plan.c), then
 * forks one child per analysis, which opens its data file again and would
 * hash it once more (0.2 s per 100 MB, per analysis).  So the SHA-256 of a
 * regular file is kept for the process, keyed by what changes whenever its
 * content does: device, inode, size, and the modification and status-change
 * times (ns); children inherit the table through fork.  Writing the file
 * changes its ctime, so a file changed since is hashed again; a hash is
 * kept only if the key was the same before and after the read. */
typedef struct {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtim, ctim;
  char sha256[65];
} known_sum;

static GArray *g_known_sums;
G_LOCK_DEFINE_STATIC(known_sums);

static bool file_key(const rs_reader *r, known_sum *k) {
  struct stat st;
  if (r->spooled || fstat(fileno(r->fp), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  *k = (known_sum){.dev = st.st_dev, .ino = st.st_ino, .size = st.st_size, .mtim = st.st_mtim, .ctim = st.st_ctim};
  return true;
}

static bool same_key(const known_sum *a, const known_sum *b) {
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtim.tv_sec == b->mtim.tv_sec &&
         a->mtim.tv_nsec == b->mtim.tv_nsec && a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec;
}

/* The kept SHA-256 of the file with key k into out; false when none. */
static bool known_sum_find(const known_sum *k, char *out) {
  bool found = false;
  G_LOCK(known_sums);
  for (guint i = 0; g_known_sums && i < g_known_sums->len && !found; i++) {
    const known_sum *e = &g_array_index(g_known_sums, known_sum, i);
    if (same_key(e, k)) {
      memcpy(out, e->sha256, sizeof e->sha256);
      found = true;
    }
  }
  G_UNLOCK(known_sums);
  return found;
}

/* Only a file whose last change (mtime and ctime) is clearly older than
 * the start of its hashing is kept — git's rule for "racy" index entries:
 * a rewrite within the same timestamp tick (coarse on NFS, FAT, FUSE and
 * older kernels) would otherwise leave the key as it was.  Writes through
 * a shared mmap, which update no timestamp until later, are not seen. */
#define RACY_SECONDS 3

static bool settled(const known_sum *k, const struct timespec *start) {
  return k->mtim.tv_sec + RACY_SECONDS < start->tv_sec && k->ctim.tv_sec + RACY_SECONDS < start->tv_sec;
}

static void known_sum_keep(const known_sum *k) {
  G_LOCK(known_sums);
  if (!g_known_sums) g_known_sums = g_array_new(FALSE, FALSE, sizeof(known_sum));
  bool have = false;
  for (guint i = 0; i < g_known_sums->len && !have; i++) have = same_key(&g_array_index(g_known_sums, known_sum, i), k);
  if (!have) g_array_append_val(g_known_sums, *k);
  G_UNLOCK(known_sums);
}

/* Scan the file: NUL bytes, UTF-8 validity, multibyte sequences. */
static bool detect_encoding(rs_reader *r, GError **err) {
  unsigned char *buf = g_malloc(CHUNK + 8);
  size_t carry = 0;
  long long base = 0;  /* file offset of buf[0] */
  long long first_invalid = -1, nul_at = -1;
  long long multibyte = 0, invalid = 0;  /* valid UTF-8 sequences of 2+ bytes; bytes that start none */
  known_sum key;
  struct timespec start;
  clock_gettime(CLOCK_REALTIME, &start);
  bool keyed = r->opt.sha256 && file_key(r, &key);
  bool known = keyed && known_sum_find(&key, key.sha256);
  GChecksum *sum = r->opt.sha256 && !known ? g_checksum_new(G_CHECKSUM_SHA256) : NULL;
  for (;;) {
    size_t n = fread(buf + carry, 1, CHUNK, r->fp);
    if (sum) g_checksum_update(sum, buf + carry, n);
    if (n == 0 && ferror(r->fp)) {
      g_free(buf);
      if (sum) g_checksum_free(sum);
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: read error: %s", r->path, g_strerror(errno));
      return false;
    }
    size_t avail = carry + n;
    bool eof = (n == 0);
    size_t i = 0;
    while (i < avail) {
      if (i + 8 <= avail) {
        uint64_t w;
        memcpy(&w, buf + i, 8);
        if ((w & 0x8080808080808080ULL) == 0 && !has_zero_byte(w)) {
          if (!r->has_quote && has_zero_byte(w ^ 0x2222222222222222ULL)) r->has_quote = true;
          i += 8;
          continue;
        }
      }
      unsigned char c = buf[i];
      if (c == 0) { nul_at = base + (long long)i; break; }
      if (c < 0x80) {
        if (c == '"') r->has_quote = true;
        i++;
        continue;
      }
      if (!eof && avail - i < 4) break;  /* may be a sequence cut by the chunk */
      gunichar u = g_utf8_get_char_validated((const char *)buf + i, (gssize)(avail - i));
      if (u == (gunichar)-1 || u == (gunichar)-2) {
        if (first_invalid < 0) first_invalid = base + (long long)i;
        invalid++;
        i++;
      } else {
        multibyte++;
        i += (size_t)g_utf8_skip[c];
      }
    }
    if (nul_at >= 0 || eof) break;
    carry = avail - i;
    memmove(buf, buf + i, carry);
    base += (long long)i;
  }
  g_free(buf);
  if (known && nul_at < 0) g_strlcpy(r->sn.sha256, key.sha256, sizeof r->sn.sha256);
  if (sum) {
    if (nul_at < 0) g_strlcpy(r->sn.sha256, g_checksum_get_string(sum), sizeof r->sn.sha256);
    g_checksum_free(sum);
    known_sum after;
    if (keyed && nul_at < 0 && settled(&key, &start) && file_key(r, &after) && same_key(&key, &after)) {
      memcpy(key.sha256, r->sn.sha256, sizeof key.sha256);
      known_sum_keep(&key);
    }
  }
  const char *forced = r->opt.encoding;
  if (forced && g_ascii_strcasecmp(forced, "auto") == 0) forced = NULL;
  if (nul_at >= 0) {
    long line, col;
    locate_offset(r, nul_at, &line, &col);
    g_set_error(err, RS_ERROR, RS_ERROR_ENCODING,
                "%s: line %ld, byte %ld: a NUL byte; this is not a text file (or it is UTF-16 without a byte-order mark) — save it as CSV UTF-8",
                r->path, line, col);
    return false;
  }
  if (forced && (g_ascii_strcasecmp(forced, "utf-8") == 0 || g_ascii_strcasecmp(forced, "utf8") == 0)) {
    r->sn.encoding = "utf-8";
  } else if (forced && (g_ascii_strcasecmp(forced, "windows-1252") == 0 || g_ascii_strcasecmp(forced, "cp1252") == 0)) {
    r->sn.encoding = "windows-1252";
    return true;
  } else if (forced && (g_ascii_strcasecmp(forced, "iso-8859-1") == 0 || g_ascii_strcasecmp(forced, "latin1") == 0 ||
                        g_ascii_strcasecmp(forced, "latin-1") == 0)) {
    r->sn.encoding = "iso-8859-1";
    return true;
  } else if (forced) {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE,
                "unknown --encoding '%s'; use auto, utf-8, windows-1252 or iso-8859-1", forced);
    return false;
  } else if (first_invalid >= 0 && invalid > multibyte && !r->sn.bom) {
    /* Mostly single high bytes: the classic Norwegian Excel export.  A few
     * byte pairs or triples may happen to form valid UTF-8 (Sami "á" + "š"
     * + "š" is E1 9A 9A in Windows-1252), so only a file that is mostly
     * valid UTF-8 with a few bad bytes counts as mixed. */
    r->sn.encoding = "windows-1252";
    return true;
  } else {
    r->sn.encoding = "utf-8";
  }
  if (first_invalid >= 0) {
    long line, col;
    locate_offset(r, first_invalid, &line, &col);
    unsigned char b = 0;
    if (fseek(r->fp, first_invalid, SEEK_SET) == 0 && fread(&b, 1, 1, r->fp) != 1) b = 0;
    if (forced && !r->sn.bom)  /* the user said UTF-8; the file need not be "otherwise UTF-8" */
      g_set_error(err, RS_ERROR, RS_ERROR_ENCODING,
                  "%s: line %ld, byte %ld: byte 0x%02X is not valid UTF-8, but --encoding utf-8 was given; "
                  "a file saved by Excel needs --encoding windows-1252 (or leave --encoding out)",
                  r->path, line, col, b);
    else
      g_set_error(err, RS_ERROR, RS_ERROR_ENCODING,
                  "%s: line %ld, byte %ld: byte 0x%02X is not valid UTF-8, although the file %s; "
                  "the file mixes encodings — re-save it as UTF-8, or give --encoding windows-1252",
                  r->path, line, col, b, r->sn.bom ? "starts with a UTF-8 byte-order mark" : "is otherwise UTF-8");
    return false;
  }
  return true;
}

static bool slurp_utf16(rs_reader *r, const char *from, GError **err) {
  if (fseek(r->fp, r->data_offset, SEEK_SET) != 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot read: %s", r->path, g_strerror(errno));
    return false;
  }
  GByteArray *a = g_byte_array_new();
  guint8 buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, r->fp)) > 0) g_byte_array_append(a, buf, (guint)n);
  /* A file that is only a UTF-16 byte-order mark: an empty GByteArray has
   * no data pointer, and g_convert(NULL) fails without setting an error
   * (found by fuzzing: a segfault on the two bytes FF FE). */
  if (a->len == 0) {
    g_byte_array_free(a, TRUE);
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: the file has no header row (only a UTF-16 byte-order mark)",
                r->path);
    return false;
  }
  gsize written = 0, nread = 0;
  GError *e = NULL;
  char *u = g_convert((const char *)a->data, (gssize)a->len, "UTF-8", from, &nread, &written, &e);
  g_byte_array_free(a, TRUE);
  if (u == NULL) {
    g_set_error(err, RS_ERROR, RS_ERROR_ENCODING, "%s: byte offset %lu: not valid %s text (%s)", r->path,
                (unsigned long)nread, from, e->message);
    g_error_free(e);
    return false;
  }
  r->mem = u;
  r->mem_len = written;
  if (memchr(u, '\0', written) != NULL) {
    g_set_error(err, RS_ERROR, RS_ERROR_ENCODING, "%s: the text contains a NUL character", r->path);
    return false;
  }
  return true;
}

/* ---- sniffing: delimiter, header position, decimal mark ---------------- */

typedef struct {
  int line;        /* physical line the record starts on (1-based) */
  int nfields;     /* for the candidate delimiter */
  bool blank;
  GPtrArray *fields;  /* only filled for the chosen delimiter */
} sniff_rec;

/* Split the sample into records for delimiter d (quote-aware). Returns the
 * number of complete records. */
static int split_sample(const char *t, size_t n, bool at_eof, char d, char nl, sniff_rec *recs, int max,
                        bool keep_fields) {
  int nrec = 0, line = 1, fields = 1;
  bool inq = false, blank = true;
  size_t start = 0, fstart = 0;
  int rec_line = 1;
  GPtrArray *cur = keep_fields ? g_ptr_array_new_with_free_func(g_free) : NULL;
  for (size_t i = 0; i <= n && nrec < max; i++) {
    bool end = (i == n);
    char c = end ? nl : t[i];
    if (end && !at_eof) break;
    if (c == '"') { inq = !inq; blank = false; continue; }
    if (inq && !end) { if (c == nl) line++; continue; }
    if (c == d) {
      fields++;
      blank = false;
      if (cur) g_ptr_array_add(cur, g_strndup(t + fstart, i - fstart));
      fstart = i + 1;
      continue;
    }
    if (c == nl) {
      size_t e = i;
      if (e > fstart && t[e - 1] == '\r' && nl == '\n') e--;
      if (end && i == start) break;  /* nothing after the last newline */
      if (cur) g_ptr_array_add(cur, g_strndup(t + fstart, e - fstart));
      recs[nrec].line = rec_line;
      recs[nrec].nfields = fields;
      recs[nrec].blank = blank;
      if (keep_fields) { recs[nrec].fields = cur; cur = g_ptr_array_new_with_free_func(g_free); }
      nrec++;
      line++;
      rec_line = line;
      fields = 1;
      blank = true;
      start = fstart = i + 1;
      continue;
    }
    if (c != '\r') blank = false;
  }
  if (cur) g_ptr_array_free(cur, TRUE);
  return nrec;
}

static char *unquote(const char *s) {
  char *t = g_strstrip(g_strdup(s));
  size_t n = strlen(t);
  if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
    memmove(t, t + 1, n - 2);
    t[n - 2] = '\0';
  }
  return t;
}

static bool sniff(rs_reader *r, GError **err) {
  source s;
  if (!source_open(r, &s, err)) { source_close(&s); return false; }
  GString *sample = g_string_new(NULL);
  bool at_eof = false;
  while (sample->len < SNIFF_BYTES) {
    const char *t;
    size_t n;
    if (!source_next(&s, &t, &n, err)) { source_close(&s); g_string_free(sample, TRUE); return false; }
    if (n == 0) { at_eof = true; break; }
    g_string_append_len(sample, t, (gssize)n);
  }
  source_close(&s);
  const char *t = sample->str;
  size_t n = MIN(sample->len, (size_t)SNIFF_BYTES * 2);
  if (n < sample->len) at_eof = false;

  r->sn.crlf = strstr(t, "\r\n") != NULL;
  r->cr_only = memchr(t, '\n', n) == NULL && memchr(t, '\r', n) != NULL;
  r->sn.cr = r->cr_only;
  char nl = r->cr_only ? '\r' : '\n';

  sniff_rec *recs = g_new0(sniff_rec, SNIFF_RECORDS);
  static const char cands[] = {';', '\t', ',', '|'};
  char best = 0;
  double best_share = 0;
  int best_mode = 1;
  if (r->opt.delimiter) {
    best = r->opt.delimiter;
  } else {
    for (size_t k = 0; k < sizeof cands; k++) {
      int nrec = split_sample(t, n, at_eof, cands[k], nl, recs, SNIFF_RECORDS, false);
      /* mode of the field counts over non-blank records */
      GHashTable *h = g_hash_table_new(g_direct_hash, g_direct_equal);
      int nonblank = 0, mode = 1, modec = 0;
      for (int i = 0; i < nrec; i++) {
        if (recs[i].blank) continue;
        nonblank++;
        int c = GPOINTER_TO_INT(g_hash_table_lookup(h, GINT_TO_POINTER(recs[i].nfields))) + 1;
        g_hash_table_insert(h, GINT_TO_POINTER(recs[i].nfields), GINT_TO_POINTER(c));
        if (c > modec || (c == modec && recs[i].nfields > mode)) { modec = c; mode = recs[i].nfields; }
      }
      g_hash_table_destroy(h);
      double share = nonblank ? (double)modec / nonblank : 0;
      if (mode >= 2 && share > best_share + 0.02) { best = cands[k]; best_share = share; best_mode = mode; }
    }
    r->sn.delimiter_detected = true;
    if (best == 0) best = ',';  /* one column: the delimiter does not matter */
  }
  r->sn.delimiter = best;

  int nrec = split_sample(t, n, at_eof, best, nl, recs, SNIFF_RECORDS, true);
  r->sn.bytes_per_row = nrec > 1 ? (double)(n) / nrec : (double)(n + 1);
  if (nrec > 1 && !at_eof) {
    /* bytes up to the start of the last complete record's successor */
    long last_line = recs[nrec - 1].line;
    size_t pos = 0;
    for (long l = 1; l <= last_line && pos < n; pos++) if (t[pos] == nl) l++;
    r->sn.bytes_per_row = (double)pos / nrec;
  }
  if (r->opt.delimiter) {
    /* mode for a forced delimiter, for the header search below */
    best_mode = 1;
    for (int i = 0; i < nrec; i++) if (recs[i].nfields > best_mode) best_mode = recs[i].nfields;
  }
  int hdr = 0;
  if (r->opt.skip >= 0) {
    r->sn.skipped = r->opt.skip;
  } else if (r->opt.header && best_mode >= 2) {
    /* Title lines (one field) and blank lines above the header, as in SSB
     * StatBank's "with heading" export. */
    while (hdr < nrec && hdr < 20 && (recs[hdr].blank || recs[hdr].nfields == 1)) hdr++;
    if (hdr == nrec) hdr = 0;
    r->sn.skipped = hdr < nrec ? recs[hdr].line - 1 : 0;
  }
  for (int i = 0; i < hdr; i++) {
    if (!recs[i].blank && r->sn.title == NULL) {
      GString *line = g_string_new(NULL);
      for (guint j = 0; j < recs[i].fields->len; j++) g_string_append(line, g_ptr_array_index(recs[i].fields, j));
      r->sn.title = unquote(line->str);
      g_string_free(line, TRUE);
    }
  }

  if (r->opt.decimal) {
    r->sn.decimal = r->opt.decimal;
  } else {
    r->sn.decimal_detected = true;
    int commas = 0, dots = 0;
    if (best != ',') {
      for (int i = hdr + (r->opt.header ? 1 : 0); i < nrec; i++) {
        if (!recs[i].fields) continue;
        for (guint j = 0; j < recs[i].fields->len; j++) {
          char *f = unquote(g_ptr_array_index(recs[i].fields, j));
          double v;
          size_t fl = strlen(f);
          if (memchr(f, ',', fl) && rs_value_parse_number(f, fl, ',', &v)) commas++;
          else if (memchr(f, '.', fl) && rs_value_parse_number(f, fl, '.', &v)) dots++;
          g_free(f);
        }
      }
    }
    r->sn.decimal = commas > dots ? ',' : '.';
  }
  for (int i = 0; i < SNIFF_RECORDS; i++)
    if (recs[i].fields) g_ptr_array_free(recs[i].fields, TRUE);
  g_free(recs);
  g_string_free(sample, TRUE);
  return true;
}

rs_reader *rs_reader_open(const char *path, const rs_read_options *opt, GError **err) {
  rs_reader *r = g_new0(rs_reader, 1);
  r->path = g_strdup(path);
  if (opt) r->opt = *opt; else rs_read_options_init(&r->opt);
  if (r->opt.max_field == 0) r->opt.max_field = 16u << 20;
  if (r->opt.delimiter && r->opt.delimiter == '"') {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the delimiter cannot be a double quote");
    rs_reader_free(r);
    return NULL;
  }
  if (r->opt.decimal && r->opt.decimal != '.' && r->opt.decimal != ',') {
    g_set_error(err, RS_ERROR, RS_ERROR_USAGE, "the decimal mark must be '.' or ','");
    rs_reader_free(r);
    return NULL;
  }
  struct stat st;
  bool is_stdin = strcmp(path, "-") == 0;
  if (!is_stdin && g_stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: is a directory, not a data file", path);
    rs_reader_free(r);
    return NULL;
  }
  FILE *in = is_stdin ? stdin : fopen(path, "rb");
  if (!in) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot open: %s", path, g_strerror(errno));
    rs_reader_free(r);
    return NULL;
  }
  if (is_stdin || fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
    /* Standard input, a pipe, a FIFO or a device: copied as it arrives
     * into an unlinked temporary file, so that every pass reads alike and
     * the file can be sized and sought (a pipe cannot). */
    r->spooled = true;
    char *tmpl = NULL;
    int fd = g_file_open_tmp("reformstat-stdin-XXXXXX", &tmpl, err);
    if (fd < 0) {
      if (!is_stdin) fclose(in);
      rs_reader_free(r);
      return NULL;
    }
    g_unlink(tmpl);
    g_free(tmpl);
    r->fp = fdopen(fd, "w+b");
    guint8 *buf = g_malloc(1 << 16);
    size_t n;
    bool ok = r->fp != NULL;
    int e = ok ? 0 : errno;
    while (ok && (n = fread(buf, 1, 1 << 16, in)) > 0)
      if (fwrite(buf, 1, n, r->fp) != n) { ok = false; e = errno; }
    if (ok && ferror(in)) {
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: read error: %s", is_stdin ? "standard input" : path,
                  g_strerror(errno));
      ok = false;
    } else if (ok && fflush(r->fp) != 0) {
      ok = false;
      e = errno;
    }
    if (!ok && err && !*err)
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot keep a copy of the input in the temporary directory (%s): %s",
                  is_stdin ? "standard input" : path, g_get_tmp_dir(), g_strerror(e ? e : EIO));
    g_free(buf);
    if (!is_stdin) fclose(in);
    if (!ok) {
      if (!r->fp) close(fd);
      rs_reader_free(r);
      return NULL;
    }
    rewind(r->fp);
  } else {
    r->fp = in;
  }
  fseek(r->fp, 0, SEEK_END);
  r->sn.bytes = ftell(r->fp);
  rewind(r->fp);
  unsigned char bom[3] = {0, 0, 0};
  size_t nb = fread(bom, 1, 3, r->fp);
  rewind(r->fp);
  if (nb == 0) {
    g_set_error(err, RS_ERROR, RS_ERROR_PARSE, "%s: the file is empty", path);
    rs_reader_free(r);
    return NULL;
  }
  bool ok;
  if (nb >= 2 && ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF))) {
    r->sn.bom = true;
    r->sn.encoding = bom[0] == 0xFF ? "utf-16le" : "utf-16be";
    r->data_offset = 2;
    ok = slurp_utf16(r, bom[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", err);
  } else {
    if (nb == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) {
      r->sn.bom = true;
      r->data_offset = 3;
    }
    ok = detect_encoding(r, err);
  }
  if (ok) ok = sniff(r, err);
  if (!ok) { rs_reader_free(r); return NULL; }
  return r;
}

void rs_reader_free(rs_reader *r) {
  if (!r) return;
  if (r->fp) fclose(r->fp);
  g_free(r->mem);
  g_free(r->path);
  g_free(r->sn.title);
  for (size_t i = 0; i < r->n_header; i++) g_free(r->header[i]);
  g_free(r->header);
  g_free(r);
}

/* ---- the streaming pass ------------------------------------------------ */

typedef struct {
  rs_reader *r;
  const rs_reader_callbacks *cb;
  void *ctx;
  size_t row, col;
  long line;          /* physical line being fed */
  long row_line;      /* line the current row began on */
  long field_line;    /* line the current field began on */
  long last_line;     /* last physical line fed to the parser */
  bool in_row;
  bool blank_is_row;
  int stop;           /* callback's non-zero return */
  GError *error;      /* reader's own error */
} run_state;

static int never_space(unsigned char c) { (void)c; return 0; }

static void on_field(void *s, size_t len, void *data);
static void on_row(int c, void *data);

/* A field of a fast line (below): on_field's work without its per-field
 * checks that hold for the whole line (no error or stop yet, a row begun
 * on this line); the header row and an over-long field go through
 * on_field.  False when the run is to stop. */
static inline bool fast_field(run_state *st, const char *text, size_t len) {
  if (len > st->r->opt.max_field || (st->r->opt.header && st->row == 0)) {
    on_field((void *)text, len, st);
    return !(st->stop || st->error);
  }
  int rc = st->cb->field ? st->cb->field(st->ctx, st->row, st->col, text, len, st->line) : 0;
  st->col++;
  if (rc) st->stop = rc;
  return rc == 0;
}

/* The fast path for the common case, a whole physical line with no quote
 * character and no CR but its line end: such a line means the same to
 * every CSV grammar, so it is split at the delimiters here and libcsv
 * handles every other line.  Fields are NUL-terminated in place, as with
 * CSV_APPEND_NULL.  The delimiters are found 8 bytes at a time (a word
 * with 0x80 in each byte that is the delimiter): fields are a few bytes,
 * so a call of memchr per field, or a test per byte, costs more.  Returns
 * false (having done nothing) when the line does not qualify. */
static bool fast_line(run_state *st, char *line, size_t len, char nl) {
  size_t n = len - 1;                        /* without the line end */
  if (n > 0 && nl == '\n' && line[n - 1] == '\r') n--;
  if (memchr(line, '"', n) || memchr(line, '\r', n)) return false;
  const char d = st->r->sn.delimiter;
  st->row_line = st->field_line = st->last_line = st->line;
  st->in_row = true;
  size_t f = 0, i = 0;                       /* the current field begins at f */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t dd = 0x0101010101010101ULL * (unsigned char)d, low7 = 0x7F7F7F7F7F7F7F7FULL;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, line + i, 8);
    w ^= dd;
    uint64_t z = ~(((w & low7) + low7) | w | low7);  /* exact: 0x80 where a byte of w is 0 */
    while (z) {
      size_t at = i + ((size_t)__builtin_ctzll(z) >> 3);
      z &= z - 1;
      line[at] = '\0';
      if (!fast_field(st, line + f, at - f)) return true;
      f = at + 1;
    }
  }
#endif
  for (; i < n; i++)
    if (line[i] == d) {
      line[i] = '\0';
      if (!fast_field(st, line + f, i - f)) return true;
      f = i + 1;
    }
  line[n] = '\0';
  if (!fast_field(st, line + f, n - f)) return true;
  on_row(nl, st);
  return true;
}

static char *column_desc(run_state *st, size_t col) {
  rs_reader *r = st->r;
  if (col < r->n_header && r->header[col][0] != '\0')
    return g_strdup_printf("column %zu ('%s')", col + 1, r->header[col]);
  return g_strdup_printf("column %zu", col + 1);
}

static void on_field(void *s, size_t len, void *data) {
  run_state *st = data;
  if (st->stop || st->error) return;
  const char *text = s ? (const char *)s : "";
  if (len > st->r->opt.max_field) {
    char *cd = column_desc(st, st->col);
    g_set_error(&st->error, RS_ERROR, RS_ERROR_LIMIT,
                "%s: line %ld, %s: a field of %zu bytes is longer than the limit of %zu bytes (--max-field)",
                st->r->path, st->line, cd, len, st->r->opt.max_field);
    g_free(cd);
    return;
  }
  if (st->r->opt.header && st->row == 0) {
    st->r->header = g_renew(char *, st->r->header, st->r->n_header + 1);
    st->r->header[st->r->n_header++] = g_strndup(text, len);
  }
  st->in_row = true;
  int rc = st->cb->field ? st->cb->field(st->ctx, st->row, st->col, text, len, st->line) : 0;
  if (rc) st->stop = rc;
  st->col++;
  st->field_line = st->line;  /* the next field begins after this one's delimiter */
}

static void on_row(int c, void *data) {
  (void)c;
  run_state *st = data;
  if (st->stop || st->error) return;
  if (st->r->opt.header && st->row == 0) st->blank_is_row = (st->col == 1);
  int rc = st->cb->row_end ? st->cb->row_end(st->ctx, st->row, st->col, st->row_line) : 0;
  if (rc) st->stop = rc;
  st->row++;
  st->col = 0;
  st->in_row = false;
}

/* `bad` points at the character libcsv stopped at (NULL at the end of the
 * file): a quote inside an unquoted field, or text right after a closing
 * quote; `avail` bytes follow it in the buffer. */
static void set_parse_error(run_state *st, bool at_end, const char *bad, size_t avail) {
  if (st->error) return;
  char *cd = column_desc(st, st->col);
  if (at_end)
    g_set_error(&st->error, RS_ERROR, RS_ERROR_PARSE,
                "%s: line %ld, %s: a quoted field begins on this line but is never closed; the file ends "
                "(line %ld) before its closing quote (\")",
                st->r->path, st->field_line, cd, st->last_line);
  else if (*bad == '"')
    g_set_error(&st->error, RS_ERROR, RS_ERROR_PARSE,
                "%s: line %ld, %s: a stray double quote — a quote inside a field must be doubled (\"\") and the whole field quoted",
                st->r->path, st->line, cd);
  else {
    size_t n = MIN((size_t)g_utf8_skip[(unsigned char)*bad], avail);
    char *shown = rs_error_quote_value(bad, n, 1);
    g_set_error(&st->error, RS_ERROR, RS_ERROR_PARSE,
                "%s: line %ld, %s: text ('%s') after the closing quote of a quoted field — the delimiter is missing, "
                "or a quote inside the field is not doubled (\"\")",
                st->r->path, st->line, cd, shown);
    g_free(shown);
  }
  g_free(cd);
}

int rs_reader_run(rs_reader *r, const rs_reader_callbacks *cb, void *ctx, GError **err) {
  for (size_t i = 0; i < r->n_header; i++) g_free(r->header[i]);
  g_free(r->header);
  r->header = NULL;
  r->n_header = 0;

  source s;
  if (!source_open(r, &s, err)) { source_close(&s); return -1; }
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    source_close(&s);
    g_set_error(err, RS_ERROR, RS_ERROR_INTERNAL, "cannot initialise the CSV parser");
    return -1;
  }
  csv_set_delim(&p, (unsigned char)r->sn.delimiter);
  csv_set_space_func(&p, never_space);
  csv_set_term_func(&p, NULL);  /* libcsv's default: CR or LF, without a call per byte */
  /* libcsv grows its field buffer by a fixed block (128 bytes by default):
   * with a large block a 10 MB field costs 40 reallocations, not 80,000 */
  csv_set_blk_size(&p, 256u << 10);

  run_state st = {.r = r, .cb = cb, .ctx = ctx, .row = r->opt.header ? 0 : 1, .line = 1, .row_line = 1, .field_line = 1,
                  .blank_is_row = !r->opt.header};
  const char nl = r->cr_only ? '\r' : '\n';
  const long skip = r->sn.skipped;
  bool line_start = true;  /* the next byte begins a physical line */
  bool cr_pending = false; /* the line so far is a lone CR that ended a chunk */
  for (;;) {
    const char *t;
    size_t n;
    if (!source_next(&s, &t, &n, &st.error)) break;
    if (n == 0) break;
    const long long chunk_start = r->mem ? (long long)s.mem_pos - (long long)n : r->data_offset + s.raw_pos - (long long)n;
    const char *p0 = t, *end = t + n;
    while (p0 < end && !st.stop && !st.error) {
      const char *e = memchr(p0, nl, (size_t)(end - p0));
      const char *seg_end = e ? e + 1 : end;
      size_t len = (size_t)(seg_end - p0);
      if (st.line <= skip) {
        /* title lines above the header */
      } else if (!st.in_row && e &&
                 ((line_start && (len == 1 || (len == 2 && p0[0] == '\r'))) || (cr_pending && len == 1))) {
        if (st.blank_is_row) {
          on_field((void *)"", 0, &st);
          st.row_line = st.line;
          on_row(nl, &st);
        }
      } else if (line_start && !st.in_row && !e && len == 1 && p0[0] == '\r') {
        /* a chunk ends after a lone CR: half a blank CRLF line if LF comes next */
      } else if (line_start && !st.in_row && e && p.pstate == 0 && fast_line(&st, (char *)p0, len, nl)) {
        /* a whole line without quotes, split directly */
      } else {
        if (!st.in_row && (line_start || cr_pending)) st.row_line = st.field_line = st.line;
        st.last_line = st.line;
        size_t used = csv_parse(&p, p0, len, on_field, on_row, &st);
        if (used != len) {
          if (csv_error(&p) == CSV_EPARSE)
            set_parse_error(&st, false, p0 + used, len - used);
          else if (!st.error)
            g_set_error(&st.error, RS_ERROR, RS_ERROR_LIMIT, "%s: line %ld: the CSV parser failed: %s", r->path,
                        st.line, csv_strerror(csv_error(&p)));
          break;
        }
        if (p.entry_pos > r->opt.max_field && !st.error) {
          char *cd = column_desc(&st, st.col);
          g_set_error(&st.error, RS_ERROR, RS_ERROR_LIMIT,
                      "%s: line %ld, %s: a field longer than the limit of %zu bytes (--max-field)", r->path,
                      st.line, cd, r->opt.max_field);
          g_free(cd);
        }
        /* a field begun but not finished keeps the row open across lines */
        if (p.pstate != 0) st.in_row = true;
      }
      cr_pending = !e && line_start && !st.in_row && len == 1 && p0[0] == '\r';
      if (e) { st.line++; line_start = true; } else line_start = false;
      p0 = seg_end;
      r->consumed = chunk_start + (seg_end - t);
      r->consumed_line = st.line;
    }
    if (st.stop || st.error) break;
  }
  if (!st.stop && !st.error) {
    if (csv_fini(&p, on_field, on_row, &st) != 0) set_parse_error(&st, true, NULL, 0);
  }
  csv_free(&p);
  source_close(&s);
  if (st.error) {
    g_propagate_error(err, st.error);
    return -1;
  }
  return st.stop;
}

/* ---- whole small files as text ----------------------------------------- */

typedef struct {
  rs_text_table *t;
  bool header;
  GPtrArray *cur;
} text_ctx;

static int text_field(void *ctx, size_t row, size_t col, const char *text, size_t len, long line) {
  (void)row; (void)col; (void)line;
  text_ctx *c = ctx;
  g_ptr_array_add(c->cur, g_strndup(text, len));
  return 0;
}

static int text_row_end(void *ctx, size_t row, size_t nfields, long line) {
  (void)nfields;
  text_ctx *c = ctx;
  g_ptr_array_add(c->cur, NULL);
  char **v = (char **)g_ptr_array_free(c->cur, FALSE);
  c->cur = g_ptr_array_new_with_free_func(g_free);
  if (c->header && row == 0) {
    c->t->header = v;
  } else {
    g_ptr_array_add(c->t->rows, v);
    g_array_append_val(c->t->lines, line);
  }
  return 0;
}

rs_text_table *rs_reader_read_text(const char *path, const rs_read_options *opt, GError **err) {
  rs_reader *r = rs_reader_open(path, opt, err);
  if (!r) return NULL;
  rs_text_table *t = g_new0(rs_text_table, 1);
  t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  t->lines = g_array_new(FALSE, FALSE, sizeof(long));
  t->sniffed = r->sn;
  t->sniffed.title = NULL;
  text_ctx c = {.t = t, .header = r->opt.header, .cur = g_ptr_array_new_with_free_func(g_free)};
  rs_reader_callbacks cb = {.field = text_field, .row_end = text_row_end};
  int rc = rs_reader_run(r, &cb, &c, err);
  g_ptr_array_free(c.cur, TRUE);
  rs_reader_free(r);
  if (rc != 0) {
    rs_text_table_free(t);
    return NULL;
  }
  return t;
}

void rs_text_table_free(rs_text_table *t) {
  if (!t) return;
  g_strfreev(t->header);
  g_ptr_array_free(t->rows, TRUE);
  g_array_free(t->lines, TRUE);
  g_free(t);
}

int rs_text_table_column(const rs_text_table *t, const char *name) {
  if (!t->header) return -1;
  for (int i = 0; t->header[i]; i++) {
    char *h = g_strstrip(g_strdup(t->header[i]));
    bool eq = g_ascii_strcasecmp(h, name) == 0;
    g_free(h);
    if (eq) return i;
  }
  return -1;
}

/* ---- parallel ranges ----------------------------------------------------- */

bool rs_reader_can_split(const rs_reader *r) {
  /* Without quotes every line end ends a row, so a file can be cut at any
   * line end; converted or in-memory text keeps the single path. */
  return r->fp && !r->mem && !r->spooled && !r->has_quote && !r->cr_only && strcmp(r->sn.encoding, "utf-8") == 0;
}

void rs_reader_stop_position(const rs_reader *r, long long *offset, long *line) {
  *offset = r->consumed;
  *line = r->consumed_line;
}

static bool blank_line(const char *p, size_t len) { return len == 1 || (len == 2 && p[0] == '\r'); }

/* As in rs_reader_run: a blank line is a row without a header or under a
 * one-column header (the header was seen by the rs_reader_run before). */
static bool blank_is_row(const rs_reader *r) { return !r->opt.header || r->n_header == 1; }

size_t rs_reader_plan_ranges(rs_reader *r, long long from, long line, rs_reader_range *ranges, size_t nparts,
                             GError **err) {
  FILE *fp = fopen(r->path, "rb");
  if (!fp) {
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot open: %s", r->path, g_strerror(errno));
    return 0;
  }
  long long size = r->sn.bytes;
  /* cut points at line ends near equal shares */
  long long cut[RS_READER_MAX_RANGES + 1];
  cut[0] = from;
  size_t np = 1;
  for (size_t k = 1; k < nparts && k < RS_READER_MAX_RANGES; k++) {
    long long target = from + (size - from) * (long long)k / (long long)nparts;
    if (target <= cut[np - 1]) continue;
    if (fseek(fp, target, SEEK_SET) != 0) break;
    int c;
    long long pos = target;
    while ((c = getc(fp)) != EOF && c != '\n') pos++;
    if (c == EOF) break;
    cut[np++] = pos + 1;
  }
  cut[np] = size;
  /* count lines and non-blank rows per range */
  char *buf = g_malloc(CHUNK);
  long cur_line = line;
  bool ok = fseek(fp, from, SEEK_SET) == 0;
  for (size_t k = 0; k < np && ok; k++) {
    ranges[k].start = cut[k];
    ranges[k].end = cut[k + 1];
    ranges[k].first_line = cur_line;
    ranges[k].rows = 0;
    long long left = cut[k + 1] - cut[k];
    size_t partial = 0;  /* bytes of the current line seen so far */
    bool cr_last = false;
    while (left > 0) {
      size_t want = (size_t)MIN((long long)CHUNK, left);
      size_t n = fread(buf, 1, want, fp);
      if (n == 0) { ok = false; break; }
      left -= (long long)n;
      const char *p = buf, *end = buf + n;
      while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) {
          partial += (size_t)(end - p);
          cr_last = end[-1] == '\r';
          break;
        }
        size_t len = partial + (size_t)(e - p) + 1;
        bool blank = partial == 0 ? blank_line(p, (size_t)(e - p) + 1) : (len == 2 && cr_last && e == p);
        if (!blank || blank_is_row(r)) ranges[k].rows++;
        cur_line++;
        partial = 0;
        p = e + 1;
      }
    }
    if (partial > 0) { ranges[k].rows++; cur_line++; }  /* last line without a line end */
  }
  g_free(buf);
  struct stat now;
  bool shorter = fstat(fileno(fp), &now) == 0 && now.st_size < size;
  fclose(fp);
  if (!ok) {
    if (shorter)
      g_set_error(err, RS_ERROR, RS_ERROR_IO,
                  "%s: the file became shorter while it was being read (%lld bytes when opened, now %lld); is another "
                  "program writing it? Read it again when it is complete", r->path, size, (long long)now.st_size);
    else
      g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: read error while splitting the file", r->path);
    return 0;
  }
  return np;
}

int rs_reader_run_range(rs_reader *r, const rs_reader_range *rg, size_t first_row, const rs_reader_callbacks *cb,
                        void *ctx, GError **err) {
  FILE *fp = fopen(r->path, "rb");
  if (!fp || fseek(fp, rg->start, SEEK_SET) != 0) {
    if (fp) fclose(fp);
    g_set_error(err, RS_ERROR, RS_ERROR_IO, "%s: cannot open: %s", r->path, g_strerror(errno));
    return -1;
  }
  run_state st = {.r = r, .cb = cb, .ctx = ctx, .row = first_row, .line = rg->first_line, .row_line = rg->first_line,
                  .field_line = rg->first_line};
  const char nl = '\n';
  size_t cap = CHUNK;
  char *buf = g_malloc(cap + 1);
  size_t carry = 0;
  long long left = rg->end - rg->start;
  while (!st.stop && !st.error) {
    if (carry == cap) {
      /* one line longer than the buffer: make room (the field limit is checked per field) */
      if (cap > r->opt.max_field + (64u << 20)) {
        g_set_error(&st.error, RS_ERROR, RS_ERROR_LIMIT, "%s: line %ld: a field longer than the limit of %zu bytes (--max-field)",
                    r->path, st.line, r->opt.max_field);
        break;
      }
      cap *= 2;
      buf = g_realloc(buf, cap + 1);
    }
    size_t want = (size_t)MIN((long long)(cap - carry), left);
    size_t n = want ? fread(buf + carry, 1, want, fp) : 0;
    if (want && n == 0) {
      if (ferror(fp))
        g_set_error(&st.error, RS_ERROR, RS_ERROR_IO, "%s: read error: %s", r->path, g_strerror(errno));
      else
        g_set_error(&st.error, RS_ERROR, RS_ERROR_IO,
                    "%s: the file became shorter while it was being read (%lld bytes when opened); is another "
                    "program writing it? Read it again when it is complete", r->path, r->sn.bytes);
      break;
    }
    left -= (long long)n;
    size_t avail = carry + n;
    if (avail == 0) break;
    if (left == 0 && buf[avail - 1] != '\n') buf[avail++] = '\n';  /* the last line of the file */
    char *p = buf, *end = buf + avail;
    while (p < end && !st.stop && !st.error) {
      char *e = memchr(p, nl, (size_t)(end - p));
      if (!e) break;
      size_t len = (size_t)(e - p) + 1;
      if (!blank_line(p, len)) {
        fast_line(&st, p, len, nl);
      } else if (blank_is_row(r)) {
        on_field((void *)"", 0, &st);
        st.row_line = st.line;
        on_row(nl, &st);
      }
      st.line++;
      p = e + 1;
    }
    carry = (size_t)(end - p);
    memmove(buf, p, carry);
    if (left == 0 && carry == 0) break;
  }
  g_free(buf);
  fclose(fp);
  if (st.error) {
    g_propagate_error(err, st.error);
    return -1;
  }
  return st.stop;
}
