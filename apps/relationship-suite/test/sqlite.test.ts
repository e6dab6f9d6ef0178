import { sqlite } from '@orm/sqlite'
import { runConformance } from '@orm/testkit'
import { describe, it } from 'vitest'
import { selected } from '../src/databases.js'

if (selected('sqlite')) runConformance({ name: 'sqlite', createDialect: () => sqlite() })
else describe.skip('conformance: sqlite (left out by ORM_TEST_DATABASES)', () => it('skipped', () => {}))
