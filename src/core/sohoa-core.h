/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sohoa-batch.h"
#include "sohoa-context.h"
#include "sohoa-export.h"
#include "sohoa-hot-folder.h"
#include "sohoa-import.h"
#include "sohoa-job.h"
#include "sohoa-ocr.h"
#include "sohoa-page.h"
#include "sohoa-scan-device.h"
#include "sohoa-scanner.h"
#include "sohoa-schema.h"
#include "sohoa-store.h"
#include "sohoa-syllable.h"
#include "sohoa-types.h"
#include "sohoa-user.h"
#include "sohoa-vntext.h"
