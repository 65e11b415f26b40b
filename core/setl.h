/* setl.h: the one header to include for libsetl.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define SETL_INSIDE

#include "setl-version.h"
#include "setl-error.h"
#include "setl-enum-types.h"
#include "setl-external.h"
#include "setl-delivery.h"
#include "setl-deliverable.h"
#include "setl-factory.h"
#include "setl-factory-result.h"
#include "setl-run-report.h"
#include "setl-job-group.h"
#include "setl-job-group-hook.h"
#include "setl-log.h"
#include "setl-stage.h"
#include "setl-node.h"
#include "setl-flow.h"
#include "setl-dispatcher.h"
#include "setl-inspector.h"
#include "setl-pipeline.h"
#include "setl-data-type.h"
#include "setl-field.h"
#include "setl-column.h"
#include "setl-column-builder.h"
#include "setl-record-batch.h"
#include "setl-table.h"
#include "setl-batch-iterator.h"
#include "setl-batch-stream.h"
#include "setl-map-stream.h"
#include "setl-read-ahead-iterator.h"
#include "setl-arrow.h"
#include "setl-expr-scope.h"
#include "setl-expr.h"
#include "setl-check.h"
#include "setl-output-facts.h"
#include "setl-condition-context.h"
#include "setl-condition.h"
#include "setl-expr-condition.h"
#include "setl-one-of.h"
#include "setl-cache-key.h"
#include "setl-cache-entry.h"
#include "setl-cache-writer.h"
#include "setl-cache-policy.h"
#include "setl-cacheable.h"
#include "setl-pipeline-cache.h"
#include "setl-sql-relation.h"

#undef SETL_INSIDE
