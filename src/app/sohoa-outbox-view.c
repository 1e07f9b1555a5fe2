/* sohoa-outbox-view.c
 *
 * The packages waiting to be sent to the city, with a progress bar, their
 * state, and buttons to send again or stop.  Uploads run one at a time in
 * the background; failed ones are tried again every few minutes, since being
 * offline is normal in a ward office.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-outbox-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-outbox-view.h"
#include "sohoa-upload-preferences.h"

#define AUTO_RETRY_SECONDS (5 * 60)

struct _SohoaOutboxView
{
  AdwBin            parent_instance;

  /* template widgets */
  GtkStack         *stack;
  GtkListBox       *list;
  GtkLabel         *status_label;

  /* owned */
  SohoaContext     *context;
  GListStore       *items;
  GSettings        *settings;
  GCancellable     *cancellable;      /* cancelled on dispose */
  GQueue            queue;            /* SohoaOutboxItem, waiting for their turn */
  SohoaOutboxItem  *current;
  SohoaJob         *job;
  GBinding         *fraction_binding;
  GBinding         *message_binding;
  guint             retry_source;
};

G_DEFINE_FINAL_TYPE (SohoaOutboxView, sohoa_outbox_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_next (SohoaOutboxView *self);

/* Helpers ---------------------------------------------------------------- */

static void
set_status (SohoaOutboxView *self,
            const char      *message)
{
  gtk_label_set_label (self->status_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

static SohoaOutboxItem *
find_item (SohoaOutboxView *self,
           gint64           id)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr(SohoaOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (sohoa_outbox_item_get_id (item) == id)
        return item;   /* the list keeps it alive */
    }
  return NULL;
}

static void
update_actions (SohoaOutboxView *self)
{
  gboolean waiting = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)) && !waiting; i++)
    {
      g_autoptr(SohoaOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      waiting = sohoa_outbox_item_get_state (item) != SOHOA_UPLOAD_DONE && !sohoa_outbox_item_get_busy (item);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "outbox.send-all", waiting);
}

static void
enqueue (SohoaOutboxView *self,
         SohoaOutboxItem *item)
{
  if (item == self->current || g_queue_find (&self->queue, item) ||
      sohoa_outbox_item_get_state (item) == SOHOA_UPLOAD_DONE)
    return;
  sohoa_outbox_item_set_busy (item, TRUE);
  g_queue_push_tail (&self->queue, g_object_ref (item));
  update_actions (self);
  start_next (self);
}

static void
enqueue_waiting (SohoaOutboxView *self)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->items)); i > 0; i--)
    {
      g_autoptr(SohoaOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i - 1);

      enqueue (self, item);
    }
}

/* Rows ------------------------------------------------------------------- */

static void
update_row (AdwActionRow    *row,
            GParamSpec      *pspec,
            SohoaOutboxItem *item)
{
  GtkWidget *bar = g_object_get_data (G_OBJECT (row), "progress");
  GtkWidget *retry = g_object_get_data (G_OBJECT (row), "retry");
  GtkWidget *cancel = g_object_get_data (G_OBJECT (row), "cancel");
  g_autofree char *size = g_format_size_full (sohoa_outbox_item_get_size (item), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *subtitle = NULL;
  gboolean busy = sohoa_outbox_item_get_busy (item);
  SohoaUploadState state = sohoa_outbox_item_get_state (item);
  const char *error = sohoa_outbox_item_get_error (item);

  if (busy && sohoa_outbox_item_get_message (item))
    subtitle = g_strdup_printf ("%s · %s", size, sohoa_outbox_item_get_message (item));
  else if (busy)
    /* Translators: a package waiting for its turn to be sent: its size */
    subtitle = g_strdup_printf (_("%s · sending"), size);
  else if (state == SOHOA_UPLOAD_FAILED && error)
    subtitle = g_strdup_printf ("%s · %s — %s", size, sohoa_upload_state_get_label (state), error);
  else
    subtitle = g_strdup_printf ("%s · %s", size, sohoa_upload_state_get_label (state));
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_visible (bar, busy || state == SOHOA_UPLOAD_DONE ||
                          sohoa_outbox_item_get_fraction (item) > 0);
  gtk_widget_set_visible (retry, !busy && state != SOHOA_UPLOAD_DONE);
  gtk_widget_set_visible (cancel, busy);
}

static GtkWidget *
create_row (gpointer object,
            gpointer user_data)
{
  SohoaOutboxItem *item = object;
  g_autofree char *name = g_path_get_basename (sohoa_outbox_item_get_file (item));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *retry = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkWidget *cancel = gtk_button_new_from_icon_name ("process-stop-symbolic");
  GVariant *target = g_variant_new_int64 (sohoa_outbox_item_get_id (item));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 120, -1);
  g_object_bind_property (item, "fraction", bar, "fraction", G_BINDING_SYNC_CREATE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);

  gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (retry, _("Send Now"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Send Now"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "outbox.retry");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (retry), target);
  gtk_widget_add_css_class (retry, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);

  gtk_widget_set_valign (cancel, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (cancel, _("Stop Sending"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cancel), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Stop Sending"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "outbox.cancel");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (cancel), target);
  gtk_widget_add_css_class (cancel, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), cancel);

  g_object_set_data (G_OBJECT (row), "progress", bar);
  g_object_set_data (G_OBJECT (row), "retry", retry);
  g_object_set_data (G_OBJECT (row), "cancel", cancel);
  g_signal_connect_object (item, "notify::state", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::error", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::busy", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::message", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);
  update_row (ADW_ACTION_ROW (row), NULL, item);
  return row;
}

/* Uploading -------------------------------------------------------------- */

static void
finish_current (SohoaOutboxView *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->message_binding, g_binding_unbind);
  g_clear_object (&self->job);
  if (self->current)
    {
      sohoa_outbox_item_set_message (self->current, NULL);
      sohoa_outbox_item_set_busy (self->current, FALSE);
      if (!sohoa_outbox_item_refresh (self->current, sohoa_context_get_store (self->context), &error))
        g_warning ("Could not read package %" G_GINT64_FORMAT ": %s",
                   sohoa_outbox_item_get_id (self->current), error->message);
      g_clear_object (&self->current);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
upload_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SohoaOutboxView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sohoa_uploader_upload_finish (SOHOA_UPLOADER (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      self->context != NULL)
    set_status (self, error->message);
  if (self->context == NULL)    /* disposed meanwhile */
    return;
  finish_current (self);
  start_next (self);
}

static void
config_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SohoaOutboxView) self = user_data;
  g_autoptr(SohoaUploadConfig) config = NULL;
  g_autoptr(SohoaUploader) uploader = NULL;
  g_autoptr(GError) error = NULL;

  config = sohoa_upload_preferences_load_config_finish (result, &error);
  if (self->context == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (config == NULL || !sohoa_upload_config_check (config, &error))
    {
      /* Nothing can be sent until the settings are complete. */
      set_status (self, error->message);
      while (!g_queue_is_empty (&self->queue))
        {
          g_autoptr(SohoaOutboxItem) item = g_queue_pop_head (&self->queue);

          sohoa_outbox_item_set_busy (item, FALSE);
        }
      finish_current (self);
      return;
    }

  set_status (self, NULL);
  uploader = sohoa_uploader_new (self->context, config);
  sohoa_uploader_upload_async (uploader, sohoa_outbox_item_get_id (self->current), self->job,
                               upload_cb, g_object_ref (self));
}

static void
start_next (SohoaOutboxView *self)
{
  if (self->current || g_queue_is_empty (&self->queue))
    return;

  self->current = g_queue_pop_head (&self->queue);
  self->job = sohoa_job_new ();
  self->fraction_binding = g_object_bind_property (self->job, "fraction", self->current, "fraction", G_BINDING_DEFAULT);
  self->message_binding = g_object_bind_property (self->job, "message", self->current, "message", G_BINDING_DEFAULT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  sohoa_upload_preferences_load_config_async (self->settings, self->cancellable, config_loaded_cb, g_object_ref (self));
}

/* Actions ---------------------------------------------------------------- */

static void
send_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  enqueue_waiting (SOHOA_OUTBOX_VIEW (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SohoaOutboxView *self = SOHOA_OUTBOX_VIEW (widget);
  SohoaOutboxItem *item = find_item (self, g_variant_get_int64 (parameter));

  if (item)
    enqueue (self, item);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SohoaOutboxView *self = SOHOA_OUTBOX_VIEW (widget);
  SohoaOutboxItem *item = find_item (self, g_variant_get_int64 (parameter));
  GList *link;

  if (item == NULL)
    return;
  if (item == self->current && self->job)
    {
      /* The worker notices from curl's progress callback, marks the
       * package pending and returns. */
      sohoa_job_cancel (self->job);
      return;
    }
  if ((link = g_queue_find (&self->queue, item)))
    {
      g_queue_delete_link (&self->queue, link);
      sohoa_outbox_item_set_busy (item, FALSE);
      g_object_unref (item);
      update_actions (self);
    }
}

static gboolean
auto_retry_cb (gpointer user_data)
{
  SohoaOutboxView *self = user_data;

  if (self->current == NULL && g_queue_is_empty (&self->queue))
    {
      sohoa_outbox_view_reload (self);
      enqueue_waiting (self);
    }
  return G_SOURCE_CONTINUE;
}

/* Object ----------------------------------------------------------------- */

static void
sohoa_outbox_view_dispose (GObject *object)
{
  SohoaOutboxView *self = (SohoaOutboxView *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->job)
    sohoa_job_cancel (self->job);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_queue_clear_full (&self->queue, g_object_unref);
  g_clear_pointer (&self->fraction_binding, g_binding_unbind);
  g_clear_pointer (&self->message_binding, g_binding_unbind);
  g_clear_object (&self->job);
  g_clear_object (&self->current);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_OUTBOX_VIEW);

  G_OBJECT_CLASS (sohoa_outbox_view_parent_class)->dispose (object);
}

static void
sohoa_outbox_view_finalize (GObject *object)
{
  SohoaOutboxView *self = (SohoaOutboxView *) object;

  g_clear_object (&self->items);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sohoa_outbox_view_parent_class)->finalize (object);
}

static void
sohoa_outbox_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SohoaOutboxView *self = SOHOA_OUTBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY: g_value_set_boolean (value, sohoa_outbox_view_get_busy (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_outbox_view_class_init (SohoaOutboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_outbox_view_dispose;
  object_class->finalize = sohoa_outbox_view_finalize;
  object_class->get_property = sohoa_outbox_view_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-outbox-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaOutboxView, stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaOutboxView, list);
  gtk_widget_class_bind_template_child (widget_class, SohoaOutboxView, status_label);

  gtk_widget_class_install_action (widget_class, "outbox.send-all", NULL, send_all_action);
  gtk_widget_class_install_action (widget_class, "outbox.retry", "x", retry_action);
  gtk_widget_class_install_action (widget_class, "outbox.cancel", "x", cancel_action);
}

static void
sohoa_outbox_view_init (SohoaOutboxView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (SOHOA_TYPE_OUTBOX_ITEM);
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->queue);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->items), create_row, self, NULL);
  self->retry_source = g_timeout_add_seconds (AUTO_RETRY_SECONDS, auto_retry_cb, self);
}

/**
 * sohoa_outbox_view_new:
 *
 * Returns: (transfer floating): the outbox of @context's workspace
 */
GtkWidget *
sohoa_outbox_view_new (SohoaContext *context)
{
  SohoaOutboxView *self;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);

  self = g_object_new (SOHOA_TYPE_OUTBOX_VIEW, NULL);
  self->context = g_object_ref (context);
  sohoa_outbox_view_reload (self);
  return GTK_WIDGET (self);
}

/**
 * sohoa_outbox_view_reload:
 *
 * Reads the packages again (a new package was made).  Items being sent keep
 * their object, so their progress goes on.
 */
void
sohoa_outbox_view_reload (SohoaOutboxView *self)
{
  g_autoptr(GListModel) fresh = NULL;
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SOHOA_IS_OUTBOX_VIEW (self));

  if (!(fresh = sohoa_outbox_list (sohoa_context_get_store (self->context), &error)))
    {
      set_status (self, error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (fresh); i++)
    {
      g_autoptr(SohoaOutboxItem) item = g_list_model_get_item (fresh, i);
      SohoaOutboxItem *known = find_item (self, sohoa_outbox_item_get_id (item));

      if (known && sohoa_outbox_item_get_busy (known))
        g_ptr_array_add (merged, g_object_ref (known));
      else
        g_ptr_array_add (merged, g_object_ref (item));
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       merged->pdata, merged->len);
  gtk_stack_set_visible_child_name (self->stack, merged->len > 0 ? "list" : "empty");
  update_actions (self);
}

GListModel *
sohoa_outbox_view_get_items (SohoaOutboxView *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_VIEW (self), NULL);
  return G_LIST_MODEL (self->items);
}

gboolean
sohoa_outbox_view_get_busy (SohoaOutboxView *self)
{
  g_return_val_if_fail (SOHOA_IS_OUTBOX_VIEW (self), FALSE);
  return self->current != NULL;
}

static void
show_settings_cb (GtkButton *button,
                  GtkWindow *outbox_window)
{
  GtkWidget *preferences = adw_preferences_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (preferences), outbox_window);
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences),
                              ADW_PREFERENCES_PAGE (sohoa_upload_preferences_new ()));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
forget_outbox_window_cb (GtkWidget *window,
                         GObject   *parent)
{
  if (g_object_get_data (parent, "sohoa-outbox-window") == window)
    g_object_set_data (parent, "sohoa-outbox-window", NULL);
}

/**
 * sohoa_outbox_view_send_waiting:
 *
 * Reads the packages again and sends every one still waiting (a package
 * was just made).
 */
void
sohoa_outbox_view_send_waiting (SohoaOutboxView *self)
{
  g_return_if_fail (SOHOA_IS_OUTBOX_VIEW (self));

  sohoa_outbox_view_reload (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "outbox.send-all", NULL);
}

/* The view inside a window sohoa_outbox_view_present() made. */
SohoaOutboxView *
sohoa_outbox_view_from_window (GtkWindow *window)
{
  return window ? g_object_get_data (G_OBJECT (window), "sohoa-outbox-view") : NULL;
}

GtkWindow *
sohoa_outbox_view_present (GtkWindow    *parent,
                           SohoaContext *context)
{
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *settings;
  GtkWidget *view;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);

  /* One outbox per main window: two would send the same packages twice. */
  if (parent && (window = g_object_get_data (G_OBJECT (parent), "sohoa-outbox-window")))
    {
      gtk_window_present (GTK_WINDOW (window));
      return GTK_WINDOW (window);
    }

  window = adw_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  settings = gtk_button_new_from_icon_name ("emblem-system-symbolic");
  if (parent)
    {
      g_object_set_data (G_OBJECT (parent), "sohoa-outbox-window", window);
      g_signal_connect_object (window, "destroy", G_CALLBACK (forget_outbox_window_cb), parent, 0);
    }

  gtk_window_set_title (GTK_WINDOW (window), _("Outbox"));
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 520);
  gtk_widget_set_tooltip_text (settings, _("Upload Settings"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (settings), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Upload Settings"), -1);
  g_signal_connect (settings, "clicked", G_CALLBACK (show_settings_cb), window);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), settings);
  gtk_box_append (GTK_BOX (box), header);
  view = sohoa_outbox_view_new (context);
  g_object_set_data (G_OBJECT (window), "sohoa-outbox-view", view);
  gtk_box_append (GTK_BOX (box), view);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}
