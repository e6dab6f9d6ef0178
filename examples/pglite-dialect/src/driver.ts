import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { ConnectionError, Mutex, type Capabilities, type Connection, type Driver } from '@orm/core'
import { capabilitiesFor } from '@orm/pg'
import { PgliteConnection } from './connection.js'
import { mapPgliteError } from './errors.js'
import { parsers } from './parsers.js'

export interface PgliteOptions {
  /**
   * Where the data lives: omitted or 'memory://' for a private in-memory database (gone on close), or a
   * directory path for one kept on disk (Node's file system).
   */
  dataDir?: string
  /**
   * An open PGlite to use instead of creating one. `close()` leaves it open: it is yours. It must read the
   * types as this dialect expects: create it with `{ parsers }` from this package (see `createPglite`).
   */
  database?: PGlite
  /** More options for the PGlite this driver creates (extensions, debug, ...). `parsers` are always ours. */
  pglite?: Omit<PGliteOptions, 'dataDir' | 'parsers'>
}

/** A PGlite made the way this dialect reads it: with its type parsers. */
export function createPglite(dataDir?: string, options: Omit<PGliteOptions, 'dataDir' | 'parsers'> = {}): Promise<PGlite> {
  return PGlite.create({ ...options, dataDir, parsers })
}

/**
 * One embedded PostgreSQL shared by every caller. There is one backend session and no pool: `acquire()`
 * queues (first come, first served) for the one connection, and a transaction keeps it until it ends.
 */
export class PgliteDriver implements Driver {
  readonly label: string
  private db?: PGlite
  private opening?: Promise<PGlite>
  private closed = false
  private readonly mutex = new Mutex()

  constructor(private readonly options: PgliteOptions = {}) {
    this.label = options.database ? 'pglite (given)' : `pglite ${options.dataDir ?? 'memory://'}`
  }

  /** Starts the database (WebAssembly start-up and, for a new data directory, initdb) and reads its version. */
  async connect(): Promise<Partial<Capabilities>> {
    const db = await this.open()
    try {
      const { rows } = await db.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version")
      return capabilitiesFor(Number(rows[0].version))
    } catch (error) {
      throw mapPgliteError(error, undefined, this.label)
    }
  }

  async acquire(): Promise<Connection> {
    if (this.closed) throw this.closedError()
    await this.mutex.lock()
    try {
      if (this.closed) throw this.closedError()
      return new PgliteConnection(await this.open(), this.label, () => this.mutex.unlock())
    } catch (error) {
      this.mutex.unlock()
      throw error
    }
  }

  /**
   * Closes the database this driver created; a database passed in as `options.database` stays open.
   * Idempotent. A connection still held fails on its next statement; later acquirers fail at once.
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const db = this.db ?? (await this.opening?.catch(() => undefined))
    this.db = undefined
    if (db && !this.options.database && !db.closed) await db.close()
  }

  private open(): Promise<PGlite> {
    if (this.db) return Promise.resolve(this.db)
    // Reopening 'memory://' would hand out a new, empty database: a closed driver stays closed.
    if (this.closed) return Promise.reject(this.closedError())
    this.opening ??= (async () => {
      try {
        const db = this.options.database ?? (await createPglite(this.options.dataDir, this.options.pglite))
        if (db.closed) throw new ConnectionError('The given PGlite database is closed.', { host: this.label })
        this.db = db
        return db
      } catch (error) {
        this.opening = undefined
        throw error instanceof ConnectionError
          ? error
          : new ConnectionError(`Cannot start PGlite (${this.label}): ${(error as Error).message}`, { host: this.label, cause: error })
      }
    })()
    return this.opening
  }

  private closedError(): ConnectionError {
    return new ConnectionError(`The PGlite driver (${this.label}) was closed.`, { host: this.label })
  }
}
