import { mysql } from '@orm/mysql'
import { runConformance } from '@orm/testkit'
import { describe, it } from 'vitest'
import { urlFromEnv } from '../src/databases.js'

const url = urlFromEnv('mysql')
if (url) {
  runConformance({ name: 'mysql', createDialect: () => mysql({ uri: url, connectionLimit: 5 }) })
  // The MySQL 8.0 code paths (no RETURNING, ids not computable from insertId) run on whatever server this is.
  runConformance({ name: 'mysql (MySQL 8.0 profile)', createDialect: () => mysql({ uri: url, connectionLimit: 5, profile: 'mysql-8.0' }) })
} else describe.skip('conformance: mysql (no ORM_TEST_MYSQL_URL and no Docker)', () => it('skipped', () => {}))
