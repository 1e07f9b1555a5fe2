/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-types"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-types.h"

G_DEFINE_QUARK (sohoa-error-quark, sohoa_error)

static const char * const role_names[] = { "operator", "supervisor", "admin" };
static const char * const state_names[] = { "open", "submitted", "approved", "rejected",
                                             "packaged", "uploaded", "acknowledged" };

const char *
sohoa_role_to_string (SohoaRole role)
{
  g_return_val_if_fail (role <= SOHOA_ROLE_ADMIN, NULL);
  return role_names[role];
}

gboolean
sohoa_role_from_string (const char *str,
                        SohoaRole  *role)
{
  g_return_val_if_fail (str != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (str, role_names[i]))
      {
        *role = (SohoaRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sohoa_role_get_label (SohoaRole role)
{
  switch (role)
    {
    case SOHOA_ROLE_OPERATOR: return _("Operator");
    case SOHOA_ROLE_SUPERVISOR: return _("Supervisor");
    case SOHOA_ROLE_ADMIN: return _("Administrator");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
sohoa_batch_state_to_string (SohoaBatchState state)
{
  g_return_val_if_fail (state <= SOHOA_BATCH_ACKNOWLEDGED, NULL);
  return state_names[state];
}

const char *
sohoa_batch_state_get_label (SohoaBatchState state)
{
  switch (state)
    {
    case SOHOA_BATCH_OPEN: return _("Open");
    case SOHOA_BATCH_SUBMITTED: return _("Waiting for approval");
    case SOHOA_BATCH_APPROVED: return _("Approved");
    case SOHOA_BATCH_REJECTED: return _("Returned for correction");
    case SOHOA_BATCH_PACKAGED: return _("Packaged");
    case SOHOA_BATCH_UPLOADED: return _("Sent to the city");
    case SOHOA_BATCH_ACKNOWLEDGED: return _("Received by the city");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
sohoa_review_state_get_label (SohoaReviewState state)
{
  switch (state)
    {
    case SOHOA_REVIEW_PENDING: return _("Not reviewed");
    case SOHOA_REVIEW_APPROVED: return _("Approved");
    case SOHOA_REVIEW_RETURNED: return _("Returned");
    default: g_return_val_if_reached (NULL);
    }
}
