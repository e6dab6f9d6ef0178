import { mysql } from '@orm/mysql'
import { runConformance } from '@orm/testkit'
import { describe, it } from 'vitest'
import { selected, urlFromEnv } from '../src/databases.js'

// ORM_TEST_MYSQL_URL may point at MySQL 8 or at MariaDB (`.ci/run` has MariaDB): the dialect detects which.
const url = selected('mysql') ? urlFromEnv('mysql') : undefined
if (url) {
  runConformance({ name: 'mysql', createDialect: () => mysql({ uri: url, connectionLimit: 5 }) })
  // The MySQL 8.0 code paths (no RETURNING, ids not computable from insertId) run on whatever server this is.
  runConformance({ name: 'mysql (MySQL 8.0 profile)', createDialect: () => mysql({ uri: url, connectionLimit: 5, profile: 'mysql-8.0' }) })
} else describe.skip('conformance: mysql (not selected, or no ORM_TEST_MYSQL_URL and no Docker)', () => it('skipped', () => {}))

// MariaDB beside MySQL: its own container (or ORM_TEST_MARIADB_URL) when there is one.
const mariadbUrl = selected('mariadb') ? urlFromEnv('mariadb') : undefined
if (mariadbUrl) runConformance({ name: 'mariadb', createDialect: () => mysql({ uri: mariadbUrl, connectionLimit: 5 }) })
