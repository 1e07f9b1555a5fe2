/* sohoa-preferences-window.c
 *
 * The workstation's settings: the hot folder a network scanner writes
 * to, OCR behind capture (its languages and how many pages at once), what
 * the scan dialog offers first, the workspace and its double-keying rule,
 * the key that signs packages and where packages are uploaded.  Every row
 * writes its GSettings key at once; the window watches the keys.  The
 * application hands the OCR keys to the core's context, which the OCR
 * queue reads at each run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-preferences-window.h"
#include "sohoa-file-chooser.h"
#include "sohoa-upload-preferences.h"
#include "sohoa-window.h"
#include "sohoa-workspace-preferences.h"

struct _SohoaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwActionRow         *hot_folder_row;
  GtkWidget            *clear_button;
  GtkSwitch            *auto_ocr_switch;
  AdwExpanderRow       *languages_row;
  AdwActionRow         *threads_row;
  GtkSpinButton        *threads_spin;
  GtkAdjustment        *threads_adjustment;
  AdwComboRow          *source_row;
  AdwComboRow          *resolution_row;
  GtkSwitch            *color_switch;
  AdwComboRow          *signing_source_row;
  AdwEntryRow          *signing_url_row;
  AdwEntryRow          *signing_file_row;
  AdwEntryRow          *trusted_ca_row;

  /* owned */
  GSettings            *settings;
  GCancellable         *cancellable;
  GPtrArray            *language_checks;  /* GtkCheckButton, with "sohoa-language" */

  /* state */
  gboolean              showing_languages; /* the checks follow the setting */
};

G_DEFINE_FINAL_TYPE (SohoaPreferencesWindow, sohoa_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

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

static void
hot_folder_chosen_cb (GFile    *folder,
                      gpointer  user_data)
{
  SohoaPreferencesWindow *self = user_data;
  g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

  if (path)
    g_settings_set_string (self->settings, "hot-folder", path);
}

static void
choose_clicked_cb (SohoaPreferencesWindow *self,
                   GtkButton              *button)
{
  sohoa_choose_file (GTK_WINDOW (self), _("Choose the Hot Folder"), SOHOA_CHOOSE_FOLDER, NULL,
                     hot_folder_chosen_cb, g_object_ref (self), g_object_unref);
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

/* Text recognition --------------------------------------------------------- */

static const struct { const char *code; const char *name; } language_names[] = {
  { "vie", N_("Vietnamese") },
  { "eng", N_("English") },
  { "fra", N_("French") },
  { "chi_sim", N_("Chinese (Simplified)") },
  { "chi_tra", N_("Chinese (Traditional)") },
  { "khm", N_("Khmer") },
  { "lao", N_("Lao") },
};

static const char *
language_name (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (language_names); i++)
    if (g_str_equal (code, language_names[i].code))
      return _(language_names[i].name);
  return code;
}

static void
show_languages (SohoaPreferencesWindow *self)
{
  g_autofree char *setting = g_settings_get_string (self->settings, "ocr-language");
  g_auto(GStrv) codes = g_strsplit (setting, "+", -1);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; codes[i]; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", language_name (codes[i]));
  adw_expander_row_set_subtitle (self->languages_row, names->str);

  self->showing_languages = TRUE;
  for (guint i = 0; self->language_checks && i < self->language_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->language_checks, i);
      const char *code = g_object_get_data (G_OBJECT (check), "sohoa-language");

      gtk_check_button_set_active (check, g_strv_contains ((const char * const *) codes, code));
    }
  self->showing_languages = FALSE;
}

/* Vietnamese first: Tesseract treats the first language as the main one. */
static void
language_toggled_cb (SohoaPreferencesWindow *self,
                     GtkCheckButton         *check)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) codes = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *setting = g_settings_get_string (self->settings, "ocr-language");

  if (self->showing_languages)
    return;
  for (guint i = 0; i < self->language_checks->len; i++)
    {
      GtkCheckButton *other = g_ptr_array_index (self->language_checks, i);

      if (gtk_check_button_get_active (other))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (other), "sohoa-language"));
    }
  codes = g_strv_builder_end (builder);
  if (codes[0] == NULL)
    {
      /* At least one language: ticking the last one off is undone. */
      show_languages (self);
      return;
    }
  joined = g_strjoinv ("+", codes);
  if (!g_str_equal (joined, setting))
    g_settings_set_string (self->settings, "ocr-language", joined);
}

static void
list_languages_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  GStrv languages = sohoa_ocr_list_languages (&error);

  if (languages)
    g_task_return_pointer (task, languages, (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, error);
}

static void
languages_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) languages = g_task_propagate_pointer (G_TASK (result), &error);
  SohoaPreferencesWindow *self;
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SOHOA_PREFERENCES_WINDOW (object);
  if (languages == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      gtk_widget_add_css_class (row, "error");
      adw_expander_row_add_row (self->languages_row, row);
      return;
    }

  /* Vietnamese, then English, then the others as Tesseract lists them. */
  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; languages[i]; i++)
      if ((pass == 0 && g_str_equal (languages[i], "vie")) ||
          (pass == 1 && g_str_equal (languages[i], "eng")) ||
          (pass == 2 && !g_str_equal (languages[i], "vie") && !g_str_equal (languages[i], "eng")))
        g_ptr_array_add (order, languages[i]);

  for (guint i = 0; i < order->len; i++)
    {
      const char *code = g_ptr_array_index (order, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_name (row, code);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), language_name (code));
      /* bench/ocr-language-bench.sh: vie+eng makes 2.3-2.6 times the
       * diacritic errors of vie alone. */
      if (g_str_equal (code, "eng"))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                     _("Measured: more than twice the wrong marks on Vietnamese pages"));
      else if (g_str_equal (code, "vie"))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Reads Vietnamese pages best on its own"));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (check), "sohoa-language", g_strdup (code), g_free);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->languages_row, row);
      g_ptr_array_add (self->language_checks, check);
    }
  show_languages (self);
  for (guint i = 0; i < self->language_checks->len; i++)
    g_signal_connect_object (g_ptr_array_index (self->language_checks, i), "toggled",
                             G_CALLBACK (language_toggled_cb), self, G_CONNECT_SWAPPED);
}

/* 0 in the setting is one per core, the most the spin button offers. */
static gboolean
threads_to_spin (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  guint n = g_variant_get_uint32 (variant);
  guint cores = MAX (1, g_get_num_processors ());

  g_value_set_double (value, n == 0 ? cores : MIN (n, cores));
  return TRUE;
}

static GVariant *
spin_to_threads (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  guint n = (guint) g_value_get_double (value);

  return g_variant_new_uint32 (n >= (guint) MAX (1, g_get_num_processors ()) ? 0 : n);
}

static void
sohoa_preferences_window_dispose (GObject *object)
{
  SohoaPreferencesWindow *self = SOHOA_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->language_checks, g_ptr_array_unref);
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
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, languages_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, threads_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, SohoaPreferencesWindow, threads_adjustment);
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
  g_autoptr(GTask) task = NULL;
  g_autofree char *threads_note = NULL;
  guint cores = MAX (1, g_get_num_processors ());

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->language_checks = g_ptr_array_new ();

  /* The window opens as big as it was last closed. */
  g_settings_bind (self->settings, "preferences-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "preferences-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);

  /* Text recognition: the languages installed, listed off the main thread
   * (Tesseract has to load one to tell), and the pages read at once. */
  g_signal_connect_object (self->settings, "changed::ocr-language", G_CALLBACK (show_languages), self,
                           G_CONNECT_SWAPPED);
  show_languages (self);
  task = g_task_new (self, self->cancellable, languages_listed_cb, NULL);
  g_task_set_source_tag (task, sohoa_preferences_window_init);
  g_task_run_in_thread (task, list_languages_thread);

  gtk_adjustment_set_upper (self->threads_adjustment, cores);
  threads_note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Each page read takes one processor core; this computer has %u.",
                                               "Each page read takes one processor core; this computer has %u.",
                                               cores),
                                  cores);
  adw_action_row_set_subtitle (self->threads_row, threads_note);
  g_settings_bind_with_mapping (self->settings, "ocr-threads", self->threads_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, threads_to_spin, spin_to_threads, NULL, NULL);
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

}

/**
 * sohoa_preferences_window_new:
 * @parent: (nullable): the window it belongs to; a #SohoaWindow gives the
 *   workspace (and the signed-in user) the workspace page shows
 */
GtkWidget *
sohoa_preferences_window_new (GtkWindow *parent)
{
  SohoaPreferencesWindow *self;
  SohoaContext *context = NULL;

  self = g_object_new (SOHOA_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  if (parent && SOHOA_IS_WINDOW (parent))
    context = sohoa_window_get_context (SOHOA_WINDOW (parent));

  /* The workspace: its folder and its double-keying rule. */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (sohoa_workspace_preferences_new (context)));

  /* Where packages go: the server, the bucket and the keys. */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (sohoa_upload_preferences_new ()));
  return GTK_WIDGET (self);
}
