/* test-package-receiver.c: "Import Package…" in the main window, in
 * process under Xvfb.  An operator has no such command; a supervisor
 * chooses the package and, the first time, the CA file in the real file
 * choosers, sees the batch appear selected in his list; the same package
 * again is explained in a dialog and changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-package-receiver"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "sohoa-core.h"
#include "sohoa-test-util.h"
#include "sohoa-ui-test-util.h"
#include "sohoa-window.h"
#include "sohoa-window-private.h"

/* An approved batch of one document with its searchable PDF, packaged and
 * signed with a PKCS#12 key made by certtool. */
static void
make_package (SohoaTestWorkspace *ws,
              char              **zip,
              char              **ca)
{
  static const char script[] =
    "cd \"$1\"\n"
    "printf 'cn = \"Test CA\"\\nca\\ncert_signing_key\\nexpiration_days = 2\\n' > ca.tmpl\n"
    "printf 'cn = \"UBND Phường Sài Gòn\"\\nsigning_key\\nexpiration_days = 2\\n' > signer.tmpl\n"
    "certtool --generate-privkey --key-type rsa --bits 2048 --outfile ca-key.pem 2>/dev/null\n"
    "certtool --generate-self-signed --load-privkey ca-key.pem --template ca.tmpl --outfile ca.pem 2>/dev/null\n"
    "certtool --generate-privkey --key-type rsa --bits 2048 --outfile key.pem 2>/dev/null\n"
    "certtool --generate-certificate --load-privkey key.pem --load-ca-certificate ca.pem "
    "  --load-ca-privkey ca-key.pem --template signer.tmpl --outfile cert.pem 2>/dev/null\n"
    "certtool --to-p12 --load-privkey key.pem --load-certificate cert.pem --p12-name ky-so "
    "  --password mat-khau --outder --outfile key.p12 >/dev/null 2>&1\n";
  const char *argv[] = { "sh", "-ec", script, "sh", ws->dir, NULL };
  SohoaStore *store = sohoa_context_get_store (ws->context);
  g_autofree char *image = sohoa_test_write_image (ws->dir, "a.png", "png", 41, 1);
  g_autofree char *p12 = g_build_filename (ws->dir, "key.p12", NULL);
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(SohoaSigner) signer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pdf = NULL;
  GFile **files = sohoa_test_files (image, NULL);
  gsize length;
  gint64 record;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (store, report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  path = sohoa_store_dup_document_pdf_path (store, sohoa_page_get_document_id (page));
  dir = g_path_get_dirname (path);
  pdf = sohoa_test_make_pdf ("GIAY KHAI SINH", &length);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, pdf, (gssize) length, &error));
  record = sohoa_store_ensure_record (store, sohoa_page_get_document_id (page), "ho-tich.khai-sinh", 1, &error);
  g_assert_true (sohoa_store_set_field (store, ws->operator, record, "nksHoTen", "Phạm Thị Thu", SOHOA_VALUE_FILLED, &error));
  g_assert_true (sohoa_store_submit_batch (store, ws->operator, report->batch_id, &error));
  g_assert_true (sohoa_store_approve_batch (store, ws->supervisor, report->batch_id, &error));
  g_assert_no_error (error);

  signer = sohoa_signer_new_pkcs12 (p12, "mat-khau", &error);
  g_assert_no_error (error);
  *zip = g_build_filename (ws->dir, "lo.zip", NULL);
  *ca = g_build_filename (ws->dir, "ca.pem", NULL);
  sohoa_context_set_user (ws->context, ws->supervisor);
  g_assert_true (sohoa_package_build (ws->context, report->batch_id, *zip, signer, NULL, &error));
  g_assert_no_error (error);
}

/* Lets the windows lay out and draw, for the screenshots. */
static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  sohoa_test_spin_until (sohoa_test_time_has_come, &until, 1 + ms / 1000);
}

static gboolean
chooser_shown (gpointer data)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return sohoa_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static gboolean
chooser_has_file (gpointer data)
{
  g_autoptr(GFile) file = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (data));
  G_GNUC_END_IGNORE_DEPRECATIONS
  return file != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  GtkWidget *dialog = *(GtkWidget **) data;

  return dialog == NULL || !gtk_widget_get_visible (dialog);
}

/* Picks @path in the file chooser on screen, as a person would. */
static void
choose (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWindow *dialog;

  g_assert_true (sohoa_test_spin_until (chooser_shown, NULL, 10));
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = sohoa_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, NULL));
  g_assert_true (sohoa_test_spin_until (chooser_has_file, dialog, 10));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_true (sohoa_test_spin_until (dialog_gone, &dialog, 10));
  if (dialog)
    g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
}

static gboolean
batch_listed (gpointer data)
{
  return g_list_model_get_n_items (_sohoa_window_get_batches (data)) == 1;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return sohoa_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL &&
         g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (sohoa_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG))),
                    _("Package Not Imported")) == 0;
}

static void
test_receive_in_window (void)
{
  g_autoptr(SohoaTestWorkspace) a = sohoa_test_workspace_new ();
  g_autoptr(SohoaTestWorkspace) b = sohoa_test_workspace_new ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.sohoa.Sohoa");
  g_autoptr(SohoaBatch) batch = NULL;
  g_autofree char *zip = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *saved_ca = NULL;
  GListModel *batches;
  SohoaWindow *window;
  GtkWindow *dialog;

  make_package (a, &zip, &ca);
  g_settings_reset (settings, "trusted-ca-path");

  window = sohoa_window_new (NULL, b->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, b->operator);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));

  /* Not for an operator. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.import-package", NULL);
  g_assert_false (chooser_shown (NULL));

  /* A supervisor: the package, then (first time) the CA file. */
  sohoa_window_sign_in (window, b->supervisor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-package", NULL));
  choose (zip);
  choose (ca);
  g_assert_true (sohoa_test_spin_until (batch_listed, window, 60));
  saved_ca = g_settings_get_string (settings, "trusted-ca-path");
  g_assert_cmpstr (saved_ca, ==, ca);

  batches = _sohoa_window_get_batches (window);
  batch = g_list_model_get_item (batches, 0);
  g_assert_cmpint (sohoa_batch_get_state (batch), ==, SOHOA_BATCH_SUBMITTED);
  g_assert_cmpuint (sohoa_batch_get_n_pages (batch), ==, 1);
  settle (300);
  sohoa_test_save_screenshot (GTK_WIDGET (window), "package-received");

  /* Again: the CA is remembered; the refusal is explained; nothing added. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-package", NULL));
  choose (zip);
  g_assert_true (sohoa_test_spin_until (message_dialog_shown, NULL, 30));
  dialog = sohoa_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "already imported"));
  settle (300);
  sohoa_test_save_screenshot (GTK_WIDGET (dialog), "package-refused");
  gtk_window_destroy (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (_sohoa_window_get_batches (window)), ==, 1);

  g_settings_reset (settings, "trusted-ca-path");
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/package-receiver/window", test_receive_in_window);
  return g_test_run ();
}
