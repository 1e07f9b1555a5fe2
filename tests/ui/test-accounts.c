/* test-accounts.c: the administrator's accounts window and the password
 * dialogs, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-accounts"

#include "config.h"

#include <adwaita.h>

#include "sohoa-account-dialog.h"
#include "sohoa-accounts-window.h"
#include "sohoa-core.h"
#include "sohoa-ui-test-util.h"

/* The dialog's rows, in the order of its template: user name, full name,
 * current password, new password, repeated. */
enum { NAME, FULL_NAME, CURRENT, PASSWORD, CONFIRM, N_ROWS };

static void
collect (GtkWidget *widget,
         GPtrArray *entries,
         GtkWidget **combo,
         GtkWidget **problem)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ENTRY_ROW (child))
        g_ptr_array_add (entries, child);
      else if (ADW_IS_COMBO_ROW (child))
        *combo = child;
      else if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "error"))
        *problem = child;
      collect (child, entries, combo, problem);
    }
}

typedef struct
{
  GtkWidget *dialog;
  GtkWidget *rows[N_ROWS];
  GtkWidget *role;
  GtkWidget *problem;
} Dialog;

static void
find_rows (GtkWidget *widget,
           Dialog    *d)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  d->dialog = widget;
  collect (widget, entries, &d->role, &d->problem);
  g_assert_cmpuint (entries->len, ==, N_ROWS);
  for (guint i = 0; i < N_ROWS; i++)
    d->rows[i] = g_ptr_array_index (entries, i);
  g_assert_nonnull (d->role);
  g_assert_nonnull (d->problem);
}

static void
type (Dialog     *d,
      guint       row,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (d->rows[row]), text);
}

static gboolean
can_save (Dialog *d)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (d->dialog), "save");
}

static GtkWidget *
find_dialog (void)
{
  return GTK_WIDGET (sohoa_test_find_toplevel (SOHOA_TYPE_ACCOUNT_DIALOG));
}

static gboolean
dialog_is_back (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
n_accounts_is (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (sohoa_accounts_window_get_accounts (args[0])) == GPOINTER_TO_UINT (args[1]);
}

static void
saved_cb (SohoaAccountDialog *dialog,
          SohoaUser          *account,
          gboolean           *saved)
{
  *saved = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Lets the windows map and draw, for a screenshot. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  sohoa_test_spin_until (sohoa_test_time_has_come, &until, 1);
}

static SohoaUser *
sign_in (SohoaStore *store,
         const char *name,
         const char *password,
         GError    **error)
{
  return sohoa_store_authenticate (store, name, password, error);
}

static void
test_accounts_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *workspace = g_dir_make_tmp ("sohoa-test-accounts-XXXXXX", &error);
  g_autoptr(SohoaContext) context = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(SohoaUser) operator = NULL;
  g_autoptr(SohoaUser) user = NULL;
  g_autoptr(SohoaUser) added = NULL;
  SohoaAccountsWindow *window;
  SohoaStore *store;
  gpointer four[] = { NULL, GUINT_TO_POINTER (4) };
  gboolean saved = FALSE;
  Dialog d = { 0 };

  context = sohoa_context_open (workspace, &error);
  g_assert_no_error (error);
  store = sohoa_context_get_store (context);
  admin = sohoa_store_initialize (store, "26740", "Phường Sài Gòn", "admin", "Quản Trị Viên", "admin-pw", &error);
  g_assert_no_error (error);
  operator = sohoa_store_add_user (store, admin, "canbo", "Nguyễn Thị Lan", SOHOA_ROLE_OPERATOR, "canbo-pw", &error);
  g_assert_no_error (error);
  user = sohoa_store_add_user (store, admin, "giamsat", "Trần Văn Minh", SOHOA_ROLE_SUPERVISOR, "giamsat-pw", &error);
  g_assert_no_error (error);
  g_clear_object (&user);

  window = SOHOA_ACCOUNTS_WINDOW (sohoa_accounts_window_new (NULL, context, admin));
  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sohoa_test_spin_until (sohoa_test_window_is_mapped, window, 10));
  g_assert_cmpuint (g_list_model_get_n_items (sohoa_accounts_window_get_accounts (window)), ==, 3);

  /* A new supervisor.  Saving waits for a complete, matching form. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "accounts.add", NULL));
  g_assert_true (sohoa_test_spin_until (dialog_is_back, NULL, 10));
  find_rows (find_dialog (), &d);
  g_assert_false (gtk_widget_get_visible (d.rows[CURRENT]));
  type (&d, NAME, "thuky");
  type (&d, FULL_NAME, "Lê Thị Hoa");
  adw_combo_row_set_selected (ADW_COMBO_ROW (d.role), SOHOA_ROLE_SUPERVISOR);
  type (&d, PASSWORD, "mk-1234");
  type (&d, CONFIRM, "mk-1235");
  g_assert_false (can_save (&d));
  g_assert_true (gtk_widget_get_visible (d.problem));
  type (&d, CONFIRM, "mk-1234");
  g_assert_true (can_save (&d));
  g_assert_false (gtk_widget_get_visible (d.problem));
  settle ();
  sohoa_test_save_screenshot (d.dialog, "account-dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (d.dialog), "save");
  four[0] = window;
  g_assert_true (sohoa_test_spin_until (n_accounts_is, four, 30));
  added = sign_in (store, "thuky", "mk-1234", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sohoa_user_get_role (added), ==, SOHOA_ROLE_SUPERVISOR);
  g_assert_cmpstr (sohoa_user_get_full_name (added), ==, "Lê Thị Hoa");

  /* The same user name again: the dialog comes back with what was typed
   * and the reason. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "accounts.add", NULL));
  g_assert_true (sohoa_test_spin_until (dialog_is_back, NULL, 10));
  find_rows (find_dialog (), &d);
  type (&d, NAME, "thuky");
  type (&d, PASSWORD, "khac-123");
  type (&d, CONFIRM, "khac-123");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (d.dialog), "save");
  g_assert_false (gtk_widget_get_visible (d.dialog));
  g_assert_true (sohoa_test_spin_until (dialog_is_back, NULL, 30));
  g_assert_true (gtk_widget_get_visible (d.problem));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (d.problem)), "thuky"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (d.rows[NAME])), ==, "thuky");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (d.dialog), "cancel");
  g_assert_null (find_dialog ());

  /* Closing an account stops its sign-in; Undo opens it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "accounts.close", "x", sohoa_user_get_id (operator)));
  user = sign_in (store, "canbo", "canbo-pw", &error);
  g_assert_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH);
  g_clear_error (&error);
  settle ();
  sohoa_test_save_screenshot (GTK_WIDGET (window), "accounts-window");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "accounts.reopen", "x", sohoa_user_get_id (operator)));
  user = sign_in (store, "canbo", "canbo-pw", &error);
  g_assert_no_error (error);
  g_clear_object (&user);

  /* A forgotten password, reset by the administrator. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "accounts.reset-password", "x",
                                             sohoa_user_get_id (operator)));
  g_assert_true (sohoa_test_spin_until (dialog_is_back, NULL, 10));
  find_rows (find_dialog (), &d);
  g_assert_false (gtk_widget_get_visible (d.rows[NAME]));
  g_assert_false (gtk_widget_get_visible (d.rows[CURRENT]));
  type (&d, PASSWORD, "moi-5678");
  type (&d, CONFIRM, "moi-5678");
  g_signal_connect (d.dialog, "saved", G_CALLBACK (saved_cb), &saved);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (d.dialog), "save");
  g_assert_true (sohoa_test_spin_until (flag_is_set, &saved, 30));
  user = sign_in (store, "canbo", "moi-5678", &error);
  g_assert_no_error (error);
  g_clear_object (&user);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_clear_object (&context);
  sohoa_test_remove_tree (workspace);
}

/* Users change their own password, knowing the present one. */
static void
test_change_own_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *workspace = g_dir_make_tmp ("sohoa-test-accounts-XXXXXX", &error);
  g_autoptr(SohoaContext) context = NULL;
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(SohoaUser) operator = NULL;
  g_autoptr(SohoaUser) user = NULL;
  gboolean saved = FALSE;
  Dialog d = { 0 };

  context = sohoa_context_open (workspace, &error);
  g_assert_no_error (error);
  admin = sohoa_store_initialize (sohoa_context_get_store (context), "26740", "Phường Sài Gòn",
                                  "admin", NULL, "admin-pw", &error);
  g_assert_no_error (error);
  operator = sohoa_store_add_user (sohoa_context_get_store (context), admin, "canbo", "Nguyễn Thị Lan",
                                   SOHOA_ROLE_OPERATOR, "canbo-pw", &error);
  g_assert_no_error (error);

  find_rows (sohoa_account_dialog_new (NULL, context, operator, operator, SOHOA_ACCOUNT_DIALOG_CHANGE_PASSWORD), &d);
  g_signal_connect (d.dialog, "saved", G_CALLBACK (saved_cb), &saved);
  gtk_window_present (GTK_WINDOW (d.dialog));
  g_assert_true (gtk_widget_get_visible (d.rows[CURRENT]));
  g_assert_false (gtk_widget_get_visible (d.role));
  type (&d, PASSWORD, "moi-1111");
  type (&d, CONFIRM, "moi-1111");
  g_assert_false (can_save (&d));
  type (&d, CURRENT, "sai-roi");
  g_assert_true (can_save (&d));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (d.dialog), "save");
  g_assert_true (sohoa_test_spin_until (dialog_is_back, NULL, 30));
  g_assert_false (saved);
  g_assert_true (gtk_widget_get_visible (d.problem));

  type (&d, CURRENT, "canbo-pw");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (d.dialog), "save");
  g_assert_true (sohoa_test_spin_until (flag_is_set, &saved, 30));
  user = sohoa_store_authenticate (sohoa_context_get_store (context), "canbo", "moi-1111", &error);
  g_assert_no_error (error);

  g_clear_object (&context);
  sohoa_test_remove_tree (workspace);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/accounts/window", test_accounts_window);
  g_test_add_func ("/accounts/change-own-password", test_change_own_password);

  return g_test_run ();
}
