/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-preprocess"

#include "config.h"

#include "sohoa-image-private.h"
#include "sohoa-preprocess.h"

#include <math.h>
#include <string.h>

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

static int otsu_threshold (PIX *gray);

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

/* How far around the ink the grey image is kept as it is, in pixels: the
 * grey edges of the strokes, which Tesseract's recognizer reads, and the
 * gap between a letter and a faint mark above or below it. */
#define PAPER_KEEP_AROUND_INK 5

/* Makes the paper of @gray plain white, leaving the ink and a few pixels
 * around it untouched.
 *
 * Tesseract finds lines on its own binary image but reads each line from
 * the grey one it was given.  Grain of a photocopy or a noisy scan, which
 * its thresholding ignores, still reaches the recognizer: on a grainy
 * 300 dpi typewriter photocopy it misread a third of the characters and
 * one mark in sixteen (ỹ → y, Sổ → SỐ), reading well on the same page
 * with the paper cleared (bench/README.md).  Ink is what Otsu's threshold
 * of the flattened page calls dark, which adapts to faded ink and blurred
 * strokes where a fixed threshold erased them.  Small marks are ink too,
 * and specks left by clean_noise() near letters are kept with them. */
static void
whiten_paper (PIX *gray)
{
  g_autoptr(PIX) ink = pixThresholdToBinary (gray, otsu_threshold (gray));

  if (ink == NULL)
    return;
  pixDilateBrick (ink, ink, PAPER_KEEP_AROUND_INK, PAPER_KEEP_AROUND_INK);
  pixInvert (ink, ink);
  pixSetMasked (gray, ink, 255);
}

/* Perspective ------------------------------------------------------------- */

/* A phone photo of a page: a light quadrilateral on a darker table, its
 * sides converging.  Found on a copy about 600 px wide: the light part
 * (Otsu threshold), its largest connected piece, whose corners are the
 * pixels furthest along the two diagonals (x + y and x - y), which holds
 * for a page turned less than 45 degrees. */
#define QUAD_WORK_SIZE       600
#define QUAD_MIN_PAGE        0.20   /* of the photo */
#define QUAD_MAX_PAGE        0.97
#define QUAD_MIN_CONTRAST    40     /* grey levels between page and table */
#define QUAD_MIN_SLANT       0.015  /* corner off its bounding box, of the size */

static int
otsu_threshold (PIX *gray)
{
  NUMA *hist = pixGetGrayHistogram (gray, 1);
  double total = 0, sum = 0, sum_b = 0, w_b = 0, best = -1;
  int threshold = 128;

  if (hist == NULL)
    return threshold;
  for (int i = 0; i < 256; i++)
    {
      l_float32 v = 0;

      numaGetFValue (hist, i, &v);
      total += v;
      sum += i * (double) v;
    }
  for (int i = 0; i < 256; i++)
    {
      l_float32 v = 0;
      double w_f, between;

      numaGetFValue (hist, i, &v);
      w_b += v;
      if (w_b == 0)
        continue;
      w_f = total - w_b;
      if (w_f == 0)
        break;
      sum_b += i * (double) v;
      between = w_b * w_f * (sum_b / w_b - (sum - sum_b) / w_f) * (sum_b / w_b - (sum - sum_b) / w_f);
      if (between > best)
        {
          best = between;
          threshold = i + 1;
        }
    }
  numaDestroy (&hist);
  return threshold;
}

static double
dist (const float *a,
      const float *b)
{
  return hypot (a[0] - b[0], a[1] - b[1]);
}

/* The true width ÷ height of a rectangle seen as @quad by a pinhole
 * camera centred on (@u0, @v0): the sides alone understate the far edge.
 * Zhang and He, "Whiteboard scanning and image enhancement" (2007).
 * Returns 0 when the view is too square-on to tell (then the sides do). */
static double
page_aspect (const float quad[8],
             double      u0,
             double      v0)
{
  /* m1 top left, m2 top right, m3 bottom left, m4 bottom right */
  double m[4][3] = {
    { quad[0] - u0, quad[1] - v0, 1 },
    { quad[2] - u0, quad[3] - v0, 1 },
    { quad[6] - u0, quad[7] - v0, 1 },
    { quad[4] - u0, quad[5] - v0, 1 },
  };
  double c14[3] = {
    m[0][1] * m[3][2] - m[0][2] * m[3][1],
    m[0][2] * m[3][0] - m[0][0] * m[3][2],
    m[0][0] * m[3][1] - m[0][1] * m[3][0],
  };
  double c24[3] = {
    m[1][1] * m[3][2] - m[1][2] * m[3][1],
    m[1][2] * m[3][0] - m[1][0] * m[3][2],
    m[1][0] * m[3][1] - m[1][1] * m[3][0],
  };
  double c34[3] = {
    m[2][1] * m[3][2] - m[2][2] * m[3][1],
    m[2][2] * m[3][0] - m[2][0] * m[3][2],
    m[2][0] * m[3][1] - m[2][1] * m[3][0],
  };
  double d2 = c24[0] * m[2][0] + c24[1] * m[2][1] + c24[2] * m[2][2];
  double d3 = c34[0] * m[1][0] + c34[1] * m[1][1] + c34[2] * m[1][2];
  double k2, k3, n2[3], n3[3], f2;

  if (fabs (d2) < 1e-9 || fabs (d3) < 1e-9)
    return 0;
  k2 = (c14[0] * m[2][0] + c14[1] * m[2][1] + c14[2] * m[2][2]) / d2;
  k3 = (c14[0] * m[1][0] + c14[1] * m[1][1] + c14[2] * m[1][2]) / d3;
  for (int i = 0; i < 3; i++)
    {
      n2[i] = k2 * m[1][i] - m[0][i];
      n3[i] = k3 * m[2][i] - m[0][i];
    }
  if (fabs (n2[2] * n3[2]) < 1e-12)
    return 0;   /* opposite sides parallel: no perspective to undo */
  f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2]);
  if (f2 <= 0)
    return 0;
  return sqrt ((n2[0] * n2[0] + n2[1] * n2[1] + f2 * n2[2] * n2[2]) /
               (n3[0] * n3[0] + n3[1] * n3[1] + f2 * n3[2] * n3[2]));
}

/**
 * sohoa_preprocess_find_page_quad:
 * @quad: (out): the page's corners in @pixs: top left, top right, bottom
 *   right, bottom left, as x, y pairs
 * @width: (out): the width of the rectangle the page should become
 * @height: (out): its height
 *
 * Finds a photographed page: a light quadrilateral on a clearly darker
 * background, whose sides are not those of an upright rectangle.  A
 * scanned page (no background, or a straight page on a dark lid) is not
 * one.
 *
 * Returns: whether the page should be warped
 */
gboolean
sohoa_preprocess_find_page_quad (PIX   *pixs,
                                 float  quad[8],
                                 int   *width,
                                 int   *height)
{
  g_autoptr(PIX) plain = pixRemoveColormap (pixs, REMOVE_CMAP_BASED_ON_SRC);
  g_autoptr(PIX) reduced = NULL;
  g_autoptr(PIX) small = NULL;
  g_autoptr(PIX) dark = NULL;
  g_autoptr(PIX) light = NULL;
  PIXA *pieces = NULL;
  BOXA *boxes = NULL;
  g_autoptr(PIX) page = NULL;
  gboolean found;
  l_int32 w = pixGetWidth (pixs), h = pixGetHeight (pixs);
  float scale = (float) QUAD_WORK_SIZE / MAX (w, h);
  l_int32 sw, sh, bx, by, bw, bh, count = 0, n, best = -1, best_count = 0;
  double best_d[4] = { G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, G_MAXDOUBLE };
  float corner[8] = { 0 };
  l_float32 page_mean = 0, all_mean = 0;
  double page_share, table_mean, slant = 0;
  int threshold;

  if (scale >= 1.0f)
    scale = 1.0f;
  /* Shrink first, then grey: a 300 dpi colour photo is 35 MB. */
  if (pixGetDepth (plain) == 1)
    reduced = scale < 1.0f ? pixScaleToGray (plain, MAX (scale, 0.0625f)) : pixConvertTo8 (plain, FALSE);
  else
    reduced = scale < 1.0f ? pixScaleAreaMap (plain, scale, scale) : pixClone (plain);
  if (reduced == NULL || !(small = to_gray (reduced)))
    return FALSE;
  sw = pixGetWidth (small);
  sh = pixGetHeight (small);

  threshold = otsu_threshold (small);
  dark = pixThresholdToBinary (small, threshold);
  if (dark == NULL || !(light = pixInvert (NULL, dark)))
    return FALSE;
  /* Close the page over its lines of text, open away thin light things on
   * the table. */
  pixCloseBrick (light, light, 5, 5);
  pixOpenBrick (light, light, 3, 3);

  boxes = pixConnComp (light, &pieces, 8);
  boxaDestroy (&boxes);
  if (pieces == NULL)
    return FALSE;
  n = pixaGetCount (pieces);
  for (l_int32 i = 0; i < n; i++)
    {
      PIX *piece = pixaGetPix (pieces, i, L_CLONE);

      pixCountPixels (piece, &count, NULL);
      if (count > best_count)
        {
          best_count = count;
          best = i;
        }
      pixDestroy (&piece);
    }
  page_share = (double) best_count / ((double) sw * sh);
  found = best >= 0 && page_share >= QUAD_MIN_PAGE && page_share <= QUAD_MAX_PAGE;
  if (found)
    {
      page = pixaGetPix (pieces, best, L_CLONE);
      pixaGetBoxGeometry (pieces, best, &bx, &by, &bw, &bh);
    }
  pixaDestroy (&pieces);
  if (!found)
    return FALSE;

  /* The table must be clearly darker than the page. */
  {
    g_autoptr(PIX) mask = pixCreate (sw, sh, 1);

    pixRasterop (mask, bx, by, bw, bh, PIX_SRC, page, 0, 0);
    pixGetAverageMasked (small, mask, 0, 0, 1, L_MEAN_ABSVAL, &page_mean);
    pixGetAverageMasked (small, NULL, 0, 0, 1, L_MEAN_ABSVAL, &all_mean);
  }
  table_mean = (all_mean * sw * sh - page_mean * best_count) / MAX (1.0, (double) sw * sh - best_count);
  if (page_mean - table_mean < QUAD_MIN_CONTRAST)
    return FALSE;

  for (l_int32 y = 0; y < bh; y++)
    for (l_int32 x = 0; x < bw; x++)
      {
        l_uint32 v = 0;
        double px = bx + x, py = by + y;

        pixGetPixel (page, x, y, &v);
        if (!v)
          continue;
        if (px + py < best_d[0]) { best_d[0] = px + py; corner[0] = px; corner[1] = py; }
        if (px - py > best_d[1]) { best_d[1] = px - py; corner[2] = px; corner[3] = py; }
        if (px + py > best_d[2]) { best_d[2] = px + py; corner[4] = px; corner[5] = py; }
        if (px - py < best_d[3]) { best_d[3] = px - py; corner[6] = px; corner[7] = py; }
      }

  /* A straight rectangle (a scanned sheet on a dark lid) is left alone:
   * some corner must stand off the bounding box. */
  slant = MAX (slant, MAX (fabs (corner[0] - bx), fabs (corner[1] - by)));
  slant = MAX (slant, MAX (fabs (corner[2] - (bx + bw - 1)), fabs (corner[3] - by)));
  slant = MAX (slant, MAX (fabs (corner[4] - (bx + bw - 1)), fabs (corner[5] - (by + bh - 1))));
  slant = MAX (slant, MAX (fabs (corner[6] - bx), fabs (corner[7] - (by + bh - 1))));
  if (slant < QUAD_MIN_SLANT * MAX (sw, sh))
    return FALSE;

  /* Back to the full image: the middle of the edge pixel. */
  for (int i = 0; i < 8; i++)
    quad[i] = (corner[i] + 0.5f) / scale;
  {
    double sides_w = MAX (dist (quad + 0, quad + 2), dist (quad + 6, quad + 4));
    double sides_h = MAX (dist (quad + 0, quad + 6), dist (quad + 2, quad + 4));
    double aspect = page_aspect (quad, w / 2.0, h / 2.0);   /* width ÷ height */

    if (aspect <= 0)
      aspect = sides_w / sides_h;
    /* Keep the longer measured side, the other from the proportions. */
    if (sides_w / aspect >= sides_h)
      {
        *width = (int) lround (sides_w);
        *height = (int) lround (sides_w / aspect);
      }
    else
      {
        *height = (int) lround (sides_h);
        *width = (int) lround (sides_h * aspect);
      }
  }
  return *width > 100 && *height > 100;
}

static PIX *
warp_quad (PIX                      *pixs,
           const float               quad[8],
           int                       width,
           int                       height,
           SohoaPreprocessTransform *transform);

/**
 * sohoa_preprocess_warp_quad:
 *
 * Maps the quadrilateral @quad of @pixs onto an upright rectangle of
 * @width × @height (shrunk to fit the image if need be).
 *
 * Returns: (transfer full) (nullable): the rectangle
 */
PIX *
sohoa_preprocess_warp_quad (PIX         *pixs,
                            const float  quad[8],
                            int          width,
                            int          height)
{
  return warp_quad (pixs, quad, width, height, NULL);
}

/* Also records, in @transform, how a point of the rectangle maps back. */
static PIX *
warp_quad (PIX                      *pixs,
           const float               quad[8],
           int                       width,
           int                       height,
           SohoaPreprocessTransform *transform)
{
  g_autoptr(PIX) plain = pixRemoveColormap (pixs, REMOVE_CMAP_BASED_ON_SRC);
  g_autoptr(PIX) deep = NULL;
  g_autoptr(PIX) warped = NULL;
  PTA *src = ptaCreate (4);
  PTA *dst = ptaCreate (4);
  l_int32 w = pixGetWidth (pixs), h = pixGetHeight (pixs);
  double fit = MIN (1.0, MIN ((double) w / width, (double) h / height));
  BOX *box;
  PIX *page;

  /* Leptonica's projective warp keeps the image's size: the rectangle is
   * drawn at its top left, then cut out. */
  width = (int) (width * fit);
  height = (int) (height * fit);
  for (int i = 0; i < 4; i++)
    ptaAddPt (src, quad[2 * i], quad[2 * i + 1]);
  ptaAddPt (dst, 0, 0);
  ptaAddPt (dst, width - 1, 0);
  ptaAddPt (dst, width - 1, height - 1);
  ptaAddPt (dst, 0, height - 1);

  deep = pixGetDepth (plain) < 8 ? pixConvertTo8 (plain, FALSE) : pixClone (plain);
  warped = pixProjectivePta (deep, dst, src, L_BRING_IN_WHITE);
  if (warped && transform)
    {
      l_float32 *coeffs = NULL;

      /* The coefficients pixProjectivePta used: rectangle → quadrilateral. */
      if (getProjectiveXformCoeffs (dst, src, &coeffs) == 0)
        {
          memcpy (transform->projective, coeffs, sizeof transform->projective);
          transform->warped_width = width;
          transform->warped_height = height;
          transform->perspective = TRUE;
        }
      lept_free (coeffs);
    }
  ptaDestroy (&src);
  ptaDestroy (&dst);
  if (warped == NULL)
    return NULL;
  box = boxCreate (0, 0, width, height);
  page = pixClipRectangle (warped, box, NULL);
  boxDestroy (&box);
  if (page)
    {
      /* The page keeps its resolution, as near as a photo has one. */
      pixCopyResolution (page, pixs);
      if (fit < 1.0)
        pixSetResolution (page, (l_int32) (pixGetXRes (pixs) * fit), (l_int32) (pixGetYRes (pixs) * fit));
    }
  return page;
}

/* Applies the turn and straightening recorded in @info to another image of
 * the same page. */
static PIX *
transform_like (PIX                       *pixs,
                const SohoaPreprocessInfo *info)
{
  g_autoptr(PIX) plain = info->perspective
                         ? sohoa_preprocess_warp_quad (pixs, info->quad, info->quad_width, info->quad_height)
                         : pixRemoveColormap (pixs, REMOVE_CMAP_BASED_ON_SRC);
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
 * paper, uneven light, faded ink), ruling lines, far specks and the grain of
 * the paper whitened, turned upright, straightened.  The original is not
 * changed.
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

/* Completes @info's transform once @result, the image to read, is made
 * from @pixs; the warp and the straightening record their own parts. */
static void
record_transform (SohoaPreprocessInfo *info,
                  PIX                 *pixs,
                  PIX                 *result)
{
  SohoaPreprocessTransform *t = &info->transform;

  t->source_width = pixGetWidth (pixs);
  t->source_height = pixGetHeight (pixs);
  if (!info->perspective)
    {
      t->perspective = FALSE;
      t->warped_width = t->source_width;
      t->warped_height = t->source_height;
    }
  t->rotation = info->rotation;
  if (info->skew == 0)
    t->skew = 0;
  t->width = pixGetWidth (result);
  t->height = pixGetHeight (result);
}

/* A point of an image of @w × @h, in continuous coordinates (pixel edges),
 * after the image is turned clockwise by @rotation, as pixRotateOrth(). */
static void
turn_point (double  x,
            double  y,
            double  w,
            double  h,
            int     rotation,
            double *tx,
            double *ty)
{
  switch (rotation)
    {
    case 90: *tx = h - y; *ty = x; break;
    case 180: *tx = w - x; *ty = h - y; break;
    case 270: *tx = y; *ty = w - x; break;
    default: *tx = x; *ty = y;
    }
}

static void
map_point_to_upright (const SohoaPreprocessTransform *t,
                      double                          x,
                      double                          y,
                      double                         *ux,
                      double                         *uy)
{
  gboolean sideways = t->rotation == 90 || t->rotation == 270;

  /* Straightened: pixRotateAM (angle a, centre c) takes each pixel p of
   * its result from c + R(-a) (p - c) of its source. */
  if (t->skew != 0)
    {
      double a = t->skew * G_PI / 180.0;
      double dx = x - t->skew_cx, dy = y - t->skew_cy;

      x = t->skew_cx + dx * cos (a) + dy * sin (a);
      y = t->skew_cy - dx * sin (a) + dy * cos (a);
    }
  /* Turned: turn back, onto the page as it lay (squared up if a photo). */
  turn_point (x, y, sideways ? t->warped_height : t->warped_width,
              sideways ? t->warped_width : t->warped_height,
              (360 - t->rotation) % 360, &x, &y);
  /* Squared up: the projective map Leptonica warped with goes from the
   * rectangle to the photo. */
  if (t->perspective)
    {
      const float *c = t->projective;
      double den = c[6] * x + c[7] * y + 1.0;

      if (fabs (den) > 1e-12)
        {
          double px = (c[0] * x + c[1] * y + c[2]) / den;
          double py = (c[3] * x + c[4] * y + c[5]) / den;

          x = px;
          y = py;
        }
    }
  /* The view shows the original turned upright, perspective and all. */
  turn_point (x, y, t->source_width, t->source_height, t->rotation, ux, uy);
}

/**
 * sohoa_preprocess_map_box_to_upright:
 * @transform: what preparing the page did
 * @x: (inout): left of a box in the image read
 * @y: (inout): top
 * @w: (inout): width
 * @h: (inout): height
 *
 * Moves a box of the image Tesseract read (squared up, turned,
 * straightened) onto the original turned upright, the image the clerk
 * sees: the box around where its four corners go, within the image.  An
 * untouched page's boxes stay exactly as they are.
 */
void
sohoa_preprocess_map_box_to_upright (const SohoaPreprocessTransform *transform,
                                     int                            *x,
                                     int                            *y,
                                     int                            *w,
                                     int                            *h)
{
  const double corners[4][2] = {
    { *x, *y }, { *x + *w, *y }, { *x + *w, *y + *h }, { *x, *y + *h },
  };
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  gboolean sideways;
  int upright_w, upright_h, left, top, right, bottom;

  g_return_if_fail (transform != NULL);
  g_return_if_fail (x != NULL && y != NULL && w != NULL && h != NULL);

  if (transform->source_width <= 0 || transform->source_height <= 0)
    return;
  sideways = transform->rotation == 90 || transform->rotation == 270;
  upright_w = sideways ? transform->source_height : transform->source_width;
  upright_h = sideways ? transform->source_width : transform->source_height;

  for (int i = 0; i < 4; i++)
    {
      double ux, uy;

      map_point_to_upright (transform, corners[i][0], corners[i][1], &ux, &uy);
      x0 = MIN (x0, ux);
      y0 = MIN (y0, uy);
      x1 = MAX (x1, ux);
      y1 = MAX (y1, uy);
    }
  left = CLAMP ((int) floor (x0 + 1e-6), 0, upright_w - 1);
  top = CLAMP ((int) floor (y0 + 1e-6), 0, upright_h - 1);
  right = CLAMP ((int) ceil (x1 - 1e-6), left + 1, upright_w);
  bottom = CLAMP ((int) ceil (y1 - 1e-6), top + 1, upright_h);
  *x = left;
  *y = top;
  *w = right - left;
  *h = bottom - top;
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
  record_transform (info, pixs, turned);
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

  /* A phone photo is squared up first: all that follows sees a page. */
  if (sohoa_preprocess_find_page_quad (pixs, info->quad, &info->quad_width, &info->quad_height))
    {
      g_autoptr(PIX) page = warp_quad (pixs, info->quad, info->quad_width, info->quad_height, &info->transform);

      if (page)
        {
          info->perspective = TRUE;
          gray = to_gray (page);
          pixCopyResolution (gray, page);
        }
    }
  if (gray == NULL)
    {
      gray = to_gray (pixs);
      pixCopyResolution (gray, pixs);
    }
  flat = pixBackgroundNormSimple (gray, NULL, NULL);
  if (flat == NULL)
    /* A copy: the cleaning below writes into it, and a clone may share
     * the caller's image. */
    flat = pixCopy (NULL, gray);
  else
    /* Leptonica brings the background to 200: stretch it to white and
     * leave the ink as it is (darkening it too cost phone photos more
     * than it gained on faded pages, in the bench corpus). */
    pixGammaTRC (flat, flat, 1.0f, 0, 200);
  pixCopyResolution (flat, gray);

  binary = pixThresholdToBinary (flat, 150);
  if (binary == NULL)
    {
      if (upright_colour)
        *upright_colour = pixClone (pixs);
      record_transform (info, pixs, flat);
      return g_steal_pointer (&flat);
    }

  clean_noise (flat, binary, pixGetXRes (flat) >= 70 ? pixGetXRes (flat) : 300);
  whiten_paper (flat);

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
          /* pixRotateAM turns about the middle pixel, in whole pixels. */
          info->transform.skew = angle;
          info->transform.skew_cx = pixGetWidth (upright) / 2;
          info->transform.skew_cy = pixGetHeight (upright) / 2;
          pixCopyResolution (straight, upright);
          g_clear_pointer (&upright, _sohoa_pix_destroy);
          upright = straight;
          info->skew = angle;
        }
    }

  if (upright_colour)
    *upright_colour = transform_like (pixs, info);

  record_transform (info, pixs, upright);
  return g_steal_pointer (&upright);
}
