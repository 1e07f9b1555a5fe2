/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sohoa-upload"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sohoa-core-private.h"
#include "sohoa-outbox-private.h"
#include "sohoa-upload.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>
#include <unistd.h>

struct _SohoaUploader
{
  GObject            parent_instance;

  /* owned */
  SohoaContext      *context;
  SohoaUploadConfig *config;
};

G_DEFINE_FINAL_TYPE (SohoaUploader, sohoa_uploader, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (SohoaUploadConfig, sohoa_upload_config,
                     sohoa_upload_config_copy, sohoa_upload_config_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

typedef struct curl_slist SohoaHeaders;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SohoaHeaders, curl_slist_free_all)

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define MAX_PARTS 10000

/* One package being sent, in the worker thread. */
typedef struct
{
  SohoaUploader *self;
  SohoaStore    *store;          /* the worker's own connection */
  SohoaJob      *job;
  GCancellable  *cancellable;
  gint64         package_id;
  char          *key;
  char          *path;
  int            fd;
  guint64        size;
  guint64        part_size;
  guint          n_parts;

  /* progress */
  guint64        bytes_before;   /* of the package, before the request under way */
  gint64         last_report;
  char          *message;
} Upload;

/* A request body with its digests, computed once: SHA-256 for the signed
 * x-amz-content-sha256, MD5 for Content-MD5 and to compare with the ETag.
 * GnuTLS hashes (SHA-NI where the CPU has it): GChecksum's SHA-256 is
 * several times slower and was most of an upload's CPU time. */
typedef struct
{
  const guint8 *data;
  gsize         len;
  char          sha256[65];
  char          md5_hex[33];
  char         *md5_base64;
} Payload;

typedef struct
{
  long        status;
  GByteArray *body;
  char       *etag;
  char       *meta_sha256;     /* x-amz-meta-sha256 of a HEAD */
  curl_off_t  content_length;  /* of a HEAD, or -1 */
  CURLcode    code;
  char        curl_error[CURL_ERROR_SIZE];
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->body, g_byte_array_unref);
  g_clear_pointer (&response->etag, g_free);
  g_clear_pointer (&response->meta_sha256, g_free);
}

/* Configuration ---------------------------------------------------------- */

SohoaUploadConfig *
sohoa_upload_config_new (void)
{
  SohoaUploadConfig *config = g_new0 (SohoaUploadConfig, 1);

  config->region = g_strdup ("us-east-1");
  config->part_size = 16 * 1024 * 1024;
  config->max_attempts = 6;
  config->retry_delay_ms = 1000;
  config->low_speed_time = 60;
  config->connect_timeout = 20;
  return config;
}

static guint64
env_number (const char *name,
            guint64     fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, NULL))
    return value;
  return fallback;
}

/**
 * sohoa_upload_config_new_from_env:
 *
 * The configuration of sohoa-cli and the tests: SOHOA_S3_ENDPOINT,
 * SOHOA_S3_BUCKET, SOHOA_S3_REGION, SOHOA_S3_ACCESS_KEY, SOHOA_S3_SECRET_KEY,
 * SOHOA_S3_PREFIX, SOHOA_S3_PART_SIZE (bytes), SOHOA_S3_MAX_ATTEMPTS,
 * SOHOA_S3_RETRY_DELAY_MS, SOHOA_S3_LOW_SPEED_TIME (seconds).
 */
SohoaUploadConfig *
sohoa_upload_config_new_from_env (void)
{
  SohoaUploadConfig *config = sohoa_upload_config_new ();

  config->endpoint = g_strdup (g_getenv ("SOHOA_S3_ENDPOINT"));
  config->bucket = g_strdup (g_getenv ("SOHOA_S3_BUCKET"));
  if (g_getenv ("SOHOA_S3_REGION"))
    {
      g_free (config->region);
      config->region = g_strdup (g_getenv ("SOHOA_S3_REGION"));
    }
  config->access_key = g_strdup (g_getenv ("SOHOA_S3_ACCESS_KEY"));
  config->secret_key = g_strdup (g_getenv ("SOHOA_S3_SECRET_KEY"));
  config->prefix = g_strdup (g_getenv ("SOHOA_S3_PREFIX"));
  config->part_size = env_number ("SOHOA_S3_PART_SIZE", config->part_size);
  config->max_attempts = (guint) env_number ("SOHOA_S3_MAX_ATTEMPTS", config->max_attempts);
  config->retry_delay_ms = (guint) env_number ("SOHOA_S3_RETRY_DELAY_MS", config->retry_delay_ms);
  config->low_speed_time = (guint) env_number ("SOHOA_S3_LOW_SPEED_TIME", config->low_speed_time);
  return config;
}

SohoaUploadConfig *
sohoa_upload_config_copy (const SohoaUploadConfig *config)
{
  SohoaUploadConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  copy->endpoint = g_strdup (config->endpoint);
  copy->bucket = g_strdup (config->bucket);
  copy->region = g_strdup (config->region);
  copy->access_key = g_strdup (config->access_key);
  copy->secret_key = g_strdup (config->secret_key);
  copy->prefix = g_strdup (config->prefix);
  return copy;
}

void
sohoa_upload_config_free (SohoaUploadConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->endpoint);
  g_free (config->bucket);
  g_free (config->region);
  g_free (config->access_key);
  if (config->secret_key)
    memset (config->secret_key, 0, strlen (config->secret_key));
  g_free (config->secret_key);
  g_free (config->prefix);
  g_free (config);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

gboolean
sohoa_upload_config_check (const SohoaUploadConfig  *config,
                           GError                  **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if (is_blank (config->endpoint) ||
      !(g_str_has_prefix (config->endpoint, "http://") || g_str_has_prefix (config->endpoint, "https://")))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Set the address of the city’s storage server (it starts with https://)."));
      return FALSE;
    }
  if (is_blank (config->bucket) || strchr (config->bucket, '/'))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Set the bucket the packages go to (a name without slashes)."));
      return FALSE;
    }
  if (is_blank (config->access_key) || is_blank (config->secret_key))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                           _("Set the access key and the secret key the city gave for uploads."));
      return FALSE;
    }
  if (is_blank (config->region))
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                           _("Set the region of the storage server (us-east-1 if it has none)."));
      return FALSE;
    }
  if (config->part_size < SOHOA_UPLOAD_MIN_PART_SIZE || config->part_size > SOHOA_UPLOAD_MAX_PART_SIZE)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The part size must be between %u and %u MiB."),
                   SOHOA_UPLOAD_MIN_PART_SIZE >> 20, SOHOA_UPLOAD_MAX_PART_SIZE >> 20);
      return FALSE;
    }
  return TRUE;
}

/* Helpers ---------------------------------------------------------------- */

static void
upload_clear (Upload *up)
{
  if (up->fd >= 0)
    close (up->fd);
  g_clear_pointer (&up->key, g_free);
  g_clear_pointer (&up->path, g_free);
  g_clear_pointer (&up->message, g_free);
  g_clear_object (&up->store);
}

static void
report (Upload     *up,
        guint64     bytes,
        gboolean    force)
{
  gint64 now = g_get_monotonic_time ();

  if (!force && now - up->last_report < G_USEC_PER_SEC / 10)
    return;
  up->last_report = now;
  /* SohoaJob counts in guint: report KiB, good up to 4 TiB. */
  sohoa_job_report (up->job, (guint) (MIN (bytes, up->size) / 1024), (guint) MAX (up->size / 1024, 1),
                    up->message);
}

/* A new step: reported at once, with the bytes sent so far. */
static void
set_message (Upload     *up,
             const char *message)
{
  g_free (up->message);
  up->message = g_strdup (message);
  report (up, up->bytes_before, TRUE);
}

static void
to_hex (const guint8 *digest,
        gsize         len,
        char         *out)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[digest[i] >> 4];
      out[2 * i + 1] = digits[digest[i] & 0xf];
    }
  out[2 * len] = '\0';
}

static void
payload_init (Payload      *payload,
              const guint8 *data,
              gsize         len)
{
  guint8 sha[32];
  guint8 md5[16];

  payload->data = data;
  payload->len = len;
  gnutls_hash_fast (GNUTLS_DIG_SHA256, data, len, sha);
  gnutls_hash_fast (GNUTLS_DIG_MD5, data, len, md5);
  to_hex (sha, sizeof sha, payload->sha256);
  to_hex (md5, sizeof md5, payload->md5_hex);
  payload->md5_base64 = g_base64_encode (md5, sizeof md5);
}

static void
payload_clear (Payload *payload)
{
  g_clear_pointer (&payload->md5_base64, g_free);
}

/* The ETag without its quotes, lower case. */
static char *
bare_etag (const char *etag)
{
  g_autofree char *copy = g_strdup (etag ? etag : "");

  g_strstrip (copy);
  if (copy[0] == '"' && strlen (copy) >= 2 && copy[strlen (copy) - 1] == '"')
    return g_ascii_strdown (copy + 1, strlen (copy) - 2);
  return g_ascii_strdown (copy, -1);
}

static char *
encode_key (const char *key)
{
  /* Keep the slashes: path-style keys. */
  return g_uri_escape_string (key, "/", FALSE);
}

static xmlNode *
find_element (xmlNode    *node,
              const char *name)
{
  for (; node; node = node->next)
    {
      xmlNode *found;

      if (node->type == XML_ELEMENT_NODE && xmlStrcmp (node->name, (const xmlChar *) name) == 0)
        return node;
      if ((found = find_element (node->children, name)))
        return found;
    }
  return NULL;
}

static char *
element_text (xmlNode    *root,
              const char *name)
{
  xmlNode *node = find_element (root, name);
  xmlChar *content;
  char *text;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  text = g_strdup ((const char *) content);
  xmlFree (content);
  return text;
}

static xmlDoc *
parse_xml (GByteArray *body)
{
  if (body == NULL || body->len == 0)
    return NULL;
  return xmlReadMemory ((const char *) body->data, (int) body->len, "response.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The store's own explanation of a refused request (<Error><Code>…). */
static char *
describe_refusal (Response *response)
{
  g_autoptr(xmlDoc) doc = parse_xml (response->body);
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;

  if (doc)
    {
      code = element_text (xmlDocGetRootElement (doc), "Code");
      message = element_text (xmlDocGetRootElement (doc), "Message");
    }
  if (code && message)
    return g_strdup_printf ("HTTP %ld %s: %s", response->status, code, message);
  if (code)
    return g_strdup_printf ("HTTP %ld %s", response->status, code);
  return g_strdup_printf ("HTTP %ld", response->status);
}

static char *
refusal_code (Response *response)
{
  g_autoptr(xmlDoc) doc = parse_xml (response->body);

  return doc ? element_text (xmlDocGetRootElement (doc), "Code") : NULL;
}

/* curl callbacks --------------------------------------------------------- */

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         offset;
} Body;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *user_data)
{
  Body *body = user_data;
  size_t n = MIN (size * nitems, body->len - body->offset);

  memcpy (buffer, body->data + body->offset, n);
  body->offset += n;
  return n;
}

static int
seek_cb (void       *user_data,
         curl_off_t  offset,
         int         origin)
{
  Body *body = user_data;

  if (origin != SEEK_SET || offset < 0 || (gsize) offset > body->len)
    return CURL_SEEKFUNC_CANTSEEK;
  body->offset = (gsize) offset;
  return CURL_SEEKFUNC_OK;
}

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  Response *response = user_data;

  /* Answers are small XML documents; refuse anything absurd. */
  if (response->body->len + size * nmemb > 4 * 1024 * 1024)
    return 0;
  g_byte_array_append (response->body, (const guint8 *) data, size * nmemb);
  return size * nmemb;
}

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  Response *response = user_data;
  size_t len = size * nitems;

  if (len > 5 && g_ascii_strncasecmp (data, "ETag:", 5) == 0)
    {
      g_free (response->etag);
      response->etag = g_strstrip (g_strndup (data + 5, len - 5));
    }
  else if (len > 18 && g_ascii_strncasecmp (data, "x-amz-meta-sha256:", 18) == 0)
    {
      g_free (response->meta_sha256);
      response->meta_sha256 = g_strstrip (g_strndup (data + 18, len - 18));
    }
  return len;
}

static int
xferinfo_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Upload *up = user_data;

  /* Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK. */
  if (g_cancellable_is_cancelled (up->cancellable))
    return 1;
  report (up, up->bytes_before + (guint64) ulnow, FALSE);
  return 0;
}

/* Requests --------------------------------------------------------------- */

static gboolean
is_transient (Response *response)
{
  switch (response->code)
    {
    case CURLE_OK:
      return response->status >= 500 || response->status == 408 || response->status == 429;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return TRUE;
    default:
      return FALSE;
    }
}

/* One HTTP request, signed with SigV4 by libcurl.  @query must already be in
 * canonical form (sorted, every parameter with "="): libcurl 7.88 signs the
 * query as written, so "?uploads" would be signed wrongly for S3. */
static void
perform (Upload        *up,
         const char    *method,
         const char    *query,
         const Payload *payload,
         const char    *content_type,
         const char   **extra_headers,
         Response      *response)
{
  const SohoaUploadConfig *config = up->self->config;
  g_autoptr(CURL) curl = curl_easy_init ();
  g_autoptr(SohoaHeaders) headers = NULL;
  g_autofree char *key = encode_key (up->key);
  g_autofree char *endpoint = g_strdup (config->endpoint);
  g_autofree char *url = NULL;
  g_autofree char *sigv4 = g_strdup_printf ("aws:amz:%s:s3", config->region);
  g_autofree char *content_sha256 = NULL;
  g_autofree char *md5_header = NULL;
  const guint8 *data = payload ? payload->data : NULL;
  gsize len = payload ? payload->len : 0;
  Body body = { data, len, 0 };

  response_clear (response);
  response->body = g_byte_array_new ();
  response->status = 0;
  response->content_length = -1;
  response->curl_error[0] = '\0';

  if (curl == NULL)
    {
      response->code = CURLE_FAILED_INIT;
      return;
    }

  while (g_str_has_suffix (endpoint, "/"))
    endpoint[strlen (endpoint) - 1] = '\0';
  url = g_strdup_printf ("%s/%s/%s%s%s", endpoint, config->bucket, key, query ? "?" : "", query ? query : "");

  /* The payload's SHA-256, signed, and its MD5: the store refuses a body
   * that arrived different from what was sent. */
  if (len > 0)
    {
      content_sha256 = g_strdup_printf ("x-amz-content-sha256: %s", payload->sha256);
      md5_header = g_strdup_printf ("Content-MD5: %s", payload->md5_base64);
    }
  else
    content_sha256 = g_strdup ("x-amz-content-sha256: " EMPTY_SHA256);

  headers = curl_slist_append (headers, content_sha256);
  if (md5_header)
    headers = curl_slist_append (headers, md5_header);
  /* No "Expect: 100-continue" round trip before every part. */
  headers = curl_slist_append (headers, "Expect:");
  if (content_type)
    {
      g_autofree char *line = g_strdup_printf ("Content-Type: %s", content_type);
      headers = curl_slist_append (headers, line);
    }
  for (guint i = 0; extra_headers && extra_headers[i]; i++)
    headers = curl_slist_append (headers, extra_headers[i]);

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_AWS_SIGV4, sigv4);
  curl_easy_setopt (curl, CURLOPT_USERNAME, config->access_key);
  curl_easy_setopt (curl, CURLOPT_PASSWORD, config->secret_key);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, response->curl_error);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) config->connect_timeout);
  /* A dead connection (cable pulled, Wi-Fi gone) shows as a transfer
   * below 1 KiB/s for low_speed_time seconds. */
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, (long) config->low_speed_time);
  curl_easy_setopt (curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, response);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, response);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, up);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);

  if (g_str_equal (method, "PUT"))
    {
      curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb);
      curl_easy_setopt (curl, CURLOPT_READDATA, &body);
      curl_easy_setopt (curl, CURLOPT_SEEKFUNCTION, seek_cb);
      curl_easy_setopt (curl, CURLOPT_SEEKDATA, &body);
      curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) len);
    }
  else if (g_str_equal (method, "POST"))
    {
      curl_easy_setopt (curl, CURLOPT_POST, 1L);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, len > 0 ? (const char *) data : "");
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) len);
    }
  else if (g_str_equal (method, "HEAD"))
    curl_easy_setopt (curl, CURLOPT_NOBODY, 1L);
  else if (!g_str_equal (method, "GET"))
    curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);

  response->code = curl_easy_perform (curl);
  if (response->code == CURLE_OK)
    {
      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &response->status);
      curl_easy_getinfo (curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &response->content_length);
    }
}

/* Waits before the next attempt: exponential back-off with jitter, so that
 * twenty wards coming back online do not all knock at the same second.
 * Returns FALSE when cancelled meanwhile. */
static gboolean
back_off (Upload *up,
          guint   attempt)
{
  guint64 base = (guint64) up->self->config->retry_delay_ms << MIN (attempt, 6);
  guint64 delay_ms = MIN (base, 120000);
  gint64 until;

  delay_ms = delay_ms / 2 + (delay_ms > 1 ? (guint64) g_random_int_range (0, (gint32) MIN (delay_ms / 2 + 1, G_MAXINT32)) : 0);
  until = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_is_cancelled (up->cancellable))
        return FALSE;
      g_usleep (MIN (50000, MAX (until - g_get_monotonic_time (), 0)));
    }
  return !g_cancellable_is_cancelled (up->cancellable);
}

/* perform() with retries.  Returns TRUE when the store answered 2xx; on
 * FALSE @error says why, and G_IO_ERROR_CANCELLED means the user stopped. */
static gboolean
request (Upload        *up,
         const char    *method,
         const char    *query,
         const Payload *payload,
         const char    *content_type,
         const char   **extra_headers,
         Response      *response,
         GError       **error)
{
  guint max_attempts = MAX (up->self->config->max_attempts, 1);

  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *why = NULL;

      if (g_cancellable_set_error_if_cancelled (up->cancellable, error))
        return FALSE;

      perform (up, method, query, payload, content_type, extra_headers, response);
      if (response->code == CURLE_ABORTED_BY_CALLBACK && g_cancellable_is_cancelled (up->cancellable))
        return !g_cancellable_set_error_if_cancelled (up->cancellable, error);
      if (response->code == CURLE_OK && response->status >= 200 && response->status < 300)
        return TRUE;

      if (response->code != CURLE_OK)
        why = g_strdup (response->curl_error[0] ? response->curl_error : curl_easy_strerror (response->code));
      else
        why = describe_refusal (response);

      if (!is_transient (response) || attempt + 1 >= max_attempts)
        {
          if (response->code != CURLE_OK)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                         _("The storage server could not be reached (%s). The package stays in the outbox and is sent later."),
                         why);
          else if (response->status == 401 || response->status == 403)
            g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                         _("The storage server refused the access key or the signature (%s). Check the upload settings."),
                         why);
          else
            g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                         _("The storage server refused the upload (%s)."), why);
          return FALSE;
        }

      g_debug ("%s %s failed (%s); attempt %u of %u", method, query ? query : "", why,
               attempt + 1, max_attempts);
      if (!back_off (up, attempt))
        return !g_cancellable_set_error_if_cancelled (up->cancellable, error);
    }
}

/* Reading the package ---------------------------------------------------- */

static gboolean
read_range (Upload   *up,
            guint64   offset,
            guint8   *buffer,
            gsize     len,
            GError  **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = pread (up->fd, buffer + done, len - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (n < 0 ? errno : EIO),
                       _("The package file “%s” could not be read: it is shorter than recorded or the disk failed."),
                       up->path);
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* Hashes the whole file with @algorithm into @out. */
static gboolean
hash_file (Upload                 *up,
           gnutls_digest_algorithm_t algorithm,
           guint8                 *out,
           GError                **error)
{
  g_autofree guint8 *buffer = g_malloc (1 << 20);
  gnutls_hash_hd_t hash;
  guint64 offset = 0;

  if (gnutls_hash_init (&hash, algorithm) < 0)
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED, _("The package could not be checked."));
      return FALSE;
    }
  while (offset < up->size)
    {
      gsize n = (gsize) MIN ((guint64) (1 << 20), up->size - offset);

      if (g_cancellable_set_error_if_cancelled (up->cancellable, error) ||
          !read_range (up, offset, buffer, n, error))
        {
          gnutls_hash_deinit (hash, out);
          return FALSE;
        }
      gnutls_hash (hash, buffer, n);
      offset += n;
    }
  gnutls_hash_deinit (hash, out);
  return TRUE;
}

/* Checks the file against the SHA-256 recorded when the package was made. */
static gboolean
check_file (Upload      *up,
            const char  *expected_sha256,
            GError     **error)
{
  guint8 digest[32];
  char hex[65];

  set_message (up, _("Checking the package"));
  if (!hash_file (up, GNUTLS_DIG_SHA256, digest, error))
    return FALSE;
  to_hex (digest, sizeof digest, hex);
  if (g_ascii_strcasecmp (hex, expected_sha256) != 0)
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_INVALID,
                   _("The package file “%s” has changed since it was made (its SHA-256 differs). It was not sent; make the package again."),
                   up->path);
      return FALSE;
    }
  return TRUE;
}

/* An earlier attempt that got through ------------------------------------ */

/* The program may have been stopped (killed, power cut) after the store
 * completed the object and before the outbox recorded it.  Resuming the
 * multipart upload then fails (the store has forgotten its upload id; some
 * stores answer that with an error that is not NoSuchUpload) and a single
 * PUT would send everything again.  So a package whose earlier attempt
 * started is first looked for: an object of its size carrying the SHA-256
 * Sohoa sent as metadata (which the store shows only on a complete
 * object) is the package, sent.  Sets *@etag when it is; a store that does
 * not have it, or will not say, leaves *@etag NULL.  FALSE only when
 * cancelled or the store cannot be reached. */
static gboolean
find_sent_object (Upload      *up,
                  const char  *sha256,
                  char       **etag,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Response response = { 0 };

  *etag = NULL;
  set_message (up, _("Looking for the package on the storage server"));
  if (!request (up, "HEAD", NULL, NULL, NULL, NULL, &response, &local_error))
    {
      response_clear (&response);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }
  if (response.meta_sha256 && g_ascii_strcasecmp (response.meta_sha256, sha256) == 0 &&
      response.content_length >= 0 && (guint64) response.content_length == up->size)
    *etag = bare_etag (response.etag);
  response_clear (&response);
  return TRUE;
}

/* Single PUT ------------------------------------------------------------- */

static gboolean
put_whole (Upload      *up,
           const char  *sha256,
           char       **etag,
           GError     **error)
{
  g_autofree guint8 *data = g_malloc (MAX (up->size, 1));
  g_autofree char *meta = g_strdup_printf ("x-amz-meta-sha256: %s", sha256);
  g_autofree char *got = NULL;
  const char *headers[] = { meta, NULL };
  Response response = { 0 };
  Payload payload = { 0 };
  gboolean ok = FALSE;

  if (!read_range (up, 0, data, up->size, error))
    return FALSE;
  payload_init (&payload, data, up->size);

  set_message (up, _("Sending the package"));
  up->bytes_before = 0;
  if (!request (up, "PUT", NULL, &payload, "application/zip", headers, &response, error))
    goto out;

  got = bare_etag (response.etag);
  if (response.etag && !g_str_equal (got, payload.md5_hex))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                   _("The storage server stored something else than was sent (ETag %s, expected %s)."),
                   got, payload.md5_hex);
      goto out;
    }
  *etag = g_steal_pointer (&got);
  ok = TRUE;

out:
  payload_clear (&payload);
  response_clear (&response);
  return ok;
}

/* Multipart -------------------------------------------------------------- */

typedef struct
{
  guint    number;
  char    *etag;    /* as the store sent it, with quotes */
  guint64  size;
} Part;

static void
part_clear (gpointer data)
{
  Part *part = data;

  g_free (part->etag);
}

static GArray *
parts_new (void)
{
  GArray *parts = g_array_new (FALSE, TRUE, sizeof (Part));

  g_array_set_clear_func (parts, part_clear);
  return parts;
}

static GArray *
parse_parts (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GArray *parts = parts_new ();
  JsonArray *array;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return parts;
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      Part part = { 0 };

      if (object == NULL || !json_object_has_member (object, "part") || !json_object_has_member (object, "etag"))
        continue;
      part.number = (guint) json_object_get_int_member (object, "part");
      part.etag = g_strdup (json_object_get_string_member (object, "etag"));
      part.size = (guint64) json_object_get_int_member_with_default (object, "size", 0);
      g_array_append_val (parts, part);
    }
  return parts;
}

static char *
parts_to_json (GArray *parts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = &g_array_index (parts, Part, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "part");
      json_builder_add_int_value (builder, part->number);
      json_builder_set_member_name (builder, "etag");
      json_builder_add_string_value (builder, part->etag);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) part->size);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static Part *
find_part (GArray *parts,
           guint   number)
{
  for (guint i = 0; i < parts->len; i++)
    if (g_array_index (parts, Part, i).number == number)
      return &g_array_index (parts, Part, i);
  return NULL;
}

static gint
compare_parts (gconstpointer a,
               gconstpointer b)
{
  const Part *pa = a, *pb = b;

  return (pa->number > pb->number) - (pa->number < pb->number);
}

static guint64
part_length (Upload *up,
             guint   number)
{
  guint64 offset = (guint64) (number - 1) * up->part_size;

  return MIN (up->part_size, up->size - offset);
}

/* Do the recorded parts fit the current layout?  (They would not if the part
 * size setting changed between attempts.) */
static gboolean
parts_fit (Upload *up,
           GArray *parts)
{
  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = &g_array_index (parts, Part, i);

      if (part->number < 1 || part->number > up->n_parts || part->size != part_length (up, part->number))
        return FALSE;
    }
  return TRUE;
}

static gboolean
create_upload (Upload      *up,
               const char  *sha256,
               char       **upload_id,
               GError     **error)
{
  g_autofree char *meta = g_strdup_printf ("x-amz-meta-sha256: %s", sha256);
  const char *headers[] = { meta, NULL };
  g_autoptr(xmlDoc) doc = NULL;
  Response response = { 0 };
  gboolean ok = FALSE;

  if (!request (up, "POST", "uploads=", NULL, "application/zip", headers, &response, error))
    goto out;
  if (!(doc = parse_xml (response.body)) ||
      !(*upload_id = element_text (xmlDocGetRootElement (doc), "UploadId")) || **upload_id == '\0')
    {
      g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                           _("The storage server gave no upload id for a multipart upload."));
      goto out;
    }
  ok = TRUE;

out:
  response_clear (&response);
  return ok;
}

/* On resume: asks the store which parts it holds (ListParts) and keeps only
 * the recorded parts it confirms with the same ETag.  A store that does not
 * know ListParts (some test servers) is trusted with what was recorded; a
 * store that no longer knows the upload id makes us start over. */
static gboolean
reconcile_parts (Upload      *up,
                 const char  *upload_id,
                 GArray      *parts,
                 gboolean    *upload_gone,
                 GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (upload_id, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("max-parts=10000&uploadId=%s", escaped);
  g_autoptr(GArray) confirmed = parts_new ();
  g_autoptr(xmlDoc) doc = NULL;
  Response response = { 0 };
  gboolean ok;

  *upload_gone = FALSE;
  ok = request (up, "GET", query, NULL, NULL, NULL, &response, NULL);
  if (!ok)
    {
      g_autofree char *code = refusal_code (&response);

      if (g_cancellable_set_error_if_cancelled (up->cancellable, error))
        {
          response_clear (&response);
          return FALSE;
        }
      if (response.status == 401 || response.status == 403)
        {
          g_autofree char *why = describe_refusal (&response);

          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_AUTH,
                       _("The storage server refused the access key or the signature (%s). Check the upload settings."),
                       why);
          response_clear (&response);
          return FALSE;
        }
      if (response.status == 404 && g_strcmp0 (code, "NoSuchUpload") == 0)
        *upload_gone = TRUE;
      else
        g_debug ("ListParts not available (%ld %s); trusting the %u recorded parts",
                 response.status, code ? code : "", parts->len);
      response_clear (&response);
      return TRUE;
    }

  if ((doc = parse_xml (response.body)))
    {
      for (xmlNode *node = xmlDocGetRootElement (doc)->children; node; node = node->next)
        {
          g_autofree char *number_text = NULL;
          g_autofree char *etag = NULL;
          guint64 number;
          Part *mine;

          if (node->type != XML_ELEMENT_NODE || xmlStrcmp (node->name, (const xmlChar *) "Part") != 0)
            continue;
          number_text = element_text (node->children, "PartNumber");
          etag = element_text (node->children, "ETag");
          if (!number_text || !etag || !g_ascii_string_to_unsigned (number_text, 10, 1, MAX_PARTS, &number, NULL))
            continue;
          mine = find_part (parts, (guint) number);
          if (mine)
            {
              g_autofree char *a = bare_etag (mine->etag);
              g_autofree char *b = bare_etag (etag);

              if (g_str_equal (a, b))
                {
                  Part copy = { mine->number, g_strdup (mine->etag), mine->size };
                  g_array_append_val (confirmed, copy);
                }
            }
        }
    }
  response_clear (&response);

  if (confirmed->len != parts->len)
    {
      g_debug ("The store confirms %u of %u recorded parts", confirmed->len, parts->len);
      g_array_set_size (parts, 0);
      for (guint i = 0; i < confirmed->len; i++)
        {
          Part *part = &g_array_index (confirmed, Part, i);
          Part copy = { part->number, g_strdup (part->etag), part->size };

          g_array_append_val (parts, copy);
        }
    }
  return TRUE;
}

static gboolean
upload_part (Upload      *up,
             const char  *upload_id,
             guint        number,
             guint8      *buffer,
             Part        *out,
             GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (upload_id, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("partNumber=%u&uploadId=%s", number, escaped);
  g_autofree char *message = NULL;
  g_autofree char *got = NULL;
  guint64 len = part_length (up, number);
  Response response = { 0 };
  Payload payload = { 0 };
  const char *expected;
  gboolean ok = FALSE;

  if (!read_range (up, (guint64) (number - 1) * up->part_size, buffer, len, error))
    return FALSE;
  payload_init (&payload, buffer, len);
  expected = payload.md5_hex;

  message = g_strdup_printf (_("Sending part %u of %u"), number, up->n_parts);
  set_message (up, message);
  if (!request (up, "PUT", query, &payload, NULL, NULL, &response, error))
    goto out;

  got = bare_etag (response.etag);
  if (response.etag == NULL || !g_str_equal (got, expected))
    {
      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                   _("The storage server stored part %u differently from what was sent (ETag %s, expected %s)."),
                   number, response.etag ? got : "-", expected);
      goto out;
    }
  out->number = number;
  out->etag = g_strdup (response.etag);
  out->size = len;
  ok = TRUE;

out:
  payload_clear (&payload);
  response_clear (&response);
  return ok;
}

static gboolean
complete_upload (Upload      *up,
                 const char  *upload_id,
                 GArray      *parts,
                 char       **etag,
                 gboolean    *upload_gone,
                 GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (upload_id, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("uploadId=%s", escaped);
  g_autoptr(GString) xml = g_string_new ("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
  g_autoptr(GChecksum) of_parts = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *multipart_etag = NULL;
  g_autofree char *got = NULL;
  Response response = { 0 };
  Payload payload = { 0 };
  gboolean ok = FALSE;

  *upload_gone = FALSE;
  g_array_sort (parts, compare_parts);
  for (guint i = 0; i < parts->len; i++)
    {
      Part *part = &g_array_index (parts, Part, i);
      g_autofree char *bare = bare_etag (part->etag);
      g_autofree char *escaped_etag = g_markup_escape_text (part->etag, -1);
      guint8 digest[16];

      g_string_append_printf (xml, "<Part><PartNumber>%u</PartNumber><ETag>%s</ETag></Part>",
                              part->number, escaped_etag);
      for (guint j = 0; j < 16 && strlen (bare) == 32; j++)
        digest[j] = (guint8) g_ascii_strtoull ((char[]) { bare[2 * j], bare[2 * j + 1], 0 }, NULL, 16);
      g_checksum_update (of_parts, digest, sizeof digest);
    }
  g_string_append (xml, "</CompleteMultipartUpload>");
  multipart_etag = g_strdup_printf ("%s-%u", g_checksum_get_string (of_parts), parts->len);

  up->bytes_before = up->size;
  set_message (up, _("Finishing the upload"));
  payload_init (&payload, (const guint8 *) xml->str, xml->len);
  if (!request (up, "POST", query, &payload, "application/xml", NULL, &response, error))
    {
      g_autofree char *code = refusal_code (&response);

      *upload_gone = response.status == 404 && g_strcmp0 (code, "NoSuchUpload") == 0;
      goto out;
    }

  /* S3 may answer 200 and still fail: the error is in the body. */
  doc = parse_xml (response.body);
  if (doc == NULL || xmlStrcmp (xmlDocGetRootElement (doc)->name, (const xmlChar *) "Error") == 0)
    {
      g_autofree char *why = describe_refusal (&response);

      g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                   _("The storage server could not assemble the package from its parts (%s)."), why);
      goto out;
    }
  {
    g_autofree char *body_etag = element_text (xmlDocGetRootElement (doc), "ETag");
    got = bare_etag (body_etag ? body_etag : response.etag);
  }
  /* S3, MinIO and Ceph answer MD5(part MD5s)-N; simpler stores (s3rver)
   * the MD5 of the whole object, which then costs one more reading of the
   * file.  Either proves the object is what we sent. */
  if (*got != '\0' && !g_str_equal (got, multipart_etag))
    {
      guint8 digest[16];
      char md5_hex[33];

      if (!hash_file (up, GNUTLS_DIG_MD5, digest, error))
        goto out;
      to_hex (digest, sizeof digest, md5_hex);
      if (!g_str_equal (got, md5_hex))
        {
          g_set_error (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                       _("The storage server assembled something else than was sent (ETag %s, expected %s)."),
                       got, multipart_etag);
          goto out;
        }
    }
  *etag = g_steal_pointer (&got);
  ok = TRUE;

out:
  payload_clear (&payload);
  response_clear (&response);
  return ok;
}

static gboolean
abort_upload (Upload     *up,
              const char *upload_id)
{
  g_autofree char *escaped = g_uri_escape_string (upload_id, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("uploadId=%s", escaped);
  Response response = { 0 };
  gboolean ok;

  /* Best effort: the store's lifecycle rules clean up what is left. */
  ok = request (up, "DELETE", query, NULL, NULL, NULL, &response, NULL);
  response_clear (&response);
  return ok;
}

static gboolean
put_multipart (Upload      *up,
               const char  *sha256,
               const char  *stored_upload_id,
               char       **etag,
               GError     **error)
{
  g_autofree char *upload_id = g_strdup (stored_upload_id);
  g_autofree char *parts_json = _sohoa_outbox_dup_parts (up->store, up->package_id);
  g_autoptr(GArray) parts = parse_parts (parts_json);
  g_autofree guint8 *buffer = NULL;
  gboolean gone = FALSE;

  for (guint round = 0; round < 2; round++)
    {
      if (upload_id && !parts_fit (up, parts))
        {
          g_debug ("The recorded parts do not fit a part size of %" G_GUINT64_FORMAT "; starting over",
                   up->part_size);
          abort_upload (up, upload_id);
          g_clear_pointer (&upload_id, g_free);
        }

      if (upload_id)
        {
          set_message (up, _("Resuming the upload"));
          if (!reconcile_parts (up, upload_id, parts, &gone, error))
            return FALSE;
          if (gone)
            g_clear_pointer (&upload_id, g_free);
        }

      if (upload_id == NULL)
        {
          g_array_set_size (parts, 0);
          set_message (up, _("Starting the upload"));
          if (!create_upload (up, sha256, &upload_id, error) ||
              !_sohoa_outbox_set_upload (up->store, up->package_id, upload_id, "[]", error))
            return FALSE;
        }

      if (buffer == NULL)
        buffer = g_malloc (up->part_size);

      for (guint number = 1; number <= up->n_parts; number++)
        {
          g_autofree char *json = NULL;
          Part part = { 0 };
          guint64 done = 0;

          if (find_part (parts, number))
            continue;
          for (guint i = 0; i < parts->len; i++)
            done += g_array_index (parts, Part, i).size;
          up->bytes_before = done;

          if (!upload_part (up, upload_id, number, buffer, &part, error))
            return FALSE;
          g_array_append_val (parts, part);
          /* Each finished part in its own transaction: after a crash the
           * next run sends only what is missing. */
          json = parts_to_json (parts);
          if (!_sohoa_outbox_set_upload (up->store, up->package_id, upload_id, json, error))
            return FALSE;
        }

      if (complete_upload (up, upload_id, parts, etag, &gone, error))
        return TRUE;
      if (!gone)
        return FALSE;
      /* The store forgot the upload (expired, aborted): once more from the
       * start, with a new upload id. */
      g_clear_error (error);
      g_clear_pointer (&upload_id, g_free);
    }

  g_set_error_literal (error, SOHOA_ERROR, SOHOA_ERROR_FAILED,
                       _("The storage server keeps losing the multipart upload."));
  return FALSE;
}

/* The worker ------------------------------------------------------------- */

static gboolean
load_package (Upload            *up,
              SohoaOutboxItem  **item_out,
              GError           **error)
{
  g_autoptr(SohoaOutboxItem) item = NULL;
  g_autofree char *ward = NULL;
  g_autofree char *base = NULL;
  const char *prefix = up->self->config->prefix;

  if (!(item = sohoa_outbox_get (up->store, up->package_id, error)))
    return FALSE;
  if (sohoa_outbox_item_get_state (item) == SOHOA_UPLOAD_DONE)
    {
      *item_out = g_steal_pointer (&item);
      return TRUE;
    }

  up->path = g_strdup (sohoa_outbox_item_get_file (item));
  up->size = sohoa_outbox_item_get_size (item);

  if (sohoa_outbox_item_get_key (item))
    up->key = g_strdup (sohoa_outbox_item_get_key (item));
  else
    {
      if (prefix == NULL || *prefix == '\0')
        {
          sohoa_store_get_ward (up->store, &ward, NULL);
          prefix = ward ? ward : "sohoa";
        }
      base = g_path_get_basename (up->path);
      up->key = g_strdup_printf ("%s/%s", prefix, base);
    }

  *item_out = g_steal_pointer (&item);
  return TRUE;
}

gboolean
sohoa_uploader_upload (SohoaUploader  *self,
                       gint64          package_id,
                       SohoaJob       *job,
                       GError        **error)
{
  g_autoptr(SohoaOutboxItem) item = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *upload_id = NULL;
  g_autoptr(GError) local_error = NULL;
  Upload up = { 0 };
  gboolean multipart;
  gboolean ok = FALSE;

  g_return_val_if_fail (SOHOA_IS_UPLOADER (self), FALSE);
  g_return_val_if_fail (job == NULL || SOHOA_IS_JOB (job), FALSE);

  if (!sohoa_upload_config_check (self->config, error))
    return FALSE;

  up.self = self;
  up.job = job;
  up.cancellable = job ? sohoa_job_get_cancellable (job) : NULL;
  up.package_id = package_id;
  up.fd = -1;
  up.part_size = self->config->part_size;

  if (!(up.store = sohoa_store_dup (sohoa_context_get_store (self->context), error)))
    return FALSE;
  if (!load_package (&up, &item, error))
    {
      upload_clear (&up);
      return FALSE;
    }
  if (sohoa_outbox_item_get_state (item) == SOHOA_UPLOAD_DONE)
    {
      upload_clear (&up);
      return TRUE;
    }

  /* A package too big for 10 000 parts gets bigger parts. */
  while ((up.size + up.part_size - 1) / up.part_size > MAX_PARTS)
    up.part_size *= 2;
  up.n_parts = (guint) MAX ((up.size + up.part_size - 1) / up.part_size, 1);
  multipart = up.size > up.part_size;
  upload_id = g_strdup (sohoa_outbox_item_get_upload_id (item));

  if (!_sohoa_outbox_start (up.store, package_id, up.key, &local_error))
    goto out;

  if ((up.fd = g_open (up.path, O_RDONLY | O_CLOEXEC, 0)) < 0)
    {
      int saved = errno;

      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The package file “%s” could not be opened (%s)."), up.path, g_strerror (saved));
      goto out;
    }

  report (&up, 0, TRUE);
  if (!check_file (&up, sohoa_outbox_item_get_sha256 (item), &local_error))
    goto out;

  /* The key is recorded when an attempt starts: that one may have got
   * through before the program was stopped. */
  if (sohoa_outbox_item_get_key (item) &&
      !find_sent_object (&up, sohoa_outbox_item_get_sha256 (item), &etag, &local_error))
    goto out;
  if (etag)
    {
      g_debug ("package %lld is already in the store, complete", (long long) package_id);
      if (upload_id)
        abort_upload (&up, upload_id);
      ok = TRUE;
    }
  else if (multipart)
    ok = put_multipart (&up, sohoa_outbox_item_get_sha256 (item), upload_id, &etag, &local_error);
  else
    ok = put_whole (&up, sohoa_outbox_item_get_sha256 (item), &etag, &local_error);
  if (!ok)
    goto out;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bucket");
  json_builder_add_string_value (builder, self->config->bucket);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, up.key);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sohoa_outbox_item_get_sha256 (item));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) up.size);
  json_builder_set_member_name (builder, "parts");
  json_builder_add_int_value (builder, multipart ? up.n_parts : 0);
  json_builder_set_member_name (builder, "etag");
  json_builder_add_string_value (builder, etag);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  detail = json_generator_to_data (generator, NULL);

  ok = _sohoa_outbox_finish (up.store, sohoa_context_get_user (self->context), package_id, detail, &local_error);
  if (ok)
    {
      up.bytes_before = up.size;
      set_message (&up, _("Sent"));
    }

out:
  if (!ok)
    {
      gboolean cancelled = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      /* What was sent stays recorded; a stopped upload waits, a failed one
       * is tried again later. */
      _sohoa_outbox_stop (up.store, package_id,
                          cancelled ? SOHOA_UPLOAD_PENDING : SOHOA_UPLOAD_FAILED,
                          cancelled ? NULL : local_error->message, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  upload_clear (&up);
  return ok;
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SohoaUploader *self = source_object;
  GError *error = NULL;

  if (sohoa_uploader_upload (self, *(gint64 *) task_data, g_object_get_data (G_OBJECT (task), "job"), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Object ----------------------------------------------------------------- */

static void
sohoa_uploader_finalize (GObject *object)
{
  SohoaUploader *self = (SohoaUploader *) object;

  g_clear_object (&self->context);
  g_clear_pointer (&self->config, sohoa_upload_config_free);

  G_OBJECT_CLASS (sohoa_uploader_parent_class)->finalize (object);
}

static void
sohoa_uploader_class_init (SohoaUploaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sohoa_uploader_finalize;

  /* Once, before any thread uses curl (curl_global_init is not
   * thread-safe in libcurl 7.88). */
  curl_global_init (CURL_GLOBAL_DEFAULT);
  xmlInitParser ();
}

static void
sohoa_uploader_init (SohoaUploader *self)
{
}

/* Public API ------------------------------------------------------------- */

/**
 * sohoa_uploader_new:
 * @config: where to send; copied
 */
SohoaUploader *
sohoa_uploader_new (SohoaContext            *context,
                    const SohoaUploadConfig *config)
{
  SohoaUploader *self;

  g_return_val_if_fail (SOHOA_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (SOHOA_TYPE_UPLOADER, NULL);
  self->context = g_object_ref (context);
  self->config = sohoa_upload_config_copy (config);
  return self;
}

const SohoaUploadConfig *
sohoa_uploader_get_config (SohoaUploader *self)
{
  g_return_val_if_fail (SOHOA_IS_UPLOADER (self), NULL);
  return self->config;
}

/**
 * sohoa_uploader_upload_async:
 * @job: (nullable): receives the progress (in KiB) and holds the
 *   cancellable; cancelling stops the upload and leaves the package pending
 *
 * Sends one package in a worker thread.
 */
void
sohoa_uploader_upload_async (SohoaUploader       *self,
                             gint64               package_id,
                             SohoaJob            *job,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOHOA_IS_UPLOADER (self));
  g_return_if_fail (job == NULL || SOHOA_IS_JOB (job));

  task = g_task_new (self, job ? sohoa_job_get_cancellable (job) : NULL, callback, user_data);
  g_task_set_source_tag (task, sohoa_uploader_upload_async);
  g_task_set_task_data (task, g_memdup2 (&package_id, sizeof package_id), g_free);
  if (job)
    g_object_set_data_full (G_OBJECT (task), "job", g_object_ref (job), g_object_unref);
  /* The upload records its own outcome; a cancelled one still returns
   * through the worker, after it has marked the package pending. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, upload_thread);
}

gboolean
sohoa_uploader_upload_finish (SohoaUploader  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (SOHOA_IS_UPLOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
