import { n, type DeleteNode, type InsertNode, type UpdateNode } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { sqlite } from '../src/index.js'

const dialect = sqlite()
const compiler = dialect.createCompiler(dialect.capabilities)
const users = n.table('users', 'u')
const id = n.column('id', 'u')
const name = n.column('name', 'u')

describe('SqliteCompiler: SELECT', () => {
  it('nests AND inside OR with parentheses and binds every value', () => {
    const query = compiler.compile(n.select({
      from: users,
      columns: [id, n.alias(name, 'userName')],
      where: n.and([
        n.binary(name, '=', n.value('ann')),
        n.or([n.binary(id, '>', n.value(5)), n.and([n.binary(id, '<', n.value(2)), n.isNull(name, true)])]),
      ]),
    }))
    expect(query.sql).toBe(
      'SELECT "u"."id", "u"."name" AS "userName" FROM "users" AS "u" ' +
        'WHERE "u"."name" = ? AND ("u"."id" > ? OR ("u"."id" < ? AND "u"."name" IS NOT NULL))',
    )
    expect(query.params).toEqual(['ann', 5, 2])
  })

  it('compiles IN, NOT IN, row-value IN, and empty lists to constant predicates', () => {
    const query = compiler.compile(n.select({
      from: n.table('users'),
      columns: [n.star()],
      where: n.and([
        n.in([n.column('id')], [[n.value(1)], [n.value(2)]]),
        n.in([n.column('name')], [[n.value('x')]], true),
        n.in([n.column('a'), n.column('b')], [[n.value(1), n.value(2)], [n.value(3), n.value(4)]]),
        n.in([n.column('id')], []),
        n.in([n.column('id')], [], true),
      ]),
    }))
    expect(query.sql).toBe(
      'SELECT * FROM "users" WHERE "id" IN (?, ?) AND "name" NOT IN (?) AND ("a", "b") IN ((?, ?), (?, ?)) ' +
        'AND 1 = 0 AND 1 = 1',
    )
    expect(query.params).toEqual([1, 2, 'x', 1, 2, 3, 4])
  })

  it('compiles IS NULL, BETWEEN, EXISTS with a correlated subquery, and IN (subquery)', () => {
    const posts = n.select({
      from: n.table('posts', 'p'),
      columns: [n.integer(1)],
      where: n.binary(n.column('user_id', 'p'), '=', id),
    })
    const query = compiler.compile(n.select({
      from: users,
      columns: [id],
      where: n.and([
        n.isNull(n.column('deleted_at', 'u')),
        n.between(id, n.value(10), n.value(20)),
        n.between(id, n.value(1), n.value(3), true),
        n.exists(posts),
        n.exists(posts, true),
        n.in([id], n.select({ from: n.table('admins'), columns: [n.column('user_id')], limit: n.integer(3) })),
      ]),
    }))
    expect(query.sql).toBe(
      'SELECT "u"."id" FROM "users" AS "u" WHERE "u"."deleted_at" IS NULL AND "u"."id" BETWEEN ? AND ? ' +
        'AND "u"."id" NOT BETWEEN ? AND ? ' +
        'AND EXISTS (SELECT 1 FROM "posts" AS "p" WHERE "p"."user_id" = "u"."id") ' +
        'AND NOT EXISTS (SELECT 1 FROM "posts" AS "p" WHERE "p"."user_id" = "u"."id") ' +
        'AND "u"."id" IN (SELECT "user_id" FROM "admins" LIMIT 3)',
    )
    expect(query.params).toEqual([10, 20, 1, 3])
  })

  it('orders, limits and offsets with literal integers', () => {
    const query = compiler.compile(n.select({
      from: users,
      columns: [id],
      orderBy: [n.order(name, 'asc'), n.order(id, 'desc')],
      limit: n.integer(10),
      offset: n.integer(20),
    }))
    expect(query.sql).toBe('SELECT "u"."id" FROM "users" AS "u" ORDER BY "u"."name" ASC, "u"."id" DESC LIMIT 10 OFFSET 20')
    expect(query.params).toEqual([])
  })

  it('writes LIMIT -1 for an offset without a limit', () => {
    const query = compiler.compile(n.select({ from: n.table('users'), columns: [n.star()], offset: n.integer(5) }))
    expect(query.sql).toBe('SELECT * FROM "users" LIMIT -1 OFFSET 5')
  })

  it('drops FOR UPDATE: SQLite has no row locks', () => {
    const query = compiler.compile(n.select({ from: n.table('users'), columns: [n.star()], lock: 'update' }))
    expect(query.sql).toBe('SELECT * FROM "users"')
  })

  it('doubles quotes inside identifiers', () => {
    const query = compiler.compile(n.select({ from: n.table('we"ird'), columns: [n.column('a"b')] }))
    expect(query.sql).toBe('SELECT "a""b" FROM "we""ird"')
  })

  it('encodes values by column kind (booleans, dates, json)', () => {
    const when = new Date('2024-03-04T05:06:07.089Z')
    const query = compiler.compile(n.select({
      from: n.table('t'),
      columns: [n.star()],
      where: n.and([
        n.binary(n.column('flag'), '=', n.value(true, 'boolean')),
        n.binary(n.column('at'), '<', n.value(when, 'timestamp')),
        n.binary(n.column('day'), '=', n.value(when, 'date')),
        n.binary(n.column('doc'), '=', n.value('text', 'json')),
        n.binary(n.column('x'), '=', n.value(false)),
      ]),
    }))
    expect(query.params).toEqual([1, '2024-03-04T05:06:07.089Z', '2024-03-04', '"text"', 0])
  })
})

describe('SqliteCompiler: writes', () => {
  it('inserts several rows with RETURNING', () => {
    const node: InsertNode = {
      kind: 'Insert',
      table: n.table('users'),
      columns: ['name', 'active'],
      rows: [[n.value('a'), n.value(true, 'boolean')], [n.value('b'), n.value(null)]],
      returning: ['id', 'name'],
    }
    const query = compiler.compile(node)
    expect(query.sql).toBe('INSERT INTO "users" ("name", "active") VALUES (?, ?), (?, ?) RETURNING "id", "name"')
    expect(query.params).toEqual(['a', 1, 'b', null])
  })

  it('inserts DEFAULT VALUES when there are no columns', () => {
    const query = compiler.compile({ kind: 'Insert', table: n.table('t'), columns: [], rows: [[]], returning: ['id'] })
    expect(query.sql).toBe('INSERT INTO "t" DEFAULT VALUES RETURNING "id"')
  })

  it('upserts with DO UPDATE from excluded', () => {
    const query = compiler.compile({
      kind: 'Insert',
      table: n.table('users'),
      columns: ['email', 'name'],
      rows: [[n.value('a@x'), n.value('A')]],
      onConflict: { columns: ['email'], update: ['name'] },
    })
    expect(query.sql).toBe(
      'INSERT INTO "users" ("email", "name") VALUES (?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name"',
    )
    expect(query.params).toEqual(['a@x', 'A'])
  })

  it('upserts with DO NOTHING', () => {
    const query = compiler.compile({
      kind: 'Insert',
      table: n.table('users'),
      columns: ['email'],
      rows: [[n.value('a@x')]],
      onConflict: { columns: ['email'], update: [] },
    })
    expect(query.sql).toBe('INSERT INTO "users" ("email") VALUES (?) ON CONFLICT ("email") DO NOTHING')
  })

  it('updates with WHERE and RETURNING', () => {
    const node: UpdateNode = {
      kind: 'Update',
      table: n.table('users'),
      set: [
        { column: 'name', value: n.value('B') },
        { column: 'visits', value: n.binary(n.column('visits'), '+', n.value(1)) },
      ],
      where: n.binary(n.column('id'), '=', n.value(7)),
      returning: ['id'],
    }
    const query = compiler.compile(node)
    expect(query.sql).toBe('UPDATE "users" SET "name" = ?, "visits" = "visits" + ? WHERE "id" = ? RETURNING "id"')
    expect(query.params).toEqual(['B', 1, 7])
  })

  it('deletes with WHERE', () => {
    const node: DeleteNode = {
      kind: 'Delete',
      table: n.table('users'),
      where: n.in([n.column('id')], [[n.value(1)], [n.value(2)]]),
    }
    const query = compiler.compile(node)
    expect(query.sql).toBe('DELETE FROM "users" WHERE "id" IN (?, ?)')
    expect(query.params).toEqual([1, 2])
  })

  it('keeps raw SQL text and binds its values', () => {
    const query = compiler.compile(
      n.raw(['SELECT * FROM ', ' WHERE "a" = ', ' AND "b" > ', ''], [n.column('users'), n.value('x'), n.value(3)]),
    )
    expect(query.sql).toBe('SELECT * FROM "users" WHERE "a" = ? AND "b" > ?')
    expect(query.params).toEqual(['x', 3])
  })
})
