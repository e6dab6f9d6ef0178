import { ConnectionError, type Capabilities, type Driver } from '@orm/core'
import pg from 'pg'
import { capabilitiesFor } from './capabilities.js'
import { PgConnection } from './connection.js'
import { mapPgError } from './errors.js'
import { describeServer, type PgOptions, type ServerInfo } from './server.js'
import { StatementNames } from './statement-names.js'

/**
 * A `pg.Pool`, created on first use. With `{ pool }` the driver borrows an existing pool: `close()` then leaves
 * it open, for its owner to end.
 */
export class PgDriver implements Driver {
  readonly server: ServerInfo
  readonly statements = new StatementNames()
  protected pool?: pg.Pool
  private readonly ownsPool: boolean
  private connecting?: Promise<Partial<Capabilities>>
  private closed = false
  /** An idle client whose socket dies is dropped by the pool; without a listener its error would crash the process. */
  private readonly onIdleError = (_error: Error): void => {}

  constructor(readonly options: PgOptions = {}) {
    this.server = describeServer(options)
    this.ownsPool = !('pool' in options && options.pool)
  }

  connect(): Promise<Partial<Capabilities>> {
    this.connecting ??= this.check().catch((error: unknown) => {
      this.connecting = undefined
      throw error
    })
    return this.connecting
  }

  async acquire(): Promise<PgConnection> {
    if (this.closed) throw new ConnectionError(`The PostgreSQL pool for ${this.server.label} is closed.`, { host: this.server.label })
    try {
      return new PgConnection(await this.getPool().connect(), this.statements, this.server)
    } catch (error) {
      throw mapPgError(error, undefined, this.server)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const pool = this.pool
    if (!pool) return
    if (this.ownsPool) await pool.end()
    pool.off('error', this.onIdleError)
  }

  protected getPool(): pg.Pool {
    if (!this.pool) {
      this.pool = 'pool' in this.options && this.options.pool ? this.options.pool : new pg.Pool(this.options as pg.PoolConfig)
      if (this.ownsPool || this.pool.listenerCount('error') === 0) this.pool.on('error', this.onIdleError)
    }
    return this.pool
  }

  /** One round trip: the server answers, and says which version it is. */
  private async check(): Promise<Partial<Capabilities>> {
    const connection = await this.acquire()
    try {
      const sql = "SELECT current_setting('server_version_num')::int AS version"
      const { rows } = await connection.execute({ sql, params: [] }, 'object')
      return capabilitiesFor(Number((rows[0] as { version: number }).version))
    } finally {
      connection.release()
    }
  }
}
