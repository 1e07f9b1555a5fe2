/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-perspective"

/* A phone photo of a page, made here: a rendered civil-status extract
 * warped by a known projective transform onto a dark table.  Preparing it
 * must find the page, square it up, and Tesseract must read it; a scanned
 * page must be left as it is. */

#include "config.h"

#include "sohoa-image-private.h"
#include "sohoa-preprocess.h"
#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <math.h>
#include <string.h>

#define PHOTO_W 3000
#define PHOTO_H 4000

/* Where the page's corners land in the photo: TL, TR, BR, BL.  Worked out
 * for a pinhole camera (focal length 3200 px, centred) looking at the
 * page tilted 18° forward, 8° sideways and turned 3°. */
static const float photo_quad[8] = { 442, 283, 2747, 565, 2234, 3191, 464, 3191 };

static char *
render (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, 7, 300, "Liberation Serif",
                                               path, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* The page as a phone sees it: warped, on a dark grey table, a little
 * darker overall (room light). */
static PIX *
photograph (PIX *page)
{
  g_autoptr(PIX) rgb = pixConvertTo32 (page);
  g_autoptr(PIX) canvas = NULL;
  g_autoptr(PIX) warped = NULL;
  g_autoptr(PIX) table = NULL;
  g_autoptr(PIX) mask = NULL;
  PTA *src = ptaCreate (4);
  PTA *dst = ptaCreate (4);
  l_int32 w = pixGetWidth (page), h = pixGetHeight (page);

  /* Leptonica's warp keeps the image size: put the page on a canvas the
   * size of the photo first, white around it (cut away by the mask). */
  canvas = pixAddBorderGeneral (rgb, 0, PHOTO_W - w, 0, PHOTO_H - h, 0xffffff00);
  ptaAddPt (src, 0, 0);
  ptaAddPt (src, w - 1, 0);
  ptaAddPt (src, w - 1, h - 1);
  ptaAddPt (src, 0, h - 1);
  for (int i = 0; i < 4; i++)
    ptaAddPt (dst, photo_quad[2 * i], photo_quad[2 * i + 1]);
  /* pixProjectivePta maps the destination's points back to the source's. */
  warped = pixProjectivePta (canvas, dst, src, L_BRING_IN_BLACK);
  ptaDestroy (&src);
  ptaDestroy (&dst);
  g_assert_nonnull (warped);

  /* Everything outside the page's quadrilateral is table. */
  {
    g_autoptr(PIX) page_mask = pixCreate (w, h, 1);
    g_autoptr(PIX) big_mask = NULL;
    PTA *s2 = ptaCreate (4);
    PTA *d2 = ptaCreate (4);

    pixSetAll (page_mask);
    big_mask = pixAddBorderGeneral (page_mask, 0, PHOTO_W - w, 0, PHOTO_H - h, 0);
    ptaAddPt (s2, 0, 0);
    ptaAddPt (s2, w - 1, 0);
    ptaAddPt (s2, w - 1, h - 1);
    ptaAddPt (s2, 0, h - 1);
    for (int i = 0; i < 4; i++)
      ptaAddPt (d2, photo_quad[2 * i], photo_quad[2 * i + 1]);
    mask = pixProjectiveSampledPta (big_mask, d2, s2, L_BRING_IN_WHITE);
    ptaDestroy (&s2);
    ptaDestroy (&d2);
  }
  table = pixCreate (PHOTO_W, PHOTO_H, 32);
  pixSetAllArbitrary (table, 0x46413c00);   /* a dark wooden table */
  pixCombineMasked (table, warped, mask);
  /* Room light: a page in a photo is greyer than a scan. */
  {
    PIX *dimmed = pixMultiplyByColor (NULL, table, NULL, 0xdcd6cc00);

    pixSetResolution (dimmed, 300, 300);
    return dimmed;
  }
}

static void
test_photo_is_squared_up (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *page_path = render (ws->dir, "page.png");
  g_autofree char *photo_path = g_build_filename (ws->dir, "photo.jpg", NULL);
  g_autoptr(PIX) page = pixRead (page_path);
  g_autoptr(PIX) photo = photograph (page);
  g_autoptr(PIX) prepared = NULL;
  g_autoptr(PIX) colour = NULL;
  g_autoptr(SohoaOcrEngine) engine = NULL;
  g_autoptr(SohoaOcrResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SohoaPreprocessInfo info;
  double aspect = (double) pixGetHeight (page) / pixGetWidth (page);
  float quad[8];
  int width, height;

  g_assert_cmpint (pixWriteJpeg (photo_path, photo, 85, 0), ==, 0);

  /* The corners are found within 1 % of the photo's size. */
  g_assert_true (sohoa_preprocess_find_page_quad (photo, quad, &width, &height));
  for (int i = 0; i < 8; i++)
    g_assert_cmpfloat (fabsf (quad[i] - photo_quad[i]), <, 0.01f * PHOTO_H);

  prepared = sohoa_preprocess_for_ocr (photo, &info, &colour);
  g_assert_true (info.perspective);
  g_assert_false (info.orientation_unsure);

  /* A rectangle of the page's proportions, with no table left at its
   * corners, in grey and in colour alike. */
  g_assert_cmpfloat (fabs ((double) pixGetHeight (prepared) / pixGetWidth (prepared) - aspect), <, 0.03 * aspect);
  g_assert_cmpint (pixGetWidth (colour), ==, pixGetWidth (prepared));
  g_assert_cmpint (pixGetHeight (colour), ==, pixGetHeight (prepared));
  {
    l_int32 w = pixGetWidth (prepared), h = pixGetHeight (prepared);
    l_int32 corners[4][2] = { { 0, 0 }, { w - 40, 0 }, { 0, h - 40 }, { w - 40, h - 40 } };

    for (int i = 0; i < 4; i++)
      {
        BOX *box = boxCreate (corners[i][0], corners[i][1], 40, 40);
        g_autoptr(PIX) patch = pixClipRectangle (prepared, box, NULL);
        l_float32 mean = 0;

        boxDestroy (&box);
        pixGetAverageMasked (patch, NULL, 0, 0, 1, L_MEAN_ABSVAL, &mean);
        g_assert_cmpfloat (mean, >, 200);
      }
  }

  /* Tesseract reads the photographed page. */
  engine = sohoa_ocr_engine_new ("vie", &error);
  g_assert_no_error (error);
  result = sohoa_ocr_engine_recognize (engine, photo_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->perspective);
  g_assert_nonnull (strstr (result->text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
  g_assert_nonnull (strstr (result->text, "Độc lập"));
}

static void
test_scan_is_left_alone (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *page_path = render (ws->dir, "page.png");
  g_autoptr(PIX) page = pixRead (page_path);
  g_autoptr(PIX) on_lid = NULL;
  g_autoptr(PIX) prepared = NULL;
  SohoaPreprocessInfo info;
  float quad[8];
  int width, height;

  /* A plain scan: no table at all. */
  g_assert_false (sohoa_preprocess_find_page_quad (page, quad, &width, &height));
  prepared = sohoa_preprocess_for_ocr (page, &info, NULL);
  g_assert_false (info.perspective);
  g_assert_cmpint (pixGetWidth (prepared), ==, pixGetWidth (page));

  /* A straight sheet on a scanner's black lid: not a photo either. */
  on_lid = pixAddBorderGeneral (page, 120, 300, 80, 260, 0);
  g_assert_false (sohoa_preprocess_find_page_quad (on_lid, quad, &width, &height));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setMsgSeverity (L_SEVERITY_WARNING);

  g_test_add_func ("/perspective/photo-is-squared-up", test_photo_is_squared_up);
  g_test_add_func ("/perspective/scan-is-left-alone", test_scan_is_left_alone);

  return g_test_run ();
}
