/* test-screenshots.c: every main screen of the workstation, mapped and
 * (with SOHOA_TEST_SCREENSHOTS=DIR) saved as DIR/<screen>.png
 *
 * docs/make-screenshots.sh runs this under Xvfb with LANG=vi_VN.UTF-8 to
 * produce the pictures of docs/huong-dan.md and of the AppStream metainfo.
 * As a test (suite ui) it checks that each screen opens and shows something.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-screenshots"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "sohoa-accounts-window.h"
#include "sohoa-core.h"
#include "sohoa-outbox-view.h"
#include "sohoa-ui-test-util.h"
#include "sohoa-preferences-window.h"
#include "sohoa-record-form.h"
#include "sohoa-review-window.h"
#include "sohoa-sample-page.h"
#include "sohoa-search-view.h"
#include "sohoa-window-private.h"

#define IMPORT_TIMEOUT_S 60

typedef struct
{
  char         *workspace;
  char         *input_dir;
  SohoaContext *context;
  SohoaUser    *admin;
  SohoaUser    *operator;
  SohoaUser    *supervisor;
} Fixture;

/* Helpers */

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Lets animations, thumbnails and layout settle before a picture. */
static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;

  sohoa_test_spin_until (sohoa_test_time_has_come, &until, 1 + ms / 1000);
}

static gboolean
import_is_done (gpointer data)
{
  SohoaWindow *window = data;

  return !_sohoa_window_is_busy (window) &&
         g_list_model_get_n_items (_sohoa_window_get_pages (window)) >= 1;
}

static gboolean
search_is_done (gpointer data)
{
  return !sohoa_search_view_get_busy (data);
}

static gboolean
named_child_exists (gpointer data)
{
  gpointer *args = data;

  return sohoa_test_find_named (args[0], args[1]) != NULL;
}

/* The application's help overlay: under the resource path made of the app
 * id (as GApplication derives it), or the one the resources have today. */
static char *
help_overlay_resource (void)
{
  g_auto(GStrv) parts = g_strsplit (APP_ID, ".", -1);
  g_autofree char *base = g_strjoinv ("/", parts);
  char *path = g_strconcat ("/", base, "/gtk/help-overlay.ui", NULL);

  if (g_resources_get_info (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
    return path;
  g_free (path);
  return g_strdup ("/io/github/sohoa/Sohoa/gtk/help-overlay.ui");
}

/* Asserts that @widget is on screen with a size, and with
 * SOHOA_TEST_SCREENSHOTS=DIR saves what it shows as DIR/NAME.png. */
static void
shoot (GtkWidget  *widget,
       const char *name)
{
  const char *dir = g_getenv ("SOHOA_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  g_assert_true (sohoa_test_spin_until (is_mapped, widget, 10));
  settle (800);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  if (dir == NULL)
    return;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s (%d×%d)", path, width, height);
}

/* Fixture: a ward workspace with an operator and a supervisor. */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SohoaStore *store;

  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_boolean (settings, "auto-ocr", FALSE);
  }

  f->workspace = g_dir_make_tmp ("sohoa-test-shots-XXXXXX", &error);
  g_assert_no_error (error);
  f->input_dir = g_dir_make_tmp ("sohoa-test-shots-input-XXXXXX", &error);
  g_assert_no_error (error);

  f->context = sohoa_context_open (f->workspace, &error);
  g_assert_no_error (error);
  store = sohoa_context_get_store (f->context);
  f->admin = sohoa_store_initialize (store, "26740", "Phường Sài Gòn",
                                     "admin", "Quản trị viên", "mat-khau-quan-tri", &error);
  g_assert_no_error (error);
  f->operator = sohoa_store_add_user (store, f->admin, "canbo", "Nguyễn Thị Lan",
                                      SOHOA_ROLE_OPERATOR, "mat-khau-can-bo", &error);
  g_assert_no_error (error);
  f->supervisor = sohoa_store_add_user (store, f->admin, "giamsat", "Trần Văn Bình",
                                        SOHOA_ROLE_SUPERVISOR, "mat-khau-giam-sat", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->operator);
  g_clear_object (&f->supervisor);
  g_clear_object (&f->admin);
  g_clear_object (&f->context);
  sohoa_test_remove_tree (f->input_dir);
  sohoa_test_remove_tree (f->workspace);
  g_free (f->input_dir);
  g_free (f->workspace);
}

/* A rendered birth-register extract, as a scanner would give it. */
static GFile *
make_page (Fixture    *f,
           const char *name,
           guint       seed)
{
  g_autofree char *path = g_build_filename (f->input_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sohoa_sample_page_render_png (SOHOA_SAMPLE_BIRTH_EXTRACT, seed, 150, NULL, path, NULL, &error));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

/* The screens, in the order a ward clerk meets them. */
static void
test_screens (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GFile) page = make_page (f, "trang-1.png", 1);
  g_autoptr(GtkBuilder) builder = NULL;
  SohoaSearchView *search;
  SohoaWindow *window;
  GtkWindow *review;
  GtkWindow *outbox;
  GtkWindow *accounts;
  GtkWidget *preferences;
  GtkWidget *popover;
  GObject *shortcuts;
  g_autofree char *help_overlay_path = NULL;
  GLogLevelFlags fatal_mask;
  gint64 record_id;

  /* The application icon, as an installed Sohoa finds it. */
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  SOHOA_SOURCE_DATADIR G_DIR_SEPARATOR_S "icons");

  window = sohoa_window_new (NULL, f->context, FALSE);
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);

  /* Sign-in */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (_sohoa_window_get_view_name (window), ==, "login");
  shoot (GTK_WIDGET (window), "login");

  /* Work view: the page beside its record form, a few fields keyed. */
  sohoa_window_sign_in (window, f->operator);
  g_assert_cmpstr (_sohoa_window_get_view_name (window), ==, "work");
  sohoa_window_import_files (window, &page, 1);
  g_assert_true (sohoa_test_spin_until (import_is_done, window, IMPORT_TIMEOUT_S));
  record_id = sohoa_record_form_get_record_id (_sohoa_window_get_record_form (window));
  g_assert_cmpint (record_id, >, 0);
  {
    static const char * const keyed[][2] = {
      /* What the rendered extract (seed 1) says. */
      { "so", "1637" },
      { "quyenSo", "01" },
      { "trangSo", "12" },
      { "ngayDangKy", "24/07/2026" },
      { "nksHoTen", "Trần Thanh Nam" },
      { "nksNgaySinh", "04/06/2026" },
      { "nksNoiSinh", "Bệnh viện Đa khoa khu vực Thủ Đức, Thành phố Hồ Chí Minh" },
      { "nksQueQuan", "Tỉnh Long An" },
      { "nksSoDinhDanh", "079226636950" },
    };
    SohoaRecordForm *form = _sohoa_window_get_record_form (window);

    for (guint i = 0; i < G_N_ELEMENTS (keyed); i++)
      {
        GtkWidget *row = sohoa_test_find_named (GTK_WIDGET (form), keyed[i][0]);

        if (row && GTK_IS_EDITABLE (row))
          gtk_editable_set_text (GTK_EDITABLE (row), keyed[i][1]);
      }
  }
  /* Let the import toast go. */
  settle (6000);
  shoot (GTK_WIDGET (window), "work-view");

  /* Search (Ctrl+F): a name typed without its marks still finds it, once
   * the form has saved it after the typing pause. */
  settle (1500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  search = SOHOA_SEARCH_VIEW (sohoa_test_find_descendant (GTK_WIDGET (window), SOHOA_TYPE_SEARCH_VIEW));
  g_assert_nonnull (search);
  sohoa_search_view_set_query (search, "tran thanh nam");
  g_assert_true (sohoa_test_spin_until (search_is_done, search, 10));
  popover = gtk_widget_get_ancestor (GTK_WIDGET (search), GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  shoot (popover, "search");
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* Preferences: capture, with the OCR languages found on this machine. */
  preferences = sohoa_preferences_window_new (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (preferences), 760, 880);
  gtk_window_present (GTK_WINDOW (preferences));
  {
    GtkWidget *languages = sohoa_test_find_named (preferences, "ocr-languages");
    gpointer args[2] = { languages, "vie" };

    g_assert_nonnull (languages);
    g_assert_true (sohoa_test_spin_until (named_child_exists, args, 20));
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (languages), TRUE);
  }
  shoot (preferences, "preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Keyboard shortcuts. GtkShortcutsWindow of GTK 4.8 (Debian 12) warns
   * that a label "reported min width -4" while it lays out: GTK's warning,
   * not ours, so only criticals stay fatal while it is open. */
  help_overlay_path = help_overlay_resource ();
  fatal_mask = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  builder = gtk_builder_new_from_resource (help_overlay_path);
  shortcuts = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (shortcuts));
  gtk_window_set_transient_for (GTK_WINDOW (shortcuts), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (shortcuts));
  shoot (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_window_destroy (GTK_WINDOW (shortcuts));
  g_log_set_always_fatal (fatal_mask);

  /* Review: the operator submits, the supervisor opens the batch. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "batch.submit", NULL));
  sohoa_window_sign_in (window, f->supervisor);

  /* The workspace page, as a supervisor sees it (the keying rule can be
   * changed). */
  preferences = sohoa_preferences_window_new (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (preferences), 760, 880);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "workspace");
  gtk_window_present (GTK_WINDOW (preferences));
  shoot (preferences, "preferences-workspace");
  gtk_window_destroy (GTK_WINDOW (preferences));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "batch.review", NULL));
  review = sohoa_test_find_toplevel (SOHOA_TYPE_REVIEW_WINDOW);
  g_assert_nonnull (review);
  shoot (GTK_WIDGET (review), "review-window");
  gtk_window_destroy (review);

  /* The outbox, and the administrator's accounts. */
  outbox = sohoa_outbox_view_present (GTK_WINDOW (window), f->context);
  shoot (GTK_WIDGET (outbox), "outbox");
  gtk_window_destroy (outbox);
  sohoa_window_sign_in (window, f->admin);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.accounts", NULL));
  accounts = sohoa_test_find_toplevel (SOHOA_TYPE_ACCOUNTS_WINDOW);
  g_assert_nonnull (accounts);
  shoot (GTK_WIDGET (accounts), "accounts");
  gtk_window_destroy (accounts);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("SOHOA_LOCALEDIR");

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() pins an English locale; take the one asked for (the
   * screenshot script asks for vi_VN.UTF-8), and the build's catalogs. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();

  g_test_add ("/ui/screenshots/main-screens", Fixture, NULL,
              fixture_set_up, test_screens, fixture_tear_down);

  return g_test_run ();
}
