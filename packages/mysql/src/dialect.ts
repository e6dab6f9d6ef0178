import type { Capabilities, Dialect, OrmError, SqlCompiler } from '@orm/core'
import { mysql80Capabilities, type ServerInfo } from './capabilities.js'
import { MysqlCodecs } from './codecs.js'
import { MysqlCompiler } from './compiler.js'
import { MysqlDdlCompiler } from './ddl-compiler.js'
import { MysqlDriver, serverAddress, type MysqlOptions } from './driver.js'
import { mapMysqlError } from './errors.js'
import { MysqlIntrospector } from './introspector.js'
import { MysqlNamedLock } from './lock.js'

/** MySQL 8 and MariaDB. Server facts the capabilities do not carry (the upsert syntax) are kept from connect(). */
export class MysqlDialect implements Dialect {
  readonly name = 'mysql'
  readonly capabilities: Capabilities
  readonly codecs = new MysqlCodecs()
  readonly introspector = new MysqlIntrospector()
  readonly lock = new MysqlNamedLock()
  /** Set by the driver's connect(): what the server is. */
  server?: ServerInfo

  constructor(readonly options: MysqlOptions = {}) {
    this.capabilities = { ...mysql80Capabilities, ...options.capabilities }
  }

  createDriver(): MysqlDriver {
    return new MysqlDriver(this.options, (server) => {
      this.server = server
    })
  }

  /** The row-alias upsert follows the real server (MariaDB cannot parse it), whatever the profile says. */
  createCompiler(capabilities: Capabilities): SqlCompiler {
    return new MysqlCompiler(capabilities, this.codecs, { upsertAlias: this.server?.upsertAlias ?? false })
  }

  createDdlCompiler(compiler: SqlCompiler): MysqlDdlCompiler {
    return new MysqlDdlCompiler(compiler)
  }

  mapError(error: unknown, sql?: string): OrmError {
    return mapMysqlError(error, sql, serverAddress(this.options))
  }
}
