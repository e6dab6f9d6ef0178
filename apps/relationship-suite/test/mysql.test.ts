import { mysql } from '@orm/mysql'
import { runConformance, type FaultHooks } from '@orm/testkit'
import { describe, it } from 'vitest'
import { selected, urlFromEnv } from '../src/databases.js'
import { faultHooks, variant } from './faults.js'

function mysqlFaults(url: string): FaultHooks {
  const host = new URL(url).hostname
  const port = new URL(url).port || '3306'
  return faultHooks({
    createDialect: () => mysql({ uri: url, connectionLimit: 1 }),
    backendIdSql: 'select connection_id() as id',
    killSql: (id) => `KILL CONNECTION ${id}`,
    unreachable: () => [
      { what: 'unreachable host', host: `${host}:1`, secret: 'pw-unreachable-9', dialect: mysql({ uri: variant(url, { port: '1', password: 'pw-unreachable-9' }) }) },
      { what: 'bad credentials', host: `${host}:${port}`, secret: 'pw-wrong-9', dialect: mysql({ uri: variant(url, { password: 'pw-wrong-9' }) }) },
      { what: 'missing database', host: `${host}:${port}`, dialect: mysql({ uri: variant(url, { database: 'orm_no_such_db' }) }) },
    ],
  })
}

// ORM_TEST_MYSQL_URL may point at MySQL 8 or at MariaDB (`.ci/run` has MariaDB): the dialect detects which.
const url = selected('mysql') ? urlFromEnv('mysql') : undefined
if (url) {
  runConformance({ name: 'mysql', createDialect: () => mysql({ uri: url, connectionLimit: 5 }), faults: mysqlFaults(url) })
  // The MySQL 8.0 code paths (no RETURNING, ids not computable from insertId) run on whatever server this is.
  runConformance({
    name: 'mysql (MySQL 8.0 profile)',
    createDialect: () => mysql({ uri: url, connectionLimit: 5, profile: 'mysql-8.0' }),
    faults: mysqlFaults(url),
  })
} else describe.skip('conformance: mysql (not selected, or no ORM_TEST_MYSQL_URL and no Docker)', () => it('skipped', () => {}))

// MariaDB beside MySQL: its own container (or ORM_TEST_MARIADB_URL) when there is one.
const mariadbUrl = selected('mariadb') ? urlFromEnv('mariadb') : undefined
if (mariadbUrl) runConformance({ name: 'mariadb', createDialect: () => mysql({ uri: mariadbUrl, connectionLimit: 5 }), faults: mysqlFaults(mariadbUrl) })
