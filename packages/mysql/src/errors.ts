import {
  ConnectionError, ForeignKeyConstraintError, NotNullConstraintError, OrmError, QueryError, SerializationError,
  UniqueConstraintError,
} from '@orm/core'

/** Where the server is, for connection error messages. The password is only used to scrub it out. */
export interface ServerAddress {
  readonly host: string
  readonly port: number
  readonly password?: string
}

interface MysqlError {
  errno?: number
  code?: string
  message?: string
  sqlMessage?: string
}

/** The quoted value in "Incorrect integer value: 'abc' for column", "Duplicate entry 'x' for key": a bound value. */
const QUOTED_VALUE = /(\b(?:value:?|entry) )'[\s\S]*?'(?= for |$)/g

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'POOL_CLOSED',
])
// 1045 access denied, 1049 unknown database, 2013 lost connection during query, 4031 disconnected for inactivity.
const CONNECTION_ERRNOS = new Set([1045, 1049, 2013, 4031])

/** A mysql2 error as one of the ORM's error classes. Messages never contain bound values or the password. */
export function mapMysqlError(error: unknown, sql?: string, server?: ServerAddress): OrmError {
  if (error instanceof OrmError) return error
  const err = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as MysqlError
  const message = scrub(err.sqlMessage ?? err.message ?? String(error), server?.password).replace(QUOTED_VALUE, '$1?')
  if (isConnectionError(err)) {
    const host = server ? `${server.host}:${server.port}` : undefined
    return new ConnectionError(`MySQL connection${host ? ` to ${host}` : ''} failed: ${message}`, { host, cause: error })
  }
  switch (err.errno) {
    case 1062:
      // "Duplicate entry 'a@b.c' for key 'users.email'": the entry is a bound value, so only the key is kept.
      return new UniqueConstraintError({ constraint: lastQuoted(message, /for key '(.+)'$/), sql, cause: error })
    case 1451: case 1452:
      return new ForeignKeyConstraintError({ ...foreignKey(message), sql, cause: error })
    case 1048: case 1364: {
      const column = /^(?:Column|Field) '(.+?)'/.exec(message)?.[1]
      return new NotNullConstraintError({ columns: column ? [column] : undefined, sql, cause: error })
    }
    case 1213: case 1205:
      return new SerializationError(message, { sql, cause: error })
  }
  return new QueryError(message, { sql, cause: error })
}

function isConnectionError(err: MysqlError): boolean {
  if (err.code && CONNECTION_CODES.has(err.code)) return true
  if (err.errno !== undefined && CONNECTION_CODES.has(String(err.errno))) return true
  if (err.errno !== undefined && CONNECTION_ERRNOS.has(err.errno)) return true
  return /closed state|Pool is closed/i.test(err.message ?? '')
}

/** The key name of "for key 'users.email'" (MySQL 8 prefixes the table, MariaDB does not). */
function lastQuoted(message: string, pattern: RegExp): string | undefined {
  const name = pattern.exec(message)?.[1]
  return name?.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name
}

/** "... CONSTRAINT `posts_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ..." */
function foreignKey(message: string): { table?: string; constraint?: string; columns?: string[] } {
  const match = /`([^`]+)`, CONSTRAINT `([^`]+)` FOREIGN KEY \(([^)]*)\)/.exec(message)
  if (!match) return {}
  return { table: match[1], constraint: match[2], columns: match[3].split(',').map((c) => c.trim().replace(/`/g, '')) }
}

function scrub(message: string, password?: string): string {
  return password ? message.split(password).join('***') : message
}
