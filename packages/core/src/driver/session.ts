import { ConnectionError, OrmError, ValidationError } from '../errors.js'
import type { CompiledQuery, SqlCompiler } from '../sql/compiler.js'
import type { StatementNode } from '../sql/ast.js'
import { inlineIntegerLists } from '../query/in-lists.js'
import { defaultCapabilities, type Capabilities } from './capabilities.js'
import type { Connection, Dialect, Driver, DriverResult, RowMode } from './dialect.js'

/** What the `log` option receives for every statement. */
export interface LogEvent {
  readonly sql: string
  readonly params: readonly unknown[]
  readonly durationMs: number
  readonly rowCount: number
  readonly error?: OrmError
}
export type LogFn = (event: LogEvent) => void

/**
 * The connection side of one `db`: the dialect, its driver (opened on first use), the capabilities
 * corrected by the server, the compiler built from them, and the log. Shared by every session of the db.
 */
export class DbCore {
  private driver?: Driver
  private connecting?: Promise<void>
  private closed = false
  private caps: Capabilities
  private currentCompiler: SqlCompiler

  constructor(
    readonly dialect: Dialect,
    readonly log?: LogFn,
    /** createDb's eagerStrategy: 'auto' may read unique to-one relations with a join (relations/join-plan.ts). */
    readonly eagerStrategy: 'auto' | 'keyed' = 'auto',
  ) {
    this.caps = { ...defaultCapabilities, ...dialect.capabilities }
    this.currentCompiler = dialect.createCompiler(this.caps)
  }

  get capabilities(): Capabilities {
    return this.caps
  }

  get compiler(): SqlCompiler {
    return this.currentCompiler
  }

  /** Opens the driver once; every statement waits for it. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectionError(`This db (${this.dialect.name}) is closed.`))
    if (!this.connecting) {
      this.connecting = (async () => {
        const driver = this.dialect.createDriver()
        try {
          const corrections = await driver.connect()
          this.caps = { ...this.caps, ...corrections }
          this.currentCompiler = this.dialect.createCompiler(this.caps)
          this.driver = driver
        } catch (error) {
          await driver.close().catch(() => {})
          throw this.mapError(error)
        }
      })()
      this.connecting.catch(() => {
        this.connecting = undefined // a later call may try again
      })
    }
    return this.connecting
  }

  async acquire(): Promise<Connection> {
    if (!this.driver) await this.ready() // once connected, no wait on the settled promise per statement
    if (this.closed || !this.driver) throw new ConnectionError(`This db (${this.dialect.name}) is closed.`)
    try {
      return await this.driver.acquire()
    } catch (error) {
      throw this.mapError(error)
    }
  }

  mapError(error: unknown, sql?: string): OrmError {
    if (error instanceof OrmError) return error
    return this.dialect.mapError(error, sql)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const pending = this.connecting
    if (pending) await pending.catch(() => {})
    await this.driver?.close()
  }

  get isClosed(): boolean {
    return this.closed
  }
}

/**
 * Where statements run: the pool (a connection per statement) or one connection held by a transaction.
 * Compiles, executes, maps errors and logs.
 */
export class Session {
  private finished = false

  constructor(
    readonly core: DbCore,
    readonly connection?: Connection,
    readonly depth = 0,
  ) {}

  get inTransaction(): boolean {
    return this.connection !== undefined
  }

  compile(node: StatementNode): CompiledQuery {
    return this.core.compiler.compile(node)
  }

  run(node: StatementNode, rowMode: RowMode = 'array'): Promise<DriverResult> {
    return this.execute(this.compileWithinLimit(node), rowMode)
  }

  /**
   * Compiles a statement; one over the dialect's bound-parameter limit gets its integer IN lists written as
   * validated literals (see query/in-lists.ts). Anything still over the limit is left to the database to refuse.
   */
  compileWithinLimit(node: StatementNode): CompiledQuery {
    const query = this.compile(node)
    if (query.params.length <= this.core.capabilities.maxParameters) return query
    return this.compile(inlineIntegerLists(node))
  }

  async execute(query: CompiledQuery, rowMode: RowMode): Promise<DriverResult> {
    if (this.finished) throw new OrmError('This transaction has already finished; use the db it was started from.')
    const max = this.core.capabilities.maxParameters
    if (query.params.length > max) {
      throw new ValidationError(
        `The statement has ${query.params.length} bound values; ${this.core.dialect.name} allows ${max}. ` +
          'Split the list (NOT IN and ordered or limited lists of non-integers are not split automatically).',
      )
    }
    const connection = this.connection ?? (await this.core.acquire())
    const { log } = this.core
    const started = log ? performance.now() : 0
    let broken = false
    try {
      const result = await connection.execute(query, rowMode)
      log?.({
        sql: query.sql,
        params: query.params,
        durationMs: performance.now() - started,
        rowCount: result.rows.length || result.affectedRows,
      })
      return result
    } catch (raw) {
      const error = this.core.mapError(raw, query.sql)
      broken = error instanceof ConnectionError
      log?.({ sql: query.sql, params: query.params, durationMs: performance.now() - started, rowCount: 0, error })
      throw error
    } finally {
      if (!this.connection) connection.release(broken)
    }
  }

  /** Marks a transaction's session as done: later statements through it are an error. */
  finish(): void {
    this.finished = true
  }
}
