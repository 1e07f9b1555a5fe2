/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SohoaPinFunc:
 * @token_label: the name of the token (or of the PKCS#12 file)
 * @retry: %TRUE when a PIN given before was refused
 * @user_data: the data given with the function
 *
 * Asks the official for the PIN of a token.  Called in the thread that
 * signs; a window should rather ask first and give the PIN to
 * sohoa_signer_new_pkcs11().
 *
 * Returns: (transfer full) (nullable): the PIN, or %NULL to give up
 */
typedef char *(*SohoaPinFunc) (const char *token_label,
                               gboolean    retry,
                               gpointer    user_data);

/* A key and its certificate that make detached CMS (PKCS#7) signatures:
 * from a PKCS#12 file or a PKCS#11 token (the USB tokens officials hold).
 * A PIN is kept in memory only while the signer lives, and wiped then. */
#define SOHOA_TYPE_SIGNER (sohoa_signer_get_type ())
G_DECLARE_FINAL_TYPE (SohoaSigner, sohoa_signer, SOHOA, SIGNER, GObject)

SohoaSigner *sohoa_signer_new_pkcs12        (const char    *path,
                                             const char    *password,
                                             GError       **error);
SohoaSigner *sohoa_signer_new_pkcs11        (const char    *url,
                                             const char    *pin,
                                             SohoaPinFunc   pin_func,
                                             gpointer       user_data,
                                             GError       **error);
char       **sohoa_signer_find_pkcs11       (GError      **error);
const char  *sohoa_signer_get_subject       (SohoaSigner   *self);
GBytes      *sohoa_signer_sign_detached     (SohoaSigner   *self,
                                             GBytes        *data,
                                             GError       **error);

gboolean     sohoa_signature_verify_detached (GBytes       *signature,
                                              GBytes       *data,
                                              const char   *ca_file,
                                              char        **signer_subject,
                                              GError      **error);

G_END_DECLS
