/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-scanner"

#include "config.h"

#include <glib/gstdio.h>

#include "sohoa-image-private.h"
#include "sohoa-scanner-private.h"
#include "sohoa-types.h"

#include <malloc.h>
#include <sane/sane.h>
#include <string.h>

/* These tests drive SANE's own "test" backend, which tests/sane/ selects
 * through SANE_CONFIG_DIR: a virtual scanner with a flatbed and a ten-page
 * document feeder.  They fail, not skip, when libsane or the backend is
 * missing (Debian: libsane1). */

#define TIMEOUT_SECONDS 60
/* About 0.4 s a page (four blocks of data, 0.1 s apart), so there is
 * time to cancel in the middle of a feeder run.
 *
 * The test backend makes each page in a thread that sane_cancel() kills
 * asynchronously; killed while it starts up, inside malloc(), that thread
 * deadlocks the process.  So these tests cancel well inside a page, and
 * the states a scanner reports are checked without the backend (its
 * "read-return-value" option ends a page just as the thread starts). */
#define SLOW_OPTIONS "br-x=10", "br-y=10", "read-delay=yes", "read-delay-duration=100000"
#define INSIDE_A_PAGE_MS 150

typedef struct
{
  SohoaScanner *scanner;
  GMainLoop    *loop;
  char         *out_dir;

  GPtrArray    *paths;           /* of every page signalled, in order */
  GArray       *page_jobs;       /* guint, the job of each page */
  GArray       *finished_jobs;   /* guint */
  GError       *error;           /* of the last "finished" */
  guint         n_pages;         /* of the last "finished" */
  guint         wait_job;        /* stop the main loop when it finishes */

  guint         cancel_job;      /* cancel it ... */
  guint         cancel_after;    /* ... a little after this many of its pages arrived */
  gint64        cancelled_at;
  gint64        finished_at;
  guint         pages_after_cancel;
} Fixture;

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static gboolean
cancel_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->cancelled_at = g_get_monotonic_time ();
  sohoa_scanner_cancel (fixture->scanner, fixture->cancel_job);
  /* Cancelling twice, or a job that is not running, does nothing. */
  sohoa_scanner_cancel (fixture->scanner, fixture->cancel_job);
  sohoa_scanner_cancel (fixture->scanner, fixture->cancel_job + 100);
  return G_SOURCE_REMOVE;
}

static void
page_scanned_cb (SohoaScanner *scanner,
                 guint         job_id,
                 guint         page_number,
                 const char   *path,
                 Fixture      *fixture)
{
  guint n_for_job = 0;

  /* In order, complete on disk, and never after the job finished. */
  for (guint i = 0; i < fixture->finished_jobs->len; i++)
    g_assert_cmpuint (g_array_index (fixture->finished_jobs, guint, i), !=, job_id);
  for (guint i = 0; i < fixture->page_jobs->len; i++)
    n_for_job += g_array_index (fixture->page_jobs, guint, i) == job_id;
  g_assert_cmpuint (page_number, ==, n_for_job + 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (path, fixture->out_dir));

  if (fixture->cancelled_at)
    fixture->pages_after_cancel++;
  g_ptr_array_add (fixture->paths, g_strdup (path));
  g_array_append_val (fixture->page_jobs, job_id);

  if (job_id == fixture->cancel_job && page_number == fixture->cancel_after)
    g_timeout_add (INSIDE_A_PAGE_MS, cancel_cb, fixture);
}

static void
finished_cb (SohoaScanner *scanner,
             guint         job_id,
             const GError *error,
             guint         n_pages,
             Fixture      *fixture)
{
  g_array_append_val (fixture->finished_jobs, job_id);
  g_clear_error (&fixture->error);
  fixture->error = error ? g_error_copy (error) : NULL;
  fixture->n_pages = n_pages;
  fixture->finished_at = g_get_monotonic_time ();
  g_assert_false (sohoa_scanner_get_busy (scanner));
  if (job_id == fixture->wait_job)
    g_main_loop_quit (fixture->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("The scanner did not finish within %d seconds", TIMEOUT_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->scanner = sohoa_scanner_new ();
  fixture->loop = g_main_loop_new (NULL, FALSE);
  fixture->out_dir = g_dir_make_tmp ("sohoa-scan-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->paths = g_ptr_array_new_with_free_func (g_free);
  fixture->page_jobs = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->finished_jobs = g_array_new (FALSE, FALSE, sizeof (guint));

  g_signal_connect (fixture->scanner, "page-scanned", G_CALLBACK (page_scanned_cb), fixture);
  g_signal_connect (fixture->scanner, "finished", G_CALLBACK (finished_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->scanner);
  g_main_loop_unref (fixture->loop);
  remove_dir (fixture->out_dir);
  g_free (fixture->out_dir);
  g_ptr_array_unref (fixture->paths);
  g_array_unref (fixture->page_jobs);
  g_array_unref (fixture->finished_jobs);
  g_clear_error (&fixture->error);
}

/* Scans and waits for "finished". */
static guint
scan (Fixture                *fixture,
      const SohoaScanOptions *options)
{
  guint timeout;

  fixture->wait_job = sohoa_scanner_scan (fixture->scanner, options, fixture->out_dir);
  g_assert_cmpuint (fixture->wait_job, !=, 0);
  g_assert_true (sohoa_scanner_get_busy (fixture->scanner));
  g_assert_cmpuint (sohoa_scanner_get_job (fixture->scanner), ==, fixture->wait_job);

  timeout = g_timeout_add_seconds (TIMEOUT_SECONDS, timeout_cb, NULL);
  g_main_loop_run (fixture->loop);
  g_source_remove (timeout);

  g_assert_false (sohoa_scanner_get_busy (fixture->scanner));
  g_assert_cmpuint (sohoa_scanner_get_job (fixture->scanner), ==, 0);
  return fixture->wait_job;
}

typedef struct
{
  guint width;
  guint height;
  guint bit_depth;
  guint color_type;   /* 0 grey, 2 RGB */
  guint dpi;
} PngInfo;

static PngInfo
read_png_info (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  PngInfo info = { 0 };
  const guint8 *bytes;
  gsize size = 0;
  PIX *pix;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, >, 33);
  bytes = (const guint8 *) contents;
  g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (bytes + 12, 4, "IHDR", 4);
  info.width = GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (bytes + 16));
  info.height = GUINT32_FROM_BE (*(const guint32 *) (gconstpointer) (bytes + 20));
  info.bit_depth = bytes[24];
  info.color_type = bytes[25];

  pix = pixRead (path);
  g_assert_nonnull (pix);
  g_assert_cmpint (pixGetXRes (pix), ==, pixGetYRes (pix));
  info.dpi = (guint) pixGetXRes (pix);
  pixDestroy (&pix);
  return info;
}

/* Tests ----------------------------------------------------------------- */

static void
devices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GListModel **devices = user_data;
  g_autoptr(GError) error = NULL;

  *devices = sohoa_scanner_list_devices_finish (SOHOA_SCANNER (source), result, &error);
  g_assert_no_error (error);
}

static void
test_list_devices (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GListModel) devices = NULL;
  gboolean found = FALSE;

  sohoa_scanner_list_devices_async (fixture->scanner, NULL, devices_cb, &devices);
  while (devices == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_list_model_get_item_type (devices) == SOHOA_TYPE_SCAN_DEVICE);
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(SohoaScanDevice) device = g_list_model_get_item (devices, i);
      g_autofree char *label = NULL;

      if (!g_str_equal (sohoa_scan_device_get_name (device), "test:0"))
        continue;
      found = TRUE;
      g_assert_cmpstr (sohoa_scan_device_get_vendor (device), ==, "Noname");
      g_assert_cmpstr (sohoa_scan_device_get_model (device), ==, "frontend-tester");
      g_assert_cmpstr (sohoa_scan_device_get_kind (device), ==, "virtual device");
      label = sohoa_scan_device_dup_label (device);
      g_assert_cmpstr (label, ==, "Noname frontend-tester");
    }
  if (!found)
    g_error ("SANE's test backend was not found: install libsane1 and check SANE_CONFIG_DIR (%s)",
             g_getenv ("SANE_CONFIG_DIR"));
}

static void
test_flatbed (Fixture       *fixture,
              gconstpointer  data)
{
  SohoaScanOptions options = { .device = "test:0" };
  PngInfo info;

  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_pages, ==, 1);
  g_assert_cmpuint (fixture->paths->len, ==, 1);

  /* 24-bit colour at 300 dpi by default, 40 × 50 mm (tests/sane/test.conf). */
  info = read_png_info (g_ptr_array_index (fixture->paths, 0));
  g_assert_cmpuint (info.color_type, ==, 2);
  g_assert_cmpuint (info.bit_depth, ==, 8);
  g_assert_cmpuint (info.dpi, ==, 300);
  g_assert_cmpuint (info.width, ==, 472);
  g_assert_cmpuint (info.height, ==, 590);
}

static void
test_first_device (Fixture       *fixture,
                   gconstpointer  data)
{
  /* No options at all: the first scanner, flatbed, colour, 300 dpi. */
  scan (fixture, NULL);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_pages, ==, 1);
  g_assert_cmpuint (read_png_info (g_ptr_array_index (fixture->paths, 0)).dpi, ==, 300);
}

static void
test_resolution (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct {
    guint asked;
    guint expected;
  } cases[] = {
    { 0, 300 },     /* the default */
    { 50, 200 },    /* never below what the archive accepts */
    { 199, 200 },
    { 200, 200 },
    { 400, 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SohoaScanOptions options = { .device = "test:0", .resolution = cases[i].asked };
      PngInfo info;

      scan (fixture, &options);
      g_assert_no_error (fixture->error);
      info = read_png_info (g_ptr_array_index (fixture->paths, fixture->paths->len - 1));
      g_assert_cmpuint (info.dpi, ==, cases[i].expected);
      /* 40 mm across */
      g_assert_cmpint (ABS ((int) info.width - (int) (40 / 25.4 * cases[i].expected)), <=, 1);
    }
}

static void
test_gray (Fixture       *fixture,
           gconstpointer  data)
{
  SohoaScanOptions options = { .device = "test:0", .mode = SOHOA_SCAN_MODE_GRAY };
  PngInfo info;

  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  info = read_png_info (g_ptr_array_index (fixture->paths, 0));
  g_assert_cmpuint (info.color_type, ==, 0);
  g_assert_cmpuint (info.bit_depth, ==, 8);
  g_assert_cmpuint (info.dpi, ==, 300);
}

/* What backends send besides 8-bit frames: line art, 16 bits, three-pass
 * scanners' separate red, green and blue frames, and hand scanners that do
 * not know the height in advance. */
static void
test_frame_formats (Fixture       *fixture,
                    gconstpointer  data)
{
  const char * const lineart[] = { "depth=1", NULL };
  const char * const deep[] = { "depth=16", NULL };
  const char * const three_pass[] = { "three-pass=yes", NULL };
  const char * const hand[] = { "hand-scanner=yes", NULL };
  SohoaScanOptions options = { .device = "test:0", .resolution = 200 };
  g_autoptr(PIX) reference = NULL;
  PngInfo info;
  l_int32 same = 0;

  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  reference = pixRead (g_ptr_array_index (fixture->paths, 0));
  g_assert_cmpint (pixGetDepth (reference), ==, 32);

  options.backend_options = three_pass;
  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  {
    g_autoptr(PIX) pix = pixRead (g_ptr_array_index (fixture->paths, 1));

    g_assert_cmpint (pixEqual (reference, pix, &same), ==, 0);
    g_assert_true (same);
  }

  options.backend_options = deep;
  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  info = read_png_info (g_ptr_array_index (fixture->paths, 2));
  g_assert_cmpuint (info.color_type, ==, 2);
  g_assert_cmpuint (info.bit_depth, ==, 8);
  g_assert_cmpuint (info.dpi, ==, 200);

  options.mode = SOHOA_SCAN_MODE_GRAY;
  options.backend_options = lineart;
  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  info = read_png_info (g_ptr_array_index (fixture->paths, 3));
  g_assert_cmpuint (info.color_type, ==, 0);
  g_assert_cmpuint (info.bit_depth, ==, 1);
  g_assert_cmpuint (info.dpi, ==, 200);
  g_assert_cmpuint (info.width, ==, pixGetWidth (reference));
  g_assert_cmpuint (info.height, ==, pixGetHeight (reference));

  /* Last: the test backend keeps backend options from one scan to the
   * next, and a hand scanner is 11 cm wide. */
  options.mode = SOHOA_SCAN_MODE_COLOR;
  options.backend_options = hand;
  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  info = read_png_info (g_ptr_array_index (fixture->paths, 4));
  g_assert_cmpuint (info.color_type, ==, 2);
  g_assert_cmpuint (info.width, ==, 866);
  g_assert_cmpuint (info.height, >, 0);
}

static void
test_feeder (Fixture       *fixture,
             gconstpointer  data)
{
  SohoaScanOptions options = { .device = "test:0", .source = SOHOA_SCAN_SOURCE_FEEDER };
  guint job;

  /* The test backend's feeder runs empty after ten sheets; that ends the
   * batch, it is no error. */
  job = scan (fixture, &options);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_pages, ==, 10);
  g_assert_cmpuint (fixture->paths->len, ==, 10);
  g_assert_cmpuint (fixture->finished_jobs->len, ==, 1);
  g_assert_cmpuint (count_files (fixture->out_dir), ==, 10);

  /* Every page is its own file, with its own content. */
  for (guint i = 0; i < fixture->paths->len; i++)
    {
      g_assert_cmpuint (g_array_index (fixture->page_jobs, guint, i), ==, job);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (g_ptr_array_index (fixture->paths, j), !=, g_ptr_array_index (fixture->paths, i));
      g_assert_cmpuint (read_png_info (g_ptr_array_index (fixture->paths, i)).dpi, ==, 300);
    }

  /* The feeder is full again for the next run, which can stop early. */
  options.max_pages = 3;
  scan (fixture, &options);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_pages, ==, 3);
  g_assert_cmpuint (fixture->paths->len, ==, 13);
}

static void
test_feeder_pages_differ (Fixture       *fixture,
                          gconstpointer  data)
{
  SohoaScanOptions options = { .device = "test:0", .source = SOHOA_SCAN_SOURCE_FEEDER, .max_pages = 3 };
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Two sheets that look alike must not be taken for one page when they
   * are imported: the scan notes where and when each page was made. */
  scan (fixture, &options);
  scan (fixture, &options);
  g_assert_cmpuint (fixture->paths->len, ==, 6);
  for (guint i = 0; i < fixture->paths->len; i++)
    {
      g_autofree char *contents = NULL;
      gsize size;

      g_assert_true (g_file_get_contents (g_ptr_array_index (fixture->paths, i), &contents, &size, NULL));
      g_assert_true (g_hash_table_add (hashes, g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                                            (const guchar *) contents, size)));
    }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  const char * const slow[] = { SLOW_OPTIONS, NULL };
  SohoaScanOptions options = { .device = "test:0", .source = SOHOA_SCAN_SOURCE_FEEDER, .backend_options = slow };
  gint64 start = g_get_monotonic_time ();

  fixture->cancel_job = 1;
  fixture->cancel_after = 1;
  g_assert_cmpuint (scan (fixture, &options), ==, 1);

  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->n_pages, ==, 1);
  g_assert_cmpuint (fixture->paths->len, ==, 1);
  g_assert_cmpuint (fixture->pages_after_cancel, ==, 0);
  /* Pages the worker finished while the cancel was on its way are removed. */
  g_assert_cmpuint (count_files (fixture->out_dir), ==, 1);

  /* Promptly: at the next block of data (0.1 s), not at the end of the
   * page (0.4 s) or of the feeder (4 s). */
  g_test_message ("finished %.3f s after cancel, %.3f s after start",
                  (fixture->finished_at - fixture->cancelled_at) / 1e6,
                  (fixture->finished_at - start) / 1e6);
  g_assert_cmpint (fixture->finished_at - fixture->cancelled_at, <, G_USEC_PER_SEC / 4);
  g_assert_cmpint (fixture->finished_at - start, <, 3 * G_USEC_PER_SEC);
}

static void
test_stale_events (Fixture       *fixture,
                   gconstpointer  data)
{
  const char * const slow[] = { SLOW_OPTIONS, NULL };
  SohoaScanOptions options = { .device = "test:0", .source = SOHOA_SCAN_SOURCE_FEEDER, .backend_options = slow };
  guint first, second, third;

  /* Start, cancel, start again: only the second job is heard of. */
  first = sohoa_scanner_scan (fixture->scanner, &options, fixture->out_dir);
  g_usleep (G_USEC_PER_SEC * 6 / 10);  /* a page of it done, the next one half read */
  sohoa_scanner_cancel (fixture->scanner, first);
  options.max_pages = 3;
  options.backend_options = NULL;
  second = scan (fixture, &options);
  g_assert_cmpuint (second, !=, first);

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->n_pages, ==, 3);
  g_assert_cmpuint (fixture->finished_jobs->len, ==, 1);
  g_assert_cmpuint (g_array_index (fixture->finished_jobs, guint, 0), ==, second);
  g_assert_cmpuint (fixture->page_jobs->len, ==, 3);
  for (guint i = 0; i < fixture->page_jobs->len; i++)
    g_assert_cmpuint (g_array_index (fixture->page_jobs, guint, i), ==, second);
  g_assert_cmpuint (count_files (fixture->out_dir), ==, 3);

  /* A new scan replaces one still running, without a cancel. */
  options.backend_options = slow;
  options.max_pages = 0;
  sohoa_scanner_scan (fixture->scanner, &options, fixture->out_dir);
  g_usleep (G_USEC_PER_SEC * 6 / 10);
  options.backend_options = NULL;
  options.source = SOHOA_SCAN_SOURCE_FLATBED;
  third = scan (fixture, &options);

  g_assert_no_error (fixture->error);
  g_assert_cmpuint (fixture->finished_jobs->len, ==, 2);
  g_assert_cmpuint (g_array_index (fixture->finished_jobs, guint, 1), ==, third);
  g_assert_cmpuint (fixture->page_jobs->len, ==, 4);
  g_assert_cmpuint (g_array_index (fixture->page_jobs, guint, 3), ==, third);
  g_assert_cmpuint (count_files (fixture->out_dir), ==, 4);
}

static void
test_no_device (Fixture       *fixture,
                gconstpointer  data)
{
  SohoaScanOptions options = { .device = "nosuch:scanner" };

  scan (fixture, &options);
  g_assert_error (fixture->error, SOHOA_ERROR, SOHOA_ERROR_NO_SCANNER);
  g_assert_cmpstr (fixture->error->message, ==,
                   "The scanner “nosuch:scanner” was not found. Check that it is connected and switched on.");
  g_assert_cmpuint (fixture->n_pages, ==, 0);
  g_assert_cmpuint (fixture->paths->len, ==, 0);

  /* A device number the backend does not have. */
  options.device = "test:9";
  scan (fixture, &options);
  g_assert_error (fixture->error, SOHOA_ERROR, SOHOA_ERROR_NO_SCANNER);
}

/* The states a scanner reports, each mapped to a message that says what to
 * do. */
static void
test_status_messages (void)
{
  static const struct {
    SANE_Status      status;
    SohoaScanSource  source;
    gboolean         cancelled;
    int              code;
    const char      *message;
  } cases[] = {
    { SANE_STATUS_JAMMED, SOHOA_SCAN_SOURCE_FEEDER, FALSE, SOHOA_ERROR_PAPER_JAM,
      "Paper is jammed in the scanner. Clear the jam, then scan the remaining pages again." },
    { SANE_STATUS_COVER_OPEN, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_COVER_OPEN,
      "The scanner cover is open. Close it and try again." },
    { SANE_STATUS_NO_DOCS, SOHOA_SCAN_SOURCE_FEEDER, FALSE, SOHOA_ERROR_FEEDER_EMPTY,
      "The feeder is empty. Load the pages and scan again." },
    { SANE_STATUS_NO_DOCS, SOHOA_SCAN_SOURCE_DUPLEX, FALSE, SOHOA_ERROR_FEEDER_EMPTY,
      "The feeder is empty. Load the pages and scan again." },
    { SANE_STATUS_NO_DOCS, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_FEEDER_EMPTY,
      "There is no page on the scanner." },
    { SANE_STATUS_DEVICE_BUSY, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_SCANNER_BUSY,
      "The scanner is busy. Wait until it is done, or close other scanning programs, then try again." },
    { SANE_STATUS_IO_ERROR, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_SCANNER,
      "The scanner stopped responding. Check its cable and power, then try again." },
    { SANE_STATUS_ACCESS_DENIED, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_SCANNER,
      "Access to the scanner was denied. Ask the administrator to check its permissions." },
    { SANE_STATUS_NO_MEM, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_SCANNER,
      "The computer ran out of memory while scanning." },
    { SANE_STATUS_UNSUPPORTED, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_UNSUPPORTED,
      "The scanner cannot do what was asked of it." },
    { SANE_STATUS_INVAL, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_SCANNER,
      "The scanner did not accept the scan settings." },
    { SANE_STATUS_CANCELLED, SOHOA_SCAN_SOURCE_FEEDER, TRUE, G_IO_ERROR_CANCELLED,
      "Scanning was cancelled." },
    { 99, SOHOA_SCAN_SOURCE_FLATBED, FALSE, SOHOA_ERROR_SCANNER, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      _sohoa_scanner_set_error_from_status (&error, cases[i].status, cases[i].source);
      g_assert_error (error, (cases[i].cancelled ? G_IO_ERROR : SOHOA_ERROR), cases[i].code);
      if (cases[i].message)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "The scanner reported an error: "));
    }
}

static void
test_bad_settings (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct {
    SohoaScanSource  source;
    const char      *backend_option;
    int              code;
    const char      *message;
  } cases[] = {
    { SOHOA_SCAN_SOURCE_DUPLEX, NULL, SOHOA_ERROR_UNSUPPORTED,
      "This scanner cannot scan both sides of a page." },
    { SOHOA_SCAN_SOURCE_FLATBED, "no-such-option=1", SOHOA_ERROR_INVALID,
      "The scanner has no setting “no-such-option”." },
    { SOHOA_SCAN_SOURCE_FLATBED, "read-limit-size=10", SOHOA_ERROR_INVALID,
      "The scanner setting “read-limit-size” cannot be changed now." },
    { SOHOA_SCAN_SOURCE_FLATBED, "test-picture=Landscape", SOHOA_ERROR_INVALID,
      "“Landscape” is not a valid value for the scanner setting “test-picture”." },
    { SOHOA_SCAN_SOURCE_FLATBED, "read-delay=perhaps", SOHOA_ERROR_INVALID,
      "“perhaps” is not a valid value for the scanner setting “read-delay”." },
    { SOHOA_SCAN_SOURCE_FLATBED, "resolution", SOHOA_ERROR_INVALID,
      "“resolution” is not NAME=VALUE." },
    { SOHOA_SCAN_SOURCE_FLATBED, "resolution=100", SOHOA_ERROR_UNSUPPORTED,
      "This scanner cannot scan at 200 dpi or more." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const backend_options[] = { cases[i].backend_option, NULL };
      SohoaScanOptions options = { .device = "test:0", .source = cases[i].source,
                                   .backend_options = backend_options };

      scan (fixture, &options);
      g_assert_error (fixture->error, SOHOA_ERROR, cases[i].code);
      g_assert_cmpstr (fixture->error->message, ==, cases[i].message);
      g_assert_cmpuint (fixture->n_pages, ==, 0);
    }

  /* Names and listed values are matched regardless of case. */
  {
    const char * const backend_options[] = { "Test-Picture=solid WHITE", NULL };
    SohoaScanOptions options = { .device = "test:0", .backend_options = backend_options };

    scan (fixture, &options);
    g_assert_no_error (fixture->error);
    g_assert_cmpuint (fixture->n_pages, ==, 1);
  }
}

static void
test_dispose_while_scanning (void)
{
  const char * const slow[] = { SLOW_OPTIONS, NULL };
  SohoaScanOptions options = { .device = "test:0", .source = SOHOA_SCAN_SOURCE_FEEDER, .backend_options = slow };
  g_autoptr(GError) error = NULL;
  g_autofree char *out_dir = g_dir_make_tmp ("sohoa-scan-XXXXXX", &error);
  SohoaScanner *scanner = sohoa_scanner_new ();
  Fixture fixture = { 0 };
  gint64 start;

  g_assert_no_error (error);
  sohoa_scanner_scan (scanner, &options, out_dir);
  g_usleep (G_USEC_PER_SEC * 6 / 10);

  /* Dropping the scanner stops the feeder run and frees libsane at once. */
  start = g_get_monotonic_time ();
  g_assert_finalize_object (scanner);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* Events already on their way find no scanner and are dropped. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count_files (out_dir), ==, 0);
  remove_dir (out_dir);

  /* libsane is free for the next scanner. */
  fixture_set_up (&fixture, NULL);
  scan (&fixture, NULL);
  g_assert_no_error (fixture.error);
  g_assert_cmpuint (fixture.n_pages, ==, 1);
  fixture_tear_down (&fixture, NULL);
}

static void
test_source_names (void)
{
  SohoaScanSource source;

  g_assert_true (sohoa_scan_source_from_string ("feeder", &source));
  g_assert_cmpint (source, ==, SOHOA_SCAN_SOURCE_FEEDER);
  g_assert_true (sohoa_scan_source_from_string ("Duplex", &source));
  g_assert_cmpint (source, ==, SOHOA_SCAN_SOURCE_DUPLEX);
  g_assert_false (sohoa_scan_source_from_string ("adf", &source));
  for (source = SOHOA_SCAN_SOURCE_FLATBED; source <= SOHOA_SCAN_SOURCE_DUPLEX; source++)
    {
      SohoaScanSource parsed;

      g_assert_true (sohoa_scan_source_from_string (sohoa_scan_source_to_string (source), &parsed));
      g_assert_cmpint (parsed, ==, source);
    }
}

int
main (int    argc,
      char **argv)
{
  /* At the end of every page the test backend cancels its reader thread
   * asynchronously; caught inside free(), that thread leaves the heap
   * locked and the next page hangs.  The filling of freed memory that
   * "meson test" asks for (MALLOC_PERTURB_) makes free() slow enough for
   * that to happen every few runs. */
  mallopt (M_PERTURB, 0);

  g_test_init (&argc, &argv, NULL);

  /* Only SANE's test backend, never a real scanner on the machine. */
  if (g_getenv ("SANE_CONFIG_DIR") == NULL)
    g_error ("Set SANE_CONFIG_DIR to tests/sane (meson test does)");

#define ADD(path, func) \
  g_test_add ("/scanner/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list-devices", test_list_devices);
  ADD ("flatbed", test_flatbed);
  ADD ("first-device", test_first_device);
  ADD ("resolution", test_resolution);
  ADD ("gray", test_gray);
  ADD ("frame-formats", test_frame_formats);
  ADD ("feeder", test_feeder);
  ADD ("feeder-pages-differ", test_feeder_pages_differ);
  ADD ("cancel", test_cancel);
  ADD ("stale-events", test_stale_events);
  ADD ("no-device", test_no_device);
  ADD ("bad-settings", test_bad_settings);
#undef ADD
  g_test_add_func ("/scanner/dispose-while-scanning", test_dispose_while_scanning);
  g_test_add_func ("/scanner/source-names", test_source_names);
  g_test_add_func ("/scanner/status-messages", test_status_messages);

  return g_test_run ();
}
