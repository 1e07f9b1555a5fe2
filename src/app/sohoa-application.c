/* sohoa-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-application"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-application.h"
#include "sohoa-renderer.h"

#include "sohoa-core.h"
#include "sohoa-preferences-window.h"
#include "sohoa-window.h"

struct _SohoaApplication
{
  AdwApplication  parent_instance;

  /* owned */
  GSettings      *settings;

  /* state */
  char           *workspace_dir;
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (SohoaApplication, sohoa_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "workspace", 'w', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the workspace in DIRECTORY"), N_("DIRECTORY") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Create a demo workspace with sample pages if the workspace is empty"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

/* The workspace chosen in the preferences, else the default one. */
static char *
configured_workspace_dir (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_settings_get_string (settings, "workspace-dir");

  if (dir[0] != '\0' && g_path_is_absolute (dir))
    return g_steal_pointer (&dir);
  return sohoa_context_default_workspace_dir ();
}

static void
fatal_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
show_fatal_error (SohoaApplication *self,
                  const GError     *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL,
                                   _("Cannot Open the Workspace"),
                                   error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (fatal_dialog_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sohoa_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  SohoaApplication *self = user_data;
  GList *windows;

  /* Closing the windows first lets each save what the clerk has typed. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_destroy (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
sohoa_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  SohoaApplication *self = user_data;
  static const char *developers[] = { "Sohoa contributors", NULL };
  GtkWindow *parent;
  GtkWidget *about;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Sohoa"),
                        "developer-name", _("The Sohoa Contributors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Digitize the civil-status books and records of a ward "
                                      "office: scan pages, recognize the Vietnamese text, key "
                                      "the records and send approved batches to the city."),
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sohoa_application_shortcuts_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  SohoaApplication *self = user_data;
  GtkWindow *window;

  /* GtkApplication installs win.show-help-overlay from gtk/help-overlay.ui. */
  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
sohoa_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  SohoaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (sohoa_preferences_window_new (parent)));
}

static const GActionEntry app_actions[] = {
  { "quit", sohoa_application_quit_action },
  { "about", sohoa_application_about_action },
  { "shortcuts", sohoa_application_shortcuts_action },
  { "preferences", sohoa_application_preferences_action },
};

static int
sohoa_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  SohoaApplication *self = SOHOA_APPLICATION (app);
  g_autofree char *workspace_dir = NULL;
  const char *env;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  self->demo = g_variant_dict_contains (options, "demo");

  if (g_variant_dict_lookup (options, "workspace", "^ay", &workspace_dir))
    self->workspace_dir = g_canonicalize_filename (workspace_dir, NULL);
  else if ((env = g_getenv ("SOHOA_WORKSPACE")) && env[0] != '\0')
    self->workspace_dir = g_canonicalize_filename (env, NULL);

  /* One instance per workspace: a second launch on the default workspace
   * raises the running window, but test and demo workspaces run beside it. */
  if (self->workspace_dir != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  else
    self->workspace_dir = configured_workspace_dir ();

  return G_APPLICATION_CLASS (sohoa_application_parent_class)->handle_local_options (app, options);
}

static void
sohoa_application_startup (GApplication *app)
{
  SohoaApplication *self = SOHOA_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *datadir;

  G_APPLICATION_CLASS (sohoa_application_parent_class)->startup (app);

  sohoa_renderer_choose ();

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);

  /* Uninstalled, the application icon lives in the source tree. */
  if ((datadir = g_getenv ("SOHOA_DATADIR")) && datadir[0] != '\0')
    {
      g_autofree char *icons = g_build_filename (datadir, "icons", NULL);
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

      gtk_icon_theme_add_search_path (theme, icons);
    }
}

static void
sohoa_application_activate (GApplication *app)
{
  SohoaApplication *self = SOHOA_APPLICATION (app);
  g_autoptr(SohoaContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    {
      gtk_window_present (window);
      return;
    }

  if (self->workspace_dir == NULL)
    self->workspace_dir = configured_workspace_dir ();

  if (!(context = sohoa_context_open (self->workspace_dir, &error)))
    {
      g_warning ("Cannot open workspace %s: %s", self->workspace_dir, error->message);
      show_fatal_error (self, error);
      return;
    }

  /* The core reads no settings: it is told, and told again on change. */
  g_settings_bind (self->settings, "ocr-language", context, "ocr-language", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "ocr-threads", context, "ocr-threads", G_SETTINGS_BIND_GET);

  window = GTK_WINDOW (sohoa_window_new (GTK_APPLICATION (self), context, self->demo));
  gtk_window_present (window);
}

static void
sohoa_application_finalize (GObject *object)
{
  SohoaApplication *self = (SohoaApplication *) object;

  g_clear_pointer (&self->workspace_dir, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sohoa_application_parent_class)->finalize (object);
}

static void
sohoa_application_class_init (SohoaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sohoa_application_finalize;

  app_class->handle_local_options = sohoa_application_handle_local_options;
  app_class->startup = sohoa_application_startup;
  app_class->activate = sohoa_application_activate;
}

static void
sohoa_application_init (SohoaApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Digitize civil-status books and records."));
}

SohoaApplication *
sohoa_application_new (void)
{
  return g_object_new (SOHOA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/sohoa/Sohoa",
                       NULL);
}

const char *
sohoa_application_get_workspace_dir (SohoaApplication *self)
{
  g_return_val_if_fail (SOHOA_IS_APPLICATION (self), NULL);

  return self->workspace_dir;
}
