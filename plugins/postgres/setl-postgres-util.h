/* setl-postgres-util.h: what the PostgreSQL plugin's factories share —
 * the error domain, quoting, redacting connection strings, the type
 * mapping and value conversions both ways, and the counters tests read.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/**
 * SETL_POSTGRES_ERROR:
 *
 * Error domain of the PostgreSQL plugin. Cancellation is reported as
 * %G_IO_ERROR_CANCELLED instead.
 */
#define SETL_POSTGRES_ERROR (setl_postgres_error_quark ())
GQuark setl_postgres_error_quark (void);

/**
 * SetlPostgresError:
 * @SETL_POSTGRES_ERROR_CONFIG: properties that do not fit together
 * @SETL_POSTGRES_ERROR_CONNECT: no connection to the server (or the pool
 *   stayed full)
 * @SETL_POSTGRES_ERROR_SQL: the server refused or failed a statement
 * @SETL_POSTGRES_ERROR_TYPE: a value that does not fit its column's type
 * @SETL_POSTGRES_ERROR_EXISTS: the sink's table exists and the mode is
 *   `fail-if-exists`
 *
 * Error codes of %SETL_POSTGRES_ERROR.
 */
typedef enum {
  SETL_POSTGRES_ERROR_CONFIG,
  SETL_POSTGRES_ERROR_CONNECT,
  SETL_POSTGRES_ERROR_SQL,
  SETL_POSTGRES_ERROR_TYPE,
  SETL_POSTGRES_ERROR_EXISTS,
} SetlPostgresError;

/**
 * SetlPostgresNumeric:
 * @SETL_POSTGRES_NUMERIC_DOUBLE: `numeric` columns read as doubles
 * @SETL_POSTGRES_NUMERIC_STRING: `numeric` columns read as their exact text
 *
 * How a source reads `numeric` (`decimal`) columns.
 */
typedef enum {
  SETL_POSTGRES_NUMERIC_DOUBLE,
  SETL_POSTGRES_NUMERIC_STRING,
} SetlPostgresNumeric;

GType setl_postgres_numeric_get_type (void);
#define SETL_TYPE_POSTGRES_NUMERIC (setl_postgres_numeric_get_type ())

#define SETL_POSTGRES_DEFAULT_BATCH_SIZE 65536
#define SETL_POSTGRES_DEFAULT_POOL_SIZE 8
/* What the "backend" property says of an unset connection string. */
#define SETL_POSTGRES_DEFAULT_BACKEND "postgresql:// (libpq defaults)"

/* Type OIDs (pg_type.dat): stable across server versions. */
enum {
  PG_OID_BOOL = 16, PG_OID_NAME = 19, PG_OID_INT8 = 20, PG_OID_INT2 = 21, PG_OID_INT4 = 23,
  PG_OID_TEXT = 25, PG_OID_OID = 26, PG_OID_FLOAT4 = 700, PG_OID_FLOAT8 = 701,
  PG_OID_BPCHAR = 1042, PG_OID_VARCHAR = 1043, PG_OID_DATE = 1082, PG_OID_TIMESTAMP = 1114,
  PG_OID_TIMESTAMPTZ = 1184, PG_OID_NUMERIC = 1700,
};

char       *setl_postgres_quote_identifier (const char  *name);
char       *setl_postgres_qualified_name   (const char  *schema,
                                            const char  *table);
char       *setl_postgres_redact_conninfo  (const char  *conninfo);
char       *setl_postgres_conninfo_identity (const char *conninfo);
char       *setl_postgres_abbreviate       (const char  *text);
char       *setl_postgres_one_line         (const char  *message);
char       *setl_postgres_strip_statement  (const char  *sql);

SetlField  *setl_postgres_field_for_oid    (const char          *name,
                                            Oid                  oid,
                                            SetlPostgresNumeric  numeric,
                                            gboolean             nullable);
const char *setl_postgres_type_to_sql      (SetlField           *field);

gboolean    setl_postgres_append_text      (SetlColumnBuilder   *builder,
                                            SetlDataType         type,
                                            const char          *text,
                                            gsize                length,
                                            char               **problem);

/* Binary COPY (COPY … FROM STDIN (FORMAT binary)) of record batches. */
void        setl_postgres_copy_header      (GByteArray          *buf);
gint64      setl_postgres_copy_append_rows (GByteArray          *buf,
                                            SetlRecordBatch     *batch,
                                            gint64               row,
                                            gint64               end,
                                            gsize                limit);
void        setl_postgres_copy_trailer     (GByteArray          *buf);

/* Rows moved between the server and this process, for tests and benches:
 * pushdown is proven by these staying put. */
gint64      setl_postgres_get_rows_fetched  (void);
gint64      setl_postgres_get_rows_uploaded (void);
void        _setl_postgres_count_fetched    (gint64 n);
void        _setl_postgres_count_uploaded   (gint64 n);

G_END_DECLS
