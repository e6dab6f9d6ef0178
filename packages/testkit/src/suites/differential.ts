import { describe, expect, it } from 'vitest'
import { capabilitiesOf, hasCapability } from '../capabilities.js'
import type { ConformanceOptions } from '../context.js'
import {
  describeFailure, differentialCases, differentialSettings, expectedOutcome, openCase, queryIndexes, runQuery, showStatements,
  withoutPerParentLimits,
} from '../differential/index.js'

/**
 * Queries per dialect in a default run (two schemas of 25; the cross-dialect test in apps/relationship-suite runs
 * more): ORM_DIFFERENTIAL_CASES changes it.
 */
export const DIFFERENTIAL_CASES = 50

/**
 * Seeded random schemas, rows and queries (nested where groups with NULLs, whereIn, has/whereHas with counts to
 * depth 3, aggregates, eager loading with constraints and per-parent limits, joins, select, orderBy with a unique
 * tie-breaker), each checked against the in-process oracle: get(), count(), and the where `p` split into the
 * rows of `p`, `not p` and `p is unknown`. A failure names the seed and the query, and how to replay it.
 */
export function differentialSuite(options: ConformanceOptions) {
  const settings = differentialSettings(DIFFERENTIAL_CASES)
  describe('differential: random schemas and queries against an oracle', () => {
    for (const c of differentialCases(settings)) {
      it(`case ${c.index} (seed ${c.seed}): ${c.queries.length} random queries match the oracle, and p / not p / unknown partition the rows`, async () => {
        const dialect = await options.createDialect()
        // Per-parent limits are ROW_NUMBER() windows: a dialect without them runs the queries without those limits.
        const run = hasCapability(capabilitiesOf(dialect), 'windowFunctions') ? c : withoutPerParentLimits(c)
        const opened = await openCase(run, dialect)
        try {
          for (const i of queryIndexes(c)) {
            opened.log.length = 0
            const got = await runQuery(opened.db, run.queries[i])
            expect(got, describeFailure(run, i, `on ${options.name}`, showStatements(opened.log))).toEqual(expectedOutcome(run, run.queries[i]))
          }
        } finally {
          await opened.close()
        }
      }, 300_000)
    }
  })
}
