/* sohoa-package-dialog.c
 *
 * Signs and packages an approved batch.  The key is on a token (the
 * tokens p11-kit knows are searched in a thread when the dialog opens) or
 * in a PKCS#12 file; the PIN or password is read from the entry when the
 * supervisor presses the button, the entry is cleared at once, and the
 * copy handed to the signer is wiped when the signer goes.  Opening the
 * key and building the package both run off the main thread; Cancel stops
 * the build, which leaves no file behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-package-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "sohoa-package-dialog.h"

struct _SohoaPackageDialog
{
  AdwWindow         parent_instance;

  /* template widgets */
  AdwPreferencesGroup *key_group;
  AdwComboRow      *source_row;
  AdwComboRow      *token_row;
  AdwActionRow     *file_row;
  AdwPasswordEntryRow *pin_row;
  GtkWidget        *package_button;
  GtkLabel         *error_label;
  GtkProgressBar   *progress_bar;
  GtkStringList    *token_keys;

  /* owned */
  SohoaContext     *context;
  GSettings        *settings;
  SohoaJob         *job;
  GCancellable     *cancellable;
  GBinding         *fraction_binding;
  char             *file_path;
  char             *package_path;
  gint64            batch_id;
  gboolean          searching;
  gboolean          close_when_done;
};

G_DEFINE_FINAL_TYPE (SohoaPackageDialog, sohoa_package_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  PACKAGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
use_file (SohoaPackageDialog *self)
{
  return adw_combo_row_get_selected (self->source_row) == 1;
}

static void
show_error (SohoaPackageDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_sensitivity (SohoaPackageDialog *self)
{
  gboolean busy = self->job != NULL;
  gboolean file = use_file (self);
  gboolean have_key = file ? self->file_path != NULL
                           : adw_combo_row_get_selected_item (self->token_row) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->token_row), !file);
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), file);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pin_row),
                                 file ? _("Key File _Password") : _("Token _PIN"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->file_row), !busy);
  /* Not insensitive: the focused entry would lose focus mid-event. */
  gtk_editable_set_editable (GTK_EDITABLE (self->pin_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "package.build", !busy && have_key);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  adw_action_row_set_subtitle (self->file_row, self->file_path ? self->file_path : _("None chosen"));
}

/* Finding the token keys ---------------------------------------------------- */

/* "ky-so (SohoaTest)" for pkcs11:token=SohoaTest;object=ky-so: what the
 * official recognizes, rather than the whole URL. */
static char *
describe_key (GtkStringObject *object)
{
  const char *url = object ? gtk_string_object_get_string (object) : NULL;
  g_auto(GStrv) attributes = NULL;
  g_autofree char *token = NULL;
  g_autofree char *label = NULL;

  if (url == NULL || !g_str_has_prefix (url, "pkcs11:"))
    return g_strdup (url ? url : "");
  attributes = g_strsplit (url + strlen ("pkcs11:"), ";", -1);
  for (guint i = 0; attributes[i]; i++)
    {
      if (g_str_has_prefix (attributes[i], "token=") && !token)
        token = g_uri_unescape_string (attributes[i] + strlen ("token="), NULL);
      else if (g_str_has_prefix (attributes[i], "object=") && !label)
        label = g_uri_unescape_string (attributes[i] + strlen ("object="), NULL);
    }
  if (token && label)
    /* Translators: a key on a token: the key's name (the token's name) */
    return g_strdup_printf (_("%s (%s)"), label, token);
  return g_strdup (url);
}

static void
find_keys_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  char **urls = sohoa_signer_find_pkcs11 (&error);

  if (urls)
    g_task_return_pointer (task, urls, (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, error);
}

static void
find_keys_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SohoaPackageDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *wanted = NULL;

  self->searching = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  wanted = g_settings_get_string (self->settings, "signing-pkcs11-url");
  if (wanted[0] != '\0' && !(urls && g_strv_contains ((const char * const *) urls, wanted)))
    gtk_string_list_append (self->token_keys, wanted);
  for (guint i = 0; urls && urls[i]; i++)
    gtk_string_list_append (self->token_keys, urls[i]);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->token_keys)); i++)
    if (g_str_equal (gtk_string_list_get_string (self->token_keys, i), wanted))
      adw_combo_row_set_selected (self->token_row, i);

  if (error != NULL && !use_file (self))
    show_error (self, error->message);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->token_keys)) == 0 && !use_file (self))
    show_error (self, _("No token with a signing certificate was found. Plug the token in and open this window again, or use a key file."));
  update_sensitivity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Choosing a key file --------------------------------------------------------- */

static void
file_response_cb (SohoaPackageDialog   *self,
                  int                   response,
                  GtkFileChooserNative *native)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        {
          g_free (self->file_path);
          self->file_path = g_steal_pointer (&path);
          show_error (self, NULL);
        }
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
  update_sensitivity (self);
}

static void
choose_file_clicked_cb (SohoaPackageDialog *self,
                        GtkButton          *button)
{
  GtkFileChooserNative *native;
  GtkFileFilter *filter = gtk_file_filter_new ();

  /* GtkFileDialog needs GTK 4.10; the floor is 4.8. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  native = gtk_file_chooser_native_new (_("Choose the Key File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Key files (PKCS#12)"));
  gtk_file_filter_add_pattern (filter, "*.p12");
  gtk_file_filter_add_pattern (filter, "*.pfx");
  gtk_file_filter_add_pattern (filter, "*.P12");
  gtk_file_filter_add_pattern (filter, "*.PFX");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (file_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Building -------------------------------------------------------------------- */

typedef struct
{
  char     *url;       /* token key, or NULL */
  char     *file;      /* PKCS#12 file, or NULL */
  char     *secret;    /* PIN or password, wiped when done */
} OpenKey;

static void
open_key_free (OpenKey *open)
{
  if (open->secret)
    {
      explicit_bzero (open->secret, strlen (open->secret));
      g_free (open->secret);
    }
  g_free (open->url);
  g_free (open->file);
  g_free (open);
}

static void
open_key_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  OpenKey *open = task_data;
  GError *error = NULL;
  SohoaSigner *signer;

  if (open->file)
    signer = sohoa_signer_new_pkcs12 (open->file, open->secret, &error);
  else
    signer = sohoa_signer_new_pkcs11 (open->url, open->secret, NULL, NULL, &error);
  if (signer)
    g_task_return_pointer (task, signer, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
end_job (SohoaPackageDialog *self)
{
  g_clear_pointer (&self->fraction_binding, g_binding_unbind);
  g_clear_object (&self->job);
  update_sensitivity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
fail (SohoaPackageDialog *self,
      GError             *error)
{
  end_job (self);
  if (self->close_when_done)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, _("Packaging was cancelled. No package was made."));
  else
    show_error (self, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
}

static gint64
find_package_id (SohoaPackageDialog *self)
{
  g_autoptr(GListModel) items = sohoa_outbox_list (sohoa_context_get_store (self->context), NULL);
  g_autofree char *absolute = g_canonicalize_filename (self->package_path, NULL);

  for (guint i = 0; items && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SohoaOutboxItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (sohoa_outbox_item_get_file (item), absolute) == 0)
        return sohoa_outbox_item_get_id (item);
    }
  return 0;
}

static void
build_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SohoaPackageDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!sohoa_package_build_finish (SOHOA_CONTEXT (object), result, &error))
    {
      fail (self, error);
      return;
    }
  end_job (self);
  id = find_package_id (self);
  g_debug ("package %lld made and queued", (long long) id);
  g_signal_emit (self, signals[PACKAGED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static char *
new_package_path (SohoaPackageDialog *self,
                  GError            **error)
{
  g_autofree char *dir = g_build_filename (sohoa_context_get_workspace_dir (self->context), "packages", NULL);
  g_autofree char *code = NULL;

  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The packages folder “%s” could not be made: %s"), dir, g_strerror (saved));
      return NULL;
    }
  sohoa_store_get_ward (sohoa_context_get_store (self->context), &code, NULL);
  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1
        ? g_strdup_printf ("%s-%lld.zip", code ? code : "sohoa", (long long) self->batch_id)
        : g_strdup_printf ("%s-%lld-%u.zip", code ? code : "sohoa", (long long) self->batch_id, n);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
}

static void
key_opened_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SohoaPackageDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SohoaSigner) signer = g_task_propagate_pointer (G_TASK (result), &error);

  if (signer == NULL)
    {
      fail (self, error);
      return;
    }
  if (g_cancellable_is_cancelled (sohoa_job_get_cancellable (self->job)))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

      fail (self, cancelled);
      return;
    }
  g_clear_pointer (&self->package_path, g_free);
  if (!(self->package_path = new_package_path (self, &error)))
    {
      fail (self, error);
      return;
    }
  /* Remember where the key is (never the PIN) for next time. */
  if (use_file (self))
    {
      g_settings_set_string (self->settings, "signing-source", "pkcs12");
      g_settings_set_string (self->settings, "signing-pkcs12-path", self->file_path);
    }
  else
    {
      GtkStringObject *key = adw_combo_row_get_selected_item (self->token_row);

      g_settings_set_string (self->settings, "signing-source", "pkcs11");
      g_settings_set_string (self->settings, "signing-pkcs11-url", gtk_string_object_get_string (key));
    }
  sohoa_job_report (self->job, 0, 1, _("Building the package…"));
  sohoa_package_build_async (self->context, self->batch_id, self->package_path, signer, self->job,
                             build_cb, g_object_ref (self));
}

static void
build_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SohoaPackageDialog *self = SOHOA_PACKAGE_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  OpenKey *open;

  if (self->job != NULL)
    return;

  open = g_new0 (OpenKey, 1);
  if (use_file (self))
    open->file = g_strdup (self->file_path);
  else
    {
      GtkStringObject *key = adw_combo_row_get_selected_item (self->token_row);

      open->url = key ? g_strdup (gtk_string_object_get_string (key)) : NULL;
    }
  if (!open->file && !open->url)
    {
      open_key_free (open);
      return;
    }
  open->secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pin_row)));
  /* The entry forgets the PIN at once, whatever happens next. */
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");

  show_error (self, NULL);
  self->job = sohoa_job_new ();
  sohoa_job_report (self->job, 0, 1, _("Opening the signing key…"));
  self->fraction_binding = g_object_bind_property (self->job, "fraction", self->progress_bar, "fraction",
                                                   G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->job, "message", self->progress_bar, "text", G_BINDING_SYNC_CREATE);
  update_sensitivity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  task = g_task_new (self, NULL, key_opened_cb, g_object_ref (self));
  g_task_set_source_tag (task, build_action);
  g_task_set_task_data (task, open, (GDestroyNotify) open_key_free);
  g_task_run_in_thread (task, open_key_thread);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaPackageDialog *self = SOHOA_PACKAGE_DIALOG (widget);

  if (self->job)
    sohoa_job_cancel (self->job);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static gboolean
sohoa_package_dialog_close_request (GtkWindow *window)
{
  SohoaPackageDialog *self = SOHOA_PACKAGE_DIALOG (window);

  /* Closing while building cancels, and the window goes when the build
   * has stopped and cleaned up. */
  if (self->job)
    {
      self->close_when_done = TRUE;
      sohoa_job_cancel (self->job);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (sohoa_package_dialog_parent_class)->close_request (window);
}

static void
source_changed_cb (SohoaPackageDialog *self)
{
  show_error (self, NULL);
  update_sensitivity (self);
}

/* Object ----------------------------------------------------------------- */

static void
sohoa_package_dialog_dispose (GObject *object)
{
  SohoaPackageDialog *self = SOHOA_PACKAGE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->job)
    sohoa_job_cancel (self->job);
  g_clear_pointer (&self->fraction_binding, g_binding_unbind);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_PACKAGE_DIALOG);

  G_OBJECT_CLASS (sohoa_package_dialog_parent_class)->dispose (object);
}

static void
sohoa_package_dialog_finalize (GObject *object)
{
  SohoaPackageDialog *self = SOHOA_PACKAGE_DIALOG (object);

  g_clear_object (&self->job);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_free (self->file_path);
  g_free (self->package_path);

  G_OBJECT_CLASS (sohoa_package_dialog_parent_class)->finalize (object);
}

static void
sohoa_package_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SohoaPackageDialog *self = SOHOA_PACKAGE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, sohoa_package_dialog_get_busy (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_package_dialog_class_init (SohoaPackageDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sohoa_package_dialog_dispose;
  object_class->finalize = sohoa_package_dialog_finalize;
  object_class->get_property = sohoa_package_dialog_get_property;
  window_class->close_request = sohoa_package_dialog_close_request;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaPackageDialog::packaged:
   * @package_id: the packages row, queued for upload
   */
  signals[PACKAGED] = g_signal_new ("packaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-package-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, key_group);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, pin_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, package_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SohoaPackageDialog, token_keys);
  gtk_widget_class_bind_template_callback (widget_class, choose_file_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, source_changed_cb);

  gtk_widget_class_install_action (widget_class, "package.build", NULL, build_action);
  gtk_widget_class_install_action (widget_class, "package.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "package.cancel", NULL);
}

static void
sohoa_package_dialog_init (SohoaPackageDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  adw_combo_row_set_expression (self->token_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (describe_key), NULL, NULL));
  self->cancellable = g_cancellable_new ();
}

/**
 * sohoa_package_dialog_new:
 * @batch_id: an approved (or already packaged) batch
 *
 * Returns: (transfer floating): the dialog, not yet shown
 */
GtkWidget *
sohoa_package_dialog_new (GtkWindow    *parent,
                          SohoaContext *context,
                          gint64        batch_id)
{
  SohoaPackageDialog *self;
  g_autoptr(GTask) task = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autofree char *source = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);

  self = g_object_new (SOHOA_TYPE_PACKAGE_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->batch_id = batch_id;

  if ((batch = sohoa_store_get_batch (sohoa_context_get_store (context), batch_id, NULL)))
    adw_preferences_group_set_description (self->key_group, sohoa_batch_get_title (batch));

  source = g_settings_get_string (self->settings, "signing-source");
  file = g_settings_get_string (self->settings, "signing-pkcs12-path");
  if (file[0] != '\0')
    self->file_path = g_steal_pointer (&file);
  adw_combo_row_set_selected (self->source_row, g_str_equal (source, "pkcs12") ? 1 : 0);

  self->searching = TRUE;
  task = g_task_new (NULL, self->cancellable, find_keys_cb, g_object_ref (self));
  g_task_set_source_tag (task, sohoa_package_dialog_new);
  g_task_run_in_thread (task, find_keys_thread);

  update_sensitivity (self);
  return GTK_WIDGET (self);
}

gboolean
sohoa_package_dialog_get_busy (SohoaPackageDialog *self)
{
  g_return_val_if_fail (SOHOA_IS_PACKAGE_DIALOG (self), FALSE);
  return self->job != NULL || self->searching;
}

GListModel *
sohoa_package_dialog_get_token_keys (SohoaPackageDialog *self)
{
  g_return_val_if_fail (SOHOA_IS_PACKAGE_DIALOG (self), NULL);
  return G_LIST_MODEL (self->token_keys);
}
