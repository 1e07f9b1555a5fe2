/* sohoa-login-page.c
 *
 * Who is at the keyboard: every edit, approval and export is recorded in
 * the audit log under the account that signed in here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-login-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-login-page.h"

#include <string.h>

struct _SohoaLoginPage
{
  AdwBin          parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  AdwStatusPage  *status_page;
  AdwEntryRow    *user_row;
  AdwEntryRow    *password_row;
  GtkLabel       *error_label;
  GtkLabel       *demo_label;

  /* owned */
  SohoaContext   *context;
  GSettings      *settings;
  GCancellable   *cancellable;

  /* state */
  guint           busy : 1;
};

G_DEFINE_FINAL_TYPE (SohoaLoginPage, sohoa_login_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SHOW_DEMO_HINT,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  SohoaStore *store;      /* the worker's own connection */
  char       *name;
  char       *password;
} Credentials;

static void
credentials_free (gpointer data)
{
  Credentials *credentials = data;

  g_clear_object (&credentials->store);
  g_free (credentials->name);
  if (credentials->password != NULL)
    {
      memset (credentials->password, 0, strlen (credentials->password));
      g_free (credentials->password);
    }
  g_free (credentials);
}

static void
update_actions (SohoaLoginPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.sign-in",
                                 self->context != NULL && !self->busy &&
                                 name[0] != '\0' && password[0] != '\0');
}

static void
update_ward (SohoaLoginPage *self)
{
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;

  if (self->context != NULL &&
      sohoa_store_get_ward (sohoa_context_get_store (self->context), &code, &name))
    {
      g_autofree char *markup = g_markup_escape_text (name, -1);

      adw_window_title_set_subtitle (self->window_title, name);
      adw_status_page_set_description (self->status_page, markup);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      adw_status_page_set_description (self->status_page, NULL);
    }
}

static void
show_error (SohoaLoginPage *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (SohoaLoginPage *self,
          gboolean        busy)
{
  /* Not insensitive: the focused entry would lose its focus-out event. */
  self->busy = !!busy;
  gtk_editable_set_editable (GTK_EDITABLE (self->user_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  update_actions (self);
}

static void
authenticate_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Credentials *credentials = task_data;
  GError *error = NULL;
  SohoaUser *user;

  /* Argon2id is deliberately slow; keep it off the main thread. */
  user = sohoa_store_authenticate (credentials->store,
                                   credentials->name,
                                   credentials->password,
                                   &error);
  if (user == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, user, g_object_unref);
}

static void
authenticate_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SohoaLoginPage *self = SOHOA_LOGIN_PAGE (object);
  g_autoptr(SohoaUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (user == NULL)
    {
      show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  g_settings_set_string (self->settings, "last-user", sohoa_user_get_name (user));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  g_signal_emit (self, signals[SIGNED_IN], 0, user);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SohoaLoginPage *self = SOHOA_LOGIN_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Credentials *credentials;
  SohoaStore *store;

  if (self->busy || self->context == NULL)
    return;

  store = sohoa_context_get_store (self->context);

  credentials = g_new0 (Credentials, 1);
  credentials->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  credentials->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  task = g_task_new (self, self->cancellable, authenticate_cb, NULL);
  g_task_set_source_tag (task, sign_in_action);
  g_task_set_task_data (task, credentials, credentials_free);

  if (!(credentials->store = sohoa_store_dup (store, &error)))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, authenticate_thread);
}

static void
user_row_activated_cb (SohoaLoginPage *self,
                       AdwEntryRow    *row)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
password_row_activated_cb (SohoaLoginPage *self,
                           AdwEntryRow    *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "login.sign-in", NULL);
}

static void
row_changed_cb (SohoaLoginPage *self,
                GtkEditable    *editable)
{
  update_actions (self);
}

static void
sohoa_login_page_map (GtkWidget *widget)
{
  SohoaLoginPage *self = SOHOA_LOGIN_PAGE (widget);

  GTK_WIDGET_CLASS (sohoa_login_page_parent_class)->map (widget);

  update_ward (self);

  if (gtk_editable_get_text (GTK_EDITABLE (self->user_row))[0] != '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
}

static void
sohoa_login_page_dispose (GObject *object)
{
  SohoaLoginPage *self = (SohoaLoginPage *) object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_LOGIN_PAGE);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sohoa_login_page_parent_class)->dispose (object);
}

static void
sohoa_login_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SohoaLoginPage *self = SOHOA_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_SHOW_DEMO_HINT:
      g_value_set_boolean (value, sohoa_login_page_get_show_demo_hint (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_login_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SohoaLoginPage *self = SOHOA_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      sohoa_login_page_set_context (self, g_value_get_object (value));
      break;

    case PROP_SHOW_DEMO_HINT:
      sohoa_login_page_set_show_demo_hint (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_login_page_class_init (SohoaLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_login_page_dispose;
  object_class->get_property = sohoa_login_page_get_property;
  object_class->set_property = sohoa_login_page_set_property;

  widget_class->map = sohoa_login_page_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         SOHOA_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SHOW_DEMO_HINT] =
    g_param_spec_boolean ("show-demo-hint", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaLoginPage::signed-in:
   * @user: the account whose password was given
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, SOHOA_TYPE_USER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaLoginPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SohoaLoginPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, SohoaLoginPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaLoginPage, demo_label);
  gtk_widget_class_bind_template_callback (widget_class, user_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);

  gtk_widget_class_install_action (widget_class, "login.sign-in", NULL, sign_in_action);

}

static void
sohoa_login_page_init (SohoaLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);

  sohoa_login_page_reset (self);
}

GtkWidget *
sohoa_login_page_new (SohoaContext *context)
{
  g_return_val_if_fail (!context || SOHOA_IS_CONTEXT (context), NULL);

  return g_object_new (SOHOA_TYPE_LOGIN_PAGE,
                       "context", context,
                       NULL);
}

SohoaContext *
sohoa_login_page_get_context (SohoaLoginPage *self)
{
  g_return_val_if_fail (SOHOA_IS_LOGIN_PAGE (self), NULL);

  return self->context;
}

void
sohoa_login_page_set_context (SohoaLoginPage *self,
                              SohoaContext   *context)
{
  g_return_if_fail (SOHOA_IS_LOGIN_PAGE (self));
  g_return_if_fail (!context || SOHOA_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;

  update_ward (self);
  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

gboolean
sohoa_login_page_get_show_demo_hint (SohoaLoginPage *self)
{
  g_return_val_if_fail (SOHOA_IS_LOGIN_PAGE (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->demo_label));
}

void
sohoa_login_page_set_show_demo_hint (SohoaLoginPage *self,
                                     gboolean        show_demo_hint)
{
  g_return_if_fail (SOHOA_IS_LOGIN_PAGE (self));

  if (sohoa_login_page_get_show_demo_hint (self) == !!show_demo_hint)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->demo_label), show_demo_hint);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_DEMO_HINT]);
}

/**
 * sohoa_login_page_reset:
 * @self: a #SohoaLoginPage
 *
 * Clears the password and any error, and offers the last account that
 * signed in on this computer.
 */
void
sohoa_login_page_reset (SohoaLoginPage *self)
{
  g_autofree char *last_user = NULL;

  g_return_if_fail (SOHOA_IS_LOGIN_PAGE (self));

  last_user = g_settings_get_string (self->settings, "last-user");

  gtk_editable_set_text (GTK_EDITABLE (self->user_row), last_user);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  update_ward (self);
  update_actions (self);
}
