/* style.c — palette and sizes (see style.h). */
#include "plots/style.h"

#define HEX(h) {((h) >> 16 & 0xff) / 255.0, ((h) >> 8 & 0xff) / 255.0, ((h) & 0xff) / 255.0}

/* Okabe & Ito (2008), "Color Universal Design". */
static const rs_plot_rgb okabe_ito[8] = {
  HEX(0x0072B2), HEX(0xE69F00), HEX(0x009E73), HEX(0xD55E00),
  HEX(0x56B4E9), HEX(0xCC79A7), HEX(0xF0E442), HEX(0x000000),
};

void rs_plot_style_for_width(rs_plot_style *s, double width_cm) {
  int column = width_cm <= 12.0;
  s->font_family = "DejaVu Sans, Sans";
  s->font_size = column ? 7.0 : 9.0;
  s->title_size = column ? 8.5 : 11.0;
  s->small_size = column ? 6.0 : 7.5;
  s->line_width = column ? 0.9 : 1.1;
  s->thin_width = 0.5;
  s->grid_width = 0.4;
  s->tick_length = 3.0;
  s->margin = column ? 5.0 : 8.0;
  s->gap = column ? 3.0 : 4.0;
  s->marker = column ? 2.2 : 2.8;
  s->text = (rs_plot_rgb){0.1, 0.1, 0.1};
  s->muted = (rs_plot_rgb){0.35, 0.35, 0.35};
  s->axis = (rs_plot_rgb){0.25, 0.25, 0.25};
  s->grid = (rs_plot_rgb){0.88, 0.88, 0.88};
  s->background = (rs_plot_rgb){1, 1, 1};
}

rs_plot_rgb rs_plot_palette(size_t i) { return okabe_ito[i % 8]; }

rs_plot_rgb rs_plot_diverging(size_t i, size_t n) {
  static const rs_plot_rgb neg[2] = {HEX(0xD55E00), HEX(0xEFA868)};  /* vermillion, light orange */
  static const rs_plot_rgb pos[2] = {HEX(0x0072B2), HEX(0x8EC8EC)};  /* blue, light sky blue */
  static const rs_plot_rgb grey = HEX(0xC8C8C8);
  if (n == 0) return grey;
  size_t half = n / 2;
  if (n % 2 == 1 && i == half) return grey;
  if (i < half) {                       /* disagree side: strongest first */
    size_t k = half - 1 - i;            /* 0 nearest the middle */
    double t = half > 1 ? (double)k / (double)(half - 1) : 1.0;
    return (rs_plot_rgb){neg[1].r + t * (neg[0].r - neg[1].r), neg[1].g + t * (neg[0].g - neg[1].g),
                         neg[1].b + t * (neg[0].b - neg[1].b)};
  }
  size_t k = i - (n + 1) / 2;           /* 0 nearest the middle */
  double t = half > 1 ? (double)k / (double)(half - 1) : 1.0;
  return (rs_plot_rgb){pos[1].r + t * (pos[0].r - pos[1].r), pos[1].g + t * (pos[0].g - pos[1].g),
                       pos[1].b + t * (pos[0].b - pos[1].b)};
}

rs_plot_rgb rs_plot_text_on(rs_plot_rgb bg) {
  double lum = 0.2126 * bg.r + 0.7152 * bg.g + 0.0722 * bg.b;
  return lum < 0.5 ? (rs_plot_rgb){1, 1, 1} : (rs_plot_rgb){0.1, 0.1, 0.1};
}
