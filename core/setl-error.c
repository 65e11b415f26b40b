/* setl-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "setl-error.h"

G_DEFINE_QUARK (setl-pipeline-error-quark, setl_pipeline_error)
