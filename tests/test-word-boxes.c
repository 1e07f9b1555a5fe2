/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-word-boxes"

/* The stored OCR word boxes are of the image the clerk sees (the original
 * only turned upright), not of the image Tesseract read (squared up,
 * turned, straightened).  A rendered page is read clean, as a reference;
 * then skewed, skewed and turned sideways, and photographed: each is
 * imported and read, and every word read in both must sit on ink in the
 * page's view image, where the known distortion puts the reference word. */

#include "config.h"

#include "sohoa-image-private.h"
#include "sohoa-preprocess.h"
#include "sohoa-sample-page.h"
#include "sohoa-test-util.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <string.h>

#define SKEW_DEGREES 3.0
#define PHOTO_W      3000
#define PHOTO_H      4000

/* As in test-perspective.c: a pinhole camera looking at the page tilted
 * 18° forward, 8° sideways and turned 3°. */
static const float photo_quad[8] = { 442, 283, 2747, 565, 2234, 3191, 464, 3191 };

typedef void (*MapFunc) (double x, double y, double *mx, double *my, gpointer data);

/* The fields written on the sample page, the same every time. */
static GHashTable *truth;

static char *
render (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "page.png", NULL);
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_sample_page_render_png_with_fields (SOHOA_SAMPLE_BIRTH_EXTRACT, 7, 300, "Liberation Serif",
                                                           path, NULL, &fields, &error));
  g_assert_no_error (error);
  if (truth == NULL)
    truth = g_steal_pointer (&fields);
  return g_steal_pointer (&path);
}

/* Imports @path, reads it as the application does, and returns its only
 * page and stored words. */
static GPtrArray *
import_and_read (SohoaTestWorkspace  *ws,
                 const char          *path,
                 SohoaPage          **page_out)
{
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files = sohoa_test_files (path, NULL);
  SohoaStore *store = sohoa_context_get_store (ws->context);
  GPtrArray *words;

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  g_assert_true (sohoa_ocr_batch (ws->context, report->batch_id, NULL, NULL, &error));
  g_assert_no_error (error);

  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 1);
  page = g_list_model_get_item (pages, 0);
  words = sohoa_store_get_page_words (store, sohoa_page_get_id (page), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (words->len, >, 40);
  *page_out = g_steal_pointer (&page);
  return words;
}

/* The clean page's words, read once for all tests. */
static GPtrArray *reference;

static GPtrArray *
get_reference (void)
{
  if (reference == NULL)
    {
      g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
      g_autofree char *path = render (ws->dir);
      g_autoptr(SohoaPage) page = NULL;

      reference = import_and_read (ws, path, &page);
    }
  return reference;
}

/* The word of @words whose text is @text, if there is exactly one. */
static const SohoaOcrWord *
unique_word (GPtrArray  *words,
             const char *text)
{
  const SohoaOcrWord *found = NULL;

  for (guint i = 0; i < words->len; i++)
    {
      const SohoaOcrWord *word = g_ptr_array_index (words, i);

      if (g_strcmp0 (word->text, text) == 0)
        {
          if (found)
            return NULL;
          found = word;
        }
    }
  return found;
}

/* The share of dark pixels in the middle of @word's box in @gray. */
static double
ink (PIX                *gray,
     const SohoaOcrWord *word)
{
  BOX *box = boxCreate (word->x + word->width / 6, word->y + word->height / 4,
                        MAX (1, word->width * 2 / 3), MAX (1, word->height / 2));
  g_autoptr(PIX) patch = pixClipRectangle (gray, box, NULL);
  g_autoptr(PIX) dark = NULL;
  l_int32 count = 0;

  boxDestroy (&box);
  g_assert_nonnull (patch);
  dark = pixThresholdToBinary (patch, 128);
  pixCountPixels (dark, &count, NULL);
  return (double) count / (pixGetWidth (patch) * pixGetHeight (patch));
}

/* Every word read confidently, and once, both in the reference and in
 * @words must be on ink in @view_path and centred where @map puts the
 * reference's centre, within @tolerance pixels. */
static void
check_words (GPtrArray  *words,
             const char *view_path,
             MapFunc     map,
             gpointer    data,
             double      tolerance)
{
  GPtrArray *ref = get_reference ();
  g_autoptr(PIX) view = pixRead (view_path);
  g_autoptr(PIX) gray = NULL;
  guint n_checked = 0;
  double worst = 0;

  g_assert_nonnull (view);
  gray = pixGetDepth (view) == 32 ? pixConvertRGBToLuminance (view) : pixConvertTo8 (view, FALSE);
  g_assert_nonnull (gray);

  for (guint i = 0; i < words->len; i++)
    {
      const SohoaOcrWord *word = g_ptr_array_index (words, i);
      const SohoaOcrWord *known;
      double ex, ey, dx, dy;

      /* Words long enough to be told apart, read confidently. */
      if (g_utf8_strlen (word->text, -1) < 4 || word->confidence < 75)
        continue;
      if (unique_word (words, word->text) == NULL || !(known = unique_word (ref, word->text)))
        continue;

      g_assert_cmpint (word->x, >=, 0);
      g_assert_cmpint (word->y, >=, 0);
      g_assert_cmpint (word->x + word->width, <=, pixGetWidth (gray));
      g_assert_cmpint (word->y + word->height, <=, pixGetHeight (gray));

      map (known->x + known->width / 2.0, known->y + known->height / 2.0, &ex, &ey, data);
      dx = word->x + word->width / 2.0 - ex;
      dy = word->y + word->height / 2.0 - ey;
      if (hypot (dx, dy) > tolerance || ink (gray, word) < 0.08)
        g_error ("“%s” stored at %d,%d %d×%d (centre off by %.1f, %.1f; ink %.2f)",
                 word->text, word->x, word->y, word->width, word->height, dx, dy, ink (gray, word));
      worst = MAX (worst, hypot (dx, dy));
      n_checked++;
    }
  g_test_message ("%u words checked, the furthest %.1f px from where it should be", n_checked, worst);
  g_assert_cmpuint (n_checked, >=, 15);
}

/* What auto-fill reads off the page is outlined on the view image: its
 * boxes must be on the words there. */
static void
check_autofill (SohoaTestWorkspace *ws,
                SohoaPage          *page)
{
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  g_autofree char *schema_path = g_build_filename (data_dir, "schemas", "ho-tich.khai-sinh.json", NULL);
  g_autoptr(GFile) schema_file = g_file_new_for_path (schema_path);
  g_autoptr(SohoaSchema) schema = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(PIX) view = pixRead (sohoa_page_get_image_path (page));
  g_autoptr(PIX) gray = NULL;
  g_autoptr(GError) error = NULL;
  SohoaStore *store = sohoa_context_get_store (ws->context);
  static const char * const keys[] = { "nksHoTen", "nksNgaySinh" };
  gint64 record_id;

  schema = sohoa_schema_new_from_file (schema_file, &error);
  g_assert_no_error (error);
  record_id = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), sohoa_schema_get_id (schema),
                                         sohoa_schema_get_version (schema), &error);
  g_assert_no_error (error);
  values = sohoa_autofill_record (store, schema, ws->operator, record_id, &error);
  g_assert_no_error (error);
  gray = pixGetDepth (view) == 32 ? pixConvertRGBToLuminance (view) : pixConvertTo8 (view, FALSE);

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      const SohoaAutofillValue *found = NULL;
      SohoaOcrWord box = { 0 };

      for (guint i = 0; i < values->len; i++)
        {
          const SohoaAutofillValue *value = g_ptr_array_index (values, i);

          if (g_str_equal (value->key, keys[k]))
            found = value;
        }
      if (found == NULL)
        g_error ("%s was not auto-filled", keys[k]);
      /* All of the value and nothing else (a letter may be misread). */
      {
        g_auto(GStrv) read = g_strsplit (found->value, " ", -1);
        g_auto(GStrv) written = g_strsplit (g_hash_table_lookup (truth, keys[k]), " ", -1);

        g_assert_cmpuint (g_strv_length (read), ==, g_strv_length (written));
        g_assert_cmpuint (strlen (found->value), >=, strlen (g_hash_table_lookup (truth, keys[k])) - 2);
      }
      box = (SohoaOcrWord) { NULL, found->x, found->y, found->width, found->height };
      g_assert_cmpint (box.x, >=, 0);
      g_assert_cmpint (box.y, >=, 0);
      g_assert_cmpint (box.x + box.width, <=, pixGetWidth (gray));
      g_assert_cmpint (box.y + box.height, <=, pixGetHeight (gray));
      g_test_message ("%s outlined at %d,%d %d×%d, ink %.2f", keys[k], box.x, box.y, box.width, box.height,
                      ink (gray, &box));
      g_assert_cmpfloat (ink (gray, &box), >, 0.08);
    }
}

static void
map_identity (double   x,
              double   y,
              double  *mx,
              double  *my,
              gpointer data)
{
  *mx = x;
  *my = y;
}

/* Where pixRotate (area map, same size) takes a point: about the middle
 * pixel, clockwise for a positive angle in image coordinates. */
typedef struct
{
  double cx, cy, angle;
} Rotation;

static void
map_rotation (double   x,
              double   y,
              double  *mx,
              double  *my,
              gpointer data)
{
  const Rotation *r = data;
  double dx = x - r->cx, dy = y - r->cy;

  *mx = r->cx + dx * cos (r->angle) - dy * sin (r->angle);
  *my = r->cy + dx * sin (r->angle) + dy * cos (r->angle);
}

static void
map_projective (double   x,
                double   y,
                double  *mx,
                double  *my,
                gpointer data)
{
  const l_float32 *c = data;
  double den = c[6] * x + c[7] * y + 1;

  *mx = (c[0] * x + c[1] * y + c[2]) / den;
  *my = (c[3] * x + c[4] * y + c[5]) / den;
}

static PIX *
skew (PIX      *page,
      Rotation *rotation)
{
  PIX *skewed;

  rotation->cx = pixGetWidth (page) / 2;
  rotation->cy = pixGetHeight (page) / 2;
  rotation->angle = SKEW_DEGREES * G_PI / 180.0;
  skewed = pixRotate (page, (float) rotation->angle, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  g_assert_nonnull (skewed);
  pixCopyResolution (skewed, page);
  return skewed;
}

/* A clean page: nothing to undo, the boxes are Tesseract's as they are. */
static void
test_clean_page (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *path = render (ws->dir);
  g_autoptr(PIX) page = pixRead (path);
  g_autoptr(PIX) prepared = NULL;
  g_autoptr(SohoaPage) stored_page = NULL;
  g_autoptr(GPtrArray) words = NULL;
  SohoaPreprocessInfo info;

  prepared = sohoa_preprocess_for_ocr (page, &info, NULL);
  g_assert_false (info.transform.perspective);
  g_assert_cmpint (info.transform.rotation, ==, 0);
  g_assert_cmpfloat (info.transform.skew, ==, 0);
  g_assert_cmpint (info.transform.width, ==, pixGetWidth (page));
  g_assert_cmpint (info.transform.height, ==, pixGetHeight (page));
  for (int i = 0; i < 50; i++)
    {
      int x = g_test_rand_int_range (0, 2300), y = g_test_rand_int_range (0, 3300);
      int w = g_test_rand_int_range (1, 180), h = g_test_rand_int_range (1, 200);
      int mx = x, my = y, mw = w, mh = h;

      sohoa_preprocess_map_box_to_upright (&info.transform, &mx, &my, &mw, &mh);
      g_assert_cmpint (mx, ==, x);
      g_assert_cmpint (my, ==, y);
      g_assert_cmpint (mw, ==, w);
      g_assert_cmpint (mh, ==, h);
    }

  words = import_and_read (ws, path, &stored_page);
  check_words (words, sohoa_page_get_image_path (stored_page), map_identity, NULL, 0.01);
}

/* A scan 3° askew: the boxes go back onto the page as scanned. */
static void
test_skewed_page (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *path = render (ws->dir);
  g_autofree char *skewed_path = g_build_filename (ws->dir, "skewed.png", NULL);
  g_autoptr(PIX) page = pixRead (path);
  g_autoptr(PIX) skewed = NULL;
  g_autoptr(SohoaPage) stored_page = NULL;
  g_autoptr(GPtrArray) words = NULL;
  Rotation rotation;

  skewed = skew (page, &rotation);
  g_assert_cmpint (pixWrite (skewed_path, skewed, IFF_PNG), ==, 0);

  words = import_and_read (ws, skewed_path, &stored_page);
  g_assert_cmpint (sohoa_page_get_rotation (stored_page), ==, 0);
  g_assert_cmpstr (sohoa_page_get_image_path (stored_page), ==, sohoa_page_get_original_path (stored_page));
  check_words (words, sohoa_page_get_image_path (stored_page), map_rotation, &rotation, 6);
}

/* The same scan fed in sideways: the boxes are of the upright view. */
static void
test_sideways_skewed_page (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *path = render (ws->dir);
  g_autofree char *turned_path = g_build_filename (ws->dir, "sideways.png", NULL);
  g_autoptr(PIX) page = pixRead (path);
  g_autoptr(PIX) skewed = NULL;
  g_autoptr(PIX) turned = NULL;
  g_autoptr(SohoaPage) stored_page = NULL;
  g_autoptr(GPtrArray) words = NULL;
  Rotation rotation;

  skewed = skew (page, &rotation);
  /* Three quarter turns clockwise: a quarter turn makes it upright. */
  turned = pixRotateOrth (skewed, 3);
  pixCopyResolution (turned, skewed);
  g_assert_cmpint (pixWrite (turned_path, turned, IFF_PNG), ==, 0);

  words = import_and_read (ws, turned_path, &stored_page);
  g_assert_cmpint (sohoa_page_get_rotation (stored_page), ==, 90);
  g_assert_cmpstr (sohoa_page_get_image_path (stored_page), !=, sohoa_page_get_original_path (stored_page));
  /* The upright view is the skewed page again, pixel for pixel. */
  check_words (words, sohoa_page_get_image_path (stored_page), map_rotation, &rotation, 6);
  check_autofill (ws, stored_page);
}

/* As in test-perspective.c: the page warped onto a dark table. */
static PIX *
photograph (PIX        *page,
            l_float32 **page_to_photo)
{
  g_autoptr(PIX) rgb = pixConvertTo32 (page);
  g_autoptr(PIX) canvas = NULL;
  g_autoptr(PIX) warped = NULL;
  g_autoptr(PIX) table = NULL;
  g_autoptr(PIX) page_mask = NULL;
  g_autoptr(PIX) big_mask = NULL;
  g_autoptr(PIX) mask = NULL;
  PTA *src = ptaCreate (4);
  PTA *dst = ptaCreate (4);
  l_int32 w = pixGetWidth (page), h = pixGetHeight (page);
  PIX *dimmed;

  canvas = pixAddBorderGeneral (rgb, 0, PHOTO_W - w, 0, PHOTO_H - h, 0xffffff00);
  ptaAddPt (src, 0, 0);
  ptaAddPt (src, w - 1, 0);
  ptaAddPt (src, w - 1, h - 1);
  ptaAddPt (src, 0, h - 1);
  for (int i = 0; i < 4; i++)
    ptaAddPt (dst, photo_quad[2 * i], photo_quad[2 * i + 1]);
  warped = pixProjectivePta (canvas, dst, src, L_BRING_IN_BLACK);
  g_assert_nonnull (warped);

  page_mask = pixCreate (w, h, 1);
  pixSetAll (page_mask);
  big_mask = pixAddBorderGeneral (page_mask, 0, PHOTO_W - w, 0, PHOTO_H - h, 0);
  mask = pixProjectiveSampledPta (big_mask, dst, src, L_BRING_IN_WHITE);
  /* The same warp, for a point: page → photo. */
  g_assert_cmpint (getProjectiveXformCoeffs (src, dst, page_to_photo), ==, 0);
  ptaDestroy (&src);
  ptaDestroy (&dst);

  table = pixCreate (PHOTO_W, PHOTO_H, 32);
  pixSetAllArbitrary (table, 0x46413c00);
  pixCombineMasked (table, warped, mask);
  dimmed = pixMultiplyByColor (NULL, table, NULL, 0xdcd6cc00);
  pixSetResolution (dimmed, 300, 300);
  return dimmed;
}

/* A phone photo: the boxes go back onto the photo as taken. */
static void
test_photographed_page (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autofree char *path = render (ws->dir);
  g_autofree char *photo_path = g_build_filename (ws->dir, "photo.jpg", NULL);
  g_autoptr(PIX) page = pixRead (path);
  g_autoptr(PIX) photo = NULL;
  g_autoptr(SohoaPage) stored_page = NULL;
  g_autoptr(GPtrArray) words = NULL;
  l_float32 *page_to_photo = NULL;

  photo = photograph (page, &page_to_photo);
  g_assert_cmpint (pixWriteJpeg (photo_path, photo, 85, 0), ==, 0);

  words = import_and_read (ws, photo_path, &stored_page);
  g_assert_cmpint (sohoa_page_get_rotation (stored_page), ==, 0);
  /* The page is about 0.9 times its size in the photo. */
  check_words (words, sohoa_page_get_image_path (stored_page), map_projective, page_to_photo, 8);
  check_autofill (ws, stored_page);
  lept_free (page_to_photo);
}

/* The mapping alone, on a made-up transform: a quarter turn and nothing
 * else moves no box; a skew moves a box's corners about the centre. */
static void
test_map_box (void)
{
  SohoaPreprocessTransform t = {
    .source_width = 1000, .source_height = 600,
    .warped_width = 1000, .warped_height = 600,
    .rotation = 90, .width = 600, .height = 1000,
  };
  int x = 100, y = 200, w = 50, h = 20;

  sohoa_preprocess_map_box_to_upright (&t, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 100);
  g_assert_cmpint (y, ==, 200);
  g_assert_cmpint (w, ==, 50);
  g_assert_cmpint (h, ==, 20);

  /* Straightened by 90°: the point right of the centre came from above it. */
  t.skew = 90;
  t.skew_cx = 300;
  t.skew_cy = 500;
  x = 400, y = 500, w = 10, h = 10;
  sohoa_preprocess_map_box_to_upright (&t, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 300);
  g_assert_cmpint (y, ==, 390);
  g_assert_cmpint (w, ==, 10);
  g_assert_cmpint (h, ==, 10);

  /* A box off the page is cut to it. */
  t.skew = 0;
  x = 580, y = 990, w = 100, h = 100;
  sohoa_preprocess_map_box_to_upright (&t, &x, &y, &w, &h);
  g_assert_cmpint (x + w, ==, 600);
  g_assert_cmpint (y + h, ==, 1000);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  setMsgSeverity (L_SEVERITY_WARNING);

  g_test_add_func ("/word-boxes/map-box", test_map_box);
  g_test_add_func ("/word-boxes/clean-page", test_clean_page);
  g_test_add_func ("/word-boxes/skewed-page", test_skewed_page);
  g_test_add_func ("/word-boxes/sideways-skewed-page", test_sideways_skewed_page);
  g_test_add_func ("/word-boxes/photographed-page", test_photographed_page);

  status = g_test_run ();
  g_clear_pointer (&reference, g_ptr_array_unref);
  g_clear_pointer (&truth, g_hash_table_unref);
  return status;
}
