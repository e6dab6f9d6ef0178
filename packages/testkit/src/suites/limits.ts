import { ValidationError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { useDb, type ConformanceOptions } from '../context.js'

export function limitSuite(options: ConformanceOptions) {
  describe('parameter limits', () => {
    const t = useDb(options)

    it('100,000 rows insert in one call, split by the parameter limit, ids in order', async () => {
      const count = 100_000
      const rows = await t.db.tags.insert(Array.from({ length: count }, (_, i) => ({ name: `t${i}` })))
      expect(rows).toHaveLength(count)
      expect(rows[0].name).toBe('t0')
      expect(rows[count - 1].name).toBe(`t${count - 1}`)
      expect(new Set(rows.map((r) => r.id)).size).toBe(count)
      expect(await t.db.tags.query().count()).toBe(count)
      // One bound value per row (the name): the dialect's parameter limit decides how many statements it takes.
      const statements = t.log.filter((e) => /^insert/i.test(e.sql)).length
      expect(statements).toBeGreaterThanOrEqual(Math.ceil(count / t.dialect.capabilities.maxParameters))
      const sample = await t.db.tags.find(rows[54321].id)
      expect(sample?.name).toBe('t54321')
    }, 300_000)

    it('a list past the parameter limit that cannot be split is a ValidationError before any statement', async () => {
      const max = t.dialect.capabilities.maxParameters
      const names = Array.from({ length: max + 10 }, (_, i) => `n${i}`)
      t.log.length = 0
      await expect(t.db.tags.query().whereNotIn('name', names).get()).rejects.toBeInstanceOf(ValidationError)
      expect(t.log).toHaveLength(0)
    })

    it('eager loading over 40,000 parents splits the key list by the parameter limit', async () => {
      const count = 40_000
      const ann = await t.db.users.insert({ name: 'Ann', email: 'ann@x' })
      const tags = await t.db.tags.insert(Array.from({ length: count }, (_, i) => ({ name: `t${i}` })))
      const post = await t.db.posts.insert({ authorId: ann.id, title: 'p' })
      await t.db.postTags.insert([{ postId: post.id, tagId: tags[0].id }, { postId: post.id, tagId: tags[count - 1].id }])
      t.log.length = 0
      const rows = await t.db.tags.query().orderBy('id').with('posts').get()
      expect(rows).toHaveLength(count)
      expect(rows[0].posts.map((p) => p.title)).toEqual(['p'])
      expect(rows[count - 1].posts.map((p) => p.title)).toEqual(['p'])
      expect(rows.filter((r) => r.posts.length > 0)).toHaveLength(2)
      const max = t.dialect.capabilities.maxParameters
      const loads = t.log.filter((e) => /^select/i.test(e.sql)).length - 1
      expect(loads).toBeGreaterThanOrEqual(Math.ceil(count / max))
      const withAuthor = await t.db.posts.query().with('author', 'tags').first()
      expect(withAuthor?.author?.name).toBe('Ann')
      expect(withAuthor?.tags.map((g) => g.name)).toEqual(['t0', `t${count - 1}`])
    }, 300_000)

    it('a batch sync over 12,000 parents deletes by their keys, NOT IN the few links kept', async () => {
      const count = 12_000
      const ann = await t.db.users.insert({ name: 'Ann', email: 'ann@x' })
      const [a, b, c] = await t.db.tags.insert([{ name: 'a' }, { name: 'b' }, { name: 'c' }])
      const posts = await t.db.posts.insert(Array.from({ length: count }, (_, i) => ({ authorId: ann.id, title: `p${i}` })))
      await t.db.postTags.insert(posts.flatMap((p) => [{ postId: p.id, tagId: a.id }, { postId: p.id, tagId: b.id }]))
      // every post loses b and gains c; the first 50 keep a, the others lose it
      t.log.length = 0
      const results = await t.db.posts.related(posts, 'tags').sync(...posts.map((_, i) => (i < 50 ? [a.id, c.id] : [c.id])))
      const byId = (values: readonly unknown[]) => [...values].map(Number).sort((x, y) => x - y)
      expect(results.map((r) => ({ ...r, detached: byId(r.detached) }))).toEqual(
        posts.map((_, i) => ({ attached: [c.id], detached: byId(i < 50 ? [b.id] : [a.id, b.id]), updated: [] })),
      )
      const deletes = t.log.filter((e) => /^delete/i.test(e.sql))
      expect(deletes.length).toBeGreaterThan(0)
      for (const d of deletes) {
        expect(d.sql).toMatch(/not in/i)
        expect(d.params.length).toBeLessThanOrEqual(t.dialect.capabilities.maxParameters)
      }
      // read back: exactly the first 50 posts keep a, none has b, every one has c
      const linked = async (tag: { id: number }) => byId(await t.db.postTags.query().where('tagId', tag.id).pluck('postId'))
      expect([await linked(a), await linked(b), await linked(c)]).toEqual([byId(posts.slice(0, 50).map((p) => p.id)), [], byId(posts.map((p) => p.id))])
    }, 300_000)
  })
}
