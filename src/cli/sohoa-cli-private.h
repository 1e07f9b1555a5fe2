/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-core.h"

G_BEGIN_DECLS

typedef struct
{
  SohoaContext *context;
  const char   *user_name;
} Cli;

gboolean sohoa_cli_sign_in            (Cli     *cli,
                                       GError **error);

/* sohoa-cli-package.c */
int      sohoa_cli_package            (Cli     *cli,
                                       int      argc,
                                       char   **argv);
int      sohoa_cli_verify             (int      argc,
                                       char   **argv);
int      sohoa_cli_import_package     (int      argc,
                                       char   **argv);

G_END_DECLS
