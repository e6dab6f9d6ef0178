import { sql, NotFoundError, NotNullConstraintError, UniqueConstraintError, UnknownColumnError, UnknownRelationError, ValidationError, type Db, type LogEvent } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { requireCapabilities } from '../capabilities.js'
import { loggedBy, useSchemaDb, type ConformanceOptions } from '../context.js'
import { emptyRelations } from '../relation-context.js'
import { relationSchema, type RelationSchema } from '../relation-fixtures.js'

/** What the graph cases share: a db on the API.md schema, emptied before each case, and the statement log. */
interface GraphContext {
  db: Db<RelationSchema>
  log: LogEvent[]
  /** Statements `fn` ran, transaction control left out. */
  statements(fn: () => Promise<unknown>): Promise<LogEvent[]>
  /** Two existing tags and roles, made before each case. */
  go: { id: number; name: string }
  ts: { id: number; name: string }
  admin: { id: number; name: string }
  editor: { id: number; name: string }
}

const at = (day: number) => new Date(Date.UTC(2024, 1, day, 12, 0, 0))

function useGraphDb(options: ConformanceOptions): GraphContext {
  const t = useSchemaDb<RelationSchema, Omit<GraphContext, 'db' | 'log'>>(relationSchema, options, {
    async reset(t) {
      await emptyRelations(t.db)
      ;[t.go, t.ts] = await t.db.tags.insert([{ name: 'go' }, { name: 'ts' }])
      ;[t.admin, t.editor] = await t.db.roles.insert([{ name: 'admin' }, { name: 'editor' }])
    },
  })
  t.statements = (fn) => loggedBy(t.log, fn)
  return t
}

/** INSERT statements per table, from a slice of the log. */
function insertsPerTable(events: readonly LogEvent[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const e of events) {
    const m = /^insert into [`"]?(\w+)/i.exec(e.sql)
    if (m) out[m[1]] = (out[m[1]] ?? 0) + 1
  }
  return out
}

export function graphSuite(options: ConformanceOptions) {
  describe('graphs: create / save / delete with relations', () => {
    const t = useGraphDb(options)

    /**
     * How many statements a multi-row insert takes here (through the public API): 1 with RETURNING, 2 with
     * computable ids and a read-back, or one insert per row plus a read-back where neither is possible.
     */
    async function probe(): Promise<{ multiRow: boolean; perLevel: number }> {
      const events = await t.statements(() => t.db.videos.insert([{ title: 'p1' }, { title: 'p2' }]))
      await t.db.videos.query().forceDelete()
      return { multiRow: insertsPerTable(events).rk_videos === 1, perLevel: events.length }
    }

    it('create (API.md): hasOne, hasMany with nested belongsToMany (by key and new), belongsToMany through a virtual pivot', async () => {
      const alice = await t.db.users.create({
        name: 'Alice', email: 'alice@x',
        profile: { bio: 'Software Developer' },
        posts: [{ title: 'Hello', createdAt: at(1), tags: [{ id: t.go.id }, { name: 'new' }] }],
        roles: [{ id: t.editor.id }],
      })
      expect(alice).toMatchObject({ id: expect.any(Number), name: 'Alice', email: 'alice@x', deletedAt: null })
      expect(alice.createdAt).toBeInstanceOf(Date)
      expect(alice.profile).toEqual({ id: expect.any(Number), userId: alice.id, bio: 'Software Developer', website: null })
      expect(alice.posts).toEqual([
        {
          id: expect.any(Number), authorId: alice.id, title: 'Hello', published: false, views: 0, createdAt: at(1),
          tags: [
            { id: t.go.id, name: 'go', pivot: { position: 0 } },
            { id: expect.any(Number), name: 'new', pivot: { position: 0 } },
          ],
        },
      ])
      expect(alice.roles).toEqual([{ id: t.editor.id, name: 'editor', pivot: {} }])

      const [read] = await t.db.users.query().where('id', alice.id).with('profile', 'posts.tags', 'roles').get()
      expect(read.profile?.bio).toBe('Software Developer')
      expect(read.posts.map((p) => [p.id, p.title, p.tags.map((g) => g.name).sort()])).toEqual([[alice.posts[0].id, 'Hello', ['go', 'new']]])
      expect(read.roles.map((r) => r.name)).toEqual(['editor'])
      expect(await t.db.tags.query().count()).toBe(3)
    })

    it('create: morphMany and morphOne children get the morph id and type; pivot values from `pivot`', async () => {
      const bob = await t.db.users.create({
        name: 'Bob', email: 'bob@x',
        images: [{ url: 'a.png' }, { url: 'b.png' }],
        avatar: { url: 'face.png' },
        posts: [{ title: 'P', createdAt: at(2), images: [{ url: 'p.png' }], tags: [{ id: t.ts.id, pivot: { position: 7 } }] }],
      })
      expect(bob.images.map((i) => [i.url, i.imageableId, i.imageableType])).toEqual([['a.png', bob.id, 'users'], ['b.png', bob.id, 'users']])
      expect(bob.avatar).toMatchObject({ url: 'face.png', imageableId: bob.id, imageableType: 'users' })
      expect(bob.posts[0].images[0]).toMatchObject({ url: 'p.png', imageableId: bob.posts[0].id, imageableType: 'posts' })
      expect(bob.posts[0].tags).toEqual([{ id: t.ts.id, name: 'ts', pivot: { position: 7 } }])
      const links = await t.db.postTags.query().get()
      expect(links).toEqual([{ postId: bob.posts[0].id, tagId: t.ts.id, position: 7 }])
      const [read] = await t.db.users.query().where('id', bob.id).with('images', 'posts.images').get()
      expect(read.images.map((i) => i.url).sort()).toEqual(['a.png', 'b.png', 'face.png'])
      expect(read.posts[0].images.map((i) => i.url)).toEqual(['p.png'])
    })

    it('create: a belongsTo input is written first (a new row), or pointed at (a row given by key)', async () => {
      const post = await t.db.posts.create({ title: 'By a new author', createdAt: at(3), author: { name: 'Cid', email: 'cid@x', profile: { bio: 'Cid bio' } } })
      expect(post.author).toMatchObject({ id: expect.any(Number), name: 'Cid' })
      expect(post.authorId).toBe(post.author.id)
      expect(post.author.profile).toMatchObject({ userId: post.author.id, bio: 'Cid bio' })

      const again = await t.db.posts.create({ title: 'Same author', createdAt: at(4), author: { id: post.author.id } })
      expect(again.authorId).toBe(post.author.id)
      expect(again.author).toMatchObject({ id: post.author.id, name: 'Cid', email: 'cid@x' })
      expect(await t.db.users.query().count()).toBe(1)

      await expect(t.db.posts.create({ title: 'Nobody', createdAt: at(5), author: { id: 999999 } })).rejects.toBeInstanceOf(NotFoundError)
      expect(await t.db.posts.query().count()).toBe(2)
    })

    it('create: a morphTo input follows the type column; an array of inputs is one graph', async () => {
      const [ann] = await t.db.users.insert([{ name: 'Ann', email: 'ann@x' }])
      const images = await t.db.images.create([
        { url: 'post.png', imageableType: 'posts', imageable: { title: 'Pictured', createdAt: at(6), author: { id: ann.id } } },
        { url: 'ann.png', imageableType: 'users', imageable: { id: ann.id } },
      ])
      expect(images[0]).toMatchObject({ imageableType: 'posts', imageable: { title: 'Pictured', authorId: ann.id } })
      expect(images[0].imageableId).toBe((images[0].imageable as { id: number }).id)
      expect(images[1]).toMatchObject({ imageableType: 'users', imageableId: ann.id, imageable: { name: 'Ann' } })
      await expect(t.db.images.create({ url: 'x', imageable: { id: ann.id } })).rejects.toBeInstanceOf(ValidationError)
    })

    it('one insert per relation level: a user with 5 posts, each with 2 comments and 3 new tags', async () => {
      const { multiRow, perLevel } = await probe()
      const input = {
        name: 'Many', email: 'many@x',
        posts: Array.from({ length: 5 }, (_, p) => ({
          title: `post ${p}`, createdAt: at(p + 1),
          comments: [{ body: `c${p}.1` }, { body: `c${p}.2` }],
          tags: [0, 1, 2].map((g) => ({ name: `tag ${p}.${g}`, pivot: { position: g } })),
        })),
      }
      let user: Awaited<ReturnType<typeof t.db.users.create<typeof input>>> | undefined
      const events = await t.statements(async () => {
        user = await t.db.users.create(input)
      })
      const inserts = insertsPerTable(events)
      if (multiRow) {
        expect(inserts).toEqual({ rk_users: 1, rk_posts: 1, rk_comments: 1, rk_tags: 1, rk_post_tags: 1 })
        expect(events).toHaveLength(4 * perLevel + 1)
      } else {
        // No RETURNING and no computable ids: each row is its own insert, but links still go in one statement.
        expect(inserts).toEqual({ rk_users: 1, rk_posts: 5, rk_comments: 10, rk_tags: 15, rk_post_tags: 1 })
      }
      expect(user!.posts.map((p) => [p.comments.length, p.tags.map((g) => g.pivot)])).toEqual(
        Array.from({ length: 5 }, () => [2, [{ position: 0 }, { position: 1 }, { position: 2 }]]),
      )
      const [read] = await t.db.users.query().where('id', user!.id).with('posts.comments', 'posts.tags').get()
      expect(read.posts.map((p) => [p.title, p.comments.map((c) => c.body), p.tags.map((g) => g.name).sort()])).toEqual(
        Array.from({ length: 5 }, (_, p) => [`post ${p}`, [`c${p}.1`, `c${p}.2`], [0, 1, 2].map((g) => `tag ${p}.${g}`)]),
      )
      expect(await t.db.postTags.query().count()).toBe(15)
    })

    it('create: one new object given to several parents is one row, linked to each', async () => {
      const shared = { name: 'shared' }
      const user = await t.db.users.create({
        name: 'Sam', email: 'sam@x',
        posts: [{ title: 'a', createdAt: at(1), tags: [shared] }, { title: 'b', createdAt: at(2), tags: [shared, { id: t.go.id }] }],
      })
      expect(user.posts[0].tags[0].id).toBe(user.posts[1].tags[0].id)
      expect(await t.db.tags.query().where('name', 'shared').count()).toBe(1)
      expect(await t.db.postTags.query().count()).toBe(3)
    })

    it('create: omit and only choose relations by dot path', async () => {
      const input = (email: string) => ({
        name: 'O', email,
        profile: { bio: 'bio' },
        posts: [{ title: `t-${email}`, createdAt: at(1), comments: [{ body: 'c' }], tags: [{ name: `tag-${email}` }] }],
      })
      const a = await t.db.users.create(input('a@x'), { omit: ['posts.tags'] })
      expect(a.posts[0].id).toEqual(expect.any(Number))
      expect(a.posts[0].comments[0].id).toEqual(expect.any(Number))
      expect(a.posts[0].tags).toEqual([{ name: 'tag-a@x' }]) // not written: returned as given
      expect(await t.db.tags.query().where('name', 'tag-a@x').count()).toBe(0)

      const b = await t.db.users.create(input('b@x'), { omit: ['posts'] })
      expect(await t.db.posts.query().where('authorId', b.id).count()).toBe(0)
      expect(b.profile.id).toEqual(expect.any(Number))

      const c = await t.db.users.create(input('c@x'), { only: ['posts.tags'] })
      expect(await t.db.profiles.query().where('userId', c.id).count()).toBe(0)
      expect(await t.db.posts.query().where('authorId', c.id).count()).toBe(1)
      expect(await t.db.comments.query().where('commentableId', c.posts[0].id).count()).toBe(0)
      expect(await t.db.tags.query().where('name', 'tag-c@x').count()).toBe(1)

      await expect(t.db.users.create(input('d@x'), { omit: ['postz' as 'posts'] })).rejects.toBeInstanceOf(UnknownRelationError)
    })

    it('create: unknown keys and through relations are errors before any statement', async () => {
      const before = t.log.length
      const error = await t.db.users
        .create({ name: 'X', email: 'x@x', posts: [{ title: 'p', createdAt: at(1), tittle: 'typo' }] } as never)
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UnknownColumnError)
      expect((error as Error).message).toContain('"tittle"')
      expect((error as Error).message).toContain('tags')
      await expect(t.db.users.create({ name: 'X', email: 'x@x', comments: [{ body: 'b' }] } as never)).rejects.toBeInstanceOf(ValidationError)
      await expect(t.db.users.create({ name: 'X', email: 'x@x', posts: { title: 'not an array' } } as never)).rejects.toBeInstanceOf(ValidationError)
      await expect(t.db.users.create({ name: 'X', email: 'x@x' }, { with: ['posts'] } as never)).rejects.toBeInstanceOf(ValidationError)
      const cyclic: Record<string, unknown> = { name: 'X', email: 'x@x' }
      cyclic.posts = [{ title: 'p', createdAt: at(1), author: cyclic }]
      await expect(t.db.users.create(cyclic as never)).rejects.toThrow(/cycle/)
      expect(t.log.length).toBe(before)
    })

    it('save with `with`: updates the row, upserts the named relations, leaves the others alone', async () => {
      const ann = await t.db.users.create({
        name: 'Ann', email: 'ann@x',
        profile: { bio: 'old bio' },
        posts: [{ title: 'one', createdAt: at(1) }, { title: 'two', createdAt: at(2) }],
        roles: [{ id: t.admin.id }],
      })
      const saved = await t.db.users.save(
        {
          id: ann.id, name: 'Ann B',
          profile: { id: ann.profile.id, bio: 'new bio' },
          posts: [{ id: ann.posts[0].id, title: 'one!' }, { title: 'three', createdAt: at(3) }],
          roles: [{ name: 'not saved' }],
        },
        { with: ['profile', 'posts'] },
      )
      expect(saved).toMatchObject({ id: ann.id, name: 'Ann B', email: 'ann@x' })
      expect(saved.profile).toMatchObject({ id: ann.profile.id, userId: ann.id, bio: 'new bio' })
      expect(saved.posts.map((p) => [p.title, p.authorId])).toEqual([['one!', ann.id], ['three', ann.id]])
      expect(saved.posts[0].id).toBe(ann.posts[0].id)
      expect(saved.roles).toEqual([{ name: 'not saved' }])
      const [read] = await t.db.users.query().where('id', ann.id).with('profile', 'posts', 'roles').get()
      expect(read.name).toBe('Ann B')
      expect(read.posts.map((p) => p.title).sort()).toEqual(['one!', 'three', 'two'])
      expect(read.roles.map((r) => r.name)).toEqual(['admin'])
      expect(await t.db.roles.query().count()).toBe(2)
    })

    it('save: a child given by key is re-pointed; pivot targets by key are attached once, new ones created', async () => {
      const [ann, bob] = await t.db.users.insert([{ name: 'Ann', email: 'ann@x' }, { name: 'Bob', email: 'bob@x' }])
      const post = await t.db.posts.create({ title: 'moves', createdAt: at(1), authorId: ann.id, tags: [{ id: t.go.id, pivot: { position: 1 } }] })
      await t.db.users.save({ id: bob.id, posts: [{ id: post.id }] }, { with: ['posts'] })
      expect((await t.db.posts.findOrFail(post.id)).authorId).toBe(bob.id)

      const saved = await t.db.users.save(
        { id: bob.id, posts: [{ id: post.id, tags: [{ id: t.go.id }, { id: t.ts.id, pivot: { position: 2 } }, { name: 'fresh' }] }] },
        { with: ['posts.tags'] },
      )
      expect(saved.posts[0].tags.map((g) => g.name)).toEqual(['go', 'ts', 'fresh'])
      const links = await t.db.postTags.query().orderBy('tagId').get()
      expect(links.map((l) => l.position)).toEqual([1, 2, 0])
      expect(links.map((l) => l.postId)).toEqual([post.id, post.id, post.id])
      // an attached target given with `pivot` updates the link's pivot columns, still one link
      await t.db.posts.save({ id: post.id, tags: [{ id: t.go.id, pivot: { position: 9 } }] }, { with: ['tags'] })
      expect(await t.db.postTags.query().where('tagId', t.go.id).pluck('position')).toEqual([9])

      await expect(t.db.users.save({ id: bob.id, posts: [{ id: 999999, title: 'ghost' }] }, { with: ['posts'] })).rejects.toBeInstanceOf(NotFoundError)
      await expect(t.db.users.save({ name: 'no key' } as never)).rejects.toBeInstanceOf(ValidationError)
    })

    it('delete with `with`: children first, pivot links removed (the tags stay), the user soft-deleted', async () => {
      const ann = await t.db.users.create({
        name: 'Ann', email: 'ann@x',
        profile: { bio: 'bio' },
        posts: [
          { title: 'a', createdAt: at(1), comments: [{ body: 'x' }, { body: 'y' }], tags: [{ id: t.go.id }, { name: 'mine' }] },
          { title: 'b', createdAt: at(2), comments: [{ body: 'z' }], tags: [{ id: t.go.id }] },
        ],
        roles: [{ id: t.admin.id }, { id: t.editor.id }],
      })
      const keep = await t.db.users.create({ name: 'Keep', email: 'keep@x', posts: [{ title: 'k', createdAt: at(3), comments: [{ body: 'k' }], tags: [{ id: t.go.id }] }] })
      const events = await t.statements(async () => {
        expect(await t.db.users.delete(ann, { with: ['posts.comments', 'posts.tags', 'profile', 'roles'] })).toBe(1)
      })
      // select posts, delete comments, delete links, delete posts, delete profile, delete role links, soft-delete the user
      expect(events).toHaveLength(7)
      expect(await t.db.posts.query().where('authorId', ann.id).count()).toBe(0)
      expect(await t.db.comments.query().pluck('body')).toEqual(['k'])
      expect(await t.db.postTags.query().count()).toBe(1)
      expect((await t.db.tags.query().orderBy('name').pluck('name'))).toEqual(['go', 'mine', 'ts'])
      expect(await t.db.profiles.query().count()).toBe(0)
      expect(await t.db.roles.query().count()).toBe(2)
      expect(await t.db.users.find(ann.id)).toBeNull()
      const trashed = await t.db.users.query().onlyTrashed().get()
      expect(trashed.map((u) => u.id)).toEqual([ann.id])
      expect(await t.db.users.find(keep.id)).not.toBeNull()
      const [read] = await t.db.users.query().where('id', ann.id).withTrashed().with('roles').get()
      expect(read.roles).toEqual([])

      await expect(t.db.users.delete(keep, { with: ['posts.tags.posts' as 'posts'] })).rejects.toBeInstanceOf(ValidationError)
      await expect(t.db.users.delete(keep, { with: ['manager'] })).rejects.toBeInstanceOf(ValidationError)
      expect(await t.db.users.delete(keep.id, { with: ['posts'], force: true })).toBe(1)
      expect(await t.db.users.query().withTrashed().where('id', keep.id).count()).toBe(0)
      expect(await t.db.posts.query().count()).toBe(0)
    })

    /** Every table the graph cases write is as beforeEach left it. */
    async function nothingWritten() {
      expect(await t.db.users.query().withTrashed().count()).toBe(0)
      for (const key of ['profiles', 'posts', 'comments', 'images', 'postTags'] as const) expect(await t.db[key].query().count()).toBe(0)
      expect(await t.db.tags.query().orderBy('name').pluck('name')).toEqual(['go', 'ts'])
      expect(await t.db.roles.query().orderBy('name').pluck('name')).toEqual(['admin', 'editor'])
      expect(await t.db.execute(sql`select * from rk_role_user`)).toEqual([])
    }

    /** Runs a graph write that must fail; returns its statements (transaction control left out). */
    async function failing(write: () => Promise<unknown>, error: new (...args: any[]) => Error): Promise<LogEvent[]> {
      const events = await t.statements(() => expect(write()).rejects.toBeInstanceOf(error))
      const failed = events.filter((e) => e.error)
      expect(failed).toHaveLength(1)
      expect(events[events.length - 1]).toBe(failed[0])
      return events
    }

    /** A graph whose deepest level fails: "go" is an existing tag name (unique). */
    const deepGraph = () => ({
      name: 'Deep', email: 'deep@x',
      profile: { bio: 'deep bio' },
      images: [{ url: 'deep.png' }],
      posts: [
        { title: 'deep 1', createdAt: at(1), comments: [{ body: 'dc' }], tags: [{ id: t.ts.id }] },
        { title: 'deep 2', createdAt: at(2), comments: [{ body: 'dc2' }], tags: [{ name: 'deep tag' }, { name: 'go' }] },
      ],
      roles: [{ id: t.admin.id }, { name: 'deep role' }],
    })

    it('rollback: a duplicate tag name in the deepest level leaves no row of the graph', async () => {
      const events = await failing(() => t.db.users.create(deepGraph()), UniqueConstraintError)
      expect(events[events.length - 1].sql).toMatch(/^insert into [`"]?rk_tags/i)
      expect(Object.keys(insertsPerTable(events)).sort()).toEqual(['rk_comments', 'rk_images', 'rk_posts', 'rk_profiles', 'rk_tags', 'rk_users'])
      await nothingWritten()
    })

    it('rollback inside a transaction: the graph is a savepoint; it goes, the work around it stays', async (ctx) => {
      requireCapabilities(ctx, t.db.dialect, 'savepoints')
      const deep = deepGraph()
      await t.db.transaction(async (tx) => {
        await tx.videos.insert({ title: 'outer' })
        await expect(tx.users.create(deep)).rejects.toBeInstanceOf(UniqueConstraintError)
        await tx.videos.insert({ title: 'after' })
      })
      await nothingWritten()
      expect(await t.db.videos.query().orderBy('id').pluck('title')).toEqual(['outer', 'after'])
    })

    it('rollback: when the very last statement (pivot rows) fails, no row of the graph exists', async () => {
      const deep = {
        name: 'Deep', email: 'deep@x',
        profile: { bio: 'deep bio' },
        images: [{ url: 'deep.png' }],
        posts: [
          { title: 'deep 1', createdAt: at(1), comments: [{ body: 'dc' }], tags: [{ id: t.ts.id }, { name: 'deep tag' }] },
          { title: 'deep 2', createdAt: at(2), tags: [{ name: 'deep tag 2', pivot: { position: null as never } }] }, // NOT NULL pivot column
        ],
      }
      const events = await failing(() => t.db.users.create(deep), NotNullConstraintError)
      expect(events[events.length - 1].sql).toMatch(/^insert into [`"]?rk_post_tags/i)
      expect(Object.keys(insertsPerTable(events)).sort()).toEqual(['rk_comments', 'rk_images', 'rk_post_tags', 'rk_posts', 'rk_profiles', 'rk_tags', 'rk_users'])
      await nothingWritten()
    })

    it('rollback: a failing save changes nothing', async () => {
      const ann = await t.db.users.create({ name: 'Ann', email: 'ann@x', posts: [{ title: 'a', createdAt: at(1), tags: [{ id: t.go.id }] }] })
      await expect(
        t.db.users.save(
          { id: ann.id, name: 'Changed', posts: [{ id: ann.posts[0].id, title: 'changed' }, { title: 'new', createdAt: at(2), tags: [{ name: 'ts' }] }] },
          { with: ['posts.tags'] },
        ),
      ).rejects.toBeInstanceOf(UniqueConstraintError)
      const [read] = await t.db.users.query().where('id', ann.id).with('posts.tags').get()
      expect([read.name, read.posts.map((p) => [p.title, p.tags.map((g) => g.name)])]).toEqual(['Ann', [['a', ['go']]]])
      expect(await t.db.posts.query().count()).toBe(1)
    })
  })
}
