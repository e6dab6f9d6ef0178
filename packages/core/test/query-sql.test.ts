import { describe, expect, expectTypeOf, it } from 'vitest'
import { col, createDb, defineSchema, model, sql, table, UnknownColumnError, ValidationError } from '../src/index.js'
import { fakeDialect } from './fake-dialect.js'

const users = table('users', { ...model(), name: col.string(), email: col.string().unique(), age: col.integer().nullable() })
const tags = table('tags', { id: col.id(), name: col.string() })
const schema = defineSchema({ users, tags })
const db = createDb({ schema, dialect: fakeDialect() })
const SELECT_USERS =
  'SELECT "users"."id", "users"."created_at", "users"."updated_at", "users"."deleted_at", "users"."name", "users"."email", "users"."age" FROM "users"'
const LIVE = '"users"."deleted_at" IS NULL'

describe('query builder SQL (base compiler)', () => {
  it('where forms', () => {
    expect(db.users.query().where('name', 'Ann').toSQL()).toEqual({ sql: `${SELECT_USERS} WHERE "users"."name" = ? AND ${LIVE}`, params: ['Ann'] })
    expect(db.tags.query().where('id', '>=', 3).toSQL()).toEqual({ sql: 'SELECT "tags"."id", "tags"."name" FROM "tags" WHERE "tags"."id" >= ?', params: [3] })
    expect(db.tags.query().where({ id: 1, name: 'x' }).toSQL().sql).toMatch(/WHERE "tags"."id" = \? AND "tags"."name" = \?$/)
    expect(db.tags.query().where('name', null).toSQL().sql).toMatch(/WHERE "tags"."name" IS NULL$/)
    expect(db.tags.query().where('name', '<>', null).toSQL().sql).toMatch(/WHERE "tags"."name" IS NOT NULL$/)
    expect(db.tags.query().where('name', 'ilike', 'A%').toSQL()).toMatchObject({ sql: expect.stringMatching(/LOWER\("tags"."name"\) LIKE LOWER\(\?\)$/), params: ['A%'] })
  })

  it('orWhere folds as SQL reads: (a AND b) OR c; groups are parenthesized', () => {
    const q = db.tags.query().where('id', 1).where('name', 'a').orWhere('name', 'b')
    expect(q.toSQL().sql).toMatch(/WHERE \("tags"."id" = \? AND "tags"."name" = \?\) OR "tags"."name" = \?$/)
    const g = db.tags.query().where('id', 1).where((w) => w.where('name', 'a').orWhere('name', 'b'))
    expect(g.toSQL().sql).toMatch(/WHERE "tags"."id" = \? AND \("tags"."name" = \? OR "tags"."name" = \?\)$/)
    expect(db.tags.query().whereNot((w) => w.where('id', 1)).toSQL().sql).toMatch(/WHERE NOT \("tags"."id" = \?\)$/)
  })

  it('the soft-delete scope wraps the user predicate', () => {
    const q = db.users.query().where('name', 'a').orWhere('name', 'b')
    expect(q.toSQL().sql).toBe(`${SELECT_USERS} WHERE ("users"."name" = ? OR "users"."name" = ?) AND ${LIVE}`)
    expect(db.users.query().withTrashed().toSQL().sql).toBe(SELECT_USERS)
    expect(db.users.query().onlyTrashed().toSQL().sql).toBe(`${SELECT_USERS} WHERE "users"."deleted_at" IS NOT NULL`)
  })

  it('whereIn, empty lists, whereNull, whereBetween, whereRaw', () => {
    expect(db.tags.query().whereIn('id', [1, 2]).toSQL()).toMatchObject({ sql: expect.stringMatching(/"tags"."id" IN \(\?, \?\)$/), params: [1, 2] })
    expect(db.tags.query().whereIn('id', []).toSQL().sql).toMatch(/WHERE 1 = 0$/)
    expect(db.tags.query().whereNotIn('id', []).toSQL().sql).toMatch(/WHERE 1 = 1$/)
    expect(db.tags.query().whereNotNull('name').toSQL().sql).toMatch(/"tags"."name" IS NOT NULL$/)
    expect(db.tags.query().whereBetween('id', [1, 5]).toSQL()).toMatchObject({ sql: expect.stringMatching(/"tags"."id" BETWEEN \? AND \?$/), params: [1, 5] })
    expect(db.tags.query().whereRaw('id > ? and name = ?', [1, "'x"]).toSQL()).toMatchObject({ sql: expect.stringMatching(/WHERE id > \? and name = \?$/), params: [1, "'x"] })
    expect(db.tags.query().whereRaw(sql`id < ${9}`).toSQL()).toMatchObject({ sql: expect.stringMatching(/WHERE id < \?$/), params: [9] })
  })

  it('select, orderBy, limit, offset', () => {
    const q = db.tags.query().select('name').orderBy('name', 'desc').limit(10).offset(20)
    expect(q.toSQL()).toEqual({ sql: 'SELECT "tags"."name" FROM "tags" ORDER BY "tags"."name" DESC LIMIT 10 OFFSET 20', params: [] })
    expect(db.tags.query().offset(5).toSQL().sql).toMatch(/LIMIT -1 OFFSET 5$/)
  })

  it('builders are immutable', () => {
    const base = db.tags.query().where('id', 1)
    base.where('name', 'x')
    expect(base.toSQL().params).toEqual([1])
  })

  it('rejects unknown names and bad values before building SQL', () => {
    expect(() => db.tags.query().where('nope' as never, 1 as never)).toThrow(UnknownColumnError)
    expect(() => db.tags.query().where('id', 'DROP' as never, 1)).toThrow(ValidationError)
    expect(() => db.tags.query().limit(-1)).toThrow(ValidationError)
    expect(() => db.tags.query().orderBy('id', 'up' as never)).toThrow(ValidationError)
    expect(() => db.tags.query().whereRaw('a = ? and b = ?', [1])).toThrow(ValidationError)
  })

  it('sql template: tables and columns are identifiers, values are bound', () => {
    const fragment = sql`select count(*) from ${db.users} where ${db.users.name} = ${'Ann'}`
    expect(db.users.query().whereRaw(fragment).toSQL().params).toEqual(['Ann'])
    expect(db.tags.query().whereRaw(sql`${db.tags.name} = ${"x'; drop"}`).toSQL().sql).toMatch(/WHERE "tags"."name" = \?$/)
  })
})

describe('types', () => {
  it('rows, inserts and selects are typed from the table', () => {
    type UserRow = Awaited<ReturnType<typeof db.users.find>>
    expectTypeOf<NonNullable<UserRow>>().toEqualTypeOf<{
      id: number; createdAt: Date; updatedAt: Date; deletedAt: Date | null; name: string; email: string; age: number | null
    }>()
    expectTypeOf(() => db.tags.query().select('name').get()).returns.resolves.toEqualTypeOf<{ name: string }[]>()
    expectTypeOf(() => db.users.query().pluck('age')).returns.resolves.toEqualTypeOf<(number | null)[]>()
    expectTypeOf(db.users.insert).toBeCallableWith({ name: 'a', email: 'b' })
    // @ts-expect-error email is required
    void (() => db.users.insert({ name: 'a' }))
    // @ts-expect-error not a column
    void (() => db.users.query().where('nmae', 'x'))
    // @ts-expect-error wrong value type
    void (() => db.users.query().where('age', 'old'))
  })
})
