import {
  ForeignKeyConstraintError, NotNullConstraintError, OrmError, QueryError, SerializationError, UniqueConstraintError,
} from '@orm/core'

/**
 * Maps a better-sqlite3 error to the ORM's classes. SQLite names the failing columns only in the message
 * ('UNIQUE constraint failed: users.email, users.x'), so table and columns are parsed from it.
 * The message is SQLite's own, which never contains bound values.
 */
export function mapSqliteError(error: unknown, sql?: string): OrmError {
  if (error instanceof OrmError) return error
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  const info = { sql, cause: error }
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return new UniqueConstraintError({ ...info, ...failedColumns(message) })
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return new NotNullConstraintError({ ...info, ...failedColumns(message) })
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      // SQLite does not say which key failed; the statement's own table is the best it can tell.
      return new ForeignKeyConstraintError({ ...info, table: statementTable(sql) })
    default:
      // Extended codes too (SQLITE_BUSY_SNAPSHOT, ...): another writer held the database, a retry may pass.
      if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return new SerializationError(message, info)
      return new QueryError(message, info)
  }
}

/** 'UNIQUE constraint failed: users.a, users.b' -> { table: 'users', columns: ['a', 'b'] }. */
function failedColumns(message: string): { table?: string; columns?: string[] } {
  const list = /constraint failed: (.+)$/.exec(message)?.[1]
  if (!list) return {}
  let table: string | undefined
  const columns = list.split(', ').map((item) => {
    const dot = item.indexOf('.')
    if (dot < 0) return item
    table = item.slice(0, dot)
    return item.slice(dot + 1)
  })
  return { table, columns }
}

/** The table an INSERT, UPDATE or DELETE writes to. */
function statementTable(sql: string | undefined): string | undefined {
  const match = /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+("(?:[^"]|"")+"|[\w$]+)/i.exec(sql ?? '')
  if (!match) return undefined
  const name = match[1]
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name
}
