import { sqlite } from '@orm/sqlite'
import { describe, expect, it } from 'vitest'
import { describeQuery, differentialCases } from '../src/differential/index.js'
import { differentialSuite } from '../src/suites/differential.js'

// The differential suite on SQLite, from the sources: the generator and the oracle checked on every change.
differentialSuite({ name: 'sqlite', createDialect: () => sqlite() })

describe('the differential generator', () => {
  it('is deterministic, and a case replays alone from its own seed', () => {
    const run = differentialCases({ seed: 99, cases: 60 })
    expect(differentialCases({ seed: 99, cases: 60 })).toEqual(run)
    const [alone] = differentialCases({ seed: run[2].seed, cases: 7 })
    expect(alone.spec).toEqual(run[2].spec)
    expect(alone.data).toEqual(run[2].data)
    expect(alone.queries.map((q) => describeQuery(q))).toEqual(run[2].queries.slice(0, 7).map((q) => describeQuery(q)))
  })

  it('describes a query as the calls that build it', () => {
    const [c] = differentialCases({ seed: 5, cases: 25 })
    for (const q of c.queries) expect(describeQuery(q)).toMatch(new RegExp(`^db\\.${q.root}\\.query\\(\\).*\\.get\\(\\)$`))
  })
})
