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
} SohoaPreprocessInfo;

PIX *sohoa_preprocess_for_ocr (PIX                 *pixs,
                               SohoaPreprocessInfo *info,
                               PIX                **upright_colour);

G_END_DECLS
