import { NotFoundError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { seed, useDb, type ConformanceOptions } from '../context.js'

export function readingSuite(options: ConformanceOptions) {
  describe('reading', () => {
    const t = useDb(options)

    it('find / findOrFail by key, null and NotFoundError when missing', async () => {
      const { ann } = await seed(t.db)
      const found = await t.db.users.find(ann.id)
      expect(found).toMatchObject({ id: ann.id, name: 'Ann', email: 'ann@x.io', managerId: null, active: true, age: 31 })
      expect(await t.db.users.find(ann.id + 1000)).toBeNull()
      await expect(t.db.users.findOrFail(ann.id + 1000)).rejects.toBeInstanceOf(NotFoundError)
    })

    it('find by composite key as an object or an array', async () => {
      const { posts } = await seed(t.db)
      const tag = await t.db.tags.insert({ name: 'orm' })
      await t.db.postTags.insert({ postId: posts[0].id, tagId: tag.id, position: 2 })
      expect(await t.db.postTags.find({ postId: posts[0].id, tagId: tag.id })).toEqual({ postId: posts[0].id, tagId: tag.id, position: 2 })
      expect(await t.db.postTags.find([posts[0].id, tag.id])).toEqual({ postId: posts[0].id, tagId: tag.id, position: 2 })
      expect(await t.db.postTags.find([posts[1].id, tag.id])).toBeNull()
    })

    it('get returns every column with the same JS values on every dialect', async () => {
      await seed(t.db)
      const rows = await t.db.posts.query().orderBy('title').get()
      expect(rows.map((r) => [r.title, r.published, r.views, r.rating, r.body, r.meta])).toEqual([
        ['Alpha', true, 10, '4.50', null, null],
        ['Beta', false, 3, null, null, null],
        ['Delta', true, 0, null, null, { words: 120 }],
        ['Gamma', true, 7, null, 'hello', null],
      ])
      expect(rows[0].createdAt).toBeInstanceOf(Date)
      expect(Object.keys(rows[0]).sort()).toEqual(['authorId', 'body', 'createdAt', 'id', 'meta', 'published', 'rating', 'title', 'views'])
    })

    it('first / firstOrFail: by primary key without an order, null when empty', async () => {
      const { ann } = await seed(t.db)
      expect((await t.db.users.query().first())?.id).toBe(ann.id)
      expect((await t.db.users.query().orderBy('name', 'desc').first())?.name).toBe('Dee')
      expect(await t.db.users.query().where('name', 'Nobody').first()).toBeNull()
      await expect(t.db.users.query().where('name', 'Nobody').firstOrFail()).rejects.toBeInstanceOf(NotFoundError)
    })

    it('count, exists, pluck', async () => {
      await seed(t.db)
      expect(await t.db.posts.query().count()).toBe(4)
      expect(await t.db.posts.query().where('published', true).count()).toBe(3)
      expect(await t.db.posts.query().limit(2).count()).toBe(2)
      expect(await t.db.posts.query().where('views', '>', 100).exists()).toBe(false)
      expect(await t.db.posts.query().where('views', '>', 5).exists()).toBe(true)
      expect(await t.db.users.query().orderBy('name').pluck('email')).toEqual(['ann@x.io', 'bob@x.io', 'cid@x.io', 'dee@x.io'])
    })

    it('select narrows the columns read', async () => {
      await seed(t.db)
      const rows = await t.db.users.query().select('id', 'name').orderBy('name').limit(2).get()
      expect(rows.map((r) => Object.keys(r).sort())).toEqual([['id', 'name'], ['id', 'name']])
      expect(rows.map((r) => r.name)).toEqual(['Ann', 'Bob'])
    })

    it('orderBy, limit and offset; NULL sorts first ascending and last descending everywhere', async () => {
      await seed(t.db)
      const q = t.db.users.query()
      expect(await q.orderBy('age').pluck('name')).toEqual(['Cid', 'Bob', 'Ann', 'Dee'])
      expect(await q.orderBy('age', 'desc').pluck('name')).toEqual(['Dee', 'Ann', 'Bob', 'Cid'])
      expect(await q.orderBy('name').limit(2).offset(1).pluck('name')).toEqual(['Bob', 'Cid'])
      expect(await q.orderBy('name').offset(3).pluck('name')).toEqual(['Dee'])
    })

    it('paginate returns a page and the totals', async () => {
      await seed(t.db)
      const page = await t.db.users.query().orderBy('name').paginate({ page: 2, perPage: 3 })
      expect(page.data.map((u) => u.name)).toEqual(['Dee'])
      expect({ total: page.total, page: page.page, perPage: page.perPage, lastPage: page.lastPage }).toEqual({
        total: 4, page: 2, perPage: 3, lastPage: 2,
      })
    })

    it('cursor walks every row in batches, one statement per batch', async () => {
      await t.db.tags.insert(Array.from({ length: 25 }, (_, i) => ({ name: `tag-${String(i).padStart(2, '0')}` })))
      t.log.length = 0
      const names: string[] = []
      for await (const tag of t.db.tags.query().cursor({ batchSize: 10 })) names.push(tag.name)
      expect(names).toHaveLength(25)
      expect(names[0]).toBe('tag-00')
      expect(names[24]).toBe('tag-24')
      expect(t.log).toHaveLength(3)
      const ordered: string[] = []
      for await (const tag of t.db.tags.query().orderBy('name', 'desc').cursor({ batchSize: 7 })) ordered.push(tag.name)
      expect(ordered[0]).toBe('tag-24')
      expect(ordered).toHaveLength(25)
    })

    it('toSQL shows the statement and its bound values', async () => {
      const { sql, params } = t.db.users.query().where('name', 'Ann').limit(5).toSQL()
      expect(sql).toMatch(/^SELECT .* FROM .tk_users. WHERE .*LIMIT 5$/)
      expect(params).toEqual(['Ann'])
    })
  })
}
