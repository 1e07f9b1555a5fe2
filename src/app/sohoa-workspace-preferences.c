/* sohoa-workspace-preferences.c
 *
 * The workspace: which folder holds it (from the next start), how much
 * room is left on its disk, and the workspace's rule on which forms are
 * keyed twice.  The folder is a setting of this workstation (GSettings);
 * the keying rule is a policy of the workspace, kept in its database by
 * the core, which lets only supervisors change it and audits each change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-workspace-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-workspace-preferences.h"
#include "sohoa-file-chooser.h"

struct _SohoaWorkspacePreferences
{
  AdwPreferencesPage  parent_instance;

  /* template widgets */
  AdwActionRow       *folder_row;
  AdwActionRow       *next_row;
  AdwActionRow       *free_row;
  GtkWidget          *default_button;
  GtkWidget          *choose_button;
  AdwPreferencesGroup *keying_group;

  /* owned */
  GSettings          *settings;
  SohoaContext       *context;
  GCancellable       *cancellable;
  GtkWidget          *error_row;
};

G_DEFINE_FINAL_TYPE (SohoaWorkspacePreferences, sohoa_workspace_preferences, ADW_TYPE_PREFERENCES_PAGE)

static const char *
in_use_dir (SohoaWorkspacePreferences *self)
{
  return self->context ? sohoa_context_get_workspace_dir (self->context) : NULL;
}

/* The folder the next start opens, as sohoa-application.c chooses it
 * (--workspace aside, which only the command line knows). */
static char *
dup_next_dir (SohoaWorkspacePreferences *self)
{
  g_autofree char *dir = g_settings_get_string (self->settings, "workspace-dir");
  const char *env = g_getenv ("SOHOA_WORKSPACE");

  if (env && env[0] != '\0')
    return g_canonicalize_filename (env, NULL);
  if (dir[0] != '\0')
    return g_steal_pointer (&dir);
  return g_build_filename (g_get_user_data_dir (), "sohoa", NULL);
}

static void
show_error (SohoaWorkspacePreferences *self,
            const char                *message)
{
  gtk_widget_set_visible (self->error_row, message != NULL);
  if (message)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->error_row), message);
}

static void
free_space_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SohoaWorkspacePreferences *self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_filesystem_info_finish (G_FILE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (info && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    {
      g_autofree char *free_text = g_format_size (g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE));
      g_autofree char *size_text = g_format_size (g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_SIZE));
      /* Translators: free disk space, e.g. “12.3 GB free of 256.0 GB” */
      g_autofree char *text = g_strdup_printf (_("%s free of %s"), free_text, size_text);

      adw_action_row_set_subtitle (self->free_row, text);
    }
  else
    adw_action_row_set_subtitle (self->free_row, _("Unknown"));
}

static void
show_workspace (SohoaWorkspacePreferences *self)
{
  g_autofree char *setting = g_settings_get_string (self->settings, "workspace-dir");
  g_autofree char *next = dup_next_dir (self);
  const char *in_use = in_use_dir (self);

  adw_action_row_set_subtitle (self->folder_row, in_use ? in_use : next);
  gtk_widget_set_visible (GTK_WIDGET (self->next_row), in_use && g_strcmp0 (in_use, next) != 0);
  adw_action_row_set_subtitle (self->next_row, next);
  gtk_widget_set_visible (self->default_button, setting[0] != '\0');
}

static void
query_free_space (SohoaWorkspacePreferences *self)
{
  g_autofree char *next = dup_next_dir (self);
  g_autoptr(GFile) file = g_file_new_for_path (in_use_dir (self) ? in_use_dir (self) : next);

  g_file_query_filesystem_info_async (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE "," G_FILE_ATTRIBUTE_FILESYSTEM_SIZE,
                                      G_PRIORITY_DEFAULT, self->cancellable, free_space_cb, self);
}

/* Choosing a folder -------------------------------------------------------- */

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (sohoa_context_check_workspace_dir (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SohoaWorkspacePreferences *self = SOHOA_WORKSPACE_PREFERENCES (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  g_settings_set_string (self->settings, "workspace-dir", g_task_get_task_data (G_TASK (result)));
}

/**
 * sohoa_workspace_preferences_choose:
 * @path: an absolute folder path
 *
 * What choosing @path in the folder chooser does: the folder is checked
 * (made if missing, written in) off the main thread, then kept for the
 * next start, or refused with the reason shown.
 */
void
sohoa_workspace_preferences_choose (SohoaWorkspacePreferences *self,
                                    const char                *path)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_WORKSPACE_PREFERENCES (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, self->cancellable, checked_cb, NULL);
  g_task_set_source_tag (task, sohoa_workspace_preferences_choose);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, check_thread);
}

static void
folder_chosen_cb (GFile    *folder,
                  gpointer  user_data)
{
  SohoaWorkspacePreferences *self = user_data;
  g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

  if (path)
    sohoa_workspace_preferences_choose (self, path);
}

static void
choose_clicked_cb (SohoaWorkspacePreferences *self,
                   GtkButton                 *button)
{
  sohoa_choose_file (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Choose the Workspace Folder"),
                     SOHOA_CHOOSE_FOLDER, NULL, folder_chosen_cb, g_object_ref (self), g_object_unref);
}

static void
default_clicked_cb (SohoaWorkspacePreferences *self,
                    GtkButton                 *button)
{
  show_error (self, NULL);
  g_settings_set_string (self->settings, "workspace-dir", "");
}

/* Double keying ------------------------------------------------------------ */

static void
keying_switched_cb (GtkSwitch                 *toggle,
                    GParamSpec                *pspec,
                    SohoaWorkspacePreferences *self)
{
  SohoaSchema *schema = g_object_get_data (G_OBJECT (toggle), "sohoa-schema");
  SohoaStore *store = sohoa_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  gboolean required = FALSE;

  if (!sohoa_store_get_double_keying (store, schema, &required, NULL, &error) ||
      (required != gtk_switch_get_active (toggle) &&
       !sohoa_store_set_double_keying (store, sohoa_context_get_user (self->context), schema,
                                       gtk_switch_get_active (toggle), &error)))
    {
      show_error (self, error->message);
      g_signal_handlers_block_by_func (toggle, keying_switched_cb, self);
      gtk_switch_set_active (toggle, required);
      g_signal_handlers_unblock_by_func (toggle, keying_switched_cb, self);
    }
}

static void
add_keying_rows (SohoaWorkspacePreferences *self)
{
  GListModel *schemas = sohoa_context_get_schemas (self->context);
  SohoaUser *user = sohoa_context_get_user (self->context);
  gboolean may_change = user != NULL && sohoa_user_can_approve (user);

  for (guint i = 0; i < g_list_model_get_n_items (schemas); i++)
    {
      g_autoptr(SohoaSchema) schema = g_list_model_get_item (schemas, i);
      g_autoptr(GError) error = NULL;
      gboolean required = FALSE, overridden = FALSE;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      sohoa_store_get_double_keying (sohoa_context_get_store (self->context), schema, &required, &overridden, &error);
      gtk_widget_set_name (row, sohoa_schema_get_id (schema));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sohoa_schema_get_title (schema));
      if (overridden)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                     sohoa_schema_get_double_keying (schema)
                                       ? _("The form asks for double keying; this workspace does not")
                                       : _("The form does not ask for double keying; this workspace does"));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle), required);
      gtk_widget_set_sensitive (toggle, may_change);
      g_object_set_data_full (G_OBJECT (toggle), "sohoa-schema", g_object_ref (schema), g_object_unref);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (keying_switched_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      adw_preferences_group_add (self->keying_group, row);
    }

  if (!may_change)
    {
      GtkWidget *note = adw_action_row_new ();

      gtk_widget_set_name (note, "keying-locked");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note),
                                     _("Sign in as a supervisor or an administrator to change this."));
      adw_action_row_add_prefix (ADW_ACTION_ROW (note), gtk_image_new_from_icon_name ("changes-prevent-symbolic"));
      adw_preferences_group_add (self->keying_group, note);
    }
}

/* GObject ------------------------------------------------------------------ */

static void
sohoa_workspace_preferences_dispose (GObject *object)
{
  SohoaWorkspacePreferences *self = SOHOA_WORKSPACE_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_WORKSPACE_PREFERENCES);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sohoa_workspace_preferences_parent_class)->dispose (object);
}

static void
sohoa_workspace_preferences_class_init (SohoaWorkspacePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_workspace_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-workspace-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaWorkspacePreferences, folder_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaWorkspacePreferences, next_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaWorkspacePreferences, free_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaWorkspacePreferences, default_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWorkspacePreferences, choose_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaWorkspacePreferences, keying_group);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, default_clicked_cb);
}

static void
sohoa_workspace_preferences_init (SohoaWorkspacePreferences *self)
{
  GtkWidget *group;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::workspace-dir", G_CALLBACK (show_workspace), self,
                           G_CONNECT_SWAPPED);

  /* Why a folder was refused, until another is chosen. */
  self->error_row = adw_action_row_new ();
  gtk_widget_set_name (self->error_row, "workspace-error");
  gtk_widget_add_css_class (self->error_row, "error");
  gtk_widget_set_visible (self->error_row, FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->error_row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  group = gtk_widget_get_ancestor (GTK_WIDGET (self->folder_row), ADW_TYPE_PREFERENCES_GROUP);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->error_row);
}

/**
 * sohoa_workspace_preferences_new:
 * @context: (nullable): the workspace open in the window
 *
 * Returns: (transfer floating): the workspace page, for the preferences window
 */
GtkWidget *
sohoa_workspace_preferences_new (SohoaContext *context)
{
  SohoaWorkspacePreferences *self;

  g_return_val_if_fail (!context || SOHOA_IS_CONTEXT (context), NULL);

  self = g_object_new (SOHOA_TYPE_WORKSPACE_PREFERENCES, NULL);
  self->context = context ? g_object_ref (context) : NULL;
  show_workspace (self);
  query_free_space (self);
  if (context)
    add_keying_rows (self);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->keying_group), FALSE);
  return GTK_WIDGET (self);
}
