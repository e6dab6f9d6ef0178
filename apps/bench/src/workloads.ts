import type { Db } from '@orm/core'
import { insertBatch, type Dataset } from './dataset.js'
import { normalizeCount, normalizeInserted, normalizeRow, normalizeRows, type Source } from './normalize.js'
import type { RawClient } from './raw/types.js'
import type { RawSql } from './raw/sql.js'
import { postColumns, userColumns, type schema } from './schema.js'

export type BenchDb = Db<typeof schema>

export interface BenchContext {
  readonly raw: RawClient
  /** The raw side of the relationship workloads. */
  readonly sql: RawSql
  readonly data: Dataset
}

/**
 * One workload: the same operation written against the raw driver and against the ORM. `op` numbers the
 * operations of one side (0, 1, 2, ...), so both sides do the same sequence of work.
 */
export interface Workload {
  readonly id: string
  readonly title: string
  raw(ctx: BenchContext, op: number): unknown
  orm(db: BenchDb, ctx: BenchContext, op: number): Promise<unknown>
  normalize(result: unknown, source: Source): unknown
  /** A sanity check of the (normalized) raw result: a message when it is not what the dataset implies. */
  check?(normalized: unknown, ctx: BenchContext, op: number): string | undefined
  /** Run after every measured batch, untimed (B4 deletes what it inserted so the table stays the same size). */
  between?(ctx: BenchContext): unknown
}

export const INSERT_BATCH = 100

const userFor = (ctx: BenchContext, op: number): number => ctx.data.userIds[(op * 7919) % ctx.data.userIds.length]
const updatedUser = (ctx: BenchContext, op: number): number => ctx.data.userIds[(op * 104_729 + 11) % ctx.data.userIds.length]
const scoreFor = (op: number): number => (op * 13) % 1000
const field = (row: unknown, key: string): unknown => (row as Record<string, unknown> | null)?.[key]

export const workloads: readonly Workload[] = [
  {
    id: 'B1',
    title: 'find one user by primary key',
    raw: (ctx, op) => ctx.raw.findUser(userFor(ctx, op)),
    orm: (db, ctx, op) => db.users.find(userFor(ctx, op)),
    normalize: (result, source) => normalizeRow(result, userColumns, source),
    check: (row, ctx, op) => (field(row, 'id') === userFor(ctx, op) ? undefined : `expected user ${userFor(ctx, op)}`),
  },
  {
    id: 'B2',
    title: '100 active users, ordered by id',
    raw: (ctx) => ctx.raw.activeUsers(),
    orm: (db) => db.users.query().where('active', true).orderBy('id').limit(100).get(),
    normalize: (result, source) => normalizeRows(result, userColumns, source),
    check: (rows) => {
      const list = rows as unknown[]
      if (list.length !== 100) return `expected 100 rows, got ${list.length}`
      if (!list.every((r) => field(r, 'active') === true)) return 'an inactive user came back'
      return undefined
    },
  },
  {
    id: 'B3',
    title: 'count published posts',
    raw: (ctx) => ctx.raw.countPublished(),
    orm: (db) => db.posts.query().where('published', true).count(),
    normalize: (result, source) => normalizeCount(result, source),
    check: (count) => (typeof count === 'number' && count > 0 ? undefined : `expected a positive count, got ${String(count)}`),
  },
  {
    id: 'B4',
    title: `insert ${INSERT_BATCH} posts, read back with ids`,
    raw: (ctx, op) => ctx.raw.insertPosts(insertBatch(ctx.data.userIds, op, INSERT_BATCH)),
    orm: (db, ctx, op) => db.posts.insert(insertBatch(ctx.data.userIds, op, INSERT_BATCH)),
    normalize: (result, source) => normalizeInserted(result, postColumns, source),
    check: (result) => {
      const { idsAscending, rows } = result as { idsAscending: boolean; rows: unknown[] }
      if (rows.length !== INSERT_BATCH) return `expected ${INSERT_BATCH} rows, got ${rows.length}`
      return idsAscending ? undefined : 'ids are not distinct ascending integers'
    },
    between: (ctx) => ctx.raw.deletePostsAbove(ctx.data.maxPostId),
  },
  {
    id: 'B5',
    title: 'update one user by primary key (returns the row)',
    raw: (ctx, op) => ctx.raw.updateScore(updatedUser(ctx, op), scoreFor(op)),
    orm: (db, ctx, op) => db.users.update(updatedUser(ctx, op), { score: scoreFor(op) }),
    normalize: (result, source) => normalizeRow(result, userColumns, source),
    check: (row, ctx, op) =>
      field(row, 'id') === updatedUser(ctx, op) && field(row, 'score') === scoreFor(op) ? undefined : 'the updated row is not the one written',
  },
]
