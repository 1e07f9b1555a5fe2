/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-context"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sohoa-context.h"
#include "sohoa-search.h"

struct _SohoaContext
{
  GObject     parent_instance;

  /* owned */
  char       *workspace_dir;
  SohoaStore *store;
  GListStore *schemas;
  SohoaUser  *user;
  SohoaValidator *validator;

  /* state: how OCR reads, as the application's settings say */
  GMutex      ocr_lock;       /* OCR threads read them while the main thread sets them */
  char       *ocr_language;
  guint       ocr_threads;
};

G_DEFINE_FINAL_TYPE (SohoaContext, sohoa_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USER,
  PROP_OCR_LANGUAGE,
  PROP_OCR_THREADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sohoa_context_dispose (GObject *object)
{
  SohoaContext *self = (SohoaContext *) object;

  g_clear_object (&self->user);
  g_clear_object (&self->schemas);
  g_clear_pointer (&self->validator, sohoa_validator_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sohoa_context_parent_class)->dispose (object);
}

static void
sohoa_context_finalize (GObject *object)
{
  SohoaContext *self = (SohoaContext *) object;

  g_clear_pointer (&self->workspace_dir, g_free);
  g_clear_pointer (&self->ocr_language, g_free);
  g_mutex_clear (&self->ocr_lock);

  G_OBJECT_CLASS (sohoa_context_parent_class)->finalize (object);
}

static void
sohoa_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SohoaContext *self = SOHOA_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_USER: g_value_set_object (value, self->user); break;
    case PROP_OCR_LANGUAGE: g_value_set_string (value, self->ocr_language); break;
    case PROP_OCR_THREADS: g_value_set_uint (value, self->ocr_threads); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_context_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SohoaContext *self = SOHOA_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_USER: sohoa_context_set_user (self, g_value_get_object (value)); break;
    case PROP_OCR_LANGUAGE: sohoa_context_set_ocr_language (self, g_value_get_string (value)); break;
    case PROP_OCR_THREADS: sohoa_context_set_ocr_threads (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_context_class_init (SohoaContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sohoa_context_dispose;
  object_class->finalize = sohoa_context_finalize;
  object_class->get_property = sohoa_context_get_property;
  object_class->set_property = sohoa_context_set_property;

  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, SOHOA_TYPE_USER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The Tesseract languages OCR reads with, "vie" or e.g. "vie+eng". */
  properties[PROP_OCR_LANGUAGE] =
    g_param_spec_string ("ocr-language", NULL, NULL, "vie",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How many pages are read at once; 0: one per core. */
  properties[PROP_OCR_THREADS] =
    g_param_spec_uint ("ocr-threads", NULL, NULL, 0, 64, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_context_init (SohoaContext *self)
{
  self->schemas = g_list_store_new (SOHOA_TYPE_SCHEMA);
  g_mutex_init (&self->ocr_lock);
  self->ocr_language = g_strdup ("vie");
}

/**
 * sohoa_context_default_workspace_dir:
 *
 * Returns: (transfer full): `$SOHOA_WORKSPACE`, or `$XDG_DATA_HOME/sohoa`
 */
char *
sohoa_context_default_workspace_dir (void)
{
  const char *env = g_getenv ("SOHOA_WORKSPACE");

  if (env && *env)
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "sohoa", NULL);
}

/**
 * sohoa_context_find_data_dir:
 *
 * Returns: (transfer full): where the built-in schemas and reference data
 *   are: `$SOHOA_DATADIR`, the installed data, or the source tree's `data/`
 */
char *
sohoa_context_find_data_dir (void)
{
  const char *env = g_getenv ("SOHOA_DATADIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "schemas", NULL);

  if (env && *env)
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_strdup (PKGDATADIR);
  return g_strdup (SOHOA_SOURCE_DATADIR);
}

/**
 * sohoa_context_open:
 * @workspace_dir: the workspace folder, created if missing
 *
 * Opens (and if needed creates and migrates) a workspace.
 */
SohoaContext *
sohoa_context_open (const char  *workspace_dir,
                    GError     **error)
{
  g_autoptr(SohoaContext) self = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *data_dir = sohoa_context_find_data_dir ();
  g_autofree char *builtin = g_build_filename (data_dir, "schemas", NULL);
  g_autofree char *received = NULL;
  static const char * const subdirs[] = { "pages", "derived", "outbox", "schemas" };

  g_return_val_if_fail (workspace_dir != NULL, NULL);

  self = g_object_new (SOHOA_TYPE_CONTEXT, NULL);
  self->workspace_dir = g_canonicalize_filename (workspace_dir, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (self->workspace_dir, subdirs[i], NULL);

      if (g_mkdir_with_parents (path, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The workspace folder “%s” could not be created: %s"),
                       path, g_strerror (saved_errno));
          return NULL;
        }
    }

  db_path = g_build_filename (self->workspace_dir, "sohoa.db", NULL);
  /* The database holds citizens' records: readable by its owner only.
   * SQLite gives its -wal and -shm files the mode of the database, and
   * would create the database itself with the umask's (often 0644). */
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (db_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd >= 0)
        close (fd);
    }
  if (!(self->store = sohoa_store_open (db_path, error)))
    return NULL;

  sohoa_schema_load_dir (self->schemas, builtin);
  received = g_build_filename (self->workspace_dir, "schemas", NULL);
  sohoa_schema_load_dir (self->schemas, received);

  /* Search indexes what each form allows (never sensitive fields). */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->schemas)); i++)
    {
      g_autoptr(SohoaSchema) schema = g_list_model_get_item (G_LIST_MODEL (self->schemas), i);
      g_autoptr(GError) search_error = NULL;

      if (!sohoa_store_register_search_fields (self->store, schema, &search_error))
        g_warning ("Form %s cannot be searched: %s", sohoa_schema_get_id (schema), search_error->message);
    }

  return g_steal_pointer (&self);
}

const char *
sohoa_context_get_workspace_dir (SohoaContext *self)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);
  return self->workspace_dir;
}

SohoaStore *
sohoa_context_get_store (SohoaContext *self)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);
  return self->store;
}

/**
 * sohoa_context_get_schemas:
 *
 * Returns: (transfer none): the form schemas, sorted by id
 */
GListModel *
sohoa_context_get_schemas (SohoaContext *self)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);
  return G_LIST_MODEL (self->schemas);
}

/**
 * sohoa_context_lookup_schema:
 *
 * Returns: (transfer none) (nullable): the schema with @schema_id
 */
SohoaSchema *
sohoa_context_lookup_schema (SohoaContext *self,
                             const char   *schema_id)
{
  guint n;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (schema_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->schemas));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SohoaSchema) schema = g_list_model_get_item (G_LIST_MODEL (self->schemas), i);

      if (g_str_equal (sohoa_schema_get_id (schema), schema_id))
        return schema;
    }
  return NULL;
}

/**
 * sohoa_context_get_validator:
 *
 * Returns: (transfer none) (nullable): the checker of keyed values, or
 *   %NULL when the reference data is missing (a broken installation)
 */
SohoaValidator *
sohoa_context_get_validator (SohoaContext *self)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);

  if (self->validator == NULL)
    {
      g_autofree char *data_dir = sohoa_context_find_data_dir ();
      g_autoptr(GError) error = NULL;

      if (!(self->validator = sohoa_validator_new (data_dir, &error)))
        g_warning ("Values cannot be checked: %s", error->message);
    }
  return self->validator;
}

SohoaUser *
sohoa_context_get_user (SohoaContext *self)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);
  return self->user;
}

void
sohoa_context_set_user (SohoaContext *self,
                        SohoaUser    *user)
{
  g_return_if_fail (SOHOA_IS_CONTEXT (self));
  g_return_if_fail (!user || SOHOA_IS_USER (user));

  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

char *
sohoa_context_dup_derived_dir (SohoaContext *self)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);
  return g_build_filename (self->workspace_dir, "derived", NULL);
}

/**
 * sohoa_context_dup_ocr_language:
 *
 * Returns: (transfer full): the Tesseract languages OCR reads with,
 *   joined by "+"; "vie" unless set otherwise
 */
char *
sohoa_context_dup_ocr_language (SohoaContext *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), NULL);

  locker = g_mutex_locker_new (&self->ocr_lock);
  return g_strdup (self->ocr_language);
}

/**
 * sohoa_context_set_ocr_language:
 * @language: (nullable): Tesseract languages joined by "+", e.g. "vie+eng";
 *   %NULL or empty for "vie"
 *
 * Takes effect from the next OCR run.
 */
void
sohoa_context_set_ocr_language (SohoaContext *self,
                                const char   *language)
{
  g_return_if_fail (SOHOA_IS_CONTEXT (self));

  if (language == NULL || language[0] == '\0')
    language = "vie";
  g_mutex_lock (&self->ocr_lock);
  if (g_strcmp0 (language, self->ocr_language) == 0)
    {
      g_mutex_unlock (&self->ocr_lock);
      return;
    }
  g_free (self->ocr_language);
  self->ocr_language = g_strdup (language);
  g_mutex_unlock (&self->ocr_lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OCR_LANGUAGE]);
}

/**
 * sohoa_context_get_ocr_threads:
 *
 * Returns: how many pages OCR reads at once; 0 for one per core
 */
guint
sohoa_context_get_ocr_threads (SohoaContext *self)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (self), 0);
  return (guint) g_atomic_int_get ((gint *) &self->ocr_threads);
}

/**
 * sohoa_context_set_ocr_threads:
 * @n_threads: OCR workers, each with its own Tesseract; 0 for one per core
 *
 * Takes effect from the next OCR run.
 */
void
sohoa_context_set_ocr_threads (SohoaContext *self,
                               guint         n_threads)
{
  g_return_if_fail (SOHOA_IS_CONTEXT (self));
  g_return_if_fail (n_threads <= 64);

  if (n_threads == sohoa_context_get_ocr_threads (self))
    return;
  g_atomic_int_set ((gint *) &self->ocr_threads, (gint) n_threads);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OCR_THREADS]);
}

/**
 * sohoa_context_check_workspace_dir:
 * @dir: an absolute path
 *
 * Whether @dir can hold a workspace: it is a folder, or one that can be
 * made, and files can be written in it.  Makes the folder (and its
 * parents) when missing; writes nothing else there.
 */
gboolean
sohoa_context_check_workspace_dir (const char  *dir,
                                   GError     **error)
{
  g_autofree char *probe = NULL;
  int fd;

  g_return_val_if_fail (dir != NULL, FALSE);

  if (!g_path_is_absolute (dir))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("“%s” is not a full folder path."), dir);
      return FALSE;
    }
  if (g_file_test (dir, G_FILE_TEST_EXISTS) && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("“%s” is a file, not a folder. Choose a folder for the workspace."), dir);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The folder “%s” cannot be created (%s). Choose another folder."), dir, g_strerror (saved));
      return FALSE;
    }

  /* Permission bits do not tell about read-only mounts or ACLs: try. */
  probe = g_build_filename (dir, ".sohoa-write-test-XXXXXX", NULL);
  if ((fd = g_mkstemp_full (probe, O_RDWR, 0600)) < 0)
    {
      int saved = errno;

      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_PERMISSION,
                   _("Sohoa cannot write in the folder “%s” (%s). Choose a folder you may write in."),
                   dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  g_unlink (probe);
  return TRUE;
}
