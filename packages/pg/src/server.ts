import type pg from 'pg'

/** Where the pool connects, for messages: `host:port`, and the password to keep out of every message. */
export interface ServerInfo {
  readonly label: string
  readonly password?: string
}

export type PgOptions = pg.PoolConfig | { readonly pool: pg.Pool }

export function describeServer(options: PgOptions): ServerInfo {
  const config: pg.PoolConfig = 'pool' in options && options.pool ? options.pool.options : (options as pg.PoolConfig)
  let host = config.host
  let port: string | number | undefined = config.port
  let password = typeof config.password === 'string' ? config.password : undefined
  if (config.connectionString) {
    try {
      const url = new URL(config.connectionString)
      host ??= decodeURIComponent(url.hostname) || url.searchParams.get('host') || undefined
      port ??= url.port || undefined
      password ??= url.password ? decodeURIComponent(url.password) : undefined
    } catch {
      // Not a URL (a "host=... port=..." string): fall back to the defaults below.
    }
  }
  host ??= process.env.PGHOST || 'localhost'
  port ??= process.env.PGPORT || 5432
  return { label: `${host}:${port}`, password: password || undefined }
}
