/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

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
} SohoaPreprocessInfo;

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
