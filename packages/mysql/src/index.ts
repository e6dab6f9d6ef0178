import { MysqlDialect } from './dialect.js'
import type { MysqlOptions } from './driver.js'

/** The MySQL 8 / MariaDB dialect: `mysql({ uri: 'mysql://user:password@host:3306/db' })`. */
export function mysql(options: MysqlOptions = {}): MysqlDialect {
  return new MysqlDialect(options)
}

export { MysqlDialect } from './dialect.js'
export { MysqlDriver, type MysqlOptions } from './driver.js'
export { MysqlConnection } from './connection.js'
export { MysqlCompiler, type MysqlCompilerOptions } from './compiler.js'
export { MysqlDdlCompiler } from './ddl-compiler.js'
export { MysqlCodecs, formatDateTime } from './codecs.js'
export { MysqlIntrospector } from './introspector.js'
export { MysqlNamedLock } from './lock.js'
export { mapMysqlError, type ServerAddress } from './errors.js'
export { mysql80Capabilities, detectCapabilities, applyProfile, parseServerInfo, type MysqlProfile, type ServerInfo } from './capabilities.js'
