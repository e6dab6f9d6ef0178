import type { Connection, DialectLock } from '@orm/core'

/**
 * The database's write lock: BEGIN IMMEDIATE, waited for with the busy timeout set to the lock's timeout (then
 * set back to the driver's 5 s). The work under the lock runs inside this transaction and release commits it;
 * if the process dies, SQLite rolls it back and frees the file.
 */
export class SqliteWriteLock implements DialectLock {
  readonly transactional = true

  async acquire(connection: Connection, _name: string, timeoutMs: number): Promise<boolean> {
    await pragma(connection, `busy_timeout = ${Math.max(0, Math.round(timeoutMs))}`)
    try {
      await connection.begin()
      return true
    } catch (error) {
      if ((error as { name?: string }).name === 'SerializationError') return false // SQLITE_BUSY: still held
      throw error
    } finally {
      await pragma(connection, 'busy_timeout = 5000')
    }
  }

  async release(connection: Connection): Promise<void> {
    try {
      await connection.commit()
    } catch (error) {
      await connection.rollback().catch(() => {})
      throw error
    }
  }
}

async function pragma(connection: Connection, setting: string): Promise<void> {
  await connection.execute({ sql: `PRAGMA ${setting}`, params: [] }, 'array')
}
