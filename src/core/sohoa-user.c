/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-user"

#include "config.h"

#include "sohoa-models-private.h"
#include "sohoa-user.h"

struct _SohoaUser
{
  GObject    parent_instance;

  gint64     id;
  char      *name;
  char      *full_name;
  SohoaRole  role;
  gboolean   disabled;
};

G_DEFINE_FINAL_TYPE (SohoaUser, sohoa_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_FULL_NAME,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sohoa_user_finalize (GObject *object)
{
  SohoaUser *self = (SohoaUser *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->full_name, g_free);

  G_OBJECT_CLASS (sohoa_user_parent_class)->finalize (object);
}

static void
sohoa_user_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SohoaUser *self = SOHOA_USER (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_FULL_NAME: g_value_set_string (value, self->full_name); break;
    case PROP_ROLE: g_value_set_int (value, self->role); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sohoa_user_class_init (SohoaUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sohoa_user_finalize;
  object_class->get_property = sohoa_user_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_FULL_NAME] = g_param_spec_string ("full-name", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_int ("role", NULL, NULL, 0, SOHOA_ROLE_ADMIN, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sohoa_user_init (SohoaUser *self)
{
}

SohoaUser *
_sohoa_user_new (gint64      id,
                 const char *name,
                 const char *full_name,
                 SohoaRole   role)
{
  SohoaUser *self = g_object_new (SOHOA_TYPE_USER, NULL);

  self->id = id;
  self->name = g_strdup (name);
  self->full_name = g_strdup (full_name);
  self->role = role;

  return self;
}

gint64
sohoa_user_get_id (SohoaUser *self)
{
  g_return_val_if_fail (SOHOA_IS_USER (self), 0);
  return self->id;
}

const char *
sohoa_user_get_name (SohoaUser *self)
{
  g_return_val_if_fail (SOHOA_IS_USER (self), NULL);
  return self->name;
}

const char *
sohoa_user_get_full_name (SohoaUser *self)
{
  g_return_val_if_fail (SOHOA_IS_USER (self), NULL);
  return self->full_name;
}

SohoaRole
sohoa_user_get_role (SohoaUser *self)
{
  g_return_val_if_fail (SOHOA_IS_USER (self), SOHOA_ROLE_OPERATOR);
  return self->role;
}

/**
 * sohoa_user_get_disabled:
 *
 * Whether the account was closed by an administrator: it cannot sign in,
 * and its name stays taken, since the audit log refers to it.
 */
gboolean
sohoa_user_get_disabled (SohoaUser *self)
{
  g_return_val_if_fail (SOHOA_IS_USER (self), FALSE);
  return self->disabled;
}

void
_sohoa_user_set_disabled (SohoaUser *self,
                          gboolean   disabled)
{
  self->disabled = !!disabled;
}

gboolean
sohoa_user_can_approve (SohoaUser *self)
{
  g_return_val_if_fail (SOHOA_IS_USER (self), FALSE);
  return self->role == SOHOA_ROLE_SUPERVISOR || self->role == SOHOA_ROLE_ADMIN;
}
