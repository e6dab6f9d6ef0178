import type { Capabilities, Dialect, SqlCompiler } from '@orm/core'
import { sqliteCapabilities } from './capabilities.js'
import { sqliteCodecs } from './codecs.js'
import { SqliteCompiler } from './compiler.js'
import { SqliteDdlCompiler } from './ddl-compiler.js'
import { SqliteDriver, type SqliteOptions } from './driver.js'
import { mapSqliteError } from './errors.js'
import { SqliteIntrospector } from './introspector.js'
import { SqliteWriteLock } from './lock.js'

/** The SQLite dialect over better-sqlite3: `sqlite({ filename: 'app.db' })`, or ':memory:' by default. */
export function sqlite(options: SqliteOptions = {}): Dialect {
  return {
    name: 'sqlite',
    capabilities: sqliteCapabilities,
    codecs: sqliteCodecs,
    createDriver: () => new SqliteDriver(options),
    createCompiler: (capabilities: Capabilities) => new SqliteCompiler(capabilities, sqliteCodecs),
    createDdlCompiler: (compiler: SqlCompiler) => new SqliteDdlCompiler(compiler),
    mapError: mapSqliteError,
    introspector: new SqliteIntrospector(),
    lock: new SqliteWriteLock(),
  }
}

export { sqliteCapabilities, versionCapabilities } from './capabilities.js'
export { sqliteCodecs } from './codecs.js'
export { SqliteCompiler } from './compiler.js'
export { SqliteConnection } from './connection.js'
export { SqliteDdlCompiler } from './ddl-compiler.js'
export { normalizeDecimal } from './decimal.js'
export { SqliteDriver } from './driver.js'
export type { SqliteOptions } from './driver.js'
export { mapSqliteError } from './errors.js'
export { SqliteIntrospector } from './introspector.js'
export { SqliteWriteLock } from './lock.js'
export { Mutex } from '@orm/core'
export { StatementCache } from './statement-cache.js'
