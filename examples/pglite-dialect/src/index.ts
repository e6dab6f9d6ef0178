import type { Capabilities, Dialect, OrmError, SqlCompiler } from '@orm/core'
import { PgCodecs, PgCompiler, PgDdlCompiler, PgIntrospector } from '@orm/pg'
import { pgliteCapabilities } from './capabilities.js'
import { PgliteDriver, type PgliteOptions } from './driver.js'
import { mapPgliteError } from './errors.js'

/**
 * PostgreSQL in WebAssembly, embedded in the process. The SQL is PostgreSQL's, so the compiler, the DDL
 * compiler, the codecs, the error mapping and the introspector are the pg dialect's; the driver is this
 * package's own, and the capabilities say there is only one connection.
 */
export class PgliteDialect implements Dialect {
  readonly name = 'pglite'
  readonly capabilities: Capabilities = pgliteCapabilities
  readonly codecs = new PgCodecs()
  readonly introspector = new PgIntrospector()

  constructor(readonly options: PgliteOptions = {}) {}

  createDriver(): PgliteDriver {
    return new PgliteDriver(this.options)
  }

  createCompiler(capabilities: Capabilities): PgCompiler {
    return new PgCompiler(capabilities, this.codecs)
  }

  createDdlCompiler(compiler: SqlCompiler): PgDdlCompiler {
    return new PgDdlCompiler(compiler)
  }

  mapError(error: unknown, sql?: string): OrmError {
    return mapPgliteError(error, sql)
  }
}

/** `createDb({ schema, dialect: pglite() })`: a private in-memory database; `pglite({ dataDir })` keeps it on disk. */
export function pglite(options: PgliteOptions = {}): PgliteDialect {
  return new PgliteDialect(options)
}

export { pgliteCapabilities } from './capabilities.js'
export { PgliteConnection } from './connection.js'
export { PgliteDriver, createPglite, type PgliteOptions } from './driver.js'
export { mapPgliteError } from './errors.js'
export { Mutex } from '@orm/core'
export { parsers, OID } from './parsers.js'
