import Database from 'better-sqlite3'
import { and, eq, exists, getTableColumns, inArray, or, relations, sql, type SQL } from 'drizzle-orm'
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3'
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import * as my from 'drizzle-orm/mysql-core'
import * as pgc from 'drizzle-orm/pg-core'
import * as lite from 'drizzle-orm/sqlite-core'
import { createPool } from 'mysql2'
import pg from 'pg'
import type { Dataset } from '../dataset.js'
import { graphInput, w7Changes } from '../rel-workloads.js'
import type { Peer, PeerConnection } from './types.js'

/** The bench tables in Drizzle's terms, for one dialect: the same columns the ORM created, and their relations. */
function tables(dialect: 'sqlite' | 'pg' | 'mysql') {
  const t: any =
    dialect === 'sqlite'
      ? { table: lite.sqliteTable, id: () => lite.integer('id').primaryKey(), big: (n: string) => lite.integer(n), int: (n: string) => lite.integer(n), str: (n: string) => lite.text(n), bool: (n: string) => lite.integer(n, { mode: 'boolean' }), ts: (n: string) => lite.text(n) }
      : dialect === 'pg'
        ? { table: pgc.pgTable, id: () => pgc.bigint('id', { mode: 'number' }).primaryKey(), big: (n: string) => pgc.bigint(n, { mode: 'number' }), int: (n: string) => pgc.integer(n), str: (n: string) => pgc.text(n), bool: (n: string) => pgc.boolean(n), ts: (n: string) => pgc.timestamp(n, { withTimezone: true, mode: 'date', precision: 3 }) }
        : { table: my.mysqlTable, id: () => my.bigint('id', { mode: 'number' }).primaryKey().autoincrement(), big: (n: string) => my.bigint(n, { mode: 'number' }), int: (n: string) => my.int(n), str: (n: string) => my.varchar(n, { length: 255 }), bool: (n: string) => my.boolean(n), ts: (n: string) => my.datetime(n, { mode: 'date', fsp: 3 }) }
  const users = t.table('bench_users', { id: t.id(), name: t.str('name'), email: t.str('email'), active: t.bool('active'), score: t.int('score'), createdAt: t.ts('created_at') })
  const posts = t.table('bench_posts', { id: t.id(), userId: t.big('user_id'), title: t.str('title'), body: t.str('body'), published: t.bool('published'), views: t.int('views'), createdAt: t.ts('created_at') })
  const profiles = t.table('bench_profiles', { id: t.id(), userId: t.big('user_id'), bio: t.str('bio') })
  const comments = t.table('bench_comments', { id: t.id(), postId: t.big('post_id'), body: t.str('body') })
  const tags = t.table('bench_tags', { id: t.id(), name: t.str('name') })
  const postTags = t.table('bench_post_tags', { postId: t.big('post_id'), tagId: t.big('tag_id') })
  const images = t.table('bench_images', { id: t.id(), url: t.str('url'), imageableId: t.big('imageable_id'), imageableType: t.str('imageable_type') })
  const usersRelations = relations(users, ({ one, many }) => ({ profile: one(profiles), posts: many(posts) }))
  const profilesRelations = relations(profiles, ({ one }) => ({ user: one(users, { fields: [profiles.userId], references: [users.id] }) }))
  const postsRelations = relations(posts, ({ one, many }) => ({
    author: one(users, { fields: [posts.userId], references: [users.id] }),
    comments: many(comments),
    postTags: many(postTags),
    images: many(images),
  }))
  const commentsRelations = relations(comments, ({ one }) => ({ post: one(posts, { fields: [comments.postId], references: [posts.id] }) }))
  const postTagsRelations = relations(postTags, ({ one }) => ({
    post: one(posts, { fields: [postTags.postId], references: [posts.id] }),
    tag: one(tags, { fields: [postTags.tagId], references: [tags.id] }),
  }))
  // Drizzle's relations have no polymorphism: the images of a post are a plain one/many on imageable_id, filtered by type where used
  const imagesRelations = relations(images, ({ one }) => ({ post: one(posts, { fields: [images.imageableId], references: [posts.id] }) }))
  return {
    users, posts, profiles, comments, tags, postTags, images,
    usersRelations, profilesRelations, postsRelations, commentsRelations, postTagsRelations, imagesRelations,
  }
}

/**
 * Drizzle ORM, written as its docs show: relational queries (`db.query.x.findMany({ with })`) for loading,
 * the SQL-like builder for filters, counts and writes. Results carry Drizzle's property names and its own
 * column mapping (SQLite timestamps stay the ISO text the ORM stores; Drizzle has no mode for that).
 */
export function drizzlePeer(dialect: 'sqlite' | 'pg' | 'mysql', conn: PeerConnection): Peer {
  let statements = 0
  const logger = { logQuery: () => void statements++ }
  const schema = tables(dialect)
  let close: () => Promise<void>
  let db: any
  if (dialect === 'sqlite') {
    const handle = conn.database ?? new Database(conn.file!)
    db = drizzleSqlite(handle, { schema, logger })
    close = async () => {
      if (!conn.database) handle.close()
    }
  } else if (dialect === 'pg') {
    const pool = new pg.Pool({ connectionString: conn.url })
    db = drizzlePg(pool, { schema, logger })
    close = () => pool.end()
  } else {
    const pool = createPool({ uri: conn.url, timezone: 'Z' })
    // MariaDB has no LATERAL: the 'planetscale' mode nests relations with correlated subqueries instead
    db = drizzleMysql(pool, { schema, logger, mode: 'planetscale' })
    close = () => new Promise<void>((resolve) => pool.end(() => resolve()))
  }
  const { users, posts, profiles, comments, postTags, images } = schema
  const tagsOf = (rows: any[]) => {
    for (const p of rows) p.tags = p.postTags.map((pt: any) => pt.tag)
    return rows
  }
  const ts = (d: Date) => (dialect === 'sqlite' ? d.toISOString() : d)

  // W7's changes, and the post_tags rows they delete (as conditions) and insert
  const w7Writes = (data: Dataset, op: number, ids: number[], current: { postId: number; tagId: number }[]) => {
    const result = w7Changes(data, op, ids, current, 'postId', 'tagId')
    const remove: SQL[] = []
    const add: { postId: number; tagId: number }[] = []
    ids.forEach((postId, i) => {
      for (const t of result[i].detached) remove.push(and(eq(postTags.postId, postId), eq(postTags.tagId, t))!)
      for (const t of result[i].attached) add.push({ postId, tagId: t })
    })
    return { result, remove, add }
  }

  // better-sqlite3 transactions in Drizzle are synchronous: the same steps with .all() / .run()
  const sqliteW7 = (tx: any, data: Dataset, op: number) => {
    const ids = data.postIds.slice(0, 50)
    const current: { postId: number; tagId: number }[] = tx.select({ postId: postTags.postId, tagId: postTags.tagId }).from(postTags).where(inArray(postTags.postId, ids)).all()
    const { result, remove, add } = w7Writes(data, op, ids, current)
    if (remove.length) tx.delete(postTags).where(or(...remove)).run()
    if (add.length) tx.insert(postTags).values(add).run()
    return result
  }
  const sqliteW6 = (tx: any, data: Dataset, op: number) => {
    const g = graphInput(data, op)
    const user = tx.insert(users).values({ name: g.name, email: g.email, active: g.active, score: g.score, createdAt: ts(g.createdAt) }).returning().get()
    const profile = tx.insert(profiles).values({ userId: user.id, bio: g.profile.bio }).returning().get()
    const ps = tx
      .insert(posts)
      .values(g.posts.map((p) => ({ userId: user.id, title: p.title, body: p.body, published: p.published, views: p.views, createdAt: ts(p.createdAt) })))
      .returning()
      .all()
    const cs = tx.insert(comments).values(g.posts.flatMap((p, i) => p.comments.map((c) => ({ postId: ps[i].id, body: c.body })))).returning().all()
    tx.insert(postTags).values(g.posts.flatMap((p, i) => p.tags.map((t) => ({ postId: ps[i].id, tagId: t.id })))).run()
    return { ...user, profile, posts: ps.map((p: any, i: number) => ({ ...p, comments: cs.filter((c: any) => c.postId === p.id), tags: g.posts[i].tags })) }
  }

  return {
    name: 'Drizzle',
    keys: 'prop',
    get statements() {
      return statements
    },
    close: () => close(),
    impl: {
      W1: (data, op) =>
        db.query.users.findMany({ orderBy: [users.id], limit: 100, offset: (op * 100) % (data.userIds.length - 100), with: { posts: { with: { comments: true } } } }),
      M1: () => db.query.users.findMany({ orderBy: [users.id], with: { posts: { with: { comments: true } } } }),
      W2: async (data, op) =>
        tagsOf(
          await db.query.posts.findMany({
            orderBy: [posts.id],
            limit: 500,
            offset: (op * 500) % (data.postIds.length - 500),
            with: { author: true, postTags: { with: { tag: true } } },
          }),
        ),
      W3: () =>
        db
          .select()
          .from(users)
          .where(
            inArray(
              users.id,
              db
                .select({ id: posts.userId })
                .from(posts)
                .where(and(eq(posts.published, true), exists(db.select({ one: sql`1` }).from(comments).where(eq(comments.postId, posts.id)))))
                .groupBy(posts.userId)
                .having(sql`count(*) >= 5`),
            ),
          )
          .orderBy(users.id),
      W4: () =>
        db
          .select({
            ...getTableColumns(users),
            // Drizzle writes the outer column unqualified in a one-table select, so the correlation is spelled out
            postsCount: sql<number>`(select count(*) from bench_posts p where p.user_id = bench_users.id)`.mapWith(Number),
            commentsCount: sql<number>`(select count(*) from bench_comments c join bench_posts p on p.id = c.post_id where p.user_id = bench_users.id)`.mapWith(Number),
          })
          .from(users)
          .orderBy(users.id)
          .limit(1000),
      W5: (data, op) =>
        db.query.users.findMany({
          orderBy: [users.id],
          limit: 200,
          offset: (op * 200) % (data.userIds.length - 200),
          with: { posts: { orderBy: (p: any, { desc }: any) => [desc(p.createdAt), desc(p.id)], limit: 3 } },
        }),
      W8: (data, op) => db.query.users.findFirst({ where: eq(users.id, data.userIds[(op * 7919) % data.userIds.length]), with: { profile: true } }),
      W9: (data, op) =>
        db.query.posts.findMany({
          orderBy: [posts.id],
          limit: 200,
          offset: (op * 200) % (data.postIds.length - 200),
          with: { images: { where: eq(images.imageableType, 'posts') } },
        }),
      W7: (data: Dataset, op: number) =>
        dialect === 'sqlite' ? db.transaction((tx: any) => sqliteW7(tx, data, op)) : db.transaction(async (tx: any) => {
          const ids = data.postIds.slice(0, 50)
          let select = tx.select({ postId: postTags.postId, tagId: postTags.tagId }).from(postTags).where(inArray(postTags.postId, ids))
          select = select.for("update")
          const current: { postId: number; tagId: number }[] = await select
          const { result, remove, add } = w7Writes(data, op, ids, current)
          if (remove.length) await tx.delete(postTags).where(or(...remove))
          if (add.length) await tx.insert(postTags).values(add)
          return result
        }),
      W6: (data: Dataset, op: number) =>
        dialect === 'sqlite' ? db.transaction((tx: any) => sqliteW6(tx, data, op)) : db.transaction(async (tx: any) => {
          const g = graphInput(data, op)
          const u = { name: g.name, email: g.email, active: g.active, score: g.score, createdAt: ts(g.createdAt) }
          const postRows = (userId: number) =>
            g.posts.map((p) => ({ userId, title: p.title, body: p.body, published: p.published, views: p.views, createdAt: ts(p.createdAt) }))
          if (dialect === 'mysql') {
            // no RETURNING in Drizzle's MySQL: $returningId() (ids from the insert's first id)
            const [{ id: userId }] = await tx.insert(users).values(u).$returningId()
            const [{ id: profileId }] = await tx.insert(profiles).values({ userId, bio: g.profile.bio }).$returningId()
            const prs = postRows(userId)
            const postIds: { id: number }[] = await tx.insert(posts).values(prs).$returningId()
            const crs = g.posts.flatMap((p, i) => p.comments.map((c) => ({ postId: postIds[i].id, body: c.body })))
            const commentIds: { id: number }[] = await tx.insert(comments).values(crs).$returningId()
            await tx.insert(postTags).values(g.posts.flatMap((p, i) => p.tags.map((t) => ({ postId: postIds[i].id, tagId: t.id }))))
            return {
              ...u,
              id: userId,
              profile: { id: profileId, userId, bio: g.profile.bio },
              posts: prs.map((p, i) => ({
                ...p,
                id: postIds[i].id,
                comments: crs.map((c, j) => ({ ...c, id: commentIds[j].id })).filter((c) => c.postId === postIds[i].id),
                tags: g.posts[i].tags,
              })),
            }
          }
          const [user] = await tx.insert(users).values(u).returning()
          const [profile] = await tx.insert(profiles).values({ userId: user.id, bio: g.profile.bio }).returning()
          const ps = await tx.insert(posts).values(postRows(user.id)).returning()
          const cs = await tx.insert(comments).values(g.posts.flatMap((p, i) => p.comments.map((c) => ({ postId: ps[i].id, body: c.body })))).returning()
          await tx.insert(postTags).values(g.posts.flatMap((p, i) => p.tags.map((t) => ({ postId: ps[i].id, tagId: t.id }))))
          return { ...user, profile, posts: ps.map((p: any, i: number) => ({ ...p, comments: cs.filter((c: any) => c.postId === p.id), tags: g.posts[i].tags })) }
        }),
    },
  }
}
