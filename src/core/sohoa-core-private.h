/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "sohoa-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  gint64      batch_id;
  const char *sha256;
  guint       frame;
  const char *ext;
  const char *source_name;
  gint64      size;
  guint       width;
  guint       height;
  guint       dpi;
} SohoaNewPage;

/* Paths inside the workspace, derived from content hashes. */
char   *_sohoa_workspace_original_path  (const char     *workspace_dir,
                                         const char     *sha256,
                                         const char     *ext);
char   *_sohoa_workspace_display_path   (const char     *workspace_dir,
                                         const char     *sha256,
                                         guint           frame,
                                         const char     *ext);
char   *_sohoa_workspace_thumbnail_path (const char     *workspace_dir,
                                         const char     *sha256,
                                         guint           frame);

/* Upright copies of turned pages (sohoa-page-adjust.c). */
int     _sohoa_rotation_normalize       (int             degrees);
char   *_sohoa_workspace_upright_path   (const char     *workspace_dir,
                                         const char     *sha256,
                                         guint           frame,
                                         int             rotation);
char   *_sohoa_workspace_upright_thumbnail_path (const char *thumbnail_path,
                                                 int         rotation);
gboolean _sohoa_workspace_write_upright (const char     *original_path,
                                         const char     *thumbnail_path,
                                         const char     *upright_path,
                                         const char     *upright_thumbnail_path,
                                         int             rotation,
                                         GError        **error);
char   *_sohoa_workspace_hocr_path      (const char     *workspace_dir,
                                         gint64          page_id);

gint64  _sohoa_store_add_page           (SohoaStore         *self,
                                         SohoaUser          *user,
                                         const SohoaNewPage *page,
                                         GError            **error);
gboolean _sohoa_store_migrate           (SohoaStore         *self,
                                         const char * const *migrations,
                                         guint               n_migrations,
                                         GError            **error);
const char * const *_sohoa_store_get_migrations (guint *n_migrations);
sqlite3 *_sohoa_store_get_db            (SohoaStore         *self);
gboolean _sohoa_remove_tree             (const char         *path);

G_END_DECLS
