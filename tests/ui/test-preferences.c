/* test-preferences.c: the preferences window and the shortcuts window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <adwaita.h>

#include "sohoa-application.h"
#include "sohoa-arbitration-view.h"
#include "sohoa-core.h"
#include "sohoa-core-private.h"
#include "sohoa-package-dialog.h"
#include "sohoa-preferences-window.h"
#include "sohoa-review-window.h"
#include "sohoa-second-keying-dialog.h"
#include "sohoa-test-util.h"
#include "sohoa-ui-test-util.h"
#include "sohoa-window.h"
#include "sohoa-workspace-preferences.h"

/* Helpers */

static gboolean
named_exists (gpointer data)
{
  gpointer *args = data;

  return sohoa_test_find_named (args[0], args[1]) != NULL;
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
subtitle_known (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (data);

  return subtitle && !g_str_equal (subtitle, "Checking…");
}

typedef struct
{
  GSettings  *settings;
  const char *key;
  const char *value;
} KeyWait;

static gboolean
key_is (gpointer data)
{
  KeyWait *wait = data;
  g_autofree char *value = g_settings_get_string (wait->settings, wait->key);

  return g_str_equal (value, wait->value);
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  sohoa_test_spin_until (sohoa_test_time_has_come, &until, 1 + ms / 1000);
}

/* The preferences window ---------------------------------------------------- */

static void
test_preferences (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SohoaStore *store = sohoa_context_get_store (ws->context);
  SohoaSchema *birth = sohoa_context_lookup_schema (ws->context, "ho-tich.khai-sinh");
  g_autofree char *chosen = g_build_filename (ws->dir, "kho-moi", "sohoa", NULL);
  guint cores = MAX (1, g_get_num_processors ());
  GtkWidget *preferences, *languages, *vie_row, *eng_row, *row, *toggle, *spin, *page;
  SohoaWindow *window;
  gpointer args[2];
  KeyWait wait = { settings, "workspace-dir", chosen };
  gboolean required = TRUE;

  window = sohoa_window_new (NULL, ws->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, ws->supervisor);
  gtk_window_present (GTK_WINDOW (window));

  /* The size it was closed at. */
  g_settings_set_int (settings, "preferences-width", 760);
  preferences = sohoa_preferences_window_new (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, preferences, 10));
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (preferences), &width, &height);
    g_assert_cmpint (width, ==, 760);
    gtk_window_set_default_size (GTK_WINDOW (preferences), 800, 700);
    g_assert_cmpint (g_settings_get_int (settings, "preferences-width"), ==, 800);
    g_assert_cmpint (g_settings_get_int (settings, "preferences-height"), ==, 700);
  }

  /* OCR languages: the installed ones, Vietnamese ticked, a warning on
   * English; ticking English reads with both, Vietnamese first. */
  languages = sohoa_test_find_named (preferences, "ocr-languages");
  g_assert_true (ADW_IS_EXPANDER_ROW (languages));
  args[0] = languages;
  args[1] = "eng";
  g_assert_true (sohoa_test_spin_until (named_exists, args, 20));
  vie_row = sohoa_test_find_named (languages, "vie");
  eng_row = sohoa_test_find_named (languages, "eng");
  g_assert_nonnull (vie_row);
  g_assert_nonnull (adw_action_row_get_subtitle (ADW_ACTION_ROW (eng_row)));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (vie_row, GTK_TYPE_CHECK_BUTTON))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (eng_row, GTK_TYPE_CHECK_BUTTON))));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (eng_row, GTK_TYPE_CHECK_BUTTON)), TRUE);
  {
    g_autofree char *value = g_settings_get_string (settings, "ocr-language");
    g_assert_cmpstr (value, ==, "vie+eng");
  }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (vie_row, GTK_TYPE_CHECK_BUTTON)), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (eng_row, GTK_TYPE_CHECK_BUTTON)), FALSE);
  {
    /* The last language cannot be ticked off. */
    g_autofree char *value = g_settings_get_string (settings, "ocr-language");
    g_assert_cmpstr (value, ==, "eng");
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (eng_row, GTK_TYPE_CHECK_BUTTON))));
  }
  /* A change from elsewhere moves the ticks and writes nothing back. */
  {
    guint n_changes = 0;
    gulong handler = g_signal_connect_swapped (settings, "changed::ocr-language", G_CALLBACK (count_cb), &n_changes);

    g_settings_set_string (settings, "ocr-language", "vie");
    g_signal_handler_disconnect (settings, handler);
    g_assert_cmpuint (n_changes, ==, 1);
  }
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (vie_row, GTK_TYPE_CHECK_BUTTON))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (sohoa_test_find_descendant (eng_row, GTK_TYPE_CHECK_BUTTON))));

  /* Pages at once: 1 to the number of cores; all of them is stored as 0,
   * "one per core", wherever the workspace runs. */
  spin = sohoa_test_find_descendant (sohoa_test_find_named (preferences, "ocr-threads"), GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin))), ==, cores);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, cores);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 1);
  g_assert_cmpuint (g_settings_get_uint (settings, "ocr-threads"), ==, cores > 1 ? 1 : 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), cores);
  g_assert_cmpuint (g_settings_get_uint (settings, "ocr-threads"), ==, 0);

  /* Workspace: the folder in use and its free space. */
  page = sohoa_test_find_descendant (preferences, SOHOA_TYPE_WORKSPACE_PREFERENCES);
  g_assert_nonnull (page);
  row = sohoa_test_find_named (page, "workspace-folder");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, ws->dir);
  g_assert_true (sohoa_test_spin_until (subtitle_known, sohoa_test_find_named (page, "workspace-free-space"), 10));
  g_assert_nonnull (g_strstr_len (adw_action_row_get_subtitle (ADW_ACTION_ROW (sohoa_test_find_named (page, "workspace-free-space"))), -1, "free"));

  /* Another folder is made, kept, and shown as the one of the next start. */
  sohoa_workspace_preferences_choose (SOHOA_WORKSPACE_PREFERENCES (page), chosen);
  g_assert_true (sohoa_test_spin_until (key_is, &wait, 10));
  g_assert_true (g_file_test (chosen, G_FILE_TEST_IS_DIR));
  g_assert_true (gtk_widget_get_visible (sohoa_test_find_named (page, "workspace-next")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sohoa_test_find_named (page, "workspace-next"))), ==, chosen);

  /* A folder Sohoa cannot write in is refused, and why is shown. */
  sohoa_workspace_preferences_choose (SOHOA_WORKSPACE_PREFERENCES (page), "/proc");
  g_assert_true (sohoa_test_spin_until (is_visible, sohoa_test_find_named (page, "workspace-error"), 10));
  g_assert_nonnull (g_strstr_len (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sohoa_test_find_named (page, "workspace-error"))), -1, "/proc"));
  {
    g_autofree char *value = g_settings_get_string (settings, "workspace-dir");
    g_assert_cmpstr (value, ==, chosen);
  }
  /* Back to the default folder (not the test's, which is given). */
  g_assert_true (gtk_widget_get_visible (sohoa_test_find_named (page, "workspace-default")));
  g_signal_emit_by_name (sohoa_test_find_named (page, "workspace-default"), "clicked");
  g_assert_false (gtk_widget_get_visible (sohoa_test_find_named (page, "workspace-default")));
  {
    g_autofree char *value = g_settings_get_string (settings, "workspace-dir");
    g_autofree char *fallback = g_build_filename (g_get_user_data_dir (), "sohoa", NULL);

    g_assert_cmpstr (value, ==, "");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sohoa_test_find_named (page, "workspace-next"))), ==, fallback);
  }

  /* Double keying: a supervisor turns it off for birth extracts. */
  row = sohoa_test_find_named (page, "ho-tich.khai-sinh");
  toggle = sohoa_test_find_descendant (row, GTK_TYPE_SWITCH);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_true (gtk_widget_get_sensitive (toggle));
  g_assert_null (sohoa_test_find_named (page, "keying-locked"));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_true (sohoa_store_get_double_keying (store, birth, &required, NULL, NULL));
  g_assert_false (required);
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* An operator sees the rule but cannot change it. */
  sohoa_window_sign_in (window, ws->operator);
  preferences = sohoa_preferences_window_new (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  page = sohoa_test_find_descendant (preferences, SOHOA_TYPE_WORKSPACE_PREFERENCES);
  toggle = sohoa_test_find_descendant (sohoa_test_find_named (page, "ho-tich.khai-sinh"), GTK_TYPE_SWITCH);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_false (gtk_widget_get_sensitive (toggle));
  g_assert_nonnull (sohoa_test_find_named (page, "keying-locked"));
  gtk_window_destroy (GTK_WINDOW (preferences));
  settle (100);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

/* The shortcuts window ------------------------------------------------------ */

typedef struct
{
  guint           keyval;
  GdkModifierType modifiers;
} Accel;

static void
add_listed (GArray     *listed,
            const char *accelerators)
{
  g_auto(GStrv) accels = g_strsplit (accelerators, " ", -1);

  for (guint i = 0; accels[i]; i++)
    {
      Accel accel = { 0, 0 };

      if (accels[i][0] == '\0')
        continue;
      g_assert_true (gtk_accelerator_parse (accels[i], &accel.keyval, &accel.modifiers));
      g_array_append_val (listed, accel);
    }
}

static void
collect_listed (GtkWidget *widget,
                GArray    *listed)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SHORTCUTS_SHORTCUT (child))
        {
          g_autofree char *accelerator = NULL;

          g_object_get (child, "accelerator", &accelerator, NULL);
          if (accelerator)
            add_listed (listed, accelerator);
        }
      collect_listed (child, listed);
    }
}

static gboolean
is_listed (GArray          *listed,
           guint            keyval,
           GdkModifierType  modifiers)
{
  keyval = gdk_keyval_to_lower (keyval);
  for (guint i = 0; i < listed->len; i++)
    {
      Accel *accel = &g_array_index (listed, Accel, i);

      if (gdk_keyval_to_lower (accel->keyval) == keyval && accel->modifiers == modifiers)
        return TRUE;
    }
  return FALSE;
}

/* Keypad twins of a listed key (Ctrl+KP_Add for Ctrl+plus, Ctrl+KP_Enter
 * for Ctrl+Return) and the alternatives shown on one line (Ctrl+= beside
 * Ctrl+plus, Ctrl+Y beside Ctrl+Shift+Z) count as listed. */
static gboolean
is_listed_or_twin (GArray          *listed,
                   guint            keyval,
                   GdkModifierType  modifiers)
{
  static const guint twins[][2] = {
    { GDK_KEY_KP_Add, GDK_KEY_plus }, { GDK_KEY_equal, GDK_KEY_plus },
    { GDK_KEY_KP_Subtract, GDK_KEY_minus }, { GDK_KEY_KP_0, GDK_KEY_0 }, { GDK_KEY_KP_1, GDK_KEY_1 },
    { GDK_KEY_KP_Enter, GDK_KEY_Return },
  };

  if (is_listed (listed, keyval, modifiers))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (twins); i++)
    if (keyval == twins[i][0] && is_listed (listed, twins[i][1], modifiers))
      return TRUE;
  return FALSE;
}

static guint n_missing;

static void
check_trigger (GArray             *listed,
               GtkShortcutTrigger *trigger,
               const char         *where,
               guint              *n_checked)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      check_trigger (listed, gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), where, n_checked);
      check_trigger (listed, gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), where, n_checked);
    }
  else if (GTK_IS_KEYVAL_TRIGGER (trigger))
    {
      guint keyval = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger));
      GdkModifierType modifiers = gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger));
      g_autofree char *label = gtk_accelerator_name (keyval, modifiers);

      if (!is_listed_or_twin (listed, keyval, modifiers))
        {
          g_printerr ("%s: the shortcut %s is missing from the shortcuts window\n", where, label);
          n_missing++;
        }
      (*n_checked)++;
    }
}

/* Every shortcut controller of a Sohoa widget: the ones its code or
 * template adds, and its class's key bindings to actions (GTK's own
 * signal bindings, such as the inspector's, are not Sohoa's). */
static void
check_widget_tree (GArray    *listed,
                   GtkWidget *widget,
                   guint     *n_checked)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Sohoa"))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
              GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

              if (GTK_IS_SIGNAL_ACTION (action))
                continue;
              if (GTK_IS_NAMED_ACTION (action) &&
                  g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "window.close"))
                {
                  /* Escape closes every dialog: listed once, as Escape. */
                }
              check_trigger (listed, gtk_shortcut_get_trigger (shortcut), G_OBJECT_TYPE_NAME (widget), n_checked);
            }
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_widget_tree (listed, child, n_checked);
}

static void
test_shortcuts_listed (void)
{
  g_autoptr(SohoaTestWorkspace) ws = sohoa_test_workspace_new ();
  g_autoptr(SohoaApplication) app = sohoa_application_new ();
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GArray) listed = g_array_new (FALSE, TRUE, sizeof (Accel));
  g_autoptr(SohoaImportReport) report = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(SohoaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *image = sohoa_test_write_image (ws->dir, "a", "png", 701, 1);
  g_auto(GStrv) actions = NULL;
  GFile **files = sohoa_test_files (image, NULL);
  GLogLevelFlags fatal_mask;
  GtkWidget *dialogs[4];
  SohoaWindow *window;
  GObject *overlay;
  guint n_checked = 0, n_app = 0;
  gint64 record_id;

  /* The shortcuts window as GtkApplication installs it. GTK 4.8 warns
   * while laying it out ("reported min width -4"): only criticals stay
   * fatal meanwhile (as in test-screenshots.c). */
  fatal_mask = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  builder = gtk_builder_new_from_resource ("/io/github/sohoa/Sohoa/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  collect_listed (GTK_WIDGET (overlay), listed);
  g_assert_cmpuint (listed->len, >, 30);

  /* Every accelerator the application sets for an action. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i]; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j]; j++)
        {
          guint keyval;
          GdkModifierType modifiers;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &modifiers));
          if (!is_listed_or_twin (listed, keyval, modifiers))
            g_error ("%s: the shortcut %s is missing from the shortcuts window", actions[i], accels[j]);
          n_app++;
        }
    }
  g_assert_cmpuint (n_app, >=, 2);

  /* Every key binding of the windows and dialogs. */
  report = sohoa_import_files (ws->context, 0, "ho-tich.khai-sinh", files, 1, NULL, &error);
  sohoa_test_files_free (files);
  g_assert_no_error (error);
  pages = sohoa_store_list_pages (sohoa_context_get_store (ws->context), report->batch_id, &error);
  page = g_list_model_get_item (pages, 0);
  record_id = sohoa_store_ensure_record (sohoa_context_get_store (ws->context), sohoa_page_get_document_id (page),
                                         "ho-tich.khai-sinh", 1, &error);
  g_assert_no_error (error);
  batch = sohoa_store_get_batch (sohoa_context_get_store (ws->context), report->batch_id, &error);
  g_assert_no_error (error);

  window = sohoa_window_new (NULL, ws->context, FALSE);
  g_object_ref_sink (window);
  sohoa_window_sign_in (window, ws->supervisor);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  check_widget_tree (listed, GTK_WIDGET (window), &n_checked);

  sohoa_context_set_user (ws->context, ws->supervisor);
  dialogs[0] = sohoa_review_window_new (GTK_WINDOW (window), ws->context, batch, &error);
  g_assert_no_error (error);
  dialogs[1] = GTK_WIDGET (sohoa_arbitration_view_new (GTK_WINDOW (window), ws->context, batch, &error));
  g_assert_no_error (error);
  dialogs[2] = sohoa_package_dialog_new (GTK_WINDOW (window), ws->context, report->batch_id);
  sohoa_context_set_user (ws->context, ws->operator);
  dialogs[3] = GTK_WIDGET (sohoa_second_keying_dialog_new (GTK_WINDOW (window), ws->context,
                                                           sohoa_context_lookup_schema (ws->context, "ho-tich.khai-sinh"),
                                                           record_id, page, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (dialogs); i++)
    {
      g_assert_nonnull (dialogs[i]);
      check_widget_tree (listed, dialogs[i], &n_checked);
      gtk_window_destroy (GTK_WINDOW (dialogs[i]));
    }
  g_test_message ("%u application accelerators and %u key bindings checked", n_app, n_checked);
  g_assert_cmpuint (n_missing, ==, 0);
  g_assert_cmpuint (n_checked, >, 40);

  g_log_set_always_fatal (fatal_mask);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/preferences/rows", test_preferences);
  g_test_add_func ("/ui/shortcuts/all-listed", test_shortcuts_listed);

  return g_test_run ();
}
