/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-batch.h"
#include "sohoa-page.h"
#include "sohoa-user.h"

G_BEGIN_DECLS

/* The schema version that sohoa_store_open() migrates every workspace to. */
#define SOHOA_STORE_VERSION 13

typedef struct
{
  char  *text;
  int    x;
  int    y;
  int    width;
  int    height;
  float  confidence;
  int    block;
  int    line;
  gboolean flagged;   /* for the operator to check: impossible syllable or low confidence */
  /* x, y, width, height are of the page as shown (the original turned
   * upright); these are of the image the OCR read (squared up, turned,
   * straightened), where lines of text are straight: for reading the
   * page's layout (auto-fill).  sohoa_ocr_word_new() sets them equal. */
  int    read_x;
  int    read_y;
  int    read_width;
  int    read_height;
} SohoaOcrWord;

SohoaOcrWord *sohoa_ocr_word_new  (const char   *text,
                                   int           x,
                                   int           y,
                                   int           width,
                                   int           height,
                                   float         confidence,
                                   int           block,
                                   int           line);
void          sohoa_ocr_word_free (SohoaOcrWord *word);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaOcrWord, sohoa_ocr_word_free)

/* One document of a batch as the supervisor reviews it. */
typedef struct
{
  gint64            document_id;
  guint             position;      /* counting from 1, in page order */
  gint64            record_id;     /* 0 when nothing was keyed yet */
  SohoaReviewState  state;
  char             *reason;        /* why it was last returned, or NULL */
} SohoaRecordReview;

void sohoa_record_review_free (SohoaRecordReview *review);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaRecordReview, sohoa_record_review_free)
/* One stored field of a record, as the entry form shows it. */
typedef struct
{
  char            *value;       /* NFC */
  SohoaValueState  state;
  gboolean         from_ocr;    /* filled by auto-fill and not keyed since */
  double           confidence;  /* 0–100 for OCR values, -1 when unknown */
  gint64           box_page;    /* the page it was read from, 0 if none */
  int              box_x;
  int              box_y;
  int              box_width;
  int              box_height;
} SohoaFieldValue;

void sohoa_field_value_free (SohoaFieldValue *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaFieldValue, sohoa_field_value_free)

#define SOHOA_TYPE_STORE (sohoa_store_get_type ())
G_DECLARE_FINAL_TYPE (SohoaStore, sohoa_store, SOHOA, STORE, GObject)

SohoaStore  *sohoa_store_open                (const char       *path,
                                              GError          **error);
SohoaStore  *sohoa_store_dup                 (SohoaStore       *self,
                                              GError          **error);
const char  *sohoa_store_get_path            (SohoaStore       *self);
const char  *sohoa_store_get_workspace_dir   (SohoaStore       *self);
int          sohoa_store_get_version         (SohoaStore       *self);

gboolean     sohoa_store_begin               (SohoaStore       *self,
                                              GError          **error);
gboolean     sohoa_store_commit              (SohoaStore       *self,
                                              GError          **error);
void         sohoa_store_rollback            (SohoaStore       *self);

gboolean     sohoa_store_is_initialized      (SohoaStore       *self);
gboolean     sohoa_store_get_ward            (SohoaStore       *self,
                                              char            **code,
                                              char            **name);
SohoaUser   *sohoa_store_initialize          (SohoaStore       *self,
                                              const char       *ward_code,
                                              const char       *ward_name,
                                              const char       *admin_name,
                                              const char       *admin_full_name,
                                              const char       *admin_password,
                                              GError          **error);

SohoaUser   *sohoa_store_add_user            (SohoaStore       *self,
                                              SohoaUser        *actor,
                                              const char       *name,
                                              const char       *full_name,
                                              SohoaRole         role,
                                              const char       *password,
                                              GError          **error);
SohoaUser   *sohoa_store_authenticate        (SohoaStore       *self,
                                              const char       *name,
                                              const char       *password,
                                              GError          **error);
GListModel  *sohoa_store_list_users          (SohoaStore       *self,
                                              GError          **error);
GListModel  *sohoa_store_list_accounts       (SohoaStore       *self,
                                              SohoaUser        *actor,
                                              GError          **error);
gboolean     sohoa_store_set_password        (SohoaStore       *self,
                                              SohoaUser        *actor,
                                              gint64            user_id,
                                              const char       *current_password,
                                              const char       *password,
                                              GError          **error);
gboolean     sohoa_store_set_user_disabled   (SohoaStore       *self,
                                              SohoaUser        *actor,
                                              gint64            user_id,
                                              gboolean          disabled,
                                              GError          **error);

SohoaBatch  *sohoa_store_create_batch        (SohoaStore       *self,
                                              SohoaUser        *user,
                                              const char       *schema_id,
                                              const char       *title,
                                              GError          **error);
SohoaBatch  *sohoa_store_get_batch           (SohoaStore       *self,
                                              gint64            batch_id,
                                              GError          **error);
GListModel  *sohoa_store_list_batches        (SohoaStore       *self,
                                              GError          **error);
gboolean     sohoa_store_refresh_batch       (SohoaStore       *self,
                                              SohoaBatch       *batch,
                                              GError          **error);
gboolean     sohoa_store_submit_batch        (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            batch_id,
                                              GError          **error);
gboolean     sohoa_store_approve_batch       (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            batch_id,
                                              GError          **error);
gboolean     sohoa_store_reject_batch        (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            batch_id,
                                              const char       *reason,
                                              GError          **error);

gint64       sohoa_store_find_page           (SohoaStore       *self,
                                              const char       *sha256,
                                              gint64           *batch_id);
gboolean     sohoa_store_move_page           (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            page_id,
                                              guint             to_position,
                                              GError          **error);
gboolean     sohoa_store_delete_page         (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            page_id,
                                              GError          **error);
gboolean     sohoa_store_merge_duplex        (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            batch_id,
                                              GError          **error);
GListModel  *sohoa_store_list_pages          (SohoaStore       *self,
                                              gint64            batch_id,
                                              GError          **error);
gboolean     sohoa_store_save_ocr            (SohoaStore       *self,
                                              gint64            page_id,
                                              GPtrArray        *words,
                                              const char       *text,
                                              int               rotation,
                                              double            skew,
                                              gboolean          blank,
                                              GError          **error);
char        *sohoa_store_get_page_text       (SohoaStore       *self,
                                              gint64            page_id,
                                              GError          **error);
GPtrArray   *sohoa_store_get_page_words      (SohoaStore       *self,
                                              gint64            page_id,
                                              GError          **error);

char        *sohoa_store_dup_document_pdf_path (SohoaStore     *self,
                                              gint64            document_id);

gint64       sohoa_store_ensure_record       (SohoaStore       *self,
                                              gint64            document_id,
                                              const char       *schema_id,
                                              guint             schema_version,
                                              GError          **error);
gboolean     sohoa_store_set_field           (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            record_id,
                                              const char       *key,
                                              const char       *value,
                                              SohoaValueState   state,
                                              GError          **error);
/* A value read by auto-fill, for sohoa_store_fill_ocr_fields(). */
typedef struct
{
  const char *key;
  const char *value;
  double      confidence;   /* 0–100 */
  gboolean    stored;       /* out: the field was empty and now holds @value */
} SohoaOcrFieldValue;

gboolean     sohoa_store_fill_ocr_fields     (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            record_id,
                                              SohoaOcrFieldValue *values,
                                              guint             n_values,
                                              GError          **error);
GHashTable  *sohoa_store_get_fields          (SohoaStore       *self,
                                              gint64            record_id,
                                              GError          **error);
GHashTable  *sohoa_store_get_field_values    (SohoaStore       *self,
                                              gint64            record_id,
                                              GError          **error);
gboolean     sohoa_store_set_field_source    (SohoaStore       *self,
                                              gint64            record_id,
                                              const char       *key,
                                              gint64            page_id,
                                              int               x,
                                              int               y,
                                              int               width,
                                              int               height,
                                              GError          **error);

GPtrArray   *sohoa_store_list_reviews        (SohoaStore       *self,
                                              gint64            batch_id,
                                              GError          **error);
gboolean     sohoa_store_review_record       (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            record_id,
                                              SohoaReviewState  verdict,
                                              const char       *reason,
                                              GError          **error);

gboolean     sohoa_store_log_view            (SohoaStore       *self,
                                              SohoaUser        *user,
                                              gint64            record_id,
                                              const char * const *keys,
                                              GError          **error);
gboolean     sohoa_store_append_audit        (SohoaStore       *self,
                                              SohoaUser        *user,
                                              const char       *action,
                                              const char       *entity,
                                              gint64            entity_id,
                                              const char       *detail_json,
                                              GError          **error);
gboolean     sohoa_store_verify_audit        (SohoaStore       *self,
                                              guint            *n_rows,
                                              GError          **error);

G_END_DECLS
