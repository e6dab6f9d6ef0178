import { createDb, type CompiledQuery, type Connection, type Dialect, type Driver, type DriverResult } from '@orm/core'
import { schema } from './schema.js'
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
  return threeConditionSelectQuery(db).toSQL()
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

/** `threeConditionSelect` with one `with`: the users' posts, loaded by the eager path (a second statement). */
export function threeConditionWith(db: BenchDb) {
  return db.users
    .query()
    .where('active', true)
    .where('score', '>=', 500)
    .where('name', 'like', 'User 1%')
    .orderBy('id', 'desc')
    .limit(20)
    .with('posts')
}

export interface RelationCompileOverhead {
  /** build + compile the parent statement + the child statement for the parents' keys, through the replaying driver */
  readonly withMedianUs: number
  readonly withP90Us: number
  /** the same query without `with`, through the same driver: what the `with` adds is the difference */
  readonly plainMedianUs: number
  readonly iterations: number
  readonly parentRows: number
  /** The two statements, as the ORM compiled them. */
  readonly statements: readonly string[]
}

interface Replay {
  recording: boolean
  readonly canned: Map<string, DriverResult>
  sent: number
}

/**
 * A driver that, while `recording`, runs statements on the real driver and keeps each result by its SQL text
 * (a child statement's result kept empty), then answers every statement from what it kept, without a database.
 */
function replayingDriver(real: Driver, replay: Replay): Driver {
  const connection = (inner?: Connection): Connection => ({
    async execute(query, rowMode) {
      replay.sent++
      if (replay.recording) {
        const result = await inner!.execute(query, rowMode)
        const child = /\bbench_posts\b/.test(query.sql)
        replay.canned.set(query.sql, child ? { rows: [], affectedRows: 0 } : result)
        return result
      }
      const result = replay.canned.get(query.sql)
      if (!result) throw new Error(`compile.ts: no recorded result for ${query.sql}`)
      return result
    },
    begin: async () => {},
    commit: async () => {},
    rollback: async () => {},
    savepoint: async () => {},
    releaseSavepoint: async () => {},
    rollbackToSavepoint: async () => {},
    release: (broken) => inner?.release(broken),
  })
  return {
    connect: () => real.connect(),
    acquire: async () => (replay.recording ? connection(await real.acquire()) : connection()),
    close: () => real.close(),
  }
}

async function timeEach(iterations: number, run: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < Math.min(2_000, iterations); i++) await run()
  const times = new Float64Array(iterations)
  let sink = 0
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint()
    sink += await run()
    times[i] = Number(process.hrtime.bigint() - t) / 1000
  }
  if (sink === 0) throw new Error('the query returned no rows')
  return Array.from(times).sort((a, b) => a - b)
}

/**
 * Build + compile of the 3-condition select with one `with('posts')`, without a database. The eager path has no
 * inspection hook for its child statement (`toSQL()` shows the parent only; the child is compiled inside the
 * loader from the parents' keys), so the query runs through a driver that replays canned results: the parent
 * statement's real 20 rows (recorded once from the database), an empty result for the child statement. What is
 * timed is therefore: building the query, compiling the parent statement, decoding its 20 rows, planning the
 * eager load, compiling the child statement (`WHERE user_id IN (20 keys)`), and the async layers between
 * (`get()`, the session, the loader), with no I/O. The same query without `with` on the same driver is timed too.
 */
export async function compileWithRelation(makeDialect: () => Dialect, iterations: number): Promise<RelationCompileOverhead> {
  const base = makeDialect()
  const replay: Replay = { recording: true, canned: new Map(), sent: 0 }
  // the dialect as it is (a dialect may be a class instance: its methods stay on the prototype), the driver replaced
  const dialect: Dialect = Object.create(base)
  Object.defineProperty(dialect, 'createDriver', { value: () => replayingDriver(base.createDriver(), replay) })
  const db = createDb({ schema, dialect })
  try {
    await threeConditionWith(db).get()
    await threeConditionSelectQuery(db).get()
    replay.recording = false
    const statements = [...replay.canned.keys()]
    replay.sent = 0
    const parentRows = (await threeConditionWith(db).get()).length
    if (replay.sent !== 2) throw new Error(`compile.ts: expected 2 statements for the query with a with(), got ${replay.sent}`)
    const withTimes = await timeEach(iterations, async () => (await threeConditionWith(db).get()).length)
    const plainTimes = await timeEach(iterations, async () => (await threeConditionSelectQuery(db).get()).length)
    return {
      withMedianUs: median(withTimes),
      withP90Us: quantile(withTimes, 0.9),
      plainMedianUs: median(plainTimes),
      iterations,
      parentRows,
      statements,
    }
  } finally {
    await db.close()
  }
}

function threeConditionSelectQuery(db: BenchDb) {
  return db.users.query().where('active', true).where('score', '>=', 500).where('name', 'like', 'User 1%').orderBy('id', 'desc').limit(20)
}
