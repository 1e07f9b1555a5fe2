/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-store.h"

G_BEGIN_DECLS

/* One entry of a register book as keyed: its number (so), its book
 * (quyenSo) and the year of its registration date. */
typedef struct
{
  gint64  record_id;
  guint   position;     /* the document's place in the batch, from 1 */
  char   *book;         /* quyenSo as keyed, "" when empty */
  int     year;         /* of ngayDangKy */
  gint64  number;       /* so */
} SohoaRegisterEntry;

typedef enum
{
  SOHOA_REGISTER_GAP,
  SOHOA_REGISTER_DUPLICATE,
} SohoaRegisterIssueKind;

typedef struct
{
  SohoaRegisterIssueKind  kind;
  char                   *book;
  int                     year;
  gint64                  first;       /* gap: first number missing; duplicate: the number */
  gint64                  last;        /* gap: last number missing; duplicate: the number */
  GArray                 *positions;   /* duplicate: guint, the documents that share it */
} SohoaRegisterIssue;

void        sohoa_register_entry_free     (SohoaRegisterEntry *entry);
void        sohoa_register_issue_free     (SohoaRegisterIssue *issue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaRegisterIssue, sohoa_register_issue_free)

GPtrArray  *sohoa_register_check          (GPtrArray          *entries);
GPtrArray  *sohoa_register_check_batch    (SohoaStore         *store,
                                           gint64              batch_id,
                                           guint              *n_skipped,
                                           GError            **error);
char       *sohoa_register_issue_describe (const SohoaRegisterIssue *issue);

G_END_DECLS
