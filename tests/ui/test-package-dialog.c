/* test-package-dialog.c: the "Done when" of issue 5 through the GUI, in
 * process under Xvfb.  A supervisor approves a batch in the review window,
 * signs its package with the PIN of a SoftHSM2 token (a CA and a signer
 * made by certtool), `openssl cms -verify` accepts the signature, and the
 * outbox sends the package to s3rver on loopback through a proxy that cuts
 * the connection mid-part and then refuses connections: the upload fails,
 * resumes when the network is back without sending the first part again,
 * and completes with the right bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE /* memmem */
#define G_LOG_DOMAIN "test-package-dialog"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <locale.h>
#include <string.h>

#include "sohoa-core.h"
#include "sohoa-ui-test-util.h"
#include "sohoa-outbox-view.h"
#include "sohoa-package-dialog.h"
#include "sohoa-review-window.h"
#include "sohoa-window.h"
#include "sohoa-test-util.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#define PIN "Sohoa-PIN-73915"

/* A CA and a signer certificate (certtool), the signer's key and
 * certificate on a SoftHSM2 token: as tests/test-package.sh does. */
static const char pki_script[] =
  "cd \"$1\"\n"
  "cat > ca.tmpl <<'T'\n"
  "cn = \"Sohoa Test CA\"\norganization = \"Sohoa test\"\nserial = 1\nexpiration_days = 30\nca\ncert_signing_key\n"
  "T\n"
  "cat > signer.tmpl <<'T'\n"
  "cn = \"UBND Phường Bến Thành\"\norganization = \"Sohoa test\"\nserial = 2\nexpiration_days = 30\nsigning_key\n"
  "T\n"
  "certtool --generate-privkey --key-type rsa --bits 2048 --outfile ca-key.pem 2>/dev/null\n"
  "certtool --generate-self-signed --load-privkey ca-key.pem --template ca.tmpl --outfile ca.pem 2>/dev/null\n"
  "certtool --generate-privkey --key-type rsa --bits 2048 --outfile signer-key.pem 2>/dev/null\n"
  "openssl pkcs8 -topk8 -nocrypt -in signer-key.pem -out signer-key.p8\n"
  "certtool --generate-certificate --load-privkey signer-key.pem --load-ca-certificate ca.pem "
  "  --load-ca-privkey ca-key.pem --template signer.tmpl --outfile signer.pem 2>/dev/null\n"
  "mkdir tokens\n"
  "echo \"directories.tokendir = $1/tokens\" > softhsm2.conf\n"
  "export SOFTHSM2_CONF=\"$1/softhsm2.conf\"\n"
  "softhsm2-util --init-token --free --label SohoaTest --pin \"$2\" --so-pin 567890 >/dev/null\n"
  "softhsm2-util --import signer-key.p8 --token SohoaTest --label ky-so --id 01 --pin \"$2\" >/dev/null\n"
  "GNUTLS_PIN=\"$2\" p11tool --login --write --load-certificate signer.pem --label ky-so --id 01 "
  "  'pkcs11:token=SohoaTest' >/dev/null 2>&1\n"
  "certtool --to-p12 --load-privkey signer-key.pem --load-certificate signer.pem --load-ca-certificate ca.pem "
  "  --p12-name ky-so --password p12-pw --outder --outfile signer.p12 >/dev/null 2>&1\n"
  "rm signer-key.pem signer-key.p8\n";

typedef struct
{
  SohoaTestWorkspace *ws;
  char               *pki;
  GSubprocess        *s3rver;
  GSubprocess        *proxy;
  guint16             s3_port;
  guint16             proxy_port;
} Fixture;

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  sohoa_test_spin_until (sohoa_test_time_has_come, &until, 1 + ms / 1000);
}

/* Runs a shell command line; fails the test if it fails. */
static char *
run_sh (const char *script,
        const char *arg1,
        const char *arg2)
{
  const char *argv[] = { "sh", "-ec", script, "sh", arg1, arg2, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", script, err);
  return g_steal_pointer (&out);
}

static GSubprocess *
start_proxy (Fixture    *fixture,
             const char *log,
             ...)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "s3", "s3-proxy.py", NULL);
  g_autofree char *listen = g_strdup_printf ("%u", fixture->proxy_port);
  g_autofree char *upstream = g_strdup_printf ("%u", fixture->s3_port);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *proxy;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, "python3");
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, listen);
  g_ptr_array_add (argv, "--upstream");
  g_ptr_array_add (argv, upstream);
  g_ptr_array_add (argv, "--access-key");
  g_ptr_array_add (argv, "S3RVER");
  g_ptr_array_add (argv, "--secret");
  g_ptr_array_add (argv, "S3RVER");
  g_ptr_array_add (argv, "--log");
  g_ptr_array_add (argv, (gpointer) log);
  va_start (args, log);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proxy = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (sohoa_test_spin_until (sohoa_test_port_open, GUINT_TO_POINTER (fixture->proxy_port), 20));
  return proxy;
}

static void
stop_proxy (Fixture *fixture)
{
  if (fixture->proxy)
    {
      g_subprocess_force_exit (fixture->proxy);
      g_subprocess_wait (fixture->proxy, NULL, NULL);
      g_clear_object (&fixture->proxy);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *s3data = NULL;
  g_autofree char *conf = NULL;

  fixture->ws = sohoa_test_workspace_new ();
  fixture->pki = g_build_filename (fixture->ws->dir, "pki", NULL);
  g_assert_cmpint (g_mkdir (fixture->pki, 0700), ==, 0);
  g_free (run_sh (pki_script, fixture->pki, PIN));
  /* Before GnuTLS loads the token modules through p11-kit. */
  conf = g_build_filename (fixture->pki, "softhsm2.conf", NULL);
  g_setenv ("SOFTHSM2_CONF", conf, TRUE);

  s3data = g_build_filename (fixture->ws->dir, "s3", NULL);
  fixture->s3rver = sohoa_test_start_s3rver (s3data, &fixture->s3_port);
  /* The application talks to the proxy, which forwards to s3rver. */
  fixture->proxy_port = sohoa_test_free_port ();
  sohoa_test_use_s3 (fixture->proxy_port);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_strdup (fixture->ws->dir);

  stop_proxy (fixture);
  sohoa_test_stop_subprocess (&fixture->s3rver);
  g_clear_pointer (&fixture->ws, sohoa_test_workspace_free);
  sohoa_test_remove_tree (dir);
  g_free (fixture->pki);
  g_settings_reset (settings, "upload-endpoint");
}

/* A submitted civil-status batch of three documents whose searchable PDFs
 * are there (written here instead of by OCR, which test-ocr covers), big
 * enough (some 12 MiB) to go up in three parts. */
static SohoaBatch *
submitted_batch (Fixture *fixture)
{
  SohoaTestWorkspace *ws = fixture->ws;
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *a = sohoa_test_write_image (ws->dir, "a.png", "png", 31, 1);
  g_autofree char *b = sohoa_test_write_image (ws->dir, "b.png", "png", 32, 1);
  g_autofree char *c = sohoa_test_write_image (ws->dir, "c.png", "png", 33, 1);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GError) error = NULL;
  GFile **files = sohoa_test_files (a, b, c, NULL);
  gsize padding = 4 * 1024 * 1024;

  sohoa_context_set_user (ws->context, ws->operator);
  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 3, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (pages, i);
      gint64 document = sohoa_page_get_document_id (page);
      g_autofree char *pdf = sohoa_store_dup_document_pdf_path (store, document);
      g_autofree char *dir = g_path_get_dirname (pdf);
      g_autoptr(GString) content = g_string_new ("%PDF-1.7\n% ");
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      gint64 record = sohoa_store_ensure_record (store, document, "ho-tich.khai-sinh", 1, &error);

      for (gsize j = 0; j < padding; j++)
        g_string_append_c (content, (char) ('!' + g_random_int_range (0, 90)));
      g_string_append (content, "\n%%EOF\n");
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (pdf, content->str, (gssize) content->len, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "so", number, SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "quyenSo", "01/2025", SOHOA_VALUE_FILLED, &error));
      g_assert_true (sohoa_store_set_field (store, ws->operator, record, "nksHoTen", "Lê Thị Hoà", SOHOA_VALUE_FILLED, &error));
      g_assert_no_error (error);
    }
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, report->batch_id, &error));
  g_assert_no_error (error);
  return sohoa_store_get_batch (store, report->batch_id, &error);
}

static GtkWidget *
find_package_dialog (void)
{
  return GTK_WIDGET (sohoa_test_find_toplevel (SOHOA_TYPE_PACKAGE_DIALOG));
}

static gboolean
dialog_idle (gpointer data)
{
  return !sohoa_package_dialog_get_busy (data);
}

static gboolean
is_set (gpointer data)
{
  return *(gint64 *) data != 0;
}

static gboolean
item_settled (gpointer data)
{
  return !sohoa_outbox_item_get_busy (data);
}

static void
packaged_cb (SohoaPackageDialog *dialog,
             gint64              package_id,
             gint64             *out)
{
  *out = package_id;
}

static GtkWidget *
child (gpointer    dialog,
       const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), SOHOA_TYPE_PACKAGE_DIALOG, name));
}

static guint
count_zips (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".zip") || strstr (name, ".tmp") || name[0] == '.')
      n++;
  return n;
}

static const char verify_script[] =
  "cd \"$1\"\n"
  "python3 -c 'import sys, zipfile\n"
  "z = zipfile.ZipFile(sys.argv[1])\n"
  "for n in z.namelist():\n"
  "    if n.endswith(\"/METS.xml\") or n.endswith(\"/METS.xml.p7s\"):\n"
  "        open(n.rsplit(\"/\", 1)[1], \"wb\").write(z.read(n))' \"$2\"\n"
  "openssl cms -verify -binary -inform DER -in METS.xml.p7s -content METS.xml -CAfile ca.pem -out /dev/null 2>&1\n"
  "echo verified\n";

static void
test_package_sign_upload (Fixture       *fixture,
                          gconstpointer  data)
{
  SohoaTestWorkspace *ws = fixture->ws;
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autoptr(SohoaBatch) batch = submitted_batch (fixture);
  g_autoptr(SohoaBatch) approved = NULL;
  g_autoptr(SohoaOutboxItem) item = NULL;
  g_autoptr(SohoaOutboxItem) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *packages = g_build_filename (ws->dir, "packages", NULL);
  g_autofree char *log1 = g_build_filename (ws->dir, "requests-1.log", NULL);
  g_autofree char *log2 = g_build_filename (ws->dir, "requests-2.log", NULL);
  g_autofree char *verified = NULL;
  g_autofree char *log = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *object_sha = NULL;
  g_autofree char *curl = NULL;
  GtkWidget *review;
  SohoaWindow *main_window;
  GtkWidget *dialog;
  GtkWidget *pin;
  GtkWidget *error_label;
  GtkWidget *window;
  GtkWidget *view;
  GListModel *keys;
  gint64 package_id = 0;
  gint64 batch_id = sohoa_batch_get_id (batch);

  /* 1. The supervisor approves each record, then the batch, in the review
   *    window. */
  sohoa_context_set_user (ws->context, ws->supervisor);
  review = sohoa_review_window_new (NULL, ws->context, batch, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (review), (gpointer *) &review);
  gtk_window_present (GTK_WINDOW (review));
  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (review, "review.approve-record", NULL));
  g_assert_true (gtk_widget_activate_action (review, "review.approve-batch", NULL));
  approved = sohoa_store_get_batch (store, batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_batch_get_state (approved), ==, SOHOA_BATCH_APPROVED);
  /* The review window closes by itself once the batch is approved. */
  if (review)
    gtk_window_destroy (GTK_WINDOW (review));

  /* 2. The main window's Sign and Package (supervisors, approved batches)
   *    opens the package dialog, which finds the key on the token through
   *    p11-kit. */
  main_window = sohoa_window_new (NULL, ws->context, FALSE);
  g_object_ref_sink (main_window);
  sohoa_window_sign_in (main_window, ws->operator);
  gtk_window_present (GTK_WINDOW (main_window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, main_window, 10));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (main_window), "batch.package", NULL) &&
                  find_package_dialog () != NULL);
  sohoa_window_sign_in (main_window, ws->supervisor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "batch.package", NULL));
  dialog = find_package_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "packaged", G_CALLBACK (packaged_cb), &package_id);
  g_assert_true (sohoa_test_spin_until (dialog_idle, dialog, 30));
  keys = sohoa_package_dialog_get_token_keys (SOHOA_PACKAGE_DIALOG (dialog));
  {
    gboolean found = FALSE;

    /* Other tokens may be plugged in; the dialog picks the first key. */
    for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (keys), i), "pkcs11:token=SohoaTest;object=ky-so"))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "token_row")), i);
          found = TRUE;
        }
    g_assert_true (found);
  }
  pin = child (dialog, "pin_row");
  error_label = child (dialog, "error_label");

  /* A wrong PIN: a clear error, the entry cleared, no file, the batch
   * still approved. */
  gtk_editable_set_text (GTK_EDITABLE (pin), "0000");
  g_assert_true (gtk_widget_activate_action (dialog, "package.build", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (pin)), ==, "");
  g_assert_true (sohoa_package_dialog_get_busy (SOHOA_PACKAGE_DIALOG (dialog)));
  g_assert_true (sohoa_test_spin_until (dialog_idle, dialog, 30));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   _("The token refused the PIN, or no PIN was given. Nothing was signed."));
  g_assert_cmpuint (count_zips (packages), ==, 0);
  g_assert_cmpint (package_id, ==, 0);
  settle (300);
  sohoa_test_save_screenshot (dialog, "package-dialog");

  /* The right PIN: signed, built, queued. */
  gtk_editable_set_text (GTK_EDITABLE (pin), PIN);
  g_assert_true (gtk_widget_activate_action (dialog, "package.build", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (pin)), ==, "");
  g_assert_true (sohoa_test_spin_until (is_set, &package_id, 90));

  stored = sohoa_outbox_get (store, package_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_outbox_item_get_state (stored), ==, SOHOA_UPLOAD_PENDING);
  g_assert_true (g_str_has_prefix (sohoa_outbox_item_get_file (stored), packages));
  g_assert_true (g_file_test (sohoa_outbox_item_get_file (stored), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (sohoa_outbox_item_get_size (stored), >, 10 * 1024 * 1024);
  g_clear_object (&approved);
  approved = sohoa_store_get_batch (store, batch_id, &error);
  g_assert_cmpint (sohoa_batch_get_state (approved), ==, SOHOA_BATCH_PACKAGED);

  /* 3. openssl accepts the signature over METS.xml. */
  verified = run_sh (verify_script, fixture->pki, sohoa_outbox_item_get_file (stored));
  g_assert_nonnull (strstr (verified, "verified"));

  /* 4. The outbox sends it; the connection drops in the middle of part 2
   *    and the network stays down: the upload fails, parts kept. */
  fixture->proxy = start_proxy (fixture, log1, "--drop-part", "2", "--drop-after", "1000000",
                                "--refuse-after-drop", "3600", NULL);
  /* The toast's Open Outbox: the outbox opens and sends what waits. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.send-outbox", NULL));
  window = GTK_WIDGET (sohoa_outbox_view_present (GTK_WINDOW (main_window), ws->context));
  view = GTK_WIDGET (sohoa_outbox_view_from_window (GTK_WINDOW (window)));
  g_assert_nonnull (view);
  item = g_list_model_get_item (sohoa_outbox_view_get_items (SOHOA_OUTBOX_VIEW (view)), 0);
  g_assert_cmpint (sohoa_outbox_item_get_id (item), ==, package_id);
  g_assert_true (sohoa_outbox_item_get_busy (item));
  g_assert_true (sohoa_test_spin_until (item_settled, item, 60));
  g_assert_cmpint (sohoa_outbox_item_get_state (item), ==, SOHOA_UPLOAD_FAILED);
  g_assert_nonnull (sohoa_outbox_item_get_upload_id (item));
  g_assert_cmpuint (sohoa_outbox_item_get_n_parts_done (item), ==, 1);

  /* The network is back: it resumes from part 2 and completes. */
  stop_proxy (fixture);
  fixture->proxy = start_proxy (fixture, log2, NULL);
  g_assert_true (gtk_widget_activate_action (view, "outbox.retry", "x", package_id));
  g_assert_true (sohoa_test_spin_until (item_settled, item, 60));
  g_assert_cmpint (sohoa_outbox_item_get_state (item), ==, SOHOA_UPLOAD_DONE);
  g_assert_cmpfloat (sohoa_outbox_item_get_fraction (item), ==, 1.0);

  /* Part 1 went up once, before the cut; never again. */
  g_assert_true (g_file_get_contents (log2, &log, NULL, NULL));
  g_assert_null (strstr (log, "\"part\": 1,"));
  g_assert_nonnull (strstr (log, "\"part\": 2,"));

  /* What the store says, and the object's bytes. */
  g_clear_object (&stored);
  stored = sohoa_outbox_get (store, package_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_outbox_item_get_state (stored), ==, SOHOA_UPLOAD_DONE);
  curl = g_strdup_printf ("curl -sf --aws-sigv4 'aws:amz:us-east-1:s3' --user S3RVER:S3RVER "
                          "-H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' "
                          "\"http://127.0.0.1:%u/sohoa/$1\" | sha256sum | cut -c1-64",
                          fixture->proxy_port);
  object_sha = run_sh (curl, sohoa_outbox_item_get_key (stored), NULL);
  g_strchomp (object_sha);
  g_assert_cmpstr (object_sha, ==, sohoa_outbox_item_get_sha256 (stored));
  g_assert_true (sohoa_store_verify_audit (store, NULL, &error));
  g_assert_no_error (error);

  /* The PIN is nowhere in the workspace's database or the settings. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *db = g_build_filename (ws->dir, i == 0 ? "sohoa.db" : "sohoa.db-wal", NULL);
      g_autofree char *bytes = NULL;
      gsize length = 0;

      if (g_file_get_contents (db, &bytes, &length, NULL))
        g_assert_null (memmem (bytes, length, PIN, strlen (PIN)));
    }
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *url = g_settings_get_string (settings, "signing-pkcs11-url");

    g_assert_cmpstr (url, ==, "pkcs11:token=SohoaTest;object=ky-so");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (main_window));
  g_object_unref (main_window);
}

/* The key in a PKCS#12 file named in the settings: a wrong password is
 * refused with no file left, the right one signs. */
static void
test_package_pkcs12 (Fixture       *fixture,
                     gconstpointer  data)
{
  SohoaTestWorkspace *ws = fixture->ws;
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autoptr(SohoaBatch) batch = submitted_batch (fixture);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SohoaOutboxItem) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *p12 = g_build_filename (fixture->pki, "signer.p12", NULL);
  g_autofree char *packages = g_build_filename (ws->dir, "packages", NULL);
  g_autofree char *verified = NULL;
  gint64 package_id = 0;
  GtkWidget *dialog;
  GtkWidget *pin;

  g_assert_true (sohoa_store_approve_batch (store, ws->supervisor, sohoa_batch_get_id (batch), &error));
  g_assert_no_error (error);
  sohoa_context_set_user (ws->context, ws->supervisor);
  g_settings_set_string (settings, "signing-source", "pkcs12");
  g_settings_set_string (settings, "signing-pkcs12-path", p12);

  dialog = sohoa_package_dialog_new (NULL, ws->context, sohoa_batch_get_id (batch));
  g_signal_connect (dialog, "packaged", G_CALLBACK (packaged_cb), &package_id);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (sohoa_test_spin_until (dialog_idle, dialog, 30));
  g_assert_true (gtk_widget_get_visible (child (dialog, "file_row")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "token_row")));
  pin = child (dialog, "pin_row");

  gtk_editable_set_text (GTK_EDITABLE (pin), "wrong-pw");
  g_assert_true (gtk_widget_activate_action (dialog, "package.build", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (pin)), ==, "");
  g_assert_true (sohoa_test_spin_until (dialog_idle, dialog, 30));
  g_assert_true (gtk_widget_get_visible (child (dialog, "error_label")));
  g_assert_cmpuint (count_zips (packages), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (pin), "p12-pw");
  g_assert_true (gtk_widget_activate_action (dialog, "package.build", NULL));
  g_assert_true (sohoa_test_spin_until (is_set, &package_id, 90));
  stored = sohoa_outbox_get (store, package_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_outbox_item_get_state (stored), ==, SOHOA_UPLOAD_PENDING);
  verified = run_sh (verify_script, fixture->pki, sohoa_outbox_item_get_file (stored));
  g_assert_nonnull (strstr (verified, "verified"));
  g_settings_reset (settings, "signing-source");
  g_settings_reset (settings, "signing-pkcs12-path");
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("SOHOA_LOCALEDIR");

  setlocale (LC_ALL, "");
  if (localedir)
    {
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/package-dialog/sign-upload", Fixture, NULL, fixture_set_up, test_package_sign_upload,
              fixture_tear_down);
  g_test_add ("/package-dialog/pkcs12", Fixture, NULL, fixture_set_up, test_package_pkcs12, fixture_tear_down);
  return g_test_run ();
}
