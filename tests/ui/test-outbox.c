/* test-outbox.c: the outbox view and the upload settings, in process, under
 * Xvfb, sending to a real S3-compatible server (s3rver) on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-outbox"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "sohoa-core.h"
#include "sohoa-ui-test-util.h"
#include "sohoa-outbox-view.h"
#include "sohoa-upload-preferences.h"


typedef struct
{
  char            *workspace;
  SohoaContext    *context;
  GSubprocess     *s3rver;
  guint16          port;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autofree char *s3data = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  fixture->workspace = g_dir_make_tmp ("sohoa-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->context = sohoa_context_open (fixture->workspace, &error);
  g_assert_no_error (error);
  admin = sohoa_store_initialize (sohoa_context_get_store (fixture->context), "26734", "Phường Bến Thành",
                                  "admin", "Quản trị", "secret-admin", &error);
  g_assert_no_error (error);
  sohoa_context_set_user (fixture->context, admin);

  s3data = g_build_filename (fixture->workspace, "s3", NULL);
  fixture->s3rver = sohoa_test_start_s3rver (s3data, &fixture->port);
  sohoa_test_use_s3 (fixture->port);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  sohoa_test_stop_subprocess (&fixture->s3rver);
  g_clear_object (&fixture->context);
  sohoa_test_remove_tree (fixture->workspace);
  g_free (fixture->workspace);
  g_settings_reset (settings, "upload-endpoint");
}

static gint64
add_package (Fixture    *fixture,
             const char *name,
             gsize       size)
{
  g_autofree char *path = g_build_filename (fixture->workspace, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  gint64 id;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));

  /* A batch for the package to belong to. */
  batch = sohoa_store_create_batch (sohoa_context_get_store (fixture->context),
                                    sohoa_context_get_user (fixture->context), "khai-sinh", name, &error);
  g_assert_no_error (error);
  id = sohoa_outbox_add_package (sohoa_context_get_store (fixture->context), sohoa_context_get_user (fixture->context),
                                 sohoa_batch_get_id (batch), path, &error);
  g_assert_no_error (error);
  return id;
}

static SohoaOutboxItem *
get_item (SohoaOutboxView *view,
          guint            position)
{
  GListModel *items = sohoa_outbox_view_get_items (view);

  g_assert_cmpuint (g_list_model_get_n_items (items), >, position);
  return g_list_model_get_item (items, position);
}

static gboolean
item_settled (gpointer data)
{
  SohoaOutboxItem *item = data;

  return !sohoa_outbox_item_get_busy (item);
}

static gboolean
item_sending (gpointer data)
{
  SohoaOutboxItem *item = data;

  return sohoa_outbox_item_get_fraction (item) > 0.05;
}

/* The view lists the packages; "Send Now" sends one to the server, the
 * progress bar reaches the end and the row says sent. */
static void
test_outbox_send (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SohoaOutboxItem) item = NULL;
  g_autoptr(SohoaOutboxItem) again = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = sohoa_outbox_view_new (fixture->context);
  gint64 id = add_package (fixture, "small.zip", 300 * 1024);

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  sohoa_outbox_view_reload (SOHOA_OUTBOX_VIEW (view));

  item = get_item (SOHOA_OUTBOX_VIEW (view), 0);
  g_assert_cmpint (sohoa_outbox_item_get_id (item), ==, id);
  g_assert_cmpint (sohoa_outbox_item_get_state (item), ==, SOHOA_UPLOAD_PENDING);

  g_assert_true (gtk_widget_activate_action (view, "outbox.retry", "x", id));
  g_assert_true (sohoa_outbox_item_get_busy (item));
  g_assert_true (sohoa_test_spin_until (item_settled, item, 60));
  g_assert_cmpint (sohoa_outbox_item_get_state (item), ==, SOHOA_UPLOAD_DONE);
  g_assert_cmpfloat (sohoa_outbox_item_get_fraction (item), ==, 1.0);
  g_assert_cmpstr (sohoa_outbox_item_get_key (item), ==, "26734/small.zip");

  /* What the store now says. */
  again = sohoa_outbox_get (sohoa_context_get_store (fixture->context), id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_outbox_item_get_state (again), ==, SOHOA_UPLOAD_DONE);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The stop button cancels a multipart upload under way from curl's progress
 * callback; the package waits, pending, with the parts already sent. */
static void
test_outbox_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SohoaOutboxItem) item = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSubprocess) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "s3", "s3-proxy.py", NULL);
  g_autofree char *log = g_build_filename (fixture->workspace, "requests.log", NULL);
  g_autofree char *listen = NULL;
  g_autofree char *upstream = g_strdup_printf ("%u", fixture->port);
  g_autofree char *endpoint = NULL;
  guint16 proxy_port = sohoa_test_free_port ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = sohoa_outbox_view_new (fixture->context);
  gint64 id = add_package (fixture, "large.zip", 40 * 1024 * 1024);

  /* A slow line (2 MB/s), so that there is time to press stop. */
  listen = g_strdup_printf ("%u", proxy_port);
  proxy = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "python3", script,
                            "--listen", listen, "--upstream", upstream, "--access-key", "S3RVER",
                            "--secret", "S3RVER", "--log", log, "--rate", "2000000", NULL);
  g_assert_no_error (error);
  g_assert_true (sohoa_test_spin_until (sohoa_test_port_open, GUINT_TO_POINTER (proxy_port), 20));
  endpoint = g_strdup_printf ("http://127.0.0.1:%u", proxy_port);
  g_settings_set_string (settings, "upload-endpoint", endpoint);

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  sohoa_outbox_view_reload (SOHOA_OUTBOX_VIEW (view));
  item = get_item (SOHOA_OUTBOX_VIEW (view), 0);

  g_assert_true (gtk_widget_activate_action (view, "outbox.send-all", NULL));
  g_assert_true (sohoa_test_spin_until (item_sending, item, 60));
  g_assert_true (gtk_widget_activate_action (view, "outbox.cancel", "x", id));
  g_assert_true (sohoa_test_spin_until (item_settled, item, 30));
  g_assert_cmpint (sohoa_outbox_item_get_state (item), ==, SOHOA_UPLOAD_PENDING);
  g_assert_nonnull (sohoa_outbox_item_get_upload_id (item));
  g_assert_cmpuint (sohoa_outbox_item_get_n_parts_done (item), <, 8);

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_force_exit (proxy);
  g_subprocess_wait (proxy, NULL, NULL);
}

/* Without a server address nothing is sent and the view says what to set. */
static void
test_outbox_unconfigured (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SohoaOutboxItem) item = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = sohoa_outbox_view_new (fixture->context);
  gint64 id = add_package (fixture, "nowhere.zip", 1000);

  g_settings_set_string (settings, "upload-endpoint", "");
  g_unsetenv ("SOHOA_S3_ENDPOINT");
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  sohoa_outbox_view_reload (SOHOA_OUTBOX_VIEW (view));
  item = get_item (SOHOA_OUTBOX_VIEW (view), 0);

  g_assert_true (gtk_widget_activate_action (view, "outbox.retry", "x", id));
  g_assert_true (sohoa_test_spin_until (item_settled, item, 10));
  g_assert_cmpint (sohoa_outbox_item_get_state (item), ==, SOHOA_UPLOAD_PENDING);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The outbox window opens once per main window, with the packages listed. */
static void
test_outbox_present (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *parent = gtk_window_new ();
  GtkWindow *first;
  GtkWindow *second;
  GtkWindow *third;

  add_package (fixture, "listed.zip", 1000);
  gtk_window_present (GTK_WINDOW (parent));
  first = sohoa_outbox_view_present (GTK_WINDOW (parent), fixture->context);
  second = sohoa_outbox_view_present (GTK_WINDOW (parent), fixture->context);
  g_assert_true (first == second);
  gtk_window_destroy (first);
  third = sohoa_outbox_view_present (GTK_WINDOW (parent), fixture->context);
  g_assert_true (GTK_IS_WINDOW (third));
  gtk_window_destroy (GTK_WINDOW (parent));
}

/* The settings page writes GSettings, and the configuration it loads has
 * them, with the secret key from the environment. */
static void
config_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SohoaUploadConfig **config = user_data;
  g_autoptr(GError) error = NULL;

  *config = sohoa_upload_preferences_load_config_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_upload_preferences (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SohoaUploadConfig) config = NULL;
  GtkWidget *window = adw_preferences_window_new ();
  GtkWidget *page = sohoa_upload_preferences_new ();
  g_autoptr(GError) error = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 760);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));

  g_settings_set_string (settings, "upload-bucket", "ho-tich");
  g_settings_set_uint (settings, "upload-part-size", 32);
  sohoa_upload_preferences_load_config_async (settings, NULL, config_cb, &config);
  g_assert_true (sohoa_test_spin_until (is_set, &config, 10));
  g_assert_cmpstr (config->bucket, ==, "ho-tich");
  g_assert_cmpstr (config->access_key, ==, "S3RVER");
  g_assert_cmpstr (config->secret_key, ==, "S3RVER");
  g_assert_cmpuint (config->part_size, ==, 32 * 1024 * 1024);
  g_assert_true (sohoa_upload_config_check (config, &error));
  g_assert_no_error (error);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/outbox/send", Fixture, NULL, fixture_set_up, test_outbox_send, fixture_tear_down);
  g_test_add ("/outbox/cancel", Fixture, NULL, fixture_set_up, test_outbox_cancel, fixture_tear_down);
  g_test_add ("/outbox/unconfigured", Fixture, NULL, fixture_set_up, test_outbox_unconfigured, fixture_tear_down);
  g_test_add ("/outbox/present", Fixture, NULL, fixture_set_up, test_outbox_present, fixture_tear_down);
  g_test_add ("/outbox/preferences", Fixture, NULL, fixture_set_up, test_upload_preferences, fixture_tear_down);
  return g_test_run ();
}
