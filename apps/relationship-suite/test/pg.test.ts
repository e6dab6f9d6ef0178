import { pg } from '@orm/pg'
import { runConformance } from '@orm/testkit'
import { describe, it } from 'vitest'
import { selected, urlFromEnv } from '../src/databases.js'
import { faultHooks, variant } from './faults.js'

const url = selected('pg') ? urlFromEnv('pg') : undefined
if (url) {
  const host = new URL(url).hostname
  const port = new URL(url).port || '5432'
  runConformance({
    name: 'pg',
    createDialect: () => pg({ connectionString: url, max: 5 }),
    textRejectsNul: true,
    faults: faultHooks({
      createDialect: () => pg({ connectionString: url, max: 1 }),
      backendIdSql: 'select pg_backend_pid() as id',
      killSql: (id) => `select pg_terminate_backend(${id})`,
      unreachable: () => [
        { what: 'unreachable host', host: `${host}:1`, secret: 'pw-unreachable-9', dialect: pg({ connectionString: variant(url, { port: '1', password: 'pw-unreachable-9' }) }) },
        // The server may trust local connections whatever the password: an unknown role is refused either way.
        { what: 'bad credentials', host: `${host}:${port}`, secret: 'pw-wrong-9', dialect: pg({ connectionString: variant(url, { user: 'orm_no_such_role', password: 'pw-wrong-9' }) }) },
        { what: 'missing database', host: `${host}:${port}`, secret: 'pw-missing-9', dialect: pg({ connectionString: variant(url, { database: 'orm_no_such_db', password: 'pw-missing-9' }) }) },
      ],
    }),
  })
} else describe.skip('conformance: pg (not selected, or no ORM_TEST_PG_URL and no Docker)', () => it('skipped', () => {}))
