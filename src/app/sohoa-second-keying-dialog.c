/* sohoa-second-keying-dialog.c
 *
 * The second, blind keying of a record's critical fields: the page on the
 * left, one entry per critical field on the right, empty or holding what
 * this clerk keyed before, never the first clerk's values (the store does
 * not hand them out).  The record form stays as it is; this is a small form
 * of its own built from the same schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-second-keying-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-second-keying-dialog.h"

#include "sohoa-page-view.h"

struct _SohoaSecondKeyingDialog
{
  AdwWindow      parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  SohoaPageView  *page_view;
  GtkListBox     *field_list;
  GtkLabel       *error_label;

  /* owned */
  SohoaContext   *context;
  SohoaSchema    *schema;
  GHashTable     *keyed;        /* key → value as loaded */
  GPtrArray      *rows;         /* AdwEntryRow, named by field key */

  /* state */
  gint64          record_id;
};

G_DEFINE_FINAL_TYPE (SohoaSecondKeyingDialog, sohoa_second_keying_dialog, ADW_TYPE_WINDOW)

/* Callbacks */

static void
save_clicked_cb (SohoaSecondKeyingDialog *self,
                 GtkButton               *button)
{
  g_autoptr(GError) error = NULL;

  if (!sohoa_second_keying_dialog_save (self, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
entry_activated_cb (SohoaSecondKeyingDialog *self,
                    AdwEntryRow             *row)
{
  guint index;

  /* Enter goes to the next field, and saves after the last one. */
  if (g_ptr_array_find (self->rows, row, &index) && index + 1 < self->rows->len)
    gtk_widget_grab_focus (g_ptr_array_index (self->rows, index + 1));
  else
    save_clicked_cb (self, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save_clicked_cb (SOHOA_SECOND_KEYING_DIALOG (widget), NULL);
}

/* GObject */

static void
sohoa_second_keying_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SOHOA_TYPE_SECOND_KEYING_DIALOG);

  G_OBJECT_CLASS (sohoa_second_keying_dialog_parent_class)->dispose (object);
}

static void
sohoa_second_keying_dialog_finalize (GObject *object)
{
  SohoaSecondKeyingDialog *self = (SohoaSecondKeyingDialog *) object;

  g_clear_object (&self->context);
  g_clear_object (&self->schema);
  g_clear_pointer (&self->keyed, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sohoa_second_keying_dialog_parent_class)->finalize (object);
}

static void
sohoa_second_keying_dialog_class_init (SohoaSecondKeyingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_second_keying_dialog_dispose;
  object_class->finalize = sohoa_second_keying_dialog_finalize;

  g_type_ensure (SOHOA_TYPE_PAGE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-second-keying-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaSecondKeyingDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SohoaSecondKeyingDialog, page_view);
  gtk_widget_class_bind_template_child (widget_class, SohoaSecondKeyingDialog, field_list);
  gtk_widget_class_bind_template_child (widget_class, SohoaSecondKeyingDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);

  gtk_widget_class_install_action (widget_class, "second-keying.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "second-keying.save", NULL);
}

static void
sohoa_second_keying_dialog_init (SohoaSecondKeyingDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

/* Public API */

/**
 * sohoa_second_keying_dialog_new:
 * @page: (nullable): the page to key from
 *
 * Returns: (transfer none) (nullable): the dialog, owned by GTK until it
 *   closes; %NULL with @error set when the record cannot be keyed again
 */
SohoaSecondKeyingDialog *
sohoa_second_keying_dialog_new (GtkWindow     *parent,
                                SohoaContext  *context,
                                SohoaSchema   *schema,
                                gint64         record_id,
                                SohoaPage     *page,
                                GError       **error)
{
  SohoaSecondKeyingDialog *self;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GHashTable) keyed = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (SOHOA_IS_SCHEMA (schema), NULL);

  if (!(fields = sohoa_store_double_keying_fields (sohoa_context_get_store (context), schema, error)))
    return NULL;
  if (fields->len == 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The form “%s” is not keyed twice."), sohoa_schema_get_title (schema));
      return NULL;
    }
  if (!(keyed = sohoa_store_get_second_fields (sohoa_context_get_store (context), sohoa_context_get_user (context),
                                               record_id, error)))
    return NULL;

  self = g_object_new (SOHOA_TYPE_SECOND_KEYING_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->schema = g_object_ref (schema);
  self->keyed = g_steal_pointer (&keyed);
  self->record_id = record_id;
  sohoa_page_view_set_page (self->page_view, page);
  if (page != NULL)
    {
      g_autofree char *title = sohoa_page_dup_title (page);
      adw_window_title_set_subtitle (self->window_title, title);
    }

  for (guint i = 0; i < fields->len; i++)
    {
      const SohoaSchemaField *field = g_ptr_array_index (fields, i);
      GtkWidget *row = adw_entry_row_new ();
      const char *value = g_hash_table_lookup (self->keyed, field->key);

      gtk_widget_set_name (row, field->key);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
      gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
      g_signal_connect_object (row, "entry-activated", G_CALLBACK (entry_activated_cb), self, G_CONNECT_SWAPPED);
      gtk_list_box_append (self->field_list, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_window_set_focus (GTK_WINDOW (self), g_ptr_array_index (self->rows, 0));

  return self;
}

/**
 * sohoa_second_keying_dialog_save:
 *
 * Saves the fields typed or changed since the dialog opened.
 */
gboolean
sohoa_second_keying_dialog_save (SohoaSecondKeyingDialog  *self,
                                 GError                  **error)
{
  SohoaStore *store;

  g_return_val_if_fail (SOHOA_IS_SECOND_KEYING_DIALOG (self), FALSE);

  store = sohoa_context_get_store (self->context);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      const char *key = gtk_widget_get_name (row);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
      const char *before = g_hash_table_lookup (self->keyed, key);

      if (g_strcmp0 (text, before ? before : "") == 0)
        continue;
      if (!sohoa_store_set_second_field (store, sohoa_context_get_user (self->context), self->schema,
                                         self->record_id, key, text, error))
        return FALSE;
      g_hash_table_insert (self->keyed, g_strdup (key), g_strdup (text));
    }
  return TRUE;
}
