import { type CompiledQuery, type Connection, ConnectionError, type DriverResult, type RowMode, TransactionControl } from '@orm/core'
import type Database from 'better-sqlite3'
import { bindParameter } from './codecs.js'
import { mapSqliteError } from './errors.js'
import type { StatementCache } from './statement-cache.js'

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * One lease of the single database: it holds the driver's lock from `acquire()` to `release()`.
 * better-sqlite3 is synchronous, so the async methods run to completion before they return.
 */
export class SqliteConnection extends TransactionControl implements Connection {
  private released = false

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
    private readonly onRelease: () => void,
  ) {
    super()
  }

  async execute(query: CompiledQuery, rowMode: RowMode): Promise<DriverResult> {
    this.assertUsable()
    try {
      const cached = this.statements.get(this.db, query.sql)
      const params = query.params.map(bindParameter)
      if (cached.reader) {
        const rows = cached.rows(rowMode === 'array').all(...params)
        return { rows, affectedRows: cached.readonly ? 0 : rows.length }
      }
      const result = cached.statement.run(...params)
      return { rows: [], affectedRows: result.changes, insertId: firstInsertId(query.sql, result) }
    } catch (error) {
      throw mapSqliteError(error, query.sql)
    }
  }

  // IMMEDIATE takes the write lock now: a deferred transaction that writes later can fail with SQLITE_BUSY.
  // The isolation level is ignored: SQLite transactions are always serializable.
  begin(): Promise<void> {
    return this.control('BEGIN IMMEDIATE')
  }


  release(_broken?: boolean): void {
    if (this.released) return
    this.released = true
    // A transaction left open would swallow the next holder's statements: end it here.
    if (this.db.open && this.db.inTransaction) {
      try {
        this.db.exec('ROLLBACK')
      } catch {
        // Nothing left to undo; the lock must still be handed on.
      }
    }
    this.onRelease()
  }

  protected async control(sql: string): Promise<void> {
    await this.execute({ sql, params: [] }, 'array')
  }

  private assertUsable(): void {
    if (this.released) throw new ConnectionError('This SQLite connection was already released.')
    if (!this.db.open) throw new ConnectionError('The SQLite database is closed.', { host: this.db.name })
  }
}


/**
 * SQLite reports the LAST rowid of an insert; the contract asks for the first. The rowids of one INSERT are
 * consecutive (one writer at a time), so the first is last - changes + 1 when the ids were generated.
 * An upsert counts updated rows in `changes` without assigning them rowids: no id can be told there.
 */
function firstInsertId(sql: string, result: Database.RunResult): number | bigint | undefined {
  if (result.changes === 0 || !/^\s*INSERT\b/i.test(sql) || /\bON\s+CONFLICT\b/i.test(sql)) return undefined
  const first = BigInt(result.lastInsertRowid) - BigInt(result.changes) + 1n
  return first <= MAX_SAFE ? Number(first) : first
}
