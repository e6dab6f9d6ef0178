import { type CompiledQuery, type Connection, ConnectionError, type DriverResult, type Isolation, type RowMode, TransactionControl, ValidationError } from '@orm/core'
import type { PGlite } from '@electric-sql/pglite'
import { mapPgliteError } from './errors.js'

const ISOLATION: Record<Isolation, string> = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
}

/**
 * One lease of the embedded database: it holds the driver's lock from `acquire()` to `release()`, so a
 * transaction's statements never interleave with anybody else's on PGlite's single session.
 */
export class PgliteConnection extends TransactionControl implements Connection {
  private released = false

  constructor(
    private readonly db: PGlite,
    private readonly label: string,
    private readonly onRelease: () => void,
  ) {
    super()
  }

  async execute(query: CompiledQuery, rowMode: RowMode): Promise<DriverResult> {
    this.assertUsable()
    try {
      if (query.params.length === 0) {
        // Parameterless text runs through the simple protocol: it may hold several statements (DDL scripts).
        // The rows are the last statement's, the affected count the sum (as the pg driver reports them).
        const results = await this.db.exec(query.sql, { rowMode })
        const last = results[results.length - 1]
        return { rows: last?.rows ?? [], affectedRows: results.reduce((sum, r) => sum + (r.affectedRows ?? 0), 0) }
      }
      const result = await this.db.query(query.sql, [...query.params], { rowMode })
      // No insertId: the dialect declares RETURNING, so the runtime reads generated keys from the rows.
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 }
    } catch (error) {
      throw mapPgliteError(error, query.sql, this.label)
    }
  }

  async begin(isolation?: Isolation): Promise<void> {
    if (isolation !== undefined && !(isolation in ISOLATION)) {
      throw new ValidationError(`Unknown isolation level "${String(isolation)}". Valid: ${Object.keys(ISOLATION).join(', ')}.`)
    }
    await this.control(isolation ? `BEGIN ISOLATION LEVEL ${ISOLATION[isolation]}` : 'BEGIN')
  }


  /**
   * Hands the session on. A transaction still open here (its owner crashed between BEGIN and COMMIT) would
   * swallow the next holder's statements, so it is rolled back first; `broken` changes nothing, as there is
   * no other session to replace this one with.
   */
  release(_broken?: boolean): void {
    if (this.released) return
    this.released = true
    if (this.db.closed || !this.db.isInTransaction()) {
      this.onRelease()
      return
    }
    this.db.exec('ROLLBACK').then(
      () => this.onRelease(),
      () => this.onRelease(),
    )
  }

  protected async control(sql: string): Promise<void> {
    await this.execute({ sql, params: [] }, 'array')
  }

  private assertUsable(): void {
    if (this.released) throw new ConnectionError('This PGlite connection was already released.')
    if (this.db.closed) throw new ConnectionError(`The PGlite database (${this.label}) is closed.`, { host: this.label })
  }
}

