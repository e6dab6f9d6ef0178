import { pg } from '@orm/pg'
import { runConformance } from '@orm/testkit'
import { describe, it } from 'vitest'
import { selected, urlFromEnv } from '../src/databases.js'

const url = selected('pg') ? urlFromEnv('pg') : undefined
if (url) runConformance({ name: 'pg', createDialect: () => pg({ connectionString: url, max: 5 }) })
else describe.skip('conformance: pg (not selected, or no ORM_TEST_PG_URL and no Docker)', () => it('skipped', () => {}))
