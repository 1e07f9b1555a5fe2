/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-scan-device"

#include "config.h"

#include "sohoa-scan-device.h"

struct _SohoaScanDevice
{
  GObject  parent_instance;

  char    *name;
  char    *vendor;
  char    *model;
  char    *kind;
};

G_DEFINE_FINAL_TYPE (SohoaScanDevice, sohoa_scan_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VENDOR,
  PROP_MODEL,
  PROP_KIND,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sohoa_scan_device_finalize (GObject *object)
{
  SohoaScanDevice *self = (SohoaScanDevice *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->vendor, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (sohoa_scan_device_parent_class)->finalize (object);
}

static void
sohoa_scan_device_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SohoaScanDevice *self = SOHOA_SCAN_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_VENDOR: g_value_set_string (value, self->vendor); break;
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_LABEL: g_value_take_string (value, sohoa_scan_device_dup_label (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_scan_device_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SohoaScanDevice *self = SOHOA_SCAN_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME: self->name = g_value_dup_string (value); break;
    case PROP_VENDOR: self->vendor = g_value_dup_string (value); break;
    case PROP_MODEL: self->model = g_value_dup_string (value); break;
    case PROP_KIND: self->kind = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_scan_device_class_init (SohoaScanDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sohoa_scan_device_finalize;
  object_class->get_property = sohoa_scan_device_get_property;
  object_class->set_property = sohoa_scan_device_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_VENDOR] = g_param_spec_string ("vendor", NULL, NULL, NULL, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_scan_device_init (SohoaScanDevice *self)
{
}

SohoaScanDevice *
sohoa_scan_device_new (const char *name,
                       const char *vendor,
                       const char *model,
                       const char *kind)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (SOHOA_TYPE_SCAN_DEVICE,
                       "name", name,
                       "vendor", vendor,
                       "model", model,
                       "kind", kind,
                       NULL);
}

const char *
sohoa_scan_device_get_name (SohoaScanDevice *self)
{
  g_return_val_if_fail (SOHOA_IS_SCAN_DEVICE (self), NULL);
  return self->name;
}

const char *
sohoa_scan_device_get_vendor (SohoaScanDevice *self)
{
  g_return_val_if_fail (SOHOA_IS_SCAN_DEVICE (self), NULL);
  return self->vendor;
}

const char *
sohoa_scan_device_get_model (SohoaScanDevice *self)
{
  g_return_val_if_fail (SOHOA_IS_SCAN_DEVICE (self), NULL);
  return self->model;
}

/**
 * sohoa_scan_device_get_kind:
 *
 * Returns: what SANE calls the device's type ("flatbed scanner",
 *   "sheetfed scanner", "virtual device"), untranslated
 */
const char *
sohoa_scan_device_get_kind (SohoaScanDevice *self)
{
  g_return_val_if_fail (SOHOA_IS_SCAN_DEVICE (self), NULL);
  return self->kind;
}

/**
 * sohoa_scan_device_dup_label:
 *
 * Returns: (transfer full): "Vendor Model", or the device name when SANE
 *   reports neither
 */
char *
sohoa_scan_device_dup_label (SohoaScanDevice *self)
{
  g_return_val_if_fail (SOHOA_IS_SCAN_DEVICE (self), NULL);

  if (self->vendor && *self->vendor && self->model && *self->model)
    return g_strdup_printf ("%s %s", self->vendor, self->model);
  if (self->model && *self->model)
    return g_strdup (self->model);
  return g_strdup (self->name);
}
