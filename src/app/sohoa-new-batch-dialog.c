/* sohoa-new-batch-dialog.c
 *
 * Asks which form the pages of a new batch are keyed with, and what the
 * batch is called.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-new-batch-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-new-batch-dialog.h"

struct _SohoaNewBatchDialog
{
  AdwMessageDialog  parent_instance;

  /* template widgets */
  AdwComboRow      *schema_row;
  AdwEntryRow      *title_row;
};

G_DEFINE_FINAL_TYPE (SohoaNewBatchDialog, sohoa_new_batch_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
dup_schema_title (SohoaSchema *schema)
{
  return g_strdup (schema ? sohoa_schema_get_title (schema) : "");
}

static void
sohoa_new_batch_dialog_class_init (SohoaNewBatchDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-new-batch-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaNewBatchDialog, schema_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaNewBatchDialog, title_row);
}

static void
sohoa_new_batch_dialog_init (SohoaNewBatchDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_expression (self->schema_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL,
                                                             0, NULL,
                                                             G_CALLBACK (dup_schema_title),
                                                             NULL, NULL));
}

/**
 * sohoa_new_batch_dialog_new:
 * @parent: the window the dialog belongs to
 * @schemas: a #GListModel of #SohoaSchema
 * @schema_id: (nullable): the schema offered first
 *
 * Returns: (transfer floating): a new dialog; connect to
 *   #AdwMessageDialog::response and look for "create"
 */
GtkWidget *
sohoa_new_batch_dialog_new (GtkWindow  *parent,
                            GListModel *schemas,
                            const char *schema_id)
{
  SohoaNewBatchDialog *self;
  guint n_schemas;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (schemas), NULL);

  self = g_object_new (SOHOA_TYPE_NEW_BATCH_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);

  adw_combo_row_set_model (self->schema_row, schemas);

  n_schemas = g_list_model_get_n_items (schemas);
  for (guint i = 0; schema_id != NULL && i < n_schemas; i++)
    {
      g_autoptr(SohoaSchema) schema = g_list_model_get_item (schemas, i);

      if (g_strcmp0 (sohoa_schema_get_id (schema), schema_id) == 0)
        {
          adw_combo_row_set_selected (self->schema_row, i);
          break;
        }
    }

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "create", n_schemas > 0);

  return GTK_WIDGET (self);
}

/**
 * sohoa_new_batch_dialog_get_schema:
 * @self: a #SohoaNewBatchDialog
 *
 * Returns: (transfer none) (nullable): the chosen schema
 */
SohoaSchema *
sohoa_new_batch_dialog_get_schema (SohoaNewBatchDialog *self)
{
  g_return_val_if_fail (SOHOA_IS_NEW_BATCH_DIALOG (self), NULL);

  return adw_combo_row_get_selected_item (self->schema_row);
}

/**
 * sohoa_new_batch_dialog_dup_title:
 * @self: a #SohoaNewBatchDialog
 *
 * Returns: (transfer full): the title typed, NFC, or one made of the form's
 *   name and today's date if none was typed
 */
char *
sohoa_new_batch_dialog_dup_title (SohoaNewBatchDialog *self)
{
  g_autofree char *title = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;
  SohoaSchema *schema;

  g_return_val_if_fail (SOHOA_IS_NEW_BATCH_DIALOG (self), NULL);

  title = sohoa_text_normalize (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  g_strstrip (title);
  if (title[0] != '\0')
    return g_steal_pointer (&title);

  schema = sohoa_new_batch_dialog_get_schema (self);
  now = g_date_time_new_now_local ();
  date = g_date_time_format (now, "%d/%m/%Y");

  /* Translators: the default title of a new batch: form name, date */
  return g_strdup_printf (_("%s, %s"), schema ? sohoa_schema_get_title (schema) : _("Batch"), date);
}
