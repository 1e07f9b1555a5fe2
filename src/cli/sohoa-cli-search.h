/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-core.h"

G_BEGIN_DECLS

/* Commands of sohoa-cli that live in files of their own; each gets the
 * opened workspace, the --user given (or NULL) and its arguments with
 * argv[0] the command name. */
int sohoa_cli_search (SohoaContext *context,
                      const char   *user_name,
                      int           argc,
                      char        **argv);

G_END_DECLS
