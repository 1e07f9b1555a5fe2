/* sohoa-upload-preferences.c
 *
 * Where packages are sent: the city's storage server, the bucket, the
 * access key (GSettings) and the secret key (the keyring, through
 * libsecret, when Sohoa is built with it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-upload-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "sohoa-upload-preferences.h"

#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

struct _SohoaUploadPreferences
{
  AdwPreferencesPage  parent_instance;

  /* template widgets */
  AdwEntryRow        *endpoint_row;
  AdwEntryRow        *bucket_row;
  AdwEntryRow        *region_row;
  AdwEntryRow        *prefix_row;
  AdwEntryRow        *access_key_row;
  AdwEntryRow        *secret_key_row;
  GtkSpinButton      *part_size_spin;
  GtkLabel           *secret_status_label;

  /* owned */
  GSettings          *settings;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (SohoaUploadPreferences, sohoa_upload_preferences, ADW_TYPE_PREFERENCES_PAGE)

#ifdef HAVE_LIBSECRET
static const SecretSchema *
get_secret_schema (void)
{
  static const SecretSchema schema = {
    "io.github.sohoa.Sohoa.Upload", SECRET_SCHEMA_NONE,
    {
      { "endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "access-key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}
#endif

/* Loading the configuration ---------------------------------------------- */

static SohoaUploadConfig *
config_from_settings (GSettings *settings)
{
  /* The environment (SOHOA_S3_*, as for sohoa-cli) is the fallback for
   * what the settings leave empty, and the only place for the secret key
   * when there is no keyring (CI, a bare session). */
  SohoaUploadConfig *config = sohoa_upload_config_new_from_env ();
  const char * const keys[] = { "upload-endpoint", "upload-bucket", "upload-region",
                                "upload-access-key", "upload-prefix" };
  char **fields[] = { &config->endpoint, &config->bucket, &config->region,
                      &config->access_key, &config->prefix };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = g_settings_get_string (settings, keys[i]);

      if (*value)
        {
          g_free (*fields[i]);
          *fields[i] = g_steal_pointer (&value);
        }
    }
  config->part_size = (guint64) g_settings_get_uint (settings, "upload-part-size") * 1024 * 1024;
  return config;
}

typedef struct
{
  SohoaUploadConfig *config;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  sohoa_upload_config_free (load->config);
  g_free (load);
}

#ifdef HAVE_LIBSECRET
static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *load = g_task_get_task_data (task);
  char *secret = secret_password_lookup_finish (result, &error);

  if (error)
    g_debug ("No secret key from the keyring: %s", error->message);
  if (secret)
    {
      g_free (load->config->secret_key);
      load->config->secret_key = g_strdup (secret);
      secret_password_free (secret);
    }
  g_task_return_pointer (task, g_steal_pointer (&load->config), (GDestroyNotify) sohoa_upload_config_free);
}
#endif

void
sohoa_upload_preferences_load_config_async (GSettings           *settings,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load = g_new0 (LoadData, 1);

  g_return_if_fail (G_IS_SETTINGS (settings));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sohoa_upload_preferences_load_config_async);
  load->config = config_from_settings (settings);
  g_task_set_task_data (task, load, load_data_free);

#ifdef HAVE_LIBSECRET
  if (load->config->endpoint && *load->config->endpoint &&
      load->config->access_key && *load->config->access_key)
    {
      secret_password_lookup (get_secret_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                              "endpoint", load->config->endpoint,
                              "access-key", load->config->access_key,
                              NULL);
      return;
    }
#endif
  g_task_return_pointer (task, g_steal_pointer (&load->config), (GDestroyNotify) sohoa_upload_config_free);
}

SohoaUploadConfig *
sohoa_upload_preferences_load_config_finish (GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The secret key --------------------------------------------------------- */

static void
set_secret_status (SohoaUploadPreferences *self,
                   const char             *status)
{
  gtk_label_set_label (self->secret_status_label, status);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_status_label), status != NULL);
}

#ifdef HAVE_LIBSECRET
static void
store_secret_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SohoaUploadPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->secret_key_row), "");
      set_secret_status (self, _("The secret key is saved in the keyring."));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *status = g_strdup_printf (_("The secret key could not be saved in the keyring (%s)."),
                                                 error->message);
      set_secret_status (self, status);
    }
}

static void
check_secret_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SohoaUploadPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_secret_status (self, secret ? _("The secret key is saved in the keyring.")
                                  : _("No secret key is saved yet."));
  if (secret)
    secret_password_free (secret);
}
#endif

static void
check_secret (SohoaUploadPreferences *self)
{
#ifdef HAVE_LIBSECRET
  g_autofree char *endpoint = g_settings_get_string (self->settings, "upload-endpoint");
  g_autofree char *access_key = g_settings_get_string (self->settings, "upload-access-key");

  if (*endpoint == '\0' || *access_key == '\0')
    {
      set_secret_status (self, NULL);
      return;
    }
  secret_password_lookup (get_secret_schema (), self->cancellable, check_secret_cb, g_object_ref (self),
                          "endpoint", endpoint, "access-key", access_key, NULL);
#else
  set_secret_status (self, _("This build of Sohoa has no keyring: the secret key is read from SOHOA_S3_SECRET_KEY."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_key_row), FALSE);
#endif
}

/* Callbacks -------------------------------------------------------------- */

static void
secret_apply_cb (SohoaUploadPreferences *self,
                 AdwEntryRow            *row)
{
#ifdef HAVE_LIBSECRET
  g_autofree char *endpoint = g_settings_get_string (self->settings, "upload-endpoint");
  g_autofree char *access_key = g_settings_get_string (self->settings, "upload-access-key");
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (row));

  if (*endpoint == '\0' || *access_key == '\0')
    {
      set_secret_status (self, _("Enter the server and the access key first."));
      return;
    }
  if (*secret == '\0')
    return;
  secret_password_store (get_secret_schema (), SECRET_COLLECTION_DEFAULT,
                         _("Sohoa upload secret key"), secret, self->cancellable,
                         store_secret_cb, g_object_ref (self),
                         "endpoint", endpoint, "access-key", access_key, NULL);
#endif
}

static void
settings_changed_cb (SohoaUploadPreferences *self,
                     const char             *key,
                     GSettings              *settings)
{
  if (g_str_equal (key, "upload-endpoint") || g_str_equal (key, "upload-access-key"))
    check_secret (self);
}

/* Object ----------------------------------------------------------------- */

static void
sohoa_upload_preferences_dispose (GObject *object)
{
  SohoaUploadPreferences *self = (SohoaUploadPreferences *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOHOA_TYPE_UPLOAD_PREFERENCES);

  G_OBJECT_CLASS (sohoa_upload_preferences_parent_class)->dispose (object);
}

static void
sohoa_upload_preferences_finalize (GObject *object)
{
  SohoaUploadPreferences *self = (SohoaUploadPreferences *) object;

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sohoa_upload_preferences_parent_class)->finalize (object);
}

static void
sohoa_upload_preferences_class_init (SohoaUploadPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sohoa_upload_preferences_dispose;
  object_class->finalize = sohoa_upload_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sohoa/Sohoa/sohoa-upload-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, bucket_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, region_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, secret_key_row);
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, part_size_spin);
  gtk_widget_class_bind_template_child (widget_class, SohoaUploadPreferences, secret_status_label);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
}

static void
sohoa_upload_preferences_init (SohoaUploadPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "upload-endpoint", self->endpoint_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "upload-bucket", self->bucket_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "upload-region", self->region_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "upload-prefix", self->prefix_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "upload-access-key", self->access_key_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "upload-part-size", self->part_size_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  check_secret (self);
}

/**
 * sohoa_upload_preferences_new:
 *
 * Returns: (transfer floating): the upload page, for the preferences window
 */
GtkWidget *
sohoa_upload_preferences_new (void)
{
  return g_object_new (SOHOA_TYPE_UPLOAD_PREFERENCES, NULL);
}
