/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-scanner.h"

G_BEGIN_DECLS

/* The message for a SANE_Status, as a scan reports it.  Exposed for the
 * tests: SANE's test backend cannot report every status reliably. */
void _sohoa_scanner_set_error_from_status (GError          **error,
                                           int               status,
                                           SohoaScanSource   source);

G_END_DECLS
