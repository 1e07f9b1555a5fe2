/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-scan-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-scan-dialog.h"

/* Asks which scanner, which paper source, which resolution and whether in
 * colour, listing the scanners without blocking the window. */
struct _SohoaScanDialog
{
  AdwMessageDialog  parent_instance;

  /* template widgets */
  AdwComboRow      *device_row;
  AdwComboRow      *source_row;
  AdwComboRow      *resolution_row;
  GtkSwitch        *color_switch;

  /* owned */
  GCancellable     *cancellable;
  GListModel       *devices;
  char             *device_name;
};

G_DEFINE_FINAL_TYPE (SohoaScanDialog, sohoa_scan_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const guint resolutions[] = { 200, 300, 400, 600 };

static char *
device_label (SohoaScanDevice *device)
{
  return sohoa_scan_device_dup_label (device);
}

static void
list_devices_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SohoaScanDialog) self = user_data;
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = sohoa_scanner_list_devices_finish (SOHOA_SCANNER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (devices == NULL || g_list_model_get_n_items (devices) == 0)
    {
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                                   error ? error->message
                                         : _("No scanner was found. Check that it is connected and switched on."));
      return;
    }

  g_set_object (&self->devices, devices);
  adw_combo_row_set_expression (self->device_row,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (device_label), NULL, NULL));
  adw_combo_row_set_model (self->device_row, devices);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_row), TRUE);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               _("Put the pages in the feeder or on the glass. Each page appears in the batch as soon as it is scanned."));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "scan", TRUE);
}

static void
sohoa_scan_dialog_dispose (GObject *object)
{
  SohoaScanDialog *self = (SohoaScanDialog *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->devices);
  g_clear_pointer (&self->device_name, g_free);

  G_OBJECT_CLASS (sohoa_scan_dialog_parent_class)->dispose (object);
}

static void
sohoa_scan_dialog_class_init (SohoaScanDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_scan_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-scan-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaScanDialog, device_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaScanDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaScanDialog, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaScanDialog, color_switch);
}

static void
sohoa_scan_dialog_init (SohoaScanDialog *self)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *source = g_settings_get_string (settings, "scan-source");
  int dpi = g_settings_get_int (settings, "scan-resolution");

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* What the preferences say to offer first. */
  adw_combo_row_set_selected (self->source_row, g_str_equal (source, "duplex") ? SOHOA_SCAN_SOURCE_DUPLEX
                                                : g_str_equal (source, "feeder") ? SOHOA_SCAN_SOURCE_FEEDER
                                                : SOHOA_SCAN_SOURCE_FLATBED);
  for (guint i = 0; i < G_N_ELEMENTS (resolutions); i++)
    if ((int) resolutions[i] <= dpi)
      adw_combo_row_set_selected (self->resolution_row, i);
  gtk_switch_set_active (self->color_switch, g_settings_get_boolean (settings, "scan-color"));
}

GtkWidget *
sohoa_scan_dialog_new (GtkWindow    *parent,
                       SohoaScanner *scanner)
{
  SohoaScanDialog *self;

  g_return_val_if_fail (SOHOA_IS_SCANNER (scanner), NULL);

  self = g_object_new (SOHOA_TYPE_SCAN_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  sohoa_scanner_list_devices_async (scanner, self->cancellable, list_devices_cb, g_object_ref (self));

  return GTK_WIDGET (self);
}

/**
 * sohoa_scan_dialog_get_options:
 * @options: (out caller-allocates): filled with what the clerk chose; the
 *   device name stays valid as long as the dialog
 */
void
sohoa_scan_dialog_get_options (SohoaScanDialog  *self,
                               SohoaScanOptions *options)
{
  SohoaScanDevice *device;
  guint resolution = adw_combo_row_get_selected (self->resolution_row);

  g_return_if_fail (SOHOA_IS_SCAN_DIALOG (self));
  g_return_if_fail (options != NULL);

  *options = (SohoaScanOptions) { 0 };

  device = adw_combo_row_get_selected_item (self->device_row);
  g_clear_pointer (&self->device_name, g_free);
  if (device)
    self->device_name = g_strdup (sohoa_scan_device_get_name (device));

  options->device = self->device_name;
  options->source = (SohoaScanSource) MIN (adw_combo_row_get_selected (self->source_row), SOHOA_SCAN_SOURCE_DUPLEX);
  options->mode = gtk_switch_get_active (self->color_switch) ? SOHOA_SCAN_MODE_COLOR : SOHOA_SCAN_MODE_GRAY;
  options->resolution = resolutions[MIN (resolution, G_N_ELEMENTS (resolutions) - 1)];
}
