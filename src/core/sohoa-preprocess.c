/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-preprocess"

#include "config.h"

#include "sohoa-image-private.h"
#include "sohoa-preprocess.h"

#include <math.h>

/* Below this share of dark pixels in the text area a page has nothing
 * written on it (a blank back of a sheet, a separator). */
#define BLANK_INK_FRACTION 0.0015

static PIX *
to_gray (PIX *pixs)
{
  g_autoptr(PIX) plain = pixRemoveColormap (pixs, REMOVE_CMAP_BASED_ON_SRC);

  switch (pixGetDepth (plain))
    {
    case 32:
      return pixConvertRGBToLuminance (plain);
    case 8:
      return pixClone (plain);
    default:
      return pixConvertTo8 (plain, FALSE);
    }
}

static gboolean
is_blank (PIX *binary)
{
  g_autoptr(PIX) inner = NULL;
  l_int32 w = pixGetWidth (binary);
  l_int32 h = pixGetHeight (binary);
  l_int32 count = 0;
  BOX *box;

  /* Ignore a 5 % margin, where scanner shadows and punch holes are. */
  box = boxCreate (w / 20, h / 20, w - w / 10, h - h / 10);
  inner = pixClipRectangle (binary, box, NULL);
  boxDestroy (&box);
  if (inner == NULL)
    return FALSE;

  pixCountPixels (inner, &count, NULL);
  return count < BLANK_INK_FRACTION * pixGetWidth (inner) * pixGetHeight (inner);
}

/* Whitens, in @gray, what @binary shows to be noise rather than writing:
 * - ruling lines (registers, forms, underlines), which Tesseract reads as
 *   "|" and "_" and which cut the row numbers they touch;
 * - specks of a photocopy or a dirty glass far from any letter, which
 *   break Tesseract's line finding.  A speck near a letter is left alone:
 *   Vietnamese marks (the dot below ạ, tone marks) are specks too. */
static void
clean_noise (PIX *gray,
             PIX *binary,
             int  dpi)
{
  g_autoptr(PIX) horizontal = NULL;
  g_autoptr(PIX) vertical = NULL;
  g_autoptr(PIX) lines = NULL;
  g_autoptr(PIX) small = NULL;
  g_autoptr(PIX) big = NULL;
  g_autoptr(PIX) near_text = NULL;
  g_autoptr(PIX) specks = NULL;
  int line_length = MAX (dpi / 3, 40);      /* a third of an inch */
  int speck_size = MAX (dpi / 60, 3);       /* 5 px at 300 dpi */
  int reach = MAX (dpi / 20, 8);            /* how far a mark sits from its letter */

  horizontal = pixOpenCompBrick (NULL, binary, line_length, 1);
  vertical = pixOpenCompBrick (NULL, binary, 1, line_length);
  if (horizontal && vertical)
    {
      lines = pixOr (NULL, horizontal, vertical);
      pixDilateBrick (lines, lines, 3, 3);
      pixSetMasked (gray, lines, 255);
    }

  small = pixSelectBySize (binary, speck_size, speck_size, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LT, NULL);
  if (small == NULL)
    return;
  big = pixSubtract (NULL, binary, small);
  if (lines)
    pixSubtract (big, big, lines);
  near_text = pixDilateCompBrick (NULL, big, 2 * reach + 1, 2 * reach + 1);
  specks = pixSubtract (NULL, small, near_text);
  if (specks)
    {
      pixDilateBrick (specks, specks, 3, 3);
      pixSetMasked (gray, specks, 255);
    }
}

/* Applies the turn and straightening recorded in @info to another image of
 * the same page. */
static PIX *
transform_like (PIX                       *pixs,
                const SohoaPreprocessInfo *info)
{
  g_autoptr(PIX) plain = pixRemoveColormap (pixs, REMOVE_CMAP_BASED_ON_SRC);
  g_autoptr(PIX) turned = info->rotation ? pixRotateOrth (plain, info->rotation / 90) : pixClone (plain);
  PIX *straight;

  if (turned == NULL)
    return pixClone (pixs);
  pixCopyResolution (turned, pixs);
  if (info->skew == 0)
    return g_steal_pointer (&turned);

  straight = pixRotate (turned, info->skew * (float) G_PI / 180.0f, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  if (straight == NULL)
    return g_steal_pointer (&turned);
  pixCopyResolution (straight, pixs);
  return straight;
}

/* Below these, Leptonica's orientation statistics decide nothing: the
 * page is left as it is and the clerk is asked (see the comment below). */
#define ORIENT_MIN_CONFIDENCE 5.0f
#define ORIENT_MIN_RATIO      2.0f

/**
 * sohoa_preprocess_for_ocr:
 * @pixs: the page as scanned, any depth
 * @info: (out caller-allocates): what was found and corrected
 * @upright_colour: (out) (optional) (transfer full): the page as scanned,
 *   turned and straightened the same way, for a searchable PDF whose text
 *   layer must line up with it
 *
 * Prepares a page for recognition: greyscale, background flattened (yellowed
 * paper, uneven light, faded ink), turned upright, straightened.  The
 * original is not changed.
 *
 * Returns: (transfer full): an 8-bit image for Tesseract
 */
PIX *
sohoa_preprocess_for_ocr (PIX                 *pixs,
                          SohoaPreprocessInfo *info,
                          PIX                **upright_colour)
{
  return sohoa_preprocess_page (pixs, NULL, info, upright_colour);
}

/* Only turned, as the clerk asked: for a page the cleanup made worse. */
static PIX *
preprocess_plain (PIX                 *pixs,
                  int                  rotation,
                  SohoaPreprocessInfo *info,
                  PIX                **upright_colour)
{
  g_autoptr(PIX) gray = to_gray (pixs);
  PIX *turned;

  info->rotation = rotation;
  turned = rotation ? pixRotateOrth (gray, rotation / 90) : pixClone (gray);
  pixCopyResolution (turned, pixs);
  if (upright_colour)
    *upright_colour = transform_like (pixs, info);
  return turned;
}

/**
 * sohoa_preprocess_page:
 * @options: (nullable): a turn the clerk chose, or no cleanup at all;
 *   %NULL finds everything
 *
 * Like sohoa_preprocess_for_ocr(), with the page's own settings.
 */
PIX *
sohoa_preprocess_page (PIX                          *pixs,
                       const SohoaPreprocessOptions *options,
                       SohoaPreprocessInfo          *info,
                       PIX                         **upright_colour)
{
  g_autoptr(PIX) gray = NULL;
  g_autoptr(PIX) flat = NULL;
  g_autoptr(PIX) binary = NULL;
  g_autoptr(PIX) upright = NULL;
  l_float32 upconf = 0, leftconf = 0;
  l_float32 angle = 0, conf = 0;
  l_int32 rotation = 0;
  int forced = options ? options->rotation : -1;

  g_return_val_if_fail (pixs != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  *info = (SohoaPreprocessInfo) { 0 };
  if (upright_colour)
    *upright_colour = NULL;
  if (forced >= 0)
    forced = ((forced / 90) % 4 + 4) % 4 * 90;

  if (options && options->no_cleanup)
    return preprocess_plain (pixs, MAX (forced, 0), info, upright_colour);

  gray = to_gray (pixs);
  flat = pixBackgroundNormSimple (gray, NULL, NULL);
  if (flat == NULL)
    flat = pixClone (gray);
  else
    /* Leptonica brings the background to 200: stretch it to white and
     * leave the ink as it is (darkening it too cost phone photos more
     * than it gained on faded pages, in the bench corpus). */
    pixGammaTRC (flat, flat, 1.0f, 0, 200);
  pixCopyResolution (flat, pixs);

  binary = pixThresholdToBinary (flat, 150);
  if (binary == NULL)
    {
      if (upright_colour)
        *upright_colour = pixClone (pixs);
      return g_steal_pointer (&flat);
    }

  clean_noise (flat, binary, pixGetXRes (pixs) >= 70 ? pixGetXRes (pixs) : 300);

  /* A blank page is flagged, and still goes on to be read: a page of faded
   * ink may look blank to a fixed threshold, and reading a blank page costs
   * Tesseract little. */
  info->blank = is_blank (binary);

  /* Upright: Leptonica's ascender/descender statistics on the binary page.
   * Its defaults (confidence 8, ratio 2.5 between the two directions)
   * leave register pages — short text in ruled tables — unturned at 6 to 7
   * and 2.2; 5 and 2.0 turned them right and still left all 72 upright
   * pages of three kinds, three fonts, 200 and 300 dpi alone.  Below
   * those the page is left as it is and flagged "orientation unsure" (a
   * page with little text, a photo): the clerk is asked.  A turn the
   * clerk chose is applied as it is. */
  if (forced >= 0)
    rotation = forced;
  else if (pixOrientDetect (binary, &upconf, &leftconf, 0, 0) == 0)
    {
      l_int32 orient = L_TEXT_ORIENT_UNKNOWN;

      info->orientation_confidence = MAX (fabsf (upconf), fabsf (leftconf));
      makeOrientDecision (upconf, leftconf, ORIENT_MIN_CONFIDENCE, ORIENT_MIN_RATIO, &orient, 0);
      switch (orient)
        {
        case L_TEXT_ORIENT_LEFT: rotation = 90; break;
        case L_TEXT_ORIENT_DOWN: rotation = 180; break;
        case L_TEXT_ORIENT_RIGHT: rotation = 270; break;
        case L_TEXT_ORIENT_UP: rotation = 0; break;
        default:
          rotation = 0;
          info->orientation_unsure = !info->blank;
        }
    }
  else
    info->orientation_unsure = !info->blank;

  if (rotation != 0)
    {
      PIX *turned_binary = pixRotateOrth (binary, rotation / 90);

      upright = pixRotateOrth (flat, rotation / 90);
      pixCopyResolution (upright, flat);
      g_clear_pointer (&binary, _sohoa_pix_destroy);
      binary = turned_binary;
      info->rotation = rotation;
    }
  else
    upright = g_steal_pointer (&flat);

  /* Straight: skew found on the binary page, corrected on the grey one.
   * pixFindSkew gives the angle that corrects the page, as pixDeskew uses it. */
  if (pixFindSkew (binary, &angle, &conf) == 0 && conf > 2.5f && fabsf (angle) > 0.1f)
    {
      PIX *straight = pixRotate (upright, angle * (float) G_PI / 180.0f, L_ROTATE_AREA_MAP,
                                 L_BRING_IN_WHITE, 0, 0);
      if (straight)
        {
          pixCopyResolution (straight, upright);
          g_clear_pointer (&upright, _sohoa_pix_destroy);
          upright = straight;
          info->skew = angle;
        }
    }

  if (upright_colour)
    *upright_colour = transform_like (pixs, info);

  return g_steal_pointer (&upright);
}
