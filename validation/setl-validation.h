/* setl-validation.h: the validation API in one header: schemas with their
 * checks (<setl/setl-schema-registry.h>), check libraries, the validator and
 * its report.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "setl-plugin.h"
#include "setl-schema-registry.h"
#include "setl-aggregate-check.h"
#include "setl-validation-value.h"
#include "setl-check-catalog.h"
#include "setl-validation-report.h"
#include "setl-validator.h"
/* The validation tools: inference, synthesis, hooks, SQL pushdown. */
#include "setl-schema-inference.h"
#include "setl-synthesizer.h"
#include "setl-validation-hook.h"
#include "setl-validation-sql.h"
#include "setl-validation-pushdown.h"
