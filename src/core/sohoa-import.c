/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-image-private.h"
#include "sohoa-import.h"
#include "sohoa-import-private.h"

#include <cairo.h>
#include <errno.h>
#include <poppler.h>
#include <string.h>

/* Limits that keep a corrupt or hostile file from exhausting the machine:
 * an A3 page at 600 dpi is about 7000 × 10000 pixels. */
#define MAX_FILE_BYTES   (512 * 1024 * 1024)
#define MAX_SIDE         30000
#define MAX_PIXELS       (300 * 1000 * 1000)
#define MAX_FRAMES       2000
#define THUMBNAIL_HEIGHT 320

/* PDF pages are rendered at the resolution of the scan they hold, kept
 * within what archiving asks for (≥ 200 dpi) and what is worth storing;
 * pages drawn from text and vectors at 300 dpi. */
#define PDF_MIN_DPI      200
#define PDF_MAX_DPI      600
#define PDF_DEFAULT_DPI  300

/* How far from the end of a file its end marker may be. */
#define TAIL_BYTES       4096

typedef struct
{
  gint64    batch_id;
  char     *schema_id;
  GPtrArray *files;
} ImportData;

/* One file to import, and the name it goes by in messages: the path below
 * the folder it was found in, or its own name. */
typedef struct
{
  GFile *file;
  char  *name;
} Source;

/* What every file of one import shares. */
typedef struct
{
  SohoaStore   *store;
  SohoaUser    *user;
  gint64        batch_id;
  SohoaJob     *job;
  GCancellable *cancellable;
  guint         index;
  guint         n_files;
} Importer;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_free (import->schema_id);
  g_ptr_array_unref (import->files);
  g_free (import);
}

static void
source_free (gpointer data)
{
  Source *source = data;

  g_object_unref (source->file);
  g_free (source->name);
  g_free (source);
}

static void
add_source (GPtrArray  *sources,
            GFile      *file,
            const char *name)
{
  Source *source = g_new0 (Source, 1);

  source->file = g_object_ref (file);
  source->name = g_strdup (name);
  g_ptr_array_add (sources, source);
}

G_DEFINE_BOXED_TYPE (SohoaImportReport, sohoa_import_report, sohoa_import_report_copy, sohoa_import_report_free)

/**
 * sohoa_import_report_new:
 *
 * Returns: (transfer full): an empty report
 */
SohoaImportReport *
sohoa_import_report_new (void)
{
  SohoaImportReport *report = g_new0 (SohoaImportReport, 1);

  report->errors = g_ptr_array_new_with_free_func (g_free);
  report->files = g_ptr_array_new_with_free_func (g_object_unref);
  return report;
}

/**
 * sohoa_import_report_copy:
 *
 * Returns: (transfer full): a deep copy of @report
 */
SohoaImportReport *
sohoa_import_report_copy (const SohoaImportReport *report)
{
  SohoaImportReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = sohoa_import_report_new ();
  copy->batch_id = report->batch_id;
  copy->n_imported = report->n_imported;
  copy->n_duplicates = report->n_duplicates;
  copy->n_skipped = report->n_skipped;
  for (guint i = 0; report->errors && i < report->errors->len; i++)
    g_ptr_array_add (copy->errors, g_strdup (g_ptr_array_index (report->errors, i)));
  for (guint i = 0; report->files && i < report->files->len; i++)
    g_ptr_array_add (copy->files, g_object_ref (g_ptr_array_index (report->files, i)));
  return copy;
}

void
sohoa_import_report_free (SohoaImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->errors, g_ptr_array_unref);
  g_clear_pointer (&report->files, g_ptr_array_unref);
  g_free (report);
}

static const char *
detect_format (const guint8 *data,
               gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpg";
  if (size >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return "tif";
  if (size >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return "pdf";
  return NULL;
}

static gboolean
find_bytes (const guint8 *data,
            gsize         size,
            const char   *needle,
            gsize         needle_size)
{
  for (gsize i = 0; i + needle_size <= size; i++)
    {
      if (memcmp (data + i, needle, needle_size) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether @tail, the last bytes of a file in @format, ends it as a whole
 * file does.  A file cut short (a copy that stopped, a scanner still
 * writing) lacks its end marker, and decoders would fill in or drop what is
 * missing without a word.  A TIFF's directory tells where its strips are,
 * so a cut one fails to decode instead. */
static gboolean
has_end_marker (const char   *format,
                const guint8 *tail,
                gsize         size)
{
  if (g_str_equal (format, "png"))
    return find_bytes (tail, size, "IEND", 4);
  if (g_str_equal (format, "jpg"))
    return find_bytes (tail, size, "\xff\xd9", 2);
  if (g_str_equal (format, "pdf"))
    return find_bytes (tail, size, "%%EOF", 5);
  return TRUE;
}

/* Whether the chunks of a PNG fit in the file, up to its IEND.  libpng
 * allocates what a chunk's length says before reading it: a 265-byte file
 * whose ancillary chunk claims 1.2 GB made the import allocate 1.2 GB and
 * take seconds (found by tests/fuzz/fuzz-import). */
static gboolean
png_chunks_fit (const guint8 *data,
                gsize         size)
{
  gsize offset = 8;

  while (offset + 12 <= size)
    {
      guint32 length = ((guint32) data[offset] << 24) | ((guint32) data[offset + 1] << 16) |
                       ((guint32) data[offset + 2] << 8) | data[offset + 3];

      if (length > size - offset - 12)
        return FALSE;
      if (memcmp (data + offset + 4, "IEND", 4) == 0)
        return TRUE;
      offset += 12 + (gsize) length;
    }
  return FALSE;
}

static gboolean
has_supported_extension (const char *name)
{
  static const char * const extensions[] = { ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      if (g_str_has_suffix (lower, extensions[i]))
        return TRUE;
    }
  return FALSE;
}

static gboolean
write_file_durably (const char  *path,
                    const guint8 *data,
                    gsize        size,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder “%s” could not be created: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, (const char *) data, size,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Leptonica records the resolution of @pix in the PNG's pHYs chunk. */
static gboolean
write_png (const char  *path,
           PIX         *pix,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  guint8 *data = NULL;
  size_t size = 0;
  gboolean ok;

  if (pixWriteMemPng (&data, &size, pix, 0) != 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, _("A preview image could not be made."));
      return FALSE;
    }
  g_mkdir_with_parents (dir, 0700);
  ok = g_file_set_contents_full (path, (const char *) data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  lept_free (data);
  return ok;
}

static PIX *
decode_frame (const guint8 *data,
              gsize         size,
              const char   *format,
              guint         frame)
{
  if (g_str_equal (format, "tif"))
    return pixReadMemTiff (data, size, (l_int32) frame);
  return pixReadMem (data, size);
}

static gboolean
make_thumbnail (const char  *path,
                PIX         *pix,
                GError     **error)
{
  g_autoptr(PIX) plain = pixRemoveColormap (pix, REMOVE_CMAP_BASED_ON_SRC);
  g_autoptr(PIX) deep = NULL;
  g_autoptr(PIX) small = NULL;
  float scale = (float) THUMBNAIL_HEIGHT / pixGetHeight (pix);

  /* Scale 1-bit scans through grey so thin strokes stay visible. */
  deep = pixGetDepth (plain) == 1 ? pixConvertTo8 (plain, FALSE) : pixClone (plain);
  small = pixScale (deep, scale, scale);
  if (small == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, _("A preview image could not be made."));
      return FALSE;
    }
  return write_png (path, small, error);
}

/* PDF --------------------------------------------------------------------- */

static void
set_pdf_damaged (GError     **error,
                 const char  *name)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
               _("“%s” is damaged or not a complete PDF file."), name);
}

static PopplerDocument *
open_pdf (GBytes      *bytes,
          const char  *name,
          int         *n_pages,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document;

  document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (document == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                     _("“%s” is protected by a password. Save a copy without the password, then import that copy."),
                     name);
      else
        set_pdf_damaged (error, name);
      return NULL;
    }

  *n_pages = poppler_document_get_n_pages (document);
  if (*n_pages < 1)
    {
      g_object_unref (document);
      set_pdf_damaged (error, name);
      return NULL;
    }
  if (*n_pages > MAX_FRAMES)
    {
      g_object_unref (document);
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE,
                   _("“%s” has %d pages; at most %d pages are imported from one PDF file. Split it and import the parts."),
                   name, *n_pages, MAX_FRAMES);
      return NULL;
    }
  return document;
}

/* A page that is a single image covering most of it is a scan: it is
 * rendered at the scan's own resolution, so no detail is lost or made up.
 * Anything else is rendered at 300 dpi. */
static guint
choose_pdf_dpi (PopplerPage *page)
{
  GList *mapping = poppler_page_get_image_mapping (page);
  double page_width, page_height;
  guint dpi = PDF_DEFAULT_DPI;

  poppler_page_get_size (page, &page_width, &page_height);
  if (mapping != NULL && mapping->next == NULL)
    {
      PopplerImageMapping *image = mapping->data;
      double width = ABS (image->area.x2 - image->area.x1);
      double height = ABS (image->area.y2 - image->area.y1);

      if (width * height >= 0.5 * page_width * page_height)
        {
          cairo_surface_t *surface = poppler_page_get_image (page, image->image_id);

          if (surface != NULL && cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS &&
              cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE)
            {
              /* The long sides match even on a page turned a quarter. */
              int pixels = MAX (cairo_image_surface_get_width (surface), cairo_image_surface_get_height (surface));
              double native = pixels * 72.0 / MAX (width, height);

              dpi = (guint) CLAMP ((gint64) (native + 0.5), PDF_MIN_DPI, PDF_MAX_DPI);
            }
          g_clear_pointer (&surface, cairo_surface_destroy);
        }
    }
  poppler_page_free_image_mapping (mapping);
  return dpi;
}

/* Renders page @index of @document on white, straight into a 32-bit
 * Leptonica image. */
static PIX *
render_pdf_page (PopplerDocument  *document,
                 int               index,
                 const char       *name,
                 GError          **error)
{
  PopplerPage *page = poppler_document_get_page (document, index);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  PIX *pix;
  l_uint32 *data;
  double width_pt, height_pt;
  double width, height;
  gsize n_words;
  guint dpi;

  if (page == NULL)
    {
      set_pdf_damaged (error, name);
      return NULL;
    }

  poppler_page_get_size (page, &width_pt, &height_pt);
  if (!(width_pt > 0 && height_pt > 0 && width_pt < 1e6 && height_pt < 1e6))
    {
      g_object_unref (page);
      set_pdf_damaged (error, name);
      return NULL;
    }
  dpi = choose_pdf_dpi (page);
  width = (double) (gint64) (width_pt * dpi / 72.0 + 0.5);
  height = (double) (gint64) (height_pt * dpi / 72.0 + 0.5);
  if (!(width >= 1 && height >= 1))
    {
      g_object_unref (page);
      set_pdf_damaged (error, name);
      return NULL;
    }
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS ||
      !(pix = pixCreate ((l_int32) width, (l_int32) height, 32)))
    {
      g_object_unref (page);
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE,
                   _("Page %d of “%s” is too large (%.0f × %.0f pixels at %u dpi)."),
                   index + 1, name, width, height, dpi);
      return NULL;
    }

  /* A 32-bit Leptonica row is a cairo RGB24 row: one word per pixel. */
  surface = cairo_image_surface_create_for_data ((unsigned char *) pixGetData (pix), CAIRO_FORMAT_RGB24,
                                                 (int) width, (int) height, pixGetWpl (pix) * 4);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_scale (cr, dpi / 72.0, dpi / 72.0);
  poppler_page_render (page, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
  g_object_unref (page);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      pixDestroy (&pix);
      set_pdf_damaged (error, name);
      return NULL;
    }

  /* cairo keeps 0x00RRGGBB in each word, Leptonica 0xRRGGBBAA. */
  data = pixGetData (pix);
  n_words = (gsize) pixGetWpl (pix) * (gsize) height;
  for (gsize i = 0; i < n_words; i++)
    data[i] <<= 8;
  pixSetSpp (pix, 3);
  pixSetResolution (pix, (l_int32) dpi, (l_int32) dpi);
  return pix;
}

/* One file ---------------------------------------------------------------- */

static void
report_page (Importer   *importer,
             const char *name,
             guint       page,
             guint       n_pages)
{
  g_autofree char *message = NULL;

  if (importer->job == NULL || n_pages < 2)
    return;
  message = g_strdup_printf (_("Importing “%s”, page %u of %u"), name, page + 1, n_pages);
  /* Thousandths of a file, so long PDFs move the bar too. */
  sohoa_job_report (importer->job, importer->index * 1000 + page * 1000 / n_pages,
                    importer->n_files * 1000, message);
}

/* Only PNG and JPEG are shown as stored; the pages of a TIFF or a PDF get
 * a PNG each in derived/.  Every page gets a thumbnail. */
static gboolean
write_derived (const char  *workspace_dir,
               const char  *sha256,
               const char  *format,
               guint        frame,
               PIX         *pix,
               GError     **error)
{
  g_autofree char *thumbnail = NULL;

  if (!g_str_equal (format, "png") && !g_str_equal (format, "jpg"))
    {
      g_autofree char *display = _sohoa_workspace_display_path (workspace_dir, sha256, frame, format);

      if (!write_png (display, pix, error))
        return FALSE;
    }
  thumbnail = _sohoa_workspace_thumbnail_path (workspace_dir, sha256, frame);
  return make_thumbnail (thumbnail, pix, error);
}

static void
remove_derived (const char *workspace_dir,
                const char *sha256,
                const char *format,
                guint       n_frames)
{
  for (guint frame = 0; frame < n_frames; frame++)
    {
      g_autofree char *display = _sohoa_workspace_display_path (workspace_dir, sha256, frame, format);
      g_autofree char *thumbnail = _sohoa_workspace_thumbnail_path (workspace_dir, sha256, frame);

      if (!g_str_equal (format, "png") && !g_str_equal (format, "jpg"))
        g_unlink (display);
      g_unlink (thumbnail);
    }
}

/* Writes the images of each frame (TIFF) or page (PDF, @document) of a
 * file already checked in derived/, then its bytes in pages/, and fills
 * @pages with one row to add per frame (pointing at @sha256, @format and
 * @source_name).  A file refused half way leaves no image behind. */
static gboolean
prepare_frames (Importer         *importer,
                const char       *name,
                const char       *source_name,
                GBytes           *bytes,
                const char       *sha256,
                const char       *format,
                int               n_frames,
                PopplerDocument  *document,
                GArray           *pages,
                gboolean         *wrote_original,
                GError          **error)
{
  g_autofree char *original = NULL;
  const char *workspace_dir = sohoa_store_get_workspace_dir (importer->store);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  *wrote_original = FALSE;
  for (int frame = 0; frame < n_frames; frame++)
    {
      g_autoptr(PIX) pix = NULL;
      SohoaNewPage page = { 0 };

      if (g_cancellable_set_error_if_cancelled (importer->cancellable, error))
        goto failed;
      report_page (importer, name, (guint) frame, (guint) n_frames);

      if (document != NULL)
        {
          if (!(pix = render_pdf_page (document, frame, name, error)))
            goto failed;
        }
      else
        {
          pix = decode_frame (data, size, format, (guint) frame);
          if (pix == NULL || pixGetWidth (pix) > MAX_SIDE || pixGetHeight (pix) > MAX_SIDE)
            {
              g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                           _("“%s” is damaged or not a complete image."), name);
              goto failed;
            }
        }

      if (!write_derived (workspace_dir, sha256, format, (guint) frame, pix, error))
        goto failed;

      page.batch_id = importer->batch_id;
      page.sha256 = sha256;
      page.frame = (guint) frame;
      page.ext = format;
      page.source_name = source_name;
      page.size = (gint64) size;
      page.width = (guint) pixGetWidth (pix);
      page.height = (guint) pixGetHeight (pix);
      page.dpi = (guint) MAX (pixGetXRes (pix), 0);
      g_array_append_val (pages, page);
    }

  original = _sohoa_workspace_original_path (workspace_dir, sha256, format);
  if (!g_file_test (original, G_FILE_TEST_EXISTS))
    {
      if (!write_file_durably (original, data, size, error))
        goto failed;
      *wrote_original = TRUE;
    }
  return TRUE;

failed:
  remove_derived (workspace_dir, sha256, format, pages->len + 1);
  g_array_set_size (pages, 0);
  return FALSE;
}

/* Stores a file already checked: first the images of each frame (TIFF) or
 * page (PDF, @document) in derived/, then its bytes in pages/, then the
 * rows in one short transaction, so a long PDF does not hold the database
 * while it is rendered.  A file refused half way leaves nothing behind. */
static int
store_frames (Importer         *importer,
              GFile            *file,
              const char       *name,
              GBytes           *bytes,
              const char       *format,
              int               n_frames,
              PopplerDocument  *document,
              GError          **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *source_name = g_file_get_basename (file);
  g_autoptr(GArray) pages = g_array_sized_new (FALSE, TRUE, sizeof (SohoaNewPage), (guint) n_frames);
  const char *workspace_dir = sohoa_store_get_workspace_dir (importer->store);
  gboolean wrote_original;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  if (sohoa_store_find_page (importer->store, sha256, NULL) != 0)
    return 0;

  if (!prepare_frames (importer, name, source_name, bytes, sha256, format, n_frames, document,
                       pages, &wrote_original, error))
    return -1;

  if (!sohoa_store_begin (importer->store, error))
    goto failed;
  /* Another import may have taken the same content meanwhile. */
  if (sohoa_store_find_page (importer->store, sha256, NULL) != 0)
    {
      sohoa_store_rollback (importer->store);
      return 0;
    }
  for (guint i = 0; i < pages->len; i++)
    {
      if (_sohoa_store_add_page (importer->store, importer->user, &g_array_index (pages, SohoaNewPage, i), error) == 0)
        {
          sohoa_store_rollback (importer->store);
          goto failed;
        }
    }
  if (!sohoa_store_commit (importer->store, error))
    goto failed;
  return n_frames;

failed:
  remove_derived (workspace_dir, sha256, format, pages->len + 1);
  return -1;
}

/* Checks an image's header and counts its frames. */
static gboolean
check_image (GBytes      *bytes,
             const char  *format,
             const char  *name,
             int         *n_frames,
             GError     **error)
{
  gsize size;
  const l_uint8 *data = g_bytes_get_data (bytes, &size);
  l_int32 iff, w, h, bps, spp, iscmap;

  if (pixReadHeaderMem (data, size, &iff, &w, &h, &bps, &spp, &iscmap) != 0 || w <= 0 || h <= 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                   _("“%s” is damaged or not a complete image."), name);
      return FALSE;
    }
  if (w > MAX_SIDE || h > MAX_SIDE || (gint64) w * h > MAX_PIXELS)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE,
                   _("“%s” is too large (%d × %d pixels)."), name, w, h);
      return FALSE;
    }

  *n_frames = 1;
  if (g_str_equal (format, "tif"))
    {
      FILE *fp = fopenReadFromMemory (data, size);
      l_int32 count = 0;

      if (fp == NULL || tiffGetCount (fp, &count) != 0 || count < 1 || count > MAX_FRAMES)
        {
          if (fp)
            fclose (fp);
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                       _("“%s” is damaged or not a complete image."), name);
          return FALSE;
        }
      fclose (fp);
      *n_frames = count;
    }
  return TRUE;
}

/* Checks the bytes of a file to import: a format Sohoa takes, whole (its
 * end marker), within the limits; counts its frames or opens it as a PDF
 * (@document, NULL for images). */
static gboolean
probe_bytes (GBytes           *bytes,
             const char       *name,
             const char      **format,
             int              *n_frames,
             PopplerDocument **document,
             GError          **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  *document = NULL;
  *n_frames = 1;
  if (!(*format = detect_format (data, size)))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED,
                   _("“%s” is not a PNG, JPEG or TIFF image or a PDF file."), name);
      return FALSE;
    }
  if (!has_end_marker (*format, data + size - MIN (size, TAIL_BYTES),
                       MIN (size, TAIL_BYTES)) ||
      (g_str_equal (*format, "png") && !png_chunks_fit (data, size)))
    {
      if (g_str_equal (*format, "pdf"))
        set_pdf_damaged (error, name);
      else
        g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                     _("“%s” is damaged or not a complete image."), name);
      return FALSE;
    }

  if (g_str_equal (*format, "pdf"))
    {
      if (!(*document = open_pdf (bytes, name, n_frames, error)))
        return FALSE;
    }
  else if (!check_image (bytes, *format, name, n_frames, error))
    {
      return FALSE;
    }
  return TRUE;
}

/* The path from bytes to pixels without a workspace, for the fuzz targets
 * of tests/fuzz/: probes @bytes as an import does and decodes up to
 * @max_frames frames of an image (a PDF is opened, not rendered), skipping
 * the decoding of frames over @max_pixels.  Returns the number of frames,
 * or -1 with @error set as an import would report it. */
int
_sohoa_import_decode_bytes (GBytes      *bytes,
                            guint        max_frames,
                            gint64       max_pixels,
                            GError     **error)
{
  PopplerDocument *document = NULL;
  const char *format = NULL;
  int n_frames = 0;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  l_int32 iff, w, h, bps, spp, iscmap;

  if (!probe_bytes (bytes, "fuzz", &format, &n_frames, &document, error))
    return -1;
  if (document != NULL)
    {
      g_object_unref (document);
      return n_frames;
    }
  if (pixReadHeaderMem (data, size, &iff, &w, &h, &bps, &spp, &iscmap) != 0 || (gint64) w * h > max_pixels)
    return n_frames;
  for (int frame = 0; frame < MIN (n_frames, (int) max_frames); frame++)
    {
      g_autoptr(PIX) pix = decode_frame (data, size, format, (guint) frame);

      if (pix == NULL)
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_CORRUPT_IMAGE,
                       _("“%s” is damaged or not a complete image."), "fuzz");
          return -1;
        }
    }
  return n_frames;
}

/* For a package being received (sohoa-package-import.c): checks one page
 * file as an import does and writes its original in pages/ and its images
 * in derived/, without adding rows.  @pages gets one SohoaNewPage per page,
 * pointing at *@sha256 (the caller's to free), @source_name and static
 * text; *@wrote_original says whether the original was new on disk, for
 * _sohoa_import_remove_prepared() if the caller gives up. */
gboolean
_sohoa_import_prepare_file (SohoaStore    *store,
                            gint64         batch_id,
                            GBytes        *bytes,
                            const char    *name,
                            const char    *source_name,
                            GCancellable  *cancellable,
                            GArray        *pages,
                            char         **sha256,
                            const char   **ext,
                            gboolean      *wrote_original,
                            GError       **error)
{
  PopplerDocument *document = NULL;
  g_autofree char *digest = NULL;
  Importer importer = { 0 };
  gboolean ok;
  const char *format = NULL;
  int n_frames = 0;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  setMsgSeverity (L_SEVERITY_NONE);
  if (!probe_bytes (bytes, name, &format, &n_frames, &document, error))
    return FALSE;
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);

  importer.store = store;
  importer.batch_id = batch_id;
  importer.cancellable = cancellable;
  ok = prepare_frames (&importer, name, source_name, bytes, digest, format, n_frames, document,
                       pages, wrote_original, error);
  g_clear_object (&document);
  if (!ok)
    return FALSE;
  *ext = format;
  *sha256 = g_steal_pointer (&digest);
  return TRUE;
}

void
_sohoa_import_remove_prepared (SohoaStore *store,
                               const char *sha256,
                               const char *ext,
                               guint       n_pages,
                               gboolean    remove_original)
{
  const char *workspace_dir = sohoa_store_get_workspace_dir (store);

  remove_derived (workspace_dir, sha256, ext, n_pages);
  if (remove_original)
    {
      g_autofree char *original = _sohoa_workspace_original_path (workspace_dir, sha256, ext);
      g_unlink (original);
    }
}

/* Imports one file.  Returns the number of pages added, 0 for a duplicate
 * or -1 on error. */
static int
import_one (Importer    *importer,
            GFile       *file,
            const char  *name,
            GError     **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  PopplerDocument *document = NULL;
  char *contents = NULL;
  const char *format;
  gsize size = 0;
  int n_frames = 1;
  int n;

  if (!(info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NONE, importer->cancellable, error)))
    return -1;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_UNSUPPORTED, _("“%s” is not a file."), name);
      return -1;
    }
  if (g_file_info_get_size (info) > MAX_FILE_BYTES)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_TOO_LARGE,
                   _("“%s” is larger than %d MB; scan it again at a lower resolution or in parts."),
                   name, MAX_FILE_BYTES / (1024 * 1024));
      return -1;
    }
  if (!g_file_load_contents (file, importer->cancellable, &contents, &size, NULL, error))
    return -1;
  bytes = g_bytes_new_take (contents, size);

  if (!probe_bytes (bytes, name, &format, &n_frames, &document, error))
    return -1;

  n = store_frames (importer, file, name, bytes, format, n_frames, document, error);
  g_clear_object (&document);
  return n;
}

/* Folders ----------------------------------------------------------------- */

typedef struct
{
  GFileInfo *info;
  char      *key;
} Entry;

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_object_unref (entry->info);
  g_free (entry->key);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Entry *) a)->key, ((const Entry *) b)->key);
}

/* Adds every page file below @folder to @sources, in natural order of
 * their paths below it (scan2 before scan10).  Hidden files are passed
 * over; other files that are neither images nor PDFs are counted as
 * skipped.  A folder that cannot be read is an error of its own, the rest
 * goes on. */
static void
collect_folder (GFile              *folder,
                const char         *prefix,
                GHashTable         *visited,
                GPtrArray          *sources,
                SohoaImportReport  *report,
                GCancellable       *cancellable)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  g_array_set_clear_func (entries, entry_clear);

  children = g_file_enumerate_children (folder,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN ","
                                        G_FILE_ATTRIBUTE_STANDARD_IS_BACKUP ","
                                        G_FILE_ATTRIBUTE_ID_FILE,
                                        G_FILE_QUERY_INFO_NONE, cancellable, &error);
  while (children && (info = g_file_enumerator_next_file (children, cancellable, &error)))
    {
      Entry entry = { info, g_utf8_collate_key_for_filename (g_file_info_get_display_name (info), -1) };

      g_array_append_val (entries, entry);
    }
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The folder “%s” could not be read: %s"), prefix, error->message);
      g_ptr_array_add (report->errors, g_steal_pointer (&message));
      return;
    }

  g_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      g_autoptr(GFile) child = g_file_get_child (folder, g_file_info_get_name (entry->info));
      g_autofree char *path = g_build_filename (prefix, g_file_info_get_display_name (entry->info), NULL);
      const char *id = g_file_info_get_attribute_string (entry->info, G_FILE_ATTRIBUTE_ID_FILE);

      if (g_file_info_get_is_hidden (entry->info) || g_file_info_get_is_backup (entry->info))
        continue;

      switch (g_file_info_get_file_type (entry->info))
        {
        case G_FILE_TYPE_DIRECTORY:
          /* A link back up the tree is followed once. */
          if (id == NULL || g_hash_table_add (visited, g_strdup (id)))
            collect_folder (child, path, visited, sources, report, cancellable);
          break;

        case G_FILE_TYPE_REGULAR:
          if (sohoa_import_is_supported_file (child, cancellable))
            add_source (sources, child, path);
          else
            report->n_skipped++;
          break;

        default:
          break;
        }
    }
}

/* Expands the folders among @files into the files below them. */
static GPtrArray *
collect_sources (GFile             **files,
                 guint               n_files,
                 SohoaImportReport  *report,
                 GCancellable       *cancellable)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (source_free);

  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (files[i],
                                                     G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                     G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                                                     G_FILE_ATTRIBUTE_ID_FILE,
                                                     G_FILE_QUERY_INFO_NONE, cancellable, NULL);

      if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          const char *id = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ID_FILE);

          if (id != NULL)
            g_hash_table_add (visited, g_strdup (id));
          collect_folder (files[i], g_file_info_get_display_name (info), visited, sources, report, cancellable);
        }
      else
        {
          /* Whatever is wrong with it is told when it is imported. */
          g_autofree char *name = g_file_get_basename (files[i]);

          add_source (sources, files[i], name);
        }
    }
  return g_steal_pointer (&sources);
}

/* Public API -------------------------------------------------------------- */

/**
 * sohoa_import_is_supported_file:
 * @file: a file
 * @cancellable: (nullable): a #GCancellable
 *
 * Tells whether @file looks like something Sohoa imports: a PNG, JPEG or
 * TIFF image or a PDF file, by its name or else by its first bytes.  It
 * may still turn out to be damaged.
 *
 * Returns: %TRUE if @file is worth importing
 */
gboolean
sohoa_import_is_supported_file (GFile        *file,
                                GCancellable *cancellable)
{
  g_autofree char *name = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  guint8 magic[8];
  gsize n = 0;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  if (name != NULL && has_supported_extension (name))
    return TRUE;

  if (!(stream = g_file_read (file, cancellable, NULL)) ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), magic, sizeof magic, &n, cancellable, NULL))
    return FALSE;
  return detect_format (magic, n) != NULL;
}

/**
 * sohoa_import_file_looks_complete:
 * @file: a file
 * @cancellable: (nullable): a #GCancellable
 *
 * Tells whether @file ends the way a whole PNG, JPEG or PDF file does, so
 * that one still being written can be told apart from one that is done.
 * Files of other kinds, and those that cannot be read, look complete: the
 * import says what is wrong with them.
 *
 * Returns: %FALSE if @file is cut short
 */
gboolean
sohoa_import_file_looks_complete (GFile        *file,
                                  GCancellable *cancellable)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *tail = g_malloc (TAIL_BYTES);
  guint8 magic[8];
  const char *format;
  gsize n = 0;

  g_return_val_if_fail (G_IS_FILE (file), TRUE);

  if (!(stream = g_file_read (file, cancellable, NULL)) ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), magic, sizeof magic, &n, cancellable, NULL) ||
      !(format = detect_format (magic, n)))
    return TRUE;

  /* Files shorter than the tail are read again from the start. */
  if (!g_seekable_seek (G_SEEKABLE (stream), -TAIL_BYTES, G_SEEK_END, cancellable, NULL) &&
      !g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_SET, cancellable, NULL))
    return TRUE;
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), tail, TAIL_BYTES, &n, cancellable, NULL))
    return TRUE;
  return has_end_marker (format, tail, n);
}

/**
 * sohoa_import_files:
 *
 * Returns: (transfer full): what was imported; %NULL only when nothing
 *   could be done at all (no batch, database unusable, cancelled)
 */
SohoaImportReport *
sohoa_import_files (SohoaContext  *context,
                    gint64         batch_id,
                    const char    *schema_id,
                    GFile        **files,
                    guint          n_files,
                    SohoaJob      *job,
                    GError       **error)
{
  g_autoptr(SohoaStore) store = NULL;
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  GCancellable *cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  Importer importer = { 0 };
  SohoaUser *user;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (files != NULL || n_files == 0, NULL);

  user = sohoa_context_get_user (context);
  if (user == NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION, _("Sign in first."));
      return NULL;
    }

  /* Leptonica reports decoding problems on stderr; ours are better. */
  setMsgSeverity (L_SEVERITY_NONE);

  if (!(store = sohoa_store_dup (sohoa_context_get_store (context), error)))
    return NULL;

  report = sohoa_import_report_new ();

  if (batch_id == 0)
    {
      g_autoptr(SohoaBatch) batch = sohoa_store_create_batch (store, user, schema_id ? schema_id : "ho-tich.khai-sinh",
                                                              NULL, error);
      if (batch == NULL)
        return NULL;
      batch_id = sohoa_batch_get_id (batch);
    }
  else
    {
      g_autoptr(SohoaBatch) batch = sohoa_store_get_batch (store, batch_id, error);

      if (batch == NULL)
        return NULL;
      if (sohoa_batch_get_state (batch) != SOHOA_BATCH_OPEN &&
          sohoa_batch_get_state (batch) != SOHOA_BATCH_REJECTED)
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_STATE,
                       _("Batch “%s” has been submitted; pages can no longer be added to it."),
                       sohoa_batch_get_title (batch));
          return NULL;
        }
    }
  report->batch_id = batch_id;

  sources = collect_sources (files, n_files, report, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  importer.store = store;
  importer.user = user;
  importer.batch_id = batch_id;
  importer.job = job;
  importer.cancellable = cancellable;
  importer.n_files = sources->len;

  for (guint i = 0; i < sources->len; i++)
    {
      Source *source = g_ptr_array_index (sources, i);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *message = g_strdup_printf (_("Importing “%s” (%u of %u)"), source->name, i + 1, sources->len);
      int n;

      importer.index = i;
      sohoa_job_report (job, i * 1000, sources->len * 1000, message);
      g_ptr_array_add (report->files, g_object_ref (source->file));

      n = import_one (&importer, source->file, source->name, &local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (n < 0)
        g_ptr_array_add (report->errors, g_strdup (local_error->message));
      else if (n == 0)
        report->n_duplicates++;
      else
        report->n_imported += (guint) n;
    }

  sohoa_job_report (job, 1, 1, NULL);
  return g_steal_pointer (&report);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  SohoaJob *job = g_object_get_data (G_OBJECT (task), "sohoa-job");
  SohoaImportReport *report;
  GError *error = NULL;

  report = sohoa_import_files (source_object, data->batch_id, data->schema_id,
                               (GFile **) data->files->pdata, data->files->len, job, &error);
  if (report)
    g_task_return_pointer (task, report, (GDestroyNotify) sohoa_import_report_free);
  else
    g_task_return_error (task, error);
}

void
sohoa_import_files_async (SohoaContext        *context,
                          gint64               batch_id,
                          const char          *schema_id,
                          GFile              **files,
                          guint                n_files,
                          SohoaJob            *job,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (!job || SOHOA_IS_JOB (job));

  data = g_new0 (ImportData, 1);
  data->batch_id = batch_id;
  data->schema_id = g_strdup (schema_id);
  data->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (data->files, g_object_ref (files[i]));

  task = g_task_new (context, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_import_files_async);
  g_task_set_task_data (task, data, import_data_free);
  if (job)
    g_object_set_data_full (G_OBJECT (task), "sohoa-job", g_object_ref (job), g_object_unref);
  g_task_run_in_thread (task, import_thread);
}

SohoaImportReport *
sohoa_import_files_finish (SohoaContext  *context,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, context), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
