/* sohoa-package-receiver.c
 *
 * A supervisor's "Import Package…": the package file, the certificate
 * authorities to trust (asked once, then kept in the settings), a progress
 * dialog that can cancel, and a dialog that says why a package was refused.
 * The checks and the import are the core's
 * (sohoa_workspace_import_package_async()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-package-receiver"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-package-receiver.h"
#include "sohoa-file-chooser.h"

typedef struct
{
  GtkWindow    *parent;
  SohoaContext *context;
  GSettings    *settings;
  char         *package;
  char         *ca_file;
  SohoaJob     *job;
  GtkWidget    *progress_dialog;
} Receive;

typedef void (*FileChosenFunc) (GTask *task,
                                char  *path);

static void
close_progress (Receive *receive)
{
  if (receive->progress_dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (receive->progress_dialog), (gpointer *) &receive->progress_dialog);
  gtk_window_destroy (GTK_WINDOW (receive->progress_dialog));
  receive->progress_dialog = NULL;
}

static void
receive_free (gpointer data)
{
  Receive *receive = data;

  close_progress (receive);
  g_clear_object (&receive->parent);
  g_clear_object (&receive->context);
  g_clear_object (&receive->settings);
  g_free (receive->package);
  g_free (receive->ca_file);
  g_clear_object (&receive->job);
  g_free (receive);
}

static void
return_cancelled (GTask *task)
{
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Import cancelled"));
}

/* Choosing a file, with the dialog the GTK at hand has ----------------------- */

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  GTask *task = user_data;
  FileChosenFunc next = g_object_get_data (G_OBJECT (task), "sohoa-next");

  next (task, file ? g_file_get_path (file) : NULL);
}

/* Takes @filter; calls @next with the chosen path (its to free) or NULL. */
static void
choose_file (GTask          *task,
             const char     *title,
             GtkFileFilter  *filter,
             FileChosenFunc  next)
{
  Receive *receive = g_task_get_task_data (task);

  g_object_set_data (G_OBJECT (task), "sohoa-next", next);
  sohoa_choose_file (receive->parent, title, SOHOA_CHOOSE_FILE, filter, file_chosen_cb,
                     g_object_ref (task), g_object_unref);
  g_object_unref (filter);
}

/* Importing ------------------------------------------------------------------ */

static void
show_refusal (Receive      *receive,
              const GError *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (receive->parent, _("Package Not Imported"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Receive *receive = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 batch_id;

  batch_id = sohoa_workspace_import_package_finish (SOHOA_CONTEXT (object), result, &error);
  close_progress (receive);
  if (batch_id == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_refusal (receive, error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, (gssize) batch_id);
}

static void
progress_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      SohoaJob         *job)
{
  sohoa_job_cancel (job);
}

static gboolean
message_to_text (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  const char *message = g_value_get_string (from);

  g_value_set_string (to, message ? message : _("Checking the package"));
  return TRUE;
}

static void
start_import (GTask *task)
{
  Receive *receive = g_task_get_task_data (task);
  g_autofree char *name = g_path_get_basename (receive->package);
  GtkWidget *progress = gtk_progress_bar_new ();

  receive->job = sohoa_job_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (progress), TRUE);
  g_object_bind_property (receive->job, "fraction", progress, "fraction", G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (receive->job, "message", progress, "text", G_BINDING_SYNC_CREATE,
                               message_to_text, NULL, NULL, NULL);

  /* Closing the dialog any way cancels the import; it is closed by the
   * code when the import is over. */
  receive->progress_dialog = adw_message_dialog_new (receive->parent, _("Importing Package"), name);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (receive->progress_dialog), progress);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (receive->progress_dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (receive->progress_dialog), "cancel");
  g_signal_connect_object (receive->progress_dialog, "response", G_CALLBACK (progress_response_cb),
                           receive->job, 0);
  g_object_add_weak_pointer (G_OBJECT (receive->progress_dialog), (gpointer *) &receive->progress_dialog);
  gtk_window_present (GTK_WINDOW (receive->progress_dialog));

  sohoa_workspace_import_package_async (receive->context, receive->package, receive->ca_file, receive->job,
                                        import_done_cb, g_object_ref (task));
}

static void
ca_chosen (GTask *task,
           char  *path)
{
  Receive *receive = g_task_get_task_data (task);

  if (path == NULL)
    {
      return_cancelled (task);
      return;
    }
  receive->ca_file = path;
  g_settings_set_string (receive->settings, "trusted-ca-path", path);
  start_import (task);
}

static void
package_chosen (GTask *task,
                char  *path)
{
  Receive *receive = g_task_get_task_data (task);
  g_autofree char *ca_file = NULL;
  GtkFileFilter *filter;

  if (path == NULL)
    {
      return_cancelled (task);
      return;
    }
  receive->package = path;

  ca_file = g_settings_get_string (receive->settings, "trusted-ca-path");
  if (*ca_file != '\0' && g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      receive->ca_file = g_steal_pointer (&ca_file);
      start_import (task);
      return;
    }

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.PEM");
  gtk_file_filter_add_pattern (filter, "*.CRT");
  choose_file (task, _("Choose the Certificate Authorities to Trust"), filter, ca_chosen);
}

/* Public API ------------------------------------------------------------------ */

void
sohoa_package_receiver_run_async (GtkWindow           *parent,
                                  SohoaContext        *context,
                                  GSettings           *settings,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Receive *receive;
  GtkFileFilter *filter;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (G_IS_SETTINGS (settings));

  task = g_task_new (context, NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_package_receiver_run_async);
  receive = g_new0 (Receive, 1);
  receive->parent = g_object_ref (parent);
  receive->context = g_object_ref (context);
  receive->settings = g_object_ref (settings);
  g_task_set_task_data (task, receive, receive_free);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Packages (ZIP)"));
  gtk_file_filter_add_mime_type (filter, "application/zip");
  gtk_file_filter_add_pattern (filter, "*.zip");
  gtk_file_filter_add_pattern (filter, "*.ZIP");
  choose_file (task, _("Import a Package"), filter, package_chosen);
}

gint64
sohoa_package_receiver_run_finish (GAsyncResult  *result,
                                   GError       **error)
{
  gssize batch_id;

  g_return_val_if_fail (G_IS_TASK (result), 0);

  batch_id = g_task_propagate_int (G_TASK (result), error);
  return batch_id > 0 ? (gint64) batch_id : 0;
}
