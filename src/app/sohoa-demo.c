/* sohoa-demo.c
 *
 * A demo workspace for training and trying Sohoa out: the ward of Sài Gòn,
 * an operator, a supervisor and an administrator, and one batch of freshly
 * drawn sample pages ready to be recognized and keyed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sohoa-demo.h"

#include "sohoa-sample-page.h"

#define DEMO_SCHEMA_ID "ho-tich.khai-sinh"
#define DEMO_DPI       200

typedef struct
{
  const char *name;
  const char *full_name;
  SohoaRole   role;
} DemoUser;

/* The passwords are the user names; the login page says so in demo mode. */
static const DemoUser demo_users[] = {
  { "canbo", "Nguyễn Thị Lan", SOHOA_ROLE_OPERATOR },
  { "giamsat", "Trần Văn Minh", SOHOA_ROLE_SUPERVISOR },
};

static const struct {
  SohoaSampleKind kind;
  guint           seed;
} demo_pages[] = {
  { SOHOA_SAMPLE_BIRTH_EXTRACT, 1 },
  { SOHOA_SAMPLE_BIRTH_EXTRACT, 2 },
  { SOHOA_SAMPLE_REGISTER, 3 },
};

typedef struct
{
  SohoaStore *store;        /* the worker's own connection */
  SohoaJob   *job;
  SohoaUser  *operator;
  char       *batch_title;
  char       *tmp_dir;
  GPtrArray  *files;        /* GFile */
  gint64      batch_id;
} DemoData;

static void
demo_data_free (gpointer data)
{
  DemoData *demo = data;

  if (demo->files != NULL)
    {
      for (guint i = 0; i < demo->files->len; i++)
        g_file_delete (g_ptr_array_index (demo->files, i), NULL, NULL);
      g_ptr_array_unref (demo->files);
    }
  if (demo->tmp_dir != NULL)
    g_rmdir (demo->tmp_dir);

  g_clear_object (&demo->store);
  g_clear_object (&demo->job);
  g_clear_object (&demo->operator);
  g_free (demo->batch_title);
  g_free (demo->tmp_dir);
  g_free (demo);
}

static void
prepare_demo_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  DemoData *demo = task_data;
  g_autoptr(SohoaUser) admin = NULL;
  g_autoptr(SohoaBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  guint total = G_N_ELEMENTS (demo_pages) + 1;

  sohoa_job_report (demo->job, 0, total, _("Creating the demo accounts…"));

  if (!(admin = sohoa_store_initialize (demo->store,
                                        SOHOA_DEMO_WARD_CODE,
                                        SOHOA_DEMO_WARD_NAME,
                                        "admin",
                                        "Quản trị viên",
                                        "admin",
                                        &error)))
    goto failed;

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_autoptr(SohoaUser) user = NULL;

      user = sohoa_store_add_user (demo->store,
                                   admin,
                                   demo_users[i].name,
                                   demo_users[i].full_name,
                                   demo_users[i].role,
                                   demo_users[i].name,
                                   &error);
      if (user == NULL)
        goto failed;

      if (demo_users[i].role == SOHOA_ROLE_OPERATOR)
        g_set_object (&demo->operator, user);
    }

  if (!(batch = sohoa_store_create_batch (demo->store, demo->operator,
                                          DEMO_SCHEMA_ID, demo->batch_title,
                                          &error)))
    goto failed;
  demo->batch_id = sohoa_batch_get_id (batch);

  if (!(demo->tmp_dir = g_dir_make_tmp ("sohoa-demo-XXXXXX", &error)))
    goto failed;

  for (guint i = 0; i < G_N_ELEMENTS (demo_pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("trang-%02u.png", i + 1);
      g_autofree char *path = g_build_filename (demo->tmp_dir, name, NULL);

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        goto failed;

      sohoa_job_report (demo->job, i + 1, total, _("Drawing the sample pages…"));

      if (!sohoa_sample_page_render_png (demo_pages[i].kind,
                                         demo_pages[i].seed,
                                         DEMO_DPI,
                                         NULL,
                                         path,
                                         NULL,
                                         &error))
        goto failed;

      g_ptr_array_add (demo->files, g_file_new_for_path (path));
    }

  g_task_return_boolean (task, TRUE);
  return;

failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
import_demo_pages_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SohoaContext *context = SOHOA_CONTEXT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(SohoaImportReport) report = NULL;
  DemoData *demo = g_task_get_task_data (task);
  GError *error = NULL;

  if (!(report = sohoa_import_files_finish (context, result, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (demo->operator), g_object_unref);
}

static void
prepare_demo_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SohoaContext *context = SOHOA_CONTEXT (object);
  g_autoptr(GTask) task = user_data;
  DemoData *demo = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The import records who brought the pages in. */
  sohoa_context_set_user (context, demo->operator);

  sohoa_import_files_async (context,
                            demo->batch_id,
                            DEMO_SCHEMA_ID,
                            (GFile **) demo->files->pdata,
                            demo->files->len,
                            demo->job,
                            import_demo_pages_cb,
                            g_steal_pointer (&task));
}

/**
 * sohoa_demo_create_async:
 * @context: the context of an empty workspace
 * @job: reports progress and carries the cancellable
 * @callback: called when the demo workspace is ready
 * @user_data: data for @callback
 *
 * Fills an empty workspace with the demo ward, its accounts (admin/admin,
 * canbo/canbo, giamsat/giamsat) and a batch of sample pages.  Account
 * hashing and page drawing run on a worker thread.
 */
void
sohoa_demo_create_async (SohoaContext        *context,
                         SohoaJob            *job,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) prepare = NULL;
  g_autoptr(GError) error = NULL;
  DemoData *demo;

  g_return_if_fail (SOHOA_IS_CONTEXT (context));
  g_return_if_fail (SOHOA_IS_JOB (job));

  task = g_task_new (context, sohoa_job_get_cancellable (job), callback, user_data);
  g_task_set_source_tag (task, sohoa_demo_create_async);

  demo = g_new0 (DemoData, 1);
  demo->job = g_object_ref (job);
  demo->files = g_ptr_array_new_with_free_func (g_object_unref);
  demo->batch_title = g_strdup (_("Sample Birth Registrations"));
  g_task_set_task_data (task, demo, demo_data_free);

  if (!(demo->store = sohoa_store_dup (sohoa_context_get_store (context), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  prepare = g_task_new (context, sohoa_job_get_cancellable (job), prepare_demo_cb, g_steal_pointer (&task));
  g_task_set_source_tag (prepare, prepare_demo_thread);
  g_task_set_task_data (prepare, demo, NULL);
  g_task_run_in_thread (prepare, prepare_demo_thread);
}

/**
 * sohoa_demo_create_finish:
 * @context: a #SohoaContext
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the operator account to sign in with, or %NULL
 */
SohoaUser *
sohoa_demo_create_finish (SohoaContext  *context,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (g_task_is_valid (result, context), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
