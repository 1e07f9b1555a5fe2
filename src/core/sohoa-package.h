/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-job.h"
#include "sohoa-sign.h"

G_BEGIN_DECLS

/* Builds the archival package of an approved batch (TT 05/2025/TT-BNV,
 * E-ARK CSIP layout), one ZIP with a single folder named after the OBJID:
 *
 *   representations/rep1/data/<mã hồ sơ>.<n>.pdf   searchable PDF per document
 *   metadata/descriptive/EAD.xml                    the records, EAD 2002
 *   metadata/preservation/PREMIS.xml                files, digitization and approval events
 *   metadata/other/records.json, records.csv        the records (CSV: UTF-8 with BOM)
 *   documentation/moj/<quyển số>.xlsx               civil-status books: the Ministry of
 *                                                   Justice sheet, one row per entry
 *   schemas/mets.xsd, schemas/xlink.xsd
 *   METS.xml                                        SHA-256 and size of every file above
 *   METS.xml.p7s                                    detached CMS signature (when signed)
 *
 * The same approved batch gives the same bytes: times come from the
 * approval, identifiers from the content, ZIP entries are stored (not
 * compressed) in a fixed order with fixed dates and permissions.  The file
 * appears atomically; the package is recorded in the store and the audit
 * log. */
gboolean sohoa_package_build        (SohoaContext        *context,
                                     gint64               batch_id,
                                     const char          *path,
                                     SohoaSigner         *signer,
                                     SohoaJob            *job,
                                     GError             **error);
void     sohoa_package_build_async  (SohoaContext        *context,
                                     gint64               batch_id,
                                     const char          *path,
                                     SohoaSigner         *signer,
                                     SohoaJob            *job,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean sohoa_package_build_finish (SohoaContext        *context,
                                     GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
