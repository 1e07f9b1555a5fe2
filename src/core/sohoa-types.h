/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SOHOA_ERROR (sohoa_error_quark ())

typedef enum
{
  SOHOA_ERROR_FAILED,
  SOHOA_ERROR_DATABASE,
  SOHOA_ERROR_WORKSPACE,
  SOHOA_ERROR_NOT_FOUND,
  SOHOA_ERROR_CORRUPT_IMAGE,
  SOHOA_ERROR_TOO_LARGE,
  SOHOA_ERROR_UNSUPPORTED,
  SOHOA_ERROR_SCHEMA,
  SOHOA_ERROR_STATE,
  SOHOA_ERROR_PERMISSION,
  SOHOA_ERROR_AUTH,
  SOHOA_ERROR_OCR,
  SOHOA_ERROR_INVALID,
  SOHOA_ERROR_NO_SCANNER,
  SOHOA_ERROR_SCANNER_BUSY,
  SOHOA_ERROR_PAPER_JAM,
  SOHOA_ERROR_COVER_OPEN,
  SOHOA_ERROR_FEEDER_EMPTY,
  SOHOA_ERROR_SCANNER,
} SohoaError;

typedef enum
{
  SOHOA_ROLE_OPERATOR,
  SOHOA_ROLE_SUPERVISOR,
  SOHOA_ROLE_ADMIN,
} SohoaRole;

typedef enum
{
  SOHOA_BATCH_OPEN,
  SOHOA_BATCH_SUBMITTED,
  SOHOA_BATCH_APPROVED,
  SOHOA_BATCH_REJECTED,
  SOHOA_BATCH_PACKAGED,       /* its archival package is made */
  SOHOA_BATCH_UPLOADED,       /* the package is on the city's storage */
  SOHOA_BATCH_ACKNOWLEDGED,   /* the city confirmed it received the package */
} SohoaBatchState;

typedef enum
{
  SOHOA_OCR_PENDING,
  SOHOA_OCR_DONE,
  SOHOA_OCR_FAILED,
} SohoaOcrState;

typedef enum
{
  SOHOA_FIELD_TEXT,
  SOHOA_FIELD_PERSON_NAME,
  SOHOA_FIELD_DATE,
  SOHOA_FIELD_CCCD,
  SOHOA_FIELD_CMND,
  SOHOA_FIELD_CODE,
  SOHOA_FIELD_HCMC_UNIT,
  SOHOA_FIELD_NUMBER,
  SOHOA_FIELD_DOC_NUMBER,
} SohoaFieldType;

typedef enum
{
  SOHOA_VALUE_EMPTY,
  SOHOA_VALUE_FILLED,
  SOHOA_VALUE_ILLEGIBLE,
  SOHOA_VALUE_UNCERTAIN,
} SohoaValueState;

/* A supervisor's verdict on one record of a submitted batch. */
typedef enum
{
  SOHOA_REVIEW_PENDING,
  SOHOA_REVIEW_APPROVED,
  SOHOA_REVIEW_RETURNED,
} SohoaReviewState;

GQuark      sohoa_error_quark          (void);

const char *sohoa_role_to_string       (SohoaRole       role);
gboolean    sohoa_role_from_string     (const char     *str,
                                        SohoaRole      *role);
const char *sohoa_role_get_label       (SohoaRole       role);
const char *sohoa_batch_state_to_string (SohoaBatchState state);
const char *sohoa_batch_state_get_label (SohoaBatchState state);
const char *sohoa_review_state_get_label (SohoaReviewState state);

G_END_DECLS
