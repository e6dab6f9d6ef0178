import { createDb, type AnySchema, type Db, type Dialect, type LogEvent, type SqlFragment } from '@orm/core'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { schema, type TestSchema } from './fixtures.js'

export interface ConformanceOptions {
  /** Shown in the suite's name and report. */
  name: string
  /** Makes a fresh dialect; called once per suite file section. */
  createDialect: () => Dialect | Promise<Dialect>
  /** The database refuses NUL characters in text (PostgreSQL): the reliability suite then expects a clear error. */
  textRejectsNul?: boolean
  /**
   * The driver drops a byte-order mark (U+FEFF) at the start of a text value it reads (PGlite decodes with a
   * default TextDecoder). A known loss: the reliability suite then expects exactly that, and nothing else.
   */
  dropsLeadingBom?: boolean
  /** Hooks for fault injection (the reliability suite's fault cases run only when given). */
  faults?: FaultHooks
}

/** What a test setup offers to inject faults into its database. */
export interface FaultHooks {
  /** A statement returning the server-side id of the connection it runs on, as the column `id`. */
  backendId: () => SqlFragment
  /** Kills the server connection with that id, from another connection. */
  kill: (id: number) => Promise<void>
  /** Dialects that cannot connect (unreachable host, bad credentials, missing database). */
  unreachable?: () => readonly UnreachableCase[]
}

export interface UnreachableCase {
  readonly what: string
  readonly dialect: Dialect
  /** The host the ConnectionError must name (host or host:port). */
  readonly host: string
  /** A secret (the password) the message must not contain. */
  readonly secret?: string
}

/** A db on the test schema, a statement log, and a clean set of tables before each case. */
export interface SuiteContext {
  readonly db: Db<TestSchema>
  /** Statements run since the current case began. */
  readonly log: LogEvent[]
  readonly dialect: Dialect
}

/** A db on some schema, with its statement log: what `useSchemaDb` sets up. */
export interface SchemaDbContext<S extends AnySchema> {
  readonly db: Db<S>
  /** Statements run since the current case began (with a `reset`; else since the block began). */
  readonly log: LogEvent[]
  readonly dialect: Dialect
}

/** What a suite adds to `useSchemaDb`; `C` is the context the hooks fill in. */
export interface SchemaDbHooks<C> {
  /** Runs once, after the tables are created. */
  seed?: (ctx: C) => Promise<void>
  /** Runs before each case; the log is emptied after it. */
  reset?: (ctx: C) => Promise<void>
}

/**
 * Sets up a db on `schema` for a describe block: tables dropped and created once (then `seed`), `reset` and an
 * emptied log before each case, tables dropped and the db closed after the block. `X` types the fields the hooks
 * set on the context.
 */
export function useSchemaDb<S extends AnySchema, X extends object = object>(
  schema: S,
  options: ConformanceOptions,
  hooks: SchemaDbHooks<SchemaDbContext<S> & X> = {},
): SchemaDbContext<S> & X {
  const ctx = { log: [] as LogEvent[] } as { db: Db<S>; log: LogEvent[]; dialect: Dialect } & X
  const { seed, reset } = hooks
  beforeAll(async () => {
    ctx.dialect = await options.createDialect()
    ctx.db = createDb({ schema, dialect: ctx.dialect, log: (e) => ctx.log.push(e) })
    await ctx.db.schema.drop()
    await ctx.db.schema.create()
    if (seed) await seed(ctx)
  })
  if (reset) {
    beforeEach(async () => {
      await reset(ctx)
      ctx.log.length = 0
    })
  }
  afterAll(async () => {
    if (!ctx.db) return
    await ctx.db.schema.drop()
    await ctx.db.close()
  })
  return ctx
}

/** Sets up the db for a describe block: tables created once, emptied before each case. */
export function useDb(options: ConformanceOptions): SuiteContext {
  return useSchemaDb(schema, options, {
    async reset({ db }) {
      for (const key of ['postTags', 'posts', 'tags', 'kinds', 'notes'] as const) await db[key].query().withTrashed().forceDelete()
      await db.users.query().withTrashed().update({ managerId: null })
      await db.users.query().withTrashed().forceDelete()
    },
  })
}

const TRANSACTION_CONTROL = /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/

/**
 * Runs `fn` and returns the statements it added to `log`; transaction control (BEGIN, COMMIT, ROLLBACK,
 * SAVEPOINT, RELEASE) is left out unless `control` is set.
 */
export async function loggedBy(log: readonly LogEvent[], fn: () => Promise<unknown>, { control = false } = {}): Promise<LogEvent[]> {
  const before = log.length
  await fn()
  const events = log.slice(before)
  return control ? events : events.filter((e) => !TRANSACTION_CONTROL.test(e.sql))
}

/** A few users and posts, inserted the same way on every dialect. */
export async function seed(db: Db<TestSchema>) {
  const [ann, bob, cid, dee] = await db.users.insert([
    { name: 'Ann', email: 'ann@x.io', age: 31 },
    { name: 'Bob', email: 'bob@x.io', age: 25, active: false },
    { name: 'Cid', email: 'cid@x.io' },
    { name: 'Dee', email: 'dee@x.io', age: 42 },
  ])
  await db.users.update(bob.id, { managerId: ann.id })
  await db.users.update(cid.id, { managerId: ann.id })
  const posts = await db.posts.insert([
    { authorId: ann.id, title: 'Alpha', published: true, views: 10, rating: '4.50' },
    { authorId: ann.id, title: 'Beta', views: 3 },
    { authorId: bob.id, title: 'Gamma', published: true, views: 7, body: 'hello' },
    { authorId: dee.id, title: 'Delta', published: true, views: 0, meta: { words: 120 } },
  ])
  return { ann, bob, cid, dee, posts }
}
