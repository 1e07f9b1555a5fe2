/* sohoa-batch-row.c
 *
 * One batch in the sidebar: its title, where it is in the approval flow and
 * how many pages it holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-batch-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-batch-row.h"

struct _SohoaBatchRow
{
  AdwBin        parent_instance;

  /* template widgets */
  GtkLabel     *title_label;
  GtkLabel     *state_label;
  GtkLabel     *pages_label;
  GtkLabel     *note_label;

  /* owned */
  SohoaBatch   *batch;
  GSignalGroup *batch_signals;
};

G_DEFINE_FINAL_TYPE (SohoaBatchRow, sohoa_batch_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BATCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_classes[] = { "open", "submitted", "approved", "rejected",
                                               "packaged", "uploaded", "acknowledged" };

static void
update_labels (SohoaBatchRow *self)
{
  g_autofree char *pages = NULL;
  SohoaBatchState state;
  const char *note;
  guint n_pages;

  if (self->batch == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->state_label, "");
      gtk_label_set_label (self->pages_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), FALSE);
      return;
    }

  state = sohoa_batch_get_state (self->batch);
  n_pages = sohoa_batch_get_n_pages (self->batch);
  pages = g_strdup_printf (ngettext ("%u page", "%u pages", n_pages), n_pages);

  gtk_label_set_label (self->title_label, sohoa_batch_get_title (self->batch));
  gtk_label_set_label (self->state_label, sohoa_batch_get_state_label (self->batch));
  gtk_label_set_label (self->pages_label, pages);

  /* Why the supervisor returned the batch, for the operator to fix. */
  note = sohoa_batch_get_note (self->batch);
  gtk_label_set_label (self->note_label, note);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label),
                          state == SOHOA_BATCH_REJECTED && note != NULL && note[0] != '\0');

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      if (i == (guint) state)
        gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
    }
}

static void
sohoa_batch_row_dispose (GObject *object)
{
  SohoaBatchRow *self = (SohoaBatchRow *) object;

  if (self->batch_signals != NULL)
    g_signal_group_set_target (self->batch_signals, NULL);
  g_clear_object (&self->batch_signals);
  g_clear_object (&self->batch);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_BATCH_ROW);

  G_OBJECT_CLASS (sohoa_batch_row_parent_class)->dispose (object);
}

static void
sohoa_batch_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SohoaBatchRow *self = SOHOA_BATCH_ROW (object);

  switch (prop_id)
    {
    case PROP_BATCH:
      g_value_set_object (value, self->batch);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_batch_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SohoaBatchRow *self = SOHOA_BATCH_ROW (object);

  switch (prop_id)
    {
    case PROP_BATCH:
      sohoa_batch_row_set_batch (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_batch_row_class_init (SohoaBatchRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_batch_row_dispose;
  object_class->get_property = sohoa_batch_row_get_property;
  object_class->set_property = sohoa_batch_row_set_property;

  properties[PROP_BATCH] =
    g_param_spec_object ("batch", NULL, NULL,
                         SOHOA_TYPE_BATCH,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-batch-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaBatchRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaBatchRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaBatchRow, pages_label);
  gtk_widget_class_bind_template_child (widget_class, SohoaBatchRow, note_label);

  gtk_widget_class_set_css_name (widget_class, "batchrow");
}

static void
sohoa_batch_row_init (SohoaBatchRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->batch_signals = g_signal_group_new (SOHOA_TYPE_BATCH);
  g_signal_group_connect_swapped (self->batch_signals,
                                  "notify",
                                  G_CALLBACK (update_labels),
                                  self);
}

GtkWidget *
sohoa_batch_row_new (void)
{
  return g_object_new (SOHOA_TYPE_BATCH_ROW, NULL);
}

SohoaBatch *
sohoa_batch_row_get_batch (SohoaBatchRow *self)
{
  g_return_val_if_fail (SOHOA_IS_BATCH_ROW (self), NULL);

  return self->batch;
}

void
sohoa_batch_row_set_batch (SohoaBatchRow *self,
                           SohoaBatch    *batch)
{
  g_return_if_fail (SOHOA_IS_BATCH_ROW (self));
  g_return_if_fail (!batch || SOHOA_IS_BATCH (batch));

  if (!g_set_object (&self->batch, batch))
    return;

  g_signal_group_set_target (self->batch_signals, batch);
  update_labels (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
}
