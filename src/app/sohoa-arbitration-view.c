/* sohoa-arbitration-view.c
 *
 * Where a supervisor or a third clerk settles the fields whose two keyings
 * disagree: the list of them on the left; on the right the page they were
 * keyed from (the field's box on the page is not recorded, so the whole
 * page, zoomable), both values, and a button for each, or a value typed
 * anew.  The store checks who may decide and audits the decision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-arbitration-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-arbitration-view.h"

#include "sohoa-page-view.h"

struct _SohoaArbitrationView
{
  AdwWindow       parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  GtkStack       *stack;
  GtkListBox     *mismatch_list;
  SohoaPageView  *page_view;
  GtkLabel       *field_label;
  GtkLabel       *first_label;
  GtkLabel       *second_label;
  GtkWidget      *first_button;
  GtkWidget      *second_button;
  GtkEntry       *other_entry;
  GtkWidget      *other_button;
  GtkLabel       *error_label;

  /* owned */
  SohoaContext   *context;
  SohoaBatch     *batch;
  GPtrArray      *mismatches;     /* SohoaMismatch, one per row */
  GListModel     *pages;
};

G_DEFINE_FINAL_TYPE (SohoaArbitrationView, sohoa_arbitration_view, ADW_TYPE_WINDOW)

/* Helpers */

static SohoaMismatch *
get_selected (SohoaArbitrationView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->mismatch_list);

  if (row == NULL || self->mismatches == NULL)
    return NULL;
  return g_ptr_array_index (self->mismatches, gtk_list_box_row_get_index (row));
}

static const char *
field_label (SohoaArbitrationView *self,
             const char           *key)
{
  SohoaSchema *schema = sohoa_context_lookup_schema (self->context, sohoa_batch_get_schema_id (self->batch));
  const SohoaSchemaField *field = schema ? sohoa_schema_lookup_field (schema, key) : NULL;

  return field ? field->label : key;
}

static SohoaPage *
find_page (SohoaArbitrationView *self,
           gint64                document_id)
{
  for (guint i = 0; self->pages && i < g_list_model_get_n_items (self->pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (self->pages, i);

      if (sohoa_page_get_document_id (page) == document_id)
        return g_steal_pointer (&page);
    }
  return NULL;
}

static void
show_value (GtkLabel   *label,
            const char *value)
{
  if (value == NULL)
    gtk_label_set_label (label, _("(hidden: you keyed this field)"));
  else if (*value == '\0')
    gtk_label_set_label (label, _("(empty)"));
  else
    gtk_label_set_label (label, value);
}

static void
show_selected (SohoaArbitrationView *self)
{
  SohoaMismatch *mismatch = get_selected (self);
  g_autoptr(SohoaPage) page = NULL;
  g_autofree char *heading = NULL;
  gboolean may_decide;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  if (mismatch == NULL)
    return;

  page = find_page (self, mismatch->document_id);
  sohoa_page_view_set_page (self->page_view, page);

  /* Translators: field label, then the document's number in the batch */
  heading = g_strdup_printf (_("%s, document %u"), field_label (self, mismatch->key), mismatch->document_number);
  gtk_label_set_label (self->field_label, heading);
  show_value (self->first_label, mismatch->first_value);
  show_value (self->second_label, mismatch->second_value);
  gtk_editable_set_text (GTK_EDITABLE (self->other_entry), "");

  /* The keyers see no values and may not decide. */
  may_decide = mismatch->first_value != NULL && mismatch->second_value != NULL;
  gtk_widget_set_sensitive (self->first_button, may_decide);
  gtk_widget_set_sensitive (self->second_button, may_decide);
  gtk_widget_set_sensitive (self->other_button, may_decide);
  gtk_widget_set_sensitive (GTK_WIDGET (self->other_entry), may_decide);
}

static gboolean
reload (SohoaArbitrationView  *self,
        guint                  select,
        GError               **error)
{
  g_autoptr(GPtrArray) mismatches = NULL;
  GtkWidget *child;

  if (!(mismatches = sohoa_store_list_mismatches (sohoa_context_get_store (self->context),
                                                  sohoa_context_get_user (self->context),
                                                  sohoa_batch_get_id (self->batch), error)))
    return FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->mismatch_list))))
    gtk_list_box_remove (self->mismatch_list, child);
  g_clear_pointer (&self->mismatches, g_ptr_array_unref);
  self->mismatches = g_steal_pointer (&mismatches);

  for (guint i = 0; i < self->mismatches->len; i++)
    {
      SohoaMismatch *mismatch = g_ptr_array_index (self->mismatches, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *where = g_strdup_printf (_("Document %u"), mismatch->document_number);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field_label (self, mismatch->key));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      gtk_list_box_append (self->mismatch_list, row);
    }

  gtk_stack_set_visible_child_name (self->stack, self->mismatches->len > 0 ? "mismatches" : "empty");
  if (self->mismatches->len > 0)
    gtk_list_box_select_row (self->mismatch_list,
                             gtk_list_box_get_row_at_index (self->mismatch_list, MIN (select, self->mismatches->len - 1)));
  return TRUE;
}

static void
decide (SohoaArbitrationView *self,
        SohoaArbitration      choice)
{
  g_autoptr(GError) error = NULL;

  if (!sohoa_arbitration_view_decide (self, choice, gtk_editable_get_text (GTK_EDITABLE (self->other_entry)), &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

/* Callbacks */

static void
row_selected_cb (SohoaArbitrationView *self,
                 GtkListBoxRow        *row,
                 GtkListBox           *list)
{
  show_selected (self);
}

static void
first_clicked_cb (SohoaArbitrationView *self)
{
  decide (self, SOHOA_ARBITRATE_FIRST);
}

static void
second_clicked_cb (SohoaArbitrationView *self)
{
  decide (self, SOHOA_ARBITRATE_SECOND);
}

static void
other_clicked_cb (SohoaArbitrationView *self)
{
  decide (self, SOHOA_ARBITRATE_OTHER);
}

/* GObject */

static void
sohoa_arbitration_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SOHOA_TYPE_ARBITRATION_VIEW);

  G_OBJECT_CLASS (sohoa_arbitration_view_parent_class)->dispose (object);
}

static void
sohoa_arbitration_view_finalize (GObject *object)
{
  SohoaArbitrationView *self = (SohoaArbitrationView *) object;

  g_clear_object (&self->context);
  g_clear_object (&self->batch);
  g_clear_object (&self->pages);
  g_clear_pointer (&self->mismatches, g_ptr_array_unref);

  G_OBJECT_CLASS (sohoa_arbitration_view_parent_class)->finalize (object);
}

static void
sohoa_arbitration_view_class_init (SohoaArbitrationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_arbitration_view_dispose;
  object_class->finalize = sohoa_arbitration_view_finalize;

  g_type_ensure (SOHOA_TYPE_PAGE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-arbitration-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, window_title);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, stack);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, mismatch_list);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, page_view);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, field_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, first_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, second_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, first_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, second_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, other_entry);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, other_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaArbitrationView, error_label);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, first_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, second_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, other_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sohoa_arbitration_view_init (SohoaArbitrationView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * sohoa_arbitration_view_new:
 *
 * Returns: (transfer none) (nullable): the window, owned by GTK until it
 *   closes; %NULL with @error set when the batch cannot be read
 */
SohoaArbitrationView *
sohoa_arbitration_view_new (GtkWindow     *parent,
                            SohoaContext  *context,
                            SohoaBatch    *batch,
                            GError       **error)
{
  g_autoptr(GListModel) pages = NULL;
  SohoaArbitrationView *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (SOHOA_IS_BATCH (batch), NULL);

  if (!(pages = sohoa_store_list_pages (sohoa_context_get_store (context), sohoa_batch_get_id (batch), error)))
    return NULL;

  self = g_object_new (SOHOA_TYPE_ARBITRATION_VIEW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->batch = g_object_ref (batch);
  self->pages = g_steal_pointer (&pages);
  adw_window_title_set_subtitle (self->window_title, sohoa_batch_get_title (batch));

  if (!reload (self, 0, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  return self;
}

guint
sohoa_arbitration_view_get_n_items (SohoaArbitrationView *self)
{
  g_return_val_if_fail (SOHOA_IS_ARBITRATION_VIEW (self), 0);

  return self->mismatches ? self->mismatches->len : 0;
}

/**
 * sohoa_arbitration_view_decide:
 * @value: (nullable): the value typed, for %SOHOA_ARBITRATE_OTHER
 *
 * Settles the selected disagreement and moves on to the next one.
 */
gboolean
sohoa_arbitration_view_decide (SohoaArbitrationView  *self,
                               SohoaArbitration       choice,
                               const char            *value,
                               GError               **error)
{
  SohoaMismatch *mismatch;
  GtkListBoxRow *row;

  g_return_val_if_fail (SOHOA_IS_ARBITRATION_VIEW (self), FALSE);

  if (!(mismatch = get_selected (self)))
    return TRUE;
  row = gtk_list_box_get_selected_row (self->mismatch_list);
  if (!sohoa_store_arbitrate (sohoa_context_get_store (self->context), sohoa_context_get_user (self->context),
                              mismatch->record_id, mismatch->key, choice, value, error))
    return FALSE;
  return reload (self, (guint) gtk_list_box_row_get_index (row), error);
}
