/* sohoa-accounts-window.c
 *
 * The administrator's list of the ward's accounts: add one, reset a
 * forgotten password, close the account of someone who left (with Undo),
 * open it again.  The core enforces who may do what; this window is only
 * offered to administrators.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-accounts-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-account-dialog.h"
#include "sohoa-accounts-window.h"

struct _SohoaAccountsWindow
{
  AdwWindow        parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;
  GtkListBox      *list;

  /* owned */
  SohoaContext    *context;
  SohoaUser       *admin;
  GListModel      *accounts;
};

G_DEFINE_FINAL_TYPE (SohoaAccountsWindow, sohoa_accounts_window, ADW_TYPE_WINDOW)

static void
show_toast (SohoaAccountsWindow *self,
            AdwToast            *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SohoaAccountsWindow *self = user_data;
  SohoaUser *user = item;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autofree char *subtitle = NULL;
  g_autofree char *actions_label = NULL;
  gint64 id = sohoa_user_get_id (user);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_menu_button_new ();

  if (sohoa_user_get_disabled (user))
    /* Translators: an account's line: user name · role · closed */
    subtitle = g_strdup_printf (_("%s · %s · closed"), sohoa_user_get_name (user),
                                sohoa_role_get_label (sohoa_user_get_role (user)));
  else
    /* Translators: an account's line: user name · role */
    subtitle = g_strdup_printf (_("%s · %s"), sohoa_user_get_name (user),
                                sohoa_role_get_label (sohoa_user_get_role (user)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sohoa_user_get_full_name (user));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (sohoa_user_get_disabled (user))
    gtk_widget_add_css_class (row, "dim-label");

  {
    g_autoptr(GMenuItem) reset = g_menu_item_new (_("_Reset Password…"), NULL);

    g_menu_item_set_action_and_target_value (reset, "accounts.reset-password", g_variant_new_int64 (id));
    g_menu_append_item (menu, reset);
  }
  if (id != sohoa_user_get_id (self->admin))
    {
      g_autoptr(GMenuItem) change = NULL;

      if (sohoa_user_get_disabled (user))
        {
          change = g_menu_item_new (_("_Open Account Again"), NULL);
          g_menu_item_set_action_and_target_value (change, "accounts.reopen", g_variant_new_int64 (id));
        }
      else
        {
          change = g_menu_item_new (_("_Close Account"), NULL);
          g_menu_item_set_action_and_target_value (change, "accounts.close", g_variant_new_int64 (id));
        }
      g_menu_append_item (menu, change);
    }

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: the accessible name of an account's menu button */
  actions_label = g_strdup_printf (_("Actions for %s"), sohoa_user_get_full_name (user));
  gtk_widget_set_tooltip_text (button, actions_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, actions_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
reload (SohoaAccountsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) accounts = NULL;

  if (!(accounts = sohoa_store_list_accounts (sohoa_context_get_store (self->context), self->admin, &error)))
    {
      show_toast (self, adw_toast_new (error->message));
      return;
    }
  g_set_object (&self->accounts, accounts);
  gtk_list_box_bind_model (self->list, self->accounts, create_row, self, NULL);
}

static SohoaUser *
find_account (SohoaAccountsWindow *self,
              gint64               id)
{
  guint n = self->accounts ? g_list_model_get_n_items (self->accounts) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SohoaUser) user = g_list_model_get_item (self->accounts, i);

      if (sohoa_user_get_id (user) == id)
        return g_steal_pointer (&user);
    }
  return NULL;
}

static void
account_saved_cb (SohoaAccountsWindow *self,
                  SohoaUser           *account,
                  SohoaAccountDialog  *dialog)
{
  g_autofree char *message = NULL;

  reload (self);
  /* Translators: %s is a person's full name */
  message = g_strdup_printf (_("Saved the account of %s"), sohoa_user_get_full_name (account));
  show_toast (self, adw_toast_new (message));
}

static void
present_dialog (SohoaAccountsWindow    *self,
                SohoaUser              *account,
                SohoaAccountDialogMode  mode)
{
  GtkWidget *dialog = sohoa_account_dialog_new (GTK_WINDOW (self), self->context, self->admin, account, mode);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (account_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  present_dialog (SOHOA_ACCOUNTS_WINDOW (widget), NULL, SOHOA_ACCOUNT_DIALOG_ADD);
}

static void
reset_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SohoaAccountsWindow *self = SOHOA_ACCOUNTS_WINDOW (widget);
  g_autoptr(SohoaUser) account = find_account (self, g_variant_get_int64 (parameter));

  if (account)
    present_dialog (self, account, SOHOA_ACCOUNT_DIALOG_RESET_PASSWORD);
}

static gboolean
set_disabled (SohoaAccountsWindow *self,
              gint64               id,
              gboolean             disabled)
{
  g_autoptr(GError) error = NULL;

  if (!sohoa_store_set_user_disabled (sohoa_context_get_store (self->context), self->admin, id, disabled, &error))
    {
      show_toast (self, adw_toast_new (error->message));
      return FALSE;
    }
  reload (self);
  return TRUE;
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SohoaAccountsWindow *self = SOHOA_ACCOUNTS_WINDOW (widget);
  g_autoptr(SohoaUser) account = find_account (self, g_variant_get_int64 (parameter));
  g_autofree char *message = NULL;
  AdwToast *toast;

  if (!account || !set_disabled (self, sohoa_user_get_id (account), TRUE))
    return;

  /* Translators: %s is a person's full name */
  message = g_strdup_printf (_("Closed the account of %s"), sohoa_user_get_full_name (account));
  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "accounts.reopen");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (sohoa_user_get_id (account)));
  show_toast (self, toast);
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  set_disabled (SOHOA_ACCOUNTS_WINDOW (widget), g_variant_get_int64 (parameter), FALSE);
}

static void
sohoa_accounts_window_dispose (GObject *object)
{
  SohoaAccountsWindow *self = SOHOA_ACCOUNTS_WINDOW (object);

  g_clear_object (&self->context);
  g_clear_object (&self->admin);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (sohoa_accounts_window_parent_class)->dispose (object);
}

static void
sohoa_accounts_window_class_init (SohoaAccountsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_accounts_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-accounts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SohoaAccountsWindow, list);

  gtk_widget_class_install_action (widget_class, "accounts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "accounts.reset-password", "x", reset_password_action);
  gtk_widget_class_install_action (widget_class, "accounts.close", "x", close_action);
  gtk_widget_class_install_action (widget_class, "accounts.reopen", "x", reopen_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "accounts.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sohoa_accounts_window_init (SohoaAccountsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * sohoa_accounts_window_new:
 * @admin: the administrator who is signed in
 *
 * Returns: (transfer floating): the accounts window
 */
GtkWidget *
sohoa_accounts_window_new (GtkWindow    *parent,
                           SohoaContext *context,
                           SohoaUser    *admin)
{
  SohoaAccountsWindow *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (SOHOA_IS_USER (admin), NULL);

  self = g_object_new (SOHOA_TYPE_ACCOUNTS_WINDOW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->admin = g_object_ref (admin);
  reload (self);

  return GTK_WIDGET (self);
}

/**
 * sohoa_accounts_window_get_accounts:
 *
 * Returns: (transfer none): the accounts listed, closed ones last
 */
GListModel *
sohoa_accounts_window_get_accounts (SohoaAccountsWindow *self)
{
  g_return_val_if_fail (SOHOA_IS_ACCOUNTS_WINDOW (self), NULL);
  return self->accounts;
}
