/**
 * Differential testing across dialects: seeded random schemas, rows and queries (see @orm/testkit's
 * differential generator) run on every available dialect; each query's results (get, first, count, and the
 * rows of its where p, of not p and where p is unknown) must equal the in-process oracle's, and so each other's.
 * A failure names the case seed and the query, says how to replay it, and shows the SQL each dialect sent.
 *
 * ORM_DIFFERENTIAL_CASES (default 300 queries), ORM_DIFFERENTIAL_SEED, ORM_DIFFERENTIAL_QUERY; the long run is
 * `pnpm --filter @orm/relationship-suite differential -- --cases 5000` (scripts/differential.mjs).
 */
import { isDeepStrictEqual } from 'node:util'
import { differential } from '@orm/testkit'
import { describe, expect, it } from 'vitest'
import { comparedDialects } from '../src/dialects.js'

const { differentialCases, differentialSettings, describeFailure, expectedOutcome, openCase, queryIndexes, runQuery, showStatements } = differential

/** Queries in a default run, over schemas of 25; the conformance suite runs its own 50 per dialect with another seed. */
export const CROSS_DIALECT_CASES = 300
const settings = differentialSettings(CROSS_DIALECT_CASES, 20261126)

/** Deep equality of two outcomes (plain values; a key holding undefined counts as absent). */
const same = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)))
const dialects = comparedDialects()

describe(`differential: random schemas and queries on ${dialects.map(([n]) => n).join(', ')} against one oracle`, () => {
  for (const c of differentialCases(settings)) {
    it(`case ${c.index} (seed ${c.seed}): ${c.queries.length} queries give the oracle's results on every dialect`, async () => {
      // Two dialects may share a database (mysql and its MySQL 8.0 profile): each has its own table names.
      const opened = await Promise.all(dialects.map(async ([name, make], k) => ({ name, ...(await openCase(c, make(), `tk_df${k}_`)) })))
      try {
        for (const i of queryIndexes(c)) {
          const expected = expectedOutcome(c, c.queries[i])
          for (const o of opened) o.log.length = 0
          const results = await Promise.all(opened.map((o) => runQuery(o.db, c.queries[i])))
          const wrong = opened.map((o, k) => ({ ...o, got: results[k] })).filter((r) => !same(r.got, expected))
          if (wrong.length === 0) continue
          const right = opened.filter((o) => !wrong.some((w) => w.name === o.name)).map((o) => o.name)
          const verdict = results.every((r) => same(r, results[0]))
            ? 'every dialect gives the same and the oracle disagrees: check the oracle'
            : `differs from the oracle on ${wrong.map((w) => w.name).join(', ')}; matches it on ${right.join(', ') || 'none'}`
          const statements = wrong.map((w) => `-- ${w.name}\n${showStatements(w.log)}`).join('\n')
          expect(wrong[0].got, describeFailure(c, i, verdict, statements)).toEqual(expected)
        }
      } finally {
        await Promise.all(opened.map((o) => o.close()))
      }
    }, 300_000)
  }
})
