/* setl-sqlite-util.h: what the SQLite plugin's factories share — opening
 * connections (with cancellation and the job-group SQL functions), quoting
 * identifiers, mapping types and converting values both ways.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <setl/setl.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/**
 * SETL_SQLITE_ERROR:
 *
 * Error domain of the SQLite plugin. Cancellation is reported as
 * %G_IO_ERROR_CANCELLED instead.
 */
#define SETL_SQLITE_ERROR (setl_sqlite_error_quark ())
GQuark setl_sqlite_error_quark (void);

/**
 * SetlSqliteError:
 * @SETL_SQLITE_ERROR_CONFIG: properties that do not fit together (no table
 *   and no query, an input slot without a stream, …)
 * @SETL_SQLITE_ERROR_SQL: SQLite refused a statement or failed running it
 * @SETL_SQLITE_ERROR_TYPE: a value that does not fit its column's type
 * @SETL_SQLITE_ERROR_EXISTS: the sink's table exists and the mode is
 *   `fail-if-exists`
 *
 * Error codes of %SETL_SQLITE_ERROR.
 */
typedef enum {
  SETL_SQLITE_ERROR_CONFIG,
  SETL_SQLITE_ERROR_SQL,
  SETL_SQLITE_ERROR_TYPE,
  SETL_SQLITE_ERROR_EXISTS,
} SetlSqliteError;

/* Default rows per batch, as for every libsetl source. */
#define SETL_SQLITE_DEFAULT_BATCH_SIZE 65536
/* A batch is cut early once its strings reach this many bytes, far below the
 * 2 GiB a string column can hold. */
#define SETL_SQLITE_MAX_BATCH_BYTES (256u * 1024 * 1024)

typedef struct _SetlSqliteConnection SetlSqliteConnection;

/* One sqlite3 handle plus the state its callbacks need. */
struct _SetlSqliteConnection
{
  sqlite3      *db;
  char         *path;
  GCancellable *cancellable;   /* of the operation running now; not owned */
  GError       *pending_error; /* set by virtual tables, taken by the stepper */
};

typedef enum {
  SETL_SQLITE_OPEN_READ_ONLY,  /* the database must exist */
  SETL_SQLITE_OPEN_READ_WRITE, /* the database must exist */
  SETL_SQLITE_OPEN_CREATE,     /* created when missing */
} SetlSqliteOpenMode;

SetlSqliteConnection *setl_sqlite_connection_open   (const char            *path,
                                                     SetlSqliteOpenMode     mode,
                                                     GError               **error);
void                  setl_sqlite_connection_close  (SetlSqliteConnection  *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SetlSqliteConnection, setl_sqlite_connection_close)

gboolean setl_sqlite_connection_exec       (SetlSqliteConnection  *conn,
                                            const char            *sql,
                                            GError               **error);
gboolean setl_sqlite_connection_fail       (SetlSqliteConnection  *conn,
                                            int                    rc,
                                            GError               **error,
                                            const char            *format,
                                            ...) G_GNUC_PRINTF (4, 5);
int      setl_sqlite_connection_step       (SetlSqliteConnection  *conn,
                                            sqlite3_stmt          *stmt);

char        *setl_sqlite_quote_identifier  (const char   *name);
char        *setl_sqlite_abbreviate        (const char   *text);
gboolean     setl_sqlite_type_from_decltype (const char  *decltype,
                                             SetlDataType *type);
const char  *setl_sqlite_type_to_decltype  (SetlDataType  type);

char        *setl_sqlite_format_date32     (gint32        days,
                                            char          buf[32]);
char        *setl_sqlite_format_timestamp  (gint64        usec,
                                            char          buf[48]);
gboolean     setl_sqlite_parse_date32      (const char   *text,
                                            gsize         length,
                                            gint32       *days);
gboolean     setl_sqlite_parse_timestamp   (const char   *text,
                                            gsize         length,
                                            gint64       *usec);

gboolean     setl_sqlite_append_value      (SetlColumnBuilder *builder,
                                            SetlDataType       type,
                                            sqlite3_stmt      *stmt,
                                            int                column,
                                            char             **problem);
int          setl_sqlite_bind_value        (sqlite3_stmt      *stmt,
                                            int                index,
                                            SetlColumn        *column,
                                            gint64             row);

void          setl_sqlite_publish_job_group (SetlJobGroup     *group);
SetlJobGroup *setl_sqlite_get_published_job_group (void);

G_END_DECLS
