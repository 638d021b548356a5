/* axis.h — value axes: nice ticks in 1-2-5 steps, tick labels in the
 * reader's number format (nb: decimal comma and a thin no-break space
 * between thousands, "1 000,5"; en: "1,000.5"), axis titles with units.
 * Part of the plots module (plots/plot.h).
 */
#ifndef RS_PLOT_AXIS_H
#define RS_PLOT_AXIS_H

#include <glib.h>
#include <stdbool.h>

typedef struct rs_plot rs_plot;

#define RS_PLOT_MAX_TICKS 24

typedef struct {
  double lo, hi;                 /* the range the axis shows (tick-aligned) */
  double step;                   /* 1, 2 or 5 times a power of ten */
  int n_ticks;
  double ticks[RS_PLOT_MAX_TICKS];
  int decimals;                  /* for the tick labels */
  bool percent;                  /* label ticks as percentages ("40 %") */
  bool absolute;                 /* label ticks by their absolute value (diverging bars) */
} rs_plot_axis;

/* Ticks covering [lo, hi] (and 0 when include_zero) with at most
 * max_ticks ticks (>= 2).  lo == hi gets a unit-wide range around it.
 * lo and hi must be finite. */
/* Both keep a's percent and absolute flags. */
void rs_plot_axis_nice(rs_plot_axis *a, double lo, double hi, int max_ticks, bool include_zero);
/* Ticks for a fixed range (Likert scale 1–5, percent −100…100). */
void rs_plot_axis_fixed(rs_plot_axis *a, double lo, double hi, double step);
/* Position of value v between the screen coordinates p_lo (at a->lo) and p_hi (at a->hi). */
double rs_plot_axis_map(const rs_plot_axis *a, double v, double p_lo, double p_hi);

/* "1 000,5" (nb) or "1,000.5" (en) with `decimals` decimals; a minus sign
 * (U+2212) for negatives.  To g_free. */
char *rs_plot_format_number(double v, int decimals, const char *lang);
/* The same followed by " %" (nb, no-break space) or "%" (en). */
char *rs_plot_format_percent(double v, int decimals, const char *lang);
/* A tick label of axis a. */
char *rs_plot_axis_label(const rs_plot_axis *a, double v, const char *lang);
/* Widest tick label (points) in the tick font. */
double rs_plot_axis_label_width(rs_plot *p, const rs_plot_axis *a);

/* A horizontal value axis at height y from x0 (a->lo) to x1 (a->hi):
 * line, ticks and labels below, `title` (with unit) centred under them.
 * With grid_top < y draws light vertical grid lines up to grid_top
 * first.  Returns the height the axis takes below y. */
double rs_plot_axis_draw_x(rs_plot *p, const rs_plot_axis *a, double x0, double x1, double y, const char *title,
                           double grid_top);
/* The height rs_plot_axis_draw_x will take (for layout before drawing). */
double rs_plot_axis_height_x(rs_plot *p, const char *title);
/* A vertical value axis at x from y0 (bottom, a->lo) to y1 (top, a->hi),
 * labels to the left and `title` rotated beside them; grid lines across to
 * grid_right when grid_right > x.  Returns the width it takes left of x. */
double rs_plot_axis_draw_y(rs_plot *p, const rs_plot_axis *a, double y0, double y1, double x, const char *title,
                           double grid_right);
/* The width rs_plot_axis_draw_y will take. */
double rs_plot_axis_width_y(rs_plot *p, const rs_plot_axis *a, const char *title);

#endif
