import {
  ConnectionError, ForeignKeyConstraintError, NotNullConstraintError, OrmError, QueryError, SerializationError,
  UniqueConstraintError,
} from '@orm/core'
import type { ServerInfo } from './server.js'

interface PgErrorFields {
  message?: string
  code?: string
  table?: string
  column?: string
  constraint?: string
  detail?: string
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN',
  '28P01', '28000', '3D000', '57P01', '57P02', '57P03', '53300',
])
const CONNECTION_MESSAGES =
  /Connection terminated|not queryable|after calling end on the pool|timeout exceeded when trying to connect|does not support SSL/i

/** A `pg` error as one of the ORM's errors. Messages carry no bound values, no DETAIL and no password. */
export function mapPgError(error: unknown, sql?: string, server?: ServerInfo): OrmError {
  if (error instanceof OrmError) return error
  const err = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as PgErrorFields
  const code = typeof err.code === 'string' ? err.code : ''
  const info = { table: err.table, constraint: err.constraint, sql, cause: error }
  switch (code) {
    case '23505':
      return new UniqueConstraintError({ ...info, columns: keyColumns(err.detail) })
    case '23503':
      // "Key (author_id)=(1) is not present in table ..." names this table's columns; "... is still referenced
      // from table ..." names the referenced table's, so they are left out there.
      return new ForeignKeyConstraintError({
        ...info,
        columns: /is not present in table/.test(err.detail ?? '') ? keyColumns(err.detail) : undefined,
      })
    case '23502':
      return new NotNullConstraintError({ ...info, columns: err.column ? [err.column] : undefined })
    case '40001': case '40P01':
      return new SerializationError(err.message ?? 'Serialization failure.', { sql, cause: error })
  }
  if (isConnectionFailure(code, err.message)) {
    const reason = scrub(err.message || code || 'connection failed', server?.password)
    const where = server ? ` at ${server.label}` : ''
    return new ConnectionError(`PostgreSQL connection${where} failed: ${reason}`, { host: server?.label, cause: error })
  }
  return new QueryError(scrub(withoutValue(err.message ?? String(error), code), server?.password), { sql, cause: error })
}

function isConnectionFailure(code: string, message: string | undefined): boolean {
  return CONNECTION_CODES.has(code) || code.startsWith('08') || /CERT|TLS|SSL/.test(code) ||
    CONNECTION_MESSAGES.test(message ?? '')
}

/** Column names of a DETAIL like `Key (a, "b c")=(1, x) already exists.` (the values are never kept). */
export function keyColumns(detail: string | undefined): string[] | undefined {
  if (!detail?.startsWith('Key (')) return undefined
  const end = detail.indexOf(')=(')
  if (end < 0) return undefined
  const list = detail.slice(5, end)
  const columns: string[] = []
  for (const match of list.matchAll(/\s*("(?:[^"]|"")*"|[^,]+)\s*(?:,|$)/g)) {
    const name = match[1].trim()
    columns.push(name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name)
  }
  return columns.length ? columns : undefined
}

/**
 * Data errors (class 22) quote the offending value: `invalid input syntax for type integer: "abc"`,
 * `value "99999999999" is out of range for type integer`. The value may be a bound parameter: hide it.
 */
function withoutValue(message: string, code: string): string {
  if (!code.startsWith('22')) return message
  return message.replace(/"(?:[^"]|"")*"/g, '"…"').replace(/0x[0-9a-f]{2}(?: 0x[0-9a-f]{2})*/gi, '0x…')
}

function scrub(message: string, password: string | undefined): string {
  return password && password.length >= 3 ? message.split(password).join('***') : message
}
