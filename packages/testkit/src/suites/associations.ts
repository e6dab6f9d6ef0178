import { sql, ValidationError, type Db, type LogEvent, type SyncResult } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { requireCapabilities } from '../capabilities.js'
import { loggedBy, useSchemaDb, type ConformanceOptions } from '../context.js'
import { emptyRelations, seedRelations } from '../relation-context.js'
import { relationSchema, type RelationSchema } from '../relation-fixtures.js'

type Ids = Awaited<ReturnType<typeof seedRelations>>

interface AssociationContext {
  readonly db: Db<RelationSchema>
  /** Statements since the case began (transaction control included). */
  readonly log: LogEvent[]
  readonly ids: Ids
}

/** The relation schema (API.md section 2), created once; every case starts from a fresh seed. */
function useAssociationDb(options: ConformanceOptions): AssociationContext {
  return useSchemaDb<RelationSchema, { ids: Ids }>(relationSchema, options, {
    async reset(t) {
      await emptyRelations(t.db)
      t.ids = await seedRelations(t.db)
    },
  })
}

const when = new Date(Date.UTC(2024, 1, 1, 12, 0, 0))
const sorted = (values: readonly unknown[]) => [...values].map(Number).sort((a, b) => a - b)

export function associationSuite(options: ConformanceOptions) {
  describe('associations: related() and association writes', () => {
    const t = useAssociationDb(options)

    /** Tag names of a post, by name. */
    const tagNames = (post: { id: number }) => t.db.posts.related(post, 'tags').orderBy('name').pluck('name')
    /** [tagId, position] of a post's pivot rows. */
    const links = async (post: { id: number }) =>
      (await t.db.postTags.query().where('postId', post.id).orderBy('tagId').get()).map((l) => [l.tagId, l.position])
    const roleIds = async (user: { id: number }) =>
      sorted((await t.db.execute<{ role_id: unknown }>(sql`select role_id from rk_role_user where user_id = ${user.id}`)).map((r) => r.role_id))
    const taggables = async () =>
      (await t.db.execute<{ taggable_id: unknown; taggable_type: string; tag_id: unknown }>(sql`select taggable_id, taggable_type, tag_id from rk_taggables`))
        .map((r) => [Number(r.taggable_id), r.taggable_type, Number(r.tag_id)])
        .sort((a, b) => String(a).localeCompare(String(b)))
    const postsOf = (user: { id: number }) => t.db.users.related(user, 'posts').orderBy('id').pluck('title')
    /** A user as stored now (the seeded rows predate their managerId). */
    const fresh = (user: { id: number }) => t.db.users.query().withTrashed().findOrFail(user.id)
    const managerOf = async (user: { id: number }) => (await fresh(user)).managerId
    /** Runs the calls at once and waits for every one of them; none may fail. */
    const all = async <X>(calls: (() => Promise<X>)[]): Promise<X[]> => {
      const settled = await Promise.allSettled(calls.map((call) => call()))
      const errors = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
      expect(errors).toEqual([])
      return settled.map((r) => (r as PromiseFulfilledResult<X>).value)
    }
    /** Runs fn and returns the statements it sent (transaction control included). */
    const sent = async (fn: () => Promise<unknown>) => (await loggedBy(t.log, fn, { control: true })).map((e) => e.sql)

    describe('reading through related()', () => {
      it('hasMany: where, orderBy, get, first, count, exists', async () => {
        const { ann, cid } = t.ids
        const posts = t.db.users.related(ann, 'posts')
        expect(await posts.where('published', true).count()).toBe(2)
        expect((await posts.where('published', true).orderBy('title', 'desc').get()).map((p) => p.title)).toEqual(['Gamma', 'Alpha'])
        expect((await posts.orderBy('views', 'desc').first())?.title).toBe('Alpha')
        expect((await posts.first())?.title).toBe('Alpha')
        expect(await posts.exists()).toBe(true)
        expect(await posts.where('title', 'Delta').exists()).toBe(false)
        expect(await t.db.users.related(cid, 'posts').count()).toBe(0)
        expect(await t.db.users.related(cid, 'posts').first()).toBeNull()
      })

      it('every kind reads its own rows: hasOne, belongsTo, morphMany, morphOne, morphTo, belongsToMany, through, morph pivots', async () => {
        const { ann, bob, alpha, delta, alphaImage, go, ts, clip } = t.ids
        expect((await t.db.users.related(ann, 'profile').first())?.bio).toBe('Ann bio')
        expect((await t.db.posts.related(delta, 'author').first())?.name).toBe('Bob')
        expect(await t.db.users.related(await fresh(bob), 'manager').pluck('name')).toEqual(['Ann'])
        expect(await t.db.users.related(ann, 'reports').orderBy('name').pluck('name')).toEqual(['Bob', 'Cid'])
        expect(await t.db.posts.related(alpha, 'comments').orderBy('body').pluck('body')).toEqual(['a1', 'a2', 'a3'])
        expect(await t.db.users.related(ann, 'images').pluck('url')).toEqual(['ann.png'])
        expect((await t.db.users.related(ann, 'avatar').first())?.url).toBe('ann.png')
        expect((await t.db.images.related(alphaImage, 'imageable').first())?.id).toBe(alpha.id)
        expect(await t.db.posts.related(alpha, 'tags').orderBy('name').pluck('name')).toEqual(['go', 'ts'])
        expect(await t.db.users.related(ann, 'roles').orderBy('name').pluck('name')).toEqual(['admin', 'editor'])
        expect(await t.db.tags.related(go, 'posts').orderBy('title').pluck('title')).toEqual(['Alpha', 'Delta'])
        // users -> posts -> comments (post comments only: the 'other' type is not a post's)
        expect(await t.db.users.related(ann, 'comments').orderBy('body').pluck('body')).toEqual(['a1', 'a2', 'a3', 'b1'])
        expect(await t.db.users.related(bob, 'comments').count()).toBe(1)
        expect(await t.db.videos.related(clip, 'tags').orderBy('name').pluck('name')).toEqual(['sql', 'ts'])
        expect(await t.db.tags.related(ts, 'videos').pluck('title')).toEqual(['Clip'])
        expect(await t.db.tags.related(go, 'videos').exists()).toBe(false)
      })

      it('soft-deleted related rows are left out, like any query', async () => {
        const { ann, dee } = t.ids
        await t.db.users.query().withTrashed().where('id', dee.id).update({ managerId: ann.id })
        expect(await t.db.users.related(ann, 'reports').count()).toBe(2)
        expect(await t.db.users.related(ann, 'reports').withTrashed().count()).toBe(3)
      })

      it('a to-one parent with a NULL foreign key has nothing related, and no statement runs', async () => {
        const { ann } = t.ids
        const statements = await sent(async () => {
          expect(await t.db.users.related(ann, 'manager').first()).toBeNull()
          expect(await t.db.users.related(ann, 'manager').count()).toBe(0)
        })
        expect(statements).toEqual([])
      })

      it('batch: related([u1, u2, u3], ...) reads the rows of all of them', async () => {
        const { ann, bob, cid, alpha, beta, delta } = t.ids
        const posts = t.db.users.related([ann, bob, cid], 'posts')
        expect(await posts.orderBy('id').pluck('title')).toEqual(['Alpha', 'Beta', 'Gamma', 'Delta'])
        expect(await posts.count()).toBe(4)
        expect(await posts.where('published', true).count()).toBe(3)
        expect(await t.db.users.related([bob, cid], 'posts').pluck('title')).toEqual(['Delta'])
        // a row related to several parents appears once
        expect(await t.db.posts.related([alpha, delta], 'tags').orderBy('name').pluck('name')).toEqual(['go', 'sql', 'ts'])
        expect(await t.db.posts.related([alpha, beta], 'tags').count()).toBe(3)
        expect(await t.db.users.related([ann, bob], 'comments').count()).toBe(5)
      })

      it('related([], ...) reads and writes nothing and sends no statement', async () => {
        const statements = await sent(async () => {
          const none = t.db.users.related([], 'posts')
          expect(await none.get()).toEqual([])
          expect(await none.count()).toBe(0)
          expect(await none.exists()).toBe(false)
          expect(await none.first()).toBeNull()
          expect(await none.update({ views: 1 })).toBe(0)
          expect(await none.delete()).toBe(0)
          await none.append()
          await none.replace()
          await none.remove()
          await none.clear()
          const tags = t.db.posts.related([], 'tags')
          await tags.attach([t.ids.go.id])
          expect(await tags.detach()).toBe(0)
          await tags.append()
          await tags.clear()
          await t.db.posts.related([], 'author').clear()
        })
        expect(statements).toEqual([])
        expect(await t.db.posts.query().count()).toBe(4)
        expect(await t.db.postTags.query().count()).toBe(6)
      })
    })

    describe('update() and delete() scoped to the relation', () => {
      it('hasMany: only the parent’s matching rows change', async () => {
        const { ann, bob } = t.ids
        expect(await t.db.users.related(ann, 'posts').where('published', false).update({ views: 99 })).toBe(1)
        expect(await t.db.posts.query().orderBy('id').pluck('views')).toEqual([10, 99, 1, 7])
        expect(await t.db.users.related(ann, 'posts').where('published', false).delete()).toBe(1)
        expect(await postsOf(ann)).toEqual(['Alpha', 'Gamma'])
        expect(await postsOf(bob)).toEqual(['Delta'])
      })

      it('through a pivot (belongsToMany) and through a table (hasManyThrough)', async () => {
        const { ann, bob, beta, delta } = t.ids
        expect(await t.db.posts.related(beta, 'tags').update({ name: 'sql2' })).toBe(1)
        expect(await t.db.tags.query().orderBy('name').pluck('name')).toEqual(['go', 'sql2', 'ts'])
        expect(await t.db.users.related(bob, 'comments').update({ likes: 0 })).toBe(1)
        expect(await t.db.comments.query().orderBy('id').pluck('likes')).toEqual([3, 0, 1, 2, 0, 9])
        expect(await t.db.users.related(ann, 'comments').where('likes', '>', 1).delete()).toBe(2)
        expect(await t.db.comments.query().orderBy('id').pluck('body')).toEqual(['a2', 'a3', 'd1', 'not a post comment'])
        expect(await t.db.posts.related(delta, 'tags').where('name', 'go').delete()).toBe(1)
        expect(await t.db.tags.query().orderBy('name').pluck('name')).toEqual(['sql2', 'ts'])
        expect(await tagNames(delta)).toEqual(['sql2', 'ts'])
      })

      it('soft-deleting through related() marks the rows', async () => {
        const { ann, bob } = t.ids
        expect(await t.db.users.related(ann, 'reports').where('name', 'Bob').delete()).toBe(1)
        expect(await t.db.users.related(ann, 'reports').pluck('name')).toEqual(['Cid'])
        expect((await t.db.users.query().withTrashed().findOrFail(bob.id)).deletedAt).toBeInstanceOf(Date)
      })

      it('batch: update and delete over several parents', async () => {
        const { ann, bob, cid } = t.ids
        expect(await t.db.users.related([ann, bob], 'posts').where('published', true).update({ views: 0 })).toBe(3)
        expect(await t.db.posts.query().orderBy('id').pluck('views')).toEqual([0, 5, 0, 0])
        expect(await t.db.users.related([bob, cid], 'posts').delete()).toBe(1)
        expect(await t.db.posts.query().orderBy('id').pluck('title')).toEqual(['Alpha', 'Beta', 'Gamma'])
      })
    })

    describe('has-relations: create, createMany, save, saveMany', () => {
      it('create sets the foreign key; createMany sets it on every row', async () => {
        const { cid } = t.ids
        const post = await t.db.users.related(cid, 'posts').create({ title: 'New', createdAt: when })
        expect(post).toMatchObject({ id: expect.any(Number), authorId: cid.id, title: 'New', published: false, views: 0 })
        expect(await t.db.posts.find(post.id)).toEqual(post)
        const many = await t.db.users.related(cid, 'posts').createMany([
          { title: 'One', createdAt: when },
          { title: 'Two', createdAt: when, published: true },
        ])
        expect(many.map((p) => [p.title, p.authorId])).toEqual([['One', cid.id], ['Two', cid.id]])
        expect(await postsOf(cid)).toEqual(['New', 'One', 'Two'])
        const profile = await t.db.users.related(cid, 'profile').create({ bio: 'Cid bio' })
        expect((await t.db.users.related(cid, 'profile').first())?.id).toBe(profile.id)
      })

      it('morphMany / morphOne create set the id and the type column', async () => {
        const { bob, alpha } = t.ids
        const image = await t.db.users.related(bob, 'images').create({ url: 'bob.png' })
        expect(await t.db.images.find(image.id)).toMatchObject({ imageableId: bob.id, imageableType: 'users', url: 'bob.png' })
        const comment = await t.db.posts.related(alpha, 'comments').create({ body: 'new' })
        expect(await t.db.comments.find(comment.id)).toMatchObject({ commentableId: alpha.id, commentableType: 'post', body: 'new', likes: 0 })
        const [one, two] = await t.db.posts.related(alpha, 'images').createMany([{ url: 'x.png' }, { url: 'y.png' }])
        expect([one.imageableType, two.imageableType, one.imageableId]).toEqual(['posts', 'posts', alpha.id])
        expect(await t.db.posts.related(alpha, 'comments').count()).toBe(4)
      })

      it('save inserts a new row and re-points an existing one', async () => {
        const { bob, cid, delta } = t.ids
        const created = await t.db.users.related(cid, 'posts').save({ title: 'Saved', createdAt: when })
        expect(created).toMatchObject({ id: expect.any(Number), authorId: cid.id })
        const moved = await t.db.users.related(cid, 'posts').save(delta)
        expect(moved).toMatchObject({ id: delta.id, authorId: cid.id, title: 'Delta' })
        expect(delta.authorId).toBe(cid.id)
        expect(await postsOf(cid)).toEqual(['Delta', 'Saved'])
        expect(await postsOf(bob)).toEqual([])
      })

      it('saveMany: new and existing rows, in input order', async () => {
        const { ann, cid, gamma } = t.ids
        const saved = await t.db.users.related(cid, 'posts').saveMany([{ title: 'Fresh', createdAt: when }, { ...gamma, title: 'Gamma 2' }])
        expect(saved.map((p) => [p.title, p.authorId])).toEqual([['Fresh', cid.id], ['Gamma 2', cid.id]])
        expect(saved[1].id).toBe(gamma.id)
        expect(await postsOf(cid)).toEqual(['Gamma 2', 'Fresh'])
        expect(await postsOf(ann)).toEqual(['Alpha', 'Beta'])
      })

      it('errors: a key no row has, a kind without create, several parents, a parent without its key', async () => {
        const { ann, bob, alpha } = t.ids
        await expect(t.db.users.related(bob, 'posts').save({ id: 987654, title: 'Ghost', createdAt: when })).rejects.toBeInstanceOf(ValidationError)
        await expect(t.db.posts.related(alpha, 'author').create({ name: 'X', email: 'x@x' })).rejects.toBeInstanceOf(ValidationError)
        await expect(t.db.users.related([ann, bob], 'posts').create({ title: 'Two parents', createdAt: when })).rejects.toBeInstanceOf(ValidationError)
        await expect(t.db.users.related({ name: 'no id' }, 'posts').create({ title: 'Orphan', createdAt: when })).rejects.toBeInstanceOf(ValidationError)
        expect(await t.db.posts.query().count()).toBe(4)
      })
    })

    describe('belongsTo / morphTo: associate, dissociate', () => {
      it('associate writes the foreign key and sets the row in memory', async () => {
        const { bob, cid, delta } = t.ids
        const post = { ...delta }
        const returned = await t.db.posts.related(post, 'author').associate(cid)
        expect(returned).toBe(post)
        expect(post).toMatchObject({ authorId: cid.id, author: cid })
        expect((await t.db.posts.findOrFail(delta.id)).authorId).toBe(cid.id)
        expect(await postsOf(bob)).toEqual([])
        const user = { ...cid }
        await t.db.users.related(user, 'manager').associate(bob)
        expect(user).toMatchObject({ managerId: bob.id, manager: bob })
        expect(await managerOf(cid)).toBe(bob.id)
        expect((await t.db.users.related(user, 'manager').first())?.name).toBe('Bob')
      })

      it('dissociate clears a nullable key, in the database and in memory', async () => {
        const { ann, bob } = t.ids
        const user = await fresh(bob)
        expect(user.managerId).toBe(ann.id)
        await t.db.users.related(user, 'manager').dissociate()
        expect(user).toMatchObject({ managerId: null, manager: null })
        expect(await managerOf(bob)).toBeNull()
      })

      it('dissociate of a NOT NULL key is a ValidationError and changes nothing', async () => {
        const { ann, delta, alphaImage } = t.ids
        const post = { ...delta }
        await expect(t.db.posts.related(post, 'author').dissociate()).rejects.toThrow(ValidationError)
        await expect(t.db.posts.related(post, 'author').dissociate()).rejects.toThrow(/authorId/)
        expect(post.authorId).toBe(delta.authorId)
        expect((await t.db.posts.findOrFail(delta.id)).authorId).toBe(delta.authorId)
        await expect(t.db.images.related(alphaImage, 'imageable').dissociate()).rejects.toBeInstanceOf(ValidationError)
        expect(await t.db.images.findOrFail(alphaImage.id)).toEqual(alphaImage)
        await expect(t.db.users.related(ann, 'manager').associate({ name: 'no key' })).rejects.toBeInstanceOf(ValidationError)
      })

      it('morphTo associate writes the id and the type of the row given', async () => {
        const { ann, alpha, gamma, avatar } = t.ids
        // the image points at a user; associating a post must write the post type, not keep the user one
        const image = { ...avatar }
        await t.db.images.related(image, 'imageable').associate(alpha)
        expect(image).toMatchObject({ imageableId: alpha.id, imageableType: 'posts', imageable: alpha })
        expect(await t.db.images.findOrFail(avatar.id)).toMatchObject({ imageableId: alpha.id, imageableType: 'posts' })
        expect((await t.db.images.related(image, 'imageable').first())?.id).toBe(alpha.id)
        expect(await t.db.users.related(ann, 'avatar').first()).toBeNull()
        await t.db.images.related(image, 'imageable').associate(ann)
        expect(await t.db.images.findOrFail(avatar.id)).toMatchObject({ imageableId: ann.id, imageableType: 'users' })
        // the table can be named; a bare key with several possible tables is an error
        await t.db.images.related(image, 'imageable').associate({ id: gamma.id }, 'posts')
        expect(await t.db.images.findOrFail(avatar.id)).toMatchObject({ imageableId: gamma.id, imageableType: 'posts' })
        await expect(t.db.images.related(image, 'imageable').associate({ id: ann.id })).rejects.toBeInstanceOf(ValidationError)
        await expect(t.db.images.related(image, 'imageable').associate(ann, 'videos')).rejects.toBeInstanceOf(ValidationError)
      })

      it('morphTo associate with one type, and on a row whose stored type is not one of the relation’s', async () => {
        const { gamma } = t.ids
        const other = await t.db.comments.query().where('commentableType', 'other').firstOrFail()
        expect(await t.db.comments.related(other, 'commentable').first()).toBeNull()
        await t.db.comments.related(other, 'commentable').associate(gamma)
        expect(await t.db.comments.findOrFail(other.id)).toMatchObject({ commentableId: gamma.id, commentableType: 'post' })
        expect(await t.db.posts.related(gamma, 'comments').pluck('body')).toEqual(['not a post comment'])
      })
    })

    describe('belongsToMany / morphToMany: attach, detach, sync, toggle, updatePivot', () => {
      it('attach ids, rows, and { id: pivotValues }', async () => {
        const { gamma, beta, go, ts, sqlTag } = t.ids
        await t.db.posts.related(gamma, 'tags').attach([go.id, ts.id])
        expect(await links(gamma)).toEqual([[go.id, 0], [ts.id, 0]])
        await t.db.posts.related(gamma, 'tags').attach([sqlTag])
        expect(await tagNames(gamma)).toEqual(['go', 'sql', 'ts'])
        await t.db.posts.related(beta, 'tags').attach({ [go.id]: { position: 5 }, [ts.id]: { position: 6 } })
        expect(await links(beta)).toEqual([[go.id, 5], [ts.id, 6], [sqlTag.id, 0]])
        await t.db.posts.related(beta, 'tags').detach()
        await t.db.posts.related(beta, 'tags').attach(go.id)
        expect(await links(beta)).toEqual([[go.id, 0]])
        const eager = await t.db.posts.query().where('id', gamma.id).with('tags', (q) => q.orderBy('name')).firstOrFail()
        expect(eager.tags.map((g) => [g.name, g.pivot])).toEqual([['go', { position: 0 }], ['sql', { position: 0 }], ['ts', { position: 0 }]])
      })

      it('attach of an id already attached is a no-op: one pivot row, no error, values kept', async () => {
        const { alpha, go, ts, sqlTag, ann, admin } = t.ids
        await t.db.posts.related(alpha, 'tags').attach([go.id, sqlTag.id, go.id])
        await t.db.posts.related(alpha, 'tags').attach({ [ts.id]: { position: 7 } })
        expect(await links(alpha)).toEqual([[go.id, 2], [ts.id, 1], [sqlTag.id, 0]])
        await t.db.users.related(ann, 'roles').attach([admin.id])
        expect(await roleIds(ann)).toEqual(sorted([t.ids.admin.id, t.ids.editor.id]))
      })

      it('detach some, or all; the related rows stay', async () => {
        const { delta, go, ts, sqlTag } = t.ids
        expect(await t.db.posts.related(delta, 'tags').detach([ts.id, sqlTag])).toBe(2)
        expect(await tagNames(delta)).toEqual(['go'])
        expect(await t.db.posts.related(delta, 'tags').detach([ts.id])).toBe(0)
        expect(await t.db.posts.related(delta, 'tags').detach()).toBe(1)
        expect(await links(delta)).toEqual([])
        expect(await t.db.tags.query().count()).toBe(3)
        expect(await t.db.tags.related(go, 'posts').pluck('title')).toEqual(['Alpha'])
      })

      it('sync makes the links exactly these and reports attached, detached, updated', async () => {
        const { alpha, go, ts, sqlTag } = t.ids
        const first = await t.db.posts.related(alpha, 'tags').sync([ts.id, sqlTag.id])
        expect(first).toEqual({ attached: [sqlTag.id], detached: [go.id], updated: [] })
        expect(await links(alpha)).toEqual([[ts.id, 1], [sqlTag.id, 0]])
        const second = await t.db.posts.related(alpha, 'tags').sync({ [ts.id]: { position: 9 }, [sqlTag.id]: { position: 0 }, [go.id]: { position: 4 } })
        expect(second).toEqual({ attached: [go.id], detached: [], updated: [ts.id] })
        expect(await links(alpha)).toEqual([[go.id, 4], [ts.id, 9], [sqlTag.id, 0]])
        expect(await t.db.posts.related(alpha, 'tags').sync([go.id, ts.id, sqlTag.id])).toEqual({ attached: [], detached: [], updated: [] })
        expect(await t.db.posts.related(alpha, 'tags').sync([], { detaching: false })).toEqual({ attached: [], detached: [], updated: [] })
        const cleared = await t.db.posts.related(alpha, 'tags').sync([])
        expect(sorted(cleared.detached)).toEqual(sorted([go.id, ts.id, sqlTag.id]))
        expect(await links(alpha)).toEqual([])
      })

      it('sync deletes by parent when no more links stay than go (NOT IN the kept ones), by pair otherwise; other parents and types untouched', async () => {
        const { alpha, beta, delta, clip, go, ts, sqlTag } = t.ids
        const deleteOf = async (fn: () => Promise<unknown>) => {
          const deletes = (await sent(fn)).filter((s) => /^\s*delete\b/i.test(s))
          expect(deletes).toHaveLength(1)
          return deletes[0]
        }
        // every link of alpha goes: by the parent's key alone
        expect(await deleteOf(() => t.db.posts.related(alpha, 'tags').sync([sqlTag.id]))).not.toMatch(/tag_id|not in/i)
        expect(await links(alpha)).toEqual([[sqlTag.id, 0]])
        // delta keeps 2 of 3 links: by pair
        const byPair = await deleteOf(() => t.db.posts.related(delta, 'tags').sync([go.id, ts.id]))
        expect(byPair).toMatch(/tag_id/i)
        expect(byPair).not.toMatch(/not in/i)
        expect(await links(delta)).toEqual([[go.id, 0], [ts.id, 1]])
        // delta keeps 1, detaches 1: every link of the parent but the kept one
        expect(await deleteOf(() => t.db.posts.related(delta, 'tags').sync([go.id, sqlTag.id]))).toMatch(/not in/i)
        expect(await links(delta)).toEqual([[go.id, 0], [sqlTag.id, 0]])
        // a batch: alpha cleared, delta keeps go, beta unchanged
        const results = await t.db.posts.related([alpha, beta, delta], 'tags').sync([], [sqlTag.id], [go.id, ts.id])
        expect(results).toEqual([
          { attached: [], detached: [sqlTag.id], updated: [] },
          { attached: [], detached: [], updated: [] },
          { attached: [ts.id], detached: [sqlTag.id], updated: [] },
        ])
        expect([await links(alpha), await links(beta), await links(delta)]).toEqual([[], [[sqlTag.id, 0]], [[go.id, 0], [ts.id, 0]]])
        // a morph pivot deletes only its own type's rows
        await t.db.execute(sql`insert into rk_taggables (taggable_id, taggable_type, tag_id) values (${clip.id}, ${'posts'}, ${go.id})`)
        const cleared = await t.db.videos.related(clip, 'tags').sync([])
        expect({ ...cleared, detached: sorted(cleared.detached) }).toEqual({ attached: [], detached: sorted([ts.id, sqlTag.id]), updated: [] })
        expect(await taggables()).toEqual([[clip.id, 'posts', go.id]])
      })

      it('toggle attaches the missing ones and detaches the present ones', async () => {
        const { alpha, go, ts, sqlTag } = t.ids
        expect(await t.db.posts.related(alpha, 'tags').toggle([go.id, sqlTag.id])).toEqual({ attached: [sqlTag.id], detached: [go.id] })
        expect(await tagNames(alpha)).toEqual(['sql', 'ts'])
        expect(await t.db.posts.related(alpha, 'tags').toggle({ [go.id]: { position: 3 } })).toEqual({ attached: [go.id], detached: [] })
        expect(await links(alpha)).toEqual([[go.id, 3], [ts.id, 1], [sqlTag.id, 0]])
        expect(await t.db.posts.related(alpha, 'tags').toggle([ts.id, ts.id])).toEqual({ attached: [], detached: [ts.id] })
      })

      it('updatePivot changes one link’s pivot columns', async () => {
        const { alpha, go, ts, sqlTag } = t.ids
        expect(await t.db.posts.related(alpha, 'tags').updatePivot(go.id, { position: 3 })).toBe(1)
        expect(await links(alpha)).toEqual([[go.id, 3], [ts.id, 1]])
        expect(await t.db.posts.related(alpha, 'tags').updatePivot(sqlTag.id, { position: 3 })).toBe(0)
        expect(await links(alpha)).toEqual([[go.id, 3], [ts.id, 1]])
      })

      it('create(values, pivot) inserts the row and links it', async () => {
        const { gamma } = t.ids
        const tag = await t.db.posts.related(gamma, 'tags').create({ name: 'new' }, { position: 7 })
        expect(tag).toMatchObject({ id: expect.any(Number), name: 'new' })
        expect(await links(gamma)).toEqual([[tag.id, 7]])
        const role = await t.db.users.related(t.ids.cid, 'roles').create({ name: 'guest' })
        expect(await roleIds(t.ids.cid)).toEqual([role.id])
      })

      it('morphToMany and morphedByMany write the type column of the pivot', async () => {
        const { clip, go, ts, sqlTag } = t.ids
        const silent = await t.db.videos.query().where('title', 'Silent').firstOrFail()
        await t.db.videos.related(clip, 'tags').attach([go.id, ts.id])
        expect(await t.db.videos.related(clip, 'tags').orderBy('name').pluck('name')).toEqual(['go', 'sql', 'ts'])
        expect(await t.db.videos.related(clip, 'tags').sync([go.id])).toEqual({ attached: [], detached: expect.arrayContaining([ts.id, sqlTag.id]), updated: [] })
        await t.db.tags.related(ts, 'videos').attach([silent.id])
        expect(await taggables()).toEqual([[clip.id, 'videos', go.id], [silent.id, 'videos', ts.id]].sort((a, b) => String(a).localeCompare(String(b))))
        expect(await t.db.tags.related(go, 'videos').toggle([clip.id, silent.id])).toEqual({ attached: [silent.id], detached: [clip.id] })
        expect(await t.db.videos.related(silent, 'tags').orderBy('name').pluck('name')).toEqual(['go', 'ts'])
        expect(await t.db.videos.related(silent, 'tags').detach()).toBe(2)
        expect(await taggables()).toEqual([])
      })

      it('batch sync: one argument and one result per parent; one read, one delete, one insert for all of them', async () => {
        const { alpha, beta, gamma, delta, go, ts, sqlTag } = t.ids
        let results: SyncResult[] = []
        const statements = await sent(async () => {
          results = await t.db.posts.related([alpha, beta, gamma, delta], 'tags').sync([ts.id, sqlTag.id], { [sqlTag.id]: { position: 5 } }, [go.id], [])
        })
        expect(results.slice(0, 3)).toEqual([
          { attached: [sqlTag.id], detached: [go.id], updated: [] },
          { attached: [], detached: [], updated: [sqlTag.id] },
          { attached: [go.id], detached: [], updated: [] },
        ])
        expect(results[3]).toMatchObject({ attached: [], updated: [] })
        expect(sorted(results[3].detached)).toEqual(sorted([go.id, ts.id, sqlTag.id]))
        expect(await links(alpha)).toEqual([[ts.id, 1], [sqlTag.id, 0]])
        expect(await links(beta)).toEqual([[sqlTag.id, 5]])
        expect(await links(gamma)).toEqual([[go.id, 0]])
        expect(await links(delta)).toEqual([])
        const count = (re: RegExp) => statements.filter((s) => re.test(s)).length
        expect(count(/^\s*select\b[\s\S]*rk_post_tags/i)).toBe(1)
        expect(count(/^\s*delete\b/i)).toBe(1)
        expect(count(/^\s*insert\b/i)).toBe(1)
        expect(count(/^\s*update\b/i)).toBe(1)
      })

      it('errors: pivot verbs on other kinds, a batch sync with one argument for two parents', async () => {
        const { ann, alpha, beta, go } = t.ids
        await expect(t.db.users.related(ann, 'posts').attach([alpha.id])).rejects.toBeInstanceOf(ValidationError)
        await expect(t.db.posts.related([alpha, beta], 'tags').sync([go.id])).rejects.toBeInstanceOf(ValidationError)
        await expect(t.db.posts.related(alpha, 'tags').attach({ name: 'no id' })).rejects.toBeInstanceOf(ValidationError)
        expect(await t.db.postTags.query().count()).toBe(6)
      })

      it('batch: attach and detach on several parents', async () => {
        const { alpha, gamma, beta, sqlTag, go } = t.ids
        await t.db.posts.related([alpha, gamma], 'tags').attach([sqlTag.id])
        expect(await tagNames(alpha)).toEqual(['go', 'sql', 'ts'])
        expect(await tagNames(gamma)).toEqual(['sql'])
        expect(await t.db.posts.related([alpha, gamma, beta], 'tags').detach([sqlTag.id, go.id])).toBe(4)
        expect(await tagNames(alpha)).toEqual(['ts'])
        expect(await tagNames(gamma)).toEqual([])
        expect(await tagNames(beta)).toEqual([])
      })
    })

    describe('association mode: append, replace, remove, clear', () => {
      it('hasMany append links existing rows and inserts new ones', async () => {
        const { bob, cid, delta } = t.ids
        await t.db.users.related(cid, 'posts').append(delta, { title: 'Appended', createdAt: when })
        expect(await postsOf(cid)).toEqual(['Delta', 'Appended'])
        expect(await postsOf(bob)).toEqual([])
        await t.db.users.related(bob, 'posts').append([delta])
        expect(await postsOf(bob)).toEqual(['Delta'])
        await t.db.users.related(cid, 'posts').append(delta.id)
        expect(await postsOf(cid)).toEqual(['Delta', 'Appended'])
        expect(await t.db.posts.query().count()).toBe(5)
        // a key that no row has: an error, and the other rows of the call are not moved either
        await expect(t.db.users.related(bob, 'posts').append(delta, { id: 987654 })).rejects.toThrow(/do not exist/)
        expect(await postsOf(bob)).toEqual([])
      })

      it('to-one append replaces: hasOne on a parent without one; a NOT NULL key that would be unlinked is an error', async () => {
        const { ann, cid } = t.ids
        await t.db.users.related(cid, 'profile').append({ bio: 'Cid bio' })
        expect((await t.db.users.related(cid, 'profile').first())?.bio).toBe('Cid bio')
        const before = await t.db.profiles.query().orderBy('id').get()
        await expect(t.db.users.related(ann, 'profile').append({ bio: 'Second' })).rejects.toThrow(/userId/)
        expect(await t.db.profiles.query().orderBy('id').get()).toEqual(before)
        await expect(t.db.users.related(ann, 'avatar').append({ url: 'new.png' })).rejects.toBeInstanceOf(ValidationError)
        expect(await t.db.images.query().count()).toBe(3)
      })

      it('belongsTo / morphTo append replaces the row pointed at (inserting a new one first)', async () => {
        const { ann, bob, cid, alpha, alphaImage } = t.ids
        const user = { ...cid }
        await t.db.users.related(user, 'manager').append(bob)
        expect(await managerOf(cid)).toBe(bob.id)
        expect(user.managerId).toBe(bob.id)
        await t.db.users.related(user, 'manager').append({ name: 'Eve', email: 'eve@x' })
        const eve = await t.db.users.query().where('email', 'eve@x').firstOrFail()
        expect(await managerOf(cid)).toBe(eve.id)
        const image = { ...alphaImage }
        await t.db.images.related(image, 'imageable').append(ann)
        expect(await t.db.images.findOrFail(alphaImage.id)).toMatchObject({ imageableType: 'users', imageableId: ann.id })
        expect(await t.db.posts.related(alpha, 'images').pluck('url')).toEqual(['alpha-2.png'])
      })

      it('pivot append attaches existing rows and inserts new ones', async () => {
        const { gamma, go } = t.ids
        await t.db.posts.related(gamma, 'tags').append(go, { name: 'fresh', pivot: { position: 4 } })
        const fresh = await t.db.tags.query().where('name', 'fresh').firstOrFail()
        expect(await links(gamma)).toEqual([[go.id, 0], [fresh.id, 4]])
        await t.db.posts.related(gamma, 'tags').append(go)
        expect(await links(gamma)).toEqual([[go.id, 0], [fresh.id, 4]])
      })

      it('replace links exactly these rows and unlinks the rest (nullable key)', async () => {
        const { ann, bob, cid, dee } = t.ids
        await t.db.users.related(ann, 'reports').replace([cid])
        expect(await t.db.users.related(ann, 'reports').pluck('name')).toEqual(['Cid'])
        expect(await managerOf(bob)).toBeNull()
        expect(await t.db.users.query().count()).toBe(3)
        await t.db.users.related(ann, 'reports').replace([bob, { name: 'Fay', email: 'fay@x' }])
        expect(await t.db.users.related(ann, 'reports').orderBy('name').pluck('name')).toEqual(['Bob', 'Fay'])
        expect(await managerOf(cid)).toBeNull()
        expect(await managerOf(dee)).toBeNull()
        await t.db.users.related(ann, 'reports').replace([])
        expect(await t.db.users.related(ann, 'reports').count()).toBe(0)
      })

      it('replace on a NOT NULL key: an error when a row would be unlinked, fine when none is', async () => {
        const { ann, bob, alpha, beta, gamma, delta } = t.ids
        await expect(t.db.users.related(ann, 'posts').replace([alpha])).rejects.toThrow(ValidationError)
        await expect(t.db.users.related(ann, 'posts').replace([alpha, delta])).rejects.toThrow(/authorId/)
        expect(await postsOf(ann)).toEqual(['Alpha', 'Beta', 'Gamma'])
        expect(await postsOf(bob)).toEqual(['Delta'])
        await t.db.users.related(ann, 'posts').replace([alpha, beta, gamma, delta])
        expect(await postsOf(ann)).toEqual(['Alpha', 'Beta', 'Gamma', 'Delta'])
      })

      it('replace on pivots and on belongsTo', async () => {
        const { alpha, bob, cid, sqlTag, ann, editor } = t.ids
        await t.db.posts.related(alpha, 'tags').replace([sqlTag])
        expect(await tagNames(alpha)).toEqual(['sql'])
        await t.db.users.related(ann, 'roles').replace(editor)
        expect(await roleIds(ann)).toEqual([editor.id])
        const user = { ...cid }
        await t.db.users.related(user, 'manager').replace([bob])
        expect(await managerOf(cid)).toBe(bob.id)
        await t.db.users.related(user, 'manager').replace([])
        expect(await managerOf(cid)).toBeNull()
        expect(user.managerId).toBeNull()
      })

      it('remove unlinks only: the row stays; a NOT NULL key is a clear error and deletes nothing', async () => {
        const { ann, bob, cid, alpha, delta, go, ts } = t.ids
        await t.db.users.related(ann, 'reports').remove(bob)
        expect(await managerOf(bob)).toBeNull()
        expect(await t.db.users.find(bob.id)).not.toBeNull()
        expect(await t.db.users.related(ann, 'reports').pluck('name')).toEqual(['Cid'])
        await t.db.posts.related(alpha, 'tags').remove(go)
        expect(await tagNames(alpha)).toEqual(['ts'])
        expect(await t.db.tags.find(go.id)).not.toBeNull()
        await t.db.posts.related(alpha, 'tags').remove(ts.id)
        expect(await tagNames(alpha)).toEqual([])
        const error = await t.db.users.related(ann, 'posts').remove(alpha).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(ValidationError)
        expect(String((error as Error).message)).toMatch(/authorId.*NOT NULL/)
        expect(await postsOf(ann)).toEqual(['Alpha', 'Beta', 'Gamma'])
        expect(await t.db.posts.query().count()).toBe(4)
        // a row that is not related is left alone: nothing to unlink, no error
        await t.db.users.related(ann, 'posts').remove(delta)
        expect(await postsOf(bob)).toEqual(['Delta'])
        const user = await fresh(cid)
        await t.db.users.related(user, 'manager').remove(bob)
        expect(await managerOf(cid)).toBe(ann.id)
        await t.db.users.related(user, 'manager').remove(ann.id)
        expect(await managerOf(cid)).toBeNull()
      })

      it('clear unlinks every related row', async () => {
        const { ann, bob, cid, alpha, go } = t.ids
        await t.db.users.related(ann, 'reports').clear()
        expect([await managerOf(bob), await managerOf(cid)]).toEqual([null, null])
        expect(await t.db.users.query().count()).toBe(3)
        await t.db.posts.related(alpha, 'tags').clear()
        expect(await links(alpha)).toEqual([])
        expect(await t.db.tags.related(go, 'posts').pluck('title')).toEqual(['Delta'])
        await t.db.users.related(ann, 'roles').clear()
        expect(await roleIds(ann)).toEqual([])
        await expect(t.db.users.related(ann, 'posts').clear()).rejects.toBeInstanceOf(ValidationError)
        expect(await postsOf(ann)).toEqual(['Alpha', 'Beta', 'Gamma'])
        await t.db.users.related(cid, 'posts').clear()
      })

      it('batch: one argument per parent; append/replace/remove/clear on every kind', async () => {
        const { ann, bob, cid, alpha, beta, gamma, delta, go, ts, sqlTag } = t.ids
        await t.db.posts.related([alpha, gamma], 'tags').append([sqlTag], [go, ts])
        expect(await tagNames(alpha)).toEqual(['go', 'sql', 'ts'])
        expect(await tagNames(gamma)).toEqual(['go', 'ts'])
        await t.db.posts.related([alpha, beta], 'tags').replace([go], [])
        expect(await tagNames(alpha)).toEqual(['go'])
        expect(await tagNames(beta)).toEqual([])
        await t.db.posts.related([alpha, gamma], 'tags').remove(go, [ts])
        expect(await tagNames(alpha)).toEqual([])
        expect(await tagNames(gamma)).toEqual(['go'])
        await t.db.posts.related([gamma, delta], 'tags').clear()
        expect(await t.db.postTags.query().count()).toBe(0)

        await t.db.users.related([bob, cid], 'posts').append([alpha], [beta, { title: 'New', createdAt: when }])
        expect(await postsOf(bob)).toEqual(['Alpha', 'Delta'])
        expect(await postsOf(cid)).toEqual(['Beta', 'New'])
        expect(await postsOf(ann)).toEqual(['Gamma'])

        await t.db.users.related([bob, cid], 'manager').append(cid, bob)
        expect([await managerOf(bob), await managerOf(cid)]).toEqual([cid.id, bob.id])
        await t.db.users.related([bob, cid], 'manager').clear()
        expect([await managerOf(bob), await managerOf(cid)]).toEqual([null, null])
        await t.db.users.related([ann, bob], 'reports').replace([cid], [])
        expect(await managerOf(cid)).toBe(ann.id)
        await t.db.users.related([ann, bob], 'reports').remove([cid], [])
        expect(await managerOf(cid)).toBeNull()
      })

      it('batch: an argument count that differs from the parents’ is a ValidationError, and nothing is sent', async () => {
        const { alpha, beta, go, bob, cid } = t.ids
        const statements = await sent(async () => {
          await expect(t.db.posts.related([alpha, beta], 'tags').append([go])).rejects.toBeInstanceOf(ValidationError)
          await expect(t.db.posts.related([alpha, beta], 'tags').replace([go], [go], [go])).rejects.toBeInstanceOf(ValidationError)
          await expect(t.db.users.related([bob, cid], 'posts').remove()).rejects.toThrow(/2 arguments/)
          await expect(t.db.users.related([bob, cid], 'manager').append(cid)).rejects.toBeInstanceOf(ValidationError)
        })
        expect(statements).toEqual([])
        expect(await links(alpha)).toEqual([[go.id, 2], [t.ids.ts.id, 1]])
      })

      it('a batch write is atomic: an error for one parent leaves every parent as it was', async () => {
        const { ann, bob, alpha, delta, cid } = t.ids
        await expect(t.db.users.related([bob, ann], 'posts').replace([delta, alpha], [])).rejects.toBeInstanceOf(ValidationError)
        expect(await postsOf(bob)).toEqual(['Delta'])
        expect(await postsOf(ann)).toEqual(['Alpha', 'Beta', 'Gamma'])
        expect(await postsOf(cid)).toEqual([])
      })
    })

    describe('concurrent pivot writes on one parent (API.md 11)', () => {
      /** Tags 0..8 (the seeded three and six more), by id. */
      const manyTags = async () => {
        const extra = await t.db.tags.insert([1, 2, 3, 4, 5, 6].map((i) => ({ name: `t${i}` })))
        return [t.ids.go.id, t.ids.ts.id, t.ids.sqlTag.id, ...extra.map((g) => g.id)]
      }

      it('10 concurrent sync() calls end in exactly one of the requested sets', async (ctx) => {
        requireCapabilities(ctx, t.db.dialect, 'concurrentConnections')
        const ids = await manyTags()
        const { alpha } = t.ids
        for (let round = 0; round < 3; round++) {
          const sets = Array.from({ length: 10 }, (_, i) => ids.filter((_, j) => (i + j + round) % 3 !== 0 || j === i % ids.length))
          const keys = sets.map((s) => sorted(s).join(','))
          expect(new Set(keys).size).toBeGreaterThan(2)
          const results = await all(sets.map((s, i) => () => t.db.posts.related(alpha, 'tags').sync(i % 2 ? [...s].reverse() : s)))
          for (const r of results) expect(r.attached.filter((id) => r.detached.includes(id))).toEqual([])
          const linked = (await links(alpha)).map(([id]) => id)
          expect(keys).toContain(sorted(linked).join(','))
          expect(await t.db.postTags.query().where('postId', alpha.id).count()).toBe(linked.length)
        }
        // the same on a virtual pivot (belongsToMany roles)
        const roles = [t.ids.admin.id, t.ids.editor.id, ...(await t.db.roles.insert([{ name: 'r1' }, { name: 'r2' }, { name: 'r3' }])).map((r) => r.id)]
        const roleSets = Array.from({ length: 10 }, (_, i) => roles.filter((_, j) => (i >> (j % 3)) & 1 || j === i % roles.length))
        await all(roleSets.map((s) => () => t.db.users.related(t.ids.bob, 'roles').sync(s)))
        expect(roleSets.map((s) => sorted(s).join(','))).toContain((await roleIds(t.ids.bob)).join(','))
      })

      it('10 concurrent attach() calls of overlapping ids: each attached once, no duplicate-key error', async (ctx) => {
        requireCapabilities(ctx, t.db.dialect, 'concurrentConnections')
        const ids = await manyTags()
        const { gamma, clip } = t.ids
        const sets = Array.from({ length: 10 }, (_, i) => {
          const part = ids.slice(i % 5, (i % 5) + 5)
          return i % 2 ? part.reverse() : part
        })
        await all(sets.map((s) => () => t.db.posts.related(gamma, 'tags').attach(s)))
        const union = sorted([...new Set(sets.flat())])
        expect((await links(gamma)).map(([id]) => id)).toEqual(union)
        expect(await t.db.postTags.query().where('postId', gamma.id).count()).toBe(union.length)
        // a morph pivot, with rows already attached among the ids
        await all(sets.map((s) => () => t.db.videos.related(clip, 'tags').attach(s)))
        expect((await taggables()).filter(([id]) => id === clip.id).map(([, , tag]) => tag).sort((a, b) => Number(a) - Number(b))).toEqual(union)
      })

      it('10 concurrent toggle() calls serialize: the end state is every toggle applied once', async (ctx) => {
        requireCapabilities(ctx, t.db.dialect, 'concurrentConnections')
        const ids = await manyTags()
        const { alpha } = t.ids
        const start = new Set((await links(alpha)).map(([id]) => id as number))
        const sets = Array.from({ length: 10 }, (_, i) => ids.filter((_, j) => (i * 7 + j) % 4 < 2))
        const expected = new Set(start)
        for (const s of sets) for (const id of s) if (!expected.delete(id)) expected.add(id)
        const results = await all(sets.map((s, i) => () => t.db.posts.related(alpha, 'tags').toggle(i % 2 ? [...s].reverse() : s)))
        for (const [i, r] of results.entries()) expect(sorted([...r.attached, ...r.detached])).toEqual(sorted(sets[i]))
        expect((await links(alpha)).map(([id]) => id)).toEqual(sorted([...expected]))
        expect(await t.db.postTags.query().where('postId', alpha.id).count()).toBe(expected.size)
      })

      it('sync, attach, toggle and detach mixed on one parent: no error escapes, no duplicate rows', async (ctx) => {
        requireCapabilities(ctx, t.db.dialect, 'concurrentConnections')
        const ids = await manyTags()
        const { delta } = t.ids
        const tags = () => t.db.posts.related(delta, 'tags')
        await all<unknown>(
          Array.from({ length: 12 }, (_, i) => {
            const part = ids.slice(i % 4, (i % 4) + 4)
            return [() => tags().sync(part), () => tags().attach([...part].reverse()), () => tags().toggle(part), () => tags().detach(part.slice(0, 2))][i % 4]
          }),
        )
        const linked = (await links(delta)).map(([id]) => id)
        expect(await t.db.postTags.query().where('postId', delta.id).count()).toBe(new Set(linked).size)
      })
    })
  })
}
