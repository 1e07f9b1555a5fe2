/* sohoa-account-dialog.c
 *
 * Creates an account, or sets a password: an administrator's reset of
 * somebody else's, or users changing their own.  Argon2id makes saving
 * slow on purpose, so it happens on a worker thread; if it fails, the
 * dialog comes back with what was typed and the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-account-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sohoa-account-dialog.h"

#define MIN_PASSWORD_CHARS 4

struct _SohoaAccountDialog
{
  AdwMessageDialog        parent_instance;

  /* template widgets */
  AdwEntryRow            *name_row;
  AdwEntryRow            *full_name_row;
  AdwComboRow            *role_row;
  AdwPasswordEntryRow    *current_row;
  AdwPasswordEntryRow    *password_row;
  AdwPasswordEntryRow    *confirm_row;
  GtkLabel               *problem_label;

  /* owned */
  SohoaContext           *context;
  SohoaUser              *actor;
  SohoaUser              *account;

  /* state */
  SohoaAccountDialogMode  mode;
  gboolean                saving;
};

G_DEFINE_FINAL_TYPE (SohoaAccountDialog, sohoa_account_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  SohoaStore             *store;
  SohoaUser              *actor;
  SohoaAccountDialogMode  mode;
  gint64                  user_id;
  char                   *name;
  char                   *full_name;
  SohoaRole               role;
  char                   *current;
  char                   *password;
} Save;

static void
wipe_free (char *secret)
{
  if (secret)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
save_free (gpointer data)
{
  Save *save = data;

  g_object_unref (save->store);
  g_object_unref (save->actor);
  g_free (save->name);
  g_free (save->full_name);
  wipe_free (save->current);
  wipe_free (save->password);
  g_free (save);
}

static const char *
row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* What stops the dialog from saving, or NULL; only what the clerk can see
 * being wrong is said while typing. */
static const char *
find_problem (SohoaAccountDialog *self,
              gboolean           *complete)
{
  const char *password = row_text (self->password_row);
  const char *confirm = row_text (self->confirm_row);

  *complete = password[0] != '\0' && confirm[0] != '\0';
  if (self->mode == SOHOA_ACCOUNT_DIALOG_ADD)
    *complete = *complete && row_text (self->name_row)[0] != '\0';
  if (self->mode == SOHOA_ACCOUNT_DIALOG_CHANGE_PASSWORD)
    *complete = *complete && row_text (self->current_row)[0] != '\0';

  if (password[0] != '\0' && g_utf8_strlen (password, -1) < MIN_PASSWORD_CHARS)
    return _("The password must be at least 4 characters long.");
  if (confirm[0] != '\0' && g_strcmp0 (password, confirm) != 0)
    return _("The two new passwords are not the same.");
  return NULL;
}

static void
update_response (SohoaAccountDialog *self)
{
  gboolean complete = FALSE;
  const char *problem = find_problem (self, &complete);

  gtk_label_set_label (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save",
                                           complete && problem == NULL && !self->saving);
}

/* Runs on a worker: hashing the password takes a noticeable moment. */
static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  g_autoptr(SohoaUser) created = NULL;
  GError *error = NULL;

  if (save->mode == SOHOA_ACCOUNT_DIALOG_ADD)
    created = sohoa_store_add_user (save->store, save->actor, save->name, save->full_name,
                                    save->role, save->password, &error);
  else
    sohoa_store_set_password (save->store, save->actor, save->user_id,
                              save->mode == SOHOA_ACCOUNT_DIALOG_CHANGE_PASSWORD ? save->current : NULL,
                              save->password, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&created), g_object_unref);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SohoaAccountDialog *self = SOHOA_ACCOUNT_DIALOG (object);
  g_autoptr(SohoaUser) created = NULL;
  g_autoptr(GError) error = NULL;

  created = g_task_propagate_pointer (G_TASK (result), &error);
  self->saving = FALSE;
  if (error != NULL)
    {
      /* Back, with what was typed, and why it was not saved. */
      gtk_label_set_label (self->problem_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", TRUE);
      gtk_window_present (GTK_WINDOW (self));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, created ? created : self->account);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
response_cb (SohoaAccountDialog *self,
             const char         *response)
{
  g_autoptr(GTask) task = NULL;
  Save *save;

  if (g_strcmp0 (response, "save") != 0)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  save = g_new0 (Save, 1);
  save->store = g_object_ref (sohoa_context_get_store (self->context));
  save->actor = g_object_ref (self->actor);
  save->mode = self->mode;
  save->user_id = self->account ? sohoa_user_get_id (self->account) : 0;
  save->name = g_strstrip (g_strdup (row_text (self->name_row)));
  save->full_name = g_strstrip (g_strdup (row_text (self->full_name_row)));
  save->role = (SohoaRole) adw_combo_row_get_selected (self->role_row);
  save->current = g_strdup (row_text (self->current_row));
  save->password = g_strdup (row_text (self->password_row));

  /* Out of the way while saving (a response given from code does not
   * close the dialog); back if saving fails. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  self->saving = TRUE;
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save", FALSE);
  task = g_task_new (self, NULL, save_cb, NULL);
  g_task_set_source_tag (task, response_cb);
  g_task_set_task_data (task, save, save_free);
  g_task_run_in_thread (task, save_thread);
}

static void
sohoa_account_dialog_dispose (GObject *object)
{
  SohoaAccountDialog *self = SOHOA_ACCOUNT_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_object (&self->actor);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (sohoa_account_dialog_parent_class)->dispose (object);
}

static void
sohoa_account_dialog_class_init (SohoaAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_account_dialog_dispose;

  /**
   * SohoaAccountDialog::saved:
   * @account: the account created or whose password was set
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SOHOA_TYPE_USER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountDialog, full_name_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountDialog, current_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountDialog, problem_label);
}

static void
sohoa_account_dialog_init (SohoaAccountDialog *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the order of SohoaRole. */
  for (SohoaRole role = SOHOA_ROLE_OPERATOR; role <= SOHOA_ROLE_ADMIN; role++)
    gtk_string_list_append (roles, sohoa_role_get_label (role));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));

  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (update_response), self);
  g_signal_connect_swapped (self->current_row, "changed", G_CALLBACK (update_response), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (update_response), self);
  g_signal_connect_swapped (self->confirm_row, "changed", G_CALLBACK (update_response), self);
  /* After the dialog hid itself. */
  g_signal_connect_after (self, "response", G_CALLBACK (response_cb), NULL);
}

/**
 * sohoa_account_dialog_new:
 * @parent: the window the dialog belongs to
 * @actor: who is signed in
 * @account: (nullable): the account whose password is set; %NULL to create
 *   one
 *
 * Returns: (transfer floating): a new dialog, which saves by itself and
 *   emits #SohoaAccountDialog::saved when it did
 */
GtkWidget *
sohoa_account_dialog_new (GtkWindow              *parent,
                          SohoaContext           *context,
                          SohoaUser              *actor,
                          SohoaUser              *account,
                          SohoaAccountDialogMode  mode)
{
  SohoaAccountDialog *self;
  GtkWidget *first;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (SOHOA_IS_USER (actor), NULL);
  g_return_val_if_fail (mode == SOHOA_ACCOUNT_DIALOG_ADD || SOHOA_IS_USER (account), NULL);

  self = g_object_new (SOHOA_TYPE_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  self->actor = g_object_ref (actor);
  self->account = account ? g_object_ref (account) : NULL;
  self->mode = mode;

  gtk_widget_set_visible (GTK_WIDGET (self->name_row), mode == SOHOA_ACCOUNT_DIALOG_ADD);
  gtk_widget_set_visible (GTK_WIDGET (self->full_name_row), mode == SOHOA_ACCOUNT_DIALOG_ADD);
  gtk_widget_set_visible (GTK_WIDGET (self->role_row), mode == SOHOA_ACCOUNT_DIALOG_ADD);
  gtk_widget_set_visible (GTK_WIDGET (self->current_row), mode == SOHOA_ACCOUNT_DIALOG_CHANGE_PASSWORD);

  switch (mode)
    {
    case SOHOA_ACCOUNT_DIALOG_ADD:
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("New Account"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                   _("The user name is what the person types to sign in: one word, "
                                     "without spaces. Give them the password in person."));
      first = GTK_WIDGET (self->name_row);
      break;
    case SOHOA_ACCOUNT_DIALOG_RESET_PASSWORD:
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Reset Password"));
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                      _("A new password for %s (%s). Give it to them in person."),
                                      sohoa_user_get_full_name (account), sohoa_user_get_name (account));
      first = GTK_WIDGET (self->password_row);
      break;
    case SOHOA_ACCOUNT_DIALOG_CHANGE_PASSWORD:
    default:
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Change Password"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                   _("Type your current password, then the new one twice."));
      first = GTK_WIDGET (self->current_row);
      break;
    }
  gtk_window_set_focus (GTK_WINDOW (self), first);

  return GTK_WIDGET (self);
}
