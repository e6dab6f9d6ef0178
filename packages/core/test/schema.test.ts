import { describe, expect, it } from 'vitest'
import { col, createDb, defineSchema, model, SchemaError, snakeCase, table, type ColumnRef } from '../src/index.js'
import { fakeDialect } from './fake-dialect.js'

describe('table()', () => {
  it('maps properties to snake_case columns and resolves keys and roles once', () => {
    const users = table('users', { ...model(), fullName: col.string(), managerId: col.bigint().nullable(), HTTPCode: col.integer().column('http') })
    const meta = users.$meta
    expect(meta.columns.map((c) => [c.prop, c.name])).toEqual([
      ['id', 'id'], ['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['deletedAt', 'deleted_at'],
      ['fullName', 'full_name'], ['managerId', 'manager_id'], ['HTTPCode', 'http'],
    ])
    expect(meta.primaryKey).toEqual(['id'])
    expect(meta.autoIncrement?.prop).toBe('id')
    expect([meta.createdAt?.prop, meta.updatedAt?.prop, meta.softDelete?.prop]).toEqual(['createdAt', 'updatedAt', 'deletedAt'])
    expect(users.fullName.name).toBe('full_name')
  })

  it('takes table options: composite key, indexes, uniques, softDelete, timestamps', () => {
    const t = table(
      'post_tags',
      { postId: col.bigint(), tagId: col.bigint(), removedAt: col.timestamp().nullable(), made: col.timestamp(), changed: col.timestamp() },
      { primaryKey: ['postId', 'tagId'], indexes: [['tagId']], uniques: [{ columns: ['postId', 'made'], name: 'u1' }], softDelete: 'removedAt', timestamps: { createdAt: 'made', updatedAt: 'changed' } },
    )
    expect(t.$meta.primaryKey).toEqual(['postId', 'tagId'])
    expect(t.$meta.indexes).toEqual([{ columns: ['tagId'], unique: false, name: undefined }, { columns: ['postId', 'made'], unique: true, name: 'u1' }])
    expect(t.$meta.softDelete?.prop).toBe('removedAt')
    expect(t.$meta.createdAt?.prop).toBe('made')
  })

  it('turns model() roles off with options', () => {
    const t = table('t', { ...model() }, { timestamps: false, softDelete: false })
    expect([t.$meta.createdAt, t.$meta.updatedAt, t.$meta.softDelete]).toEqual([undefined, undefined, undefined])
  })

  it('names the bad thing in definition errors', () => {
    expect(() => table('t', {})).toThrow(SchemaError)
    expect(() => table('t', { a: 'x' as never })).toThrow(/property "a" is not a column/)
    expect(() => table('t', { a: col.string() }, { primaryKey: ['b' as never] })).toThrow(/primaryKey names "b".*Columns: a/)
    expect(() => table('t', { aB: col.string(), a_b: col.string() })).toThrow(/both map to column "a_b"/)
    expect(() => table('t', { d: col.timestamp() }, { softDelete: 'd' })).toThrow(/must be nullable/)
  })

  it('snakeCase', () => {
    expect(['managerId', 'HTTPStatus', 'already_snake', 'userID2'].map(snakeCase)).toEqual(['manager_id', 'http_status', 'already_snake', 'user_id2'])
  })
})

describe('defineSchema()', () => {
  const users = table('users', { id: col.id(), managerId: col.bigint().nullable().references((): ColumnRef => users.id) })
  it('keeps tables by key and by name', () => {
    const schema = defineSchema({ users })
    expect(schema.meta.tables.get('users')?.name).toBe('users')
    expect(schema.meta.keyByName.get('users')).toBe('users')
  })
  it('rejects a table given twice, a non-table and a reference outside the schema', () => {
    expect(() => defineSchema({ a: users, b: users })).toThrow(/given twice/)
    expect(() => defineSchema({ a: {} as never })).toThrow(/"a" is not a table/)
    const posts = table('posts', { id: col.id(), authorId: col.bigint().references(() => users.id) })
    expect(() => defineSchema({ posts })).toThrow(/references a table that is not in the schema/)
  })
  it('rejects a table key that collides with a db method', () => {
    const schema = defineSchema({ transaction: table('transactions', { id: col.id() }) })
    expect(() => createDb({ schema, dialect: fakeDialect() })).toThrow(/collides with db.transaction/)
  })
})
