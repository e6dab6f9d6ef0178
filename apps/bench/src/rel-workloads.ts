import { COMMENTS_PER_POST, commentBody, profileBio, tagIndexes, userInput, postInput, type Dataset } from './dataset.js'
import { fromOrm, fromRaw, type Source } from './normalize.js'
import { marks, type Row } from './raw/sql.js'
import { postColumns, userColumns, type ColumnSpec } from './schema.js'
import type { BenchContext, BenchDb, Workload } from './workloads.js'

/** A result shape: its columns, and its relations (to-many lists sorted by id unless `ordered`). */
interface Shape {
  readonly columns: readonly ColumnSpec[]
  readonly one?: Readonly<Record<string, Shape>>
  readonly many?: Readonly<Record<string, Shape & { ordered?: boolean }>>
}

const int = (prop: string, column = prop): ColumnSpec => ({ prop, column, kind: 'int' })
const str = (prop: string, column = prop): ColumnSpec => ({ prop, column, kind: 'string' })
const profileColumns = [int('id'), int('userId', 'user_id'), str('bio')]
const commentColumns = [int('id'), int('postId', 'post_id'), str('body')]
const tagColumns = [int('id'), str('name')]
const imageColumns = [int('id'), str('url'), int('imageableId', 'imageable_id'), str('imageableType', 'imageable_type')]

/**
 * Only the columns and relations of the shape are compared; other properties (a belongsToMany row's `pivot`)
 * are left out. Values as in normalize.ts: the ORM's must already be the documented JS types.
 */
function shape(row: unknown, s: Shape, source: Source): unknown {
  if (row === undefined || row === null) return null
  const input = row as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const c of s.columns) {
    const key = source === 'raw' ? c.column : c.prop
    out[c.prop] = key in input ? (source === 'orm' ? fromOrm(input[key], c) : fromRaw(input[key], c)) : { missing: key }
  }
  for (const [name, sub] of Object.entries(s.one ?? {})) out[name] = name in input ? shape(input[name], sub, source) : { missing: name }
  for (const [name, sub] of Object.entries(s.many ?? {})) {
    const list = input[name]
    if (!Array.isArray(list)) {
      out[name] = { notAnArray: String(list) }
      continue
    }
    const rows = list.map((r) => shape(r, sub, source) as Record<string, number>)
    if (!sub.ordered) rows.sort((a, b) => a.id - b.id)
    out[name] = rows
  }
  return out
}
const shapeList = (rows: unknown, s: Shape, source: Source): unknown =>
  Array.isArray(rows) ? rows.map((r) => shape(r, s, source)) : { notAnArray: String(rows) }

const USER = userColumns.map((c) => c.column).join(', ')
const POST = postColumns.map((c) => c.column).join(', ')
const prefixed = (alias: string, list: readonly ColumnSpec[]) => list.map((c) => `${alias}.${c.column}`).join(', ')

/** Groups child rows under their parents by a key column: `parents[i][as] = children with child[fk] == parent[pk]`. */
function attachMany(parents: Row[], children: Row[], fk: string, as: string, pk = 'id'): void {
  const byKey = new Map<string, Row[]>()
  for (const p of parents) {
    const list: Row[] = []
    p[as] = list
    byKey.set(String(p[pk]), list)
  }
  for (const c of children) byKey.get(String(c[fk]))?.push(c)
}

const ids = (rows: Row[], key = 'id'): unknown[] => rows.map((r) => r[key])

type RelWorkload = Workload

// ---- W1 -----------------------------------------------------------------------------------------------------
const w1Shape: Shape = { columns: userColumns, many: { posts: { columns: postColumns, many: { comments: { columns: commentColumns } } } } }
const w1Offset = (ctx: BenchContext, op: number) => (op * 100) % (ctx.data.userIds.length - 100)

// ---- W6 -----------------------------------------------------------------------------------------------------
/** The graph W6 writes on operation `op`: a user, a profile, 5 posts with 2 comments and 3 existing tags each. */
export function graphInput(data: Dataset, op: number) {
  const u = userInput(100_000 + op)
  return {
    ...u,
    email: `graph${op}-${Math.random().toString(36).slice(2)}@example.com`,
    profile: { bio: profileBio(100_000 + op) },
    posts: Array.from({ length: 5 }, (_, k) => {
      const { userId: _u, ...p } = postInput(100_000 + op, k)
      return {
        ...p,
        comments: [0, 1].map((c) => ({ body: commentBody(op * 10 + k, c) })),
        tags: tagIndexes(op * 5 + k).map((t) => ({ id: data.tagIds[t] })),
      }
    }),
  }
}
type Graph = ReturnType<typeof graphInput>

const graphShape = (g: unknown): unknown => {
  const r = g as Record<string, any>
  const emailOk = typeof r?.email === 'string' && r.email.startsWith('graph')
  const idOk = (v: unknown) => Number.isSafeInteger(Number(v)) && Number(v) > 0
  return {
    ids: idOk(r?.id) && idOk(r?.profile?.id) && (r?.posts ?? []).every((p: any) => idOk(p.id) && p.comments.every((c: any) => idOk(c.id))),
    name: r?.name,
    emailOk,
    bio: r?.profile?.bio,
    posts: (r?.posts ?? []).map((p: any) => ({
      title: p.title,
      comments: p.comments.map((c: any) => c.body),
      tags: p.tags.map((t: any) => Number(t.id)),
    })),
  }
}

// ---- W7 -----------------------------------------------------------------------------------------------------
const W7_POSTS = 50
const w7Posts = (data: Dataset) => data.postIds.slice(0, W7_POSTS)
/** The tags W7's operation `op` gives post `postId`: shifted by 1, 2 or 3, so each operation changes every post. */
export const w7Target = (data: Dataset, postId: number, op: number) => tagIndexes(postId, (op % 3) + 1).map((t) => data.tagIds[t])
/**
 * What W7's operation `op` changes: for each of `posts` (same order), the tags to attach and to detach, given the
 * post_tags rows it has now (`current`, with the post and tag ids under `postKey` and `tagKey`).
 */
export function w7Changes(data: Dataset, op: number, posts: readonly number[], current: readonly Record<string, unknown>[], postKey: string, tagKey: string) {
  const have = new Map<number, Set<number>>(posts.map((p) => [p, new Set()]))
  for (const r of current) have.get(Number(r[postKey]))!.add(Number(r[tagKey]))
  return posts.map((postId) => {
    const want = new Set(w7Target(data, postId, op))
    const now = have.get(postId)!
    const detached = [...now].filter((t) => !want.has(t))
    const attached = [...want].filter((t) => !now.has(t))
    return { attached, detached }
  })
}
const syncShape = (result: unknown): unknown =>
  (result as { attached: unknown[]; detached: unknown[] }[]).map((r) => ({
    attached: r.attached.map(Number).sort((a, b) => a - b),
    detached: r.detached.map(Number).sort((a, b) => a - b),
  }))

export const relWorkloads: readonly RelWorkload[] = [
  {
    id: 'W1',
    title: '100 users with their posts and the posts\' comments',
    async raw(ctx, op) {
      const users = await ctx.sql.all(`SELECT ${USER} FROM bench_users ORDER BY id LIMIT 100 OFFSET ?`, [w1Offset(ctx, op)])
      const posts = await ctx.sql.all(`SELECT ${POST} FROM bench_posts WHERE user_id IN (${marks(users.length)})`, ids(users))
      const comments = await ctx.sql.all(`SELECT id, post_id, body FROM bench_comments WHERE post_id IN (${marks(posts.length)})`, ids(posts))
      attachMany(posts, comments, 'post_id', 'comments')
      attachMany(users, posts, 'user_id', 'posts')
      return users
    },
    orm: (db, ctx, op) => db.users.query().orderBy('id').limit(100).offset(w1Offset(ctx, op)).with('posts.comments').get(),
    normalize: (r, source) => shapeList(r, w1Shape, source),
    check: (rows) => ((rows as any[]).length === 100 && (rows as any[])[0].posts[0].comments.length === COMMENTS_PER_POST ? undefined : 'expected 100 users, 5 comments a post'),
  },
  {
    id: 'W2',
    title: '500 posts with their author and tags',
    async raw(ctx, op) {
      const offset = (op * 500) % (ctx.data.postIds.length - 500)
      const posts = await ctx.sql.all(`SELECT ${POST} FROM bench_posts ORDER BY id LIMIT 500 OFFSET ?`, [offset])
      const userIds = [...new Set(posts.map((p) => p.user_id))]
      const users = await ctx.sql.all(`SELECT ${USER} FROM bench_users WHERE id IN (${marks(userIds.length)})`, userIds)
      const tags = await ctx.sql.all(
        `SELECT pt.post_id, t.id, t.name FROM bench_post_tags pt JOIN bench_tags t ON t.id = pt.tag_id WHERE pt.post_id IN (${marks(posts.length)})`,
        ids(posts),
      )
      const byId = new Map(users.map((u) => [String(u.id), u]))
      for (const p of posts) p.author = byId.get(String(p.user_id)) ?? null
      attachMany(posts, tags, 'post_id', 'tags')
      return posts
    },
    orm: (db, ctx, op) => db.posts.query().orderBy('id').limit(500).offset((op * 500) % (ctx.data.postIds.length - 500)).with('author', 'tags').get(),
    normalize: (r, source) => shapeList(r, { columns: postColumns, one: { author: { columns: userColumns } }, many: { tags: { columns: tagColumns } } }, source),
    check: (rows) => ((rows as any[]).length === 500 && (rows as any[]).every((p) => p.tags.length === 3 && p.author) ? undefined : 'expected 500 posts, 3 tags and an author each'),
  },
  {
    id: 'W3',
    title: 'users with at least 5 published posts that have a comment (whereHas + count)',
    raw: (ctx) =>
      ctx.sql.all(
        `SELECT ${USER} FROM bench_users WHERE id IN (SELECT p.user_id FROM bench_posts p WHERE p.published = ? ` +
          `AND EXISTS (SELECT 1 FROM bench_comments c WHERE c.post_id = p.id) GROUP BY p.user_id HAVING COUNT(*) >= 5) ORDER BY id`,
        [true],
      ),
    orm: (db) => db.users.query().whereHas('posts', (q) => q.where('published', true).has('comments'), '>=', 5).orderBy('id').get(),
    normalize: (r, source) => shapeList(r, { columns: userColumns }, source),
    check: (rows) => ((rows as any[]).length === 1000 ? undefined : `expected 1000 users, got ${(rows as any[]).length}`),
  },
  {
    id: 'W4',
    title: '1,000 users with their post and comment counts (withCount)',
    raw: (ctx, op) =>
      ctx.sql.all(
        `SELECT ${prefixed('u', userColumns)}, ` +
          `(SELECT COUNT(*) FROM bench_posts p WHERE p.user_id = u.id) AS posts_count, ` +
          `(SELECT COUNT(*) FROM bench_comments c JOIN bench_posts p ON p.id = c.post_id WHERE p.user_id = u.id) AS comments_count ` +
          `FROM bench_users u ORDER BY u.id LIMIT 1000 OFFSET ?`,
        [(op * 1000) % 1000],
      ),
    orm: (db, _ctx, op) => db.users.query().withCount('posts', 'comments').orderBy('id').limit(1000).offset((op * 1000) % 1000).get(),
    normalize: (r, source) => shapeList(r, { columns: [...userColumns, int('postsCount', 'posts_count'), int('commentsCount', 'comments_count')] }, source),
    check: (rows) => ((rows as any[]).length === 1000 && (rows as any[])[0].commentsCount === 50 ? undefined : 'expected 1000 users with 50 comments each'),
  },
  {
    id: 'W5',
    title: '200 users, each with their 3 newest posts (limit per parent)',
    async raw(ctx, op) {
      const offset = (op * 200) % (ctx.data.userIds.length - 200)
      const users = await ctx.sql.all(`SELECT ${USER} FROM bench_users ORDER BY id LIMIT 200 OFFSET ?`, [offset])
      const posts = await ctx.sql.all(
        `SELECT ${POST} FROM (SELECT ${POST}, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS rn ` +
          `FROM bench_posts WHERE user_id IN (${marks(users.length)})) ranked WHERE rn <= 3 ORDER BY user_id, rn`,
        ids(users),
      )
      attachMany(users, posts, 'user_id', 'posts')
      return users
    },
    orm: (db, ctx, op) =>
      db.users
        .query()
        .orderBy('id')
        .limit(200)
        .offset((op * 200) % (ctx.data.userIds.length - 200))
        .with('posts', (q) => q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(3))
        .get(),
    normalize: (r, source) => shapeList(r, { columns: userColumns, many: { posts: { columns: postColumns, ordered: true } } }, source),
    check: (rows) => ((rows as any[]).length === 200 && (rows as any[]).every((u) => u.posts.length === 3) ? undefined : 'expected 200 users, 3 posts each'),
  },
  {
    id: 'W8',
    title: 'one user by key with its profile',
    async raw(ctx, op) {
      const id = ctx.data.userIds[(op * 7919) % ctx.data.userIds.length]
      const [row] = await ctx.sql.all(
        `SELECT ${prefixed('u', userColumns)}, p.id AS p_id, p.user_id AS p_user_id, p.bio AS p_bio FROM bench_users u ` +
          `LEFT JOIN bench_profiles p ON p.user_id = u.id WHERE u.id = ?`,
        [id],
      )
      if (!row) return null
      const { p_id, p_user_id, p_bio, ...user } = row
      return { ...user, profile: p_id == null ? null : { id: p_id, user_id: p_user_id, bio: p_bio } }
    },
    orm: (db, ctx, op) => db.users.query().with('profile').find(ctx.data.userIds[(op * 7919) % ctx.data.userIds.length]),
    normalize: (r, source) => shape(r, { columns: userColumns, one: { profile: { columns: profileColumns } } }, source),
    check: (row) => ((row as any)?.profile?.bio ? undefined : 'expected a user with a profile'),
  },
  {
    id: 'W9',
    title: '200 posts with their polymorphic images',
    async raw(ctx, op) {
      const offset = (op * 200) % (ctx.data.postIds.length - 200)
      const posts = await ctx.sql.all(`SELECT ${POST} FROM bench_posts ORDER BY id LIMIT 200 OFFSET ?`, [offset])
      const images = await ctx.sql.all(
        `SELECT id, url, imageable_id, imageable_type FROM bench_images WHERE imageable_type = ? AND imageable_id IN (${marks(posts.length)})`,
        ['posts', ...ids(posts)],
      )
      attachMany(posts, images, 'imageable_id', 'images')
      return posts
    },
    orm: (db, ctx, op) => db.posts.query().orderBy('id').limit(200).offset((op * 200) % (ctx.data.postIds.length - 200)).with('images').get(),
    normalize: (r, source) => shapeList(r, { columns: postColumns, many: { images: { columns: imageColumns } } }, source),
    check: (rows) => ((rows as any[]).length === 200 && (rows as any[]).every((p) => p.images.length === 1) ? undefined : 'expected 200 posts, an image each'),
  },
  {
    id: 'W7',
    title: `sync the tags of ${W7_POSTS} posts (3 detached, 3 attached each)`,
    async raw(ctx, op) {
      const posts = w7Posts(ctx.data)
      return ctx.sql.tx(async (q) => {
        const lock = q.dialect === 'sqlite' ? '' : ' FOR UPDATE'
        const current = await q.all(`SELECT post_id, tag_id FROM bench_post_tags WHERE post_id IN (${marks(posts.length)})${lock}`, posts)
        const result = w7Changes(ctx.data, op, posts, current, 'post_id', 'tag_id')
        const removePairs: unknown[] = []
        const addPairs: unknown[] = []
        posts.forEach((postId, i) => {
          for (const t of result[i].detached) removePairs.push(postId, t)
          for (const t of result[i].attached) addPairs.push(postId, t)
        })
        if (removePairs.length) {
          const cond = Array.from({ length: removePairs.length / 2 }, () => '(post_id = ? AND tag_id = ?)').join(' OR ')
          await q.all(`DELETE FROM bench_post_tags WHERE ${cond}`, removePairs)
        }
        if (addPairs.length) {
          const values = Array.from({ length: addPairs.length / 2 }, () => '(?, ?)').join(', ')
          await q.all(`INSERT INTO bench_post_tags (post_id, tag_id) VALUES ${values}`, addPairs)
        }
        return result
      })
    },
    orm(db, ctx, op) {
      // related() of many rows takes one argument per row: one transaction, one read, one delete, one insert
      const posts = w7Posts(ctx.data)
      return db.posts.related(posts.map((id) => ({ id })), 'tags').sync(...posts.map((id) => w7Target(ctx.data, id, op)))
    },
    normalize: (r) => syncShape(r),
    check: (r) => ((r as any[]).every((x) => x.attached.length === 3 && x.detached.length === 3) ? undefined : 'expected 3 attached and 3 detached a post'),
    async between(ctx) {
      // back to the seeded tags, so every operation changes every post
      const posts = w7Posts(ctx.data)
      await ctx.sql.all(`DELETE FROM bench_post_tags WHERE post_id IN (${marks(posts.length)})`, posts)
      const pairs = posts.flatMap((p) => tagIndexes(p).flatMap((t) => [p, ctx.data.tagIds[t]]))
      await ctx.sql.all(`INSERT INTO bench_post_tags (post_id, tag_id) VALUES ${Array.from({ length: pairs.length / 2 }, () => '(?, ?)').join(', ')}`, pairs)
    },
  },
  {
    id: 'W6',
    title: 'create a user with a profile, 5 posts, 2 comments and 3 tags each (graph create)',
    async raw(ctx, op) {
      const g: Graph = graphInput(ctx.data, op)
      return ctx.sql.tx(async (q) => {
        const [user] = await q.all(`INSERT INTO bench_users (name, email, active, score, created_at) VALUES (?, ?, ?, ?, ?) RETURNING ${USER}`, [
          g.name, g.email, g.active, g.score, g.createdAt,
        ])
        const [profile] = await q.all('INSERT INTO bench_profiles (user_id, bio) VALUES (?, ?) RETURNING id, user_id, bio', [user.id, g.profile.bio])
        const postParams = g.posts.flatMap((p) => [user.id, p.title, p.body, p.published, p.views, p.createdAt])
        const posts = await q.all(
          `INSERT INTO bench_posts (user_id, title, body, published, views, created_at) VALUES ${g.posts.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} RETURNING ${POST}`,
          postParams,
        )
        const commentParams = g.posts.flatMap((p, i) => p.comments.flatMap((c) => [posts[i].id, c.body]))
        const comments = await q.all(
          `INSERT INTO bench_comments (post_id, body) VALUES ${Array.from({ length: commentParams.length / 2 }, () => '(?, ?)').join(', ')} RETURNING id, post_id, body`,
          commentParams,
        )
        const tagParams = g.posts.flatMap((p, i) => p.tags.flatMap((t) => [posts[i].id, t.id]))
        await q.all(`INSERT INTO bench_post_tags (post_id, tag_id) VALUES ${Array.from({ length: tagParams.length / 2 }, () => '(?, ?)').join(', ')}`, tagParams)
        attachMany(posts, comments, 'post_id', 'comments')
        posts.forEach((p, i) => (p.tags = g.posts[i].tags))
        return { ...user, profile, posts }
      })
    },
    orm: (db, ctx, op) => db.users.create(graphInput(ctx.data, op)),
    normalize: (r) => graphShape(r),
    check: (g) => ((g as any).ids ? undefined : 'expected every row of the graph to have an id'),
    between: (ctx) => ctx.sql.all('DELETE FROM bench_users WHERE id > ?', [ctx.data.maxUserId]),
  },
]

export type { RelWorkload }
export type RelDb = BenchDb
