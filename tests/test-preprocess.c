/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preprocess"

/* What cleaning a page keeps and what it takes away, on a rendered
 * civil-status extract made grainy and speckled as a photocopy: every
 * Vietnamese mark (the dot below ạ ị ọ, the hook of ả, tildes, tone marks
 * above a circumflex) must survive; grain and specks far from the writing
 * must go, since they make Tesseract's recognizer misread whole lines. */

#include "config.h"

#include "sohoa-image-private.h"
#include "sohoa-preprocess.h"
#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define SPECK_X 60      /* a speck in the left margin, far from any letter */
#define SPECK_Y 1700

static PIX *
render (const char *font)
{
  g_autofree char *dir = g_dir_make_tmp ("sohoa-preprocess-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "page.png", NULL);
  g_autoptr(GError) error = NULL;
  PIX *pix;

  g_assert_true (sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, 3, 300, font, path, NULL, &error));
  g_assert_no_error (error);
  pix = pixRead (path);
  g_assert_nonnull (pix);
  g_unlink (path);
  g_rmdir (dir);
  return pix;
}

/* Photocopy-like: grey paper with grain (± 24 levels), ink a little grey,
 * and a speck of toner far from the text. */
static PIX *
degrade (PIX *clean)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  PIX *grey = pixConvertTo8 (clean, FALSE);
  l_int32 w = pixGetWidth (grey), h = pixGetHeight (grey);

  for (l_int32 y = 0; y < h; y++)
    for (l_int32 x = 0; x < w; x++)
      {
        l_uint32 v = 0;
        int out;

        pixGetPixel (grey, x, y, &v);
        out = 40 + (int) v * 180 / 255 + g_rand_int_range (rand, -24, 25);
        pixSetPixel (grey, x, y, CLAMP (out, 0, 255));
      }
  for (l_int32 y = SPECK_Y; y < SPECK_Y + 3; y++)
    for (l_int32 x = SPECK_X; x < SPECK_X + 3; x++)
      pixSetPixel (grey, x, y, 30);
  pixCopyResolution (grey, clean);
  return grey;
}

static void
check_page (const char *font)
{
  g_autoptr(PIX) clean = render (font);
  g_autoptr(PIX) page = degrade (clean);
  g_autoptr(PIX) ink = NULL;
  g_autoptr(PIX) near_ink = NULL;
  g_autoptr(PIX) prepared = NULL;
  BOXA *boxes;
  SohoaPreprocessInfo info;
  l_int32 n, marks = 0, background = 0, white = 0;
  l_uint32 v = 0;

  prepared = sohoa_preprocess_for_ocr (page, &info, NULL);
  g_assert_nonnull (prepared);
  /* An upright, straight page stays where it is, pixel for pixel. */
  g_assert_cmpint (info.rotation, ==, 0);
  g_assert_cmpfloat (info.skew, ==, 0.0f);
  g_assert_cmpint (pixGetWidth (prepared), ==, pixGetWidth (clean));
  g_assert_cmpint (pixGetHeight (prepared), ==, pixGetHeight (clean));

  /* Every small piece of ink of the clean page — the marks, the dots of i
   * and of the letters with a dot below, commas — is still dark. */
  {
    g_autoptr(PIX) grey = pixConvertTo8 (clean, FALSE);

    ink = pixThresholdToBinary (grey, 128);
  }
  boxes = pixConnComp (ink, NULL, 8);
  n = boxaGetCount (boxes);
  for (l_int32 i = 0; i < n; i++)
    {
      l_int32 bx, by, bw, bh;
      l_uint32 darkest = 255;

      boxaGetBoxGeometry (boxes, i, &bx, &by, &bw, &bh);
      if (bw > 14 || bh > 14)
        continue;   /* a letter, not a mark */
      marks++;
      for (l_int32 y = by; y < by + bh; y++)
        for (l_int32 x = bx; x < bx + bw; x++)
          {
            pixGetPixel (prepared, x, y, &v);
            darkest = MIN (darkest, v);
          }
      if (darkest >= 128)
        g_test_message ("%s: mark at %d,%d (%dx%d) lost", font, bx, by, bw, bh);
      g_assert_cmpuint (darkest, <, 128);
    }
  boxaDestroy (&boxes);
  g_assert_cmpint (marks, >, 100);   /* a page of Vietnamese has hundreds */

  /* The speck far from the text is gone. */
  for (l_int32 y = SPECK_Y; y < SPECK_Y + 3; y++)
    for (l_int32 x = SPECK_X; x < SPECK_X + 3; x++)
      {
        pixGetPixel (prepared, x, y, &v);
        g_assert_cmpuint (v, ==, 255);
      }

  /* So is the grain: the paper away from the ink is plain white. */
  near_ink = pixDilateBrick (NULL, ink, 21, 21);
  for (l_int32 y = 0; y < pixGetHeight (prepared); y += 3)
    for (l_int32 x = 0; x < pixGetWidth (prepared); x += 3)
      {
        l_uint32 m = 0;

        pixGetPixel (near_ink, x, y, &m);
        if (m)
          continue;
        background++;
        pixGetPixel (prepared, x, y, &v);
        if (v == 255)
          white++;
      }
  g_assert_cmpint (background, >, 100000);
  g_assert_cmpfloat ((double) white / background, >, 0.999);
}

static void
test_marks_survive_serif (void)
{
  check_page ("Liberation Serif");
}

static void
test_marks_survive_typewriter (void)
{
  check_page ("FreeMono");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preprocess/marks-survive/serif", test_marks_survive_serif);
  g_test_add_func ("/preprocess/marks-survive/typewriter", test_marks_survive_typewriter);

  return g_test_run ();
}
