/**
 * Every error the ORM throws extends OrmError and carries a stable `code`.
 * Messages name the bad thing and what would be valid; they never contain bound values or passwords.
 */
export class OrmError extends Error {
  readonly code: string = 'ORM_ERROR'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A schema definition is wrong (bad relation keys, duplicate names, a table key that collides with a db method). */
export class SchemaError extends OrmError {
  override readonly code = 'SCHEMA_ERROR'
}

/** A relation name that the table does not have. */
export class UnknownRelationError extends OrmError {
  override readonly code = 'UNKNOWN_RELATION'
  constructor(readonly table: string, readonly relation: string, readonly valid: readonly string[]) {
    super(`Unknown relation "${relation}" on table "${table}". Valid relations: ${listOrNone(valid)}.`)
  }
}

/** A column (or table) name that the schema does not have. */
export class UnknownColumnError extends OrmError {
  override readonly code = 'UNKNOWN_COLUMN'
  constructor(readonly table: string, readonly column: string, readonly valid: readonly string[], what = 'column') {
    super(`Unknown ${what} "${truncate(column)}" on table "${table}". Valid ${what}s: ${listOrNone(valid)}.`)
  }
}

/** `db.schema.withLock` waited its timeout for a lock another process holds (another `orm migrate`). */
export class LockTimeoutError extends OrmError {
  override readonly code = 'LOCK_TIMEOUT'
}

/** findOrFail / firstOrFail found nothing. */
export class NotFoundError extends OrmError {
  override readonly code = 'NOT_FOUND'
  constructor(readonly table: string, readonly key?: unknown) {
    super(key === undefined ? `No row found in "${table}".` : `No row found in "${table}" for the given key.`)
  }
}

/** Input that cannot be valid (a bad limit, a wrong number of placeholders, a non-nullable key set to null, ...). */
export class ValidationError extends OrmError {
  override readonly code = 'VALIDATION'
}

interface ConstraintInfo {
  table?: string
  columns?: string[]
  constraint?: string
  sql?: string
  cause?: unknown
}

/** The base of the normalized constraint violations. */
export abstract class ConstraintError extends OrmError {
  readonly table?: string
  readonly columns?: string[]
  readonly constraint?: string
  readonly sql?: string
  constructor(message: string, info: ConstraintInfo) {
    super(message, { cause: info.cause })
    this.table = info.table
    this.columns = info.columns
    this.constraint = info.constraint
    this.sql = info.sql
  }
}

export class UniqueConstraintError extends ConstraintError {
  override readonly code = 'UNIQUE_VIOLATION'
  constructor(info: ConstraintInfo) {
    super(`Unique constraint violated${describe(info)}.`, info)
  }
}

export class ForeignKeyConstraintError extends ConstraintError {
  override readonly code = 'FOREIGN_KEY_VIOLATION'
  constructor(info: ConstraintInfo) {
    super(`Foreign key constraint violated${describe(info)}.`, info)
  }
}

export class NotNullConstraintError extends ConstraintError {
  override readonly code = 'NOT_NULL_VIOLATION'
  constructor(info: ConstraintInfo) {
    super(`Not-null constraint violated${describe(info)}.`, info)
  }
}

/** A deadlock, serialization failure or busy database: safe to retry the whole transaction. */
export class SerializationError extends OrmError {
  override readonly code = 'SERIALIZATION_FAILURE'
  readonly sql?: string
  constructor(message: string, options: { sql?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.sql = options.sql
  }
}

/** Cannot connect, the connection died, or the db was closed. Names the host, never the password. */
export class ConnectionError extends OrmError {
  override readonly code = 'CONNECTION_ERROR'
  readonly host?: string
  constructor(message: string, options: { host?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.host = options.host
  }
}

/** Anything else the database said. Carries the SQL (never the bound values) and the driver's error as `cause`. */
export class QueryError extends OrmError {
  override readonly code = 'QUERY_ERROR'
  readonly sql?: string
  constructor(message: string, options: { sql?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.sql = options.sql
  }
}

function describe(info: ConstraintInfo): string {
  const parts: string[] = []
  if (info.table) parts.push(`on table "${info.table}"`)
  if (info.columns?.length) parts.push(`column${info.columns.length > 1 ? 's' : ''} ${info.columns.map((c) => `"${c}"`).join(', ')}`)
  if (info.constraint) parts.push(`(constraint "${info.constraint}")`)
  return parts.length ? ' ' + parts.join(' ') : ''
}

function listOrNone(names: readonly string[]): string {
  return names.length ? names.join(', ') : '(none)'
}

function truncate(s: string): string {
  const str = String(s)
  return str.length > 80 ? str.slice(0, 77) + '...' : str
}
