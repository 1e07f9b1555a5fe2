/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-sign"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sohoa-sign.h"
#include "sohoa-types.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>
#include <gnutls/pkcs12.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <string.h>

struct _SohoaSigner
{
  GObject            parent_instance;

  /* owned */
  gnutls_privkey_t   key;
  gnutls_x509_crt_t *chain;     /* the signer's certificate first */
  guint              chain_len;
  char              *subject;
  char              *label;
  char              *pin;       /* wiped in finalize; never written anywhere */
  GMutex             pin_lock;

  /* borrowed */
  SohoaPinFunc       pin_func;
  gpointer           pin_data;
};

G_DEFINE_FINAL_TYPE (SohoaSigner, sohoa_signer, G_TYPE_OBJECT)

static void
wipe_string (char **str)
{
  if (*str)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

static gboolean
set_gnutls_error (GError     **error,
                  const char  *what,
                  int          rc)
{
  g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, "%s (%s)", what, gnutls_strerror (rc));
  return FALSE;
}

static int
pin_cb (void         *user_data,
        int           attempt,
        const char   *token_url,
        const char   *token_label,
        unsigned int  flags,
        char         *pin,
        size_t        pin_max)
{
  SohoaSigner *self = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->pin_lock);
  gboolean retry = attempt > 0 || (flags & GNUTLS_PIN_WRONG) != 0;

  /* A PIN that was refused is never tried again on its own: tokens lock
   * after a few wrong PINs. */
  if (retry)
    wipe_string (&self->pin);
  if (self->pin == NULL && self->pin_func)
    self->pin = self->pin_func (token_label ? token_label : self->label, retry, self->pin_data);
  if (self->pin == NULL || strlen (self->pin) >= pin_max)
    return -1;
  memcpy (pin, self->pin, strlen (self->pin) + 1);
  return 0;
}

static gboolean
read_identity (SohoaSigner  *self,
               GError      **error)
{
  gnutls_datum_t dn = { NULL, 0 };
  gnutls_datum_t probe = { (unsigned char *) "sohoa", 5 };
  gnutls_datum_t signature = { NULL, 0 };
  int rc;

  if ((rc = gnutls_x509_crt_get_dn3 (self->chain[0], &dn, 0)) < 0)
    return set_gnutls_error (error, _("The signing certificate could not be read"), rc);
  self->subject = g_strndup ((const char *) dn.data, dn.size);
  gnutls_free (dn.data);

  /* Sign once now: a wrong PIN or a key that does not match the
   * certificate shows before a long package is written. */
  if ((rc = gnutls_privkey_sign_data (self->key, GNUTLS_DIG_SHA256, 0, &probe, &signature)) < 0)
    {
      if (rc == GNUTLS_E_PKCS11_PIN_ERROR || rc == GNUTLS_E_PKCS11_USER_ERROR)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                             _("The token refused the PIN, or no PIN was given. Nothing was signed."));
      else
        set_gnutls_error (error, _("The signing key could not be used"), rc);
      return FALSE;
    }
  {
    gnutls_pubkey_t pub = NULL;

    gnutls_pubkey_init (&pub);
    rc = gnutls_pubkey_import_x509 (pub, self->chain[0], 0);
    if (rc >= 0)
      rc = gnutls_pubkey_verify_data2 (pub, gnutls_pk_to_sign (gnutls_pubkey_get_pk_algorithm (pub, NULL),
                                                               GNUTLS_DIG_SHA256),
                                       0, &probe, &signature);
    gnutls_pubkey_deinit (pub);
  }
  gnutls_free (signature.data);
  if (rc < 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("The signing key does not belong to the certificate."));
      return FALSE;
    }
  return TRUE;
}

static void
sohoa_signer_finalize (GObject *object)
{
  SohoaSigner *self = (SohoaSigner *) object;

  for (guint i = 0; i < self->chain_len; i++)
    gnutls_x509_crt_deinit (self->chain[i]);
  g_free (self->chain);
  g_clear_pointer (&self->key, gnutls_privkey_deinit);
  wipe_string (&self->pin);
  g_free (self->subject);
  g_free (self->label);
  g_mutex_clear (&self->pin_lock);

  G_OBJECT_CLASS (sohoa_signer_parent_class)->finalize (object);
}

static void
sohoa_signer_class_init (SohoaSignerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sohoa_signer_finalize;
}

static void
sohoa_signer_init (SohoaSigner *self)
{
  g_mutex_init (&self->pin_lock);
}

/**
 * sohoa_signer_new_pkcs12:
 * @path: a PKCS#12 file (.p12, .pfx) holding the key and its certificate
 * @password: (nullable): the file's password
 */
SohoaSigner *
sohoa_signer_new_pkcs12 (const char  *path,
                         const char  *password,
                         GError     **error)
{
  g_autoptr(SohoaSigner) self = NULL;
  g_autofree char *contents = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t x509_key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_len = 0;
  gnutls_datum_t data;
  gsize size;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &size, error))
    return NULL;
  data.data = (unsigned char *) contents;
  data.size = (unsigned int) size;

  self = g_object_new (SOHOA_TYPE_SIGNER, NULL);
  self->label = g_path_get_basename (path);
  gnutls_pkcs12_init (&p12);
  rc = gnutls_pkcs12_import (p12, &data, GNUTLS_X509_FMT_DER, 0);
  if (rc < 0)
    rc = gnutls_pkcs12_import (p12, &data, GNUTLS_X509_FMT_PEM, 0);
  if (rc < 0)
    {
      gnutls_pkcs12_deinit (p12);
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("“%s” is not a PKCS#12 key file."), self->label);
      return NULL;
    }
  if (gnutls_pkcs12_verify_mac (p12, password) < 0)
    {
      gnutls_pkcs12_deinit (p12);
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                   _("The password of “%s” is wrong."), self->label);
      return NULL;
    }
  rc = gnutls_pkcs12_simple_parse (p12, password, &x509_key, &chain, &chain_len, NULL, NULL, NULL, 0);
  gnutls_pkcs12_deinit (p12);
  if (rc < 0 || chain_len == 0)
    {
      if (x509_key)
        gnutls_x509_privkey_deinit (x509_key);
      for (unsigned int i = 0; i < chain_len; i++)
        gnutls_x509_crt_deinit (chain[i]);
      gnutls_free (chain);
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("“%s” does not hold a key with its certificate."), self->label);
      return NULL;
    }

  self->chain = g_new0 (gnutls_x509_crt_t, chain_len);
  memcpy (self->chain, chain, chain_len * sizeof *chain);
  self->chain_len = chain_len;
  gnutls_free (chain);
  gnutls_privkey_init (&self->key);
  if ((rc = gnutls_privkey_import_x509 (self->key, x509_key, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE)) < 0)
    {
      gnutls_x509_privkey_deinit (x509_key);
      set_gnutls_error (error, _("The signing key could not be read"), rc);
      return NULL;
    }
  if (!read_identity (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

static char *
object_url (const char *url,
            const char *type)
{
  g_auto(GStrv) parts = g_strsplit (url, ";", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      if (g_str_has_prefix (parts[i], "type="))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ';');
      g_string_append (out, parts[i]);
    }
  g_string_append_printf (out, ";type=%s", type);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * sohoa_signer_new_pkcs11:
 * @url: a PKCS#11 URL naming the key and its certificate, e.g.
 *   `pkcs11:token=Sohoa;object=ky-so` (the type is added)
 * @pin: (nullable): the PIN, when asked for beforehand
 * @pin_func: (nullable): asks for the PIN when @pin is %NULL or refused
 *
 * Tokens are found through p11-kit (every module it registers).
 */
SohoaSigner *
sohoa_signer_new_pkcs11 (const char   *url,
                         const char   *pin,
                         SohoaPinFunc  pin_func,
                         gpointer      user_data,
                         GError      **error)
{
  g_autoptr(SohoaSigner) self = NULL;
  g_autofree char *key_url = NULL;
  g_autofree char *cert_url = NULL;
  int rc;

  g_return_val_if_fail (url != NULL, NULL);

  if (!g_str_has_prefix (url, "pkcs11:") || strstr (url, "pin-value") != NULL)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Give the token key as a PKCS#11 URL (pkcs11:token=…;object=…), without its PIN."));
      return NULL;
    }

  self = g_object_new (SOHOA_TYPE_SIGNER, NULL);
  self->label = g_strdup (url);
  self->pin = g_strdup (pin);
  self->pin_func = pin_func;
  self->pin_data = user_data;
  key_url = object_url (url, "private");
  cert_url = object_url (url, "cert");

  if ((rc = gnutls_pkcs11_init (GNUTLS_PKCS11_FLAG_AUTO, NULL)) < 0)
    {
      set_gnutls_error (error, _("The token software could not be loaded"), rc);
      return NULL;
    }

  self->chain = g_new0 (gnutls_x509_crt_t, 1);
  gnutls_x509_crt_init (&self->chain[0]);
  self->chain_len = 1;
  gnutls_x509_crt_set_pin_function (self->chain[0], pin_cb, self);
  rc = gnutls_x509_crt_import_url (self->chain[0], cert_url, 0);
  if (rc < 0)
    rc = gnutls_x509_crt_import_url (self->chain[0], cert_url, GNUTLS_PKCS11_OBJ_FLAG_LOGIN);
  if (rc < 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND,
                   _("No certificate was found on the token for “%s”. Is the token plugged in?"), url);
      return NULL;
    }

  gnutls_privkey_init (&self->key);
  gnutls_privkey_set_pin_function (self->key, pin_cb, self);
  if ((rc = gnutls_privkey_import_url (self->key, key_url, 0)) == GNUTLS_E_PKCS11_PIN_ERROR)
    {
      /* The key is found after logging in: a wrong PIN shows here. */
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                           _("The token refused the PIN, or no PIN was given. Nothing was signed."));
      return NULL;
    }
  if (rc < 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_NOT_FOUND,
                   _("No private key was found on the token for “%s” (%s)."), url, gnutls_strerror (rc));
      return NULL;
    }
  if (!read_identity (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sohoa_signer_find_pkcs11:
 *
 * Lists the end-entity certificates on the tokens p11-kit knows, without
 * logging in (a token's private keys are only seen after the PIN, so the
 * key beside each certificate is checked when signing).  CA and
 * self-signed certificates, such as those of p11-kit's trust module, are
 * left out.  Slow (it loads the token
 * modules): call it from a thread.
 *
 * Returns: (transfer full): a %NULL-terminated array of PKCS#11 URLs,
 *   `pkcs11:token=…;object=…`, or %NULL with @error set
 */
char **
sohoa_signer_find_pkcs11 (GError **error)
{
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  gnutls_pkcs11_obj_t *objects = NULL;
  unsigned int n_objects = 0;
  int rc;

  if ((rc = gnutls_pkcs11_init (GNUTLS_PKCS11_FLAG_AUTO, NULL)) < 0)
    {
      set_gnutls_error (error, _("The token software could not be loaded"), rc);
      return NULL;
    }
  rc = gnutls_pkcs11_obj_list_import_url4 (&objects, &n_objects, "pkcs11:", GNUTLS_PKCS11_OBJ_FLAG_CRT);
  if (rc < 0 && rc != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
    {
      set_gnutls_error (error, _("The tokens could not be listed"), rc);
      return NULL;
    }
  for (unsigned int i = 0; i < n_objects; i++)
    {
      g_autofree char *token = NULL;
      g_autofree char *object = NULL;
      char *url = NULL;
      size_t size = 0;
      gnutls_x509_crt_t crt = NULL;
      unsigned int ca = 0;
      gboolean is_ca;

      gnutls_x509_crt_init (&crt);
      /* Roots (some old ones have no basic constraints) sign themselves. */
      is_ca = gnutls_x509_crt_import_pkcs11 (crt, objects[i]) < 0 ||
              (gnutls_x509_crt_get_basic_constraints (crt, NULL, &ca, NULL) >= 0 && ca) ||
              gnutls_x509_crt_check_issuer (crt, crt);
      gnutls_x509_crt_deinit (crt);
      if (is_ca)
        {
          gnutls_pkcs11_obj_deinit (objects[i]);
          continue;
        }

      /* Token and object labels make a URL short enough to show and keep. */
      if (gnutls_pkcs11_obj_get_info (objects[i], GNUTLS_PKCS11_OBJ_TOKEN_LABEL, NULL, &size) == GNUTLS_E_SHORT_MEMORY_BUFFER)
        {
          token = g_malloc0 (size + 1);
          gnutls_pkcs11_obj_get_info (objects[i], GNUTLS_PKCS11_OBJ_TOKEN_LABEL, token, &size);
        }
      size = 0;
      if (gnutls_pkcs11_obj_get_info (objects[i], GNUTLS_PKCS11_OBJ_LABEL, NULL, &size) == GNUTLS_E_SHORT_MEMORY_BUFFER)
        {
          object = g_malloc0 (size + 1);
          gnutls_pkcs11_obj_get_info (objects[i], GNUTLS_PKCS11_OBJ_LABEL, object, &size);
        }
      if (token && *token && object && *object)
        {
          g_autofree char *t = g_uri_escape_string (token, NULL, FALSE);
          g_autofree char *o = g_uri_escape_string (object, NULL, FALSE);

          g_ptr_array_add (urls, g_strdup_printf ("pkcs11:token=%s;object=%s", t, o));
        }
      else if (gnutls_pkcs11_obj_export_url (objects[i], GNUTLS_PKCS11_URL_GENERIC, &url) >= 0)
        {
          g_ptr_array_add (urls, g_strdup (url));
          gnutls_free (url);
        }
      gnutls_pkcs11_obj_deinit (objects[i]);
    }
  gnutls_free (objects);
  g_ptr_array_add (urls, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&urls), FALSE);
}

const char *
sohoa_signer_get_subject (SohoaSigner *self)
{
  g_return_val_if_fail (SOHOA_IS_SIGNER (self), NULL);
  return self->subject;
}

static gboolean
is_self_signed (gnutls_x509_crt_t crt)
{
  return gnutls_x509_crt_check_issuer (crt, crt) != 0;
}

/**
 * sohoa_signer_sign_detached:
 *
 * Returns: (transfer full): a DER CMS SignedData over @data, without the
 *   data, with the signer's certificate and any intermediate ones.  It has
 *   no signing-time attribute, so with an RSA key the same data gives the
 *   same bytes.
 */
GBytes *
sohoa_signer_sign_detached (SohoaSigner  *self,
                            GBytes       *data,
                            GError      **error)
{
  gnutls_pkcs7_t pkcs7 = NULL;
  gnutls_datum_t content;
  gnutls_datum_t out = { NULL, 0 };
  GBytes *result;
  gsize size;
  int rc;

  g_return_val_if_fail (SOHOA_IS_SIGNER (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  content.data = (unsigned char *) g_bytes_get_data (data, &size);
  content.size = (unsigned int) size;

  gnutls_pkcs7_init (&pkcs7);
  rc = gnutls_pkcs7_sign (pkcs7, self->chain[0], self->key, &content, NULL, NULL,
                          GNUTLS_DIG_SHA256, GNUTLS_PKCS7_INCLUDE_CERT);
  for (guint i = 1; rc >= 0 && i < self->chain_len; i++)
    if (!is_self_signed (self->chain[i]))
      rc = gnutls_pkcs7_set_crt (pkcs7, self->chain[i]);
  if (rc >= 0)
    rc = gnutls_pkcs7_export2 (pkcs7, GNUTLS_X509_FMT_DER, &out);
  gnutls_pkcs7_deinit (pkcs7);
  if (rc < 0)
    {
      if (rc == GNUTLS_E_PKCS11_PIN_ERROR || rc == GNUTLS_E_PKCS11_USER_ERROR)
        g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                             _("The token refused the PIN, or no PIN was given. Nothing was signed."));
      else
        set_gnutls_error (error, _("The package could not be signed"), rc);
      return NULL;
    }
  result = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return result;
}

/**
 * sohoa_signature_verify_detached:
 * @signature: a DER (or PEM) CMS SignedData without content
 * @data: the signed bytes
 * @ca_file: PEM file of the certificate authorities to trust
 * @signer_subject: (out) (optional): the signer's distinguished name
 *
 * Checks every signature in @signature over @data, and that each signer's
 * certificate chains up to a certificate of @ca_file.
 */
gboolean
sohoa_signature_verify_detached (GBytes      *signature,
                                 GBytes      *data,
                                 const char  *ca_file,
                                 char       **signer_subject,
                                 GError     **error)
{
  gnutls_pkcs7_t pkcs7 = NULL;
  gnutls_x509_trust_list_t trust = NULL;
  gnutls_datum_t sig_datum, content;
  gsize size;
  int n, rc;
  gboolean ok = FALSE;

  g_return_val_if_fail (signature != NULL && data != NULL && ca_file != NULL, FALSE);

  sig_datum.data = (unsigned char *) g_bytes_get_data (signature, &size);
  sig_datum.size = (unsigned int) size;
  content.data = (unsigned char *) g_bytes_get_data (data, &size);
  content.size = (unsigned int) size;

  gnutls_x509_trust_list_init (&trust, 0);
  rc = gnutls_x509_trust_list_add_trust_file (trust, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
  if (rc <= 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("No certificate authority could be read from “%s”."), ca_file);
      goto out;
    }

  gnutls_pkcs7_init (&pkcs7);
  if (gnutls_pkcs7_import (pkcs7, &sig_datum, GNUTLS_X509_FMT_DER) < 0 &&
      gnutls_pkcs7_import (pkcs7, &sig_datum, GNUTLS_X509_FMT_PEM) < 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("The signature file is not a CMS (PKCS#7) signature."));
      goto out;
    }
  if ((n = gnutls_pkcs7_get_signature_count (pkcs7)) <= 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("The signature file holds no signature."));
      goto out;
    }
  for (int i = 0; i < n; i++)
    {
      if ((rc = gnutls_pkcs7_verify (pkcs7, trust, NULL, 0, i, &content, 0)) < 0)
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                       _("The signature does not match, or its certificate is not trusted (%s)."),
                       gnutls_strerror (rc));
          goto out;
        }
    }

  if (signer_subject)
    {
      gnutls_datum_t raw = { NULL, 0 };
      gnutls_x509_crt_t crt = NULL;
      gnutls_datum_t dn = { NULL, 0 };

      *signer_subject = NULL;
      if (gnutls_pkcs7_get_crt_raw2 (pkcs7, 0, &raw) >= 0)
        {
          gnutls_x509_crt_init (&crt);
          if (gnutls_x509_crt_import (crt, &raw, GNUTLS_X509_FMT_DER) >= 0 &&
              gnutls_x509_crt_get_dn3 (crt, &dn, 0) >= 0)
            {
              *signer_subject = g_strndup ((const char *) dn.data, dn.size);
              gnutls_free (dn.data);
            }
          gnutls_x509_crt_deinit (crt);
          gnutls_free (raw.data);
        }
    }
  ok = TRUE;

out:
  if (pkcs7)
    gnutls_pkcs7_deinit (pkcs7);
  gnutls_x509_trust_list_deinit (trust, 1);
  return ok;
}
