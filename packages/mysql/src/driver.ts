import { ConnectionError, type Capabilities, type Driver, type OrmError } from '@orm/core'
import { createPool, type Pool, type PoolConnection, type PoolOptions, type TypeCast } from 'mysql2/promise'
import { applyProfile, detectCapabilities, parseServerInfo, type MysqlProfile, type ServerInfo } from './capabilities.js'
import { MysqlConnection, type QueryDefaults } from './connection.js'
import { mapMysqlError, type ServerAddress } from './errors.js'

export interface MysqlOptions {
  /** mysql://user:password@host:port/database; explicit options win over its parts. */
  uri?: string
  host?: string
  port?: number
  user?: string
  password?: string
  database?: string
  connectionLimit?: number
  /** An existing mysql2/promise pool. `close()` leaves it open: its owner ends it. */
  pool?: Pool
  /** Narrow the detected capabilities to one server family's (see applyProfile). Default 'auto'. */
  profile?: MysqlProfile
  /** Corrections applied last, over the detected capabilities and the profile. */
  capabilities?: Partial<Capabilities>
}

/** Read per statement by mysql2, so a user-given pool decodes values exactly like ours. */
const QUERY_DEFAULTS = { timezone: 'Z', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true } as const
/** mysql2 reads these two only from the connection config; for a pool configured otherwise see `textCast`. */
const POOL_ONLY = { jsonStrings: true, decimalNumbers: false } as const

/**
 * For a user-given pool without `jsonStrings` (or with `decimalNumbers`, or its own `typeCast`): JSON and DECIMAL
 * as text, everything else as mysql2 reads it with QUERY_DEFAULTS. A per-statement typeCast replaces the pool's.
 */
const textCast: TypeCast = (field, next) => {
  const f = field as typeof field & { extendedFormat?: string }
  if (f.type === 'JSON' || f.extendedFormat === 'json') return f.string('utf8')
  if (f.type === 'NEWDECIMAL' || f.type === 'DECIMAL') return f.string('ascii')
  return next()
}

/** A mysql2 pool: opened on connect(), checked with SELECT VERSION(). */
export class MysqlDriver implements Driver {
  private ownPool?: Pool
  private closed = false
  private readonly defaults: QueryDefaults
  /** Connections whose session time zone is set to UTC (for CURRENT_TIMESTAMP defaults). */
  private readonly initialized = new WeakSet<object>()
  readonly address: ServerAddress
  server?: ServerInfo

  constructor(
    readonly options: MysqlOptions = {},
    private readonly onServer: (server: ServerInfo) => void = () => {},
  ) {
    this.address = serverAddress(options)
    this.defaults = options.pool && !hasOurConfig(options.pool) ? { ...QUERY_DEFAULTS, typeCast: textCast } : QUERY_DEFAULTS
  }

  get pool(): Pool {
    if (this.options.pool) return this.options.pool
    this.ownPool ??= createPool(this.poolOptions())
    return this.ownPool
  }

  async connect(): Promise<Partial<Capabilities>> {
    const connection = await this.acquire()
    let row: { version: string; lockMode: unknown }
    try {
      const result = await connection.execute(
        { sql: 'SELECT VERSION() AS version, @@innodb_autoinc_lock_mode AS lockMode', params: [] },
        'object',
      )
      row = result.rows[0] as typeof row
    } finally {
      connection.release()
    }
    this.server = parseServerInfo(row.version, Number(row.lockMode))
    this.onServer(this.server)
    const capabilities = applyProfile(detectCapabilities(this.server), this.options.profile ?? 'auto')
    return { ...capabilities, ...this.options.capabilities }
  }

  async acquire(): Promise<MysqlConnection> {
    if (this.closed) {
      const host = `${this.address.host}:${this.address.port}`
      throw new ConnectionError(`The MySQL driver for ${host} is closed.`, { host })
    }
    let raw: PoolConnection
    try {
      raw = await this.pool.getConnection()
    } catch (error) {
      throw this.mapError(error)
    }
    const connection = new MysqlConnection(raw, this.defaults, (error, sql) => this.mapError(error, sql))
    const session = (raw as unknown as { connection?: object }).connection ?? raw
    if (!this.initialized.has(session)) {
      try {
        await connection.execute({ sql: "SET time_zone = '+00:00'", params: [] }, 'object')
      } catch (error) {
        connection.release(true)
        throw error
      }
      this.initialized.add(session)
    }
    return connection
  }

  async close(): Promise<void> {
    this.closed = true
    const pool = this.ownPool
    this.ownPool = undefined
    if (pool) await pool.end()
  }

  mapError(error: unknown, sql?: string): OrmError {
    return mapMysqlError(error, sql, this.address)
  }

  private poolOptions(): PoolOptions {
    const { uri, host, port, user, password, database, connectionLimit } = this.options
    const given = { uri, host, port, user, password, database, connectionLimit }
    const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined))
    // Evicted statements are closed; this bound keeps a pool under the server's max_prepared_stmt_count (16382).
    // mysql2 ORs a statement's bigNumberStrings with the pool's: the pool leaves it off, so the ORM's array rows
    // (connection.ts) can read a BIGINT within 2^53 as a number while db.execute's object rows ask for text.
    // trace: false skips mysql2's stack capture on every statement (Error.captureStackTrace through the ORM's
    // frames); a failing statement's error is the ORM's own, raised where the statement was awaited.
    return { ...defined, ...QUERY_DEFAULTS, bigNumberStrings: false, ...POOL_ONLY, maxPreparedStatements: 500, trace: false }
  }
}

/** Whether a user-given pool already reads JSON and DECIMAL as text with no typeCast of its own (mysql2 internals). */
function hasOurConfig(pool: Pool): boolean {
  const config = (pool as unknown as { pool?: { config?: { connectionConfig?: Record<string, unknown> } } }).pool?.config
    ?.connectionConfig
  if (!config) return false
  return config.jsonStrings === true && !config.decimalNumbers && typeof config.typeCast !== 'function'
}

export function serverAddress(options: MysqlOptions): ServerAddress {
  let fromUri: { host?: string; port?: number; password?: string } = {}
  if (options.uri) {
    try {
      const url = new URL(options.uri)
      fromUri = { host: url.hostname || undefined, port: url.port ? Number(url.port) : undefined, password: decodeURIComponent(url.password) || undefined }
    } catch {
      // mysql2 reports the bad URI when the pool is created.
    }
  }
  return {
    host: options.host ?? fromUri.host ?? 'localhost',
    port: options.port ?? fromUri.port ?? 3306,
    password: options.password ?? fromUri.password,
  }
}
