import { createDb, type Db, type Dialect, type LogEvent } from '@orm/core'
import { applyPred, applyQuery, describeQuery } from './apply.js'
import { generateData, insertData, type Dataset } from './data.js'
import { Oracle } from './oracle.js'
import { QueryGenerator, type EagerSpec, type QuerySpec } from './query.js'
import { caseSeed, Random } from './random.js'
import { buildSchema, describeSchema, DROP_ORDER, generateSchema, TABLE_PREFIX, type SchemaSpec } from './schema.js'


/** Queries per generated schema: a case is one schema, its rows and this many queries over them. */
export const QUERIES_PER_SCHEMA = 25

export interface DifferentialSettings {
  /** The run's seed (`ORM_DIFFERENTIAL_SEED`). */
  readonly seed: number
  /** How many queries in all (`ORM_DIFFERENTIAL_CASES`), in schemas of QUERIES_PER_SCHEMA. */
  readonly cases: number
  /** Only this query of each schema (`ORM_DIFFERENTIAL_QUERY`), to replay one failure. */
  readonly only?: number
}

/** The settings from the environment, with this test's default number of cases. */
export function differentialSettings(defaultCases: number, defaultSeed = 20261125): DifferentialSettings {
  const env = (name: string) => (typeof process === 'undefined' ? undefined : process.env[name])
  const number = (name: string) => {
    const raw = env(name)
    if (raw === undefined || raw === '') return undefined
    const value = Number(raw)
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
    return value
  }
  return { seed: number('ORM_DIFFERENTIAL_SEED') ?? defaultSeed, cases: number('ORM_DIFFERENTIAL_CASES') ?? defaultCases, only: number('ORM_DIFFERENTIAL_QUERY') }
}

/** One generated case: a schema, its rows, its queries and the oracle over them. */
export interface DifferentialCase {
  /** The case's own seed: `ORM_DIFFERENTIAL_SEED=<seed>` runs this case first. */
  readonly seed: number
  readonly index: number
  readonly spec: SchemaSpec
  readonly data: Dataset
  readonly queries: readonly QuerySpec[]
  readonly oracle: Oracle
  readonly settings: DifferentialSettings
}

/** The cases of a run: `cases` queries over ceil(cases / QUERIES_PER_SCHEMA) schemas. */
export function differentialCases(settings: DifferentialSettings): DifferentialCase[] {
  const count = Math.ceil(settings.cases / QUERIES_PER_SCHEMA)
  return Array.from({ length: count }, (_, index) => {
    const seed = caseSeed(settings.seed, index)
    const rand = new Random(seed)
    const spec = generateSchema(rand)
    const data = generateData(spec, rand)
    const generator = new QueryGenerator(spec, rand)
    const queries = Array.from({ length: Math.min(QUERIES_PER_SCHEMA, settings.cases - index * QUERIES_PER_SCHEMA) }, () => generator.query())
    return { seed, index, spec, data, queries, oracle: new Oracle(spec, data), settings }
  })
}

/**
 * What one query gave: the rows of get(), count(), and for its where `p` the ids of `p`, of `not p`, the rest
 * of the unfiltered rows (where `p` is unknown) and any id in both `p` and `not p` (there must be none).
 */
export interface Outcome {
  readonly get?: unknown
  readonly first?: unknown
  readonly count?: number
  readonly yes?: number[]
  readonly no?: number[]
  readonly unknown?: number[]
  readonly overlap?: number[]
  readonly error?: string
}

/** Comparable plain values: dates as ISO strings. */
export function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
  return value
}

/** What the oracle says the query gives. */
export function expectedOutcome(c: DifferentialCase, q: QuerySpec): Outcome {
  const get = plain(c.oracle.get(q))
  // first() is limit(1) on the same query (keeping its offset).
  const first = plain(c.oracle.get({ ...q, limit: 1 })[0] ?? null)
  const count = c.oracle.count(q)
  if (!q.where) return { get, first, count }
  return { get, first, count, ...c.oracle.partition(q), overlap: [] }
}

/** Runs one query through the public API: get(), count(), and the where and whereNot of its predicate. */
export async function runQuery(db: Db<any>, q: QuerySpec): Promise<Outcome> {
  const table = (db as any)[q.root]
  try {
    const get = plain(await applyQuery(table.query(), q).get())
    const first = plain(await applyQuery(table.query(), q).first())
    const count = await applyQuery(table.query(), q).count()
    if (!q.where) return { get, first, count }
    const base = applyQuery(table.query(), q, { where: false, rest: false })
    const all: number[] = await base.orderBy('id').pluck('id')
    const yes: number[] = await applyPred(base, q.where, false).orderBy('id').pluck('id')
    const no: number[] = await base.whereNot((g: any) => applyPred(g, q.where!, false)).orderBy('id').pluck('id')
    const unknown = all.filter((id) => !yes.includes(id) && !no.includes(id))
    return { get, first, count, yes, no, unknown, overlap: yes.filter((id) => no.includes(id)) }
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` }
  }
}

/** A db on the case's schema with its rows, and the statements it sends. */
export interface CaseDb {
  readonly db: Db<any>
  readonly log: LogEvent[]
  close(): Promise<void>
}

/** Drops every table a generated schema may have (a previous schema's, or an interrupted run's). */
async function dropAll(db: Db<any>, prefix: string): Promise<void> {
  for (const key of DROP_ORDER) await db.schema.dropTable(`${prefix}${key}`, { ifExists: true })
}

/**
 * Creates the case's tables on a fresh db of `dialect` and inserts its rows; close() drops them. Dialects that
 * share a database at the same time need their own `prefix` for the table names (default `tk_df_`).
 */
export async function openCase(c: DifferentialCase, dialect: Dialect, prefix = TABLE_PREFIX): Promise<CaseDb> {
  const log: LogEvent[] = []
  const db = createDb({ schema: buildSchema(c.spec, prefix), dialect, log: (e) => log.push(e) })
  try {
    await dropAll(db, prefix)
    await db.schema.create()
    await insertData(db, c.spec, c.data)
  } catch (error) {
    await db.close()
    throw error
  }
  log.length = 0
  return {
    db,
    log,
    async close() {
      try {
        await dropAll(db, prefix)
      } finally {
        await db.close()
      }
    },
  }
}

/** The statements of a log as text, with their parameters. */
export function showStatements(log: readonly LogEvent[]): string {
  return log.map((e) => `  ${e.sql}${e.params.length ? `  -- ${JSON.stringify(plain(e.params))}` : ''}`).join('\n')
}

/** A failure message that says how to replay the query, what it is, and what it sent. */
export function describeFailure(c: DifferentialCase, queryIndex: number, where: string, sql: string): string {
  const q = c.queries[queryIndex]
  return [
    `differential case ${c.index} (seed ${c.seed}; run seed ${c.settings.seed}), query ${queryIndex}, ${where}`,
    `replay: ORM_DIFFERENTIAL_SEED=${c.seed} ORM_DIFFERENTIAL_CASES=${queryIndex + 1} ORM_DIFFERENTIAL_QUERY=${queryIndex} npx vitest run -t differential`,
    'schema:',
    describeSchema(c.spec),
    'query:',
    `  ${describeQuery(q)}`,
    'statements:',
    sql,
  ].join('\n')
}

/** The case without per-parent limits in eager loads, for a dialect without window functions. */
export function withoutPerParentLimits(c: DifferentialCase): DifferentialCase {
  const strip = (e: EagerSpec): EagerSpec => (e.constraint ? { ...e, constraint: { ...e.constraint, limit: undefined, offset: undefined } } : e)
  return { ...c, queries: c.queries.map((q) => ({ ...q, eager: q.eager.map(strip) })) }
}

/** The queries of a case to run (all of them, or the one ORM_DIFFERENTIAL_QUERY names). */
export function queryIndexes(c: DifferentialCase): number[] {
  const all = c.queries.map((_, i) => i)
  return c.settings.only === undefined ? all : all.filter((i) => i === c.settings.only)
}
