/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-core.h"

G_BEGIN_DECLS

/* Double keying from the command line; like sohoa_cli_search(), each gets
 * the opened workspace, the --user given (or NULL) and its arguments. */
int sohoa_cli_key2       (SohoaContext *context,
                          const char   *user_name,
                          int           argc,
                          char        **argv);
int sohoa_cli_arbitrate  (SohoaContext *context,
                          const char   *user_name,
                          int           argc,
                          char        **argv);
int sohoa_cli_mismatches (SohoaContext *context,
                          const char   *user_name,
                          int           argc,
                          char        **argv);

G_END_DECLS
