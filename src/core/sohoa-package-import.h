/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"
#include "sohoa-job.h"

G_BEGIN_DECLS

/* Receives a signed package (an operator's batch, approved and packaged in
 * another workspace) into this workspace, for its supervisor to review.
 *
 * The package is first checked exactly as `sohoa-cli verify` checks it
 * (sohoa_package_verify(): layout, every SHA-256, the signature and its
 * chain up to @ca_file; absolute names, "..", links, duplicates and
 * oversized files refused).  Then, in one transaction, it becomes a new
 * batch of the same form schema, in the state "submitted" (waiting for this
 * workspace's supervisor, who approves or returns it here), with one
 * document per PDF of the package, its pages (the PDF stored in pages/ as
 * an import stores it, its text layer as the pages' text) and its record
 * with every field value (NFC) and state, plus one audit row
 * "batch.receive" holding the package's OBJID, SHA-256 and signer.
 *
 * A package already received (same OBJID or same file), one made in this
 * workspace, or one whose form schema this workspace does not know is
 * refused; anything failing leaves the workspace as it was.  Only a
 * supervisor can receive a package.  Returns the new batch's id, or 0. */
gint64 sohoa_workspace_import_package        (SohoaContext        *context,
                                              const char          *path,
                                              const char          *ca_file,
                                              SohoaJob            *job,
                                              GError             **error);
void   sohoa_workspace_import_package_async  (SohoaContext        *context,
                                              const char          *path,
                                              const char          *ca_file,
                                              SohoaJob            *job,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gint64 sohoa_workspace_import_package_finish (SohoaContext        *context,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
