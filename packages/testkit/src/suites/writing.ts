import { sql, UnknownColumnError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { seed, useDb, type ConformanceOptions } from '../context.js'

export function writingSuite(options: ConformanceOptions) {
  describe('writing', () => {
    const t = useDb(options)

    it('insert one returns the stored row with its id, defaults and timestamps', async () => {
      const before = Date.now()
      const ann = await t.db.users.insert({ name: 'Ann', email: 'ann@x.io' })
      expect(typeof ann.id).toBe('number')
      expect(ann).toMatchObject({ name: 'Ann', email: 'ann@x.io', managerId: null, active: true, age: null, deletedAt: null })
      expect(ann.createdAt).toBeInstanceOf(Date)
      expect(ann.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000)
      expect(ann.updatedAt.getTime()).toBe(ann.createdAt.getTime())
      expect(await t.db.users.find(ann.id)).toEqual(ann)
    })

    it('insert many returns every row with its id, in input order', async () => {
      const rows = await t.db.tags.insert([{ name: 'c' }, { name: 'a' }, { name: 'b' }])
      expect(rows.map((r) => r.name)).toEqual(['c', 'a', 'b'])
      expect(new Set(rows.map((r) => r.id)).size).toBe(3)
      for (const row of rows) expect(await t.db.tags.find(row.id)).toEqual(row)
    })

    it('insert rows that set different columns', async () => {
      const { ann } = await seed(t.db)
      const rows = await t.db.posts.insert([
        { authorId: ann.id, title: 'one' },
        { authorId: ann.id, title: 'two', views: 5, body: 'text' },
        { authorId: ann.id, title: 'three' },
      ])
      expect(rows.map((r) => [r.title, r.views, r.body])).toEqual([['one', 0, null], ['two', 5, 'text'], ['three', 0, null]])
    })

    it('insert into a table keyed by a client-side uuid', async () => {
      const note = await t.db.notes.insert({ body: 'hi' })
      expect(note.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(note.pinned).toBe(false)
      expect(await t.db.notes.find(note.id)).toEqual(note)
    })

    it('update by key returns the stored row; null when there is none', async () => {
      const { ann } = await seed(t.db)
      const updated = await t.db.users.update(ann.id, { name: 'Annie', age: 32 })
      expect(updated).toMatchObject({ id: ann.id, name: 'Annie', age: 32, email: 'ann@x.io' })
      expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(ann.updatedAt.getTime())
      expect(await t.db.users.update(ann.id + 999, { name: 'x' })).toBeNull()
    })

    it('query update returns the matched count; sql expressions are values', async () => {
      const { posts } = await seed(t.db)
      expect(await t.db.posts.query().where('published', true).update({ views: sql`views + 1` })).toBe(3)
      expect(await t.db.posts.query().orderBy('title').pluck('views')).toEqual([11, 3, 1, 8])
      expect(await t.db.posts.query().where('id', posts[1].id).update({ title: 'Beta' })).toBe(1)
      expect(await t.db.posts.query().where('title', 'nope').update({ title: 'x' })).toBe(0)
    })

    it('query update and delete respect limit and order', async () => {
      await seed(t.db)
      expect(await t.db.posts.query().orderBy('views', 'desc').limit(2).update({ title: 'top' })).toBe(2)
      expect(await t.db.posts.query().orderBy('title').pluck('title')).toEqual(['Beta', 'Delta', 'top', 'top'])
      expect(await t.db.posts.query().orderBy('views').limit(1).delete()).toBe(1)
      expect(await t.db.posts.query().orderBy('title').pluck('title')).toEqual(['Beta', 'top', 'top'])
    })

    it('delete by key and by query return counts', async () => {
      const { posts } = await seed(t.db)
      expect(await t.db.posts.delete(posts[0].id)).toBe(1)
      expect(await t.db.posts.delete(posts[0].id)).toBe(0)
      expect(await t.db.posts.query().where('published', true).delete()).toBe(2)
      expect(await t.db.posts.query().pluck('title')).toEqual(['Beta'])
    })

    it('upsert inserts, then updates the listed columns of the conflicting row', async () => {
      const first = await t.db.users.upsert({ email: 'a@x', name: 'Ann' }, { conflict: ['email'], update: ['name'] })
      expect(first).toMatchObject({ email: 'a@x', name: 'Ann' })
      const second = await t.db.users.upsert({ email: 'a@x', name: 'Bo', age: 9 }, { conflict: ['email'], update: ['name'] })
      expect(second).toMatchObject({ id: first.id, email: 'a@x', name: 'Bo', age: null })
      expect(await t.db.users.query().count()).toBe(1)
      const many = await t.db.users.upsert(
        [{ email: 'a@x', name: 'Cy' }, { email: 'b@x', name: 'Di' }],
        { conflict: ['email'], update: ['name'] },
      )
      expect(many.map((u) => [u.email, u.name])).toEqual([['a@x', 'Cy'], ['b@x', 'Di']])
      expect(many[0].id).toBe(first.id)
      const kept = await t.db.users.upsert({ email: 'a@x', name: 'Ignored' }, { conflict: ['email'], update: [] })
      expect(kept).toMatchObject({ id: first.id, name: 'Cy' })
    })

    it('upsert on a composite key', async () => {
      const { posts } = await seed(t.db)
      const tag = await t.db.tags.insert({ name: 'x' })
      await t.db.postTags.upsert({ postId: posts[0].id, tagId: tag.id, position: 1 })
      const row = await t.db.postTags.upsert({ postId: posts[0].id, tagId: tag.id, position: 5 })
      expect(row).toEqual({ postId: posts[0].id, tagId: tag.id, position: 5 })
      expect(await t.db.postTags.query().count()).toBe(1)
    })

    it('an unknown column in a write is rejected before any statement', async () => {
      await expect(t.db.users.insert({ name: 'x', email: 'y', 'name; drop table x': 1 } as never)).rejects.toBeInstanceOf(UnknownColumnError)
      await expect(t.db.users.query().update({ nope: 1 } as never)).rejects.toBeInstanceOf(UnknownColumnError)
      expect(t.log).toHaveLength(0)
    })
  })
}
