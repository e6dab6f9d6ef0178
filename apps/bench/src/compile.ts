import type { CompiledQuery } from '@orm/core'
import { median, quantile } from './timer.js'
import type { BenchDb } from './workloads.js'

export interface CompileOverhead {
  readonly medianUs: number
  readonly p90Us: number
  readonly iterations: number
  readonly sample: CompiledQuery
}

/** The query whose building and compiling is measured: three conditions, an order and a limit. */
export function threeConditionSelect(db: BenchDb): CompiledQuery {
  return db.users
    .query()
    .where('active', true)
    .where('score', '>=', 500)
    .where('name', 'like', 'User 1%')
    .orderBy('id', 'desc')
    .limit(20)
    .toSQL()
}

/**
 * What the ORM costs before a statement reaches the driver: a new builder, three where() calls, orderBy, limit,
 * then toSQL() (AST + dialect compiler). Each iteration is timed alone; the median of `iterations` is reported.
 * No database work is involved.
 */
export function compileOverhead(db: BenchDb, iterations: number): CompileOverhead {
  const sample = threeConditionSelect(db)
  for (let i = 0; i < Math.min(2_000, iterations); i++) threeConditionSelect(db)
  const times = new Float64Array(iterations)
  let sink = 0
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint()
    sink += threeConditionSelect(db).params.length
    times[i] = Number(process.hrtime.bigint() - t) / 1000
  }
  if (sink === 0) throw new Error('the compiled query lost its parameters')
  const sorted = Array.from(times).sort((a, b) => a - b)
  return { medianUs: median(sorted), p90Us: quantile(sorted, 0.9), iterations, sample }
}
