import Database from 'better-sqlite3'
import { Kysely, MysqlDialect, ParseJSONResultsPlugin, PostgresDialect, SqliteDialect, sql, type Expression } from 'kysely'
import * as mysqlHelpers from 'kysely/helpers/mysql'
import * as pgHelpers from 'kysely/helpers/postgres'
import * as sqliteHelpers from 'kysely/helpers/sqlite'
import { createPool } from 'mysql2'
import pg from 'pg'
import type { Dataset } from '../dataset.js'
import { graphInput, w7Changes } from '../rel-workloads.js'
import type { Peer, PeerConnection } from './types.js'

type K = Kysely<any>

const USER = ['id', 'name', 'email', 'active', 'score', 'created_at'] as const
const POST = ['id', 'user_id', 'title', 'body', 'published', 'views', 'created_at'] as const

/**
 * Kysely, written the way its docs recommend for relations: one statement per workload where it can, nesting
 * related rows as JSON (`jsonArrayFrom` / `jsonObjectFrom` from kysely/helpers/<dialect>, parsed by
 * ParseJSONResultsPlugin). Writes in `db.transaction()`. Values come back as the driver gives them (SQLite 0/1
 * booleans and text timestamps; JSON-nested values as JSON has them), so results are normalized like raw's.
 */
export function kyselyPeer(dialect: 'sqlite' | 'pg' | 'mysql', conn: PeerConnection): Peer {
  let statements = 0
  const log = (event: { level: string }) => {
    if (event.level === 'query') statements++
  }
  const db: K = new Kysely<any>({
    dialect:
      dialect === 'sqlite' ? new SqliteDialect({ database: conn.database ?? new Database(conn.file!) })
      : dialect === 'pg' ? new PostgresDialect({ pool: new pg.Pool({ connectionString: conn.url }) })
      : new MysqlDialect({ pool: createPool({ uri: conn.url, timezone: 'Z' }) }),
    plugins: [new ParseJSONResultsPlugin()],
    log,
  })
  const h = dialect === 'sqlite' ? sqliteHelpers : dialect === 'pg' ? pgHelpers : mysqlHelpers
  const jsonArrayFrom = h.jsonArrayFrom as (e: Expression<any>) => any
  const jsonObjectFrom = h.jsonObjectFrom as (e: Expression<any>) => any
  const b = (v: boolean) => (dialect === 'pg' ? v : v ? 1 : 0)
  const d = (v: Date) => (dialect === 'sqlite' ? v.toISOString() : v)

  const group = (parents: any[], children: any[], fk: string, as: string) => {
    const byKey = new Map<string, any[]>()
    for (const p of parents) byKey.set(String(p.id), (p[as] = []))
    for (const c of children) byKey.get(String(c[fk]))?.push(c)
    return parents
  }
  /** Users (a page, or all of them) with their posts and the posts' comments, one `where ... in` query per level. */
  const keyedUsers = async (limit?: number, offset?: number) => {
    let q = db.selectFrom('bench_users').select([...USER]).orderBy('id')
    if (limit !== undefined) q = q.limit(limit).offset(offset ?? 0)
    const users = await q.execute()
    const posts = await db.selectFrom('bench_posts').select([...POST]).where('user_id', 'in', users.map((u) => u.id)).execute()
    const comments = await db.selectFrom('bench_comments').select(['id', 'post_id', 'body']).where('post_id', 'in', posts.map((p) => p.id)).execute()
    group(posts, comments, 'post_id', 'comments')
    return group(users, posts, 'user_id', 'posts')
  }

  /**
   * MariaDB: kysely/helpers/mysql writes `cast(... as json)`, which MariaDB does not parse, so there the
   * relation workloads load each level with its own `where ... in` query, as Kysely's docs show for databases
   * without JSON aggregation.
   */
  const keyed: Peer['impl'] = {
    W1: (data, op) => keyedUsers(100, (op * 100) % (data.userIds.length - 100)),
    M1: () => keyedUsers(),
    async W2(data, op) {
      const posts = await db.selectFrom('bench_posts').select([...POST]).orderBy('id').limit(500).offset((op * 500) % (data.postIds.length - 500)).execute()
      const users = await db.selectFrom('bench_users').select([...USER]).where('id', 'in', [...new Set(posts.map((p) => p.user_id))]).execute()
      const tags = await db
        .selectFrom('bench_post_tags as pt')
        .innerJoin('bench_tags as t', 't.id', 'pt.tag_id')
        .select(['pt.post_id', 't.id', 't.name'])
        .where('pt.post_id', 'in', posts.map((p) => p.id))
        .execute()
      const byId = new Map(users.map((u) => [String(u.id), u]))
      for (const p of posts as any[]) p.author = byId.get(String(p.user_id)) ?? null
      return group(posts, tags, 'post_id', 'tags')
    },
    async W5(data, op) {
      const users = await db.selectFrom('bench_users').select([...USER]).orderBy('id').limit(200).offset((op * 200) % (data.userIds.length - 200)).execute()
      const posts = await db
        .selectFrom((eb) =>
          eb
            .selectFrom('bench_posts')
            .select([...POST, sql<number>`row_number() over (partition by user_id order by created_at desc, id desc)`.as('rn')])
            .where('user_id', 'in', users.map((u) => u.id))
            .as('ranked'),
        )
        .select([...POST])
        .where('rn', '<=', 3)
        .orderBy('user_id')
        .orderBy('rn')
        .execute()
      return group(users, posts, 'user_id', 'posts')
    },
    async W8(data, op) {
      const user = await db.selectFrom('bench_users').select([...USER]).where('id', '=', data.userIds[(op * 7919) % data.userIds.length]).executeTakeFirst()
      if (!user) return null
      ;(user as any).profile = (await db.selectFrom('bench_profiles').select(['id', 'user_id', 'bio']).where('user_id', '=', user.id).executeTakeFirst()) ?? null
      return user
    },
    async W9(data, op) {
      const posts = await db.selectFrom('bench_posts').select([...POST]).orderBy('id').limit(200).offset((op * 200) % (data.postIds.length - 200)).execute()
      const images = await db
        .selectFrom('bench_images')
        .select(['id', 'url', 'imageable_id', 'imageable_type'])
        .where('imageable_type', '=', 'posts')
        .where('imageable_id', 'in', posts.map((p) => p.id))
        .execute()
      return group(posts, images, 'imageable_id', 'images')
    },
  }

  /** Users with their posts and the posts' comments nested as JSON, in one statement (W1 takes a page, M1 all). */
  const nestedUsers = () =>
    db
      .selectFrom('bench_users as u')
      .select((eb) => [
        ...USER.map((c) => `u.${c}` as const),
        jsonArrayFrom(
          eb
            .selectFrom('bench_posts as p')
            .select((eb2) => [
              ...POST.map((c) => `p.${c}` as const),
              jsonArrayFrom(eb2.selectFrom('bench_comments as c').select(['c.id', 'c.post_id', 'c.body']).whereRef('c.post_id', '=', 'p.id')).as('comments'),
            ])
            .whereRef('p.user_id', '=', 'u.id'),
        ).as('posts'),
      ])
      .orderBy('u.id')

  /** MySQL / MariaDB: Kysely's MySQL dialect has no RETURNING; ids from insertId (consecutive for a multi-row insert). */
  const mysqlW6 = (data: Dataset, op: number) =>
    db.transaction().execute(async (trx) => {
      const g = graphInput(data, op)
      const u = { name: g.name, email: g.email, active: b(g.active), score: g.score, created_at: d(g.createdAt) }
      const userId = Number((await trx.insertInto('bench_users').values(u).executeTakeFirstOrThrow()).insertId)
      const profileId = Number((await trx.insertInto('bench_profiles').values({ user_id: userId, bio: g.profile.bio }).executeTakeFirstOrThrow()).insertId)
      const postRows = g.posts.map((p) => ({ user_id: userId, title: p.title, body: p.body, published: b(p.published), views: p.views, created_at: d(p.createdAt) }))
      const firstPost = Number((await trx.insertInto('bench_posts').values(postRows).executeTakeFirstOrThrow()).insertId)
      const commentRows = g.posts.flatMap((p, i) => p.comments.map((c) => ({ post_id: firstPost + i, body: c.body })))
      const firstComment = Number((await trx.insertInto('bench_comments').values(commentRows).executeTakeFirstOrThrow()).insertId)
      await trx
        .insertInto('bench_post_tags')
        .values(g.posts.flatMap((p, i) => p.tags.map((t) => ({ post_id: firstPost + i, tag_id: t.id }))))
        .execute()
      return {
        ...u,
        id: userId,
        profile: { id: profileId, user_id: userId, bio: g.profile.bio },
        posts: postRows.map((p, i) => ({
          ...p,
          id: firstPost + i,
          comments: commentRows.map((c, j) => ({ ...c, id: firstComment + j })).filter((c) => c.post_id === firstPost + i),
          tags: g.posts[i].tags,
        })),
      }
    })

  return {
    name: 'Kysely',
    get statements() {
      return statements
    },
    // Kysely's SQLite driver closes its database on destroy: the bench's shared handle is the target's to close
    close: () => (conn.database ? Promise.resolve() : db.destroy()),
    impl: {
      W1: (data, op) =>
        nestedUsers()
          .limit(100)
          .offset((op * 100) % (data.userIds.length - 100))
          .execute(),
      M1: () => nestedUsers().execute(),
      W2: (data, op) =>
        db
          .selectFrom('bench_posts as p')
          .select((eb) => [
            ...POST.map((c) => `p.${c}` as const),
            jsonObjectFrom(eb.selectFrom('bench_users as u').select(USER.map((c) => `u.${c}` as const)).whereRef('u.id', '=', 'p.user_id')).as('author'),
            jsonArrayFrom(
              eb.selectFrom('bench_post_tags as pt').innerJoin('bench_tags as t', 't.id', 'pt.tag_id').select(['t.id', 't.name']).whereRef('pt.post_id', '=', 'p.id'),
            ).as('tags'),
          ])
          .orderBy('p.id')
          .limit(500)
          .offset((op * 500) % (data.postIds.length - 500))
          .execute(),
      W3: () =>
        db
          .selectFrom('bench_users')
          .select([...USER])
          .where('id', 'in', (eb: any) =>
            eb
              .selectFrom('bench_posts as p')
              .select('p.user_id')
              .where('p.published', '=', b(true))
              .where(({ exists, selectFrom }: any) => exists(selectFrom('bench_comments as c').select(sql.lit(1).as('one')).whereRef('c.post_id', '=', 'p.id')))
              .groupBy('p.user_id')
              .having((eb2: any) => eb2.fn.countAll(), '>=', 5),
          )
          .orderBy('id')
          .execute(),
      W4: () =>
        db
          .selectFrom('bench_users as u')
          .select((eb) => [
            ...USER.map((c) => `u.${c}` as const),
            eb.selectFrom('bench_posts as p').select((e) => e.fn.countAll().as('n')).whereRef('p.user_id', '=', 'u.id').as('posts_count'),
            eb
              .selectFrom('bench_comments as c')
              .innerJoin('bench_posts as p', 'p.id', 'c.post_id')
              .select((e) => e.fn.countAll().as('n'))
              .whereRef('p.user_id', '=', 'u.id')
              .as('comments_count'),
          ])
          .orderBy('u.id')
          .limit(1000)
          .execute(),
      W5: (data, op) =>
        db
          .selectFrom('bench_users as u')
          .select((eb) => [
            ...USER.map((c) => `u.${c}` as const),
            jsonArrayFrom(
              eb
                .selectFrom('bench_posts as p')
                .select(POST.map((c) => `p.${c}` as const))
                .whereRef('p.user_id', '=', 'u.id')
                .orderBy('p.created_at', 'desc')
                .orderBy('p.id', 'desc')
                .limit(3),
            ).as('posts'),
          ])
          .orderBy('u.id')
          .limit(200)
          .offset((op * 200) % (data.userIds.length - 200))
          .execute(),
      W8: (data, op) =>
        db
          .selectFrom('bench_users as u')
          .select((eb) => [
            ...USER.map((c) => `u.${c}` as const),
            jsonObjectFrom(eb.selectFrom('bench_profiles as p').select(['p.id', 'p.user_id', 'p.bio']).whereRef('p.user_id', '=', 'u.id')).as('profile'),
          ])
          .where('u.id', '=', data.userIds[(op * 7919) % data.userIds.length])
          .executeTakeFirst(),
      W9: (data, op) =>
        db
          .selectFrom('bench_posts as p')
          .select((eb) => [
            ...POST.map((c) => `p.${c}` as const),
            jsonArrayFrom(
              eb
                .selectFrom('bench_images as i')
                .select(['i.id', 'i.url', 'i.imageable_id', 'i.imageable_type'])
                .where('i.imageable_type', '=', 'posts')
                .whereRef('i.imageable_id', '=', 'p.id'),
            ).as('images'),
          ])
          .orderBy('p.id')
          .limit(200)
          .offset((op * 200) % (data.postIds.length - 200))
          .execute(),
      W7: (data, op) =>
        db.transaction().execute(async (trx) => {
          const posts = data.postIds.slice(0, 50)
          let select = trx.selectFrom('bench_post_tags').select(['post_id', 'tag_id']).where('post_id', 'in', posts)
          if (dialect !== 'sqlite') select = select.forUpdate()
          const current = await select.execute()
          const result = w7Changes(data, op, posts, current, 'post_id', 'tag_id')
          const remove: [number, number][] = []
          const add: { post_id: number; tag_id: number }[] = []
          posts.forEach((postId, i) => {
            for (const t of result[i].detached) remove.push([postId, t])
            for (const t of result[i].attached) add.push({ post_id: postId, tag_id: t })
          })
          if (remove.length) {
            await trx
              .deleteFrom('bench_post_tags')
              .where((eb) => eb.or(remove.map(([p, t]) => eb.and([eb('post_id', '=', p), eb('tag_id', '=', t)]))))
              .execute()
          }
          if (add.length) await trx.insertInto('bench_post_tags').values(add).execute()
          return result
        }),
      W6: (data, op) =>
        dialect === 'mysql' ? mysqlW6(data, op) : db.transaction().execute(async (trx) => {
          const g = graphInput(data, op)
          const user = await trx
            .insertInto('bench_users')
            .values({ name: g.name, email: g.email, active: b(g.active), score: g.score, created_at: d(g.createdAt) })
            .returning([...USER])
            .executeTakeFirstOrThrow()
          const profile = await trx.insertInto('bench_profiles').values({ user_id: user.id, bio: g.profile.bio }).returning(['id', 'user_id', 'bio']).executeTakeFirstOrThrow()
          const posts = await trx
            .insertInto('bench_posts')
            .values(g.posts.map((p) => ({ user_id: user.id, title: p.title, body: p.body, published: b(p.published), views: p.views, created_at: d(p.createdAt) })))
            .returning([...POST])
            .execute()
          const comments = await trx
            .insertInto('bench_comments')
            .values(g.posts.flatMap((p, i) => p.comments.map((c) => ({ post_id: posts[i].id, body: c.body }))))
            .returning(['id', 'post_id', 'body'])
            .execute()
          await trx
            .insertInto('bench_post_tags')
            .values(g.posts.flatMap((p, i) => p.tags.map((t) => ({ post_id: posts[i].id, tag_id: t.id }))))
            .execute()
          return {
            ...user,
            profile,
            posts: posts.map((p, i) => ({ ...p, comments: comments.filter((c) => String(c.post_id) === String(p.id)), tags: g.posts[i].tags })),
          }
        }),
      ...(dialect === 'mysql' ? keyed : {}),
    },
  }
}
