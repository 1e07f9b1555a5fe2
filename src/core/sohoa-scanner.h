/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sohoa-scan-device.h"

G_BEGIN_DECLS

typedef enum
{
  SOHOA_SCAN_SOURCE_FLATBED,
  SOHOA_SCAN_SOURCE_FEEDER,
  SOHOA_SCAN_SOURCE_DUPLEX,
} SohoaScanSource;

typedef enum
{
  SOHOA_SCAN_MODE_COLOR,
  SOHOA_SCAN_MODE_GRAY,
} SohoaScanMode;

/* TT 05/2025 asks for at least 200 dpi; 300 dpi keeps small print legible
 * for OCR. */
#define SOHOA_SCAN_DEFAULT_RESOLUTION 300
#define SOHOA_SCAN_MIN_RESOLUTION     200

/* What to scan.  All zeros is a sensible default: the first scanner found,
 * one page from the flatbed, in colour at 300 dpi.  Backend options are
 * SANE option names ("page-height=297", "swdeskew=yes"); some backends
 * keep them for the scans that follow. */
typedef struct
{
  const char         *device;          /* nullable: the first scanner found */
  SohoaScanSource     source;
  SohoaScanMode       mode;
  guint               resolution;      /* dpi; 0 means 300, below 200 is raised to 200 */
  guint               max_pages;       /* feeder: 0 scans until it is empty */
  const char * const *backend_options; /* nullable, NULL-terminated "name=value" set last */
} SohoaScanOptions;

/* The one place Sohoa talks to SANE.  Every libsane call runs on the
 * scanner's own worker thread; results arrive on the main context the
 * scanner was created in.  libsane is process-wide: keep one scanner per
 * process (a second one waits until the first is finalized). */
#define SOHOA_TYPE_SCANNER (sohoa_scanner_get_type ())
G_DECLARE_FINAL_TYPE (SohoaScanner, sohoa_scanner, SOHOA, SCANNER, GObject)

SohoaScanner *sohoa_scanner_new                 (void);
void          sohoa_scanner_list_devices_async  (SohoaScanner            *self,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
GListModel   *sohoa_scanner_list_devices_finish (SohoaScanner            *self,
                                                 GAsyncResult            *result,
                                                 GError                 **error);
guint         sohoa_scanner_scan                (SohoaScanner            *self,
                                                 const SohoaScanOptions  *options,
                                                 const char              *out_dir);
void          sohoa_scanner_cancel              (SohoaScanner            *self,
                                                 guint                    job_id);
guint         sohoa_scanner_get_job             (SohoaScanner            *self);
gboolean      sohoa_scanner_get_busy            (SohoaScanner            *self);

gboolean      sohoa_scan_source_from_string     (const char              *str,
                                                 SohoaScanSource         *source);
const char   *sohoa_scan_source_to_string       (SohoaScanSource          source);

G_END_DECLS
