import { describe, expect, expectTypeOf, it } from 'vitest'
import { col, model, table, type InferInsert } from '../src/index.js'
import { prepareInsertRow } from '../src/query/mutations.js'

/** An insert fills the table's timestamp columns: model()'s, or the ones the `timestamps` option names. */
describe('insert timestamps follow the table options', () => {
  const now = new Date('2025-01-15T10:00:00.123Z')

  it('fills the columns named by timestamps: { createdAt, updatedAt }', () => {
    const articles = table(
      'articles',
      { id: col.id(), title: col.string(), addedAt: col.timestamp(), changedAt: col.timestamp() },
      { timestamps: { createdAt: 'addedAt', updatedAt: 'changedAt' } },
    )
    expect(prepareInsertRow(articles.$meta, { title: 'a' }, now)).toEqual({ title: 'a', addedAt: now, changedAt: now })
    // ... so insert() does not require them.
    expectTypeOf<{ title: string }>().toExtend<InferInsert<typeof articles>>()
  })

  it('fills plain createdAt / updatedAt columns with timestamps: true', () => {
    const notes = table('notes', { id: col.id(), createdAt: col.timestamp(), updatedAt: col.timestamp() }, { timestamps: true })
    expect(prepareInsertRow(notes.$meta, {}, now)).toEqual({ createdAt: now, updatedAt: now })
    expectTypeOf<{}>().toExtend<InferInsert<typeof notes>>()
  })

  it("leaves model()'s columns to the caller with timestamps: false, and keeps given values", () => {
    const logs = table('logs', { ...model(), name: col.string() }, { timestamps: false })
    expect(prepareInsertRow(logs.$meta, { name: 'a' }, now)).toEqual({ name: 'a' })
    const users = table('users', { ...model(), name: col.string() })
    const given = new Date('2020-01-01T00:00:00.000Z')
    expect(prepareInsertRow(users.$meta, { name: 'a', createdAt: given }, now)).toEqual({ createdAt: given, updatedAt: now, name: 'a' })
  })
})
