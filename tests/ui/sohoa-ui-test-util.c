/* sohoa-ui-test-util.c: what every in-process UI test needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sohoa-ui-test-util.h"

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the main loop until @condition holds; FALSE after @timeout_s. */
gboolean
sohoa_test_spin_until (SohoaTestCondition condition,
                       gpointer           data,
                       guint              timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, tick_cb, NULL);
  gboolean reached;

  while (!(reached = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return reached;
}

gboolean
sohoa_test_window_is_mapped (gpointer window)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* A condition that holds once the monotonic time in *@monotonic_deadline
 * has passed: spinning on it lets the window work for a while. */
gboolean
sohoa_test_time_has_come (gpointer monotonic_deadline)
{
  return g_get_monotonic_time () >= *(gint64 *) monotonic_deadline;
}

void
sohoa_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        sohoa_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* With SOHOA_TEST_SCREENSHOTS=DIR, saves what @widget shows as DIR/NAME.png,
 * so a person can look at the screens the tests reach. */
void
sohoa_test_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  const char *dir = g_getenv ("SOHOA_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL || width == 0 || height == 0)
    return;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  if (!(node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot))))
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* @widget or the first widget under it of @type, depth first. */
GtkWidget *
sohoa_test_find_descendant (GtkWidget *widget,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sohoa_test_find_descendant (child, type);

      if (found)
        return found;
    }
  return NULL;
}

/* @widget or the first widget under it named @name (the forms name their
 * rows after the field keys). */
GtkWidget *
sohoa_test_find_named (GtkWidget  *widget,
                       const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sohoa_test_find_named (child, name);

      if (found)
        return found;
    }
  return NULL;
}

/* The visible top-level window of @type, if one is shown. */
GtkWindow *
sohoa_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return GTK_WINDOW (window);
    }
  return NULL;
}

/* A loopback TCP port nobody listens on (yet). */
guint16
sohoa_test_free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &len), ==, 0);
  close (fd);
  return ntohs (addr.sin_port);
}

/* A #SohoaTestCondition: something listens on loopback port GPOINTER_TO_UINT (@port). */
gboolean
sohoa_test_port_open (gpointer port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) GPOINTER_TO_UINT (port), NULL, NULL);

  return connection != NULL;
}

/* Starts s3rver (installed by `npm ci` in tests/s3, which build-aux/dev
 * test runs) on a free loopback port, with the bucket "sohoa", and waits
 * until it listens. */
GSubprocess *
sohoa_test_start_s3rver (const char *data_dir,
                         guint16    *port)
{
  g_autofree char *s3rver = g_test_build_filename (G_TEST_DIST, "..", "s3", "node_modules", "s3rver",
                                                   "bin", "s3rver.js", NULL);
  g_autofree char *port_text = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_assert_true (g_file_test (s3rver, G_FILE_TEST_EXISTS));
  *port = sohoa_test_free_port ();
  port_text = g_strdup_printf ("%u", *port);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "node", s3rver, "-d", data_dir, "-a", "127.0.0.1", "-p", port_text,
                              "--silent", "--configure-bucket", "sohoa", NULL);
  g_assert_no_error (error);
  g_assert_true (sohoa_test_spin_until (sohoa_test_port_open, GUINT_TO_POINTER (*port), 20));
  return process;
}

void
sohoa_test_stop_subprocess (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_force_exit (*process);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

/* Points the upload settings at the S3 endpoint on loopback @port, with
 * s3rver's fixed keys and 5 MiB parts.  No keyring under the test's
 * private bus: the secret comes from the environment. */
void
sohoa_test_use_s3 (guint16 port)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *endpoint = g_strdup_printf ("http://127.0.0.1:%u", port);

  g_settings_set_string (settings, "upload-endpoint", endpoint);
  g_settings_set_string (settings, "upload-bucket", "sohoa");
  g_settings_set_string (settings, "upload-access-key", "S3RVER");
  g_settings_set_uint (settings, "upload-part-size", 5);
  g_setenv ("SOHOA_S3_SECRET_KEY", "S3RVER", TRUE);
  g_setenv ("SOHOA_S3_MAX_ATTEMPTS", "2", TRUE);
  g_setenv ("SOHOA_S3_RETRY_DELAY_MS", "50", TRUE);
}
