/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

/* What preparing a page did to its geometry, in order: the photographed
 * page squared up (perspective), turned upright (rotation), straightened
 * (skew).  sohoa_preprocess_map_box_to_upright() undoes it for a box:
 * from the image Tesseract read to the original only turned upright, the
 * image the clerk sees. */
typedef struct
{
  int      source_width;      /* the original, as read */
  int      source_height;
  gboolean perspective;
  float    projective[8];     /* Leptonica's coefficients: squared-up page → original */
  int      warped_width;      /* the squared-up page (no perspective: the original) */
  int      warped_height;
  int      rotation;          /* quarter turns clockwise: 0, 90, 180, 270 */
  float    skew;              /* degrees the turned page was rotated by (pixRotate) */
  float    skew_cx;           /* about this point, as Leptonica rotates */
  float    skew_cy;
  int      width;             /* the image Tesseract read */
  int      height;
} SohoaPreprocessTransform;

typedef struct
{
  int      rotation;          /* quarter turns clockwise applied: 0, 90, 180, 270 */
  float    orientation_confidence;
  float    skew;              /* degrees corrected */
  gboolean blank;
  gboolean orientation_unsure; /* Leptonica could not tell which way up */
  gboolean perspective;       /* a photo's page was warped to a rectangle */
  float    quad[8];           /* if so, its corners in the original: TL, TR, BR, BL (x, y) */
  int      quad_width;        /* and the size of the rectangle it became */
  int      quad_height;
  SohoaPreprocessTransform transform;
} SohoaPreprocessInfo;

void     sohoa_preprocess_map_box_to_upright (const SohoaPreprocessTransform *transform,
                                              int                            *x,
                                              int                            *y,
                                              int                            *w,
                                              int                            *h);

gboolean sohoa_preprocess_find_page_quad (PIX   *pixs,
                                          float  quad[8],
                                          int   *width,
                                          int   *height);
PIX     *sohoa_preprocess_warp_quad      (PIX         *pixs,
                                          const float  quad[8],
                                          int          width,
                                          int          height);

typedef struct
{
  int      rotation;          /* -1: find it; else the quarter turn to apply */
  gboolean no_cleanup;        /* only turn the page: no flattening, cleaning, straightening */
} SohoaPreprocessOptions;

PIX *sohoa_preprocess_for_ocr (PIX                 *pixs,
                               SohoaPreprocessInfo *info,
                               PIX                **upright_colour);
PIX *sohoa_preprocess_page    (PIX                          *pixs,
                               const SohoaPreprocessOptions *options,
                               SohoaPreprocessInfo          *info,
                               PIX                         **upright_colour);

G_END_DECLS
