/* sohoa-preferences-window.c
 *
 * The workstation's settings: the hot folder a network scanner writes
 * to, OCR behind capture, what the scan dialog offers first, the key that
 * signs packages and where packages are uploaded.  Every row writes its
 * GSettings key at once; the window watches the keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-preferences-window.h"
#include "sohoa-upload-preferences.h"

struct _SohoaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwActionRow         *hot_folder_row;
  GtkWidget            *clear_button;
  GtkSwitch            *auto_ocr_switch;
  AdwComboRow          *source_row;
  AdwComboRow          *resolution_row;
  GtkSwitch            *color_switch;
  AdwComboRow          *signing_source_row;
  AdwEntryRow          *signing_url_row;
  AdwEntryRow          *signing_file_row;
  AdwEntryRow          *trusted_ca_row;

  /* owned */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (SohoaPreferencesWindow, sohoa_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* GTK 4.10 has GtkFileDialog and deprecates the file chooser; the floor is
 * 4.8.  Use the dialog only where both the headers and the version macros
 * allow it. */
#if GTK_CHECK_VERSION (4, 10, 0)
# if GDK_VERSION_MAX_ALLOWED >= GDK_VERSION_4_10
#  define USE_FILE_DIALOG 1
# endif
#endif

static const char * const sources[] = { "flatbed", "feeder", "duplex" };
static const char * const signing_sources[] = { "pkcs11", "pkcs12" };
static const int resolutions[] = { 200, 300, 400, 600 };

static void
show_hot_folder (SohoaPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "hot-folder");

  adw_action_row_set_subtitle (self->hot_folder_row, path[0] ? path : _("None"));
  gtk_widget_set_visible (self->clear_button, path[0] != '\0');
}

#ifdef USE_FILE_DIALOG
static void
folder_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SohoaPreferencesWindow) self = user_data;
  g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, NULL);
  g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

  if (path)
    g_settings_set_string (self->settings, "hot-folder", path);
}
#else
static void
folder_response_cb (SohoaPreferencesWindow *self,
                    int                     response,
                    GtkFileChooserNative   *native)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      if (path)
        g_settings_set_string (self->settings, "hot-folder", path);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
}
#endif

static void
choose_clicked_cb (SohoaPreferencesWindow *self,
                   GtkButton              *button)
{
#ifdef USE_FILE_DIALOG
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Choose the Hot Folder"));
  gtk_file_dialog_set_modal (dialog, TRUE);
  gtk_file_dialog_select_folder (dialog, GTK_WINDOW (self), NULL, folder_chosen_cb, g_object_ref (self));
#else
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Choose the Hot Folder"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (folder_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
#endif
}

static void
clear_clicked_cb (SohoaPreferencesWindow *self,
                  GtkButton              *button)
{
  g_settings_set_string (self->settings, "hot-folder", "");
}

static gboolean
source_to_row (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  const char *source = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (g_str_equal (source, sources[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
row_to_source (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  return g_variant_new_string (sources[MIN (g_value_get_uint (value), G_N_ELEMENTS (sources) - 1)]);
}

static gboolean
signing_source_to_row (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  g_value_set_uint (value, g_str_equal (g_variant_get_string (variant, NULL), "pkcs12") ? 1 : 0);
  return TRUE;
}

static GVariant *
row_to_signing_source (const GValue       *value,
                       const GVariantType *expected_type,
                       gpointer            user_data)
{
  return g_variant_new_string (signing_sources[MIN (g_value_get_uint (value), G_N_ELEMENTS (signing_sources) - 1)]);
}

static gboolean
resolution_to_row (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  int dpi = g_variant_get_int32 (variant);
  guint row = 0;

  for (guint i = 0; i < G_N_ELEMENTS (resolutions); i++)
    if (resolutions[i] <= dpi)
      row = i;
  g_value_set_uint (value, row);
  return TRUE;
}

static GVariant *
row_to_resolution (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  return g_variant_new_int32 (resolutions[MIN (g_value_get_uint (value), G_N_ELEMENTS (resolutions) - 1)]);
}

static void
sohoa_preferences_window_dispose (GObject *object)
{
  SohoaPreferencesWindow *self = SOHOA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (sohoa_preferences_window_parent_class)->dispose (object);
}

static void
sohoa_preferences_window_class_init (SohoaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, hot_folder_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, clear_button);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, auto_ocr_switch);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, source_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, color_switch);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, signing_source_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, signing_url_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, signing_file_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, trusted_ca_row);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
}

static void
sohoa_preferences_window_init (SohoaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "auto-ocr", self->auto_ocr_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "scan-color", self->color_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "scan-source", self->source_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, source_to_row, row_to_source, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "scan-resolution", self->resolution_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, resolution_to_row, row_to_resolution, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::hot-folder", G_CALLBACK (show_hot_folder), self,
                           G_CONNECT_SWAPPED);
  show_hot_folder (self);

  g_settings_bind_with_mapping (self->settings, "signing-source", self->signing_source_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, signing_source_to_row, row_to_signing_source, NULL, NULL);
  g_settings_bind (self->settings, "signing-pkcs11-url", self->signing_url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "signing-pkcs12-path", self->signing_file_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "trusted-ca-path", self->trusted_ca_row, "text", G_SETTINGS_BIND_DEFAULT);

  /* Where packages go: the server, the bucket and the keys. */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (sohoa_upload_preferences_new ()));
}

GtkWidget *
sohoa_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (SOHOA_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}
