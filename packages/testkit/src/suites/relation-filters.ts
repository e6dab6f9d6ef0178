import { UnknownRelationError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { requireCapabilities } from '../capabilities.js'
import type { ConformanceOptions } from '../context.js'
import { useRelationDb } from '../relation-context.js'

export function relationFilterSuite(options: ConformanceOptions) {
  describe('relation filters and aggregates', () => {
    const t = useRelationDb(options)
    const names = (q: { pluck(c: 'name'): Promise<string[]> }) => q.pluck('name')
    const users = () => t.db.users.query().orderBy('id')

    it('has / doesntHave, with count operators', async () => {
      expect(await names(users().has('posts'))).toEqual(['Ann', 'Bob'])
      expect(await names(users().has('posts', '>', 1))).toEqual(['Ann'])
      expect(await names(users().has('posts', '=', 1))).toEqual(['Bob'])
      expect(await names(users().has('posts', '<', 1))).toEqual(['Cid'])
      expect(await names(users().doesntHave('posts'))).toEqual(['Cid'])
      expect(await names(users().has('profile').orHas('reports'))).toEqual(['Ann', 'Bob'])
      expect(await names(users().doesntHave('profile').orDoesntHave('posts'))).toEqual(['Cid'])
    })

    it('nested paths', async () => {
      expect(await names(users().has('posts.comments'))).toEqual(['Ann', 'Bob'])
      expect(await names(users().has('posts.comments', '>=', 3))).toEqual(['Ann'])
      expect(await names(users().has('posts.tags'))).toEqual(['Ann', 'Bob'])
    })

    it('whereHas with constraints, nested, and counts', async () => {
      expect(await names(users().whereHas('posts', (q) => q.where('views', '>', 6)))).toEqual(['Ann', 'Bob'])
      expect(await names(users().whereHas('posts', (q) => q.where('published', true), '>=', 2))).toEqual(['Ann'])
      expect(await names(users().whereHas('posts', (q) => q.whereHas('tags', (g) => g.where('name', 'sql'))))).toEqual(['Ann', 'Bob'])
      expect(await names(users().whereHas('posts.tags', (g) => g.where('name', 'go')))).toEqual(['Ann', 'Bob'])
      expect(await names(users().whereDoesntHave('posts', (q) => q.where('published', false)))).toEqual(['Bob', 'Cid'])
      expect(await names(users().where('name', 'Cid').orWhereHas('roles', (q) => q.where('name', 'admin')))).toEqual(['Ann', 'Cid'])
      expect(await names(users().whereHas('manager', (q) => q.where('name', 'Ann')))).toEqual(['Bob', 'Cid'])
      expect(await names(users().whereDoesntHave('profile').orWhereDoesntHave('posts', (q) => q.where('views', '>', 6)))).toEqual(['Cid'])
      expect(await names(users().where('name', 'Bob').orWhereDoesntHave('roles'))).toEqual(['Bob', 'Cid'])
    })

    it('through every kind: morph, pivot, through, morphTo', async () => {
      expect(await names(users().has('images'))).toEqual(['Ann'])
      expect(await names(users().whereHas('roles', (q) => q.where('name', 'editor')))).toEqual(['Ann', 'Bob'])
      expect(await names(users().whereHas('comments', (q) => q.where('likes', '>=', 5)))).toEqual(['Bob'])
      expect(await t.db.posts.query().whereHas('tags', (q) => q.wherePivot('position', 0)).orderBy('id').pluck('title')).toEqual(['Beta', 'Delta'])
      expect(await t.db.images.query().whereHas('imageable').count()).toBe(3)
      expect(await t.db.comments.query().whereHas('commentable', (q) => q.where('published', true)).orderBy('id').pluck('body')).toEqual(['a1', 'a2', 'a3', 'd1'])
      expect(await t.db.videos.query().has('tags').pluck('title')).toEqual(['Clip'])
      expect(await t.db.tags.query().has('videos').orderBy('id').pluck('name')).toEqual(['ts', 'sql'])
    })

    it('soft-deleted related rows do not count', async () => {
      expect(await t.db.profiles.query().has('user').count()).toBe(2)
    })

    it('withCount: several, constrained, aliased; usable in where and orderBy', async () => {
      const rows = await users().withCount('posts', 'comments').get()
      expect(rows.map((u) => [u.name, u.postsCount, u.commentsCount])).toEqual([['Ann', 3, 4], ['Bob', 1, 1], ['Cid', 0, 0]])
      const published = await users().withCount('posts', (q) => q.where('published', true), { as: 'publishedPostsCount' }).get()
      expect(published.map((u) => u.publishedPostsCount)).toEqual([2, 1, 0])
      expect(await t.db.users.query().withCount('posts').orderBy('postsCount', 'desc').orderBy('id').pluck('name')).toEqual(['Ann', 'Bob', 'Cid'])
      expect(await t.db.users.query().withCount('posts').where('postsCount', '>=', 1).orderBy('id').pluck('name')).toEqual(['Ann', 'Bob'])
      const tagged = await t.db.posts.query().orderBy('id').withCount('tags').pluck('title')
      expect(tagged).toEqual(['Alpha', 'Beta', 'Gamma', 'Delta'])
    })

    it('an aggregate name works inside where groups, whereNot and orWhere groups', async () => {
      // Found by the differential suite: a group's builder did not know the aggregates (UnknownColumnError).
      const counted = () => users().withCount('posts')
      expect(await names(counted().where((q) => q.where('postsCount', '>=', 1).where('name', '!=', 'Ann')))).toEqual(['Bob'])
      expect(await names(counted().whereNot((q) => q.where('postsCount', '>', 1)))).toEqual(['Bob', 'Cid'])
      expect(await names(counted().where('name', 'Cid').orWhere((q) => q.where('postsCount', '=', 3)))).toEqual(['Ann', 'Cid'])
      const published = users().withCount('posts', (q) => q.where('published', true), { as: 'publishedPostsCount' })
      expect(await names(published.where((q) => q.where((g) => g.where('publishedPostsCount', 2))))).toEqual(['Ann'])
    })

    it('withExists, withSum, withAvg, withMin, withMax', async () => {
      const rows = await users().withExists('posts').withSum('posts', 'views').withAvg('posts', 'views').withMin('posts', 'views').withMax('posts', 'createdAt').get()
      expect(rows.map((u) => [u.postsExists, u.postsSumViews, u.postsMinViews])).toEqual([[true, 16, 1], [true, 7, 7], [false, null, null]])
      expect(rows[0].postsAvgViews).toBeCloseTo(16 / 3, 5)
      expect(rows[2].postsAvgViews).toBeNull()
      expect(rows[0].postsMaxCreatedAt).toEqual(new Date(Date.UTC(2024, 0, 3, 12)))
      expect(rows[2].postsMaxCreatedAt).toBeNull()
    })

    it('aggregates combine with eager loading and filters in one query', async (ctx) => {
      requireCapabilities(ctx, t.db.dialect, 'windowFunctions') // with('posts', limit 1): a per-parent limit
      const rows = await users().has('posts').withCount('posts').with('posts', (q) => q.limit(1)).get()
      expect(rows.map((u) => [u.name, u.postsCount, u.posts.length])).toEqual([['Ann', 3, 1], ['Bob', 1, 1]])
    })

    it('unknown relations are rejected before any SQL', () => {
      expect(() => t.db.users.query().has('nope' as never)).toThrow(UnknownRelationError)
      expect(() => t.db.users.query().withCount('nope' as never)).toThrow(UnknownRelationError)
      expect(() => t.db.users.query().whereHas('posts.nope' as never)).toThrow(UnknownRelationError)
    })
  })
}
