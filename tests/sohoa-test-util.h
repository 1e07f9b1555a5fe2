/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-core.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;
  SohoaContext *context;
  SohoaUser    *admin;
  SohoaUser    *operator;
  SohoaUser    *supervisor;
} SohoaTestWorkspace;

SohoaTestWorkspace *sohoa_test_workspace_new  (void);
void                sohoa_test_workspace_free (SohoaTestWorkspace *ws);

/* Writes a synthetic page image (PNG, JPEG, or a TIFF of @n_frames pages);
 * @seed makes its content, and so its hash, unique. */
char               *sohoa_test_write_image    (const char         *dir,
                                               const char         *name,
                                               const char         *format,
                                               guint               seed,
                                               guint               n_frames);
GFile             **sohoa_test_files          (const char         *first_path,
                                               ...) G_GNUC_NULL_TERMINATED;
void                sohoa_test_files_free     (GFile             **files);
char               *sohoa_test_run            (const char * const *argv,
                                               int                *status);
void                sohoa_test_make_signing_keys (const char      *dir,
                                                  char           **p12,
                                                  char           **ca);

/* A one-page PDF holding @text (ASCII) as text, like a searchable PDF. */
char               *sohoa_test_make_pdf       (const char         *text,
                                               gsize              *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaTestWorkspace, sohoa_test_workspace_free)

G_END_DECLS
