import { n, type InsertNode, type StatementNode, type UpdateNode, type DeleteNode } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { PgCodecs, PgCompiler, pgCapabilities } from '../src/index.js'

const compiler = new PgCompiler(pgCapabilities, new PgCodecs())
const compile = (node: StatementNode) => compiler.compile(node)
const c = n.column
const v = n.value

describe('PgCompiler', () => {
  it('numbers placeholders and parenthesizes nested and/or', () => {
    const q = compile(n.select({
      from: n.table('users', 'u'),
      columns: [c('id', 'u'), n.alias(c('name', 'u'), 'label')],
      where: n.and([
        n.binary(c('age', 'u'), '>=', v(18)),
        n.or([
          n.binary(c('name', 'u'), 'like', v('a%')),
          n.and([n.binary(c('role', 'u'), '=', v('admin')), n.not(n.binary(c('banned', 'u'), '=', v(true)))]),
        ]),
      ]),
    }))
    expect(q.sql).toBe(
      'SELECT "u"."id", "u"."name" AS "label" FROM "users" AS "u" WHERE "u"."age" >= $1 AND ' +
        '("u"."name" LIKE $2 OR ("u"."role" = $3 AND NOT ("u"."banned" = $4)))',
    )
    expect(q.params).toEqual([18, 'a%', 'admin', true])
  })

  it('compiles IN, empty IN, NOT IN empty, row-value IN and IN (subquery)', () => {
    const where = n.and([
      n.in([c('id')], [[v(1)], [v(2)], [v(3)]]),
      n.in([c('id')], []),
      n.in([c('id')], [], true),
      n.in([c('a'), c('b')], [[v(1), v('x')], [v(2), v('y')]]),
      n.in([c('id')], [[v(9)]], true),
      n.in([c('team_id')], n.select({ from: n.table('teams'), columns: [c('id')], where: n.binary(c('open'), '=', v(true)) })),
    ])
    const q = compile(n.select({ from: n.table('t'), columns: [n.star()], where }))
    expect(q.sql).toBe(
      'SELECT * FROM "t" WHERE "id" IN ($1, $2, $3) AND 1 = 0 AND 1 = 1 AND ("a", "b") IN (($4, $5), ($6, $7)) ' +
        'AND "id" NOT IN ($8) AND "team_id" IN (SELECT "id" FROM "teams" WHERE "open" = $9)',
    )
    expect(q.params).toEqual([1, 2, 3, 1, 'x', 2, 'y', 9, true])
  })

  it('compiles IS NULL, BETWEEN and EXISTS with numbering through the subquery', () => {
    const q = compile(n.select({
      from: n.table('posts', 'p'),
      columns: [n.star('p')],
      where: n.and([
        n.isNull(c('deleted_at', 'p')),
        n.isNull(c('published_at', 'p'), true),
        n.between(c('score', 'p'), v(1), v(5)),
        n.between(c('rank', 'p'), v(10), v(20), true),
        n.exists(n.select({
          from: n.table('comments', 'c'),
          columns: [n.raw(['1'])],
          where: n.and([n.binary(c('post_id', 'c'), '=', c('id', 'p')), n.binary(c('spam', 'c'), '=', v(false))]),
        })),
        n.exists(n.select({ from: n.table('flags'), columns: [n.raw(['1'])], where: n.binary(c('level'), '>', v(3)) }), true),
      ]),
    }))
    expect(q.sql).toBe(
      'SELECT "p".* FROM "posts" AS "p" WHERE "p"."deleted_at" IS NULL AND "p"."published_at" IS NOT NULL ' +
        'AND "p"."score" BETWEEN $1 AND $2 AND "p"."rank" NOT BETWEEN $3 AND $4 ' +
        'AND EXISTS (SELECT 1 FROM "comments" AS "c" WHERE "c"."post_id" = "p"."id" AND "c"."spam" = $5) ' +
        'AND NOT EXISTS (SELECT 1 FROM "flags" WHERE "level" > $6)',
    )
    expect(q.params).toEqual([1, 5, 10, 20, false, 3])
  })

  it('makes NULL sort as the smallest value on nullable columns only', () => {
    const q = compile(n.select({
      from: n.table('t'),
      columns: [c('id')],
      orderBy: [n.order(c('deleted_at'), 'asc', true), n.order(c('score'), 'desc', true), n.order(c('id'), 'desc'), n.order(c('name'), 'asc')],
    }))
    expect(q.sql).toBe('SELECT "id" FROM "t" ORDER BY "deleted_at" ASC NULLS FIRST, "score" DESC NULLS LAST, "id" DESC, "name" ASC')
  })

  it('writes LIMIT/OFFSET as integers, and LIMIT ALL for OFFSET alone', () => {
    const base = { from: n.table('t'), columns: [c('id')] }
    expect(compile(n.select({ ...base, limit: n.integer(10), offset: n.integer(20) })).sql)
      .toBe('SELECT "id" FROM "t" LIMIT 10 OFFSET 20')
    expect(compile(n.select({ ...base, limit: n.integer(3) })).sql).toBe('SELECT "id" FROM "t" LIMIT 3')
    expect(compile(n.select({ ...base, offset: n.integer(5) })).sql).toBe('SELECT "id" FROM "t" LIMIT ALL OFFSET 5')
    expect(() => compile(n.select({ ...base, limit: n.integer(-1) }))).toThrow(/non-negative/)
  })

  it('inserts several rows with RETURNING, encoding values by column kind', () => {
    const when = new Date('2024-02-29T23:59:59.999Z')
    const node: InsertNode = {
      kind: 'Insert',
      table: n.table('events'),
      columns: ['name', 'at', 'day', 'data', 'raw', 'big'],
      rows: [
        [v('a'), v(when, 'timestamp'), v(when, 'date'), v(['x', 1], 'json'), v(new Uint8Array([1, 2]), 'binary'), v(2n ** 60n, 'bigint')],
        [v('b'), v(null, 'timestamp'), v('2024-01-02', 'date'), v('plain', 'json'), v(null, 'binary'), v(7, 'bigint')],
      ],
      returning: ['id', 'name'],
    }
    const q = compile(node)
    expect(q.sql).toBe(
      'INSERT INTO "events" ("name", "at", "day", "data", "raw", "big") VALUES ($1, $2, $3, $4, $5, $6), ' +
        '($7, $8, $9, $10, $11, $12) RETURNING "id", "name"',
    )
    expect(q.params).toEqual([
      'a', '2024-02-29T23:59:59.999Z', '2024-02-29', '["x",1]', Buffer.from([1, 2]), '1152921504606846976',
      'b', null, '2024-01-02', '"plain"', null, 7,
    ])
    expect(Buffer.isBuffer(q.params[4])).toBe(true)
  })

  it('compiles upserts: DO UPDATE from excluded, and DO NOTHING', () => {
    const insert = (update: string[]): InsertNode => ({
      kind: 'Insert',
      table: n.table('settings'),
      columns: ['key', 'value'],
      rows: [[v('theme'), v('dark')]],
      onConflict: { columns: ['key'], update },
    })
    expect(compile(insert(['value'])).sql).toBe(
      'INSERT INTO "settings" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"',
    )
    expect(compile(insert([])).sql).toBe('INSERT INTO "settings" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO NOTHING')
  })

  it('compiles UPDATE and DELETE with RETURNING', () => {
    const update: UpdateNode = {
      kind: 'Update',
      table: n.table('users'),
      set: [{ column: 'name', value: v('Ann') }, { column: 'visits', value: n.binary(c('visits'), '+', v(1)) }],
      where: n.binary(c('id'), '=', v(7)),
      returning: ['id', 'visits'],
    }
    const q = compile(update)
    expect(q.sql).toBe('UPDATE "users" SET "name" = $1, "visits" = "visits" + $2 WHERE "id" = $3 RETURNING "id", "visits"')
    expect(q.params).toEqual(['Ann', 1, 7])

    const del: DeleteNode = { kind: 'Delete', table: n.table('users'), where: n.in([c('id')], [[v(1)], [v(2)]]), returning: ['id'] }
    expect(compile(del)).toEqual({ sql: 'DELETE FROM "users" WHERE "id" IN ($1, $2) RETURNING "id"', params: [1, 2] })
    expect(compile({ kind: 'Delete', table: n.table('users') }).sql).toBe('DELETE FROM "users"')
  })

  it('numbers raw values across nested subqueries', () => {
    const sub = n.select({ from: n.table('b'), columns: [c('id')], where: n.binary(c('x'), '=', v('inner')) })
    const raw = n.raw(['SELECT * FROM "a" WHERE "k" = ', ' AND "id" IN ', ' AND "n" > ', ''], [v('first'), n.subquery(sub), v(3)])
    expect(compile(raw)).toEqual({
      sql: 'SELECT * FROM "a" WHERE "k" = $1 AND "id" IN (SELECT "id" FROM "b" WHERE "x" = $2) AND "n" > $3',
      params: ['first', 'inner', 3],
    })
  })

  it('quotes identifiers by doubling quotes, and locks rows', () => {
    const q = compile(n.select({ from: n.table('we"ird'), columns: [c('a"b')], lock: 'update' }))
    expect(q.sql).toBe('SELECT "a""b" FROM "we""ird" FOR UPDATE')
  })
})
