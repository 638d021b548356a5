/* tilemap.h — the fylke tile map: the 15 fylker of 2024 as equal squares
 * in their rough places (Finnmark top right, Agder and Rogaland at the
 * bottom, Oslo beside Akershus), filled on a sequential colour scale by
 * one value each, with the name and the value in the tile and a colour
 * bar.  Tiles with fewer observations than the minimum are drawn grey
 * ("suppressed"), tiles without data white.  The values come from
 * analysis/bygroup.h; the names from the reference data.  Part of plots.
 */
#ifndef RS_PLOT_TILEMAP_H
#define RS_PLOT_TILEMAP_H

#include <stdbool.h>

#include "plots/plot.h"

#define RS_PLOT_TILEMAP_N 15

typedef struct {
  const char *code;       /* "03" (2024 fylke code) */
  const char *name;       /* "Oslo", or NULL to show the code */
  size_t n;               /* observations behind the value */
  double value;           /* NAN: no data */
  bool suppressed;        /* n below the minimum: not shown */
} rs_plot_tile;

typedef struct {
  rs_plot_tile tiles[RS_PLOT_TILEMAP_N];  /* the 15 fylker, any order */
  const char *title, *subtitle, *scale_title, *note;  /* note: added to the caption */
  int decimals;           /* of the values in the tiles */
  size_t min_n;           /* the suppression threshold, for the caption */
} rs_plot_tilemap_data;

/* The 15 fylke codes of 2024 in the grid, in code order ("03" … "56"). */
extern const char *const rs_plot_tilemap_codes[RS_PLOT_TILEMAP_N];
/* Index of a 2024 fylke code in rs_plot_tilemap_codes, or -1. */
int rs_plot_tilemap_index(const char *code);

gboolean rs_plot_tilemap(rs_plot *p, const rs_plot_tilemap_data *d, GError **err);

#endif
