/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

static inline void
_sohoa_pix_destroy (PIX *pix)
{
  pixDestroy (&pix);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIX, _sohoa_pix_destroy)

G_END_DECLS
