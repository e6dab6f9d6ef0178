import { type CompiledQuery, type Connection, type DriverResult, type Isolation, type RowMode, TransactionControl, ValidationError } from '@orm/core'
import type pg from 'pg'
import { mapPgError } from './errors.js'
import type { ServerInfo } from './server.js'
import type { StatementNames } from './statement-names.js'
import { types } from './type-parsers.js'

const ISOLATION: Record<Isolation, string> = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
}

/** One pooled client, lent to a statement or a transaction. */
export class PgConnection extends TransactionControl implements Connection {
  /** The error that killed the underlying socket, if it died: the client must not go back to the pool. */
  private lost?: Error
  private released = false
  /** The server's transaction status after the last statement: 'I' idle, 'T' in a transaction, 'E' failed one. */
  private status = 'I'
  private readonly onReady = (message: { status?: string }): void => {
    this.status = message.status ?? 'T'
  }
  private readonly onError = (error: Error): void => {
    this.lost ??= error
  }

  constructor(
    readonly client: pg.PoolClient,
    readonly statements: StatementNames,
    readonly server: ServerInfo,
  ) {
    super()
    // While checked out, the pool does not listen for errors: an unheard 'error' would crash the process.
    client.on('error', this.onError)
    client.connection?.on('readyForQuery', this.onReady)
  }

  async execute(query: CompiledQuery, rowMode: RowMode): Promise<DriverResult> {
    // Parameterless text runs through the simple protocol: it may hold several statements (DDL scripts).
    const name = query.params.length > 0 ? this.statements.nameFor(query.sql) : undefined
    const config = { text: query.sql, values: [...query.params], name, types, rowMode: rowMode === 'array' ? 'array' : undefined }
    let result: pg.QueryResult | pg.QueryResult[]
    try {
      result = await this.client.query(config as pg.QueryConfig)
    } catch (error) {
      if (name && isStalePlan(error)) {
        // A schema change altered the statement's result columns. The statement never ran: outside a
        // transaction, run it again unnamed; from now on this text is never prepared under a name.
        this.statements.forget(query.sql)
        if (this.status === 'I') return this.execute(query, rowMode)
      }
      throw this.fail(error, query.sql)
    }
    if (!Array.isArray(result)) return { rows: result.rows, affectedRows: result.rowCount ?? 0 }
    const last = result[result.length - 1]
    return { rows: last?.rows ?? [], affectedRows: result.reduce((sum, r) => sum + (r.rowCount ?? 0), 0) }
  }

  async begin(isolation?: Isolation): Promise<void> {
    if (isolation !== undefined && !(isolation in ISOLATION)) {
      throw new ValidationError(`Unknown isolation level "${String(isolation)}". Valid: ${Object.keys(ISOLATION).join(', ')}.`)
    }
    await this.control(isolation ? `BEGIN ISOLATION LEVEL ${ISOLATION[isolation]}` : 'BEGIN')
  }


  release(broken = false): void {
    if (this.released) return
    this.released = true
    this.client.off('error', this.onError)
    this.client.connection?.off('readyForQuery', this.onReady)
    // Passing an error makes the pool destroy the client instead of reusing it.
    this.client.release(broken || this.lost ? (this.lost ?? new Error('Connection released as broken.')) : undefined)
  }

  protected async control(sql: string): Promise<void> {
    try {
      await this.client.query(sql)
    } catch (error) {
      throw this.fail(error, sql)
    }
  }

  private fail(error: unknown, sql: string): Error {
    const mapped = mapPgError(error, sql, this.server)
    if (mapped.code === 'CONNECTION_ERROR') this.lost ??= error instanceof Error ? error : mapped
    return mapped
  }
}

function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string }
  return code === '0A000' && /cached plan must not change result type/.test(message ?? '')
}

