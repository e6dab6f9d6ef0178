import { ConnectionError, Mutex, type Capabilities, type Connection, type Driver } from '@orm/core'
import Database from 'better-sqlite3'
import { versionCapabilities } from './capabilities.js'
import { SqliteConnection } from './connection.js'
import { StatementCache } from './statement-cache.js'

export interface SqliteOptions {
  /** A file path, or ':memory:' (the default) for a private in-memory database. */
  filename?: string
  /**
   * An open better-sqlite3 database to use instead of opening one. `close()` leaves it open: it is yours.
   * foreign_keys and busy_timeout are still set on it (the ORM relies on both); its journal mode is left alone.
   */
  database?: Database.Database
  readonly?: boolean
  /** Prepared statements kept per SQL text (default 500; 0 prepares every time). */
  statementCacheSize?: number
}

/**
 * One better-sqlite3 database shared by every caller. SQLite has a single writer and better-sqlite3 runs
 * statements synchronously, so there is no pool: `acquire()` queues for the one connection, and a
 * transaction keeps it until it ends.
 */
export class SqliteDriver implements Driver {
  private db?: Database.Database
  private closed = false
  private readonly mutex = new Mutex()
  private readonly statements: StatementCache

  constructor(private readonly options: SqliteOptions = {}) {
    this.statements = new StatementCache(options.statementCacheSize ?? 500)
  }

  async connect(): Promise<Partial<Capabilities>> {
    const db = this.open()
    const version = db.prepare('SELECT sqlite_version()').pluck().get() as string
    return versionCapabilities(version)
  }

  async acquire(): Promise<Connection> {
    await this.mutex.lock()
    try {
      return new SqliteConnection(this.open(), this.statements, () => this.mutex.unlock())
    } catch (error) {
      this.mutex.unlock()
      throw error
    }
  }

  /**
   * Closes the database this driver opened; a database passed in as `options.database` stays open.
   * Idempotent. A connection still held fails on its next statement; later acquirers fail at once.
   */
  async close(): Promise<void> {
    const db = this.db
    this.closed = true
    if (!db) return
    this.db = undefined
    this.statements.clear()
    if (!this.options.database && db.open) db.close()
  }

  private open(): Database.Database {
    if (this.db) return this.db
    // Reopening ':memory:' would hand out a new, empty database: a closed driver stays closed.
    if (this.closed) throw new ConnectionError('The SQLite driver was closed.')
    const filename = this.options.filename ?? ':memory:'
    let db: Database.Database
    try {
      db = this.options.database ?? new Database(filename, { readonly: this.options.readonly ?? false })
    } catch (error) {
      throw new ConnectionError(`Cannot open the SQLite database "${filename}": ${(error as Error).message}`, {
        host: filename,
        cause: error,
      })
    }
    if (!db.open) throw new ConnectionError('The given SQLite database is closed.', { host: db.name })
    // Foreign keys are a per-connection setting, off in stock SQLite builds.
    db.pragma('foreign_keys = ON')
    // Waits for another process's write lock instead of failing at once. better-sqlite3 is synchronous, so
    // this wait blocks the whole Node thread: keep other writers' transactions short.
    db.pragma('busy_timeout = 5000')
    // WAL lets readers in other processes work during a write. It is persistent in the file, so it is
    // only set on a database opened here.
    if (!this.options.database && !db.memory && !db.readonly) db.pragma('journal_mode = WAL')
    this.db = db
    return db
  }
}
