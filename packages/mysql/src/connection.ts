import { type CompiledQuery, type Connection, type DriverResult, type Isolation, type OrmError, type RowMode, TransactionControl, ValidationError } from '@orm/core'
import type { PoolConnection, QueryOptions, ResultSetHeader } from 'mysql2/promise'

/**
 * Statements the server cannot prepare (transaction control, savepoints, session settings) or that should not
 * fill the per-connection statement cache (DDL): they go through `query()` instead of `execute()`.
 */
const NOT_PREPARED = /^\s*(?:create|alter|drop|truncate|rename|start|begin|commit|rollback|savepoint|release|set|lock|unlock|use|xa|grant|revoke|flush)\b/i
/** Statements whose result rows are RETURNING rows, one per changed row. */
const CHANGES_ROWS = /^\s*(?:insert|replace|update|delete)\b/i

const LEVELS: Record<Isolation, string> = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
}

export type QueryDefaults = Omit<QueryOptions, 'sql' | 'values'>

/**
 * Array rows are the ORM's, decoded by the column codecs: there a BIGINT within 2^53 comes as a number (mysql2
 * then skips its 64-bit string arithmetic per value) and only a larger one as text, which the codec turns into
 * a bigint or refuses in number mode; a DATETIME comes as a Date made by mysql2 from its binary fields in UTC
 * (the session time zone is UTC), not as text written out and parsed again; a DATE stays 'YYYY-MM-DD' text.
 * Object rows (db.execute) keep the driver defaults: BIGINT and DATETIME as text.
 */
const DECODED_ROWS: QueryDefaults = { bigNumberStrings: false, dateStrings: ['DATE'] }

/** One pooled mysql2 connection. */
export class MysqlConnection extends TransactionControl implements Connection {
  private broken = false
  private released = false

  constructor(
    readonly raw: PoolConnection,
    private readonly defaults: QueryDefaults,
    private readonly mapError: (error: unknown, sql?: string) => OrmError,
  ) {
    super()
  }

  async execute(query: CompiledQuery, rowMode: RowMode): Promise<DriverResult> {
    const options: QueryOptions = {
      ...this.defaults,
      ...(rowMode === 'array' ? DECODED_ROWS : undefined),
      sql: query.sql,
      values: query.params as any[],
      rowsAsArray: rowMode === 'array',
    }
    try {
      const [result] = NOT_PREPARED.test(query.sql) ? await this.raw.query(options) : await this.raw.execute(options)
      return toDriverResult(result, query.sql)
    } catch (error) {
      throw this.fail(error, query.sql)
    }
  }

  async begin(isolation?: Isolation): Promise<void> {
    if (isolation !== undefined) {
      const level = LEVELS[isolation]
      if (!level) throw new ValidationError(`Unknown isolation level "${String(isolation)}". Valid: ${Object.keys(LEVELS).join(', ')}.`)
      await this.control(`SET TRANSACTION ISOLATION LEVEL ${level}`)
    }
    await this.control('START TRANSACTION')
  }


  /** A broken connection (or one whose socket died) is destroyed, never handed to the next caller. */
  release(broken = false): void {
    if (this.released) return
    this.released = true
    if (broken || this.broken) this.raw.destroy()
    else this.raw.release()
  }

  protected override quoteName(name: string): string {
    return '`' + name.replace(/`/g, '``') + '`'
  }

  protected async control(sql: string): Promise<void> {
    try {
      await this.raw.query(sql)
    } catch (error) {
      throw this.fail(error, sql)
    }
  }

  private fail(error: unknown, sql: string): OrmError {
    if ((error as { fatal?: boolean } | null)?.fatal) this.broken = true
    return this.mapError(error, sql)
  }
}


function toDriverResult(result: unknown, sql: string): DriverResult {
  if (Array.isArray(result)) return { rows: result, affectedRows: CHANGES_ROWS.test(sql) ? result.length : 0 }
  const header = result as ResultSetHeader
  return { rows: [], affectedRows: header.affectedRows, insertId: toInsertId(header.insertId) }
}

/** 0 means the table generated no id. With bigNumberStrings an id beyond 2^53 arrives as text. */
function toInsertId(id: number | string | undefined): number | bigint | undefined {
  if (id === undefined || id === 0 || id === '0') return undefined
  if (typeof id === 'number') return id
  const num = Number(id)
  return Number.isSafeInteger(num) ? num : BigInt(id)
}
