/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bytes of a file to import: format sniffing, end markers, the pixel
 * budget, the TIFF frame count, the PDF opener and Leptonica's decoders. */
#include "sohoa-fuzz.h"
#include "sohoa-import-private.h"

/* Decoding a valid header of 300 million pixels is allowed in Sohoa; it
 * only wastes the fuzzer's time and memory. */
#define FUZZ_MAX_PIXELS (4 * 1000 * 1000)
#define FUZZ_MAX_FRAMES 4

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  sohoa_fuzz_init ();
  bytes = g_bytes_new (data, size);
  n = _sohoa_import_decode_bytes (bytes, FUZZ_MAX_FRAMES, FUZZ_MAX_PIXELS, &error);
  g_assert ((n < 0) == (error != NULL));
  return 0;
}
