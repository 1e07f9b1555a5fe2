/* sohoa-setup-page.c
 *
 * First run: which ward this computer works for, and its administrator.
 * Or, for training, a ready-made demo workspace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-setup-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-setup-page.h"

#include "sohoa-demo.h"

#include <string.h>

typedef struct
{
  char *code;
  char *name;
  char *collate_key;
} Ward;

struct _SohoaSetupPage
{
  AdwBin          parent_instance;

  /* template widgets */
  AdwComboRow    *ward_row;
  AdwEntryRow    *full_name_row;
  AdwEntryRow    *user_name_row;
  AdwEntryRow    *password_row;
  AdwEntryRow    *confirm_row;
  GtkLabel       *error_label;
  GtkRevealer    *progress_revealer;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;

  /* owned */
  SohoaContext   *context;
  GCancellable   *cancellable;
  GArray         *wards;          /* Ward, in the order of the combo row */
  SohoaJob       *job;
  GBinding       *fraction_binding;
  GBinding       *message_binding;

  /* state */
  guint           busy : 1;
};

G_DEFINE_FINAL_TYPE (SohoaSetupPage, sohoa_setup_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

enum {
  CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  SohoaStore *store;      /* the worker's own connection */
  char       *ward_code;
  char       *ward_name;
  char       *user_name;
  char       *full_name;
  char       *password;
} Setup;

static void
setup_free (gpointer data)
{
  Setup *setup = data;

  g_clear_object (&setup->store);
  g_free (setup->ward_code);
  g_free (setup->ward_name);
  g_free (setup->user_name);
  g_free (setup->full_name);
  if (setup->password != NULL)
    {
      memset (setup->password, 0, strlen (setup->password));
      g_free (setup->password);
    }
  g_free (setup);
}

static void
ward_clear (gpointer data)
{
  Ward *ward = data;

  g_free (ward->code);
  g_free (ward->name);
  g_free (ward->collate_key);
}

static int
ward_compare (gconstpointer a,
              gconstpointer b)
{
  return strcmp (((const Ward *) a)->collate_key, ((const Ward *) b)->collate_key);
}

static const char *
get_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static const Ward *
get_selected_ward (SohoaSetupPage *self)
{
  guint selected = adw_combo_row_get_selected (self->ward_row);

  /* Item 0 asks the clerk to choose: no ward is right by default. */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->wards->len)
    return NULL;

  return &g_array_index (self->wards, Ward, selected - 1);
}

static void
update_actions (SohoaSetupPage *self)
{
  gboolean complete;

  complete = get_selected_ward (self) != NULL &&
             get_text (self->full_name_row)[0] != '\0' &&
             get_text (self->user_name_row)[0] != '\0' &&
             get_text (self->password_row)[0] != '\0' &&
             get_text (self->confirm_row)[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create",
                                 self->context != NULL && !self->busy && complete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create-demo",
                                 self->context != NULL && !self->busy);
}

static void
show_error (SohoaSetupPage *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
message_to_label (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  const char *message = g_value_get_string (from);

  g_value_set_string (to, message ? message : "");
  return TRUE;
}

static void
set_busy (SohoaSetupPage *self,
          SohoaJob       *job,
          const char     *message)
{
  g_clear_pointer (&self->fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->message_binding, g_binding_unbind);
  g_set_object (&self->job, job);

  self->busy = message != NULL;

  if (job != NULL)
    {
      self->fraction_binding =
        g_object_bind_property (job, "fraction", self->progress_bar, "fraction",
                                G_BINDING_SYNC_CREATE);
      self->message_binding =
        g_object_bind_property_full (job, "message", self->progress_label, "label",
                                     G_BINDING_SYNC_CREATE,
                                     message_to_label, NULL, NULL, NULL);
    }
  else if (message != NULL)
    {
      gtk_label_set_label (self->progress_label, message);
      gtk_progress_bar_pulse (self->progress_bar);
    }

  gtk_revealer_set_reveal_child (self->progress_revealer, self->busy);
  update_actions (self);
}

static void
parse_wards (SohoaSetupPage *self,
             const char     *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  int code_column = -1;
  int name_column = -1;

  g_array_set_size (self->wards, 0);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = g_strsplit (g_strchomp (lines[i]), ",", -1);
      guint n_columns = g_strv_length (columns);
      Ward ward;

      if (i == 0)
        {
          for (guint c = 0; c < n_columns; c++)
            {
              if (g_str_equal (columns[c], "code"))
                code_column = c;
              else if (g_str_equal (columns[c], "name"))
                name_column = c;
            }
          continue;
        }

      if (code_column < 0 || name_column < 0 ||
          (guint) MAX (code_column, name_column) >= n_columns)
        continue;

      ward.code = g_strdup (columns[code_column]);
      ward.name = g_strdup (columns[name_column]);
      ward.collate_key = g_utf8_collate_key (ward.name, -1);
      g_array_append_val (self->wards, ward);
    }

  g_array_sort (self->wards, ward_compare);

  gtk_string_list_append (names, _("Not Chosen"));
  for (guint i = 0; i < self->wards->len; i++)
    gtk_string_list_append (names, g_array_index (self->wards, Ward, i).name);

  adw_combo_row_set_model (self->ward_row, G_LIST_MODEL (names));
  update_actions (self);
}

static void
load_wards_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SohoaSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, NULL, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Cannot read the list of wards: %s", error->message);
          show_error (self, _("The list of wards and communes is missing. "
                              "Reinstall Sohoa or ask your administrator."));
        }
      return;
    }

  parse_wards (self, contents);
}

static void
load_wards (SohoaSetupPage *self)
{
  g_autofree char *datadir = sohoa_context_find_data_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  if (datadir == NULL)
    {
      show_error (self, _("The list of wards and communes is missing. "
                          "Reinstall Sohoa or ask your administrator."));
      return;
    }

  path = g_build_filename (datadir, "reference", "hcmc-units.csv", NULL);
  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, self->cancellable, load_wards_cb, g_object_ref (self));
}

static void
initialize_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Setup *setup = task_data;
  GError *error = NULL;
  SohoaUser *admin;

  admin = sohoa_store_initialize (setup->store,
                                  setup->ward_code,
                                  setup->ward_name,
                                  setup->user_name,
                                  setup->full_name,
                                  setup->password,
                                  &error);
  if (admin == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, admin, g_object_unref);
}

static void
initialize_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SohoaSetupPage *self = SOHOA_SETUP_PAGE (object);
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(GError) error = NULL;

  admin = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, NULL, NULL);

  if (admin == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, admin, FALSE);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaSetupPage *self = SOHOA_SETUP_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const Ward *ward;
  Setup *setup;

  if (self->busy || !(ward = get_selected_ward (self)))
    return;

  if (!g_str_equal (get_text (self->password_row), get_text (self->confirm_row)))
    {
      show_error (self, _("The two passwords are not the same. Type the password again."));
      gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
      return;
    }

  setup = g_new0 (Setup, 1);
  setup->ward_code = g_strdup (ward->code);
  setup->ward_name = g_strdup (ward->name);
  setup->full_name = sohoa_text_normalize (get_text (self->full_name_row));
  setup->user_name = g_strstrip (g_strdup (get_text (self->user_name_row)));
  setup->password = g_strdup (get_text (self->password_row));

  task = g_task_new (self, self->cancellable, initialize_cb, NULL);
  g_task_set_source_tag (task, create_action);
  g_task_set_task_data (task, setup, setup_free);

  if (!(setup->store = sohoa_store_dup (sohoa_context_get_store (self->context), &error)))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  set_busy (self, NULL, _("Creating the workspace…"));
  g_task_run_in_thread (task, initialize_thread);
}

static void
create_demo_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SohoaContext *context = SOHOA_CONTEXT (object);
  g_autoptr(SohoaSetupPage) self = user_data;
  g_autoptr(SohoaUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = sohoa_demo_create_finish (context, result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  set_busy (self, NULL, NULL);

  if (user == NULL)
    {
      g_warning ("Cannot create the demo workspace: %s", error->message);

      /* The accounts may exist even if the sample pages could not be made. */
      if (!sohoa_store_is_initialized (sohoa_context_get_store (context)))
        {
          show_error (self, error->message);
          return;
        }
    }

  g_signal_emit (self, signals[CREATED], 0, user, TRUE);
}

static void
create_demo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sohoa_setup_page_create_demo (SOHOA_SETUP_PAGE (widget));
}

static void
row_changed_cb (SohoaSetupPage *self)
{
  update_actions (self);
}

static void
confirm_row_activated_cb (SohoaSetupPage *self,
                          AdwEntryRow    *row)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "setup.create", NULL);
}

static void
entry_row_activated_cb (SohoaSetupPage *self,
                        AdwEntryRow    *row)
{
  /* Enter goes to the next field, not to the buttons inside the rows. */
  if (row == self->full_name_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->user_name_row));
  else if (row == self->user_name_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else if (row == self->password_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
}

static void
sohoa_setup_page_dispose (GObject *object)
{
  SohoaSetupPage *self = (SohoaSetupPage *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    sohoa_job_cancel (self->job);

  g_clear_pointer (&self->fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->message_binding, g_binding_unbind);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_SETUP_PAGE);

  g_clear_object (&self->job);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sohoa_setup_page_parent_class)->dispose (object);
}

static void
sohoa_setup_page_finalize (GObject *object)
{
  SohoaSetupPage *self = (SohoaSetupPage *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->wards, g_array_unref);

  G_OBJECT_CLASS (sohoa_setup_page_parent_class)->finalize (object);
}

static void
sohoa_setup_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SohoaSetupPage *self = SOHOA_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_setup_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SohoaSetupPage *self = SOHOA_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      sohoa_setup_page_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_setup_page_class_init (SohoaSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_setup_page_dispose;
  object_class->finalize = sohoa_setup_page_finalize;
  object_class->get_property = sohoa_setup_page_get_property;
  object_class->set_property = sohoa_setup_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         SOHOA_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SohoaSetupPage::created:
   * @user: (nullable): the account to sign in with, or %NULL to ask
   * @demo: whether the workspace is the demo workspace
   *
   * Emitted once the workspace is initialized.
   */
  signals[CREATED] =
    g_signal_new ("created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, SOHOA_TYPE_USER, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, ward_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, full_name_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaSetupPage, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "setup.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "setup.create-demo", NULL, create_demo_action);

}

static void
sohoa_setup_page_init (SohoaSetupPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->wards = g_array_new (FALSE, FALSE, sizeof (Ward));
  g_array_set_clear_func (self->wards, ward_clear);

  gtk_widget_init_template (GTK_WIDGET (self));

  load_wards (self);
  update_actions (self);
}

GtkWidget *
sohoa_setup_page_new (SohoaContext *context)
{
  g_return_val_if_fail (!context || SOHOA_IS_CONTEXT (context), NULL);

  return g_object_new (SOHOA_TYPE_SETUP_PAGE,
                       "context", context,
                       NULL);
}

SohoaContext *
sohoa_setup_page_get_context (SohoaSetupPage *self)
{
  g_return_val_if_fail (SOHOA_IS_SETUP_PAGE (self), NULL);

  return self->context;
}

void
sohoa_setup_page_set_context (SohoaSetupPage *self,
                              SohoaContext   *context)
{
  g_return_if_fail (SOHOA_IS_SETUP_PAGE (self));
  g_return_if_fail (!context || SOHOA_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;

  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * sohoa_setup_page_create_demo:
 * @self: a #SohoaSetupPage
 *
 * Fills the empty workspace with the demo ward, its accounts and a batch of
 * sample pages, then emits #SohoaSetupPage::created for the operator.
 */
void
sohoa_setup_page_create_demo (SohoaSetupPage *self)
{
  g_autoptr(SohoaJob) job = NULL;

  g_return_if_fail (SOHOA_IS_SETUP_PAGE (self));
  g_return_if_fail (self->context != NULL);

  if (self->busy)
    return;

  job = sohoa_job_new ();

  show_error (self, NULL);
  set_busy (self, job, _("Creating the demo workspace…"));
  sohoa_demo_create_async (self->context, job, create_demo_cb, g_object_ref (self));
}
