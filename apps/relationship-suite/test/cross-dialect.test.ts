/**
 * The same sequence of operations on every available dialect must give deep-equal JS results.
 * Each dialect runs the script on fresh tables; the results are compared value by value.
 */
import { createDb, sql, type Dialect } from '@orm/core'
import { fixtures } from '@orm/testkit'
import { describe, expect, it } from 'vitest'
import { comparedDialects } from '../src/dialects.js'

// SQLite is the reference every other dialect is compared with, so it always runs here.
const dialects = comparedDialects()

/** Dates, bigints and bytes as comparable plain values; the auto-generated uuid and times are masked. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return { date: value.toISOString() }
  if (typeof value === 'bigint') return { bigint: value.toString() }
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') }
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = k === 'createdAt' || k === 'updatedAt' || k === 'deletedAt' || k === 'uuid' ? (v === null ? null : 'set') : plain(v)
    return out
  }
  return value
}

async function script(dialect: Dialect): Promise<unknown[]> {
  const db = createDb({ schema: fixtures.schema, dialect })
  const results: unknown[] = []
  const record = (value: unknown) => results.push(plain(value))
  try {
    await db.schema.drop()
    await db.schema.create()
    const [ann, bob] = await db.users.insert([
      { name: 'Ann', email: 'ann@x', age: 30 },
      { name: 'Bob', email: 'bob@x' },
    ])
    record([ann, bob])
    record(await db.users.insert({ name: 'Cy', email: 'cy@x', managerId: ann.id, active: false }))
    const posts = await db.posts.insert([
      { authorId: ann.id, title: 'A', views: 3, rating: '1.25', meta: { words: 5, tags: ['x'] } },
      { authorId: bob.id, title: 'B', published: true, body: 'é😀' },
      { authorId: ann.id, title: 'C', views: 9 },
    ])
    record(posts.map(({ createdAt: _c, ...p }) => p))
    record(await db.users.query().where('age', null).orWhere('name', 'like', 'A%').orderBy('name').get())
    record(await db.posts.query().whereIn('authorId', [ann.id]).orderBy('views', 'desc').pluck('title'))
    record(await db.posts.query().where('views', '>', 1).count())
    record(await db.users.query().orderBy('age').orderBy('id').select('id', 'age').get())
    record(await db.posts.query().where('published', false).update({ views: sql`views * 2` }))
    record(await db.posts.query().orderBy('id').pluck('views'))
    record(await db.users.upsert({ email: 'bob@x', name: 'Robert' }, { conflict: ['email'], update: ['name'] }))
    record(await db.users.update(ann.id, { age: 31 }))
    record(await db.users.delete(bob.id))
    record(await db.users.query().orderBy('id').pluck('name'))
    record(await db.users.query().onlyTrashed().pluck('email'))
    record(await db.users.restore(bob.id))
    record(await db.kinds.insert({ int: 7, big: 2n ** 60n, float: 0.1, decimal: '3.1', bool: false, ts: new Date(Date.UTC(2001, 0, 2, 3, 4, 5, 678)), day: '1999-12-31', json: ['a', { b: null }], bin: new Uint8Array([0, 255, 10]), choice: 'draft' }))
    record(await db.transaction(async (tx) => {
      await tx.tags.insert({ name: 'kept' })
      await tx.transaction((inner) => inner.tags.insert({ name: 'gone' }).then(() => Promise.reject(new Error('undo')))).catch(() => {})
      return tx.tags.query().pluck('name')
    }))
    record(await db.users.query().orderBy('name').paginate({ page: 2, perPage: 2 }))
  } finally {
    await db.schema.drop()
    await db.close()
  }
  return results
}

describe(`the same operations give the same JS results on ${dialects.map(([n]) => n).join(', ')}`, () => {
  it('every dialect matches SQLite step by step', async () => {
    const all: [string, unknown[]][] = []
    for (const [name, make] of dialects) all.push([name, await script(make())])
    const [, reference] = all[0]
    expect(reference.length).toBe(18)
    for (const [name, results] of all.slice(1)) {
      results.forEach((step, i) => expect({ dialect: name, step: i, value: step }).toEqual({ dialect: name, step: i, value: reference[i] }))
    }
  })
})
