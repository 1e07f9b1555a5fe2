/* sohoa-texture-loader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void        sohoa_load_texture_async  (const char           *path,
                                       int                   max_size,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GdkTexture *sohoa_load_texture_finish (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
