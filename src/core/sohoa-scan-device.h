/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A scanner as SANE lists it: "name" is what to open ("test:0",
 * "airscan:e0:Canon MF240"), the rest is for people to read. */
#define SOHOA_TYPE_SCAN_DEVICE (sohoa_scan_device_get_type ())
G_DECLARE_FINAL_TYPE (SohoaScanDevice, sohoa_scan_device, SOHOA, SCAN_DEVICE, GObject)

SohoaScanDevice *sohoa_scan_device_new        (const char      *name,
                                               const char      *vendor,
                                               const char      *model,
                                               const char      *kind);
const char      *sohoa_scan_device_get_name   (SohoaScanDevice *self);
const char      *sohoa_scan_device_get_vendor (SohoaScanDevice *self);
const char      *sohoa_scan_device_get_model  (SohoaScanDevice *self);
const char      *sohoa_scan_device_get_kind   (SohoaScanDevice *self);
char            *sohoa_scan_device_dup_label  (SohoaScanDevice *self);

G_END_DECLS
