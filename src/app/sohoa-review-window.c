/* sohoa-review-window.c
 *
 * The supervisor's review of a submitted batch: each record beside its
 * page, approved or returned with a reason one by one, and the batch
 * approved once every record is.  Sensitive fields stay masked until the
 * supervisor asks to see them, and that look is audited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-review-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-review-window.h"

#include "sohoa-page-view.h"

struct _SohoaReviewWindow
{
  AdwWindow       parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  GtkListBox     *record_list;
  SohoaPageView  *page_view;
  GtkLabel       *reason_label;
  GtkListBox     *field_list;
  GtkEntry       *reason_entry;

  /* owned */
  SohoaContext   *context;
  SohoaBatch     *batch;
  GPtrArray      *reviews;     /* SohoaRecordReview, in document order */
  GListModel     *pages;

  /* state */
  guint           current;     /* index into reviews */
};

G_DEFINE_FINAL_TYPE (SohoaReviewWindow, sohoa_review_window, ADW_TYPE_WINDOW)

enum {
  BATCH_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static SohoaRecordReview *
get_current (SohoaReviewWindow *self)
{
  if (self->reviews == NULL || self->current >= self->reviews->len)
    return NULL;
  return g_ptr_array_index (self->reviews, self->current);
}

static void
show_message (SohoaReviewWindow *self,
              const char        *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
update_actions (SohoaReviewWindow *self)
{
  SohoaRecordReview *review = get_current (self);
  gboolean submitted = sohoa_batch_get_state (self->batch) == SOHOA_BATCH_SUBMITTED;
  gboolean all_approved = self->reviews != NULL && self->reviews->len > 0;

  for (guint i = 0; self->reviews && i < self->reviews->len; i++)
    {
      SohoaRecordReview *each = g_ptr_array_index (self->reviews, i);

      all_approved &= each->state == SOHOA_REVIEW_APPROVED;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve-record",
                                 submitted && review != NULL && review->record_id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.return-record",
                                 submitted && review != NULL && review->record_id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.approve-batch", submitted && all_approved);
}

static char *
dup_state_text (SohoaRecordReview *review)
{
  if (review->record_id == 0)
    return g_strdup (_("Nothing keyed"));
  if (review->state == SOHOA_REVIEW_RETURNED && review->reason)
    /* Translators: a review state, then the supervisor's reason */
    return g_strdup_printf (_("%s: %s"), sohoa_review_state_get_label (review->state), review->reason);
  return g_strdup (sohoa_review_state_get_label (review->state));
}

static void
fill_record_list (SohoaReviewWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->record_list))))
    gtk_list_box_remove (self->record_list, child);

  for (guint i = 0; i < self->reviews->len; i++)
    {
      SohoaRecordReview *review = g_ptr_array_index (self->reviews, i);
      g_autofree char *title = g_strdup_printf (_("Record %u"), review->position);
      g_autofree char *state = dup_state_text (review);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), state);
      if (review->state != SOHOA_REVIEW_PENDING)
        {
          icon = gtk_image_new_from_icon_name (review->state == SOHOA_REVIEW_APPROVED ? "emblem-ok-symbolic"
                                                                                      : "edit-undo-symbolic");
          gtk_widget_add_css_class (icon, review->state == SOHOA_REVIEW_APPROVED ? "success" : "error");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          sohoa_review_state_get_label (review->state), -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
        }
      gtk_list_box_append (self->record_list, row);
    }
}

static void
show_sensitive_cb (GtkButton *button,
                   gpointer   user_data)
{
  SohoaReviewWindow *self = SOHOA_REVIEW_WINDOW (user_data);
  SohoaRecordReview *review = get_current (self);
  GtkLabel *label = g_object_get_data (G_OBJECT (button), "label");
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  const char *value = g_object_get_data (G_OBJECT (button), "value");
  const char *keys[] = { key, NULL };
  g_autoptr(GError) error = NULL;

  if (review == NULL)
    return;

  /* The look is logged before anything is shown. */
  if (!sohoa_store_log_view (sohoa_context_get_store (self->context),
                             sohoa_context_get_user (self->context),
                             review->record_id, keys, &error))
    {
      show_message (self, error->message);
      return;
    }
  gtk_label_set_text (label, value);
  gtk_widget_set_visible (GTK_WIDGET (button), FALSE);
}

static void
fill_fields (SohoaReviewWindow *self)
{
  SohoaRecordReview *review = get_current (self);
  SohoaSchema *schema = sohoa_context_lookup_schema (self->context, sohoa_batch_get_schema_id (self->batch));
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->field_list))))
    gtk_list_box_remove (self->field_list, child);

  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), FALSE);
  if (review == NULL || schema == NULL)
    return;

  if (review->state == SOHOA_REVIEW_RETURNED && review->reason)
    {
      g_autofree char *text = g_strdup_printf (_("Returned: %s"), review->reason);

      gtk_label_set_text (self->reason_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), TRUE);
    }

  if (review->record_id != 0 &&
      !(values = sohoa_store_get_fields (sohoa_context_get_store (self->context), review->record_id, &error)))
    {
      show_message (self, error->message);
      return;
    }

  for (guint i = 0; i < sohoa_schema_get_n_fields (schema); i++)
    {
      const SohoaSchemaField *field = sohoa_schema_get_field (schema, i);
      const char *value = values ? g_hash_table_lookup (values, field->key) : NULL;
      gboolean empty = value == NULL || *value == '\0';
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *caption = gtk_label_new (field->label);
      GtkWidget *label = gtk_label_new (NULL);

      /* Like the entry form: the field's name small above its value, so
       * long names and long values both have the row's width. */
      gtk_widget_set_margin_top (box, 8);
      gtk_widget_set_margin_bottom (box, 8);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_label_set_xalign (GTK_LABEL (caption), 0.0);
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), !field->sensitive);
      gtk_widget_set_hexpand (texts, TRUE);
      gtk_box_append (GTK_BOX (texts), caption);
      gtk_box_append (GTK_BOX (texts), label);
      gtk_box_append (GTK_BOX (box), texts);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL, -1);

      if (empty)
        {
          gtk_label_set_text (GTK_LABEL (label), "—");
          gtk_widget_add_css_class (label, "dim-label");
        }
      else if (field->sensitive)
        {
          GtkWidget *show = gtk_button_new_with_label (_("Show"));

          /* Masked in the list; one click shows it and is audited. */
          gtk_label_set_text (GTK_LABEL (label), "••••••");
          gtk_widget_set_valign (show, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (show, _("Showing this field is recorded in the audit log"));
          g_object_set_data (G_OBJECT (show), "label", label);
          g_object_set_data_full (G_OBJECT (show), "key", g_strdup (field->key), g_free);
          g_object_set_data_full (G_OBJECT (show), "value", g_strdup (value), g_free);
          g_signal_connect (show, "clicked", G_CALLBACK (show_sensitive_cb), self);
          gtk_box_append (GTK_BOX (box), show);
        }
      else
        {
          gtk_label_set_text (GTK_LABEL (label), value);
          gtk_widget_add_css_class (label, "heading");
        }

      gtk_list_box_append (self->field_list, row);
    }
}

static void
show_page (SohoaReviewWindow *self)
{
  SohoaRecordReview *review = get_current (self);

  for (guint i = 0; review && i < g_list_model_get_n_items (self->pages); i++)
    {
      g_autoptr(SohoaPage) page = g_list_model_get_item (self->pages, i);

      if (sohoa_page_get_document_id (page) == review->document_id)
        {
          sohoa_page_view_set_page (self->page_view, page);
          return;
        }
    }
  sohoa_page_view_set_page (self->page_view, NULL);
}

static void
select_record (SohoaReviewWindow *self,
               guint              index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->record_list, (int) index);

  if (row != NULL)
    gtk_list_box_select_row (self->record_list, row);
}

static gboolean
reload (SohoaReviewWindow  *self,
        GError            **error)
{
  SohoaStore *store = sohoa_context_get_store (self->context);
  GPtrArray *reviews;

  if (!sohoa_store_refresh_batch (store, self->batch, error) ||
      !(reviews = sohoa_store_list_reviews (store, sohoa_batch_get_id (self->batch), error)))
    return FALSE;
  g_clear_pointer (&self->reviews, g_ptr_array_unref);
  self->reviews = reviews;
  fill_record_list (self);
  return TRUE;
}

static void
record_selected_cb (SohoaReviewWindow *self,
                    GtkListBoxRow     *row,
                    GtkListBox        *list)
{
  if (row == NULL)
    return;
  self->current = (guint) gtk_list_box_row_get_index (row);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), "");
  fill_fields (self);
  show_page (self);
  update_actions (self);
}

static void
judge_record (SohoaReviewWindow *self,
              SohoaReviewState   verdict)
{
  SohoaRecordReview *review = get_current (self);
  g_autoptr(GError) error = NULL;
  guint next;

  if (review == NULL)
    return;

  if (!sohoa_store_review_record (sohoa_context_get_store (self->context),
                                  sohoa_context_get_user (self->context),
                                  review->record_id, verdict,
                                  gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)),
                                  &error))
    {
      show_message (self, error->message);
      if (verdict == SOHOA_REVIEW_RETURNED)
        gtk_widget_grab_focus (GTK_WIDGET (self->reason_entry));
      return;
    }

  /* On to the next record still waiting, so the review goes by keyboard. */
  next = self->current;
  if (!reload (self, &error))
    {
      show_message (self, error->message);
      return;
    }
  for (guint i = 1; i <= self->reviews->len; i++)
    {
      guint candidate = (self->current + i) % self->reviews->len;
      SohoaRecordReview *each = g_ptr_array_index (self->reviews, candidate);

      if (each->state == SOHOA_REVIEW_PENDING && each->record_id != 0)
        {
          next = candidate;
          break;
        }
    }
  select_record (self, next);
  g_signal_emit (self, signals[BATCH_CHANGED], 0);
}

static void
approve_record_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  judge_record (SOHOA_REVIEW_WINDOW (widget), SOHOA_REVIEW_APPROVED);
}

static void
return_record_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  judge_record (SOHOA_REVIEW_WINDOW (widget), SOHOA_REVIEW_RETURNED);
}

static void
approve_batch_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SohoaReviewWindow *self = SOHOA_REVIEW_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!sohoa_store_approve_batch (sohoa_context_get_store (self->context),
                                  sohoa_context_get_user (self->context),
                                  sohoa_batch_get_id (self->batch), &error))
    {
      show_message (self, error->message);
      return;
    }
  sohoa_store_refresh_batch (sohoa_context_get_store (self->context), self->batch, NULL);
  g_signal_emit (self, signals[BATCH_CHANGED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
sohoa_review_window_dispose (GObject *object)
{
  SohoaReviewWindow *self = SOHOA_REVIEW_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_REVIEW_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->batch);
  g_clear_object (&self->pages);
  g_clear_pointer (&self->reviews, g_ptr_array_unref);

  G_OBJECT_CLASS (sohoa_review_window_parent_class)->dispose (object);
}

static void
sohoa_review_window_class_init (SohoaReviewWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_review_window_dispose;

  /**
   * SohoaReviewWindow::batch-changed:
   *
   * A verdict was given: the batch's window should show its new state.
   */
  signals[BATCH_CHANGED] = g_signal_new ("batch-changed",
                                         G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  g_type_ensure (SOHOA_TYPE_PAGE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-review-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaReviewWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SohoaReviewWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SohoaReviewWindow, record_list);
  gtk_widget_class_bind_template_child (widget_class, SohoaReviewWindow, page_view);
  gtk_widget_class_bind_template_child (widget_class, SohoaReviewWindow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaReviewWindow, field_list);
  gtk_widget_class_bind_template_child (widget_class, SohoaReviewWindow, reason_entry);
  gtk_widget_class_bind_template_callback (widget_class, record_selected_cb);

  gtk_widget_class_install_action (widget_class, "review.approve-record", NULL, approve_record_action);
  gtk_widget_class_install_action (widget_class, "review.return-record", NULL, return_record_action);
  gtk_widget_class_install_action (widget_class, "review.approve-batch", NULL, approve_batch_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "review.approve-record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sohoa_review_window_init (SohoaReviewWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->reason_entry, "activate", G_CALLBACK (return_record_action), self);
}

/**
 * sohoa_review_window_new:
 * @parent: the main window
 * @context: the signed-in workspace
 * @batch: a submitted batch
 * @error: where a failure to read the batch goes
 *
 * Returns: (transfer none) (nullable): the review window, or %NULL
 */
GtkWidget *
sohoa_review_window_new (GtkWindow     *parent,
                         SohoaContext  *context,
                         SohoaBatch    *batch,
                         GError       **error)
{
  SohoaReviewWindow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (SOHOA_IS_BATCH (batch), NULL);

  self = g_object_new (SOHOA_TYPE_REVIEW_WINDOW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->batch = g_object_ref (batch);

  if (!(self->pages = sohoa_store_list_pages (sohoa_context_get_store (context), sohoa_batch_get_id (batch), error)) ||
      !reload (self, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  subtitle = g_strdup_printf (_("%s · %s"), sohoa_batch_get_title (batch),
                              sohoa_batch_state_get_label (sohoa_batch_get_state (batch)));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  select_record (self, 0);
  update_actions (self);
  return GTK_WIDGET (self);
}
