import type { Connection, DialectLock } from '@orm/core'

/**
 * `GET_LOCK`: a named lock of the session. Its names are server-wide, so the current database is part of the
 * name (cut to the 64 characters MySQL allows). The server frees it if the connection dies.
 */
export class MysqlNamedLock implements DialectLock {
  readonly transactional = false

  async acquire(connection: Connection, name: string, timeoutMs: number): Promise<boolean> {
    const seconds = Math.max(0, Math.ceil(timeoutMs / 1000))
    const { rows } = await connection.execute({ sql: `SELECT GET_LOCK(${lockName}, ?) AS ok`, params: [name, seconds] }, 'array')
    return Number((rows[0] as unknown[])[0]) === 1
  }

  async release(connection: Connection, name: string): Promise<void> {
    await connection.execute({ sql: `SELECT RELEASE_LOCK(${lockName})`, params: [name] }, 'array')
  }
}

const lockName = "LEFT(CONCAT(COALESCE(DATABASE(), ''), '.', ?), 64)"
