/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-schema.h"
#include "sohoa-search-hit.h"
#include "sohoa-store.h"

G_BEGIN_DECLS

#define SOHOA_SEARCH_DEFAULT_LIMIT 50

gboolean    sohoa_store_register_search_fields (SohoaStore           *self,
                                                SohoaSchema          *schema,
                                                GError              **error);
GListModel *sohoa_store_search                 (SohoaStore           *self,
                                                const char           *query,
                                                guint                 limit,
                                                GError              **error);
void        sohoa_store_search_async           (SohoaStore           *self,
                                                const char           *query,
                                                guint                 limit,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GListModel *sohoa_store_search_finish          (SohoaStore           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
char       *sohoa_search_build_match           (const char           *query);

G_END_DECLS
