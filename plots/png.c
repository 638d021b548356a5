/* png.c — RGB(A) PNG through libpng at zlib level 1, no row filters (see png.h). */
#include "plots/png.h"

#include <png.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>

static void write_bytes(png_structp p, png_bytep data, png_size_t n) {
  g_byte_array_append((GByteArray *)png_get_io_ptr(p), data, (guint)n);
}

static void flush_bytes(png_structp p) { (void)p; }

cairo_status_t rs_plot_png_encode(cairo_surface_t *img, double dpi, GByteArray *out) {
  cairo_format_t fmt = cairo_image_surface_get_format(img);
  if (fmt != CAIRO_FORMAT_RGB24 && fmt != CAIRO_FORMAT_ARGB32) return CAIRO_STATUS_INVALID_FORMAT;
  int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  int stride = cairo_image_surface_get_stride(img);
  const unsigned char *data = cairo_image_surface_get_data(img);
  bool alpha = fmt == CAIRO_FORMAT_ARGB32;
  int channels = alpha ? 4 : 3;
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = p ? png_create_info_struct(p) : NULL;
  unsigned char *volatile row = NULL;
  if (!info) {
    png_destroy_write_struct(&p, NULL);
    return CAIRO_STATUS_NO_MEMORY;
  }
  if (setjmp(png_jmpbuf(p))) {  /* libpng reports errors by longjmp */
    png_destroy_write_struct(&p, &info);
    g_free(row);
    return CAIRO_STATUS_WRITE_ERROR;
  }
  png_set_write_fn(p, out, write_bytes, flush_bytes);
  png_set_compression_level(p, 1);
  png_set_filter(p, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8, alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (dpi > 0) {
    png_uint_32 ppm = (png_uint_32)(dpi / 0.0254 + 0.5);
    png_set_pHYs(p, info, ppm, ppm, PNG_RESOLUTION_METER);
  }
  png_write_info(p, info);
  if (!alpha) {
    /* RGB24 rows go to libpng as they are: a 32-bit 0x00RRGGBB per pixel,
     * whose filler byte libpng strips and whose byte order it swaps. */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
    png_set_bgr(p);
    png_set_filler(p, 0, PNG_FILLER_AFTER);
#else
    png_set_filler(p, 0, PNG_FILLER_BEFORE);
#endif
    for (int y = 0; y < h; y++) png_write_row(p, (png_const_bytep)(data + (size_t)y * (size_t)stride));
    png_write_end(p, NULL);
    png_destroy_write_struct(&p, &info);
    return CAIRO_STATUS_SUCCESS;
  }
  row = g_malloc((gsize)w * (gsize)channels);
  for (int y = 0; y < h; y++) {
    const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
    unsigned char *o = row;
    for (int x = 0; x < w; x++) {
      uint32_t v = px[x];
      unsigned a = v >> 24, r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
      if (alpha && a != 0 && a != 255) {  /* cairo stores premultiplied colour */
        r = (r * 255 + a / 2) / a;
        g = (g * 255 + a / 2) / a;
        b = (b * 255 + a / 2) / a;
      }
      *o++ = (unsigned char)r;
      *o++ = (unsigned char)g;
      *o++ = (unsigned char)b;
      if (alpha) *o++ = (unsigned char)a;
    }
    png_write_row(p, row);
  }
  png_write_end(p, NULL);
  png_destroy_write_struct(&p, &info);
  g_free(row);
  return CAIRO_STATUS_SUCCESS;
}
