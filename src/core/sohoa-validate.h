/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-schema.h"

G_BEGIN_DECLS

typedef enum
{
  SOHOA_PROBLEM_WARNING,   /* worth a look; old registers have such errors */
  SOHOA_PROBLEM_ERROR,     /* cannot be right as keyed */
} SohoaProblemSeverity;

typedef struct
{
  char                 *key;
  SohoaProblemSeverity  severity;
  char                 *message;   /* translated */
} SohoaProblem;

void sohoa_problem_free (SohoaProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaProblem, sohoa_problem_free)

typedef enum
{
  SOHOA_DATE_YEAR,
  SOHOA_DATE_MONTH,
  SOHOA_DATE_DAY,
} SohoaDatePrecision;

/* A date as old registers give it: a year, perhaps a month, perhaps a day;
 * never a day invented to fill the gap. */
typedef struct
{
  int                year;
  int                month;      /* 0 when unknown */
  int                day;        /* 0 when unknown */
  SohoaDatePrecision precision;
  gboolean           lunar;      /* "âm lịch" / "ÂL": kept as written, not converted */
} SohoaPartialDate;

gboolean sohoa_partial_date_parse   (const char             *text,
                                     SohoaPartialDate       *date,
                                     GError                **error);
int      sohoa_partial_date_compare (const SohoaPartialDate *a,
                                     const SohoaPartialDate *b);

/* Checks values as keyed against a schema and the reference data (CCCD
 * province codes).  Holds no state between calls: use from any thread. */
typedef struct _SohoaValidator SohoaValidator;

SohoaValidator *sohoa_validator_new          (const char          *data_dir,
                                              GError             **error);
void            sohoa_validator_free         (SohoaValidator      *self);
GPtrArray      *sohoa_validator_check_record (SohoaValidator      *self,
                                              SohoaSchema         *schema,
                                              GHashTable          *values);
GPtrArray      *sohoa_validator_check_field  (SohoaValidator      *self,
                                              SohoaSchema         *schema,
                                              const char          *key,
                                              GHashTable          *values);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaValidator, sohoa_validator_free)

G_END_DECLS
