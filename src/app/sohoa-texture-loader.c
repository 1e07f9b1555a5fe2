/* sohoa-texture-loader.c
 *
 * Decodes page images into textures on a worker thread, so a batch of
 * several hundred scans never stalls the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sohoa-texture-loader"

#include "config.h"

#include "sohoa-texture-loader.h"

typedef struct
{
  char *path;
  int   max_size;
} LoadRequest;

static void
load_request_free (gpointer data)
{
  LoadRequest *request = data;

  g_free (request->path);
  g_free (request);
}

static void
load_texture_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadRequest *request = task_data;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (request->max_size > 0)
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;

      pixbuf = gdk_pixbuf_new_from_file_at_scale (request->path,
                                                  request->max_size,
                                                  request->max_size,
                                                  TRUE,
                                                  &error);
      texture = pixbuf ? gdk_texture_new_for_pixbuf (pixbuf) : NULL;
    }
  else
    {
      texture = gdk_texture_new_from_filename (request->path, &error);
    }

  if (texture == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

/**
 * sohoa_load_texture_async:
 * @path: an image file
 * @max_size: the largest width or height wanted, or 0 for the full image
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: data for @callback
 *
 * Decodes @path on a worker thread.
 */
void
sohoa_load_texture_async (const char          *path,
                          int                  max_size,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadRequest *request;

  g_return_if_fail (path != NULL);
  g_return_if_fail (max_size >= 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  request = g_new0 (LoadRequest, 1);
  request->path = g_strdup (path);
  request->max_size = max_size;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sohoa_load_texture_async);
  g_task_set_task_data (task, request, load_request_free);
  g_task_run_in_thread (task, load_texture_thread);
}

GdkTexture *
sohoa_load_texture_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
