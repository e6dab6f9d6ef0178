import type { Capabilities, Dialect, OrmError, SqlCompiler } from '@orm/core'
import { pgCapabilities } from './capabilities.js'
import { PgCodecs } from './codecs.js'
import { PgCompiler } from './compiler.js'
import { PgDdlCompiler } from './ddl-compiler.js'
import { PgDriver } from './driver.js'
import { mapPgError } from './errors.js'
import { PgIntrospector } from './introspector.js'
import { PgAdvisoryLock } from './lock.js'
import { describeServer, type PgOptions, type ServerInfo } from './server.js'

/** The PostgreSQL dialect. Every part is a class, so an application can extend one and override a method. */
export class PgDialect implements Dialect {
  readonly name: string = 'postgresql'
  readonly capabilities: Capabilities = pgCapabilities
  readonly codecs: PgCodecs = new PgCodecs()
  readonly introspector: PgIntrospector = new PgIntrospector()
  readonly lock: PgAdvisoryLock = new PgAdvisoryLock()
  readonly server: ServerInfo

  constructor(readonly options: PgOptions = {}) {
    this.server = describeServer(options)
  }

  createDriver(): PgDriver {
    return new PgDriver(this.options)
  }

  createCompiler(capabilities: Capabilities): PgCompiler {
    return new PgCompiler(capabilities, this.codecs)
  }

  createDdlCompiler(compiler: SqlCompiler): PgDdlCompiler {
    return new PgDdlCompiler(compiler)
  }

  mapError(error: unknown, sql?: string): OrmError {
    return mapPgError(error, sql, this.server)
  }
}

/**
 * PostgreSQL through `pg`. Options: any `pg.PoolConfig` (connectionString, host, port, user, password, database,
 * max, ssl, ...), or `{ pool }`, an existing `pg.Pool`: the ORM borrows it and `close()` does NOT end it (its owner
 * does, after closing the ORM).
 */
export function pg(options: PgOptions = {}): PgDialect {
  return new PgDialect(options)
}

export type { PgOptions, ServerInfo } from './server.js'
export { describeServer } from './server.js'
export { PgCompiler } from './compiler.js'
export { PgDdlCompiler } from './ddl-compiler.js'
export { PgCodecs } from './codecs.js'
export { PgDriver } from './driver.js'
export { PgConnection } from './connection.js'
export { PgIntrospector } from './introspector.js'
export { PgAdvisoryLock } from './lock.js'
export { StatementNames } from './statement-names.js'
export { mapPgError, keyColumns } from './errors.js'
export { pgCapabilities, capabilitiesFor } from './capabilities.js'
export { types, parseTimestamp } from './type-parsers.js'
