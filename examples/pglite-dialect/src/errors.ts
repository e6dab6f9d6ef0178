import { ConnectionError, OrmError } from '@orm/core'
import { mapPgError } from '@orm/pg'

/**
 * PGlite raises the same `DatabaseError` fields as `pg` (code = SQLSTATE, detail, table, column, constraint),
 * so the pg mapping applies as is: 23505 unique, 23503 foreign key, 23502 not null, 40001/40P01 serialization,
 * anything else a QueryError without bound values. What pg cannot know: a closed PGlite, and a WebAssembly
 * trap that killed the embedded backend. Both are a ConnectionError: the database is gone, not the statement.
 */
export function mapPgliteError(error: unknown, sql?: string, label = 'pglite'): OrmError {
  if (error instanceof OrmError) return error
  const message = error instanceof Error ? error.message : String(error)
  if (/PGlite is closed/i.test(message)) {
    return new ConnectionError(`The PGlite database (${label}) is closed.`, { host: label, cause: error })
  }
  if (error instanceof Error && error.name === 'RuntimeError') {
    // WebAssembly.RuntimeError: an abort or a trap inside the embedded backend.
    return new ConnectionError(`The PGlite database (${label}) stopped: ${message}`, { host: label, cause: error })
  }
  return mapPgError(error, sql, { label })
}
