import type { Dialect } from '@orm/core'
import { mysql } from '@orm/mysql'
import { pg } from '@orm/pg'
import { sqlite } from '@orm/sqlite'
import { selected, urlFromEnv } from './databases.js'

/**
 * The dialects a cross-dialect comparison runs, SQLite first (the reference, always there), then each database
 * this run has (ORM_TEST_*_URL or a container): PostgreSQL, MySQL/MariaDB with and without the MySQL 8.0
 * profile, and a separate MariaDB.
 */
export function comparedDialects(): [name: string, make: () => Dialect][] {
  const dialects: [string, () => Dialect][] = [['sqlite', () => sqlite()]]
  const pgUrl = selected('pg') ? urlFromEnv('pg') : undefined
  const mysqlUrl = selected('mysql') ? urlFromEnv('mysql') : undefined
  const mariadbUrl = selected('mariadb') ? urlFromEnv('mariadb') : undefined
  if (pgUrl) dialects.push(['pg', () => pg({ connectionString: pgUrl })])
  if (mysqlUrl) {
    dialects.push(['mysql', () => mysql({ uri: mysqlUrl })])
    dialects.push(['mysql (MySQL 8.0 profile)', () => mysql({ uri: mysqlUrl, profile: 'mysql-8.0' })])
  }
  if (mariadbUrl) dialects.push(['mariadb', () => mysql({ uri: mariadbUrl })])
  return dialects
}
