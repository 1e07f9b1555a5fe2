/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-context.h"

G_BEGIN_DECLS

/* sohoa-cli upload [--package ID | --all] and sohoa-cli outbox [--add FILE
 * --batch ID]; @argv[0] is the command name. */
int sohoa_cli_upload (SohoaContext  *context,
                      const char    *user_name,
                      int            argc,
                      char         **argv);
int sohoa_cli_outbox (SohoaContext  *context,
                      const char    *user_name,
                      int            argc,
                      char         **argv);

G_END_DECLS
