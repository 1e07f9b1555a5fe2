/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-core.h"

G_BEGIN_DECLS

typedef struct
{
  SohoaContext *context;
  const char   *user_name;
} Cli;

/* Helpers every command file shares (sohoa-cli.c) */
int           sohoa_cli_fail          (GError        *error);
int           sohoa_cli_usage_error   (const char    *message);
gboolean      sohoa_cli_sign_in       (Cli           *cli,
                                       GError       **error);
gboolean      sohoa_cli_parse_options (const char    *command,
                                       GOptionEntry  *entries,
                                       int           *argc,
                                       char        ***argv,
                                       GError       **error);
gboolean      sohoa_cli_parse_batch   (const char    *text,
                                       gint64        *batch_id,
                                       GError       **error);

/* Runs an asynchronous core operation to completion, printing its
 * progress and cancelling it on Ctrl+C: pass sohoa_cli_wait_done_cb and
 * the SohoaCliWait (with a new loop) to the _async call. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} SohoaCliWait;

void          sohoa_cli_wait_done_cb  (GObject       *source,
                                       GAsyncResult  *result,
                                       gpointer       user_data);
GAsyncResult *sohoa_cli_wait_for      (SohoaJob      *job,
                                       SohoaCliWait  *wait);

gint64        sohoa_cli_document_record (Cli        *cli,
                                         SohoaBatch *batch,
                                         SohoaSchema *schema,
                                         int         number,
                                         GError    **error);

/* Commands in files of their own; @argv[0] is the command name. */
int      sohoa_cli_search             (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_key2               (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_arbitrate          (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_mismatches         (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_keying_rule        (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_upload             (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_outbox             (Cli     *cli,
                                       int      argc,
                                       char   **argv);

/* sohoa-cli-package.c */
int      sohoa_cli_package            (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_verify             (int      argc,
                                       char   **argv);
int      sohoa_cli_import_package     (int      argc,
                                       char   **argv);
gboolean sohoa_cli_import_package_unpacks (int      argc,
                                           char   **argv);
int      sohoa_cli_receive_package    (Cli     *cli,
                                       int      argc,
                                       char   **argv);

G_END_DECLS
